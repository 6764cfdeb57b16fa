/*
 * cose_sign.c: producing COSE_Sign1 messages (RFC 9052 §4.4) the way the HCERT spec asks issuers
 * to: tag 18, alg and kid protected, deterministic encoding (shared/reference/eu-dcc.md §5.2
 * "Be strict on output").
 */
#include <stdlib.h>

#include "cose.h"

static int64_t
cose_alg_of(hc_sig_alg alg)
{
    switch (alg) {
    case HC_SIG_ES256: return HC_COSE_ALG_ES256;
    case HC_SIG_PS256: return HC_COSE_ALG_PS256;
    default: return 0;
    }
}

hc_err
hc_cose_sign1_sign(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *kid, size_t kid_len,
                   const uint8_t *payload, size_t payload_len, uint8_t *out, size_t cap,
                   size_t *out_len)
{
    uint8_t prot[128], sig[512];
    size_t prot_len = 0, sig_len = 0, tbs_len = 0;
    hc_cbor_writer w;
    hc_err err;
    int64_t cose_alg = cose_alg_of(alg);

    if (cose_alg == 0 || kid_len > 64) {
        return HC_ERR_ALG_UNSUPPORTED;
    }
    /* Protected header {1: alg, 4: kid}: keys in ascending order, RFC 8949 §4.2.1. */
    hc_cbor_writer_init(&w, prot, sizeof prot);
    hc_cbor_put_map(&w, 2);
    hc_cbor_put_int(&w, HC_COSE_LABEL_ALG);
    hc_cbor_put_int(&w, cose_alg);
    hc_cbor_put_int(&w, HC_COSE_LABEL_KID);
    hc_cbor_put_bytes(&w, kid, kid_len);
    err = hc_cbor_writer_finish(&w, &prot_len);
    if (err != HC_OK) {
        return err;
    }
    size_t tbs_cap = payload_len + prot_len + 64;
    uint8_t *tbs = malloc(tbs_cap);
    if (tbs == NULL) {
        return HC_ERR_NOMEM;
    }
    err = hc_cose_sign1_tbs(prot, prot_len, payload, payload_len, tbs, tbs_cap, &tbs_len);
    if (err == HC_OK) {
        err = hc_sig_sign(key, alg, tbs, tbs_len, sig, sizeof sig, &sig_len);
    }
    free(tbs);
    if (err != HC_OK) {
        return err;
    }
    hc_cbor_writer_init(&w, out, cap);
    hc_cbor_put_tag(&w, HC_CBOR_TAG_COSE_SIGN1);
    hc_cbor_put_array(&w, 4);
    hc_cbor_put_bytes(&w, prot, prot_len);
    hc_cbor_put_map(&w, 0);
    hc_cbor_put_bytes(&w, payload, payload_len);
    hc_cbor_put_bytes(&w, sig, sig_len);
    return hc_cbor_writer_finish(&w, out_len);
}
