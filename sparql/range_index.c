/*
 * range_index.c — numeric range filters answered from the value index
 * (see range_index.h): finding the range in a FILTER's conjuncts.
 */
#include "range_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* The value of a numeric constant expression (not NaN: no range). */
static bool number_of(const sparql_expr *e, double *out)
{
    return e->kind == SPARQL_EXPR_TERM && sparql_term_to_double(&e->term, out) && !isnan(*out);
}

/* One comparison of variable var with a number (or several, under &&):
 * narrows [*lo, *hi]. */
static bool narrow(const sparql_expr *e, int *var, double *lo, double *hi)
{
    sparql_expr_kind kind = e->kind;
    if (kind == SPARQL_EXPR_AND) {
        bool a = narrow(e->args[0], var, lo, hi);
        bool b = narrow(e->args[1], var, lo, hi);
        return a || b;
    }
    if (kind != SPARQL_EXPR_LT && kind != SPARQL_EXPR_LE && kind != SPARQL_EXPR_GT && kind != SPARQL_EXPR_GE &&
        kind != SPARQL_EXPR_EQ)
        return false;
    const sparql_expr *a = e->args[0], *b = e->args[1];
    double c;
    bool var_left = a->kind == SPARQL_EXPR_VAR && number_of(b, &c);
    if (!var_left && !(b->kind == SPARQL_EXPR_VAR && number_of(a, &c)))
        return false;
    int v = var_left ? a->var : b->var;
    if (*var >= 0 && v != *var)
        return false;
    *var = v;
    /* ?v < c and c > ?v bound ?v from above; strictness is left to the FILTER */
    bool upper = kind == SPARQL_EXPR_EQ || ((kind == SPARQL_EXPR_LT || kind == SPARQL_EXPR_LE) == var_left);
    bool lower = kind == SPARQL_EXPR_EQ || !upper;
    if (upper && c < *hi)
        *hi = c;
    if (lower && c > *lo)
        *lo = c;
    return true;
}

bool range_test_for(const sparql_query *q, const sparql_pattern *bgp, sparql_expr *const *exprs, size_t n,
                    range_test *t)
{
    const char *mode = getenv("CITYKG_VALUE_INDEX");
    if ((mode && strcmp(mode, "off") == 0) || bgp->op != SPARQL_OP_BGP)
        return false;
    /* the first variable compared with a number, and every conjunct on it */
    int var = -1;
    double lo = -INFINITY, hi = INFINITY;
    for (size_t i = 0; i < n; i++)
        narrow(exprs[i], &var, &lo, &hi);
    if (var < 0)
        return false;
    for (size_t i = 0; i < bgp->n_triples; i++) {
        const sparql_triple *tr = &bgp->triples[i];
        if (tr->o.var != var || tr->s.var < 0 || tr->s.var == var || tr->p.var >= 0 ||
            tr->p.term.kind != CK_TERM_IRI)
            continue;
        t->subject = tr->s.var;
        t->predicate = &tr->p.term;
        t->lo = lo;
        t->hi = hi;
        snprintf(t->what, sizeof t->what, "?%s in [%g, %g] of <%.80s>", q->var_names[var], lo, hi,
                 tr->p.term.value);
        return true;
    }
    return false;
}
