/*
 * fuzz_cbor.c: libFuzzer target for the CBOR module (src/cbor).
 *
 * For every input: decode with and without duplicate-key rejection, check the tree's structural
 * invariants, re-encode the tree (preferred serialisation) and decode that again, convert to JSON,
 * encode the JSON deterministically, decode and convert again. Invariants (abort on violation, so
 * that the corpus replay under gcc/ASan fails too; assert() would vanish under NDEBUG):
 *   - the decoder only answers HC_OK or HC_ERR_STRUCTURE_INVALID, with a reason and an offset
 *     inside the input on failure;
 *   - what is accepted with duplicate keys refused is accepted without;
 *   - every node's raw span lies inside the input and inside its parent's span, children follow
 *     their parent in pre-order and the sibling chains have the announced lengths;
 *   - re-encoding an accepted tree gives a document that decodes, with the same node count, and
 *     re-encodes to the same bytes (preferred serialisation is a fixed point);
 *   - JSON -> deterministic CBOR -> decode (duplicates refused) -> JSON -> deterministic CBOR
 *     gives the same bytes twice (the deterministic encoding is a canonical form).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "fuzz_cbor: invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
                    __LINE__);                                                            \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* Inputs beyond this are not interesting (the decoder's bounds bite long before). */
#define MAX_INPUT (256 * 1024)

static hc_cbor_node nodes_a[HC_CBOR_MAX_NODES];
static hc_cbor_node nodes_b[HC_CBOR_MAX_NODES];
static uint8_t scratch_a[MAX_INPUT];
static uint8_t scratch_b[MAX_INPUT];

static size_t
children_of(const hc_cbor_node *n)
{
    switch (n->type) {
    case HC_CBOR_ARRAY: return n->count;
    case HC_CBOR_MAP: return 2 * (size_t)n->count;
    case HC_CBOR_TAG: return 1;
    default: return 0;
    }
}

static void
check_tree(const hc_cbor_doc *doc, uint32_t root, const uint8_t *in, size_t len)
{
    CHECK(root == 0);
    CHECK(doc->count >= 1 && doc->count <= HC_CBOR_MAX_NODES);
    const hc_cbor_node *r = hc_cbor_node_at(doc, root);
    CHECK(r != NULL && r->raw == in && r->raw_len == len);
    for (uint32_t i = 0; i < doc->count; i++) {
        const hc_cbor_node *n = &doc->nodes[i];
        CHECK(n->type <= HC_CBOR_FLOAT);
        CHECK(n->raw >= in && n->raw_len >= 1 && n->raw_len <= len &&
              (size_t)(n->raw - in) <= len - n->raw_len);
        if (n->type == HC_CBOR_BYTES || n->type == HC_CBOR_TEXT) {
            bool in_input = n->ptr >= in && n->ptr + n->len <= in + len;
            bool in_scratch =
                n->ptr >= doc->scratch && n->ptr + n->len <= doc->scratch + doc->scratch_used;
            CHECK(n->len == 0 || in_input || in_scratch);
            CHECK((n->flags & HC_CBOR_F_INDEFINITE) || n->len < n->raw_len);
        }
        size_t kids = children_of(n);
        if (kids == 0) {
            CHECK(n->first == HC_CBOR_NONE);
            continue;
        }
        CHECK(n->first == i + 1); /* pre-order: the first child follows its parent */
        uint32_t c = n->first;
        for (size_t k = 0; k < kids; k++) {
            const hc_cbor_node *child = hc_cbor_node_at(doc, c);
            CHECK(child != NULL && c > i);
            CHECK(child->raw >= n->raw && child->raw + child->raw_len <= n->raw + n->raw_len);
            c = child->next;
        }
        CHECK(c == HC_CBOR_NONE);
    }
}

/* Deterministic CBOR of a JSON value into a malloc'd buffer. */
static uint8_t *
encode_json(const json_t *j, size_t cap, size_t *len)
{
    uint8_t *buf = malloc(cap);
    CHECK(buf != NULL);
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, buf, cap);
    CHECK(hc_cbor_encode_json(&w, j) == HC_OK);
    CHECK(hc_cbor_writer_finish(&w, len) == HC_OK);
    return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT) {
        return 0;
    }
    hc_cbor_doc strict, lax;
    uint32_t root_strict = HC_CBOR_NONE, root = HC_CBOR_NONE;
    hc_cbor_doc_init(&strict, nodes_b, HC_CBOR_MAX_NODES, scratch_b, sizeof scratch_b,
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    hc_cbor_doc_init(&lax, nodes_a, HC_CBOR_MAX_NODES, scratch_a, sizeof scratch_a, 0);
    hc_err rc_strict = hc_cbor_decode(&strict, data, size, &root_strict);
    hc_err rc = hc_cbor_decode(&lax, data, size, &root);
    CHECK(rc == HC_OK || rc == HC_ERR_STRUCTURE_INVALID);
    CHECK(rc_strict == HC_OK || rc_strict == HC_ERR_STRUCTURE_INVALID);
    if (rc_strict == HC_OK) {
        CHECK(rc == HC_OK && strict.count == lax.count);
    } else {
        CHECK(strict.error != NULL && strict.error_offset <= size);
    }
    if (rc != HC_OK) {
        CHECK(lax.error != NULL && lax.error_offset <= size);
        return 0;
    }
    check_tree(&lax, root, data, size);

    /* The accessors never fail on any index. */
    uint64_t tags[2];
    size_t ntags;
    uint32_t untagged = hc_cbor_untag(&lax, root, tags, 2, &ntags);
    CHECK(hc_cbor_node_at(&lax, untagged) != NULL);
    (void)hc_cbor_map_get_int(&lax, untagged, 1);
    (void)hc_cbor_map_get_int(&lax, untagged, -260);
    (void)hc_cbor_map_get_text(&lax, untagged, "v");
    for (uint32_t i = 0; i < lax.count; i++) {
        int64_t v;
        (void)hc_cbor_get_int64(&lax.nodes[i], &v);
    }

    /* Preferred re-encoding: decodes, same shape, a fixed point. An indefinite container
     * (2 bytes of framing) can become a 3-byte head: at most 1 byte per node more. */
    size_t cap = size + lax.count + 16;
    uint8_t *re = malloc(cap), *re2 = malloc(cap);
    CHECK(re != NULL && re2 != NULL);
    hc_cbor_writer w;
    size_t re_len, re2_len;
    hc_cbor_writer_init(&w, re, cap);
    CHECK(hc_cbor_encode_node(&w, &lax, root) == HC_OK);
    CHECK(hc_cbor_writer_finish(&w, &re_len) == HC_OK);
    uint32_t root2;
    hc_cbor_doc again;
    /* Duplicates are not checked here: NaN keys with different payloads are distinct keys but
     * all re-encode as f97e00 (RFC 8949 §4.2.2). */
    hc_cbor_doc_init(&again, nodes_b, HC_CBOR_MAX_NODES, NULL, 0, 0);
    CHECK(hc_cbor_decode(&again, re, re_len, &root2) == HC_OK);
    CHECK(again.count == lax.count);
    hc_cbor_writer_init(&w, re2, cap);
    CHECK(hc_cbor_encode_node(&w, &again, root2) == HC_OK);
    CHECK(hc_cbor_writer_finish(&w, &re2_len) == HC_OK);
    CHECK(re2_len == re_len && memcmp(re, re2, re_len) == 0);
    free(re);
    free(re2);

    /* JSON mapping and deterministic encoding. NULL is allowed (NaN and infinities have no
     * JSON form). Expansion: a 1-byte key such as `false` becomes the text "false", a 3-byte
     * half-float key a 23-character number, bytes grow by 4/3: 32x bounds it. */
    json_t *hex = hc_cbor_to_json(&lax, root, HC_CBOR_JSON_BYTES_HEX);
    json_decref(hex);
    json_t *j = hc_cbor_to_json(&lax, root, 0);
    if (j == NULL) {
        return 0;
    }
    size_t jcap = 32 * size + 1024, enc_len, enc2_len;
    uint8_t *enc = encode_json(j, jcap, &enc_len);
    hc_cbor_doc jd;
    uint32_t jroot;
    hc_cbor_doc_init(&jd, nodes_b, HC_CBOR_MAX_NODES, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    CHECK(hc_cbor_decode(&jd, enc, enc_len, &jroot) == HC_OK);
    json_t *j2 = hc_cbor_to_json(&jd, jroot, 0);
    CHECK(j2 != NULL);
    uint8_t *enc2 = encode_json(j2, jcap, &enc2_len);
    CHECK(enc2_len == enc_len && memcmp(enc, enc2, enc_len) == 0);
    free(enc);
    free(enc2);
    json_decref(j2);
    json_decref(j);
    return 0;
}
