/*
 * base45.h: Base45 (RFC 9285), the text encoding of EU DCC QR codes (HCERT spec §4.2).
 */
#ifndef HC_BASE45_H
#define HC_BASE45_H

#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

/* Bytes needed to decode n characters: two bytes per three characters, rounded up. */
#define HC_BASE45_DECODED_MAX(n) ((n) / 3 * 2 + 1)
/* Characters needed to encode n bytes (RFC 9285 §4: 3 per pair, 2 for a trailing byte), + NUL. */
#define HC_BASE45_ENCODED_MAX(n) ((n) / 2 * 3 + 3)

/*
 * Decodes in[0..len) into out. Rejects (HC_ERR_ENCODING_INVALID) any character outside the
 * alphabet, a dangling character (len % 3 == 1), a triple above 65535 and a pair above 255
 * (RFC 9285 §6 "MUST ... reject"). The empty string decodes to nothing.
 */
hc_err hc_base45_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* Encodes in[0..len) into out as a NUL-terminated string; *out_len excludes the NUL. */
hc_err hc_base45_encode(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len);

#endif
