/*
 * bench_sig.c: hc_sig_verify against the raw OpenSSL verify, measured in the same run.
 *
 *   raw:  a fresh EVP_MD_CTX, EVP_DigestVerifyInit_ex(..., "SHA256", ..., key) (PSS padding and
 *         salt 32 for PS256), EVP_DigestVerify with the DER signature over a 400-byte message
 *         (about one DCC Sig_structure), the key preloaded: the least a verifier must do.
 *   ours: hc_sig_verify with the raw r||s (COSE form) signature: key policy check, range check
 *         of r and s, raw -> DER, SHA-256 with a pre-fetched digest, EVP_PKEY_verify.
 *
 * Both loops run on one core over the same 64 messages, timed in this thread's CPU time and
 * interleaved in rounds so that machine noise hits both; the figure is the median of the
 * per-round ratios ours / raw (>= 1.0 means hc_sig_verify is at least as fast as the raw
 * operation). Tests never assert on time.
 *
 * usage: bench_sig [--rounds R] [--scale S]   (S multiplies the iterations per round, default 1)
 */
#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sig.h"

#define MESSAGES   64
#define MSG_LEN    400
#define MAX_ROUNDS 51

typedef struct sample {
    uint8_t msg[MSG_LEN];
    uint8_t raw[HC_SIG_MAX_LEN]; /* hc_sig form: r||s for ECDSA */
    size_t raw_len;
    uint8_t der[HC_SIG_MAX_LEN]; /* OpenSSL form: DER for ECDSA */
    size_t der_len;
} sample;

typedef struct bench_case {
    const char *name;
    hc_sig_alg alg;
    EVP_PKEY *key;
    unsigned iterations; /* per loop per round */
} bench_case;

/* This thread's CPU time: other processes on a busy machine do not count against either loop. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The raw operation: what EVP offers for "verify this message with this key". */
static int
raw_verify(EVP_PKEY *key, hc_sig_alg alg, const sample *s)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = 0;
    if (ctx == NULL || EVP_DigestVerifyInit_ex(ctx, &pctx, alg == HC_SIG_EDDSA ? NULL : "SHA256",
                                               NULL, NULL, key, NULL) != 1) {
        goto done;
    }
    if (alg == HC_SIG_PS256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                                EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1)) {
        goto done;
    }
    ok = EVP_DigestVerify(ctx, s->der, s->der_len, s->msg, MSG_LEN) == 1;
done:
    EVP_MD_CTX_free(ctx);
    return ok;
}

static int
prepare(const bench_case *c, sample *samples)
{
    for (int i = 0; i < MESSAGES; i++) {
        sample *s = &samples[i];
        if (RAND_bytes(s->msg, MSG_LEN) != 1 || hc_sig_sign(c->key, c->alg, s->msg, MSG_LEN, s->raw,
                                                            sizeof s->raw, &s->raw_len) != HC_OK) {
            return -1;
        }
        if (c->alg == HC_SIG_PS256 || c->alg == HC_SIG_EDDSA) {
            memcpy(s->der, s->raw, s->raw_len);
            s->der_len = s->raw_len;
        } else if (hc_sig_raw_to_der(s->raw, s->raw_len, s->der, sizeof s->der, &s->der_len) !=
                   HC_OK) {
            return -1;
        }
    }
    return 0;
}

static int
run_case(const bench_case *c, int rounds)
{
    static sample samples[MESSAGES];
    double ratio[MAX_ROUNDS], raw_rate[MAX_ROUNDS], our_rate[MAX_ROUNDS];

    if (prepare(c, samples) != 0) {
        fprintf(stderr, "%s: cannot make signatures\n", c->name);
        return -1;
    }
    for (int r = 0; r < rounds; r++) {
        unsigned ok_raw = 0, ok_ours = 0;
        /* Alternate which loop goes first, so that neither always gets the warmer cache. */
        for (int pass = 0; pass < 2; pass++) {
            if ((pass == 0) == (r % 2 == 0)) {
                double t0 = now_s();
                for (unsigned i = 0; i < c->iterations; i++) {
                    ok_raw += (unsigned)raw_verify(c->key, c->alg, &samples[i % MESSAGES]);
                }
                raw_rate[r] = c->iterations / (now_s() - t0);
            } else {
                double t0 = now_s();
                for (unsigned i = 0; i < c->iterations; i++) {
                    const sample *s = &samples[i % MESSAGES];
                    ok_ours +=
                        hc_sig_verify(c->key, c->alg, s->msg, MSG_LEN, s->raw, s->raw_len) == HC_OK;
                }
                our_rate[r] = c->iterations / (now_s() - t0);
            }
        }
        if (ok_raw != c->iterations || ok_ours != c->iterations) {
            fprintf(stderr, "%s: a valid signature failed (raw %u, ours %u of %u)\n", c->name,
                    ok_raw, ok_ours, c->iterations);
            return -1;
        }
        ratio[r] = our_rate[r] / raw_rate[r];
    }
    double m_ratio = median(ratio, rounds), m_raw = median(raw_rate, rounds),
           m_ours = median(our_rate, rounds);
    printf("%-6s raw OpenSSL %9.0f verifies/s   hc_sig_verify %9.0f verifies/s   ratio %.3f\n",
           c->name, m_raw, m_ours, m_ratio);
    return 0;
}

int
main(int argc, char **argv)
{
    int rounds = 9;
    unsigned scale = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            scale = (unsigned)atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench_sig [--rounds R] [--scale S]\n");
            return 2;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || scale < 1 || scale > 1000) {
        fprintf(stderr, "bench_sig: rounds 1..%d, scale 1..1000\n", MAX_ROUNDS);
        return 2;
    }
    bench_case cases[] = {
        { "ES256", HC_SIG_ES256, EVP_EC_gen("P-256"), 2000 * scale },
        { "PS256", HC_SIG_PS256, EVP_RSA_gen(2048), 4000 * scale },
        { "EdDSA", HC_SIG_EDDSA, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), 4000 * scale },
    };
    int rc = 0;
    printf("bench_sig: %d-byte messages, median of %d interleaved rounds, one core\n", MSG_LEN,
           rounds);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].key == NULL || run_case(&cases[i], rounds) != 0) {
            rc = 1;
        }
        EVP_PKEY_free(cases[i].key);
    }
    return rc;
}
