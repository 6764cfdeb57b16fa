/*
 * svc_conn.c: connection deadlines, so that a slow client never holds a connection slot for long
 * (security.md J3 slowloris, J4 slow body).
 *
 * libmicrohttpd's own timeout closes a connection after that long without any byte: a slowloris
 * client that sends one byte every few seconds never trips it. So each connection also has a
 * deadline for its current phase:
 *   open / between requests   the next request's headers must be complete within timeout_s
 *   headers in, body expected the body must be complete within timeout_s
 *   response queued           sending it may take up to 60 s (a slow reader of a small answer)
 * A housekeeping thread looks every 250 ms (and writes the access-log lines gathered meanwhile)
 * and shuts down the socket of a connection past its deadline; libmicrohttpd then sees the
 * socket closed and cleans the connection up in its own thread. Deadlines are atomics (no lock
 * on the request path); the list itself is under a mutex that the CLOSED notification also
 * takes, and libmicrohttpd closes the socket only after that notification returns, so the
 * housekeeper never touches a descriptor that was reused.
 */
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "svc_internal.h"

struct svc_conn {
    svc_conn *prev, *next;
    int fd;
    _Atomic int64_t deadline_ms; /* CLOCK_MONOTONIC; INT64_MAX = none */
    bool shut;
};

static int64_t
mono_ms(void)
{
    return svc_now_ns() / 1000000;
}

void
svc_conn_deadline(svc_conn *cn, unsigned seconds)
{
    if (cn != NULL) {
        atomic_store(&cn->deadline_ms, mono_ms() + (int64_t)seconds * 1000);
    }
}

svc_conn *
svc_conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci != NULL ? ci->socket_context : NULL;
}

void
svc_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe)
{
    svc *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&s->taken_up, 1); /* no longer in transit (svc_accept.c) */
        svc_conn *cn = calloc(1, sizeof *cn);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (cn == NULL || ci == NULL) {
            free(cn);
            *socket_context = NULL;
            return; /* untracked: libmicrohttpd's idle timeout still applies */
        }
        cn->fd = ci->connect_fd;
        svc_conn_deadline(cn, s->cfg.timeout_s);
        pthread_mutex_lock(&s->conns_mu);
        cn->next = s->conns;
        if (s->conns != NULL) {
            s->conns->prev = cn;
        }
        s->conns = cn;
        pthread_mutex_unlock(&s->conns_mu);
        *socket_context = cn;
        atomic_fetch_add(&s->open_connections, 1);
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        svc_conn *cn = *socket_context;
        if (cn == NULL) {
            return;
        }
        atomic_fetch_sub(&s->open_connections, 1);
        pthread_mutex_lock(&s->conns_mu);
        if (cn->prev != NULL) {
            cn->prev->next = cn->next;
        } else {
            s->conns = cn->next;
        }
        if (cn->next != NULL) {
            cn->next->prev = cn->prev;
        }
        pthread_mutex_unlock(&s->conns_mu);
        free(cn);
        *socket_context = NULL;
    }
}

size_t
svc_conn_count(svc *s)
{
    size_t n = 0;
    pthread_mutex_lock(&s->conns_mu);
    for (svc_conn *cn = s->conns; cn != NULL; cn = cn->next) {
        n++;
    }
    pthread_mutex_unlock(&s->conns_mu);
    return n;
}

static void *
housekeeper(void *arg)
{
    svc *s = arg;
    int64_t next_refresh = mono_ms() + (int64_t)s->cfg.revocation_refresh_s * 1000;
    unsigned cut = 0;
    while (!atomic_load(&s->hk_stopping)) {
        struct timespec ts = { 0, 250 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        int64_t now = mono_ms();
        pthread_mutex_lock(&s->conns_mu);
        for (svc_conn *cn = s->conns; cn != NULL; cn = cn->next) {
            if (!cn->shut && now > atomic_load(&cn->deadline_ms)) {
                /* shutdown, not close: the descriptor stays libmicrohttpd's to close. */
                shutdown(cn->fd, SHUT_RDWR);
                cn->shut = true;
                cut++;
            }
        }
        pthread_mutex_unlock(&s->conns_mu);
        if (cut > 0) {
            char d[64];
            snprintf(d, sizeof d, "%u connection(s) past their deadline closed", cut);
            svc_log_event(s, "deadline", d);
            cut = 0;
        }
        /* Access-log lines of the last round (svc_http.c writes them in batches). */
        svc_log_flush(s);
        if (s->cfg.revocation_refresh_s > 0 && now >= next_refresh) {
            /* Revocations made by other instances sharing the database. */
            if (svc_revocations_refresh(s, false) != HC_OK) {
                svc_log_event(s, "revocation-refresh-failed", "the store did not answer");
            }
            next_refresh = now + (int64_t)s->cfg.revocation_refresh_s * 1000;
        }
    }
    return NULL;
}

int
svc_housekeeper_start(svc *s, pthread_t *th)
{
    return pthread_create(th, NULL, housekeeper, s);
}

void
svc_housekeeper_stop(svc *s, pthread_t th)
{
    atomic_store(&s->hk_stopping, true);
    pthread_join(th, NULL);
}
