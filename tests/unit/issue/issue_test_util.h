/*
 * issue_test_util.h: helpers shared by the issue module's tests (header-only: each test_*.c is its
 * own program): a throw-away PKI made with the keygen code, the 27 schema examples, and
 * verification of issued certificates with the library's own verifier.
 */
#ifndef HC_ISSUE_TEST_UTIL_H
#define HC_ISSUE_TEST_UTIL_H

#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hctime.h"
#include "healthcert/healthcert.h"
#include "healthcert/issue.h"
#include "issue_keygen.h"
#include "x509_info.h"

#define IT_DAY_MS (86400LL * 1000)

/* A temporary folder, removed by it_rmdir. */
static inline void
it_mkdtemp(char *dir, size_t cap)
{
    snprintf(dir, cap, "%s/hc_issue_test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static inline void
it_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    rmdir(dir);
}

static inline void
it_path(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* A CSCA "csca.pem/.key" in dir (country, from a year ago, for 10 years). */
static inline void
it_make_csca(const char *dir, const char *country)
{
    char cert[4096], key[4096], msg[256] = "";
    hc_keygen_result res;
    hc_keygen_params p = { .country = country,
                           .key_type = HC_KEY_P256,
                           .not_before = hc_time_now() - 365 * IT_DAY_MS,
                           .days = 3650 };
    it_path(cert, sizeof cert, dir, "csca.pem");
    it_path(key, sizeof key, dir, "csca.key");
    if (hc_keygen_csca(&p, NULL, cert, key, true, &res, msg, sizeof msg) != HC_OK) {
        fail_msg("keygen csca: %s", msg);
    }
}

/*
 * A DSC "<name>.pem/.key" in dir issued by dir's CSCA: key type, EKU bits, validity from
 * not_before for days, key encrypted with pass when not NULL.
 */
static inline void
it_make_dsc(const char *dir, const char *name, hc_key_type type, unsigned eku,
            hc_time_ms not_before, int days, const char *pass)
{
    char cc[4096], ck[4096], cert[4096], key[4096], msg[256] = "";
    hc_keygen_result res;
    hc_keygen_ca ca;
    hc_passphrase pp = { 0 };
    it_path(cc, sizeof cc, dir, "csca.pem");
    it_path(ck, sizeof ck, dir, "csca.key");
    snprintf(cert, sizeof cert, "%s/%s.pem", dir, name);
    snprintf(key, sizeof key, "%s/%s.key", dir, name);
    if (hc_keygen_ca_load(cc, ck, NULL, &ca, msg, sizeof msg) != HC_OK) {
        fail_msg("csca load: %s", msg);
    }
    if (pass != NULL) {
        pp.text = (char *)pass;
        pp.len = strlen(pass);
    }
    hc_keygen_params p = {
        .country = ca.country, .key_type = type, .not_before = not_before, .days = days, .eku = eku
    };
    hc_err e = hc_keygen_dsc(&p, &ca, pass ? &pp : NULL, cert, key, true, &res, msg, sizeof msg);
    hc_keygen_ca_free(&ca);
    if (e != HC_OK) {
        fail_msg("keygen dsc: %s", msg);
    }
}

static inline hc_issuer *
it_load(const char *dir, const char *name)
{
    char cert[4096], key[4096], msg[256] = "";
    hc_issuer *iss = NULL;
    snprintf(cert, sizeof cert, "%s/%s.pem", dir, name);
    snprintf(key, sizeof key, "%s/%s.key", dir, name);
    if (hc_issuer_load(cert, key, NULL, &iss, msg, sizeof msg) != HC_OK) {
        fail_msg("issuer load %s: %s", name, msg);
    }
    return iss;
}

/* The schema examples (vaccination, test, recovery folders), as relative vector paths. */
#define IT_MAX_EXAMPLES 64
static inline size_t
it_examples(char paths[][512])
{
    static const char *const kinds[] = { "vaccination", "test", "recovery" };
    size_t n = 0;
    for (size_t k = 0; k < 3; k++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/eu-dcc/schema/examples/%s", hc_test_vectors_dir(), kinds[k]);
        DIR *d = opendir(dir);
        struct dirent *e;
        assert_non_null(d);
        while ((e = readdir(d)) != NULL && n < IT_MAX_EXAMPLES) {
            size_t l = strlen(e->d_name);
            if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
                snprintf(paths[n++], 512, "eu-dcc/schema/examples/%s/%s", kinds[k], e->d_name);
            }
        }
        closedir(d);
    }
    return n;
}

/* Verifies qr with the DSC at cert_path as the only trusted key; returns the verdict's payload
 * (new reference) after asserting VALID. */
static inline json_t *
it_verify(const char *cert_path, const char *qr, int64_t clock_ms)
{
    char msg[256] = "";
    hc_trust_store *ts = hc_trust_store_new();
    assert_non_null(ts);
    if (hc_trust_store_add_path(ts, cert_path, msg, sizeof msg) != HC_OK) {
        fail_msg("trust %s: %s", cert_path, msg);
    }
    hc_verify_options o = { .trust = ts, .has_clock = true, .clock_ms = clock_ms };
    hc_verifier *v = hc_verifier_new(&o);
    hc_verdict vd;
    assert_non_null(v);
    assert_int_equal(hc_verify(v, (const uint8_t *)qr, strlen(qr), &vd), HC_OK);
    if (!vd.valid) {
        fail_msg("not valid: %s: %s", hc_err_code(vd.errors[0].code), vd.errors[0].message);
    }
    json_t *payload = json_incref(vd.payload);
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    hc_trust_store_free(ts);
    return payload;
}

#endif
