/*
 * limits.h: every bound libhealthcert puts on hostile input, in one place.
 *
 * The numbers follow shared/reference/security.md §5 (resource bounds); the reasons are given per
 * line. A bound that is hit gives a stable verdict code, never a crash or an unbounded allocation.
 */
#ifndef HC_LIMITS_H
#define HC_LIMITS_H

/* Text of one QR payload. A version 40 QR code holds at most 4296 alphanumeric characters
 * (ISO/IEC 18004:2015 table 7); SMART Health Card chunks together stay below this too. */
#define HC_MAX_QR_TEXT 8192

/* Whole input to verify/decode (text of several chunks, or an image file). */
#define HC_MAX_INPUT_TEXT  (64 * 1024)
#define HC_MAX_IMAGE_BYTES (16 * 1024 * 1024)
/* Image dimensions accepted for QR decoding (a phone photo is ~4000x3000). */
#define HC_MAX_IMAGE_PIXELS (40 * 1000 * 1000)

/* Inflated size of a DCC's COSE message. A real DCC is under 2 KiB; the HCERT spec sets no bound,
 * the EU Android app allows 5 MiB, we allow 64 KiB (security.md §5 "Decompressed CWT ≤ 64 KiB"). */
#define HC_MAX_INFLATED (64 * 1024)

/* Inflated JWS payload of a SMART Health Card or VC-JWT (security.md §5: "Decompressed SHC
 * payload <= 64 KiB (QR) / 256 KiB (file or API)"): QR texts, and a bare JWS (the file / API
 * form). The spec's largest example (02, a diagnostic report) is 30 KB minified, 73 KB expanded. */
#define HC_MAX_JWS_INFLATED_QR   (64 * 1024)
#define HC_MAX_JWS_INFLATED_TEXT (256 * 1024)

/* CBOR decoding (security.md §1.4, §5): nesting depth (QCBOR uses 15), items in one container,
 * total items in one document, chunks of one indefinite-length string. */
#define HC_CBOR_MAX_DEPTH           16
#define HC_CBOR_MAX_CONTAINER_ITEMS 1024
#define HC_CBOR_MAX_NODES           4096
#define HC_CBOR_MAX_STRING_CHUNKS   64

/* JSON documents from outside: payloads and trust lists (security.md §5). */
#define HC_MAX_JSON_DEPTH    64
#define HC_MAX_TRUST_FILE    (8 * 1024 * 1024)
#define HC_MAX_TRUST_ENTRIES 20000

/* DSC candidates tried for one kid (hcert §3.3.3 says try all; bounded against DoS). */
#define HC_MAX_KEYS_PER_KID 8

#endif
