/*
 * geo_literal.h — reading and writing the geometry literals of GeoSPARQL
 * 1.1: geo:wktLiteral ("[<crs-iri>] WKT", CRS84 when no IRI is given) and
 * geo:geoJSONLiteral (RFC 7946: always CRS84, longitude first).
 *
 * A parsed geometry keeps its coordinates in GIS axis order (geo_crs.h) and
 * must be valid in the OGC Simple Features sense: an unreadable literal, an
 * unknown CRS or an invalid geometry (self-intersecting ring, ...) is
 * refused, which makes the calling function an error rather than a wrong
 * answer.
 */
#ifndef CITYKG_SPARQL_GEO_LITERAL_H
#define CITYKG_SPARQL_GEO_LITERAL_H

#include "geo_crs.h"
#include "value.h"

#define GEO_NS "http://www.opengis.net/ont/geosparql#"
#define GEO_WKT_LITERAL GEO_NS "wktLiteral"
#define GEO_GEOJSON_LITERAL GEO_NS "geoJSONLiteral"

typedef enum { GEO_LITERAL_NONE = 0, GEO_LITERAL_WKT, GEO_LITERAL_GEOJSON } geo_literal_kind;

/* A geometry and its CRS. */
typedef struct {
    GEOSGeometry *g; /* owned; GIS axis order */
    geo_crs crs;
} geo_geom;

/* Which geometry literal v is, if any. */
geo_literal_kind geo_literal_kind_of(const sparql_value *v);

/* Readers and writers bound to one GEOS context. */
typedef struct {
    GEOSContextHandle_t h;
    GEOSWKTReader *wkt_reader;
    GEOSWKTWriter *wkt_writer;
    GEOSGeoJSONReader *json_reader;
    GEOSGeoJSONWriter *json_writer;
} geo_codec;

bool geo_codec_init(geo_codec *codec, GEOSContextHandle_t h);
void geo_codec_free(geo_codec *codec);

/* Parses the lexical form lex of a literal of `kind` into out (out->g NULL
 * on failure). False: unreadable, unknown CRS, or invalid geometry. */
bool geo_literal_parse(geo_codec *codec, geo_crs_cache *crs, geo_literal_kind kind, const char *lex,
                       geo_geom *out);

/* g (GIS order, in crs) as a geo:wktLiteral value: the CRS IRI first
 * unless it is CRS84, coordinates in the CRS's official axis order. */
bool geo_literal_write_wkt(geo_codec *codec, const GEOSGeometry *g, const geo_crs *crs, sparql_value *out);
/* g as a geo:geoJSONLiteral (transformed to CRS84 first when needed). */
bool geo_literal_write_geojson(geo_codec *codec, geo_crs_cache *crs, const GEOSGeometry *g,
                               const geo_crs *from, sparql_value *out);

#endif
