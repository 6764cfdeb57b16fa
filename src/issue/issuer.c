/*
 * issuer.c: loading a document signer certificate (DSC) and its private key (hc_issuer_load,
 * healthcert/issue.h).
 *
 * What is refused at load time, so that hc_issue_eu_dcc never signs something no verifier accepts:
 *   - a key that does not belong to the certificate (the signature would not verify);
 *   - keys other than P-256 and RSA 2048..4096: the HCERT spec §3.3.2 defines ES256 (P-256) and
 *     PS256 (RSA-PSS), and the EU certificate governance §3.3 allows no other curves;
 *   - a certificate without a country (C=): the CWT iss claim and the UVCI need it (HCERT §3.3.1,
 *     the DSC's country is the issuing Member State);
 *   - a CA certificate (a CSCA) or one whose key usage forbids digitalSignature: a DSC signs
 *     documents, a CSCA only certificates (governance §3.2; eu-dcc.md §1.8).
 * The certificate's validity and extended key usage are checked per certificate at issuing time.
 */
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "hc_msg.h"
#include "issue_internal.h"
#include "issue_secret.h"
#include "issue_sign.h"

/* A certificate file: a DSC is about 1 KiB; a PEM bundle with a chain is still well under this. */
#define CERT_FILE_MAX (1024 * 1024)

static hc_err
load_cert(const char *path, hc_issuer *iss, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    hc_err err = hc_read_file(path, CERT_FILE_MAX, &data, &len);

    if (err == HC_ERR_INPUT_TOO_LARGE) {
        hc_msgf(msg, msg_len, "%s is not a certificate file (over 1 MiB)", path);
        return HC_ERR_KEY_INVALID;
    }
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "cannot read the certificate file %s", path);
        return err == HC_ERR_NOMEM ? err : HC_ERR_IO;
    }
    iss->cert = hc_x509_parse(data, len);
    free(data);
    if (iss->cert == NULL) {
        hc_msgf(msg, msg_len, "%s holds no X.509 certificate (expected PEM or DER)", path);
        return HC_ERR_KEY_INVALID;
    }
    const char *why = NULL;
    if (hc_cert_info_from_x509_reason(iss->cert, &iss->info, &why) != HC_OK) {
        hc_msgf(msg, msg_len, "the certificate %s is unusable: %s", path, why ? why : "unreadable");
        return HC_ERR_KEY_INVALID;
    }
    if (iss->info.country[0] == '\0') {
        hc_msgf(msg, msg_len,
                "the certificate %s has no country (C=) in its subject: the CWT issuer and the "
                "UVCI need it",
                path);
        return HC_ERR_KEY_INVALID;
    }
    if (iss->info.is_ca) {
        hc_msgf(msg, msg_len,
                "the certificate %s is a CA certificate (CSCA); sign with a document signer "
                "certificate (healthcert keygen dsc)",
                path);
        return HC_ERR_KEY_INVALID;
    }
    /* X509_get_key_usage is UINT32_MAX when the extension is absent (all uses allowed). */
    if ((X509_get_key_usage(iss->cert) & KU_DIGITAL_SIGNATURE) == 0) {
        hc_msgf(msg, msg_len, "the certificate %s does not allow digitalSignature (key usage)",
                path);
        return HC_ERR_KEY_INVALID;
    }
    int n = i2d_X509(iss->cert, &iss->cert_der);
    if (n <= 0) {
        return HC_ERR_INTERNAL;
    }
    iss->cert_der_len = (size_t)n;
    return HC_OK;
}

/* The algorithm of an issuing key, or HC_SIG_NONE when the key is not one HCERT allows. */
static hc_sig_alg
issuing_alg(EVP_PKEY *key)
{
    hc_sig_alg alg = hc_sig_alg_for_key(key);
    int bits = EVP_PKEY_get_bits(key);
    if (alg == HC_SIG_ES256) {
        return alg;
    }
    if (alg == HC_SIG_PS256 && bits >= 2048 && bits <= 4096) {
        return alg;
    }
    return HC_SIG_NONE;
}

hc_err
hc_issuer_load(const char *cert_path, const char *key_path, const char *passphrase_file,
               hc_issuer **out, char *msg, size_t msg_len)
{
    hc_passphrase pass = { 0 };
    hc_err err;

    if (out == NULL || cert_path == NULL || key_path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *out = NULL;
    hc_issuer *iss = calloc(1, sizeof *iss);
    if (iss == NULL) {
        return HC_ERR_NOMEM;
    }
    err = load_cert(cert_path, iss, msg, msg_len);
    if (err != HC_OK) {
        goto fail;
    }
    if (passphrase_file != NULL) {
        err = hc_passphrase_read(passphrase_file, &pass, msg, msg_len);
        if (err != HC_OK) {
            goto fail;
        }
    }
    err = hc_private_key_load(key_path, passphrase_file ? &pass : NULL, &iss->key, msg, msg_len);
    hc_passphrase_wipe(&pass);
    if (err != HC_OK) {
        goto fail;
    }
    iss->alg = issuing_alg(iss->key);
    if (iss->alg == HC_SIG_NONE) {
        hc_msgf(msg, msg_len,
                "the key %s is neither P-256 (ES256) nor RSA 2048..4096 (PS256), the algorithms "
                "of the HCERT spec",
                key_path);
        err = HC_ERR_KEY_INVALID;
        goto fail;
    }
    /* The public half of the key must be the certificate's key (EVP_PKEY_eq compares it). */
    if (EVP_PKEY_eq(X509_get0_pubkey(iss->cert), iss->key) != 1) {
        ERR_clear_error();
        hc_msgf(msg, msg_len, "the key %s does not belong to the certificate %s", key_path,
                cert_path);
        err = HC_ERR_KEY_INVALID;
        goto fail;
    }
    err = hc_issue_signer_init(iss);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "cannot prepare the key %s for signing", key_path);
        goto fail;
    }
    iss->signer_ready = true;
    *out = iss;
    return HC_OK;
fail:
    hc_issuer_free(iss);
    return err;
}

void
hc_issuer_free(hc_issuer *iss)
{
    if (iss == NULL) {
        return;
    }
    if (iss->signer_ready) {
        hc_issue_signer_free(iss);
    }
    X509_free(iss->cert);
    EVP_PKEY_free(iss->key); /* OpenSSL clears private key material on free */
    OPENSSL_free(iss->cert_der);
    free(iss);
}

const char *
hc_issuer_country(const hc_issuer *iss)
{
    return iss ? iss->info.country : NULL;
}

const uint8_t *
hc_issuer_kid(const hc_issuer *iss)
{
    return iss ? iss->info.kid : NULL;
}

const uint8_t *
hc_issuer_cert_der(const hc_issuer *iss, size_t *len)
{
    if (iss == NULL) {
        return NULL;
    }
    if (len != NULL) {
        *len = iss->cert_der_len;
    }
    return iss->cert_der;
}
