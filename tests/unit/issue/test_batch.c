/*
 * test_batch.c: batch issuance (src/issue/issue_batch.h): one output line per input line, in
 * order, for 1, 2 and 4 workers; refused lines (schema, not JSON, empty, too long) answered in
 * place with their line number and code; CRLF and a last line without a line break; streaming
 * through a pipe one line at a time (the answer comes before the next line is written).
 */
#include "issue_test_util.h"

#include <pthread.h>

#include "hc_limits.h"
#include "issue_batch.h"

static char dir[512], cert[4096];
static hc_issuer *iss;
static char example_paths[IT_MAX_EXAMPLES][512];
static size_t n_examples;

static int
setup(void **state)
{
    (void)state;
    it_mkdtemp(dir, sizeof dir);
    it_make_csca(dir, "FR");
    it_make_dsc(dir, "dsc", HC_KEY_P256, 0, hc_time_now() - IT_DAY_MS, 730, NULL);
    snprintf(cert, sizeof cert, "%s/dsc.pem", dir);
    iss = it_load(dir, "dsc");
    n_examples = it_examples(example_paths);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    hc_issuer_free(iss);
    it_rmdir(dir);
    return 0;
}

/* Appends a file's JSON compacted to one line. */
static void
append_example(char **buf, size_t *len, size_t *cap, const char *rel, const char *eol)
{
    json_t *j = hc_test_load_json(rel);
    char *s = json_dumps(j, JSON_COMPACT);
    size_t n = strlen(s) + strlen(eol);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, s, strlen(s));
    memcpy(*buf + *len + strlen(s), eol, strlen(eol));
    *len += n;
    free(s);
    json_decref(j);
}

static void
append_raw(char **buf, size_t *len, size_t *cap, const char *text, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, text, n);
    *len += n;
}

/* Runs the batch on input; returns the output lines (malloc'd array of malloc'd strings). */
static char **
run(const char *input, size_t len, int threads, size_t *n_lines, hc_batch_stats *st)
{
    FILE *in = fmemopen((void *)input, len, "r");
    char *obuf = NULL;
    size_t olen = 0;
    FILE *out = open_memstream(&obuf, &olen);
    hc_batch_options bo = { .threads = threads };
    assert_non_null(out);
    if (len > 0) {
        assert_non_null(in);
    } else {
        in = fopen("/dev/null", "r");
    }
    assert_int_equal(hc_issue_batch(iss, in, out, &bo, st), HC_OK);
    fclose(in);
    fclose(out);
    char **lines = calloc(olen + 1, sizeof *lines);
    size_t n = 0;
    for (char *p = obuf, *nl; p < obuf + olen; p = nl + 1) {
        nl = strchr(p, '\n');
        assert_non_null(nl); /* every answer ends with a line break */
        *nl = '\0';
        lines[n++] = strdup(p);
    }
    free(obuf);
    *n_lines = n;
    return lines;
}

static void
free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

/* The refusal object of an output line: its line number and first code. */
static void
expect_refusal(const char *line, size_t no, const char *code)
{
    json_error_t je;
    json_t *j = json_loads(line, 0, &je);
    if (j == NULL) {
        fail_msg("line %zu is neither HC1 nor JSON: %s", no, line);
    }
    assert_int_equal(json_integer_value(json_object_get(j, "line")), no);
    json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e0, "code")), code);
    assert_non_null(json_string_value(json_object_get(e0, "message")));
    json_decref(j);
}

static void
test_mixed_in_order(void **state)
{
    (void)state;
    char *input = NULL;
    size_t len = 0, cap = 0;
    /* 27 examples, with refused lines in the middle; CRLF on some; no final line break. */
    for (size_t i = 0; i < n_examples; i++) {
        append_example(&input, &len, &cap, example_paths[i], i % 3 == 0 ? "\r\n" : "\n");
        if (i == 5) {
            const char *bad = "{\"ver\":\"1.3.0\",\"nam\":{\"fnt\":\"X\"},\"dob\":\"1990-01-01\","
                              "\"v\":[{\"tg\":\"840539006\",\"vp\":\"1119349007\",\"mp\":\"EU/1/"
                              "20/1528\",\"ma\":\"ORG-100030215\",\"dn\":0,\"sd\":2,\"dt\":"
                              "\"2021-06-01\",\"co\":\"FR\",\"is\":\"X\",\"ci\":\"\"}]}\n";
            append_raw(&input, &len, &cap, bad, strlen(bad));
        } else if (i == 10) {
            append_raw(&input, &len, &cap, "this is not json\n", 17);
        } else if (i == 15) {
            append_raw(&input, &len, &cap, "\n", 1);
        } else if (i == 20) {
            size_t big = HC_MAX_INPUT_TEXT + 10;
            char *huge = malloc(big + 1);
            memset(huge, ' ', big);
            huge[big] = '\n';
            append_raw(&input, &len, &cap, huge, big + 1);
            free(huge);
        }
    }
    len -= 1; /* the last line without its line break */
    if (input[len - 1] == '\r') {
        len--;
    }
    static const int threads[] = { 1, 2, 4 };
    for (size_t t = 0; t < 3; t++) {
        size_t n = 0, ex = 0;
        hc_batch_stats st;
        char **lines = run(input, len, threads[t], &n, &st);
        assert_int_equal(n, n_examples + 4);
        assert_int_equal(st.lines, n_examples + 4);
        assert_int_equal(st.issued, n_examples);
        assert_int_equal(st.refused, 4);
        assert_int_equal(st.failed, 0);
        for (size_t i = 0; i < n; i++) {
            size_t no = i + 1;
            if (no == 7) {
                expect_refusal(lines[i], no, "SCHEMA_INVALID");
                assert_non_null(strstr(lines[i], "v[0].dn"));
            } else if (no == 13) {
                expect_refusal(lines[i], no, "STRUCTURE_INVALID");
            } else if (no == 19) {
                expect_refusal(lines[i], no, "STRUCTURE_INVALID");
            } else if (no == 25) {
                expect_refusal(lines[i], no, "INPUT_TOO_LARGE");
            } else {
                /* In order: output line i is the certificate of example ex. */
                assert_true(strncmp(lines[i], "HC1:", 4) == 0);
                json_t *payload = it_verify(cert, lines[i], hc_time_now());
                json_t *want = hc_test_load_json(example_paths[ex]);
                assert_true(json_equal(payload, want));
                json_decref(payload);
                json_decref(want);
                ex++;
            }
        }
        assert_int_equal(ex, n_examples);
        free_lines(lines, n);
    }
    free(input);
}

static void
test_empty_input(void **state)
{
    (void)state;
    size_t n = 0;
    hc_batch_stats st;
    char **lines = run("", 0, 2, &n, &st);
    assert_int_equal(n, 0);
    assert_int_equal(st.lines, 0);
    free_lines(lines, n);
    /* A lone line break is one (empty) line, answered. */
    lines = run("\n", 1, 2, &n, &st);
    assert_int_equal(n, 1);
    expect_refusal(lines[0], 1, "STRUCTURE_INVALID");
    free_lines(lines, n);
}

typedef struct stream_job {
    FILE *in, *out;
    hc_err err;
    hc_batch_stats st;
} stream_job;

static void *
stream_worker(void *arg)
{
    stream_job *j = arg;
    hc_batch_options bo = { .threads = 2 };
    j->err = hc_issue_batch(iss, j->in, j->out, &bo, &j->st);
    fclose(j->out);
    return NULL;
}

/* A producer that waits for each answer before sending the next line gets it. */
static void
test_streaming(void **state)
{
    (void)state;
    int to_batch[2], from_batch[2];
    assert_int_equal(pipe(to_batch), 0);
    assert_int_equal(pipe(from_batch), 0);
    stream_job job = { .in = fdopen(to_batch[0], "r"), .out = fdopen(from_batch[1], "w") };
    FILE *w = fdopen(to_batch[1], "w"), *r = fdopen(from_batch[0], "r");
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, stream_worker, &job), 0);
    char answer[8192];
    for (int i = 0; i < 5; i++) {
        json_t *j = hc_test_load_json(example_paths[i]);
        char *s = json_dumps(j, JSON_COMPACT);
        fprintf(w, "%s\n", s);
        fflush(w);
        /* Blocks until the batch has answered this very line (a deadlock fails by timeout). */
        assert_non_null(fgets(answer, sizeof answer, r));
        assert_true(strncmp(answer, "HC1:", 4) == 0);
        free(s);
        json_decref(j);
    }
    fclose(w);
    assert_null(fgets(answer, sizeof answer, r)); /* end of output after end of input */
    pthread_join(t, NULL);
    fclose(job.in);
    fclose(r);
    assert_int_equal(job.err, HC_OK);
    assert_int_equal(job.st.issued, 5);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_in_order),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_streaming),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
