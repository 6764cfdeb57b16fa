/*
 * cbor_decode.c: the bounded, non-recursive CBOR decoder (RFC 8949) and the tree accessors.
 *
 * Invariants
 *   - Nodes are appended in the order their heads appear in the input, i.e. in pre-order: the
 *     descendants of node i are the nodes right after it, and siblings are chained by `next`.
 *     cbor_encode.c (hc_cbor_encode_node) and the duplicate-key check rely on this.
 *   - No byte is read before it is known to lie inside the input. Every declared length or item
 *     count is compared with the bytes that remain before it is used, so a declared number never
 *     drives memory use or loop length (security.md §1.4, libcbor #16/#415/#418).
 *   - The only memory used is the caller's node array and scratch buffer and a fixed stack of
 *     HC_CBOR_MAX_DEPTH frames on the C stack: no malloc, no recursion.
 *   - Every node gets raw/raw_len, the exact bytes it was decoded from.
 *   - On failure doc->error and doc->error_offset say why and where, and *root is not written.
 */
#include "cbor.h"

#include <string.h>

#include "hc_utf8.h"

/* RFC 8949 §3: the initial byte holds the major type (high 3 bits) and the additional
 * information (low 5 bits). */
#define MAJOR_UINT   0
#define MAJOR_NINT   1
#define MAJOR_BYTES  2
#define MAJOR_TEXT   3
#define MAJOR_ARRAY  4
#define MAJOR_MAP    5
#define MAJOR_TAG    6
#define MAJOR_SIMPLE 7

/* RFC 8949 §3: additional information 0..23 is the argument itself, 24..27 announce an argument of
 * 1, 2, 4 or 8 bytes, 28..30 are reserved (not well-formed, Appendix F), 31 is indefinite length
 * (§3.2) or, with major type 7, the "break" stop code (§3.2.1). */
#define AI_ONE_BYTE  24
#define AI_TWO_BYTES 25
#define AI_FOUR      26
#define AI_EIGHT     27
#define AI_INDEF     31
#define BREAK_BYTE   0xff /* major type 7, additional information 31: RFC 8949 §3.2.1 */

/* RFC 8949 §3.3, table 4: simple values 20..23 and the floats under major type 7. */
#define SIMPLE_FALSE     20
#define SIMPLE_TRUE      21
#define SIMPLE_NULL      22
#define SIMPLE_UNDEFINED 23
/* RFC 8949 §3.3: a two-byte simple value (0xf8 xx) below 32 is not well-formed. */
#define SIMPLE_TWO_BYTE_MIN 32

/* One open container (array, map or tag) of the explicit decoding stack. */
typedef struct frame {
    uint32_t node;   /* the container's node index */
    uint32_t last;   /* its last child so far, HC_CBOR_NONE when none yet */
    uint32_t items;  /* data items decoded so far (keys and values count separately) */
    uint32_t left;   /* definite length: items still expected */
    bool indefinite; /* closed by a break instead of a count */
    bool map;        /* the container is a map (items alternate key, value) */
    uint64_t keys;   /* map: one bit per key_bit() of the keys so far (a 64-bit Bloom filter) */
} frame;

static hc_err
fail(hc_cbor_doc *doc, size_t offset, const char *why)
{
    doc->error = why;
    doc->error_offset = offset;
    return HC_ERR_STRUCTURE_INVALID;
}

/*
 * Reads the head at in[*pos] (the caller checked *pos < len): major type, additional information
 * and argument. Returns NULL, or the reason the head is not well-formed. For AI 31 the argument is
 * 0 and the caller decides whether indefinite length is allowed.
 */
static const char *
read_head(const uint8_t *in, size_t len, size_t *pos, unsigned *major, unsigned *ai, uint64_t *arg)
{
    size_t p = *pos;
    uint8_t ib = in[p++];
    *major = ib >> 5;
    *ai = ib & 0x1fu;
    if (*ai < AI_ONE_BYTE) {
        *arg = *ai;
    } else if (*ai <= AI_EIGHT) {
        size_t n = (size_t)1 << (*ai - AI_ONE_BYTE); /* 1, 2, 4, 8 bytes, big-endian (§3) */
        if (len - p < n) {
            return "truncated: argument bytes missing";
        }
        uint64_t v = 0;
        for (size_t k = 0; k < n; k++) {
            v = (v << 8) | in[p + k];
        }
        p += n;
        *arg = v;
    } else if (*ai < AI_INDEF) {
        return "reserved additional information (28..30)";
    } else {
        *arg = 0;
    }
    *pos = p;
    return NULL;
}

/*
 * UTF-8 as RFC 3629 §4 defines it (RFC 8949 §3.1 major type 3, §5.3.1): no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences. The full walk, for
 * text that has a non-ASCII byte.
 */
static bool
utf8_valid_walk(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = hc_utf8_char_len(s + i, n - i);
        if (k == 0) {
            return false;
        }
        i += k;
    }
    return true;
}

/* Text validity, with a fast path small enough to be inlined: DCC text is nearly all ASCII, so OR
 * every byte together (8 at a time, then the tail) and test the high bits once. */
static inline bool
utf8_valid(const uint8_t *s, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        acc |= word;
    }
    for (; i < n; i++) {
        acc |= s[i];
    }
    return (acc & UINT64_C(0x8080808080808080)) == 0 || utf8_valid_walk(s, n);
}

/* RFC 8949 Appendix D: half precision to double, exactly (every half is a double). Built from the
 * bits so that no libm call and no rounding is involved. */
static double
half_to_double(uint16_t h)
{
    uint64_t sign = (uint64_t)(h >> 15) << 63;
    unsigned exp = (h >> 10) & 0x1fu;
    uint64_t mant = h & 0x3ffu;
    uint64_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign; /* +-0 */
        } else {
            /* Subnormal: mant * 2^-24. Normalise so the leading 1 becomes the implicit bit. */
            int e = -14;
            while ((mant & 0x400u) == 0) {
                mant <<= 1;
                e--;
            }
            mant &= 0x3ffu;
            bits = sign | ((uint64_t)(e + 1023) << 52) | (mant << 42);
        }
    } else if (exp == 31) {
        bits = sign | (UINT64_C(0x7ff) << 52) | (mant << 42); /* infinity, or NaN with payload */
    } else {
        bits = sign | ((uint64_t)(exp - 15 + 1023) << 52) | (mant << 42);
    }
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static double
single_to_double(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return (double)f; /* exact: every float is a double */
}

/*
 * Value equality of two single nodes (not their children), as RFC 8949 §5.6.1 asks for map keys:
 * the encoding (argument width, definite or indefinite string, float width) does not matter, the
 * major type and the value do. Floats compare by the bits of their exact double value, so 1.5 as
 * half and as double are one key, 0.0 and -0.0 are two.
 */
static bool
node_value_equal(const hc_cbor_node *a, const hc_cbor_node *b)
{
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case HC_CBOR_UINT:
    case HC_CBOR_NINT:
    case HC_CBOR_TAG:
    case HC_CBOR_SIMPLE: return a->v.u == b->v.u;
    case HC_CBOR_BYTES:
    case HC_CBOR_TEXT:
        /* First bytes before memcmp: DCC keys are short and mostly differ there. */
        return a->len == b->len &&
               (a->len == 0 || (a->ptr[0] == b->ptr[0] && memcmp(a->ptr, b->ptr, a->len) == 0));
    case HC_CBOR_ARRAY:
    case HC_CBOR_MAP: return a->count == b->count;
    case HC_CBOR_FLOAT: return memcmp(&a->v.f, &b->v.f, sizeof a->v.f) == 0;
    default: return true; /* false, true, null, undefined: the type is the value */
    }
}

/*
 * A bit chosen by a hash of the key's value (first node only), independent of its encoding: equal
 * keys get equal bits, so a key whose bit is not yet set in the map's filter cannot be a duplicate
 * and needs no comparison. DCC maps then cost one hash per key instead of a scan.
 */
static unsigned
key_bit(const hc_cbor_node *k)
{
    uint64_t h = k->type;
    switch (k->type) {
    case HC_CBOR_BYTES:
    case HC_CBOR_TEXT:
        h ^= (uint64_t)k->len << 8;
        if (k->len > 0) {
            h ^= ((uint64_t)k->ptr[0] << 40) ^ ((uint64_t)k->ptr[k->len - 1] << 48);
        }
        break;
    case HC_CBOR_ARRAY:
    case HC_CBOR_MAP: h ^= (uint64_t)k->count << 8; break;
    case HC_CBOR_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &k->v.f, sizeof bits);
        h ^= bits;
        break;
    }
    default: h ^= k->v.u << 8; break; /* integers, tags, simple values */
    }
    return (unsigned)((h * UINT64_C(0x9e3779b97f4a7c15)) >> 58); /* Fibonacci hashing, 6 bits */
}

/*
 * The key `key` of the map in frame f just completed (its nodes are [key, end)): is it equal to
 * an earlier key of the same map? Quadratic in the pairs of one map, which are at most
 * HC_CBOR_MAX_CONTAINER_ITEMS; DCC maps have about ten. In pre-order with counts, equal node
 * sequences mean equal trees, so comparing subtrees is a flat walk (no recursion). This is on the
 * verify hot path, so the cheap tests (type, subtree size, first node) come first.
 */
static bool
key_is_duplicate(const hc_cbor_node *nodes, const frame *f, uint32_t key, uint32_t end)
{
    const hc_cbor_node *kn = &nodes[key];
    uint32_t size = end - key;
    uint32_t k = nodes[f->node].first;
    while (k != key) {
        const hc_cbor_node *pn = &nodes[k];
        uint32_t value = pn->next; /* a key's subtree ends where its value starts */
        /* Inline pre-filter: for keys of one type and size, the argument (integers) or the
         * length and first byte (strings) settle nearly every comparison without a call. */
        bool maybe = pn->type == kn->type && value - k == size;
        if (maybe && (kn->type == HC_CBOR_TEXT || kn->type == HC_CBOR_BYTES)) {
            maybe = pn->len == kn->len && (kn->len == 0 || pn->ptr[0] == kn->ptr[0]);
        } else if (maybe && (kn->type == HC_CBOR_UINT || kn->type == HC_CBOR_NINT)) {
            maybe = pn->v.u == kn->v.u;
        }
        if (maybe && node_value_equal(pn, kn)) {
            uint32_t m = 1;
            while (m < size && node_value_equal(&nodes[k + m], &nodes[key + m])) {
                m++;
            }
            if (m == size) {
                return true;
            }
        }
        k = nodes[value].next;
    }
    return false;
}

void
hc_cbor_doc_init(hc_cbor_doc *doc, hc_cbor_node *nodes, uint32_t cap, uint8_t *scratch,
                 size_t scratch_cap, unsigned options)
{
    if (doc == NULL) {
        return;
    }
    doc->nodes = nodes;
    doc->cap = nodes == NULL ? 0 : cap;
    doc->count = 0;
    doc->scratch = scratch;
    doc->scratch_cap = scratch == NULL ? 0 : scratch_cap;
    doc->scratch_used = 0;
    doc->options = options;
    doc->error_offset = 0;
    doc->error = NULL;
}

/* Reads the chunks of an indefinite-length string (RFC 8949 §3.2.3) that starts with the head at
 * `start` and whose chunks start at *pos, and concatenates them into the scratch buffer. */
static hc_err
read_indefinite_string(hc_cbor_doc *doc, const uint8_t *in, size_t len, size_t start, size_t *pos,
                       unsigned major, hc_cbor_node *n)
{
    size_t p = *pos;
    size_t scratch_cap = doc->scratch == NULL ? 0 : doc->scratch_cap;
    size_t begin = doc->scratch_used;
    unsigned chunks = 0;
    for (;;) {
        if (p >= len) {
            return fail(doc, start, "truncated: indefinite-length string without break");
        }
        if (in[p] == BREAK_BYTE) {
            p++;
            break;
        }
        size_t chunk_start = p;
        unsigned cmajor, cai;
        uint64_t clen;
        const char *why = read_head(in, len, &p, &cmajor, &cai, &clen);
        if (why != NULL) {
            return fail(doc, chunk_start, why);
        }
        /* §3.2.3: every chunk is a definite-length string of the same major type. */
        if (cmajor != major) {
            return fail(doc, chunk_start, "indefinite-length string chunk of another major type");
        }
        if (cai == AI_INDEF) {
            return fail(doc, chunk_start, "indefinite-length chunk inside an indefinite string");
        }
        if (++chunks > HC_CBOR_MAX_STRING_CHUNKS) {
            return fail(doc, chunk_start, "too many chunks in an indefinite-length string");
        }
        if (clen > len - p) {
            return fail(doc, chunk_start, "truncated: string chunk longer than the input");
        }
        /* §3.2.3: each text chunk is itself a text string, so a code point never spans chunks;
         * validating chunk by chunk also validates the concatenation. */
        if (major == MAJOR_TEXT && !utf8_valid(in + p, (size_t)clen)) {
            return fail(doc, chunk_start, "invalid UTF-8 in text string");
        }
        if (clen > scratch_cap - doc->scratch_used) {
            return fail(doc, chunk_start, "scratch buffer too small for indefinite-length string");
        }
        if (clen > 0) {
            memcpy(doc->scratch + doc->scratch_used, in + p, (size_t)clen);
        }
        doc->scratch_used += (size_t)clen;
        p += (size_t)clen;
    }
    n->flags |= HC_CBOR_F_INDEFINITE;
    n->ptr = doc->scratch != NULL ? doc->scratch + begin : in + start;
    n->len = doc->scratch_used - begin;
    *pos = p;
    return HC_OK;
}

hc_err
hc_cbor_decode(hc_cbor_doc *doc, const uint8_t *in, size_t len, uint32_t *root)
{
    if (doc == NULL || root == NULL || (in == NULL && len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    doc->scratch_used = 0;
    doc->error = NULL;
    doc->error_offset = 0;

    /* Hot state lives in locals whose address is never taken, so stores into the nodes (some
     * through uint8_t fields, which may alias anything) do not force reloads. */
    hc_cbor_node *nodes = doc->nodes;
    uint32_t limit = nodes == NULL ? 0 : doc->cap;
    if (limit > HC_CBOR_MAX_NODES) {
        limit = HC_CBOR_MAX_NODES;
    }
    const bool reject_dups = (doc->options & HC_CBOR_REJECT_DUPLICATE_KEYS) != 0;
    uint32_t count = 0;
    frame stack[HC_CBOR_MAX_DEPTH];
    unsigned sp = 0;
    frame *top = NULL; /* &stack[sp - 1], NULL at top level */
    size_t pos = 0;
    const char *why; /* on failure: the reason ... */
    size_t where;    /* ... and the offset */

    for (;;) {
        size_t start = pos;
        if (pos >= len) {
            why = "truncated: data item expected";
            where = pos;
            goto refuse;
        }

        if (in[pos] == BREAK_BYTE) {
            /* §3.2.1: a break only closes an indefinite-length array or map. */
            if (top == NULL || !top->indefinite) {
                why = "break outside an indefinite-length array or map";
                where = pos;
                goto refuse;
            }
            hc_cbor_node *c = &nodes[top->node];
            if (top->map) {
                if (top->items & 1u) {
                    why = "indefinite-length map with a key but no value";
                    where = pos;
                    goto refuse;
                }
                c->count = top->items / 2;
            } else {
                c->count = top->items;
            }
            pos++;
            c->raw_len = pos - (size_t)(c->raw - in);
            sp--;
            top = sp > 0 ? &stack[sp - 1] : NULL;
            goto item_done;
        }

        unsigned major = in[pos] >> 5, ai = in[pos] & 0x1fu;
        uint64_t arg = ai;
        if (ai < AI_ONE_BYTE) {
            pos++; /* the common case, argument in the initial byte: no call */
        } else {
            /* Copies, so that no address of the loop's variables is ever taken (which would keep
             * them in memory for the whole loop). */
            size_t p = pos;
            unsigned m, a;
            uint64_t value;
            why = read_head(in, len, &p, &m, &a, &value);
            if (why != NULL) {
                where = start;
                goto refuse;
            }
            pos = p;
            ai = a;
            arg = value;
        }

        if (top != NULL) {
            if (top->indefinite &&
                top->items >= (top->map ? 2u : 1u) * HC_CBOR_MAX_CONTAINER_ITEMS) {
                why = "too many items in one array or map";
                where = start;
                goto refuse;
            }
            /* The item about to start is a value, so its key is complete: check it now, so the
             * error points at the duplicate (RFC 8949 §5.6, RFC 9052 §3). */
            if (top->map && (top->items & 1u) && reject_dups) {
                uint64_t bit = UINT64_C(1) << key_bit(&nodes[top->last]);
                if ((top->keys & bit) != 0 && key_is_duplicate(nodes, top, top->last, count)) {
                    why = "duplicate map key";
                    where = (size_t)(nodes[top->last].raw - in);
                    goto refuse;
                }
                top->keys |= bit;
            }
        }

        if (count >= limit) {
            why = "too many data items for the node array";
            where = start;
            goto refuse;
        }
        uint32_t idx = count++;
        hc_cbor_node *n = &nodes[idx];
        *n = (hc_cbor_node){ .first = HC_CBOR_NONE, .next = HC_CBOR_NONE, .raw = in + start };
        if (top != NULL) {
            if (top->last == HC_CBOR_NONE) {
                nodes[top->node].first = idx;
            } else {
                nodes[top->last].next = idx;
            }
            top->last = idx;
            top->items++;
        }

        switch (major) {
        case MAJOR_UINT:
        case MAJOR_NINT:
            /* §3.1: integers have no indefinite form. */
            if (ai == AI_INDEF) {
                why = "indefinite length on an integer";
                where = start;
                goto refuse;
            }
            n->type = major == MAJOR_UINT ? HC_CBOR_UINT : HC_CBOR_NINT;
            n->v.u = arg;
            break;

        case MAJOR_BYTES:
        case MAJOR_TEXT:
            n->type = major == MAJOR_BYTES ? HC_CBOR_BYTES : HC_CBOR_TEXT;
            if (ai == AI_INDEF) {
                size_t p = pos;
                doc->count = count;
                hc_err err = read_indefinite_string(doc, in, len, start, &p, major, n);
                if (err != HC_OK) {
                    return err;
                }
                pos = p;
                break;
            }
            if (arg > len - pos) {
                why = "truncated: string longer than the input";
                where = start;
                goto refuse;
            }
            n->ptr = in + pos;
            n->len = (size_t)arg;
            pos += (size_t)arg;
            if (major == MAJOR_TEXT && !utf8_valid(n->ptr, n->len)) {
                why = "invalid UTF-8 in text string";
                where = start;
                goto refuse;
            }
            break;

        case MAJOR_ARRAY:
        case MAJOR_MAP:
        case MAJOR_TAG: {
            uint32_t items;
            bool indefinite = false;
            if (major == MAJOR_TAG) {
                /* §3.4: a tag number followed by exactly one data item; no indefinite form. */
                if (ai == AI_INDEF) {
                    why = "indefinite length on a tag";
                    where = start;
                    goto refuse;
                }
                n->type = HC_CBOR_TAG;
                n->v.u = arg;
                n->count = 1;
                items = 1;
            } else {
                n->type = major == MAJOR_ARRAY ? HC_CBOR_ARRAY : HC_CBOR_MAP;
                if (ai == AI_INDEF) {
                    n->flags = HC_CBOR_F_INDEFINITE;
                    indefinite = true;
                    items = 0;
                } else {
                    /* Bound the count before any arithmetic on it, then check it against the
                     * input: each item takes at least one byte (security.md §1.4). */
                    if (arg > HC_CBOR_MAX_CONTAINER_ITEMS) {
                        why = "too many items in one array or map";
                        where = start;
                        goto refuse;
                    }
                    n->count = (uint32_t)arg;
                    items = major == MAJOR_MAP ? 2 * (uint32_t)arg : (uint32_t)arg;
                    if (items > len - pos) {
                        why = "truncated: more items declared than bytes remain";
                        where = start;
                        goto refuse;
                    }
                    if (items == 0) {
                        break;
                    }
                }
            }
            if (sp == HC_CBOR_MAX_DEPTH) {
                why = "nesting too deep";
                where = start;
                goto refuse;
            }
            top = &stack[sp++];
            *top = (frame){ .node = idx,
                            .last = HC_CBOR_NONE,
                            .left = items,
                            .indefinite = indefinite,
                            .map = major == MAJOR_MAP };
            continue; /* the container's children come next */
        }

        default: /* MAJOR_SIMPLE (§3.3); AI 31 here is 0xff, handled above as a break */
            if (ai < SIMPLE_FALSE) {
                n->type = HC_CBOR_SIMPLE;
                n->v.u = arg;
            } else if (ai == SIMPLE_FALSE) {
                n->type = HC_CBOR_FALSE;
            } else if (ai == SIMPLE_TRUE) {
                n->type = HC_CBOR_TRUE;
            } else if (ai == SIMPLE_NULL) {
                n->type = HC_CBOR_NULL;
            } else if (ai == SIMPLE_UNDEFINED) {
                n->type = HC_CBOR_UNDEFINED;
            } else if (ai == AI_ONE_BYTE) {
                if (arg < SIMPLE_TWO_BYTE_MIN) {
                    why = "two-byte simple value below 32";
                    where = start;
                    goto refuse;
                }
                n->type = HC_CBOR_SIMPLE;
                n->v.u = arg;
            } else {
                n->type = HC_CBOR_FLOAT;
                if (ai == AI_TWO_BYTES) {
                    n->flags = HC_CBOR_F_FLOAT16;
                    n->v.f = half_to_double((uint16_t)arg);
                } else if (ai == AI_FOUR) {
                    n->flags = HC_CBOR_F_FLOAT32;
                    n->v.f = single_to_double((uint32_t)arg);
                } else {
                    n->flags = HC_CBOR_F_FLOAT64;
                    memcpy(&n->v.f, &arg, sizeof n->v.f);
                }
            }
            break;
        }
        n->raw_len = pos - start;

    item_done:
        /* A data item is complete: count it in its parent, closing every definite container that
         * this completes (which completes an item of the container above, and so on). */
        while (top != NULL && !top->indefinite && --top->left == 0) {
            hc_cbor_node *c = &nodes[top->node];
            c->raw_len = pos - (size_t)(c->raw - in);
            sp--;
            top = sp > 0 ? &stack[sp - 1] : NULL;
        }
        if (top == NULL) {
            /* The top-level item is complete; RFC 8949 §5.3.1 leaves trailing data to the
             * application, and we decode exactly one item (QCBOR_ERR_EXTRA_BYTES). */
            if (pos != len) {
                why = "bytes after the top-level data item";
                where = pos;
                goto refuse;
            }
            doc->count = count;
            *root = 0;
            return HC_OK;
        }
    }

refuse:
    doc->count = count;
    return fail(doc, where, why);
}

const hc_cbor_node *
hc_cbor_node_at(const hc_cbor_doc *doc, uint32_t i)
{
    if (doc == NULL || doc->nodes == NULL || i >= doc->count) {
        return NULL;
    }
    return &doc->nodes[i];
}

uint32_t
hc_cbor_untag(const hc_cbor_doc *doc, uint32_t i, uint64_t *tags, size_t max, size_t *ntags)
{
    size_t seen = 0;
    const hc_cbor_node *n = hc_cbor_node_at(doc, i);
    /* A tag's child always has a higher index (pre-order), so this loop ends. */
    while (n != NULL && n->type == HC_CBOR_TAG) {
        if (tags != NULL && seen < max) {
            tags[seen] = n->v.u;
        }
        seen++;
        if (n->first <= i) {
            i = HC_CBOR_NONE;
            break;
        }
        i = n->first;
        n = hc_cbor_node_at(doc, i);
    }
    if (n == NULL) {
        i = HC_CBOR_NONE;
    }
    if (ntags != NULL) {
        *ntags = seen;
    }
    return i;
}

/* The value index of the first pair of map node `map` whose key node satisfies match(), or
 * HC_CBOR_NONE. */
static uint32_t
map_find(const hc_cbor_doc *doc, uint32_t map,
         bool (*match)(const hc_cbor_node *key, const void *arg), const void *arg)
{
    const hc_cbor_node *m = hc_cbor_node_at(doc, map);
    if (m == NULL || m->type != HC_CBOR_MAP) {
        return HC_CBOR_NONE;
    }
    uint32_t k = m->first;
    for (uint32_t pair = 0; pair < m->count; pair++) {
        const hc_cbor_node *key = hc_cbor_node_at(doc, k);
        if (key == NULL || hc_cbor_node_at(doc, key->next) == NULL) {
            return HC_CBOR_NONE;
        }
        if (match(key, arg)) {
            return key->next;
        }
        k = doc->nodes[key->next].next;
    }
    return HC_CBOR_NONE;
}

static bool
match_int(const hc_cbor_node *key, const void *arg)
{
    int64_t want = *(const int64_t *)arg;
    int64_t have;
    return hc_cbor_get_int64(key, &have) && have == want;
}

typedef struct text_key {
    const char *s;
    size_t len;
} text_key;

static bool
match_text(const hc_cbor_node *key, const void *arg)
{
    const text_key *t = arg;
    return key->type == HC_CBOR_TEXT && key->len == t->len &&
           (t->len == 0 || memcmp(key->ptr, t->s, t->len) == 0);
}

uint32_t
hc_cbor_map_get_int(const hc_cbor_doc *doc, uint32_t map, int64_t key)
{
    return map_find(doc, map, match_int, &key);
}

uint32_t
hc_cbor_map_get_text(const hc_cbor_doc *doc, uint32_t map, const char *key)
{
    if (key == NULL) {
        return HC_CBOR_NONE;
    }
    text_key t = { key, strlen(key) };
    return map_find(doc, map, match_text, &t);
}

bool
hc_cbor_get_int64(const hc_cbor_node *n, int64_t *out)
{
    if (n == NULL || out == NULL || n->v.u > (uint64_t)INT64_MAX) {
        return false;
    }
    if (n->type == HC_CBOR_UINT) {
        *out = (int64_t)n->v.u;
        return true;
    }
    if (n->type == HC_CBOR_NINT) {
        /* §3.1 major type 1: the value is -1 - argument; argument <= INT64_MAX keeps it in range.
         */
        *out = -1 - (int64_t)n->v.u;
        return true;
    }
    return false;
}
