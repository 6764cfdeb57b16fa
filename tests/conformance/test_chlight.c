/*
 * test_chlight.c: Swiss COVID light certificates ("LT1:", format ch-light).
 *
 * Real data (tests/vectors/privacy/swiss-light-cert, PROVENANCE.txt): the SDK's test vector
 * LT1_A and its key (as a JWKS whose kid is the key id's base64 text, as the Swiss trust list
 * names keys). Then light certificates signed here: expiry, a certificate as the trusted key,
 * missing claims, the wrong key, tampering.
 */
#include "who_test_util.h"

#include "cbor.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "jwk.h"

static void
test_swiss_vector(void **state)
{
    (void)state;
    size_t n;
    char *qr = wt_read_text("privacy/swiss-light-cert/LT1_A.qr.txt", &n);
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    assert_int_equal(
        hc_trust_store_add_path(ts, hc_test_vector_path("privacy/swiss-light-cert/LT1_A.jwks.json"),
                                msg, sizeof msg),
        HC_OK);
    hc_verdict vd;
    /* Issued 2021-07-07, no exp in the test vector. */
    wt_verify(ts, wt_time("2021-07-08T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "ch-light");
    assert_string_equal(vd.subject_name, "Céline Müller");
    assert_string_equal(vd.subject_dob, "1943-02-01");
    assert_string_equal(vd.issuer_country, "CH");
    assert_string_equal(vd.issuer_kid, "AAABAQICAwM=");
    /* Name and date of birth only: nothing about vaccination, test or recovery. */
    assert_string_equal(vd.type, "");
    assert_null(json_object_get(vd.payload, "v"));
    hc_verdict_clear(&vd);
    /* Before its iat. */
    wt_verify(ts, wt_time("2021-07-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_NOT_YET_VALID);
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);

    ts = hc_trust_store_new();
    wt_verify(ts, wt_time("2021-07-08T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
    hc_verdict_clear(&vd);

    /* Another key under the same key id. */
    EVP_PKEY *k = wt_ec_key("P-256");
    json_t *jwk = hc_jwk_from_key(k, false);
    json_object_set_new(jwk, "kid", json_string("AAABAQICAwM="));
    json_t *jwks = json_pack("{s:[o]}", "keys", jwk);
    char *text = json_dumps(jwks, JSON_COMPACT);
    wt_trust_text(ts, text);
    wt_verify(ts, wt_time("2021-07-08T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_SIGNATURE_INVALID);
    hc_verdict_clear(&vd);
    free(text);
    json_decref(jwks);
    EVP_PKEY_free(k);
    hc_trust_store_free(ts);
    free(qr);
}

static int64_t now_ms;
static EVP_PKEY *key;
static X509 *cert;

static int
setup(void **state)
{
    (void)state;
    now_ms = hc_time_now();
    key = wt_ec_key("P-256");
    cert = wt_cert("CH", "Light DSC", false, key, NULL, NULL, now_ms - WT_DAY_MS,
                   now_ms + 30 * WT_DAY_MS, NULL);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    X509_free(cert);
    EVP_PKEY_free(key);
    return 0;
}

/* A light certificate {1: "CH BAG", 6: iat, 4: exp?, -250: {1: payload}} (claim -250 omitted
 * when payload is NULL), signed with key and wrapped as "LT1:". */
static char *
light(const json_t *payload, int64_t iat, int64_t exp, bool with_exp)
{
    uint8_t cwt[4096], cose[4096], kid[32];
    size_t cl = 0, sl = 0, ql = 0;
    unsigned kl = 0;
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, cwt, sizeof cwt);
    hc_cbor_put_map(&w, 2 + (with_exp ? 1 : 0) + (payload != NULL ? 1 : 0));
    hc_cbor_put_int(&w, HC_CWT_ISS);
    hc_cbor_put_text(&w, "CH BAG", 6);
    if (with_exp) {
        hc_cbor_put_int(&w, HC_CWT_EXP);
        hc_cbor_put_int(&w, exp);
    }
    hc_cbor_put_int(&w, HC_CWT_IAT);
    hc_cbor_put_int(&w, iat);
    if (payload != NULL) {
        hc_cbor_put_int(&w, -250); /* CovidCertificate-SDK CwtHeaderKeys.LIGHT */
        hc_cbor_put_map(&w, 1);
        hc_cbor_put_int(&w, 1);
        assert_int_equal(hc_cbor_encode_json(&w, payload), HC_OK);
    }
    assert_int_equal(hc_cbor_writer_finish(&w, &cl), HC_OK);
    X509_digest(cert, EVP_sha256(), kid, &kl);
    assert_int_equal(hc_cose_sign1_sign(key, HC_SIG_ES256, kid, 8, cwt, cl, cose, sizeof cose, &sl),
                     HC_OK);
    char *qr = malloc(HC_MAX_QR_TEXT);
    assert_int_equal(hc_hc1_wrap(cose, sl, qr, HC_MAX_QR_TEXT, &ql), HC_OK);
    memcpy(qr, "LT1:", 4);
    return qr;
}

static json_t *
person(void)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s}", "ver", "1.0.0", "nam", "fn", "Muster",
                     "gn", "Anna", "fnt", "MUSTER", "gnt", "ANNA", "dob", "1980-02-29");
}

static void
test_made_light_certificates(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    wt_trust_cert(ts, cert);
    json_t *p = person();
    int64_t now = now_ms / 1000;
    hc_verdict vd;

    /* Light certificates live 24 hours (SDK: validity of a light certificate). */
    char *qr = light(p, now, now + 86400, true);
    wt_verify(ts, now_ms + 1000, qr, strlen(qr), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.subject_name, "Anna Muster");
    assert_int_equal(wt_check(&vd, "key_validity"), 1);
    hc_verdict_clear(&vd);
    wt_verify(ts, now_ms + 2 * 86400 * 1000LL, qr, strlen(qr), &vd);
    wt_expect(&vd, false, HC_ERR_EXPIRED);
    hc_verdict_clear(&vd);

    /* Tampered: the name changed after signing. */
    char *bad = strdup(qr);
    bad[strlen(bad) - 5] = bad[strlen(bad) - 5] == 'A' ? 'B' : 'A';
    wt_verify(ts, now_ms + 1000, bad, strlen(bad), &vd);
    assert_false(vd.valid);
    assert_true(wt_has_error(&vd, HC_ERR_SIGNATURE_INVALID) ||
                wt_has_error(&vd, HC_ERR_DECOMPRESS_FAILED) ||
                wt_has_error(&vd, HC_ERR_ENCODING_INVALID) ||
                wt_has_error(&vd, HC_ERR_STRUCTURE_INVALID));
    hc_verdict_clear(&vd);
    free(bad);
    free(qr);

    /* No -250 claim, a payload without nam. */
    qr = light(NULL, now, now + 86400, true);
    wt_verify(ts, now_ms + 1000, qr, strlen(qr), &vd);
    wt_expect(&vd, false, HC_ERR_STRUCTURE_INVALID);
    hc_verdict_clear(&vd);
    free(qr);
    json_object_del(p, "nam");
    qr = light(p, now, now + 86400, true);
    wt_verify(ts, now_ms + 1000, qr, strlen(qr), &vd);
    wt_expect(&vd, false, HC_ERR_SCHEMA_INVALID);
    hc_verdict_clear(&vd);
    free(qr);

    /* The same bytes under "HC1:" are no EU DCC. */
    json_decref(p);
    p = person();
    qr = light(p, now, now + 86400, true);
    memcpy(qr, "HC1:", 4);
    wt_verify(ts, now_ms + 1000, qr, strlen(qr), &vd);
    wt_expect(&vd, false, HC_ERR_STRUCTURE_INVALID);
    assert_string_equal(vd.format, "eu-dcc");
    hc_verdict_clear(&vd);
    free(qr);

    json_decref(p);
    hc_trust_store_free(ts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swiss_vector),
        cmocka_unit_test(test_made_light_certificates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
