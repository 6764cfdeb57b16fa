/*
 * issue_deflate.h: a DEFLATE (RFC 1951) encoder in a zlib container (RFC 1950) for the small
 * messages the issuer compresses (COSE_Sign1 of a DCC: 300..3000 bytes).
 *
 * Why not zlib's deflate: for a 400-byte message zlib 1.2.13 at level 9 spends 8-12 us (mostly
 * fixed per-block costs: tree building with a heap, bit-by-bit emission), a third of an ES256
 * signature, which alone would keep batch issuance under the 0.8 target of bench/bench_issue.c.
 * This encoder makes the same kind of stream at the same effort in about 3 us:
 *   - LZ77 with zlib level 9's search, step for step (lazy evaluation, hash chains followed up
 *     to 4096 links, a match of 258 ends the search, 3-byte matches farther than 4096 dropped),
 *     over the whole input (inputs are below the 32 KiB window, so every earlier position is
 *     reachable): the same matches as zlib -9;
 *   - one block, of whichever type is smallest, to the bit: dynamic Huffman (optimal code
 *     lengths by the two-queue method, limited to 15 / 7 bits by the JPEG Annex K.3 adjustment;
 *     the code lengths sent with zlib's run-length rule or, when cheaper, the cheapest parse under
 *     that rule's code length code, and runs may cross from the literal/length into the distance
 *     lengths as RFC 1951 §3.2.7 allows), fixed Huffman, or stored;
 *   - header 0x78 0xDA (32 KiB window, FLEVEL 3 "maximum compression", HCERT spec §4.2 and the
 *     header the EU apps look for), Adler-32 trailer.
 * Size: no larger than zlib -9 in total over DCCs (0.1% smaller); one message in several hundred
 * comes out one byte larger, when zlib's Huffman tie-breaking happens to give a header a few bits
 * shorter (test_deflate.c measures both against zlib on the 27 schema examples).
 * Decoders need nothing special: tests inflate every output with zlib and Python.
 */
#ifndef HC_ISSUE_DEFLATE_H
#define HC_ISSUE_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

/* Largest input: the LZ77 window (RFC 1951 §2: distances up to 32768) holds all of it. */
#define HC_ZDEFLATE_MAX_IN    32768
#define HC_ZDEFLATE_HASH_BITS 13

/* Working memory (about 200 KiB; keep one per thread); hc_zdeflate_init before first use. */
typedef struct hc_zdeflate {
    unsigned hash_bits;                         /* of this input (8..HC_ZDEFLATE_HASH_BITS) */
    uint16_t head[1u << HC_ZDEFLATE_HASH_BITS]; /* last position + 1 with a hash, 0 = none */
    uint16_t prev[HC_ZDEFLATE_MAX_IN];          /* previous position + 1 with the same hash */
    /* The matches, as (position, length << 16 | distance) pairs: at most one per 3 bytes. */
    uint32_t match[HC_ZDEFLATE_MAX_IN / 3 * 2 + 2];
    /* The stream is written 8 bytes at a time and may overshoot its end by up to 8 bytes: it is
     * built here when the caller's buffer has no such slack. */
    uint8_t spill[HC_ZDEFLATE_MAX_IN + 64];
} hc_zdeflate;

/* Prepares z for its first input. */
void hc_zdeflate_init(hc_zdeflate *z);

/* Upper bound of the output for len input bytes (a stored block plus header and trailer). */
size_t hc_zdeflate_bound(size_t len);

/*
 * Compresses in[0..len) into out as one zlib stream. HC_ERR_INPUT_TOO_LARGE past
 * HC_ZDEFLATE_MAX_IN, HC_ERR_BUFFER_TOO_SMALL when cap < what the stream needs.
 */
hc_err hc_zdeflate_compress(hc_zdeflate *z, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len);

/*
 * Code lengths for freq[0..n) (n <= 286), optimal (Huffman) when no code exceeds limit, else
 * limited to limit bits keeping the code complete (Kraft sum exactly 1). At least two symbols get
 * a code even when fewer occur, as zlib does: a one-symbol code is incomplete, which inflaters
 * refuse for the code length code. Exposed for the unit tests.
 */
void hc_zdeflate_code_lengths(const uint32_t *freq, unsigned n, unsigned limit, uint8_t *lens);

#endif
