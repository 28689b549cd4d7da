/*
 * geo_functions.h — the GeoSPARQL 1.1 query functions (geof:), evaluated
 * on GEOS with CRSs from PROJ, as entries of the extension registry
 * (functions.h): functions.c registers them all when the registry starts.
 *
 * Topological relations (Simple Features, Egenhofer, RCC8, relate) compare
 * the second geometry transformed into the first one's CRS; geometry
 * results are in the first argument's CRS and literal type. Any argument
 * that is not a valid geometry literal, an unknown CRS or unit, or a GEOS
 * or PROJ failure makes the call an error (unbound), never a crash.
 */
#ifndef CITYKG_SPARQL_GEO_FUNCTIONS_H
#define CITYKG_SPARQL_GEO_FUNCTIONS_H

#include <stddef.h>

#include "functions.h"

#define GEOF_NS "http://www.opengis.net/def/function/geosparql/"

/* Every geof: function: an array of n entries (static). */
const sparql_ext_function *geo_functions(size_t *n);

/* The GeoSPARQL aggregates (geof:aggUnion, aggBoundingBox, aggCentroid,
 * aggConvexHull, aggConcaveHull, aggBoundingCircle): n entries (static).
 * Each combines the group's geometries, taken to the first one's CRS,
 * into one geometry in that CRS; a value that is not a valid geometry
 * makes the group's result an error. */
const sparql_ext_aggregate *geo_aggregates(size_t *n);

/* The topological relations by their local name ("sfIntersects",
 * "ehMeet", "rcc8ntpp", ...): the index geo_relation_holds takes, or -1.
 * Shared with the query rewrite of geo:sf* triple patterns. */
int geo_relation_by_name(const char *local_name);
/* Whether relation `relation` holds between geometry literals a and b:
 * 1 yes, 0 no, -1 error (not geometries, GEOS failure). */
int geo_relation_holds(sparql_func_ctx *ctx, int relation, const sparql_value *a, const sparql_value *b);

#endif
