/*
 * hc_utf8.h: UTF-8 as RFC 3629 §4 defines it, for every module that checks or sanitises text
 * (CBOR text strings, certificate names, ...).
 */
#ifndef HC_UTF8_H
#define HC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1-4) of the UTF-8 character at s[0..left), or 0 when the bytes there are not one: no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence,
 * no lone continuation byte. left must be at least 1. Inline: the CBOR decoder calls it for every
 * non-ASCII character of the certificates it reads.
 */
static inline size_t
hc_utf8_char_len(const uint8_t *s, size_t left)
{
    uint8_t c = s[0];
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */

    if (c < 0x80) {
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* below is overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* above are the surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* below is overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* above is beyond U+10FFFF */
    } else {
        return 0; /* a continuation byte, 0xc0/0xc1 (overlong) or 0xf5..0xff */
    }
    if (left < n || s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf) {
            return 0;
        }
    }
    return n;
}

#endif
