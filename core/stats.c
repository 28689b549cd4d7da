/*
 * stats.c — quad counts per predicate and per graph, kept in the "stats"
 * database in the same transaction as the quads they count. The optimizer
 * reads them for join ordering; `citykg stats` and the catalog for sizes.
 *
 * Key: one byte 'p' or 'g' and the id (8 bytes BE); value: count (8 bytes BE).
 * Entries whose count drops to zero are deleted, so the 'g' entries list
 * exactly the non-empty graphs.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    uint64_t id;
    int64_t delta;
    bool used;
} count_slot;

typedef struct {
    count_slot *slots;
    size_t cap, used;
} count_map;

static bool count_map_add(count_map *m, uint64_t id, int64_t delta)
{
    if ((m->used + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        count_slot *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return false;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].used)
                continue;
            size_t j = ck_hash_bytes(&m->slots[i].id, 8, 0) & (ncap - 1);
            while (ns[j].used)
                j = (j + 1) & (ncap - 1);
            ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    size_t j = ck_hash_bytes(&id, 8, 0) & (m->cap - 1);
    while (m->slots[j].used && m->slots[j].id != id)
        j = (j + 1) & (m->cap - 1);
    if (!m->slots[j].used) {
        m->slots[j] = (count_slot){id, 0, true};
        m->used++;
    }
    m->slots[j].delta += delta;
    return true;
}

static void stat_key(unsigned char key[9], char kind, uint64_t id)
{
    key[0] = (unsigned char)kind;
    bytes_put_be64(key + 1, id);
}

static uint64_t stat_get(ck_txn *t, char kind, uint64_t id)
{
    unsigned char kb[9];
    stat_key(kb, kind, id);
    MDB_val k = {9, kb}, v;
    if (mdb_get(t->mdb, t->store->stats, &k, &v) != 0 || v.mv_size != 8)
        return 0;
    return bytes_get_be64(v.mv_data);
}

static ck_status write_counts(ck_txn *t, char kind, count_map *m, ck_error *err)
{
    for (size_t i = 0; i < m->cap; i++) {
        count_slot *s = &m->slots[i];
        if (!s->used || s->delta == 0)
            continue;
        int64_t now = (int64_t)stat_get(t, kind, s->id) + s->delta;
        if (now < 0)
            return ck_error_set(err, CK_ERR_CORRUPT, "statistics would become negative");
        unsigned char kb[9], vb[8];
        stat_key(kb, kind, s->id);
        MDB_val k = {9, kb};
        int rc;
        if (now == 0) {
            rc = mdb_del(t->mdb, t->store->stats, &k, NULL);
            if (rc == MDB_NOTFOUND)
                rc = 0;
        } else {
            bytes_put_be64(vb, (uint64_t)now);
            MDB_val v = {8, vb};
            rc = mdb_put(t->mdb, t->store->stats, &k, &v, 0);
        }
        if (rc)
            return ck_lmdb_error(err, rc, "writing statistics");
    }
    return CK_OK;
}

ck_status stats_apply(ck_txn *t, const quad_row *rows, size_t n, int sign, ck_error *err)
{
    count_map preds = {0}, graphs = {0};
    ck_status st = CK_OK;
    for (size_t i = 0; i < n; i++) {
        if (!count_map_add(&preds, rows[i].c[1], sign) ||
            !count_map_add(&graphs, rows[i].c[3], sign)) {
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
            break;
        }
    }
    if (st == CK_OK)
        st = write_counts(t, 'p', &preds, err);
    if (st == CK_OK)
        st = write_counts(t, 'g', &graphs, err);
    free(preds.slots);
    free(graphs.slots);
    return st;
}

uint64_t ck_stats_predicate_count(ck_txn *t, ck_id p) { return stat_get(t, 'p', p); }
uint64_t ck_stats_graph_count(ck_txn *t, ck_id g) { return stat_get(t, 'g', g); }

/* Calls fn for every entry of one kind, in id order. */
static ck_status each_stat(ck_txn *t, char kind, void (*fn)(void *, uint64_t, uint64_t),
                           void *ctx, ck_error *err)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(t->mdb, t->store->stats, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading statistics");
    unsigned char kb[9];
    stat_key(kb, kind, 0);
    MDB_val k = {9, kb}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const unsigned char *key = k.mv_data;
        if (k.mv_size != 9 || key[0] != (unsigned char)kind)
            break;
        fn(ctx, bytes_get_be64(key + 1), v.mv_size == 8 ? bytes_get_be64(v.mv_data) : 0);
    }
    mdb_cursor_close(cur);
    return rc && rc != MDB_NOTFOUND ? ck_lmdb_error(err, rc, "reading statistics") : CK_OK;
}

ck_status ck_graphs_each(ck_txn *t, void (*fn)(void *ctx, ck_id g, uint64_t quads), void *ctx,
                         ck_error *err)
{
    return each_stat(t, 'g', fn, ctx, err);
}

ck_status ck_stats_each(ck_txn *t, char kind, void (*fn)(void *ctx, uint64_t id, uint64_t count),
                        void *ctx, ck_error *err)
{
    return each_stat(t, kind, fn, ctx, err);
}

static void sum_graph(void *ctx, uint64_t g, uint64_t count)
{
    ck_store_stats *s = ctx;
    s->quads += count;
    if (g != CK_DEFAULT_GRAPH)
        s->graphs++;
}

ck_status ck_store_stats_get(ck_txn *t, ck_store_stats *out, ck_error *err)
{
    memset(out, 0, sizeof *out);
    ck_status st = each_stat(t, 'g', sum_graph, out, err);
    if (st)
        return st;
    MDB_stat ms;
    int rc = mdb_stat(t->mdb, t->store->id2term, &ms);
    if (rc)
        return ck_lmdb_error(err, rc, "reading dictionary size");
    out->terms = ms.ms_entries;
    uint64_t next_blank = 1;
    MDB_val k = {13, "next_blank_id"}, v;
    if (mdb_get(t->mdb, t->store->meta, &k, &v) == 0 && v.mv_size == 8)
        next_blank = bytes_get_be64(v.mv_data);
    out->blank_nodes = next_blank - 1;
    MDB_envinfo info;
    MDB_stat es;
    mdb_env_info(t->store->env, &info);
    mdb_env_stat(t->store->env, &es);
    out->bytes_used = (uint64_t)(info.me_last_pgno + 1) * es.ms_psize;
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/data.mdb", t->store->path);
    out->bytes_on_disk = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : out->bytes_used;
    return CK_OK;
}
