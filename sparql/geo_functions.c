/*
 * geo_functions.c — the geof: functions of GeoSPARQL 1.1 (see
 * geo_functions.h). Sections: arguments and results, topological
 * relations, measures, constructions, accessors, the table.
 */
#include "geo_functions.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo_context.h"
#include "geo_metric.h"

#define SF_NS "http://www.opengis.net/ont/sf#"
#define XSD_ANYURI CK_XSD "anyURI"

static bool fail(sparql_value *r)
{
    memset(r, 0, sizeof *r);
    return false;
}

/* ---- arguments and results ------------------------------------------------ */

/* The context and the geometry of args[0..n-1] (all must be geometries). */
static geo_context *geometries(sparql_func_ctx *ctx, sparql_value *args, int n, geo_cached **out)
{
    geo_context *gc = geo_context_of(ctx);
    if (!gc)
        return NULL;
    geo_context_begin_call(gc);
    for (int i = 0; i < n; i++)
        if (!(out[i] = geo_context_geometry(gc, &args[i])))
            return NULL;
    return gc;
}

/* An IRI argument: an IRI or an xsd:anyURI / simple literal holding one. */
static const char *iri_arg(const sparql_value *v)
{
    if (v->kind == SPARQL_VALUE_IRI)
        return v->lex;
    if (v->kind == SPARQL_VALUE_LITERAL && !v->lang &&
        (strcmp(v->datatype, XSD_ANYURI) == 0 || v->type == SPARQL_TYPE_STRING))
        return v->lex;
    return NULL;
}

static bool number_arg(const sparql_value *v, double *out)
{
    if (!sparql_value_is_numeric(v))
        return false;
    *out = sparql_value_to_double(v);
    return isfinite(*out);
}

/* Writes g (owned, destroyed here) in crs as a literal of `like`'s kind. */
static bool put_geometry(geo_context *gc, GEOSGeometry *g, const geo_crs *crs, geo_literal_kind like,
                         sparql_value *r)
{
    if (!g)
        return fail(r);
    bool ok = like == GEO_LITERAL_GEOJSON ? geo_literal_write_geojson(&gc->codec, &gc->crs, g, crs, r)
                                          : geo_literal_write_wkt(&gc->codec, g, crs, r);
    GEOSGeom_destroy_r(gc->h, g);
    return ok ? true : fail(r);
}

static bool put_double(double d, sparql_value *r)
{
    if (!isfinite(d))
        return fail(r);
    return sparql_value_set_double(r, d) ? true : fail(r);
}

static bool put_bool(int b, sparql_value *r)
{
    if (b != 0 && b != 1)
        return fail(r); /* GEOS reports an exception as 2 */
    return sparql_value_set_bool(r, b) ? true : fail(r);
}

/* ---- topological relations ------------------------------------------------ */

/* GEOS's named Simple Features predicates: exact for every pair of
 * dimensions (crosses and overlaps mean different matrices for lines and
 * areas), and available on prepared geometries. */
typedef enum { SF_EQUALS, SF_DISJOINT, SF_INTERSECTS, SF_TOUCHES, SF_CROSSES, SF_WITHIN, SF_CONTAINS, SF_OVERLAPS } sf_predicate;

typedef struct {
    const char *name;
    int sf;                /* sf_predicate, or -1: match `patterns` */
    const char *patterns;  /* DE-9IM patterns separated by '|' (any may match) */
} relation;

/* Egenhofer and RCC8 relations as the DE-9IM patterns of GeoSPARQL 1.1,
 * tables 7 and 8 (§ Egenhofer / RCC8 relation family). */
static const relation relations[] = {
    {"sfEquals", SF_EQUALS, NULL},       {"sfDisjoint", SF_DISJOINT, NULL},
    {"sfIntersects", SF_INTERSECTS, NULL}, {"sfTouches", SF_TOUCHES, NULL},
    {"sfCrosses", SF_CROSSES, NULL},     {"sfWithin", SF_WITHIN, NULL},
    {"sfContains", SF_CONTAINS, NULL},   {"sfOverlaps", SF_OVERLAPS, NULL},
    {"ehEquals", -1, "TFFFTFFFT"},       {"ehDisjoint", -1, "FF*FF****"},
    {"ehMeet", -1, "FT*******|F**T*****|F***T****"},
    {"ehOverlap", -1, "T*T***T**"},      {"ehCovers", -1, "T*TFT*FF*"},
    {"ehCoveredBy", -1, "TFF*TFT**"},    {"ehInside", -1, "TFF*FFT**"},
    {"ehContains", -1, "T*TFF*FF*"},
    {"rcc8eq", -1, "TFFFTFFFT"},         {"rcc8dc", -1, "FFTFFTTTT"},
    {"rcc8ec", -1, "FFTFTTTTT"},         {"rcc8po", -1, "TTTTTTTTT"},
    {"rcc8tppi", -1, "TTTFTTFFT"},       {"rcc8tpp", -1, "TFFTTFTTT"},
    {"rcc8ntpp", -1, "TFFTFFTTT"},       {"rcc8ntppi", -1, "TTTFFTFFT"},
};
#define N_RELATIONS (sizeof relations / sizeof *relations)

int geo_relation_by_name(const char *local_name)
{
    for (size_t i = 0; i < N_RELATIONS; i++)
        if (strcmp(relations[i].name, local_name) == 0)
            return (int)i;
    return -1;
}

static int sf_prepared(geo_context *gc, sf_predicate p, const GEOSPreparedGeometry *pa, const GEOSGeometry *b)
{
    GEOSContextHandle_t h = gc->h;
    switch (p) {
    case SF_DISJOINT: return GEOSPreparedDisjoint_r(h, pa, b);
    case SF_INTERSECTS: return GEOSPreparedIntersects_r(h, pa, b);
    case SF_TOUCHES: return GEOSPreparedTouches_r(h, pa, b);
    case SF_CROSSES: return GEOSPreparedCrosses_r(h, pa, b);
    case SF_WITHIN: return GEOSPreparedWithin_r(h, pa, b);
    case SF_CONTAINS: return GEOSPreparedContains_r(h, pa, b);
    case SF_OVERLAPS: return GEOSPreparedOverlaps_r(h, pa, b);
    default: return 2;
    }
}

static int sf_plain(geo_context *gc, sf_predicate p, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSContextHandle_t h = gc->h;
    switch (p) {
    case SF_EQUALS: return GEOSEquals_r(h, a, b);
    case SF_DISJOINT: return GEOSDisjoint_r(h, a, b);
    case SF_INTERSECTS: return GEOSIntersects_r(h, a, b);
    case SF_TOUCHES: return GEOSTouches_r(h, a, b);
    case SF_CROSSES: return GEOSCrosses_r(h, a, b);
    case SF_WITHIN: return GEOSWithin_r(h, a, b);
    case SF_CONTAINS: return GEOSContains_r(h, a, b);
    case SF_OVERLAPS: return GEOSOverlaps_r(h, a, b);
    }
    return 2;
}

/* 1 when the DE-9IM matrix of a and b matches one of the '|'-separated
 * patterns, 0 when none does, 2 on a GEOS failure. */
static int matches_patterns(geo_context *gc, const GEOSGeometry *a, const GEOSGeometry *b, const char *patterns)
{
    char *matrix = GEOSRelate_r(gc->h, a, b);
    if (!matrix)
        return 2;
    int result = 0;
    for (const char *p = patterns; *p && result == 0;) {
        char one[10];
        memcpy(one, p, 9);
        one[9] = '\0';
        result = GEOSRelatePatternMatch_r(gc->h, matrix, one) == 1;
        p += 9;
        if (*p == '|')
            p++;
    }
    GEOSFree_r(gc->h, matrix);
    return result;
}

/* The predicate that holds for (b, a) when p holds for (a, b). */
static sf_predicate sf_converse(sf_predicate p)
{
    return p == SF_WITHIN ? SF_CONTAINS : p == SF_CONTAINS ? SF_WITHIN : p;
}

static int relation_on(geo_context *gc, const relation *rel, geo_cached *a, geo_cached *b)
{
    const GEOSGeometry *bg = geo_context_in_crs(gc, b, &a->geom.crs);
    if (!bg)
        return 2;
    if (rel->sf < 0)
        return matches_patterns(gc, a->geom.g, bg, rel->patterns);
    /* Prepare the geometry that recurs: in FILTER(sfIntersects(?w, <district>))
     * the constant comes with every row and ?w once. */
    if (rel->sf != SF_EQUALS && b->uses > a->uses && geo_crs_same(&a->geom.crs, &b->geom.crs)) {
        const GEOSPreparedGeometry *pb = geo_context_prepared(gc, b);
        if (pb)
            return sf_prepared(gc, sf_converse((sf_predicate)rel->sf), pb, a->geom.g);
    }
    const GEOSPreparedGeometry *pa = rel->sf == SF_EQUALS ? NULL : geo_context_prepared(gc, a);
    return pa ? sf_prepared(gc, (sf_predicate)rel->sf, pa, bg) : sf_plain(gc, (sf_predicate)rel->sf, a->geom.g, bg);
}

int geo_relation_holds(sparql_func_ctx *ctx, int relation_index, const sparql_value *a, const sparql_value *b)
{
    if (relation_index < 0 || (size_t)relation_index >= N_RELATIONS)
        return -1;
    sparql_value args[2] = {*a, *b}; /* borrowed: never cleared here */
    geo_cached *g[2];
    geo_context *gc = geometries(ctx, args, 2, g);
    if (!gc)
        return -1;
    int r = relation_on(gc, &relations[relation_index], g[0], g[1]);
    return r == 0 || r == 1 ? r : -1;
}

static bool fn_relation(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g[2];
    geo_context *gc = geometries(ctx, args, 2, g);
    if (!gc)
        return fail(r);
    return put_bool(relation_on(gc, &relations[(intptr_t)ud], g[0], g[1]), r);
}

/* geof:relate(g1, g2, matrix pattern) */
static bool fn_relate(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs, (void)ud;
    geo_cached *g[2];
    geo_context *gc = geometries(ctx, args, 2, g);
    if (!gc || !sparql_value_is_string_literal(&args[2]) || args[2].lex_len != 9)
        return fail(r);
    for (size_t i = 0; i < 9; i++)
        if (!strchr("TF*012", args[2].lex[i]))
            return fail(r);
    const GEOSGeometry *bg = geo_context_in_crs(gc, g[1], &g[0]->geom.crs);
    if (!bg)
        return fail(r);
    return put_bool(GEOSRelatePattern_r(gc->h, g[0]->geom.g, bg, args[2].lex), r);
}

/* ---- measures -------------------------------------------------------------- */

/* A length in metres, or a planar length in the geographic CRS's degrees,
 * expressed in `unit` (args[i], metres when absent). */
static bool length_in_unit(const sparql_value *unit_arg, double metres, bool have_metres, double degrees,
                           bool have_degrees, sparql_value *r)
{
    geo_unit unit = {GEO_UNIT_LENGTH, 1};
    if (unit_arg) {
        const char *iri = iri_arg(unit_arg);
        if (!iri || !geo_unit_from_iri(iri, &unit))
            return fail(r);
    }
    if (unit.kind == GEO_UNIT_LENGTH && have_metres)
        return put_double(metres / unit.factor, r);
    if (unit.kind == GEO_UNIT_ANGLE && have_degrees)
        return put_double(degrees * (M_PI / 180) / unit.factor, r);
    return fail(r);
}

/* geof:distance(g1, g2, units), geof:metricDistance(g1, g2) */
static bool fn_distance(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)ud;
    geo_cached *g[2];
    geo_context *gc = geometries(ctx, args, 2, g);
    if (!gc)
        return fail(r);
    const sparql_value *unit = nargs > 2 ? &args[2] : NULL;
    geo_unit u = {GEO_UNIT_LENGTH, 1};
    if (unit && (!iri_arg(unit) || !geo_unit_from_iri(iri_arg(unit), &u)))
        return fail(r);
    if (u.kind == GEO_UNIT_ANGLE) {
        double deg = 0;
        bool ok = g[0]->geom.crs.geographic && geo_planar_distance(gc, g[0], g[1], &deg);
        return length_in_unit(unit, 0, false, deg, ok, r);
    }
    double m;
    if (!geo_metric_distance(gc, g[0], g[1], &m))
        return fail(r);
    return length_in_unit(unit, m, true, 0, false, r);
}

enum measure { MEASURE_LENGTH, MEASURE_PERIMETER, MEASURE_AREA };

/* geof:length / perimeter / area (g, units?), and their metric* forms. */
static bool fn_measure(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    if (!gc)
        return fail(r);
    enum measure what = (enum measure)(intptr_t)ud;
    int dim = GEOSGeom_getDimensions_r(gc->h, g->geom.g);
    double v;
    if (what == MEASURE_AREA) {
        geo_unit unit = {GEO_UNIT_AREA, 1};
        if (nargs > 1 && (!iri_arg(&args[1]) || !geo_unit_from_iri(iri_arg(&args[1]), &unit) ||
                          unit.kind != GEO_UNIT_AREA))
            return fail(r);
        if (!geo_metric_area(gc, g, &v))
            return fail(r);
        return put_double(v / unit.factor, r);
    }
    /* GEOS's length of a polygon is its perimeter: length is asked of
     * lines, perimeter of areas */
    if ((what == MEASURE_LENGTH && dim == 2) || (what == MEASURE_PERIMETER && dim != 2)) {
        v = 0;
    } else if (!geo_metric_length(gc, g, &v)) {
        return fail(r);
    }
    return length_in_unit(nargs > 1 ? &args[1] : NULL, v, true, 0, false, r);
}

/* ---- constructions -------------------------------------------------------- */

/* geof:buffer(g, radius, units), geof:metricBuffer(g, radius) */
static bool fn_buffer(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)ud;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    double radius;
    if (!gc || !number_arg(&args[1], &radius))
        return fail(r);
    geo_unit unit = {GEO_UNIT_LENGTH, 1};
    if (nargs > 2 && (!iri_arg(&args[2]) || !geo_unit_from_iri(iri_arg(&args[2]), &unit)))
        return fail(r);
    GEOSGeometry *out = NULL;
    if (unit.kind == GEO_UNIT_LENGTH)
        out = geo_metric_buffer(gc, g, radius * unit.factor);
    else if (unit.kind == GEO_UNIT_ANGLE && g->geom.crs.geographic)
        out = GEOSBuffer_r(gc->h, g->geom.g, radius * unit.factor * (180 / M_PI), 8);
    return put_geometry(gc, out, &g->geom.crs, geo_literal_kind_of(&args[0]), r);
}

enum unary { U_CONVEX_HULL, U_ENVELOPE, U_BOUNDARY, U_CENTROID, U_BOUNDING_CIRCLE };

static bool fn_unary(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    if (!gc)
        return fail(r);
    GEOSContextHandle_t h = gc->h;
    const GEOSGeometry *a = g->geom.g;
    GEOSGeometry *out = NULL;
    switch ((enum unary)(intptr_t)ud) {
    case U_CONVEX_HULL: out = GEOSConvexHull_r(h, a); break;
    case U_ENVELOPE: out = GEOSEnvelope_r(h, a); break;
    case U_BOUNDARY: out = GEOSBoundary_r(h, a); break;
    case U_CENTROID: out = GEOSGetCentroid_r(h, a); break;
    case U_BOUNDING_CIRCLE: out = GEOSMinimumBoundingCircle_r(h, a, NULL, NULL); break;
    }
    return put_geometry(gc, out, &g->geom.crs, geo_literal_kind_of(&args[0]), r);
}

/* geof:concaveHull(g, ratio?): GEOS's concave hull with the given edge
 * length ratio (0 = most concave, 1 = the convex hull; 0.3 by default). */
static bool fn_concave_hull(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)ud;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    double ratio = 0.3;
    if (!gc || (nargs > 1 && (!number_arg(&args[1], &ratio) || ratio < 0 || ratio > 1)))
        return fail(r);
    return put_geometry(gc, GEOSConcaveHull_r(gc->h, g->geom.g, ratio, 0), &g->geom.crs,
                        geo_literal_kind_of(&args[0]), r);
}

enum binary { B_INTERSECTION, B_UNION, B_DIFFERENCE, B_SYM_DIFFERENCE };

static bool fn_binary(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g[2];
    geo_context *gc = geometries(ctx, args, 2, g);
    const GEOSGeometry *b = gc ? geo_context_in_crs(gc, g[1], &g[0]->geom.crs) : NULL;
    if (!b)
        return fail(r);
    GEOSContextHandle_t h = gc->h;
    const GEOSGeometry *a = g[0]->geom.g;
    GEOSGeometry *out = NULL;
    switch ((enum binary)(intptr_t)ud) {
    case B_INTERSECTION: out = GEOSIntersection_r(h, a, b); break;
    case B_UNION: out = GEOSUnion_r(h, a, b); break;
    case B_DIFFERENCE: out = GEOSDifference_r(h, a, b); break;
    case B_SYM_DIFFERENCE: out = GEOSSymDifference_r(h, a, b); break;
    }
    return put_geometry(gc, out, &g[0]->geom.crs, geo_literal_kind_of(&args[0]), r);
}

/* geof:transform(g, crs IRI) */
static bool fn_transform(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs, (void)ud;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    const char *iri = iri_arg(&args[1]);
    geo_crs to;
    if (!gc || !iri || !geo_crs_from_iri(&gc->crs, iri, strlen(iri), &to))
        return fail(r);
    GEOSGeometry *out = geo_crs_transform(&gc->crs, gc->h, g->geom.g, &g->geom.crs, &to);
    return put_geometry(gc, out, &to, geo_literal_kind_of(&args[0]), r);
}

/* geof:geometryN(g, n): the n-th part, counted from 1 (Simple Features). */
static bool fn_geometry_n(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs, (void)ud;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    double n;
    if (!gc || args[1].type != SPARQL_TYPE_INTEGER || !number_arg(&args[1], &n))
        return fail(r);
    int count = GEOSGetNumGeometries_r(gc->h, g->geom.g);
    if (n < 1 || n > count)
        return fail(r);
    const GEOSGeometry *part = GEOSGetGeometryN_r(gc->h, g->geom.g, (int)n - 1);
    return put_geometry(gc, part ? GEOSGeom_clone_r(gc->h, part) : NULL, &g->geom.crs,
                        geo_literal_kind_of(&args[0]), r);
}

/* geof:asWKT / asGeoJSON */
static bool fn_as(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    if (!gc)
        return fail(r);
    return put_geometry(gc, GEOSGeom_clone_r(gc->h, g->geom.g), &g->geom.crs, (geo_literal_kind)(intptr_t)ud, r);
}

/* ---- accessors ------------------------------------------------------------ */

static bool fn_get_srid(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs, (void)ud;
    geo_cached *g;
    if (!geometries(ctx, args, 1, &g))
        return fail(r);
    char iri[80];
    geo_crs_iri(&g->geom.crs, iri, sizeof iri);
    return sparql_value_set_literal(r, iri, strlen(iri), XSD_ANYURI, NULL, 0) ? true : fail(r);
}

enum property { P_DIMENSION, P_COORD_DIMENSION, P_SPATIAL_DIMENSION, P_IS_EMPTY, P_IS_SIMPLE, P_IS_3D,
                P_IS_MEASURED, P_NUM_GEOMETRIES };

static bool fn_property(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    if (!gc)
        return fail(r);
    GEOSContextHandle_t h = gc->h;
    const GEOSGeometry *a = g->geom.g;
    switch ((enum property)(intptr_t)ud) {
    case P_DIMENSION: return sparql_value_set_int(r, GEOSGeom_getDimensions_r(h, a)) ? true : fail(r);
    case P_COORD_DIMENSION: /* GEOS 3.11 reads no M values: coordinates are x y [z] */
    case P_SPATIAL_DIMENSION: return sparql_value_set_int(r, GEOSGeom_getCoordinateDimension_r(h, a)) ? true : fail(r);
    case P_IS_EMPTY: return put_bool(GEOSisEmpty_r(h, a), r);
    case P_IS_SIMPLE: return put_bool(GEOSisSimple_r(h, a), r);
    case P_IS_3D: return put_bool(GEOSHasZ_r(h, a), r);
    case P_IS_MEASURED: return put_bool(0, r);
    case P_NUM_GEOMETRIES: return sparql_value_set_int(r, GEOSGetNumGeometries_r(h, a)) ? true : fail(r);
    }
    return fail(r);
}

/* geof:geometryType: the Simple Features class (sf:Point, ...). */
static bool fn_geometry_type(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs, (void)ud;
    static const char *const names[] = {
        [GEOS_POINT] = "Point", [GEOS_LINESTRING] = "LineString", [GEOS_LINEARRING] = "LinearRing",
        [GEOS_POLYGON] = "Polygon", [GEOS_MULTIPOINT] = "MultiPoint",
        [GEOS_MULTILINESTRING] = "MultiLineString", [GEOS_MULTIPOLYGON] = "MultiPolygon",
        [GEOS_GEOMETRYCOLLECTION] = "GeometryCollection"};
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    int type = gc ? GEOSGeomTypeId_r(gc->h, g->geom.g) : -1;
    if (type < 0 || (size_t)type >= sizeof names / sizeof *names)
        return fail(r);
    char iri[96];
    snprintf(iri, sizeof iri, SF_NS "%s", names[type]);
    return sparql_value_set_iri(r, iri, strlen(iri)) ? true : fail(r);
}

/* Smallest and largest z over all coordinates of g. */
static bool z_range(GEOSContextHandle_t h, const GEOSGeometry *g, double *lo, double *hi)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (!z_range(h, GEOSGetExteriorRing_r(h, g), lo, hi))
            return false;
        int n = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < n; i++)
            if (!z_range(h, GEOSGetInteriorRingN_r(h, g, i), lo, hi))
                return false;
        return true;
    }
    if (type >= GEOS_MULTIPOINT) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++)
            if (!z_range(h, GEOSGetGeometryN_r(h, g, i), lo, hi))
                return false;
        return true;
    }
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size))
        return false;
    for (unsigned i = 0; i < size; i++) {
        double z;
        if (!GEOSCoordSeq_getZ_r(h, seq, i, &z))
            return false;
        *lo = fmin(*lo, z), *hi = fmax(*hi, z);
    }
    return true;
}

enum bound { MIN_X, MIN_Y, MIN_Z, MAX_X, MAX_Y, MAX_Z };

/* geof:minX ... maxZ, in the geometry's CRS; x is longitude or easting
 * whatever the CRS's official axis order. */
static bool fn_bound(sparql_value *args, int nargs, sparql_value *r, sparql_func_ctx *ctx, void *ud)
{
    (void)nargs;
    geo_cached *g;
    geo_context *gc = geometries(ctx, args, 1, &g);
    if (!gc || GEOSisEmpty_r(gc->h, g->geom.g))
        return fail(r);
    enum bound b = (enum bound)(intptr_t)ud;
    if (b == MIN_Z || b == MAX_Z) {
        double lo = INFINITY, hi = -INFINITY;
        if (GEOSHasZ_r(gc->h, g->geom.g) != 1 || !z_range(gc->h, g->geom.g, &lo, &hi))
            return fail(r);
        return put_double(b == MIN_Z ? lo : hi, r);
    }
    double x0, y0, x1, y1;
    if (!GEOSGeom_getExtent_r(gc->h, g->geom.g, &x0, &y0, &x1, &y1))
        return fail(r);
    double v[] = {[MIN_X] = x0, [MIN_Y] = y0, [MAX_X] = x1, [MAX_Y] = y1};
    return put_double(v[b], r);
}

/* ---- aggregates ------------------------------------------------------------ */

enum aggregate { A_UNION, A_BOUNDING_BOX, A_CENTROID, A_CONVEX_HULL, A_CONCAVE_HULL, A_BOUNDING_CIRCLE };

static bool aggregate_geometries(const sparql_value *values, size_t n, sparql_value *r, sparql_func_ctx *ctx,
                                 void *ud)
{
    geo_context *gc = geo_context_of(ctx);
    if (!gc || n == 0 || n > (size_t)INT32_MAX)
        return fail(r);
    geo_context_begin_call(gc);
    GEOSContextHandle_t h = gc->h;
    GEOSGeometry **parts = calloc(n, sizeof *parts);
    geo_cached *first = geo_context_geometry(gc, &values[0]);
    bool ok = parts && first;
    for (size_t i = 0; ok && i < n; i++) {
        geo_cached *c = i ? geo_context_geometry(gc, &values[i]) : first;
        const GEOSGeometry *g = c ? geo_context_in_crs(gc, c, &first->geom.crs) : NULL;
        ok = g && (parts[i] = GEOSGeom_clone_r(h, g)) != NULL;
    }
    /* the collection takes the parts over */
    GEOSGeometry *all = ok ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n) : NULL;
    if (!all && parts)
        for (size_t i = 0; i < n; i++)
            if (parts[i])
                GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    if (!all)
        return fail(r);
    GEOSGeometry *out = NULL;
    switch ((enum aggregate)(intptr_t)ud) {
    case A_UNION: out = GEOSUnaryUnion_r(h, all); break;
    case A_BOUNDING_BOX: out = GEOSEnvelope_r(h, all); break;
    case A_CENTROID: out = GEOSGetCentroid_r(h, all); break;
    case A_CONVEX_HULL: out = GEOSConvexHull_r(h, all); break;
    case A_CONCAVE_HULL: out = GEOSConcaveHull_r(h, all, 0.3, 0); break;
    case A_BOUNDING_CIRCLE: out = GEOSMinimumBoundingCircle_r(h, all, NULL, NULL); break;
    }
    GEOSGeom_destroy_r(h, all);
    return put_geometry(gc, out, &first->geom.crs, geo_literal_kind_of(&values[0]), r);
}

static const sparql_ext_aggregate aggregate_table[] = {
    {GEOF_NS "aggUnion", aggregate_geometries, (void *)A_UNION},
    {GEOF_NS "aggBoundingBox", aggregate_geometries, (void *)A_BOUNDING_BOX},
    {GEOF_NS "aggCentroid", aggregate_geometries, (void *)A_CENTROID},
    {GEOF_NS "aggConvexHull", aggregate_geometries, (void *)A_CONVEX_HULL},
    {GEOF_NS "aggConcaveHull", aggregate_geometries, (void *)A_CONCAVE_HULL},
    {GEOF_NS "aggBoundingCircle", aggregate_geometries, (void *)A_BOUNDING_CIRCLE},
};

const sparql_ext_aggregate *geo_aggregates(size_t *n)
{
    *n = sizeof aggregate_table / sizeof *aggregate_table;
    return aggregate_table;
}

/* ---- the table ------------------------------------------------------------ */

/* Functions come in families sharing one C function; a member's index in
 * its family is its userdata (the enum of that family, or the relation). */
typedef struct {
    sparql_ext_fn fn;
    int min_args, max_args;
    const char *names[8];
} family;

static const family families[] = {
    {fn_relate, 3, 3, {"relate"}},
    {fn_distance, 2, 3, {"distance"}},
    {fn_distance, 2, 2, {"metricDistance"}},
    {fn_measure, 1, 2, {"length", "perimeter", "area"}},
    {fn_measure, 1, 1, {"metricLength", "metricPerimeter", "metricArea"}},
    {fn_buffer, 2, 3, {"buffer"}},
    {fn_buffer, 2, 2, {"metricBuffer"}},
    {fn_unary, 1, 1, {"convexHull", "envelope", "boundary", "centroid", "boundingCircle"}},
    {fn_concave_hull, 1, 2, {"concaveHull"}},
    {fn_binary, 2, 2, {"intersection", "union", "difference", "symDifference"}},
    {fn_transform, 2, 2, {"transform"}},
    {fn_geometry_n, 2, 2, {"geometryN"}},
    {fn_as, 1, 1, {"", "asWKT", "asGeoJSON"}}, /* userdata: geo_literal_kind */
    {fn_get_srid, 1, 1, {"getSRID"}},
    {fn_property, 1, 1, {"dimension", "coordinateDimension", "spatialDimension", "isEmpty", "isSimple",
                         "is3D", "isMeasured", "numGeometries"}},
    {fn_geometry_type, 1, 1, {"geometryType"}},
    {fn_bound, 1, 1, {"minX", "minY", "minZ", "maxX", "maxY", "maxZ"}},
};

#define MAX_FUNCTIONS 96
static sparql_ext_function table[MAX_FUNCTIONS];
static char table_iris[MAX_FUNCTIONS][96];
static size_t table_len;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void add(sparql_ext_fn fn, int min_args, int max_args, const char *name, intptr_t userdata)
{
    assert(table_len < MAX_FUNCTIONS);
    snprintf(table_iris[table_len], sizeof table_iris[0], GEOF_NS "%s", name);
    table[table_len] = (sparql_ext_function){table_iris[table_len], fn, min_args, max_args, (void *)userdata};
    table_len++;
}

static void build_table(void)
{
    for (size_t i = 0; i < N_RELATIONS; i++)
        add(fn_relation, 2, 2, relations[i].name, (intptr_t)i);
    for (size_t f = 0; f < sizeof families / sizeof *families; f++)
        for (size_t i = 0; i < 8 && families[f].names[i]; i++)
            if (*families[f].names[i])
                add(families[f].fn, families[f].min_args, families[f].max_args, families[f].names[i],
                    (intptr_t)i);
}

const sparql_ext_function *geo_functions(size_t *n)
{
    pthread_once(&table_once, build_table);
    *n = table_len;
    return table;
}
