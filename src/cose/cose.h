/*
 * cose.h: COSE_Sign1 (RFC 9052 §4.2) and CWT claims (RFC 8392) as the HCERT spec uses them.
 *
 * Accepted outer shapes (HCERT spec §3.3, shared/reference/eu-dcc.md §1.3): an untagged
 * COSE_Sign1 array, tag 18 (COSE_Sign1), CWT tag 61 around tag 18, and CWT tag 61 around the
 * untagged array. Any other tag, more tags, or 18 around 61 is STRUCTURE_INVALID (COSE_Sign,
 * tag 98, is unsupported). Header maps may not repeat a label (RFC 9052 §3); kid may appear in both
 * buckets, the protected one wins (HCERT §3.3.1: "If both ... present, the Key Identifier in the
 * protected header MUST be used"). The algorithm should be in the protected bucket; one found only
 * in the unprotected bucket is used too (alg_protected tells), as real certificates need.
 *
 * Views point into the decoded input: valid while the input buffer is.
 */
#ifndef HC_COSE_H
#define HC_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor.h"
#include "healthcert/error.h"
#include "sig.h"

#include <openssl/evp.h>

/* COSE header labels (RFC 9052 §3.1) and algorithm identifiers (RFC 9053 §2.1, RFC 8230 §2). */
#define HC_COSE_LABEL_ALG  1
#define HC_COSE_LABEL_CRIT 2
#define HC_COSE_LABEL_KID  4
#define HC_COSE_ALG_ES256  (-7)
#define HC_COSE_ALG_PS256  (-37)
/* CBOR tags (RFC 9052 §2: COSE_Sign1 = 18; RFC 8392 §6: CWT = 61). */
#define HC_CBOR_TAG_COSE_SIGN1 18
#define HC_CBOR_TAG_CWT        61

/* CWT claim keys (RFC 8392 §3.1.x) and the HCERT claim (HCERT spec §3.3.1, §3.3.2). */
#define HC_CWT_ISS         1
#define HC_CWT_EXP         4
#define HC_CWT_NBF         5
#define HC_CWT_IAT         6
#define HC_CWT_HCERT       (-260)
#define HC_HCERT_EU_DCC_V1 1

typedef struct hc_cose_sign1 {
    const uint8_t *protected_bytes; /* the protected bstr's content, as received */
    size_t protected_len;
    const uint8_t *payload; /* the payload bstr's content */
    size_t payload_len;
    const uint8_t *signature;
    size_t signature_len;
    bool has_alg;
    int64_t alg;        /* COSE alg value */
    bool alg_protected; /* alg came from the protected bucket */
    hc_sig_alg sig_alg; /* HC_SIG_NONE when alg is not one of ours */
    const uint8_t *kid; /* NULL when absent */
    size_t kid_len;
    bool kid_protected;       /* kid came from the protected bucket */
    bool tagged_cwt;          /* tag 61 present */
    bool tagged_sign1;        /* tag 18 present */
    uint32_t protected_map;   /* node in hdr_doc (HC_CBOR_NONE when the bstr is empty) */
    uint32_t unprotected_map; /* node in the outer doc */
} hc_cose_sign1;

/*
 * Parses a COSE_Sign1 message. doc receives the outer structure, hdr_doc the protected header map.
 * Errors: HC_ERR_STRUCTURE_INVALID (with a static reason in *why).
 * An unknown or non-integer alg is not an error here: sig_alg is HC_SIG_NONE and the caller
 * reports ALG_UNSUPPORTED (so that decode can still show such messages).
 */
hc_err hc_cose_sign1_parse(const uint8_t *in, size_t len, hc_cbor_doc *doc, hc_cbor_doc *hdr_doc,
                           hc_cose_sign1 *out, const char **why);

/*
 * SHA-256 of the Sig_structure ["Signature1", protected, h'', payload] (RFC 9052 §4.4), built from
 * the received bytes without copying them. ES256 and PS256 both hash with SHA-256.
 */
hc_err hc_cose_sign1_tbs_sha256(const hc_cose_sign1 *msg, uint8_t digest[32]);

/* Writes the Sig_structure bytes (for signing and for tests). */
hc_err hc_cose_sign1_tbs(const uint8_t *protected_bytes, size_t protected_len,
                         const uint8_t *payload, size_t payload_len, uint8_t *out, size_t cap,
                         size_t *out_len);

/*
 * Signs payload as a tagged COSE_Sign1 (tag 18) with alg and kid in the protected header, encoded
 * deterministically ({1: alg, 4: kid}), an empty unprotected header, and a raw r||s signature for
 * ES256 (HCERT spec §3.3.2). Writes the message into out.
 */
hc_err hc_cose_sign1_sign(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *kid, size_t kid_len,
                          const uint8_t *payload, size_t payload_len, uint8_t *out, size_t cap,
                          size_t *out_len);

typedef struct hc_cwt {
    bool has_iss, has_iat, has_exp;
    const uint8_t *iss; /* UTF-8, not NUL-terminated */
    size_t iss_len;
    int64_t iat; /* NumericDate seconds (floats are truncated toward negative infinity) */
    int64_t exp;
    uint32_t claims; /* the claims map node */
    uint32_t hcert;  /* the -260 map node, HC_CBOR_NONE when absent */
} hc_cwt;

/*
 * Parses the CWT claims set in payload into doc (duplicate claim keys refused).
 * iat/exp may be integers or floats (eu-dcc.md §1.2: 25 corpus vectors use doubles); a NumericDate
 * that is negative, non-finite or beyond year 9999 is STRUCTURE_INVALID.
 */
hc_err hc_cwt_parse(const uint8_t *payload, size_t len, hc_cbor_doc *doc, hc_cwt *out,
                    const char **why);

#endif
