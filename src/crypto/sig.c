/*
 * sig.c: the signature adapter over OpenSSL 3 (see sig.h for the contract).
 *
 * Invariants:
 *   - The key decides, never the message: every entry point first checks that alg fits the key
 *     (hc_sig_key_fits) and answers ALG_UNSUPPORTED otherwise, so that a wrong primitive is never
 *     called (security.md §3 D14, dgc-testdata CO27).
 *   - Raw ECDSA signatures are checked (exact length, 1 <= r, s <= n-1) before OpenSSL sees them,
 *     and converted to DER in one place (der_from_raw). DER from outside goes through one strict
 *     parser (hc_sig_der_to_raw).
 *   - An OpenSSL verify result counts only when it is exactly 1 (OpenSSL verify calls can return
 *     -1 or 0; security.md §0 item 5).
 *   - No shared mutable state: the digests are fetched once (CRYPTO_THREAD_run_once) and only
 *     read afterwards; everything else lives on the caller's stack or in per-call OpenSSL objects.
 *
 * Speed: the verify path hashes with a pre-fetched EVP_MD and calls EVP_PKEY_verify with the
 * digest, which skips the two digest fetches and the EVP_MD_CTX that EVP_DigestVerifyInit costs
 * (docs/crypto.md gives the measured figure, bench/bench_sig.c measures it).
 */
#include "sig.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <stdbool.h>
#include <string.h>

/* ECDSA group orders n, big-endian: SEC 2 v2 §2.4.2 (secp256r1), §2.5.1 (secp384r1), §2.6.1
 * (secp521r1); the same values as FIPS 186-4 Appendix D.1.2.3-D.1.2.5. */
static const uint8_t order_p256[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const uint8_t order_p384[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
};
static const uint8_t order_p521[66] = {
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b,
    0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c,
    0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09,
};

/* What each ECDSA algorithm needs. Curve names are OpenSSL's group names of the NIST curves
 * (RFC 7518 §3.4 / RFC 9053 §2.1 pair ES256 with P-256, ES384 with P-384, ES512 with P-521). */
typedef struct ecdsa_params {
    const char *group;    /* OSSL_PKEY_PARAM_GROUP_NAME of the one curve allowed */
    size_t coord_len;     /* bytes of r and of s in the raw form (RFC 7518 §3.4) */
    const uint8_t *order; /* n, coord_len bytes big-endian */
} ecdsa_params;

static const ecdsa_params ecdsa_p256 = { "prime256v1", 32, order_p256 };
static const ecdsa_params ecdsa_p384 = { "secp384r1", 48, order_p384 };
static const ecdsa_params ecdsa_p521 = { "secp521r1", 66, order_p521 };

/* PS256 key policy: RFC 8230 §5 ("A key of size 2048 bits or larger MUST be used"); at most
 * 4096 bits and e = 65537 (security.md §5, §3 D26; EU DCC governance §3.3). */
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 4096
#define RSA_EXPONENT 65537u
/* PS256 salt length = hash length, 32 (RFC 8230 §2: "the salt length MUST be equal to the size
 * of the output of the hash function"). */
#define PSS_SALT_LEN 32

/* Ed25519 signatures are 64 bytes (RFC 8032 §5.1.6). */
#define ED25519_SIG_LEN 64

/* Digests fetched once, read-only afterwards. */
static CRYPTO_ONCE digests_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *md_sha256, *md_sha384, *md_sha512;

static void
fetch_digests(void)
{
    md_sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
    md_sha384 = EVP_MD_fetch(NULL, "SHA2-384", NULL);
    md_sha512 = EVP_MD_fetch(NULL, "SHA2-512", NULL);
}

/* The hash of alg (NULL for EdDSA, which hashes inside the primitive, and on fetch failure). */
static const EVP_MD *
digest_of(hc_sig_alg alg)
{
    if (CRYPTO_THREAD_run_once(&digests_once, fetch_digests) != 1) {
        return NULL;
    }
    switch (alg) {
    case HC_SIG_ES256:
    case HC_SIG_PS256: return md_sha256;
    case HC_SIG_ES384: return md_sha384;
    case HC_SIG_ES512: return md_sha512;
    default: return NULL;
    }
}

static const ecdsa_params *
ecdsa_of(hc_sig_alg alg)
{
    switch (alg) {
    case HC_SIG_ES256: return &ecdsa_p256;
    case HC_SIG_ES384: return &ecdsa_p384;
    case HC_SIG_ES512: return &ecdsa_p521;
    default: return NULL;
    }
}

const EVP_MD *
hc_sig_md_sha256(void)
{
    return digest_of(HC_SIG_ES256);
}

const char *
hc_sig_alg_name(hc_sig_alg alg)
{
    switch (alg) {
    case HC_SIG_ES256: return "ES256";
    case HC_SIG_ES384: return "ES384";
    case HC_SIG_ES512: return "ES512";
    case HC_SIG_PS256: return "PS256";
    case HC_SIG_EDDSA: return "EdDSA";
    default: return "none";
    }
}

/* True for a digest name OpenSSL may report for SHA-256. */
static bool
is_sha256_name(const char *name)
{
    return strcmp(name, "SHA2-256") == 0 || strcmp(name, "SHA256") == 0 ||
           strcmp(name, "SHA-256") == 0;
}

/* An EC key on exactly the curve p->group, given by name (never by explicit parameters:
 * CVE-2020-0601, CVE-2022-0778; security.md §6). One provider call for both facts. */
static bool
ec_key_fits(EVP_PKEY *key, const ecdsa_params *p)
{
    char group[32] = "";
    int explicit_params = 1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS, &explicit_params),
        OSSL_PARAM_END,
    };
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get_params(key, params) != 1) {
        return false;
    }
    /* Both must have been answered: an unanswered flag stays 1 (refused). */
    return OSSL_PARAM_modified(&params[0]) && OSSL_PARAM_modified(&params[1]) &&
           explicit_params == 0 && strcmp(group, p->group) == 0;
}

/* RSA or RSA-PSS, 2048..4096 bits, e = 65537; an RSA-PSS key restricted by parameters (RFC 4055
 * §3.1, as the LU DSC of dgc-testdata#159) must allow SHA-256, MGF1-SHA-256 and salt 32. */
static bool
rsa_key_fits(EVP_PKEY *key)
{
    int id = EVP_PKEY_get_base_id(key);
    int bits = EVP_PKEY_get_bits(key);
    size_t e = 0;
    char md[32] = "", mgf1_md[32] = "";
    int min_salt = 0;
    /* e fetched as a size_t: an exponent wider than size_t fails the call and so the policy. */
    OSSL_PARAM params[] = {
        OSSL_PARAM_size_t(OSSL_PKEY_PARAM_RSA_E, &e),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_RSA_DIGEST, md, sizeof md),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_RSA_MGF1_DIGEST, mgf1_md, sizeof mgf1_md),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_RSA_PSS_SALTLEN, &min_salt),
        OSSL_PARAM_END,
    };

    if ((id != EVP_PKEY_RSA && id != EVP_PKEY_RSA_PSS) || bits < RSA_MIN_BITS ||
        bits > RSA_MAX_BITS) {
        return false;
    }
    if (id == EVP_PKEY_RSA) {
        params[1] = OSSL_PARAM_construct_end(); /* plain RSA keys have no PSS restrictions */
    }
    if (EVP_PKEY_get_params(key, params) != 1 || !OSSL_PARAM_modified(&params[0]) ||
        e != RSA_EXPONENT) {
        return false;
    }
    if (id == EVP_PKEY_RSA_PSS) {
        /* Unrestricted RSA-PSS keys answer none of the three. Restricted ones answer the salt
         * length, and the digests only where they differ from the RFC 8017 defaults (SHA-1): an
         * unanswered digest of a restricted key is SHA-1, which PS256 cannot use. */
        bool restricted = OSSL_PARAM_modified(&params[1]) || OSSL_PARAM_modified(&params[2]) ||
                          OSSL_PARAM_modified(&params[3]);
        bool sha256_only = OSSL_PARAM_modified(&params[1]) && is_sha256_name(md) &&
                           OSSL_PARAM_modified(&params[2]) && is_sha256_name(mgf1_md);
        bool salt_ok =
            !OSSL_PARAM_modified(&params[3]) || (min_salt >= 0 && min_salt <= PSS_SALT_LEN);
        if (restricted && !(sha256_only && salt_ok)) {
            return false;
        }
    }
    return true;
}

hc_err
hc_sig_key_fits(EVP_PKEY *key, hc_sig_alg alg)
{
    bool fits = false;

    if (key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    switch (alg) {
    case HC_SIG_ES256:
    case HC_SIG_ES384:
    case HC_SIG_ES512: fits = ec_key_fits(key, ecdsa_of(alg)); break;
    case HC_SIG_PS256: fits = rsa_key_fits(key); break;
    case HC_SIG_EDDSA: fits = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519; break;
    default: fits = false; break;
    }
    if (!fits) {
        ERR_clear_error(); /* a refused get_params leaves errors that are not the caller's */
        return HC_ERR_ALG_UNSUPPORTED;
    }
    return HC_OK;
}

hc_sig_alg
hc_sig_alg_for_key(EVP_PKEY *key)
{
    static const hc_sig_alg all[] = { HC_SIG_ES256, HC_SIG_ES384, HC_SIG_ES512, HC_SIG_PS256,
                                      HC_SIG_EDDSA };
    for (size_t i = 0; key != NULL && i < sizeof all / sizeof all[0]; i++) {
        if (hc_sig_key_fits(key, all[i]) == HC_OK) {
            return all[i];
        }
    }
    return HC_SIG_NONE;
}

/* ---- raw r||s <-> DER ECDSA-Sig-Value (RFC 3279 §2.2.3; DER = X.690 §8.3, §10) ---- */

/* 1 <= v <= n-1 for a big-endian v of the same length as n (SEC 1 v2 §4.1.4 step 1). */
static bool
scalar_in_range(const uint8_t *v, const uint8_t *n, size_t len)
{
    bool nonzero = false;
    for (size_t i = 0; i < len; i++) {
        nonzero |= v[i] != 0;
    }
    return nonzero && memcmp(v, n, len) < 0;
}

/* Writes v (len bytes, big-endian, unsigned) as a minimal DER INTEGER; returns bytes written
 * (at most len + 3). */
static size_t
der_put_integer(uint8_t *out, const uint8_t *v, size_t len)
{
    size_t skip = 0;
    while (skip + 1 < len && v[skip] == 0) {
        skip++; /* X.690 §8.3.2: no redundant leading zero octets */
    }
    size_t n = len - skip;
    size_t pad = (v[skip] & 0x80) ? 1 : 0; /* keep the INTEGER non-negative */
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v + skip, n);
    return 2 + pad + n;
}

/* The one raw -> DER conversion. raw is 2 * coord_len bytes; der holds HC_SIG_ECDSA_DER_MAX. */
static size_t
der_from_raw(const uint8_t *raw, size_t coord_len, uint8_t *der)
{
    uint8_t body[HC_SIG_ECDSA_DER_MAX];
    size_t n = der_put_integer(body, raw, coord_len);
    n += der_put_integer(body + n, raw + coord_len, coord_len);
    size_t hdr = 2;
    der[0] = 0x30;
    if (n < 0x80) {
        der[1] = (uint8_t)n;
    } else {
        der[1] = 0x81; /* X.690 §8.1.3.5: long form, one length octet (n <= 138) */
        der[2] = (uint8_t)n;
        hdr = 3;
    }
    memcpy(der + hdr, body, n);
    return hdr + n;
}

static bool
coord_len_valid(size_t coord_len)
{
    return coord_len == 32 || coord_len == 48 || coord_len == 66;
}

hc_err
hc_sig_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t cap, size_t *der_len)
{
    uint8_t tmp[HC_SIG_ECDSA_DER_MAX];

    if (raw == NULL || der == NULL || der_len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (raw_len % 2 != 0 || !coord_len_valid(raw_len / 2)) {
        return HC_ERR_SIGNATURE_INVALID;
    }
    size_t n = der_from_raw(raw, raw_len / 2, tmp);
    if (n > cap) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(der, tmp, n);
    *der_len = n;
    return HC_OK;
}

/* Reads one DER INTEGER at *p (before end) into out[coord_len], right-aligned. Strict: short
 * definite length, at least one content octet, non-negative, minimal (X.690 §8.3.2). */
static bool
der_get_integer(const uint8_t **p, const uint8_t *end, size_t coord_len, uint8_t *out)
{
    const uint8_t *q = *p;
    if (end - q < 2 || q[0] != 0x02 || (q[1] & 0x80) != 0 || q[1] == 0) {
        return false;
    }
    size_t len = q[1];
    const uint8_t *v = q + 2;
    if ((size_t)(end - v) < len || (v[0] & 0x80) != 0) {
        return false; /* truncated, or negative */
    }
    if (len > 1 && v[0] == 0) {
        if ((v[1] & 0x80) == 0) {
            return false; /* a redundant leading zero */
        }
        v++;
        len--;
    }
    if (len > coord_len) {
        return false;
    }
    memset(out, 0, coord_len - len);
    memcpy(out + coord_len - len, v, len);
    *p = q + 2 + q[1];
    return true;
}

hc_err
hc_sig_der_to_raw(const uint8_t *der, size_t der_len, size_t coord_len, uint8_t *raw, size_t cap)
{
    uint8_t tmp[2 * 66];

    if (der == NULL || raw == NULL || !coord_len_valid(coord_len)) {
        return HC_ERR_INVALID_ARG;
    }
    if (cap < 2 * coord_len) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    if (der_len < 2 || der[0] != 0x30) {
        return HC_ERR_SIGNATURE_INVALID;
    }
    size_t body_len, hdr;
    if (der[1] < 0x80) {
        body_len = der[1];
        hdr = 2;
    } else if (der[1] == 0x81 && der_len >= 3 && der[2] >= 0x80) {
        body_len = der[2]; /* long form only where the short form cannot hold the length */
        hdr = 3;
    } else {
        return HC_ERR_SIGNATURE_INVALID; /* indefinite (BER), non-minimal or absurd length */
    }
    if (der_len != hdr + body_len) {
        return HC_ERR_SIGNATURE_INVALID; /* truncated, or trailing bytes */
    }
    const uint8_t *p = der + hdr, *end = der + der_len;
    if (!der_get_integer(&p, end, coord_len, tmp) ||
        !der_get_integer(&p, end, coord_len, tmp + coord_len) || p != end) {
        return HC_ERR_SIGNATURE_INVALID;
    }
    memcpy(raw, tmp, 2 * coord_len);
    return HC_OK;
}

/* ---- verify ---- */

/*
 * Checks the signature's form for alg and key, without the library: the exact length, and for
 * ECDSA the range of r and s, then converts ECDSA to DER in der. *out / *out_len name the bytes
 * to hand to EVP_PKEY_verify.
 */
static hc_err
precheck_signature(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *sig, size_t sig_len, uint8_t *der,
                   const uint8_t **out, size_t *out_len)
{
    const ecdsa_params *ec = ecdsa_of(alg);

    if (ec != NULL) {
        if (sig_len != 2 * ec->coord_len || !scalar_in_range(sig, ec->order, ec->coord_len) ||
            !scalar_in_range(sig + ec->coord_len, ec->order, ec->coord_len)) {
            return HC_ERR_SIGNATURE_INVALID;
        }
        *out_len = der_from_raw(sig, ec->coord_len, der);
        *out = der;
        return HC_OK;
    }
    /* RSASSA-PSS-VERIFY step 1 (RFC 8017 §8.1.2): the signature has exactly k octets. */
    if (alg == HC_SIG_PS256 && sig_len != (size_t)EVP_PKEY_get_size(key)) {
        return HC_ERR_SIGNATURE_INVALID;
    }
    *out = sig;
    *out_len = sig_len;
    return HC_OK;
}

/* Sets PS256 on ctx: PSS padding, SHA-256, MGF1-SHA-256, salt length 32 (RFC 8230 §2). The salt
 * length is pinned to the digest length, never left at OpenSSL's verify default (auto-detect),
 * which would accept salt 0 or 20 (security.md §3 D25); MGF1's digest is pinned as well rather
 * than left to OpenSSL's default (the signature digest). One parameter call instead of four
 * EVP_PKEY_CTX_set_rsa_* wrappers: the same settings for half the instructions. */
bool
hc_sig_ctx_set_ps256(EVP_PKEY_CTX *ctx)
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

/* Verifies a prepared signature over a digest; alg fits key (checked by the caller). */
static hc_err
verify_prepared(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *digest, size_t dlen,
                const uint8_t *sig, size_t sig_len)
{
    hc_err err = HC_ERR_INTERNAL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);

    if (ctx == NULL || EVP_PKEY_verify_init(ctx) != 1) {
        goto done;
    }
    if (alg == HC_SIG_PS256 && !hc_sig_ctx_set_ps256(ctx)) {
        goto done;
    }
    /* Any answer but 1 is a failed signature: -1 also comes from a signature value >= the RSA
     * modulus, which is the input's fault, not ours. */
    err = EVP_PKEY_verify(ctx, sig, sig_len, digest, dlen) == 1 ? HC_OK : HC_ERR_SIGNATURE_INVALID;
done:
    if (err != HC_OK) {
        ERR_clear_error();
    }
    EVP_PKEY_CTX_free(ctx);
    return err;
}

/* Ed25519 has no pre-hashed form here (RFC 8037 §3.1 uses PureEdDSA): one-shot over msg. */
static hc_err
verify_ed25519(EVP_PKEY *key, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
               size_t sig_len)
{
    hc_err err = HC_ERR_INTERNAL;
    EVP_MD_CTX *ctx = NULL;

    if (sig_len != ED25519_SIG_LEN) {
        return HC_ERR_SIGNATURE_INVALID;
    }
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1) {
        goto done;
    }
    err = EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1 ? HC_OK : HC_ERR_SIGNATURE_INVALID;
done:
    if (err != HC_OK) {
        ERR_clear_error();
    }
    EVP_MD_CTX_free(ctx);
    return err;
}

hc_err
hc_sig_verify(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
              size_t sig_len)
{
    uint8_t der[HC_SIG_ECDSA_DER_MAX];
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    const uint8_t *prepared;
    size_t prepared_len;

    if (key == NULL || (msg == NULL && msg_len != 0) || (sig == NULL && sig_len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_sig_key_fits(key, alg);
    if (err != HC_OK) {
        return err;
    }
    if (alg == HC_SIG_EDDSA) {
        return verify_ed25519(key, msg, msg_len, sig, sig_len);
    }
    err = precheck_signature(key, alg, sig, sig_len, der, &prepared, &prepared_len);
    if (err != HC_OK) {
        return err;
    }
    const EVP_MD *md = digest_of(alg);
    if (md == NULL || EVP_Digest(msg, msg_len, digest, &dlen, md, NULL) != 1) {
        ERR_clear_error();
        return HC_ERR_INTERNAL;
    }
    return verify_prepared(key, alg, digest, dlen, prepared, prepared_len);
}

hc_err
hc_sig_verify_digest(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *digest, size_t dlen,
                     const uint8_t *sig, size_t sig_len)
{
    uint8_t der[HC_SIG_ECDSA_DER_MAX];
    const uint8_t *prepared;
    size_t prepared_len;

    if (key == NULL || digest == NULL || (sig == NULL && sig_len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_sig_key_fits(key, alg);
    if (err != HC_OK) {
        return err;
    }
    if (alg == HC_SIG_EDDSA) {
        return HC_ERR_ALG_UNSUPPORTED; /* PureEdDSA signs the message, not a digest */
    }
    const EVP_MD *md = digest_of(alg);
    if (md == NULL) {
        return HC_ERR_INTERNAL;
    }
    if (dlen != (size_t)EVP_MD_get_size(md)) {
        return HC_ERR_INVALID_ARG;
    }
    err = precheck_signature(key, alg, sig, sig_len, der, &prepared, &prepared_len);
    if (err != HC_OK) {
        return err;
    }
    return verify_prepared(key, alg, digest, dlen, prepared, prepared_len);
}

/* ---- the verification context cache (sig.h) ---- */

void
hc_sig_cache_init(hc_sig_cache *cache)
{
    memset(cache, 0, sizeof *cache);
}

void
hc_sig_cache_clear(hc_sig_cache *cache)
{
    for (size_t i = 0; i < HC_SIG_CACHE_SLOTS; i++) {
        EVP_PKEY_CTX_free(cache->slot[i].ctx);
    }
    hc_sig_cache_init(cache);
}

/* The cached context for (key, alg), made (after the key checks) when missing; NULL on failure
 * with *err set. */
static EVP_PKEY_CTX *
cached_ctx(hc_sig_cache *cache, EVP_PKEY *key, hc_sig_alg alg, hc_err *err)
{
    for (size_t i = 0; i < HC_SIG_CACHE_SLOTS; i++) {
        if (cache->slot[i].ctx != NULL && cache->slot[i].key == key && cache->slot[i].alg == alg) {
            return cache->slot[i].ctx;
        }
    }
    *err = hc_sig_key_fits(key, alg);
    if (*err != HC_OK) {
        return NULL;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (ctx == NULL || EVP_PKEY_verify_init(ctx) != 1 ||
        (alg == HC_SIG_PS256 && !hc_sig_ctx_set_ps256(ctx))) {
        EVP_PKEY_CTX_free(ctx);
        ERR_clear_error();
        *err = HC_ERR_INTERNAL;
        return NULL;
    }
    unsigned n = cache->next;
    cache->next = (n + 1) % HC_SIG_CACHE_SLOTS;
    EVP_PKEY_CTX_free(cache->slot[n].ctx);
    cache->slot[n].key = key;
    cache->slot[n].alg = alg;
    cache->slot[n].ctx = ctx;
    return ctx;
}

hc_err
hc_sig_verify_digest_cached(hc_sig_cache *cache, EVP_PKEY *key, hc_sig_alg alg,
                            const uint8_t *digest, size_t dlen, const uint8_t *sig, size_t sig_len)
{
    uint8_t der[HC_SIG_ECDSA_DER_MAX];
    const uint8_t *prepared;
    size_t prepared_len;
    hc_err err = HC_OK;

    if (cache == NULL || alg == HC_SIG_EDDSA) {
        return hc_sig_verify_digest(key, alg, digest, dlen, sig, sig_len);
    }
    if (key == NULL || digest == NULL || (sig == NULL && sig_len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    const EVP_MD *md = digest_of(alg);
    if (md == NULL) {
        return alg == HC_SIG_NONE ? HC_ERR_ALG_UNSUPPORTED : HC_ERR_INTERNAL;
    }
    if (dlen != (size_t)EVP_MD_get_size(md)) {
        return HC_ERR_INVALID_ARG;
    }
    EVP_PKEY_CTX *ctx = cached_ctx(cache, key, alg, &err);
    if (ctx == NULL) {
        return err;
    }
    err = precheck_signature(key, alg, sig, sig_len, der, &prepared, &prepared_len);
    if (err != HC_OK) {
        return err;
    }
    /* A context stays initialised across EVP_PKEY_verify calls, failed ones included. */
    if (EVP_PKEY_verify(ctx, prepared, prepared_len, digest, dlen) == 1) {
        return HC_OK;
    }
    ERR_clear_error();
    return HC_ERR_SIGNATURE_INVALID;
}

/* ---- sign ---- */

hc_err
hc_sig_sign(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *msg, size_t msg_len, uint8_t *sig,
            size_t cap, size_t *sig_len)
{
    uint8_t out[HC_SIG_MAX_LEN];
    size_t out_len = sizeof out;
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mctx = NULL;

    if (key == NULL || (msg == NULL && msg_len != 0) || sig == NULL || sig_len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_sig_key_fits(key, alg);
    if (err != HC_OK) {
        return err;
    }
    err = HC_ERR_KEY_INVALID; /* a public key only, or a key OpenSSL refuses to sign with */
    if (alg == HC_SIG_EDDSA) {
        mctx = EVP_MD_CTX_new();
        if (mctx == NULL || EVP_DigestSignInit(mctx, NULL, NULL, NULL, key) != 1 ||
            EVP_DigestSign(mctx, out, &out_len, msg, msg_len) != 1) {
            goto done;
        }
    } else {
        const EVP_MD *md = digest_of(alg);
        if (md == NULL || EVP_Digest(msg, msg_len, digest, &dlen, md, NULL) != 1) {
            err = HC_ERR_INTERNAL;
            goto done;
        }
        pctx = EVP_PKEY_CTX_new(key, NULL);
        if (pctx == NULL || EVP_PKEY_sign_init(pctx) != 1) {
            goto done;
        }
        if (alg == HC_SIG_PS256 && !hc_sig_ctx_set_ps256(pctx)) {
            goto done;
        }
        if (EVP_PKEY_sign(pctx, out, &out_len, digest, dlen) != 1) {
            goto done;
        }
        const ecdsa_params *ec = ecdsa_of(alg);
        if (ec != NULL) {
            /* OpenSSL signs ECDSA as DER; COSE and JWS want raw r||s (RFC 9053 §2.1). */
            uint8_t raw[2 * 66];
            if (hc_sig_der_to_raw(out, out_len, ec->coord_len, raw, sizeof raw) != HC_OK) {
                err = HC_ERR_INTERNAL;
                goto done;
            }
            out_len = 2 * ec->coord_len;
            memcpy(out, raw, out_len);
        }
    }
    if (out_len > cap) {
        err = HC_ERR_BUFFER_TOO_SMALL;
        goto done;
    }
    memcpy(sig, out, out_len);
    *sig_len = out_len;
    err = HC_OK;
done:
    if (err != HC_OK) {
        ERR_clear_error();
    }
    /* The digest is of public data and the signature is public; only OpenSSL's own state held
     * secrets (its nonce, the key), and it wipes them when the contexts are freed. */
    EVP_PKEY_CTX_free(pctx);
    EVP_MD_CTX_free(mctx);
    return err;
}
