/*
 * test_spatial_index.c — the store's envelope index (core/spatial_index.h):
 * envelopes read from WKT and GeoJSON text, searches against a brute-force
 * scan of the same envelopes, persistence, growth by later transactions,
 * and the build of the index of a store that had none.
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

typedef struct {
    char dir[64];
    ck_store *store;
    ck_id ids[N_GEOMETRIES];
    ck_envelope env[N_GEOMETRIES];
    uint32_t crs[N_GEOMETRIES];
} fixture;

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static double uniform(double lo, double hi)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

/* Interns geometries from..to-1: EPSG:25832 rectangles of 1 m .. 2 km
 * around Regensburg and CRS84 points, so that several grid levels are used. */
static void add_geometries(fixture *f, size_t from, size_t to)
{
    ck_txn *txn;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(f->store, &txn, &err), CK_OK);
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
    ck_id found[N_GEOMETRIES];
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

/* Searches random windows of both CRSs and compares with brute force. */
static void compare_with_brute_force(fixture *f, size_t n_geometries)
{
    ck_txn *txn;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(f->store, &txn, &err), CK_OK);
    assert_true(ck_spatial_ready(txn));
    static hits h;
    for (int q = 0; q < 200; q++) {
        bool metric = q % 2 == 0;
        uint32_t crs = metric ? 25832 : 0;
        double size = metric ? uniform(1, 5000) : uniform(0.0001, 0.05);
        double x = metric ? uniform(714000, 731000) : uniform(11.99, 12.2);
        double y = metric ? uniform(5424000, 5441000) : uniform(48.94, 49.05);
        ck_envelope w = {x, y, x + size, y + size};
        h.n = 0;
        uint64_t visited;
        assert_int_equal(ck_spatial_search(txn, crs, &w, note_hit, &h, &visited, &err), CK_OK);
        size_t expected = 0;
        for (size_t i = 0; i < n_geometries; i++) {
            if (f->crs[i] != crs || !meets(&f->env[i], &w))
                continue;
            expected++;
            bool seen = false;
            for (size_t k = 0; k < h.n && !seen; k++)
                seen = h.found[k] == f->ids[i];
            assert_true(seen);
        }
        assert_int_equal(h.n, expected);
        assert_true(visited >= h.n);
    }
    uint32_t codes[4];
    size_t n;
    assert_int_equal(ck_spatial_crs_codes(txn, codes, 4, &n, &err), CK_OK);
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

/* A store whose index is gone (as one made before the index existed) gets
 * it rebuilt from the dictionary when opened for writing; read-only it has
 * none. */
static void test_rebuild_of_an_older_store(void **state)
{
    fixture *f = *state;
    ck_store_close(f->store);
    f->store = NULL;
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta, spatial;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
    assert_int_equal(mdb_env_set_mapsize(env, (size_t)1 << 30), 0);
    assert_int_equal(mdb_env_open(env, f->dir, MDB_NOTLS, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_dbi_open(txn, "spatial", 0, &spatial), 0);
    MDB_val key = {strlen("spatial_index"), "spatial_index"};
    assert_int_equal(mdb_del(txn, meta, &key, NULL), 0);
    assert_int_equal(mdb_drop(txn, spatial, 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    ck_error err;
    ck_txn *rt;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    assert_int_equal(ck_txn_begin_read(f->store, &rt, &err), CK_OK);
    assert_false(ck_spatial_ready(rt));
    ck_txn_abort(rt);
    ck_store_close(f->store);
    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    compare_with_brute_force(f, N_GEOMETRIES / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelopes_from_text),
        cmocka_unit_test_setup_teardown(test_search_matches_brute_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_later_transactions_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_of_an_older_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
