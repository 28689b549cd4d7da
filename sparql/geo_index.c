/*
 * geo_index.c — spatial filters answered from the store's envelope index
 * (see geo_index.h).
 */
#include "geo_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo_context.h"
#include "geo_functions.h"
#include "geo_metric.h"
#include "spatial_index.h"

#define GEO_AS_WKT GEO_NS "asWKT"
#define GEO_AS_GEOJSON GEO_NS "asGeoJSON"
#define MAX_CRS 32
/* metres per degree of latitude, rounded down (the window must not be
 * too small): 110574 m at the equator, more towards the poles */
#define METRES_PER_DEGREE_MIN 110000.0

/* The condition found: ?var against constant geometry lit or against
 * variable other, within metres (0 for a topological relation). */
typedef struct {
    int var, other;
    const ck_term *lit;
    double metres;
    const char *name;
} spatial_test;

static bool relation_touches(const char *local)
{
    return geo_relation_by_name(local) >= 0 && strcmp(local, "sfDisjoint") != 0 &&
           strcmp(local, "ehDisjoint") != 0 && strcmp(local, "rcc8dc") != 0;
}

static bool is_geometry_term(const sparql_expr *e)
{
    return e->kind == SPARQL_EXPR_TERM && e->term.kind == CK_TERM_LITERAL && e->term.datatype &&
           (strcmp(e->term.datatype, GEO_WKT_LITERAL) == 0 || strcmp(e->term.datatype, GEO_GEOJSON_LITERAL) == 0);
}

/* A geof: call whose first two arguments are a variable and either a
 * constant geometry (*lit set, *other -1) or another variable (*other set,
 * *lit NULL), in either order. */
static bool geof_arguments(const sparql_expr *call, int *var, const ck_term **lit, int *other)
{
    if (call->kind != SPARQL_EXPR_FUNCTION || call->n_args < 2 || strncmp(call->iri, GEOF_NS, strlen(GEOF_NS)) != 0)
        return false;
    const sparql_expr *a = call->args[0], *b = call->args[1];
    *lit = NULL;
    *other = -1;
    if (a->kind == SPARQL_EXPR_VAR && b->kind == SPARQL_EXPR_VAR && a->var != b->var) {
        *var = a->var;
        *other = b->var;
        return true;
    }
    for (int i = 0; i < 2; i++, a = call->args[1], b = call->args[0])
        if (a->kind == SPARQL_EXPR_VAR && is_geometry_term(b)) {
            *var = a->var;
            *lit = &b->term;
            return true;
        }
    return false;
}

/* A distance bound: a finite, non-negative number. */
static bool number_of(const sparql_expr *e, double *out)
{
    return e->kind == SPARQL_EXPR_TERM && sparql_term_to_double(&e->term, out) && isfinite(*out) && *out >= 0;
}

/* geof:distance(...) < d and its mirrored forms: the call and d in metres. */
static bool distance_bound(const sparql_expr *e, spatial_test *t)
{
    const sparql_expr *call, *bound;
    if (e->kind == SPARQL_EXPR_LT || e->kind == SPARQL_EXPR_LE)
        call = e->args[0], bound = e->args[1];
    else if (e->kind == SPARQL_EXPR_GT || e->kind == SPARQL_EXPR_GE)
        call = e->args[1], bound = e->args[0];
    else
        return false;
    double d;
    if (!geof_arguments(call, &t->var, &t->lit, &t->other) || !number_of(bound, &d))
        return false;
    const char *local = call->iri + strlen(GEOF_NS);
    if (strcmp(local, "metricDistance") == 0 && call->n_args == 2) {
        t->metres = d;
    } else if (strcmp(local, "distance") == 0) {
        geo_unit unit = {GEO_UNIT_LENGTH, 1};
        if (call->n_args == 3) {
            const sparql_expr *u = call->args[2];
            if (u->kind != SPARQL_EXPR_TERM || u->term.kind != CK_TERM_IRI || !geo_unit_from_iri(u->term.value, &unit) ||
                unit.kind != GEO_UNIT_LENGTH)
                return false;
        }
        t->metres = d * unit.factor;
    } else {
        return false;
    }
    t->name = local;
    return true;
}

/* The first conjunct the index can answer: against a constant (pair
 * false) or between two variables (pair true). */
static bool find_test(sparql_expr *const *exprs, size_t n, bool pair, spatial_test *t)
{
    for (size_t i = 0; i < n; i++) {
        const sparql_expr *e = exprs[i];
        bool found = false;
        if (geof_arguments(e, &t->var, &t->lit, &t->other) && relation_touches(e->iri + strlen(GEOF_NS))) {
            t->metres = 0;
            t->name = e->iri + strlen(GEOF_NS);
            found = true;
        } else {
            found = distance_bound(e, t);
        }
        if (found && (t->other >= 0) == pair)
            return true;
    }
    return false;
}

/* Whether ?var is the object of an asWKT / asGeoJSON triple of bgp. */
static bool serialised_in(const sparql_pattern *bgp, int var)
{
    for (size_t i = 0; i < bgp->n_triples; i++) {
        const sparql_triple *tr = &bgp->triples[i];
        if (tr->o.var == var && tr->p.var < 0 && tr->p.term.kind == CK_TERM_IRI &&
            (strcmp(tr->p.term.value, GEO_AS_WKT) == 0 || strcmp(tr->p.term.value, GEO_AS_GEOJSON) == 0))
            return true;
    }
    return false;
}

/* The search window in crs (literal axis order) for constant c, widened
 * so that every geometry within `metres` of c meets it. */
static bool window_in(geo_context *gc, geo_cached *c, const geo_crs *crs, double metres, ck_envelope *w)
{
    const GEOSGeometry *g = geo_context_in_crs(gc, c, crs);
    double x0, y0, x1, y1;
    if (!g || GEOSisEmpty_r(gc->h, g) || !GEOSGeom_getExtent_r(gc->h, g, &x0, &y0, &x1, &y1))
        return false;
    /* transformed vertices bound the transformed shape only up to the
     * bending of its edges: a margin of 1 % of the extent covers that */
    double mx = (x1 - x0) * 0.01, my = (y1 - y0) * 0.01;
    if (crs->geographic) {
        double dlat = metres * 1.01 / METRES_PER_DEGREE_MIN;
        double lat = fmin(89.9, fmax(fabs(y0), fabs(y1)) + dlat);
        double dlon = dlat / cos(lat * M_PI / 180);
        mx += dlon, my += dlat;
    } else {
        /* grid and ground distances differ by the projection's scale
         * factor (UTM: under 1.001 within its zone): widen by 2 % */
        double d = metres * 1.02 / crs->metres_per_unit;
        mx += d, my += d;
    }
    *w = (ck_envelope){x0 - mx, y0 - my, x1 + mx, y1 + my};
    if (crs->swap_axes)
        *w = (ck_envelope){w->y0, w->x0, w->y1, w->x1};
    return true;
}

typedef struct {
    geo_index_seed *seed;
    size_t cap;
    bool oom;
} collector;

static bool collect(void *arg, ck_id id, const ck_envelope *env)
{
    (void)env;
    collector *c = arg;
    if (c->seed->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        ck_id *ids = realloc(c->seed->ids, cap * sizeof *ids);
        if (!ids) {
            c->oom = true;
            return false;
        }
        c->seed->ids = ids;
        c->cap = cap;
    }
    c->seed->ids[c->seed->n++] = id;
    return true;
}

/* Index candidates for geometries within metres of c (0: touching its
 * envelope), in every CRS the index holds, appended to seed. With graphs,
 * from those graphs' grids: a literal in several of them once. */
static bool search_around(ck_txn *txn, const ck_graph_set *graphs, geo_context *gc, geo_cached *c, double metres,
                          geo_index_seed *seed)
{
    uint32_t codes[MAX_CRS];
    size_t n_codes, first = seed->n;
    ck_error err;
    if (ck_spatial_crs_codes(txn, graphs, codes, MAX_CRS, &n_codes, &err) != CK_OK || n_codes == MAX_CRS)
        return false;
    collector col = {.seed = seed, .cap = seed->n};
    for (size_t i = 0; i < n_codes && !col.oom; i++) {
        geo_crs crs;
        char iri[64];
        if (codes[i] == 0)
            crs = geo_crs_crs84();
        else if (snprintf(iri, sizeof iri, GEO_EPSG_IRI_PREFIX "%u", codes[i]) < 0 ||
                 !geo_crs_from_iri(&gc->crs, iri, strlen(iri), &crs))
            continue; /* PROJ does not know it: its literals are errors anyway */
        ck_envelope w;
        uint64_t visited = 0;
        if (window_in(gc, c, &crs, metres, &w) &&
            ck_spatial_search(txn, graphs, codes[i], &w, collect, &col, &visited, &err) != CK_OK)
            return false;
        seed->visited += visited;
    }
    if (graphs && seed->n - first > 1) {
        seed->n = first + ck_ids_sort_unique(seed->ids + first, seed->n - first);
    }
    return !col.oom;
}

bool geo_index_seed_for(ck_txn *txn, const ck_graph_set *graphs, sparql_func_ctx *ctx, const sparql_query *q, const sparql_pattern *bgp,
                        sparql_expr *const *exprs, size_t n, geo_index_seed *seed)
{
    memset(seed, 0, sizeof *seed);
    const char *mode = getenv("CITYKG_SPATIAL_INDEX");
    spatial_test t;
    if ((mode && strcmp(mode, "off") == 0) || !ck_spatial_ready(txn, graphs) || !find_test(exprs, n, false, &t) ||
        !serialised_in(bgp, t.var))
        return false;
    geo_context *gc = geo_context_of(ctx);
    sparql_value lit;
    if (!gc || !sparql_value_from_term(&lit, t.lit))
        return false;
    geo_context_begin_call(gc);
    geo_cached *c = geo_context_geometry(gc, &lit);
    sparql_value_clear(&lit);
    if (!c || !search_around(txn, graphs, gc, c, t.metres, seed)) {
        geo_index_seed_free(seed);
        return false;
    }
    seed->var = t.var;
    if (t.metres > 0)
        snprintf(seed->what, sizeof seed->what, "geof:%s(?%s, constant) within %g m", t.name, q->var_names[t.var],
                 t.metres);
    else
        snprintf(seed->what, sizeof seed->what, "geof:%s(?%s, constant)", t.name, q->var_names[t.var]);
    return true;
}

bool geo_index_pair_for(ck_txn *txn, const ck_graph_set *graphs, const sparql_query *q, const sparql_pattern *bgp, sparql_expr *const *exprs,
                        size_t n, geo_index_pair *pair)
{
    memset(pair, 0, sizeof *pair);
    const char *mode = getenv("CITYKG_SPATIAL_INDEX");
    spatial_test t;
    if ((mode && strcmp(mode, "off") == 0) || !ck_spatial_ready(txn, graphs) || !find_test(exprs, n, true, &t) ||
        !serialised_in(bgp, t.var) || !serialised_in(bgp, t.other))
        return false;
    pair->a = t.var;
    pair->b = t.other;
    pair->metres = t.metres;
    if (t.metres > 0)
        snprintf(pair->what, sizeof pair->what, "geof:%s(?%s, ?%s) within %g m", t.name, q->var_names[t.var],
                 q->var_names[t.other], t.metres);
    else
        snprintf(pair->what, sizeof pair->what, "geof:%s(?%s, ?%s)", t.name, q->var_names[t.var],
                 q->var_names[t.other]);
    return true;
}

bool geo_index_probe(ck_txn *txn, const ck_graph_set *graphs, sparql_func_ctx *ctx, const sparql_value *geometry, double metres,
                     geo_index_seed *out)
{
    geo_context *gc = geo_context_of(ctx);
    out->n = 0;
    if (!gc)
        return false;
    geo_context_begin_call(gc);
    geo_cached *c = geo_context_geometry(gc, geometry);
    return c && search_around(txn, graphs, gc, c, metres, out);
}

void geo_index_seed_free(geo_index_seed *seed)
{
    free(seed->ids);
    seed->ids = NULL;
    seed->n = 0;
}
