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

/* A COSE_Sign1 being made (issue_sign.h): the whole message in one allocation, signature last. */
typedef struct hc_issue_cose {
    uint8_t *buf; /* malloc'd, len bytes */
    size_t len;
    size_t payload_off, payload_len; /* the CWT inside buf */
} hc_issue_cose;

/*
 * Issuing in three stages: hc_issue_prepare (steps 1-5 of issue_dcc.c: UVCI, schema, key usage,
 * times, CWT), hc_issue_sign (the COSE_Sign1) and hc_issue_finish (DEFLATE, Base45, the result).
 * hc_issue_eu_dcc_take runs them in a row; the batch runs each stage over a chunk of records,
 * because the ECDSA computation (OpenSSL's ~150 KiB of precomputed P-256 points, read in full for
 * constant time) evicts the caches: grouped, each stage's code and tables stay warm (measured: ~8%
 * less time per certificate, bench/bench_issue.c).
 */
typedef struct hc_issue_job {
    hc_issue_result r;  /* filled stage by stage; handed over by hc_issue_finish */
    hc_issue_cose cose; /* laid out by prepare (the CWT in place), signed by sign */
    bool text_only;     /* set after prepare when only the text is wanted: sign then skips
                           r.signature_sha256 (the batch answers with the text) */
} hc_issue_job;

/* dcc is consumed (the job owns it, also on failure: hc_issue_job_clear releases it). Errors as
 * hc_issue_eu_dcc, with msg. */
hc_err hc_issue_prepare(const hc_issuer *iss, json_t *dcc, const hc_issue_options *opt,
                        hc_issue_job *job, char *msg, size_t msg_len);
hc_err hc_issue_sign(const hc_issuer *iss, hc_issue_job *job, char *msg, size_t msg_len);
/* On success *out owns the result (qr, dcc); the job keeps nothing of it. */
hc_err hc_issue_finish(hc_issue_job *job, hc_issue_result *out, char *msg, size_t msg_len);
/*
 * The first half of hc_issue_finish: the signed COSE_Sign1 in the zlib format, in this thread's
 * scratch (*z valid until this thread's next call). The batch writes the Base45 text of it
 * straight into its output (no text allocated per certificate).
 */
hc_err hc_issue_compress(hc_issue_job *job, const uint8_t **z, size_t *z_len, char *msg,
                         size_t msg_len);
/* Bytes of "HC1:" + the Base45 text of z_len bytes, without a terminating NUL. */
size_t hc_issue_text_len(size_t z_len);
/* Writes "HC1:" + Base45 of z into out (hc_issue_text_len(z_len) + 1 bytes: a NUL ends it). */
void hc_issue_text(const uint8_t *z, size_t z_len, char *out);
/* Releases what the job still holds; safe after any stage and after a failure. */
void hc_issue_job_clear(hc_issue_job *job);

#endif
