/* vdsnc_encode.c: issuing ICAO VDS-NC seals (vdsnc_encode.h). */
#include "vdsnc_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "format_schema.h"
#include "hc_limits.h"
#include "hc_msg.h"
#include "jcs.h"
#include "sig.h"
#include "vdsnc.h"
#include "x509_info.h"

/* The model of data's message type, or NULL. */
static const char *
model_of(const json_t *data)
{
    const char *t = json_string_value(json_object_get(json_object_get(data, "hdr"), "t"));
    if (t != NULL && strcmp(t, "icao.vacc") == 0) {
        return HC_MODEL_ICAO_VACC;
    }
    if (t != NULL && strcmp(t, "icao.test") == 0) {
        return HC_MODEL_ICAO_TEST;
    }
    return NULL;
}

/* base64url without padding (the form the ICAO examples use) of in, as a new JSON string. */
static json_t *
b64url(const uint8_t *in, size_t len)
{
    size_t cap = HC_BASE64_ENCODED_MAX(len), n = 0;
    char *s = malloc(cap);
    json_t *j = NULL;
    if (s != NULL && hc_base64_encode(in, len, true, s, cap, &n) == HC_OK) {
        j = json_stringn(s, n);
    }
    free(s);
    return j;
}

hc_err
hc_vdsnc_issue(const json_t *data, X509 *cert, EVP_PKEY *key, int64_t now_ms, char **seal,
               char *msg, size_t msg_len)
{
    hc_cert_info ci;
    const char *why = NULL;
    char *jcs = NULL;
    size_t jcs_len = 0, sig_len = 0, out_len = 0;
    uint8_t sig[HC_SIG_MAX_LEN];
    unsigned char *der = NULL;
    json_t *root = NULL;

    *seal = NULL;
    if (data == NULL || cert == NULL || key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    const char *model = json_is_object(data) ? model_of(data) : NULL;
    if (model == NULL) {
        hc_msgf(msg, msg_len,
                "hdr.t: must be icao.vacc or icao.test (the input is the seal's "
                "\"data\": {\"hdr\", \"msg\"})");
        return HC_ERR_SCHEMA_INVALID;
    }
    char err_text[200];
    hc_err err = hc_format_schema_validate(model, data, err_text, sizeof err_text);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "%s", err == HC_ERR_SCHEMA_INVALID ? err_text : "model unavailable");
        return err;
    }
    if (hc_cert_info_from_x509_reason(cert, &ci, &why) != HC_OK) {
        hc_msgf(msg, msg_len, "the signer certificate is unusable: %s", why ? why : "unsupported");
        return HC_ERR_KEY_INVALID;
    }
    hc_sig_alg alg = hc_sig_alg_for_key(key);
    if (hc_vdsnc_alg_name(alg) == NULL) {
        hc_msgf(msg, msg_len, "VDS-NC seals are signed with ECDSA P-256, P-384 or P-521 keys only");
        return HC_ERR_KEY_INVALID;
    }
    if (EVP_PKEY_eq(X509_get0_pubkey(cert), key) != 1) {
        hc_msgf(msg, msg_len, "the private key does not belong to the signer certificate");
        return HC_ERR_KEY_INVALID;
    }
    if (now_ms < ci.not_before || now_ms > ci.not_after) {
        hc_msgf(msg, msg_len, "the signer certificate is not valid at the issuing time");
        return now_ms < ci.not_before ? HC_ERR_KEY_NOT_YET_VALID : HC_ERR_KEY_EXPIRED;
    }
    /* The signing input: RFC 8785 canonical form of data (VDS-NC §"Signature"). */
    err = hc_jcs_serialize(data, HC_MAX_QR_TEXT, &jcs, &jcs_len);
    if (err == HC_ERR_INPUT_TOO_LARGE) {
        hc_msgf(msg, msg_len, "the data is too large for a QR code");
        return HC_ERR_SCHEMA_INVALID;
    }
    if (err == HC_OK) {
        err = hc_sig_sign(key, alg, (const uint8_t *)jcs, jcs_len, sig, sizeof sig, &sig_len);
    }
    int der_len = err == HC_OK ? i2d_X509(cert, &der) : 0;
    if (err == HC_OK && der_len <= 0) {
        err = HC_ERR_INTERNAL;
    }
    if (err == HC_OK) {
        json_t *s = json_object();
        json_object_set_new(s, "alg", json_string(hc_vdsnc_alg_name(alg)));
        json_object_set_new(s, "cer", b64url(der, (size_t)der_len));
        json_object_set_new(s, "sigvl", b64url(sig, sig_len));
        root = json_object();
        json_object_set_new(root, "data", json_deep_copy(data));
        json_object_set_new(root, "sig", s);
        if (json_object_size(s) != 3 || json_object_size(root) != 2) {
            err = HC_ERR_NOMEM;
        }
    }
    if (err == HC_OK) {
        /* The whole seal in canonical form: compact and the same bytes for the same input. */
        err = hc_jcs_serialize(root, HC_MAX_QR_TEXT, seal, &out_len);
        if (err == HC_ERR_INPUT_TOO_LARGE) {
            hc_msgf(msg, msg_len, "the seal is too large for a QR code");
            err = HC_ERR_SCHEMA_INVALID;
        }
    }
    OPENSSL_free(der);
    json_decref(root);
    free(jcs);
    return err;
}
