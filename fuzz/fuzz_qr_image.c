/*
 * fuzz_qr_image.c: hc_qr_decode_image on arbitrary bytes (PNG and JPEG through libpng, libjpeg
 * and zbar, plus our grey conversion and rescans). Invariants: only the documented error codes;
 * on success the text fits the buffer, is NUL-terminated at out_len, and a second decode gives the
 * same bytes; a buffer one byte short gives HC_ERR_BUFFER_TOO_SMALL.
 * Seeds: fuzz/corpus/qr_image (small PNG and JPEG QR codes in several formats).
 */
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"
#include "qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[HC_MAX_QR_TEXT + 1], again[HC_MAX_QR_TEXT + 1];
    size_t n = 0, m = 0;

    (void)hc_qr_is_image(data, size);
    hc_err err = hc_qr_decode_image(data, size, out, sizeof out, &n);
    switch (err) {
    case HC_OK:
        if (n >= sizeof out || out[n] != '\0') {
            abort();
        }
        if (hc_qr_decode_image(data, size, again, sizeof again, &m) != HC_OK || m != n ||
            memcmp(out, again, n) != 0) {
            abort(); /* decoding is deterministic */
        }
        if (hc_qr_decode_image(data, size, again, n, &m) != HC_ERR_BUFFER_TOO_SMALL) {
            abort();
        }
        break;
    case HC_ERR_IMAGE_UNREADABLE:
    case HC_ERR_INPUT_TOO_LARGE:
    case HC_ERR_NOMEM:
        if (out[0] != '\0') {
            abort();
        }
        break;
    default: abort();
    }
    return 0;
}
