/* test_base64.c: RFC 4648 §10 vectors, canonical-form rejections, hex. */
#include "testlib.h"

#include <string.h>

#include "base64.h"

static void
test_rfc4648_vectors(void **state)
{
    (void)state;
    static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *b64[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    static const char *b64url[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
    for (size_t i = 0; i < 7; i++) {
        char text[32];
        uint8_t bytes[32];
        size_t n;
        assert_int_equal(
            hc_base64_encode((const uint8_t *)plain[i], strlen(plain[i]), false, text, 32, &n),
            HC_OK);
        assert_string_equal(text, b64[i]);
        assert_int_equal(
            hc_base64_encode((const uint8_t *)plain[i], strlen(plain[i]), true, text, 32, &n),
            HC_OK);
        assert_string_equal(text, b64url[i]);
        assert_int_equal(hc_base64_decode(b64[i], strlen(b64[i]), false, bytes, 32, &n), HC_OK);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(bytes, plain[i], n);
        assert_int_equal(hc_base64_decode(b64url[i], strlen(b64url[i]), true, bytes, 32, &n),
                         HC_OK);
        assert_int_equal(n, strlen(plain[i]));
    }
}

static void
test_rejects(void **state)
{
    (void)state;
    uint8_t b[32];
    size_t n;
    const char *bad_std[] = { "Zg=", "Z", "Zh==", "Zm9v=", "Zg==Zg==", "Zm9-", "Zm 9v", "Zg===" };
    for (size_t i = 0; i < sizeof bad_std / sizeof *bad_std; i++) {
        assert_int_equal(hc_base64_decode(bad_std[i], strlen(bad_std[i]), false, b, 32, &n),
                         HC_ERR_ENCODING_INVALID);
    }
    assert_int_equal(hc_base64_decode("Zm9/", 4, true, b, 32, &n), HC_ERR_ENCODING_INVALID);
    assert_int_equal(hc_base64_decode("Zh", 2, true, b, 32, &n), HC_ERR_ENCODING_INVALID);
}

static void
test_lenient(void **state)
{
    (void)state;
    uint8_t b[32];
    size_t n;
    assert_int_equal(hc_base64_decode_lenient("Zm9v\nYmFy\r\n", 11, b, 32, &n), HC_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(b, "foobar", 6);
    assert_int_equal(hc_base64_decode_lenient("-_8=", 4, b, 32, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(b[0], 0xfb);
}

static void
test_hex(void **state)
{
    (void)state;
    uint8_t b[4];
    size_t n;
    char s[9];
    assert_true(hc_hex_decode("00fFa1", 6, b, 4, &n));
    assert_int_equal(n, 3);
    hc_hex_encode(b, 3, s);
    assert_string_equal(s, "00ffa1");
    assert_false(hc_hex_decode("0", 1, b, 4, &n));
    assert_false(hc_hex_decode("zz", 2, b, 4, &n));
    assert_false(hc_hex_decode("0011223344", 10, b, 4, &n));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
