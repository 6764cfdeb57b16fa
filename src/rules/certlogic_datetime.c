/*
 * certlogic_datetime.c: CertLogic date-times (spec §"Dates and date-times", §"Offset date-time
 * (plusTime)", §"DCC Date of birth (dccDateOfBirth)").
 *
 * A date-time is Unix milliseconds, like a JavaScript Date: the zone offset of the input is applied
 * when parsing and not kept (certlogic-js results print as UTC, Date.prototype.toISOString).
 *
 * Parsing follows certlogic-js's dateFromString: the string must match one of the spec's formats
 * (its regular expression, decoded by hand below), then the JavaScript Date parser decides whether
 * the fields name a time. That parser (V8's, as in Node) accepts day 1..31 for every month and
 * rolls over (2021-02-30 is 2021-03-02), hour 24 only as 24:00:00.000, and zone offsets up to
 * 23:59. The spec calls behaviour on invalid dates undefined; rejecting what JavaScript would turn
 * into an "Invalid Date" gives an evaluation error instead of silently false comparisons.
 *
 * Offsetting uses the ECMAScript MakeDay/MakeTime arithmetic that setUTCFullYear/Month/Date/Hours
 * perform (ECMA-262 §21.4.1.28-29): a day overflow rolls into the next month, so 2020-02-29 plus
 * one year is 2021-03-01 and 2021-01-31 plus one month is 2021-03-03 (spec §"Leap days").
 */
#include <stdio.h>
#include <string.h>

#include "certlogic_internal.h"

#define MS_PER_DAY  86400000LL
#define MS_PER_HOUR 3600000LL
/* ECMA-262 §21.4.1.31 TimeClip: a Date holds at most 8.64e15 ms either side of the epoch. */
#define JS_TIME_MAX 8640000000000000LL

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n digits at s[i..] as a number; false if not all digits. */
static bool
num_at(const char *s, size_t len, size_t i, size_t n, int *out)
{
    int v = 0;
    if (i + n > len) {
        return false;
    }
    for (size_t k = 0; k < n; k++) {
        if (!is_digit(s[i + k])) {
            return false;
        }
        v = v * 10 + (s[i + k] - '0');
    }
    *out = v;
    return true;
}

/* Midnight UTC of y-m-d with JavaScript's MakeDay: day 1..31 accepted and rolled over. */
static hc_time_ms
make_date(int64_t y, int m, int d)
{
    return (hc_days_from_civil(y, (unsigned)m, 1) + d - 1) * MS_PER_DAY;
}

bool
hc_certlogic_dcc_date_of_birth(const char *s, size_t len, hc_time_ms *out)
{
    int y, m, d;
    if (len == 4 && num_at(s, len, 0, 4, &y)) {
        *out = make_date(y, 12, 31);
        return true;
    }
    if (len == 7 && num_at(s, len, 0, 4, &y) && s[4] == '-' && num_at(s, len, 5, 2, &m)) {
        if (m < 1 || m > 12) {
            return false;
        }
        /* certlogic-js: first of the month, plus one month, setUTCDate(0) = the month's last day.
         */
        *out = make_date(y, m, (int)hc_days_in_month(y, (unsigned)m));
        return true;
    }
    if (len == 10 && num_at(s, len, 0, 4, &y) && s[4] == '-' && num_at(s, len, 5, 2, &m) &&
        s[7] == '-' && num_at(s, len, 8, 2, &d)) {
        if (m < 1 || m > 12 || d < 1 || d > 31) {
            return false;
        }
        *out = make_date(y, m, d);
        return true;
    }
    return false;
}

/*
 * The zone part of certlogic-js's pattern: Z | [+-] \d{1,2} :? (\d{2})?  (then end of string).
 * Read the way the regular expression backtracks: "+130" is 1:30, "+1300" 13:00, "+13:" 13:00.
 */
static bool
parse_zone(const char *s, size_t len, size_t i, int *offset_min)
{
    *offset_min = 0;
    if (i == len) {
        return true; /* no zone: Z */
    }
    if (s[i] == 'Z') {
        return i + 1 == len;
    }
    if (s[i] != '+' && s[i] != '-') {
        return false;
    }
    int sign = s[i] == '-' ? -1 : 1;
    i++;
    size_t nd = 0;
    while (i + nd < len && is_digit(s[i + nd])) {
        nd++;
    }
    int h = 0, m = 0;
    if (i + nd < len && s[i + nd] == ':') {
        /* hh: or h: then zero or two digits up to the end. */
        size_t rest = len - (i + nd + 1);
        if (nd < 1 || nd > 2 || (rest != 0 && rest != 2)) {
            return false;
        }
        num_at(s, len, i, nd, &h);
        if (rest == 2 && !num_at(s, len, i + nd + 1, 2, &m)) {
            return false;
        }
    } else {
        if (i + nd != len) {
            return false;
        }
        switch (nd) {
        case 1:
        case 2: num_at(s, len, i, nd, &h); break;
        case 3:
        case 4:
            num_at(s, len, i, nd - 2, &h);
            num_at(s, len, i + nd - 2, 2, &m);
            break;
        default: return false;
        }
    }
    /* The Date parser takes offsets hh:mm with hh 0..23 and mm 0..59. */
    if (h > 23 || m > 59) {
        return false;
    }
    *offset_min = sign * (h * 60 + m);
    return true;
}

bool
hc_certlogic_parse_datetime(const char *s, size_t len, hc_time_ms *out)
{
    int y, mo, d, h, mi, sec, ms = 0;
    /* Partial dates are read as dccDateOfBirth reads them (spec 1.3.2). */
    if (len == 4 || len == 7) {
        return hc_certlogic_dcc_date_of_birth(s, len, out);
    }
    if (!(len >= 10 && num_at(s, len, 0, 4, &y) && s[4] == '-' && num_at(s, len, 5, 2, &mo) &&
          s[7] == '-' && num_at(s, len, 8, 2, &d))) {
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31) {
        return false;
    }
    if (len == 10) {
        *out = make_date(y, mo, d);
        return true;
    }
    if (!(len >= 19 && s[10] == 'T' && num_at(s, len, 11, 2, &h) && s[13] == ':' &&
          num_at(s, len, 14, 2, &mi) && s[16] == ':' && num_at(s, len, 17, 2, &sec))) {
        return false;
    }
    size_t i = 19;
    if (i < len && s[i] == '.') {
        /* Any number of fraction digits (at least one); those past milliseconds are dropped. */
        size_t start = ++i;
        while (i < len && is_digit(s[i])) {
            i++;
        }
        if (i == start) {
            return false;
        }
        int scale = 100;
        for (size_t k = start; k < i && k < start + 3; k++) {
            ms += (s[k] - '0') * scale;
            scale /= 10;
        }
    }
    int offset_min;
    if (!parse_zone(s, len, i, &offset_min)) {
        return false;
    }
    if (mi > 59 || sec > 59 || (h > 23 && !(h == 24 && mi == 0 && sec == 0 && ms == 0))) {
        return false;
    }
    hc_time_ms t = make_date(y, mo, d) + h * MS_PER_HOUR + mi * 60000LL + sec * 1000LL + ms;
    *out = t - offset_min * 60000LL;
    return true;
}

/* floor division and modulo for the month arithmetic of negative amounts. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

bool
hc_certlogic_plus_time(hc_time_ms t, int64_t amount, hc_certlogic_unit unit, hc_time_ms *out)
{
    /* An amount moving a date further than the whole Date range (5.5e5 years, 6.6e6 months,
     * 2.4e9 hours) leaves it anyway; bounding it first keeps the arithmetic below in int64. */
    int64_t max_amount = unit == HC_CERTLOGIC_YEAR    ? 600000LL
                         : unit == HC_CERTLOGIC_MONTH ? 7200000LL
                                                      : 4000000000LL;
    if (t < -JS_TIME_MAX || t > JS_TIME_MAX || amount < -max_amount || amount > max_amount) {
        return false;
    }
    int64_t days = floor_div(t, MS_PER_DAY);
    int64_t time_in_day = t - days * MS_PER_DAY;
    hc_time_ms r;
    switch (unit) {
    case HC_CERTLOGIC_HOUR: r = t + amount * MS_PER_HOUR; break;
    case HC_CERTLOGIC_DAY: r = t + amount * MS_PER_DAY; break;
    case HC_CERTLOGIC_MONTH:
    case HC_CERTLOGIC_YEAR: {
        int64_t y;
        unsigned m, d;
        hc_civil_from_days(days, &y, &m, &d);
        /* MakeDay(year, month, date): month overflow moves the year, date overflow the month. */
        int64_t months = unit == HC_CERTLOGIC_MONTH ? (int64_t)(m - 1) + amount : (int64_t)(m - 1);
        int64_t year = (unit == HC_CERTLOGIC_YEAR ? y + amount : y) + floor_div(months, 12);
        int64_t month0 = months - floor_div(months, 12) * 12;
        r = (hc_days_from_civil(year, (unsigned)month0 + 1, 1) + (int64_t)d - 1) * MS_PER_DAY +
            time_in_day;
        break;
    }
    default: return false;
    }
    if (r < -JS_TIME_MAX || r > JS_TIME_MAX) {
        return false;
    }
    *out = r;
    return true;
}

void
hc_certlogic_format_datetime(hc_time_ms t, char *buf, size_t cap)
{
    int64_t days = floor_div(t, MS_PER_DAY);
    int64_t rest = t - days * MS_PER_DAY;
    int64_t y;
    unsigned m, d;
    hc_civil_from_days(days, &y, &m, &d);
    int hh = (int)(rest / MS_PER_HOUR), mi = (int)(rest / 60000 % 60), ss = (int)(rest / 1000 % 60),
        ms = (int)(rest % 1000);
    if (y >= 0 && y <= 9999) {
        snprintf(buf, cap, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", (int)y, m, d, hh, mi, ss, ms);
    } else {
        /* ECMA-262 §21.4.1.32: expanded years, sign and six digits. */
        snprintf(buf, cap, "%c%06lld-%02u-%02uT%02d:%02d:%02d.%03dZ", y < 0 ? '-' : '+',
                 (long long)(y < 0 ? -y : y), m, d, hh, mi, ss, ms);
    }
}
