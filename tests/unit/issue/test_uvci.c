/*
 * test_uvci.c: UVCI generation and the Luhn mod N check character (src/issue/issue_uvci.h).
 *
 * Known answers: the eu-dcc-schema examples ("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#1",
 * 26 of the 27 examples carry it) and values computed by hand with the algorithm of the schema
 * repository's examples/Luhn-Mod-N notes; then properties of generated identifiers.
 */
#include "testlib.h"

#include <regex.h>
#include <string.h>

#include "issue_uvci.h"

static void
test_known_answers(void **state)
{
    (void)state;
    assert_int_equal(hc_uvci_check_char("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7", 47),
                     '1');
    assert_true(hc_uvci_check_valid("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#1"));
    assert_false(hc_uvci_check_valid("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#2"));
    assert_false(hc_uvci_check_valid("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7"));
    assert_false(hc_uvci_check_valid("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#"));
    assert_false(hc_uvci_check_valid("URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#11"));
    /* The schema repository's usage.py text, worked through by hand: code points from the right
     * 3,2,9,2,2,4,2,1,5,7,3,36(/),7,8,1,37(:),... give Z. */
    const char *t = "URN:UVCI:01:NL:187/37512422923";
    assert_int_equal(hc_uvci_check_char(t, strlen(t)), 'Z');
    /* Single characters: "A" (0) -> A; "B" (1 * 2 = 2) -> 38 - 2 = 36 = '/'. */
    assert_int_equal(hc_uvci_check_char("A", 1), 'A');
    assert_int_equal(hc_uvci_check_char("B", 1), '/');
    /* Products past N = 38 are summed by base-38 digits: "T" (19 * 2 = 38 -> 1 + 0) -> 37 = ':'. */
    assert_int_equal(hc_uvci_check_char("T", 1), ':');
    /* Characters outside the 38 code points. */
    assert_int_equal(hc_uvci_check_char("urn:uvci", 8), '\0');
    assert_int_equal(hc_uvci_check_char("A#B", 3), '\0');
    assert_false(hc_uvci_check_valid("URN:UVCI:01:NL:abc#A"));
}

/* Any single substituted character changes the check character (the Luhn mod N property). */
static void
test_error_detection(void **state)
{
    (void)state;
    static const char cp[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:";
    char u[64];
    assert_int_equal(hc_uvci_generate("DE", u, sizeof u), HC_OK);
    size_t body = strchr(u, '#') - u;
    char c0 = hc_uvci_check_char(u, body);
    for (size_t i = 0; i < body; i++) {
        char saved = u[i];
        for (size_t k = 0; k < 38; k++) {
            if (cp[k] == saved) {
                continue;
            }
            u[i] = cp[k];
            assert_int_not_equal(hc_uvci_check_char(u, body), c0);
        }
        u[i] = saved;
    }
}

static void
test_generate(void **state)
{
    (void)state;
    regex_t re;
    char seen[200][64];
    assert_int_equal(regcomp(&re, "^URN:UVCI:01:AT:[0-9A-Z]{26}#[A-Z0-9/:]$", REG_EXTENDED), 0);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(hc_uvci_generate("AT", seen[i], sizeof seen[i]), HC_OK);
        assert_int_equal(regexec(&re, seen[i], 0, NULL, 0), 0);
        assert_true(hc_uvci_check_valid(seen[i]));
        assert_true(strlen(seen[i]) <= 72); /* UVCI guidelines: at most 72 characters */
        for (int k = 0; k < i; k++) {
            assert_string_not_equal(seen[k], seen[i]);
        }
    }
    regfree(&re);
    char small[20];
    assert_int_equal(hc_uvci_generate("AT", small, sizeof small), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_uvci_generate("at", seen[0], sizeof seen[0]), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_uvci_generate("", seen[0], sizeof seen[0]), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_uvci_generate("A1", seen[0], sizeof seen[0]), HC_ERR_INVALID_ARG);
    /* The characters are spread evenly (rejection sampling): every one of the 36 shows up. */
    int counts[256] = { 0 };
    for (int i = 0; i < 2000; i++) {
        char u[64];
        assert_int_equal(hc_uvci_generate("AT", u, sizeof u), HC_OK);
        for (size_t k = 16; k < 16 + HC_UVCI_OPAQUE_LEN; k++) {
            counts[(unsigned char)u[k]]++;
        }
    }
    for (const char *c = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; *c; c++) {
        /* 52000 characters / 36: ~1444 each; far outside 1100..1800 would mean bias. */
        assert_true(counts[(unsigned char)*c] > 1100 && counts[(unsigned char)*c] < 1800);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_error_detection),
        cmocka_unit_test(test_generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
