/*
 * graph_scan.h — a range scan over a set of graphs that reads only those
 * graphs' own index ranges. Internal to core/ (store.c uses it for
 * ck_pattern.graphs).
 *
 * A scan "in any graph" of the whole store reads spog, posg or ospg, whose
 * ranges interleave the quads of every graph. Restricted to a set of
 * graphs (the graphs a caller may read), it instead opens one cursor per
 * graph on the graph-first permutation (gspo, gpos, gosp), whose ranges
 * hold one graph each, and merges them: the rows come out in the order the
 * whole-store scan gives (s p o g for spog, ...), so copies of a triple in
 * several graphs stay adjacent. The work done — seeks, blocks read, rows
 * decoded — depends on the graphs of the set only, never on how many quads
 * other graphs hold; the price is one seek per graph of the set.
 */
#ifndef CITYKG_GRAPH_SCAN_H
#define CITYKG_GRAPH_SCAN_H

#include "graph_set.h"
#include "quad_index.h"
#include "store.h"

/* One graph's range, with the row it will give next. */
typedef struct {
    ck_id g;
    quad_index_cursor cursor;
    bool open;
    quad_row row; /* the pending row, graph-first layout (g a b c) */
    quad_row key; /* the same in merge order (a b c g) */
    bool lacks_p; /* the graph has no quad with predicate p_known */
} graph_range;

typedef struct {
    quad_perm perm;          /* the graph-first permutation read */
    graph_range *ranges;     /* one per graph of the set holding quads */
    size_t n;
    size_t *heap;            /* ranges with a pending row, least key first */
    size_t heap_n;
    quad_row out;            /* the row returned last (graph-first layout) */
    uint64_t seeks, blocks, rows; /* work of earlier positionings (see graph_scan_work) */
    ck_error error;
    /* Lookups that bind the predicate (index joins: ?s p ?o for each ?s)
     * skip the graphs without that predicate, once it has been looked up
     * often enough to pay for finding out (one gpos seek per graph). */
    ck_txn *txn;
    ck_id p_known;           /* the predicate of the last lookups, 0 = none */
    unsigned p_lookups;      /* lookups in a row with p_known */
    bool p_checked;          /* lacks_p is set for p_known */
} graph_scan;

/* Opens a scan of the graphs in set over perm (PERM_GSPO, PERM_GPOS or
 * PERM_GOSP), positioned at prefix: the bound columns after g, in perm's
 * layout (prefix->c[0] is ignored), bound of them. In a read transaction
 * graphs without quads (by the statistics) get no cursor: the store
 * cannot change under the scan. On failure the scan needs no close. */
ck_status graph_scan_open(graph_scan *gs, ck_txn *txn, quad_perm perm, const ck_graph_set *set,
                          const quad_row *prefix, int bound, ck_error *err);
/* Starts over at another prefix of the same permutation: one seek per graph. */
ck_status graph_scan_seek(graph_scan *gs, const quad_row *prefix, int bound, ck_error *err);
/* The next row in merge order (graph-first layout), NULL at the end or on
 * error (gs->error set). */
const quad_row *graph_scan_next(graph_scan *gs);
/* Ends the scan (just opened or sought) with the number of its rows:
 * exact up to exact_up_to (*exact = true), beyond that each graph's
 * quad_index_cursor_estimate_rest. Counts graph by graph, without the
 * merge, since the order does not matter. */
uint64_t graph_scan_estimate(graph_scan *gs, uint64_t exact_up_to, bool *exact);
/* Seeks made, blocks read and rows returned by the graphs' cursors since
 * the scan was opened. */
void graph_scan_work(const graph_scan *gs, uint64_t *seeks, uint64_t *blocks, uint64_t *rows);
void graph_scan_close(graph_scan *gs);

#endif
