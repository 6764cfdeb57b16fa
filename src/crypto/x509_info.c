/*
 * x509_info.c: what the verifier needs from a signer certificate, extracted once at load time
 * (see x509_info.h).
 *
 * Invariants:
 *   - A certificate is accepted only when everything the verifier will rely on could be read:
 *     well-formed extensions (OpenSSL's EXFLAG_INVALID clear), a key that fits one algorithm of
 *     sig.h (which refuses explicit EC parameters: CVE-2020-0601, CVE-2022-0778), a validity
 *     period that converts to milliseconds and does not end before it starts.
 *   - Text taken from a certificate (CN, subject) is attacker-chosen: it is copied as valid UTF-8
 *     with control characters replaced by '?', cut at a character boundary, so that it can be
 *     printed in messages and verdicts as is.
 */
#include "x509_info.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

#include "hc_utf8.h"
#include "sig.h"

/*
 * DER contents (X.690 §8.19) of the DCC extended key usage OIDs: HCERT spec Appendix A.4 /
 * governance §4.3 (1.3.6.1.4.1.1847.2021.1.{1,2,3} = test, vaccination, recovery) and the
 * mis-encoded 1.3.6.1.4.1.0.1847.2021.1.{1,2,3} that issuers used and all reference verifiers
 * accept (eu-dcc.md §1.7; dgca-app-core-android X509.kt OID_ALT_*; dgc-testdata CO1-CO14).
 * 1847 = 0x8e 0x37 and 2021 = 0x8f 0x65 in base-128.
 */
typedef struct dcc_eku_oid {
    size_t len;
    uint8_t der[12];
    unsigned bit;
} dcc_eku_oid;

static const dcc_eku_oid dcc_eku_oids[] = {
    { 11, { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x01 }, HC_EKU_DCC_TEST },
    { 11,
      { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x02 },
      HC_EKU_DCC_VACCINATION },
    { 11,
      { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x03 },
      HC_EKU_DCC_RECOVERY },
    { 12,
      { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x00, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x01 },
      HC_EKU_DCC_TEST },
    { 12,
      { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x00, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x02 },
      HC_EKU_DCC_VACCINATION },
    { 12,
      { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x00, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x03 },
      HC_EKU_DCC_RECOVERY },
};

/* Copies src into dst (cap >= 1) as printable UTF-8: C0/C1 controls, DEL and invalid bytes become
 * '?'; the copy stops at the last whole character that fits. */
static void
copy_text(char *dst, size_t cap, const uint8_t *src, size_t len)
{
    size_t o = 0, i = 0;
    while (i < len) {
        size_t n = hc_utf8_char_len(src + i, len - i);
        bool control = (n == 1 && (src[i] < 0x20 || src[i] == 0x7f)) ||
                       (n == 2 && src[i] == 0xc2 && src[i + 1] < 0xa0);
        if (n == 0 || control) {
            if (o + 1 >= cap) {
                break;
            }
            dst[o++] = '?';
            i += n == 0 ? 1 : n;
            continue;
        }
        if (o + n >= cap) {
            break;
        }
        memcpy(dst + o, src + i, n);
        o += n;
        i += n;
    }
    dst[o] = '\0';
}

/* An X.509 time (UTCTime or GeneralizedTime, RFC 5280 §4.1.2.5) as Unix milliseconds. */
static bool
asn1_time_ms(const ASN1_TIME *t, hc_time_ms *out)
{
    struct tm tm;

    if (t == NULL || ASN1_TIME_check(t) != 1 || ASN1_TIME_to_tm(t, &tm) != 1) {
        return false;
    }
    int64_t year = (int64_t)tm.tm_year + 1900;
    if (year < 1 || year > 9999 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
        tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
        tm.tm_sec > 60) {
        return false;
    }
    int64_t days = hc_days_from_civil(year, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    *out = ((days * 24 + tm.tm_hour) * 60 + tm.tm_min) * 60000 + (int64_t)tm.tm_sec * 1000;
    return true;
}

/* The DCC EKU bits of cert; false when the extension is present but unreadable. */
static bool
read_dcc_eku(X509 *cert, unsigned *bits)
{
    int crit = 0;
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, &crit, NULL);

    *bits = 0;
    if (eku == NULL) {
        return crit == -1; /* -1: absent; otherwise malformed or repeated */
    }
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
        const ASN1_OBJECT *oid = sk_ASN1_OBJECT_value(eku, i);
        const unsigned char *der = OBJ_get0_data(oid);
        size_t len = OBJ_length(oid);
        for (size_t k = 0; der != NULL && k < sizeof dcc_eku_oids / sizeof dcc_eku_oids[0]; k++) {
            if (len == dcc_eku_oids[k].len && memcmp(der, dcc_eku_oids[k].der, len) == 0) {
                *bits |= dcc_eku_oids[k].bit;
            }
        }
    }
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
    return true;
}

/* The first entry of nid in name, or NULL. */
static const ASN1_STRING *
name_entry(const X509_NAME *name, int nid)
{
    int idx = X509_NAME_get_index_by_NID(name, nid, -1);
    return idx < 0 ? NULL : X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
}

static void
read_subject(X509 *cert, hc_cert_info *info)
{
    const X509_NAME *name = X509_get_subject_name(cert);
    const ASN1_STRING *c = name_entry(name, NID_countryName);
    const ASN1_STRING *cn = name_entry(name, NID_commonName);

    /* C= is an ISO 3166-1 alpha-2 code (RFC 5280 Appendix A, X520countryName); anything else is
     * left out rather than guessed. */
    if (c != NULL && ASN1_STRING_length(c) == 2) {
        const unsigned char *d = ASN1_STRING_get0_data(c);
        for (int i = 0; i < 2; i++) {
            unsigned char ch = d[i];
            ch = (ch >= 'a' && ch <= 'z') ? (unsigned char)(ch - 'a' + 'A') : ch;
            info->country[i] = (ch >= 'A' && ch <= 'Z') ? (char)ch : '\0';
        }
        if (info->country[0] == '\0' || info->country[1] == '\0') {
            memset(info->country, 0, sizeof info->country);
        }
    }
    if (cn != NULL) {
        unsigned char *utf8 = NULL;
        int n = ASN1_STRING_to_UTF8(&utf8, cn);
        if (n >= 0) {
            copy_text(info->subject_cn, sizeof info->subject_cn, utf8, (size_t)n);
        }
        OPENSSL_free(utf8);
    }
    /* RFC 2253 order and escaping, but UTF-8 kept as UTF-8 (no \XX for bytes >= 0x80). */
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio != NULL &&
        X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *text = NULL;
        long n = BIO_get_mem_data(bio, &text);
        if (n > 0 && text != NULL) {
            copy_text(info->subject, sizeof info->subject, (const uint8_t *)text, (size_t)n);
        }
    }
    BIO_free(bio);
}

/* Why key fits no algorithm of sig.h (for messages). */
static const char *
key_refusal(EVP_PKEY *key)
{
    int id = EVP_PKEY_get_base_id(key);
    int explicit_params = 0;
    if (id == EVP_PKEY_EC) {
        if (EVP_PKEY_get_int_param(key, OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS,
                                   &explicit_params) == 1 &&
            explicit_params != 0) {
            return "explicit EC parameters (only named curves are accepted)";
        }
        return "EC curve is not P-256, P-384 or P-521";
    }
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
        return "RSA key is not 2048-4096 bits with e = 65537 (or has PSS limits other than "
               "SHA-256)";
    }
    return "key type not supported (EC, RSA, RSA-PSS or Ed25519 expected)";
}

hc_err
hc_cert_info_from_x509(X509 *cert, hc_cert_info *info)
{
    return hc_cert_info_from_x509_reason(cert, info, NULL);
}

hc_err
hc_cert_info_from_x509_reason(X509 *cert, hc_cert_info *info, const char **reason)
{
    hc_cert_info out;
    const char *why = NULL;
    unsigned char *der = NULL;
    hc_err err = HC_ERR_TRUST_INVALID;

    if (cert == NULL || info == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(&out, 0, sizeof out);
    ERR_set_mark();

    /* Caches the extensions; EXFLAG_INVALID marks a malformed or repeated extension. */
    uint32_t flags = X509_get_extension_flags(cert);
    if ((flags & EXFLAG_INVALID) != 0) {
        why = "malformed or repeated certificate extension";
        goto done;
    }
    int der_len = i2d_X509(cert, &der);
    if (der_len <= 0 || der_len > HC_MAX_CERT_DER) {
        why = der_len <= 0 ? "certificate cannot be encoded" : "certificate larger than 16 KiB";
        goto done;
    }
    /* HCERT spec Appendix A.1: kid = the first 8 bytes of SHA-256 over the DER certificate. */
    if (EVP_Digest(der, (size_t)der_len, out.sha256, NULL, EVP_sha256(), NULL) != 1) {
        err = HC_ERR_INTERNAL;
        why = "SHA-256 failed";
        goto done;
    }
    memcpy(out.kid, out.sha256, sizeof out.kid);

    EVP_PKEY *key = X509_get0_pubkey(cert);
    if (key == NULL) {
        why = "no readable public key";
        goto done;
    }
    if (hc_sig_alg_for_key(key) == HC_SIG_NONE) {
        why = key_refusal(key);
        goto done;
    }
    out.key_type = EVP_PKEY_get_base_id(key);
    out.key_bits = EVP_PKEY_get_bits(key);

    if (!asn1_time_ms(X509_get0_notBefore(cert), &out.not_before) ||
        !asn1_time_ms(X509_get0_notAfter(cert), &out.not_after)) {
        why = "unreadable validity period";
        goto done;
    }
    if (out.not_after < out.not_before) {
        why = "validity period ends before it starts";
        goto done;
    }
    if (!read_dcc_eku(cert, &out.dcc_eku)) {
        why = "malformed extended key usage";
        goto done;
    }
    out.is_ca = (flags & EXFLAG_CA) != 0;
    read_subject(cert, &out);
    *info = out;
    err = HC_OK;
done:
    OPENSSL_free(der);
    ERR_pop_to_mark();
    if (err != HC_OK && reason != NULL) {
        *reason = why;
    }
    return err;
}

bool
hc_cert_eku_allows(unsigned dcc_eku, char type)
{
    unsigned need;
    switch (type) {
    case 't': need = HC_EKU_DCC_TEST; break;
    case 'v': need = HC_EKU_DCC_VACCINATION; break;
    case 'r': need = HC_EKU_DCC_RECOVERY; break;
    default: return false; /* no such DCC type: nothing to allow */
    }
    /* HCERT Appendix A.4: no DCC EKU = valid for every type; otherwise the type's EKU must be
     * present. An EKU holding only other OIDs counts as none (governance §4.3: "handle unknown
     * OIDs gracefully"; the EU Android verifier does the same). */
    return dcc_eku == 0 || (dcc_eku & need) != 0;
}

X509 *
hc_x509_from_der(const uint8_t *der, size_t len)
{
    if (der == NULL || len == 0 || len > HC_MAX_CERT_DER) {
        return NULL;
    }
    const unsigned char *p = der;
    ERR_set_mark();
    X509 *cert = d2i_X509(NULL, &p, (long)len);
    if (cert != NULL && p != der + len) {
        X509_free(cert); /* trailing bytes: not exactly one certificate */
        cert = NULL;
    }
    ERR_pop_to_mark();
    return cert;
}

int
hc_x509_pem_foreach(const uint8_t *data, size_t len, hc_x509_pem_fn fn, void *ctx)
{
    int count = 0;

    if (data == NULL || fn == NULL || len > INT_MAX) {
        return -1;
    }
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL) {
        return -1;
    }
    ERR_set_mark();
    for (;;) {
        char *label = NULL, *header = NULL;
        unsigned char *body = NULL;
        long body_len = 0;
        if (PEM_read_bio(bio, &label, &header, &body, &body_len) != 1) {
            /* PEM_R_NO_START_LINE = no further block: the normal end. */
            unsigned long e = ERR_peek_last_error();
            if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
                count = -1;
            }
            break;
        }
        int rc = fn(ctx, label, body, (size_t)body_len);
        OPENSSL_clear_free(body, (size_t)body_len); /* may have been a private key */
        OPENSSL_free(label);
        OPENSSL_free(header);
        if (rc < 0) {
            count = -1;
            break;
        }
        count++;
        if (rc > 0 || count == INT_MAX) {
            break;
        }
    }
    ERR_pop_to_mark();
    BIO_free(bio);
    return count;
}

/* Takes the first CERTIFICATE block. */
static int
first_certificate(void *ctx, const char *label, const uint8_t *der, size_t der_len)
{
    X509 **out = ctx;
    if (strcmp(label, PEM_STRING_X509) != 0 && strcmp(label, PEM_STRING_X509_OLD) != 0) {
        return 0;
    }
    *out = hc_x509_from_der(der, der_len);
    return *out != NULL ? 1 : -1;
}

X509 *
hc_x509_parse(const uint8_t *data, size_t len)
{
    X509 *cert = NULL;

    if (data == NULL || len == 0) {
        return NULL;
    }
    /* A DER certificate starts with a SEQUENCE tag (X.690 §8.9); PEM text never does. */
    if (data[0] == 0x30) {
        return hc_x509_from_der(data, len);
    }
    if (hc_x509_pem_foreach(data, len, first_certificate, &cert) < 0) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}
