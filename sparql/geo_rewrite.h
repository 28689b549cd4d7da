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
 *            FILTER(geof:rel(?la, ?lb), JOIN(literal(a, ?la), literal(b, ?lb))))))
 *
 * where literal(x, ?l) are x's geometry literals: x's own geo:asWKT or
 * geo:asGeoJSON (x is a geometry), those of its geo:hasDefaultGeometry, or,
 * for a feature without a default geometry, those of its geo:hasGeometry.
 * It runs on the parsed algebra before planning, so `--explain` shows it.
 */
#ifndef CITYKG_SPARQL_GEO_REWRITE_H
#define CITYKG_SPARQL_GEO_REWRITE_H

#include <stdbool.h>

#include "algebra.h"

/* Rewrites every geo:sf*, eh* and rcc8* triple pattern of q in place.
 * False when memory runs out (q is then unusable). */
bool geo_rewrite_query(sparql_query *q);

#endif
