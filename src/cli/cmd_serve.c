/*
 * cmd_serve.c: `healthcert serve [options]` (shared/CONTRACT.md; docs/service.md): the issuing
 * and verifying HTTP service. Exit 0 after a graceful stop (SIGTERM/SIGINT), 2 when it cannot
 * start (the reason on standard error).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "service.h"

static const char usage_text[] =
    "usage: healthcert serve [options]\n"
    "\n"
    "Runs the issuing and verifying HTTP service: POST /v1/verify, POST /v1/certificates,\n"
    "GET /v1/certificates/{uvci}, POST /v1/certificates/{uvci}/revoke, GET /v1/revocations,\n"
    "GET /v1/trustlist, GET /healthz, and the web pages / (checkpoint) and /issue.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT       where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
    "  --db URL                 sqlite:PATH or a plain path (default ./healthcert.db), or\n"
    "                           postgres://USER@HOST:PORT/DB\n"
    "  --trust PATH             trusted signer certificates, as for verify; repeatable\n"
    "  --issuer-cert PEM        the document signer certificate used by /v1/certificates\n"
    "  --issuer-key PEM         its private key (PKCS#8)\n"
    "  --issuer-key-passphrase-file FILE  the key's passphrase (first line), when encrypted\n"
    "  --api-token-file FILE    bearer tokens allowed to issue and revoke, one per line\n"
    "                           (SIGHUP reloads it)\n"
    "  --payload-key-file FILE  AES-256 key for the stored payloads: 32 bytes or 64 hex\n"
    "                           digits, mode 0600 (needed for issuing)\n"
    "  --access-log FILE        access log (JSON lines, no personal data); default standard\n"
    "                           error, 'off' for none\n"
    "  --threads N              worker threads (default: one per core it may run on)\n"
    "  --max-connections N      open connections at most (default 1024)\n"
    "  --max-connections-per-ip N  per client address (default: no limit)\n"
    "  --timeout SECONDS        header, body and idle time limit (default 10)\n"
    "  --max-image-bytes N      largest image for /v1/verify (default 4194304)\n"
    "  --revocation-refresh SECONDS  how often revocations by other instances are read\n"
    "                           (default 5; 0 = never)\n"
    "  --validity-days N        validity of issued certificates (default 365)\n"
    "  --port-file FILE         write the port listened on (useful with port 0)\n"
    "  --demo DIR               quick start: create a demo CSCA/DSC (keys encrypted, the\n"
    "                           passphrase in DIR/key.pass), API token and payload key in DIR\n"
    "                           when missing, and use them (and DIR/healthcert.db)\n"
    "  -h, --help               this help\n"
    "\n"
    "exit codes: 0 stopped by SIGTERM/SIGINT, 2 could not start\n";

enum {
    OPT_LISTEN = 1,
    OPT_DB,
    OPT_TRUST,
    OPT_ISSUER_CERT,
    OPT_ISSUER_KEY,
    OPT_ISSUER_PASS,
    OPT_TOKENS,
    OPT_PAYLOAD_KEY,
    OPT_ACCESS_LOG,
    OPT_THREADS,
    OPT_MAX_CONN,
    OPT_MAX_CONN_IP,
    OPT_TIMEOUT,
    OPT_MAX_IMAGE,
    OPT_REV_REFRESH,
    OPT_VALIDITY,
    OPT_PORT_FILE,
    OPT_DEMO,
};

static const struct option options[] = {
    { "listen", required_argument, NULL, OPT_LISTEN },
    { "db", required_argument, NULL, OPT_DB },
    { "trust", required_argument, NULL, OPT_TRUST },
    { "issuer-cert", required_argument, NULL, OPT_ISSUER_CERT },
    { "issuer-key", required_argument, NULL, OPT_ISSUER_KEY },
    { "issuer-key-passphrase-file", required_argument, NULL, OPT_ISSUER_PASS },
    { "api-token-file", required_argument, NULL, OPT_TOKENS },
    { "payload-key-file", required_argument, NULL, OPT_PAYLOAD_KEY },
    { "access-log", required_argument, NULL, OPT_ACCESS_LOG },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "max-connections", required_argument, NULL, OPT_MAX_CONN },
    { "max-connections-per-ip", required_argument, NULL, OPT_MAX_CONN_IP },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "max-image-bytes", required_argument, NULL, OPT_MAX_IMAGE },
    { "revocation-refresh", required_argument, NULL, OPT_REV_REFRESH },
    { "validity-days", required_argument, NULL, OPT_VALIDITY },
    { "port-file", required_argument, NULL, OPT_PORT_FILE },
    { "demo", required_argument, NULL, OPT_DEMO },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* A whole number in [lo, hi]; prints a reason and returns false otherwise. */
static bool
number(const char *opt, const char *text, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end = NULL;
    unsigned long n = strtoul(text, &end, 10);
    if (text[0] == '-' || end == text || *end != 0 || n < lo || n > hi) {
        fprintf(stderr, "healthcert serve: --%s takes a whole number from %lu to %lu\n", opt, lo,
                hi);
        return false;
    }
    *out = n;
    return true;
}

/* What the demo banner shows; printed once the service listens (print_demo_banner), so that the
 * URLs carry the port really bound (--listen 127.0.0.1:0 picks any free one). */
typedef struct demo_banner {
    bool created;
    const char *dir, *listen, *issuer_cert, *db_url;
    char token[128];
} demo_banner;

static void
print_demo_banner(void *ctx, unsigned port)
{
    const demo_banner *b = ctx;
    /* The host part of --listen ("127.0.0.1", "[::1]"); empty (":8080") means every address, of
     * which the loopback one is the one to open on this machine. */
    const char *colon = strrchr(b->listen, ':');
    int host_len = colon != NULL ? (int)(colon - b->listen) : (int)strlen(b->listen);
    const char *host = host_len > 0 ? b->listen : "127.0.0.1";
    host_len = host_len > 0 ? host_len : (int)strlen(host);
    printf("healthcert demo service (%s in %s)\n"
           "  checkpoint page  http://%.*s:%u/\n"
           "  issuing page     http://%.*s:%u/issue\n"
           "  API token        %s\n"
           "  signer           %s (country XX, demo only)\n"
           "  records          %s\n"
           "Stop with Ctrl-C.\n",
           b->created ? "new demo material" : "demo material", b->dir, host_len, host, port,
           host_len, host, port, b->token, b->issuer_cert, b->db_url);
    fflush(stdout);
}

/* --demo DIR: makes the material on first run and points the options at it; the banner is
 * printed once the service listens. */
static bool
use_demo(const char *dir, hc_service_config *cfg, bool db_given, char paths[6][4096],
         demo_banner *banner)
{
    char msg[512] = "";
    bool created = false;
    if (hc_service_demo_init(dir, &created, msg, sizeof msg) != HC_OK) {
        fprintf(stderr, "healthcert serve: --demo %s: %s\n", dir, msg);
        return false;
    }
    snprintf(paths[0], 4096, "%s/dsc.pem", dir);
    snprintf(paths[1], 4096, "%s/dsc.key", dir);
    snprintf(paths[2], 4096, "%s/api-token", dir);
    snprintf(paths[3], 4096, "%s/payload.key", dir);
    snprintf(paths[4], 4096, "sqlite:%s/healthcert.db", dir);
    snprintf(paths[5], 4096, "%s/key.pass", dir);
    cfg->issuer_cert = cfg->issuer_cert != NULL ? cfg->issuer_cert : paths[0];
    if (cfg->issuer_key == NULL) {
        cfg->issuer_key = paths[1];
        cfg->issuer_key_passphrase_file = paths[5];
    }
    cfg->api_token_file = cfg->api_token_file != NULL ? cfg->api_token_file : paths[2];
    cfg->payload_key_file = cfg->payload_key_file != NULL ? cfg->payload_key_file : paths[3];
    if (!db_given) {
        cfg->db_url = paths[4];
    }
    memset(banner, 0, sizeof *banner);
    FILE *f = fopen(cfg->api_token_file, "r");
    if (f != NULL) {
        if (fgets(banner->token, sizeof banner->token, f) != NULL) {
            banner->token[strcspn(banner->token, "\r\n")] = 0;
        }
        fclose(f);
    }
    banner->created = created;
    banner->dir = dir;
    banner->listen = cfg->listen;
    banner->issuer_cert = cfg->issuer_cert;
    banner->db_url = cfg->db_url;
    cfg->on_listening = print_demo_banner;
    cfg->on_listening_ctx = banner;
    return true;
}

int
hc_cmd_serve(int argc, char **argv)
{
    hc_service_config cfg;
    const char *demo = NULL;
    bool db_given = false;
    unsigned long n = 0;
    static char demo_paths[6][4096];

    hc_service_config_defaults(&cfg);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN: cfg.listen = optarg; break;
        case OPT_DB:
            cfg.db_url = optarg;
            db_given = true;
            break;
        case OPT_TRUST:
            if (cfg.n_trust == HC_SERVICE_MAX_TRUST) {
                fprintf(stderr, "healthcert serve: at most %d --trust options (use a folder)\n",
                        HC_SERVICE_MAX_TRUST);
                return 2;
            }
            cfg.trust[cfg.n_trust++] = optarg;
            break;
        case OPT_ISSUER_CERT: cfg.issuer_cert = optarg; break;
        case OPT_ISSUER_KEY: cfg.issuer_key = optarg; break;
        case OPT_ISSUER_PASS: cfg.issuer_key_passphrase_file = optarg; break;
        case OPT_TOKENS: cfg.api_token_file = optarg; break;
        case OPT_PAYLOAD_KEY: cfg.payload_key_file = optarg; break;
        case OPT_ACCESS_LOG: cfg.access_log = optarg; break;
        case OPT_PORT_FILE: cfg.port_file = optarg; break;
        case OPT_DEMO: demo = optarg; break;
        case OPT_THREADS:
            if (!number("threads", optarg, 1, 256, &n)) {
                return 2;
            }
            cfg.threads = (unsigned)n;
            break;
        case OPT_MAX_CONN:
            if (!number("max-connections", optarg, 1, 100000, &n)) {
                return 2;
            }
            cfg.max_connections = (unsigned)n;
            break;
        case OPT_MAX_CONN_IP:
            if (!number("max-connections-per-ip", optarg, 0, 100000, &n)) {
                return 2;
            }
            cfg.max_connections_per_ip = (unsigned)n;
            break;
        case OPT_TIMEOUT:
            if (!number("timeout", optarg, 1, 3600, &n)) {
                return 2;
            }
            cfg.timeout_s = (unsigned)n;
            break;
        case OPT_MAX_IMAGE:
            if (!number("max-image-bytes", optarg, 16384, 16UL << 20, &n)) {
                return 2;
            }
            cfg.max_image_body = n;
            break;
        case OPT_REV_REFRESH:
            if (!number("revocation-refresh", optarg, 0, 86400, &n)) {
                return 2;
            }
            cfg.revocation_refresh_s = (unsigned)n;
            break;
        case OPT_VALIDITY:
            if (!number("validity-days", optarg, 1, 3650, &n)) {
                return 2;
            }
            cfg.validity_days = (int)n;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "healthcert serve: unexpected argument '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    static demo_banner banner;
    if (demo != NULL && !use_demo(demo, &cfg, db_given, demo_paths, &banner)) {
        return 2;
    }
    char msg[512] = "";
    hc_err e = hc_service_run(&cfg, msg, sizeof msg);
    if (e != HC_OK) {
        fprintf(stderr, "healthcert serve: %s\n", msg[0] ? msg : hc_err_str(e));
        return 2;
    }
    return 0;
}
