/*
 * bench_schema.c: cost of hc_dcc_schema_validate on typical payloads, against the raw OpenSSL
 * ES256 verify measured in the same run (the operation that dominates a DCC verification).
 *
 *   ours: hc_dcc_schema_validate on a parsed vaccination / test / recovery DCC (schema 1.3.0,
 *         the release most payloads name), message buffer included, schemas already compiled;
 *   raw:  EVP_DigestVerify (SHA-256, P-256, DER signature) of a 400-byte message, key preloaded.
 *
 * Loops run on one core, timed in this thread's CPU time, in interleaved rounds; each figure is
 * the median over rounds. Prints ns per validation and the ratio validation / verify (smaller is
 * better; the verify path's budget for everything but the signature is ~5 us). Never asserts.
 *
 * usage: bench_schema [--rounds R] [--scale S]
 */
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dcc_schema.h"

#define MAX_ROUNDS 51

static const char *const payloads[][2] = {
    { "vaccination",
      "{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"Musterfrau-Gößinger\", \"fnt\": "
      "\"MUSTERFRAU<GOESSINGER\", \"gn\": \"Gabriele\", \"gnt\": \"GABRIELE\"}, \"dob\": "
      "\"1998-02-26\", \"v\": [{\"tg\": \"840539006\", \"vp\": \"1119349007\", \"mp\": "
      "\"EU/1/20/1528\", \"ma\": \"ORG-100030215\", \"dn\": 1, \"sd\": 2, \"dt\": \"2021-02-18\", "
      "\"co\": \"AT\", \"is\": \"Ministry of Health, Austria\", \"ci\": "
      "\"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B\"}]}" },
    { "test",
      "{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"Musterfrau-Gößinger\", \"fnt\": "
      "\"MUSTERFRAU<GOESSINGER\", \"gn\": \"Gabriele\", \"gnt\": \"GABRIELE\"}, \"dob\": "
      "\"1998-02-26\", \"t\": [{\"tg\": \"840539006\", \"tt\": \"LP217198-3\", \"ma\": \"1232\", "
      "\"sc\": \"2021-02-20T12:34:56Z\", \"tr\": \"260415000\", \"tc\": \"Testing Facility "
      "XYZ\", \"co\": \"AT\", \"is\": \"Ministry of Health, Austria\", \"ci\": "
      "\"URN:UVCI:01:AT:71EE2559DE38C6BF7304FB65A1A451EC#3\"}]}" },
    { "recovery",
      "{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"Musterfrau-Gößinger\", \"fnt\": "
      "\"MUSTERFRAU<GOESSINGER\", \"gn\": \"Gabriele\", \"gnt\": \"GABRIELE\"}, \"dob\": "
      "\"1998-02-26\", \"r\": [{\"tg\": \"840539006\", \"fr\": \"2021-02-20\", \"co\": \"AT\", "
      "\"is\": \"Ministry of Health, Austria\", \"df\": \"2021-04-04\", \"du\": \"2021-10-04\", "
      "\"ci\": \"URN:UVCI:01:AT:858CC18CFCF5965EF82F60E493349AA5#K\"}]}" },
    { "invalid (dn 0)",
      "{\"ver\": \"1.3.0\", \"nam\": {\"fnt\": \"MUSTERFRAU\"}, \"dob\": \"1998-02-26\", \"v\": "
      "[{\"tg\": \"840539006\", \"vp\": \"1119349007\", \"mp\": \"EU/1/20/1528\", \"ma\": "
      "\"ORG-100030215\", \"dn\": 0, \"sd\": 2, \"dt\": \"2021-02-18\", \"co\": \"AT\", \"is\": "
      "\"BMSGPK\", \"ci\": \"URN:UVCI:01:AT:1\"}]}" },
};
#define N_PAYLOADS (sizeof payloads / sizeof payloads[0])

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

/* ns per hc_dcc_schema_validate of doc over iters calls. */
static double
time_validate(const json_t *doc, unsigned iters, hc_err want)
{
    char msg[256];
    double t0 = now_s();
    for (unsigned i = 0; i < iters; i++) {
        if (hc_dcc_schema_validate(doc, msg, sizeof msg) != want) {
            fprintf(stderr, "unexpected verdict: %s\n", msg);
            exit(2);
        }
    }
    return (now_s() - t0) * 1e9 / iters;
}

/* ns per raw ES256 verify over iters calls. */
static double
time_verify(EVP_PKEY *key, const unsigned char *msg, size_t msg_len, const unsigned char *sig,
            size_t sig_len, unsigned iters)
{
    double t0 = now_s();
    for (unsigned i = 0; i < iters; i++) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        if (ctx == NULL ||
            EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) != 1 ||
            EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) != 1) {
            fprintf(stderr, "raw verify failed\n");
            exit(2);
        }
        EVP_MD_CTX_free(ctx);
    }
    return (now_s() - t0) * 1e9 / iters;
}

int
main(int argc, char **argv)
{
    int rounds = 11;
    unsigned scale = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rounds") == 0) {
            rounds = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--scale") == 0) {
            scale = (unsigned)atoi(argv[i + 1]);
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || scale < 1) {
        fprintf(stderr, "usage: bench_schema [--rounds 1..%d] [--scale S]\n", MAX_ROUNDS);
        return 2;
    }

    json_t *docs[N_PAYLOADS];
    hc_err want[N_PAYLOADS];
    char msg[256];
    for (size_t p = 0; p < N_PAYLOADS; p++) {
        docs[p] = json_loads(payloads[p][1], 0, NULL);
        if (docs[p] == NULL) {
            fprintf(stderr, "bad payload %s\n", payloads[p][0]);
            return 2;
        }
        want[p] = hc_dcc_schema_validate(docs[p], msg, sizeof msg); /* also compiles the schema */
    }

    EVP_PKEY *key = EVP_EC_gen("P-256");
    unsigned char data[400], sig[128];
    size_t sig_len = sizeof sig;
    memset(data, 0x5a, sizeof data);
    EVP_MD_CTX *sctx = EVP_MD_CTX_new();
    if (key == NULL || sctx == NULL ||
        EVP_DigestSignInit_ex(sctx, NULL, "SHA256", NULL, NULL, key, NULL) != 1 ||
        EVP_DigestSign(sctx, sig, &sig_len, data, sizeof data) != 1) {
        fprintf(stderr, "cannot make an ES256 signature\n");
        return 2;
    }
    EVP_MD_CTX_free(sctx);

    double ours[N_PAYLOADS][MAX_ROUNDS], raw[MAX_ROUNDS];
    unsigned iters = 200000 * scale, viters = 2000 * scale;
    for (int r = 0; r < rounds; r++) {
        for (size_t p = 0; p < N_PAYLOADS; p++) {
            ours[p][r] = time_validate(docs[p], iters, want[p]);
        }
        raw[r] = time_verify(key, data, sizeof data, sig, sig_len, viters);
    }
    double verify_ns = median(raw, rounds);
    printf("bench_schema: %d rounds, median ns per operation (thread CPU time)\n", rounds);
    printf("  raw ES256 verify (OpenSSL EVP, 400 bytes): %10.0f ns\n", verify_ns);
    for (size_t p = 0; p < N_PAYLOADS; p++) {
        double ns = median(ours[p], rounds);
        printf("  hc_dcc_schema_validate %-16s %10.0f ns   ratio to verify %.4f\n", payloads[p][0],
               ns, ns / verify_ns);
    }
    for (size_t p = 0; p < N_PAYLOADS; p++) {
        json_decref(docs[p]);
    }
    EVP_PKEY_free(key);
    return 0;
}
