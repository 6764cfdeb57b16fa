/*
 * vdsnc_encode.h: issuing ICAO VDS-NC seals (format "icao-vds-nc").
 *
 *   data {"hdr": {"t", "v", "is"}, "msg": {...}} -> the icao.vacc / icao.test model checked
 *   -> signature over the RFC 8785 canonical form of data (ES256 / ES384 / ES512 by the key's
 *   curve, raw r||s) -> {"data": data, "sig": {"alg", "cer": base64url DER certificate,
 *   "sigvl": base64url signature}} written in canonical form (compact, sorted, deterministic).
 */
#ifndef HC_VDSNC_ENCODE_H
#define HC_VDSNC_ENCODE_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdint.h>

#include "healthcert/error.h"

/*
 * Signs data (borrowed) with key as the holder of cert (the barcode signer certificate, embedded
 * in the seal). Refuses data that breaks its model (HC_ERR_SCHEMA_INVALID), a certificate not
 * valid at now_ms (KEY_EXPIRED / KEY_NOT_YET_VALID), a key that is not EC P-256 / P-384 / P-521
 * or not the certificate's (HC_ERR_KEY_INVALID). *seal is the NUL-terminated JSON (malloc'd).
 */
hc_err hc_vdsnc_issue(const json_t *data, X509 *cert, EVP_PKEY *key, int64_t now_ms, char **seal,
                      char *msg, size_t msg_len);

#endif
