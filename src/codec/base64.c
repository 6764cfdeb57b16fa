/* base64.c: RFC 4648 base64 and base64url, plus hex (see base64.h). */
#include "base64.h"

static const char std_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value of c in the chosen alphabet(s), or -1. */
static int
value_of(char c, int which /* 0 std, 1 url, 2 either */)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if ((c == '+' && which != 1) || (c == '-' && which != 0)) {
        return 62;
    }
    if ((c == '/' && which != 1) || (c == '_' && which != 0)) {
        return 63;
    }
    return -1;
}

static hc_err
decode(const char *in, size_t len, int which, bool skip_space, uint8_t *out, size_t cap,
       size_t *out_len)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0, pad = 0, sig = 0;

    if (in == NULL && len != 0) {
        return HC_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (skip_space && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            continue;
        }
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad > 0) {
            return HC_ERR_ENCODING_INVALID; /* data after padding */
        }
        int v = value_of(c, which);
        if (v < 0) {
            return HC_ERR_ENCODING_INVALID;
        }
        sig++;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o == cap) {
                return HC_ERR_BUFFER_TOO_SMALL;
            }
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    /* RFC 4648 §3.5: a lone character is impossible; leftover bits must be zero (canonical). */
    if (sig % 4 == 1 || (acc & ((1u << bits) - 1)) != 0) {
        return HC_ERR_ENCODING_INVALID;
    }
    if (pad > 0 && (pad > 2 || (sig + pad) % 4 != 0)) {
        return HC_ERR_ENCODING_INVALID;
    }
    *out_len = o;
    return HC_OK;
}

hc_err
hc_base64_decode(const char *in, size_t len, bool url, uint8_t *out, size_t cap, size_t *out_len)
{
    return decode(in, len, url ? 1 : 0, false, out, cap, out_len);
}

hc_err
hc_base64_decode_lenient(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    return decode(in, len, 2, true, out, cap, out_len);
}

hc_err
hc_base64_encode(const uint8_t *in, size_t len, bool url, char *out, size_t cap, size_t *out_len)
{
    const char *a = url ? url_alphabet : std_alphabet;
    size_t need = url ? (len * 4 + 2) / 3 : (len + 2) / 3 * 4;
    size_t o = 0, i = 0;

    if (in == NULL && len != 0) {
        return HC_ERR_INVALID_ARG;
    }
    if (cap < need + 1) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    for (; i + 2 < len; i += 3) {
        uint32_t n = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = a[n >> 18];
        out[o++] = a[n >> 12 & 63];
        out[o++] = a[n >> 6 & 63];
        out[o++] = a[n & 63];
    }
    if (len - i == 1) {
        uint32_t n = (uint32_t)in[i] << 16;
        out[o++] = a[n >> 18];
        out[o++] = a[n >> 12 & 63];
        if (!url) {
            out[o++] = '=';
            out[o++] = '=';
        }
    } else if (len - i == 2) {
        uint32_t n = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = a[n >> 18];
        out[o++] = a[n >> 12 & 63];
        out[o++] = a[n >> 6 & 63];
        if (!url) {
            out[o++] = '=';
        }
    }
    out[o] = 0;
    *out_len = o;
    return HC_OK;
}

void
hc_hex_encode(const uint8_t *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = 0;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool
hc_hex_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (len % 2 != 0 || len / 2 > cap) {
        return false;
    }
    for (size_t i = 0; i < len; i += 2) {
        int hi = hexval(in[i]), lo = hexval(in[i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *out_len = len / 2;
    return true;
}
