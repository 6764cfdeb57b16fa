/*
 * issue_json.h: a JSON (RFC 8259) parser into jansson values, for the batch issuer's input lines.
 *
 * Why not json_loadb: jansson's lexer reads through a per-character stream callback and grows a
 * string buffer byte by byte; for a 400-byte DCC line it took ~6 us, a quarter of an ES256
 * signature (bench/bench_issue.c), while building the same values takes ~1.5 us. This parser
 * scans the text in place and builds the values with jansson, so everything downstream (schema
 * validation, CBOR encoding, the result) sees ordinary json_t values.
 *
 * It accepts exactly what json_loadb(text, len, JSON_REJECT_DUPLICATES, ...) accepts, with two
 * stricter points: nesting deeper than HC_MAX_JSON_DEPTH (64) is refused (jansson allows 2048),
 * and so is a NUL byte right after a number or a literal, which jansson 2.14 skips ("[0\0]" is
 * [0] to it; not JSON by RFC 8259 §2; found by fuzz/fuzz_issue_json.c).
 * That is: one value (any type) with only JSON white space around it; strings of valid UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) without raw control
 * characters; escapes \" \\ \/ \b \f \n \r \t \uXXXX with surrogate pairs joined and lone
 * surrogates and \u0000 refused; integers that fit json_int_t (others refused, as jansson does),
 * numbers with a fraction or exponent as reals (converted by jansson itself, so locale and
 * rounding are the same); duplicate object keys refused. The unit tests compare the two parsers
 * on valid, invalid and mutated inputs.
 */
#ifndef HC_ISSUE_JSON_H
#define HC_ISSUE_JSON_H

#include <jansson.h>
#include <stddef.h>

/*
 * Parses text[0..len) into a new reference, or NULL with a reason in err (and the 1-based byte
 * column of the error in *column when column is not NULL).
 */
json_t *hc_issue_json_parse(const char *text, size_t len, char *err, size_t err_len, int *column);

#endif
