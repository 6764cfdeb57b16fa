/*
 * svc_main.c: start-up and shutdown of the service (service.h).
 *
 * Start: the issuer, the trust material with the issuer's own DSC (so its certificates verify)
 * and the published trust list made from it (svc_trust.c), the payload key, the store (migrated),
 * the API tokens, the revocation list from the store; then the listening socket and one
 * libmicrohttpd epoll daemon (thread) per core, fed by the acceptor (svc_accept.c).
 * Signals are blocked in every thread and taken by the main thread with sigwait: SIGTERM/SIGINT
 * stop gracefully (new connections refused, requests in flight finish, at most 10 s), SIGHUP
 * reloads the token file and the trust material (a new trust generation from the same --trust
 * paths, swapped in while requests go on; a failed load keeps the old one: svc_trust.c).
 */
/* sched_getaffinity and CPU_COUNT (the cores this process may use) are GNU extensions. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "svc_internal.h"

/* How long requests in flight may take to finish after SIGTERM. */
#define DRAIN_SECONDS 10

void
hc_service_config_defaults(hc_service_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = "127.0.0.1:8080";
    cfg->db_url = "./healthcert.db";
    cfg->max_connections = 1024;
    cfg->timeout_s = 10;            /* security.md §5: header and body timeout 10 s */
    cfg->max_text_body = 16 * 1024; /* security.md §5: /verify body <= 16 KiB */
    cfg->max_image_body = 4u << 20; /* a camera frame or a phone photo of a QR code */
    cfg->max_json_body = 64 * 1024; /* security.md J2: 64 KiB for JSON */
    cfg->revocation_refresh_s = 5;
    cfg->validity_days = 365;
}

static void set_msg(char *msg, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_msg(char *msg, size_t cap, const char *fmt, ...)
{
    if (msg != NULL && cap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" (all IPv4 interfaces). */
static bool
parse_listen(const char *text, struct sockaddr_storage *ss, bool *v6, unsigned *port)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon - text >= (long)sizeof host) {
        return false;
    }
    char *end = NULL;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != 0 || p < 0 || p > 65535) {
        return false;
    }
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = 0;
    memset(ss, 0, sizeof *ss);
    *port = (unsigned)p;
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') {
            return false;
        }
        host[n - 1] = 0;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)p);
        *v6 = true;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)p);
    *v6 = false;
    if (host[0] == 0) {
        a->sin_addr.s_addr = htonl(INADDR_ANY);
        return true;
    }
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

/* libmicrohttpd's own messages go to the log as events, JSON-escaped. */
static void
mhd_logger(void *cls, const char *fmt, va_list ap)
{
    char raw[256], esc[512];
    size_t n = 0;
    /* The format comes from libmicrohttpd itself (MHD_OPTION_EXTERNAL_LOGGER), never from a
     * client; the callback's type cannot carry a format attribute. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(raw, sizeof raw, fmt, ap);
#pragma GCC diagnostic pop
    raw[strcspn(raw, "\n")] = 0; /* one line per message */
    for (const char *p = raw; *p && n + 7 < sizeof esc; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' || ch == '\\') {
            esc[n++] = '\\';
            esc[n++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            n += (size_t)snprintf(esc + n, sizeof esc - n, "\\u%04x", ch);
        } else {
            esc[n++] = (char)ch;
        }
    }
    esc[n] = 0;
    svc_log_event(cls, "http", esc);
}

/*
 * Percent-decoding of paths and query values (RFC 3986 §2.1), in place. Unlike libmicrohttpd's
 * own, an encoded NUL does not end the string (which would let "/static/x.html%00.js" name
 * "/static/x.html"): it becomes DEL, a control character that no route, file name or UVCI
 * accepts. Malformed escapes are kept as they are.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    size_t r = 0, w = 0;
    while (s[r] != 0) {
        int hi = -1, lo = -1;
        if (s[r] == '%' && s[r + 1] != 0 && s[r + 2] != 0) {
            char a = s[r + 1], b = s[r + 2];
            hi = a >= '0' && a <= '9'                 ? a - '0'
                 : (a | 32) >= 'a' && (a | 32) <= 'f' ? (a | 32) - 'a' + 10
                                                      : -1;
            lo = b >= '0' && b <= '9'                 ? b - '0'
                 : (b | 32) >= 'a' && (b | 32) <= 'f' ? (b | 32) - 'a' + 10
                                                      : -1;
        }
        if (hi >= 0 && lo >= 0) {
            int v = hi * 16 + lo;
            s[w++] = (char)(v == 0 ? 0x7f : v);
            r += 3;
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = 0;
    return w;
}

/* Lets the process have as many descriptors as connections need (soft limit up to hard). */
static void
raise_fd_limit(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)want + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)want + 64 ? rl.rlim_max : (rlim_t)want + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Stops the worker daemons started so far (their connections are closed). */
static void
svc_stop_daemons(svc *s)
{
    for (unsigned i = 0; i < s->n_daemons; i++) {
        MHD_stop_daemon(s->daemons[i]);
    }
    s->n_daemons = 0;
}

static void
svc_free(svc *s)
{
    svc_verifiers_free(s);
    svc_revdoc_free(s);
    hc_store_close(s->store);
    hc_issuer_free(s->issuer);
    svc_trust_free(s);
    hc_revocation_list_free(s->revoked);
    svc_tokens_free(s->tokens);
    pthread_mutex_destroy(&s->revsync_mu);
    pthread_mutex_destroy(&s->revdoc_mu);
    pthread_rwlock_destroy(&s->tokens_lock);
    pthread_mutex_destroy(&s->conns_mu);
    pthread_mutex_destroy(&s->verifiers_mu);
    pthread_mutex_destroy(&s->limiter_mu);
    svc_acceptor_stop(s);
    free(s->daemons);
    svc_log_flush(s);
    if (s->log_fd > STDERR_FILENO) {
        close(s->log_fd);
    }
    pthread_mutex_destroy(&s->log_mu);
    free(s);
}

/*
 * Where an issuer on SQLite without --payload-key-file keeps its payload key: beside the
 * database, "PATH.payload-key" (mode 0600, made on the first start). The contract starts the
 * service with --issuer-cert / --issuer-key alone, so that must work; a copy of the database
 * file alone still holds no personal data (docs/store.md), and a production issuer keeps the key
 * elsewhere with --payload-key-file. PostgreSQL instances share a database and so must share the
 * key: there it stays required (false).
 */
static bool
default_payload_key_path(const char *db_url, char *out, size_t cap)
{
    const char *path = db_url;
    if (strncmp(db_url, "postgres://", 11) == 0 || strncmp(db_url, "postgresql://", 13) == 0) {
        return false;
    }
    if (strncmp(path, "sqlite:", 7) == 0) {
        path += 7;
        path += strncmp(path, "//", 2) == 0 ? 2 : 0; /* as hc_store_open reads it */
    }
    int n = snprintf(out, cap, "%s.payload-key", path);
    return path[0] != 0 && n > 0 && (size_t)n < cap;
}

/* Everything before the daemon: what a misconfiguration is reported by. */
static hc_err
prepare(svc *s, char *msg, size_t msg_len)
{
    const hc_service_config *cfg = &s->cfg;
    uint8_t key[HC_STORE_KEY_LEN];
    bool have_key = false;
    const char *key_file = cfg->payload_key_file;
    char default_key[4096];
    hc_err e;

    if ((cfg->issuer_cert == NULL) != (cfg->issuer_key == NULL)) {
        set_msg(msg, msg_len, "--issuer-cert and --issuer-key go together");
        return HC_ERR_USAGE;
    }
    s->revoked = hc_revocation_list_new();
    if (s->revoked == NULL) {
        return HC_ERR_NOMEM;
    }
    if (cfg->issuer_cert != NULL) {
        char why[256] = "";
        e = hc_issuer_load(cfg->issuer_cert, cfg->issuer_key, cfg->issuer_key_passphrase_file,
                           &s->issuer, why, sizeof why);
        if (e != HC_OK) {
            set_msg(msg, msg_len, "cannot use the issuer key: %s", why[0] ? why : hc_err_str(e));
            return e;
        }
    }
    /* The trust material, with the issuer's own DSC (so its certificates verify): the first
     * generation (svc_trust.c; SIGHUP loads the next). */
    if ((e = svc_trust_start(s, msg, msg_len)) != HC_OK) {
        return e;
    }
    if (cfg->issuer_cert != NULL && key_file == NULL) {
        if (!default_payload_key_path(cfg->db_url, default_key, sizeof default_key)) {
            set_msg(msg, msg_len,
                    "issuing stores each certificate encrypted: give --payload-key-file (32 "
                    "random bytes or 64 hex digits, mode 0600), the same for every instance "
                    "sharing the database");
            return HC_ERR_USAGE;
        }
        key_file = default_key;
        bool made = access(key_file, F_OK) != 0;
        if (made && (e = hc_store_write_new_key_file(key_file, msg, msg_len)) != HC_OK) {
            return e;
        }
        /* Not the path itself: log values stay in a fixed alphabet (docs/service.md). */
        svc_log_event(s, made ? "payload-key-created" : "payload-key-default",
                      "beside the database (its path + .payload-key)");
    }
    if (key_file != NULL) {
        e = hc_store_read_key_file(key_file, key, msg, msg_len);
        if (e != HC_OK) {
            return e;
        }
        have_key = true;
    }
    unsigned threads = cfg->threads;
    hc_store_options so = { .payload_key = have_key ? key : NULL, .connections = threads + 2 };
    e = hc_store_open(cfg->db_url, &so, &s->store, msg, msg_len);
    explicit_bzero(key, sizeof key);
    if (e != HC_OK) {
        return e;
    }
    if (cfg->api_token_file != NULL &&
        (e = svc_tokens_load(s, cfg->api_token_file, msg, msg_len)) != HC_OK) {
        return e;
    }
    if ((e = svc_revocations_refresh(s, true)) != HC_OK) {
        set_msg(msg, msg_len, "cannot read the revoked certificates from the store");
        return e;
    }
    s->vopt.trust = NULL; /* each verifier gets its generation's store (svc_api_verify.c) */
    s->vopt.revocation = s->revoked;
    return HC_OK;
}

hc_err
hc_service_run(const hc_service_config *config, char *msg, size_t msg_len)
{
    struct sockaddr_storage ss;
    bool v6 = false;
    unsigned port = 0;
    sigset_t sigs;
    pthread_t hk;
    hc_err e;

    svc *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return HC_ERR_NOMEM;
    }
    s->cfg = *config;
    if (s->cfg.threads == 0) {
        /* One worker per core this process may run on: under taskset or a container's cpuset
         * that is fewer than the machine's, and more workers than cores only take turns (each
         * switch costing more than the HTTP part of a request). */
        cpu_set_t set;
        long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                             : sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.threads = n > 0 ? (unsigned)n : 1;
    }
    pthread_mutex_init(&s->revsync_mu, NULL);
    pthread_mutex_init(&s->revdoc_mu, NULL);
    pthread_rwlock_init(&s->tokens_lock, NULL);
    svc_trust_lock_init(s);
    pthread_mutex_init(&s->conns_mu, NULL);
    pthread_mutex_init(&s->verifiers_mu, NULL);
    pthread_mutex_init(&s->limiter_mu, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    s->log_fd = -1;
    s->listen_fd = -1;
    if (!parse_listen(s->cfg.listen, &ss, &v6, &port)) {
        set_msg(msg, msg_len, "--listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080, [::1]:8080)",
                s->cfg.listen);
        svc_free(s);
        return HC_ERR_USAGE;
    }
    svc_log_open(s);
    if ((e = prepare(s, msg, msg_len)) != HC_OK) {
        svc_free(s);
        return e;
    }
    raise_fd_limit(s->cfg.max_connections);

    /* Signals: blocked here before any thread starts, so every thread inherits the mask and only
     * sigwait below receives them. A peer closing early must not kill the process. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned bound = 0;
    if (svc_listen(s, &ss, v6, &bound) != 0) {
        set_msg(msg, msg_len, "cannot listen on %s (in use, or not an address of this machine)",
                s->cfg.listen);
        svc_free(s);
        return HC_ERR_IO;
    }
    /* One daemon per worker thread, without a listening socket of its own: the acceptor deals
     * connections out to them (svc_accept.c says why). ITC: a daemon's thread wakes when a
     * connection is added from another thread. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;
    struct MHD_OptionItem opts[20];
    size_t n = 0;
    /* The logger first, so that libmicrohttpd reports nothing on its own. */
    opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, s };
    /* The acceptor keeps the total at --max-connections; each daemon's own limit only catches a
     * burst accepted before the first of it is counted. */
    opts[n++] =
        (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, NULL };
    if (s->cfg.max_connections_per_ip > 0) {
        /* Exact: the acceptor sends all connections of an address to the same daemon. */
        opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                             s->cfg.max_connections_per_ip, NULL };
    }
    opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_s, NULL };
    opts[n++] =
        (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, SVC_CONNECTION_MEMORY, NULL };
    opts[n++] =
        (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)svc_on_completed, s };
    opts[n++] =
        (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)svc_notify_connection, s };
    /* Strict parsing: malformed request lines and header fields get 400 (J16). */
    opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL };
    opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL };
    opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    s->daemons = calloc(s->cfg.threads, sizeof *s->daemons);
    for (unsigned i = 0; s->daemons != NULL && i < s->cfg.threads; i++) {
        s->daemons[i] = MHD_start_daemon(flags, 0, NULL, NULL, svc_on_request, s, MHD_OPTION_ARRAY,
                                         opts, MHD_OPTION_END);
        if (s->daemons[i] == NULL) {
            break;
        }
        s->n_daemons++;
    }
    if (s->n_daemons < s->cfg.threads || svc_acceptor_start(s) != 0) {
        set_msg(msg, msg_len, "cannot start the HTTP workers");
        svc_stop_daemons(s);
        svc_free(s);
        return HC_ERR_INTERNAL;
    }
    if (s->cfg.port_file != NULL) {
        FILE *f = fopen(s->cfg.port_file, "w");
        if (f != NULL) {
            fprintf(f, "%u\n", bound);
            fclose(f);
        }
    }
    if (s->cfg.on_listening != NULL) {
        s->cfg.on_listening(s->cfg.on_listening_ctx, bound);
    }
    char detail[160];
    snprintf(detail, sizeof detail, "port %u, %u threads, store %s, issuing %s", bound,
             s->cfg.threads, hc_store_backend(s->store), s->issuer != NULL ? "on" : "off");
    svc_log_event(s, "listening", detail);
    if (svc_housekeeper_start(s, &hk) != 0) {
        svc_acceptor_stop(s);
        svc_stop_daemons(s);
        svc_free(s);
        set_msg(msg, msg_len, "cannot start the housekeeping thread");
        return HC_ERR_INTERNAL;
    }

    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0) {
            continue;
        }
        if (sig == SIGHUP) {
            char why[256] = "";
            if (s->cfg.api_token_file != NULL &&
                svc_tokens_load(s, s->cfg.api_token_file, why, sizeof why) != HC_OK) {
                svc_log_event(s, "tokens-reload-failed", "the old tokens stay in force");
            } else {
                svc_log_event(s, "tokens-reloaded", NULL);
            }
            svc_trust_reload(s);
            continue;
        }
        break;
    }

    /* Graceful stop: no new connections; requests in flight finish (new ones on open
     * connections get 503), then everything closes. */
    svc_log_event(s, "stopping", NULL);
    atomic_store(&s->stopping, true);
    svc_acceptor_stop(s);
    for (int i = 0; i < DRAIN_SECONDS * 20 && atomic_load(&s->requests_in_flight) > 0; i++) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    svc_stop_daemons(s);
    svc_housekeeper_stop(s, hk);
    svc_log_event(s, "stopped", NULL);
    svc_free(s);
    return HC_OK;
}
