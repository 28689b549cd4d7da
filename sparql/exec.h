/*
 * exec.h — the physical operators of the SPARQL executor: iterators over
 * rows of term ids.
 *
 * A row is an array of `width` ck_id, one slot per query variable; 0 means
 * unbound. Operators pull rows from their inputs (Volcano style):
 * exec_next(op, row) fills row and returns true, or returns false at the
 * end or on an error (exec_error tells which). Every operator owns its
 * inputs: exec_free(op) frees the whole tree below it.
 *
 * Operators here work on ids only; terms are decoded only by operators that
 * evaluate expressions or write results (built on top of this file).
 *
 * The default graph: a triple pattern outside GRAPH reads either the default
 * graph only (strict mode, the specification's separate default graph) or
 * the union of all graphs (citykg's default: city data lives in one graph
 * per dataset). The union is an RDF merge: a triple present in several
 * graphs is produced once.
 *
 * Access control: every operator that reads quads skips those of a graph
 * outside exec_ctx.readable, before anything else sees them, so a graph
 * the caller may not read is indistinguishable from an empty one.
 */
#ifndef CITYKG_SPARQL_EXEC_H
#define CITYKG_SPARQL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph_set.h"
#include "store.h"

typedef struct exec_op exec_op;

/* The operator interface. Operators defined elsewhere (those evaluating
 * expressions, ORDER BY, GROUP BY, property paths) embed it as their first
 * member and are made with exec_op_new. */
struct exec_op {
    bool (*next)(exec_op *op, ck_id *row);
    /* optional: up to max rows, one after another, each ctx->width ids;
     * 0 at the end (or on an error). An operator that has it answers next
     * from the same state, so a consumer may mix the two. */
    size_t (*next_many)(exec_op *op, ck_id *rows, size_t max);
    void (*destroy)(exec_op *op); /* frees what the operator owns, not op itself */
    struct exec_ctx *ctx;
    uint64_t rows_out;
    bool ended;        /* exec_next_many saw next return false */
    int sorted_slot;   /* the rows come sorted by this slot's id (-1: unknown) */
};

/* Rows an operator asks its input for at a time (exec_next_many): about
 * the rows' bytes that stay in the first-level cache. Passing rows in
 * batches saves every row the calls and checks from operator to operator
 * (about a third of a 281k-row star join's time, query 12). */
#define EXEC_BATCH 64

/* One position of a quad pattern: a constant term id, or a variable slot. */
typedef struct {
    bool is_var;
    int slot;    /* variable slot when is_var */
    ck_id id;    /* constant otherwise; 0 = a constant the store does not know */
} exec_slot;

typedef enum {
    EXEC_GRAPH_DEFAULT,       /* the specification's default graph only */
    EXEC_GRAPH_UNION,         /* the merge of all graphs (default graph included) */
    EXEC_GRAPH_NAMED,         /* GRAPH g { }: graph is a slot (constant or variable) */
    EXEC_GRAPH_SET            /* the merge of listed graphs (FROM a FROM b) */
} exec_graph_mode;

typedef struct {
    exec_slot s, p, o;
    exec_graph_mode graph_mode;
    exec_slot g;              /* for EXEC_GRAPH_NAMED */
    const ck_id *graph_set;   /* for EXEC_GRAPH_SET (borrowed) */
    size_t n_graph_set;
    /* the scan reads psog: rows in subject order (ck_pattern.by_subject);
     * the planner sets it only where the store has psog and the scan is
     * neither restricted to readable graphs nor bound to a graph */
    bool by_subject;
} exec_pattern;

/* Whether a quad of graph g belongs to the pattern's graph context. */
bool exec_graph_accepts(exec_graph_mode mode, const ck_id *set, size_t n, ck_id g);

/* Shared by the operators of one query: the snapshot, limits, the error. */
typedef struct exec_ctx {
    ck_txn *txn;
    int width;                /* variables per row */
    volatile bool *cancelled; /* set from another thread to stop the query; may be NULL */
    uint64_t deadline_ns;     /* CLOCK_MONOTONIC time limit; 0 = none */
    uint64_t timeout_ms;      /* the limit as given, for the message */
    uint64_t checks;          /* calls since the clock was last read */
    uint64_t memory_limit;    /* bytes the query may hold in tables and buffers; 0 = none */
    uint64_t memory_used;
    const ck_graph_set *readable; /* graphs whose quads the query sees; NULL = all */
    ck_error error;
} exec_ctx;

/* Accounts for bytes more held by the query (row buffers, hash tables,
 * sets; they are freed with the query). False, with ctx->error set, when
 * that passes the memory budget: the query stops instead of the process
 * running out of memory. */
bool exec_reserve(exec_ctx *ctx, size_t bytes);

/* False (with ctx->error set) once the query is cancelled or past its
 * deadline, or past its memory budget. Cheap: reads the clock every 16th
 * call. Long loops outside
 * exec_next (closures, sorts) call it too. */
bool exec_check(exec_ctx *ctx);
/* exec_check reading the clock now, for work that is slow per call. */
bool exec_check_now(exec_ctx *ctx);
/* Sets the deadline timeout_ms from now (0: none). */
void exec_set_timeout(exec_ctx *ctx, uint64_t timeout_ms);
/* The time the query has left, at least 1 ms, for a request of its own
 * (SERVICE); 0 when it has no time limit. */
uint64_t exec_time_left_ms(const exec_ctx *ctx);

/* Allocates a zeroed operator struct of size bytes (>= sizeof(exec_op)). */
void *exec_op_new(size_t size, exec_ctx *ctx, bool (*next)(exec_op *, ck_id *),
                  void (*destroy)(exec_op *));

/* ---- leaves ------------------------------------------------------------- */

/* All matches of a pattern. A variable used twice in the pattern (?x ?p ?x)
 * only matches equal terms. */
exec_op *exec_scan_new(exec_ctx *ctx, const exec_pattern *pattern);

/* Rows given in advance (VALUES, the single empty row of an empty group).
 * rows holds n * ctx->width ids and is copied. */
exec_op *exec_values_new(exec_ctx *ctx, const ck_id *rows, size_t n);

/* ---- joins ---------------------------------------------------------------- */

/* For every left row, the pattern's matches compatible with it (index nested
 * loop join: the left row's bindings become constants of the scan). */
exec_op *exec_index_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern);

/* Join of two inputs on their shared variables (hash join; the right input
 * is built into a table). Rows are compatible when every slot bound in both
 * holds the same id; unbound slots join with anything (SPARQL semantics). */
exec_op *exec_hash_join_new(exec_ctx *ctx, exec_op *left, exec_op *right);
/* Hash of the ids in the given slots of row, or of its first n ids when
 * slots is NULL: ids mixed in registers (for hash tables of rows and
 * keys). */
uint64_t exec_key_hash(const ck_id *row, const int *slots, int n);

/* LeftJoin without filter: left rows extended by compatible right rows, or
 * alone when there is none. (OPTIONAL; a filter, if any, is applied by the
 * caller's keep callback on the merged row.) */
typedef bool (*exec_row_test)(void *arg, const ck_id *row);
exec_op *exec_left_join_new(exec_ctx *ctx, exec_op *left, exec_op *right, exec_row_test keep,
                            void *keep_arg);

/* A star of triples (?s p_i ?o_i) around one subject bound by the left
 * rows, with constant predicates and distinct unbound object variables,
 * in the union default graph or the default graph only. */
#define EXEC_STAR_MAX 8
typedef struct {
    int s_slot;
    int n;
    ck_id p[EXEC_STAR_MAX];
    int o_slot[EXEC_STAR_MAX];
    exec_graph_mode graph_mode; /* EXEC_GRAPH_UNION or EXEC_GRAPH_DEFAULT */
} exec_star;

/* For every left row, the matches of all the star's triples at once: one
 * scan over the subject's triples instead of one lookup per triple. */
exec_op *exec_star_join_new(exec_ctx *ctx, exec_op *left, const exec_star *star);

/* The star join of exec_star_join_new over left rows sorted by the
 * subject (ascending): each star triple's predicate range is read from
 * psog, in subject order, all of them in step with the left rows, so only
 * the star's own rows are decoded (a subject's spog range holds all its
 * triples) and a stretch of subjects the left rows skip is passed by a
 * seek. EXEC_GRAPH_UNION only; never for a restricted caller
 * (ctx->readable: psog is not graph-first). Needs ck_by_subject_ready.
 * Defined in exec_merge_star.c. */
exec_op *exec_merge_star_new(exec_ctx *ctx, exec_op *left, const exec_star *star);

/* The left rows joined with pattern (?s <p> ?o, ?o bound by left rows) by
 * one walk of p's psog range instead of a lookup per left row: each quad
 * pairs with the left rows binding its object (or leaving it unbound).
 * The rows come sorted by ?s (sorted_slot), for a merge star after it.
 * EXEC_GRAPH_UNION only, never for a restricted caller (as
 * exec_merge_star_new). Defined in exec_object_join.c. */
exec_op *exec_object_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern);

/* Join of two inputs that both come sorted by the id in slot (ascending,
 * bound in every row): each right run of one id is buffered and paired
 * with the left rows of that id. Where a star join or an index join would
 * seek each of many subjects, a whole predicate scanned and sorted by
 * subject is read once, in order. */
exec_op *exec_merge_join_new(exec_ctx *ctx, exec_op *left, exec_op *right, int slot);

/* LeftJoin with a one-triple right side, as an index nested loop: each left
 * row's matches of pattern (its bindings as constants) that pass keep, or
 * the left row alone when none does. */
exec_op *exec_index_left_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern,
                                  exec_row_test keep, void *keep_arg);

/* MINUS: left rows with no compatible right row sharing a bound variable. */
exec_op *exec_minus_new(exec_ctx *ctx, exec_op *left, exec_op *right);

/* UNION: all rows of a, then all rows of b. */
exec_op *exec_union_new(exec_ctx *ctx, exec_op *a, exec_op *b);

/* ---- row operators ------------------------------------------------------- */

/* Rows for which test returns true. */
exec_op *exec_filter_new(exec_ctx *ctx, exec_op *input, exec_row_test test, void *arg);

/* Keeps the listed slots, sets every other slot to unbound. */
exec_op *exec_project_new(exec_ctx *ctx, exec_op *input, const int *slots, int nslots);

/* Drops repeated rows (hash set of whole rows). */
exec_op *exec_distinct_new(exec_ctx *ctx, exec_op *input);

/* Skips offset rows, then passes at most limit (UINT64_MAX = no limit); stops
 * pulling from its input as soon as the limit is reached. */
exec_op *exec_slice_new(exec_ctx *ctx, exec_op *input, uint64_t offset, uint64_t limit);

/* All input rows, ordered by the id in slot (not a SPARQL order: the order
 * of the store's indexes, so that lookups on that slot come in index order
 * and each finds the next one where the last ended). */
exec_op *exec_sort_by_slot_new(exec_ctx *ctx, exec_op *input, int slot);

/* ---- counting (exec_count.c) ------------------------------------------------ */

/* GROUP BY over the join of left with one triple pattern, when every
 * aggregate only counts the join's rows (COUNT(*), or COUNT(?v) of a
 * variable every joined row binds) and every group key is a variable whose
 * value comes from the left row (not one the pattern would bind): for each
 * left row the pattern's matches under its bindings are counted in the
 * store's index (ck_count_matches) and added to the row's group, never
 * produced. Gives the rows of GROUP BY over exec_index_join_new(left,
 * pattern), groups in the order their first matching left row comes.
 *
 * The caller guarantees what counting cannot check per row: no readable
 * restriction (ctx->readable NULL); graph mode EXEC_GRAPH_UNION,
 * EXEC_GRAPH_DEFAULT or EXEC_GRAPH_NAMED with a constant graph (GRAPH <g>,
 * one FROM graph); a variable in two positions of the pattern is bound by
 * every left row. */
#define EXEC_COUNT_MAX_KEYS 16
typedef struct {
    int n_keys;           /* at most EXEC_COUNT_MAX_KEYS */
    const int *key_from;  /* slot of each key in the left rows */
    const int *key_to;    /* slot of each key in the group rows (-1: none) */
    int n_counts;
    const int *count_to;  /* slot of each count (an xsd:integer) in the group rows */
} exec_count_group;

exec_op *exec_count_group_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern,
                              const exec_count_group *spec);

/* ---- driving ---------------------------------------------------------------- */

/* Rows an operator holds (sorts, ORDER BY, GROUP BY, joins), counted
 * against the query's memory budget; rows of ctx->width ids (room for one
 * id each when the width is 0). */
typedef struct {
    ck_id *rows;
    size_t n, cap;
} exec_rows;

/* Room for extra more rows; false (ctx->error set) when out of memory or
 * over the budget. */
bool exec_rows_reserve(exec_ctx *ctx, exec_rows *b, size_t extra);
/* Appends a copy of row. */
bool exec_rows_push(exec_ctx *ctx, exec_rows *b, const ck_id *row);
/* Appends up to max more rows of input (SIZE_MAX: all), read in batches
 * straight into b; false (ctx->error set) on an error. */
bool exec_rows_read(exec_ctx *ctx, exec_rows *b, exec_op *input, size_t max);

bool exec_next(exec_op *op, ck_id *row);
/* Up to max rows into rows (max x ctx->width ids); 0 when the input has
 * no more (check ctx->error). Fewer than max does not mean the end. */
size_t exec_next_many(exec_op *op, ck_id *rows, size_t max);
void exec_free(exec_op *op);

/* The rows an operator will produce when known before it runs (given in
 * advance: exec_values_new), else -1. */
double exec_rows_known(const exec_op *op);

/* Rows produced so far by this operator (for --explain's actual counts). */
uint64_t exec_rows_out(const exec_op *op);

#endif
