/*
 * jwt_common.h: what the JWS-based formats (SMART Health Cards, VC-JWT) share: unwrapping a compact
 * JWS to its claims (strict JWS parsing, bounded raw DEFLATE, bounded JSON), NumericDate claims,
 * the validity window, and signature checking against trusted keys.
 */
#ifndef HC_JWT_COMMON_H
#define HC_JWT_COMMON_H

#include <jansson.h>
#include <stdbool.h>

#include "jws.h"
#include "pipeline.h"

typedef struct hc_jwt {
    hc_jws jws;
    json_t *claims; /* the payload: a JSON object (owned) */
} hc_jwt;

/*
 * Parses text as a compact JWS under pol (payload into v->jws_payload), inflates it when the header
 * says "zip":"DEF" (raw DEFLATE, RFC 1951, into v->jws_inflated: at most max_inflated bytes,
 * HC_MAX_JWS_INFLATED_QR or _TEXT), and parses the claims, which must be a JSON object
 * (json_bounded.h rules). On failure the verdict has the error and false is returned.
 */
bool hc_jwt_unwrap(hc_verifier *v, const char *text, size_t len, const hc_jws_policy *pol,
                   size_t max_inflated, hc_jwt *out, hc_verdict *vd);

/*
 * The QR form of a JWS ("shc:/", "vc-jwt:/" and numeric digits, shc_numeric.h): reassembles the
 * JWS text from text's lines into v->unwrapped (chunked codes only when allow_chunks; *chunks
 * the number of QR codes read), then unwraps it as hc_jwt_unwrap does with the QR payload bound
 * (HC_MAX_JWS_INFLATED_QR). On failure the verdict has the error and false is returned.
 */
bool hc_jwt_unwrap_qr(hc_verifier *v, const char *text, size_t len, const char *prefix,
                      int allow_chunks, const hc_jws_policy *pol, size_t *chunks, hc_jwt *out,
                      hc_verdict *vd);

void hc_jwt_clear(hc_jwt *jwt);

/* A NumericDate claim (RFC 7519 §2: seconds, fractions allowed). */
typedef struct hc_jwt_time {
    bool has;
    int64_t ms; /* clamped to the years 1970..9999 */
    double seconds;
} hc_jwt_time;

/*
 * Reads claim name of claims into *t. Absent: t->has false, true returned. Present but not a
 * non-negative finite number: STRUCTURE_INVALID recorded, false returned. Values past the year
 * 9999 (a milliseconds value written as seconds) are clamped to it, which keeps their meaning
 * ("not before the far future" is not yet valid; "expires in the far future" does not expire).
 */
bool hc_jwt_numeric_date(const json_t *claims, const char *name, hc_jwt_time *t, hc_verdict *vd);

/* nbf <= clock and (exp absent or clock <= exp), recorded as the check "expiry". */
void hc_jwt_check_times(int64_t clock, const hc_jwt_time *nbf, const hc_jwt_time *exp,
                        hc_verdict *vd);

/*
 * Tries the signature with each candidate (in order) and records the check "signature": the
 * entry that verified, or NULL with SIGNATURE_INVALID (a candidate fitted but did not verify) or
 * ALG_UNSUPPORTED (no candidate's key fits the algorithm) recorded.
 */
const hc_trust_entry *hc_jwt_verify_candidates(const hc_jwt *jwt, const hc_trust_entry *const *cand,
                                               size_t n, hc_verdict *vd);

/* A short printable copy of an attacker-controlled string for messages ("?" when not). */
void hc_jwt_printable(const char *s, size_t len, char *out, size_t cap);

/* The header and the compression as decode details ({"header": ..., "compressed": bool}). */
json_t *hc_jwt_details(const hc_jwt *jwt);

#endif
