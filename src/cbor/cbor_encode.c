/*
 * cbor_encode.c: the CBOR writer (preferred serialisation, RFC 8949 §4.1), deterministic encoding
 * of JSON values (RFC 8949 §4.2.1) and re-encoding of decoded trees.
 *
 * Invariants
 *   - The writer never writes past buf[cap). The first item that does not fit sets `overflow`
 *     and is not written at all (a string's head and content go in together); from then on
 *     nothing is written. hc_cbor_writer_finish reports it once.
 *   - Heads use the shortest argument form, floats the shortest of half/single/double that holds
 *     the value exactly, so one value has one encoding.
 *   - No recursion: JSON values are walked with an explicit stack of HC_MAX_JSON_DEPTH frames and
 *     decoded trees in their pre-order node order.
 */
#include "cbor.h"

#include <stdlib.h>
#include <string.h>

/* RFC 8949 §3.1 major types. */
#define MAJOR_UINT   0u
#define MAJOR_NINT   1u
#define MAJOR_BYTES  2u
#define MAJOR_TEXT   3u
#define MAJOR_ARRAY  4u
#define MAJOR_MAP    5u
#define MAJOR_TAG    6u
#define MAJOR_SIMPLE 7u

/* RFC 8949 §3.3 table 3/4: initial bytes of major type 7. */
#define IB_FALSE     0xf4
#define IB_TRUE      0xf5
#define IB_NULL      0xf6
#define IB_UNDEFINED 0xf7
#define IB_SIMPLE8   0xf8 /* simple value in the next byte (32..255) */
#define IB_FLOAT16   0xf9
#define IB_FLOAT32   0xfa
#define IB_FLOAT64   0xfb

void
hc_cbor_writer_init(hc_cbor_writer *w, uint8_t *buf, size_t cap)
{
    if (w == NULL) {
        return;
    }
    w->buf = buf;
    w->cap = buf == NULL ? 0 : cap;
    w->len = 0;
    w->overflow = false;
}

void
hc_cbor_put_raw(hc_cbor_writer *w, const uint8_t *p, size_t n)
{
    if (w == NULL || w->overflow) {
        return;
    }
    if (n > w->cap - w->len || (p == NULL && n != 0)) {
        w->overflow = true;
        return;
    }
    if (n > 0) {
        memcpy(w->buf + w->len, p, n);
        w->len += n;
    }
}

/* RFC 8949 §4.2.1 (preferred serialisation, §4.1): the argument in the shortest of the immediate,
 * 1-, 2-, 4- and 8-byte forms (§3: AI 24..27), big-endian. Returns the head's length. */
static size_t
make_head(uint8_t b[9], unsigned major, uint64_t arg)
{
    size_t n;
    uint8_t mt = (uint8_t)(major << 5);
    if (arg < 24) {
        b[0] = (uint8_t)(mt | arg);
        return 1;
    } else if (arg <= UINT8_MAX) {
        b[0] = mt | 24;
        n = 2;
    } else if (arg <= UINT16_MAX) {
        b[0] = mt | 25;
        n = 3;
    } else if (arg <= UINT32_MAX) {
        b[0] = mt | 26;
        n = 5;
    } else {
        b[0] = mt | 27;
        n = 9;
    }
    for (size_t k = 1; k < n; k++) {
        b[k] = (uint8_t)(arg >> (8 * (n - 1 - k)));
    }
    return n;
}

static void
put_head(hc_cbor_writer *w, unsigned major, uint64_t arg)
{
    uint8_t b[9];
    hc_cbor_put_raw(w, b, make_head(b, major, arg));
}

/* A string item: head and content fit together or not at all, so that an overflow never leaves
 * a head without its content in the buffer. */
static void
put_string(hc_cbor_writer *w, unsigned major, const uint8_t *p, size_t n)
{
    uint8_t b[9];
    if (w == NULL || w->overflow) {
        return;
    }
    if (n < 24 && n < w->cap - w->len && (p != NULL || n == 0)) {
        /* Most map keys and values of a certificate: the length in the initial byte (§3). */
        w->buf[w->len] = (uint8_t)(major << 5 | n);
        if (n > 0) {
            memcpy(w->buf + w->len + 1, p, n);
        }
        w->len += n + 1;
        return;
    }
    size_t hl = make_head(b, major, n);
    if (n > w->cap - w->len || hl > w->cap - w->len - n) {
        w->overflow = true;
        return;
    }
    hc_cbor_put_raw(w, b, hl);
    hc_cbor_put_raw(w, p, n);
}

void
hc_cbor_put_uint(hc_cbor_writer *w, uint64_t v)
{
    put_head(w, MAJOR_UINT, v);
}

void
hc_cbor_put_int(hc_cbor_writer *w, int64_t v)
{
    if (v >= 0) {
        put_head(w, MAJOR_UINT, (uint64_t)v);
    } else {
        /* §3.1 major type 1 holds -1 - v; for v < 0 this is in 0..INT64_MAX, no overflow. */
        put_head(w, MAJOR_NINT, (uint64_t)(-1 - v));
    }
}

void
hc_cbor_put_bytes(hc_cbor_writer *w, const uint8_t *p, size_t n)
{
    put_string(w, MAJOR_BYTES, p, n);
}

void
hc_cbor_put_text(hc_cbor_writer *w, const char *s, size_t n)
{
    put_string(w, MAJOR_TEXT, (const uint8_t *)s, n);
}

void
hc_cbor_put_array(hc_cbor_writer *w, uint64_t count)
{
    put_head(w, MAJOR_ARRAY, count);
}

void
hc_cbor_put_map(hc_cbor_writer *w, uint64_t pairs)
{
    put_head(w, MAJOR_MAP, pairs);
}

void
hc_cbor_put_tag(hc_cbor_writer *w, uint64_t tag)
{
    put_head(w, MAJOR_TAG, tag);
}

static void
put_byte(hc_cbor_writer *w, uint8_t b)
{
    hc_cbor_put_raw(w, &b, 1);
}

void
hc_cbor_put_bool(hc_cbor_writer *w, bool v)
{
    put_byte(w, v ? IB_TRUE : IB_FALSE);
}

void
hc_cbor_put_null(hc_cbor_writer *w)
{
    put_byte(w, IB_NULL);
}

/*
 * The shortest exact float (RFC 8949 §4.2.1 "preferred serialization" of floating-point values,
 * Appendix D for the half format). Works on the bits of the double, so there is no float
 * conversion that could round, trap or be undefined (out-of-range double to float).
 */
void
hc_cbor_put_float(hc_cbor_writer *w, double v)
{
    uint8_t b[9];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t sign = bits >> 63;
    int exp = (int)((bits >> 52) & 0x7ffu);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);

    if (exp == 0x7ff) {
        /* §4.2.2: every NaN is written as the half 0x7e00; infinities fit in a half too. */
        uint16_t h = mant != 0 ? 0x7e00 : (uint16_t)((sign << 15) | 0x7c00u);
        b[0] = IB_FLOAT16;
        b[1] = (uint8_t)(h >> 8);
        b[2] = (uint8_t)h;
        hc_cbor_put_raw(w, b, 3);
        return;
    }
    if (exp == 0 && mant == 0) {
        b[0] = IB_FLOAT16; /* +0.0 / -0.0 */
        b[1] = (uint8_t)(sign << 7);
        b[2] = 0;
        hc_cbor_put_raw(w, b, 3);
        return;
    }
    if (exp != 0) {         /* double subnormals (< 2^-1022) fit neither half nor single */
        int e = exp - 1023; /* unbiased exponent */
        uint64_t sig = mant | (UINT64_C(1) << 52); /* 53-bit significand */
        /* Half (Appendix D): normal exponents -14..15 with 10 mantissa bits; subnormals are
         * m * 2^-24 with m < 1024, i.e. sig >> (28 - e) for e in -24..-15. */
        int hshift = e >= -14 ? 42 : 28 - e;
        if (e <= 15 && e >= -24 && (sig & ((UINT64_C(1) << hshift) - 1)) == 0) {
            uint16_t h = (uint16_t)(sign << 15);
            if (e >= -14) {
                h |= (uint16_t)(((unsigned)(e + 15) << 10) | (unsigned)(mant >> 42));
            } else {
                h |= (uint16_t)(sig >> hshift);
            }
            b[0] = IB_FLOAT16;
            b[1] = (uint8_t)(h >> 8);
            b[2] = (uint8_t)h;
            hc_cbor_put_raw(w, b, 3);
            return;
        }
        /* Single (IEEE 754 binary32): exponents -126..127 with 23 mantissa bits; subnormals are
         * m * 2^-149, i.e. sig >> (-97 - e) for e in -149..-127. */
        int fshift = e >= -126 ? 29 : -97 - e;
        if (e <= 127 && e >= -149 && (sig & ((UINT64_C(1) << fshift) - 1)) == 0) {
            uint32_t f = (uint32_t)(sign << 31);
            if (e >= -126) {
                f |= ((uint32_t)(e + 127) << 23) | (uint32_t)(mant >> 29);
            } else {
                f |= (uint32_t)(sig >> fshift);
            }
            b[0] = IB_FLOAT32;
            for (int k = 0; k < 4; k++) {
                b[1 + k] = (uint8_t)(f >> (24 - 8 * k));
            }
            hc_cbor_put_raw(w, b, 5);
            return;
        }
    }
    b[0] = IB_FLOAT64;
    for (int k = 0; k < 8; k++) {
        b[1 + k] = (uint8_t)(bits >> (56 - 8 * k));
    }
    hc_cbor_put_raw(w, b, 9);
}

hc_err
hc_cbor_writer_finish(const hc_cbor_writer *w, size_t *len)
{
    if (w == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (w->overflow) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    if (len != NULL) {
        *len = w->len;
    }
    return HC_OK;
}

hc_err
hc_cbor_encode_node(hc_cbor_writer *w, const hc_cbor_doc *doc, uint32_t i)
{
    if (w == NULL || hc_cbor_node_at(doc, i) == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    /* Nodes are in pre-order, so the subtree is the run of nodes from i until every announced
     * child has been seen; `pending` counts the items still owed. */
    uint64_t pending = 1;
    for (uint32_t k = i; pending > 0; k++) {
        const hc_cbor_node *n = hc_cbor_node_at(doc, k);
        if (n == NULL) {
            return HC_ERR_INVALID_ARG;
        }
        pending--;
        switch (n->type) {
        case HC_CBOR_UINT: put_head(w, MAJOR_UINT, n->v.u); break;
        case HC_CBOR_NINT: put_head(w, MAJOR_NINT, n->v.u); break;
        case HC_CBOR_BYTES: hc_cbor_put_bytes(w, n->ptr, n->len); break;
        case HC_CBOR_TEXT: hc_cbor_put_text(w, (const char *)n->ptr, n->len); break;
        case HC_CBOR_ARRAY:
            put_head(w, MAJOR_ARRAY, n->count);
            pending += n->count;
            break;
        case HC_CBOR_MAP:
            put_head(w, MAJOR_MAP, n->count);
            pending += 2 * (uint64_t)n->count;
            break;
        case HC_CBOR_TAG:
            put_head(w, MAJOR_TAG, n->v.u);
            pending += 1;
            break;
        case HC_CBOR_FALSE: put_byte(w, IB_FALSE); break;
        case HC_CBOR_TRUE: put_byte(w, IB_TRUE); break;
        case HC_CBOR_NULL: put_byte(w, IB_NULL); break;
        case HC_CBOR_UNDEFINED: put_byte(w, IB_UNDEFINED); break;
        case HC_CBOR_SIMPLE:
            /* §3.3: 0..23 in the initial byte, 32..255 in one extra byte; 24..31 have no
             * well-formed encoding and never come out of the decoder. */
            if (n->v.u < 24) {
                put_head(w, MAJOR_SIMPLE, n->v.u);
            } else if (n->v.u >= 32 && n->v.u <= UINT8_MAX) {
                uint8_t b[2] = { IB_SIMPLE8, (uint8_t)n->v.u };
                hc_cbor_put_raw(w, b, 2);
            } else {
                return HC_ERR_INVALID_ARG;
            }
            break;
        case HC_CBOR_FLOAT: hc_cbor_put_float(w, n->v.f); break;
        default: return HC_ERR_INVALID_ARG;
        }
    }
    return w->overflow ? HC_ERR_BUFFER_TOO_SMALL : HC_OK;
}

/* ---- JSON to deterministic CBOR ---- */

typedef struct json_key {
    const char *key;
    size_t len;
    json_t *value; /* borrowed */
} json_key;

/* RFC 8949 §4.2.1: map keys sorted by the bytewise lexicographic order of their deterministic
 * encodings. For text keys the head grows with the length (0x60+n, then 0x78 n, 0x79 nn, ...), so
 * that order is: shorter key first, then bytewise. */
static int
compare_keys(const void *a, const void *b)
{
    const json_key *x = a, *y = b;
    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }
    return memcmp(x->key, y->key, x->len);
}

typedef struct json_frame {
    const json_t *container;
    json_key *keys; /* objects: keys in encoding order (pooled or malloc'd), else NULL */
    bool keys_heap; /* keys was malloc'd */
    size_t index;
    size_t size;
} json_frame;

/* Keys of the open objects, shared as a stack: a certificate's objects hold a few keys each, and
 * a malloc and a qsort per object cost more than encoding them (measured in the issuer's batch,
 * bench/bench_issue.c). Objects that do not fit take the heap. */
#define KEY_POOL 64

/* Sorts keys by compare_keys, stably enough for distinct keys (object keys are distinct):
 * insertion sort for the few keys of a DCC object, qsort past that. */
static void
sort_keys(json_key *keys, size_t n)
{
    if (n > 16) {
        qsort(keys, n, sizeof *keys, compare_keys);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        json_key k = keys[i];
        size_t j = i;
        while (j > 0 && (keys[j - 1].len > k.len ||
                         (keys[j - 1].len == k.len && memcmp(keys[j - 1].key, k.key, k.len) > 0))) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = k;
    }
}

hc_err
hc_cbor_encode_json(hc_cbor_writer *w, const json_t *value)
{
    if (w == NULL || value == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    json_frame stack[HC_MAX_JSON_DEPTH];
    json_key pool[KEY_POOL];
    size_t sp = 0, pool_used = 0;
    hc_err err = HC_OK;
    const json_t *cur = value;

    for (;;) {
        switch (json_typeof(cur)) {
        case JSON_OBJECT:
        case JSON_ARRAY: {
            /* jansson's accessors are not const-correct; nothing is modified. */
            json_t *c = (json_t *)cur;
            bool is_object = json_is_object(c);
            size_t size = is_object ? json_object_size(c) : json_array_size(c);
            if (sp == HC_MAX_JSON_DEPTH) {
                err = HC_ERR_INVALID_ARG; /* too deep: the contract's depth bound */
                goto done;
            }
            json_key *keys = NULL;
            bool keys_heap = false;
            if (is_object && size > 0) {
                if (size <= KEY_POOL - pool_used) {
                    keys = pool + pool_used;
                    pool_used += size;
                } else {
                    keys = malloc(size * sizeof *keys);
                    keys_heap = true;
                }
                if (keys == NULL) {
                    err = HC_ERR_NOMEM;
                    goto done;
                }
                size_t k = 0;
                for (void *it = json_object_iter(c); it != NULL && k < size;
                     it = json_object_iter_next(c, it)) {
                    keys[k].key = json_object_iter_key(it);
                    keys[k].len = json_object_iter_key_len(it);
                    keys[k].value = json_object_iter_value(it);
                    k++;
                }
                if (!keys_heap) {
                    pool_used -= size - k; /* the iterator gave fewer (never happens) */
                }
                size = k;
                sort_keys(keys, size);
            }
            if (is_object) {
                hc_cbor_put_map(w, size);
            } else {
                hc_cbor_put_array(w, size);
            }
            stack[sp].container = cur;
            stack[sp].keys = keys;
            stack[sp].keys_heap = keys_heap;
            stack[sp].index = 0;
            stack[sp].size = size;
            sp++;
            break;
        }
        case JSON_STRING:
            hc_cbor_put_text(w, json_string_value(cur), json_string_length(cur));
            break;
        case JSON_INTEGER: hc_cbor_put_int(w, json_integer_value(cur)); break;
        case JSON_REAL:
            /* A real stays a float even when integral (1.0 is not 1): JSON→CBOR→JSON keeps it. */
            hc_cbor_put_float(w, json_real_value(cur));
            break;
        case JSON_TRUE: hc_cbor_put_bool(w, true); break;
        case JSON_FALSE: hc_cbor_put_bool(w, false); break;
        case JSON_NULL: hc_cbor_put_null(w); break;
        default: err = HC_ERR_INVALID_ARG; goto done;
        }
        if (w->overflow) {
            goto done; /* nothing more will be written: stop early */
        }

        /* Next value: the next child of the innermost container, closing finished ones. */
        for (;;) {
            if (sp == 0) {
                goto done;
            }
            json_frame *f = &stack[sp - 1];
            if (f->index < f->size) {
                if (f->keys != NULL) {
                    const json_key *k = &f->keys[f->index];
                    hc_cbor_put_text(w, k->key, k->len);
                    cur = k->value;
                } else {
                    cur = json_array_get(f->container, f->index);
                }
                f->index++;
                break;
            }
            if (f->keys_heap) {
                free(f->keys);
            } else if (f->keys != NULL) {
                pool_used -= f->size; /* the innermost pooled object: the pool's top */
            }
            sp--;
        }
        if (cur == NULL) {
            err = HC_ERR_INVALID_ARG;
            goto done;
        }
    }

done:
    while (sp > 0) {
        sp--;
        if (stack[sp].keys_heap) {
            free(stack[sp].keys);
        }
    }
    if (err != HC_OK) {
        return err;
    }
    return w->overflow ? HC_ERR_BUFFER_TOO_SMALL : HC_OK;
}
