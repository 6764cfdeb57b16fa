/*
 * trust_store.h: the internal view of the trust store (include/healthcert/trust.h) for verifiers.
 */
#ifndef HC_TRUST_STORE_H
#define HC_TRUST_STORE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdbool.h>
#include <stdint.h>

#include "hc_limits.h"
#include "healthcert/trust.h"
#include "sig.h"
#include "x509_info.h"

/* Longest kid an entry holds: EU kids are 8 bytes, SMART Health Card kids 43 characters (RFC 7638
 * thumbprints), DID verification method fragments up to a did:key multibase value (P-521: 95). */
#define HC_TRUST_KID_MAX 128

/* Entries one store holds at most, over all its inputs (each input: HC_MAX_TRUST_ENTRIES). Keys
 * per kid are capped at HC_MAX_KEYS_PER_KID: more could never be tried (hcert §3.3.3 bound). */
#define HC_TRUST_MAX_STORE_ENTRIES (4 * HC_MAX_TRUST_ENTRIES)

typedef enum hc_trust_kind {
    HC_TRUST_X509 = 0, /* a certificate (EU DSC, CSCA, VDS-NC signer CA) */
    HC_TRUST_JWK = 1,  /* a bare public key from a JWKS or DID document (no certificate) */
} hc_trust_kind;

typedef struct hc_trust_entry {
    hc_trust_kind kind;
    uint8_t kid[HC_TRUST_KID_MAX]; /* X.509: the 8-byte DCC kid; JWK: the kid string's bytes */
    size_t kid_len;
    char country[3];           /* from the trust list when given, else the certificate's C= */
    char issuer[256];          /* JWK: issuer URL / DID it belongs to; "" otherwise */
    char certificate_type[16]; /* trust-list certificateType ("DSC", "CSCA", ...) or "" */
    char source[128];          /* file it came from (for messages) */
    char participant[8];       /* GDHCN participant (trust_gdhcn.c), e.g. "ARG"; "" otherwise */
    X509 *cert;                /* HC_TRUST_X509, owned */
    EVP_PKEY *key;             /* owned; never NULL in the store */
    hc_cert_info info;         /* HC_TRUST_X509 */
    /* HC_TRUST_JWK only: */
    hc_sig_alg alg;       /* the one algorithm the key fits (ES256, EdDSA, ...) */
    char thumbprint[44];  /* RFC 7638 thumbprint, base64url (SMART Health Card kids are it) */
    int64_t crl_version;  /* SMART Health Cards "crlVersion" of the JWK, 0 when absent */
    bool issuer_from_x5c; /* issuer taken from the x5c leaf's SAN URI */
} hc_trust_entry;

/*
 * Finds up to max entries whose kid equals kid[0..kid_len); returns the number of matches (which
 * may exceed max: only max are stored). Order: insertion order. O(log n).
 */
size_t hc_trust_store_find(const hc_trust_store *ts, const uint8_t *kid, size_t kid_len,
                           const hc_trust_entry **out, size_t max);

/* Entry i (0 <= i < count) in insertion order. */
const hc_trust_entry *hc_trust_store_entry(const hc_trust_store *ts, size_t i);

/*
 * True when ca issued cert (trust_chain.c): cert's issuer name is ca's subject, cert's AKI is ca's
 * SKI when both are present, and ca's key verifies cert's signature. One signature check at most;
 * validity times are not looked at (the shell model is checked at verification against the DSC).
 * Shared by every loader or format that checks a signer against its CA (GDHCN, EU lists,
 * VDS-NC). why (may be NULL) receives the failing step; it is left as it is when the names
 * differ (cert names another issuer: not a failure of this CA, and a caller trying several keeps
 * the reason an earlier candidate gave).
 */
bool hc_trust_ca_issued(X509 *ca, X509 *cert, const char **why);

/*
 * A SMART Health Cards card revocation list (SHC spec §"Revocation", v1.2.0): the revoked rids of
 * one issuer key, each optionally limited to cards issued before a time ("rid.<timestamp>").
 */
#define HC_SHC_RID_MAX 24 /* "no longer than 24 characters" */

typedef struct hc_trust_rid {
    char rid[HC_SHC_RID_MAX + 1];
    bool has_before;
    int64_t before_s; /* revokes cards whose nbf is before this time (Unix seconds) */
} hc_trust_rid;

typedef struct hc_trust_crl {
    char issuer[256]; /* issuer URL it belongs to, "" when the file does not say (bare CRL) */
    uint8_t kid[HC_TRUST_KID_MAX];
    size_t kid_len;
    int64_t ctr;        /* the list's update counter */
    hc_trust_rid *rids; /* sorted by rid (strcmp), no duplicates; owned */
    size_t n_rids;
    char source[128];
} hc_trust_crl;

/* Longest revocation list accepted (rids per key). */
#define HC_SHC_CRL_MAX_RIDS 100000

/*
 * The revocation list for kid: one bound to issuer when there is one, else one bound to no issuer;
 * of several, the one with the highest ctr. NULL when none is loaded.
 */
const hc_trust_crl *hc_trust_store_find_crl(const hc_trust_store *ts, const char *issuer,
                                            const uint8_t *kid, size_t kid_len);

/* The entry of crl for rid, or NULL (binary search). */
const hc_trust_rid *hc_trust_crl_find(const hc_trust_crl *crl, const char *rid, size_t rid_len);

/*
 * Adds the assertionMethod keys of one DID document in memory whose "id" must be did (the CLI's
 * fetched did:web documents, verify --resolve-did-web): the DID document rules of
 * hc_did_doc_foreach, the keys bound to did. Unlike hc_trust_store_add_buffer nothing is detected
 * by content: a JWKS, trust list or GDHCN list there is refused. Failure as
 * hc_trust_store_add_buffer (HC_ERR_TRUST_INVALID with the reason in msg, nothing added).
 */
hc_err hc_trust_store_add_did_document(hc_trust_store *ts, const unsigned char *data, size_t len,
                                       const char *did, const char *source, char *msg,
                                       size_t msg_len);

/* Adds one X.509 certificate (takes ownership of cert on success). country may be NULL or "". */
hc_err hc_trust_store_add_x509(hc_trust_store *ts, X509 *cert, const char *country,
                               const char *certificate_type, const char *source, char *msg,
                               size_t msg_len);

#endif
