/*
 * test_certlogic_suite.c: the official CertLogic test suites (tests/vectors/certlogic, spec 1.3.3).
 *
 * testSuite/ (every file): every assertion not marked "skip" (at suite, case or assertion level)
 * must give deepEqual(evaluate(expr, data), expected), as certlogic-js's run-testSuite.ts checks;
 * the spec counts 218 such assertions. validation-testSuite/ (every file): the validator must
 * report exactly the expected issues (same sub-expression, same message).
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic.h"

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of a folder under $HC_VECTORS, sorted. */
static size_t
list_json(const char *rel, char ***names)
{
    DIR *d = opendir(hc_test_vector_path(rel));
    assert_non_null(d);
    size_t n = 0, cap = 32;
    *names = malloc(cap * sizeof **names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            if (n == cap) {
                cap *= 2;
                *names = realloc(*names, cap * sizeof **names);
            }
            (*names)[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(*names, n, sizeof **names, cmp_names);
    return n;
}

static bool
skipped(const json_t *node)
{
    const char *d = json_string_value(json_object_get(node, "directive"));
    return d != NULL && strcmp(d, "skip") == 0;
}

static void
test_evaluator_suite(void **state)
{
    (void)state;
    char **files;
    size_t nfiles = list_json("certlogic/testSuite", &files);
    assert_int_equal(nfiles, 14);
    unsigned total = 0, run = 0, passed = 0, skips = 0;
    for (size_t f = 0; f < nfiles; f++) {
        char rel[512];
        snprintf(rel, sizeof rel, "certlogic/testSuite/%s", files[f]);
        json_t *suite = hc_test_load_json(rel);
        bool suite_skip = skipped(suite);
        json_t *cases = json_object_get(suite, "cases");
        size_t ci;
        json_t *c;
        json_array_foreach(cases, ci, c)
        {
            bool case_skip = suite_skip || skipped(c);
            size_t ai;
            json_t *a;
            json_array_foreach(json_object_get(c, "assertions"), ai, a)
            {
                total++;
                if (case_skip || skipped(a)) {
                    skips++;
                    continue;
                }
                run++;
                json_t *expr = json_object_get(a, "certLogicExpression");
                if (expr == NULL) {
                    expr = json_object_get(c, "certLogicExpression");
                }
                json_t *result = NULL;
                char msg[256] = "";
                hc_certlogic_status st = hc_certlogic_evaluate(expr, json_object_get(a, "data"),
                                                               &result, msg, sizeof msg);
                const json_t *expected = json_object_get(a, "expected");
                if (st == HC_CERTLOGIC_OK && hc_certlogic_json_equal(result, expected)) {
                    passed++;
                } else {
                    char *got = result != NULL ? hc_certlogic_stringify(result, 200) : NULL;
                    char *want = hc_certlogic_stringify(expected, 200);
                    print_error("FAIL %s / %s #%zu: got %s (%s), expected %s\n", files[f],
                                json_string_value(json_object_get(c, "name")), ai,
                                got != NULL ? got : "-", st == HC_CERTLOGIC_OK ? "ok" : msg,
                                want != NULL ? want : "?");
                    free(got);
                    free(want);
                }
                json_decref(result);
            }
        }
        json_decref(suite);
        free(files[f]);
    }
    free(files);
    print_message("CertLogic testSuite: %u/%u assertions passed (%u in the suite, %u skipped)\n",
                  passed, run, total, skips);
    assert_int_equal(total, 232);
    assert_int_equal(run, 218);
    assert_int_equal(passed, run);
}

static void
test_validation_suite(void **state)
{
    (void)state;
    char **files;
    size_t nfiles = list_json("certlogic/validation-testSuite", &files);
    assert_int_equal(nfiles, 4);
    unsigned cases_total = 0, cases_ok = 0, issues_expected = 0;
    for (size_t f = 0; f < nfiles; f++) {
        char rel[512];
        snprintf(rel, sizeof rel, "certlogic/validation-testSuite/%s", files[f]);
        json_t *suite = hc_test_load_json(rel);
        size_t ci;
        json_t *c;
        json_array_foreach(json_object_get(suite, "cases"), ci, c)
        {
            cases_total++;
            json_t *expected = json_object_get(c, "issues");
            issues_expected += (unsigned)json_array_size(expected);
            hc_certlogic_issue issues[16];
            size_t n = hc_certlogic_validate(json_object_get(c, "certLogicExpression"), issues, 16);
            bool ok = n == json_array_size(expected);
            for (size_t i = 0; ok && i < n; i++) {
                json_t *want = json_array_get(expected, i);
                ok = hc_certlogic_json_equal(issues[i].expr, json_object_get(want, "expr")) &&
                     strcmp(issues[i].message,
                            json_string_value(json_object_get(want, "message"))) == 0;
                if (!ok) {
                    print_error("FAIL %s case %zu: issue %zu is \"%s\", expected \"%s\"\n",
                                files[f], ci, i, issues[i].message,
                                json_string_value(json_object_get(want, "message")));
                }
            }
            if (n != json_array_size(expected)) {
                print_error("FAIL %s case %zu: %zu issues, expected %zu%s%s\n", files[f], ci, n,
                            json_array_size(expected), n > 0 ? ": " : "",
                            n > 0 ? issues[0].message : "");
            }
            cases_ok += ok;
        }
        json_decref(suite);
        free(files[f]);
    }
    free(files);
    print_message("CertLogic validation-testSuite: %u/%u cases report the expected issues (%u "
                  "issues)\n",
                  cases_ok, cases_total, issues_expected);
    assert_int_equal(cases_total, 23);
    assert_int_equal(issues_expected, 14);
    assert_int_equal(cases_ok, cases_total);
}

/* Every expression of the evaluator suite is itself valid. */
static void
test_suite_expressions_are_valid(void **state)
{
    (void)state;
    char **files;
    size_t nfiles = list_json("certlogic/testSuite", &files);
    for (size_t f = 0; f < nfiles; f++) {
        char rel[512];
        snprintf(rel, sizeof rel, "certlogic/testSuite/%s", files[f]);
        json_t *suite = hc_test_load_json(rel);
        size_t ci, ai;
        json_t *c, *a;
        json_array_foreach(json_object_get(suite, "cases"), ci, c)
        {
            json_t *e = json_object_get(c, "certLogicExpression");
            if (e != NULL) {
                assert_int_equal(hc_certlogic_validate(e, NULL, 0), 0);
            }
            json_array_foreach(json_object_get(c, "assertions"), ai, a)
            {
                e = json_object_get(a, "certLogicExpression");
                if (e != NULL) {
                    assert_int_equal(hc_certlogic_validate(e, NULL, 0), 0);
                }
            }
        }
        json_decref(suite);
        free(files[f]);
    }
    free(files);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evaluator_suite),
        cmocka_unit_test(test_validation_suite),
        cmocka_unit_test(test_suite_expressions_are_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
