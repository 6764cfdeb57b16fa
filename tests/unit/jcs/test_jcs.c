/*
 * test_jcs.c: RFC 8785 canonicalization: the RFC's own examples (§3.2.2 input/output, §3.2.3
 * member sorting, Appendix B number serialisation), escapes, bounds and hostile values.
 */
#include "testlib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"
#include "jcs.h"

static char *
canon(const char *json, size_t *len)
{
    json_error_t je;
    json_t *v = json_loads(json, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    assert_non_null(v);
    char *out = NULL;
    assert_int_equal(hc_jcs_serialize(v, 1 << 20, &out, len), HC_OK);
    json_decref(v);
    return out;
}

static void
expect(const char *json, const char *want)
{
    size_t n;
    char *got = canon(json, &n);
    if (strcmp(got, want) != 0) {
        print_error("input  %s\n got   %s\n want  %s\n", json, got, want);
    }
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
    free(got);
}

/* RFC 8785 §3.2.2: the example with numbers, an escaped string and literals. */
static void
test_rfc_example(void **state)
{
    (void)state;
    expect(
        "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
        "\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        "  \"literals\": [null, true, false]\n}",
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 §3.2.3: members sorted by UTF-16 code units (the emoji's surrogates, D83D, sort
 * before U+FB33 although its code point is larger). */
static void
test_rfc_sorting(void **state)
{
    (void)state;
    expect("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew\","
           " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji\", \"\\u0080\": \"Control\","
           " \"\\u00f6\": \"o\"}",
           "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"o\","
           "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji\",\"\xef\xac\xb3\":"
           "\"Hebrew\"}");
    assert_true(hc_jcs_key_cmp("a", 1, "ab", 2) < 0);
    assert_true(hc_jcs_key_cmp("b", 1, "ab", 2) > 0);
    assert_int_equal(hc_jcs_key_cmp("", 0, "", 0), 0);
    /* U+FFFF (one unit FFFF) after U+10000 (units D800 DC00). */
    assert_true(hc_jcs_key_cmp("\xef\xbf\xbf", 3, "\xf0\x90\x80\x80", 4) > 0);
}

/* RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript text. */
static void
test_rfc_numbers(void **state)
{
    (void)state;
    static const struct {
        uint64_t bits;
        const char *text;
    } cases[] = {
        { 0x0000000000000000ULL, "0" },
        { 0x8000000000000000ULL, "0" },
        { 0x0000000000000001ULL, "5e-324" },
        { 0x8000000000000001ULL, "-5e-324" },
        { 0x7fefffffffffffffULL, "1.7976931348623157e+308" },
        { 0xffefffffffffffffULL, "-1.7976931348623157e+308" },
        { 0x4340000000000000ULL, "9007199254740992" },
        { 0xc340000000000000ULL, "-9007199254740992" },
        { 0x4430000000000000ULL, "295147905179352830000" },
        { 0x44b52d02c7e14af5ULL, "9.999999999999997e+22" },
        { 0x44b52d02c7e14af6ULL, "1e+23" },
        { 0x44b52d02c7e14af7ULL, "1.0000000000000001e+23" },
        { 0x444b1ae4d6e2ef4eULL, "999999999999999700000" },
        { 0x444b1ae4d6e2ef4fULL, "999999999999999900000" },
        { 0x444b1ae4d6e2ef50ULL, "1e+21" },
        { 0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7" },
        { 0x3eb0c6f7a0b5ed8dULL, "0.000001" },
        { 0x41b3de4355555553ULL, "333333333.3333332" },
        { 0x41b3de4355555554ULL, "333333333.33333325" },
        { 0x41b3de4355555555ULL, "333333333.3333333" },
        { 0x41b3de4355555556ULL, "333333333.3333334" },
        { 0x41b3de4355555557ULL, "333333333.33333343" },
        { 0xbecbf647612f3696ULL, "-0.0000033333333333333333" },
        { 0x43143ff3c1cb0959ULL, "1424953923781206.2" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d;
        char buf[HC_JCS_NUMBER_MAX];
        size_t n;
        memcpy(&d, &cases[i].bits, sizeof d);
        assert_int_equal(hc_jcs_number(d, buf, sizeof buf, &n), HC_OK);
        if (strcmp(buf, cases[i].text) != 0) {
            print_error("%016llx: got %s, want %s\n", (unsigned long long)cases[i].bits, buf,
                        cases[i].text);
        }
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
    char buf[HC_JCS_NUMBER_MAX];
    size_t n;
    assert_int_equal(hc_jcs_number(NAN, buf, sizeof buf, &n), HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(hc_jcs_number(INFINITY, buf, sizeof buf, &n), HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(hc_jcs_number(1, buf, 4, &n), HC_ERR_BUFFER_TOO_SMALL);
}

/* Integers are doubles to ECMAScript; plain and exponent notation switch at 1e21 and 1e-7. */
static void
test_number_forms(void **state)
{
    (void)state;
    expect("[1, -1, 100, 1.0, 1e2, 12.5e-1, 1e20, 1e21, 1e-6, 1e-7, 0.1, 123e-10, -0.0]",
           "[1,-1,100,1,100,1.25,100000000000000000000,1e+21,0.000001,1e-7,0.1,1.23e-8,0]");
    expect("9007199254740993", "9007199254740992");
    expect("[0.30000000000000004, 5e-324, 2.5e-5]", "[0.30000000000000004,5e-324,0.000025]");
}

/* Control characters, DEL, U+2028 and non-ASCII stay literal or get the short escapes. */
static void
test_strings(void **state)
{
    (void)state;
    expect("\"\\b\\t\\n\\f\\r\\u0001\\u001f\\u007f\\u2028\\u00e9/\"",
           "\"\\b\\t\\n\\f\\r\\u0001\\u001f\x7f\xe2\x80\xa8\xc3\xa9/\"");
    expect("{\"b\": {\"d\": 1, \"c\": [ {\"z\":0, \"y\":1} ]}, \"a\": \"\"}",
           "{\"a\":\"\",\"b\":{\"c\":[{\"y\":1,\"z\":0}],\"d\":1}}");
    expect("{}", "{}");
    expect("[]", "[]");
    expect("\"\"", "\"\"");
}

/* Different texts of one value give one canonical form (security.md I7). */
static void
test_reserialised_equal(void **state)
{
    (void)state;
    size_t n1, n2;
    char *a = canon(
        "{\"hdr\":{\"t\":\"icao.vacc\",\"v\":1,\"is\":\"UTO\"},\"msg\":{\"n\":\"\\u00e9\"}}", &n1);
    char *b =
        canon("{ \"msg\" : { \"n\" : \"\xc3\xa9\" } ,\n \"hdr\" : { \"is\" : \"UTO\", \"v\" : 1.0,"
              " \"t\" : \"icao\\u002evacc\" } }",
              &n2);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* Bounds: output cap, nesting depth, NULL arguments. */
static void
test_bounds(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n = 0;
    json_t *v = json_pack("{s:s}", "key", "a fairly long value");
    assert_int_equal(hc_jcs_serialize(v, 10, &out, &n), HC_ERR_INPUT_TOO_LARGE);
    assert_null(out);
    assert_int_equal(hc_jcs_serialize(v, 29, &out, &n), HC_OK);
    assert_int_equal(n, 29);
    free(out);
    assert_int_equal(hc_jcs_serialize(v, 28, &out, &n), HC_ERR_INPUT_TOO_LARGE);
    json_decref(v);

    json_t *deep = json_array();
    json_t *cur = deep;
    for (int i = 0; i < HC_MAX_JSON_DEPTH + 5; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    assert_int_equal(hc_jcs_serialize(deep, 1 << 20, &out, &n), HC_ERR_STRUCTURE_INVALID);
    json_decref(deep);
    assert_int_equal(hc_jcs_serialize(NULL, 10, &out, &n), HC_ERR_INVALID_ARG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example), cmocka_unit_test(test_rfc_sorting),
        cmocka_unit_test(test_rfc_numbers), cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_strings),     cmocka_unit_test(test_reserialised_equal),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
