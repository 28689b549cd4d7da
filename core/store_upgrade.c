/*
 * store_upgrade.c — bringing a store of an older format up to the current
 * one when it is opened for writing.
 *
 * Format 3 -> 4 adds the psog permutation. posg holds the same quads with
 * the predicate first, so psog is built one predicate at a time: that
 * predicate's posg rows, turned into psog rows and sorted, are appended
 * after the previous predicate's. Memory holds one predicate's rows, and
 * every block is written once. All of it happens in the opening's write
 * transaction: a crash leaves the store at format 3, as it was.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* Stores at least this large print their progress on stderr. */
#define PROGRESS_EVERY 1000000

typedef struct {
    quad_row *rows, *tmp;
    size_t n, cap;
    uint64_t done; /* quads written to psog so far */
} psog_batch;

static bool batch_push(psog_batch *b, const quad_row *posg)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 65536;
        quad_row *r = realloc(b->rows, ncap * sizeof *r);
        quad_row *t = r ? realloc(b->tmp, ncap * sizeof *t) : NULL;
        if (r)
            b->rows = r;
        if (!t)
            return false;
        b->tmp = t;
        b->cap = ncap;
    }
    /* posg (p, o, s, g) -> psog (p, s, o, g) */
    b->rows[b->n++] = (quad_row){{posg->c[0], posg->c[2], posg->c[1], posg->c[3]}};
    return true;
}

/* Writes one predicate's rows (all rows of b) after those written before. */
static ck_status batch_flush(psog_batch *b, MDB_txn *txn, MDB_dbi psog, ck_error *err)
{
    if (b->n == 0)
        return CK_OK;
    size_t n = quad_rows_sort_unique(b->rows, b->tmp, b->n);
    if (n != b->n)
        return ck_error_set(err, CK_ERR_CORRUPT, "posg holds the same quad twice");
    ck_status st = quad_index_insert(txn, psog, b->rows, n, false, NULL, NULL, err);
    uint64_t before = b->done;
    b->done += n;
    b->n = 0;
    if (st == CK_OK && b->done / PROGRESS_EVERY != before / PROGRESS_EVERY)
        fprintf(stderr, "citykg: upgrading the store to format 4 (psog index): %llu quads\n",
                (unsigned long long)b->done);
    return st;
}

ck_status store_build_psog(ck_store *s, MDB_txn *txn, ck_error *err)
{
    int rc = mdb_drop(txn, s->index[PERM_PSOG], 0); /* empty, whatever it held */
    if (rc)
        return ck_lmdb_error(err, rc, "emptying psog");
    quad_index_cursor c;
    quad_row none = {{0, 0, 0, 0}};
    ck_status st = quad_index_cursor_open(&c, txn, false, s->index[PERM_POSG], &none, 0, err);
    psog_batch b = {0};
    const quad_row *r;
    while (st == CK_OK && (r = quad_index_cursor_next(&c))) {
        if (b.n && b.rows[b.n - 1].c[0] != r->c[0])
            st = batch_flush(&b, txn, s->index[PERM_PSOG], err);
        if (st == CK_OK && !batch_push(&b, r))
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory building psog");
    }
    if (st == CK_OK && c.error.code)
        st = ck_error_set(err, c.error.code, "%s", c.error.message);
    if (st == CK_OK)
        st = batch_flush(&b, txn, s->index[PERM_PSOG], err);
    if (st == CK_OK && b.done >= PROGRESS_EVERY)
        fprintf(stderr, "citykg: upgraded the store to format 4: psog holds %llu quads\n",
                (unsigned long long)b.done);
    quad_index_cursor_close(&c);
    free(b.rows);
    free(b.tmp);
    return st;
}
