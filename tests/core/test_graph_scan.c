/* Unit tests of scans over a set of graphs (ck_pattern.graphs,
 * core/graph_scan.c) on real stores: they give exactly the quads, in
 * exactly the order, of the whole-store scan with the other graphs'
 * quads left out, for every pattern, set, reset and in write
 * transactions; and the index work they do (seeks, blocks, rows) is the
 * same whether the graphs outside the set are small or large. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_fixture.h"


/* ---- the same quads as the whole-store scan, filtered -------------------- */

typedef struct {
    ck_quad *q;
    size_t n, cap;
} quad_list;

static void list_push(quad_list *l, const ck_quad *q)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->q = realloc(l->q, l->cap * sizeof *l->q);
        assert_non_null(l->q);
    }
    l->q[l->n++] = *q;
}

/* The quads of pattern p (with p->graphs) through scan sc (opened or reset
 * by the caller). */
static void drain(ck_scan *sc, quad_list *out)
{
    ck_quad q;
    out->n = 0;
    while (ck_scan_next(sc, &q))
        list_push(out, &q);
    assert_int_equal(ck_scan_error(sc)->code, CK_OK);
}

/* What a scan over set must give: the whole-store scan's quads of graphs
 * in set, in its order. */
static void expected(ck_txn *t, const ck_pattern *p, quad_list *out)
{
    ck_pattern whole = *p;
    whole.graphs = NULL;
    ck_scan *sc;
    ck_error err;
    must(ck_scan_open(t, &whole, &sc, &err), &err);
    ck_quad q;
    out->n = 0;
    while (ck_scan_next(sc, &q))
        if (ck_graph_set_has(p->graphs, q.g))
            list_push(out, &q);
    ck_scan_close(sc);
}

static void assert_same(const quad_list *want, const quad_list *got, const ck_pattern *p)
{
    if (want->n != got->n)
        fail_msg("pattern s=%llu p=%llu o=%llu: %zu quads, want %zu", (unsigned long long)p->s,
                 (unsigned long long)p->p, (unsigned long long)p->o, got->n, want->n);
    for (size_t i = 0; i < want->n; i++)
        if (memcmp(&want->q[i], &got->q[i], sizeof(ck_quad)) != 0)
            fail_msg("pattern s=%llu p=%llu o=%llu: quad %zu differs (order or content)",
                     (unsigned long long)p->s, (unsigned long long)p->p,
                     (unsigned long long)p->o, i);
}

#define NGRAPHS 6

typedef struct {
    ck_id graph[NGRAPHS]; /* graph[0] = the default graph */
    ck_id s[40], only[NGRAPHS]; /* only[g]: a predicate of graph g alone */
    ck_quad *quads;
    size_t n;
} random_city;

/* The set of c's graphs whose bits mask has (bit 0: the default graph),
 * its named ids in ids. */
static ck_graph_set graphs_of_mask(const random_city *c, unsigned mask, ck_id ids[NGRAPHS])
{
    ck_graph_set set = {ids, 0, mask & 1};
    for (unsigned g = 1; g < NGRAPHS; g++)
        if (mask & (1u << g))
            ids[set.n++] = c->graph[g];
    return set;
}

/* Random quads over few subjects, predicates and objects, so that the
 * same triple is often in several graphs and ranges interleave; and a
 * predicate of each graph's own. The last named graph gets an id but no
 * quads. */
static void random_city_load(ck_store *store, random_city *c, size_t n)
{
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(store, &t, &err), &err);
    c->graph[0] = CK_DEFAULT_GRAPH;
    for (unsigned g = 1; g < NGRAPHS; g++)
        c->graph[g] = intern_iri_n(t, "https://city.example/graph/%u", g);
    ck_id *s = c->s, p[6], o[30];
    for (unsigned i = 0; i < 40; i++)
        s[i] = intern_iri_n(t, "https://city.example/s/%u", i);
    for (unsigned g = 0; g < NGRAPHS; g++)
        c->only[g] = intern_iri_n(t, "https://city.example/only/%u", g);
    for (unsigned i = 0; i < 6; i++)
        p[i] = intern_iri_n(t, "https://city.example/p/%u", i);
    for (unsigned i = 0; i < 30; i++)
        o[i] = intern_iri_n(t, "https://city.example/o/%u", i);
    c->quads = calloc(n, sizeof *c->quads);
    for (size_t i = 0; i < n; i++) {
        unsigned g = (unsigned)(rnd() % (NGRAPHS - 1));
        bool own = rnd() % 10 == 0;
        c->quads[i] = (ck_quad){c->graph[g], s[rnd() % 40], own ? c->only[g] : p[rnd() % 6],
                                o[rnd() % 30]};
    }
    c->n = n;
    must(ck_quads_add(t, c->quads, n, NULL, &err), &err);
    must(ck_txn_commit(t, &err), &err);
}

/* Every pattern with g unbound (bound positions from a random stored quad
 * or an id the store lacks) over every subset of the graphs: the quads of
 * the whole-store scan filtered, in its order; also through one scan
 * reset from pattern to pattern and set to set, and counted. */
static void check_all_patterns(ck_txn *t, const random_city *c, unsigned rounds)
{
    quad_list want = {0}, got = {0};
    ck_scan *reused = NULL;
    ck_error err;
    for (unsigned mask = 0; mask < (1u << NGRAPHS); mask++) {
        ck_id ids[NGRAPHS];
        ck_graph_set set = graphs_of_mask(c, mask, ids);
        for (unsigned r = 0; r < rounds; r++) {
            unsigned bound = r % 8;
            const ck_quad *from = &c->quads[rnd() % c->n];
            ck_pattern p = {.graphs = &set};
            p.s = bound & 1 ? from->s : 0;
            p.p = bound & 2 ? from->p : 0;
            p.o = bound & 4 ? from->o : 0;
            if (r % 13 == 12)
                p.o = 999999; /* an id no quad has */
            expected(t, &p, &want);
            ck_scan *sc;
            must(ck_scan_open(t, &p, &sc, &err), &err);
            drain(sc, &got);
            ck_scan_close(sc);
            assert_same(&want, &got, &p);

            must(reused ? ck_scan_reset(t, reused, &p, &err) : ck_scan_open(t, &p, &reused, &err),
                 &err);
            drain(reused, &got);
            assert_same(&want, &got, &p);

            uint64_t count, estimate;
            bool exact;
            must(ck_count(t, &p, &count, &err), &err);
            assert_int_equal(count, want.n);
            must(ck_estimate(t, &p, 100000, &estimate, &exact, &err), &err);
            assert_true(exact);
            assert_int_equal(estimate, want.n);

            /* and a whole-store pattern through the same scan in between */
            ck_pattern whole = p;
            whole.graphs = NULL;
            must(ck_scan_reset(t, reused, &whole, &err), &err);
            uint64_t n = 0;
            ck_quad q;
            while (ck_scan_next(reused, &q))
                n++;
            must(ck_count(t, &whole, &count, &err), &err);
            assert_int_equal(n, count);
        }
    }
    ck_scan_close(reused);
    free(want.q);
    free(got.q);
}

static void test_same_quads_as_filtered_whole_scan(void **state)
{
    fixture *f = *state;
    rng_state = 0x9E3779B97F4A7C15ULL;
    random_city c;
    random_city_load(f->store, &c, 6000);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    check_all_patterns(t, &c, 24);
    ck_txn_abort(t);
    free(c.quads);
}

/* Lookups through one scan with the same predicate, as an index join
 * makes them: after the first few, the graphs without the predicate are
 * skipped; the matches stay those of the whole-store scan. */
static void test_predicate_lookups(void **state)
{
    fixture *f = *state;
    rng_state = 0x1234567887654321ULL;
    random_city c;
    random_city_load(f->store, &c, 6000);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    quad_list want = {0}, got = {0};
    for (unsigned mask = 0; mask < (1u << NGRAPHS); mask += 3) {
        ck_id ids[NGRAPHS];
        ck_graph_set set = graphs_of_mask(&c, mask, ids);
        for (unsigned g = 0; g < NGRAPHS; g++) {
            ck_scan *by_subject = NULL, *by_object = NULL;
            uint64_t found = 0;
            for (unsigned i = 0; i < 40; i++) {
                ck_pattern sp = {.s = c.s[i], .p = c.only[g], .graphs = &set};
                must(by_subject ? ck_scan_reset(t, by_subject, &sp, &err)
                                : ck_scan_open(t, &sp, &by_subject, &err),
                     &err);
                expected(t, &sp, &want);
                drain(by_subject, &got);
                assert_same(&want, &got, &sp);
                found += got.n;
                ck_pattern po = {.p = c.only[g], .o = c.quads[(i * 97) % c.n].o, .graphs = &set};
                must(by_object ? ck_scan_reset(t, by_object, &po, &err)
                               : ck_scan_open(t, &po, &by_object, &err),
                     &err);
                expected(t, &po, &want);
                drain(by_object, &got);
                assert_same(&want, &got, &po);
            }
            /* the lookups did find the predicate where the set has its graph */
            bool in_set = g == 0 ? (mask & 1) : ck_graph_set_has(&set, c.graph[g]);
            if (g < NGRAPHS - 1)
                assert_true(in_set ? found > 0 : found == 0);
            ck_scan_close(by_subject);
            ck_scan_close(by_object);
        }
    }
    free(want.q);
    free(got.q);
    ck_txn_abort(t);
    free(c.quads);
}

/* In a write transaction the statistics may change under a scan, so no
 * graph is skipped as empty: quads added to the empty graph are found. */
static void test_write_transaction_sees_its_own_quads(void **state)
{
    fixture *f = *state;
    rng_state = 0x2545F4914F6CDD1DULL;
    random_city c;
    random_city_load(f->store, &c, 3000);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    ck_graph_set set = {&c.graph[NGRAPHS - 1], 1, false};
    ck_pattern p = {.graphs = &set};
    ck_scan *sc;
    must(ck_scan_open(t, &p, &sc, &err), &err);
    quad_list got = {0};
    drain(sc, &got);
    assert_int_equal(got.n, 0);
    ck_quad added = c.quads[0];
    added.g = c.graph[NGRAPHS - 1];
    must(ck_quads_add(t, &added, 1, NULL, &err), &err);
    must(ck_scan_reset(t, sc, &p, &err), &err);
    drain(sc, &got);
    assert_int_equal(got.n, 1);
    assert_memory_equal(&got.q[0], &added, sizeof added);
    ck_scan_close(sc);
    check_all_patterns(t, &c, 4);
    ck_txn_abort(t);
    free(got.q);
    free(c.quads);
}

/* ---- work does not grow with the graphs outside the set -------------------- */

/* A city whose default graph and graph R are readable and whose graphs
 * H0 (id below R's) and H1 (id above) are not. The readable quads are
 * the same in every store made here; the hidden graphs hold hidden_per_s
 * quads for each of the same subjects. Readable data is loaded and
 * committed first, so its index blocks are the same in every store. */
typedef struct {
    char dir[64];
    ck_store *store;
    ck_id r, s[200], p[4];
    ck_id readable_ids[1];
    ck_graph_set readable;
} split_city;

static void split_city_make(split_city *c, unsigned hidden_per_s)
{
    temp_store_open(c->dir, &c->store);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(c->store, &t, &err), &err);
    ck_id h0 = intern_iri_n(t, "https://city.example/graph/h%u", 0);
    c->r = intern_iri_n(t, "https://city.example/graph/r%u", 0);
    ck_id h1 = intern_iri_n(t, "https://city.example/graph/h%u", 1);
    for (unsigned i = 0; i < 200; i++)
        c->s[i] = intern_iri_n(t, "https://city.example/building/%u", i);
    for (unsigned i = 0; i < 4; i++)
        c->p[i] = intern_iri_n(t, "https://city.example/p/%u", i);
    size_t n = 0;
    ck_quad *q = calloc(200 * 4 * 2, sizeof *q);
    for (unsigned i = 0; i < 200; i++)
        for (unsigned k = 0; k < 4; k++) {
            q[n++] = (ck_quad){c->r, c->s[i], c->p[k], c->s[(i + k + 1) % 200]};
            if (k == 0)
                q[n++] = (ck_quad){CK_DEFAULT_GRAPH, c->s[i], c->p[k], c->s[(i + 7) % 200]};
        }
    must(ck_quads_add(t, q, n, NULL, &err), &err);
    free(q);
    must(ck_txn_commit(t, &err), &err);

    /* the hidden graphs: the same subjects and predicates, other objects */
    must(ck_txn_begin_write(c->store, &t, &err), &err);
    q = calloc((size_t)200 * hidden_per_s * 2, sizeof *q);
    n = 0;
    for (unsigned i = 0; i < 200; i++)
        for (unsigned k = 0; k < hidden_per_s; k++) {
            ck_id o = intern_iri_n(t, "https://city.example/secret/%u", i * 100000 + k);
            q[n++] = (ck_quad){h0, c->s[i], c->p[k % 4], o};
            q[n++] = (ck_quad){h1, c->s[i], c->p[k % 4], o};
        }
    must(ck_quads_add(t, q, n, NULL, &err), &err);
    free(q);
    must(ck_txn_commit(t, &err), &err);
    c->readable_ids[0] = c->r;
    c->readable = (ck_graph_set){c->readable_ids, 1, true};
}

/* The work of a mix of scans over c's readable graphs (or, with whole,
 * of whole-store scans that leave the hidden quads out one by one, as
 * restricted scans did before), and a checksum of what they found. */
static ck_scan_work split_city_work(split_city *c, bool whole, uint64_t *found)
{
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(c->store, &t, &err), &err);
    const ck_graph_set *graphs = whole ? NULL : &c->readable;
    ck_scan_work before, after;
    ck_txn_scan_work(t, &before);
    *found = 0;
    ck_pattern patterns[] = {
        {.graphs = graphs},                                /* everything: spog */
        {.p = c->p[1], .graphs = graphs},                  /* a predicate: posg */
        {.o = c->s[5], .graphs = graphs},                  /* an object: ospg */
        {.p = c->p[0], .o = c->s[9], .graphs = graphs},    /* posg with two bound */
    };
    ck_quad q;
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        ck_scan *sc;
        must(ck_scan_open(t, &patterns[i], &sc, &err), &err);
        while (ck_scan_next(sc, &q))
            *found += ck_graph_set_has(&c->readable, q.g) ? q.s * 3 + q.p * 5 + q.o * 7 : 0;
        ck_scan_close(sc);
    }
    /* lookups of each subject through one scan, as an index join does */
    ck_scan *sc = NULL;
    for (unsigned i = 0; i < 200; i++) {
        ck_pattern p = {.s = c->s[(i * 37) % 200], .graphs = graphs};
        must(sc ? ck_scan_reset(t, sc, &p, &err) : ck_scan_open(t, &p, &sc, &err), &err);
        while (ck_scan_next(sc, &q))
            *found += ck_graph_set_has(&c->readable, q.g) ? q.o : 0;
    }
    ck_scan_close(sc);
    uint64_t estimate;
    bool exact;
    ck_pattern p = {.p = c->p[2], .graphs = graphs};
    must(ck_estimate(t, &p, 50, &estimate, &exact, &err), &err);
    if (!whole)
        *found += estimate;
    ck_txn_scan_work(t, &after);
    ck_txn_abort(t);
    return (ck_scan_work){after.seeks - before.seeks, after.blocks - before.blocks,
                          after.rows - before.rows};
}

static void test_work_does_not_grow_with_hidden_graphs(void **state)
{
    (void)state;
    split_city small, large;
    split_city_make(&small, 8);   /* 3.2k hidden quads */
    split_city_make(&large, 400); /* 160k hidden quads */
    uint64_t found_small, found_large;
    ck_scan_work w_small = split_city_work(&small, false, &found_small);
    ck_scan_work w_large = split_city_work(&large, false, &found_large);
    print_message("over the readable graphs: %llu seeks, %llu blocks, %llu rows (either store)\n",
                  (unsigned long long)w_small.seeks, (unsigned long long)w_small.blocks,
                  (unsigned long long)w_small.rows);
    assert_int_equal(found_small, found_large); /* the same readable answers */
    assert_int_equal(w_small.seeks, w_large.seeks);
    assert_int_equal(w_small.blocks, w_large.blocks);
    assert_int_equal(w_small.rows, w_large.rows);
    /* two graphs (default and R) per scan and lookup */
    assert_int_equal(w_small.seeks, 2 * (4 + 200 + 1));

    /* The measure can tell: whole-store scans, whose work the hidden
     * graphs do change, find the same readable quads. */
    uint64_t whole_small, whole_large;
    ck_scan_work v_small = split_city_work(&small, true, &whole_small);
    ck_scan_work v_large = split_city_work(&large, true, &whole_large);
    print_message("whole-store scans: %llu vs %llu blocks, %llu vs %llu rows\n",
                  (unsigned long long)v_small.blocks, (unsigned long long)v_large.blocks,
                  (unsigned long long)v_small.rows, (unsigned long long)v_large.rows);
    assert_int_equal(whole_small, whole_large);
    assert_true(v_large.blocks > 2 * v_small.blocks);
    assert_true(v_large.rows > 10 * v_small.rows);
    temp_store_remove(small.dir, small.store);
    temp_store_remove(large.dir, large.store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_quads_as_filtered_whole_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_predicate_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_transaction_sees_its_own_quads, setup,
                                        teardown),
        cmocka_unit_test(test_work_does_not_grow_with_hidden_graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
