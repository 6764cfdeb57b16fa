/*
 * vc_jwt_encode.h: issuing W3C Verifiable Credentials as JWTs (VC Data Model 1.1 §6.3.1) signed by
 * a DID (did:key of the signing key, or a did:web whose DID document lists it).
 *
 * Claims: iss (the DID), nbf (issuance), exp (when a validity is given), jti (urn:uuid: of 122
 * random bits, RFC 4122 §4.4), sub (credentialSubject.id, when there is one), vc. Header: alg
 * (ES256 or EdDSA, from the key), typ "JWT", kid: the DID URL of the key (did:key §3.1.2
 * "#<multibase>"; did:web: "#<RFC 7638 thumbprint>", as hc_jose_keygen writes the document).
 *
 * Two texts come out of one credential (docs/vc.md): the interoperable compact JWT, and the QR
 * text "vc-jwt:/" + the SHC numeric encoding of the same claims signed again with "zip":"DEF"
 * (raw DEFLATE) so that it fits one version 22 QR code.
 */
#ifndef HC_VC_JWT_ENCODE_H
#define HC_VC_JWT_ENCODE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jose_signer.h"

typedef struct hc_vc_issue_options {
    const char *iss; /* the issuer DID; NULL: the signing key's did:key */
    bool has_time;
    int64_t time_ms;   /* nbf; default now */
    int validity_days; /* exp = nbf + days; 0: no exp */
    const char *type;  /* an extra vc.type (e.g. "DDCCVaccinationCredential"), NULL for none */
} hc_vc_issue_options;

typedef struct hc_vc_issue_result {
    char *jwt;      /* the compact JWT, uncompressed (malloc'd) */
    char *qr;       /* "vc-jwt:/" + digits, compressed (malloc'd); NULL when over one QR code */
    json_t *claims; /* as signed */
    char kid[300];
} hc_vc_issue_result;

/*
 * Issues one credential. input: a credential ({"credentialSubject": ...}, with @context and type
 * defaulted) or a bare subject object. HC_ERR_SCHEMA_INVALID for other input, HC_ERR_INVALID_ARG
 * for an iss that is not a DID (or a did:key of another key).
 */
hc_err hc_vc_jwt_issue(const hc_jose_signer *s, const json_t *input, const hc_vc_issue_options *opt,
                       hc_vc_issue_result *out, char *msg, size_t msg_len);
void hc_vc_issue_result_clear(hc_vc_issue_result *r);

#endif
