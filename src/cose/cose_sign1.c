/*
 * cose_sign1.c: parsing COSE_Sign1 and hashing its Sig_structure (see cose.h).
 *
 * The signature is always checked over the bytes received: the protected header and payload are
 * hashed exactly as they arrived (RFC 9052 §4.4), never re-encoded, so a non-canonical but validly
 * signed header still verifies and nothing can be smuggled in by re-encoding.
 */
#include <openssl/evp.h>
#include <string.h>

#include "cose.h"

/* Known header labels we understand when listed in crit (RFC 9052 §3.1). */
static bool
label_understood(const hc_cbor_node *n)
{
    int64_t v;
    if (!hc_cbor_get_int64(n, &v)) {
        return false;
    }
    return v == HC_COSE_LABEL_ALG || v == HC_COSE_LABEL_KID;
}

/*
 * RFC 9052 §3.1 "crit": only in the protected bucket, a non-empty array of labels, each one
 * understood by us; otherwise the message must be refused.
 */
static hc_err
check_crit(const hc_cbor_doc *doc, uint32_t map, bool is_protected, const char **why)
{
    uint32_t crit = hc_cbor_map_get_int(doc, map, HC_COSE_LABEL_CRIT);
    if (crit == HC_CBOR_NONE) {
        return HC_OK;
    }
    if (!is_protected) {
        *why = "crit header parameter in the unprotected bucket";
        return HC_ERR_STRUCTURE_INVALID;
    }
    const hc_cbor_node *c = hc_cbor_node_at(doc, crit);
    if (c->type != HC_CBOR_ARRAY || c->count == 0) {
        *why = "crit header parameter is not a non-empty array";
        return HC_ERR_STRUCTURE_INVALID;
    }
    for (uint32_t i = c->first; i != HC_CBOR_NONE; i = hc_cbor_node_at(doc, i)->next) {
        if (!label_understood(hc_cbor_node_at(doc, i))) {
            *why = "crit lists a header parameter this verifier does not understand";
            return HC_ERR_STRUCTURE_INVALID;
        }
    }
    return HC_OK;
}

/* kid must be a byte string (RFC 9052 §3.1: kid is bstr). */
static hc_err
read_kid(const hc_cbor_doc *doc, uint32_t map, const uint8_t **kid, size_t *kid_len,
         const char **why)
{
    uint32_t k = hc_cbor_map_get_int(doc, map, HC_COSE_LABEL_KID);
    if (k == HC_CBOR_NONE) {
        *kid = NULL;
        return HC_OK;
    }
    const hc_cbor_node *n = hc_cbor_node_at(doc, k);
    if (n->type != HC_CBOR_BYTES) {
        *why = "kid is not a byte string";
        return HC_ERR_STRUCTURE_INVALID;
    }
    *kid = n->ptr;
    *kid_len = n->len;
    return HC_OK;
}

static hc_sig_alg
sig_alg_of(int64_t alg)
{
    switch (alg) {
    case HC_COSE_ALG_ES256: return HC_SIG_ES256;
    case HC_COSE_ALG_PS256: return HC_SIG_PS256;
    default: return HC_SIG_NONE;
    }
}

hc_err
hc_cose_sign1_parse(const uint8_t *in, size_t len, hc_cbor_doc *doc, hc_cbor_doc *hdr_doc,
                    hc_cose_sign1 *out, const char **why)
{
    hc_cose_sign1 m;
    uint32_t root;
    uint64_t tags[3];
    size_t ntags = 0;
    const char *dummy;

    if (why == NULL) {
        why = &dummy;
    }
    memset(&m, 0, sizeof m);
    *why = "malformed CBOR";
    if (hc_cbor_decode(doc, in, len, &root) != HC_OK) {
        *why = doc->error ? doc->error : "malformed CBOR";
        return HC_ERR_STRUCTURE_INVALID;
    }
    uint32_t arr = hc_cbor_untag(doc, root, tags, 3, &ntags);
    /* Allowed: none, [18], [61], [61, 18] (outermost first). */
    if (ntags > 2 ||
        (ntags == 2 && (tags[0] != HC_CBOR_TAG_CWT || tags[1] != HC_CBOR_TAG_COSE_SIGN1)) ||
        (ntags == 1 && tags[0] != HC_CBOR_TAG_CWT && tags[0] != HC_CBOR_TAG_COSE_SIGN1)) {
        *why = "not a COSE_Sign1 message (unexpected CBOR tag)";
        return HC_ERR_STRUCTURE_INVALID;
    }
    for (size_t i = 0; i < ntags; i++) {
        m.tagged_cwt |= tags[i] == HC_CBOR_TAG_CWT;
        m.tagged_sign1 |= tags[i] == HC_CBOR_TAG_COSE_SIGN1;
    }
    const hc_cbor_node *a = hc_cbor_node_at(doc, arr);
    if (a->type != HC_CBOR_ARRAY || a->count != 4) {
        *why = "COSE_Sign1 is not an array of 4 elements";
        return HC_ERR_STRUCTURE_INVALID;
    }
    uint32_t i_prot = a->first;
    uint32_t i_unprot = hc_cbor_node_at(doc, i_prot)->next;
    uint32_t i_payload = hc_cbor_node_at(doc, i_unprot)->next;
    uint32_t i_sig = hc_cbor_node_at(doc, i_payload)->next;
    const hc_cbor_node *prot = hc_cbor_node_at(doc, i_prot);
    const hc_cbor_node *unprot = hc_cbor_node_at(doc, i_unprot);
    const hc_cbor_node *payload = hc_cbor_node_at(doc, i_payload);
    const hc_cbor_node *sig = hc_cbor_node_at(doc, i_sig);

    /* RFC 9052 §4.2: protected is a bstr (wrapping a map or empty), unprotected a map, payload a
     * bstr (nil = detached, which HCERT never uses), signature a bstr. */
    if (prot->type != HC_CBOR_BYTES) {
        *why = "protected header is not a byte string";
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (unprot->type != HC_CBOR_MAP) {
        *why = "unprotected header is not a map";
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (payload->type != HC_CBOR_BYTES) {
        *why = payload->type == HC_CBOR_NULL ? "detached payload (nil) is not supported"
                                             : "payload is not a byte string";
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (sig->type != HC_CBOR_BYTES) {
        *why = "signature is not a byte string";
        return HC_ERR_STRUCTURE_INVALID;
    }
    m.protected_bytes = prot->ptr;
    m.protected_len = prot->len;
    m.payload = payload->ptr;
    m.payload_len = payload->len;
    m.signature = sig->ptr;
    m.signature_len = sig->len;
    m.unprotected_map = i_unprot;
    m.protected_map = HC_CBOR_NONE;

    /* RFC 9052 §3: a zero-length protected bstr stands for an empty map. */
    if (prot->len > 0) {
        uint32_t pm;
        if (hc_cbor_decode(hdr_doc, prot->ptr, prot->len, &pm) != HC_OK) {
            *why = "protected header is not well-formed CBOR";
            return HC_ERR_STRUCTURE_INVALID;
        }
        if (hc_cbor_node_at(hdr_doc, pm)->type != HC_CBOR_MAP) {
            *why = "protected header is not a map";
            return HC_ERR_STRUCTURE_INVALID;
        }
        m.protected_map = pm;
        hc_err e = check_crit(hdr_doc, pm, true, why);
        if (e != HC_OK) {
            return e;
        }
        uint32_t alg = hc_cbor_map_get_int(hdr_doc, pm, HC_COSE_LABEL_ALG);
        if (alg != HC_CBOR_NONE) {
            m.has_alg = true;
            m.alg_protected = true;
            if (hc_cbor_get_int64(hc_cbor_node_at(hdr_doc, alg), &m.alg)) {
                m.sig_alg = sig_alg_of(m.alg);
            } else {
                m.alg = 0; /* a text algorithm name: not one of ours */
            }
        }
        e = read_kid(hdr_doc, pm, &m.kid, &m.kid_len, why);
        if (e != HC_OK) {
            return e;
        }
        m.kid_protected = m.kid != NULL;
    }
    hc_err e = check_crit(doc, i_unprot, false, why);
    if (e != HC_OK) {
        return e;
    }
    /* alg belongs in the protected bucket (HCERT §3.3.1), but real certificates carry it in the
     * unprotected one (dgc-testdata common/CO20 expects VALID; the EU Android verifier falls back
     * the same way). This is safe because the algorithm is bound to the trusted key's type and
     * size (sig.h): rewriting an unprotected alg cannot make another primitive run. */
    if (!m.has_alg) {
        uint32_t alg = hc_cbor_map_get_int(doc, i_unprot, HC_COSE_LABEL_ALG);
        if (alg != HC_CBOR_NONE) {
            m.has_alg = true;
            m.alg_protected = false;
            if (hc_cbor_get_int64(hc_cbor_node_at(doc, alg), &m.alg)) {
                m.sig_alg = sig_alg_of(m.alg);
            }
        }
    }
    if (m.kid == NULL) {
        e = read_kid(doc, i_unprot, &m.kid, &m.kid_len, why);
        if (e != HC_OK) {
            return e;
        }
    }
    *out = m;
    return HC_OK;
}

/* Writes a CBOR head (RFC 8949 §3) for major type mt and argument v into h; returns its length. */
static size_t
cbor_head(uint8_t mt, uint64_t v, uint8_t h[9])
{
    uint8_t ib = (uint8_t)(mt << 5);
    if (v < 24) {
        h[0] = ib | (uint8_t)v;
        return 1;
    }
    if (v <= 0xff) {
        h[0] = ib | 24;
        h[1] = (uint8_t)v;
        return 2;
    }
    if (v <= 0xffff) {
        h[0] = ib | 25;
        h[1] = (uint8_t)(v >> 8);
        h[2] = (uint8_t)v;
        return 3;
    }
    if (v <= 0xffffffffu) {
        h[0] = ib | 26;
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        }
        return 5;
    }
    h[0] = ib | 27;
    for (int i = 0; i < 8; i++) {
        h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
    }
    return 9;
}

/* The constant start of every Sig_structure: array(4), text(10) "Signature1" (RFC 9052 §4.4). */
static const uint8_t tbs_prefix[] = {
    0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'
};

hc_err
hc_cose_sign1_tbs_sha256(const hc_cose_sign1 *msg, uint8_t digest[32])
{
    uint8_t h[9];
    size_t n;
    unsigned dlen = 0;
    static const uint8_t empty_aad = 0x40; /* external_aad = h'' (HCERT uses none) */
    hc_err err = HC_ERR_INTERNAL;

    /* Fetched once (sig.h): an implicit fetch per digest costs more than the hashing. */
    const EVP_MD *sha256_md = hc_sig_md_sha256();
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (sha256_md == NULL || c == NULL || EVP_DigestInit_ex2(c, sha256_md, NULL) != 1) {
        goto done;
    }
    n = cbor_head(2, msg->protected_len, h);
    if (EVP_DigestUpdate(c, tbs_prefix, sizeof tbs_prefix) != 1 || EVP_DigestUpdate(c, h, n) != 1 ||
        EVP_DigestUpdate(c, msg->protected_bytes, msg->protected_len) != 1 ||
        EVP_DigestUpdate(c, &empty_aad, 1) != 1) {
        goto done;
    }
    n = cbor_head(2, msg->payload_len, h);
    if (EVP_DigestUpdate(c, h, n) != 1 ||
        EVP_DigestUpdate(c, msg->payload, msg->payload_len) != 1 ||
        EVP_DigestFinal_ex(c, digest, &dlen) != 1 || dlen != 32) {
        goto done;
    }
    err = HC_OK;
done:
    EVP_MD_CTX_free(c);
    return err;
}

hc_err
hc_cose_sign1_tbs(const uint8_t *protected_bytes, size_t protected_len, const uint8_t *payload,
                  size_t payload_len, uint8_t *out, size_t cap, size_t *out_len)
{
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, out, cap);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_text(&w, "Signature1", 10);
    hc_cbor_put_bytes(&w, protected_bytes, protected_len);
    hc_cbor_put_bytes(&w, NULL, 0);
    hc_cbor_put_bytes(&w, payload, payload_len);
    return hc_cbor_writer_finish(&w, out_len);
}
