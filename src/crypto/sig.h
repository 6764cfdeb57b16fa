/*
 * sig.h: the signature adapter over OpenSSL 3 (the one place that knows signature encodings).
 *
 * Algorithms are named by the credential formats; the key decides whether they fit:
 *   ES256 = ECDSA P-256 + SHA-256, signature raw r||s (64 bytes): RFC 9053 §2.1, RFC 7518 §3.4
 *   ES384 / ES512 = ECDSA P-384 / P-521, raw r||s (96 / 132 bytes): ICAO VDS-NC, RFC 7518 §3.4
 *   PS256 = RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32 (RFC 8230 §2): 2048..4096-bit keys
 *   EdDSA = Ed25519 (RFC 8037 §3.1): 64-byte signatures
 * A raw ECDSA signature of the wrong length (a DER signature, a truncated one), or with r or s
 * equal to 0 or not below the group order, is SIGNATURE_INVALID without calling the library. An
 * algorithm that does not fit the key (PS256 with an EC key, ES256 with a P-384 key, explicit
 * curve parameters) is ALG_UNSUPPORTED. OpenSSL's verify result counts only when it is exactly 1.
 */
#ifndef HC_SIG_H
#define HC_SIG_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

typedef enum hc_sig_alg {
    HC_SIG_NONE = 0,
    HC_SIG_ES256,
    HC_SIG_ES384,
    HC_SIG_ES512,
    HC_SIG_PS256,
    HC_SIG_EDDSA,
} hc_sig_alg;

/* Largest signature any algorithm here produces: RSA-4096 PSS (512 bytes, RFC 8017 §8.1.1). */
#define HC_SIG_MAX_LEN 512
/* Largest DER ECDSA-Sig-Value (P-521): SEQUENCE header 3 + 2 x (INTEGER header 2 + 0x00 + 66). */
#define HC_SIG_ECDSA_DER_MAX 141

/* "ES256", "PS256", ... ("none" for HC_SIG_NONE). */
const char *hc_sig_alg_name(hc_sig_alg alg);

/*
 * SHA-256, fetched once for the process (NULL only if OpenSSL cannot provide it). Why: in
 * OpenSSL 3, EVP_sha256() and the one-shot SHA256() fetch the algorithm (a lock and a lookup) on
 * every use, which costs more than hashing a few hundred bytes. Every SHA-256 on a per-certificate
 * path (Sig_structure, revocation hashes, issuance) uses this one.
 */
const EVP_MD *hc_sig_md_sha256(void);

/* The one algorithm key fits (P-256 -> ES256, P-384 -> ES384, P-521 -> ES512, RSA / RSA-PSS ->
 * PS256, Ed25519 -> EdDSA), or HC_SIG_NONE when the key fits none (the key policy of this file). */
hc_sig_alg hc_sig_alg_for_key(EVP_PKEY *key);

/* HC_OK when key can make / check signatures of alg, else HC_ERR_ALG_UNSUPPORTED. */
hc_err hc_sig_key_fits(EVP_PKEY *key, hc_sig_alg alg);

/*
 * Verifies sig over msg with key. HC_OK when valid; HC_ERR_SIGNATURE_INVALID when not (including
 * malformed signatures); HC_ERR_ALG_UNSUPPORTED when alg does not fit key; HC_ERR_INTERNAL when
 * OpenSSL fails for another reason. Thread-safe (no shared mutable state).
 */
hc_err hc_sig_verify(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *msg, size_t msg_len,
                     const uint8_t *sig, size_t sig_len);

/* As hc_sig_verify, with the SHA-256/384/512 digest of the message already computed. */
hc_err hc_sig_verify_digest(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *digest, size_t dlen,
                            const uint8_t *sig, size_t sig_len);

/*
 * A per-thread cache of verification contexts. The key policy checks and OpenSSL's context setup
 * cost about 20,000 instructions per signature (callgrind, bench_verify), a tenth of the ES256
 * verification itself; a verifier that sees the same keys again keeps them here, ready to verify.
 * Each slot holds a reference to its key (EVP_PKEY_CTX_new takes one), so a cached pointer can
 * never name a freed and reused key. Not thread-safe: one cache per thread (per hc_verifier).
 */
#define HC_SIG_CACHE_SLOTS 8
typedef struct hc_sig_cache {
    struct {
        EVP_PKEY *key;
        hc_sig_alg alg;
        EVP_PKEY_CTX *ctx; /* initialised for verification with alg's parameters */
    } slot[HC_SIG_CACHE_SLOTS];
    unsigned next; /* slot replaced next (round robin) */
} hc_sig_cache;

void hc_sig_cache_init(hc_sig_cache *cache);
void hc_sig_cache_clear(hc_sig_cache *cache);

/* As hc_sig_verify_digest, through cache (NULL: uncached). */
hc_err hc_sig_verify_digest_cached(hc_sig_cache *cache, EVP_PKEY *key, hc_sig_alg alg,
                                   const uint8_t *digest, size_t dlen, const uint8_t *sig,
                                   size_t sig_len);

/*
 * Sets PS256's parameters on a signing or verifying context (after EVP_PKEY_sign_init or
 * EVP_PKEY_verify_init): PSS padding, SHA-256, MGF1-SHA-256, salt length 32 (RFC 8230 §2), all
 * pinned. For callers that keep OpenSSL contexts of their own (a signer's context pool), so that
 * the parameters are written once. false when OpenSSL refuses them.
 */
bool hc_sig_ctx_set_ps256(EVP_PKEY_CTX *ctx);

/* Signs msg; ECDSA signatures come out as raw r||s. *sig_len is set on success. */
hc_err hc_sig_sign(EVP_PKEY *key, hc_sig_alg alg, const uint8_t *msg, size_t msg_len, uint8_t *sig,
                   size_t cap, size_t *sig_len);

/* Raw r||s <-> DER ECDSA-Sig-Value (RFC 3279 §2.2.3); coord_len is 32, 48 or 66. */
hc_err hc_sig_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t cap,
                         size_t *der_len);
hc_err hc_sig_der_to_raw(const uint8_t *der, size_t der_len, size_t coord_len, uint8_t *raw,
                         size_t cap);

#endif
