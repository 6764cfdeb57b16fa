/*
 * test_trust_csca.c: the DSC checks of EU gateway-style trust lists (security.md §3 F6, hcert §5,
 * dgca-verifier-service#55), with keys and certificates made here (x509_make.h): a DSC issued by a
 * CSCA of its country in the list is trusted; one that no listed CSCA of its country issued (other
 * name, other key, AKI != SKI, signature by another key), or whose listed country is not its
 * subject's C=, is dropped and counted; a DSC of a country without a listed CSCA is kept; CSCA
 * rollover; the order of entries; the bound on CSCAs per country.
 */
#include "testlib.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "trust_store.h"
#include "x509_make.h"

/* 2021-01-01 .. 2031-01-01: every certificate here is valid for the whole test. */
#define NOT_BEFORE 1609459200000LL
#define NOT_AFTER  1924992000000LL

/* A CSCA: self-signed, CA:true, SKI. */
static X509 *
make_csca(const char *country, const char *cn, EVP_PKEY *key)
{
    hc_cert_template t = { country, cn, NULL, NOT_BEFORE, NOT_AFTER, true, NULL };
    X509 *x = hc_x509_make(&t, key, NULL, NULL);
    assert_non_null(x);
    return x;
}

/* A DSC for key: issuer name and AKI from issuer_cert, signed by signing_key (which a test may
 * choose to be another key than issuer_cert's). country NULL: no C= in the subject. */
static X509 *
make_dsc(const char *country, EVP_PKEY *key, X509 *issuer_cert, EVP_PKEY *signing_key)
{
    hc_cert_template t = { country, "Document Signer", NULL, NOT_BEFORE, NOT_AFTER, false, NULL };
    X509 *x = hc_x509_make(&t, key, issuer_cert, signing_key);
    assert_non_null(x);
    return x;
}

static EVP_PKEY *
new_key(void)
{
    EVP_PKEY *k = hc_key_generate(HC_KEY_P256);
    assert_non_null(k);
    return k;
}

/* Appends {country?, certificateType?, rawData} for cert. */
static void
add_entry(json_t *list, X509 *cert, const char *country, const char *type)
{
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    assert_true(len > 0);
    char raw[HC_BASE64_ENCODED_MAX(HC_MAX_CERT_DER)];
    size_t n = 0;
    assert_int_equal(hc_base64_encode(der, (size_t)len, false, raw, sizeof raw, &n), HC_OK);
    OPENSSL_free(der);
    json_t *e = json_pack("{s:s}", "rawData", raw);
    if (country != NULL) {
        json_object_set_new(e, "country", json_string(country));
    }
    if (type != NULL) {
        json_object_set_new(e, "certificateType", json_string(type));
    }
    json_array_append_new(list, e);
}

/* Loads list (and frees it) into a new store; returns the store, the answer in *err. */
static hc_trust_store *
load(json_t *list, hc_err *err, char *msg, size_t msg_len)
{
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    assert_non_null(text);
    hc_trust_store *ts = hc_trust_store_new();
    assert_non_null(ts);
    *err = hc_trust_store_add_buffer(ts, (const unsigned char *)text, strlen(text), "list", msg,
                                     msg_len);
    print_message("%s\n", msg);
    free(text);
    return ts;
}

/* Whether the store holds cert (by its kid) as an entry of type "DSC". */
static bool
holds_dsc(const hc_trust_store *ts, X509 *cert)
{
    hc_cert_info info;
    assert_int_equal(hc_cert_info_from_x509(cert, &info), HC_OK);
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID];
    size_t n = hc_trust_store_find(ts, info.kid, sizeof info.kid, found, HC_MAX_KEYS_PER_KID);
    for (size_t i = 0; i < n && i < HC_MAX_KEYS_PER_KID; i++) {
        if (X509_cmp(found[i]->cert, cert) == 0) {
            return true;
        }
    }
    return false;
}

/* A DSC issued by the listed CSCA of its country is trusted, even when listed before the CSCA;
 * a DSC of a country with no listed CSCA (only another country's) is kept as listed. */
static void
test_issued_by_listed_csca(void **state)
{
    (void)state;
    EVP_PKEY *ca_key = new_key(), *yy_key = new_key(), *k1 = new_key(), *k2 = new_key();
    X509 *csca = make_csca("XX", "CSCA XX", ca_key);
    X509 *yy_csca = make_csca("YY", "CSCA YY", yy_key);
    X509 *dsc = make_dsc("XX", k1, csca, ca_key);
    /* A ZZ DSC from the YY CSCA: no CSCA of ZZ in the list, so nothing says who issues ZZ's. */
    X509 *zz = make_dsc("ZZ", k2, yy_csca, yy_key);
    char msg[512];
    hc_err err;

    json_t *list = json_array();
    add_entry(list, dsc, "XX", "DSC"); /* before its CSCA: the CSCAs are read first */
    add_entry(list, zz, "ZZ", "DSC");
    add_entry(list, csca, "XX", "CSCA");
    add_entry(list, yy_csca, "YY", "CSCA");
    hc_trust_store *ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_non_null(strstr(msg, "4 keys added"));
    assert_non_null(strstr(msg, "1 DSC issued by a listed CSCA of their country, 0 DSCs dropped"));
    assert_null(strstr(msg, "skipped"));
    assert_true(holds_dsc(ts, dsc));
    assert_true(holds_dsc(ts, zz));
    /* Insertion order is the list's. */
    assert_int_equal(X509_cmp(hc_trust_store_entry(ts, 0)->cert, dsc), 0);
    assert_string_equal(hc_trust_store_entry(ts, 2)->certificate_type, "CSCA");
    hc_trust_store_free(ts);

    /* A list without CSCAs (a verifier's DSC-only list) trusts its DSCs as listed. */
    list = json_array();
    add_entry(list, dsc, "XX", "DSC");
    ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_true(holds_dsc(ts, dsc));
    assert_null(strstr(msg, "CSCA"));
    hc_trust_store_free(ts);

    X509_free(csca);
    X509_free(yy_csca);
    X509_free(dsc);
    X509_free(zz);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(yy_key);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

/* DSCs that no listed CSCA of their country issued are dropped, each for its own reason. */
static void
test_not_issued_by_listed_csca(void **state)
{
    (void)state;
    EVP_PKEY *ca_key = new_key(), *other_key = new_key(), *twin_key = new_key();
    EVP_PKEY *k[4] = { new_key(), new_key(), new_key(), new_key() };
    X509 *csca = make_csca("XX", "CSCA XX", ca_key);
    /* Another CSCA of XX, not in the list: another name. */
    X509 *other = make_csca("XX", "CSCA XX 2", other_key);
    /* Another CSCA of XX, not in the list: the listed one's name, another key (another SKI). */
    X509 *twin = make_csca("XX", "CSCA XX", twin_key);
    X509 *good = make_dsc("XX", k[0], csca, ca_key);
    X509 *by_other = make_dsc("XX", k[1], other, other_key);
    /* AKI = the twin's SKI, but signed with the listed CSCA's key: only the AKI = SKI rule
     * drops it (the signature verifies, checked below). */
    X509 *aki_wrong = make_dsc("XX", k[2], twin, ca_key);
    /* AKI = the listed CSCA's SKI and its name, but signed with the twin's key: only the
     * signature check drops it. */
    X509 *sig_wrong = make_dsc("XX", k[3], csca, twin_key);
    assert_int_equal(X509_verify(aki_wrong, X509_get0_pubkey(csca)), 1);
    assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(sig_wrong), X509_get_subject_name(csca)),
                     0);
    char msg[512];
    hc_err err;

    json_t *list = json_array();
    add_entry(list, csca, "XX", "CSCA");
    add_entry(list, good, "XX", "DSC");
    add_entry(list, by_other, "XX", "DSC");
    add_entry(list, aki_wrong, "XX", "DSC");
    add_entry(list, sig_wrong, NULL, NULL); /* no type, no country: checked as a DSC of its C= */
    hc_trust_store *ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_non_null(strstr(msg, "2 keys added"));
    assert_non_null(strstr(msg, "1 DSC issued by a listed CSCA of their country, 3 DSCs dropped"));
    assert_non_null(strstr(
        msg, "3 unusable entries skipped (first: entry [2]: DSC not signed by a CSCA of XX in "
             "this list)"));
    assert_true(holds_dsc(ts, good));
    assert_false(holds_dsc(ts, by_other));
    assert_false(holds_dsc(ts, aki_wrong));
    assert_false(holds_dsc(ts, sig_wrong));
    assert_int_equal(hc_trust_store_count(ts), 2);
    hc_trust_store_free(ts);

    /* One at a time, each is the first reason given. */
    X509 *each[] = { by_other, aki_wrong, sig_wrong };
    for (size_t i = 0; i < 3; i++) {
        list = json_array();
        add_entry(list, csca, "XX", "CSCA");
        add_entry(list, each[i], "XX", "DSC");
        ts = load(list, &err, msg, sizeof msg);
        /* The CSCA alone still makes the list usable: CA material counts as an entry. */
        assert_int_equal(err, HC_OK);
        assert_non_null(strstr(msg, "1 key added"));
        assert_non_null(strstr(msg, "entry [1]: DSC not signed by a CSCA of XX in this list"));
        assert_false(holds_dsc(ts, each[i]));
        hc_trust_store_free(ts);
    }

    X509 *certs[] = { csca, other, twin, good, by_other, aki_wrong, sig_wrong };
    for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++) {
        X509_free(certs[i]);
    }
    EVP_PKEY *keys[] = { ca_key, other_key, twin_key, k[0], k[1], k[2], k[3] };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        EVP_PKEY_free(keys[i]);
    }
}

/* A listed country that is not the subject's C= drops the DSC; without C= nothing is compared. */
static void
test_country_mismatch(void **state)
{
    (void)state;
    EVP_PKEY *ca_key = new_key(), *k1 = new_key(), *k2 = new_key();
    X509 *csca = make_csca("XX", "CSCA XX", ca_key);
    X509 *dsc = make_dsc("XX", k1, csca, ca_key);
    X509 *no_c = make_dsc(NULL, k2, csca, ca_key);
    char msg[512];
    hc_err err;

    /* Alone in the list: nothing usable, the list fails as a whole. */
    json_t *list = json_array();
    add_entry(list, dsc, "YY", "DSC");
    hc_trust_store *ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(
        msg, "no usable entry: 1 skipped (first: entry [0]: country YY but the certificate's "
             "subject says C=XX)"));
    assert_int_equal(hc_trust_store_count(ts), 0);
    hc_trust_store_free(ts);

    /* Among others: dropped and counted (no CSCA of YY or ZZ is needed for this rule); an entry
     * without certificateType is held to the same rule. A DSC without C= listed as XX is checked
     * against the CSCAs of XX and kept. */
    list = json_array();
    add_entry(list, csca, "XX", "CSCA");
    add_entry(list, dsc, "XX", "DSC");
    add_entry(list, dsc, "YY", "DSC");
    add_entry(list, dsc, "ZZ", NULL);
    add_entry(list, no_c, "XX", "DSC");
    ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_non_null(strstr(msg, "3 keys added"));
    assert_non_null(strstr(msg, "2 DSCs issued by a listed CSCA of their country, 2 DSCs dropped"));
    assert_non_null(strstr(msg, "2 unusable entries skipped (first: entry [2]: country YY but "
                                "the certificate's subject says C=XX)"));
    hc_cert_info info;
    assert_int_equal(hc_cert_info_from_x509(dsc, &info), HC_OK);
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID];
    assert_int_equal(hc_trust_store_find(ts, info.kid, 8, found, HC_MAX_KEYS_PER_KID), 1);
    assert_string_equal(found[0]->country, "XX");
    assert_true(holds_dsc(ts, no_c));
    hc_trust_store_free(ts);

    /* A DSC without C= and without a listed country belongs to no country: kept as listed. */
    list = json_array();
    add_entry(list, csca, "XX", "CSCA");
    add_entry(list, no_c, NULL, "DSC");
    ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_true(holds_dsc(ts, no_c));
    hc_trust_store_free(ts);

    X509_free(csca);
    X509_free(dsc);
    X509_free(no_c);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

/* Two CSCAs of XX (rollover, same name, new key): DSCs of either are trusted. */
static void
test_rollover(void **state)
{
    (void)state;
    EVP_PKEY *old_key = new_key(), *new_ca_key = new_key(), *k1 = new_key(), *k2 = new_key();
    X509 *old_ca = make_csca("XX", "CSCA XX", old_key);
    X509 *new_ca = make_csca("XX", "CSCA XX", new_ca_key);
    X509 *dsc_old = make_dsc("XX", k1, old_ca, old_key);
    X509 *dsc_new = make_dsc("XX", k2, new_ca, new_ca_key);
    char msg[512];
    hc_err err;

    json_t *list = json_array();
    add_entry(list, old_ca, "XX", "CSCA");
    add_entry(list, new_ca, "XX", "CSCA");
    add_entry(list, dsc_new, "XX", "DSC");
    add_entry(list, dsc_old, "XX", "DSC");
    hc_trust_store *ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_non_null(strstr(msg, "4 keys added"));
    assert_non_null(strstr(msg, "2 DSCs issued by a listed CSCA of their country, 0 DSCs dropped"));
    assert_true(holds_dsc(ts, dsc_new));
    assert_true(holds_dsc(ts, dsc_old));
    hc_trust_store_free(ts);

    /* Only the old CSCA listed: the new one's DSC is dropped. */
    list = json_array();
    add_entry(list, old_ca, "XX", "CSCA");
    add_entry(list, dsc_new, "XX", "DSC");
    ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_false(holds_dsc(ts, dsc_new));
    hc_trust_store_free(ts);

    X509_free(old_ca);
    X509_free(new_ca);
    X509_free(dsc_old);
    X509_free(dsc_new);
    EVP_PKEY_free(old_key);
    EVP_PKEY_free(new_ca_key);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

/* At most 64 CSCAs of one country: the 65th is skipped, and a DSC only it issued is dropped. */
static void
test_csca_bound(void **state)
{
    (void)state;
    EVP_PKEY *shared = new_key(), *last_key = new_key(), *k1 = new_key();
    char msg[512];
    hc_err err;

    json_t *list = json_array();
    for (int i = 0; i < 64; i++) {
        char cn[32];
        snprintf(cn, sizeof cn, "CSCA XX %d", i);
        X509 *ca = make_csca("XX", cn, shared);
        add_entry(list, ca, "XX", "CSCA");
        X509_free(ca);
    }
    X509 *last = make_csca("XX", "CSCA XX last", last_key);
    X509 *dsc = make_dsc("XX", k1, last, last_key);
    add_entry(list, last, "XX", "CSCA");
    add_entry(list, dsc, "XX", "DSC");
    hc_trust_store *ts = load(list, &err, msg, sizeof msg);
    assert_int_equal(err, HC_OK);
    assert_non_null(strstr(msg, "64 keys added"));
    assert_non_null(strstr(
        msg, "2 unusable entries skipped (first: entry [64]: more than 64 CSCAs of XX in this "
             "list)"));
    assert_false(holds_dsc(ts, dsc));
    hc_trust_store_free(ts);

    X509_free(last);
    X509_free(dsc);
    EVP_PKEY_free(shared);
    EVP_PKEY_free(last_key);
    EVP_PKEY_free(k1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issued_by_listed_csca),
        cmocka_unit_test(test_not_issued_by_listed_csca),
        cmocka_unit_test(test_country_mismatch),
        cmocka_unit_test(test_rollover),
        cmocka_unit_test(test_csca_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
