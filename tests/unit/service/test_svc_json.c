/*
 * test_svc_json.c: the service's direct verdict writer (src/service/svc_json.c) against the
 * jansson path it replaced, byte for byte:
 *   full view     json_dumps(hc_verdict_to_json(vd), JSON_COMPACT)
 *   minimal view  the json_pack object svc_api_verify.c built before (kept below as reference)
 * on the verdicts of every test vector (verified against the dgc-testdata signer certificates,
 * and decoded, which adds "details"), and on 20,000 random verdicts with hostile strings
 * (quotes, backslashes, control characters, NUL in payload strings, multi-byte and broken UTF-8)
 * and random payload trees (reals, extreme integers, empty containers). Where jansson has nothing
 * to write (a string that is not UTF-8 deep in the payload), the writer must have nothing either.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "healthcert/healthcert.h"
#include "svc_json.h"

/* The minimal view as svc_api_verify.c built it with jansson before svc_json.c (reference). */
static json_t *
ref_minimal_view(const hc_verdict *vd)
{
    json_t *errors = json_array();
    for (size_t i = 0; i < vd->n_errors; i++) {
        json_array_append_new(errors,
                              json_pack("{s:s, s:s}", "code", hc_err_code(vd->errors[i].code),
                                        "message", vd->errors[i].message));
    }
    json_t *j = json_pack("{s:b, s:o, s:o, s:o}", "valid", vd->valid, "format",
                          vd->format != NULL ? json_string(vd->format) : json_null(), "type",
                          vd->type[0] ? json_string(vd->type) : json_null(), "errors", errors);
    if (j != NULL && vd->has_subject) {
        json_object_set_new(
            j, "subject",
            json_pack("{s:s, s:s}", "name", vd->subject_name, "dob", vd->subject_dob));
    }
    return j;
}

static char *
reference(const hc_verdict *vd, bool minimal)
{
    json_t *j = minimal ? ref_minimal_view(vd) : hc_verdict_to_json(vd);
    char *text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

static size_t compared, both_null;

static void
check_same(const hc_verdict *vd, const char *what)
{
    for (int minimal = 0; minimal < 2; minimal++) {
        char *want = reference(vd, minimal);
        size_t len = 0;
        char *got = svc_verdict_json(vd, minimal, &len);
        if ((want == NULL) != (got == NULL) ||
            (want != NULL && (strlen(want) != len || memcmp(want, got, len) != 0))) {
            fail_msg("%s (%s view):\n jansson: %s\n  writer: %s", what,
                     minimal ? "minimal" : "full", want ? want : "(none)", got ? got : "(none)");
        }
        if (got != NULL) {
            assert_int_equal(got[len], 0);
        } else {
            both_null++;
            if (getenv("SVC_JSON_SHOW_NULL") != NULL) {
                print_message("nothing to write: %s (%s view)\n", what,
                              minimal ? "minimal" : "full");
            }
        }
        compared++;
        free(want);
        free(got);
    }
}

/* --- every test vector --- */

static hc_trust_store *trust;
static hc_verifier *v_now, *v_2021;

static void
add_testdata_cert(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    const char *b64 =
        json_string_value(json_object_get(json_object_get(j, "TESTCTX"), "CERTIFICATE"));
    uint8_t der[8192];
    size_t n = 0;
    if (b64 != NULL && hc_base64_decode_lenient(b64, strlen(b64), der, sizeof der, &n) == HC_OK) {
        hc_trust_store_add_buffer(trust, der, n, "testdata", NULL, 0);
    }
    json_decref(j);
}

static void
judge(const uint8_t *in, size_t len, const char *what)
{
    hc_verifier *vs[] = { v_now, v_2021 };
    for (size_t k = 0; k < 2; k++) {
        hc_verdict vd;
        hc_verify(vs[k], in, len, &vd);
        check_same(&vd, what);
        hc_verdict_clear(&vd);
    }
    hc_verdict vd;
    hc_decode(v_now, in, len, &vd);
    check_same(&vd, what);
    hc_verdict_clear(&vd);
}

static void
judge_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return;
    }
    static uint8_t buf[16385];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n == sizeof buf) {
        return; /* larger than the service's text limit */
    }
    judge(buf, n, path);
    /* A JSON vector's inputs (dgc-testdata PREFIX, JWS / QR strings of other suites). */
    json_t *j = json_loadb((const char *)buf, n, 0, NULL);
    if (json_is_object(j)) {
        const char *keys[] = { "PREFIX", "jws", "qr", "jwt", "input" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            const char *s = json_string_value(json_object_get(j, keys[i]));
            if (s != NULL) {
                judge((const uint8_t *)s, strlen(s), path);
            }
        }
    }
    json_decref(j);
}

typedef void (*file_fn)(const char *path);

static void
walk(const char *dir, file_fn fn, const char *only_ext)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk(path, fn, only_ext);
        } else if (only_ext == NULL ||
                   (strlen(path) > strlen(only_ext) &&
                    strcmp(path + strlen(path) - strlen(only_ext), only_ext) == 0)) {
            fn(path);
        }
    }
    closedir(d);
}

static void
test_vectors(void **state)
{
    (void)state;
    char dir[4096];
    compared = both_null = 0;
    trust = hc_trust_store_new();
    snprintf(dir, sizeof dir, "%s/eu-dcc/dgc-testdata", hc_test_vectors_dir());
    walk(dir, add_testdata_cert, ".json");
    assert_true(hc_trust_store_count(trust) > 50);
    hc_verify_options now = { .trust = trust };
    hc_verify_options then = { .trust = trust, .has_clock = true, .clock_ms = 1622548800000LL };
    v_now = hc_verifier_new(&now);
    v_2021 = hc_verifier_new(&then);
    assert_non_null(v_now);
    assert_non_null(v_2021);
    walk(hc_test_vectors_dir(), judge_file, NULL);
    snprintf(dir, sizeof dir, "%s/examples",
             getenv("HC_SOURCE_DIR") ? getenv("HC_SOURCE_DIR") : ".");
    walk(dir, judge_file, NULL);
    print_message("compared %zu answers of test vectors (%zu with nothing to write)\n", compared,
                  both_null);
    assert_true(compared > 3000);
    hc_verifier_free(v_now);
    hc_verifier_free(v_2021);
    hc_trust_store_free(trust);
}

/* --- random verdicts --- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(uint32_t n)
{
    /* xorshift64*: reproducible without depending on the C library's rand. */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

/* Random text into buf (cap bytes with the NUL): mostly valid UTF-8 with everything that needs
 * escaping; sometimes a NUL (allow_nul), sometimes a broken sequence. Returns its length. */
static size_t
rnd_text(char *buf, size_t cap, bool allow_nul)
{
    static const char *const pieces[] = {
        "a",
        "Z",
        "0",
        " ",
        "\"",
        "\\",
        "/",
        "\b",
        "\f",
        "\n",
        "\r",
        "\t",
        "\x01",
        "\x1f",
        "\x7f",
        "\xc3\xa9",
        "\xe2\x82\xac",
        "\xf0\x9d\x84\x9e",
        "\xef\xbf\xbf",
        "\xed\x9f\xbf",
        "\xf4\x8f\xbf\xbf",
        "Erika",
        "M\xc3\xbcller",
        "URN:UVCI:01:XX",
    };
    static const char *const broken[] = {
        "\x80",
        "\xc0\xaf",
        "\xc1\xbf",
        "\xe0\x80\xaf",
        "\xed\xa0\x80",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\xc3",
        "\xe2\x82",
        "\xff",
        "\xf0\x9d\x84",
    };
    size_t n = 0, parts = rnd(8);
    for (size_t i = 0; i < parts; i++) {
        const char *p;
        uint32_t r = rnd(1000);
        if (r < 15) {
            p = broken[rnd(sizeof broken / sizeof broken[0])];
        } else if (r < 25 && allow_nul) {
            if (n + 1 < cap) {
                buf[n++] = 0;
            }
            continue;
        } else {
            p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
        }
        size_t k = strlen(p);
        if (n + k + 1 > cap) {
            break;
        }
        memcpy(buf + n, p, k);
        n += k;
    }
    buf[n] = 0;
    return n;
}

static void
rnd_field(char *field, size_t cap)
{
    if (rnd(4) == 0) {
        field[0] = 0;
    } else {
        rnd_text(field, cap, false);
    }
}

static json_t *
rnd_json(unsigned depth)
{
    char text[64];
    size_t n;
    switch (rnd(depth > 4 ? 6 : 9)) {
    case 0: return json_null();
    case 1: return json_boolean(rnd(2));
    case 2: {
        static const json_int_t edge[] = { 0, -1, 1, INT64_MIN, INT64_MAX, 1000000000000LL };
        return json_integer(rnd(2) ? edge[rnd(6)] : (json_int_t)rnd(2000000) - 1000000);
    }
    case 3: {
        static const double edge[] = { 0.0,   -0.0,   1.0,  0.1,  -2.5,
                                       1e300, 5e-324, 1e21, 1e-7, 123456789012345678.0 };
        double d = edge[rnd(10)];
        if (rnd(2)) {
            d = (double)rnd(1000000) / (double)(rnd(999) + 1);
        }
        return json_real(d);
    }
    case 4:
    case 5:
        n = rnd_text(text, sizeof text, true);
        /* nocheck: a string jansson would refuse reaches the writer, as it could via a decoder
         * that skipped the check; both must then have nothing to write. */
        return json_stringn_nocheck(text, n);
    case 6:
    case 7: {
        json_t *o = json_object();
        for (uint32_t i = rnd(5); i > 0; i--) {
            n = rnd_text(text, sizeof text, true);
            /* Checked: a key that is not UTF-8 is refused here, as by every decoder that makes
             * payloads. (jansson's dumper, given one anyway, writes half a key and goes on:
             * broken JSON that the writer does not imitate; it writes nothing instead.) */
            json_object_setn_new(o, text, n, rnd_json(depth + 1));
        }
        return o;
    }
    default: {
        json_t *a = json_array();
        for (uint32_t i = rnd(5); i > 0; i--) {
            json_array_append_new(a, rnd_json(depth + 1));
        }
        return a;
    }
    }
}

static void
test_random(void **state)
{
    (void)state;
    static const char *const formats[] = { "eu-dcc", "shc", "", "\xc3\x28", "vc-jwt" };
    static const hc_err codes[] = { HC_ERR_SIGNATURE_INVALID, HC_ERR_KEY_NOT_TRUSTED,
                                    HC_ERR_EXPIRED, HC_ERR_SCHEMA_INVALID, HC_ERR_NOMEM };
    compared = both_null = 0;
    for (int iter = 0; iter < 20000; iter++) {
        hc_verdict vd;
        hc_verdict_init(&vd);
        vd.valid = rnd(2);
        vd.format = rnd(6) == 0 ? NULL : formats[rnd(5)];
        rnd_field(vd.type, sizeof vd.type);
        vd.has_issuer = rnd(2);
        rnd_field(vd.issuer_country, sizeof vd.issuer_country);
        rnd_field(vd.issuer_kid, sizeof vd.issuer_kid);
        rnd_field(vd.issuer_name, sizeof vd.issuer_name);
        vd.has_issued_at = rnd(2);
        /* Times around the epoch, now, and past year 9999 (where the writer hands over to
         * hc_time_format). */
        static const int64_t bases[] = { 0, 1622548800000LL, 253402300799000LL, -86400000LL };
        vd.issued_at_ms = bases[rnd(4)] + (int64_t)rnd(4000000) * (rnd(2) ? 1 : 1000000) - 2000000;
        vd.has_expires_at = rnd(2);
        vd.expires_at_ms = -(int64_t)rnd(1000) * 86400000;
        vd.has_subject = rnd(2);
        rnd_field(vd.subject_name, sizeof vd.subject_name);
        rnd_field(vd.subject_dob, sizeof vd.subject_dob);
        rnd_field(vd.summary, sizeof vd.summary);
        vd.payload = rnd(5) == 0 ? NULL : rnd_json(0);
        vd.details = rnd(5) == 0 ? rnd_json(0) : NULL;
        vd.n_checks = rnd(HC_VERDICT_MAX_CHECKS);
        for (size_t i = 0; i < vd.n_checks; i++) {
            rnd_field(vd.checks[i].name, sizeof vd.checks[i].name);
            vd.checks[i].ok = rnd(2);
        }
        vd.n_errors = rnd(4);
        for (size_t i = 0; i < vd.n_errors; i++) {
            vd.errors[i].code = codes[rnd(5)];
            rnd_field(vd.errors[i].message, sizeof vd.errors[i].message);
        }
        check_same(&vd, "random verdict");
        hc_verdict_clear(&vd);
    }
    print_message("compared %zu answers of random verdicts (%zu with nothing to write)\n", compared,
                  both_null);
    /* Both outcomes must be well represented, or the test says little. */
    assert_true(both_null > 1000 && both_null < compared - 10000);
}

/* The answers of a known verdict, written out: the contract's shape at a glance. */
static void
test_known(void **state)
{
    (void)state;
    hc_verdict vd;
    hc_verdict_init(&vd);
    vd.valid = true;
    vd.format = "eu-dcc";
    strcpy(vd.type, "v");
    vd.has_subject = true;
    strcpy(vd.subject_name, "Erika \"E\" M\xc3\xbcller\\\n");
    strcpy(vd.subject_dob, "1964-08-12");
    vd.payload = json_pack("{s:i, s:f, s:[], s:{}}", "dn", 2, "x", 1.0, "a", "o");
    vd.n_checks = 1;
    strcpy(vd.checks[0].name, "signature");
    vd.checks[0].ok = true;
    size_t len = 0;
    char *full = svc_verdict_json(&vd, false, &len);
    assert_string_equal(full,
                        "{\"valid\":true,\"format\":\"eu-dcc\",\"type\":\"v\",\"issuer\":null,"
                        "\"issued_at\":null,\"expires_at\":null,\"subject\":{\"name\":"
                        "\"Erika \\\"E\\\" M\xc3\xbcller\\\\\\n\",\"dob\":\"1964-08-12\"},"
                        "\"payload\":{\"dn\":2,\"x\":1.0,\"a\":[],\"o\":{}},\"checks\":[{"
                        "\"name\":\"signature\",\"ok\":true}],\"errors\":[]}");
    assert_int_equal(len, strlen(full));
    char *min = svc_verdict_json(&vd, true, &len);
    assert_string_equal(min, "{\"valid\":true,\"format\":\"eu-dcc\",\"type\":\"v\",\"errors\":[],"
                             "\"subject\":{\"name\":\"Erika \\\"E\\\" M\xc3\xbcller\\\\\\n\","
                             "\"dob\":\"1964-08-12\"}}");
    check_same(&vd, "known verdict");
    free(full);
    free(min);
    hc_verdict_clear(&vd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
