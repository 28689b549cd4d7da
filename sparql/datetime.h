/*
 * datetime.h — xsd:dateTime, xsd:date and xsd:time values: parsing,
 * canonical text and the XSD 1.1 order with timezones.
 *
 * A value keeps its fields as written (local time plus an optional
 * timezone offset), so YEAR(), HOURS() and TZ() report what the literal
 * says. Comparison maps values to a timeline of seconds in UTC. A value
 * without timezone is compared with one that has a timezone by the XSD 1.1
 * rule: it may lie anywhere between -14:00 and +14:00, so the two are
 * ordered only when they are more than 14 hours apart; otherwise the
 * comparison is indeterminate.
 *
 * Values are plain structs; nothing here allocates.
 */
#ifndef CITYKG_SPARQL_DATETIME_H
#define CITYKG_SPARQL_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decimal.h"

typedef enum { SPARQL_DT_DATETIME, SPARQL_DT_DATE, SPARQL_DT_TIME } sparql_dt_kind;

typedef struct {
    sparql_dt_kind kind;
    int64_t year;           /* date parts: unused (0) for xsd:time */
    int month, day;
    int hour, minute;       /* time parts: 0 for xsd:date */
    sparql_decimal second;  /* 0 <= second < 60, fraction exact */
    bool has_tz;
    int tz_minutes;         /* offset from UTC, -840..840 */
} sparql_datetime;

/* Parses the lexical form of kind; false if malformed or out of range
 * (month 13, 30 February, 25:00, timezone beyond ±14:00, |year| > 10^9). */
bool sparql_datetime_parse(const char *s, size_t n, sparql_dt_kind kind, sparql_datetime *out);

/* Longest text sparql_datetime_format writes, terminator included. */
#define SPARQL_DATETIME_TEXT_MAX 112

/* Canonical text: timezone +00:00 written as Z, seconds without trailing
 * fractional zeros, 24:00:00 as 00:00:00 of the next day. */
size_t sparql_datetime_format(const sparql_datetime *v, char *buf);

/* The moment in seconds on a UTC timeline (a value without timezone taken
 * as UTC). xsd:time values sit on the reference day 1972-12-31. */
sparql_decimal sparql_datetime_timeline(const sparql_datetime *v);

enum { SPARQL_DT_INDETERMINATE = 2 };
/* The cheap case of a comparison: both of one kind with the same timezone
 * (or both without), compared field by field; SPARQL_DT_INDETERMINATE when
 * that does not apply (the caller then compares on the timeline). */
int sparql_datetime_fields_cmp(const sparql_datetime *a, const sparql_datetime *b);
/* -1, 0, 1, or SPARQL_DT_INDETERMINATE (see above). a and b must have the
 * same kind. */
int sparql_datetime_compare(const sparql_datetime *a, const sparql_datetime *b);

/* The date part of a dateTime (keeping its timezone). */
sparql_datetime sparql_datetime_date_part(const sparql_datetime *v);
/* A date as dateTime at 00:00:00. */
sparql_datetime sparql_datetime_from_date(const sparql_datetime *v);

/* The timezone as xsd:dayTimeDuration text ("PT0S", "-PT8H", "PT5H30M").
 * Requires has_tz. buf holds at least 16 bytes. */
size_t sparql_datetime_tz_duration(const sparql_datetime *v, char *buf);
/* The timezone as in the literal's text: "Z", "-08:00", or "" without. */
size_t sparql_datetime_tz_text(const sparql_datetime *v, char *buf);

#endif
