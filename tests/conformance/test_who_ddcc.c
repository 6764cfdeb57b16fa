/*
 * test_who_ddcc.c: WHO DDCC on HCERT ("HC1:", format who-ddcc) through the public verify path,
 * issuing, the content classifier shared with eu-dcc, and `convert`'s mappings.
 *
 * Real data (tests/vectors/who-ddcc, PROVENANCE.txt): WHO's Singapore PCR test QR with the
 * Singapore MOH DSC (legacy shape: the RC1 data set at the CWT root, kid unprotected), WHOQR1/2
 * (RC1, key unpublished; WHOQR2 holds CBOR undefined values), the minimal DVC QRs of the
 * gdhcn-validator, of which DVCTest3QR verifies with the GDHCN DEV list (test_who_gdhcn.c).
 */
#include "who_test_util.h"

#include "base45.h"
#include "cbor.h"
#include "cose.h"
#include "ddcc_convert.h"
#include "eu_dcc_encode.h"
#include "inflate.h"
#include "jwk.h"
#include "who_ddcc_encode.h"

/* ---- the Singapore PCR test ---- */

static hc_trust_store *
sg_trust(void)
{
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    assert_int_equal(hc_trust_store_add_path(ts, hc_test_vector_path("who-ddcc/singapore-dsc.pem"),
                                             msg, sizeof msg),
                     HC_OK);
    return ts;
}

static void
test_singapore_pcr(void **state)
{
    (void)state;
    size_t n;
    char *qr = wt_read_text("who-ddcc/WHOSingaporePCRContents.txt", &n);
    hc_trust_store *ts = sg_trust();
    hc_verdict vd;

    /* The test was sampled 2022-07-27; the DSC is valid 2022-06-14 .. 2024-06-13. */
    wt_verify(ts, wt_time("2022-08-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    assert_string_equal(vd.type, "t");
    assert_string_equal(vd.subject_name, "TAN CHEN CHEN");
    assert_string_equal(vd.subject_dob, "1990-01-15");
    assert_string_equal(vd.issuer_country, "SG");
    assert_string_equal(vd.issuer_kid, "tK6wRrcGVbk=");
    assert_int_equal(wt_check(&vd, "signature"), 1);
    assert_int_equal(wt_check(&vd, "key_validity"), 1);
    assert_int_equal(wt_check(&vd, "schema"), 1);
    assert_non_null(strstr(vd.summary, "Not detected"));
    /* Legacy shape: the payload is the data set, not the CWT's integer claims. */
    assert_non_null(json_object_get(vd.payload, "test"));
    hc_verdict_clear(&vd);

    wt_verify(ts, wt_time("2025-01-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_EXPIRED);
    hc_verdict_clear(&vd);
    wt_verify(ts, wt_time("2022-01-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_YET_VALID);
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);

    ts = hc_trust_store_new();
    wt_verify(ts, wt_time("2022-08-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
    hc_verdict_clear(&vd);

    /* A bare key listed under the kid's base64 text does not sign DDCCs: only certificates. */
    EVP_PKEY *k = wt_ec_key("P-256");
    json_t *jwk = hc_jwk_from_key(k, false);
    json_object_set_new(jwk, "kid", json_string("tK6wRrcGVbk="));
    json_t *jwks = json_pack("{s:[o]}", "keys", jwk);
    char *text = json_dumps(jwks, JSON_COMPACT);
    wt_trust_text(ts, text);
    wt_verify(ts, wt_time("2022-08-01T00:00:00Z"), qr, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
    hc_verdict_clear(&vd);
    free(text);
    json_decref(jwks);
    EVP_PKEY_free(k);
    hc_trust_store_free(ts);
    free(qr);
}

/* Decodes an HC1 text to its COSE bytes (malloc'd). */
static uint8_t *
hc1_cose(const char *qr, size_t *len)
{
    size_t n = strlen(qr) - 4, b = 0;
    uint8_t *z = malloc(n), *cose = malloc(HC_MAX_INFLATED);
    assert_int_equal(hc_base45_decode(qr + 4, n, z, n, &b), HC_OK);
    assert_int_equal(hc_inflate_once(HC_DEFLATE_ZLIB, z, b, cose, HC_MAX_INFLATED, len), HC_OK);
    free(z);
    return cose;
}

/* Flips one byte of the signed payload (found by its text) and wraps the message again. */
static char *
tamper(const char *qr, const char *needle)
{
    size_t len = 0, out_len = 0;
    uint8_t *cose = hc1_cose(qr, &len);
    uint8_t *p = NULL;
    for (size_t i = 0; p == NULL && i + strlen(needle) <= len; i++) {
        if (memcmp(cose + i, needle, strlen(needle)) == 0) {
            p = cose + i;
        }
    }
    assert_non_null(p);
    p[0] ^= 0x01;
    char *out = malloc(HC_MAX_QR_TEXT);
    assert_int_equal(hc_hc1_wrap(cose, len, out, HC_MAX_QR_TEXT, &out_len), HC_OK);
    free(cose);
    return out;
}

static void
test_singapore_tampered(void **state)
{
    (void)state;
    size_t n;
    char *qr = wt_read_text("who-ddcc/WHOSingaporePCRContents.txt", &n);
    hc_trust_store *ts = sg_trust();
    char *bad = tamper(qr, "TAN CHEN CHEN");
    hc_verdict vd;
    wt_verify(ts, wt_time("2022-08-01T00:00:00Z"), bad, strlen(bad), &vd);
    wt_expect(&vd, false, HC_ERR_SIGNATURE_INVALID);
    assert_string_equal(vd.format, "who-ddcc");
    hc_verdict_clear(&vd);
    free(bad);
    hc_trust_store_free(ts);
    free(qr);
}

/* WHOQR1 / WHOQR2 / DVCTestQR: decoded, judged, never VALID without their (unpublished) keys. */
static void
test_unpublished_keys(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    static const struct {
        const char *file, *name, *type;
        bool schema_ok;
    } cases[] = {
        { "who-ddcc/WHOQR1Contents.txt", "Eddie Murphy", "v", true },
        /* WHOQR2 has "date": undefined (CBOR simple 23) and no brand: the RC1 model fails. */
        { "who-ddcc/WHOQR2Contents.txt", "EddieMurphy", "v", false },
        { "who-ddcc/DVCTestQR.txt", "Aulo Agerio", "v", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        char *qr = wt_read_text(cases[i].file, &n);
        hc_verdict vd;
        wt_verify(ts, wt_time("2024-09-25T00:00:00Z"), qr, n, &vd);
        wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
        assert_string_equal(vd.format, "who-ddcc");
        assert_string_equal(vd.subject_name, cases[i].name);
        assert_string_equal(vd.type, cases[i].type);
        assert_int_equal(wt_check(&vd, "schema"), cases[i].schema_ok);
        assert_int_equal(wt_has_error(&vd, HC_ERR_SCHEMA_INVALID), !cases[i].schema_ok);
        hc_verdict_clear(&vd);
        free(qr);
    }
    hc_trust_store_free(ts);
}

/* ---- issuing and the classifier ---- */

static int64_t now_ms;
static EVP_PKEY *dsc_key;
static X509 *dsc;

static int
setup(void **state)
{
    (void)state;
    now_ms = hc_time_now();
    dsc_key = wt_ec_key("P-256");
    dsc = wt_cert("CH", "DDCC test DSC", false, dsc_key, NULL, NULL, now_ms - 30 * WT_DAY_MS,
                  now_ms + 365 * WT_DAY_MS, NULL);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    X509_free(dsc);
    EVP_PKEY_free(dsc_key);
    return 0;
}

static json_t *
vs_record(void)
{
    return json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:{s:{s:s}, s:{s:s}, s:s}, s:{s:{s:s, s:s}, s:{s:s, s:s}, "
        "s:{s:s, s:s}, s:s, s:s, s:i, s:i, s:{s:s, s:s}, s:s, s:{s:s, s:s}}}",
        "name", "Aulus Agerius", "birthDate", "2003-03-03", "identifier", "system", "urn:example",
        "value", "999123456123456123456", "certificate", "issuer", "display", "Ministry of Health",
        "hcid", "value", "URN:UVCI:01:CH:ABC123", "version", "RC2", "vaccination", "vaccine",
        "system", "http://id.who.int/icd11/mms", "code", "XM0GQ8", "brand", "system", "urn:example",
        "code", "EU/1/20/1528", "maholder", "system", "urn:example", "code", "ORG-100030215", "lot",
        "PT123F", "date", "2021-02-02", "dose", 1, "totalDoses", 2, "country", "system",
        "urn:iso:std:iso:3166", "code", "CHE", "centre", "Government Hospital", "disease", "system",
        "http://id.who.int/icd11/mms", "code", "RA01.0");
}

static json_t *
tr_record(void)
{
    return json_pack("{s:s, s:s, s:{s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:{s:s, s:s}, "
                     "s:{s:s}}}",
                     "name", "Tan Chen Chen", "birthDate", "1990-01-15", "test", "pathogen",
                     "system", "http://id.who.int/icd11/mms", "code", "XN109", "type", "system",
                     "http://loinc.org", "code", "LP6464-4", "date", "2022-07-27T06:15:00Z",
                     "result", "system", "http://snomed.info/sct", "code", "260415000", "country",
                     "code", "SGP");
}

static char *
issue(const json_t *rec)
{
    char *qr = NULL, msg[200] = "";
    hc_who_ddcc_issue_options o = { now_ms, 30 };
    hc_err e = hc_who_ddcc_issue(rec, dsc, dsc_key, &o, &qr, msg, sizeof msg);
    if (e != HC_OK) {
        fail_msg("issue: %s (%s)", hc_err_code(e), msg);
    }
    return qr;
}

static hc_trust_store *
dsc_trust(void)
{
    hc_trust_store *ts = hc_trust_store_new();
    wt_trust_cert(ts, dsc);
    return ts;
}

static void
test_issue_round_trip(void **state)
{
    (void)state;
    hc_trust_store *ts = dsc_trust();
    json_t *vs = vs_record(), *tr = tr_record();
    char *q1 = issue(vs), *q2 = issue(tr);
    hc_verdict vd;

    wt_verify(ts, now_ms + 1000, q1, strlen(q1), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    assert_string_equal(vd.type, "v");
    assert_string_equal(vd.subject_name, "Aulus Agerius");
    assert_string_equal(vd.issuer_country, "CH");
    assert_true(json_equal(vd.payload, vs)); /* signed as given */
    assert_true(vd.has_expires_at);
    assert_int_equal(vd.expires_at_ms / 1000, (now_ms + 30 * WT_DAY_MS) / 1000);
    hc_verdict_clear(&vd);

    /* The claim is -260 -> 3 (DDCC:VS) and -260 -> 4 (DDCC:TR). */
    hc_verifier *v = hc_verifier_new(NULL);
    assert_int_equal(hc_decode(v, (const uint8_t *)q1, strlen(q1), &vd), HC_OK);
    assert_string_equal(json_string_value(json_object_get(vd.details, "shape")), "DDCC:VS");
    hc_verdict_clear(&vd);
    assert_int_equal(hc_decode(v, (const uint8_t *)q2, strlen(q2), &vd), HC_OK);
    assert_string_equal(json_string_value(json_object_get(vd.details, "shape")), "DDCC:TR");
    hc_verdict_clear(&vd);
    hc_verifier_free(v);

    wt_verify(ts, now_ms + 1000, q2, strlen(q2), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.type, "t");
    hc_verdict_clear(&vd);

    /* After exp: EXPIRED. */
    wt_verify(ts, now_ms + 31 * WT_DAY_MS, q1, strlen(q1), &vd);
    wt_expect(&vd, false, HC_ERR_EXPIRED);
    hc_verdict_clear(&vd);

    free(q1);
    free(q2);
    json_decref(vs);
    json_decref(tr);
    hc_trust_store_free(ts);
}

/* A CWT {6: iat, 4: exp, -260: {sub: rec}} or with rec's members at the root (sub == 0). */
static char *
sign_cwt(const json_t *rec, int sub)
{
    uint8_t cwt[8192], cose[8192];
    size_t cl = 0, sl = 0, ql = 0;
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, cwt, sizeof cwt);
    if (sub == 0) {
        assert_int_equal(hc_cbor_encode_json(&w, rec), HC_OK);
    } else {
        hc_cbor_put_map(&w, 3);
        hc_cbor_put_int(&w, HC_CWT_EXP);
        hc_cbor_put_int(&w, now_ms / 1000 + 86400);
        hc_cbor_put_int(&w, HC_CWT_IAT);
        hc_cbor_put_int(&w, now_ms / 1000);
        hc_cbor_put_int(&w, HC_CWT_HCERT);
        hc_cbor_put_map(&w, 1);
        hc_cbor_put_int(&w, sub);
        assert_int_equal(hc_cbor_encode_json(&w, rec), HC_OK);
    }
    assert_int_equal(hc_cbor_writer_finish(&w, &cl), HC_OK);
    uint8_t kid[32];
    unsigned kl = 0;
    X509_digest(dsc, EVP_sha256(), kid, &kl);
    assert_int_equal(
        hc_cose_sign1_sign(dsc_key, HC_SIG_ES256, kid, 8, cwt, cl, cose, sizeof cose, &sl), HC_OK);
    char *qr = malloc(HC_MAX_QR_TEXT);
    assert_int_equal(hc_hc1_wrap(cose, sl, qr, HC_MAX_QR_TEXT, &ql), HC_OK);
    return qr;
}

/* hcert_classify.c: the three DDCC shapes go to who-ddcc, an EU DCC stays eu-dcc. */
static void
test_classifier(void **state)
{
    (void)state;
    hc_trust_store *ts = dsc_trust();
    json_t *vs = vs_record();
    hc_verdict vd;

    /* dcc-sdk.js shape: the core data set under sub-claim 1. */
    char *q = sign_cwt(vs, 1);
    wt_verify(ts, now_ms + 1000, q, strlen(q), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    hc_verdict_clear(&vd);
    free(q);

    /* Legacy RC1: the flat data set at the CWT root (no iat / exp). */
    json_t *rc1 =
        json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:s, s:s, s:i, s:{s:s}}", "name",
                  "Eddie Murphy", "birthDate", "1986-09-19", "vaccine", "code", "1119349007",
                  "brand", "code", "TEST", "manufacturer", "code", "TEST", "lot", "PT123F", "date",
                  "2021-07-08", "dose", 1, "country", "code", "USA");
    q = sign_cwt(rc1, 0);
    wt_verify(ts, now_ms + 1000, q, strlen(q), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    assert_string_equal(vd.subject_name, "Eddie Murphy");
    hc_verdict_clear(&vd);
    free(q);
    json_decref(rc1);

    /* The minimal DVC under -6. */
    json_t *dvc = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "n", "Aulo Agerio", "dob",
                            "1905-08-23", "v", "vp", "XM0N24", "dt", "2021-08-23", "dn", "Primary");
    q = sign_cwt(dvc, -6);
    wt_verify(ts, now_ms + 1000, q, strlen(q), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "who-ddcc");
    hc_verdict_clear(&vd);
    free(q);
    json_decref(dvc);

    /* An EU DCC (ver, nam) under sub-claim 1 stays with eu-dcc. */
    json_t *dcc = json_pack("{s:s, s:{s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
                            "s:s, s:s, s:s}]}",
                            "ver", "1.3.0", "nam", "fn", "Muster", "fnt", "MUSTER", "dob",
                            "1980-02-29", "v", "tg", "840539006", "vp", "1119349007", "mp",
                            "EU/1/20/1528", "ma", "ORG-100030215", "dn", 2, "sd", 2, "dt",
                            "2021-06-01", "co", "CH", "is", "BAG", "ci", "URN:UVCI:01:CH:X#Y");
    q = sign_cwt(dcc, 1);
    wt_verify(ts, now_ms + 1000, q, strlen(q), &vd);
    assert_string_equal(vd.format, "eu-dcc");
    hc_verdict_clear(&vd);
    free(q);
    json_decref(dcc);

    /* An empty map under -6 is DDCC content that breaks its model. */
    json_t *empty = json_object();
    q = sign_cwt(empty, -6);
    wt_verify(ts, now_ms + 1000, q, strlen(q), &vd);
    wt_expect(&vd, false, HC_ERR_SCHEMA_INVALID);
    hc_verdict_clear(&vd);
    free(q);
    json_decref(empty);

    json_decref(vs);
    hc_trust_store_free(ts);
}

/* The logical model's required elements, enforced when issuing. */
static void
test_issue_refusals(void **state)
{
    (void)state;
    char *qr = NULL, msg[200];
    hc_who_ddcc_issue_options o = { now_ms, 30 };
    static const char *const required[] = { "vaccine", "brand", "lot", "date", "dose", "country" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        json_t *r = vs_record();
        json_object_del(json_object_get(r, "vaccination"), required[i]);
        msg[0] = '\0';
        assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                         HC_ERR_SCHEMA_INVALID);
        assert_non_null(strstr(msg, required[i]));
        assert_null(qr);
        json_decref(r);
    }
    /* who-ddcc-data-1: a manufacturer or a market authorisation holder. */
    json_t *r = vs_record();
    json_object_del(json_object_get(r, "vaccination"), "maholder");
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_object_set_new(json_object_get(r, "vaccination"), "manufacturer",
                        json_pack("{s:s}", "code", "ORG-100001699"));
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg), HC_OK);
    free(qr);
    /* dose is a positiveInt. */
    json_object_set_new(json_object_get(r, "vaccination"), "dose", json_integer(0));
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(r);

    /* name is 1..1; certificate, when present, needs issuer, hcid, version. */
    r = vs_record();
    json_object_del(r, "name");
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(r);
    r = vs_record();
    json_object_del(json_object_get(r, "certificate"), "hcid");
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(r);

    /* One event per certificate; the IG example's one-element array is taken as the event. */
    r = vs_record();
    json_t *ev = json_incref(json_object_get(r, "vaccination"));
    json_object_set_new(r, "vaccination", json_pack("[O]", ev));
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg), HC_OK);
    free(qr);
    json_array_append(json_object_get(r, "vaccination"), ev);
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(ev);
    json_decref(r);

    /* Neither vaccination nor test. */
    r = json_pack("{s:s}", "name", "X");
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &o, &qr, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(r);

    /* The DSC: outside its validity, the wrong key, an EKU for tests only, a P-384 key. */
    r = vs_record();
    hc_who_ddcc_issue_options late = { now_ms + 400 * WT_DAY_MS, 30 };
    assert_int_equal(hc_who_ddcc_issue(r, dsc, dsc_key, &late, &qr, msg, sizeof msg),
                     HC_ERR_KEY_EXPIRED);
    EVP_PKEY *other = wt_ec_key("P-256");
    assert_int_equal(hc_who_ddcc_issue(r, dsc, other, &o, &qr, msg, sizeof msg),
                     HC_ERR_KEY_INVALID);
    static const char *const test_only[] = { "1.3.6.1.4.1.1847.2021.1.1", NULL };
    X509 *tdsc = wt_cert("CH", "Test-only DSC", false, other, NULL, NULL, now_ms - WT_DAY_MS,
                         now_ms + WT_DAY_MS, test_only);
    assert_int_equal(hc_who_ddcc_issue(r, tdsc, other, &o, &qr, msg, sizeof msg),
                     HC_ERR_KEY_USAGE_MISMATCH);
    X509_free(tdsc);
    EVP_PKEY_free(other);
    EVP_PKEY *p384 = wt_ec_key("P-384");
    X509 *c384 = wt_cert("CH", "P-384 DSC", false, p384, NULL, NULL, now_ms - WT_DAY_MS,
                         now_ms + WT_DAY_MS, NULL);
    assert_int_equal(hc_who_ddcc_issue(r, c384, p384, &o, &qr, msg, sizeof msg),
                     HC_ERR_KEY_INVALID);
    X509_free(c384);
    EVP_PKEY_free(p384);
    json_decref(r);
}

/* ---- convert ---- */

/*
 * WHO's own DDCCtoEUdcc output for the IG example (ddcc skip/EUDCC-Example-English-From-ddcc-to-
 * eu-dcc.json) maps vp <- vaccine XM0CX4, mp <- brand VAX-BRAND-EX, dn 1, sd 2, dt 2021-02-02,
 * co <- CHE, is <- "Government Hospital", ci <- the identifier. The same record (with the market
 * authorisation holder the EU schema requires) must map to those values, in the forms the EU
 * schema and value sets require (co alpha-2, tg SNOMED CT, v as an array).
 */
static void
test_convert_eu(void **state)
{
    (void)state;
    json_t *rec = json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:[{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s}, s:s, s:s, s:i, s:i, "
        "s:{s:s, s:s}, s:s}]}",
        "name", "Aulus Agerius", "birthDate", "2003-03-03", "identifier", "system",
        "urn:EXAMPLE-who-:ddcc:composition:ids", "value", "999123456123456123456", "vaccination",
        "vaccine", "system", "urn:EXAMPLE-who-:smart:vaccine-certificate:RC1:coding", "code",
        "XM0CX4", "brand", "system", "urn:EXAMPLE-who-:smart:vaccine-certificate:RC1:coding",
        "code", "VAX-BRAND-EX", "maholder", "code", "ORG-100030215", "lot", "L1", "date",
        "2021-02-02", "dose", 1, "totalDoses", 2, "country", "system",
        "http://hl7.org/fhir/ValueSet/iso3166-1-3", "code", "CHE", "centre", "Government Hospital");
    json_t *out = NULL, *notes = NULL;
    char msg[200];
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_EU_DCC, &out, &notes, msg, sizeof msg), HC_OK);
    json_t *v = json_array_get(json_object_get(out, "v"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "vp")), "XM0CX4"); /* no EU code */
    assert_string_equal(json_string_value(json_object_get(v, "mp")), "VAX-BRAND-EX");
    assert_int_equal(json_integer_value(json_object_get(v, "dn")), 1);
    assert_int_equal(json_integer_value(json_object_get(v, "sd")), 2);
    assert_string_equal(json_string_value(json_object_get(v, "dt")), "2021-02-02");
    assert_string_equal(json_string_value(json_object_get(v, "co")), "CH");
    assert_string_equal(json_string_value(json_object_get(v, "is")), "Government Hospital");
    assert_string_equal(json_string_value(json_object_get(v, "ci")), "999123456123456123456");
    assert_string_equal(json_string_value(json_object_get(v, "tg")), "840539006");
    assert_string_equal(json_string_value(json_object_get(json_object_get(out, "nam"), "fnt")),
                        "AULUS<AGERIUS");
    assert_true(json_array_size(notes) >= 2);
    json_decref(out);
    json_decref(notes);

    /* ICD-11 vaccine codes with an EU equivalent are translated. */
    json_object_set_new(
        json_object_get(json_array_get(json_object_get(rec, "vaccination"), 0), "vaccine"), "code",
        json_string("XM0GQ8"));
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_EU_DCC, &out, NULL, msg, sizeof msg), HC_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(out, "v"), 0), "vp")),
        "1119349007");
    json_decref(out);

    /* Without a market authorisation holder or manufacturer the EU DCC cannot be made (WHO's
     * map leaves ma out, which the EU schema refuses). */
    json_object_del(json_array_get(json_object_get(rec, "vaccination"), 0), "maholder");
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_EU_DCC, &out, NULL, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_null(out);
    json_decref(rec);

    /* A test: the Singapore record maps to a t entry. */
    rec = tr_record();
    json_object_set_new(json_object_get(rec, "test"), "centre",
                        json_pack("{s:s}", "display", "MOH Singapore"));
    json_object_set_new(rec, "identifier", json_string("URN:UVCI:01:SG:ABC-CDE-CDE"));
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_EU_DCC, &out, NULL, msg, sizeof msg), HC_OK);
    json_t *t = json_array_get(json_object_get(out, "t"), 0);
    assert_string_equal(json_string_value(json_object_get(t, "tt")), "LP6464-4");
    assert_string_equal(json_string_value(json_object_get(t, "tr")), "260415000");
    assert_string_equal(json_string_value(json_object_get(t, "co")), "SG");
    assert_string_equal(json_string_value(json_object_get(t, "tg")), "840539006");
    json_decref(out);
    json_decref(rec);
}

/* DDCCtoSHC: Patient{name.text, birthDate} + Immunization{vaccineCode, patient, occurrence,
 * manufacturer identifier, lotNumber, performer.actor.display}, as WHO's example bundle
 * (ddcc input/resources/SHCVaccinationBundleDM-Example-English-From-ddcc-to-shc.json). */
static void
test_convert_shc(void **state)
{
    (void)state;
    json_t *rec = vs_record(), *out = NULL, *notes = NULL;
    char msg[200];
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_SHC_BUNDLE, &out, &notes, msg, sizeof msg),
                     HC_OK);
    assert_string_equal(json_string_value(json_object_get(out, "resourceType")), "Bundle");
    assert_string_equal(json_string_value(json_object_get(out, "type")), "collection");
    json_t *entry = json_object_get(out, "entry");
    assert_int_equal(json_array_size(entry), 2);
    json_t *pat = json_object_get(json_array_get(entry, 0), "resource");
    json_t *imm = json_object_get(json_array_get(entry, 1), "resource");
    assert_string_equal(json_string_value(json_object_get(json_array_get(entry, 0), "fullUrl")),
                        "resource:0");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(pat, "name"), 0), "text")),
        "Aulus Agerius");
    assert_string_equal(json_string_value(json_object_get(pat, "birthDate")), "2003-03-03");
    assert_string_equal(json_string_value(json_object_get(imm, "resourceType")), "Immunization");
    assert_string_equal(json_string_value(json_object_get(imm, "status")), "completed");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(imm, "patient"), "reference")),
        "resource:0");
    assert_string_equal(json_string_value(json_object_get(imm, "occurrenceDateTime")),
                        "2021-02-02");
    assert_string_equal(json_string_value(json_object_get(imm, "lotNumber")), "PT123F");
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(imm, "manufacturer"), "identifier"), "value")),
        "ORG-100030215");
    json_t *coding =
        json_array_get(json_object_get(json_object_get(imm, "vaccineCode"), "coding"), 0);
    assert_string_equal(json_string_value(json_object_get(coding, "code")), "XM0GQ8");
    assert_null(json_object_get(imm, "protocolApplied")); /* SHC profiles forbid it */
    json_decref(out);
    json_decref(notes);
    json_decref(rec);

    rec = tr_record();
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_SHC_BUNDLE, &out, NULL, msg, sizeof msg),
                     HC_OK);
    json_t *obs = json_object_get(json_array_get(json_object_get(out, "entry"), 1), "resource");
    assert_string_equal(json_string_value(json_object_get(obs, "resourceType")), "Observation");
    assert_string_equal(json_string_value(json_object_get(obs, "effectiveDateTime")),
                        "2022-07-27T06:15:00Z");
    json_decref(out);
    json_decref(rec);

    /* Nothing to say: no name. */
    rec = json_pack("{s:{}}", "vaccination");
    assert_int_equal(hc_ddcc_convert(rec, HC_DDCC_TO_SHC_BUNDLE, &out, NULL, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(rec);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singapore_pcr),    cmocka_unit_test(test_singapore_tampered),
        cmocka_unit_test(test_unpublished_keys), cmocka_unit_test(test_issue_round_trip),
        cmocka_unit_test(test_classifier),       cmocka_unit_test(test_issue_refusals),
        cmocka_unit_test(test_convert_eu),       cmocka_unit_test(test_convert_shc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
