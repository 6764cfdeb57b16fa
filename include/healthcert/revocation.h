/*
 * healthcert/revocation.h: revocation lists of individual certificates (the EU DCC revocation
 * scheme, Implementing Decision (EU) 2021/1073 as amended by 2022/483; shared/reference/eu-dcc.md
 * §4.3).
 *
 * A list holds 16-byte hashes grouped by the key identifier (kid) of the signer that issued the
 * revoked certificates, each of one of three hash types:
 *   UCI             SHA-256 over the UTF-8 certificate identifier (the DCC's "ci"),
 *   COUNTRYCODEUCI  SHA-256 over the issuing country code (CWT iss) followed by the UCI,
 *   SIGNATURE       SHA-256 over the COSE signature; for ES256 only its first half (r), which
 *                   makes the hash survive the (r, n - s) malleability of ECDSA,
 * of which the first 16 bytes are kept (the EU gateway's RevocationHashTypeDto and the
 * Corona-Warn-App's RevocationCalculation: BYTE_COUNT = 16).
 *
 * A list is safe to share between threads: lookups may run concurrently with additions (the
 * service adds a certificate the moment it is revoked while verifier threads read the list).
 *
 * The JSON document that GET /v1/revocations publishes and `verify --revocation` reads
 * (docs/service.md "Revocation list"):
 *   {"format": "healthcert-revocations", "version": 1, "generated_at": "2026-...Z",
 *    "sequence": 42,
 *    "lists": [{"kid": "<base64 kid>",
 *               "hashes": {"UCI": [...], "COUNTRYCODEUCI": [...], "SIGNATURE": [...]}}]}
 * with every hash as standard base64 of its 16 bytes.
 */
#ifndef HEALTHCERT_REVOCATION_H
#define HEALTHCERT_REVOCATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes kept of each SHA-256 (eu-dcc.md §4.3: the first 128 bits). */
#define HC_REVOCATION_HASH_LEN 16
/* Longest kid a list accepts (EU DCC kids are 8 bytes; other formats use longer ones). */
#define HC_REVOCATION_KID_MAX 64

typedef enum hc_revocation_hash_type {
    HC_REVOCATION_UCI = 0,
    HC_REVOCATION_COUNTRYCODEUCI = 1,
    HC_REVOCATION_SIGNATURE = 2,
} hc_revocation_hash_type;

#define HC_REVOCATION_HASH_TYPES 3

/* "UCI", "COUNTRYCODEUCI", "SIGNATURE" (the gateway's names). */
const char *hc_revocation_hash_type_name(hc_revocation_hash_type t);

typedef struct hc_revocation_list hc_revocation_list;

hc_revocation_list *hc_revocation_list_new(void);
void hc_revocation_list_free(hc_revocation_list *rl);

/*
 * Adds one hash. Adding a hash that is already there does nothing. HC_ERR_INVALID_ARG for a kid
 * of 0 or more than HC_REVOCATION_KID_MAX bytes, HC_ERR_INPUT_TOO_LARGE past the list's bounds,
 * HC_ERR_NOMEM.
 */
hc_err hc_revocation_list_add(hc_revocation_list *rl, const uint8_t *kid, size_t kid_len,
                              hc_revocation_hash_type type,
                              const uint8_t hash[HC_REVOCATION_HASH_LEN]);

/* True when the list holds that hash under that kid. */
bool hc_revocation_list_contains(const hc_revocation_list *rl, const uint8_t *kid, size_t kid_len,
                                 hc_revocation_hash_type type,
                                 const uint8_t hash[HC_REVOCATION_HASH_LEN]);

/* True when the list holds any hash under that kid: a verifier skips computing the hashes of a
 * certificate whose signer has none revoked (the usual case), three SHA-256 runs per check. */
bool hc_revocation_list_has_kid(const hc_revocation_list *rl, const uint8_t *kid, size_t kid_len);

/* Number of hashes held. */
size_t hc_revocation_list_count(const hc_revocation_list *rl);

/*
 * Adds the hashes of a revocation list document (the JSON above) from a file or from memory.
 * Nothing is added from a document that is malformed anywhere: HC_ERR_TRUST_INVALID with a reason
 * in msg (may be NULL), HC_ERR_IO when the file cannot be read, HC_ERR_INPUT_TOO_LARGE past the
 * bounds (32 MiB, 1,000,000 hashes).
 */
hc_err hc_revocation_list_load_path(hc_revocation_list *rl, const char *path, char *msg,
                                    size_t msg_len);
hc_err hc_revocation_list_load_buffer(hc_revocation_list *rl, const uint8_t *data, size_t len,
                                      char *msg, size_t msg_len);

/* The list as the JSON document above (new reference; NULL when out of memory). sequence < 0
 * leaves it out. Kids and hashes are sorted, so equal lists give equal documents. */
json_t *hc_revocation_list_to_json(const hc_revocation_list *rl, int64_t generated_at_ms,
                                   int64_t sequence);

/* The three hashes of an EU DCC (eu-dcc.md §4.3). country may be NULL or "" (then no
 * COUNTRYCODEUCI hash is made and *has_country is false). */
void hc_revocation_hash_uci(const char *uci, size_t len, uint8_t out[HC_REVOCATION_HASH_LEN]);
void hc_revocation_hash_country_uci(const char *country, const char *uci, size_t len,
                                    uint8_t out[HC_REVOCATION_HASH_LEN]);
/* es256: the signature is ECDSA r||s and only r is hashed; otherwise (PS256) the whole signature.
 * HC_ERR_INVALID_ARG for an empty signature or an ES256 signature of odd length. */
hc_err hc_revocation_hash_signature(const uint8_t *sig, size_t len, bool es256,
                                    uint8_t out[HC_REVOCATION_HASH_LEN]);

#ifdef __cplusplus
}
#endif
#endif
