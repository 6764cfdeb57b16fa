/*
 * jose_signer.h: the issuer side of the JWS formats: a signing key held as a private JWK file, and
 * making new key sets (the `keygen jwks` command).
 *
 * Key files (docs/jose.md "Key files"):
 *   private JWK  one JSON object with "d" (RFC 7518 §6.2.2 / RFC 8037 §2), written 0600, or a
 *                JWKS {"keys": [...]} whose first signing key with "d" is taken;
 *   public JWKS  {"keys": [public JWK]} with kid = RFC 7638 thumbprint, use "sig", alg: the file a
 *                SMART Health Card issuer publishes at <iss>/.well-known/jwks.json;
 *   DID document for did:web issuers ({"id", "verificationMethod", "assertionMethod"}), published
 * at the did:web location (did_doc.h), the key's fragment its thumbprint.
 */
#ifndef HC_JOSE_SIGNER_H
#define HC_JOSE_SIGNER_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

#include "did_key.h"
#include "healthcert/error.h"
#include "jwk.h"

typedef struct hc_jose_signer {
    EVP_PKEY *key;                          /* the private key (owned) */
    hc_sig_alg alg;                         /* ES256 or EdDSA */
    char thumbprint[HC_JWK_THUMBPRINT_LEN]; /* the SHC kid */
    char did_key[HC_DID_KEY_MAX];           /* the key as a did:key */
} hc_jose_signer;

/*
 * Loads a private JWK (or the first private signing key of a JWKS) from path. HC_ERR_IO,
 * HC_ERR_KEY_INVALID (msg says why: not JSON, no private key, unsupported type); ES256 and EdDSA
 * keys only.
 */
hc_err hc_jose_signer_load(const char *path, hc_jose_signer *s, char *msg, size_t msg_len);

/* As hc_jose_signer_load for a key in memory (takes a reference to key). */
hc_err hc_jose_signer_from_key(EVP_PKEY *key, hc_jose_signer *s);

void hc_jose_signer_clear(hc_jose_signer *s);

/* A new key set. did_web may be NULL; when given, did_doc is its DID document. */
typedef struct hc_jose_keyset {
    json_t *public_jwks; /* {"keys": [...]} */
    json_t *private_jwk; /* with "d" */
    json_t *did_doc;     /* NULL without did_web */
    char did_key[HC_DID_KEY_MAX];
    char kid[HC_JWK_THUMBPRINT_LEN];
} hc_jose_keyset;

/* Makes a key of alg (ES256: P-256, EdDSA: Ed25519). HC_ERR_INVALID_ARG for another alg or a
 * did_web that is not a did:web DID. */
hc_err hc_jose_keygen(hc_sig_alg alg, const char *did_web, hc_jose_keyset *out);
void hc_jose_keyset_clear(hc_jose_keyset *k);

/* Writes a new key set: the public JWKS (0644), the private JWK (0600), the DID document (0644,
 * when did_doc_path and did_web are given). Existing files are kept unless overwrite. */
hc_err hc_jose_keygen_files(hc_sig_alg alg, const char *did_web, const char *jwks_path,
                            const char *private_path, const char *did_doc_path, bool overwrite,
                            hc_jose_keyset *out, char *msg, size_t msg_len);

#endif
