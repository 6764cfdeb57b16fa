/* test_base58.c: base58btc (draft-msporny-base58-03 §5 test vectors), leading zeros, refusals. */
#include "testlib.h"

#include <string.h>

#include "base58.h"

static void
test_draft_vectors(void **state)
{
    (void)state;
    /* draft-msporny-base58-03 §5 "Test Vectors". */
    static const struct {
        const char *plain, *b58;
    } v[] = {
        { "Hello World!", "2NEpo7TZRRrLZSi2U" },
        { "The quick brown fox jumps over the lazy dog.",
          "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char text[HC_BASE58_MAX_TEXT + 1];
        uint8_t bytes[HC_BASE58_MAX_BYTES];
        size_t n = 0;
        assert_int_equal(hc_base58_encode((const uint8_t *)v[i].plain, strlen(v[i].plain), text,
                                          sizeof text, &n),
                         HC_OK);
        assert_string_equal(text, v[i].b58);
        assert_int_equal(hc_base58_decode(v[i].b58, strlen(v[i].b58), bytes, sizeof bytes, &n),
                         HC_OK);
        assert_int_equal(n, strlen(v[i].plain));
        assert_memory_equal(bytes, v[i].plain, n);
    }
    /* §5: 0x0000287fb4cd -> "11233QC4" (leading zero bytes are leading '1's). */
    static const uint8_t z[] = { 0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd };
    char text[32];
    uint8_t back[16];
    size_t n = 0;
    assert_int_equal(hc_base58_encode(z, sizeof z, text, sizeof text, &n), HC_OK);
    assert_string_equal(text, "11233QC4");
    assert_int_equal(hc_base58_decode("11233QC4", 8, back, sizeof back, &n), HC_OK);
    assert_int_equal(n, sizeof z);
    assert_memory_equal(back, z, n);
}

static void
test_edges_and_refusals(void **state)
{
    (void)state;
    uint8_t b[HC_BASE58_MAX_BYTES];
    char t[HC_BASE58_MAX_TEXT + 2];
    size_t n = 99;
    assert_int_equal(hc_base58_encode(NULL, 0, t, sizeof t, &n), HC_OK);
    assert_string_equal(t, "");
    assert_int_equal(hc_base58_decode("", 0, b, sizeof b, &n), HC_OK);
    assert_int_equal(n, 0);
    /* 0, O, I, l and non-alphanumerics are not in the alphabet. */
    const char *bad[] = { "0", "O", "I", "l", "+", "ab c", "z\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hc_base58_decode(bad[i], strlen(bad[i]), b, sizeof b, &n),
                         HC_ERR_ENCODING_INVALID);
    }
    /* Bounds: too long a text, too large a value, too small an output buffer. */
    memset(t, 'z', HC_BASE58_MAX_TEXT + 1);
    assert_int_equal(hc_base58_decode(t, HC_BASE58_MAX_TEXT + 1, b, sizeof b, &n),
                     HC_ERR_INPUT_TOO_LARGE);
    assert_int_equal(hc_base58_decode(t, HC_BASE58_MAX_TEXT, b, sizeof b, &n),
                     HC_ERR_INPUT_TOO_LARGE);
    assert_int_equal(hc_base58_decode("2NEpo7TZRRrLZSi2U", 17, b, 4, &n), HC_ERR_BUFFER_TOO_SMALL);
    memset(b, 0xff, sizeof b);
    assert_int_equal(hc_base58_encode(b, sizeof b + 0, t, sizeof t, &n), HC_OK);
    assert_true(n <= HC_BASE58_MAX_TEXT);
    uint8_t round[HC_BASE58_MAX_BYTES];
    size_t m = 0;
    assert_int_equal(hc_base58_decode(t, n, round, sizeof round, &m), HC_OK);
    assert_int_equal(m, sizeof b);
    assert_memory_equal(round, b, m);
    assert_int_equal(hc_base58_encode(b, HC_BASE58_MAX_BYTES + 1, t, sizeof t, &n),
                     HC_ERR_INPUT_TOO_LARGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_vectors),
        cmocka_unit_test(test_edges_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
