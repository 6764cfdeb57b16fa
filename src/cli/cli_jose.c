/*
 * cli_jose.c: `healthcert issue --format shc|vc-jwt` and `healthcert keygen jwks` (cli_jose.h).
 * The issuing itself is the library's (shc_encode.h, vc_jwt_encode.h, jose_signer.h); this file
 * reads options and inputs and writes the outputs of shared/CONTRACT.md "healthcert issue".
 */
#include "cli_jose.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "fileio.h"
#include "hctime.h"
#include "jose_signer.h"
#include "json_bounded.h"
#include "qr_shc.h"
#include "shc_encode.h"
#include "vc_jwt_encode.h"

/* An issuing input (one JSON document, or a JSON Lines file with --batch). */
#define INPUT_MAX (4 * 1024 * 1024)

static const char issue_usage[] =
    "usage: healthcert issue --format shc|vc-jwt --key KEY.jwk [options] INPUT\n"
    "\n"
    "Signs a credential and prints its QR text on standard output:\n"
    "  shc     a SMART Health Card (shc:/...) from a FHIR Bundle or EU DCC JSON (v or t);\n"
    "          --iss is the issuer URL whose /.well-known/jwks.json publishes the key\n"
    "  vc-jwt  a W3C verifiable credential as a JWT (vc-jwt:/..., compressed), from a\n"
    "          credential or a credential subject; --iss is a DID (default: the key's did:key)\n"
    "\n"
    "options:\n"
    "  --key FILE          the private JWK (healthcert keygen jwks)\n"
    "  --iss URL|DID       the issuer\n"
    "  --at TIME           issuing time (nbf), ISO 8601; default now\n"
    "  --validity-days N   expiry (exp) N days after issuing; default none (shc), none (vc-jwt)\n"
    "  --rid RID           shc: revocation id (base64url, at most 24 characters)\n"
    "  --type T            vc-jwt: a credential type besides VerifiableCredential\n"
    "  --jws               print the compact JWS / JWT instead of the QR text\n"
    "  --qr FILE           also write the QR code image (.png or .svg)\n"
    "  --batch             INPUT holds JSON Lines; one output line each, in order\n"
    "  -h, --help          this help\n"
    "\n"
    "exit codes: 0 issued, 1 input refused (errors on standard error), 2 could not issue\n";

enum {
    OPT_FORMAT = 1,
    OPT_KEY,
    OPT_ISS,
    OPT_AT,
    OPT_DAYS,
    OPT_RID,
    OPT_TYPE,
    OPT_JWS,
    OPT_QR,
    OPT_BATCH,
    OPT_OUT,
    OPT_ALG,
    OPT_DID,
    OPT_NAME,
    OPT_FORCE,
};

bool
hc_cli_is_jose_format(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *f = NULL;
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            f = argv[i + 1];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            f = argv[i] + 9;
        }
        if (f != NULL && (strcmp(f, "shc") == 0 || strcmp(f, "vc-jwt") == 0)) {
            return true;
        }
    }
    return false;
}

typedef struct issue_args {
    bool shc, print_jws;
    const char *qr_path;
    hc_shc_issue_options shc_opt;
    hc_vc_issue_options vc_opt;
} issue_args;

/* Issues one input; prints the output line; returns the exit code of this input. */
static int
issue_one(const hc_jose_signer *s, const issue_args *a, const char *text, size_t len, size_t line)
{
    json_t *input = NULL;
    char why[256] = "";
    char where[32] = "";
    if (line > 0) {
        snprintf(where, sizeof where, "line %zu: ", line);
    }
    if (hc_json_parse_bounded(text, len, &hc_json_payload_limits, &input, why, sizeof why) !=
        HC_OK) {
        fprintf(stderr, "healthcert issue: %sthe input is not JSON: %s\n", where, why);
        return 1;
    }
    const char *out_text = NULL, *qr_text = NULL;
    hc_shc_issue_result sr;
    hc_vc_issue_result vr;
    hc_err e;
    memset(&sr, 0, sizeof sr);
    memset(&vr, 0, sizeof vr);
    why[0] = '\0';
    if (a->shc) {
        e = hc_shc_issue(s, input, &a->shc_opt, &sr, why, sizeof why);
        out_text = a->print_jws ? sr.jws : sr.qr;
        qr_text = sr.qr;
    } else {
        e = hc_vc_jwt_issue(s, input, &a->vc_opt, &vr, why, sizeof why);
        qr_text = vr.qr;
        out_text = a->print_jws ? vr.jwt : vr.qr;
        if (e == HC_OK && vr.qr == NULL) {
            if (a->print_jws) {
                fprintf(stderr, "healthcert issue: %s%s\n", where, why); /* a warning */
            } else {
                e = HC_ERR_INPUT_TOO_LARGE; /* the QR text was asked for */
            }
        }
    }
    json_decref(input);
    int rc = 0;
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: %s%s\n", where, why[0] ? why : hc_err_str(e));
        rc = hc_err_is_verdict(e) ? 1 : 2;
    } else {
        printf("%s\n", out_text);
        if (a->qr_path != NULL && qr_text != NULL) {
            hc_err qe = hc_qr_shc_write(qr_text, NULL, a->qr_path);
            if (qe != HC_OK) {
                fprintf(stderr, "healthcert issue: cannot write %s: %s\n", a->qr_path,
                        hc_err_str(qe));
                rc = 2;
            }
        }
    }
    hc_shc_issue_result_clear(&sr);
    hc_vc_issue_result_clear(&vr);
    return rc;
}

int
hc_cli_issue_jose(int argc, char **argv)
{
    static const struct option options[] = {
        { "format", required_argument, NULL, OPT_FORMAT },
        { "key", required_argument, NULL, OPT_KEY },
        { "iss", required_argument, NULL, OPT_ISS },
        { "at", required_argument, NULL, OPT_AT },
        { "validity-days", required_argument, NULL, OPT_DAYS },
        { "rid", required_argument, NULL, OPT_RID },
        { "type", required_argument, NULL, OPT_TYPE },
        { "jws", no_argument, NULL, OPT_JWS },
        { "qr", required_argument, NULL, OPT_QR },
        { "batch", no_argument, NULL, OPT_BATCH },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    issue_args a;
    const char *key_path = NULL, *format = NULL;
    bool batch = false;
    hc_jose_signer s;
    int c, rc = 2;

    memset(&a, 0, sizeof a);
    memset(&s, 0, sizeof s);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT: format = optarg; break;
        case OPT_KEY: key_path = optarg; break;
        case OPT_ISS:
            a.shc_opt.iss = optarg;
            a.vc_opt.iss = optarg;
            break;
        case OPT_AT:
            if (!hc_cli_parse_time(optarg, &a.shc_opt.time_ms)) {
                return 2;
            }
            a.shc_opt.has_time = a.vc_opt.has_time = true;
            a.vc_opt.time_ms = a.shc_opt.time_ms;
            break;
        case OPT_DAYS: {
            char *end = NULL;
            long d = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || d < 1 || d > 36500) {
                fprintf(stderr, "healthcert issue: --validity-days must be 1..36500\n");
                return 2;
            }
            a.shc_opt.validity_days = a.vc_opt.validity_days = (int)d;
            break;
        }
        case OPT_RID: a.shc_opt.rid = optarg; break;
        case OPT_TYPE: a.vc_opt.type = optarg; break;
        case OPT_JWS: a.print_jws = true; break;
        case OPT_QR: a.qr_path = optarg; break;
        case OPT_BATCH: batch = true; break;
        case 'h': fputs(issue_usage, stdout); return 0;
        default: fputs(issue_usage, stderr); return 2;
        }
    }
    if (format == NULL || (strcmp(format, "shc") != 0 && strcmp(format, "vc-jwt") != 0) ||
        key_path == NULL || argc - optind != 1) {
        fputs(issue_usage, stderr);
        return 2;
    }
    a.shc = strcmp(format, "shc") == 0;
    if (a.shc && a.shc_opt.iss == NULL) {
        fprintf(stderr, "healthcert issue: --format shc needs --iss (the issuer URL)\n");
        return 2;
    }
    if (batch && a.qr_path != NULL) {
        fprintf(stderr, "healthcert issue: --qr writes one image; not with --batch\n");
        return 2;
    }
    char msg[512] = "";
    hc_err e = hc_jose_signer_load(key_path, &s, msg, sizeof msg);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: %s\n", msg);
        return 2;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    e = hc_cli_read_input(argv[optind], INPUT_MAX, &data, &len);
    if (e != HC_OK) {
        if (e == HC_ERR_INPUT_TOO_LARGE) {
            fprintf(stderr, "healthcert issue: the input is larger than %d MiB\n", INPUT_MAX >> 20);
        }
        goto done;
    }
    if (!batch) {
        rc = issue_one(&s, &a, (const char *)data, len, 0);
    } else {
        rc = 0;
        size_t line = 0;
        for (size_t i = 0; i < len;) {
            size_t end = i;
            while (end < len && data[end] != '\n') {
                end++;
            }
            line++;
            size_t n = end - i;
            while (n > 0 && (data[i + n - 1] == '\r' || data[i + n - 1] == ' ')) {
                n--;
            }
            if (n > 0) {
                int r = issue_one(&s, &a, (const char *)data + i, n, line);
                rc = r > rc ? r : rc;
            }
            i = end + 1;
        }
    }
    fflush(stdout);
done:
    free(data);
    hc_jose_signer_clear(&s);
    return rc;
}

static const char keygen_usage[] =
    "usage: healthcert keygen jwks --out DIR [--alg es256|eddsa] [--did did:web:...] [options]\n"
    "\n"
    "Creates a signing key for SMART Health Cards (ES256) or VC-JWTs (ES256 or EdDSA):\n"
    "  DIR/NAME.jwks.json    the public JWKS (mode 0644): publish it at\n"
    "                        <issuer URL>/.well-known/jwks.json (SMART Health Cards)\n"
    "  DIR/NAME.private.jwk  the private JWK (mode 0600): healthcert issue --key\n"
    "  DIR/NAME.did.json     with --did: the DID document to publish for that did:web\n"
    "The key's kid (RFC 7638 thumbprint) and its did:key are printed.\n"
    "\n"
    "options:\n"
    "  --out DIR          folder for the files (created when missing)\n"
    "  --alg es256|eddsa  ECDSA P-256 (default; the only SMART Health Card algorithm) or Ed25519\n"
    "  --did DID          a did:web DID to write a DID document for\n"
    "  --name NAME        file name stem (default issuer)\n"
    "  --force            replace existing files\n"
    "  -h, --help         this help\n";

int
hc_cli_keygen_jwks(int argc, char **argv)
{
    static const struct option options[] = {
        { "out", required_argument, NULL, OPT_OUT },
        { "alg", required_argument, NULL, OPT_ALG },
        { "did", required_argument, NULL, OPT_DID },
        { "name", required_argument, NULL, OPT_NAME },
        { "force", no_argument, NULL, OPT_FORCE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *did = NULL, *name = "issuer";
    hc_sig_alg alg = HC_SIG_ES256;
    bool force = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_OUT: out = optarg; break;
        case OPT_ALG:
            if (strcmp(optarg, "es256") == 0 || strcmp(optarg, "ES256") == 0) {
                alg = HC_SIG_ES256;
            } else if (strcmp(optarg, "eddsa") == 0 || strcmp(optarg, "EdDSA") == 0) {
                alg = HC_SIG_EDDSA;
            } else {
                fprintf(stderr, "healthcert keygen jwks: --alg is es256 or eddsa\n");
                return 2;
            }
            break;
        case OPT_DID: did = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_FORCE: force = true; break;
        case 'h': fputs(keygen_usage, stdout); return 0;
        default: fputs(keygen_usage, stderr); return 2;
        }
    }
    if (out == NULL || optind != argc || strchr(name, '/') != NULL) {
        fputs(keygen_usage, stderr);
        return 2;
    }
    struct stat st;
    if (stat(out, &st) != 0 && mkdir(out, 0755) != 0) {
        fprintf(stderr, "healthcert keygen jwks: cannot create %s\n", out);
        return 2;
    }
    size_t plen = strlen(out) + strlen(name) + 32;
    char *jwks = malloc(plen), *priv = malloc(plen), *doc = malloc(plen);
    int rc = 2;
    if (jwks == NULL || priv == NULL || doc == NULL) {
        fprintf(stderr, "healthcert: out of memory\n");
        goto done;
    }
    snprintf(jwks, plen, "%s/%s.jwks.json", out, name);
    snprintf(priv, plen, "%s/%s.private.jwk", out, name);
    snprintf(doc, plen, "%s/%s.did.json", out, name);
    hc_jose_keyset ks;
    char msg[512] = "";
    hc_err e = hc_jose_keygen_files(alg, did, jwks, priv, did != NULL ? doc : NULL, force, &ks, msg,
                                    sizeof msg);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert keygen jwks: %s\n", msg[0] ? msg : hc_err_str(e));
        goto done;
    }
    printf("kid      %s\ndid:key  %s\nwrote    %s (public), %s (private, 0600)%s%s\n", ks.kid,
           ks.did_key, jwks, priv, did != NULL ? ", " : "", did != NULL ? doc : "");
    hc_jose_keyset_clear(&ks);
    rc = 0;
done:
    free(jwks);
    free(priv);
    free(doc);
    return rc;
}
