/*
 * test_cbor_vectors.c: the CBOR module against published vectors.
 *   - RFC 7049 Appendix A (cbor/test-vectors): decode, JSON mapping, diagnostic notation, and
 *     byte-exact re-encoding of the "roundtrip" ones;
 *   - the 122 not-well-formed inputs of QCBOR (test/not_well_formed_cbor.h), alone and spliced
 *     into a larger item;
 *   - EU dgc-testdata: each "CBOR" payload maps to its "JSON" field, each "COSE" message decodes.
 *
 * Known exceptions (asserted as such, so a change of behaviour shows):
 *   - f818 simple(24): valid in RFC 7049, not well-formed in RFC 8949 §3.3 (two-byte simple values
 *     below 32) and part of the QCBOR not-well-formed set; rejected.
 *   - c249.../c349... bignums (tags 2/3, RFC 8949 §3.4.3): the JSON mapping drops tags, so the
 *     value is the base64 text of the magnitude, not the big number of "decoded".
 *   - 1bffffffffffffffff, 3bffffffffffffffff: beyond int64, so jansson cannot load "decoded" as an
 *     integer; the vector is loaded as real and compared as a real (the mapping's rule).
 *   - 5f42010243030405ff: diagnostic shows the chunks; the decoder concatenates them (checked).
 */
#include "testlib.h"

#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cbor.h"

#define NODES 512

static hc_cbor_node nodes[NODES];
static uint8_t scratch[4096];

/* Appendix A entries are loaded one by one so that the two integers beyond int64 (which jansson
 * refuses as integers) only turn their own entry's numbers into reals. */
typedef struct appendix_entry {
    json_t *obj;
    bool big; /* loaded with JSON_DECODE_INT_AS_REAL */
} appendix_entry;

static size_t
load_appendix(appendix_entry *out, size_t max)
{
    size_t len;
    uint8_t *text = hc_test_read_vector("cbor/rfc7049_appendix_a.json", &len);
    size_t pos = 0, n = 0;
    while (pos < len && text[pos] != '[') {
        pos++;
    }
    pos++;
    for (;;) {
        while (pos < len && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' ||
                             text[pos] == '\t' || text[pos] == ',')) {
            pos++;
        }
        if (pos >= len || text[pos] == ']') {
            break;
        }
        assert_true(n < max);
        json_error_t e;
        bool big = false;
        json_t *j = json_loadb((const char *)text + pos, len - pos, JSON_DISABLE_EOF_CHECK, &e);
        if (j == NULL) {
            big = true;
            j = json_loadb((const char *)text + pos, len - pos,
                           JSON_DISABLE_EOF_CHECK | JSON_DECODE_INT_AS_REAL, &e);
        }
        if (j == NULL) {
            fail_msg("appendix A entry %zu: %s", n, e.text);
        }
        out[n].obj = j;
        out[n].big = big;
        n++;
        pos += (size_t)e.position;
    }
    free(text);
    return n;
}

/* ---- a minimal diagnostic-notation printer (RFC 8949 §8), test-only, recursive ---- */

static void
diag_append(char *buf, size_t cap, const char *s)
{
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s", s);
}

static void
diag_float(double d, char *out, size_t cap)
{
    if (isnan(d)) {
        snprintf(out, cap, "NaN");
    } else if (isinf(d)) {
        snprintf(out, cap, d > 0 ? "Infinity" : "-Infinity");
    } else {
        for (int prec = 1; prec <= 17; prec++) { /* shortest text that reads back exactly */
            snprintf(out, cap, "%.*g", prec, d);
            if (strtod(out, NULL) == d) {
                break;
            }
        }
        if (strpbrk(out, ".eEn") == NULL) {
            size_t l = strlen(out);
            snprintf(out + l, cap - l, ".0");
        }
    }
}

static uint32_t
diag(const hc_cbor_doc *doc, uint32_t i, char *buf, size_t cap)
{
    const hc_cbor_node *n = hc_cbor_node_at(doc, i);
    char tmp[64];
    assert_non_null(n);
    switch (n->type) {
    case HC_CBOR_UINT: snprintf(tmp, sizeof tmp, "%" PRIu64, n->v.u); break;
    case HC_CBOR_NINT:
        if (n->v.u == UINT64_MAX) {
            snprintf(tmp, sizeof tmp, "-18446744073709551616");
        } else {
            snprintf(tmp, sizeof tmp, "-%" PRIu64, n->v.u + 1);
        }
        break;
    case HC_CBOR_BYTES:
        diag_append(buf, cap, "h'");
        for (size_t k = 0; k < n->len; k++) {
            snprintf(tmp, sizeof tmp, "%02x", n->ptr[k]);
            diag_append(buf, cap, tmp);
        }
        snprintf(tmp, sizeof tmp, "'");
        break;
    case HC_CBOR_TEXT:
        diag_append(buf, cap, "\"");
        assert_true(n->len < 200);
        {
            char s[256];
            memcpy(s, n->ptr, n->len);
            s[n->len] = 0;
            diag_append(buf, cap, s);
        }
        snprintf(tmp, sizeof tmp, "\"");
        break;
    case HC_CBOR_ARRAY:
    case HC_CBOR_MAP: {
        bool map = n->type == HC_CBOR_MAP;
        diag_append(buf, cap, map ? "{" : "[");
        uint32_t c = n->first;
        for (uint32_t k = 0; k < (map ? 2 * n->count : n->count); k++) {
            if (k > 0) {
                diag_append(buf, cap, map && (k & 1) ? ": " : ", ");
            }
            c = diag(doc, c, buf, cap);
        }
        snprintf(tmp, sizeof tmp, "%s", map ? "}" : "]");
        break;
    }
    case HC_CBOR_TAG:
        snprintf(tmp, sizeof tmp, "%" PRIu64 "(", n->v.u);
        diag_append(buf, cap, tmp);
        diag(doc, n->first, buf, cap);
        snprintf(tmp, sizeof tmp, ")");
        break;
    case HC_CBOR_FALSE: snprintf(tmp, sizeof tmp, "false"); break;
    case HC_CBOR_TRUE: snprintf(tmp, sizeof tmp, "true"); break;
    case HC_CBOR_NULL: snprintf(tmp, sizeof tmp, "null"); break;
    case HC_CBOR_UNDEFINED: snprintf(tmp, sizeof tmp, "undefined"); break;
    case HC_CBOR_SIMPLE: snprintf(tmp, sizeof tmp, "simple(%" PRIu64 ")", n->v.u); break;
    case HC_CBOR_FLOAT: diag_float(n->v.f, tmp, sizeof tmp); break;
    default: fail_msg("bad node type %d", n->type);
    }
    diag_append(buf, cap, tmp);
    return n->next;
}

/* ---- RFC 7049 Appendix A ---- */

static void
test_appendix_a(void **state)
{
    (void)state;
    appendix_entry entries[128];
    size_t count = load_appendix(entries, 128);
    assert_int_equal(count, 82);
    unsigned decoded = 0, json_compared = 0, diag_compared = 0, node_roundtrips = 0,
             json_roundtrips = 0, rejected = 0;

    for (size_t v = 0; v < count; v++) {
        json_t *e = entries[v].obj;
        const char *hex = json_string_value(json_object_get(e, "hex"));
        assert_non_null(hex);
        size_t len;
        uint8_t *in = hc_test_hex(hex, &len);
        hc_cbor_doc doc;
        hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch,
                         HC_CBOR_REJECT_DUPLICATE_KEYS);
        uint32_t root = HC_CBOR_NONE;
        hc_err rc = hc_cbor_decode(&doc, in, len, &root);

        if (strcmp(hex, "f818") == 0) {
            /* RFC 8949 §3.3: not well-formed since RFC 8949 (was "simple(24)" in RFC 7049). */
            assert_int_equal(rc, HC_ERR_STRUCTURE_INVALID);
            rejected++;
            free(in);
            continue;
        }
        if (rc != HC_OK) {
            fail_msg("appendix A %s: %s at %zu", hex, doc.error, doc.error_offset);
        }
        decoded++;
        const hc_cbor_node *r = hc_cbor_node_at(&doc, root);
        assert_ptr_equal(r->raw, in);
        assert_int_equal(r->raw_len, len);

        json_t *want = json_object_get(e, "decoded");
        const char *want_diag = json_string_value(json_object_get(e, "diagnostic"));
        json_t *got = hc_cbor_to_json(&doc, root, 0);
        if (want != NULL) {
            if (hex[0] == 'c' && (hex[1] == '2' || hex[1] == '3')) {
                /* Bignum (RFC 8949 §3.4.3): the tag is dropped, the magnitude 01 00*8 stays bytes.
                 */
                assert_non_null(got);
                assert_string_equal(json_string_value(got), "AQAAAAAAAAAA");
            } else {
                if (got == NULL || !json_equal(got, want)) {
                    char *g = got ? json_dumps(got, JSON_ENCODE_ANY) : NULL;
                    char *w = json_dumps(want, JSON_ENCODE_ANY);
                    fail_msg("appendix A %s: got %s want %s", hex, g ? g : "NULL", w);
                }
                json_compared++;
            }
        } else {
            assert_non_null(want_diag);
            char buf[512] = "";
            if (strcmp(hex, "5f42010243030405ff") == 0) {
                /* Chunks are concatenated into the scratch buffer (RFC 8949 §3.2.3). */
                assert_true(r->flags & HC_CBOR_F_INDEFINITE);
                assert_ptr_equal(r->ptr, scratch);
                assert_int_equal(r->len, 5);
                assert_memory_equal(r->ptr, "\x01\x02\x03\x04\x05", 5);
            } else {
                diag(&doc, root, buf, sizeof buf);
                if (strcmp(buf, want_diag) != 0) {
                    fail_msg("appendix A %s: diagnostic %s want %s", hex, buf, want_diag);
                }
                diag_compared++;
            }
        }

        if (json_is_true(json_object_get(e, "roundtrip"))) {
            /* Preferred serialisation of the decoded tree gives the same bytes. */
            uint8_t out[256];
            hc_cbor_writer w;
            size_t out_len;
            hc_cbor_writer_init(&w, out, sizeof out);
            assert_int_equal(hc_cbor_encode_node(&w, &doc, root), HC_OK);
            assert_int_equal(hc_cbor_writer_finish(&w, &out_len), HC_OK);
            assert_int_equal(out_len, len);
            assert_memory_equal(out, in, len);
            node_roundtrips++;
            /* And where the value is JSON (no tags, no beyond-int64 integer), encoding the
             * vector's own JSON deterministically gives the same bytes too. */
            if (want != NULL && !entries[v].big && !(hex[0] == 'c')) {
                hc_cbor_writer_init(&w, out, sizeof out);
                assert_int_equal(hc_cbor_encode_json(&w, want), HC_OK);
                assert_int_equal(hc_cbor_writer_finish(&w, &out_len), HC_OK);
                if (out_len != len || memcmp(out, in, len) != 0) {
                    fail_msg("appendix A %s: JSON re-encoding differs", hex);
                }
                json_roundtrips++;
            }
        }
        json_decref(got);
        free(in);
    }
    print_message("appendix A: %u/82 decoded, %u rejected (f818), %u JSON-compared, %u "
                  "diagnostic-compared, %u node round trips, %u JSON round trips\n",
                  decoded, rejected, json_compared, diag_compared, node_roundtrips,
                  json_roundtrips);
    assert_int_equal(decoded + rejected, 82);
    for (size_t v = 0; v < count; v++) {
        json_decref(entries[v].obj);
    }
}

/* ---- QCBOR not-well-formed ---- */

static void
test_qcbor_not_well_formed(void **state)
{
    (void)state;
    json_t *root = hc_test_load_json("cbor/qcbor_not_well_formed.json");
    json_t *vectors = json_object_get(root, "vectors");
    size_t count = json_array_size(vectors);
    assert_int_equal(count, 122);
    unsigned rejected = 0;
    for (size_t v = 0; v < count; v++) {
        const char *hex = json_string_value(json_object_get(json_array_get(vectors, v), "hex"));
        size_t len;
        uint8_t *in = hc_test_hex(hex, &len);
        for (unsigned opt = 0; opt < 2; opt++) {
            hc_cbor_doc doc;
            uint32_t r;
            hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch,
                             opt ? HC_CBOR_REJECT_DUPLICATE_KEYS : 0);
            hc_err rc = hc_cbor_decode(&doc, in, len, &r);
            if (rc != HC_ERR_STRUCTURE_INVALID) {
                fail_msg("not-well-formed %s accepted (rc %d)", hex, rc);
            }
            assert_non_null(doc.error);
            assert_true(doc.error_offset <= len);

            /* Spliced as the last item of a definite array, and as a map value: the item at
             * that position must parse exactly as at top level, so it must still fail. */
            uint8_t spliced[64];
            assert_true(len + 3 <= sizeof spliced);
            spliced[0] = 0x82;
            spliced[1] = 0x00;
            memcpy(spliced + 2, in, len);
            assert_int_equal(hc_cbor_decode(&doc, spliced, len + 2, &r), HC_ERR_STRUCTURE_INVALID);
            spliced[0] = 0xa1;
            assert_int_equal(hc_cbor_decode(&doc, spliced, len + 2, &r), HC_ERR_STRUCTURE_INVALID);
        }
        rejected++;
        free(in);
    }
    print_message("QCBOR not-well-formed: %u/%zu rejected with HC_ERR_STRUCTURE_INVALID\n",
                  rejected, count);
    assert_int_equal(rejected, 122);
    json_decref(root);
}

/* ---- EU dgc-testdata ---- */

/* Files whose "JSON" field is not the content of their "CBOR" field (a different holder, or times
 * shifted by the time zone): vector errors, the CBOR side decodes fine. */
static const char *const dgc_json_mismatch[] = {
    "PL/1.3.0/2DCode/raw/1.json",
    "PL/1.3.0/2DCode/raw/5.json",
    "FR/2DCode/raw/test_pcr_ok.json",
};
/* Files whose "COSE" field is not one CBOR data item by design ("INVALID: wrong CWT structure"). */
static const char *const dgc_cose_malformed[] = {
    "common/2DCode/raw/CBO2.json",
};

static bool
path_listed(const char *path, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t pl = strlen(path), ll = strlen(list[k]);
        if (pl > ll && strcmp(path + pl - ll, list[k]) == 0 && path[pl - ll - 1] == '/') {
            return true;
        }
    }
    return false;
}

typedef struct dgc_stats {
    unsigned files, cbor_ok, json_equal, json_differs, cbor_fail, cwt_in_cbor, cose_ok, cose_fail;
} dgc_stats;

static void
check_dgc_file(const char *path, json_t *j, void *ctx)
{
    dgc_stats *st = ctx;
    const char *cbor_hex = json_string_value(json_object_get(j, "CBOR"));
    json_t *want = json_object_get(j, "JSON");
    const char *cose_hex = json_string_value(json_object_get(j, "COSE"));
    st->files++;
    json_t *expected = json_object_get(json_object_get(j, "EXPECTEDRESULTS"), "EXPECTEDDECODE");
    bool expect_decode = !json_is_false(expected);
    hc_cbor_doc doc;
    uint32_t root;
    hc_cbor_doc_init(&doc, nodes, NODES, scratch, sizeof scratch, HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (cbor_hex != NULL && cbor_hex[0] != 0 && want != NULL) {
        size_t len;
        uint8_t *in = hc_test_hex(cbor_hex, &len);
        if (hc_cbor_decode(&doc, in, len, &root) != HC_OK) {
            if (expect_decode) {
                fail_msg("%s: CBOR field rejected: %s at %zu", path, doc.error, doc.error_offset);
            }
            st->cbor_fail++;
            free(in);
            goto cose;
        }
        st->cbor_ok++;
        /* Some issuers' files hold the whole CWT claims map in "CBOR": the DCC is then claim
         * -260 (hcert), key 1 (eu_dgc_v1), hcert spec §2.6.3. */
        uint32_t hcert = hc_cbor_map_get_int(&doc, hc_cbor_map_get_int(&doc, root, -260), 1);
        if (hcert != HC_CBOR_NONE) {
            root = hcert;
            st->cwt_in_cbor++;
        }
        json_t *got = hc_cbor_to_json(&doc, root, 0);
        if (got == NULL || !json_equal(got, want)) {
            if (got == NULL || !path_listed(path, dgc_json_mismatch, 3)) {
                char *g = got ? json_dumps(got, JSON_SORT_KEYS) : NULL;
                char *w = json_dumps(want, JSON_SORT_KEYS);
                fail_msg("%s: CBOR->JSON differs:\n got %s\nwant %s\n", path, g ? g : "NULL", w);
            }
            st->json_differs++;
        } else {
            st->json_equal++;
        }
        json_decref(got);
        free(in);
    }
cose:
    if (cose_hex != NULL && cose_hex[0] != 0) {
        size_t len;
        uint8_t *in = hc_test_hex(cose_hex, &len);
        if (hc_cbor_decode(&doc, in, len, &root) == HC_OK) {
            st->cose_ok++;
        } else {
            if (expect_decode && !path_listed(path, dgc_cose_malformed, 1)) {
                fail_msg("%s: COSE refused: %s at %zu", path, doc.error, doc.error_offset);
            }
            st->cose_fail++;
        }
        free(in);
    }
}

static bool
read_dir_json(const char *dir, void (*fn)(const char *path, json_t *j, void *ctx), void *ctx)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return false;
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
            read_dir_json(path, fn, ctx);
        } else if (strlen(e->d_name) > 5 &&
                   strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0) {
            json_error_t err;
            json_t *j = json_load_file(path, 0, &err);
            if (j != NULL && json_is_object(j)) {
                fn(path, j, ctx);
            }
            json_decref(j);
        }
    }
    closedir(d);
    return true;
}

static void
test_dgc_testdata(void **state)
{
    (void)state;
    dgc_stats st = { 0 };
    if (!read_dir_json(hc_test_vector_path("eu-dcc/dgc-testdata"), check_dgc_file, &st)) {
        skip();
    }
    print_message("dgc-testdata: %u files; CBOR payloads: %u decoded (%u hold the whole CWT), %u "
                  "refused as expected; %u equal to their JSON, %u known vector mismatches; COSE: "
                  "%u decoded, %u refused as expected\n",
                  st.files, st.cbor_ok, st.cwt_in_cbor, st.cbor_fail, st.json_equal,
                  st.json_differs, st.cose_ok, st.cose_fail);
    assert_true(st.json_equal > 500);
    assert_int_equal(st.json_differs, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a),
        cmocka_unit_test(test_qcbor_not_well_formed),
        cmocka_unit_test(test_dgc_testdata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
