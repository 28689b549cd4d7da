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

/* { x geo:asWKT l } UNION { x geo:asGeoJSON l } through an intermediate
 * node: `via` NULL means x itself carries the literal. */
static sparql_pattern *literal_via(rewriter *rw, sparql_node x, const char *via, sparql_node l)
{
    sparql_pattern *branch[2];
    const char *serialisations[2] = {GEO_AS_WKT, GEO_AS_GEOJSON};
    for (int i = 0; i < 2; i++) {
        if (!via) {
            sparql_triple t = {x, iri_node(serialisations[i]), l};
            branch[i] = bgp(rw, &t, 1);
        } else {
            sparql_node g = var_node(new_var(rw));
            sparql_triple t[2] = {{x, iri_node(via), g}, {g, iri_node(serialisations[i]), l}};
            branch[i] = bgp(rw, t, 2);
        }
    }
    return op(rw, SPARQL_OP_UNION, branch[0], branch[1]);
}

/* The geometry literals of x (see geo_rewrite.h), bound to l. */
static sparql_pattern *literal_of(rewriter *rw, sparql_node x, sparql_node l)
{
    sparql_pattern *own = literal_via(rw, x, NULL, l);
    sparql_pattern *by_default = literal_via(rw, x, GEO_HAS_DEFAULT_GEOMETRY, l);
    /* hasGeometry only for features that name no default geometry */
    sparql_pattern *any = literal_via(rw, x, GEO_HAS_GEOMETRY, l);
    sparql_triple has_default = {x, iri_node(GEO_HAS_DEFAULT_GEOMETRY), var_node(new_var(rw))};
    sparql_expr *none = alloc(rw, sizeof *none);
    if (rw->oom)
        return NULL;
    none->kind = SPARQL_EXPR_NOT_EXISTS;
    none->pattern = bgp(rw, &has_default, 1);
    sparql_pattern *fallback = filter(rw, none, any);
    return op(rw, SPARQL_OP_UNION, own, op(rw, SPARQL_OP_UNION, by_default, fallback));
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
    sparql_pattern *computed =
        filter(rw, call, op(rw, SPARQL_OP_JOIN, literal_of(rw, t->s, ls), literal_of(rw, t->o, lo)));
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

bool geo_rewrite_query(sparql_query *q)
{
    rewriter rw = {.q = q};
    q->pattern = rewrite(&rw, q->pattern);
    return !rw.oom;
}
