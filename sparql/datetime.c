/*
 * datetime.c — xsd:dateTime, xsd:date and xsd:time (datetime.h).
 *
 * Days are counted with the proleptic Gregorian calendar (the algorithm of
 * H. Hinnant's "chrono-compatible low-level date algorithms"), which XSD
 * uses for all years.
 */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

#define YEAR_LIMIT 1000000000LL

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly `count` digits at s[*i]; false if there are fewer. */
static bool read_digits(const char *s, size_t n, size_t *i, int count, int *out)
{
    int v = 0;
    for (int k = 0; k < count; k++, (*i)++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return false;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return true;
}

static bool expect(const char *s, size_t n, size_t *i, char c)
{
    if (*i >= n || s[*i] != c)
        return false;
    (*i)++;
    return true;
}

static bool parse_date(const char *s, size_t n, size_t *i, sparql_datetime *v)
{
    bool neg = false;
    if (*i < n && s[*i] == '-') {
        neg = true;
        (*i)++;
    }
    size_t start = *i;
    int64_t y = 0;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
        y = y * 10 + (s[*i] - '0');
        (*i)++;
        if (y > YEAR_LIMIT)
            return false;
    }
    size_t len = *i - start;
    if (len < 4 || (len > 4 && s[start] == '0'))
        return false;
    v->year = neg ? -y : y;
    if (!expect(s, n, i, '-') || !read_digits(s, n, i, 2, &v->month) || !expect(s, n, i, '-') ||
        !read_digits(s, n, i, 2, &v->day))
        return false;
    return v->month >= 1 && v->month <= 12 && v->day >= 1 &&
           v->day <= days_in_month(v->year, v->month);
}

static bool parse_time(const char *s, size_t n, size_t *i, sparql_datetime *v)
{
    int sec;
    if (!read_digits(s, n, i, 2, &v->hour) || !expect(s, n, i, ':') ||
        !read_digits(s, n, i, 2, &v->minute) || !expect(s, n, i, ':') ||
        !read_digits(s, n, i, 2, &sec))
        return false;
    v->second = sparql_decimal_from_int(sec);
    if (*i < n && s[*i] == '.') {
        size_t start = *i;
        (*i)++;
        while (*i < n && s[*i] >= '0' && s[*i] <= '9')
            (*i)++;
        if (*i - start < 2)
            return false;
        /* "SS.fff": parse the whole seconds text as a decimal */
        if (!sparql_decimal_parse(s + start - 2, *i - start + 2, false, &v->second))
            return false;
    }
    if (v->minute > 59 || sec > 59 || v->hour > 24)
        return false;
    if (v->hour == 24 && (v->minute != 0 || sparql_decimal_sign(v->second) != 0))
        return false;
    return true;
}

static bool parse_tz(const char *s, size_t n, size_t *i, sparql_datetime *v)
{
    v->has_tz = false;
    v->tz_minutes = 0;
    if (*i == n)
        return true;
    if (s[*i] == 'Z') {
        (*i)++;
        v->has_tz = true;
        return *i == n;
    }
    if (s[*i] != '+' && s[*i] != '-')
        return false;
    int sign = s[*i] == '-' ? -1 : 1, h, m;
    (*i)++;
    if (!read_digits(s, n, i, 2, &h) || !expect(s, n, i, ':') || !read_digits(s, n, i, 2, &m))
        return false;
    if (m > 59 || h * 60 + m > 14 * 60)
        return false;
    v->has_tz = true;
    v->tz_minutes = sign * (h * 60 + m);
    return *i == n;
}

bool sparql_datetime_parse(const char *s, size_t n, sparql_dt_kind kind, sparql_datetime *out)
{
    sparql_datetime v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    size_t i = 0;
    if (kind != SPARQL_DT_TIME && !parse_date(s, n, &i, &v))
        return false;
    if (kind == SPARQL_DT_DATETIME && !expect(s, n, &i, 'T'))
        return false;
    if (kind != SPARQL_DT_DATE && !parse_time(s, n, &i, &v))
        return false;
    if (!parse_tz(s, n, &i, &v))
        return false;
    *out = v;
    return true;
}

/* Seconds of the local time fields relative to 1970-01-01T00:00:00. */
static sparql_decimal local_seconds(const sparql_datetime *v)
{
    int64_t days = v->kind == SPARQL_DT_TIME ? days_from_civil(1972, 12, 31)
                                             : days_from_civil(v->year, v->month, v->day);
    int64_t whole = days * 86400 + v->hour * 3600 + v->minute * 60;
    sparql_decimal r;
    sparql_decimal_add(sparql_decimal_from_int(whole), v->second, &r); /* |years| <= 1e9: fits */
    return r;
}

sparql_decimal sparql_datetime_timeline(const sparql_datetime *v)
{
    sparql_decimal r;
    sparql_decimal_sub(local_seconds(v), sparql_decimal_from_int((int64_t)v->tz_minutes * 60), &r);
    return r;
}

int sparql_datetime_fields_cmp(const sparql_datetime *a, const sparql_datetime *b)
{
    if (a->kind != b->kind || a->has_tz != b->has_tz || a->tz_minutes != b->tz_minutes ||
        a->hour >= 24 || b->hour >= 24)
        return SPARQL_DT_INDETERMINATE;
    /* one offset for both: the order of the local fields is the order on
     * the timeline (24:00:00, the next day's midnight, excluded above) */
    int64_t x[5] = {a->year, a->month, a->day, a->hour, a->minute},
            y[5] = {b->year, b->month, b->day, b->hour, b->minute};
    for (int i = 0; i < 5; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return sparql_decimal_cmp(a->second, b->second);
}

int sparql_datetime_compare(const sparql_datetime *a, const sparql_datetime *b)
{
    int fast = sparql_datetime_fields_cmp(a, b);
    if (fast != SPARQL_DT_INDETERMINATE)
        return fast;
    sparql_decimal ta = sparql_datetime_timeline(a), tb = sparql_datetime_timeline(b);
    if (a->has_tz == b->has_tz)
        return sparql_decimal_cmp(ta, tb);
    /* Exactly one lacks a timezone: it may be anywhere within ±14 hours. */
    sparql_decimal span = sparql_decimal_from_int(14 * 3600), lo, hi;
    const sparql_decimal *local = a->has_tz ? &tb : &ta, *zoned = a->has_tz ? &ta : &tb;
    sparql_decimal_sub(*local, span, &lo);
    sparql_decimal_add(*local, span, &hi);
    int local_vs_zoned;
    if (sparql_decimal_cmp(hi, *zoned) < 0)
        local_vs_zoned = -1;
    else if (sparql_decimal_cmp(lo, *zoned) > 0)
        local_vs_zoned = 1;
    else
        return SPARQL_DT_INDETERMINATE;
    return a->has_tz ? -local_vs_zoned : local_vs_zoned;
}

sparql_datetime sparql_datetime_date_part(const sparql_datetime *v)
{
    sparql_datetime d = *v;
    d.kind = SPARQL_DT_DATE;
    d.hour = d.minute = 0;
    d.second = sparql_decimal_from_int(0);
    return d;
}

sparql_datetime sparql_datetime_from_date(const sparql_datetime *v)
{
    sparql_datetime d = *v;
    d.kind = SPARQL_DT_DATETIME;
    return d;
}

size_t sparql_datetime_tz_text(const sparql_datetime *v, char *buf)
{
    if (!v->has_tz) {
        buf[0] = '\0';
        return 0;
    }
    if (v->tz_minutes == 0)
        return (size_t)sprintf(buf, "Z");
    int m = v->tz_minutes < 0 ? -v->tz_minutes : v->tz_minutes;
    return (size_t)sprintf(buf, "%c%02d:%02d", v->tz_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

size_t sparql_datetime_tz_duration(const sparql_datetime *v, char *buf)
{
    if (v->tz_minutes == 0)
        return (size_t)sprintf(buf, "PT0S");
    int m = v->tz_minutes < 0 ? -v->tz_minutes : v->tz_minutes;
    size_t len = (size_t)sprintf(buf, "%sPT", v->tz_minutes < 0 ? "-" : "");
    if (m / 60)
        len += (size_t)sprintf(buf + len, "%dH", m / 60);
    if (m % 60)
        len += (size_t)sprintf(buf + len, "%dM", m % 60);
    return len;
}

size_t sparql_datetime_format(const sparql_datetime *in, char *buf)
{
    sparql_datetime v = *in;
    if (v.hour == 24) { /* 24:00:00 is 00:00:00 of the next day */
        v.hour = 0;
        if (++v.day > days_in_month(v.year, v.month)) {
            v.day = 1;
            if (++v.month > 12) {
                v.month = 1;
                v.year++;
            }
        }
    }
    size_t len = 0;
    if (v.kind != SPARQL_DT_TIME)
        len += (size_t)sprintf(buf, "%s%04lld-%02d-%02d", v.year < 0 ? "-" : "",
                               (long long)(v.year < 0 ? -v.year : v.year), v.month, v.day);
    if (v.kind == SPARQL_DT_DATETIME)
        buf[len++] = 'T';
    if (v.kind != SPARQL_DT_DATE) {
        char sec[SPARQL_DECIMAL_TEXT_MAX];
        sparql_decimal s = sparql_decimal_normalize(v.second);
        if (s.scale == 0)
            sparql_decimal_format_integer(s, sec);
        else
            sparql_decimal_format(s, sec);
        len += (size_t)sprintf(buf + len, "%02d:%02d:%s%s", v.hour, v.minute,
                               sparql_decimal_cmp(s, sparql_decimal_from_int(10)) < 0 ? "0" : "", sec);
    }
    len += sparql_datetime_tz_text(&v, buf + len);
    return len;
}
