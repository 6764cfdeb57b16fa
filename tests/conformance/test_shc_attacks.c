/*
 * test_shc_attacks.c: hostile SMART Health Cards and VC-JWTs through the public verify path, one
 * case per entry of shared/reference/security.md §3 H1-H16 (and the I-cases that apply to
 * VC-JWTs), each signed for real with a test key where the case needs a valid signature.
 * Invariants: nothing crashes, no case says VALID, every case gets its stable error code
 * (shared/CONTRACT.md).
 */
#include "jose_test_util.h"

#include <openssl/ec.h>

#include "did_key.h"
#include "trust_store.h"

#define ISS "https://issuer.example.org"
#define NOW "2024-06-01T00:00:00Z"
#define NBF "1700000000"
/* A minimal valid card payload, with "%s" for extra vc members. */
#define CARD_FMT                                                                                 \
    "{\"iss\":\"" ISS "\",\"nbf\":" NBF ",\"vc\":{\"type\":[\"https://smarthealth.cards#health-" \
    "card\"],\"credentialSubject\":{\"fhirVersion\":\"4.0.1\",\"fhirBundle\":{\"resourceType\":" \
    "\"Bundle\",\"type\":\"collection\",\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":{"   \
    "\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\"]}],"         \
    "\"birthDate\":\"1990-01-01\"}},{\"fullUrl\":\"resource:1\",\"resource\":{\"resourceType\":" \
    "\"Immunization\",\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":"        \
    "\"http://hl7.org/fhir/sid/cvx\",\"code\":\"207\"}]},\"patient\":{\"reference\":"            \
    "\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\"}}]}}%s}}"

static EVP_PKEY *key, *other_key, *ed_key;
static char kid[HC_JWK_THUMBPRINT_LEN], other_kid[HC_JWK_THUMBPRINT_LEN], ed_kid[44];
static hc_trust_store *trust;
static char dir[] = "/tmp/hc-shc-attacks-XXXXXX";

/* template with "KID" replaced by k. */
static void
subst(const char *template, const char *k, char *out, size_t cap)
{
    const char *at = strstr(template, "KID");
    if (at == NULL) {
        snprintf(out, cap, "%s", template);
        return;
    }
    snprintf(out, cap, "%.*s%s%s", (int)(at - template), template, k, at + 3);
}

/* The standard SHC header for kid. */
static char *
header_for(const char *k)
{
    static char h[200];
    subst("{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\"}", k, h, sizeof h);
    return h;
}

/* A card payload with extra vc members (",\"rid\":\"...\"" or ""). */
static char *
card(const char *extra)
{
    static char p[4096];
    snprintf(p, sizeof p, CARD_FMT, extra);
    return p;
}

/* Verifies text (a bare JWS, or wrapped as shc:/ when qr) at NOW; expects code (NULL: VALID). */
static void
expect(const char *name, const char *text, bool qr, const char *code)
{
    hc_verdict vd;
    char *in = qr ? jt_shc_qr(text) : strdup(text);
    jt_verify(trust, NOW, in, strlen(in), &vd);
    bool ok = code == NULL ? vd.valid : (!vd.valid && jt_has_code(&vd, code));
    if (!ok) {
        fail_msg("%s: expected %s, got %s (%s)", name, code ? code : "VALID", jt_codes(&vd),
                 vd.n_errors ? vd.errors[0].message : "");
    }
    hc_verdict_clear(&vd);
    free(in);
}

static void
write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup(void **state)
{
    (void)state;
    key = EVP_EC_gen("P-256");
    other_key = EVP_EC_gen("P-256");
    ed_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_int_equal(hc_jwk_thumbprint(key, kid), HC_OK);
    assert_int_equal(hc_jwk_thumbprint(other_key, other_kid), HC_OK);
    assert_non_null(mkdtemp(dir));
    /* Trust: key bound to ISS (snapshot form), other_key bound to another issuer, an Ed25519 key
     * listed under a P-256 style kid, and a revocation list for key. */
    json_t *k1 = hc_jwk_from_key(key, false), *k2 = hc_jwk_from_key(other_key, false);
    json_object_set_new(k1, "crlVersion", json_integer(2));
    json_t *snap = json_pack("{s:[{s:{s:s}, s:[o], s:[{s:s, s:s, s:i, s:[s, s]}]}, {s:{s:s}, "
                             "s:[o]}]}",
                             "issuerInfo", "issuer", "iss", ISS, "keys", k1, "crls", "kid", kid,
                             "method", "rid", "ctr", 2, "rids", "revoked1", "until.1700000001",
                             "issuer", "iss", "https://other.example.org", "keys", k2);
    char *text = json_dumps(snap, 0);
    write_file("snapshot.json", text);
    free(text);
    json_decref(snap);
    json_t *ed = hc_jwk_from_key(ed_key, false);
    snprintf(ed_kid, sizeof ed_kid, "%s", json_string_value(json_object_get(ed, "kid")));
    json_t *jwks = json_pack("{s:[o]}", "keys", ed);
    text = json_dumps(jwks, 0);
    write_file("ed.jwks.json", text);
    free(text);
    json_decref(jwks);
    trust = hc_trust_store_new();
    char path[256], msg[256];
    snprintf(path, sizeof path, "%s/snapshot.json", dir);
    assert_int_equal(hc_trust_store_add_path(trust, path, msg, sizeof msg), HC_OK);
    snprintf(path, sizeof path, "%s/ed.jwks.json", dir);
    assert_int_equal(hc_trust_store_add_path(trust, path, msg, sizeof msg), HC_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    hc_trust_store_free(trust);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other_key);
    EVP_PKEY_free(ed_key);
    return 0;
}

static void
test_valid_baseline(void **state)
{
    (void)state;
    char *jws = jt_jws_of(header_for(kid), card(""), strlen(card("")), true, key, HC_SIG_ES256);
    expect("valid card (bare JWS)", jws, false, NULL);
    expect("valid card (QR)", jws, true, NULL);
    free(jws);
}

/* H1-H5: the numeric QR text and chunks. */
static void
test_numeric_and_chunks(void **state)
{
    (void)state;
    expect("H1 odd digit count", "shc:/567", false, "ENCODING_INVALID");
    expect("H2 pair over 77", "shc:/5678", false, "ENCODING_INVALID");
    expect("H3 non-digit", "shc:/56a6", false, "ENCODING_INVALID");
    expect("H3 upper-case prefix", "SHC:/5676", false, "PREFIX_UNKNOWN");
    expect("H3 prefix without slash", "shc:5676", false, "PREFIX_UNKNOWN");
    expect("H4 1/1 on one code", "shc:/1/1/5676", false, "STRUCTURE_INVALID");
    expect("H4 index 0", "shc:/0/2/5676\nshc:/2/2/5676", false, "STRUCTURE_INVALID");
    expect("H4 index out of range", "shc:/3/2/5676\nshc:/2/2/5676", false, "STRUCTURE_INVALID");
    expect("H4 duplicate index", "shc:/1/2/5676\nshc:/1/2/5676", false, "STRUCTURE_INVALID");
    expect("H4 missing chunk", "shc:/1/3/5676\nshc:/3/3/5676", false, "STRUCTURE_INVALID");
    expect("H4 mixed totals", "shc:/1/2/5676\nshc:/2/3/5676", false, "STRUCTURE_INVALID");
    expect("H4 header on some lines only", "shc:/1/2/5676\nshc:/5676", false, "STRUCTURE_INVALID");
    expect("H4 leading zero", "shc:/01/2/5676\nshc:/2/2/5676", false, "STRUCTURE_INVALID");
    char many[2048] = "";
    for (int i = 1; i <= 11; i++) {
        char line[40];
        snprintf(line, sizeof line, "shc:/%d/11/5676\n", i);
        strcat(many, line);
    }
    expect("more than 10 chunks", many, false, "STRUCTURE_INVALID");
    /* A chunk over 1191 JWS characters (2382 digits). */
    char *big = malloc(2 * 1200 + 40);
    strcpy(big, "shc:/1/2/");
    for (int i = 0; i < 1200; i++) {
        strcat(big, "56");
    }
    strcat(big, "\nshc:/2/2/5676");
    expect("chunk over 1191 characters", big, false, "STRUCTURE_INVALID");
    free(big);
    /* H5: 8 KiB of JWS in one code. */
    char *huge = malloc(5 + 16384 + 1);
    strcpy(huge, "shc:/");
    memset(huge + 5, '5', 16384);
    huge[5 + 16384] = '\0';
    expect("H5 8 KiB JWS in one code", huge, false, "INPUT_TOO_LARGE");
    free(huge);
    expect("empty after prefix", "shc:/", false, "STRUCTURE_INVALID");
}

/* H6-H8, H13, H14: the JWS and its header. */
static void
test_jws_and_header(void **state)
{
    (void)state;
    const char *p = card("");
    size_t n = strlen(p);
    char *good = jt_jws_of(header_for(kid), p, n, true, key, HC_SIG_ES256);
    char text[8192];
    /* H6 */
    snprintf(text, sizeof text, "%s.AAAA", good);
    expect("H6 four parts", text, false, "STRUCTURE_INVALID");
    snprintf(text, sizeof text, "%s", good);
    *strrchr(text, '.') = '\0';
    expect("H6 two parts", text, false, "STRUCTURE_INVALID");
    snprintf(text, sizeof text, "%s=", good);
    expect("H6 padding", text, false, "ENCODING_INVALID");
    snprintf(text, sizeof text, "%s", good);
    text[30] = '+';
    expect("H6 '+' character", text, false, "ENCODING_INVALID");
    /* H7: algorithms. */
    struct {
        const char *header;
        const char *code;
    } h[] = {
        { "{\"zip\":\"DEF\",\"alg\":\"none\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"alg\":\"HS256\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"alg\":\"RS256\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES384\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"alg\":\"es256\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        { "{\"zip\":\"DEF\",\"alg\":\"EdDSA\",\"kid\":\"KID\"}", "ALG_UNSUPPORTED" },
        /* H8 */
        { "{\"zip\":\"GZIP\",\"alg\":\"ES256\",\"kid\":\"KID\"}", "STRUCTURE_INVALID" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\",\"crit\":[\"x\"]}",
          "STRUCTURE_INVALID" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\",\"b64\":false}",
          "STRUCTURE_INVALID" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\",\"jku\":\"https://evil\"}",
          "STRUCTURE_INVALID" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\",\"x5u\":\"https://evil\"}",
          "STRUCTURE_INVALID" },
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"KID\",\"alg\":\"none\"}",
          "STRUCTURE_INVALID" },
        /* H9: kid */
        { "{\"zip\":\"DEF\",\"alg\":\"ES256\"}", "KID_MISSING" },
    };
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
        char header[256], name[64];
        subst(h[i].header, kid, header, sizeof header);
        char *jws = jt_jws_of(header, p, n, true, key, HC_SIG_ES256);
        snprintf(name, sizeof name, "header %zu", i);
        expect(name, jws, true, h[i].code);
        free(jws);
    }
    /* No zip header over a deflated payload, and a plain payload without zip. */
    char *nozip = jt_jws_of("{\"alg\":\"ES256\",\"kid\":\"x\"}", p, n, true, key, HC_SIG_ES256);
    expect("H8 zip missing (deflated payload)", nozip, true, "STRUCTURE_INVALID");
    free(nozip);
    subst("{\"alg\":\"ES256\",\"kid\":\"KID\"}", kid, text, sizeof text);
    nozip = jt_jws_of(text, p, n, false, key, HC_SIG_ES256);
    expect("H8 zip missing (plain payload)", nozip, false, "STRUCTURE_INVALID");
    free(nozip);
    /* H13: a DER signature (a valid one, converted) and a short one. */
    const char *dot = strrchr(good, '.');
    uint8_t raw[64], der[80];
    size_t rn = 0, dn = 0;
    assert_int_equal(hc_base64_decode(dot + 1, strlen(dot + 1), true, raw, sizeof raw, &rn), HC_OK);
    assert_int_equal(hc_sig_raw_to_der(raw, rn, der, sizeof der, &dn), HC_OK);
    char *ds = jt_b64(der, dn);
    snprintf(text, sizeof text, "%.*s.%s", (int)(dot - good), good, ds);
    free(ds);
    expect("H13 DER signature", text, true, "SIGNATURE_INVALID");
    snprintf(text, sizeof text, "%.*s.AAAA", (int)(dot - good), good);
    expect("H13 short signature", text, true, "SIGNATURE_INVALID");
    /* H14: one bit of the signature. */
    snprintf(text, sizeof text, "%s", good);
    size_t last = strlen(text) - 10;
    text[last] = text[last] == 'A' ? 'B' : 'A';
    expect("H14 signature bit flip", text, true, "SIGNATURE_INVALID");
    /* A signature by another key under our kid. */
    char *forged = jt_jws_of(header_for(kid), p, n, true, other_key, HC_SIG_ES256);
    expect("forged with another key", forged, true, "SIGNATURE_INVALID");
    free(forged);
    /* r = s = 0 ("Psychic Signatures", CVE-2022-21449). */
    char *zero = jt_jws_of(header_for(kid), p, n, true, key, HC_SIG_NONE);
    expect("r = s = 0", zero, true, "SIGNATURE_INVALID");
    free(zero);
    free(good);
}

/* H9-H11: keys and issuers. */
static void
test_keys_and_issuers(void **state)
{
    (void)state;
    const char *p = card("");
    size_t n = strlen(p);
    char *jws = jt_jws_of(header_for("0000000000000000000000000000000000000000000"), p, n, true,
                          key, HC_SIG_ES256);
    expect("H9 unknown kid", jws, true, "KEY_NOT_TRUSTED");
    free(jws);
    /* H9: the kid of another issuer's key (vci-directory#9): never tried for this issuer. */
    jws = jt_jws_of(header_for(other_kid), p, n, true, other_key, HC_SIG_ES256);
    expect("H9 kid of another issuer", jws, true, "ISSUER_MISMATCH");
    free(jws);
    /* Alg / key mismatch: an Ed25519 key under the kid, an ES256 header. */
    jws = jt_jws_of(header_for(ed_kid), p, n, true, key, HC_SIG_ES256);
    expect("ES256 header, Ed25519 key", jws, true, "ALG_UNSUPPORTED");
    free(jws);
}

/* H12, H15 and the payload rules. */
static void
test_payload(void **state)
{
    (void)state;
    struct {
        const char *name, *payload, *code;
    } c[] = {
        { "H12 byte order mark", "\xef\xbb\xbf{\"iss\":\"" ISS "\"}", "STRUCTURE_INVALID" },
        { "H12 trailing bytes", "{\"iss\":\"" ISS "\"} x", "STRUCTURE_INVALID" },
        { "H12 invalid JSON", "{\"iss\":", "STRUCTURE_INVALID" },
        { "H12 duplicate iss", "{\"iss\":\"" ISS "\",\"iss\":\"" ISS "\"}", "STRUCTURE_INVALID" },
        { "not an object", "[\"" ISS "\"]", "STRUCTURE_INVALID" },
        { "a JSON string", "\"double-stringified\"", "STRUCTURE_INVALID" },
        { "H15 nbf 1e400", "{\"iss\":\"" ISS "\",\"nbf\":1e400}", "STRUCTURE_INVALID" },
        { "H15 nbf -1", "{\"iss\":\"" ISS "\",\"nbf\":-1,\"vc\":{}}", "STRUCTURE_INVALID" },
        { "H15 nbf string", "{\"iss\":\"" ISS "\",\"nbf\":\"1700000000\"}", "STRUCTURE_INVALID" },
        { "no nbf", "{\"iss\":\"" ISS "\",\"vc\":{}}", "STRUCTURE_INVALID" },
        { "no iss", "{\"nbf\":1}", "STRUCTURE_INVALID" },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char *jws =
            jt_jws_of(header_for(kid), c[i].payload, strlen(c[i].payload), true, key, HC_SIG_ES256);
        expect(c[i].name, jws, true, c[i].code);
        free(jws);
    }
    /* H12: depth > 64. */
    char deep[400] = "{\"iss\":\"" ISS "\",\"x\":";
    for (int i = 0; i < 70; i++) {
        strcat(deep, "[");
    }
    for (int i = 0; i < 70; i++) {
        strcat(deep, "]");
    }
    strcat(deep, "}");
    char *jws = jt_jws_of(header_for(kid), deep, strlen(deep), true, key, HC_SIG_ES256);
    expect("H12 nested deeper than 64", jws, true, "INPUT_TOO_LARGE");
    free(jws);
    /* Card contents. */
    struct {
        const char *name, *from, *to, *code;
    } m[] = {
        { "vc.type without health-card", "https://smarthealth.cards#health-card",
          "https://smarthealth.cards#covid19", "SCHEMA_INVALID" },
        { "immunization not completed", "\"status\":\"completed\"", "\"status\":\"not-done\"",
          "SCHEMA_INVALID" },
        { "immunization without a code", "\"coding\":[{\"system\"", "\"coding\":[{\"sys\"",
          "SCHEMA_INVALID" },
        { "a second patient", "\"resourceType\":\"Immunization\"", "\"resourceType\":\"Patient\"",
          "SCHEMA_INVALID" },
        { "not a bundle", "\"resourceType\":\"Bundle\"", "\"resourceType\":\"Patient\"",
          "SCHEMA_INVALID" },
        /* H10: the key is bound to https://issuer.example.org, so another iss string is a
         * mismatch; the URL form is checked too. */
        { "iss http", "\"iss\":\"https://", "\"iss\":\"http://", "ISSUER_MISMATCH" },
        { "iss trailing slash", "example.org\"", "example.org/\"", "SCHEMA_INVALID" },
        { "not yet valid", "\"nbf\":" NBF, "\"nbf\":1900000000", "NOT_YET_VALID" },
        { "expired", "\"nbf\":" NBF, "\"nbf\":" NBF ",\"exp\":1700000100", "EXPIRED" },
        { "exp before nbf", "\"nbf\":" NBF, "\"nbf\":" NBF ",\"exp\":1690000000", "EXPIRED" },
        { "nbf in milliseconds", "\"nbf\":" NBF, "\"nbf\":1700000000000", "NOT_YET_VALID" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        char payload[4096];
        snprintf(payload, sizeof payload, "%s", card(""));
        char *at = strstr(payload, m[i].from);
        assert_non_null(at);
        char rest[4096];
        snprintf(rest, sizeof rest, "%s", at + strlen(m[i].from));
        snprintf(at, sizeof payload - (size_t)(at - payload), "%s%s", m[i].to, rest);
        jws = jt_jws_of(header_for(kid), payload, strlen(payload), true, key, HC_SIG_ES256);
        expect(m[i].name, jws, true, m[i].code);
        free(jws);
    }
}

/* B-cases for raw DEFLATE: bombs, truncation, trailing bytes. */
static void
test_deflate(void **state)
{
    (void)state;
    /* White space after a valid card: 128 KiB passes the 64 KiB QR bound, 1 MiB the 256 KiB
     * bound of a bare JWS; both compress to a few hundred bytes. */
    const size_t sizes[] = { 128 * 1024, 1024 * 1024 };
    for (int i = 0; i < 2; i++) {
        size_t n = sizes[i];
        char *bomb = malloc(n + 1);
        strcpy(bomb, card(""));
        memset(bomb + strlen(bomb), ' ', n - strlen(bomb));
        bomb[n] = '\0';
        char *jws = jt_jws_of(header_for(kid), bomb, n, true, key, HC_SIG_ES256);
        expect(i == 0 ? "B zip bomb (QR)" : "B zip bomb (bare JWS)", jws, i == 0,
               "DECOMPRESS_FAILED");
        free(jws);
        free(bomb);
    }
    /* Truncated and trailing-garbage DEFLATE streams. */
    const char *p = card("");
    uint8_t def[4096];
    size_t dn = 0;
    assert_int_equal(
        hc_deflate(HC_DEFLATE_RAW, (const uint8_t *)p, strlen(p), def, sizeof def, &dn), HC_OK);
    for (int variant = 0; variant < 2; variant++) {
        size_t len = variant == 0 ? dn / 2 : dn + 3;
        if (variant == 1) {
            memcpy(def + dn, "xyz", 3);
        }
        char *h = jt_b64(header_for(kid), strlen(header_for(kid))), *b = jt_b64(def, len);
        char text[8192];
        snprintf(text, sizeof text, "%s.%s", h, b);
        uint8_t sig[64];
        size_t sl = 0;
        assert_int_equal(hc_sig_sign(key, HC_SIG_ES256, (const uint8_t *)text, strlen(text), sig,
                                     sizeof sig, &sl),
                         HC_OK);
        char *s = jt_b64(sig, sl);
        strcat(text, ".");
        strcat(text, s);
        expect(variant == 0 ? "B truncated DEFLATE" : "B bytes after the DEFLATE stream", text,
               true, "DECOMPRESS_FAILED");
        free(h);
        free(b);
        free(s);
    }
}

/* Revocation by rid (SHC spec §"Revocation"). */
static void
test_revocation(void **state)
{
    (void)state;
    struct {
        const char *rid, *code;
    } c[] = {
        { ",\"rid\":\"revoked1\"", "REVOKED" },
        { ",\"rid\":\"until\"", "REVOKED" }, /* nbf 1700000000 < 1700000001 */
        { ",\"rid\":\"notlisted\"", NULL },
        { ",\"rid\":\"this-rid-is-longer-than-24\"", "SCHEMA_INVALID" },
        { ",\"rid\":\"no spaces\"", "SCHEMA_INVALID" },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        const char *p = card(c[i].rid);
        char *jws = jt_jws_of(header_for(kid), p, strlen(p), true, key, HC_SIG_ES256);
        expect(c[i].rid, jws, true, c[i].code);
        free(jws);
    }
    /* rid.<timestamp> revokes only cards issued before it. */
    char payload[4096];
    snprintf(payload, sizeof payload, "%s", card(",\"rid\":\"until\""));
    char *nbf = strstr(payload, NBF);
    memcpy(nbf, "1700000002", 10);
    char *jws = jt_jws_of(header_for(kid), payload, strlen(payload), true, key, HC_SIG_ES256);
    expect("rid.timestamp before nbf", jws, true, NULL);
    free(jws);
    /* A list older than the key's crlVersion: could not check (not a verdict). */
    json_t *k = hc_jwk_from_key(key, false);
    json_object_set_new(k, "crlVersion", json_integer(5));
    json_t *snap =
        json_pack("{s:[{s:{s:s}, s:[o], s:[{s:s, s:s, s:i, s:[]}]}]}", "issuerInfo", "issuer",
                  "iss", ISS, "keys", k, "crls", "kid", kid, "method", "rid", "ctr", 4, "rids");
    char *text = json_dumps(snap, 0);
    hc_trust_store *ts = hc_trust_store_new();
    assert_int_equal(
        hc_trust_store_add_buffer(ts, (const uint8_t *)text, strlen(text), "stale", NULL, 0),
        HC_OK);
    const char *p = card(",\"rid\":\"abc\"");
    jws = jt_jws_of(header_for(kid), p, strlen(p), true, key, HC_SIG_ES256);
    hc_verdict vd;
    assert_int_equal(jt_verify(ts, NOW, jws, strlen(jws), &vd), HC_ERR_TRUST_INVALID);
    assert_false(vd.valid);
    hc_verdict_clear(&vd);
    free(jws);
    free(text);
    json_decref(snap);
    hc_trust_store_free(ts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_baseline), cmocka_unit_test(test_numeric_and_chunks),
        cmocka_unit_test(test_jws_and_header), cmocka_unit_test(test_keys_and_issuers),
        cmocka_unit_test(test_payload),        cmocka_unit_test(test_deflate),
        cmocka_unit_test(test_revocation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
