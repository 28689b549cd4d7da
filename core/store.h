/*
 * store.h — the citykg quad store: a directory holding one LMDB environment.
 *
 * Concepts (after LMDB's own):
 *   ck_store  an open store directory. One per process; thread-safe.
 *   ck_txn    a transaction. A read transaction is a consistent snapshot that
 *             never blocks and is never blocked by the single writer. A write
 *             transaction sees its own changes; nothing of it is visible to
 *             anyone, or survives a crash, until ck_txn_commit returns CK_OK.
 *
 * Quads are (g, s, p, o) of term ids (term.h); g == CK_DEFAULT_GRAPH is the
 * default graph. They are kept in six sorted permutations (spog posg ospg
 * gspo gpos gosp), so every pattern of bound and unbound positions is one
 * range scan, and a seventh, psog, giving each predicate's quads in subject
 * order (ck_pattern.by_subject). Each permutation stores runs of consecutive quads as compressed
 * blocks (quad_index.h). Statistics per predicate and per graph are updated in
 * the same transaction as the quads.
 *
 * Every function that can fail returns a ck_status and, on failure, fills the
 * ck_error it was given with a message a user can act on.
 */
#ifndef CITYKG_STORE_H
#define CITYKG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "graph_set.h"
#include "term.h"

typedef enum {
    CK_OK = 0,
    CK_ERR_IO,        /* file system or LMDB failure */
    CK_ERR_SYNTAX,    /* bad input text: message has file:line:column */
    CK_ERR_INVALID,   /* bad argument or unsupported request */
    CK_ERR_NOT_FOUND, /* a term id or object that does not exist */
    CK_ERR_CORRUPT,   /* the store contradicts itself */
    CK_ERR_NOMEM,
    CK_ERR_FULL,      /* map size or reader table exhausted */
    CK_ERR_CANCELLED,
    CK_ERR_UNAUTHORIZED, /* no valid credentials (forged, expired or revoked token) */
    CK_ERR_FORBIDDEN     /* the caller may not do this (e.g. write a graph not its own) */
} ck_status;

typedef struct {
    ck_status code;
    char message[1024];
} ck_error;

/* Sets err (if non-NULL) and returns code. printf-style. */
ck_status ck_error_set(ck_error *err, ck_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef struct ck_store ck_store;
typedef struct ck_txn ck_txn;

typedef struct { ck_id g, s, p, o; } ck_quad;

enum {
    CK_OPEN_READONLY = 1, /* open without write access (dump, stats, check) */
    CK_OPEN_CREATE = 2    /* create the directory if missing */
};

/* Opens (and with CK_OPEN_CREATE creates) the store in directory dir. */
ck_status ck_store_open(const char *dir, unsigned flags, ck_store **out, ck_error *err);
void ck_store_close(ck_store *store);
const char *ck_store_path(const ck_store *store);

/* Begins a read snapshot. Many may be open at once, in any thread. */
ck_status ck_txn_begin_read(ck_store *store, ck_txn **out, ck_error *err);
/* Begins the write transaction; waits while another writer is active. */
ck_status ck_txn_begin_write(ck_store *store, ck_txn **out, ck_error *err);
/* Commits a write transaction durably (or ends a read one). Frees txn. */
ck_status ck_txn_commit(ck_txn *txn, ck_error *err);
/* Discards the transaction and everything it wrote. Frees txn. NULL is ok. */
void ck_txn_abort(ck_txn *txn);
bool ck_txn_is_write(const ck_txn *txn);

/* ---- dictionary ------------------------------------------------------ */

/* Finds the id of term; *out = 0 when the store does not know it.
 * Blank nodes have no dictionary entry: looking one up gives 0. */
ck_status ck_term_lookup(ck_txn *txn, const ck_term *term, ck_id *out, ck_error *err);

/* Finds or creates the id of term (write transactions only). Blank nodes
 * cannot be interned by label: use ck_blank_new. */
ck_status ck_term_intern(ck_txn *txn, const ck_term *term, ck_id *out, ck_error *err);

/* A fresh blank node id (write transactions only). */
ck_id ck_blank_new(ck_txn *txn);

/* Scratch space for ck_term_resolve; the term may borrow from it. */
typedef struct {
    char inline_text[32];
    char blank_label[32];
} ck_term_buf;

/* Turns an id back into a term. The term borrows from the transaction's
 * memory map and from buf: valid until the transaction ends, buf is reused,
 * or (in a write transaction) the next write. Unknown ids give
 * CK_ERR_NOT_FOUND. Blank nodes come back labelled b<number>. */
ck_status ck_term_resolve(ck_txn *txn, ck_id id, ck_term *term, ck_term_buf *buf,
                          ck_error *err);

/* ---- quads ------------------------------------------------------------ */

/* Adds quads (duplicates, in the batch or already stored, are ignored).
 * s, p and o must be term ids (not 0); g may be CK_DEFAULT_GRAPH.
 * *added (may be NULL) receives how many were new. Larger batches are
 * cheaper per quad: each affected index block is rewritten once per call. */
ck_status ck_quads_add(ck_txn *txn, const ck_quad *quads, size_t n, size_t *added,
                       ck_error *err);
/* Removes quads; absent ones are ignored. *removed may be NULL. */
ck_status ck_quads_remove(ck_txn *txn, const ck_quad *quads, size_t n, size_t *removed,
                          ck_error *err);

/* A range scan for one pattern: 0 in a position means "any", except that
 * g_bound tells whether g == 0 means the default graph (true) or any graph.
 *
 * graphs (NULL: every graph) limits a pattern with g unbound to the quads
 * of those graphs, e.g. the graphs a caller may read. Such a scan reads
 * only those graphs' own ranges (graph_scan.h): its work never depends on
 * the quads of other graphs, at the cost of one seek per graph of the set.
 * Quads come in the same order as without the set. The set is borrowed: it
 * must outlive the scan.
 *
 * by_subject asks, for a pattern with p bound and o, g and graphs not, for
 * quads in subject order (then object, then graph) from the psog
 * permutation: several predicates' ranges can then be walked in step by
 * subject. Without psog (ck_by_subject_ready false) the flag is ignored.
 * Never for a set of graphs: psog is not graph-first, so a restricted
 * caller's work would depend on graphs it cannot read. */
typedef struct ck_scan ck_scan;
typedef struct {
    ck_id g, s, p, o;
    bool g_bound;
    const ck_graph_set *graphs;
    bool by_subject;
} ck_pattern;

ck_status ck_scan_open(ck_txn *txn, const ck_pattern *pattern, ck_scan **out, ck_error *err);
/* Restarts an open scan on another pattern of the same transaction, keeping
 * its cursor and buffer: cheaper than close + open for many point lookups,
 * cheapest when they come in index order. */
ck_status ck_scan_reset(ck_txn *txn, ck_scan *scan, const ck_pattern *pattern, ck_error *err);
/* Returns true and fills *quad with the next match; false at the end or on
 * error (then ck_scan_error tells). Quads come in the order of the chosen
 * permutation; ck_scan_order names it ("spog", ...). Over a set of graphs
 * the order is that of the scan without the set (copies of a triple in
 * several graphs one after the other, by graph id). */
bool ck_scan_next(ck_scan *scan, ck_quad *quad);
/* Up to max (>= 1) next matches into quads, as ck_scan_next would return
 * them one by one, decoded in a batch: for walks over long ranges. 0 at
 * the end or on error. */
size_t ck_scan_next_many(ck_scan *scan, ck_quad *quads, size_t max);

/* A scan read through a buffer of quads decoded ahead. */
#define CK_SCAN_BATCH 64
typedef struct {
    ck_quad quads[CK_SCAN_BATCH];
    size_t n, pos; /* quads held, and the next one to take */
} ck_scan_batch;

/* The scan's next quad from the buffer, refilled by ck_scan_next_many
 * when used up; NULL at the end or on error. Valid until the next call. */
static inline const ck_quad *ck_scan_batch_next(ck_scan *scan, ck_scan_batch *b)
{
    if (b->pos == b->n) {
        b->n = ck_scan_next_many(scan, b->quads, CK_SCAN_BATCH);
        b->pos = 0;
        if (!b->n)
            return NULL;
    }
    return &b->quads[b->pos++];
}
const ck_error *ck_scan_error(const ck_scan *scan);
const char *ck_scan_order(const ck_scan *scan);
/* Moves a by_subject scan of a whole predicate (p bound, s not; read from
 * psog) on to its first quad with subject >= s, which must be greater than
 * the subject of the quad returned last: a merge of several predicates'
 * ranges skips a stretch of subjects without decoding it. CK_ERR_INVALID
 * for any other scan. */
ck_status ck_scan_skip_to_subject(ck_scan *scan, ck_id s, ck_error *err);
/* Whether the store has the psog permutation that ck_pattern.by_subject
 * reads (false for a format-3 store opened read-only). */
bool ck_by_subject_ready(const ck_txn *txn);
void ck_scan_close(ck_scan *scan);

/* Index work done by a transaction's scans so far (closed or reset ones,
 * and ck_count / ck_estimate): for tests and measurements, e.g. that a
 * scan over a set of graphs does the same work whatever other graphs hold. */
typedef struct {
    uint64_t seeks;  /* positionings of an index cursor */
    uint64_t blocks; /* index blocks read */
    uint64_t rows;   /* rows returned from index ranges */
} ck_scan_work;

void ck_txn_scan_work(const ck_txn *txn, ck_scan_work *out);

/* Number of quads matching a pattern (a scan, but without decoding terms). */
ck_status ck_count(ck_txn *txn, const ck_pattern *pattern, uint64_t *out, ck_error *err);

/* Number of quads matching a pattern for the optimizer: exact up to
 * exact_up_to matches (*exact = true), beyond that an estimate from the
 * number of index blocks in the range, read without decoding them. With
 * pattern->graphs, from those graphs' ranges only. */
ck_status ck_estimate(ck_txn *txn, const ck_pattern *pattern, uint64_t exact_up_to,
                      uint64_t *out, bool *exact, ck_error *err);

/* Number of matches of a pattern, exact, counted in the index without
 * producing them: far cheaper than a scan over long ranges (ck_count).
 * With merge_graphs (and g not bound) a triple in several graphs counts
 * once, as in the union of all graphs. */
ck_status ck_count_matches(ck_txn *txn, const ck_pattern *pattern, bool merge_graphs,
                           uint64_t *out, ck_error *err);

/* ---- statistics --------------------------------------------------------- */

typedef struct {
    uint64_t quads;
    uint64_t graphs;        /* named graphs holding at least one quad */
    uint64_t terms;         /* dictionary entries */
    uint64_t blank_nodes;   /* blank node ids handed out */
    uint64_t bytes_on_disk; /* size of the LMDB data file */
    uint64_t bytes_used;    /* pages in use by the current snapshot */
} ck_store_stats;

ck_status ck_store_stats_get(ck_txn *txn, ck_store_stats *out, ck_error *err);

/* Quads with predicate p, or in graph g (CK_DEFAULT_GRAPH for the default). */
uint64_t ck_stats_predicate_count(ck_txn *txn, ck_id p);
uint64_t ck_stats_graph_count(ck_txn *txn, ck_id g);

/* Calls fn for every graph with at least one quad (including the default
 * graph, as CK_DEFAULT_GRAPH, when it is not empty), in id order. */
ck_status ck_graphs_each(ck_txn *txn, void (*fn)(void *ctx, ck_id g, uint64_t quads),
                         void *ctx, ck_error *err);

/* Calls fn for every statistics entry of one kind ('p' predicate, 'g' graph)
 * in id order. */
ck_status ck_stats_each(ck_txn *txn, char kind, void (*fn)(void *ctx, uint64_t id, uint64_t count),
                        void *ctx, ck_error *err);

/* ---- integrity ------------------------------------------------------------ */

/* Verifies that all permutations hold the same quads, that every id resolves
 * and that statistics match. progress (may be NULL) gets a line now and then.
 * Returns CK_ERR_CORRUPT with the first problem found. */
ck_status ck_store_check(ck_txn *txn, void (*progress)(const char *line), ck_error *err);

#endif
