/*
 * test_cbor_encode.c: the CBOR writer (preferred serialisation, RFC 8949 §4.1/§4.2.1), the
 * deterministic JSON encoder and the re-encoding of decoded trees.
 */
#include "testlib.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"

static uint8_t out[1 << 16];
static hc_cbor_writer w;

static void
start(void)
{
    hc_cbor_writer_init(&w, out, sizeof out);
}

/* The writer holds exactly the bytes of hex. */
static void
expect_bytes(const char *hex)
{
    size_t want_len, len = 0;
    uint8_t *want = hc_test_hex(hex, &want_len);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
    if (len != want_len || memcmp(out, want, len) != 0) {
        char got[256];
        size_t n = len < 100 ? len : 100;
        for (size_t k = 0; k < n; k++) {
            snprintf(got + 2 * k, 3, "%02x", out[k]);
        }
        got[2 * n] = 0;
        fail_msg("got %s want %s", got, hex);
    }
    free(want);
}

static void
test_uint_boundaries(void **state)
{
    (void)state;
    /* RFC 8949 §3: immediate 0..23, then 1, 2, 4, 8 argument bytes; the shortest is preferred
     * (§4.2.1). Each boundary from both sides. */
    const struct {
        uint64_t v;
        const char *hex;
    } cases[] = {
        { 0, "00" },
        { 23, "17" },
        { 24, "1818" },
        { 255, "18ff" },
        { 256, "190100" },
        { 65535, "19ffff" },
        { 65536, "1a00010000" },
        { UINT32_MAX, "1affffffff" },
        { UINT64_C(0x100000000), "1b0000000100000000" },
        { UINT64_MAX, "1bffffffffffffffff" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        start();
        hc_cbor_put_uint(&w, cases[k].v);
        expect_bytes(cases[k].hex);
        if (cases[k].v <= INT64_MAX) {
            start();
            hc_cbor_put_int(&w, (int64_t)cases[k].v);
            expect_bytes(cases[k].hex);
        }
    }
}

static void
test_int_negative_boundaries(void **state)
{
    (void)state;
    /* Major type 1 holds -1 - v (RFC 8949 §3.1). */
    const struct {
        int64_t v;
        const char *hex;
    } cases[] = {
        { -1, "20" },
        { -24, "37" },
        { -25, "3818" },
        { -256, "38ff" },
        { -257, "390100" },
        { -65536, "39ffff" },
        { -65537, "3a00010000" },
        { -INT64_C(4294967296), "3affffffff" },
        { -INT64_C(4294967297), "3b0000000100000000" },
        { INT64_MIN, "3b7fffffffffffffff" },
        { INT64_MAX, "1b7fffffffffffffff" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        start();
        hc_cbor_put_int(&w, cases[k].v);
        expect_bytes(cases[k].hex);
    }
}

static void
test_heads_and_strings(void **state)
{
    (void)state;
    static uint8_t data[300];
    memset(data, 'a', sizeof data);
    /* Byte and text string lengths at the 23/24 and 255/256 boundaries. */
    const size_t lens[] = { 0, 1, 23, 24, 255, 256 };
    const char *bhead[] = { "40", "41", "57", "5818", "58ff", "590100" };
    const char *thead[] = { "60", "61", "77", "7818", "78ff", "790100" };
    for (size_t k = 0; k < 6; k++) {
        start();
        hc_cbor_put_bytes(&w, data, lens[k]);
        size_t hl;
        uint8_t *h = hc_test_hex(bhead[k], &hl);
        size_t len;
        assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
        assert_int_equal(len, hl + lens[k]);
        assert_memory_equal(out, h, hl);
        free(h);
        start();
        hc_cbor_put_text(&w, (const char *)data, lens[k]);
        h = hc_test_hex(thead[k], &hl);
        assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
        assert_int_equal(len, hl + lens[k]);
        assert_memory_equal(out, h, hl);
        assert_memory_equal(out + hl, data, lens[k]);
        free(h);
    }
    start();
    hc_cbor_put_bytes(&w, NULL, 0); /* empty needs no pointer */
    expect_bytes("40");

    start();
    hc_cbor_put_array(&w, 23);
    hc_cbor_put_array(&w, 24);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_map(&w, 65536);
    expect_bytes("979818a0ba00010000");

    /* Tags: COSE_Sign1 18, CWT 61 (RFC 9052 §4.2, RFC 8392 §6). */
    start();
    hc_cbor_put_tag(&w, 18);
    hc_cbor_put_tag(&w, 61);
    hc_cbor_put_tag(&w, 24);
    hc_cbor_put_tag(&w, 65535);
    hc_cbor_put_tag(&w, UINT64_C(0x100000000));
    expect_bytes("d2d83dd818d9ffffdb0000000100000000");

    start();
    hc_cbor_put_bool(&w, true);
    hc_cbor_put_bool(&w, false);
    hc_cbor_put_null(&w);
    hc_cbor_put_raw(&w, (const uint8_t *)"\xf7", 1);
    hc_cbor_put_raw(&w, NULL, 0);
    expect_bytes("f5f4f6f7");
}

static void
expect_float(double v, const char *hex)
{
    start();
    hc_cbor_put_float(&w, v);
    expect_bytes(hex);
}

static void
test_float_shortest(void **state)
{
    (void)state;
    /* RFC 8949 §4.2.1: the shortest of half/single/double that holds the value exactly. */
    expect_float(0.0, "f90000");
    expect_float(-0.0, "f98000");
    expect_float(1.5, "f93e00");
    expect_float(0.5, "f93800");
    expect_float(65504.0, "f97bff"); /* largest half */
    expect_float(-65504.0, "f9fbff");
    expect_float(65505.0, "fa477fe100"); /* needs more mantissa than a half has */
    expect_float(65536.0, "fa47800000"); /* exponent beyond half */
    expect_float(100000.0, "fa47c35000");
    expect_float(1.1, "fb3ff199999999999a");
    expect_float(0.1, "fb3fb999999999999a");
    expect_float(-4.1, "fbc010666666666666");
    expect_float(INFINITY, "f97c00");
    expect_float(-INFINITY, "f9fc00");
    /* §4.2.2: NaN as f97e00, whatever its payload and sign. */
    expect_float(NAN, "f97e00");
    expect_float(-NAN, "f97e00");
    uint64_t payload_nan_bits = UINT64_C(0x7ff0000000000001);
    double payload_nan;
    memcpy(&payload_nan, &payload_nan_bits, sizeof payload_nan);
    expect_float(payload_nan, "f97e00");
    /* Half subnormals (Appendix D) and the edges below them. */
    expect_float(5.960464477539063e-08, "f90001"); /* 2^-24 */
    expect_float(1.7881393432617188e-07, "f90003");
    expect_float(6.103515625e-05, "f90400");            /* smallest normal half, 2^-14 */
    expect_float(2.9802322387695312e-08, "fa33000000"); /* 2^-25: below every half */
    expect_float(8.940696716308594e-08, "fa33c00000");  /* 1.5 * 2^-24: between halves */
    /* Single edges, subnormals included. */
    expect_float(1.401298464324817e-45, "fa00000001"); /* 2^-149 */
    expect_float(7.346839692639297e-40, "fa00080000"); /* 2^-130 */
    expect_float(1.1754943508222875e-38, "fa00800000");
    expect_float(3.4028234663852886e+38, "fa7f7fffff"); /* FLT_MAX */
    expect_float(3.4028235677973366e+38, "fb47effffff0000000");
    expect_float(3.402823669209385e+38, "fb47f0000000000000"); /* 2^128 */
    expect_float(7.006492321624085e-46, "fb3690000000000000"); /* 2^-150 */
    expect_float(16777216.0, "fa4b800000");
    expect_float(16777217.0, "fb4170000010000000");
    expect_float(1e300, "fb7e37e43c8800759c");
    expect_float(4.9406564584124654e-324, "fb0000000000000001");
}

/* All finite half values as doubles, sorted, for an independent "is it a half?" test. */
static double halves[65536];
static size_t nhalves;

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool
is_half(double d)
{
    return bsearch(&d, halves, nhalves, sizeof halves[0], cmp_double) != NULL;
}

static void
test_float_exhaustive(void **state)
{
    (void)state;
    /* Every half value encodes to itself (3 bytes), and decodes back to the same bits. */
    nhalves = 0;
    for (unsigned h = 0; h < 0x10000; h++) {
        unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;
        if (e == 31) {
            continue;
        }
        double d = e == 0 ? ldexp(m, -24) : ldexp(m + 1024, (int)e - 25);
        if (h & 0x8000) {
            d = -d;
        }
        if (d != 0.0) {
            halves[nhalves++] = d;
        }
        start();
        hc_cbor_put_float(&w, d);
        size_t len;
        assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
        assert_int_equal(len, 3);
        assert_int_equal(out[0], 0xf9);
        assert_int_equal((out[1] << 8) | out[2], h);
    }
    qsort(halves, nhalves, sizeof halves[0], cmp_double);

    /* Pseudo-random singles and doubles: shortest width, exact value. */
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
    hc_cbor_node nodes[2];
    hc_cbor_doc doc;
    for (int k = 0; k < 200000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        if (k & 1) {
            uint32_t fb = (uint32_t)(x >> 32);
            float f;
            memcpy(&f, &fb, sizeof f);
            d = (double)f;
        } else {
            memcpy(&d, &x, sizeof d);
        }
        if (k % 7 == 0) {
            d = (double)(int32_t)(x >> 40) / 8.0; /* small dyadic values */
        }
        start();
        hc_cbor_put_float(&w, d);
        size_t len;
        assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
        if (isnan(d)) {
            assert_int_equal(len, 3);
            continue;
        }
        /* In range, the conversion to float is defined (it rounds); equality means exact. */
        bool single = fabs(d) <= 3.4028234663852886e+38 && (double)(float)d == d;
        size_t want = (d == 0.0 || isinf(d) || is_half(d)) ? 3 : single ? 5 : 9;
        assert_int_equal(len, want);
        uint32_t root;
        hc_cbor_doc_init(&doc, nodes, 2, NULL, 0, 0);
        assert_int_equal(hc_cbor_decode(&doc, out, len, &root), HC_OK);
        assert_memory_equal(&nodes[0].v.f, &d, sizeof d);
    }
}

static void
test_overflow_sticky(void **state)
{
    (void)state;
    uint8_t small[4];
    size_t len = 99;
    hc_cbor_writer_init(&w, small, sizeof small);
    hc_cbor_put_uint(&w, 1);
    hc_cbor_put_text(&w, "hello", 5); /* does not fit */
    hc_cbor_put_uint(&w, 2);          /* would fit, but overflow is sticky */
    assert_true(w.overflow);
    assert_int_equal(w.len, 1);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 99); /* not written on failure */

    /* Exactly full is fine; one more byte is not. */
    hc_cbor_writer_init(&w, small, sizeof small);
    hc_cbor_put_text(&w, "abc", 3);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
    assert_int_equal(len, 4);
    hc_cbor_put_null(&w);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);

    /* A head that does not fit is not written in part. */
    hc_cbor_writer_init(&w, small, sizeof small);
    hc_cbor_put_uint(&w, 0x100000000);
    assert_int_equal(w.len, 0);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);

    /* No buffer at all. */
    hc_cbor_writer_init(&w, NULL, 100);
    hc_cbor_put_float(&w, 1.0);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);
    hc_cbor_writer_init(&w, small, 0);
    hc_cbor_put_bool(&w, true);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);
    /* A string longer than the address space can hold is an overflow, not a wrap. */
    hc_cbor_writer_init(&w, small, sizeof small);
    hc_cbor_put_raw(&w, small, SIZE_MAX);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_cbor_writer_finish(NULL, &len), HC_ERR_INVALID_ARG);
    hc_cbor_put_uint(NULL, 1); /* no crash */
    hc_cbor_writer_init(NULL, small, 4);

    /* hc_cbor_encode_json reports the overflow too. */
    json_t *j = json_pack("{s:s}", "key", "a value that is too long");
    hc_cbor_writer_init(&w, small, sizeof small);
    assert_int_equal(hc_cbor_encode_json(&w, j), HC_ERR_BUFFER_TOO_SMALL);
    json_decref(j);
}

static void
expect_json_encoding(const char *json_text, const char *hex)
{
    json_error_t e;
    json_t *j = json_loads(json_text, JSON_DECODE_ANY, &e);
    if (j == NULL) {
        fail_msg("bad JSON %s: %s", json_text, e.text);
    }
    start();
    assert_int_equal(hc_cbor_encode_json(&w, j), HC_OK);
    expect_bytes(hex);
    json_decref(j);
}

static void
test_encode_json(void **state)
{
    (void)state;
    /* RFC 8949 §4.2.1: keys sorted by their encoded bytes; for text keys: length, then bytes. */
    expect_json_encoding("{\"b\":1,\"a\":2,\"aa\":3}", "a3616102616201626161"
                                                       "03");
    expect_json_encoding("{\"zz\":0,\"\\u00e9\":1,\"\":2,\"z\":3}", "a46002617a03627a7a0062c3a901");
    /* A 24-byte key has a 2-byte head (0x78 0x18): after every 23-byte key. */
    expect_json_encoding("{\"aaaaaaaaaaaaaaaaaaaaaaaa\":1,\"bbbbbbbbbbbbbbbbbbbbbbb\":2}",
                         "a277626262626262626262626262626262626262626262626202"
                         "781861616161616161616161616161616161616161616161616101");
    /* Numbers: integers as major type 0/1, reals as floats even when integral. */
    expect_json_encoding("[0, -1, 1.0, -0.0, 1.5, 100000.0, 1.1, 9223372036854775807, "
                         "-9223372036854775808]",
                         "89"
                         "00"
                         "20"
                         "f93c00"
                         "f98000"
                         "f93e00"
                         "fa47c35000"
                         "fb3ff199999999999a"
                         "1b7fffffffffffffff"
                         "3b7fffffffffffffff");
    expect_json_encoding("[true, false, null, \"\", \"\\u00fc\", [], {}]", "87f5f4f66062c3bc80a0");
    expect_json_encoding("{\"a\":{\"c\":[1,{\"e\":null,\"d\":true}],\"b\":2}}",
                         "a16161a2616202616382"
                         "01a2616"
                         "4f56165f6");
    expect_json_encoding("\"IETF\"", "6449455446");
    expect_json_encoding("null", "f6");

    /* Keys with U+0000 (jansson keeps their length). */
    json_t *o = json_object();
    json_object_setn_new(o, "a\0b", 3, json_integer(1));
    json_object_setn_new(o, "a", 1, json_integer(2));
    start();
    assert_int_equal(hc_cbor_encode_json(&w, o), HC_OK);
    expect_bytes("a2616102636100620"
                 "1");
    json_decref(o);

    /* The same object built in two insertion orders encodes to the same bytes. */
    json_t *x = json_object(), *y = json_object();
    const char *keys[] = { "ver", "nam", "dob", "v", "t", "r", "fnt", "a", "aaa", "b" };
    for (int k = 0; k < 10; k++) {
        json_object_set_new(x, keys[k], json_integer(k));
        json_object_set_new(y, keys[9 - k], json_integer(9 - k));
    }
    uint8_t bx[128], by[128];
    size_t lx, ly;
    hc_cbor_writer_init(&w, bx, sizeof bx);
    assert_int_equal(hc_cbor_encode_json(&w, x), HC_OK);
    assert_int_equal(hc_cbor_writer_finish(&w, &lx), HC_OK);
    hc_cbor_writer_init(&w, by, sizeof by);
    assert_int_equal(hc_cbor_encode_json(&w, y), HC_OK);
    assert_int_equal(hc_cbor_writer_finish(&w, &ly), HC_OK);
    assert_int_equal(lx, ly);
    assert_memory_equal(bx, by, lx);
    json_decref(x);
    json_decref(y);

    assert_int_equal(hc_cbor_encode_json(NULL, o), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_cbor_encode_json(&w, NULL), HC_ERR_INVALID_ARG);
}

static void
test_encode_json_depth(void **state)
{
    (void)state;
    /* HC_MAX_JSON_DEPTH nested containers are encoded; one more is refused. */
    for (int depth = HC_MAX_JSON_DEPTH; depth <= HC_MAX_JSON_DEPTH + 1; depth++) {
        json_t *inner = json_integer(7);
        for (int k = 0; k < depth; k++) {
            json_t *a = (k & 1) ? json_array() : json_object();
            if (k & 1) {
                json_array_append_new(a, inner);
            } else {
                json_object_set_new(a, "k", inner);
            }
            inner = a;
        }
        start();
        assert_int_equal(hc_cbor_encode_json(&w, inner),
                         depth <= HC_MAX_JSON_DEPTH ? HC_OK : HC_ERR_INVALID_ARG);
        json_decref(inner);
    }
}

/* JSON -> CBOR -> (decode, duplicate keys refused) -> JSON gives the same value. */
static void
roundtrip_json(json_t *j)
{
    static hc_cbor_node nodes[HC_CBOR_MAX_NODES];
    hc_cbor_doc doc;
    uint32_t root;
    size_t len;
    start();
    assert_int_equal(hc_cbor_encode_json(&w, j), HC_OK);
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
    hc_cbor_doc_init(&doc, nodes, HC_CBOR_MAX_NODES, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cbor_decode(&doc, out, len, &root) != HC_OK) {
        fail_msg("re-decode: %s at %zu", doc.error, doc.error_offset);
    }
    json_t *back = hc_cbor_to_json(&doc, root, 0);
    assert_non_null(back);
    if (!json_equal(back, j)) {
        char *a = json_dumps(j, JSON_ENCODE_ANY), *b = json_dumps(back, JSON_ENCODE_ANY);
        fail_msg("round trip differs:\n%s\n%s", a, b);
    }
    /* Deterministic: encoding the result again gives the same bytes. */
    uint8_t *first = malloc(len);
    assert_non_null(first);
    memcpy(first, out, len);
    size_t len2;
    start();
    assert_int_equal(hc_cbor_encode_json(&w, back), HC_OK);
    assert_int_equal(hc_cbor_writer_finish(&w, &len2), HC_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(out, first, len);
    /* And re-encoding the decoded tree (preferred serialisation) is the identity. */
    start();
    assert_int_equal(hc_cbor_encode_node(&w, &doc, root), HC_OK);
    assert_int_equal(hc_cbor_writer_finish(&w, &len2), HC_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(out, first, len);
    free(first);
    json_decref(back);
}

static void
test_roundtrip_json(void **state)
{
    (void)state;
    json_t *co1 = hc_test_load_json("eu-dcc/dgc-testdata/common/2DCode/raw/CO1.json");
    roundtrip_json(json_object_get(co1, "JSON"));
    json_decref(co1);

    const char *texts[] = {
        "{}",
        "[]",
        "0",
        "-9223372036854775808",
        "1e300",
        "-0.0",
        "5.960464477539063e-08",
        "\"Zo\\u00eb M\\u00fcller \\ud83d\\ude00\"",
        "{\"nam\":{\"fn\":\"M\\u00fcller\",\"gn\":\"Zo\\u00eb\"},\"dob\":\"1980-02-29\","
        "\"v\":[{\"dn\":1,\"sd\":2,\"x\":1.0,\"y\":0.1,\"z\":[true,false,null]}],"
        "\"ver\":\"1.3.0\"}",
        "[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        json_error_t e;
        json_t *j = json_loads(texts[k], JSON_DECODE_ANY, &e);
        assert_non_null(j);
        roundtrip_json(j);
        json_decref(j);
    }
    /* Strings with U+0000 in values and keys (json_equal cannot compare such keys: it looks
     * them up as C strings, so the check is by hand). */
    json_t *o = json_object();
    json_object_setn_new(o, "k\0", 2, json_stringn("v\0w", 3));
    start();
    assert_int_equal(hc_cbor_encode_json(&w, o), HC_OK);
    expect_bytes("a1626b0063760077");
    static hc_cbor_node nodes[8];
    hc_cbor_doc doc;
    uint32_t root;
    size_t len;
    assert_int_equal(hc_cbor_writer_finish(&w, &len), HC_OK);
    hc_cbor_doc_init(&doc, nodes, 8, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    assert_int_equal(hc_cbor_decode(&doc, out, len, &root), HC_OK);
    json_t *back = hc_cbor_to_json(&doc, root, 0);
    void *it = json_object_iter(back);
    assert_non_null(it);
    assert_int_equal(json_object_iter_key_len(it), 2);
    assert_memory_equal(json_object_iter_key(it), "k\0", 2);
    assert_int_equal(json_string_length(json_object_iter_value(it)), 3);
    assert_memory_equal(json_string_value(json_object_iter_value(it)), "v\0w", 3);
    json_decref(back);
    json_decref(o);
}

static void
test_encode_node(void **state)
{
    (void)state;
    /* Decoded trees re-encode in preferred serialisation: shortest heads, definite lengths,
     * shortest floats, map order kept (no sorting: that is not a re-encoding's business). */
    const struct {
        const char *in, *out;
    } cases[] = {
        { "1b0000000000000001", "01" },
        { "3900ff", "38ff" },
        { "5f41014102ff", "420102" },
        { "7f61616162ff", "626162" },
        { "9f01ff", "8101" },
        { "bf61620161610 2ff", "a2616201616102" },
        { "fa3fc00000", "f93e00" },
        { "fb3ff8000000000000", "f93e00" },
        { "fb7ff8000000000001", "f97e00" },
        { "d9001200", "d200" },
        { "f8ff", "f8ff" },
        { "f0", "f0" },
        { "f7", "f7" },
        { "c11a514b67b0", "c11a514b67b0" },
        { "9f9fffff", "8180" },
    };
    static hc_cbor_node nodes[32];
    static uint8_t scratch[32];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char clean[64];
        size_t o = 0;
        for (const char *c = cases[k].in; *c; c++) {
            if (*c != ' ') {
                clean[o++] = *c;
            }
        }
        clean[o] = 0;
        size_t len;
        uint8_t *in = hc_test_hex(clean, &len);
        hc_cbor_doc doc;
        uint32_t root;
        hc_cbor_doc_init(&doc, nodes, 32, scratch, sizeof scratch, 0);
        assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_OK);
        start();
        assert_int_equal(hc_cbor_encode_node(&w, &doc, root), HC_OK);
        expect_bytes(cases[k].out);
        free(in);
    }
    /* A subtree only. */
    size_t len;
    uint8_t *in = hc_test_hex("8201820203", &len);
    hc_cbor_doc doc;
    uint32_t root;
    hc_cbor_doc_init(&doc, nodes, 32, NULL, 0, 0);
    assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_OK);
    start();
    assert_int_equal(hc_cbor_encode_node(&w, &doc, 2), HC_OK);
    expect_bytes("820203");
    assert_int_equal(hc_cbor_encode_node(&w, &doc, 9), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_cbor_encode_node(NULL, &doc, 0), HC_ERR_INVALID_ARG);
    uint8_t small[2];
    hc_cbor_writer_init(&w, small, sizeof small);
    assert_int_equal(hc_cbor_encode_node(&w, &doc, 0), HC_ERR_BUFFER_TOO_SMALL);
    free(in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uint_boundaries),   cmocka_unit_test(test_int_negative_boundaries),
        cmocka_unit_test(test_heads_and_strings), cmocka_unit_test(test_float_shortest),
        cmocka_unit_test(test_float_exhaustive),  cmocka_unit_test(test_overflow_sticky),
        cmocka_unit_test(test_encode_json),       cmocka_unit_test(test_encode_json_depth),
        cmocka_unit_test(test_roundtrip_json),    cmocka_unit_test(test_encode_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
