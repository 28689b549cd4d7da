/*
 * graph_scan.c — a scan over a set of graphs, merging one cursor per graph
 * (see graph_scan.h).
 *
 * The ranges wait in a binary min-heap on their pending row, keyed in the
 * order of the whole-store scan: a gspo row (g s p o) has the key
 * (s p o g), which is its spog row, and likewise for gpos and gosp. Ties
 * cannot happen (g differs), and equal triples of two graphs come out one
 * after the other, lower graph id first, as in spog.
 */
#include "graph_scan.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

static bool key_less(const graph_scan *gs, size_t a, size_t b)
{
    return quad_row_cmp(&gs->ranges[a].key, &gs->ranges[b].key) < 0;
}

static void sift_down(graph_scan *gs, size_t i)
{
    for (;;) {
        size_t least = i, l = 2 * i + 1, r = l + 1;
        if (l < gs->heap_n && key_less(gs, gs->heap[l], gs->heap[least]))
            least = l;
        if (r < gs->heap_n && key_less(gs, gs->heap[r], gs->heap[least]))
            least = r;
        if (least == i)
            return;
        size_t t = gs->heap[i];
        gs->heap[i] = gs->heap[least];
        gs->heap[least] = t;
        i = least;
    }
}

static void sift_up(graph_scan *gs, size_t i)
{
    while (i > 0 && key_less(gs, gs->heap[i], gs->heap[(i - 1) / 2])) {
        size_t up = (i - 1) / 2, t = gs->heap[i];
        gs->heap[i] = gs->heap[up];
        gs->heap[up] = t;
        i = up;
    }
}

/* Reads range i's next row into its pending row: false at its end or on
 * error (gs->error set). */
static bool range_fetch(graph_scan *gs, size_t i)
{
    graph_range *r = &gs->ranges[i];
    const quad_row *row = quad_index_cursor_next(&r->cursor);
    if (!row) {
        if (r->cursor.error.code && !gs->error.code)
            gs->error = r->cursor.error;
        return false;
    }
    r->row = *row;
    r->key = (quad_row){{row->c[1], row->c[2], row->c[3], row->c[0]}};
    return true;
}

/* Adds the work of the cursors' last positioning to the totals (a seek
 * clears a cursor's counters). */
static void fold_work(graph_scan *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        gs->blocks += gs->ranges[i].cursor.blocks;
        gs->rows += gs->ranges[i].cursor.returned;
        gs->ranges[i].cursor.blocks = gs->ranges[i].cursor.returned = 0;
    }
}

/* Positions range i at prefix (its graph in front) and queues its first
 * row; opens the range's cursor first when txn is given. */
static ck_status range_start(graph_scan *gs, size_t i, ck_txn *txn, const quad_row *prefix,
                             int bound, ck_error *err)
{
    graph_range *r = &gs->ranges[i];
    quad_row p = *prefix;
    p.c[0] = r->g;
    gs->seeks++;
    ck_status st;
    if (txn) {
        st = quad_index_cursor_open(&r->cursor, txn->mdb, !txn->write, txn->store->index[gs->perm], &p,
                                    1 + bound, err);
        r->open = true; /* closed by graph_scan_close even when the opening failed */
    } else {
        st = quad_index_cursor_seek(&r->cursor, &p, 1 + bound, err);
    }
    if (st)
        return st;
    if (range_fetch(gs, i)) {
        gs->heap[gs->heap_n++] = i;
        sift_up(gs, gs->heap_n - 1);
    } else if (gs->error.code) {
        if (err)
            *err = gs->error;
        return gs->error.code;
    }
    return CK_OK;
}

/* Lookups with the same predicate before the graphs without it are
 * sought out: a scan opened for a few lookups (a path step, an EXISTS
 * probe) would pay more for the check than it saves. */
#define P_CHECK_AFTER 8

/* The predicate a lookup at prefix binds, or 0: only where p follows
 * another bound column (gspo with s and p, gpos with p and o), so that
 * the graph's predicate range tells something the seek itself would not. */
static ck_id lookup_predicate(const graph_scan *gs, const quad_row *prefix, int bound)
{
    if (gs->perm == PERM_GSPO && bound >= 2)
        return prefix->c[2];
    if (gs->perm == PERM_GPOS && bound >= 2)
        return prefix->c[1];
    return 0;
}

/* Marks the ranges whose graph has no quad with predicate p (gpos). */
static ck_status check_predicate(graph_scan *gs, ck_id p, ck_error *err)
{
    quad_index_cursor probe;
    ck_status st = CK_OK;
    bool opened = false;
    for (size_t i = 0; i < gs->n && st == CK_OK; i++) {
        quad_row prefix = {{gs->ranges[i].g, p, 0, 0}};
        st = opened ? quad_index_cursor_seek(&probe, &prefix, 2, err)
                    : quad_index_cursor_open(&probe, gs->txn->mdb, !gs->txn->write,
                                             gs->txn->store->index[PERM_GPOS], &prefix, 2, err);
        opened = true;
        gs->seeks++;
        if (st == CK_OK) {
            gs->ranges[i].lacks_p = quad_index_cursor_next(&probe) == NULL;
            if (probe.error.code)
                st = ck_error_set(err, probe.error.code, "%s", probe.error.message);
        }
        gs->blocks += probe.blocks;
        gs->rows += probe.returned;
    }
    if (opened)
        quad_index_cursor_close(&probe);
    return st;
}

ck_status graph_scan_seek(graph_scan *gs, const quad_row *prefix, int bound, ck_error *err)
{
    fold_work(gs);
    gs->error = (ck_error){0};
    gs->heap_n = 0;
    ck_id p = lookup_predicate(gs, prefix, bound);
    if (p != gs->p_known) {
        gs->p_known = p;
        gs->p_lookups = 0;
        gs->p_checked = false;
    }
    /* only in a read snapshot: a write could add the predicate to a graph */
    if (p && !gs->txn->write && !gs->p_checked && ++gs->p_lookups == P_CHECK_AFTER) {
        ck_status st = check_predicate(gs, p, err);
        if (st)
            return st;
        gs->p_checked = true;
    }
    for (size_t i = 0; i < gs->n; i++) {
        if (gs->p_checked && gs->ranges[i].lacks_p)
            continue;
        ck_status st = range_start(gs, i, NULL, prefix, bound, err);
        if (st)
            return st;
    }
    return CK_OK;
}

ck_status graph_scan_open(graph_scan *gs, ck_txn *txn, quad_perm perm, const ck_graph_set *set,
                          const quad_row *prefix, int bound, ck_error *err)
{
    memset(gs, 0, sizeof *gs);
    gs->perm = perm;
    gs->txn = txn;
    size_t max = set->n + (set->default_graph ? 1 : 0);
    gs->ranges = calloc(max ? max : 1, sizeof *gs->ranges);
    gs->heap = calloc(max ? max : 1, sizeof *gs->heap);
    if (!gs->ranges || !gs->heap) {
        graph_scan_close(gs);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < max; i++) {
        /* the default graph first: its id (0) sorts before every other */
        ck_id g = set->default_graph ? (i == 0 ? CK_DEFAULT_GRAPH : set->ids[i - 1]) : set->ids[i];
        /* a seek into a graph without quads costs as much as one into a
         * full graph; in a read snapshot the statistics say which are empty */
        if (!txn->write && ck_stats_graph_count(txn, g) == 0)
            continue;
        gs->ranges[gs->n].g = g;
        ck_status st = range_start(gs, gs->n++, txn, prefix, bound, err);
        if (st) {
            graph_scan_close(gs);
            return st;
        }
    }
    return CK_OK;
}

const quad_row *graph_scan_next(graph_scan *gs)
{
    if (gs->heap_n == 0)
        return NULL;
    size_t top = gs->heap[0];
    gs->out = gs->ranges[top].row;
    if (range_fetch(gs, top)) {
        sift_down(gs, 0);
    } else {
        if (gs->error.code) {
            gs->heap_n = 0;
            return NULL;
        }
        gs->heap[0] = gs->heap[--gs->heap_n];
        sift_down(gs, 0);
    }
    return &gs->out;
}

uint64_t graph_scan_estimate(graph_scan *gs, uint64_t exact_up_to, bool *exact)
{
    uint64_t total = 0;
    *exact = true;
    for (size_t h = 0; h < gs->heap_n && !gs->error.code; h++) {
        quad_index_cursor *c = &gs->ranges[gs->heap[h]].cursor;
        total++; /* the row read ahead when the scan was positioned */
        while (total < exact_up_to && quad_index_cursor_next(c))
            total++;
        if (!c->done) {
            *exact = false;
            total += quad_index_cursor_estimate_rest(c);
        }
        if (c->error.code)
            gs->error = c->error;
    }
    gs->heap_n = 0;
    return total;
}

void graph_scan_work(const graph_scan *gs, uint64_t *seeks, uint64_t *blocks, uint64_t *rows)
{
    *seeks = gs->seeks;
    *blocks = gs->blocks;
    *rows = gs->rows;
    for (size_t i = 0; i < gs->n; i++) {
        *blocks += gs->ranges[i].cursor.blocks;
        *rows += gs->ranges[i].cursor.returned;
    }
}

void graph_scan_close(graph_scan *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        if (gs->ranges[i].open)
            quad_index_cursor_close(&gs->ranges[i].cursor);
    free(gs->ranges);
    free(gs->heap);
    gs->ranges = NULL;
    gs->heap = NULL;
    gs->n = gs->heap_n = 0;
}
