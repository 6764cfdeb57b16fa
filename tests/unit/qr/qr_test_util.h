/*
 * qr_test_util.h: helpers shared by the qr module's tests (header-only: each test_*.c is its own
 * program). Images are built here with libpng and libjpeg directly, so that the decoder is tested
 * against files its own encoder never writes (other colour types, depths, interlacing, JPEG).
 */
#ifndef HC_QR_TEST_UTIL_H
#define HC_QR_TEST_UTIL_H

#include "testlib.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <png.h>

#include "hc_limits.h"
#include "qr.h"
#include "qr_internal.h"

/* ---- in-memory output for libpng / libjpeg ---- */

typedef struct qt_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
} qt_buf;

static inline void
qt_buf_put(qt_buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 1024;
        while (n > cap - b->len) {
            cap *= 2;
        }
        b->data = realloc(b->data, cap);
        assert_non_null(b->data);
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void
qt_png_write_cb(png_structp png, png_bytep data, size_t n)
{
    qt_buf_put(png_get_io_ptr(png), data, n);
}

static inline void
qt_png_flush_cb(png_structp png)
{
    (void)png;
}

/* The pixel source of qt_png(): 8-bit grey plane, rendered into any PNG format. */
typedef struct qt_png_fmt {
    int colour; /* PNG_COLOR_TYPE_* */
    int depth;  /* 1, 2, 4, 8, 16 */
    bool interlace;
    bool trns;     /* grey / RGB / palette: make white transparent via tRNS */
    bool alpha_bg; /* GA / RGBA: light pixels fully transparent with colour black */
} qt_png_fmt;

/* Writes grey (w*h) as a PNG in the given format (test helper; fails the test on error). */
static inline uint8_t *
qt_png(const uint8_t *grey, uint32_t w, uint32_t h, qt_png_fmt f, size_t *len)
{
    qt_buf out = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png))) {
        fail_msg("libpng write error");
    }
    png_set_write_fn(png, &out, qt_png_write_cb, qt_png_flush_cb);
    png_set_IHDR(png, info, w, h, f.depth, f.colour,
                 f.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    int levels = 1 << (f.depth > 8 ? 8 : f.depth);
    if (f.colour == PNG_COLOR_TYPE_PALETTE) {
        /* A palette in scrambled order, so that index != brightness. */
        png_color pal[256];
        png_byte trns[256];
        for (int i = 0; i < levels; i++) {
            int v = (levels - 1 - i) * 255 / (levels - 1);
            pal[i].red = pal[i].green = pal[i].blue = (png_byte)v;
            trns[i] = (v == 255 && f.trns) ? 0 : 255;
        }
        png_set_PLTE(png, info, pal, levels);
        if (f.trns) {
            png_set_tRNS(png, info, trns, levels, NULL);
        }
    } else if (f.trns) {
        png_color_16 t = { 0 };
        uint16_t max = (uint16_t)((1u << f.depth) - 1);
        t.gray = t.red = t.green = t.blue = max;
        png_set_tRNS(png, info, NULL, 0, &t);
    }
    png_write_info(png, info);
    if (f.depth == 16) {
        png_set_swap(png); /* we build rows in host order below; PNG is big-endian */
    }
    png_set_packing(png);

    int ch = png_get_channels(png, info);
    int bps = f.depth == 16 ? 2 : 1;
    uint8_t *row = calloc((size_t)w * (size_t)ch * 2 + 8, 1);
    assert_non_null(row);
    int passes = png_set_interlace_handling(png);
    for (int p = 0; p < passes; p++) {
        for (uint32_t y = 0; y < h; y++) {
            for (uint32_t x = 0; x < w; x++) {
                unsigned g = grey[(size_t)y * w + x];
                uint8_t *px = row + (size_t)x * (size_t)ch * (size_t)bps;
                if (f.colour == PNG_COLOR_TYPE_PALETTE) {
                    unsigned q = (g * (unsigned)(levels - 1) + 127) / 255;
                    px[0] = (uint8_t)(levels - 1 - (int)q);
                    continue;
                }
                int colour_ch = (f.colour & PNG_COLOR_MASK_COLOR) ? 3 : 1;
                bool has_alpha = f.colour & PNG_COLOR_MASK_ALPHA;
                unsigned a = 255;
                if (has_alpha && f.alpha_bg) {
                    /* Dark where the code is dark; elsewhere transparent black. */
                    a = 255 - g;
                    g = 0;
                }
                for (int c = 0; c < colour_ch + (has_alpha ? 1 : 0); c++) {
                    unsigned v = c < colour_ch ? g : a;
                    if (f.depth == 16) {
                        uint16_t v16 = (uint16_t)(v * 257);
                        memcpy(px + c * 2, &v16, 2);
                    } else {
                        unsigned max = (1u << f.depth) - 1;
                        px[c] = (uint8_t)((v * max + 127) / 255);
                    }
                }
            }
            png_write_row(png, row);
        }
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    *len = out.len;
    return out.data;
}

/* ---- JPEG writer (libjpeg) ---- */

typedef enum { QT_JPEG_GREY, QT_JPEG_RGB, QT_JPEG_CMYK_ADOBE } qt_jpeg_kind;

static inline uint8_t *
qt_jpeg(const uint8_t *grey, uint32_t w, uint32_t h, int quality, bool progressive,
        qt_jpeg_kind kind, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *mem = NULL;
    unsigned long mem_len = 0;

    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &mem_len);
    c.image_width = w;
    c.image_height = h;
    c.input_components = kind == QT_JPEG_GREY ? 1 : kind == QT_JPEG_RGB ? 3 : 4;
    c.in_color_space = kind == QT_JPEG_GREY  ? JCS_GRAYSCALE
                       : kind == QT_JPEG_RGB ? JCS_RGB
                                             : JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    if (progressive) {
        jpeg_simple_progression(&c);
    }
    jpeg_start_compress(&c, TRUE);
    uint8_t *row = malloc((size_t)w * 4);
    assert_non_null(row);
    while (c.next_scanline < h) {
        const uint8_t *g = grey + (size_t)c.next_scanline * w;
        for (uint32_t x = 0; x < w; x++) {
            if (kind == QT_JPEG_GREY) {
                row[x] = g[x];
            } else if (kind == QT_JPEG_RGB) {
                /* Dark modules navy blue, light ones cream: colour, not just grey in RGB. */
                row[3 * x] = g[x] < 128 ? 20 : 250;
                row[3 * x + 1] = g[x] < 128 ? 30 : 245;
                row[3 * x + 2] = g[x] < 128 ? 90 : 225;
            } else {
                /* Adobe CMYK is stored inverted (255 = no ink): black ink only. */
                row[4 * x] = row[4 * x + 1] = row[4 * x + 2] = 255;
                row[4 * x + 3] = g[x];
            }
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = mem_len;
    return mem;
}

/* ---- QR planes ---- */

/* Encodes text with our encoder and decodes the PNG back into a grey plane. */
static inline hc_qr_grey
qt_qr_plane(const char *text, int module_px, int quiet)
{
    hc_qr_options o = hc_qr_default_options();
    o.module_px = module_px;
    o.quiet_modules = quiet;
    uint8_t *png;
    size_t len;
    assert_int_equal(hc_qr_png_bytes(text, &o, &png, &len), HC_OK);
    hc_qr_grey g;
    assert_int_equal(hc_qr_png_to_grey(png, len, &g), HC_OK);
    free(png);
    return g;
}

/* Decodes an image and checks that it yields exactly want. */
static inline void
qt_expect_text(const uint8_t *img, size_t len, const char *want)
{
    char out[HC_MAX_QR_TEXT + 1];
    size_t n = 0;
    hc_err err = hc_qr_decode_image(img, len, out, sizeof out, &n);
    if (err != HC_OK) {
        fail_msg("decode failed: %s", hc_err_code(err));
    }
    assert_int_equal(n, strlen(want));
    assert_string_equal(out, want);
}

/* xorshift64*: a fixed, seedable generator so that every run tests the same images. */
static inline uint64_t
qt_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Renders a libqrencode matrix into a grey plane (dark = 0), px per module, quiet modules. */
static inline hc_qr_grey
qt_matrix_plane(const unsigned char *data, int width, int px, int quiet)
{
    hc_qr_grey g;
    uint32_t side = (uint32_t)((width + 2 * quiet) * px);
    g.width = g.height = side;
    g.px = malloc((size_t)side * side);
    assert_non_null(g.px);
    memset(g.px, 255, (size_t)side * side);
    for (int y = 0; y < width; y++) {
        for (int x = 0; x < width; x++) {
            if (!(data[y * width + x] & 1)) {
                continue;
            }
            for (int dy = 0; dy < px; dy++) {
                memset(g.px + (size_t)((quiet + y) * px + dy) * side + (size_t)((quiet + x) * px),
                       0, (size_t)px);
            }
        }
    }
    return g;
}

/* An 8-bit grey PNG of a plane. */
static inline uint8_t *
qt_grey_png(const hc_qr_grey *g, size_t *len)
{
    qt_png_fmt f = { .colour = PNG_COLOR_TYPE_GRAY, .depth = 8 };
    return qt_png(g->px, g->width, g->height, f, len);
}

/* ---- corpus helpers ---- */

/* Calls fn(relpath, arg) for every regular file below $HC_VECTORS/rel, in directory order. */
static inline void
qt_walk(const char *rel, void (*fn)(const char *relpath, void *arg), void *arg)
{
    char abs[4096];
    int n = snprintf(abs, sizeof abs, "%s/%s", hc_test_vectors_dir(), rel);
    assert_true(n > 0 && (size_t)n < sizeof abs);
    DIR *d = opendir(abs);
    if (d == NULL) {
        fail_msg("cannot open %s", abs);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t rl = strlen(rel), al = strlen(abs), nl = strlen(e->d_name);
        char *sub = malloc(rl + nl + 2), *subabs = malloc(al + nl + 2);
        assert_true(sub != NULL && subabs != NULL);
        memcpy(sub, rel, rl);
        sub[rl] = '/';
        memcpy(sub + rl + 1, e->d_name, nl + 1);
        memcpy(subabs, abs, al);
        subabs[al] = '/';
        memcpy(subabs + al + 1, e->d_name, nl + 1);
        struct stat st;
        if (stat(subabs, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                qt_walk(sub, fn, arg);
            } else if (S_ISREG(st.st_mode)) {
                fn(sub, arg);
            }
        }
        free(sub);
        free(subabs);
    }
    closedir(d);
}

static inline bool
qt_ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

#endif
