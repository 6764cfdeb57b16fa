/*
 * x509_info.h: what the verifier needs from a signer certificate, extracted once at load time so
 * that the verify path never parses X.509.
 */
#ifndef HC_X509_INFO_H
#define HC_X509_INFO_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>

#include "hctime.h"
#include "healthcert/error.h"

/* Extended key usage for EU DCC document signers (HCERT spec Appendix A.4; governance §4.3). */
#define HC_EKU_DCC_TEST        0x01 /* 1.3.6.1.4.1.1847.2021.1.1 (or ...4.1.0.1847...) */
#define HC_EKU_DCC_VACCINATION 0x02 /* 1.3.6.1.4.1.1847.2021.1.2 */
#define HC_EKU_DCC_RECOVERY    0x04 /* 1.3.6.1.4.1.1847.2021.1.3 */

typedef struct hc_cert_info {
    uint8_t kid[8];       /* HCERT Appendix A.1: first 8 bytes of SHA-256(DER certificate) */
    uint8_t sha256[32];   /* SHA-256 of the DER certificate */
    char country[3];      /* subject C=, "" when absent */
    char subject_cn[128]; /* subject CN (UTF-8), "" when absent */
    char subject[256];    /* one-line subject DN (RFC 2253 style) */
    hc_time_ms not_before;
    hc_time_ms not_after;
    unsigned dcc_eku; /* HC_EKU_DCC_* bits found; 0 = no DCC EKU = any type allowed */
    bool is_ca;       /* basicConstraints CA:true */
    int key_type;     /* EVP_PKEY_EC, EVP_PKEY_RSA, EVP_PKEY_RSA_PSS, EVP_PKEY_ED25519 */
    int key_bits;
} hc_cert_info;

/* Largest DER certificate accepted from outside (security.md §5: "cert <= 16 KiB"; real DSCs are
 * 0.5-2 KiB). */
#define HC_MAX_CERT_DER (16 * 1024)

/* Fills info from cert. HC_ERR_TRUST_INVALID when the certificate is unusable (no key, explicit
 * EC parameters, unsupported key type, unparsable validity). */
hc_err hc_cert_info_from_x509(X509 *cert, hc_cert_info *info);

/* As hc_cert_info_from_x509; on HC_ERR_TRUST_INVALID *reason (when reason is not NULL) names the
 * cause in a static string, e.g. "explicit EC parameters". */
hc_err hc_cert_info_from_x509_reason(X509 *cert, hc_cert_info *info, const char **reason);

/* True when a DSC with dcc_eku may sign a DCC of type 't', 'v' or 'r' (no DCC EKU: any type). */
bool hc_cert_eku_allows(unsigned dcc_eku, char type);

/* Parses one certificate from PEM or DER bytes (new reference, NULL if neither). DER must be
 * exactly one certificate of at most HC_MAX_CERT_DER bytes; from PEM the first CERTIFICATE block
 * is taken (other blocks, such as a private key, are passed over). */
X509 *hc_x509_parse(const uint8_t *data, size_t len);

/* Decodes exactly one DER certificate (no trailing bytes, at most HC_MAX_CERT_DER); NULL if not. */
X509 *hc_x509_from_der(const uint8_t *der, size_t len);

/* Called per PEM block with its label ("CERTIFICATE", "PRIVATE KEY", ...) and decoded bytes (wiped
 * after the call: they may be a private key). Returns 0 to go on, > 0 to stop, < 0 to fail. */
typedef int (*hc_x509_pem_fn)(void *ctx, const char *label, const uint8_t *der, size_t der_len);

/* Calls fn for each PEM block of data (text outside blocks is ignored, as RFC 7468 §2 allows).
 * Returns the number of blocks passed to fn, or -1 when a block is malformed (bad base64, no END
 * line) or fn failed. */
int hc_x509_pem_foreach(const uint8_t *data, size_t len, hc_x509_pem_fn fn, void *ctx);

#endif
