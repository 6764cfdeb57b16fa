/*
 * cmd_verify.c: `healthcert verify [options] [FILE|-]` (shared/CONTRACT.md).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "cli_did_web.h"
#include "commands.h"
#include "hc_limits.h"
#include "ruleset.h"
#include "verdict_build.h"

static const char usage_text[] =
    "usage: healthcert verify [options] [FILE|-]\n"
    "\n"
    "Verifies one health certificate: QR text, or a PNG/JPEG image of the QR code, from FILE or\n"
    "standard input. Prints VALID or INVALID with the holder's name and date of birth, the\n"
    "certificate type and issuer, and each failed check with its reason.\n"
    "\n"
    "options:\n"
    "  --trust PATH     trusted signer certificates: PEM/DER file, folder, or an EU gateway-style\n"
    "                   trust list (JSON); for SMART Health Cards and VC-JWT also a JWKS, a VCI\n"
    "                   directory snapshot, revocation lists (crl/<kid>.json), a DID document,\n"
    "                   or a file of did:key lines; repeatable\n"
    "  --at TIME        validation clock, ISO 8601 (default: now), e.g. 2026-06-01T12:00:00Z\n"
    "  --json           print the verdict as JSON\n"
    "  --batch          every input line is one QR text; print one JSON verdict per line\n"
    "  --rules PATH     business rules (CertLogic, EU rule JSON: file or folder)\n"
    "  --valuesets PATH value sets for the rules (EU format or {id: [codes]})\n"
    "  --country CC     arrival country whose rules apply (with --rules)\n"
    "  --region R       arrival region, for rules that have one\n"
    "  --revocation PATH  revocation list (the JSON of a service's GET /v1/revocations);\n"
    "                   repeatable\n"
    "  --resolve-did-web  fetch the DID document of a VC-JWT's did:web issuer that no --trust\n"
    "                   file names, over HTTPS (did:web spec section 3.2): network access, off\n"
    "                   by default; TLS 1.2+, certificate and host name checked, no redirects,\n"
    "                   64 KiB, 10 s; the document's id must be the issuer's DID\n"
    "  --ca-file PEM    with --resolve-did-web: trust these CA certificates instead of the\n"
    "                   system's\n"
    "  -h, --help       this help\n"
    "\n"
    "exit codes: 0 valid, 1 invalid (or not a certificate), 2 could not check\n";

enum {
    OPT_TRUST = 1,
    OPT_AT,
    OPT_JSON,
    OPT_BATCH,
    OPT_RULES,
    OPT_VALUESETS,
    OPT_REGION,
    OPT_COUNTRY,
    OPT_REVOCATION,
    OPT_RESOLVE_DID_WEB,
    OPT_CA_FILE
};

static const struct option options[] = {
    { "trust", required_argument, NULL, OPT_TRUST },
    { "at", required_argument, NULL, OPT_AT },
    { "json", no_argument, NULL, OPT_JSON },
    { "batch", no_argument, NULL, OPT_BATCH },
    { "rules", required_argument, NULL, OPT_RULES },
    { "valuesets", required_argument, NULL, OPT_VALUESETS },
    { "country", required_argument, NULL, OPT_COUNTRY },
    { "region", required_argument, NULL, OPT_REGION },
    { "revocation", required_argument, NULL, OPT_REVOCATION },
    { "resolve-did-web", no_argument, NULL, OPT_RESOLVE_DID_WEB },
    { "ca-file", required_argument, NULL, OPT_CA_FILE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/*
 * --batch: one verdict per input line, in order. A line longer than any credential is judged
 * INPUT_TOO_LARGE without being buffered whole. Blank lines are skipped (they hold no input).
 */
static int
run_batch(hc_verifier *v, FILE *in)
{
    char *line = malloc(HC_MAX_INPUT_TEXT + 2);
    int worst = 0;

    if (line == NULL) {
        fprintf(stderr, "healthcert: out of memory\n");
        return 2;
    }
    for (;;) {
        size_t n = 0;
        int c = 0;
        bool too_long = false;
        while ((c = getc(in)) != EOF && c != '\n') {
            if (n <= HC_MAX_INPUT_TEXT) {
                line[n++] = (char)c;
            } else {
                too_long = true;
            }
        }
        if (c == EOF && n == 0 && !too_long) {
            break;
        }
        size_t len = n;
        while (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (len == 0 && !too_long) {
            if (c == EOF) {
                break;
            }
            continue;
        }
        hc_verdict vd;
        hc_err e;
        if (too_long) {
            /* Judged without decoding: give the same verdict hc_verify would. */
            hc_verdict_init(&vd);
            e = hc_verify(v, (const unsigned char *)line, HC_MAX_INPUT_TEXT + 1, &vd);
        } else {
            e = hc_verify(v, (const unsigned char *)line, len, &vd);
        }
        hc_cli_print_json(stdout, &vd, true);
        int code = hc_cli_exit_code(e, &vd);
        worst = code > worst ? code : worst;
        hc_verdict_clear(&vd);
        if (c == EOF) {
            break;
        }
    }
    free(line);
    fflush(stdout);
    return worst;
}

/* --rules / --valuesets / --country: loads the rule set and value sets into opt. */
static bool
load_rules(const char *rules_path, const char *valuesets_path, hc_verify_options *opt,
           hc_ruleset **rules, hc_valuesets **valuesets)
{
    char msg[512] = "";
    if (rules_path == NULL) {
        if (valuesets_path != NULL || opt->country != NULL) {
            fprintf(stderr, "healthcert verify: --valuesets and --country need --rules\n");
            return false;
        }
        return true;
    }
    if (opt->country == NULL || strlen(opt->country) != 2) {
        fprintf(stderr, "healthcert verify: --rules needs --country CC (the arrival country, "
                        "ISO 3166-1 alpha-2)\n");
        return false;
    }
    *rules = hc_ruleset_load(rules_path, msg, sizeof msg);
    if (*rules == NULL) {
        fprintf(stderr, "healthcert verify: cannot use rules %s: %s\n", rules_path, msg);
        return false;
    }
    if (valuesets_path != NULL) {
        *valuesets = hc_valuesets_load(valuesets_path, msg, sizeof msg);
        if (*valuesets == NULL) {
            fprintf(stderr, "healthcert verify: cannot use value sets %s: %s\n", valuesets_path,
                    msg);
            return false;
        }
    }
    opt->rules = *rules;
    opt->valuesets = *valuesets;
    return true;
}

/* --revocation PATH (repeatable): adds the list's hashes to *rl (made on first use). */
static bool
load_revocation(const char *path, hc_revocation_list **rl, hc_verify_options *opt)
{
    char msg[256] = "";
    if (*rl == NULL && (*rl = hc_revocation_list_new()) == NULL) {
        fprintf(stderr, "healthcert: out of memory\n");
        return false;
    }
    hc_err e = hc_revocation_list_load_path(*rl, path, msg, sizeof msg);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert verify: cannot use revocation list %s: %s\n", path,
                msg[0] ? msg : hc_err_str(e));
        return false;
    }
    opt->revocation = *rl;
    return true;
}

int
hc_cmd_verify(int argc, char **argv)
{
    hc_verify_options opt;
    bool json = false, batch = false;
    const char *rules_path = NULL, *valuesets_path = NULL;
    hc_revocation_list *revocations = NULL;
    hc_ruleset *rules = NULL;
    hc_valuesets *valuesets = NULL;
    int rc = 2;
    hc_verifier *v = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    hc_trust_store *ts = hc_trust_store_new();
    hc_cli_did_web resolver;
    bool resolve_did_web = false;

    memset(&opt, 0, sizeof opt);
    memset(&resolver, 0, sizeof resolver);
    if (ts == NULL) {
        fprintf(stderr, "healthcert: out of memory\n");
        return 2;
    }
    opt.trust = ts;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_TRUST:
            if (!hc_cli_load_trust(ts, optarg)) {
                goto done;
            }
            break;
        case OPT_AT:
            if (!hc_cli_parse_time(optarg, &opt.clock_ms)) {
                goto done;
            }
            opt.has_clock = true;
            break;
        case OPT_JSON: json = true; break;
        case OPT_BATCH: batch = true; break;
        case OPT_RULES: rules_path = optarg; break;
        case OPT_VALUESETS: valuesets_path = optarg; break;
        case OPT_REGION: opt.region = optarg; break;
        case OPT_COUNTRY: opt.country = optarg; break;
        case OPT_REVOCATION:
            if (!load_revocation(optarg, &revocations, &opt)) {
                goto done;
            }
            break;
        case OPT_RESOLVE_DID_WEB: resolve_did_web = true; break;
        case OPT_CA_FILE: resolver.ca_file = optarg; break;
        case 'h':
            fputs(usage_text, stdout);
            rc = 0;
            goto done;
        default: fputs(usage_text, stderr); goto done;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "healthcert verify: one input at a time (use --batch for many)\n");
        goto done;
    }
    if (!load_rules(rules_path, valuesets_path, &opt, &rules, &valuesets)) {
        goto done;
    }
    if (resolver.ca_file != NULL && !resolve_did_web) {
        fprintf(stderr, "healthcert verify: --ca-file needs --resolve-did-web\n");
        goto done;
    }
    if (resolver.ca_file != NULL && access(resolver.ca_file, R_OK) != 0) {
        fprintf(stderr, "healthcert verify: cannot read --ca-file %s\n", resolver.ca_file);
        goto done;
    }
    if (resolve_did_web) {
        /* Opt-in network access (docs/vc.md); the service never sets a resolver. */
        opt.resolve_did_web = hc_cli_did_web_resolve;
        opt.resolve_ctx = &resolver;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO)) {
        fprintf(stderr, "healthcert verify: reading the QR text from the terminal (end with "
                        "Ctrl-D); see --help\n");
    }
    v = hc_verifier_new(&opt);
    if (v == NULL) {
        fprintf(stderr, "healthcert: out of memory\n");
        goto done;
    }
    if (batch) {
        FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (in == NULL) {
            fprintf(stderr, "healthcert: cannot read %s\n", path);
            goto done;
        }
        rc = run_batch(v, in);
        if (in != stdin) {
            fclose(in);
        }
        goto done;
    }
    hc_verdict vd;
    hc_err e = hc_cli_read_input(path, HC_MAX_IMAGE_BYTES, &data, &len);
    if (e == HC_ERR_INPUT_TOO_LARGE) {
        /* Judged, not failed: an oversized input is a verdict (CONTRACT.md INPUT_TOO_LARGE). */
        hc_verdict_init(&vd);
        hc_verdict_fail(&vd, HC_ERR_INPUT_TOO_LARGE, "the input is larger than %d MiB",
                        HC_MAX_IMAGE_BYTES >> 20);
        e = HC_OK;
    } else if (e != HC_OK) {
        goto done;
    } else {
        e = hc_verify(v, data, len, &vd);
    }
    if (json) {
        hc_cli_print_json(stdout, &vd, false);
    } else {
        hc_verdict_print(stdout, &vd, isatty(STDOUT_FILENO));
    }
    rc = hc_cli_exit_code(e, &vd);
    hc_verdict_clear(&vd);
done:
    free(data);
    hc_verifier_free(v);
    hc_trust_store_free(ts);
    hc_ruleset_free(rules);
    hc_valuesets_free(valuesets);
    hc_revocation_list_free(revocations);
    hc_cli_did_web_clear(&resolver);
    return rc;
}
