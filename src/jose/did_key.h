/*
 * did_key.h: the did:key method (W3C CCG "The did:key Method" v0.7, §3.1 "Format"): a DID that is
 * its own public key,
 *
 *   did:key:z<base58btc(multicodec varint || public key)>
 *
 * with multibase prefix 'z' (base58btc) and these multicodec codes (multiformats table.csv):
 *   ed25519-pub 0xed   (varint ed 01)  + the 32-byte key          -> "z6Mk..."
 *   p256-pub    0x1200 (varint 80 24)  + the 33-byte compressed point -> "zDn..."
 *   p384-pub    0x1201 (varint 81 24)  + 49-byte compressed point -> "z82..."
 *   p521-pub    0x1202 (varint 82 24)  + 67-byte compressed point -> "z2J9..."
 * NIST points are compressed (SEC 1 v2 §2.3.3; did:key §3.1.3 "compressed"), uncompressed ones
 * are refused so that one key has one DID. Other codes (x25519, secp256k1, BLS, RSA) are refused:
 * they are not signature keys this toolkit verifies with.
 */
#ifndef HC_DID_KEY_H
#define HC_DID_KEY_H

#include <openssl/evp.h>
#include <stddef.h>

#include "healthcert/error.h"
#include "sig.h"

/* "did:key:" + 'z' + base58 of at most 2 + 67 bytes (95 characters) + NUL, rounded up. */
#define HC_DID_KEY_MAX 112

/*
 * Resolves a multibase public key value ("z...", the part after "did:key:" and the fragment of
 * its verification method) to an OpenSSL key. HC_ERR_KEY_INVALID with *why (static text) for
 * anything but the codes above, a point off the curve, or bad encoding.
 */
hc_err hc_did_key_multibase_key(const char *mb, size_t len, EVP_PKEY **key, hc_sig_alg *alg,
                                const char **why);

/* As hc_did_key_multibase_key for a whole DID "did:key:z..." (no fragment). */
hc_err hc_did_key_resolve(const char *did, size_t len, EVP_PKEY **key, hc_sig_alg *alg,
                          const char **why);

/* The did:key of a public key (Ed25519, P-256, P-384, P-521), NUL-terminated. */
hc_err hc_did_key_from_key(EVP_PKEY *key, char *out, size_t cap);

#endif
