/*
 * issue_internal.h: the issuer object behind healthcert/issue.h, shared by the files of the issue
 * module (issuer.c loads it, issue_dcc.c signs with it).
 *
 * An issuer is immutable once loaded, which is what makes hc_issue_eu_dcc thread-safe for one
 * shared issuer: every thread only reads it, and OpenSSL 3 allows concurrent signing with one
 * EVP_PKEY (each signature makes its own EVP_PKEY_CTX).
 */
#ifndef HC_ISSUE_INTERNAL_H
#define HC_ISSUE_INTERNAL_H

#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdbool.h>

#include "healthcert/issue.h"
#include "sig.h"
#include "x509_info.h"

/* Signing contexts kept for reuse (issue_sign.h): more than the threads that sign at once is
 * never needed; extra ones are freed after use. */
#define HC_ISSUER_CTX_POOL 16

struct hc_issuer {
    X509 *cert;        /* the DSC */
    EVP_PKEY *key;     /* its private key (OpenSSL frees it with cleansing) */
    hc_sig_alg alg;    /* ES256 for P-256, PS256 for RSA (HCERT spec §3.3.2) */
    hc_cert_info info; /* kid, country, validity, DCC EKU bits */
    uint8_t *cert_der; /* the DSC as DER (for trust publication) */
    size_t cert_der_len;
    uint8_t prot[32]; /* the COSE protected header {1: alg, 4: kid}, encoded once */
    size_t prot_len;
    size_t sig_len; /* 64 for ES256, the modulus size for PS256 */
    /*
     * The only mutable part, behind its own lock: a stack of ready signing contexts. Taking one is
     * logically const (the issuer's observable state never changes), so hc_issue_eu_dcc keeps its
     * const issuer.
     */
    bool signer_ready; /* pool_mu initialised */
    pthread_mutex_t pool_mu;
    EVP_PKEY_CTX *pool[HC_ISSUER_CTX_POOL];
    int pool_n;
};

/*
 * hc_issue_eu_dcc on a record the caller hands over (dcc is consumed: kept by the result on
 * success, released on failure), which saves the copy of the input. The batch uses it.
 */
hc_err hc_issue_eu_dcc_take(const hc_issuer *iss, json_t *dcc, const hc_issue_options *opt,
                            hc_issue_result *out, char *msg, size_t msg_len);

#endif
