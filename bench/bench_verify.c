/*
 * bench_verify.c: EU DCC verification through the public path (hc_verify), as a ratio of the raw
 * OpenSSL ES256 verify rate measured in the same run.
 *
 *   raw:  EVP_DigestVerifyInit + EVP_DigestVerify (DER signature) over each code's signed bytes,
 *         with the key already loaded: the least any verifier must do.
 *   ours: hc_verify on the HC1 text: Base45, inflate, COSE, CWT, kid lookup, signature, times,
 *         key validity, key usage, schema validation, verdict with the payload as JSON.
 *
 * Both loops run on one core over the same N distinct codes (different names and UVCIs, signed by
 * one DSC), interleaved in rounds so that machine noise hits both; the ratio reported is the median
 * of the per-round ratios. Target (issue 2): ours / raw >= 0.9.
 *
 * usage: bench_verify [--codes N] [--rounds R] [--million]
 *   --million  also verifies 1,000,000 fresh distinct codes and prints the peak RSS before/after
 *              (memory must stay flat).
 */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base45.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "hctime.h"
#include "healthcert/healthcert.h"
#include "inflate.h"
#include "trust_store.h"
#include "x509_make.h"

typedef struct code {
    char *text;
    size_t len;
    uint8_t *tbs; /* the Sig_structure, for the raw loop */
    size_t tbs_len;
    uint8_t der[80]; /* its signature, DER-encoded, for the raw loop */
    size_t der_len;
} code;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static json_t *
make_dcc(unsigned i)
{
    char gn[32], ci[64];
    snprintf(gn, sizeof gn, "Person %u", i);
    snprintf(ci, sizeof ci, "URN:UVCI:01:XX:BENCH%010u#X", i);
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
                     "s:s, s:s, s:s}]}",
                     "ver", "1.3.0", "nam", "fn", "Mustermann", "gn", gn, "fnt", "MUSTERMANN",
                     "gnt", "PERSON", "dob", "1980-02-29", "v", "tg", "840539006", "vp",
                     "1119349007", "mp", "EU/1/20/1528", "ma", "ORG-100030215", "dn", 2, "sd", 2,
                     "dt", "2021-06-01", "co", "XX", "is", "Ministry of Health", "ci", ci);
}

/* Issues code i and records its signed bytes and DER signature for the raw loop. */
static int
make_code(unsigned i, EVP_PKEY *key, const uint8_t kid[8], int64_t now_s_, code *c)
{
    static uint8_t cose[16384], inflated[16384];
    char text[8192];
    size_t len = 0;
    json_t *dcc = make_dcc(i);
    hc_eu_dcc_claims cl = { "XX", now_s_ - 86400, now_s_ + 365 * 86400 };
    if (hc_eu_dcc_encode(dcc, &cl, key, HC_SIG_ES256, kid, text, sizeof text, &len) != HC_OK) {
        json_decref(dcc);
        return -1;
    }
    json_decref(dcc);
    c->text = strdup(text);
    c->len = len;
    /* Take the code apart again to get the Sig_structure and the signature. */
    size_t n = 0, m = 0;
    hc_base45_decode(text + 4, len - 4, cose, sizeof cose, &n);
    hc_inflate_once(HC_DEFLATE_ZLIB, cose, n, inflated, sizeof inflated, &m);
    static hc_cbor_node nodes[64], hnodes[16];
    hc_cbor_doc d, h;
    hc_cose_sign1 msg;
    hc_cbor_doc_init(&d, nodes, 64, NULL, 0, 0);
    hc_cbor_doc_init(&h, hnodes, 16, NULL, 0, 0);
    if (hc_cose_sign1_parse(inflated, m, &d, &h, &msg, NULL) != HC_OK) {
        return -1;
    }
    c->tbs = malloc(msg.payload_len + 256);
    hc_cose_sign1_tbs(msg.protected_bytes, msg.protected_len, msg.payload, msg.payload_len, c->tbs,
                      msg.payload_len + 256, &c->tbs_len);
    return hc_sig_raw_to_der(msg.signature, msg.signature_len, c->der, sizeof c->der,
                             &c->der_len) == HC_OK
               ? 0
               : -1;
}

static unsigned
raw_round(EVP_PKEY *key, code *codes, unsigned n)
{
    unsigned ok = 0;
    for (unsigned i = 0; i < n; i++) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        if (EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
            EVP_DigestVerify(md, codes[i].der, codes[i].der_len, codes[i].tbs, codes[i].tbs_len) ==
                1) {
            ok++;
        }
        EVP_MD_CTX_free(md);
    }
    return ok;
}

static unsigned
ours_round(hc_verifier *v, code *codes, unsigned n)
{
    unsigned ok = 0;
    for (unsigned i = 0; i < n; i++) {
        hc_verdict vd;
        hc_verify(v, (const uint8_t *)codes[i].text, codes[i].len, &vd);
        ok += vd.valid;
        hc_verdict_clear(&vd);
    }
    return ok;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    unsigned ncodes = 2000, rounds = 7;
    int million = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--codes") == 0 && i + 1 < argc) {
            ncodes = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--million") == 0) {
            million = 1;
        } else {
            fprintf(stderr, "usage: bench_verify [--codes N] [--rounds R] [--million]\n");
            return 2;
        }
    }
    int64_t now = hc_time_now();
    EVP_PKEY *key = hc_key_generate(HC_KEY_P256);
    hc_cert_template t = {
        "XX", "Bench DSC", "healthcert", now - 365LL * 86400000, now + 730LL * 86400000, false, NULL
    };
    X509 *cert = hc_x509_make(&t, key, NULL, NULL);
    uint8_t fp[32], kid[8];
    unsigned fl = 0;
    X509_digest(cert, EVP_sha256(), fp, &fl);
    memcpy(kid, fp, 8); /* HCERT Appendix A.1 */

    hc_trust_store *ts = hc_trust_store_new();
    if (hc_trust_store_add_x509(ts, X509_dup(cert), "XX", "DSC", "bench", NULL, 0) != HC_OK) {
        fprintf(stderr, "trust store refused the bench DSC\n");
        return 1;
    }
    hc_verify_options opt = { 0 };
    opt.trust = ts;
    hc_verifier *v = hc_verifier_new(&opt);

    code *codes = calloc(ncodes, sizeof *codes);
    for (unsigned i = 0; i < ncodes; i++) {
        if (make_code(i, key, kid, now / 1000, &codes[i]) != 0) {
            fprintf(stderr, "could not make code %u\n", i);
            return 1;
        }
    }
    if (ours_round(v, codes, ncodes) != ncodes || raw_round(key, codes, ncodes) != ncodes) {
        fprintf(stderr, "not every code verifies: the benchmark would measure failures\n");
        return 1;
    }
    printf("bench_verify: %u distinct HC1 codes (ES256, median %zu chars), %u rounds, one core\n",
           ncodes, codes[ncodes / 2].len, rounds);
    double *ratios = calloc(rounds, sizeof *ratios);
    double raw_total = 0, ours_total = 0;
    for (unsigned r = 0; r < rounds; r++) {
        double t0 = now_s();
        raw_round(key, codes, ncodes);
        double t1 = now_s();
        ours_round(v, codes, ncodes);
        double t2 = now_s();
        double raw_rate = ncodes / (t1 - t0), ours_rate = ncodes / (t2 - t1);
        ratios[r] = ours_rate / raw_rate;
        raw_total += t1 - t0;
        ours_total += t2 - t1;
        printf("  round %u: raw %.0f/s, hc_verify %.0f/s, ratio %.3f\n", r + 1, raw_rate, ours_rate,
               ratios[r]);
    }
    qsort(ratios, rounds, sizeof *ratios, cmp_double);
    printf("raw OpenSSL ES256 verify: %.0f/s; hc_verify: %.0f/s; per-code overhead %.2f us\n",
           ncodes * rounds / raw_total, ncodes * rounds / ours_total,
           (ours_total - raw_total) / (ncodes * rounds) * 1e6);
    printf("RATIO hc_verify / raw ES256 verify = %.3f (median of %u rounds; target >= 0.9)\n",
           ratios[rounds / 2], rounds);

    if (million) {
        long before = peak_rss_kib();
        unsigned done = 0, valid = 0;
        code batch;
        double t0 = now_s();
        for (unsigned i = 0; i < 1000000; i++) {
            memset(&batch, 0, sizeof batch);
            if (make_code(ncodes + i, key, kid, now / 1000, &batch) != 0) {
                break;
            }
            hc_verdict vd;
            hc_verify(v, (const uint8_t *)batch.text, batch.len, &vd);
            valid += vd.valid;
            hc_verdict_clear(&vd);
            free(batch.text);
            free(batch.tbs);
            done++;
            if (done % 100000 == 0) {
                printf("  %u codes, %u valid, peak RSS %ld KiB\n", done, valid, peak_rss_kib());
                fflush(stdout);
            }
        }
        printf("million: %u distinct codes issued and verified in %.1f s, %u valid; peak RSS %ld "
               "KiB before, %ld KiB after\n",
               done, now_s() - t0, valid, before, peak_rss_kib());
    }
    for (unsigned i = 0; i < ncodes; i++) {
        free(codes[i].text);
        free(codes[i].tbs);
    }
    free(codes);
    free(ratios);
    hc_verifier_free(v);
    hc_trust_store_free(ts);
    X509_free(cert);
    EVP_PKEY_free(key);
    return 0;
}
