/*
 * test_geo_functions.c — every geof: function on Regensburg geometries, in
 * EPSG:25832 and CRS84.
 *
 * Where the expected values come from (independent of GEOS-in-citykg):
 *   - "cs2cs": PROJ 9.1 command line, e.g.
 *       echo "12.09717 49.015205" | cs2cs -f %.4f OGC:CRS84 EPSG:25832
 *   - "geod": PROJ's geod, echo "lat1 lon1 lat2 lon2" | geod -I +ellps=WGS84
 *   - "spatialite": GDAL 3.6 ogrinfo -dialect SQLite (SpatiaLite 5.0.1),
 *       ST_Area / ST_Perimeter (planar, or geodesic with use_ellipsoid=1)
 *   - "hand": axis-parallel squares in EPSG:25832 whose relations, areas
 *       and distances follow from the coordinates (stated at each check).
 * FOOTPRINT is the real footprint of building DEBY_LOD2_17522 (data/demo).
 */
#include "../sparql_functions/helpers.h"

#include <math.h>

#include "geo_functions.h"
#include "geo_literal.h"

#define GEOF(x) "http://www.opengis.net/def/function/geosparql/" x
#define UOM(x) "http://www.opengis.net/def/uom/OGC/1.0/" x
#define E25832 "<http://www.opengis.net/def/crs/EPSG/0/25832> "
#define E4326 "<http://www.opengis.net/def/crs/EPSG/0/4326> "

/* Squares in EPSG:25832 near Regensburg-Pruefening (hand):
 * S 100 m square; I inside S, off its boundary; I2 in S's south-west
 * corner (shares boundary); T east of S sharing the edge x=726100; O
 * overlapping S's east half; D 200 m east of S. */
#define SQ(x0, y0, x1, y1) \
    E25832 "POLYGON((" #x0 " " #y0 ", " #x1 " " #y0 ", " #x1 " " #y1 ", " #x0 " " #y1 ", " #x0 " " #y0 "))"
#define S SQ(726000, 5432000, 726100, 5432100)
#define I SQ(726025, 5432025, 726075, 5432075)
#define I2 SQ(726000, 5432000, 726050, 5432050)
#define T SQ(726100, 5432000, 726200, 5432100)
#define O SQ(726050, 5432000, 726150, 5432100)
#define D SQ(726300, 5432000, 726400, 5432100)

#define FOOTPRINT                                                                                     \
    E25832 "POLYGON((721884.055 5432485.791, 721892.538 5432473.757, 721901.990 5432480.311, "      \
           "721893.474 5432492.413, 721885.857 5432487.064, 721884.055 5432485.791))"
/* the same vertices in CRS84 (cs2cs -f %.10f EPSG:25832 OGC:CRS84) */
#define FOOTPRINT_CRS84                                                                               \
    "POLYGON((12.0341058064 49.0053418780, 12.0342150612 49.0052307282, 12.0343477009 49.0052862056, " \
    "12.0342380329 49.0053979783, 12.0341311067 49.0053526658, 12.0341058064 49.0053418780))"

/* car parks of data/demo/parking.ttl (CRS84) */
#define ST_PETERSWEG "POINT(12.09717 49.015205)"
#define ARCADEN "POINT(12.101428 49.010127)"

static int setup(void **state)
{
    sparql_func_ctx *ctx = malloc(sizeof *ctx);
    *state = ctx;
    return ctx && sparql_func_ctx_init(ctx, NULL) ? 0 : -1;
}

static int teardown(void **state)
{
    sparql_func_ctx_free(*state);
    free(*state);
    return 0;
}

static sparql_value wkt(const char *s) { return lit(s, GEO_WKT_LITERAL); }
static sparql_value geojson(const char *s) { return lit(s, GEO_GEOJSON_LITERAL); }

static sparql_value call_geof(sparql_func_ctx *ctx, const char *iri, sparql_value *args, int n)
{
    sparql_value r;
    bool ok = sparql_function_call_iri(iri, args, n, &r, ctx);
    assert_int_equal(ok, !sparql_value_is_error(&r));
    for (int i = 0; i < n; i++)
        sparql_value_clear(&args[i]);
    return r;
}

#define F(ctx, name, ...)                                                                      \
    call_geof((ctx), GEOF(name), (sparql_value[]){__VA_ARGS__},                                \
              (int)(sizeof((sparql_value[]){__VA_ARGS__}) / sizeof(sparql_value)))

static void expect_double(sparql_value r, double want, double tolerance)
{
    assert_int_equal(r.kind, SPARQL_VALUE_LITERAL);
    assert_string_equal(r.datatype, XSD("double"));
    double got = sparql_value_to_double(&r);
    if (fabs(got - want) > tolerance)
        fail_msg("got %.10g, want %.10g (tolerance %g)", got, want, tolerance);
    sparql_value_clear(&r);
}

static void expect_int(sparql_value r, int want)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", want);
    expect_lit(r, buf, XSD("integer"));
}

/* ---- literals and CRSs ---------------------------------------------------- */

static void test_transform_matches_cs2cs(void **state)
{
    /* cs2cs: 12.09717 49.015205 (CRS84) -> 726450.5467 5433768.4082 */
    void *c = *state;
    const char *to25832 = "http://www.opengis.net/def/crs/EPSG/0/25832";
    expect_double(F(c, "minX", F(c, "transform", wkt(ST_PETERSWEG), iri(to25832))), 726450.5467, 5e-5);
    expect_double(F(c, "minY", F(c, "transform", wkt(ST_PETERSWEG), iri(to25832))), 5433768.4082, 5e-5);
    expect_lit(F(c, "getSRID", F(c, "transform", wkt(ST_PETERSWEG), iri(to25832))), to25832, XSD("anyURI"));
    /* and back: the centre of S, cs2cs EPSG:25832 -> CRS84: 12.090743648 48.999916228 */
    sparql_value r = F(c, "transform", wkt(E25832 "POINT(726050 5432050)"), iri("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
    expect_double(F(c, "minX", r), 12.090743648, 5e-10);
    r = F(c, "transform", wkt(E25832 "POINT(726050 5432050)"), iri("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
    expect_double(F(c, "maxY", r), 48.999916228, 5e-10);
}

static void test_epsg4326_is_lat_lon(void **state)
{
    /* EPSG:4326 writes latitude first: the same place as the CRS84 point */
    expect_bool(F(*state, "sfEquals", wkt(E4326 "POINT(49.015205 12.09717)"), wkt(ST_PETERSWEG)), true);
    expect_bool(F(*state, "sfEquals", wkt(E4326 "POINT(12.09717 49.015205)"), wkt(ST_PETERSWEG)), false);
    /* minX is longitude whatever the axis order */
    expect_double(F(*state, "minX", wkt(E4326 "POINT(49.015205 12.09717)")), 12.09717, 1e-12);
    /* written back latitude first */
    expect_lit(F(*state, "transform", wkt(ST_PETERSWEG), iri("http://www.opengis.net/def/crs/EPSG/0/4326")),
               E4326 "POINT (49.015205 12.09717)", GEO_WKT_LITERAL);
    expect_lit(F(*state, "getSRID", wkt(E4326 "POINT(49 12)")), "http://www.opengis.net/def/crs/EPSG/0/4326",
               XSD("anyURI"));
    expect_lit(F(*state, "getSRID", wkt(ST_PETERSWEG)), "http://www.opengis.net/def/crs/OGC/1.3/CRS84", XSD("anyURI"));
}

static void test_geojson(void **state)
{
    expect_lit(F(*state, "asGeoJSON", wkt(ST_PETERSWEG)), "{\"type\":\"Point\",\"coordinates\":[12.09717,49.015205]}",
               GEO_GEOJSON_LITERAL);
    /* a geoJSON literal is CRS84: the same place as the wkt point */
    expect_bool(F(*state, "sfEquals", geojson("{\"type\":\"Point\",\"coordinates\":[12.09717,49.015205]}"),
                  wkt(ST_PETERSWEG)), true);
    /* from EPSG:25832 (cs2cs inverse of the transform test) */
    sparql_value r = F(*state, "asGeoJSON", wkt(E25832 "POINT(726050 5432050)"));
    assert_non_null(strstr(r.lex, "\"coordinates\":[12.09074364"));
    sparql_value_clear(&r);
    expect_lit(F(*state, "asWKT", geojson("{\"type\":\"Point\",\"coordinates\":[12.1,49.0]}")), "POINT (12.1 49)",
               GEO_WKT_LITERAL);
}

static void test_invalid_input_is_an_error(void **state)
{
    /* self-intersecting "bow tie" ring: invalid, so no answer rather than a wrong one */
    expect_error(F(*state, "sfIntersects", wkt(E25832 "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))"), wkt(S)));
    expect_error(F(*state, "area", wkt("POLYGON((0 0, 1 1")));
    expect_error(F(*state, "area", wkt("<http://www.opengis.net/def/crs/EPSG/0/999999> POINT(1 2)")));
    expect_error(F(*state, "area", str("POINT(1 2)"))); /* not a geometry literal */
    expect_error(F(*state, "area", geojson("{\"type\":\"Point\"")));
    expect_error(F(*state, "distance", wkt(S), wkt(D), iri(UOM("parsec"))));
    /* degrees are no unit of a projected CRS */
    expect_error(F(*state, "distance", wkt(S), wkt(D), iri(UOM("degree"))));
    /* the same literal twice: the cache remembers the refusal */
    expect_error(F(*state, "area", wkt("POLYGON((0 0, 1 1")));
}

/* ---- topological relations ------------------------------------------------ */

static void test_simple_features(void **state)
{
    void *c = *state;
    expect_bool(F(c, "sfContains", wkt(S), wkt(I)), true);   /* hand: I inside S */
    expect_bool(F(c, "sfWithin", wkt(I), wkt(S)), true);
    expect_bool(F(c, "sfWithin", wkt(S), wkt(I)), false);
    expect_bool(F(c, "sfTouches", wkt(S), wkt(T)), true);    /* hand: shared edge x=726100 */
    expect_bool(F(c, "sfOverlaps", wkt(S), wkt(O)), true);   /* hand: east half of S in O */
    expect_bool(F(c, "sfOverlaps", wkt(S), wkt(T)), false);
    expect_bool(F(c, "sfDisjoint", wkt(S), wkt(D)), true);   /* hand: 200 m apart */
    expect_bool(F(c, "sfIntersects", wkt(S), wkt(D)), false);
    expect_bool(F(c, "sfIntersects", wkt(S), wkt(T)), true);
    expect_bool(F(c, "sfEquals", wkt(S), wkt(E25832 "POLYGON((726100 5432100, 726000 5432100, 726000 5432000, 726100 5432000, 726100 5432100))")), true);
    /* a line through S from west to east crosses it (hand) */
    expect_bool(F(c, "sfCrosses", wkt(E25832 "LINESTRING(725950 5432050, 726150 5432050)"), wkt(S)), true);
    expect_bool(F(c, "sfCrosses", wkt(E25832 "LINESTRING(726010 5432050, 726090 5432050)"), wkt(S)), false);
    /* the same questions again: the second use goes through the prepared geometry */
    for (int i = 0; i < 3; i++) {
        expect_bool(F(c, "sfContains", wkt(S), wkt(I)), true);
        expect_bool(F(c, "sfContains", wkt(S), wkt(D)), false);
        expect_bool(F(c, "sfTouches", wkt(S), wkt(T)), true);
    }
}

static void test_egenhofer_and_rcc8(void **state)
{
    void *c = *state;
    expect_bool(F(c, "ehInside", wkt(I), wkt(S)), true);
    expect_bool(F(c, "ehContains", wkt(S), wkt(I)), true);
    expect_bool(F(c, "ehCoveredBy", wkt(I2), wkt(S)), true); /* hand: I2 shares S's corner edges */
    expect_bool(F(c, "ehInside", wkt(I2), wkt(S)), false);
    expect_bool(F(c, "ehCovers", wkt(S), wkt(I2)), true);
    expect_bool(F(c, "ehMeet", wkt(S), wkt(T)), true);
    expect_bool(F(c, "ehOverlap", wkt(S), wkt(O)), true);
    expect_bool(F(c, "ehDisjoint", wkt(S), wkt(D)), true);
    expect_bool(F(c, "ehEquals", wkt(S), wkt(S)), true);
    expect_bool(F(c, "rcc8ntpp", wkt(I), wkt(S)), true);
    expect_bool(F(c, "rcc8ntppi", wkt(S), wkt(I)), true);
    expect_bool(F(c, "rcc8tpp", wkt(I2), wkt(S)), true);
    expect_bool(F(c, "rcc8tppi", wkt(S), wkt(I2)), true);
    expect_bool(F(c, "rcc8tpp", wkt(I), wkt(S)), false);
    expect_bool(F(c, "rcc8ec", wkt(S), wkt(T)), true);
    expect_bool(F(c, "rcc8po", wkt(S), wkt(O)), true);
    expect_bool(F(c, "rcc8dc", wkt(S), wkt(D)), true);
    expect_bool(F(c, "rcc8eq", wkt(S), wkt(S)), true);
    expect_bool(F(c, "rcc8eq", wkt(S), wkt(O)), false);
    /* DE-9IM of I within S is 2FF1FF212 (hand: interiors meet in 2D, I's
     * boundary lies in S's interior, S's exterior meets nothing of I) */
    expect_bool(F(c, "relate", wkt(I), wkt(S), str("2FF1FF212")), true);
    expect_bool(F(c, "relate", wkt(I), wkt(S), str("T*F**F***")), true);
    expect_bool(F(c, "relate", wkt(S), wkt(I), str("T*F**F***")), false);
    expect_error(F(c, "relate", wkt(I), wkt(S), str("TTT")));
}

static void test_relations_across_crs(void **state)
{
    void *c = *state;
    /* the centre of S in CRS84 (cs2cs) lies in S; St. Petersweg does not */
    expect_bool(F(c, "sfWithin", wkt("POINT(12.090743648 48.999916228)"), wkt(S)), true);
    expect_bool(F(c, "sfContains", wkt(S), wkt("POINT(12.090743648 48.999916228)")), true);
    expect_bool(F(c, "sfWithin", wkt(ST_PETERSWEG), wkt(S)), false);
    /* the footprint in both CRSs is the same polygon (to 0.1 mm) */
    expect_bool(F(c, "sfIntersects", wkt(FOOTPRINT_CRS84), wkt(FOOTPRINT)), true);
    expect_bool(F(c, "sfWithin", wkt(E4326 "POINT(48.999916228 12.090743648)"), wkt(S)), true);
}

/* ---- measures -------------------------------------------------------------- */

static void test_distance(void **state)
{
    void *c = *state;
    /* hand: S's east edge x=726100, D's west edge x=726300 */
    expect_double(F(c, "distance", wkt(S), wkt(D), iri(UOM("metre"))), 200, 1e-9);
    expect_double(F(c, "distance", wkt(S), wkt(D), iri("http://qudt.org/vocab/unit/KiloM")), 0.2, 1e-12);
    expect_double(F(c, "metricDistance", wkt(S), wkt(D)), 200, 1e-9);
    expect_double(F(c, "distance", wkt(S), wkt(I), iri(UOM("metre"))), 0, 0);
    /* geod: St. Petersweg - Arcaden 644.932 m on the WGS84 ellipsoid */
    expect_double(F(c, "distance", wkt(ST_PETERSWEG), wkt(ARCADEN), iri(UOM("metre"))), 644.932, 0.0005);
    /* CRS84 point 950 m (grid) north of S: geod from it to the CRS84 of
     * the nearest point of S (726050 5432100) gives 949.784 m; the grid
     * distance in EPSG:25832 is 950 m (UTM scale 1.00023 here) */
    expect_double(F(c, "distance", wkt("POINT(12.091300124 49.008898734)"), wkt(S), iri(UOM("metre"))), 949.784,
                  0.01);
    expect_double(F(c, "distance", wkt(S), wkt("POINT(12.091300124 49.008898734)"), iri(UOM("metre"))), 950, 1e-3);
    /* degrees in CRS84: planar lon/lat distance (hand: 0.004258, 0.005078) */
    expect_double(F(c, "distance", wkt(ST_PETERSWEG), wkt(ARCADEN), iri(UOM("degree"))),
                  sqrt(0.004258 * 0.004258 + 0.005078 * 0.005078), 1e-9);
    expect_error(F(c, "distance", wkt("POINT EMPTY"), wkt(ARCADEN), iri(UOM("metre"))));
}

static void test_area_length_perimeter(void **state)
{
    void *c = *state;
    /* spatialite ST_Area (planar, EPSG:25832): 169.891091496337 m² */
    expect_double(F(c, "area", wkt(FOOTPRINT), iri("http://qudt.org/vocab/unit/M2")), 169.891091496337, 1e-9);
    expect_double(F(c, "metricArea", wkt(FOOTPRINT)), 169.891091496337, 1e-9);
    /* spatialite geodesic ST_Area(..., 1) of the footprint in WGS84:
     * 169.821420586243 m²; the CRS84 method is bound by 2e-5 relative */
    expect_double(F(c, "area", wkt(FOOTPRINT_CRS84)), 169.821420586243, 169.82 * 2e-5);
    /* spatialite geodesic area of the 0.01 x 0.01 degree cell: 813499.331 m² */
    expect_double(F(c, "metricArea", wkt("POLYGON((12.09 49.01,12.10 49.01,12.10 49.02,12.09 49.02,12.09 49.01))")),
                  813499.331123352, 813499.3 * 2e-5);
    expect_double(F(c, "area", wkt(S), iri("http://qudt.org/vocab/unit/HA")), 1, 1e-12); /* hand: 100 m x 100 m */
    /* spatialite ST_Perimeter: 52.5372030406628 m (grid), 52.5264404984496 m (geodesic) */
    expect_double(F(c, "perimeter", wkt(FOOTPRINT)), 52.5372030406628, 1e-9);
    expect_double(F(c, "metricPerimeter", wkt(FOOTPRINT_CRS84)), 52.5264404984496, 52.53 * 1e-5);
    /* spatialite geodesic ST_Length of LINESTRING(12.09 49.01,12.10 49.02): 1331.11104799847 m */
    expect_double(F(c, "length", wkt("LINESTRING(12.09 49.01,12.10 49.02)"), iri(UOM("metre"))), 1331.11104799847,
                  1331.1 * 1e-5);
    expect_double(F(c, "metricLength", wkt(E25832 "LINESTRING(726000 5432000, 726300 5432400)")), 500, 1e-9);
    expect_double(F(c, "length", wkt(S)), 0, 0); /* an area has no length, only a perimeter */
    expect_double(F(c, "area", wkt(ST_PETERSWEG)), 0, 0);
}

/* ---- constructions -------------------------------------------------------- */

static void test_buffer(void **state)
{
    void *c = *state;
    /* hand: GEOS buffers a point with 8 segments per quarter circle, a
     * regular 32-gon of radius r: area 16 r² sin(2π/32) = 312.1445 m² for
     * r = 10. Results are written to the micrometre: the area moves by at
     * most perimeter x 1e-6 m. */
    double polygon32 = 16 * 100 * sin(2 * M_PI / 32);
    expect_double(F(c, "area", F(c, "buffer", wkt(E25832 "POINT(726050 5432050)"), lit("10", XSD("integer")),
                                 iri(UOM("metre")))), polygon32, 63 * 1e-6);
    expect_double(F(c, "area", F(c, "metricBuffer", wkt(E25832 "POINT(726050 5432050)"), lit("1.0E3", XSD("double")))),
                  polygon32 * 100 * 100, 6300 * 1e-6);
    /* a CRS84 point buffered by 100 m: the same 32-gon on the ground,
     * within the metric method's bound */
    expect_double(F(c, "area", F(c, "buffer", wkt(ST_PETERSWEG), lit("100", XSD("integer")), iri(UOM("metre")))),
                  polygon32 * 100, polygon32 * 100 * 4e-5);
    /* hand: S shrunk by 10 m is an 80 m square */
    expect_double(F(c, "area", F(c, "buffer", wkt(S), lit("-10", XSD("integer")), iri(UOM("metre")))), 6400, 1e-6);
    /* geod: the car parks are 644.932 m apart; the 32-gon's edges lie
     * r (1 - cos(π/32)) inside the circle: within 650 m, not within 600 m */
    expect_bool(F(c, "sfWithin", wkt(ST_PETERSWEG), F(c, "buffer", wkt(ARCADEN), lit("650", XSD("integer")),
                                                      iri(UOM("metre")))), true);
    expect_bool(F(c, "sfWithin", wkt(ST_PETERSWEG), F(c, "buffer", wkt(ARCADEN), lit("600", XSD("integer")),
                                                      iri(UOM("metre")))), false);
    expect_error(F(c, "buffer", wkt(S), str("ten"), iri(UOM("metre"))));
}

static void test_set_operations(void **state)
{
    void *c = *state;
    /* hand: S and O overlap in a 50 x 100 m strip */
    expect_double(F(c, "area", F(c, "intersection", wkt(S), wkt(O))), 5000, 1e-6);
    expect_double(F(c, "area", F(c, "union", wkt(S), wkt(O))), 15000, 1e-6);
    expect_double(F(c, "area", F(c, "difference", wkt(S), wkt(O))), 5000, 1e-6);
    expect_double(F(c, "area", F(c, "symDifference", wkt(S), wkt(O))), 10000, 1e-6);
    expect_bool(F(c, "ehEquals", F(c, "intersection", wkt(S), wkt(O)), wkt(SQ(726050, 5432000, 726100, 5432100))), true);
    expect_bool(F(c, "isEmpty", F(c, "intersection", wkt(S), wkt(D))), true);
    /* the result is in the first argument's CRS */
    sparql_value r = F(c, "intersection", wkt(FOOTPRINT_CRS84), wkt(FOOTPRINT));
    expect_lit(F(c, "getSRID", r), "http://www.opengis.net/def/crs/OGC/1.3/CRS84", XSD("anyURI"));
}

static void test_hulls_envelope_boundary_centroid(void **state)
{
    void *c = *state;
    /* spatialite: the footprint is convex, hull area = area; centroid 721893.016593 5432483.072747 */
    expect_double(F(c, "area", F(c, "convexHull", wkt(FOOTPRINT))), 169.891091496337, 1e-9);
    expect_double(F(c, "minX", F(c, "centroid", wkt(FOOTPRINT))), 721893.016593, 2e-6);
    expect_double(F(c, "minY", F(c, "centroid", wkt(FOOTPRINT))), 5432483.072747, 2e-6);
    /* hand: the envelope of the footprint spans x 721884.055..721901.990, y 5432473.757..5432492.413 */
    expect_double(F(c, "area", F(c, "envelope", wkt(FOOTPRINT))), (721901.990 - 721884.055) * (5432492.413 - 5432473.757),
                  1e-6);
    expect_lit(F(c, "boundary", wkt(E25832 "LINESTRING(726000 5432000, 726300 5432400)")),
               E25832 "MULTIPOINT (726000 5432000, 726300 5432400)", GEO_WKT_LITERAL);
    expect_double(F(c, "length", F(c, "boundary", wkt(S))), 400, 1e-9);
    /* hand: an L of points (3 x 3 square minus its upper-right 2 x 2):
     * convex hull area 7 (the triangle (1,3) (3,1) (3,3) of area 2 is cut off); the concave
     * hull with ratio 0 follows the L (area 5), ratio 1 is the convex hull */
    const char *l = E25832 "MULTIPOINT((0 0),(1 0),(2 0),(3 0),(0 1),(1 1),(2 1),(3 1),(0 2),(1 2),(0 3),(1 3))";
    expect_double(F(c, "area", F(c, "convexHull", wkt(l))), 7, 1e-9);
    expect_double(F(c, "area", F(c, "concaveHull", wkt(l), lit("1", XSD("integer")))), 7, 1e-9);
    expect_double(F(c, "area", F(c, "concaveHull", wkt(l), lit("0", XSD("integer")))), 5, 1e-9);
    /* hand: the smallest circle around S has S's half diagonal as radius */
    expect_double(F(c, "area", F(c, "boundingCircle", wkt(S))), 5000 * M_PI, 5000 * M_PI * 0.01);
}

/* ---- accessors ------------------------------------------------------------ */

static void test_accessors(void **state)
{
    void *c = *state;
    expect_int(F(c, "dimension", wkt(S)), 2);
    expect_int(F(c, "dimension", wkt(E25832 "LINESTRING(726000 5432000, 726300 5432400)")), 1);
    expect_int(F(c, "dimension", wkt(ST_PETERSWEG)), 0);
    expect_int(F(c, "coordinateDimension", wkt("POINT Z (12.09717 49.015205 339.5)")), 3);
    expect_int(F(c, "spatialDimension", wkt(ST_PETERSWEG)), 2);
    expect_bool(F(c, "isEmpty", wkt("POINT EMPTY")), true);
    expect_bool(F(c, "isEmpty", wkt("")), true); /* GeoSPARQL: the empty wktLiteral */
    expect_bool(F(c, "isEmpty", wkt(S)), false);
    expect_bool(F(c, "isSimple", wkt(E25832 "LINESTRING(0 0, 10 10, 10 0, 0 10)")), false); /* hand: crosses itself */
    expect_bool(F(c, "isSimple", wkt(S)), true);
    expect_bool(F(c, "is3D", wkt("POINT Z (12.09717 49.015205 339.5)")), true);
    expect_bool(F(c, "is3D", wkt(ST_PETERSWEG)), false);
    expect_bool(F(c, "isMeasured", wkt(ST_PETERSWEG)), false);
    expect_int(F(c, "numGeometries", wkt("MULTIPOINT((12.09717 49.015205),(12.101428 49.010127))")), 2);
    expect_int(F(c, "numGeometries", wkt(S)), 1);
    expect_lit(F(c, "geometryN", wkt("MULTIPOINT((12.09717 49.015205),(12.101428 49.010127))"), lit("2", XSD("integer"))),
               "POINT (12.101428 49.010127)", GEO_WKT_LITERAL);
    expect_error(F(c, "geometryN", wkt("MULTIPOINT((12.09717 49.015205))"), lit("2", XSD("integer"))));
    expect_error(F(c, "geometryN", wkt("MULTIPOINT((12.09717 49.015205))"), lit("0", XSD("integer"))));
    expect_iri(F(c, "geometryType", wkt(S)), "http://www.opengis.net/ont/sf#Polygon");
    expect_double(F(c, "minX", wkt(FOOTPRINT)), 721884.055, 1e-9);
    expect_double(F(c, "maxX", wkt(FOOTPRINT)), 721901.990, 1e-9);
    expect_double(F(c, "minY", wkt(FOOTPRINT)), 5432473.757, 1e-9);
    expect_double(F(c, "maxY", wkt(FOOTPRINT)), 5432492.413, 1e-9);
    expect_double(F(c, "minZ", wkt(E25832 "LINESTRING Z (726000 5432000 334.46, 726300 5432400 345.622)")), 334.46, 1e-9);
    expect_double(F(c, "maxZ", wkt(E25832 "LINESTRING Z (726000 5432000 334.46, 726300 5432400 345.622)")), 345.622, 1e-9);
    expect_error(F(c, "maxZ", wkt(S)));
    expect_lit(F(c, "asWKT", wkt(S)),
               E25832 "POLYGON ((726000 5432000, 726100 5432000, 726100 5432100, 726000 5432100, 726000 5432000))",
               GEO_WKT_LITERAL);
}

/* ---- aggregates ------------------------------------------------------------ */

static sparql_value aggregate(sparql_func_ctx *ctx, const char *name, sparql_value *values, size_t n)
{
    const sparql_ext_aggregate *a = sparql_aggregate_lookup(name);
    assert_non_null(a);
    sparql_value r;
    bool ok = a->fn(values, n, &r, ctx, a->userdata);
    assert_int_equal(ok, !sparql_value_is_error(&r));
    return r;
}

static void test_aggregates(void **state)
{
    void *c = *state;
    sparql_value v[3] = {wkt(S), wkt(O), wkt(D)};
    /* hand: S ∪ O is 150 x 100 m, D is apart: 25000 m² */
    expect_double(F(c, "area", aggregate(c, GEOF("aggUnion"), v, 3)), 25000, 1e-6);
    /* the three span x 726000..726400, y 5432000..5432100 */
    expect_double(F(c, "area", aggregate(c, GEOF("aggBoundingBox"), v, 3)), 40000, 1e-6);
    expect_double(F(c, "area", aggregate(c, GEOF("aggConvexHull"), v, 3)), 40000, 1e-6);
    /* GEOS weighs each part by its area (10000 m² each): the mean of the
     * centres 726050, 726100, 726350 */
    sparql_value centroid = aggregate(c, GEOF("aggCentroid"), v, 3);
    expect_double(F(c, "minX", centroid), (726050.0 + 726100 + 726350) / 3, 1e-6);
    /* radius: half the diagonal of 400 x 100 m; the 32-gon is within 1 % */
    double radius = sqrt(200.0 * 200 + 50 * 50);
    expect_double(F(c, "area", aggregate(c, GEOF("aggBoundingCircle"), v, 3)), M_PI * radius * radius,
                  M_PI * radius * radius * 0.01);
    sparql_value hull = aggregate(c, GEOF("aggConvexHull"), v, 3);
    expect_bool(F(c, "sfWithin", aggregate(c, GEOF("aggConcaveHull"), v, 3), hull), true);
    for (int i = 0; i < 3; i++)
        sparql_value_clear(&v[i]);
    /* mixed CRSs: the result is in the first value's CRS (CRS84 here) */
    sparql_value mixed[2] = {wkt("POINT(12.090743648 48.999916228)"), wkt(D)};
    sparql_value u = aggregate(c, GEOF("aggUnion"), mixed, 2);
    expect_lit(F(c, "getSRID", u), "http://www.opengis.net/def/crs/OGC/1.3/CRS84", XSD("anyURI"));
    sparql_value_clear(&mixed[0]);
    sparql_value_clear(&mixed[1]);
    sparql_value bad[2] = {wkt(S), str("not a geometry")};
    expect_error(aggregate(c, GEOF("aggUnion"), bad, 2));
    sparql_value_clear(&bad[0]);
    sparql_value_clear(&bad[1]);
}

/* The cache's table grows while a call holds a geometry from it: the held
 * geometry must stay valid (ASan catches a dangling one). */
static void test_cache_survives_growth(void **state)
{
    void *c = *state;
    for (int i = 0; i < 300; i++) {
        char point[96];
        snprintf(point, sizeof point, E25832 "POINT(%d 5432050)", 725900 + i);
        /* S is looked up first, then a new point grows the table */
        expect_bool(F(c, "sfContains", wkt(S), wkt(point)), i > 100 && i < 200);
    }
}

static void test_registered(void **state)
{
    (void)state;
    size_t n;
    const sparql_ext_function *f = geo_functions(&n);
    assert_int_equal(n, 65); /* 24 relations, relate and 40 non-topological functions */
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(sparql_function_lookup(f[i].iri)->fn, f[i].fn);
    assert_int_equal(geo_relation_by_name("rcc8ntppi"), 23);
    assert_int_equal(geo_relation_by_name("sfNope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transform_matches_cs2cs),
        cmocka_unit_test(test_epsg4326_is_lat_lon),
        cmocka_unit_test(test_geojson),
        cmocka_unit_test(test_invalid_input_is_an_error),
        cmocka_unit_test(test_simple_features),
        cmocka_unit_test(test_egenhofer_and_rcc8),
        cmocka_unit_test(test_relations_across_crs),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_area_length_perimeter),
        cmocka_unit_test(test_buffer),
        cmocka_unit_test(test_set_operations),
        cmocka_unit_test(test_hulls_envelope_boundary_centroid),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_aggregates),
        cmocka_unit_test(test_cache_survives_growth),
        cmocka_unit_test(test_registered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
