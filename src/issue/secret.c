/* secret.c: passphrases and private key files (see issue_secret.h). */
#include "hc_msg.h"
#include "issue_secret.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* A PKCS#8 key file is a few KiB (RSA-4096 PEM: 3.3 KiB); anything much larger is not one. */
#define KEY_FILE_MAX (64 * 1024)
/* A passphrase file is read whole up to this size (its first line is used). */
#define PASS_FILE_MAX (HC_PASSPHRASE_MAX + 2)

/* scrypt cost for encrypted keys (issue_secret.h): 128 * r * N bytes = 16 MiB of memory, which
 * stays under OpenSSL's default scrypt memory limit (32 MiB) so that any OpenSSL can decrypt. */
#define SCRYPT_N (1UL << 14)
#define SCRYPT_R 8UL
#define SCRYPT_P 1UL

/* Wipes then frees a buffer that may hold a secret. */
static void
free_secret(uint8_t *p, size_t len)
{
    if (p != NULL) {
        OPENSSL_cleanse(p, len);
        free(p);
    }
}

hc_err
hc_passphrase_read(const char *path, hc_passphrase *out, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;

    memset(out, 0, sizeof *out);
    hc_err err = hc_read_file(path, PASS_FILE_MAX, &data, &len);
    if (err == HC_ERR_INPUT_TOO_LARGE) {
        /* hc_read_file stops at the bound, so only the first line matters: it may still fit. */
        err = HC_OK;
    }
    if (err != HC_OK) {
        free_secret(data, len);
        hc_msgf(msg, msg_len, "cannot read the passphrase file %s", path);
        return err == HC_ERR_NOMEM ? err : HC_ERR_IO;
    }
    size_t n = 0;
    while (n < len && data[n] != '\n' && data[n] != '\r') {
        n++;
    }
    if (n == 0 || n > HC_PASSPHRASE_MAX) {
        free_secret(data, len);
        hc_msgf(msg, msg_len, "the passphrase file %s %s", path,
                n == 0 ? "has an empty first line" : "has a first line over 1024 bytes");
        return HC_ERR_KEY_INVALID;
    }
    out->text = malloc(n + 1);
    if (out->text == NULL) {
        free_secret(data, len);
        return HC_ERR_NOMEM;
    }
    memcpy(out->text, data, n);
    out->text[n] = '\0';
    out->len = n;
    free_secret(data, len);
    return HC_OK;
}

void
hc_passphrase_wipe(hc_passphrase *p)
{
    if (p != NULL && p->text != NULL) {
        free_secret((uint8_t *)p->text, p->len + 1);
    }
    if (p != NULL) {
        p->text = NULL;
        p->len = 0;
    }
}

/*
 * OpenSSL's passphrase callback. Always installed, so that OpenSSL never falls back to prompting
 * on the terminal; without a passphrase it fails the decryption.
 */
static int
pass_cb(char *buf, int size, int rwflag, void *u)
{
    const hc_passphrase *p = u;
    (void)rwflag;
    if (p == NULL || p->text == NULL || size < 0 || p->len > (size_t)size) {
        return -1;
    }
    memcpy(buf, p->text, p->len);
    return (int)p->len;
}

/* True when the PEM text holds an encrypted key: PKCS#8 "ENCRYPTED PRIVATE KEY" (RFC 7468 §11)
 * or an old OpenSSL "Proc-Type: 4,ENCRYPTED" header (RFC 1421 §4.6.1.1). */
static bool
pem_is_encrypted(const uint8_t *data, size_t len)
{
    static const char *const marks[] = { "-----BEGIN ENCRYPTED PRIVATE KEY-----",
                                         "Proc-Type: 4,ENCRYPTED" };
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t i = 0; i + ml <= len; i++) {
            if (memcmp(data + i, marks[m], ml) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* PKCS#8 DER, plain (PrivateKeyInfo) or encrypted (EncryptedPrivateKeyInfo), RFC 5958 §2-3. */
static EVP_PKEY *
load_der(const uint8_t *data, size_t len, const hc_passphrase *pass, bool *encrypted)
{
    const unsigned char *p = data;
    EVP_PKEY *key = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);

    *encrypted = false;
    if (p8 == NULL || p != data + len) {
        PKCS8_PRIV_KEY_INFO_free(p8);
        p8 = NULL;
        p = data;
        X509_SIG *enc = d2i_X509_SIG(NULL, &p, (long)len);
        if (enc == NULL || p != data + len) {
            X509_SIG_free(enc);
            return NULL;
        }
        *encrypted = true;
        if (pass != NULL && pass->text != NULL) {
            p8 = PKCS8_decrypt(enc, pass->text, (int)pass->len);
        }
        X509_SIG_free(enc);
        if (p8 == NULL) {
            return NULL;
        }
    }
    key = EVP_PKCS82PKEY(p8);
    PKCS8_PRIV_KEY_INFO_free(p8); /* its key octets are cleared on free */
    return key;
}

hc_err
hc_private_key_load(const char *path, const hc_passphrase *pass, EVP_PKEY **out, char *msg,
                    size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    EVP_PKEY *key = NULL;
    bool encrypted = false;

    *out = NULL;
    hc_err err = hc_read_file(path, KEY_FILE_MAX, &data, &len);
    if (err != HC_OK) {
        free_secret(data, len);
        if (err == HC_ERR_INPUT_TOO_LARGE) {
            hc_msgf(msg, msg_len, "%s is not a private key file (over 64 KiB)", path);
            return HC_ERR_KEY_INVALID;
        }
        hc_msgf(msg, msg_len, "cannot read the key file %s", path);
        return err == HC_ERR_NOMEM ? err : HC_ERR_IO;
    }
    if (len > 0 && data[0] == 0x30) {
        /* DER starts with a SEQUENCE tag (X.690 §8.9); PEM text never does. */
        key = load_der(data, len, pass, &encrypted);
    } else {
        encrypted = pem_is_encrypted(data, len);
        if (!encrypted || (pass != NULL && pass->text != NULL)) {
            BIO *bio = BIO_new_mem_buf(data, (int)len);
            if (bio != NULL) {
                key = PEM_read_bio_PrivateKey_ex(bio, NULL, pass_cb, (void *)pass, NULL, NULL);
                BIO_free(bio);
            }
        }
    }
    free_secret(data, len);
    /* OpenSSL queues a reason per failed decoder attempt; none is shown, so drop them. */
    ERR_clear_error();
    if (key == NULL) {
        if (encrypted && (pass == NULL || pass->text == NULL)) {
            hc_msgf(msg, msg_len,
                    "the key %s is encrypted: give its passphrase with --passphrase-file", path);
        } else if (encrypted) {
            hc_msgf(msg, msg_len, "cannot decrypt the key %s: wrong passphrase or damaged file",
                    path);
        } else {
            hc_msgf(msg, msg_len, "%s holds no private key (expected PKCS#8 PEM or DER)", path);
        }
        return HC_ERR_KEY_INVALID;
    }
    *out = key;
    return HC_OK;
}

hc_err
hc_private_key_write(const char *path, EVP_PKEY *key, const hc_passphrase *pass, char *msg,
                     size_t msg_len)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
    X509_SIG *enc = NULL;
    BIO *bio = BIO_new(BIO_s_secmem()); /* cleared when freed: the PEM text is the key */
    hc_err err = HC_ERR_INTERNAL;
    int ok = 0;

    if (p8 == NULL || bio == NULL) {
        goto done;
    }
    if (pass != NULL && pass->text != NULL) {
        X509_ALGOR *pbe =
            PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 0, NULL, SCRYPT_N, SCRYPT_R, SCRYPT_P);
        if (pbe == NULL) {
            goto done;
        }
        enc = PKCS8_set0_pbe(pass->text, (int)pass->len, p8, pbe);
        if (enc == NULL) {
            X509_ALGOR_free(pbe);
            goto done;
        }
        ok = PEM_write_bio_PKCS8(bio, enc);
    } else {
        ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8);
    }
    if (ok != 1) {
        goto done;
    }
    char *pem = NULL;
    long pem_len = BIO_get_mem_data(bio, &pem);
    if (pem_len <= 0) {
        goto done;
    }
    err = hc_write_file(path, pem, (size_t)pem_len, HC_KEY_FILE_MODE);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "cannot write %s", path);
    }
done:
    if (err == HC_ERR_INTERNAL) {
        hc_msgf(msg, msg_len, "cannot encode the private key");
    }
    ERR_clear_error();
    X509_SIG_free(enc);
    PKCS8_PRIV_KEY_INFO_free(p8);
    BIO_free(bio);
    return err;
}
