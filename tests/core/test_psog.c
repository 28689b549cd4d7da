/*
 * test_psog.c — the psog permutation holds exactly the store's quads: after
 * random adds and removes (apply_batch), and after a format-3 store (no
 * psog) is opened for writing and upgraded. A format-3 store opened
 * read-only is read without psog, correctly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lmdb.h>

#include "bytes.h"
#include "store.h"
#include "store_fixture.h"

#define NS 120 /* subjects */
#define NP 6   /* predicates */
#define NO 40  /* objects */
#define NG 3   /* graphs: the default graph and two named ones */

typedef struct {
    ck_id s[NS], p[NP], o[NO], g[NG];
    bool present[NS][NP][NO][NG]; /* the quads the store should hold */
} model;

static void intern_terms(ck_store *store, model *m)
{
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(store, &t, &err), &err);
    for (unsigned i = 0; i < NS; i++)
        m->s[i] = intern_iri_n(t, "https://x.example/s/%u", i);
    for (unsigned i = 0; i < NP; i++)
        m->p[i] = intern_iri_n(t, "https://x.example/p/%u", i);
    for (unsigned i = 0; i < NO; i++)
        m->o[i] = intern_iri_n(t, "https://x.example/o/%u", i);
    m->g[0] = CK_DEFAULT_GRAPH;
    for (unsigned i = 1; i < NG; i++)
        m->g[i] = intern_iri_n(t, "https://x.example/g/%u", i);
    must(ck_txn_commit(t, &err), &err);
}

/* One write transaction of random batches: adds, then removes of about a
 * third as many, some of quads that are absent. */
static void random_writes(ck_store *store, model *m, unsigned *seed, size_t n)
{
    ck_txn *t;
    ck_error err;
    ck_quad *batch = malloc(n * sizeof *batch);
    assert_non_null(batch);
    must(ck_txn_begin_write(store, &t, &err), &err);
    for (int round = 0; round < 4; round++) {
        bool adding = round % 2 == 0;
        size_t k = adding ? n : n / 3;
        for (size_t i = 0; i < k; i++) {
            int s = rand_r(seed) % NS, p = rand_r(seed) % NP, o = rand_r(seed) % NO,
                g = rand_r(seed) % NG;
            batch[i] = (ck_quad){.g = m->g[g], .s = m->s[s], .p = m->p[p], .o = m->o[o]};
            m->present[s][p][o][g] = adding;
        }
        must(adding ? ck_quads_add(t, batch, k, NULL, &err)
                    : ck_quads_remove(t, batch, k, NULL, &err),
             &err);
    }
    must(ck_txn_commit(t, &err), &err);
    free(batch);
}

/* m: the store's terms, and the quads of one transaction of random writes. */
static void random_store(ck_store *store, model *m, unsigned *seed, size_t n)
{
    memset(m, 0, sizeof *m);
    intern_terms(store, m);
    random_writes(store, m, seed, n);
}

static int index_of(const ck_id *ids, int n, ck_id id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return i;
    fail_msg("unknown id %llu", (unsigned long long)id);
    return -1;
}

/* Every predicate's by_subject scan gives exactly the model's quads of
 * that predicate; from psog (in subject, object, graph order) when
 * want_psog, else from whatever permutation the store has. */
static void expect_by_subject_scans(ck_store *store, const model *m, bool want_psog)
{
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(store, &t, &err), &err);
    assert_int_equal(ck_by_subject_ready(t), want_psog);
    static bool seen[NS][NP][NO][NG];
    memset(seen, 0, sizeof seen);
    for (int p = 0; p < NP; p++) {
        ck_pattern q = {.p = m->p[p], .by_subject = true};
        ck_scan *sc;
        must(ck_scan_open(t, &q, &sc, &err), &err);
        assert_string_equal(ck_scan_order(sc), want_psog ? "psog" : "posg");
        ck_quad quad, prev = {0};
        bool first = true;
        while (ck_scan_next(sc, &quad)) {
            assert_int_equal(quad.p, m->p[p]);
            if (want_psog && !first) /* (s, o, g) ascending */
                assert_true(prev.s < quad.s || (prev.s == quad.s && prev.o < quad.o) ||
                            (prev.s == quad.s && prev.o == quad.o && prev.g < quad.g));
            prev = quad;
            first = false;
            int s = index_of(m->s, NS, quad.s), o = index_of(m->o, NO, quad.o),
                g = index_of(m->g, NG, quad.g);
            assert_false(seen[s][p][o][g]);
            assert_true(m->present[s][p][o][g]);
            seen[s][p][o][g] = true;
        }
        assert_int_equal(ck_scan_error(sc)->code, CK_OK);
        ck_scan_close(sc);
    }
    assert_memory_equal(seen, m->present, sizeof seen);
    must(ck_store_check(t, NULL, &err), &err);
    ck_txn_commit(t, &err);
}

static void test_random_adds_and_removes(void **state)
{
    fixture *f = *state;
    static model m;
    unsigned seed = 7;
    random_store(f->store, &m, &seed, 3000);
    expect_by_subject_scans(f->store, &m, true);
    for (int i = 0; i < 4; i++) {
        random_writes(f->store, &m, &seed, 3000);
        expect_by_subject_scans(f->store, &m, true);
    }
}

/* Skipping to a subject in a psog scan gives the rows from that subject
 * on, as reading on would; so do batches read with ck_scan_next_many,
 * before and after skips. */
static void test_skip_to_subject(void **state)
{
    fixture *f = *state;
    static model m;
    unsigned seed = 11;
    random_store(f->store, &m, &seed, 6000);
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_read(f->store, &t, &err), &err);
    ck_pattern q = {.p = m.p[2], .by_subject = true};
    ck_scan *all, *skipping;
    must(ck_scan_open(t, &q, &all, &err), &err);
    must(ck_scan_open(t, &q, &skipping, &err), &err);
    ck_quad a, batch[40];
    size_t n = 0, reads = 0;
    for (;; reads++) {
        /* one row or a batch (ck_scan_next_many), then maybe a skip past
         * the last row read */
        size_t k = reads % 2 ? ck_scan_next_many(skipping, batch, 1 + rnd() % 39)
                             : ck_scan_next(skipping, &batch[0]);
        if (!k)
            break;
        for (size_t i = 0; i < k; i++) {
            const ck_quad *b = &batch[i];
            do /* the rows before the skipping scan's row */
                assert_true(ck_scan_next(all, &a));
            while (a.s < b->s || (a.s == b->s && (a.o < b->o || (a.o == b->o && a.g < b->g))));
            assert_memory_equal(&a, b, sizeof a);
            n++;
        }
        if (reads % 3 == 0)
            must(ck_scan_skip_to_subject(skipping, batch[k - 1].s + 5, &err), &err);
    }
    assert_null(ck_scan_error(skipping)->code ? "error" : NULL);
    assert_true(n > 10 && reads > 10);
    ck_pattern spog = {.s = m.s[0]};
    ck_scan *other;
    must(ck_scan_open(t, &spog, &other, &err), &err);
    assert_int_equal(ck_scan_skip_to_subject(other, m.s[1], &err), CK_ERR_INVALID);
    ck_scan_close(other);
    ck_scan_close(all);
    ck_scan_close(skipping);
    ck_txn_commit(t, &err);
}

/* Turns the store at dir back into format 3: no psog database, format 3
 * in its meta data (what a citykg before psog wrote). */
static void make_format_3(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta, psog;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
    assert_int_equal(mdb_env_open(env, dir, MDB_NOTLS, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_dbi_open(txn, "psog", 0, &psog), 0);
    assert_int_equal(mdb_drop(txn, psog, 1), 0);
    unsigned char v[8];
    bytes_put_be64(v, 3);
    MDB_val key = {strlen("format_version"), "format_version"}, val = {8, v};
    assert_int_equal(mdb_put(txn, meta, &key, &val, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void test_format_3_store(void **state)
{
    fixture *f = *state;
    static model m;
    unsigned seed = 3;
    random_store(f->store, &m, &seed, 4000);
    ck_store_close(f->store);
    f->store = NULL;
    make_format_3(f->dir);

    /* read-only: no psog, the same quads from the other permutations */
    ck_error err;
    must(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), &err);
    expect_by_subject_scans(f->store, &m, false);
    ck_store_close(f->store);

    /* for writing: psog built from posg, format 4 */
    must(ck_store_open(f->dir, 0, &f->store, &err), &err);
    expect_by_subject_scans(f->store, &m, true);
    random_writes(f->store, &m, &seed, 2000);
    expect_by_subject_scans(f->store, &m, true);
    ck_store_close(f->store);
    must(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), &err);
    expect_by_subject_scans(f->store, &m, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_adds_and_removes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_to_subject, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_3_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
