/* uvci.c: UVCI generation and the Luhn mod N check character (see issue_uvci.h). */
#include "issue_uvci.h"

#include <stdint.h>
#include <string.h>

#include "issue_scratch.h"

/* The code points of the check character, in order (eu-dcc-schema examples/Luhn-Mod-N). */
static const char code_points[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:";
#define N_CODE_POINTS 38

/* The alphabet of the random opaque part: upper-case letters and digits (UVCI guidelines Annex 2
 * allow A-Z, 0-9 and '/' separators; we use no separators). */
static const char opaque_chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
#define N_OPAQUE_CHARS 36

static int
code_point_of(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= '0' && c <= '9') {
        return 26 + (c - '0');
    }
    if (c == '/') {
        return 36;
    }
    if (c == ':') {
        return 37;
    }
    return -1;
}

/* The Luhn mod N sum of text[0..len) from the right, the rightmost factor being first_factor;
 * -1 for a character outside the code points. */
static int
luhn_sum(const char *text, size_t len, int first_factor)
{
    int factor = first_factor, sum = 0;
    for (size_t i = len; i-- > 0;) {
        int cp = code_point_of(text[i]);
        if (cp < 0) {
            return -1;
        }
        int addend = factor * cp;
        factor = factor == 2 ? 1 : 2;
        /* The digits of the addend in base N (it is below 2N, so two digits at most). */
        sum += addend / N_CODE_POINTS + addend % N_CODE_POINTS;
    }
    return sum % N_CODE_POINTS;
}

char
hc_uvci_check_char(const char *text, size_t len)
{
    int rem = luhn_sum(text, len, 2);
    if (rem < 0) {
        return '\0';
    }
    return code_points[(N_CODE_POINTS - rem) % N_CODE_POINTS];
}

bool
hc_uvci_check_valid(const char *uvci)
{
    const char *hash = strrchr(uvci, '#');
    if (hash == NULL || hash[1] == '\0' || hash[2] != '\0') {
        return false;
    }
    char c = hc_uvci_check_char(uvci, (size_t)(hash - uvci));
    return c != '\0' && c == hash[1];
}

hc_err
hc_uvci_generate(const char *country, char *out, size_t cap)
{
    size_t clen = strlen(country);
    if (clen == 0 || clen > 10) {
        return HC_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < clen; i++) {
        if (country[i] < 'A' || country[i] > 'Z') {
            return HC_ERR_INVALID_ARG;
        }
    }
    /* "URN:UVCI:01:" CC ":" opaque "#" check NUL */
    size_t len = 12 + clen + 1 + HC_UVCI_OPAQUE_LEN + 1;
    if (len + 2 > cap) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(out, "URN:UVCI:01:", 12);
    memcpy(out + 12, country, clen);
    out[12 + clen] = ':';
    char *opaque = out + 12 + clen + 1;
    size_t n = 0;
    while (n < HC_UVCI_OPAQUE_LEN) {
        uint8_t rnd[32];
        hc_err err = hc_issue_random(rnd, sizeof rnd);
        if (err != HC_OK) {
            return err;
        }
        for (size_t i = 0; i < sizeof rnd && n < HC_UVCI_OPAQUE_LEN; i++) {
            /* Rejection sampling: 252 = 7 * 36, so bytes below it map uniformly to 36 chars. */
            if (rnd[i] < 252) {
                opaque[n++] = opaque_chars[rnd[i] % N_OPAQUE_CHARS];
            }
        }
    }
    out[len - 1] = '#';
    /* The check character covers everything before '#'. */
    char check = hc_uvci_check_char(out, len - 1);
    if (check == '\0') {
        return HC_ERR_INTERNAL;
    }
    out[len] = check;
    out[len + 1] = '\0';
    return HC_OK;
}
