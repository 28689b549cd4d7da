/*
 * geo_metric.h — lengths, areas, distances and buffers in real units, and
 * the units-of-measure IRIs GeoSPARQL functions take.
 *
 * Method (docs/geosparql.md gives the error bounds):
 *   - projected CRS (EPSG:25832, ...): computed in the CRS's own plane and
 *     scaled by its unit's length in metres (grid distances, as GIS tools
 *     measure them);
 *   - geographic CRS (CRS84, EPSG:4326, ...): the distance of two points is
 *     the geodesic on the WGS84 ellipsoid (PROJ's geodesic, exact to
 *     nanometres); everything else is computed in a transverse Mercator
 *     projection with scale 1 whose origin is the geometries' centre
 *     rounded to 0.5 degrees, where scale errors stay below 1e-5 for
 *     geometries within 10 km of that origin.
 */
#ifndef CITYKG_SPARQL_GEO_METRIC_H
#define CITYKG_SPARQL_GEO_METRIC_H

#include "geo_context.h"

#define GEO_UOM_OGC "http://www.opengis.net/def/uom/OGC/1.0/"

typedef enum { GEO_UNIT_LENGTH, GEO_UNIT_ANGLE, GEO_UNIT_AREA } geo_unit_kind;

typedef struct {
    geo_unit_kind kind;
    double factor; /* metres, radians or square metres per unit */
} geo_unit;

/* The unit named by iri (OGC uom: or QUDT unit:); false when unknown. */
bool geo_unit_from_iri(const char *iri, geo_unit *out);

/* The shortest distance between a and b in metres (b is taken to a's CRS). */
bool geo_metric_distance(geo_context *gc, geo_cached *a, geo_cached *b, double *metres);
/* Length (of lines; perimeter of polygons) in metres. */
bool geo_metric_length(geo_context *gc, geo_cached *a, double *metres);
/* Area in square metres. */
bool geo_metric_area(geo_context *gc, geo_cached *a, double *square_metres);
/* a buffered by `metres` (negative shrinks), in a's CRS; a new geometry. */
GEOSGeometry *geo_metric_buffer(geo_context *gc, geo_cached *a, double metres);

/* Distance, length and buffer in degrees of a geographic CRS: computed in
 * the lon/lat plane (what "units: degree" means in GeoSPARQL). */
bool geo_planar_distance(geo_context *gc, geo_cached *a, geo_cached *b, double *units);

#endif
