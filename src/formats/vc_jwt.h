/*
 * vc_jwt.h: W3C Verifiable Credentials as JWTs (VC Data Model 1.1 §6.3.1 "JSON Web Token"; the
 * 2.0 context is accepted too) issued by a DID, in the verify pipeline.
 *
 *   compact JWS (ES256 or EdDSA; "zip":"DEF" allowed) -> claims {iss: DID, nbf?, exp?, iat?,
 *   jti?, sub?, vc: {@context, type, credentialSubject, issuer?}}
 *
 * Texts: a bare compact JWS ("eyJ...", the interoperable form) or the QR form "vc-jwt:/" followed
 * by the SHC numeric encoding of a compact JWS whose payload is raw-DEFLATE compressed
 * (docs/vc.md).
 *
 * Checks: signature (the key is the verification method the header's kid names, a DID URL of
 * the iss DID, from trust material: a DID document for did:web and others, a did:key listed as
 * trusted; an untrusted did:key is still checked cryptographically but KEY_NOT_TRUSTED), issuer
 * (kid's DID and vc.issuer are iss: ISSUER_MISMATCH), expiry (nbf <= clock <= exp), schema (the
 * base @context first and no inline contexts, type VerifiableCredential, a credentialSubject, sub
 * and jti consistent with credentialSubject.id and vc.id).
 */
#ifndef HC_VC_JWT_H
#define HC_VC_JWT_H

#include "jwt_common.h"

/* ES256 and EdDSA, compression allowed. */
extern const hc_jws_policy hc_vc_jwt_jws_policy;

/* Judges an unwrapped JWS as a VC-JWT. */
hc_err hc_vc_jwt_judge(hc_verifier *v, hc_jwt *jwt, hc_mode mode, hc_verdict *vd);

#endif
