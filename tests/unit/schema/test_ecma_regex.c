/*
 * test_ecma_regex.c: the ECMA-262 pattern subset of ecma_regex.h, feature by feature, on both
 * engines (Pike VM and DFA), plus refusals and pathological patterns that must stay linear.
 */
#include "testlib.h"

#include <string.h>
#include <time.h>

#include "ecma_regex.h"

/* Matches text with pattern on both engines; they must agree. Returns the verdict. */
static int
match_both(const char *pattern, const char *text, size_t len)
{
    hc_regex *pike = NULL, *dfa = NULL;
    char err[160];
    hc_err rc = hc_regex_compile(pattern, strlen(pattern), HC_REGEX_NO_DFA, &pike, err, sizeof err);
    if (rc != HC_OK) {
        fail_msg("cannot compile %s: %s", pattern, err);
    }
    assert_int_equal(hc_regex_compile(pattern, strlen(pattern), 0, &dfa, err, sizeof err), HC_OK);
    assert_false(hc_regex_uses_dfa(pike));
    int a = hc_regex_match(pike, text, len);
    int b = hc_regex_match(dfa, text, len);
    if (a != b) {
        fail_msg("engines disagree on /%s/ vs \"%s\": pike %d dfa %d", pattern, text, a, b);
    }
    hc_regex_free(pike);
    hc_regex_free(dfa);
    return a;
}

#define YES(p, t) assert_int_equal(match_both((p), (t), strlen(t)), 1)
#define NO(p, t)  assert_int_equal(match_both((p), (t), strlen(t)), 0)

static void
expect_refused(const char *pattern, hc_err want)
{
    hc_regex *re = (hc_regex *)1;
    char err[160];
    assert_int_equal(hc_regex_compile(pattern, strlen(pattern), 0, &re, err, sizeof err), want);
    assert_null(re);
    assert_true(strlen(err) > 0); /* always a reason */
}

static void
test_literals_and_search(void **state)
{
    (void)state;
    YES("abc", "abc");
    YES("abc", "xxabcxx"); /* JSON Schema patterns are not anchored (Validation §6.3.3) */
    NO("abc", "ab");
    NO("abc", "acb");
    YES("", "");
    YES("", "anything");
    YES("é", "café"); /* code points, not bytes */
    NO("é", "cafe");
    YES("😀", "a😀b");
}

static void
test_anchors(void **state)
{
    (void)state;
    YES("^abc", "abcd");
    NO("^abc", "xabc");
    YES("abc$", "xabc");
    NO("abc$", "abcx");
    NO("abc$", "abc\n"); /* no multiline flag: $ is the end of input only */
    YES("^$", "");
    NO("^$", "a");
    NO("a^b", "ab");
    YES("^a|b$", "ab");
    YES("(^a|b)c", "xbc");
    NO("(^a|b)c", "xac");
}

static void
test_dot(void **state)
{
    (void)state;
    YES("^.$", "a");
    YES("^.$", "é"); /* one code point (u flag) */
    YES("^.$", "😀"); /* astral: one code point too */
    NO("^.$", "\n");
    NO("^.$", "\r");
    NO("^.$", "\xe2\x80\xa8"); /* U+2028 LINE SEPARATOR */
    NO("^..$", "a");
    YES("a.c", "abc");
}

static void
test_escapes(void **state)
{
    (void)state;
    YES("^\\d+$", "0123456789");
    NO("^\\d$", "a");
    NO("^\\d$", "\xd9\xa3"); /* ARABIC-INDIC DIGIT THREE: \d is ASCII only */
    YES("^\\D$", "a");
    YES("^\\w+$", "aZ_09");
    NO("^\\w$", "-");
    NO("^\\w$", "é");
    YES("^\\W$", "é");
    YES("^\\s$", " ");
    YES("^\\s$", "\t");
    YES("^\\s$", "\xc2\xa0");     /* NBSP */
    YES("^\\s$", "\xe3\x80\x80"); /* IDEOGRAPHIC SPACE */
    YES("^\\s$", "\xef\xbb\xbf"); /* ZWNBSP */
    NO("^\\s$", "x");
    YES("^\\S$", "x");
    YES("^\\.$", ".");
    NO("^\\.$", "a");
    YES("^\\t\\n$", "\t\n");
    YES("^\\x41\\u0042\\u{43}$", "ABC");
    YES("^\\uD83D\\uDE00$", "😀"); /* surrogate pair escapes combine */
    YES("^\\u{1F600}$", "😀");
    YES("^\\cJ$", "\n");
    YES("^\\^\\$\\\\\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/$", "^$\\*+?()[]{}|/");
    YES("\\bfoo\\b", "a foo b");
    NO("\\bfoo\\b", "afoob");
    YES("\\Boo\\B", "fooo.");
    NO("\\Bfoo", "foo");
    YES("^\\-$", "-");
}

static void
test_classes(void **state)
{
    (void)state;
    YES("^[A-Z<]*$", "DARSONS<VAN<HALEN");
    NO("^[A-Z<]*$", "Darsons");
    YES("^[A-Z<]*$", ""); /* * allows empty */
    YES("[abc]", "xxbxx");
    NO("[abc]", "xyz");
    YES("^[^abc]$", "d");
    NO("^[^abc]$", "a");
    YES("^[^abc]$", "é");
    YES("^[-a]$", "-");
    YES("^[a-]$", "-");
    YES("^[\\d-]+$", "12-3");
    YES("^[\\w.]+$", "a.b_c");
    YES("^[\\-\\]]+$", "-]");
    YES("^[\\b]$", "\b");
    YES("^[à-ÿ]$", "é");
    NO("^[à-ÿ]$", "e");
    NO("^[]$", "a"); /* empty class matches nothing */
    YES("^[^]$", "a");
    YES("^[\\D]$", "a");
    NO("^[\\D]$", "1");
    YES("^[😀-😂]$", "😁");
}

static void
test_groups_and_alternation(void **state)
{
    (void)state;
    YES("^(ab|cd)$", "cd");
    NO("^(ab|cd)$", "ad");
    YES("^(?:ab|cd)+$", "abcdab");
    YES("^(?<year>\\d{4})$", "2021");
    YES("^(a|)$", "");
    YES("^(|a)b$", "ab");
    YES("^a|b|c$", "xxc");
    YES("^((a|b)(c|d))*$", "acbdad");
    NO("^((a|b)(c|d))*$", "acb");
}

static void
test_quantifiers(void **state)
{
    (void)state;
    YES("^a*$", "");
    YES("^a*$", "aaaa");
    NO("^a+$", "");
    YES("^a+$", "aaa");
    YES("^ab?c$", "ac");
    YES("^ab?c$", "abc");
    NO("^ab?c$", "abbc");
    YES("^a{3}$", "aaa");
    NO("^a{3}$", "aa");
    NO("^a{3}$", "aaaa");
    YES("^a{2,}$", "aaaaa");
    NO("^a{2,}$", "a");
    YES("^a{1,3}$", "aaa");
    NO("^a{1,3}$", "aaaa");
    YES("^a{0}$", "");
    YES("^a*?b+?c??$", "aabb"); /* lazy: same yes/no as greedy */
    YES("^a{2,3}?$", "aa");
    YES("^(ab){2}$", "abab");
    YES("[A-Z]{1,10}", "xYz"); /* the DCC country pattern: unanchored */
    NO("[A-Z]{1,10}", "");
}

/* The nine DCC schema releases use exactly these five patterns. */
static void
test_dcc_patterns(void **state)
{
    (void)state;
    const char *ver = "^\\d+.\\d+.\\d+$";
    YES(ver, "1.3.0");
    YES(ver, "1x3y0"); /* the unescaped "." in the official pattern matches anything */
    NO(ver, "1.3");
    NO(ver, "v1.3.0");
    const char *dob = "^((19|20)\\d\\d(-\\d\\d){0,2}){0,1}$";
    YES(dob, "");
    YES(dob, "1964");
    YES(dob, "1964-01");
    YES(dob, "1964-01-31");
    YES(dob, "1963-00"); /* the pattern does not check month ranges */
    NO(dob, "1809-02-28");
    NO(dob, "2100-01-01");
    NO(dob, "1964-01-31-01");
    NO(dob, "1978-01-26T00:00:00");
    const char *old_dob = "(19|20)\\d{2}-\\d{2}-\\d{2}";
    YES(old_dob, "1978-01-26T00:00:00"); /* 1.0.x: unanchored */
    NO(old_dob, "1963");
    const char *old_dob2 = "^(19|20)\\d\\d(-\\d\\d){0,2}$";
    YES(old_dob2, "1963");
    NO(old_dob2, "");
}

static void
test_invalid_utf8_input(void **state)
{
    (void)state;
    /* An invalid byte reads as U+FFFD, on both engines. */
    assert_int_equal(match_both("^.$", "\xff", 1), 1);
    assert_int_equal(match_both("^..$", "\xc3", 1), 0);
    assert_int_equal(match_both("^\\uFFFD$", "\xed\xa0\x80", 3), 0); /* surrogate: 3 x U+FFFD */
    assert_int_equal(match_both("^\\uFFFD{3}$", "\xed\xa0\x80", 3), 1);
    assert_int_equal(match_both("^a\\0b$", "a\0b", 3), 1); /* NUL inside the input */
}

static void
test_refusals(void **state)
{
    (void)state;
    expect_refused("(?=a)", HC_ERR_UNSUPPORTED);
    expect_refused("(?!a)", HC_ERR_UNSUPPORTED);
    expect_refused("(?<=a)b", HC_ERR_UNSUPPORTED);
    expect_refused("(?<!a)b", HC_ERR_UNSUPPORTED);
    expect_refused("(a)\\1", HC_ERR_UNSUPPORTED);
    expect_refused("\\p{L}", HC_ERR_UNSUPPORTED);
    expect_refused("(?<n>a)\\k<n>", HC_ERR_UNSUPPORTED);
    expect_refused("a{1001}", HC_ERR_UNSUPPORTED);
    expect_refused("(((a{100}){100}){100})", HC_ERR_UNSUPPORTED); /* program size bound */
    expect_refused("(", HC_ERR_INVALID_ARG);
    expect_refused(")", HC_ERR_INVALID_ARG);
    expect_refused("[a", HC_ERR_INVALID_ARG);
    expect_refused("*a", HC_ERR_INVALID_ARG);
    expect_refused("a**", HC_ERR_INVALID_ARG);
    expect_refused("a{2,1}", HC_ERR_INVALID_ARG);
    expect_refused("a{", HC_ERR_INVALID_ARG);
    expect_refused("a{1", HC_ERR_INVALID_ARG);
    expect_refused("]", HC_ERR_INVALID_ARG);
    expect_refused("}", HC_ERR_INVALID_ARG);
    expect_refused("[z-a]", HC_ERR_INVALID_ARG);
    expect_refused("[\\d-z]", HC_ERR_INVALID_ARG);
    expect_refused("\\q", HC_ERR_INVALID_ARG);
    expect_refused("\\", HC_ERR_INVALID_ARG);
    expect_refused("\\x4", HC_ERR_INVALID_ARG);
    expect_refused("\\u{110000}", HC_ERR_INVALID_ARG);
    expect_refused("^*", HC_ERR_INVALID_ARG);
    expect_refused("\\b+", HC_ERR_INVALID_ARG);
    expect_refused("(?x)", HC_ERR_INVALID_ARG);
    expect_refused("\xff", HC_ERR_INVALID_ARG); /* invalid UTF-8 pattern */
    char deep[200];
    memset(deep, '(', 100);
    memset(deep + 100, ')', 100);
    hc_regex *re = NULL;
    assert_int_equal(hc_regex_compile(deep, 200, 0, &re, NULL, 0), HC_ERR_UNSUPPORTED);
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Patterns that take exponential time in a backtracking matcher; here they are linear. */
static void
test_pathological(void **state)
{
    (void)state;
    static char text[100001];
    memset(text, 'a', sizeof text - 1);
    const char *patterns[] = { "(a*)*b",          "(a+)+b",     "(a|a)*b",      "(a|aa)*c",
                               "^(a?){50}a{50}$", "(.*a){20}b", "(\\w+\\s?)*$x" };
    double t0 = now_ms();
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        for (unsigned flags = 0; flags <= HC_REGEX_NO_DFA; flags += HC_REGEX_NO_DFA) {
            hc_regex *re = NULL;
            assert_int_equal(
                hc_regex_compile(patterns[i], strlen(patterns[i]), flags, &re, NULL, 0), HC_OK);
            assert_int_equal(hc_regex_match(re, text, sizeof text - 1), 0);
            hc_regex_free(re);
        }
    }
    /* ^(a?){50}a{50}$ on 50 a's: the classic exponential case; must match. */
    assert_int_equal(match_both("^(a?){50}a{50}$", text, 50), 1);
    double ms = now_ms() - t0;
    /* Informational only (tests never assert on time): a backtracker would not finish at all, and
     * ctest's per-test timeout (tests/CMakeLists.txt) turns a hang into a failure. */
    print_message("pathological patterns on 100,000 characters: %.1f ms\n", ms);
}

/* The DFA is used for every DCC pattern (speed on the verify path). */
static void
test_dfa_used_for_dcc_patterns(void **state)
{
    (void)state;
    const char *pats[] = {
        "^\\d+.\\d+.\\d+$", "^((19|20)\\d\\d(-\\d\\d){0,2}){0,1}$", "^[A-Z<]*$",
        "[A-Z]{1,10}",      "(19|20)\\d{2}-\\d{2}-\\d{2}",          "^(19|20)\\d\\d(-\\d\\d){0,2}$"
    };
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        hc_regex *re = NULL;
        assert_int_equal(hc_regex_compile(pats[i], strlen(pats[i]), 0, &re, NULL, 0), HC_OK);
        assert_true(hc_regex_uses_dfa(re));
        hc_regex_free(re);
    }
}

static void
test_api_edges(void **state)
{
    (void)state;
    hc_regex *re = NULL;
    assert_int_equal(hc_regex_compile(NULL, 0, 0, &re, NULL, 0), HC_OK); /* empty pattern */
    assert_int_equal(hc_regex_match(re, NULL, 0), 1);
    assert_int_equal(hc_regex_match(NULL, "a", 1), -1);
    hc_regex_free(re);
    hc_regex_free(NULL);
    assert_int_equal(hc_regex_compile("a", 1, 0, NULL, NULL, 0), HC_ERR_INVALID_ARG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_search),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_groups_and_alternation),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_dcc_patterns),
        cmocka_unit_test(test_invalid_utf8_input),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_dfa_used_for_dcc_patterns),
        cmocka_unit_test(test_api_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
