/*
 * who_test_util.h: helpers shared by the conformance tests of the WHO DDCC, GDHCN, VDS-NC and
 * Swiss light certificate formats: a small PKI made on the fly (CAs, signers, CRLs), verifying a
 * text with a given trust store and clock, and looking into verdicts.
 */
#ifndef HC_WHO_TEST_UTIL_H
#define HC_WHO_TEST_UTIL_H

#include "testlib.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "hctime.h"
#include "healthcert/healthcert.h"
#include "trust_store.h"
#include "x509_make.h"

#define WT_DAY_MS (86400LL * 1000)

/* A key on a named curve ("P-256", "P-384", "P-521"). */
static inline EVP_PKEY *
wt_ec_key(const char *curve)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    assert_non_null(k);
    return k;
}

/* A certificate valid [nb, na] for key, issued by (ca, ca_key) or self-signed. */
static inline X509 *
wt_cert(const char *country, const char *cn, bool is_ca, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
        int64_t nb, int64_t na, const char *const *eku)
{
    hc_cert_template t = { country, cn, "healthcert tests", nb, na, is_ca, eku };
    X509 *c = hc_x509_make(&t, key, ca, ca_key);
    assert_non_null(c);
    return c;
}

/* A CRL of ca revoking the given serials (of certificates), signed with key, valid [now-1d,+30d].
 */
static inline X509_CRL *
wt_crl(X509 *ca, EVP_PKEY *key, X509 *const *revoked, size_t n, int64_t now_ms)
{
    X509_CRL *crl = X509_CRL_new();
    assert_non_null(crl);
    assert_int_equal(X509_CRL_set_version(crl, 1), 1);
    assert_int_equal(X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)), 1);
    ASN1_TIME *last = ASN1_TIME_set(NULL, (time_t)(now_ms / 1000 - 86400));
    ASN1_TIME *next = ASN1_TIME_set(NULL, (time_t)(now_ms / 1000 + 30 * 86400));
    X509_CRL_set1_lastUpdate(crl, last);
    X509_CRL_set1_nextUpdate(crl, next);
    for (size_t i = 0; i < n; i++) {
        X509_REVOKED *r = X509_REVOKED_new();
        X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(revoked[i]));
        X509_REVOKED_set_revocationDate(r, last);
        X509_CRL_add0_revoked(crl, r);
    }
    X509_CRL_sort(crl);
    assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    ASN1_TIME_free(last);
    ASN1_TIME_free(next);
    return crl;
}

/* Adds DER bytes of an object to the store through the public content-detecting path. */
static inline void
wt_trust_der(hc_trust_store *ts, const unsigned char *der, int len)
{
    char msg[256];
    assert_true(len > 0);
    if (hc_trust_store_add_buffer(ts, der, (size_t)len, "test", msg, sizeof msg) != HC_OK) {
        fail_msg("trust: %s", msg);
    }
}

static inline void
wt_trust_cert(hc_trust_store *ts, X509 *c)
{
    unsigned char *der = NULL;
    int len = i2d_X509(c, &der);
    wt_trust_der(ts, der, len);
    OPENSSL_free(der);
}

static inline void
wt_trust_crl(hc_trust_store *ts, X509_CRL *crl)
{
    unsigned char *der = NULL;
    int len = i2d_X509_CRL(crl, &der);
    wt_trust_der(ts, der, len);
    OPENSSL_free(der);
}

static inline void
wt_trust_text(hc_trust_store *ts, const char *text)
{
    char msg[512];
    if (hc_trust_store_add_buffer(ts, (const unsigned char *)text, strlen(text), "test", msg,
                                  sizeof msg) != HC_OK) {
        fail_msg("trust: %s", msg);
    }
}

/* Verifies text with trust at clock (Unix ms). The caller clears *vd. */
static inline void
wt_verify(const hc_trust_store *ts, int64_t clock_ms, const char *text, size_t len, hc_verdict *vd)
{
    hc_verify_options opt = { 0 };
    opt.trust = ts;
    opt.has_clock = true;
    opt.clock_ms = clock_ms;
    hc_verifier *v = hc_verifier_new(&opt);
    assert_non_null(v);
    assert_int_equal(hc_verify(v, (const uint8_t *)text, len, vd), HC_OK);
    hc_verifier_free(v);
}

static inline int64_t
wt_time(const char *iso)
{
    hc_time_ms t;
    assert_true(hc_time_parse_iso8601(iso, strlen(iso), &t));
    return t;
}

static inline bool
wt_has_error(const hc_verdict *vd, hc_err code)
{
    for (size_t i = 0; i < vd->n_errors; i++) {
        if (vd->errors[i].code == code) {
            return true;
        }
    }
    return false;
}

/* 1 passed, 0 failed, -1 not recorded. */
static inline int
wt_check(const hc_verdict *vd, const char *name)
{
    for (size_t i = 0; i < vd->n_checks; i++) {
        if (strcmp(vd->checks[i].name, name) == 0) {
            return vd->checks[i].ok;
        }
    }
    return -1;
}

/* Prints the verdict's errors when an expectation fails (as cmocka's message). */
static inline void
wt_expect(const hc_verdict *vd, bool valid, hc_err code)
{
    bool ok = vd->valid == valid && (code == HC_OK ? vd->n_errors == 0 : wt_has_error(vd, code));
    if (!ok) {
        print_error("verdict: valid=%d format=%s, %zu errors:\n", vd->valid,
                    vd->format ? vd->format : "-", vd->n_errors);
        for (size_t i = 0; i < vd->n_errors; i++) {
            print_error("  %s %s\n", hc_err_code(vd->errors[i].code), vd->errors[i].message);
        }
        fail_msg("expected valid=%d with %s", valid,
                 code == HC_OK ? "no error" : hc_err_code(code));
    }
}

/* A vendored text file without its trailing line break (malloc'd). */
static inline char *
wt_read_text(const char *rel, size_t *len)
{
    char *t = (char *)hc_test_read_vector(rel, len);
    while (*len > 0 && (t[*len - 1] == '\n' || t[*len - 1] == '\r')) {
        t[--*len] = '\0';
    }
    return t;
}

#endif
