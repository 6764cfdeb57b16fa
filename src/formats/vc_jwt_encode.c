/* vc_jwt_encode.c: issuing VC-JWTs (see vc_jwt_encode.h). */
#include "vc_jwt_encode.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "did_doc.h"
#include "hctime.h"
#include "inflate.h"
#include "jws.h"
#include "shc_numeric.h"

#define VC_CONTEXT_V1 "https://www.w3.org/2018/credentials/v1"
#define DAY_MS        (86400LL * 1000)

void
hc_vc_issue_result_clear(hc_vc_issue_result *r)
{
    if (r != NULL) {
        free(r->jwt);
        free(r->qr);
        json_decref(r->claims);
        memset(r, 0, sizeof *r);
    }
}

/* "urn:uuid:" + a random (version 4) UUID (RFC 4122 §4.4). */
static bool
random_urn(char out[46])
{
    uint8_t b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        return false;
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10 */
    snprintf(out, 46,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return true;
}

/* The vc claim from input: a credential (defaults filled in) or a bare subject. */
static json_t *
make_vc(const json_t *input, const char *extra_type)
{
    json_t *vc;
    if (json_object_get(input, "credentialSubject") != NULL) {
        vc = json_deep_copy(input);
    } else {
        vc = json_pack("{s:O}", "credentialSubject", input);
    }
    if (vc == NULL) {
        return NULL;
    }
    if (json_object_get(vc, "@context") == NULL) {
        json_object_set_new(vc, "@context", json_pack("[s]", VC_CONTEXT_V1));
    }
    json_t *types = json_object_get(vc, "type");
    if (types == NULL) {
        types = json_pack("[s]", "VerifiableCredential");
        json_object_set_new(vc, "type", types);
    }
    if (extra_type != NULL && json_is_array(types)) {
        json_array_append_new(types, json_string(extra_type));
    }
    /* VC DM 1.1 §6.3.1: iss, nbf, exp, jti and sub carry issuer, issuanceDate, expirationDate,
     * id and credentialSubject.id; the JWT claims are authoritative, so the copies go. */
    json_object_del(vc, "issuer");
    json_object_del(vc, "issuanceDate");
    json_object_del(vc, "expirationDate");
    return vc;
}

/* Signs claims with header {alg, typ, kid[, zip]} and, for zip, deflates first. */
static hc_err
sign(const hc_jose_signer *s, const json_t *claims, const char *kid, bool zip, char **out,
     size_t *out_len)
{
    char *text = json_dumps(claims, JSON_COMPACT | JSON_PRESERVE_ORDER);
    uint8_t *body = NULL;
    size_t len = text != NULL ? strlen(text) : 0, n = len;
    hc_err e = HC_ERR_NOMEM;
    json_t *h = NULL;
    if (text == NULL) {
        return e;
    }
    if (zip) {
        body = malloc(hc_deflate_bound(len));
        if (body == NULL || hc_deflate(HC_DEFLATE_RAW, (const uint8_t *)text, len, body,
                                       hc_deflate_bound(len), &n) != HC_OK) {
            goto done;
        }
        h = json_pack("{s:s, s:s, s:s, s:s}", "zip", "DEF", "alg", hc_jwk_alg_name(s->alg), "typ",
                      "JWT", "kid", kid);
    } else {
        h = json_pack("{s:s, s:s, s:s}", "alg", hc_jwk_alg_name(s->alg), "typ", "JWT", "kid", kid);
    }
    if (h != NULL) {
        e = hc_jws_sign(h, zip ? body : (const uint8_t *)text, n, s->key, s->alg, out, out_len);
    }
done:
    json_decref(h);
    free(body);
    free(text);
    return e;
}

hc_err
hc_vc_jwt_issue(const hc_jose_signer *s, const json_t *input, const hc_vc_issue_options *opt,
                hc_vc_issue_result *out, char *msg, size_t msg_len)
{
    char jti[46];
    hc_err e;
    if (s == NULL || input == NULL || opt == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (!json_is_object(input)) {
        snprintf(msg, msg_len, "the input is not a JSON object (a credential or its subject)");
        return HC_ERR_SCHEMA_INVALID;
    }
    const char *iss = opt->iss != NULL ? opt->iss : s->did_key;
    if (!hc_did_valid(iss, strlen(iss))) {
        snprintf(msg, msg_len, "the issuer must be a DID (did:key, did:web)");
        return HC_ERR_INVALID_ARG;
    }
    if (strncmp(iss, "did:key:", 8) == 0) {
        if (strcmp(iss, s->did_key) != 0) {
            snprintf(msg, msg_len, "a did:key issuer must be the signing key's own DID (%s)",
                     s->did_key);
            return HC_ERR_INVALID_ARG;
        }
        snprintf(out->kid, sizeof out->kid, "%s#%s", iss, iss + 8);
    } else {
        snprintf(out->kid, sizeof out->kid, "%s#%s", iss, s->thumbprint);
    }
    json_t *vc = make_vc(input, opt->type);
    if (vc == NULL || !random_urn(jti)) {
        json_decref(vc);
        return HC_ERR_NOMEM;
    }
    int64_t nbf = opt->has_time ? opt->time_ms : hc_time_now();
    out->claims =
        json_pack("{s:s, s:I, s:s}", "iss", iss, "nbf", (json_int_t)(nbf / 1000), "jti", jti);
    if (out->claims == NULL) {
        json_decref(vc);
        return HC_ERR_NOMEM;
    }
    if (opt->validity_days > 0) {
        json_object_set_new(out->claims, "exp",
                            json_integer((json_int_t)((nbf + opt->validity_days * DAY_MS) / 1000)));
    }
    const char *sub =
        json_string_value(json_object_get(json_object_get(vc, "credentialSubject"), "id"));
    if (sub != NULL) {
        json_object_set_new(out->claims, "sub", json_string(sub));
    }
    json_object_set_new(out->claims, "vc", vc);
    e = sign(s, out->claims, out->kid, false, &out->jwt, NULL);
    if (e == HC_OK) {
        char *zipped = NULL;
        size_t zlen = 0;
        e = sign(s, out->claims, out->kid, true, &zipped, &zlen);
        if (e == HC_OK && zlen <= HC_SHC_MAX_SINGLE_JWS) {
            size_t cap = 2 * zlen + 16, qlen = 0;
            out->qr = malloc(cap);
            if (out->qr == NULL) {
                e = HC_ERR_NOMEM;
            } else {
                memcpy(out->qr, "vc-jwt:/", 8);
                e = hc_shc_numeric_encode(zipped, zlen, out->qr + 8, cap - 8, &qlen);
            }
        } else if (e == HC_OK) {
            snprintf(msg, msg_len,
                     "the compressed credential is %zu characters: more than one QR code holds "
                     "(%d); only the JWT is made",
                     zlen, HC_SHC_MAX_SINGLE_JWS);
        }
        free(zipped);
    }
    if (e != HC_OK) {
        hc_vc_issue_result_clear(out);
    }
    return e;
}
