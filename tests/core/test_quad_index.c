/* Unit tests of quad_index.c: radix sort, block codec, insert/remove/prefix
 * scans on a real LMDB database, checked against a sorted reference array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quad_index.h"

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int cmp_rows(const void *a, const void *b) { return quad_row_cmp(a, b); }

/* Values from small pools so that prefixes repeat, plus a few huge ids. */
static quad_row random_row(void)
{
    quad_row r;
    for (int i = 0; i < 4; i++) {
        uint64_t v = rnd();
        r.c[i] = (v & 0xF) == 0 ? v : 1 + (v >> 8) % (i == 3 ? 3 : 300);
    }
    return r;
}

static void test_sort_unique_matches_qsort(void **state)
{
    (void)state;
    size_t n = 50000;
    quad_row *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *tmp = malloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = random_row();
    size_t m = quad_rows_sort_unique(a, tmp, n);
    qsort(b, n, sizeof *b, cmp_rows);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || quad_row_cmp(&b[k - 1], &b[i]) != 0)
            b[k++] = b[i];
    assert_int_equal(m, k);
    assert_memory_equal(a, b, m * sizeof *a);
    free(a);
    free(b);
    free(tmp);
}

/* Narrow columns take the packed 128-bit path; one full-width column (and
 * columns summing to more than 128 bits) the byte-wise path. */
static void test_sort_unique_packed_paths(void **state)
{
    (void)state;
    const uint64_t offsets[] = {0, (uint64_t)1 << 40, UINT64_MAX - 5000000};
    const int widths[][4] = {{20, 5, 24, 3}, {32, 32, 32, 32}, {64, 1, 1, 1}, {40, 40, 40, 9}};
    for (size_t o = 0; o < sizeof offsets / sizeof *offsets; o++)
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
            size_t n = 20000;
            quad_row *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
                     *tmp = malloc(n * sizeof *tmp);
            for (size_t i = 0; i < n; i++)
                for (int c = 0; c < 4; c++) {
                    int bits = widths[w][c];
                    uint64_t v = rnd() % 7 == 0 ? 0 : rnd();
                    v = bits == 64 ? v : v & (((uint64_t)1 << bits) - 1);
                    a[i].c[c] = b[i].c[c] = bits == 64 ? v : offsets[o] + v % 5000000;
                }
            size_t m = quad_rows_sort_unique(a, tmp, n);
            qsort(b, n, sizeof *b, cmp_rows);
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (k == 0 || quad_row_cmp(&b[k - 1], &b[i]) != 0)
                    b[k++] = b[i];
            assert_int_equal(m, k);
            assert_memory_equal(a, b, m * sizeof *a);
            free(a);
            free(b);
            free(tmp);
        }
}

static void test_sort_by_first_is_stable(void **state)
{
    (void)state;
    size_t n = 10000;
    quad_row *a = malloc(n * sizeof *a), *tmp = malloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        a[i] = (quad_row){{rnd() % 5, i, 0, 0}};
    quad_rows_sort_by_first(a, tmp, n);
    for (size_t i = 1; i < n; i++) {
        assert_true(a[i - 1].c[0] <= a[i].c[0]);
        if (a[i - 1].c[0] == a[i].c[0])
            assert_true(a[i - 1].c[1] < a[i].c[1]);
    }
    free(a);
    free(tmp);
}

typedef struct {
    char dir[64];
    MDB_env *env;
    MDB_dbi dbi;
    bool one_first; /* blocks of one first-column value (graph-first indexes) */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/citykg-test-qi-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(mdb_env_create(&f->env), 0);
    mdb_env_set_maxdbs(f->env, 2);
    mdb_env_set_mapsize(f->env, 1ULL << 30);
    assert_int_equal(mdb_env_open(f->env, f->dir, 0, 0644), 0);
    MDB_txn *t;
    assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &t), 0);
    assert_int_equal(mdb_dbi_open(t, "idx", MDB_CREATE, &f->dbi), 0);
    assert_int_equal(mdb_txn_commit(t), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mdb_env_close(f->env);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Reference: a sorted set of rows. */
typedef struct {
    quad_row *rows;
    size_t n, cap;
} ref_set;

static bool ref_contains(const ref_set *s, const quad_row *r)
{
    return s->n && bsearch(r, s->rows, s->n, sizeof *r, cmp_rows) != NULL;
}

static void ref_apply(ref_set *s, const quad_row *rows, size_t n, bool insert)
{
    if (insert) {
        if (s->n + n > s->cap) {
            s->cap = (s->n + n) * 2;
            s->rows = realloc(s->rows, s->cap * sizeof *s->rows);
        }
        ref_set old = *s; /* the sorted part; rows itself is sorted and unique */
        for (size_t i = 0; i < n; i++)
            if (!ref_contains(&old, &rows[i]))
                s->rows[s->n++] = rows[i];
        qsort(s->rows, s->n, sizeof *s->rows, cmp_rows);
    } else {
        size_t k = 0;
        for (size_t i = 0; i < s->n; i++)
            if (!bsearch(&s->rows[i], rows, n, sizeof *rows, cmp_rows))
                s->rows[k++] = s->rows[i];
        s->n = k;
    }
}

/* read_only: blocks read in place in a read-only transaction, or copied
 * as in a write transaction. */
static void expect_prefix_scan_in(fixture *f, const ref_set *ref, const quad_row *prefix, int len,
                                  bool read_only)
{
    MDB_txn *t;
    assert_int_equal(mdb_txn_begin(f->env, NULL, read_only ? MDB_RDONLY : 0, &t), 0);
    quad_index_cursor c;
    ck_error err = {0};
    assert_int_equal(quad_index_cursor_open(&c, t, read_only, f->dbi, prefix, len, &err), CK_OK);
    size_t i = 0, returned = 0;
    const quad_row *r;
    /* rows one at a time and in batches of random sizes, mixed */
    quad_row batch[80];
    size_t nbatch = 0, pos = 0;
    for (;;) {
        if (pos == nbatch) {
            pos = nbatch = 0;
            if (rnd() % 3 == 0) {
                r = quad_index_cursor_next(&c);
            } else {
                nbatch = quad_index_cursor_next_many(&c, batch, 1 + rnd() % 79);
                r = nbatch ? &batch[pos++] : NULL;
            }
        } else {
            r = &batch[pos++];
        }
        if (!r)
            break;
        returned++;
        /* advance the reference to the next row with the prefix */
        while (i < ref->n) {
            bool match = true;
            for (int k = 0; k < len; k++)
                match = match && ref->rows[i].c[k] == prefix->c[k];
            if (match)
                break;
            i++;
        }
        assert_true(i < ref->n);
        if (quad_row_cmp(r, &ref->rows[i]) != 0)
            fprintf(stderr, "prefix len %d: index row %llu %llu %llu %llu, reference %llu %llu %llu %llu\n", len,
                    (unsigned long long)r->c[0], (unsigned long long)r->c[1], (unsigned long long)r->c[2], (unsigned long long)r->c[3],
                    (unsigned long long)ref->rows[i].c[0], (unsigned long long)ref->rows[i].c[1], (unsigned long long)ref->rows[i].c[2], (unsigned long long)ref->rows[i].c[3]);
        assert_int_equal(quad_row_cmp(r, &ref->rows[i]), 0);
        i++;
    }
    assert_int_equal(c.error.code, CK_OK);
    assert_int_equal(c.returned, returned);
    for (; i < ref->n; i++) {
        bool match = true;
        for (int k = 0; k < len; k++)
            match = match && ref->rows[i].c[k] == prefix->c[k];
        assert_false(match);
    }
    quad_index_cursor_close(&c);
    mdb_txn_abort(t);
}

static void expect_prefix_scan(fixture *f, const ref_set *ref, const quad_row *prefix, int len)
{
    expect_prefix_scan_in(f, ref, prefix, len, true);
    expect_prefix_scan_in(f, ref, prefix, len, false);
}

static void test_insert_remove_scan(void **state)
{
    fixture *f = *state;
    ref_set ref = {0};
    for (int round = 0; round < 40; round++) {
        bool insert = round < 10 || rnd() % 3 != 0;
        size_t n = 1 + rnd() % (round < 5 ? 20000 : 3000);
        quad_row *batch = malloc(n * sizeof *batch), *tmp = malloc(n * sizeof *tmp);
        for (size_t i = 0; i < n; i++)
            batch[i] = (!insert && ref.n && rnd() % 2) ? ref.rows[rnd() % ref.n] : random_row();
        n = quad_rows_sort_unique(batch, tmp, n);
        bool *flags = malloc(n);
        size_t expected = 0;
        for (size_t i = 0; i < n; i++)
            expected += ref_contains(&ref, &batch[i]) != insert;
        MDB_txn *t;
        assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &t), 0);
        size_t changed = 0;
        ck_error err = {0};
        ck_status st = insert ? quad_index_insert(t, f->dbi, batch, n, f->one_first, flags, &changed, &err)
                              : quad_index_remove(t, f->dbi, batch, n, f->one_first, flags, &changed, &err);
        assert_int_equal(st, CK_OK);
        assert_int_equal(mdb_txn_commit(t), 0);
        assert_int_equal(changed, expected);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(flags[i], ref_contains(&ref, &batch[i]) != insert);
        ref_apply(&ref, batch, n, insert);
        quad_row none = {{0, 0, 0, 0}};
        expect_prefix_scan(f, &ref, &none, 0);
        for (int k = 0; k < 6 && ref.n; k++) {
            quad_row p = ref.rows[rnd() % ref.n];
            expect_prefix_scan(f, &ref, &p, 1 + k % 4);
            quad_row absent = random_row();
            expect_prefix_scan(f, &ref, &absent, 1 + k % 4);
        }
        free(batch);
        free(tmp);
        free(flags);
    }
    MDB_stat ms;
    MDB_txn *t;
    mdb_txn_begin(f->env, NULL, MDB_RDONLY, &t);
    mdb_stat(t, f->dbi, &ms);
    mdb_txn_abort(t);
    assert_true(ms.ms_entries > 3); /* the test really exercised several blocks */
    free(ref.rows);
}

/* Whether every block holds rows of one first-column value only; counts
 * the blocks and rows. */
static bool blocks_of_one_first(fixture *f, size_t *blocks, size_t *rows)
{
    MDB_txn *t;
    MDB_cursor *cur;
    mdb_txn_begin(f->env, NULL, MDB_RDONLY, &t);
    mdb_cursor_open(t, f->dbi, &cur);
    quad_row *block = malloc(QUAD_BLOCK_MAX_ROWS * sizeof *block);
    bool one = true;
    *blocks = *rows = 0;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        size_t n = quad_block_decode(&k, &v, block);
        assert_true(n > 0);
        for (size_t i = 1; i < n; i++)
            one = one && block[i].c[0] == block[0].c[0];
        (*blocks)++;
        *rows += n;
    }
    free(block);
    mdb_cursor_close(cur);
    mdb_txn_abort(t);
    return one;
}

/* The same random inserts and removes with blocks kept to one graph (the
 * first column): every scan as before, and no block mixes two values. */
static void test_insert_remove_one_first(void **state)
{
    fixture *f = *state;
    size_t blocks, rows;
    f->one_first = true;
    test_insert_remove_scan(state);
    assert_true(blocks_of_one_first(f, &blocks, &rows));
    assert_true(blocks > 300); /* the 300 first values of random_row, at least */
}

/* An index written with mixed blocks, re-packed: the same rows, now in
 * blocks of one first-column value each. */
static void test_repack(void **state)
{
    fixture *f = *state;
    test_insert_remove_scan(state);
    size_t blocks, rows;
    assert_false(blocks_of_one_first(f, &blocks, &rows));
    size_t before = rows;
    MDB_txn *t;
    assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &t), 0);
    ck_error err;
    uint64_t repacked;
    assert_int_equal(quad_index_repack(t, f->dbi, true, &repacked, &err), CK_OK);
    assert_int_equal(mdb_txn_commit(t), 0);
    assert_int_equal(repacked, before);
    assert_true(blocks_of_one_first(f, &blocks, &rows));
    assert_int_equal(rows, before);
    /* and still scans like the rows it holds */
    quad_row *all = malloc(before * sizeof *all);
    MDB_cursor *cur;
    mdb_txn_begin(f->env, NULL, MDB_RDONLY, &t);
    mdb_cursor_open(t, f->dbi, &cur);
    size_t n = 0;
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        n += quad_block_decode(&k, &v, all + n);
    mdb_cursor_close(cur);
    mdb_txn_abort(t);
    ref_set ref = {all, n, n};
    quad_row none = {{0, 0, 0, 0}};
    expect_prefix_scan(f, &ref, &none, 0);
    quad_row p = all[n / 2];
    expect_prefix_scan(f, &ref, &p, 1);
    expect_prefix_scan(f, &ref, &p, 3);
    free(all);
}

static void test_large_ids_round_trip(void **state)
{
    fixture *f = *state;
    quad_row rows[] = {{{1, 2, 3, 4}},
                       {{1, 2, 3, UINT64_MAX}},
                       {{1, UINT64_MAX - 1, 0, 5}},
                       {{UINT64_MAX, 0, UINT64_MAX, 0}}};
    MDB_txn *t;
    assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &t), 0);
    ck_error err;
    assert_int_equal(quad_index_insert(t, f->dbi, rows, 4, false, NULL, NULL, &err), CK_OK);
    assert_int_equal(mdb_txn_commit(t), 0);
    ref_set ref = {rows, 4, 4};
    quad_row none = {{0, 0, 0, 0}};
    expect_prefix_scan(f, &ref, &none, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_unique_matches_qsort),
        cmocka_unit_test(test_sort_unique_packed_paths),
        cmocka_unit_test(test_sort_by_first_is_stable),
        cmocka_unit_test_setup_teardown(test_insert_remove_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_remove_one_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_ids_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
