/*
 * eu_dcc_encode.h: the EU DCC pipeline backwards: DCC JSON -> CWT -> COSE_Sign1 -> zlib ->
 * Base45 -> "HC1:" (HCERT spec §3, §4.2). Policy (schema, UVCI, validity limits, key usage) is
 * the issuer's job (the issue command); this is only the encoding.
 */
#ifndef HC_EU_DCC_ENCODE_H
#define HC_EU_DCC_ENCODE_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "sig.h"

typedef struct hc_eu_dcc_claims {
    const char *iss; /* ISO 3166-1 alpha-2 issuing country (CWT claim 1), NULL to omit */
    int64_t iat;     /* NumericDate seconds (claim 6) */
    int64_t exp;     /* NumericDate seconds (claim 4) */
} hc_eu_dcc_claims;

/* The CWT claims set {1: iss, 4: exp, 6: iat, -260: {1: dcc}} in deterministic CBOR. */
hc_err hc_eu_dcc_encode_cwt(const json_t *dcc, const hc_eu_dcc_claims *claims, uint8_t *out,
                            size_t cap, size_t *out_len);

/*
 * Signs and wraps: writes the NUL-terminated "HC1:..." text into out. kid is the DSC's 8-byte
 * kid (HCERT Appendix A.1). cap of 8 KiB is always enough for a QR-sized certificate.
 */
hc_err hc_eu_dcc_encode(const json_t *dcc, const hc_eu_dcc_claims *claims, EVP_PKEY *key,
                        hc_sig_alg alg, const uint8_t kid[8], char *out, size_t cap,
                        size_t *out_len);

/* Wraps an already signed COSE message: zlib at level 9, Base45, "HC1:". */
hc_err hc_hc1_wrap(const uint8_t *cose, size_t len, char *out, size_t cap, size_t *out_len);

#endif
