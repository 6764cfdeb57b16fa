/*
 * test_ruleset.c: loading and checking EU rules, value sets, the data context, rule selection
 * (country, region, validity window, certificate type, newest version, invalidation rules of the
 * issuer) and the PASSED / FAILED / OPEN outcomes.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certlogic.h"
#include "ruleset.h"

static json_t *
parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (j == NULL) {
        fail_msg("bad JSON in test: %s: %s", text, e.text);
    }
    return j;
}

/* A valid rule; callers change fields. */
static json_t *
make_rule(const char *id, const char *cert_type, const char *version, const char *logic)
{
    json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], "
                          "s:s, s:s, s:[s]}",
                          "Identifier", id, "Type", id[0] == 'I' ? "Invalidation" : "Acceptance",
                          "Country", "XX", "Version", version, "SchemaVersion", "1.0.0", "Engine",
                          "CERTLOGIC", "EngineVersion", "1.0.0", "CertificateType", cert_type,
                          "Description", "lang", "de", "desc", "Beschreibung", "lang", "en", "desc",
                          "English description", "ValidFrom", "2022-01-01T00:00:00Z", "ValidTo",
                          "2030-01-01T00:00:00Z", "AffectedFields", "v.0");
    assert_non_null(r);
    char country[3] = { id[3], id[4], '\0' };
    json_object_set_new(r, "Country", json_string(country));
    json_object_set_new(r, "Logic", parse(logic != NULL ? logic : "true"));
    return r;
}

/* The first problem hc_rule_check reports for rule (NULL when valid). */
static const char *
problem(json_t *rule)
{
    static char msg[512];
    bool ok = hc_rule_check(rule, msg, sizeof msg);
    json_decref(rule);
    return ok ? NULL : msg;
}

static void
expect_problem(json_t *rule, const char *part)
{
    const char *p = problem(rule);
    if (p == NULL || strstr(p, part) == NULL) {
        fail_msg("expected a problem with \"%s\", got %s", part, p != NULL ? p : "none");
    }
}

static json_t *
with(json_t *rule, const char *key, json_t *value)
{
    if (value == NULL) {
        json_object_del(rule, key);
    } else {
        json_object_set_new(rule, key, value);
    }
    return rule;
}

static void
test_rule_check(void **state)
{
    (void)state;
    assert_null(problem(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL)));
    assert_null(problem(make_rule("GR-XX-0001", "General", "1.0.0", NULL)));
    assert_null(problem(make_rule("IR-XX-0001", "Vaccination", "1.0.0", NULL)));
    assert_null(problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Region", json_string("BW"))));
    /* Unknown members are allowed (the gateway adds some). */
    assert_null(
        problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Extra", json_true())));
    expect_problem(json_string("x"), "must be a JSON object");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Identifier", NULL),
                   "Identifier is missing");
    expect_problem(make_rule("VR-XX-001", "Vaccination", "1.0.0", NULL), "does not match");
    expect_problem(make_rule("XR-XX-0001", "Vaccination", "1.0.0", NULL), "does not match");
    expect_problem(make_rule("VR-xx-0001", "Vaccination", "1.0.0", NULL), "Country");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Country", json_string("YY")),
        "does not name Country YY");
    expect_problem(make_rule("TR-XX-0001", "Vaccination", "1.0.0", NULL),
                   "should start with VR for a Vaccination rule");
    expect_problem(
        with(make_rule("IR-XX-0001", "Test", "1.0.0", NULL), "Type", json_string("Acceptance")),
        "should start with TR");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Type",
                        json_string("acceptance")),
                   "Type");
    expect_problem(make_rule("VR-XX-0001", "Vaccine", "1.0.0", NULL), "CertificateType");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Region",
                        json_string("TOOLONG")),
                   "Region");
    expect_problem(make_rule("VR-XX-0001", "Vaccination", "1.0", NULL), "Version \"1.0\"");
    expect_problem(make_rule("VR-XX-0001", "Vaccination", "1.0.0-beta", NULL), "Version");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "SchemaVersion",
                        json_integer(1)),
                   "SchemaVersion is not a string");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "EngineVersion", NULL),
        "EngineVersion is missing");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Engine", json_string("")),
        "Engine is empty");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "ValidFrom",
                        json_string("2022-01-01")),
                   "ValidFrom");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "ValidTo",
                        json_string("2021-01-01T00:00:00Z")),
                   "ValidFrom is not before ValidTo");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Description", json_array()),
        "Description");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Description",
                        parse("[{\"lang\": \"english\", \"desc\": \"x\"}]")),
                   "Description[0]");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "AffectedFields", parse("[]")),
        "AffectedFields");
    expect_problem(
        with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "AffectedFields", parse("[1]")),
        "AffectedFields[0]");
    expect_problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL), "Logic", NULL),
                   "Logic is missing");
    expect_problem(make_rule("VR-XX-0001", "Vaccination", "1.0.0", "{\"or\": [true, false]}"),
                   "Logic is not valid CertLogic: unrecognised operator: \"or\"");
    /* Another engine: its Logic is not CertLogic and is not checked as such. */
    assert_null(problem(with(make_rule("VR-XX-0001", "Vaccination", "1.0.0", "{\"or\": []}"),
                             "Engine", json_string("OTHER"))));
}

static hc_ruleset *
set_of(json_t *rules)
{
    hc_ruleset *rs = hc_ruleset_new();
    char msg[512];
    assert_int_equal(hc_ruleset_add_json(rs, rules, "test", msg, sizeof msg), HC_OK);
    json_decref(rules);
    return rs;
}

static void
test_load_paths(void **state)
{
    (void)state;
    char msg[512];
    /* A folder in the dgc-business-rules-testdata layout (tests/ skipped). */
    hc_ruleset *rs = hc_ruleset_load(hc_test_vector_path("rules/XX"), msg, sizeof msg);
    assert_non_null(rs);
    assert_int_equal(hc_ruleset_count(rs), 13);
    const hc_rule *r = hc_ruleset_get(rs, 0);
    assert_string_equal(r->identifier, "GR-XX-0001"); /* sorted walk */
    assert_int_equal(r->cert_type, HC_RULE_GENERAL);
    assert_non_null(strstr(r->source, "GR-XX-0001/rule.json"));
    assert_non_null(strstr(r->description, "COVID-19"));
    assert_null(hc_ruleset_get(rs, 13));
    /* A single rule file. */
    assert_int_equal(hc_ruleset_add_path(rs, hc_test_vector_path("rules/XX/VR-XX-0001/rule.json"),
                                         msg, sizeof msg),
                     HC_OK);
    assert_int_equal(hc_ruleset_count(rs), 14);
    hc_ruleset_free(rs);
    /* Unreadable, not JSON, not rules. */
    rs = hc_ruleset_new();
    assert_int_equal(hc_ruleset_add_path(rs, "/nonexistent/rules.json", msg, sizeof msg),
                     HC_ERR_IO);
    assert_int_equal(hc_ruleset_add_path(rs,
                                         hc_test_vector_path("certlogic/SPECIFICATION-README.md"),
                                         msg, sizeof msg),
                     HC_ERR_STRUCTURE_INVALID);
    assert_non_null(strstr(msg, "not valid JSON"));
    assert_int_equal(hc_ruleset_add_path(rs,
                                         hc_test_vector_path("rules/XX/VR-XX-0001/tests/"
                                                             "test001.json"),
                                         msg, sizeof msg),
                     HC_ERR_STRUCTURE_INVALID);
    /* A folder without rules. */
    assert_int_equal(
        hc_ruleset_add_path(rs, hc_test_vector_path("certlogic/schemas"), msg, sizeof msg),
        HC_ERR_STRUCTURE_INVALID);
    assert_non_null(strstr(msg, "no rules found"));
    assert_int_equal(hc_ruleset_count(rs), 0);
    hc_ruleset_free(rs);
    hc_ruleset_free(NULL);
}

static void
test_load_all_or_nothing(void **state)
{
    (void)state;
    json_t *arr = json_array();
    json_array_append_new(arr, make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("VR-XX-0002", "Vaccination", "1.0", NULL));
    hc_ruleset *rs = hc_ruleset_new();
    char msg[512];
    assert_int_equal(hc_ruleset_add_json(rs, arr, "set.json", msg, sizeof msg),
                     HC_ERR_STRUCTURE_INVALID);
    assert_non_null(strstr(msg, "set.json: rule #1 (VR-XX-0002): Version"));
    assert_int_equal(hc_ruleset_count(rs), 0);
    json_array_remove(arr, 1);
    assert_int_equal(hc_ruleset_add_json(rs, arr, "set.json", msg, sizeof msg), HC_OK);
    assert_int_equal(hc_ruleset_count(rs), 1);
    json_decref(arr);
    /* The rule set keeps its own reference: the caller's JSON may go. */
    assert_string_equal(hc_ruleset_get(rs, 0)->description, "English description");
    hc_ruleset_free(rs);
}

typedef struct report_log {
    unsigned ok, bad, files;
} report_log;

static void
log_report(void *ctx, const char *source, const char *identifier, const char *p)
{
    report_log *log = ctx;
    (void)source;
    if (identifier == NULL) {
        log->files++;
    } else if (p == NULL) {
        log->ok++;
    } else {
        log->bad++;
    }
}

static void
test_validate_path(void **state)
{
    (void)state;
    report_log log = { 0 };
    assert_int_equal(hc_rules_validate_path(hc_test_vector_path("rules/XX"), log_report, &log), 0);
    assert_int_equal(log.ok, 13);
    assert_int_equal(log.bad + log.files, 0);
    /* A file with one good and two bad rules. */
    char path[] = "/tmp/hc_rules_validate_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    json_t *arr = json_array();
    json_array_append_new(arr, make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("VR-XX-0002", "Test", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("VR-XX-0003", "Vaccination", "1.0.0", "{\"var\": 1}"));
    assert_int_equal(json_dump_file(arr, path, 0), 0);
    json_decref(arr);
    memset(&log, 0, sizeof log);
    assert_int_equal(hc_rules_validate_path(path, log_report, &log), 2);
    assert_int_equal(log.ok, 1);
    assert_int_equal(log.bad, 2);
    unlink(path);
    memset(&log, 0, sizeof log);
    assert_int_equal(hc_rules_validate_path("/nonexistent.json", log_report, &log), 1);
    assert_int_equal(log.files, 1);
}

/* ---- value sets ---- */

static void
test_valuesets(void **state)
{
    (void)state;
    char msg[512];
    /* The EU folder: every file in the EU form. */
    hc_valuesets *vs = hc_valuesets_load(hc_test_vector_path("eu-dcc/valuesets"), msg, sizeof msg);
    assert_non_null(vs);
    const json_t *sets = hc_valuesets_json(vs);
    const json_t *types = json_object_get(sets, "covid-19-lab-test-type");
    assert_int_equal(json_array_size(types), 2);
    assert_string_equal(json_string_value(json_array_get(types, 0)), "LP6464-4");
    assert_int_equal(json_array_size(json_object_get(sets, "country-2-codes")), 250);
    assert_int_equal(json_array_size(json_object_get(sets, "vaccines-covid-19-names")), 39);
    assert_true(hc_valuesets_count(vs) >= 9);
    /* The compressed form adds and replaces. */
    json_t *compressed = parse("{\"covid-19-lab-test-type\": [\"LP6464-4\"], \"my-set\": []}");
    assert_int_equal(hc_valuesets_add_json(vs, compressed, msg, sizeof msg), HC_OK);
    json_decref(compressed);
    assert_int_equal(json_array_size(json_object_get(sets, "covid-19-lab-test-type")), 1);
    assert_non_null(json_object_get(sets, "my-set"));
    /* An array of EU forms. */
    json_t *arr = parse("[{\"valueSetId\": \"a\", \"valueSetDate\": \"2022-01-01\", "
                        "\"valueSetValues\": {\"x\": {}, \"y\": {}}}]");
    assert_int_equal(hc_valuesets_add_json(vs, arr, msg, sizeof msg), HC_OK);
    json_decref(arr);
    assert_int_equal(json_array_size(json_object_get(sets, "a")), 2);
    /* Not value sets. */
    json_t *bad = parse("{\"a\": [1, 2]}");
    assert_int_equal(hc_valuesets_add_json(vs, bad, msg, sizeof msg), HC_ERR_STRUCTURE_INVALID);
    json_decref(bad);
    assert_int_equal(hc_valuesets_add_path(vs, hc_test_vector_path("rules/XX/VR-XX-0001/rule.json"),
                                           msg, sizeof msg),
                     HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(hc_valuesets_add_path(vs, "/nonexistent", msg, sizeof msg), HC_ERR_IO);
    /* A folder without value sets. */
    assert_int_equal(
        hc_valuesets_add_path(vs, hc_test_vector_path("certlogic/schemas"), msg, sizeof msg),
        HC_ERR_STRUCTURE_INVALID);
    hc_valuesets_free(vs);
    hc_valuesets_free(NULL);
}

/* ---- the data context ---- */

static void
test_data_context(void **state)
{
    (void)state;
    json_t *payload = parse("{\"ver\": \"1.3.0\", \"v\": [{\"dn\": 1}]}");
    hc_valuesets *vs = hc_valuesets_new();
    json_t *sets = parse("{\"s\": [\"a\"]}");
    assert_int_equal(hc_valuesets_add_json(vs, sets, NULL, 0), HC_OK);
    json_decref(sets);
    hc_rules_external ext = { .country = "XX",
                              .clock_ms = 1654084800000LL, /* 2022-06-01T12:00:00Z */
                              .has_iat = true,
                              .iat_ms = 1651363200000LL,
                              .issuer_country = "YY",
                              .kid_b64 = "qroU+hDDovs=" };
    json_t *data = hc_rules_data_context(payload, &ext, vs);
    json_t *want = parse("{\"payload\": {\"ver\": \"1.3.0\", \"v\": [{\"dn\": 1}]}, \"external\": "
                         "{\"validationClock\": \"2022-06-01T12:00:00.000Z\", \"valueSets\": "
                         "{\"s\": [\"a\"]}, \"countryCode\": \"XX\", \"iat\": "
                         "\"2022-05-01T00:00:00.000Z\", \"issuerCountryCode\": \"YY\", \"kid\": "
                         "\"qroU+hDDovs=\", \"region\": \"\"}}");
    assert_true(hc_certlogic_json_equal(data, want));
    json_decref(want);
    json_decref(data);
    /* No value sets: an empty object, so rules fail on "in" rather than on the path. */
    data = hc_rules_data_context(payload, &ext, NULL);
    assert_int_equal(
        json_object_size(json_object_get(json_object_get(data, "external"), "valueSets")), 0);
    json_decref(data);
    assert_int_equal(hc_rules_payload_type(payload), 'v');
    json_t *two = parse("{\"v\": [{}], \"t\": [{}]}");
    assert_int_equal(hc_rules_payload_type(two), 0);
    json_decref(two);
    json_t *empty = parse("{\"r\": []}");
    assert_int_equal(hc_rules_payload_type(empty), 0);
    json_decref(empty);
    json_decref(payload);
    hc_valuesets_free(vs);
}

/* ---- selection ---- */

static json_t *
windowed(json_t *rule, const char *from, const char *to)
{
    json_object_set_new(rule, "ValidFrom", json_string(from));
    json_object_set_new(rule, "ValidTo", json_string(to));
    return rule;
}

static size_t
select_ids(const hc_ruleset *rs, const hc_rules_external *ext, char type, char *out, size_t cap)
{
    const hc_rule *sel[32];
    size_t n = hc_rules_select(rs, ext, type, sel, 32);
    out[0] = '\0';
    for (size_t i = 0; i < n && i < 32; i++) {
        char item[48];
        snprintf(item, sizeof item, "%s%s@%s", i > 0 ? " " : "", sel[i]->identifier,
                 sel[i]->version);
        strncat(out, item, cap - strlen(out) - 1);
    }
    return n;
}

static void
test_selection(void **state)
{
    (void)state;
    json_t *arr = json_array();
    /* Two versions of VR-XX-0001: 1.0.0 until mid 2022, 1.1.0 from then. */
    json_array_append_new(arr, windowed(make_rule("VR-XX-0001", "Vaccination", "1.0.0", NULL),
                                        "2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"));
    json_array_append_new(arr, windowed(make_rule("VR-XX-0001", "Vaccination", "1.1.0", NULL),
                                        "2022-07-01T00:00:00Z", "2030-01-01T00:00:00Z"));
    json_array_append_new(arr, make_rule("VR-XX-0002", "Vaccination", "1.0.10", NULL));
    json_array_append_new(arr, make_rule("VR-XX-0002", "Vaccination", "1.0.9", NULL));
    json_array_append_new(arr, make_rule("TR-XX-0001", "Test", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("GR-XX-0001", "General", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("VR-YY-0001", "Vaccination", "1.0.0", NULL));
    json_array_append_new(arr, with(make_rule("VR-XX-0003", "Vaccination", "1.0.0", NULL), "Region",
                                    json_string("NORTH")));
    json_array_append_new(arr, make_rule("IR-YY-0001", "Vaccination", "1.0.0", NULL));
    json_array_append_new(arr, make_rule("IR-XX-0001", "Vaccination", "1.0.0", NULL));
    hc_ruleset *rs = set_of(arr);
    char ids[512];
    hc_rules_external ext = { .country = "XX", .clock_ms = 1643716800000LL }; /* 2022-02-01 */
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 3);
    assert_string_equal(ids, "GR-XX-0001@1.0.0 VR-XX-0001@1.0.0 VR-XX-0002@1.0.10");
    /* Version 1.1.0 of VR-XX-0001 takes over once valid. */
    ext.clock_ms = 1661990400000LL; /* 2022-09-01 */
    select_ids(rs, &ext, 'v', ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0 VR-XX-0001@1.1.0 VR-XX-0002@1.0.10");
    /* After 1.0.0 expired, only 1.1.0. Before 2022: nothing. */
    ext.clock_ms = 1704067200000LL; /* 2024-01-01 */
    select_ids(rs, &ext, 'v', ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0 VR-XX-0001@1.1.0 VR-XX-0002@1.0.10");
    ext.clock_ms = 1609459200000LL; /* 2021-01-01 */
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 0);
    /* ValidFrom and ValidTo are both inclusive (SQL BETWEEN, RulesDao.kt). */
    ext.clock_ms = 1640995200000LL; /* 2022-01-01T00:00:00Z exactly */
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 3);
    ext.clock_ms = 1893456000000LL; /* 2030-01-01T00:00:00Z exactly */
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 3);
    ext.clock_ms = 1893456000001LL;
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 0);
    ext.clock_ms = 1643716800000LL;
    /* Certificate type: General applies to all, the others to their type. */
    select_ids(rs, &ext, 't', ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0 TR-XX-0001@1.0.0");
    select_ids(rs, &ext, 'r', ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0");
    select_ids(rs, &ext, 0, ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0");
    /* Region: rules with a Region only for it; without a region only rules without one. */
    ext.region = "north";
    select_ids(rs, &ext, 'v', ids, sizeof ids);
    assert_string_equal(ids, "VR-XX-0003@1.0.0");
    ext.region = NULL;
    /* The issuing country's invalidation rules. */
    ext.issuer_country = "YY";
    select_ids(rs, &ext, 'v', ids, sizeof ids);
    assert_string_equal(ids, "GR-XX-0001@1.0.0 IR-YY-0001@1.0.0 VR-XX-0001@1.0.0 "
                             "VR-XX-0002@1.0.10");
    /* Country codes compare ignoring case; unknown country: nothing. */
    ext.country = "xx";
    ext.issuer_country = NULL;
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 3);
    ext.country = "ZZ";
    assert_int_equal(select_ids(rs, &ext, 'v', ids, sizeof ids), 0);
    /* max smaller than the count: the count is still returned. */
    ext.country = "XX";
    const hc_rule *one[1];
    assert_int_equal(hc_rules_select(rs, &ext, 'v', one, 1), 3);
    assert_string_equal(one[0]->identifier, "GR-XX-0001");
    hc_ruleset_free(rs);
}

/* ---- outcomes ---- */

static void
test_outcomes(void **state)
{
    (void)state;
    json_t *arr = json_array();
    json_array_append_new(arr, make_rule("VR-XX-0001", "Vaccination", "1.0.0",
                                         "{\">=\": [{\"var\": \"payload.v.0.dn\"}, 2]}"));
    json_array_append_new(arr, make_rule("VR-XX-0002", "Vaccination", "1.0.0",
                                         "{\"in\": [{\"var\": \"payload.v.0.mp\"}, {\"var\": "
                                         "\"external.valueSets.vaccines\"}]}"));
    json_array_append_new(
        arr, make_rule("VR-XX-0003", "Vaccination", "1.0.0", "{\"var\": \"payload.v.0.dn\"}"));
    json_array_append_new(arr, with(make_rule("VR-XX-0004", "Vaccination", "1.0.0", NULL), "Engine",
                                    json_string("OTHER")));
    json_array_append_new(arr, with(make_rule("VR-XX-0005", "Vaccination", "1.0.0", NULL),
                                    "EngineVersion", json_string("2.0.0")));
    json_array_append_new(arr, with(make_rule("VR-XX-0006", "Vaccination", "1.0.0", NULL),
                                    "SchemaVersion", json_string("1.3.0")));
    json_array_append_new(arr, with(make_rule("VR-XX-0007", "Vaccination", "1.0.0", NULL),
                                    "SchemaVersion", json_string("2.0.0")));
    json_array_append_new(arr, make_rule("VR-XX-0008", "Vaccination", "1.0.0",
                                         "{\"===\": [{\"var\": \"external.countryCode\"}, "
                                         "\"XX\"]}"));
    json_array_append_new(arr, make_rule("VR-XX-0009", "Vaccination", "1.0.0",
                                         "{\"before\": [{\"plusTime\": [{\"var\": "
                                         "\"payload.v.0.dt\"}, 0, \"day\"]}, {\"plusTime\": "
                                         "[{\"var\": \"external.validationClock\"}, 0, "
                                         "\"day\"]}]}"));
    hc_ruleset *rs = set_of(arr);
    hc_valuesets *vs = hc_valuesets_new();
    json_t *sets = parse("{\"vaccines\": [\"EU/1/20/1528\"]}");
    hc_valuesets_add_json(vs, sets, NULL, 0);
    json_decref(sets);
    json_t *payload = parse("{\"ver\": \"1.3.0\", \"v\": [{\"dn\": 2, \"mp\": \"EU/1/20/1528\", "
                            "\"dt\": \"2022-01-10\"}]}");
    hc_rules_external ext = { .country = "XX", .clock_ms = 1643716800000LL };
    hc_rule_result res[16];
    size_t n = hc_rules_evaluate(rs, vs, payload, &ext, res, 16);
    assert_int_equal(n, 9);
    const struct {
        const char *id;
        hc_rule_outcome outcome;
        const char *message;
    } want[] = {
        { "VR-XX-0001", HC_RULE_PASSED, "" },
        { "VR-XX-0002", HC_RULE_PASSED, "" },
        { "VR-XX-0003", HC_RULE_OPEN, "not a boolean" },
        { "VR-XX-0004", HC_RULE_OPEN, "engine OTHER" },
        { "VR-XX-0005", HC_RULE_OPEN, "needs CertLogic 2.0.0" },
        { "VR-XX-0006", HC_RULE_PASSED, "" },
        { "VR-XX-0007", HC_RULE_OPEN, "not compatible with 2.0.0" },
        { "VR-XX-0008", HC_RULE_PASSED, "" },
        { "VR-XX-0009", HC_RULE_PASSED, "" },
    };
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(res[i].identifier, want[i].id);
        if (res[i].outcome != want[i].outcome || strstr(res[i].message, want[i].message) == NULL) {
            fail_msg("%s: %s (%s), expected %s (%s)", res[i].identifier,
                     hc_rule_outcome_name(res[i].outcome), res[i].message,
                     hc_rule_outcome_name(want[i].outcome), want[i].message);
        }
        assert_string_equal(res[i].description, "English description");
        assert_string_equal(res[i].version, "1.0.0");
        assert_string_equal(res[i].country, "XX");
    }
    /* Failing and erroring. */
    json_object_set_new(json_array_get(json_object_get(payload, "v"), 0), "dn", json_integer(1));
    json_object_set_new(json_array_get(json_object_get(payload, "v"), 0), "mp", json_string("X"));
    json_object_set_new(json_array_get(json_object_get(payload, "v"), 0), "dt",
                        json_string("not a date"));
    json_object_set_new(payload, "ver", json_string("1.2.1"));
    n = hc_rules_evaluate(rs, vs, payload, &ext, res, 16);
    assert_int_equal(res[0].outcome, HC_RULE_FAILED);
    assert_int_equal(res[1].outcome, HC_RULE_FAILED);
    assert_int_equal(res[5].outcome, HC_RULE_OPEN); /* 1.2.1 is older than SchemaVersion 1.3.0 */
    assert_int_equal(res[8].outcome, HC_RULE_OPEN);
    assert_non_null(strstr(res[8].message, "not an allowed date"));
    /* Without value sets the "in" rule cannot be evaluated: OPEN, never PASSED. */
    n = hc_rules_evaluate(rs, NULL, payload, &ext, res, 16);
    assert_int_equal(res[1].outcome, HC_RULE_OPEN);
    /* No ver at all: OPEN everywhere. */
    json_object_del(payload, "ver");
    n = hc_rules_evaluate(rs, vs, payload, &ext, res, 16);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(res[i].outcome, HC_RULE_OPEN);
    }
    /* Fewer slots than rules: count returned, slots filled. */
    assert_int_equal(hc_rules_evaluate(rs, vs, payload, &ext, res, 2), 9);
    assert_int_equal(hc_rules_evaluate(rs, vs, payload, &ext, NULL, 0), 9);
    /* Not a vaccination: no vaccination rule applies. */
    json_t *test = parse("{\"ver\": \"1.3.0\", \"t\": [{}]}");
    assert_int_equal(hc_rules_evaluate(rs, vs, test, &ext, res, 16), 0);
    json_decref(test);
    assert_string_equal(hc_rule_outcome_name(HC_RULE_FAILED), "FAILED");
    json_decref(payload);
    hc_valuesets_free(vs);
    hc_ruleset_free(rs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_check),          cmocka_unit_test(test_load_paths),
        cmocka_unit_test(test_load_all_or_nothing), cmocka_unit_test(test_validate_path),
        cmocka_unit_test(test_valuesets),           cmocka_unit_test(test_data_context),
        cmocka_unit_test(test_selection),           cmocka_unit_test(test_outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
