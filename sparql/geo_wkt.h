/*
 * geo_wkt.h — a fast reader for the WKT that city data is made of.
 *
 * Spatial filters parse every candidate's geometry; GEOS's WKT reader
 * tokenizes through C++ strings and costs more than the test itself. This
 * reader takes the common 2D forms (POINT, LINESTRING, POLYGON,
 * MULTIPOINT, MULTILINESTRING, MULTIPOLYGON; any letter case) straight
 * into GEOS coordinate sequences. Anything else — Z or M coordinates,
 * EMPTY, GEOMETRYCOLLECTION, unusual syntax, bad input — gives NULL, and
 * the caller reads the text with GEOS's reader, which also reports errors.
 */
#ifndef CITYKG_SPARQL_GEO_WKT_H
#define CITYKG_SPARQL_GEO_WKT_H

#include <geos_c.h>

/* The geometry of wkt (NUL-terminated), or NULL: use GEOS's reader. */
GEOSGeometry *geo_wkt_read_fast(GEOSContextHandle_t h, const char *wkt);

#endif
