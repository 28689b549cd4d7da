/*
 * geo_metric.c — metric distances, lengths, areas and buffers, and units
 * of measure (see geo_metric.h for the method).
 */
#include "geo_metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define QUDT_UNIT "http://qudt.org/vocab/unit/"

static const struct {
    const char *iri;
    geo_unit unit;
} units[] = {
    {GEO_UOM_OGC "metre", {GEO_UNIT_LENGTH, 1}},
    {GEO_UOM_OGC "meter", {GEO_UNIT_LENGTH, 1}},
    {GEO_UOM_OGC "kilometre", {GEO_UNIT_LENGTH, 1000}},
    {GEO_UOM_OGC "degree", {GEO_UNIT_ANGLE, M_PI / 180}},
    {GEO_UOM_OGC "radian", {GEO_UNIT_ANGLE, 1}},
    {GEO_UOM_OGC "squareMetre", {GEO_UNIT_AREA, 1}},
    {QUDT_UNIT "M", {GEO_UNIT_LENGTH, 1}},
    {QUDT_UNIT "KiloM", {GEO_UNIT_LENGTH, 1000}},
    {QUDT_UNIT "CentiM", {GEO_UNIT_LENGTH, 0.01}},
    {QUDT_UNIT "FT", {GEO_UNIT_LENGTH, 0.3048}},
    {QUDT_UNIT "MI", {GEO_UNIT_LENGTH, 1609.344}},
    {QUDT_UNIT "NauticalMile", {GEO_UNIT_LENGTH, 1852}},
    {QUDT_UNIT "DEG", {GEO_UNIT_ANGLE, M_PI / 180}},
    {QUDT_UNIT "RAD", {GEO_UNIT_ANGLE, 1}},
    {QUDT_UNIT "M2", {GEO_UNIT_AREA, 1}},
    {QUDT_UNIT "KiloM2", {GEO_UNIT_AREA, 1e6}},
    {QUDT_UNIT "HA", {GEO_UNIT_AREA, 1e4}},
    {QUDT_UNIT "FT2", {GEO_UNIT_AREA, 0.09290304}},
};

bool geo_unit_from_iri(const char *iri, geo_unit *out)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strcmp(units[i].iri, iri) == 0) {
            *out = units[i].unit;
            return true;
        }
    return false;
}

/* ---- the local projection of geographic geometries ---------------------- */

/* The PROJ definition of the transverse Mercator centred on the middle of
 * g's envelope (lon/lat), rounded to 0.5 degrees so that the geometries of
 * one neighbourhood share one (cached) transformation. */
static bool local_projection(geo_context *gc, const GEOSGeometry *g, const GEOSGeometry *g2, char *def,
                             size_t size)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getExtent_r(gc->h, g, &x0, &y0, &x1, &y1))
        return false;
    if (g2) {
        double a0, b0, a1, b1;
        if (!GEOSGeom_getExtent_r(gc->h, g2, &a0, &b0, &a1, &b1))
            return false;
        x0 = fmin(x0, a0), y0 = fmin(y0, b0), x1 = fmax(x1, a1), y1 = fmax(y1, b1);
    }
    double lon = round((x0 + x1) / 2 * 2) / 2, lat = round((y0 + y1) / 2 * 2) / 2;
    if (!isfinite(lon) || !isfinite(lat) || fabs(lat) > 89)
        return false;
    snprintf(def, size,
             "+proj=tmerc +lat_0=%.1f +lon_0=%.1f +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +type=crs", lat,
             lon);
    return true;
}

static GEOSGeometry *to_local(geo_context *gc, const GEOSGeometry *g, const geo_crs *crs, const char *def)
{
    return geo_crs_transform_to_def(&gc->crs, gc->h, g, crs, def, true);
}

static bool is_point(geo_context *gc, const GEOSGeometry *g)
{
    return GEOSGeomTypeId_r(gc->h, g) == GEOS_POINT && GEOSisEmpty_r(gc->h, g) == 0;
}

static bool geodesic_distance(geo_context *gc, const GEOSGeometry *a, const GEOSGeometry *b, double *m)
{
    PJ *geod = geo_crs_geodesic(&gc->crs);
    double ax, ay, bx, by;
    if (!geod || !GEOSGeomGetX_r(gc->h, a, &ax) || !GEOSGeomGetY_r(gc->h, a, &ay) ||
        !GEOSGeomGetX_r(gc->h, b, &bx) || !GEOSGeomGetY_r(gc->h, b, &by))
        return false;
    PJ_COORD p = proj_coord(proj_torad(ax), proj_torad(ay), 0, 0);
    PJ_COORD q = proj_coord(proj_torad(bx), proj_torad(by), 0, 0);
    *m = proj_geod(geod, p, q).v[0];
    return isfinite(*m);
}

bool geo_metric_distance(geo_context *gc, geo_cached *a, geo_cached *b, double *metres)
{
    const geo_crs *crs = &a->geom.crs;
    const GEOSGeometry *bg = geo_context_in_crs(gc, b, crs);
    if (!bg || GEOSisEmpty_r(gc->h, a->geom.g) || GEOSisEmpty_r(gc->h, bg))
        return false;
    if (!crs->geographic) {
        double d;
        if (!GEOSDistance_r(gc->h, a->geom.g, bg, &d))
            return false;
        *metres = d * crs->metres_per_unit;
        return true;
    }
    if (is_point(gc, a->geom.g) && is_point(gc, bg))
        return geodesic_distance(gc, a->geom.g, bg, metres);
    char def[160];
    if (!local_projection(gc, a->geom.g, bg, def, sizeof def))
        return false;
    GEOSGeometry *la = to_local(gc, a->geom.g, crs, def);
    GEOSGeometry *lb = la ? to_local(gc, bg, crs, def) : NULL;
    bool ok = lb && GEOSDistance_r(gc->h, la, lb, metres);
    if (la)
        GEOSGeom_destroy_r(gc->h, la);
    if (lb)
        GEOSGeom_destroy_r(gc->h, lb);
    return ok;
}

/* Runs measure on a's geometry in a metric plane; scale: metres per unit
 * of that plane (squared by the caller for areas). */
static bool measure(geo_context *gc, geo_cached *a, int (*fn)(GEOSContextHandle_t, const GEOSGeometry *, double *),
                    double *value, double *unit_metres)
{
    const geo_crs *crs = &a->geom.crs;
    if (!crs->geographic) {
        *unit_metres = crs->metres_per_unit;
        return fn(gc->h, a->geom.g, value) == 1;
    }
    *unit_metres = 1;
    if (GEOSisEmpty_r(gc->h, a->geom.g)) {
        *value = 0;
        return true;
    }
    char def[160];
    if (!local_projection(gc, a->geom.g, NULL, def, sizeof def))
        return false;
    GEOSGeometry *la = to_local(gc, a->geom.g, crs, def);
    bool ok = la && fn(gc->h, la, value) == 1;
    if (la)
        GEOSGeom_destroy_r(gc->h, la);
    return ok;
}

bool geo_metric_length(geo_context *gc, geo_cached *a, double *metres)
{
    double v, u;
    if (!measure(gc, a, GEOSLength_r, &v, &u))
        return false;
    *metres = v * u;
    return true;
}

bool geo_metric_area(geo_context *gc, geo_cached *a, double *square_metres)
{
    double v, u;
    if (!measure(gc, a, GEOSArea_r, &v, &u))
        return false;
    *square_metres = v * u * u;
    return true;
}

#define BUFFER_QUADSEGS 8 /* GEOS's default: 32 segments per full circle */

GEOSGeometry *geo_metric_buffer(geo_context *gc, geo_cached *a, double metres)
{
    const geo_crs *crs = &a->geom.crs;
    if (!crs->geographic)
        return GEOSBuffer_r(gc->h, a->geom.g, metres / crs->metres_per_unit, BUFFER_QUADSEGS);
    if (GEOSisEmpty_r(gc->h, a->geom.g))
        return GEOSGeom_clone_r(gc->h, a->geom.g);
    char def[160];
    if (!local_projection(gc, a->geom.g, NULL, def, sizeof def))
        return NULL;
    GEOSGeometry *la = to_local(gc, a->geom.g, crs, def);
    GEOSGeometry *buffered = la ? GEOSBuffer_r(gc->h, la, metres, BUFFER_QUADSEGS) : NULL;
    GEOSGeometry *back = buffered ? geo_crs_transform_to_def(&gc->crs, gc->h, buffered, crs, def, false) : NULL;
    if (la)
        GEOSGeom_destroy_r(gc->h, la);
    if (buffered)
        GEOSGeom_destroy_r(gc->h, buffered);
    return back;
}

bool geo_planar_distance(geo_context *gc, geo_cached *a, geo_cached *b, double *units)
{
    const GEOSGeometry *bg = geo_context_in_crs(gc, b, &a->geom.crs);
    return bg && !GEOSisEmpty_r(gc->h, a->geom.g) && !GEOSisEmpty_r(gc->h, bg) &&
           GEOSDistance_r(gc->h, a->geom.g, bg, units) == 1;
}
