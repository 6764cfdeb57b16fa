/* verdict.c: building and clearing verdicts (see verify.h, verdict_build.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verdict_build.h"

void
hc_verdict_init(hc_verdict *vd)
{
    memset(vd, 0, sizeof *vd);
}

void
hc_verdict_clear(hc_verdict *vd)
{
    if (vd == NULL) {
        return;
    }
    json_decref(vd->payload);
    json_decref(vd->details);
    hc_verdict_init(vd);
}

void
hc_verdict_check(hc_verdict *vd, const char *name, bool ok)
{
    if (vd->n_checks == HC_VERDICT_MAX_CHECKS) {
        return;
    }
    hc_check *c = &vd->checks[vd->n_checks++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->ok = ok;
}

bool
hc_verdict_check_passed(const hc_verdict *vd, const char *name)
{
    for (size_t i = 0; i < vd->n_checks; i++) {
        if (strcmp(vd->checks[i].name, name) == 0) {
            return vd->checks[i].ok;
        }
    }
    return false;
}

void
hc_verdict_fail(hc_verdict *vd, hc_err code, const char *fmt, ...)
{
    vd->valid = false;
    if (vd->n_errors == HC_VERDICT_MAX_ERRORS) {
        return;
    }
    hc_verdict_error *e = &vd->errors[vd->n_errors++];
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

hc_err
hc_verdict_first_error(const hc_verdict *vd)
{
    return vd->n_errors > 0 ? vd->errors[0].code : HC_OK;
}

/* Length of the UTF-8 sequence starting with byte b (1 for invalid lead bytes). */
static size_t
utf8_len(unsigned char b)
{
    if (b < 0x80) {
        return 1;
    }
    if ((b & 0xe0) == 0xc0) {
        return 2;
    }
    if ((b & 0xf0) == 0xe0) {
        return 3;
    }
    if ((b & 0xf8) == 0xf0) {
        return 4;
    }
    return 1;
}

void
hc_verdict_copy_text(char *dst, size_t cap, const char *s, size_t len)
{
    size_t o = 0;
    if (cap == 0) {
        return;
    }
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        size_t n = utf8_len(b);
        if (n > len - i) {
            break;
        }
        bool drop = b < 0x20 || b == 0x7f;
        /* U+0080..U+009F (C1 controls): C2 80..C2 9F. */
        if (n == 2 && b == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
            drop = true;
        }
        /* U+200E/200F, U+202A..U+202E, U+2066..U+2069: bidi marks and overrides. */
        if (n == 3 && b == 0xe2) {
            unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];
            if ((b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || (b2 >= 0xaa && b2 <= 0xae))) ||
                (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) {
                drop = true;
            }
        }
        if (!drop) {
            if (o + n >= cap) {
                break;
            }
            memcpy(dst + o, s + i, n);
            o += n;
        }
        i += n;
    }
    dst[o] = 0;
}
