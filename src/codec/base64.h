/*
 * base64.h: base64 (RFC 4648 §4) and base64url (RFC 4648 §5).
 * Decoding accepts padded and unpadded input; it rejects characters of the other alphabet, white
 * space, misplaced '=' and non-zero trailing bits (a non-canonical encoding), so that one value has
 * exactly one accepted text form.
 */
#ifndef HC_BASE64_H
#define HC_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

#define HC_BASE64_DECODED_MAX(n) (((n) + 3) / 4 * 3)
#define HC_BASE64_ENCODED_MAX(n) (((n) + 2) / 3 * 4 + 1)

/* url = false: "+/" and '=' padding on encode; url = true: "-_" and no padding on encode. */
hc_err hc_base64_decode(const char *in, size_t len, bool url, uint8_t *out, size_t cap,
                        size_t *out_len);
hc_err hc_base64_encode(const uint8_t *in, size_t len, bool url, char *out, size_t cap,
                        size_t *out_len);

/* Lenient decode for trust-list fields: skips ASCII white space (PEM line breaks), either alphabet.
 */
hc_err hc_base64_decode_lenient(const char *in, size_t len, uint8_t *out, size_t cap,
                                size_t *out_len);

/* Lowercase hex of in into out (2*len+1 bytes). */
void hc_hex_encode(const uint8_t *in, size_t len, char *out);
/* Decodes hex (either case); false on odd length or a non-hex digit or when cap is too small. */
bool hc_hex_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif
