/*
 * fuzz_trustlist.c: trust material of any form (JSON trust list, PEM, DER) through
 * hc_trust_store_add_buffer, the way --trust files reach the store. Invariants checked: a failed
 * input adds nothing; every entry the store holds is found again by its kid.
 */
#include <stdlib.h>

#include "trust_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[512];
    hc_trust_store *ts = hc_trust_store_new();
    if (ts == NULL) {
        return 0;
    }
    hc_err err = hc_trust_store_add_buffer(ts, data, size, "fuzz", msg, sizeof msg);
    size_t n = hc_trust_store_count(ts);
    if (err != HC_OK && n != 0) {
        abort(); /* nothing is added from an input that fails as a whole */
    }
    for (size_t i = 0; i < n; i++) {
        const hc_trust_entry *e = hc_trust_store_entry(ts, i), *found[HC_MAX_KEYS_PER_KID];
        size_t m = hc_trust_store_find(ts, e->kid, e->kid_len, found, HC_MAX_KEYS_PER_KID);
        size_t k = 0;
        while (k < m && k < HC_MAX_KEYS_PER_KID && found[k] != e) {
            k++;
        }
        if (e->key == NULL || m > HC_MAX_KEYS_PER_KID || k == m) {
            abort();
        }
    }
    hc_trust_store_free(ts);
    return 0;
}
