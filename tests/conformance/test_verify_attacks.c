/*
 * test_verify_attacks.c: hostile EU DCC inputs through the public verify path, one per case of
 * shared/reference/security.md sections A-F that applies to HC1, each signed for real with test
 * keys where the case needs a valid signature. Invariants: nothing crashes, no case says VALID,
 * every case gets its stable error code (shared/CONTRACT.md).
 */
#include "testlib.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "base45.h"
#include "cbor.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "hctime.h"
#include "healthcert/healthcert.h"
#include "inflate.h"
#include "trust_store.h"
#include "x509_make.h"

#define DAY_MS (86400LL * 1000)

static EVP_PKEY *key_ec, *key_rsa, *key_ec2;
static X509 *cert_ec, *cert_rsa, *cert_test_only, *cert_alt_oid;
static EVP_PKEY *key_test_only, *key_alt_oid;
static uint8_t kid_ec[8], kid_rsa[8], kid_test_only[8], kid_alt_oid[8];
static hc_trust_store *trust;
static hc_verifier *verifier;
static int64_t now_ms;

static void
kid_of(X509 *c, uint8_t kid[8])
{
    uint8_t fp[32];
    unsigned n = 0;
    X509_digest(c, EVP_sha256(), fp, &n);
    memcpy(kid, fp, 8);
}

static X509 *
make_dsc(EVP_PKEY *key, int64_t nb, int64_t na, const char *const *eku)
{
    hc_cert_template t = { "XX", "Test DSC", "healthcert tests", nb, na, false, eku };
    X509 *c = hc_x509_make(&t, key, NULL, NULL);
    assert_non_null(c);
    return c;
}

static int
setup(void **state)
{
    (void)state;
    static const char *const test_only[] = { "1.3.6.1.4.1.1847.2021.1.1", NULL };
    static const char *const alt_vacc[] = { "1.3.6.1.4.1.0.1847.2021.1.2", NULL };
    now_ms = hc_time_now();
    key_ec = hc_key_generate(HC_KEY_P256);
    key_ec2 = hc_key_generate(HC_KEY_P256);
    key_rsa = hc_key_generate(HC_KEY_RSA2048);
    key_test_only = hc_key_generate(HC_KEY_P256);
    key_alt_oid = hc_key_generate(HC_KEY_P256);
    cert_ec = make_dsc(key_ec, now_ms - 365 * DAY_MS, now_ms + 365 * DAY_MS, NULL);
    cert_rsa = make_dsc(key_rsa, now_ms - 365 * DAY_MS, now_ms + 365 * DAY_MS, NULL);
    cert_test_only = make_dsc(key_test_only, now_ms - DAY_MS, now_ms + DAY_MS, test_only);
    cert_alt_oid = make_dsc(key_alt_oid, now_ms - DAY_MS, now_ms + DAY_MS, alt_vacc);
    kid_of(cert_ec, kid_ec);
    kid_of(cert_rsa, kid_rsa);
    kid_of(cert_test_only, kid_test_only);
    kid_of(cert_alt_oid, kid_alt_oid);
    trust = hc_trust_store_new();
    X509 *all[] = { cert_ec, cert_rsa, cert_test_only, cert_alt_oid };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(
            hc_trust_store_add_x509(trust, X509_dup(all[i]), "XX", "DSC", "test", NULL, 0), HC_OK);
    }
    hc_verify_options opt = { 0 };
    opt.trust = trust;
    verifier = hc_verifier_new(&opt);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    hc_verifier_free(verifier);
    hc_trust_store_free(trust);
    X509 *all[] = { cert_ec, cert_rsa, cert_test_only, cert_alt_oid };
    for (size_t i = 0; i < 4; i++) {
        X509_free(all[i]);
    }
    EVP_PKEY *keys[] = { key_ec, key_ec2, key_rsa, key_test_only, key_alt_oid };
    for (size_t i = 0; i < 5; i++) {
        EVP_PKEY_free(keys[i]);
    }
    return 0;
}

static json_t *
vaccination(void)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
                     "s:s, s:s, s:s}]}",
                     "ver", "1.3.0", "nam", "fn", "Müller", "gn", "Zoë", "fnt", "MUELLER", "gnt",
                     "ZOE", "dob", "1980-02-29", "v", "tg", "840539006", "vp", "1119349007", "mp",
                     "EU/1/20/1528", "ma", "ORG-100030215", "dn", 2, "sd", 2, "dt", "2021-06-01",
                     "co", "XX", "is", "Ministry of Health", "ci", "URN:UVCI:01:XX:ABC123#Z");
}

/* The CWT for a DCC with iat/exp relative to now (seconds). */
static size_t
cwt(const json_t *dcc, int64_t iat_off, int64_t exp_off, uint8_t *out, size_t cap)
{
    hc_eu_dcc_claims cl = { "XX", now_ms / 1000 + iat_off, now_ms / 1000 + exp_off };
    size_t n = 0;
    assert_int_equal(hc_eu_dcc_encode_cwt(dcc, &cl, out, cap, &n), HC_OK);
    return n;
}

/* Builds a COSE_Sign1 from raw parts; signs with key/alg unless sig is given. */
static size_t
cose(const uint8_t *tags_prefix, size_t tags_len, const uint8_t *prot, size_t prot_len,
     const uint8_t *unprot, size_t unprot_len, const uint8_t *payload, size_t payload_len,
     EVP_PKEY *key, hc_sig_alg alg, const uint8_t *sig_in, size_t sig_in_len, uint8_t *out,
     size_t cap)
{
    uint8_t tbs[8192], sig[512];
    size_t tbs_len = 0, sig_len = 0, n = 0;
    if (sig_in == NULL) {
        assert_int_equal(
            hc_cose_sign1_tbs(prot, prot_len, payload, payload_len, tbs, sizeof tbs, &tbs_len),
            HC_OK);
        assert_int_equal(hc_sig_sign(key, alg, tbs, tbs_len, sig, sizeof sig, &sig_len), HC_OK);
        sig_in = sig;
        sig_in_len = sig_len;
    }
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, out, cap);
    hc_cbor_put_raw(&w, tags_prefix, tags_len);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_bytes(&w, prot, prot_len);
    hc_cbor_put_raw(&w, unprot, unprot_len);
    hc_cbor_put_bytes(&w, payload, payload_len);
    hc_cbor_put_bytes(&w, sig_in, sig_in_len);
    assert_int_equal(hc_cbor_writer_finish(&w, &n), HC_OK);
    return n;
}

/* Protected header {1: alg, 4: kid}. */
static size_t
prot_header(int64_t alg, const uint8_t *kid, size_t kid_len, uint8_t *out)
{
    hc_cbor_writer w;
    size_t n = 0;
    hc_cbor_writer_init(&w, out, 64);
    hc_cbor_put_map(&w, kid ? 2 : 1);
    hc_cbor_put_int(&w, 1);
    hc_cbor_put_int(&w, alg);
    if (kid) {
        hc_cbor_put_int(&w, 4);
        hc_cbor_put_bytes(&w, kid, kid_len);
    }
    hc_cbor_writer_finish(&w, &n);
    return n;
}

static const uint8_t tag18[] = { 0xd2 };
static const uint8_t empty_map[] = { 0xa0 };

static char text_buf[65536];

static const char *
wrap(const uint8_t *c, size_t len)
{
    size_t n = 0;
    assert_int_equal(hc_hc1_wrap(c, len, text_buf, sizeof text_buf, &n), HC_OK);
    return text_buf;
}

/* A normally signed HC1 for a DCC: ES256 with key_ec, kid in the protected header. */
static const char *
signed_code(const json_t *dcc, int64_t iat_off, int64_t exp_off, EVP_PKEY *key, hc_sig_alg alg,
            const uint8_t *kid)
{
    uint8_t payload[4096], prot[64], c[8192];
    size_t pl = cwt(dcc, iat_off, exp_off, payload, sizeof payload);
    size_t hl = prot_header(alg == HC_SIG_ES256 ? -7 : -37, kid, 8, prot);
    size_t cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key, alg, NULL, 0, c, sizeof c);
    return wrap(c, cl);
}

/* Verifies text; asserts not VALID and, when code != HC_OK, that code is among the errors. */
static void
expect(const char *text, size_t len, hc_err code)
{
    hc_verdict vd;
    assert_int_equal(hc_verify(verifier, (const uint8_t *)text, len, &vd), HC_OK);
    if (code == HC_OK) {
        if (!vd.valid) {
            fail_msg("expected VALID, got %s: %s", hc_err_code(hc_verdict_first_error(&vd)),
                     vd.n_errors ? vd.errors[0].message : "");
        }
    } else {
        assert_false(vd.valid);
        bool found = false;
        for (size_t i = 0; i < vd.n_errors; i++) {
            found |= vd.errors[i].code == code;
        }
        if (!found) {
            fail_msg("expected %s, got %s (%s)", hc_err_code(code),
                     hc_err_code(hc_verdict_first_error(&vd)),
                     vd.n_errors ? vd.errors[0].message : "no error");
        }
    }
    hc_verdict_clear(&vd);
}

static void
expect_text(const char *text, hc_err code)
{
    expect(text, strlen(text), code);
}

static void
test_baseline_valid(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    expect_text(signed_code(dcc, -3600, 86400, key_ec, HC_SIG_ES256, kid_ec), HC_OK);
    expect_text(signed_code(dcc, -3600, 86400, key_rsa, HC_SIG_PS256, kid_rsa), HC_OK);
    json_decref(dcc);
}

/* A: prefix, Base45, size. */
static void
test_transport(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    char *good = strdup(signed_code(dcc, -3600, 86400, key_ec, HC_SIG_ES256, kid_ec));
    char buf[8192];
    expect_text(good + 4, HC_ERR_PREFIX_UNKNOWN); /* A1: no prefix */
    const char *prefixes[] = { "HL0:", "HC2:", "hc1:", "HC1", "HC1 :" };
    for (size_t i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "%s%s", prefixes[i], good + 4);
        expect_text(buf, i == 3 || i == 4 ? HC_ERR_PREFIX_UNKNOWN : HC_ERR_PREFIX_UNKNOWN);
    }
    snprintf(buf, sizeof buf, "%s", good);
    buf[10] = 'a'; /* A4: lowercase is outside the alphabet */
    expect_text(buf, HC_ERR_ENCODING_INVALID);
    snprintf(buf, sizeof buf, "HC1:GGW%s", good + 4); /* A5 */
    expect_text(buf, HC_ERR_ENCODING_INVALID);
    snprintf(buf, sizeof buf, "HC1::::%s", good + 4); /* A6 */
    expect_text(buf, HC_ERR_ENCODING_INVALID);
    snprintf(buf, sizeof buf, "%sA", good); /* A8: length = 1 mod 3 somewhere */
    size_t l = strlen(good + 4), cut = 4 + l - (l % 3) + 1;
    /* The dangling character made an 'A': a SPACE there (one code in 45) would be trailing white
     * space, which is ignored (CONTRACT.md), leaving a whole number of groups. */
    buf[cut - 1] = 'A';
    buf[cut] = 0;
    assert_int_equal(strlen(buf + 4) % 3, 1);
    expect_text(buf, HC_ERR_ENCODING_INVALID);
    expect_text("HC1:", HC_ERR_DECOMPRESS_FAILED); /* A9: empty body decodes to nothing */
    snprintf(buf, sizeof buf, "%s", good);
    buf[20] = (char)0xc3; /* A10 */
    expect_text(buf, HC_ERR_ENCODING_INVALID);
    /* A11: 1 MiB before any decoding. */
    size_t big = 1 << 20;
    char *huge = malloc(big + 1);
    memcpy(huge, "HC1:", 4);
    memset(huge + 4, 'A', big - 4);
    huge[big] = 0;
    expect(huge, big, HC_ERR_INPUT_TOO_LARGE);
    huge[8000] = 0; /* above the QR bound but below the input bound */
    expect(huge, 9000 < big ? 9000 : big, HC_ERR_INPUT_TOO_LARGE);
    free(huge);
    free(good);
    json_decref(dcc);
}

static const char *
b45_of(const uint8_t *z, size_t zl)
{
    size_t n = 0;
    memcpy(text_buf, "HC1:", 4);
    assert_int_equal(hc_base45_encode(z, zl, text_buf + 4, sizeof text_buf - 4, &n), HC_OK);
    return text_buf;
}

/* B: zlib. */
static void
test_compression(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    uint8_t payload[4096], prot[64], c[8192], z[16384];
    size_t pl = cwt(dcc, -3600, 86400, payload, sizeof payload);
    size_t hl = prot_header(-7, kid_ec, 8, prot);
    size_t cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0,
                     c, sizeof c);
    size_t zl = 0;
    expect_text(b45_of(c, cl), HC_ERR_DECOMPRESS_FAILED); /* B1: not compressed */
    assert_int_equal(hc_deflate(HC_DEFLATE_ZLIB, c, cl, z, sizeof z, &zl), HC_OK);
    z[zl / 2] ^= 0x55; /* B2: corrupted block */
    expect_text(b45_of(z, zl), HC_ERR_DECOMPRESS_FAILED);
    assert_int_equal(hc_deflate(HC_DEFLATE_ZLIB, c, cl, z, sizeof z, &zl), HC_OK);
    z[zl - 1] ^= 1; /* B3: Adler-32 */
    expect_text(b45_of(z, zl), HC_ERR_DECOMPRESS_FAILED);
    z[zl - 1] ^= 1;
    z[zl] = 0; /* B5: trailing garbage */
    expect_text(b45_of(z, zl + 1), HC_ERR_DECOMPRESS_FAILED);
    expect_text(b45_of(z, zl - 3), HC_ERR_DECOMPRESS_FAILED); /* B7: truncated */
    assert_int_equal(hc_deflate(HC_DEFLATE_RAW, c, cl, z, sizeof z, &zl), HC_OK);
    expect_text(b45_of(z, zl), HC_ERR_DECOMPRESS_FAILED); /* B8: raw DEFLATE */
    /* B6: a bomb: 8 MiB of zeros compresses to ~8 KiB (under the QR bound). */
    size_t big = 8 << 20;
    uint8_t *zeros = calloc(1, big), *bomb = malloc(hc_deflate_bound(big));
    assert_int_equal(hc_deflate(HC_DEFLATE_ZLIB, zeros, big, bomb, hc_deflate_bound(big), &zl),
                     HC_OK);
    size_t n = 0;
    char *t = malloc(zl * 2 + 16);
    memcpy(t, "HC1:", 4);
    assert_int_equal(hc_base45_encode(bomb, zl, t + 4, zl * 2 + 8, &n), HC_OK);
    expect(t, n + 4, n + 4 > 8192 ? HC_ERR_INPUT_TOO_LARGE : HC_ERR_DECOMPRESS_FAILED);
    /* A bomb that fits the QR bound: 2 MiB of zeros (~2 KiB compressed, ~3 KiB Base45). */
    assert_int_equal(hc_deflate(HC_DEFLATE_ZLIB, zeros, 2 << 20, bomb, hc_deflate_bound(big), &zl),
                     HC_OK);
    assert_int_equal(hc_base45_encode(bomb, zl, t + 4, zl * 2 + 8, &n), HC_OK);
    assert_true(n + 4 <= 8192);
    expect(t, n + 4, HC_ERR_DECOMPRESS_FAILED);
    free(t);
    free(zeros);
    free(bomb);
    json_decref(dcc);
}

static const char *
zwrap(const uint8_t *c, size_t len)
{
    return wrap(c, len);
}

/* C: CBOR inside a valid zlib stream. */
static void
test_cbor(void **state)
{
    (void)state;
    /* C4: 60,000 nested arrays (inflates to < 64 KiB). */
    size_t n = 60000;
    uint8_t *deep = malloc(n);
    memset(deep, 0x81, n);
    deep[n - 1] = 0x00;
    expect_text(zwrap(deep, n), HC_ERR_STRUCTURE_INVALID);
    free(deep);
    /* C2: a byte string declaring 2^64-1 bytes; C3: an array declaring 2^63 items. */
    const uint8_t huge_bstr[] = { 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3 };
    expect_text(zwrap(huge_bstr, sizeof huge_bstr), HC_ERR_STRUCTURE_INVALID);
    const uint8_t huge_arr[] = { 0x9b, 0x80, 0, 0, 0, 0, 0, 0, 0, 0 };
    expect_text(zwrap(huge_arr, sizeof huge_arr), HC_ERR_STRUCTURE_INVALID);
    const uint8_t huge_map[] = { 0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    expect_text(zwrap(huge_map, sizeof huge_map), HC_ERR_STRUCTURE_INVALID);
    /* C5: indefinite array never closed; stray break. */
    const uint8_t open_arr[] = { 0x9f, 0x01, 0x02 };
    expect_text(zwrap(open_arr, sizeof open_arr), HC_ERR_STRUCTURE_INVALID);
    const uint8_t stray[] = { 0xff };
    expect_text(zwrap(stray, sizeof stray), HC_ERR_STRUCTURE_INVALID);
    /* C10: reserved additional information. */
    const uint8_t reserved[] = { 0x1c };
    expect_text(zwrap(reserved, sizeof reserved), HC_ERR_STRUCTURE_INVALID);

    /* C7: a duplicated exp claim (one past, one future), validly signed. */
    uint8_t payload[4096], prot[64], c[8192];
    hc_cbor_writer w;
    size_t pl = 0;
    json_t *dcc = vaccination();
    hc_cbor_writer_init(&w, payload, sizeof payload);
    hc_cbor_put_map(&w, 4);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_int(&w, now_ms / 1000 - 10);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_int(&w, now_ms / 1000 + 86400);
    hc_cbor_put_int(&w, 6);
    hc_cbor_put_int(&w, now_ms / 1000 - 3600);
    hc_cbor_put_int(&w, -260);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, 1);
    hc_cbor_encode_json(&w, dcc);
    assert_int_equal(hc_cbor_writer_finish(&w, &pl), HC_OK);
    size_t hl = prot_header(-7, kid_ec, 8, prot);
    size_t cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0,
                     c, sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    /* C14: bytes after the COSE message. */
    pl = cwt(dcc, -3600, 86400, payload, sizeof payload);
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    c[cl] = 0x00;
    expect_text(zwrap(c, cl + 1), HC_ERR_STRUCTURE_INVALID);
    /* C16-like: undefined inside the DCC (validly signed) fails the schema. */
    json_object_set_new(dcc, "dob", json_null());
    pl = cwt(dcc, -3600, 86400, payload, sizeof payload);
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SCHEMA_INVALID);
    json_decref(dcc);
}

/* D: COSE structure and cryptography. */
static void
test_cose(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    uint8_t payload[4096], prot[64], c[8192];
    size_t pl = cwt(dcc, -3600, 86400, payload, sizeof payload);
    size_t hl = prot_header(-7, kid_ec, 8, prot);
    size_t cl;

    /* D1-D3: untagged, 61(18(...)), 61([...]) are fine. */
    cl = cose(NULL, 0, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    const uint8_t t61_18[] = { 0xd8, 0x3d, 0xd2 };
    cl = cose(t61_18, 3, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    const uint8_t t61[] = { 0xd8, 0x3d };
    cl = cose(t61, 2, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    /* D4 / C17: COSE_Sign (98), 18(61(...)), 16, 17, five nested tags. */
    const uint8_t *bad_tags[] = { (const uint8_t *)"\xd8\x62", (const uint8_t *)"\xd2\xd8\x3d",
                                  (const uint8_t *)"\xd0", (const uint8_t *)"\xd1",
                                  (const uint8_t *)"\xd8\x3d\xd2\xd8\x3d\xd2\xd2" };
    const size_t bad_tag_len[] = { 2, 3, 1, 1, 7 };
    for (size_t i = 0; i < 5; i++) {
        cl = cose(bad_tags[i], bad_tag_len[i], prot, hl, empty_map, 1, payload, pl, key_ec,
                  HC_SIG_ES256, NULL, 0, c, sizeof c);
        expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    }
    /* D5: arrays of 3 and 5 elements. */
    hc_cbor_writer w;
    size_t n = 0;
    hc_cbor_writer_init(&w, c, sizeof c);
    hc_cbor_put_tag(&w, 18);
    hc_cbor_put_array(&w, 3);
    hc_cbor_put_bytes(&w, prot, hl);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_bytes(&w, payload, pl);
    hc_cbor_writer_finish(&w, &n);
    expect_text(zwrap(c, n), HC_ERR_STRUCTURE_INVALID);
    /* D6: protected header as a raw map instead of a bstr. */
    hc_cbor_writer_init(&w, c, sizeof c);
    hc_cbor_put_tag(&w, 18);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_raw(&w, prot, hl);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_bytes(&w, payload, pl);
    hc_cbor_put_bytes(&w,
                      (const uint8_t *)"0123456789012345678901234567890123456789012345678901"
                                       "234567890123",
                      64);
    hc_cbor_writer_finish(&w, &n);
    expect_text(zwrap(c, n), HC_ERR_STRUCTURE_INVALID);
    /* D7: protected bstr holding an array; D8: unprotected as an array. */
    const uint8_t arr_hdr[] = { 0x82, 0x01, 0x26 };
    cl = cose(tag18, 1, arr_hdr, 3, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    const uint8_t arr_unprot[] = { 0x80 };
    cl = cose(tag18, 1, prot, hl, arr_unprot, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    /* D10: detached payload (nil). */
    hc_cbor_writer_init(&w, c, sizeof c);
    hc_cbor_put_tag(&w, 18);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_bytes(&w, prot, hl);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_null(&w);
    hc_cbor_put_bytes(&w, prot, 8);
    hc_cbor_writer_finish(&w, &n);
    expect_text(zwrap(c, n), HC_ERR_STRUCTURE_INVALID);
    /* D11: payload that is not a map. */
    const uint8_t not_map[] = { 0x82, 0x01, 0x02 };
    cl = cose(tag18, 1, prot, hl, empty_map, 1, not_map, 3, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    /* D12: alg only in the unprotected bucket: accepted (dgc-testdata CO20 expects VALID), safe
     * because the algorithm must fit the trusted key; a wrong unprotected alg fails. */
    uint8_t kid_only[32], unprot_alg[8] = { 0xa1, 0x01, 0x26 };
    hc_cbor_writer_init(&w, kid_only, sizeof kid_only);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_bytes(&w, kid_ec, 8);
    hc_cbor_writer_finish(&w, &n);
    cl = cose(tag18, 1, kid_only, n, unprot_alg, 3, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    unprot_alg[2] = 0x38; /* -37: PS256 asked for an EC key */
    unprot_alg[3] = 0x24;
    cl = cose(tag18, 1, kid_only, n, unprot_alg, 4, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_ALG_UNSUPPORTED);
    /* D13: other algorithms (EdDSA -8, PS384 -38, RS256 -257, HS256 5, 0). */
    const int64_t algs[] = { -8, -35, -36, -38, -257, 5, 0 };
    for (size_t i = 0; i < 7; i++) {
        uint8_t p2[64];
        size_t l2 = prot_header(algs[i], kid_ec, 8, p2);
        cl = cose(tag18, 1, p2, l2, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
                  sizeof c);
        expect_text(zwrap(c, cl), HC_ERR_ALG_UNSUPPORTED);
    }
    /* D14: ES256 header with the RSA DSC's kid (alg/key mismatch), PS256 with the EC one. */
    uint8_t p3[64];
    size_t l3 = prot_header(-7, kid_rsa, 8, p3);
    cl = cose(tag18, 1, p3, l3, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_ALG_UNSUPPORTED);
    l3 = prot_header(-37, kid_ec, 8, p3);
    cl = cose(tag18, 1, p3, l3, empty_map, 1, payload, pl, key_rsa, HC_SIG_PS256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_ALG_UNSUPPORTED);
    /* D15: crit with an unknown label; crit in the unprotected bucket. */
    uint8_t pc[64];
    hc_cbor_writer_init(&w, pc, sizeof pc);
    hc_cbor_put_map(&w, 3);
    hc_cbor_put_int(&w, 1);
    hc_cbor_put_int(&w, -7);
    hc_cbor_put_int(&w, 2);
    hc_cbor_put_array(&w, 1);
    hc_cbor_put_int(&w, 99);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_bytes(&w, kid_ec, 8);
    hc_cbor_writer_finish(&w, &n);
    cl = cose(tag18, 1, pc, n, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    const uint8_t crit_unprot[] = { 0xa1, 0x02, 0x81, 0x01 };
    cl = cose(tag18, 1, prot, hl, crit_unprot, 4, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    json_decref(dcc);
}

/* D16-D28: kid placement and signatures. */
static void
test_kid_and_signature(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    uint8_t payload[4096], prot[64], c[8192], unprot[32];
    size_t pl = cwt(dcc, -3600, 86400, payload, sizeof payload);
    size_t hl, cl, ul = 0;
    hc_cbor_writer w;
    uint8_t wrong_kid[8];
    memcpy(wrong_kid, kid_ec, 8);
    wrong_kid[0] ^= 0xff;

    /* D16: kid in both buckets, protected right: VALID. */
    hl = prot_header(-7, kid_ec, 8, prot);
    hc_cbor_writer_init(&w, unprot, sizeof unprot);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_bytes(&w, wrong_kid, 8);
    hc_cbor_writer_finish(&w, &ul);
    cl = cose(tag18, 1, prot, hl, unprot, ul, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    /* protected wrong, unprotected right: the protected one is used, no key. */
    hl = prot_header(-7, wrong_kid, 8, prot);
    hc_cbor_writer_init(&w, unprot, sizeof unprot);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_bytes(&w, kid_ec, 8);
    hc_cbor_writer_finish(&w, &ul);
    cl = cose(tag18, 1, prot, hl, unprot, ul, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_KEY_NOT_TRUSTED);
    /* only unprotected, right: VALID; only unprotected, wrong: no key. */
    hl = prot_header(-7, NULL, 0, prot);
    cl = cose(tag18, 1, prot, hl, unprot, ul, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    /* D17: kid of 3, 7, 9 and 0 bytes; missing kid. */
    const size_t kid_lens[] = { 3, 7, 9, 0 };
    uint8_t long_kid[16] = { 0 };
    memcpy(long_kid, kid_ec, 8); /* the 9-byte kid is the real one plus a byte */
    for (size_t i = 0; i < 4; i++) {
        hl = prot_header(-7, long_kid, kid_lens[i], prot);
        cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
                  sizeof c);
        expect_text(zwrap(c, cl), HC_ERR_KEY_NOT_TRUSTED);
    }
    hl = prot_header(-7, NULL, 0, prot);
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_KID_MISSING);
    /* D18: kid as text. */
    uint8_t ptext[64];
    size_t ptl = 0;
    hc_cbor_writer_init(&w, ptext, sizeof ptext);
    hc_cbor_put_map(&w, 2);
    hc_cbor_put_int(&w, 1);
    hc_cbor_put_int(&w, -7);
    hc_cbor_put_int(&w, 4);
    hc_cbor_put_text(&w, "12345678", 8);
    hc_cbor_writer_finish(&w, &ptl);
    cl = cose(tag18, 1, ptext, ptl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);

    hl = prot_header(-7, kid_ec, 8, prot);
    /* D22: r = s = 0. */
    uint8_t zeros[64] = { 0 };
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, zeros, 64, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    /* D21: a DER signature; D27: truncated and extended signatures. */
    uint8_t tbs[8192], raw[64], der[80];
    size_t tl = 0, rl = 0, dl = 0;
    hc_cose_sign1_tbs(prot, hl, payload, pl, tbs, sizeof tbs, &tl);
    assert_int_equal(hc_sig_sign(key_ec, HC_SIG_ES256, tbs, tl, raw, sizeof raw, &rl), HC_OK);
    assert_int_equal(hc_sig_raw_to_der(raw, rl, der, sizeof der, &dl), HC_OK);
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, der, dl, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, raw, 63, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    uint8_t raw65[65];
    memcpy(raw65, raw, 64);
    raw65[64] = 0;
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, raw65, 65, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    /* The right signature is accepted; a flipped payload bit is not (D28). */
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, raw, 64, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    payload[pl - 3] ^= 0x01;
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, NULL, HC_SIG_ES256, raw, 64, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    payload[pl - 3] ^= 0x01;
    /* Signed by another key under our kid. */
    cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec2, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_SIGNATURE_INVALID);
    /* D9: a non-canonical protected header (alg as 0x3806, long-form kid length), signed: VALID. */
    uint8_t nc[32] = { 0xa2, 0x01, 0x38, 0x06, 0x04, 0x58, 0x08 };
    memcpy(nc + 7, kid_ec, 8);
    cl = cose(tag18, 1, nc, 15, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c,
              sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    /* D29: 200 unknown unprotected labels stay within bounds: VALID. */
    uint8_t many[2048];
    hc_cbor_writer_init(&w, many, sizeof many);
    hc_cbor_put_map(&w, 200);
    for (int i = 0; i < 200; i++) {
        hc_cbor_put_int(&w, 1000 + i);
        hc_cbor_put_int(&w, i);
    }
    hc_cbor_writer_finish(&w, &ul);
    cl =
        cose(tag18, 1, prot, hl, many, ul, payload, pl, key_ec, HC_SIG_ES256, NULL, 0, c, sizeof c);
    expect_text(zwrap(c, cl), HC_OK);
    json_decref(dcc);
}

/* E: time. */
static void
test_times(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    expect_text(signed_code(dcc, -86400 * 2, -60, key_ec, HC_SIG_ES256, kid_ec), HC_ERR_EXPIRED);
    expect_text(signed_code(dcc, 3600, 86400, key_ec, HC_SIG_ES256, kid_ec), HC_ERR_NOT_YET_VALID);
    /* iat before the DSC's notBefore (the test-only DSC is one day old). */
    json_t *t = json_pack("{s:s, s:{s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s}]}", "ver",
                          "1.3.0", "nam", "fnt", "TEST", "dob", "1990", "t", "tg", "840539006",
                          "tt", "LP6464-4", "sc", "2021-06-01T10:00:00Z", "tr", "260415000", "co",
                          "XX", "is", "Lab", "ci", "URN:UVCI:01:XX:T1#1");
    expect_text(signed_code(t, -3 * 86400, 86400, key_test_only, HC_SIG_ES256, kid_test_only),
                HC_ERR_KEY_NOT_YET_VALID);
    expect_text(signed_code(t, -3600, 86400, key_test_only, HC_SIG_ES256, kid_test_only), HC_OK);
    /* Missing exp. */
    uint8_t payload[4096], prot[64], c[8192];
    hc_cbor_writer w;
    size_t pl = 0;
    hc_cbor_writer_init(&w, payload, sizeof payload);
    hc_cbor_put_map(&w, 2);
    hc_cbor_put_int(&w, 6);
    hc_cbor_put_int(&w, now_ms / 1000 - 3600);
    hc_cbor_put_int(&w, -260);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, 1);
    hc_cbor_encode_json(&w, dcc);
    assert_int_equal(hc_cbor_writer_finish(&w, &pl), HC_OK);
    size_t hl = prot_header(-7, kid_ec, 8, prot);
    size_t cl = cose(tag18, 1, prot, hl, empty_map, 1, payload, pl, key_ec, HC_SIG_ES256, NULL, 0,
                     c, sizeof c);
    expect_text(zwrap(c, cl), HC_ERR_STRUCTURE_INVALID);
    json_decref(t);
    json_decref(dcc);
}

/* F: key usage. */
static void
test_key_usage(void **state)
{
    (void)state;
    json_t *dcc = vaccination();
    expect_text(signed_code(dcc, -3600, 86400, key_test_only, HC_SIG_ES256, kid_test_only),
                HC_ERR_KEY_USAGE_MISMATCH);
    /* The mis-encoded vaccination OID allows vaccinations (F2). */
    expect_text(signed_code(dcc, -3600, 86400, key_alt_oid, HC_SIG_ES256, kid_alt_oid), HC_OK);
    json_decref(dcc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_valid), cmocka_unit_test(test_transport),
        cmocka_unit_test(test_compression),    cmocka_unit_test(test_cbor),
        cmocka_unit_test(test_cose),           cmocka_unit_test(test_kid_and_signature),
        cmocka_unit_test(test_times),          cmocka_unit_test(test_key_usage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
