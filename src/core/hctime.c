/* hctime.c: civil-date arithmetic and ISO 8601 parsing (see hctime.h). */
#include "hctime.h"

#include <stdio.h>
#include <time.h>

hc_time_ms
hc_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (hc_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t
hc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void
hc_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

unsigned
hc_days_in_month(int64_t y, unsigned m)
{
    static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return leap ? 29 : 28;
    }
    return m >= 1 && m <= 12 ? days[m - 1] : 0;
}

/* Reads exactly n decimal digits at s[*i]. */
static bool
digits(const char *s, size_t len, size_t *i, unsigned n, unsigned *out)
{
    unsigned v = 0;
    if (len - *i < n) {
        return false;
    }
    for (unsigned k = 0; k < n; k++) {
        char c = s[*i + k];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (unsigned)(c - '0');
    }
    *i += n;
    *out = v;
    return true;
}

static bool
parse_zone(const char *s, size_t len, size_t *i, int64_t *offset_min)
{
    *offset_min = 0;
    if (*i == len) {
        return true; /* no zone: UTC */
    }
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
        return true;
    }
    if (s[*i] != '+' && s[*i] != '-') {
        return false;
    }
    int sign = s[*i] == '-' ? -1 : 1;
    unsigned hh = 0, mm = 0;
    (*i)++;
    if (!digits(s, len, i, 2, &hh)) {
        return false;
    }
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if (!digits(s, len, i, 2, &mm)) {
            return false;
        }
    } else if (*i < len && !digits(s, len, i, 2, &mm)) {
        return false;
    }
    if (hh > 23 || mm > 59) {
        return false;
    }
    *offset_min = sign * (int64_t)(hh * 60 + mm);
    return true;
}

bool
hc_time_parse_iso8601(const char *s, size_t len, hc_time_ms *out)
{
    size_t i = 0;
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
    int64_t offset_min = 0;

    if (s == NULL || !digits(s, len, &i, 4, &y) || i == len || s[i++] != '-' ||
        !digits(s, len, &i, 2, &mo) || i == len || s[i++] != '-' || !digits(s, len, &i, 2, &d)) {
        return false;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > hc_days_in_month(y, mo)) {
        return false;
    }
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
            return false;
        }
        i++;
        if (!digits(s, len, &i, 2, &h) || i == len || s[i++] != ':' ||
            !digits(s, len, &i, 2, &mi)) {
            return false;
        }
        if (i < len && s[i] == ':') {
            i++;
            if (!digits(s, len, &i, 2, &sec)) {
                return false;
            }
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                unsigned scale = 100, n = 0;
                i++;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    ms += (unsigned)(s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                    n++;
                }
                if (n == 0) {
                    return false;
                }
            }
        }
        /* 24:00 and leap seconds are not accepted: no credential needs them. */
        if (h > 23 || mi > 59 || sec > 59) {
            return false;
        }
        if (!parse_zone(s, len, &i, &offset_min)) {
            return false;
        }
    }
    if (i != len) {
        return false;
    }
    int64_t days = hc_days_from_civil(y, mo, d);
    *out = ((days * 24 + h) * 60 + mi - offset_min) * 60000 + (int64_t)sec * 1000 + ms;
    return true;
}

static void
split(hc_time_ms t, int64_t *y, unsigned *mo, unsigned *d, unsigned *h, unsigned *mi, unsigned *s,
      unsigned *ms)
{
    int64_t days = t / 86400000;
    int64_t rem = t % 86400000;
    if (rem < 0) {
        rem += 86400000;
        days--;
    }
    hc_civil_from_days(days, y, mo, d);
    *h = (unsigned)(rem / 3600000);
    *mi = (unsigned)(rem / 60000 % 60);
    *s = (unsigned)(rem / 1000 % 60);
    *ms = (unsigned)(rem % 1000);
}

void
hc_time_format(hc_time_ms t, bool with_ms, char *buf, size_t cap)
{
    int64_t y;
    unsigned mo, d, h, mi, s, ms;
    split(t, &y, &mo, &d, &h, &mi, &s, &ms);
    if (with_ms) {
        snprintf(buf, cap, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, mo, d, h, mi, s,
                 ms);
    } else {
        snprintf(buf, cap, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
    }
}

void
hc_time_format_date(hc_time_ms t, char *buf, size_t cap)
{
    int64_t y;
    unsigned mo, d, h, mi, s, ms;
    split(t, &y, &mo, &d, &h, &mi, &s, &ms);
    snprintf(buf, cap, "%04lld-%02u-%02u", (long long)y, mo, d);
}
