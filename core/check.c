/*
 * check.c — integrity verification for `citykg check`.
 *
 * 1. Every block of every permutation decodes, rows ascend strictly within
 *    and across blocks.
 * 2. All permutations (seven; six in a format-3 store read as it is) hold
 *    the same set of quads: same count and the same order-independent
 *    fingerprint (sums of two independent 64-bit
 *    hashes of each quad), so a missing, extra or altered quad is caught
 *    except with probability ~2^-64.
 * 3. Every id in a quad resolves: dictionary ids have an id2term entry
 *    (checked once per id with a bitmap), blank node ids were handed out.
 * 4. The dictionary is consistent: every term2id entry points to an id2term
 *    entry whose bytes hash back to it; both have the same number of entries.
 * 5. Statistics per predicate and per graph equal counts recomputed from spog.
 * 6. The value index, when complete, holds exactly the rows a rebuild from
 *    posg would write (value_index.c).
 */
#include "store_internal.h"
#include "value_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t count, sum1, sum2;
} fingerprint;

static void fingerprint_add(fingerprint *f, const ck_quad *q)
{
    uint64_t v[4] = {q->g, q->s, q->p, q->o};
    f->count++;
    f->sum1 += ck_hash_bytes(v, sizeof v, 1);
    f->sum2 += ck_hash_bytes(v, sizeof v, 2);
}

typedef struct {
    ck_txn *txn;
    unsigned char *seen; /* bitmap over dictionary payloads */
    uint64_t seen_bits;
    uint64_t next_blank;
    /* recomputed statistics: sorted arrays built from maps */
    uint64_t *pred_ids, *pred_counts;
    size_t npred, cap_pred;
    uint64_t *graph_ids, *graph_counts;
    size_t ngraph, cap_graph;
} check_state;

static ck_status check_id(check_state *cs, ck_id id, bool graph_position, ck_error *err)
{
    if (id == 0)
        return graph_position ? CK_OK
                              : ck_error_set(err, CK_ERR_CORRUPT, "quad with an unbound term");
    enum ck_tag tag = ck_id_tag(id);
    if (tag == CK_TAG_BLANK) {
        if (ck_id_payload(id) >= cs->next_blank)
            return ck_error_set(err, CK_ERR_CORRUPT, "blank node id %llu was never handed out",
                                (unsigned long long)id);
        return CK_OK;
    }
    if (!ck_id_in_dictionary(id)) {
        ck_term t;
        ck_term_buf buf;
        return ck_term_resolve(cs->txn, id, &t, &buf, err) == CK_OK
                   ? CK_OK
                   : ck_error_set(err, CK_ERR_CORRUPT, "invalid inline id %llu",
                                  (unsigned long long)id);
    }
    uint64_t payload = ck_id_payload(id);
    if (payload < cs->seen_bits && (cs->seen[payload / 8] >> (payload % 8) & 1))
        return CK_OK;
    ck_term t;
    ck_term_buf buf;
    ck_error e;
    if (ck_term_resolve(cs->txn, id, &t, &buf, &e) != CK_OK)
        return ck_error_set(err, CK_ERR_CORRUPT, "term id %llu does not resolve: %s",
                            (unsigned long long)id, e.message);
    if (payload < cs->seen_bits)
        cs->seen[payload / 8] |= (unsigned char)(1u << (payload % 8));
    return CK_OK;
}

/* Adds one to the count of id in a small sorted array (predicates and graphs
 * are few; insertion keeps it sorted for the comparison with stats). */
static void count_in(uint64_t **ids, uint64_t **counts, size_t *n, size_t *cap, uint64_t id)
{
    size_t lo = 0, hi = *n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((*ids)[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < *n && (*ids)[lo] == id) {
        (*counts)[lo]++;
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *ids = realloc(*ids, *cap * sizeof **ids);
        *counts = realloc(*counts, *cap * sizeof **counts);
    }
    memmove(*ids + lo + 1, *ids + lo, (*n - lo) * sizeof **ids);
    memmove(*counts + lo + 1, *counts + lo, (*n - lo) * sizeof **counts);
    (*ids)[lo] = id;
    (*counts)[lo] = 1;
    (*n)++;
}

static ck_status scan_permutation(check_state *cs, quad_perm perm, fingerprint *fp,
                                  void (*progress)(const char *), ck_error *err)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(cs->txn->mdb, cs->txn->store->index[perm], &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "opening index");
    quad_row *rows = malloc(QUAD_BLOCK_MAX_ROWS * sizeof *rows);
    quad_row last = {{0, 0, 0, 0}};
    bool have_last = false;
    ck_status st = CK_OK;
    MDB_val k, v;
    uint64_t blocks = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && st == CK_OK;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        size_t n = quad_block_decode(&k, &v, rows);
        blocks++;
        if (n == 0) {
            st = ck_error_set(err, CK_ERR_CORRUPT, "%s: block %llu does not decode",
                              quad_perm_names[perm], (unsigned long long)blocks);
            break;
        }
        for (size_t i = 0; i < n && st == CK_OK; i++) {
            if (have_last && quad_row_cmp(&last, &rows[i]) >= 0) {
                st = ck_error_set(err, CK_ERR_CORRUPT, "%s: rows out of order in block %llu",
                                  quad_perm_names[perm], (unsigned long long)blocks);
                break;
            }
            last = rows[i];
            have_last = true;
            ck_quad q;
            row_to_quad(perm, &rows[i], &q);
            fingerprint_add(fp, &q);
            if (perm == PERM_SPOG) {
                if ((st = check_id(cs, q.s, false, err)) || (st = check_id(cs, q.p, false, err)) ||
                    (st = check_id(cs, q.o, false, err)) || (st = check_id(cs, q.g, true, err)))
                    break;
                count_in(&cs->pred_ids, &cs->pred_counts, &cs->npred, &cs->cap_pred, q.p);
                count_in(&cs->graph_ids, &cs->graph_counts, &cs->ngraph, &cs->cap_graph, q.g);
            }
        }
    }
    if (st == CK_OK && rc != MDB_NOTFOUND)
        st = ck_lmdb_error(err, rc, "reading index");
    free(rows);
    mdb_cursor_close(cur);
    if (st == CK_OK && progress) {
        char line[160];
        snprintf(line, sizeof line, "%s: %llu quads in %llu blocks", quad_perm_names[perm],
                 (unsigned long long)fp->count, (unsigned long long)blocks);
        progress(line);
    }
    return st;
}

typedef struct {
    const uint64_t *ids, *counts;
    size_t n, pos;
    char kind;
    ck_error *err;
    ck_status status;
} stats_compare;

static void compare_stat(void *ctx, uint64_t id, uint64_t count)
{
    stats_compare *c = ctx;
    if (c->status)
        return;
    if (c->pos >= c->n || c->ids[c->pos] != id || c->counts[c->pos] != count) {
        c->status = ck_error_set(c->err, CK_ERR_CORRUPT,
                                 "statistics for %s %llu say %llu quads, the index disagrees",
                                 c->kind == 'p' ? "predicate" : "graph", (unsigned long long)id,
                                 (unsigned long long)count);
        return;
    }
    c->pos++;
}

static ck_status check_stats(check_state *cs, char kind, const uint64_t *ids,
                             const uint64_t *counts, size_t n, ck_error *err)
{
    stats_compare c = {ids, counts, n, 0, kind, err, CK_OK};
    ck_status st = ck_stats_each(cs->txn, kind, compare_stat, &c, err);
    if (st)
        return st;
    if (c.status)
        return c.status;
    if (c.pos != n)
        return ck_error_set(err, CK_ERR_CORRUPT, "%zu %s statistics entries are missing",
                            n - c.pos, kind == 'p' ? "predicate" : "graph");
    return CK_OK;
}

static ck_status check_dictionary(check_state *cs, ck_error *err)
{
    MDB_txn *txn = cs->txn->mdb;
    MDB_stat a, b;
    int rc = mdb_stat(txn, cs->txn->store->id2term, &a);
    if (!rc)
        rc = mdb_stat(txn, cs->txn->store->term2id, &b);
    if (rc)
        return ck_lmdb_error(err, rc, "reading dictionary");
    if (a.ms_entries != b.ms_entries)
        return ck_error_set(err, CK_ERR_CORRUPT,
                            "dictionary has %zu terms but %zu hash entries", a.ms_entries,
                            b.ms_entries);
    MDB_cursor *cur;
    rc = mdb_cursor_open(txn, cs->txn->store->term2id, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading dictionary");
    MDB_val k, v;
    ck_status st = CK_OK;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        ck_id id = bytes_get_be64(v.mv_data);
        unsigned char ib[8];
        bytes_put_be64(ib, id);
        MDB_val ik = {8, ib}, iv;
        if (mdb_get(txn, cs->txn->store->id2term, &ik, &iv) != 0) {
            st = ck_error_set(err, CK_ERR_CORRUPT, "hash entry points to missing term %llu",
                              (unsigned long long)id);
            break;
        }
        uint64_t h = ck_hash_bytes(iv.mv_data, iv.mv_size,
                                   (uint64_t)ck_id_tag(id) * 0x9E3779B97F4A7C15ULL);
        if (h != bytes_get_be64(k.mv_data)) {
            st = ck_error_set(err, CK_ERR_CORRUPT, "term %llu is filed under a wrong hash",
                              (unsigned long long)id);
            break;
        }
    }
    mdb_cursor_close(cur);
    if (st == CK_OK && rc != MDB_NOTFOUND)
        st = ck_lmdb_error(err, rc, "reading dictionary");
    return st;
}

ck_status ck_store_check(ck_txn *txn, void (*progress)(const char *line), ck_error *err)
{
    check_state cs = {.txn = txn};
    uint64_t next_dict = 1;
    MDB_val k = {12, "next_dict_id"}, v;
    if (mdb_get(txn->mdb, txn->store->meta, &k, &v) == 0 && v.mv_size == 8)
        next_dict = bytes_get_be64(v.mv_data);
    MDB_val kb = {13, "next_blank_id"};
    cs.next_blank = 1;
    if (mdb_get(txn->mdb, txn->store->meta, &kb, &v) == 0 && v.mv_size == 8)
        cs.next_blank = bytes_get_be64(v.mv_data);
    cs.seen_bits = next_dict;
    cs.seen = calloc(next_dict / 8 + 1, 1);
    if (!cs.seen)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");

    fingerprint fps[PERM_COUNT] = {{0}};
    ck_status st = CK_OK;
    /* a format-3 store opened read-only has no psog */
    int nperms = txn->store->has_psog ? PERM_COUNT : PERM_PSOG;
    for (int p = 0; p < nperms && st == CK_OK; p++)
        st = scan_permutation(&cs, (quad_perm)p, &fps[p], progress, err);
    for (int p = 1; p < nperms && st == CK_OK; p++)
        if (fps[p].count != fps[0].count || fps[p].sum1 != fps[0].sum1 ||
            fps[p].sum2 != fps[0].sum2)
            st = ck_error_set(err, CK_ERR_CORRUPT,
                              "index %s holds %llu quads, spog %llu, or their contents differ",
                              quad_perm_names[p], (unsigned long long)fps[p].count,
                              (unsigned long long)fps[0].count);
    if (st == CK_OK)
        st = check_stats(&cs, 'p', cs.pred_ids, cs.pred_counts, cs.npred, err);
    if (st == CK_OK)
        st = check_stats(&cs, 'g', cs.graph_ids, cs.graph_counts, cs.ngraph, err);
    if (st == CK_OK && progress)
        progress("statistics: consistent");
    if (st == CK_OK)
        st = check_dictionary(&cs, err);
    if (st == CK_OK && progress)
        progress("dictionary: consistent");
    uint64_t value_rows = 0;
    if (st == CK_OK && ck_values_ready(txn))
        st = values_check(txn, &value_rows, err);
    if (st == CK_OK && progress) {
        char line[160];
        if (ck_values_ready(txn))
            snprintf(line, sizeof line, "value index: %llu rows, as rebuilt from posg",
                     (unsigned long long)value_rows);
        else
            snprintf(line, sizeof line, "value index: none (a store made before it, opened read-only)");
        progress(line);
    }
    free(cs.seen);
    free(cs.pred_ids);
    free(cs.pred_counts);
    free(cs.graph_ids);
    free(cs.graph_counts);
    return st;
}
