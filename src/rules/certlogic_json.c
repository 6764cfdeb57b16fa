/*
 * certlogic_json.c: values to JSON and JSON to text the way JavaScript does it.
 *
 * The reference implementation is JavaScript, so its observable output follows ECMAScript:
 * Number::toString (ECMA-262 §6.1.6.1.20) for numbers in results and messages, JSON.stringify
 * (§25.5.2) for results, template literals for the values quoted in error messages. Reproducing
 * these keeps `healthcert rules eval` output and validation messages identical to certlogic-js.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic_internal.h"

/* ---- Number::toString ---- */

void
hc_cl_format_number(double x, char *buf, size_t cap)
{
    if (isnan(x)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (x == 0) {
        snprintf(buf, cap, "0"); /* also -0 */
        return;
    }
    if (isinf(x)) {
        snprintf(buf, cap, x < 0 ? "-Infinity" : "Infinity");
        return;
    }
    const char *sign = x < 0 ? "-" : "";
    double ax = x < 0 ? -x : x;
    /* Shortest digit string that reads back as x: the k of the spec's step 5. */
    char e[40];
    int k = 1;
    for (; k <= 17; k++) {
        snprintf(e, sizeof e, "%.*e", k - 1, ax);
        if (strtod(e, NULL) == ax) {
            break;
        }
    }
    if (k > 17) {
        k = 17;
        snprintf(e, sizeof e, "%.16e", ax);
    }
    /* e is "d.ddddde[+-]xx": collect the k digits and the decimal exponent. */
    char digits[20];
    int nd = 0;
    const char *p = e;
    for (; *p != '\0' && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && nd < (int)sizeof digits - 1) {
            digits[nd++] = *p;
        }
    }
    digits[nd] = '\0';
    int exp10 = *p == 'e' ? atoi(p + 1) : 0;
    /* Trailing zeros are not significant (%.*e may produce them for k > 1 only if shorter
     * failed, but be safe). */
    while (nd > 1 && digits[nd - 1] == '0') {
        digits[--nd] = '\0';
    }
    k = nd;
    int n = exp10 + 1; /* x = 0.d1d2... * 10^n */

    char out[64];
    size_t o = 0;
    if (k <= n && n <= 21) {
        o += (size_t)snprintf(out + o, sizeof out - o, "%s", digits);
        for (int i = 0; i < n - k; i++) {
            out[o++] = '0';
        }
        out[o] = '\0';
    } else if (0 < n && n <= 21) {
        snprintf(out, sizeof out, "%.*s.%s", n, digits, digits + n);
    } else if (-6 < n && n <= 0) {
        o += (size_t)snprintf(out, sizeof out, "0.");
        for (int i = 0; i < -n; i++) {
            out[o++] = '0';
        }
        snprintf(out + o, sizeof out - o, "%s", digits);
    } else {
        int ex = n - 1;
        if (k == 1) {
            snprintf(out, sizeof out, "%ce%c%d", digits[0], ex < 0 ? '-' : '+', abs(ex));
        } else {
            snprintf(out, sizeof out, "%c.%se%c%d", digits[0], digits + 1, ex < 0 ? '-' : '+',
                     abs(ex));
        }
    }
    snprintf(buf, cap, "%s%s", sign, out);
}

/* ---- template-literal rendering (String(value)) for messages ---- */

typedef struct sbuf {
    char *p;
    size_t cap, len;
} sbuf;

static void
sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->cap == 0) {
        return;
    }
    size_t room = b->cap - 1 - b->len;
    if (n > room) {
        n = room;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void
sb_adds(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void
js_string_rec(sbuf *b, const json_t *v, unsigned depth)
{
    char num[40];
    if (depth > 16) {
        return;
    }
    switch (json_typeof(v)) {
    case JSON_NULL: sb_adds(b, "null"); break;
    case JSON_TRUE: sb_adds(b, "true"); break;
    case JSON_FALSE: sb_adds(b, "false"); break;
    case JSON_INTEGER:
        hc_cl_format_number((double)json_integer_value(v), num, sizeof num);
        sb_adds(b, num);
        break;
    case JSON_REAL:
        hc_cl_format_number(json_real_value(v), num, sizeof num);
        sb_adds(b, num);
        break;
    case JSON_STRING: sb_add(b, json_string_value(v), json_string_length(v)); break;
    case JSON_OBJECT: sb_adds(b, "[object Object]"); break;
    case JSON_ARRAY:
        /* Array.prototype.join: null items render as "". */
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0) {
                sb_adds(b, ",");
            }
            const json_t *item = json_array_get(v, i);
            if (!json_is_null(item)) {
                js_string_rec(b, item, depth + 1);
            }
        }
        break;
    }
}

void
hc_cl_js_string(const json_t *v, char *buf, size_t cap)
{
    sbuf b = { buf, cap, 0 };
    if (cap > 0) {
        buf[0] = '\0';
    }
    if (v == NULL) {
        sb_adds(&b, "undefined");
        return;
    }
    js_string_rec(&b, v, 0);
}

static void
val_js_string_rec(sbuf *b, const cl_val *v, unsigned depth)
{
    char num[40];
    if (depth > 16) {
        return;
    }
    switch (v->kind) {
    case CL_NULL: sb_adds(b, "null"); break;
    case CL_BOOL: sb_adds(b, v->u.b ? "true" : "false"); break;
    case CL_NUM:
        hc_cl_format_number(v->u.num, num, sizeof num);
        sb_adds(b, num);
        break;
    case CL_STR: sb_add(b, v->u.str.p, v->u.str.n); break;
    case CL_DATE: {
        /* Date.prototype.toString depends on the local time zone; the ISO form is stable. */
        char iso[32];
        hc_certlogic_format_datetime(v->u.ms, iso, sizeof iso);
        sb_adds(b, iso);
        break;
    }
    case CL_JSON: js_string_rec(b, v->u.json, depth); break;
    case CL_OBJ: sb_adds(b, "[object Object]"); break;
    case CL_ARR:
        for (size_t i = 0; i < v->u.arr.n; i++) {
            if (i > 0) {
                sb_adds(b, ",");
            }
            if (v->u.arr.items[i]->kind != CL_NULL) {
                val_js_string_rec(b, v->u.arr.items[i], depth + 1);
            }
        }
        break;
    }
}

void
hc_cl_val_js_string(const cl_val *v, char *buf, size_t cap)
{
    sbuf b = { buf, cap, 0 };
    if (cap > 0) {
        buf[0] = '\0';
    }
    val_js_string_rec(&b, v, 0);
}

/* ---- values to jansson ---- */

typedef struct conv {
    cl_ctx *ctx;
    size_t nodes;
} conv;

static json_t *
num_to_json(double x)
{
    /* Integral numbers become JSON integers when exact in both representations, so that callers
     * (and json_equal) see 3, not 3.0. */
    if (hc_cl_is_int(x) && x <= 9007199254740992.0 && x >= -9007199254740992.0) {
        return json_integer((json_int_t)x);
    }
    return json_real(x);
}

static json_t *
to_json_rec(conv *c, const cl_val *v, unsigned depth)
{
    /* Made arrays can share items (a reduce lambda [acc, acc] doubles the tree each step), so the
     * JSON tree can be exponentially larger than the memory used: count the nodes written. */
    if (++c->nodes > HC_CERTLOGIC_MAX_RESULT_NODES) {
        hc_cl_fail(c->ctx, HC_CERTLOGIC_LIMIT, "result has more than %u values",
                   (unsigned)HC_CERTLOGIC_MAX_RESULT_NODES);
        return NULL;
    }
    if (depth > 2 * HC_CERTLOGIC_MAX_DEPTH + 8) {
        hc_cl_fail(c->ctx, HC_CERTLOGIC_LIMIT, "result is nested too deeply");
        return NULL;
    }
    json_t *j = NULL;
    switch (v->kind) {
    case CL_NULL: j = json_null(); break;
    case CL_BOOL: j = json_boolean(v->u.b); break;
    case CL_NUM: j = num_to_json(v->u.num); break;
    case CL_STR: j = json_stringn(v->u.str.p, v->u.str.n); break;
    case CL_DATE: {
        char iso[32];
        hc_certlogic_format_datetime(v->u.ms, iso, sizeof iso);
        j = json_string(iso);
        break;
    }
    case CL_JSON:
        /* Data nodes are shared with the caller's data (a reference, not a copy). */
        j = json_incref((json_t *)v->u.json);
        break;
    case CL_ARR:
        j = json_array();
        for (size_t i = 0; j != NULL && i < v->u.arr.n; i++) {
            json_t *item = to_json_rec(c, v->u.arr.items[i], depth + 1);
            if (item == NULL || json_array_append_new(j, item) != 0) {
                json_decref(j);
                j = NULL;
            }
        }
        break;
    case CL_OBJ:
        j = json_object();
        for (size_t i = 0; j != NULL && i < v->u.obj.n; i++) {
            json_t *item = to_json_rec(c, v->u.obj.vals[i], depth + 1);
            if (item == NULL || json_object_set_new(j, v->u.obj.keys[i], item) != 0) {
                json_decref(j);
                j = NULL;
            }
        }
        break;
    }
    if (j == NULL) {
        hc_cl_fail(c->ctx, HC_CERTLOGIC_NOMEM, "out of memory");
    }
    return j;
}

json_t *
hc_cl_to_json(cl_ctx *ctx, const cl_val *v)
{
    conv c = { ctx, 0 };
    return to_json_rec(&c, v, 0);
}

/* ---- JSON.stringify ---- */

typedef struct dbuf {
    char *p;
    size_t len, cap, max;
    bool failed;
} dbuf;

static void
db_add(dbuf *b, const char *s, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->len + n + 1 > b->max) {
        b->failed = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        char *np = realloc(b->p, cap);
        if (np == NULL) {
            b->failed = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* JSON.stringify's QuoteJSONString: ", \ and control characters escaped, the rest as is. */
static void
db_quote(dbuf *b, const char *s, size_t n)
{
    db_add(b, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            }
        }
        if (esc != NULL) {
            db_add(b, s + start, i - start);
            db_add(b, esc, strlen(esc));
            start = i + 1;
        }
    }
    db_add(b, s + start, n - start);
    db_add(b, "\"", 1);
}

static void
stringify_rec(dbuf *b, const json_t *v, unsigned depth)
{
    char num[40];
    if (depth > 4096) {
        b->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_NULL: db_add(b, "null", 4); break;
    case JSON_TRUE: db_add(b, "true", 4); break;
    case JSON_FALSE: db_add(b, "false", 5); break;
    case JSON_INTEGER:
        hc_cl_format_number((double)json_integer_value(v), num, sizeof num);
        db_add(b, num, strlen(num));
        break;
    case JSON_REAL: {
        double x = json_real_value(v);
        /* JSON.stringify writes non-finite numbers as null. */
        if (!isfinite(x)) {
            db_add(b, "null", 4);
        } else {
            hc_cl_format_number(x, num, sizeof num);
            db_add(b, num, strlen(num));
        }
        break;
    }
    case JSON_STRING: db_quote(b, json_string_value(v), json_string_length(v)); break;
    case JSON_ARRAY:
        db_add(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v) && !b->failed; i++) {
            if (i > 0) {
                db_add(b, ",", 1);
            }
            stringify_rec(b, json_array_get(v, i), depth + 1);
        }
        db_add(b, "]", 1);
        break;
    case JSON_OBJECT: {
        db_add(b, "{", 1);
        const char *key;
        size_t klen;
        json_t *item;
        bool first = true;
        /* jansson keeps insertion order, as JavaScript does for non-index keys. */
        json_object_keylen_foreach((json_t *)v, key, klen, item)
        {
            if (b->failed) {
                break;
            }
            if (!first) {
                db_add(b, ",", 1);
            }
            first = false;
            db_quote(b, key, klen);
            db_add(b, ":", 1);
            stringify_rec(b, item, depth + 1);
        }
        db_add(b, "}", 1);
        break;
    }
    }
}

char *
hc_certlogic_stringify(const json_t *v, size_t max_len)
{
    dbuf b = { NULL, 0, 0, max_len + 1, false };
    if (v == NULL) {
        return NULL;
    }
    stringify_rec(&b, v, 0);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    if (b.p == NULL) {
        b.p = calloc(1, 1);
    }
    return b.p;
}

/* ---- deep equality ---- */

static bool
json_num(const json_t *j, double *x)
{
    if (json_is_integer(j)) {
        *x = (double)json_integer_value(j);
        return true;
    }
    if (json_is_real(j)) {
        *x = json_real_value(j);
        return true;
    }
    return false;
}

static bool
equal_rec(const json_t *a, const json_t *b, unsigned depth)
{
    double x, y;
    if (depth > 4096) {
        return false;
    }
    if (a == b) {
        return true;
    }
    if (json_num(a, &x) && json_num(b, &y)) {
        return x == y;
    }
    if (json_typeof(a) != json_typeof(b)) {
        return false;
    }
    switch (json_typeof(a)) {
    case JSON_NULL:
    case JSON_TRUE:
    case JSON_FALSE: return true;
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b)) {
            return false;
        }
        for (size_t i = 0; i < json_array_size(a); i++) {
            if (!equal_rec(json_array_get(a, i), json_array_get(b, i), depth + 1)) {
                return false;
            }
        }
        return true;
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b)) {
            return false;
        }
        const char *key;
        size_t klen;
        json_t *item;
        json_object_keylen_foreach((json_t *)a, key, klen, item)
        {
            const json_t *other = json_object_getn(b, key, klen);
            if (other == NULL || !equal_rec(item, other, depth + 1)) {
                return false;
            }
        }
        return true;
    }
    default: return false;
    }
}

bool
hc_certlogic_json_equal(const json_t *a, const json_t *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return equal_rec(a, b, 0);
}
