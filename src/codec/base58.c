/*
 * base58.c: base58btc (see base58.h).
 *
 * Both directions keep the number as big-endian digits in a fixed array and multiply-add one
 * input digit at a time (schoolbook base conversion): O(n^2) on at most HC_BASE58_MAX_* digits.
 */
#include "base58.h"

#include <string.h>

/* draft-msporny-base58-03 §2: the 58 characters, in value order. */
static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int
value_of(char c)
{
    const char *p = c != '\0' ? strchr(alphabet, c) : NULL;
    return p != NULL ? (int)(p - alphabet) : -1;
}

hc_err
hc_base58_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t num[HC_BASE58_MAX_BYTES]; /* the value, big-endian, in its last `used` bytes */
    size_t used = 0, zeros = 0;

    if ((in == NULL && len != 0) || out_len == NULL || (out == NULL && cap != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    if (len > HC_BASE58_MAX_TEXT) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    while (zeros < len && in[zeros] == '1') {
        zeros++; /* draft §3: each leading '1' is one leading zero byte */
    }
    for (size_t i = zeros; i < len; i++) {
        int v = value_of(in[i]);
        if (v < 0) {
            return HC_ERR_ENCODING_INVALID;
        }
        /* num = num * 58 + v */
        unsigned carry = (unsigned)v;
        for (size_t k = 0; k < used; k++) {
            size_t at = sizeof num - 1 - k;
            carry += 58u * num[at];
            num[at] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry > 0) {
            if (used == sizeof num) {
                return HC_ERR_INPUT_TOO_LARGE;
            }
            num[sizeof num - 1 - used++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    if (zeros + used > HC_BASE58_MAX_BYTES) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (zeros + used > cap) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    memset(out, 0, zeros);
    memcpy(out + zeros, num + sizeof num - used, used);
    *out_len = zeros + used;
    return HC_OK;
}

hc_err
hc_base58_encode(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len)
{
    uint8_t digits[HC_BASE58_MAX_TEXT]; /* base-58 digits, little-endian */
    size_t used = 0, zeros = 0;

    if ((in == NULL && len != 0) || out == NULL || out_len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (len > HC_BASE58_MAX_BYTES) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    while (zeros < len && in[zeros] == 0) {
        zeros++;
    }
    for (size_t i = zeros; i < len; i++) {
        /* digits = digits * 256 + in[i] */
        unsigned carry = in[i];
        for (size_t k = 0; k < used; k++) {
            carry += 256u * digits[k];
            digits[k] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits[used++] = (uint8_t)(carry % 58); /* bounded: 128 bytes need <= 175 digits */
            carry /= 58;
        }
    }
    if (zeros + used + 1 > cap) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    memset(out, '1', zeros);
    for (size_t k = 0; k < used; k++) {
        out[zeros + k] = alphabet[digits[used - 1 - k]];
    }
    out[zeros + used] = '\0';
    *out_len = zeros + used;
    return HC_OK;
}
