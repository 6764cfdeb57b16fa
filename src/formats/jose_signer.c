/* jose_signer.c: JWS signing keys and key sets (see jose_signer.h). */
#include "jose_signer.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "did_doc.h"
#include "fileio.h"
#include "x509_make.h"

/* A private key file is a few hundred bytes; 64 KiB bounds a JWKS of many keys. */
#define KEY_FILE_MAX (64 * 1024)
/* File modes: the private key readable by its owner only, published files by all. */
#define PRIVATE_MODE 0600
#define PUBLIC_MODE  0644

hc_err
hc_jose_signer_from_key(EVP_PKEY *key, hc_jose_signer *s)
{
    if (key == NULL || s == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(s, 0, sizeof *s);
    s->alg = hc_sig_alg_for_key(key);
    if (s->alg != HC_SIG_ES256 && s->alg != HC_SIG_EDDSA) {
        return HC_ERR_KEY_INVALID;
    }
    if (hc_jwk_thumbprint(key, s->thumbprint) != HC_OK ||
        hc_did_key_from_key(key, s->did_key, sizeof s->did_key) != HC_OK ||
        EVP_PKEY_up_ref(key) != 1) {
        return HC_ERR_INTERNAL;
    }
    s->key = key;
    return HC_OK;
}

hc_err
hc_jose_signer_load(const char *path, hc_jose_signer *s, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    json_error_t je;
    const char *why = "no private signing key (a JWK with \"d\")";
    EVP_PKEY *key = NULL;

    if (path == NULL || s == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(s, 0, sizeof *s);
    hc_err e = hc_read_file(path, KEY_FILE_MAX, &data, &len);
    if (e != HC_OK) {
        snprintf(msg, msg_len, "%s: cannot be read (%s)", path, hc_err_str(e));
        return e == HC_ERR_INPUT_TOO_LARGE ? HC_ERR_KEY_INVALID : HC_ERR_IO;
    }
    json_t *doc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &je);
    OPENSSL_cleanse(data, len);
    free(data);
    if (doc == NULL) {
        snprintf(msg, msg_len, "%s: not JSON (%.80s)", path, je.text);
        return HC_ERR_KEY_INVALID;
    }
    json_t *keys = json_object_get(doc, "keys");
    size_t n = json_is_array(keys) ? json_array_size(keys) : 1;
    e = HC_ERR_KEY_INVALID;
    for (size_t i = 0; i < n && key == NULL; i++) {
        json_t *jwk = json_is_array(keys) ? json_array_get(keys, i) : doc;
        const char *use = json_string_value(json_object_get(jwk, "use"));
        if (json_object_get(jwk, "d") == NULL || (use != NULL && strcmp(use, "sig") != 0)) {
            continue; /* public keys, encryption keys (the SHC examples' ECDH-ES key) */
        }
        e = hc_jwk_private_key(jwk, &key, NULL, &why);
    }
    json_decref(doc);
    if (key != NULL) {
        e = hc_jose_signer_from_key(key, s);
        EVP_PKEY_free(key);
        if (e == HC_ERR_KEY_INVALID) {
            why = "only ES256 (P-256) and EdDSA (Ed25519) keys sign health cards";
        }
    }
    if (e != HC_OK) {
        snprintf(msg, msg_len, "%s: %s", path, why);
    }
    return e;
}

void
hc_jose_signer_clear(hc_jose_signer *s)
{
    if (s != NULL) {
        EVP_PKEY_free(s->key);
        memset(s, 0, sizeof *s);
    }
}

void
hc_jose_keyset_clear(hc_jose_keyset *k)
{
    if (k != NULL) {
        json_decref(k->public_jwks);
        json_decref(k->private_jwk);
        json_decref(k->did_doc);
        memset(k, 0, sizeof *k);
    }
}

hc_err
hc_jose_keygen(hc_sig_alg alg, const char *did_web, hc_jose_keyset *out)
{
    if (out == NULL || (alg != HC_SIG_ES256 && alg != HC_SIG_EDDSA) ||
        (did_web != NULL &&
         (strncmp(did_web, "did:web:", 8) != 0 || !hc_did_valid(did_web, strlen(did_web))))) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    EVP_PKEY *key = hc_key_generate(alg == HC_SIG_ES256 ? HC_KEY_P256 : HC_KEY_ED25519);
    if (key == NULL) {
        return HC_ERR_INTERNAL;
    }
    json_t *pub = hc_jwk_from_key(key, false);
    out->private_jwk = hc_jwk_from_key(key, true);
    hc_err e = HC_ERR_NOMEM;
    if (pub == NULL || out->private_jwk == NULL || hc_jwk_thumbprint(key, out->kid) != HC_OK ||
        hc_did_key_from_key(key, out->did_key, sizeof out->did_key) != HC_OK) {
        json_decref(pub);
        goto done;
    }
    out->public_jwks = json_pack("{s:[o]}", "keys", pub);
    if (out->public_jwks == NULL) {
        goto done;
    }
    if (did_web != NULL) {
        /* DID Core §5.2, JsonWebKey2020: the key under #<thumbprint>, usable to issue. */
        char id[HC_DID_MAX + HC_JWK_THUMBPRINT_LEN + 2];
        snprintf(id, sizeof id, "%s#%s", did_web, out->kid);
        json_t *vm_jwk = hc_jwk_from_key(key, false);
        json_object_del(vm_jwk, "use");
        out->did_doc = json_pack(
            "{s:[s, s], s:s, s:[{s:s, s:s, s:s, s:o}], s:[s]}", "@context",
            "https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1", "id",
            did_web, "verificationMethod", "id", id, "type", "JsonWebKey2020", "controller",
            did_web, "publicKeyJwk", vm_jwk, "assertionMethod", id);
        if (out->did_doc == NULL) {
            goto done;
        }
    }
    e = HC_OK;
done:
    EVP_PKEY_free(key);
    if (e != HC_OK) {
        hc_jose_keyset_clear(out);
    }
    return e;
}

/* Writes j to path with mode, unless it exists and !overwrite. */
static hc_err
write_json(const json_t *j, const char *path, unsigned mode, bool overwrite, char *msg,
           size_t msg_len)
{
    struct stat st;
    if (!overwrite && stat(path, &st) == 0) {
        snprintf(msg, msg_len, "%s exists (use --force to replace it)", path);
        return HC_ERR_USAGE;
    }
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        return HC_ERR_NOMEM;
    }
    size_t len = strlen(text);
    char *grown = realloc(text, len + 2);
    if (grown == NULL) {
        OPENSSL_cleanse(text, len);
        free(text);
        return HC_ERR_NOMEM;
    }
    text = grown;
    text[len++] = '\n';
    hc_err e = hc_write_file(path, text, len, mode);
    OPENSSL_cleanse(text, len);
    free(text);
    if (e != HC_OK) {
        snprintf(msg, msg_len, "%s: cannot be written (%s)", path, strerror(errno));
    }
    return e;
}

hc_err
hc_jose_keygen_files(hc_sig_alg alg, const char *did_web, const char *jwks_path,
                     const char *private_path, const char *did_doc_path, bool overwrite,
                     hc_jose_keyset *out, char *msg, size_t msg_len)
{
    if (jwks_path == NULL || private_path == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err e = hc_jose_keygen(alg, did_web, out);
    if (e != HC_OK) {
        snprintf(msg, msg_len,
                 e == HC_ERR_INVALID_ARG ? "--did must be a did:web DID" : "cannot make a key");
        return e;
    }
    /* The private key first: a public file without its private key would be useless. */
    e = write_json(out->private_jwk, private_path, PRIVATE_MODE, overwrite, msg, msg_len);
    if (e == HC_OK) {
        e = write_json(out->public_jwks, jwks_path, PUBLIC_MODE, overwrite, msg, msg_len);
    }
    if (e == HC_OK && did_doc_path != NULL && out->did_doc != NULL) {
        e = write_json(out->did_doc, did_doc_path, PUBLIC_MODE, overwrite, msg, msg_len);
    }
    if (e != HC_OK) {
        hc_jose_keyset_clear(out);
    }
    return e;
}
