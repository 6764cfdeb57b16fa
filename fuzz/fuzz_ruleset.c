/* fuzz_ruleset.c: EU rule JSON and value sets as loaded by verify --rules / --valuesets. */
#include <jansson.h>

#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    if (size > 65536) {
        return 0;
    }
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (j == NULL) {
        return 0;
    }
    hc_ruleset *rs = hc_ruleset_new();
    hc_valuesets *vs = hc_valuesets_new();
    if (rs != NULL) {
        (void)hc_ruleset_add_json(rs, j, "fuzz", msg, sizeof msg);
    }
    if (vs != NULL) {
        (void)hc_valuesets_add_json(vs, j, msg, sizeof msg);
    }
    hc_ruleset_free(rs);
    hc_valuesets_free(vs);
    json_decref(j);
    return 0;
}
