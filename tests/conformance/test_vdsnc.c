/*
 * test_vdsnc.c: ICAO VDS-NC seals through the public verify path.
 *
 * Real data (tests/vectors/vdsnc, PROVENANCE.txt): the Australian (DFAT) and Japanese (Digital
 * Agency) seals, and the Australian Passport Office reader's valid / invalid / non-VDS set with
 * its CSCA and CRL. Then a PKI made here for the cases no published seal covers (security.md §1.9
 * and §3 I5-I8): CRL revocation, a CRL not signed by the CSCA, a self-signed signer, a signer of
 * another country's CSCA, the algorithm confusion ES384 / P-256, a signature over a non-canonical
 * text, a DER signature, a signer without the VDS extended key usage, expiry, P-384 / P-521 seals,
 * and issuing round trips.
 */
#include "who_test_util.h"

#include "base64.h"
#include "jcs.h"
#include "sig.h"
#include "vdsnc_encode.h"

static const char *const vds_eku[] = { "2.23.136.1.1.14.2", NULL };
static const char *const other_eku[] = { "1.3.6.1.5.5.7.3.4", NULL }; /* e-mail protection */

/* ---- real seals ---- */

static hc_trust_store *
au_trust(bool with_crl)
{
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    assert_int_equal(hc_trust_store_add_path(ts, hc_test_vector_path("vdsnc/apo/AU-CSCA-cert.der"),
                                             msg, sizeof msg),
                     HC_OK);
    if (with_crl) {
        assert_int_equal(
            hc_trust_store_add_path(ts, hc_test_vector_path("vdsnc/apo/AU-CRL-2021-08-19.crl.der"),
                                    msg, sizeof msg),
            HC_OK);
    }
    return ts;
}

static void
test_au_real_seal(void **state)
{
    (void)state;
    size_t n;
    char *seal = wt_read_text("vdsnc/ICAOAUQR1Contents.txt", &n);
    hc_trust_store *ts = au_trust(true);
    hc_verdict vd;

    wt_verify(ts, wt_time("2021-10-01T00:00:00Z"), seal, n, &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.format, "icao-vds-nc");
    assert_string_equal(vd.type, "v");
    assert_string_equal(vd.subject_name, "JANE SUE CITIZEN");
    assert_string_equal(vd.subject_dob, "1961-05-15");
    assert_string_equal(vd.issuer_country, "AUS");
    assert_int_equal(wt_check(&vd, "signature"), 1);
    assert_int_equal(wt_check(&vd, "trust_chain"), 1);
    assert_int_equal(wt_check(&vd, "revocation"), 1);
    assert_int_equal(wt_check(&vd, "issuer"), 1);
    assert_int_equal(wt_check(&vd, "schema"), 1);
    hc_verdict_clear(&vd);

    /* The signer certificate ends 2031-09-30: past it the seal's key is expired. */
    wt_verify(ts, wt_time("2032-01-01T00:00:00Z"), seal, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_EXPIRED);
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);

    /* No CSCA: nothing vouches for the embedded signer. */
    ts = hc_trust_store_new();
    wt_verify(ts, wt_time("2021-10-01T00:00:00Z"), seal, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
    assert_int_equal(wt_check(&vd, "signature"), 1); /* the seal itself is intact */
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);
    free(seal);
}

static void
test_jp_real_seal(void **state)
{
    (void)state;
    size_t n;
    char *seal = wt_read_text("vdsnc/ICAOJPQR1Contents.txt", &n);
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    hc_verdict vd;

    /* Japan's CSCA is not published with the sample: its signer certificate is pinned. */
    assert_int_equal(hc_trust_store_add_path(ts, hc_test_vector_path("vdsnc/JP-signer-cert.der"),
                                             msg, sizeof msg),
                     HC_OK);
    wt_verify(ts, wt_time("2022-10-01T00:00:00Z"), seal, n, &vd);
    wt_expect(&vd, true, HC_OK);
    assert_string_equal(vd.subject_name, "NIHON HANAKO");
    assert_string_equal(vd.issuer_country, "JPN");
    assert_non_null(strstr(vd.summary, "3 doses"));
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);

    /* Australia's CSCA does not vouch for a Japanese signer. */
    ts = au_trust(false);
    wt_verify(ts, wt_time("2022-10-01T00:00:00Z"), seal, n, &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_TRUSTED);
    hc_verdict_clear(&vd);
    hc_trust_store_free(ts);
    free(seal);
}

/* The Australian Passport Office reader's own test set. */
static void
test_apo_reader_set(void **state)
{
    (void)state;
    hc_trust_store *ts = au_trust(true);
    static const struct {
        const char *file;
        bool valid;
        hc_err code;
    } cases[] = {
        { "vdsnc/apo/validVDSJson.json", true, HC_OK },
        { "vdsnc/apo/invalidVDSJson.json", false, HC_ERR_SIGNATURE_INVALID },
        { "vdsnc/apo/nonVDSJson.json", false, HC_ERR_STRUCTURE_INVALID },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        char *t = wt_read_text(cases[i].file, &n);
        hc_verdict vd;
        wt_verify(ts, wt_time("2021-10-01T00:00:00Z"), t, n, &vd);
        wt_expect(&vd, cases[i].valid, cases[i].code);
        hc_verdict_clear(&vd);
        free(t);
    }
    hc_trust_store_free(ts);
}

/* security.md I7: the same data re-serialised (order, white space, escapes) still verifies; one
 * changed value does not. */
static void
test_reserialised(void **state)
{
    (void)state;
    size_t n;
    char *seal = wt_read_text("vdsnc/ICAOAUQR1Contents.txt", &n);
    json_t *root = json_loadb(seal, n, 0, NULL);
    assert_non_null(root);
    hc_trust_store *ts = au_trust(true);
    hc_verdict vd;

    /* Sorted members reversed, indented, non-ASCII escaped. */
    char *other = json_dumps(root, JSON_INDENT(3) | JSON_ENSURE_ASCII);
    /* An escape the original has not: "\u0041" for the first "A" of "AUS". */
    char *p = strstr(other, "\"AUS\"");
    assert_non_null(p);
    size_t head = (size_t)(p - other) + 1;
    char *esc = malloc(strlen(other) + 8);
    memcpy(esc, other, head);
    strcpy(esc + head, "\\u0041");
    strcat(esc, p + 2);
    wt_verify(ts, wt_time("2021-10-01T00:00:00Z"), esc, strlen(esc), &vd);
    wt_expect(&vd, true, HC_OK);
    hc_verdict_clear(&vd);

    json_object_set_new(
        json_object_get(json_object_get(json_object_get(root, "data"), "msg"), "pid"), "dob",
        json_string("1961-05-16"));
    char *changed = json_dumps(root, JSON_COMPACT);
    wt_verify(ts, wt_time("2021-10-01T00:00:00Z"), changed, strlen(changed), &vd);
    wt_expect(&vd, false, HC_ERR_SIGNATURE_INVALID);
    hc_verdict_clear(&vd);

    free(changed);
    free(esc);
    free(other);
    json_decref(root);
    hc_trust_store_free(ts);
    free(seal);
}

/* ---- a PKI of our own ---- */

static int64_t now_ms;
static EVP_PKEY *csca_key, *signer_key, *other_csca_key, *rogue_key;
static X509 *csca, *signer, *other_csca;

static int
setup(void **state)
{
    (void)state;
    now_ms = hc_time_now();
    csca_key = wt_ec_key("P-256");
    signer_key = wt_ec_key("P-256");
    other_csca_key = wt_ec_key("P-256");
    rogue_key = wt_ec_key("P-256");
    csca = wt_cert("AU", "Test CSCA", true, csca_key, NULL, NULL, now_ms - 365 * WT_DAY_MS,
                   now_ms + 3650 * WT_DAY_MS, NULL);
    signer = wt_cert("AU", "Test barcode signer", false, signer_key, csca, csca_key,
                     now_ms - 30 * WT_DAY_MS, now_ms + 365 * WT_DAY_MS, vds_eku);
    other_csca = wt_cert("FR", "Other CSCA", true, other_csca_key, NULL, NULL,
                         now_ms - 365 * WT_DAY_MS, now_ms + 3650 * WT_DAY_MS, NULL);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    X509_free(csca);
    X509_free(signer);
    X509_free(other_csca);
    EVP_PKEY_free(csca_key);
    EVP_PKEY_free(signer_key);
    EVP_PKEY_free(other_csca_key);
    EVP_PKEY_free(rogue_key);
    return 0;
}

static json_t *
vacc_data(const char *state)
{
    return json_pack("{s:{s:s, s:i, s:s}, s:{s:s, s:{s:s, s:s, s:s}, s:[{s:s, s:s, s:s, "
                     "s:[{s:s, s:i, s:s, s:s, s:s}]}]}}",
                     "hdr", "t", "icao.vacc", "v", 1, "is", state, "msg", "uvci", "U32870", "pid",
                     "n", "MUELLER  ZOE", "dob", "1980-02-29", "i", "PA1234567", "ve", "des",
                     "XM0GQ8", "nam", "Comirnaty", "dis", "RA01.0", "vd", "dvc", "2021-06-01",
                     "seq", 1, "ctr", "AUS", "adm", "General Practitioner", "lot", "FJ5929");
}

static json_t *
test_data(void)
{
    return json_pack("{s:{s:s, s:i, s:s}, s:{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s}, "
                     "s:{s:s, s:s, s:s}}}",
                     "hdr", "t", "icao.test", "v", 1, "is", "AUS", "msg", "utci", "U01932", "pid",
                     "n", "MUELLER  ZOE", "dob", "1980-02-29", "sp", "spn", "ABC General Hospital",
                     "ctr", "AUS", "dat", "sc", "2021-02-15T12:00:00+08:00", "tr", "tc",
                     "molecular(PCR)", "r", "negative", "m", "nasopharyngeal");
}

static char *
issue(const json_t *data, X509 *cert, EVP_PKEY *key)
{
    char *seal = NULL, msg[200] = "";
    hc_err e = hc_vdsnc_issue(data, cert, key, now_ms, &seal, msg, sizeof msg);
    if (e != HC_OK) {
        fail_msg("issue: %s (%s)", hc_err_code(e), msg);
    }
    return seal;
}

static hc_trust_store *
csca_trust(void)
{
    hc_trust_store *ts = hc_trust_store_new();
    wt_trust_cert(ts, csca);
    return ts;
}

static void
expect_seal(const hc_trust_store *ts, const char *seal, bool valid, hc_err code)
{
    hc_verdict vd;
    wt_verify(ts, now_ms, seal, strlen(seal), &vd);
    wt_expect(&vd, valid, code);
    hc_verdict_clear(&vd);
}

/* Replaces sig.<member> of a seal with value (new text). */
static char *
with_sig(const char *seal, const char *member, const char *value)
{
    json_t *root = json_loads(seal, 0, NULL);
    json_object_set_new(json_object_get(root, "sig"), member, json_string(value));
    char *out = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return out;
}

static void
test_round_trips(void **state)
{
    (void)state;
    hc_trust_store *ts = csca_trust();
    json_t *v = vacc_data("AUS"), *t = test_data();
    char *s1 = issue(v, signer, signer_key), *s2 = issue(t, signer, signer_key);
    expect_seal(ts, s1, true, HC_OK);
    expect_seal(ts, s2, true, HC_OK);

    /* The seal is written in canonical form: issuing twice gives a parseable seal whose data is
     * the input. */
    json_t *root = json_loads(s1, 0, NULL);
    assert_true(json_equal(json_object_get(root, "data"), v));
    json_decref(root);

    /* P-384 and P-521 signers sign ES384 / ES512 seals. */
    static const char *const curves[] = { "P-384", "P-521" };
    static const char *const algs[] = { "ES384", "ES512" };
    for (size_t i = 0; i < 2; i++) {
        EVP_PKEY *k = wt_ec_key(curves[i]);
        X509 *c = wt_cert("AU", "Signer", false, k, csca, csca_key, now_ms - WT_DAY_MS,
                          now_ms + 30 * WT_DAY_MS, vds_eku);
        char *s = issue(v, c, k);
        root = json_loads(s, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(json_object_get(root, "sig"), "alg")),
                            algs[i]);
        json_decref(root);
        expect_seal(ts, s, true, HC_OK);
        free(s);
        X509_free(c);
        EVP_PKEY_free(k);
    }
    free(s1);
    free(s2);
    json_decref(v);
    json_decref(t);
    hc_trust_store_free(ts);
}

/* A CRL of the CSCA that lists the signer: REVOKED; one listing others: fine; a CRL that the
 * CSCA did not sign: not believed (KEY_NOT_TRUSTED). */
static void
test_crl(void **state)
{
    (void)state;
    json_t *v = vacc_data("AUS");
    char *seal = issue(v, signer, signer_key);
    hc_trust_store *ts = csca_trust();
    X509 *bystander = wt_cert("AU", "Other signer", false, rogue_key, csca, csca_key,
                              now_ms - WT_DAY_MS, now_ms + WT_DAY_MS, vds_eku);

    X509_CRL *clean = wt_crl(csca, csca_key, &bystander, 1, now_ms);
    wt_trust_crl(ts, clean);
    hc_verdict vd;
    wt_verify(ts, now_ms, seal, strlen(seal), &vd);
    wt_expect(&vd, true, HC_OK);
    assert_int_equal(wt_check(&vd, "revocation"), 1);
    hc_verdict_clear(&vd);

    X509_CRL *revoking = wt_crl(csca, csca_key, &signer, 1, now_ms);
    wt_trust_crl(ts, revoking);
    expect_seal(ts, seal, false, HC_ERR_REVOKED);
    hc_trust_store_free(ts);

    /* A forged CRL (right issuer name, wrong key) listing nothing. */
    ts = csca_trust();
    X509_CRL *forged = wt_crl(csca, rogue_key, NULL, 0, now_ms);
    wt_trust_crl(ts, forged);
    expect_seal(ts, seal, false, HC_ERR_KEY_NOT_TRUSTED);
    hc_trust_store_free(ts);

    /* A PEM CRL is trust material too. */
    ts = csca_trust();
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_CRL(b, revoking);
    char *pem = NULL;
    long pl = BIO_get_mem_data(b, &pem);
    char *text = strndup(pem, (size_t)pl);
    wt_trust_text(ts, text);
    expect_seal(ts, seal, false, HC_ERR_REVOKED);
    free(text);
    BIO_free(b);
    hc_trust_store_free(ts);

    X509_CRL_free(clean);
    X509_CRL_free(revoking);
    X509_CRL_free(forged);
    X509_free(bystander);
    free(seal);
    json_decref(v);
}

/* security.md I5, I6, F-cases for the embedded certificate. */
static void
test_signer_certificates(void **state)
{
    (void)state;
    hc_trust_store *ts = csca_trust();
    json_t *v = vacc_data("AUS");

    /* I5: a self-signed signer. */
    X509 *self = wt_cert("AU", "Self", false, rogue_key, NULL, NULL, now_ms - WT_DAY_MS,
                         now_ms + WT_DAY_MS, vds_eku);
    char *s = issue(v, self, rogue_key);
    expect_seal(ts, s, false, HC_ERR_KEY_NOT_TRUSTED);
    free(s);
    X509_free(self);

    /* I6: a signer of another country's CSCA, both trusted: the seal says AUS. */
    hc_trust_store *both = csca_trust();
    wt_trust_cert(both, other_csca);
    X509 *fr = wt_cert("FR", "FR signer", false, rogue_key, other_csca, other_csca_key,
                       now_ms - WT_DAY_MS, now_ms + WT_DAY_MS, vds_eku);
    s = issue(v, fr, rogue_key);
    expect_seal(both, s, false, HC_ERR_ISSUER_MISMATCH);
    expect_seal(ts, s, false, HC_ERR_KEY_NOT_TRUSTED); /* FR's CSCA not trusted at all */
    free(s);
    X509_free(fr);
    hc_trust_store_free(both);

    /* A signer whose extended key usage is for something else. */
    X509 *mail = wt_cert("AU", "Mail", false, rogue_key, csca, csca_key, now_ms - WT_DAY_MS,
                         now_ms + WT_DAY_MS, other_eku);
    s = issue(v, mail, rogue_key);
    expect_seal(ts, s, false, HC_ERR_KEY_USAGE_MISMATCH);
    free(s);
    X509_free(mail);

    /* A signer without any extended key usage may sign (as DSCs, HCERT A.4). */
    X509 *plain = wt_cert("AU", "Plain", false, rogue_key, csca, csca_key, now_ms - WT_DAY_MS,
                          now_ms + WT_DAY_MS, NULL);
    s = issue(v, plain, rogue_key);
    expect_seal(ts, s, true, HC_OK);
    free(s);
    X509_free(plain);

    /* A signer that has expired, and one not yet valid (verified at now). */
    X509 *old = wt_cert("AU", "Old", false, rogue_key, csca, csca_key, now_ms - 10 * WT_DAY_MS,
                        now_ms + WT_DAY_MS, vds_eku);
    s = issue(v, old, rogue_key);
    hc_verdict vd;
    wt_verify(ts, now_ms + 2 * WT_DAY_MS, s, strlen(s), &vd);
    wt_expect(&vd, false, HC_ERR_KEY_EXPIRED);
    hc_verdict_clear(&vd);
    wt_verify(ts, now_ms - 20 * WT_DAY_MS, s, strlen(s), &vd);
    wt_expect(&vd, false, HC_ERR_KEY_NOT_YET_VALID);
    hc_verdict_clear(&vd);
    free(s);
    X509_free(old);

    /* The signer pinned directly, without its CSCA. */
    hc_trust_store *pin = hc_trust_store_new();
    wt_trust_cert(pin, signer);
    s = issue(v, signer, signer_key);
    expect_seal(pin, s, true, HC_OK);
    hc_trust_store_free(pin);
    free(s);

    json_decref(v);
    hc_trust_store_free(ts);
}

/* security.md I8 and the signature encodings. */
static void
test_signatures(void **state)
{
    (void)state;
    hc_trust_store *ts = csca_trust();
    json_t *v = vacc_data("AUS");
    char *seal = issue(v, signer, signer_key);
    json_t *root = json_loads(seal, 0, NULL);
    const char *sigvl = json_string_value(json_object_get(json_object_get(root, "sig"), "sigvl"));
    char *s;

    /* I8: ES384 claimed for a P-256 key. */
    s = with_sig(seal, "alg", "ES384");
    expect_seal(ts, s, false, HC_ERR_ALG_UNSUPPORTED);
    free(s);
    /* An algorithm VDS-NC does not allow. */
    s = with_sig(seal, "alg", "HS256");
    expect_seal(ts, s, false, HC_ERR_ALG_UNSUPPORTED);
    free(s);
    /* "=" padding is tolerated (the Australian seals carry it). */
    char padded[256];
    snprintf(padded, sizeof padded, "%s==", sigvl);
    s = with_sig(seal, "sigvl", padded);
    expect_seal(ts, s, true, HC_OK);
    free(s);
    /* The standard base64 alphabet is not base64url. */
    char std[256];
    snprintf(std, sizeof std, "%s", sigvl);
    bool changed = false;
    for (char *p = std; *p; p++) {
        if (*p == '-' || *p == '_') {
            *p = *p == '-' ? '+' : '/';
            changed = true;
        }
    }
    if (changed) {
        s = with_sig(seal, "sigvl", std);
        expect_seal(ts, s, false, HC_ERR_ENCODING_INVALID);
        free(s);
    }
    /* A DER signature (as the legacy Path-Check seals carry) is not a raw r||s. */
    uint8_t raw[64], der[80];
    size_t rl = 0, dl = 0;
    assert_int_equal(hc_base64_decode(sigvl, strlen(sigvl), true, raw, sizeof raw, &rl), HC_OK);
    assert_int_equal(hc_sig_raw_to_der(raw, rl, der, sizeof der, &dl), HC_OK);
    char der64[128];
    size_t n;
    assert_int_equal(hc_base64_encode(der, dl, true, der64, sizeof der64, &n), HC_OK);
    s = with_sig(seal, "sigvl", der64);
    expect_seal(ts, s, false, HC_ERR_SIGNATURE_INVALID);
    free(s);

    /* A signature over a non-canonical text of the same data (members in insertion order, white
     * space), as JSON.stringify would give: not the signing input. */
    json_t *data = json_object_get(root, "data");
    char *loose = json_dumps(data, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    uint8_t sig[132];
    size_t sl = 0;
    assert_int_equal(hc_sig_sign(signer_key, HC_SIG_ES256, (const uint8_t *)loose, strlen(loose),
                                 sig, sizeof sig, &sl),
                     HC_OK);
    char sig64[200];
    assert_int_equal(hc_base64_encode(sig, sl, true, sig64, sizeof sig64, &n), HC_OK);
    s = with_sig(seal, "sigvl", sig64);
    expect_seal(ts, s, false, HC_ERR_SIGNATURE_INVALID);
    free(s);
    free(loose);

    /* The same signature over the canonical text verifies (the control of the case above). */
    char *jcs = NULL;
    size_t jl = 0;
    assert_int_equal(hc_jcs_serialize(data, 8192, &jcs, &jl), HC_OK);
    assert_int_equal(
        hc_sig_sign(signer_key, HC_SIG_ES256, (const uint8_t *)jcs, jl, sig, sizeof sig, &sl),
        HC_OK);
    assert_int_equal(hc_base64_encode(sig, sl, true, sig64, sizeof sig64, &n), HC_OK);
    s = with_sig(seal, "sigvl", sig64);
    expect_seal(ts, s, true, HC_OK);
    free(s);
    free(jcs);

    json_decref(root);
    free(seal);
    json_decref(v);
    hc_trust_store_free(ts);
}

/* Hostile structure: everything refused with a stable code, nothing crashes. */
static void
test_structure(void **state)
{
    (void)state;
    hc_trust_store *ts = csca_trust();
    static const struct {
        const char *text;
        hc_err code;
    } cases[] = {
        { "{", HC_ERR_STRUCTURE_INVALID },
        { "{}", HC_ERR_STRUCTURE_INVALID },
        { "{\"data\":{},\"sig\":{}}", HC_ERR_STRUCTURE_INVALID },
        { "{\"data\":{\"hdr\":{},\"msg\":{}},\"sig\":{\"alg\":\"ES256\"}}",
          HC_ERR_STRUCTURE_INVALID },
        { "{\"data\":{\"hdr\":{},\"msg\":{}},\"sig\":{\"alg\":\"ES256\",\"cer\":\"!!\","
          "\"sigvl\":\"AA\"}}",
          HC_ERR_ENCODING_INVALID },
        { "{\"data\":{\"hdr\":{},\"msg\":{}},\"sig\":{\"alg\":\"ES256\",\"cer\":\"MAA\","
          "\"sigvl\":\"AA\"}}",
          HC_ERR_STRUCTURE_INVALID },
        { "{\"data\":{\"hdr\":{},\"msg\":{}},\"data\":{},\"sig\":{}}", HC_ERR_STRUCTURE_INVALID },
        { "[1,2,3]", HC_ERR_PREFIX_UNKNOWN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_verdict vd;
        wt_verify(ts, now_ms, cases[i].text, strlen(cases[i].text), &vd);
        wt_expect(&vd, false, cases[i].code);
        hc_verdict_clear(&vd);
    }
    /* Nested 10 000 deep: refused before jansson recurses. */
    size_t depth = 10000;
    char *deep = malloc(2 * depth + 64);
    size_t o = (size_t)sprintf(deep, "{\"data\":");
    for (size_t i = 0; i < depth; i++) {
        deep[o++] = '[';
    }
    for (size_t i = 0; i < depth; i++) {
        deep[o++] = ']';
    }
    strcpy(deep + o, ",\"sig\":{}}");
    hc_verdict vd;
    wt_verify(ts, now_ms, deep, strlen(deep), &vd);
    assert_false(vd.valid);
    assert_true(vd.n_errors > 0);
    hc_verdict_clear(&vd);
    free(deep);

    /* A seal whose data breaks the model (dose 0) but is signed: SCHEMA_INVALID. */
    json_t *v = vacc_data("AUS");
    json_t *vd0 = json_array_get(
        json_object_get(json_array_get(json_object_get(json_object_get(v, "msg"), "ve"), 0), "vd"),
        0);
    json_object_set_new(vd0, "seq", json_integer(0));
    char *jcs = NULL, sig64[200], cer64[2048];
    size_t jl = 0, sl = 0, n = 0;
    uint8_t sig[132];
    assert_int_equal(hc_jcs_serialize(v, 8192, &jcs, &jl), HC_OK);
    assert_int_equal(
        hc_sig_sign(signer_key, HC_SIG_ES256, (const uint8_t *)jcs, jl, sig, sizeof sig, &sl),
        HC_OK);
    assert_int_equal(hc_base64_encode(sig, sl, true, sig64, sizeof sig64, &n), HC_OK);
    unsigned char *der = NULL;
    int derl = i2d_X509(signer, &der);
    assert_int_equal(hc_base64_encode(der, (size_t)derl, true, cer64, sizeof cer64, &n), HC_OK);
    OPENSSL_free(der);
    json_t *root = json_pack("{s:O, s:{s:s, s:s, s:s}}", "data", v, "sig", "alg", "ES256", "cer",
                             cer64, "sigvl", sig64);
    char *s = json_dumps(root, JSON_COMPACT);
    wt_verify(ts, now_ms, s, strlen(s), &vd);
    wt_expect(&vd, false, HC_ERR_SCHEMA_INVALID);
    assert_int_equal(wt_check(&vd, "signature"), 1);
    hc_verdict_clear(&vd);
    free(s);
    json_decref(root);
    free(jcs);
    json_decref(v);
    hc_trust_store_free(ts);
}

/* Issuing refuses what it must not sign. */
static void
test_issue_refusals(void **state)
{
    (void)state;
    char *seal = NULL, msg[200];
    json_t *v = vacc_data("AUS");

    json_t *bad = json_deep_copy(v);
    json_object_del(json_object_get(bad, "msg"), "uvci");
    assert_int_equal(hc_vdsnc_issue(bad, signer, signer_key, now_ms, &seal, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_non_null(strstr(msg, "uvci"));
    json_decref(bad);

    bad = json_pack("{s:{s:s}}", "hdr", "t", "icao.other");
    assert_int_equal(hc_vdsnc_issue(bad, signer, signer_key, now_ms, &seal, msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    json_decref(bad);

    /* The key is not the certificate's. */
    assert_int_equal(hc_vdsnc_issue(v, signer, rogue_key, now_ms, &seal, msg, sizeof msg),
                     HC_ERR_KEY_INVALID);
    /* RSA keys do not sign seals. */
    EVP_PKEY *rsa = hc_key_generate(HC_KEY_RSA2048);
    X509 *rc = wt_cert("AU", "RSA", false, rsa, csca, csca_key, now_ms - WT_DAY_MS,
                       now_ms + WT_DAY_MS, NULL);
    assert_int_equal(hc_vdsnc_issue(v, rc, rsa, now_ms, &seal, msg, sizeof msg),
                     HC_ERR_KEY_INVALID);
    X509_free(rc);
    EVP_PKEY_free(rsa);
    /* Outside the certificate's validity. */
    assert_int_equal(
        hc_vdsnc_issue(v, signer, signer_key, now_ms + 400 * WT_DAY_MS, &seal, msg, sizeof msg),
        HC_ERR_KEY_EXPIRED);
    assert_null(seal);
    json_decref(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_au_real_seal),        cmocka_unit_test(test_jp_real_seal),
        cmocka_unit_test(test_apo_reader_set),      cmocka_unit_test(test_reserialised),
        cmocka_unit_test(test_round_trips),         cmocka_unit_test(test_crl),
        cmocka_unit_test(test_signer_certificates), cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_structure),           cmocka_unit_test(test_issue_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
