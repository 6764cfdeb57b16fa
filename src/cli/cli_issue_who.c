/*
 * cli_issue_who.c: issuing WHO DDCC certificates and ICAO VDS-NC seals from the command line
 * (cli_issue_who.h; the library side is who_ddcc_encode.h and vdsnc_encode.h).
 */
#include "cli_issue_who.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "fileio.h"
#include "hc_limits.h"
#include "hctime.h"
#include "healthcert/healthcert.h"
#include "issue_secret.h"
#include "json_bounded.h"
#include "qr.h"
#include "vdsnc_encode.h"
#include "who_ddcc_encode.h"
#include "x509_info.h"

/* A certificate file: a signer certificate with its chain is well under this. */
#define CERT_FILE_MAX (64 * 1024)

static const char usage_text[] =
    "usage: healthcert issue --format who-ddcc|icao-vds-nc --cert CERT.pem --key KEY.pem\n"
    "                        [options] INPUT|-\n"
    "\n"
    "who-ddcc     INPUT is a WHO DDCC core data set (DDCC:VS with \"vaccination\" or DDCC:TR with\n"
    "             \"test\"); its required elements are checked as the logical model says, then\n"
    "             it is signed as HCERT claim -260 -> 3 (or 4) and printed as \"HC1:...\".\n"
    "             --cert is a document signer certificate (P-256 or RSA).\n"
    "icao-vds-nc  INPUT is the \"data\" of an ICAO visible digital seal ({\"hdr\", \"msg\"},\n"
    "             icao.vacc or icao.test); it is signed over its RFC 8785 canonical form and the\n"
    "             seal is printed as one line of JSON. --cert is the barcode signer certificate\n"
    "             (P-256, P-384 or P-521), embedded in the seal.\n"
    "\n"
    "options:\n"
    "  --cert FILE            the signing certificate (PEM or DER)\n"
    "  --key FILE             its private key (PKCS#8, plain or passphrase-encrypted)\n"
    "  --passphrase-file F    the key's passphrase: the first line of F\n"
    "  --at TIME              issuing time, ISO 8601 (default: now)\n"
    "  --validity-days N      who-ddcc: exp = iat + N days (default 365), never past the\n"
    "                         certificate's end\n"
    "  --qr FILE              also write the QR code image: FILE.png or FILE.svg\n"
    "  -h, --help             this help\n"
    "\n"
    "exit codes: 0 issued, 1 refused (the input breaks its model, the certificate does not\n"
    "            allow it), 2 could not issue (bad option, unreadable or mismatched key)\n";

static const char *
format_arg(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            return argv[i + 1];
        }
        if (strncmp(argv[i], "--format=", 9) == 0) {
            return argv[i] + 9;
        }
    }
    return NULL;
}

bool
hc_cli_is_who_format(int argc, char **argv)
{
    const char *f = format_arg(argc, argv);
    return f != NULL && (strcmp(f, "who-ddcc") == 0 || strcmp(f, "icao-vds-nc") == 0);
}

static X509 *
load_cert(const char *path)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (hc_read_file(path, CERT_FILE_MAX, &data, &len) != HC_OK) {
        fprintf(stderr, "healthcert issue: cannot read the certificate %s\n", path);
        return NULL;
    }
    X509 *cert = hc_x509_parse(data, len);
    free(data);
    if (cert == NULL) {
        fprintf(stderr, "healthcert issue: %s holds no X.509 certificate (PEM or DER)\n", path);
    }
    return cert;
}

static EVP_PKEY *
load_key(const char *path, const char *pass_file)
{
    hc_passphrase pass;
    EVP_PKEY *key = NULL;
    char msg[300] = "";
    memset(&pass, 0, sizeof pass);
    if (pass_file != NULL && hc_passphrase_read(pass_file, &pass, msg, sizeof msg) != HC_OK) {
        fprintf(stderr, "healthcert issue: %s\n", msg);
        return NULL;
    }
    if (hc_private_key_load(path, pass_file != NULL ? &pass : NULL, &key, msg, sizeof msg) !=
        HC_OK) {
        fprintf(stderr, "healthcert issue: %s\n", msg[0] ? msg : "cannot load the private key");
        key = NULL;
    }
    hc_passphrase_wipe(&pass);
    return key;
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --qr: alphanumeric HC1 text at ECC Q (HCERT §4.2); a VDS-NC seal in byte mode at ECC M, the
 * level of the Australian generator (vds-generation-library BarcodeDiExtensions.cs). */
static int
write_qr(const char *text, const char *path, bool vdsnc)
{
    hc_qr_options o = hc_qr_default_options();
    if (vdsnc) {
        o.ec_level = 1;
    }
    hc_err e =
        ends_with(path, ".svg") ? hc_qr_write_svg(text, &o, path) : hc_qr_write_png(text, &o, path);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert issue: cannot write the QR code %s: %s\n", path, hc_err_str(e));
        return 2;
    }
    return 0;
}

int
hc_cli_issue_who(int argc, char **argv)
{
    static const struct option options[] = {
        { "cert", required_argument, NULL, 'c' },
        { "key", required_argument, NULL, 'k' },
        { "passphrase-file", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "at", required_argument, NULL, 'a' },
        { "validity-days", required_argument, NULL, 'v' },
        { "qr", required_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cert_path = NULL, *key_path = NULL, *pass = NULL, *qr = NULL, *format = NULL;
    int64_t at = hc_time_now();
    long days = 365;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'c': cert_path = optarg; break;
        case 'k': key_path = optarg; break;
        case 'p': pass = optarg; break;
        case 'f': format = optarg; break;
        case 'a':
            if (!hc_cli_parse_time(optarg, &at)) {
                return 2;
            }
            break;
        case 'v': {
            char *end = NULL;
            days = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || days < 1 || days > 36525) {
                fprintf(stderr, "healthcert issue: --validity-days is a whole number 1..36525\n");
                return 2;
            }
            break;
        }
        case 'q': qr = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    bool vdsnc = format != NULL && strcmp(format, "icao-vds-nc") == 0;
    if (cert_path == NULL || key_path == NULL || argc - optind > 1) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (qr != NULL && !ends_with(qr, ".png") && !ends_with(qr, ".svg")) {
        fprintf(stderr, "healthcert issue: --qr FILE must end in .png or .svg\n");
        return 2;
    }
    const char *input = optind < argc ? argv[optind] : "-";
    unsigned char *data = NULL;
    size_t len = 0;
    if (hc_cli_read_input(input, HC_MAX_INPUT_TEXT, &data, &len) != HC_OK) {
        return 2;
    }
    json_t *rec = NULL;
    char why[200] = "";
    hc_err e = hc_json_parse_bounded((const char *)data, len, &hc_json_payload_limits, &rec, why,
                                     sizeof why);
    free(data);
    if (e != HC_OK) {
        /* Unreadable JSON is a refused input (exit 1), as for a schema error. */
        fprintf(stderr, "healthcert issue: the input is not JSON: %s\n", why);
        return 1;
    }
    X509 *cert = load_cert(cert_path);
    EVP_PKEY *key = cert != NULL ? load_key(key_path, pass) : NULL;
    int rc = 2;
    if (key != NULL) {
        char msg[400] = "";
        char *out = NULL;
        if (vdsnc) {
            e = hc_vdsnc_issue(rec, cert, key, at, &out, msg, sizeof msg);
        } else {
            hc_who_ddcc_issue_options o = { at, (int)days };
            e = hc_who_ddcc_issue(rec, cert, key, &o, &out, msg, sizeof msg);
        }
        if (e == HC_OK) {
            printf("%s\n", out);
            rc = qr != NULL ? write_qr(out, qr, vdsnc) : 0;
        } else {
            fprintf(stderr, "healthcert issue: %s\n", msg[0] ? msg : hc_err_str(e));
            rc = hc_err_is_verdict(e) ? 1 : 2;
        }
        free(out);
    }
    EVP_PKEY_free(key);
    X509_free(cert);
    json_decref(rec);
    return rc;
}
