/*
 * update.h — SPARQL 1.1 Update: running a parsed request (algebra.h,
 * sparql_update_parse) on a write transaction.
 *
 * The transaction belongs to the caller: one request, however many
 * operations it has, runs in it, each operation seeing the effects of the
 * ones before. On an error the caller aborts the transaction, so a request
 * is applied entirely or not at all; on success the caller commits.
 *
 * Semantics (Update §3), and the choices citykg makes where the store
 * differs from the specification's model:
 *   - DELETE/INSERT ... WHERE evaluates WHERE completely, on the state before
 *     the operation, then deletes, then inserts. Template quads with an
 *     unbound variable or a term that cannot stand there (a literal
 *     subject, a non-IRI predicate or graph) are skipped.
 *   - WHERE sees, unless USING / WITH / the protocol's using-graph-uri name
 *     a dataset, the same default graph as a query: the union of all graphs,
 *     or with strict_default_graph the store's default graph. WITH <g> makes
 *     <g> the default graph of WHERE (the named graphs stay all of them).
 *     Template quads outside GRAPH always mean the store's default graph
 *     (or the WITH graph), never the union.
 *   - The store keeps no empty graphs: a graph exists while it holds a
 *     quad. CREATE GRAPH <g> fails when <g> holds quads (unless SILENT) and
 *     otherwise changes nothing: <g> appears with its first quad. CLEAR and
 *     DROP are the same operation here; of a graph without quads they fail
 *     unless SILENT (use CLEAR SILENT GRAPH <g> to empty a graph that may
 *     not exist yet). ADD, MOVE and COPY of a graph onto itself change
 *     nothing; from a source graph without quads they fail unless SILENT
 *     (DEFAULT always exists).
 *   - LOAD reads file: IRIs only inside options->load_dirs (after resolving
 *     symbolic links and ..) and http(s) IRIs only from hosts on
 *     options->load_allow (no redirects, the request's remaining time as
 *     timeout, a size cap). The format comes from the file name or the
 *     Content-Type. A LOAD SILENT that fails after it has stored quads (a
 *     document larger than one load batch) fails the request anyway, so
 *     that nothing is half-applied.
 */
#ifndef CITYKG_SPARQL_UPDATE_H
#define CITYKG_SPARQL_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph_set.h"
#include "store.h"

typedef struct {
    bool strict_default_graph;   /* as in sparql_run_options (plan.h) */
    uint64_t timeout_ms;         /* 0 = none */
    uint64_t memory_limit;       /* bytes; 0 = none */
    volatile bool *cancelled;    /* may be NULL */
    const char *load_allow;      /* hosts LOAD may fetch http(s) URLs from, comma-separated; NULL = none */
    const char *load_dirs;       /* folders LOAD <file:///…> may read, ':'-separated; NULL = none */
    const char *const *using_graphs; size_t n_using_graphs;             /* protocol using-graph-uri: replaces USING/WITH */
    const char *const *using_named_graphs; size_t n_using_named_graphs; /* protocol using-named-graph-uri */
    const ck_graph_set *readable; /* graphs WHERE may read (core/graph_set.h); NULL = all; pass it on in sparql_run_options.readable */
    /* asked once per graph before it is changed (graph_iri NULL = default graph); NULL = all allowed.
       false fails the whole request with CK_ERR_FORBIDDEN and a message naming that graph. */
    bool (*may_write)(void *ctx, const char *graph_iri);
    void *acl_ctx;
    /* after success, once per changed graph, for the audit log */
    void (*on_graph_change)(void *ctx, const char *graph_iri, uint64_t added, uint64_t removed);
    void *report_ctx;
} sparql_update_options;

/* Parses text (base_iri may be NULL) and runs every operation of it on
 * write_txn, which the caller commits on CK_OK and aborts otherwise.
 * options may be NULL (no limits, no LOAD, everything allowed). Errors:
 * CK_ERR_SYNTAX "line:column: expected X, found Y" for the text;
 * CK_ERR_INVALID "line:column: OPERATION: what failed" for an operation
 * that cannot run (a graph that does not exist or already does, a LOAD
 * document that cannot be fetched or does not parse);
 * CK_ERR_FORBIDDEN "line:column: OPERATION: ..." when may_write refuses a
 * graph or LOAD names a file outside load_dirs or a host off load_allow;
 * CK_ERR_CANCELLED past the time limit or
 * when cancelled; CK_ERR_FULL past the memory limit; CK_ERR_IO, CK_ERR_NOMEM
 * from the store. on_graph_change is called only on CK_OK, before return. */
ck_status sparql_update_run(ck_txn *write_txn, const char *text, const char *base_iri,
                            const sparql_update_options *options, ck_error *err);

#endif
