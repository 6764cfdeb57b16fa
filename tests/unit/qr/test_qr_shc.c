/*
 * test_qr_shc.c: SMART Health Card QR codes (qr_shc.h): two segments (byte "shc:/", numeric
 * digits), so that the spec's sizing holds: a 1195-character JWS (2390 digits) is exactly a
 * version 22 code at error correction L (SHC FAQ/qr.md), one more character needs version 23. A
 * single byte segment would need version 31. The images read back to the same text.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "qr.h"
#include "qr_render.h"
#include "qr_shc.h"

static char *
shc_text(const char *prefix, size_t digits)
{
    size_t p = strlen(prefix);
    char *t = malloc(p + digits + 1);
    memcpy(t, prefix, p);
    for (size_t i = 0; i < digits; i++) {
        t[p + i] = (char)('0' + (i * 7 + 3) % 8); /* pairs stay <= 77 */
    }
    t[p + digits] = '\0';
    return t;
}

static void
test_versions(void **state)
{
    (void)state;
    QRcode *qr = NULL;
    char *t = shc_text("shc:/", 2 * 1195);
    assert_int_equal(hc_qr_shc_encode(t, NULL, &qr), HC_OK);
    assert_int_equal(qr->version, 22);
    QRcode_free(qr);
    free(t);
    t = shc_text("shc:/", 2 * 1196);
    assert_int_equal(hc_qr_shc_encode(t, NULL, &qr), HC_OK);
    assert_int_equal(qr->version, 23);
    QRcode_free(qr);
    free(t);
    /* Our VC-JWT prefix is a byte segment too. */
    t = shc_text("vc-jwt:/", 2000);
    assert_int_equal(hc_qr_shc_encode(t, NULL, &qr), HC_OK);
    QRcode_free(qr);
    free(t);
}

static void
test_refusals(void **state)
{
    (void)state;
    QRcode *qr = NULL;
    const char *bad[] = { "", "shc:/", "12345", "shc:5676", "shc:/56a6", "shc:/5676 " };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hc_qr_shc_encode(bad[i], NULL, &qr), HC_ERR_INVALID_ARG);
        assert_null(qr);
    }
    hc_qr_options o = hc_qr_shc_default_options();
    o.ec_level = 4;
    assert_int_equal(hc_qr_shc_encode("shc:/5676", &o, &qr), HC_ERR_INVALID_ARG);
    char *huge = shc_text("shc:/", 8000);
    assert_int_equal(hc_qr_shc_encode(huge, NULL, &qr), HC_ERR_INPUT_TOO_LARGE);
    free(huge);
}

static void
test_images_read_back(void **state)
{
    (void)state;
    char *t = shc_text("shc:/", 1600);
    QRcode *qr = NULL;
    hc_qr_options o = hc_qr_shc_default_options();
    assert_int_equal(hc_qr_shc_encode(t, &o, &qr), HC_OK);
    uint8_t *png = NULL;
    size_t len = 0;
    assert_int_equal(hc_qr_render_png(qr, &o, &png, &len), HC_OK);
    char text[4096];
    size_t n = 0;
    assert_int_equal(hc_qr_decode_image(png, len, text, sizeof text, &n), HC_OK);
    assert_int_equal(n, strlen(t));
    assert_memory_equal(text, t, n);
    free(png);
    char *svg = NULL;
    assert_int_equal(hc_qr_render_svg(qr, &o, &svg, &len), HC_OK);
    assert_non_null(strstr(svg, "<svg"));
    assert_int_equal(strlen(svg), len);
    free(svg);
    QRcode_free(qr);
    free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_images_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
