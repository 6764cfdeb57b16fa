/*
 * hcert.h: the HCERT container and the checks every HCERT-based format shares.
 *
 *   "<prefix>" -> Base45 (RFC 9285) -> zlib (RFC 1950) -> COSE_Sign1 (RFC 9052) -> CWT (RFC 8392)
 *
 * EU DCC ("HC1:", claim -260 -> 1), WHO DDCC ("HC1:", claim -260 -> 3 / 4 / -6 / 1, or the legacy
 * claims at the CWT root) and Swiss light certificates ("LT1:", claim -250 -> 1) all use it
 * (HCERT spec v1.0.8 §3-§4, WHO smart-trust hcert_spec.md v1.1.1). Each format unwraps with
 * hc_hcert_unwrap, then reads its own claim, then runs the shared checks below; each check records
 * a named entry of the verdict and, on failure, a stable error code.
 */
#ifndef HC_HCERT_H
#define HC_HCERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cose.h"
#include "pipeline.h"

/* HCERT spec Appendix A.1: the kid is the first 8 bytes of the DSC's SHA-256 fingerprint. */
#define HC_HCERT_KID_LEN 8

/* The decoded container. Views point into the verifier's scratch buffers. */
typedef struct hc_hcert {
    hc_cbor_doc outer, header, claims;
    hc_cose_sign1 cose;
    hc_cwt cwt;
} hc_hcert;

/*
 * Unwraps text[prefix_len..len) down to the CWT claims (Base45, zlib, COSE_Sign1, CWT) into h,
 * using v's scratch buffers. On failure records the error in vd (INPUT_TOO_LARGE,
 * ENCODING_INVALID, DECOMPRESS_FAILED, STRUCTURE_INVALID) and returns false.
 */
bool hc_hcert_unwrap(hc_verifier *v, const char *text, size_t len, size_t prefix_len, hc_hcert *h,
                     hc_verdict *vd);

/* What a format's run returns after hc_hcert_unwrap failed: HC_OK when the recorded error is a
 * verdict (the input is judged INVALID), else that error (the check itself could not run). */
hc_err hc_hcert_unwrap_status(const hc_verdict *vd);

/* Fills vd's issued_at / expires_at (CWT iat / exp), issuer country (iss, when given) and kid. */
void hc_hcert_fill_claims(const hc_hcert *h, hc_verdict *vd);

/* Decode mode: the COSE headers and the CWT claims, without the claim payload_key (whose content
 * is the verdict's payload; 0 to keep all). */
void hc_hcert_fill_details(const hc_hcert *h, const char *prefix, int64_t payload_key,
                           hc_verdict *vd);

/* Whether bare keys (JWKs without a certificate) are candidates for an HCERT signature. */
typedef enum hc_hcert_bare_keys {
    /* Only the entries found by the kid bytes are candidates, and only certificates among them
     * sign (EU DCC: HCERT §5, its signers are DSCs). */
    HC_HCERT_BARE_KEYS_IGNORED = 0,
    /* JWKs listed under the kid's standard base64 text are found too, but never sign (WHO DDCC:
     * a bare key would skip every certificate check). */
    HC_HCERT_BARE_KEYS_REFUSED,
    /* JWKs found either way may sign (Swiss light certificates: their trust list holds only
     * bare keys). */
    HC_HCERT_BARE_KEYS_SIGN,
} hc_hcert_bare_keys;

/* How a format finds and accepts the key that signed its HCERT. */
typedef struct hc_hcert_signers {
    /* Keys of this participant (the CWT iss, compared without case) are tried first, as WHO's
     * validator resolves "<iss>#<kid>" before the bare kid; NULL for no preference. */
    const char *prefer_participant;
    hc_hcert_bare_keys bare_keys;
    /* Names the format's kids in the message for a kid of the wrong length ("EU DCC", "HCERT"):
     * each format keeps the wording its users and tests know. */
    const char *kid_name;
} hc_hcert_signers;

/*
 * Finds the trusted key that verifies the COSE signature. Every key with the kid is tried (HCERT
 * §3.3.3), bounded to HC_MAX_KEYS_PER_KID: certificates are found by the kid bytes, bare keys
 * (JWKs of Swiss-style and GDHCN-style lists) by the kid's standard base64 text when
 * signers->bare_keys says so. A list entry that is not a document signer (certificateType / key
 * usage CSCA, SCA, ...) never verifies (HCERT §5: DSCs sign). Signatures are checked through the
 * verifier's signature-context cache. Records the "signature" check; on failure ALG_UNSUPPORTED,
 * KID_MISSING, KEY_NOT_TRUSTED or SIGNATURE_INVALID. NULL when no key verified (HC_ERR_INTERNAL
 * in vd when hashing failed).
 */
const hc_trust_entry *hc_hcert_check_signature(hc_verifier *v, const hc_hcert *h,
                                               const hc_hcert_signers *signers, hc_verdict *vd);

/*
 * The "expiry" check: iat <= clock <= exp, both ends included. exp_required: a missing exp is
 * STRUCTURE_INVALID (HCERT §3.3.1 for the EU DCC); otherwise a credential without exp has no end.
 */
void hc_hcert_check_times(int64_t clock, const hc_hcert *h, bool exp_required, hc_verdict *vd);

/* The "key_validity" check (HCERT §3.3.5-3.3.6, §5): the signing certificate is valid at the
 * clock and was valid at iat. Nothing for bare keys. */
void hc_hcert_check_key_validity(int64_t clock, const hc_hcert *h, const hc_trust_entry *key,
                                 hc_verdict *vd);

/* The "key_usage" check (HCERT Appendix A.4): a DSC with the DCC extended key usages may sign
 * only the certificate types they name; vd->type is 'v', 't' or 'r' (nothing for other types and
 * for bare keys). */
void hc_hcert_check_key_usage(const hc_trust_entry *key, hc_verdict *vd);

/* Sets vd's issuer country (when the key knows it) and name (the certificate's CN). */
void hc_hcert_fill_key_issuer(const hc_trust_entry *key, hc_verdict *vd);

/* ---- what an "HC1:" CWT holds (hcert_classify.c) ---- */

typedef enum hc_hcert_content {
    HC_HCERT_CONTENT_EU_DCC = 0, /* -260 -> 1 holds an EU DCC (or nothing else recognisable) */
    HC_HCERT_CONTENT_DDCC,       /* WHO DDCC core data set (any of its shapes) */
} hc_hcert_content;

/*
 * Decides which format judges an HC1 CWT, by content (WHO smart-trust HCert logical model;
 * shared/reference/other-formats.md §1.2):
 *   -260 -> 3 (DDCC:VS), 4 (DDCC:TR) or -6 (DVC minimal)          -> DDCC
 *   -260 -> 1 holding DDCC members (name, vaccination, test, ...) -> DDCC (dcc-sdk.js shape)
 *   no -260 and DDCC members at the CWT root                      -> DDCC (legacy RC1 shape)
 *   anything else                                                  -> EU DCC
 * The one place this decision is made: the eu-dcc format asks it and hands DDCC over.
 */
hc_hcert_content hc_hcert_classify(const hc_cbor_doc *claims, const hc_cwt *cwt);

#endif
