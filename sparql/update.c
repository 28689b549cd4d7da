/*
 * update.c — runs the operations of a SPARQL 1.1 Update request on the
 * caller's write transaction (update.h says what each one means here).
 *
 * DELETE/INSERT and the DATA forms share one path: the templates are
 * instantiated for every solution of WHERE (for DATA blocks, for the one
 * empty solution) into quads of ids, all before anything is written, so
 * WHERE sees the state before the operation. Terms the store may not hold
 * yet (constants of the request, values computed in WHERE, blank nodes
 * made per solution) get placeholder ids from a table of the request
 * (`local_terms`); they are turned into store ids only when the quads are
 * written: looked up for deletion (a term the store lacks matches
 * nothing), interned for insertion.
 *
 * Every change goes through `apply`, which asks may_write once per graph
 * and counts quads added and removed per graph from the store's per-graph
 * statistics before and after.
 */
#define _GNU_SOURCE /* realpath */
#include "update.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "algebra.h"
#include "geo_rewrite.h"
#include "loader.h"
#include "plan.h"
#include "service.h"
#include "termspace.h"

/* ---- the request's state ------------------------------------------------------ */

typedef struct {
    ck_quad *q;
    size_t n, cap;
} quad_buf;

/* Terms referenced by placeholder ids (tag SPARQL_TAG_LOCAL, payload index + 1). */
typedef struct {
    ck_term *terms;
    ck_id *ids;       /* the term's store id once known, else 0 */
    size_t n, cap;
    size_t *index;    /* open addressing: entry index + 1, 0 = empty */
    size_t index_cap; /* a power of two, > 2 n */
} local_terms;

/* What the request did to one graph, and whether it may do it. */
typedef struct {
    ck_id g;
    char *iri; /* NULL for the default graph */
    uint64_t added, removed;
} graph_change;

typedef struct {
    ck_txn *txn;
    sparql_update *request;
    const sparql_update_op *op; /* running now */
    size_t op_index;
    sparql_update_options opt;
    uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
    uint64_t memory_used;
    local_terms locals;
    uint64_t solution;    /* numbers solutions in the request: blank nodes per solution */
    ck_id with_graph;     /* template quads outside GRAPH go here (maybe a placeholder) */
    quad_buf del, ins;
    graph_change *changes;
    size_t n_changes;
    ck_error error;       /* first error; code != 0 stops the request */
} updater;

static const char *op_name(sparql_update_kind k)
{
    static const char *const names[] = {"INSERT DATA", "DELETE DATA", "DELETE/INSERT", "LOAD",
                                        "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"};
    return names[k];
}

/* Fails the request with "line:col: OPERATION: message". Returns false. */
static bool fail(updater *up, ck_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(updater *up, ck_status code, const char *fmt, ...)
{
    if (up->error.code)
        return false;
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (up->op)
        ck_error_set(&up->error, code, "%d:%d: %s: %s", up->op->line, up->op->col,
                     op_name(up->op->kind), msg);
    else
        ck_error_set(&up->error, code, "%s", msg);
    return false;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* False (with the error set) once the request is cancelled or out of time. */
static bool within_limits(updater *up)
{
    if (up->error.code)
        return false;
    if (up->opt.cancelled && *up->opt.cancelled)
        return fail(up, CK_ERR_CANCELLED, "the update was cancelled");
    if (up->deadline_ns && now_ns() > up->deadline_ns)
        return fail(up, CK_ERR_CANCELLED, "the update took longer than its time limit of %llu ms",
                    (unsigned long long)up->opt.timeout_ms);
    return true;
}

/* Accounts for bytes more held by the request. */
static bool reserve(updater *up, size_t bytes)
{
    up->memory_used += bytes;
    if (up->opt.memory_limit && up->memory_used > up->opt.memory_limit)
        return fail(up, CK_ERR_FULL, "the update needs more than its memory budget of %llu MiB",
                    (unsigned long long)(up->opt.memory_limit >> 20));
    return true;
}

static bool quad_push(updater *up, quad_buf *b, ck_quad q)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        if (!reserve(up, (ncap - b->cap) * sizeof *b->q))
            return false;
        ck_quad *nq = realloc(b->q, ncap * sizeof *nq);
        if (!nq)
            return fail(up, CK_ERR_NOMEM, "out of memory");
        b->q = nq;
        b->cap = ncap;
    }
    b->q[b->n++] = q;
    return true;
}

/* ---- placeholder ids ------------------------------------------------------------ */

static bool is_placeholder(ck_id id) { return ck_id_tag(id) == SPARQL_TAG_LOCAL; }

static ck_term *placeholder_term(updater *up, ck_id id)
{
    return &up->locals.terms[ck_id_payload(id) - 1];
}

static uint64_t term_hash(const ck_term *t)
{
    uint64_t h = ck_hash_bytes(t->value, t->value_len, (uint64_t)t->kind);
    if (t->datatype)
        h = ck_hash_bytes(t->datatype, t->datatype_len, h);
    if (t->lang)
        h = ck_hash_bytes(t->lang, t->lang_len, h ^ 1);
    return h;
}

static bool local_index_grow(updater *up)
{
    local_terms *l = &up->locals;
    size_t ncap = l->index_cap ? l->index_cap * 2 : 256;
    size_t *index = calloc(ncap, sizeof *index);
    if (!index || !reserve(up, ncap * sizeof *index)) {
        free(index);
        return up->error.code ? false : fail(up, CK_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t j = term_hash(&l->terms[i]) & (ncap - 1);
        while (index[j])
            j = (j + 1) & (ncap - 1);
        index[j] = i + 1;
    }
    free(l->index);
    l->index = index;
    l->index_cap = ncap;
    return true;
}

/* The placeholder id of a term (a copy is kept in the request's arena);
 * the same term gives the same id. 0 on failure. */
static ck_id placeholder(updater *up, const ck_term *term)
{
    local_terms *l = &up->locals;
    if (2 * (l->n + 1) > l->index_cap && !local_index_grow(up))
        return 0;
    size_t mask = l->index_cap - 1, j = term_hash(term) & mask;
    for (; l->index[j]; j = (j + 1) & mask)
        if (ck_term_equal(&l->terms[l->index[j] - 1], term))
            return ck_id_make((enum ck_tag)SPARQL_TAG_LOCAL, l->index[j]);
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        ck_term *nt = realloc(l->terms, ncap * sizeof *nt);
        ck_id *ns = nt ? realloc(l->ids, ncap * sizeof *ns) : NULL;
        if (nt)
            l->terms = nt;
        if (!ns)
            return fail(up, CK_ERR_NOMEM, "out of memory"), 0;
        l->ids = ns;
        l->cap = ncap;
    }
    sparql_arena *arena = up->request->query->arena;
    ck_term copy = *term;
    size_t bytes = term->value_len + term->datatype_len + term->lang_len + 3;
    copy.value = sparql_arena_strndup(arena, term->value, term->value_len);
    copy.datatype = term->datatype ? sparql_arena_strndup(arena, term->datatype, term->datatype_len)
                                   : NULL;
    copy.lang = term->lang ? sparql_arena_strndup(arena, term->lang, term->lang_len) : NULL;
    if (!copy.value || (term->datatype && !copy.datatype) || (term->lang && !copy.lang))
        return fail(up, CK_ERR_NOMEM, "out of memory"), 0;
    if (!reserve(up, bytes + sizeof copy + sizeof(ck_id)))
        return 0;
    l->terms[l->n] = copy;
    l->ids[l->n] = 0;
    l->index[j] = ++l->n;
    return ck_id_make((enum ck_tag)SPARQL_TAG_LOCAL, l->n);
}

/* A blank node placeholder unique to (scope, label): template blank nodes
 * are new per solution, those made in WHERE (BNODE()) per operation. */
static ck_id blank_placeholder(updater *up, char scope, uint64_t n, const char *label, size_t len)
{
    char small[128], *buf = len + 32 <= sizeof small ? small : malloc(len + 32);
    if (!buf)
        return fail(up, CK_ERR_NOMEM, "out of memory"), 0;
    int k = snprintf(buf, len + 32, "%c%llu/%.*s", scope, (unsigned long long)n, (int)len, label);
    ck_term t = {.kind = CK_TERM_BLANK, .value = buf, .value_len = (size_t)k};
    ck_id id = placeholder(up, &t);
    if (buf != small)
        free(buf);
    return id;
}

/* The kind of term an id (store or placeholder) stands for. */
static ck_term_kind id_kind(updater *up, ck_id id)
{
    if (is_placeholder(id))
        return placeholder_term(up, id)->kind;
    enum ck_tag tag = ck_id_tag(id);
    return tag == CK_TAG_IRI ? CK_TERM_IRI : tag == CK_TAG_BLANK ? CK_TERM_BLANK : CK_TERM_LITERAL;
}

/* The store id of a placeholder: interned (blank nodes: a new one) when
 * inserting, looked up when deleting (0: the store has no such term). */
static ck_id store_id(updater *up, ck_id id, bool inserting)
{
    if (!is_placeholder(id))
        return id;
    size_t i = ck_id_payload(id) - 1;
    local_terms *l = &up->locals;
    if (l->ids[i] || !inserting) {
        if (!l->ids[i] && l->terms[i].kind != CK_TERM_BLANK &&
            ck_term_lookup(up->txn, &l->terms[i], &l->ids[i], &up->error) != CK_OK)
            return 0;
        return l->ids[i];
    }
    if (l->terms[i].kind == CK_TERM_BLANK)
        l->ids[i] = ck_blank_new(up->txn);
    else if (ck_term_intern(up->txn, &l->terms[i], &l->ids[i], &up->error) != CK_OK)
        return 0;
    return l->ids[i];
}

/* ---- graphs and changes ------------------------------------------------------------ */

/* The id of a graph IRI in the store; false when the store has no such term. */
static bool graph_lookup(updater *up, const char *iri, ck_id *g)
{
    ck_term t = {.kind = CK_TERM_IRI, .value = iri, .value_len = strlen(iri)};
    *g = 0;
    return ck_term_lookup(up->txn, &t, g, &up->error) == CK_OK && *g != 0;
}

static bool graph_intern(updater *up, const char *iri, ck_id *g)
{
    ck_term t = {.kind = CK_TERM_IRI, .value = iri, .value_len = strlen(iri)};
    return ck_term_intern(up->txn, &t, g, &up->error) == CK_OK;
}

/* The change record of graph g, asking may_write the first time. */
static graph_change *change_for(updater *up, ck_id g)
{
    for (size_t i = 0; i < up->n_changes; i++)
        if (up->changes[i].g == g)
            return &up->changes[i];
    char *iri = NULL;
    if (g != CK_DEFAULT_GRAPH) {
        ck_term t;
        ck_term_buf buf;
        if (ck_term_resolve(up->txn, g, &t, &buf, &up->error) != CK_OK)
            return NULL;
        iri = strndup(t.value, t.value_len);
        if (!iri)
            return fail(up, CK_ERR_NOMEM, "out of memory"), NULL;
    }
    if (up->opt.may_write && !up->opt.may_write(up->opt.acl_ctx, iri)) {
        if (iri)
            fail(up, CK_ERR_FORBIDDEN, "not allowed to change graph <%s>", iri);
        else
            fail(up, CK_ERR_FORBIDDEN, "not allowed to change the default graph");
        free(iri);
        return NULL;
    }
    graph_change *nc = realloc(up->changes, (up->n_changes + 1) * sizeof *nc);
    if (!nc) {
        free(iri);
        return fail(up, CK_ERR_NOMEM, "out of memory"), NULL;
    }
    up->changes = nc;
    nc[up->n_changes] = (graph_change){g, iri, 0, 0};
    return &nc[up->n_changes++];
}

/* Adds or removes the quads of b (store ids only) and counts, per graph,
 * how many really changed. */
static bool apply(updater *up, quad_buf *b, bool adding)
{
    if (!b->n || !within_limits(up))
        return !up->error.code;
    ck_id *graphs = malloc(b->n * sizeof *graphs);
    uint64_t *before = NULL;
    if (!graphs)
        return fail(up, CK_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (i == 0 || b->q[i].g != b->q[i - 1].g)
            graphs[n++] = b->q[i].g;
    size_t distinct = ck_ids_sort_unique(graphs, n);
    before = malloc(distinct * sizeof *before);
    bool ok = before != NULL;
    for (size_t i = 0; ok && i < distinct; i++) {
        ok = change_for(up, graphs[i]) != NULL;
        if (ok)
            before[i] = ck_stats_graph_count(up->txn, graphs[i]);
    }
    if (ok)
        ok = (adding ? ck_quads_add(up->txn, b->q, b->n, NULL, &up->error)
                     : ck_quads_remove(up->txn, b->q, b->n, NULL, &up->error)) == CK_OK;
    for (size_t i = 0; ok && i < distinct; i++) {
        uint64_t after = ck_stats_graph_count(up->txn, graphs[i]);
        graph_change *c = change_for(up, graphs[i]);
        if (adding)
            c->added += after - before[i];
        else
            c->removed += before[i] - after;
    }
    if (!before && !up->error.code)
        fail(up, CK_ERR_NOMEM, "out of memory");
    free(graphs);
    free(before);
    b->n = 0;
    return ok && !up->error.code;
}

/* Appends every quad of graph g to out (none of a graph the caller may
 * not read: ADD, COPY and MOVE cannot carry it elsewhere). */
static bool graph_quads(updater *up, ck_id g, quad_buf *out)
{
    if (!ck_graph_set_has(up->opt.readable, g))
        return true;
    ck_pattern pat = {.g = g, .g_bound = true};
    ck_scan *scan;
    if (ck_scan_open(up->txn, &pat, &scan, &up->error) != CK_OK)
        return false;
    ck_quad q;
    size_t k = 0;
    while (ck_scan_next(scan, &q) && quad_push(up, out, q))
        if (++k % 65536 == 0 && !within_limits(up))
            break;
    if (!up->error.code && ck_scan_error(scan)->code)
        up->error = *ck_scan_error(scan);
    ck_scan_close(scan);
    return !up->error.code;
}

/* A graph the caller may not read does not exist for it: CLEAR, CREATE,
 * ADD, COPY and MOVE answer as for a graph without quads (docs/security.md). */
static bool graph_exists(updater *up, ck_id g)
{
    return ck_graph_set_has(up->opt.readable, g) && ck_stats_graph_count(up->txn, g) > 0;
}

/* Removes every quad of graph g. */
static bool graph_clear(updater *up, ck_id g)
{
    quad_buf b = {0};
    bool ok = graph_quads(up, g, &b) && apply(up, &b, false);
    free(b.q);
    return ok;
}

/* Graphs and their sizes, in id order. */
typedef struct {
    ck_id g;
    uint64_t quads;
} graph_count;

typedef struct {
    graph_count *v;
    size_t n;
    bool failed;
} graph_counts;

static void collect_count(void *ctx, ck_id g, uint64_t quads)
{
    graph_counts *c = ctx;
    graph_count *n = c->failed ? NULL : realloc(c->v, (c->n + 1) * sizeof *n);
    if (!n) {
        c->failed = true;
        return;
    }
    c->v = n;
    c->v[c->n++] = (graph_count){g, quads};
}

/* Every graph holding quads that the caller may read (the default graph
 * as CK_DEFAULT_GRAPH). */
static bool all_graphs(updater *up, graph_counts *out)
{
    *out = (graph_counts){0};
    if (ck_graphs_each(up->txn, collect_count, out, &up->error) != CK_OK)
        return false;
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++)
        if (ck_graph_set_has(up->opt.readable, out->v[i].g))
            out->v[kept++] = out->v[i];
    out->n = kept;
    return out->failed ? fail(up, CK_ERR_NOMEM, "out of memory") : true;
}

/* ---- DELETE/INSERT and the DATA forms ------------------------------------------------ */

/* The id of a template node in one solution (row NULL: no WHERE); 0 when
 * it is an unbound variable. */
static ck_id template_id(updater *up, const sparql_node *n, const ck_id *row, const ck_term *terms)
{
    if (n->var >= 0) {
        ck_id id = row ? row[n->var] : 0;
        if (!id || !is_placeholder(id))
            return id;
        /* a term computed in WHERE: copied before the evaluation ends */
        const ck_term *t = &terms[n->var];
        if (t->kind == CK_TERM_BLANK)
            return blank_placeholder(up, 'w', up->op_index, t->value, t->value_len);
        return placeholder(up, t);
    }
    if (n->term.kind == CK_TERM_BLANK)
        return blank_placeholder(up, 's', up->solution, n->term.value, n->term.value_len);
    return placeholder(up, &n->term);
}

/* Instantiates template quads for one solution into out, skipping those
 * with an unbound variable or a term that cannot stand in its position. */
static bool instantiate(updater *up, const sparql_quad *tpl, size_t n, const ck_id *row,
                        const ck_term *terms, quad_buf *out)
{
    for (size_t i = 0; i < n && !up->error.code; i++) {
        const sparql_quad *t = &tpl[i];
        bool in_graph = t->g.var >= 0 || t->g.term.kind != 0;
        ck_quad q = {in_graph ? template_id(up, &t->g, row, terms) : up->with_graph,
                     template_id(up, &t->s, row, terms), template_id(up, &t->p, row, terms),
                     template_id(up, &t->o, row, terms)};
        if (up->error.code || !q.s || !q.p || !q.o || (in_graph && !q.g))
            continue;
        if (id_kind(up, q.s) == CK_TERM_LITERAL || id_kind(up, q.p) != CK_TERM_IRI ||
            (q.g && id_kind(up, q.g) != CK_TERM_IRI))
            continue;
        quad_push(up, out, q);
    }
    return !up->error.code;
}

static bool on_solution(void *ctx, const ck_id *row, const ck_term *terms, size_t width)
{
    updater *up = ctx;
    up->solution++;
    instantiate(up, up->op->remove, up->op->n_remove, row, terms, &up->del);
    instantiate(up, up->op->insert, up->op->n_insert, row, terms, &up->ins);
    return (up->solution % 1024 != 0 || within_limits(up)) && !up->error.code;
}

/* Replaces placeholders by store ids; when deleting, drops the quads that
 * name a term the store does not have (they cannot be stored). */
static bool resolve_quads(updater *up, quad_buf *b, bool inserting)
{
    size_t kept = 0;
    for (size_t i = 0; i < b->n && !up->error.code; i++) {
        ck_quad q = b->q[i];
        q.g = q.g ? store_id(up, q.g, inserting) : CK_DEFAULT_GRAPH;
        bool known = (b->q[i].g == CK_DEFAULT_GRAPH || q.g) &&
                     (q.s = store_id(up, q.s, inserting)) && (q.p = store_id(up, q.p, inserting)) &&
                     (q.o = store_id(up, q.o, inserting));
        if (known)
            b->q[kept++] = q;
    }
    b->n = kept;
    return !up->error.code;
}

/* The names of the graphs the store holds, for a WITH dataset. */
static bool named_graph_iris(updater *up, const char ***out, size_t *n)
{
    graph_counts l;
    *out = NULL;
    *n = 0;
    if (!all_graphs(up, &l))
        return false;
    const char **iris = sparql_arena_alloc(up->request->query->arena, (l.n + 1) * sizeof *iris);
    for (size_t i = 0; iris && i < l.n; i++) {
        ck_term t;
        ck_term_buf buf;
        if (l.v[i].g == CK_DEFAULT_GRAPH)
            continue;
        if (ck_term_resolve(up->txn, l.v[i].g, &t, &buf, &up->error) != CK_OK)
            break;
        iris[(*n)++] = sparql_arena_strndup(up->request->query->arena, t.value, t.value_len);
    }
    free(l.v);
    *out = iris;
    if (!iris)
        return fail(up, CK_ERR_NOMEM, "out of memory");
    return !up->error.code;
}

/* Evaluates WHERE with the operation's dataset, collecting the instantiated
 * templates in up->del and up->ins. */
static bool evaluate_where(updater *up)
{
    const sparql_update_op *op = up->op;
    sparql_query view = *up->request->query;
    view.prologue = op->prologue;
    /* the dataset: the protocol's using-graph-uri, else USING, else WITH */
    if (up->opt.n_using_graphs || up->opt.n_using_named_graphs) {
        /* read-only: the planner never writes through these */
        view.from = (const char **)up->opt.using_graphs;
        view.n_from = up->opt.n_using_graphs;
        view.from_named = (const char **)up->opt.using_named_graphs;
        view.n_from_named = up->opt.n_using_named_graphs;
    } else if (op->n_using || op->n_using_named) {
        view.from = op->using;
        view.n_from = op->n_using;
        view.from_named = op->using_named;
        view.n_from_named = op->n_using_named;
    } else if (op->with) {
        view.from = (const char **)&op->with;
        view.n_from = 1;
        if (!named_graph_iris(up, &view.from_named, &view.n_from_named))
            return false;
        if (!view.n_from_named) { /* FROM alone would mean "no named graphs" */
            static const char *const none[] = {"urn:citykg:no-named-graph"};
            view.from_named = (const char **)none;
            view.n_from_named = 1;
        }
    } else {
        view.from = view.from_named = NULL;
        view.n_from = view.n_from_named = 0;
    }
    sparql_run_options ro = {.strict_default_graph = up->opt.strict_default_graph,
                             .cancelled = up->opt.cancelled,
                             .readable = up->opt.readable};
    if (up->deadline_ns) {
        uint64_t now = now_ns();
        ro.timeout_ms = now < up->deadline_ns ? (up->deadline_ns - now) / 1000000 + 1 : 1;
    }
    if (up->opt.memory_limit)
        ro.memory_limit = up->opt.memory_limit > up->memory_used
                              ? up->opt.memory_limit - up->memory_used
                              : 1;
    ck_error err = {0};
    ck_status st = sparql_solutions(up->txn, &view, op->where, &ro, on_solution, up, &err);
    if (st && !up->error.code) {
        if (err.code == CK_ERR_CANCELLED || err.code == CK_ERR_FULL)
            up->error = err;
        else
            fail(up, st, "WHERE: %s", err.message);
    }
    return !up->error.code;
}

/* DELETE/INSERT ... WHERE, DELETE WHERE, INSERT DATA, DELETE DATA. */
static bool run_modify(updater *up)
{
    const sparql_update_op *op = up->op;
    up->with_graph = op->with ? placeholder(up, &(ck_term){.kind = CK_TERM_IRI,
                                                           .value = op->with,
                                                           .value_len = strlen(op->with)})
                              : CK_DEFAULT_GRAPH;
    if (up->error.code)
        return false;
    up->del.n = up->ins.n = 0;
    if (op->where) {
        if (!evaluate_where(up))
            return false;
    } else {
        on_solution(up, NULL, NULL, 0);
    }
    return resolve_quads(up, &up->del, false) && apply(up, &up->del, false) &&
           resolve_quads(up, &up->ins, true) && apply(up, &up->ins, true);
}

/* ---- graph management -------------------------------------------------------------- */

/* The graph a reference names; *exists false when it holds no quads (then
 * *g is 0 if the store does not even know the IRI). */
static bool graph_ref(updater *up, const sparql_graph_ref *ref, ck_id *g, bool *exists)
{
    *g = CK_DEFAULT_GRAPH;
    *exists = true;
    if (ref->kind == SPARQL_GRAPH_DEFAULT)
        return true;
    bool known = graph_lookup(up, ref->iri, g);
    if (up->error.code)
        return false;
    *exists = known && graph_exists(up, *g);
    return true;
}

static bool run_clear(updater *up)
{
    const sparql_update_op *op = up->op;
    if (op->target.kind == SPARQL_GRAPH_IRI || op->target.kind == SPARQL_GRAPH_DEFAULT) {
        ck_id g;
        bool exists;
        if (!graph_ref(up, &op->target, &g, &exists))
            return false;
        if (!exists)
            return op->silent || op->target.kind == SPARQL_GRAPH_DEFAULT
                       ? true
                       : fail(up, CK_ERR_INVALID, "graph <%s> does not exist (holds no quads)",
                              op->target.iri);
        return graph_clear(up, g);
    }
    graph_counts l;
    if (!all_graphs(up, &l))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < l.n; i++)
        if (op->target.kind == SPARQL_GRAPH_ALL || l.v[i].g != CK_DEFAULT_GRAPH)
            ok = graph_clear(up, l.v[i].g);
    free(l.v);
    return ok;
}

static bool run_create(updater *up)
{
    ck_id g;
    bool exists;
    if (!graph_ref(up, &up->op->target, &g, &exists))
        return false;
    if (exists)
        return up->op->silent ? true
                              : fail(up, CK_ERR_INVALID, "graph <%s> already exists",
                                     up->op->target.iri);
    /* nothing to store (the store has no empty graphs), but the caller
     * must be allowed to make it */
    if (!graph_intern(up, up->op->target.iri, &g))
        return false;
    return change_for(up, g) != NULL;
}

static bool same_graph(const sparql_graph_ref *a, const sparql_graph_ref *b)
{
    if (a->kind != b->kind)
        return false;
    return a->kind != SPARQL_GRAPH_IRI || strcmp(a->iri, b->iri) == 0;
}

/* ADD, COPY and MOVE. */
static bool run_transfer(updater *up)
{
    const sparql_update_op *op = up->op;
    if (same_graph(&op->source_graph, &op->target))
        return true;
    ck_id src, dst;
    bool src_exists, dst_exists;
    if (!graph_ref(up, &op->source_graph, &src, &src_exists) ||
        !graph_ref(up, &op->target, &dst, &dst_exists))
        return false;
    if (!src_exists)
        return op->silent ? true
                          : fail(up, CK_ERR_INVALID, "source graph <%s> does not exist (holds no quads)",
                                 op->source_graph.iri);
    if (op->target.kind == SPARQL_GRAPH_IRI && !graph_intern(up, op->target.iri, &dst))
        return false;
    if (op->kind != SPARQL_UPDATE_ADD && dst_exists && !graph_clear(up, dst))
        return false;
    quad_buf b = {0};
    bool ok = graph_quads(up, src, &b);
    for (size_t i = 0; ok && i < b.n; i++)
        b.q[i].g = dst;
    ok = ok && apply(up, &b, true);
    free(b.q);
    return ok && (op->kind != SPARQL_UPDATE_MOVE || graph_clear(up, src));
}

/* ---- LOAD --------------------------------------------------------------------------- */

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The real path of a file: IRI when it lies inside one of the load folders
 * (after symbolic links and .. are resolved). */
static bool load_file_path(updater *up, const char *iri, char *path)
{
    const char *p = iri + 5; /* after "file:" */
    if (strncmp(p, "//", 2) == 0) {
        p += 2;
        if (strncmp(p, "localhost/", 10) == 0)
            p += 9;
        else if (*p != '/')
            return fail(up, CK_ERR_INVALID, "<%s>: only local file: IRIs can be loaded", iri);
    }
    char decoded[PATH_MAX];
    size_t n = 0;
    for (; *p && *p != '?' && *p != '#' && n + 1 < sizeof decoded; p++) {
        if (*p == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
            decoded[n++] = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
            p += 2;
        } else {
            decoded[n++] = *p;
        }
    }
    decoded[n] = 0;
    if (!up->opt.load_dirs || !*up->opt.load_dirs)
        return fail(up, CK_ERR_FORBIDDEN,
                    "<%s>: no folder is open to LOAD (--load-dir)", iri);
    if (!realpath(decoded, path))
        return fail(up, CK_ERR_INVALID, "cannot read <%s>: %s", iri, strerror(errno));
    for (const char *d = up->opt.load_dirs; *d;) {
        size_t len = strcspn(d, ":");
        char dir[PATH_MAX], real_dir[PATH_MAX];
        if (len && len < sizeof dir) {
            memcpy(dir, d, len);
            dir[len] = 0;
            if (realpath(dir, real_dir)) {
                size_t rl = strlen(real_dir);
                if (strncmp(path, real_dir, rl) == 0 &&
                    (path[rl] == '/' || path[rl] == 0 || (rl == 1 && real_dir[0] == '/')))
                    return true;
            }
        }
        d += len + (d[len] == ':');
    }
    return fail(up, CK_ERR_FORBIDDEN, "<%s> is outside the folders open to LOAD (--load-dir)",
                iri);
}

/* The raptor format for a media type, or NULL. */
static const char *format_from_media_type(const char *type)
{
    static const struct { const char *type, *format; } types[] = {
        {"text/turtle", "turtle"},
        {"application/n-triples", "ntriples"},
        {"text/plain", "ntriples"},
        {"application/n-quads", "nquads"},
        {"application/trig", "trig"},
        {"application/rdf+xml", "rdfxml"},
        {"application/xml", "rdfxml"},
        {"text/xml", "rdfxml"},
    };
    for (size_t i = 0; type && i < sizeof types / sizeof *types; i++) {
        size_t n = strlen(types[i].type);
        if (strncasecmp(type, types[i].type, n) == 0 && (type[n] == 0 || type[n] == ';' || type[n] == ' '))
            return types[i].format;
    }
    return NULL;
}

/* Fetches an http(s) IRI from a host on the allow-list into a temporary
 * file (path receives its name); *format from its Content-Type. */
static bool load_fetch(updater *up, const char *iri, char *path, const char **format)
{
    if (!service_allowed(up->opt.load_allow, iri))
        return fail(up, CK_ERR_FORBIDDEN, "the host of <%s> is not on the allow-list (--allow-load)",
                    iri);
    service_options so = {.allow = up->opt.load_allow, .cancelled = up->opt.cancelled};
    if (up->deadline_ns) {
        uint64_t now = now_ns();
        so.timeout_ms = now < up->deadline_ns ? (up->deadline_ns - now) / 1000000 + 1 : 1;
    }
    if (up->opt.memory_limit)
        so.max_bytes = up->opt.memory_limit > up->memory_used
                           ? (size_t)(up->opt.memory_limit - up->memory_used)
                           : 1;
    char *body = NULL, *type = NULL;
    size_t len = 0;
    ck_error err;
    if (service_get(iri, "text/turtle, application/n-triples, application/n-quads, "
                           "application/trig, application/rdf+xml;q=0.9",
                      &so, &body, &len, &type, &err) != CK_OK)
        return fail(up, err.code, "%s", err.message);
    *format = format_from_media_type(type);
    if (!*format)
        *format = ck_format_from_name(iri);
    free(type);
    snprintf(path, PATH_MAX, "%s/citykg-load-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    bool ok = fd >= 0 && write(fd, body, len) == (ssize_t)len;
    if (fd >= 0)
        close(fd);
    free(body);
    if (!ok) {
        if (fd >= 0)
            unlink(path);
        return fail(up, CK_ERR_IO, "cannot write a temporary file for <%s>", iri);
    }
    if (!*format) {
        unlink(path);
        return fail(up, CK_ERR_INVALID, "<%s>: unknown RDF format (Content-Type and name)", iri);
    }
    return true;
}

static bool load_into_store(updater *up, const char *path, const char *format)
{
    const sparql_update_op *op = up->op;
    ck_load_options lo = {.graph = op->target.kind == SPARQL_GRAPH_IRI ? op->target.iri : NULL,
                          .format = format,
                          .base = op->source};
    if (op->target.kind == SPARQL_GRAPH_IRI) { /* asked before, not only after */
        ck_id g;
        if (!graph_intern(up, op->target.iri, &g) || !change_for(up, g))
            return false;
    }
    graph_counts before, after = {0};
    if (!all_graphs(up, &before)) {
        free(before.v);
        return false;
    }
    ck_load_result res = {0};
    ck_error err = {0};
    const char *files[] = {path};
    ck_status st = ck_load_into(up->txn, files, 1, &lo, &res, &err);
    bool ok = all_graphs(up, &after);
    /* the graphs it changed, with what the file's own graphs (TriG,
     * N-Quads) added: both lists are in id order */
    bool changed = false;
    for (size_t i = 0, j = 0; ok && i < after.n; i++) {
        while (j < before.n && before.v[j].g < after.v[i].g)
            j++;
        uint64_t was = j < before.n && before.v[j].g == after.v[i].g ? before.v[j].quads : 0;
        if (after.v[i].quads == was)
            continue;
        changed = true;
        graph_change *c = change_for(up, after.v[i].g);
        ok = c != NULL;
        if (c)
            c->added += after.v[i].quads - was;
    }
    free(before.v);
    free(after.v);
    if (!ok)
        return false;
    if (st == CK_OK)
        return true;
    if (op->silent && !changed)
        return true;
    /* a document that does not parse is bad input of the request, not of
     * its text: CK_ERR_INVALID, with the document's own position */
    if (st == CK_ERR_SYNTAX)
        st = CK_ERR_INVALID;
    if (op->silent)
        return fail(up, st, "<%s> failed after some of it was stored, so the whole request fails: %s",
                    op->source, err.message);
    return fail(up, st, "<%s> cannot be loaded: %s", op->source, err.message);
}

static bool run_load(updater *up)
{
    const sparql_update_op *op = up->op;
    char path[PATH_MAX];
    const char *format = NULL;
    bool fetched = false, found;
    if (strncmp(op->source, "file:", 5) == 0) {
        found = load_file_path(up, op->source, path);
    } else if (strncmp(op->source, "http://", 7) == 0 || strncmp(op->source, "https://", 8) == 0) {
        found = fetched = load_fetch(up, op->source, path, &format);
    } else {
        found = fail(up, CK_ERR_INVALID, "<%s>: only file: and http(s): IRIs can be loaded",
                     op->source);
    }
    if (!found) {
        /* SILENT: a document that cannot be had is no failure; running out
         * of time or memory still is */
        bool limit = up->error.code == CK_ERR_CANCELLED || up->error.code == CK_ERR_FULL ||
                     up->error.code == CK_ERR_NOMEM;
        if (op->silent && !limit)
            up->error = (ck_error){0};
        return !up->error.code;
    }
    bool ok = load_into_store(up, path, format);
    if (fetched)
        unlink(path);
    return ok;
}

/* ---- the request ----------------------------------------------------------------------- */

static bool run_op(updater *up)
{
    switch (up->op->kind) {
    case SPARQL_UPDATE_INSERT_DATA:
    case SPARQL_UPDATE_DELETE_DATA:
    case SPARQL_UPDATE_MODIFY:
        return run_modify(up);
    case SPARQL_UPDATE_LOAD:
        return run_load(up);
    case SPARQL_UPDATE_CLEAR:
    case SPARQL_UPDATE_DROP:
        return run_clear(up);
    case SPARQL_UPDATE_CREATE:
        return run_create(up);
    case SPARQL_UPDATE_ADD:
    case SPARQL_UPDATE_MOVE:
    case SPARQL_UPDATE_COPY:
        return run_transfer(up);
    }
    return fail(up, CK_ERR_INVALID, "unknown operation");
}

ck_status sparql_update_run(ck_txn *write_txn, const char *text, const char *base_iri,
                            const sparql_update_options *options, ck_error *err)
{
    if (!write_txn || !ck_txn_is_write(write_txn))
        return ck_error_set(err, CK_ERR_INVALID, "sparql_update_run needs a write transaction");
    sparql_update *request;
    ck_status st = sparql_update_parse(text, base_iri, &request, err);
    if (st)
        return st;
    /* geo:sf* triple patterns in a WHERE match computed relations, as in queries */
    for (size_t i = 0; i < request->n_ops; i++)
        if (request->ops[i].where && !geo_rewrite_pattern(request->query, &request->ops[i].where)) {
            sparql_update_free(request);
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        }
    updater up = {.txn = write_txn, .request = request};
    if (options)
        up.opt = *options;
    if (up.opt.timeout_ms)
        up.deadline_ns = now_ns() + up.opt.timeout_ms * 1000000u;
    for (size_t i = 0; i < request->n_ops && within_limits(&up); i++) {
        up.op = &request->ops[i];
        up.op_index = i;
        run_op(&up);
    }
    st = up.error.code;
    if (st) {
        if (err)
            *err = up.error;
    } else if (up.opt.on_graph_change) {
        for (size_t i = 0; i < up.n_changes; i++)
            if (up.changes[i].added || up.changes[i].removed)
                up.opt.on_graph_change(up.opt.report_ctx, up.changes[i].iri, up.changes[i].added,
                                       up.changes[i].removed);
    }
    for (size_t i = 0; i < up.n_changes; i++)
        free(up.changes[i].iri);
    free(up.changes);
    free(up.del.q);
    free(up.ins.q);
    free(up.locals.terms);
    free(up.locals.ids);
    free(up.locals.index);
    sparql_update_free(request);
    return st;
}
