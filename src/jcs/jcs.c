/*
 * jcs.c: RFC 8785 JSON canonicalization (jcs.h).
 *
 * Invariants:
 *   - The output buffer never grows past the caller's max: every append checks first.
 *   - Recursion depth is bounded by HC_MAX_JSON_DEPTH (the depth of the value, not of the input
 *     text), so a hostile value cannot exhaust the stack.
 *   - Member names are sorted on a temporary array of pointers per object; nothing else
 *     allocates.
 */
#include "jcs.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"

typedef struct out_buf {
    char *data;
    size_t len, cap, max;
    hc_err err; /* sticky */
} out_buf;

static void
put(out_buf *b, const char *s, size_t n)
{
    if (b->err != HC_OK) {
        return;
    }
    if (n > b->max - b->len) {
        b->err = HC_ERR_INPUT_TOO_LARGE;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        if (b->max < SIZE_MAX && cap > b->max + 1) {
            cap = b->max + 1;
        }
        char *grown = realloc(b->data, cap);
        if (grown == NULL) {
            b->err = HC_ERR_NOMEM;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
put_char(out_buf *b, char c)
{
    put(b, &c, 1);
}

/* ---- numbers (ECMA-262 Number::toString, radix 10) ---- */

hc_err
hc_jcs_number(double v, char *buf, size_t cap, size_t *len)
{
    char sci[40], digits[20], out[HC_JCS_NUMBER_MAX];
    size_t k = 0, o = 0;

    if (!isfinite(v)) {
        return HC_ERR_STRUCTURE_INVALID; /* RFC 8785 §3.2.2.3: NaN and Infinity are errors */
    }
    if (cap < HC_JCS_NUMBER_MAX) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    if (v == 0) {
        /* Step 2 of Number::toString: +0 and -0 are both "0". */
        memcpy(buf, "0", 2);
        *len = 1;
        return HC_OK;
    }
    /* The shortest digit string that reads back as v (ECMA-262 step 5: "k is as small as
     * possible"). printf's %e is correctly rounded, so at a given precision it yields the digits
     * closest to v, which is the tie rule of the same step. 17 significant digits always suffice
     * for a double (IEEE 754-2008 §5.12.2). */
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(sci, sizeof sci, "%.*e", p - 1, v);
        if (strtod(sci, NULL) == v) {
            break;
        }
    }
    /* sci is [-]d[.ddd]e(+|-)xx: collect the digits and the decimal exponent. */
    const char *s = sci;
    bool negative = *s == '-';
    s += negative;
    while (*s != 'e' && *s != '\0') {
        if (*s >= '0' && *s <= '9' && k < sizeof digits) {
            digits[k++] = *s;
        }
        s++;
    }
    if (*s != 'e' || k == 0) {
        return HC_ERR_INTERNAL;
    }
    long e = strtol(s + 1, NULL, 10);
    long n = e + 1; /* ECMA-262: the value is 0.digits x 10^n */

    if (negative) {
        out[o++] = '-';
    }
    if ((long)k <= n && n <= 21) {
        /* Integers below 10^21: the digits, then n - k zeros. */
        memcpy(out + o, digits, k);
        o += k;
        for (long i = (long)k; i < n; i++) {
            out[o++] = '0';
        }
    } else if (0 < n && n <= 21) {
        /* A decimal point inside the digits. */
        memcpy(out + o, digits, (size_t)n);
        o += (size_t)n;
        out[o++] = '.';
        memcpy(out + o, digits + n, k - (size_t)n);
        o += k - (size_t)n;
    } else if (-6 < n && n <= 0) {
        /* Small numbers down to 1e-6 keep the plain notation: 0.000001. */
        out[o++] = '0';
        out[o++] = '.';
        for (long i = 0; i < -n; i++) {
            out[o++] = '0';
        }
        memcpy(out + o, digits, k);
        o += k;
    } else {
        /* Exponential: d[.ddd]e+x / e-x (the sign is always written). */
        out[o++] = digits[0];
        if (k > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, k - 1);
            o += k - 1;
        }
        int w = snprintf(out + o, sizeof out - o, "e%c%ld", n - 1 >= 0 ? '+' : '-',
                         n - 1 >= 0 ? n - 1 : -(n - 1));
        if (w < 0 || (size_t)w >= sizeof out - o) {
            return HC_ERR_INTERNAL;
        }
        o += (size_t)w;
    }
    out[o] = '\0';
    memcpy(buf, out, o + 1);
    *len = o;
    return HC_OK;
}

/* ---- strings ---- */

static void
put_string(out_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* start of the pending run of bytes copied as they are */

    put_char(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c < 0x20) {
            /* JSON.stringify's QuoteJSONString: the five short escapes, else \u00xx. */
            switch (c) {
            case '\b': esc = "\\b"; break;
            case '\t': esc = "\\t"; break;
            case '\n': esc = "\\n"; break;
            case '\f': esc = "\\f"; break;
            case '\r': esc = "\\r"; break;
            default:
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hex[c >> 4];
                u[5] = hex[c & 15];
                u[6] = '\0';
                esc = u;
                break;
            }
        }
        if (esc != NULL) {
            put(b, s + run, i - run);
            put(b, esc, strlen(esc));
            run = i + 1;
        }
    }
    put(b, s + run, n - run);
    put_char(b, '"');
}

/* ---- member order ---- */

/* Next code point of valid UTF-8 at s[*i], advancing *i. */
static uint32_t
next_code_point(const unsigned char *s, size_t n, size_t *i)
{
    uint32_t c = s[*i];
    size_t extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
    if (extra > 0) {
        c &= 0x3f >> extra;
    }
    (*i)++;
    for (size_t j = 0; j < extra && *i < n; j++, (*i)++) {
        c = (c << 6) | (s[*i] & 0x3f);
    }
    return c;
}

/* A cursor yielding the UTF-16 code units of a UTF-8 string. */
typedef struct utf16_cursor {
    const unsigned char *s;
    size_t n, i;
    uint16_t pending; /* low surrogate still to yield, 0 when none */
} utf16_cursor;

static bool
next_unit(utf16_cursor *c, uint16_t *unit)
{
    if (c->pending != 0) {
        *unit = c->pending;
        c->pending = 0;
        return true;
    }
    if (c->i >= c->n) {
        return false;
    }
    uint32_t cp = next_code_point(c->s, c->n, &c->i);
    if (cp >= 0x10000) {
        /* RFC 2781 §2.1: a supplementary character becomes a surrogate pair. */
        cp -= 0x10000;
        *unit = (uint16_t)(0xd800 | (cp >> 10));
        c->pending = (uint16_t)(0xdc00 | (cp & 0x3ff));
        return true;
    }
    *unit = (uint16_t)cp;
    return true;
}

int
hc_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    utf16_cursor ca = { (const unsigned char *)a, alen, 0, 0 };
    utf16_cursor cb = { (const unsigned char *)b, blen, 0, 0 };
    for (;;) {
        uint16_t ua, ub;
        bool ha = next_unit(&ca, &ua), hb = next_unit(&cb, &ub);
        if (!ha || !hb) {
            return ha == hb ? 0 : ha ? 1 : -1; /* a proper prefix sorts first */
        }
        if (ua != ub) {
            return ua < ub ? -1 : 1;
        }
    }
}

static int
member_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    return hc_jcs_key_cmp(a, strlen(a), b, strlen(b));
}

/* ---- values ---- */

static void
put_value(out_buf *b, const json_t *v, int depth)
{
    char num[HC_JCS_NUMBER_MAX];
    size_t n;

    if (b->err != HC_OK) {
        return;
    }
    if (depth > HC_MAX_JSON_DEPTH) {
        b->err = HC_ERR_STRUCTURE_INVALID;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_NULL: put(b, "null", 4); break;
    case JSON_TRUE: put(b, "true", 4); break;
    case JSON_FALSE: put(b, "false", 5); break;
    case JSON_INTEGER:
    case JSON_REAL: {
        double d = json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
        hc_err err = hc_jcs_number(d, num, sizeof num, &n);
        if (err != HC_OK) {
            b->err = err;
            return;
        }
        put(b, num, n);
        break;
    }
    case JSON_STRING: put_string(b, json_string_value(v), json_string_length(v)); break;
    case JSON_ARRAY:
        put_char(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0) {
                put_char(b, ',');
            }
            put_value(b, json_array_get(v, i), depth + 1);
        }
        put_char(b, ']');
        break;
    case JSON_OBJECT: {
        size_t count = json_object_size(v), i = 0;
        const char *key;
        json_t *member;
        const char **keys = count > 0 ? malloc(count * sizeof *keys) : NULL;
        if (count > 0 && keys == NULL) {
            b->err = HC_ERR_NOMEM;
            return;
        }
        json_object_foreach((json_t *)v, key, member)
        {
            keys[i++] = key;
        }
        if (count > 1) {
            qsort(keys, count, sizeof *keys, member_cmp); /* qsort(NULL, 0) is undefined */
        }
        put_char(b, '{');
        for (i = 0; i < count; i++) {
            if (i > 0) {
                put_char(b, ',');
            }
            put_string(b, keys[i], strlen(keys[i]));
            put_char(b, ':');
            put_value(b, json_object_get(v, keys[i]), depth + 1);
        }
        put_char(b, '}');
        free(keys);
        break;
    }
    default: b->err = HC_ERR_STRUCTURE_INVALID; break;
    }
}

hc_err
hc_jcs_serialize(const json_t *value, size_t max, char **out, size_t *out_len)
{
    out_buf b = { NULL, 0, 0, max, HC_OK };

    if (value == NULL || out == NULL || out_len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *out = NULL;
    *out_len = 0;
    put_value(&b, value, 1);
    if (b.err == HC_OK && b.data == NULL) {
        b.err = HC_ERR_INTERNAL; /* every value writes at least one byte */
    }
    if (b.err != HC_OK) {
        free(b.data);
        return b.err;
    }
    *out = b.data;
    *out_len = b.len;
    return HC_OK;
}
