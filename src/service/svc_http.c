/*
 * svc_http.c: one HTTP request through the service: routing, the header and body limits
 * (security.md §5, J1/J2/J16), responses with the service's headers, and the access log.
 *
 * libmicrohttpd calls svc_on_request first when the headers are in (we route, check the limits
 * and may answer at once, before any body byte is read), then once per body chunk, then once
 * more when the body is complete (we answer). A response cannot be queued while a body is still
 * arriving (libmicrohttpd 0.9.75), so every limit on a body is decided from its Content-Length
 * before the body is read; a body without one (chunked) is refused with 411.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hctime.h"
#include "qr.h"
#include "svc_internal.h"

/* Bodies of requests that need none (GET, revoke) are read and dropped up to this size. */
#define SVC_SMALL_BODY 4096
/* Bodies up to this size are allocated at their declared size; larger ones grow from it. */
#define SVC_BODY_FIRST_BLOCK 16384

int64_t
svc_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- access log --- */

void
svc_log_open(svc *s)
{
    const char *dest = s->cfg.access_log;
    if (dest == NULL || strcmp(dest, "-") == 0) {
        s->log_fd = STDERR_FILENO;
    } else if (strcmp(dest, "off") == 0) {
        s->log_fd = -1;
    } else {
        s->log_fd = open(dest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (s->log_fd < 0) {
            fprintf(stderr, "healthcert serve: cannot open the access log %s; using stderr\n",
                    dest);
            s->log_fd = STDERR_FILENO;
        }
    }
}

/*
 * Lines are gathered in one buffer and written in batches: at SVC_LOG_FLUSH_BYTES, by the
 * housekeeper every 250 ms (svc_conn.c), for every service event, and at the end. A write per
 * request was a third of the service's system calls under load. Batches are written whole under
 * the lock, so lines never interleave or reorder; what a kill -9 loses is at most the last
 * 250 ms of access lines (it is an access log, not a record: issuance is committed to the store
 * before its answer).
 */
static void
log_flush_locked(svc *s)
{
    size_t off = 0;
    while (off < s->log_len) {
        ssize_t w = write(s->log_fd, s->log_buf + off, s->log_len - off);
        if (w <= 0) {
            break; /* a full disk must not stop the service: the batch is dropped */
        }
        off += (size_t)w;
    }
    s->log_len = 0;
}

void
svc_log_flush(svc *s)
{
    if (s->log_fd < 0) {
        return;
    }
    pthread_mutex_lock(&s->log_mu);
    if (s->log_len > 0) {
        log_flush_locked(s);
    }
    pthread_mutex_unlock(&s->log_mu);
}

static void
log_write(svc *s, const char *line, size_t len, bool now)
{
    if (s->log_fd < 0) {
        return;
    }
    pthread_mutex_lock(&s->log_mu);
    if (s->log_len + len > sizeof s->log_buf) {
        log_flush_locked(s);
    }
    if (len <= sizeof s->log_buf) {
        memcpy(s->log_buf + s->log_len, line, len);
        s->log_len += len;
    }
    if (now || s->log_len >= SVC_LOG_FLUSH_BYTES) {
        log_flush_locked(s);
    }
    pthread_mutex_unlock(&s->log_mu);
}

/* The time as "2026-06-01T12:00:00.123Z". Formatting the date takes longer than the rest of a
 * log line: each thread keeps the text of the current second and only rewrites milliseconds. */
static void
now_text(char *buf, size_t cap)
{
    static _Thread_local int64_t cached_sec = -1;
    static _Thread_local char cached[32];
    static _Thread_local size_t cached_len;
    hc_time_ms t = hc_time_now();
    if (t < 0 || cap < sizeof cached) {
        hc_time_format(t, true, buf, cap);
        return;
    }
    if (t / 1000 != cached_sec) {
        hc_time_format(t, true, cached, sizeof cached);
        cached_sec = t / 1000;
        cached_len = strlen(cached);
    }
    memcpy(buf, cached, cached_len + 1);
    /* The text ends in ".mmmZ". */
    unsigned ms = (unsigned)(t % 1000);
    buf[cached_len - 4] = (char)('0' + ms / 100);
    buf[cached_len - 3] = (char)('0' + ms / 10 % 10);
    buf[cached_len - 2] = (char)('0' + ms % 10);
}

void
svc_log_event(svc *s, const char *event, const char *detail)
{
    char line[512], ts[32];
    now_text(ts, sizeof ts);
    /* event and detail are the service's own text (no request data). */
    int n = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"event\":\"%s\"%s%s%s}\n", ts, event,
                     detail != NULL ? ",\"detail\":\"" : "", detail != NULL ? detail : "",
                     detail != NULL ? "\"" : "");
    if (n > 0) {
        /* Events are rare and someone may be waiting for one ("listening"): written at once. */
        log_write(s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, true);
    }
}

/* Appending to a log line without printf (which cost more than the rest of the line). */
typedef struct line_buf {
    char *p, *end; /* end: one before the last byte, kept for the newline */
} line_buf;

static void
add_str(line_buf *b, const char *s)
{
    while (*s && b->p < b->end) {
        *b->p++ = *s++;
    }
}

static void
add_uint(line_buf *b, uint64_t v)
{
    char digits[24];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (i < sizeof digits && b->p < b->end) {
        *b->p++ = digits[i++];
    }
}

/* "name":"value" after a comma. */
static void
add_field(line_buf *b, const char *name, const char *value)
{
    add_str(b, ",\"");
    add_str(b, name);
    add_str(b, "\":\"");
    add_str(b, value);
    add_str(b, "\"");
}

/*
 * The access log holds no personal data (security.md §4, J11): the route template instead of the
 * path (a path may hold a UVCI), no query, no client address, no body; for verifications the
 * verdict, its stable codes, the issuer country and kid; for issuing the token id, type and
 * country. Every value is from a fixed alphabet, so no escaping can be missed (J14).
 */
static void
log_request(svc *s, svc_request *rq, unsigned status, const char *outcome)
{
    char line[768], ts[32];
    if (s->log_fd < 0) {
        return; /* --access-log off: nothing to format */
    }
    line_buf b = { line, line + sizeof line - 1 };
    /* Milliseconds with three decimals, rounded to the microsecond. */
    int64_t us = (svc_now_ns() - rq->start_ns + 500) / 1000;
    uint64_t ums = us > 0 ? (uint64_t)us : 0;
    char frac[5] = { '.', (char)('0' + ums % 1000 / 100), (char)('0' + ums % 100 / 10),
                     (char)('0' + ums % 10), 0 };
    now_text(ts, sizeof ts);
    add_str(&b, "{\"ts\":\"");
    add_str(&b, ts);
    add_str(&b, "\"");
    add_field(&b, "method", rq->method_text);
    add_field(&b, "route", rq->route_name != NULL ? rq->route_name : "-");
    add_str(&b, ",\"status\":");
    add_uint(&b, status);
    add_str(&b, ",\"ms\":");
    add_uint(&b, ums / 1000);
    add_str(&b, frac);
    add_str(&b, ",\"in\":");
    add_uint(&b, rq->len);
    add_str(&b, ",\"out\":");
    add_uint(&b, rq->bytes_out);
    if (outcome != NULL) {
        add_field(&b, "outcome", outcome);
    }
    if (rq->log.verdict != NULL) {
        add_field(&b, "verdict", rq->log.verdict);
        add_field(&b, "format", rq->log.format);
        add_field(&b, "codes", rq->log.codes);
    }
    if (rq->log.country[0]) {
        add_field(&b, "country", rq->log.country);
    }
    if (rq->log.kid[0]) {
        add_field(&b, "kid", rq->log.kid);
    }
    if (rq->log.token[0]) {
        add_field(&b, "token", rq->log.token);
    }
    if (rq->log.type[0]) {
        add_field(&b, "type", rq->log.type);
    }
    add_str(&b, "}");
    *b.p++ = '\n'; /* end left one byte for it */
    log_write(s, line, (size_t)(b.p - line), false);
}

/* --- responses --- */

typedef struct owned_body {
    size_t len;
    char *data;
} owned_body;

/* Response bodies may hold a holder's name and date of birth: wiped before they are freed
 * (security.md §4 "clear decoded buffers after the response"). */
static void
free_owned(void *cls)
{
    owned_body *b = cls;
    explicit_bzero(b->data, b->len);
    free(b->data);
    free(b);
}

void
svc_add_headers(struct MHD_Response *r, const char *content_type, const char *const *extra)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    bool has_cache = false;
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i += 2) {
        MHD_add_response_header(r, extra[i], extra[i + 1]);
        has_cache |= strcmp(extra[i], MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
    }
    if (!has_cache) {
        /* API answers are about one certificate or one moment: never cached anywhere. */
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
}

static enum MHD_Result
queue(struct MHD_Connection *c, svc_request *rq, unsigned status, struct MHD_Response *r,
      size_t len)
{
    if (r == NULL) {
        return MHD_NO;
    }
    enum MHD_Result q = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    rq->bytes_out = len;
    /* The rest of the exchange is sending: allow a slow reader a generous deadline. */
    if (rq->conn != NULL) {
        svc_conn_deadline(rq->conn, 60);
    }
    rq->status = status;
    return q;
}

enum MHD_Result
svc_queue(struct MHD_Connection *c, svc_request *rq, unsigned status, struct MHD_Response *r,
          const char *content_type, size_t len, const char *const *extra_headers)
{
    svc_add_headers(r, content_type, extra_headers);
    return queue(c, rq, status, r, len);
}

enum MHD_Result
svc_respond(struct MHD_Connection *c, svc_request *rq, unsigned status, const char *content_type,
            char *body, size_t len, const char *const *extra_headers)
{
    owned_body *ob = malloc(sizeof *ob);
    if (ob == NULL) {
        free(body);
        return MHD_NO;
    }
    ob->len = len;
    ob->data = body;
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback_cls(len, body, free_owned, ob);
    if (r == NULL) {
        free_owned(ob);
        return MHD_NO;
    }
    svc_add_headers(r, content_type, extra_headers);
    return queue(c, rq, status, r, len);
}

enum MHD_Result
svc_respond_static(struct MHD_Connection *c, svc_request *rq, unsigned status,
                   const char *content_type, const void *body, size_t len,
                   const char *const *extra_headers)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        return MHD_NO;
    }
    svc_add_headers(r, content_type, extra_headers);
    return queue(c, rq, status, r, len);
}

enum MHD_Result
svc_respond_oom(struct MHD_Connection *c, svc_request *rq)
{
    /* Static: answering must not need the memory that just ran out. */
    static const char oom[] =
        "{\"errors\":[{\"code\":\"INTERNAL\",\"message\":\"out of memory\"}]}";
    return svc_respond_static(c, rq, 500, "application/json", oom, sizeof oom - 1, NULL);
}

enum MHD_Result
svc_respond_json(struct MHD_Connection *c, svc_request *rq, unsigned status, json_t *j,
                 const char *const *extra_headers)
{
    char *text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (text == NULL) {
        return svc_respond_oom(c, rq);
    }
    return svc_respond(c, rq, status, "application/json", text, strlen(text), extra_headers);
}

enum MHD_Result
svc_respond_error(struct MHD_Connection *c, svc_request *rq, unsigned status, const char *code,
                  const char *message)
{
    json_t *j = json_pack("{s:[{s:s, s:s}]}", "errors", "code", code, "message", message);
    return svc_respond_json(c, rq, status, j, NULL);
}

/* --- routing --- */

static bool
starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool
ends_with(const char *s, const char *p)
{
    size_t n = strlen(s), m = strlen(p);
    return n >= m && strcmp(s + n - m, p) == 0;
}

static void
set_param(svc_request *rq, const char *p, size_t n)
{
    size_t cap = sizeof rq->param - 1;
    if (n > cap) {
        rq->param_too_long = true;
        n = cap;
    }
    memcpy(rq->param, p, n);
    rq->param[n] = 0;
}

/*
 * Finds the route of method + url (url already percent-decoded by libmicrohttpd). Returns the
 * route, or R_NONE with *allow set when the path exists for other methods (405) or NULL (404).
 */
static svc_route_id
route(svc_request *rq, const char *url, const char **allow)
{
    bool get = rq->method == SVC_GET || rq->method == SVC_HEAD, post = rq->method == SVC_POST;
    static const struct {
        const char *path;
        svc_route_id id;
        bool post;
        const char *name;
    } fixed[] = {
        { "/healthz", R_HEALTHZ, false, "/healthz" },
        { "/v1/verify", R_VERIFY, true, "/v1/verify" },
        { "/v1/certificates", R_CERT_ISSUE, true, "/v1/certificates" },
        { "/v1/revocations", R_REVOCATIONS, false, "/v1/revocations" },
        { "/v1/trustlist", R_TRUSTLIST, false, "/v1/trustlist" },
        { "/", R_PAGE_INDEX, false, "/" },
        { "/issue", R_PAGE_ISSUE, false, "/issue" },
    };
    *allow = NULL;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(url, fixed[i].path) == 0) {
            rq->route_name = fixed[i].name;
            if (fixed[i].post ? post : get) {
                return fixed[i].id;
            }
            *allow = fixed[i].post ? "POST" : "GET, HEAD";
            return R_NONE;
        }
    }
    if (starts_with(url, "/v1/certificates/") && url[strlen("/v1/certificates/")] != 0) {
        const char *rest = url + strlen("/v1/certificates/");
        /* The sub-resources are matched whatever the method, so that a wrong method gets 405
         * with the right Allow instead of a record lookup of "uvci/revoke" (404). A UVCI of the eHN
         * guidelines (Annex 2) is upper case, so it never ends in "/revoke" or "/pdf". */
        if (ends_with(rest, "/revoke") && strlen(rest) > strlen("/revoke")) {
            rq->route_name = "/v1/certificates/{uvci}/revoke";
            if (post) {
                set_param(rq, rest, strlen(rest) - strlen("/revoke"));
                return R_CERT_REVOKE;
            }
            *allow = "POST";
            return R_NONE;
        }
        if (ends_with(rest, "/pdf") && strlen(rest) > strlen("/pdf")) {
            rq->route_name = "/v1/certificates/{uvci}/pdf";
            if (get) {
                set_param(rq, rest, strlen(rest) - strlen("/pdf"));
                return R_CERT_PDF;
            }
            *allow = "GET, HEAD";
            return R_NONE;
        }
        rq->route_name = "/v1/certificates/{uvci}";
        if (get) {
            set_param(rq, rest, strlen(rest));
            return R_CERT_GET;
        }
        *allow = "GET, HEAD";
        return R_NONE;
    }
    if (starts_with(url, "/static/")) {
        rq->route_name = "/static/{file}";
        if (get) {
            set_param(rq, url + strlen("/static/"), strlen(url + strlen("/static/")));
            return R_STATIC;
        }
        *allow = "GET, HEAD";
        return R_NONE;
    }
    rq->route_name = "(unknown)";
    return R_NONE;
}

/* --- header checks --- */

typedef struct header_scan {
    size_t bytes;
    unsigned content_length, transfer_encoding;
} header_scan;

static enum MHD_Result
scan_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    header_scan *h = cls;
    (void)kind;
    h->bytes += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        h->content_length++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        h->transfer_encoding++;
    }
    return MHD_YES;
}

static bool
parse_length(const char *v, size_t *out)
{
    size_t n = 0;
    if (v == NULL || *v == 0) {
        return false;
    }
    for (; *v; v++) {
        if (*v < '0' || *v > '9' || n > SIZE_MAX / 16) {
            return false;
        }
        n = n * 10 + (size_t)(*v - '0');
    }
    *out = n;
    return true;
}

static size_t
route_body_limit(const svc *s, svc_route_id id)
{
    switch (id) {
    case R_VERIFY: return s->cfg.max_image_body; /* text is held to max_text_body below */
    case R_CERT_ISSUE: return s->cfg.max_json_body;
    default: return SVC_SMALL_BODY;
    }
}

/* First call: headers are in, no body byte read yet. Answers at once when the request cannot be
 * served; otherwise prepares the body. */
static enum MHD_Result
on_headers(svc *s, struct MHD_Connection *c, svc_request *rq, const char *url)
{
    header_scan h = { 0 };
    const char *allow = NULL;
    size_t declared = 0;

    MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &h);
    rq->route = route(rq, url, &allow);
    if (h.bytes > SVC_MAX_HEADER_BYTES) {
        return svc_respond_error(c, rq, 431, "HEADERS_TOO_LARGE",
                                 "the request headers are larger than 8 KiB");
    }
    /* RFC 9112 §6.3: several Content-Length values, or Content-Length with Transfer-Encoding,
     * are how requests are smuggled past proxies (J16); refused. */
    if (h.content_length > 1 || (h.content_length > 0 && h.transfer_encoding > 0)) {
        return svc_respond_error(c, rq, 400, "BAD_REQUEST",
                                 "conflicting Content-Length / Transfer-Encoding headers");
    }
    if (rq->route == R_NONE) {
        if (allow != NULL) {
            const char *hdr[] = { MHD_HTTP_HEADER_ALLOW, allow, NULL };
            json_t *j = json_pack("{s:[{s:s, s:s}]}", "errors", "code", "METHOD_NOT_ALLOWED",
                                  "message", "this path does not take that method");
            return svc_respond_json(c, rq, 405, j, hdr);
        }
        return svc_respond_error(c, rq, 404, "NOT_FOUND", "no such resource");
    }
    if (rq->param_too_long) {
        return svc_respond_error(c, rq, 404, "NOT_FOUND", "no such resource");
    }
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl != NULL && !parse_length(cl, &declared)) {
        return svc_respond_error(c, rq, 400, "BAD_REQUEST", "Content-Length is not a number");
    }
    rq->declared = declared;
    rq->limit = route_body_limit(s, rq->route);
    if (h.transfer_encoding > 0) {
        return svc_respond_error(c, rq, 411, "LENGTH_REQUIRED",
                                 "send the body with a Content-Length (chunked bodies are not "
                                 "accepted)");
    }
    if (declared > rq->limit) {
        /* J1: refused before a byte of the body is read. */
        char m[96];
        snprintf(m, sizeof m, "the body is larger than %zu bytes", rq->limit);
        return svc_respond_error(c, rq, 413, "PAYLOAD_TOO_LARGE", m);
    }
    rq->body_expected = declared > 0;
    if (rq->body_expected && rq->conn != NULL) {
        svc_conn_deadline(rq->conn, s->cfg.timeout_s);
    }
    return MHD_YES;
}

/* Keeps up to rq->limit bytes; a verify body that is not an image is held to the text limit. */
static void
take_body(svc *s, svc_request *rq, const char *data, size_t n)
{
    if (!rq->discard && rq->route == R_VERIFY && rq->declared > s->cfg.max_text_body &&
        rq->len + n >= 8 && rq->len < 8) {
        uint8_t head[8];
        size_t have = rq->len;
        if (have > 0) {
            memcpy(head, rq->body, have);
        }
        memcpy(head + have, data, 8 - have);
        if (!hc_qr_is_image(head, 8)) {
            rq->discard = true;
        }
    }
    if (rq->discard || rq->len + n > rq->limit) {
        rq->discard = true;
        rq->len += n; /* counted for the log, not kept */
        return;
    }
    if (rq->len + n > rq->cap) {
        /* A body of up to 16 KiB (every QR text) gets its declared size at once: one small
         * allocation, and only those bytes to wipe (a fixed 16 KiB block cost a 16 KiB wipe
         * and a malloc large enough to make glibc consolidate its free lists, per request).
         * Larger bodies grow as bytes arrive, not to the declared size at once: a client that
         * declares megabytes and sends nothing costs nothing. */
        size_t ncap = rq->cap == 0 && rq->declared <= SVC_BODY_FIRST_BLOCK ? rq->declared
                      : rq->cap < SVC_BODY_FIRST_BLOCK                     ? SVC_BODY_FIRST_BLOCK
                                                                           : rq->cap * 2;
        if (ncap < rq->len + n) {
            ncap = rq->len + n;
        }
        if (ncap > rq->limit) {
            ncap = rq->limit;
        }
        /* malloc + copy + wipe rather than realloc: the old block held certificate text. */
        uint8_t *nb = malloc(ncap + 1);
        if (nb == NULL) {
            rq->discard = true;
            return;
        }
        if (rq->body != NULL) {
            memcpy(nb, rq->body, rq->len);
            explicit_bzero(rq->body, rq->cap);
            free(rq->body);
        }
        rq->body = nb;
        rq->cap = ncap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    rq->body[rq->len] = 0;
}

static enum MHD_Result
dispatch(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    if (rq->discard) {
        char m[96];
        snprintf(m, sizeof m, "the body is larger than %zu bytes",
                 rq->route == R_VERIFY ? s->cfg.max_text_body : rq->limit);
        return svc_respond_error(c, rq, 413, "PAYLOAD_TOO_LARGE", m);
    }
    switch (rq->route) {
    case R_HEALTHZ: return svc_api_healthz(s, c, rq);
    case R_VERIFY: return svc_api_verify(s, c, rq);
    case R_CERT_ISSUE: return svc_api_issue(s, c, rq);
    case R_CERT_GET: return svc_api_cert_get(s, c, rq);
    case R_CERT_REVOKE: return svc_api_cert_revoke(s, c, rq);
    case R_CERT_PDF: return svc_api_cert_pdf(s, c, rq);
    case R_REVOCATIONS: return svc_api_revocations(s, c, rq);
    case R_TRUSTLIST: return svc_api_trustlist(s, c, rq);
    case R_PAGE_INDEX:
    case R_PAGE_ISSUE:
    case R_STATIC: return svc_web(s, c, rq);
    case R_NONE: break;
    }
    return svc_respond_error(c, rq, 404, "NOT_FOUND", "no such resource");
}

static int
method_of(const char *m, char *text, size_t cap)
{
    /* The log shows only known methods; anything else is "OTHER" (no client text in logs). */
    static const char *const known[] = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"
    };
    snprintf(text, cap, "OTHER");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(m, known[i]) == 0) {
            snprintf(text, cap, "%s", known[i]);
        }
    }
    return strcmp(m, "GET") == 0    ? SVC_GET
           : strcmp(m, "HEAD") == 0 ? SVC_HEAD
           : strcmp(m, "POST") == 0 ? SVC_POST
                                    : SVC_OTHER;
}

enum MHD_Result
svc_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
               const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    svc *s = cls;
    svc_request *rq = *con_cls;
    (void)version;
    if (rq == NULL) {
        rq = calloc(1, sizeof *rq);
        if (rq == NULL) {
            return MHD_NO;
        }
        *con_cls = rq;
        rq->start_ns = svc_now_ns();
        rq->method = method_of(method, rq->method_text, sizeof rq->method_text);
        rq->conn = svc_conn_of(c);
        atomic_fetch_add(&s->requests_in_flight, 1);
        if (atomic_load(&s->stopping)) {
            const char *hdr[] = { MHD_HTTP_HEADER_CONNECTION, "close", NULL };
            json_t *j = json_pack("{s:[{s:s, s:s}]}", "errors", "code", "UNAVAILABLE", "message",
                                  "the service is shutting down");
            return svc_respond_json(c, rq, 503, j, hdr);
        }
        enum MHD_Result r = on_headers(s, c, rq, url);
        /* Answered already, or wait: libmicrohttpd calls again when the body (if any) is in.
         * Answering a bodiless request only then keeps its connection alive (an answer given
         * on this first call makes libmicrohttpd close the connection). */
        return r;
    }
    if (*upload_size > 0) {
        take_body(s, rq, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->status != 0) {
        return MHD_YES; /* answered on the first call; libmicrohttpd only finishes the exchange */
    }
    return dispatch(s, c, rq);
}

void
svc_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode toe)
{
    svc *s = cls;
    svc_request *rq = *con_cls;
    (void)c;
    if (rq == NULL) {
        return;
    }
    unsigned status = rq->status;
    const char *outcome = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK      ? NULL
                          : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? "timeout"
                          : toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? "shutdown"
                          : toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT    ? "client-abort"
                          : toe == MHD_REQUEST_TERMINATED_READ_ERROR      ? "read-error"
                          : toe == MHD_REQUEST_TERMINATED_WITH_ERROR      ? "error"
                                                                          : "closed";
    log_request(s, rq, status, outcome);
    if (rq->conn != NULL) {
        /* The next request on this connection must have its headers in within the limit. */
        svc_conn_deadline(rq->conn, s->cfg.timeout_s);
    }
    if (rq->body != NULL) {
        explicit_bzero(rq->body, rq->cap);
        free(rq->body);
    }
    free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&s->requests_in_flight, 1);
}
