/* fuzz_base45.c: Base45 decoding of arbitrary text; decode(encode(x)) == x for what decodes. */
#include <stdlib.h>
#include <string.h>

#include "base45.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = HC_BASE45_DECODED_MAX(size), n = 0, t = 0, m = 0;
    uint8_t *out = malloc(cap + 1);
    if (out == NULL) {
        return 0;
    }
    if (hc_base45_decode((const char *)data, size, out, cap, &n) == HC_OK) {
        /* Invariant: decoding is canonical, so re-encoding gives the input back. */
        char *text = malloc(HC_BASE45_ENCODED_MAX(n));
        uint8_t *back = malloc(n + 1);
        if (text && back && hc_base45_encode(out, n, text, HC_BASE45_ENCODED_MAX(n), &t) == HC_OK) {
            if (t != size || memcmp(text, data, size) != 0 ||
                hc_base45_decode(text, t, back, n + 1, &m) != HC_OK || m != n ||
                memcmp(back, out, n) != 0) {
                abort();
            }
        }
        free(text);
        free(back);
    }
    free(out);
    return 0;
}
