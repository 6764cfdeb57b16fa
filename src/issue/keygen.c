/* keygen.c: CSCA and DSC key pairs and certificates (see issue_keygen.h). */
#include "hc_msg.h"
#include "issue_keygen.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "x509_info.h"

/* The DCC extended key usage OIDs (HCERT spec Appendix A.4, governance §4.3). */
#define OID_DCC_TEST        "1.3.6.1.4.1.1847.2021.1.1"
#define OID_DCC_VACCINATION "1.3.6.1.4.1.1847.2021.1.2"
#define OID_DCC_RECOVERY    "1.3.6.1.4.1.1847.2021.1.3"

#define MS_PER_DAY (86400LL * 1000)
/* A certificate valid for more than a century is a typing error, not a policy. */
#define MAX_DAYS 36525
/* A CSCA certificate file read back for signing DSCs. */
#define CERT_FILE_MAX (1024 * 1024)

static bool
country_ok(const char *c)
{
    return c != NULL && strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

static hc_err
check_params(const hc_keygen_params *p, char *msg, size_t msg_len)
{
    if (!country_ok(p->country)) {
        hc_msgf(msg, msg_len, "the country must be two upper-case letters (ISO 3166-1 alpha-2)");
        return HC_ERR_INVALID_ARG;
    }
    if (p->days < 1 || p->days > MAX_DAYS) {
        hc_msgf(msg, msg_len, "the validity must be 1..%d days", MAX_DAYS);
        return HC_ERR_INVALID_ARG;
    }
    if (p->key_type != HC_KEY_P256 && p->key_type != HC_KEY_RSA3072) {
        hc_msgf(msg, msg_len, "the key must be P-256 (es256) or RSA-3072 (ps256)");
        return HC_ERR_INVALID_ARG;
    }
    if (p->not_before < 0 || p->not_before > HC_TIME_MAX_MS - MAX_DAYS * MS_PER_DAY) {
        hc_msgf(msg, msg_len, "the start of validity is out of range");
        return HC_ERR_INVALID_ARG;
    }
    return HC_OK;
}

static bool
refuse_existing(const char *path, bool overwrite, char *msg, size_t msg_len)
{
    if (!overwrite && access(path, F_OK) == 0) {
        hc_msgf(msg, msg_len, "%s exists; not replacing it (use --force to replace)", path);
        return true;
    }
    return false;
}

static hc_err
write_cert(const char *path, X509 *cert, char *msg, size_t msg_len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem = NULL;
    hc_err err = HC_ERR_INTERNAL;

    if (bio != NULL && PEM_write_bio_X509(bio, cert) == 1) {
        long n = BIO_get_mem_data(bio, &pem);
        err = n > 0 ? hc_write_file(path, pem, (size_t)n, HC_CERT_FILE_MODE) : HC_ERR_INTERNAL;
        if (err == HC_ERR_IO) {
            hc_msgf(msg, msg_len, "cannot write %s", path);
        }
    }
    BIO_free(bio);
    return err;
}

static void
fill_result(X509 *cert, hc_keygen_result *res)
{
    hc_cert_info info;
    memset(res, 0, sizeof *res);
    if (hc_cert_info_from_x509(cert, &info) == HC_OK) {
        memcpy(res->kid, info.kid, sizeof res->kid);
        res->not_before = info.not_before;
        res->not_after = info.not_after;
        snprintf(res->subject, sizeof res->subject, "%s", info.subject);
    }
}

/* Key first (so that a certificate never exists without its key), then the certificate. */
static hc_err
write_pair(X509 *cert, EVP_PKEY *key, const hc_passphrase *pass, const char *cert_path,
           const char *key_path, char *msg, size_t msg_len)
{
    hc_err err = hc_private_key_write(key_path, key, pass, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    err = write_cert(cert_path, cert, msg, msg_len);
    if (err != HC_OK) {
        unlink(key_path);
    }
    return err;
}

/* The DCC EKU OIDs of eku bits as a NULL-terminated list (oids holds 4 entries). */
static const char *const *
eku_list(unsigned eku, const char *oids[4])
{
    size_t n = 0;
    if (eku & HC_EKU_DCC_TEST) {
        oids[n++] = OID_DCC_TEST;
    }
    if (eku & HC_EKU_DCC_VACCINATION) {
        oids[n++] = OID_DCC_VACCINATION;
    }
    if (eku & HC_EKU_DCC_RECOVERY) {
        oids[n++] = OID_DCC_RECOVERY;
    }
    oids[n] = NULL;
    return n ? oids : NULL;
}

/* A new key of key_type and its certificate from t, signed by issuer_cert/issuer_key (both NULL:
 * self-signed), written as a pair and described in res. */
static hc_err
make_and_write(const hc_cert_template *t, hc_key_type key_type, X509 *issuer_cert,
               EVP_PKEY *issuer_key, const hc_passphrase *pass, const char *cert_path,
               const char *key_path, hc_keygen_result *res, char *msg, size_t msg_len)
{
    hc_err err;
    EVP_PKEY *key = hc_key_generate(key_type);
    X509 *cert = key ? hc_x509_make(t, key, issuer_cert, issuer_key) : NULL;
    if (cert == NULL) {
        hc_msgf(msg, msg_len, "cannot make the key or certificate");
        err = HC_ERR_INTERNAL;
    } else {
        err = write_pair(cert, key, pass, cert_path, key_path, msg, msg_len);
    }
    if (err == HC_OK) {
        fill_result(cert, res);
    }
    ERR_clear_error();
    X509_free(cert);
    EVP_PKEY_free(key);
    return err;
}

hc_err
hc_keygen_csca(const hc_keygen_params *p, const hc_passphrase *pass, const char *cert_path,
               const char *key_path, bool overwrite, hc_keygen_result *res, char *msg,
               size_t msg_len)
{
    char cn[64];
    hc_err err = check_params(p, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    if (refuse_existing(cert_path, overwrite, msg, msg_len) ||
        refuse_existing(key_path, overwrite, msg, msg_len)) {
        return HC_ERR_IO;
    }
    snprintf(cn, sizeof cn, "Country Signing CA %s", p->country);
    hc_cert_template t = {
        .country = p->country,
        .common_name = p->common_name ? p->common_name : cn,
        .organization = p->organization,
        .not_before = p->not_before,
        .not_after = p->not_before + p->days * MS_PER_DAY,
        .is_ca = true,
    };
    return make_and_write(&t, p->key_type, NULL, NULL, pass, cert_path, key_path, res, msg,
                          msg_len);
}

hc_err
hc_keygen_ca_load(const char *cert_path, const char *key_path, const hc_passphrase *pass,
                  hc_keygen_ca *ca, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    hc_cert_info info;

    memset(ca, 0, sizeof *ca);
    hc_err err = hc_read_file(cert_path, CERT_FILE_MAX, &data, &len);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "cannot read the CSCA certificate %s", cert_path);
        return err == HC_ERR_INPUT_TOO_LARGE ? HC_ERR_KEY_INVALID : err;
    }
    ca->cert = hc_x509_parse(data, len);
    free(data);
    if (ca->cert == NULL || hc_cert_info_from_x509(ca->cert, &info) != HC_OK) {
        hc_msgf(msg, msg_len, "%s holds no usable certificate", cert_path);
        err = HC_ERR_KEY_INVALID;
        goto fail;
    }
    if (!info.is_ca) {
        hc_msgf(msg, msg_len, "%s is not a CA certificate (CA:true); give the CSCA", cert_path);
        err = HC_ERR_KEY_INVALID;
        goto fail;
    }
    err = hc_private_key_load(key_path, pass, &ca->key, msg, msg_len);
    if (err != HC_OK) {
        goto fail;
    }
    if (EVP_PKEY_eq(X509_get0_pubkey(ca->cert), ca->key) != 1) {
        hc_msgf(msg, msg_len, "the key %s does not belong to the certificate %s", key_path,
                cert_path);
        err = HC_ERR_KEY_INVALID;
        goto fail;
    }
    memcpy(ca->country, info.country, sizeof ca->country);
    ca->not_before = info.not_before;
    ca->not_after = info.not_after;
    ERR_clear_error();
    return HC_OK;
fail:
    ERR_clear_error();
    hc_keygen_ca_free(ca);
    return err;
}

void
hc_keygen_ca_free(hc_keygen_ca *ca)
{
    if (ca != NULL) {
        X509_free(ca->cert);
        EVP_PKEY_free(ca->key);
        memset(ca, 0, sizeof *ca);
    }
}

hc_err
hc_keygen_dsc(const hc_keygen_params *p, const hc_keygen_ca *ca, const hc_passphrase *pass,
              const char *cert_path, const char *key_path, bool overwrite, hc_keygen_result *res,
              char *msg, size_t msg_len)
{
    char cn[64];
    const char *oids[4];
    hc_err err = check_params(p, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    if (strcmp(p->country, ca->country) != 0) {
        hc_msgf(msg, msg_len,
                "the DSC's country %s differs from the CSCA's (%s): a DSC is issued by the CSCA "
                "of its own country",
                p->country, ca->country[0] ? ca->country : "none");
        return HC_ERR_INVALID_ARG;
    }
    hc_time_ms nb = p->not_before, na = p->not_before + p->days * MS_PER_DAY;
    /* Shell model: the DSC lies within the CSCA's validity. */
    if (nb < ca->not_before) {
        nb = ca->not_before;
    }
    if (na > ca->not_after) {
        na = ca->not_after;
    }
    if (na <= nb) {
        hc_msgf(msg, msg_len, "the CSCA is not valid during the requested validity");
        return HC_ERR_INVALID_ARG;
    }
    if (refuse_existing(cert_path, overwrite, msg, msg_len) ||
        refuse_existing(key_path, overwrite, msg, msg_len)) {
        return HC_ERR_IO;
    }
    snprintf(cn, sizeof cn, "Document Signer %s", p->country);
    hc_cert_template t = {
        .country = p->country,
        .common_name = p->common_name ? p->common_name : cn,
        .organization = p->organization,
        .not_before = nb,
        .not_after = na,
        .is_ca = false,
        .eku = eku_list(p->eku, oids),
    };
    return make_and_write(&t, p->key_type, ca->cert, ca->key, pass, cert_path, key_path, res, msg,
                          msg_len);
}
