/*
 * plan.c — compiles the algebra into physical operators and runs queries.
 *
 * plan_pattern(p, input) returns an operator producing the solutions of p
 * joined with the rows of input (NULL: the one empty row). Only basic graph
 * patterns take the input into their scans (index nested loops, which is
 * safe: matching a triple pattern does not depend on the group it is in);
 * every other operator is planned on its own and joined with the input by a
 * hash join, so FILTER and OPTIONAL keep the scoping of §18.
 *
 * Operators that evaluate expressions (Extend, Filter, LeftJoin filters,
 * ORDER BY, GROUP BY) and property paths live here, on top of exec.h.
 */
#define _GNU_SOURCE /* qsort_r */
#include "plan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "candidate_set.h"
#include "eval.h"
#include "exec.h"
#include "geo_index.h"
#include "geo_rewrite.h"
#include "range_index.h"
#include "service.h"
#include "termspace.h"
#include "value_index.h"

/* ---- the planner ---------------------------------------------------------- */

typedef struct {
    exec_graph_mode mode;
    exec_slot g;
    const ck_id *set; /* EXEC_GRAPH_SET */
    size_t n_set;
} graph_ctx;

typedef struct {
    int depth;
    char label[400];
    double estimate; /* < 0: none */
    exec_op *op;
} plan_line;

/* An estimate made already (estimate_triple: bound_mask 8; fanout_triple:
 * which of s, p, o the input binds, bits 0-2). */
typedef struct {
    ck_pattern q;
    unsigned bound_mask;
    double rows;
} estimate_memo;

#define ESTIMATE_MEMO_MAX 64

typedef struct {
    const sparql_query *query;
    ck_txn *txn;
    exec_ctx exec;
    eval_ctx eval;
    termspace *terms;
    sparql_run_options options;
    graph_ctx default_graph;
    plan_line *lines;
    size_t nlines, cap;
    int depth;
    struct filter_args *filters;
    graph_ctx active_graph; /* where the expression being evaluated stands */
    bool has_dataset;   /* FROM or FROM NAMED given: GRAPH sees only FROM NAMED */
    ck_id *named;       /* the dataset's named graphs (has_dataset) */
    size_t n_named;
    unsigned service_calls; /* answers read so far, to keep their blank nodes apart */
    int in_exists;          /* planning the pattern of an EXISTS for one row */
    bool consumes_all;      /* every row will be read (under GROUP BY / ORDER BY) */
    uint64_t order_limit;   /* for the next ORDER: rows the SLICE above needs */
    const ck_id *seed_row;  /* the row an EXISTS or MINUS probe is planned for */
    /* ORDER BY ... LIMIT over a BGP (order_pushdown): the BGP, and the
     * ORDER whose keys its first scan may sort by; order_sorted_keys tells
     * the ORDER by how many of its keys its input comes sorted */
    const sparql_pattern *ordered_bgp, *order_by;
    graph_ctx order_graph;    /* the ORDER's active graph, for its keys */
    size_t order_sorted_keys; /* keys the ORDER's input comes sorted by */
    /* a restricted caller's scans with the graph unbound read only these
     * graphs' ranges (ck_pattern.graphs): the readable named graphs for
     * GRAPH ?g, the readable FROM graphs for the FROM set */
    ck_graph_set readable_named, readable_from;
    /* The planner asks for the same estimates at every step of a BGP and
     * again for every EXISTS or MINUS probe; each costs index seeks (one
     * per readable graph for a restricted caller). */
    estimate_memo estimates[ESTIMATE_MEMO_MAX];
    size_t n_estimates;
    /* stars may read their predicates from psog in subject order
     * (merge_star_worth): the store has psog, the caller is unrestricted
     * (psog is not graph-first), and CITYKG_PSOG_MERGE is not "off" */
    bool psog_merge;
    /* value-index reducers (reduce_rows): one per FILTER considered; the
     * FILTER whose BGP is being planned; how many times the pattern being
     * planned will run (a MINUS's probes), to weigh a reducer's cost */
    struct range_reducer *reducers;
    const sparql_pattern *reducing;
    double probe_repeats;
    /* for the BGP planned next (plan_bgp clears it): the slot a star to its
     * right joins on (-1: none), so that its last lookup may hand the rows
     * on in that slot's order (object_join_worth) */
    int subject_order;
} planner;

static exec_op *plan_pattern(planner *pl, const sparql_pattern *p, const graph_ctx *g,
                             exec_op *input);
static bool expr_within(const sparql_expr *e, const bool *bound);
static size_t order_keys_known(const sparql_pattern *order_by, const bool *bound);
static exec_op *lazy_order_new(planner *pl, exec_op *input, const sparql_pattern *order_by,
                              size_t nkeys);

static void note(planner *pl, exec_op *op, double estimate, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void note(planner *pl, exec_op *op, double estimate, const char *fmt, ...)
{
    if (!pl->options.explain || !op)
        return;
    if (pl->nlines == pl->cap) {
        pl->cap = pl->cap ? pl->cap * 2 : 32;
        pl->lines = realloc(pl->lines, pl->cap * sizeof *pl->lines);
    }
    plan_line *l = &pl->lines[pl->nlines++];
    l->depth = pl->depth;
    l->estimate = estimate;
    l->op = op;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->label, sizeof l->label, fmt, ap);
    va_end(ap);
}

/* Adds text to the plan line of op (made by note), for what an operator
 * learns while it runs, such as the reducer its probes built. */
static void note_append(planner *pl, const exec_op *op, const char *text)
{
    for (size_t i = 0; i < pl->nlines; i++)
        if (pl->lines[i].op == op) {
            size_t len = strlen(pl->lines[i].label);
            snprintf(pl->lines[i].label + len, sizeof pl->lines[i].label - len, "; %s", text);
            return;
        }
}

static ck_id node_id(planner *pl, const ck_term *t)
{
    ck_error err;
    ck_id id = termspace_intern(pl->terms, t, &err);
    if (!id && !pl->exec.error.code)
        pl->exec.error = err;
    return id;
}

static exec_slot node_slot(planner *pl, const sparql_node *n)
{
    if (n->var >= 0)
        return (exec_slot){true, n->var, 0};
    return (exec_slot){false, 0, node_id(pl, &n->term)};
}

/* Restricts a store pattern to the graph context (GRAPH ?g scans all graphs;
 * the caller skips the default graph's quads). False when that is one graph
 * outside readable: nothing matches, and no scan need (or may, for its
 * time) pass over the graph's quads. With the graph unbound, a restricted
 * caller's scan reads the readable graphs' ranges only. */
static bool graph_pattern(const planner *pl, const graph_ctx *g, ck_pattern *q)
{
    const ck_graph_set *readable = pl->options.readable;
    if (readable) /* (only the default graph's context is ever a FROM set) */
        q->graphs = g->mode == EXEC_GRAPH_NAMED ? &pl->readable_named
                    : g->mode == EXEC_GRAPH_SET ? &pl->readable_from
                                                : readable;
    if (g->mode == EXEC_GRAPH_DEFAULT) {
        q->g = CK_DEFAULT_GRAPH;
        q->g_bound = true;
    } else if (g->mode == EXEC_GRAPH_NAMED && !g->g.is_var) {
        q->g = g->g.id;
        q->g_bound = true;
    }
    return !q->g_bound || ck_graph_set_has(readable, q->g);
}

/* Whether a quad of graph `graph` belongs to the graph context and to the
 * graphs the caller may read: the test of every scan made here. */
static bool quad_visible(const planner *pl, const graph_ctx *g, ck_id graph)
{
    return exec_graph_accepts(g->mode, g->set, g->n_set, graph) &&
           ck_graph_set_has(pl->options.readable, graph);
}

static exec_op *unit_row(planner *pl)
{
    ck_id *row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    exec_op *op = exec_values_new(&pl->exec, row, 1);
    free(row);
    return op;
}

/* Joins input (may be NULL) with an independently planned operator. */
static exec_op *join_input(planner *pl, exec_op *input, exec_op *op)
{
    if (!input)
        return op;
    exec_op *j = exec_hash_join_new(&pl->exec, input, op);
    note(pl, j, -1, "hash join");
    return j;
}

/* ---- basic graph patterns ----------------------------------------------------- */

static exec_pattern triple_pattern(planner *pl, const sparql_triple *t, const graph_ctx *g)
{
    exec_pattern ep = {node_slot(pl, &t->s), node_slot(pl, &t->p), node_slot(pl, &t->o),
                       g->mode, g->g, g->set, g->n_set, false};
    return ep;
}

/* Whether a constant of the query is worth a seek. A term the store does
 * not hold (a query-local id) matches no quad, so the seek can be saved —
 * except for a restricted caller, who must pay it as for a term that only
 * unreadable graphs use: otherwise the time of a lookup (estimates, scans,
 * path steps, DESCRIBE) would tell whether a term exists in the store. */
static bool constant_sought(const planner *pl, ck_id id)
{
    return id && (ck_id_tag(id) != SPARQL_TAG_LOCAL || pl->options.readable);
}

/* The store pattern of a triple's constants (variables free) in its graph
 * context; false if a constant is not sought (constant_sought), or the
 * graph one the caller may not read, so nothing can match. */
static bool constant_pattern(const planner *pl, const exec_pattern *ep, ck_pattern *q)
{
    *q = (ck_pattern){0};
    const exec_slot *pos[3] = {&ep->s, &ep->p, &ep->o};
    ck_id *field[3] = {&q->s, &q->p, &q->o};
    for (int k = 0; k < 3; k++) {
        if (pos[k]->is_var)
            continue;
        if (!constant_sought(pl, pos[k]->id))
            return false;
        *field[k] = pos[k]->id;
    }
    graph_ctx g = {ep->graph_mode, ep->g, ep->graph_set, ep->n_graph_set};
    return graph_pattern(pl, &g, q);
}

/* The memo entry of (q, bound_mask), or NULL. */
static const estimate_memo *estimate_recall(const planner *pl, const ck_pattern *q,
                                            unsigned bound_mask)
{
    for (size_t i = 0; i < pl->n_estimates; i++) {
        const estimate_memo *e = &pl->estimates[i];
        if (e->bound_mask == bound_mask && e->q.s == q->s && e->q.p == q->p && e->q.o == q->o &&
            e->q.g == q->g && e->q.g_bound == q->g_bound && e->q.graphs == q->graphs)
            return e;
    }
    return NULL;
}

static double estimate_keep(planner *pl, const ck_pattern *q, unsigned bound_mask, double rows)
{
    if (pl->n_estimates < ESTIMATE_MEMO_MAX)
        pl->estimates[pl->n_estimates++] = (estimate_memo){*q, bound_mask, rows};
    return rows;
}

/* Matches of the triple's constants q in the store. */
static double estimate_constants(planner *pl, const exec_pattern *ep, const ck_pattern *q)
{
    /* exact, kept per predicate; but of every graph, so not for a
     * restricted caller, whose plan must not depend on graphs it cannot read */
    if (ep->s.is_var && ep->o.is_var && !ep->p.is_var && !q->g_bound && !q->graphs)
        return (double)ck_stats_predicate_count(pl->txn, q->p);
    uint64_t n;
    bool exact;
    ck_error err;
    if (ck_estimate(pl->txn, q, 1000, &n, &exact, &err) != CK_OK)
        return 1e12;
    return (double)n;
}

/* Matches of the triple with its constants only (variables free),
 * remembered for the query. */
static double estimate_triple(planner *pl, const exec_pattern *ep)
{
    ck_pattern q;
    if (!constant_pattern(pl, ep, &q))
        return 0;
    const estimate_memo *known = estimate_recall(pl, &q, 8);
    return known ? known->rows : estimate_keep(pl, &q, 8, estimate_constants(pl, ep, &q));
}

static bool slot_bound(const exec_slot *s, const bool *bound)
{
    return !s->is_var || bound[s->slot];
}

/* Matches of a triple per input row when the variables in bound are
 * fixed: ck_estimate with those positions set to the values of one sample
 * match (the first match of the triple's constants). Dividing the whole
 * count by a constant factor instead took `?b c:inDistrict ?d` with ?d
 * bound for one match where there are 23k. */
static double fanout_sample(planner *pl, const exec_pattern *ep, const bool *bound, ck_pattern q)
{
    const exec_slot *pos[3] = {&ep->s, &ep->p, &ep->o};
    ck_id *field[3] = {&q.s, &q.p, &q.o};
    ck_scan *sc;
    ck_quad first;
    ck_error err;
    if (ck_scan_open(pl->txn, &q, &sc, &err) != CK_OK)
        return 1e12;
    bool any = ck_scan_next(sc, &first);
    ck_scan_close(sc);
    if (!any)
        return 0;
    ck_id sample[3] = {first.s, first.p, first.o};
    for (int k = 0; k < 3; k++)
        if (pos[k]->is_var && bound[pos[k]->slot])
            *field[k] = sample[k];
    uint64_t n;
    bool exact;
    if (ck_estimate(pl->txn, &q, 1000, &n, &exact, &err) != CK_OK)
        return 1e12;
    return (double)n;
}

/* fanout_sample, remembered for the query. */
static double fanout_triple(planner *pl, const exec_pattern *ep, const bool *bound)
{
    ck_pattern q;
    if (!constant_pattern(pl, ep, &q))
        return 0;
    const exec_slot *pos[3] = {&ep->s, &ep->p, &ep->o};
    unsigned mask = 0;
    for (int k = 0; k < 3; k++)
        if (pos[k]->is_var && bound[pos[k]->slot])
            mask |= 1u << k;
    const estimate_memo *known = estimate_recall(pl, &q, mask);
    return known ? known->rows : estimate_keep(pl, &q, mask, fanout_sample(pl, ep, bound, q));
}

/* Whether a triple can join a star around an already bound subject:
 * (?s <p> ?o) with ?o unbound and not yet in the star (star may be NULL:
 * a star would start with this triple). */
static bool star_member(const exec_pattern *ep, const bool *bound, const exec_star *star)
{
    if (!ep->s.is_var || !bound[ep->s.slot] || ep->p.is_var || !ep->p.id || !ep->o.is_var ||
        bound[ep->o.slot] || ep->o.slot == ep->s.slot ||
        (ep->graph_mode != EXEC_GRAPH_UNION && ep->graph_mode != EXEC_GRAPH_DEFAULT))
        return false;
    if (!star)
        return true;
    if (ep->s.slot != star->s_slot || ep->graph_mode != star->graph_mode)
        return false;
    for (int k = 0; k < star->n; k++)
        if (star->o_slot[k] == ep->o.slot)
            return false;
    return true;
}

static void star_add(exec_star *star, const exec_pattern *ep)
{
    star->p[star->n] = ep->p.id;
    star->o_slot[star->n++] = ep->o.slot;
}

/* Whether a scan's rows come sorted by slot: its subject, with predicate
 * and object bound (posg gives them in subject order), or read from psog. */
static bool scan_sorted_by(const exec_pattern *scan, int slot)
{
    return scan->s.is_var && scan->s.slot == slot && !scan->p.is_var &&
           (!scan->o.is_var || scan->by_subject);
}

/* A merge join (exec_merge_join_new) replaces the lookups per row of the
 * first scan by one triple when that scan has at least MERGE_MIN_ROWS rows
 * and the triple matches at most MERGE_MAX_RATIO times as many: reading and
 * sorting a predicate's rows beats seeking (subject, predicate) per row
 * (11: 141 -> 118 ms at 10M). Not for a star join: its one scan per
 * subject, in subject order, walks spog almost sequentially, and merging
 * each of its triples instead was slower (09: 178 -> 260 ms, 10: 467 ->
 * 630 ms, same minutes) — sorting whole rows costs more than that walk. */
#define MERGE_MIN_ROWS 20000
#define MERGE_MAX_RATIO 4

static bool merge_worth(planner *pl, double driver_est, double triple_est)
{
    if (!pl->consumes_all || pl->in_exists || pl->seed_row)
        return false;
    return driver_est >= MERGE_MIN_ROWS && triple_est <= MERGE_MAX_RATIO * driver_est;
}

/* Star joins over psog (exec_merge_star_new) replace one spog scan per
 * subject, which decodes every triple of the subject (~12 for a city
 * building) to find the few the star needs, by a walk of each star
 * predicate's psog range in step with the subjects: only the star's rows
 * are decoded. Where every row is read and the subjects are many: from
 * MERGE_MIN_ROWS (below) rows of the first scan, or rows of other patterns
 * (left_rows < 0, count unknown: the walk skips by seeks where they are
 * sparse). */
static bool merge_star_worth(planner *pl, const exec_star *star, double left_rows)
{
    if (!pl->psog_merge || star->graph_mode != EXEC_GRAPH_UNION || !pl->consumes_all ||
        pl->in_exists || pl->seed_row)
        return false;
    return left_rows < 0 || left_rows >= MERGE_MIN_ROWS;
}

/* Whether the BGP's first scan ep should read psog, in subject order: a
 * triple (?s <p> ?o) of many rows, with another triple unused yet that
 * would join it in a star on ?s (star_member) and so walk psog in step. */
static bool driver_by_subject(planner *pl, const exec_pattern *eps, size_t n, const bool *used,
                              size_t best, double rows)
{
    const exec_pattern *ep = &eps[best];
    if (!pl->psog_merge || ep->graph_mode != EXEC_GRAPH_UNION || !ep->s.is_var ||
        ep->p.is_var || !ep->p.id || !ep->o.is_var || ep->o.slot == ep->s.slot)
        return false;
    exec_star none = {.graph_mode = EXEC_GRAPH_UNION};
    if (!merge_star_worth(pl, &none, rows))
        return false;
    bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
    if (!bound)
        return false;
    bound[ep->s.slot] = true;
    bool star = false;
    for (size_t i = 0; i < n && !star; i++)
        star = i != best && !used[i] && star_member(&eps[i], bound, NULL) &&
               eps[i].s.slot == ep->s.slot && eps[i].o.slot != ep->o.slot;
    free(bound);
    return star;
}

/* The first scan's rows in the order of slot, for a merge join: sorted,
 * unless the scan comes that way (predicate and object bound). */
static exec_op *sorted_for_merge(planner *pl, exec_op *op, const exec_pattern *scan,
                                 double est, int slot)
{
    if (scan && scan_sorted_by(scan, slot))
        return op;
    op = exec_sort_by_slot_new(&pl->exec, op, slot);
    note(pl, op, est, "sort by ?%s (for the merge)", pl->query->var_names[slot]);
    return op;
}

/* Joins the rows in op (sorted by slot) with the triple ep, whose subject
 * is slot: its whole scan, sorted by subject, merged in. */
static exec_op *merge_triple(planner *pl, exec_op *op, const exec_pattern *ep, int slot,
                             double est)
{
    exec_op *right = exec_scan_new(&pl->exec, ep);
    if (right && !scan_sorted_by(ep, slot))
        right = exec_sort_by_slot_new(&pl->exec, right, slot);
    op = exec_merge_join_new(&pl->exec, op, right, slot);
    note(pl, op, est, "merge join on ?%s with %s", pl->query->var_names[slot],
         pl->query->var_names[ep->o.is_var ? ep->o.slot : slot]);
    return op;
}

/* Whether rows come sorted by slot: those of the BGP's first scan (scan)
 * by its pattern, other rows (scan NULL) when their operator says so. */
static bool comes_sorted(const exec_op *op, const exec_pattern *scan, int slot)
{
    return scan ? scan_sorted_by(scan, slot) : op && op->sorted_slot == slot;
}

/* An object join (exec_object_join_new) instead of a lookup per row of
 * (?s <p> ?o), ?o bound, where a star on ?s follows (subject_order): the
 * lookups' rows come grouped by object and the star would sort them,
 * while one walk of p's psog range hands them on in subject order. Worth
 * it when the lookups would read at least 1/OBJECT_JOIN_SHARE of the
 * predicate's rows, and MERGE_MIN_ROWS of them: query 12 reads 197k of
 * its 281k usage rows by lookups of 10 concepts, and the walk of all
 * 281k saves the lookups and the sort (13.6 -> 12.3 ms). */
#define OBJECT_JOIN_SHARE 4

static bool object_join_worth(planner *pl, const exec_pattern *ep, const bool *bound,
                              int subject_order, double rows, double predicate_rows)
{
    if (!pl->psog_merge || !pl->consumes_all || pl->in_exists || pl->seed_row)
        return false;
    return subject_order >= 0 && ep->graph_mode == EXEC_GRAPH_UNION && ep->s.is_var &&
           ep->s.slot == subject_order && !bound[ep->s.slot] && !ep->p.is_var && ep->p.id &&
           ep->o.is_var && bound[ep->o.slot] && ep->o.slot != ep->s.slot &&
           rows >= MERGE_MIN_ROWS && rows * OBJECT_JOIN_SHARE >= predicate_rows;
}

/* The slot a star of the BGP right would join on where left binds it: the
 * subject of a triple (?s <p> ?o) whose ?s is in left's scope; -1 when
 * none is. */
static int star_subject_of(const sparql_pattern *right, const bool *left_scope)
{
    for (size_t i = 0; i < right->n_triples; i++) {
        const sparql_triple *t = &right->triples[i];
        if (t->s.var >= 0 && t->p.var < 0 && left_scope[t->s.var])
            return t->s.var;
    }
    return -1;
}

/* How many times the rows of the smallest first scan a scan binding the
 * first ORDER BY key may have and still go first (plan_bgp). */
#define ORDER_DRIVER_MAX_RATIO 16

/* Whether the rows of a BGP's first scan should be sorted by the subject
 * the next lookups use: then each lookup starts where the last one ended
 * instead of searching. Only where every row is read anyway (under GROUP BY
 * or ORDER BY, not under a LIMIT that could stop early), for enough rows to
 * pay for the sort, and when the scan does not already come in that order
 * (a pattern with predicate and object bound comes sorted by subject). */
static bool sort_before_lookups(planner *pl, const exec_pattern *scan, double rows, int slot)
{
    if (!pl->consumes_all || pl->in_exists || pl->seed_row)
        return false;
    if (!scan)
        return true; /* rows of other patterns: number and order unknown */
    if (rows < 2000)
        return false;
    return !scan_sorted_by(scan, slot);
}

/* ---- value-index reducers ----------------------------------------------------
 *
 * A FILTER with a numeric range over a BGP (range_index.h) whose range is
 * too wide to start the BGP from (range_seed_for) can still spare it most
 * lookups of the range's triple ?s <p> ?v: once the other triples have
 * bound ?s, a row whose ?s is not among the subjects in range cannot pass
 * the FILTER, and a bit test drops it before its ?v is looked up. "NO2
 * sensors that never measured 95 or more": 19 % of all observations reach
 * 95, but only 0.1 % of the NO2 sensors' ones, so the set of the
 * observations in range (read once from the value index) spares a MINUS
 * probe nearly every lookup of a value. The FILTER still tests the rows
 * that pass, exactly: the set only holds subjects with some value in the
 * (inclusive, double) range.
 *
 * The set costs reading its index rows (about 10 ns each); a lookup it
 * spares costs about 40 times that. So it is built only when its rows are
 * at most REDUCER_ROWS_PER_LOOKUP times the lookups expected on the
 * triple (over all probes of a MINUS) and at most a REDUCER_SHARE-th of
 * the predicate: the estimate comes from the index's block keys
 * (ck_values_estimate), before any row is read. Decided once per FILTER
 * and query; unrestricted callers only, like the value index itself. */
#define REDUCER_ROWS_PER_LOOKUP 16
#define REDUCER_SHARE 4

typedef struct range_reducer {
    const sparql_pattern *filter;
    range_test t;
    size_t triple;        /* the triple ?s <p> ?v in the FILTER's BGP */
    bool decided;
    candidate_set *set;   /* NULL: not worth it (or no range) */
    uint64_t rows_read;
    char what[320];       /* for --explain */
    struct range_reducer *next;
} range_reducer;

/* The reducer of the FILTER whose BGP bgp is being planned, decided or
 * not; NULL when there is no range to reduce by. */
static range_reducer *reducer_of(planner *pl, const sparql_pattern *bgp)
{
    const sparql_pattern *f = pl->reducing;
    if (!f || f->left != bgp || pl->options.readable || !ck_values_ready(pl->txn))
        return NULL;
    for (range_reducer *r = pl->reducers; r; r = r->next)
        if (r->filter == f)
            return r->decided && !r->set ? NULL : r;
    range_reducer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->filter = f;
    r->next = pl->reducers;
    pl->reducers = r;
    r->decided = !range_test_for(pl->query, bgp, f->exprs, f->n_exprs, &r->t);
    r->triple = SIZE_MAX;
    for (size_t i = 0; i < bgp->n_triples && !r->decided; i++)
        if (&bgp->triples[i].p.term == r->t.predicate)
            r->triple = i;
    r->decided |= r->triple == SIZE_MAX;
    return r->decided ? NULL : r;
}

/* Decides r for `lookups` expected lookups of its triple: reads the
 * subjects in range into a set when that is worth it. */
static void reducer_decide(planner *pl, range_reducer *r, double lookups)
{
    r->decided = true;
    ck_id pred = node_id(pl, r->t.predicate);
    if (!pred || ck_id_tag(pred) == SPARQL_TAG_LOCAL)
        return;
    double max = (double)(ck_stats_predicate_count(pl->txn, pred) / REDUCER_SHARE);
    if (REDUCER_ROWS_PER_LOOKUP * lookups < max)
        max = REDUCER_ROWS_PER_LOOKUP * lookups;
    uint64_t est;
    ck_error err = {0};
    if (max < 1 || ck_values_estimate(pl->txn, pred, r->t.lo, r->t.hi, (uint64_t)max, &est, &err) != CK_OK ||
        est > (uint64_t)max)
        return;
    /* the estimate may be off by a block or so: twice it caps the read;
     * a set the query's memory budget could not hold is not made (the
     * plan without it is exact too) */
    size_t cap = (size_t)(2 * max) + 64;
    exec_ctx *ctx = &pl->exec;
    if (ctx->memory_limit && ctx->memory_used + cap * sizeof(ck_id) > ctx->memory_limit)
        return;
    ck_id *ids;
    size_t n;
    bool over;
    if (ck_values_subjects_unordered(pl->txn, pred, r->t.lo, r->t.hi, cap, &ids, &n, &over, &r->rows_read,
                                     &err) != CK_OK || over)
        return;
    r->set = candidate_set_build(ids, n);
    if (r->set && !exec_reserve(ctx, candidate_set_bytes(r->set))) {
        candidate_set_free(r->set);
        r->set = NULL;
        return;
    }
    if (r->set)
        snprintf(r->what, sizeof r->what, "value-index reducer: %s: %zu subjects from %llu index rows (%s, %zu bytes)",
                 r->t.what, candidate_set_count(r->set), (unsigned long long)r->rows_read, candidate_set_kind(r->set),
                 candidate_set_bytes(r->set));
}

static bool reducer_test(void *arg, const ck_id *row)
{
    const range_reducer *r = arg;
    return candidate_set_has(r->set, row[r->t.subject]);
}

/* In plan_bgp, before each step: once the reducer's subject is bound by
 * the rows so far (rows_so_far of them, per run) and its triple is still
 * to come, the rows pass through the set first. Returns op, filtered or
 * not; sets *r to NULL once the reducer is placed or moot. */
static exec_op *reduce_rows(planner *pl, range_reducer **r, exec_op *op, const bool *bound, const bool *used,
                            double rows_so_far)
{
    range_reducer *red = *r;
    if (!red || !op || !bound[red->t.subject])
        return op;
    *r = NULL;
    if (used[red->triple])
        return op; /* the range's triple bound ?s itself */
    if (!red->decided)
        reducer_decide(pl, red, (rows_so_far > 1 ? rows_so_far : 1) * pl->probe_repeats);
    if (!red->set)
        return op;
    op = exec_filter_new(&pl->exec, op, reducer_test, red);
    note(pl, op, -1, "%s", red->what);
    return op;
}

static void reducers_free(planner *pl)
{
    while (pl->reducers) {
        range_reducer *next = pl->reducers->next;
        candidate_set_free(pl->reducers->set);
        free(pl->reducers);
        pl->reducers = next;
    }
}

/* The BGP p joined to input's rows (NULL: from its first scan);
 * input_bound: the variables the input may bind, input_certain: those it
 * binds in every row (NULL: all of input_bound). A star or merge join on
 * a subject needs it bound in every row; other triples look up what a row
 * leaves unbound with it free. */
static exec_op *plan_bgp(planner *pl, const sparql_pattern *p, const graph_ctx *g, exec_op *input,
                         const bool *input_bound, const bool *input_certain)
{
    int subject_order = pl->subject_order;
    pl->subject_order = -1;
    size_t n = p->n_triples;
    if (n == 0)
        return input ? input : unit_row(pl);
    exec_pattern *eps = calloc(n, sizeof *eps);
    double *est = calloc(n, sizeof *est);
    bool *used = calloc(n, sizeof *used);
    bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
    /* bound in some input rows only (an OPTIONAL's or a UNION branch's) */
    bool *maybe_unbound = calloc((size_t)pl->exec.width + 1, sizeof *maybe_unbound);
    if (!eps || !est || !used || !bound || !maybe_unbound) {
        free(eps);
        free(est);
        free(used);
        free(bound);
        free(maybe_unbound);
        exec_free(input);
        ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory planning a BGP");
        return NULL;
    }
    if (input_bound)
        memcpy(bound, input_bound, (size_t)pl->exec.width * sizeof *bound);
    else if (input && pl->seed_row) /* rows grown from the seed of a probe */
        for (int v = 0; v < pl->exec.width; v++)
            bound[v] = pl->seed_row[v] != 0;
    for (int v = 0; input_bound && input_certain && v < pl->exec.width; v++)
        maybe_unbound[v] = input_bound[v] && !input_certain[v];
    for (size_t i = 0; i < n; i++) {
        eps[i] = triple_pattern(pl, &p->triples[i], g);
        est[i] = estimate_triple(pl, &eps[i]);
    }
    /* ORDER BY ... LIMIT above: the first scan may sort by its keys */
    bool may_push = p == pl->ordered_bgp && !input && n > 1;
    if (may_push)
        pl->ordered_bgp = NULL;
    bool keep_order = false; /* the rows are in ORDER BY order: keep it */
    exec_op *op = input;
    double rows_so_far = 0; /* estimated rows of op */
    double per_input = 1;   /* estimated rows of op per input row (for a reducer) */
    /* the BGP's first scan, or the rows of other patterns it starts from
     * (a path's nodes: no pattern), while nothing else is joined */
    exec_op *driver = input;
    const exec_pattern *driver_pattern = NULL;
    double driver_est = -1;
    range_reducer *reducer = reducer_of(pl, p);
    for (size_t step = 0, done = 0; done < n; step++) {
        exec_op *unreduced = op;
        op = reduce_rows(pl, &reducer, op, bound, used, input ? per_input : rows_so_far);
        if (driver == unreduced)
            driver = op; /* the set test keeps the rows' order */
        if (op != driver)
            driver = NULL;
        /* most selective next triple; positions bound by earlier triples
         * make a triple far cheaper (one lookup per row instead of a scan),
         * and a triple sharing no variable is a cross product: last */
        size_t best = SIZE_MAX, loose = SIZE_MAX; /* loose: best unconnected triple */
        double best_cost = 0, best_rows = 0;
        for (size_t i = 0; i < n; i++) {
            if (used[i])
                continue;
            int joined = slot_bound(&eps[i].s, bound) + slot_bound(&eps[i].p, bound) +
                         slot_bound(&eps[i].o, bound);
            int constants = !eps[i].s.is_var + !eps[i].p.is_var + !eps[i].o.is_var;
            bool connected = joined > constants || (step == 0 && !input);
            double rows = joined > constants ? fanout_triple(pl, &eps[i], bound) : est[i];
            double cost = rows;
            if (!connected && (loose == SIZE_MAX || est[i] < est[loose]))
                loose = i;
            /* between similar counts, the triple binding fewer new
             * variables: its rows constrain the rest more */
            int fresh = 3 - joined;
            if (eps[i].s.is_var && eps[i].o.is_var && eps[i].s.slot == eps[i].o.slot)
                fresh--;
            cost *= 1 + 0.25 * fresh;
            if (!connected && (step > 0 || input))
                cost *= 1e9;
            if (best == SIZE_MAX || cost < best_cost) {
                best = i;
                best_cost = cost;
                best_rows = rows;
            }
        }
        /* When the next lookups would multiply the rows far beyond what an
         * unconnected triple matches on its own (stations -> their
         * districts -> every building there, to keep the listed ones),
         * that triple and the next one are planned alone (the listed
         * buildings -> their districts) and hash-joined, the small side
         * as the table; the remaining triples follow by lookups. */
        if (!keep_order && op && op != input && loose != SIZE_MAX && best != loose &&
            est[loose] > 0 &&
            rows_so_far * best_rows > 4 * est[loose]) {
            sparql_triple pair[2] = {p->triples[loose], p->triples[best]};
            sparql_pattern two = *p;
            two.triples = pair;
            two.n_triples = 2;
            exec_op *right = plan_bgp(pl, &two, g, NULL, NULL, NULL);
            if (!right) {
                exec_free(op);
                op = NULL;
                break;
            }
            op = exec_hash_join_new(&pl->exec, right, op);
            note(pl, op, -1, "hash join (two triples planned alone)");
            size_t pair_at[2] = {loose, best};
            for (int k = 0; k < 2; k++) {
                const exec_pattern *ep = &eps[pair_at[k]];
                const exec_slot *slots[4] = {&ep->s, &ep->p, &ep->o,
                                             ep->graph_mode == EXEC_GRAPH_NAMED ? &ep->g : NULL};
                for (int j = 0; j < 4; j++)
                    if (slots[j] && slots[j]->is_var)
                        bound[slots[j]->slot] = true, maybe_unbound[slots[j]->slot] = false;
                used[pair_at[k]] = true;
            }
            done += 2;
            rows_so_far = est[loose];
            per_input *= best_rows;
            continue;
        }
        if (may_push && !op) {
            /* under ORDER BY ... LIMIT a first scan that binds the first
             * key lets the joins after it stop early: worth up to a few
             * times the rows of the smallest scan */
            int key = pl->order_by->order[0].expr->var;
            for (size_t i = 0; i < n; i++) {
                const exec_pattern *ep = &eps[i];
                bool binds = (ep->s.is_var && ep->s.slot == key) ||
                             (ep->p.is_var && ep->p.slot == key) ||
                             (ep->o.is_var && ep->o.slot == key);
                if (binds && i != best && est[i] <= ORDER_DRIVER_MAX_RATIO * est[best]) {
                    best = i;
                    best_rows = est[i];
                    break;
                }
            }
        }
        rows_so_far = op ? rows_so_far * best_rows : best_rows;
        per_input *= best_rows;
        used[best] = true;
        done++;
        /* a star or merge join needs the subject in every row */
        bool subject_certain = !eps[best].s.is_var || !maybe_unbound[eps[best].s.slot];
        if (op && subject_certain && star_member(&eps[best], bound, NULL)) {
            /* the other triples around the same subject join in one scan */
            exec_star star = {.s_slot = eps[best].s.slot, .graph_mode = eps[best].graph_mode};
            star_add(&star, &eps[best]);
            for (size_t i = 0; i < n && star.n < EXEC_STAR_MAX; i++)
                if (!used[i] && star_member(&eps[i], bound, &star)) {
                    star_add(&star, &eps[i]);
                    used[i] = true;
                    done++;
                }
            /* over psog where many subjects come sorted (merge_star_worth),
             * else one spog scan per subject */
            bool merged = op == driver && !keep_order &&
                          merge_star_worth(pl, &star, driver_pattern ? driver_est : -1);
            if (merged || star.n > 1) {
                bool sort = merged ? !comes_sorted(op, driver_pattern, star.s_slot)
                                   : op == driver && !keep_order &&
                                         !comes_sorted(op, driver_pattern, star.s_slot) &&
                                         sort_before_lookups(pl, driver_pattern, driver_est,
                                                             star.s_slot);
                if (sort) {
                    op = exec_sort_by_slot_new(&pl->exec, op, star.s_slot);
                    note(pl, op, driver_est, "sort by ?%s (for the %s)",
                         pl->query->var_names[star.s_slot], merged ? "merge" : "lookups");
                }
                op = merged ? exec_merge_star_new(&pl->exec, op, &star)
                            : exec_star_join_new(&pl->exec, op, &star);
                note(pl, op, est[best], "%sstar join ?%s%s (%d triples)", merged ? "merge " : "",
                     pl->query->var_names[star.s_slot], merged ? " over psog" : "", star.n);
                for (int k = 0; k < star.n; k++)
                    bound[star.o_slot[k]] = true;
                continue;
            }
        }
        char *s = NULL;
        size_t len = 0;
        FILE *mem = pl->options.explain ? open_memstream(&s, &len) : NULL;
        if (mem) {
            sparql_pattern one = *p;
            one.triples = &p->triples[best];
            one.n_triples = 1;
            sparql_pattern_print(mem, pl->query, &one);
            fclose(mem);
        }
        if (op && op == driver && !keep_order && subject_certain &&
            star_member(&eps[best], bound, NULL) && merge_worth(pl, driver_est, est[best])) {
            op = sorted_for_merge(pl, op, driver_pattern, driver_est, eps[best].s.slot);
            op = merge_triple(pl, op, &eps[best], eps[best].s.slot, est[best]);
        } else if (op && !keep_order &&
                   object_join_worth(pl, &eps[best], bound, subject_order,
                                     op == input ? exec_rows_known(input) * per_input : rows_so_far,
                                     est[best])) {
            op = exec_object_join_new(&pl->exec, op, &eps[best]);
            note(pl, op, -1, "object join %s over psog (in subject order)", s ? s : "");
        } else if (op) {
            const exec_pattern *ep = &eps[best];
            if (op == driver && !keep_order && ep->s.is_var && bound[ep->s.slot] &&
                !ep->p.is_var && sort_before_lookups(pl, driver_pattern, driver_est, ep->s.slot)) {
                op = exec_sort_by_slot_new(&pl->exec, op, ep->s.slot);
                note(pl, op, driver_est, "sort by ?%s (for the lookups)",
                     pl->query->var_names[ep->s.slot]);
            }
            op = exec_index_join_new(&pl->exec, op, ep);
            note(pl, op, est[best], "index join %s", s ? s : "");
        } else {
            eps[best].by_subject =
                !may_push && driver_by_subject(pl, eps, n, used, best, est[best]);
            op = exec_scan_new(&pl->exec, &eps[best]);
            note(pl, op, est[best], "scan %s%s", s ? s : "",
                 eps[best].by_subject ? " in subject order (psog)" : "");
            driver = op;
            driver_pattern = &eps[best];
            driver_est = est[best];
        }
        free(s);
        const exec_slot *slots[4] = {&eps[best].s, &eps[best].p, &eps[best].o,
                                     eps[best].graph_mode == EXEC_GRAPH_NAMED ? &eps[best].g : NULL};
        for (int k = 0; k < 4; k++)
            if (slots[k] && slots[k]->is_var)
                bound[slots[k]->slot] = true, maybe_unbound[slots[k]->slot] = false;
        size_t known = may_push ? order_keys_known(pl->order_by, bound) : 0;
        if (known) {
            /* the first ORDER BY keys are known from the first scan: its
             * rows are handed on in their order, the lookups after it keep
             * that order, and the ORDER above stops soon after LIMIT rows
             * instead of joining every row first */
            op = lazy_order_new(pl, op, pl->order_by, known);
            note(pl, op, driver_est, "order by (%zu keys), one row at a time", known);
            pl->order_sorted_keys = known;
            keep_order = true;
        }
        may_push = false;
    }
    free(eps);
    free(est);
    free(used);
    free(bound);
    free(maybe_unbound);
    return op;
}

/* How many leading ORDER BY keys of order_by are computed from bound
 * variables. */
static size_t order_keys_known(const sparql_pattern *order_by, const bool *bound)
{
    size_t k = 0;
    while (k < order_by->n_order && expr_within(order_by->order[k].expr, bound))
        k++;
    return k;
}

/* ---- operators with expressions --------------------------------------------- */

typedef struct filter_args {
    struct filter_args *next; /* all of a query's, freed with the planner */
    planner *pl;
    graph_ctx graph;          /* the active graph: EXISTS is evaluated there */
    sparql_expr *const *exprs;
    size_t n;
} filter_args;

static bool filter_test(void *arg, const ck_id *row)
{
    filter_args *f = arg;
    f->pl->eval.rows_seen++;
    f->pl->active_graph = f->graph;
    return eval_filter(&f->pl->eval, f->exprs, f->n, row);
}

/* Filter arguments must outlive the operator: listed in the planner. */
static filter_args *new_filter_args(planner *pl, const graph_ctx *g, sparql_expr *const *exprs,
                                    size_t n)
{
    filter_args *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->pl = pl;
    f->graph = *g;
    f->exprs = exprs;
    f->n = n;
    f->next = pl->filters;
    pl->filters = f;
    return f;
}

typedef struct {
    exec_op base;
    exec_op *input;
    planner *pl;
    int var;
    const sparql_expr *expr;
    graph_ctx graph;
    bool starts_solution; /* lowest of a chain of Extends: a new solution */
} extend_op;

static bool extend_next(exec_op *op, ck_id *row)
{
    extend_op *x = (extend_op *)op;
    if (!exec_next(x->input, row))
        return false;
    /* the Extends of one SELECT or BIND chain see the same solution, so
     * BNODE("x") is one node across them (W3C bnode01) */
    if (x->starts_solution)
        x->pl->eval.rows_seen++;
    x->pl->active_graph = x->graph;
    sparql_value v;
    eval_expr(&x->pl->eval, x->expr, row, &v);
    ck_id id = eval_value_id(&x->pl->eval, &v);
    sparql_value_clear(&v);
    if (x->pl->eval.error.code) {
        op->ctx->error = x->pl->eval.error;
        return false;
    }
    if (x->var >= 0 && !row[x->var])
        row[x->var] = id; /* an error leaves the variable unbound (§18.5) */
    return true;
}

static void extend_destroy(exec_op *op) { exec_free(((extend_op *)op)->input); }

static exec_op *extend_new(planner *pl, const graph_ctx *g, exec_op *input, int var,
                           const sparql_expr *e)
{
    extend_op *x = exec_op_new(sizeof *x, &pl->exec, extend_next, extend_destroy);
    if (!x) {
        exec_free(input);
        return NULL;
    }
    x->input = input;
    x->starts_solution = !input || input->next != extend_next;
    x->pl = pl;
    x->var = var;
    x->expr = e;
    x->graph = *g;
    return &x->base;
}

/* ORDER BY: all rows, sorted by the keys' values (§15.1 order). Key values
 * are computed when a comparison first needs them, so a second key is read
 * only for rows whose first keys tie. Under a LIMIT (limit: the rows the
 * slice above needs) only that many rows are kept, in a heap, instead of
 * sorting all of them. */
typedef struct {
    exec_op base;
    exec_op *input;
    planner *pl;
    graph_ctx graph;      /* the active graph of its keys (EXISTS) */
    const sparql_order_key *keys;
    size_t nkeys;
    uint64_t limit;       /* 0: all rows */
    exec_rows rows;
    size_t *order;
    size_t nout;          /* rows of order to return */
    sparql_value *values; /* n rows x nkeys, valid where have[] is set, then
                             the candidate's keys (see order_rows) */
    bool *have;
    size_t candidate;     /* top k: the row whose keys are in the last slot */
    size_t pos;
    bool sorted;
    size_t sorted_keys;   /* the input comes sorted by the first sorted_keys keys */
    bool lazy;            /* sorted by the first key, ties when reached */
    size_t *rank;         /* lazy: each row's rank by the first key */
    size_t tie_end;       /* lazy: end of the rows tied with order[pos - 1] */
    struct order_term {   /* terms of dictionary ids read by variable keys */
        ck_id id;
        sparql_value value;
    } *terms;             /* ORDER_TERMS, open addressing; NULL until needed */
    size_t n_terms;
} order_op;

#define ORDER_TERMS 1024

/* The value of a dictionary id: the same few terms (sensors, districts)
 * are compared again and again, and each resolution is a B-tree search.
 * The first ORDER_TERMS / 2 ids seen are remembered (never replaced), and
 * a term is kept from its second sighting on, so that keys that are all
 * different (labels) cost no copies. */
static void order_term(order_op *o, ck_id id, sparql_value *out)
{
    if (!o->terms && !(o->terms = calloc(ORDER_TERMS, sizeof *o->terms))) {
        eval_slot_value(&o->pl->eval, &id, 0, out);
        return;
    }
    size_t i = (id >> 4) * 0x9E3779B97F4A7C15ull >> 54; /* 10 bits: ORDER_TERMS */
    while (o->terms[i].id && o->terms[i].id != id)
        i = (i + 1) & (ORDER_TERMS - 1);
    struct order_term *t = &o->terms[i];
    if (t->id != id) {
        if (o->n_terms < ORDER_TERMS / 2) {
            t->id = id;
            o->n_terms++;
        }
        eval_slot_value(&o->pl->eval, &id, 0, out);
        return;
    }
    if (sparql_value_is_error(&t->value))
        eval_slot_value(&o->pl->eval, &id, 0, &t->value);
    /* lent, not copied: entries stay until order_destroy */
    *out = t->value;
    out->owned = NULL;
}

static const sparql_value *order_key(order_op *o, size_t row, size_t k)
{
    size_t at = (row == o->candidate ? o->rows.n : row) * o->nkeys + k;
    if (!o->have[at]) {
        const ck_id *r = o->rows.rows + row * (size_t)o->base.ctx->width;
        const sparql_expr *e = o->keys[k].expr;
        if (e->kind == SPARQL_EXPR_VAR && e->var >= 0 && ck_id_in_dictionary(r[e->var])) {
            order_term(o, r[e->var], &o->values[at]);
        } else {
            o->pl->active_graph = o->graph; /* EXISTS in a key: the ORDER's graph */
            eval_expr(&o->pl->eval, e, r, &o->values[at]);
        }
        o->have[at] = true;
    }
    return &o->values[at];
}

/* The order of two rows on a variable key from the ids alone where they
 * tell it (sparql_inline_order), without evaluating the key. */
static bool order_by_ids(const sparql_expr *e, const ck_id *ri, const ck_id *rj, int *c)
{
    return e->kind == SPARQL_EXPR_VAR && e->var >= 0 &&
           sparql_inline_order(ri[e->var], rj[e->var], c);
}

/* Compares rows i and j on the keys from..to-1: 0 when they tie there. */
static int order_cmp_keys(order_op *o, size_t i, size_t j, size_t from, size_t to)
{
    int w = o->base.ctx->width;
    for (size_t k = from; k < to; k++) {
        int c;
        if (!order_by_ids(o->keys[k].expr, o->rows.rows + i * (size_t)w,
                          o->rows.rows + j * (size_t)w, &c))
            c = sparql_value_order(order_key(o, i, k), order_key(o, j, k));
        if (c)
            return o->keys[k].descending ? -c : c;
    }
    return 0;
}

static int order_cmp(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = order_cmp_keys(arg, i, j, 0, ((order_op *)arg)->nkeys);
    return c ? c : i < j ? -1 : i > j; /* stable */
}

/* A row that left the top k is not compared again: its values go. */
static void order_forget(order_op *o, size_t row)
{
    for (size_t k = 0; k < o->nkeys; k++) {
        size_t at = (row == o->candidate ? o->rows.n : row) * o->nkeys + k;
        if (o->have[at]) {
            sparql_value_clear(&o->values[at]);
            o->have[at] = false;
        }
    }
}

/* The heap of the top-k selection: the row that sorts last on top. */
static void heap_sift_down(order_op *o, size_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && order_cmp(&h[l], &h[m], o) > 0)
            m = l;
        if (r < n && order_cmp(&h[r], &h[m], o) > 0)
            m = r;
        if (m == i)
            return;
        size_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void order_rows(order_op *o)
{
    size_t n = o->rows.n, k = o->limit && o->limit < n ? (size_t)o->limit : n;
    for (size_t i = 0; i < k; i++)
        o->order[i] = i;
    if (k < n) {
        for (size_t i = k / 2; i-- > 0;)
            heap_sift_down(o, o->order, k, i);
        /* Each row is compared with the heap's top with its keys in one
         * slot at the end, so that rows that do not enter (most) leave no
         * values behind and touch no page of the row-indexed values. */
        for (size_t i = k; i < n && exec_check(o->base.ctx); i++) {
            o->candidate = i;
            if (order_cmp(&i, &o->order[0], o) >= 0) {
                order_forget(o, i);
                continue;
            }
            for (size_t key = 0; key < o->nkeys; key++) { /* into row i's own slots */
                size_t from = n * o->nkeys + key, to = i * o->nkeys + key;
                o->values[to] = o->values[from];
                o->have[to] = o->have[from];
                o->have[from] = false;
                sparql_value_init(&o->values[from]);
            }
            o->candidate = SIZE_MAX;
            order_forget(o, o->order[0]);
            o->order[0] = i;
            heap_sift_down(o, o->order, k, 0);
        }
        o->candidate = SIZE_MAX;
    }
    qsort_r(o->order, k, sizeof *o->order, order_cmp, o);
    o->nout = k;
}

/* Compares two rows by the keys after the first (rows tied on it). */
static int order_cmp_rest(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = order_cmp_keys(arg, i, j, 1, ((order_op *)arg)->nkeys);
    return c ? c : i < j ? -1 : i > j; /* stable */
}

static int order_cmp_first(const void *a, const void *b, void *arg)
{
    return order_cmp_keys(arg, *(const size_t *)a, *(const size_t *)b, 0, 1);
}

/* A lazy ORDER (the first key a variable) sorts its rows by that key
 * only, and sorts the rows tied on it by the other keys when it reaches
 * them. The first key is computed once per distinct term (a scan's 281k
 * buildings have 3,303 heights) and the rows are placed by its rank in a
 * counting sort: the rows before the LIMIT cost about as much as reading
 * the scan, and a later key (an IRI to resolve) is read only for the
 * rows tied on the first that are reached. */
static bool order_rank_rows(order_op *o)
{
    exec_ctx *ctx = o->base.ctx;
    int w = ctx->width, var = o->keys[0].expr->var;
    size_t n = o->rows.n, nslots = 16, ndistinct = 0;
    while (nslots < 2 * n)
        nslots *= 2;
    if (!exec_reserve(ctx, nslots * sizeof(size_t) + 4 * (n + 1) * sizeof(size_t)))
        return false;
    size_t *slots = calloc(nslots, sizeof *slots);     /* distinct number + 1, 0 = free */
    size_t *first = malloc((n + 1) * sizeof *first);   /* a row of each distinct term */
    size_t *distinct = malloc((n + 1) * sizeof *distinct); /* each row's distinct term */
    size_t *start = calloc(n + 2, sizeof *start);      /* rows per rank, then offsets */
    o->rank = malloc((n + 1) * sizeof *o->rank);
    bool ok = slots && first && distinct && start && o->rank;
    for (size_t i = 0; ok && i < n; i++) {
        ck_id id = o->rows.rows[i * (size_t)w + (size_t)var];
        size_t j = ck_hash_bytes(&id, sizeof id, 11) & (nslots - 1);
        while (slots[j] && o->rows.rows[first[slots[j] - 1] * (size_t)w + (size_t)var] != id)
            j = (j + 1) & (nslots - 1);
        if (!slots[j]) {
            first[ndistinct] = i;
            slots[j] = ++ndistinct;
        }
        distinct[i] = slots[j] - 1;
    }
    ok = ok && exec_check(ctx);
    if (ok) {
        /* the distinct terms in key order; equal values (2.8, 2.80) share a rank */
        qsort_r(first, ndistinct, sizeof *first, order_cmp_first, o);
        size_t *rank_of = slots; /* distinct number -> rank (slots no longer needed) */
        for (size_t r = 0, current = 0; r < ndistinct; r++) {
            if (r && order_cmp_first(&first[r - 1], &first[r], o) != 0)
                current++;
            rank_of[distinct[first[r]]] = current;
        }
        for (size_t i = 0; i < n; i++) {
            o->rank[i] = rank_of[distinct[i]];
            start[o->rank[i] + 1]++;
        }
        for (size_t r = 1; r <= ndistinct; r++)
            start[r] += start[r - 1];
        for (size_t i = 0; i < n; i++) /* stable: ties keep the input order */
            o->order[start[o->rank[i]]++] = i;
    }
    free(slots);
    free(first);
    free(distinct);
    free(start);
    if (!ok && !ctx->error.code)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for ORDER BY");
    o->nout = n;
    return ok;
}

/* Next row of a lazy ORDER: at the start of the rows tied on the first
 * key, they are sorted by the other keys. */
static bool order_lazy_next(order_op *o, ck_id *row)
{
    if (o->pos >= o->nout)
        return false;
    if (o->pos == o->tie_end) {
        size_t end = o->pos + 1;
        while (end < o->nout && o->rank[o->order[end]] == o->rank[o->order[o->pos]])
            end++;
        if (o->nkeys > 1 && end - o->pos > 1)
            qsort_r(o->order + o->pos, end - o->pos, sizeof *o->order, order_cmp_rest, o);
        o->tie_end = end;
    }
    int w = o->base.ctx->width;
    memcpy(row, o->rows.rows + o->order[o->pos++] * (size_t)w, (size_t)w * sizeof(ck_id));
    return !o->base.ctx->error.code;
}

/* Whether rows a and b (of width w) tie on the first n keys. */
static bool order_keys_tie(order_op *o, const ck_id *a, const ck_id *b, size_t n)
{
    bool tie = true;
    for (size_t k = 0; k < n && tie; k++) {
        sparql_value va, vb;
        o->pl->active_graph = o->graph;
        eval_expr(&o->pl->eval, o->keys[k].expr, a, &va);
        eval_expr(&o->pl->eval, o->keys[k].expr, b, &vb);
        tie = sparql_value_order(&va, &vb) == 0;
        sparql_value_clear(&va);
        sparql_value_clear(&vb);
    }
    return tie;
}

/* Buffers the rows a top-k over input sorted by the first sorted_keys keys
 * needs: limit rows, then those tied with the last of them on those keys
 * (a later key may put one of them before it). */
static bool buffer_sorted(order_op *o)
{
    exec_ctx *ctx = o->base.ctx;
    int w = ctx->width ? ctx->width : 1;
    if (!exec_rows_read(ctx, &o->rows, o->input, (size_t)o->limit))
        return false;
    if (o->sorted_keys == o->nkeys || o->rows.n < o->limit)
        return true;
    ck_id *row = calloc((size_t)w, sizeof(ck_id));
    ck_id *last = calloc((size_t)w, sizeof(ck_id));
    bool ok = row && last;
    if (ok)
        memcpy(last, o->rows.rows + (o->rows.n - 1) * (size_t)w, (size_t)w * sizeof(ck_id));
    while (ok && exec_next(o->input, row) && order_keys_tie(o, last, row, o->sorted_keys))
        ok = exec_rows_push(ctx, &o->rows, row);
    free(row);
    free(last);
    if (!ok && !ctx->error.code)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for ORDER BY");
    return !ctx->error.code;
}

static bool order_next(exec_op *op, ck_id *row)
{
    order_op *o = (order_op *)op;
    int w = op->ctx->width;
    if (!o->sorted) {
        o->sorted = true;
        if (!(o->sorted_keys && o->limit ? buffer_sorted(o)
                                         : exec_rows_read(op->ctx, &o->rows, o->input, SIZE_MAX)))
            return false;
        size_t n = o->rows.n;
        if (!exec_reserve(op->ctx,
                          n * (sizeof *o->order + o->nkeys * (sizeof *o->values + 1))))
            return false;
        o->order = malloc((n + 1) * sizeof *o->order);
        o->values = calloc((n + 1) * o->nkeys + 1, sizeof *o->values);
        o->have = calloc((n + 1) * o->nkeys + 1, sizeof *o->have);
        o->candidate = SIZE_MAX;
        if (!o->order || !o->values || !o->have) {
            ck_error_set(&op->ctx->error, CK_ERR_NOMEM, "out of memory for ORDER BY");
            return false;
        }
        if (o->lazy)
            order_rank_rows(o);
        else
            order_rows(o);
        if (op->ctx->error.code)
            return false;
    }
    if (o->lazy)
        return order_lazy_next(o, row);
    if (o->pos >= o->nout)
        return false;
    memcpy(row, o->rows.rows + o->order[o->pos++] * (size_t)w, (size_t)w * sizeof(ck_id));
    return true;
}

static void order_destroy(exec_op *op)
{
    order_op *o = (order_op *)op;
    exec_free(o->input);
    if (o->values && o->have)
        for (size_t i = 0; i < (o->rows.n + 1) * o->nkeys; i++)
            if (o->have[i]) /* (the rest was never touched: no page faults) */
                sparql_value_clear(&o->values[i]);
    if (o->terms)
        for (size_t i = 0; i < ORDER_TERMS; i++)
            sparql_value_clear(&o->terms[i].value);
    free(o->terms);
    free(o->values);
    free(o->have);
    free(o->order);
    free(o->rank);
    free(o->rows.rows);
}

/* The BGP under an ORDER BY ... LIMIT whose first scan may hand its rows
 * on in key order (plan_bgp decides, once it knows the scan binds every
 * key): reached through FILTERs and BINDs, which keep the order. */
static const sparql_pattern *order_pushdown(const sparql_pattern *p)
{
    while (p->op == SPARQL_OP_FILTER || p->op == SPARQL_OP_EXTEND)
        p = p->left;
    return p->op == SPARQL_OP_BGP ? p : NULL;
}

static exec_op *lazy_order_new(planner *pl, exec_op *input, const sparql_pattern *order_by,
                              size_t nkeys)
{
    order_op *o = exec_op_new(sizeof *o, &pl->exec, order_next, order_destroy);
    if (!o) {
        exec_free(input);
        return NULL;
    }
    o->input = input;
    o->pl = pl;
    o->graph = pl->order_graph;
    o->keys = order_by->order;
    o->nkeys = nkeys; /* the keys known here; the ORDER above has them all */
    o->lazy = true;
    return &o->base;
}

/* ---- GROUP BY and aggregates --------------------------------------------------- */

#define GROUP_PREFETCH_AHEAD 16

typedef struct {
    exec_op base;
    exec_op *input;
    planner *pl;
    const sparql_pattern *p;
    graph_ctx graph;    /* the active graph of its expressions (EXISTS) */
    bool scoped;        /* a key or aggregate is an expression: group_row_scope */
    exec_rows rows;
    ck_id *keys;        /* n rows x nkeys */
    size_t *order;      /* row numbers, each group's together */
    size_t pos;         /* next row of order to start a group at */
    bool started, empty_done;
    /* streaming (group_streams): no rows kept, one running state per
     * group and aggregate; groups numbered as they first appear */
    bool streaming;
    size_t ngroups, gcap;
    ck_id *gkeys;               /* ngroups x nkeys */
    struct agg_state *gstates;  /* ngroups x naggregates */
    size_t *gslots, ngslots;    /* hash of key tuples: group number + 1 */
} group_op;

/* Before a row's keys or aggregates are evaluated: the row is a solution
 * of its own (BNODE's scope) and EXISTS runs in the GROUP's graph. The
 * operators below set both as they pass rows, which no longer says which
 * row is evaluated when rows arrive in batches or are buffered. */
static void group_row_scope(group_op *g)
{
    if (!g->scoped)
        return; /* variables only: nothing reads the scope */
    g->pl->eval.rows_seen++;
    g->pl->active_graph = g->graph;
}

/* Whether a key or an aggregate of GROUP p evaluates an expression that
 * is more than a variable. */
static bool group_has_expressions(const sparql_pattern *p)
{
    for (size_t k = 0; k < p->n_keys; k++)
        if (p->keys[k].expr->kind != SPARQL_EXPR_VAR)
            return true;
    for (size_t a = 0; a < p->n_aggregates; a++)
        if (p->aggregates[a].expr && p->aggregates[a].expr->kind != SPARQL_EXPR_VAR)
            return true;
    return false;
}

/* Orders the rows so that each group's rows are contiguous, groups in the
 * order they first appear and rows in input order within a group: a hash
 * table from key tuples to group numbers, then a counting sort by group.
 * Linear time, where sorting by key cost a comparison callback per step. */
static bool group_rows(group_op *g, exec_ctx *ctx)
{
    size_t n = g->rows.n, nk = g->p->n_keys, nslots = 16;
    if (nk == 0) {
        for (size_t i = 0; i < n; i++)
            g->order[i] = i;
        return true;
    }
    while (nslots < 2 * n)
        nslots *= 2;
    if (!exec_reserve(ctx, nslots * sizeof(size_t) + 3 * n * sizeof(size_t)))
        return false;
    size_t *slots = calloc(nslots, sizeof *slots);  /* group number + 1, 0 = free */
    size_t *first = malloc((n + 1) * sizeof *first); /* a row of each group */
    size_t *start = calloc(n + 2, sizeof *start);    /* rows per group, then offsets */
    size_t *group = malloc((n + 1) * sizeof *group); /* each row's group */
    bool ok = slots && first && start && group;
    size_t ngroups = 0;
    for (size_t i = 0; ok && i < n; i++) {
        const ck_id *key = g->keys + i * nk;
        size_t j = ck_hash_bytes(key, nk * sizeof(ck_id), 7) & (nslots - 1);
        while (slots[j] && memcmp(g->keys + first[slots[j] - 1] * nk, key, nk * sizeof(ck_id)))
            j = (j + 1) & (nslots - 1);
        if (!slots[j]) {
            first[ngroups] = i;
            slots[j] = ++ngroups;
        }
        group[i] = slots[j] - 1;
        start[group[i] + 1]++;
    }
    for (size_t k = 1; ok && k <= ngroups; k++)
        start[k] += start[k - 1];
    for (size_t i = 0; ok && i < n; i++)
        g->order[start[group[i]]++] = i;
    free(slots);
    free(first);
    free(start);
    free(group);
    if (!ok)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
    return ok;
}

/* SUM and AVG add natively, with the promotion of op:numeric-add
 * (integer < decimal < float < double): the same results as adding with
 * the + operator row by row, without a lexical form per row. */
typedef struct {
    int rank;            /* 0 integer, 1 decimal, 2 float, 3 double */
    sparql_decimal dec;  /* ranks 0 and 1 */
    double d;            /* ranks 2 and 3 */
    bool failed;         /* a non-numeric value, or a decimal overflow */
} numeric_sum;

/* acc + x, exact, as sparql_decimal_add gives it but without normalizing
 * (dropping trailing zeros costs 128-bit divisions; the sum's text is
 * normalized anyway): the scales are aligned upward. Where that overflows,
 * sparql_decimal_add decides (the sum may fit once zeros are dropped). */
static bool add_decimal(sparql_decimal *acc, sparql_decimal x)
{
    static const int64_t p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                  100000000, 1000000000, 10000000000, 100000000000,
                                  1000000000000, 10000000000000, 100000000000000,
                                  1000000000000000, 10000000000000000, 100000000000000000,
                                  1000000000000000000};
    sparql_decimal a = *acc, b = x;
    int d = a.scale - b.scale;
    bool aligned = d == 0 ||
                   (d > 0 && d <= 18 && !__builtin_mul_overflow(b.m, (sparql_int128)p10[d], &b.m)) ||
                   (d < 0 && d >= -18 && !__builtin_mul_overflow(a.m, (sparql_int128)p10[-d], &a.m));
    sparql_int128 sum;
    if (aligned && !__builtin_add_overflow(a.m, b.m, &sum)) {
        acc->m = sum;
        acc->scale = d >= 0 ? a.scale : b.scale;
        return true;
    }
    return sparql_decimal_add(*acc, x, acc);
}

static void sum_add(numeric_sum *s, const sparql_value *v)
{
    if (s->failed || !sparql_value_is_numeric(v)) {
        s->failed = true;
        return;
    }
    int rank = v->type == SPARQL_TYPE_INTEGER ? 0 : v->type == SPARQL_TYPE_DECIMAL ? 1
               : v->type == SPARQL_TYPE_FLOAT ? 2 : 3;
    if (rank >= 2 && s->rank <= 1)
        s->d = sparql_decimal_to_double(s->dec);
    if (rank > s->rank)
        s->rank = rank;
    if (s->rank <= 1) {
        s->failed = !add_decimal(&s->dec, v->v.dec);
    } else {
        double x = s->d + sparql_value_to_double(v);
        s->d = s->rank == 2 ? (double)(float)x : x;
    }
}

/* The sum as a value; false if it failed. */
static bool sum_value(const numeric_sum *s, sparql_value *out)
{
    sparql_value_clear(out);
    if (s->failed)
        return false;
    switch (s->rank) {
    case 0: return sparql_value_set_integer(out, s->dec);
    case 1: return sparql_value_set_decimal(out, s->dec);
    case 2: return sparql_value_set_float(out, s->d);
    default: return sparql_value_set_double(out, s->d);
    }
}

/* One aggregate's running state over a group's rows. */
typedef struct agg_state {
    const sparql_aggregate *a;
    uint64_t count;
    bool error;
    sparql_value acc;    /* MIN, MAX, SAMPLE */
    ck_id *seen;         /* DISTINCT: ids of the values taken */
    size_t nseen;
    char *concat;        /* GROUP_CONCAT */
    size_t clen;
    numeric_sum sum;     /* SUM, AVG */
} agg_state;

/* The additions to an aggregate that need a row's ids alone. */
typedef enum {
    ADD_BY_VALUE,    /* anything else: aggregate_add */
    ADD_COUNT_ROWS,  /* COUNT(*) */
    ADD_COUNT_BOUND, /* COUNT(?x) */
    ADD_SUM_VAR      /* SUM(?x), AVG(?x): doubles into a double sum */
} agg_add_kind;

static agg_add_kind add_kind_of(const sparql_aggregate *a)
{
    if (a->distinct)
        return ADD_BY_VALUE;
    if (!a->expr)
        return ADD_COUNT_ROWS;
    if (a->expr->kind != SPARQL_EXPR_VAR || a->expr->var < 0)
        return ADD_BY_VALUE;
    if (a->kind == SPARQL_AGG_COUNT)
        return ADD_COUNT_BOUND;
    return a->kind == SPARQL_AGG_SUM || a->kind == SPARQL_AGG_AVG ? ADD_SUM_VAR : ADD_BY_VALUE;
}

/* Adds row to s by its ids alone, as aggregate_add would; false when the
 * row needs aggregate_add (a value that is not an inline double, a sum
 * that is not a double sum). Inline: streaming GROUP BY calls it for
 * every row and aggregate. */
static inline bool aggregate_add_ids(agg_state *s, agg_add_kind kind, const ck_id *row)
{
    double d;
    switch (kind) {
    case ADD_COUNT_ROWS:
        s->count++;
        return true;
    case ADD_COUNT_BOUND: /* needs no value */
        s->count += row[s->a->expr->var] != 0;
        return true;
    case ADD_SUM_VAR: /* as sum_add would add it */
        if (s->sum.rank != 3 || s->sum.failed || !sparql_inline_double(row[s->a->expr->var], &d))
            return false;
        s->count++;
        s->sum.d += d;
        return true;
    default:
        return false;
    }
}

/* Adds row (order[r] of the group starting at order[from]) to s. */
static void aggregate_add(group_op *gop, agg_state *s, const ck_id *row, size_t from, size_t r)
{
    const sparql_aggregate *a = s->a;
    eval_ctx *ev = &gop->pl->eval;
    int w = gop->base.ctx->width;
    if (aggregate_add_ids(s, add_kind_of(a), row))
        return;
    if (!a->expr) { /* COUNT(*) */
        if (a->distinct) {
            /* distinct whole solutions: compare with earlier rows */
            for (size_t q = from; q < r; q++)
                if (memcmp(gop->rows.rows + gop->order[q] * (size_t)w, row,
                           (size_t)w * sizeof(ck_id)) == 0)
                    return;
        }
        s->count++;
        return;
    }
    if (!a->distinct && (a->kind == SPARQL_AGG_SUM || a->kind == SPARQL_AGG_AVG ||
                         a->kind == SPARQL_AGG_COUNT)) {
        /* these read the value only, not its text: inline numbers are
         * added without rendering and parsing them */
        sparql_value scratch;
        const sparql_value *v = eval_expr_value(ev, a->expr, row, &scratch);
        if (sparql_value_is_error(v)) {
            s->error = true;
        } else {
            s->count++;
            if (a->kind != SPARQL_AGG_COUNT)
                sum_add(&s->sum, v);
        }
        sparql_value_clear(&scratch);
        return;
    }
    sparql_value v;
    eval_expr(ev, a->expr, row, &v);
    if (sparql_value_is_error(&v)) {
        s->error = true;
        return;
    }
    if (a->distinct) {
        ck_id id = eval_value_id(ev, &v);
        for (size_t q = 0; q < s->nseen; q++)
            if (s->seen[q] == id) {
                sparql_value_clear(&v);
                return;
            }
        s->seen[s->nseen++] = id;
    }
    s->count++;
    switch (a->kind) {
    case SPARQL_AGG_SUM:
    case SPARQL_AGG_AVG:
        sum_add(&s->sum, &v);
        break;
    case SPARQL_AGG_MIN:
    case SPARQL_AGG_MAX:
        if (s->count == 1 || (a->kind == SPARQL_AGG_MIN ? sparql_value_order(&v, &s->acc) < 0
                                                       : sparql_value_order(&v, &s->acc) > 0)) {
            sparql_value_clear(&s->acc);
            s->acc = v; /* a move */
            return;
        }
        break;
    case SPARQL_AGG_SAMPLE:
        if (s->count == 1) {
            s->acc = v;
            return;
        }
        break;
    case SPARQL_AGG_GROUP_CONCAT: {
        const char *sep = a->separator ? a->separator : " ";
        size_t add = v.lex_len + (s->count > 1 ? strlen(sep) : 0);
        char *nc = realloc(s->concat, s->clen + add + 1);
        if (nc) {
            s->concat = nc;
            if (s->count > 1) {
                memcpy(s->concat + s->clen, sep, strlen(sep));
                s->clen += strlen(sep);
            }
            memcpy(s->concat + s->clen, v.lex, v.lex_len);
            s->clen += v.lex_len;
            s->concat[s->clen] = 0;
        }
        break;
    }
    default:
        break;
    }
    sparql_value_clear(&v);
}

/* The aggregate's value into out; frees s. */
static void aggregate_finish(group_op *gop, agg_state *s, sparql_value *out)
{
    const sparql_aggregate *a = s->a;
    eval_ctx *ev = &gop->pl->eval;
    bool error = s->error;
    memset(out, 0, sizeof *out);
    free(s->seen);
    if (a->kind == SPARQL_AGG_SUM || a->kind == SPARQL_AGG_AVG)
        error |= !sum_value(&s->sum, &s->acc);
    switch (a->kind) {
    case SPARQL_AGG_COUNT:
        sparql_value_set_int(out, (int64_t)s->count);
        break;
    case SPARQL_AGG_SUM:
        if (!error)
            *out = s->acc, s->acc = (sparql_value){0};
        break;
    case SPARQL_AGG_AVG:
        if (!error && s->count == 0) {
            sparql_value_set_int(out, 0);
        } else if (!error) {
            sparql_value args[2] = {s->acc, {0}};
            sparql_value_set_int(&args[1], (int64_t)s->count);
            sparql_function_call(SPARQL_CALL_OP_DIV, args, 2, out, &ev->functions);
            sparql_value_clear(&args[1]);
        }
        break;
    case SPARQL_AGG_MIN:
    case SPARQL_AGG_MAX:
    case SPARQL_AGG_SAMPLE:
        if (s->count)
            *out = s->acc, s->acc = (sparql_value){0};
        break;
    case SPARQL_AGG_GROUP_CONCAT:
        if (!error)
            sparql_value_set_string(out, s->concat ? s->concat : "", s->clen);
        break;
    case SPARQL_AGG_CUSTOM: /* aggregate_custom */
        break;
    }
    sparql_value_clear(&s->acc);
    free(s->concat);
}

/* An extension aggregate (functions.h) over rows order[from..to): the
 * values of its expression are collected, then handed over at once. */
static void aggregate_custom(group_op *gop, const sparql_aggregate *a, size_t from, size_t to,
                             sparql_value *out)
{
    eval_ctx *ev = &gop->pl->eval;
    int w = gop->base.ctx->width;
    memset(out, 0, sizeof *out);
    const sparql_ext_aggregate *def = sparql_aggregate_lookup(a->iri);
    sparql_value *values = calloc(to - from + 1, sizeof *values);
    ck_id *ids = a->distinct ? calloc(to - from + 1, sizeof *ids) : NULL;
    if (!def || !values || (a->distinct && !ids)) {
        free(values);
        free(ids);
        return;
    }
    size_t n = 0;
    bool error = false;
    for (size_t r = from; r < to && !error; r++) {
        const ck_id *row = gop->rows.rows + gop->order[r] * (size_t)w;
        group_row_scope(gop);
        eval_expr(ev, a->expr, row, &values[n]);
        error = sparql_value_is_error(&values[n]);
        bool dup = false;
        if (!error && ids) {
            ck_id id = eval_value_id(ev, &values[n]);
            for (size_t q = 0; q < n && !dup; q++)
                dup = ids[q] == id;
            ids[n] = id;
        }
        if (dup)
            sparql_value_clear(&values[n]);
        else
            n++;
    }
    if (!error)
        def->fn(values, n, out, &ev->functions, def->userdata);
    for (size_t i = 0; i <= n && i <= to - from; i++)
        sparql_value_clear(&values[i]);
    free(values);
    free(ids);
}

/* Moves the rows (and their keys) into group order, so that the
 * aggregates read each group's rows one after the other: read through
 * order[], rows of 12 interleaved districts were a cache miss each, a fifth
 * of a GROUP BY over 281k buildings. */
static bool group_gather(group_op *g, exec_ctx *ctx)
{
    size_t n = g->rows.n, nk = g->p->n_keys, w = (size_t)(ctx->width ? ctx->width : 1);
    if (nk == 0 || n < 2)
        return true; /* one group, already in input order */
    if (!exec_reserve(ctx, n * (w + nk) * sizeof(ck_id)))
        return false;
    ck_id *rows = malloc(n * w * sizeof(ck_id)), *keys = malloc(n * nk * sizeof(ck_id));
    if (!rows || !keys) {
        free(rows);
        free(keys);
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (i + GROUP_PREFETCH_AHEAD < n)
            __builtin_prefetch(g->rows.rows + g->order[i + GROUP_PREFETCH_AHEAD] * w);
        memcpy(rows + i * w, g->rows.rows + g->order[i] * w, w * sizeof(ck_id));
        memcpy(keys + i * nk, g->keys + g->order[i] * nk, nk * sizeof(ck_id));
        g->order[i] = i;
    }
    free(g->rows.rows);
    free(g->keys);
    g->rows.rows = rows;
    g->rows.cap = n;
    g->keys = keys;
    return true;
}

/* The group's row: its key (NULL for the one group of no rows) and its
 * aggregates' values from their finished states (custom aggregates from
 * the buffered rows from..to). Frees the states. */
static void group_emit_states(group_op *gop, const ck_id *key, agg_state *states, size_t from, size_t to,
                              ck_id *row)
{
    const sparql_pattern *p = gop->p;
    memset(row, 0, (size_t)gop->base.ctx->width * sizeof(ck_id));
    for (size_t k = 0; key && k < p->n_keys; k++)
        if (p->keys[k].var >= 0)
            row[p->keys[k].var] = key[k];
    for (size_t a = 0; a < p->n_aggregates; a++) {
        sparql_value v;
        if (p->aggregates[a].kind == SPARQL_AGG_CUSTOM)
            aggregate_custom(gop, &p->aggregates[a], from, to, &v);
        else
            aggregate_finish(gop, &states[a], &v);
        row[p->aggregates[a].var] = eval_value_id(&gop->pl->eval, &v);
        sparql_value_clear(&v);
    }
}

static void group_emit(group_op *gop, size_t from, size_t to, ck_id *row)
{
    const sparql_pattern *p = gop->p;
    int w = gop->base.ctx->width;
    const ck_id *key = from < to ? gop->keys + gop->order[from] * p->n_keys : NULL;
    /* All aggregates in one pass over the group's rows (group_gather has
     * put them one after the other). */
    agg_state stack[8], *states = p->n_aggregates <= 8 ? stack
                                  : calloc(p->n_aggregates, sizeof *states);
    if (!states) {
        ck_error_set(&gop->base.ctx->error, CK_ERR_NOMEM, "out of memory for aggregates");
        return;
    }
    memset(states, 0, p->n_aggregates * sizeof *states);
    bool ok = true;
    for (size_t a = 0; a < p->n_aggregates; a++) {
        states[a].a = &p->aggregates[a];
        if (states[a].a->distinct && states[a].a->expr &&
            states[a].a->kind != SPARQL_AGG_CUSTOM &&
            !(states[a].seen = calloc(to - from + 1, sizeof(ck_id))))
            ok = false;
    }
    if (!ok)
        ck_error_set(&gop->base.ctx->error, CK_ERR_NOMEM, "out of memory for aggregates");
    for (size_t r = from; ok && r < to; r++) {
        const ck_id *in = gop->rows.rows + gop->order[r] * (size_t)w;
        group_row_scope(gop);
        for (size_t a = 0; a < p->n_aggregates; a++)
            if (states[a].a->kind != SPARQL_AGG_CUSTOM)
                aggregate_add(gop, &states[a], in, from, r);
    }
    group_emit_states(gop, key, states, from, to, row);
    if (states != stack)
        free(states);
}

/* A row's group key: variables as their ids, expressions evaluated. */
static void group_key(group_op *g, const ck_id *row, ck_id *key)
{
    const sparql_pattern *p = g->p;
    for (size_t k = 0; k < p->n_keys; k++) {
        const sparql_expr *e = p->keys[k].expr;
        if (e->kind == SPARQL_EXPR_VAR) { /* the id is the key: no decoding */
            key[k] = row[e->var];
            continue;
        }
        sparql_value v;
        eval_expr(&g->pl->eval, e, row, &v);
        key[k] = eval_value_id(&g->pl->eval, &v);
        sparql_value_clear(&v);
    }
}

/* Whether GROUP p can aggregate its rows as they come instead of keeping
 * them: every aggregate's state then grows by the row alone, which
 * leaves out DISTINCT (its values seen so far) and custom aggregates
 * (which read the group's rows). GROUP BY over a million rows then holds
 * its groups only, and skips buffering, hashing and gathering the rows
 * (benchmark query 12: 197k rows into 12 groups). */
static bool group_streams(const sparql_pattern *p)
{
    for (size_t a = 0; a < p->n_aggregates; a++)
        if (p->aggregates[a].distinct || p->aggregates[a].kind == SPARQL_AGG_CUSTOM)
            return false;
    return true;
}

static bool group_key_equal(const ck_id *a, const ck_id *b, size_t nk)
{
    for (size_t k = 0; k < nk; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

/* The group of key, added (its states fresh) when new; SIZE_MAX when out
 * of memory or over the query's memory budget. */
static size_t group_find(group_op *g, exec_ctx *ctx, const ck_id *key)
{
    const sparql_pattern *p = g->p;
    size_t nk = p->n_keys, na = p->n_aggregates;
    if (nk == 0 && g->ngroups == 1)
        return 0; /* no GROUP BY: one group */
    if ((g->ngroups + 1) * 2 > g->ngslots) {
        size_t ns = g->ngslots ? g->ngslots * 2 : 64;
        if (!exec_reserve(ctx, (ns - g->ngslots) * sizeof(size_t)))
            return SIZE_MAX;
        size_t *slots = calloc(ns, sizeof *slots);
        if (!slots)
            goto nomem;
        for (size_t i = 0; i < g->ngroups; i++) {
            size_t j = (size_t)exec_key_hash(g->gkeys + i * nk, NULL, (int)nk) & (ns - 1);
            while (slots[j])
                j = (j + 1) & (ns - 1);
            slots[j] = i + 1;
        }
        free(g->gslots);
        g->gslots = slots;
        g->ngslots = ns;
    }
    size_t j = (size_t)exec_key_hash(key, NULL, (int)nk) & (g->ngslots - 1);
    for (; g->gslots[j]; j = (j + 1) & (g->ngslots - 1))
        if (group_key_equal(g->gkeys + (g->gslots[j] - 1) * nk, key, nk))
            return g->gslots[j] - 1;
    if (g->ngroups == g->gcap) {
        size_t cap = g->gcap ? g->gcap * 2 : 16;
        if (!exec_reserve(ctx, (cap - g->gcap) * (nk * sizeof(ck_id) + na * sizeof(agg_state))))
            return SIZE_MAX;
        ck_id *keys = realloc(g->gkeys, (cap * nk + 1) * sizeof *keys);
        if (keys)
            g->gkeys = keys;
        agg_state *states = realloc(g->gstates, (cap * na + 1) * sizeof *states);
        if (states)
            g->gstates = states;
        if (!keys || !states)
            goto nomem;
        g->gcap = cap;
    }
    size_t gi = g->ngroups++;
    memcpy(g->gkeys + gi * nk, key, nk * sizeof(ck_id));
    agg_state *st = g->gstates + gi * na;
    memset(st, 0, na * sizeof *st);
    for (size_t a = 0; a < na; a++)
        st[a].a = &p->aggregates[a];
    g->gslots[j] = gi + 1;
    return gi;
nomem:
    ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
    return SIZE_MAX;
}

/* Streaming GROUP BY (group_streams): every input row into its group's
 * running states. */
static bool group_stream(group_op *g, exec_ctx *ctx)
{
    const sparql_pattern *p = g->p;
    size_t w = (size_t)ctx->width, na = p->n_aggregates, got;
    ck_id *rows = calloc(w * EXEC_BATCH + 1, sizeof *rows), *key = calloc(p->n_keys + 1, sizeof *key);
    agg_add_kind *kinds = malloc((na + 1) * sizeof *kinds);
    bool ok = rows && key && kinds;
    if (!ok)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
    for (size_t a = 0; ok && a < na; a++)
        kinds[a] = add_kind_of(&p->aggregates[a]);
    while (ok && (got = exec_next_many(g->input, rows, EXEC_BATCH)))
        for (size_t i = 0; ok && i < got; i++) {
            const ck_id *row = rows + i * w;
            group_row_scope(g);
            group_key(g, row, key);
            size_t gi = group_find(g, ctx, key);
            ok = gi != SIZE_MAX;
            agg_state *states = ok ? g->gstates + gi * na : NULL;
            for (size_t a = 0; ok && a < na; a++)
                if (!aggregate_add_ids(&states[a], kinds[a], row))
                    aggregate_add(g, &states[a], row, 0, 0);
        }
    free(rows);
    free(key);
    free(kinds);
    return ok && !ctx->error.code;
}

static bool group_next(exec_op *op, ck_id *row)
{
    group_op *g = (group_op *)op;
    const sparql_pattern *p = g->p;
    int w = op->ctx->width;
    if (g->streaming) {
        if (!g->started) {
            g->started = true;
            if (!group_stream(g, op->ctx))
                return false;
            if (g->ngroups == 0 && p->n_keys == 0) {
                /* no rows: one empty group without GROUP BY */
                ck_id none = 0;
                if (group_find(g, op->ctx, &none) == SIZE_MAX)
                    return false;
            }
        }
        if (g->pos >= g->ngroups)
            return false;
        size_t gi = g->pos++;
        group_emit_states(g, g->gkeys + gi * p->n_keys, g->gstates + gi * p->n_aggregates, 0, 0, row);
        return !op->ctx->error.code;
    }
    if (!g->started) {
        g->started = true;
        if (!exec_rows_read(op->ctx, &g->rows, g->input, SIZE_MAX))
            return false;
        if (!exec_reserve(op->ctx, g->rows.n * (p->n_keys * sizeof(ck_id) + sizeof(size_t))))
            return false;
        g->keys = calloc(g->rows.n * p->n_keys + 1, sizeof(ck_id));
        g->order = malloc((g->rows.n + 1) * sizeof(size_t));
        if (!g->keys || !g->order) {
            ck_error_set(&op->ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
            return false;
        }
        for (size_t i = 0; i < g->rows.n; i++) {
            g->order[i] = i;
            group_row_scope(g);
            group_key(g, g->rows.rows + i * (size_t)w, g->keys + i * p->n_keys);
        }
        if (!group_rows(g, op->ctx) || !group_gather(g, op->ctx))
            return false;
    }
    if (g->rows.n == 0) {
        /* no rows: one empty group without GROUP BY, none with it */
        if (p->n_keys || g->empty_done)
            return false;
        g->empty_done = true;
        group_emit(g, 0, 0, row);
        return !op->ctx->error.code;
    }
    if (g->pos >= g->rows.n)
        return false;
    size_t from = g->pos, to = from + 1, n = p->n_keys;
    while (to < g->rows.n &&
           (n == 0 || memcmp(g->keys + g->order[to] * n, g->keys + g->order[from] * n,
                             n * sizeof(ck_id)) == 0))
        to++;
    g->pos = to;
    group_emit(g, from, to, row);
    return !op->ctx->error.code;
}

static void group_destroy(exec_op *op)
{
    group_op *g = (group_op *)op;
    exec_free(g->input);
    free(g->rows.rows);
    free(g->keys);
    free(g->order);
    /* groups not emitted (a LIMIT stopped early) still hold their states */
    for (size_t gi = g->pos; gi < g->ngroups; gi++)
        for (size_t a = 0; a < g->p->n_aggregates; a++) {
            agg_state *st = &g->gstates[gi * g->p->n_aggregates + a];
            sparql_value_clear(&st->acc);
            free(st->concat);
        }
    free(g->gkeys);
    free(g->gstates);
    free(g->gslots);
}

/* ---- property paths ------------------------------------------------------------ */

typedef struct {
    ck_id *ids;
    size_t n, cap;
    size_t *slots;
    size_t nslots;
} id_set;

static bool id_set_add(id_set *s, ck_id id)
{
    if ((s->n + 1) * 2 > s->nslots) {
        size_t ns = s->nslots ? s->nslots * 2 : 64;
        size_t *nsl = calloc(ns, sizeof *nsl);
        if (!nsl)
            return false;
        for (size_t i = 0; i < s->n; i++) {
            size_t j = ck_hash_bytes(&s->ids[i], 8, 5) & (ns - 1);
            while (nsl[j])
                j = (j + 1) & (ns - 1);
            nsl[j] = i + 1;
        }
        free(s->slots);
        s->slots = nsl;
        s->nslots = ns;
    }
    size_t j = ck_hash_bytes(&id, 8, 5) & (s->nslots - 1);
    while (s->slots[j]) {
        if (s->ids[s->slots[j] - 1] == id)
            return false;
        j = (j + 1) & (s->nslots - 1);
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->ids = realloc(s->ids, s->cap * sizeof *s->ids);
    }
    s->ids[s->n] = id;
    s->slots[j] = ++s->n;
    return true;
}

static void id_set_free(id_set *s)
{
    free(s->ids);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* Scans the triples around node in the graph context: forward gives objects
 * of (node p ?), backward subjects of (? p node); p == 0 is any predicate. */
static void step(planner *pl, const graph_ctx *g, ck_id node, ck_id p, bool forward,
                 const sparql_path *negated, id_set *out)
{
    ck_pattern q = {0};
    if (forward)
        q.s = node;
    else
        q.o = node;
    q.p = p;
    ck_scan *sc;
    if (!graph_pattern(pl, g, &q) ||
        ck_scan_open(pl->txn, &q, &sc, &pl->exec.error) != CK_OK)
        return;
    ck_quad quad;
    while (ck_scan_next(sc, &quad)) {
        if (!quad_visible(pl, g, quad.g))
            continue;
        if (negated) {
            bool excluded = false;
            for (size_t i = 0; i < negated->n_neg && !excluded; i++) {
                if (negated->neg_inverse[i] == forward)
                    continue;
                ck_term t = {CK_TERM_IRI, negated->neg_iris[i], strlen(negated->neg_iris[i]),
                             NULL, 0, NULL, 0};
                excluded = node_id(pl, &t) == quad.p;
            }
            if (excluded)
                continue;
        }
        id_set_add(out, forward ? quad.o : quad.s);
    }
    ck_scan_close(sc);
}

static void path_targets(planner *pl, const graph_ctx *g, const sparql_path *path, ck_id start,
                         bool forward, id_set *out);

static void closure(planner *pl, const graph_ctx *g, const sparql_path *a, ck_id start,
                    bool forward, bool include_start, id_set *out)
{
    id_set seen = {0};
    ck_id *queue = malloc(sizeof(ck_id) * 64);
    size_t qn = 0, qcap = 64, qpos = 0;
    if (include_start && id_set_add(&seen, start))
        id_set_add(out, start);
    queue[qn++] = start;
    while (qpos < qn && exec_check(&pl->exec)) {
        id_set next = {0};
        path_targets(pl, g, a, queue[qpos++], forward, &next);
        for (size_t i = 0; i < next.n; i++) {
            if (!id_set_add(&seen, next.ids[i]))
                continue;
            id_set_add(out, next.ids[i]);
            if (qn == qcap) {
                qcap *= 2;
                queue = realloc(queue, qcap * sizeof *queue);
            }
            queue[qn++] = next.ids[i];
        }
        id_set_free(&next);
    }
    free(queue);
    id_set_free(&seen);
}

static void path_targets(planner *pl, const graph_ctx *g, const sparql_path *path, ck_id start,
                         bool forward, id_set *out)
{
    switch (path->kind) {
    case SPARQL_PATH_LINK: {
        ck_term t = {CK_TERM_IRI, path->iri, strlen(path->iri), NULL, 0, NULL, 0};
        ck_id p = node_id(pl, &t);
        if (constant_sought(pl, p))
            step(pl, g, start, p, forward, NULL, out);
        return;
    }
    case SPARQL_PATH_INVERSE:
        path_targets(pl, g, path->a, start, !forward, out);
        return;
    case SPARQL_PATH_SEQ: {
        id_set mid = {0};
        path_targets(pl, g, forward ? path->a : path->b, start, forward, &mid);
        for (size_t i = 0; i < mid.n; i++)
            path_targets(pl, g, forward ? path->b : path->a, mid.ids[i], forward, out);
        id_set_free(&mid);
        return;
    }
    case SPARQL_PATH_ALT:
        path_targets(pl, g, path->a, start, forward, out);
        path_targets(pl, g, path->b, start, forward, out);
        return;
    case SPARQL_PATH_ZERO_OR_ONE:
        id_set_add(out, start);
        path_targets(pl, g, path->a, start, forward, out);
        return;
    case SPARQL_PATH_ONE_OR_MORE:
        closure(pl, g, path->a, start, forward, false, out);
        return;
    case SPARQL_PATH_ZERO_OR_MORE:
        closure(pl, g, path->a, start, forward, true, out);
        return;
    case SPARQL_PATH_NEGATED: {
        bool has_fwd = false, has_inv = false;
        for (size_t i = 0; i < path->n_neg; i++)
            *(path->neg_inverse[i] ? &has_inv : &has_fwd) = true;
        if (has_fwd || !has_inv)
            step(pl, g, start, 0, forward, path, out);
        if (has_inv)
            step(pl, g, start, 0, !forward, path, out);
        return;
    }
    }
}

/* All subjects and objects of the graph context (start nodes when both ends
 * of a path are variables). */
static void all_nodes(planner *pl, const graph_ctx *g, id_set *out)
{
    ck_pattern q = {0};
    ck_scan *sc;
    if (!graph_pattern(pl, g, &q) ||
        ck_scan_open(pl->txn, &q, &sc, &pl->exec.error) != CK_OK)
        return;
    ck_quad quad;
    while (ck_scan_next(sc, &quad)) {
        if (!quad_visible(pl, g, quad.g))
            continue;
        id_set_add(out, quad.s);
        id_set_add(out, quad.o);
    }
    ck_scan_close(sc);
}

static exec_op *plan_path(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    /* materialised: every (start, end) pair into a values operator */
    int w = pl->exec.width;
    size_t n = 0, cap = 64;
    ck_id *rows = calloc(cap * (size_t)(w ? w : 1), sizeof(ck_id));
    exec_slot s = node_slot(pl, &p->path_s), o = node_slot(pl, &p->path_o);
    bool forward = !s.is_var || o.is_var;
    id_set starts = {0};
    if (!(forward ? s : o).is_var)
        id_set_add(&starts, (forward ? s : o).id);
    else
        all_nodes(pl, g, &starts);
    graph_ctx gc = *g;
    for (size_t i = 0; i < starts.n && rows; i++) {
        id_set ends = {0};
        path_targets(pl, &gc, p->path, starts.ids[i], forward, &ends);
        for (size_t k = 0; k < ends.n; k++) {
            ck_id from = starts.ids[i], to = ends.ids[k];
            ck_id sid = forward ? from : to, oid = forward ? to : from;
            const exec_slot *end = forward ? &o : &s;
            if (!end->is_var && end->id != (forward ? oid : sid))
                continue;
            if (s.is_var && o.is_var && s.slot == o.slot && sid != oid)
                continue;
            if (n == cap) {
                if (!exec_reserve(&pl->exec, cap * (size_t)w * sizeof(ck_id))) {
                    free(rows);
                    rows = NULL;
                    break;
                }
                cap *= 2;
                rows = realloc(rows, cap * (size_t)w * sizeof(ck_id));
                if (!rows)
                    break;
            }
            ck_id *r = rows + n * (size_t)w;
            memset(r, 0, (size_t)w * sizeof(ck_id));
            if (s.is_var)
                r[s.slot] = sid;
            if (o.is_var)
                r[o.slot] = oid;
            n++;
        }
        id_set_free(&ends);
    }
    id_set_free(&starts);
    exec_op *op = rows ? exec_values_new(&pl->exec, rows, n) : NULL;
    free(rows);
    note(pl, op, (double)n, "path (%zu pairs)", n);
    return op;
}

/* ---- SERVICE ---------------------------------------------------------------------- */

/* Sends the SERVICE group to endpoint and appends its solutions to out as
 * rows, each with bind_slot (if >= 0) set to bind_id. The answer's blank
 * nodes get labels of their own, so two answers never share one. With
 * SILENT, a failed request gives one solution binding nothing else. */
static bool service_fetch(planner *pl, const sparql_pattern *p, const char *endpoint,
                          int bind_slot, ck_id bind_id, exec_rows *out)
{
    const sparql_query *q = pl->query;
    size_t len = strlen(q->prologue) + strlen(p->service_text) + 32;
    char *text = malloc(len);
    int w = pl->exec.width;
    ck_id *row = calloc((size_t)w + 1, sizeof(ck_id));
    long *slots = NULL;
    if (!text || !row) {
        free(text);
        free(row);
        ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    snprintf(text, len, "%sSELECT * WHERE %s", q->prologue, p->service_text);
    uint64_t budget = pl->exec.memory_limit;
    service_options so = {.allow = pl->options.service_allow,
                          .timeout_ms = exec_time_left_ms(&pl->exec),
                          .max_bytes = budget && budget - pl->exec.memory_used < ((size_t)256 << 20)
                                           ? (size_t)(budget - pl->exec.memory_used)
                                           : (size_t)256 << 20,
                          .cancelled = pl->exec.cancelled};
    service_result r;
    ck_error e = {0};
    ck_status st = service_query(endpoint, text, &so, &r, &e);
    free(text);
    unsigned call = ++pl->service_calls;
    bool ok = true;
    if (bind_slot >= 0)
        row[bind_slot] = bind_id;
    if (st) {
        if (p->silent && !(pl->exec.cancelled && *pl->exec.cancelled))
            ok = exec_rows_push(&pl->exec, out, row);
        else
            ok = (pl->exec.error = e, false);
        free(row);
        return ok;
    }
    /* the query's slot of each variable of the answer (-1: not the query's) */
    slots = calloc(r.nvars + 1, sizeof *slots);
    for (size_t v = 0; v < r.nvars && slots; v++) {
        slots[v] = -1;
        for (size_t k = 0; k < q->n_vars; k++)
            if (strcmp(q->var_names[k], r.vars[v]) == 0)
                slots[v] = (long)k;
    }
    for (size_t i = 0; i < r.nrows && slots && ok && exec_check(&pl->exec); i++) {
        memset(row, 0, (size_t)w * sizeof(ck_id));
        if (bind_slot >= 0)
            row[bind_slot] = bind_id;
        bool compatible = true;
        for (size_t v = 0; v < r.nvars && compatible; v++) {
            ck_term t = r.cells[i * r.nvars + v];
            if (slots[v] < 0 || !t.kind)
                continue;
            char label[64];
            if (t.kind == CK_TERM_BLANK) {
                /* labels are the answer's own; "s<call>_" keeps answers apart */
                int n = snprintf(label, sizeof label, "s%u_%.*s", call,
                                 (int)(t.value_len < 40 ? t.value_len : 40), t.value);
                t.value = label;
                t.value_len = (size_t)n;
            }
            ck_id id = node_id(pl, &t);
            if (!id)
                ok = false;
            else if (row[slots[v]] && row[slots[v]] != id)
                compatible = false; /* the endpoint variable bound to another value */
            else
                row[slots[v]] = id;
        }
        if (ok && compatible)
            ok = exec_rows_push(&pl->exec, out, row);
    }
    if (!slots)
        ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory");
    service_result_free(&r);
    free(slots);
    free(row);
    return ok && slots && !pl->exec.error.code;
}

/* SERVICE <iri>: the answer, read when the plan is made, as a table. */
static exec_op *plan_service(planner *pl, const sparql_pattern *p)
{
    char *endpoint = strndup(p->name.term.value, p->name.term.value_len);
    exec_rows b = {0};
    exec_op *op = NULL;
    if (endpoint && service_fetch(pl, p, endpoint, -1, 0, &b))
        op = exec_values_new(&pl->exec, b.rows, b.n);
    note(pl, op, (double)b.n, "service <%s> (%zu rows)", endpoint ? endpoint : "", b.n);
    free(endpoint);
    free(b.rows);
    return op;
}

/* SERVICE ?v: the endpoints are the values of ?v in the input's rows; each
 * is asked once, and the input is joined with all answers. */
typedef struct {
    exec_op base;
    exec_op *input, *join;
    planner *pl;
    const sparql_pattern *p;
} service_join_op;

static bool service_join_next(exec_op *op, ck_id *row)
{
    service_join_op *sj = (service_join_op *)op;
    planner *pl = sj->pl;
    if (!sj->join) {
        exec_rows left = {0}, answers = {0};
        id_set endpoints = {0};
        int v = sj->p->name.var, w = op->ctx->width ? op->ctx->width : 1;
        bool ok = exec_rows_read(op->ctx, &left, sj->input, SIZE_MAX);
        for (size_t i = 0; ok && i < left.n; i++) {
            ck_id id = left.rows[i * (size_t)w + (size_t)v];
            if (!id && !sj->p->silent) {
                ck_error_set(&op->ctx->error, CK_ERR_INVALID,
                             "SERVICE ?%s: the variable is unbound in a solution",
                             pl->query->var_names[v]);
                ok = false;
            } else if (id && id_set_add(&endpoints, id)) {
                ck_term t;
                ck_term_buf buf = {0};
                ck_error e;
                ok = termspace_resolve(pl->terms, id, &t, &buf, &e) == CK_OK;
                if (!ok)
                    op->ctx->error = e;
                else if (t.kind != CK_TERM_IRI && !sj->p->silent)
                    ok = !ck_error_set(&op->ctx->error, CK_ERR_INVALID,
                                       "SERVICE ?%s: bound to a literal or blank node, not an IRI",
                                       pl->query->var_names[v]);
                else if (t.kind == CK_TERM_IRI) {
                    char *endpoint = strndup(t.value, t.value_len);
                    ok = endpoint && service_fetch(pl, sj->p, endpoint, v, id, &answers);
                    free(endpoint);
                }
            }
        }
        if (ok)
            sj->join = exec_hash_join_new(op->ctx, exec_values_new(op->ctx, left.rows, left.n),
                                          exec_values_new(op->ctx, answers.rows, answers.n));
        free(left.rows);
        free(answers.rows);
        id_set_free(&endpoints);
        if (!sj->join)
            return false;
    }
    return exec_next(sj->join, row);
}

static void service_join_destroy(exec_op *op)
{
    service_join_op *sj = (service_join_op *)op;
    exec_free(sj->input);
    exec_free(sj->join);
}

static exec_op *service_join_new(planner *pl, const sparql_pattern *p, exec_op *input)
{
    service_join_op *sj =
        exec_op_new(sizeof *sj, &pl->exec, service_join_next, service_join_destroy);
    if (!sj) {
        exec_free(input);
        return NULL;
    }
    sj->input = input;
    sj->pl = pl;
    sj->p = p;
    note(pl, &sj->base, -1, "service ?%s (one request per endpoint)",
         pl->query->var_names[p->name.var]);
    return &sj->base;
}

/* ---- patterns ------------------------------------------------------------------- */

static exec_op *plan_table(planner *pl, const sparql_pattern *p)
{
    int w = pl->exec.width;
    ck_id *rows = calloc(p->n_rows * (size_t)(w ? w : 1) + 1, sizeof(ck_id));
    for (size_t r = 0; r < p->n_rows && rows; r++)
        for (size_t v = 0; v < p->n_vars; v++) {
            const sparql_node *cell = &p->rows[r * p->n_vars + v];
            if (cell->var == -1 && cell->term.kind != 0)
                rows[r * (size_t)w + (size_t)p->vars[v]] = node_id(pl, &cell->term);
        }
    exec_op *op = rows ? exec_values_new(&pl->exec, rows, p->n_rows) : NULL;
    free(rows);
    note(pl, op, (double)p->n_rows, "values (%zu rows)", p->n_rows);
    return op;
}

/* Whether e uses only variables marked in bound, and no EXISTS. */
static bool expr_within(const sparql_expr *e, const bool *bound)
{
    if (e->kind == SPARQL_EXPR_VAR)
        return bound[e->var];
    if (e->kind == SPARQL_EXPR_EXISTS || e->kind == SPARQL_EXPR_NOT_EXISTS)
        return false;
    for (size_t i = 0; i < e->n_args; i++)
        if (!expr_within(e->args[i], bound))
            return false;
    return true;
}

/* Join(input, Filter(e, P)) equals Filter(e, Join(input, P)) when every
 * variable of e is bound by every solution of P: then the input cannot
 * change what e sees. True for a BGP and filters over its variables; the
 * input then goes into the BGP's scans (an EXISTS over a row, a filtered
 * group after other patterns). */
static bool filter_takes_input(planner *pl, const sparql_pattern *p)
{
    if (p->left->op != SPARQL_OP_BGP)
        return false;
    bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
    if (!bound)
        return false;
    sparql_pattern_scope(p->left, bound);
    bool ok = true;
    for (size_t i = 0; i < p->n_exprs && ok; i++)
        ok = expr_within(p->exprs[i], bound);
    free(bound);
    return ok;
}

/* A filter over a BIND whose variable it does not use gives the same rows
 * below the BIND, where it saves computing the BIND for every row it
 * removes. (An EXISTS in the filter could see the variable: not moved.) */
static bool filter_skips_extend(planner *pl, const sparql_pattern *p)
{
    if (p->left->op != SPARQL_OP_EXTEND)
        return false;
    bool *others = malloc(((size_t)pl->exec.width + 1) * sizeof *others);
    if (!others)
        return false;
    for (int v = 0; v <= pl->exec.width; v++)
        others[v] = v != p->left->var;
    bool ok = true;
    for (size_t i = 0; i < p->n_exprs && ok; i++)
        ok = expr_within(p->exprs[i], others);
    free(others);
    return ok;
}

/* MINUS whose right side is a BGP, possibly filtered over its own
 * variables: every right solution binds all its variables, so a left row
 * that binds one of them is removed exactly when the right side has a
 * solution compatible with it, which its scans find with the row's
 * bindings. With few left rows that is far cheaper than computing the
 * whole right side; past MINUS_PROBE_ROWS left rows the operator falls
 * back to the hash-based exec_minus. */
#define MINUS_PROBE_ROWS 256

static bool minus_can_probe(planner *pl, const sparql_pattern *p)
{
    const sparql_pattern *r = p->right;
    return r->op == SPARQL_OP_BGP || (r->op == SPARQL_OP_FILTER && filter_takes_input(pl, r));
}

typedef struct {
    exec_op base;
    exec_op *left, *fallback;
    planner *pl;
    const sparql_pattern *right;
    graph_ctx graph;
    bool *right_vars;
    exec_rows rows;    /* the first left rows, to choose the method */
    size_t pos;
    bool started, probing;
    ck_id *probe_row;
} minus_probe_op;

static bool minus_removes(minus_probe_op *m, const ck_id *row)
{
    bool shares = false;
    for (int v = 0; v < m->base.ctx->width && !shares; v++)
        shares = row[v] && m->right_vars[v];
    if (!shares)
        return false; /* no shared variable: MINUS keeps the row */
    planner *pl = m->pl;
    bool explain = pl->options.explain;
    pl->options.explain = false; /* not one plan line per row */
    const ck_id *outer_seed = pl->seed_row;
    double outer_repeats = pl->probe_repeats;
    pl->seed_row = row;
    pl->probe_repeats = outer_repeats * (double)m->rows.n;
    range_reducer *had = pl->reducers;
    exec_op *probe = plan_pattern(pl, m->right, &m->graph, exec_values_new(&pl->exec, row, 1));
    pl->seed_row = outer_seed;
    pl->probe_repeats = outer_repeats;
    pl->options.explain = explain;
    /* a reducer the probes use, once: on the MINUS's line */
    for (range_reducer *r = pl->reducers; r != had && explain; r = r->next)
        if (r->set)
            note_append(pl, &m->base, r->what);
    bool found = probe && exec_next(probe, m->probe_row);
    exec_free(probe);
    return found;
}

static bool minus_probe_next(exec_op *op, ck_id *row)
{
    minus_probe_op *m = (minus_probe_op *)op;
    int w = op->ctx->width ? op->ctx->width : 1;
    if (!m->started) {
        m->started = true;
        while (m->rows.n < MINUS_PROBE_ROWS && exec_next(m->left, row))
            if (!exec_rows_push(op->ctx, &m->rows, row))
                return false;
        if (op->ctx->error.code)
            return false;
        m->probing = m->rows.n < MINUS_PROBE_ROWS;
        if (!m->probing) {
            /* many left rows: the buffered ones, then the rest, minus the
             * right side computed once */
            exec_op *left = exec_union_new(op->ctx,
                                           exec_values_new(op->ctx, m->rows.rows, m->rows.n),
                                           m->left);
            m->left = NULL;
            m->fallback = exec_minus_new(op->ctx, left,
                                         plan_pattern(m->pl, m->right, &m->graph, NULL));
            if (!m->fallback)
                return false;
        }
    }
    if (!m->probing)
        return exec_next(m->fallback, row);
    while (m->pos < m->rows.n && exec_check(op->ctx)) {
        const ck_id *r = m->rows.rows + m->pos++ * (size_t)w;
        if (!minus_removes(m, r) && !op->ctx->error.code) {
            memcpy(row, r, (size_t)w * sizeof(ck_id));
            return true;
        }
        if (op->ctx->error.code)
            return false;
    }
    return false;
}

static void minus_probe_destroy(exec_op *op)
{
    minus_probe_op *m = (minus_probe_op *)op;
    exec_free(m->left);
    exec_free(m->fallback);
    free(m->right_vars);
    free(m->rows.rows);
    free(m->probe_row);
}

static exec_op *minus_probe_new(planner *pl, const sparql_pattern *p, const graph_ctx *g,
                                exec_op *left)
{
    minus_probe_op *m =
        exec_op_new(sizeof *m, &pl->exec, minus_probe_next, minus_probe_destroy);
    if (!m) {
        exec_free(left);
        return NULL;
    }
    m->left = left;
    m->pl = pl;
    m->right = p->right;
    m->graph = *g;
    m->right_vars = calloc((size_t)pl->exec.width + 1, sizeof *m->right_vars);
    m->probe_row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    if (!m->right_vars || !m->probe_row) {
        exec_free(&m->base);
        return NULL;
    }
    sparql_pattern_scope(p->right, m->right_vars);
    note(pl, &m->base, -1, "minus (probing the right side per left row when under %d rows)",
         MINUS_PROBE_ROWS);
    return &m->base;
}

static exec_op *plan_graph(planner *pl, const sparql_pattern *p);

/* Spatial index probe (geo_index.h): for each input row, the rows with
 * slot `probe` bound to each index candidate near the geometry in slot
 * `known`. */
typedef struct {
    exec_op base;
    planner *pl;
    exec_op *input;
    int known, probe;
    double metres;
    ck_id *row;            /* the current input row */
    geo_index_seed found;  /* its candidates */
    size_t next;
} spatial_probe_op;

static bool spatial_probe_next(exec_op *op, ck_id *row)
{
    spatial_probe_op *sp = (spatial_probe_op *)op;
    size_t w = (size_t)op->ctx->width;
    while (sp->next >= sp->found.n) {
        if (!exec_next(sp->input, sp->row))
            return false;
        sparql_value v;
        eval_slot_value(&sp->pl->eval, sp->row, sp->known, &v);
        sp->found.n = sp->next = 0;
        geo_index_probe(sp->pl->txn, sp->pl->options.readable, &sp->pl->eval.functions, &v, sp->metres,
                        &sp->found);
        sparql_value_clear(&v);
    }
    memcpy(row, sp->row, w * sizeof *row);
    row[sp->probe] = sp->found.ids[sp->next++];
    return true;
}

static void spatial_probe_destroy(exec_op *op)
{
    spatial_probe_op *sp = (spatial_probe_op *)op;
    exec_free(sp->input);
    free(sp->row);
    geo_index_seed_free(&sp->found);
}

/* Splits a BGP's triples into the part connected (through shared
 * variables) to the triple binding slot a, and the rest. */
static size_t connected_to(const sparql_pattern *bgp, int a, bool *in_a)
{
    size_t n = bgp->n_triples, count = 0;
    for (size_t i = 0; i < n; i++)
        in_a[i] = bgp->triples[i].s.var == a || bgp->triples[i].o.var == a;
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < n; i++) {
            if (in_a[i])
                continue;
            const sparql_node *ni[3] = {&bgp->triples[i].s, &bgp->triples[i].p, &bgp->triples[i].o};
            for (size_t j = 0; j < n && !in_a[i]; j++) {
                if (!in_a[j])
                    continue;
                const sparql_node *nj[3] = {&bgp->triples[j].s, &bgp->triples[j].p, &bgp->triples[j].o};
                for (int x = 0; x < 3 && !in_a[i]; x++)
                    for (int y = 0; y < 3; y++)
                        if (ni[x]->var >= 0 && ni[x]->var == nj[y]->var)
                            in_a[i] = grew = true;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        count += in_a[i];
    return count;
}

/* Estimated rows up to which the probed side of a spatial pair is built
 * into a hash table rather than looked up per candidate. */
#define SPATIAL_TABLE_ROWS 100000

/* A FILTER over a BGP comparing two geometries bound in separate parts of
 * it: the part of one planned alone, the index probed per row for the
 * other, then the other part from those candidates. NULL when that does
 * not apply. */
static exec_op *spatial_pair_bgp(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    geo_index_pair pair;
    const sparql_pattern *bgp = p->left;
    if (!geo_index_pair_for(pl->txn, pl->options.readable, pl->query, bgp, p->exprs, p->n_exprs, &pair))
        return NULL;
    size_t n = bgp->n_triples;
    bool *in_a = calloc(n + 1, sizeof *in_a);
    sparql_triple *sides = calloc(n + 1, sizeof *sides);
    bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
    exec_op *op = NULL;
    size_t na = in_a && sides && bound ? connected_to(bgp, pair.a, in_a) : 0;
    bool b_apart = na > 0 && na < n;
    for (size_t i = 0; b_apart && i < n; i++)
        b_apart = !in_a[i] || (bgp->triples[i].s.var != pair.b && bgp->triples[i].o.var != pair.b);
    if (b_apart) {
        /* the side with the most selective triple goes first */
        double best[2] = {1e300, 1e300};
        for (size_t i = 0; i < n; i++) {
            exec_pattern ep = triple_pattern(pl, &bgp->triples[i], g);
            double e = estimate_triple(pl, &ep);
            best[in_a[i] ? 0 : 1] = e < best[in_a[i] ? 0 : 1] ? e : best[in_a[i] ? 0 : 1];
        }
        bool a_first = best[0] <= best[1];
        size_t k = 0;
        for (int side = 0; side < 2; side++)
            for (size_t i = 0; i < n; i++)
                if (in_a[i] == (a_first ? side == 0 : side == 1))
                    sides[k++] = bgp->triples[i];
        size_t n_first = a_first ? na : n - na;
        sparql_pattern first = *bgp, second = *bgp;
        first.triples = sides, first.n_triples = n_first;
        second.triples = sides + n_first, second.n_triples = n - n_first;
        spatial_probe_op *sp = exec_op_new(sizeof *sp, &pl->exec, spatial_probe_next, spatial_probe_destroy);
        exec_op *left = plan_bgp(pl, &first, g, NULL, NULL, NULL);
        if (sp && left && (sp->row = calloc((size_t)pl->exec.width + 1, sizeof *sp->row))) {
            sp->pl = pl;
            sp->input = left;
            sp->known = a_first ? pair.a : pair.b;
            sp->probe = a_first ? pair.b : pair.a;
            sp->metres = pair.metres;
            note(pl, &sp->base, -1, "spatial index probe: %s: candidates of ?%s near each ?%s", pair.what,
                 pl->query->var_names[sp->probe], pl->query->var_names[sp->known]);
            sparql_pattern_scope(&first, bound);
            bound[sp->probe] = true;
            if (best[a_first ? 1 : 0] <= SPATIAL_TABLE_ROWS) {
                /* a small other side (the car parks): its rows in a table,
                 * the candidates looked up there, instead of following each
                 * candidate (most of them other features' geometries)
                 * through the store */
                op = exec_hash_join_new(&pl->exec, &sp->base, plan_bgp(pl, &second, g, NULL, NULL, NULL));
                note(pl, op, -1, "hash join (candidates with the other side's rows)");
            } else {
                op = plan_bgp(pl, &second, g, &sp->base, bound, NULL);
            }
        } else {
            exec_free(left);
            if (sp)
                exec_free(&sp->base);
        }
    }
    free(in_a);
    free(sides);
    free(bound);
    return op;
}

/* The BGP bgp planned from n candidate values of slot (an index's seeds:
 * a VALUES of one column feeding its joins), the candidates' operator
 * noted with what. */
static exec_op *bgp_from_candidates(planner *pl, const sparql_pattern *bgp, const graph_ctx *g, int slot,
                                    const ck_id *ids, size_t n, const char *what)
{
    int w = pl->exec.width;
    ck_id *rows = calloc(n * (size_t)w + 1, sizeof *rows);
    bool *bound = calloc((size_t)w + 1, sizeof *bound);
    exec_op *op = NULL;
    if (rows && bound) {
        for (size_t i = 0; i < n; i++)
            rows[i * (size_t)w + (size_t)slot] = ids[i];
        bound[slot] = true;
        exec_op *values = exec_values_new(&pl->exec, rows, n);
        note(pl, values, (double)n, "%s", what);
        op = plan_bgp(pl, bgp, g, values, bound, NULL);
    }
    free(rows);
    free(bound);
    return op;
}

/* A FILTER over a BGP with a spatial condition the store's spatial index
 * can answer (geo_index.h): the BGP planned from the index's candidates.
 * NULL when the index does not apply. */
static exec_op *spatial_seeded_bgp(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    geo_index_seed seed;
    if (p->left->op != SPARQL_OP_BGP)
        return NULL;
    if (!geo_index_seed_for(pl->txn, pl->options.readable, &pl->eval.functions, pl->query, p->left, p->exprs,
                            p->n_exprs, &seed))
        return spatial_pair_bgp(pl, p, g);
    /* a restricted caller's candidates come from its graphs' grids */
    char what[256];
    snprintf(what, sizeof what, "spatial index: %s: %zu candidates (%llu entries read)", seed.what, seed.n,
             (unsigned long long)seed.visited);
    exec_op *op = bgp_from_candidates(pl, p->left, g, seed.var, seed.ids, seed.n, what);
    geo_index_seed_free(&seed);
    return op;
}

/* Index rows a range seed may read: beyond an eighth of the predicate's
 * quads the plain plan is as cheap. */
#define RANGE_SEED_SHARE 8

/* The subjects a FILTER over a BGP with a numeric range can start from
 * (range_index.h), in *seed (ids malloc'd, sorted), with the condition in
 * t; false when the value index does not apply or the range is not
 * selective: more index rows than cap, than an eighth of the predicate's
 * quads, or than the cheapest other triple of the BGP matches. The bound
 * is known before the index is read, so a wide range costs a read of
 * that many rows at most. */
typedef struct {
    range_test t;
    ck_id *ids;
    size_t n;
    uint64_t rows_read;
} range_seed;

static bool range_seed_for(planner *pl, const sparql_pattern *p, const graph_ctx *g, uint64_t cap,
                           range_seed *seed)
{
    memset(seed, 0, sizeof *seed);
    if (pl->options.readable || p->op != SPARQL_OP_FILTER || !ck_values_ready(pl->txn) ||
        !range_test_for(pl->query, p->left, p->exprs, p->n_exprs, &seed->t))
        return false;
    ck_id pred = node_id(pl, seed->t.predicate);
    if (!pred || ck_id_tag(pred) == SPARQL_TAG_LOCAL)
        return false; /* no quad has it: the plain plan ends at once */
    uint64_t max = ck_stats_predicate_count(pl->txn, pred) / RANGE_SEED_SHARE;
    if (cap < max)
        max = cap;
    /* another triple that matches fewer rows is the better start */
    const sparql_pattern *bgp = p->left;
    for (size_t i = 0; i < bgp->n_triples; i++) {
        const sparql_triple *tr = &bgp->triples[i];
        if (&tr->p.term == seed->t.predicate)
            continue;
        exec_pattern ep = triple_pattern(pl, tr, g);
        double other = estimate_triple(pl, &ep);
        if (other < (double)max)
            max = (uint64_t)other;
    }
    bool over = false;
    ck_error err = {0};
    if (max < 64 || ck_values_subjects(pl->txn, pred, seed->t.lo, seed->t.hi, (size_t)max, &seed->ids, &seed->n,
                                       &over, &seed->rows_read, &err) != CK_OK || over) {
        free(seed->ids);
        seed->ids = NULL;
        return false;
    }
    return true;
}

/* A FILTER over a BGP with a selective numeric range: the BGP planned
 * from the subjects the value index gives. NULL when it does not apply. */
static exec_op *range_seeded_bgp(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    range_seed seed;
    if (!range_seed_for(pl, p, g, UINT64_MAX, &seed))
        return NULL;
    char what[256];
    snprintf(what, sizeof what, "value index: %s: %zu subjects (%llu index rows read)", seed.t.what, seed.n,
             (unsigned long long)seed.rows_read);
    exec_op *op = bgp_from_candidates(pl, p->left, g, seed.t.subject, seed.ids, seed.n, what);
    free(seed.ids);
    return op;
}

/* Index rows a MINUS's right side may start from, at most, for that side
 * to be computed once (a hash anti-join) rather than probed per left row. */
#define RANGE_SEED_MINUS_MAX 4096

/* Whether MINUS's right side is a FILTER whose numeric range the value
 * index answers from few rows: computing it once is then cheap. */
static bool minus_right_seeded(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    range_seed seed;
    bool small = range_seed_for(pl, p->right, g, RANGE_SEED_MINUS_MAX, &seed);
    free(seed.ids);
    return small;
}

/* Marks variables every solution of p binds: a BGP's (and, inside GRAPH
 * ?g, ?g), a path's ends, VALUES columns without UNDEF, through joins,
 * filters, OPTIONAL's left side and both sides of a UNION; nothing for
 * other patterns (fewer marks only make counting apply less often). */
static void certain_vars(const sparql_pattern *p, const graph_ctx *g, int width, bool *out)
{
    switch (p->op) {
    case SPARQL_OP_TABLE:
        for (size_t v = 0; v < p->n_vars; v++) {
            bool all = true;
            for (size_t r = 0; r < p->n_rows && all; r++)
                all = p->rows[r * p->n_vars + v].term.kind != 0;
            if (all)
                out[p->vars[v]] = true;
        }
        break;
    case SPARQL_OP_FILTER:
    case SPARQL_OP_LEFTJOIN:
        certain_vars(p->left, g, width, out);
        break;
    case SPARQL_OP_UNION: {
        bool *a = calloc((size_t)width + 1, sizeof *a), *b = calloc((size_t)width + 1, sizeof *b);
        if (a && b) {
            certain_vars(p->left, g, width, a);
            certain_vars(p->right, g, width, b);
            for (int v = 0; v < width; v++)
                out[v] = out[v] || (a[v] && b[v]);
        }
        free(a);
        free(b);
        break;
    }
    case SPARQL_OP_BGP:
        for (size_t i = 0; i < p->n_triples; i++) {
            const sparql_node *n[3] = {&p->triples[i].s, &p->triples[i].p, &p->triples[i].o};
            for (int k = 0; k < 3; k++)
                if (n[k]->var >= 0)
                    out[n[k]->var] = true;
        }
        if (p->n_triples && g->mode == EXEC_GRAPH_NAMED && g->g.is_var)
            out[g->g.slot] = true;
        break;
    case SPARQL_OP_PATH:
        if (p->path_s.var >= 0)
            out[p->path_s.var] = true;
        if (p->path_o.var >= 0)
            out[p->path_o.var] = true;
        break;
    case SPARQL_OP_JOIN:
        certain_vars(p->left, g, width, out);
        certain_vars(p->right, g, width, out);
        break;
    default:
        break;
    }
}

/* GROUP BY over a join with one triple whose aggregates only count rows
 * (instances per class, the geometries under a class): the triple's
 * matches per left row are counted in the index instead of being made
 * (exec_count_group_new). The join is the one plan_pattern would make an
 * index join of: Join(P, one triple), Join(one triple, path from or to a
 * constant), or the triple alone. NULL (nothing planned) when that does
 * not apply: a readable restriction or a merge of FROM graphs (counting
 * cannot skip graphs), GRAPH ?g around it, an aggregate other than a
 * plain COUNT, or a key or repeated variable the triple could bind. */
static exec_op *plan_count_group(planner *pl, const sparql_pattern *p, const graph_ctx *g)
{
    if (pl->options.readable || p->n_keys > EXEC_COUNT_MAX_KEYS ||
        (g->mode != EXEC_GRAPH_UNION && g->mode != EXEC_GRAPH_DEFAULT &&
         !(g->mode == EXEC_GRAPH_NAMED && !g->g.is_var)))
        return NULL;
    const sparql_pattern *in = p->left, *left = NULL;
    const sparql_triple *t = NULL;
    if (in->op == SPARQL_OP_BGP && in->n_triples == 1) {
        t = &in->triples[0];
    } else if (in->op == SPARQL_OP_JOIN && in->right->op == SPARQL_OP_BGP &&
               in->right->n_triples == 1) {
        left = in->left;
        t = &in->right->triples[0];
    } else if (in->op == SPARQL_OP_JOIN && in->left->op == SPARQL_OP_BGP &&
               in->left->n_triples == 1 && in->right->op == SPARQL_OP_PATH &&
               (in->right->path_s.var < 0 || in->right->path_o.var < 0)) {
        left = in->right;
        t = &in->left->triples[0];
    } else {
        return NULL;
    }
    int w = pl->exec.width;
    bool *certain = calloc((size_t)w + 1, sizeof *certain);
    bool *in_t = calloc((size_t)w + 1, sizeof *in_t);
    int *slots = calloc(2 * p->n_keys + p->n_aggregates + 1, sizeof *slots);
    bool ok = certain && in_t && slots;
    if (ok && left)
        certain_vars(left, g, w, certain);
    exec_pattern ep = triple_pattern(pl, t, g);
    const exec_slot *pos[4] = {&ep.s, &ep.p, &ep.o, ep.graph_mode == EXEC_GRAPH_NAMED ? &ep.g : NULL};
    for (int k = 0; k < 4 && ok; k++) {
        if (!pos[k] || !pos[k]->is_var)
            continue;
        int v = pos[k]->slot;
        ok = !in_t[v] || certain[v]; /* ?x ?p ?x matches only equal terms: not a range */
        in_t[v] = true;
    }
    exec_count_group spec = {(int)p->n_keys, slots, slots + p->n_keys, (int)p->n_aggregates,
                             slots + 2 * p->n_keys};
    for (size_t k = 0; k < p->n_keys && ok; k++) {
        const sparql_expr *e = p->keys[k].expr;
        /* a key the triple could bind differs between its matches */
        ok = e->kind == SPARQL_EXPR_VAR && (!in_t[e->var] || certain[e->var]);
        slots[k] = ok ? e->var : 0;
        slots[p->n_keys + k] = p->keys[k].var;
    }
    for (size_t a = 0; a < p->n_aggregates && ok; a++) {
        const sparql_aggregate *ag = &p->aggregates[a];
        /* COUNT(*), or COUNT(?v) of a variable bound in every joined row */
        ok = ag->kind == SPARQL_AGG_COUNT && !ag->distinct &&
             (!ag->expr || (ag->expr->kind == SPARQL_EXPR_VAR &&
                            (in_t[ag->expr->var] || certain[ag->expr->var])));
        slots[2 * p->n_keys + a] = ag->var;
    }
    exec_op *op = NULL;
    if (ok) {
        bool all = pl->consumes_all;
        pl->consumes_all = true;
        exec_op *in_op = left ? plan_pattern(pl, left, g, NULL) : unit_row(pl);
        /* as plan_bgp does before lookups: each then starts where the last ended */
        if (left && ep.s.is_var && certain[ep.s.slot] && !ep.p.is_var &&
            sort_before_lookups(pl, NULL, -1, ep.s.slot)) {
            in_op = exec_sort_by_slot_new(&pl->exec, in_op, ep.s.slot);
            note(pl, in_op, -1, "sort by ?%s (for the lookups)", pl->query->var_names[ep.s.slot]);
        }
        pl->consumes_all = all;
        op = exec_count_group_new(&pl->exec, in_op, &ep, &spec);
        char *text = NULL;
        size_t len = 0;
        FILE *mem = pl->options.explain ? open_memstream(&text, &len) : NULL;
        if (mem) {
            sparql_pattern one = {.op = SPARQL_OP_BGP, .triples = (sparql_triple *)t, .n_triples = 1};
            sparql_pattern_print(mem, pl->query, &one);
            fclose(mem);
        }
        note(pl, op, -1, "count join %s per left row, grouped (%zu keys, %zu counts)",
             text ? text : "", p->n_keys, p->n_aggregates);
        free(text);
    }
    free(certain);
    free(in_t);
    free(slots);
    return op;
}

static exec_op *plan_pattern(planner *pl, const sparql_pattern *p, const graph_ctx *g,
                             exec_op *input)
{
    if (pl->exec.error.code) {
        exec_free(input);
        return NULL;
    }
    pl->depth++;
    exec_op *op = NULL;
    /* only for a BGP planned right here (plan_bgp) */
    int subject_order = pl->subject_order;
    pl->subject_order = -1;
    /* rows a SLICE right above (through a PROJECT) needs from an ORDER */
    uint64_t order_limit = pl->order_limit;
    pl->order_limit = 0;
    switch (p->op) {
    case SPARQL_OP_BGP:
        pl->subject_order = subject_order;
        op = plan_bgp(pl, p, g, input, NULL, NULL);
        input = NULL;
        break;
    case SPARQL_OP_JOIN:
        if (p->left->op == SPARQL_OP_BGP && p->right->op == SPARQL_OP_PATH &&
            (p->right->path_s.var < 0 || p->right->path_o.var < 0)) {
            /* a path from or to a constant has few solutions (the nodes
             * reachable from it): computed first, they seed the BGP's
             * scans instead of joining with all of its matches */
            bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
            sparql_pattern_scope(p->right, bound);
            exec_op *nodes = plan_pattern(pl, p->right, g, input);
            pl->subject_order = subject_order;
            op = plan_bgp(pl, p->left, g, nodes, bound, NULL);
            free(bound);
            input = NULL;
        } else if (p->right->op == SPARQL_OP_SERVICE && p->right->name.var >= 0) {
            /* SERVICE ?v takes its endpoints from the left rows */
            op = plan_pattern(pl, p->right, g, plan_pattern(pl, p->left, g, input));
            input = NULL;
        } else if (p->right->op == SPARQL_OP_BGP) {
            /* the right BGP's scans take the left rows as bindings */
            bool *bound = calloc((size_t)pl->exec.width + 1, sizeof *bound);
            bool *certain = calloc((size_t)pl->exec.width + 1, sizeof *certain);
            if (bound && certain) {
                sparql_pattern_scope(p->left, bound);
                certain_vars(p->left, g, pl->exec.width, certain);
                pl->subject_order = star_subject_of(p->right, certain);
                exec_op *left = plan_pattern(pl, p->left, g, input);
                pl->subject_order = subject_order; /* its rows are this join's */
                op = plan_bgp(pl, p->right, g, left, bound, certain);
                input = NULL;
            } else {
                ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory planning a join");
                exec_free(input);
                input = NULL;
            }
            free(bound);
            free(certain);
        } else {
            op = exec_hash_join_new(&pl->exec, plan_pattern(pl, p->left, g, input),
                                    plan_pattern(pl, p->right, g, NULL));
            input = NULL;
            note(pl, op, -1, "hash join");
        }
        break;
    case SPARQL_OP_LEFTJOIN: {
        filter_args *fa = p->n_exprs ? new_filter_args(pl, g, p->exprs, p->n_exprs) : NULL;
        if (p->right->op == SPARQL_OP_BGP && p->right->n_triples == 1) {
            /* OPTIONAL { one triple }: looked up per left row */
            exec_pattern ep = triple_pattern(pl, &p->right->triples[0], g);
            op = exec_index_left_join_new(&pl->exec, plan_pattern(pl, p->left, g, input), &ep,
                                          fa ? filter_test : NULL, fa);
            input = NULL;
            note(pl, op, -1, "index left join%s", fa ? " with filter" : "");
            break;
        }
        op = exec_left_join_new(&pl->exec, plan_pattern(pl, p->left, g, input),
                                plan_pattern(pl, p->right, g, NULL), fa ? filter_test : NULL, fa);
        input = NULL;
        note(pl, op, -1, "left join%s", fa ? " with filter" : "");
        break;
    }
    case SPARQL_OP_FILTER: {
        if (filter_skips_extend(pl, p)) {
            /* Filter(e, Extend(P, ?v, x)) as Extend(Filter(e, P), ?v, x) */
            sparql_pattern filtered = *p;
            filtered.left = p->left->left;
            sparql_pattern extended = *p->left;
            extended.left = &filtered;
            op = plan_pattern(pl, &extended, g, input);
            input = NULL;
            break;
        }
        filter_args *fa = new_filter_args(pl, g, p->exprs, p->n_exprs);
        exec_op *in = NULL;
        /* inside EXISTS the row's values stand for its variables
         * everywhere (§18.6 substitute), also in filters */
        if (input && (pl->in_exists || filter_takes_input(pl, p))) {
            in = input;
            input = NULL;
        }
        exec_op *seeded = in || pl->in_exists ? NULL : spatial_seeded_bgp(pl, p, g);
        if (!seeded && !in && !pl->in_exists)
            seeded = range_seeded_bgp(pl, p, g);
        if (!seeded) {
            const sparql_pattern *outer = pl->reducing;
            pl->reducing = p;
            seeded = plan_pattern(pl, p->left, g, in);
            pl->reducing = outer;
        }
        op = exec_filter_new(&pl->exec, seeded, filter_test, fa);
        note(pl, op, -1, "filter");
        break;
    }
    case SPARQL_OP_UNION:
        op = exec_union_new(&pl->exec, plan_pattern(pl, p->left, g, NULL),
                            plan_pattern(pl, p->right, g, NULL));
        note(pl, op, -1, "union");
        break;
    case SPARQL_OP_MINUS:
        if (minus_can_probe(pl, p) && !minus_right_seeded(pl, p, g)) {
            op = minus_probe_new(pl, p, g, plan_pattern(pl, p->left, g, input));
        } else {
            op = exec_minus_new(&pl->exec, plan_pattern(pl, p->left, g, input),
                                plan_pattern(pl, p->right, g, NULL));
            note(pl, op, -1, "minus");
        }
        input = NULL;
        break;
    case SPARQL_OP_GRAPH:
        op = plan_graph(pl, p);
        note(pl, op, -1, "graph");
        break;
    case SPARQL_OP_EXTEND:
        op = extend_new(pl, g, plan_pattern(pl, p->left, g, input), p->var, p->exprs[0]);
        input = NULL;
        note(pl, op, -1, "extend ?%s", pl->query->var_names[p->var]);
        break;
    case SPARQL_OP_TABLE:
        op = plan_table(pl, p);
        break;
    case SPARQL_OP_PATH:
        op = plan_path(pl, p, g);
        break;
    case SPARQL_OP_GROUP: {
        op = plan_count_group(pl, p, g);
        if (op || pl->exec.error.code)
            break;
        group_op *gop = exec_op_new(sizeof *gop, &pl->exec, group_next, group_destroy);
        if (gop) {
            bool all = pl->consumes_all;
            pl->consumes_all = true;
            gop->input = plan_pattern(pl, p->left, g, NULL);
            pl->consumes_all = all;
            gop->pl = pl;
            gop->p = p;
            gop->graph = *g;
            gop->scoped = group_has_expressions(p);
            gop->streaming = group_streams(p);
        }
        op = gop ? &gop->base : NULL;
        note(pl, op, -1, "group (%zu keys, %zu aggregates%s)", p->n_keys, p->n_aggregates,
             gop && gop->streaming ? ", as the rows come" : "");
        break;
    }
    case SPARQL_OP_ORDER: {
        order_op *o = exec_op_new(sizeof *o, &pl->exec, order_next, order_destroy);
        if (o) {
            bool all = pl->consumes_all;
            pl->consumes_all = true;
            /* the lazy ORDER ranks the first key's terms: a variable */
            pl->ordered_bgp = order_limit && p->order[0].expr->kind == SPARQL_EXPR_VAR
                                  ? order_pushdown(p->left) : NULL;
            pl->order_by = p;
            pl->order_graph = *g;
            pl->order_sorted_keys = 0;
            o->input = plan_pattern(pl, p->left, g, NULL);
            o->sorted_keys = pl->order_sorted_keys;
            pl->ordered_bgp = NULL;
            pl->order_sorted_keys = 0;
            pl->consumes_all = all;
            o->pl = pl;
            o->graph = *g;
            o->keys = p->order;
            o->nkeys = p->n_order;
            o->limit = order_limit;
        }
        op = o ? &o->base : NULL;
        if (o && o->sorted_keys)
            note(pl, op, -1, "order by (%zu keys), top %llu of rows sorted by %zu", p->n_order,
                 (unsigned long long)order_limit, o->sorted_keys);
        else if (order_limit)
            note(pl, op, -1, "order by (%zu keys), top %llu", p->n_order,
                 (unsigned long long)order_limit);
        else
            note(pl, op, -1, "order by (%zu keys)", p->n_order);
        break;
    }
    case SPARQL_OP_PROJECT:
        pl->order_limit = order_limit;
        op = exec_project_new(&pl->exec, plan_pattern(pl, p->left, g, NULL), p->vars,
                              (int)p->n_vars);
        note(pl, op, -1, "project");
        break;
    case SPARQL_OP_DISTINCT:
    case SPARQL_OP_REDUCED:
        op = exec_distinct_new(&pl->exec, plan_pattern(pl, p->left, g, NULL));
        note(pl, op, -1, p->op == SPARQL_OP_DISTINCT ? "distinct" : "reduced");
        break;
    case SPARQL_OP_SLICE: {
        if (p->limit >= 0) /* ORDER BY ... LIMIT: top-k */
            pl->order_limit = (uint64_t)p->limit + (uint64_t)(p->offset > 0 ? p->offset : 0);
        bool all = pl->consumes_all;
        pl->consumes_all = false; /* a LIMIT may stop reading early */
        exec_op *in = plan_pattern(pl, p->left, g, NULL);
        pl->consumes_all = all;
        op = exec_slice_new(&pl->exec, in,
                            p->offset > 0 ? (uint64_t)p->offset : 0,
                            p->limit >= 0 ? (uint64_t)p->limit : UINT64_MAX);
        note(pl, op, -1, "slice offset %lld limit %lld", (long long)p->offset,
             (long long)p->limit);
        break;
    }
    case SPARQL_OP_SERVICE:
        if (p->name.var >= 0) {
            /* the endpoints come from the rows joined in */
            op = service_join_new(pl, p, input ? input : unit_row(pl));
            input = NULL;
        } else {
            op = plan_service(pl, p);
        }
        break;
    }
    pl->depth--;
    if (!op && !pl->exec.error.code)
        ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory while planning");
    return join_input(pl, input, op);
}

static void collect_named(void *ctx, ck_id g, uint64_t n)
{
    planner *pl = ctx;
    if (g == CK_DEFAULT_GRAPH || !n)
        return;
    ck_id *nn = realloc(pl->named, (pl->n_named + 1) * sizeof *nn);
    if (!nn)
        return;
    pl->named = nn;
    pl->named[pl->n_named++] = g;
}

/* The store's graphs for GRAPH ?g: only those the caller may read. (The
 * graphs FROM NAMED lists stay listed, readable or not, as a graph that
 * does not exist stays listed: both are empty.) */
static void collect_readable_named(void *ctx, ck_id g, uint64_t n)
{
    planner *pl = ctx;
    if (ck_graph_set_has(pl->options.readable, g))
        collect_named(ctx, g, n);
}

static bool is_named_graph(planner *pl, ck_id g)
{
    for (size_t i = 0; i < pl->n_named; i++)
        if (pl->named[i] == g)
            return true;
    return false;
}

/* GRAPH name { P }. A constant name evaluates P in that graph. A variable
 * name over a plain basic graph pattern scans with the graph as a variable;
 * anything else is the union over the named graphs of P evaluated in each
 * with the variable bound (§18.5 Graph), which also keeps GRAPH ?g {} and
 * paths, MINUS, EXISTS and subqueries inside GRAPH ?g right. */
static exec_op *plan_graph(planner *pl, const sparql_pattern *p)
{
    exec_slot name = node_slot(pl, &p->name);
    bool empty = p->left->op == SPARQL_OP_BGP && p->left->n_triples == 0;
    if (!name.is_var) {
        graph_ctx inner = {EXEC_GRAPH_NAMED, name, NULL, 0};
        if (pl->has_dataset && !is_named_graph(pl, name.id))
            return exec_values_new(&pl->exec, NULL, 0);
        if (empty)
            return ck_graph_set_has(pl->options.readable, name.id) &&
                           ck_stats_graph_count(pl->txn, name.id)
                       ? unit_row(pl)
                       : exec_values_new(&pl->exec, NULL, 0);
        return plan_pattern(pl, p->left, &inner, NULL);
    }
    if (p->left->op == SPARQL_OP_BGP && !empty && !pl->has_dataset) {
        graph_ctx inner = {EXEC_GRAPH_NAMED, name, NULL, 0};
        return plan_pattern(pl, p->left, &inner, NULL);
    }
    exec_op *op = NULL;
    ck_id *row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    for (size_t i = 0; i < pl->n_named && row; i++) {
        graph_ctx inner = {EXEC_GRAPH_NAMED, {false, 0, pl->named[i]}, NULL, 0};
        row[name.slot] = pl->named[i];
        /* P is evaluated on its own, then joined with ?g = g: a ?g inside P
         * is an ordinary variable there (graph-optional in the W3C suite) */
        exec_op *sub = exec_hash_join_new(&pl->exec, exec_values_new(&pl->exec, row, 1),
                                          plan_pattern(pl, p->left, &inner, NULL));
        op = op ? exec_union_new(&pl->exec, op, sub) : sub;
    }
    free(row);
    return op ? op : exec_values_new(&pl->exec, NULL, 0);
}

/* EXISTS for one row: the pattern joined with the row. */
static int exists_for_row(void *arg, const sparql_pattern *p, const ck_id *row)
{
    planner *pl = arg;
    bool explain = pl->options.explain;
    pl->options.explain = false; /* not one plan line per row */
    exec_op *seed = exec_values_new(&pl->exec, row, 1);
    graph_ctx g = pl->active_graph;
    const ck_id *outer_seed = pl->seed_row;
    pl->in_exists++;
    pl->seed_row = row;
    exec_op *op = plan_pattern(pl, p, &g, seed);
    pl->seed_row = outer_seed;
    pl->in_exists--;
    pl->options.explain = explain;
    ck_id *out = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    int found = out && exec_next(op, out) ? 1 : 0;
    free(out);
    exec_free(op);
    return pl->exec.error.code ? -1 : found;
}

/* ---- running a query ---------------------------------------------------------------- */

static void print_plan(planner *pl)
{
    FILE *out = pl->options.explain_out ? pl->options.explain_out : stderr;
    fputs("algebra:\n  ", out);
    sparql_algebra_print(out, pl->query);
    fputs("plan (operator: estimated rows -> actual rows):\n", out);
    /* operators are noted after their inputs: print in reverse, parents first */
    for (size_t i = pl->nlines; i-- > 0;) {
        const plan_line *l = &pl->lines[i];
        fprintf(out, "%*s%s: ", 2 * (l->depth > 0 ? l->depth - 1 : 0), "", l->label);
        if (l->estimate >= 0)
            fprintf(out, "est %.0f -> ", l->estimate);
        else
            fputs("est - -> ", out);
        fprintf(out, "%llu\n", (unsigned long long)exec_rows_out(l->op));
    }
}

static bool visible(const sparql_query *q, size_t slot) { return !q->var_hidden[slot]; }

static ck_status write_select(planner *pl, exec_op *root, results_format format, FILE *out)
{
    const sparql_query *q = pl->query;
    /* the projected variables: the top Project's, in order */
    const sparql_pattern *p = q->pattern;
    while (p && p->op != SPARQL_OP_PROJECT && p->left)
        p = p->left;
    int *slots = NULL;
    size_t n = 0;
    if (p && p->op == SPARQL_OP_PROJECT) {
        slots = malloc((p->n_vars + 1) * sizeof *slots);
        for (size_t i = 0; i < p->n_vars; i++)
            slots[n++] = p->vars[i];
    } else {
        slots = malloc((q->n_vars + 1) * sizeof *slots);
        for (size_t i = 0; i < q->n_vars; i++)
            if (visible(q, i))
                slots[n++] = (int)i;
    }
    const char **names = malloc((n + 1) * sizeof *names);
    const ck_term **terms = calloc(n + 1, sizeof *terms);
    ck_term *cells = calloc(n + 1, sizeof *cells);
    ck_term_buf *bufs = calloc(n + 1, sizeof *bufs);
    for (size_t i = 0; i < n; i++)
        names[i] = q->var_names[slots[i]];
    results_writer *w = results_begin(out, format, names, (int)n);
    ck_id *row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    while (w && row && exec_next(root, row)) {
        for (size_t i = 0; i < n; i++) {
            terms[i] = NULL;
            if (!row[slots[i]])
                continue;
            ck_error err;
            if (termspace_resolve(pl->terms, row[slots[i]], &cells[i], &bufs[i], &err) == CK_OK)
                terms[i] = &cells[i];
        }
        if (!results_row(w, terms)) {
            ck_error_set(&pl->exec.error, CK_ERR_IO, "writing results failed");
            break;
        }
    }
    if (w && !results_end(w) && !pl->exec.error.code)
        ck_error_set(&pl->exec.error, CK_ERR_IO, "writing results failed");
    free(row);
    free(slots);
    free(names);
    free(terms);
    free(cells);
    free(bufs);
    return pl->exec.error.code;
}

/* Writes one result triple; a triple the format cannot hold (RDF/XML) or a
 * failed write stops the query with the writer's message. */
static void write_triple(planner *pl, graph_writer *gw, const ck_term *s, const ck_term *p,
                         const ck_term *o)
{
    if (!pl->exec.error.code && !graph_triple(gw, s, p, o))
        ck_error_set(&pl->exec.error, CK_ERR_IO, "%s", graph_error(gw));
}

/* The writer for CONSTRUCT and DESCRIBE: the run's graph format with the
 * query's base and prefixes. */
static graph_writer *begin_graph(planner *pl, FILE *out)
{
    const sparql_query *q = pl->query;
    graph_prefix *prefixes = calloc(q->n_prefixes + 1, sizeof *prefixes);
    if (!prefixes)
        return NULL;
    for (size_t i = 0; i < q->n_prefixes; i++)
        prefixes[i] = (graph_prefix){q->prefixes[i].name, q->prefixes[i].iri};
    graph_writer *gw = graph_begin(out, pl->options.graph_format, q->base, prefixes, q->n_prefixes);
    free(prefixes);
    return gw;
}

/* A template node for one solution: variables from the row, blank nodes
 * fresh per solution. False when a variable is unbound (triple skipped). */
static bool template_term(planner *pl, const sparql_node *n, const ck_id *row, uint64_t solution,
                          ck_term *t, ck_term_buf *buf, char *label)
{
    if (n->var >= 0) {
        ck_error err;
        return row[n->var] && termspace_resolve(pl->terms, row[n->var], t, buf, &err) == CK_OK;
    }
    *t = n->term;
    if (t->kind == CK_TERM_BLANK) {
        /* a valid label whatever the template's label looks like ("?b0") */
        snprintf(label, 64, "c%llux%016llx", (unsigned long long)solution,
                 (unsigned long long)ck_hash_bytes(n->term.value, n->term.value_len, 0));
        t->value = label;
        t->value_len = strlen(label);
    }
    return true;
}

static ck_status write_construct(planner *pl, exec_op *root, graph_writer *gw)
{
    const sparql_query *q = pl->query;
    ck_id *row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    uint64_t solution = 0;
    while (row && !pl->exec.error.code && exec_next(root, row)) {
        solution++;
        for (size_t i = 0; i < q->n_construct; i++) {
            const sparql_triple *tr = &q->construct_template[i];
            ck_term s, p, o;
            ck_term_buf bs, bp, bo;
            char ls[64], lp[64], lo[64];
            if (!template_term(pl, &tr->s, row, solution, &s, &bs, ls) ||
                !template_term(pl, &tr->p, row, solution, &p, &bp, lp) ||
                !template_term(pl, &tr->o, row, solution, &o, &bo, lo))
                continue;
            /* only valid RDF: IRI or blank subject, IRI predicate */
            if (s.kind == CK_TERM_LITERAL || p.kind != CK_TERM_IRI)
                continue;
            write_triple(pl, gw, &s, &p, &o);
        }
    }
    free(row);
    return pl->exec.error.code;
}

/* Concise bounded description: the triples of a resource, and recursively
 * those of blank nodes they lead to. */
static void describe_node(planner *pl, ck_id id, id_set *done, graph_writer *gw)
{
    if (pl->exec.error.code || !id_set_add(done, id))
        return;
    ck_pattern q = {.s = id};
    ck_scan *sc;
    if (!constant_sought(pl, id) || !graph_pattern(pl, &pl->default_graph, &q) ||
        ck_scan_open(pl->txn, &q, &sc, &pl->exec.error) != CK_OK)
        return;
    ck_quad quad, last = {0};
    id_set blanks = {0};
    while (ck_scan_next(sc, &quad)) {
        if (!quad_visible(pl, &pl->default_graph, quad.g))
            continue;
        if (quad.s == last.s && quad.p == last.p && quad.o == last.o)
            continue; /* the same triple in another graph */
        last = quad;
        ck_term s, p, o;
        ck_term_buf bs, bp, bo;
        ck_error err;
        if (termspace_resolve(pl->terms, quad.s, &s, &bs, &err) ||
            termspace_resolve(pl->terms, quad.p, &p, &bp, &err) ||
            termspace_resolve(pl->terms, quad.o, &o, &bo, &err))
            continue;
        write_triple(pl, gw, &s, &p, &o);
        if (ck_id_tag(quad.o) == CK_TAG_BLANK)
            id_set_add(&blanks, quad.o);
    }
    ck_scan_close(sc);
    for (size_t i = 0; i < blanks.n; i++)
        describe_node(pl, blanks.ids[i], done, gw);
    id_set_free(&blanks);
}

static ck_status write_describe(planner *pl, exec_op *root, graph_writer *gw)
{
    const sparql_query *q = pl->query;
    id_set done = {0};
    for (size_t i = 0; i < q->n_describe; i++)
        if (q->describe[i].var < 0)
            describe_node(pl, node_id(pl, &q->describe[i].term), &done, gw);
    ck_id *row = calloc((size_t)pl->exec.width + 1, sizeof(ck_id));
    while (root && row && !pl->exec.error.code && exec_next(root, row))
        for (size_t v = 0; v < q->n_vars; v++) {
            bool wanted = q->describe_all && !q->var_hidden[v];
            for (size_t i = 0; i < q->n_describe && !wanted; i++)
                wanted = q->describe[i].var == (int)v;
            if (wanted && row[v])
                describe_node(pl, row[v], &done, gw);
        }
    free(row);
    id_set_free(&done);
    return pl->exec.error.code;
}

/* Hands every solution of root to fn, with the terms of its bound slots. */
static void emit_solutions(planner *pl, exec_op *root, sparql_solution_fn fn, void *fn_ctx)
{
    size_t width = (size_t)pl->exec.width;
    ck_id *row = calloc(width + 1, sizeof(ck_id));
    ck_term *terms = calloc(width + 1, sizeof(ck_term));
    ck_term_buf *bufs = calloc(width + 1, sizeof(ck_term_buf));
    if (!row || !terms || !bufs)
        ck_error_set(&pl->exec.error, CK_ERR_NOMEM, "out of memory");
    while (!pl->exec.error.code && exec_next(root, row)) {
        for (size_t v = 0; v < width && !pl->exec.error.code; v++) {
            memset(&terms[v], 0, sizeof terms[v]);
            if (row[v])
                termspace_resolve(pl->terms, row[v], &terms[v], &bufs[v], &pl->exec.error);
        }
        if (!pl->exec.error.code && !fn(fn_ctx, row, terms, width))
            break;
    }
    free(row);
    free(terms);
    free(bufs);
}

/* A parsed query's pattern on txn: results written to out in format, or,
 * with solution_fn, every solution handed to it. */
static ck_status run_parsed(ck_txn *txn, const sparql_query *q, const sparql_pattern *pattern,
                            results_format format, const sparql_run_options *options, FILE *out,
                            sparql_solution_fn solution_fn, void *fn_ctx, ck_error *err)
{
    ck_status st;
    planner pl = {.query = q, .txn = txn, .probe_repeats = 1, .subject_order = -1};
    if (options)
        pl.options = *options;
    pl.exec.txn = txn;
    pl.exec.width = (int)q->n_vars;
    exec_set_timeout(&pl.exec, pl.options.timeout_ms);
    pl.exec.memory_limit = pl.options.memory_limit;
    pl.exec.cancelled = pl.options.cancelled;
    pl.exec.readable = pl.options.readable;
    const char *psog = getenv("CITYKG_PSOG_MERGE");
    pl.psog_merge = !pl.options.readable && ck_by_subject_ready(txn) &&
                    !(psog && strcmp(psog, "off") == 0);
    if (pl.options.readable)
        pl.readable_named = (ck_graph_set){pl.options.readable->ids, pl.options.readable->n, false};
    pl.terms = termspace_new(txn);
    if (pl.terms)
        termspace_charge_to(pl.terms, &pl.exec.memory_used);
    if (pl.terms && pl.options.readable)
        termspace_label_blanks_per_query(pl.terms);
    if (!pl.terms || !eval_ctx_init(&pl.eval, q, pl.terms)) {
        termspace_free(pl.terms);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    pl.eval.exists = exists_for_row;
    pl.eval.limits = &pl.exec;
    pl.eval.exists_arg = &pl;
    pl.default_graph.mode = pl.options.strict_default_graph ? EXEC_GRAPH_DEFAULT : EXEC_GRAPH_UNION;
    /* the protocol's dataset (default-graph-uri, named-graph-uri) replaces
     * the query's FROM and FROM NAMED when the request gives either */
    const char *const *from = (const char *const *)q->from, *const *from_named =
        (const char *const *)q->from_named;
    size_t n_from = q->n_from, n_from_named = q->n_from_named;
    if (pl.options.n_default_graphs || pl.options.n_named_graphs) {
        from = pl.options.default_graphs;
        n_from = pl.options.n_default_graphs;
        from_named = pl.options.named_graphs;
        n_from_named = pl.options.n_named_graphs;
    }
    pl.has_dataset = n_from || n_from_named;
    ck_id *from_ids = NULL;
    for (size_t i = 0; i < n_from_named; i++) {
        ck_term g = {CK_TERM_IRI, from_named[i], strlen(from_named[i]), NULL, 0, NULL, 0};
        ck_id id = node_id(&pl, &g);
        if (!is_named_graph(&pl, id))
            collect_named(&pl, id, 1);
    }
    if (!pl.has_dataset)
        ck_graphs_each(txn, collect_readable_named, &pl, &pl.exec.error);
    if (n_from == 1) {
        ck_term g = {CK_TERM_IRI, from[0], strlen(from[0]), NULL, 0, NULL, 0};
        pl.default_graph = (graph_ctx){EXEC_GRAPH_NAMED, {false, 0, node_id(&pl, &g)}, NULL, 0};
    } else if (n_from > 1) {
        /* the default graph is the merge of the FROM graphs */
        from_ids = calloc(n_from, sizeof *from_ids);
        for (size_t i = 0; i < n_from && from_ids; i++) {
            ck_term g = {CK_TERM_IRI, from[i], strlen(from[i]), NULL, 0, NULL, 0};
            from_ids[i] = node_id(&pl, &g);
        }
        pl.default_graph = (graph_ctx){EXEC_GRAPH_SET, {0}, from_ids, from_ids ? n_from : 0};
        if (pl.options.readable && from_ids) {
            ck_id *ids = calloc(n_from, sizeof *ids);
            size_t n = ids ? ck_graph_set_filter(pl.options.readable, from_ids, n_from, ids) : 0;
            pl.readable_from = (ck_graph_set){ids, n, false};
        }
    } else if (n_from_named) {
        /* FROM NAMED alone: the default graph is empty */
        ck_term none = {CK_TERM_IRI, "urn:citykg:empty-default-graph", 30, NULL, 0, NULL, 0};
        pl.default_graph = (graph_ctx){EXEC_GRAPH_NAMED, {false, 0, node_id(&pl, &none)}, NULL, 0};
    }
    pl.active_graph = pl.default_graph;
    exec_op *root = pl.exec.error.code ? NULL : plan_pattern(&pl, pattern, &pl.default_graph, NULL);
    if (!pl.exec.error.code && pl.options.graph_format_only &&
        (q->form == SPARQL_FORM_SELECT || q->form == SPARQL_FORM_ASK))
        ck_error_set(&pl.exec.error, CK_ERR_INVALID,
                     "%s results are not a graph: choose json, xml, csv, tsv or table",
                     q->form == SPARQL_FORM_SELECT ? "SELECT" : "ASK");
    if (!pl.exec.error.code && solution_fn) {
        emit_solutions(&pl, root, solution_fn, fn_ctx);
    } else if (!pl.exec.error.code) {
        switch (q->form) {
        case SPARQL_FORM_SELECT:
            write_select(&pl, root, format, out);
            break;
        case SPARQL_FORM_ASK: {
            ck_id *row = calloc((size_t)pl.exec.width + 1, sizeof(ck_id));
            bool any = row && exec_next(root, row);
            free(row);
            if (!pl.exec.error.code && !results_write_boolean(out, format, any))
                ck_error_set(&pl.exec.error, CK_ERR_IO, "writing results failed");
            break;
        }
        case SPARQL_FORM_CONSTRUCT:
        case SPARQL_FORM_DESCRIBE: {
            graph_writer *gw = begin_graph(&pl, out);
            if (!gw) {
                ck_error_set(&pl.exec.error, CK_ERR_NOMEM, "out of memory");
                break;
            }
            if (q->form == SPARQL_FORM_CONSTRUCT)
                write_construct(&pl, root, gw);
            else
                write_describe(&pl, root, gw);
            if (!graph_end(gw) && !pl.exec.error.code)
                ck_error_set(&pl.exec.error, CK_ERR_IO, "writing results failed");
            break;
        }
        }
    }
    if (pl.options.explain) /* also after an error: the rows so far tell where */
        print_plan(&pl);
    if (!pl.exec.error.code && pl.eval.error.code)
        pl.exec.error = pl.eval.error;
    st = pl.exec.error.code;
    if (st && err)
        *err = pl.exec.error;
    exec_free(root);
    reducers_free(&pl);
    while (pl.filters) {
        struct filter_args *next = pl.filters->next;
        free(pl.filters);
        pl.filters = next;
    }
    free(pl.lines);
    free(pl.named);
    free(from_ids);
    free((ck_id *)pl.readable_from.ids);
    eval_ctx_free(&pl.eval);
    termspace_free(pl.terms);
    return st;
}

ck_status sparql_run(ck_txn *txn, const char *text, const char *base_iri, results_format format,
                     const sparql_run_options *options, FILE *out, ck_error *err)
{
    sparql_query *q;
    ck_status st = sparql_query_parse(text, base_iri, &q, err);
    if (st)
        return st;
    if (!geo_rewrite_query(q)) {
        sparql_query_free(q);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    st = run_parsed(txn, q, q->pattern, format, options, out, NULL, NULL, err);
    sparql_query_free(q);
    return st;
}

ck_status sparql_solutions(ck_txn *txn, const sparql_query *query, const sparql_pattern *pattern,
                           const sparql_run_options *options, sparql_solution_fn fn, void *ctx,
                           ck_error *err)
{
    return run_parsed(txn, query, pattern, RESULTS_TABLE, options, NULL, fn, ctx, err);
}
