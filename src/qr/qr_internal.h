/*
 * qr_internal.h: what the files of the qr module share and nothing else sees.
 *
 * Images are decoded into one 8-bit grey plane (0 = black, 255 = white; the "Y800" format zbar
 * scans) by png_read.c and jpeg_read.c; qr_decode.c finds the QR code in it.
 */
#ifndef HC_QR_INTERNAL_H
#define HC_QR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "qr.h"

/* Image option ranges (qr.h). 64 px per module or 64 quiet modules are far beyond any use; a PNG
 * is additionally held to HC_MAX_IMAGE_PIXELS so that every image we write we can also read. */
#define HC_QR_MAX_MODULE_PX 64
#define HC_QR_MAX_QUIET     64

/* Files we write are public artefacts (a QR code to print): rw-r--r--. */
#define HC_QR_IMAGE_FILE_MODE 0644

/* module_px and quiet_modules within the ranges above (the ECC level is the encoder's). */
bool hc_qr_image_options_ok(const hc_qr_options *o);

/* One grey plane, width * height bytes, rows top to bottom with no padding. Owned: free(px). */
typedef struct hc_qr_grey {
    uint8_t *px;
    uint32_t width;
    uint32_t height;
} hc_qr_grey;

/*
 * The size check every reader makes on the declared dimensions, before any pixel memory is
 * allocated (security.md §5: no allocation sized by the input before it is bounded).
 * HC_ERR_IMAGE_UNREADABLE for an empty image, HC_ERR_INPUT_TOO_LARGE past HC_MAX_IMAGE_PIXELS.
 */
hc_err hc_qr_check_dimensions(uint32_t width, uint32_t height);

/*
 * Decode a PNG / JPEG held in memory into a grey plane. On success img->px is malloc'd; on failure
 * img is left empty. HC_ERR_IMAGE_UNREADABLE for any malformed data, HC_ERR_INPUT_TOO_LARGE for
 * oversized dimensions, HC_ERR_NOMEM when memory runs out.
 */
hc_err hc_qr_png_to_grey(const uint8_t *data, size_t len, hc_qr_grey *img);
hc_err hc_qr_jpeg_to_grey(const uint8_t *data, size_t len, hc_qr_grey *img);

/* Rescans tried when zbar finds nothing in the plane as decoded (qr_decode.c explains them). */
#define HC_QR_RETRY_BINARISE  1u
#define HC_QR_RETRY_SMOOTH    2u
#define HC_QR_RETRY_DOWNSCALE 4u
#define HC_QR_RETRY_ALL       (HC_QR_RETRY_BINARISE | HC_QR_RETRY_SMOOTH | HC_QR_RETRY_DOWNSCALE)

/*
 * Finds the first QR code in a grey plane with zbar, with the given retries (0: the plane as it is
 * and inverted; hc_qr_decode_image uses HC_QR_RETRY_ALL; tests measure what each retry adds).
 * Same results as hc_qr_decode_image; out_len is required.
 */
hc_err hc_qr_scan_grey(const hc_qr_grey *img, unsigned retries, char *out, size_t cap,
                       size_t *out_len);

#endif
