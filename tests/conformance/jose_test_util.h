/*
 * jose_test_util.h: helpers of the SMART Health Cards and VC-JWT conformance tests (static, one
 * copy per test program): trust stores from vector paths, verification at a time, JWS signing of
 * a payload as an issuer does (raw DEFLATE + ES256), and the spec example issuer's private key.
 */
#ifndef HC_JOSE_TEST_UTIL_H
#define HC_JOSE_TEST_UTIL_H

#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hctime.h"
#include "healthcert/healthcert.h"
#include "inflate.h"
#include "jwk.h"
#include "jws.h"
#include "shc_numeric.h"
#include "sig.h"
#include "verdict_build.h"

/* The SMART Health Cards spec example issuer (examples/ and most dev-tools fixtures). */
#define SPEC_ISS "https://spec.smarthealth.cards/examples/issuer"
#define SPEC_KID "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"

/* Every helper is static and not every test uses all of them. */
#define JT_FN static __attribute__((unused))

/* A trust store from comma-separated paths under $HC_VECTORS; NULL when one fails to load. */
JT_FN hc_trust_store *
jt_trust(const char *paths, char *msg, size_t msg_len)
{
    hc_trust_store *ts = hc_trust_store_new();
    char list[2048];
    assert_non_null(ts);
    snprintf(list, sizeof list, "%s", paths != NULL ? paths : "");
    for (char *save = NULL, *p = strtok_r(list, ",", &save); p != NULL;
         p = strtok_r(NULL, ",", &save)) {
        if (hc_trust_store_add_path(ts, hc_test_vector_path(p), msg, msg_len) != HC_OK) {
            hc_trust_store_free(ts);
            return NULL;
        }
    }
    return ts;
}

/* Verifies data at the ISO time at (NULL: now) with ts; the verdict into vd. */
JT_FN hc_err
jt_verify(const hc_trust_store *ts, const char *at, const void *data, size_t len, hc_verdict *vd)
{
    hc_verify_options opt;
    memset(&opt, 0, sizeof opt);
    opt.trust = ts;
    if (at != NULL) {
        assert_true(hc_time_parse_iso8601(at, strlen(at), &opt.clock_ms));
        opt.has_clock = true;
    }
    hc_verifier *v = hc_verifier_new(&opt);
    assert_non_null(v);
    hc_err e = hc_verify(v, data, len, vd);
    hc_verifier_free(v);
    return e;
}

/* True when the verdict has an error with this code name. */
JT_FN bool
jt_has_code(const hc_verdict *vd, const char *code)
{
    for (size_t i = 0; i < vd->n_errors; i++) {
        if (strcmp(hc_err_code(vd->errors[i].code), code) == 0) {
            return true;
        }
    }
    return false;
}

/* The verdict's error codes, space-separated, for messages. */
JT_FN const char *
jt_codes(const hc_verdict *vd)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < vd->n_errors && n < sizeof buf; i++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "",
                              hc_err_code(vd->errors[i].code));
    }
    return vd->valid ? "VALID" : buf;
}

/* A private key of the spec issuer's JWKS (issuer.jwks.private.json) by kid. */
JT_FN EVP_PKEY *
jt_spec_private_key(const char *kid)
{
    json_t *jwks = hc_test_load_json("shc/generate-examples/issuer.jwks.private.json");
    EVP_PKEY *key = NULL;
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(jwks, "keys"), i, k)
    {
        const char *id = json_string_value(json_object_get(k, "kid"));
        if (id != NULL && strcmp(id, kid) == 0) {
            assert_int_equal(hc_jwk_private_key(k, &key, NULL, NULL), HC_OK);
        }
    }
    json_decref(jwks);
    assert_non_null(key);
    return key;
}

/* A compact JWS of payload bytes: raw DEFLATE when zip, ES256/EdDSA by the key (malloc'd). */
JT_FN char *
jt_sign(EVP_PKEY *key, const char *kid, const uint8_t *payload, size_t len, bool zip)
{
    uint8_t *deflated = malloc(hc_deflate_bound(len));
    size_t n = len;
    char *jws = NULL;
    hc_sig_alg alg = hc_sig_alg_for_key(key);
    assert_non_null(deflated);
    if (zip) {
        assert_int_equal(
            hc_deflate(HC_DEFLATE_RAW, payload, len, deflated, hc_deflate_bound(len), &n), HC_OK);
    } else {
        memcpy(deflated, payload, len);
    }
    json_t *h =
        zip ? json_pack("{s:s, s:s, s:s}", "zip", "DEF", "alg", hc_jwk_alg_name(alg), "kid", kid)
            : json_pack("{s:s, s:s}", "alg", hc_jwk_alg_name(alg), "kid", kid);
    assert_int_equal(hc_jws_sign(h, deflated, n, key, alg, &jws, NULL), HC_OK);
    json_decref(h);
    free(deflated);
    return jws;
}

/* "shc:/" + numeric form of a JWS (malloc'd). */
JT_FN char *
jt_shc_qr(const char *jws)
{
    size_t n = strlen(jws), out_len = 0;
    char *qr = malloc(2 * n + 8);
    assert_non_null(qr);
    memcpy(qr, "shc:/", 5);
    assert_int_equal(hc_shc_numeric_encode(jws, n, qr + 5, 2 * n + 3, &out_len), HC_OK);
    return qr;
}

/* base64url text of bytes (malloc'd). */
JT_FN char *
jt_b64(const void *data, size_t n)
{
    char *out = malloc(HC_BASE64_ENCODED_MAX(n));
    size_t len = 0;
    assert_int_equal(hc_base64_encode(data, n, true, out, HC_BASE64_ENCODED_MAX(n), &len), HC_OK);
    return out;
}

/* A compact JWS of header text (as given, byte for byte) over payload (deflated when zip), signed
 * by k with alg (HC_SIG_NONE: a signature of 64 zero bytes). */
JT_FN char *
jt_jws_of(const char *header, const char *payload, size_t plen, bool zip, EVP_PKEY *k,
          hc_sig_alg alg)
{
    uint8_t *body = malloc(hc_deflate_bound(plen) + 1);
    size_t blen = plen;
    if (zip) {
        assert_int_equal(hc_deflate(HC_DEFLATE_RAW, (const uint8_t *)payload, plen, body,
                                    hc_deflate_bound(plen), &blen),
                         HC_OK);
    } else {
        memcpy(body, payload, plen);
    }
    char *h = jt_b64(header, strlen(header)), *p = jt_b64(body, blen);
    size_t in_len = strlen(h) + 1 + strlen(p);
    char *out = malloc(in_len + 200);
    snprintf(out, in_len + 200, "%s.%s", h, p);
    uint8_t sig[HC_SIG_MAX_LEN];
    size_t sig_len = 64;
    memset(sig, 0, sizeof sig);
    if (alg != HC_SIG_NONE) {
        assert_int_equal(
            hc_sig_sign(k, alg, (const uint8_t *)out, in_len, sig, sizeof sig, &sig_len), HC_OK);
    }
    char *s = jt_b64(sig, sig_len);
    snprintf(out + in_len, 200, ".%s", s);
    free(h);
    free(p);
    free(s);
    free(body);
    return out;
}

#endif
