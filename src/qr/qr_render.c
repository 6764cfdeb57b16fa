/*
 * qr_render.c: QR symbols as PNG / SVG (see qr_render.h).
 *
 * The module grid comes from libqrencode (bit 0 of each byte: dark). PNG: one packed 1-bit row per
 * module row, repeated module_px times (sample 0 = black in 1-bit greyscale, PNG spec §11.2.2).
 * SVG: one path of horizontal runs of dark modules, crispEdges so viewers do not blur the seams.
 */
#include "qr_render.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "hc_limits.h"
#include <png.h>

/* The same option ranges as qr_encode.c (qr.h). */
#define MAX_MODULE_PX 64
#define MAX_QUIET     64
#define FILE_MODE     0644

static bool
options_ok(const QRcode *qr, const hc_qr_options *o)
{
    return qr != NULL && o != NULL && o->module_px >= 1 && o->module_px <= MAX_MODULE_PX &&
           o->quiet_modules >= 0 && o->quiet_modules <= MAX_QUIET;
}

static bool
dark(const QRcode *qr, int x, int y)
{
    return (qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1) != 0;
}

typedef struct sink {
    uint8_t *data;
    size_t len, cap;
    bool nomem;
} sink;

static void
sink_write(png_structp png, png_bytep data, size_t n)
{
    sink *s = png_get_io_ptr(png);
    if (n > s->cap - s->len) {
        size_t cap = s->cap ? s->cap : 4096;
        while (n > cap - s->len && cap < ((size_t)-1) / 2) {
            cap *= 2;
        }
        uint8_t *p = n <= cap - s->len ? realloc(s->data, cap) : NULL;
        if (p == NULL) {
            s->nomem = true;
            png_error(png, "out of memory");
        }
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, n);
    s->len += n;
}

static void
sink_flush(png_structp png)
{
    (void)png;
}

static void
on_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void
on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* The picture, under libpng's error longjmp (row is the caller's, so nothing leaks). */
static int
draw(png_structp png, png_infop info, const QRcode *qr, const hc_qr_options *o, uint8_t *row,
     size_t rowbytes, uint32_t side)
{
    if (setjmp(png_jmpbuf(png))) {
        return -1;
    }
    png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 9);
    png_write_info(png, info);
    int q = o->quiet_modules, w = qr->width;
    for (int my = -q; my < w + q; my++) {
        memset(row, 0xff, rowbytes);
        for (int mx = 0; my >= 0 && my < w && mx < w; mx++) {
            if (!dark(qr, mx, my)) {
                continue;
            }
            for (int k = 0; k < o->module_px; k++) {
                size_t x = (size_t)(mx + q) * (size_t)o->module_px + (size_t)k;
                row[x / 8] &= (uint8_t) ~(0x80u >> (x % 8));
            }
        }
        for (int k = 0; k < o->module_px; k++) {
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    return 0;
}

hc_err
hc_qr_render_png(const QRcode *qr, const hc_qr_options *opt, uint8_t **png_out, size_t *len)
{
    if (!options_ok(qr, opt) || png_out == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    uint64_t side =
        ((uint64_t)qr->width + 2u * (uint64_t)opt->quiet_modules) * (uint64_t)opt->module_px;
    if (side * side > HC_MAX_IMAGE_PIXELS) {
        return HC_ERR_INVALID_ARG; /* an image we could not read back */
    }
    size_t rowbytes = (size_t)(side + 7) / 8;
    uint8_t *row = malloc(rowbytes);
    sink s = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    hc_err e = HC_ERR_NOMEM;
    if (row != NULL && info != NULL) {
        png_set_write_fn(png, &s, sink_write, sink_flush);
        e = draw(png, info, qr, opt, row, rowbytes, (uint32_t)side) == 0
                ? HC_OK
                : (s.nomem ? HC_ERR_NOMEM : HC_ERR_INTERNAL);
    }
    png_destroy_write_struct(&png, &info);
    free(row);
    if (e != HC_OK) {
        free(s.data);
        return e;
    }
    *png_out = s.data;
    *len = s.len;
    return HC_OK;
}

hc_err
hc_qr_render_svg(const QRcode *qr, const hc_qr_options *opt, char **svg, size_t *len)
{
    if (!options_ok(qr, opt) || svg == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    int w = qr->width, q = opt->quiet_modules, side = w + 2 * q;
    /* Each run "M%d %dh%dv1h-%dz" is under 32 characters; at most w * w / 2 + w runs. */
    size_t cap = 512 + ((size_t)w * (size_t)w / 2 + (size_t)w) * 32, n = 0;
    char *out = malloc(cap);
    if (out == NULL) {
        return HC_ERR_NOMEM;
    }
    n += (size_t)snprintf(
        out, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
        "height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n"
        "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"",
        side * opt->module_px, side * opt->module_px, side, side, side, side);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!dark(qr, x, y)) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < w && dark(qr, x, y)) {
                x++;
            }
            n += (size_t)snprintf(out + n, cap - n, "M%d %dh%dv1h-%dz", x0 + q, y + q, x - x0,
                                  x - x0);
        }
    }
    n += (size_t)snprintf(out + n, cap - n, "\"/>\n</svg>\n");
    if (n >= cap) {
        free(out); /* cannot happen with the bound above: never hand out a cut image */
        return HC_ERR_INTERNAL;
    }
    *svg = out;
    *len = n;
    return HC_OK;
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

hc_err
hc_qr_render_file(const QRcode *qr, const hc_qr_options *opt, const char *path)
{
    if (path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (ends_with(path, ".svg") || ends_with(path, ".SVG")) {
        char *svg = NULL;
        size_t n = 0;
        hc_err e = hc_qr_render_svg(qr, opt, &svg, &n);
        if (e == HC_OK) {
            e = hc_write_file(path, svg, n, FILE_MODE);
            free(svg);
        }
        return e;
    }
    uint8_t *png = NULL;
    size_t n = 0;
    hc_err e = hc_qr_render_png(qr, opt, &png, &n);
    if (e == HC_OK) {
        e = hc_write_file(path, png, n, FILE_MODE);
        free(png);
    }
    return e;
}
