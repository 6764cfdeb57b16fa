/*
 * rules_test.c: running rule test cases (healthcert rules test).
 *
 * The format and semantics are those of the EU's rule test data and its runner
 * (eu-digital-green-certificates/dgc-business-rules-testdata: <SET>/<RULE-ID>/rule.json plus
 * tests/testNNN.json with {name?, payload, external, expected}, schema
 * tooling/schemas/validation-rule-test.schema.json; runner tooling/src/run-all-tests.tsx): a test
 * whose external.validationClock falls outside [ValidFrom, ValidTo) of its rule is skipped, any
 * other must give deepEqual(evaluate(rule.Logic, {payload, external}), expected). Ours adds: the
 * rule must also pass hc_rule_check (an invalid rule fails all its tests), a test may carry its
 * rule ("rule") or expression ("logic") inline, and value sets given to the runner fill in tests
 * that carry none.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certlogic.h"
#include "rules_internal.h"

typedef struct runner {
    const hc_valuesets *vs;
    FILE *out, *progress;
    hc_rules_test_stats *stats;
    unsigned shown_progress;
    /* The rule of the previous test (tests of one rule come one after another). */
    char rule_path[4096];
    json_t *rule_json;
    bool rule_ok;
    hc_rule rule;
    char rule_problem[384];
} runner;

static void
show_progress(runner *r)
{
    if (r->progress == NULL) {
        return;
    }
    unsigned done = r->stats->passed + r->stats->failed + r->stats->skipped;
    if (done - r->shown_progress >= 25) {
        fprintf(r->progress, "\r%u tests run, %u failed...", done, r->stats->failed);
        fflush(r->progress);
        r->shown_progress = done;
    }
}

/* Prints "FAIL file (name): " and the two texts. */
static void
report(runner *r, const char *file, const json_t *test, const char *a, const char *b)
{
    if (r->out == NULL) {
        return;
    }
    if (r->progress != NULL && r->shown_progress > 0) {
        fprintf(r->progress, "\r%40s\r", "");
    }
    const char *name = json_string_value(json_object_get(test, "name"));
    fprintf(r->out, "FAIL %s%s%s%s: %s%s\n", file, name != NULL ? " (" : "",
            name != NULL ? name : "", name != NULL ? ")" : "", a, b);
}

/* Loads (or reuses) the rule at rule_path into the runner. */
static bool
load_rule(runner *r, const char *rule_path)
{
    if (r->rule_json != NULL && strcmp(r->rule_path, rule_path) == 0) {
        return true;
    }
    json_decref(r->rule_json);
    r->rule_json = NULL;
    snprintf(r->rule_path, sizeof r->rule_path, "%s", rule_path);
    char why[384];
    if (hc_rules_load_json(rule_path, &r->rule_json, why, sizeof why) != HC_OK) {
        r->rule_json = NULL;
        r->rule_path[0] = '\0';
        return false;
    }
    r->rule_ok = hc_rule_parse(r->rule_json, &r->rule, r->rule_problem, sizeof r->rule_problem);
    if (!r->rule_ok) {
        r->stats->invalid_rules++;
        if (r->out != NULL) {
            fprintf(r->out, "INVALID RULE %s: %s\n", rule_path, r->rule_problem);
        }
    }
    return true;
}

static bool
clock_in_window(const json_t *external, const hc_rule *rule)
{
    const json_t *clock = json_object_get(external, "validationClock");
    hc_time_ms t;
    if (!json_is_string(clock)) {
        return true;
    }
    const char *s = json_string_value(clock);
    if (!hc_certlogic_parse_datetime(s, json_string_length(clock), &t) &&
        !hc_time_parse_iso8601(s, json_string_length(clock), &t)) {
        return true; /* evaluated, and the rule will say what it makes of it */
    }
    return t >= rule->valid_from && t < rule->valid_to;
}

/* Runs one test case against logic (rule may be NULL for an inline expression). */
static void
run_case(runner *r, const char *file, const json_t *test, const json_t *logic, const hc_rule *rule)
{
    const json_t *expected = json_object_get(test, "expected");
    if (expected == NULL) {
        r->stats->errors++;
        report(r, file, test, "test case has no \"expected\"", "");
        return;
    }
    json_t *external = json_object_get(test, "external");
    json_t *ext_copy = json_is_object(external) ? json_copy(external) : json_object();
    if (ext_copy == NULL) {
        r->stats->errors++;
        return;
    }
    if (rule != NULL && !clock_in_window(ext_copy, rule)) {
        r->stats->skipped++;
        json_decref(ext_copy);
        return;
    }
    if (json_object_get(ext_copy, "valueSets") == NULL && hc_valuesets_json(r->vs) != NULL) {
        json_object_set(ext_copy, "valueSets", (json_t *)hc_valuesets_json(r->vs));
    }
    json_t *data = json_object();
    json_t *payload = json_object_get(test, "payload");
    if (data == NULL ||
        json_object_set(data, "payload", payload != NULL ? payload : json_null()) != 0 ||
        json_object_set_new(data, "external", ext_copy) != 0) {
        json_decref(data);
        r->stats->errors++;
        return;
    }
    json_t *result = NULL;
    char msg[256];
    hc_certlogic_status st = hc_certlogic_evaluate(logic, data, &result, msg, sizeof msg);
    if (st == HC_CERTLOGIC_OK && hc_certlogic_json_equal(result, expected)) {
        r->stats->passed++;
    } else {
        r->stats->failed++;
        char *want = hc_certlogic_stringify(expected, 200);
        if (st == HC_CERTLOGIC_OK) {
            char *got = hc_certlogic_stringify(result, 200);
            char line[400];
            snprintf(line, sizeof line, "expected %s, got ", want != NULL ? want : "(long value)");
            report(r, file, test, line, got != NULL ? got : "(long value)");
            free(got);
        } else {
            char line[400];
            snprintf(line, sizeof line,
                     "expected %s, got an error: ", want != NULL ? want : "(long value)");
            report(r, file, test, line, msg);
        }
        free(want);
    }
    json_decref(result);
    json_decref(data);
}

static bool
looks_like_test(const json_t *j)
{
    return json_is_object(j) && json_object_get(j, "expected") != NULL &&
           (json_object_get(j, "payload") != NULL || json_object_get(j, "external") != NULL);
}

/* Runs the test case file (already parsed) j. */
static void
run_test_json(runner *r, const char *file, const json_t *j)
{
    const json_t *inline_logic = json_object_get(j, "logic");
    const json_t *inline_rule = json_object_get(j, "rule");
    if (inline_logic != NULL) {
        run_case(r, file, j, inline_logic, NULL);
        return;
    }
    if (inline_rule != NULL) {
        hc_rule rule;
        char why[384];
        if (!hc_rule_parse(inline_rule, &rule, why, sizeof why)) {
            r->stats->invalid_rules++;
            r->stats->failed++;
            report(r, file, j, "the inline rule is invalid: ", why);
            return;
        }
        run_case(r, file, j, rule.logic, &rule);
        return;
    }
    /* <RULE-ID>/tests/testNNN.json -> <RULE-ID>/rule.json */
    char *copy = strdup(file);
    if (copy == NULL) {
        r->stats->errors++;
        return;
    }
    char rule_path[4096];
    snprintf(rule_path, sizeof rule_path, "%s/../rule.json", dirname(copy));
    free(copy);
    if (!load_rule(r, rule_path)) {
        r->stats->errors++;
        report(r, file, j, "no rule for this test: cannot read ", rule_path);
        return;
    }
    if (!r->rule_ok) {
        r->stats->failed++;
        report(r, file, j, "its rule is invalid: ", r->rule_problem);
        return;
    }
    run_case(r, file, j, r->rule.logic, &r->rule);
}

/* A file met while walking: tests are run, rules and other JSON are passed over. */
static bool
visit_file(void *ctx, const char *file)
{
    runner *r = ctx;
    json_t *j = NULL;
    char why[384];
    if (hc_rules_load_json(file, &j, why, sizeof why) != HC_OK) {
        r->stats->errors++;
        if (r->out != NULL) {
            fprintf(r->out, "ERROR %s\n", why);
        }
        return true;
    }
    if (looks_like_test(j)) {
        run_test_json(r, file, j);
        show_progress(r);
    }
    json_decref(j);
    return true;
}

void
hc_rules_test_path(const char *path, const hc_valuesets *vs, FILE *out, FILE *progress,
                   hc_rules_test_stats *stats)
{
    runner r;
    memset(&r, 0, sizeof r);
    r.vs = vs;
    r.out = out;
    r.progress = progress != NULL && isatty(fileno(progress)) ? progress : NULL;
    r.stats = stats;
    char why[384];
    if (hc_rules_is_dir(path)) {
        if (hc_rules_walk(path, false, visit_file, &r, why, sizeof why) != HC_OK) {
            stats->errors++;
            if (out != NULL) {
                fprintf(out, "ERROR %s\n", why);
            }
        }
    } else {
        json_t *j = NULL;
        if (hc_rules_load_json(path, &j, why, sizeof why) != HC_OK) {
            stats->errors++;
            if (out != NULL) {
                fprintf(out, "ERROR %s\n", why);
            }
        } else if (looks_like_test(j)) {
            run_test_json(&r, path, j);
        } else if (hc_rules_looks_like_rules(j)) {
            /* A rule file: run the tests next to it (<dir>/tests/). */
            char *copy = strdup(path);
            if (copy != NULL) {
                char tests[4096];
                snprintf(tests, sizeof tests, "%s/tests", dirname(copy));
                free(copy);
                if (hc_rules_is_dir(tests) &&
                    hc_rules_walk(tests, false, visit_file, &r, why, sizeof why) != HC_OK) {
                    stats->errors++;
                }
            }
        } else {
            stats->errors++;
            if (out != NULL) {
                fprintf(out, "ERROR %s: neither a rule test case nor a rule\n", path);
            }
        }
        json_decref(j);
    }
    if (r.progress != NULL && r.shown_progress > 0) {
        fprintf(r.progress, "\r%40s\r", "");
        fflush(r.progress);
    }
    json_decref(r.rule_json);
}
