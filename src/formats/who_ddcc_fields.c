/*
 * who_ddcc_fields.c: DDCC payload shapes and their display fields (who_ddcc_fields.h).
 *
 * Member names: RC2 from WHO ddcc-core-data-set.fsh (vaccination.vaccine, .dose, .totalDoses,
 * .date, .country; test.type, .result, .date, .country), RC1 from ddcc-validator WhoModel.kt
 * (vaccine, dose, total_doses, date, country at the top level), DVC from the gdhcn-validator
 * samples (n, dob, v.vp, v.dn, v.dt). Everything else stays in the payload.
 */
#include "who_ddcc_fields.h"

#include <stdio.h>
#include <string.h>

#include "format_schema.h"
#include "verdict_build.h"

/* Members only the RC1 wire form has at its top level. */
static const char *const rc1_only[] = {
    "hcid", "valid_from", "valid_until", "vaccine", "total_doses", "ma_holder", "meta", "hw", "pha",
};

const char *
hc_ddcc_shape_model(hc_ddcc_shape shape)
{
    switch (shape) {
    case HC_DDCC_VS: return HC_MODEL_DDCC_VS;
    case HC_DDCC_TR: return HC_MODEL_DDCC_TR;
    case HC_DDCC_DVC: return HC_MODEL_DVC_MIN;
    default: return HC_MODEL_DDCC_RC1;
    }
}

const char *
hc_ddcc_shape_name(hc_ddcc_shape shape)
{
    switch (shape) {
    case HC_DDCC_VS: return "DDCC:VS";
    case HC_DDCC_TR: return "DDCC:TR";
    case HC_DDCC_DVC: return "DVC";
    default: return "DDCC RC1";
    }
}

hc_ddcc_shape
hc_ddcc_shape_of(const json_t *p)
{
    if (json_object_get(p, "vaccination") != NULL) {
        return HC_DDCC_VS;
    }
    for (size_t i = 0; i < sizeof rc1_only / sizeof rc1_only[0]; i++) {
        if (json_object_get(p, rc1_only[i]) != NULL) {
            return HC_DDCC_RC1;
        }
    }
    return json_object_get(p, "test") != NULL ? HC_DDCC_TR : HC_DDCC_RC1;
}

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

/* A Coding's display text, else its code; a plain string as it is (RC1 allows both). */
static const char *
coded(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    const char *d = str(v, "display");
    return d[0] != '\0' ? d : str(v, "code");
}

/* A Coding's code (for codes a reader looks up, such as country codes). */
static const char *
code(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : str(v, "code");
}

/* Dose numbers are positiveInt in RC1/RC2 and text ("Primary") in the DVC samples. */
static void
dose_text(const json_t *v, char *buf, size_t cap)
{
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
    } else if (json_is_string(v)) {
        snprintf(buf, cap, "%s", json_string_value(v));
    } else {
        buf[0] = '\0';
    }
}

static void
set_summary(hc_verdict *vd, const char *s)
{
    hc_verdict_copy_text(vd->summary, sizeof vd->summary, s, strlen(s));
}

/* A vaccination: "<vaccine>, dose d/t, <date>, <country>" (the type is shown apart). */
static void
summarize_vaccination(hc_verdict *vd, const char *vaccine, const json_t *dose, const json_t *total,
                      const char *date, const char *country)
{
    char d[24], t[24], buf[320];
    dose_text(dose, d, sizeof d);
    dose_text(total, t, sizeof t);
    snprintf(buf, sizeof buf, "%s, dose %s%s%s, %s%s%s", vaccine[0] ? vaccine : "vaccine ?",
             d[0] ? d : "?", t[0] ? "/" : "", t, date[0] ? date : "date unknown",
             country[0] ? ", " : "", country);
    snprintf(vd->type, sizeof vd->type, "v");
    set_summary(vd, buf);
}

/* A test: "<type>, <result>, sampled <date>, <country>". */
static void
summarize_test(hc_verdict *vd, const json_t *test)
{
    char buf[320];
    const char *result = coded(test, "result");
    snprintf(buf, sizeof buf, "%s, %s, sampled %s%s%s", coded(test, "type"),
             result[0] ? result : "result not given", str(test, "date"),
             code(test, "country")[0] ? ", " : "", code(test, "country"));
    snprintf(vd->type, sizeof vd->type, "t");
    set_summary(vd, buf);
}

void
hc_ddcc_fill_fields(const json_t *p, hc_ddcc_shape shape, hc_verdict *vd)
{
    const char *name = str(p, shape == HC_DDCC_DVC ? "n" : "name");
    const char *dob = str(p, shape == HC_DDCC_DVC ? "dob" : "birthDate");

    vd->has_subject = true;
    hc_verdict_copy_text(vd->subject_name, sizeof vd->subject_name, name, strlen(name));
    hc_verdict_copy_text(vd->subject_dob, sizeof vd->subject_dob, dob, strlen(dob));

    const json_t *test = json_object_get(p, "test");
    switch (shape) {
    case HC_DDCC_VS: {
        const json_t *v = json_object_get(p, "vaccination");
        summarize_vaccination(vd, coded(v, "vaccine"), json_object_get(v, "dose"),
                              json_object_get(v, "totalDoses"), str(v, "date"), code(v, "country"));
        break;
    }
    case HC_DDCC_TR: summarize_test(vd, test); break;
    case HC_DDCC_RC1:
        if (json_is_object(test)) {
            summarize_test(vd, test);
        } else {
            summarize_vaccination(vd, coded(p, "vaccine"), json_object_get(p, "dose"),
                                  json_object_get(p, "total_doses"), str(p, "date"),
                                  code(p, "country"));
        }
        break;
    case HC_DDCC_DVC: {
        const json_t *v = json_object_get(p, "v");
        /* "ntl" is the holder's nationality, not where the dose was given: no country. */
        summarize_vaccination(vd, str(v, "vp"), json_object_get(v, "dn"), NULL, str(v, "dt"), "");
        break;
    }
    }
}
