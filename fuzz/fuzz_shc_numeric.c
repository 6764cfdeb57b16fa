/*
 * fuzz_shc_numeric.c: the SMART Health Card numeric QR text and chunk reassembly
 * (shc_numeric.h) on arbitrary bytes. Invariants: a decoded single code re-encodes to its digits;
 * a reassembled JWS is never longer than half the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shc_numeric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char jws[65536], again[131072 + 8];
    char why[200];
    size_t n = 0, chunks = 0, m = 0;
    const char *text = (const char *)data;

    if (hc_shc_numeric_decode(text, size, jws, sizeof jws, &n) == HC_OK) {
        if (hc_shc_numeric_encode(jws, n, again, sizeof again, &m) != HC_OK || m != size ||
            memcmp(again, text, size) != 0) {
            abort();
        }
    }
    for (int allow = 0; allow < 2; allow++) {
        if (hc_shc_unchunk(text, size, "shc:/", allow, jws, sizeof jws, &n, &chunks, why,
                           sizeof why) == HC_OK) {
            if (2 * n > size || chunks < 1 || chunks > HC_SHC_MAX_CHUNKS) {
                abort();
            }
        }
    }
    return 0;
}
