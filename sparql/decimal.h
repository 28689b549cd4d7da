/*
 * decimal.h — exact xsd:decimal and xsd:integer arithmetic for SPARQL
 * expressions.
 *
 * A value is mantissa * 10^-scale with a 128-bit signed mantissa, so every
 * number of at most 38 significant digits is exact. Operations that would
 * need more digits fail (return false) instead of rounding silently; the
 * evaluator turns that into a SPARQL type error. Division is the one
 * inexact operation: the quotient is cut (truncated toward zero) after
 * SPARQL_DECIMAL_DIV_SCALE fractional digits, as XPath leaves the precision
 * of op:numeric-divide to the implementation.
 *
 * Values are plain structs; nothing here allocates.
 */
#ifndef CITYKG_SPARQL_DECIMAL_H
#define CITYKG_SPARQL_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 sparql_int128;

typedef struct {
    sparql_int128 m; /* mantissa */
    int scale;       /* digits after the decimal point, 0..SPARQL_DECIMAL_MAX_SCALE */
} sparql_decimal;

#define SPARQL_DECIMAL_MAX_SCALE 36
#define SPARQL_DECIMAL_DIV_SCALE 20
/* Longest text sparql_decimal_format writes, terminator included. */
#define SPARQL_DECIMAL_TEXT_MAX 48

/* Parses the xsd:decimal lexical form [+-]?(d+(.d*)?|.d+); with
 * integer_only, the xsd:integer form [+-]?d+. No whitespace is allowed.
 * False on a bad form or more digits than fit. */
bool sparql_decimal_parse(const char *s, size_t n, bool integer_only, sparql_decimal *out);

sparql_decimal sparql_decimal_from_int(int64_t v);
/* Exact value of a finite double, rounded to at most 17 significant digits
 * (the shortest text that reads back as d). False for NaN and infinities. */
bool sparql_decimal_from_double(double d, sparql_decimal *out);
double sparql_decimal_to_double(sparql_decimal a);

/* Removes trailing fractional zeros: 1.50 becomes 1.5, 2.0 becomes 2. */
sparql_decimal sparql_decimal_normalize(sparql_decimal a);
bool sparql_decimal_is_integer(sparql_decimal a);
/* -1, 0 or 1. */
int sparql_decimal_cmp(sparql_decimal a, sparql_decimal b);
int sparql_decimal_sign(sparql_decimal a);

bool sparql_decimal_add(sparql_decimal a, sparql_decimal b, sparql_decimal *out);
bool sparql_decimal_sub(sparql_decimal a, sparql_decimal b, sparql_decimal *out);
bool sparql_decimal_mul(sparql_decimal a, sparql_decimal b, sparql_decimal *out);
/* False on division by zero too. */
bool sparql_decimal_div(sparql_decimal a, sparql_decimal b, sparql_decimal *out);
/* Integer division truncating toward zero (op:numeric-integer-divide). */
bool sparql_decimal_idiv(sparql_decimal a, sparql_decimal b, sparql_decimal *out);
bool sparql_decimal_neg(sparql_decimal a, sparql_decimal *out);

/* Results have scale 0. round is fn:round: halves go toward +infinity. */
sparql_decimal sparql_decimal_floor(sparql_decimal a);
sparql_decimal sparql_decimal_ceil(sparql_decimal a);
sparql_decimal sparql_decimal_round(sparql_decimal a);
sparql_decimal sparql_decimal_trunc(sparql_decimal a);

/* Canonical xsd:decimal text (XSD 1.0): "-1.5", "2.0", "0.0". Returns the
 * length written to buf (SPARQL_DECIMAL_TEXT_MAX bytes). */
size_t sparql_decimal_format(sparql_decimal a, char *buf);
/* Canonical xsd:integer text of the integer part: "2", "-17". */
size_t sparql_decimal_format_integer(sparql_decimal a, char *buf);
/* Whether the integer value a (scale 0 after normalize) fits in int64. */
bool sparql_decimal_to_int64(sparql_decimal a, int64_t *out);

#endif
