/*
 * geo_crs.h — coordinate reference systems of GeoSPARQL literals, on PROJ.
 *
 * A geometry's CRS is named by an IRI: OGC CRS84 (longitude, latitude; the
 * default when a wktLiteral names none) or
 * http://www.opengis.net/def/crs/EPSG/0/<code> for any code PROJ knows.
 * Coordinates are kept inside citykg in "GIS order" (x = longitude or
 * easting, y = latitude or northing) whatever the CRS's official axis
 * order: a CRS whose first axis points north (EPSG:4326, EPSG:3035, ...)
 * has its coordinates swapped when a literal is read and swapped back when
 * one is written. That keeps every GEOS computation and every PROJ
 * transformation (normalised for visualisation) in one order.
 *
 * geo_crs_cache owns one PROJ context and what this query asked PROJ for:
 * descriptions of CRSs and transformations between pairs of them. It is
 * per query and per thread (PROJ contexts are not shared).
 */
#ifndef CITYKG_SPARQL_GEO_CRS_H
#define CITYKG_SPARQL_GEO_CRS_H

#include <stdbool.h>
#include <stddef.h>

#include <geos_c.h>
#include <proj.h>

#define GEO_CRS84_IRI "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#define GEO_EPSG_IRI_PREFIX "http://www.opengis.net/def/crs/EPSG/0/"

/* What computations need to know about a CRS. */
typedef struct {
    int epsg;               /* EPSG code; 0 = OGC CRS84 */
    bool geographic;        /* coordinates are angles (degrees) */
    bool swap_axes;         /* official axis order is north first */
    double metres_per_unit; /* projected CRSs: length of one unit in metres */
} geo_crs;

#define GEO_CRS_CACHE_CRS 16
#define GEO_CRS_CACHE_PJ 32

typedef struct {
    char key[192]; /* "src>dst" (PROJ names or definitions) */
    PJ *pj;       /* NULL: PROJ could not make it */
} geo_pj_entry;

typedef struct {
    PJ_CONTEXT *proj;
    geo_crs crs[GEO_CRS_CACHE_CRS];
    size_t n_crs;
    geo_pj_entry pj[GEO_CRS_CACHE_PJ];
    size_t n_pj, next_pj; /* next_pj: round-robin victim when full */
    PJ *geod;             /* WGS84 ellipsoid for proj_geod, made on first use */
} geo_crs_cache;

bool geo_crs_cache_init(geo_crs_cache *c);
void geo_crs_cache_free(geo_crs_cache *c);

/* The CRS named by iri (len bytes). False when the IRI is not a CRS IRI
 * citykg reads or PROJ does not know the code. */
bool geo_crs_from_iri(geo_crs_cache *c, const char *iri, size_t len, geo_crs *out);
/* The CRS84 description. */
geo_crs geo_crs_crs84(void);
/* The IRI of crs, written to buf (at least 64 bytes). */
const char *geo_crs_iri(const geo_crs *crs, char *buf, size_t size);
static inline bool geo_crs_same(const geo_crs *a, const geo_crs *b) { return a->epsg == b->epsg; }

/* g (in GIS order in crs `from`) transformed to `to`; a new geometry, or
 * NULL when PROJ cannot transform it (or a coordinate fails). */
GEOSGeometry *geo_crs_transform(geo_crs_cache *c, GEOSContextHandle_t h, const GEOSGeometry *g,
                                const geo_crs *from, const geo_crs *to);
/* The same to/from an arbitrary PROJ CRS definition (for the metric
 * computations' local projection): `forward` from crs to target, else
 * back. */
GEOSGeometry *geo_crs_transform_to_def(geo_crs_cache *c, GEOSContextHandle_t h, const GEOSGeometry *g,
                                       const geo_crs *crs, const char *target_def, bool forward);

/* Swaps x and y of every coordinate (for CRSs with north-first axes). */
GEOSGeometry *geo_swap_axes(GEOSContextHandle_t h, const GEOSGeometry *g);

/* The PROJ geodesic object of the WGS84 ellipsoid (for proj_geod), or NULL. */
PJ *geo_crs_geodesic(geo_crs_cache *c);

#endif
