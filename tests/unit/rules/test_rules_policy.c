/*
 * test_rules_policy.c: the country policy of tests/vectors/rules/XX (README.md there), run two
 * ways: its rule test cases through the `rules test` runner (hc_rules_test_path), and the whole
 * rule set applied to the EU schema's example certificates (hc_rules_evaluate), as
 * `verify --rules --country XX` will.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset.h"

static hc_valuesets *
eu_valuesets(void)
{
    char msg[256];
    hc_valuesets *vs = hc_valuesets_load(hc_test_vector_path("eu-dcc/valuesets"), msg, sizeof msg);
    if (vs == NULL) {
        fail_msg("value sets: %s", msg);
    }
    return vs;
}

static void
test_policy_test_cases(void **state)
{
    (void)state;
    hc_valuesets *vs = eu_valuesets();
    hc_rules_test_stats st = { 0 };
    hc_rules_test_path(hc_test_vector_path("rules/XX"), vs, stderr, NULL, &st);
    print_message("XX policy: %u passed, %u failed, %u skipped\n", st.passed, st.failed,
                  st.skipped);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.invalid_rules, 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.passed, 54);
    /* One rule's folder, and one test file. */
    memset(&st, 0, sizeof st);
    hc_rules_test_path(hc_test_vector_path("rules/XX/VR-XX-0004/rule.json"), vs, stderr, NULL, &st);
    assert_int_equal(st.passed, 5);
    memset(&st, 0, sizeof st);
    hc_rules_test_path(hc_test_vector_path("rules/XX/VR-XX-0004/tests/test003.json"), vs, stderr,
                       NULL, &st);
    assert_int_equal(st.passed, 1);
    /* Without value sets, the rules that use them cannot pass: their tests fail. */
    memset(&st, 0, sizeof st);
    hc_rules_test_path(hc_test_vector_path("rules/XX"), NULL, NULL, NULL, &st);
    assert_int_equal(st.passed + st.failed, 54);
    assert_true(st.failed > 0);
    hc_valuesets_free(vs);
}

/* Applies the XX rules to an example DCC; returns the ids of the rules not PASSED. */
static void
apply(const hc_ruleset *rs, const hc_valuesets *vs, const char *example, const char *clock,
      size_t want_rules, const char *want_not_passed)
{
    json_t *payload = hc_test_load_json(example);
    hc_rules_external ext = { .country = "XX" };
    assert_true(hc_time_parse_iso8601(clock, strlen(clock), &ext.clock_ms));
    hc_rule_result res[32];
    size_t n = hc_rules_evaluate(rs, vs, payload, &ext, res, 32);
    char not_passed[256] = "";
    for (size_t i = 0; i < n; i++) {
        if (res[i].outcome != HC_RULE_PASSED) {
            char item[64];
            snprintf(item, sizeof item, "%s%.15s:%s", not_passed[0] ? " " : "", res[i].identifier,
                     hc_rule_outcome_name(res[i].outcome));
            strncat(not_passed, item, sizeof not_passed - strlen(not_passed) - 1);
        }
    }
    if (n != want_rules || strcmp(not_passed, want_not_passed) != 0) {
        fail_msg("%s at %s: %zu rules, not passed \"%s\"; expected %zu, \"%s\"", example, clock, n,
                 not_passed, want_rules, want_not_passed);
    }
    json_decref(payload);
}

static void
test_policy_on_examples(void **state)
{
    (void)state;
    char msg[256];
    hc_ruleset *rs = hc_ruleset_load(hc_test_vector_path("rules/XX"), msg, sizeof msg);
    assert_non_null(rs);
    hc_valuesets *vs = eu_valuesets();
    const char *ex = "eu-dcc/schema/examples/";
    char path[256];
#define EX(f) (snprintf(path, sizeof path, "%s%s", ex, f), path)
    /* 1 general + 4 vaccination rules. */
    apply(rs, vs, EX("vaccination/simple.json"), "2022-01-05T12:00:00Z", 5, "VR-XX-0002:FAILED");
    apply(rs, vs, EX("vaccination/standard_case_2-of-2-moderna-moderna.json"),
          "2022-01-05T12:00:00Z", 5, "");
    /* 270 days after 2021-06-11 is 2022-03-08. */
    apply(rs, vs, EX("vaccination/standard_case_2-of-2-moderna-moderna.json"),
          "2022-03-08T00:00:00Z", 5, "");
    apply(rs, vs, EX("vaccination/standard_case_2-of-2-moderna-moderna.json"),
          "2022-03-08T00:00:00.001Z", 5, "VR-XX-0004:FAILED");
    /* The XX rules are valid from 2022: none applies earlier. */
    apply(rs, vs, EX("vaccination/standard_case_2-of-2-moderna-moderna.json"),
          "2021-07-01T00:00:00Z", 0, "");
    /* 1 general + 6 test rules. */
    apply(rs, vs, EX("test/simple-naat.json"), "2021-06-14T17:00:00Z", 0, "");
    apply(rs, vs, EX("test/simple-naat.json"), "2022-01-05T12:00:00Z", 7, "TR-XX-0002:FAILED");
    apply(rs, vs, EX("test/simple-rat.json"), "2022-01-05T12:00:00Z", 7,
          "TR-XX-0003:FAILED TR-XX-0006:FAILED");
    /* 1 general + 2 recovery rules. */
    apply(rs, vs, EX("recovery/simple.json"), "2022-01-05T12:00:00Z", 3,
          "RR-XX-0001:FAILED RR-XX-0002:FAILED");
#undef EX
    /* Another country's rules: nothing applies to XX's arrivals. */
    json_t *payload = hc_test_load_json("eu-dcc/schema/examples/recovery/simple.json");
    hc_rules_external ext = { .country = "DE", .clock_ms = 1641384000000LL };
    assert_int_equal(hc_rules_evaluate(rs, vs, payload, &ext, NULL, 0), 0);
    json_decref(payload);
    hc_valuesets_free(vs);
    hc_ruleset_free(rs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_test_cases),
        cmocka_unit_test(test_policy_on_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
