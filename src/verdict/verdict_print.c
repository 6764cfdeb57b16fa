/*
 * verdict_print.c: the verdict for a person at a checkpoint: one unmistakable VALID / INVALID
 * line, then who (name, date of birth), what (type), by whom (issuer) and, when invalid, each
 * failed check with its code and a plain-language reason.
 */
#include <string.h>

#include "hctime.h"
#include "verdict_build.h"

#define GREEN "\033[1;97;42m"
#define RED   "\033[1;97;41m"
#define RESET "\033[0m"

static const char *
type_name(const char *type)
{
    if (strcmp(type, "v") == 0) {
        return "vaccination";
    }
    if (strcmp(type, "t") == 0) {
        return "test";
    }
    if (strcmp(type, "r") == 0) {
        return "recovery";
    }
    return type;
}

void
hc_verdict_print(FILE *out, const hc_verdict *vd, bool color)
{
    if (vd->valid) {
        fprintf(out, "%s VALID %s\n", color ? GREEN : "", color ? RESET : "");
    } else {
        fprintf(out, "%s INVALID %s\n", color ? RED : "", color ? RESET : "");
    }
    hc_verdict_print_fields(out, vd);
}

void
hc_verdict_print_fields(FILE *out, const hc_verdict *vd)
{
    char t[32];

    if (vd->has_subject) {
        fprintf(out, "  Name:          %s\n", vd->subject_name[0] ? vd->subject_name : "(none)");
        fprintf(out, "  Date of birth: %s\n", vd->subject_dob[0] ? vd->subject_dob : "(none)");
    }
    if (vd->format != NULL) {
        fprintf(out, "  Type:          %s", vd->type[0] ? type_name(vd->type) : "(unknown)");
        if (vd->summary[0]) {
            fprintf(out, " (%s)", vd->summary);
        }
        fprintf(out, "  [%s]\n", vd->format);
    }
    if (vd->has_issuer) {
        /* Formats without a country (SMART Health Cards, VC-JWT) name the issuer by URL / DID. */
        if (vd->issuer_country[0] || !vd->issuer_name[0]) {
            fprintf(out, "  Issuer:        %s%s", vd->issuer_country[0] ? vd->issuer_country : "?",
                    vd->issuer_name[0] ? ", " : "");
        } else {
            fprintf(out, "  Issuer:        ");
        }
        fprintf(out, "%s", vd->issuer_name);
        if (vd->issuer_kid[0]) {
            fprintf(out, " (key %s)", vd->issuer_kid);
        }
        fputc('\n', out);
    }
    if (vd->has_issued_at) {
        hc_time_format(vd->issued_at_ms, false, t, sizeof t);
        fprintf(out, "  Issued:        %s\n", t);
    }
    if (vd->has_expires_at) {
        hc_time_format(vd->expires_at_ms, false, t, sizeof t);
        fprintf(out, "  Expires:       %s\n", t);
    }
    if (vd->n_errors > 0) {
        fprintf(out, "  Failed checks:\n");
        for (size_t i = 0; i < vd->n_errors; i++) {
            fprintf(out, "    %-20s %s\n", hc_err_code(vd->errors[i].code),
                    vd->errors[i].message[0] ? vd->errors[i].message
                                             : hc_err_str(vd->errors[i].code));
        }
    }
}
