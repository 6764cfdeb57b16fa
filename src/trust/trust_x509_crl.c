/*
 * trust_x509_crl.c: X.509 certificate revocation lists (RFC 5280 §5) in the trust store: the CRLs
 * of ICAO country signing CAs, which revoke VDS-NC barcode signer certificates (ICAO Doc 9303-12
 * §7; the Australian Passport Office reader checks "the CRL signature with the CSCA key" and "the
 * signer's serial is not in the CRL", security.md §1.7).
 *
 * A CRL is trust material like a certificate: detected by content (DER CertificateList, or a PEM
 * "X509 CRL" block, RFC 7468 §5), staged with the input it came in and committed or rolled back
 * with it. Its signature cannot be checked when it is loaded (its CSCA may come in a later
 * --trust), so the verifier checks it against the CSCA it uses, every time
 * (hc_trust_store_x509_crls returns candidates by issuer name only).
 */
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "trust_x509_crl.h"

/* CRLs one store holds at most: one per CSCA and update, far below this. */
#define X509_CRLS_MAX 4096
/* Largest CRL accepted: CSCA CRLs list few serials (the AU one is 0.9 KiB). */
#define X509_CRL_MAX_DER (4 * 1024 * 1024)

X509_CRL *
hc__trust_x509_crl_from_der(const uint8_t *der, size_t len)
{
    if (der == NULL || len == 0 || len > X509_CRL_MAX_DER) {
        return NULL;
    }
    const unsigned char *p = der;
    X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
    if (crl != NULL && p != der + len) {
        X509_CRL_free(crl); /* exactly one CertificateList, no trailing bytes */
        crl = NULL;
    }
    return crl;
}

hc_err
hc__x509_crl_set_stage(hc__x509_crl_set *set, X509_CRL *crl, const char **reason)
{
    if (set->n >= X509_CRLS_MAX) {
        *reason = "the trust store holds 4096 CRLs already";
        return HC_ERR_TRUST_INVALID;
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 8;
        X509_CRL **grown = realloc(set->items, cap * sizeof *grown);
        if (grown == NULL) {
            return HC_ERR_NOMEM;
        }
        set->items = grown;
        set->cap = cap;
    }
    set->items[set->n++] = crl;
    return HC_OK;
}

hc_err
hc__x509_crl_set_stage_der(hc__x509_crl_set *set, const uint8_t *der, size_t len,
                           const char **reason)
{
    X509_CRL *crl = hc__trust_x509_crl_from_der(der, len);
    if (crl == NULL) {
        *reason = "not a DER certificate revocation list";
        return HC_ERR_TRUST_INVALID;
    }
    hc_err err = hc__x509_crl_set_stage(set, crl, reason);
    if (err != HC_OK) {
        X509_CRL_free(crl);
    }
    return err;
}

void
hc__x509_crl_set_commit(hc__x509_crl_set *set)
{
    set->committed = set->n;
}

void
hc__x509_crl_set_rollback(hc__x509_crl_set *set)
{
    for (size_t i = set->committed; i < set->n; i++) {
        X509_CRL_free(set->items[i]);
        set->items[i] = NULL;
    }
    set->n = set->committed;
}

void
hc__x509_crl_set_free(hc__x509_crl_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        X509_CRL_free(set->items[i]);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}

size_t
hc_trust_store_x509_crls(const hc_trust_store *ts, const X509_NAME *issuer, X509_CRL **out,
                         size_t max)
{
    const hc__x509_crl_set *set = hc__trust_x509_crl_set(ts);
    size_t n = 0;
    if (set == NULL || issuer == NULL) {
        return 0;
    }
    for (size_t i = 0; i < set->committed && n < max; i++) {
        if (X509_NAME_cmp(X509_CRL_get_issuer(set->items[i]), issuer) == 0) {
            out[n++] = set->items[i];
        }
    }
    return n;
}
