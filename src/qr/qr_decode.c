/*
 * qr_decode.c: finds the QR code in a PNG or JPEG image (qr.h) with zbar.
 *
 * Steps: size bound on the encoded bytes -> format by magic bytes -> decode to an 8-bit grey plane
 * (png_read.c / jpeg_read.c, which bound the pixel count before allocating) -> zbar's image scanner
 * with only ZBAR_QRCODE enabled -> on failure, a few rescans of transformed planes (below).
 *
 * Text: zbar is told ZBAR_CFG_BINARY, so the bytes of QR byte-mode segments come back exactly as
 * encoded (NUL bytes included) instead of being guessed into UTF-8 from ISO-8859-1, Shift JIS or
 * Big5 (zbar 0.23.90+, qrcode/qrdectxt.c). Numeric and alphanumeric segments are ASCII anyway, so
 * an HC1 text (alphanumeric, HCERT §4.2) is returned byte for byte. Two cases still differ from the
 * raw bytes: a segment after an ECI designator is converted by zbar from that charset to UTF-8,
 * and codes with an FNC1 indicator get zbar's GS1 '%' -> 0x1D mapping in alphanumeric segments.
 */
#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "hc_limits.h"
#include "qr.h"
#include "qr_internal.h"

/* A grey plane is first scanned as decoded. When that finds nothing, the rescans enabled in
 * `retries` (qr_internal.h) are tried in this order, and the first symbol found wins:
 *  - HC_QR_RETRY_BINARISE: the plane binarised against its local mean (binarise() below), for
 *    uneven light and sensor noise that defeat zbar's edge detector;
 *  - HC_QR_RETRY_SMOOTH: the same, comparing the 3x3 mean instead of the single pixel, for strong
 *    per-pixel noise;
 *  - HC_QR_RETRY_DOWNSCALE: a pyramid of 2x2 box-filtered halvings while the larger side exceeds
 *    QR_RETRY_MIN_SIDE, each level scanned as is and then with the binarisations enabled above.
 *    Averaging removes noise finer than a module, and big photos come down to the few pixels per
 *    module zbar reads best.
 * Rescans run only when the previous scans failed, so they cost nothing on clean pictures; the
 * measured effect is in docs/qr.md (test_qr_formats prints it). What they cost on a picture with no
 * code is bounded: binarised rescans only on planes of at most QR_BIN_MAX_PIXELS (on bigger ones
 * the pyramid does better, measured), and the inverted scan only for the plane as decoded. */
#define QR_RETRY_MIN_SIDE 400
#define QR_BIN_MAX_PIXELS (4u * 1024 * 1024)

/* Window of the local-mean binarisation: about 1/8 of the shorter side, odd, at least 15 px. A
 * HC1 code (version 10..26) that fills most of the picture then has several modules of both
 * colours in every window. */
#define BIN_WINDOW_DIVISOR 8
/* A pixel is dark when it is this much (of 255) below its neighbourhood's mean, so that flat areas
 * (paper, the quiet zone) stay light instead of turning into speckles. The 3x3 mean has a third of
 * the noise of one pixel and gets by with a smaller margin, which keeps low-contrast modules
 * (measured: 115..145 of 255, blurred) apart. */
#define BIN_OFFSET        8
#define BIN_OFFSET_SMOOTH 2

static const uint8_t png_magic[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
static const uint8_t jpeg_magic[3] = { 0xff, 0xd8, 0xff };

static bool
is_png(const uint8_t *data, size_t len)
{
    return len >= sizeof png_magic && memcmp(data, png_magic, sizeof png_magic) == 0;
}

static bool
is_jpeg(const uint8_t *data, size_t len)
{
    return len >= sizeof jpeg_magic && memcmp(data, jpeg_magic, sizeof jpeg_magic) == 0;
}

bool
hc_qr_is_image(const uint8_t *data, size_t len)
{
    return data != NULL && (is_png(data, len) || is_jpeg(data, len));
}

hc_err
hc_qr_check_dimensions(uint32_t width, uint32_t height)
{
    if (width == 0 || height == 0) {
        return HC_ERR_IMAGE_UNREADABLE;
    }
    if ((uint64_t)width * height > HC_MAX_IMAGE_PIXELS) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    return HC_OK;
}

/*
 * One zbar pass over a plane. HC_OK with the text of the first QR symbol; HC_ERR_IMAGE_UNREADABLE
 * when there is none; HC_ERR_BUFFER_TOO_SMALL; HC_ERR_NOMEM.
 */
static hc_err
scan_plane(zbar_image_scanner_t *scanner, const hc_qr_grey *img, char *out, size_t cap,
           size_t *out_len)
{
    zbar_image_t *zimg = zbar_image_create();
    hc_err err = HC_ERR_IMAGE_UNREADABLE;

    if (zimg == NULL) {
        return HC_ERR_NOMEM;
    }
    zbar_image_set_format(zimg, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zimg, img->width, img->height);
    /* No cleanup handler: the plane stays ours and is freed by the caller. */
    zbar_image_set_data(zimg, img->px, (unsigned long)img->width * img->height, NULL);
    if (zbar_scan_image(scanner, zimg) > 0) {
        for (const zbar_symbol_t *sym = zbar_image_first_symbol(zimg); sym != NULL;
             sym = zbar_symbol_next(sym)) {
            if (zbar_symbol_get_type(sym) != ZBAR_QRCODE) {
                continue; /* ZBAR_PARTIAL: a structured-append group with missing parts */
            }
            size_t n = zbar_symbol_get_data_length(sym);
            if (n >= cap) {
                err = HC_ERR_BUFFER_TOO_SMALL;
            } else {
                memcpy(out, zbar_symbol_get_data(sym), n);
                out[n] = '\0';
                *out_len = n;
                err = HC_OK;
            }
            break;
        }
    }
    zbar_image_destroy(zimg);
    return err;
}

/*
 * Local-mean threshold (integral image, after Bradley and Roth, "Adaptive thresholding using the
 * integral image", 2007): dark where the mean of the (2*r+1)^2 pixels around a pixel (r = 0: the
 * pixel itself) is below the mean of the large window around it minus offset.
 */
static hc_err
binarise(const hc_qr_grey *in, uint32_t r, unsigned offset, hc_qr_grey *out)
{
    uint32_t w = in->width, h = in->height;
    uint32_t side = w < h ? w : h;
    uint32_t big = side / BIN_WINDOW_DIVISOR / 2;
    if (big < 7) {
        big = 7;
    }
    /* Row-major integral image with a zero first row and column: (w+1)*(h+1) sums, each at most
     * 255 * HC_MAX_IMAGE_PIXELS < 2^34, so 64-bit entries. */
    size_t stride = (size_t)w + 1;
    uint64_t *sum = malloc(stride * ((size_t)h + 1) * sizeof *sum);
    uint8_t *px = malloc((size_t)w * h);
    if (sum == NULL || px == NULL) {
        free(sum);
        free(px);
        return HC_ERR_NOMEM;
    }
    memset(sum, 0, stride * sizeof *sum);
    for (uint32_t y = 0; y < h; y++) {
        uint64_t row = 0;
        sum[(size_t)(y + 1) * stride] = 0;
        for (uint32_t x = 0; x < w; x++) {
            row += in->px[(size_t)y * w + x];
            sum[(size_t)(y + 1) * stride + x + 1] = sum[(size_t)y * stride + x + 1] + row;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        uint32_t y0 = y > big ? y - big : 0, y1 = y + big + 1 < h ? y + big + 1 : h;
        uint32_t v0 = y > r ? y - r : 0, v1 = y + r + 1 < h ? y + r + 1 : h;
        for (uint32_t x = 0; x < w; x++) {
            uint32_t x0 = x > big ? x - big : 0, x1 = x + big + 1 < w ? x + big + 1 : w;
            uint32_t u0 = x > r ? x - r : 0, u1 = x + r + 1 < w ? x + r + 1 : w;
            uint64_t s = sum[(size_t)y1 * stride + x1] - sum[(size_t)y0 * stride + x1] -
                         sum[(size_t)y1 * stride + x0] + sum[(size_t)y0 * stride + x0];
            uint64_t n = (uint64_t)(x1 - x0) * (y1 - y0);
            uint64_t t = sum[(size_t)v1 * stride + u1] - sum[(size_t)v0 * stride + u1] -
                         sum[(size_t)v1 * stride + u0] + sum[(size_t)v0 * stride + u0];
            uint64_t m = (uint64_t)(u1 - u0) * (v1 - v0);
            /* t/m + offset < s/n, in integers: (t + offset*m) * n < s * m. Bounds: t, s < 2^34
             * and m, n < 2^26 (window sizes), so the products stay below 2^61. */
            px[(size_t)y * w + x] = (t + offset * m) * n < s * m ? 0 : 255;
        }
    }
    free(sum);
    out->px = px;
    out->width = w;
    out->height = h;
    return HC_OK;
}

/* Halves both sides with a 2x2 box filter (odd last row / column dropped). */
static hc_err
downscale_half(const hc_qr_grey *in, hc_qr_grey *out)
{
    uint32_t w = in->width / 2, h = in->height / 2;
    if (w == 0 || h == 0) {
        return HC_ERR_IMAGE_UNREADABLE;
    }
    uint8_t *px = malloc((size_t)w * h);
    if (px == NULL) {
        return HC_ERR_NOMEM;
    }
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *a = in->px + (size_t)(2 * y) * in->width;
        const uint8_t *b = a + in->width;
        for (uint32_t x = 0; x < w; x++) {
            unsigned s = a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1];
            px[(size_t)y * w + x] = (uint8_t)((s + 2) / 4);
        }
    }
    out->px = px;
    out->width = w;
    out->height = h;
    return HC_OK;
}

static zbar_image_scanner_t *
make_scanner(void)
{
    zbar_image_scanner_t *scanner = zbar_image_scanner_create();
    if (scanner == NULL) {
        return NULL;
    }
    /* Symbology 0 (ZBAR_NONE) addresses all: off, then QR alone on. Fewer decoders is less time
     * and less hostile-input surface (zbar's 1-D decoders have had their own memory bugs). */
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    /* Raw bytes of byte-mode segments, not zbar's charset guess (see the file comment). */
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    /* Not ZBAR_CFG_TEST_INVERTED: zbar 0.23.92's inverted copy (_zbar_image_copy in image.c)
     * works in sizeof(long) steps and reads and writes up to 7 bytes past the end of both planes
     * when width * height is not a multiple of 8 (found by valgrind on the fuzz corpus). We invert
     * ourselves instead, in scan_inverted(). */
    return scanner;
}

/* Light modules on dark ground (a code shown in a dark-mode app): the plane inverted. */
static hc_err
scan_inverted(zbar_image_scanner_t *scanner, const hc_qr_grey *img, char *out, size_t cap,
              size_t *out_len)
{
    size_t n = (size_t)img->width * img->height;
    hc_qr_grey inv = { .px = malloc(n), .width = img->width, .height = img->height };
    if (inv.px == NULL) {
        return HC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        inv.px[i] = (uint8_t)(255 - img->px[i]);
    }
    hc_err err = scan_plane(scanner, &inv, out, cap, out_len);
    free(inv.px);
    return err;
}

/* The binarised rescans of one plane that `retries` enables. */
static hc_err
scan_binarised(zbar_image_scanner_t *scanner, const hc_qr_grey *img, unsigned retries, char *out,
               size_t cap, size_t *out_len)
{
    static const struct {
        unsigned flag;
        uint32_t r;
        unsigned offset;
    } kinds[] = { { HC_QR_RETRY_BINARISE, 0, BIN_OFFSET },
                  { HC_QR_RETRY_SMOOTH, 1, BIN_OFFSET_SMOOTH } };
    hc_err err = HC_ERR_IMAGE_UNREADABLE;

    if ((uint64_t)img->width * img->height > QR_BIN_MAX_PIXELS) {
        return err;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && err == HC_ERR_IMAGE_UNREADABLE; i++) {
        if (!(retries & kinds[i].flag)) {
            continue;
        }
        hc_qr_grey bin;
        err = binarise(img, kinds[i].r, kinds[i].offset, &bin);
        if (err == HC_OK) {
            err = scan_plane(scanner, &bin, out, cap, out_len);
            free(bin.px);
        }
    }
    return err;
}

hc_err
hc_qr_scan_grey(const hc_qr_grey *img, unsigned retries, char *out, size_t cap, size_t *out_len)
{
    zbar_image_scanner_t *scanner = make_scanner();
    if (scanner == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_err err = scan_plane(scanner, img, out, cap, out_len);
    /* Light-on-dark codes are clean screenshots: tried inverted as decoded, not in the rescans. */
    if (err == HC_ERR_IMAGE_UNREADABLE) {
        err = scan_inverted(scanner, img, out, cap, out_len);
    }
    if (err == HC_ERR_IMAGE_UNREADABLE) {
        err = scan_binarised(scanner, img, retries, out, cap, out_len);
    }
    /* The pyramid: each level is made from the one before, which is then freed. */
    hc_qr_grey level = { 0 };
    const hc_qr_grey *src = img;
    while (err == HC_ERR_IMAGE_UNREADABLE && (retries & HC_QR_RETRY_DOWNSCALE) &&
           (src->width > QR_RETRY_MIN_SIDE || src->height > QR_RETRY_MIN_SIDE)) {
        hc_qr_grey next;
        err = downscale_half(src, &next);
        if (err != HC_OK) {
            break;
        }
        free(level.px);
        level = next;
        src = &level;
        err = scan_plane(scanner, &level, out, cap, out_len);
        if (err == HC_ERR_IMAGE_UNREADABLE) {
            err = scan_binarised(scanner, &level, retries, out, cap, out_len);
        }
    }
    free(level.px);
    zbar_image_scanner_destroy(scanner);
    return err;
}

hc_err
hc_qr_decode_image(const uint8_t *data, size_t len, char *out, size_t cap, size_t *out_len)
{
    hc_qr_grey img = { 0 };
    size_t n = 0;
    hc_err err;

    if ((data == NULL && len != 0) || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (cap == 0) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    out[0] = '\0';
    if (len > HC_MAX_IMAGE_BYTES) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (is_png(data, len)) {
        err = hc_qr_png_to_grey(data, len, &img);
    } else if (is_jpeg(data, len)) {
        err = hc_qr_jpeg_to_grey(data, len, &img);
    } else {
        return HC_ERR_IMAGE_UNREADABLE;
    }
    if (err != HC_OK) {
        return err;
    }
    err = hc_qr_scan_grey(&img, HC_QR_RETRY_ALL, out, cap, &n);
    free(img.px);
    if (err != HC_OK) {
        out[0] = '\0';
        return err;
    }
    if (out_len != NULL) {
        *out_len = n;
    }
    return HC_OK;
}
