/* Unit tests of sparql/exec.c: every operator against a brute-force
 * evaluation over the same real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

#define W 4 /* row width: ?a ?b ?c ?g */
enum { A, B, C, G };

typedef struct {
    char dir[64];
    ck_store *store;
    ck_txn *txn;
    ck_id t[24];     /* terms t0..t23 */
    ck_id g1, g2;    /* named graphs */
    ck_quad *quads;  /* what was stored */
    size_t n;
} fixture;

static ck_term iri(const char *s) { return (ck_term){CK_TERM_IRI, s, strlen(s), NULL, 0, NULL, 0}; }

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/citykg-test-exec-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_CREATE, &f->store, &err), CK_OK);
    ck_txn *w;
    assert_int_equal(ck_txn_begin_write(f->store, &w, &err), CK_OK);
    char name[64];
    for (int i = 0; i < 24; i++) {
        snprintf(name, sizeof name, "https://regensburg.example/t%d", i);
        ck_term t = iri(name);
        assert_int_equal(ck_term_intern(w, &t, &f->t[i], &err), CK_OK);
    }
    ck_term g1 = iri("https://regensburg.example/graph/1"), g2 = iri("https://regensburg.example/graph/2");
    assert_int_equal(ck_term_intern(w, &g1, &f->g1, &err), CK_OK);
    assert_int_equal(ck_term_intern(w, &g2, &f->g2, &err), CK_OK);
    /* a deterministic pseudo-random dataset; some triples in two graphs;
     * enough quads (about 1,900) that whole-store scans pass the 512 rows
     * after which a pattern cursor reads in batches */
    f->quads = malloc(3 * 1500 * sizeof *f->quads);
    uint64_t x = 12345;
    ck_id graphs[3] = {CK_DEFAULT_GRAPH, f->g1, f->g2};
    for (int i = 0; i < 1500; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        ck_quad q = {graphs[(x >> 20) % 3], f->t[(x >> 30) % 24], f->t[(x >> 40) % 3],
                     f->t[(x >> 50) % 24]};
        f->quads[f->n++] = q;
        if (i % 5 == 0) {
            q.g = graphs[(x >> 10) % 3];
            f->quads[f->n++] = q;
        }
        if (i % 17 == 0) /* ?x ?p ?x shapes */
            f->quads[f->n++] = (ck_quad){q.g, q.s, q.p, q.s};
    }
    size_t added;
    assert_int_equal(ck_quads_add(w, f->quads, f->n, &added, &err), CK_OK);
    assert_int_equal(ck_txn_commit(w, &err), CK_OK);
    /* dedupe the model the same way the store does */
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = memcmp(&f->quads[j], &f->quads[i], sizeof(ck_quad)) == 0;
        if (!dup)
            f->quads[k++] = f->quads[i];
    }
    f->n = k;
    assert_int_equal(added, k);
    assert_int_equal(ck_txn_begin_read(f->store, &f->txn, &err), CK_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ck_txn_abort(f->txn);
    ck_store_close(f->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f->quads);
    free(f);
    return 0;
}

/* ---- brute force ------------------------------------------------------- */

typedef struct {
    ck_id *rows;
    size_t n, cap;
} rowset;

static void rowset_add(rowset *r, const ck_id *row)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->rows = realloc(r->rows, r->cap * W * sizeof(ck_id));
    }
    memcpy(r->rows + r->n * W, row, W * sizeof(ck_id));
    r->n++;
}

static int cmp_row(const void *a, const void *b) { return memcmp(a, b, W * sizeof(ck_id)); }

static void drain(exec_op *op, rowset *out)
{
    ck_id row[W];
    while (exec_next(op, row))
        rowset_add(out, row);
}

/* Same multiset of rows. */
static void assert_same_rows(rowset *a, rowset *b)
{
    assert_int_equal(a->n, b->n);
    if (!a->n)
        return;
    qsort(a->rows, a->n, W * sizeof(ck_id), cmp_row);
    qsort(b->rows, b->n, W * sizeof(ck_id), cmp_row);
    assert_memory_equal(a->rows, b->rows, a->n * W * sizeof(ck_id));
}

static bool slot_matches(const exec_slot *s, ck_id v, ck_id *row)
{
    if (!s->is_var)
        return s->id == v;
    if (row[s->slot] && row[s->slot] != v)
        return false;
    row[s->slot] = v;
    return true;
}

/* Brute-force evaluation of one pattern extending a given row. */
static void brute_pattern(const fixture *f, const exec_pattern *p, const ck_id *base, rowset *out)
{
    for (size_t i = 0; i < f->n; i++) {
        const ck_quad *q = &f->quads[i];
        if (p->graph_mode == EXEC_GRAPH_DEFAULT && q->g != CK_DEFAULT_GRAPH)
            continue;
        if (p->graph_mode == EXEC_GRAPH_NAMED && q->g == CK_DEFAULT_GRAPH)
            continue;
        if (p->graph_mode == EXEC_GRAPH_SET) {
            bool in = false;
            for (size_t k = 0; k < p->n_graph_set; k++)
                in = in || p->graph_set[k] == q->g;
            if (!in)
                continue;
        }
        if (p->graph_mode == EXEC_GRAPH_UNION || p->graph_mode == EXEC_GRAPH_SET) {
            /* first copy of the triple (among the accepted graphs) only */
            bool earlier = false;
            for (size_t j = 0; j < i && !earlier; j++) {
                bool accepted = p->graph_mode == EXEC_GRAPH_UNION;
                for (size_t k = 0; k < p->n_graph_set; k++)
                    accepted = accepted || p->graph_set[k] == f->quads[j].g;
                earlier = accepted && f->quads[j].s == q->s && f->quads[j].p == q->p &&
                          f->quads[j].o == q->o;
            }
            if (earlier)
                continue;
        }
        ck_id row[W];
        memcpy(row, base, sizeof row);
        if (!slot_matches(&p->s, q->s, row) || !slot_matches(&p->p, q->p, row) ||
            !slot_matches(&p->o, q->o, row))
            continue;
        if (p->graph_mode == EXEC_GRAPH_NAMED && !slot_matches(&p->g, q->g, row))
            continue;
        rowset_add(out, row);
    }
}

static exec_slot var(int slot) { return (exec_slot){true, slot, 0}; }
static exec_slot con(ck_id id) { return (exec_slot){false, 0, id}; }

static void test_scan_patterns(void **state)
{
    fixture *f = *state;
    ck_id set[2] = {CK_DEFAULT_GRAPH, f->g1};
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern patterns[] = {
        {var(A), var(B), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false},
        {var(A), var(B), var(C), EXEC_GRAPH_DEFAULT, {0}, NULL, 0, false},
        {var(A), var(B), var(C), EXEC_GRAPH_NAMED, var(G), NULL, 0, false},
        {var(A), var(B), var(C), EXEC_GRAPH_NAMED, con(f->g1), NULL, 0, false},
        {var(A), con(f->t[1]), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false},
        {var(A), var(B), var(A), EXEC_GRAPH_UNION, {0}, NULL, 0, false},
        {con(f->t[3]), var(B), var(C), EXEC_GRAPH_NAMED, var(G), NULL, 0, false},
        {var(A), var(B), con(f->t[5]), EXEC_GRAPH_DEFAULT, {0}, NULL, 0, false},
        {var(A), con(ck_id_make(CK_TAG_IRI, 999999)), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false},
        {var(A), con(0), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false}, /* constant unknown to the store */
        {var(A), var(B), var(C), EXEC_GRAPH_SET, {0}, set, 2, false},    /* FROM g1 FROM <default> */
        {var(A), con(f->t[2]), var(C), EXEC_GRAPH_SET, {0}, set + 1, 1, false},
        {var(A), con(f->t[1]), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, true}, /* psog */
    };
    ck_id none[W] = {0};
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        rowset got = {0}, want = {0};
        exec_op *op = exec_scan_new(&ctx, &patterns[i]);
        drain(op, &got);
        exec_free(op);
        assert_int_equal(ctx.error.code, CK_OK);
        brute_pattern(f, &patterns[i], none, &want);
        assert_same_rows(&got, &want);
        if (i < 3) /* the data really exercises the pattern; the union, batches too */
            assert_true(got.n > (i == 0 ? 600 : 10));
        free(got.rows);
        free(want.rows);
    }
}

static void test_joins_agree(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern p1 = {var(A), con(f->t[0]), var(B), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    exec_pattern p2 = {var(B), var(C), var(A), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    /* brute force: p1 then p2 extending each row */
    rowset first = {0}, want = {0};
    ck_id none[W] = {0};
    brute_pattern(f, &p1, none, &first);
    for (size_t i = 0; i < first.n; i++)
        brute_pattern(f, &p2, first.rows + i * W, &want);
    assert_true(want.n > 0);

    rowset by_index = {0}, by_hash = {0};
    exec_op *ij = exec_index_join_new(&ctx, exec_scan_new(&ctx, &p1), &p2);
    drain(ij, &by_index);
    exec_free(ij);
    exec_op *hj = exec_hash_join_new(&ctx, exec_scan_new(&ctx, &p1), exec_scan_new(&ctx, &p2));
    drain(hj, &by_hash);
    exec_free(hj);
    assert_int_equal(ctx.error.code, CK_OK);
    rowset want2 = {malloc(want.n * W * sizeof(ck_id)), want.n, want.n};
    memcpy(want2.rows, want.rows, want.n * W * sizeof(ck_id));
    assert_same_rows(&by_index, &want);
    assert_same_rows(&by_hash, &want2);
    free(first.rows);
    free(want.rows);
    free(want2.rows);
    free(by_index.rows);
    free(by_hash.rows);
}

/* A merge join of two scans sorted by ?a gives the rows of p1 extended by
 * p2, as brute force does: runs of one ?a on both sides (24 terms, 1,500+
 * quads), a second shared variable checked per pair, and a side whose ?a
 * values the other lacks. */
static void test_merge_join_agrees(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern p1 = {var(A), con(f->t[0]), var(B), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    exec_pattern rights[] = {
        {var(A), con(f->t[1]), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false},
        {var(A), var(C), var(B), EXEC_GRAPH_UNION, {0}, NULL, 0, false},  /* shares ?b too */
        {var(A), con(f->t[2]), var(C), EXEC_GRAPH_DEFAULT, {0}, NULL, 0, false},
    };
    ck_id none[W] = {0};
    rowset first = {0};
    brute_pattern(f, &p1, none, &first);
    for (size_t k = 0; k < sizeof rights / sizeof *rights; k++) {
        rowset want = {0}, got = {0};
        for (size_t i = 0; i < first.n; i++)
            brute_pattern(f, &rights[k], first.rows + i * W, &want);
        assert_true(want.n > 0);
        exec_op *mj = exec_merge_join_new(&ctx, exec_sort_by_slot_new(&ctx, exec_scan_new(&ctx, &p1), A),
                                          exec_sort_by_slot_new(&ctx, exec_scan_new(&ctx, &rights[k]), A),
                                          A);
        drain(mj, &got);
        exec_free(mj);
        assert_int_equal(ctx.error.code, CK_OK);
        assert_same_rows(&got, &want);
        free(want.rows);
        free(got.rows);
    }
    free(first.rows);
}

static bool b_is_t2(void *arg, const ck_id *row) { return row[B] == *(ck_id *)arg; }

static void test_left_join_minus_union(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern left = {var(A), con(f->t[0]), var(C), EXEC_GRAPH_DEFAULT, {0}, NULL, 0, false};
    exec_pattern right = {var(A), var(B), con(f->t[7]), EXEC_GRAPH_DEFAULT, {0}, NULL, 0, false};
    rowset l = {0}, r = {0}, want_opt = {0}, want_minus = {0};
    ck_id none[W] = {0};
    brute_pattern(f, &left, none, &l);
    brute_pattern(f, &right, none, &r);
    ck_id t2 = f->t[2];
    for (size_t i = 0; i < l.n; i++) {
        bool matched = false, removed = false;
        for (size_t j = 0; j < r.n; j++) {
            ck_id *a = l.rows + i * W, *b = r.rows + j * W;
            bool ok = true, shared = false;
            ck_id m[W];
            for (int k = 0; k < W; k++) {
                ok = ok && !(a[k] && b[k] && a[k] != b[k]);
                shared = shared || (a[k] && b[k]);
                m[k] = a[k] ? a[k] : b[k];
            }
            if (ok && m[B] == t2) {
                rowset_add(&want_opt, m);
                matched = true;
            }
            removed = removed || (ok && shared);
        }
        if (!matched)
            rowset_add(&want_opt, l.rows + i * W);
        if (!removed)
            rowset_add(&want_minus, l.rows + i * W);
    }
    rowset got = {0};
    exec_op *op = exec_left_join_new(&ctx, exec_scan_new(&ctx, &left), exec_scan_new(&ctx, &right),
                                     b_is_t2, &t2);
    drain(op, &got);
    exec_free(op);
    assert_same_rows(&got, &want_opt);
    free(got.rows);
    got = (rowset){0};
    op = exec_minus_new(&ctx, exec_scan_new(&ctx, &left), exec_scan_new(&ctx, &right));
    drain(op, &got);
    exec_free(op);
    assert_same_rows(&got, &want_minus);
    free(got.rows);
    /* union keeps duplicates; distinct removes them */
    got = (rowset){0};
    op = exec_union_new(&ctx, exec_scan_new(&ctx, &left), exec_scan_new(&ctx, &left));
    drain(op, &got);
    exec_free(op);
    assert_int_equal(got.n, 2 * l.n);
    free(got.rows);
    got = (rowset){0};
    op = exec_distinct_new(&ctx, exec_union_new(&ctx, exec_scan_new(&ctx, &left),
                                                exec_scan_new(&ctx, &left)));
    drain(op, &got);
    exec_free(op);
    assert_same_rows(&got, &l);
    assert_int_equal(ctx.error.code, CK_OK);
    free(got.rows);
    free(l.rows);
    free(r.rows);
    free(want_opt.rows);
    free(want_minus.rows);
}

static void test_project_slice_values(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern all = {var(A), var(B), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    exec_op *scan = exec_scan_new(&ctx, &all);
    exec_op *op = exec_slice_new(&ctx, scan, 3, 5);
    rowset got = {0};
    drain(op, &got);
    assert_int_equal(got.n, 5);
    assert_int_equal(exec_rows_out(scan), 8); /* LIMIT stopped the scan early */
    exec_free(op);
    free(got.rows);
    int keep[] = {A};
    op = exec_project_new(&ctx, exec_scan_new(&ctx, &all), keep, 1);
    ck_id row[W];
    while (exec_next(op, row))
        assert_true(row[A] && !row[B] && !row[C]);
    exec_free(op);
    ck_id rows[2 * W] = {f->t[0], 0, 0, 0, f->t[1], 0, 0, 0};
    exec_pattern p = {var(A), var(B), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    op = exec_index_join_new(&ctx, exec_values_new(&ctx, rows, 2), &p);
    got = (rowset){0};
    drain(op, &got);
    exec_free(op);
    size_t want = 0;
    for (size_t i = 0; i < got.n; i++)
        assert_true(got.rows[i * W + A] == f->t[0] || got.rows[i * W + A] == f->t[1]);
    rowset b = {0};
    ck_id base0[W] = {f->t[0]}, base1[W] = {f->t[1]};
    brute_pattern(f, &p, base0, &b);
    brute_pattern(f, &p, base1, &b);
    want = b.n;
    assert_int_equal(got.n, want);
    free(got.rows);
    free(b.rows);
    volatile bool cancel = true;
    ctx.cancelled = &cancel;
    op = exec_scan_new(&ctx, &all);
    assert_false(exec_next(op, row));
    assert_int_equal(ctx.error.code, CK_ERR_CANCELLED);
    exec_free(op);
}

/* exec_sort_by_slot: every row once, ordered by the id in the slot, also
 * for ids that differ only in high bytes (inline values) and equal keys. */
static void test_sort_by_slot(void **state)
{
    exec_ctx ctx = {.width = W};
    enum { N = 5000 };
    ck_id *rows = calloc(N * W, sizeof(ck_id));
    uint64_t x = 0x9E3779B97F4A7C15ULL, sum = 0;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        rows[i * W + 1] = i % 7 == 0 ? 42 : (x % 3 ? x % 100000 : x); /* repeats, wide ids */
        rows[i * W + 2] = i;                                           /* which row it was */
        sum += i;
    }
    exec_op *op = exec_sort_by_slot_new(&ctx, exec_values_new(&ctx, rows, N), 1);
    ck_id row[W], last = 0;
    size_t n = 0;
    uint64_t seen = 0;
    while (exec_next(op, row)) {
        assert_true(row[1] >= last);
        assert_true(row[1] == rows[row[2] * W + 1]); /* the row is intact */
        last = row[1];
        seen += row[2];
        n++;
    }
    assert_int_equal(ctx.error.code, CK_OK);
    assert_int_equal(n, N);
    assert_true(seen == sum);
    exec_free(op);
    free(rows);
}

/* Rows read by exec_next_many in batches of changing size (1 to 64),
 * mixed with single exec_next calls. */
static void drain_mixed(exec_op *op, rowset *out)
{
    static const size_t sizes[] = {1, 7, 64, 3, 0, 64, 2};
    ck_id rows[64 * W];
    for (size_t k = 0;; k++) {
        size_t want = sizes[k % 7], got;
        if (!want) { /* one row through exec_next */
            if (!exec_next(op, rows))
                return;
            rowset_add(out, rows);
            continue;
        }
        got = exec_next_many(op, rows, want);
        assert_true(got <= want);
        for (size_t i = 0; i < got; i++)
            rowset_add(out, rows + i * W);
        if (!got)
            return;
    }
}

/* Operators with a batch form give the same rows, in the same order,
 * whether read in batches, row by row or both mixed; an operator without
 * one (VALUES) is read row by row and not asked again after its end. */
static void test_batches_agree(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern scan = {var(A), var(B), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    exec_pattern p1 = {var(A), con(f->t[0]), var(B), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    exec_pattern p2 = {var(B), var(C), var(A), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    for (int kind = 0; kind < 3; kind++) {
        exec_op *ops[2];
        for (int k = 0; k < 2; k++)
            ops[k] = kind == 0   ? exec_scan_new(&ctx, &scan)
                     : kind == 1 ? exec_index_join_new(&ctx, exec_scan_new(&ctx, &p1), &p2)
                                 : exec_sort_by_slot_new(&ctx, exec_scan_new(&ctx, &scan), C);
        rowset one = {0}, mixed = {0};
        drain(ops[0], &one);
        drain_mixed(ops[1], &mixed);
        assert_int_equal(ctx.error.code, CK_OK);
        assert_true(one.n > (kind == 1 ? 10 : 600));
        assert_int_equal(mixed.n, one.n);
        assert_memory_equal(mixed.rows, one.rows, one.n * W * sizeof(ck_id));
        assert_int_equal(exec_rows_out(ops[1]), one.n);
        for (int k = 0; k < 2; k++)
            exec_free(ops[k]);
        free(one.rows);
        free(mixed.rows);
    }
    ck_id rows[5 * W] = {0};
    for (int i = 0; i < 5; i++)
        rows[i * W + A] = f->t[i];
    exec_op *values = exec_values_new(&ctx, rows, 5);
    ck_id out[64 * W];
    assert_int_equal(exec_next_many(values, out, 3), 3);
    assert_int_equal(exec_next_many(values, out + 3 * W, 64), 2);
    assert_memory_equal(out, rows, sizeof rows);
    assert_true(values->ended);
    assert_int_equal(exec_next_many(values, out, 64), 0);
    assert_int_equal(exec_rows_out(values), 5);
    exec_free(values);
}

/* exec_object_join_new: left rows binding ?c (some twice, one leaving it
 * unbound, one binding ?a too) joined with (?a <t1> ?c) as brute force
 * extends each left row, the rows coming sorted by ?a. */
static void test_object_join_agrees(void **state)
{
    fixture *f = *state;
    exec_ctx ctx = {.txn = f->txn, .width = W};
    exec_pattern p = {var(A), con(f->t[1]), var(C), EXEC_GRAPH_UNION, {0}, NULL, 0, false};
    ck_id left[8 * W] = {0};
    int objects[] = {3, 5, 5, 8, 11, -1, 3, 20}; /* -1: ?c unbound */
    for (int i = 0; i < 8; i++) {
        left[i * W + C] = objects[i] < 0 ? 0 : f->t[objects[i]];
        left[i * W + B] = f->t[i]; /* carried along */
    }
    /* the last row binds ?a to the subject of some (?a <t1> t20) */
    for (size_t i = 0; i < f->n; i++)
        if (f->quads[i].p == f->t[1] && f->quads[i].o == f->t[20])
            left[7 * W + A] = f->quads[i].s;
    assert_true(left[7 * W + A] != 0);
    rowset want = {0}, got = {0};
    for (int i = 0; i < 8; i++)
        brute_pattern(f, &p, left + i * W, &want);
    exec_op *op = exec_object_join_new(&ctx, exec_values_new(&ctx, left, 8), &p);
    assert_int_equal(op->sorted_slot, A);
    drain_mixed(op, &got);
    exec_free(op);
    assert_int_equal(ctx.error.code, CK_OK);
    assert_true(want.n > 100); /* the unbound row matches every (?a <t1> ?c) */
    for (size_t i = 1; i < got.n; i++)
        assert_true(got.rows[(i - 1) * W + A] <= got.rows[i * W + A]);
    assert_same_rows(&got, &want);
    free(want.rows);
    free(got.rows);
    /* past its time limit, the walk stops with the limit's error, also
     * where it keeps no row (a graph's name is no object of <t1>) */
    exec_ctx late = {.txn = f->txn, .width = W, .deadline_ns = 1, .timeout_ms = 1};
    ck_id none_match[W] = {0};
    none_match[C] = f->g1;
    op = exec_object_join_new(&late, exec_values_new(&late, none_match, 1), &p);
    ck_id late_row[W];
    assert_false(exec_next(op, late_row));
    exec_free(op);
    assert_int_equal(late.error.code, CK_ERR_CANCELLED);
    /* a predicate the store does not know: no rows, no error */
    exec_pattern unknown = p;
    unknown.p = con(0);
    op = exec_object_join_new(&ctx, exec_values_new(&ctx, left, 8), &unknown);
    ck_id row[W];
    assert_false(exec_next(op, row));
    assert_int_equal(ctx.error.code, CK_OK);
    exec_free(op);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_by_slot),
        cmocka_unit_test_setup_teardown(test_scan_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joins_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_join_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_left_join_minus_union, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_slice_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batches_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_object_join_agrees, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
