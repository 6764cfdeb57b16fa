/* fuzz_inflate.c: bounded zlib and raw DEFLATE inflation: never past the cap, never a crash. */
#include <stdlib.h>

#include "hc_limits.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hc_inflater *zlib, *raw;
    static uint8_t out[HC_MAX_INFLATED];
    size_t n = 0;
    if (zlib == NULL) {
        zlib = hc_inflater_new(HC_DEFLATE_ZLIB);
        raw = hc_inflater_new(HC_DEFLATE_RAW);
    }
    /* A smaller cap as well, so that the cap is hit often. */
    if (hc_inflate(zlib, data, size, out, sizeof out, &n) == HC_OK && n > sizeof out) {
        abort();
    }
    if (hc_inflate(raw, data, size, out, 1024, &n) == HC_OK && n > 1024) {
        abort();
    }
    return 0;
}
