/*
 * qr_render.c: QR symbols as PNG / SVG (see qr_render.h): the one renderer of the module, used by
 * qr_encode.c for text and by qr_shc.c for symbols built segment by segment.
 *
 * The module grid comes from libqrencode (bit 0 of each byte: dark), drawn with integer module
 * sizes only, so every module edge falls on a pixel edge (crisp for scanners and printers), with a
 * light quiet zone around it. PNG: 1-bit greyscale (the smallest lossless form of a two-colour
 * picture), one packed row per module row, repeated module_px times. SVG: one <path> of unit
 * squares merged into horizontal runs, viewBox in modules, shape-rendering="crispEdges" so
 * renderers do not anti-alias the seams between runs.
 */
#include "qr_render.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "fileio.h"
#include "hc_limits.h"
#include "qr_internal.h"
#include "qr_png.h"

bool
hc_qr_image_options_ok(const hc_qr_options *o)
{
    return o != NULL && o->module_px >= 1 && o->module_px <= HC_QR_MAX_MODULE_PX &&
           o->quiet_modules >= 0 && o->quiet_modules <= HC_QR_MAX_QUIET;
}

/* Growable output buffer of the PNG writer. */
typedef struct membuf {
    uint8_t *data;
    size_t len;
    size_t cap;
} membuf;

typedef struct png_out {
    png_structp png;
    png_infop info;
    membuf buf;
    const QRcode *qr;
    const hc_qr_options *opt;
    uint8_t *row;
    bool nomem;
} png_out;

static void
out_write(png_structp png, png_bytep data, size_t n)
{
    png_out *o = png_get_io_ptr(png);
    membuf *b = &o->buf;
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (n > cap - b->len) {
            if (cap > ((size_t)-1) / 2) {
                o->nomem = true;
                png_error(png, "too large");
            }
            cap *= 2;
        }
        uint8_t *p = realloc(b->data, cap);
        if (p == NULL) {
            o->nomem = true;
            png_error(png, "out of memory");
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void
out_flush(png_structp png)
{
    (void)png;
}

/* Writes the picture: one packed 1-bit row per module row, repeated module_px times. In a 1-bit
 * greyscale PNG, sample 1 is white; bit 0 of a libqrencode module byte is "dark". */
static void
png_write_all(png_out *o)
{
    const QRcode *qr = o->qr;
    uint32_t px = (uint32_t)o->opt->module_px, quiet = (uint32_t)o->opt->quiet_modules;
    uint32_t side = ((uint32_t)qr->width + 2 * quiet) * px;
    size_t rowbytes = (side + 7) / 8;

    png_set_write_fn(o->png, o, out_write, out_flush);
    png_set_IHDR(o->png, o->info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Two-colour rows compress best unfiltered; level 9 because the files are small anyway. */
    png_set_filter(o->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(o->png, 9);
    png_write_info(o->png, o->info);

    for (uint32_t my = 0; my < (uint32_t)qr->width + 2 * quiet; my++) {
        memset(o->row, 0xff, rowbytes);
        bool in_rows = my >= quiet && my < quiet + (uint32_t)qr->width;
        for (uint32_t mx = 0; in_rows && mx < (uint32_t)qr->width; mx++) {
            if (!(qr->data[(size_t)(my - quiet) * (size_t)qr->width + mx] & 1)) {
                continue;
            }
            for (uint32_t x = (quiet + mx) * px; x < (quiet + mx + 1) * px; x++) {
                o->row[x / 8] &= (uint8_t) ~(0x80u >> (x % 8));
            }
        }
        for (uint32_t k = 0; k < px; k++) {
            png_write_row(o->png, o->row);
        }
    }
    png_write_end(o->png, NULL);
}

static hc_err
png_write_guarded(png_out *o)
{
    if (setjmp(png_jmpbuf(o->png))) {
        return o->nomem ? HC_ERR_NOMEM : HC_ERR_INTERNAL;
    }
    png_write_all(o);
    return HC_OK;
}

hc_err
hc_qr_render_png(const QRcode *qr, const hc_qr_options *opt, uint8_t **png, size_t *len)
{
    if (qr == NULL || !hc_qr_image_options_ok(opt) || png == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    uint64_t side =
        ((uint64_t)qr->width + 2u * (uint64_t)opt->quiet_modules) * (uint64_t)opt->module_px;
    if (side * side > HC_MAX_IMAGE_PIXELS) {
        return HC_ERR_INVALID_ARG; /* module_px too large for this text: we could not read it */
    }
    png_out o = { .qr = qr, .opt = opt };
    o.row = malloc((size_t)(side + 7) / 8);
    if (o.row == NULL) {
        return HC_ERR_NOMEM;
    }
    o.png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, hc_qr_png_error, hc_qr_png_warning);
    if (o.png != NULL) {
        o.info = png_create_info_struct(o.png);
    }
    hc_err err = HC_ERR_NOMEM;
    if (o.png != NULL && o.info != NULL) {
        err = png_write_guarded(&o);
    }
    png_destroy_write_struct(&o.png, &o.info);
    free(o.row);
    if (err != HC_OK) {
        free(o.buf.data);
        return err;
    }
    *png = o.buf.data;
    *len = o.buf.len;
    return HC_OK;
}

/* Text builder with a fixed capacity; a write that does not fit marks it failed. */
typedef struct textbuf {
    char *s;
    size_t len;
    size_t cap;
    bool overflow;
} textbuf;

static void tb_printf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tb_printf(textbuf *t, const char *fmt, ...)
{
    if (t->overflow) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= t->cap - t->len) {
        t->overflow = true;
        return;
    }
    t->len += (size_t)n;
}

hc_err
hc_qr_render_svg(const QRcode *qr, const hc_qr_options *opt, char **svg, size_t *len)
{
    if (qr == NULL || !hc_qr_image_options_ok(opt) || svg == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    int w = qr->width, quiet = opt->quiet_modules;
    int side = w + 2 * quiet;
    size_t runs = 0;

    /* Count the horizontal runs of dark modules to size the buffer once. */
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w; x++) {
            bool dark = qr->data[y * w + x] & 1;
            bool prev = x > 0 && (qr->data[y * w + x - 1] & 1);
            runs += dark && !prev;
        }
    }
    /* "M%d %dh%dv1h-%dz" with numbers of at most 3 digits is at most 20 characters. */
    textbuf t = { .cap = 512 + runs * 24 };
    t.s = malloc(t.cap);
    if (t.s == NULL) {
        return HC_ERR_NOMEM;
    }
    tb_printf(&t,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
              "height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n"
              "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
              "<path fill=\"#000000\" d=\"",
              side * opt->module_px, side * opt->module_px, side, side, side, side);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < w && (qr->data[y * w + x] & 1)) {
                x++;
            }
            tb_printf(&t, "M%d %dh%dv1h-%dz", x0 + quiet, y + quiet, x - x0, x - x0);
        }
    }
    tb_printf(&t, "\"/>\n</svg>\n");
    if (t.overflow) {
        free(t.s); /* cannot happen with the bound above; never write a truncated file */
        return HC_ERR_INTERNAL;
    }
    *svg = t.s;
    *len = t.len;
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
            e = hc_write_file(path, svg, n, HC_QR_IMAGE_FILE_MODE);
            free(svg);
        }
        return e;
    }
    uint8_t *png = NULL;
    size_t n = 0;
    hc_err e = hc_qr_render_png(qr, opt, &png, &n);
    if (e == HC_OK) {
        e = hc_write_file(path, png, n, HC_QR_IMAGE_FILE_MODE);
        free(png);
    }
    return e;
}
