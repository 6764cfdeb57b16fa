/*
 * ruleset.h: EU DCC business rules: rule sets, value sets, the external parameters, rule selection
 * and evaluation with the EU apps' outcomes (PASSED / FAILED / OPEN), and rule test cases.
 *
 * Formats (see docs/rules.md for sources):
 *   - a rule is the EU gateway's JSON object (validation-rule.schema.json): Identifier, Type,
 *     Country, Region, Version, SchemaVersion, Engine, EngineVersion, CertificateType, ValidFrom,
 *     ValidTo, AffectedFields, Description [{lang, desc}], Logic (CertLogic);
 *   - a rule file holds one rule or an array of rules; a folder is searched recursively for
 *     *.json files that hold rules (the dgc-business-rules-testdata layout <SET>/<ID>/rule.json,
 *     whose tests/ folders are skipped);
 *   - value sets: the EU form {valueSetId, valueSetDate, valueSetValues: {code: {...}}} (a file, a
 *     folder of them, or an array of them) or the compressed form {id: [codes]}.
 *
 * Rule sets and value sets are read-only once loaded and can be shared between threads.
 */
#ifndef HC_RULESET_H
#define HC_RULESET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hctime.h"
#include "healthcert/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds on what is loaded (hostile or mistaken input must not exhaust memory). */
#define HC_RULES_MAX_FILE      (16u << 20) /* one rule or value-set file */
#define HC_RULES_MAX_RULES     20000       /* rules in one rule set */
#define HC_RULES_MAX_FILES     50000       /* files visited in one folder walk */
#define HC_RULES_MAX_DIR_DEPTH 16

typedef enum hc_rule_type {
    HC_RULE_ACCEPTANCE,   /* the arrival country's acceptance rules */
    HC_RULE_INVALIDATION, /* the issuing country's invalidation rules */
} hc_rule_type;

typedef enum hc_rule_cert_type {
    HC_RULE_GENERAL,
    HC_RULE_TEST,
    HC_RULE_VACCINATION,
    HC_RULE_RECOVERY,
} hc_rule_cert_type;

typedef enum hc_rule_outcome {
    HC_RULE_PASSED, /* the Logic evaluated to true */
    HC_RULE_FAILED, /* the Logic evaluated to false */
    HC_RULE_OPEN,   /* could not be evaluated: error, non-boolean, incompatible versions */
} hc_rule_outcome;

/* One loaded (and validated) rule. Strings are NUL-terminated. */
typedef struct hc_rule {
    char identifier[16]; /* "VR-DE-0001" */
    hc_rule_type type;
    char country[3];
    char region[8]; /* "" when none */
    char version[24];
    unsigned version_num[3];
    char schema_version[24];
    unsigned schema_version_num[3];
    char engine[24];
    char engine_version[24];
    unsigned engine_version_num[3];
    hc_rule_cert_type cert_type;
    hc_time_ms valid_from, valid_to;
    const char *description;    /* English description (else the first one) */
    const json_t *descriptions; /* the Description array */
    const json_t *affected_fields;
    const json_t *logic;
    const json_t *json; /* the whole rule object */
    const char *source; /* the file it was read from */
} hc_rule;

typedef struct hc_ruleset hc_ruleset;

hc_ruleset *hc_ruleset_new(void);
void hc_ruleset_free(hc_ruleset *rs);

/*
 * Adds the rules at path (a rule file or a folder, see above). All or nothing per call: when one
 * rule is invalid, none of the call's rules is added, since skipping a rule would accept more
 * than the country does. Returns HC_OK, HC_ERR_IO (unreadable), HC_ERR_INPUT_TOO_LARGE (a file or
 * the set past the bounds above) or HC_ERR_STRUCTURE_INVALID (not JSON, not a rule, or an invalid
 * rule: msg names the file, the identifier and the problem). msg may be NULL.
 */
hc_err hc_ruleset_add_path(hc_ruleset *rs, const char *path, char *msg, size_t msg_len);

/* As hc_ruleset_add_path for a JSON rule or array of rules in memory (source names it). */
hc_err hc_ruleset_add_json(hc_ruleset *rs, const json_t *rules, const char *source, char *msg,
                           size_t msg_len);

/* New rule set with the rules at path; NULL (and msg) on any error of hc_ruleset_add_path. */
hc_ruleset *hc_ruleset_load(const char *path, char *msg, size_t msg_len);

size_t hc_ruleset_count(const hc_ruleset *rs);
/* Rule i (0 <= i < count) in the order loaded. */
const hc_rule *hc_ruleset_get(const hc_ruleset *rs, size_t i);

/*
 * Checks one rule object against the gateway's rule schema and its Logic against the CertLogic
 * validator. Returns true when valid; otherwise writes the first problem into msg.
 */
bool hc_rule_check(const json_t *rule, char *msg, size_t msg_len);

/*
 * Calls report(ctx, source, identifier, problem) for every rule at path (file or folder) with
 * problem NULL for a valid rule, and for every file that cannot be read or holds no rules (then
 * identifier is NULL). Returns the number of invalid rules and unusable files.
 */
typedef void (*hc_rule_report_fn)(void *ctx, const char *source, const char *identifier,
                                  const char *problem);
size_t hc_rules_validate_path(const char *path, hc_rule_report_fn report, void *ctx);

/* ---- value sets ---- */

typedef struct hc_valuesets hc_valuesets;

hc_valuesets *hc_valuesets_new(void);
void hc_valuesets_free(hc_valuesets *vs);
/* Adds value sets from a file (EU form, array of EU forms, or compressed form) or a folder of such
 * files (files of another shape in a folder are skipped and counted in msg). A value set added
 * again replaces the earlier one. Errors as hc_ruleset_add_path. */
hc_err hc_valuesets_add_path(hc_valuesets *vs, const char *path, char *msg, size_t msg_len);
hc_err hc_valuesets_add_json(hc_valuesets *vs, const json_t *j, char *msg, size_t msg_len);
hc_valuesets *hc_valuesets_load(const char *path, char *msg, size_t msg_len);
/* The compressed form {valueSetId: [codes...]} (borrowed; lives as long as vs). */
const json_t *hc_valuesets_json(const hc_valuesets *vs);
size_t hc_valuesets_count(const hc_valuesets *vs);

/* ---- external parameters and evaluation ---- */

/* What a verifier knows besides the payload (the "external" object of the data context, after
 * dgc-certlogic-android ExternalParameter.kt). */
typedef struct hc_rules_external {
    const char *country; /* arrival country (ISO 3166-1 alpha-2); required */
    const char *region;  /* arrival region; NULL or "" for none */
    hc_time_ms clock_ms; /* validation clock */
    bool has_iat, has_exp;
    hc_time_ms iat_ms, exp_ms;  /* CWT issued-at and expiry */
    const char *issuer_country; /* CWT iss / signer's country; NULL unknown */
    const char *kid_b64;        /* key identifier, base64; NULL unknown */
    char cert_type;             /* 'v', 't', 'r'; 0: taken from the payload */
} hc_rules_external;

/*
 * The data context the rules see: {"payload": payload, "external": {validationClock, valueSets,
 * countryCode, exp, iat, issuerCountryCode, kid, region}} (times as ISO 8601 UTC with
 * milliseconds; unknown ones omitted). New reference; NULL when out of memory. vs may be NULL.
 */
json_t *hc_rules_data_context(const json_t *payload, const hc_rules_external *ext,
                              const hc_valuesets *vs);

/* The DCC type of a payload: 'v', 't' or 'r' for the one non-empty group present, 0 otherwise. */
char hc_rules_payload_type(const json_t *payload);

/*
 * Rule selection as the EU verifier apps do (dgc-certlogic-android RulesDao.kt and
 * DefaultGetRulesUseCase.kt): Acceptance rules of ext->country whose Region equals ext->region
 * (case-insensitive, "" = none), plus Invalidation rules of ext->issuer_country; in both,
 * ValidFrom <= clock <= ValidTo (SQL BETWEEN) and CertificateType General or the DCC's type; per
 * Identifier the highest Version. Stores up to max rules sorted by identifier, returns the count
 * (SIZE_MAX when out of memory: never 0, which would mean that no rule applies).
 */
size_t hc_rules_select(const hc_ruleset *rs, const hc_rules_external *ext, char cert_type,
                       const hc_rule **out, size_t max);

typedef struct hc_rule_result {
    char identifier[16];
    char version[24];
    hc_rule_type type;
    char country[3];
    hc_rule_outcome outcome;
    char description[512]; /* English description of the rule (truncated) */
    char message[256];     /* for OPEN: why; "" otherwise */
} hc_rule_result;

/*
 * Selects the rules for the payload (hc_rules_select; cert type from ext->cert_type or the
 * payload) and evaluates each against hc_rules_data_context(payload, ext, vs). Outcome per rule
 * (dgc-certlogic-android DefaultCertLogicEngine.kt): OPEN when Engine is not CERTLOGIC, when
 * EngineVersion is newer than HC_CERTLOGIC_SPEC_VERSION, when the payload's "ver" is missing or of
 * another major version than SchemaVersion or older than it, when evaluation fails or gives a
 * non-boolean; otherwise PASSED (true) or FAILED (false). Stores up to max results and returns the
 * number of selected rules (which may exceed max). A payload without any rule to apply gives 0.
 * When memory runs out, the rules concerned are OPEN (if selection itself fails: one OPEN result
 * with an empty identifier), never PASSED.
 */
size_t hc_rules_evaluate(const hc_ruleset *rs, const hc_valuesets *vs, const json_t *payload,
                         const hc_rules_external *ext, hc_rule_result *results, size_t max);

/* "PASSED", "FAILED", "OPEN". */
const char *hc_rule_outcome_name(hc_rule_outcome o);
const char *hc_rule_cert_type_name(hc_rule_cert_type t);

/* ---- rule test cases (healthcert rules test) ---- */

/*
 * Runs rule test cases, as the EU's dgc-business-rules-testdata tooling does: a test case file is
 * {name?, payload, external, expected} (plus optional "logic" or "rule" to test against inline);
 * it is run against <its folder>/../rule.json. A test whose external.validationClock lies outside
 * [ValidFrom, ValidTo) of its rule is skipped. The result of evaluate(rule.Logic, {payload,
 * external}) must deep-equal expected. When a test has no external.valueSets, vs (if given) fills
 * them in. path: a test file, a rule.json (its tests/ folder), or a folder searched recursively.
 * Failures are printed to out (may be NULL); progress goes to progress (may be NULL) when it is a
 * terminal.
 */
typedef struct hc_rules_test_stats {
    unsigned passed, failed, skipped;
    unsigned invalid_rules; /* rules that fail hc_rule_check (their tests count as failed) */
    unsigned errors;        /* unreadable or malformed files */
} hc_rules_test_stats;

void hc_rules_test_path(const char *path, const hc_valuesets *vs, FILE *out, FILE *progress,
                        hc_rules_test_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
