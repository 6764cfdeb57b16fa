/*
 * trust_store.h: the internal view of the trust store (include/healthcert/trust.h) for verifiers.
 */
#ifndef HC_TRUST_STORE_H
#define HC_TRUST_STORE_H


#include <openssl/evp.h>
#include <openssl/x509.h>

#include "healthcert/trust.h"
#include "hc_limits.h"
#include "x509_info.h"

#define HC_TRUST_KID_MAX 64

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
    X509 *cert;                /* HC_TRUST_X509, owned */
    EVP_PKEY *key;             /* owned; never NULL in the store */
    hc_cert_info info;         /* HC_TRUST_X509 */
} hc_trust_entry;

/*
 * Finds up to max entries whose kid equals kid[0..kid_len); returns the number of matches (which
 * may exceed max: only max are stored). Order: insertion order. O(log n).
 */
size_t hc_trust_store_find(const hc_trust_store *ts, const uint8_t *kid, size_t kid_len,
                           const hc_trust_entry **out, size_t max);

/* Entry i (0 <= i < count) in insertion order. */
const hc_trust_entry *hc_trust_store_entry(const hc_trust_store *ts, size_t i);

/* Adds one X.509 certificate (takes ownership of cert on success). country may be NULL or "". */
hc_err hc_trust_store_add_x509(hc_trust_store *ts, X509 *cert, const char *country,
                               const char *certificate_type, const char *source, char *msg,
                               size_t msg_len);

#endif
