/*
 * issue_keygen.h: making the two-level PKI of the EU DCC (the keygen command).
 *
 * EU certificate governance (dgc-overview guides/certificate-governance.md §3.2, §3.3, §4.3;
 * shared/reference/eu-dcc.md §1.7, §1.8):
 *   CSCA  country signing CA: self-signed, C= the country, basicConstraints CA:true pathlen 0,
 *         keyUsage keyCertSign + cRLSign, SKI; recommended validity 4 years.
 *   DSC   document signer: issued by the CSCA of the same country, AKI = the CSCA's SKI, keyUsage
 *         digitalSignature, optional extended key usage restricting it to test / vaccination /
 *         recovery (1.3.6.1.4.1.1847.2021.1.{1,2,3}); recommended validity 2 years, never past the
 *         CSCA's end (all certificates of the chain valid at signing time, the "shell model").
 * Keys: ECDSA P-256 (ES256, "strongly RECOMMENDED") or RSA-3072 (PS256, "max 3072 bits").
 * Certificates are written as PEM, mode 0644 (public); keys as PKCS#8 PEM, mode 0600, encrypted
 * when a passphrase is given (issue_secret.h).
 */
#ifndef HC_ISSUE_KEYGEN_H
#define HC_ISSUE_KEYGEN_H

#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>

#include "hctime.h"
#include "healthcert/error.h"
#include "issue_secret.h"
#include "x509_make.h"

/* Recommended validity (governance §3.2). */
#define HC_KEYGEN_CSCA_DAYS 1461 /* 4 years */
#define HC_KEYGEN_DSC_DAYS  730  /* 2 years */

/* Mode of certificate files: public. */
#define HC_CERT_FILE_MODE 0644

typedef struct hc_keygen_params {
    const char *country;      /* ISO 3166-1 alpha-2, upper case */
    const char *common_name;  /* CN=; NULL for "Country Signing CA XX" / "Document Signer XX" */
    const char *organization; /* O=, NULL for none */
    hc_key_type key_type;     /* HC_KEY_P256 or HC_KEY_RSA3072 */
    hc_time_ms not_before;    /* start of validity */
    int days;                 /* validity length (> 0) */
    unsigned eku;             /* DSC only: HC_EKU_DCC_* bits, 0 = no EKU (all types) */
} hc_keygen_params;

typedef struct hc_keygen_result {
    uint8_t kid[8]; /* HCERT Appendix A.1 */
    hc_time_ms not_before, not_after;
    char subject[256];
} hc_keygen_result;

/* A loaded CA (the CSCA signing DSCs). */
typedef struct hc_keygen_ca {
    X509 *cert;
    EVP_PKEY *key;
    char country[3];
    hc_time_ms not_before, not_after;
} hc_keygen_ca;

/*
 * Makes a CSCA and writes cert_path and key_path (refusing to replace existing files unless
 * overwrite). pass encrypts the key (NULL: plain). HC_ERR_INVALID_ARG with msg for bad params.
 */
hc_err hc_keygen_csca(const hc_keygen_params *p, const hc_passphrase *pass, const char *cert_path,
                      const char *key_path, bool overwrite, hc_keygen_result *res, char *msg,
                      size_t msg_len);

/* Loads a CSCA certificate and its key (checks: a CA certificate, the key matches). */
hc_err hc_keygen_ca_load(const char *cert_path, const char *key_path, const hc_passphrase *pass,
                         hc_keygen_ca *ca, char *msg, size_t msg_len);
void hc_keygen_ca_free(hc_keygen_ca *ca);

/*
 * Makes a DSC issued by ca. p->country must equal the CA's (governance: a DSC is issued by the
 * CSCA of its own country); the validity is cut to the CA's end (res says what was used).
 */
hc_err hc_keygen_dsc(const hc_keygen_params *p, const hc_keygen_ca *ca, const hc_passphrase *pass,
                     const char *cert_path, const char *key_path, bool overwrite,
                     hc_keygen_result *res, char *msg, size_t msg_len);

#endif
