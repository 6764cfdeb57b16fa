/*
 * png_read.c: a PNG (ISO/IEC 15948:2004) held in memory into an 8-bit grey plane, with libpng.
 *
 * Every colour type and bit depth (1, 2, 4, 8, 16), palettes, tRNS transparency, alpha channels and
 * Adam7 interlacing are normalised by libpng transforms to 8-bit grey, or grey + alpha; alpha is
 * composited onto white here, because a QR code saved with a transparent background (dark modules
 * on alpha = 0) must read as dark on light, whatever colour the transparent pixels carry.
 *
 * libpng reports errors by longjmp. Only png_guarded() calls setjmp, and everything that must
 * survive the jump lives in the caller's png_job: C11 7.13.2.1p3 makes automatic variables of the
 * function that called setjmp, changed after it, indeterminate after the longjmp.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "hc_limits.h"
#include "qr_internal.h"
#include "qr_png.h"

/* Ancillary chunks are not needed to find a QR code and libpng keeps a few of them in memory
 * (text, sPLT); cap the number it stores and the size of any one chunk it allocates. */
#define PNG_CHUNK_CACHE_MAX  64
#define PNG_CHUNK_MALLOC_MAX (1024 * 1024)

typedef struct png_job {
    const uint8_t *data;
    size_t len;
    size_t pos;
    png_structp png;
    png_infop info;
    uint8_t *grey; /* the result, width * height */
    uint8_t *ga;   /* grey + alpha, 2 bytes per pixel, when the image has alpha */
    uint32_t width;
    uint32_t height;
} png_job;

/* libpng read callback: serves bytes from memory; running past the end is a PNG error. */
static void
job_read(png_structp png, png_bytep out, size_t n)
{
    png_job *job = png_get_io_ptr(png);
    if (n > job->len - job->pos) {
        png_error(png, "truncated");
    }
    memcpy(out, job->data + job->pos, n);
    job->pos += n;
}

/* Errors jump back to png_guarded(); nothing is printed (a library does not write to stderr). */
void
hc_qr_png_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

void
hc_qr_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Blends grey + alpha rows onto white: out = g*a/255 + 255*(1 - a/255), rounded. */
static void
composite_on_white(const uint8_t *ga, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned g = ga[2 * i], a = ga[2 * i + 1];
        out[i] = (uint8_t)((g * a + 255u * (255u - a) + 127u) / 255u);
    }
}

/* Everything that can longjmp. Returns HC_OK or a size verdict; libpng errors jump instead. */
static hc_err
png_read_all(png_job *job)
{
    png_structp png = job->png;
    png_infop info = job->info;
    png_uint_32 w, h;
    int depth, colour, interlace;

    png_set_read_fn(png, job, job_read);
    /* libpng's own dimension limit (1,000,000 by default) would turn an oversized header into a
     * generic error; lift it so that the check below gives the stable INPUT_TOO_LARGE. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_chunk_cache_max(png, PNG_CHUNK_CACHE_MAX);
    png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
    /* Skip every chunk but IHDR, PLTE, tRNS, IDAT and IEND (libpng's meaning of a negative
     * count): less code runs on hostile input, and nothing else matters to a QR scanner. */
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);

    png_read_info(png, info);
    if (png_get_IHDR(png, info, &w, &h, &depth, &colour, &interlace, NULL, NULL) == 0) {
        png_error(png, "no IHDR");
    }
    hc_err err = hc_qr_check_dimensions(w, h);
    if (err != HC_OK) {
        return err; /* before any pixel memory is allocated */
    }

    if (colour == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if (png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_set_tRNS_to_alpha(png);
    }
    if (depth == 16) {
        png_set_scale_16(png);
    }
    if (colour & PNG_COLOR_MASK_COLOR) {
        /* error_action 1: convert silently; -1, -1: libpng's default (Rec. 709) weights. */
        png_set_rgb_to_gray_fixed(png, 1, -1, -1);
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_byte channels = png_get_channels(png, info);
    if (png_get_bit_depth(png, info) != 8 || (channels != 1 && channels != 2)) {
        png_error(png, "unexpected transform result");
    }

    size_t npx = (size_t)w * h;
    job->grey = malloc(npx);
    if (job->grey == NULL) {
        return HC_ERR_NOMEM;
    }
    job->width = w;
    job->height = h;
    if (channels == 1) {
        /* Each pass of an interlaced image fills in pixels of rows that already hold the previous
         * passes, so the rows are read in place, pass after pass. */
        for (int p = 0; p < passes; p++) {
            for (png_uint_32 y = 0; y < h; y++) {
                png_read_row(png, job->grey + (size_t)y * w, NULL);
            }
        }
        return HC_OK;
    }

    /* Grey + alpha: a non-interlaced image needs one row at a time, an interlaced one all rows. */
    size_t rows = passes > 1 ? h : 1;
    job->ga = malloc(rows * w * 2);
    if (job->ga == NULL) {
        return HC_ERR_NOMEM;
    }
    for (int p = 0; p < passes; p++) {
        for (png_uint_32 y = 0; y < h; y++) {
            uint8_t *row = job->ga + (rows > 1 ? (size_t)y * w * 2 : 0);
            png_read_row(png, row, NULL);
            if (p == passes - 1) {
                composite_on_white(row, job->grey + (size_t)y * w, w);
            }
        }
    }
    return HC_OK;
}

/* The one function that calls setjmp; it touches no local state after it. */
static hc_err
png_guarded(png_job *job)
{
    if (setjmp(png_jmpbuf(job->png))) {
        return HC_ERR_IMAGE_UNREADABLE;
    }
    return png_read_all(job);
}

hc_err
hc_qr_png_to_grey(const uint8_t *data, size_t len, hc_qr_grey *img)
{
    png_job job = { .data = data, .len = len };

    img->px = NULL;
    img->width = img->height = 0;
    job.png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, hc_qr_png_error, hc_qr_png_warning);
    if (job.png == NULL) {
        return HC_ERR_NOMEM;
    }
    job.info = png_create_info_struct(job.png);
    if (job.info == NULL) {
        png_destroy_read_struct(&job.png, NULL, NULL);
        return HC_ERR_NOMEM;
    }
    hc_err err = png_guarded(&job);
    png_destroy_read_struct(&job.png, &job.info, NULL);
    free(job.ga);
    if (err != HC_OK) {
        free(job.grey);
        return err;
    }
    img->px = job.grey;
    img->width = job.width;
    img->height = job.height;
    return HC_OK;
}
