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
 * Images: the module grid is drawn with integer module sizes only, so every module edge falls on
 * a pixel edge (crisp for scanners and printers), with a light quiet zone around it (ISO/IEC 18004:
 * at least 4 modules wide). PNG: 1-bit greyscale (the smallest lossless form of a two-colour
 * picture). SVG: one <path> of unit squares merged into horizontal runs, viewBox in modules,
 * shape-rendering="crispEdges" so renderers do not anti-alias the seams between runs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "fileio.h"
#include "hc_limits.h"
#include "qr.h"

/* Option ranges. 64 px per module or 64 quiet modules are far beyond any use; the PNG size is
 * additionally held to HC_MAX_IMAGE_PIXELS so that every image we write we can also read. */
#define OPT_MAX_MODULE_PX 64
#define OPT_MAX_QUIET     64

/* Files we write are public artefacts (a QR code to print): rw-r--r--. */
#define IMAGE_FILE_MODE 0644

hc_qr_options
hc_qr_default_options(void)
{
    hc_qr_options o = { .ec_level = 2, .module_px = 6, .quiet_modules = 4 };
    return o;
}

static hc_err
check_options(const hc_qr_options *opt)
{
    if (opt->ec_level < 0 || opt->ec_level > 3 || opt->module_px < 1 ||
        opt->module_px > OPT_MAX_MODULE_PX || opt->quiet_modules < 0 ||
        opt->quiet_modules > OPT_MAX_QUIET) {
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

static void
out_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void
out_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
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

/* Matrix -> PNG bytes. */
static hc_err
render_png(const QRcode *qr, const hc_qr_options *opt, uint8_t **png, size_t *len)
{
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
    o.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, out_error, out_warning);
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
        err = render_png(qr, opt, png, len);
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
        err = hc_write_file(path, png, len, IMAGE_FILE_MODE);
        free(png);
    }
    return err;
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

/* Matrix -> SVG text (NUL-terminated, malloc'd). */
static hc_err
render_svg(const QRcode *qr, const hc_qr_options *opt, char **svg, size_t *len)
{
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
    err = render_svg(qr, opt, &svg, &len);
    QRcode_free(qr);
    if (err == HC_OK) {
        err = hc_write_file(path, svg, len, IMAGE_FILE_MODE);
        free(svg);
    }
    return err;
}
