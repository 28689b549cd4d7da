/*
 * test_spatial_index.c — the store's envelope index (core/spatial_index.h):
 * envelopes read from WKT and GeoJSON text, searches against a brute-force
 * scan of the same envelopes, persistence, growth by later transactions,
 * and the build of the index of a store that had none. The graph grid:
 * searches restricted to sets of graphs against the same brute force over
 * the geometries those graphs' quads use, after adds and removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial_index.h"
#include "store.h"
#define STORE_FIXTURE_HELPERS_ONLY
#include "store_fixture.h"

#define E25832 "<http://www.opengis.net/def/crs/EPSG/0/25832> "

static bool envelope_of(const char *datatype, const char *lex, uint32_t *crs, ck_envelope *e)
{
    return ck_geometry_envelope(datatype, strlen(datatype), lex, strlen(lex), crs, e);
}

static void expect_envelope(const ck_envelope *e, double x0, double y0, double x1, double y1)
{
    assert_true(e->x0 == x0 && e->y0 == y0 && e->x1 == x1 && e->y1 == y1);
}

static void test_envelopes_from_text(void **state)
{
    (void)state;
    uint32_t crs;
    ck_envelope e;
    assert_true(envelope_of(CK_GEO_WKT_LITERAL,
                            E25832 "POLYGON((721884.055 5432485.791, 721892.538 5432473.757, 721901.990 5432480.311, "
                                   "721884.055 5432485.791))", &crs, &e));
    assert_int_equal(crs, 25832);
    expect_envelope(&e, 721884.055, 5432473.757, 721901.990, 5432485.791);
    /* no IRI: CRS84; Z values are not y */
    assert_true(envelope_of(CK_GEO_WKT_LITERAL, "LINESTRING Z (12.1 49.0 339, 12.2 48.9 340)", &crs, &e));
    assert_int_equal(crs, 0);
    expect_envelope(&e, 12.1, 48.9, 12.2, 49.0);
    /* EPSG:4326 keeps the text's order (latitude first) */
    assert_true(envelope_of(CK_GEO_WKT_LITERAL, "<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(49.01 12.09)", &crs, &e));
    assert_int_equal(crs, 4326);
    expect_envelope(&e, 49.01, 12.09, 49.01, 12.09);
    assert_true(envelope_of(CK_GEO_WKT_LITERAL, "MULTIPOINT((1e1 -2.5E0), (3 4))", &crs, &e));
    expect_envelope(&e, 3, -2.5, 10, 4);
    assert_false(envelope_of(CK_GEO_WKT_LITERAL, "POINT EMPTY", &crs, &e));
    assert_false(envelope_of(CK_GEO_WKT_LITERAL, "", &crs, &e));
    assert_false(envelope_of(CK_GEO_WKT_LITERAL, "<http://example.org/my-crs> POINT(1 2)", &crs, &e));
    assert_false(envelope_of("http://www.w3.org/2001/XMLSchema#string", "POINT(1 2)", &crs, &e));
    /* GeoJSON: positions are the innermost arrays; strings are skipped */
    assert_true(envelope_of(CK_GEO_GEOJSON_LITERAL,
                            "{\"type\":\"Polygon\",\"coordinates\":[[[12.1,49.0],[12.3,49.0],[12.3,49.2,7],[12.1,49.0]]]}",
                            &crs, &e));
    assert_int_equal(crs, 0);
    expect_envelope(&e, 12.1, 49.0, 12.3, 49.2);
    assert_true(envelope_of(CK_GEO_GEOJSON_LITERAL,
                            "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]},"
                            "{\"type\":\"Point\",\"name\":\"[9,9]\",\"coordinates\":[-1,5]}]}", &crs, &e));
    expect_envelope(&e, -1, 2, 1, 5);
    assert_false(envelope_of(CK_GEO_GEOJSON_LITERAL, "{\"type\":\"Point\",\"coordinates\":[]}", &crs, &e));
}

/* ---- a store with geometries -------------------------------------------------- */

#define N_GEOMETRIES 3000
#define N_GRAPHS 4 /* the default graph and three named ones */
#define AS_WKT "http://www.opengis.net/ont/geosparql#asWKT"

typedef struct {
    char dir[64];
    ck_store *store;
    ck_id ids[N_GEOMETRIES];
    ck_envelope env[N_GEOMETRIES];
    uint32_t crs[N_GEOMETRIES];
    unsigned in_graphs[N_GEOMETRIES]; /* bit k: graph k has a quad with it as object */
    ck_id graph[N_GRAPHS];            /* ascending; graph[0] is the default graph */
} fixture;

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static double uniform(double lo, double hi)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

/* The quads of geometry i: feature i asWKT it, in the graphs of mask. */
static size_t geometry_quads(fixture *f, ck_txn *txn, size_t i, unsigned mask, ck_quad *out)
{
    ck_id feature = intern_iri_n(txn, "https://city.example/feature/%u", (unsigned)i);
    ck_id as_wkt = intern_iri_n(txn, AS_WKT, 0);
    size_t n = 0;
    for (int g = 0; g < N_GRAPHS; g++)
        if (mask & (1u << g))
            out[n++] = (ck_quad){f->graph[g], feature, as_wkt, f->ids[i]};
    return n;
}

/* Interns geometries from..to-1: EPSG:25832 rectangles of 1 m .. 2 km
 * around Regensburg and CRS84 points, so that several grid levels are used.
 * Most are the object of a quad in one or two graphs; every seventh is in
 * no quad (the dictionary keeps it, the graph grid has nothing). */
static void add_geometries(fixture *f, size_t from, size_t to)
{
    ck_txn *txn;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(f->store, &txn, &err), CK_OK);
    if (!f->graph[1])
        for (int g = 1; g < N_GRAPHS; g++)
            f->graph[g] = intern_iri_n(txn, "https://city.example/graph/%u", (unsigned)g);
    for (size_t i = from; i < to; i++) {
        char text[256];
        if (i % 3 == 0) {
            double x = uniform(12.0, 12.2), y = uniform(48.95, 49.05);
            snprintf(text, sizeof text, "POINT(%.7f %.7f)", x, y);
            f->env[i] = (ck_envelope){0};
        } else {
            double size = i % 3 == 1 ? uniform(1, 30) : uniform(30, 2000);
            double x = uniform(715000, 730000), y = uniform(5425000, 5440000);
            snprintf(text, sizeof text, E25832 "POLYGON((%.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f))", x, y,
                     x + size, y, x + size, y + size / 2, x, y);
        }
        ck_term t = {CK_TERM_LITERAL, text, strlen(text), CK_GEO_WKT_LITERAL, strlen(CK_GEO_WKT_LITERAL), NULL, 0};
        assert_int_equal(ck_term_intern(txn, &t, &f->ids[i], &err), CK_OK);
        assert_true(ck_geometry_envelope(t.datatype, t.datatype_len, text, strlen(text), &f->crs[i], &f->env[i]));
        f->in_graphs[i] = i % 7 == 0 ? 0 : 1u << (i % N_GRAPHS) | (i % 5 == 0 ? 1u << ((i + 1) % N_GRAPHS) : 0);
        ck_quad q[N_GRAPHS];
        size_t n = geometry_quads(f, txn, i, f->in_graphs[i], q);
        if (n)
            assert_int_equal(ck_quads_add(txn, q, n, NULL, &err), CK_OK);
    }
    assert_int_equal(ck_txn_commit(txn, &err), CK_OK);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    temp_store_open(f->dir, &f->store);
    add_geometries(f, 0, N_GEOMETRIES / 2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    temp_store_remove(f->dir, f->store);
    free(f);
    return 0;
}

typedef struct {
    ck_id found[2 * N_GEOMETRIES]; /* a geometry comes once per graph */
    size_t n;
} hits;

static bool note_hit(void *arg, ck_id id, const ck_envelope *e)
{
    (void)e;
    hits *h = arg;
    h->found[h->n++] = id;
    return true;
}

static bool meets(const ck_envelope *a, const ck_envelope *b)
{
    return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

/* A random window of one of the two CRSs. */
static ck_envelope random_window(int q, uint32_t *crs)
{
    bool metric = q % 2 == 0;
    *crs = metric ? 25832 : 0;
    double size = metric ? uniform(1, 5000) : uniform(0.0001, 0.05);
    double x = metric ? uniform(714000, 731000) : uniform(11.99, 12.2);
    double y = metric ? uniform(5424000, 5441000) : uniform(48.94, 49.05);
    return (ck_envelope){x, y, x + size, y + size};
}

/* Searches random windows of both CRSs, in the whole store and in random
 * sets of graphs, and compares with brute force. */
static void compare_with_brute_force(fixture *f, size_t n_geometries)
{
    ck_txn *txn;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(f->store, &txn, &err), CK_OK);
    assert_true(ck_spatial_ready(txn, NULL));
    static hits h;
    for (int q = 0; q < 400; q++) {
        uint32_t crs;
        ck_envelope w = random_window(q, &crs);
        /* every other search restricted to a random set of graphs */
        unsigned set_mask = (q / 2) % 2 ? 1 + (unsigned)(uniform(0, 1) * ((1u << N_GRAPHS) - 1)) % 15 : 0;
        ck_id named[N_GRAPHS];
        ck_graph_set set = {named, 0, set_mask & 1};
        for (int g = 1; g < N_GRAPHS; g++)
            if (set_mask & (1u << g))
                named[set.n++] = f->graph[g];
        assert_true(ck_spatial_ready(txn, &set));
        h.n = 0;
        uint64_t visited;
        assert_int_equal(ck_spatial_search(txn, set_mask ? &set : NULL, crs, &w, note_hit, &h, &visited, &err),
                         CK_OK);
        size_t expected = 0;
        for (size_t i = 0; i < n_geometries; i++) {
            if (f->crs[i] != crs || !meets(&f->env[i], &w))
                continue;
            /* restricted: once per graph of the set that uses it */
            size_t want = set_mask ? (size_t)__builtin_popcount(f->in_graphs[i] & set_mask) : 1;
            size_t seen = 0;
            for (size_t k = 0; k < h.n; k++)
                seen += h.found[k] == f->ids[i];
            assert_int_equal(seen, want);
            expected += want;
        }
        assert_int_equal(h.n, expected);
        assert_true(visited >= h.n);
    }
    uint32_t codes[4];
    size_t n;
    assert_int_equal(ck_spatial_crs_codes(txn, NULL, codes, 4, &n, &err), CK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(codes[0], 0);
    assert_int_equal(codes[1], 25832);
    ck_txn_abort(txn);
}

static void test_search_matches_brute_force(void **state)
{
    compare_with_brute_force(*state, N_GEOMETRIES / 2);
}

static void test_later_transactions_and_reopen(void **state)
{
    fixture *f = *state;
    add_geometries(f, N_GEOMETRIES / 2, N_GEOMETRIES);
    compare_with_brute_force(f, N_GEOMETRIES);
    ck_store_close(f->store);
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    compare_with_brute_force(f, N_GEOMETRIES);
}

/* Removing quads removes a graph's entry of a geometry only with the
 * graph's last quad that has it as object. */
static void test_graph_grid_follows_removals(void **state)
{
    fixture *f = *state;
    ck_txn *txn;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(f->store, &txn, &err), CK_OK);
    ck_id as_wkt = intern_iri_n(txn, AS_WKT, 0);
    size_t kept = 0, gone = 0;
    for (size_t i = 0; i < N_GEOMETRIES / 2; i++) {
        unsigned mask = f->in_graphs[i];
        if (!mask || i % 3 == 2)
            continue;
        int g = __builtin_ctz(mask);
        ck_quad q[N_GRAPHS];
        geometry_quads(f, txn, i, 1u << g, q);
        if (i % 3 == 1) {
            /* a second feature with the same geometry in the same graph */
            ck_id other = intern_iri_n(txn, "https://city.example/other-feature/%u", (unsigned)i);
            ck_quad extra = {f->graph[g], other, as_wkt, f->ids[i]};
            assert_int_equal(ck_quads_add(txn, &extra, 1, NULL, &err), CK_OK);
            kept++;
        } else {
            f->in_graphs[i] &= ~(1u << g);
            gone++;
        }
        size_t removed;
        assert_int_equal(ck_quads_remove(txn, q, 1, &removed, &err), CK_OK);
        assert_int_equal(removed, 1);
    }
    assert_int_equal(ck_txn_commit(txn, &err), CK_OK);
    assert_true(kept > 100 && gone > 100);
    compare_with_brute_force(f, N_GEOMETRIES / 2);
}

/* Drops one grid of the store and its completeness flag, as in a store
 * made before that grid existed. */
static void drop_grid(fixture *f, const char *db, const char *flag)
{
    ck_store_close(f->store);
    f->store = NULL;
    raw_drop_database(f->dir, db, flag, false);
}

/* Whether the whole-store grid and the graph grid are complete. */
static void expect_ready(fixture *f, bool whole, bool graphs)
{
    ck_txn *rt;
    ck_error err;
    ck_graph_set set = {NULL, 0, true};
    assert_int_equal(ck_txn_begin_read(f->store, &rt, &err), CK_OK);
    assert_int_equal(ck_spatial_ready(rt, NULL), whole);
    assert_int_equal(ck_spatial_ready(rt, &set), graphs);
    ck_txn_abort(rt);
}

/* A store whose index is gone (as one made before the index existed) gets
 * it rebuilt from the dictionary when opened for writing, and its graph
 * grid from the quads; read-only it has none. */
static void test_rebuild_of_an_older_store(void **state)
{
    fixture *f = *state;
    drop_grid(f, "spatial_graphs", "spatial_graph_index");
    drop_grid(f, "spatial", "spatial_index");
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    expect_ready(f, false, false);
    ck_store_close(f->store);
    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    expect_ready(f, true, true);
    compare_with_brute_force(f, N_GEOMETRIES / 2);
}

/* A store made when only the whole-store grid existed: read-only, a
 * restricted caller has no index (and does without); opened for writing,
 * the graph grid is built from the quads. */
static void test_rebuild_of_the_graph_grid(void **state)
{
    fixture *f = *state;
    drop_grid(f, "spatial_graphs", "spatial_graph_index");
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    expect_ready(f, true, false);
    ck_store_close(f->store);
    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    expect_ready(f, true, true);
    compare_with_brute_force(f, N_GEOMETRIES / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelopes_from_text),
        cmocka_unit_test_setup_teardown(test_search_matches_brute_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_later_transactions_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph_grid_follows_removals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_of_an_older_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_of_the_graph_grid, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
