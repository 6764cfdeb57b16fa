/* https_get.c: one bounded HTTPS GET on OpenSSL (see https_get.h). */
#include "https_get.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define WHY(...)                                 \
    do {                                         \
        if (why != NULL && why_len > 0) {        \
            snprintf(why, why_len, __VA_ARGS__); \
        }                                        \
    } while (0)

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes (false then, or on error). */
static bool
wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            return false;
        }
        struct pollfd p = { .fd = fd, .events = events };
        int r = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (r > 0) {
            return true; /* ready, or an error the next call reports */
        }
        if (r < 0 && errno != EINTR) {
            return false;
        }
        /* r == 0 (poll's own timeout) or a signal: the loop checks the deadline again. */
    }
}

/* A non-blocking TCP connection to host:port, trying each address getaddrinfo gives in turn. */
static hc_err
tcp_connect(const hc_https_request *rq, int64_t deadline, int *out, char *why, size_t why_len)
{
    struct addrinfo hints, *res = NULL;
    char port[8];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof port, "%u", rq->port);
    int g = getaddrinfo(rq->host, port, &hints, &res);
    if (g != 0) {
        WHY("cannot resolve %s: %s", rq->host, gai_strerror(g));
        return HC_ERR_IO;
    }
    int err = 0;
    bool timed_out = false;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int fl = fcntl(fd, F_GETFL);
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
            err = errno;
            close(fd);
            continue;
        }
        /* Non-blocking connect (POSIX connect(): EINPROGRESS, then writable, then SO_ERROR), so
         * that an address that drops SYNs costs no more than the deadline. */
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            *out = fd;
            freeaddrinfo(res);
            return HC_OK;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            if (wait_fd(fd, POLLOUT, deadline)) {
                socklen_t sl = sizeof err;
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == 0 && err == 0) {
                    *out = fd;
                    freeaddrinfo(res);
                    return HC_OK;
                }
            } else {
                timed_out = true;
                err = ETIMEDOUT;
            }
        } else {
            err = errno;
        }
        close(fd);
        if (timed_out) {
            break;
        }
    }
    freeaddrinfo(res);
    if (timed_out) {
        WHY("cannot connect to %s port %u: no answer within %d s", rq->host, rq->port,
            rq->timeout_ms / 1000);
    } else {
        WHY("cannot connect to %s port %u: %s", rq->host, rq->port,
            err != 0 ? strerror(err) : "no address");
    }
    return HC_ERR_IO;
}

/* The reason of a failed TLS call, most specific first: the certificate check, OpenSSL's error
 * queue, the system error, or the peer's close. */
static void
tls_reason(SSL *ssl, int ssl_err, int sys_errno, char *why, size_t why_len, const char *what)
{
    long vr = SSL_get_verify_result(ssl);
    unsigned long e = ERR_peek_last_error();
    if (vr != X509_V_OK) {
        WHY("%s: certificate verify failed: %s", what, X509_verify_cert_error_string(vr));
    } else if (e != 0) {
        const char *r = ERR_reason_error_string(e);
        WHY("%s: %s", what, r != NULL ? r : "TLS error");
    } else if (ssl_err == SSL_ERROR_SYSCALL && sys_errno != 0) {
        WHY("%s: %s", what, strerror(sys_errno));
    } else {
        WHY("%s: the server closed the connection", what);
    }
    ERR_clear_error();
}

typedef enum io_result { IO_DONE, IO_RETRY, IO_EOF, IO_FAIL } io_result;

/*
 * After an SSL call that returned ret <= 0: waits for the socket when OpenSSL wants it
 * (IO_RETRY), reports the end of the stream (IO_EOF: close_notify; an end without it is IO_FAIL
 * with the reason, since the body may have been cut), or fails with why.
 */
static io_result
tls_wait(SSL *ssl, int fd, int ret, int64_t deadline, int timeout_ms, const char *what, char *why,
         size_t why_len, bool *unclean_eof)
{
    int saved = errno;
    int se = SSL_get_error(ssl, ret);
    if (se == SSL_ERROR_WANT_READ || se == SSL_ERROR_WANT_WRITE) {
        if (wait_fd(fd, se == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
            return IO_RETRY;
        }
        WHY("%s: no answer within %d s", what, timeout_ms / 1000);
        return IO_FAIL;
    }
    if (se == SSL_ERROR_ZERO_RETURN) {
        return IO_EOF;
    }
    /* OpenSSL 3 reports a TCP end without close_notify as this error (SSL_OP_IGNORE_UNEXPECTED_EOF
     * unset): the caller decides whether the data it has is complete. */
    unsigned long e = ERR_peek_error();
    if (unclean_eof != NULL && se == SSL_ERROR_SSL && ERR_GET_LIB(e) == ERR_LIB_SSL &&
        ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ERR_clear_error();
        *unclean_eof = true;
        return IO_EOF;
    }
    tls_reason(ssl, se, saved, why, why_len, what);
    return IO_FAIL;
}

/* A host and path that can go into a request line and a Host header as they are. */
static bool
request_valid(const hc_https_request *rq)
{
    if (rq->host == NULL || rq->host[0] == '\0' || rq->path == NULL || rq->path[0] != '/' ||
        rq->port == 0 || rq->port > 65535 || rq->max_body == 0 || rq->timeout_ms <= 0 ||
        strlen(rq->host) > 253 || strlen(rq->path) > 1024) {
        return false;
    }
    for (const char *h = rq->host; *h; h++) {
        if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') ||
              *h == '.' || *h == '-')) {
            return false;
        }
    }
    for (const char *p = rq->path; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f) {
            return false;
        }
    }
    return rq->accept == NULL || strpbrk(rq->accept, "\r\n") == NULL;
}

/* The TLS client context: TLS 1.2+ (RFC 8996), peer verification against ca_file or the system
 * store. */
static SSL_CTX *
make_ctx(const char *ca_file, char *why, size_t why_len)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        WHY("cannot make a TLS context");
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    bool ok = SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1;
    if (ok && ca_file != NULL) {
        ok = SSL_CTX_load_verify_locations(ctx, ca_file, NULL) == 1;
        if (!ok) {
            WHY("cannot read the CA file %s", ca_file);
        }
    } else if (ok) {
        ok = SSL_CTX_set_default_verify_paths(ctx) == 1;
        if (!ok) {
            WHY("cannot load the system's CA certificates");
        }
    }
    if (!ok) {
        ERR_clear_error();
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* The peer name to check: an IP address literal against the certificate's iPAddress SANs (and no
 * SNI, RFC 6066 §3 forbids literals there), a DNS name against its dNSName SANs, sent as SNI. */
static bool
set_peer_name(SSL *ssl, const char *host)
{
    struct in_addr a4;
    if (inet_pton(AF_INET, host, &a4) == 1) {
        return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1;
    }
    /* RFC 6125 §6.4.3: no partial wildcards ("f*o.example"), the usual browser rule. */
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host) == 1 && SSL_set_tlsext_host_name(ssl, host) == 1;
}

/* The exchange on an open TLS connection: request, then the response into buf (room for
 * HC_HTTP_MAX_HEAD + max_body + 1 bytes). */
static hc_err
exchange(SSL *ssl, int fd, const hc_https_request *rq, int64_t deadline, char *buf,
         size_t *body_off, size_t *body_len, char *why, size_t why_len)
{
    int ret;
    io_result r;
    while ((ret = SSL_connect(ssl)) != 1) {
        if ((r = tls_wait(ssl, fd, ret, deadline, rq->timeout_ms, "TLS handshake failed", why,
                          why_len, NULL)) != IO_RETRY) {
            if (r == IO_EOF) {
                WHY("TLS handshake failed: the server closed the connection");
            }
            return HC_ERR_IO;
        }
    }
    /* HTTP/1.0 (RFC 1945 §5) with a Host header (RFC 9110 §7.2: with the port unless the
     * default): the body of the answer is never chunked and ends with the connection. */
    char req[1536], port[8] = "";
    if (rq->port != 443) {
        snprintf(port, sizeof port, ":%u", rq->port);
    }
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.0\r\nHost: %s%s\r\nAccept: %s\r\nUser-Agent: healthcert\r\n"
                     "Connection: close\r\n\r\n",
                     rq->path, rq->host, port, rq->accept != NULL ? rq->accept : "*/*");
    if (n < 0 || (size_t)n >= sizeof req) {
        WHY("request too long");
        return HC_ERR_INVALID_ARG;
    }
    while ((ret = SSL_write(ssl, req, n)) <= 0) {
        if ((r = tls_wait(ssl, fd, ret, deadline, rq->timeout_ms, "sending the request failed", why,
                          why_len, NULL)) != IO_RETRY) {
            if (r == IO_EOF) {
                WHY("sending the request failed: the server closed the connection");
            }
            return HC_ERR_IO;
        }
    }
    size_t len = 0, head = 0;
    hc_http_head h;
    bool unclean = false;
    for (;;) {
        /* Read no further than the head bound until the head has ended, then the body bound. */
        size_t limit = head == 0 ? HC_HTTP_MAX_HEAD + 1 : head + rq->max_body + 1;
        if (len >= limit) {
            if (head == 0) {
                WHY("the response headers are longer than %d KiB", HC_HTTP_MAX_HEAD / 1024);
            } else {
                WHY("the response body is longer than %zu KiB", rq->max_body / 1024);
            }
            return HC_ERR_INPUT_TOO_LARGE;
        }
        size_t want = limit - len;
        ret = SSL_read(ssl, buf + len, want > INT32_MAX ? INT32_MAX : (int)want);
        if (ret > 0) {
            len += (size_t)ret;
        } else {
            r = tls_wait(ssl, fd, ret, deadline, rq->timeout_ms, "reading the response failed", why,
                         why_len, &unclean);
            if (r == IO_RETRY) {
                continue;
            }
            if (r == IO_FAIL) {
                return HC_ERR_IO;
            }
        }
        bool eof = ret <= 0;
        if (head == 0) {
            head = hc_http_head_end(buf, len < HC_HTTP_MAX_HEAD ? len : HC_HTTP_MAX_HEAD);
            if (head == 0 && !eof) {
                continue;
            }
            if (head == 0) {
                WHY("the server closed the connection before the end of the response headers");
                return HC_ERR_STRUCTURE_INVALID;
            }
            hc_err e = hc_http_parse_head(buf, head, &h, why, why_len);
            if (e != HC_OK) {
                return e;
            }
            /* RFC 9110 §15.4: 3xx redirects. The document must come from the DID's own
             * location (did:web §3.2), so a redirect is reported, never followed. */
            if (h.status >= 300 && h.status < 400) {
                WHY("the server answered %d, a redirect%s%s; redirects are not followed", h.status,
                    h.location[0] ? " to " : "", h.location);
                return HC_ERR_STRUCTURE_INVALID;
            }
            if (h.status != 200) {
                WHY("the server answered HTTP status %d", h.status);
                return HC_ERR_STRUCTURE_INVALID;
            }
            if (h.has_transfer_coding) {
                WHY("the server sent a Transfer-Encoding to an HTTP/1.0 request");
                return HC_ERR_STRUCTURE_INVALID;
            }
            if (h.has_content_length && h.content_length > rq->max_body) {
                WHY("the response body (%zu bytes) is longer than %zu KiB", h.content_length,
                    rq->max_body / 1024);
                return HC_ERR_INPUT_TOO_LARGE;
            }
        }
        if (len - head > rq->max_body) {
            WHY("the response body is longer than %zu KiB", rq->max_body / 1024);
            return HC_ERR_INPUT_TOO_LARGE;
        }
        if (h.has_content_length && len - head >= h.content_length) {
            *body_off = head;
            *body_len = h.content_length; /* bytes after it are not part of this response */
            return HC_OK;
        }
        if (eof) {
            break;
        }
    }
    if (h.has_content_length) {
        WHY("the connection ended after %zu of %zu body bytes", len - head, h.content_length);
        return HC_ERR_IO;
    }
    if (unclean) {
        /* Without a length, only TLS close_notify (RFC 8446 §6.1) tells the end of the body
         * from a connection cut by an attacker. */
        WHY("the connection ended without TLS close_notify and without a Content-Length: the "
            "body may be cut");
        return HC_ERR_IO;
    }
    *body_off = head;
    *body_len = len - head;
    return HC_OK;
}

hc_err
hc_https_get(const hc_https_request *rq, char **body, size_t *body_len, char *why, size_t why_len)
{
    if (why != NULL && why_len > 0) {
        why[0] = '\0';
    }
    if (rq == NULL || body == NULL || body_len == NULL || !request_valid(rq)) {
        WHY("invalid request");
        return HC_ERR_INVALID_ARG;
    }
    *body = NULL;
    *body_len = 0;
    int64_t deadline = now_ms() + rq->timeout_ms;
    /* A write to a connection the peer has closed raises SIGPIPE, which would end the program:
     * blocked for this call, and a pending one consumed before the mask is restored. */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);

    hc_err e = HC_ERR_IO;
    int fd = -1;
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    /* The head, the body and one byte more (to tell "at the bound" from "past it"). */
    size_t cap = HC_HTTP_MAX_HEAD + rq->max_body + 1;
    char *buf = malloc(cap + 1);
    if (buf == NULL) {
        e = HC_ERR_NOMEM;
        WHY("out of memory");
        goto done;
    }
    if ((e = tcp_connect(rq, deadline, &fd, why, why_len)) != HC_OK) {
        goto done;
    }
    e = HC_ERR_IO;
    if ((ctx = make_ctx(rq->ca_file, why, why_len)) == NULL) {
        goto done;
    }
    if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 || !set_peer_name(ssl, rq->host)) {
        WHY("cannot set up TLS for %s", rq->host);
        goto done;
    }
    size_t off = 0, n = 0;
    e = exchange(ssl, fd, rq, deadline, buf, &off, &n, why, why_len);
    if (e == HC_OK) {
        memmove(buf, buf + off, n);
        buf[n] = '\0';
        *body = buf;
        *body_len = n;
        buf = NULL;
    }
done:
    free(buf);
    if (ssl != NULL) {
        /* One close_notify attempt, no waiting for the peer's: the response is complete. */
        if (e == HC_OK) {
            (void)SSL_shutdown(ssl);
        }
        SSL_free(ssl);
    }
    SSL_CTX_free(ctx);
    if (fd >= 0) {
        close(fd);
    }
    ERR_clear_error();
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        const struct timespec zero = { 0, 0 };
        (void)sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    return e;
}
