/* Unit tests of ck_count_matches (quad_index_count): counts of index
 * ranges against the matches a scan produces and against an in-memory
 * model, on a real store whose ranges span many blocks, start and end in
 * the middle of blocks, and hold copies of triples in several graphs
 * (which the union of all graphs counts once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_fixture.h"


static ck_id iri(uint64_t n) { return ck_id_make(CK_TAG_IRI, n); }

#define TYPE iri(1)
#define LABEL iri(2)
#define RARE iri(3)
#define G1 iri(10)
#define G2 iri(11)
#define G3 iri(12)
#define SUBJECTS 30000

typedef struct {
    ck_quad *q;
    size_t n, cap;
} quad_list;

static void push(quad_list *l, ck_id g, ck_id s, ck_id p, ck_id o)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->q = realloc(l->q, l->cap * sizeof *l->q);
        assert_non_null(l->q);
    }
    l->q[l->n++] = (ck_quad){g, s, p, o};
}

/* The triple in its first graph, then copies in others: every third in a
 * second graph, every tenth in the default graph, some in all four. */
static void push_copies(quad_list *l, ck_id s, ck_id p, ck_id o)
{
    uint64_t r = rnd();
    push(l, G1, s, p, o);
    if (r % 3 == 0)
        push(l, G2, s, p, o);
    if (r % 10 == 1)
        push(l, CK_DEFAULT_GRAPH, s, p, o);
    if (r % 20 == 2)
        push(l, G3, s, p, o);
    if (r % 97 == 3) {
        push(l, G2, s, p, o);
        push(l, G3, s, p, o);
        push(l, CK_DEFAULT_GRAPH, s, p, o);
    }
}

static int cmp_spog(const void *a, const void *b)
{
    const ck_quad *x = a, *y = b;
    ck_id ka[4] = {x->s, x->p, x->o, x->g}, kb[4] = {y->s, y->p, y->o, y->g};
    for (int i = 0; i < 4; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/* The quads, sorted by (s, p, o, g) without repeats. */
static quad_list make_quads(void)
{
    quad_list l = {0};
    for (uint64_t i = 0; i < SUBJECTS; i++) {
        ck_id s = iri(1000 + i * (1 + rnd() % 3)); /* gaps: deltas of 1 and 2 bytes */
        push_copies(&l, s, TYPE, iri(100 + rnd() % 3));
        for (uint64_t k = rnd() % 3; k > 0; k--)
            push_copies(&l, s, LABEL, iri(200000 + rnd() % 500));
        if (i % 5000 == 17)
            push_copies(&l, s, RARE, iri(300000 + i));
    }
    qsort(l.q, l.n, sizeof *l.q, cmp_spog);
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++)
        if (k == 0 || cmp_spog(&l.q[k - 1], &l.q[i]) != 0)
            l.q[k++] = l.q[i];
    l.n = k;
    return l;
}

static void add_all(ck_store *store, const quad_list *l, size_t batch)
{
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(store, &t, &err), CK_OK);
    for (size_t i = 0; i < l->n; i += batch)
        assert_int_equal(ck_quads_add(t, l->q + i, l->n - i < batch ? l->n - i : batch, NULL, &err),
                         CK_OK);
    assert_int_equal(ck_txn_commit(t, &err), CK_OK);
}

/* What a scan gives, with copies of a triple (adjacent: g is the last
 * column without g bound) skipped when merging, as the executor does. */
static uint64_t scan_count(ck_txn *t, const ck_pattern *p, bool merge)
{
    ck_scan *sc;
    ck_error err;
    assert_int_equal(ck_scan_open(t, p, &sc, &err), CK_OK);
    ck_quad q, last = {0};
    uint64_t n = 0;
    bool have = false;
    while (ck_scan_next(sc, &q)) {
        if (merge && !p->g_bound && have && q.s == last.s && q.p == last.p && q.o == last.o)
            continue;
        last = q;
        have = true;
        n++;
    }
    assert_int_equal(ck_scan_error(sc)->code, CK_OK);
    ck_scan_close(sc);
    return n;
}

/* The same from the model (sorted by s, p, o, g: copies adjacent). */
static uint64_t model_count(const quad_list *l, const ck_pattern *p, bool merge)
{
    uint64_t n = 0;
    const ck_quad *last = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const ck_quad *q = &l->q[i];
        if ((p->s && q->s != p->s) || (p->p && q->p != p->p) || (p->o && q->o != p->o) ||
            (p->g_bound && q->g != p->g))
            continue;
        if (merge && !p->g_bound && last && q->s == last->s && q->p == last->p && q->o == last->o)
            continue;
        last = q;
        n++;
    }
    return n;
}

/* A pattern from a stored quad: the positions in mask bound to its values
 * (bit 3: g), sometimes moved to an id next to it, which may be absent. */
static ck_pattern pattern_from(const ck_quad *q, unsigned mask)
{
    ck_pattern p = {0};
    uint64_t shift = rnd() % 8 == 0 ? 16 : 0; /* the next IRI id: mostly not stored */
    if (mask & 1)
        p.s = q->s + shift;
    if (mask & 2)
        p.p = q->p;
    if (mask & 4)
        p.o = q->o + (rnd() % 8 == 0 ? 16 : 0);
    if (mask & 8) {
        p.g_bound = true;
        p.g = q->g;
    }
    return p;
}

static uint64_t counted(ck_txn *t, const ck_pattern *p, bool merge)
{
    uint64_t n = UINT64_MAX;
    ck_error err;
    assert_int_equal(ck_count_matches(t, p, merge, &n, &err), CK_OK);
    return n;
}

/* Every combination of bound positions, on random quads of the store,
 * with and without merging graphs. */
static void check_patterns(ck_store *store, const quad_list *l, int rounds, int model_every)
{
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(store, &t, &err), CK_OK);
    for (int i = 0; i < rounds; i++) {
        const ck_quad *q = &l->q[rnd() % l->n];
        ck_pattern p = pattern_from(q, (unsigned)(i % 16));
        for (int merge = 0; merge < 2; merge++) {
            uint64_t want = scan_count(t, &p, merge);
            uint64_t got = counted(t, &p, merge);
            if (got != want)
                fail_msg("pattern s=%llu p=%llu o=%llu g=%llu%s merge=%d: counted %llu, scan %llu",
                         (unsigned long long)p.s, (unsigned long long)p.p,
                         (unsigned long long)p.o, (unsigned long long)p.g,
                         p.g_bound ? " (bound)" : "", merge, (unsigned long long)got,
                         (unsigned long long)want);
            if (i % model_every == 0)
                assert_int_equal(got, model_count(l, &p, merge));
        }
    }
    ck_txn_abort(t);
}

/* Ranges of many blocks: all quads, a predicate, a class, a graph. */
static void check_long_ranges(ck_store *store, const quad_list *l)
{
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(store, &t, &err), CK_OK);
    ck_pattern ps[] = {
        {0},
        {.p = TYPE},
        {.p = LABEL},
        {.p = RARE},
        {.p = TYPE, .o = iri(101)},
        {.g_bound = true, .g = G1},
        {.g_bound = true, .g = CK_DEFAULT_GRAPH},
        {.g_bound = true, .g = CK_DEFAULT_GRAPH, .p = TYPE},
        {.g_bound = true, .g = G2, .p = LABEL},
        {.p = iri(4)}, /* absent */
    };
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
        for (int merge = 0; merge < 2; merge++) {
            uint64_t want = model_count(l, &ps[i], merge);
            assert_int_equal(scan_count(t, &ps[i], merge), want);
            assert_int_equal(counted(t, &ps[i], merge), want);
        }
    /* the merged count differs from the plain one: copies are there */
    ck_pattern type = {.p = TYPE};
    assert_true(counted(t, &type, true) < counted(t, &type, false));
    assert_true(counted(t, &type, false) > 20000); /* many blocks */
    ck_txn_abort(t);
}

static void test_counts_bulk(void **state)
{
    fixture *f = *state;
    quad_list l = make_quads();
    add_all(f->store, &l, l.n); /* one batch: full blocks */
    check_long_ranges(f->store, &l);
    check_patterns(f->store, &l, 3000, 25);
    free(l.q);
}

/* Blocks rewritten by small batches and removals are of every fill. */
static void test_counts_after_updates(void **state)
{
    fixture *f = *state;
    quad_list l = make_quads();
    add_all(f->store, &l, 997);
    /* remove every seventh quad (some copies of a triple, some whole) */
    quad_list gone = {0}, kept = {0};
    for (size_t i = 0; i < l.n; i++) {
        const ck_quad *q = &l.q[i];
        if (i % 7 == 3)
            push(&gone, q->g, q->s, q->p, q->o);
        else
            push(&kept, q->g, q->s, q->p, q->o);
    }
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(f->store, &t, &err), CK_OK);
    for (size_t i = 0; i < gone.n; i += 501)
        assert_int_equal(ck_quads_remove(t, gone.q + i, gone.n - i < 501 ? gone.n - i : 501, NULL,
                                         &err),
                         CK_OK);
    assert_int_equal(ck_txn_commit(t, &err), CK_OK);
    check_long_ranges(f->store, &kept);
    check_patterns(f->store, &kept, 2000, 25);
    free(l.q);
    free(gone.q);
    free(kept.q);
}

static void test_count_empty_store(void **state)
{
    fixture *f = *state;
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(f->store, &t, &err), CK_OK);
    ck_pattern all = {0}, one = {.p = TYPE, .g_bound = true};
    assert_int_equal(counted(t, &all, true), 0);
    assert_int_equal(counted(t, &one, false), 0);
    ck_txn_abort(t);
}

int main(void)
{
    rng_state = 0x2545F4914F6CDD1DULL; /* this test's stream */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_bulk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_after_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_empty_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
