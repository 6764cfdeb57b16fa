/*
 * fuzz_text_codecs.c: the text decoders not fuzzed on their own elsewhere: base64 (RFC 4648 §4),
 * base64url (§5), the lenient trust-list base64, base58btc (did:key) and hex, on arbitrary text.
 * Invariants (base64.h, base58.h): the strict decoders accept exactly one text form per value, so
 * whatever decodes re-encodes to the input (base64 modulo the optional '=' padding); the lenient
 * decoder agrees with the strict one on input without white space; nothing writes past cap.
 */
#include <stdlib.h>
#include <string.h>

#include "base58.h"
#include "base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict base64 / base64url: decode, then encode must give the input back (padding aside). */
static void
check_base64(const char *in, size_t len, bool url, uint8_t *out, size_t cap, char *text,
             size_t text_cap)
{
    size_t n = 0, t = 0;
    if (hc_base64_decode(in, len, url, out, cap, &n) != HC_OK) {
        return;
    }
    if (n > cap || hc_base64_encode(out, n, url, text, text_cap, &t) != HC_OK) {
        abort();
    }
    /* The input may carry '=' padding (accepted for both alphabets) or not; compare without. */
    size_t in_len = len, t_len = t;
    while (in_len > 0 && in[in_len - 1] == '=') {
        in_len--;
    }
    while (t_len > 0 && text[t_len - 1] == '=') {
        t_len--;
    }
    if (in_len != t_len || memcmp(in, text, t_len) != 0) {
        abort();
    }
    /* The lenient decoder reads either alphabet without white space the same way. */
    size_t m = 0;
    uint8_t *again = malloc(cap + 1);
    if (again != NULL) {
        if (hc_base64_decode_lenient(in, len, again, cap, &m) != HC_OK || m != n ||
            memcmp(again, out, n) != 0) {
            abort();
        }
        free(again);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t cap = HC_BASE64_DECODED_MAX(size) + 1, text_cap = HC_BASE64_ENCODED_MAX(cap) + 4;
    uint8_t *out = malloc(cap);
    char *text = malloc(text_cap);
    if (out == NULL || text == NULL) {
        free(out);
        free(text);
        return 0;
    }
    check_base64(in, size, false, out, cap, text, text_cap);
    check_base64(in, size, true, out, cap, text, text_cap);

    /* Lenient base64 never writes past cap, whatever it accepts. */
    size_t n = 0;
    if (hc_base64_decode_lenient(in, size, out, cap, &n) == HC_OK && n > cap) {
        abort();
    }

    /* base58btc: canonical both ways (leading '1's are leading zero bytes), bounded. */
    uint8_t b58[HC_BASE58_MAX_BYTES];
    char b58_text[HC_BASE58_MAX_TEXT + 1];
    size_t t = 0;
    if (hc_base58_decode(in, size, b58, sizeof b58, &n) == HC_OK) {
        if (n > sizeof b58 || hc_base58_encode(b58, n, b58_text, sizeof b58_text, &t) != HC_OK ||
            t != size || memcmp(b58_text, in, size) != 0) {
            abort();
        }
    }

    /* hex: either case in, lowercase out; equal ignoring case. */
    if (hc_hex_decode(in, size, out, cap, &n)) {
        char *hex = malloc(2 * n + 1);
        if (hex != NULL) {
            hc_hex_encode(out, n, hex);
            if (2 * n != size) {
                abort();
            }
            for (size_t i = 0; i < size; i++) {
                char c = in[i] >= 'A' && in[i] <= 'F' ? (char)(in[i] - 'A' + 'a') : in[i];
                if (c != hex[i]) {
                    abort();
                }
            }
            free(hex);
        }
    }
    free(out);
    free(text);
    return 0;
}
