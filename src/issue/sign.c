/* sign.c: COSE_Sign1 signing with pooled OpenSSL contexts (see issue_sign.h). */
#include "issue_sign.h"

#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "cose.h"
#include "issue_scratch.h"

hc_err
hc_issue_signer_init(hc_issuer *iss)
{
    hc_cbor_writer w;
    /* Protected header {1: alg, 4: kid}: keys in ascending order, RFC 8949 §4.2.1. */
    hc_cbor_writer_init(&w, iss->prot, sizeof iss->prot);
    hc_cbor_put_map(&w, 2);
    hc_cbor_put_int(&w, HC_COSE_LABEL_ALG);
    hc_cbor_put_int(&w, iss->alg == HC_SIG_ES256 ? HC_COSE_ALG_ES256 : HC_COSE_ALG_PS256);
    hc_cbor_put_int(&w, HC_COSE_LABEL_KID);
    hc_cbor_put_bytes(&w, iss->info.kid, sizeof iss->info.kid);
    hc_err err = hc_cbor_writer_finish(&w, &iss->prot_len);
    if (err != HC_OK) {
        return err;
    }
    int size = EVP_PKEY_get_size(iss->key);
    iss->sig_len = iss->alg == HC_SIG_ES256 ? 64 : (size_t)(size > 0 ? size : 0);
    if (iss->sig_len == 0 || iss->sig_len > HC_SIG_MAX_LEN) {
        return HC_ERR_KEY_INVALID;
    }
    if (pthread_mutex_init(&iss->pool_mu, NULL) != 0) {
        return HC_ERR_INTERNAL;
    }
    return HC_OK;
}

void
hc_issue_signer_free(hc_issuer *iss)
{
    for (int i = 0; i < iss->pool_n; i++) {
        EVP_PKEY_CTX_free(iss->pool[i]);
    }
    iss->pool_n = 0;
    pthread_mutex_destroy(&iss->pool_mu);
}

/* A ready signing context: from the pool, or new. */
static EVP_PKEY_CTX *
ctx_acquire(const hc_issuer *iss)
{
    hc_issuer *m = (hc_issuer *)iss; /* the pool only: see issue_internal.h */
    EVP_PKEY_CTX *ctx = NULL;

    pthread_mutex_lock(&m->pool_mu);
    if (m->pool_n > 0) {
        ctx = m->pool[--m->pool_n];
    }
    pthread_mutex_unlock(&m->pool_mu);
    if (ctx != NULL) {
        return ctx;
    }
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, iss->key, NULL);
    if (ctx == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
        (iss->alg == HC_SIG_PS256 && !hc_sig_ctx_set_ps256(ctx))) {
        EVP_PKEY_CTX_free(ctx);
        ERR_clear_error();
        return NULL;
    }
    return ctx;
}

static void
ctx_release(const hc_issuer *iss, EVP_PKEY_CTX *ctx)
{
    hc_issuer *m = (hc_issuer *)iss;
    pthread_mutex_lock(&m->pool_mu);
    if (m->pool_n < HC_ISSUER_CTX_POOL) {
        m->pool[m->pool_n++] = ctx;
        ctx = NULL;
    }
    pthread_mutex_unlock(&m->pool_mu);
    EVP_PKEY_CTX_free(ctx);
}

/* Signs a SHA-256 digest; ECDSA comes out of OpenSSL as DER and leaves as raw r||s. */
static hc_err
sign_digest(const hc_issuer *iss, const uint8_t digest[32], uint8_t *sig)
{
    uint8_t out[HC_SIG_MAX_LEN];
    size_t out_len = sizeof out;
    EVP_PKEY_CTX *ctx = ctx_acquire(iss);

    if (ctx == NULL) {
        return HC_ERR_KEY_INVALID;
    }
    if (EVP_PKEY_sign(ctx, out, &out_len, digest, 32) != 1) {
        /* A context that failed is not trusted for another signature. */
        EVP_PKEY_CTX_free(ctx);
        ERR_clear_error();
        return HC_ERR_KEY_INVALID;
    }
    ctx_release(iss, ctx);
    if (iss->alg == HC_SIG_ES256) {
        return hc_sig_der_to_raw(out, out_len, 32, sig, 64);
    }
    if (out_len != iss->sig_len) {
        return HC_ERR_INTERNAL;
    }
    memcpy(sig, out, out_len);
    return HC_OK;
}

/* Length of a CBOR head with argument n (RFC 8949 §3: in the initial byte below 24, else in the
 * 1, 2, 4 or 8 bytes after it). */
static size_t
cbor_head_len(size_t n)
{
    return n < 24 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/* Zeros standing in for the signature until it is made (its place is reserved at prepare). */
static const uint8_t unsigned_yet[HC_SIG_MAX_LEN];

hc_err
hc_issue_cose_begin(const hc_issuer *iss, const uint8_t *payload, size_t payload_len,
                    hc_issue_cose *c)
{
    hc_cbor_writer w;
    size_t sig_part = cbor_head_len(iss->sig_len) + iss->sig_len;
    /* Tag 18 (D2), array of 4 (84) and the empty unprotected map (A0) are one byte each. */
    size_t len = 3 + cbor_head_len(iss->prot_len) + iss->prot_len + cbor_head_len(payload_len) +
                 payload_len + sig_part;
    size_t written = 0;

    memset(c, 0, sizeof *c);
    c->buf = malloc(len);
    if (c->buf == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_cbor_writer_init(&w, c->buf, len);
    hc_cbor_put_tag(&w, HC_CBOR_TAG_COSE_SIGN1);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_bytes(&w, iss->prot, iss->prot_len);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_bytes(&w, payload, payload_len);
    hc_cbor_put_bytes(&w, unsigned_yet, iss->sig_len);
    if (hc_cbor_writer_finish(&w, &written) != HC_OK || written != len) {
        free(c->buf);
        c->buf = NULL;
        return HC_ERR_INTERNAL;
    }
    c->len = len;
    c->payload_off = len - sig_part - payload_len;
    c->payload_len = payload_len;
    return HC_OK;
}

/* SHA-256 over the concatenation of n parts with this thread's context. */
static hc_err
sha256_parts(const uint8_t *const *part, const size_t *len, int n, uint8_t out[32])
{
    hc_issue_scratch *s = hc_issue_scratch_get();
    unsigned out_len = 0;

    /* SHA-256 fetched once (sig.h: OpenSSL 3's one-shot SHA256() fetches it and makes and frees
     * a context per call, a third of hashing a 400-byte Sig_structure); each thread reuses its
     * own digest context (issue_scratch.h). */
    const EVP_MD *sha256_md = hc_sig_md_sha256();
    if (s == NULL || s->md == NULL || sha256_md == NULL) {
        return s == NULL || s->md == NULL ? HC_ERR_NOMEM : HC_ERR_INTERNAL;
    }
    if (EVP_DigestInit_ex2(s->md, sha256_md, NULL) != 1) {
        ERR_clear_error();
        return HC_ERR_INTERNAL;
    }
    for (int k = 0; k < n; k++) {
        if (EVP_DigestUpdate(s->md, part[k], len[k]) != 1) {
            ERR_clear_error();
            return HC_ERR_INTERNAL;
        }
    }
    if (EVP_DigestFinal_ex(s->md, out, &out_len) != 1 || out_len != 32) {
        ERR_clear_error();
        return HC_ERR_INTERNAL;
    }
    return HC_OK;
}

hc_err
hc_issue_cose_sign(const hc_issuer *iss, hc_issue_cose *c, uint8_t sig_sha256[32])
{
    /* Sig_structure (RFC 9052 §4.4): ["Signature1", protected, external_aad h'', payload]. Its
     * protected and payload byte strings, heads included, are the message's own bytes: after
     * D2 84 comes the protected string, then A0, then the payload's head and the payload. */
    static const uint8_t context[] = {
        0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'
    };
    static const uint8_t empty_aad = 0x40;
    uint8_t digest[32], sig[HC_SIG_MAX_LEN];
    size_t prot_end = 2 + cbor_head_len(iss->prot_len) + iss->prot_len;
    const uint8_t *part[4] = { context, c->buf + 2, &empty_aad, c->buf + prot_end + 1 };
    size_t len[4] = { sizeof context, prot_end - 2, 1,
                      c->payload_off + c->payload_len - (prot_end + 1) };

    hc_err err = sha256_parts(part, len, 4, digest);
    if (err == HC_OK) {
        err = sign_digest(iss, digest, sig);
    }
    if (err != HC_OK) {
        return err;
    }
    memcpy(c->buf + c->len - iss->sig_len, sig, iss->sig_len);
    if (sig_sha256 == NULL) {
        return HC_OK;
    }
    /* EU revocation hash type SIGNATURE (eu-dcc.md §4.3): for ES256 only r, the first half. */
    const uint8_t *sp = sig;
    size_t sl = iss->alg == HC_SIG_ES256 ? 32 : iss->sig_len;
    return sha256_parts(&sp, &sl, 1, sig_sha256);
}
