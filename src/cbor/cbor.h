/*
 * cbor.h: a bounded CBOR (RFC 8949) decoder into a flat node tree, and a deterministic encoder.
 *
 * Decoder contract
 *   - No allocation: the caller hands in an array of nodes and a scratch buffer (for the
 *     concatenated content of indefinite-length strings). Declared lengths and counts are checked
 *     against the remaining input before anything is used (a byte string "of 2^64 bytes" in a
 *     9-byte input is STRUCTURE_INVALID, not an allocation).
 *   - Bounded: nesting depth, items per container, total nodes, chunks per indefinite string
 *     (hc_limits.h). No recursion: an explicit stack of HC_CBOR_MAX_DEPTH entries.
 *   - Strict well-formedness (RFC 8949 §3 and Appendix F): reserved additional information 28..30,
 *     two-byte simple values below 32, breaks outside indefinite containers, chunks of the wrong
 *     type, indefinite chunks inside indefinite strings, odd item counts in indefinite maps,
 *     truncated items and bytes after the top-level item are all refused.
 *   - Text strings must be valid UTF-8 (RFC 8949 §5.3.1).
 *   - Maps with duplicate keys are refused when HC_CBOR_REJECT_DUPLICATE_KEYS is set (RFC 9052 §3
 *     asks for unique header labels; a duplicated claim would let two verifiers disagree). Keys are
 *     compared by value (an integer key 4 and 0x1804 are the same key).
 *   - Every node records the exact bytes it was decoded from (raw, raw_len), so that signed
 *     structures can be verified over the bytes received, never re-encoded ones.
 *
 * Node views point into the input and the scratch buffer: they are valid while both are.
 *
 * Encoder contract
 *   - Writes into a caller buffer; overflow is sticky and reported once by hc_cbor_writer_finish.
 *   - Preferred (shortest) serialisation of integers, lengths and floats (RFC 8949 §4.2.1).
 *   - hc_cbor_encode_json writes core deterministic encoding (RFC 8949 §4.2.1): definite lengths
 *     and map keys sorted by the bytewise order of their encodings.
 */
#ifndef HC_CBOR_H
#define HC_CBOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hc_limits.h"
#include "healthcert/error.h"

typedef enum hc_cbor_type {
    HC_CBOR_UINT = 0,  /* major type 0: v.u */
    HC_CBOR_NINT,      /* major type 1: value is -1 - v.u */
    HC_CBOR_BYTES,     /* major type 2: ptr/len (scratch copy when indefinite) */
    HC_CBOR_TEXT,      /* major type 3: ptr/len, valid UTF-8, not NUL-terminated */
    HC_CBOR_ARRAY,     /* major type 4: count children */
    HC_CBOR_MAP,       /* major type 5: 2*count children: key, value, key, value, ... */
    HC_CBOR_TAG,       /* major type 6: tag number v.u, exactly one child (the tagged item) */
    HC_CBOR_FALSE,     /* simple 20 */
    HC_CBOR_TRUE,      /* simple 21 */
    HC_CBOR_NULL,      /* simple 22 */
    HC_CBOR_UNDEFINED, /* simple 23 */
    HC_CBOR_SIMPLE,    /* other simple values: v.u */
    HC_CBOR_FLOAT,     /* half, single or double: v.f (flags tell the width) */
} hc_cbor_type;

#define HC_CBOR_NONE UINT32_MAX /* "no node" index */

/* hc_cbor_node.flags */
#define HC_CBOR_F_INDEFINITE 0x01 /* encoded with indefinite length */
#define HC_CBOR_F_FLOAT16    0x02
#define HC_CBOR_F_FLOAT32    0x04
#define HC_CBOR_F_FLOAT64    0x08

typedef struct hc_cbor_node {
    uint8_t type;   /* hc_cbor_type */
    uint8_t flags;  /* HC_CBOR_F_* */
    uint32_t count; /* ARRAY: items; MAP: pairs; TAG: 1 */
    uint32_t first; /* first child node, or HC_CBOR_NONE */
    uint32_t next;  /* next sibling, or HC_CBOR_NONE */
    union {
        uint64_t u; /* UINT, NINT (argument), TAG (number), SIMPLE (value) */
        double f;   /* FLOAT */
    } v;
    const uint8_t *ptr; /* BYTES, TEXT: content */
    size_t len;         /* BYTES, TEXT: content length */
    const uint8_t *raw; /* the encoded item, head included (children included) */
    size_t raw_len;
} hc_cbor_node;

/* Decoder options. */
#define HC_CBOR_REJECT_DUPLICATE_KEYS 0x01

typedef struct hc_cbor_doc {
    hc_cbor_node *nodes; /* caller's array */
    uint32_t cap;        /* its length */
    uint32_t count;      /* nodes used */
    uint8_t *scratch;    /* caller's buffer for indefinite-length string contents */
    size_t scratch_cap;
    size_t scratch_used;
    unsigned options;    /* HC_CBOR_* */
    size_t error_offset; /* on failure: input offset where decoding stopped */
    const char *error; /* on failure: static description, e.g. "reserved additional information" */
} hc_cbor_doc;

/* Prepares doc to decode with the given storage; cannot fail. */
void hc_cbor_doc_init(hc_cbor_doc *doc, hc_cbor_node *nodes, uint32_t cap, uint8_t *scratch,
                      size_t scratch_cap, unsigned options);

/*
 * Decodes exactly one data item that spans all of in[0..len) (trailing bytes are an error).
 * Returns HC_OK and sets *root, or HC_ERR_STRUCTURE_INVALID (malformed, invalid UTF-8, duplicate
 * key, trailing bytes, a bound exceeded; doc->error says which).
 * Decoding again with the same doc replaces the previous tree.
 * (Addition: HC_ERR_INVALID_ARG when doc or root is NULL, or in is NULL with len > 0.)
 */
hc_err hc_cbor_decode(hc_cbor_doc *doc, const uint8_t *in, size_t len, uint32_t *root);

/* The node at index i (NULL for HC_CBOR_NONE or out of range). */
const hc_cbor_node *hc_cbor_node_at(const hc_cbor_doc *doc, uint32_t i);

/* Follows TAG nodes to the first untagged node; each tag number seen is stored in tags[] (up to
 * max, the number seen is returned in *ntags even beyond max). */
uint32_t hc_cbor_untag(const hc_cbor_doc *doc, uint32_t i, uint64_t *tags, size_t max,
                       size_t *ntags);

/* In map node `map`, the value node for integer key `key` / text key `key`, or HC_CBOR_NONE. */
uint32_t hc_cbor_map_get_int(const hc_cbor_doc *doc, uint32_t map, int64_t key);
uint32_t hc_cbor_map_get_text(const hc_cbor_doc *doc, uint32_t map, const char *key);

/* Integer value of a UINT/NINT node that fits int64_t; false otherwise. */
bool hc_cbor_get_int64(const hc_cbor_node *n, int64_t *out);

/*
 * Converts the subtree at node i to JSON (new reference, NULL on failure):
 *   integers -> integer (beyond int64: real), text -> string, bytes -> base64 string (RFC 4648 §4,
 *   padded) unless flags has HC_CBOR_JSON_BYTES_HEX, arrays/maps -> arrays/objects (non-text map
 *   keys are written as their decimal or base64 text), tags -> the tagged item (tag 0/1 dates kept
 *   as their text/number), floats -> real (integral values stay real), true/false/null -> same,
 *   undefined -> null, other simple values -> integer.
 *   (Addition, details: integer keys as exact decimal text, byte-string keys as above, array and
 *   map keys as the base64/hex text of their CBOR encoding (linear in size), float, true, false,
 *   null, undefined and simple-value keys as the JSON text of their value; with duplicate keys,
 *   when the decoder let them through, the last pair wins. NaN and infinities have no JSON form
 *   (RFC 8259 §6): NULL.)
 */
#define HC_CBOR_JSON_BYTES_HEX 0x01
json_t *hc_cbor_to_json(const hc_cbor_doc *doc, uint32_t i, unsigned flags);

/* ---- Encoder ---- */

typedef struct hc_cbor_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow; /* sticky */
} hc_cbor_writer;

void hc_cbor_writer_init(hc_cbor_writer *w, uint8_t *buf, size_t cap);
void hc_cbor_put_uint(hc_cbor_writer *w, uint64_t v);
void hc_cbor_put_int(hc_cbor_writer *w, int64_t v);
void hc_cbor_put_bytes(hc_cbor_writer *w, const uint8_t *p, size_t n);
void hc_cbor_put_text(hc_cbor_writer *w, const char *s, size_t n);
void hc_cbor_put_array(hc_cbor_writer *w, uint64_t count);
void hc_cbor_put_map(hc_cbor_writer *w, uint64_t pairs);
void hc_cbor_put_tag(hc_cbor_writer *w, uint64_t tag);
void hc_cbor_put_bool(hc_cbor_writer *w, bool v);
void hc_cbor_put_null(hc_cbor_writer *w);
/* Shortest of half/single/double that represents v exactly (RFC 8949 §4.2.1, §4.2.2 for NaN). */
void hc_cbor_put_float(hc_cbor_writer *w, double v);
/* Appends already-encoded CBOR. */
void hc_cbor_put_raw(hc_cbor_writer *w, const uint8_t *p, size_t n);
/* HC_OK with *len, or HC_ERR_BUFFER_TOO_SMALL when anything overflowed. */
hc_err hc_cbor_writer_finish(const hc_cbor_writer *w, size_t *len);

/*
 * (Addition.) Re-encodes the decoded subtree at node i in preferred serialisation (RFC 8949
 * §4.1): shortest heads, definite lengths (indefinite strings written as one string), shortest
 * exact floats (every NaN as f97e00), map pairs in their decoded order. For tests, fuzzing and
 * diagnostics only: signed structures are verified over node->raw, never over a re-encoding.
 * HC_OK, HC_ERR_BUFFER_TOO_SMALL, or HC_ERR_INVALID_ARG for a bad doc/index.
 */
hc_err hc_cbor_encode_node(hc_cbor_writer *w, const hc_cbor_doc *doc, uint32_t i);

/*
 * Encodes a JSON value as deterministic CBOR (RFC 8949 §4.2.1): objects as maps with text keys
 * sorted by encoded bytes, integers as major type 0/1, reals as the shortest exact float, strings
 * as text. Depth-bounded by HC_MAX_JSON_DEPTH. HC_ERR_BUFFER_TOO_SMALL on overflow,
 * HC_ERR_INVALID_ARG on a too-deep value (or NULL w/value), HC_ERR_NOMEM when the key index of an
 * object cannot be allocated.
 */
hc_err hc_cbor_encode_json(hc_cbor_writer *w, const json_t *value);

#endif
