/*
 * shc_numeric.h: the numeric QR form of SMART Health Cards (SHC spec §"Encoding QRs") and the
 * reassembly of chunked codes (§"Chunking Larger SHCs", deprecated since v1.3.0).
 *
 * Each JWS character c is written as the two decimal digits of ord(c) - 45 ('-', the lowest
 * character of a compact JWS, is 00; 'z' is 77), after the byte-mode prefix "shc:/" and, for
 * chunk C of N, "C/N/". Decoding refuses anything but digit pairs 00..77 (security.md §3 H1-H3).
 * The same form carries our compressed VC-JWT QR codes under the prefix "vc-jwt:/" (docs/vc.md).
 *
 * Chunks (one per input line, in any order) are reassembled into one JWS: every line must carry a
 * header with the same N (2..10), each index 1..N exactly once, and no chunk more than 1191 JWS
 * characters (the spec's "chunks of length 1191 or smaller"); a single code must carry no header
 * (security.md §3 H4: "1/1 on a single QR" is refused).
 */
#ifndef HC_SHC_NUMERIC_H
#define HC_SHC_NUMERIC_H

#include <stddef.h>

#include "healthcert/error.h"

/* Offset of the encoding: ord('-') (SHC spec §"Encoding QRs"). */
#define HC_SHC_NUMERIC_OFFSET 45
/* Largest pair value: ord('z') - 45. */
#define HC_SHC_NUMERIC_MAX_PAIR 77
/* Text of one QR code (security.md §5: "SHC QR text <= 4 KiB single"). */
#define HC_SHC_MAX_CHUNK_TEXT 4096
/* Chunks of one card (security.md §5: "<= 10 chunks if chunking is enabled"). */
#define HC_SHC_MAX_CHUNKS 10
/* SHC spec §"Chunking": "chunks of length 1191 or smaller"; one QR: "longer than 1195" splits. */
#define HC_SHC_MAX_CHUNK_JWS  1191
#define HC_SHC_MAX_SINGLE_JWS 1195

/*
 * Decodes digits[0..n) into JWS characters (not NUL-terminated). HC_ERR_ENCODING_INVALID for a
 * non-digit, an odd count or a pair over 77; HC_ERR_BUFFER_TOO_SMALL when out is too small.
 */
hc_err hc_shc_numeric_decode(const char *digits, size_t n, char *out, size_t cap, size_t *out_len);

/* Encodes jws[0..n) (characters '-'..'z') as digits, NUL-terminated; HC_ERR_INVALID_ARG for a
 * character outside that range. */
hc_err hc_shc_numeric_encode(const char *jws, size_t n, char *out, size_t cap, size_t *out_len);

/*
 * Reassembles the JWS from text (one or more lines, each prefix + [C/N/] + digits; blank lines and
 * surrounding white space ignored). allow_chunks false refuses chunk headers altogether. *chunks
 * is the number of QR codes read. On error, the verdict code and why (a plain-language reason).
 */
hc_err hc_shc_unchunk(const char *text, size_t len, const char *prefix, int allow_chunks, char *jws,
                      size_t cap, size_t *jws_len, size_t *chunks, char *why, size_t why_len);

#endif
