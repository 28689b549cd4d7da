/*
 * algebra.c — memory, printing and scope of the SPARQL algebra (algebra.h).
 *
 * The printer writes the SSE syntax Jena and rasqal use for algebra, so that
 * a translation can be compared with theirs and with the examples of §18.
 */
#include "algebra.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ------------------------------------------------------------------ */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
} arena_chunk;

struct sparql_arena {
    arena_chunk *chunks;
    jmp_buf *oom_jump;
};

sparql_arena *sparql_arena_new(void)
{
    return calloc(1, sizeof(sparql_arena));
}

void sparql_arena_free(sparql_arena *arena)
{
    if (!arena)
        return;
    arena_chunk *c = arena->chunks;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(arena);
}

void sparql_arena_set_jump(sparql_arena *arena, void *jmp_buf_ptr)
{
    arena->oom_jump = jmp_buf_ptr;
}

void *sparql_arena_alloc(sparql_arena *arena, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    arena_chunk *c = arena->chunks;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        c = malloc(sizeof *c + cap);
        if (!c) {
            if (arena->oom_jump)
                longjmp(*arena->oom_jump, 2);
            return NULL;
        }
        c->cap = cap;
        c->used = 0;
        c->next = arena->chunks;
        arena->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *sparql_arena_strndup(sparql_arena *arena, const char *s, size_t n)
{
    char *d = sparql_arena_alloc(arena, n + 1);
    if (d && n)
        memcpy(d, s, n);
    return d;
}

char *sparql_arena_strdup(sparql_arena *arena, const char *s)
{
    return sparql_arena_strndup(arena, s, strlen(s));
}

void *sparql_arena_grow(sparql_arena *arena, void *old, size_t n_old, size_t n_new, size_t elem)
{
    void *p = sparql_arena_alloc(arena, n_new * elem);
    if (p && n_old)
        memcpy(p, old, n_old * elem);
    return p;
}

void sparql_query_free(sparql_query *query)
{
    if (query)
        sparql_arena_free(query->arena); /* the query itself lives in its arena */
}

/* ---- names --------------------------------------------------------------------- */

static const char *const builtin_names[SPARQL_FN__COUNT] = {
    "str", "lang", "langMatches", "datatype", "bound", "iri", "uri", "bnode", "rand",
    "abs", "ceil", "floor", "round", "concat", "strlen", "ucase", "lcase",
    "encode_for_uri", "contains", "strstarts", "strends", "strbefore", "strafter",
    "year", "month", "day", "hours", "minutes", "seconds", "timezone", "tz", "now",
    "uuid", "struuid", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "coalesce", "if",
    "strlang", "strdt", "sameTerm", "isIRI", "isURI", "isBlank", "isLiteral",
    "isNumeric", "regex", "substr", "replace"};

const char *sparql_builtin_name(sparql_builtin fn)
{
    return fn < SPARQL_FN__COUNT ? builtin_names[fn] : "?";
}

/* ---- printing ------------------------------------------------------------------- */

static void print_var(FILE *out, const sparql_query *q, int var)
{
    if (var >= 0 && (size_t)var < q->n_vars)
        fprintf(out, "?%s", q->var_names[var]);
    else
        fputs("?<bad>", out);
}

static bool is_plain_integer(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_plain_decimal(const char *s)
{
    const char *dot = strchr(s, '.');
    if (!dot || dot == s || !dot[1])
        return false;
    size_t n = (size_t)(dot - s);
    char head[64];
    if (n >= sizeof head)
        return false;
    memcpy(head, s, n);
    head[n] = '\0';
    if (!is_plain_integer(head))
        return false;
    for (const char *c = dot + 1; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    return true;
}

static void print_term(FILE *out, const ck_term *t)
{
    if (t->kind == 0) {
        fputs("UNDEF", out);
        return;
    }
    /* numbers and booleans in their short SSE form, like Jena */
    if (t->kind == CK_TERM_LITERAL && t->datatype) {
        bool plain = false;
        if (strcmp(t->datatype, CK_XSD_INTEGER) == 0)
            plain = is_plain_integer(t->value);
        else if (strcmp(t->datatype, CK_XSD "decimal") == 0)
            plain = is_plain_decimal(t->value);
        else if (strcmp(t->datatype, CK_XSD_BOOLEAN) == 0)
            plain = strcmp(t->value, "true") == 0 || strcmp(t->value, "false") == 0;
        if (plain) {
            fputs(t->value, out);
            return;
        }
    }
    if (t->kind == CK_TERM_BLANK) {
        fprintf(out, "_:%s", t->value);
        return;
    }
    char *s = ck_term_to_ntriples(t);
    if (s) {
        fputs(s, out);
        free(s);
    }
}

static void print_node(FILE *out, const sparql_query *q, const sparql_node *n)
{
    if (n->var >= 0)
        print_var(out, q, n->var);
    else
        print_term(out, &n->term);
}

static void print_iri(FILE *out, const char *iri)
{
    fprintf(out, "<%s>", iri);
}

static void print_path(FILE *out, const sparql_path *p)
{
    switch (p->kind) {
    case SPARQL_PATH_LINK:
        print_iri(out, p->iri);
        return;
    case SPARQL_PATH_INVERSE:
        fputs("(reverse ", out);
        break;
    case SPARQL_PATH_SEQ:
        fputs("(seq ", out);
        break;
    case SPARQL_PATH_ALT:
        fputs("(alt ", out);
        break;
    case SPARQL_PATH_ZERO_OR_MORE:
        fputs("(path* ", out);
        break;
    case SPARQL_PATH_ONE_OR_MORE:
        fputs("(path+ ", out);
        break;
    case SPARQL_PATH_ZERO_OR_ONE:
        fputs("(path? ", out);
        break;
    case SPARQL_PATH_NEGATED:
        fputs("(notoneof", out);
        for (size_t i = 0; i < p->n_neg; i++) {
            fputc(' ', out);
            if (p->neg_inverse[i]) {
                fputs("(rev ", out);
                print_iri(out, p->neg_iris[i]);
                fputc(')', out);
            } else {
                print_iri(out, p->neg_iris[i]);
            }
        }
        fputc(')', out);
        return;
    }
    print_path(out, p->a);
    if (p->b) {
        fputc(' ', out);
        print_path(out, p->b);
    }
    fputc(')', out);
}

static const char *agg_name(sparql_agg_kind k)
{
    static const char *const names[] = {"count", "sum", "min", "max", "avg", "sample",
                                        "group_concat"};
    return names[k];
}

static void print_expr(FILE *out, const sparql_query *q, const sparql_expr *e);

static void print_args(FILE *out, const sparql_query *q, const sparql_expr *e, size_t from)
{
    for (size_t i = from; i < e->n_args; i++) {
        fputc(' ', out);
        print_expr(out, q, e->args[i]);
    }
}

static void print_expr(FILE *out, const sparql_query *q, const sparql_expr *e)
{
    static const char *const ops[] = {
        [SPARQL_EXPR_OR] = "||", [SPARQL_EXPR_AND] = "&&", [SPARQL_EXPR_EQ] = "=",
        [SPARQL_EXPR_NE] = "!=", [SPARQL_EXPR_LT] = "<", [SPARQL_EXPR_GT] = ">",
        [SPARQL_EXPR_LE] = "<=", [SPARQL_EXPR_GE] = ">=", [SPARQL_EXPR_ADD] = "+",
        [SPARQL_EXPR_SUB] = "-", [SPARQL_EXPR_MUL] = "*", [SPARQL_EXPR_DIV] = "/",
        [SPARQL_EXPR_NOT] = "!", [SPARQL_EXPR_UPLUS] = "+", [SPARQL_EXPR_UMINUS] = "-",
        [SPARQL_EXPR_IN] = "in", [SPARQL_EXPR_NOT_IN] = "notin"};
    switch (e->kind) {
    case SPARQL_EXPR_VAR:
        print_var(out, q, e->var);
        return;
    case SPARQL_EXPR_TERM:
        print_term(out, &e->term);
        return;
    case SPARQL_EXPR_BUILTIN:
        fprintf(out, "(%s", sparql_builtin_name(e->builtin));
        print_args(out, q, e, 0);
        fputc(')', out);
        return;
    case SPARQL_EXPR_FUNCTION:
        fputc('(', out);
        print_iri(out, e->iri);
        print_args(out, q, e, 0);
        fputc(')', out);
        return;
    case SPARQL_EXPR_EXISTS:
    case SPARQL_EXPR_NOT_EXISTS:
        fputs(e->kind == SPARQL_EXPR_EXISTS ? "(exists " : "(notexists ", out);
        sparql_pattern_print(out, q, e->pattern);
        fputc(')', out);
        return;
    default:
        fprintf(out, "(%s", ops[e->kind]);
        print_args(out, q, e, 0);
        fputc(')', out);
        return;
    }
}

void sparql_expr_print(FILE *out, const sparql_query *q, const sparql_expr *e)
{
    print_expr(out, q, e);
}

static void print_exprs(FILE *out, const sparql_query *q, sparql_expr *const *exprs, size_t n)
{
    if (n == 1) {
        print_expr(out, q, exprs[0]);
        return;
    }
    fputs("(exprlist", out);
    for (size_t i = 0; i < n; i++) {
        fputc(' ', out);
        print_expr(out, q, exprs[i]);
    }
    fputc(')', out);
}

static void print_triple(FILE *out, const sparql_query *q, const sparql_triple *t)
{
    fputs("(triple ", out);
    print_node(out, q, &t->s);
    fputc(' ', out);
    print_node(out, q, &t->p);
    fputc(' ', out);
    print_node(out, q, &t->o);
    fputc(')', out);
}

static void print_aggregate(FILE *out, const sparql_query *q, const sparql_aggregate *a)
{
    if (a->kind == SPARQL_AGG_CUSTOM)
        fprintf(out, "(agg <%s>", a->iri);
    else
        fprintf(out, "(%s", agg_name(a->kind));
    if (a->distinct)
        fputs(" distinct", out);
    if (a->kind == SPARQL_AGG_GROUP_CONCAT && a->separator) {
        ck_term sep = {CK_TERM_LITERAL, a->separator, strlen(a->separator), NULL, 0, NULL, 0};
        fputs(" (separator ", out);
        print_term(out, &sep);
        fputc(')', out);
    }
    if (a->expr) {
        fputc(' ', out);
        print_expr(out, q, a->expr);
    }
    fputc(')', out);
}

void sparql_pattern_print(FILE *out, const sparql_query *q, const sparql_pattern *p)
{
    switch (p->op) {
    case SPARQL_OP_BGP:
        if (p->n_triples == 0) {
            fputs("(table unit)", out);
            return;
        }
        fputs("(bgp", out);
        for (size_t i = 0; i < p->n_triples; i++) {
            fputc(' ', out);
            print_triple(out, q, &p->triples[i]);
        }
        fputc(')', out);
        return;
    case SPARQL_OP_PATH:
        fputs("(path ", out);
        print_node(out, q, &p->path_s);
        fputc(' ', out);
        print_path(out, p->path);
        fputc(' ', out);
        print_node(out, q, &p->path_o);
        fputc(')', out);
        return;
    case SPARQL_OP_JOIN:
    case SPARQL_OP_UNION:
    case SPARQL_OP_MINUS:
    case SPARQL_OP_LEFTJOIN:
        fputs(p->op == SPARQL_OP_JOIN    ? "(join "
              : p->op == SPARQL_OP_UNION ? "(union "
              : p->op == SPARQL_OP_MINUS ? "(minus "
                                         : "(leftjoin ",
              out);
        sparql_pattern_print(out, q, p->left);
        fputc(' ', out);
        sparql_pattern_print(out, q, p->right);
        if (p->op == SPARQL_OP_LEFTJOIN && p->n_exprs) {
            fputc(' ', out);
            print_exprs(out, q, p->exprs, p->n_exprs);
        }
        fputc(')', out);
        return;
    case SPARQL_OP_FILTER:
        fputs("(filter ", out);
        print_exprs(out, q, p->exprs, p->n_exprs);
        fputc(' ', out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_GRAPH:
    case SPARQL_OP_SERVICE:
        fputs(p->op == SPARQL_OP_GRAPH ? "(graph " : p->silent ? "(service silent " : "(service ",
              out);
        print_node(out, q, &p->name);
        fputc(' ', out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_EXTEND:
        fputs("(extend ((", out);
        print_var(out, q, p->var);
        fputc(' ', out);
        print_expr(out, q, p->exprs[0]);
        fputs(")) ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_TABLE:
        fputs("(table (vars", out);
        for (size_t i = 0; i < p->n_vars; i++) {
            fputc(' ', out);
            print_var(out, q, p->vars[i]);
        }
        fputc(')', out);
        for (size_t r = 0; r < p->n_rows; r++) {
            fputs(" (row", out);
            for (size_t i = 0; i < p->n_vars; i++) {
                const sparql_node *n = &p->rows[r * p->n_vars + i];
                if (n->term.kind == 0)
                    continue;
                fputs(" [", out);
                print_var(out, q, p->vars[i]);
                fputc(' ', out);
                print_node(out, q, n);
                fputc(']', out);
            }
            fputc(')', out);
        }
        fputc(')', out);
        return;
    case SPARQL_OP_GROUP:
        fputs("(group (", out);
        for (size_t i = 0; i < p->n_keys; i++) {
            const sparql_group_key *k = &p->keys[i];
            if (i)
                fputc(' ', out);
            if (k->var >= 0 && !(k->expr->kind == SPARQL_EXPR_VAR && k->expr->var == k->var)) {
                fputc('(', out);
                print_var(out, q, k->var);
                fputc(' ', out);
                print_expr(out, q, k->expr);
                fputc(')', out);
            } else {
                print_expr(out, q, k->expr);
            }
        }
        fputs(") ", out);
        if (p->n_aggregates)
            fputc('(', out);
        for (size_t i = 0; i < p->n_aggregates; i++) {
            if (i)
                fputc(' ', out);
            fputc('(', out);
            print_var(out, q, p->aggregates[i].var);
            fputc(' ', out);
            print_aggregate(out, q, &p->aggregates[i]);
            fputc(')', out);
        }
        if (p->n_aggregates)
            fputs(") ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_ORDER:
        fputs("(order (", out);
        for (size_t i = 0; i < p->n_order; i++) {
            if (i)
                fputc(' ', out);
            if (p->order[i].descending) {
                fputs("(desc ", out);
                print_expr(out, q, p->order[i].expr);
                fputc(')', out);
            } else {
                print_expr(out, q, p->order[i].expr);
            }
        }
        fputs(") ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_PROJECT:
        fputs("(project (", out);
        for (size_t i = 0; i < p->n_vars; i++) {
            if (i)
                fputc(' ', out);
            print_var(out, q, p->vars[i]);
        }
        fputs(") ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_DISTINCT:
    case SPARQL_OP_REDUCED:
        fputs(p->op == SPARQL_OP_DISTINCT ? "(distinct " : "(reduced ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    case SPARQL_OP_SLICE:
        fputs("(slice ", out);
        if (p->offset > 0)
            fprintf(out, "%lld ", (long long)p->offset);
        else
            fputs("_ ", out);
        if (p->limit >= 0)
            fprintf(out, "%lld ", (long long)p->limit);
        else
            fputs("_ ", out);
        sparql_pattern_print(out, q, p->left);
        fputc(')', out);
        return;
    }
}

void sparql_algebra_print(FILE *out, const sparql_query *q)
{
    int close = 0;
    if (q->n_from || q->n_from_named) {
        fputs("(dataset", out);
        for (size_t i = 0; i < q->n_from; i++) {
            fputs(" (from ", out);
            print_iri(out, q->from[i]);
            fputc(')', out);
        }
        for (size_t i = 0; i < q->n_from_named; i++) {
            fputs(" (from_named ", out);
            print_iri(out, q->from_named[i]);
            fputc(')', out);
        }
        fputc(' ', out);
        close++;
    }
    switch (q->form) {
    case SPARQL_FORM_SELECT:
        break;
    case SPARQL_FORM_ASK:
        fputs("(ask ", out);
        close++;
        break;
    case SPARQL_FORM_CONSTRUCT:
        fputs("(construct (template", out);
        for (size_t i = 0; i < q->n_construct; i++) {
            fputc(' ', out);
            print_triple(out, q, &q->construct_template[i]);
        }
        fputs(") ", out);
        close++;
        break;
    case SPARQL_FORM_DESCRIBE:
        fputs("(describe (", out);
        if (q->describe_all)
            fputc('*', out);
        for (size_t i = 0; i < q->n_describe; i++) {
            if (i)
                fputc(' ', out);
            print_node(out, q, &q->describe[i]);
        }
        fputs(") ", out);
        close++;
        break;
    }
    sparql_pattern_print(out, q, q->pattern);
    while (close--)
        fputc(')', out);
    fputc('\n', out);
}

/* ---- scope (§18.2.1) ------------------------------------------------------------ */

static void mark_node(const sparql_node *n, bool *in_scope)
{
    if (n->var >= 0)
        in_scope[n->var] = true;
}

void sparql_pattern_scope(const sparql_pattern *p, bool *in_scope)
{
    switch (p->op) {
    case SPARQL_OP_BGP:
        for (size_t i = 0; i < p->n_triples; i++) {
            mark_node(&p->triples[i].s, in_scope);
            mark_node(&p->triples[i].p, in_scope);
            mark_node(&p->triples[i].o, in_scope);
        }
        return;
    case SPARQL_OP_PATH:
        mark_node(&p->path_s, in_scope);
        mark_node(&p->path_o, in_scope);
        return;
    case SPARQL_OP_JOIN:
    case SPARQL_OP_LEFTJOIN:
    case SPARQL_OP_UNION:
        sparql_pattern_scope(p->left, in_scope);
        sparql_pattern_scope(p->right, in_scope);
        return;
    case SPARQL_OP_GRAPH:
    case SPARQL_OP_SERVICE:
        mark_node(&p->name, in_scope);
        sparql_pattern_scope(p->left, in_scope);
        return;
    case SPARQL_OP_EXTEND:
        in_scope[p->var] = true;
        sparql_pattern_scope(p->left, in_scope);
        return;
    case SPARQL_OP_TABLE:
    case SPARQL_OP_PROJECT:
        for (size_t i = 0; i < p->n_vars; i++)
            in_scope[p->vars[i]] = true;
        return;
    case SPARQL_OP_GROUP:
        for (size_t i = 0; i < p->n_keys; i++)
            if (p->keys[i].var >= 0)
                in_scope[p->keys[i].var] = true;
        for (size_t i = 0; i < p->n_aggregates; i++)
            in_scope[p->aggregates[i].var] = true;
        return;
    case SPARQL_OP_MINUS:
    case SPARQL_OP_FILTER:
    case SPARQL_OP_ORDER:
    case SPARQL_OP_DISTINCT:
    case SPARQL_OP_REDUCED:
    case SPARQL_OP_SLICE:
        sparql_pattern_scope(p->left, in_scope);
        return;
    }
}
