/* base45.c: RFC 9285 Base45 (see base45.h). */
#include "base45.h"

#include <pthread.h>
#include <string.h>

/* RFC 9285 §4: the 45-character alphabet, value = index; note SPACE at 36. */
static const char alphabet[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value + 1 of each alphabet character (RFC 9285 §4); 0 for everything else, all bytes >= 0x80
 * included. A table rather than branches: decoding is on every verification's path. */
static const uint8_t value_plus_one[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['G'] = 17, ['H'] = 18, ['I'] = 19, ['J'] = 20, ['K'] = 21, ['L'] = 22, ['M'] = 23, ['N'] = 24,
    ['O'] = 25, ['P'] = 26, ['Q'] = 27, ['R'] = 28, ['S'] = 29, ['T'] = 30, ['U'] = 31, ['V'] = 32,
    ['W'] = 33, ['X'] = 34, ['Y'] = 35, ['Z'] = 36, [' '] = 37, ['$'] = 38, ['%'] = 39, ['*'] = 40,
    ['+'] = 41, ['-'] = 42, ['.'] = 43, ['/'] = 44, [':'] = 45,
};

static uint8_t
value_of(uint8_t c)
{
    return (uint8_t)(value_plus_one[c] - 1); /* 0xff for characters outside the alphabet */
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

/*
 * The first two characters of every value below 45^2 (c, then d: RFC 9285 §4.2), so that a
 * 16-bit value costs one division and one 2-byte load (the issuer encodes every certificate
 * through here; measured 2x faster than three digit computations, bench/bench_issue.c). 4 KiB,
 * made once.
 */
static char low_pair[45 * 45][2];
static pthread_once_t low_pair_once = PTHREAD_ONCE_INIT;

static void
low_pair_init(void)
{
    for (unsigned r = 0; r < 45 * 45; r++) {
        low_pair[r][0] = alphabet[r % 45];
        low_pair[r][1] = alphabet[r / 45];
    }
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
    pthread_once(&low_pair_once, low_pair_init);
    /*
     * Three characters per 16-bit value n = c + d*45 + e*45^2 (RFC 9285 §4.2, c first). The
     * division is a multiply-and-shift exact for this range (a compiler's general 32-bit form is
     * twice as long): e = floor(n / 2025) = n * 66281 >> 27 for n < 2^16, since
     * 66281 * 2025 - 2^27 = 1297 and 1297 * 2^16 < 2^27.
     */
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t n = (uint32_t)in[i] << 8 | in[i + 1];
        uint32_t e = (uint32_t)(((uint64_t)n * 66281) >> 27);
        memcpy(out + o, low_pair[n - e * 2025], 2);
        out[o + 2] = alphabet[e];
        o += 3;
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
