/*
 * test_qr_roundtrip.c: encode -> image -> decode, for HC1 texts of the dgc-testdata corpus.
 *
 * - PNG (our writer) at every ECC level and several module sizes; the PNG is 1-bit greyscale.
 * - Alphanumeric mode (HCERT §4.2 MUST): the QR version chosen must be the smallest whose
 *   alphanumeric capacity (from ISO/IEC 18004:2015 table 9 data codewords) holds the text; the
 *   longest corpus text (1093 characters) fits version 26-Q (1094) only in that mode.
 * - JPEG: our PNG's pixels written as JPEG with libjpeg at quality 85 (grey, colour, progressive,
 *   Adobe CMYK), then decoded.
 * - SVG: written, checked structurally, rasterised from its own path data (or by rsvg-convert
 *   when installed) and decoded; the raster must equal the PNG writer's pixels.
 * - Texts outside the alphanumeric set (byte mode) and raw bytes (NUL, ISO-8859-1) come back as
 *   the exact bytes (zbar's ZBAR_CFG_BINARY).
 */
#include "qr_test_util.h"

#include <qrencode.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ISO/IEC 18004:2015 table 9: data codewords at ECC level Q, versions 1..40. */
static const int data_codewords_q[41] = {
    0,   13,  22,  34,   48,   62,   76,   88,   110,  132,  154,  180,  206,  244,
    261, 295, 325, 367,  397,  445,  485,  512,  568,  614,  664,  718,  754,  808,
    871, 911, 985, 1033, 1115, 1171, 1231, 1286, 1354, 1426, 1502, 1582, 1666,
};

/* Alphanumeric characters version v-Q holds: mode (4 bits) + count (9/11/13 bits, ISO/IEC 18004
 * table 3) + 11 bits per pair + 6 for an odd one. */
static size_t
alnum_capacity_q(int v)
{
    int bits = data_codewords_q[v] * 8 - 4 - (v <= 9 ? 9 : v <= 26 ? 11 : 13);
    size_t n = (size_t)(bits / 11) * 2;
    if (bits % 11 >= 6) {
        n++;
    }
    return n;
}

static int
min_alnum_version_q(size_t len)
{
    for (int v = 1; v <= 40; v++) {
        if (alnum_capacity_q(v) >= len) {
            return v;
        }
    }
    return -1;
}

/* ---- the sample texts ---- */

typedef struct texts {
    char **t;
    size_t n;
    size_t cap;
} texts;

static void
collect(const char *relpath, void *arg)
{
    texts *s = arg;
    if (!qt_ends_with_ci(relpath, ".json")) {
        return;
    }
    json_t *j = hc_test_load_json(relpath);
    const char *p = json_string_value(json_object_get(j, "PREFIX"));
    if (p != NULL && strncmp(p, "HC1:", 4) == 0 && strlen(p) <= HC_MAX_QR_TEXT) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->t = realloc(s->t, s->cap * sizeof *s->t);
            assert_non_null(s->t);
        }
        s->t[s->n] = strdup(p);
        assert_non_null(s->t[s->n]);
        s->n++;
    }
    json_decref(j);
}

static int
by_length(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? -1 : la > lb ? 1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* SAMPLES texts spread evenly over the corpus lengths, shortest and longest included. */
#define SAMPLES 9
static const char *sample[SAMPLES];
static texts corpus;

static int
setup(void **state)
{
    (void)state;
    qt_walk("eu-dcc/dgc-testdata", collect, &corpus);
    if (corpus.n < SAMPLES) {
        return -1;
    }
    qsort(corpus.t, corpus.n, sizeof *corpus.t, by_length);
    for (size_t i = 0; i < SAMPLES; i++) {
        sample[i] = corpus.t[i * (corpus.n - 1) / (SAMPLES - 1)];
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < corpus.n; i++) {
        free(corpus.t[i]);
    }
    free(corpus.t);
    return 0;
}

/* ---- PNG ---- */

static void
png_roundtrip(const char *text, hc_qr_options o)
{
    uint8_t *png;
    size_t len;
    assert_int_equal(hc_qr_png_bytes(text, &o, &png, &len), HC_OK);
    qt_expect_text(png, len, text);
    free(png);
}

static void
test_png_roundtrip(void **state)
{
    (void)state;
    hc_qr_options o = hc_qr_default_options();
    for (size_t i = 0; i < SAMPLES; i++) {
        png_roundtrip(sample[i], o);
    }
    print_message("PNG round trips: %d texts of %zu..%zu characters\n", SAMPLES, strlen(sample[0]),
                  strlen(sample[SAMPLES - 1]));
}

static void
test_png_ecc_levels_and_sizes(void **state)
{
    (void)state;
    const char *longest = sample[SAMPLES - 1];
    for (int ec = 0; ec <= 3; ec++) {
        hc_qr_options o = hc_qr_default_options();
        o.ec_level = ec;
        png_roundtrip(longest, o);
    }
    /* 2 px per module and a 1-module quiet zone still scan; 1 px per module is too fine for
     * zbar at this version, which is why the default is 6. */
    for (int px = 2; px <= 8; px += 3) {
        hc_qr_options o = hc_qr_default_options();
        o.module_px = px;
        png_roundtrip(longest, o);
    }
    hc_qr_options o = hc_qr_default_options();
    o.quiet_modules = 1;
    png_roundtrip(sample[0], o);
}

static void
test_png_format(void **state)
{
    (void)state;
    hc_qr_options o = hc_qr_default_options();
    uint8_t *png;
    size_t len;
    assert_int_equal(hc_qr_png_bytes(sample[0], &o, &png, &len), HC_OK);
    /* Signature, IHDR length 13, "IHDR", width, height, bit depth 1, colour type 0 (grey). */
    assert_true(len > 33);
    assert_true(hc_qr_is_image(png, len));
    assert_memory_equal(png + 12, "IHDR", 4);
    uint32_t w =
        (uint32_t)png[16] << 24 | (uint32_t)png[17] << 16 | (uint32_t)png[18] << 8 | png[19];
    uint32_t h =
        (uint32_t)png[20] << 24 | (uint32_t)png[21] << 16 | (uint32_t)png[22] << 8 | png[23];
    assert_int_equal(w, h);
    assert_int_equal(png[24], 1);
    assert_int_equal(png[25], 0);
    /* Whole modules: side = (17 + 4 v + 2 * quiet) * px. */
    assert_int_equal(w % (uint32_t)o.module_px, 0);
    uint32_t modules = w / (uint32_t)o.module_px - 2 * (uint32_t)o.quiet_modules;
    assert_int_equal((modules - 17) % 4, 0);
    /* Every pixel is black or white, and the quiet zone is white. */
    hc_qr_grey g;
    assert_int_equal(hc_qr_png_to_grey(png, len, &g), HC_OK);
    for (size_t i = 0; i < (size_t)g.width * g.height; i++) {
        assert_true(g.px[i] == 0 || g.px[i] == 255);
    }
    for (uint32_t i = 0; i < (uint32_t)(o.quiet_modules * o.module_px); i++) {
        assert_int_equal(g.px[i], 255);
        assert_int_equal(g.px[(size_t)i * g.width], 255);
    }
    print_message("PNG of %zu characters: %u x %u px, %zu bytes\n", strlen(sample[0]), w, h, len);
    free(g.px);
    free(png);
}

/* ---- alphanumeric mode ---- */

static int
our_version(const char *text, int ec)
{
    hc_qr_options o = hc_qr_default_options();
    o.module_px = 1;
    o.quiet_modules = 0;
    o.ec_level = ec;
    uint8_t *png;
    size_t len;
    assert_int_equal(hc_qr_png_bytes(text, &o, &png, &len), HC_OK);
    uint32_t w =
        (uint32_t)png[16] << 24 | (uint32_t)png[17] << 16 | (uint32_t)png[18] << 8 | png[19];
    free(png);
    return (int)(w - 17) / 4;
}

static void
test_alphanumeric_mode(void **state)
{
    (void)state;
    /* The capacity table itself: ISO/IEC 18004:2015 table 7 values at Q. */
    assert_int_equal(alnum_capacity_q(1), 16);
    assert_int_equal(alnum_capacity_q(10), 221);
    assert_int_equal(alnum_capacity_q(26), 1094);
    assert_int_equal(alnum_capacity_q(40), 2420);

    /* Every corpus text: our version is the smallest alphanumeric one, and libqrencode's mode
     * optimiser (free to mix in numeric segments) never gets a smaller symbol. */
    unsigned optimiser_smaller = 0;
    for (size_t i = 0; i < corpus.n; i++) {
        const char *t = corpus.t[i];
        int ours = our_version(t, 2);
        assert_int_equal(ours, min_alnum_version_q(strlen(t)));
        QRcode *o = QRcode_encodeString(t, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
        assert_non_null(o);
        optimiser_smaller += o->version < ours;
        QRcode_free(o);
    }
    print_message("%zu corpus texts: version = smallest alphanumeric fit for all; libqrencode's "
                  "optimiser smaller for %u\n",
                  corpus.n, optimiser_smaller);
    assert_int_equal(optimiser_smaller, 0);
    const char *longest = sample[SAMPLES - 1];
    int v = our_version(longest, 2);
    assert_int_equal(v, 26);
    /* The same text in byte mode needs a larger symbol (8 bits per character, not 5.5). */
    QRcode *bytes = QRcode_encodeString8bit(longest, 0, QR_ECLEVEL_Q);
    assert_non_null(bytes);
    assert_true(bytes->version > v);
    /* libqrencode's own mode optimiser (hint QR_MODE_8, case-sensitive) reaches the same
     * version for a Base45 text: one alphanumeric segment is as small as it gets. */
    QRcode *opt = QRcode_encodeString(longest, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    assert_non_null(opt);
    print_message("%zu characters at Q: ours version %d (alphanumeric capacity %zu), "
                  "libqrencode optimiser %d, byte mode %d\n",
                  strlen(longest), v, alnum_capacity_q(v), opt->version, bytes->version);
    assert_int_equal(opt->version, v);
    QRcode_free(bytes);
    QRcode_free(opt);
}

/* ---- other texts and raw bytes ---- */

static void
test_byte_mode_texts(void **state)
{
    (void)state;
    hc_qr_options o = hc_qr_default_options();
    png_roundtrip("https://example.org/verify?id=abc&x=1", o);
    png_roundtrip("shc:/56762909524320603460292437404460312229595326546034602925", o);
    png_roundtrip("lower case and UPPER, mixed: 12345678901234567890", o);
    /* UTF-8 stays UTF-8: bytes in, the same bytes out. */
    png_roundtrip("Zo\xc3\xab M\xc3\xbcller, \xe6\x9d\xb1\xe4\xba\xac", o);
    /* A single character, and the alphanumeric set's punctuation. */
    png_roundtrip("A", o);
    png_roundtrip(" $%*+-./:", o);
}

static void
binary_roundtrip(const unsigned char *data, int n)
{
    QRcode *qr = QRcode_encodeData(n, data, 0, QR_ECLEVEL_Q);
    assert_non_null(qr);
    hc_qr_grey g = qt_matrix_plane(qr->data, qr->width, 5, 4);
    QRcode_free(qr);
    size_t len;
    uint8_t *png = qt_grey_png(&g, &len);
    free(g.px);
    char out[512];
    size_t out_len = 0;
    assert_int_equal(hc_qr_decode_image(png, len, out, sizeof out, &out_len), HC_OK);
    assert_int_equal(out_len, (size_t)n);
    assert_memory_equal(out, data, (size_t)n);
    assert_int_equal(out[n], '\0');
    free(png);
}

static void
test_binary_payload(void **state)
{
    (void)state;
    /* NUL bytes inside: out_len counts them, out holds them. */
    static const unsigned char with_nul[] = { 'H', 'C', '1', 0, ':', 0, 0, 'x', 0xff, 0 };
    binary_roundtrip(with_nul, (int)sizeof with_nul);
    /* ISO-8859-1 "Zoë": without ZBAR_CFG_BINARY zbar would return UTF-8 "Zo\xc3\xab". */
    static const unsigned char latin1[] = { 'Z', 'o', 0xeb };
    binary_roundtrip(latin1, (int)sizeof latin1);
    /* Every byte value. */
    unsigned char all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (unsigned char)i;
    }
    binary_roundtrip(all, 256);
}

/* ---- JPEG ---- */

static void
test_jpeg_roundtrip(void **state)
{
    (void)state;
    static const struct {
        qt_jpeg_kind kind;
        bool progressive;
        const char *name;
    } kinds[] = {
        { QT_JPEG_GREY, false, "grey" },
        { QT_JPEG_RGB, false, "colour" },
        { QT_JPEG_RGB, true, "colour progressive" },
        { QT_JPEG_GREY, true, "grey progressive" },
        { QT_JPEG_CMYK_ADOBE, false, "Adobe CMYK" },
    };
    unsigned ok = 0, total = 0;
    for (size_t i = 0; i < SAMPLES; i += 2) {
        hc_qr_grey g = qt_qr_plane(sample[i], 6, 4);
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            size_t len;
            uint8_t *jpg =
                qt_jpeg(g.px, g.width, g.height, 85, kinds[k].progressive, kinds[k].kind, &len);
            assert_true(hc_qr_is_image(jpg, len));
            qt_expect_text(jpg, len, sample[i]);
            ok++;
            total++;
            free(jpg);
        }
        free(g.px);
    }
    print_message("JPEG (quality 85) round trips: %u of %u\n", ok, total);
}

/* ---- SVG ---- */

static char tmpdir[64];

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Parses our SVG's path ("Mx yhNv1h-Nz" runs) into a plane at px per module. */
static hc_qr_grey
rasterise_svg(const char *svg, int px)
{
    int side = 0, side2 = 0;
    const char *vb = strstr(svg, "viewBox=\"0 0 ");
    assert_non_null(vb);
    assert_int_equal(sscanf(vb, "viewBox=\"0 0 %d %d\"", &side, &side2), 2);
    assert_int_equal(side, side2);
    hc_qr_grey g = { .width = (uint32_t)(side * px), .height = (uint32_t)(side * px) };
    g.px = malloc((size_t)g.width * g.height);
    assert_non_null(g.px);
    memset(g.px, 255, (size_t)g.width * g.height);

    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    d += 4;
    while (*d == 'M') {
        int x, y, w1, w2, consumed = 0;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w1, &w2, &consumed), 4);
        assert_true(consumed > 0);
        assert_int_equal(w1, w2);
        assert_true(x >= 0 && y >= 0 && w1 > 0 && x + w1 <= side && y < side);
        for (int yy = y * px; yy < (y + 1) * px; yy++) {
            memset(g.px + (size_t)yy * g.width + (size_t)(x * px), 0, (size_t)(w1 * px));
        }
        d += consumed;
    }
    assert_int_equal(*d, '"'); /* nothing but runs in the path */
    return g;
}

/* Renders with rsvg-convert when it is installed; false when it is not (or fails to run). */
static bool
render_with_rsvg(const char *svg_path, const char *png_path)
{
    if (system("command -v rsvg-convert >/dev/null 2>&1") != 0) {
        return false;
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s' '%s'", png_path, svg_path);
    int rc = system(cmd);
    return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

static size_t
count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
        n++;
    }
    return n;
}

static void
test_svg(void **state)
{
    (void)state;
    unsigned rendered_external = 0;
    for (size_t i = 0; i < SAMPLES; i += 4) {
        const char *text = sample[i];
        hc_qr_options o = hc_qr_default_options();
        char path[128], png_path[128];
        snprintf(path, sizeof path, "%s/code.svg", tmpdir);
        snprintf(png_path, sizeof png_path, "%s/code.png", tmpdir);
        assert_int_equal(hc_qr_write_svg(text, &o, path), HC_OK);
        char *svg = read_text(path);

        /* Structure: XML declaration, one svg element, crisp edges, one background rect, one
         * path, viewBox in modules and width/height in pixels. */
        assert_true(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
        assert_int_equal(count(svg, "<svg "), 1);
        assert_int_equal(count(svg, "</svg>"), 1);
        assert_int_equal(count(svg, "shape-rendering=\"crispEdges\""), 1);
        assert_int_equal(count(svg, "<path "), 1);
        assert_int_equal(count(svg, "<rect "), 1);
        assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
        int side, wpx;
        assert_int_equal(sscanf(strstr(svg, "viewBox="), "viewBox=\"0 0 %d", &side), 1);
        assert_int_equal(sscanf(strstr(svg, "width="), "width=\"%d", &wpx), 1);
        assert_int_equal(wpx, side * o.module_px);

        /* Our rasterisation equals the PNG writer's pixels, and decodes. */
        hc_qr_grey g = rasterise_svg(svg, o.module_px);
        hc_qr_grey ref = qt_qr_plane(text, o.module_px, o.quiet_modules);
        assert_int_equal(g.width, ref.width);
        assert_memory_equal(g.px, ref.px, (size_t)g.width * g.height);
        size_t len;
        uint8_t *png = qt_grey_png(&g, &len);
        qt_expect_text(png, len, text);
        free(png);
        free(g.px);
        free(ref.px);

        if (render_with_rsvg(path, png_path)) {
            size_t n;
            uint8_t *r = NULL;
            FILE *f = fopen(png_path, "rb");
            assert_non_null(f);
            r = malloc(16 << 20);
            assert_non_null(r);
            n = fread(r, 1, 16 << 20, f);
            fclose(f);
            qt_expect_text(r, n, text);
            free(r);
            unlink(png_path);
            rendered_external++;
        }
        free(svg);
        unlink(path);
    }
    print_message("SVG: structure and own rasterisation checked; rendered by rsvg-convert: %u%s\n",
                  rendered_external, rendered_external ? "" : " (not installed)");
}

/* ---- files ---- */

static void
test_write_png_file(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/code.png", tmpdir);
    assert_int_equal(hc_qr_write_png(sample[3], NULL, path), HC_OK); /* NULL: defaults */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc((size_t)st.st_size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    qt_expect_text(buf, (size_t)st.st_size, sample[3]);
    free(buf);
    /* Overwrite in place (rename over the old file), and no temporary file left behind. */
    assert_int_equal(hc_qr_write_png(sample[4], NULL, path), HC_OK);
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    unsigned files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        files += e->d_name[0] != '.';
    }
    closedir(d);
    assert_int_equal(files, 1);
    unlink(path);
    /* Unwritable place: HC_ERR_IO, nothing created. */
    assert_int_equal(hc_qr_write_png(sample[0], NULL, "/nonexistent-dir/x.png"), HC_ERR_IO);
    assert_int_equal(hc_qr_write_svg(sample[0], NULL, "/nonexistent-dir/x.svg"), HC_ERR_IO);
}

/* ---- errors ---- */

static void
test_encode_errors(void **state)
{
    (void)state;
    hc_qr_options o = hc_qr_default_options();
    assert_int_equal(o.ec_level, 2);
    assert_int_equal(o.module_px, 6);
    assert_int_equal(o.quiet_modules, 4);
    uint8_t *png = (uint8_t *)"x";
    size_t len = 1;

    /* 2421 alphanumeric characters exceed version 40-Q (2420). */
    char *t = malloc(HC_MAX_QR_TEXT + 2);
    assert_non_null(t);
    memset(t, 'A', 2421);
    t[2421] = '\0';
    assert_int_equal(hc_qr_png_bytes(t, &o, &png, &len), HC_ERR_INPUT_TOO_LARGE);
    assert_null(png);
    assert_int_equal(len, 0);
    t[2420] = '\0';
    assert_int_equal(hc_qr_png_bytes(t, &o, &png, &len), HC_OK);
    free(png);
    /* Past HC_MAX_QR_TEXT: refused before libqrencode sees it. */
    memset(t, 'A', HC_MAX_QR_TEXT + 1);
    t[HC_MAX_QR_TEXT + 1] = '\0';
    assert_int_equal(hc_qr_png_bytes(t, &o, &png, &len), HC_ERR_INPUT_TOO_LARGE);
    /* Byte mode too long. */
    memset(t, 'a', 3000);
    t[3000] = '\0';
    assert_int_equal(hc_qr_png_bytes(t, &o, &png, &len), HC_ERR_INPUT_TOO_LARGE);
    char path[128];
    snprintf(path, sizeof path, "%s/too-long.svg", tmpdir);
    assert_int_equal(hc_qr_write_svg(t, &o, path), HC_ERR_INPUT_TOO_LARGE);
    assert_int_not_equal(access(path, F_OK), 0);
    free(t);

    assert_int_equal(hc_qr_png_bytes("", &o, &png, &len), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_png_bytes(NULL, &o, &png, &len), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_png_bytes("A", &o, NULL, &len), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_write_png("A", &o, NULL), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_qr_write_svg("A", &o, NULL), HC_ERR_INVALID_ARG);
    static const hc_qr_options bad[] = {
        { .ec_level = -1, .module_px = 6, .quiet_modules = 4 },
        { .ec_level = 4, .module_px = 6, .quiet_modules = 4 },
        { .ec_level = 2, .module_px = 0, .quiet_modules = 4 },
        { .ec_level = 2, .module_px = 65, .quiet_modules = 4 },
        { .ec_level = 2, .module_px = 6, .quiet_modules = -1 },
        { .ec_level = 2, .module_px = 6, .quiet_modules = 65 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hc_qr_png_bytes("A", &bad[i], &png, &len), HC_ERR_INVALID_ARG);
    }
    /* A PNG larger than HC_MAX_IMAGE_PIXELS (we could not read it back): 40-H at 64 px. */
    hc_qr_options big = { .ec_level = 3, .module_px = 64, .quiet_modules = 64 };
    assert_int_equal(hc_qr_png_bytes(sample[SAMPLES - 1], &big, &png, &len), HC_ERR_INVALID_ARG);
    /* ... while the SVG has no pixels and is fine. */
    snprintf(path, sizeof path, "%s/big.svg", tmpdir);
    assert_int_equal(hc_qr_write_svg(sample[SAMPLES - 1], &big, path), HC_OK);
    unlink(path);
}

static int
make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hc-qr-test-XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
remove_tmpdir(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_roundtrip),
        cmocka_unit_test(test_png_ecc_levels_and_sizes),
        cmocka_unit_test(test_png_format),
        cmocka_unit_test(test_alphanumeric_mode),
        cmocka_unit_test(test_byte_mode_texts),
        cmocka_unit_test(test_binary_payload),
        cmocka_unit_test(test_jpeg_roundtrip),
        cmocka_unit_test_setup_teardown(test_svg, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_write_png_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_encode_errors, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
