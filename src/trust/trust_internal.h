/*
 * trust_internal.h: what the files of the trust module share (hc__trust_*), not for other modules.
 *
 * Loading is staged: an input's entries are appended with hc__trust_stage_x509 (invisible to
 * hc_trust_store_find), then the whole input is committed (indexed) or rolled back, so that an
 * input that fails as a whole adds nothing (include/healthcert/trust.h).
 */
#ifndef HC_TRUST_INTERNAL_H
#define HC_TRUST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "trust_store.h"

/* What one input staged and skipped, for the caller's message. */
typedef struct hc__trust_report {
    size_t staged;            /* entries staged */
    size_t skipped;           /* unusable entries passed over (trust lists, PEM bundles) */
    size_t kid_mismatch;      /* list entries whose kid is not the computed one (F10) */
    char first_skip[192];     /* the first skipped entry and why */
    char first_mismatch[128]; /* the first kid mismatch */
} hc__trust_report;

/*
 * Stages one certificate (takes ownership of cert on HC_OK; *staged, when not NULL, is the new
 * entry). HC_ERR_TRUST_INVALID with *reason (static text) when the certificate or the given
 * country / certificate type is unusable or the store is full; HC_ERR_NOMEM.
 */
hc_err hc__trust_stage_x509(hc_trust_store *ts, X509 *cert, const char *country,
                            const char *certificate_type, const char *source,
                            const hc_trust_entry **staged, const char **reason);

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
