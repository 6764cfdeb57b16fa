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

/*
 * As hc_issue_json_parse, building the result out of reuse where the text allows (reuse is
 * consumed: it becomes the result or is released). Why: a batch's lines mostly share their
 * structure and many of their values, and making a DCC's ~60 jansson values anew per line (a
 * value, a key pair or two allocations each) and freeing them again cost more than parsing.
 * Objects whose keys come in the same order are filled in place, arrays element by element,
 * strings and integers set in place (an equal string is kept as it is); whatever differs is made
 * as usual. Only values that nothing else references are reused (a reference count of 1). The
 * result is the same as hc_issue_json_parse's (tests compare both with jansson).
 */
json_t *hc_issue_json_parse_reuse(json_t *reuse, const char *text, size_t len, char *err,
                                  size_t err_len, int *column);

#endif
