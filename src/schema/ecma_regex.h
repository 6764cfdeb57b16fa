/*
 * ecma_regex.h: a regular-expression matcher for the ECMA-262 pattern subset used by JSON Schema
 * "pattern" keywords (JSON Schema 2020-12 Validation §6.3.3, Core §6.4: patterns are ECMA-262
 * regular expressions, not anchored implicitly).
 *
 * Semantics: ECMA-262 (2022) §22.2 with the "u" flag and no other flag, i.e. patterns and inputs
 * are sequences of Unicode code points (inputs are UTF-8; an invalid byte reads as U+FFFD), "." is
 * any code point but a line terminator, "^"/"$" match only at the start/end of the input. The
 * result is RegExp.prototype.test(): does the pattern match anywhere in the input.
 *
 * Supported: literals, ".", escapes (\d \D \w \W \s \S \b \B \t \n \v \f \r \0 \cX \xHH \uHHHH
 * \u{H..} and escaped syntax characters), classes [...] with ranges, negation and class escapes,
 * groups ( ) (?: ) (?<name> ), alternation |, quantifiers * + ? {n} {n,} {n,m} (greedy or lazy: the
 * same for a yes/no answer). Not supported, and refused at compile time with HC_ERR_UNSUPPORTED:
 * look-around, back-references, \p{..} property escapes. Syntax errors (as the "u" flag defines
 * them, e.g. a lone "]" or "{") are HC_ERR_INVALID_ARG. Nothing is ever silently ignored.
 *
 * Matching never backtracks: the pattern becomes a Thompson NFA, run as a Pike VM (time
 * O(pattern x input)), and when the NFA is small it is also turned, at compile time, into a DFA
 * over character classes (one table lookup per input character). A compiled hc_regex is immutable,
 * so it may be used by any number of threads at once.
 */
#ifndef HC_ECMA_REGEX_H
#define HC_ECMA_REGEX_H

#include <stddef.h>

#include "healthcert/error.h"

typedef struct hc_regex hc_regex;

/* Compile flags. */
/* Never build the DFA: always use the Pike VM (tests, fuzz oracle). */
#define HC_REGEX_NO_DFA 0x1u

/*
 * Compiles pattern (UTF-8, len bytes) into *out. HC_OK; HC_ERR_INVALID_ARG for a syntax error,
 * HC_ERR_UNSUPPORTED for valid ECMA-262 the engine does not implement or a pattern past the size
 * bounds, HC_ERR_NOMEM. On error *out is NULL and err (if not NULL) holds a one-line reason with
 * the byte offset.
 */
hc_err hc_regex_compile(const char *pattern, size_t len, unsigned flags, hc_regex **out, char *err,
                        size_t err_len);

/* 1 when re matches somewhere in text (UTF-8, len bytes), 0 when not, -1 when out of memory. */
int hc_regex_match(const hc_regex *re, const char *text, size_t len);

/* Non-zero when re runs as a DFA (else as a Pike VM). */
int hc_regex_uses_dfa(const hc_regex *re);

void hc_regex_free(hc_regex *re);

#endif
