/*
 * test_outputs.c: what `issue --qr` and `--pdf` write, read back as a scanner would: the QR PNG
 * and SVG scan (zbar) to exactly the issued text, and so does the QR code of the printable PDF once
 * rendered to pixels by poppler's pdftoppm (as a printer or viewer would); the rendered page also
 * verifies as an image with the library's verifier. Long field values must still fit the card.
 */
#include "issue_test_util.h"

#include <zbar.h>

#include "fileio.h"
#include "hc_limits.h"
#include "issue_pdf.h"
#include "qr.h"

static char dir[512], cert[4096];
static hc_issuer *iss;

static int
setup(void **state)
{
    (void)state;
    it_mkdtemp(dir, sizeof dir);
    it_make_csca(dir, "NL");
    it_make_dsc(dir, "dsc", HC_KEY_P256, 0, hc_time_now() - IT_DAY_MS, 730, NULL);
    snprintf(cert, sizeof cert, "%s/dsc.pem", dir);
    iss = it_load(dir, "dsc");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    hc_issuer_free(iss);
    it_rmdir(dir);
    hc_issue_pdf_shutdown();
    return 0;
}

static void
issue_file(const char *rel, hc_issue_result *r)
{
    char msg[512] = "";
    json_t *in = hc_test_load_json(rel);
    if (hc_issue_eu_dcc(iss, in, NULL, r, msg, sizeof msg) != HC_OK) {
        fail_msg("%s: %s", rel, msg);
    }
    json_decref(in);
}

/* Decodes the QR code of a PNG file and asserts its text is exactly want. */
static void
scan_png_equals(const char *png_path, const char *want)
{
    uint8_t *png = NULL;
    size_t len = 0, text_len = 0;
    char *text = malloc(HC_MAX_QR_TEXT + 1);
    assert_non_null(text);
    assert_int_equal(hc_read_file(png_path, HC_MAX_IMAGE_BYTES, &png, &len), HC_OK);
    hc_err e = hc_qr_decode_image(png, len, text, HC_MAX_QR_TEXT + 1, &text_len);
    if (e != HC_OK) {
        fail_msg("%s: no QR code read (%s)", png_path, hc_err_code(e));
    }
    assert_int_equal(text_len, strlen(want));
    assert_string_equal(text, want);
    free(png);
    free(text);
}

static void
test_qr_png(void **state)
{
    (void)state;
    char path[4096];
    hc_issue_result r;
    issue_file("eu-dcc/schema/examples/vaccination/standard_case_2-of-2-moderna-moderna.json", &r);
    it_path(path, sizeof path, dir, "code.png");
    assert_int_equal(hc_qr_write_png(r.qr, NULL, path), HC_OK);
    scan_png_equals(path, r.qr);
    hc_issue_result_clear(&r);
}

/* Rasterises the qr module's SVG ("M x yhNv1h-Nz" runs in a viewBox of modules) at px per
 * module into a grey image, then scans it with zbar. */
static void
scan_svg_equals(const char *svg, const char *want)
{
    const int px = 4;
    int side = 0;
    const char *vb = strstr(svg, "viewBox=\"0 0 ");
    assert_non_null(vb);
    assert_int_equal(sscanf(vb, "viewBox=\"0 0 %d", &side), 1);
    assert_true(side > 21 && side < 200);
    int w = side * px;
    unsigned char *img = malloc((size_t)w * (size_t)w);
    memset(img, 255, (size_t)w * (size_t)w);
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    d += 4;
    int x, y, n, n2, used;
    while (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &n2, &used) == 4) {
        assert_int_equal(n, n2);
        for (int yy = y * px; yy < (y + 1) * px; yy++) {
            memset(img + (size_t)yy * (size_t)w + (size_t)x * px, 0, (size_t)n * px);
        }
        d += used;
    }
    assert_int_equal(*d, '"'); /* the whole path was understood */

    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *zi = zbar_image_create();
    zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zi, (unsigned)w, (unsigned)w);
    zbar_image_set_data(zi, img, (unsigned long)w * (unsigned long)w, NULL);
    assert_true(zbar_scan_image(sc, zi) > 0);
    const zbar_symbol_t *sym = zbar_image_first_symbol(zi);
    assert_non_null(sym);
    assert_int_equal(zbar_symbol_get_data_length(sym), strlen(want));
    assert_memory_equal(zbar_symbol_get_data(sym), want, strlen(want));
    zbar_image_destroy(zi);
    zbar_image_scanner_destroy(sc);
    free(img);
}

static void
test_qr_svg(void **state)
{
    (void)state;
    char path[4096];
    hc_issue_result r;
    issue_file("eu-dcc/schema/examples/test/simple-rat.json", &r);
    it_path(path, sizeof path, dir, "code.svg");
    assert_int_equal(hc_qr_write_svg(r.qr, NULL, path), HC_OK);
    uint8_t *svg = NULL;
    size_t len = 0;
    assert_int_equal(hc_read_file(path, 1 << 20, &svg, &len), HC_OK);
    scan_svg_equals((const char *)svg, r.qr);
    free(svg);
    hc_issue_result_clear(&r);
}

/* Writes the PDF, renders it at dpi with pdftoppm, scans and verifies the page image. */
static void
pdf_round_trip(const hc_issue_result *r, const char *name, int dpi)
{
    char pdf[4096], stem[4096], png[4200], cmd[9000];
    uint8_t *bytes = NULL;
    size_t len = 0;
    snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, name);
    snprintf(stem, sizeof stem, "%s/%s", dir, name);
    snprintf(png, sizeof png, "%s.png", stem);
    assert_int_equal(hc_issue_pdf_bytes(r, &bytes, &len), HC_OK);
    assert_true(len > 1000);
    assert_memory_equal(bytes, "%PDF-", 5);
    free(bytes);
    assert_int_equal(hc_issue_pdf_write(r, pdf), HC_OK);
    if (system("command -v pdftoppm >/dev/null 2>&1") != 0) {
        fail_msg("pdftoppm is missing: install poppler-utils (sh scripts/install-deps.sh --test)");
    }
    snprintf(cmd, sizeof cmd, "pdftoppm -r %d -png -singlefile '%s' '%s'", dpi, pdf, stem);
    assert_int_equal(system(cmd), 0);
    scan_png_equals(png, r->qr);
    /* The printed page verifies like the code itself. */
    uint8_t *img = NULL;
    size_t img_len = 0;
    assert_int_equal(hc_read_file(png, HC_MAX_IMAGE_BYTES, &img, &img_len), HC_OK);
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    assert_int_equal(hc_trust_store_add_path(ts, cert, msg, sizeof msg), HC_OK);
    hc_verify_options o = { .trust = ts };
    hc_verifier *v = hc_verifier_new(&o);
    hc_verdict vd;
    assert_int_equal(hc_verify(v, img, img_len, &vd), HC_OK);
    assert_true(vd.valid);
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    hc_trust_store_free(ts);
    free(img);
}

static void
test_pdf_each_type(void **state)
{
    (void)state;
    static const char *const files[] = {
        "eu-dcc/schema/examples/vaccination/standard_case_3-of-3-moderna-moderna-moderna.json",
        "eu-dcc/schema/examples/test/simple-naat.json",
        "eu-dcc/schema/examples/recovery/transliterated.json",
    };
    for (int i = 0; i < 3; i++) {
        hc_issue_result r;
        char name[16];
        issue_file(files[i], &r);
        snprintf(name, sizeof name, "cert%d", i);
        pdf_round_trip(&r, name, 300);
        hc_issue_result_clear(&r);
    }
}

/* Every field at its schema maximum (80 characters): the card shrinks the text to fit, and the
 * bigger QR code still scans at 150 dpi. */
static void
test_pdf_long_fields(void **state)
{
    (void)state;
    char msg[512] = "", long80[81];
    memset(long80, 'W', 80);
    long80[80] = '\0';
    for (int i = 7; i < 80; i += 8) {
        long80[i] = ' ';
    }
    json_t *in = hc_test_load_json("eu-dcc/schema/examples/test/simple-rat.json");
    json_t *nam = json_object_get(in, "nam"), *t = json_array_get(json_object_get(in, "t"), 0);
    json_object_set_new(nam, "fn", json_string(long80));
    json_object_set_new(nam, "gn", json_string(long80));
    json_object_set_new(t, "tc", json_string(long80));
    json_object_set_new(t, "is", json_string(long80));
    json_object_set_new(t, "nm", json_string(long80));
    hc_issue_result r;
    if (hc_issue_eu_dcc(iss, in, NULL, &r, msg, sizeof msg) != HC_OK) {
        fail_msg("%s", msg);
    }
    pdf_round_trip(&r, "long", 150);
    hc_issue_result_clear(&r);
    json_decref(in);
}

static void
test_pdf_bad_args(void **state)
{
    (void)state;
    hc_issue_result empty;
    uint8_t *pdf = (uint8_t *)"x";
    size_t len = 1;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(hc_issue_pdf_bytes(&empty, &pdf, &len), HC_ERR_INVALID_ARG);
    assert_null(pdf);
    assert_int_equal(hc_issue_pdf_bytes(NULL, &pdf, &len), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_issue_pdf_write(&empty, NULL), HC_ERR_INVALID_ARG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_png),        cmocka_unit_test(test_qr_svg),
        cmocka_unit_test(test_pdf_each_type), cmocka_unit_test(test_pdf_long_fields),
        cmocka_unit_test(test_pdf_bad_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
