/*
 * issue_secret.h: passphrases and private key files (PKCS#8, RFC 5958), the only place of the
 * issue module that touches secret bytes.
 *
 * Rules kept here: a secret is never printed or put in a message; every buffer that held one
 * (passphrase, key file contents) is wiped with OPENSSL_cleanse before it is freed; key files are
 * written with mode 0600 (atomically, hc_write_file); no function ever prompts on the terminal
 * (OpenSSL's default PEM callback would), a missing passphrase is an error with a reason.
 */
#ifndef HC_ISSUE_SECRET_H
#define HC_ISSUE_SECRET_H

#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <stddef.h>

#include "healthcert/error.h"

/* Longest passphrase accepted (the first line of a passphrase file). */
#define HC_PASSPHRASE_MAX 1024

/* Mode of private key files: owner read/write only. */
#define HC_KEY_FILE_MODE 0600

typedef struct hc_passphrase {
    char *text; /* NUL-terminated, malloc'd; wiped by hc_passphrase_wipe */
    size_t len;
} hc_passphrase;

/*
 * Reads the first line of path (without its line break; "\r\n" endings tolerated) as a passphrase.
 * HC_ERR_IO when unreadable, HC_ERR_KEY_INVALID when the line is empty or longer than
 * HC_PASSPHRASE_MAX; msg says which.
 */
hc_err hc_passphrase_read(const char *path, hc_passphrase *out, char *msg, size_t msg_len);

/* Wipes and frees the passphrase; safe on a zeroed struct. */
void hc_passphrase_wipe(hc_passphrase *p);

/*
 * Loads a private key: PKCS#8 PEM ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), the older OpenSSL PEM
 * forms, or PKCS#8 DER. pass is NULL for a plain key. HC_ERR_IO when the file cannot be read,
 * HC_ERR_KEY_INVALID with a reason otherwise (encrypted without a passphrase, wrong passphrase,
 * not a key).
 */
hc_err hc_private_key_load(const char *path, const hc_passphrase *pass, EVP_PKEY **out, char *msg,
                           size_t msg_len);

/*
 * Writes key as PKCS#8 PEM, mode 0600. With pass, as an EncryptedPrivateKeyInfo: PBES2 (RFC 8018
 * §6.2) with AES-256-CBC and the scrypt KDF (RFC 7914; N = 2^14, r = 8, p = 1, the "interactive"
 * parameters of the scrypt paper, 16 MiB).
 */
hc_err hc_private_key_write(const char *path, EVP_PKEY *key, const hc_passphrase *pass, char *msg,
                            size_t msg_len);

#endif
