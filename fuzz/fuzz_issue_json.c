/*
 * fuzz_issue_json.c: the batch issuer's JSON parser (src/issue/json_parse.c) against jansson, its
 * specification (issue_json.h): both accept the same texts (up to our depth bound of 64) and build
 * equal values; parsed into earlier values (another text's: an input of two lines), the same.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"
#include "issue_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Bracket depth outside strings (an over-estimate is fine: it only decides what we compare);
 * *nul set when a NUL byte occurs outside strings. Such texts are not JSON (RFC 8259 §2) and we
 * refuse them, but jansson 2.14 accepts one NUL right after a number or a literal ("[0\0]" is
 * [0] to it), a quirk not copied (issue_json.h).
 */
static size_t
max_depth(const uint8_t *p, size_t n, int *nul)
{
    size_t d = 0, max = 0;
    int in_str = 0;
    *nul = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_str) {
            if (p[i] == '\\') {
                i++;
            } else if (p[i] == '"') {
                in_str = 0;
            }
        } else if (p[i] == '"') {
            in_str = 1;
        } else if (p[i] == '[' || p[i] == '{') {
            max = ++d > max ? d : max;
        } else if ((p[i] == ']' || p[i] == '}') && d > 0) {
            d--;
        } else if (p[i] == '\0') {
            *nul = 1;
        }
    }
    return max;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    if (size > 65536) {
        return 0;
    }
    json_t *ours = hc_issue_json_parse((const char *)data, size, err, sizeof err, NULL);
    json_error_t je;
    json_t *ref = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    int nul = 0;
    if (max_depth(data, size, &nul) < HC_MAX_JSON_DEPTH && !nul) {
        /* Both accept or both refuse; accepted values are equal. */
        if ((ours == NULL) != (ref == NULL) || (ours != NULL && !json_equal(ours, ref))) {
            abort();
        }
    } else if (ours != NULL && (ref == NULL || !json_equal(ours, ref))) {
        abort(); /* deeper texts, or with NUL, may be refused by us, never accepted differently */
    }
    /* Parsed into other values (hc_issue_json_parse_reuse): into a DCC-shaped one, then into its
     * own result; the same verdict and value as parsed afresh. */
    static const char dcc[] =
        "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"A\",\"fnt\":\"A\"},"
        "\"dob\":\"1970\",\"v\":[{\"tg\":\"840539006\",\"dn\":1}],\"x\":[1,2]}";
    json_t *into = hc_issue_json_parse(dcc, sizeof dcc - 1, NULL, 0, NULL);
    for (int round = 0; round < 2; round++) {
        into = hc_issue_json_parse_reuse(into, (const char *)data, size, err, sizeof err, NULL);
        if ((into == NULL) != (ours == NULL) || (into != NULL && !json_equal(into, ours))) {
            abort();
        }
    }
    json_decref(into);
    /* And an input of two texts, one line each: the second parsed into the first's value (any
     * pair of shapes), against jansson on the second. */
    const uint8_t *nl = memchr(data, '\n', size);
    if (nl != NULL) {
        size_t first = (size_t)(nl - data), second = size - first - 1;
        json_t *spare = hc_issue_json_parse((const char *)data, first, NULL, 0, NULL);
        json_t *ref2 = json_loadb((const char *)nl + 1, second, JSON_REJECT_DUPLICATES, &je);
        int nul2 = 0;
        json_t *got =
            hc_issue_json_parse_reuse(spare, (const char *)nl + 1, second, err, sizeof err, NULL);
        if (max_depth(nl + 1, second, &nul2) < HC_MAX_JSON_DEPTH && !nul2 &&
            ((got == NULL) != (ref2 == NULL) || (got != NULL && !json_equal(got, ref2)))) {
            abort();
        }
        json_decref(got);
        json_decref(ref2);
    }
    json_decref(ours);
    json_decref(ref);
    return 0;
}
