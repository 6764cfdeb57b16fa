/*
 * issue_uvci.h: unique vaccination certificate identifiers (UVCI) and their check character.
 *
 * Scheme (eHealth Network, "Guidelines on verifiable vaccination certificates", Annex 2; the
 * eu-dcc-schema examples, e.g. "URN:UVCI:01:NL:DADFCC47C7334E45A906DB12FD859FB7#1"):
 *
 *     URN:UVCI:01:<CC>:<opaque unique string>#<check character>
 *
 * "01" is the version of the UVCI schema, CC the ISO 3166-1 alpha-2 code of the issuing country.
 * The check character is Luhn mod N (the eu-dcc-schema examples/Luhn-Mod-N notes) over every
 * character before '#', with N = 38 code points "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:" in that
 * order: from the right, code points are multiplied alternately by 2 and 1 (starting with 2), the
 * base-N digits of each product are summed, and the check character's code point is
 * (N - sum mod N) mod N. Validation runs the same sum over the text and its check character,
 * starting with factor 1, and wants 0.
 */
#ifndef HC_ISSUE_UVCI_H
#define HC_ISSUE_UVCI_H

#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"

/* Characters of the random opaque part: 26 of [0-9A-Z] = 134 bits, so that two certificates of
 * one issuer never share a UVCI (a collision is as likely as guessing a 128-bit key). */
#define HC_UVCI_OPAQUE_LEN 26

/*
 * The Luhn mod N check character of text[0..len), or '\0' when the text holds a character outside
 * the 38 code points (the opaque part must use only A-Z, 0-9 and '/' separators).
 */
char hc_uvci_check_char(const char *text, size_t len);

/* True when uvci has the form "...#C" and C is the check character of what precedes '#'. */
bool hc_uvci_check_valid(const char *uvci);

/*
 * Writes a new UVCI "URN:UVCI:01:<country>:<26 random [0-9A-Z]>#<check>" into out (NUL-terminated;
 * 47 bytes suffice for a two-letter country). country must be A-Z only, 1..10 letters.
 * HC_ERR_INVALID_ARG for a bad country, HC_ERR_BUFFER_TOO_SMALL, HC_ERR_INTERNAL when the random
 * generator fails. Thread-safe (random bytes from a per-thread pool of OpenSSL's DRBG output,
 * issue_scratch.h).
 */
hc_err hc_uvci_generate(const char *country, char *out, size_t cap);

#endif
