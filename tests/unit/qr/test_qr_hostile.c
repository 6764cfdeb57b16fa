/*
 * test_qr_hostile.c: malformed and hostile images. Every one must give a stable error code
 * (IMAGE_UNREADABLE, INPUT_TOO_LARGE, ...) quickly and without crashing; an oversized header
 * must be refused before any pixel memory is allocated (security.md §5).
 */
#include "qr_test_util.h"

#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#define TEXT "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I0V8MSLF$MCF2YC5QBOIV1PIRHRHU8-S"

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Peak resident memory of this process so far (KiB): a refused image must not have allocated its
 * pixels. Memory, not time, is what the tests assert (machines here are noisy). */
static long
peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static hc_err
decode(const uint8_t *data, size_t len)
{
    char out[HC_MAX_QR_TEXT + 1];
    size_t n = 12345;
    hc_err err = hc_qr_decode_image(data, len, out, sizeof out, &n);
    if (err != HC_OK) {
        assert_int_equal(n, 12345); /* out_len untouched on failure */
        assert_int_equal(out[0], '\0');
    }
    return err;
}

static uint8_t *
valid_png(size_t *len)
{
    uint8_t *png;
    assert_int_equal(hc_qr_png_bytes(TEXT, NULL, &png, len), HC_OK);
    return png;
}

/* ---- trivial inputs ---- */

static void
test_empty_and_not_images(void **state)
{
    (void)state;
    assert_int_equal(decode(NULL, 0), HC_ERR_IMAGE_UNREADABLE);
    static const uint8_t one = 0x89;
    assert_int_equal(decode(&one, 0), HC_ERR_IMAGE_UNREADABLE);
    assert_int_equal(decode(&one, 1), HC_ERR_IMAGE_UNREADABLE);
    assert_int_equal(decode((const uint8_t *)TEXT, strlen(TEXT)), HC_ERR_IMAGE_UNREADABLE);
    static const uint8_t gif[] = "GIF89a\x01\x00\x01\x00";
    assert_int_equal(decode(gif, sizeof gif - 1), HC_ERR_IMAGE_UNREADABLE);
    /* The magic numbers alone, and one byte short of them. */
    static const uint8_t png_magic[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
    static const uint8_t jpeg_magic[] = { 0xff, 0xd8, 0xff };
    assert_int_equal(decode(png_magic, 8), HC_ERR_IMAGE_UNREADABLE);
    assert_int_equal(decode(png_magic, 7), HC_ERR_IMAGE_UNREADABLE);
    assert_int_equal(decode(jpeg_magic, 3), HC_ERR_IMAGE_UNREADABLE);
    assert_int_equal(decode(jpeg_magic, 2), HC_ERR_IMAGE_UNREADABLE);

    assert_true(hc_qr_is_image(png_magic, 8));
    assert_false(hc_qr_is_image(png_magic, 7));
    assert_true(hc_qr_is_image(jpeg_magic, 3));
    assert_false(hc_qr_is_image(jpeg_magic, 2));
    assert_false(hc_qr_is_image(NULL, 0));
    assert_false(hc_qr_is_image((const uint8_t *)TEXT, strlen(TEXT)));
}

static void
test_api_misuse(void **state)
{
    (void)state;
    size_t len;
    uint8_t *png = valid_png(&len);
    char out[HC_MAX_QR_TEXT + 1];
    size_t n = 0;
    assert_int_equal(hc_qr_decode_image(png, len, NULL, 10, &n), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_decode_image(NULL, 10, out, sizeof out, &n), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_decode_image(png, len, out, 0, &n), HC_ERR_BUFFER_TOO_SMALL);
    /* The text has strlen(TEXT) bytes and needs one more for the NUL. */
    assert_int_equal(hc_qr_decode_image(png, len, out, strlen(TEXT), &n), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(out[0], '\0');
    assert_int_equal(hc_qr_decode_image(png, len, out, strlen(TEXT) + 1, &n), HC_OK);
    assert_int_equal(n, strlen(TEXT));
    assert_string_equal(out, TEXT);
    /* out_len may be NULL. */
    assert_int_equal(hc_qr_decode_image(png, len, out, sizeof out, NULL), HC_OK);
    free(png);
}

/* ---- size bounds ---- */

/* Appends one PNG chunk with its CRC (ISO/IEC 15948 §5.3). */
static void
put_chunk(qt_buf *b, const char *type, const uint8_t *data, uint32_t n)
{
    uint8_t hdr[8] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
    memcpy(hdr + 4, type, 4);
    qt_buf_put(b, hdr, 8);
    if (n > 0) {
        qt_buf_put(b, data, n);
    }
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (n > 0) {
        crc = crc32(crc, data, n);
    }
    uint8_t c[4] = { (uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
                     (uint8_t)crc };
    qt_buf_put(b, c, 4);
}

/* A PNG whose header claims w x h (8-bit grey), with a small IDAT of zero rows. */
static uint8_t *
png_with_header(uint32_t w, uint32_t h, int depth, int colour, size_t *len)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
    qt_buf b = { 0 };
    qt_buf_put(&b, sig, 8);
    uint8_t ihdr[13] = { (uint8_t)(w >> 24),
                         (uint8_t)(w >> 16),
                         (uint8_t)(w >> 8),
                         (uint8_t)w,
                         (uint8_t)(h >> 24),
                         (uint8_t)(h >> 16),
                         (uint8_t)(h >> 8),
                         (uint8_t)h,
                         (uint8_t)depth,
                         (uint8_t)colour,
                         0,
                         0,
                         0 };
    put_chunk(&b, "IHDR", ihdr, 13);
    /* Some compressed zero bytes: a few rows' worth, far from the whole image. */
    uint8_t zeros[4096] = { 0 }, z[256];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, zeros, sizeof zeros), Z_OK);
    put_chunk(&b, "IDAT", z, (uint32_t)zl);
    put_chunk(&b, "IEND", NULL, 0);
    *len = b.len;
    return b.data;
}

static void
test_png_header_too_large(void **state)
{
    (void)state;
    static const struct {
        uint32_t w, h;
    } sizes[] = {
        { 100000, 100000 }, /* 10^10 pixels: 10 GB if allocated */
        { 0x7fffffff, 1 },  /* PNG's largest width */
        { 1, 0x7fffffff },  /* ... and height */
        { 0x7fffffff, 0x7fffffff },
        { 6325, 6325 }, /* 40,005,625: just past HC_MAX_IMAGE_PIXELS */
        { 40000001, 1 },
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t len;
        uint8_t *png = png_with_header(sizes[i].w, sizes[i].h, 8, 0, &len);
        long rss0 = peak_rss_kib();
        assert_int_equal(decode(png, len), HC_ERR_INPUT_TOO_LARGE);
        /* Refused from the header: the peak memory did not grow by the image (>= 40 MB). */
        assert_true(peak_rss_kib() - rss0 < 16 * 1024);
        free(png);
    }
    /* Exactly at the bound is accepted (and then fails on the missing image data). */
    size_t len;
    uint8_t *png = png_with_header(8000, 5000, 8, 0, &len);
    assert_int_equal(decode(png, len), HC_ERR_IMAGE_UNREADABLE);
    free(png);
    /* Zero width: invalid PNG. */
    png = png_with_header(0, 10, 8, 0, &len);
    assert_int_equal(decode(png, len), HC_ERR_IMAGE_UNREADABLE);
    free(png);
    /* Invalid bit depth / colour type combinations. */
    png = png_with_header(10, 10, 3, 0, &len);
    assert_int_equal(decode(png, len), HC_ERR_IMAGE_UNREADABLE);
    free(png);
    png = png_with_header(10, 10, 8, 5, &len);
    assert_int_equal(decode(png, len), HC_ERR_IMAGE_UNREADABLE);
    free(png);
}

static void
test_input_bytes_too_large(void **state)
{
    (void)state;
    size_t n = (size_t)HC_MAX_IMAGE_BYTES + 1;
    uint8_t *big = calloc(n, 1);
    assert_non_null(big);
    size_t len;
    uint8_t *png = valid_png(&len);
    memcpy(big, png, len); /* a valid image followed by zeros: refused by size alone */
    free(png);
    assert_int_equal(decode(big, n), HC_ERR_INPUT_TOO_LARGE);
    assert_int_equal(decode(big, n - 1), HC_OK); /* trailing bytes after IEND are ignored */
    free(big);
}

/* The SOF0 marker of a baseline JPEG, to patch its dimensions. */
static size_t
find_sof(const uint8_t *j, size_t len)
{
    for (size_t i = 2; i + 9 < len; i++) {
        if (j[i] == 0xff && (j[i + 1] == 0xc0 || j[i + 1] == 0xc2)) {
            return i;
        }
    }
    fail_msg("no SOF marker");
    return 0;
}

static void
test_jpeg_header_too_large(void **state)
{
    (void)state;
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    size_t len;
    uint8_t *jpg = qt_jpeg(g.px, g.width, g.height, 85, false, QT_JPEG_GREY, &len);
    free(g.px);
    qt_expect_text(jpg, len, TEXT);
    size_t sof = find_sof(jpg, len);
    /* SOFn: FF Cn, length (2), precision (1), height (2), width (2). */
    static const uint16_t dims[][2] = { { 65500, 65500 }, { 6325, 6325 }, { 65500, 1000 } };
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        uint8_t *p = malloc(len);
        assert_non_null(p);
        memcpy(p, jpg, len);
        p[sof + 5] = (uint8_t)(dims[i][1] >> 8);
        p[sof + 6] = (uint8_t)dims[i][1];
        p[sof + 7] = (uint8_t)(dims[i][0] >> 8);
        p[sof + 8] = (uint8_t)dims[i][0];
        long rss0 = peak_rss_kib();
        assert_int_equal(decode(p, len), HC_ERR_INPUT_TOO_LARGE);
        assert_true(peak_rss_kib() - rss0 < 16 * 1024); /* refused before any pixel buffer */
        free(p);
    }
    /* A header claiming 6000 x 6000 (within the bound) with no entropy data at all: libjpeg would
     * invent 36 megapixels of grey; the premature end is refused at once instead. */
    size_t sos = 0;
    for (size_t i = sof; i + 4 < len; i++) {
        if (jpg[i] == 0xff && jpg[i + 1] == 0xda) {
            sos = i;
            break;
        }
    }
    assert_true(sos > 0);
    size_t cut = sos + 2 + ((size_t)jpg[sos + 2] << 8 | jpg[sos + 3]);
    uint8_t *hdr = malloc(cut);
    assert_non_null(hdr);
    memcpy(hdr, jpg, cut);
    hdr[sof + 5] = hdr[sof + 7] = (uint8_t)(6000 >> 8);
    hdr[sof + 6] = hdr[sof + 8] = (uint8_t)(6000 & 0xff);
    assert_int_equal(decode(hdr, cut), HC_ERR_IMAGE_UNREADABLE);
    free(hdr);

    /* Height 0 (a DNL-defined height, which libjpeg does not support): unreadable. */
    uint8_t *p = malloc(len);
    assert_non_null(p);
    memcpy(p, jpg, len);
    p[sof + 5] = p[sof + 6] = 0;
    assert_int_equal(decode(p, len), HC_ERR_IMAGE_UNREADABLE);
    /* Past libjpeg's own JPEG_MAX_DIMENSION (65500): libjpeg refuses it in the header. */
    memcpy(p, jpg, len);
    p[sof + 7] = p[sof + 8] = 0xff;
    assert_int_equal(decode(p, len), HC_ERR_IMAGE_UNREADABLE);
    free(p);
    free(jpg);
}

/* ---- truncation and corruption ---- */

/* Offset just past the last IDAT chunk (its CRC included). */
static size_t
end_of_idat(const uint8_t *png, size_t len)
{
    size_t pos = 8, end = 0;
    while (pos + 12 <= len) {
        uint32_t n = (uint32_t)png[pos] << 24 | (uint32_t)png[pos + 1] << 16 |
                     (uint32_t)png[pos + 2] << 8 | png[pos + 3];
        if (memcmp(png + pos + 4, "IDAT", 4) == 0) {
            end = pos + 12 + n;
        }
        pos += 12 + (size_t)n;
    }
    return end;
}

static void
test_truncated_png(void **state)
{
    (void)state;
    size_t len;
    uint8_t *png = valid_png(&len);
    size_t idat_end = end_of_idat(png, len);
    assert_true(idat_end > 0 && idat_end < len);
    unsigned unreadable = 0, ok = 0;
    for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 7) {
        uint8_t *p = malloc(cut + 1); /* a separate buffer: ASan sees any over-read */
        assert_non_null(p);
        memcpy(p, png, cut);
        hc_err err = decode(p, cut);
        free(p);
        if (cut < idat_end) {
            assert_int_equal(err, HC_ERR_IMAGE_UNREADABLE);
            unreadable++;
        } else {
            /* Only IEND missing: all pixels are there. */
            assert_int_equal(err, HC_OK);
            ok++;
        }
    }
    print_message("truncated PNG (%zu bytes): %u cuts unreadable, %u cuts after IDAT decoded\n",
                  len, unreadable, ok);
    free(png);
}

static void
test_corrupt_png(void **state)
{
    (void)state;
    size_t len;
    uint8_t *png = valid_png(&len);
    uint64_t seed = 42;
    unsigned counts[2] = { 0 };
    for (int i = 0; i < 300; i++) {
        uint8_t *p = malloc(len);
        assert_non_null(p);
        memcpy(p, png, len);
        /* Flip 1..4 bytes anywhere after the signature. */
        int flips = 1 + (int)(qt_rand(&seed) % 4);
        for (int f = 0; f < flips; f++) {
            p[8 + qt_rand(&seed) % (len - 8)] ^= (uint8_t)(1 + qt_rand(&seed) % 255);
        }
        char out[HC_MAX_QR_TEXT + 1];
        size_t n;
        hc_err err = hc_qr_decode_image(p, len, out, sizeof out, &n);
        /* CRCs catch every change inside a chunk; a changed length field desynchronises the
         * chunk stream. Only a flip in IEND's CRC or after IDAT's end might go unnoticed. */
        if (err == HC_OK) {
            assert_string_equal(out, TEXT);
            counts[0]++;
        } else {
            assert_int_equal(err, HC_ERR_IMAGE_UNREADABLE);
            counts[1]++;
        }
        free(p);
    }
    print_message("corrupt PNG: %u still decoded (to the right text), %u unreadable\n", counts[0],
                  counts[1]);
    free(png);
}

static void
test_random_with_magic(void **state)
{
    (void)state;
    static const uint8_t png_magic[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
    static const uint8_t jpeg_magic[] = { 0xff, 0xd8, 0xff };
    uint64_t seed = 7;
    for (int i = 0; i < 400; i++) {
        size_t len = 1 + qt_rand(&seed) % 4096;
        uint8_t *p = malloc(len + 8);
        assert_non_null(p);
        for (size_t k = 0; k < len + 8; k++) {
            p[k] = (uint8_t)qt_rand(&seed);
        }
        if (i % 2 == 0) {
            memcpy(p, png_magic, 8);
        } else {
            memcpy(p, jpeg_magic, 3);
        }
        assert_int_equal(decode(p, len + 8), HC_ERR_IMAGE_UNREADABLE);
        free(p);
    }
}

static void
test_truncated_and_corrupt_jpeg(void **state)
{
    (void)state;
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    size_t len;
    uint8_t *jpg = qt_jpeg(g.px, g.width, g.height, 85, false, QT_JPEG_GREY, &len);
    uint8_t *prog = NULL;
    size_t plen;
    prog = qt_jpeg(g.px, g.width, g.height, 85, true, QT_JPEG_RGB, &plen);
    free(g.px);
    const uint8_t *imgs[2] = { jpg, prog };
    size_t lens[2] = { len, plen };
    unsigned ok = 0, unreadable = 0;
    for (int k = 0; k < 2; k++) {
        for (size_t cut = 0; cut < lens[k]; cut += cut < 700 ? 13 : 97) {
            uint8_t *p = malloc(cut + 1);
            assert_non_null(p);
            memcpy(p, imgs[k], cut);
            char out[HC_MAX_QR_TEXT + 1];
            size_t n;
            hc_err err = hc_qr_decode_image(p, cut, out, sizeof out, &n);
            if (err == HC_OK) {
                assert_string_equal(out, TEXT); /* libjpeg fills the missing end with grey */
                ok++;
            } else {
                assert_int_equal(err, HC_ERR_IMAGE_UNREADABLE);
                unreadable++;
            }
            free(p);
        }
    }
    print_message("truncated JPEG: %u cuts unreadable, %u still decoded\n", unreadable, ok);

    uint64_t seed = 99;
    ok = unreadable = 0;
    for (int i = 0; i < 300; i++) {
        int k = i % 2;
        uint8_t *p = malloc(lens[k]);
        assert_non_null(p);
        memcpy(p, imgs[k], lens[k]);
        int flips = 1 + (int)(qt_rand(&seed) % 8);
        for (int f = 0; f < flips; f++) {
            p[3 + qt_rand(&seed) % (lens[k] - 3)] = (uint8_t)qt_rand(&seed);
        }
        char out[HC_MAX_QR_TEXT + 1];
        size_t n;
        hc_err err = hc_qr_decode_image(p, lens[k], out, sizeof out, &n);
        if (err == HC_OK) {
            assert_string_equal(out, TEXT); /* Reed-Solomon repairs or refuses, never lies */
            ok++;
        } else {
            assert_true(err == HC_ERR_IMAGE_UNREADABLE || err == HC_ERR_INPUT_TOO_LARGE);
            unreadable++;
        }
        free(p);
    }
    print_message("corrupt JPEG: %u unreadable, %u still decoded\n", unreadable, ok);
    free(jpg);
    free(prog);
}

/* ---- resource use ---- */

/* A progressive JPEG whose scan script has one scan per coefficient and bit plane. */
static uint8_t *
jpeg_many_scans(const hc_qr_grey *g, int al, int *nscans, size_t *len)
{
    static jpeg_scan_info scans[64 * 16];
    int n = 0;
    scans[n++] = (jpeg_scan_info){ 1, { 0 }, 0, 0, 0, 0 };
    for (int k = 1; k < 64; k++) {
        scans[n++] = (jpeg_scan_info){ 1, { 0 }, k, k, 0, al };
        for (int a = al; a > 0; a--) {
            scans[n++] = (jpeg_scan_info){ 1, { 0 }, k, k, a, a - 1 };
        }
    }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *mem = NULL;
    unsigned long mem_len = 0;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &mem_len);
    c.image_width = g->width;
    c.image_height = g->height;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    c.scan_info = scans;
    c.num_scans = n;
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < g->height) {
        JSAMPROW r = g->px + (size_t)c.next_scanline * g->width;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *nscans = n;
    *len = mem_len;
    return mem;
}

static void
test_jpeg_scan_limit(void **state)
{
    (void)state;
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    int n;
    size_t len;
    /* 64 scans (one per coefficient): a legitimate, if unusual, picture. */
    uint8_t *jpg = jpeg_many_scans(&g, 0, &n, &len);
    assert_int_equal(n, 64);
    qt_expect_text(jpg, len, TEXT);
    free(jpg);
    /* 316 scans: past the limit of 256, refused. */
    jpg = jpeg_many_scans(&g, 4, &n, &len);
    assert_int_equal(n, 316);
    assert_int_equal(decode(jpg, len), HC_ERR_IMAGE_UNREADABLE);
    free(jpg);
    free(g.px);
}

static void
test_blank_and_noise_pictures(void **state)
{
    (void)state;
    /* Large pictures without a code: unreadable, in bounded time (the rescans run). */
    uint64_t seed = 3;
    static const struct {
        uint32_t w, h;
        int kind;
    } pics[] = { { 1, 1, 0 }, { 3, 2, 1 }, { 2000, 1500, 0 }, { 1200, 900, 1 }, { 64, 4000, 1 } };
    for (size_t i = 0; i < sizeof pics / sizeof pics[0]; i++) {
        hc_qr_grey g = { .width = pics[i].w, .height = pics[i].h };
        g.px = malloc((size_t)g.width * g.height);
        assert_non_null(g.px);
        for (size_t k = 0; k < (size_t)g.width * g.height; k++) {
            g.px[k] = pics[i].kind == 0 ? 255 : (uint8_t)qt_rand(&seed);
        }
        size_t len;
        uint8_t *png = qt_grey_png(&g, &len);
        double t0 = now();
        assert_int_equal(decode(png, len), HC_ERR_IMAGE_UNREADABLE);
        print_message("%ux%u %s: unreadable in %.2f s\n", g.width, g.height,
                      pics[i].kind == 0 ? "blank" : "noise", now() - t0);
        free(png);
        free(g.px);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_not_images),
        cmocka_unit_test(test_api_misuse),
        cmocka_unit_test(test_png_header_too_large),
        cmocka_unit_test(test_input_bytes_too_large),
        cmocka_unit_test(test_jpeg_header_too_large),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_corrupt_png),
        cmocka_unit_test(test_random_with_magic),
        cmocka_unit_test(test_truncated_and_corrupt_jpeg),
        cmocka_unit_test(test_jpeg_scan_limit),
        cmocka_unit_test(test_blank_and_noise_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
