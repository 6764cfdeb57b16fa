/*
 * qr.h: QR codes in images: decoding PNG/JPEG (zbar) and encoding PNG/SVG (libqrencode).
 */
#ifndef HC_QR_H
#define HC_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

/* True when data starts with the PNG (89 50 4E 47 0D 0A 1A 0A) or JPEG (FF D8 FF) signature. */
bool hc_qr_is_image(const uint8_t *data, size_t len);

/*
 * Finds the QR code in a PNG or JPEG image and writes its text (NUL-terminated) into out.
 * HC_ERR_IMAGE_UNREADABLE when the image cannot be decoded or holds no QR code;
 * HC_ERR_INPUT_TOO_LARGE past HC_MAX_IMAGE_BYTES or HC_MAX_IMAGE_PIXELS; HC_ERR_BUFFER_TOO_SMALL
 * when the text does not fit. With several codes in the image, the first one zbar reports is used.
 *
 * The text is the code's exact bytes and may contain NUL: *out_len (excluding the terminating
 * NUL) is its length. Byte-mode segments are not charset-converted, except after an ECI
 * designator (zbar converts those to UTF-8); docs/qr.md has the details.
 * out_len may be NULL. On failure out is "" (when cap > 0) and *out_len is left alone.
 * HC_ERR_INVALID_ARG for out == NULL or data == NULL with len > 0; HC_ERR_NOMEM.
 */
hc_err hc_qr_decode_image(const uint8_t *data, size_t len, char *out, size_t cap, size_t *out_len);

typedef struct hc_qr_options {
    int ec_level;      /* 0=L 1=M 2=Q 3=H; HCERT spec §4.2: Q */
    int module_px;     /* pixels per module (PNG) */
    int quiet_modules; /* quiet zone in modules (ISO/IEC 18004: at least 4) */
} hc_qr_options;

/* Defaults: ECC Q, 6 px per module, 4 quiet-zone modules. */
hc_qr_options hc_qr_default_options(void);

/*
 * Encodes text as a QR code. Text made of the alphanumeric set (Base45) is encoded in
 * alphanumeric mode (HCERT spec §4.2 MUST). The image is written to path atomically.
 *
 * opt == NULL means hc_qr_default_options(). Accepted options: ec_level 0..3, module_px 1..64,
 * quiet_modules 0..64, and for PNG an image of at most HC_MAX_IMAGE_PIXELS (so that
 * hc_qr_decode_image can read it back); otherwise HC_ERR_INVALID_ARG. HC_ERR_INVALID_ARG also for
 * a NULL or empty text or a NULL path; HC_ERR_INPUT_TOO_LARGE past HC_MAX_QR_TEXT or when the text
 * does not fit a version 40 symbol at the ECC level; HC_ERR_IO when the file cannot be written.
 * PNG: 1-bit greyscale. SVG: one path of unit squares, viewBox in modules, width and height in
 * pixels (module_px per module).
 */
hc_err hc_qr_write_png(const char *text, const hc_qr_options *opt, const char *path);
hc_err hc_qr_write_svg(const char *text, const hc_qr_options *opt, const char *path);

/* Encodes to PNG bytes in memory (malloc'd, caller frees); on failure *png = NULL, *len = 0. */
hc_err hc_qr_png_bytes(const char *text, const hc_qr_options *opt, uint8_t **png, size_t *len);

#endif
