/*
 * test_geo_wkt.c — the fast WKT reader (sparql/geo_wkt.c) against GEOS's
 * own reader: for every form it takes, the same geometry (type, every
 * coordinate exactly); for every form it leaves to GEOS, NULL. The real
 * footprints of data/demo/buildings.ttl (CITYKG_DEMO) are read both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "geo_wkt.h"

static GEOSContextHandle_t h;
static GEOSWKTReader *reader;

static void same_as_geos(const char *wkt)
{
    GEOSGeometry *fast = geo_wkt_read_fast(h, wkt);
    GEOSGeometry *slow = GEOSWKTReader_read_r(h, reader, wkt);
    if (!fast || !slow)
        fail_msg("%s: fast %p, GEOS %p", wkt, (void *)fast, (void *)slow);
    assert_int_equal(GEOSGeomTypeId_r(h, fast), GEOSGeomTypeId_r(h, slow));
    assert_int_equal(GEOSGetNumCoordinates_r(h, fast), GEOSGetNumCoordinates_r(h, slow));
    if (GEOSEqualsExact_r(h, fast, slow, 0.0) != 1)
        fail_msg("%s: the geometries differ", wkt);
    GEOSGeom_destroy_r(h, fast);
    GEOSGeom_destroy_r(h, slow);
}

static void left_to_geos(const char *wkt)
{
    GEOSGeometry *fast = geo_wkt_read_fast(h, wkt);
    if (fast)
        fail_msg("%s: the fast reader should have declined", wkt);
}

static void forms_it_reads(void **state)
{
    (void)state;
    same_as_geos("POINT(12.101358 49.017045)");
    same_as_geos("  point ( -1.5e2   +3 ) ");
    same_as_geos("LINESTRING(0 0, 1 1, 2 0.5)");
    same_as_geos("POLYGON((721500 5432300, 722100 5432300, 722100 5432700, 721500 5432700, "
                 "721500 5432300))");
    same_as_geos("Polygon ((0 0,10 0,10 10,0 10,0 0),(2 2,2 3,3 3,3 2,2 2),(5 5,5 6,6 6,5 5))");
    same_as_geos("MULTIPOINT((1 2), (3 4))");
    same_as_geos("MULTILINESTRING((0 0, 1 1), (2 2, 3 3, 4 2))");
    same_as_geos("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), "
                 "(5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)))");
    same_as_geos("POINT(0.1 0.30000000000000004)");
}

static void forms_it_leaves_to_geos(void **state)
{
    (void)state;
    left_to_geos("POINT Z (1 2 3)");
    left_to_geos("POINT(1 2 3)");
    left_to_geos("LINESTRING M (0 0 1, 1 1 2)");
    left_to_geos("POINT EMPTY");
    left_to_geos("POLYGON EMPTY");
    left_to_geos("GEOMETRYCOLLECTION(POINT(1 2))");
    left_to_geos("MULTIPOINT(1 2, 3 4)");
    left_to_geos("POLYGON((0 0, 1 1))");        /* not a ring: GEOS says why */
    left_to_geos("LINESTRING(1 2)");            /* one point: GEOS refuses it too */
    left_to_geos("POLYGON((0 0, 1 0, 1 1, 0 1))"); /* not closed */
    left_to_geos("POINT(1 2) trailing");
    left_to_geos("POINT(1 2");
    left_to_geos("POINT(1, 2)");
    left_to_geos("POINT(1 2, 3 4)");
    left_to_geos("MULTIPOINT((1 2), )");
    left_to_geos("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)),)");
    left_to_geos("TRIANGLE((0 0, 1 0, 1 1, 0 0))");
    left_to_geos("");
}

/* Every footprint of the demo buildings, read both ways. */
static void real_footprints(void **state)
{
    (void)state;
    const char *demo = getenv("CITYKG_DEMO");
    assert_non_null(demo);
    char path[4096];
    snprintf(path, sizeof path, "%s/buildings.ttl", demo);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[65536];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char *start = strstr(line, "> POLYGON");
        char *end = start ? strstr(start, "\"^^geo:wktLiteral") : NULL;
        if (!end)
            continue;
        *end = 0;
        same_as_geos(start + 2);
        n++;
    }
    fclose(f);
    assert_true(n > 900); /* 958 buildings, one footprint each */
}

int main(void)
{
    h = GEOS_init_r();
    reader = GEOSWKTReader_create_r(h);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forms_it_reads),
        cmocka_unit_test(forms_it_leaves_to_geos),
        cmocka_unit_test(real_footprints),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    GEOSWKTReader_destroy_r(h, reader);
    GEOS_finish_r(h);
    return failed;
}
