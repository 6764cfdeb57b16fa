/* test_inflate.c: bounded zlib / raw DEFLATE: round trips, bombs, truncation, trailing bytes. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "inflate.h"

static void
test_roundtrip_both_kinds(void **state)
{
    (void)state;
    const char *text = "HC1 test payload, HC1 test payload, HC1 test payload";
    for (int kind = 0; kind < 2; kind++) {
        uint8_t z[256], back[256];
        size_t zl, bl;
        assert_int_equal(hc_deflate((hc_deflate_kind)kind, (const uint8_t *)text, strlen(text), z,
                                    sizeof z, &zl),
                         HC_OK);
        if (kind == HC_DEFLATE_ZLIB) {
            assert_int_equal(z[0], 0x78); /* RFC 1950 CMF: deflate, 32 KiB window */
            assert_int_equal(z[1], 0xda); /* FLEVEL 3: best compression */
        }
        assert_int_equal(hc_inflate_once((hc_deflate_kind)kind, z, zl, back, sizeof back, &bl),
                         HC_OK);
        assert_int_equal(bl, strlen(text));
        assert_memory_equal(back, text, bl);
    }
}

static void
test_bomb_stops_at_cap(void **state)
{
    (void)state;
    /* 16 MiB of zeros compresses to ~16 KiB; the cap is 64 KiB. */
    size_t big = 16u << 20;
    uint8_t *zeros = calloc(1, big);
    size_t zcap = hc_deflate_bound(big);
    uint8_t *z = malloc(zcap);
    uint8_t *out = malloc(64 * 1024);
    size_t zl, ol;
    assert_non_null(zeros);
    assert_int_equal(hc_deflate(HC_DEFLATE_ZLIB, zeros, big, z, zcap, &zl), HC_OK);
    assert_true(zl < 64 * 1024);
    assert_int_equal(hc_inflate_once(HC_DEFLATE_ZLIB, z, zl, out, 64 * 1024, &ol),
                     HC_ERR_DECOMPRESS_FAILED);
    free(zeros);
    free(z);
    free(out);
}

static void
test_broken_streams(void **state)
{
    (void)state;
    const char *text = "some text to compress, some text to compress";
    uint8_t z[256], out[256], bad[256];
    size_t zl, ol;
    assert_int_equal(
        hc_deflate(HC_DEFLATE_ZLIB, (const uint8_t *)text, strlen(text), z, sizeof z, &zl), HC_OK);
    hc_inflater *inf = hc_inflater_new(HC_DEFLATE_ZLIB);
    assert_non_null(inf);
    /* Truncated: every proper prefix fails. */
    for (size_t n = 0; n < zl; n++) {
        assert_int_equal(hc_inflate(inf, z, n, out, sizeof out, &ol), HC_ERR_DECOMPRESS_FAILED);
    }
    /* Trailing garbage. */
    memcpy(bad, z, zl);
    bad[zl] = 0;
    assert_int_equal(hc_inflate(inf, bad, zl + 1, out, sizeof out, &ol), HC_ERR_DECOMPRESS_FAILED);
    /* Wrong Adler-32. */
    memcpy(bad, z, zl);
    bad[zl - 1] ^= 1;
    assert_int_equal(hc_inflate(inf, bad, zl, out, sizeof out, &ol), HC_ERR_DECOMPRESS_FAILED);
    /* Bad header: CM != 8; and FDICT set (with a valid FCHECK). */
    memcpy(bad, z, zl);
    bad[0] = 0x77;
    assert_int_equal(hc_inflate(inf, bad, zl, out, sizeof out, &ol), HC_ERR_DECOMPRESS_FAILED);
    memcpy(bad, z, zl);
    bad[1] = 0xf9; /* 0x78f9: FDICT=1, (0x78*256+0xf9) % 31 == 0 */
    assert_int_equal(hc_inflate(inf, bad, zl, out, sizeof out, &ol), HC_ERR_DECOMPRESS_FAILED);
    /* Not compressed at all (dgc-testdata Z2): plain bytes. */
    assert_int_equal(hc_inflate(inf, (const uint8_t *)text, strlen(text), out, sizeof out, &ol),
                     HC_ERR_DECOMPRESS_FAILED);
    /* Still usable after failures. */
    assert_int_equal(hc_inflate(inf, z, zl, out, sizeof out, &ol), HC_OK);
    assert_int_equal(ol, strlen(text));
    hc_inflater_free(inf);
}

static void
test_raw_rejects_zlib_wrapper(void **state)
{
    (void)state;
    const char *text = "raw deflate only";
    uint8_t z[128], out[128];
    size_t zl, ol;
    assert_int_equal(
        hc_deflate(HC_DEFLATE_ZLIB, (const uint8_t *)text, strlen(text), z, sizeof z, &zl), HC_OK);
    assert_int_equal(hc_inflate_once(HC_DEFLATE_RAW, z, zl, out, sizeof out, &ol),
                     HC_ERR_DECOMPRESS_FAILED);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_both_kinds),
        cmocka_unit_test(test_bomb_stops_at_cap),
        cmocka_unit_test(test_broken_streams),
        cmocka_unit_test(test_raw_rejects_zlib_wrapper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
