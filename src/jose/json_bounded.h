/*
 * json_bounded.h: parsing JSON from outside with its size, nesting depth and value count checked
 * before jansson sees it.
 *
 * jansson's parser is recursive (one C stack frame per nesting level) and allocates per value, so
 * a hostile document could exhaust the stack or the heap; a linear pre-scan rejects those first
 * (security.md §5: JSON depth <= 64, payloads <= 256 KiB). Then the text is parsed strictly:
 *   - duplicate member names are refused (JSON_REJECT_DUPLICATES): which of two "iss" counts
 *     would be a guess, and two parsers could guess differently (security.md §3 H12);
 *   - the document must be exactly one value: trailing characters are refused (jansson's EOF
 *     check), and so is a UTF-8 byte order mark, which RFC 8259 §8.1 forbids generators to add
 *     ("MUST NOT add a byte order mark") and which dev-tools flags as TRAILING_CHARACTERS;
 *   - strings must be valid UTF-8 without NUL characters (jansson's defaults).
 */
#ifndef HC_JSON_BOUNDED_H
#define HC_JSON_BOUNDED_H

#include <jansson.h>
#include <stddef.h>

#include "healthcert/error.h"

typedef struct hc_json_limits {
    size_t max_bytes;  /* text length */
    size_t max_depth;  /* arrays and objects nested */
    size_t max_values; /* containers + members + elements, roughly */
    /* Members or elements of the outermost array or object (a trust list's entries); 0 for no
     * bound of its own. */
    size_t max_entries;
} hc_json_limits;

/* Limits for credential payloads and headers: 256 KiB, depth 64, 65536 values. */
extern const hc_json_limits hc_json_payload_limits;

/*
 * The pre-scan alone: a linear pass over text[0..len) that checks its nesting depth, its value
 * count and its outermost entries before any parser sees it (not max_bytes: the caller has
 * bounded the length already). HC_ERR_INPUT_TOO_LARGE (and why) when a limit is passed, else
 * HC_OK. For callers that parse with jansson flags and messages of their own (EU trust lists);
 * hc_json_parse_bounded runs it after its length and byte-order-mark checks. why may be NULL.
 */
hc_err hc_json_check_bounds(const char *text, size_t len, const hc_json_limits *lim, char *why,
                            size_t why_len);

/*
 * Parses text[0..len) into *out (new reference). HC_ERR_INPUT_TOO_LARGE when a limit is passed,
 * HC_ERR_STRUCTURE_INVALID when the text is not exactly one well-formed JSON value under the rules
 * above; *why (static or in why_buf) says what was wrong. why_buf may be NULL.
 */
hc_err hc_json_parse_bounded(const char *text, size_t len, const hc_json_limits *lim, json_t **out,
                             char *why, size_t why_len);

/* The string member name of obj, or NULL when absent or not a string; *len its length. */
const char *hc_json_get_string(const json_t *obj, const char *name, size_t *len);

#endif
