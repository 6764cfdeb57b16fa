/*
 * cmd_keygen.c: `healthcert keygen csca|dsc`: the signing keys and certificates of the EU DCC
 * two-level PKI (issue_keygen.h has the profile and its sources).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "cli_common.h"
#include "cli_jose.h"
#include "commands.h"
#include "issue_keygen.h"
#include "x509_info.h"

static const char usage_text[] =
    "usage: healthcert keygen csca --country CC --out DIR [options]\n"
    "       healthcert keygen dsc --csca-cert FILE --csca-key FILE --out DIR [options]\n"
    "       healthcert keygen jwks --out DIR [--alg es256|eddsa] [--did did:web:...]\n"
    "         (a JWK signing key for SMART Health Cards and VC-JWTs: keygen jwks --help)\n"
    "\n"
    "Creates the signing keys of the EU Digital COVID Certificate PKI (EU certificate\n"
    "governance):\n"
    "  csca  country signing CA: self-signed, CA:true pathlen 0, keyCertSign (4 years)\n"
    "  dsc   document signer certificate issued by the CSCA: digitalSignature, AKI = the\n"
    "        CSCA's SKI (2 years, never past the CSCA); it signs the health certificates\n"
    "        (healthcert issue --cert DIR/dsc.pem --key DIR/dsc.key)\n"
    "\n"
    "Writes DIR/NAME.pem (certificate, mode 0644) and DIR/NAME.key (PKCS#8 private key, mode\n"
    "0600), NAME being csca or dsc unless --name says otherwise.\n"
    "\n"
    "options:\n"
    "  --out DIR               folder for the files (created when missing)\n"
    "  --country CC            ISO 3166-1 alpha-2 country (dsc: default the CSCA's, and must be "
    "it)\n"
    "  --alg es256|ps256       ECDSA P-256 (default, recommended) or RSA-3072 with RSASSA-PSS\n"
    "  --days N                validity in days (csca 1461, dsc 730)\n"
    "  --not-before TIME       start of validity, ISO 8601 (default: now)\n"
    "  --type v,t,r            dsc: restrict it to vaccination (v), test (t) and/or recovery (r)\n"
    "                          certificates (extended key usage); default: all types\n"
    "  --cn NAME, --org NAME   subject common name and organisation\n"
    "  --passphrase-file F     encrypt the new key with the first line of F (PKCS#8 PBES2,\n"
    "                          AES-256-CBC, scrypt)\n"
    "  --csca-cert FILE        dsc: the issuing CSCA certificate\n"
    "  --csca-key FILE         dsc: its private key\n"
    "  --csca-passphrase-file F  dsc: the passphrase of an encrypted CSCA key\n"
    "  --name NAME             file name stem (default csca / dsc)\n"
    "  --force                 replace existing files\n"
    "  -h, --help              this help\n"
    "\n"
    "exit codes: 0 written, 2 could not (bad option, unreadable CSCA, existing file, ...)\n";

enum {
    OPT_OUT = 1,
    OPT_COUNTRY,
    OPT_ALG,
    OPT_DAYS,
    OPT_NOT_BEFORE,
    OPT_TYPE,
    OPT_CN,
    OPT_ORG,
    OPT_PASS,
    OPT_CSCA_CERT,
    OPT_CSCA_KEY,
    OPT_CSCA_PASS,
    OPT_NAME,
    OPT_FORCE,
};

static const struct option options[] = {
    { "out", required_argument, NULL, OPT_OUT },
    { "country", required_argument, NULL, OPT_COUNTRY },
    { "alg", required_argument, NULL, OPT_ALG },
    { "days", required_argument, NULL, OPT_DAYS },
    { "not-before", required_argument, NULL, OPT_NOT_BEFORE },
    { "type", required_argument, NULL, OPT_TYPE },
    { "cn", required_argument, NULL, OPT_CN },
    { "org", required_argument, NULL, OPT_ORG },
    { "passphrase-file", required_argument, NULL, OPT_PASS },
    { "csca-cert", required_argument, NULL, OPT_CSCA_CERT },
    { "csca-key", required_argument, NULL, OPT_CSCA_KEY },
    { "csca-passphrase-file", required_argument, NULL, OPT_CSCA_PASS },
    { "name", required_argument, NULL, OPT_NAME },
    { "force", no_argument, NULL, OPT_FORCE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

typedef struct keygen_args {
    const char *out, *country, *cn, *org, *pass_file, *csca_cert, *csca_key, *csca_pass, *name;
    hc_key_type key_type;
    int days;
    bool has_not_before, force;
    hc_time_ms not_before;
    unsigned eku;
} keygen_args;

static bool
parse_types(const char *s, unsigned *eku)
{
    *eku = 0;
    for (const char *p = s; *p != '\0'; p++) {
        switch (*p) {
        case 'v': *eku |= HC_EKU_DCC_VACCINATION; break;
        case 't': *eku |= HC_EKU_DCC_TEST; break;
        case 'r': *eku |= HC_EKU_DCC_RECOVERY; break;
        case ',': break;
        default: return false;
        }
    }
    return *eku != 0;
}

static bool
parse_days(const char *s, int *days)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 36525) {
        return false;
    }
    *days = (int)v;
    return true;
}

/* Creates dir (one level) unless it exists. */
static bool
ensure_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            return true;
        }
        fprintf(stderr, "healthcert keygen: %s exists and is not a folder\n", dir);
        return false;
    }
    if (mkdir(dir, 0755) != 0) {
        fprintf(stderr, "healthcert keygen: cannot create the folder %s: %s\n", dir,
                strerror(errno));
        return false;
    }
    return true;
}

static void
print_result(const char *what, const char *cert_path, const char *key_path, bool encrypted,
             const hc_keygen_result *res, unsigned eku, bool is_dsc)
{
    char kid[16] = "", nb[32], na[32];
    size_t kid_len = 0;
    if (hc_base64_encode(res->kid, sizeof res->kid, false, kid, sizeof kid, &kid_len) != HC_OK) {
        kid[0] = '\0';
    }
    hc_time_format(res->not_before, false, nb, sizeof nb);
    hc_time_format(res->not_after, false, na, sizeof na);
    printf("wrote %s (%s certificate)\n", cert_path, what);
    printf("wrote %s (private key, PKCS#8%s, mode 0600)\n", key_path,
           encrypted ? ", passphrase-encrypted" : "");
    printf("  subject  %s\n", res->subject);
    printf("  kid      %s\n", kid);
    printf("  valid    %s to %s\n", nb, na);
    if (is_dsc) {
        if (eku == 0) {
            printf("  signs    all certificate types (no DCC extended key usage)\n");
        } else {
            printf("  signs    %s%s%scertificates only (extended key usage)\n",
                   eku & HC_EKU_DCC_VACCINATION ? "vaccination " : "",
                   eku & HC_EKU_DCC_TEST ? "test " : "",
                   eku & HC_EKU_DCC_RECOVERY ? "recovery " : "");
        }
    }
}

static int
run(bool dsc, const keygen_args *a)
{
    char cert_path[4096], key_path[4096], msg[512] = "";
    hc_passphrase pass = { 0 }, csca_pass = { 0 };
    hc_keygen_ca ca = { 0 };
    hc_keygen_result res;
    int rc = 2;
    const char *name = a->name ? a->name : dsc ? "dsc" : "csca";

    if (a->out == NULL) {
        fprintf(stderr, "healthcert keygen: --out DIR is required\n");
        return 2;
    }
    if (!dsc && a->country == NULL) {
        fprintf(stderr, "healthcert keygen csca: --country CC is required\n");
        return 2;
    }
    if (dsc && (a->csca_cert == NULL || a->csca_key == NULL)) {
        fprintf(stderr, "healthcert keygen dsc: --csca-cert and --csca-key are required\n");
        return 2;
    }
    if (!dsc && a->eku != 0) {
        fprintf(stderr, "healthcert keygen csca: --type applies to a DSC\n");
        return 2;
    }
    if (strchr(name, '/') != NULL || name[0] == '\0') {
        fprintf(stderr, "healthcert keygen: --name is a file name stem, not a path\n");
        return 2;
    }
    if ((size_t)snprintf(cert_path, sizeof cert_path, "%s/%s.pem", a->out, name) >=
            sizeof cert_path ||
        (size_t)snprintf(key_path, sizeof key_path, "%s/%s.key", a->out, name) >= sizeof key_path) {
        fprintf(stderr, "healthcert keygen: --out path too long\n");
        return 2;
    }
    if (a->pass_file != NULL && hc_passphrase_read(a->pass_file, &pass, msg, sizeof msg) != HC_OK) {
        fprintf(stderr, "healthcert keygen: %s\n", msg);
        goto done;
    }
    hc_keygen_params p = {
        .country = a->country,
        .common_name = a->cn,
        .organization = a->org,
        .key_type = a->key_type,
        .not_before = a->has_not_before ? a->not_before : hc_time_now(),
        .days = a->days ? a->days
                : dsc   ? HC_KEYGEN_DSC_DAYS
                        : HC_KEYGEN_CSCA_DAYS,
        .eku = a->eku,
    };
    /* X.509 validity is in whole seconds. */
    p.not_before -= p.not_before % 1000;
    hc_err e;
    if (dsc) {
        if (a->csca_pass != NULL &&
            hc_passphrase_read(a->csca_pass, &csca_pass, msg, sizeof msg) != HC_OK) {
            fprintf(stderr, "healthcert keygen: %s\n", msg);
            goto done;
        }
        e = hc_keygen_ca_load(a->csca_cert, a->csca_key, a->csca_pass ? &csca_pass : NULL, &ca, msg,
                              sizeof msg);
        hc_passphrase_wipe(&csca_pass);
        if (e != HC_OK) {
            fprintf(stderr, "healthcert keygen: %s\n", msg);
            goto done;
        }
        if (p.country == NULL) {
            p.country = ca.country;
        }
        if (!ensure_dir(a->out)) {
            goto done;
        }
        e = hc_keygen_dsc(&p, &ca, a->pass_file ? &pass : NULL, cert_path, key_path, a->force, &res,
                          msg, sizeof msg);
    } else {
        if (!ensure_dir(a->out)) {
            goto done;
        }
        e = hc_keygen_csca(&p, a->pass_file ? &pass : NULL, cert_path, key_path, a->force, &res,
                           msg, sizeof msg);
    }
    if (e != HC_OK) {
        fprintf(stderr, "healthcert keygen: %s\n", msg[0] ? msg : hc_err_str(e));
        goto done;
    }
    print_result(dsc ? "DSC" : "CSCA", cert_path, key_path, a->pass_file != NULL, &res, a->eku,
                 dsc);
    rc = 0;
done:
    hc_passphrase_wipe(&pass);
    hc_keygen_ca_free(&ca);
    return rc;
}

int
hc_cmd_keygen(int argc, char **argv)
{
    keygen_args a;
    memset(&a, 0, sizeof a);
    a.key_type = HC_KEY_P256;

    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "jwks") == 0) {
        return hc_cli_keygen_jwks(argc - 1, argv + 1); /* cli_jose.c */
    }
    bool dsc = strcmp(argv[1], "dsc") == 0;
    if (!dsc && strcmp(argv[1], "csca") != 0) {
        fprintf(stderr, "healthcert keygen: unknown kind '%s' (csca, dsc or jwks)\n\n", argv[1]);
        fputs(usage_text, stderr);
        return 2;
    }
    optind = 1;
    int c;
    while ((c = getopt_long(argc - 1, argv + 1, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_OUT: a.out = optarg; break;
        case OPT_COUNTRY: a.country = optarg; break;
        case OPT_ALG:
            if (strcmp(optarg, "es256") == 0 || strcmp(optarg, "ES256") == 0) {
                a.key_type = HC_KEY_P256;
            } else if (strcmp(optarg, "ps256") == 0 || strcmp(optarg, "PS256") == 0) {
                a.key_type = HC_KEY_RSA3072;
            } else {
                fprintf(stderr, "healthcert keygen: --alg is es256 or ps256\n");
                return 2;
            }
            break;
        case OPT_DAYS:
            if (!parse_days(optarg, &a.days)) {
                fprintf(stderr, "healthcert keygen: --days is a whole number 1..36525\n");
                return 2;
            }
            break;
        case OPT_NOT_BEFORE:
            if (!hc_cli_parse_time(optarg, &a.not_before)) {
                return 2;
            }
            a.has_not_before = true;
            break;
        case OPT_TYPE:
            if (!parse_types(optarg, &a.eku)) {
                fprintf(stderr, "healthcert keygen: --type is a list of v, t, r (e.g. v,t)\n");
                return 2;
            }
            break;
        case OPT_CN: a.cn = optarg; break;
        case OPT_ORG: a.org = optarg; break;
        case OPT_PASS: a.pass_file = optarg; break;
        case OPT_CSCA_CERT: a.csca_cert = optarg; break;
        case OPT_CSCA_KEY: a.csca_key = optarg; break;
        case OPT_CSCA_PASS: a.csca_pass = optarg; break;
        case OPT_NAME: a.name = optarg; break;
        case OPT_FORCE: a.force = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (optind < argc - 1) {
        fprintf(stderr, "healthcert keygen: unexpected argument '%s'\n", argv[optind + 1]);
        return 2;
    }
    return run(dsc, &a);
}
