/*
 * value_index.h — the numeric objects of each predicate ordered by value:
 * one LMDB database, "values", next to the quad indexes.
 *
 * Why: a filter such as FILTER(?v >= 95) over a predicate with a million
 * numeric objects would otherwise read them all, since ids do not sort by
 * value (inline numbers sort by their encoding, dictionary literals by
 * creation). This index gives the few subjects in a value range at once.
 *
 * What is a number: an object that is an inline xsd:integer, decimal,
 * double or float (term.h), or a dictionary literal of xsd:integer,
 * decimal, double, float, or one of the integer types derived from
 * xsd:integer (long, int, short, byte, nonNegativeInteger, positiveInteger,
 * nonPositiveInteger, negativeInteger, unsignedLong, unsignedInt,
 * unsignedShort, unsignedByte), whose lexical form, after leading and
 * trailing XSD whitespace, is one of its type's: [+-]digits for the
 * integer types, with a '.' for decimal, with an exponent or INF, -INF,
 * NaN for double and float. The range facets of the derived types are not
 * checked ("300"^^xsd:byte is 300), so the index may hold literals that a
 * SPARQL comparison calls invalid: callers re-check each candidate.
 *
 * The value is the literal's value as a double, as strtod rounds it; for
 * xsd:float rounded to float, as SPARQL compares floats. An exact decimal
 * or a large integer may differ from its double in the last place: a
 * caller comparing exactly widens its range by one double, or keeps the
 * bound inclusive, and re-checks.
 *
 * Layout: rows in the quad index block format (quad_index.h), row = (p,
 * vkey, s, o), where vkey is the value's IEEE bits made to sort as
 * unsigned integers in value order (negatives inverted, the sign bit set
 * on the others; -0 is stored as +0). NaN sorts beyond the infinities and
 * is never returned. The graph is not in the row: a triple in several
 * graphs is one row, removed when its last quad goes.
 *
 * Completeness: a store made by this version keeps the index from its
 * first quad (ck_quads_add / ck_quads_remove, in the same transaction). A
 * store made before gets it built from posg on its first writable open
 * (meta flag "value_index"); opened read-only, it has none and
 * ck_values_ready is false.
 *
 * The index covers all graphs: a caller restricted to some graphs must not
 * use it, or its work (and its over answer) would depend on the quads of
 * graphs it cannot read.
 */
#ifndef CITYKG_VALUE_INDEX_H
#define CITYKG_VALUE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Whether the store's value index is complete (false for a store made
 * before it, opened read-only). */
bool ck_values_ready(ck_txn *txn);

/* The subjects s of quads (s, p, o) in any graph whose object o is a
 * number (see above) with lo <= value(o) <= hi (lo and hi may be -INFINITY
 * and INFINITY; NaN objects are never returned, and a NaN bound or lo > hi
 * gives none), sorted ascending without duplicates, in *out (malloc'd,
 * free() by the caller; NULL when there are none) and their number in *n.
 *
 * max bounds the work: once more than max index rows fall in the range
 * (one row per distinct (s, o) of p: a subject with several values in the
 * range counts for each), the read stops and *over is set, with *out NULL
 * and *n 0, so the caller can choose another plan after reading at most
 * max + 1 rows. *rows_read (may be NULL) gets the index rows in the range
 * that were read. The work is also added to the transaction's
 * ck_txn_scan_work.
 *
 * CK_ERR_INVALID when the index is not ready (ck_values_ready), CK_ERR_NOMEM,
 * CK_ERR_CORRUPT or CK_ERR_IO. */
ck_status ck_values_subjects(ck_txn *txn, ck_id p, double lo, double hi, size_t max,
                             ck_id **out, size_t *n, bool *over, uint64_t *rows_read, ck_error *err);

/* As ck_values_subjects, but the subjects in index order (by value) with
 * duplicates kept: for callers that build their own set and need no
 * sort. */
ck_status ck_values_subjects_unordered(ck_txn *txn, ck_id p, double lo, double hi, size_t max, ck_id **out,
                                       size_t *n, bool *over, uint64_t *rows_read, ck_error *err);

/* Estimates how many index rows ck_values_subjects would read for (p, lo,
 * hi) without reading them: the first block's rows exactly, the others by
 * their keys (quad_index_estimate_between). Stops counting past max (then
 * *rows > max). */
ck_status ck_values_estimate(ck_txn *txn, ck_id p, double lo, double hi, uint64_t max, uint64_t *rows,
                             ck_error *err);

#endif
