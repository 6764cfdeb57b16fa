/*
 * test_did.c: did:key (did_key.h) against the W3C CCG test vectors (w3c-ccg/did-method-key
 * test-vectors: nist-curves.json, ed25519-x25519.json): every P-256 / P-384 / P-521 / Ed25519
 * did:key resolves to the key its DID document lists, a private key or seed gives the same DID
 * back; x25519 and secp256k1 DIDs are refused. DID documents (did_doc.h): the assertionMethod keys
 * of each vector's document; DID syntax, DID URLs, did:web locations.
 */
#include "testlib.h"

#include <string.h>

#include "base58.h"
#include "did_doc.h"
#include "did_key.h"
#include "jwk.h"

/* The key a vector's DID document gives for its first verification method. */
static EVP_PKEY *
document_key(const json_t *doc)
{
    json_t *vm = json_array_get(json_object_get(doc, "verificationMethod"), 0);
    json_t *jwk = json_object_get(vm, "publicKeyJwk");
    const char *type = json_string_value(json_object_get(vm, "type"));
    EVP_PKEY *key = NULL;
    if (jwk != NULL) {
        assert_int_equal(hc_jwk_public_key(jwk, &key, NULL, NULL), HC_OK);
        return key;
    }
    const char *b58 = json_string_value(json_object_get(vm, "publicKeyBase58"));
    uint8_t raw[128];
    size_t n = 0;
    assert_non_null(b58);
    assert_int_equal(hc_base58_decode(b58, strlen(b58), raw, sizeof raw, &n), HC_OK);
    hc_sig_alg alg = strcmp(type, "P256Key2021") == 0 ? HC_SIG_ES256 : HC_SIG_EDDSA;
    assert_int_equal(hc_jwk_key_from_point(alg, raw, n, &key), HC_OK);
    return key;
}

typedef struct collect {
    size_t n;
    EVP_PKEY *first;
    char fragment[128];
} collect;

static hc_err
on_method(void *ctx, const hc_did_method *m)
{
    collect *c = ctx;
    if (c->n++ == 0) {
        c->first = m->key;
        snprintf(c->fragment, sizeof c->fragment, "%.*s", (int)m->fragment_len, m->fragment);
        return HC_OK;
    }
    EVP_PKEY_free(m->key);
    return HC_OK;
}

static size_t resolved, refused_count;

static void
check_file(const char *rel, bool supported)
{
    json_t *vectors = hc_test_load_json(rel);
    const char *did;
    json_t *v;
    json_object_foreach(vectors, did, v)
    {
        if (strncmp(did, "did:key:", 8) != 0) {
            continue;
        }
        EVP_PKEY *key = NULL;
        const char *why = NULL;
        hc_err e = hc_did_key_resolve(did, strlen(did), &key, NULL, &why);
        if (!supported) {
            assert_int_equal(e, HC_ERR_KEY_INVALID);
            refused_count++;
            continue;
        }
        if (e != HC_OK) {
            fail_msg("%s: %s", did, why);
        }
        /* The key is the one the DID document lists. */
        json_t *doc = json_object_get(v, "didDocument");
        EVP_PKEY *listed = document_key(doc);
        assert_int_equal(EVP_PKEY_eq(key, listed), 1);
        /* And the key gives the DID back. */
        char back[HC_DID_KEY_MAX];
        assert_int_equal(hc_did_key_from_key(key, back, sizeof back), HC_OK);
        assert_string_equal(back, did);
        /* The document's assertionMethod: one key, the DID's own, fragment = multibase. */
        collect c = { 0 };
        assert_int_equal(hc_did_doc_foreach(doc, on_method, &c, NULL, NULL, 0), HC_OK);
        assert_int_equal(c.n, 1);
        assert_int_equal(EVP_PKEY_eq(c.first, key), 1);
        assert_string_equal(c.fragment, did + 8);
        /* Private material: a JWK (NIST vectors) or the Ed25519 seed. */
        json_t *priv = json_object_get(json_object_get(v, "verificationMethod"), "privateKeyJwk");
        const char *seed = json_string_value(json_object_get(v, "seed"));
        EVP_PKEY *pk = NULL;
        if (priv != NULL) {
            assert_int_equal(hc_jwk_private_key(priv, &pk, NULL, NULL), HC_OK);
        } else if (seed != NULL) {
            size_t n = 0;
            uint8_t *s = hc_test_hex(seed, &n);
            pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, s, n);
            free(s);
        }
        if (pk != NULL) {
            assert_int_equal(hc_did_key_from_key(pk, back, sizeof back), HC_OK);
            assert_string_equal(back, did);
            EVP_PKEY_free(pk);
        }
        EVP_PKEY_free(c.first);
        EVP_PKEY_free(listed);
        EVP_PKEY_free(key);
        resolved++;
    }
    json_decref(vectors);
}

static void
test_did_key_vectors(void **state)
{
    (void)state;
    check_file("vc/did-key-test-vectors/nist-curves.json", true);
    check_file("vc/did-key-test-vectors/ed25519-x25519.json", true);
    check_file("vc/did-key-test-vectors/secp256k1.json", false);
    json_t *x = hc_test_load_json("vc/did-key-test-vectors/x25519.json");
    const char *did;
    json_t *v;
    json_object_foreach(json_object_get(x, "didDocument"), did, v)
    {
        EVP_PKEY *key = NULL;
        assert_int_equal(hc_did_key_resolve(did, strlen(did), &key, NULL, NULL),
                         HC_ERR_KEY_INVALID);
        refused_count++;
    }
    json_decref(x);
    print_message("did:key vectors: %zu resolved to the listed key, %zu refused (x25519, "
                  "secp256k1)\n",
                  resolved, refused_count);
    assert_int_equal(resolved, 12); /* 7 NIST (P-256 x3, P-384 x2, P-521 x2) + 5 Ed25519 */
}

static void
test_did_key_refusals(void **state)
{
    (void)state;
    EVP_PKEY *key = NULL;
    const char *bad[] = {
        "did:key:",                                                  /* empty */
        "did:web:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",  /* another method */
        "did:key:m6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",  /* multibase 'm' */
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW",   /* a character short */
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWpp", /* one too many */
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0",  /* '0' not base58 */
        "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpw", /* not on the curve? */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hc_err e = hc_did_key_resolve(bad[i], strlen(bad[i]), &key, NULL, NULL);
        if (e == HC_OK) {
            /* The last one may land on the curve by chance; then it is a different key. */
            assert_int_equal(i, sizeof bad / sizeof bad[0] - 1);
            EVP_PKEY_free(key);
            key = NULL;
            continue;
        }
        assert_int_equal(e, HC_ERR_KEY_INVALID);
    }
    /* An uncompressed P-256 point (04 || x || y) is refused: one key, one DID. */
    uint8_t raw[2 + 65];
    char text[200];
    size_t n = 0;
    raw[0] = 0x80;
    raw[1] = 0x24;
    raw[2] = 0x04;
    memset(raw + 3, 0x11, 64);
    memcpy(text, "did:key:z", 9);
    assert_int_equal(hc_base58_encode(raw, sizeof raw, text + 9, sizeof text - 9, &n), HC_OK);
    assert_int_equal(hc_did_key_resolve(text, strlen(text), &key, NULL, NULL), HC_ERR_KEY_INVALID);
}

static void
test_did_syntax_and_web(void **state)
{
    (void)state;
    const char *good[] = { "did:web:example.com", "did:key:z6Mk", "did:web:example.com%3A3000:a:b",
                           "did:example:123456789abcdefghi" };
    const char *bad[] = {
        "did:",        "did:web",     "did:Web:x",   "did:web:",     "did:web:a:",
        "did:web:a b", "did:web:a#b", "did:web:a/b", "did:web:a%zz", "xdid:web:a"
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(hc_did_valid(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (hc_did_valid(bad[i], strlen(bad[i]))) {
            fail_msg("accepted %s", bad[i]);
        }
    }
    size_t dl;
    const char *frag;
    size_t fl;
    assert_true(hc_did_url_split("did:web:a.org#key-1", 19, &dl, &frag, &fl));
    assert_int_equal(dl, 13);
    assert_int_equal(fl, 5);
    assert_true(hc_did_url_split("#key-1", 6, &dl, &frag, &fl));
    assert_int_equal(dl, 0);
    assert_false(hc_did_url_split("did:web:a.org", 13, &dl, &frag, &fl));
    assert_false(hc_did_url_split("did:web:a.org#", 14, &dl, &frag, &fl));
    assert_false(hc_did_url_split("did:web:a.org/p#k", 17, &dl, &frag, &fl));
    assert_false(hc_did_url_split("did:web:a.org#k y", 17, &dl, &frag, &fl));
    /* did:web Method Specification §3.2 examples. */
    const struct {
        const char *did, *url;
    } web[] = {
        { "did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json" },
        { "did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json" },
        { "did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json" },
    };
    char url[256];
    for (size_t i = 0; i < sizeof web / sizeof web[0]; i++) {
        assert_int_equal(hc_did_web_url(web[i].did, strlen(web[i].did), url, sizeof url), HC_OK);
        assert_string_equal(url, web[i].url);
    }
    assert_int_equal(hc_did_web_url("did:key:z6Mk", 12, url, sizeof url), HC_ERR_STRUCTURE_INVALID);
    assert_int_equal(hc_did_web_url("did:web:example.com", 19, url, 10), HC_ERR_BUFFER_TOO_SMALL);
}

/* The parts verify --resolve-did-web connects to (did:web §3.2), and DIDs it refuses. */
static void
test_did_web_location(void **state)
{
    (void)state;
    const struct {
        const char *did, *host;
        unsigned port;
        const char *path;
    } ok[] = {
        { "did:web:w3c-ccg.github.io", "w3c-ccg.github.io", 443, "/.well-known/did.json" },
        { "did:web:w3c-ccg.github.io:user:alice", "w3c-ccg.github.io", 443,
          "/user/alice/did.json" },
        { "did:web:example.com%3A3000:user:alice", "example.com", 3000, "/user/alice/did.json" },
        { "did:web:localhost%3a8443", "localhost", 8443, "/.well-known/did.json" },
        { "did:web:tng-cdn-dev.who.int:v2:trustlist:-:ARG", "tng-cdn-dev.who.int", 443,
          "/v2/trustlist/-/ARG/did.json" },
    };
    hc_did_web_loc loc;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(hc_did_web_location(ok[i].did, strlen(ok[i].did), &loc), HC_OK);
        assert_string_equal(loc.host, ok[i].host);
        assert_int_equal(loc.port, ok[i].port);
        assert_string_equal(loc.path, ok[i].path);
    }
    assert_false(loc.has_port);
    char url[256];
    assert_int_equal(hc_did_web_url("did:web:localhost%3A8443", 24, url, sizeof url), HC_OK);
    assert_string_equal(url, "https://localhost:8443/.well-known/did.json");
    static const char *const bad[] = {
        "did:web:example.com%2Fevil",         /* percent-encoding other than the port colon */
        "did:web:example.com%3A",             /* no port digits */
        "did:web:example.com%3A0",            /* port 0 */
        "did:web:example.com%3A65536",        /* past 65535 */
        "did:web:example.com%3A443x",         /* junk after the port */
        "did:web:example.com%3A123456",       /* six digits */
        "did:web:exa_mple.com",               /* '_' is no host name character */
        "did:web:-example.com",               /* a label starting with '-' */
        "did:web:example-.com",               /* ... or ending with it */
        "did:web:example..com",               /* an empty label */
        "did:web:.example.com",               /* ... at the start */
        "did:web:example.com:..:secret",      /* traversal */
        "did:web:example.com:a:.",            /* "." segment */
        "did:web:example.com:a::b",           /* an empty segment */
        "did:web:example.com:a%2F..:b",       /* percent-encoding in the path */
        "did:web:example.com:",               /* trailing ':' (DID syntax) */
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8", /* another method */
        "did:web:",                           /* nothing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(hc_did_web_location(bad[i], strlen(bad[i]), &loc), HC_OK);
    }
    /* A label of 64 characters is one too long (RFC 1035 §2.3.4). */
    char longlabel[128];
    snprintf(longlabel, sizeof longlabel, "did:web:%064d.org", 0);
    assert_int_equal(hc_did_web_location(longlabel, strlen(longlabel), &loc),
                     HC_ERR_STRUCTURE_INVALID);
    longlabel[8] = 'a';
    memmove(longlabel + 9, longlabel + 10, strlen(longlabel + 10) + 1); /* 63: fine */
    assert_int_equal(hc_did_web_location(longlabel, strlen(longlabel), &loc), HC_OK);
}

static void
test_did_documents(void **state)
{
    (void)state;
    json_t *doc = hc_test_load_json("vc/vc-jwt-generated/did-web-issuer.example.org-ddcc.did.json");
    collect c = { 0 };
    char why[200];
    assert_int_equal(hc_did_doc_foreach(doc, on_method, &c, NULL, why, sizeof why), HC_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.fragment, "u7vrjwUEqr4_WVk1nfCx7nhirx2CrSvP9yUbAN4FNiQ");
    EVP_PKEY_free(c.first);
    /* A key of another DID, and a reference to a missing method, are skipped. */
    json_t *other = json_deep_copy(doc);
    json_array_set_new(
        json_object_get(other, "assertionMethod"), 0,
        json_string("did:web:evil.example#u7vrjwUEqr4_WVk1nfCx7nhirx2CrSvP9yUbAN4FNiQ"));
    json_array_append_new(json_object_get(other, "assertionMethod"), json_string("#no-such-key"));
    hc_did_doc_report rep;
    memset(&c, 0, sizeof c);
    assert_int_equal(hc_did_doc_foreach(other, on_method, &c, &rep, why, sizeof why), HC_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(rep.skipped, 2);
    /* No assertionMethod, no id: not usable documents. */
    json_object_del(other, "assertionMethod");
    assert_int_equal(hc_did_doc_foreach(other, on_method, &c, NULL, why, sizeof why),
                     HC_ERR_TRUST_INVALID);
    json_object_set_new(other, "id", json_string("not a did"));
    assert_int_equal(hc_did_doc_foreach(other, on_method, &c, NULL, why, sizeof why),
                     HC_ERR_TRUST_INVALID);
    json_decref(other);
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_did_key_vectors),    cmocka_unit_test(test_did_key_refusals),
        cmocka_unit_test(test_did_syntax_and_web), cmocka_unit_test(test_did_web_location),
        cmocka_unit_test(test_did_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
