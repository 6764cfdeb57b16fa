/* json_parse.c: JSON text -> jansson values, in place (see issue_json.h). */
#include "issue_json.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"
#include "hc_utf8.h"

/* jansson's integers are long long (JSON_INTEGER_IS_LONG_LONG on every platform we build for). */
_Static_assert(sizeof(json_int_t) == sizeof(long long), "json_int_t is long long");

/* Strings with escapes are decoded into a stack buffer up to this size, else into the heap. */
#define STACK_STRING 512

typedef struct parser {
    const char *start, *p, *end;
    unsigned depth;
    char *err;
    size_t err_len;
    bool failed;
    const char *err_at;
} parser;

static void fail(parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->failed) {
        return;
    }
    ps->failed = true;
    ps->err_at = at;
    if (ps->err != NULL && ps->err_len > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err, ps->err_len, fmt, ap);
        va_end(ap);
    }
}

/* RFC 8259 §2: white space is space, tab, line feed and carriage return only. */
static void
skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static int
hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) {
            return -1;
        }
        v = v * 16 + d;
    }
    return v;
}

static size_t
put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/*
 * True when none of the 8 bytes of x needs a look of its own: all printable ASCII (0x20..0x7f)
 * but '"' and '\\'. Word-at-a-time tests (exact for "is there such a byte"): a byte >= 0x80 has
 * its high bit; for bytes below 0x80, (x - 0x20 per byte) & ~x has the high bit of a byte below
 * 0x20 set (a borrow only comes from a byte already found), and (y - 0x01 per byte) & ~y that of
 * a zero byte of y = x ^ '"' or x ^ '\\' per byte.
 */
static inline bool
plain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
    uint64_t special =
        x | ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash);
    return (special & highs) == 0;
}

/*
 * A string starting at the opening quote. Sets *s / *n to its decoded bytes: a view into the
 * input when it has no escapes, else into buf (or a malloc'd *heap the caller frees).
 */
static bool
parse_string(parser *ps, const char **s, size_t *n, char *buf, size_t buf_cap, char **heap)
{
    const char *q = ++ps->p; /* past the quote */
    bool escaped = false;

    *heap = NULL;
    /* Pass 1: find the end, check every byte, note whether there are escapes. Runs of plain
     * bytes (most of a DCC's strings) go eight at a time. */
    while (q < ps->end) {
        uint64_t x;
        if (ps->end - q >= 8) {
            memcpy(&x, q, 8);
            if (plain8(x)) {
                q += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)*q;
        if (c == '"') {
            break;
        }
        if (c == '\\') {
            escaped = true;
            if (q + 1 >= ps->end) {
                q = ps->end; /* a backslash last: no closing quote */
                break;
            }
            q += 2; /* the escape's own characters are checked in pass 2 */
        } else if (c < 0x20) {
            fail(ps, q, "control character 0x%02x in a string", c);
            return false;
        } else if (c < 0x80) {
            q++;
        } else {
            size_t l = hc_utf8_char_len((const uint8_t *)q, (size_t)(ps->end - q));
            if (l == 0) {
                fail(ps, q, "invalid UTF-8 in a string");
                return false;
            }
            q += l;
        }
    }
    if (q >= ps->end) {
        fail(ps, ps->p - 1, "unterminated string");
        return false;
    }
    const char *body = ps->p;
    size_t raw = (size_t)(q - body);
    ps->p = q + 1;
    if (!escaped) {
        *s = body;
        *n = raw;
        return true;
    }
    /* Pass 2: decode. The decoded form is never longer than the escaped one. */
    char *out = buf;
    if (raw > buf_cap) {
        out = *heap = malloc(raw);
        if (out == NULL) {
            fail(ps, body, "out of memory");
            return false;
        }
    }
    size_t o = 0;
    for (const char *r = body; r < q;) {
        if (*r != '\\') {
            out[o++] = *r++;
            continue;
        }
        char e = r[1];
        const char *at = r;
        r += 2;
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            int v = q - r >= 4 ? hex4(r) : -1;
            if (v < 0) {
                fail(ps, at, "invalid \\u escape");
                return false;
            }
            r += 4;
            uint32_t cp = (uint32_t)v;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                /* A high surrogate must be followed by a low one (RFC 8259 §7). */
                int lo = q - r >= 6 && r[0] == '\\' && r[1] == 'u' ? hex4(r + 2) : -1;
                if (lo < 0xdc00 || lo > 0xdfff) {
                    fail(ps, at, "invalid Unicode surrogate pair");
                    return false;
                }
                r += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                fail(ps, at, "lone Unicode low surrogate");
                return false;
            } else if (cp == 0) {
                fail(ps, at, "\\u0000 is not allowed");
                return false;
            }
            o += put_utf8(out + o, cp);
            break;
        }
        default: fail(ps, at, "invalid escape"); return false;
        }
    }
    *s = out;
    *n = o;
    return true;
}

static json_t *parse_value(parser *ps, json_t *old);

/*
 * Filling values again (hc_issue_json_parse_reuse): the functions below take an old value that
 * they may fill in place, borrowed from its container (or NULL). They return either old itself,
 * filled (the container keeps it as it is), or a new reference that the container takes in old's
 * place (releasing old); NULL on failure, old then still the container's. No reference count
 * changes for a value filled in place: they are atomic operations, which would cost more than
 * the allocations saved.
 */

/* old when it can be filled in place: of type t and referenced by its container only. */
static json_t *
reusable(json_t *old, json_type t)
{
    return old != NULL && json_typeof(old) == t && old->refcount == 1 ? old : NULL;
}

static json_t *
parse_number(parser *ps, json_t *old)
{
    const char *s = ps->p, *q = s;
    bool is_real = false;

    if (q < ps->end && *q == '-') {
        q++;
    }
    if (q >= ps->end || *q < '0' || *q > '9') {
        fail(ps, s, "invalid number");
        return NULL;
    }
    if (*q == '0') {
        q++; /* RFC 8259 §6: no leading zeros */
    } else {
        while (q < ps->end && *q >= '0' && *q <= '9') {
            q++;
        }
    }
    if (q < ps->end && *q == '.') {
        is_real = true;
        q++;
        if (q >= ps->end || *q < '0' || *q > '9') {
            fail(ps, s, "invalid number");
            return NULL;
        }
        while (q < ps->end && *q >= '0' && *q <= '9') {
            q++;
        }
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        is_real = true;
        q++;
        if (q < ps->end && (*q == '+' || *q == '-')) {
            q++;
        }
        if (q >= ps->end || *q < '0' || *q > '9') {
            fail(ps, s, "invalid number");
            return NULL;
        }
        while (q < ps->end && *q >= '0' && *q <= '9') {
            q++;
        }
    }
    size_t len = (size_t)(q - s);
    ps->p = q;
    if (!is_real) {
        bool neg = *s == '-';
        uint64_t v = 0, limit = neg ? (uint64_t)LLONG_MAX + 1 : (uint64_t)LLONG_MAX;
        for (const char *d = s + neg; d < q; d++) {
            unsigned digit = (unsigned)(*d - '0');
            if (v > (limit - digit) / 10) {
                fail(ps, s, "too big integer");
                return NULL;
            }
            v = v * 10 + digit;
        }
        json_int_t iv = !neg                           ? (json_int_t)v
                        : v == (uint64_t)LLONG_MAX + 1 ? LLONG_MIN
                                                       : -(json_int_t)v;
        json_t *j = reusable(old, JSON_INTEGER);
        if (j != NULL) {
            json_integer_set(j, iv);
            return j;
        }
        j = json_integer(iv);
        if (j == NULL) {
            fail(ps, s, "out of memory");
        }
        return j;
    }
    /* Reals: jansson converts its own token, so values match json_loadb exactly, at any length
     * (the line is bounded; a bound of 64 here once refused what jansson accepts: fuzzing). */
    json_error_t je;
    json_t *j = json_loadb(s, len, JSON_DECODE_ANY, &je);
    if (j == NULL) {
        fail(ps, s, "%s", je.text);
    }
    return j;
}

static bool
literal(parser *ps, const char *word, size_t n)
{
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, word, n) == 0) {
        ps->p += n;
        return true;
    }
    fail(ps, ps->p, "invalid token");
    return false;
}

/* Old pairs that an object being filled again can still take values from (parse_object). */
#define POOL_MAX 32

typedef struct pair_pool {
    void *it[POOL_MAX]; /* iterators of the pairs not taken yet (NULL once taken) */
    unsigned n;
} pair_pool;

/* Deletes the pairs of obj from it on. */
static void
drop_from(json_t *obj, void *it)
{
    while (it != NULL) {
        void *next = json_object_iter_next(obj, it);
        json_object_deln(obj, json_object_iter_key(it), json_object_iter_key_len(it));
        it = next;
    }
}

/* Parses the next value into the value of the pair at it (filled in place or replaced). */
static bool
fill_pair(parser *ps, json_t *obj, void *it)
{
    json_t *prev = json_object_iter_value(it);
    json_t *v = parse_value(ps, prev);
    if (v != NULL && v != prev) {
        json_object_iter_set_new(obj, it, v);
    }
    return v != NULL;
}

/* Inserts the next value under key as a new pair; a duplicate key (the size does not grow: it
 * replaced the earlier value) is refused as json_loadb(JSON_REJECT_DUPLICATES) does. One hash
 * lookup per key instead of a lookup before and an insertion after. */
static bool
insert_pair(parser *ps, json_t *obj, const char *key, size_t key_len, const char *key_at, json_t *v)
{
    if (v == NULL) {
        return false;
    }
    size_t before = json_object_size(obj);
    if (json_object_setn_new_nocheck(obj, key, key_len, v) != 0) {
        fail(ps, key_at, "out of memory");
        return false;
    }
    if (json_object_size(obj) == before) {
        fail(ps, key_at, "duplicate object key");
        return false;
    }
    return true;
}

/*
 * A key of an object being filled again once the text's keys have left the object's order: the
 * pair of the same key if the pool still has it, else a new pair. Duplicates are found as on a
 * fresh object: after the value, by the size not growing.
 */
static bool
pool_key(parser *ps, json_t *obj, pair_pool *pool, const char *key, size_t key_len,
         const char *key_at)
{
    /* By key (values cannot tell pairs apart: null, true and false are shared singletons). */
    for (unsigned k = 0; k < pool->n; k++) {
        void *it = pool->it[k];
        if (it != NULL && json_object_iter_key_len(it) == key_len &&
            memcmp(json_object_iter_key(it), key, key_len) == 0) {
            pool->it[k] = NULL; /* taken */
            return fill_pair(ps, obj, it);
        }
    }
    return insert_pair(ps, obj, key, key_len, key_at, parse_value(ps, NULL));
}

static json_t *
parse_object(parser *ps, json_t *old)
{
    json_t *obj = reusable(old, JSON_OBJECT);
    /* Filling an object again: while the text's keys come in the object's own order, each value
     * is filled in place (no hashing, no allocation); from the first other key on, the object's
     * remaining pairs are a pool (pool_key), and what the text leaves of it goes at the end. */
    void *it = obj != NULL ? json_object_iter(obj) : NULL;
    pair_pool pool;
    bool pooled = false;
    pool.n = 0;
    if (obj == NULL && (obj = json_object()) == NULL) {
        fail(ps, ps->p, "out of memory");
        return NULL;
    }
    ps->p++; /* '{' */
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        drop_from(obj, it);
        return obj;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
            fail(ps, ps->p, "string or '}' expected");
            break;
        }
        char buf[STACK_STRING], *heap = NULL;
        const char *key = NULL, *key_at = ps->p;
        size_t key_len = 0;
        if (!parse_string(ps, &key, &key_len, buf, sizeof buf, &heap)) {
            free(heap);
            break;
        }
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') {
            free(heap);
            fail(ps, ps->p, "':' expected");
            break;
        }
        ps->p++;
        bool ok;
        if (it != NULL && json_object_iter_key_len(it) == key_len &&
            memcmp(json_object_iter_key(it), key, key_len) == 0) {
            /* The same key in the same place (so no duplicate: the object's keys are distinct). */
            ok = fill_pair(ps, obj, it);
            it = ok ? json_object_iter_next(obj, it) : it;
        } else {
            if (it != NULL) {
                /* Out of order: the rest of the object's pairs become the pool (the surplus
                 * goes: a DCC object has a dozen keys at most). */
                for (; it != NULL && pool.n < POOL_MAX; it = json_object_iter_next(obj, it)) {
                    pool.it[pool.n++] = it;
                }
                drop_from(obj, it);
                it = NULL;
                pooled = true;
            }
            ok = pooled ? pool_key(ps, obj, &pool, key, key_len, key_at)
                        : insert_pair(ps, obj, key, key_len, key_at, parse_value(ps, NULL));
        }
        free(heap);
        if (!ok) {
            break;
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            /* What the text did not have goes. */
            drop_from(obj, it);
            for (unsigned k = 0; k < pool.n; k++) {
                if (pool.it[k] != NULL) {
                    void *p = pool.it[k];
                    json_object_deln(obj, json_object_iter_key(p), json_object_iter_key_len(p));
                }
            }
            return obj;
        }
        fail(ps, ps->p, "',' or '}' expected");
        break;
    }
    if (obj != old) {
        json_decref(obj);
    }
    return NULL;
}

static json_t *
parse_array(parser *ps, json_t *old)
{
    json_t *arr = reusable(old, JSON_ARRAY);
    size_t k = 0; /* elements of this text so far; below the array's size, filled in place */
    if (arr == NULL && (arr = json_array()) == NULL) {
        fail(ps, ps->p, "out of memory");
        return NULL;
    }
    ps->p++; /* '[' */
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        json_array_clear(arr);
        return arr;
    }
    for (;;) {
        if (k < json_array_size(arr)) {
            json_t *prev = json_array_get(arr, k);
            json_t *v = parse_value(ps, prev);
            if (v == NULL || (v != prev && json_array_set_new(arr, k, v) != 0)) {
                break;
            }
        } else {
            json_t *v = parse_value(ps, NULL);
            if (v == NULL) {
                break;
            }
            if (json_array_append_new(arr, v) != 0) {
                fail(ps, ps->p, "out of memory");
                break;
            }
        }
        k++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            while (json_array_size(arr) > k) {
                json_array_remove(arr, json_array_size(arr) - 1);
            }
            return arr;
        }
        fail(ps, ps->p, "',' or ']' expected");
        break;
    }
    if (arr != old) {
        json_decref(arr);
    }
    return NULL;
}

static json_t *
parse_value(parser *ps, json_t *old)
{
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, ps->p, "unexpected end of input");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
    case '[': {
        if (++ps->depth > HC_MAX_JSON_DEPTH) {
            fail(ps, ps->p, "maximum nesting depth (%d) exceeded", HC_MAX_JSON_DEPTH);
            return NULL;
        }
        json_t *v = *ps->p == '{' ? parse_object(ps, old) : parse_array(ps, old);
        ps->depth--;
        return v;
    }
    case '"': {
        char buf[STACK_STRING], *heap = NULL;
        const char *s = NULL, *at = ps->p;
        size_t n = 0;
        if (!parse_string(ps, &s, &n, buf, sizeof buf, &heap)) {
            free(heap);
            return NULL;
        }
        /* UTF-8 checked above, so the unchecked setters. The same text again (a batch's
         * recurring values) costs nothing; another one, one allocation instead of two. */
        json_t *v = reusable(old, JSON_STRING);
        if (v != NULL && !(json_string_length(v) == n && memcmp(json_string_value(v), s, n) == 0) &&
            json_string_setn_nocheck(v, s, n) != 0) {
            v = NULL;
        }
        if (v == NULL) {
            v = json_stringn_nocheck(s, n);
        }
        free(heap);
        if (v == NULL) {
            fail(ps, at, "out of memory");
        }
        return v;
    }
    case 't': return literal(ps, "true", 4) ? json_true() : NULL;
    case 'f': return literal(ps, "false", 5) ? json_false() : NULL;
    case 'n': return literal(ps, "null", 4) ? json_null() : NULL;
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
            return parse_number(ps, old);
        }
        fail(ps, ps->p, "invalid token");
        return NULL;
    }
}

json_t *
hc_issue_json_parse_reuse(json_t *reuse, const char *text, size_t len, char *err, size_t err_len,
                          int *column)
{
    parser ps = { .start = text, .p = text, .end = text + len, .err = err, .err_len = err_len };
    json_t *v = NULL;

    skip_ws(&ps);
    /* As json_loadb without JSON_DECODE_ANY: the text is an object or an array. */
    if (ps.p < ps.end && *ps.p != '{' && *ps.p != '[') {
        fail(&ps, ps.p, "'[' or '{' expected");
    } else {
        v = parse_value(&ps, reuse);
    }
    if (v != reuse) {
        json_decref(reuse); /* not filled (or failed): the caller's reference goes */
    }
    if (v != NULL) {
        skip_ws(&ps);
        if (ps.p != ps.end) {
            fail(&ps, ps.p, "end of input expected");
            json_decref(v);
            v = NULL;
        }
    }
    if (v == NULL && column != NULL) {
        *column = (int)((ps.err_at ? ps.err_at : ps.p) - text) + 1;
    }
    return v;
}

json_t *
hc_issue_json_parse(const char *text, size_t len, char *err, size_t err_len, int *column)
{
    return hc_issue_json_parse_reuse(NULL, text, len, err, err_len, column);
}
