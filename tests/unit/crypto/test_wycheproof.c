/*
 * test_wycheproof.c: the Wycheproof sweeps of the signature adapter (security.md §3 D30, D25).
 *
 *   ecdsa_secp256r1_sha256_p1363_test.json   raw r||s through hc_sig_verify(ES256): all match
 *   ecdsa_secp256r1_sha256_test.json         DER through hc_sig_der_to_raw + ES256: all match
 *   rsa_pss_2048_sha256_mgf1_32_test.json    PS256: all match
 *   rsa_pss_2048_sha256_mgf1_32_params_test  PS256 with id-RSASSA-PSS keys restricted to SHA-256,
 *                                            MGF1-SHA-256, salt >= 32 (as the LU DSC,
 *                                            dgc-testdata#159): accepted keys, all match
 *   rsa_pss_2048_sha256_mgf1_0_test.json     PS256: every vector rejected (salt pinned to 32),
 *                                            except the one whose salt length was "changed to 32":
 *                                            that one is a genuine PS256 signature and must pass
 *   rsa_pss_2048_sha256_mgf1sha1_20_test     PS256: every vector rejected (MGF1-SHA-256 pinned),
 *                                            its "s_len changed to 32" one included
 * Counts are printed so that a run shows what was swept.
 */
#include "testlib.h"

#include <openssl/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"

#define WYCHEPROOF_DIR "wycheproof/testvectors_v1/"

typedef enum expectation {
    EXPECT_AS_LABELLED, /* valid verifies, invalid does not */
    EXPECT_ALL_REJECTED,
} expectation;

typedef enum sig_form {
    FORM_RAW,
    FORM_DER,
} sig_form;

typedef struct sweep {
    size_t vectors, valid_passed, invalid_rejected, rejected, mismatches;
    size_t genuine_ps256; /* vectors of a non-PS256 file that are PS256 signatures after all */
} sweep;

static EVP_PKEY *
load_key(json_t *group)
{
    const char *hex = json_string_value(json_object_get(group, "publicKeyDer"));
    assert_non_null(hex);
    size_t len;
    uint8_t *der = hc_test_hex(hex, &len);
    const unsigned char *p = der;
    EVP_PKEY *key = d2i_PUBKEY(NULL, &p, (long)len);
    assert_non_null(key);
    free(der);
    return key;
}

static void
run_file(const char *name, hc_sig_alg alg, sig_form form, expectation expect, sweep *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, WYCHEPROOF_DIR "%s", name);
    json_t *doc = hc_test_load_json(rel);
    json_t *groups = json_object_get(doc, "testGroups");
    size_t gi;
    json_t *group;

    memset(out, 0, sizeof *out);
    json_array_foreach(groups, gi, group)
    {
        EVP_PKEY *key = load_key(group);
        const char *mgf_sha = json_string_value(json_object_get(group, "mgfSha"));
        bool mgf1_sha256 = mgf_sha != NULL && strcmp(mgf_sha, "SHA-256") == 0;
        size_t ti;
        json_t *t;
        json_array_foreach(json_object_get(group, "tests"), ti, t)
        {
            size_t msg_len, sig_len;
            uint8_t *msg = hc_test_hex(json_string_value(json_object_get(t, "msg")), &msg_len);
            uint8_t *sig = hc_test_hex(json_string_value(json_object_get(t, "sig")), &sig_len);
            const char *result = json_string_value(json_object_get(t, "result"));
            assert_non_null(result);
            bool valid = strcmp(result, "valid") == 0;
            hc_err err;
            if (form == FORM_DER) {
                uint8_t raw[64];
                err = hc_sig_der_to_raw(sig, sig_len, 32, raw, sizeof raw);
                if (err == HC_OK) {
                    err = hc_sig_verify(key, alg, msg, msg_len, raw, sizeof raw);
                }
            } else {
                err = hc_sig_verify(key, alg, msg, msg_len, sig, sig_len);
            }
            /* A rejection is a verdict, never "could not check". */
            assert_true(err == HC_OK || err == HC_ERR_SIGNATURE_INVALID);
            bool ok = err == HC_OK;
            /* In the salt-0 file (MGF1-SHA-256), a signature made with salt 32 is labelled
             * invalid, yet it is exactly what RFC 8230 §2 calls PS256: a pinned verifier accepts
             * it. (With MGF1-SHA-1 it is still no PS256 signature.) */
            const char *comment = json_string_value(json_object_get(t, "comment"));
            bool is_ps256 =
                mgf1_sha256 && comment != NULL && strcmp(comment, "s_len changed to 32") == 0;
            bool want = expect == EXPECT_AS_LABELLED ? valid : is_ps256;
            out->genuine_ps256 += expect == EXPECT_ALL_REJECTED && is_ps256;
            out->vectors++;
            out->valid_passed += valid && ok;
            out->invalid_rejected += !valid && !ok;
            out->rejected += !ok;
            if (ok != want) {
                out->mismatches++;
                print_message("%s tcId %lld (%s, %s): got %s\n", name,
                              (long long)json_integer_value(json_object_get(t, "tcId")), result,
                              json_string_value(json_object_get(t, "comment")), hc_err_code(err));
            }
            free(msg);
            free(sig);
        }
        EVP_PKEY_free(key);
    }
    assert_int_equal(out->vectors, json_integer_value(json_object_get(doc, "numberOfTests")));
    print_message("%-48s %4zu vectors: %3zu valid passed, %3zu invalid rejected, %3zu rejected "
                  "in all, %zu genuine PS256 accepted, %zu mismatches\n",
                  name, out->vectors, out->valid_passed, out->invalid_rejected, out->rejected,
                  out->genuine_ps256, out->mismatches);
    json_decref(doc);
}

static void
test_ecdsa_p1363(void **state)
{
    (void)state;
    sweep s;
    run_file("ecdsa_secp256r1_sha256_p1363_test.json", HC_SIG_ES256, FORM_RAW, EXPECT_AS_LABELLED,
             &s);
    assert_int_equal(s.mismatches, 0);
    assert_true(s.valid_passed > 0 && s.invalid_rejected > 0);
}

static void
test_ecdsa_der(void **state)
{
    (void)state;
    sweep s;
    run_file("ecdsa_secp256r1_sha256_test.json", HC_SIG_ES256, FORM_DER, EXPECT_AS_LABELLED, &s);
    assert_int_equal(s.mismatches, 0);
    assert_true(s.valid_passed > 0 && s.invalid_rejected > 0);
}

static void
test_pss_sha256_salt32(void **state)
{
    (void)state;
    sweep s;
    run_file("rsa_pss_2048_sha256_mgf1_32_test.json", HC_SIG_PS256, FORM_RAW, EXPECT_AS_LABELLED,
             &s);
    assert_int_equal(s.mismatches, 0);
    assert_true(s.valid_passed > 0 && s.invalid_rejected > 0);
}

static void
test_pss_params_key(void **state)
{
    (void)state;
    sweep s;
    run_file("rsa_pss_2048_sha256_mgf1_32_params_test.json", HC_SIG_PS256, FORM_RAW,
             EXPECT_AS_LABELLED, &s);
    assert_int_equal(s.mismatches, 0);
    assert_true(s.valid_passed > 0);
}

static void
test_pss_salt0_rejected(void **state)
{
    (void)state;
    sweep s;
    run_file("rsa_pss_2048_sha256_mgf1_0_test.json", HC_SIG_PS256, FORM_RAW, EXPECT_ALL_REJECTED,
             &s);
    assert_int_equal(s.mismatches, 0);
    assert_int_equal(s.rejected + s.genuine_ps256, s.vectors);
    assert_int_equal(s.genuine_ps256, 1);
    assert_true(s.invalid_rejected > 0);
}

static void
test_pss_mgf1_sha1_rejected(void **state)
{
    (void)state;
    sweep s;
    run_file("rsa_pss_2048_sha256_mgf1sha1_20_test.json", HC_SIG_PS256, FORM_RAW,
             EXPECT_ALL_REJECTED, &s);
    assert_int_equal(s.mismatches, 0);
    assert_int_equal(s.rejected, s.vectors);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdsa_p1363),        cmocka_unit_test(test_ecdsa_der),
        cmocka_unit_test(test_pss_sha256_salt32),  cmocka_unit_test(test_pss_params_key),
        cmocka_unit_test(test_pss_salt0_rejected), cmocka_unit_test(test_pss_mgf1_sha1_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
