/*
 * test_who_gdhcn.c: WHO GDHCN trust lists (did:web DID documents, trust_gdhcn.c).
 *
 * Real data (tests/vectors/gdhcn, PROVENANCE.txt): the DEV network's v2 lists for Argentina (all
 * usages, DSCs only, SCAs only), the DDCC domain list, a keyless DECA list, a reference list, and
 * an excerpt of the deprecated v1 list holding the LACPASS (XCL) key that signed the
 * gdhcn-validator's DVCTest3QR, its quirks (UNKNOWN CURVE, 33-byte coordinates, RSA keys, string
 * references) and a CA with a DSC it issued. Then lists made here for the quirks and the failures
 * the real ones do not show: a JWK that is not its certificate's key, a DSC its participant's SCA
 * did not issue, filters.
 */
#include "who_test_util.h"

#include "base64.h"
#include "trust_gdhcn.h"

static hc_gdhcn_report
load(hc_trust_store *ts, const char *rel, const hc_gdhcn_filter *f, hc_err want)
{
    hc_gdhcn_report r;
    char msg[768] = "";
    memset(&r, 0, sizeof r);
    hc_err e = hc_trust_store_add_gdhcn_path(ts, hc_test_vector_path(rel), f, &r, msg, sizeof msg);
    if (e != want) {
        fail_msg("%s: %s, expected %s (%s)", rel, hc_err_code(e), hc_err_code(want), msg);
    }
    return r;
}

static const hc_trust_entry *
entry_by_kid(const hc_trust_store *ts, const char *kid_b64)
{
    uint8_t kid[16];
    size_t kl = 0;
    const hc_trust_entry *e[HC_MAX_KEYS_PER_KID];
    assert_int_equal(hc_base64_decode(kid_b64, strlen(kid_b64), false, kid, sizeof kid, &kl),
                     HC_OK);
    return hc_trust_store_find(ts, kid, kl, e, HC_MAX_KEYS_PER_KID) > 0 ? e[0] : NULL;
}

static void
test_v2_argentina(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    hc_gdhcn_report r = load(ts, "gdhcn/v2/trustlist/-/ARG/did.json", NULL, HC_OK);
    assert_int_equal(r.methods, 7);
    assert_int_equal(r.sca, 4);
    assert_int_equal(r.dsc, 3);
    assert_int_equal(r.chained, 3); /* every DSC verified against an SCA of ARG */
    assert_int_equal(r.unchained + r.chain_failed + r.broken + r.unsupported, 0);
    assert_int_equal(r.kid_mismatch, 0);
    assert_true(r.coord_quirks > 0); /* 33-byte coordinates in WHO's data */
    assert_int_equal(hc_trust_store_count(ts), 7);

    /* Each DSC is indexed by its HCERT kid and tagged with its participant. */
    const hc_trust_entry *e = entry_by_kid(ts, "FpnpjJeNeBc=");
    assert_non_null(e);
    assert_string_equal(e->participant, "ARG");
    assert_string_equal(e->certificate_type, "DSC");
    e = entry_by_kid(ts, "5lEJxN0pVTU=");
    assert_non_null(e);
    assert_string_equal(e->certificate_type, "SCA");
    hc_trust_store_free(ts);

    /* The DSC-only list: its SCAs are elsewhere. Loaded alone: unchained; after the SCA list:
     * chained. */
    ts = hc_trust_store_new();
    r = load(ts, "gdhcn/v2/trustlist/-/ARG/DSC/did.json", NULL, HC_OK);
    assert_int_equal(r.dsc, 3);
    assert_int_equal(r.unchained, 3);
    hc_trust_store_free(ts);
    ts = hc_trust_store_new();
    r = load(ts, "gdhcn/v2/trustlist/-/ARG/SCA/did.json", NULL, HC_OK);
    assert_int_equal(r.sca, 4);
    r = load(ts, "gdhcn/v2/trustlist/-/ARG/DSC/did.json", NULL, HC_OK);
    assert_int_equal(r.chained, 3);
    hc_trust_store_free(ts);
}

static void
test_filters(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    hc_gdhcn_filter dsc = { NULL, "arg", "DSC" };
    hc_gdhcn_report r = load(ts, "gdhcn/v2/trustlist/-/ARG/did.json", &dsc, HC_OK);
    assert_int_equal(r.dsc, 3);
    assert_int_equal(r.sca, 0);
    assert_int_equal(r.chained, 3); /* the filtered-out SCAs still vouch for the DSCs */
    assert_int_equal(hc_trust_store_count(ts), 3);
    hc_trust_store_free(ts);

    ts = hc_trust_store_new();
    hc_gdhcn_filter other = { NULL, "XXA", NULL };
    r = load(ts, "gdhcn/v2/trustlist/-/ARG/did.json", &other, HC_ERR_TRUST_INVALID);
    assert_int_equal(r.filtered, 7);
    hc_gdhcn_filter domain = { "DDCC", NULL, NULL };
    r = load(ts, "gdhcn/v2/trustlist/-/ARG/did.json", &domain, HC_ERR_TRUST_INVALID);
    hc_trust_store_free(ts);
}

static void
test_ddcc_domain_and_keyless(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    hc_gdhcn_report r = load(ts, "gdhcn/v2/trustlist/DDCC/did.json", NULL, HC_OK);
    assert_int_equal(r.sca, 1);         /* written "#CSCA" in the document */
    assert_int_equal(r.other_usage, 1); /* DECA: signs no health certificates */
    /* A list with only a DECA key, and a reference list, hold nothing to verify with. */
    load(ts, "gdhcn/v2/trustlist/DDCC/-/DECA/did.json", NULL, HC_ERR_TRUST_INVALID);
    r = load(ts, "gdhcn/v2/trustlist-ref/-/ARG/did.json", NULL, HC_ERR_TRUST_INVALID);
    assert_int_equal(r.references, 2);
    assert_int_equal(hc_trust_store_count(ts), 1);
    hc_trust_store_free(ts);

    /* Through content detection (--trust): the same documents. */
    ts = hc_trust_store_new();
    char msg[768];
    assert_int_equal(
        hc_trust_store_add_path(ts, hc_test_vector_path("gdhcn/v2/trustlist/-/ARG/did.json"), msg,
                                sizeof msg),
        HC_OK);
    assert_non_null(strstr(msg, "GDHCN"));
    assert_int_equal(hc_trust_store_count(ts), 7);
    hc_trust_store_free(ts);
}

static void
test_v1_excerpt_and_dvc(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    hc_gdhcn_report r = load(ts, "gdhcn/trustlist-v1-excerpt.json", NULL, HC_OK);
    assert_int_equal(r.methods, 11);
    assert_int_equal(r.references, 2);
    assert_int_equal(r.unsupported, 2); /* "crv": "UNKNOWN CURVE" */
    assert_int_equal(r.sca, 1);         /* v1 names no usage: the CA certificate is an SCA */
    assert_int_equal(r.dsc, 6);
    assert_int_equal(r.chained, 1);
    const hc_trust_entry *e = entry_by_kid(ts, "UUuJcwmjoJM=");
    assert_non_null(e);
    assert_string_equal(e->participant, "XCL");

    /* DVCTest3QR (iss "XL", kid UUuJcwmjoJM=) verifies with the LACPASS key; DVCTestQR with the
     * same kid does not (signed with another key). */
    size_t n;
    char *qr = wt_read_text("who-ddcc/DVCTest3QR.txt", &n);
    hc_verdict vd;
    wt_verify(ts, wt_time("2024-09-25T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    assert_string_equal(vd.subject_name, "Albani Olivieri");
    assert_string_equal(vd.issuer_country, "XL");
    hc_verdict_clear(&vd);
    /* The DSC ends 2025-09-04. */
    wt_verify(ts, wt_time("2025-10-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_EXPIRED);
    hc_verdict_clear(&vd);
    free(qr);
    qr = wt_read_text("who-ddcc/DVCTestQR.txt", &n);
    wt_verify(ts, wt_time("2024-09-25T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_SIGNATURE_INVALID);
    hc_verdict_clear(&vd);
    free(qr);
    hc_trust_store_free(ts);
}

/* ---- lists made here ---- */

static char *
b64(const uint8_t *p, size_t n, bool url)
{
    char *s = malloc(HC_BASE64_ENCODED_MAX(n));
    size_t l;
    assert_int_equal(hc_base64_encode(p, n, url, s, HC_BASE64_ENCODED_MAX(n), &l), HC_OK);
    return s;
}

/* A verification method for cert (key) as WHO writes them; pad33 adds Java's leading zero and
 * "=" padding to the coordinates. */
static json_t *
method(X509 *cert, EVP_PKEY *key, const char *participant, const char *usage, bool pad33)
{
    unsigned char *der = NULL;
    int dl = i2d_X509(cert, &der);
    uint8_t fp[32], x[33] = { 0 }, y[33] = { 0 };
    unsigned fl = 0;
    X509_digest(cert, EVP_sha256(), fp, &fl);
    BIGNUM *bx = NULL, *by = NULL;
    EVP_PKEY_get_bn_param(key, "qx", &bx);
    EVP_PKEY_get_bn_param(key, "qy", &by);
    BN_bn2binpad(bx, x + 1, 32);
    BN_bn2binpad(by, y + 1, 32);
    char *kid = b64(fp, 8, false), *x5c = b64(der, (size_t)dl, false);
    char *xs = pad33 ? b64(x, 33, false) : b64(x + 1, 32, true);
    char *ys = pad33 ? b64(y, 33, false) : b64(y + 1, 32, true);
    char id[128], code[16], use[16];
    snprintf(id, sizeof id, "did:web:example.org:v2:trustlist:-:%s:%s#%s", participant, usage, kid);
    snprintf(code, sizeof code, "#%s", participant);
    snprintf(use, sizeof use, "#%s", usage);
    json_t *m = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:[s]}, s:{s:s}, "
                          "s:{s:s}, s:{s:s}}",
                          "id", id, "type", "JsonWebKey2020", "controller",
                          "did:web:example.org:v2:trustlist:-", "publicKeyJwk", "kty", "EC", "crv",
                          "P-256", "kid", kid, "x", xs, "y", ys, "x5c", x5c, "domain", "code",
                          "#DDCC", "participant", "code", code, "keyusage", "code", use);
    free(kid);
    free(x5c);
    free(xs);
    free(ys);
    BN_free(bx);
    BN_free(by);
    OPENSSL_free(der);
    return m;
}

static char *
document(json_t *methods)
{
    json_t *d =
        json_pack("{s:s, s:s, s:o}", "id", "did:web:example.org:v2:trustlist:-", "controller",
                  "did:web:example.org:v2:trustlist", "verificationMethod", methods);
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    return s;
}

static void
test_made_lists(void **state)
{
    (void)state;
    int64_t now = hc_time_now();
    EVP_PKEY *sk = wt_ec_key("P-256"), *dk = wt_ec_key("P-256"), *ok = wt_ec_key("P-256");
    X509 *sca = wt_cert("XA", "XXA SCA", true, sk, NULL, NULL, now - WT_DAY_MS,
                        now + 3650 * WT_DAY_MS, NULL);
    X509 *dsc =
        wt_cert("XA", "XXA DSC", false, dk, sca, sk, now - WT_DAY_MS, now + 365 * WT_DAY_MS, NULL);
    X509 *stray = wt_cert("XA", "Stray DSC", false, ok, NULL, NULL, now - WT_DAY_MS,
                          now + 365 * WT_DAY_MS, NULL);
    hc_gdhcn_report r;
    char msg[768];

    /* The quirky encoding (33-byte coordinates with padding) loads and chains. */
    json_t *ms = json_pack("[o, o]", method(sca, sk, "XXA", "CSCA", true),
                           method(dsc, dk, "XXA", "DSC", true));
    char *doc = document(ms);
    hc_trust_store *ts = hc_trust_store_new();
    assert_int_equal(hc_trust_store_add_gdhcn_buffer(ts, (const unsigned char *)doc, strlen(doc),
                                                     "made", NULL, &r, msg, sizeof msg),
                     HC_OK);
    assert_int_equal(r.chained, 1);
    assert_int_equal(r.coord_quirks, 2);
    hc_trust_store_free(ts);
    free(doc);

    /* A DSC its participant's SCA did not issue: skipped, and the list has the SCA left. */
    ms = json_pack("[o, o]", method(sca, sk, "XXA", "SCA", false),
                   method(stray, ok, "XXA", "DSC", false));
    doc = document(ms);
    ts = hc_trust_store_new();
    assert_int_equal(hc_trust_store_add_gdhcn_buffer(ts, (const unsigned char *)doc, strlen(doc),
                                                     "made", NULL, &r, msg, sizeof msg),
                     HC_OK);
    assert_int_equal(r.chain_failed, 1);
    assert_int_equal(r.dsc, 0);
    hc_trust_store_free(ts);
    free(doc);

    /* A JWK that is not its certificate's key: not loaded. */
    json_t *m = method(dsc, dk, "XXA", "DSC", false);
    json_t *liar = method(stray, ok, "XXA", "DSC", false);
    json_object_set(json_object_get(m, "publicKeyJwk"), "x",
                    json_object_get(json_object_get(liar, "publicKeyJwk"), "x"));
    json_decref(liar);
    ms = json_pack("[o]", m);
    doc = document(ms);
    ts = hc_trust_store_new();
    assert_int_equal(hc_trust_store_add_gdhcn_buffer(ts, (const unsigned char *)doc, strlen(doc),
                                                     "made", NULL, &r, msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_int_equal(r.broken, 1);
    hc_trust_store_free(ts);
    free(doc);

    /* Hostile documents: not JSON, no methods, a method that is a number, a huge x5c entry. */
    static const char *const bad[] = {
        "{\"id\":\"did:web:x:trustlist\",\"verificationMethod\":[",
        "{\"id\":\"did:web:x:trustlist\",\"verificationMethod\":[]}",
        "{\"id\":\"did:web:x:trustlist\",\"verificationMethod\":[1,{},{\"publicKeyJwk\":1}]}",
        ("{\"id\":\"did:web:x:trustlist\",\"verificationMethod\":[{\"publicKeyJwk\":{\"kty\":"
         "\"EC\",\"crv\":\"P-256\",\"x5c\":[\"////\"]}}]}"),
        "{\"id\":\"did:key:z6Mk\",\"verificationMethod\":[]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ts = hc_trust_store_new();
        assert_int_equal(hc_trust_store_add_gdhcn_buffer(ts, (const unsigned char *)bad[i],
                                                         strlen(bad[i]), "bad", NULL, &r, msg,
                                                         sizeof msg),
                         HC_ERR_TRUST_INVALID);
        assert_int_equal(hc_trust_store_count(ts), 0);
        hc_trust_store_free(ts);
    }

    X509_free(sca);
    X509_free(dsc);
    X509_free(stray);
    EVP_PKEY_free(sk);
    EVP_PKEY_free(dk);
    EVP_PKEY_free(ok);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_argentina),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_ddcc_domain_and_keyless),
        cmocka_unit_test(test_v1_excerpt_and_dvc),
        cmocka_unit_test(test_made_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
