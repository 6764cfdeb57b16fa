/*
 * shc.h: SMART Health Cards (smart-on-fhir/health-cards, spec v1.4.0) in the verify pipeline.
 *
 *   "shc:/" [C/N/] digits -> JWS (shc_numeric.h) -> JWS ES256 / zip DEF / kid (jws.h) -> raw
 *   DEFLATE (bounded) -> claims {iss, nbf, exp?, vc: {type, credentialSubject: {fhirVersion,
 *   fhirBundle}, rid?}} -> FHIR bundle (shc_fhir.h)
 *
 * Checks, each a named entry of the verdict: signature (the trusted keys with the header's kid
 * that belong to iss or to no issuer; the kid must be the key's RFC 7638 thumbprint), issuer (the
 * key's owner is iss: ISSUER_MISMATCH otherwise; iss an https URL without a trailing '/'), expiry
 * (nbf <= clock <= exp), schema (vc.type has the health-card type; the FHIR bundle), revocation
 * (the rid against the issuer's revocation list for the kid, when one is loaded).
 */
#ifndef HC_SHC_H
#define HC_SHC_H

#include "jwt_common.h"

/* The JWS policy of a SMART Health Card: ES256 only (spec §"Health Cards are Compact"). */
extern const hc_jws_policy hc_shc_jws_policy;

/* Judges an unwrapped JWS as a SMART Health Card (chunks: QR codes read, 0 for bare text). */
hc_err hc_shc_judge(hc_verifier *v, hc_jwt *jwt, size_t chunks, hc_mode mode, hc_verdict *vd);

/* True when claims look like a SMART Health Card (vc.credentialSubject.fhirBundle present). */
bool hc_shc_claims_match(const json_t *claims);

#endif
