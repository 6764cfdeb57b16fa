/*
 * qr_encode.c: QR codes (ISO/IEC 18004:2015) as PNG or SVG images, with libqrencode (qr.h).
 *
 * Mode: HCERT §4.2 says the Base45 text MUST be encoded in alphanumeric mode (ISO/IEC 18004:2015,
 * mode indicator 0010, 11 bits per character pair). A text made only of the 45 characters of that
 * mode (Base45's alphabet, so every "HC1:..." text) is therefore appended as one alphanumeric
 * segment, not left to libqrencode's optimiser, which may cut digit runs out into numeric
 * segments (legal QR, but not what the MUST says; the optimiser's symbol is no smaller for any
 * corpus text, test_qr_roundtrip measures it). Any other text goes through QRcode_encodeString
 * with hint QR_MODE_8, case-sensitive, which picks numeric, alphanumeric and byte segments for the
 * shortest bit stream.
 * ECC: from the options; default Q (HCERT §4.2 "error correction level Q (~25%) RECOMMENDED").
 * Version: the smallest that holds the text (libqrencode's version 0 = automatic).
 *
 * Images: drawn by qr_render.c (the module's one renderer: integer module sizes, a light quiet
 * zone of at least 4 modules by default, ISO/IEC 18004; PNG 1-bit greyscale, SVG one path).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "fileio.h"
#include "hc_limits.h"
#include "qr.h"
#include "qr_internal.h"
#include "qr_render.h"

hc_qr_options
hc_qr_default_options(void)
{
    hc_qr_options o = { .ec_level = 2, .module_px = 6, .quiet_modules = 4 };
    return o;
}

static hc_err
check_options(const hc_qr_options *opt)
{
    if (opt->ec_level < 0 || opt->ec_level > 3 || !hc_qr_image_options_ok(opt)) {
        return HC_ERR_INVALID_ARG;
    }
    return HC_OK;
}

/* The 45 characters of QR alphanumeric mode (ISO/IEC 18004 table 5), = the Base45 alphabet. */
static bool
is_alnum_mode_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr(" $%*+-./:", c) != NULL);
}

static hc_err
err_from_errno(int e)
{
    switch (e) {
    case ERANGE: return HC_ERR_INPUT_TOO_LARGE; /* longer than version 40 holds at this level */
    case ENOMEM: return HC_ERR_NOMEM;
    case EINVAL: return HC_ERR_INVALID_ARG;
    default: return HC_ERR_INTERNAL;
    }
}

/* Text -> module matrix, per the file comment. */
static hc_err
encode_matrix(const char *text, const hc_qr_options *opt, QRcode **qr)
{
    static const QRecLevel levels[4] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };

    *qr = NULL;
    if (text == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = check_options(opt);
    if (err != HC_OK) {
        return err;
    }
    size_t len = strnlen(text, (size_t)HC_MAX_QR_TEXT + 1);
    if (len > HC_MAX_QR_TEXT) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (len == 0) {
        return HC_ERR_INVALID_ARG; /* nothing to encode; libqrencode refuses it too */
    }
    bool alnum = true;
    for (size_t i = 0; i < len && alnum; i++) {
        alnum = is_alnum_mode_char(text[i]);
    }

    errno = 0;
    if (alnum) {
        QRinput *in = QRinput_new2(0, levels[opt->ec_level]);
        if (in == NULL) {
            return HC_ERR_NOMEM;
        }
        if (QRinput_append(in, QR_MODE_AN, (int)len, (const unsigned char *)text) == 0) {
            *qr = QRcode_encodeInput(in);
        }
        int saved = errno;
        QRinput_free(in);
        errno = saved;
    } else {
        *qr = QRcode_encodeString(text, 0, levels[opt->ec_level], QR_MODE_8, 1);
    }
    if (*qr == NULL) {
        return err_from_errno(errno);
    }
    return HC_OK;
}

hc_err
hc_qr_png_bytes(const char *text, const hc_qr_options *opt, uint8_t **png, size_t *len)
{
    hc_qr_options def = hc_qr_default_options();
    QRcode *qr;

    if (png == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *png = NULL;
    *len = 0;
    if (opt == NULL) {
        opt = &def;
    }
    hc_err err = encode_matrix(text, opt, &qr);
    if (err == HC_OK) {
        err = hc_qr_render_png(qr, opt, png, len);
        QRcode_free(qr);
    }
    return err;
}

hc_err
hc_qr_write_png(const char *text, const hc_qr_options *opt, const char *path)
{
    uint8_t *png;
    size_t len;

    if (path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_qr_png_bytes(text, opt, &png, &len);
    if (err == HC_OK) {
        err = hc_write_file(path, png, len, HC_QR_IMAGE_FILE_MODE);
        free(png);
    }
    return err;
}

hc_err
hc_qr_write_svg(const char *text, const hc_qr_options *opt, const char *path)
{
    hc_qr_options def = hc_qr_default_options();
    QRcode *qr;
    char *svg;
    size_t len;

    if (path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (opt == NULL) {
        opt = &def;
    }
    hc_err err = encode_matrix(text, opt, &qr);
    if (err != HC_OK) {
        return err;
    }
    err = hc_qr_render_svg(qr, opt, &svg, &len);
    QRcode_free(qr);
    if (err == HC_OK) {
        err = hc_write_file(path, svg, len, HC_QR_IMAGE_FILE_MODE);
        free(svg);
    }
    return err;
}
