/*
 * ddcc_convert.c: DDCC -> EU DCC and DDCC -> SMART Health Card bundle (ddcc_convert.h).
 *
 * The record is first read into one view whatever its shape (RC2, RC1 wire form, minimal DVC),
 * then written out. Codes are translated only where the destination's value sets require it and
 * the correspondence is published: ICD-11 COVID-19 vaccine codes to the SNOMED CT / ATC codes of
 * the EU value set vaccine-prophylaxis (WHO SMART immunizations IMMZ.Z.DE26 lists both for each
 * concept), ICD-11 RA01 (COVID-19) to SNOMED CT 840539006, ISO 3166 alpha-3 to alpha-2. An EU DCC
 * that would not pass the EU schema is refused rather than printed.
 */
#include "ddcc_convert.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dcc_schema.h"
#include "hc_msg.h"
#include "iso3166.h"
#include "translit.h"
#include "who_ddcc_fields.h"

/* EU DCC schema release the output is written for (eu-dcc-schema 1.3.0, in force since 2021). */
#define EU_DCC_VERSION "1.3.0"
/* SNOMED CT 840539006 "COVID-19" (EU value set disease-agent-targeted). */
#define SCT_COVID19 "840539006"
#define ICD11_MMS   "http://id.who.int/icd11/mms"

/* ICD-11 COVID-19 vaccine codes and the EU vaccine-prophylaxis codes of the same concept. */
static const struct {
    const char *icd11, *eu;
} vaccine_map[] = {
    { "XM0GQ8", "1119349007" },     /* RNA based -> SARS-CoV-2 mRNA vaccine */
    { "XM9QW8", "29061000087103" }, /* non-replicating viral vector */
    { "XM1NL1", "1157024006" },     /* inactivated virus -> inactivated whole antigen vaccine */
    { "XM5JC5", "1119305005" },     /* virus protein subunit -> SARS-CoV-2 antigen vaccine */
    { "XM3CT4", "1162643001" },     /* recombinant -> recombinant spike protein antigen vaccine */
    { "XM1J92", "30141000087107" }, /* virus like particle */
    { "XM6AT1", "1187593009" },     /* DNA based -> DNA plasmid encoding spike protein vaccine */
    { "XM68M6", "28531000087107" }, /* COVID-19 vaccines -> COVID-19 vaccine */
};
/* Codes already in the EU value set (eu-dcc-valuesets vaccine-prophylaxis.json). */
static const char *const eu_vaccine_codes[] = {
    "1119305005",     "1119349007",     "J07BX03",        "1162643001", "1157024006",
    "29061000087103", "28531000087107", "30141000087107", "1187593009",
};

/* The record, read once. Strings are "" when absent; json members are borrowed. */
typedef struct dview {
    const char *name, *dob, *person_id, *hcid, *issuer;
    bool is_test;
    const json_t *vaccine, *brand, *manufacturer, *maholder, *country, *disease;
    const json_t *dose, *total;
    const char *lot, *date, *centre;
    const json_t *pathogen, *type, *result, *tcentre;
} dview;

static void note(json_t *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(json_t *notes, const char *fmt, ...)
{
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(notes, json_string(buf));
}

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

/* A Coding's code, or a plain string (RC1, DVC). */
static const char *
code(const json_t *c)
{
    return json_is_string(c) ? json_string_value(c) : str(c, "code");
}

static const char *
display(const json_t *c)
{
    const char *d = str(c, "display");
    return d[0] ? d : code(c);
}

/* An Identifier's value, or a plain string. */
static const char *
ident(const json_t *i)
{
    return json_is_string(i) ? json_string_value(i) : str(i, "value");
}

/* The event object, accepting the IG example's one-element array. */
static const json_t *
event(const json_t *p, const char *key)
{
    const json_t *e = json_object_get(p, key);
    return json_is_array(e) && json_array_size(e) == 1 ? json_array_get(e, 0) : e;
}

static void
read_view(const json_t *p, dview *v)
{
    hc_ddcc_shape shape = json_object_get(p, "v") != NULL && json_object_get(p, "n") != NULL
                              ? HC_DDCC_DVC
                              : hc_ddcc_shape_of(p);
    memset(v, 0, sizeof *v);
    if (shape == HC_DDCC_DVC) {
        const json_t *e = json_object_get(p, "v");
        v->name = str(p, "n");
        v->dob = str(p, "dob");
        v->person_id = str(p, "nid");
        v->hcid = "";
        v->issuer = str(e, "is");
        v->vaccine = json_object_get(e, "vp");
        v->brand = json_object_get(e, "mp");
        v->maholder = json_object_get(e, "ma");
        v->disease = json_object_get(e, "tg");
        v->dose = json_object_get(e, "dn");
        v->lot = str(e, "bo");
        v->date = str(e, "dt");
        v->centre = "";
        return;
    }
    const json_t *cert = json_object_get(p, "certificate");
    const json_t *issuer = json_object_get(cert, "issuer");
    v->name = str(p, "name");
    v->dob = str(p, "birthDate");
    v->person_id = ident(json_object_get(p, "identifier"));
    v->hcid = shape == HC_DDCC_RC1 ? str(p, "hcid") : ident(json_object_get(cert, "hcid"));
    v->issuer = str(issuer, "display")[0] ? str(issuer, "display")
                                          : ident(json_object_get(issuer, "identifier"));
    const json_t *t = event(p, "test");
    if (json_is_object(t)) {
        v->is_test = true;
        v->pathogen = json_object_get(t, "pathogen");
        v->type = json_object_get(t, "type");
        v->result = json_object_get(t, "result");
        v->tcentre = json_object_get(t, "centre");
        v->country = json_object_get(t, "country");
        v->brand = json_object_get(t, "brand");
        v->manufacturer = json_object_get(t, "manufacturer");
        v->date = str(t, "date");
        v->centre = "";
        v->lot = "";
        return;
    }
    /* RC2 nests the vaccination, RC1 writes its members at the top level. */
    const json_t *e = shape == HC_DDCC_RC1 ? p : event(p, "vaccination");
    v->vaccine = json_object_get(e, "vaccine");
    v->brand = json_object_get(e, "brand");
    v->manufacturer = json_object_get(e, "manufacturer");
    v->maholder = json_object_get(e, shape == HC_DDCC_RC1 ? "ma_holder" : "maholder");
    v->country = json_object_get(e, "country");
    v->disease = json_object_get(e, "disease");
    v->dose = json_object_get(e, "dose");
    v->total = json_object_get(e, shape == HC_DDCC_RC1 ? "total_doses" : "totalDoses");
    v->lot = str(e, "lot");
    v->date = str(e, "date");
    v->centre = str(e, "centre");
}

/* ---- EU DCC ---- */

static const char *
eu_vaccine(const char *c, json_t *notes)
{
    for (size_t i = 0; i < sizeof eu_vaccine_codes / sizeof eu_vaccine_codes[0]; i++) {
        if (strcmp(c, eu_vaccine_codes[i]) == 0) {
            return c;
        }
    }
    for (size_t i = 0; i < sizeof vaccine_map / sizeof vaccine_map[0]; i++) {
        if (strcmp(c, vaccine_map[i].icd11) == 0) {
            note(notes, "vaccine ICD-11 %s written as the EU value set's %s", c, vaccine_map[i].eu);
            return vaccine_map[i].eu;
        }
    }
    note(notes, "vaccine code %s is not in the EU value set vaccine-prophylaxis; kept as is", c);
    return c;
}

static const char *
eu_disease(const char *c, json_t *notes)
{
    if (c[0] == '\0') {
        note(notes, "no disease targeted given; COVID-19 (%s) assumed, as DDCC is for COVID-19",
             SCT_COVID19);
        return SCT_COVID19;
    }
    /* ICD-11 RA01 is COVID-19, XN109 its agent SARS-CoV-2 (a DDCC:TR's pathogen). */
    if (strncmp(c, "RA01", 4) == 0 || strcmp(c, "XN109") == 0) {
        note(notes, "ICD-11 %s (COVID-19) written as SNOMED CT %s", c, SCT_COVID19);
        return SCT_COVID19;
    }
    if (strcmp(c, SCT_COVID19) != 0) {
        note(notes, "disease %s is not COVID-19; the EU DCC only certifies COVID-19", c);
    }
    return c;
}

/* ISO 3166 alpha-2 for the EU "co" member; NULL when the code names no country. */
static const char *
eu_country(const char *c)
{
    if (strlen(c) == 2 && hc_iso3166_alpha3(c) != NULL) {
        return c;
    }
    return hc_iso3166_alpha2(c);
}

static hc_err
to_eu(const dview *v, json_t *out, json_t *notes, char *msg, size_t msg_len)
{
    char fnt[81];
    if (!hc_translit_icao(v->name, fnt, sizeof fnt)) {
        note(notes, "some characters of the name have no ICAO transliteration and are left out "
                    "of nam.fnt");
    }
    if (fnt[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "the name has no Latin letters for the EU DCC's nam.fnt");
    }
    note(notes, "the DDCC has one name field; the EU DCC's family-name fields (fn, fnt) hold all "
                "of it");
    json_object_set_new(out, "ver", json_string(EU_DCC_VERSION));
    json_object_set_new(out, "nam", json_pack("{s:s, s:s}", "fn", v->name, "fnt", fnt));
    json_object_set_new(out, "dob", json_string(v->dob));

    const char *co = eu_country(code(v->country));
    if (co == NULL) {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "country \"%s\" is no ISO 3166 country (the EU DCC's co)",
                          code(v->country));
    }
    /* WHO's map writes the centre as "is"; a test names its centre as a Coding. */
    const char *is = v->centre[0]                           ? v->centre
                     : v->is_test && display(v->tcentre)[0] ? display(v->tcentre)
                                                            : v->issuer;
    const char *ci = v->hcid[0] ? v->hcid : v->person_id;
    if (is[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "no vaccination centre or certificate issuer for the EU DCC's is");
    }
    if (ci[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "no certificate identifier (certificate.hcid) for the EU DCC's "
                          "ci");
    }
    if (!v->hcid[0]) {
        note(notes, "no certificate.hcid: the person identifier is written as ci, as WHO's "
                    "DDCCtoEUdcc map does");
    }
    json_t *e = json_object();
    json_object_set_new(out, v->is_test ? "t" : "v", json_pack("[o]", e));
    json_object_set_new(e, "co", json_string(co));
    json_object_set_new(e, "is", json_string(is));
    json_object_set_new(e, "ci", json_string(ci));
    if (v->is_test) {
        json_object_set_new(e, "tg", json_string(eu_disease(code(v->pathogen), notes)));
        json_object_set_new(e, "tt", json_string(code(v->type)));
        json_object_set_new(e, "tr", json_string(code(v->result)));
        char sc[40];
        snprintf(sc, sizeof sc, "%s%s", v->date, strchr(v->date, 'T') ? "" : "T00:00:00Z");
        if (!strchr(v->date, 'T')) {
            note(notes, "the test date has no time; sc is midnight UTC of that day");
        }
        json_object_set_new(e, "sc", json_string(sc));
        if (v->tcentre != NULL) {
            json_object_set_new(e, "tc", json_string(display(v->tcentre)));
        }
        if (v->brand != NULL) {
            json_object_set_new(e, "nm", json_string(display(v->brand)));
        }
        return HC_OK;
    }
    if (!json_is_integer(v->dose) || json_integer_value(v->dose) < 1) {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "the dose is not a positive number (the EU DCC's dn)");
    }
    json_int_t dn = json_integer_value(v->dose);
    json_int_t sd = json_is_integer(v->total) ? json_integer_value(v->total) : dn;
    if (!json_is_integer(v->total)) {
        note(notes, "no total doses given; sd is the dose number (%lld)", (long long)dn);
    }
    const char *ma = code(v->maholder)[0] ? code(v->maholder) : code(v->manufacturer);
    if (ma[0] == '\0' || code(v->brand)[0] == '\0' || code(v->vaccine)[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "the EU DCC needs the vaccine, its brand (mp) and its market "
                          "authorisation holder or manufacturer (ma)");
    }
    char dt[11];
    snprintf(dt, sizeof dt, "%.10s", v->date);
    json_object_set_new(e, "tg", json_string(eu_disease(code(v->disease), notes)));
    json_object_set_new(e, "vp", json_string(eu_vaccine(code(v->vaccine), notes)));
    json_object_set_new(e, "mp", json_string(code(v->brand)));
    json_object_set_new(e, "ma", json_string(ma));
    json_object_set_new(e, "dn", json_integer(dn));
    json_object_set_new(e, "sd", json_integer(sd));
    json_object_set_new(e, "dt", json_string(dt));
    return HC_OK;
}

/* ---- SMART Health Card bundle ---- */

/* A FHIR Coding {system, code} from a DDCC Coding (or a bare ICD-11 code of the DVC). */
static json_t *
coding(const json_t *c, json_t *notes)
{
    const char *sys = str(c, "system");
    const char *cd = code(c);
    if (sys[0] == '\0' && strncmp(cd, "XM", 2) == 0) {
        note(notes, "code %s has no system; written as ICD-11 MMS", cd);
        sys = ICD11_MMS;
    }
    return sys[0] ? json_pack("{s:s, s:s}", "system", sys, "code", cd)
                  : json_pack("{s:s}", "code", cd);
}

static hc_err
to_shc(const dview *v, json_t *out, json_t *notes, char *msg, size_t msg_len)
{
    json_t *patient =
        json_pack("{s:s, s:[{s:s}]}", "resourceType", "Patient", "name", "text", v->name);
    if (v->dob[0]) {
        json_object_set_new(patient, "birthDate", json_string(v->dob));
    }
    json_t *event = json_object();
    const char *performer = v->centre[0] ? v->centre : v->issuer;
    if (v->is_test) {
        json_object_set_new(event, "resourceType", json_string("Observation"));
        json_object_set_new(event, "status", json_string("final"));
        json_object_set_new(event, "code", json_pack("{s:[o]}", "coding", coding(v->type, notes)));
        json_object_set_new(event, "subject", json_pack("{s:s}", "reference", "resource:0"));
        json_object_set_new(event, "effectiveDateTime", json_string(v->date));
        if (v->result != NULL) {
            json_object_set_new(event, "valueCodeableConcept",
                                json_pack("{s:[o]}", "coding", coding(v->result, notes)));
        }
        if (v->tcentre != NULL) {
            performer = display(v->tcentre);
        }
        if (performer[0]) {
            json_object_set_new(event, "performer", json_pack("[{s:s}]", "display", performer));
        }
    } else {
        json_object_set_new(event, "resourceType", json_string("Immunization"));
        json_object_set_new(event, "status", json_string("completed"));
        json_object_set_new(event, "vaccineCode",
                            json_pack("{s:[o]}", "coding", coding(v->vaccine, notes)));
        json_object_set_new(event, "patient", json_pack("{s:s}", "reference", "resource:0"));
        json_object_set_new(event, "occurrenceDateTime", json_string(v->date));
        /* DDCCtoSHC: the market authorisation holder, else the manufacturer, as an identifier. */
        const json_t *m = code(v->maholder)[0] ? v->maholder : v->manufacturer;
        if (code(m)[0]) {
            json_t *id = json_pack("{s:s}", "value", code(m));
            if (str(m, "system")[0]) {
                json_object_set_new(id, "system", json_string(str(m, "system")));
            }
            json_object_set_new(event, "manufacturer", json_pack("{s:o}", "identifier", id));
        }
        if (v->lot[0]) {
            json_object_set_new(event, "lotNumber", json_string(v->lot));
        }
        if (performer[0]) {
            json_object_set_new(event, "performer",
                                json_pack("[{s:{s:s}}]", "actor", "display", performer));
        }
        note(notes, "SMART Health Cards carry no dose number (protocolApplied is not allowed in "
                    "their profiles): the dose is not in the bundle");
    }
    note(notes, "the certificate's issuer, identifier (hcid) and version have no place in a "
                "SMART Health Card bundle");
    json_object_set_new(out, "resourceType", json_string("Bundle"));
    json_object_set_new(out, "type", json_string("collection"));
    json_object_set_new(out, "entry",
                        json_pack("[{s:s, s:o}, {s:s, s:o}]", "fullUrl", "resource:0", "resource",
                                  patient, "fullUrl", "resource:1", "resource", event));
    (void)msg;
    (void)msg_len;
    return json_object_size(out) == 3 ? HC_OK : HC_ERR_NOMEM;
}

hc_err
hc_ddcc_convert(const json_t *ddcc, hc_ddcc_target target, json_t **out, json_t **notes, char *msg,
                size_t msg_len)
{
    dview v;
    *out = NULL;
    if (notes != NULL) {
        *notes = NULL;
    }
    if (!json_is_object(ddcc)) {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "the input is not a JSON object (a DDCC core data set)");
    }
    read_view(ddcc, &v);
    if (v.name[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len, "the record has no name");
    }
    if (!v.is_test && v.vaccine == NULL) {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                          "the record holds neither a vaccination nor a test");
    }
    if (v.date[0] == '\0') {
        return hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len, "the %s has no date",
                          v.is_test ? "test" : "vaccination");
    }
    json_t *o = json_object(), *n = json_array();
    if (o == NULL || n == NULL) {
        json_decref(o);
        json_decref(n);
        return HC_ERR_NOMEM;
    }
    hc_err e = target == HC_DDCC_TO_EU_DCC ? to_eu(&v, o, n, msg, msg_len)
                                           : to_shc(&v, o, n, msg, msg_len);
    if (e == HC_OK && target == HC_DDCC_TO_EU_DCC) {
        /* What comes out must be a DCC the EU verifiers accept. */
        char why[200];
        if (hc_dcc_schema_validate(o, why, sizeof why) != HC_OK) {
            e = hc_msg_err(HC_ERR_SCHEMA_INVALID, msg, msg_len,
                           "the mapped EU DCC breaks the EU schema: %s", why);
        }
    }
    if (e != HC_OK) {
        json_decref(o);
        json_decref(n);
        return e;
    }
    *out = o;
    if (notes != NULL) {
        *notes = n;
    } else {
        json_decref(n);
    }
    return HC_OK;
}
