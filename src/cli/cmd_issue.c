/*
 * cmd_issue.c: `healthcert issue [options] INPUT|-` (shared/CONTRACT.md): signs an EU DCC from
 * its JSON and prints the QR text; --qr / --pdf also write an image / a printable certificate;
 * --batch issues JSON Lines through the worker pool of issue_batch.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "cli_common.h"
#include "cli_issue_who.h"
#include "cli_jose.h"
#include "commands.h"
#include "fileio.h"
#include "hc_limits.h"
#include "hctime.h"
#include "healthcert/issue.h"
#include "issue_batch.h"
#include "issue_json.h"
#include "issue_pdf.h"
#include "qr.h"

static const char usage_text[] =
    "usage: healthcert issue --cert DSC.pem --key DSC.key [options] INPUT|-\n"
    "\n"
    "Signs an EU Digital COVID Certificate from its DCC JSON (INPUT, or standard input for -)\n"
    "and prints the QR text (\"HC1:...\") on standard output. The record is validated against\n"
    "the DCC schema of its \"ver\"; a record without a certificate identifier (ci) gets a new\n"
    "UVCI with its check character. A refused record prints nothing on standard output and the\n"
    "reason, naming the field, on standard error.\n"
    "\n"
    "options:\n"
    "  --cert FILE            the document signer certificate (PEM or DER; healthcert keygen dsc)\n"
    "  --key FILE             its private key (PKCS#8, plain or passphrase-encrypted)\n"
    "  --passphrase-file F    the key's passphrase: the first line of F\n"
    "  --format F             eu-dcc (the default); shc, vc-jwt, who-ddcc and icao-vds-nc\n"
    "                         take other options: healthcert issue --format shc --help\n"
    "  --at TIME              issuing time (iat), ISO 8601 (default: now)\n"
    "  --validity-days N      expiry (exp) = iat + N days (default 365), never past the end of\n"
    "                         the signing certificate\n"
    "  --qr FILE              also write the QR code image: FILE.png or FILE.svg\n"
    "  --pdf FILE             also write a printable certificate (PDF: A4 page with an A6 card)\n"
    "  --json                 print {\"uvci\", \"qr\", \"type\", \"issued_at\", \"expires_at\", "
    "\"kid\"}\n"
    "                         instead of the bare QR text\n"
    "  --batch                INPUT holds JSON Lines: one output line per input line, in order:\n"
    "                         the QR text, or {\"line\": N, \"errors\": [...]} for a refused line\n"
    "  --jobs N               batch worker threads (default: the number of CPUs)\n"
    "  -h, --help             this help\n"
    "\n"
    "exit codes: 0 issued (batch: every line), 1 refused (batch: some line refused),\n"
    "            2 could not issue (bad option, unreadable or mismatched key/certificate, ...)\n";

enum {
    OPT_CERT = 1,
    OPT_KEY,
    OPT_PASS,
    OPT_FORMAT,
    OPT_AT,
    OPT_VALIDITY,
    OPT_QR,
    OPT_PDF,
    OPT_JSON,
    OPT_BATCH,
    OPT_JOBS,
};

static const struct option options[] = {
    { "cert", required_argument, NULL, OPT_CERT },
    { "key", required_argument, NULL, OPT_KEY },
    { "passphrase-file", required_argument, NULL, OPT_PASS },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "at", required_argument, NULL, OPT_AT },
    { "validity-days", required_argument, NULL, OPT_VALIDITY },
    { "qr", required_argument, NULL, OPT_QR },
    { "pdf", required_argument, NULL, OPT_PDF },
    { "json", no_argument, NULL, OPT_JSON },
    { "batch", no_argument, NULL, OPT_BATCH },
    { "jobs", required_argument, NULL, OPT_JOBS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

typedef struct issue_args {
    const char *cert, *key, *pass, *qr, *pdf, *input;
    bool json, batch, qr_svg;
    int jobs;
    hc_issue_options opt;
} issue_args;

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool
parse_int(const char *s, long lo, long hi, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = (int)v;
    return true;
}

/* ---- one certificate ---- */

static void
print_json(const hc_issue_result *r)
{
    char kid[16] = "", iat[32], exp[32], type[2] = { r->type, '\0' };
    size_t kid_len = 0;
    if (hc_base64_encode(r->kid, sizeof r->kid, false, kid, sizeof kid, &kid_len) != HC_OK) {
        kid[0] = '\0';
    }
    hc_time_format(r->iat_ms, false, iat, sizeof iat);
    hc_time_format(r->exp_ms, false, exp, sizeof exp);
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "uvci", r->uvci, "qr", r->qr, "type", type,
                  "issuer_country", r->country, "issued_at", iat, "expires_at", exp, "kid", kid);
    char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
    if (s != NULL) {
        printf("%s\n", s);
    }
    free(s);
    json_decref(o);
}

static int
issue_one(const hc_issuer *iss, const issue_args *a)
{
    uint8_t *data = NULL;
    size_t len = 0;
    char msg[512] = "", why[160] = "";
    int column = 0;
    hc_issue_result r;

    hc_err e = hc_read_file(a->input, HC_MAX_INPUT_TEXT, &data, &len);
    if (e == HC_ERR_INPUT_TOO_LARGE) {
        fprintf(stderr,
                "healthcert issue: refused (INPUT_TOO_LARGE): the input is larger than %d "
                "bytes\n",
                HC_MAX_INPUT_TEXT);
        free(data);
        return 1;
    }
    if (e != HC_OK) {
        fprintf(stderr, "healthcert: cannot read %s\n",
                strcmp(a->input, "-") == 0 ? "standard input" : a->input);
        return 2;
    }
    json_t *j = hc_issue_json_parse((const char *)data, len, why, sizeof why, &column);
    free(data);
    if (j == NULL) {
        fprintf(stderr, "healthcert issue: refused (STRUCTURE_INVALID): not JSON: %s (column %d)\n",
                why, column);
        return 1;
    }
    e = hc_issue_eu_dcc(iss, j, &a->opt, &r, msg, sizeof msg);
    json_decref(j);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: %s (%s): %s\n",
                hc_err_is_verdict(e) ? "refused" : "cannot issue", hc_err_code(e),
                msg[0] ? msg : hc_err_str(e));
        return hc_err_exit_code(e);
    }
    int rc = 0;
    /* Files first: the QR text is printed only when everything asked for was written. */
    if (a->qr != NULL) {
        e = a->qr_svg ? hc_qr_write_svg(r.qr, NULL, a->qr) : hc_qr_write_png(r.qr, NULL, a->qr);
        if (e != HC_OK) {
            fprintf(stderr, "healthcert issue: cannot write %s: %s\n", a->qr, hc_err_str(e));
            rc = 2;
        }
    }
    if (rc == 0 && a->pdf != NULL) {
        e = hc_issue_pdf_write(&r, a->pdf);
        hc_issue_pdf_shutdown(); /* one PDF per run: release the font caches now */
        if (e != HC_OK) {
            fprintf(stderr, "healthcert issue: cannot write %s: %s\n", a->pdf, hc_err_str(e));
            rc = 2;
        }
    }
    if (rc == 0) {
        if (a->json) {
            print_json(&r);
        } else {
            printf("%s\n", r.qr);
        }
        if (fflush(stdout) != 0) {
            rc = 2;
        }
    }
    hc_issue_result_clear(&r);
    return rc;
}

/* ---- batch ---- */

typedef struct progress {
    bool tty;
    uint64_t total_bytes; /* 0 when unknown (a pipe) */
    double started, last;
} progress;

static double
monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress bar on standard error (a terminal only), at most ten updates a second. */
static void
on_progress(void *ctx, const hc_batch_stats *st, uint64_t bytes_read)
{
    progress *pg = ctx;
    double now = monotonic_s();
    if (!pg->tty || now - pg->last < 0.1) {
        return;
    }
    pg->last = now;
    double rate = st->lines / (now - pg->started > 0 ? now - pg->started : 1);
    if (pg->total_bytes > 0) {
        double frac = (double)bytes_read / (double)pg->total_bytes;
        frac = frac > 1 ? 1 : frac;
        char bar[31];
        int filled = (int)(frac * 30);
        for (int i = 0; i < 30; i++) {
            bar[i] = i < filled ? '#' : '-';
        }
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %3d%%  %llu issued, %llu refused  %.0f/s\033[K", bar,
                (int)(frac * 100), (unsigned long long)st->issued,
                (unsigned long long)(st->refused + st->failed), rate);
    } else {
        fprintf(stderr, "\r%llu lines: %llu issued, %llu refused  %.0f/s\033[K",
                (unsigned long long)st->lines, (unsigned long long)st->issued,
                (unsigned long long)(st->refused + st->failed), rate);
    }
}

static int
issue_batch(const hc_issuer *iss, const issue_args *a)
{
    FILE *in = strcmp(a->input, "-") == 0 ? stdin : fopen(a->input, "rb");
    progress pg = { .tty = isatty(STDERR_FILENO) != 0 };
    hc_batch_stats st;

    if (in == NULL) {
        fprintf(stderr, "healthcert: cannot read %s\n", a->input);
        return 2;
    }
    struct stat sb;
    if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode)) {
        pg.total_bytes = (uint64_t)sb.st_size;
    }
    pg.started = monotonic_s();
    hc_batch_options bo = {
        .threads = a->jobs,
        .issue = &a->opt,
        .progress = on_progress,
        .progress_ctx = &pg,
    };
    hc_err e = hc_issue_batch(iss, in, stdout, &bo, &st);
    if (in != stdin) {
        fclose(in);
    }
    if (pg.tty) {
        fputs("\r\033[K", stderr);
    }
    fprintf(stderr, "healthcert issue: %llu lines: %llu issued, %llu refused%s\n",
            (unsigned long long)st.lines, (unsigned long long)st.issued,
            (unsigned long long)st.refused,
            st.failed ? ", some could not be issued (see the error lines)" : "");
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: batch stopped: %s\n", hc_err_str(e));
        return 2;
    }
    return st.failed ? 2 : st.refused ? 1 : 0;
}

int
hc_cmd_issue(int argc, char **argv)
{
    issue_args a;
    char msg[512] = "";
    hc_issuer *iss = NULL;

    memset(&a, 0, sizeof a);
    /* --format shc / vc-jwt: the JWS formats, signed with a JWK (cli_jose.c). */
    if (hc_cli_is_jose_format(argc, argv)) {
        return hc_cli_issue_jose(argc, argv);
    }
    /* --format who-ddcc / icao-vds-nc: cli_issue_who.c. */
    if (hc_cli_is_who_format(argc, argv)) {
        return hc_cli_issue_who(argc, argv);
    }
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_CERT: a.cert = optarg; break;
        case OPT_KEY: a.key = optarg; break;
        case OPT_PASS: a.pass = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "eu-dcc") != 0) {
                fprintf(stderr, "healthcert issue: format '%s' is not supported (eu-dcc)\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_AT:
            if (!hc_cli_parse_time(optarg, &a.opt.time_ms)) {
                return 2;
            }
            a.opt.has_time = true;
            break;
        case OPT_VALIDITY:
            if (!parse_int(optarg, 1, 36525, &a.opt.validity_days)) {
                fprintf(stderr, "healthcert issue: --validity-days is a whole number 1..36525\n");
                return 2;
            }
            break;
        case OPT_QR: a.qr = optarg; break;
        case OPT_PDF: a.pdf = optarg; break;
        case OPT_JSON: a.json = true; break;
        case OPT_BATCH: a.batch = true; break;
        case OPT_JOBS:
            if (!parse_int(optarg, 1, HC_BATCH_MAX_THREADS, &a.jobs)) {
                fprintf(stderr, "healthcert issue: --jobs is 1..%d\n", HC_BATCH_MAX_THREADS);
                return 2;
            }
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (a.cert == NULL || a.key == NULL) {
        fprintf(stderr, "healthcert issue: --cert and --key are required (see --help)\n");
        return 2;
    }
    if (argc - optind > 1) {
        fprintf(stderr, "healthcert issue: one input at a time (use --batch for many)\n");
        return 2;
    }
    if (a.batch && (a.qr || a.pdf || a.json)) {
        fprintf(stderr, "healthcert issue: --qr, --pdf and --json take one certificate, not "
                        "--batch\n");
        return 2;
    }
    if (a.qr != NULL) {
        a.qr_svg = ends_with(a.qr, ".svg");
        if (!a.qr_svg && !ends_with(a.qr, ".png")) {
            fprintf(stderr, "healthcert issue: --qr FILE must end in .png or .svg\n");
            return 2;
        }
    }
    a.input = optind < argc ? argv[optind] : "-";
    if (strcmp(a.input, "-") == 0 && isatty(STDIN_FILENO)) {
        fprintf(stderr, "healthcert issue: reading the DCC JSON from the terminal (end with "
                        "Ctrl-D); see --help\n");
    }
    hc_err e = hc_issuer_load(a.cert, a.key, a.pass, &iss, msg, sizeof msg);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: %s\n", msg[0] ? msg : hc_err_str(e));
        return 2;
    }
    int rc = a.batch ? issue_batch(iss, &a) : issue_one(iss, &a);
    hc_issuer_free(iss);
    return rc;
}
