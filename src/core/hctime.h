/*
 * hctime.h: points in time as Unix milliseconds (UTC), ISO 8601 parsing and formatting.
 *
 * One integer type for every clock in the project: CWT NumericDate (seconds, RFC 8392 §2), X.509
 * validity, CertLogic date-times (millisecond precision, CertLogic spec §"Date-times"), --at.
 */
#ifndef HC_HCTIME_H
#define HC_HCTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t hc_time_ms;

/* Range accepted anywhere: years 0001..9999, so that arithmetic never overflows. */
#define HC_TIME_MIN_MS (-62135596800000LL) /* 0001-01-01T00:00:00Z */
#define HC_TIME_MAX_MS (253402300799999LL) /* 9999-12-31T23:59:59.999Z */

/* Now, from the system clock. */
hc_time_ms hc_time_now(void);

/* Days since 1970-01-01 of a proleptic Gregorian date (no range check). */
int64_t hc_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of hc_days_from_civil. */
void hc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Days in month m (1..12) of year y. */
unsigned hc_days_in_month(int64_t y, unsigned m);

/*
 * Parses an ISO 8601 / RFC 3339 date or date-time:
 *   YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.fraction]][zone], space accepted for 'T', 't' too,
 *   zone: Z, z, +hh, +hhmm, +hh:mm (and -), none = UTC.
 * Fraction digits beyond milliseconds are truncated. Returns false on anything else, including
 * impossible dates (2021-02-30) and times (25:00).
 */
bool hc_time_parse_iso8601(const char *s, size_t len, hc_time_ms *out);

/* Formats t as "YYYY-MM-DDThh:mm:ssZ" (with ".mmm" when with_ms). buf needs 25 bytes. */
void hc_time_format(hc_time_ms t, bool with_ms, char *buf, size_t cap);
/* Formats the date part "YYYY-MM-DD". buf needs 11 bytes. */
void hc_time_format_date(hc_time_ms t, char *buf, size_t cap);

#endif
