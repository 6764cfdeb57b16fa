/*
 * svc_json.c: the verdict answer of POST /v1/verify written straight to text (svc_json.h).
 *
 * Why not hc_verdict_to_json + json_dumps: that builds a jansson tree of about twenty objects
 * (each a hash table), then jansson's dumper walks it through a callback per token, with a
 * cycle-check hash table and a snprintf of every container's address, into a buffer that grows
 * from 16 bytes and is copied once more at the end. Under load that was about 14 us of the
 * service's ~125 us per verification. Here the verdict's fields are written in the order
 * hc_verdict_to_json sets them, and the payload tree (which the pipeline built already) is walked
 * once, into one buffer that rarely grows.
 *
 * The output must stay byte-identical to the jansson path, including its corner cases, because
 * clients may compare answers: strings are escaped exactly as jansson 2.14 escapes them (", \ and
 * control characters, \u00XX in upper-case hex; "/" and non-ASCII as they are), a member whose
 * string jansson would refuse (not UTF-8) is left out as json_pack/json_object_set_new leave it
 * out, and reals are printed by jansson itself. tests/unit/service/test_svc_json.c compares the
 * two on every test vector and on hostile payloads.
 */
#include "svc_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hc_utf8.h"
#include "hctime.h"

/* Nesting the writer follows at most (jansson's own parser limit); payloads come from decoders
 * with far smaller limits (CBOR depth 16), this only bounds the stack. */
#define MAX_DEPTH 2048

void
svc_text_free(svc_text *t)
{
    if (t->data != NULL) {
        explicit_bzero(t->data, t->cap);
        free(t->data);
    }
    t->data = NULL;
    t->len = t->cap = 0;
}

/* Room for more bytes plus a NUL. malloc + copy + wipe rather than realloc: the old block may
 * hold a name and date of birth, and realloc would free it unwiped. */
static bool
reserve(svc_text *t, size_t more)
{
    if (t->failed) {
        return false;
    }
    if (t->len + more + 1 <= t->cap) {
        return true;
    }
    size_t ncap = t->cap > 0 ? t->cap : 1024;
    while (ncap < t->len + more + 1) {
        if (ncap > SIZE_MAX / 2) {
            t->failed = true;
            return false;
        }
        ncap *= 2;
    }
    char *nd = malloc(ncap);
    if (nd == NULL) {
        t->failed = true;
        return false;
    }
    if (t->data != NULL) {
        memcpy(nd, t->data, t->len);
        explicit_bzero(t->data, t->cap);
        free(t->data);
    }
    t->data = nd;
    t->cap = ncap;
    return true;
}

/* Inlined everywhere: most calls copy a short literal, which then compiles to a few moves
 * instead of a call to memcpy (the calls were a quarter of the writer's time). */
static inline __attribute__((always_inline)) void
put(svc_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 <= t->cap || reserve(t, n)) {
        memcpy(t->data + t->len, s, n);
        t->len += n;
    }
}

/* A literal: its length is known at compile time. */
#define PUT_LIT(t, lit) put((t), (lit), sizeof(lit) - 1)

static void
put_bool(svc_text *t, bool b)
{
    if (b) {
        PUT_LIT(t, "true");
    } else {
        PUT_LIT(t, "false");
    }
}

static void
put_int(svc_text *t, int64_t v)
{
    char buf[24];
    size_t i = sizeof buf;
    /* Magnitude as unsigned, so INT64_MIN has one too. */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0) {
        buf[--i] = '-';
    }
    put(t, buf + i, sizeof buf - i);
}

/* Well-formed UTF-8 (hc_utf8.h, RFC 3629 §4): what jansson accepts in a string and what its
 * dumper checks again. */
static bool
utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
        } else {
            size_t k = hc_utf8_char_len(p + i, n - i);
            if (k == 0) {
                return false;
            }
            i += k;
        }
    }
    return true;
}

/* What jansson accepts from a C string (json_string, json_pack "s"). */
static bool
cstr_ok(const char *s)
{
    return s != NULL && utf8_valid(s, strlen(s));
}

/* A JSON string, escaped as jansson's dumper escapes it. Not UTF-8: fails the whole text, as
 * the dumper fails. */
static void
put_string(svc_text *t, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    /* Room for the worst case (every byte a \u00XX escape) once, then bytes are stored
     * directly: a branch and a store per byte, no call per run or escape. */
    if (n > (SIZE_MAX - 3) / 6 || !reserve(t, 6 * n + 2)) {
        t->failed = true;
        return;
    }
    char *w = t->data + t->len;
    *w++ = '"';
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *w++ = (char)c;
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t k = hc_utf8_char_len(p + i, n - i);
            if (k == 0) {
                t->failed = true;
                return;
            }
            memcpy(w, p + i, k);
            w += k;
            i += k;
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\b': *w++ = 'b'; break;
        case '\f': *w++ = 'f'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        default:
            memcpy(w, "u00", 3);
            w[3] = hex[c >> 4];
            w[4] = hex[c & 15];
            w += 5;
            break;
        }
        i++;
    }
    *w++ = '"';
    t->len = (size_t)(w - t->data);
}

static void
put_cstr(svc_text *t, const char *s)
{
    put_string(t, s, strlen(s));
}

/* hc_verdict_to_json's string_or_null: a non-empty string, else null. */
static void
put_string_or_null(svc_text *t, const char *s)
{
    if (s != NULL && s[0] != 0) {
        put_cstr(t, s);
    } else {
        PUT_LIT(t, "null");
    }
}

/* Whether string_or_null(s) gives a value (null counts), i.e. jansson would not refuse it. */
static bool
string_or_null_ok(const char *s)
{
    return s == NULL || s[0] == 0 || cstr_ok(s);
}

/* Two decimal digits of v (< 100) at p. */
static void
two_digits(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* hc_verdict_to_json's time_or_null: hc_time_format without milliseconds, or null. Written by
 * hand for years 0000..9999 (snprintf with six fields cost more than the rest of the verdict);
 * any other time goes through hc_time_format itself. */
static void
put_time_or_null(svc_text *t, bool has, int64_t ms)
{
    if (!has) {
        PUT_LIT(t, "null");
        return;
    }
    char buf[32];
    int64_t y = -1;
    unsigned mo = 0, d = 0;
    if (ms >= 0) {
        hc_civil_from_days(ms / 86400000, &y, &mo, &d);
    }
    if (y < 0 || y > 9999) {
        hc_time_format(ms, false, buf, sizeof buf);
        put_cstr(t, buf);
        return;
    }
    unsigned sec = (unsigned)(ms % 86400000 / 1000);
    /* "\"YYYY-MM-DDTHH:MM:SSZ\"" */
    memcpy(buf, "\"0000-00-00T00:00:00Z\"", 22);
    two_digits(buf + 1, (unsigned)(y / 100));
    two_digits(buf + 3, (unsigned)(y % 100));
    two_digits(buf + 6, mo);
    two_digits(buf + 9, d);
    two_digits(buf + 12, sec / 3600);
    two_digits(buf + 15, sec / 60 % 60);
    two_digits(buf + 18, sec % 60);
    put(t, buf, 22);
}

/* Any jansson value, as json_dumps(JSON_COMPACT) writes it (objects in insertion order). */
static void
put_value(svc_text *t, const json_t *j, unsigned depth)
{
    if (j == NULL || depth > MAX_DEPTH) {
        t->failed = true;
        return;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        PUT_LIT(t, "{");
        /* json_object_iter takes a non-const object but only reads it. */
        void *it = json_object_iter((json_t *)j);
        for (bool first = true; it != NULL && !t->failed;
             it = json_object_iter_next((json_t *)j, it), first = false) {
            if (!first) {
                PUT_LIT(t, ",");
            }
            put_string(t, json_object_iter_key(it), json_object_iter_key_len(it));
            PUT_LIT(t, ":");
            put_value(t, json_object_iter_value(it), depth + 1);
        }
        PUT_LIT(t, "}");
        break;
    }
    case JSON_ARRAY: {
        PUT_LIT(t, "[");
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n && !t->failed; i++) {
            if (i > 0) {
                PUT_LIT(t, ",");
            }
            put_value(t, json_array_get(j, i), depth + 1);
        }
        PUT_LIT(t, "]");
        break;
    }
    case JSON_STRING: put_string(t, json_string_value(j), json_string_length(j)); break;
    case JSON_INTEGER: put_int(t, json_integer_value(j)); break;
    case JSON_REAL: {
        /* Rare in certificates; jansson's own formatting (%.17g, ".0" added, exponent
         * trimmed) is the definition to match, so jansson prints it. */
        char buf[128];
        size_t n = json_dumpb(j, buf, sizeof buf, JSON_ENCODE_ANY | JSON_COMPACT);
        if (n == 0 || n > sizeof buf) {
            t->failed = true;
            return;
        }
        put(t, buf, n);
        break;
    }
    case JSON_TRUE: PUT_LIT(t, "true"); break;
    case JSON_FALSE: PUT_LIT(t, "false"); break;
    case JSON_NULL: PUT_LIT(t, "null"); break;
    default: t->failed = true; break;
    }
}

/* The members of hc_verdict_to_json (src/verdict/verdict_json.c), in its order. */
/* The "errors" array of both views: {code, message} per error (those jansson could not write,
 * with a code or message that is not valid text, are left out as the jansson path did). */
static void
put_errors(svc_text *t, const hc_verdict *vd)
{
    bool first = true;
    PUT_LIT(t, "[");
    for (size_t i = 0; i < vd->n_errors; i++) {
        const char *code = hc_err_code(vd->errors[i].code);
        if (!cstr_ok(code) || !cstr_ok(vd->errors[i].message)) {
            continue;
        }
        if (!first) {
            PUT_LIT(t, ",");
        }
        first = false;
        PUT_LIT(t, "{\"code\":");
        put_cstr(t, code);
        PUT_LIT(t, ",\"message\":");
        put_cstr(t, vd->errors[i].message);
        PUT_LIT(t, "}");
    }
    PUT_LIT(t, "]");
}

static void
put_full(svc_text *t, const hc_verdict *vd)
{
    PUT_LIT(t, "{\"valid\":");
    put_bool(t, vd->valid);
    /* A member whose value jansson could not make (a string that is not UTF-8) is missing from
     * the jansson object: json_object_set_new with NULL sets nothing. */
    if (string_or_null_ok(vd->format)) {
        PUT_LIT(t, ",\"format\":");
        put_string_or_null(t, vd->format);
    }
    if (string_or_null_ok(vd->type)) {
        PUT_LIT(t, ",\"type\":");
        put_string_or_null(t, vd->type);
    }
    if (!vd->has_issuer) {
        PUT_LIT(t, ",\"issuer\":null");
    } else if (string_or_null_ok(vd->issuer_country) && string_or_null_ok(vd->issuer_kid) &&
               string_or_null_ok(vd->issuer_name)) {
        PUT_LIT(t, ",\"issuer\":{\"country\":");
        put_string_or_null(t, vd->issuer_country);
        PUT_LIT(t, ",\"kid\":");
        put_string_or_null(t, vd->issuer_kid);
        PUT_LIT(t, ",\"name\":");
        put_string_or_null(t, vd->issuer_name);
        PUT_LIT(t, "}");
    }
    PUT_LIT(t, ",\"issued_at\":");
    put_time_or_null(t, vd->has_issued_at, vd->issued_at_ms);
    PUT_LIT(t, ",\"expires_at\":");
    put_time_or_null(t, vd->has_expires_at, vd->expires_at_ms);
    if (!vd->has_subject) {
        PUT_LIT(t, ",\"subject\":null");
    } else if (string_or_null_ok(vd->subject_name) && string_or_null_ok(vd->subject_dob)) {
        PUT_LIT(t, ",\"subject\":{\"name\":");
        put_string_or_null(t, vd->subject_name);
        PUT_LIT(t, ",\"dob\":");
        put_string_or_null(t, vd->subject_dob);
        PUT_LIT(t, "}");
    }
    if (vd->summary[0] && cstr_ok(vd->summary)) {
        PUT_LIT(t, ",\"summary\":");
        put_cstr(t, vd->summary);
    }
    PUT_LIT(t, ",\"payload\":");
    if (vd->payload != NULL) {
        put_value(t, vd->payload, 1);
    } else {
        PUT_LIT(t, "null");
    }
    PUT_LIT(t, ",\"checks\":[");
    bool first = true;
    for (size_t i = 0; i < vd->n_checks; i++) {
        /* json_pack refuses a name that is not UTF-8; the array then lacks that element. */
        if (!cstr_ok(vd->checks[i].name)) {
            continue;
        }
        if (!first) {
            PUT_LIT(t, ",");
        }
        first = false;
        PUT_LIT(t, "{\"name\":");
        put_cstr(t, vd->checks[i].name);
        PUT_LIT(t, ",\"ok\":");
        put_bool(t, vd->checks[i].ok);
        PUT_LIT(t, "}");
    }
    PUT_LIT(t, "],\"errors\":");
    put_errors(t, vd);
    if (vd->details != NULL) {
        PUT_LIT(t, ",\"details\":");
        put_value(t, vd->details, 1);
    }
    PUT_LIT(t, "}");
}

/* The checkpoint's view, as minimal_view in svc_api_verify.c built it with json_pack: valid,
 * format, type, errors, then subject. Unlike the full view, format "" and subject strings ""
 * stay strings (json_string / "s", not string_or_null). */
static void
put_minimal(svc_text *t, const hc_verdict *vd)
{
    /* json_pack fails as a whole when format or type cannot be made: no answer at all. */
    if ((vd->format != NULL && !cstr_ok(vd->format)) || (vd->type[0] && !cstr_ok(vd->type))) {
        t->failed = true;
        return;
    }
    PUT_LIT(t, "{\"valid\":");
    put_bool(t, vd->valid);
    PUT_LIT(t, ",\"format\":");
    if (vd->format != NULL) {
        put_cstr(t, vd->format);
    } else {
        PUT_LIT(t, "null");
    }
    PUT_LIT(t, ",\"type\":");
    if (vd->type[0]) {
        put_cstr(t, vd->type);
    } else {
        PUT_LIT(t, "null");
    }
    PUT_LIT(t, ",\"errors\":");
    put_errors(t, vd);
    if (vd->has_subject && cstr_ok(vd->subject_name) && cstr_ok(vd->subject_dob)) {
        PUT_LIT(t, ",\"subject\":{\"name\":");
        put_cstr(t, vd->subject_name);
        PUT_LIT(t, ",\"dob\":");
        put_cstr(t, vd->subject_dob);
        PUT_LIT(t, "}");
    }
    PUT_LIT(t, "}");
}

char *
svc_verdict_json(const hc_verdict *vd, bool minimal, size_t *len)
{
    svc_text t = { 0 };
    /* One allocation for a typical answer (a full EU DCC verdict is ~800 bytes). */
    if (!reserve(&t, minimal ? 256 : 2000)) {
        return NULL;
    }
    if (minimal) {
        put_minimal(&t, vd);
    } else {
        put_full(&t, vd);
    }
    if (t.failed) {
        svc_text_free(&t);
        return NULL;
    }
    t.data[t.len] = 0;
    *len = t.len;
    return t.data;
}
