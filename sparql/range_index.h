/*
 * range_index.h — the planner's use of the store's value index
 * (core/value_index.h) for numeric range filters.
 *
 * A FILTER over a BGP whose condition includes (as conjuncts) comparisons
 *   ?v < c, ?v <= c, ?v > c, ?v >= c, ?v = c  (or mirrored, c < ?v, ...)
 * with c a numeric constant and ?v the object of a triple (?s <p> ?v) of
 * the BGP with a constant predicate, can start the BGP from the subjects
 * whose <p> object is a number in the range (the value index orders
 * numeric objects by value). The bounds are taken inclusive and as
 * doubles: rounding to double is monotonic, so every value that passes the
 * exact comparison is in the range; the FILTER still tests every row
 * exactly, the index only removes rows that cannot pass. Non-numeric
 * objects never pass a comparison with a number (a type error), so
 * leaving them out is exact too.
 *
 * Only for callers that may read every graph: the value index holds every
 * graph's numbers, and a restricted caller's work must not depend on
 * graphs it may not read (docs/security.md). CITYKG_VALUE_INDEX=off in the
 * environment disables it (for comparisons).
 */
#ifndef CITYKG_SPARQL_RANGE_INDEX_H
#define CITYKG_SPARQL_RANGE_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "algebra.h"

typedef struct {
    int subject;           /* the slot of ?s, which the candidates bind */
    const ck_term *predicate;
    double lo, hi;         /* inclusive, as doubles */
    char what[160];        /* the condition, for --explain */
} range_test;

/* Fills t when the n exprs of a FILTER over bgp hold such a range; false
 * when they do not (or the index is switched off). */
bool range_test_for(const sparql_query *q, const sparql_pattern *bgp, sparql_expr *const *exprs, size_t n,
                    range_test *t);

#endif
