/*
 * test_cbor_decode.c: the CBOR decoder (RFC 8949), its accessors and the JSON mapping.
 * Covers the security cases of shared/reference/security.md §1.4 and §3 C1-C18 that belong to the
 * decoder: nesting bombs, declared lengths and counts beyond the input, chunk bombs, reserved
 * encodings, trailing bytes, truncation at every offset, invalid UTF-8, duplicate keys, node-array
 * exhaustion, and every 1- and 2-byte input.
 */
#include "testlib.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cbor.h"

#define NODES 4200
#define HC_BASE64_LEN_FOR_TEST(n) \
    (((n) + 2) / 3 * 4) /* more than HC_CBOR_MAX_NODES, to test that bound too */

static hc_cbor_node nodes[NODES];
static uint8_t scratch[1024];
static hc_cbor_doc doc;

/* Decodes hex with the given options; returns the result code (root in *root). */
static hc_err
decode_hex_opt(const char *hex, unsigned options, uint32_t *root)
{
    size_t len;
    static uint8_t *last = NULL; /* kept alive: node views point into it */
    free(last);
    last = hc_test_hex(hex, &len);
    hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch, options);
    return hc_cbor_decode(&doc, last, len, root != NULL ? root : &(uint32_t){ 0 });
}

static const hc_cbor_node *
decode_ok(const char *hex)
{
    uint32_t root;
    hc_err rc = decode_hex_opt(hex, HC_CBOR_REJECT_DUPLICATE_KEYS, &root);
    if (rc != HC_OK) {
        fail_msg("%s: %s at %zu", hex, doc.error, doc.error_offset);
    }
    assert_int_equal(root, 0);
    return hc_cbor_node_at(&doc, root);
}

static void
expect_invalid(const char *hex)
{
    uint32_t root = 77;
    if (decode_hex_opt(hex, HC_CBOR_REJECT_DUPLICATE_KEYS, &root) != HC_ERR_STRUCTURE_INVALID) {
        fail_msg("%s accepted", hex);
    }
    assert_int_equal(root, 77); /* not written on failure */
    assert_non_null(doc.error);
}

static hc_err
decode_buf(const uint8_t *in, size_t len, unsigned options)
{
    uint32_t root;
    hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch, options);
    return hc_cbor_decode(&doc, in, len, &root);
}

/* ---- integers, simple values, floats ---- */

static void
test_integers(void **state)
{
    (void)state;
    struct {
        const char *hex;
        hc_cbor_type type;
        uint64_t u;
    } cases[] = {
        { "00", HC_CBOR_UINT, 0 },
        { "17", HC_CBOR_UINT, 23 },
        { "1818", HC_CBOR_UINT, 24 },
        { "18ff", HC_CBOR_UINT, 255 },
        { "190100", HC_CBOR_UINT, 256 },
        { "1affffffff", HC_CBOR_UINT, 0xffffffffu },
        { "1b0000000100000000", HC_CBOR_UINT, UINT64_C(0x100000000) },
        { "1bffffffffffffffff", HC_CBOR_UINT, UINT64_MAX },
        /* Non-preferred (longer than needed) arguments are well-formed and accepted
         * (security.md C9): the value is what matters, the bytes stay in raw. */
        { "1800", HC_CBOR_UINT, 0 },
        { "1b0000000000000001", HC_CBOR_UINT, 1 },
        { "20", HC_CBOR_NINT, 0 },
        { "3bffffffffffffffff", HC_CBOR_NINT, UINT64_MAX },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const hc_cbor_node *n = decode_ok(cases[k].hex);
        assert_int_equal(n->type, cases[k].type);
        assert_true(n->v.u == cases[k].u);
        assert_int_equal(n->raw_len, strlen(cases[k].hex) / 2);
        assert_int_equal(n->first, HC_CBOR_NONE);
        assert_int_equal(n->next, HC_CBOR_NONE);
    }

    int64_t v;
    assert_true(hc_cbor_get_int64(decode_ok("1b7fffffffffffffff"), &v));
    assert_true(v == INT64_MAX);
    assert_false(hc_cbor_get_int64(decode_ok("1b8000000000000000"), &v));
    assert_true(hc_cbor_get_int64(decode_ok("3b7fffffffffffffff"), &v));
    assert_true(v == INT64_MIN);
    assert_false(hc_cbor_get_int64(decode_ok("3b8000000000000000"), &v));
    assert_true(hc_cbor_get_int64(decode_ok("3903e7"), &v));
    assert_true(v == -1000);
    assert_false(hc_cbor_get_int64(decode_ok("f93c00"), &v));       /* a float is not an integer */
    assert_false(hc_cbor_get_int64(decode_ok("c11a514b67b0"), &v)); /* nor a tag */
    assert_false(hc_cbor_get_int64(NULL, &v));
}

static void
test_simple_values(void **state)
{
    (void)state;
    assert_int_equal(decode_ok("f4")->type, HC_CBOR_FALSE);
    assert_int_equal(decode_ok("f5")->type, HC_CBOR_TRUE);
    assert_int_equal(decode_ok("f6")->type, HC_CBOR_NULL);
    assert_int_equal(decode_ok("f7")->type, HC_CBOR_UNDEFINED);
    const hc_cbor_node *n = decode_ok("e0");
    assert_int_equal(n->type, HC_CBOR_SIMPLE);
    assert_int_equal(n->v.u, 0);
    n = decode_ok("f3");
    assert_int_equal(n->type, HC_CBOR_SIMPLE);
    assert_int_equal(n->v.u, 19);
    n = decode_ok("f820");
    assert_int_equal(n->type, HC_CBOR_SIMPLE);
    assert_int_equal(n->v.u, 32);
    n = decode_ok("f8ff");
    assert_int_equal(n->v.u, 255);
    /* RFC 8949 §3.3: 0xf8 followed by a value below 32 is not well-formed (security.md C10). */
    for (unsigned b = 0; b < 32; b++) {
        char hex[8];
        snprintf(hex, sizeof hex, "f8%02x", b);
        expect_invalid(hex);
    }
}

static void
expect_float(const char *hex, double want, uint8_t width_flag)
{
    const hc_cbor_node *n = decode_ok(hex);
    assert_int_equal(n->type, HC_CBOR_FLOAT);
    assert_int_equal(n->flags, width_flag);
    if (isnan(want)) {
        assert_true(isnan(n->v.f));
    } else {
        /* Exact: same bits (so -0.0 differs from 0.0). */
        assert_memory_equal(&n->v.f, &want, sizeof want);
    }
}

static void
test_floats(void **state)
{
    (void)state;
    /* RFC 8949 Appendix D half-precision, including subnormals and the extremes. */
    expect_float("f90000", 0.0, HC_CBOR_F_FLOAT16);
    expect_float("f98000", -0.0, HC_CBOR_F_FLOAT16);
    expect_float("f93c00", 1.0, HC_CBOR_F_FLOAT16);
    expect_float("f93e00", 1.5, HC_CBOR_F_FLOAT16);
    expect_float("f97bff", 65504.0, HC_CBOR_F_FLOAT16);
    expect_float("f90001", 5.9604644775390625e-08, HC_CBOR_F_FLOAT16); /* 2^-24 */
    expect_float("f903ff", 1023 * 5.9604644775390625e-08, HC_CBOR_F_FLOAT16);
    expect_float("f90400", 6.103515625e-05, HC_CBOR_F_FLOAT16); /* 2^-14 */
    expect_float("f9c400", -4.0, HC_CBOR_F_FLOAT16);
    expect_float("f97c00", INFINITY, HC_CBOR_F_FLOAT16);
    expect_float("f9fc00", -INFINITY, HC_CBOR_F_FLOAT16);
    expect_float("f97e00", NAN, HC_CBOR_F_FLOAT16);
    expect_float("f97c01", NAN, HC_CBOR_F_FLOAT16); /* signalling-NaN payload stays a NaN */
    expect_float("fa47c35000", 100000.0, HC_CBOR_F_FLOAT32);
    expect_float("fa7f7fffff", 3.4028234663852886e+38, HC_CBOR_F_FLOAT32);
    expect_float("fa00000001", 1.401298464324817e-45, HC_CBOR_F_FLOAT32);
    expect_float("fa7fc00000", NAN, HC_CBOR_F_FLOAT32);
    expect_float("fb3ff199999999999a", 1.1, HC_CBOR_F_FLOAT64);
    expect_float("fb7ff8000000000000", NAN, HC_CBOR_F_FLOAT64);
    expect_float("fb0000000000000001", 4.9406564584124654e-324, HC_CBOR_F_FLOAT64);

    /* Every half value against an independent computation (ldexp). */
    for (unsigned h = 0; h < 0x10000; h++) {
        char hex[8];
        snprintf(hex, sizeof hex, "f9%04x", h);
        const hc_cbor_node *n = decode_ok(hex);
        unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;
        double want;
        if (e == 0) {
            want = ldexp(m, -24);
        } else if (e == 31) {
            want = m == 0 ? INFINITY : NAN;
        } else {
            want = ldexp(m + 1024, (int)e - 25);
        }
        if (h & 0x8000) {
            want = -want;
        }
        if (isnan(want)) {
            assert_true(isnan(n->v.f));
        } else {
            assert_memory_equal(&n->v.f, &want, sizeof want);
        }
    }
}

/* ---- strings ---- */

static void
test_strings(void **state)
{
    (void)state;
    const hc_cbor_node *n = decode_ok("4401020304");
    assert_int_equal(n->type, HC_CBOR_BYTES);
    assert_int_equal(n->len, 4);
    assert_ptr_equal(n->ptr, n->raw + 1); /* a view into the input */
    assert_memory_equal(n->ptr, "\x01\x02\x03\x04", 4);

    n = decode_ok("6449455446");
    assert_int_equal(n->type, HC_CBOR_TEXT);
    assert_int_equal(n->len, 4);
    assert_memory_equal(n->ptr, "IETF", 4);

    n = decode_ok("60");
    assert_int_equal(n->len, 0);
    assert_non_null(n->ptr);

    /* Text may hold U+0000. */
    n = decode_ok("6300c3bc");
    assert_int_equal(n->len, 3);

    /* Indefinite strings are concatenated into the scratch buffer (RFC 8949 §3.2.3). */
    n = decode_ok("7f657374726561646d696e67ff");
    assert_int_equal(n->type, HC_CBOR_TEXT);
    assert_int_equal(n->flags, HC_CBOR_F_INDEFINITE);
    assert_ptr_equal(n->ptr, scratch);
    assert_int_equal(n->len, 9);
    assert_memory_equal(n->ptr, "streaming", 9);
    assert_int_equal(doc.scratch_used, 9);
    assert_int_equal(n->raw_len, 13);

    n = decode_ok("5fff"); /* no chunks */
    assert_int_equal(n->len, 0);
    assert_int_equal(n->flags, HC_CBOR_F_INDEFINITE);
    n = decode_ok("5f4040ff"); /* empty chunks */
    assert_int_equal(n->len, 0);

    /* Two indefinite strings in one document: each has its own part of the scratch buffer. */
    n = decode_ok("825f41014102ff7f616161626163ff");
    const hc_cbor_node *a = hc_cbor_node_at(&doc, 1), *b = hc_cbor_node_at(&doc, 2);
    assert_int_equal(a->len, 2);
    assert_memory_equal(a->ptr, "\x01\x02", 2);
    assert_int_equal(b->len, 3);
    assert_memory_equal(b->ptr, "abc", 3);
    assert_ptr_equal(b->ptr, a->ptr + 2);

    /* Scratch too small: refused, not overflowed. */
    uint8_t small[4];
    size_t len;
    uint8_t *in = hc_test_hex("5f4301020343040506ff", &len);
    uint32_t root;
    hc_cbor_doc_init(&doc, nodes, NODES, small, sizeof small, 0);
    assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(doc.error_offset, 5);
    hc_cbor_doc_init(&doc, nodes, NODES, NULL, 0, 0); /* no scratch at all */
    assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_ERR_STRUCTURE_INVALID);
    free(in);
    /* ... but an indefinite string without content needs no scratch. */
    in = hc_test_hex("5fff", &len);
    assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_OK);
    free(in);

    /* Wrong or nested chunks (RFC 8949 §3.2.3). */
    expect_invalid("5f6161ff");
    expect_invalid("7f4161ff");
    expect_invalid("5f5f4100ffff");
    expect_invalid("5f01ff");
    expect_invalid("5f41");   /* truncated chunk */
    expect_invalid("5f4101"); /* no break */
}

static void
test_chunk_limit(void **state)
{
    (void)state;
    /* HC_CBOR_MAX_STRING_CHUNKS chunks are fine, one more is refused. */
    uint8_t buf[2 + 2 * (HC_CBOR_MAX_STRING_CHUNKS + 1)];
    size_t p = 0;
    buf[p++] = 0x5f;
    for (int k = 0; k < HC_CBOR_MAX_STRING_CHUNKS; k++) {
        buf[p++] = 0x41;
        buf[p++] = (uint8_t)k;
    }
    buf[p++] = 0xff;
    assert_int_equal(decode_buf(buf, p, 0), HC_OK);
    p--;
    buf[p++] = 0x41;
    buf[p++] = 0x00;
    buf[p++] = 0xff;
    assert_int_equal(decode_buf(buf, p, 0), HC_ERR_STRUCTURE_INVALID);

    /* security.md C6: an indefinite byte string of 100,000 one-byte chunks. */
    size_t n = 2 + 2 * 100000;
    uint8_t *bomb = malloc(n);
    assert_non_null(bomb);
    bomb[0] = 0x5f;
    for (size_t k = 0; k < 100000; k++) {
        bomb[1 + 2 * k] = 0x41;
        bomb[2 + 2 * k] = 0x2a;
    }
    bomb[n - 1] = 0xff;
    assert_int_equal(decode_buf(bomb, n, 0), HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(doc.error_offset, 1 + 2 * HC_CBOR_MAX_STRING_CHUNKS);
    free(bomb);
}

static void
test_utf8(void **state)
{
    (void)state;
    decode_ok("62c3bc");             /* U+00FC */
    decode_ok("63e282ac");           /* U+20AC */
    decode_ok("63ed9fbf");           /* U+D7FF, last before the surrogates */
    decode_ok("63ee8080");           /* U+E000, first after */
    decode_ok("63efbfbf");           /* U+FFFF */
    decode_ok("64f0908d88");         /* U+10348 */
    decode_ok("64f48fbfbf");         /* U+10FFFF */
    decode_ok("7f62c3bc63e282acff"); /* chunks each valid */
    /* RFC 8949 §5.3.1 / RFC 3629 §4: each of these is refused (security.md C15). */
    const char *bad[] = {
        "6180",                   /* lone continuation byte */
        "62c080",                 /* overlong NUL */
        "62c1bf",                 /* overlong */
        "63e08080",               /* overlong 3-byte */
        "63e09fbf",               /* overlong 3-byte, highest */
        "64f0808080",             /* overlong 4-byte */
        "64f08fbfbf",             /* overlong 4-byte, highest */
        "63eda080",               /* U+D800 high surrogate */
        "63edbfbf",               /* U+DFFF low surrogate */
        "66eda080edb080",         /* surrogate pair encoded as CESU-8 */
        "64f4908080",             /* U+110000 */
        "61f5",                   /* never valid */
        "61ff",                   /* never valid */
        "61c3",                   /* truncated 2-byte */
        "62e282",                 /* truncated 3-byte */
        "63f09080",               /* truncated 4-byte */
        "62c341",                 /* bad continuation */
        "63e2ac41",               /* bad continuation */
        "7f61e26282acff",         /* a code point split across chunks (RFC 8949 §3.2.3) */
        "694141414141414141c3",   /* bad byte after the 8-byte ASCII fast path */
        "6a4141414141414141e282", /* truncated right after a full ASCII word */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        expect_invalid(bad[k]);
        assert_string_equal(doc.error, "invalid UTF-8 in text string");
    }
    /* Byte strings are not UTF-8 checked. */
    decode_ok("42eda0");
}

/* ---- containers ---- */

static void
test_containers(void **state)
{
    (void)state;
    /* [1, [2, 3], {"a": h'ff'}] : pre-order nodes, sibling links, raw spans. */
    const hc_cbor_node *r = decode_ok("830182020381a1616141ff");
    assert_int_equal(doc.count, 9);
    expect_invalid("830182020381a1616141ff00"); /* trailing byte */
    r = decode_ok("83018202038161"
                  "61");
    assert_int_equal(doc.count, 7);
    const char *hex = "8301820203a1616141ff";
    r = decode_ok(hex);
    assert_int_equal(doc.count, 8);
    assert_int_equal(r->type, HC_CBOR_ARRAY);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->first, 1);
    assert_int_equal(r->raw_len, 10);
    const hc_cbor_node *one = hc_cbor_node_at(&doc, 1);
    assert_int_equal(one->next, 2);
    const hc_cbor_node *inner = hc_cbor_node_at(&doc, 2);
    assert_int_equal(inner->type, HC_CBOR_ARRAY);
    assert_int_equal(inner->first, 3);
    assert_int_equal(inner->next, 5);
    assert_int_equal(inner->raw_len, 3);
    assert_ptr_equal(inner->raw, r->raw + 2);
    assert_int_equal(hc_cbor_node_at(&doc, 4)->next, HC_CBOR_NONE);
    const hc_cbor_node *map = hc_cbor_node_at(&doc, 5);
    assert_int_equal(map->type, HC_CBOR_MAP);
    assert_int_equal(map->count, 1);
    assert_int_equal(map->raw_len, 5);
    assert_int_equal(map->next, HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_text(&doc, 5, "a"), 7);
    assert_null(hc_cbor_node_at(&doc, 8));
    assert_null(hc_cbor_node_at(&doc, HC_CBOR_NONE));

    /* Indefinite containers: count filled in at the break, raw includes the break. */
    r = decode_ok("bf6346756ef563416d7421ff");
    assert_int_equal(r->type, HC_CBOR_MAP);
    assert_int_equal(r->flags, HC_CBOR_F_INDEFINITE);
    assert_int_equal(r->count, 2);
    assert_int_equal(r->raw_len, 12);
    r = decode_ok("9f018202039f0405ffff");
    assert_int_equal(r->count, 3);
    assert_int_equal(hc_cbor_node_at(&doc, 5)->count, 2);
    assert_int_equal(hc_cbor_node_at(&doc, 5)->raw_len, 4);
    r = decode_ok("9fff");
    assert_int_equal(r->count, 0);
    assert_int_equal(r->first, HC_CBOR_NONE);
    r = decode_ok("80");
    assert_int_equal(r->first, HC_CBOR_NONE);
    r = decode_ok("a0");
    assert_int_equal(r->count, 0);

    /* Tags: one child. */
    r = decode_ok("c074323031332d30332d32315432303a30343a30305a");
    assert_int_equal(r->type, HC_CBOR_TAG);
    assert_int_equal(r->v.u, 0);
    assert_int_equal(r->count, 1);
    assert_int_equal(r->first, 1);
    assert_int_equal(r->raw_len, 22);

    /* Breaks and counts (RFC 8949 §3.2.1, Appendix F). */
    expect_invalid("ff");
    expect_invalid("8201ff");
    expect_invalid("bf01ff"); /* key without value */
    expect_invalid("c0ff");   /* break inside a tag */
    expect_invalid("9f");
    expect_invalid("a1");
    expect_invalid("d9d9f7"); /* tag without content */
    expect_invalid("");       /* empty input */
    expect_invalid("1f");
    expect_invalid("3f");
    expect_invalid("df00");
}

static void
test_reserved_ai(void **state)
{
    (void)state;
    /* RFC 8949 §3: additional information 28..30 is reserved for every major type (C10). */
    for (unsigned major = 0; major < 8; major++) {
        for (unsigned ai = 28; ai <= 30; ai++) {
            uint8_t b[2] = { (uint8_t)(major << 5 | ai), 0x00 };
            assert_int_equal(decode_buf(b, 1, 0), HC_ERR_STRUCTURE_INVALID);
            assert_string_equal(doc.error, "reserved additional information (28..30)");
            assert_int_equal(decode_buf(b, 2, 0), HC_ERR_STRUCTURE_INVALID);
            /* ... and inside a container. */
            uint8_t c[3] = { 0x81, b[0], 0x00 };
            assert_int_equal(decode_buf(c, 3, 0), HC_ERR_STRUCTURE_INVALID);
            assert_int_equal(doc.error_offset, 1);
        }
    }
}

static void
test_trailing_bytes(void **state)
{
    (void)state;
    /* security.md C14: exactly one item, nothing after it. */
    expect_invalid("0000");
    assert_string_equal(doc.error, "bytes after the top-level data item");
    assert_int_equal(doc.error_offset, 1);
    expect_invalid("80ff");
    expect_invalid("a000");
    expect_invalid("9fff00");
    expect_invalid("c00000");
}

static void
test_depth(void **state)
{
    (void)state;
    uint8_t buf[64];
    /* HC_CBOR_MAX_DEPTH nested arrays hold a value; one more level is refused. */
    for (unsigned depth = 1; depth <= HC_CBOR_MAX_DEPTH + 1; depth++) {
        memset(buf, 0x81, depth);
        buf[depth] = 0x00;
        hc_err want = depth <= HC_CBOR_MAX_DEPTH ? HC_OK : HC_ERR_STRUCTURE_INVALID;
        assert_int_equal(decode_buf(buf, depth + 1, 0), want);
        memset(buf, 0x9f, depth); /* indefinite too */
        buf[depth] = 0x00;
        memset(buf + depth + 1, 0xff, depth);
        assert_int_equal(decode_buf(buf, 2 * depth + 1, 0), want);
        memset(buf, 0xc1, depth); /* nested tags count as nesting */
        buf[depth] = 0x00;
        assert_int_equal(decode_buf(buf, depth + 1, 0), want);
    }
    assert_string_equal(doc.error, "nesting too deep");
    /* Empty containers do not open a level. */
    memset(buf, 0x81, HC_CBOR_MAX_DEPTH);
    buf[HC_CBOR_MAX_DEPTH] = 0x80;
    assert_int_equal(decode_buf(buf, HC_CBOR_MAX_DEPTH + 1, 0), HC_OK);

    /* security.md C4: 100,000 x 0x81, and the same with maps and tags. */
    size_t n = 100000;
    uint8_t *bomb = malloc(n);
    assert_non_null(bomb);
    const uint8_t heads[] = { 0x81, 0x9f, 0xa1, 0xd8 };
    for (size_t h = 0; h < sizeof heads; h++) {
        memset(bomb, heads[h], n);
        assert_int_equal(decode_buf(bomb, n, 0), HC_ERR_STRUCTURE_INVALID);
        assert_true(doc.error_offset < 64);
    }
    free(bomb);
}

static void
test_declared_sizes(void **state)
{
    (void)state;
    /* security.md C2: a byte string "of 2^64-1 bytes" followed by 5 bytes. */
    expect_invalid("5bffffffffffffffff0102030405");
    assert_string_equal(doc.error, "truncated: string longer than the input");
    expect_invalid("7bffffffffffffffff6161616161");
    expect_invalid("5b8000000000000000");
    expect_invalid("5a0000000500010203"); /* 5 declared, 4 present */
    expect_invalid("5f5bffffffffffffffff00ff");
    /* C3: arrays and maps of 2^63 items; a map of (SIZE_MAX/2)+1 pairs, whose 2*count would wrap
     * to 0 in size_t arithmetic. */
    expect_invalid("9b800000000000000000");
    expect_invalid("bb800000000000000000");
    expect_invalid("9bffffffffffffffff00");
    expect_invalid("bbffffffffffffffff00");
    char hex[64];
    uint64_t pairs = (uint64_t)(SIZE_MAX / 2) + 1;
    snprintf(hex, sizeof hex, "bb%016llx0000", (unsigned long long)pairs);
    expect_invalid(hex);
    snprintf(hex, sizeof hex, "ba%08x0000", (unsigned)(UINT32_MAX / 2 + 1));
    expect_invalid(hex);
    /* A count within the item bound but beyond the remaining bytes. */
    expect_invalid("98ff0000");
    assert_string_equal(doc.error, "truncated: more items declared than bytes remain");
    expect_invalid("a2010203");
}

static void
test_container_item_limit(void **state)
{
    (void)state;
    /* HC_CBOR_MAX_CONTAINER_ITEMS items per array or pairs per map, definite or not. */
    size_t max = HC_CBOR_MAX_CONTAINER_ITEMS;
    uint8_t *buf = malloc(8 + 2 * (max + 1));
    assert_non_null(buf);
    for (int indefinite = 0; indefinite < 2; indefinite++) {
        for (size_t items = max; items <= max + 1; items++) {
            size_t p = 0;
            if (indefinite) {
                buf[p++] = 0x9f;
            } else {
                buf[p++] = 0x99;
                buf[p++] = (uint8_t)(items >> 8);
                buf[p++] = (uint8_t)items;
            }
            memset(buf + p, 0x00, items);
            p += items;
            if (indefinite) {
                buf[p++] = 0xff;
            }
            assert_int_equal(decode_buf(buf, p, 0),
                             items <= max ? HC_OK : HC_ERR_STRUCTURE_INVALID);
            /* Maps: pairs (0: 0), all keys equal, so without the duplicate check. */
            p = 0;
            if (indefinite) {
                buf[p++] = 0xbf;
            } else {
                buf[p++] = 0xb9;
                buf[p++] = (uint8_t)(items >> 8);
                buf[p++] = (uint8_t)items;
            }
            memset(buf + p, 0x00, 2 * items);
            p += 2 * items;
            if (indefinite) {
                buf[p++] = 0xff;
            }
            assert_int_equal(decode_buf(buf, p, 0),
                             items <= max ? HC_OK : HC_ERR_STRUCTURE_INVALID);
        }
    }
    free(buf);
}

static void
test_node_exhaustion(void **state)
{
    (void)state;
    /* [1, 2, 3] needs 4 nodes. */
    size_t len;
    uint8_t *in = hc_test_hex("83010203", &len);
    uint32_t root;
    hc_cbor_node few[4];
    for (uint32_t cap = 0; cap <= 4; cap++) {
        hc_cbor_doc_init(&doc, few, cap, NULL, 0, 0);
        assert_int_equal(hc_cbor_decode(&doc, in, len, &root),
                         cap == 4 ? HC_OK : HC_ERR_STRUCTURE_INVALID);
    }
    hc_cbor_doc_init(&doc, NULL, 100, NULL, 0, 0);
    assert_int_equal(hc_cbor_decode(&doc, in, len, &root), HC_ERR_STRUCTURE_INVALID);
    free(in);

    /* HC_CBOR_MAX_NODES applies even with a larger array: 4 arrays of 1023 zeros is
     * 1 + 4 * 1024 = 4097 nodes. */
    size_t n = 1 + 4 * (3 + 1023);
    uint8_t *buf = malloc(n);
    assert_non_null(buf);
    size_t p = 0;
    buf[p++] = 0x84;
    for (int k = 0; k < 4; k++) {
        buf[p++] = 0x99;
        buf[p++] = 0x03;
        buf[p++] = 0xff;
        memset(buf + p, 0, 1023);
        p += 1023;
    }
    assert_int_equal(decode_buf(buf, p, 0), HC_ERR_STRUCTURE_INVALID);
    assert_string_equal(doc.error, "too many data items for the node array");
    buf[0] = 0x83; /* 3 * 1024 + 1 nodes fit */
    assert_int_equal(decode_buf(buf, 1 + 3 * 1026, 0), HC_OK);
    free(buf);
}

static void
test_duplicate_keys(void **state)
{
    (void)state;
    const char *reject[] = {
        "a204000401",                         /* int 4 twice */
        "a2 04 00 1804 01",                   /* 4 and 0x1804 */
        "a2 04 00 1b0000000000000004 01",     /* 4 and 8-byte 4 */
        "a2 20 00 390000 01",                 /* -1 and 0x390000 */
        "a2 6161 00 6161 01",                 /* text "a" twice */
        "a2 6161 00 7f6161ff 01",             /* "a" and indefinite "a" */
        "a2 420102 00 5f41014102ff 01",       /* bytes 0102 and the same in chunks */
        "a2 8101 00 8101 01",                 /* [1] twice */
        "a2 a10102 00 a10102 01",             /* {1: 2} twice */
        "a2 f93e00 00 fb3ff8000000000000 01", /* 1.5 as half and as double */
        "a2 c100 00 c100 01",                 /* 1(0) twice */
        "a2 f5 00 f5 01",                     /* true twice */
        "bf 04 00 04 01 ff",                  /* indefinite map */
        "a3010002000101",                     /* duplicate is not the first key */
        "a1 00 a2 6161 00 6161 01",           /* nested map */
        "81 a2 0000 0001",                    /* inside an array */
    };
    const char *accept[] = {
        "a2010020 01",                                 /* 1 and -1 */
        "a201 00 f93c00 01",                           /* 1 and 1.0 */
        "a2f90000 00 f98000 01",                       /* 0.0 and -0.0 */
        "a200 00 c000 01",                             /* 0 and 0(0) */
        "a2c000 00 c100 01",                           /* 0(0) and 1(0) */
        "a2 6161 00 4161 01",                          /* text "a" and bytes "a" */
        "a2 6161 00 6162 01",    "a2 616100 62616101", /* "a" and "aa" */
        "a2 8101 00 8102 01",    "a2 810100 82010101",     "a2 a0 00 80 01", /* {} and [] */
        "a2 f4 00 f5 01",        "a2 a10102 00 a10103 01",
    };
    char clean[128];
    for (size_t k = 0; k < sizeof reject / sizeof reject[0]; k++) {
        size_t o = 0;
        for (const char *c = reject[k]; *c; c++) {
            if (*c != ' ') {
                clean[o++] = *c;
            }
        }
        clean[o] = 0;
        if (decode_hex_opt(clean, HC_CBOR_REJECT_DUPLICATE_KEYS, NULL) !=
            HC_ERR_STRUCTURE_INVALID) {
            fail_msg("duplicate keys accepted: %s", clean);
        }
        assert_string_equal(doc.error, "duplicate map key");
        if (decode_hex_opt(clean, 0, NULL) != HC_OK) {
            fail_msg("without the option, %s refused: %s", clean, doc.error);
        }
    }
    for (size_t k = 0; k < sizeof accept / sizeof accept[0]; k++) {
        size_t o = 0;
        for (const char *c = accept[k]; *c; c++) {
            if (*c != ' ') {
                clean[o++] = *c;
            }
        }
        clean[o] = 0;
        if (decode_hex_opt(clean, HC_CBOR_REJECT_DUPLICATE_KEYS, NULL) != HC_OK) {
            fail_msg("distinct keys refused: %s: %s", clean, doc.error);
        }
    }
    /* The error points at the second occurrence. */
    decode_hex_opt("a3010002000101", HC_CBOR_REJECT_DUPLICATE_KEYS, NULL);
    assert_int_equal(doc.error_offset, 5);
    /* With the option off, lookups see the first pair. */
    uint32_t root;
    assert_int_equal(decode_hex_opt("a204000401", 0, &root), HC_OK);
    assert_int_equal(hc_cbor_map_get_int(&doc, root, 4), 2);

    /* A map of 1024 distinct keys is checked (quadratic, bounded). */
    size_t n = 3 + 1024 * 4;
    uint8_t *buf = malloc(n);
    assert_non_null(buf);
    size_t p = 0;
    buf[p++] = 0xb9;
    buf[p++] = 0x04;
    buf[p++] = 0x00;
    for (unsigned k = 0; k < 1024; k++) {
        buf[p++] = 0x19; /* key k as a 2-byte uint */
        buf[p++] = (uint8_t)(k >> 8);
        buf[p++] = (uint8_t)k;
        buf[p++] = 0xf6;
    }
    assert_int_equal(decode_buf(buf, p, HC_CBOR_REJECT_DUPLICATE_KEYS), HC_OK);
    buf[p - 3] = 0x00; /* the last key (1023) becomes 0, equal to the first */
    buf[p - 2] = 0x00;
    assert_int_equal(decode_buf(buf, p, HC_CBOR_REJECT_DUPLICATE_KEYS), HC_ERR_STRUCTURE_INVALID);
    free(buf);
}

/* ---- the DCC sample (dgc-testdata common CO1) ---- */

static uint8_t *
load_co1_cose(size_t *len)
{
    json_t *j = hc_test_load_json("eu-dcc/dgc-testdata/common/2DCode/raw/CO1.json");
    uint8_t *in = hc_test_hex(json_string_value(json_object_get(j, "COSE")), len);
    json_decref(j);
    return in;
}

static void
test_dcc_accessors(void **state)
{
    (void)state;
    size_t len;
    uint8_t *cose = load_co1_cose(&len);
    uint32_t root;
    hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch, HC_CBOR_REJECT_DUPLICATE_KEYS);
    assert_int_equal(hc_cbor_decode(&doc, cose, len, &root), HC_OK);

    /* COSE_Sign1 = 18([protected, unprotected, payload, signature]) (RFC 9052 §4.2). */
    uint64_t tags[1];
    size_t ntags = 0;
    uint32_t arr = hc_cbor_untag(&doc, root, tags, 1, &ntags);
    assert_int_equal(ntags, 1);
    assert_true(tags[0] == 18);
    const hc_cbor_node *a = hc_cbor_node_at(&doc, arr);
    assert_int_equal(a->type, HC_CBOR_ARRAY);
    assert_int_equal(a->count, 4);
    const hc_cbor_node *prot = hc_cbor_node_at(&doc, a->first);
    const hc_cbor_node *unprot = hc_cbor_node_at(&doc, prot->next);
    const hc_cbor_node *payload = hc_cbor_node_at(&doc, unprot->next);
    assert_int_equal(prot->type, HC_CBOR_BYTES);
    assert_int_equal(unprot->type, HC_CBOR_MAP);
    assert_int_equal(payload->type, HC_CBOR_BYTES);
    /* raw of the protected bstr = head + content: what Sig_structure needs. */
    assert_ptr_equal(prot->ptr, prot->raw + 1);

    /* Decode the protected header and the CWT from the views, as the COSE layer will. */
    static hc_cbor_node inner[64];
    hc_cbor_doc hd;
    hc_cbor_doc_init(&hd, inner, 64, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    assert_int_equal(hc_cbor_decode(&hd, prot->ptr, prot->len, &root), HC_OK);
    int64_t alg;
    assert_true(hc_cbor_get_int64(hc_cbor_node_at(&hd, hc_cbor_map_get_int(&hd, root, 1)), &alg));
    assert_int_equal(alg, -37); /* PS256 */
    const hc_cbor_node *kid = hc_cbor_node_at(&hd, hc_cbor_map_get_int(&hd, root, 4));
    assert_non_null(kid);
    assert_int_equal(kid->len, 8);

    hc_cbor_doc cwt;
    static hc_cbor_node cn[128];
    hc_cbor_doc_init(&cwt, cn, 128, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    assert_int_equal(hc_cbor_decode(&cwt, payload->ptr, payload->len, &root), HC_OK);
    const hc_cbor_node *iss = hc_cbor_node_at(&cwt, hc_cbor_map_get_int(&cwt, root, 1));
    assert_int_equal(iss->type, HC_CBOR_TEXT);
    assert_memory_equal(iss->ptr, "AT", 2);
    int64_t exp;
    assert_true(hc_cbor_get_int64(hc_cbor_node_at(&cwt, hc_cbor_map_get_int(&cwt, root, 4)), &exp));
    assert_true(exp == 0x6092dd20);
    uint32_t hcert = hc_cbor_map_get_int(&cwt, root, -260);
    uint32_t dgc = hc_cbor_map_get_int(&cwt, hcert, 1);
    uint32_t nam = hc_cbor_map_get_text(&cwt, dgc, "nam");
    const hc_cbor_node *fn = hc_cbor_node_at(&cwt, hc_cbor_map_get_text(&cwt, nam, "fn"));
    assert_non_null(fn);
    assert_int_equal(fn->len, strlen("Musterfrau-Gößinger"));
    assert_memory_equal(fn->ptr, "Musterfrau-Gößinger", fn->len);
    assert_int_equal(hc_cbor_map_get_text(&cwt, dgc, "nope"), HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_text(&cwt, dgc, NULL), HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_int(&cwt, root, 99), HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_int(&cwt, nam, 1), HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_int(&cwt, iss - cn, 1), HC_CBOR_NONE); /* not a map */
    assert_int_equal(hc_cbor_map_get_int(&cwt, HC_CBOR_NONE, 1), HC_CBOR_NONE);
    assert_int_equal(hc_cbor_map_get_text(NULL, 0, "a"), HC_CBOR_NONE);

    /* Typical cost on the hot path (informational; never asserted): the best of 50 batches, so
     * that a busy machine does not distort it much. */
    double best = 1e18;
    for (int batch = 0; batch < 50; batch++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int k = 0; k < 1000; k++) {
            hc_cbor_decode(&cwt, payload->ptr, payload->len, &root);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ns =
            ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1000;
        best = ns < best ? ns : best;
    }
    print_message("decode of the CO1 CWT (%zu bytes, %u items, duplicate keys refused): %.0f ns\n",
                  payload->len, cwt.count, best);
    free(cose);
}

static void
test_untag(void **state)
{
    (void)state;
    /* 61(18(0)) read with room for 1 tag: both counted, one stored (t_cose #313 shape, C17). */
    uint32_t root;
    assert_int_equal(decode_hex_opt("d83dd200", 0, &root), HC_OK);
    uint64_t tags[2] = { 0, 0 };
    size_t ntags = 0;
    uint32_t inner = hc_cbor_untag(&doc, root, tags, 1, &ntags);
    assert_int_equal(inner, 2);
    assert_int_equal(ntags, 2);
    assert_true(tags[0] == 61);
    assert_true(tags[1] == 0); /* untouched */
    inner = hc_cbor_untag(&doc, root, NULL, 0, NULL);
    assert_int_equal(inner, 2);
    /* 16 nested tags. */
    assert_int_equal(decode_hex_opt("c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c100", 0, &root), HC_OK);
    assert_int_equal(hc_cbor_untag(&doc, root, tags, 2, &ntags), 16);
    assert_int_equal(ntags, 16);
    /* No tag. */
    assert_int_equal(decode_hex_opt("00", 0, &root), HC_OK);
    assert_int_equal(hc_cbor_untag(&doc, root, tags, 2, &ntags), 0);
    assert_int_equal(ntags, 0);
    assert_int_equal(hc_cbor_untag(&doc, 5, tags, 2, &ntags), HC_CBOR_NONE);
}

static void
test_truncated_prefixes(void **state)
{
    (void)state;
    /* Every proper prefix of a valid document is refused (and never read past). */
    size_t len;
    uint8_t *cose = load_co1_cose(&len);
    for (size_t l = 0; l < len; l++) {
        uint8_t *copy = malloc(l ? l : 1); /* exact-size copy so ASan sees any over-read */
        assert_non_null(copy);
        memcpy(copy, cose, l);
        if (decode_buf(copy, l, HC_CBOR_REJECT_DUPLICATE_KEYS) != HC_ERR_STRUCTURE_INVALID) {
            fail_msg("prefix of %zu bytes accepted", l);
        }
        assert_true(doc.error_offset <= l);
        free(copy);
    }
    assert_int_equal(decode_buf(cose, len, HC_CBOR_REJECT_DUPLICATE_KEYS), HC_OK);
    free(cose);

    /* The same for a document with every kind of item. */
    uint8_t *all = hc_test_hex("bf616182f93e00fa47c35000626262d8185f4101ff6163"
                               "7f6161ff61649f20f4f5f6f7f0f820fb3ff199999999999aff"
                               "6165a201413b023b0000000100000000ff",
                               &len);
    assert_int_equal(decode_buf(all, len, HC_CBOR_REJECT_DUPLICATE_KEYS), HC_OK);
    for (size_t l = 0; l < len; l++) {
        uint8_t *copy = malloc(l ? l : 1);
        assert_non_null(copy);
        memcpy(copy, all, l);
        assert_int_equal(decode_buf(copy, l, 0), HC_ERR_STRUCTURE_INVALID);
        free(copy);
    }
    free(all);
}

static void
test_exhaustive_small(void **state)
{
    (void)state;
    /* Every 1- and 2-byte input (QCBOR's exhaustive idea): never a crash, a definite answer, and
     * the accepted ones re-encode to something that decodes again. */
    unsigned ok = 0, refused = 0;
    for (unsigned len = 1; len <= 2; len++) {
        for (unsigned v = 0; v < (1u << (8 * len)); v++) {
            uint8_t *in = malloc(len); /* exact size: over-reads are caught by ASan */
            assert_non_null(in);
            in[0] = (uint8_t)(len == 1 ? v : v >> 8);
            if (len == 2) {
                in[1] = (uint8_t)v;
            }
            hc_err rc = decode_buf(in, len, HC_CBOR_REJECT_DUPLICATE_KEYS);
            if (rc == HC_OK) {
                ok++;
                uint8_t out[16];
                hc_cbor_writer w;
                size_t out_len;
                hc_cbor_writer_init(&w, out, sizeof out);
                assert_int_equal(hc_cbor_encode_node(&w, &doc, 0), HC_OK);
                assert_int_equal(hc_cbor_writer_finish(&w, &out_len), HC_OK);
                assert_true(out_len <= len);
                assert_int_equal(decode_buf(out, out_len, HC_CBOR_REJECT_DUPLICATE_KEYS), HC_OK);
                json_t *j = hc_cbor_to_json(&doc, 0, 0);
                json_decref(j);
            } else {
                assert_int_equal(rc, HC_ERR_STRUCTURE_INVALID);
                assert_non_null(doc.error);
                assert_true(doc.error_offset <= len);
                refused++;
            }
            free(in);
        }
    }
    print_message("1- and 2-byte inputs: %u accepted, %u refused\n", ok, refused);
    assert_int_equal(ok + refused, 256 + 65536);
}

static void
test_api_misuse(void **state)
{
    (void)state;
    uint32_t root;
    uint8_t b = 0;
    assert_int_equal(hc_cbor_decode(NULL, &b, 1, &root), HC_ERR_INVALID_ARG);
    hc_cbor_doc_init(&doc, nodes, NODES, NULL, 0, 0);
    assert_int_equal(hc_cbor_decode(&doc, &b, 1, NULL), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_cbor_decode(&doc, NULL, 1, &root), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_cbor_decode(&doc, NULL, 0, &root), HC_ERR_STRUCTURE_INVALID);
    hc_cbor_doc_init(NULL, nodes, NODES, NULL, 0, 0); /* no crash */
    /* Decoding again replaces the previous tree and clears the error. */
    expect_invalid("ff");
    assert_int_equal(decode_buf(&b, 1, 0), HC_OK);
    assert_null(doc.error);
    assert_int_equal(doc.count, 1);
}

/* ---- JSON mapping ---- */

static void
expect_json(const char *hex, const char *want_text, unsigned flags)
{
    uint32_t root;
    if (decode_hex_opt(hex, 0, &root) != HC_OK) {
        fail_msg("%s: %s", hex, doc.error);
    }
    json_t *got = hc_cbor_to_json(&doc, root, flags);
    json_error_t e;
    json_t *want = json_loads(want_text, JSON_DECODE_ANY, &e);
    assert_non_null(want);
    if (got == NULL || !json_equal(got, want)) {
        char *g = got ? json_dumps(got, JSON_ENCODE_ANY) : NULL;
        fail_msg("%s: got %s want %s", hex, g ? g : "NULL", want_text);
    }
    json_decref(got);
    json_decref(want);
}

static void
test_to_json(void **state)
{
    (void)state;
    expect_json("00", "0", 0);
    expect_json("1b7fffffffffffffff", "9223372036854775807", 0);
    expect_json("3b7fffffffffffffff", "-9223372036854775808", 0);
    expect_json("1b8000000000000000", "9.2233720368547758e18", 0); /* beyond int64: real */
    expect_json("3bffffffffffffffff", "-1.8446744073709552e19", 0);
    expect_json("f93c00", "1.0", 0); /* integral floats stay real */
    expect_json("f90000", "0.0", 0);
    expect_json("fb3ff199999999999a", "1.1", 0);
    expect_json("4401020304", "\"AQIDBA==\"", 0); /* base64 with padding */
    expect_json("4401020304", "\"01020304\"", HC_CBOR_JSON_BYTES_HEX);
    expect_json("40", "\"\"", 0);
    expect_json("5f42010243030405ff", "\"AQIDBAU=\"", 0);
    expect_json("6161", "\"a\"", 0);
    expect_json("c074323031332d30332d32315432303a30343a30305a", "\"2013-03-21T20:04:00Z\"", 0);
    expect_json("c11a514b67b0", "1363896240", 0);
    expect_json("d83dd28100", "[0]", 0); /* stacked tags dropped */
    expect_json("f4", "false", 0);
    expect_json("f5", "true", 0);
    expect_json("f6", "null", 0);
    expect_json("f7", "null", 0); /* undefined */
    expect_json("f0", "16", 0);
    expect_json("f8ff", "255", 0);
    expect_json("80", "[]", 0);
    expect_json("a0", "{}", 0);
    expect_json("9f018202039f0405ffff", "[1,[2,3],[4,5]]", 0);
    expect_json("a26161016162820203", "{\"a\":1,\"b\":[2,3]}", 0);
    /* Non-text keys become text. */
    expect_json("a201020304", "{\"1\":2,\"3\":4}", 0);
    expect_json("a120f6", "{\"-1\":null}", 0);
    expect_json("a11bffffffffffffffff00", "{\"18446744073709551615\":0}", 0);
    expect_json("a13bffffffffffffffff00", "{\"-18446744073709551616\":0}", 0);
    expect_json("a13b000000010000000000", "{\"-4294967297\":0}", 0);
    expect_json("a1420102f6", "{\"AQI=\":null}", 0);
    expect_json("a1420102f6", "{\"0102\":null}", HC_CBOR_JSON_BYTES_HEX);
    expect_json("a1f500", "{\"true\":0}", 0);
    expect_json("a1f600", "{\"null\":0}", 0);
    expect_json("a1f93e0000", "{\"1.5\":0}", 0);
    expect_json("a182010200", "{\"ggEC\":0}", 0);          /* base64 of 820102 */
    expect_json("a1a1616101f6", "{\"oWFhAQ==\":null}", 0); /* base64 of a1616101 */
    expect_json("a1a1616101f6", "{\"a1616101\":null}", HC_CBOR_JSON_BYTES_HEX);
    expect_json("a1c1616100", "{\"a\":0}", 0);     /* tagged key: the tag is dropped */
    expect_json("a2616100616101", "{\"a\":1}", 0); /* duplicate keys (option off): last wins */
    expect_json("a20100616101", "{\"1\":0,\"a\":1}", 0);
    expect_json("a20100a10102f6", "{\"1\":0,\"oQEC\":null}", 0);
    expect_json("a2f700f401", "{\"null\":0,\"false\":1}", 0); /* undefined key -> "null" */
    expect_json("a1f000", "{\"16\":0}", 0);
}

static void
test_to_json_edge(void **state)
{
    (void)state;
    uint32_t root;
    /* JSON has no NaN or infinity (RFC 8259 §6): the conversion fails cleanly. */
    const char *nonfinite[] = { "f97e00", "f97c00", "fbfff0000000000000", "82 01f97e00",
                                "a1 6161 81 f97c00" };
    for (size_t k = 0; k < sizeof nonfinite / sizeof nonfinite[0]; k++) {
        char clean[64];
        size_t o = 0;
        for (const char *c = nonfinite[k]; *c; c++) {
            if (*c != ' ') {
                clean[o++] = *c;
            }
        }
        clean[o] = 0;
        assert_int_equal(decode_hex_opt(clean, 0, &root), HC_OK);
        assert_null(hc_cbor_to_json(&doc, root, 0));
    }
    /* Bad indices. */
    assert_int_equal(decode_hex_opt("8101", 0, &root), HC_OK);
    assert_null(hc_cbor_to_json(&doc, 7, 0));
    assert_null(hc_cbor_to_json(&doc, HC_CBOR_NONE, 0));
    assert_null(hc_cbor_to_json(NULL, 0, 0));
    /* A subtree. */
    json_t *j = hc_cbor_to_json(&doc, 1, 0);
    void *it;
    assert_int_equal(json_integer_value(j), 1);
    json_decref(j);
    /* The deepest document the decoder accepts converts. */
    uint8_t buf[2 * HC_CBOR_MAX_DEPTH + 1];
    memset(buf, 0x81, HC_CBOR_MAX_DEPTH);
    buf[HC_CBOR_MAX_DEPTH] = 0x00;
    assert_int_equal(decode_buf(buf, HC_CBOR_MAX_DEPTH + 1, 0), HC_OK);
    j = hc_cbor_to_json(&doc, 0, 0);
    assert_non_null(j);
    json_decref(j);
    /* Maps as keys of maps as keys, 15 deep: the key text stays linear in the input (JSON text
     * of nested keys would re-escape quotes at every level and double each time). */
    uint8_t nest[64];
    size_t p = 0;
    nest[p++] = 0xa1;
    for (int k = 0; k < HC_CBOR_MAX_DEPTH - 1; k++) {
        nest[p++] = 0xa1;
    }
    nest[p++] = 0x00;
    for (int k = 0; k < HC_CBOR_MAX_DEPTH; k++) {
        nest[p++] = 0x00;
    }
    assert_int_equal(decode_buf(nest, p, 0), HC_OK);
    j = hc_cbor_to_json(&doc, 0, 0);
    assert_non_null(j);
    it = json_object_iter(j);
    assert_true(json_object_iter_key_len(it) <= HC_BASE64_LEN_FOR_TEST(p));
    json_decref(j);

    /* Embedded NUL in text and keys survives. */
    assert_int_equal(decode_hex_opt("a1626100626200", 0, &root), HC_OK);
    j = hc_cbor_to_json(&doc, root, 0);
    assert_non_null(j);
    it = json_object_iter(j);
    assert_int_equal(json_object_iter_key_len(it), 2);
    assert_int_equal(json_string_length(json_object_iter_value(it)), 2);
    json_decref(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_simple_values),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_chunk_limit),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_reserved_ai),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_declared_sizes),
        cmocka_unit_test(test_container_item_limit),
        cmocka_unit_test(test_node_exhaustion),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_dcc_accessors),
        cmocka_unit_test(test_untag),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_exhaustive_small),
        cmocka_unit_test(test_api_misuse),
        cmocka_unit_test(test_to_json),
        cmocka_unit_test(test_to_json_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
