/*
 * jcs.h: the JSON Canonicalization Scheme (JCS, RFC 8785), the signing input of ICAO VDS-NC seals
 * (ICAO Doc 9303 VDS-NC technical report: the signature covers the canonical form of "data").
 *
 * The canonical form of a JSON value (RFC 8785 §3.2):
 *   - no white space between tokens;
 *   - literals as written: true, false, null;
 *   - strings as ECMAScript's JSON.stringify writes them (§3.2.2.2): '"' and '\' escaped, the
 *     control characters U+0000..U+001F as \b \t \n \f \r or \u00xx (lowercase hex), everything
 *     else as its UTF-8 bytes (no \u escapes, no Unicode normalisation);
 *   - numbers as IEEE 754 doubles written by ECMAScript's Number::toString (§3.2.2.3): shortest
 *     round-trip digits, plain notation for exponents -7 < e < 21, else d.ddde+x; -0 is "0";
 *   - object members sorted by their names compared as arrays of UTF-16 code units (§3.2.3), so
 *     U+E000..U+FFFF sort after characters written with surrogate pairs.
 *
 * Values come from jansson, which has already refused duplicate member names (when loaded with
 * JSON_REJECT_DUPLICATES), invalid UTF-8, lone surrogates and non-finite numbers. Integers are
 * converted to doubles first, as an ECMAScript implementation would read them (2^53 + 1 is
 * written as 9007199254740992).
 */
#ifndef HC_JCS_H
#define HC_JCS_H

#include <jansson.h>
#include <stddef.h>

#include "healthcert/error.h"

/* Longest text hc_jcs_number writes, NUL included ("-1.7976931348623157e+308" is 24). */
#define HC_JCS_NUMBER_MAX 32

/*
 * Writes the canonical form of value into a new NUL-terminated buffer (*out, free() it); *out_len
 * excludes the NUL. The output is bounded by max bytes and the nesting by HC_MAX_JSON_DEPTH.
 * HC_OK; HC_ERR_INPUT_TOO_LARGE past max; HC_ERR_STRUCTURE_INVALID for a value nested too deep or a
 * non-finite number; HC_ERR_INVALID_ARG for NULL arguments; HC_ERR_NOMEM.
 */
hc_err hc_jcs_serialize(const json_t *value, size_t max, char **out, size_t *out_len);

/*
 * ECMAScript Number::toString(v) for a finite v (ECMA-262 §6.1.6.1.20, RFC 8785 §3.2.2.3) into buf
 * (at least HC_JCS_NUMBER_MAX bytes). HC_ERR_STRUCTURE_INVALID for NaN and infinities,
 * HC_ERR_BUFFER_TOO_SMALL.
 */
hc_err hc_jcs_number(double v, char *buf, size_t cap, size_t *len);

/*
 * Compares two UTF-8 strings as sequences of UTF-16 code units (RFC 8785 §3.2.3): < 0, 0, > 0.
 * The strings must be valid UTF-8 (jansson guarantees it for member names).
 */
int hc_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
