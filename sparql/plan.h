/*
 * plan.h — from the algebra (algebra.h) to a tree of physical operators
 * (exec.h), and running a whole query.
 *
 * Join order of a basic graph pattern comes from the store: each triple's
 * match count is estimated with ck_estimate (exact for small ranges), the
 * most selective triple goes first and every following one is the most
 * selective of those sharing a variable with what is already bound, joined
 * by index nested loops. Other joins are hash joins.
 */
#ifndef CITYKG_SPARQL_PLAN_H
#define CITYKG_SPARQL_PLAN_H

#include <stdio.h>

#include "algebra.h"
#include "graph_writer.h"
#include "results.h"
#include "graph_set.h"
#include "store.h"

typedef struct {
    bool strict_default_graph; /* the specification's separate default graph */
    bool explain;              /* print the algebra and the plan to explain_out */
    FILE *explain_out;
    uint64_t timeout_ms;       /* 0 = none; past it the run fails with CK_ERR_CANCELLED */
    uint64_t memory_limit;     /* bytes for the query's tables and buffers; 0 = none;
                                  past it the run fails with CK_ERR_FULL */
    const char *service_allow; /* hosts SERVICE may contact, comma-separated; NULL = none */
    volatile bool *cancelled;  /* set from another thread to cancel; may be NULL */
    graph_format graph_format; /* CONSTRUCT and DESCRIBE output (0: N-Triples) */
    bool graph_format_only;    /* the caller asked for a graph format: SELECT and ASK fail */
    /* The protocol's dataset (default-graph-uri, named-graph-uri): when
     * either list is non-empty it replaces the query's FROM / FROM NAMED. */
    const char *const *default_graphs;
    size_t n_default_graphs;
    const char *const *named_graphs;
    size_t n_named_graphs;
    /* Access control: the graphs the caller may read (graph_set.h); NULL =
     * every graph. The dataset is restricted before evaluation: a graph
     * outside the set behaves exactly like a graph that does not exist. */
    const ck_graph_set *readable;
} sparql_run_options;

/* Parses and runs query text on a snapshot and writes the results: for
 * SELECT and ASK in format, for CONSTRUCT and DESCRIBE in
 * options->graph_format (graph_writer.h), with the query's base and
 * prefixes. */
ck_status sparql_run(ck_txn *txn, const char *text, const char *base_iri,
                     results_format format, const sparql_run_options *options, FILE *out,
                     ck_error *err);

/* One solution for sparql_solutions: row[slot] is the id of each variable
 * (0 = unbound; store ids, or query-local ids of tag SPARQL_TAG_LOCAL for
 * computed terms the store does not hold), terms[slot] its term (kind 0 when
 * unbound). The terms borrow from the snapshot and the evaluation: valid
 * during the call only. Returning false stops the evaluation. */
typedef bool (*sparql_solution_fn)(void *ctx, const ck_id *row, const ck_term *terms,
                                   size_t width);

/* Evaluates pattern, a graph pattern of an already parsed request whose
 * variables are slots of query (an update's WHERE), on txn and hands every
 * solution to fn. The dataset is query's FROM / FROM NAMED (none: the
 * store's), overridden by options as for sparql_run. Errors as sparql_run. */
ck_status sparql_solutions(ck_txn *txn, const sparql_query *query, const sparql_pattern *pattern,
                           const sparql_run_options *options, sparql_solution_fn fn, void *ctx,
                           ck_error *err);

#endif
