/* shc_numeric.c: SMART Health Card numeric QR text and chunk reassembly (see shc_numeric.h). */
#include "shc_numeric.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hc_msg.h"

hc_err
hc_shc_numeric_decode(const char *digits, size_t n, char *out, size_t cap, size_t *out_len)
{
    if ((digits == NULL && n != 0) || out_len == NULL || (out == NULL && cap != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    if (n % 2 != 0) {
        return HC_ERR_ENCODING_INVALID;
    }
    if (n / 2 > cap) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < n; i += 2) {
        char a = digits[i], b = digits[i + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') {
            return HC_ERR_ENCODING_INVALID;
        }
        int v = (a - '0') * 10 + (b - '0');
        if (v > HC_SHC_NUMERIC_MAX_PAIR) {
            return HC_ERR_ENCODING_INVALID;
        }
        out[i / 2] = (char)(v + HC_SHC_NUMERIC_OFFSET);
    }
    *out_len = n / 2;
    return HC_OK;
}

hc_err
hc_shc_numeric_encode(const char *jws, size_t n, char *out, size_t cap, size_t *out_len)
{
    if ((jws == NULL && n != 0) || out == NULL || out_len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (n > (cap - 1) / 2 || cap == 0) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < n; i++) {
        int v = (unsigned char)jws[i] - HC_SHC_NUMERIC_OFFSET;
        if (v < 0 || v > HC_SHC_NUMERIC_MAX_PAIR) {
            return HC_ERR_INVALID_ARG;
        }
        out[2 * i] = (char)('0' + v / 10);
        out[2 * i + 1] = (char)('0' + v % 10);
    }
    out[2 * n] = '\0';
    *out_len = 2 * n;
    return HC_OK;
}

/* One QR code's text, split into its header and digits. */
typedef struct chunk {
    const char *digits;
    size_t n;
    unsigned index, total; /* 0, 0 when the line has no chunk header */
} chunk;

/* A chunk number: 1 or 2 decimal digits, no leading zero, then '/'. */
static bool
chunk_number(const char **p, const char *end, unsigned *out)
{
    const char *s = *p;
    unsigned v = 0;
    size_t digits = 0;
    while (s < end && *s >= '0' && *s <= '9' && digits < 3) {
        v = v * 10 + (unsigned)(*s - '0');
        s++;
        digits++;
    }
    if (digits == 0 || digits > 2 || (*p)[0] == '0' || s >= end || *s != '/') {
        return false;
    }
    *out = v;
    *p = s + 1;
    return true;
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

hc_err
hc_shc_unchunk(const char *text, size_t len, const char *prefix, int allow_chunks, char *jws,
               size_t cap, size_t *jws_len, size_t *chunks, char *why, size_t why_len)
{
    chunk c[HC_SHC_MAX_CHUNKS];
    size_t n = 0, plen = strlen(prefix);

    if (text == NULL || jws == NULL || jws_len == NULL || chunks == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && text[end] != '\n') {
            end++;
        }
        const char *s = text + i, *e = text + end;
        i = end + 1;
        while (s < e && is_blank(*s)) {
            s++;
        }
        while (e > s && is_blank(e[-1])) {
            e--;
        }
        if (s == e) {
            continue;
        }
        if (n == HC_SHC_MAX_CHUNKS) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "more than %d QR codes for one card", HC_SHC_MAX_CHUNKS);
        }
        if ((size_t)(e - s) > HC_SHC_MAX_CHUNK_TEXT) {
            return hc_msg_err(HC_ERR_INPUT_TOO_LARGE, why, why_len,
                              "a QR code text of %zu characters; one code holds at most %d",
                              (size_t)(e - s), HC_SHC_MAX_CHUNK_TEXT);
        }
        if ((size_t)(e - s) < plen || memcmp(s, prefix, plen) != 0) {
            return hc_msg_err(n == 0 ? HC_ERR_PREFIX_UNKNOWN : HC_ERR_STRUCTURE_INVALID, why,
                              why_len, "line %zu does not start with \"%s\"", n + 1, prefix);
        }
        s += plen;
        chunk *ch = &c[n++];
        memset(ch, 0, sizeof *ch);
        /* A digit run followed by '/' is a chunk header; the body itself never holds a '/'. */
        const char *slash = memchr(s, '/', (size_t)(e - s));
        if (slash != NULL) {
            const char *p = s;
            if (!allow_chunks) {
                return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                                  "a chunk header (\"C/N/\") where none is allowed");
            }
            if (!chunk_number(&p, e, &ch->index) || !chunk_number(&p, e, &ch->total)) {
                return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                                  "line %zu: a malformed chunk header (expected \"%sC/N/\")", n,
                                  prefix);
            }
            s = p;
        }
        ch->digits = s;
        ch->n = (size_t)(e - s);
    }
    if (n == 0) {
        return hc_msg_err(HC_ERR_PREFIX_UNKNOWN, why, why_len, "the input is empty");
    }
    if (n == 1 && c[0].total == 0) {
        size_t out = 0;
        hc_err e = hc_shc_numeric_decode(c[0].digits, c[0].n, jws, cap, &out);
        if (e != HC_OK) {
            return hc_msg_err(
                e == HC_ERR_BUFFER_TOO_SMALL ? HC_ERR_INPUT_TOO_LARGE : e, why, why_len,
                "the numeric data is broken (an odd number of digits, a pair above 77, "
                "or a non-digit)");
        }
        *jws_len = out;
        *chunks = 1;
        return HC_OK;
    }
    /* Chunked: every line has a header with the same total; each index once. */
    unsigned total = c[0].total;
    const chunk *by_index[HC_SHC_MAX_CHUNKS + 1] = { NULL };
    if (total == 1) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                          "a single QR code must not carry a chunk header (\"1/1/\")");
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i].total == 0) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "line %zu has no chunk header, the others do", i + 1);
        }
        if (c[i].total != total || total > HC_SHC_MAX_CHUNKS) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "the chunks disagree on their number, or there are more than %d",
                              HC_SHC_MAX_CHUNKS);
        }
        if (c[i].index < 1 || c[i].index > total) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "chunk index %u is out of range 1..%u", c[i].index, total);
        }
        if (by_index[c[i].index] != NULL) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "chunk %u of %u appears twice", c[i].index, total);
        }
        by_index[c[i].index] = &c[i];
    }
    for (unsigned k = 1; k <= total; k++) {
        if (by_index[k] == NULL) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "chunk %u of %u is missing (scan every QR code of the card)", k,
                              total);
        }
    }
    size_t out = 0;
    for (unsigned k = 1; k <= total; k++) {
        size_t got = 0;
        hc_err e =
            hc_shc_numeric_decode(by_index[k]->digits, by_index[k]->n, jws + out, cap - out, &got);
        if (e != HC_OK) {
            return hc_msg_err(
                e == HC_ERR_BUFFER_TOO_SMALL ? HC_ERR_INPUT_TOO_LARGE : e, why, why_len,
                "chunk %u: the numeric data is broken (an odd number of digits, a pair "
                "above 77, or a non-digit)",
                k);
        }
        if (got > HC_SHC_MAX_CHUNK_JWS) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "chunk %u holds %zu JWS characters; chunks hold at most %d", k, got,
                              HC_SHC_MAX_CHUNK_JWS);
        }
        out += got;
    }
    *jws_len = out;
    *chunks = total;
    return HC_OK;
}
