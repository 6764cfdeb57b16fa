/* shc_from_dcc.c: EU DCC JSON -> SMART Health Card FHIR bundle (see shc_from_dcc.h). */
#include "shc_from_dcc.h"

#include <stdio.h>
#include <string.h>

/* CVX codes (CDC, "IIS: Vaccines administered", hl7.org/fhir/sid/cvx) of the COVID-19 vaccines
 * the EU authorised, by their EU product number (DCC value set vaccine-medicinal-product). */
static const struct {
    const char *mp, *cvx;
} cvx_of_product[] = {
    { "EU/1/20/1528", "208" }, /* Comirnaty (Pfizer-BioNTech) */
    { "EU/1/20/1507", "207" }, /* Spikevax (Moderna) */
    { "EU/1/21/1529", "210" }, /* Vaxzevria (AstraZeneca) */
    { "EU/1/20/1525", "212" }, /* Jcovden (Janssen) */
    { "EU/1/21/1618", "211" }, /* Nuvaxovid (Novavax) */
};

/* LOINC codes of the DCC test types (DCC value set covid-19-lab-test-type). */
static const struct {
    const char *tt, *loinc;
} loinc_of_test[] = {
    { "LP6464-4", "94500-6" },   /* NAAT -> SARS-CoV-2 RNA [Presence] in Respiratory specimen */
    { "LP217198-3", "94558-4" }, /* RAT -> SARS-CoV-2 Ag [Presence] in Respiratory specimen */
};

#define SYS_CVX    "http://hl7.org/fhir/sid/cvx"
#define SYS_SNOMED "http://snomed.info/sct"
#define SYS_ATC    "http://www.whocc.no/atc"
#define SYS_LOINC  "http://loinc.org"

static const char *
str(const json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

bool
hc_shc_is_dcc_json(const json_t *input)
{
    return json_is_object(json_object_get(input, "nam")) && json_object_get(input, "dob") != NULL &&
           json_object_get(input, "resourceType") == NULL;
}

/* "resource:N" for entry N (SHC spec §"Health Cards are Compact": short resource-scheme URIs). */
static json_t *
ref(size_t n)
{
    char text[32];
    snprintf(text, sizeof text, "resource:%zu", n);
    return json_string(text);
}

static json_t *
patient(const json_t *dcc)
{
    const json_t *nam = json_object_get(dcc, "nam");
    const char *family = str(nam, "fn") != NULL ? str(nam, "fn") : str(nam, "fnt");
    const char *given = str(nam, "gn") != NULL ? str(nam, "gn") : str(nam, "gnt");
    json_t *name = json_object();
    if (family != NULL) {
        json_object_set_new(name, "family", json_string(family));
    }
    if (given != NULL) {
        json_object_set_new(name, "given", json_pack("[s]", given));
    }
    json_t *p = json_pack("{s:s, s:[o]}", "resourceType", "Patient", "name", name);
    const char *dob = str(dcc, "dob");
    if (dob != NULL) {
        json_object_set_new(p, "birthDate", json_string(dob));
    }
    return p;
}

static json_t *
immunization(const json_t *v)
{
    const char *mp = str(v, "mp"), *vp = str(v, "vp");
    json_t *coding = json_array();
    for (size_t i = 0; mp != NULL && i < sizeof cvx_of_product / sizeof cvx_of_product[0]; i++) {
        if (strcmp(mp, cvx_of_product[i].mp) == 0) {
            json_array_append_new(
                coding, json_pack("{s:s, s:s}", "system", SYS_CVX, "code", cvx_of_product[i].cvx));
        }
    }
    if (vp != NULL) {
        /* DCC vaccine-prophylaxis codes are SNOMED CT, except the ATC class J07BX03. */
        json_array_append_new(coding, json_pack("{s:s, s:s}", "system",
                                                vp[0] == 'J' ? SYS_ATC : SYS_SNOMED, "code", vp));
    }
    json_t *imm =
        json_pack("{s:s, s:s, s:{s:o}, s:{s:o}}", "resourceType", "Immunization", "status",
                  "completed", "vaccineCode", "coding", coding, "patient", "reference", ref(0));
    if (str(v, "dt") != NULL) {
        json_object_set_new(imm, "occurrenceDateTime", json_string(str(v, "dt")));
    }
    if (str(v, "is") != NULL) {
        json_object_set_new(imm, "performer",
                            json_pack("[{s:{s:s}}]", "actor", "display", str(v, "is")));
    }
    json_t *dn = json_object_get(v, "dn"), *sd = json_object_get(v, "sd");
    if (json_is_integer(dn) && json_is_integer(sd)) {
        json_object_set_new(imm, "protocolApplied",
                            json_pack("[{s:I, s:I}]", "doseNumberPositiveInt",
                                      (json_int_t)json_integer_value(dn), "seriesDosesPositiveInt",
                                      (json_int_t)json_integer_value(sd)));
    }
    return imm;
}

static json_t *
observation(const json_t *t)
{
    const char *tt = str(t, "tt"), *tr = str(t, "tr");
    const char *loinc = NULL;
    for (size_t i = 0; tt != NULL && i < sizeof loinc_of_test / sizeof loinc_of_test[0]; i++) {
        if (strcmp(tt, loinc_of_test[i].tt) == 0) {
            loinc = loinc_of_test[i].loinc;
        }
    }
    /* An unknown test type keeps its own code (the DCC value set's LOINC part). */
    json_t *obs = json_pack("{s:s, s:s, s:{s:[{s:s, s:s}]}, s:{s:o}}", "resourceType",
                            "Observation", "status", "final", "code", "coding", "system", SYS_LOINC,
                            "code", loinc != NULL ? loinc : (tt != NULL ? tt : "unknown"),
                            "subject", "reference", ref(0));
    if (str(t, "sc") != NULL) {
        json_object_set_new(obs, "effectiveDateTime", json_string(str(t, "sc")));
    }
    if (tr != NULL) {
        json_object_set_new(
            obs, "valueCodeableConcept",
            json_pack("{s:[{s:s, s:s}]}", "coding", "system", SYS_SNOMED, "code", tr));
    }
    if (str(t, "tc") != NULL) {
        json_object_set_new(obs, "performer", json_pack("[{s:s}]", "display", str(t, "tc")));
    }
    return obs;
}

json_t *
hc_shc_bundle_from_dcc(const json_t *dcc, hc_err *err, char *why, size_t why_len)
{
    json_t *v = json_object_get(dcc, "v"), *t = json_object_get(dcc, "t");
    *err = HC_ERR_SCHEMA_INVALID;
    if (json_object_get(dcc, "r") != NULL) {
        snprintf(why, why_len, "a recovery statement (r) has no SMART Health Card form");
        return NULL;
    }
    if (json_array_size(v) + json_array_size(t) == 0) {
        snprintf(why, why_len, "the DCC holds no vaccination (v) or test (t) entry");
        return NULL;
    }
    json_t *entries = json_array();
    size_t n = 0;
    json_array_append_new(entries,
                          json_pack("{s:o, s:o}", "fullUrl", ref(n++), "resource", patient(dcc)));
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        json_array_append_new(
            entries, json_pack("{s:o, s:o}", "fullUrl", ref(n++), "resource", immunization(e)));
    }
    json_array_foreach(t, i, e)
    {
        json_array_append_new(
            entries, json_pack("{s:o, s:o}", "fullUrl", ref(n++), "resource", observation(e)));
    }
    *err = HC_OK;
    return json_pack("{s:s, s:s, s:o}", "resourceType", "Bundle", "type", "collection", "entry",
                     entries);
}
