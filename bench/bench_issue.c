/*
 * bench_issue.c: batch issuance (JSON Lines in, "HC1:" text out) through hc_issue_batch, the
 * code `healthcert issue --batch` runs, as a ratio of the raw OpenSSL ES256 sign rate measured in
 * the same run; QR PNG generation reported separately.
 *
 *   raw:   a fresh EVP_MD_CTX, EVP_DigestSignInit_ex(..., "SHA256", ..., key), EVP_DigestSign
 *          one-shot over a 400-byte message (about one DCC Sig_structure), the key preloaded:
 *          the least a signer must do per certificate.
 *   ours:  hc_issue_batch over N JSON lines (vaccination, test and recovery records without a
 *          UVCI): line reading, JSON parsing, UVCI generation, schema validation, key usage and
 *          time checks, CWT/COSE encoding, ES256 signature, DEFLATE (zlib format, level-9
 *          search), Base45, ordered output.
 *
 * Figures (median of interleaved rounds, so that machine noise hits both sides):
 *   1 core:  ours with one worker, counted in process CPU time (the reading/writing thread's time
 *            included) against raw in thread CPU time. Target (issue 3): >= 0.8.
 *   2 cores: ours with two workers in wall time against raw on two threads in wall time, and the
 *            scaling of ours from one to two workers in wall time (2.0 = linear). Wall time
 *            counts whatever else the machine runs: on a shared machine only the ratio to the
 *            raw rate measured beside it is meaningful.
 *   QR PNG:  hc_qr_png_bytes on the issued texts (ECC Q, 6 px per module), per second, one core.
 *
 * --stages: instead, where the time goes on one core: the batch's stages run here as batch.c runs
 * them (chunks of 32 lines: prepare with the JSON, sign, finish, release), each timed per chunk in
 * thread CPU time, reported in microseconds per certificate beside the raw sign time; then the
 * parts of prepare and finish (JSON, schema, CBOR, DEFLATE, Base45), timed apart over a chunk each
 * (warm, so they only indicate the split).
 * --profile N: only N one-worker batch runs (for perf / callgrind).
 *
 * usage: bench_issue [--lines N] [--rounds R] [--no-qr] [--stages] [--profile N]
 */
#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base45.h"
#include "dcc_schema.h"
#include "eu_dcc_encode.h"
#include "hctime.h"
#include "healthcert/issue.h"
#include "issue_batch.h"
#include "issue_internal.h"
#include "issue_json.h"
#include "issue_keygen.h"
#include "issue_scratch.h"
#include "qr.h"

#define MAX_ROUNDS 51
#define MSG_LEN    400

static const char *const records[] = {
    "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"Musterfrau-G\\u00f6\\u00dfinger\",\"fnt\":"
    "\"MUSTERFRAU<GOESSINGER\",\"gn\":\"Gabriele\",\"gnt\":\"GABRIELE\"},\"dob\":\"1998-02-26\","
    "\"v\":[{\"tg\":\"840539006\",\"vp\":\"1119349007\",\"mp\":\"EU/1/20/1528\",\"ma\":"
    "\"ORG-100030215\",\"dn\":2,\"sd\":2,\"dt\":\"2021-06-02\",\"co\":\"AT\",\"is\":"
    "\"Ministry of Health, Austria\",\"ci\":\"\"}]}",
    "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"Smith-Jones\",\"fnt\":\"SMITH<JONES\",\"gn\":"
    "\"Charles Edward\",\"gnt\":\"CHARLES<EDWARD\"},\"dob\":\"1964-01-01\",\"t\":[{\"tg\":"
    "\"840539006\",\"tt\":\"LP217198-3\",\"ma\":\"1232\",\"sc\":\"2021-06-10T10:00:00Z\",\"tr\":"
    "\"260415000\",\"tc\":\"Test Centre Amsterdam\",\"co\":\"NL\",\"is\":\"Ministry of Health "
    "Welfare and Sport\",\"ci\":\"\"}]}",
    "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"Dupont\",\"fnt\":\"DUPONT\",\"gn\":\"Marie\",\"gnt\":"
    "\"MARIE\"},\"dob\":\"1975-11\",\"r\":[{\"tg\":\"840539006\",\"fr\":\"2021-04-01\",\"co\":"
    "\"FR\",\"is\":\"Ministere de la Sante\",\"df\":\"2021-04-12\",\"du\":\"2021-10-01\","
    "\"ci\":\"\"}]}",
};

static double
thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(const double *v, int n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- raw OpenSSL ---- */

typedef struct raw_job {
    EVP_PKEY *key;
    const uint8_t *msgs; /* 64 messages of MSG_LEN */
    unsigned n;
    unsigned ok;
} raw_job;

static void *
raw_sign_loop(void *arg)
{
    raw_job *j = arg;
    uint8_t sig[128];
    for (unsigned i = 0; i < j->n; i++) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        size_t len = sizeof sig;
        if (ctx != NULL &&
            EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, j->key, NULL) == 1 &&
            EVP_DigestSign(ctx, sig, &len, j->msgs + (i % 64) * MSG_LEN, MSG_LEN) == 1) {
            j->ok++;
        }
        EVP_MD_CTX_free(ctx);
    }
    return NULL;
}

/* Raw signatures per second: threads == 1 in thread CPU time, else in wall time. */
static double
raw_rate(EVP_PKEY *key, const uint8_t *msgs, unsigned n, int threads)
{
    raw_job jobs[2];
    pthread_t t[2];
    for (int i = 0; i < threads; i++) {
        jobs[i] = (raw_job){ .key = key, .msgs = msgs, .n = n / (unsigned)threads };
    }
    if (threads == 1) {
        double t0 = thread_cpu_s();
        raw_sign_loop(&jobs[0]);
        return jobs[0].ok / (thread_cpu_s() - t0);
    }
    double t0 = wall_s();
    for (int i = 0; i < threads; i++) {
        pthread_create(&t[i], NULL, raw_sign_loop, &jobs[i]);
    }
    unsigned ok = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        ok += jobs[i].ok;
    }
    return ok / (wall_s() - t0);
}

/* ---- ours ---- */

/* Issued certificates per second through hc_issue_batch (cpu: process CPU time, else wall). */
static double
batch_rate(const hc_issuer *iss, const char *input, size_t input_len, int threads, bool cpu,
           char **output, size_t *output_len)
{
    FILE *in = fmemopen((void *)input, input_len, "r");
    char *obuf = NULL;
    size_t olen = 0;
    /* Timed runs write to /dev/null, as the CLI writes to a file or pipe: a memory stream would
     * add glibc's buffer regrowth (memset + copy of everything so far) to every line's cost. */
    FILE *out = output != NULL ? open_memstream(&obuf, &olen) : fopen("/dev/null", "w");
    hc_batch_options bo = { .threads = threads };
    hc_batch_stats st;
    if (in == NULL || out == NULL) {
        return 0;
    }
    double t0 = cpu ? process_cpu_s() : wall_s();
    hc_err e = hc_issue_batch(iss, in, out, &bo, &st);
    double dt = (cpu ? process_cpu_s() : wall_s()) - t0;
    fclose(in);
    fclose(out);
    if (e != HC_OK || st.issued != st.lines) {
        fprintf(stderr, "bench_issue: batch failed (%s), %llu of %llu issued\n", hc_err_code(e),
                (unsigned long long)st.issued, (unsigned long long)st.lines);
        free(obuf);
        return 0;
    }
    if (output != NULL) {
        *output = obuf;
        *output_len = olen;
    } else {
        free(obuf);
    }
    return st.issued / dt;
}

/* Keys for the run: a CSCA and a P-256 DSC, written to a temporary folder and loaded as the CLI
 * loads them. */
static hc_issuer *
make_issuer(char *dir)
{
    char cc[512], ck[512], dc[512], dk[512], msg[256];
    hc_keygen_result res;
    hc_keygen_ca ca;
    hc_issuer *iss = NULL;
    hc_keygen_params p = { .country = "AT",
                           .key_type = HC_KEY_P256,
                           .not_before = hc_time_now() - 86400000LL,
                           .days = 30 };

    snprintf(cc, sizeof cc, "%s/csca.pem", dir);
    snprintf(ck, sizeof ck, "%s/csca.key", dir);
    snprintf(dc, sizeof dc, "%s/dsc.pem", dir);
    snprintf(dk, sizeof dk, "%s/dsc.key", dir);
    if (hc_keygen_csca(&p, NULL, cc, ck, true, &res, msg, sizeof msg) != HC_OK ||
        hc_keygen_ca_load(cc, ck, NULL, &ca, msg, sizeof msg) != HC_OK) {
        fprintf(stderr, "bench_issue: %s\n", msg);
        return NULL;
    }
    p.days = 20;
    if (hc_keygen_dsc(&p, &ca, NULL, dc, dk, true, &res, msg, sizeof msg) != HC_OK ||
        hc_issuer_load(dc, dk, NULL, &iss, msg, sizeof msg) != HC_OK) {
        fprintf(stderr, "bench_issue: %s\n", msg);
    }
    hc_keygen_ca_free(&ca);
    unlink(cc);
    unlink(ck);
    unlink(dc);
    unlink(dk);
    rmdir(dir);
    return iss;
}

/* ---- --stages: the batch's stages one by one ---- */

#define STAGE_CHUNK 32
enum {
    ST_PREPARE,
    ST_SIGN,
    ST_FINISH,
    ST_RELEASE,
    ST_MAIN, /* the stages above add up to the batch's work */
    ST_PARSE = ST_MAIN,
    ST_SCHEMA,
    ST_CBOR,
    ST_DEFLATE,
    ST_BASE45,
    ST_COUNT
};
static const char *const stage_names[ST_COUNT] = {
    "prepare (JSON, UVCI, schema, CWT)",
    "sign (COSE_Sign1, ES256)",
    "finish (DEFLATE, Base45)",
    "release",
    "  JSON (into the last record)",
    "  schema",
    "  CBOR (the CWT)",
    "  DEFLATE",
    "  Base45",
};

/* Adds the thread CPU time since *t0 to *acc and restarts *t0 (CPU time: other processes on a
 * shared machine then change the figures less). */
static void
lap(double *acc, double *t0)
{
    double t = thread_cpu_s();
    *acc += t - *t0;
    *t0 = t;
}

/*
 * The batch's work per chunk of 32 lines, stage by stage as batch.c runs it (each line parsed into
 * the last record and prepared, the record taken back; the text written into a buffer), each
 * stage timed; then, apart, the parts of prepare and finish that the docs name, each over a chunk
 * on its own (warm: they only indicate the split).
 */
static int
run_stages(const hc_issuer *iss, EVP_PKEY *raw_key, const uint8_t *msgs, unsigned lines, int rounds)
{
    static hc_issue_job jobs[STAGE_CHUNK];
    static json_t *copies[STAGE_CHUNK];
    static char text[8192];
    double best[ST_COUNT], raw_best = 1e9;
    char msg[512];
    hc_issue_scratch *s = hc_issue_scratch_get();
    if (s == NULL) {
        return 1;
    }
    for (int k = 0; k < ST_COUNT; k++) {
        best[k] = 1e9;
    }
    for (int r = 0; r <= rounds; r++) { /* round 0 warms up */
        double acc[ST_COUNT] = { 0 }, t0;
        json_t *spare = NULL;
        for (unsigned done = 0; done < lines; done += STAGE_CHUNK) {
            t0 = thread_cpu_s();
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                const char *rec = records[(done + i) % 3];
                json_t *j = hc_issue_json_parse_reuse(spare, rec, strlen(rec), NULL, 0, NULL);
                if (hc_issue_prepare(iss, j, NULL, &jobs[i], msg, sizeof msg) != HC_OK) {
                    fprintf(stderr, "bench_issue: %s\n", msg);
                    return 1;
                }
                spare = jobs[i].r.dcc;
                jobs[i].r.dcc = NULL;
                jobs[i].text_only = true;
            }
            lap(&acc[ST_PREPARE], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                if (hc_issue_sign(iss, &jobs[i], msg, sizeof msg) != HC_OK) {
                    return 1;
                }
            }
            lap(&acc[ST_SIGN], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                const uint8_t *z = NULL;
                size_t n = 0;
                if (hc_issue_compress(&jobs[i], &z, &n, msg, sizeof msg) != HC_OK ||
                    hc_issue_text_len(n) >= sizeof text) {
                    return 1;
                }
                hc_issue_text(z, n, text);
            }
            lap(&acc[ST_FINISH], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                hc_issue_job_clear(&jobs[i]);
            }
            lap(&acc[ST_RELEASE], &t0);
        }
        /* The parts, apart. */
        for (unsigned done = 0; done < lines; done += STAGE_CHUNK) {
            hc_eu_dcc_claims cl = { .iss = "AT", .iat = 1654041600, .exp = 1685577600 };
            t0 = thread_cpu_s();
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                const char *rec = records[(done + i) % 3];
                spare = hc_issue_json_parse_reuse(spare, rec, strlen(rec), NULL, 0, NULL);
            }
            lap(&acc[ST_PARSE], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                const char *rec = records[(done + i) % 3];
                copies[i] = hc_issue_json_parse(rec, strlen(rec), NULL, 0, NULL);
                if (hc_issue_prepare(iss, copies[i], NULL, &jobs[i], msg, sizeof msg) != HC_OK ||
                    hc_issue_sign(iss, &jobs[i], msg, sizeof msg) != HC_OK) {
                    return 1;
                }
            }
            t0 = thread_cpu_s();
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                (void)hc_dcc_schema_validate(jobs[i].r.dcc, msg, sizeof msg);
            }
            lap(&acc[ST_SCHEMA], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                size_t n = 0;
                (void)hc_eu_dcc_encode_cwt(jobs[i].r.dcc, &cl, s->cwt, sizeof s->cwt, &n);
            }
            lap(&acc[ST_CBOR], &t0);
            size_t zn = 0;
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                (void)hc_zdeflate_compress(&s->zd, jobs[i].cose.buf, jobs[i].cose.len, s->z,
                                           sizeof s->z, &zn);
            }
            lap(&acc[ST_DEFLATE], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                size_t n = 0;
                (void)hc_base45_encode(s->z, zn, text, sizeof text, &n);
            }
            lap(&acc[ST_BASE45], &t0);
            for (unsigned i = 0; i < STAGE_CHUNK; i++) {
                hc_issue_job_clear(&jobs[i]);
            }
        }
        json_decref(spare);
        double raw = 1e6 / raw_rate(raw_key, msgs, lines, 1);
        unsigned n = (lines + STAGE_CHUNK - 1) / STAGE_CHUNK * STAGE_CHUNK;
        for (int k = 0; r > 0 && k < ST_COUNT; k++) {
            best[k] = acc[k] * 1e6 / n < best[k] ? acc[k] * 1e6 / n : best[k];
        }
        raw_best = r > 0 && raw < raw_best ? raw : raw_best;
    }
    printf("bench_issue --stages: us per certificate, best of %d rounds of %u (thread CPU time)\n",
           rounds, lines);
    double total = 0;
    for (int k = 0; k < ST_COUNT; k++) {
        if (k == ST_MAIN) {
            printf("  %-34s %6.2f   (raw OpenSSL sign %.2f; ratio %.3f)\n", "all stages", total,
                   raw_best, raw_best / total);
            printf("  apart, warm:\n");
        }
        printf("  %-34s %6.2f\n", stage_names[k], best[k]);
        total += k < ST_MAIN ? best[k] : 0;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    unsigned lines = 3000;
    int rounds = 7;
    bool qr = true, stages = false;
    int profile = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lines") == 0 && i + 1 < argc) {
            lines = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--no-qr") == 0) {
            qr = false;
        } else if (strcmp(argv[i], "--stages") == 0) {
            stages = true;
        } else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
            profile = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench_issue [--lines N] [--rounds R] [--no-qr] [--stages] "
                            "[--profile N]\n");
            return 2;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || lines < 100 || lines > 10000000) {
        fprintf(stderr, "bench_issue: rounds 1..%d, lines 100..10000000\n", MAX_ROUNDS);
        return 2;
    }
    char dir[] = "/tmp/bench_issue.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    hc_issuer *iss = make_issuer(dir);
    EVP_PKEY *raw_key = EVP_EC_gen("P-256"); /* same curve as the DSC */
    static uint8_t msgs[64 * MSG_LEN];
    if (iss == NULL || raw_key == NULL || RAND_bytes(msgs, sizeof msgs) != 1) {
        return 1;
    }
    if (stages) {
        int rc = run_stages(iss, raw_key, msgs, lines, rounds);
        hc_issuer_free(iss);
        EVP_PKEY_free(raw_key);
        return rc;
    }

    /* The input: the three records in turn, each line without a UVCI (one is made per line). */
    size_t cap = 0;
    for (size_t i = 0; i < 3; i++) {
        cap += strlen(records[i]) + 1;
    }
    cap = cap * (lines / 3 + 1);
    char *input = malloc(cap);
    size_t input_len = 0;
    for (unsigned i = 0; i < lines; i++) {
        size_t n = strlen(records[i % 3]);
        memcpy(input + input_len, records[i % 3], n);
        input[input_len + n] = '\n';
        input_len += n + 1;
    }

    double r1[MAX_ROUNDS], o1[MAX_ROUNDS], ratio1[MAX_ROUNDS];
    double r2[MAX_ROUNDS], o2[MAX_ROUNDS], ratio2[MAX_ROUNDS];
    double w1[MAX_ROUNDS], scaling[MAX_ROUNDS], qr_rate[MAX_ROUNDS];
    char *output = NULL;
    size_t output_len = 0;
    /* Warm-up: schema compilation, value tables, page faults. */
    batch_rate(iss, input, input_len, 1, true, NULL, NULL);
    if (profile > 0) {
        for (int r = 0; r < profile; r++) {
            batch_rate(iss, input, input_len, 1, true, NULL, NULL);
        }
        free(input);
        hc_issuer_free(iss);
        EVP_PKEY_free(raw_key);
        return 0;
    }
    for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
            r1[r] = raw_rate(raw_key, msgs, lines, 1);
            o1[r] = batch_rate(iss, input, input_len, 1, true, NULL, NULL);
        } else {
            o1[r] = batch_rate(iss, input, input_len, 1, true, NULL, NULL);
            r1[r] = raw_rate(raw_key, msgs, lines, 1);
        }
        w1[r] = batch_rate(iss, input, input_len, 1, false, NULL, NULL);
        r2[r] = raw_rate(raw_key, msgs, lines, 2);
        free(output);
        o2[r] = batch_rate(iss, input, input_len, 2, false, &output, &output_len);
        if (o1[r] == 0 || o2[r] == 0 || w1[r] == 0) {
            return 1;
        }
        ratio1[r] = o1[r] / r1[r];
        ratio2[r] = o2[r] / r2[r];
        scaling[r] = o2[r] / w1[r];

        /* QR PNG over the issued texts (one core, thread CPU time). */
        unsigned nq = !qr ? 0 : lines < 300 ? lines : 300, done = 0;
        char *p = output;
        double t0 = thread_cpu_s();
        for (unsigned i = 0; i < nq && p < output + output_len; i++) {
            char *nl = strchr(p, '\n');
            *nl = '\0';
            uint8_t *png = NULL;
            size_t len = 0;
            if (hc_qr_png_bytes(p, NULL, &png, &len) == HC_OK) {
                done++;
            }
            free(png);
            *nl = '\n';
            p = nl + 1;
        }
        qr_rate[r] = done / (thread_cpu_s() - t0);
    }
    printf("bench_issue: %u JSON lines per run (v/t/r records, UVCI generated), ES256, median of "
           "%d interleaved rounds\n",
           lines, rounds);
    printf("  1 core : raw OpenSSL sign %8.0f /s   issue --batch %8.0f /s   ratio %.3f  "
           "(target >= 0.8; %.1f us vs %.1f us per certificate)\n",
           median(r1, rounds), median(o1, rounds), median(ratio1, rounds), 1e6 / median(o1, rounds),
           1e6 / median(r1, rounds));
    printf("  2 cores: raw OpenSSL sign %8.0f /s   issue --batch %8.0f /s   ratio %.3f\n",
           median(r2, rounds), median(o2, rounds), median(ratio2, rounds));
    printf("  scaling of issue --batch from 1 to 2 workers (wall): %.2fx (1 worker %.0f /s)\n",
           median(scaling, rounds), median(w1, rounds));
    if (qr) {
        printf("  QR PNG (ECC Q, 6 px/module): %.0f images/s on one core\n",
               median(qr_rate, rounds));
    }
    free(output);
    free(input);
    hc_issuer_free(iss);
    EVP_PKEY_free(raw_key);
    return 0;
}
