/* eu_dcc_encode.c: see eu_dcc_encode.h. */
#include <stdlib.h>
#include <string.h>

#include "base45.h"
#include "cbor.h"
#include "cose.h"
#include "eu_dcc_encode.h"
#include "hc_limits.h"
#include "inflate.h"

hc_err
hc_eu_dcc_encode_cwt(const json_t *dcc, const hc_eu_dcc_claims *claims, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    hc_cbor_writer w;
    hc_cbor_writer_init(&w, out, cap);
    /* Keys in deterministic order (RFC 8949 §4.2.1: by encoded bytes): 01, 04, 06, 39 0103. */
    hc_cbor_put_map(&w, claims->iss ? 4 : 3);
    if (claims->iss) {
        hc_cbor_put_int(&w, HC_CWT_ISS);
        hc_cbor_put_text(&w, claims->iss, strlen(claims->iss));
    }
    hc_cbor_put_int(&w, HC_CWT_EXP);
    hc_cbor_put_int(&w, claims->exp);
    hc_cbor_put_int(&w, HC_CWT_IAT);
    hc_cbor_put_int(&w, claims->iat);
    hc_cbor_put_int(&w, HC_CWT_HCERT);
    hc_cbor_put_map(&w, 1);
    hc_cbor_put_int(&w, HC_HCERT_EU_DCC_V1);
    hc_err err = hc_cbor_encode_json(&w, dcc);
    if (err != HC_OK) {
        return err;
    }
    return hc_cbor_writer_finish(&w, out_len);
}

hc_err
hc_hc1_wrap(const uint8_t *cose, size_t len, char *out, size_t cap, size_t *out_len)
{
    size_t zcap = hc_deflate_bound(len), zlen = 0, blen = 0;
    uint8_t *z = malloc(zcap);
    hc_err err;

    if (z == NULL) {
        return HC_ERR_NOMEM;
    }
    err = hc_deflate(HC_DEFLATE_ZLIB, cose, len, z, zcap, &zlen);
    if (err == HC_OK && cap < 5) {
        err = HC_ERR_BUFFER_TOO_SMALL;
    }
    if (err == HC_OK) {
        memcpy(out, "HC1:", 4);
        err = hc_base45_encode(z, zlen, out + 4, cap - 4, &blen);
    }
    free(z);
    if (err == HC_OK) {
        *out_len = blen + 4;
    }
    return err;
}

hc_err
hc_eu_dcc_encode(const json_t *dcc, const hc_eu_dcc_claims *claims, EVP_PKEY *key, hc_sig_alg alg,
                 const uint8_t kid[8], char *out, size_t cap, size_t *out_len)
{
    uint8_t *cwt = malloc(HC_MAX_INFLATED), *cose = malloc(HC_MAX_INFLATED);
    size_t cwt_len = 0, cose_len = 0;
    hc_err err = HC_ERR_NOMEM;

    if (cwt != NULL && cose != NULL) {
        err = hc_eu_dcc_encode_cwt(dcc, claims, cwt, HC_MAX_INFLATED, &cwt_len);
    }
    if (err == HC_OK) {
        err = hc_cose_sign1_sign(key, alg, kid, 8, cwt, cwt_len, cose, HC_MAX_INFLATED, &cose_len);
    }
    if (err == HC_OK) {
        err = hc_hc1_wrap(cose, cose_len, out, cap, out_len);
    }
    free(cwt);
    free(cose);
    return err;
}
