/* base45.c: RFC 9285 Base45 (see base45.h). */
#include "base45.h"

/* RFC 9285 §4: the 45-character alphabet, value = index; note SPACE at 36. */
static const char alphabet[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of one alphabet character, 0xff for anything else (all bytes >= 0x80 included). */
static uint8_t
value_of(uint8_t c)
{
    if (c >= '0' && c <= '9') {
        return (uint8_t)(c - '0');
    }
    if (c >= 'A' && c <= 'Z') {
        return (uint8_t)(c - 'A' + 10);
    }
    switch (c) {
    case ' ': return 36;
    case '$': return 37;
    case '%': return 38;
    case '*': return 39;
    case '+': return 40;
    case '-': return 41;
    case '.': return 42;
    case '/': return 43;
    case ':': return 44;
    default: return 0xff;
    }
}

hc_err
hc_base45_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t o = 0;

    if (in == NULL && len != 0) {
        return HC_ERR_INVALID_ARG;
    }
    if (len % 3 == 1) {
        return HC_ERR_ENCODING_INVALID; /* RFC 9285 §6: a dangling character */
    }
    if (cap < len / 3 * 2 + (len % 3 == 2)) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < len; i += 3) {
        uint8_t c = value_of((uint8_t)in[i]);
        uint8_t d = value_of((uint8_t)in[i + 1]);
        if (c == 0xff || d == 0xff) {
            return HC_ERR_ENCODING_INVALID;
        }
        if (len - i == 2) {
            /* Two characters encode one byte: c + d*45 <= 255. */
            uint32_t n = (uint32_t)c + (uint32_t)d * 45;
            if (n > 0xff) {
                return HC_ERR_ENCODING_INVALID;
            }
            out[o++] = (uint8_t)n;
            break;
        }
        uint8_t e = value_of((uint8_t)in[i + 2]);
        if (e == 0xff) {
            return HC_ERR_ENCODING_INVALID;
        }
        /* Three characters encode two bytes: c + d*45 + e*45^2 <= 65535. */
        uint32_t n = (uint32_t)c + (uint32_t)d * 45 + (uint32_t)e * 2025;
        if (n > 0xffff) {
            return HC_ERR_ENCODING_INVALID;
        }
        out[o++] = (uint8_t)(n >> 8);
        out[o++] = (uint8_t)n;
    }
    *out_len = o;
    return HC_OK;
}

hc_err
hc_base45_encode(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len)
{
    size_t o = 0;

    if (in == NULL && len != 0) {
        return HC_ERR_INVALID_ARG;
    }
    if (cap < len / 2 * 3 + (len % 2) * 2 + 1) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t n = (uint32_t)in[i] << 8 | in[i + 1];
        out[o++] = alphabet[n % 45];
        out[o++] = alphabet[n / 45 % 45];
        out[o++] = alphabet[n / 2025];
    }
    if (len % 2) {
        uint32_t n = in[len - 1];
        out[o++] = alphabet[n % 45];
        out[o++] = alphabet[n / 45];
    }
    out[o] = 0;
    *out_len = o;
    return HC_OK;
}
