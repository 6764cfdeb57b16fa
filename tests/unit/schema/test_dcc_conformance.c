/*
 * test_dcc_conformance.c: hc_dcc_schema_validate over the EU conformance corpus
 * (tests/vectors/eu-dcc/dgc-testdata/<CC>/[<ver>/]2DCode/raw/<name>.json): every vector with a
 * "JSON" payload and EXPECTEDRESULTS.EXPECTEDSCHEMAVALIDATION must get that verdict, except the
 * files of the skip list below, each with the reason the vector (not the validator) is wrong.
 *
 * Rule applied (eu-dcc.md §2.5, dcc_schema.h): the schema release named by the payload's own "ver"
 * (else the newest of its major.minor, else 1.3.0), formats as annotations, and exactly one of
 * v/t/r. The test also measures the agreement with "format" asserted (RFC 3339 date / date-time)
 * and prints both, the numbers docs/schema.md quotes.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dcc_schema.h"
#include "embedded.h"
#include "json_schema.h"

extern const hc_embedded_file dcc_schemas[];
extern const size_t dcc_schemas_count;

#include "dgc_schema_skips.h"

static const size_t n_skips = sizeof skips / sizeof skips[0];

typedef struct vector {
    char rel[512];
    int expected;
    int got;        /* formats as annotations (the module's behaviour) */
    int got_format; /* formats asserted */
    char msg[256];
} vector;

static vector *vectors;
static size_t n_vectors, cap_vectors;
static hc_schema *asserting[16]; /* the releases compiled with HC_SCHEMA_ASSERT_FORMAT */

static int
is_raw_dir(const char *rel)
{
    /* ".../2DCode/raw" or ".../2DCode/Raw" (IE) */
    const char *slash = strrchr(rel, '/');
    if (slash == NULL || strcasecmp(slash + 1, "raw") != 0) {
        return 0;
    }
    return slash - rel >= 7 && strncmp(slash - 7, "/2DCode", 7) == 0;
}

static int
validate_asserting_formats(const json_t *dcc)
{
    const json_t *ver = json_object_get(dcc, "ver");
    const char *release =
        hc_dcc_schema_version_for(json_is_string(ver) ? json_string_value(ver) : NULL);
    char name[64];
    snprintf(name, sizeof name, "%s.combined-schema.json", release);
    for (size_t i = 0; i < dcc_schemas_count; i++) {
        if (strcmp(dcc_schemas[i].name, name) != 0) {
            continue;
        }
        if (asserting[i] == NULL) {
            json_t *doc =
                json_loadb((const char *)dcc_schemas[i].data, dcc_schemas[i].size, 0, NULL);
            assert_int_equal(
                hc_schema_compile(doc, HC_SCHEMA_ASSERT_FORMAT, &asserting[i], NULL, 0), HC_OK);
            json_decref(doc);
        }
        if (hc_schema_validate(asserting[i], dcc, NULL) != HC_OK) {
            return 0;
        }
        int groups = (json_object_get(dcc, "v") != NULL) + (json_object_get(dcc, "t") != NULL) +
                     (json_object_get(dcc, "r") != NULL);
        return groups == 1;
    }
    fail_msg("release %s not embedded", release);
    return 0;
}

static void
collect(const char *rel)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/eu-dcc/dgc-testdata/%s", hc_test_vectors_dir(), rel);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int raw = is_raw_dir(rel);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char sub[512];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        size_t n = strlen(e->d_name);
        int json = n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
        if (raw && json) {
            char path[600];
            snprintf(path, sizeof path, "eu-dcc/dgc-testdata/%s", sub);
            json_t *doc = hc_test_load_json(path);
            const json_t *payload = json_object_get(doc, "JSON");
            const json_t *exp = json_object_get(json_object_get(doc, "EXPECTEDRESULTS"),
                                                "EXPECTEDSCHEMAVALIDATION");
            if (payload != NULL && json_is_boolean(exp)) {
                if (n_vectors == cap_vectors) {
                    cap_vectors = cap_vectors ? 2 * cap_vectors : 256;
                    vectors = realloc(vectors, cap_vectors * sizeof *vectors);
                    assert_non_null(vectors);
                }
                vector *v = &vectors[n_vectors++];
                snprintf(v->rel, sizeof v->rel, "%s", sub);
                v->expected = json_is_true(exp);
                v->got = hc_dcc_schema_validate(payload, v->msg, sizeof v->msg) == HC_OK;
                v->got_format = validate_asserting_formats(payload);
            }
            json_decref(doc);
        } else if (!json) {
            char full[1400];
            struct stat st;
            snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
            if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
                collect(sub); /* README.md, LICENSE, the root "QR" vector... are not folders */
            }
        }
    }
    closedir(d);
}

static int
vector_cmp(const void *a, const void *b)
{
    return strcmp(((const vector *)a)->rel, ((const vector *)b)->rel);
}

static const skip_entry *
find_skip(const char *rel)
{
    for (size_t i = 0; i < n_skips; i++) {
        if (strcmp(skips[i].file, rel) == 0) {
            return &skips[i];
        }
    }
    return NULL;
}

static void
test_dgc_testdata(void **state)
{
    (void)state;
    collect("");
    qsort(vectors, n_vectors, sizeof *vectors, vector_cmp);
    size_t agree = 0, agree_format = 0, skipped = 0, failures = 0;
    size_t seen_skip[sizeof skips / sizeof skips[0]] = { 0 };
    for (size_t i = 0; i < n_vectors; i++) {
        const vector *v = &vectors[i];
        agree += v->got == v->expected;
        agree_format += v->got_format == v->expected;
        const skip_entry *s = find_skip(v->rel);
        if (s != NULL) {
            seen_skip[s - skips] = 1;
        }
        if (v->got == v->expected) {
            if (s != NULL) {
                print_error("stale skip entry %s: the verdict now agrees\n", v->rel);
                failures++;
            }
            continue;
        }
        if (s != NULL) {
            skipped++;
            continue;
        }
        print_error("%s: expected %s, got %s%s%s\n", v->rel, v->expected ? "valid" : "invalid",
                    v->got ? "valid" : "invalid", v->got ? "" : ": ", v->got ? "" : v->msg);
        failures++;
    }
    for (size_t i = 0; i < n_skips; i++) {
        if (!seen_skip[i]) {
            print_error("skip entry %s matches no vector\n", skips[i].file);
            failures++;
        }
    }
    print_message("dgc-testdata: %zu vectors with JSON and EXPECTEDSCHEMAVALIDATION\n", n_vectors);
    print_message("  format as annotation (used): %zu of %zu agree\n", agree, n_vectors);
    print_message("  format asserted (RFC 3339):  %zu of %zu agree\n", agree_format, n_vectors);
    print_message("  skipped (known-bad vectors): %zu, skip list entries: %zu\n", skipped, n_skips);
    /* The corpus has 529 such vectors today; a much smaller count means the walk broke. */
    assert_true(n_vectors >= 500);
    /* The documented choice (docs/schema.md) must stay the one that agrees more. */
    assert_true(agree >= agree_format);
    assert_int_equal(failures, 0);
    for (size_t i = 0; i < 16; i++) {
        hc_schema_free(asserting[i]);
    }
    free(vectors);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dgc_testdata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
