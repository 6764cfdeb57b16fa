/*
 * test_jwk.c: JWK <-> keys (jwk.h): RFC 8037 Appendix A.3 and SMART Health Cards thumbprints
 * (kid = RFC 7638 thumbprint), each refusal of a verification key, private keys that must belong to
 * their public part, export and re-import, and bounded JSON parsing (json_bounded.h).
 */
#include "testlib.h"

#include <openssl/ec.h>
#include <string.h>

#include "json_bounded.h"
#include "jwk.h"

static json_t *
jwk_from(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (j == NULL) {
        fail_msg("bad test JSON: %s", e.text);
    }
    return j;
}

static void
test_thumbprints(void **state)
{
    (void)state;
    char tp[HC_JWK_THUMBPRINT_LEN];
    EVP_PKEY *key = NULL;
    /* RFC 8037 Appendix A.3. */
    json_t *ed = jwk_from("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                          "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
    assert_int_equal(hc_jwk_public_key(ed, &key, NULL, NULL), HC_OK);
    assert_int_equal(hc_jwk_thumbprint(key, tp), HC_OK);
    assert_string_equal(tp, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    EVP_PKEY_free(key);
    json_decref(ed);
    /* The SMART Health Cards example issuer: every kid is its key's thumbprint (spec
     * "Determining keys associated with an issuer"). */
    json_t *jwks = hc_test_load_json("shc/examples/issuer/.well-known/jwks.json");
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(jwks, "keys"), i, k)
    {
        hc_sig_alg alg;
        assert_int_equal(hc_jwk_public_key(k, &key, &alg, NULL), HC_OK);
        assert_int_equal(alg, HC_SIG_ES256);
        assert_int_equal(hc_jwk_thumbprint(key, tp), HC_OK);
        assert_string_equal(tp, json_string_value(json_object_get(k, "kid")));
        EVP_PKEY_free(key);
    }
    assert_int_equal(i, 2);
    json_decref(jwks);
    /* The VC fixtures' P-256 key (KEYS-and-EXPECTED.json "jwk_thumbprint_rfc7638"). */
    json_t *vc = hc_test_load_json("vc/vc-jwt-generated/KEYS-and-EXPECTED.json");
    json_t *priv = json_object_get(vc, "privateKeyJwk");
    assert_int_equal(hc_jwk_private_key(priv, &key, NULL, NULL), HC_OK);
    assert_int_equal(hc_jwk_thumbprint(key, tp), HC_OK);
    assert_string_equal(tp, json_string_value(json_object_get(vc, "jwk_thumbprint_rfc7638")));
    EVP_PKEY_free(key);
    json_decref(vc);
}

static void
test_refusals(void **state)
{
    (void)state;
    const char *x = "\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns\"";
    const char *y = "\"y\":\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM\"";
    char text[512];
    struct {
        const char *extra; /* members besides x and y */
        bool ok;
    } cases[] = {
        { "\"kty\":\"EC\",\"crv\":\"P-256\"", true },
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\"", true },
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":[\"verify\"]", true },
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc\"",
          false },                                                       /* private member */
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"p\":\"AQ\"", false },      /* RSA private member */
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\"", false },   /* not for signatures */
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES384\"", false }, /* alg of another curve */
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256K\"", false },
        { "\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":[\"encrypt\"]", false },
        { "\"kty\":\"EC\",\"crv\":\"secp256k1\"", false },
        { "\"kty\":\"RSA\",\"crv\":\"P-256\"", false },
        { "\"kty\":\"oct\",\"crv\":\"P-256\"", false },
        { "\"crv\":\"P-256\"", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "{%s,%s,%s}", cases[i].extra, x, y);
        json_t *j = jwk_from(text);
        EVP_PKEY *key = NULL;
        const char *why = NULL;
        hc_err e = hc_jwk_public_key(j, &key, NULL, &why);
        if ((e == HC_OK) != cases[i].ok) {
            fail_msg("case %zu (%s): %s", i, cases[i].extra, why ? why : "accepted");
        }
        assert_true(e == HC_OK || (e == HC_ERR_KEY_INVALID && why != NULL));
        EVP_PKEY_free(key);
        json_decref(j);
    }
    /* Coordinates: padding, short, not on the curve, Ed25519 of the wrong size. */
    const char *bad[] = {
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns=\","
        "\"y\":\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzn\","
        "\"y\":\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns\","
        "\"y\":\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIA\"}",
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_"
        "7TyWQHOg7hcvPapiMlrwIaaPcHUR\"}",
        "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"11qYAYKxCrfVS_"
        "7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
        "[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = jwk_from(bad[i]);
        EVP_PKEY *key = NULL;
        assert_int_equal(hc_jwk_public_key(j, &key, NULL, NULL), HC_ERR_KEY_INVALID);
        json_decref(j);
    }
}

static void
test_private_keys_and_export(void **state)
{
    (void)state;
    EVP_PKEY *key = NULL, *back = NULL, *pub = NULL;
    /* d must belong to x, y: the VC fixture key with a changed d is refused. */
    json_t *vc = hc_test_load_json("vc/vc-jwt-generated/KEYS-and-EXPECTED.json");
    json_t *priv = json_deep_copy(json_object_get(vc, "privateKeyJwk"));
    json_object_set_new(priv, "d", json_string("gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpA"));
    assert_int_equal(hc_jwk_private_key(priv, &key, NULL, NULL), HC_ERR_KEY_INVALID);
    json_object_del(priv, "d");
    assert_int_equal(hc_jwk_private_key(priv, &key, NULL, NULL), HC_ERR_KEY_INVALID);
    json_decref(priv);
    json_decref(vc);
    /* Export and re-import, public and private, for each key type. */
    EVP_PKEY *keys[] = { EVP_EC_gen("P-256"), EVP_EC_gen("P-384"),
                         EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        assert_non_null(keys[i]);
        json_t *jpub = hc_jwk_from_key(keys[i], false);
        json_t *jpriv = hc_jwk_from_key(keys[i], true);
        assert_non_null(jpub);
        assert_null(json_object_get(jpub, "d"));
        assert_non_null(json_object_get(jpriv, "d"));
        assert_int_equal(hc_jwk_public_key(jpub, &pub, NULL, NULL), HC_OK);
        assert_int_equal(hc_jwk_public_key(jpriv, &back, NULL, NULL), HC_ERR_KEY_INVALID);
        assert_int_equal(hc_jwk_private_key(jpriv, &back, NULL, NULL), HC_OK);
        assert_int_equal(EVP_PKEY_eq(pub, keys[i]), 1);
        assert_int_equal(EVP_PKEY_eq(back, keys[i]), 1);
        char tp[HC_JWK_THUMBPRINT_LEN];
        assert_int_equal(hc_jwk_thumbprint(keys[i], tp), HC_OK);
        assert_string_equal(tp, json_string_value(json_object_get(jpub, "kid")));
        EVP_PKEY_free(pub);
        EVP_PKEY_free(back);
        EVP_PKEY_free(keys[i]);
        json_decref(jpub);
        json_decref(jpriv);
    }
}

static void
test_json_bounded(void **state)
{
    (void)state;
    json_t *j = NULL;
    char why[160];
    const hc_json_limits small = { 64, 3, 8 };
    assert_int_equal(hc_json_parse_bounded("{\"a\":[1,2]}", 11, &small, &j, why, sizeof why),
                     HC_OK);
    json_decref(j);
    const struct {
        const char *text;
        hc_err want;
    } cases[] = {
        { "[[[[1]]]]", HC_ERR_INPUT_TOO_LARGE },              /* depth 4 > 3 */
        { "[1,2,3,4,5,6,7,8,9]", HC_ERR_INPUT_TOO_LARGE },    /* values */
        { "{\"a\":1,\"a\":2}", HC_ERR_STRUCTURE_INVALID },    /* duplicate member */
        { "{\"a\":1} x", HC_ERR_STRUCTURE_INVALID },          /* trailing characters */
        { "\xef\xbb\xbf{}", HC_ERR_STRUCTURE_INVALID },       /* byte order mark */
        { "{\"a\":\"\\u0000\"}", HC_ERR_STRUCTURE_INVALID },  /* NUL in a string */
        { "{\"a\":1e400}", HC_ERR_STRUCTURE_INVALID },        /* overflowing number */
        { "{\"a\":\"\xc3\x28\"}", HC_ERR_STRUCTURE_INVALID }, /* invalid UTF-8 */
        { "\"[[[[\"", HC_OK },                                /* brackets in strings */
        { "{\"a\":\"\\\"[[[[\"}", HC_OK },                    /* and after escapes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_err e = hc_json_parse_bounded(cases[i].text, strlen(cases[i].text), &small, &j, why,
                                         sizeof why);
        if (e != cases[i].want) {
            fail_msg("case %zu: %s (%s)", i, hc_err_code(e), why);
        }
        json_decref(j);
        j = NULL;
    }
    char big[100];
    memset(big, ' ', sizeof big);
    assert_int_equal(hc_json_parse_bounded(big, sizeof big, &small, &j, why, sizeof why),
                     HC_ERR_INPUT_TOO_LARGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thumbprints),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_private_keys_and_export),
        cmocka_unit_test(test_json_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
