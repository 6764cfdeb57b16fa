/*
 * test_vc_jwt.c: W3C verifiable credentials as JWTs (vc_jwt.h) through the public verify path:
 * the staged fixtures (did:key ES256 and EdDSA, did:web with its DID document, a tampered token),
 * the did:key test vectors as issuers (a credential signed with a vector's private key verifies
 * with that vector's DID document as trust), issue -> verify round trips for every key type and
 * DID method, and one negative case per rule of vc_jwt.h with its stable code.
 */
#include "jose_test_util.h"

#include <openssl/ec.h>

#include "did_key.h"
#include "vc_jwt_encode.h"

#define G  "vc/vc-jwt-generated/"
#define AT "2023-01-01T00:00:00Z"

static char dir[] = "/tmp/hc-vc-XXXXXX";

static const char *
tmp_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static hc_trust_store *
trust_of_text(const char *name, const char *text)
{
    hc_trust_store *ts = hc_trust_store_new();
    char msg[256];
    if (hc_trust_store_add_path(ts, tmp_file(name, text), msg, sizeof msg) != HC_OK) {
        fail_msg("trust %s: %s", name, msg);
    }
    return ts;
}

static void
expect_text(const hc_trust_store *ts, const char *name, const char *text, const char *code)
{
    hc_verdict vd;
    jt_verify(ts, AT, text, strlen(text), &vd);
    bool ok = code == NULL ? vd.valid : (!vd.valid && jt_has_code(&vd, code));
    if (!ok) {
        fail_msg("%s: expected %s, got %s (%s)", name, code ? code : "VALID", jt_codes(&vd),
                 vd.n_errors ? vd.errors[0].message : "");
    }
    if (code == NULL) {
        assert_string_equal(vd.format, "vc-jwt");
    }
    hc_verdict_clear(&vd);
}

static void
expect_file(const hc_trust_store *ts, const char *rel, const char *code)
{
    size_t n = 0;
    char *text = (char *)hc_test_read_vector(rel, &n);
    expect_text(ts, rel, text, code);
    free(text);
}

static int
setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static void
test_fixtures(void **state)
{
    (void)state;
    hc_trust_store *ts =
        trust_of_text("dids.txt", "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv\n"
                                  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\n");
    char msg[256];
    assert_int_equal(
        hc_trust_store_add_path(
            ts, hc_test_vector_path(G "did-web-issuer.example.org-ddcc.did.json"), msg, sizeof msg),
        HC_OK);
    /* KEYS-and-EXPECTED.json "expected". */
    expect_file(ts, G "vc-jwt-es256-didkey-ddccvs.jwt", NULL);
    expect_file(ts, G "vc-jwt-eddsa-didkey-ddccvs.jwt", NULL);
    expect_file(ts, G "vc-jwt-es256-didweb-ddccvs.jwt", NULL);
    expect_file(ts, G "vc-jwt-es256-didkey-ddccvs.TAMPERED.jwt", "SIGNATURE_INVALID");
    hc_trust_store_free(ts);
    /* Without trust: the did:key ones are checked but not trusted; did:web cannot be. */
    expect_file(NULL, G "vc-jwt-es256-didkey-ddccvs.jwt", "KEY_NOT_TRUSTED");
    expect_file(NULL, G "vc-jwt-es256-didweb-ddccvs.jwt", "KEY_NOT_TRUSTED");
    expect_file(NULL, G "vc-jwt-es256-didkey-ddccvs.TAMPERED.jwt", "SIGNATURE_INVALID");
}

/* A credential signed with each did:key test vector's private key verifies with the vector's own
 * DID document as the trust material. */
static void
test_did_key_vectors_as_issuers(void **state)
{
    (void)state;
    const char *files[] = { "vc/did-key-test-vectors/nist-curves.json",
                            "vc/did-key-test-vectors/ed25519-x25519.json" };
    size_t issued = 0;
    for (size_t f = 0; f < 2; f++) {
        json_t *vectors = hc_test_load_json(files[f]);
        const char *did;
        json_t *v;
        json_object_foreach(vectors, did, v)
        {
            json_t *priv =
                json_object_get(json_object_get(v, "verificationMethod"), "privateKeyJwk");
            const char *seed = json_string_value(json_object_get(v, "seed"));
            EVP_PKEY *key = NULL;
            if (priv != NULL) {
                assert_int_equal(hc_jwk_private_key(priv, &key, NULL, NULL), HC_OK);
            } else if (seed != NULL) {
                size_t n = 0;
                uint8_t *s = hc_test_hex(seed, &n);
                key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, s, n);
                free(s);
            }
            hc_jose_signer signer;
            if (key == NULL || hc_jose_signer_from_key(key, &signer) != HC_OK) {
                EVP_PKEY_free(key); /* P-384 / P-521: no VC-JWT algorithm here */
                continue;
            }
            char *doc = json_dumps(json_object_get(v, "didDocument"), 0);
            hc_trust_store *ts = trust_of_text("doc.json", doc);
            free(doc);
            json_t *subject = json_pack("{s:s}", "name", "Test Person");
            hc_vc_issue_options opt = { .has_time = true, .time_ms = 1600000000000LL };
            hc_vc_issue_result r;
            char msg[256];
            assert_int_equal(hc_vc_jwt_issue(&signer, subject, &opt, &r, msg, sizeof msg), HC_OK);
            assert_string_equal(json_string_value(json_object_get(r.claims, "iss")), did);
            expect_text(ts, did, r.jwt, NULL);
            expect_text(ts, did, r.qr, NULL);
            issued++;
            hc_vc_issue_result_clear(&r);
            json_decref(subject);
            hc_trust_store_free(ts);
            hc_jose_signer_clear(&signer);
            EVP_PKEY_free(key);
        }
        json_decref(vectors);
    }
    print_message("did:key vectors as issuers: %zu (P-256 and Ed25519)\n", issued);
    assert_int_equal(issued, 7); /* 2 P-256 (with private JWKs) + 5 Ed25519 (seeds) */
}

/* One negative per rule, each signed for real. */
static void
test_negative(void **state)
{
    (void)state;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), *p256 = EVP_EC_gen("P-256");
    char did[HC_DID_KEY_MAX], kid[300];
    assert_int_equal(hc_did_key_from_key(key, did, sizeof did), HC_OK);
    snprintf(kid, sizeof kid, "%s#%s", did, did + 8);
    char trust_text[200];
    snprintf(trust_text, sizeof trust_text, "%s\n", did);
    hc_trust_store *ts = trust_of_text("neg.txt", trust_text);
    const char *vc = "\"vc\":{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":["
                     "\"VerifiableCredential\"],\"credentialSubject\":{\"id\":\"urn:x:1\","
                     "\"name\":\"A\"}}";
    struct {
        const char *name, *header, *claims, *code;
    } c[] = {
        { "valid", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"nbf\":1600000000,@VC@}", NULL },
        { "valid, compressed", "{\"zip\":\"DEF\",\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",@VC@}", NULL },
        { "iss not a DID", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"https://x.example\",@VC@}", "STRUCTURE_INVALID" },
        { "no kid", "{\"alg\":\"EdDSA\"}", "{\"iss\":\"DID\",@VC@}", "KID_MISSING" },
        { "kid not a DID URL", "{\"alg\":\"EdDSA\",\"kid\":\"key-1\"}", "{\"iss\":\"DID\",@VC@}",
          "STRUCTURE_INVALID" },
        { "kid of another DID", "{\"alg\":\"EdDSA\",\"kid\":\"did:web:evil.example#k\"}",
          "{\"iss\":\"DID\",@VC@}", "ISSUER_MISMATCH" },
        { "vc.issuer not iss", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"vc\":{\"issuer\":\"did:web:evil.example\",\"@context\":[\"https://"
          "www.w3.org/2018/credentials/v1\"],\"type\":[\"VerifiableCredential\"],"
          "\"credentialSubject\":{}}}",
          "ISSUER_MISMATCH" },
        { "no vc", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}", "{\"iss\":\"DID\"}",
          "STRUCTURE_INVALID" },
        { "I1 first context not the base", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"vc\":{\"@context\":[\"https://evil.example/ctx\"],\"type\":["
          "\"VerifiableCredential\"],\"credentialSubject\":{}}}",
          "SCHEMA_INVALID" },
        { "I2 inline context", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"vc\":{\"@context\":[\"https://www.w3.org/2018/credentials/v1\",{"
          "\"@vocab\":\"https://evil.example/\"}],\"type\":[\"VerifiableCredential\"],"
          "\"credentialSubject\":{}}}",
          "SCHEMA_INVALID" },
        { "no VerifiableCredential type", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"vc\":{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],"
          "\"type\":[\"X\"],\"credentialSubject\":{}}}",
          "SCHEMA_INVALID" },
        { "no credentialSubject", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"vc\":{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],"
          "\"type\":[\"VerifiableCredential\"]}}",
          "SCHEMA_INVALID" },
        { "sub not credentialSubject.id", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"sub\":\"urn:x:2\",@VC@}", "SCHEMA_INVALID" },
        { "expired", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"exp\":1600000000,@VC@}", "EXPIRED" },
        { "not yet valid", "{\"alg\":\"EdDSA\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",\"nbf\":1900000000,@VC@}", "NOT_YET_VALID" },
        { "alg none", "{\"alg\":\"none\",\"kid\":\"KID\"}", "{\"iss\":\"DID\",@VC@}",
          "ALG_UNSUPPORTED" },
        { "alg HS256", "{\"alg\":\"HS256\",\"kid\":\"KID\"}", "{\"iss\":\"DID\",@VC@}",
          "ALG_UNSUPPORTED" },
        { "ES256 header for an Ed25519 DID", "{\"alg\":\"ES256\",\"kid\":\"KID\"}",
          "{\"iss\":\"DID\",@VC@}", "ALG_UNSUPPORTED" },
        { "did:key with another fragment", "{\"alg\":\"EdDSA\",\"kid\":\"DID#other\"}",
          "{\"iss\":\"DID\",@VC@}", "KEY_NOT_TRUSTED" },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char header[2048], claims[2048], tmp[2048];
        /* KID, DID and @VC@ placeholders: "@" and "I" are outside the base58 alphabet, so a
         * random did:key can never contain a placeholder (a bare "VC" once did: a 1% flake). */
        snprintf(tmp, sizeof tmp, "%s", c[i].header);
        char *at = strstr(tmp, "KID");
        if (at != NULL) {
            snprintf(header, sizeof header, "%.*s%s%s", (int)(at - tmp), tmp, kid, at + 3);
        } else if ((at = strstr(tmp, "DID#")) != NULL) {
            snprintf(header, sizeof header, "%.*s%s%s", (int)(at - tmp), tmp, did, at + 3);
        } else {
            snprintf(header, sizeof header, "%s", tmp);
        }
        snprintf(claims, sizeof claims, "%s", c[i].claims);
        while ((at = strstr(claims, "DID")) != NULL) {
            snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(at - claims), claims, did, at + 3);
            snprintf(claims, sizeof claims, "%s", tmp);
        }
        if ((at = strstr(claims, "@VC@")) != NULL) {
            snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(at - claims), claims, vc, at + 4);
            snprintf(claims, sizeof claims, "%s", tmp);
        }
        bool zip = strstr(header, "\"zip\"") != NULL;
        hc_sig_alg alg = strstr(header, "EdDSA") != NULL ? HC_SIG_EDDSA : HC_SIG_NONE;
        char *jws = jt_jws_of(header, claims, strlen(claims), zip, key, alg);
        expect_text(ts, c[i].name, jws, c[i].code);
        if (zip) {
            /* The QR form of the same token. */
            size_t n = strlen(jws), q = 0;
            char *qr = malloc(2 * n + 16);
            strcpy(qr, "vc-jwt:/");
            assert_int_equal(hc_shc_numeric_encode(jws, n, qr + 8, 2 * n + 8, &q), HC_OK);
            expect_text(ts, "QR form", qr, c[i].code);
            free(qr);
        }
        free(jws);
    }
    expect_text(ts, "vc-jwt:/ with a chunk header", "vc-jwt:/1/2/5676", "STRUCTURE_INVALID");
    expect_text(ts, "vc-jwt:/ odd digits", "vc-jwt:/567", "ENCODING_INVALID");
    /* A DID document listing another DID's key, and a did:key document with a foreign key. */
    char *doc = NULL;
    json_t *jwk = hc_jwk_from_key(p256, false);
    json_t *d =
        json_pack("{s:s, s:[{s:s, s:s, s:O}], s:[s]}", "id", did, "verificationMethod", "id", "#k",
                  "type", "JsonWebKey2020", "publicKeyJwk", jwk, "assertionMethod", "#k");
    doc = json_dumps(d, 0);
    hc_trust_store *bad = hc_trust_store_new();
    assert_int_equal(
        hc_trust_store_add_buffer(bad, (const uint8_t *)doc, strlen(doc), "doc", NULL, 0),
        HC_ERR_TRUST_INVALID);
    hc_trust_store_free(bad);
    free(doc);
    json_decref(d);
    json_decref(jwk);
    hc_trust_store_free(ts);
    EVP_PKEY_free(key);
    EVP_PKEY_free(p256);
}

/* issue -> verify for each key type and DID method, via the library. */
static void
test_round_trips(void **state)
{
    (void)state;
    const hc_sig_alg algs[] = { HC_SIG_ES256, HC_SIG_EDDSA };
    for (size_t i = 0; i < 2; i++) {
        hc_jose_keyset ks;
        assert_int_equal(hc_jose_keygen(algs[i], "did:web:issuer.example.org:vc", &ks), HC_OK);
        EVP_PKEY *key = NULL;
        assert_int_equal(hc_jwk_private_key(ks.private_jwk, &key, NULL, NULL), HC_OK);
        hc_jose_signer s;
        assert_int_equal(hc_jose_signer_from_key(key, &s), HC_OK);
        char *doc = json_dumps(ks.did_doc, 0);
        hc_trust_store *web = trust_of_text("web.json", doc);
        free(doc);
        char line[200];
        snprintf(line, sizeof line, "%s\n", ks.did_key);
        hc_trust_store *dk = trust_of_text("dk.txt", line);
        json_t *input = hc_test_load_json(G "vc-jwt-es256-didkey-ddccvs.decoded.json");
        json_t *vcin = json_object_get(json_object_get(input, "payload"), "vc");
        const char *issuers[] = { NULL, "did:web:issuer.example.org:vc" };
        for (size_t k = 0; k < 2; k++) {
            hc_vc_issue_options opt = { .iss = issuers[k], .validity_days = 30 };
            hc_vc_issue_result r;
            char msg[256] = "";
            assert_int_equal(hc_vc_jwt_issue(&s, vcin, &opt, &r, msg, sizeof msg), HC_OK);
            assert_non_null(r.qr);
            hc_trust_store *ts = k == 0 ? dk : web;
            hc_verdict vd;
            for (int form = 0; form < 2; form++) {
                const char *text = form == 0 ? r.jwt : r.qr;
                jt_verify(ts, NULL, text, strlen(text), &vd);
                if (!vd.valid) {
                    fail_msg("round trip %zu/%zu/%d: %s", i, k, form, jt_codes(&vd));
                }
                assert_string_equal(vd.subject_name, "Aulus Agerius");
                assert_string_equal(vd.type, "v");
                hc_verdict_clear(&vd);
            }
            /* The other DID method's trust does not vouch for it. */
            jt_verify(k == 0 ? web : dk, NULL, r.jwt, strlen(r.jwt), &vd);
            assert_false(vd.valid);
            assert_true(jt_has_code(&vd, "KEY_NOT_TRUSTED"));
            hc_verdict_clear(&vd);
            hc_vc_issue_result_clear(&r);
        }
        json_decref(input);
        hc_trust_store_free(web);
        hc_trust_store_free(dk);
        hc_jose_signer_clear(&s);
        EVP_PKEY_free(key);
        hc_jose_keyset_clear(&ks);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_did_key_vectors_as_issuers),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_round_trips),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
