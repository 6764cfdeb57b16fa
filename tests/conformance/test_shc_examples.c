/*
 * test_shc_examples.c: the SMART Health Cards specification's published examples (smart-on-fhir/
 * health-cards gh-pages, examples 00-03) as the spec says they verify, at their own time
 * (2023-06-23, after their nbf): 00 and 01 valid in one QR code, 02 valid from three chunks in
 * any order, 03 revoked by the issuer's revocation list (and valid without it). Around them:
 * every kid is its key's RFC 7638 thumbprint, the numeric QR text is the JWS encoded, the payload
 * inflates to the published minified JSON byte for byte, the revocation ids are the spec's HMAC
 * construction, our minimisation of the published bundles gives the bundles the examples carry,
 * and cards we issue with the spec's key verify.
 */
#include "jose_test_util.h"

#include "jws.h"
#include "shc_encode.h"

#define EX   "shc/examples/"
#define AT   "2023-06-23T00:00:00Z"
#define JWKS EX "issuer/.well-known/jwks.json"
#define CRL  EX "issuer/.well-known/crl"

static char *
read_text(const char *rel)
{
    size_t n = 0;
    return (char *)hc_test_read_vector(rel, &n);
}

static void
verify_expect(const hc_trust_store *ts, const char *text, const char *code, const char *name,
              const char *subject)
{
    hc_verdict vd;
    assert_int_equal(jt_verify(ts, AT, text, strlen(text), &vd), HC_OK);
    bool ok = code == NULL ? vd.valid : (!vd.valid && jt_has_code(&vd, code));
    if (!ok) {
        fail_msg("%s: expected %s, got %s", name, code ? code : "VALID", jt_codes(&vd));
    }
    assert_string_equal(vd.format, "shc");
    assert_string_equal(vd.issuer_name, SPEC_ISS);
    if (subject != NULL) {
        assert_string_equal(vd.subject_name, subject);
    }
    hc_verdict_clear(&vd);
}

static void
test_examples_at_their_time(void **state)
{
    (void)state;
    char msg[256];
    hc_trust_store *keys = jt_trust(JWKS, msg, sizeof msg);
    hc_trust_store *with_crl = jt_trust(JWKS "," CRL, msg, sizeof msg);
    assert_non_null(keys);
    assert_non_null(with_crl);
    const struct {
        const char *ex, *subject, *revoked_code;
    } ex[] = {
        { "00", "John B. Anyperson", NULL },
        { "01", "John B. Anyperson", NULL },
        { "03", "Johnny Revoked", "REVOKED" },
    };
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, EX "example-%s-f-qr-code-numeric-value-0.txt", ex[i].ex);
        char *qr = read_text(rel);
        verify_expect(keys, qr, NULL, rel, ex[i].subject);
        verify_expect(with_crl, qr, ex[i].revoked_code, rel, ex[i].subject);
        free(qr);
        snprintf(rel, sizeof rel, EX "example-%s-d-jws.txt", ex[i].ex);
        char *jws = read_text(rel);
        verify_expect(keys, jws, NULL, rel, ex[i].subject);
        free(jws);
    }
    /* 02: three chunks, in every order. */
    char *c[3];
    for (int i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, EX "example-02-f-qr-code-numeric-value-%d.txt", i);
        c[i] = read_text(rel);
    }
    const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
                               { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
    for (int o = 0; o < 6; o++) {
        char text[8192];
        snprintf(text, sizeof text, "%s\n%s\r\n%s\n", c[orders[o][0]], c[orders[o][1]],
                 c[orders[o][2]]);
        verify_expect(with_crl, text, NULL, "example 02 chunks", NULL);
    }
    for (int i = 0; i < 3; i++) {
        free(c[i]);
    }
    hc_trust_store_free(keys);
    hc_trust_store_free(with_crl);
}

static void
test_example_encodings(void **state)
{
    (void)state;
    static uint8_t buf[65536], inflated[262144];
    const char *exs[] = { "00", "01", "02", "03" };
    const hc_jws_policy pol = { HC_JWS_ALG_BIT(HC_SIG_ES256), true };
    json_t *jwks = hc_test_load_json(JWKS);
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, EX "example-%s-d-jws.txt", exs[i]);
        char *jws = read_text(rel);
        size_t jlen = strlen(jws);
        while (jlen > 0 && (jws[jlen - 1] == '\n' || jws[jlen - 1] == '\r')) {
            jlen--;
        }
        hc_jws j;
        char why[200];
        assert_int_equal(hc_jws_parse(jws, jlen, &pol, buf, sizeof buf, &j, why, sizeof why),
                         HC_OK);
        /* The payload inflates to the published minified JSON, byte for byte. */
        size_t m = 0, cn = 0;
        assert_int_equal(hc_inflate_once(HC_DEFLATE_RAW, j.payload, j.payload_len, inflated,
                                         sizeof inflated, &m),
                         HC_OK);
        snprintf(rel, sizeof rel, EX "example-%s-c-jws-payload-minified.json", exs[i]);
        uint8_t *minified = hc_test_read_vector(rel, &cn);
        assert_int_equal(m, cn);
        assert_memory_equal(inflated, minified, m);
        free(minified);
        /* The kid is the thumbprint of the JWKS key with that kid. */
        size_t k;
        json_t *jwk;
        bool found = false;
        json_array_foreach(json_object_get(jwks, "keys"), k, jwk)
        {
            const char *kid = json_string_value(json_object_get(jwk, "kid"));
            if (strlen(kid) == j.kid_len && memcmp(kid, j.kid, j.kid_len) == 0) {
                EVP_PKEY *key = NULL;
                char tp[HC_JWK_THUMBPRINT_LEN];
                assert_int_equal(hc_jwk_public_key(jwk, &key, NULL, NULL), HC_OK);
                assert_int_equal(hc_jwk_thumbprint(key, tp), HC_OK);
                assert_string_equal(tp, kid);
                assert_int_equal(hc_jws_verify(&j, key), HC_OK);
                EVP_PKEY_free(key);
                found = true;
            }
        }
        assert_true(found);
        hc_jws_clear(&j);
        /* The numeric QR text of a one-code example is the JWS encoded (SHC "Encoding QRs"). */
        if (strcmp(exs[i], "02") != 0) {
            snprintf(rel, sizeof rel, EX "example-%s-f-qr-code-numeric-value-0.txt", exs[i]);
            char *qr = read_text(rel);
            char *ours = NULL;
            jws[jlen] = '\0';
            ours = jt_shc_qr(jws);
            assert_string_equal(ours, qr);
            free(ours);
            free(qr);
        }
        free(jws);
    }
    json_decref(jwks);
}

static void
test_rids_and_minimisation(void **state)
{
    (void)state;
    /* generate-examples: rid = HMAC(secret || kid, "userid-NN") for example NN. */
    json_t *secret = hc_test_load_json("shc/generate-examples/issuer.hmac.private.json");
    const char *s = json_string_value(json_object_get(secret, "secret"));
    const struct {
        const char *user, *rid;
    } r[] = { { "userid-00", "MKyCxh7p6uQ" },
              { "userid-02", "YjKhdFoxL_g" },
              { "userid-03", "vwAjHdarZuc" } };
    for (size_t i = 0; i < 3; i++) {
        char rid[12];
        assert_int_equal(hc_shc_rid(s, SPEC_KID, r[i].user, rid), HC_OK);
        assert_string_equal(rid, r[i].rid);
    }
    json_decref(secret);
    /* Minimising the published (already minimal) bundles changes nothing. */
    const char *exs[] = { "00", "01", "02", "03" };
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, EX "example-%s-a-fhirBundle.json", exs[i]);
        json_t *a = hc_test_load_json(rel);
        snprintf(rel, sizeof rel, EX "example-%s-c-jws-payload-minified.json", exs[i]);
        json_t *c = hc_test_load_json(rel);
        json_t *min = hc_shc_minimize_bundle(a);
        json_t *want = json_object_get(
            json_object_get(json_object_get(c, "vc"), "credentialSubject"), "fhirBundle");
        assert_true(json_equal(min, want));
        json_decref(min);
        json_decref(a);
        json_decref(c);
    }
    /* A bundle with ids, meta, text, displays and long references is minimised. */
    json_t *big = json_loads(
        "{\"resourceType\":\"Bundle\",\"id\":\"b\",\"type\":\"collection\",\"entry\":["
        "{\"fullUrl\":\"https://x.example/Patient/7\",\"search\":{},\"resource\":{\"resourceType\":"
        "\"Patient\",\"id\":\"7\",\"meta\":{\"versionId\":\"1\"},\"text\":{\"div\":\"<div/>\"},"
        "\"name\":[{\"family\":\"Doe\"}],\"birthDate\":\"1990\"}},"
        "{\"fullUrl\":\"urn:uuid:1\",\"resource\":{\"resourceType\":\"Immunization\",\"meta\":{"
        "\"security\":[{\"code\":\"IAL1.2\"}],\"lastUpdated\":\"x\"},\"status\":\"completed\","
        "\"vaccineCode\":{\"text\":\"Moderna\",\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/"
        "cvx\",\"code\":\"207\",\"display\":\"Moderna\"}]},\"patient\":{\"reference\":"
        "\"Patient/7\"},\"occurrenceDateTime\":\"2021-01-01\",\"performer\":[{\"actor\":{"
        "\"display\":\"Clinic\"}}]}}]}",
        0, NULL);
    json_t *min = hc_shc_minimize_bundle(big);
    char *text = json_dumps(min, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(
        text, "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"fullUrl\":"
              "\"resource:0\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":"
              "\"Doe\"}],\"birthDate\":\"1990\"}},{\"fullUrl\":\"resource:1\",\"resource\":{"
              "\"resourceType\":\"Immunization\",\"status\":\"completed\",\"vaccineCode\":{"
              "\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"207\"}]},"
              "\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\","
              "\"performer\":[{\"actor\":{\"display\":\"Clinic\"}}],\"meta\":{\"security\":[{"
              "\"code\":\"IAL1.2\"}]}}}]}");
    free(text);
    json_decref(min);
    json_decref(big);
}

/* Cards issued with the spec's published key from its bundles verify with the spec's JWKS, and
 * carry the bundle unchanged. */
static void
test_issue_with_spec_key(void **state)
{
    (void)state;
    EVP_PKEY *key = jt_spec_private_key(SPEC_KID);
    hc_jose_signer s;
    assert_int_equal(hc_jose_signer_from_key(key, &s), HC_OK);
    assert_string_equal(s.thumbprint, SPEC_KID);
    char msg[256];
    hc_trust_store *ts = jt_trust(JWKS, msg, sizeof msg);
    const char *exs[] = { "00", "01", "03" };
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, EX "example-%s-a-fhirBundle.json", exs[i]);
        json_t *a = hc_test_load_json(rel);
        hc_shc_issue_options opt = {
            .iss = SPEC_ISS, .has_time = true, .time_ms = 1687450764000LL, .rid = "MKyCxh7p6uQ"
        };
        hc_shc_issue_result r;
        assert_int_equal(hc_shc_issue(&s, a, &opt, &r, msg, sizeof msg), HC_OK);
        assert_true(strlen(r.jws) <= 1195);
        verify_expect(ts, r.qr, NULL, rel, NULL);
        verify_expect(ts, r.jws, NULL, rel, NULL);
        json_t *bundle = json_object_get(
            json_object_get(json_object_get(r.payload, "vc"), "credentialSubject"), "fhirBundle");
        assert_true(json_equal(bundle, a));
        hc_shc_issue_result_clear(&r);
        json_decref(a);
    }
    /* 02 is too large for one QR code: refused rather than chunked. */
    json_t *a = hc_test_load_json(EX "example-02-a-fhirBundle.json");
    hc_shc_issue_options opt = { .iss = SPEC_ISS };
    hc_shc_issue_result r;
    assert_int_equal(hc_shc_issue(&s, a, &opt, &r, msg, sizeof msg), HC_ERR_INPUT_TOO_LARGE);
    json_decref(a);
    /* Refusals: an http issuer, a bad rid, an EdDSA key, not a bundle. */
    json_t *b = hc_test_load_json(EX "example-00-a-fhirBundle.json");
    hc_shc_issue_options bad = { .iss = "http://x.example" };
    assert_int_equal(hc_shc_issue(&s, b, &bad, &r, msg, sizeof msg), HC_ERR_INVALID_ARG);
    bad.iss = "https://x.example/";
    assert_int_equal(hc_shc_issue(&s, b, &bad, &r, msg, sizeof msg), HC_ERR_INVALID_ARG);
    bad.iss = SPEC_ISS;
    bad.rid = "not base64url!";
    assert_int_equal(hc_shc_issue(&s, b, &bad, &r, msg, sizeof msg), HC_ERR_INVALID_ARG);
    json_t *notbundle = json_pack("{s:s}", "resourceType", "Patient");
    assert_int_equal(hc_shc_issue(&s, notbundle, &opt, &r, msg, sizeof msg), HC_ERR_SCHEMA_INVALID);
    json_decref(notbundle);
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    hc_jose_signer es;
    assert_int_equal(hc_jose_signer_from_key(ed, &es), HC_OK);
    assert_int_equal(hc_shc_issue(&es, b, &opt, &r, msg, sizeof msg), HC_ERR_KEY_INVALID);
    hc_jose_signer_clear(&es);
    EVP_PKEY_free(ed);
    json_decref(b);
    hc_trust_store_free(ts);
    hc_jose_signer_clear(&s);
    EVP_PKEY_free(key);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_at_their_time),
        cmocka_unit_test(test_example_encodings),
        cmocka_unit_test(test_rids_and_minimisation),
        cmocka_unit_test(test_issue_with_spec_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
