/*
 * test_revocation.c: revocation lists (include/healthcert/revocation.h) and the "revocation" check
 * of the EU DCC pipeline: the EU hash forms (eu-dcc.md §4.3) against independently computed
 * SHA-256 values, the set, the JSON document in both directions, hostile documents, and a signed
 * certificate found REVOKED by each hash type, including the ECDSA (r, n - s) twin of its
 * signature.
 */
#include "testlib.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <string.h>

#include "base45.h"
#include "base64.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "healthcert/healthcert.h"
#include "healthcert/revocation.h"
#include "inflate.h"
#include "trust_store.h"
#include "x509_make.h"

static const char uvci[] = "URN:UVCI:01:XX:TEST0000000001#L";
static const uint8_t kid_a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t kid_b[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };

static void
unhex16(const char *hex, uint8_t out[16])
{
    size_t n = 0;
    assert_true(hc_hex_decode(hex, strlen(hex), out, 16, &n));
    assert_int_equal(n, 16);
}

/* Expected values computed with Python's hashlib (sha256(...).hexdigest()[:32]). */
static void
test_hash_forms(void **state)
{
    (void)state;
    uint8_t h[16], want[16], sig[64];

    hc_revocation_hash_uci(uvci, strlen(uvci), h);
    unhex16("6c088756f7e6fa5fb0646e774a950952", want);
    assert_memory_equal(h, want, 16);

    hc_revocation_hash_country_uci("XX", uvci, strlen(uvci), h);
    unhex16("edfe85c3b79bb23343b95df9db8b8404", want);
    assert_memory_equal(h, want, 16);

    for (int i = 0; i < 64; i++) {
        sig[i] = (uint8_t)i;
    }
    /* ES256: r only (bytes 0..31); PS256: the whole signature. */
    assert_int_equal(hc_revocation_hash_signature(sig, 64, true, h), HC_OK);
    unhex16("630dcd2966c4336691125448bbb25b4f", want);
    assert_memory_equal(h, want, 16);
    assert_int_equal(hc_revocation_hash_signature(sig, 64, false, h), HC_OK);
    unhex16("fdeab9acf3710362bd2658cdc9a29e8f", want);
    assert_memory_equal(h, want, 16);

    assert_int_equal(hc_revocation_hash_signature(sig, 63, true, h), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_revocation_hash_signature(sig, 0, false, h), HC_ERR_INVALID_ARG);
    assert_string_equal(hc_revocation_hash_type_name(HC_REVOCATION_COUNTRYCODEUCI),
                        "COUNTRYCODEUCI");
    assert_string_equal(hc_revocation_hash_type_name((hc_revocation_hash_type)9), "UNKNOWN");
}

static void
test_set(void **state)
{
    (void)state;
    uint8_t h[16];
    hc_revocation_list *rl = hc_revocation_list_new();
    assert_non_null(rl);
    hc_revocation_hash_uci(uvci, strlen(uvci), h);
    assert_false(hc_revocation_list_contains(rl, kid_a, 8, HC_REVOCATION_UCI, h));
    assert_false(hc_revocation_list_has_kid(rl, kid_a, 8));
    assert_int_equal(hc_revocation_list_add(rl, kid_a, 8, HC_REVOCATION_UCI, h), HC_OK);
    assert_true(hc_revocation_list_has_kid(rl, kid_a, 8));
    assert_false(hc_revocation_list_has_kid(rl, kid_b, 8));
    assert_false(hc_revocation_list_has_kid(rl, kid_a, 0));
    assert_false(hc_revocation_list_has_kid(NULL, kid_a, 8));
    assert_int_equal(hc_revocation_list_add(rl, kid_a, 8, HC_REVOCATION_UCI, h), HC_OK);
    assert_int_equal(hc_revocation_list_count(rl), 1);
    assert_true(hc_revocation_list_contains(rl, kid_a, 8, HC_REVOCATION_UCI, h));
    /* Another signer's list, or another hash type, is another entry. */
    assert_false(hc_revocation_list_contains(rl, kid_b, 8, HC_REVOCATION_UCI, h));
    assert_false(hc_revocation_list_contains(rl, kid_a, 8, HC_REVOCATION_SIGNATURE, h));
    assert_false(hc_revocation_list_contains(rl, kid_a, 7, HC_REVOCATION_UCI, h));
    /* Bad arguments are refused, never crash. */
    assert_int_equal(hc_revocation_list_add(rl, kid_a, 0, HC_REVOCATION_UCI, h),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_revocation_list_add(rl, kid_a, 65, HC_REVOCATION_UCI, h),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_revocation_list_add(rl, kid_a, 8, (hc_revocation_hash_type)3, h),
                     HC_ERR_INVALID_ARG);
    assert_false(hc_revocation_list_contains(NULL, kid_a, 8, HC_REVOCATION_UCI, h));

    /* Many entries: growth keeps every one findable. */
    for (uint32_t i = 0; i < 20000; i++) {
        uint8_t x[16] = { 0 };
        memcpy(x, &i, sizeof i);
        x[15] = 0xAA;
        assert_int_equal(
            hc_revocation_list_add(rl, (i & 1) ? kid_a : kid_b, 8, HC_REVOCATION_SIGNATURE, x),
            HC_OK);
    }
    assert_int_equal(hc_revocation_list_count(rl), 20001);
    for (uint32_t i = 0; i < 20000; i += 777) {
        uint8_t x[16] = { 0 };
        memcpy(x, &i, sizeof i);
        x[15] = 0xAA;
        assert_true(hc_revocation_list_contains(rl, (i & 1) ? kid_a : kid_b, 8,
                                                HC_REVOCATION_SIGNATURE, x));
        assert_false(hc_revocation_list_contains(rl, (i & 1) ? kid_b : kid_a, 8,
                                                 HC_REVOCATION_SIGNATURE, x));
    }
    hc_revocation_list_free(rl);
    hc_revocation_list_free(NULL);
}

static void
test_json_roundtrip(void **state)
{
    (void)state;
    uint8_t h1[16], h2[16], h3[16];
    hc_revocation_list *rl = hc_revocation_list_new();
    hc_revocation_hash_uci(uvci, strlen(uvci), h1);
    hc_revocation_hash_country_uci("XX", uvci, strlen(uvci), h2);
    memset(h3, 0x5A, sizeof h3);
    hc_revocation_list_add(rl, kid_a, 8, HC_REVOCATION_UCI, h1);
    hc_revocation_list_add(rl, kid_a, 8, HC_REVOCATION_COUNTRYCODEUCI, h2);
    hc_revocation_list_add(rl, kid_b, 8, HC_REVOCATION_SIGNATURE, h3);

    json_t *doc = hc_revocation_list_to_json(rl, 1767225600000LL, 7);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "format")),
                        "healthcert-revocations");
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    assert_int_equal(json_integer_value(json_object_get(doc, "sequence")), 7);
    assert_string_equal(json_string_value(json_object_get(doc, "generated_at")),
                        "2026-01-01T00:00:00Z");
    json_t *lists = json_object_get(doc, "lists");
    assert_int_equal(json_array_size(lists), 2);
    /* Sorted by kid: 0102... before 0807... */
    json_t *first = json_array_get(lists, 0);
    assert_string_equal(json_string_value(json_object_get(first, "kid")), "AQIDBAUGBwg=");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_object_get(first, "hashes"), "UCI"), 0)),
                        "bAiHVvfm+l+wZG53SpUJUg==");
    assert_string_equal(
        json_string_value(
            json_array_get(json_object_get(json_object_get(first, "hashes"), "COUNTRYCODEUCI"), 0)),
        "7f6Fw7ebsjNDuV3524uEBA==");

    char *text = json_dumps(doc, JSON_COMPACT);
    hc_revocation_list *back = hc_revocation_list_new();
    char msg[200] = "";
    assert_int_equal(
        hc_revocation_list_load_buffer(back, (const uint8_t *)text, strlen(text), msg, sizeof msg),
        HC_OK);
    assert_int_equal(hc_revocation_list_count(back), 3);
    assert_true(hc_revocation_list_contains(back, kid_a, 8, HC_REVOCATION_UCI, h1));
    assert_true(hc_revocation_list_contains(back, kid_a, 8, HC_REVOCATION_COUNTRYCODEUCI, h2));
    assert_true(hc_revocation_list_contains(back, kid_b, 8, HC_REVOCATION_SIGNATURE, h3));
    /* Equal lists give equal documents. */
    json_t *doc2 = hc_revocation_list_to_json(back, 1767225600000LL, 7);
    char *text2 = json_dumps(doc2, JSON_COMPACT);
    assert_string_equal(text, text2);

    /* An empty list is a valid document with no lists; no sequence when negative. */
    hc_revocation_list *empty = hc_revocation_list_new();
    json_t *d3 = hc_revocation_list_to_json(empty, 0, -1);
    assert_int_equal(json_array_size(json_object_get(d3, "lists")), 0);
    assert_null(json_object_get(d3, "sequence"));

    free(text);
    free(text2);
    json_decref(doc);
    json_decref(doc2);
    json_decref(d3);
    hc_revocation_list_free(rl);
    hc_revocation_list_free(back);
    hc_revocation_list_free(empty);
}

static void
expect_refused(const char *doc, hc_err want, const char *msg_part)
{
    char msg[256] = "";
    hc_revocation_list *rl = hc_revocation_list_new();
    hc_err e =
        hc_revocation_list_load_buffer(rl, (const uint8_t *)doc, strlen(doc), msg, sizeof msg);
    if (e != want || strstr(msg, msg_part) == NULL) {
        fail_msg("document %s: got %d '%s', want %d '%s'", doc, e, msg, want, msg_part);
    }
    /* Nothing is added from a document that fails anywhere. */
    assert_int_equal(hc_revocation_list_count(rl), 0);
    hc_revocation_list_free(rl);
}

static void
test_hostile_documents(void **state)
{
    (void)state;
    const char *good = "bAiHVvfm+l+wZG53SpUJUg==";
    char buf[512];

    expect_refused("", HC_ERR_TRUST_INVALID, "not JSON");
    expect_refused("[]", HC_ERR_TRUST_INVALID, "not a revocation list");
    expect_refused("{\"format\":\"other\",\"version\":1,\"lists\":[]}", HC_ERR_TRUST_INVALID,
                   "not a revocation list");
    expect_refused("{\"format\":\"healthcert-revocations\",\"version\":2,\"lists\":[]}",
                   HC_ERR_TRUST_INVALID, "version");
    expect_refused("{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":{}}",
                   HC_ERR_TRUST_INVALID, "not an array");
    expect_refused("{\"format\":\"healthcert-revocations\",\"version\":1,\"format\":\"x\"}",
                   HC_ERR_TRUST_INVALID, "not JSON");
    snprintf(buf, sizeof buf,
             "{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":[{\"kid\":\"AQID"
             "BAUGBwg=\",\"hashes\":{\"UCI\":[\"%s\"]}},{\"kid\":\"!!\",\"hashes\":{}}]}",
             good);
    expect_refused(buf, HC_ERR_TRUST_INVALID, "lists[1]: \"kid\"");
    snprintf(buf, sizeof buf,
             "{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":[{\"kid\":\"AQID"
             "BAUGBwg=\",\"hashes\":{\"UCI\":[\"%s\", \"AAAA\"]}}]}",
             good);
    expect_refused(buf, HC_ERR_TRUST_INVALID, "16 bytes");
    snprintf(buf, sizeof buf,
             "{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":[{\"kid\":\"AQID"
             "BAUGBwg=\",\"hashes\":{\"UCI\":[\"%s\"], \"NAME\":[\"%s\"]}}]}",
             good, good);
    expect_refused(buf, HC_ERR_TRUST_INVALID, "unknown hash type");
    snprintf(buf, sizeof buf,
             "{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":[{\"kid\":\"AQID"
             "BAUGBwg=\",\"hashes\":{\"UCI\":[1]}}]}");
    expect_refused(buf, HC_ERR_TRUST_INVALID, "16 bytes");
    /* A kid longer than 64 bytes. */
    snprintf(buf, sizeof buf,
             "{\"format\":\"healthcert-revocations\",\"version\":1,\"lists\":[{\"kid\":\"%s\","
             "\"hashes\":{}}]}",
             "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
             "QUFBQUFBQUFBQUFB");
    expect_refused(buf, HC_ERR_TRUST_INVALID, "kid");

    char msg[128] = "";
    hc_revocation_list *rl = hc_revocation_list_new();
    assert_int_equal(
        hc_revocation_list_load_path(rl, "/nonexistent/revocations.json", msg, sizeof msg),
        HC_ERR_IO);
    assert_non_null(strstr(msg, "cannot read"));
    hc_revocation_list_free(rl);
}

/* --- the pipeline check --- */

typedef struct fixture {
    EVP_PKEY *key;
    X509 *cert;
    uint8_t kid[8];
    hc_trust_store *ts;
    char text[8192];
    size_t len;
    uint8_t sig[64];
} fixture;

static json_t *
make_dcc(void)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
                     "s:s, s:s, s:s}]}",
                     "ver", "1.3.0", "nam", "fn", "Muster", "gn", "Anna", "fnt", "MUSTER", "gnt",
                     "ANNA", "dob", "1980-02-29", "v", "tg", "840539006", "vp", "1119349007", "mp",
                     "EU/1/20/1528", "ma", "ORG-100030215", "dn", 2, "sd", 2, "dt", "2021-06-01",
                     "co", "XX", "is", "Ministry of Health", "ci", uvci);
}

/* Takes a code apart down to the COSE message (for its signature) and rebuilds it. */
static size_t
cose_of(const char *text, size_t len, uint8_t *cose, size_t cap)
{
    uint8_t b45[8192];
    size_t n = 0, m = 0;
    assert_int_equal(hc_base45_decode(text + 4, len - 4, b45, sizeof b45, &n), HC_OK);
    assert_int_equal(hc_inflate_once(HC_DEFLATE_ZLIB, b45, n, cose, cap, &m), HC_OK);
    return m;
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    int64_t now = hc_time_now();
    f->key = hc_key_generate(HC_KEY_P256);
    hc_cert_template t = {
        "XX", "Test DSC", "healthcert", now - 86400000LL, now + 365LL * 86400000, false, NULL
    };
    f->cert = hc_x509_make(&t, f->key, NULL, NULL);
    uint8_t fp[32];
    unsigned fl = 0;
    X509_digest(f->cert, EVP_sha256(), fp, &fl);
    memcpy(f->kid, fp, 8); /* HCERT Appendix A.1 */
    f->ts = hc_trust_store_new();
    assert_int_equal(
        hc_trust_store_add_x509(f->ts, X509_dup(f->cert), "XX", "DSC", "test", NULL, 0), HC_OK);
    json_t *dcc = make_dcc();
    hc_eu_dcc_claims cl = { "XX", now / 1000 - 3600, now / 1000 + 86400 };
    assert_int_equal(
        hc_eu_dcc_encode(dcc, &cl, f->key, HC_SIG_ES256, f->kid, f->text, sizeof f->text, &f->len),
        HC_OK);
    json_decref(dcc);

    uint8_t cose[4096];
    size_t m = cose_of(f->text, f->len, cose, sizeof cose);
    static hc_cbor_node nodes[64], hnodes[16];
    hc_cbor_doc d, h;
    hc_cose_sign1 msg;
    hc_cbor_doc_init(&d, nodes, 64, NULL, 0, 0);
    hc_cbor_doc_init(&h, hnodes, 16, NULL, 0, 0);
    assert_int_equal(hc_cose_sign1_parse(cose, m, &d, &h, &msg, NULL), HC_OK);
    assert_int_equal(msg.signature_len, 64);
    memcpy(f->sig, msg.signature, 64);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    EVP_PKEY_free(f->key);
    X509_free(f->cert);
    hc_trust_store_free(f->ts);
    free(f);
    return 0;
}

/* Verifies text with rl; returns the verdict's first error and whether "revocation" passed. */
static hc_err
verify_with(fixture *f, const hc_revocation_list *rl, const char *text, size_t len,
            int *revocation_ok)
{
    hc_verify_options opt = { 0 };
    opt.trust = f->ts;
    opt.revocation = rl;
    hc_verifier *v = hc_verifier_new(&opt);
    hc_verdict vd;
    assert_int_equal(hc_verify(v, (const uint8_t *)text, len, &vd), HC_OK);
    *revocation_ok = -1;
    for (size_t i = 0; i < vd.n_checks; i++) {
        if (strcmp(vd.checks[i].name, "revocation") == 0) {
            *revocation_ok = vd.checks[i].ok;
        }
    }
    hc_err e = hc_verdict_first_error(&vd);
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    return e;
}

static void
test_pipeline_each_hash_type(void **state)
{
    fixture *f = *state;
    uint8_t h[16];
    int ok;

    /* No list: no revocation check at all. */
    assert_int_equal(verify_with(f, NULL, f->text, f->len, &ok), HC_OK);
    assert_int_equal(ok, -1);

    hc_revocation_list *rl = hc_revocation_list_new();
    assert_int_equal(verify_with(f, rl, f->text, f->len, &ok), HC_OK);
    assert_int_equal(ok, 1);

    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        hc_revocation_list *one = hc_revocation_list_new();
        if (t == HC_REVOCATION_UCI) {
            hc_revocation_hash_uci(uvci, strlen(uvci), h);
        } else if (t == HC_REVOCATION_COUNTRYCODEUCI) {
            hc_revocation_hash_country_uci("XX", uvci, strlen(uvci), h);
        } else {
            hc_revocation_hash_signature(f->sig, 64, true, h);
        }
        /* Listed under another signer's kid: not this certificate. */
        hc_revocation_list_add(one, kid_a, 8, (hc_revocation_hash_type)t, h);
        assert_int_equal(verify_with(f, one, f->text, f->len, &ok), HC_OK);
        assert_int_equal(ok, 1);
        hc_revocation_list_add(one, f->kid, 8, (hc_revocation_hash_type)t, h);
        assert_int_equal(verify_with(f, one, f->text, f->len, &ok), HC_ERR_REVOKED);
        assert_int_equal(ok, 0);
        hc_revocation_list_free(one);
    }
    hc_revocation_list_free(rl);
}

/* The ECDSA twin (r, n - s) of the signature verifies too; hashing r only still finds it
 * (security.md §0.7: revocation identifiers must not hash the whole ECDSA signature). */
static void
test_pipeline_signature_twin(void **state)
{
    fixture *f = *state;
    uint8_t h[16], cose[4096], twin_sig[64];
    char twin[8192];
    size_t twin_len = 0;
    int ok;

    size_t m = cose_of(f->text, f->len, cose, sizeof cose);
    /* s is the last 32 bytes of the COSE message (the signature ends the array). */
    BIGNUM *n = BN_new(), *s = BN_bin2bn(f->sig + 32, 32, NULL);
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    assert_int_equal(EC_GROUP_get_order(g, n, NULL), 1);
    assert_int_equal(BN_sub(s, n, s), 1);
    memcpy(twin_sig, f->sig, 32);
    assert_int_equal(BN_bn2binpad(s, twin_sig + 32, 32), 32);
    assert_memory_equal(cose + m - 64, f->sig, 64);
    memcpy(cose + m - 64, twin_sig, 64);
    assert_int_equal(hc_hc1_wrap(cose, m, twin, sizeof twin, &twin_len), HC_OK);
    BN_free(n);
    BN_free(s);
    EC_GROUP_free(g);

    hc_revocation_list *rl = hc_revocation_list_new();
    assert_int_equal(verify_with(f, rl, twin, twin_len, &ok), HC_OK);
    hc_revocation_hash_signature(f->sig, 64, true, h);
    hc_revocation_list_add(rl, f->kid, 8, HC_REVOCATION_SIGNATURE, h);
    assert_int_equal(verify_with(f, rl, twin, twin_len, &ok), HC_ERR_REVOKED);
    /* Hashing the whole signature would have missed it. */
    uint8_t whole[16], whole_twin[16];
    hc_revocation_hash_signature(f->sig, 64, false, whole);
    hc_revocation_hash_signature(twin_sig, 64, false, whole_twin);
    assert_memory_not_equal(whole, whole_twin, 16);
    hc_revocation_list_free(rl);
}

/* A forged certificate (bad signature) is not looked up: its verdict is SIGNATURE_INVALID. */
static void
test_pipeline_forgery_not_looked_up(void **state)
{
    fixture *f = *state;
    uint8_t h[16], cose[4096];
    char forged[8192];
    size_t flen = 0;
    int ok;
    size_t m = cose_of(f->text, f->len, cose, sizeof cose);
    cose[m - 1] ^= 1;
    assert_int_equal(hc_hc1_wrap(cose, m, forged, sizeof forged, &flen), HC_OK);
    hc_revocation_list *rl = hc_revocation_list_new();
    hc_revocation_hash_uci(uvci, strlen(uvci), h);
    hc_revocation_list_add(rl, f->kid, 8, HC_REVOCATION_UCI, h);
    assert_int_equal(verify_with(f, rl, forged, flen, &ok), HC_ERR_SIGNATURE_INVALID);
    assert_int_equal(ok, -1);
    hc_revocation_list_free(rl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_forms),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_hostile_documents),
        cmocka_unit_test_setup_teardown(test_pipeline_each_hash_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipeline_signature_twin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipeline_forgery_not_looked_up, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
