/*
 * store_crypt.c: payloads encrypted at rest with AES-256-GCM (NIST SP 800-38D), and the key file.
 *
 * Blob layout: "HCP1" || key id (8) || nonce (12) || tag (16) || ciphertext.
 *   - The key id (first 8 bytes of SHA-256("healthcert payload key" || key)) tells "another key"
 *     apart from "tampered" without revealing anything about the key.
 *   - Nonces are 96 random bits (SP 800-38D §8.2.2); with random nonces one key must stay below
 *     2^32 encryptions (§8.3), far above any issuer's volume; rotate keys well before that.
 *   - The associated data binds the ciphertext to its record: "healthcert-payload-v1" NUL uvci.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "store_internal.h"

#define MAGIC     "HCP1"
#define NONCE_LEN 12
#define TAG_LEN   16
#define AAD_LABEL "healthcert-payload-v1"
/* A payload is a signed DCC with its QR text: a few KiB; anything past 1 MiB is not ours. */
#define MAX_PAYLOAD (1024 * 1024)

void
hc_store_key_id(const uint8_t key[HC_STORE_KEY_LEN], uint8_t id[8])
{
    static const char label[] = "healthcert payload key";
    uint8_t md[32];
    unsigned mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    memset(md, 0, sizeof md);
    if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(c, label, sizeof label - 1) != 1 ||
        EVP_DigestUpdate(c, key, HC_STORE_KEY_LEN) != 1 || EVP_DigestFinal_ex(c, md, &mdlen) != 1) {
        memset(md, 0, sizeof md);
    }
    EVP_MD_CTX_free(c);
    memcpy(id, md, 8);
}

/* AAD = label NUL uvci. */
static int
set_aad(EVP_CIPHER_CTX *c, const char *uvci, bool enc)
{
    int n = 0;
    int (*update)(EVP_CIPHER_CTX *, unsigned char *, int *, const unsigned char *, int) =
        enc ? EVP_EncryptUpdate : EVP_DecryptUpdate;
    return update(c, NULL, &n, (const unsigned char *)AAD_LABEL, (int)sizeof AAD_LABEL) == 1 &&
           update(c, NULL, &n, (const unsigned char *)uvci, (int)strlen(uvci)) == 1;
}

hc_err
hc_store_seal(const uint8_t key[HC_STORE_KEY_LEN], const char *uvci, const uint8_t *plain,
              size_t len, uint8_t **blob, size_t *blob_len)
{
    if (len > MAX_PAYLOAD) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    size_t total = HC_STORE_BLOB_OVERHEAD + len;
    uint8_t *b = malloc(total);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    hc_err e = HC_ERR_INTERNAL;
    int n = 0, fin = 0;
    if (b == NULL || c == NULL) {
        e = HC_ERR_NOMEM;
        goto out;
    }
    uint8_t *nonce = b + 12, *tag = b + 24, *ct = b + HC_STORE_BLOB_OVERHEAD;
    memcpy(b, MAGIC, 4);
    hc_store_key_id(key, b + 4);
    if (RAND_bytes(nonce, NONCE_LEN) != 1 ||
        EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1 ||
        EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) != 1 || !set_aad(c, uvci, true) ||
        (len > 0 && EVP_EncryptUpdate(c, ct, &n, plain, (int)len) != 1) ||
        EVP_EncryptFinal_ex(c, ct + n, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) != 1 ||
        (size_t)(n + fin) != len) {
        goto out;
    }
    *blob = b;
    *blob_len = total;
    b = NULL;
    e = HC_OK;
out:
    free(b);
    EVP_CIPHER_CTX_free(c);
    return e;
}

hc_err
hc_store_open_blob(const uint8_t key[HC_STORE_KEY_LEN], const char *uvci, const uint8_t *blob,
                   size_t blob_len, uint8_t **plain, size_t *len)
{
    uint8_t id[8];
    if (blob_len < HC_STORE_BLOB_OVERHEAD || memcmp(blob, MAGIC, 4) != 0 ||
        blob_len - HC_STORE_BLOB_OVERHEAD > MAX_PAYLOAD) {
        return HC_ERR_KEY_INVALID;
    }
    hc_store_key_id(key, id);
    if (CRYPTO_memcmp(id, blob + 4, 8) != 0) {
        return HC_ERR_KEY_INVALID;
    }
    size_t clen = blob_len - HC_STORE_BLOB_OVERHEAD;
    uint8_t *p = malloc(clen + 1); /* + 1: a NUL after the text, and malloc(0) avoided */
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    hc_err e = HC_ERR_KEY_INVALID;
    int n = 0, fin = 0;
    if (p == NULL || c == NULL) {
        e = HC_ERR_NOMEM;
        goto out;
    }
    if (EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1 ||
        EVP_DecryptInit_ex(c, NULL, NULL, key, blob + 12) != 1 || !set_aad(c, uvci, false) ||
        (clen > 0 && EVP_DecryptUpdate(c, p, &n, blob + HC_STORE_BLOB_OVERHEAD, (int)clen) != 1) ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN, (void *)(blob + 24)) != 1 ||
        EVP_DecryptFinal_ex(c, p + n, &fin) != 1) {
        /* The tag does not match: tampered, or moved from another record. Nothing decrypted
         * is released (verify before release). */
        OPENSSL_cleanse(p, clen + 1);
        goto out;
    }
    p[clen] = 0;
    *plain = p;
    *len = clen;
    p = NULL;
    e = HC_OK;
out:
    free(p);
    EVP_CIPHER_CTX_free(c);
    return e;
}

hc_err
hc_store_read_key_file(const char *path, uint8_t key[HC_STORE_KEY_LEN], char *msg, size_t msg_len)
{
    uint8_t buf[160];
    struct stat st;
    ssize_t n;
    hc_err e = HC_ERR_KEY_INVALID;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        hc_msgf(msg, msg_len, "cannot read the payload key file %s: %s", path, strerror(errno));
        return HC_ERR_IO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        hc_msgf(msg, msg_len, "the payload key file %s is not a regular file", path);
        goto out;
    }
    if ((st.st_mode & 077) != 0) {
        hc_msgf(msg, msg_len,
                "the payload key file %s may be read by others (mode %03o); chmod 600 it", path,
                (unsigned)(st.st_mode & 0777));
        goto out;
    }
    n = read(fd, buf, sizeof buf);
    if (n == HC_STORE_KEY_LEN) {
        memcpy(key, buf, HC_STORE_KEY_LEN);
        e = HC_OK;
    } else {
        size_t len = n > 0 ? (size_t)n : 0;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
            len--;
        }
        if (len == 2 * HC_STORE_KEY_LEN) {
            /* Hex decoded by hand: this module must not depend on codec's internals here. */
            e = HC_OK;
            for (size_t i = 0; i < HC_STORE_KEY_LEN && e == HC_OK; i++) {
                unsigned v = 0;
                for (int j = 0; j < 2; j++) {
                    char ch = (char)buf[2 * i + (size_t)j];
                    unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                                 : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                                 : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                                          : 16u;
                    if (d > 15) {
                        e = HC_ERR_KEY_INVALID;
                    }
                    v = v * 16 + (d & 15);
                }
                key[i] = (uint8_t)v;
            }
        }
        if (e != HC_OK) {
            hc_msgf(msg, msg_len,
                    "the payload key file %s holds neither 32 bytes nor 64 hex digits", path);
        }
    }
out:
    OPENSSL_cleanse(buf, sizeof buf);
    close(fd);
    return e;
}

hc_err
hc_store_write_new_key_file(const char *path, char *msg, size_t msg_len)
{
    uint8_t key[HC_STORE_KEY_LEN];
    char hex[2 * HC_STORE_KEY_LEN + 2];
    hc_err e = HC_OK;
    if (RAND_bytes(key, sizeof key) != 1) {
        hc_msgf(msg, msg_len, "no random bytes for a key");
        return HC_ERR_INTERNAL;
    }
    hc_hex_encode(key, sizeof key, hex);
    hex[2 * sizeof key] = '\n';
    /* O_EXCL: never replace a key, which would make every stored payload unreadable. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        hc_msgf(msg, msg_len, "cannot create the key file %s: %s", path, strerror(errno));
        e = HC_ERR_IO;
    } else {
        if (write(fd, hex, 2 * sizeof key + 1) != (ssize_t)(2 * sizeof key + 1) || fsync(fd) != 0) {
            hc_msgf(msg, msg_len, "cannot write the key file %s", path);
            e = HC_ERR_IO;
        }
        close(fd);
    }
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(hex, sizeof hex);
    return e;
}
