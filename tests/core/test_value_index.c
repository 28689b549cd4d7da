/* Unit tests of the value index (core/value_index.h) on real stores:
 * after random adds and removes over several transactions, ck_values_subjects
 * gives, for random value ranges, exactly the subjects a brute force over
 * a model of the quads gives; its over answer and rows read match the
 * rows in the range; a store whose index is gone (as one made before it)
 * has none read-only and gets it built on a writable open; `citykg check`
 * sees an index that differs from the quads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lmdb.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#define STORE_FIXTURE_HELPERS_ONLY
#include "store_fixture.h"
#include "value_index.h"


#define XSD "http://www.w3.org/2001/XMLSchema#"

/* The objects, with the value the index must give them (numeric false: no
 * row). Written by hand, not computed as value_index.c does. */
typedef struct {
    const char *text;     /* lexical form, or an IRI */
    const char *datatype; /* NULL: xsd:string; "iri": an IRI */
    bool numeric;
    double value;
} object;

static const object objects[] = {
    {"95", XSD "integer", true, 95},                 /* inline integer */
    {"-7", XSD "integer", true, -7},
    {"0", XSD "integer", true, 0},
    {"100", XSD "integer", true, 100},
    {"007", XSD "integer", true, 7},                 /* not canonical: dictionary */
    {"1152921504606846976", XSD "integer", true, 1152921504606846976.0}, /* 2^60: dictionary */
    {"95.5", XSD "decimal", true, 95.5},             /* inline number */
    {"-0.25", XSD "decimal", true, -0.25},
    {"94.99", XSD "decimal", true, 94.99},
    {"95.0000000000000000001", XSD "decimal", true, 95.0}, /* too long: dictionary */
    {"1e5", XSD "decimal", false, 0},                /* no exponent in a decimal */
    {"0." "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "1",
     XSD "decimal", true, 1e-71},                    /* longer than strtod's stack buffer */
    {"12345678901234567890", XSD "nonNegativeInteger", true, 12345678901234567890.0},
    {"1e400", XSD "double", true, INFINITY},         /* beyond double: INF */
    {"9.6E1", XSD "double", true, 96},               /* inline scientific */
    {"-1.5E-3", XSD "double", true, -0.0015},
    {"1.23456789012345678E2", XSD "double", true, 123.456789012345678}, /* dictionary */
    {"-0.0", XSD "double", true, 0},
    {"NaN", XSD "double", true, NAN},
    {"INF", XSD "double", true, INFINITY},
    {"-INF", XSD "double", true, -INFINITY},
    {"0.1", XSD "float", true, (double)0.1f},         /* a float's value is a float */
    {"97", XSD "int", true, 97},                     /* derived types: dictionary */
    {" 98 ", XSD "int", true, 98},                   /* XSD whitespace */
    {"+99", XSD "short", true, 99},
    {"12", XSD "unsignedByte", true, 12},
    {"1.5", XSD "int", false, 0},                    /* not an integer */
    {"abc", XSD "int", false, 0},
    {"INF", XSD "decimal", false, 0},
    {"95", NULL, false, 0},                          /* strings */
    {"a long string, not inlined", NULL, false, 0},
    {"2024-01-01T00:00:00Z", XSD "dateTime", false, 0},
    {"true", XSD "boolean", false, 0},
    {"http://example.org/thing", "iri", false, 0},
};
#define NOBJ (sizeof objects / sizeof *objects)
#define NSUBJ 12
#define NPRED 3
#define NGRAPH 3 /* the default graph and two named ones */

typedef struct {
    char dir[64];
    ck_store *store;
    ck_id s[NSUBJ], p[NPRED], g[NGRAPH], o[NOBJ];
    bool model[NGRAPH][NSUBJ][NPRED][NOBJ];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    temp_store_open(f->dir, &f->store);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    for (unsigned i = 0; i < NSUBJ; i++)
        f->s[i] = intern_iri_n(t, "http://example.org/s%u", i);
    for (unsigned i = 0; i < NPRED; i++)
        f->p[i] = intern_iri_n(t, "http://example.org/p%u", i);
    f->g[0] = CK_DEFAULT_GRAPH;
    for (unsigned i = 1; i < NGRAPH; i++)
        f->g[i] = intern_iri_n(t, "http://example.org/g%u", i);
    for (size_t i = 0; i < NOBJ; i++) {
        const object *ob = &objects[i];
        bool iri = ob->datatype && strcmp(ob->datatype, "iri") == 0;
        ck_term term = {iri ? CK_TERM_IRI : CK_TERM_LITERAL, ob->text, strlen(ob->text),
                        iri ? NULL : ob->datatype, ob->datatype && !iri ? strlen(ob->datatype) : 0,
                        NULL, 0};
        must(ck_term_intern(t, &term, &f->o[i], &err), &err);
    }
    must(ck_txn_commit(t, &err), &err);
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

/* Adds (add) or removes the model's quad and the store's. */
static void change(fixture *f, ck_txn *t, bool add, unsigned g, unsigned s, unsigned p, unsigned o)
{
    ck_quad q = {f->g[g], f->s[s], f->p[p], f->o[o]};
    ck_error err;
    must(add ? ck_quads_add(t, &q, 1, NULL, &err) : ck_quads_remove(t, &q, 1, NULL, &err), &err);
    f->model[g][s][p][o] = add;
}

/* Random changes in batches (several quads per call, as a load does). */
static void random_changes(fixture *f, ck_txn *t, unsigned n, unsigned add_percent)
{
    ck_quad batch[16];
    for (unsigned done = 0; done < n;) {
        bool add = rnd() % 100 < add_percent;
        size_t k = 0;
        for (; k < 1 + rnd() % 16; k++) {
            unsigned g = rnd() % NGRAPH, s = rnd() % NSUBJ, p = rnd() % NPRED, o = rnd() % NOBJ;
            batch[k] = (ck_quad){f->g[g], f->s[s], f->p[p], f->o[o]};
            f->model[g][s][p][o] = add;
        }
        ck_error err;
        must(add ? ck_quads_add(t, batch, k, NULL, &err) : ck_quads_remove(t, batch, k, NULL, &err), &err);
        done += (unsigned)k;
    }
}

/* The brute force: subjects (as bits over f->s) of p with a value in
 * [lo, hi], and the number of distinct (s, o) rows in the range. */
static void brute_force(const fixture *f, unsigned p, double lo, double hi, bool subj[NSUBJ], size_t *rows)
{
    *rows = 0;
    for (unsigned s = 0; s < NSUBJ; s++) {
        subj[s] = false;
        for (unsigned o = 0; o < NOBJ; o++) {
            bool any = false;
            for (unsigned g = 0; g < NGRAPH; g++)
                any = any || f->model[g][s][p][o];
            double v = objects[o].value;
            if (any && objects[o].numeric && lo <= v && v <= hi) {
                subj[s] = true;
                (*rows)++;
            }
        }
    }
}

static double random_bound(void)
{
    static const double interesting[] = {-INFINITY, -7, -1, -0.0, 0, 0.1, 7, 94.99, 95, 95.5,
                                         96, 98, 100, 123.456789012345678, 1e19, INFINITY};
    size_t n = sizeof interesting / sizeof *interesting;
    if (rnd() % 4 == 0)
        return (double)(rnd() % 20000) / 100.0 - 50.0;
    return interesting[rnd() % n];
}

/* ck_values_subjects equals the brute force for random ranges, with an
 * over answer exactly when the range has more than max rows. */
static void compare_with_brute_force(fixture *f, ck_txn *t, unsigned ranges)
{
    for (unsigned i = 0; i < ranges; i++) {
        unsigned p = rnd() % NPRED;
        double lo = random_bound(), hi = random_bound();
        if (rnd() % 8 && lo > hi) {
            double x = lo;
            lo = hi, hi = x;
        }
        bool subj[NSUBJ];
        size_t rows;
        brute_force(f, p, lo, hi, subj, &rows);
        ck_id *out;
        size_t n;
        bool over;
        uint64_t read;
        ck_error err;
        must(ck_values_subjects(t, f->p[p], lo, hi, SIZE_MAX, &out, &n, &over, &read, &err), &err);
        assert_false(over);
        assert_int_equal(read, rows);
        size_t expect = 0;
        for (unsigned s = 0; s < NSUBJ; s++)
            expect += subj[s];
        if (n != expect)
            fail_msg("p%u in [%g, %g]: %zu subjects, the quads have %zu", p, lo, hi, n, expect);
        for (size_t k = 0; k < n; k++) {
            if (k)
                assert_true(out[k - 1] < out[k]);
            unsigned s = 0;
            while (s < NSUBJ && f->s[s] != out[k])
                s++;
            if (s == NSUBJ || !subj[s])
                fail_msg("p%u in [%g, %g]: subject %llu is not in the range", p, lo, hi,
                         (unsigned long long)out[k]);
        }
        free(out);
        /* unordered: one subject per row in the range, none left out */
        must(ck_values_subjects_unordered(t, f->p[p], lo, hi, SIZE_MAX, &out, &n, &over, &read, &err), &err);
        assert_int_equal(n, rows);
        for (size_t k = 0; k < n; k++) {
            unsigned s = 0;
            while (s < NSUBJ && f->s[s] != out[k])
                s++;
            assert_true(s < NSUBJ && subj[s]);
        }
        free(out);
        /* a few rows fit in one block: the estimate is exact */
        uint64_t est;
        must(ck_values_estimate(t, f->p[p], lo, hi, UINT64_MAX, &est, &err), &err);
        assert_int_equal(est, rows);
        if (rows == 0)
            continue;
        /* max: the rows in the range are just allowed; one fewer is over */
        must(ck_values_subjects(t, f->p[p], lo, hi, rows, &out, &n, &over, &read, &err), &err);
        assert_false(over);
        assert_int_equal(n, expect);
        free(out);
        must(ck_values_subjects(t, f->p[p], lo, hi, rows - 1, &out, &n, &over, &read, &err), &err);
        assert_true(over);
        assert_null(out);
        assert_int_equal(n, 0);
        assert_int_equal(read, rows);
    }
}

/* Over many blocks the estimate counts blocks by key: within a block's
 * rows of the truth for ranges of uniform values, exact for an empty one,
 * and it stops counting once past max. */
static void test_estimate_over_blocks(void **state)
{
    fixture *f = *state;
    enum { N = 30000 };
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    ck_quad *quads = calloc(N, sizeof *quads);
    assert_non_null(quads);
    for (unsigned i = 0; i < N; i++) {
        char value[16];
        snprintf(value, sizeof value, "%u", i);
        ck_term term = {CK_TERM_LITERAL, value, strlen(value), XSD "integer", strlen(XSD "integer"), NULL, 0};
        quads[i].g = CK_DEFAULT_GRAPH;
        quads[i].s = intern_iri_n(t, "http://example.org/many/%u", i);
        quads[i].p = f->p[0];
        must(ck_term_intern(t, &term, &quads[i].o, &err), &err);
    }
    must(ck_quads_add(t, quads, N, NULL, &err), &err);
    free(quads);
    must(ck_txn_commit(t, &err), &err);
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    const double ranges[][2] = {{1000, 20999}, {0, N - 1}, {29000, INFINITY}, {-INFINITY, 99}, {15000, 15000}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
        double lo = ranges[r][0], hi = ranges[r][1];
        double truth = (hi < N - 1 ? hi : N - 1) - (lo > 0 ? lo : 0) + 1;
        uint64_t est;
        must(ck_values_estimate(t, f->p[0], lo, hi, UINT64_MAX, &est, &err), &err);
        /* rows take more bytes where values are far apart: the first
         * block's density is off by some percent elsewhere */
        if (fabs((double)est - truth) > 0.15 * truth)
            fail_msg("[%g, %g]: estimate %llu, truth %.0f", lo, hi, (unsigned long long)est, truth);
    }
    uint64_t est;
    must(ck_values_estimate(t, f->p[0], 1e9, INFINITY, UINT64_MAX, &est, &err), &err);
    assert_int_equal(est, 0);
    must(ck_values_estimate(t, f->p[1], 0, INFINITY, UINT64_MAX, &est, &err), &err);
    assert_int_equal(est, 0); /* p1 has no quads here */
    must(ck_values_estimate(t, f->p[0], 0, INFINITY, 5000, &est, &err), &err);
    assert_true(est > 5000 && est < 8000); /* stopped soon after max */
    ck_txn_abort(t);
}

static void compare_read(fixture *f, unsigned ranges)
{
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    assert_true(ck_values_ready(t));
    compare_with_brute_force(f, t, ranges);
    must(ck_store_check(t, NULL, &err), &err);
    ck_txn_abort(t);
}

/* Random adds and removes over several transactions, compared after each
 * batch of changes in the write transaction and after each commit. */
static void test_matches_brute_force(void **state)
{
    fixture *f = *state;
    rng_state = 0x9E3779B97F4A7C15ULL;
    for (unsigned step = 0; step < 12; step++) {
        ck_txn *t;
        ck_error err;
        must(ck_txn_begin_write(f->store, &t, &err), &err);
        random_changes(f, t, 150, step < 4 ? 85 : 50);
        compare_with_brute_force(f, t, 50);
        random_changes(f, t, 60, 30);
        compare_with_brute_force(f, t, 50);
        must(ck_txn_commit(t, &err), &err);
        compare_read(f, 100);
    }
}

/* The index in objects of "97"^^xsd:int and the like. */
static unsigned object_at(const char *text, const char *datatype)
{
    for (unsigned i = 0; i < NOBJ; i++)
        if (strcmp(objects[i].text, text) == 0 && objects[i].datatype && strcmp(objects[i].datatype, datatype) == 0)
            return i;
    fail_msg("no object %s", text);
    return 0;
}

/* A triple in two graphs keeps its row until its last copy goes. */
static void test_triple_in_two_graphs(void **state)
{
    fixture *f = *state;
    unsigned o95 = object_at("95", XSD "integer"), o97 = object_at("97", XSD "int");
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    change(f, t, true, 1, 3, 0, o95);
    change(f, t, true, 2, 3, 0, o95);
    change(f, t, true, 0, 4, 0, o97);
    change(f, t, true, 1, 4, 0, o97);
    must(ck_txn_commit(t, &err), &err);
    compare_read(f, 50);
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    change(f, t, false, 1, 3, 0, o95);
    change(f, t, false, 0, 4, 0, o97);
    must(ck_txn_commit(t, &err), &err);
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    ck_id *out;
    size_t n;
    bool over;
    must(ck_values_subjects(t, f->p[0], 95, 97, 100, &out, &n, &over, NULL, &err), &err);
    assert_int_equal(n, 2);
    assert_true(out[0] == f->s[3] || out[1] == f->s[3]);
    free(out);
    ck_txn_abort(t);
    compare_read(f, 50);
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    change(f, t, false, 2, 3, 0, o95);
    change(f, t, false, 1, 4, 0, o97);
    must(ck_txn_commit(t, &err), &err);
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    must(ck_values_subjects(t, f->p[0], 95, 97, 100, &out, &n, &over, NULL, &err), &err);
    assert_int_equal(n, 0);
    assert_null(out);
    ck_txn_abort(t);
    compare_read(f, 50);
}

/* Drops the values database (content only, keep_flag) or the database and
 * its flag, with raw LMDB, as in a store made before the index. */
static void drop_values(fixture *f, bool keep_flag)
{
    ck_store_close(f->store);
    f->store = NULL;
    raw_drop_database(f->dir, "values", "value_index", keep_flag);
}

static void random_store(fixture *f)
{
    rng_state = 0xC0FFEE12345ULL;
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    random_changes(f, t, 400, 80);
    must(ck_txn_commit(t, &err), &err);
}

/* A store without the index: read-only it has none; opened for writing it
 * gets it built from the quads, with the same answers. */
static void test_build_of_an_older_store(void **state)
{
    fixture *f = *state;
    random_store(f);
    drop_values(f, false);
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    ck_txn *t;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    assert_false(ck_values_ready(t));
    ck_id *out;
    size_t n;
    bool over;
    assert_int_equal(ck_values_subjects(t, f->p[0], 0, 100, 100, &out, &n, &over, NULL, &err), CK_ERR_INVALID);
    must(ck_store_check(t, NULL, &err), &err); /* no index: nothing to compare */
    ck_txn_abort(t);
    ck_store_close(f->store);
    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    compare_read(f, 300);
    /* and it goes on following the quads */
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    random_changes(f, t, 100, 40);
    must(ck_txn_commit(t, &err), &err);
    compare_read(f, 100);
}

/* `citykg check` finds an index that lost its rows. */
static void test_check_sees_a_wrong_index(void **state)
{
    fixture *f = *state;
    random_store(f);
    drop_values(f, true);
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    ck_txn *t;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    assert_true(ck_values_ready(t));
    assert_int_equal(ck_store_check(t, NULL, &err), CK_ERR_CORRUPT);
    assert_non_null(strstr(err.message, "value index"));
    ck_txn_abort(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_matches_brute_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_estimate_over_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triple_in_two_graphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_of_an_older_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_sees_a_wrong_index, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
