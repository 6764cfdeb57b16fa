/*
 * test_cmd_rules.c: the `healthcert rules` command (src/cli/cmd_rules.c), its output and its exit
 * codes (shared/CONTRACT.md: 0 success, 1 judged invalid, 2 could not check).
 *
 * The command's source is compiled into this test (the CLI program links every module, a unit
 * test of the rules module links only hc_rules); its output is captured by redirecting the
 * standard streams to temporary files.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../src/cli/cmd_rules.c"

typedef struct run_result {
    int rc;
    char out[16384];
    char err[4096];
} run_result;

static void
slurp(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void
run_argv(run_result *r, int argc, char **argv)
{
    fflush(stdout);
    fflush(stderr);
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    r->rc = hc_cmd_rules(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    slurp(fo, r->out, sizeof r->out);
    slurp(fe, r->err, sizeof r->err);
}

#define RUN(r, ...)                                                    \
    do {                                                               \
        char *argv_[] = { "rules", __VA_ARGS__, NULL };                \
        run_argv(r, (int)(sizeof argv_ / sizeof argv_[0]) - 1, argv_); \
    } while (0)

/* A temporary file holding text; the name is in a static ring so several can be alive. */
static const char *
temp_file(const char *text)
{
    static char names[8][64];
    static unsigned next;
    char *name = names[next++ % 8];
    snprintf(name, 64, "/tmp/hc_cmd_rules_XXXXXX");
    int fd = mkstemp(name);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return name;
}

static void
expect_eval(const char *logic, const char *data, int rc, const char *out, const char *err_part)
{
    run_result r;
    const char *l = temp_file(logic), *d = temp_file(data);
    RUN(&r, "eval", (char *)l, (char *)d);
    unlink(l);
    unlink(d);
    if (r.rc != rc || (out != NULL && strcmp(r.out, out) != 0) ||
        (err_part != NULL && strstr(r.err, err_part) == NULL)) {
        fail_msg("eval %s on %s: rc %d, out \"%s\", err \"%s\"; expected rc %d, out \"%s\", err "
                 "with \"%s\"",
                 logic, data, r.rc, r.out, r.err, rc, out != NULL ? out : "(any)",
                 err_part != NULL ? err_part : "");
    }
}

static void
test_eval(void **state)
{
    (void)state;
    expect_eval("{\"and\": [{\"var\": \"a\"}, {\"var\": \"b\"}]}", "{\"a\": true, \"b\": 42}", 0,
                "42\n", NULL);
    expect_eval("{\"plusTime\": [{\"var\": \"\"}, 1, \"year\"]}", "\"2020-02-29\"", 0,
                "\"2021-03-01T00:00:00.000Z\"\n", NULL);
    expect_eval("[{\"var\": \"x\"}, \"é\\n\"]", "{\"x\": 0.1}", 0, "[0.1,\"é\\n\"]\n", NULL);
    expect_eval("{\"var\": \"x\"}", "{\"x\": 100000000000000000000000}", 0, "1e+23\n", NULL);
    expect_eval("{\"var\": \"s\"}", "{\"s\": \"a\\u0000b\"}", 0, "\"a\\u0000b\"\n", NULL);
    expect_eval("{\"var\": \"\"}", "{\"a\": {\"b\": [1, 2.5, null]}}", 0,
                "{\"a\":{\"b\":[1,2.5,null]}}\n", NULL);
    /* Invalid expression, evaluation error, not JSON: 1 with the reason on stderr. */
    expect_eval("{\"or\": [true]}", "{}", 1, "", "unrecognised operator: \"or\"");
    expect_eval("{\"var\": \"x.\"}", "{}", 1, "", "data access path doesn't have a valid format");
    expect_eval("{\"+\": [1, \"2\"]}", "{}", 1, "", "must both be integers");
    expect_eval("{\"plusTime\": [{\"var\": \"d\"}, 1, \"day\"]}", "{\"d\": \"yesterday\"}", 1, "",
                "not an allowed date or date-time format: yesterday");
    expect_eval("{\"var\": ", "{}", 1, "", "not valid JSON");
    expect_eval("true", "{", 1, "", "not valid JSON");
    /* Unreadable file: 2. Usage: 2. */
    run_result r;
    RUN(&r, "eval", "/nonexistent/logic.json", "/nonexistent/data.json");
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "cannot read"));
    RUN(&r, "eval", "only-one.json");
    assert_int_equal(r.rc, 2);
    RUN(&r, "eval", "--help");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "usage: healthcert rules eval LOGIC.json DATA.json"));
}

static void
test_test_command(void **state)
{
    (void)state;
    run_result r;
    char rules[512], valuesets[512];
    snprintf(rules, sizeof rules, "%s", hc_test_vector_path("rules/XX"));
    snprintf(valuesets, sizeof valuesets, "%s", hc_test_vector_path("eu-dcc/valuesets"));
    RUN(&r, "test", "--valuesets", valuesets, rules);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "54 passed, 0 failed, 0 skipped\n");
    /* Without value sets, some tests fail: listed, and exit 1. */
    RUN(&r, "test", rules);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.out, "FAIL "));
    assert_non_null(strstr(r.out, " failed, 0 skipped\n"));
    RUN(&r, "test", "--quiet", rules);
    assert_int_equal(r.rc, 1);
    assert_null(strstr(r.out, "FAIL "));
    /* A failing inline test. */
    const char *t = temp_file("{\"name\": \"inline\", \"logic\": {\"var\": \"payload.x\"}, "
                              "\"payload\": {\"x\": 1}, \"external\": {}, \"expected\": 2}");
    RUN(&r, "test", (char *)t);
    unlink(t);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.out, "(inline): expected 2, got 1"));
    assert_non_null(strstr(r.out, "0 passed, 1 failed, 0 skipped"));
    RUN(&r, "test", "/nonexistent");
    assert_int_equal(r.rc, 2);
    RUN(&r, "test", "--bogus", rules);
    assert_int_equal(r.rc, 2);
    RUN(&r, "test", "--valuesets", "/nonexistent", rules);
    assert_int_equal(r.rc, 2);
    RUN(&r, "test", "--help");
    assert_int_equal(r.rc, 0);
    /* A folder without tests. */
    char schemas[512];
    snprintf(schemas, sizeof schemas, "%s", hc_test_vector_path("certlogic/schemas"));
    RUN(&r, "test", schemas);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "no test cases found"));
}

static void
test_validate_command(void **state)
{
    (void)state;
    run_result r;
    char rules[512];
    snprintf(rules, sizeof rules, "%s", hc_test_vector_path("rules/XX"));
    RUN(&r, "validate", rules);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "ok       VR-XX-0004"));
    assert_non_null(strstr(r.out, "13 rules checked, 0 invalid\n"));
    const char *bad = temp_file(
        "[{\"Identifier\": \"VR-XX-0001\", \"Type\": \"Acceptance\", \"Country\": \"XX\", "
        "\"Version\": \"1.0.0\", \"SchemaVersion\": \"1.0.0\", \"Engine\": \"CERTLOGIC\", "
        "\"EngineVersion\": \"1.0.0\", \"CertificateType\": \"Vaccination\", \"Description\": "
        "[{\"lang\": \"en\", \"desc\": \"d\"}], \"ValidFrom\": \"2022-01-01T00:00:00Z\", "
        "\"ValidTo\": \"2023-01-01T00:00:00Z\", \"AffectedFields\": [\"v.0\"], \"Logic\": "
        "{\"reduce\": [1, 2]}}]");
    RUN(&r, "validate", "--quiet", (char *)bad);
    unlink(bad);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.out, "INVALID  VR-XX-0001"));
    assert_non_null(strstr(r.out, "a \"reduce\"-operation must have exactly 3 values/operands"));
    assert_non_null(strstr(r.out, "1 rules checked, 1 invalid"));
    RUN(&r, "validate", "/nonexistent");
    assert_int_equal(r.rc, 2);
    RUN(&r, "validate");
    assert_int_equal(r.rc, 2);
}

static void
test_run_command(void **state)
{
    (void)state;
    run_result r;
    char rules[512], valuesets[512], dcc[512];
    snprintf(rules, sizeof rules, "%s", hc_test_vector_path("rules/XX"));
    snprintf(valuesets, sizeof valuesets, "%s", hc_test_vector_path("eu-dcc/valuesets"));
    snprintf(dcc, sizeof dcc, "%s",
             hc_test_vector_path("eu-dcc/schema/examples/vaccination/"
                                 "standard_case_2-of-2-moderna-moderna.json"));
    RUN(&r, "run", "--rules", rules, "--valuesets", valuesets, "--country", "XX", "--at",
        "2022-01-05T12:00:00Z", dcc);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "PASSED  VR-XX-0004 1.0.0: A vaccination certificate"));
    RUN(&r, "run", "--rules", rules, "--valuesets", valuesets, "--country", "XX", "--at",
        "2022-06-05T12:00:00Z", "--json", dcc);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.out, "{\"identifier\":\"VR-XX-0004\",\"version\":\"1.0.0\","
                                  "\"outcome\":\"FAILED\""));
    /* Without value sets the rules using them are OPEN: not a pass. */
    RUN(&r, "run", "--rules", rules, "--country", "XX", "--at", "2022-01-05T12:00:00Z", dcc);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.out, "OPEN    VR-XX-0001"));
    RUN(&r, "run", "--rules", rules, "--country", "DE", "--at", "2022-01-05T12:00:00Z", dcc);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "no rules of DE apply"));
    RUN(&r, "run", "--rules", "/nonexistent", "--country", "XX", dcc);
    assert_int_equal(r.rc, 2);
    RUN(&r, "run", "--rules", rules, dcc);
    assert_int_equal(r.rc, 2);
    RUN(&r, "run", "--rules", rules, "--country", "XX", "--at", "yesterday", dcc);
    assert_int_equal(r.rc, 2);
}

static void
test_help_and_usage(void **state)
{
    (void)state;
    run_result r;
    RUN(&r, "--help");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "subcommands:"));
    RUN(&r, "validate", "--help");
    assert_int_equal(r.rc, 0);
    RUN(&r, "run", "--help");
    assert_int_equal(r.rc, 0);
    RUN(&r, "frobnicate");
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "unknown subcommand"));
    char *argv[] = { "rules", NULL };
    run_argv(&r, 1, argv);
    assert_int_equal(r.rc, 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval),
        cmocka_unit_test(test_test_command),
        cmocka_unit_test(test_validate_command),
        cmocka_unit_test(test_run_command),
        cmocka_unit_test(test_help_and_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
