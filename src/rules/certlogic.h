/*
 * certlogic.h: the CertLogic evaluator (specification v1.3.3, tests/vectors/certlogic/
 * SPECIFICATION-README.md, "the spec" below).
 *
 * CertLogic is the JsonLogic subset in which the EU DCC business rules are written. An expression
 * is a literal (boolean, integer, string), an array (each item evaluated) or an operation object
 * {"<op>": [operands...]} with one of 19 operators: var, if, ===, and, <, >, <=, >=, in, +, !,
 * after, before, not-after, not-before, plusTime, reduce, extractFromUVCI, dccDateOfBirth.
 *
 * Every expression is validated before it is evaluated (spec §Introduction: "checks the validity of
 * the expression first"); an invalid expression is never evaluated. Results match the reference
 * implementation certlogic-js (the official test suites are the proof, tests/unit/rules/), with the
 * deviations listed in docs/rules.md ("Not covered").
 *
 * Evaluation is bounded: expression nesting (HC_CERTLOGIC_MAX_DEPTH), evaluation steps
 * (HC_CERTLOGIC_MAX_STEPS), reduce operand length (HC_CERTLOGIC_MAX_REDUCE), memory
 * (HC_CERTLOGIC_MAX_MEMORY) and size of the result (HC_CERTLOGIC_MAX_RESULT_NODES). Exceeding one
 * is an error (HC_CERTLOGIC_LIMIT), never a crash. Functions are reentrant: no global state.
 */
#ifndef HC_CERTLOGIC_H
#define HC_CERTLOGIC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hctime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the specification implemented (rules declare EngineVersion against it). */
#define HC_CERTLOGIC_SPEC_VERSION "1.3.3"

/* Bounds (see the file comment). */
#define HC_CERTLOGIC_MAX_DEPTH        64
#define HC_CERTLOGIC_MAX_STEPS        100000
#define HC_CERTLOGIC_MAX_REDUCE       10000
#define HC_CERTLOGIC_MAX_MEMORY       (32u << 20)
#define HC_CERTLOGIC_MAX_RESULT_NODES 1000000

typedef enum hc_certlogic_status {
    HC_CERTLOGIC_OK = 0,
    HC_CERTLOGIC_INVALID = 1, /* the expression fails validation: never evaluated */
    HC_CERTLOGIC_ERROR = 2,   /* evaluation error: type mismatch, unparsable date, ... */
    HC_CERTLOGIC_LIMIT = 3,   /* a bound was exceeded */
    HC_CERTLOGIC_NOMEM = 4,   /* out of memory */
} hc_certlogic_status;

/* "ok", "invalid", "error", "limit", "nomem". */
const char *hc_certlogic_status_name(hc_certlogic_status st);

/* One problem found by the validator: the offending (sub-)expression and what is wrong with it.
 * The messages are those of certlogic-js's validator (validation/format-validator.ts). */
typedef struct hc_certlogic_issue {
    const json_t *expr; /* borrowed: points into the validated expression */
    char message[256];
} hc_certlogic_issue;

/*
 * Validates expr as a CertLogic expression. Stores up to max issues (issues may be NULL when max
 * is 0) in the order found, depth first, and returns how many there are in total (0 = valid).
 */
size_t hc_certlogic_validate(const json_t *expr, hc_certlogic_issue *issues, size_t max);

/*
 * Validates expr, then evaluates it against the data context data (any JSON value, NULL is taken
 * as JSON null). On HC_CERTLOGIC_OK stores the result in *result (a new reference). A date-time
 * result is given as its JSON form, the string "YYYY-MM-DDThh:mm:ss.sssZ" (JSON.stringify of a
 * JavaScript Date). On any other status *result is untouched and msg (may be NULL) says why.
 */
hc_certlogic_status hc_certlogic_evaluate(const json_t *expr, const json_t *data, json_t **result,
                                          char *msg, size_t msg_len);

/*
 * The JSON text of v as JavaScript's JSON.stringify writes it (compact; numbers in the shortest
 * form that reads back the same, integral numbers without fraction). NULL when out of memory or
 * when the text would exceed max_len bytes. The caller frees the text with free().
 */
char *hc_certlogic_stringify(const json_t *v, size_t max_len);

/* Deep equality of JSON values as chai's deepEqual (used by the test-suite runner): numbers by
 * value (1 equals 1.0), objects by their key/value sets, arrays item by item. */
bool hc_certlogic_json_equal(const json_t *a, const json_t *b);

/* ---- The date-time and UVCI primitives of the custom operations (for tests and callers) ---- */

typedef enum hc_certlogic_unit {
    HC_CERTLOGIC_YEAR,
    HC_CERTLOGIC_MONTH,
    HC_CERTLOGIC_DAY,
    HC_CERTLOGIC_HOUR,
} hc_certlogic_unit;

/*
 * Parses a date(-time) string as plusTime does (spec §"Offset date-time"): YYYY, YYYY-MM (as
 * dccDateOfBirth), YYYY-MM-DD, YYYY-MM-DDThh:mm:ss with optional fraction (truncated to ms) and
 * zone Z, ±h, ±hh, ±hmm, ±hhmm, ±h:mm, ±hh:mm (none = Z). False when the string is in none of
 * these formats or names no time JavaScript can represent (month 13, hour 25, ...).
 */
bool hc_certlogic_parse_datetime(const char *s, size_t len, hc_time_ms *out);

/* dccDateOfBirth (spec §"DCC Date of birth"): YYYY -> YYYY-12-31, YYYY-MM -> last day of the
 * month, YYYY-MM-DD as is; all at 00:00:00.000Z. False for anything else. */
bool hc_certlogic_dcc_date_of_birth(const char *s, size_t len, hc_time_ms *out);

/* t + amount units with JavaScript's setUTC{FullYear,Month,Date,Hours} arithmetic (2020-02-29 +
 * 1 month = 2020-03-29, + 1 year = 2021-03-01). False when the result leaves JavaScript's Date
 * range (±8.64e15 ms). */
bool hc_certlogic_plus_time(hc_time_ms t, int64_t amount, hc_certlogic_unit unit, hc_time_ms *out);

/* Date.prototype.toISOString: "YYYY-MM-DDThh:mm:ss.sssZ" (years outside 0..9999 as ±YYYYYY).
 * buf needs 32 bytes. */
void hc_certlogic_format_datetime(hc_time_ms t, char *buf, size_t cap);

/*
 * extractFromUVCI (spec §"Extract data from an UCI"): fragment index of uvci split on '/', '#',
 * ':' after an optional "URN:UVCI:" prefix. True and the fragment (a view into uvci) when it
 * exists, false when not (negative index, too few fragments).
 */
bool hc_certlogic_uvci_fragment(const char *uvci, size_t len, int64_t index, const char **frag,
                                size_t *frag_len);

#ifdef __cplusplus
}
#endif
#endif
