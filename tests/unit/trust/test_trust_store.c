/*
 * test_trust_store.c: the trust store (trust.h, trust_store.h): content detection (PEM, DER,
 * folder, gateway JSON list), the kid index (several keys per kid, insertion order, a large
 * index), skip-and-count of unusable entries, all-or-nothing inputs, and the refusals: garbage,
 * empty, oversized and deeply nested input (HC_ERR_TRUST_INVALID), a missing file (HC_ERR_IO).
 */
#include "testlib.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "trust_store.h"

#define RAW "eu-dcc/dgc-testdata/common/2DCode/raw/"

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

/* TESTCTX.CERTIFICATE (base64 DER) of a dgc-testdata vector. */
static blob
vector_der(const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, RAW "%s.json", name);
    json_t *v = hc_test_load_json(rel);
    const char *b64 =
        json_string_value(json_object_get(json_object_get(v, "TESTCTX"), "CERTIFICATE"));
    assert_non_null(b64);
    size_t n = strlen(b64);
    blob b = { malloc(HC_BASE64_DECODED_MAX(n)), 0 };
    assert_int_equal(hc_base64_decode(b64, n, false, b.data, HC_BASE64_DECODED_MAX(n), &b.len),
                     HC_OK);
    json_decref(v);
    return b;
}

static X509 *
vector_cert(const char *name)
{
    blob b = vector_der(name);
    X509 *x = hc_x509_from_der(b.data, b.len);
    assert_non_null(x);
    free(b.data);
    return x;
}

static void
kid_of(const char *name, uint8_t kid[8])
{
    X509 *x = vector_cert(name);
    hc_cert_info info;
    assert_int_equal(hc_cert_info_from_x509(x, &info), HC_OK);
    memcpy(kid, info.kid, 8);
    X509_free(x);
}

static char *
b64(const uint8_t *data, size_t len)
{
    size_t cap = HC_BASE64_ENCODED_MAX(len), n;
    char *s = malloc(cap);
    assert_int_equal(hc_base64_encode(data, len, false, s, cap, &n), HC_OK);
    return s;
}

static char *
pem_of(const char *const *names, size_t n, size_t *len)
{
    BIO *b = BIO_new(BIO_s_mem());
    for (size_t i = 0; i < n; i++) {
        X509 *x = vector_cert(names[i]);
        BIO_printf(b, "# %s\n", names[i]); /* text between blocks is allowed (RFC 7468 §2) */
        assert_int_equal(PEM_write_bio_X509(b, x), 1);
        X509_free(x);
    }
    char *p;
    *len = (size_t)BIO_get_mem_data(b, &p);
    char *copy = malloc(*len + 1);
    memcpy(copy, p, *len);
    copy[*len] = 0;
    BIO_free(b);
    return copy;
}

/* A self-signed certificate; serial makes each one (and its kid) different. */
static X509 *
made_cert(EVP_PKEY *key, long serial, const char *cn)
{
    X509 *x = X509_new();
    assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"LU", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, name);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20210101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20310101000000Z");
    X509_set_pubkey(x, key);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    return x;
}

static blob
der_of(X509 *x)
{
    blob b = { NULL, 0 };
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    assert_true(len > 0);
    b.data = malloc((size_t)len);
    memcpy(b.data, der, (size_t)len);
    b.len = (size_t)len;
    OPENSSL_free(der);
    return b;
}

static hc_err
add_text(hc_trust_store *ts, const char *s, char *msg, size_t msg_len)
{
    return hc_trust_store_add_buffer(ts, (const unsigned char *)s, strlen(s), "test", msg, msg_len);
}

/* ---- single inputs ---- */

static void
test_der_and_pem(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    uint8_t kid[8];
    const hc_trust_entry *found[4];

    blob der = vector_der("CO3");
    assert_int_equal(hc_trust_store_add_buffer(ts, der.data, der.len, "CO3.der", msg, sizeof msg),
                     HC_OK);
    assert_non_null(strstr(msg, "1 key added"));
    assert_int_equal(hc_trust_store_count(ts), 1);
    kid_of("CO3", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 4), 1);
    assert_int_equal(found[0]->kind, HC_TRUST_X509);
    assert_int_equal(found[0]->kid_len, 8);
    assert_memory_equal(found[0]->kid, kid, 8);
    assert_string_equal(found[0]->source, "CO3.der");
    assert_string_equal(found[0]->country, "");
    assert_non_null(found[0]->cert);
    assert_non_null(found[0]->key);
    assert_ptr_equal(hc_trust_store_entry(ts, 0), found[0]);
    assert_null(hc_trust_store_entry(ts, 1));
    /* DER with a trailing byte is not exactly one certificate. */
    uint8_t *longer = malloc(der.len + 1);
    memcpy(longer, der.data, der.len);
    longer[der.len] = 0;
    assert_int_equal(hc_trust_store_add_buffer(ts, longer, der.len + 1, "x", msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    free(longer);
    free(der.data);

    /* A PEM bundle: CO3 again (a duplicate), CO1 (RSA 2048), CO2 (RSA 3072). */
    const char *names[] = { "CO1", "CO3", "CO2" };
    size_t len;
    char *pem = pem_of(names, 3, &len);
    assert_int_equal(hc_trust_store_add_buffer(ts, (const unsigned char *)pem, len, "bundle.pem",
                                               msg, sizeof msg),
                     HC_OK);
    assert_non_null(strstr(msg, "2 keys added"));
    assert_non_null(strstr(msg, "1 duplicate ignored"));
    assert_int_equal(hc_trust_store_count(ts), 3);
    kid_of("CO2", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 4), 1);
    assert_int_equal(found[0]->info.key_bits, 3072);
    /* Insertion order: CO3 (DER), then CO1, then CO2. */
    kid_of("CO1", kid);
    assert_memory_equal(hc_trust_store_entry(ts, 1)->kid, kid, 8);
    /* A PEM file whose first text byte is '0' (0x30, as DER starts) is still PEM. */
    char *zero = malloc(len + 16);
    memcpy(zero, "0 = first\n", 10);
    memcpy(zero + 10, pem, len);
    assert_int_equal(hc_trust_store_add_buffer(ts, (const unsigned char *)zero, len + 10, "z.pem",
                                               msg, sizeof msg),
                     HC_OK);
    assert_non_null(strstr(msg, "0 keys added; 3 duplicates ignored"));
    free(zero);
    free(pem);
    hc_trust_store_free(ts);
}

static void
test_pem_refusals(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *good = made_cert(key, 1, "good");

    /* A private key block: refused as a whole, nothing added. */
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, good);
    PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
    char *p;
    long n = BIO_get_mem_data(b, &p);
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (unsigned char *)p, (size_t)n, "k.pem", msg, sizeof msg),
        HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "PRIVATE KEY"));
    assert_int_equal(hc_trust_store_count(ts), 0);
    BIO_free(b);

    /* An unusable certificate (RSA 1024) next to a good one: skipped and counted. */
    EVP_PKEY *small = EVP_RSA_gen(1024);
    X509 *weak = made_cert(small, 2, "weak");
    b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, weak);
    PEM_write_bio_X509(b, good);
    n = BIO_get_mem_data(b, &p);
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (unsigned char *)p, (size_t)n, "mixed.pem", msg, sizeof msg),
        HC_OK);
    assert_non_null(strstr(msg, "1 key added"));
    assert_non_null(strstr(msg, "1 unusable entry skipped"));
    assert_non_null(strstr(msg, "certificate 1: RSA"));
    assert_int_equal(hc_trust_store_count(ts), 1);
    BIO_free(b);

    /* Only unusable certificates: the file fails. */
    b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, weak);
    n = BIO_get_mem_data(b, &p);
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (unsigned char *)p, (size_t)n, "weak.pem", msg, sizeof msg),
        HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "no usable certificate"));
    BIO_free(b);

    /* Broken PEM. */
    assert_int_equal(add_text(ts, "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n",
                              msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_int_equal(add_text(ts, "-----BEGIN CERTIFICATE-----\nMIIB\n", msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_int_equal(add_text(ts, "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n",
                              msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "not a DER certificate"));
    assert_int_equal(hc_trust_store_count(ts), 1);

    X509_free(good);
    X509_free(weak);
    EVP_PKEY_free(key);
    EVP_PKEY_free(small);
    hc_trust_store_free(ts);
}

/* Garbage, empty, oversized, deeply nested, not a list: HC_ERR_TRUST_INVALID, nothing added. */
static void
test_refusals(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    struct {
        const char *input, *reason;
    } cases[] = {
        { "hello, world", "not trust material" },
        { "   \n", "not trust material" },
        { "[]", "empty trust list" },
        { "  [ ]  ", "empty trust list" },
        { "{}", "JSON object" },
        { "{\"keys\": []}", "no usable key" }, /* a JWKS without keys (trust_jose.c) */
        { "[1, 2", "not valid JSON" },
        { "[{\"rawData\": \"AA==\", \"rawData\": \"AA==\"}]", "not valid JSON" },
        { "[\"a\\u0000b\"]", "not valid JSON" },
        { "[42, null, \"x\", {}]", "no usable entry: 4 skipped" },
        { "[{\"rawData\": 5}]", "no rawData string" },
        { "[{\"rawData\": \"***\"}]", "not base64" },
        { "[{\"rawData\": \"AAECAwQ=\"}]", "not a DER certificate" },
        { "0\x01\x02", "not a DER certificate" },
        { "0 comments", "not a DER certificate" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_err err = add_text(ts, cases[i].input, msg, sizeof msg);
        if (err != HC_ERR_TRUST_INVALID || strstr(msg, cases[i].reason) == NULL) {
            fail_msg("case %zu: %s: %s", i, hc_err_code(err), msg);
        }
    }
    /* Empty buffer. */
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (const unsigned char *)"", 0, "empty", msg, sizeof msg),
        HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "empty"));

    /* Deeply nested: refused before jansson recurses. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = 0;
    assert_int_equal(add_text(ts, deep, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "deeper than 64"));
    free(deep);

    /* Too many entries, too many values. */
    size_t n = HC_MAX_TRUST_ENTRIES + 1;
    char *many = malloc(3 * n + 3);
    char *q = many;
    *q++ = '[';
    for (size_t i = 0; i < n; i++) {
        *q++ = '{';
        *q++ = '}';
        *q++ = i + 1 < n ? ',' : ']';
    }
    *q = 0;
    assert_int_equal(add_text(ts, many, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "more than 20000 entries"));
    free(many);
    n = 700000;
    many = malloc(2 * n + 8);
    q = many;
    memcpy(q, "[[", 2);
    q += 2;
    for (size_t i = 0; i < n; i++) {
        *q++ = '0';
        *q++ = ',';
    }
    memcpy(q, "0]]", 4);
    assert_int_equal(add_text(ts, many, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "JSON values"));
    free(many);

    /* Oversized. */
    size_t big = HC_MAX_TRUST_FILE + 1;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    huge[0] = '[';
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (unsigned char *)huge, big, "huge", msg, sizeof msg),
        HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "larger than 8 MiB"));
    free(huge);

    /* No message buffer is fine; a NULL store or data is an argument error. */
    assert_int_equal(add_text(ts, "junk", NULL, 0), HC_ERR_TRUST_INVALID);
    assert_int_equal(
        hc_trust_store_add_buffer(NULL, (const unsigned char *)"x", 1, "s", msg, sizeof msg),
        HC_ERR_INVALID_ARG);
    assert_int_equal(hc_trust_store_add_buffer(ts, NULL, 1, "s", msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    assert_int_equal(hc_trust_store_count(ts), 0);
    hc_trust_store_free(ts);
}

/* ---- the gateway list ---- */

/* Appends {kid, country, certificateType, rawData, timestamp, thumbprint} for vector name. */
static void
list_add(json_t *list, const char *name, const char *country, const char *type,
         const char *kid_override)
{
    blob der = vector_der(name);
    uint8_t kid[8];
    kid_of(name, kid);
    char *raw = b64(der.data, der.len), *k = b64(kid, 8);
    json_t *e = json_object();
    json_object_set_new(e, "kid", json_string(kid_override ? kid_override : k));
    if (country != NULL) {
        json_object_set_new(e, "country", json_string(country));
    }
    json_object_set_new(e, "certificateType", json_string(type));
    json_object_set_new(e, "rawData", json_string(raw));
    json_object_set_new(e, "timestamp", json_string("2021-06-01T12:00:00+02:00"));
    json_object_set_new(e, "thumbprint", json_string("00"));
    json_object_set_new(e, "signature", json_string("MEUCIQ=="));
    json_array_append_new(list, e);
    free(raw);
    free(k);
    free(der.data);
}

static void
test_gateway_list(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[1024];
    const hc_trust_entry *found[8];
    uint8_t kid[8];

    json_t *list = json_array();
    const char *names[] = { "CO1", "CO2", "CO3", "CO6", "CO7", "CO8", "CO9", "CO10", "CO11" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        list_add(list, names[i], i % 2 ? "AT" : "DE", "DSC", NULL);
    }
    list_add(list, "CO12", "SE", "DSC", "AAAAAAAAAAA=");         /* listed kid is wrong (F10) */
    list_add(list, "CO13", "FR", "CSCA", NULL);                  /* CA material, kept */
    list_add(list, "CO3", "AT", "DSC", NULL);                    /* same key, second country */
    list_add(list, "CO3", "DE", "DSC", NULL);                    /* exact duplicate */
    list_add(list, "CO14", NULL, "DSC", NULL);                   /* no country: the cert's C= */
    list_add(list, "CO15", "Germany", "DSC", NULL);              /* unusable: country */
    list_add(list, "CO15", "DE", "dsc certificate", NULL);       /* unusable: type */
    json_array_append_new(list, json_integer(7));                /* unusable: not an object */
    json_array_append_new(list, json_pack("{s:s}", "kid", "x")); /* unusable: no rawData */
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);

    assert_int_equal(add_text(ts, text, msg, sizeof msg), HC_OK);
    print_message("%s\n", msg);
    assert_non_null(strstr(msg, "13 keys added"));
    assert_non_null(strstr(msg, "4 unusable entries skipped (first: entry [14]: country"));
    assert_non_null(strstr(msg, "1 entry indexed by the computed kid"));
    assert_non_null(strstr(msg, "entry [9]: listed AAAAAAAAAAA=, computed "));
    assert_non_null(strstr(msg, "1 duplicate ignored"));
    assert_int_equal(hc_trust_store_count(ts), 13);

    /* Indexed by the computed kid only. */
    kid_of("CO12", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 8), 1);
    assert_string_equal(found[0]->country, "SE");
    static const uint8_t zero_kid[8] = { 0 };
    assert_int_equal(hc_trust_store_find(ts, zero_kid, 8, found, 8), 0);

    /* Two entries share CO3's kid (HCERT §3.3.3: check all), in insertion order. */
    kid_of("CO3", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 8), 2);
    assert_string_equal(found[0]->country, "DE");
    assert_string_equal(found[1]->country, "AT");
    assert_ptr_not_equal(found[0], found[1]);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 1), 2); /* count beyond max */
    assert_string_equal(found[0]->country, "DE");
    assert_int_equal(hc_trust_store_find(ts, kid, 8, NULL, 0), 2);

    kid_of("CO13", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 8), 1);
    assert_string_equal(found[0]->certificate_type, "CSCA");
    assert_int_equal(found[0]->info.dcc_eku, HC_EKU_DCC_VACCINATION);
    kid_of("CO14", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 8), 1);
    assert_string_equal(found[0]->country, ""); /* the DSC has no C= */

    /* Loading the same list again adds nothing and says so. */
    assert_int_equal(add_text(ts, text, msg, sizeof msg), HC_OK);
    assert_non_null(strstr(msg, "0 keys added"));
    assert_int_equal(hc_trust_store_count(ts), 13);

    /* Lookups that cannot match. */
    assert_int_equal(hc_trust_store_find(ts, kid, 7, found, 8), 0);
    assert_int_equal(hc_trust_store_find(ts, NULL, 0, found, 8), 0);
    assert_int_equal(hc_trust_store_find(NULL, kid, 8, found, 8), 0);
    free(text);
    hc_trust_store_free(ts);
}

/* At most HC_MAX_KEYS_PER_KID entries per kid; add_x509's ownership rules. */
static void
test_per_kid_limit_and_add_x509(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    static const char *countries[] = { "AA", "BB", "CC", "DD", "EE", "FF", "GG", "HH", "II" };
    for (size_t i = 0; i < 9; i++) {
        X509 *x = vector_cert("CO3");
        hc_err err = hc_trust_store_add_x509(ts, x, countries[i], "DSC", "co3", msg, sizeof msg);
        if (i < HC_MAX_KEYS_PER_KID) {
            assert_int_equal(err, HC_OK); /* the store owns x now */
        } else {
            assert_int_equal(err, HC_ERR_TRUST_INVALID);
            assert_non_null(strstr(msg, "more than 8 keys"));
            X509_free(x); /* still ours */
        }
    }
    assert_int_equal(hc_trust_store_count(ts), HC_MAX_KEYS_PER_KID);
    uint8_t kid[8];
    const hc_trust_entry *found[16];
    kid_of("CO3", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, found, 16), HC_MAX_KEYS_PER_KID);
    for (size_t i = 0; i < HC_MAX_KEYS_PER_KID; i++) {
        assert_string_equal(found[i]->country, countries[i]);
    }

    /* A duplicate is a success (the store disposes of the certificate). */
    X509 *x = vector_cert("CO3");
    assert_int_equal(hc_trust_store_add_x509(ts, x, "AA", "DSC", "co3", msg, sizeof msg), HC_OK);
    assert_non_null(strstr(msg, "already in the store"));
    /* Refusals leave the certificate with the caller. */
    x = vector_cert("CO6");
    assert_int_equal(hc_trust_store_add_x509(ts, x, "de", NULL, NULL, msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "ISO 3166"));
    assert_int_equal(hc_trust_store_add_x509(ts, x, "DE", "no spaces", NULL, msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_int_equal(hc_trust_store_add_x509(ts, x, NULL, NULL, NULL, msg, sizeof msg), HC_OK);
    assert_int_equal(hc_trust_store_count(ts), HC_MAX_KEYS_PER_KID + 1);
    assert_int_equal(hc_trust_store_add_x509(ts, NULL, NULL, NULL, NULL, msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    hc_trust_store_free(ts);
    hc_trust_store_free(NULL);
}

/* Many distinct keys over two inputs: every kid is found, once (the merge keeps the order). */
static void
test_large_index(void **state)
{
    (void)state;
    enum { N = 1500 };
    EVP_PKEY *key = EVP_EC_gen("P-256");
    uint8_t(*kids)[8] = malloc(N * sizeof *kids);
    json_t *lists[2] = { json_array(), json_array() };
    for (long i = 0; i < N; i++) {
        X509 *x = made_cert(key, i + 1, "many");
        blob der = der_of(x);
        hc_cert_info info;
        assert_int_equal(hc_cert_info_from_x509(x, &info), HC_OK);
        memcpy(kids[i], info.kid, 8);
        char *raw = b64(der.data, der.len);
        /* Interleave the two lists so that the merge has work to do. */
        json_array_append_new(
            lists[i % 3 == 0],
            json_pack("{s:s,s:s,s:s}", "rawData", raw, "country", "LU", "certificateType", "DSC"));
        free(raw);
        free(der.data);
        X509_free(x);
    }
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    for (int l = 0; l < 2; l++) {
        char *text = json_dumps(lists[l], JSON_COMPACT);
        assert_int_equal(add_text(ts, text, msg, sizeof msg), HC_OK);
        free(text);
        json_decref(lists[l]);
    }
    assert_int_equal(hc_trust_store_count(ts), N);
    for (size_t i = 0; i < N; i++) {
        const hc_trust_entry *e;
        assert_int_equal(hc_trust_store_find(ts, kids[i], 8, &e, 1), 1);
        assert_memory_equal(e->kid, kids[i], 8);
    }
    free(kids);
    EVP_PKEY_free(key);
    hc_trust_store_free(ts);
}

/* ---- files and folders ---- */

static void
write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void
remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(unlink(path), 0);
}

static void
test_files_and_folders(void **state)
{
    (void)state;
    char dir[] = "/tmp/hc_trust_test_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], msg[1024];
    hc_trust_store *ts = hc_trust_store_new();

    /* Missing paths: could not check. */
    snprintf(path, sizeof path, "%s/missing.pem", dir);
    assert_int_equal(hc_trust_store_add_path(ts, path, msg, sizeof msg), HC_ERR_IO);
    assert_non_null(strstr(msg, "missing.pem"));
    assert_non_null(strstr(msg, strerror(ENOENT)));
    snprintf(path, sizeof path, "%s/missing-folder/", dir);
    assert_int_equal(hc_trust_store_add_path(ts, path, msg, sizeof msg), HC_ERR_IO);

    /* An empty folder holds no trust. */
    assert_int_equal(hc_trust_store_add_path(ts, dir, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "no trust files"));

    /* A folder with good files and two bad ones: nothing added, the bad ones named. */
    const char *pem_names[] = { "CO1", "CO2" };
    size_t pem_len;
    char *pem = pem_of(pem_names, 2, &pem_len);
    write_file(dir, "a.pem", pem, pem_len);
    blob der = vector_der("CO3");
    write_file(dir, "b.der", der.data, der.len);
    json_t *list = json_array();
    list_add(list, "CO6", "DE", "DSC", NULL);
    list_add(list, "CO7", "DE", "DSC", NULL);
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    write_file(dir, "c.json", text, strlen(text));
    write_file(dir, "README.txt", "these are the keys\n", 19);
    write_file(dir, "empty.pem", "", 0);
    write_file(dir, ".hidden", "ignored", 7);
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    write_file(path, "deeper.txt", "not read: not recursive", 23);

    assert_int_equal(hc_trust_store_add_path(ts, dir, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    print_message("%s\n", msg);
    assert_non_null(strstr(msg, "2 of 5 files failed, nothing added"));
    assert_non_null(strstr(msg, "README.txt: not trust material"));
    assert_non_null(strstr(msg, "empty.pem: empty"));
    assert_int_equal(hc_trust_store_count(ts), 0);

    /* Without them the folder loads: 2 + 1 + 2 keys. */
    remove_file(dir, "README.txt");
    remove_file(dir, "empty.pem");
    assert_int_equal(hc_trust_store_add_path(ts, dir, msg, sizeof msg), HC_OK);
    print_message("%s\n", msg);
    assert_non_null(strstr(msg, "(3 files): 5 keys added"));
    assert_int_equal(hc_trust_store_count(ts), 5);
    /* Name order: a.pem (CO1, CO2), b.der (CO3), c.json (CO6, CO7). */
    uint8_t kid[8];
    kid_of("CO3", kid);
    assert_memory_equal(hc_trust_store_entry(ts, 2)->kid, kid, 8);
    const hc_trust_entry *e;
    kid_of("CO6", kid);
    assert_int_equal(hc_trust_store_find(ts, kid, 8, &e, 1), 1);
    assert_string_equal(e->country, "DE");
    assert_non_null(strstr(e->source, "c.json"));

    /* Single files by path, and an oversized one. */
    hc_trust_store *one = hc_trust_store_new();
    snprintf(path, sizeof path, "%s/b.der", dir);
    assert_int_equal(hc_trust_store_add_path(one, path, msg, sizeof msg), HC_OK);
    assert_int_equal(hc_trust_store_count(one), 1);
    char *huge = calloc(HC_MAX_TRUST_FILE + 10, 1);
    huge[0] = '[';
    write_file(dir, "huge.json", huge, HC_MAX_TRUST_FILE + 10);
    free(huge);
    snprintf(path, sizeof path, "%s/huge.json", dir);
    assert_int_equal(hc_trust_store_add_path(one, path, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "larger than 8 MiB"));
    assert_int_equal(hc_trust_store_add_path(one, dir, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "huge.json: larger than 8 MiB"));
    assert_int_equal(hc_trust_store_count(one), 1);
    assert_int_equal(hc_trust_store_add_path(one, NULL, msg, sizeof msg), HC_ERR_INVALID_ARG);
    hc_trust_store_free(one);

    remove_file(dir, "huge.json");
    remove_file(dir, "a.pem");
    remove_file(dir, "b.der");
    remove_file(dir, "c.json");
    remove_file(dir, ".hidden");
    remove_file(dir, "sub/deeper.txt");
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0);
    free(pem);
    free(der.data);
    free(text);
    hc_trust_store_free(ts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_der_and_pem),
        cmocka_unit_test(test_pem_refusals),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_gateway_list),
        cmocka_unit_test(test_per_kid_limit_and_add_x509),
        cmocka_unit_test(test_large_index),
        cmocka_unit_test(test_files_and_folders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
