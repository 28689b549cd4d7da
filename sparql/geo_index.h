/*
 * geo_index.h — the planner's use of the store's spatial index
 * (core/spatial_index.h) for spatial filters.
 *
 * A FILTER over a BGP whose condition includes (as one conjunct)
 *   geof:REL(?v, C) or geof:REL(C, ?v)  with REL a topological relation
 *                                        that implies touching envelopes
 *                                        (all but sfDisjoint, ehDisjoint,
 *                                        rcc8dc), or
 *   geof:distance(?v, C, unit) < d, <= d (or d >, >=), metricDistance
 * with C a constant geometry literal and ?v the object of a geo:asWKT or
 * geo:asGeoJSON triple of the BGP, is answered from the index's candidates
 * for ?v: the geometry literals whose envelope meets C's envelope (widened
 * by d), in every CRS the index holds (C's envelope is transformed to each;
 * axis order as the literals are written). The BGP then starts from those
 * values and the FILTER still checks every row exactly: the index only
 * removes rows that cannot pass.
 *
 * Between two variables (geo_index_pair_for) the index is probed once per
 * value of the first with its geometry.
 *
 * graphs (NULL: every graph) are the graphs the caller may read: the
 * candidates then come from those graphs' own grids (spatial_index.h), so
 * the entries read do not depend on what other graphs hold.
 *
 * The index is not used when the store's index is incomplete, or when the
 * environment variable CITYKG_SPATIAL_INDEX is "off" (for comparisons).
 */
#ifndef CITYKG_SPARQL_GEO_INDEX_H
#define CITYKG_SPARQL_GEO_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algebra.h"
#include "functions.h"

typedef struct {
    int var;            /* the slot the candidates bind */
    ck_id *ids;         /* candidate term ids (malloc'd) */
    size_t n;
    uint64_t visited;   /* index entries read */
    char what[160];     /* the condition used, for --explain */
} geo_index_seed;

/* Fills seed when one of the n exprs of a FILTER over bgp can use the
 * index (see above); false when none can or the index is unusable. */
bool geo_index_seed_for(ck_txn *txn, const ck_graph_set *graphs, sparql_func_ctx *ctx, const sparql_query *q, const sparql_pattern *bgp,
                        sparql_expr *const *exprs, size_t n, geo_index_seed *seed);
void geo_index_seed_free(geo_index_seed *seed);

/* The same test between two variables, ?a against ?b, both objects of
 * asWKT / asGeoJSON triples of bgp (parking within 500 m of each listed
 * building): the planner then binds ?a first and probes the index with
 * each ?a's geometry for the candidates of ?b (geo_index_probe). */
typedef struct {
    int a, b;
    double metres;
    char what[160];
} geo_index_pair;
bool geo_index_pair_for(ck_txn *txn, const ck_graph_set *graphs, const sparql_query *q, const sparql_pattern *bgp, sparql_expr *const *exprs,
                        size_t n, geo_index_pair *pair);
/* Candidates near one geometry value, appended to out->ids (out->n set;
 * reuse out between calls, free with geo_index_seed_free). False when the
 * value is not a geometry or the index fails: then no candidates. */
bool geo_index_probe(ck_txn *txn, const ck_graph_set *graphs, sparql_func_ctx *ctx, const sparql_value *geometry, double metres,
                     geo_index_seed *out);

#endif
