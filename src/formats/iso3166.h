/*
 * iso3166.h: ISO 3166-1 country codes, alpha-3 (WHO DDCC, ICAO Doc 9303 issuing states) to
 * alpha-2 (EU DCC "co", CWT "iss", X.509 C=) and back.
 */
#ifndef HC_ISO3166_H
#define HC_ISO3166_H

/* The alpha-2 code of an upper-case alpha-3 code ("AUS" -> "AU"), NULL when not assigned. */
const char *hc_iso3166_alpha2(const char *alpha3);

/* The alpha-3 code of an upper-case alpha-2 code ("AU" -> "AUS"), NULL when not assigned. */
const char *hc_iso3166_alpha3(const char *alpha2);

#endif
