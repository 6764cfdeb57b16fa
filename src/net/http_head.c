/* http_head.c: the response head parser of the HTTPS client (see https_get.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "https_get.h"

size_t
hc_http_head_end(const char *data, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (data[i] != '\n') {
            continue;
        }
        if (data[i + 1] == '\n') {
            return i + 2;
        }
        if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') {
            return i + 3;
        }
    }
    return 0;
}

/* RFC 9110 §5.6.2 tchar: the characters of a header name. */
static bool
is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool
name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Content-Length = 1*DIGIT (RFC 9110 §8.6); values past 2^31 are refused as too large anyway. */
static bool
parse_length(const char *v, size_t n, size_t *out)
{
    size_t x = 0;
    if (n == 0 || n > 10) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return false;
        }
        x = x * 10 + (size_t)(v[i] - '0');
    }
    *out = x;
    return true;
}

#define FAIL(...)                                \
    do {                                         \
        if (why != NULL && why_len > 0) {        \
            snprintf(why, why_len, __VA_ARGS__); \
        }                                        \
        return HC_ERR_STRUCTURE_INVALID;         \
    } while (0)

hc_err
hc_http_parse_head(const char *data, size_t len, hc_http_head *out, char *why, size_t why_len)
{
    if (data == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    /* RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]; a 1.0 request
     * may be answered by any 1.x server. */
    if (len < 12 || memcmp(data, "HTTP/1.", 7) != 0 || data[7] < '0' || data[7] > '9' ||
        data[8] != ' ') {
        FAIL("not an HTTP/1.x response");
    }
    for (int k = 9; k < 12; k++) {
        if (data[k] < '0' || data[k] > '9') {
            FAIL("malformed HTTP status line");
        }
        out->status = out->status * 10 + (data[k] - '0');
    }
    if (out->status < 100 ||
        (len > 12 && data[12] != ' ' && data[12] != '\r' && data[12] != '\n')) {
        FAIL("malformed HTTP status line");
    }
    size_t i = 12;
    while (i < len && data[i] != '\n') {
        /* reason-phrase: HTAB / SP / VCHAR / obs-text; no other control character. */
        unsigned char c = (unsigned char)data[i];
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
            FAIL("control character in the HTTP status line");
        }
        i++;
    }
    i++;
    /* Header lines until the empty line that ends the head. */
    while (i < len) {
        size_t s = i;
        while (i < len && data[i] != '\n') {
            i++;
        }
        size_t e = i; /* the '\n' (or len) */
        i++;
        if (e > s && data[e - 1] == '\r') {
            e--;
        }
        if (e == s) {
            break; /* the blank line */
        }
        if (data[s] == ' ' || data[s] == '\t') {
            FAIL("obsolete line folding in the HTTP headers");
        }
        size_t c = s;
        while (c < e && is_tchar(data[c])) {
            c++;
        }
        if (c == s || c >= e || data[c] != ':') {
            FAIL("malformed HTTP header line");
        }
        const char *name = data + s;
        size_t name_len = c - s;
        size_t v = c + 1, ve = e;
        for (size_t k = v; k < ve; k++) {
            unsigned char ch = (unsigned char)data[k];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                FAIL("control character in an HTTP header");
            }
        }
        /* RFC 9110 §5.5: optional white space around the value is not part of it. */
        while (v < ve && (data[v] == ' ' || data[v] == '\t')) {
            v++;
        }
        while (ve > v && (data[ve - 1] == ' ' || data[ve - 1] == '\t')) {
            ve--;
        }
        if (name_is(name, name_len, "Content-Length")) {
            size_t n = 0;
            if (!parse_length(data + v, ve - v, &n)) {
                FAIL("invalid Content-Length");
            }
            if (out->has_content_length && n != out->content_length) {
                FAIL("two different Content-Length headers");
            }
            out->has_content_length = true;
            out->content_length = n;
        } else if (name_is(name, name_len, "Transfer-Encoding")) {
            out->has_transfer_coding = true;
        } else if (name_is(name, name_len, "Location") && out->location[0] == '\0') {
            size_t n = ve - v < sizeof out->location - 1 ? ve - v : sizeof out->location - 1;
            /* Printable ASCII only: the value goes into messages and JSON verdicts. */
            for (size_t k = 0; k < n; k++) {
                char ch = data[v + k];
                out->location[k] = ch > 0x20 && ch < 0x7f ? ch : '?';
            }
            out->location[n] = '\0';
        }
    }
    return HC_OK;
}
