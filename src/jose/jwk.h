/*
 * jwk.h: JSON Web Keys (RFC 7517) for signatures: EC P-256 / P-384 / P-521 (RFC 7518 §6.2) and
 * OKP Ed25519 (RFC 8037 §2), to and from OpenSSL keys, and their RFC 7638 thumbprints.
 *
 * Verification keys come from trust material, so reading them is strict:
 *   - kty and crv must name a supported curve; coordinates must be base64url of exactly the
 *     curve's size (RFC 7518 §6.2.1.2: "MUST be the full size of a coordinate"), and the point must
 *     be on the curve (OpenSSL checks it when the key is made);
 *   - a public key must hold no private member (RFC 7518 §6.2.2 "d", §6.3.2 RSA members, §6.4
 *     "k"): a private key in a trust file is a leak to be fixed, never a key to use
 *     (SMART Health Cards: "SHALL NOT have the Private Key parameter d");
 *   - "use", when present, must be "sig" (RFC 7517 §4.2); "key_ops", when present, must allow
 *     "verify" ("sign" for private keys, RFC 7517 §4.3); "alg", when present, must be the one
 *     algorithm the key fits (RFC 7517 §4.4; algorithm confusion, security.md §0 item 6).
 * Other members (kid, x5c, crlVersion, ...) are left to the caller.
 */
#ifndef HC_JWK_H
#define HC_JWK_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"
#include "sig.h"

/* base64url of a SHA-256 (43 characters, RFC 7638 §3.1 with RFC 7515 §2 base64url) + NUL. */
#define HC_JWK_THUMBPRINT_LEN 44

/*
 * Makes the public key of a JWK object. HC_ERR_KEY_INVALID with *why (static text) when it is not
 * a usable public signature key under the rules above; HC_ERR_NOMEM / HC_ERR_INTERNAL.
 * *alg is the algorithm the key fits (ES256, ES384, ES512, EdDSA).
 */
hc_err hc_jwk_public_key(const json_t *jwk, EVP_PKEY **key, hc_sig_alg *alg, const char **why);

/* As hc_jwk_public_key for a private JWK ("d" required; it must belong to x / y). */
hc_err hc_jwk_private_key(const json_t *jwk, EVP_PKEY **key, hc_sig_alg *alg, const char **why);

/* The RFC 7638 thumbprint of key's public part (base64url SHA-256, NUL-terminated). */
hc_err hc_jwk_thumbprint(EVP_PKEY *key, char out[HC_JWK_THUMBPRINT_LEN]);

/*
 * The key as a JWK (new reference): kty, crv, x, y (EC), d when with_private, and kid (the
 * thumbprint), use "sig", alg. NULL when the key is of no supported type or out of memory.
 */
json_t *hc_jwk_from_key(EVP_PKEY *key, bool with_private);

/* The JWK "alg" name of a signature algorithm ("ES256", "EdDSA"; RFC 7518 §3.1, RFC 8037 §3.1). */
const char *hc_jwk_alg_name(hc_sig_alg alg);

/* The algorithm a JWS "alg" value names among those this library verifies, or HC_SIG_NONE. */
hc_sig_alg hc_jwk_alg_from_name(const char *name, size_t len);

/*
 * Raw public key material: the curve's uncompressed coordinates (EC: x then y, coord_len each) or
 * the 32-byte Ed25519 key (y unused). Shared with did:key (which compresses EC points).
 */
typedef struct hc_jwk_point {
    hc_sig_alg alg; /* ES256/ES384/ES512 for EC keys, EdDSA for Ed25519 */
    uint8_t x[66], y[66];
    size_t coord_len;
} hc_jwk_point;

/* The public material of key. HC_ERR_KEY_INVALID for unsupported key types. */
hc_err hc_jwk_point_of(EVP_PKEY *key, hc_jwk_point *pt);

/*
 * An OpenSSL public key from an encoded point: for EC an X9.62 octet string (04||x||y or the
 * compressed 02/03||x, SEC 1 v2 §2.3.3) on the curve of alg; for EdDSA the 32-byte key.
 * HC_ERR_KEY_INVALID when the point is not on the curve or has the wrong size.
 */
hc_err hc_jwk_key_from_point(hc_sig_alg alg, const uint8_t *point, size_t len, EVP_PKEY **key);

#endif
