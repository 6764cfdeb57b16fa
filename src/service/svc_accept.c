/*
 * svc_accept.c: the listening socket, and the thread that accepts connections and hands each to
 * one of the workers.
 *
 * Why not libmicrohttpd's own thread pool: there every worker has the listening socket in its
 * epoll set and whichever wakes first accepts (up to ten at a time), so a burst of connections,
 * such as the fixed keep-alive pool of a load balancer or of a load test, can land on one worker
 * while the others idle: in half of the 32-connection load runs one core served everything
 * (docs/service.md "Load"). So each worker is a libmicrohttpd daemon of its own (one thread,
 * epoll, no listening socket) and this thread deals connections out in turn
 * (MHD_add_connection, which wakes the daemon through its inter-thread channel). With a
 * per-address limit configured, a connection goes to the worker its client address hashes to
 * instead, so that the worker's own per-address count (libmicrohttpd's) is the address's whole
 * count and the limit holds exactly; clients that come directly (the only case for such a limit)
 * have many addresses, which the hash spreads.
 *
 * At --max-connections open connections (counting those handed over and not yet taken up by
 * their worker), accepting pauses until one closes: new connections wait in the listen backlog,
 * as with libmicrohttpd's own accept. Every daemon also has the limit itself, as a backstop.
 */
/* accept4 and pipe2 (atomic non-blocking / close-on-exec descriptors) are GNU extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "svc_internal.h"

/* Connections taken from the backlog per wake-up before the stop pipe is looked at again. */
#define ACCEPT_BURST 64

int
svc_listen(svc *s, const struct sockaddr_storage *ss, bool v6, unsigned *bound_port)
{
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    /* A restarted service can listen again at once, while the old connections time out
     * (libmicrohttpd sets the same on its sockets). */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6) {
        /* "[::1]:8080" means IPv6 only, not IPv4 too. */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    struct sockaddr_storage got;
    socklen_t got_len = sizeof got;
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SVC_LISTEN_BACKLOG) != 0 ||
        getsockname(fd, (struct sockaddr *)&got, &got_len) != 0) {
        close(fd);
        return -1;
    }
    *bound_port = ntohs(v6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                           : ((struct sockaddr_in *)&got)->sin_port);
    s->listen_fd = fd;
    return 0;
}

/* FNV-1a over the client's address bytes (not the port): the same address, the same worker. */
static unsigned
address_hash(const struct sockaddr_storage *a)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    if (a->ss_family == AF_INET) {
        p = (const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr;
        n = 4;
    } else if (a->ss_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)a)->sin6_addr;
        n = 16;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

/* At --max-connections: the connections open, plus those handed to a worker that has not yet
 * taken them up (its STARTED notification), so that a burst cannot pass the limit. (One that a
 * worker fails to set up, which only running out of memory does, stays counted.) */
static bool
full(svc *s)
{
    long open = atomic_load(&s->open_connections);
    long in_transit = atomic_load(&s->handed_over) - atomic_load(&s->taken_up);
    return open + in_transit >= (long)s->cfg.max_connections;
}

static void *
acceptor(void *arg)
{
    svc *s = arg;
    unsigned turn = 0;
    bool per_address = s->cfg.max_connections_per_ip > 0;
    struct pollfd p[2] = { { s->listen_fd, POLLIN, 0 }, { s->accept_stop[0], POLLIN, 0 } };
    for (;;) {
        bool at_limit = full(s);
        /* At the limit the listening socket is not watched; looked at again every 50 ms. */
        p[0].events = at_limit ? 0 : POLLIN;
        if (poll(p, 2, at_limit ? 50 : -1) < 0 && errno != EINTR) {
            break;
        }
        if (p[1].revents != 0) {
            break; /* svc_acceptor_stop */
        }
        if (at_limit || (p[0].revents & POLLIN) == 0) {
            continue;
        }
        for (int i = 0; i < ACCEPT_BURST; i++) {
            /* Looked at before every accept, not only before the wait: connections may have
             * closed or been taken up since. */
            if (full(s)) {
                break;
            }
            struct sockaddr_storage a;
            socklen_t alen = sizeof a;
            int fd =
                accept4(s->listen_fd, (struct sockaddr *)&a, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    /* Out of descriptors or memory: the connection stays in the backlog; a
                     * pause keeps this thread from spinning on it. */
                    svc_log_event(s, "accept-failed", "out of descriptors or memory");
                    poll(&p[1], 1, 100);
                }
                break; /* EAGAIN: the backlog is empty; others: that one connection failed */
            }
            unsigned w = per_address ? address_hash(&a) % s->n_daemons : turn++ % s->n_daemons;
            /* Takes the socket whatever happens: on failure libmicrohttpd closes it. */
            if (MHD_add_connection(s->daemons[w], fd, (struct sockaddr *)&a, alen) == MHD_YES) {
                atomic_fetch_add(&s->handed_over, 1);
            }
        }
    }
    return NULL;
}

int
svc_acceptor_start(svc *s)
{
    if (pipe2(s->accept_stop, O_CLOEXEC) != 0) {
        return -1;
    }
    if (pthread_create(&s->acceptor, NULL, acceptor, s) != 0) {
        close(s->accept_stop[0]);
        close(s->accept_stop[1]);
        return -1;
    }
    s->acceptor_running = true;
    return 0;
}

void
svc_acceptor_stop(svc *s)
{
    if (s->acceptor_running) {
        ssize_t w = write(s->accept_stop[1], "x", 1);
        (void)w; /* a pipe with nothing in it always takes one byte */
        pthread_join(s->acceptor, NULL);
        close(s->accept_stop[0]);
        close(s->accept_stop[1]);
        s->acceptor_running = false;
    }
    if (s->listen_fd >= 0) {
        /* Connections still in the backlog are refused. */
        close(s->listen_fd);
        s->listen_fd = -1;
    }
}
