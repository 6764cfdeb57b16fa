/*
 * healthcert/issue.h: issuing EU Digital COVID Certificates.
 *
 * An issuer is a document signer certificate (DSC) with its private key, loaded once and shared by
 * any number of threads. hc_issue_eu_dcc turns one DCC JSON record into a signed "HC1:" text:
 * it validates the record against the DCC schema, refuses a DSC whose extended key usage does not
 * allow the certificate type or that is not valid at the issuing time, generates a UVCI (with its
 * Luhn mod N check character) when the record has none, sets iss (the DSC's country), iat and exp
 * (never past the DSC's end), encodes deterministic CBOR, signs COSE_Sign1 and wraps it.
 */
#ifndef HEALTHCERT_ISSUE_H
#define HEALTHCERT_ISSUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hc_issuer hc_issuer;

/*
 * Loads a DSC (PEM or DER) and its private key (PKCS#8 PEM, plain or passphrase-encrypted; the
 * passphrase is the first line of passphrase_file, NULL when the key is plain). Refuses a key that
 * does not belong to the certificate, and keys of other types than P-256 / RSA (2048..4096).
 * HC_ERR_IO, HC_ERR_KEY_INVALID (with a reason in msg).
 */
hc_err hc_issuer_load(const char *cert_path, const char *key_path, const char *passphrase_file,
                      hc_issuer **out, char *msg, size_t msg_len);
void hc_issuer_free(hc_issuer *iss);

/* The DSC's country (C=) and kid (HCERT Appendix A.1). */
const char *hc_issuer_country(const hc_issuer *iss);
const uint8_t *hc_issuer_kid(const hc_issuer *iss);
/* The DSC as DER (for trust publication); valid while iss is. */
const uint8_t *hc_issuer_cert_der(const hc_issuer *iss, size_t *len);

typedef struct hc_issue_options {
    bool has_time;
    int64_t time_ms;   /* issuing time (iat); default now */
    int validity_days; /* exp = iat + days (default 365), clamped to the DSC's notAfter */
} hc_issue_options;

typedef struct hc_issue_result {
    char *qr;       /* "HC1:..." (malloc'd, NUL-terminated) */
    json_t *dcc;    /* the DCC as signed (with a generated UVCI), owned */
    char uvci[128]; /* the certificate identifier (ci) */
    char type;      /* 'v', 't' or 'r' */
    int64_t iat_ms, exp_ms;
    char country[3]; /* iss */
    uint8_t kid[8];
    /* EU revocation hash input (eu-dcc.md §4.3): SHA-256 over the signature; for ES256 only r. */
    uint8_t signature_sha256[32];
} hc_issue_result;

/*
 * Issues one certificate from the DCC JSON in input (not modified). On refusal returns
 * HC_ERR_SCHEMA_INVALID (msg names the field), HC_ERR_KEY_USAGE_MISMATCH, HC_ERR_KEY_EXPIRED,
 * HC_ERR_KEY_NOT_YET_VALID; could-not-check errors otherwise. Thread-safe for one shared issuer.
 */
hc_err hc_issue_eu_dcc(const hc_issuer *iss, const json_t *input, const hc_issue_options *opt,
                       hc_issue_result *out, char *msg, size_t msg_len);
void hc_issue_result_clear(hc_issue_result *r);

/*
 * (Addition.) A printable certificate of an issued one, as PDF: an A4 page whose top half is an
 * A6-sized card (front: EU-style band, the QR code as vector squares, holder, UVCI, validity;
 * back: every field with its label and value-set display names) to cut out and fold, and notes
 * with the technical details below. hc_issue_pdf_bytes returns it in memory (malloc'd, the caller
 * frees); hc_issue_pdf_write writes it to path atomically with mode 0600 (it holds health data).
 * HC_ERR_INVALID_ARG (r without qr or dcc), HC_ERR_NOMEM, HC_ERR_IO, HC_ERR_INTERNAL.
 */
hc_err hc_issue_pdf_bytes(const hc_issue_result *r, uint8_t **pdf, size_t *len);
hc_err hc_issue_pdf_write(const hc_issue_result *r, const char *path);

#ifdef __cplusplus
}
#endif
#endif
