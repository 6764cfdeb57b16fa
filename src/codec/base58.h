/*
 * base58.h: base58btc, the Bitcoin alphabet (draft-msporny-base58-03 §2, §3), as multibase 'z'
 * uses it for did:key identifiers (W3C CCG did:key §3.1, multibase table "base58btc").
 *
 * Base58 is a big-number base conversion, quadratic in the length, so both directions are bounded
 * to HC_BASE58_MAX_BYTES of binary data (did:key values are 34..70 bytes): hostile input cannot
 * make it slow. Leading zero bytes are written as leading '1' characters (draft §3 step 2), and
 * decoding maps them back, so one byte string has exactly one text form.
 */
#ifndef HC_BASE58_H
#define HC_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

/* Largest binary value either direction accepts (a did:key P-521 key is 2 + 67 bytes). */
#define HC_BASE58_MAX_BYTES 128
/* Text length of HC_BASE58_MAX_BYTES bytes at most: ceil(128 * log(256) / log(58)) = 175. */
#define HC_BASE58_MAX_TEXT 176

/*
 * Decodes base58btc text. HC_ERR_ENCODING_INVALID for a character outside the alphabet (0, O, I,
 * l and everything non-alphanumeric), HC_ERR_INPUT_TOO_LARGE past HC_BASE58_MAX_TEXT characters or
 * HC_BASE58_MAX_BYTES decoded bytes, HC_ERR_BUFFER_TOO_SMALL when the value does not fit cap.
 */
hc_err hc_base58_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* Encodes len bytes (at most HC_BASE58_MAX_BYTES) as NUL-terminated text. */
hc_err hc_base58_encode(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len);

#endif
