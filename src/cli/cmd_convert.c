/*
 * cmd_convert.c: `healthcert convert --to eu-dcc|shc [FILE|-]`: one WHO DDCC record in the format
 * another destination reads (ddcc_convert.h), so that it can be issued for it (`healthcert issue`
 * for an EU DCC, the SMART Health Card issuer for the bundle).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "ddcc_convert.h"
#include "hc_limits.h"
#include "json_bounded.h"

static const char usage_text[] =
    "usage: healthcert convert --to eu-dcc|shc [options] [FILE|-]\n"
    "\n"
    "Reads a WHO DDCC core data set (JSON: DDCC:VS or DDCC:TR, the RC1 wire form or the minimal\n"
    "DVC payload) or a WHO DDCC QR text (\"HC1:...\", decoded without checking its signature)\n"
    "and prints the same record as JSON for another format:\n"
    "  eu-dcc   an EU DCC (schema 1.3.0) to sign with `healthcert issue`\n"
    "  shc      a SMART Health Card FHIR bundle (Patient + Immunization or Observation)\n"
    "What the destination cannot hold, and every code translated, is listed on standard error.\n"
    "\n"
    "options:\n"
    "  --to F      eu-dcc or shc (required)\n"
    "  --quiet     no mapping notes on standard error\n"
    "  -h, --help  this help\n"
    "\n"
    "exit codes: 0 converted, 1 the record lacks what the destination requires, 2 could not\n"
    "            convert (bad option, unreadable input, not a DDCC record)\n";

/* The DDCC record of an "HC1:" text, decoded (not verified). NULL with a message otherwise. */
static json_t *
from_qr(const unsigned char *data, size_t len)
{
    hc_verifier *v = hc_verifier_new(NULL);
    hc_verdict vd;
    json_t *out = NULL;
    if (v == NULL) {
        fprintf(stderr, "healthcert convert: out of memory\n");
        return NULL;
    }
    hc_decode(v, data, len, &vd);
    if (vd.format == NULL || strcmp(vd.format, "who-ddcc") != 0 || vd.payload == NULL) {
        fprintf(stderr, "healthcert convert: the code is not a WHO DDCC (%s%s%s)\n",
                vd.format != NULL ? vd.format : "not decodable", vd.n_errors > 0 ? ": " : "",
                vd.n_errors > 0 ? vd.errors[0].message : "");
    } else {
        out = json_incref(vd.payload);
    }
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    return out;
}

int
hc_cmd_convert(int argc, char **argv)
{
    static const struct option options[] = {
        { "to", required_argument, NULL, 't' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *to = NULL;
    bool quiet = false;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (to == NULL || optind + 1 < argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    hc_ddcc_target target;
    if (strcmp(to, "eu-dcc") == 0) {
        target = HC_DDCC_TO_EU_DCC;
    } else if (strcmp(to, "shc") == 0) {
        target = HC_DDCC_TO_SHC_BUNDLE;
    } else {
        fprintf(stderr, "healthcert convert: --to %s: expected eu-dcc or shc\n", to);
        return 2;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    unsigned char *data = NULL;
    size_t len = 0;
    if (hc_cli_read_input(path, HC_MAX_INPUT_TEXT, &data, &len) != HC_OK) {
        return 2;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    json_t *rec = NULL;
    if (len - i >= 4 && memcmp(data + i, "HC1:", 4) == 0) {
        rec = from_qr(data, len);
    } else {
        char why[200] = "";
        if (hc_json_parse_bounded((const char *)data, len, &hc_json_payload_limits, &rec, why,
                                  sizeof why) != HC_OK) {
            fprintf(stderr, "healthcert convert: %s is not JSON: %s\n",
                    strcmp(path, "-") == 0 ? "standard input" : path, why);
            rec = NULL;
        }
    }
    free(data);
    if (rec == NULL) {
        return 2;
    }
    json_t *out = NULL, *notes = NULL;
    char msg[300] = "";
    hc_err e = hc_ddcc_convert(rec, target, &out, &notes, msg, sizeof msg);
    json_decref(rec);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert convert: %s\n", msg[0] ? msg : hc_err_str(e));
        return hc_err_exit_code(e);
    }
    char *text = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text == NULL) {
        fprintf(stderr, "healthcert convert: out of memory\n");
        e = HC_ERR_NOMEM;
    } else {
        printf("%s\n", text);
        fflush(stdout); /* the record before the notes, when both go to one terminal */
        free(text);
    }
    size_t k;
    json_t *n;
    json_array_foreach(notes, k, n)
    {
        if (!quiet) {
            fprintf(stderr, "note: %s\n", json_string_value(n));
        }
    }
    json_decref(out);
    json_decref(notes);
    return e == HC_OK ? 0 : 2;
}
