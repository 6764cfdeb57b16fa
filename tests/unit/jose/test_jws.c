/*
 * test_jws.c: JWS compact parsing and signing (jws.h): RFC 8037 Appendix A.4 (Ed25519, exact
 * signature), Wycheproof json_web_signature_test.json (ES256 groups exactly; every other algorithm
 * is never accepted), and each refusal of jws.h with its error code.
 */
#include "testlib.h"

#include <openssl/ec.h>
#include <string.h>

#include "base64.h"
#include "jwk.h"
#include "jws.h"

static const hc_jws_policy es256_eddsa = {
    .algs = HC_JWS_ALG_BIT(HC_SIG_ES256) | HC_JWS_ALG_BIT(HC_SIG_EDDSA),
    .allow_zip = true,
};

static uint8_t buf[65536];

/* RFC 8037 Appendix A.1 key, A.4 signature. */
static const char rfc8037_d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
static const char rfc8037_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
static const char rfc8037_jws[] =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvM"
    "g3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

static void
test_rfc8037_ed25519(void **state)
{
    (void)state;
    json_t *jwk = json_pack("{s:s, s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "d", rfc8037_d,
                            "x", rfc8037_x);
    EVP_PKEY *key = NULL;
    hc_sig_alg alg = HC_SIG_NONE;
    assert_int_equal(hc_jwk_private_key(jwk, &key, &alg, NULL), HC_OK);
    assert_int_equal(alg, HC_SIG_EDDSA);
    json_t *h = json_pack("{s:s}", "alg", "EdDSA");
    const char *msg = "Example of Ed25519 signing";
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(hc_jws_sign(h, (const uint8_t *)msg, strlen(msg), key, alg, &out, &n), HC_OK);
    assert_string_equal(out, rfc8037_jws); /* Ed25519 is deterministic (RFC 8032 §5.1.6) */
    hc_jws j;
    char why[200];
    assert_int_equal(hc_jws_parse(out, n, &es256_eddsa, buf, sizeof buf, &j, why, sizeof why),
                     HC_OK);
    assert_int_equal(j.alg, HC_SIG_EDDSA);
    assert_int_equal(j.payload_len, strlen(msg));
    assert_memory_equal(j.payload, msg, j.payload_len);
    assert_int_equal(hc_jws_verify(&j, key), HC_OK);
    hc_jws_clear(&j);
    free(out);
    json_decref(h);
    json_decref(jwk);
    EVP_PKEY_free(key);
}

/* One Wycheproof vector: accepted = parsed under ES256/EdDSA and verified with the group's key. */
static bool
accepted(const json_t *pub, const char *jws)
{
    EVP_PKEY *key = NULL;
    hc_jws j;
    if (pub == NULL || hc_jwk_public_key(pub, &key, NULL, NULL) != HC_OK) {
        return false;
    }
    bool ok = hc_jws_parse(jws, strlen(jws), &es256_eddsa, buf, sizeof buf, &j, NULL, 0) == HC_OK;
    if (ok) {
        ok = hc_jws_verify(&j, key) == HC_OK;
        hc_jws_clear(&j);
    }
    EVP_PKEY_free(key);
    return ok;
}

static void
test_wycheproof(void **state)
{
    (void)state;
    json_t *doc = hc_test_load_json("jose/wycheproof/json_web_signature_test.json");
    size_t gi, es256 = 0, others = 0;
    json_t *g;
    json_array_foreach(json_object_get(doc, "testGroups"), gi, g)
    {
        json_t *pub = json_object_get(g, "public");
        const char *alg = json_string_value(json_object_get(pub, "alg"));
        bool is_es256 =
            alg != NULL && strcmp(alg, "ES256") == 0 && json_object_get(pub, "key_ops") == NULL;
        size_t ti;
        json_t *t;
        json_array_foreach(json_object_get(g, "tests"), ti, t)
        {
            const char *jws = json_string_value(json_object_get(t, "jws"));
            const char *result = json_string_value(json_object_get(t, "result"));
            if (jws == NULL) {
                continue; /* JSON serialisations: not a compact JWS */
            }
            bool ok = accepted(pub, jws);
            if (is_es256) {
                es256++;
                if (ok != (strcmp(result, "valid") == 0)) {
                    fail_msg("tcId %lld (%s): accepted=%d, expected %s",
                             (long long)json_integer_value(json_object_get(t, "tcId")),
                             json_string_value(json_object_get(t, "comment")), ok, result);
                }
            } else {
                others++;
                if (ok) {
                    fail_msg("tcId %lld: %s accepted, but only ES256 / EdDSA ever are",
                             (long long)json_integer_value(json_object_get(t, "tcId")),
                             alg != NULL ? alg : "(no key)");
                }
            }
        }
    }
    print_message("wycheproof JWS: %zu ES256 vectors exact, %zu others never accepted\n", es256,
                  others);
    assert_true(es256 >= 39); /* 15 + 24 SpecialCaseEs256 (security.md §3 H16) */
    json_decref(doc);
}

/* base64url of a JSON header text, NUL-terminated into out. */
static void
b64(const char *s, char *out)
{
    size_t n;
    assert_int_equal(hc_base64_encode((const uint8_t *)s, strlen(s), true, out, 512, &n), HC_OK);
}

static hc_err
parse_with_header(const char *header, const char *sig_b64, const hc_jws_policy *pol)
{
    char h[512], text[2048];
    hc_jws j;
    b64(header, h);
    snprintf(text, sizeof text, "%s.Zm9v.%s", h, sig_b64);
    hc_err e = hc_jws_parse(text, strlen(text), pol, buf, sizeof buf, &j, NULL, 0);
    if (e == HC_OK) {
        hc_jws_clear(&j);
    }
    return e;
}

/* 64 bytes of 0x01 as base64url: a raw signature of the right size. */
#define SIG64 \
    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"

static void
test_header_refusals(void **state)
{
    (void)state;
    const hc_jws_policy es256 = { HC_JWS_ALG_BIT(HC_SIG_ES256), true };
    const hc_jws_policy no_zip = { HC_JWS_ALG_BIT(HC_SIG_ES256), false };
    assert_int_equal(parse_with_header("{\"alg\":\"ES256\"}", SIG64, &es256), HC_OK);
    /* Algorithms (security.md §3 H7). */
    const char *algs[] = { "{\"alg\":\"none\"}",  "{\"alg\":\"HS256\"}", "{\"alg\":\"RS256\"}",
                           "{\"alg\":\"PS256\"}", "{\"alg\":\"ES384\"}", "{\"alg\":\"es256\"}",
                           "{\"alg\":\"EdDSA\"}", "{\"alg\":256}",       "{\"kid\":\"x\"}" };
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        assert_int_equal(parse_with_header(algs[i], SIG64, &es256), HC_ERR_ALG_UNSUPPORTED);
    }
    /* Header members never honoured (H8), zip values, structure. */
    const char *bad[] = {
        "{\"alg\":\"ES256\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"ES256\",\"b64\":false}",
        "{\"alg\":\"ES256\",\"jku\":\"https://x\"}",
        "{\"alg\":\"ES256\",\"x5u\":\"https://x\"}",
        "{\"alg\":\"ES256\",\"jwk\":{}}",
        "{\"alg\":\"ES256\",\"x5c\":[]}",
        "{\"alg\":\"ES256\",\"zip\":\"GZIP\"}",
        "{\"alg\":\"ES256\",\"zip\":\"def\"}",
        "{\"alg\":\"ES256\",\"kid\":7}",
        "{\"alg\":\"ES256\",\"alg\":\"ES256\"}",
        "[\"alg\",\"ES256\"]",
        "{\"alg\":\"ES256\"} x",
        "\xef\xbb\xbf{\"alg\":\"ES256\"}",
        "{\"alg\":\"ES256\",\"a\":[[[[[[]]]]]]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hc_err e = parse_with_header(bad[i], SIG64, &es256);
        if (e != HC_ERR_STRUCTURE_INVALID) {
            fail_msg("header %zu (%s): %s", i, bad[i], hc_err_code(e));
        }
    }
    assert_int_equal(parse_with_header("{\"alg\":\"ES256\",\"zip\":\"DEF\"}", SIG64, &es256),
                     HC_OK);
    assert_int_equal(parse_with_header("{\"alg\":\"ES256\",\"zip\":\"DEF\"}", SIG64, &no_zip),
                     HC_ERR_STRUCTURE_INVALID);
    /* Signature sizes (H13): DER, short, long. A DER ECDSA-Sig-Value of 70 bytes: */
    char der[128];
    uint8_t d[70];
    size_t n;
    memset(d, 0x11, sizeof d);
    d[0] = 0x30;
    d[1] = 68;
    assert_int_equal(hc_base64_encode(d, sizeof d, true, der, sizeof der, &n), HC_OK);
    assert_int_equal(parse_with_header("{\"alg\":\"ES256\"}", der, &es256),
                     HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(parse_with_header("{\"alg\":\"ES256\"}", "AQEB", &es256),
                     HC_ERR_SIGNATURE_INVALID);
}

static void
test_compact_refusals(void **state)
{
    (void)state;
    const hc_jws_policy es256 = { HC_JWS_ALG_BIT(HC_SIG_ES256), true };
    const char *h = "eyJhbGciOiJFUzI1NiJ9"; /* {"alg":"ES256"} */
    char text[1024];
    hc_jws j;
    struct {
        const char *tail; /* after the header */
        hc_err want;
    } cases[] = {
        { ".Zm9v", HC_ERR_STRUCTURE_INVALID },                /* 2 parts (H6) */
        { ".Zm9v." SIG64 ".Zm9v", HC_ERR_STRUCTURE_INVALID }, /* 4 parts */
        { "..", HC_ERR_STRUCTURE_INVALID },                   /* empty parts */
        { ".Zm9v.", HC_ERR_SIGNATURE_INVALID },               /* no signature */
        { ".Zm9v=." SIG64, HC_ERR_ENCODING_INVALID },         /* '=' padding */
        { ".Zm+v." SIG64, HC_ERR_ENCODING_INVALID },          /* base64, not base64url */
        { ".Zm9v ." SIG64, HC_ERR_ENCODING_INVALID },         /* white space */
        { ".Zm9." SIG64, HC_ERR_ENCODING_INVALID },           /* non-zero trailing bits */
        { ".Zm9v." SIG64 "AQ", HC_ERR_SIGNATURE_INVALID },    /* 65-byte signature */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "%s%s", h, cases[i].tail);
        hc_err e = hc_jws_parse(text, strlen(text), &es256, buf, sizeof buf, &j, NULL, 0);
        if (e != cases[i].want) {
            fail_msg("case %zu: %s, expected %s", i, hc_err_code(e), hc_err_code(cases[i].want));
        }
    }
    /* A payload larger than the caller's buffer. */
    snprintf(text, sizeof text, "%s.Zm9vYmFy." SIG64, h);
    assert_int_equal(hc_jws_parse(text, strlen(text), &es256, buf, 3, &j, NULL, 0),
                     HC_ERR_INPUT_TOO_LARGE);
    assert_int_equal(hc_jws_parse(text, strlen(text), &es256, buf, 6, &j, NULL, 0), HC_OK);
    hc_jws_clear(&j);
}

static void
test_sign_verify_es256(void **state)
{
    (void)state;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    EVP_PKEY *other = EVP_EC_gen("P-256");
    assert_non_null(key);
    json_t *h = json_pack("{s:s, s:s, s:s}", "zip", "DEF", "alg", "ES256", "kid", "k1");
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(hc_jws_sign(h, (const uint8_t *)"abc", 3, key, HC_SIG_ES256, &out, &n), HC_OK);
    /* Insertion order is kept: SHC headers are {"zip","alg","kid"}. */
    assert_memory_equal(out, "eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.", 52);
    hc_jws j;
    const hc_jws_policy pol = { HC_JWS_ALG_BIT(HC_SIG_ES256), true };
    assert_int_equal(hc_jws_parse(out, n, &pol, buf, sizeof buf, &j, NULL, 0), HC_OK);
    assert_true(j.zip);
    assert_int_equal(j.kid_len, 2);
    assert_memory_equal(j.kid, "k1", 2);
    assert_int_equal(j.signature_len, 64);
    assert_int_equal(hc_jws_verify(&j, key), HC_OK);
    assert_int_equal(hc_jws_verify(&j, other), HC_ERR_SIGNATURE_INVALID);
    /* One flipped bit in the signed part (security.md §3 H14). */
    out[60] = out[60] == 'A' ? 'B' : 'A';
    hc_jws_clear(&j);
    if (hc_jws_parse(out, n, &pol, buf, sizeof buf, &j, NULL, 0) == HC_OK) {
        assert_int_equal(hc_jws_verify(&j, key), HC_ERR_SIGNATURE_INVALID);
        hc_jws_clear(&j);
    }
    /* The header's alg must be the signing algorithm. */
    char *never = NULL;
    assert_int_equal(hc_jws_sign(h, (const uint8_t *)"abc", 3, key, HC_SIG_EDDSA, &never, NULL),
                     HC_ERR_INVALID_ARG);
    free(out);
    json_decref(h);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8037_ed25519),   cmocka_unit_test(test_wycheproof),
        cmocka_unit_test(test_header_refusals),   cmocka_unit_test(test_compact_refusals),
        cmocka_unit_test(test_sign_verify_es256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
