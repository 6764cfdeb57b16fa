/* sign.c: COSE_Sign1 signing with pooled OpenSSL contexts (see issue_sign.h). */
#include "issue_sign.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <string.h>

#include "cbor.h"
#include "cose.h"

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

/* RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230 §2: PS256). */
static bool
set_pss(EVP_PKEY_CTX *ctx)
{
    int pad = RSA_PKCS1_PSS_PADDING, salt = RSA_PSS_SALTLEN_DIGEST;
    char md[] = "SHA2-256", mgf1_md[] = "SHA2-256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PAD_MODE, &pad),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, md, sizeof md - 1),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, mgf1_md,
                                         sizeof mgf1_md - 1),
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, &salt),
        OSSL_PARAM_construct_end(),
    };
    return EVP_PKEY_CTX_set_params(ctx, params) == 1;
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
        (iss->alg == HC_SIG_PS256 && !set_pss(ctx))) {
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

hc_err
hc_issue_sign_cose(const hc_issuer *iss, const uint8_t *payload, size_t payload_len, uint8_t *tbs,
                   size_t tbs_cap, uint8_t *out, size_t cap, size_t *out_len,
                   uint8_t sig_sha256[32])
{
    uint8_t digest[32], sig[HC_SIG_MAX_LEN];
    size_t tbs_len = 0;
    hc_cbor_writer w;

    hc_err err =
        hc_cose_sign1_tbs(iss->prot, iss->prot_len, payload, payload_len, tbs, tbs_cap, &tbs_len);
    if (err != HC_OK) {
        return err;
    }
    SHA256(tbs, tbs_len, digest);
    err = sign_digest(iss, digest, sig);
    if (err != HC_OK) {
        return err;
    }
    /* EU revocation hash type SIGNATURE (eu-dcc.md §4.3): for ES256 only r, the first half. */
    SHA256(sig, iss->alg == HC_SIG_ES256 ? 32 : iss->sig_len, sig_sha256);
    hc_cbor_writer_init(&w, out, cap);
    hc_cbor_put_tag(&w, HC_CBOR_TAG_COSE_SIGN1);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_bytes(&w, iss->prot, iss->prot_len);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_bytes(&w, payload, payload_len);
    hc_cbor_put_bytes(&w, sig, iss->sig_len);
    return hc_cbor_writer_finish(&w, out_len);
}
