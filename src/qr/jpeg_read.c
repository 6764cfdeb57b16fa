/*
 * jpeg_read.c: a JPEG (ITU-T T.81 / JFIF) held in memory into an 8-bit grey plane, with libjpeg
 * (libjpeg-turbo on Debian).
 *
 * libjpeg's default error manager calls exit() on a fatal error; ours longjmps back to
 * jpeg_guarded(), so corrupt data never ends the process, and prints nothing. Warnings about
 * corrupt entropy data are not fatal: libjpeg repairs what it can and zbar gets to try the
 * picture, as a phone app would. The end of the data before the end of the image (JWRN_JPEG_EOF)
 * is fatal, though: libjpeg would make up the missing rest, so a 200-byte header claiming
 * 6000 x 6000 pixels would cost a 36-megapixel decode and scan; now it costs nothing. A truncated
 * PNG is refused likewise (png_read.c).
 *
 * Only jpeg_guarded() calls setjmp, and all state lives in the caller's jpeg_job (C11 7.13.2.1p3).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t declared first */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
/* after jpeglib.h, which it refers to */
#include <jerror.h>

#include "hc_limits.h"
#include "qr_internal.h"

/* A progressive JPEG may carry any number of scans, and each one makes libjpeg revisit the whole
 * coefficient buffer: a few KiB of scan headers cost seconds of CPU (the "many scans" DoS that
 * libjpeg-turbo's djpeg -maxscans and TurboJPEG's scan limit exist for). Real encoders write
 * about 10 scans (libjpeg's default progressive script), so 256 keeps every real image. */
#define JPEG_MAX_SCANS 256

/* Memory libjpeg may use for its own buffers (progressive coefficient arrays are the big ones: 2
 * bytes per coefficient, up to 4 components at HC_MAX_IMAGE_PIXELS). Past it libjpeg would need a
 * backing store, which this build lacks, and fails cleanly. */
#define JPEG_MAX_MEMORY (384L * 1024 * 1024)

typedef struct jpeg_job {
    struct jpeg_decompress_struct cinfo; /* first member: callbacks get back the job from it */
    struct jpeg_error_mgr err;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    const uint8_t *data;
    size_t len;
    bool created;
    hc_err jump_err; /* what a longjmp means (IMAGE_UNREADABLE unless told otherwise) */
    uint8_t *grey;
    uint8_t *row; /* one CMYK row, when the image is CMYK */
    uint32_t width;
    uint32_t height;
} jpeg_job;

static void
job_error_exit(j_common_ptr cinfo)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo;
    /* JERR_OUT_OF_MEMORY is libjpeg's only "could not check" failure worth telling apart. */
    if (cinfo->err->msg_code == JERR_OUT_OF_MEMORY) {
        job->jump_err = HC_ERR_NOMEM;
    }
    longjmp(job->jump, 1);
}

static void
job_output_message(j_common_ptr cinfo)
{
    (void)cinfo; /* a library does not write to stderr */
}

/* msg_level -1 is a warning (libjpeg's WARNMS); trace messages (>= 0) are ignored. */
static void
job_emit_message(j_common_ptr cinfo, int msg_level)
{
    if (msg_level < 0) {
        cinfo->err->num_warnings++;
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
            longjmp(((jpeg_job *)(void *)cinfo)->jump, 1);
        }
    }
}

static void
job_progress(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        longjmp(((jpeg_job *)(void *)cinfo)->jump, 1);
    }
}

/* Brightness of one CMYK pixel. Adobe's APP14 CMYK (nearly every CMYK JPEG) stores inverted
 * samples, 255 = no ink; without that marker 0 = no ink. Ink c, m, y, k darken R, G, B. */
static uint8_t
cmyk_to_grey(const uint8_t *s, bool adobe)
{
    unsigned c = s[0], m = s[1], y = s[2], k = s[3];
    if (!adobe) {
        c = 255 - c;
        m = 255 - m;
        y = 255 - y;
        k = 255 - k;
    }
    /* R = c*k/255 etc.; Rec. 601 luma weights 299/587/114 (thousandths). */
    unsigned long luma = (299ul * c + 587ul * m + 114ul * y) * k;
    return (uint8_t)((luma + 127500ul) / 255000ul);
}

static hc_err
jpeg_read_all(jpeg_job *job)
{
    j_decompress_ptr cinfo = &job->cinfo;

    jpeg_create_decompress(cinfo);
    job->created = true;
    cinfo->mem->max_memory_to_use = JPEG_MAX_MEMORY;
    job->progress.progress_monitor = job_progress;
    cinfo->progress = &job->progress;
    jpeg_mem_src(cinfo, job->data, (unsigned long)job->len);

    (void)jpeg_read_header(cinfo, TRUE); /* TRUE: a tables-only stream is an error */
    hc_err err = hc_qr_check_dimensions(cinfo->image_width, cinfo->image_height);
    if (err != HC_OK) {
        return err; /* before libjpeg allocates any image buffer */
    }
    bool cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    /* libjpeg converts YCbCr, RGB and grey to grey itself (Y is taken as is); CMYK it cannot. */
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    cinfo->dct_method = JDCT_ISLOW;

    jpeg_start_decompress(cinfo);
    if (cinfo->output_width != cinfo->image_width || cinfo->output_height != cinfo->image_height ||
        cinfo->output_components != (cmyk ? 4 : 1)) {
        longjmp(job->jump, 1); /* not what was asked for; cannot happen with scale 1/1 */
    }
    uint32_t w = cinfo->output_width, h = cinfo->output_height;
    job->grey = malloc((size_t)w * h);
    if (job->grey == NULL) {
        return HC_ERR_NOMEM;
    }
    if (cmyk) {
        job->row = malloc((size_t)w * 4);
        if (job->row == NULL) {
            return HC_ERR_NOMEM;
        }
    }
    job->width = w;
    job->height = h;
    while (cinfo->output_scanline < h) {
        JDIMENSION y = cinfo->output_scanline;
        JSAMPROW dst = cmyk ? job->row : job->grey + (size_t)y * w;
        if (jpeg_read_scanlines(cinfo, &dst, 1) != 1) {
            longjmp(job->jump, 1); /* a memory source never suspends; be safe anyway */
        }
        if (cmyk) {
            for (uint32_t x = 0; x < w; x++) {
                job->grey[(size_t)y * w + x] =
                    cmyk_to_grey(job->row + (size_t)x * 4, cinfo->saw_Adobe_marker);
            }
        }
    }
    /* No jpeg_finish_decompress: what follows the last scan (trailing garbage, a missing EOI)
     * cannot change the pixels; jpeg_destroy_decompress releases everything. */
    return HC_OK;
}

/* The one function that calls setjmp. */
static hc_err
jpeg_guarded(jpeg_job *job)
{
    if (setjmp(job->jump)) {
        return job->jump_err;
    }
    return jpeg_read_all(job);
}

hc_err
hc_qr_jpeg_to_grey(const uint8_t *data, size_t len, hc_qr_grey *img)
{
    img->px = NULL;
    img->width = img->height = 0;
    if (len > (unsigned long)-1) {
        return HC_ERR_INPUT_TOO_LARGE; /* jpeg_mem_src takes an unsigned long length */
    }
    /* On the heap: the job holds a jmp_buf and libjpeg's structures (about 1.5 KiB). */
    jpeg_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        return HC_ERR_NOMEM;
    }
    job->data = data;
    job->len = len;
    job->jump_err = HC_ERR_IMAGE_UNREADABLE;
    job->cinfo.err = jpeg_std_error(&job->err);
    job->err.error_exit = job_error_exit;
    job->err.output_message = job_output_message;
    job->err.emit_message = job_emit_message;

    hc_err err = jpeg_guarded(job);
    if (job->created) {
        jpeg_destroy_decompress(&job->cinfo);
    }
    free(job->row);
    if (err == HC_OK) {
        img->px = job->grey;
        img->width = job->width;
        img->height = job->height;
    } else {
        free(job->grey);
    }
    free(job);
    return err;
}
