/*
 * geo_context.h — what the GeoSPARQL functions keep for one query: a GEOS
 * context, a PROJ context (geo_crs_cache, from a pool that outlives
 * queries: PROJ's CRS lookups cost milliseconds), the readers and writers, and the
 * geometries parsed so far, keyed by their literal's lexical form, each
 * with its prepared geometry and its last transformation to another CRS.
 *
 * A query that compares one constant polygon with 100,000 footprints thus
 * parses and prepares the polygon once. The cache is bounded (entries and
 * bytes); it is emptied, when over the bound, only at the start of a
 * function call (geo_context_begin_call), so the geometries a call holds
 * stay valid until it returns.
 *
 * One context per query execution and thread, hung on sparql_func_ctx.
 */
#ifndef CITYKG_SPARQL_GEO_CONTEXT_H
#define CITYKG_SPARQL_GEO_CONTEXT_H

#include "functions.h"
#include "geo_literal.h"

/* A cached geometry: the parsed literal and what was derived from it. */
typedef struct {
    geo_geom geom;
    const GEOSPreparedGeometry *prepared; /* made on the second use */
    unsigned uses;
    geo_crs other_crs;         /* the CRS of `other`, when set */
    GEOSGeometry *other;       /* geom transformed to other_crs, or NULL */
} geo_cached;

typedef struct geo_cache_slot geo_cache_slot;

typedef struct {
    GEOSContextHandle_t h;
    geo_crs_cache crs;
    geo_codec codec;
    geo_cache_slot *slots; /* open addressing */
    size_t cap, len, bytes;
    char geos_error[256];  /* last GEOS error message */
} geo_context;

/* The context of this query (made on first use); NULL on OOM. */
geo_context *geo_context_of(sparql_func_ctx *ctx);

/* Call at the start of each function call: empties the cache when over
 * its bounds. */
void geo_context_begin_call(geo_context *gc);

/* The geometry of v when v is a valid geometry literal, else NULL.
 * Borrowed: valid until the next geo_context_begin_call. */
geo_cached *geo_context_geometry(geo_context *gc, const sparql_value *v);

/* c's geometry in crs: borrowed (c's own, or its cached transform); NULL
 * when it cannot be transformed. */
const GEOSGeometry *geo_context_in_crs(geo_context *gc, geo_cached *c, const geo_crs *crs);

/* c's prepared geometry once c is used a second time (NULL before, and
 * when GEOS cannot prepare it). */
const GEOSPreparedGeometry *geo_context_prepared(geo_context *gc, geo_cached *c);

#endif
