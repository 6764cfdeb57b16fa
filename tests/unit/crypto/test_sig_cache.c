/*
 * test_sig_cache.c: hc_sig_verify_digest_cached gives exactly the answers of the uncached call:
 * across failed and valid signatures on one context, for a key that does not fit the algorithm,
 * and when more keys than slots rotate through the cache.
 */
#include "testlib.h"

#include <openssl/evp.h>
#include <string.h>

#include "sig.h"
#include "x509_make.h"

static void
sign_digest(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *msg, size_t len, uint8_t *sig,
            size_t *sig_len)
{
    assert_int_equal(hc_sig_sign(key, alg, msg, len, sig, 512, sig_len), HC_OK);
}

static void
sha256(const uint8_t *msg, size_t len, uint8_t d[32])
{
    unsigned n = 0;
    assert_int_equal(EVP_Digest(msg, len, d, &n, EVP_sha256(), NULL), 1);
}

static void
test_same_answers(void **state)
{
    (void)state;
    hc_sig_cache cache;
    hc_sig_cache_init(&cache);
    EVP_PKEY *ec = hc_key_generate(HC_KEY_P256);
    EVP_PKEY *rsa = hc_key_generate(HC_KEY_RSA2048);
    const uint8_t msg[] = "signed bytes";
    uint8_t d[32], sig[512], bad[512];
    size_t n = 0;
    sha256(msg, sizeof msg, d);

    for (int round = 0; round < 3; round++) {
        sign_digest(ec, HC_SIG_ES256, msg, sizeof msg, sig, &n);
        memcpy(bad, sig, n);
        bad[5] ^= 1;
        assert_int_equal(hc_sig_verify_digest_cached(&cache, ec, HC_SIG_ES256, d, 32, sig, n),
                         HC_OK);
        assert_int_equal(hc_sig_verify_digest_cached(&cache, ec, HC_SIG_ES256, d, 32, bad, n),
                         HC_ERR_SIGNATURE_INVALID);
        assert_int_equal(hc_sig_verify_digest_cached(&cache, ec, HC_SIG_ES256, d, 32, sig, n - 1),
                         HC_ERR_SIGNATURE_INVALID);
        /* The context stays good after failures. */
        assert_int_equal(hc_sig_verify_digest_cached(&cache, ec, HC_SIG_ES256, d, 32, sig, n),
                         HC_OK);
        assert_int_equal(hc_sig_verify_digest_cached(&cache, ec, HC_SIG_PS256, d, 32, sig, n),
                         HC_ERR_ALG_UNSUPPORTED);

        sign_digest(rsa, HC_SIG_PS256, msg, sizeof msg, sig, &n);
        memcpy(bad, sig, n);
        bad[n - 1] ^= 1;
        assert_int_equal(hc_sig_verify_digest_cached(&cache, rsa, HC_SIG_PS256, d, 32, bad, n),
                         HC_ERR_SIGNATURE_INVALID);
        assert_int_equal(hc_sig_verify_digest_cached(&cache, rsa, HC_SIG_PS256, d, 32, sig, n),
                         HC_OK);
        assert_int_equal(hc_sig_verify_digest_cached(&cache, rsa, HC_SIG_ES256, d, 32, sig, n),
                         HC_ERR_ALG_UNSUPPORTED);
    }
    hc_sig_cache_clear(&cache);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(rsa);
}

static void
test_rotation_and_key_lifetime(void **state)
{
    (void)state;
    hc_sig_cache cache;
    hc_sig_cache_init(&cache);
    enum { N = HC_SIG_CACHE_SLOTS * 2 + 1 };
    EVP_PKEY *keys[N];
    uint8_t sigs[N][64];
    size_t lens[N];
    const uint8_t msg[] = "rotation";
    uint8_t d[32];
    sha256(msg, sizeof msg, d);
    for (int i = 0; i < N; i++) {
        keys[i] = hc_key_generate(HC_KEY_P256);
        assert_int_equal(hc_sig_sign(keys[i], HC_SIG_ES256, msg, sizeof msg, sigs[i], 64, &lens[i]),
                         HC_OK);
    }
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < N; i++) {
            assert_int_equal(
                hc_sig_verify_digest_cached(&cache, keys[i], HC_SIG_ES256, d, 32, sigs[i], lens[i]),
                HC_OK);
            /* Another key's signature never verifies, whatever the cache holds. */
            assert_int_equal(hc_sig_verify_digest_cached(&cache, keys[i], HC_SIG_ES256, d, 32,
                                                         sigs[(i + 1) % N], lens[(i + 1) % N]),
                             HC_ERR_SIGNATURE_INVALID);
        }
    }
    /* Freeing the caller's references first is safe: the cache holds its own. */
    for (int i = 0; i < N; i++) {
        EVP_PKEY_free(keys[i]);
    }
    hc_sig_cache_clear(&cache);
    hc_sig_cache_clear(&cache); /* idempotent */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answers),
        cmocka_unit_test(test_rotation_and_key_lifetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
