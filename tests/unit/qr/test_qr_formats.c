/*
 * test_qr_formats.c: the decoder against pictures our encoder never writes.
 *
 * - PNG in every colour type and bit depth (ISO/IEC 15948 table 11.1: grey 1/2/4/8/16, RGB 8/16,
 *   palette 1/2/4/8, grey+alpha 8/16, RGBA 8/16), with tRNS, with a transparent background whose
 *   colour is black (must read as white), interlaced (Adam7) or not.
 * - Light-on-dark codes, rotated codes, two codes in one picture.
 * - Degraded pictures (blur, noise, uneven light, low contrast, rotation, strong JPEG): the
 *   decode rate with and without the rescans of qr_decode.c, printed (docs/qr.md quotes it).
 */
#include "qr_test_util.h"

#define TEXT                                                                                       \
    "HC1:NCFOXN%TS3DHMSCEQVSU9$BJD$45NL-AH-R6IOOW%IHOT$E08WAWN0%W0AT4V22F/8X*G3M9JUPY0BX/KR96R/S0" \
    "9T./0LWTKD33236J3TA3M*4VV2 73-E3ND3DAJ-43%*48YIB73A*G3W19UEBY5:PI0EGSP4*2D$43B+2SEB7:I/2DY73" \
    "CIBC:G 7376BXBJBAJ UNFMJCRN0H3PQN*E33H3OA70M3FMJIJN523S+0B/S7-SN2H N37J3JFTULJ5CB3ZCIATULV:S" \
    "NS8F-67N%21Q21$48X2+36D-I/2DBAJDAJCNB-43SZ4RZ4E%5B/9OK53:UCT16DEZIE IE9.M CVCT1+9V*QERU1MK93" \
    "P5 U02Y9.G9/G9F:QQ28R3U6/V.*NT*QM.SY$N-P1S29 34S0BYBRC.UYS1U%O6QKN*Q5-QFRMLNKNM8JI0EUGP$I/XK" \
    "$M8-L9KDI:ZH2E4UR8 I185JTT3QFWDHK1QV+/UU-OJ1Q 7SP:8M1NWQTP3D/OADSM8BDHBN +0O7WNV7HJS%6G8WJP6" \
    "GDZPXU8GY8U$I%0N%NST0GX-Q/$OMPG"

/* ---- PNG formats ---- */

static void
test_png_colour_types_and_depths(void **state)
{
    (void)state;
    static const qt_png_fmt fmts[] = {
        { PNG_COLOR_TYPE_GRAY, 1, false, false, false },
        { PNG_COLOR_TYPE_GRAY, 2, false, false, false },
        { PNG_COLOR_TYPE_GRAY, 4, false, false, false },
        { PNG_COLOR_TYPE_GRAY, 8, false, false, false },
        { PNG_COLOR_TYPE_GRAY, 16, false, false, false },
        { PNG_COLOR_TYPE_GRAY, 1, false, true, false },
        { PNG_COLOR_TYPE_GRAY, 8, false, true, false },
        { PNG_COLOR_TYPE_GRAY, 16, false, true, false },
        { PNG_COLOR_TYPE_RGB, 8, false, false, false },
        { PNG_COLOR_TYPE_RGB, 16, false, false, false },
        { PNG_COLOR_TYPE_RGB, 8, false, true, false },
        { PNG_COLOR_TYPE_PALETTE, 1, false, false, false },
        { PNG_COLOR_TYPE_PALETTE, 2, false, false, false },
        { PNG_COLOR_TYPE_PALETTE, 4, false, false, false },
        { PNG_COLOR_TYPE_PALETTE, 8, false, false, false },
        { PNG_COLOR_TYPE_PALETTE, 8, false, true, false },
        { PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, false, false },
        { PNG_COLOR_TYPE_GRAY_ALPHA, 16, false, false, false },
        { PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, false, true },
        { PNG_COLOR_TYPE_GRAY_ALPHA, 16, false, false, true },
        { PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false, false },
        { PNG_COLOR_TYPE_RGB_ALPHA, 16, false, false, false },
        { PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false, true },
        { PNG_COLOR_TYPE_RGB_ALPHA, 16, false, false, true },
    };
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    unsigned n = 0;
    for (int interlace = 0; interlace <= 1; interlace++) {
        for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
            qt_png_fmt f = fmts[i];
            f.interlace = interlace;
            size_t len;
            uint8_t *png = qt_png(g.px, g.width, g.height, f, &len);
            /* The plane itself, not only the text: every format gives the same pixels. */
            hc_qr_grey back;
            assert_int_equal(hc_qr_png_to_grey(png, len, &back), HC_OK);
            assert_int_equal(back.width, g.width);
            assert_int_equal(back.height, g.height);
            for (size_t p = 0; p < (size_t)g.width * g.height; p++) {
                if ((back.px[p] < 128) != (g.px[p] < 128)) {
                    fail_msg("format %zu interlace %d: pixel %zu differs", i, interlace, p);
                }
            }
            free(back.px);
            qt_expect_text(png, len, TEXT);
            free(png);
            n++;
        }
    }
    print_message("PNG formats decoded: %u\n", n);
    free(g.px);
}

static void
test_transparent_background(void **state)
{
    (void)state;
    /* Dark modules opaque, the rest alpha 0 with colour black: stripping alpha instead of
     * compositing would give an all-black picture. */
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    qt_png_fmt f = { PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false, true };
    size_t len;
    uint8_t *png = qt_png(g.px, g.width, g.height, f, &len);
    hc_qr_grey back;
    assert_int_equal(hc_qr_png_to_grey(png, len, &back), HC_OK);
    assert_int_equal(back.px[0], 255); /* quiet zone: transparent -> white */
    free(back.px);
    qt_expect_text(png, len, TEXT);
    free(png);
    free(g.px);
}

/* ---- geometry and polarity ---- */

static void
test_inverted(void **state)
{
    (void)state;
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    for (size_t i = 0; i < (size_t)g.width * g.height; i++) {
        g.px[i] = (uint8_t)(255 - g.px[i]);
    }
    size_t len;
    uint8_t *png = qt_grey_png(&g, &len);
    qt_expect_text(png, len, TEXT);
    free(png);
    free(g.px);
}

static void
test_rotations(void **state)
{
    (void)state;
    hc_qr_grey g = qt_qr_plane(TEXT, 4, 4);
    uint32_t n = g.width;
    hc_qr_grey r = { .width = n, .height = n, .px = malloc((size_t)n * n) };
    assert_non_null(r.px);
    for (int turns = 1; turns <= 3; turns++) {
        for (uint32_t y = 0; y < n; y++) {
            for (uint32_t x = 0; x < n; x++) {
                uint32_t sx = x, sy = y;
                for (int t = 0; t < turns; t++) {
                    uint32_t tx = sy, ty = n - 1 - sx;
                    sx = tx;
                    sy = ty;
                }
                r.px[(size_t)y * n + x] = g.px[(size_t)sy * n + sx];
            }
        }
        size_t len;
        uint8_t *png = qt_grey_png(&r, &len);
        qt_expect_text(png, len, TEXT);
        free(png);
    }
    free(r.px);
    free(g.px);
}

static void
test_two_codes(void **state)
{
    (void)state;
    const char *a = "HC1:AAAA", *b = TEXT;
    hc_qr_grey ga = qt_qr_plane(a, 4, 4), gb = qt_qr_plane(b, 4, 4);
    uint32_t h = ga.height > gb.height ? ga.height : gb.height;
    hc_qr_grey both = { .width = ga.width + gb.width, .height = h };
    both.px = malloc((size_t)both.width * h);
    assert_non_null(both.px);
    memset(both.px, 255, (size_t)both.width * h);
    for (uint32_t y = 0; y < ga.height; y++) {
        memcpy(both.px + (size_t)y * both.width, ga.px + (size_t)y * ga.width, ga.width);
    }
    for (uint32_t y = 0; y < gb.height; y++) {
        memcpy(both.px + (size_t)y * both.width + ga.width, gb.px + (size_t)y * gb.width, gb.width);
    }
    size_t len;
    uint8_t *png = qt_grey_png(&both, &len);
    char out[HC_MAX_QR_TEXT + 1];
    size_t n;
    assert_int_equal(hc_qr_decode_image(png, len, out, sizeof out, &n), HC_OK);
    assert_true(strcmp(out, a) == 0 || strcmp(out, b) == 0); /* the first zbar reports */
    free(png);
    free(both.px);
    free(ga.px);
    free(gb.px);
}

/* ---- degraded pictures ---- */

/* sin and cos by their Taylor series (|a| <= 0.7 rad here), so that the test needs no libm, which
 * the module's link line does not carry. */
static void
sin_cos(double a, double *sn, double *cs)
{
    double term = a, s = 0, c = 0, t2 = 1;
    for (int k = 1; k < 24; k += 2) {
        s += term;
        term *= -a * a / ((k + 1) * (k + 2));
    }
    for (int k = 0; k < 24; k += 2) {
        c += t2;
        t2 *= -a * a / ((k + 1) * (k + 2));
    }
    *sn = s;
    *cs = c;
}

static double
absd(double v)
{
    return v < 0 ? -v : v;
}

/* Affine resampling (bilinear): scale s pixels per source pixel, rotation deg, white outside. */
static hc_qr_grey
warp(const hc_qr_grey *in, double s, double deg)
{
    double c, sn;
    sin_cos(deg * 3.14159265358979323846 / 180.0, &sn, &c);
    double w = in->width * s, h = in->height * s;
    uint32_t ow = (uint32_t)(absd(w * c) + absd(h * sn)) + 2;
    uint32_t oh = (uint32_t)(absd(w * sn) + absd(h * c)) + 2;
    hc_qr_grey o = { .width = ow, .height = oh, .px = malloc((size_t)ow * oh) };
    assert_non_null(o.px);
    for (uint32_t y = 0; y < oh; y++) {
        for (uint32_t x = 0; x < ow; x++) {
            double dx = x - ow / 2.0, dy = y - oh / 2.0;
            double sx = (c * dx + sn * dy) / s + in->width / 2.0 - 0.5;
            double sy = (-sn * dx + c * dy) / s + in->height / 2.0 - 0.5;
            double v = 255;
            if (sx >= 0 && sy >= 0 && sx < in->width - 1 && sy < in->height - 1) {
                uint32_t ix = (uint32_t)sx, iy = (uint32_t)sy;
                double fx = sx - ix, fy = sy - iy;
                const uint8_t *p = in->px + (size_t)iy * in->width + ix;
                v = (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) +
                    fy * ((1 - fx) * p[in->width] + fx * p[in->width + 1]);
            }
            o.px[(size_t)y * ow + x] = (uint8_t)(v + 0.5);
        }
    }
    return o;
}

/* Box blur of radius r (running sums), horizontal then vertical; edges use the pixels inside. */
static void
blur(hc_qr_grey *g, int r)
{
    if (r <= 0) {
        return;
    }
    uint32_t w = g->width, h = g->height;
    uint32_t n = w > h ? w : h;
    uint8_t *line = malloc(n);
    assert_non_null(line);
    for (int pass = 0; pass < 2; pass++) {
        uint32_t count = pass == 0 ? h : w, len = pass == 0 ? w : h;
        size_t step = pass == 0 ? 1 : w;
        for (uint32_t i = 0; i < count; i++) {
            uint8_t *p = g->px + (pass == 0 ? (size_t)i * w : i);
            for (uint32_t k = 0; k < len; k++) {
                line[k] = p[k * step];
            }
            unsigned sum = 0, cnt = 0;
            for (uint32_t k = 0; k < len && k <= (uint32_t)r; k++) {
                sum += line[k];
                cnt++;
            }
            for (uint32_t k = 0; k < len; k++) {
                p[k * step] = (uint8_t)(sum / cnt);
                if (k + (uint32_t)r + 1 < len) {
                    sum += line[k + (uint32_t)r + 1];
                    cnt++;
                }
                if (k >= (uint32_t)r) {
                    sum -= line[k - (uint32_t)r];
                    cnt--;
                }
            }
        }
    }
    free(line);
}

/* Contrast lo..hi, light falling off to `shade` of full brightness across the picture, then
 * uniform noise of +-noise. */
static void
light(hc_qr_grey *g, int lo, int hi, double shade, int noise, uint64_t *seed)
{
    for (uint32_t y = 0; y < g->height; y++) {
        for (uint32_t x = 0; x < g->width; x++) {
            double f = 1.0 - (1.0 - shade) * (double)(x + y) / (g->width + g->height);
            double v = lo + (hi - lo) * g->px[(size_t)y * g->width + x] / 255.0;
            v = v * f;
            if (noise > 0) {
                v += (double)(qt_rand(seed) % (uint64_t)(2 * noise + 1)) - noise;
            }
            g->px[(size_t)y * g->width + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

typedef struct degradation {
    const char *name;
    double scale; /* output pixels per module */
    double deg;
    int blur_r;
    int lo, hi;
    double shade;
    int noise;
    int jpeg_q; /* 0: PNG */
} degradation;

static const degradation cases[] = {
    { "photo 10 px/module, blur 2, noise +-40", 10, 0, 2, 20, 235, 0.8, 40, 0 },
    { "photo 16 px/module, blur 4, noise +-60", 16, 0, 4, 20, 235, 0.8, 60, 0 },
    { "photo 24 px/module, blur 6, noise +-20", 24, 0, 6, 20, 235, 0.8, 20, 0 },
    { "2 px/module", 2, 0, 0, 0, 255, 1, 5, 0 },
    { "3 px/module, blurred", 3, 0, 1, 0, 255, 1, 5, 0 },
    { "4 px/module, noise +-60", 4, 0, 0, 0, 255, 1, 60, 0 },
    { "4 px/module, noise +-90", 4, 0, 0, 0, 255, 1, 90, 0 },
    { "rotated 20 deg", 5, 20, 1, 0, 255, 1, 10, 0 },
    { "rotated 30 deg", 5, 30, 1, 0, 255, 1, 10, 0 },
    { "uneven light (to 20%)", 4, 0, 1, 0, 255, 0.20, 10, 0 },
    { "low contrast 110..150, shaded", 4, 0, 1, 110, 150, 0.6, 5, 0 },
    { "low contrast 115..145", 4, 0, 1, 115, 145, 1, 5, 0 },
    { "JPEG quality 10, 3 px/module", 3, 0, 0, 0, 255, 1, 0, 10 },
};

static void
test_degraded_decode_rates(void **state)
{
    (void)state;
    static const unsigned strategies[] = {
        0,
        HC_QR_RETRY_BINARISE,
        HC_QR_RETRY_BINARISE | HC_QR_RETRY_SMOOTH,
        HC_QR_RETRY_DOWNSCALE,
        HC_QR_RETRY_ALL,
    };
    enum { NCASES = sizeof cases / sizeof cases[0], SEEDS = 2, NSTRAT = 5 };
    unsigned hits[NCASES][NSTRAT] = { { 0 } };
    unsigned totals[NSTRAT] = { 0 };
    hc_qr_grey base = qt_qr_plane(TEXT, 1, 4); /* 1 px per module: scale = px/module */

    for (size_t c = 0; c < NCASES; c++) {
        for (uint64_t s = 1; s <= SEEDS; s++) {
            uint64_t seed = 0x9e3779b97f4a7c15ull * (c + 1) + s;
            const degradation *d = &cases[c];
            hc_qr_grey g = warp(&base, d->scale, d->deg + (double)s);
            blur(&g, d->blur_r);
            light(&g, d->lo, d->hi, d->shade, d->noise, &seed);
            if (d->jpeg_q > 0) {
                size_t len;
                uint8_t *jpg =
                    qt_jpeg(g.px, g.width, g.height, d->jpeg_q, false, QT_JPEG_GREY, &len);
                free(g.px);
                assert_int_equal(hc_qr_jpeg_to_grey(jpg, len, &g), HC_OK);
                free(jpg);
            }
            for (size_t k = 0; k < NSTRAT; k++) {
                char out[HC_MAX_QR_TEXT + 1];
                size_t n;
                hc_err err = hc_qr_scan_grey(&g, strategies[k], out, sizeof out, &n);
                if (err == HC_OK) {
                    /* Reed-Solomon makes a wrong text practically impossible. */
                    assert_string_equal(out, TEXT);
                    hits[c][k]++;
                    totals[k]++;
                } else {
                    assert_int_equal(err, HC_ERR_IMAGE_UNREADABLE);
                }
            }
            free(g.px);
        }
    }
    print_message("degraded pictures, %d each; decoded with rescans: none / binarise / "
                  "binarise+smooth / downscale / all\n",
                  SEEDS);
    for (size_t c = 0; c < NCASES; c++) {
        print_message("  %-40s %u / %u / %u / %u / %u\n", cases[c].name, hits[c][0], hits[c][1],
                      hits[c][2], hits[c][3], hits[c][4]);
    }
    print_message("  %-40s %u / %u / %u / %u / %u of %u\n", "total", totals[0], totals[1],
                  totals[2], totals[3], totals[4], (unsigned)(NCASES * SEEDS));
    /* Rescans only run after a failed scan, so they can only add; all of them together must be
     * worth having (measured: about 3x the plain rate on this set). */
    for (size_t k = 1; k < NSTRAT; k++) {
        assert_true(totals[k] >= totals[0]);
        assert_true(totals[NSTRAT - 1] >= totals[k]);
    }
    assert_true(totals[NSTRAT - 1] >= 2 * totals[0]);
    free(base.px);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_colour_types_and_depths),
        cmocka_unit_test(test_transparent_background),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_rotations),
        cmocka_unit_test(test_two_codes),
        cmocka_unit_test(test_degraded_decode_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
