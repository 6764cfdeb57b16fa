/*
 * svc_internal.h: the parts of the service (service.h) and what they share.
 *
 *   svc_main.c         start-up, the libmicrohttpd daemons, signals, graceful shutdown
 *   svc_accept.c       the listening socket; connections dealt out to the workers
 *   svc_http.c         one request: routing, header and body limits, responses, the access log
 *   svc_conn.c         connection deadlines (a slow client never holds a connection slot long)
 *   svc_auth.c         bearer tokens (constant-time), failed-attempt limit per address
 *   svc_api_verify.c   POST /v1/verify with one verifier per worker thread
 *   svc_json.c         the verdict answer written straight to text
 *   svc_api_certs.c    POST /v1/certificates, GET /v1/certificates/{uvci}, .../revoke, .../pdf
 *   svc_api_public.c   /healthz, /v1/revocations, /v1/trustlist, the web pages
 *   svc_trust.c        the trust material in generations, reloaded on SIGHUP
 *   svc_revocations.c  the in-memory revocation list, kept in step with the store
 *   svc_demo.c         demo keys and token for the quick start
 */
#ifndef HC_SVC_INTERNAL_H
#define HC_SVC_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "healthcert/healthcert.h"
#include "healthcert/issue.h"
#include "healthcert/revocation.h"
#include "healthcert/store.h"
#include "service.h"

/* Header bytes a request may carry (security.md §5: headers <= 8 KiB). libmicrohttpd's own
 * per-connection memory limit (SVC_CONNECTION_MEMORY) stops larger ones before they reach us. */
#define SVC_MAX_HEADER_BYTES (8 * 1024)
/* Connections the kernel queues while none is accepted (a burst, or at --max-connections). */
#define SVC_LISTEN_BACKLOG    1024
#define SVC_CONNECTION_MEMORY (32 * 1024)

/* Access-log batches: written when this many bytes are waiting (about 40 lines), else by the
 * housekeeper's next round (250 ms). The buffer holds a batch plus the longest line. */
#define SVC_LOG_FLUSH_BYTES 8192
#define SVC_LOG_BUFFER      (SVC_LOG_FLUSH_BYTES + 1024)

/* Failed authentications from one address before it gets 429 for the rest of the window. */
#define SVC_AUTH_FAILURES_MAX 20
#define SVC_AUTH_WINDOW_MS    60000

/* Revocations re-read on each refresh below the last sequence seen: PostgreSQL hands out
 * sequence numbers before commit, so a number may become visible after a higher one; rereading a
 * window (adding is idempotent) catches those (docs/store.md). */
#define SVC_REVOCATION_OVERLAP 1000

typedef struct svc_tokens svc_tokens;
typedef struct svc_conn svc_conn;

/*
 * One generation of trust material (svc_trust.c): the store loaded from --trust (plus the
 * issuer's own DSC) and the GET /v1/trustlist document made from it. Never changed once
 * published; a SIGHUP reload makes a whole new one and swaps it in.
 */
typedef struct svc_trust_gen {
    hc_trust_store *store;
    uint64_t number; /* unique in the process (never reused, unlike an address) */
    char *trustlist_json;
    size_t trustlist_len;
    char trustlist_etag[24];
} svc_trust_gen;

typedef struct svc {
    hc_service_config cfg;
    /* The current trust generation: read (pointer and what it points to) only while holding
     * trust_lock for reading (svc_trust_acquire); replaced under it for writing (svc_trust.c). */
    pthread_rwlock_t trust_lock;
    svc_trust_gen *trust;
    hc_issuer *issuer; /* NULL: issuing is not configured (503) */
    hc_store *store;
    hc_revocation_list *revoked; /* this issuer's revoked certificates (published, applied) */
    pthread_mutex_t revsync_mu;  /* one refresh at a time */
    int64_t revocation_seq;      /* highest store sequence applied (under revsync_mu) */
    _Atomic int64_t published_seq;
    hc_verify_options vopt; /* what every worker's verifier is made from (trust: per generation) */

    pthread_rwlock_t tokens_lock;
    svc_tokens *tokens;

    pthread_mutex_t revdoc_mu;
    struct rev_doc *revdoc; /* GET /v1/revocations as last serialised (svc_api_public.c) */

    /* Access log (svc_http.c): lines gathered under log_mu and written in batches. */
    int log_fd; /* -1: access log off */
    pthread_mutex_t log_mu;
    size_t log_len;
    char log_buf[SVC_LOG_BUFFER];

    /* Connections and their deadlines (svc_conn.c). */
    pthread_mutex_t conns_mu;
    svc_conn *conns;
    _Atomic long requests_in_flight;

    /* Verifiers made by worker threads, freed at shutdown. */
    pthread_mutex_t verifiers_mu;
    hc_verifier **verifiers;
    size_t n_verifiers, cap_verifiers;

    /* Failed-authentication limiter (svc_auth.c). */
    pthread_mutex_t limiter_mu;
    struct svc_limiter_slot {
        uint8_t addr[16];
        int64_t window_start;
        unsigned failures;
    } limiter[256];

    /* One libmicrohttpd daemon per worker thread, fed by the acceptor (svc_accept.c). */
    struct MHD_Daemon **daemons;
    unsigned n_daemons;
    int listen_fd; /* -1: none */
    int accept_stop[2];
    pthread_t acceptor;
    bool acceptor_running;
    _Atomic long open_connections; /* STARTED minus CLOSED notifications */
    _Atomic long handed_over;      /* connections the acceptor gave a daemon */
    _Atomic long taken_up;         /* of those, STARTED (handed_over - taken_up: in transit) */
    _Atomic bool stopping;         /* SIGTERM: new requests get 503 while the others finish */
    _Atomic bool hk_stopping;      /* the housekeeping thread ends */
} svc;

/* Fields of one access-log line beyond the request line and status (no personal data). */
typedef struct svc_log {
    const char *verdict; /* "valid" / "invalid" */
    char format[16];
    char codes[96]; /* comma-separated stable codes */
    char country[4];
    char kid[16];
    char token[12]; /* token id: first 8 hex digits of its SHA-256 */
    char type[2];
} svc_log;

typedef enum svc_route_id {
    R_NONE = 0,
    R_HEALTHZ,
    R_VERIFY,
    R_CERT_ISSUE,
    R_CERT_GET,
    R_CERT_REVOKE,
    R_CERT_PDF,
    R_REVOCATIONS,
    R_TRUSTLIST,
    R_PAGE_INDEX,
    R_PAGE_ISSUE,
    R_STATIC,
} svc_route_id;

/* One request in flight (libmicrohttpd's per-request context). */
typedef struct svc_request {
    svc_route_id route;
    const char *route_name;             /* the route template for the log, never the path itself */
    char param[HC_STORE_UVCI_MAX + 64]; /* {uvci} or the static file name */
    bool param_too_long;
    int method; /* SVC_GET / SVC_POST / SVC_HEAD */
    char method_text[8];
    int64_t start_ns;
    /* Body: at most limit bytes are kept. */
    uint8_t *body;
    size_t len, cap, limit, declared;
    bool discard; /* over the limit: read and dropped, 413 at the end */
    bool body_expected;
    size_t bytes_out;
    unsigned status; /* of the queued response, 0 before */
    svc_log log;
    svc_conn *conn;
} svc_request;

enum { SVC_GET = 1, SVC_HEAD = 2, SVC_POST = 3, SVC_OTHER = 4 };

/* svc_http.c */
enum MHD_Result svc_on_request(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls);
void svc_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe);
/* Queues a response with the service's headers; takes ownership of body (malloc'd, wiped and
 * freed after sending). Records the status and size for the access log. */
enum MHD_Result svc_respond(struct MHD_Connection *c, svc_request *rq, unsigned status,
                            const char *content_type, char *body, size_t len,
                            const char *const *extra_headers);
/* JSON body (json_dumps of j, which is released). */
enum MHD_Result svc_respond_json(struct MHD_Connection *c, svc_request *rq, unsigned status,
                                 json_t *j, const char *const *extra_headers);
/* 500 {"errors": [{"code": "INTERNAL", "message": "out of memory"}]}, from static memory. */
enum MHD_Result svc_respond_oom(struct MHD_Connection *c, svc_request *rq);
/* {"errors": [{"code": code, "message": message}]}. */
enum MHD_Result svc_respond_error(struct MHD_Connection *c, svc_request *rq, unsigned status,
                                  const char *code, const char *message);
/* Queues a response made by the caller (takes it), with the service's headers. */
enum MHD_Result svc_queue(struct MHD_Connection *c, svc_request *rq, unsigned status,
                          struct MHD_Response *r, const char *content_type, size_t len,
                          const char *const *extra_headers);
void svc_add_headers(struct MHD_Response *r, const char *content_type,
                     const char *const *extra_headers);
/* A static body that is not freed (embedded files). */
enum MHD_Result svc_respond_static(struct MHD_Connection *c, svc_request *rq, unsigned status,
                                   const char *content_type, const void *body, size_t len,
                                   const char *const *extra_headers);
void svc_log_open(svc *s);
void svc_log_event(svc *s, const char *event, const char *detail);
/* Writes the access-log lines still waiting (housekeeper, shutdown). */
void svc_log_flush(svc *s);
int64_t svc_now_ns(void);

/* svc_accept.c */
/* Listens on ss (s->listen_fd); the port bound in *bound_port. -1 when it cannot. */
int svc_listen(svc *s, const struct sockaddr_storage *ss, bool v6, unsigned *bound_port);
int svc_acceptor_start(svc *s);
/* Stops accepting and closes the listening socket. */
void svc_acceptor_stop(svc *s);

/* svc_conn.c */
void svc_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe);
svc_conn *svc_conn_of(struct MHD_Connection *c);
/* Deadline of the connection's current phase: now + seconds. */
void svc_conn_deadline(svc_conn *cn, unsigned seconds);
int svc_housekeeper_start(svc *s, pthread_t *th);
void svc_housekeeper_stop(svc *s, pthread_t th);
size_t svc_conn_count(svc *s);

/* svc_auth.c */
hc_err svc_tokens_load(svc *s, const char *path, char *msg, size_t msg_len);
void svc_tokens_free(svc_tokens *t);
/* Checks the request's bearer token. Authorised: *ok = true (the token id is in rq->log.token)
 * and MHD_YES. Else *ok = false and the result of queueing 401 (or 429 for an address over its
 * failure limit). */
enum MHD_Result svc_authorise(svc *s, struct MHD_Connection *c, svc_request *rq, bool *ok);

/* svc_api_verify.c */
enum MHD_Result svc_api_verify(svc *s, struct MHD_Connection *c, svc_request *rq);
void svc_verifiers_free(svc *s);

/* svc_api_certs.c */
enum MHD_Result svc_api_issue(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_api_cert_get(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_api_cert_revoke(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_api_cert_pdf(svc *s, struct MHD_Connection *c, svc_request *rq);

/* svc_api_public.c */
enum MHD_Result svc_api_healthz(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_api_revocations(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_api_trustlist(svc *s, struct MHD_Connection *c, svc_request *rq);
enum MHD_Result svc_web(svc *s, struct MHD_Connection *c, svc_request *rq);
/* Makes g's /v1/trustlist document and ETag from g->store. */
hc_err svc_trustlist_build(svc_trust_gen *g);
void svc_revdoc_free(svc *s);

/* svc_trust.c */
/* Initialises trust_lock (writer-preferring). */
void svc_trust_lock_init(svc *s);
/* Loads the first generation (start-up); msg names the material that failed. */
hc_err svc_trust_start(svc *s, char *msg, size_t msg_len);
/* SIGHUP: loads a new generation and swaps it in, or keeps the current one (logged either way). */
void svc_trust_reload(svc *s);
/* The current generation, held until svc_trust_release (one pair per use, never nested). */
static inline const svc_trust_gen *
svc_trust_acquire(svc *s)
{
    pthread_rwlock_rdlock(&s->trust_lock);
    return s->trust;
}
static inline void
svc_trust_release(svc *s)
{
    pthread_rwlock_unlock(&s->trust_lock);
}
/* Frees the current generation and trust_lock (shutdown). */
void svc_trust_free(svc *s);

/* svc_revocations.c */
hc_err svc_revocations_refresh(svc *s, bool full);
/* Adds a record's three hashes to the in-memory list. */
void svc_revocations_add(svc *s, const hc_cert_record *rec);

#endif
