/*
 * healthcert/verify.h: verifying and decoding credentials, and the format-neutral verdict.
 *
 * A verifier is made once from options (trust store, clock, rules, revocation) and used for any
 * number of inputs. One verifier per thread: it owns the scratch buffers of the pipeline, so a
 * verification allocates nothing but the verdict's JSON payload. The trust store it points to is
 * shared read-only between verifiers.
 *
 * The verdict's JSON form is shared/CONTRACT.md "The verdict (JSON)".
 */
#ifndef HEALTHCERT_VERIFY_H
#define HEALTHCERT_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "healthcert/error.h"
#include "healthcert/revocation.h"
#include "healthcert/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HC_VERDICT_MAX_CHECKS 32
#define HC_VERDICT_MAX_ERRORS 16

typedef struct hc_check {
    char name[32]; /* "signature", "expiry", "key_validity", "key_usage", "schema",
                      "rule:VR-DE-0001" */
    bool ok;
} hc_check;

typedef struct hc_verdict_error {
    hc_err code;
    char message[256]; /* plain language, no personal data beyond what the verdict shows */
} hc_verdict_error;

typedef struct hc_verdict {
    bool valid;         /* every check passed and at least the signature was checked */
    bool decoded;       /* the payload could be decoded */
    const char *format; /* "eu-dcc", ...; NULL when not recognised */
    char type[16];      /* EU DCC: "v", "t", "r"; "" unknown */
    bool has_issuer;
    char issuer_country[8]; /* CWT iss / trust list country */
    char issuer_kid[64];    /* base64 kid as in trust lists */
    char issuer_name[128];  /* signing certificate's CN, "" unknown */
    bool has_issued_at, has_expires_at;
    int64_t issued_at_ms, expires_at_ms;
    bool has_subject;
    char subject_name[256]; /* "Given Family" */
    char subject_dob[32];
    char summary[160]; /* one line on what the credential attests ("vaccination, dose 2/2") */
    json_t *payload;   /* the decoded credential (owned), NULL if not decoded */
    json_t *details;   /* decode only: headers and claims (owned), else NULL */
    hc_check checks[HC_VERDICT_MAX_CHECKS];
    size_t n_checks;
    hc_verdict_error errors[HC_VERDICT_MAX_ERRORS];
    size_t n_errors;
} hc_verdict;

/* Business rules (CertLogic rule sets and value sets: src/rules/ruleset.h). */
typedef struct hc_ruleset hc_ruleset;
typedef struct hc_valuesets hc_valuesets;

/*
 * Resolves a did:web issuer over the network: the CLI's `verify --resolve-did-web` (docs/vc.md),
 * never set by the service (security.md §1.8: a did:web is an attacker-chosen URL). Called by the
 * VC-JWT check when no key of the trust store is bound to the did:web DID did. Returns a trust
 * store holding the keys of the DID's document (kept by the resolver for the verifier's lifetime),
 * or NULL with why completing "did:web document <URL> ..." (e.g. "could not be fetched: ...").
 */
typedef const hc_trust_store *(*hc_did_web_resolver)(void *ctx, const char *did, char *why,
                                                     size_t why_len);

typedef struct hc_verify_options {
    const hc_trust_store *trust; /* may be NULL: then no key is trusted */
    bool has_clock;
    int64_t clock_ms;              /* validation clock (Unix ms); now when !has_clock */
    const char *country;           /* arrival country for business rules (ISO 3166-1 alpha-2) */
    const char *region;            /* arrival region (rules with a Region), NULL for none */
    const hc_ruleset *rules;       /* rules to apply (with country), NULL for none */
    const hc_valuesets *valuesets; /* value sets the rules refer to, NULL for none */
    const hc_revocation_list *revocation; /* revoked certificates (revocation.h), NULL: none */
    hc_did_web_resolver resolve_did_web;  /* NULL (the default): did:web is never fetched */
    void *resolve_ctx;                    /* its first argument */
} hc_verify_options;

typedef struct hc_verifier hc_verifier;

/* NULL when out of memory. The options (and what they point to) must outlive the verifier. */
hc_verifier *hc_verifier_new(const hc_verify_options *opt);
void hc_verifier_free(hc_verifier *v);

/*
 * Verifies one input: QR text (possibly several lines for multi-part codes) or a PNG/JPEG image.
 * Always fills *out (call hc_verdict_clear when done). Returns HC_OK when the input was judged
 * (out->valid says how), or a could-not-check error (HC_ERR_NOMEM, HC_ERR_INTERNAL, ...), which is
 * also recorded in out->errors.
 */
hc_err hc_verify(hc_verifier *v, const uint8_t *input, size_t len, hc_verdict *out);

/* As hc_verify, without signature, time, key and rule checks; fills out->details. valid is false.
 */
hc_err hc_decode(hc_verifier *v, const uint8_t *input, size_t len, hc_verdict *out);

void hc_verdict_init(hc_verdict *vd);
void hc_verdict_clear(hc_verdict *vd);

/* The first error code of the verdict, HC_OK when none. */
hc_err hc_verdict_first_error(const hc_verdict *vd);

/* The verdict as the contract's JSON object (new reference). with_details adds "details". */
json_t *hc_verdict_to_json(const hc_verdict *vd);

/* Human output for a checkpoint: VALID/INVALID, name, date of birth, type, issuer, failed checks.
 */
void hc_verdict_print(FILE *out, const hc_verdict *vd, bool color);

/* The same without the VALID/INVALID line: for decode, where no verdict was reached (the signature
 * is not checked), so that no "INVALID" banner sits under "DECODED". */
void hc_verdict_print_fields(FILE *out, const hc_verdict *vd);

#ifdef __cplusplus
}
#endif
#endif
