/*
 * fuzz_jcs.c: RFC 8785 canonicalization (src/jcs) on arbitrary JSON text. Invariants: whatever
 * parses canonicalizes without crashing, within the bound; the canonical text parses again; and
 * canonicalizing it again gives the same bytes (canonical forms are fixed points, RFC 8785 §3.2).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"
#include "json_bounded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    char why[128];
    if (hc_json_parse_bounded((const char *)data, size, &hc_json_payload_limits, &v, why,
                              sizeof why) != HC_OK) {
        return 0;
    }
    char *c1 = NULL, *c2 = NULL;
    size_t n1 = 0, n2 = 0;
    hc_err e = hc_jcs_serialize(v, 1 << 20, &c1, &n1);
    json_decref(v);
    if (e != HC_OK) {
        return 0; /* too deep or too large: refused, not crashed */
    }
    /* Integers are read back as doubles, as RFC 8785 §3.2.2.3 (and ECMAScript) see all numbers:
     * jansson cannot hold "100000000000000000000" (1e20) as an integer. */
    json_error_t je;
    json_t *w =
        json_loadb(c1, n1, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &je);
    if (w == NULL) {
        abort(); /* a canonical form must be JSON */
    }
    if (hc_jcs_serialize(w, 1 << 20, &c2, &n2) != HC_OK || n1 != n2 || memcmp(c1, c2, n1) != 0) {
        abort(); /* not a fixed point */
    }
    json_decref(w);
    free(c1);
    free(c2);
    return 0;
}
