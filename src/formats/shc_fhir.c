/* shc_fhir.c: the FHIR bundle of a SMART Health Card, as a verifier reads it (see shc_fhir.h). */
#include "shc_fhir.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verdict_build.h"

/* Coding systems of the SHC Vaccination & Testing IG value sets, with short display names. */
static const struct {
    const char *system, *name;
} systems[] = {
    { "http://hl7.org/fhir/sid/cvx", "CVX" },
    { "http://snomed.info/sct", "SNOMED" },
    { "http://loinc.org", "LOINC" },
    { "http://id.who.int/icd11/mms", "ICD-11" },
    { "https://www.humanservices.gov.au/organisations/health-professionals/enablers/"
      "air-vaccine-code-formats",
      "AIR" },
};

const char *
hc_shc_fhir_system_name(const char *system)
{
    for (size_t i = 0; system != NULL && i < sizeof systems / sizeof systems[0]; i++) {
        if (strcmp(system, systems[i].system) == 0) {
            return systems[i].name;
        }
    }
    return "code";
}

static const char *
str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* The first coding of a CodeableConcept member that has a system and a code. */
static const json_t *
first_coding(const json_t *res, const char *member)
{
    json_t *codings = json_object_get(json_object_get(res, member), "coding");
    size_t i;
    json_t *c;
    json_array_foreach(codings, i, c)
    {
        if (str(c, "system") != NULL && str(c, "code") != NULL) {
            return c;
        }
    }
    return NULL;
}

/* "Given Family" from a FHIR HumanName (or its text). */
static void
human_name(const json_t *name, char *out, size_t cap)
{
    size_t len = 0;
    json_t *given = json_object_get(name, "given");
    const char *family = str(name, "family");
    size_t i;
    json_t *g;
    out[0] = '\0';
    json_array_foreach(given, i, g)
    {
        if (json_is_string(g) && len + 1 < cap) {
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "",
                                    json_string_value(g));
            len = len < cap ? len : cap - 1;
        }
    }
    if (family != NULL && len + 1 < cap) {
        snprintf(out + len, cap - len, "%s%s", len ? " " : "", family);
    }
    if (out[0] == '\0' && str(name, "text") != NULL) {
        snprintf(out, cap, "%s", str(name, "text"));
    }
}

typedef struct scan {
    size_t patients, immunizations, observations, others;
    const json_t *patient, *last_imm, *last_obs;
    const char *last_imm_date;
    char problem[200];
} scan;

static void problem(scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(scan *s, const char *fmt, ...)
{
    if (s->problem[0] != '\0') {
        return; /* the first one is reported */
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->problem, sizeof s->problem, fmt, ap);
    va_end(ap);
}

static void
check_immunization(scan *s, size_t i, const json_t *res)
{
    const char *status = str(res, "status");
    const char *date = str(res, "occurrenceDateTime");
    s->immunizations++;
    if (status == NULL || strcmp(status, "completed") != 0) {
        problem(s, "entry %zu: an Immunization whose status is not \"completed\"", i);
    }
    if (first_coding(res, "vaccineCode") == NULL) {
        problem(s, "entry %zu: an Immunization without a vaccineCode coding (system and code)", i);
    }
    if (date == NULL) {
        problem(s, "entry %zu: an Immunization without occurrenceDateTime", i);
    }
    if (json_object_get(res, "patient") == NULL) {
        problem(s, "entry %zu: an Immunization without a patient reference", i);
    }
    /* The latest by date (ISO 8601 strings of one form compare in time order). */
    if (date != NULL && (s->last_imm_date == NULL || strcmp(date, s->last_imm_date) >= 0)) {
        s->last_imm_date = date;
        s->last_imm = res;
    }
}

/* value[x] (valueCodeableConcept, valueQuantity, ...): FHIR R4 Observation.value[x]. */
static bool
has_value(const json_t *res)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)res, key, v)
    {
        if (strncmp(key, "value", 5) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * A result that is not final (FHIR R4 ObservationStatus: registered, preliminary, cancelled,
 * entered-in-error, unknown) attests nothing. Value and effective time are not required: a panel
 * (hasMember) or a component observation has no value of its own (example 02 of the SHC spec).
 */
static void
check_observation(scan *s, size_t i, const json_t *res)
{
    const char *status = str(res, "status");
    s->observations++;
    if (status == NULL || (strcmp(status, "final") != 0 && strcmp(status, "amended") != 0 &&
                           strcmp(status, "corrected") != 0)) {
        problem(s, "entry %zu: an Observation whose status is not final, amended or corrected", i);
    }
    if (first_coding(res, "code") == NULL) {
        problem(s, "entry %zu: an Observation without a code coding", i);
    }
    /* The summary shows the last result that has a value (else the last one). */
    if (s->last_obs == NULL || has_value(res) || !has_value(s->last_obs)) {
        s->last_obs = res;
    }
}

static void
fill_subject(const json_t *patient, hc_verdict *vd)
{
    char name[256];
    human_name(json_array_get(json_object_get(patient, "name"), 0), name, sizeof name);
    const char *dob = str(patient, "birthDate");
    vd->has_subject = true;
    hc_verdict_copy_text(vd->subject_name, sizeof vd->subject_name, name, strlen(name));
    if (dob != NULL) {
        hc_verdict_copy_text(vd->subject_dob, sizeof vd->subject_dob, dob, strlen(dob));
    }
}

static void
fill_summary(const scan *s, hc_verdict *vd)
{
    char text[sizeof vd->summary];
    size_t len = 0;
    text[0] = '\0';
    if (s->immunizations > 0) {
        const json_t *c = first_coding(s->last_imm, "vaccineCode");
        len += (size_t)snprintf(text, sizeof text, "vaccination: %zu dose%s, last %.10s",
                                s->immunizations, s->immunizations == 1 ? "" : "s",
                                s->last_imm_date != NULL ? s->last_imm_date : "?");
        if (c != NULL && len < sizeof text) {
            len += (size_t)snprintf(text + len, sizeof text - len, " (%s %.20s)",
                                    hc_shc_fhir_system_name(str(c, "system")), str(c, "code"));
        }
        snprintf(vd->type, sizeof vd->type, "v");
    }
    if (s->observations > 0 && len < sizeof text) {
        const json_t *c = first_coding(s->last_obs, "code");
        const json_t *v = first_coding(s->last_obs, "valueCodeableConcept");
        const char *when = str(s->last_obs, "effectiveDateTime");
        len += (size_t)snprintf(
            text + len, sizeof text - len, "%slab result: %s %.20s", len ? "; " : "",
            c ? hc_shc_fhir_system_name(str(c, "system")) : "?", c ? str(c, "code") : "?");
        if (v != NULL && len < sizeof text) {
            len += (size_t)snprintf(text + len, sizeof text - len, " = %s %.20s",
                                    hc_shc_fhir_system_name(str(v, "system")), str(v, "code"));
        }
        if (when != NULL && len < sizeof text) {
            snprintf(text + len, sizeof text - len, ", %.10s", when);
        }
        if (vd->type[0] == '\0') {
            snprintf(vd->type, sizeof vd->type, "t");
        }
    }
    if (text[0] == '\0') {
        snprintf(text, sizeof text, "%zu FHIR resource%s", s->others + s->patients,
                 s->others + s->patients == 1 ? "" : "s");
    }
    hc_verdict_copy_text(vd->summary, sizeof vd->summary, text, strlen(text));
}

bool
hc_shc_fhir_read(const json_t *bundle, hc_verdict *vd, char *why, size_t why_len)
{
    scan s;
    memset(&s, 0, sizeof s);
    const char *rt = str(bundle, "resourceType");
    json_t *entries = json_object_get(bundle, "entry");
    if (rt == NULL || strcmp(rt, "Bundle") != 0) {
        snprintf(why, why_len, "fhirBundle is not a FHIR Bundle (resourceType)");
        return false;
    }
    if (!json_is_array(entries) || json_array_size(entries) == 0 ||
        json_array_size(entries) > HC_SHC_MAX_ENTRIES) {
        snprintf(why, why_len, "the Bundle has no entries, or more than %d", HC_SHC_MAX_ENTRIES);
        return false;
    }
    size_t i;
    json_t *entry;
    json_array_foreach(entries, i, entry)
    {
        json_t *res = json_object_get(entry, "resource");
        const char *type = str(res, "resourceType");
        if (!json_is_object(res) || type == NULL) {
            problem(&s, "entry %zu is not a resource with a resourceType", i);
        } else if (strcmp(type, "Patient") == 0) {
            s.patients++;
            s.patient = s.patient != NULL ? s.patient : res;
        } else if (strcmp(type, "Immunization") == 0) {
            check_immunization(&s, i, res);
        } else if (strcmp(type, "Observation") == 0) {
            check_observation(&s, i, res);
        } else {
            s.others++;
        }
    }
    if (s.patient != NULL) {
        fill_subject(s.patient, vd);
    }
    fill_summary(&s, vd);
    if (s.patients > 1) {
        problem(&s, "the Bundle has %zu Patient resources; a card is about one person at most",
                s.patients);
    }
    if (s.problem[0] != '\0') {
        snprintf(why, why_len, "%s", s.problem);
        return false;
    }
    return true;
}

json_t *
hc_shc_fhir_records(const json_t *bundle)
{
    json_t *out = json_array();
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(bundle, "entry"), i, entry)
    {
        json_t *res = json_object_get(entry, "resource");
        const char *type = str(res, "resourceType");
        if (type == NULL || strcmp(type, "Patient") == 0) {
            continue;
        }
        bool imm = strcmp(type, "Immunization") == 0;
        const json_t *c = first_coding(res, imm ? "vaccineCode" : "code");
        const char *date = str(res, imm ? "occurrenceDateTime" : "effectiveDateTime");
        json_t *r = json_pack("{s:s}", "resourceType", type);
        if (date != NULL) {
            json_object_set_new(r, "date", json_string(date));
        }
        if (str(res, "status") != NULL) {
            json_object_set_new(r, "status", json_string(str(res, "status")));
        }
        if (c != NULL) {
            json_object_set_new(r, "system", json_string(str(c, "system")));
            json_object_set_new(r, "code", json_string(str(c, "code")));
        }
        if (str(res, "lotNumber") != NULL) {
            json_object_set_new(r, "lot", json_string(str(res, "lotNumber")));
        }
        const json_t *v = first_coding(res, "valueCodeableConcept");
        if (v != NULL) {
            json_object_set_new(
                r, "value",
                json_pack("{s:s, s:s}", "system", str(v, "system"), "code", str(v, "code")));
        }
        json_array_append_new(out, r);
    }
    return out;
}
