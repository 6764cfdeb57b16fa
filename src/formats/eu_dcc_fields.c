/*
 * eu_dcc_fields.c: the few fields of an EU DCC (eu-dcc-schema DCC.Core.Types / DCC.Types) that a
 * verifier displays. Everything else stays in the payload.
 */
#include <string.h>

#include "eu_dcc_fields.h"
#include "verdict_build.h"

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "JIRINA<MARIA" -> "JIRINA MARIA": ICAO 9303 filler '<' separates name parts. */
static void
untransliterate(char *s)
{
    for (; *s; s++) {
        if (*s == '<') {
            *s = ' ';
        }
    }
}

static void
fill_name(const json_t *nam, hc_verdict *vd)
{
    char given[128], family[128], full[256];
    const char *gn = str(nam, "gn"), *fn = str(nam, "fn");
    /* Prefer the names as written (fn/gn); fall back to the transliterated forms (fnt/gnt),
     * which are the only mandatory ones (schema 1.3.2: anyOf fnt|gnt). */
    if (gn[0] == 0 && fn[0] == 0) {
        gn = str(nam, "gnt");
        fn = str(nam, "fnt");
    }
    hc_verdict_copy_text(given, sizeof given, gn, strlen(gn));
    hc_verdict_copy_text(family, sizeof family, fn, strlen(fn));
    untransliterate(given);
    untransliterate(family);
    snprintf(full, sizeof full, "%s%s%s", given, given[0] && family[0] ? " " : "", family);
    hc_verdict_copy_text(vd->subject_name, sizeof vd->subject_name, full, strlen(full));
}

/* Display names of the few coded values a checkpoint reads (eu-dcc-valuesets 2.12.0). */
static const char *
test_type(const char *code)
{
    if (strcmp(code, "LP6464-4") == 0) {
        return "NAAT (PCR)";
    }
    if (strcmp(code, "LP217198-3") == 0) {
        return "rapid antigen";
    }
    return code;
}

static const char *
test_result(const char *code)
{
    if (strcmp(code, "260415000") == 0) {
        return "not detected";
    }
    if (strcmp(code, "260373001") == 0) {
        return "detected";
    }
    return code;
}

void
hc_eu_dcc_fill_fields(const json_t *dcc, hc_verdict *vd)
{
    const json_t *nam = json_object_get(dcc, "nam");
    const char *dob = str(dcc, "dob");
    char buf[160];

    vd->has_subject = true;
    if (json_is_object(nam)) {
        fill_name(nam, vd);
    }
    hc_verdict_copy_text(vd->subject_dob, sizeof vd->subject_dob, dob, strlen(dob));

    static const char *const groups[] = { "v", "t", "r" };
    for (size_t g = 0; g < 3; g++) {
        const json_t *arr = json_object_get(dcc, groups[g]);
        const json_t *e = json_array_get(arr, 0);
        if (!json_is_object(e)) {
            continue;
        }
        snprintf(vd->type, sizeof vd->type, "%s", groups[g]);
        switch (g) {
        case 0:
            snprintf(buf, sizeof buf, "dose %lld/%lld, %s",
                     (long long)json_integer_value(json_object_get(e, "dn")),
                     (long long)json_integer_value(json_object_get(e, "sd")), str(e, "dt"));
            break;
        case 1:
            snprintf(buf, sizeof buf, "%s, %s, sampled %s", test_type(str(e, "tt")),
                     test_result(str(e, "tr")), str(e, "sc"));
            break;
        default:
            snprintf(buf, sizeof buf, "first positive %s, valid %s to %s", str(e, "fr"),
                     str(e, "df"), str(e, "du"));
            break;
        }
        hc_verdict_copy_text(vd->summary, sizeof vd->summary, buf, strlen(buf));
        break;
    }
}
