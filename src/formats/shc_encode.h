/*
 * shc_encode.h: issuing SMART Health Cards (SHC spec v1.4.0 §"Issuer Generates Results",
 * §"Health Cards are Compact", §"Health Cards as QR Codes").
 *
 *   FHIR bundle (or EU DCC JSON, shc_from_dcc.h) -> minimised bundle -> payload {iss, nbf, exp?,
 *   vc: {type: [health-card], credentialSubject: {fhirVersion, fhirBundle}, rid?}} -> minified
 *   JSON -> raw DEFLATE -> JWS {"zip":"DEF","alg":"ES256","kid":<thumbprint>} -> "shc:/" + digits
 *
 * The bundle is minimised as the spec requires for QR codes: no Resource.id, no Resource.meta
 * (except meta.security alone), no DomainResource.text, CodeableConcept.text or Coding.display,
 * fullUrl "resource:N" and every reference to an entry rewritten to it. The card must pass our own
 * verifier's checks (shc_fhir.h) and fit one version 22 QR code (JWS <= 1195 characters): chunking
 * is deprecated (spec v1.3.0), so a larger card is refused rather than split.
 */
#ifndef HC_SHC_ENCODE_H
#define HC_SHC_ENCODE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jose_signer.h"

typedef struct hc_shc_issue_options {
    const char *iss; /* issuer URL: https, no trailing '/' (required) */
    bool has_time;
    int64_t time_ms;   /* nbf; default now */
    int validity_days; /* exp = nbf + days; 0: no exp ("Health Cards generally do not expire") */
    const char *rid;   /* revocation id (base64url, <= 24 characters), NULL for none */
    const char *fhir_version; /* default "4.0.1" */
} hc_shc_issue_options;

typedef struct hc_shc_issue_result {
    char *jws;       /* compact JWS (malloc'd) */
    char *qr;        /* "shc:/" + numeric (malloc'd): the QR code's text */
    json_t *payload; /* the claims as signed */
} hc_shc_issue_result;

/*
 * Issues one card from input (a FHIR Bundle or EU DCC JSON). HC_ERR_SCHEMA_INVALID (msg says
 * what) for input that makes no valid card, HC_ERR_INPUT_TOO_LARGE when it does not fit one QR
 * code, HC_ERR_KEY_INVALID for a signer that is not ES256, HC_ERR_INVALID_ARG for a bad iss / rid.
 */
hc_err hc_shc_issue(const hc_jose_signer *s, const json_t *input, const hc_shc_issue_options *opt,
                    hc_shc_issue_result *out, char *msg, size_t msg_len);
void hc_shc_issue_result_clear(hc_shc_issue_result *r);

/* The minimised copy of a FHIR bundle (new reference), NULL when it is not a bundle. */
json_t *hc_shc_minimize_bundle(const json_t *bundle);

/*
 * The recommended revocation id (SHC spec §"Revocation"): base64url of the first 64 bits of
 * HMAC-SHA-256 keyed with the secret followed by the kid, over the user id. out: 12 bytes.
 */
hc_err hc_shc_rid(const char *secret, const char *kid, const char *user_id, char out[12]);

#endif
