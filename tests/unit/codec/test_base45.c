/* test_base45.c: RFC 9285 Base45, including every rejection RFC 9285 §6 requires. */
#include "testlib.h"

#include <string.h>

#include "base45.h"

static void
expect_decode(const char *text, const char *bytes, size_t n)
{
    uint8_t out[64];
    size_t len = 0;
    assert_int_equal(hc_base45_decode(text, strlen(text), out, sizeof out, &len), HC_OK);
    assert_int_equal(len, n);
    assert_memory_equal(out, bytes, n);
}

static void
expect_reject(const char *text)
{
    uint8_t out[64];
    size_t len = 0;
    assert_int_equal(hc_base45_decode(text, strlen(text), out, sizeof out, &len),
                     HC_ERR_ENCODING_INVALID);
}

/* RFC 9285 §4.3 examples. */
static void
test_rfc_examples(void **state)
{
    (void)state;
    expect_decode("BB8", "AB", 2);
    expect_decode("%69 VD92EX0", "Hello!!", 7);
    expect_decode("UJCLQE7W581", "base-45", 7);
    expect_decode("QED8WEX0", "ietf!", 5);
    expect_decode("", "", 0);
}

static void
test_encode_roundtrip_all_pairs(void **state)
{
    (void)state;
    /* Every 2-byte value and every single byte (a known encoder bug broke pairs < 2025). */
    for (unsigned v = 0; v < 65536; v++) {
        uint8_t in[2] = { (uint8_t)(v >> 8), (uint8_t)v }, back[2];
        char text[8];
        size_t tl, bl;
        assert_int_equal(hc_base45_encode(in, 2, text, sizeof text, &tl), HC_OK);
        assert_int_equal(tl, 3);
        assert_int_equal(hc_base45_decode(text, tl, back, sizeof back, &bl), HC_OK);
        assert_int_equal(bl, 2);
        assert_memory_equal(in, back, 2);
        if (v < 256) {
            assert_int_equal(hc_base45_encode(in + 1, 1, text, sizeof text, &tl), HC_OK);
            assert_int_equal(tl, 2);
            assert_int_equal(hc_base45_decode(text, tl, back, sizeof back, &bl), HC_OK);
            assert_int_equal(back[0], in[1]);
        }
    }
}

static void
test_rejects(void **state)
{
    (void)state;
    expect_reject("GGW");   /* 65536: RFC 9285 §6 */
    expect_reject(":::");   /* 91124 */
    expect_reject("000V5"); /* tail pair 256 */
    expect_reject("000::"); /* tail pair 2024 */
    expect_reject("A");     /* dangling single character */
    expect_reject("BB8A");  /* len % 3 == 1 */
    expect_reject("bb8");   /* lowercase is outside the alphabet */
    expect_reject("BB#");
    expect_reject("BB\x80");
    expect_reject("B\xff"
                  "8");
    const char nul[3] = { 'B', 0, '8' };
    uint8_t out[4];
    size_t len;
    assert_int_equal(hc_base45_decode(nul, 3, out, sizeof out, &len), HC_ERR_ENCODING_INVALID);
}

static void
test_buffer_bounds(void **state)
{
    (void)state;
    uint8_t out[1];
    size_t len;
    char text[4];
    assert_int_equal(hc_base45_decode("BB8", 3, out, sizeof out, &len), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_base45_encode((const uint8_t *)"AB", 2, text, 3, &len),
                     HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_base45_decode(NULL, 3, out, sizeof out, &len), HC_ERR_INVALID_ARG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_examples),
        cmocka_unit_test(test_encode_roundtrip_all_pairs),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_buffer_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
