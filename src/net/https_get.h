/*
 * https_get.h: one bounded HTTPS GET (the CLI's `verify --resolve-did-web`, docs/vc.md).
 *
 * The only network client of healthcert, and the CLI's alone: the service never fetches anything
 * on a verifier's behalf (security.md §1.8). Deliberately small: HTTP/1.0 (RFC 1945) so that the
 * body is never chunked and ends with the connection, one request per connection, no redirects,
 * no cookies, no proxies. Everything the server sends is hostile and bounded:
 *   - TLS 1.2 or later (RFC 8996 deprecates 1.0 and 1.1), the peer's certificate verified against
 *     the system's default CA store or the caller's PEM file, its name checked against the host
 *     (RFC 6125 via SSL_set1_host), SNI sent for DNS names (RFC 6066 §3);
 *   - the status line and headers at most HC_HTTP_MAX_HEAD bytes, the body at most the caller's
 *     bound; only status 200 is accepted (a redirect is refused, never followed);
 *   - one deadline for the whole exchange (name lookup excepted: getaddrinfo has no timeout):
 *     connect, handshake, write and every read wait at most until it.
 */
#ifndef HC_HTTPS_GET_H
#define HC_HTTPS_GET_H

#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"

/* Longest response head (status line + headers + blank line) accepted. */
#define HC_HTTP_MAX_HEAD 8192

/* The parts of a response head this client uses. */
typedef struct hc_http_head {
    int status;               /* RFC 9110 §15: three digits */
    bool has_content_length;  /* a valid Content-Length was given */
    size_t content_length;    /* its value (bounded by the caller before use) */
    bool has_transfer_coding; /* a Transfer-Encoding header (never sent to a 1.0 request) */
    char location[256];       /* Location (RFC 9110 §10.2.2), truncated; "" when absent */
} hc_http_head;

/*
 * Offset just past the end of the head in data[0..len) (the first "\r\n\r\n", or "\n\n" which
 * RFC 9112 §2.2 lets a recipient accept), 0 when the head is not complete yet.
 */
size_t hc_http_head_end(const char *data, size_t len);

/*
 * Parses a complete response head (data[0..len), as delimited by hc_http_head_end): status line
 * "HTTP/1.x NNN reason" (RFC 9112 §4), then "name: value" header lines (RFC 9112 §5). Obsolete
 * line folding, a header without a colon, a control character, a Content-Length that is not
 * digits, or two that differ are refused (RFC 9112 §6.3: a message with those is invalid).
 * HC_ERR_STRUCTURE_INVALID with why on error.
 */
hc_err hc_http_parse_head(const char *data, size_t len, hc_http_head *out, char *why,
                          size_t why_len);

typedef struct hc_https_request {
    const char *host; /* DNS name or IPv4 literal */
    unsigned port;
    const char *path;    /* starts with '/', printable ASCII without spaces */
    const char *accept;  /* Accept header value */
    const char *ca_file; /* PEM file of trusted CAs; NULL: the system's default store */
    int timeout_ms;      /* deadline of the whole exchange */
    size_t max_body;     /* a longer body is an error */
} hc_https_request;

/*
 * GETs https://host:port/path. On HC_OK *body (malloc'd, NUL-terminated, owned by the caller)
 * holds *body_len bytes of a 200 response. Otherwise HC_ERR_IO (network, TLS, timeout),
 * HC_ERR_STRUCTURE_INVALID (a malformed response or a status other than 200),
 * HC_ERR_INPUT_TOO_LARGE (the head or body over its bound), HC_ERR_INVALID_ARG or HC_ERR_NOMEM,
 * with a one-line reason in why (e.g. "certificate verify failed: unable to get local issuer
 * certificate").
 */
hc_err hc_https_get(const hc_https_request *rq, char **body, size_t *body_len, char *why,
                    size_t why_len);

#endif
