/*
 * store.c: the store front (include/healthcert/store.h): URL dispatch to a backend, the
 * connection pool, argument checks and payload encryption.
 */
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

struct hc_store {
    const hc_store_backend_ops *ops;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void **conns;
    bool *busy;
    size_t n;
    bool has_key;
    uint8_t key[HC_STORE_KEY_LEN];
    int initial_version;
};

#define DEFAULT_CONNECTIONS 4
/* More connections than this only queue in the database. */
#define MAX_CONNECTIONS 256

static bool
starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void
hc_store_close(hc_store *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (s->conns[i] != NULL) {
            s->ops->disconnect(s->conns[i]);
        }
    }
    free(s->conns);
    free(s->busy);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    OPENSSL_cleanse(s->key, sizeof s->key);
    free(s);
}

hc_err
hc_store_open(const char *url, const hc_store_options *opt, hc_store **out, char *msg,
              size_t msg_len)
{
    const char *target = url;
    const hc_store_backend_ops *ops = &hc_store_sqlite_ops;
    hc_err e;

    if (url == NULL || out == NULL || url[0] == 0) {
        hc_msgf(msg, msg_len, "no database given");
        return HC_ERR_INVALID_ARG;
    }
    if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
        ops = &hc_store_pg_ops;
    } else if (starts_with(url, "sqlite:")) {
        target = url + strlen("sqlite:");
        /* "sqlite://PATH" is how people write URLs; take it as the path. */
        if (starts_with(target, "//")) {
            target += 2;
        }
    } else if (strstr(url, "://") != NULL) {
        hc_msgf(msg, msg_len,
                "unknown database URL scheme (use sqlite:PATH, a path, or postgres://...)");
        return HC_ERR_UNSUPPORTED;
    }
    if (target[0] == 0) {
        hc_msgf(msg, msg_len, "no database path given");
        return HC_ERR_INVALID_ARG;
    }
    hc_store *s = calloc(1, sizeof *s);
    size_t n = opt != NULL && opt->connections > 0 ? opt->connections : DEFAULT_CONNECTIONS;
    if (n > MAX_CONNECTIONS) {
        n = MAX_CONNECTIONS;
    }
    if (s == NULL || (s->conns = calloc(n, sizeof *s->conns)) == NULL ||
        (s->busy = calloc(n, sizeof *s->busy)) == NULL) {
        if (s != NULL) {
            free(s->conns);
            free(s);
        }
        hc_msgf(msg, msg_len, "out of memory");
        return HC_ERR_NOMEM;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->ops = ops;
    s->n = n;
    if (opt != NULL && opt->payload_key != NULL) {
        memcpy(s->key, opt->payload_key, HC_STORE_KEY_LEN);
        s->has_key = true;
    }
    /* The first connection migrates the schema before any other prepares statements on it. */
    e = ops->connect(target, &s->conns[0], msg, msg_len);
    if (e == HC_OK) {
        e = ops->migrate(s->conns[0], &s->initial_version, msg, msg_len);
    }
    for (size_t i = 0; e == HC_OK && i < n; i++) {
        if (i > 0) {
            e = ops->connect(target, &s->conns[i], msg, msg_len);
        }
        if (e == HC_OK) {
            e = ops->prepare(s->conns[i], msg, msg_len);
        }
    }
    if (e != HC_OK) {
        hc_store_close(s);
        return e;
    }
    *out = s;
    return HC_OK;
}

const char *
hc_store_backend(const hc_store *s)
{
    return s != NULL ? s->ops->name : "none";
}

int
hc_store_initial_schema_version(const hc_store *s)
{
    return s != NULL ? s->initial_version : -1;
}

/* Takes a free connection, waiting while all are in use. */
static size_t
acquire(hc_store *s)
{
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (size_t i = 0; i < s->n; i++) {
            if (!s->busy[i]) {
                s->busy[i] = true;
                pthread_mutex_unlock(&s->mu);
                return i;
            }
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

static void
release(hc_store *s, size_t i)
{
    pthread_mutex_lock(&s->mu);
    s->busy[i] = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* A UVCI as a lookup key: 1..127 bytes without control characters (anything else is stored under
 * no record, so it is simply not found). */
static bool
uvci_ok(const char *uvci)
{
    size_t n = 0;
    if (uvci == NULL) {
        return false;
    }
    for (; uvci[n] != 0; n++) {
        unsigned char c = (unsigned char)uvci[n];
        if (c < 0x20 || c == 0x7f || n >= HC_STORE_UVCI_MAX - 1) {
            return false;
        }
    }
    return n > 0;
}

static bool
record_ok(const hc_cert_record *r)
{
    return uvci_ok(r->uvci) && (r->type == 'v' || r->type == 't' || r->type == 'r') &&
           r->country[0] >= 'A' && r->country[0] <= 'Z' && r->country[1] >= 'A' &&
           r->country[1] <= 'Z' && r->country[2] == 0;
}

hc_err
hc_store_insert(hc_store *s, const hc_cert_record *rec, const uint8_t *payload, size_t len,
                bool *duplicate)
{
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    bool dup = false;
    if (duplicate != NULL) {
        *duplicate = false;
    }
    if (s == NULL || rec == NULL || !record_ok(rec) || (payload == NULL && len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    if (!s->has_key) {
        return HC_ERR_UNSUPPORTED;
    }
    hc_err e = hc_store_seal(s->key, rec->uvci, payload, len, &blob, &blob_len);
    if (e != HC_OK) {
        return e;
    }
    size_t c = acquire(s);
    e = s->ops->insert(s->conns[c], rec, blob, blob_len, &dup);
    release(s, c);
    free(blob);
    if (duplicate != NULL) {
        *duplicate = dup;
    }
    return e;
}

hc_err
hc_store_get(hc_store *s, const char *uvci, hc_cert_record *out)
{
    if (s == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!uvci_ok(uvci)) {
        return HC_ERR_NOT_FOUND;
    }
    size_t c = acquire(s);
    hc_err e = s->ops->get(s->conns[c], uvci, out, NULL, NULL);
    release(s, c);
    return e;
}

hc_err
hc_store_get_payload(hc_store *s, const char *uvci, uint8_t **payload, size_t *len)
{
    hc_cert_record rec;
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    if (s == NULL || payload == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!s->has_key) {
        return HC_ERR_UNSUPPORTED;
    }
    if (!uvci_ok(uvci)) {
        return HC_ERR_NOT_FOUND;
    }
    size_t c = acquire(s);
    hc_err e = s->ops->get(s->conns[c], uvci, &rec, &blob, &blob_len);
    release(s, c);
    if (e == HC_OK) {
        e = hc_store_open_blob(s->key, uvci, blob, blob_len, payload, len);
    }
    free(blob);
    return e;
}

hc_err
hc_store_revoke(hc_store *s, const char *uvci, int64_t now_ms, hc_cert_record *out, bool *newly)
{
    bool nw = false;
    hc_cert_record rec;
    if (s == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!uvci_ok(uvci)) {
        return HC_ERR_NOT_FOUND;
    }
    size_t c = acquire(s);
    hc_err e = s->ops->revoke(s->conns[c], uvci, now_ms, &nw);
    if (e == HC_OK) {
        e = s->ops->get(s->conns[c], uvci, &rec, NULL, NULL);
    }
    release(s, c);
    if (e == HC_OK && out != NULL) {
        *out = rec;
    }
    if (newly != NULL) {
        *newly = e == HC_OK && nw;
    }
    return e;
}

hc_err
hc_store_foreach_revoked(hc_store *s, int64_t after_seq,
                         bool (*cb)(void *ctx, const hc_cert_record *rec), void *ctx,
                         int64_t *max_seq)
{
    int64_t m = after_seq;
    if (s == NULL || cb == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    size_t c = acquire(s);
    hc_err e = s->ops->foreach_revoked(s->conns[c], after_seq, cb, ctx, &m);
    release(s, c);
    if (max_seq != NULL) {
        *max_seq = m;
    }
    return e;
}

hc_err
hc_store_count(hc_store *s, int64_t *total, int64_t *revoked)
{
    int64_t t = 0, r = 0;
    if (s == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    size_t c = acquire(s);
    hc_err e = s->ops->count(s->conns[c], &t, &r);
    release(s, c);
    if (e == HC_OK) {
        if (total != NULL) {
            *total = t;
        }
        if (revoked != NULL) {
            *revoked = r;
        }
    }
    return e;
}
