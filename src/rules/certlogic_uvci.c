/*
 * certlogic_uvci.c: extractFromUVCI (spec §"Extract data from an UCI (extractFromUVCI)").
 *
 * The UCI is not checked against eHealth Network Annex 2 (the spec says so on purpose): it is only
 * split on '/', '#' and ':' after dropping an optional "URN:UVCI:" prefix. Every separator starts a
 * new fragment, so empty fragments count ("a::c/#/f" has 6), and "" has one empty fragment.
 */
#include <string.h>

#include "certlogic.h"

static bool
is_separator(char c)
{
    return c == '/' || c == '#' || c == ':';
}

bool
hc_certlogic_uvci_fragment(const char *uvci, size_t len, int64_t index, const char **frag,
                           size_t *frag_len)
{
    static const char prefix[] = "URN:UVCI:";
    const size_t plen = sizeof prefix - 1;
    if (index < 0) {
        return false;
    }
    /* Case-sensitive, as String.prototype.startsWith in certlogic-js. */
    if (len >= plen && memcmp(uvci, prefix, plen) == 0) {
        uvci += plen;
        len -= plen;
    }
    size_t start = 0;
    int64_t n = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || is_separator(uvci[i])) {
            if (n == index) {
                *frag = uvci + start;
                *frag_len = i - start;
                return true;
            }
            n++;
            start = i + 1;
        }
    }
    return false;
}
