/*
 * test_issue.c: hc_issuer_load and hc_issue_eu_dcc (healthcert/issue.h).
 *
 * Round trips over all 27 eu-dcc-schema examples with ES256 and PS256 signers (issue -> the
 * library's verifier -> payload equals the input, UVCI kept), generated UVCIs, the revocation
 * hash, refusals (schema with the field named, key usage, DSC validity), validity clamping,
 * loading errors (unreadable, mismatched, CA, wrong curve, encrypted keys) and concurrent use of
 * one issuer.
 */
#include "issue_test_util.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <regex.h>

#include "base45.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "fileio.h"
#include "inflate.h"
#include "issue_internal.h"
#include "issue_uvci.h"
#include "x509_make.h"

static char dir[512];
static char example_paths[IT_MAX_EXAMPLES][512];
static size_t n_examples;

static int
setup(void **state)
{
    (void)state;
    it_mkdtemp(dir, sizeof dir);
    it_make_csca(dir, "AT");
    hc_time_ms now = hc_time_now();
    it_make_dsc(dir, "es", HC_KEY_P256, 0, now - IT_DAY_MS, 730, NULL);
    it_make_dsc(dir, "ps", HC_KEY_RSA3072, 0, now - IT_DAY_MS, 730, NULL);
    it_make_dsc(dir, "vonly", HC_KEY_P256, HC_EKU_DCC_VACCINATION, now - IT_DAY_MS, 730, NULL);
    it_make_dsc(dir, "expired", HC_KEY_P256, 0, now - 60 * IT_DAY_MS, 30, NULL);
    it_make_dsc(dir, "short", HC_KEY_P256, 0, now - IT_DAY_MS, 6, NULL);
    it_make_dsc(dir, "enc", HC_KEY_P256, 0, now - IT_DAY_MS, 730, "correct horse");
    n_examples = it_examples(example_paths);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    it_rmdir(dir);
    return 0;
}

static void
cert_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s.pem", dir, name);
}

/* The COSE signature inside an HC1 text (for the revocation hash check). */
static size_t
signature_of(const char *qr, uint8_t *sig, size_t cap)
{
    size_t z_len = 0, cose_len = 0;
    uint8_t *z = malloc(8192), *cose = malloc(HC_MAX_INFLATED);
    assert_non_null(z);
    assert_non_null(cose);
    assert_int_equal(hc_base45_decode(qr + 4, strlen(qr) - 4, z, 8192, &z_len), HC_OK);
    assert_int_equal(hc_inflate_once(HC_DEFLATE_ZLIB, z, z_len, cose, HC_MAX_INFLATED, &cose_len),
                     HC_OK);
    hc_cbor_node nodes[64], hnodes[16];
    uint8_t scratch[64], hscratch[64];
    hc_cbor_doc doc, hdoc;
    hc_cbor_doc_init(&doc, nodes, 64, scratch, sizeof scratch, 0);
    hc_cbor_doc_init(&hdoc, hnodes, 16, hscratch, sizeof hscratch, 0);
    hc_cose_sign1 msg;
    const char *why = NULL;
    assert_int_equal(hc_cose_sign1_parse(cose, cose_len, &doc, &hdoc, &msg, &why), HC_OK);
    assert_true(msg.tagged_sign1);
    assert_true(msg.alg_protected);
    assert_true(msg.kid_protected);
    assert_true(msg.signature_len <= cap);
    memcpy(sig, msg.signature, msg.signature_len);
    size_t n = msg.signature_len;
    free(z);
    free(cose);
    return n;
}

static void
round_trip(const char *signer, size_t sig_len)
{
    char cert[4096], msg[512] = "";
    hc_issuer *iss = it_load(dir, signer);
    cert_path(cert, sizeof cert, signer);
    assert_int_equal(n_examples, 27);
    for (size_t i = 0; i < n_examples; i++) {
        json_t *in = hc_test_load_json(example_paths[i]);
        json_t *before = json_deep_copy(in);
        hc_issue_result r;
        hc_err e = hc_issue_eu_dcc(iss, in, NULL, &r, msg, sizeof msg);
        if (e != HC_OK) {
            fail_msg("%s: %s %s", example_paths[i], hc_err_code(e), msg);
        }
        assert_true(json_equal(in, before)); /* the input is not modified */
        assert_true(strncmp(r.qr, "HC1:", 4) == 0);
        /* UVCI kept as given. */
        const char *key = r.type == 'v' ? "v" : r.type == 't' ? "t" : "r";
        assert_non_null(strstr(example_paths[i], r.type == 'v'   ? "vaccination"
                                                 : r.type == 't' ? "/test/"
                                                                 : "recovery"));
        const char *ci =
            json_string_value(json_object_get(json_array_get(json_object_get(in, key), 0), "ci"));
        assert_string_equal(r.uvci, ci);
        assert_string_equal(r.country, "AT");
        assert_memory_equal(r.kid, hc_issuer_kid(iss), 8);
        assert_int_equal(r.exp_ms - r.iat_ms, 365 * IT_DAY_MS);
        /* The library's verifier accepts it and gives back exactly the input. */
        json_t *payload = it_verify(cert, r.qr, r.iat_ms + 1000);
        if (!json_equal(payload, in)) {
            char *a = json_dumps(payload, JSON_SORT_KEYS), *b = json_dumps(in, JSON_SORT_KEYS);
            fail_msg("%s: payload differs:\n%s\n%s", example_paths[i], a, b);
        }
        assert_true(json_equal(r.dcc, in));
        /* Revocation hash (eu-dcc.md §4.3): SHA-256 of r for ES256, of the signature for PS256. */
        uint8_t sig[512], h[32];
        size_t n = signature_of(r.qr, sig, sizeof sig);
        assert_int_equal(n, sig_len);
        SHA256(sig, sig_len == 64 ? 32 : n, h);
        assert_memory_equal(h, r.signature_sha256, 32);
        json_decref(payload);
        json_decref(before);
        json_decref(in);
        hc_issue_result_clear(&r);
    }
    hc_issuer_free(iss);
}

static void
test_examples_es256(void **state)
{
    (void)state;
    round_trip("es", 64);
}

static void
test_examples_ps256(void **state)
{
    (void)state;
    round_trip("ps", 384); /* RSA-3072: the signature is the modulus size */
}

/* The message is what src/cose and src/formats make (issue_sign.h, issue_dcc.c say so): the same
 * CWT as hc_eu_dcc_encode_cwt and the same COSE_Sign1 bytes as hc_cose_sign1_sign, except the
 * signature itself (ECDSA and PSS are randomised). */
static void
test_same_bytes_as_encoder(void **state)
{
    (void)state;
    static const char *const signers[] = { "es", "ps" };
    for (int k = 0; k < 2; k++) {
        char msg[512] = "";
        hc_issuer *iss = it_load(dir, signers[k]);
        json_t *in = hc_test_load_json("eu-dcc/schema/examples/vaccination/simple.json");
        hc_issue_result r;
        assert_int_equal(hc_issue_eu_dcc(iss, in, NULL, &r, msg, sizeof msg), HC_OK);
        /* Our COSE message, from the QR text. */
        size_t z_len = 0, cose_len = 0;
        uint8_t *z = malloc(8192), *cose = malloc(8192);
        assert_int_equal(hc_base45_decode(r.qr + 4, strlen(r.qr) - 4, z, 8192, &z_len), HC_OK);
        assert_int_equal(hc_inflate_once(HC_DEFLATE_ZLIB, z, z_len, cose, 8192, &cose_len), HC_OK);
        /* The reference encoders on the same data. */
        uint8_t cwt[4096], ref[8192];
        size_t cwt_len = 0, ref_len = 0;
        hc_eu_dcc_claims claims = { .iss = "AT", .iat = r.iat_ms / 1000, .exp = r.exp_ms / 1000 };
        assert_int_equal(hc_eu_dcc_encode_cwt(r.dcc, &claims, cwt, sizeof cwt, &cwt_len), HC_OK);
        assert_int_equal(hc_cose_sign1_sign(iss->key, iss->alg, iss->info.kid, 8, cwt, cwt_len, ref,
                                            sizeof ref, &ref_len),
                         HC_OK);
        assert_int_equal(cose_len, ref_len);
        assert_memory_equal(cose, ref, ref_len - iss->sig_len);
        free(z);
        free(cose);
        hc_issue_result_clear(&r);
        json_decref(in);
        hc_issuer_free(iss);
    }
}

static void
test_uvci_generated(void **state)
{
    (void)state;
    char msg[512] = "", cert[4096];
    regex_t re;
    assert_int_equal(regcomp(&re, "^URN:UVCI:01:AT:[0-9A-Z]{26}#[0-9A-Z/:]$", REG_EXTENDED), 0);
    hc_issuer *iss = it_load(dir, "es");
    cert_path(cert, sizeof cert, "es");
    static const char *const files[] = { "eu-dcc/schema/examples/vaccination/simple.json",
                                         "eu-dcc/schema/examples/test/simple-rat.json",
                                         "eu-dcc/schema/examples/recovery/simple.json" };
    char seen[6][128];
    for (int round = 0; round < 2; round++) {
        for (int f = 0; f < 3; f++) {
            json_t *in = hc_test_load_json(files[f]);
            json_t *entry = json_array_get(json_object_get(in, f == 0   ? "v"
                                                               : f == 1 ? "t"
                                                                        : "r"),
                                           0);
            /* Absent (first round) or empty (second round): both get a new UVCI. */
            if (round == 0) {
                json_object_del(entry, "ci");
            } else {
                json_object_set_new(entry, "ci", json_string(""));
            }
            hc_issue_result r;
            assert_int_equal(hc_issue_eu_dcc(iss, in, NULL, &r, msg, sizeof msg), HC_OK);
            assert_int_equal(regexec(&re, r.uvci, 0, NULL, 0), 0);
            assert_true(hc_uvci_check_valid(r.uvci));
            json_t *payload = it_verify(cert, r.qr, r.iat_ms);
            const char *ci = json_string_value(
                json_object_get(json_array_get(json_object_get(payload, f == 0   ? "v"
                                                                        : f == 1 ? "t"
                                                                                 : "r"),
                                               0),
                                "ci"));
            assert_non_null(ci);
            assert_string_equal(ci, r.uvci);
            snprintf(seen[round * 3 + f], sizeof seen[0], "%s", r.uvci);
            for (int k = 0; k < round * 3 + f; k++) {
                assert_string_not_equal(seen[k], r.uvci);
            }
            json_decref(payload);
            json_decref(in);
            hc_issue_result_clear(&r);
        }
    }
    regfree(&re);
    hc_issuer_free(iss);
}

/* Issues text (JSON) with signer; returns the error and the message. */
static hc_err
try_issue(const char *signer, const char *json_text, const hc_issue_options *opt, char *msg,
          size_t msg_len, hc_issue_result *out)
{
    hc_issuer *iss = it_load(dir, signer);
    json_t *in = json_loads(json_text, 0, NULL);
    hc_issue_result r;
    assert_non_null(in);
    hc_err e = hc_issue_eu_dcc(iss, in, opt, &r, msg, msg_len);
    if (e == HC_OK && out != NULL) {
        *out = r;
    } else if (e == HC_OK) {
        hc_issue_result_clear(&r);
    }
    json_decref(in);
    hc_issuer_free(iss);
    return e;
}

static const char vacc[] =
    "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"M\\u00fcller\",\"fnt\":\"MUELLER\",\"gn\":\"Zo\\u00eb\","
    "\"gnt\":\"ZOE\"},\"dob\":\"1980-02-29\",\"v\":[{\"tg\":\"840539006\",\"vp\":\"1119349007\","
    "\"mp\":\"EU/1/20/1528\",\"ma\":\"ORG-100030215\",\"dn\":%s,\"sd\":2,\"dt\":\"2021-06-01\","
    "\"co\":\"AT\",\"is\":\"Ministry of Health\",\"ci\":\"URN:UVCI:01:AT:ABCDEFGH#S\"}]}";

static void
test_schema_refusals(void **state)
{
    (void)state;
    char text[2048], msg[512];
    snprintf(text, sizeof text, vacc, "0");
    assert_int_equal(try_issue("es", text, NULL, msg, sizeof msg, NULL), HC_ERR_SCHEMA_INVALID);
    assert_non_null(strstr(msg, "v[0].dn"));
    snprintf(text, sizeof text, vacc, "\"2\"");
    assert_int_equal(try_issue("es", text, NULL, msg, sizeof msg, NULL), HC_ERR_SCHEMA_INVALID);
    assert_non_null(strstr(msg, "dn"));
    /* No name at all. */
    assert_int_equal(try_issue("es",
                               "{\"ver\":\"1.3.0\",\"dob\":\"1980-01-01\",\"r\":[{\"tg\":"
                               "\"840539006\",\"fr\":\"2021-01-01\",\"co\":\"AT\",\"is\":\"X\","
                               "\"df\":\"2021-01-12\",\"du\":\"2021-06-01\"}]}",
                               NULL, msg, sizeof msg, NULL),
                     HC_ERR_SCHEMA_INVALID);
    assert_non_null(strstr(msg, "nam"));
    /* Two types in one certificate. */
    snprintf(text, sizeof text, vacc, "1");
    json_t *j = json_loads(text, 0, NULL);
    json_object_set(j, "r", json_object_get(j, "v"));
    char *two = json_dumps(j, 0);
    assert_int_equal(try_issue("es", two, NULL, msg, sizeof msg, NULL), HC_ERR_SCHEMA_INVALID);
    free(two);
    json_decref(j);
    /* Not an object. */
    hc_issuer *iss = it_load(dir, "es");
    hc_issue_result r;
    json_t *arr = json_array();
    assert_int_equal(hc_issue_eu_dcc(iss, arr, NULL, &r, msg, sizeof msg), HC_ERR_SCHEMA_INVALID);
    assert_int_equal(hc_issue_eu_dcc(NULL, arr, NULL, &r, msg, sizeof msg), HC_ERR_INVALID_ARG);
    json_decref(arr);
    hc_issuer_free(iss);
}

static void
test_key_usage(void **state)
{
    (void)state;
    char msg[512], cert[4096];
    hc_issue_result r;
    cert_path(cert, sizeof cert, "vonly");
    json_t *t = hc_test_load_json("eu-dcc/schema/examples/test/simple-naat.json");
    char *text = json_dumps(t, 0);
    assert_int_equal(try_issue("vonly", text, NULL, msg, sizeof msg, NULL),
                     HC_ERR_KEY_USAGE_MISMATCH);
    assert_non_null(strstr(msg, "test"));
    free(text);
    json_decref(t);
    char v[2048];
    snprintf(v, sizeof v, vacc, "1");
    assert_int_equal(try_issue("vonly", v, NULL, msg, sizeof msg, &r), HC_OK);
    json_decref(it_verify(cert, r.qr, r.iat_ms));
    hc_issue_result_clear(&r);
}

static void
test_validity(void **state)
{
    (void)state;
    char v[2048], msg[512], cert[4096];
    hc_issue_result r;
    snprintf(v, sizeof v, vacc, "1");

    /* A DSC that ended 30 days ago, or before its start: refused. */
    assert_int_equal(try_issue("expired", v, NULL, msg, sizeof msg, NULL), HC_ERR_KEY_EXPIRED);
    assert_non_null(strstr(msg, "expired"));
    hc_issue_options early = { .has_time = true, .time_ms = hc_time_now() - 10 * IT_DAY_MS };
    assert_int_equal(try_issue("es", v, &early, msg, sizeof msg, NULL), HC_ERR_KEY_NOT_YET_VALID);

    /* exp never past the DSC's end ("short" ends in 5 days). */
    char path[4096];
    cert_path(path, sizeof path, "short");
    uint8_t *pem = NULL;
    size_t pem_len = 0;
    assert_int_equal(hc_read_file(path, 1 << 20, &pem, &pem_len), HC_OK);
    X509 *x = hc_x509_parse(pem, pem_len);
    hc_cert_info info;
    assert_int_equal(hc_cert_info_from_x509(x, &info), HC_OK);
    assert_int_equal(try_issue("short", v, NULL, msg, sizeof msg, &r), HC_OK);
    assert_int_equal(r.exp_ms, info.not_after);
    json_decref(it_verify(path, r.qr, r.iat_ms));
    hc_issue_result_clear(&r);
    X509_free(x);
    free(pem);

    /* --validity-days and --at: whole seconds, exp = iat + days. */
    hc_issue_options o = { .has_time = true, .time_ms = hc_time_now() + 1234, .validity_days = 10 };
    assert_int_equal(try_issue("es", v, &o, msg, sizeof msg, &r), HC_OK);
    assert_int_equal(r.iat_ms, o.time_ms - o.time_ms % 1000);
    assert_int_equal(r.exp_ms - r.iat_ms, 10 * IT_DAY_MS);
    cert_path(cert, sizeof cert, "es");
    json_decref(it_verify(cert, r.qr, r.iat_ms + IT_DAY_MS));
    hc_issue_result_clear(&r);
    hc_issue_options bad = { .validity_days = -1 };
    assert_int_equal(try_issue("es", v, &bad, msg, sizeof msg, NULL), HC_ERR_INVALID_ARG);
}

/* Writes a certificate for a key of the given type (for the key policy tests). */
static void
write_cert_for(const char *name, EVP_PKEY *key, bool ca)
{
    char cert[4096], keyp[4096];
    snprintf(cert, sizeof cert, "%s/%s.pem", dir, name);
    snprintf(keyp, sizeof keyp, "%s/%s.key", dir, name);
    hc_cert_template t = { .country = "AT",
                           .common_name = name,
                           .not_before = hc_time_now() - IT_DAY_MS,
                           .not_after = hc_time_now() + 30 * IT_DAY_MS,
                           .is_ca = ca };
    X509 *x = hc_x509_make(&t, key, NULL, NULL);
    assert_non_null(x);
    FILE *f = fopen(cert, "w");
    assert_non_null(f);
    PEM_write_X509(f, x);
    fclose(f);
    f = fopen(keyp, "w");
    assert_non_null(f);
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    X509_free(x);
}

static hc_err
load(const char *cert, const char *key, const char *pass_file, char *msg, size_t msg_len)
{
    char c[4096], k[4096], p[4096];
    hc_issuer *iss = NULL;
    snprintf(c, sizeof c, "%s/%s", dir, cert);
    snprintf(k, sizeof k, "%s/%s", dir, key);
    snprintf(p, sizeof p, "%s/%s", dir, pass_file ? pass_file : "");
    msg[0] = '\0';
    hc_err e = hc_issuer_load(c, k, pass_file ? p : NULL, &iss, msg, msg_len);
    assert_true((e == HC_OK) == (iss != NULL));
    hc_issuer_free(iss);
    return e;
}

static void
write_text(const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(hc_write_file(path, text, strlen(text), 0600), HC_OK);
}

static void
test_load_errors(void **state)
{
    (void)state;
    char msg[512];
    assert_int_equal(load("es.pem", "es.key", NULL, msg, sizeof msg), HC_OK);
    assert_int_equal(load("missing.pem", "es.key", NULL, msg, sizeof msg), HC_ERR_IO);
    assert_int_equal(load("es.pem", "missing.key", NULL, msg, sizeof msg), HC_ERR_IO);
    /* The key of another DSC. */
    assert_int_equal(load("es.pem", "ps.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "does not belong"));
    assert_int_equal(load("es.pem", "vonly.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    /* Not a certificate / not a key. */
    write_text("junk.txt", "hello\n");
    assert_int_equal(load("junk.txt", "es.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(load("es.pem", "junk.txt", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(load("es.pem", "es.pem", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    /* A CSCA is not a document signer. */
    assert_int_equal(load("csca.pem", "csca.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "CA certificate"));
    /* P-384 and Ed25519 are not HCERT algorithms. */
    EVP_PKEY *p384 = hc_key_generate(HC_KEY_P384), *ed = hc_key_generate(HC_KEY_ED25519);
    write_cert_for("p384", p384, false);
    write_cert_for("ed", ed, false);
    assert_int_equal(load("p384.pem", "p384.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "P-256"));
    assert_int_equal(load("ed.pem", "ed.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(ed);
    /* Encrypted key: the passphrase is required and must be right. */
    write_text("pass.txt", "correct horse\n");
    write_text("wrong.txt", "battery staple\r\n");
    write_text("empty.txt", "\n");
    assert_int_equal(load("enc.pem", "enc.key", "pass.txt", msg, sizeof msg), HC_OK);
    assert_int_equal(load("enc.pem", "enc.key", NULL, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "encrypted"));
    assert_int_equal(load("enc.pem", "enc.key", "wrong.txt", msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "wrong passphrase"));
    assert_int_equal(load("enc.pem", "enc.key", "empty.txt", msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(load("enc.pem", "enc.key", "nofile.txt", msg, sizeof msg), HC_ERR_IO);
    /* A plain key with a passphrase given: the passphrase is not needed, loading works. */
    assert_int_equal(load("es.pem", "es.key", "pass.txt", msg, sizeof msg), HC_OK);
    /* The secret never appears in messages. */
    load("enc.pem", "enc.key", "wrong.txt", msg, sizeof msg);
    assert_null(strstr(msg, "battery"));
}

static void
test_accessors(void **state)
{
    (void)state;
    hc_issuer *iss = it_load(dir, "es");
    size_t len = 0;
    const uint8_t *der = hc_issuer_cert_der(iss, &len);
    uint8_t h[32];
    assert_non_null(der);
    SHA256(der, len, h);
    assert_memory_equal(h, hc_issuer_kid(iss), 8); /* HCERT Appendix A.1 */
    assert_string_equal(hc_issuer_country(iss), "AT");
    hc_issuer_free(iss);
    hc_issuer_free(NULL);
    hc_issue_result_clear(NULL);
}

typedef struct thread_job {
    const hc_issuer *iss;
    const json_t *in;
    int n;
    char uvci[50][128];
    int ok;
} thread_job;

static void *
issue_many(void *arg)
{
    thread_job *j = arg;
    for (int i = 0; i < j->n; i++) {
        hc_issue_result r;
        char msg[256];
        if (hc_issue_eu_dcc(j->iss, j->in, NULL, &r, msg, sizeof msg) == HC_OK) {
            snprintf(j->uvci[i], sizeof j->uvci[i], "%s", r.uvci);
            j->ok++;
            hc_issue_result_clear(&r);
        }
    }
    return NULL;
}

/* One issuer shared by four threads (the service's use). */
static void
test_threads(void **state)
{
    (void)state;
    hc_issuer *iss = it_load(dir, "es");
    json_t *in = hc_test_load_json("eu-dcc/schema/examples/recovery/simple.json");
    json_object_del(json_array_get(json_object_get(in, "r"), 0), "ci");
    thread_job jobs[4];
    pthread_t t[4];
    for (int k = 0; k < 4; k++) {
        memset(&jobs[k], 0, sizeof jobs[k]);
        jobs[k].iss = iss;
        jobs[k].in = in;
        jobs[k].n = 50;
        assert_int_equal(pthread_create(&t[k], NULL, issue_many, &jobs[k]), 0);
    }
    for (int k = 0; k < 4; k++) {
        pthread_join(t[k], NULL);
        assert_int_equal(jobs[k].ok, 50);
    }
    /* 200 distinct UVCIs. */
    for (int a = 0; a < 200; a++) {
        for (int b = a + 1; b < 200; b++) {
            assert_string_not_equal(jobs[a / 50].uvci[a % 50], jobs[b / 50].uvci[b % 50]);
        }
    }
    json_decref(in);
    hc_issuer_free(iss);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_es256),
        cmocka_unit_test(test_examples_ps256),
        cmocka_unit_test(test_same_bytes_as_encoder),
        cmocka_unit_test(test_uvci_generated),
        cmocka_unit_test(test_schema_refusals),
        cmocka_unit_test(test_key_usage),
        cmocka_unit_test(test_validity),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
