/*
 * eval.c — expression evaluation (see eval.h). The built-ins themselves are
 * in functions.c; this file does what needs the row or laziness: variables,
 * BOUND, ||, &&, IF, COALESCE, IN, EXISTS.
 */
#include "eval.h"

#include "exec.h"

#include <stdlib.h>
#include <string.h>

/* algebra built-in -> functions.c call, found by name once */
static enum sparql_call call_of[SPARQL_FN__COUNT];
static bool call_known[SPARQL_FN__COUNT];
static bool calls_mapped;

static void map_calls(void)
{
    if (calls_mapped)
        return;
    for (int i = 0; i < SPARQL_FN__COUNT; i++) {
        /* isURI is the older name of isIRI */
        const char *name = i == SPARQL_FN_ISURI ? "isIRI" : sparql_builtin_name((sparql_builtin)i);
        call_known[i] = name && sparql_builtin_by_name(name, strlen(name), &call_of[i]);
    }
    calls_mapped = true;
}

bool eval_ctx_init(eval_ctx *ctx, const sparql_query *query, termspace *terms)
{
    memset(ctx, 0, sizeof *ctx);
    map_calls();
    ctx->query = query;
    ctx->terms = terms;
    return sparql_func_ctx_init(&ctx->functions, query ? query->base : NULL);
}

void eval_ctx_free(eval_ctx *ctx)
{
    for (size_t i = 0; i < ctx->constants_cap; i++)
        if (ctx->constants[i]) {
            sparql_value_clear(&ctx->constants[i]->value);
            free(ctx->constants[i]->member_ids);
            free(ctx->constants[i]);
        }
    free(ctx->constants);
    sparql_func_ctx_free(&ctx->functions);
}

static size_t constant_slot(eval_constant *const *table, size_t cap, const sparql_expr *e)
{
    size_t i = ((uintptr_t)e >> 4) * 0x9E3779B97F4A7C15ull & (cap - 1);
    while (table[i] && table[i]->expr != e)
        i = (i + 1) & (cap - 1);
    return i;
}

static eval_constant *constant_find(eval_ctx *ctx, const sparql_expr *e)
{
    return ctx->constants_cap ? ctx->constants[constant_slot(ctx->constants, ctx->constants_cap, e)]
                              : NULL;
}

/* Adds c (for c->expr) to the table; false (c freed) when out of memory. */
static bool constant_insert(eval_ctx *ctx, eval_constant *c)
{
    if (2 * (ctx->n_constants + 1) > ctx->constants_cap) {
        size_t cap = ctx->constants_cap ? 2 * ctx->constants_cap : 16;
        eval_constant **t = calloc(cap, sizeof *t);
        if (!t) {
            sparql_value_clear(&c->value);
            free(c->member_ids);
            free(c);
            return false;
        }
        for (size_t i = 0; i < ctx->constants_cap; i++)
            if (ctx->constants[i])
                t[constant_slot(t, cap, ctx->constants[i]->expr)] = ctx->constants[i];
        free(ctx->constants);
        ctx->constants = t;
        ctx->constants_cap = cap;
    }
    ctx->constants[constant_slot(ctx->constants, ctx->constants_cap, c->expr)] = c;
    ctx->n_constants++;
    return true;
}

/* A constant term, parsed at its first use: rows compare against
 * "2024-01-01T00:00:00Z"^^xsd:dateTime without parsing it each time.
 * NULL when out of memory. */
static const eval_constant *constant_entry(eval_ctx *ctx, const sparql_expr *e)
{
    eval_constant *c = constant_find(ctx, e);
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (!c || !sparql_value_from_term(&c->value, &e->term)) {
        free(c);
        return NULL;
    }
    ck_term t = e->term;
    ck_term_normalize(&t);
    if (!ck_term_try_inline(&t, &c->inline_id))
        c->inline_id = 0;
    if (e->term.kind == CK_TERM_IRI && ctx->terms) {
        ck_error err;
        c->iri_id = termspace_intern(ctx->terms, &e->term, &err);
    }
    c->expr = e;
    return constant_insert(ctx, c) ? c : NULL;
}

/* The ids of IN's (or NOT IN's) members when every one is an IRI constant
 * with an id, made at the first use; NULL otherwise (or out of memory). */
static const eval_constant *in_member_ids(eval_ctx *ctx, const sparql_expr *e)
{
    eval_constant *c = constant_find(ctx, e);
    if (c)
        return c->member_ids ? c : NULL;
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->expr = e;
    c->member_ids = e->n_args > 1 ? malloc((e->n_args - 1) * sizeof(ck_id)) : NULL;
    for (size_t i = 1; c->member_ids && i < e->n_args; i++) {
        const sparql_expr *m = e->args[i];
        const eval_constant *k = m->kind == SPARQL_EXPR_TERM && m->term.kind == CK_TERM_IRI
                                     ? constant_entry(ctx, m)
                                     : NULL;
        if (!k || !k->iri_id) { /* a member compared by value */
            free(c->member_ids);
            c->member_ids = NULL;
            break;
        }
        c->member_ids[c->n_members++] = k->iri_id;
    }
    if (!constant_insert(ctx, c))
        return NULL;
    return c->member_ids ? c : NULL;
}

static const sparql_value *constant(eval_ctx *ctx, const sparql_expr *e)
{
    const eval_constant *c = constant_entry(ctx, e);
    return c ? &c->value : NULL;
}

/* The inline id of a variable or constant operand, or 0. */
static ck_id operand_id(eval_ctx *ctx, const sparql_expr *e, const ck_id *row)
{
    if (e->kind == SPARQL_EXPR_VAR)
        return e->var >= 0 ? row[e->var] : 0;
    if (e->kind == SPARQL_EXPR_TERM) {
        const eval_constant *c = constant_entry(ctx, e);
        return c ? c->inline_id : 0;
    }
    return 0;
}

/* An IRI the store holds, as a variable's id, and an IRI constant's id:
 * RDFterm-equal is then id equality (one term, one id: termspace.h), with
 * no text compared. *x and *y 0 when that does not apply. */
static bool store_iri_and_constant(eval_ctx *ctx, const sparql_expr *var, const sparql_expr *k,
                                   const ck_id *row, ck_id *x, ck_id *y)
{
    *x = *y = 0;
    if (var->kind != SPARQL_EXPR_VAR || var->var < 0 || k->kind != SPARQL_EXPR_TERM ||
        k->term.kind != CK_TERM_IRI || ck_id_tag(row[var->var]) != CK_TAG_IRI)
        return false;
    const eval_constant *c = constant_entry(ctx, k);
    if (!c || !c->iri_id)
        return false;
    *x = row[var->var];
    *y = c->iri_id;
    return true;
}

void eval_slot_value(eval_ctx *ctx, const ck_id *row, int slot, sparql_value *out)
{
    sparql_value_init(out);
    if (slot < 0 || !row[slot])
        return;
    ck_term t;
    ck_term_buf buf;
    ck_error err;
    if (termspace_resolve(ctx->terms, row[slot], &t, &buf, &err) != CK_OK) {
        if (!ctx->error.code)
            ctx->error = err;
        return;
    }
    bool ok = ck_id_in_dictionary(row[slot]) ? sparql_value_from_term(out, &t)
                                             : sparql_value_from_inline_term(out, row[slot], &t);
    if (!ok && !ctx->error.code)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
}

ck_id eval_value_id(eval_ctx *ctx, const sparql_value *v)
{
    ck_term t;
    if (sparql_value_is_error(v) || !sparql_value_as_term(v, &t))
        return 0;
    ck_error err;
    ck_id id = termspace_intern(ctx->terms, &t, &err);
    if (!id && !ctx->error.code)
        ctx->error = err;
    return id;
}

static void set_bool(sparql_value *out, bool b) { sparql_value_set_bool(out, b); }

/* Evaluates all arguments eagerly into vals (caller clears). A constant
 * is lent, not copied: the value owns nothing (owned NULL) and borrows the
 * constant's text, which lives as long as ctx. */
static void eval_args(eval_ctx *ctx, const sparql_expr *e, const ck_id *row, sparql_value *vals)
{
    for (size_t i = 0; i < e->n_args; i++) {
        const sparql_value *c = e->args[i]->kind == SPARQL_EXPR_TERM ? constant(ctx, e->args[i])
                                                                     : NULL;
        if (c) {
            vals[i] = *c;
            vals[i].owned = NULL;
        } else {
            eval_expr(ctx, e->args[i], row, &vals[i]);
        }
    }
}

static void clear_all(sparql_value *vals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sparql_value_clear(&vals[i]);
}

/* Calls a functions.c entry with eagerly evaluated arguments. */
static void call(eval_ctx *ctx, enum sparql_call id, const sparql_expr *e, const ck_id *row,
                 sparql_value *out)
{
    sparql_value stack[8], *vals = e->n_args <= 8 ? stack : calloc(e->n_args, sizeof *vals);
    if (!vals) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return;
    }
    memset(vals, 0, sizeof(sparql_value) * (e->n_args <= 8 ? 8 : e->n_args));
    eval_args(ctx, e, row, vals);
    if (!sparql_function_call(id, vals, (int)e->n_args, out, &ctx->functions) &&
        !ctx->error.code && !sparql_value_is_error(out))
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
    clear_all(vals, e->n_args);
    if (vals != stack)
        free(vals);
}

static const enum sparql_call binary_calls[] = {
    [SPARQL_EXPR_EQ] = SPARQL_CALL_OP_EQ,   [SPARQL_EXPR_NE] = SPARQL_CALL_OP_NE,
    [SPARQL_EXPR_LT] = SPARQL_CALL_OP_LT,   [SPARQL_EXPR_GT] = SPARQL_CALL_OP_GT,
    [SPARQL_EXPR_LE] = SPARQL_CALL_OP_LE,   [SPARQL_EXPR_GE] = SPARQL_CALL_OP_GE,
    [SPARQL_EXPR_ADD] = SPARQL_CALL_OP_ADD, [SPARQL_EXPR_SUB] = SPARQL_CALL_OP_SUB,
    [SPARQL_EXPR_MUL] = SPARQL_CALL_OP_MUL, [SPARQL_EXPR_DIV] = SPARQL_CALL_OP_DIV,
    [SPARQL_EXPR_NOT] = SPARQL_CALL_OP_NOT, [SPARQL_EXPR_UPLUS] = SPARQL_CALL_OP_PLUS,
    [SPARQL_EXPR_UMINUS] = SPARQL_CALL_OP_MINUS,
};

/* Frees what a scratch value owns before it goes out of scope; values read
 * from inline ids and lent constants own nothing, so this is usually no
 * call at all. */
static inline void release(sparql_value *v)
{
    if (v->owned)
        sparql_value_clear(v);
}

static bool is_comparison(const sparql_expr *e)
{
    return e->n_args == 2 && (e->kind == SPARQL_EXPR_EQ || e->kind == SPARQL_EXPR_NE ||
                              e->kind == SPARQL_EXPR_LT || e->kind == SPARQL_EXPR_GT ||
                              e->kind == SPARQL_EXPR_LE || e->kind == SPARQL_EXPR_GE);
}

/* A comparison on the operands' parsed values (sparql_value_compare
 * needs no text of numbers, booleans and dateTimes): 1, 0, -1 (error). */
static int compare(eval_ctx *ctx, const sparql_expr *e, const ck_id *row)
{
    /* ?x = <iri>, ?x != <iri> with ?x an IRI: the ids decide */
    ck_id xi, yi;
    if ((e->kind == SPARQL_EXPR_EQ || e->kind == SPARQL_EXPR_NE) &&
        (store_iri_and_constant(ctx, e->args[0], e->args[1], row, &xi, &yi) ||
         store_iri_and_constant(ctx, e->args[1], e->args[0], row, &xi, &yi)))
        return (xi == yi) == (e->kind == SPARQL_EXPR_EQ);
    /* two integers, or dateTimes in one timezone: from the ids alone */
    ck_id x = operand_id(ctx, e->args[0], row), y = 0;
    enum ck_tag tag = ck_id_tag(x);
    if (x && (tag == CK_TAG_INT || tag == CK_TAG_BOOL || tag == CK_TAG_DATETIME))
        y = operand_id(ctx, e->args[1], row);
    int c;
    if (y && sparql_inline_compare(x, y, &c)) {
        switch (e->kind) {
        case SPARQL_EXPR_EQ: return c == 0;
        case SPARQL_EXPR_NE: return c != 0;
        case SPARQL_EXPR_LT: return c < 0;
        case SPARQL_EXPR_GT: return c > 0;
        case SPARQL_EXPR_LE: return c <= 0;
        default: return c >= 0;
        }
    }
    sparql_value sa, sb;
    const sparql_value *a = eval_expr_value(ctx, e->args[0], row, &sa);
    const sparql_value *b = eval_expr_value(ctx, e->args[1], row, &sb);
    int r = sparql_compare_op(binary_calls[e->kind], a, b);
    release(&sa);
    release(&sb);
    return r;
}

/* The logical operators work on EBVs, so FILTER(?t >= a && ?t < b) builds
 * no value at all. */
int eval_ebv(eval_ctx *ctx, const sparql_expr *e, const ck_id *row)
{
    switch (e->kind) {
    case SPARQL_EXPR_OR:
    case SPARQL_EXPR_AND: {
        /* §17.2: an error on one side is masked by true (||) or false (&&) */
        int decisive = e->kind == SPARQL_EXPR_OR;
        int a = eval_ebv(ctx, e->args[0], row);
        if (a == decisive)
            return decisive;
        int b = eval_ebv(ctx, e->args[1], row);
        if (b == decisive)
            return decisive;
        return a < 0 || b < 0 ? -1 : !decisive;
    }
    case SPARQL_EXPR_NOT:
        if (e->n_args == 1) {
            int a = eval_ebv(ctx, e->args[0], row);
            return a < 0 ? -1 : !a;
        }
        break;
    default:
        if (is_comparison(e))
            return compare(ctx, e, row);
        break;
    }
    sparql_value scratch;
    int b = sparql_value_ebv(eval_expr_value(ctx, e, row, &scratch));
    release(&scratch);
    return b;
}

const sparql_value *eval_expr_value(eval_ctx *ctx, const sparql_expr *e, const ck_id *row,
                                    sparql_value *scratch)
{
    sparql_value_init(scratch);
    switch (e->kind) {
    case SPARQL_EXPR_TERM: {
        const sparql_value *c = constant(ctx, e);
        if (c)
            return c;
        break;
    }
    case SPARQL_EXPR_VAR:
        if (e->var >= 0 && sparql_value_from_inline(row[e->var], scratch))
            return scratch;
        break;
    case SPARQL_EXPR_BUILTIN:
        if (e->builtin == SPARQL_FN_IF && e->n_args == 3) {
            int c = eval_ebv(ctx, e->args[0], row);
            if (c < 0)
                return scratch; /* error */
            return eval_expr_value(ctx, e->args[c ? 1 : 2], row, scratch);
        }
        break;
    default:
        if (is_comparison(e)) {
            int r = compare(ctx, e, row);
            if (r >= 0)
                sparql_value_set_bool(scratch, r == 1);
            return scratch;
        }
        break;
    }
    eval_expr(ctx, e, row, scratch);
    return scratch;
}

void eval_expr(eval_ctx *ctx, const sparql_expr *e, const ck_id *row, sparql_value *out)
{
    sparql_value_init(out);
    switch (e->kind) {
    case SPARQL_EXPR_VAR:
        eval_slot_value(ctx, row, e->var, out);
        return;
    case SPARQL_EXPR_TERM: {
        const sparql_value *c = constant(ctx, e);
        if (!c || !sparql_value_copy(out, c))
            ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return;
    }
    case SPARQL_EXPR_OR:
    case SPARQL_EXPR_AND: {
        int b = eval_ebv(ctx, e, row);
        if (b >= 0)
            set_bool(out, b == 1);
        return; /* else error */
    }
    case SPARQL_EXPR_IN:
    case SPARQL_EXPR_NOT_IN: {
        /* true if equal to some member; an error member only matters when
         * no member is equal (§17.4.1.9) */
        const sparql_expr *x0 = e->args[0];
        const eval_constant *in;
        if (x0->kind == SPARQL_EXPR_VAR && x0->var >= 0 && ck_id_tag(row[x0->var]) == CK_TAG_IRI &&
            (in = in_member_ids(ctx, e))) {
            /* a store IRI against IRI constants: equal terms have equal
             * ids (termspace.h), and no member can be an error */
            bool hit = false;
            for (size_t i = 0; i < in->n_members; i++)
                hit |= in->member_ids[i] == row[x0->var];
            set_bool(out, hit == (e->kind == SPARQL_EXPR_IN));
            return;
        }
        sparql_value x;
        eval_expr(ctx, e->args[0], row, &x);
        if (sparql_value_is_error(&x))
            return;
        bool found = false, error = false;
        for (size_t i = 1; i < e->n_args && !found; i++) {
            sparql_value m;
            eval_expr(ctx, e->args[i], row, &m);
            int eq = sparql_value_is_error(&m) ? -1 : sparql_compare_op(SPARQL_CALL_OP_EQ, &x, &m);
            if (eq == 1)
                found = true;
            else if (eq < 0)
                error = true;
            sparql_value_clear(&m);
        }
        sparql_value_clear(&x);
        if (found)
            set_bool(out, e->kind == SPARQL_EXPR_IN);
        else if (!error)
            set_bool(out, e->kind == SPARQL_EXPR_NOT_IN);
        return;
    }
    case SPARQL_EXPR_EXISTS:
    case SPARQL_EXPR_NOT_EXISTS: {
        int r = ctx->exists ? ctx->exists(ctx->exists_arg, e->pattern, row) : -1;
        if (r < 0) {
            if (!ctx->error.code)
                ck_error_set(&ctx->error, CK_ERR_INVALID, "EXISTS could not be evaluated");
            return;
        }
        set_bool(out, (r == 1) == (e->kind == SPARQL_EXPR_EXISTS));
        return;
    }
    case SPARQL_EXPR_BUILTIN:
        switch (e->builtin) {
        case SPARQL_FN_BOUND:
            set_bool(out, e->n_args == 1 && e->args[0]->kind == SPARQL_EXPR_VAR &&
                              e->args[0]->var >= 0 && row[e->args[0]->var] != 0);
            return;
        case SPARQL_FN_IF: {
            int c = eval_ebv(ctx, e->args[0], row);
            if (c >= 0)
                eval_expr(ctx, e->args[c ? 1 : 2], row, out);
            return;
        }
        case SPARQL_FN_COALESCE:
            for (size_t i = 0; i < e->n_args; i++) {
                eval_expr(ctx, e->args[i], row, out);
                if (!sparql_value_is_error(out))
                    return;
                sparql_value_clear(out);
            }
            return;
        default:
            /* one call may take long (REPLACE on a long string): the time
             * limit is checked before each */
            if (ctx->limits && !exec_check_now(ctx->limits))
                return;
            if (e->builtin < SPARQL_FN__COUNT && call_known[e->builtin]) {
                sparql_func_ctx_set_row(&ctx->functions, ctx->rows_seen);
                call(ctx, call_of[e->builtin], e, row, out);
            }
            return; /* unknown: error value */
        }
    case SPARQL_EXPR_FUNCTION: {
        sparql_value stack[8] = {0};
        if (e->n_args > 8)
            return;
        eval_args(ctx, e, row, stack);
        sparql_function_call_iri(e->iri, stack, (int)e->n_args, out, &ctx->functions);
        clear_all(stack, e->n_args);
        return; /* an unknown function leaves an error value */
    }
    default:
        if (is_comparison(e) || (e->kind == SPARQL_EXPR_NOT && e->n_args == 1)) {
            int b = eval_ebv(ctx, e, row);
            if (b >= 0)
                set_bool(out, b == 1);
            return; /* else error */
        }
        if ((size_t)e->kind < sizeof binary_calls / sizeof *binary_calls)
            call(ctx, binary_calls[e->kind], e, row, out);
        return;
    }
}

bool eval_filter(eval_ctx *ctx, sparql_expr *const *exprs, size_t n, const ck_id *row)
{
    for (size_t i = 0; i < n; i++)
        if (eval_ebv(ctx, exprs[i], row) != 1)
            return false;
    return true;
}
