/* json_bounded.c: bounded strict JSON parsing (see json_bounded.h). */
#include "json_bounded.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hc_msg.h"

const hc_json_limits hc_json_payload_limits = {
    .max_bytes = 256 * 1024, /* security.md §5: "Decompressed SHC payload <= 256 KiB (file)" */
    .max_depth = 64,         /* security.md §5: "JSON depth <= 64" */
    .max_values = 65536,     /* 256 KiB of JSON cannot hold more than ~4 bytes per value */
};

/* RFC 8259 §2 grammar, strings skipped with their escapes: counts the nesting, the values and
 * the outermost container's entries. */
hc_err
hc_json_check_bounds(const char *p, size_t len, const hc_json_limits *lim, char *why,
                     size_t why_len)
{
    size_t depth = 0, values = 1, top_level_commas = 0;
    bool in_string = false;

    if (lim == NULL || (p == NULL && len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (in_string) {
            if (c == '\\') {
                i++; /* the escaped character cannot end the string */
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"': in_string = true; break;
        case '[':
        case '{':
            if (++depth > lim->max_depth) {
                hc_msgf(why, why_len, "JSON nested deeper than %zu levels", lim->max_depth);
                return HC_ERR_INPUT_TOO_LARGE;
            }
            break;
        case ']':
        case '}': depth -= depth > 0; break;
        case ',':
        case ':':
            /* n entries of the outermost container are separated by n - 1 commas */
            if (c == ',' && depth == 1 && lim->max_entries != 0 &&
                ++top_level_commas >= lim->max_entries) {
                hc_msgf(why, why_len, "more than %zu entries", lim->max_entries);
                return HC_ERR_INPUT_TOO_LARGE;
            }
            if (++values > lim->max_values) {
                hc_msgf(why, why_len, "more than %zu JSON values", lim->max_values);
                return HC_ERR_INPUT_TOO_LARGE;
            }
            break;
        default: break;
        }
    }
    return HC_OK;
}

hc_err
hc_json_parse_bounded(const char *text, size_t len, const hc_json_limits *lim, json_t **out,
                      char *why, size_t why_len)
{
    char scratch[8];
    json_error_t je;

    if (why == NULL || why_len == 0) {
        why = scratch;
        why_len = sizeof scratch;
    }
    why[0] = '\0';
    if (out == NULL || (text == NULL && len != 0) || lim == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (len > lim->max_bytes) {
        snprintf(why, why_len, "JSON of %zu bytes, more than %zu", len, lim->max_bytes);
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        snprintf(why, why_len, "JSON starts with a UTF-8 byte order mark (RFC 8259 §8.1)");
        return HC_ERR_STRUCTURE_INVALID;
    }
    hc_err e = hc_json_check_bounds(text, len, lim, why, why_len);
    if (e != HC_OK) {
        return e;
    }
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (root == NULL) {
        snprintf(why, why_len, "not valid JSON: %.100s (character %d)", je.text, je.position);
        return HC_ERR_STRUCTURE_INVALID;
    }
    *out = root;
    return HC_OK;
}

const char *
hc_json_get_string(const json_t *obj, const char *name, size_t *len)
{
    json_t *v = json_object_get(obj, name);
    if (!json_is_string(v)) {
        return NULL;
    }
    if (len != NULL) {
        *len = json_string_length(v);
    }
    return json_string_value(v);
}
