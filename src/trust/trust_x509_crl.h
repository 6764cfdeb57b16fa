/*
 * trust_x509_crl.h: X.509 CRLs in the trust store (trust_x509_crl.c): the lookup verifiers use,
 * and the staging that trust_store.c calls while loading an input.
 */
#ifndef HC_TRUST_X509_CRL_H
#define HC_TRUST_X509_CRL_H

#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "healthcert/trust.h"

/*
 * Up to max committed CRLs whose issuer name is issuer (X509_NAME_cmp), in load order; returns
 * their number. Their signatures are not checked yet: the caller verifies each with the key of the
 * CA it trusts before believing it. The CRLs belong to the store.
 */
size_t hc_trust_store_x509_crls(const hc_trust_store *ts, const X509_NAME *issuer, X509_CRL **out,
                                size_t max);

/* ---- for trust_store.c ---- */

/* The store's CRLs: [0, committed) visible, [committed, n) staged by the load in progress. */
typedef struct hc__x509_crl_set {
    X509_CRL **items;
    size_t n, committed, cap;
} hc__x509_crl_set;

/* The set of a store (trust_store.c). */
const hc__x509_crl_set *hc__trust_x509_crl_set(const hc_trust_store *ts);

/* Exactly one DER CertificateList of at most 4 MiB (new reference), or NULL. */
X509_CRL *hc__trust_x509_crl_from_der(const uint8_t *der, size_t len);

/* Stages crl (ownership passes on HC_OK). HC_ERR_TRUST_INVALID with *reason when the set is
 * full; HC_ERR_NOMEM. */
hc_err hc__x509_crl_set_stage(hc__x509_crl_set *set, X509_CRL *crl, const char **reason);
/* Parses and stages one DER CRL; HC_ERR_TRUST_INVALID with *reason when it is none. */
hc_err hc__x509_crl_set_stage_der(hc__x509_crl_set *set, const uint8_t *der, size_t len,
                                  const char **reason);
void hc__x509_crl_set_commit(hc__x509_crl_set *set);
void hc__x509_crl_set_rollback(hc__x509_crl_set *set);
void hc__x509_crl_set_free(hc__x509_crl_set *set);

#endif
