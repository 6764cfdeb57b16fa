/*
 * who_ddcc_encode.h: issuing WHO DDCC certificates on HCERT ("HC1:", format "who-ddcc").
 *
 *   core data set JSON (DDCC:VS or DDCC:TR, RC2) -> the logical model's required elements checked
 *   -> CWT {1: iss, 4: exp, 6: iat, -260: {3: DDCC:VS | 4: DDCC:TR}} (deterministic CBOR)
 *   -> COSE_Sign1 (ES256 or PS256, kid = SHA-256(DSC)[0..8]) -> zlib -> Base45 -> "HC1:"
 *
 * Sub-claims 3 and 4 are the WHO-assigned places of the core data sets (smart-trust HCert logical
 * model, hcert_spec.md §3.2.7.1); hcert_classify.c sends them to the who-ddcc verifier.
 */
#ifndef HC_WHO_DDCC_ENCODE_H
#define HC_WHO_DDCC_ENCODE_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

/*
 * Checks a core data set against its logical model (format_schema.h): "vaccination" -> DDCC:VS,
 * "test" -> DDCC:TR. A "vaccination" (or "test") written as a one-element array, as the WHO IG
 * example instance does, is taken as its one element. *out is the record to sign (new reference),
 * *sub its HCERT sub-claim (3 or 4). HC_ERR_SCHEMA_INVALID with the failing element in msg
 * ("DDCC:VS vaccination.lot: is required").
 */
hc_err hc_who_ddcc_prepare(const json_t *core, json_t **out, int *sub, char *msg, size_t msg_len);

typedef struct hc_who_ddcc_issue_options {
    int64_t iat_ms;    /* issuing time */
    int validity_days; /* exp = iat + days, never past the certificate's end; <= 0: 365 */
} hc_who_ddcc_issue_options;

/*
 * Issues one certificate: prepares the record, refuses a DSC that is not valid at iat
 * (KEY_EXPIRED / KEY_NOT_YET_VALID), whose DCC extended key usage excludes the type
 * (KEY_USAGE_MISMATCH) or whose key is not P-256 / RSA (HCERT §3.3.2: ES256, PS256) or not the
 * certificate's (HC_ERR_KEY_INVALID); sets iss to the DSC's country (C=), signs and wraps.
 * *qr is the NUL-terminated "HC1:..." text (malloc'd). msg says why on refusal.
 */
hc_err hc_who_ddcc_issue(const json_t *core, X509 *cert, EVP_PKEY *key,
                         const hc_who_ddcc_issue_options *opt, char **qr, char *msg,
                         size_t msg_len);

#endif
