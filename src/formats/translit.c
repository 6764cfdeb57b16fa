/*
 * translit.c: ICAO Doc 9303-3 transliteration of Latin names (translit.h).
 *
 * Covers ASCII, Latin-1 Supplement and Latin Extended-A (U+00C0..U+017F), where the names of the
 * DDCC records this converts are written; other scripts need the full Doc 9303 tables (Cyrillic,
 * Greek, Arabic) and are reported as untransliterable rather than guessed.
 */
#include "translit.h"

#include <stdint.h>
#include <string.h>

/* U+00C0..U+00FF (lower case folded to upper in the table). NULL = no transliteration. */
static const char *const latin1[64] = {
    "A", "A", "A", "A", "AE", "AA", "AE", "C",  "E",  "E", "E", "E", "I",  "I", "I",  "I",
    "D", "N", "O", "O", "O",  "O",  "OE", NULL, "OE", "U", "U", "U", "UE", "Y", "TH", "SS",
    "A", "A", "A", "A", "AE", "AA", "AE", "C",  "E",  "E", "E", "E", "I",  "I", "I",  "I",
    "D", "N", "O", "O", "O",  "O",  "OE", NULL, "OE", "U", "U", "U", "UE", "Y", "TH", "Y",
};

/* U+0100..U+017F: the base letter of each (pairs of upper/lower case share it). */
static const char *const latin_ext_a[128] = {
    "A", "A", "A",  "A",  "A", "A", "C", "C", "C", "C", "C", "C", "C", "C", "D", "D",
    "D", "D", "E",  "E",  "E", "E", "E", "E", "E", "E", "E", "E", "G", "G", "G", "G",
    "G", "G", "G",  "G",  "H", "H", "H", "H", "I", "I", "I", "I", "I", "I", "I", "I",
    "I", "I", "IJ", "IJ", "J", "J", "K", "K", "K", "L", "L", "L", "L", "L", "L", "L",
    "L", "L", "L",  "N",  "N", "N", "N", "N", "N", "N", "N", "N", "O", "O", "O", "O",
    "O", "O", "OE", "OE", "R", "R", "R", "R", "R", "R", "S", "S", "S", "S", "S", "S",
    "S", "S", "T",  "T",  "T", "T", "T", "T", "U", "U", "U", "U", "U", "U", "U", "U",
    "U", "U", "U",  "U",  "W", "W", "Y", "Y", "Y", "Z", "Z", "Z", "Z", "Z", "Z", "S",
};

/* Next code point of UTF-8 text at *s (advancing it); U+FFFD for a malformed sequence. */
static uint32_t
next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    size_t n = c < 0x80             ? 0
               : (c & 0xe0) == 0xc0 ? 1
               : (c & 0xf0) == 0xe0 ? 2
               : (c & 0xf8) == 0xf0 ? 3
                                    : 0;
    if (c >= 0x80 && n == 0) {
        *s = p + 1;
        return 0xfffd;
    }
    c &= n == 0 ? 0x7f : 0x3f >> n;
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s = p + i;
            return 0xfffd;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    *s = p + n + 1;
    return c;
}

bool
hc_translit_icao(const char *name, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t o = 0;
    bool all = true, pending_sep = false;

    if (cap == 0) {
        return false;
    }
    while (*s != '\0') {
        uint32_t c = next_cp(&s);
        const char *t = NULL;
        char one[2] = { 0, 0 };
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            one[0] = (char)(c >= 'a' ? c - 32 : c);
            t = one;
        } else if (c == ' ' || c == '-' || c == '<' || c == ',' || c == '.') {
            pending_sep = o > 0; /* Doc 9303-3 §4.6: filler between name components */
            continue;
        } else if (c == '\'') {
            continue; /* apostrophes are omitted (Doc 9303-3 §6.A) */
        } else if (c >= 0xc0 && c <= 0xff) {
            t = latin1[c - 0xc0];
        } else if (c >= 0x100 && c <= 0x17f) {
            t = latin_ext_a[c - 0x100];
        }
        if (t == NULL) {
            all = false;
            continue;
        }
        size_t tl = strlen(t) + (pending_sep ? 1 : 0);
        if (o + tl >= cap) {
            break;
        }
        if (pending_sep) {
            out[o++] = '<';
            pending_sep = false;
        }
        memcpy(out + o, t, strlen(t));
        o += strlen(t);
    }
    out[o] = '\0';
    return all;
}
