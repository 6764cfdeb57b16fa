/*
 * vdsnc_fields.c: display fields of VDS-NC seals (vdsnc_fields.h). Member names from the ICAO
 * VDS-NC technical report (shared/reference/other-formats.md §4): hdr{t, v, is}, msg.pid{n, dob},
 * icao.vacc msg.ve[]{nam, des, vd[]{dvc, seq, ctr}}, icao.test msg{tr{tc, r}, dat{sc}, sp{ctr}}.
 */
#include "vdsnc_fields.h"

#include <stdio.h>
#include <string.h>

#include "verdict_build.h"

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

void
hc_vdsnc_display_name(const char *n, char *out, size_t cap)
{
    const char *split = strstr(n, "  ");
    if (split == NULL || cap == 0) {
        snprintf(out, cap, "%s", n);
        return;
    }
    const char *secondary = split;
    while (*secondary == ' ') {
        secondary++;
    }
    if (*secondary == '\0') {
        snprintf(out, cap, "%.*s", (int)(split - n), n);
    } else {
        snprintf(out, cap, "%s %.*s", secondary, (int)(split - n), n);
    }
}

/* The most recent dose of an icao.vacc message: "nam, dose seq, dvc, ctr (k doses)". */
static void
summarize_vacc(const json_t *msg, char *buf, size_t cap)
{
    const json_t *ve = json_object_get(msg, "ve");
    const json_t *best_ve = NULL, *best_vd = NULL;
    size_t doses = 0, i, j;
    json_t *e, *d;

    json_array_foreach(ve, i, e)
    {
        json_array_foreach(json_object_get(e, "vd"), j, d)
        {
            doses++;
            /* ISO 8601 dates compare as text. */
            if (best_vd == NULL || strcmp(str(d, "dvc"), str(best_vd, "dvc")) >= 0) {
                best_ve = e;
                best_vd = d;
            }
        }
    }
    if (best_vd == NULL) {
        snprintf(buf, cap, "no vaccination event");
        return;
    }
    json_int_t seq = json_integer_value(json_object_get(best_vd, "seq"));
    snprintf(buf, cap, "%s, dose %lld, %s%s%s", str(best_ve, "nam"), (long long)seq,
             str(best_vd, "dvc"), str(best_vd, "ctr")[0] ? ", " : "", str(best_vd, "ctr"));
    if (doses > 1) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, " (%zu doses recorded)", doses);
    }
}

void
hc_vdsnc_fill_fields(const json_t *data, hc_verdict *vd)
{
    const json_t *hdr = json_object_get(data, "hdr");
    const json_t *msg = json_object_get(data, "msg");
    const json_t *pid = json_object_get(msg, "pid");
    const char *t = str(hdr, "t");
    char name[256], buf[256];

    vd->has_subject = true;
    hc_vdsnc_display_name(str(pid, "n"), name, sizeof name);
    hc_verdict_copy_text(vd->subject_name, sizeof vd->subject_name, name, strlen(name));
    hc_verdict_copy_text(vd->subject_dob, sizeof vd->subject_dob, str(pid, "dob"),
                         strlen(str(pid, "dob")));
    vd->has_issuer = true;
    hc_verdict_copy_text(vd->issuer_country, sizeof vd->issuer_country, str(hdr, "is"),
                         strlen(str(hdr, "is")));
    buf[0] = '\0';
    if (strcmp(t, "icao.vacc") == 0) {
        snprintf(vd->type, sizeof vd->type, "v");
        summarize_vacc(msg, buf, sizeof buf);
    } else if (strcmp(t, "icao.test") == 0) {
        const json_t *tr = json_object_get(msg, "tr");
        snprintf(vd->type, sizeof vd->type, "t");
        snprintf(buf, sizeof buf, "%s, %s, sampled %s%s%s", str(tr, "tc"), str(tr, "r"),
                 str(json_object_get(msg, "dat"), "sc"),
                 str(json_object_get(msg, "sp"), "ctr")[0] ? ", " : "",
                 str(json_object_get(msg, "sp"), "ctr"));
    }
    hc_verdict_copy_text(vd->summary, sizeof vd->summary, buf, strlen(buf));
}
