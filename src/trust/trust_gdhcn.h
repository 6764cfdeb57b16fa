/*
 * trust_gdhcn.h: WHO Global Digital Health Certification Network (GDHCN) trust lists: did:web DID
 * documents whose verification methods are JsonWebKey2020 keys with x5c certificate chains
 * (WHO smart-trust concepts_did_gdhcn.md, "Trustlists 2.0.0"; the deprecated 1.0.0 flat list too).
 *
 *   {"id": "did:web:tng-cdn.who.int:v2:trustlist:<domain>:<participant>:<usage>",
 *    "verificationMethod": [
 *      {"id": "<did>#<kid>", "type": "JsonWebKey2020", "controller": "...",
 *       "publicKeyJwk": {"kty": "EC", "crv": "P-256", "x", "y", "kid", "x5c": [DSC, SCA...]},
 *       "domain": {"code": "#DDCC"}, "participant": {"code": "#ARG"}, "keyusage": {"code":
 * "#DSC"}}, "did:web:...:trustlist-ref:..."   (reference lists: ids only, no keys)
 *    ], "proof": {...}}
 *
 * Each key's certificate (x5c[0]) becomes a trust-store entry, indexed by its HCERT kid (SHA-256 of
 * the DER, first 8 bytes) and tagged with its participant, so that a verifier can resolve
 * "<participant>#<kid>" before the bare kid as WHO's validator does. Key usage SCA (also written
 * CSCA) entries are CA material; DSC entries are document signers, each verified against an SCA
 * of its participant from the same list (or already in the store): issuer name, AKI = SKI when
 * both present, signature. Other usages (DECA, DESC, TLS, UP) sign no health certificates and are
 * not loaded. The list's own JSON-LD proof (JsonWebSignature2020 over URDNA2015) is not checked:
 * the file is trusted because the operator chose it (docs/gdhcn.md).
 *
 * Quirks of the real data that are tolerated (shared/vectors/gdhcn/README.md): coordinates of 33
 * bytes (a leading 0x00 from Java's BigInteger), "=" padding and either base64 alphabet,
 * "UNKNOWN CURVE" and other unsupported keys (skipped and counted), domain / participant / usage as
 * {"code": "#X"} objects or plain strings, "#CSCA" for SCA, v1 lists without usage (a CA
 * certificate is an SCA there, any other a DSC) with the participant in the controller DID.
 */
#ifndef HC_TRUST_GDHCN_H
#define HC_TRUST_GDHCN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/trust.h"

/* Which verification methods to load; NULL members match anything (like "-" in the list URLs). */
typedef struct hc_gdhcn_filter {
    const char *domain;      /* "DCC", "DDCC", "PH4H", ... */
    const char *participant; /* "ARG", "XXA", ... (no case) */
    const char *usage;       /* "DSC" or "SCA" (NULL: both) */
} hc_gdhcn_filter;

/* What one list held and what was loaded from it. */
typedef struct hc_gdhcn_report {
    size_t methods;      /* verification methods in the document */
    size_t references;   /* string methods of reference lists (no key) */
    size_t filtered;     /* not matching the filter */
    size_t dsc, sca;     /* loaded */
    size_t chained;      /* DSCs verified against an SCA of their participant */
    size_t unchained;    /* DSCs loaded whose participant has no SCA in the list or store */
    size_t chain_failed; /* DSCs not loaded: no SCA of their participant issued them */
    size_t other_usage;  /* DECA, DESC, TLS, UP, ...: not loaded */
    size_t unsupported;  /* unknown curves, RSA without x5c, ...: not loaded */
    size_t broken;       /* no usable x5c, key != certificate, malformed: not loaded */
    size_t coord_quirks; /* 33-byte or padded coordinates tolerated */
    size_t kid_mismatch; /* listed kid != SHA-256(DER)[0..8] (indexed by the computed one) */
    char first_warning[192];
} hc_gdhcn_report;

/* True when root looks like a GDHCN trust list (a did:web document with ":trustlist" in its id, or
 * verification methods carrying keyusage / participant members or x5c chains). */
bool hc_gdhcn_is_trust_list(const json_t *root);

/*
 * Adds a GDHCN trust list from a file or memory with a filter (NULL: everything usable); rep
 * (may be NULL) receives the counts, msg a one-line summary. All or nothing as for
 * hc_trust_store_add_path: HC_ERR_IO, HC_ERR_TRUST_INVALID (not a GDHCN list, or no usable key).
 */
hc_err hc_trust_store_add_gdhcn_path(hc_trust_store *ts, const char *path,
                                     const hc_gdhcn_filter *filter, hc_gdhcn_report *rep, char *msg,
                                     size_t msg_len);
hc_err hc_trust_store_add_gdhcn_buffer(hc_trust_store *ts, const unsigned char *data, size_t len,
                                       const char *source, const hc_gdhcn_filter *filter,
                                       hc_gdhcn_report *rep, char *msg, size_t msg_len);

/* "1 DSC (1 chained), 4 SCA; 2 other usage, ..." into buf (for messages). */
const char *hc_gdhcn_report_text(const hc_gdhcn_report *rep, char *buf, size_t cap);

#endif
