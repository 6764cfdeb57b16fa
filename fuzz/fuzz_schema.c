/*
 * fuzz_schema.c: hc_dcc_schema_validate on arbitrary JSON: never a crash, a hang or a leak, and
 * every verdict is HC_OK or HC_ERR_SCHEMA_INVALID with a message.
 *
 * Inputs are bounded before jansson sees them, as the verify path bounds them: at most 64 KiB
 * (HC_MAX_INPUT_TEXT) and at most HC_MAX_JSON_DEPTH (64) nested arrays/objects, checked by a
 * byte scan first because jansson's parser is recursive.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcc_schema.h"
#include "hc_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nesting depth of [ and { outside strings, or SIZE_MAX when it passes max. */
static size_t
json_depth(const uint8_t *data, size_t size, size_t max)
{
    size_t depth = 0, deepest = 0;
    int in_string = 0;
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        if (in_string) {
            if (c == '\\') {
                i++; /* the escaped character cannot end the string */
            } else if (c == '"') {
                in_string = 0;
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max) {
                return SIZE_MAX;
            }
            deepest = depth > deepest ? depth : deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > HC_MAX_INPUT_TEXT || json_depth(data, size, HC_MAX_JSON_DEPTH) == SIZE_MAX) {
        return 0;
    }
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (doc == NULL) {
        return 0;
    }
    char msg[256];
    memset(msg, 'x', sizeof msg);
    hc_err rc = hc_dcc_schema_validate(doc, msg, sizeof msg);
    if (rc != HC_OK && rc != HC_ERR_SCHEMA_INVALID) {
        abort(); /* the embedded schemas always compile: anything else is a bug */
    }
    if (memchr(msg, '\0', sizeof msg) == NULL || (rc == HC_OK) != (msg[0] == '\0')) {
        abort(); /* the message is terminated, empty exactly on success */
    }
    /* A short buffer must be cut, not overrun, and give the same verdict. */
    char tiny[4];
    if (hc_dcc_schema_validate(doc, tiny, sizeof tiny) != rc || memchr(tiny, '\0', 4) == NULL) {
        abort();
    }
    json_decref(doc);
    return 0;
}
