/*
 * test_dcc_schema.c: dcc_schema.h against the eu-dcc-schema repository's own examples and test
 * cases (tests/vectors/eu-dcc/schema), version selection (eu-dcc.md §2.5), the messages users see,
 * and concurrent first use from several threads.
 */
#include "testlib.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcc_schema.h"
#include "embedded.h"
#include "json_schema.h"

extern const hc_embedded_file dcc_schemas[];
extern const size_t dcc_schemas_count;

/* Calls fn on every *.json under $HC_VECTORS/rel (recursively); returns how many. */
static size_t
each_json(const char *rel, void (*fn)(const char *rel, json_t *doc))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", hc_test_vectors_dir(), rel);
    DIR *d = opendir(dir);
    if (d == NULL) {
        fail_msg("cannot open %s", dir);
    }
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char sub[1024];
        snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            json_t *doc = hc_test_load_json(sub);
            fn(sub, doc);
            json_decref(doc);
            count++;
        } else {
            char full[1400];
            struct stat st;
            snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
            if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
                count += each_json(sub, fn); /* README.md and friends are not folders */
            }
        }
    }
    closedir(d);
    return count;
}

static void
must_validate(const char *rel, json_t *doc)
{
    char msg[256];
    hc_err rc = hc_dcc_schema_validate(doc, msg, sizeof msg);
    if (rc != HC_OK) {
        fail_msg("%s: %s", rel, msg);
    }
}

static void
must_fail(const char *rel, json_t *doc)
{
    char msg[256];
    hc_err rc = hc_dcc_schema_validate(doc, msg, sizeof msg);
    if (rc != HC_ERR_SCHEMA_INVALID) {
        fail_msg("%s: expected a schema error", rel);
    }
    print_message("  %-48s %s\n", rel, msg);
}

static void
test_examples_validate(void **state)
{
    (void)state;
    assert_int_equal(each_json("eu-dcc/schema/examples", must_validate), 27);
}

static void
test_valid_cases_validate(void **state)
{
    (void)state;
    assert_int_equal(each_json("eu-dcc/schema/test/valid", must_validate), 13);
}

static void
test_invalid_cases_fail(void **state)
{
    (void)state;
    assert_int_equal(each_json("eu-dcc/schema/test/invalid", must_fail), 6);
}

/* The exact message of each invalid case: the first failing field, in plain words. */
static void
expect_message(const char *rel, const char *want)
{
    json_t *doc = hc_test_load_json(rel);
    char msg[256];
    assert_int_equal(hc_dcc_schema_validate(doc, msg, sizeof msg), HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, want);
    json_decref(doc);
}

static void
test_invalid_case_messages(void **state)
{
    (void)state;
    expect_message("eu-dcc/schema/test/invalid/empty.json", "v: must have at least 1 item");
    expect_message("eu-dcc/schema/test/invalid/invalid_dob.json",
                   "dob: does not match ^((19|20)\\d\\d(-\\d\\d){0,2}){0,1}$");
    expect_message("eu-dcc/schema/test/invalid/invalid_dob2.json",
                   "dob: does not match ^((19|20)\\d\\d(-\\d\\d){0,2}){0,1}$");
    expect_message("eu-dcc/schema/test/invalid/invalid_vac.json", "v[0].dn: must be >= 1");
    expect_message("eu-dcc/schema/test/invalid/missing_dob.json", "dob: is required");
    expect_message("eu-dcc/schema/test/invalid/missing_fnt_gnt.json",
                   "nam: must have at least one of fnt, gnt");
}

/* Validates a payload given as JSON text; returns the code and leaves the message in msg. */
static hc_err
validate_text(const char *text, char *msg, size_t len)
{
    json_t *doc = json_loads(text, JSON_DECODE_ANY, NULL);
    assert_non_null(doc);
    hc_err rc = hc_dcc_schema_validate(doc, msg, len);
    json_decref(doc);
    return rc;
}

#define NAM "\"nam\": {\"fn\": \"Müller\", \"fnt\": \"MUELLER\"}"
#define VAC_OK                                                                            \
    "[{\"tg\": \"840539006\", \"vp\": \"1119349007\", \"mp\": \"EU/1/20/1528\", \"ma\": " \
    "\"ORG-100030215\", \"dn\": 2, \"sd\": 2, \"dt\": \"2021-06-11\", \"co\": \"AT\", "   \
    "\"is\": \"BMSGPK Austria\", \"ci\": \"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B\"}]"
#define TEST_OK                                                                            \
    "[{\"tg\": \"840539006\", \"tt\": \"LP6464-4\", \"sc\": \"2021-06-11T10:00:00Z\", "    \
    "\"tr\": \"260415000\", \"tc\": \"Test centre\", \"co\": \"AT\", \"is\": \"BMSGPK\", " \
    "\"ci\": \"URN:UVCI:01:AT:1\"}]"

static void
test_group_rule(void **state)
{
    (void)state;
    char msg[256];
    /* 1.3.x: the schema's own oneOf. */
    assert_int_equal(validate_text("{\"ver\": \"1.3.0\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK
                                   ", \"t\": " TEST_OK "}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "must have exactly one of v, t, r (has v, t)");
    assert_int_equal(
        validate_text("{\"ver\": \"1.3.0\", " NAM ", \"dob\": \"1964\"}", msg, sizeof msg),
        HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "must have exactly one of v, t, r");
    /* 1.0.0 has no oneOf: eu-dcc.md §2.5's rule is applied on top, with the same words. */
    assert_int_equal(validate_text("{\"ver\": \"1.0.0\", " NAM
                                   ", \"dob\": \"1964-01-01\", \"v\": " VAC_OK ", \"t\": " TEST_OK
                                   "}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "must have exactly one of v, t, r (has v, t)");
    assert_int_equal(
        validate_text("{\"ver\": \"1.0.0\", " NAM ", \"dob\": \"1964-01-01\"}", msg, sizeof msg),
        HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "must have exactly one of v, t, r");
    assert_int_equal(validate_text("{\"ver\": \"1.0.0\", " NAM
                                   ", \"dob\": \"1964-01-01\", \"t\": " TEST_OK "}",
                                   msg, sizeof msg),
                     HC_OK);
}

static void
test_messages(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(validate_text("[]", msg, sizeof msg), HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "must be of type object");
    assert_int_equal(validate_text("{\"ver\": \"1.3.0\", \"nam\": {\"fnt\": \"Mueller\"}, \"dob\": "
                                   "\"1964\", \"v\": " VAC_OK "}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "nam.fnt: does not match ^[A-Z<]*$");
    assert_int_equal(validate_text("{\"ver\": \"1.3.0\", " NAM
                                   ", \"dob\": \"1964\", \"v\": [{\"tg\": "
                                   "\"840539006\"}]}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "v[0].vp: is required");
    assert_int_equal(validate_text("{\"ver\": \"1.3.0\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK
                                   ", \"x\": 1}",
                                   msg, sizeof msg),
                     HC_OK); /* the schema allows additional properties */
    /* maxLength counts characters: 80 x "é" is 160 bytes but valid. */
    char big[1024];
    char name[200] = "";
    for (int i = 0; i < 80; i++) {
        strcat(name, "é");
    }
    snprintf(big, sizeof big,
             "{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"%s\", \"fnt\": \"A\"}, \"dob\": \"1964\", "
             "\"v\": " VAC_OK "}",
             name);
    assert_int_equal(validate_text(big, msg, sizeof msg), HC_OK);
    strcat(name, "é");
    snprintf(big, sizeof big,
             "{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"%s\", \"fnt\": \"A\"}, \"dob\": \"1964\", "
             "\"v\": " VAC_OK "}",
             name);
    assert_int_equal(validate_text(big, msg, sizeof msg), HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "nam.fn: must have at most 80 characters");
    /* A short buffer is cut, never overrun. */
    char tiny[8];
    assert_int_equal(validate_text("[]", tiny, sizeof tiny), HC_ERR_SCHEMA_INVALID);
    assert_string_equal(tiny, "must be");
    assert_int_equal(validate_text("[]", NULL, 0), HC_ERR_SCHEMA_INVALID);
    assert_int_equal(hc_dcc_schema_validate(NULL, msg, sizeof msg), HC_ERR_INVALID_ARG);
}

static void
test_version_selection(void **state)
{
    (void)state;
    assert_string_equal(hc_dcc_schema_version_for("1.0.0"), "1.0.0");
    assert_string_equal(hc_dcc_schema_version_for("1.2.1"), "1.2.1");
    assert_string_equal(hc_dcc_schema_version_for("1.3.3"), "1.3.3");
    assert_string_equal(hc_dcc_schema_version_for("1.0.4"), "1.0.1"); /* IE: newest 1.0.x */
    assert_string_equal(hc_dcc_schema_version_for("1.3.9"), "1.3.3");
    assert_string_equal(hc_dcc_schema_version_for("1.3"), "1.3.3");
    assert_string_equal(hc_dcc_schema_version_for("2.0.0"), "1.3.0"); /* §2.5 fallback */
    assert_string_equal(hc_dcc_schema_version_for("1."), "1.3.0");
    assert_string_equal(hc_dcc_schema_version_for("1"), "1.3.0");
    assert_string_equal(hc_dcc_schema_version_for(""), "1.3.0");
    assert_string_equal(hc_dcc_schema_version_for("garbage"), "1.3.0");
    assert_string_equal(hc_dcc_schema_version_for(NULL), "1.3.0");

    /* The chosen release is really applied: year-only dob is invalid in 1.0.0, valid later. */
    char msg[256];
    assert_int_equal(validate_text("{\"ver\": \"1.0.0\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK
                                   "}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "dob: does not match (19|20)\\d{2}-\\d{2}-\\d{2}");
    assert_int_equal(validate_text("{\"ver\": \"1.3.0\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK
                                   "}",
                                   msg, sizeof msg),
                     HC_OK);
    /* A missing or non-string ver: the fallback release, which requires a string ver. */
    assert_int_equal(
        validate_text("{" NAM ", \"dob\": \"1964\", \"v\": " VAC_OK "}", msg, sizeof msg),
        HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "ver: is required");
    assert_int_equal(validate_text("{\"ver\": 1, " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK "}",
                                   msg, sizeof msg),
                     HC_ERR_SCHEMA_INVALID);
    assert_string_equal(msg, "ver: must be of type string");
}

/* Every embedded release compiles with the generic compiler, with and without format assertion. */
static void
test_all_releases_compile(void **state)
{
    (void)state;
    assert_int_equal(dcc_schemas_count, 9);
    for (size_t i = 0; i < dcc_schemas_count; i++) {
        json_t *doc = json_loadb((const char *)dcc_schemas[i].data, dcc_schemas[i].size, 0, NULL);
        assert_non_null(doc);
        for (unsigned flags = 0; flags <= HC_SCHEMA_ASSERT_FORMAT; flags++) {
            hc_schema *s = NULL;
            char err[256];
            if (hc_schema_compile(doc, flags, &s, err, sizeof err) != HC_OK) {
                fail_msg("%s: %s", dcc_schemas[i].name, err);
            }
            hc_schema_free(s);
        }
        json_decref(doc);
    }
}

/*
 * Why "format" stays an annotation (docs/schema.md): asserted, RFC 3339 would reject two of the
 * schema repository's own valid cases, whose test times carry "+02" and "+0200" offsets.
 */
static hc_schema *format_schema;
static size_t format_rejected;

static void
count_format_rejects(const char *rel, json_t *doc)
{
    hc_schema_error err;
    if (hc_schema_validate(format_schema, doc, &err) != HC_OK) {
        print_message("  with format asserted: %s: %s: %s\n", rel, err.path, err.message);
        assert_string_equal(err.message, "is not a valid date-time (RFC 3339)");
        format_rejected++;
    }
}

static void
count_strict_rejects(const char *rel, json_t *doc)
{
    char msg[256];
    if (hc_dcc_schema_validate_strict(doc, NULL, msg, sizeof msg) != HC_OK) {
        print_message("  strict: %s: %s\n", rel, msg);
        format_rejected++;
    }
}

/* An impossible date in each date-formatted field kind is refused by the strict validation only. */
static void
test_strict_dates(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"ver\":\"1.3.0\",\"nam\":{\"fnt\":\"A\"},\"dob\":\"1990-01-01\",\"v\":[{\"tg\":"
        "\"840539006\",\"vp\":\"J07BX03\",\"mp\":\"EU/1/20/1528\",\"ma\":\"ORG-100030215\","
        "\"dn\":1,\"sd\":2,\"dt\":\"2021-02-30\",\"co\":\"AT\",\"is\":\"M\",\"ci\":"
        "\"URN:UVCI:01:AT:X\"}]}",
        "{\"ver\":\"1.3.0\",\"nam\":{\"fnt\":\"A\"},\"dob\":\"1990-01-01\",\"r\":[{\"tg\":"
        "\"840539006\",\"fr\":\"2021-01-01\",\"co\":\"AT\",\"is\":\"M\",\"df\":\"2021-06-31\","
        "\"du\":\"2021-07-01\",\"ci\":\"URN:UVCI:01:AT:X\"}]}",
        "{\"ver\":\"1.3.0\",\"nam\":{\"fnt\":\"A\"},\"dob\":\"1990-01-01\",\"t\":[{\"tg\":"
        "\"840539006\",\"tt\":\"LP6464-4\",\"sc\":\"2021-04-13T25:00:00Z\",\"tr\":\"260415000\","
        "\"tc\":\"Lab\",\"co\":\"AT\",\"is\":\"M\",\"ci\":\"URN:UVCI:01:AT:X\"}]}",
    };
    static const char *const fields[] = { "v[0].dt", "r[0].df", "t[0].sc" };
    for (size_t i = 0; i < 3; i++) {
        json_t *doc = json_loads(docs[i], 0, NULL);
        assert_non_null(doc);
        char msg[256];
        assert_int_equal(hc_dcc_schema_validate(doc, msg, sizeof msg), HC_OK);
        assert_int_equal(hc_dcc_schema_validate_strict(doc, NULL, msg, sizeof msg),
                         HC_ERR_SCHEMA_INVALID);
        if (strncmp(msg, fields[i], strlen(fields[i])) != 0) {
            fail_msg("strict %zu: %s", i, msg);
        }
        json_decref(doc);
    }
}

static void
test_format_decision(void **state)
{
    (void)state;
    const hc_embedded_file *f =
        hc_embedded_find(dcc_schemas, dcc_schemas_count, "1.3.3.combined-schema.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_int_equal(hc_schema_compile(doc, HC_SCHEMA_ASSERT_FORMAT, &format_schema, NULL, 0),
                     HC_OK);
    json_decref(doc);
    format_rejected = 0;
    assert_int_equal(each_json("eu-dcc/schema/test/valid", count_format_rejects), 13);
    assert_int_equal(format_rejected, 2); /* T-rat-dates1 ("+02"), T-rat-dates2 ("+0200") */
    format_rejected = 0;
    assert_int_equal(each_json("eu-dcc/schema/examples", count_format_rejects), 27);
    assert_int_equal(format_rejected, 0);
    hc_schema_free(format_schema);
    /* The issuers' strict validation (dcc_schema.h) accepts every valid case of the schema
     * repository, the ISO 8601 offsets of T-rat-dates1/2 included, and every example. */
    format_rejected = 0;
    assert_int_equal(each_json("eu-dcc/schema/test/valid", count_strict_rejects), 13);
    assert_int_equal(each_json("eu-dcc/schema/examples", count_strict_rejects), 27);
    assert_int_equal(format_rejected, 0);
}

/* First use from several threads at once: each release is compiled once, results agree. */
static json_t *thread_docs[4];

static void *
thread_main(void *arg)
{
    size_t id = (size_t)arg;
    for (int i = 0; i < 200; i++) {
        char msg[128];
        hc_err rc = hc_dcc_schema_validate(thread_docs[(id + (size_t)i) % 4], msg, sizeof msg);
        if (rc != ((id + (size_t)i) % 4 < 2 ? HC_OK : HC_ERR_SCHEMA_INVALID)) {
            return (void *)1;
        }
    }
    return NULL;
}

static void
test_threads(void **state)
{
    (void)state;
    const char *texts[4] = {
        "{\"ver\": \"1.3.3\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK "}",
        "{\"ver\": \"1.2.1\", " NAM ", \"dob\": \"1964\", \"t\": " TEST_OK "}",
        "{\"ver\": \"1.3.2\", " NAM ", \"dob\": \"1800\", \"v\": " VAC_OK "}",
        "{\"ver\": \"1.1.0\", " NAM ", \"dob\": \"1964\", \"v\": " VAC_OK ", \"t\": " TEST_OK "}",
    };
    for (int i = 0; i < 4; i++) {
        thread_docs[i] = json_loads(texts[i], 0, NULL);
        assert_non_null(thread_docs[i]);
    }
    pthread_t th[8];
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, (void *)i), 0);
    }
    for (size_t i = 0; i < 8; i++) {
        void *ret;
        assert_int_equal(pthread_join(th[i], &ret), 0);
        assert_null(ret);
    }
    for (int i = 0; i < 4; i++) {
        json_decref(thread_docs[i]);
    }
}

int
main(void)
{
    /* test_threads runs first so that it really is the first use of the lazily compiled schemas. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_examples_validate),
        cmocka_unit_test(test_valid_cases_validate),
        cmocka_unit_test(test_invalid_cases_fail),
        cmocka_unit_test(test_invalid_case_messages),
        cmocka_unit_test(test_group_rule),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_version_selection),
        cmocka_unit_test(test_all_releases_compile),
        cmocka_unit_test(test_format_decision),
        cmocka_unit_test(test_strict_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
