/*
 * trust_internal.h: what the files of the trust module share (hc__trust_*), not for other modules.
 *
 * Loading is staged: an input's entries are appended with hc__trust_stage_x509 (invisible to
 * hc_trust_store_find), then the whole input is committed (indexed) or rolled back, so that an
 * input that fails as a whole adds nothing (include/healthcert/trust.h).
 */
#ifndef HC_TRUST_INTERNAL_H
#define HC_TRUST_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trust_store.h"

/* What one input staged and skipped, for the caller's message. */
typedef struct hc__trust_report {
    size_t staged;            /* entries staged */
    size_t skipped;           /* unusable entries passed over (trust lists, PEM bundles) */
    size_t kid_mismatch;      /* list entries whose kid is not the computed one (F10) */
    size_t crls;              /* SMART Health Cards revocation lists staged */
    char first_skip[192];     /* the first skipped entry and why */
    char first_mismatch[128]; /* the first kid mismatch */
    char note[320];           /* a loader's own summary (GDHCN counts), "" for none */
} hc__trust_report;

/*
 * Stages one certificate (takes ownership of cert on HC_OK; *staged, when not NULL, is the new
 * entry). HC_ERR_TRUST_INVALID with *reason (static text) when the certificate or the given
 * country / certificate type is unusable or the store is full; HC_ERR_NOMEM.
 */
hc_err hc__trust_stage_x509(hc_trust_store *ts, X509 *cert, const char *country,
                            const char *certificate_type, const char *source,
                            const hc_trust_entry **staged, const char **reason);

/*
 * Stages one bare public key (a JWK from a JWKS, a VCI snapshot or a DID document): takes
 * ownership of key on HC_OK. kid is the index key (JWK kid, DID fragment), issuer the URL / DID the
 * key belongs to ("" for none). HC_ERR_TRUST_INVALID with *reason (static) when the kid is empty or
 * too long, the key fits no algorithm or the store is full; HC_ERR_NOMEM.
 */
hc_err hc__trust_stage_jwk(hc_trust_store *ts, EVP_PKEY *key, const char *kid, size_t kid_len,
                           const char *issuer, const char *source, hc_trust_entry **staged,
                           const char **reason);

/* Stages a revocation list (takes ownership of crl and its rids on HC_OK). */
hc_err hc__trust_stage_crl(hc_trust_store *ts, hc_trust_crl *crl);

/* Frees a revocation list that was not staged. */
void hc__trust_crl_free(hc_trust_crl *crl);

/*
 * Stages the keys of a JSON object (trust_jose.c): a JWKS {"keys": [...]}, a VCI directory
 * snapshot {"issuerInfo": [{"issuer": {"iss"}, "keys", "crls"}]}, a DID document, or a SMART
 * Health Cards revocation list {"kid", "method": "rid", "ctr", "rids"}. Failure as in
 * hc__trust_stage_json.
 */
hc_err hc__trust_stage_json_object(hc_trust_store *ts, json_t *root, const char *source,
                                   hc__trust_report *rep, char *why, size_t why_len);

/*
 * Stages the keys of a GDHCN trust list (trust_gdhcn.c, trust_gdhcn.h) that pass filter (NULL:
 * all); gd receives the counts. Failure as in hc__trust_stage_json.
 */
struct hc_gdhcn_filter;
struct hc_gdhcn_report;
hc_err hc__trust_stage_gdhcn(hc_trust_store *ts, const json_t *root, const char *source,
                             const struct hc_gdhcn_filter *filter, hc__trust_report *rep,
                             struct hc_gdhcn_report *gd, char *why, size_t why_len);

/* A loader's staging of one whole input (for hc__trust_add_staged). */
typedef hc_err (*hc__trust_stage_fn)(void *ctx, hc_trust_store *ts, const char *source,
                                     hc__trust_report *rep, char *why, size_t why_len);

/*
 * Adds one input staged by stage, committed as a whole or rolled back, with the summary of
 * hc_trust_store_add_buffer in msg (trust_store.c): for loaders with options of their own.
 */
hc_err hc__trust_add_staged(hc_trust_store *ts, const char *source, hc__trust_stage_fn stage,
                            void *ctx, char *msg, size_t msg_len);

/* True when the first line that is not blank or a '#' comment starts with "did:key:". */
bool hc__trust_is_did_lines(const uint8_t *data, size_t len);

/* Stages did:key DIDs written one per line (trust_jose.c); '#' starts a comment line. */
hc_err hc__trust_stage_did_lines(hc_trust_store *ts, const uint8_t *data, size_t len,
                                 const char *source, hc__trust_report *rep, char *why,
                                 size_t why_len);

/* True for an ISO 3166-1 alpha-2 code as trust lists write it: two upper-case ASCII letters. */
int hc__trust_country_valid(const char *country, size_t len);

/* True for a certificateType we keep: 1..15 characters of [A-Z0-9_] ("DSC", "CSCA", ...). */
int hc__trust_type_valid(const char *type, size_t len);

/*
 * Stages the entries of a JSON trust list (data: len bytes, at most HC_MAX_TRUST_FILE). On
 * failure of the input as a whole returns HC_ERR_TRUST_INVALID (or HC_ERR_NOMEM) with the reason
 * in why; the caller rolls back.
 */
hc_err hc__trust_stage_json(hc_trust_store *ts, const uint8_t *data, size_t len, const char *source,
                            hc__trust_report *rep, char *why, size_t why_len);

#endif
