/*
 * fuzz_http_response.c: the HTTP response head parser of the did:web client (src/net, verify
 * --resolve-did-web) on arbitrary bytes from the network. Invariants: the head end is within the
 * input, parsing never reads past it, and a parsed head has a three-digit status and a Location
 * of printable ASCII only (it goes into messages and JSON verdicts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "https_get.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so that a read past the end is caught by the sanitizers. */
    char *buf = malloc(size ? size : 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    size_t end = hc_http_head_end(buf, size);
    if (end > size) {
        abort();
    }
    hc_http_head h;
    char why[128];
    /* The client parses only a delimited head; the whole input is parsed too (no delimiter). */
    size_t lens[2] = { end, size };
    for (int k = 0; k < 2; k++) {
        if (hc_http_parse_head(buf, lens[k], &h, why, sizeof why) != HC_OK) {
            continue;
        }
        if (h.status < 100 || h.status > 999 ||
            memchr(h.location, '\0', sizeof h.location) == NULL) {
            abort();
        }
        for (const char *c = h.location; *c; c++) {
            if (*c <= 0x20 || *c >= 0x7f) {
                abort();
            }
        }
    }
    free(buf);
    return 0;
}
