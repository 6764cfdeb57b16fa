/*
 * jws.h: JSON Web Signature compact serialisation (RFC 7515 §3.1, §7.1) for credentials.
 *
 *   BASE64URL(UTF8(header)) '.' BASE64URL(payload) '.' BASE64URL(signature)
 *
 * Parsing is strict, because a JWS arrives from a QR code:
 *   - exactly three parts of the base64url alphabet without padding or white space (RFC 7515 §2
 *     "with all trailing '=' characters omitted"); anything else is ENCODING_INVALID (characters)
 *     or STRUCTURE_INVALID (the parts);
 *   - the header is one bounded JSON object without duplicate members (json_bounded.h);
 *   - the algorithm comes from the header but must be one the caller allows (policy): "none",
 *     HS*, RS*, PS* and everything else are ALG_UNSUPPORTED (RFC 8725 §3.1, §3.2; CVE-2015-9235);
 *     the caller then checks it fits the trusted key (sig.h decides: the key, never the message);
 *   - header members that would make us take a key, an algorithm extension or a URL from the
 *     message are refused: "crit" (RFC 7515 §4.1.11: we understand no extension), "b64" (RFC 7797
 *     unencoded payloads), "jku", "x5u" (never fetched: SSRF, security.md §1.3), "jwk", "x5c"
 *     (keys come only from trust material);
 *   - "zip" (RFC 7516 §4.1.3, reused by SMART Health Cards for JWS) may only be "DEF", and only
 *     when the policy allows compression; inflating is the caller's (bounded) job;
 *   - the signature must have the algorithm's exact size: 64 bytes for ES256 (raw r||s, RFC 7518
 *     §3.4) and EdDSA (RFC 8037 §3.1). A DER-encoded ECDSA signature is refused as
 *     SIGNATURE_INVALID, never converted (dev-tools SIGNATURE_FORMAT_ERROR; security.md §0 item 7).
 */
#ifndef HC_JWS_H
#define HC_JWS_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "sig.h"

/* Longest header accepted, base64url characters: a credential header is about 100 bytes. */
#define HC_JWS_MAX_HEADER_B64 4096

/* Bit of an algorithm in hc_jws_policy.algs. */
#define HC_JWS_ALG_BIT(alg) (1u << (unsigned)(alg))

typedef struct hc_jws_policy {
    unsigned algs;  /* HC_JWS_ALG_BIT of each algorithm accepted */
    bool allow_zip; /* "zip":"DEF" accepted (the caller inflates) */
} hc_jws_policy;

typedef struct hc_jws {
    json_t *header;            /* the decoded header (owned; hc_jws_clear) */
    size_t text_len;           /* length of the whole compact JWS */
    const char *signing_input; /* header '.' payload, as received (RFC 7515 §5.2 step 8) */
    size_t signing_input_len;
    const char *payload_b64; /* the payload part, as received */
    size_t payload_b64_len;
    hc_sig_alg alg;  /* the header's algorithm (one the policy allows) */
    const char *kid; /* the header's kid (view into header), NULL when absent */
    size_t kid_len;
    const char *typ;  /* the header's typ, NULL when absent */
    bool zip;         /* "zip":"DEF" */
    uint8_t *payload; /* the decoded payload (still compressed when zip), in the caller's buf */
    size_t payload_len;
    uint8_t signature[HC_SIG_MAX_LEN];
    size_t signature_len;
} hc_jws;

/*
 * Parses text[0..len) under pol. The payload is decoded into buf[0..cap) (HC_ERR_INPUT_TOO_LARGE
 * when it does not fit). On error *out holds nothing to free and why says what was wrong; on
 * success call hc_jws_clear. Views point into text and into out->header.
 */
hc_err hc_jws_parse(const char *text, size_t len, const hc_jws_policy *pol, uint8_t *buf,
                    size_t cap, hc_jws *out, char *why, size_t why_len);

void hc_jws_clear(hc_jws *jws);

/* Verifies the signature with key (sig.h: HC_OK, SIGNATURE_INVALID, ALG_UNSUPPORTED, ...). */
hc_err hc_jws_verify(const hc_jws *jws, EVP_PKEY *key);

/*
 * Signs payload[0..len) with key under the header (serialised compactly, members in insertion
 * order; its "alg" must name alg). *out is the malloc'd NUL-terminated compact JWS.
 */
hc_err hc_jws_sign(const json_t *header, const uint8_t *payload, size_t payload_len, EVP_PKEY *key,
                   hc_sig_alg alg, char **out, size_t *out_len);

/* True for a character of the base64url alphabet (RFC 4648 §5). */
bool hc_jws_is_b64url_char(char c);

#endif
