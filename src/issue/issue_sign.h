/*
 * issue_sign.h: COSE_Sign1 signing for the issuer, with reused OpenSSL signing contexts.
 *
 * The message is what hc_cose_sign1_sign (src/cose) makes, byte for byte: tag 18 (RFC 9052 §2),
 * [protected {1: alg, 4: kid} (HCERT spec §3.3.1: alg and kid protected), unprotected {},
 * payload, signature], the signature over Sig_structure ["Signature1", protected, h'', payload]
 * (RFC 9052 §4.4) as raw r||s for ES256 (RFC 9053 §2.1) or RSASSA-PSS SHA-256, MGF1-SHA-256,
 * salt 32 for PS256 (RFC 8230 §2).
 *
 * Why not hc_cose_sign1_sign: it makes and initialises an EVP_PKEY_CTX per signature (provider
 * fetch, locks), about 15% of an ES256 signature in OpenSSL 3.0. The issuer keeps initialised
 * contexts in a small pool (issue_internal.h) and reuses them; the nonce of every ECDSA signature
 * is still fresh (OpenSSL draws k per EVP_PKEY_sign call). The digests use SHA-256 fetched once
 * and a per-thread digest context, and the Sig_structure is hashed from the message's own bytes:
 * the message is laid out once, with the CWT in place and room for the signature.
 */
#ifndef HC_ISSUE_SIGN_H
#define HC_ISSUE_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "issue_internal.h"

/* Prepares the issuer for signing: the protected header bytes and the signature length. */
hc_err hc_issue_signer_init(hc_issuer *iss);

/* Frees the pooled contexts (called by hc_issuer_free). */
void hc_issue_signer_free(hc_issuer *iss);

/*
 * Lays out the tagged COSE_Sign1 of payload (the CWT) in c->buf: everything but the signature's
 * bytes, whose place is reserved at the end. HC_ERR_NOMEM.
 */
hc_err hc_issue_cose_begin(const hc_issuer *iss, const uint8_t *payload, size_t payload_len,
                           hc_issue_cose *c);

/*
 * Signs c's Sig_structure and writes the signature into its place. sig_sha256 receives the EU
 * revocation hash input: SHA-256 over the signature, for ES256 over r only (eu-dcc.md §4.3);
 * NULL skips it. HC_ERR_KEY_INVALID (OpenSSL refused to sign), HC_ERR_NOMEM, HC_ERR_INTERNAL.
 */
hc_err hc_issue_cose_sign(const hc_issuer *iss, hc_issue_cose *c, uint8_t sig_sha256[32]);

#endif
