/*
 * cmd_decode.c: `healthcert decode [--json] [FILE|-]`: everything the credential holds (headers,
 * claims, payload) without checking any signature. Exit 0 when decodable, 1 when not.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "commands.h"
#include "hc_limits.h"

static const char usage_text[] =
    "usage: healthcert decode [--json] [FILE|-]\n"
    "\n"
    "Shows what a health certificate holds (headers, claims, payload) WITHOUT checking its\n"
    "signature: the output says nothing about whether the certificate is genuine; use verify.\n"
    "Input: QR text or a PNG/JPEG image, from FILE or standard input.\n"
    "\n"
    "options:\n"
    "  --json       print as JSON\n"
    "  -h, --help   this help\n"
    "\n"
    "exit codes: 0 decoded, 1 not decodable, 2 could not read the input\n";

static const struct option options[] = {
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

int
hc_cmd_decode(int argc, char **argv)
{
    bool json = false;
    int c, rc = 2;
    unsigned char *data = NULL;
    size_t len = 0;
    hc_verifier *v = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (argc - optind > 1) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    hc_err e = hc_cli_read_input(path, HC_MAX_IMAGE_BYTES, &data, &len);
    if (e == HC_ERR_INPUT_TOO_LARGE) {
        fprintf(stderr, "healthcert decode: INPUT_TOO_LARGE: the input is larger than %d MiB\n",
                HC_MAX_IMAGE_BYTES >> 20);
        return 1;
    }
    if (e != HC_OK) {
        return 2;
    }
    v = hc_verifier_new(NULL);
    if (v == NULL) {
        free(data);
        return 2;
    }
    hc_verdict vd;
    e = hc_decode(v, data, len, &vd);
    if (json) {
        hc_cli_print_json(stdout, &vd, false);
    } else if (vd.decoded) {
        printf("DECODED (signature NOT checked)\n");
        hc_verdict_print_fields(stdout, &vd);
        char *s = json_dumps(vd.payload, JSON_INDENT(2));
        char *d = vd.details ? json_dumps(vd.details, JSON_INDENT(2)) : NULL;
        printf("Payload:\n%s\n", s ? s : "null");
        if (d) {
            printf("Headers and claims:\n%s\n", d);
        }
        free(s);
        free(d);
    } else {
        hc_verdict_print(stdout, &vd, false);
    }
    rc = e != HC_OK && !hc_err_is_verdict(e) ? 2 : vd.decoded ? 0 : 1;
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    free(data);
    return rc;
}
