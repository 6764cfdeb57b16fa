/*
 * fuzz_deflate.c: the issuer's DEFLATE encoder (src/issue/deflate.c): every output is a zlib
 * stream (header 0x78 0xDA) that zlib inflates back to the input, within the stated bound.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "issue_deflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hc_zdeflate z;
    static int ready;
    static uint8_t out[HC_ZDEFLATE_MAX_IN + 1024], back[HC_ZDEFLATE_MAX_IN];
    size_t n = 0;
    if (!ready) {
        hc_zdeflate_init(&z);
        ready = 1;
    }
    if (size > HC_ZDEFLATE_MAX_IN) {
        if (hc_zdeflate_compress(&z, data, size, out, sizeof out, &n) != HC_ERR_INPUT_TOO_LARGE) {
            abort();
        }
        return 0;
    }
    if (hc_zdeflate_compress(&z, data, size, out, sizeof out, &n) != HC_OK ||
        n > hc_zdeflate_bound(size) || n < 6 || out[0] != 0x78 || out[1] != 0xda) {
        abort();
    }
    uLongf blen = sizeof back;
    if (uncompress(back, &blen, out, (uLong)n) != Z_OK || blen != size ||
        (size > 0 && memcmp(back, data, size) != 0)) {
        abort();
    }
    return 0;
}
