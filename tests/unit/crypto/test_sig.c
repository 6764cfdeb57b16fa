/*
 * test_sig.c: the signature adapter's contract (sig.h): algorithm/key fit, malformed signatures,
 * range checks of r and s, strict DER, sign -> verify round trips (security.md §3 D13-D27).
 */
#include "testlib.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"

static const uint8_t msg[] = "a COSE Sig_structure stands in here";

/* Keys made once for the whole file (RSA generation is slow). */
static EVP_PKEY *p256, *p384, *p521, *rsa2048, *ed25519;

static EVP_PKEY *
gen_ec(const char *curve)
{
    EVP_PKEY *k = EVP_EC_gen(curve);
    assert_non_null(k);
    return k;
}

static EVP_PKEY *
gen_rsa(size_t bits, size_t e)
{
    EVP_PKEY *k = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    OSSL_PARAM params[] = {
        OSSL_PARAM_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits),
        OSSL_PARAM_size_t(OSSL_PKEY_PARAM_RSA_E, &e),
        OSSL_PARAM_END,
    };
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_params(ctx, params), 1);
    assert_int_equal(EVP_PKEY_generate(ctx, &k), 1);
    EVP_PKEY_CTX_free(ctx);
    return k;
}

/* An RSA-PSS key restricted to md (RFC 4055 §3.1 parameters in the key). */
static EVP_PKEY *
gen_rsa_pss_restricted(const EVP_MD *md, int salt)
{
    EVP_PKEY *k = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_keygen_md(ctx, md), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_keygen_mgf1_md(ctx, md), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_keygen_saltlen(ctx, salt), 1);
    assert_int_equal(EVP_PKEY_generate(ctx, &k), 1);
    EVP_PKEY_CTX_free(ctx);
    return k;
}

/* The public half only, as a verifier gets it from a certificate. */
static EVP_PKEY *
public_only(EVP_PKEY *key)
{
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(key, &der);
    assert_true(len > 0);
    const unsigned char *p = der;
    EVP_PKEY *pub = d2i_PUBKEY(NULL, &p, len);
    assert_non_null(pub);
    OPENSSL_free(der);
    return pub;
}

/* A P-256 key whose SubjectPublicKeyInfo spells the curve out (explicit parameters). */
static EVP_PKEY *
explicit_p256(void)
{
    EVP_PKEY *k = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 5),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT,
                               sizeof OSSL_PKEY_EC_ENCODING_EXPLICIT - 1),
        OSSL_PARAM_END,
    };
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_params(ctx, params), 1);
    assert_int_equal(EVP_PKEY_generate(ctx, &k), 1);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY *decoded = public_only(k); /* decoding marks it "decoded from explicit params" */
    EVP_PKEY_free(k);
    return decoded;
}

static int
setup(void **state)
{
    (void)state;
    p256 = gen_ec("P-256");
    p384 = gen_ec("P-384");
    p521 = gen_ec("P-521");
    rsa2048 = gen_rsa(2048, 65537);
    ed25519 = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(ed25519);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(p256);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(p521);
    EVP_PKEY_free(rsa2048);
    EVP_PKEY_free(ed25519);
    return 0;
}

static void
sign_ok(EVP_PKEY *key, hc_sig_alg alg, uint8_t *sig, size_t *len)
{
    assert_int_equal(hc_sig_sign(key, alg, msg, sizeof msg, sig, HC_SIG_MAX_LEN, len), HC_OK);
}

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(hc_sig_alg_name(HC_SIG_ES256), "ES256");
    assert_string_equal(hc_sig_alg_name(HC_SIG_ES384), "ES384");
    assert_string_equal(hc_sig_alg_name(HC_SIG_ES512), "ES512");
    assert_string_equal(hc_sig_alg_name(HC_SIG_PS256), "PS256");
    assert_string_equal(hc_sig_alg_name(HC_SIG_EDDSA), "EdDSA");
    assert_string_equal(hc_sig_alg_name(HC_SIG_NONE), "none");
    assert_string_equal(hc_sig_alg_name((hc_sig_alg)99), "none");
}

static void
test_round_trips(void **state)
{
    (void)state;
    struct {
        EVP_PKEY *key;
        hc_sig_alg alg;
        size_t len;
    } cases[] = {
        { p256, HC_SIG_ES256, 64 },     { p384, HC_SIG_ES384, 96 },    { p521, HC_SIG_ES512, 132 },
        { rsa2048, HC_SIG_PS256, 256 }, { ed25519, HC_SIG_EDDSA, 64 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t sig[HC_SIG_MAX_LEN];
        size_t len = 0;
        assert_int_equal(hc_sig_alg_for_key(cases[i].key), cases[i].alg);
        assert_int_equal(hc_sig_key_fits(cases[i].key, cases[i].alg), HC_OK);
        sign_ok(cases[i].key, cases[i].alg, sig, &len);
        assert_int_equal(len, cases[i].len);
        EVP_PKEY *pub = public_only(cases[i].key);
        assert_int_equal(hc_sig_verify(pub, cases[i].alg, msg, sizeof msg, sig, len), HC_OK);
        /* One flipped message bit (security.md §3 D28), one flipped signature bit. */
        uint8_t other[sizeof msg];
        memcpy(other, msg, sizeof msg);
        other[3] ^= 0x01;
        assert_int_equal(hc_sig_verify(pub, cases[i].alg, other, sizeof other, sig, len),
                         HC_ERR_SIGNATURE_INVALID);
        sig[len - 1] ^= 0x01;
        assert_int_equal(hc_sig_verify(pub, cases[i].alg, msg, sizeof msg, sig, len),
                         HC_ERR_SIGNATURE_INVALID);
        EVP_PKEY_free(pub);
    }
}

static void
test_verify_digest(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN], digest[32];
    size_t len;
    assert_int_equal(EVP_Digest(msg, sizeof msg, digest, NULL, EVP_sha256(), NULL), 1);
    sign_ok(p256, HC_SIG_ES256, sig, &len);
    assert_int_equal(hc_sig_verify_digest(p256, HC_SIG_ES256, digest, 32, sig, len), HC_OK);
    assert_int_equal(hc_sig_verify_digest(p256, HC_SIG_ES256, digest, 31, sig, len),
                     HC_ERR_INVALID_ARG);
    sign_ok(rsa2048, HC_SIG_PS256, sig, &len);
    assert_int_equal(hc_sig_verify_digest(rsa2048, HC_SIG_PS256, digest, 32, sig, len), HC_OK);
    digest[0] ^= 1;
    assert_int_equal(hc_sig_verify_digest(rsa2048, HC_SIG_PS256, digest, 32, sig, len),
                     HC_ERR_SIGNATURE_INVALID);
    /* PureEdDSA has no digest form. */
    assert_int_equal(hc_sig_verify_digest(ed25519, HC_SIG_EDDSA, digest, 32, sig, 64),
                     HC_ERR_ALG_UNSUPPORTED);
}

/* Algorithm/key mismatches are ALG_UNSUPPORTED, never a call of the wrong primitive (D14). */
static void
test_alg_key_mismatch(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN];
    size_t len;
    sign_ok(p256, HC_SIG_ES256, sig, &len);
    struct {
        EVP_PKEY *key;
        hc_sig_alg alg;
    } cases[] = {
        { p384, HC_SIG_ES256 },   { p256, HC_SIG_ES384 },    { p256, HC_SIG_ES512 },
        { p256, HC_SIG_PS256 },   { rsa2048, HC_SIG_ES256 }, { ed25519, HC_SIG_ES256 },
        { p256, HC_SIG_EDDSA },   { rsa2048, HC_SIG_EDDSA }, { p256, HC_SIG_NONE },
        { p256, (hc_sig_alg)42 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(hc_sig_key_fits(cases[i].key, cases[i].alg), HC_ERR_ALG_UNSUPPORTED);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, sig, len),
                         HC_ERR_ALG_UNSUPPORTED);
        uint8_t out[HC_SIG_MAX_LEN];
        size_t out_len = 0;
        assert_int_equal(
            hc_sig_sign(cases[i].key, cases[i].alg, msg, sizeof msg, out, sizeof out, &out_len),
            HC_ERR_ALG_UNSUPPORTED);
    }
}

/* Keys outside the policy: RSA < 2048 bits or e != 65537, explicit EC parameters (D26, F7). */
static void
test_key_policy(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN];
    size_t len = 0;

    EVP_PKEY *rsa1024 = gen_rsa(1024, 65537);
    assert_int_equal(hc_sig_key_fits(rsa1024, HC_SIG_PS256), HC_ERR_ALG_UNSUPPORTED);
    assert_int_equal(hc_sig_alg_for_key(rsa1024), HC_SIG_NONE);
    uint8_t sig128[128] = { 1 };
    assert_int_equal(hc_sig_verify(rsa1024, HC_SIG_PS256, msg, sizeof msg, sig128, 128),
                     HC_ERR_ALG_UNSUPPORTED);
    assert_int_equal(hc_sig_sign(rsa1024, HC_SIG_PS256, msg, sizeof msg, sig, sizeof sig, &len),
                     HC_ERR_ALG_UNSUPPORTED);
    EVP_PKEY_free(rsa1024);

    EVP_PKEY *rsa_e3 = gen_rsa(2048, 3);
    assert_int_equal(hc_sig_key_fits(rsa_e3, HC_SIG_PS256), HC_ERR_ALG_UNSUPPORTED);
    EVP_PKEY_free(rsa_e3);

    EVP_PKEY *expl = explicit_p256();
    assert_int_equal(EVP_PKEY_get_base_id(expl), EVP_PKEY_EC);
    assert_int_equal(hc_sig_key_fits(expl, HC_SIG_ES256), HC_ERR_ALG_UNSUPPORTED);
    assert_int_equal(hc_sig_alg_for_key(expl), HC_SIG_NONE);
    EVP_PKEY_free(expl);

    /* RSA-PSS keys: restricted to SHA-256 / salt 32 they fit PS256, to SHA-384 they do not. */
    EVP_PKEY *pss256 = gen_rsa_pss_restricted(EVP_sha256(), 32);
    assert_int_equal(hc_sig_key_fits(pss256, HC_SIG_PS256), HC_OK);
    sign_ok(pss256, HC_SIG_PS256, sig, &len);
    assert_int_equal(hc_sig_verify(pss256, HC_SIG_PS256, msg, sizeof msg, sig, len), HC_OK);
    EVP_PKEY_free(pss256);
    EVP_PKEY *pss384 = gen_rsa_pss_restricted(EVP_sha384(), 48);
    assert_int_equal(hc_sig_key_fits(pss384, HC_SIG_PS256), HC_ERR_ALG_UNSUPPORTED);
    EVP_PKEY_free(pss384);
    EVP_PKEY *pss_salt64 = gen_rsa_pss_restricted(EVP_sha256(), 64);
    assert_int_equal(hc_sig_key_fits(pss_salt64, HC_SIG_PS256), HC_ERR_ALG_UNSUPPORTED);
    EVP_PKEY_free(pss_salt64);

    assert_int_equal(hc_sig_key_fits(NULL, HC_SIG_ES256), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_alg_for_key(NULL), HC_SIG_NONE);
}

/* The group order n of curve, big-endian in coord bytes (from OpenSSL, to cross-check ours). */
static void
group_order(const char *curve, size_t coord, uint8_t *out)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(OBJ_sn2nid(curve));
    assert_non_null(g);
    assert_int_equal(BN_bn2binpad(EC_GROUP_get0_order(g), out, (int)coord), (int)coord);
    EC_GROUP_free(g);
}

/* r, s outside [1, n-1] are SIGNATURE_INVALID (D22, D23); the high-S twin s' = n - s of a valid
 * signature is valid (D24, as Wycheproof has it). */
static void
test_scalar_ranges(void **state)
{
    (void)state;
    struct {
        EVP_PKEY *key;
        hc_sig_alg alg;
        const char *curve;
        size_t coord;
    } cases[] = {
        { p256, HC_SIG_ES256, "prime256v1", 32 },
        { p384, HC_SIG_ES384, "secp384r1", 48 },
        { p521, HC_SIG_ES512, "secp521r1", 66 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t c = cases[i].coord, len;
        uint8_t sig[HC_SIG_MAX_LEN], bad[HC_SIG_MAX_LEN], n[66];
        group_order(cases[i].curve, c, n);
        sign_ok(cases[i].key, cases[i].alg, sig, &len);
        assert_int_equal(len, 2 * c);

        /* s' = n - s */
        BIGNUM *bn = BN_bin2bn(n, (int)c, NULL), *s = BN_bin2bn(sig + c, (int)c, NULL);
        assert_int_equal(BN_sub(s, bn, s), 1);
        memcpy(bad, sig, 2 * c);
        assert_int_equal(BN_bn2binpad(s, bad + c, (int)c), (int)c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_OK);
        /* r + n and s + n do not fit: covered by the length check. r = n, s = n, 0: */
        memcpy(bad, sig, 2 * c);
        memcpy(bad, n, c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        memcpy(bad, sig, 2 * c);
        memcpy(bad + c, n, c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        memcpy(bad, sig, 2 * c);
        memset(bad, 0, c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        memcpy(bad, sig, 2 * c);
        memset(bad + c, 0, c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        memset(bad, 0, 2 * c); /* CVE-2022-21449 "psychic signature" */
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        memset(bad, 0xff, 2 * c);
        assert_int_equal(hc_sig_verify(cases[i].key, cases[i].alg, msg, sizeof msg, bad, 2 * c),
                         HC_ERR_SIGNATURE_INVALID);
        BN_free(bn);
        BN_free(s);
    }
}

/* Wrong lengths and DER where raw is due: SIGNATURE_INVALID, no crash (D21, D27, CO24). */
static void
test_malformed_signatures(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN + 1], der[HC_SIG_ECDSA_DER_MAX];
    size_t len, der_len;

    sign_ok(p256, HC_SIG_ES256, sig, &len);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, sig, 63),
                     HC_ERR_SIGNATURE_INVALID);
    sig[64] = 0;
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, sig, 65),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, sig, 0),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, NULL, 0),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_raw_to_der(sig, 64, der, sizeof der, &der_len), HC_OK);
    assert_true(der_len >= 8 && der_len <= 72);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, der, der_len),
                     HC_ERR_SIGNATURE_INVALID);

    sign_ok(rsa2048, HC_SIG_PS256, sig, &len);
    assert_int_equal(hc_sig_verify(rsa2048, HC_SIG_PS256, msg, sizeof msg, sig, len - 1),
                     HC_ERR_SIGNATURE_INVALID);
    sig[len] = 0;
    assert_int_equal(hc_sig_verify(rsa2048, HC_SIG_PS256, msg, sizeof msg, sig, len + 1),
                     HC_ERR_SIGNATURE_INVALID);
    memset(sig, 0xff, len); /* a value above the modulus */
    assert_int_equal(hc_sig_verify(rsa2048, HC_SIG_PS256, msg, sizeof msg, sig, len),
                     HC_ERR_SIGNATURE_INVALID);

    sign_ok(ed25519, HC_SIG_EDDSA, sig, &len);
    assert_int_equal(hc_sig_verify(ed25519, HC_SIG_EDDSA, msg, sizeof msg, sig, 63),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_verify(ed25519, HC_SIG_EDDSA, msg, sizeof msg, sig, 65),
                     HC_ERR_SIGNATURE_INVALID);
}

static void
test_bad_arguments(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN] = { 0 };
    size_t len;
    assert_int_equal(hc_sig_verify(NULL, HC_SIG_ES256, msg, sizeof msg, sig, 64),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, NULL, 5, sig, 64), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, msg, sizeof msg, NULL, 64),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_verify_digest(p256, HC_SIG_ES256, NULL, 32, sig, 64),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_sign(p256, HC_SIG_ES256, msg, sizeof msg, NULL, 64, &len),
                     HC_ERR_INVALID_ARG);
    /* An empty message is a message. */
    sign_ok(p256, HC_SIG_ES256, sig, &len);
    uint8_t empty_sig[64];
    size_t empty_len;
    assert_int_equal(hc_sig_sign(p256, HC_SIG_ES256, NULL, 0, empty_sig, 64, &empty_len), HC_OK);
    assert_int_equal(hc_sig_verify(p256, HC_SIG_ES256, NULL, 0, empty_sig, empty_len), HC_OK);
}

static void
test_sign_errors(void **state)
{
    (void)state;
    uint8_t sig[HC_SIG_MAX_LEN];
    size_t len = 12345;
    /* A buffer too small: nothing written. */
    assert_int_equal(hc_sig_sign(p256, HC_SIG_ES256, msg, sizeof msg, sig, 63, &len),
                     HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_sig_sign(rsa2048, HC_SIG_PS256, msg, sizeof msg, sig, 255, &len),
                     HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_sig_sign(ed25519, HC_SIG_EDDSA, msg, sizeof msg, sig, 10, &len),
                     HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 12345);
    /* A public key cannot sign. */
    EVP_PKEY *pub = public_only(p256);
    assert_int_equal(hc_sig_sign(pub, HC_SIG_ES256, msg, sizeof msg, sig, sizeof sig, &len),
                     HC_ERR_KEY_INVALID);
    EVP_PKEY_free(pub);
    pub = public_only(ed25519);
    assert_int_equal(hc_sig_sign(pub, HC_SIG_EDDSA, msg, sizeof msg, sig, sizeof sig, &len),
                     HC_ERR_KEY_INVALID);
    EVP_PKEY_free(pub);
}

/* ---- DER <-> raw ---- */

static void
der_rejects(const char *hex)
{
    size_t len;
    uint8_t *der = hc_test_hex(hex, &len), raw[64];
    hc_err err = hc_sig_der_to_raw(der, len, 32, raw, sizeof raw);
    if (err != HC_ERR_SIGNATURE_INVALID) {
        fail_msg("accepted %s: %s", hex, hc_err_code(err));
    }
    free(der);
}

static void
test_der_round_trip(void **state)
{
    (void)state;
    uint8_t raw[132], der[HC_SIG_ECDSA_DER_MAX], back[132];
    size_t der_len;
    size_t coords[] = { 32, 48, 66 };
    /* High bits set (needs 0x00 pads), leading zeros (must be stripped), zero, all ones. */
    for (size_t ci = 0; ci < 3; ci++) {
        size_t c = coords[ci];
        for (int pattern = 0; pattern < 4; pattern++) {
            for (size_t i = 0; i < 2 * c; i++) {
                raw[i] = (uint8_t)(i * 37 + 11);
            }
            if (pattern == 0) {
                raw[0] = 0x80;
                raw[c] = 0xff;
            } else if (pattern == 1) {
                memset(raw, 0, 5);
                raw[5] = 0x7f;
                memset(raw + c, 0, c - 1);
            } else if (pattern == 2) {
                memset(raw, 0, c);
            } else {
                memset(raw, 0xff, 2 * c);
            }
            assert_int_equal(hc_sig_raw_to_der(raw, 2 * c, der, sizeof der, &der_len), HC_OK);
            assert_true(der_len <= HC_SIG_ECDSA_DER_MAX);
            assert_int_equal(hc_sig_der_to_raw(der, der_len, c, back, sizeof back), HC_OK);
            assert_memory_equal(raw, back, 2 * c);
            /* OpenSSL reads the same DER. */
            const unsigned char *p = der;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
            assert_non_null(es);
            assert_ptr_equal(p, der + der_len);
            ECDSA_SIG_free(es);
        }
    }
    /* The P-521 form needs the long length form 0x81. */
    memset(raw, 0xff, 132);
    assert_int_equal(hc_sig_raw_to_der(raw, 132, der, sizeof der, &der_len), HC_OK);
    assert_int_equal(der_len, HC_SIG_ECDSA_DER_MAX);
    assert_int_equal(der[1], 0x81);
    assert_int_equal(hc_sig_raw_to_der(raw, 132, der, 140, &der_len), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_sig_raw_to_der(raw, 63, der, sizeof der, &der_len),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_raw_to_der(raw, 100, der, sizeof der, &der_len),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(hc_sig_der_to_raw(der, der_len, 31, back, sizeof back), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_sig_der_to_raw(der, der_len, 66, back, 131), HC_ERR_BUFFER_TOO_SMALL);
}

static void
test_der_strict(void **state)
{
    (void)state;
    uint8_t raw[64];
    size_t len;
    /* Accepted: minimal forms, a needed 0x00 pad, zero as one 0x00 octet. */
    uint8_t *ok = hc_test_hex("3006020101020100", &len);
    assert_int_equal(hc_sig_der_to_raw(ok, len, 32, raw, sizeof raw), HC_OK);
    assert_int_equal(raw[31], 1);
    assert_int_equal(raw[63], 0);
    free(ok);
    ok = hc_test_hex("300702020080020101", &len);
    assert_int_equal(hc_sig_der_to_raw(ok, len, 32, raw, sizeof raw), HC_OK);
    assert_int_equal(raw[31], 0x80);
    free(ok);

    der_rejects("");
    der_rejects("30");
    der_rejects("3100");                   /* SET, not SEQUENCE */
    der_rejects("3000");                   /* no integers */
    der_rejects("3003020101");             /* one integer */
    der_rejects("3009020101020101020101"); /* three integers */
    der_rejects("3006020101020101"
                "00");                   /* trailing byte */
    der_rejects("3007020101020101");     /* length says more than there is */
    der_rejects("3005020101020101");     /* length says less */
    der_rejects("30800201010201010000"); /* indefinite length (BER) */
    der_rejects("308106020101020101");   /* long form for a short length (BER) */
    der_rejects("30820006020101020101"); /* two length octets */
    der_rejects("3006020181020101");     /* negative r */
    der_rejects("30060201010201ff");     /* negative s */
    der_rejects("300702020001020101");   /* redundant leading zero */
    der_rejects("3005020002020101");     /* empty integer: 0 content octets */
    der_rejects("3006030101020101");     /* BIT STRING in place of INTEGER */
    der_rejects("300702810101020101");   /* long-form integer length */
    /* r of 33 significant bytes does not fit P-256. */
    der_rejects("302702220101010101010101010101010101010101010101010101010101010101010101010101"
                "020101");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_verify_digest),
        cmocka_unit_test(test_alg_key_mismatch),
        cmocka_unit_test(test_key_policy),
        cmocka_unit_test(test_scalar_ranges),
        cmocka_unit_test(test_malformed_signatures),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_sign_errors),
        cmocka_unit_test(test_der_round_trip),
        cmocka_unit_test(test_der_strict),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
