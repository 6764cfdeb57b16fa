/*
 * translit.h: names in the machine-readable form of ICAO Doc 9303-3 §6 (the EU DCC "fnt"/"gnt"
 * fields, eu-dcc-schema: ^[A-Z<]*$): upper-case Latin letters, '<' for spaces and hyphens.
 */
#ifndef HC_TRANSLIT_H
#define HC_TRANSLIT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Writes the transliteration of the UTF-8 name into out (NUL-terminated, at most cap - 1
 * characters; cut at cap - 1). Latin letters with diacritics follow Doc 9303-3 Appendix B to
 * Part 3 for the letters it lists (Ä -> AE, Ö -> OE, Ü -> UE, ß -> SS, Å -> AA, Æ -> AE, Ø -> OE,
 * Þ -> TH, others lose the diacritic); consecutive separators collapse into one '<'. Returns false
 * when a character had no transliteration (it is dropped), so the caller can say so.
 */
bool hc_translit_icao(const char *name, char *out, size_t cap);

#endif
