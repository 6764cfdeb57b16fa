/*
 * x509_make.h: making keys and certificates: the country signing CA (CSCA) and document signer
 * certificates (DSC) of the EU certificate governance profile (dgc-overview
 * guides/certificate-governance.md §3.2, §4.3), and test certificates with chosen properties.
 */
#ifndef HC_X509_MAKE_H
#define HC_X509_MAKE_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>

#include "hctime.h"
#include "healthcert/error.h"

typedef enum hc_key_type {
    HC_KEY_P256 = 0, /* ECDSA P-256: governance §3.3 "strongly RECOMMENDED" */
    HC_KEY_RSA3072,  /* RSA 3072 for RSASSA-PSS: allowed, "max 3072 bits" */
    HC_KEY_RSA2048,
    HC_KEY_P384,
    HC_KEY_ED25519,
} hc_key_type;

/* A new key pair (NULL on failure). */
EVP_PKEY *hc_key_generate(hc_key_type type);

typedef struct hc_cert_template {
    const char *country;      /* C=, ISO 3166-1 alpha-2 */
    const char *common_name;  /* CN= */
    const char *organization; /* O=, may be NULL */
    hc_time_ms not_before;
    hc_time_ms not_after;
    bool is_ca; /* CSCA: basicConstraints CA:true, pathlen 0, keyCertSign+cRLSign */
    /* Extended key usage OIDs (dotted text), e.g. "1.3.6.1.4.1.1847.2021.1.2"; NULL-terminated,
     * NULL for none (a DSC without DCC EKU may sign every type, HCERT Appendix A.4). */
    const char *const *eku;
} hc_cert_template;

/*
 * Makes a certificate for subject_key from t, signed by issuer_key as issuer_cert (NULL issuer_cert
 * = self-signed with subject_key). Adds SKI, AKI (when issued by a CA), keyUsage
 * (digitalSignature for signers; keyCertSign, cRLSign for CAs) and a random 16-byte serial.
 * Signature: ECDSA with SHA-256 for EC issuers, RSASSA-PSS SHA-256 for RSA issuers.
 */
X509 *hc_x509_make(const hc_cert_template *t, EVP_PKEY *subject_key, X509 *issuer_cert,
                   EVP_PKEY *issuer_key);

#endif
