/*
 * service.h: `healthcert serve`, the issuing and verifying HTTP service (docs/service.md).
 *
 * The contract (shared/CONTRACT.md "healthcert serve") fixes the options and endpoints; the limits
 * follow shared/reference/security.md §5 and the J cases of §3. The service runs on
 * libmicrohttpd with an epoll thread pool sized to the cores: each worker thread has its own
 * verifier (hc_verifier is one per thread) over the shared, read-only trust store.
 */
#ifndef HC_SERVICE_H
#define HC_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

#define HC_SERVICE_MAX_TRUST 64

typedef struct hc_service_config {
    const char *listen; /* "ADDR:PORT", "[V6]:PORT" or ":PORT"; port 0 = any free port */
    const char *db_url; /* hc_store_open URL */
    const char *trust[HC_SERVICE_MAX_TRUST];
    size_t n_trust;
    const char *issuer_cert, *issuer_key; /* both or neither: issuing needs them */
    const char *issuer_key_passphrase_file;
    const char *api_token_file; /* bearer tokens, one per line; NULL: nothing is authorised */
    const char *payload_key_file;
    const char *access_log; /* NULL or "-": standard error; "off": none; else a file (appended) */
    unsigned threads;       /* worker threads; 0 = one per core */
    unsigned max_connections;
    unsigned max_connections_per_ip; /* 0 = no per-address limit */
    unsigned timeout_s;              /* header, body and idle time limit */
    size_t max_text_body, max_image_body, max_json_body;
    unsigned revocation_refresh_s; /* how often other instances' revocations are read */
    int validity_days;             /* default validity of issued certificates */
    /* Written once the service listens: the port (useful with port 0). May be NULL. */
    const char *port_file;
    /* Called once, when the service listens, with the bound port (with port 0 the only way to
     * know it besides port_file): `serve --demo` prints its page URLs from it. May be NULL. */
    void (*on_listening)(void *ctx, unsigned port);
    void *on_listening_ctx;
} hc_service_config;

/* The defaults of docs/service.md. */
void hc_service_config_defaults(hc_service_config *cfg);

/*
 * Runs the service until SIGTERM or SIGINT (graceful: stops accepting, lets requests in flight
 * finish, then closes); SIGHUP reloads the API token file and the trust material. Returns HC_OK
 * after a clean shutdown, or the error that kept it from starting (with a reason in msg).
 */
hc_err hc_service_run(const hc_service_config *cfg, char *msg, size_t msg_len);

/*
 * Demo material for a first run (scripts/quickstart.sh): in dir, creates what is missing of
 * csca.pem + csca.key (a self-signed country signing CA, "XX"), dsc.pem + dsc.key (a document
 * signer issued by it; keys encrypted under the passphrase in key.pass), api-token (a random
 * bearer token) and payload.key (the store's AES key); secrets are written mode 0600. Sets
 * *created when anything was made.
 */
hc_err hc_service_demo_init(const char *dir, bool *created, char *msg, size_t msg_len);

#endif
