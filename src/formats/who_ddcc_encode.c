/* who_ddcc_encode.c: issuing WHO DDCC certificates (who_ddcc_encode.h). */
#include "who_ddcc_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "format_schema.h"
#include "hc_limits.h"
#include "hc_msg.h"
#include "sig.h"
#include "x509_info.h"

/* WHO HCert logical model: sub-claims of -260 for the core data sets. */
#define HCERT_SUB_DDCC_VS 3
#define HCERT_SUB_DDCC_TR 4

#define DAY_MS (86400LL * 1000)

hc_err
hc_who_ddcc_prepare(const json_t *core, json_t **out, int *sub, char *msg, size_t msg_len)
{
    char why[200];
    *out = NULL;
    if (!json_is_object(core)) {
        hc_msgf(msg, msg_len, "the input is not a JSON object (a DDCC core data set)");
        return HC_ERR_SCHEMA_INVALID;
    }
    const char *event = json_object_get(core, "vaccination") != NULL ? "vaccination"
                        : json_object_get(core, "test") != NULL      ? "test"
                                                                     : NULL;
    if (event == NULL) {
        hc_msgf(msg, msg_len,
                "the core data set has neither \"vaccination\" (DDCC:VS) nor \"test\" "
                "(DDCC:TR)");
        return HC_ERR_SCHEMA_INVALID;
    }
    json_t *rec = json_deep_copy(core);
    if (rec == NULL) {
        return HC_ERR_NOMEM;
    }
    json_t *ev = json_object_get(rec, event);
    if (json_is_array(ev)) {
        /* The logical model says 1..1; the IG's example instance writes a one-element array. */
        if (json_array_size(ev) != 1) {
            hc_msgf(msg, msg_len,
                    "%s: exactly one event per certificate (the model's 1..1), found %zu", event,
                    json_array_size(ev));
            json_decref(rec);
            return HC_ERR_SCHEMA_INVALID;
        }
        json_object_set(rec, event, json_array_get(ev, 0));
    }
    bool vs = strcmp(event, "vaccination") == 0;
    hc_err e =
        hc_format_schema_validate(vs ? HC_MODEL_DDCC_VS : HC_MODEL_DDCC_TR, rec, why, sizeof why);
    if (e != HC_OK) {
        hc_msgf(msg, msg_len, "%s %s", vs ? "DDCC:VS" : "DDCC:TR",
                e == HC_ERR_SCHEMA_INVALID ? why : "model unavailable");
        json_decref(rec);
        return e;
    }
    *sub = vs ? HCERT_SUB_DDCC_VS : HCERT_SUB_DDCC_TR;
    *out = rec;
    return HC_OK;
}

/* The CWT claims set {1: iss, 4: exp, 6: iat, -260: {sub: rec}} in deterministic CBOR. */
static hc_err
encode_cwt(const json_t *rec, int sub, const char *iss, int64_t iat, int64_t exp, uint8_t *out,
           size_t cap, size_t *out_len)
{
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, out, cap);
    /* Keys in deterministic order (RFC 8949 §4.2.1: by encoded bytes): 01, 04, 06, 39 0103. */
    hc_cbor_put_map(&w, iss != NULL ? 4 : 3);
    if (iss != NULL) {
        hc_cbor_put_int(&w, HC_CWT_ISS);
        hc_cbor_put_text(&w, iss, strlen(iss));
    }
    hc_cbor_put_int(&w, HC_CWT_EXP);
    hc_cbor_put_int(&w, exp);
    hc_cbor_put_int(&w, HC_CWT_IAT);
    hc_cbor_put_int(&w, iat);
    hc_cbor_put_int(&w, HC_CWT_HCERT);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, sub);
    hc_err err = hc_cbor_encode_json(&w, rec);
    if (err != HC_OK) {
        return err;
    }
    return hc_cbor_writer_finish(&w, out_len);
}

hc_err
hc_who_ddcc_issue(const json_t *core, X509 *cert, EVP_PKEY *key,
                  const hc_who_ddcc_issue_options *opt, char **qr, char *msg, size_t msg_len)
{
    hc_cert_info ci;
    json_t *rec = NULL;
    int sub = 0;
    uint8_t *cwt = NULL, *cose = NULL;
    size_t cwt_len = 0, cose_len = 0, qr_len = 0;
    const char *why = NULL;

    *qr = NULL;
    if (cert == NULL || key == NULL || opt == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (hc_cert_info_from_x509_reason(cert, &ci, &why) != HC_OK) {
        hc_msgf(msg, msg_len, "the signing certificate is unusable: %s", why ? why : "unsupported");
        return HC_ERR_KEY_INVALID;
    }
    hc_sig_alg alg = hc_sig_alg_for_key(key);
    if (alg != HC_SIG_ES256 && alg != HC_SIG_PS256) {
        hc_msgf(msg, msg_len, "HCERT signs with ES256 (P-256) or PS256 (RSA) keys only (§3.3.2)");
        return HC_ERR_KEY_INVALID;
    }
    if (EVP_PKEY_eq(X509_get0_pubkey(cert), key) != 1) {
        hc_msgf(msg, msg_len, "the private key does not belong to the signing certificate");
        return HC_ERR_KEY_INVALID;
    }
    hc_err err = hc_who_ddcc_prepare(core, &rec, &sub, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    if (opt->iat_ms < ci.not_before || opt->iat_ms > ci.not_after) {
        hc_msgf(msg, msg_len, "the signing certificate is not valid at the issuing time");
        json_decref(rec);
        return opt->iat_ms < ci.not_before ? HC_ERR_KEY_NOT_YET_VALID : HC_ERR_KEY_EXPIRED;
    }
    char type = sub == HCERT_SUB_DDCC_VS ? 'v' : 't';
    if (!hc_cert_eku_allows(ci.dcc_eku, type)) {
        hc_msgf(msg, msg_len,
                "the signing certificate's extended key usage does not allow %s "
                "certificates",
                type == 'v' ? "vaccination" : "test");
        json_decref(rec);
        return HC_ERR_KEY_USAGE_MISMATCH;
    }
    int days = opt->validity_days > 0 ? opt->validity_days : 365;
    int64_t exp_ms = opt->iat_ms + (int64_t)days * DAY_MS;
    if (exp_ms > ci.not_after) {
        exp_ms = ci.not_after; /* never past the DSC's own end */
    }
    cwt = malloc(HC_MAX_INFLATED);
    cose = malloc(HC_MAX_INFLATED);
    *qr = malloc(HC_MAX_QR_TEXT);
    err = cwt != NULL && cose != NULL && *qr != NULL ? HC_OK : HC_ERR_NOMEM;
    if (err == HC_OK) {
        err = encode_cwt(rec, sub, ci.country[0] ? ci.country : NULL, opt->iat_ms / 1000,
                         exp_ms / 1000, cwt, HC_MAX_INFLATED, &cwt_len);
        if (err == HC_ERR_BUFFER_TOO_SMALL) {
            hc_msgf(msg, msg_len, "the record is too large for a QR code");
            err = HC_ERR_SCHEMA_INVALID;
        }
    }
    if (err == HC_OK) {
        err = hc_cose_sign1_sign(key, alg, ci.kid, sizeof ci.kid, cwt, cwt_len, cose,
                                 HC_MAX_INFLATED, &cose_len);
    }
    if (err == HC_OK) {
        err = hc_hc1_wrap(cose, cose_len, *qr, HC_MAX_QR_TEXT, &qr_len);
        if (err == HC_ERR_BUFFER_TOO_SMALL) {
            hc_msgf(msg, msg_len, "the signed record is too large for a QR code");
            err = HC_ERR_SCHEMA_INVALID;
        }
    }
    free(cwt);
    free(cose);
    json_decref(rec);
    if (err != HC_OK) {
        free(*qr);
        *qr = NULL;
    }
    return err;
}
