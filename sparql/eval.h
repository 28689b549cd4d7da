/*
 * eval.h — evaluating algebra expressions on a row of ids.
 *
 * Terms are decoded from the row (through the termspace) only for the
 * variables an expression reads. Errors follow §17: an unbound variable or
 * a type error makes the value an error (SPARQL_VALUE_ERROR), which ||, &&,
 * IF, COALESCE and BOUND treat as the specification says; a FILTER keeps a
 * row only when its effective boolean value is true.
 */
#ifndef CITYKG_SPARQL_EVAL_H
#define CITYKG_SPARQL_EVAL_H

#include "algebra.h"
#include "functions.h"
#include "termspace.h"
#include "value.h"

/* A constant of an expression, parsed once per query. */
typedef struct {
    const sparql_expr *expr;
    sparql_value value;
    ck_id inline_id;    /* the constant as an inline id, or 0 */
    ck_id iri_id;       /* an IRI constant's id in the termspace, or 0 */
    /* for IN / NOT IN whose members are all IRI constants: their ids
     * (else NULL), so a row's IRI is compared with no lookup per member */
    ck_id *member_ids;
    size_t n_members;
} eval_constant;

typedef struct {
    const sparql_query *query;
    termspace *terms;
    sparql_func_ctx functions;
    /* EXISTS { pattern } for a row: the planner provides it. Returns 1 when
     * the pattern has a solution compatible with the row, 0 when not, -1 on
     * an error (which lands in *err). */
    int (*exists)(void *arg, const sparql_pattern *pattern, const ck_id *row);
    void *exists_arg;
    uint64_t rows_seen; /* numbers rows for BNODE()'s per-solution scope */
    struct exec_ctx *limits; /* the query's time limit, checked before each call */
    ck_error error;     /* first hard error (out of memory, store failure) */
    /* open addressing by expression address; each entry allocated on its
     * own, so a constant lent to a caller stays put when the table grows */
    eval_constant **constants;
    size_t n_constants, constants_cap;
} eval_ctx;

bool eval_ctx_init(eval_ctx *ctx, const sparql_query *query, termspace *terms);
void eval_ctx_free(eval_ctx *ctx);

/* Evaluates e on row into out (cleared first; free with sparql_value_clear). */
void eval_expr(eval_ctx *ctx, const sparql_expr *e, const ck_id *row, sparql_value *out);

/* The value of e for a reader of its parsed value only (comparison, EBV,
 * SUM, AVG, COUNT), without building text where it can: a constant is
 * parsed once per query, an inline number, boolean or dateTime is read from
 * its id without text (sparql_value_from_inline), IF picks its branch by
 * EBV. Returns a value owned by ctx, or scratch, which the caller clears
 * either way (scratch is set to ERROR when not used). */
const sparql_value *eval_expr_value(eval_ctx *ctx, const sparql_expr *e, const ck_id *row,
                                    sparql_value *scratch);

/* Effective boolean value of e on row: 1 true, 0 false, -1 error. */
int eval_ebv(eval_ctx *ctx, const sparql_expr *e, const ck_id *row);

/* True when every expression's effective boolean value is true. */
bool eval_filter(eval_ctx *ctx, sparql_expr *const *exprs, size_t n, const ck_id *row);

/* The id of a value (interned in the termspace); 0 for an error value. */
ck_id eval_value_id(eval_ctx *ctx, const sparql_value *v);

/* The value of a row slot (error value when unbound). */
void eval_slot_value(eval_ctx *ctx, const ck_id *row, int slot, sparql_value *out);

#endif
