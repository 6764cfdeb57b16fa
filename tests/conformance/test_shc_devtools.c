/*
 * test_shc_devtools.c: the SMART Health Cards dev-tools card tests (smart-on-fhir/
 * health-cards-dev-tools tests/card.test.ts, staged as card-test-expectations.tsv) mapped onto
 * healthcert verify runs by tests/vectors/shc/dev-tools/mapping.tsv: for each of the 118 cases,
 * how its fixture reaches our verifier (QR text, bare JWS, the JWS of a .smart-health-card file,
 * a payload or bundle signed here with the spec's published example key, QR images), with which
 * trust material and clock, and the verdict we expect.
 *
 * Our expectation differs from the dev-tools one where the project decided so (each such row has
 * a note: white space around the input is ignored per CONTRACT.md, expired cards are refused, QR
 * segment layout is not visible, FHIR profile conformance is not a verdict rule). The run prints
 * how many cases were mapped and in how many our verdict class (valid / invalid) agrees.
 */
#include "jose_test_util.h"

#include "qr.h"

#define MAP "shc/dev-tools/mapping.tsv"
/* nbf of the bundles the runner wraps: a day before the dev-tools clock 1653955200. */
#define BUNDLE_NBF 1653868800

typedef struct row {
    char *f[9];
} row;

enum { C_N, C_NAME, C_KIND, C_INPUTS, C_TRUST, C_AT, C_DEVTOOLS, C_EXPECTED, C_NOTE };

static EVP_PKEY *spec_key;

/* The verdict of one text, and whether it matches the expectation. */
static bool
judge_text(const hc_trust_store *ts, const char *at, const char *text, size_t len,
           const char *expected, hc_verdict *vd)
{
    jt_verify(ts, at, text, len, vd);
    if (strcmp(expected, "VALID") == 0) {
        return vd->valid;
    }
    return !vd->valid;
}

/* The JWS strings of a .smart-health-card file or a FHIR Parameters response. */
static json_t *
container_jws(const char *path, bool fhir)
{
    json_t *doc = hc_test_load_json(path);
    json_t *out = json_array();
    if (!fhir) {
        json_array_extend(out, json_object_get(doc, "verifiableCredential"));
    } else {
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(doc, "parameter"), i, p)
        {
            const char *name = json_string_value(json_object_get(p, "name"));
            if (name != NULL && strcmp(name, "verifiableCredential") == 0) {
                json_array_append(out, json_object_get(p, "valueString"));
            }
        }
    }
    json_decref(doc);
    return out;
}

/* Payload bytes for a bundle file: the file's bytes inside an SHC payload (kept as they are, so
 * that a bundle with trailing characters stays broken). */
static char *
bundle_payload(const char *path, size_t *len)
{
    size_t n = 0;
    uint8_t *bundle = hc_test_read_vector(path, &n);
    const char *head = "{\"iss\":\"" SPEC_ISS "\",\"nbf\":1653868800,\"vc\":{\"type\":["
                       "\"https://smarthealth.cards#health-card\"],\"credentialSubject\":{"
                       "\"fhirVersion\":\"4.0.1\",\"fhirBundle\":";
    const char *tail = "}}}";
    char *out = malloc(strlen(head) + n + strlen(tail) + 1);
    assert_non_null(out);
    strcpy(out, head);
    memcpy(out + strlen(head), bundle, n);
    strcpy(out + strlen(head) + n, tail);
    *len = strlen(head) + n + strlen(tail);
    free(bundle);
    return out;
}

/* Runs one case; returns true when our verdict is the expected one; *ours is "VALID", "REFUSED"
 * or the error codes. */
static bool
run_case(const row *r, char *ours, size_t ours_len)
{
    const char *kind = r->f[C_KIND], *expected = r->f[C_EXPECTED], *at = r->f[C_AT];
    char msg[512] = "", inputs[2048];
    hc_verdict vd;
    bool ok = true, any_invalid = false, all_codes = true;

    hc_trust_store *ts = jt_trust(r->f[C_TRUST], msg, sizeof msg);
    if (ts == NULL) {
        snprintf(ours, ours_len, "REFUSED");
        return strcmp(expected, "REFUSED") == 0;
    }
    if (strcmp(expected, "REFUSED") == 0) {
        hc_trust_store_free(ts);
        snprintf(ours, ours_len, "trust loaded");
        return false;
    }
    snprintf(inputs, sizeof inputs, "%s", r->f[C_INPUTS]);
    /* The texts to verify: one per JWS for containers, else one. */
    json_t *texts = json_array();
    if (strcmp(kind, "file") == 0 || strcmp(kind, "fhirapi") == 0) {
        json_decref(texts);
        texts = container_jws(inputs, strcmp(kind, "fhirapi") == 0);
    } else if (strcmp(kind, "qr") == 0 || strcmp(kind, "images") == 0 || strcmp(kind, "jws") == 0) {
        bool images = strcmp(kind, "images") == 0;
        char *joined = calloc(1, 1);
        size_t jl = 0, parts = 0;
        for (char *save = NULL, *p = strtok_r(inputs, ",", &save); p != NULL;
             p = strtok_r(NULL, ",", &save), parts++) {
            size_t n = 0;
            uint8_t *data = hc_test_read_vector(p, &n);
            char *piece = (char *)data;
            char decoded[8192];
            if (images && strchr(r->f[C_INPUTS], ',') != NULL) {
                /* Several images: each QR code's text, one line each (CONTRACT.md). */
                size_t m = 0;
                assert_int_equal(hc_qr_decode_image(data, n, decoded, sizeof decoded, &m), HC_OK);
                piece = decoded;
                n = m;
            }
            joined = realloc(joined, jl + n + 2);
            memcpy(joined + jl, piece, n);
            jl += n;
            joined[jl++] = '\n';
            joined[jl] = '\0';
            free(data);
        }
        if (parts == 1 && jl > 0) {
            jl--; /* a single input is verified exactly as read (images are binary) */
        }
        json_array_append_new(texts, json_stringn_nocheck(joined, jl));
        free(joined);
    } else if (strcmp(kind, "payload") == 0 || strcmp(kind, "bundle") == 0) {
        size_t n = 0;
        char *payload = strcmp(kind, "payload") == 0 ? (char *)hc_test_read_vector(inputs, &n)
                                                     : bundle_payload(inputs, &n);
        char *jws = jt_sign(spec_key, SPEC_KID, (const uint8_t *)payload, n, true);
        json_array_append_new(texts, json_string(jws));
        free(jws);
        free(payload);
    } else {
        fail_msg("case %s: unknown kind %s", r->f[C_N], kind);
    }
    ours[0] = '\0';
    size_t i;
    json_t *t;
    json_array_foreach(texts, i, t)
    {
        bool case_ok =
            judge_text(ts, at, json_string_value(t), json_string_length(t), expected, &vd);
        any_invalid |= !vd.valid;
        if (strcmp(expected, "VALID") != 0) {
            char list[256];
            snprintf(list, sizeof list, "%s", expected);
            for (char *save = NULL, *c = strtok_r(list, "+", &save); c != NULL;
                 c = strtok_r(NULL, "+", &save)) {
                all_codes &= vd.valid || jt_has_code(&vd, c);
            }
        } else {
            ok &= case_ok;
        }
        size_t used = strlen(ours);
        snprintf(ours + used, ours_len - used, "%s%s", i ? " | " : "", jt_codes(&vd));
        hc_verdict_clear(&vd);
    }
    if (strcmp(expected, "VALID") != 0) {
        /* A container fails when any of its credentials does, with the expected codes. */
        ok = any_invalid && all_codes;
    }
    json_decref(texts);
    hc_trust_store_free(ts);
    return ok;
}

static void
test_devtools_cards(void **state)
{
    (void)state;
    size_t len = 0, mapped = 0, skipped = 0, agree = 0, failures = 0, total = 0;
    char *text = (char *)hc_test_read_vector(MAP, &len);
    spec_key = jt_spec_private_key(SPEC_KID);
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') {
            continue;
        }
        row r;
        size_t k = 0;
        char *p = line;
        for (; k < 9; k++) {
            r.f[k] = p;
            char *tab = strchr(p, '\t');
            if (tab == NULL) {
                k++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        for (; k < 9; k++) {
            r.f[k] = "";
        }
        total++;
        if (strcmp(r.f[C_KIND], "skip") == 0) {
            skipped++;
            continue;
        }
        mapped++;
        char ours[1024];
        bool ok = run_case(&r, ours, sizeof ours);
        bool ours_valid = strcmp(ours, "VALID") == 0 || strncmp(ours, "VALID |", 7) == 0;
        if (strstr(ours, "VALID | ") != NULL || strstr(ours, " | VALID") != NULL) {
            ours_valid = strstr(ours, "_") == NULL; /* containers: valid only when all are */
        }
        if ((strcmp(r.f[C_DEVTOOLS], "valid") == 0) == ours_valid) {
            agree++;
        }
        if (!ok) {
            failures++;
            print_message("case %s (%s): expected %s, got %s\n", r.f[C_N], r.f[C_NAME],
                          r.f[C_EXPECTED], ours);
        }
    }
    print_message("dev-tools card tests: %zu cases, %zu mapped, %zu skipped (not applicable); "
                  "verdict class agrees with dev-tools in %zu of %zu mapped\n",
                  total, mapped, skipped, agree, mapped);
    EVP_PKEY_free(spec_key);
    free(text);
    assert_int_equal(total, 118);
    assert_int_equal(failures, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_devtools_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
