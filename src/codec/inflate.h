/*
 * inflate.h: bounded zlib (RFC 1950) and raw DEFLATE (RFC 1951) decompression, and compression.
 *
 * Decompression runs before any signature can be checked, so its input is hostile: the output is
 * capped (a zlib bomb stops at the cap, never allocates past it), the stream must end exactly at
 * the end of the input (no trailing bytes), the zlib checksum must match and a preset dictionary
 * (FDICT) is refused. All of these give HC_ERR_DECOMPRESS_FAILED.
 *
 * An hc_inflater keeps zlib's state between calls (inflateReset instead of a new allocation), so
 * the verify path does no malloc per code. One inflater per thread.
 */
#ifndef HC_INFLATE_H
#define HC_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

typedef enum hc_deflate_kind {
    HC_DEFLATE_ZLIB = 0, /* RFC 1950 wrapper: HCERT spec §4.2.1 */
    HC_DEFLATE_RAW = 1,  /* RFC 1951 raw: JWS "zip":"DEF" (SMART Health Cards) */
} hc_deflate_kind;

typedef struct hc_inflater hc_inflater;

hc_inflater *hc_inflater_new(hc_deflate_kind kind);
void hc_inflater_free(hc_inflater *inf);

/*
 * Inflates in[0..len) into out[0..cap). The output bound is cap: anything that would inflate past
 * it is HC_ERR_DECOMPRESS_FAILED. On success *out_len holds the inflated size.
 */
hc_err hc_inflate(hc_inflater *inf, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                  size_t *out_len);

/* One-shot form (allocates zlib state for the call). */
hc_err hc_inflate_once(hc_deflate_kind kind, const uint8_t *in, size_t len, uint8_t *out,
                       size_t cap, size_t *out_len);

/* Compresses at the highest level (9; zlib header 0x78DA, as the HCERT spec §4.2.1 suggests). */
hc_err hc_deflate(hc_deflate_kind kind, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                  size_t *out_len);

/* Upper bound of hc_deflate output for len input bytes. */
size_t hc_deflate_bound(size_t len);

#endif
