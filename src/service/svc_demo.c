/*
 * svc_demo.c: demo material for the quick start (scripts/quickstart.sh, `serve --demo DIR`):
 * a country signing CA and a document signer for the made-up country "XX" (ISO 3166-1 user-assigned
 * code, so no demo certificate can pass for a real country's), an API token and the payload key.
 *
 * The PKI follows the EU certificate governance profile (x509_make.h): CSCA valid 4 years, DSC
 * 2 years without extended key usage (may sign every certificate type, HCERT Appendix A.4). Keys
 * are PKCS#8 PEM encrypted under a random passphrase kept beside them in key.pass (mode 0600):
 * no plaintext key on disk, though a production issuer keeps the passphrase elsewhere or the key
 * in an HSM (docs/service.md).
 */
#include "openssl_limits.h" /* before any OpenSSL header */

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "hctime.h"
#include "healthcert/store.h"
#include "service.h"
#include "x509_make.h"

#define DAY_MS (86400LL * 1000)

static bool
exists(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

/* Opens dir/name for writing, new file only, with mode. */
static FILE *
create(const char *dir, const char *name, mode_t mode, char *msg, size_t msg_len)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        snprintf(msg, msg_len, "cannot create %s: %s", p, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
    }
    return f;
}

static bool
write_cert(const char *dir, const char *name, X509 *cert, char *msg, size_t msg_len)
{
    FILE *f = create(dir, name, 0644, msg, msg_len);
    bool ok = f != NULL && PEM_write_X509(f, cert) == 1;
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    return ok;
}

/* PKCS#8 encrypted with AES-256-CBC under a key derived from pass (OpenSSL 3 uses PBES2 with
 * PBKDF2 for PEM_write_PKCS8PrivateKey): no plaintext private key on disk (security.md J12). */
static bool
write_key(const char *dir, const char *name, EVP_PKEY *key, const char *pass, char *msg,
          size_t msg_len)
{
    FILE *f = create(dir, name, 0600, msg, msg_len);
    bool ok = f != NULL && PEM_write_PKCS8PrivateKey(f, key, EVP_aes_256_cbc(), (char *)pass,
                                                     (int)strlen(pass), NULL, NULL) == 1;
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    return ok;
}

/* A random passphrase (32 hex digits) written to dir/name, mode 0600. */
static hc_err
make_passphrase(const char *dir, const char *name, char pass[33], char *msg, size_t msg_len)
{
    uint8_t r[16];
    if (RAND_bytes(r, sizeof r) != 1) {
        snprintf(msg, msg_len, "no random bytes for a passphrase");
        return HC_ERR_INTERNAL;
    }
    hc_hex_encode(r, sizeof r, pass); /* 32 digits and the NUL */
    OPENSSL_cleanse(r, sizeof r);
    FILE *f = create(dir, name, 0600, msg, msg_len);
    bool ok = f != NULL && fprintf(f, "%s\n", pass) > 0;
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    OPENSSL_cleanse(r, sizeof r);
    return ok ? HC_OK : HC_ERR_IO;
}

static hc_err
make_pki(const char *dir, char *msg, size_t msg_len)
{
    char pass[33];
    hc_time_ms now = hc_time_now();
    EVP_PKEY *ca_key = hc_key_generate(HC_KEY_P256), *dsc_key = hc_key_generate(HC_KEY_P256);
    X509 *ca = NULL, *dsc = NULL;
    hc_err e = HC_ERR_INTERNAL;
    if (ca_key == NULL || dsc_key == NULL) {
        snprintf(msg, msg_len, "cannot generate P-256 keys");
        goto out;
    }
    hc_cert_template ct = { "XX",         "healthcert demo CSCA XX", "healthcert demo",
                            now - DAY_MS, now + 4 * 365 * DAY_MS,    true,
                            NULL };
    ca = hc_x509_make(&ct, ca_key, NULL, NULL);
    hc_cert_template dt = { "XX",         "healthcert demo DSC XX 1", "healthcert demo",
                            now - DAY_MS, now + 2 * 365 * DAY_MS,     false,
                            NULL };
    dsc = ca != NULL ? hc_x509_make(&dt, dsc_key, ca, ca_key) : NULL;
    if (dsc == NULL) {
        snprintf(msg, msg_len, "cannot make the demo certificates");
        goto out;
    }
    if ((e = make_passphrase(dir, "key.pass", pass, msg, msg_len)) != HC_OK) {
        goto out;
    }
    if (!write_cert(dir, "csca.pem", ca, msg, msg_len) ||
        !write_key(dir, "csca.key", ca_key, pass, msg, msg_len) ||
        !write_cert(dir, "dsc.pem", dsc, msg, msg_len) ||
        !write_key(dir, "dsc.key", dsc_key, pass, msg, msg_len)) {
        e = HC_ERR_IO;
        goto out;
    }
    e = HC_OK;
out:
    OPENSSL_cleanse(pass, sizeof pass);
    X509_free(ca);
    X509_free(dsc);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(dsc_key);
    return e;
}

static hc_err
make_token(const char *dir, char *msg, size_t msg_len)
{
    uint8_t r[24];
    char hex[2 * sizeof r + 2];
    if (RAND_bytes(r, sizeof r) != 1) {
        snprintf(msg, msg_len, "no random bytes for a token");
        return HC_ERR_INTERNAL;
    }
    hc_hex_encode(r, sizeof r, hex);
    OPENSSL_cleanse(r, sizeof r);
    hex[2 * sizeof r] = '\n';
    hex[2 * sizeof r + 1] = 0;
    FILE *f = create(dir, "api-token", 0600, msg, msg_len);
    bool ok = f != NULL && fputs(hex, f) >= 0;
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    OPENSSL_cleanse(hex, sizeof hex);
    OPENSSL_cleanse(r, sizeof r);
    return ok ? HC_OK : HC_ERR_IO;
}

hc_err
hc_service_demo_init(const char *dir, bool *created, char *msg, size_t msg_len)
{
    static const char *const pki[] = { "csca.pem", "csca.key", "dsc.pem", "dsc.key", "key.pass" };
    hc_err e = HC_OK;
    *created = false;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(msg, msg_len, "cannot create %s: %s", dir, strerror(errno));
        return HC_ERR_IO;
    }
    size_t have = 0;
    for (size_t i = 0; i < sizeof pki / sizeof pki[0]; i++) {
        have += exists(dir, pki[i]);
    }
    if (have != 0 && have != sizeof pki / sizeof pki[0]) {
        snprintf(msg, msg_len,
                 "%s holds part of a demo PKI (csca.pem, csca.key, dsc.pem, dsc.key, key.pass); "
                 "remove them to make a new one",
                 dir);
        return HC_ERR_USAGE;
    }
    if (have == 0) {
        e = make_pki(dir, msg, msg_len);
        *created = true;
    }
    if (e == HC_OK && !exists(dir, "api-token")) {
        e = make_token(dir, msg, msg_len);
        *created = true;
    }
    if (e == HC_OK && !exists(dir, "payload.key")) {
        char p[4096];
        snprintf(p, sizeof p, "%s/payload.key", dir);
        e = hc_store_write_new_key_file(p, msg, msg_len);
        *created = true;
    }
    return e;
}
