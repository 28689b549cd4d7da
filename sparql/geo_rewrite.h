/*
 * geo_rewrite.h — the GeoSPARQL query rewrite extension (OGC GeoSPARQL
 * 1.1, /conf/query-rewrite-extension): a triple pattern whose predicate is
 * a topological relation, `?a geo:sfWithin ?b` (sf*, eh*, rcc8*), also
 * matches every pair of spatial objects whose geometries are in that
 * relation, whether or not the triple is stored.
 *
 * The rewrite replaces each such triple of a BGP by
 *
 *   DISTINCT(PROJECT(a, b,
 *     UNION( { a rel b },
 *            UNION over the ways (i, j) to the two literals of
 *              FILTER(geof:rel(?la, ?lb), BGP(way_i(a, ?la), way_j(b, ?lb))))))
 *
 * where the ways to x's geometry literals ?l are: x's own geo:asWKT or
 * geo:asGeoJSON (x is a geometry), those of its geo:hasDefaultGeometry, or,
 * for a feature without a default geometry (a NOT EXISTS conjunct of the
 * FILTER), those of its geo:hasGeometry. Each FILTER over a BGP is a form
 * the planner answers from the spatial index (geo_index.h).
 * It runs on the parsed algebra before planning, so `--explain` shows it.
 */
#ifndef CITYKG_SPARQL_GEO_REWRITE_H
#define CITYKG_SPARQL_GEO_REWRITE_H

#include <stdbool.h>

#include "algebra.h"

/* Rewrites every geo:sf*, eh* and rcc8* triple pattern of q in place.
 * False when memory runs out (q is then unusable). */
bool geo_rewrite_query(sparql_query *q);
/* The same for one pattern that uses q's arena and variable table (the
 * WHERE of an update operation, whose request shares one table). */
bool geo_rewrite_pattern(sparql_query *q, sparql_pattern **pattern);

#endif
