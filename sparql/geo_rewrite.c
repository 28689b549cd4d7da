/*
 * geo_rewrite.c — the GeoSPARQL query rewrite of topological triple
 * patterns into geometry comparisons (see geo_rewrite.h).
 */
#include "geo_rewrite.h"

#include <stdio.h>
#include <string.h>

#include "geo_functions.h"
#include "geo_literal.h"

#define GEO_HAS_DEFAULT_GEOMETRY GEO_NS "hasDefaultGeometry"
#define GEO_HAS_GEOMETRY GEO_NS "hasGeometry"
#define GEO_AS_WKT GEO_NS "asWKT"
#define GEO_AS_GEOJSON GEO_NS "asGeoJSON"

typedef struct {
    sparql_query *q;
    bool oom;
} rewriter;

static void *alloc(rewriter *rw, size_t n)
{
    void *p = sparql_arena_alloc(rw->q->arena, n);
    if (!p)
        rw->oom = true;
    return p;
}

/* A new hidden variable slot of the query. */
static int new_var(rewriter *rw)
{
    sparql_query *q = rw->q;
    const char **names = sparql_arena_grow(q->arena, q->var_names, q->n_vars, q->n_vars + 1, sizeof *names);
    bool *hidden = sparql_arena_grow(q->arena, q->var_hidden, q->n_vars, q->n_vars + 1, sizeof *hidden);
    char name[32];
    snprintf(name, sizeof name, "?geo%zu", q->n_vars);
    char *copy = sparql_arena_strdup(q->arena, name);
    if (!names || !hidden || !copy) {
        rw->oom = true;
        return -1;
    }
    names[q->n_vars] = copy;
    hidden[q->n_vars] = true;
    q->var_names = names;
    q->var_hidden = hidden;
    return (int)q->n_vars++;
}

static sparql_node var_node(int var) { return (sparql_node){.var = var}; }

static sparql_node iri_node(const char *iri)
{
    return (sparql_node){.var = -1, .term = {.kind = CK_TERM_IRI, .value = iri, .value_len = strlen(iri)}};
}

static sparql_pattern *op(rewriter *rw, sparql_op kind, sparql_pattern *left, sparql_pattern *right)
{
    sparql_pattern *p = alloc(rw, sizeof *p);
    if (p) {
        p->op = kind;
        p->left = left;
        p->right = right;
        p->limit = -1;
    }
    return p;
}

/* A BGP of n triples. */
static sparql_pattern *bgp(rewriter *rw, const sparql_triple *triples, size_t n)
{
    sparql_pattern *p = op(rw, SPARQL_OP_BGP, NULL, NULL);
    sparql_triple *copy = alloc(rw, n * sizeof *copy);
    if (!p || !copy)
        return NULL;
    memcpy(copy, triples, n * sizeof *copy);
    p->triples = copy;
    p->n_triples = n;
    return p;
}

static sparql_expr *expr_var(rewriter *rw, int var)
{
    sparql_expr *e = alloc(rw, sizeof *e);
    if (e) {
        e->kind = SPARQL_EXPR_VAR;
        e->var = var;
    }
    return e;
}

static sparql_pattern *filter(rewriter *rw, sparql_expr *e, sparql_pattern *over)
{
    sparql_pattern *p = op(rw, SPARQL_OP_FILTER, over, NULL);
    sparql_expr **exprs = alloc(rw, sizeof *exprs);
    if (!p || !exprs)
        return NULL;
    exprs[0] = e;
    p->exprs = exprs;
    p->n_exprs = 1;
    return p;
}

/* One way to reach a geometry literal l of x: x's own serialisation, or
 * through geo:hasDefaultGeometry, or through geo:hasGeometry when x has no
 * default geometry (fallback). */
typedef struct {
    sparql_triple t[2];
    size_t n;
    bool fallback;
} literal_way;

#define LITERAL_WAYS 6

static void literal_ways(rewriter *rw, sparql_node x, sparql_node l, literal_way *ways)
{
    const char *serialisations[2] = {GEO_AS_WKT, GEO_AS_GEOJSON};
    const char *links[3] = {NULL, GEO_HAS_DEFAULT_GEOMETRY, GEO_HAS_GEOMETRY};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 2; i++) {
            literal_way *w = &ways[k * 2 + i];
            w->fallback = k == 2;
            if (!links[k]) {
                w->t[0] = (sparql_triple){x, iri_node(serialisations[i]), l};
                w->n = 1;
            } else {
                sparql_node g = var_node(new_var(rw));
                w->t[0] = (sparql_triple){x, iri_node(links[k]), g};
                w->t[1] = (sparql_triple){g, iri_node(serialisations[i]), l};
                w->n = 2;
            }
        }
}

/* NOT EXISTS { x geo:hasDefaultGeometry ?any } */
static sparql_expr *no_default_geometry(rewriter *rw, sparql_node x)
{
    sparql_triple has_default = {x, iri_node(GEO_HAS_DEFAULT_GEOMETRY), var_node(new_var(rw))};
    sparql_expr *e = alloc(rw, sizeof *e);
    if (!e)
        return NULL;
    e->kind = SPARQL_EXPR_NOT_EXISTS;
    e->pattern = bgp(rw, &has_default, 1);
    return e;
}

/* The computed part of the relation: for every pair of ways to the two
 * literals, FILTER(geof:rel(?ls, ?lo) [&& no default geometry], BGP), all
 * in one UNION. A FILTER over one BGP is what the planner can answer from
 * the spatial index (geo_index.h), which a JOIN of UNIONs would hide. */
static sparql_pattern *computed_relation(rewriter *rw, const sparql_triple *t, sparql_expr *call, sparql_node ls,
                                         sparql_node lo)
{
    literal_way ws[LITERAL_WAYS], wo[LITERAL_WAYS];
    literal_ways(rw, t->s, ls, ws);
    literal_ways(rw, t->o, lo, wo);
    sparql_pattern *all = NULL;
    for (int i = 0; i < LITERAL_WAYS && !rw->oom; i++)
        for (int j = 0; j < LITERAL_WAYS && !rw->oom; j++) {
            sparql_triple triples[4];
            size_t n = 0;
            for (size_t k = 0; k < ws[i].n; k++)
                triples[n++] = ws[i].t[k];
            for (size_t k = 0; k < wo[j].n; k++)
                triples[n++] = wo[j].t[k];
            sparql_pattern *f = filter(rw, call, bgp(rw, triples, n));
            sparql_expr **exprs = alloc(rw, 3 * sizeof *exprs);
            if (!f || !exprs)
                return NULL;
            exprs[0] = call;
            f->exprs = exprs;
            if (ws[i].fallback)
                exprs[f->n_exprs++] = no_default_geometry(rw, t->s);
            if (wo[j].fallback)
                exprs[f->n_exprs++] = no_default_geometry(rw, t->o);
            all = all ? op(rw, SPARQL_OP_UNION, all, f) : f;
        }
    return all;
}

/* The pattern that replaces the triple t of relation `name`. */
static sparql_pattern *relation_pattern(rewriter *rw, const sparql_triple *t, const char *name)
{
    sparql_node ls = var_node(new_var(rw)), lo = var_node(new_var(rw));
    sparql_expr *call = alloc(rw, sizeof *call);
    sparql_expr **args = alloc(rw, 2 * sizeof *args);
    char iri[96];
    snprintf(iri, sizeof iri, GEOF_NS "%s", name);
    if (rw->oom)
        return NULL;
    call->kind = SPARQL_EXPR_FUNCTION;
    call->iri = sparql_arena_strdup(rw->q->arena, iri);
    args[0] = expr_var(rw, ls.var);
    args[1] = expr_var(rw, lo.var);
    call->args = args;
    call->n_args = 2;
    sparql_pattern *computed = computed_relation(rw, t, call, ls, lo);
    sparql_pattern *both = op(rw, SPARQL_OP_UNION, bgp(rw, t, 1), computed);
    sparql_pattern *project = op(rw, SPARQL_OP_PROJECT, both, NULL);
    int *vars = alloc(rw, 2 * sizeof *vars);
    if (rw->oom || !call->iri)
        return NULL;
    size_t n = 0;
    if (t->s.var >= 0)
        vars[n++] = t->s.var;
    if (t->o.var >= 0 && t->o.var != t->s.var)
        vars[n++] = t->o.var;
    project->vars = vars;
    project->n_vars = n;
    return op(rw, SPARQL_OP_DISTINCT, project, NULL);
}

/* The relation's local name when t's predicate is a geo: topological
 * relation, else NULL. */
static const char *relation_of(const sparql_triple *t)
{
    if (t->p.var >= 0 || t->p.term.kind != CK_TERM_IRI)
        return NULL;
    size_t ns = strlen(GEO_NS);
    const char *iri = t->p.term.value;
    if (strncmp(iri, GEO_NS, ns) != 0 || geo_relation_by_name(iri + ns) < 0)
        return NULL;
    return iri + ns;
}

static sparql_pattern *rewrite(rewriter *rw, sparql_pattern *p);

static sparql_expr *rewrite_expr(rewriter *rw, sparql_expr *e)
{
    if (!e)
        return e;
    if (e->pattern)
        e->pattern = rewrite(rw, e->pattern);
    for (size_t i = 0; i < e->n_args; i++)
        e->args[i] = rewrite_expr(rw, e->args[i]);
    return e;
}

/* A BGP keeps its other triples; each relation triple joins in its pattern. */
static sparql_pattern *rewrite_bgp(rewriter *rw, sparql_pattern *p)
{
    size_t kept = 0;
    sparql_pattern *joined = NULL;
    for (size_t i = 0; i < p->n_triples; i++) {
        const char *name = relation_of(&p->triples[i]);
        if (!name) {
            p->triples[kept++] = p->triples[i];
            continue;
        }
        sparql_pattern *r = relation_pattern(rw, &p->triples[i], name);
        joined = joined ? op(rw, SPARQL_OP_JOIN, joined, r) : r;
    }
    if (!joined)
        return p;
    p->n_triples = kept;
    return kept ? op(rw, SPARQL_OP_JOIN, p, joined) : joined;
}

static sparql_pattern *rewrite(rewriter *rw, sparql_pattern *p)
{
    if (!p || rw->oom)
        return p;
    if (p->op == SPARQL_OP_BGP)
        return rewrite_bgp(rw, p);
    if (p->op == SPARQL_OP_SERVICE)
        return p; /* the remote endpoint does its own rewriting */
    p->left = rewrite(rw, p->left);
    p->right = rewrite(rw, p->right);
    for (size_t i = 0; i < p->n_exprs; i++)
        p->exprs[i] = rewrite_expr(rw, p->exprs[i]);
    return p;
}

bool geo_rewrite_pattern(sparql_query *q, sparql_pattern **pattern)
{
    rewriter rw = {.q = q};
    *pattern = rewrite(&rw, *pattern);
    return !rw.oom;
}

bool geo_rewrite_query(sparql_query *q) { return geo_rewrite_pattern(q, &q->pattern); }
