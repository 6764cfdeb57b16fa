/*
 * test_trust_jose.c: trust material of the JWS formats (trust_jose.c): JWKS, the VCI directory
 * snapshot shape, SMART Health Cards revocation lists, DID documents and did:key lines; the
 * dev-tools key fixtures (keys.test.ts: wrong kty / alg / use / curve / kid, private key, x5c
 * binding and its failures) and the bad revocation lists of badcrl/; all-or-nothing loading.
 */
#include "testlib.h"

#include <string.h>

#include "trust_store.h"

#define DT "shc/dev-tools/testdata/"

static hc_err
add_text(hc_trust_store *ts, const char *text, char *msg, size_t msg_len)
{
    return hc_trust_store_add_buffer(ts, (const uint8_t *)text, strlen(text), "test", msg, msg_len);
}

static const hc_trust_entry *
find_one(const hc_trust_store *ts, const char *kid)
{
    const hc_trust_entry *e[HC_MAX_KEYS_PER_KID];
    size_t n = hc_trust_store_find(ts, (const uint8_t *)kid, strlen(kid), e, HC_MAX_KEYS_PER_KID);
    return n >= 1 ? e[0] : NULL;
}

static void
test_spec_jwks(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    assert_int_equal(
        hc_trust_store_add_path(
            ts, hc_test_vector_path("shc/examples/issuer/.well-known/jwks.json"), msg, sizeof msg),
        HC_OK);
    assert_int_equal(hc_trust_store_count(ts), 2);
    const hc_trust_entry *e = find_one(ts, "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
    assert_non_null(e);
    assert_int_equal(e->kind, HC_TRUST_JWK);
    assert_int_equal(e->alg, HC_SIG_ES256);
    assert_string_equal(e->thumbprint, "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
    assert_int_equal(e->crl_version, 1);
    assert_string_equal(e->issuer, ""); /* a bare JWKS names no issuer */
    /* The x5c key: bound to its certificate's SAN URI. */
    e = find_one(ts, "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw");
    assert_non_null(e);
    assert_string_equal(e->issuer, "https://spec.smarthealth.cards/examples/issuer");
    assert_true(e->issuer_from_x5c);
    /* The CRL folder. */
    assert_int_equal(
        hc_trust_store_add_path(ts, hc_test_vector_path("shc/examples/issuer/.well-known/crl"), msg,
                                sizeof msg),
        HC_OK);
    assert_non_null(strstr(msg, "1 revocation list"));
    const char *kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
    const hc_trust_crl *crl =
        hc_trust_store_find_crl(ts, "https://any.example", (const uint8_t *)kid, strlen(kid));
    assert_non_null(crl);
    assert_int_equal(crl->ctr, 1);
    assert_int_equal(crl->n_rids, 4);
    const hc_trust_rid *r = hc_trust_crl_find(crl, "vwAjHdarZuc", 11);
    assert_non_null(r);
    assert_true(r->has_before);
    assert_int_equal(r->before_s, 1687450765);
    r = hc_trust_crl_find(crl, "FKDIxsTCGlU", 11);
    assert_non_null(r);
    assert_false(r->has_before);
    assert_null(hc_trust_crl_find(crl, "vwAjHdarZu", 10));
    hc_trust_store_free(ts);
}

/* dev-tools keys.test.ts fixtures: which keys load. */
static void
test_devtools_key_fixtures(void **state)
{
    (void)state;
    const struct {
        const char *file;
        bool loads;
        const char *issuer; /* when it loads: the issuer it is bound to ("" none) */
    } f[] = {
        { "valid_key.json", true, "" },
        { "valid_keys.json", true, "" },
        { "valid_key_with_x5c.json", true, "https://smarthealth.cards/examples/issuer" },
        { "valid_2_chain.public.json", true, "https://smarthealth.cards/examples/issuer" },
        { "wrong_kid_key.json", true, "" },   /* loads; an SHC kid must be the thumbprint */
        { "wrong_curve_key.json", true, "" }, /* loads as ES384; SHC accepts ES256 only */
        { "cert_mismatch.public.json", false, NULL },
        { "invalid_DNS_SAN.public.json", false, NULL },
        { "invalid_no_SAN.public.json", false, NULL },
        { "invalid_chain.public.json", false, NULL },
        { "wrong_kty_key.json", false, NULL },
        { "wrong_alg_key.json", false, NULL },
        { "wrong_use_key.json", false, NULL },
        { "private_key.json", false, NULL },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char rel[128], msg[512];
        snprintf(rel, sizeof rel, DT "%s", f[i].file);
        hc_trust_store *ts = hc_trust_store_new();
        hc_err e = hc_trust_store_add_path(ts, hc_test_vector_path(rel), msg, sizeof msg);
        if ((e == HC_OK) != f[i].loads) {
            fail_msg("%s: %s", f[i].file, msg);
        }
        if (e == HC_OK) {
            const hc_trust_entry *t = hc_trust_store_entry(ts, 0);
            assert_string_equal(t->issuer, f[i].issuer);
            if (strcmp(f[i].file, "wrong_kid_key.json") == 0) {
                assert_string_not_equal(t->thumbprint, "ThisIsNotTheThumbprintOfTheKey");
            }
            if (strcmp(f[i].file, "wrong_curve_key.json") == 0) {
                assert_int_equal(t->alg, HC_SIG_ES384);
            }
        } else {
            assert_int_equal(e, HC_ERR_TRUST_INVALID);
            assert_int_equal(hc_trust_store_count(ts), 0);
        }
        hc_trust_store_free(ts);
    }
}

static void
test_bad_revocation_lists(void **state)
{
    (void)state;
    const char *bad[] = { "invalid-method", "non-base64url-rid", "duplicate-rid", "too-long-rid" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char rel[160], msg[512];
        snprintf(rel, sizeof rel, DT "badcrl/%s/.well-known/crl", bad[i]);
        hc_trust_store *ts = hc_trust_store_new();
        assert_int_equal(hc_trust_store_add_path(ts, hc_test_vector_path(rel), msg, sizeof msg),
                         HC_ERR_TRUST_INVALID);
        const char *kid = "hrvC0uzB16UXK83BnPo7Glg685b1D6iYOyJd5hpRaAA";
        assert_null(hc_trust_store_find_crl(ts, "", (const uint8_t *)kid, strlen(kid)));
        hc_trust_store_free(ts);
    }
    /* More refusals, and that nothing of a refused document stays. */
    const char *docs[] = {
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":-1,\"rids\":[]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":\"1a\",\"rids\":[]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"a.\"]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"a.12x\"]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":1,\"rids\":[\"a.1234567890123\"]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":1,\"rids\":[7]}",
        "{\"kid\":\"\",\"method\":\"rid\",\"ctr\":1,\"rids\":[]}",
        "{\"kid\":\"k\",\"method\":\"rid\",\"ctr\":1,\"rids\":\"a\"}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        hc_trust_store *ts = hc_trust_store_new();
        char msg[256];
        assert_int_equal(add_text(ts, docs[i], msg, sizeof msg), HC_ERR_TRUST_INVALID);
        assert_null(hc_trust_store_find_crl(ts, "", (const uint8_t *)"k", 1));
        hc_trust_store_free(ts);
    }
}

static void
test_snapshot(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    assert_int_equal(
        hc_trust_store_add_path(ts, hc_test_vector_path("shc/trust/spec-issuer.snapshot.json"), msg,
                                sizeof msg),
        HC_OK);
    assert_int_equal(hc_trust_store_count(ts), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(hc_trust_store_entry(ts, i)->issuer,
                            "https://spec.smarthealth.cards/examples/issuer");
    }
    hc_trust_store_free(ts);
    /* The VCI shape with string counters, a CRL, and an unusable entry skipped. */
    ts = hc_trust_store_new();
    const char *snap =
        "{\"directory\":\"x\",\"issuerInfo\":[{\"issuer\":{\"iss\":\"https://a.example\"},"
        "\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":"
        "\"P-256\",\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns\",\"y\":"
        "\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM\",\"crlVersion\":\"3\"}],\"crls\":[{\"kid\":"
        "\"k1\",\"method\":\"rid\",\"ctr\":\"3\",\"rids\":[\"r1\"]}]},{\"issuer\":{},\"keys\":[]}]"
        "}";
    assert_int_equal(add_text(ts, snap, msg, sizeof msg), HC_OK);
    assert_non_null(strstr(msg, "1 unusable"));
    const hc_trust_entry *e = find_one(ts, "k1");
    assert_non_null(e);
    assert_string_equal(e->issuer, "https://a.example");
    assert_int_equal(e->crl_version, 3);
    const hc_trust_crl *c =
        hc_trust_store_find_crl(ts, "https://a.example", (const uint8_t *)"k1", 2);
    assert_non_null(c);
    assert_int_equal(c->ctr, 3);
    assert_null(hc_trust_store_find_crl(ts, "https://b.example", (const uint8_t *)"k1", 2));
    hc_trust_store_free(ts);
    /* A VCI issuer directory has no keys: refused with a pointer to the snapshot. */
    ts = hc_trust_store_new();
    assert_int_equal(
        add_text(ts, "{\"participating_issuers\":[{\"iss\":\"https://a\"}]}", msg, sizeof msg),
        HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "snapshot"));
    hc_trust_store_free(ts);
}

static void
test_did_material(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    assert_int_equal(
        hc_trust_store_add_path(
            ts, hc_test_vector_path("vc/vc-jwt-generated/did-web-issuer.example.org-ddcc.did.json"),
            msg, sizeof msg),
        HC_OK);
    const hc_trust_entry *e = find_one(ts, "u7vrjwUEqr4_WVk1nfCx7nhirx2CrSvP9yUbAN4FNiQ");
    assert_non_null(e);
    assert_string_equal(e->issuer, "did:web:issuer.example.org:ddcc");
    /* did:key lines, with comments and blank lines. */
    assert_int_equal(
        add_text(ts,
                 "# our issuers\n\n  did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djd"
                 "X3mDooWp  \r\ndid:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZ"
                 "pv\n",
                 msg, sizeof msg),
        HC_OK);
    e = find_one(ts, "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
    assert_non_null(e);
    assert_string_equal(e->issuer, "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
    assert_int_equal(e->alg, HC_SIG_EDDSA);
    size_t before = hc_trust_store_count(ts);
    /* One bad line refuses the whole file. */
    assert_int_equal(add_text(ts,
                              "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG\n"
                              "did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F\n",
                              msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_non_null(strstr(msg, "line 2"));
    assert_int_equal(hc_trust_store_count(ts), before);
    /* Every did:key test vector document loads (the DID's own key only). */
    json_t *v = hc_test_load_json("vc/did-key-test-vectors/ed25519-x25519.json");
    const char *did;
    json_t *vec;
    json_object_foreach(v, did, vec)
    {
        char *doc = json_dumps(json_object_get(vec, "didDocument"), 0);
        assert_int_equal(add_text(ts, doc, msg, sizeof msg), HC_OK);
        free(doc);
    }
    json_decref(v);
    hc_trust_store_free(ts);
}

static void
test_all_or_nothing(void **state)
{
    (void)state;
    hc_trust_store *ts = hc_trust_store_new();
    char msg[512];
    /* A JWKS without a usable key. */
    assert_int_equal(add_text(ts, "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}", msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    assert_int_equal(add_text(ts, "{\"keys\":[]}", msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_int_equal(add_text(ts, "{\"something\":1}", msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_int_equal(add_text(ts, "{\"keys\":[],\"keys\":[]}", msg, sizeof msg),
                     HC_ERR_TRUST_INVALID);
    /* A snapshot whose CRL is malformed adds none of its keys. */
    const char *snap =
        "{\"issuerInfo\":[{\"issuer\":{\"iss\":\"https://a.example\"},\"keys\":[{\"kty\":\"EC\","
        "\"kid\":\"k1\",\"crv\":\"P-256\",\"x\":\"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns\","
        "\"y\":\"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM\"}],\"crls\":[{\"kid\":\"k1\","
        "\"method\":\"other\",\"ctr\":1,\"rids\":[]}]}]}";
    assert_int_equal(add_text(ts, snap, msg, sizeof msg), HC_ERR_TRUST_INVALID);
    assert_int_equal(hc_trust_store_count(ts), 0);
    assert_null(find_one(ts, "k1"));
    hc_trust_store_free(ts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_jwks),
        cmocka_unit_test(test_devtools_key_fixtures),
        cmocka_unit_test(test_bad_revocation_lists),
        cmocka_unit_test(test_snapshot),
        cmocka_unit_test(test_did_material),
        cmocka_unit_test(test_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
