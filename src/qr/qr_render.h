/*
 * qr_render.h: drawing an encoded QR symbol (a libqrencode QRcode) as a PNG or SVG image: the
 * images of qr.h's encoder (qr_encode.c) and of symbols built segment by segment (qr_shc.h). The
 * image conventions of qr.h: integer module sizes, a light quiet zone, PNG 1-bit greyscale at
 * most HC_MAX_IMAGE_PIXELS, SVG in modules.
 */
#ifndef HC_QR_RENDER_H
#define HC_QR_RENDER_H

#include <qrencode.h>
#include <stddef.h>
#include <stdint.h>

#include "qr.h"

/* PNG bytes (malloc'd). HC_ERR_INVALID_ARG for bad options or an image past the pixel bound. */
hc_err hc_qr_render_png(const QRcode *qr, const hc_qr_options *opt, uint8_t **png, size_t *len);

/* SVG text (malloc'd, NUL-terminated). */
hc_err hc_qr_render_svg(const QRcode *qr, const hc_qr_options *opt, char **svg, size_t *len);

/* Writes the image to path (atomically, mode 0644): PNG or SVG by the path's extension. */
hc_err hc_qr_render_file(const QRcode *qr, const hc_qr_options *opt, const char *path);

#endif
