/*
 * test_qr_corpus.c: the QR images of the EU dgc-testdata corpus (tests/vectors/eu-dcc/
 * dgc-testdata, PROVENANCE.txt there).
 *
 * 1. Every test vector JSON with a "2DCODE" field (base64 of a PNG) in a 2DCode/raw (or Raw)
 *    folder. The corpus README ("For all variables above") defines EXPECTEDPICTUREDECODE: true =
 *    the picture decodes to exactly PREFIX; false = it must not (Q1: the field is not a picture);
 *    absent = "not tested in this input file". We decode those too: every one must give an HC1
 *    text, equal to PREFIX except for ES 501-503, whose pictures hold another certificate than
 *    their PREFIX (zbarimg 0.23.92 reads the same text as we do; a corpus defect).
 * 2. The standalone PNGs kept in the corpus (FR, IE, EE, ES, FI, GR, HR, IT, MA, MT, NO): every QR
 *    picture must decode to an HC1 text, and where a vector carries the same certificate its PREFIX
 *    must match; the four IE Aztec pictures are not QR codes and must be IMAGE_UNREADABLE.
 */
#include "qr_test_util.h"

#include "base64.h"

#define CORPUS "eu-dcc/dgc-testdata"

typedef struct corpus_counts {
    unsigned vectors;       /* JSON files with a 2DCODE field */
    unsigned expect_ok;     /* ... EXPECTEDPICTUREDECODE true */
    unsigned decoded_exact; /* ... and decoded to exactly PREFIX */
    unsigned expect_fail;   /* ... EXPECTEDPICTUREDECODE false */
    unsigned failed_ok;     /* ... and did not decode (or not to PREFIX) */
    unsigned untested;      /* ... EXPECTEDPICTUREDECODE absent */
    unsigned untested_hc1;  /* ... decoded to an HC1 text */
    unsigned untested_eq;   /* ... equal to PREFIX */
    unsigned bad;           /* anything else */
    unsigned first_scan;    /* decoded pictures that needed no rescan */
    unsigned decoded;       /* decoded pictures */
} corpus_counts;

/* True when a plain zbar scan, without the rescans of qr_decode.c, reads the picture. */
static bool
reads_without_rescans(const uint8_t *img, size_t len)
{
    hc_qr_grey g;
    char out[HC_MAX_QR_TEXT + 1];
    size_t n;
    if (hc_qr_png_to_grey(img, len, &g) != HC_OK) {
        return false;
    }
    hc_err err = hc_qr_scan_grey(&g, 0, out, sizeof out, &n);
    free(g.px);
    return err == HC_OK;
}

/* Vectors whose picture holds another certificate than their PREFIX (see the file comment). */
static const char *const picture_differs[] = {
    "/ES/2DCode/raw/501.json",
    "/ES/2DCode/raw/502.json",
    "/ES/2DCode/raw/503.json",
};

static bool
known_picture_differs(const char *relpath)
{
    for (size_t i = 0; i < sizeof picture_differs / sizeof picture_differs[0]; i++) {
        if (qt_ends_with_ci(relpath, picture_differs[i])) {
            return true;
        }
    }
    return false;
}

static bool
in_2dcode_raw(const char *relpath)
{
    /* Some countries spell the folder 2DCode/Raw. */
    const char *p = relpath;
    while ((p = strchr(p, '/')) != NULL) {
        p++;
        if (strncasecmp(p, "2DCode/raw/", 11) == 0) {
            return true;
        }
    }
    return false;
}

static void
check_vector(const char *relpath, void *arg)
{
    corpus_counts *c = arg;
    if (!qt_ends_with_ci(relpath, ".json") || !in_2dcode_raw(relpath)) {
        return;
    }
    json_t *j = hc_test_load_json(relpath);
    const char *b64 = json_string_value(json_object_get(j, "2DCODE"));
    const char *prefix = json_string_value(json_object_get(j, "PREFIX"));
    if (b64 == NULL) {
        json_decref(j);
        return;
    }
    json_t *expected =
        json_object_get(json_object_get(j, "EXPECTEDRESULTS"), "EXPECTEDPICTUREDECODE");
    c->vectors++;

    size_t b64len = strlen(b64);
    uint8_t *img = malloc(HC_BASE64_DECODED_MAX(b64len) + 1);
    assert_non_null(img);
    size_t len = 0;
    hc_err err =
        hc_base64_decode_lenient(b64, b64len, img, HC_BASE64_DECODED_MAX(b64len) + 1, &len);
    char out[HC_MAX_QR_TEXT + 1];
    size_t n = 0;
    if (err == HC_OK) {
        err = hc_qr_decode_image(img, len, out, sizeof out, &n);
    }
    bool exact = err == HC_OK && prefix != NULL && n == strlen(prefix) && strcmp(out, prefix) == 0;
    if (err == HC_OK) {
        c->decoded++;
        c->first_scan += reads_without_rescans(img, len);
    }
    if (json_is_true(expected)) {
        c->expect_ok++;
        if (exact) {
            c->decoded_exact++;
        } else {
            c->bad++;
            print_message("MISMATCH %s: %s\n", relpath, hc_err_code(err));
        }
    } else if (json_is_false(expected)) {
        c->expect_fail++;
        if (err == HC_ERR_IMAGE_UNREADABLE || (err == HC_OK && !exact)) {
            c->failed_ok++;
        } else {
            c->bad++;
            print_message("UNEXPECTED DECODE %s: %s\n", relpath, hc_err_code(err));
        }
    } else {
        c->untested++;
        if (err == HC_OK && strncmp(out, "HC1:", 4) == 0) {
            c->untested_hc1++;
        }
        c->untested_eq += exact;
        if (err != HC_OK || exact == known_picture_differs(relpath)) {
            c->bad++;
            print_message("UNEXPECTED %s: %s, %s PREFIX\n", relpath, hc_err_code(err),
                          exact ? "equal to" : "not");
        }
    }
    free(img);
    json_decref(j);
}

static void
test_2dcode_vectors(void **state)
{
    (void)state;
    corpus_counts c = { 0 };
    qt_walk(CORPUS, check_vector, &c);
    print_message("2DCODE vectors: %u\n"
                  "  EXPECTEDPICTUREDECODE true:   %u, decoded exactly to PREFIX %u\n"
                  "  EXPECTEDPICTUREDECODE false:  %u, refused %u\n"
                  "  EXPECTEDPICTUREDECODE absent: %u, decoded to HC1 text %u, equal to PREFIX %u\n"
                  "  wrong: %u; of %u decoded pictures %u needed no rescan\n",
                  c.vectors, c.expect_ok, c.decoded_exact, c.expect_fail, c.failed_ok, c.untested,
                  c.untested_hc1, c.untested_eq, c.bad, c.decoded, c.first_scan);
    assert_int_equal(c.bad, 0);
    /* The corpus as copied (PROVENANCE.txt): 517 vectors, 489 true, Q1 false, 27 absent. */
    assert_int_equal(c.vectors, 517);
    assert_int_equal(c.expect_ok, 489);
    assert_int_equal(c.decoded_exact, 489);
    assert_int_equal(c.failed_ok, 1);
    assert_int_equal(c.untested_hc1, 27);
}

/* ---- standalone PNGs ---- */

typedef struct prefix_set {
    char **items;
    size_t n;
    size_t cap;
} prefix_set;

static void
collect_prefix(const char *relpath, void *arg)
{
    prefix_set *s = arg;
    if (!qt_ends_with_ci(relpath, ".json")) {
        return;
    }
    json_t *j = hc_test_load_json(relpath);
    const char *p = json_string_value(json_object_get(j, "PREFIX"));
    if (p != NULL) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->items = realloc(s->items, s->cap * sizeof *s->items);
            assert_non_null(s->items);
        }
        s->items[s->n] = strdup(p);
        assert_non_null(s->items[s->n]);
        s->n++;
    }
    json_decref(j);
}

static bool
prefix_known(const prefix_set *s, const char *text)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->items[i], text) == 0) {
            return true;
        }
    }
    return false;
}

typedef struct png_counts {
    const prefix_set *prefixes;
    unsigned qr_files;
    unsigned qr_decoded;
    unsigned qr_matched; /* decoded text equals the PREFIX of some vector */
    unsigned aztec_files;
    unsigned aztec_refused;
    unsigned bad;
} png_counts;

static bool
is_base45_text(const char *s)
{
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
              strchr(" $%*+-./:", *s) != NULL)) {
            return false;
        }
    }
    return true;
}

static void
check_png(const char *relpath, void *arg)
{
    png_counts *c = arg;
    if (!qt_ends_with_ci(relpath, ".png")) {
        return;
    }
    size_t len;
    uint8_t *img = hc_test_read_vector(relpath, &len);
    char out[HC_MAX_QR_TEXT + 1];
    size_t n = 0;
    hc_err err = hc_qr_decode_image(img, len, out, sizeof out, &n);
    free(img);
    if (strstr(relpath, "aztec") != NULL) {
        c->aztec_files++;
        if (err == HC_ERR_IMAGE_UNREADABLE) {
            c->aztec_refused++;
        } else {
            c->bad++;
            print_message("AZTEC %s: %s\n", relpath, hc_err_code(err));
        }
        return;
    }
    c->qr_files++;
    if (err != HC_OK || strncmp(out, "HC1:", 4) != 0 || !is_base45_text(out)) {
        c->bad++;
        print_message("UNREADABLE %s: %s\n", relpath, hc_err_code(err));
        return;
    }
    c->qr_decoded++;
    c->qr_matched += prefix_known(c->prefixes, out);
}

static void
test_standalone_pngs(void **state)
{
    (void)state;
    prefix_set prefixes = { 0 };
    qt_walk(CORPUS, collect_prefix, &prefixes);
    png_counts c = { .prefixes = &prefixes };
    qt_walk(CORPUS, check_png, &c);
    print_message("standalone PNGs: QR %u, decoded %u (%u equal to a vector's PREFIX); "
                  "Aztec %u, refused %u; wrong %u\n",
                  c.qr_files, c.qr_decoded, c.qr_matched, c.aztec_files, c.aztec_refused, c.bad);
    assert_int_equal(c.bad, 0);
    assert_int_equal(c.qr_files, 50);
    assert_int_equal(c.aztec_files, 4);
    /* FR (21) and IE (4) pictures have a vector without 2DCODE holding the same PREFIX. */
    assert_true(c.qr_matched >= 25);
    for (size_t i = 0; i < prefixes.n; i++) {
        free(prefixes.items[i]);
    }
    free(prefixes.items);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2dcode_vectors),
        cmocka_unit_test(test_standalone_pngs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
