/*
 * test_certlogic_ops.c: edge cases of every CertLogic operation beyond the official suite: the
 * truthiness table, var paths, lazy and/if, strict equality, comparisons, date-time formats and
 * zones, JavaScript month/year arithmetic (leap years, month ends, negative amounts),
 * dccDateOfBirth, extractFromUVCI, reduce, validation messages, and the bounds (depth, steps,
 * reduce length, result size).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic.h"

static json_t *
parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (j == NULL) {
        fail_msg("bad JSON in test: %s: %s", text, e.text);
    }
    return j;
}

/* evaluate(logic, data) must succeed and give expected (JSON text). */
static void
expect_at(const char *logic, const char *data, const char *expected, int line)
{
    json_t *l = parse(logic), *d = parse(data), *want = parse(expected);
    json_t *got = NULL;
    char msg[256] = "";
    hc_certlogic_status st = hc_certlogic_evaluate(l, d, &got, msg, sizeof msg);
    if (st != HC_CERTLOGIC_OK) {
        fail_msg("line %d: %s on %s: %s (%s)", line, logic, data, hc_certlogic_status_name(st),
                 msg);
    }
    if (!hc_certlogic_json_equal(got, want)) {
        char *g = hc_certlogic_stringify(got, 1000);
        fail_msg("line %d: %s on %s: got %s, expected %s", line, logic, data, g, expected);
    }
    json_decref(l);
    json_decref(d);
    json_decref(want);
    json_decref(got);
}
#define expect(l, d, e) expect_at(l, d, e, __LINE__)

/* evaluate(logic, data) must fail with status st and a message containing part. */
static void
expect_fail_at(const char *logic, const char *data, hc_certlogic_status st, const char *part,
               int line)
{
    json_t *l = parse(logic), *d = parse(data);
    json_t *got = NULL;
    char msg[256] = "";
    hc_certlogic_status r = hc_certlogic_evaluate(l, d, &got, msg, sizeof msg);
    if (r != st || strstr(msg, part) == NULL) {
        char *g = got != NULL ? hc_certlogic_stringify(got, 1000) : NULL;
        fail_msg("line %d: %s on %s: status %s (%s), result %s; expected %s with \"%s\"", line,
                 logic, data, hc_certlogic_status_name(r), msg, g != NULL ? g : "-",
                 hc_certlogic_status_name(st), part);
    }
    json_decref(l);
    json_decref(d);
}
#define expect_fail(l, d, st, part) expect_fail_at(l, d, st, part, __LINE__)

/* ---- values and truthiness (spec §"Truthy and falsy values") ---- */

static void
test_truthiness_table(void **state)
{
    (void)state;
    /* falsy: false, null, "", 0, [], {} */
    const char *falsy[] = { "false", "null", "\"\"", "0", "[]", "{}", "0.0", "-0" };
    const char *truthy[] = { "true", "\"0\"", "\"false\"",    "1",  "-1",
                             "[0]",  "[[]]",  "{\"a\":null}", "0.5" };
    char logic[128];
    for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) {
        expect("{\"if\": [{\"var\": \"x\"}, \"T\", \"F\"]}",
               (snprintf(logic, sizeof logic, "{\"x\": %s}", falsy[i]), logic), "\"F\"");
        expect("{\"!\": [{\"var\": \"x\"}]}", logic, "true");
    }
    for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) {
        expect("{\"if\": [{\"var\": \"x\"}, \"T\", \"F\"]}",
               (snprintf(logic, sizeof logic, "{\"x\": %s}", truthy[i]), logic), "\"T\"");
        expect("{\"!\": [{\"var\": \"x\"}]}", logic, "false");
    }
    /* Literal arrays are evaluated, so [] and [1] as guards work without data. */
    expect("{\"!\": [[]]}", "null", "true");
    /* A date-time is neither truthy nor falsy (certlogic-js: not a dictionary). */
    expect_fail("{\"if\": [{\"plusTime\": [\"2021-01-01\", 0, \"day\"]}, 1, 2]}", "null",
                HC_CERTLOGIC_ERROR, "neither truthy, nor falsy");
    expect_fail("{\"!\": [{\"plusTime\": [\"2021-01-01\", 0, \"day\"]}]}", "null",
                HC_CERTLOGIC_ERROR, "neither truthy, nor falsy");
    expect_fail("{\"and\": [{\"plusTime\": [\"2021-01-01\", 0, \"day\"]}, true]}", "null",
                HC_CERTLOGIC_ERROR, "either truthy or falsy");
}

static void
test_literals_and_arrays(void **state)
{
    (void)state;
    expect("\"\"", "null", "\"\"");
    expect("42", "null", "42");
    expect("42.0", "null", "42");
    expect("-7", "null", "-7");
    expect("[1, [2, [3, {\"var\": \"x\"}]]]", "{\"x\": \"deep\"}", "[1, [2, [3, \"deep\"]]]");
    expect("[]", "null", "[]");
    expect_fail("null", "null", HC_CERTLOGIC_INVALID, "invalid CertLogic expression");
    expect_fail("3.5", "null", HC_CERTLOGIC_INVALID, "3.5 is a non-integer number");
    expect_fail("[1, null]", "null", HC_CERTLOGIC_INVALID, "invalid CertLogic expression");
    expect_fail("{}", "null", HC_CERTLOGIC_INVALID, "exactly one key, but it has 0");
    expect_fail("{\"var\": \"x\", \"if\": []}", "null", HC_CERTLOGIC_INVALID, "but it has 2");
    /* "\u0000" in keys and strings: a key is an operator only when it is exactly one. */
    json_t *nul_key = json_object();
    json_object_setn_new_nocheck(nul_key, "var\0x", 5, json_string("a"));
    hc_certlogic_issue issue;
    assert_int_equal(hc_certlogic_validate(nul_key, &issue, 1), 1);
    assert_string_equal(issue.message, "unrecognised operator: \"var\"");
    json_decref(nul_key);
    expect("{\"var\": \"a\\u0000b\"}", "{\"a\": 2}", "null");
    expect("{\"===\": [{\"var\": \"s\"}, \"x\\u0000y\"]}", "{\"s\": \"x\\u0000y\"}", "true");
    expect("{\"===\": [{\"var\": \"s\"}, \"x\"]}", "{\"s\": \"x\\u0000y\"}", "false");
}

/* ---- var (spec §"Data access") ---- */

static void
test_var(void **state)
{
    (void)state;
    expect("{\"var\": \"\"}", "[1, 2]", "[1, 2]");
    expect("{\"var\": \"\"}", "\"it\"", "\"it\"");
    expect("{\"var\": \"a.b.c\"}", "{\"a\": {\"b\": {\"c\": [1]}}}", "[1]");
    expect("{\"var\": \"a.1.b\"}", "{\"a\": [{\"b\": 1}, {\"b\": 2}]}", "2");
    expect("{\"var\": \"a.2\"}", "{\"a\": [0, 1]}", "null");
    expect("{\"var\": \"a.-1\"}", "{\"a\": [0, 1]}", "null");
    expect("{\"var\": \"0\"}", "{\"0\": \"zero\"}", "\"zero\"");
    /* certlogic-js reads fragments with parseInt: "01" names key "1", "1x" names key "1". */
    expect("{\"var\": \"01\"}", "{\"1\": \"one\", \"01\": \"zero-one\"}", "\"one\"");
    expect("{\"var\": \"1x\"}", "{\"1\": \"one\", \"1x\": \"other\"}", "\"one\"");
    expect("{\"var\": \"x1\"}", "{\"1\": \"one\", \"x1\": \"x-one\"}", "\"x-one\"");
    /* No properties on scalars. */
    expect("{\"var\": \"s.0\"}", "{\"s\": \"abc\"}", "null");
    expect("{\"var\": \"n.x\"}", "{\"n\": 5}", "null");
    expect("{\"var\": \"b.x\"}", "{\"b\": true}", "null");
    expect("{\"var\": \"x.y\"}", "{\"x\": null}", "null");
    /* Keys with characters other than dots are fine, dots cannot be escaped. */
    expect("{\"var\": \"valueSets.country-2-codes\"}",
           "{\"valueSets\": {\"country-2-codes\": [\"AT\"]}}", "[\"AT\"]");
    expect_fail("{\"var\": \"x.\"}", "{}", HC_CERTLOGIC_INVALID, "doesn't have a valid format");
    expect_fail("{\"var\": \".x\"}", "{}", HC_CERTLOGIC_INVALID, "doesn't have a valid format");
    expect_fail("{\"var\": \"x..y\"}", "{}", HC_CERTLOGIC_INVALID, "doesn't have a valid format");
    expect_fail("{\"var\": 0}", "{}", HC_CERTLOGIC_INVALID, "not of the form { \"var\"");
    expect_fail("{\"var\": [\"x\", 1]}", "{}", HC_CERTLOGIC_INVALID, "not of the form");
    /* NULL data is null. */
    json_t *l = parse("{\"var\": \"x\"}"), *got = NULL;
    assert_int_equal(hc_certlogic_evaluate(l, NULL, &got, NULL, 0), HC_CERTLOGIC_OK);
    assert_true(json_is_null(got));
    json_decref(got);
    json_decref(l);
}

/* ---- if, and, ! ---- */

static void
test_if_and_not(void **state)
{
    (void)state;
    /* Only the chosen branch is evaluated: the other would fail. */
    expect("{\"if\": [true, 1, {\"plusTime\": [\"bad\", 0, \"day\"]}]}", "null", "1");
    expect("{\"if\": [false, {\"plusTime\": [\"bad\", 0, \"day\"]}, 2]}", "null", "2");
    expect_fail("{\"if\": [true, 1]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 3 values/operands, but it has 2");
    expect_fail("{\"if\": [true, 1, 2, 3]}", "null", HC_CERTLOGIC_INVALID, "but it has 4");
    expect_fail("{\"if\": []}", "null", HC_CERTLOGIC_INVALID, "but it has 0");
    /* and: first falsy operand or the last one; lazy; the last is returned unchecked. */
    expect("{\"and\": [1, \"a\", [1]]}", "null", "[1]");
    expect("{\"and\": [1, 0, {\"plusTime\": [\"bad\", 0, \"day\"]}]}", "null", "0");
    expect("{\"and\": [true, {\"plusTime\": [\"2021-06-01T12:00:00+02:00\", 0, \"day\"]}]}", "null",
           "\"2021-06-01T10:00:00.000Z\"");
    expect_fail("{\"and\": [true]}", "null", HC_CERTLOGIC_INVALID,
                "at least 2 operands, but it has 1");
    expect("{\"and\": [true, true, true, true, true, false, true]}", "null", "false");
    expect_fail("{\"!\": [true, false]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 1 operand, but it has 2");
    expect_fail("{\"!\": []}", "null", HC_CERTLOGIC_INVALID, "but it has 0");
    /* No "or" in CertLogic (spec §"Operations"). */
    expect_fail("{\"or\": [true, false]}", "null", HC_CERTLOGIC_INVALID,
                "unrecognised operator: \"or\"");
    expect_fail("{\"-\": [2, 1]}", "null", HC_CERTLOGIC_INVALID, "unrecognised operator");
    expect_fail("{\"if\": \"x\"}", "null", HC_CERTLOGIC_INVALID, "operation not of the form");
}

/* ---- ===, in, +, comparisons ---- */

static void
test_equality_and_in(void **state)
{
    (void)state;
    expect("{\"===\": [1, 1.0]}", "null", "true");
    expect("{\"===\": [\"1\", 1]}", "null", "false");
    expect("{\"===\": [{\"var\": \"a\"}, {\"var\": \"b\"}]}", "{\"a\": null}", "true");
    expect("{\"===\": [true, 1]}", "null", "false");
    /* Arrays and objects compare by identity (JavaScript ===). */
    expect("{\"===\": [[1], [1]]}", "null", "false");
    expect("{\"===\": [{\"var\": \"o\"}, {\"var\": \"o\"}]}", "{\"o\": {\"k\": 1}}", "true");
    expect("{\"===\": [{\"var\": \"o\"}, {\"var\": \"p\"}]}",
           "{\"o\": {\"k\": 1}, \"p\": {\"k\": 1}}", "false");
    /* Two date-times are two Date objects: === is false even for the same instant. */
    expect("{\"===\": [{\"plusTime\": [\"2021\", 0, \"day\"]}, {\"plusTime\": [\"2021\", 0, "
           "\"day\"]}]}",
           "null", "false");
    expect("{\"in\": [\"b\", [\"a\", \"b\"]]}", "null", "true");
    expect("{\"in\": [1, {\"var\": \"xs\"}]}", "{\"xs\": [0, 1.0, 2]}", "true");
    expect("{\"in\": [{\"var\": \"n\"}, {\"var\": \"xs\"}]}", "{\"xs\": [null]}", "true");
    expect("{\"in\": [{\"var\": \"n\"}, [{\"var\": \"n\"}]]}", "{}", "true");
    expect("{\"in\": [[1], [[1]]]}", "null", "false");
    expect("{\"in\": [{\"var\": \"o\"}, [{\"var\": \"o\"}]]}", "{\"o\": {}}", "true");
    expect("{\"in\": [{\"var\": \"o\"}, {\"var\": \"os\"}]}", "{\"os\": [{}], \"o\": {}}", "false");
    expect_fail("{\"in\": [\"a\", \"abc\"]}", "null", HC_CERTLOGIC_ERROR,
                "right-hand side of an \"in\" operation must be an array");
    expect_fail("{\"in\": [\"a\", {\"var\": \"x\"}]}", "{}", HC_CERTLOGIC_ERROR,
                "must be an array");
    expect_fail("{\"in\": [\"a\"]}", "null", HC_CERTLOGIC_INVALID, "must have 2 operands");
    expect_fail("{\"===\": [1, 2, 3]}", "null", HC_CERTLOGIC_INVALID, "must have 2 operands");
}

static void
test_arithmetic_and_comparisons(void **state)
{
    (void)state;
    expect("{\"+\": [-5, 3]}", "null", "-2");
    expect("{\"+\": [{\"var\": \"a\"}, 1]}", "{\"a\": 41.0}", "42");
    expect_fail("{\"+\": [1, \"2\"]}", "null", HC_CERTLOGIC_ERROR, "must both be integers");
    expect_fail("{\"+\": [1, {\"var\": \"x\"}]}", "{\"x\": 0.5}", HC_CERTLOGIC_ERROR,
                "must both be integers");
    expect_fail("{\"+\": [1, 2, 3]}", "null", HC_CERTLOGIC_INVALID, "must have 2 operands");
    expect("{\"<\": [-1, 0]}", "null", "true");
    expect("{\">\": [3, 2, 1]}", "null", "true");
    expect("{\">\": [3, 2, 2]}", "null", "false");
    expect("{\">=\": [3, 3, 3]}", "null", "true");
    expect("{\"<=\": [1, 2, 2]}", "null", "true");
    expect_fail("{\"<\": [1, {\"var\": \"n\"}]}", "{}", HC_CERTLOGIC_ERROR,
                "must be of integer type");
    expect_fail("{\"<\": [1, {\"var\": \"x\"}]}", "{\"x\": 1.5}", HC_CERTLOGIC_ERROR,
                "integer type");
    expect_fail("{\"<\": [1, 2, 3, 4]}", "null", HC_CERTLOGIC_INVALID,
                "must have 2 or 3 operands, but it has 4");
    expect_fail("{\"<\": [1]}", "null", HC_CERTLOGIC_INVALID, "but it has 1");
    /* Date-times are not integers and integers are not date-times. */
    expect_fail("{\"<\": [{\"plusTime\": [\"2021\", 0, \"day\"]}, 1]}", "null", HC_CERTLOGIC_ERROR,
                "integer type");
    expect_fail("{\"before\": [1, 2]}", "null", HC_CERTLOGIC_ERROR, "must be date-times");
    expect_fail("{\"before\": [\"2021-01-01\", \"2021-01-02\"]}", "null", HC_CERTLOGIC_ERROR,
                "must be date-times");
}

/* ---- date-times ---- */

static void
expect_time(const char *s, const char *iso)
{
    hc_time_ms t;
    char buf[32];
    if (!hc_certlogic_parse_datetime(s, strlen(s), &t)) {
        fail_msg("cannot parse %s", s);
    }
    hc_certlogic_format_datetime(t, buf, sizeof buf);
    if (strcmp(buf, iso) != 0) {
        fail_msg("%s read as %s, expected %s", s, buf, iso);
    }
}

static void
expect_no_time(const char *s)
{
    hc_time_ms t;
    if (hc_certlogic_parse_datetime(s, strlen(s), &t)) {
        fail_msg("%s should not parse", s);
    }
}

static void
test_datetime_formats(void **state)
{
    (void)state;
    /* Every format of spec §"Offset date-time". */
    expect_time("2021", "2021-12-31T00:00:00.000Z");
    expect_time("2021-02", "2021-02-28T00:00:00.000Z");
    expect_time("2020-02", "2020-02-29T00:00:00.000Z");
    expect_time("2021-06-23", "2021-06-23T00:00:00.000Z");
    expect_time("2021-06-23T13:37:42", "2021-06-23T13:37:42.000Z");
    expect_time("2021-06-23T13:37:42Z", "2021-06-23T13:37:42.000Z");
    expect_time("2021-06-23T13:37:42+2", "2021-06-23T11:37:42.000Z");
    expect_time("2021-06-23T13:37:42+02", "2021-06-23T11:37:42.000Z");
    expect_time("2021-06-23T13:37:42+230", "2021-06-23T11:07:42.000Z");
    expect_time("2021-06-23T13:37:42+0230", "2021-06-23T11:07:42.000Z");
    expect_time("2021-06-23T13:37:42+2:30", "2021-06-23T11:07:42.000Z");
    expect_time("2021-06-23T13:37:42+02:30", "2021-06-23T11:07:42.000Z");
    expect_time("2021-06-23T13:37:42-02:30", "2021-06-23T16:07:42.000Z");
    expect_time("2021-06-23T13:37:42-00:00", "2021-06-23T13:37:42.000Z");
    expect_time("2021-06-23T13:37:42.1", "2021-06-23T13:37:42.100Z");
    expect_time("2021-06-23T13:37:42.1Z", "2021-06-23T13:37:42.100Z");
    expect_time("2021-06-23T13:37:42.12+2", "2021-06-23T11:37:42.120Z");
    expect_time("2021-06-23T13:37:42.123+02", "2021-06-23T11:37:42.123Z");
    expect_time("2021-06-23T13:37:42.1234+230", "2021-06-23T11:07:42.123Z");
    expect_time("2021-06-23T13:37:42.999999999+0230", "2021-06-23T11:07:42.999Z");
    expect_time("2021-06-23T13:37:42.5+2:30", "2021-06-23T11:07:42.500Z");
    expect_time("2021-06-23T13:37:42.05-02:30", "2021-06-23T16:07:42.050Z");
    /* Offsets across midnight and the year end. */
    expect_time("2021-01-01T00:30:00+01:00", "2020-12-31T23:30:00.000Z");
    expect_time("2020-12-31T23:30:00-01:00", "2021-01-01T00:30:00.000Z");
    /* The JavaScript Date parser: day 29..31 rolls over, hour 24 only at 24:00:00. */
    expect_time("2021-02-29", "2021-03-01T00:00:00.000Z");
    expect_time("2021-04-31T10:00:00Z", "2021-05-01T10:00:00.000Z");
    expect_time("2021-06-23T24:00:00Z", "2021-06-24T00:00:00.000Z");
    expect_no_time("2021-06-23T24:00:01Z");
    expect_no_time("2021-13-01");
    expect_no_time("2021-00-10");
    expect_no_time("2021-06-00");
    expect_no_time("2021-06-32");
    expect_no_time("2021-06-23T13:60:00Z");
    expect_no_time("2021-06-23T13:37:60Z");
    expect_no_time("2021-06-23T13:37:42+24:00");
    expect_no_time("2021-06-23T13:37:42+01:60");
    /* Not in the spec's list. */
    expect_no_time("");
    expect_no_time("21");
    expect_no_time("2021-6-23");
    expect_no_time("2021-06-23T13:37");
    expect_no_time("2021-06-23 13:37:42");
    expect_no_time("2021-06-23t13:37:42");
    expect_no_time("2021-06-23T13:37:42z");
    expect_no_time("2021-06-23T13:37:42.");
    expect_no_time("2021-06-23T13:37:42+");
    expect_no_time("2021-06-23T13:37:42+12345");
    expect_no_time("2021-06-23T13:37:42+1:3");
    expect_no_time("2021-06-23T13:37:42 ");
    expect_no_time("2021-06-23T13:37:42Z+01");
    expect_no_time("+2021-06-23");
    expect_no_time("２０２１");
}

static void
expect_plus(const char *date, int64_t amount, hc_certlogic_unit unit, const char *iso)
{
    hc_time_ms t, r;
    char buf[32];
    assert_true(hc_certlogic_parse_datetime(date, strlen(date), &t));
    if (!hc_certlogic_plus_time(t, amount, unit, &r)) {
        fail_msg("%s + %lld failed", date, (long long)amount);
    }
    hc_certlogic_format_datetime(r, buf, sizeof buf);
    if (strcmp(buf, iso) != 0) {
        fail_msg("%s + %lld (unit %d) = %s, expected %s", date, (long long)amount, (int)unit, buf,
                 iso);
    }
}

static void
test_plus_time(void **state)
{
    (void)state;
    /* spec §"Leap days". */
    expect_plus("2020-02-29", 1, HC_CERTLOGIC_DAY, "2020-03-01T00:00:00.000Z");
    expect_plus("2020-02-29", 1, HC_CERTLOGIC_MONTH, "2020-03-29T00:00:00.000Z");
    expect_plus("2020-02-29", 1, HC_CERTLOGIC_YEAR, "2021-03-01T00:00:00.000Z");
    expect_plus("2020-02-29", 4, HC_CERTLOGIC_YEAR, "2024-02-29T00:00:00.000Z");
    expect_plus("2020-02-29", -1, HC_CERTLOGIC_YEAR, "2019-03-01T00:00:00.000Z");
    expect_plus("2020-02-29", 12, HC_CERTLOGIC_MONTH, "2021-03-01T00:00:00.000Z");
    /* Month ends roll over as setUTCMonth does. */
    expect_plus("2021-01-31", 1, HC_CERTLOGIC_MONTH, "2021-03-03T00:00:00.000Z");
    expect_plus("2020-01-31", 1, HC_CERTLOGIC_MONTH, "2020-03-02T00:00:00.000Z");
    expect_plus("2021-03-31", -1, HC_CERTLOGIC_MONTH, "2021-03-03T00:00:00.000Z");
    expect_plus("2021-05-31", 1, HC_CERTLOGIC_MONTH, "2021-07-01T00:00:00.000Z");
    expect_plus("2021-12-15", 1, HC_CERTLOGIC_MONTH, "2022-01-15T00:00:00.000Z");
    expect_plus("2021-01-15", -1, HC_CERTLOGIC_MONTH, "2020-12-15T00:00:00.000Z");
    expect_plus("2021-01-15", -13, HC_CERTLOGIC_MONTH, "2019-12-15T00:00:00.000Z");
    expect_plus("2021-01-15", -24, HC_CERTLOGIC_MONTH, "2019-01-15T00:00:00.000Z");
    expect_plus("2021-01-15T10:20:30.456Z", 25, HC_CERTLOGIC_MONTH, "2023-02-15T10:20:30.456Z");
    /* Days and hours: plain multiples, no DST (certlogic-js test-internals). */
    expect_plus("2021-06-23", -180, HC_CERTLOGIC_DAY, "2020-12-25T00:00:00.000Z");
    expect_plus("2021-03-28T00:30:00Z", 24, HC_CERTLOGIC_HOUR, "2021-03-29T00:30:00.000Z");
    expect_plus("2021-06-23T00:00:00.000Z", -72, HC_CERTLOGIC_HOUR, "2021-06-20T00:00:00.000Z");
    expect_plus("2021-12-31T23:00:00Z", 1, HC_CERTLOGIC_HOUR, "2022-01-01T00:00:00.000Z");
    expect_plus("2024-02-28", 1, HC_CERTLOGIC_DAY, "2024-02-29T00:00:00.000Z");
    expect_plus("2100-02-28", 1, HC_CERTLOGIC_DAY, "2100-03-01T00:00:00.000Z");
    expect_plus("2000-02-28", 1, HC_CERTLOGIC_DAY, "2000-02-29T00:00:00.000Z");
    /* The time of day is kept by month/year offsets; the zone was applied when parsing. */
    expect_plus("2021-03-31T23:30:00-01:00", 1, HC_CERTLOGIC_MONTH, "2021-05-01T00:30:00.000Z");
    expect_plus("2004", 18, HC_CERTLOGIC_YEAR, "2022-12-31T00:00:00.000Z");
    expect_plus("2004-02", 18, HC_CERTLOGIC_YEAR, "2022-03-01T00:00:00.000Z");
    /* Years outside 0..9999 (JavaScript's expanded years). */
    expect_plus("0000-01-01", -1, HC_CERTLOGIC_DAY, "-000001-12-31T00:00:00.000Z");
    expect_plus("9999-12-31", 1, HC_CERTLOGIC_DAY, "+010000-01-01T00:00:00.000Z");
    /* Past the Date range: an error, not a wrap. */
    hc_time_ms t, r;
    assert_true(hc_certlogic_parse_datetime("2021-01-01", 10, &t));
    assert_false(hc_certlogic_plus_time(t, 300000, HC_CERTLOGIC_YEAR, &r));
    assert_false(hc_certlogic_plus_time(t, INT64_MAX, HC_CERTLOGIC_DAY, &r));
    assert_false(hc_certlogic_plus_time(t, INT64_MIN, HC_CERTLOGIC_MONTH, &r));
    assert_true(hc_certlogic_plus_time(t, 250000, HC_CERTLOGIC_YEAR, &r));
    expect_fail("{\"plusTime\": [\"2021-01-01\", 1e20, \"day\"]}", "null", HC_CERTLOGIC_ERROR,
                "outside the range");
}

static void
test_plus_time_operation(void **state)
{
    (void)state;
    expect("{\"plusTime\": [{\"var\": \"d\"}, -1, \"day\"]}", "{\"d\": \"2021-03-01\"}",
           "\"2021-02-28T00:00:00.000Z\"");
    expect("{\"plusTime\": [\"2021-06-01T00:00:00+02:00\", 0, \"year\"]}", "null",
           "\"2021-05-31T22:00:00.000Z\"");
    expect("{\"plusTime\": [\"2021-01-01\", 1.0, \"hour\"]}", "null",
           "\"2021-01-01T01:00:00.000Z\"");
    expect_fail("{\"plusTime\": [\"2021-01-01\", 1.5, \"day\"]}", "null", HC_CERTLOGIC_INVALID,
                "\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: 1.5");
    expect_fail("{\"plusTime\": [\"2021-01-01\", {\"var\": \"n\"}, \"day\"]}", "{\"n\": 1}",
                HC_CERTLOGIC_INVALID, "must be an integer, but it is: [object Object]");
    expect_fail("{\"plusTime\": [\"2021-01-01\", 1, \"week\"]}", "null", HC_CERTLOGIC_INVALID,
                "must be a string equal to one of year, month, day, hour, but it is: week");
    expect_fail("{\"plusTime\": [\"2021-01-01\", 1]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 3 values/operands, but it has 2");
    expect_fail("{\"plusTime\": [{\"var\": \"d\"}, 0, \"day\"]}", "{\"d\": null}",
                HC_CERTLOGIC_ERROR, "date argument of \"plusTime\" must be a string");
    expect_fail("{\"plusTime\": [{\"var\": \"d\"}, 0, \"day\"]}", "{\"d\": \"\"}",
                HC_CERTLOGIC_ERROR, "not an allowed date or date-time format");
    expect_fail("{\"plusTime\": [{\"plusTime\": [\"2021\", 0, \"day\"]}, 1, \"day\"]}", "null",
                HC_CERTLOGIC_ERROR, "must be a string");
    /* Comparisons: the four date-time operators, 2 and 3 operands. */
    const char *d1 = "{\"plusTime\": [\"2021-01-01\", 0, \"day\"]}";
    const char *d2 = "{\"plusTime\": [\"2021-01-01T00:00:00.001Z\", 0, \"day\"]}";
    char logic[512];
    struct {
        const char *op, *a, *b, *want;
    } cases[] = {
        { "before", d1, d2, "true" },      { "before", d2, d1, "false" },
        { "before", d1, d1, "false" },     { "after", d2, d1, "true" },
        { "after", d1, d1, "false" },      { "not-after", d1, d1, "true" },
        { "not-after", d2, d1, "false" },  { "not-before", d1, d1, "true" },
        { "not-before", d1, d2, "false" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(logic, sizeof logic, "{\"%s\": [%s, %s]}", cases[i].op, cases[i].a, cases[i].b);
        expect(logic, "null", cases[i].want);
    }
    snprintf(logic, sizeof logic, "{\"not-after\": [%s, %s, %s]}", d1, d1, d2);
    expect(logic, "null", "true");
    snprintf(logic, sizeof logic, "{\"before\": [%s, %s, %s]}", d1, d2, d2);
    expect(logic, "null", "false");
}

static void
test_dcc_date_of_birth(void **state)
{
    (void)state;
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004\"}",
           "\"2004-12-31T00:00:00.000Z\"");
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004-02\"}",
           "\"2004-02-29T00:00:00.000Z\"");
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2003-02\"}",
           "\"2003-02-28T00:00:00.000Z\"");
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004-04\"}",
           "\"2004-04-30T00:00:00.000Z\"");
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004-12\"}",
           "\"2004-12-31T00:00:00.000Z\"");
    expect("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"1980-02-29\"}",
           "\"1980-02-29T00:00:00.000Z\"");
    expect_fail("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"\"}", HC_CERTLOGIC_ERROR,
                "can't parse");
    expect_fail("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004-13\"}",
                HC_CERTLOGIC_ERROR, "can't parse");
    expect_fail("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{\"dob\": \"2004-01-01T00:00:00Z\"}",
                HC_CERTLOGIC_ERROR, "can't parse");
    expect_fail("{\"dccDateOfBirth\": [{\"var\": \"dob\"}]}", "{}", HC_CERTLOGIC_ERROR,
                "must be a string");
    expect_fail("{\"dccDateOfBirth\": [\"2004\", 1]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 1 value/operand, but it has 2");
    /* A minor on the day before the 18th birthday (partial date: last possible day). */
    const char *minor = "{\"after\": [{\"dccDateOfBirth\": [{\"var\": \"payload.dob\"}]}, "
                        "{\"plusTime\": [{\"var\": \"external.validationClock\"}, -18, "
                        "\"year\"]}]}";
    expect(minor,
           "{\"payload\": {\"dob\": \"2004-02\"}, \"external\": {\"validationClock\": "
           "\"2022-02-28T23:59:59.999Z\"}}",
           "true");
    expect(minor,
           "{\"payload\": {\"dob\": \"2004-02\"}, \"external\": {\"validationClock\": "
           "\"2022-03-01T00:00:00Z\"}}",
           "false");
}

static void
test_extract_from_uvci(void **state)
{
    (void)state;
    char logic[128];
    struct {
        const char *uvci;
        int index;
        const char *want;
    } cases[] = {
        { "\"URN:UVCI:01:DE:ABC#X\"", 0, "\"01\"" },
        { "\"URN:UVCI:01:DE:ABC#X\"", 3, "\"X\"" },
        { "\"URN:UVCI:01:DE:ABC#X\"", 4, "null" },
        { "\"urn:uvci:01:DE\"", 0, "\"urn\"" }, /* the prefix is case-sensitive */
        { "\"URN:UVCI:\"", 0, "\"\"" },
        { "\"URN:UVCI\"", 0, "\"URN\"" },
        { "\"a::c/#/f\"", 1, "\"\"" },
        { "\"a::c/#/f\"", 5, "\"f\"" },
        { "\"a::c/#/f\"", 6, "null" },
        { "\"::\"", 2, "\"\"" },
        { "\"x\"", -1, "null" },
        { "null", 0, "null" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char data[128];
        snprintf(logic, sizeof logic, "{\"extractFromUVCI\": [{\"var\": \"u\"}, %d]}",
                 cases[i].index);
        snprintf(data, sizeof data, "{\"u\": %s}", cases[i].uvci);
        expect(logic, data, cases[i].want);
    }
    expect_fail("{\"extractFromUVCI\": [{\"var\": \"u\"}, 0]}", "{\"u\": 5}", HC_CERTLOGIC_ERROR,
                "must be either a string or null");
    expect_fail("{\"extractFromUVCI\": [\"x\", \"0\"]}", "null", HC_CERTLOGIC_INVALID,
                "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer, but it is: 0");
    expect_fail("{\"extractFromUVCI\": [\"x\"]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 2 values/operands, but it has 1");
}

static void
test_reduce(void **state)
{
    (void)state;
    const char *sum = "{\"reduce\": [{\"var\": \"xs\"}, {\"+\": [{\"var\": \"accumulator\"}, "
                      "{\"var\": \"current\"}]}, 0]}";
    expect(sum, "{\"xs\": [1, 2, 3]}", "6");
    expect(sum, "{\"xs\": []}", "0");
    expect(sum, "{\"xs\": null}", "0");
    expect(sum, "{}", "0");
    expect_fail(sum, "{\"xs\": 5}", HC_CERTLOGIC_ERROR, "non-null non-array");
    expect_fail(sum, "{\"xs\": {\"a\": 1}}", HC_CERTLOGIC_ERROR, "non-null non-array");
    /* The lambda sees only {accumulator, current}, not the outer data. */
    expect("{\"reduce\": [[1], {\"var\": \"\"}, 0]}", "{\"outer\": 1}",
           "{\"accumulator\": 0, \"current\": 1}");
    expect("{\"reduce\": [[1], {\"var\": \"outer\"}, 0]}", "{\"outer\": 1}", "null");
    /* Counting with a literal operand array; nested reduce. */
    expect("{\"reduce\": [[{\"var\": \"a\"}, {\"var\": \"b\"}], {\"+\": [{\"var\": "
           "\"accumulator\"}, {\"if\": [{\"var\": \"current.0\"}, 1, 0]}]}, 0]}",
           "{\"a\": [1], \"b\": []}", "1");
    expect("{\"reduce\": [[[1, 2], [3]], {\"+\": [{\"var\": \"accumulator\"}, {\"reduce\": "
           "[{\"var\": \"current\"}, {\"+\": [{\"var\": \"accumulator\"}, {\"var\": "
           "\"current\"}]}, 0]}]}, 0]}",
           "null", "6");
    /* A date-time accumulator. */
    expect("{\"reduce\": [[1, 2], {\"var\": \"current\"}, {\"plusTime\": [\"2021\", 0, "
           "\"day\"]}]}",
           "null", "2");
    expect_fail("{\"reduce\": [[1], {\"var\": \"x\"}]}", "null", HC_CERTLOGIC_INVALID,
                "exactly 3 values/operands, but it has 2");
}

/* ---- bounds ---- */

static char *
nested(const char *open, const char *middle, const char *close, int n)
{
    size_t len = strlen(middle) + (size_t)n * (strlen(open) + strlen(close)) + 1;
    char *s = malloc(len);
    s[0] = '\0';
    for (int i = 0; i < n; i++) {
        strcat(s, open);
    }
    strcat(s, middle);
    for (int i = 0; i < n; i++) {
        strcat(s, close);
    }
    return s;
}

static void
test_limits(void **state)
{
    (void)state;
    /* Nesting: 64 levels are fine, 65 are not. */
    char *ok = nested("{\"!\": [", "true", "]}", 63);
    expect(ok, "null", "false");
    free(ok);
    char *deep = nested("{\"!\": [", "true", "]}", 80);
    expect_fail(deep, "null", HC_CERTLOGIC_INVALID, "nested more than 64 levels");
    free(deep);
    char *arrays = nested("[", "1", "]", 200);
    expect_fail(arrays, "null", HC_CERTLOGIC_INVALID, "nested more than 64 levels");
    free(arrays);
    /* reduce: at most 10^4 items. */
    json_t *big = json_array();
    for (int i = 0; i < 10001; i++) {
        json_array_append_new(big, json_integer(1));
    }
    json_t *data = json_pack("{s:o}", "xs", big);
    json_t *sum = parse("{\"reduce\": [{\"var\": \"xs\"}, {\"+\": [{\"var\": \"accumulator\"}, "
                        "{\"var\": \"current\"}]}, 0]}");
    json_t *got = NULL;
    char msg[256];
    assert_int_equal(hc_certlogic_evaluate(sum, data, &got, msg, sizeof msg), HC_CERTLOGIC_LIMIT);
    assert_non_null(strstr(msg, "more than the limit"));
    json_array_remove(big, 0);
    assert_int_equal(hc_certlogic_evaluate(sum, data, &got, msg, sizeof msg), HC_CERTLOGIC_OK);
    assert_int_equal(json_integer_value(got), 10000);
    json_decref(got);
    /* Steps: nested reduces over 10^4 items each would take 10^8 steps. */
    json_t *quad = parse("{\"reduce\": [{\"var\": \"xs\"}, {\"reduce\": [[1, 2, 3, 4, 5, 6, 7, 8, "
                         "9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], {\"var\": "
                         "\"accumulator\"}, 0]}, 0]}");
    assert_int_equal(hc_certlogic_evaluate(quad, data, &got, msg, sizeof msg), HC_CERTLOGIC_LIMIT);
    assert_non_null(strstr(msg, "steps"));
    /* A result that doubles each step: small in memory, huge as JSON (2^25 values). */
    json_t *dbl = parse("{\"reduce\": [{\"var\": \"xs\"}, [{\"var\": \"accumulator\"}, {\"var\": "
                        "\"accumulator\"}], 0]}");
    json_t *few = parse("{\"xs\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, "
                        "19, 20, 21, 22, 23, 24, 25]}");
    assert_int_equal(hc_certlogic_evaluate(dbl, few, &got, msg, sizeof msg), HC_CERTLOGIC_LIMIT);
    assert_non_null(strstr(msg, "result has more than"));
    /* The same over 10^4 items nests the result 10^4 deep. */
    assert_int_equal(hc_certlogic_evaluate(dbl, data, &got, msg, sizeof msg), HC_CERTLOGIC_LIMIT);
    assert_non_null(strstr(msg, "nested too deeply"));
    json_decref(few);
    json_decref(dbl);
    json_decref(quad);
    json_decref(sum);
    json_decref(data);
}

/* ---- validation reporting and output formatting ---- */

static void
test_validator_reports_all_issues(void **state)
{
    (void)state;
    json_t *e = parse("{\"and\": [{\"var\": 1}, {\"foo\": []}, {\"plusTime\": [null, 0.5, "
                      "\"days\"]}, 1.25]}");
    hc_certlogic_issue issues[8];
    size_t n = hc_certlogic_validate(e, issues, 8);
    assert_int_equal(n, 6);
    assert_string_equal(issues[0].message, "not of the form { \"var\": \"<path>\" }");
    assert_string_equal(issues[1].message, "unrecognised operator: \"foo\"");
    assert_string_equal(issues[2].message, "invalid CertLogic expression");
    assert_ptr_equal(
        issues[2].expr,
        json_array_get(json_object_get(json_array_get(json_object_get(e, "and"), 2), "plusTime"),
                       0));
    assert_string_equal(issues[3].message,
                        "\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: "
                        "0.5");
    assert_string_equal(issues[4].message,
                        "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of "
                        "year, month, day, hour, but it is: days");
    assert_string_equal(issues[5].message, "1.25 is a non-integer number");
    /* Fewer slots than issues: the count is still the total. */
    assert_int_equal(hc_certlogic_validate(e, issues, 2), 6);
    assert_int_equal(hc_certlogic_validate(e, NULL, 0), 6);
    json_decref(e);
    assert_int_equal(hc_certlogic_validate(NULL, issues, 1), 1);
}

static void
expect_text(const char *json, const char *text)
{
    json_t *j = json_loads(json, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
    assert_non_null(j);
    char *s = hc_certlogic_stringify(j, 1000);
    assert_non_null(s);
    if (strcmp(s, text) != 0) {
        fail_msg("stringify(%s) = %s, expected %s", json, s, text);
    }
    free(s);
    json_decref(j);
}

static void
test_stringify_like_javascript(void **state)
{
    (void)state;
    expect_text("0.1", "0.1");
    expect_text("1.0", "1");
    expect_text("-0.0", "0");
    expect_text("100", "100");
    expect_text("123456789012345680000", "123456789012345680000");
    expect_text("1e21", "1e+21");
    expect_text("1.5e-7", "1.5e-7");
    expect_text("0.000001", "0.000001");
    expect_text("2.5e300", "2.5e+300");
    expect_text("[1, {\"a\": \"x\\u0001\\\"\\\\\\n/é\"}, null, true]",
                "[1,{\"a\":\"x\\u0001\\\"\\\\\\n/é\"},null,true]");
    expect_text("{}", "{}");
    /* The bound. */
    json_t *j = json_loads("[\"0123456789\"]", 0, NULL);
    char *s = hc_certlogic_stringify(j, 5);
    assert_null(s);
    json_decref(j);
}

static void
test_json_equal(void **state)
{
    (void)state;
    json_t *a = parse("{\"a\": [1, 2.0, {\"b\": null}], \"c\": \"x\"}");
    json_t *b = parse("{\"c\": \"x\", \"a\": [1.0, 2, {\"b\": null}]}");
    json_t *c = parse("{\"c\": \"x\", \"a\": [1.0, 2, {\"b\": false}]}");
    assert_true(hc_certlogic_json_equal(a, b));
    assert_false(hc_certlogic_json_equal(a, c));
    assert_false(hc_certlogic_json_equal(a, NULL));
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truthiness_table),
        cmocka_unit_test(test_literals_and_arrays),
        cmocka_unit_test(test_var),
        cmocka_unit_test(test_if_and_not),
        cmocka_unit_test(test_equality_and_in),
        cmocka_unit_test(test_arithmetic_and_comparisons),
        cmocka_unit_test(test_datetime_formats),
        cmocka_unit_test(test_plus_time),
        cmocka_unit_test(test_plus_time_operation),
        cmocka_unit_test(test_dcc_date_of_birth),
        cmocka_unit_test(test_extract_from_uvci),
        cmocka_unit_test(test_reduce),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_validator_reports_all_issues),
        cmocka_unit_test(test_stringify_like_javascript),
        cmocka_unit_test(test_json_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
