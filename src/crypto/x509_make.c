/* x509_make.c: key generation and certificate making (see x509_make.h). */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "x509_make.h"

EVP_PKEY *
hc_key_generate(hc_key_type type)
{
    switch (type) {
    case HC_KEY_P256: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    case HC_KEY_P384: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    case HC_KEY_RSA3072: return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
    case HC_KEY_RSA2048: return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    case HC_KEY_ED25519: return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    }
    return NULL;
}

static bool
add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    if (ext == NULL) {
        return false;
    }
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static bool
set_time(ASN1_TIME *t, hc_time_ms ms)
{
    return ASN1_TIME_set(t, (time_t)(ms / 1000)) != NULL;
}

static bool
set_name(X509_NAME *name, const hc_cert_template *t)
{
    if (t->country &&
        X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)t->country, -1,
                                   -1, 0) != 1) {
        return false;
    }
    if (t->organization &&
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)t->organization,
                                   -1, -1, 0) != 1) {
        return false;
    }
    if (t->common_name &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)t->common_name,
                                   -1, -1, 0) != 1) {
        return false;
    }
    return true;
}

/* Signs cert with key: ECDSA-SHA256 for EC, RSASSA-PSS (SHA-256, salt 32) for RSA, pure EdDSA. */
static bool
sign_cert(X509 *cert, EVP_PKEY *key)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    bool ok = false;
    int id = EVP_PKEY_get_base_id(key);
    const char *digest = id == EVP_PKEY_ED25519 ? NULL : "SHA256";

    if (md == NULL || EVP_DigestSignInit_ex(md, &pctx, digest, NULL, NULL, key, NULL) != 1) {
        goto done;
    }
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
            goto done;
        }
    }
    ok = X509_sign_ctx(cert, md) > 0;
done:
    EVP_MD_CTX_free(md);
    return ok;
}

X509 *
hc_x509_make(const hc_cert_template *t, EVP_PKEY *subject_key, X509 *issuer_cert,
             EVP_PKEY *issuer_key)
{
    X509 *cert = X509_new();
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    X509V3_CTX ctx;
    char eku[1024] = "";

    if (cert == NULL || X509_set_version(cert, 2) != 1) {
        goto fail;
    }
    /* RFC 5280 §4.1.2.2: positive, at most 20 octets; 15 random bytes with a clear top bit. */
    if (RAND_bytes(serial, sizeof serial) != 1) {
        goto fail;
    }
    serial[0] &= 0x7f;
    bn = BN_bin2bn(serial, sizeof serial, NULL);
    if (bn == NULL || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) == NULL) {
        goto fail;
    }
    if (!set_time(X509_getm_notBefore(cert), t->not_before) ||
        !set_time(X509_getm_notAfter(cert), t->not_after) ||
        !set_name(X509_get_subject_name(cert), t) || X509_set_pubkey(cert, subject_key) != 1) {
        goto fail;
    }
    if (issuer_cert == NULL) {
        issuer_key = subject_key;
        if (X509_set_issuer_name(cert, X509_get_subject_name(cert)) != 1) {
            goto fail;
        }
    } else if (X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)) != 1) {
        goto fail;
    }
    X509V3_set_ctx(&ctx, issuer_cert ? issuer_cert : cert, cert, NULL, NULL, 0);
    if (!add_ext(cert, &ctx, NID_subject_key_identifier, "hash")) {
        goto fail;
    }
    if (issuer_cert != NULL && !add_ext(cert, &ctx, NID_authority_key_identifier, "keyid:always")) {
        goto fail;
    }
    if (t->is_ca) {
        if (!add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
            !add_ext(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign")) {
            goto fail;
        }
    } else if (!add_ext(cert, &ctx, NID_key_usage, "critical,digitalSignature")) {
        goto fail;
    }
    if (t->eku != NULL && t->eku[0] != NULL) {
        size_t o = 0;
        for (size_t i = 0; t->eku[i] != NULL; i++) {
            int n = snprintf(eku + o, sizeof eku - o, "%s%s", i ? "," : "", t->eku[i]);
            if (n < 0 || (size_t)n >= sizeof eku - o) {
                goto fail;
            }
            o += (size_t)n;
        }
        if (!add_ext(cert, &ctx, NID_ext_key_usage, eku)) {
            goto fail;
        }
    }
    if (!sign_cert(cert, issuer_key)) {
        goto fail;
    }
    BN_free(bn);
    return cert;
fail:
    BN_free(bn);
    X509_free(cert);
    return NULL;
}
