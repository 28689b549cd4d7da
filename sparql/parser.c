/*
 * parser.c — SPARQL 1.1 Query: recursive descent over the grammar of §19.8,
 * one function per production (names follow the grammar), translating each
 * group graph pattern to the algebra of §18.2.2 as soon as it is closed.
 *
 * Memory and errors. Every allocation goes to the query's arena (algebra.h),
 * so an error anywhere — a syntax error, a broken static rule, or running
 * out of memory — longjmps back to sparql_query_parse, which frees the arena
 * in one go: no error path has anything to clean up, which is what makes the
 * parser safe to fuzz. Nesting depth is bounded (MAX_DEPTH) so that hostile
 * input cannot exhaust the stack.
 */
#include "parser.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "functions.h"
#include "lexer.h"

/* Bound on the depth of the trees the parser builds (and so on the
 * recursion of anything walking them): nested groups, brackets and paths
 * count one level each, and so does each element of a left-deep chain
 * (a || b || ..., UNION branches, OPTIONAL/MINUS/BIND in one group). */
#define MAX_DEPTH 1000
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* ---- parser state --------------------------------------------------------- */

typedef sparql_prefix prefix_decl;

/* A triples block being collected: triple patterns and path patterns in the
 * order written, translated to BGPs and Path nodes when the block closes. */
typedef struct {
    sparql_pattern **items; /* each a one-triple BGP, a PATH or a UNION of paths */
    size_t n, cap;
    size_t n_paths;         /* PATH items: each adds a Join level */
    int id;                 /* block id for blank node scoping, 0 = none yet */
} triples_block;

/* One item of a SELECT clause: ?v, or (expr AS ?v). */
typedef struct {
    int var;
    sparql_expr *expr;
    int line, col;
} select_item;

/* Everything of a query or subquery outside its WHERE pattern. */
typedef struct {
    bool distinct, reduced, star;
    select_item *items;
    size_t n_items, cap_items;
    sparql_aggregate *aggs;
    size_t n_aggs, cap_aggs;
    bool has_group;
    sparql_group_key *keys;
    size_t n_keys, cap_keys;
    sparql_expr **having;
    size_t n_having, cap_having;
    sparql_order_key *order;
    size_t n_order, cap_order;
    int64_t limit, offset;
    sparql_pattern *values;
    int line, col; /* position of SELECT, for messages */
} select_ctx;

/* A blank node label of an update template and the operation using it. */
typedef struct {
    const char *label;
    int op;
} template_label;

typedef struct {
    sparql_arena *arena;
    sparql_lexer lx;
    sparql_token tok;
    const char *prev_end; /* end of the previous token */
    jmp_buf jump;
    ck_error *err;
    sparql_query *q;
    const char *base;
    prefix_decl *prefixes;
    size_t n_prefixes, cap_prefixes;
    size_t cap_vars;
    int *var_index;       /* open-addressing hash: slot + 1, 0 = empty */
    size_t index_cap;     /* a power of two, > 2 * n_vars */
    int *var_block;       /* per slot: block id of a labelled blank node, else 0 */
    int next_block;
    int n_anon, n_pathvars, n_aggvars;
    bool in_template;  /* blank nodes are terms, not variables */
    select_ctx *agg;   /* where aggregates go; NULL where they are not allowed */
    int depth;
    /* Update: the operation being parsed (1-based, 0 in a query), and what
     * its current block must not hold (NULL = allowed): the name of the
     * block for the message, e.g. "DELETE DATA". */
    sparql_update *update;
    int update_op;
    const char *no_vars, *no_blanks;
    /* Update: template blank node labels -> the operation using them */
    template_label *template_labels;
    size_t n_template_labels, cap_template_labels; /* cap: a power of two */
} parser;

/* ---- errors ------------------------------------------------------------------- */

static _Noreturn void fail_at(parser *P, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static _Noreturn void fail_at(parser *P, int line, int col, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ck_error_set(P->err, CK_ERR_SYNTAX, "%d:%d: %s", line, col, msg);
    longjmp(P->jump, 1);
}

static _Noreturn void fail_expected(parser *P, const char *what)
{
    fail_at(P, P->tok.line, P->tok.col, "expected %s, found %s", what,
            sparql_token_describe(P->arena, &P->tok));
}

/* ---- tokens ------------------------------------------------------------------- */

static void next(parser *P)
{
    if (P->tok.start) /* NULL before the first token: NULL + 0 is undefined */
        P->prev_end = P->tok.start + P->tok.len;
    P->tok = sparql_lexer_next(&P->lx);
    if (P->tok.kind == TOK_ERROR)
        fail_at(P, P->tok.line, P->tok.col, "%s", P->tok.text);
}

static bool at(parser *P, sparql_tok_kind k) { return P->tok.kind == k; }

static bool at_word(parser *P, const char *w)
{
    return P->tok.kind == TOK_WORD && strcasecmp(P->tok.text, w) == 0;
}

static bool accept(parser *P, sparql_tok_kind k)
{
    if (!at(P, k))
        return false;
    next(P);
    return true;
}

static bool accept_word(parser *P, const char *w)
{
    if (!at_word(P, w))
        return false;
    next(P);
    return true;
}

static void expect(parser *P, sparql_tok_kind k, const char *what)
{
    if (!accept(P, k))
        fail_expected(P, what);
}

static void expect_word(parser *P, const char *w)
{
    if (!accept_word(P, w)) {
        char what[64];
        snprintf(what, sizeof what, "'%s'", w);
        fail_expected(P, what);
    }
}

static void enter(parser *P)
{
    if (++P->depth > MAX_DEPTH)
        fail_at(P, P->tok.line, P->tok.col, "nesting deeper than %d levels", MAX_DEPTH);
}

static void leave(parser *P) { P->depth--; }

/* Appends one element of size elem to *arr (n, cap), growing in the arena. */
static void *push(parser *P, void *arr_ptr, size_t *n, size_t *cap, size_t elem)
{
    void **arr = arr_ptr;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        *arr = sparql_arena_grow(P->arena, *arr, *n, ncap, elem);
        *cap = ncap;
    }
    return (char *)*arr + (*n)++ * elem;
}

/* ---- IRIs -------------------------------------------------------------------------- */

typedef struct {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
    bool has_scheme, has_auth, has_query, has_frag;
} iri_parts;

static void iri_split(const char *s, iri_parts *r)
{
    memset(r, 0, sizeof *r);
    const char *p = s;
    if (isalpha((unsigned char)*p)) {
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            r->has_scheme = true;
            r->scheme = p;
            r->scheme_n = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        r->has_auth = true;
        r->auth = p + 2;
        p += 2;
        while (*p && *p != '/' && *p != '?' && *p != '#')
            p++;
        r->auth_n = (size_t)(p - r->auth);
    }
    r->path = p;
    while (*p && *p != '?' && *p != '#')
        p++;
    r->path_n = (size_t)(p - r->path);
    if (*p == '?') {
        r->has_query = true;
        r->query = ++p;
        while (*p && *p != '#')
            p++;
        r->query_n = (size_t)(p - r->query);
    }
    if (*p == '#') {
        r->has_frag = true;
        r->frag = p + 1;
        r->frag_n = strlen(p + 1);
    }
}

/* RFC 3986 §5.2.4, writing to out (at least n+1 bytes). */
static size_t remove_dots(const char *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        const char *s = in + i;
        size_t left = n - i;
        if (left >= 3 && strncmp(s, "../", 3) == 0) {
            i += 3;
        } else if (left >= 2 && strncmp(s, "./", 2) == 0) {
            i += 2;
        } else if ((left >= 3 && strncmp(s, "/./", 3) == 0)) {
            i += 2;
        } else if (left == 2 && strncmp(s, "/.", 2) == 0) {
            i += 1;
            out[o++] = '/';
            i += 1;
        } else if ((left >= 4 && strncmp(s, "/../", 4) == 0) || (left == 3 && strncmp(s, "/..", 3) == 0)) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            if (left == 3) {
                out[o++] = '/';
                i += 3;
            } else {
                i += 3;
            }
        } else if ((left == 1 && s[0] == '.') || (left == 2 && strncmp(s, "..", 2) == 0)) {
            i += left;
        } else {
            size_t k = 0;
            if (s[0] == '/')
                out[o++] = s[k++];
            while (k < left && s[k] != '/')
                out[o++] = s[k++];
            i += k;
        }
    }
    out[o] = '\0';
    return o;
}

char *sparql_iri_resolve(sparql_arena *arena, const char *base, const char *ref)
{
    iri_parts r, b;
    iri_split(ref, &r);
    if (!base || r.has_scheme) {
        if (!r.has_scheme)
            return sparql_arena_strdup(arena, ref);
        base = ref; /* only the path needs dot removal */
    }
    iri_split(base, &b);
    size_t cap = strlen(base) + strlen(ref) + 8;
    char *path = sparql_arena_alloc(arena, cap), *tmp = sparql_arena_alloc(arena, cap);
    const char *scheme = b.scheme, *auth = b.auth, *query = NULL;
    size_t scheme_n = b.scheme_n, auth_n = b.auth_n, query_n = 0;
    bool has_auth = b.has_auth, has_query = false;
    if (r.has_scheme) {
        scheme = r.scheme;
        scheme_n = r.scheme_n;
        has_auth = r.has_auth;
        auth = r.auth;
        auth_n = r.auth_n;
        remove_dots(r.path, r.path_n, path);
        has_query = r.has_query;
        query = r.query;
        query_n = r.query_n;
    } else if (r.has_auth) {
        auth = r.auth;
        auth_n = r.auth_n;
        remove_dots(r.path, r.path_n, path);
        has_query = r.has_query;
        query = r.query;
        query_n = r.query_n;
    } else if (r.path_n == 0) {
        memcpy(path, b.path, b.path_n);
        path[b.path_n] = '\0';
        has_query = r.has_query || b.has_query;
        query = r.has_query ? r.query : b.query;
        query_n = r.has_query ? r.query_n : b.query_n;
    } else {
        if (r.path[0] == '/') {
            remove_dots(r.path, r.path_n, path);
        } else {
            size_t t = 0;
            if (b.has_auth && b.path_n == 0) {
                tmp[t++] = '/';
            } else {
                const char *slash = NULL;
                for (size_t i = 0; i < b.path_n; i++)
                    if (b.path[i] == '/')
                        slash = b.path + i;
                if (slash) {
                    memcpy(tmp, b.path, (size_t)(slash - b.path) + 1);
                    t = (size_t)(slash - b.path) + 1;
                }
            }
            memcpy(tmp + t, r.path, r.path_n);
            t += r.path_n;
            remove_dots(tmp, t, path);
        }
        has_query = r.has_query;
        query = r.query;
        query_n = r.query_n;
    }
    size_t n = scheme_n + auth_n + strlen(path) + query_n + r.frag_n + 8;
    char *out = sparql_arena_alloc(arena, n);
    snprintf(out, n, "%.*s:%s%.*s%s%s%.*s%s%.*s", (int)scheme_n, scheme, has_auth ? "//" : "",
             (int)auth_n, has_auth ? auth : "", path, has_query ? "?" : "", (int)query_n,
             has_query ? query : "", r.has_frag ? "#" : "", (int)r.frag_n,
             r.has_frag ? r.frag : "");
    return out;
}

/* ---- variables and nodes ------------------------------------------------------ */

static size_t var_hash_pos(parser *P, const char *name)
{
    size_t mask = P->index_cap - 1;
    size_t i = (size_t)ck_hash_bytes(name, strlen(name), 0) & mask;
    while (P->var_index[i] && strcmp(P->q->var_names[P->var_index[i] - 1], name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* The slot of a variable name, created (with the hidden flag) if new. */
static int var_slot_kind(parser *P, const char *name, bool hidden)
{
    sparql_query *q = P->q;
    if (P->index_cap <= 2 * (q->n_vars + 1)) {
        size_t ncap = P->index_cap ? P->index_cap * 2 : 64;
        P->var_index = sparql_arena_alloc(P->arena, ncap * sizeof *P->var_index);
        P->index_cap = ncap;
        for (size_t v = 0; v < q->n_vars; v++)
            P->var_index[var_hash_pos(P, q->var_names[v])] = (int)v + 1;
    }
    size_t pos = var_hash_pos(P, name);
    if (P->var_index[pos])
        return P->var_index[pos] - 1;
    if (q->n_vars == P->cap_vars) {
        size_t ncap = P->cap_vars ? P->cap_vars * 2 : 16;
        q->var_names = sparql_arena_grow(P->arena, q->var_names, q->n_vars, ncap, sizeof(char *));
        q->var_hidden = sparql_arena_grow(P->arena, q->var_hidden, q->n_vars, ncap, sizeof(bool));
        P->var_block = sparql_arena_grow(P->arena, P->var_block, q->n_vars, ncap, sizeof(int));
        P->cap_vars = ncap;
    }
    q->var_names[q->n_vars] = sparql_arena_strdup(P->arena, name);
    q->var_hidden[q->n_vars] = hidden;
    P->var_index[pos] = (int)q->n_vars + 1;
    return (int)q->n_vars++;
}

static int var_slot(parser *P, const char *name) { return var_slot_kind(P, name, false); }

static int hidden_var(parser *P, char kind, int n)
{
    char name[32];
    if (kind == '.')
        snprintf(name, sizeof name, ".%d", n);
    else
        snprintf(name, sizeof name, "?%c%d", kind, n);
    return var_slot_kind(P, name, true);
}

static sparql_node node_var(int var)
{
    sparql_node n = {0};
    n.var = var;
    return n;
}

static sparql_node node_iri(const char *iri)
{
    sparql_node n = {0};
    n.var = -1;
    n.term.kind = CK_TERM_IRI;
    n.term.value = iri;
    n.term.value_len = strlen(iri);
    return n;
}

static sparql_node node_literal(const char *lex, size_t len, const char *dt, const char *lang)
{
    sparql_node n = {0};
    n.var = -1;
    n.term.kind = CK_TERM_LITERAL;
    n.term.value = lex;
    n.term.value_len = len;
    if (dt && strcmp(dt, CK_XSD_STRING) == 0)
        dt = NULL;
    n.term.datatype = dt;
    n.term.datatype_len = dt ? strlen(dt) : 0;
    n.term.lang = lang;
    n.term.lang_len = lang ? strlen(lang) : 0;
    return n;
}

/* Update blocks that hold no blank nodes (DELETE DATA, DELETE templates,
 * DELETE WHERE) or no variables (DATA blocks) reject them where written. */
static void check_blank_allowed(parser *P)
{
    if (P->no_blanks)
        fail_at(P, P->tok.line, P->tok.col, "blank nodes are not allowed in %s, found %s",
                P->no_blanks, sparql_token_describe(P->arena, &P->tok));
}

static void check_var_allowed(parser *P)
{
    if (P->no_vars)
        fail_at(P, P->tok.line, P->tok.col,
                "variables are not allowed in %s (it holds constant data), found %s", P->no_vars,
                sparql_token_describe(P->arena, &P->tok));
}

/* A blank node label of an INSERT DATA block belongs to one operation of
 * the request (syntax-update-54); template labels of INSERT ... WHERE are
 * new nodes per solution anyway and may repeat (insert-where-same-bnode). */
static void check_template_label(parser *P, const sparql_token *t)
{
    if (!P->update_op || !P->no_vars)
        return;
    if (2 * (P->n_template_labels + 1) > P->cap_template_labels) {
        size_t old = P->cap_template_labels, ncap = old ? old * 2 : 64;
        template_label *table = sparql_arena_alloc(P->arena, ncap * sizeof *table),
                       *old_table = P->template_labels;
        P->template_labels = table;
        P->cap_template_labels = ncap;
        for (size_t i = 0; i < old; i++)
            if (old_table[i].label) {
                size_t j = ck_hash_bytes(old_table[i].label, strlen(old_table[i].label), 0) &
                           (ncap - 1);
                while (table[j].label)
                    j = (j + 1) & (ncap - 1);
                table[j] = old_table[i];
            }
    }
    size_t mask = P->cap_template_labels - 1, j = ck_hash_bytes(t->text, t->text_len, 0) & mask;
    while (P->template_labels[j].label && strcmp(P->template_labels[j].label, t->text) != 0)
        j = (j + 1) & mask;
    if (!P->template_labels[j].label) {
        P->template_labels[j].label = t->text;
        P->template_labels[j].op = P->update_op;
        P->n_template_labels++;
    } else if (P->template_labels[j].op != P->update_op) {
        fail_at(P, t->line, t->col,
                "blank node label _:%s is already used by operation %d of this request", t->text,
                P->template_labels[j].op);
    }
}

/* A fresh blank node: a term in templates, a hidden variable in patterns. */
static sparql_node fresh_blank(parser *P)
{
    check_blank_allowed(P);
    int n = P->n_anon++;
    if (P->in_template) {
        char label[32];
        snprintf(label, sizeof label, "?b%d", n);
        sparql_node b = {0};
        b.var = -1;
        b.term.kind = CK_TERM_BLANK;
        b.term.value = sparql_arena_strdup(P->arena, label);
        b.term.value_len = strlen(label);
        return b;
    }
    return node_var(hidden_var(P, 'b', n));
}

static sparql_node labelled_blank(parser *P, const sparql_token *t, triples_block *blk)
{
    check_blank_allowed(P);
    if (P->in_template) {
        check_template_label(P, t);
        sparql_node b = {0};
        b.var = -1;
        b.term.kind = CK_TERM_BLANK;
        b.term.value = t->text;
        b.term.value_len = t->text_len;
        return b;
    }
    if (!blk)
        fail_at(P, t->line, t->col, "blank node _:%s is not allowed here", t->text);
    if (blk->id == 0)
        blk->id = ++P->next_block;
    char *name = sparql_arena_alloc(P->arena, t->text_len + 3);
    memcpy(name, "_:", 2);
    memcpy(name + 2, t->text, t->text_len);
    int var = var_slot_kind(P, name, true);
    if (P->var_block[var] == 0)
        P->var_block[var] = blk->id;
    else if (P->var_block[var] != blk->id)
        fail_at(P, t->line, t->col, "blank node label _:%s is used in two basic graph patterns",
                t->text);
    return node_var(var);
}

/* iri ::= IRIREF | PrefixedName */
static bool at_iri(parser *P) { return at(P, TOK_IRI) || at(P, TOK_PNAME); }

static const char *parse_iri(parser *P)
{
    const char *iri;
    if (at(P, TOK_IRI)) {
        iri = sparql_iri_resolve(P->arena, P->base, P->tok.text);
    } else if (at(P, TOK_PNAME)) {
        const char *ns = NULL;
        for (size_t i = P->n_prefixes; i-- > 0;)
            if (strcmp(P->prefixes[i].name, P->tok.prefix) == 0) {
                ns = P->prefixes[i].iri;
                break;
            }
        if (!ns)
            fail_at(P, P->tok.line, P->tok.col, "undefined prefix '%s:'", P->tok.prefix);
        size_t a = strlen(ns);
        char *s = sparql_arena_alloc(P->arena, a + P->tok.text_len + 1);
        memcpy(s, ns, a);
        memcpy(s + a, P->tok.text, P->tok.text_len + 1);
        iri = s;
    } else {
        fail_expected(P, "an IRI");
    }
    next(P);
    return iri;
}

static bool at_number(parser *P)
{
    return at(P, TOK_INTEGER) || at(P, TOK_DECIMAL) || at(P, TOK_DOUBLE);
}

/* NumericLiteral, with a sign token directly before it when sign != 0. */
static sparql_node parse_number(parser *P, char sign)
{
    if (!at_number(P))
        fail_expected(P, "a number");
    const char *dt = at(P, TOK_INTEGER) ? CK_XSD_INTEGER
                     : at(P, TOK_DECIMAL) ? CK_XSD "decimal"
                                          : CK_XSD "double";
    size_t n = P->tok.text_len + (sign ? 1 : 0);
    char *lex = sparql_arena_alloc(P->arena, n + 1);
    if (sign)
        lex[0] = sign;
    memcpy(lex + (sign ? 1 : 0), P->tok.text, P->tok.text_len);
    next(P);
    return node_literal(lex, n, dt, NULL);
}

/* A '+' or '-' directly followed (no space) by a number. */
static bool at_signed_number(parser *P, char *sign)
{
    if (!at(P, TOK_PLUS) && !at(P, TOK_MINUS))
        return false;
    const char *after = P->tok.start + 1;
    if (after >= P->lx.end || !(isdigit((unsigned char)after[0]) ||
                                (after[0] == '.' && after + 1 < P->lx.end &&
                                 isdigit((unsigned char)after[1]))))
        return false;
    *sign = at(P, TOK_PLUS) ? '+' : '-';
    return true;
}

/* RDFLiteral ::= String ( LANGTAG | ( '^^' iri ) )? */
static sparql_node parse_rdf_literal(parser *P)
{
    const char *lex = P->tok.text;
    size_t len = P->tok.text_len;
    next(P);
    if (at(P, TOK_LANGTAG)) {
        char *lang = sparql_arena_strdup(P->arena, P->tok.text);
        for (char *c = lang; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        next(P);
        return node_literal(lex, len, NULL, lang);
    }
    if (accept(P, TOK_DCARET))
        return node_literal(lex, len, parse_iri(P), NULL);
    return node_literal(lex, len, NULL, NULL);
}

static bool at_boolean(parser *P) { return at_word(P, "true") || at_word(P, "false"); }

static sparql_node parse_boolean(parser *P)
{
    const char *v = at_word(P, "true") ? "true" : "false";
    next(P);
    return node_literal(v, strlen(v), CK_XSD_BOOLEAN, NULL);
}

/* ---- algebra constructors ---------------------------------------------------------- */

static sparql_pattern *op_new(parser *P, sparql_op op)
{
    sparql_pattern *p = sparql_arena_alloc(P->arena, sizeof *p);
    p->op = op;
    p->var = -1;
    p->limit = -1;
    return p;
}

static sparql_pattern *op_unary(parser *P, sparql_op op, sparql_pattern *child)
{
    sparql_pattern *p = op_new(P, op);
    p->left = child;
    return p;
}

static bool is_unit(const sparql_pattern *p) { return p->op == SPARQL_OP_BGP && p->n_triples == 0; }

/* Join with the simplification of §18.2.2.8: Join(Z, A) = A = Join(A, Z). */
static sparql_pattern *op_join(parser *P, sparql_pattern *a, sparql_pattern *b)
{
    if (is_unit(a))
        return b;
    if (is_unit(b))
        return a;
    sparql_pattern *p = op_new(P, SPARQL_OP_JOIN);
    p->left = a;
    p->right = b;
    return p;
}

static sparql_expr *expr_new(parser *P, sparql_expr_kind kind, size_t n_args)
{
    sparql_expr *e = sparql_arena_alloc(P->arena, sizeof *e);
    e->kind = kind;
    e->var = -1;
    e->n_args = n_args;
    if (n_args)
        e->args = sparql_arena_alloc(P->arena, n_args * sizeof *e->args);
    return e;
}

static sparql_expr *expr_var(parser *P, int var)
{
    sparql_expr *e = expr_new(P, SPARQL_EXPR_VAR, 0);
    e->var = var;
    return e;
}

static sparql_expr *expr_term(parser *P, sparql_node n)
{
    sparql_expr *e = expr_new(P, SPARQL_EXPR_TERM, 0);
    e->term = n.term;
    return e;
}

static sparql_expr *expr_binary(parser *P, sparql_expr_kind k, sparql_expr *a, sparql_expr *b)
{
    sparql_expr *e = expr_new(P, k, 2);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

/* ---- triples blocks -------------------------------------------------------------------- */

static void block_add(parser *P, triples_block *blk, sparql_pattern *item)
{
    if (item->op == SPARQL_OP_PATH && ++blk->n_paths > MAX_DEPTH)
        fail_at(P, P->tok.line, P->tok.col, "more than %d property paths in one block", MAX_DEPTH);
    sparql_pattern **slot = push(P, &blk->items, &blk->n, &blk->cap, sizeof *slot);
    *slot = item;
}

static void block_add_triple(parser *P, triples_block *blk, sparql_node s, sparql_node p,
                             sparql_node o)
{
    sparql_pattern *b = op_new(P, SPARQL_OP_BGP);
    b->triples = sparql_arena_alloc(P->arena, sizeof *b->triples);
    b->triples[0] = (sparql_triple){s, p, o};
    b->n_triples = 1;
    block_add(P, blk, b);
}

static sparql_pattern *block_translate(parser *P, triples_block *blk);

/* §18.2.2.4: links become triples, ^link a reversed triple, sequences
 * triples over a fresh variable, alternatives a union of their branches
 * (§18.5: both keep duplicates); the rest (*, +, ?, negated sets, whose
 * results are sets) stays a Path. */
static void block_add_path(parser *P, triples_block *blk, sparql_node s, sparql_path *path,
                           sparql_node o)
{
    if (path->kind == SPARQL_PATH_LINK) {
        block_add_triple(P, blk, s, node_iri(path->iri), o);
    } else if (path->kind == SPARQL_PATH_INVERSE && path->a->kind == SPARQL_PATH_LINK) {
        block_add_triple(P, blk, o, node_iri(path->a->iri), s);
    } else if (path->kind == SPARQL_PATH_INVERSE) {
        block_add_path(P, blk, o, path->a, s);
    } else if (path->kind == SPARQL_PATH_SEQ) {
        sparql_node mid = node_var(hidden_var(P, 'p', P->n_pathvars++));
        block_add_path(P, blk, s, path->a, mid);
        block_add_path(P, blk, mid, path->b, o);
    } else if (path->kind == SPARQL_PATH_ALT) {
        triples_block a = {.id = blk->id}, b = {.id = blk->id};
        block_add_path(P, &a, s, path->a, o);
        block_add_path(P, &b, s, path->b, o);
        sparql_pattern *u = op_new(P, SPARQL_OP_UNION);
        u->left = block_translate(P, &a);
        u->right = block_translate(P, &b);
        block_add(P, blk, u);
    } else {
        sparql_pattern *p = op_new(P, SPARQL_OP_PATH);
        p->path_s = s;
        p->path = path;
        p->path_o = o;
        block_add(P, blk, p);
    }
}

/* §18.2.2.5: adjacent triple patterns form one BGP; paths join in between. */
static sparql_pattern *block_translate(parser *P, triples_block *blk)
{
    sparql_pattern *result = op_new(P, SPARQL_OP_BGP);
    sparql_pattern *bgp = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < blk->n; i++) {
        sparql_pattern *item = blk->items[i];
        if (item->op == SPARQL_OP_BGP) {
            if (!bgp) {
                bgp = op_new(P, SPARQL_OP_BGP);
                cap = 0;
            }
            sparql_triple *t = push(P, &bgp->triples, &bgp->n_triples, &cap, sizeof *t);
            *t = item->triples[0];
        } else {
            if (bgp)
                result = op_join(P, result, bgp);
            bgp = NULL;
            result = op_join(P, result, item);
        }
    }
    if (bgp)
        result = op_join(P, result, bgp);
    return result;
}

/* ---- forward declarations ------------------------------------------------------------ */

static sparql_expr *parse_expression(parser *P);
static sparql_pattern *parse_group(parser *P, bool *own_filter);
static sparql_pattern *parse_group_graph_pattern(parser *P);
static sparql_path *parse_path(parser *P);
static sparql_node parse_graph_node(parser *P, triples_block *blk, bool paths);
static void parse_property_list(parser *P, triples_block *blk, sparql_node subject, bool paths);

/* ---- terms in triples ----------------------------------------------------------------- */

/* VarOrTerm; NIL is rdf:nil. */
static bool at_var_or_term(parser *P)
{
    char sign;
    return at(P, TOK_VAR) || at_iri(P) || at(P, TOK_STRING) || at_number(P) ||
           at_signed_number(P, &sign) || at_boolean(P) || at(P, TOK_BLANK) || at(P, TOK_ANON) ||
           at(P, TOK_NIL);
}

static sparql_node parse_var_or_term(parser *P, triples_block *blk)
{
    char sign = 0;
    sparql_node n;
    if (at(P, TOK_VAR)) {
        check_var_allowed(P);
        n = node_var(var_slot(P, P->tok.text));
        next(P);
    } else if (at_iri(P)) {
        n = node_iri(parse_iri(P));
    } else if (at(P, TOK_STRING)) {
        n = parse_rdf_literal(P);
    } else if (at_number(P)) {
        n = parse_number(P, 0);
    } else if (at_signed_number(P, &sign)) {
        next(P);
        n = parse_number(P, sign);
    } else if (at_boolean(P)) {
        n = parse_boolean(P);
    } else if (at(P, TOK_BLANK)) {
        n = labelled_blank(P, &P->tok, blk);
        next(P);
    } else if (at(P, TOK_ANON)) {
        if (!blk && !P->in_template)
            fail_expected(P, "a variable or term");
        n = fresh_blank(P);
        next(P);
    } else if (at(P, TOK_NIL)) {
        n = node_iri(RDF_NS "nil");
        next(P);
    } else {
        fail_expected(P, "a variable or term");
    }
    return n;
}

/* CollectionPath ::= '(' GraphNodePath+ ')' */
static sparql_node parse_collection(parser *P, triples_block *blk, bool paths)
{
    expect(P, TOK_LPAREN, "'('");
    sparql_node head = fresh_blank(P), cur = head;
    for (;;) {
        sparql_node item = parse_graph_node(P, blk, paths);
        block_add_triple(P, blk, cur, node_iri(RDF_NS "first"), item);
        if (accept(P, TOK_RPAREN)) {
            block_add_triple(P, blk, cur, node_iri(RDF_NS "rest"), node_iri(RDF_NS "nil"));
            break;
        }
        sparql_node rest = fresh_blank(P);
        block_add_triple(P, blk, cur, node_iri(RDF_NS "rest"), rest);
        cur = rest;
    }
    return head;
}

/* GraphNodePath ::= VarOrTerm | TriplesNodePath */
static sparql_node parse_graph_node(parser *P, triples_block *blk, bool paths)
{
    enter(P);
    sparql_node n;
    if (at(P, TOK_LPAREN)) {
        n = parse_collection(P, blk, paths);
    } else if (accept(P, TOK_LBRACKET)) {
        n = fresh_blank(P);
        parse_property_list(P, blk, n, paths);
        expect(P, TOK_RBRACKET, "']'");
    } else {
        n = parse_var_or_term(P, blk);
    }
    leave(P);
    return n;
}

static bool at_a(parser *P) { return at(P, TOK_WORD) && strcmp(P->tok.text, "a") == 0; }

/* Verb (templates) or VerbPath | VerbSimple (patterns) starts here. */
static bool at_verb(parser *P, bool paths)
{
    if (at(P, TOK_VAR) || at_iri(P) || at_a(P))
        return true;
    return paths && (at(P, TOK_BANG) || at(P, TOK_LPAREN) || at(P, TOK_CARET));
}

/* PropertyListPathNotEmpty (paths) or PropertyListNotEmpty (templates). */
static void parse_property_list(parser *P, triples_block *blk, sparql_node subject, bool paths)
{
    enter(P);
    for (;;) {
        sparql_node verb = {0};
        sparql_path *path = NULL;
        if (at(P, TOK_VAR)) {
            check_var_allowed(P);
            verb = node_var(var_slot(P, P->tok.text));
            next(P);
        } else if (paths) {
            path = parse_path(P);
        } else if (at_a(P)) {
            verb = node_iri(RDF_NS "type");
            next(P);
        } else if (at_iri(P)) {
            verb = node_iri(parse_iri(P));
        } else {
            fail_expected(P, "a predicate");
        }
        do {
            sparql_node obj = parse_graph_node(P, blk, paths);
            if (path)
                block_add_path(P, blk, subject, path, obj);
            else
                block_add_triple(P, blk, subject, verb, obj);
        } while (accept(P, TOK_COMMA));
        if (!at(P, TOK_SEMI))
            break;
        while (accept(P, TOK_SEMI))
            ;
        if (!at_verb(P, paths))
            break;
    }
    leave(P);
}

/* TriplesSameSubjectPath ::= VarOrTerm PropertyListPathNotEmpty
 *                          | TriplesNodePath PropertyListPath
 * (and TriplesSameSubject, without paths, in templates). */
static void parse_triples_same_subject(parser *P, triples_block *blk, bool paths)
{
    if (at(P, TOK_LPAREN) || at(P, TOK_LBRACKET)) {
        sparql_node s = parse_graph_node(P, blk, paths);
        if (at_verb(P, paths))
            parse_property_list(P, blk, s, paths);
        return;
    }
    sparql_node s = parse_var_or_term(P, blk);
    if (!at_verb(P, paths))
        fail_expected(P, "a predicate");
    parse_property_list(P, blk, s, paths);
}

static bool at_triples_start(parser *P)
{
    return at_var_or_term(P) || at(P, TOK_LPAREN) || at(P, TOK_LBRACKET);
}

/* ---- property paths -------------------------------------------------------------- */

static sparql_path *path_new(parser *P, sparql_path_kind kind, sparql_path *a, sparql_path *b)
{
    sparql_path *p = sparql_arena_alloc(P->arena, sizeof *p);
    p->kind = kind;
    p->a = a;
    p->b = b;
    return p;
}

static const char *parse_iri_or_a(parser *P)
{
    if (at_a(P)) {
        next(P);
        return RDF_NS "type";
    }
    return parse_iri(P);
}

static void negated_add(parser *P, sparql_path *neg, size_t *cap)
{
    bool inverse = accept(P, TOK_CARET);
    const char *iri = parse_iri_or_a(P);
    if (neg->n_neg == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        neg->neg_iris = sparql_arena_grow(P->arena, neg->neg_iris, neg->n_neg, ncap,
                                          sizeof *neg->neg_iris);
        neg->neg_inverse = sparql_arena_grow(P->arena, neg->neg_inverse, neg->n_neg, ncap,
                                             sizeof *neg->neg_inverse);
        *cap = ncap;
    }
    neg->neg_iris[neg->n_neg] = iri;
    neg->neg_inverse[neg->n_neg] = inverse;
    neg->n_neg++;
}

/* PathPrimary ::= iri | 'a' | '!' PathNegatedPropertySet | '(' Path ')' */
static sparql_path *parse_path_primary(parser *P)
{
    if (accept(P, TOK_LPAREN)) {
        sparql_path *p = parse_path(P);
        expect(P, TOK_RPAREN, "')'");
        return p;
    }
    if (accept(P, TOK_BANG)) {
        sparql_path *neg = path_new(P, SPARQL_PATH_NEGATED, NULL, NULL);
        size_t cap = 0;
        if (accept(P, TOK_NIL))
            return neg;
        if (accept(P, TOK_LPAREN)) {
            do
                negated_add(P, neg, &cap);
            while (accept(P, TOK_PIPE));
            expect(P, TOK_RPAREN, "')'");
        } else {
            negated_add(P, neg, &cap);
        }
        return neg;
    }
    if (at_iri(P) || at_a(P)) {
        sparql_path *p = path_new(P, SPARQL_PATH_LINK, NULL, NULL);
        p->iri = parse_iri_or_a(P);
        return p;
    }
    fail_expected(P, "a path");
}

/* PathEltOrInverse ::= PathElt | '^' PathElt ; PathElt ::= PathPrimary PathMod? */
static sparql_path *parse_path_elt(parser *P)
{
    bool inverse = accept(P, TOK_CARET);
    sparql_path *p = parse_path_primary(P);
    if (accept(P, TOK_STAR))
        p = path_new(P, SPARQL_PATH_ZERO_OR_MORE, p, NULL);
    else if (accept(P, TOK_PLUS))
        p = path_new(P, SPARQL_PATH_ONE_OR_MORE, p, NULL);
    else if (accept(P, TOK_QUESTION))
        p = path_new(P, SPARQL_PATH_ZERO_OR_ONE, p, NULL);
    return inverse ? path_new(P, SPARQL_PATH_INVERSE, p, NULL) : p;
}

static sparql_path *parse_path(parser *P)
{
    int depth = P->depth;
    enter(P);
    sparql_path *alt = NULL;
    do {
        sparql_path *seq = parse_path_elt(P);
        while (accept(P, TOK_SLASH)) {
            seq = path_new(P, SPARQL_PATH_SEQ, seq, parse_path_elt(P));
            enter(P);
        }
        alt = alt ? path_new(P, SPARQL_PATH_ALT, alt, seq) : seq;
        enter(P);
    } while (accept(P, TOK_PIPE));
    P->depth = depth;
    return alt;
}

/* ---- expressions -------------------------------------------------------------------- */

typedef struct {
    const char *name;
    sparql_builtin fn;
    int min, max; /* argument counts; max -1: ExpressionList */
} builtin_def;

static const builtin_def builtins[] = {
    {"STR", SPARQL_FN_STR, 1, 1}, {"LANG", SPARQL_FN_LANG, 1, 1},
    {"LANGMATCHES", SPARQL_FN_LANGMATCHES, 2, 2}, {"DATATYPE", SPARQL_FN_DATATYPE, 1, 1},
    {"BOUND", SPARQL_FN_BOUND, 1, 1}, {"IRI", SPARQL_FN_IRI, 1, 1}, {"URI", SPARQL_FN_URI, 1, 1},
    {"BNODE", SPARQL_FN_BNODE, 0, 1}, {"RAND", SPARQL_FN_RAND, 0, 0},
    {"ABS", SPARQL_FN_ABS, 1, 1}, {"CEIL", SPARQL_FN_CEIL, 1, 1}, {"FLOOR", SPARQL_FN_FLOOR, 1, 1},
    {"ROUND", SPARQL_FN_ROUND, 1, 1}, {"CONCAT", SPARQL_FN_CONCAT, 0, -1},
    {"STRLEN", SPARQL_FN_STRLEN, 1, 1}, {"UCASE", SPARQL_FN_UCASE, 1, 1},
    {"LCASE", SPARQL_FN_LCASE, 1, 1}, {"ENCODE_FOR_URI", SPARQL_FN_ENCODE_FOR_URI, 1, 1},
    {"CONTAINS", SPARQL_FN_CONTAINS, 2, 2}, {"STRSTARTS", SPARQL_FN_STRSTARTS, 2, 2},
    {"STRENDS", SPARQL_FN_STRENDS, 2, 2}, {"STRBEFORE", SPARQL_FN_STRBEFORE, 2, 2},
    {"STRAFTER", SPARQL_FN_STRAFTER, 2, 2}, {"YEAR", SPARQL_FN_YEAR, 1, 1},
    {"MONTH", SPARQL_FN_MONTH, 1, 1}, {"DAY", SPARQL_FN_DAY, 1, 1},
    {"HOURS", SPARQL_FN_HOURS, 1, 1}, {"MINUTES", SPARQL_FN_MINUTES, 1, 1},
    {"SECONDS", SPARQL_FN_SECONDS, 1, 1}, {"TIMEZONE", SPARQL_FN_TIMEZONE, 1, 1},
    {"TZ", SPARQL_FN_TZ, 1, 1}, {"NOW", SPARQL_FN_NOW, 0, 0}, {"UUID", SPARQL_FN_UUID, 0, 0},
    {"STRUUID", SPARQL_FN_STRUUID, 0, 0}, {"MD5", SPARQL_FN_MD5, 1, 1},
    {"SHA1", SPARQL_FN_SHA1, 1, 1}, {"SHA256", SPARQL_FN_SHA256, 1, 1},
    {"SHA384", SPARQL_FN_SHA384, 1, 1}, {"SHA512", SPARQL_FN_SHA512, 1, 1},
    {"COALESCE", SPARQL_FN_COALESCE, 0, -1}, {"IF", SPARQL_FN_IF, 3, 3},
    {"STRLANG", SPARQL_FN_STRLANG, 2, 2}, {"STRDT", SPARQL_FN_STRDT, 2, 2},
    {"sameTerm", SPARQL_FN_SAMETERM, 2, 2}, {"isIRI", SPARQL_FN_ISIRI, 1, 1},
    {"isURI", SPARQL_FN_ISURI, 1, 1}, {"isBLANK", SPARQL_FN_ISBLANK, 1, 1},
    {"isLITERAL", SPARQL_FN_ISLITERAL, 1, 1}, {"isNUMERIC", SPARQL_FN_ISNUMERIC, 1, 1},
    {"REGEX", SPARQL_FN_REGEX, 2, 3}, {"SUBSTR", SPARQL_FN_SUBSTR, 2, 3},
    {"REPLACE", SPARQL_FN_REPLACE, 3, 4},
};

static const struct {
    const char *name;
    sparql_agg_kind kind;
} aggregates[] = {
    {"COUNT", SPARQL_AGG_COUNT}, {"SUM", SPARQL_AGG_SUM}, {"MIN", SPARQL_AGG_MIN},
    {"MAX", SPARQL_AGG_MAX}, {"AVG", SPARQL_AGG_AVG}, {"SAMPLE", SPARQL_AGG_SAMPLE},
    {"GROUP_CONCAT", SPARQL_AGG_GROUP_CONCAT},
};

static const builtin_def *find_builtin(parser *P)
{
    if (!at(P, TOK_WORD))
        return NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcasecmp(builtins[i].name, P->tok.text) == 0)
            return &builtins[i];
    return NULL;
}

static int find_aggregate(parser *P)
{
    if (!at(P, TOK_WORD))
        return -1;
    for (size_t i = 0; i < sizeof aggregates / sizeof aggregates[0]; i++)
        if (strcasecmp(aggregates[i].name, P->tok.text) == 0)
            return (int)i;
    return -1;
}

/* ExpressionList ::= NIL | '(' Expression ( ',' Expression )* ')', appended
 * to e->args starting at index from. */
static void parse_expression_list(parser *P, sparql_expr *e, bool allow_distinct)
{
    size_t cap = e->n_args;
    if (accept(P, TOK_NIL))
        return;
    expect(P, TOK_LPAREN, "'('");
    if (allow_distinct)
        accept_word(P, "DISTINCT");
    do {
        sparql_expr **slot = push(P, &e->args, &e->n_args, &cap, sizeof *slot);
        *slot = parse_expression(P);
    } while (accept(P, TOK_COMMA));
    expect(P, TOK_RPAREN, "')' or ','");
}

/* Structural equality, used to give equal aggregates one slot. EXISTS
 * patterns are never considered equal (rare, and not worth a comparison). */
static bool expr_equal(const sparql_expr *a, const sparql_expr *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->n_args != b->n_args)
        return false;
    switch (a->kind) {
    case SPARQL_EXPR_VAR:
        return a->var == b->var;
    case SPARQL_EXPR_TERM:
        return ck_term_equal(&a->term, &b->term);
    case SPARQL_EXPR_BUILTIN:
        if (a->builtin != b->builtin)
            return false;
        break;
    case SPARQL_EXPR_FUNCTION:
        if (strcmp(a->iri, b->iri) != 0)
            return false;
        break;
    case SPARQL_EXPR_EXISTS:
    case SPARQL_EXPR_NOT_EXISTS:
        return false;
    default:
        break;
    }
    for (size_t i = 0; i < a->n_args; i++)
        if (!expr_equal(a->args[i], b->args[i]))
            return false;
    return true;
}

static bool aggregate_equal(const sparql_aggregate *a, const sparql_aggregate *b)
{
    if (a->kind != b->kind || a->distinct != b->distinct)
        return false;
    if (a->kind == SPARQL_AGG_CUSTOM && strcmp(a->iri, b->iri) != 0)
        return false;
    if ((a->separator == NULL) != (b->separator == NULL) ||
        (a->separator && strcmp(a->separator, b->separator) != 0))
        return false;
    return expr_equal(a->expr, b->expr);
}

/* The variable of aggregate a in ctx: an equal one's, or a new slot. */
static sparql_expr *aggregate_slot(parser *P, select_ctx *ctx, sparql_aggregate *a)
{
    for (size_t i = 0; i < ctx->n_aggs; i++)
        if (aggregate_equal(&ctx->aggs[i], a))
            return expr_var(P, ctx->aggs[i].var);
    a->var = hidden_var(P, '.', P->n_aggvars++);
    sparql_aggregate *slot = push(P, &ctx->aggs, &ctx->n_aggs, &ctx->cap_aggs, sizeof *slot);
    *slot = *a;
    return expr_var(P, a->var);
}

static sparql_expr *parse_aggregate(parser *P, int which)
{
    int line = P->tok.line, col = P->tok.col;
    select_ctx *ctx = P->agg;
    if (!ctx)
        fail_at(P, line, col, "aggregate %s is not allowed here", aggregates[which].name);
    next(P);
    sparql_aggregate a = {0};
    a.kind = aggregates[which].kind;
    expect(P, TOK_LPAREN, "'('");
    a.distinct = accept_word(P, "DISTINCT");
    P->agg = NULL; /* no nested aggregates */
    if (a.kind == SPARQL_AGG_COUNT && accept(P, TOK_STAR))
        a.expr = NULL;
    else
        a.expr = parse_expression(P);
    if (a.kind == SPARQL_AGG_GROUP_CONCAT && accept(P, TOK_SEMI)) {
        expect_word(P, "SEPARATOR");
        expect(P, TOK_EQ, "'='");
        if (!at(P, TOK_STRING))
            fail_expected(P, "a string");
        a.separator = P->tok.text;
        next(P);
    }
    expect(P, TOK_RPAREN, "')'");
    P->agg = ctx;
    return aggregate_slot(P, ctx, &a);
}

/* An extension aggregate (functions.h), iri '(' 'DISTINCT'? Expression ')',
 * written where aggregates are allowed: one slot per distinct aggregate,
 * as for the built-in ones. */
static sparql_expr *parse_custom_aggregate(parser *P, const char *iri)
{
    select_ctx *ctx = P->agg;
    sparql_aggregate a = {.kind = SPARQL_AGG_CUSTOM, .iri = iri};
    expect(P, TOK_LPAREN, "'('");
    a.distinct = accept_word(P, "DISTINCT");
    P->agg = NULL; /* no nested aggregates */
    a.expr = parse_expression(P);
    expect(P, TOK_RPAREN, "')'");
    P->agg = ctx;
    return aggregate_slot(P, ctx, &a);
}

/* 'EXISTS' GroupGraphPattern | 'NOT' 'EXISTS' GroupGraphPattern */
static sparql_expr *parse_exists(parser *P, bool negated)
{
    sparql_expr *e = expr_new(P, negated ? SPARQL_EXPR_NOT_EXISTS : SPARQL_EXPR_EXISTS, 0);
    select_ctx *ctx = P->agg;
    P->agg = NULL;
    e->pattern = parse_group_graph_pattern(P);
    P->agg = ctx;
    return e;
}

/* BuiltInCall */
static sparql_expr *parse_builtin(parser *P, const builtin_def *def)
{
    next(P);
    sparql_expr *e = expr_new(P, SPARQL_EXPR_BUILTIN, 0);
    e->builtin = def->fn;
    if (def->fn == SPARQL_FN_BOUND) {
        expect(P, TOK_LPAREN, "'('");
        if (!at(P, TOK_VAR))
            fail_expected(P, "a variable");
        e->args = sparql_arena_alloc(P->arena, sizeof *e->args);
        e->args[0] = expr_var(P, var_slot(P, P->tok.text));
        e->n_args = 1;
        next(P);
        expect(P, TOK_RPAREN, "')'");
        return e;
    }
    if (def->max == 0) {
        expect(P, TOK_NIL, "'()'");
        return e;
    }
    if (def->min == 0 && def->max == 1 && accept(P, TOK_NIL))
        return e;
    int line = P->tok.line, col = P->tok.col;
    parse_expression_list(P, e, false);
    if (def->max >= 0 && ((int)e->n_args < def->min || (int)e->n_args > def->max)) {
        if (def->min == def->max)
            fail_at(P, line, col, "%s takes %d argument%s, not %zu", def->name, def->min,
                    def->min == 1 ? "" : "s", e->n_args);
        fail_at(P, line, col, "%s takes %d to %d arguments, not %zu", def->name, def->min,
                def->max, e->n_args);
    }
    return e;
}

/* PrimaryExpression */
static sparql_expr *parse_primary(parser *P)
{
    const builtin_def *def;
    int agg;
    if (accept(P, TOK_LPAREN)) {
        sparql_expr *e = parse_expression(P);
        expect(P, TOK_RPAREN, "')'");
        return e;
    }
    if (at(P, TOK_VAR)) {
        sparql_expr *e = expr_var(P, var_slot(P, P->tok.text));
        next(P);
        return e;
    }
    if (at_iri(P)) {
        const char *iri = parse_iri(P);
        if (P->agg && at(P, TOK_LPAREN) && sparql_aggregate_lookup(iri))
            return parse_custom_aggregate(P, iri);
        if (at(P, TOK_LPAREN) || at(P, TOK_NIL)) {
            sparql_expr *e = expr_new(P, SPARQL_EXPR_FUNCTION, 0);
            e->iri = iri;
            parse_expression_list(P, e, true);
            return e;
        }
        return expr_term(P, node_iri(iri));
    }
    if (at(P, TOK_STRING))
        return expr_term(P, parse_rdf_literal(P));
    if (at_number(P))
        return expr_term(P, parse_number(P, 0));
    if (at_boolean(P))
        return expr_term(P, parse_boolean(P));
    if ((def = find_builtin(P)) != NULL)
        return parse_builtin(P, def);
    if ((agg = find_aggregate(P)) >= 0)
        return parse_aggregate(P, agg);
    if (accept_word(P, "EXISTS"))
        return parse_exists(P, false);
    if (accept_word(P, "NOT")) {
        expect_word(P, "EXISTS");
        return parse_exists(P, true);
    }
    fail_expected(P, "an expression");
}

static sparql_expr *parse_unary(parser *P)
{
    sparql_expr_kind k;
    if (at(P, TOK_BANG))
        k = SPARQL_EXPR_NOT;
    else if (at(P, TOK_PLUS))
        k = SPARQL_EXPR_UPLUS;
    else if (at(P, TOK_MINUS))
        k = SPARQL_EXPR_UMINUS;
    else
        return parse_primary(P);
    char sign;
    if (k != SPARQL_EXPR_NOT && at_signed_number(P, &sign)) {
        next(P);
        return expr_term(P, parse_number(P, sign));
    }
    next(P);
    sparql_expr *e = expr_new(P, k, 1);
    e->args[0] = parse_primary(P);
    return e;
}

static sparql_expr *parse_multiplicative(parser *P)
{
    int depth = P->depth;
    sparql_expr *e = parse_unary(P);
    for (;;) {
        if (accept(P, TOK_STAR))
            e = expr_binary(P, SPARQL_EXPR_MUL, e, parse_unary(P));
        else if (accept(P, TOK_SLASH))
            e = expr_binary(P, SPARQL_EXPR_DIV, e, parse_unary(P));
        else
            break;
        enter(P);
    }
    P->depth = depth;
    return e;
}

static sparql_expr *parse_additive(parser *P)
{
    int depth = P->depth;
    sparql_expr *e = parse_multiplicative(P);
    for (;;) {
        if (accept(P, TOK_PLUS))
            e = expr_binary(P, SPARQL_EXPR_ADD, e, parse_multiplicative(P));
        else if (accept(P, TOK_MINUS))
            e = expr_binary(P, SPARQL_EXPR_SUB, e, parse_multiplicative(P));
        else
            break;
        enter(P);
    }
    P->depth = depth;
    return e;
}

static sparql_expr *parse_relational(parser *P)
{
    static const struct {
        sparql_tok_kind tok;
        sparql_expr_kind kind;
    } ops[] = {{TOK_EQ, SPARQL_EXPR_EQ}, {TOK_NE, SPARQL_EXPR_NE}, {TOK_LT, SPARQL_EXPR_LT},
               {TOK_GT, SPARQL_EXPR_GT}, {TOK_LE, SPARQL_EXPR_LE}, {TOK_GE, SPARQL_EXPR_GE}};
    sparql_expr *e = parse_additive(P);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (accept(P, ops[i].tok))
            return expr_binary(P, ops[i].kind, e, parse_additive(P));
    bool in = at_word(P, "IN");
    if (in || at_word(P, "NOT")) {
        next(P);
        if (!in)
            expect_word(P, "IN");
        sparql_expr *list = expr_new(P, in ? SPARQL_EXPR_IN : SPARQL_EXPR_NOT_IN, 1);
        list->args[0] = e;
        parse_expression_list(P, list, false);
        return list;
    }
    return e;
}

static sparql_expr *parse_and(parser *P)
{
    int depth = P->depth;
    sparql_expr *e = parse_relational(P);
    while (accept(P, TOK_AND)) {
        e = expr_binary(P, SPARQL_EXPR_AND, e, parse_relational(P));
        enter(P);
    }
    P->depth = depth;
    return e;
}

static sparql_expr *parse_expression(parser *P)
{
    int depth = P->depth;
    enter(P);
    sparql_expr *e = parse_and(P);
    while (accept(P, TOK_OR)) {
        e = expr_binary(P, SPARQL_EXPR_OR, e, parse_and(P));
        enter(P);
    }
    P->depth = depth;
    return e;
}

/* Constraint ::= BrackettedExpression | BuiltInCall | FunctionCall */
static sparql_expr *parse_constraint(parser *P)
{
    if (at(P, TOK_LPAREN))
        return parse_primary(P);
    if (find_builtin(P) || find_aggregate(P) >= 0 || at_word(P, "EXISTS") || at_word(P, "NOT"))
        return parse_primary(P);
    if (at_iri(P)) {
        const char *iri = parse_iri(P);
        sparql_expr *e = expr_new(P, SPARQL_EXPR_FUNCTION, 0);
        e->iri = iri;
        if (!at(P, TOK_LPAREN) && !at(P, TOK_NIL))
            fail_expected(P, "'(' after the function IRI");
        parse_expression_list(P, e, true);
        return e;
    }
    fail_expected(P, "a constraint: '(', a built-in call or a function call");
}

/* ---- VALUES ----------------------------------------------------------------------- */

/* DataBlockValue ::= iri | RDFLiteral | NumericLiteral | BooleanLiteral | 'UNDEF' */
static sparql_node parse_data_value(parser *P)
{
    char sign;
    if (accept_word(P, "UNDEF")) {
        sparql_node n = {0};
        n.var = -1;
        return n;
    }
    if (at_iri(P))
        return node_iri(parse_iri(P));
    if (at(P, TOK_STRING))
        return parse_rdf_literal(P);
    if (at_number(P))
        return parse_number(P, 0);
    if (at_signed_number(P, &sign)) {
        next(P);
        return parse_number(P, sign);
    }
    if (at_boolean(P))
        return parse_boolean(P);
    fail_expected(P, "a value or UNDEF");
}

/* DataBlock ::= InlineDataOneVar | InlineDataFull, after 'VALUES'. */
static sparql_pattern *parse_data_block(parser *P)
{
    sparql_pattern *t = op_new(P, SPARQL_OP_TABLE);
    size_t cap_vars = 0, n_values = 0, cap_values = 0;
    if (at(P, TOK_VAR)) {
        int *v = push(P, &t->vars, &t->n_vars, &cap_vars, sizeof *v);
        *v = var_slot(P, P->tok.text);
        next(P);
        expect(P, TOK_LBRACE, "'{'");
        while (!accept(P, TOK_RBRACE)) {
            sparql_node *n = push(P, &t->rows, &n_values, &cap_values, sizeof *n);
            *n = parse_data_value(P);
            t->n_rows++;
        }
        return t;
    }
    if (!accept(P, TOK_NIL)) {
        expect(P, TOK_LPAREN, "a variable or '('");
        while (at(P, TOK_VAR)) {
            int *v = push(P, &t->vars, &t->n_vars, &cap_vars, sizeof *v);
            *v = var_slot(P, P->tok.text);
            next(P);
        }
        expect(P, TOK_RPAREN, "a variable or ')'");
    }
    expect(P, TOK_LBRACE, "'{'");
    while (!accept(P, TOK_RBRACE)) {
        int line = P->tok.line, col = P->tok.col;
        size_t got = 0;
        if (!accept(P, TOK_NIL)) {
            expect(P, TOK_LPAREN, "'(' or '}'");
            while (!accept(P, TOK_RPAREN)) {
                sparql_node *n = push(P, &t->rows, &n_values, &cap_values, sizeof *n);
                *n = parse_data_value(P);
                got++;
            }
        }
        if (got != t->n_vars)
            fail_at(P, line, col, "VALUES row has %zu value%s for %zu variable%s", got,
                    got == 1 ? "" : "s", t->n_vars, t->n_vars == 1 ? "" : "s");
        t->n_rows++;
    }
    return t;
}

/* ---- group graph patterns (§18.2.2.6) ------------------------------------------------ */

typedef struct {
    sparql_pattern *g;
    sparql_expr **filters;
    size_t n_filters, cap_filters;
    triples_block blk;
} group_state;

static void group_flush(parser *P, group_state *gs)
{
    if (gs->blk.n)
        gs->g = op_join(P, gs->g, block_translate(P, &gs->blk));
    gs->blk.n = 0;
    gs->blk.n_paths = 0;
    gs->blk.id = 0;
}

static void check_not_in_scope(parser *P, const sparql_pattern *p, int var, int line, int col,
                               const char *what)
{
    bool *scope = sparql_arena_alloc(P->arena, P->q->n_vars + 1);
    sparql_pattern_scope(p, scope);
    if (scope[var])
        fail_at(P, line, col, "%s ?%s is already in scope", what, P->q->var_names[var]);
}

static sparql_pattern *parse_subselect(parser *P);

/* GroupOrUnionGraphPattern ::= GroupGraphPattern ( 'UNION' GroupGraphPattern )* */
static sparql_pattern *parse_group_or_union(parser *P)
{
    int depth = P->depth;
    sparql_pattern *p = parse_group_graph_pattern(P);
    while (accept_word(P, "UNION")) {
        sparql_pattern *u = op_new(P, SPARQL_OP_UNION);
        u->left = p;
        u->right = parse_group_graph_pattern(P);
        p = u;
        enter(P);
    }
    P->depth = depth;
    return p;
}

/* One GraphPatternNotTriples element; returns false if none starts here. */
static bool parse_group_element(parser *P, group_state *gs)
{
    if (accept_word(P, "FILTER")) {
        select_ctx *ctx = P->agg;
        P->agg = NULL;
        sparql_expr **slot = push(P, &gs->filters, &gs->n_filters, &gs->cap_filters, sizeof *slot);
        *slot = parse_constraint(P);
        P->agg = ctx;
        return true;
    }
    if (at(P, TOK_LBRACE)) {
        group_flush(P, gs);
        gs->g = op_join(P, gs->g, parse_group_or_union(P));
        return true;
    }
    if (accept_word(P, "OPTIONAL")) {
        group_flush(P, gs);
        bool own_filter;
        sparql_pattern *a = parse_group(P, &own_filter);
        sparql_pattern *lj = op_new(P, SPARQL_OP_LEFTJOIN);
        lj->left = gs->g;
        /* only the OPTIONAL group's own FILTERs become the LeftJoin
         * expression, not those of a group nested in it (dawg-optional-
         * filter-005-not-simplified): the spec simplifies Join(Z, A) only
         * after the translation */
        if (own_filter) {
            lj->right = a->left;
            lj->exprs = a->exprs;
            lj->n_exprs = a->n_exprs;
        } else {
            lj->right = a;
        }
        gs->g = lj;
        return true;
    }
    if (accept_word(P, "MINUS")) {
        group_flush(P, gs);
        sparql_pattern *m = op_new(P, SPARQL_OP_MINUS);
        m->left = gs->g;
        m->right = parse_group_graph_pattern(P);
        gs->g = m;
        return true;
    }
    bool graph = at_word(P, "GRAPH");
    if (graph || at_word(P, "SERVICE")) {
        next(P);
        group_flush(P, gs);
        sparql_pattern *p = op_new(P, graph ? SPARQL_OP_GRAPH : SPARQL_OP_SERVICE);
        if (!graph)
            p->silent = accept_word(P, "SILENT");
        if (at(P, TOK_VAR)) {
            p->name = node_var(var_slot(P, P->tok.text));
            next(P);
        } else {
            p->name = node_iri(parse_iri(P));
        }
        const char *start = P->tok.start;
        p->left = parse_group_graph_pattern(P);
        if (!graph)
            p->service_text = sparql_arena_strndup(P->arena, start, (size_t)(P->prev_end - start));
        gs->g = op_join(P, gs->g, p);
        return true;
    }
    if (accept_word(P, "BIND")) {
        group_flush(P, gs);
        expect(P, TOK_LPAREN, "'('");
        select_ctx *ctx = P->agg;
        P->agg = NULL;
        sparql_expr *e = parse_expression(P);
        P->agg = ctx;
        expect_word(P, "AS");
        if (!at(P, TOK_VAR))
            fail_expected(P, "a variable");
        int vline = P->tok.line, vcol = P->tok.col;
        int var = var_slot(P, P->tok.text);
        next(P);
        expect(P, TOK_RPAREN, "')'");
        check_not_in_scope(P, gs->g, var, vline, vcol, "BIND variable");
        sparql_pattern *x = op_unary(P, SPARQL_OP_EXTEND, gs->g);
        x->var = var;
        x->exprs = sparql_arena_alloc(P->arena, sizeof *x->exprs);
        x->exprs[0] = e;
        x->n_exprs = 1;
        gs->g = x;
        return true;
    }
    if (accept_word(P, "VALUES")) {
        group_flush(P, gs);
        gs->g = op_join(P, gs->g, parse_data_block(P));
        return true;
    }
    return false;
}

/* GroupGraphPattern ::= '{' ( SubSelect | GroupGraphPatternSub ) '}'
 * *own_filter tells whether the result is the Filter of this group's own
 * FILTER elements. */
static sparql_pattern *parse_group(parser *P, bool *own_filter)
{
    *own_filter = false;
    enter(P);
    expect(P, TOK_LBRACE, "'{'");
    if (at_word(P, "SELECT")) {
        sparql_pattern *sub = parse_subselect(P);
        expect(P, TOK_RBRACE, "'}'");
        leave(P);
        return sub;
    }
    int depth = P->depth;
    group_state gs = {0};
    gs.g = op_new(P, SPARQL_OP_BGP);
    bool after_triples = false; /* a triples run without its closing '.' */
    for (;;) {
        if (accept(P, TOK_RBRACE))
            break;
        if (at_triples_start(P)) {
            if (after_triples)
                fail_expected(P, "'.' or '}'");
            parse_triples_same_subject(P, &gs.blk, true);
            after_triples = !accept(P, TOK_DOT);
            continue;
        }
        /* every element but FILTER wraps the group so far (and ends the
         * current basic graph pattern, see group_flush) */
        if (!at_word(P, "FILTER"))
            enter(P);
        if (!parse_group_element(P, &gs))
            fail_expected(P, after_triples ? "'.' or '}'"
                                           : "a triple pattern, a graph pattern keyword or '}'");
        after_triples = false;
        accept(P, TOK_DOT);
    }
    group_flush(P, &gs);
    sparql_pattern *g = gs.g;
    if (gs.n_filters) {
        g = op_unary(P, SPARQL_OP_FILTER, g);
        g->exprs = gs.filters;
        g->n_exprs = gs.n_filters;
        *own_filter = true;
    }
    P->depth = depth - 1;
    return g;
}

static sparql_pattern *parse_group_graph_pattern(parser *P)
{
    bool own_filter;
    return parse_group(P, &own_filter);
}

/* ---- solution modifiers and the query forms (§18.2.4) ----------------------------- */

static void parse_select_clause(parser *P, select_ctx *ctx)
{
    ctx->line = P->tok.line;
    ctx->col = P->tok.col;
    expect_word(P, "SELECT");
    if (accept_word(P, "DISTINCT"))
        ctx->distinct = true;
    else if (accept_word(P, "REDUCED"))
        ctx->reduced = true;
    if (accept(P, TOK_STAR)) {
        ctx->star = true;
        return;
    }
    select_ctx *outer = P->agg;
    P->agg = ctx;
    do {
        select_item *it;
        if (at(P, TOK_VAR)) {
            it = push(P, &ctx->items, &ctx->n_items, &ctx->cap_items, sizeof *it);
            it->var = var_slot(P, P->tok.text);
            it->line = P->tok.line;
            it->col = P->tok.col;
            next(P);
        } else if (accept(P, TOK_LPAREN)) {
            sparql_expr *e = parse_expression(P);
            expect_word(P, "AS");
            if (!at(P, TOK_VAR))
                fail_expected(P, "a variable");
            it = push(P, &ctx->items, &ctx->n_items, &ctx->cap_items, sizeof *it);
            it->var = var_slot(P, P->tok.text);
            it->expr = e;
            it->line = P->tok.line;
            it->col = P->tok.col;
            next(P);
            expect(P, TOK_RPAREN, "')'");
        } else {
            fail_expected(P, ctx->n_items ? "a variable, '(' or 'WHERE'" : "a variable, '(' or '*'");
        }
    } while (at(P, TOK_VAR) || at(P, TOK_LPAREN));
    P->agg = outer;
}

static int64_t parse_count(parser *P, const char *what)
{
    if (!at(P, TOK_INTEGER))
        fail_expected(P, what);
    int64_t v = 0;
    for (const char *c = P->tok.text; *c; c++) {
        if (v > (INT64_MAX - 9) / 10)
            fail_at(P, P->tok.line, P->tok.col, "%s is too large", what);
        v = v * 10 + (*c - '0');
    }
    next(P);
    return v;
}

/* SolutionModifier ::= GroupClause? HavingClause? OrderClause? LimitOffsetClauses? */
static void parse_solution_modifier(parser *P, select_ctx *ctx)
{
    select_ctx *outer = P->agg;
    if (accept_word(P, "GROUP")) {
        expect_word(P, "BY");
        ctx->has_group = true;
        P->agg = NULL;
        do {
            sparql_group_key *k = push(P, &ctx->keys, &ctx->n_keys, &ctx->cap_keys, sizeof *k);
            k->var = -1;
            if (at(P, TOK_VAR)) {
                k->var = var_slot(P, P->tok.text);
                k->expr = expr_var(P, k->var);
                next(P);
            } else if (accept(P, TOK_LPAREN)) {
                k->expr = parse_expression(P);
                if (accept_word(P, "AS")) {
                    if (!at(P, TOK_VAR))
                        fail_expected(P, "a variable");
                    k->var = var_slot(P, P->tok.text);
                    next(P);
                } else if (k->expr->kind == SPARQL_EXPR_VAR) {
                    k->var = k->expr->var;
                }
                expect(P, TOK_RPAREN, "')'");
            } else {
                k->expr = parse_constraint(P);
            }
        } while (at(P, TOK_VAR) || at(P, TOK_LPAREN) || at_iri(P) || find_builtin(P));
    }
    P->agg = ctx;
    if (accept_word(P, "HAVING")) {
        do {
            sparql_expr **slot = push(P, &ctx->having, &ctx->n_having, &ctx->cap_having, sizeof *slot);
            *slot = parse_constraint(P);
        } while (at(P, TOK_LPAREN) || at_iri(P) || find_builtin(P) || find_aggregate(P) >= 0 ||
                 at_word(P, "EXISTS") || at_word(P, "NOT"));
    }
    if (accept_word(P, "ORDER")) {
        expect_word(P, "BY");
        do {
            sparql_order_key *k = push(P, &ctx->order, &ctx->n_order, &ctx->cap_order, sizeof *k);
            bool desc = at_word(P, "DESC");
            if (desc || at_word(P, "ASC")) {
                next(P);
                if (!at(P, TOK_LPAREN))
                    fail_expected(P, "'('");
                k->expr = parse_primary(P);
                k->descending = desc;
            } else if (at(P, TOK_VAR)) {
                k->expr = expr_var(P, var_slot(P, P->tok.text));
                next(P);
            } else {
                k->expr = parse_constraint(P);
            }
        } while (at(P, TOK_VAR) || at(P, TOK_LPAREN) || at_iri(P) || find_builtin(P) ||
                 find_aggregate(P) >= 0 || at_word(P, "ASC") || at_word(P, "DESC") ||
                 at_word(P, "EXISTS") || at_word(P, "NOT"));
    }
    P->agg = outer;
    ctx->limit = -1;
    ctx->offset = 0;
    bool seen_limit = false, seen_offset = false;
    for (int i = 0; i < 2; i++) {
        if (!seen_limit && accept_word(P, "LIMIT")) {
            ctx->limit = parse_count(P, "an integer after LIMIT");
            seen_limit = true;
        } else if (!seen_offset && accept_word(P, "OFFSET")) {
            ctx->offset = parse_count(P, "an integer after OFFSET");
            seen_offset = true;
        }
    }
}

/* Checks that the variables of e outside aggregates are grouping variables
 * (or assigned by earlier SELECT expressions, marked in ok). */
static void check_grouped_expr(parser *P, const sparql_expr *e, const bool *ok, int line, int col)
{
    if (e->kind == SPARQL_EXPR_VAR) {
        if (!ok[e->var] && !P->q->var_hidden[e->var])
            fail_at(P, line, col, "variable ?%s is used outside an aggregate but is not grouped",
                    P->q->var_names[e->var]);
        return;
    }
    if (e->kind == SPARQL_EXPR_EXISTS || e->kind == SPARQL_EXPR_NOT_EXISTS)
        return;
    for (size_t i = 0; i < e->n_args; i++)
        check_grouped_expr(P, e->args[i], ok, line, col);
}

/* §18.2.4: the WHERE pattern with grouping, HAVING, VALUES, SELECT
 * expressions and ORDER BY applied; with project true also Project,
 * DISTINCT/REDUCED and Slice. */
static sparql_pattern *translate_modifiers(parser *P, select_ctx *ctx, sparql_pattern *p,
                                           bool project)
{
    size_t nv = P->q->n_vars + 1;
    bool *where_scope = sparql_arena_alloc(P->arena, nv);
    sparql_pattern_scope(p, where_scope);
    bool grouped = ctx->has_group || ctx->n_aggs > 0;
    bool *ok = sparql_arena_alloc(P->arena, nv);
    if (grouped) {
        if (ctx->star && project)
            fail_at(P, ctx->line, ctx->col, "SELECT * is not allowed with GROUP BY or aggregates");
        sparql_pattern *g = op_unary(P, SPARQL_OP_GROUP, p);
        g->keys = ctx->keys;
        g->n_keys = ctx->n_keys;
        g->aggregates = ctx->aggs;
        g->n_aggregates = ctx->n_aggs;
        for (size_t i = 0; i < ctx->n_keys; i++)
            if (ctx->keys[i].var >= 0)
                ok[ctx->keys[i].var] = true;
        p = g;
    }
    if (ctx->n_having) {
        p = op_unary(P, SPARQL_OP_FILTER, p);
        p->exprs = ctx->having;
        p->n_exprs = ctx->n_having;
    }
    if (ctx->values)
        p = op_join(P, p, ctx->values);
    bool *assigned = sparql_arena_alloc(P->arena, nv);
    for (size_t i = 0; i < ctx->n_items; i++) {
        select_item *it = &ctx->items[i];
        if (!it->expr) {
            if (grouped && !ok[it->var])
                fail_at(P, it->line, it->col, "variable ?%s is projected but not grouped",
                        P->q->var_names[it->var]);
            continue;
        }
        if (where_scope[it->var] || assigned[it->var] || (grouped && ok[it->var]))
            fail_at(P, it->line, it->col, "variable ?%s is already in scope",
                    P->q->var_names[it->var]);
        if (grouped)
            check_grouped_expr(P, it->expr, ok, it->line, it->col);
        assigned[it->var] = true;
        ok[it->var] = true;
        sparql_pattern *x = op_unary(P, SPARQL_OP_EXTEND, p);
        x->var = it->var;
        x->exprs = sparql_arena_alloc(P->arena, sizeof *x->exprs);
        x->exprs[0] = it->expr;
        x->n_exprs = 1;
        p = x;
    }
    if (ctx->n_order) {
        p = op_unary(P, SPARQL_OP_ORDER, p);
        p->order = ctx->order;
        p->n_order = ctx->n_order;
    }
    if (!project)
        return p;
    sparql_pattern *pr = op_unary(P, SPARQL_OP_PROJECT, p);
    size_t cap = 0;
    if (ctx->star) {
        bool *scope = sparql_arena_alloc(P->arena, nv);
        sparql_pattern_scope(p, scope);
        for (size_t v = 0; v < P->q->n_vars; v++)
            if (scope[v] && !P->q->var_hidden[v]) {
                int *slot = push(P, &pr->vars, &pr->n_vars, &cap, sizeof *slot);
                *slot = (int)v;
            }
    } else {
        for (size_t i = 0; i < ctx->n_items; i++) {
            bool dup = false;
            for (size_t j = 0; j < pr->n_vars; j++)
                dup |= pr->vars[j] == ctx->items[i].var;
            if (dup)
                continue;
            int *slot = push(P, &pr->vars, &pr->n_vars, &cap, sizeof *slot);
            *slot = ctx->items[i].var;
        }
    }
    p = pr;
    if (ctx->distinct)
        p = op_unary(P, SPARQL_OP_DISTINCT, p);
    else if (ctx->reduced)
        p = op_unary(P, SPARQL_OP_REDUCED, p);
    if (ctx->limit >= 0 || ctx->offset > 0) {
        p = op_unary(P, SPARQL_OP_SLICE, p);
        p->limit = ctx->limit;
        p->offset = ctx->offset;
    }
    return p;
}

static sparql_pattern *parse_where_clause(parser *P)
{
    accept_word(P, "WHERE");
    return parse_group_graph_pattern(P);
}

/* SubSelect ::= SelectClause WhereClause SolutionModifier ValuesClause */
static sparql_pattern *parse_subselect(parser *P)
{
    select_ctx *ctx = sparql_arena_alloc(P->arena, sizeof *ctx);
    parse_select_clause(P, ctx);
    sparql_pattern *where = parse_where_clause(P);
    parse_solution_modifier(P, ctx);
    if (accept_word(P, "VALUES"))
        ctx->values = parse_data_block(P);
    return translate_modifiers(P, ctx, where, true);
}

static void parse_dataset_clauses(parser *P)
{
    sparql_query *q = P->q;
    size_t cap_from = q->n_from, cap_named = q->n_from_named;
    while (accept_word(P, "FROM")) {
        if (accept_word(P, "NAMED")) {
            const char **slot = push(P, &q->from_named, &q->n_from_named, &cap_named, sizeof *slot);
            *slot = parse_iri(P);
        } else {
            const char **slot = push(P, &q->from, &q->n_from, &cap_from, sizeof *slot);
            *slot = parse_iri(P);
        }
    }
}

/* ConstructTemplate ::= '{' ConstructTriples? '}' */
static void parse_construct_template(parser *P)
{
    triples_block blk = {0};
    expect(P, TOK_LBRACE, "'{'");
    P->in_template = true;
    while (!accept(P, TOK_RBRACE)) {
        if (!at_triples_start(P))
            fail_expected(P, "a triple pattern or '}'");
        parse_triples_same_subject(P, &blk, false);
        if (!accept(P, TOK_DOT) && !at(P, TOK_RBRACE))
            fail_expected(P, "'.' or '}'");
    }
    P->in_template = false;
    P->q->construct_template = sparql_arena_alloc(P->arena, (blk.n + 1) * sizeof(sparql_triple));
    for (size_t i = 0; i < blk.n; i++)
        P->q->construct_template[i] = blk.items[i]->triples[0];
    P->q->n_construct = blk.n;
}

/* CONSTRUCT WHERE { TriplesTemplate? }: the template is the pattern. */
static sparql_pattern *parse_construct_where(parser *P)
{
    triples_block blk = {0};
    expect(P, TOK_LBRACE, "'{'");
    while (!accept(P, TOK_RBRACE)) {
        if (!at_triples_start(P))
            fail_expected(P, "a triple pattern or '}'");
        parse_triples_same_subject(P, &blk, false);
        if (!accept(P, TOK_DOT) && !at(P, TOK_RBRACE))
            fail_expected(P, "'.' or '}'");
    }
    P->q->construct_template = sparql_arena_alloc(P->arena, (blk.n + 1) * sizeof(sparql_triple));
    for (size_t i = 0; i < blk.n; i++)
        P->q->construct_template[i] = blk.items[i]->triples[0];
    P->q->n_construct = blk.n;
    return block_translate(P, &blk);
}

static void parse_prologue(parser *P)
{
    for (;;) {
        if (accept_word(P, "BASE")) {
            if (!at(P, TOK_IRI))
                fail_expected(P, "an IRI in <>");
            P->base = sparql_iri_resolve(P->arena, P->base, P->tok.text);
            next(P);
        } else if (accept_word(P, "PREFIX")) {
            if (!at(P, TOK_PNAME) || P->tok.text_len != 0 || P->tok.start[P->tok.len - 1] != ':')
                fail_expected(P, "a prefix name ending in ':'");
            prefix_decl *d = push(P, &P->prefixes, &P->n_prefixes, &P->cap_prefixes, sizeof *d);
            d->name = P->tok.prefix;
            next(P);
            if (!at(P, TOK_IRI))
                fail_expected(P, "an IRI in <>");
            d->iri = sparql_iri_resolve(P->arena, P->base, P->tok.text);
            next(P);
        } else {
            return;
        }
    }
}

/* The prologue as SPARQL text with every IRI resolved, for the queries
 * SERVICE sends (its group keeps the prefixed names as written). */
static const char *prologue_text(parser *P)
{
    size_t len = P->base ? strlen(P->base) + 10 : 1;
    for (size_t i = 0; i < P->n_prefixes; i++)
        len += strlen(P->prefixes[i].name) + strlen(P->prefixes[i].iri) + 14;
    char *text = sparql_arena_alloc(P->arena, len), *end = text;
    *end = 0;
    if (P->base)
        end += sprintf(end, "BASE <%s>\n", P->base);
    for (size_t i = 0; i < P->n_prefixes; i++)
        end += sprintf(end, "PREFIX %s: <%s>\n", P->prefixes[i].name, P->prefixes[i].iri);
    return text;
}

/* Query ::= Prologue ( SelectQuery | ConstructQuery | DescribeQuery | AskQuery ) ValuesClause */
static void parse_query(parser *P)
{
    sparql_query *q = P->q;
    select_ctx *ctx = sparql_arena_alloc(P->arena, sizeof *ctx);
    sparql_pattern *where;
    next(P);
    parse_prologue(P);
    q->base = P->base;
    q->prologue = prologue_text(P);
    q->prefixes = P->prefixes;
    q->n_prefixes = P->n_prefixes;
    if (at_word(P, "SELECT")) {
        q->form = SPARQL_FORM_SELECT;
        parse_select_clause(P, ctx);
        parse_dataset_clauses(P);
        where = parse_where_clause(P);
    } else if (accept_word(P, "CONSTRUCT")) {
        q->form = SPARQL_FORM_CONSTRUCT;
        if (at(P, TOK_LBRACE)) {
            parse_construct_template(P);
            parse_dataset_clauses(P);
            where = parse_where_clause(P);
        } else {
            parse_dataset_clauses(P);
            expect_word(P, "WHERE");
            where = parse_construct_where(P);
        }
    } else if (accept_word(P, "DESCRIBE")) {
        q->form = SPARQL_FORM_DESCRIBE;
        size_t cap = 0;
        if (accept(P, TOK_STAR)) {
            q->describe_all = true;
        } else {
            do {
                sparql_node *n = push(P, &q->describe, &q->n_describe, &cap, sizeof *n);
                if (at(P, TOK_VAR)) {
                    *n = node_var(var_slot(P, P->tok.text));
                    next(P);
                } else {
                    *n = node_iri(parse_iri(P));
                }
            } while (at(P, TOK_VAR) || at_iri(P));
        }
        parse_dataset_clauses(P);
        if (at_word(P, "WHERE") || at(P, TOK_LBRACE))
            where = parse_where_clause(P);
        else
            where = op_new(P, SPARQL_OP_BGP);
    } else if (accept_word(P, "ASK")) {
        q->form = SPARQL_FORM_ASK;
        parse_dataset_clauses(P);
        where = parse_where_clause(P);
    } else {
        fail_expected(P, "SELECT, CONSTRUCT, DESCRIBE or ASK");
    }
    parse_solution_modifier(P, ctx);
    if (accept_word(P, "VALUES"))
        ctx->values = parse_data_block(P);
    if (!at(P, TOK_EOF))
        fail_expected(P, "end of query");
    if (q->form == SPARQL_FORM_SELECT) {
        q->pattern = translate_modifiers(P, ctx, where, true);
        return;
    }
    /* Other forms: modifiers apply, the projection is the form's own
     * (§18.2.4.4: CONSTRUCT, ASK and DESCRIBE project all variables). */
    ctx->star = true;
    bool project = q->form == SPARQL_FORM_DESCRIBE && !q->describe_all;
    sparql_pattern *p = translate_modifiers(P, ctx, where, false);
    if (q->form == SPARQL_FORM_DESCRIBE && project) {
        sparql_pattern *pr = op_unary(P, SPARQL_OP_PROJECT, p);
        size_t cap = 0;
        for (size_t i = 0; i < q->n_describe; i++)
            if (q->describe[i].var >= 0) {
                int *slot = push(P, &pr->vars, &pr->n_vars, &cap, sizeof *slot);
                *slot = q->describe[i].var;
            }
        p = pr;
    }
    if (ctx->limit >= 0 || ctx->offset > 0) {
        p = op_unary(P, SPARQL_OP_SLICE, p);
        p->limit = ctx->limit;
        p->offset = ctx->offset;
    }
    q->pattern = p;
}

/* ---- SPARQL 1.1 Update (§19.8 Update productions) ------------------------------- */

typedef struct {
    sparql_quad *items;
    size_t n, cap;
} quad_list;

/* TriplesTemplate? : triples up to '}' or GRAPH, appended in graph g. */
static void parse_triples_template(parser *P, sparql_node g, quad_list *out)
{
    triples_block blk = {0};
    while (at_triples_start(P)) {
        parse_triples_same_subject(P, &blk, false);
        if (!accept(P, TOK_DOT))
            break;
    }
    for (size_t i = 0; i < blk.n; i++) {
        const sparql_triple *t = &blk.items[i]->triples[0];
        sparql_quad *q = push(P, &out->items, &out->n, &out->cap, sizeof *q);
        *q = (sparql_quad){t->s, t->p, t->o, g};
    }
}

/* QuadPattern / QuadData ::= '{' Quads '}'
 * Quads ::= TriplesTemplate? ( 'GRAPH' VarOrIri '{' TriplesTemplate? '}' '.'? TriplesTemplate? )* */
static void parse_quads(parser *P, quad_list *out)
{
    sparql_node none = {.var = -1};
    expect(P, TOK_LBRACE, "'{'");
    parse_triples_template(P, none, out);
    while (!accept(P, TOK_RBRACE)) {
        if (!accept_word(P, "GRAPH"))
            fail_expected(P, "'.', GRAPH or '}'");
        sparql_node g;
        if (at(P, TOK_VAR)) {
            check_var_allowed(P);
            g = node_var(var_slot(P, P->tok.text));
            next(P);
        } else {
            g = node_iri(parse_iri(P));
        }
        expect(P, TOK_LBRACE, "'{'");
        parse_triples_template(P, g, out);
        expect(P, TOK_RBRACE, "'.' or '}'");
        accept(P, TOK_DOT);
        parse_triples_template(P, none, out);
    }
}

static bool node_same(const sparql_node *a, const sparql_node *b)
{
    if (a->var >= 0 || b->var >= 0)
        return a->var == b->var;
    return a->term.kind == b->term.kind && ck_term_equal(&a->term, &b->term);
}

/* DELETE WHERE: the quad pattern as a graph pattern, each run of quads of
 * one graph a BGP (inside GRAPH for a named one), joined in order. */
static sparql_pattern *quads_to_pattern(parser *P, const sparql_quad *quads, size_t n)
{
    sparql_pattern *result = op_new(P, SPARQL_OP_BGP);
    for (size_t i = 0; i < n;) {
        size_t j = i, cap = 0;
        sparql_pattern *bgp = op_new(P, SPARQL_OP_BGP);
        for (; j < n && node_same(&quads[j].g, &quads[i].g); j++) {
            sparql_triple *t = push(P, &bgp->triples, &bgp->n_triples, &cap, sizeof *t);
            *t = (sparql_triple){quads[j].s, quads[j].p, quads[j].o};
        }
        if (quads[i].g.var >= 0 || quads[i].g.term.kind) {
            sparql_pattern *g = op_unary(P, SPARQL_OP_GRAPH, bgp);
            g->name = quads[i].g;
            bgp = g;
        }
        result = op_join(P, result, bgp);
        i = j;
    }
    return result;
}

/* A template or data block with the rules of its kind (names for messages). */
static void parse_update_block(parser *P, quad_list *out, bool template_terms,
                               const char *no_vars, const char *no_blanks)
{
    P->in_template = template_terms;
    P->no_vars = no_vars;
    P->no_blanks = no_blanks;
    parse_quads(P, out);
    P->in_template = false;
    P->no_vars = P->no_blanks = NULL;
}

/* GraphRef ::= 'GRAPH' iri */
static sparql_graph_ref parse_graph_ref(parser *P)
{
    expect_word(P, "GRAPH");
    return (sparql_graph_ref){SPARQL_GRAPH_IRI, parse_iri(P)};
}

/* GraphRefAll ::= GraphRef | 'DEFAULT' | 'NAMED' | 'ALL' */
static sparql_graph_ref parse_graph_ref_all(parser *P)
{
    if (accept_word(P, "DEFAULT"))
        return (sparql_graph_ref){SPARQL_GRAPH_DEFAULT, NULL};
    if (accept_word(P, "NAMED"))
        return (sparql_graph_ref){SPARQL_GRAPH_NAMED, NULL};
    if (accept_word(P, "ALL"))
        return (sparql_graph_ref){SPARQL_GRAPH_ALL, NULL};
    if (!at_word(P, "GRAPH"))
        fail_expected(P, "GRAPH <iri>, DEFAULT, NAMED or ALL");
    return parse_graph_ref(P);
}

/* GraphOrDefault ::= 'DEFAULT' | 'GRAPH'? iri */
static sparql_graph_ref parse_graph_or_default(parser *P)
{
    if (accept_word(P, "DEFAULT"))
        return (sparql_graph_ref){SPARQL_GRAPH_DEFAULT, NULL};
    accept_word(P, "GRAPH");
    if (!at_iri(P))
        fail_expected(P, "DEFAULT, GRAPH <iri> or <iri>");
    return (sparql_graph_ref){SPARQL_GRAPH_IRI, parse_iri(P)};
}

/* Modify ::= ( 'WITH' iri )? ( DeleteClause InsertClause? | InsertClause )
 *            UsingClause* 'WHERE' GroupGraphPattern
 * entered after WITH iri, or after DELETE / INSERT (deleting, inserting). */
static void parse_modify(parser *P, sparql_update_op *op, bool deleting, bool inserting)
{
    quad_list del = {0}, ins = {0};
    if (!deleting && !inserting) { /* after WITH */
        deleting = accept_word(P, "DELETE");
        if (!deleting && !accept_word(P, "INSERT"))
            fail_expected(P, "DELETE or INSERT");
        inserting = !deleting;
    }
    if (deleting) {
        parse_update_block(P, &del, true, NULL, "a DELETE template");
        inserting = accept_word(P, "INSERT");
    }
    if (inserting)
        parse_update_block(P, &ins, true, NULL, NULL);
    size_t cap_using = 0, cap_named = 0;
    while (accept_word(P, "USING")) {
        if (accept_word(P, "NAMED")) {
            const char **slot = push(P, &op->using_named, &op->n_using_named, &cap_named,
                                     sizeof *slot);
            *slot = parse_iri(P);
        } else {
            const char **slot = push(P, &op->using, &op->n_using, &cap_using, sizeof *slot);
            *slot = parse_iri(P);
        }
    }
    expect_word(P, "WHERE");
    op->kind = SPARQL_UPDATE_MODIFY;
    op->remove = del.items;
    op->n_remove = del.n;
    op->insert = ins.items;
    op->n_insert = ins.n;
    op->where = parse_group_graph_pattern(P);
}

/* Update1 ::= Load | Clear | Drop | Add | Move | Copy | Create | InsertData
 *           | DeleteData | DeleteWhere | Modify */
static void parse_update_op(parser *P)
{
    sparql_update *u = P->update;
    size_t cap = u->n_ops; /* grows by one: the arena keeps old copies, requests are short */
    sparql_update_op *op = push(P, &u->ops, &u->n_ops, &cap, sizeof *op);
    memset(op, 0, sizeof *op);
    P->update_op = (int)u->n_ops;
    op->line = P->tok.line;
    op->col = P->tok.col;
    op->prologue = prologue_text(P);
    quad_list quads = {0};
    if (accept_word(P, "LOAD")) {
        op->kind = SPARQL_UPDATE_LOAD;
        op->silent = accept_word(P, "SILENT");
        if (!at_iri(P))
            fail_expected(P, "the IRI to load");
        op->source = parse_iri(P);
        op->target.kind = SPARQL_GRAPH_DEFAULT;
        if (accept_word(P, "INTO"))
            op->target = parse_graph_ref(P);
    } else if (at_word(P, "CLEAR") || at_word(P, "DROP")) {
        op->kind = at_word(P, "CLEAR") ? SPARQL_UPDATE_CLEAR : SPARQL_UPDATE_DROP;
        next(P);
        op->silent = accept_word(P, "SILENT");
        op->target = parse_graph_ref_all(P);
    } else if (accept_word(P, "CREATE")) {
        op->kind = SPARQL_UPDATE_CREATE;
        op->silent = accept_word(P, "SILENT");
        op->target = parse_graph_ref(P);
    } else if (at_word(P, "ADD") || at_word(P, "MOVE") || at_word(P, "COPY")) {
        op->kind = at_word(P, "ADD")    ? SPARQL_UPDATE_ADD
                   : at_word(P, "MOVE") ? SPARQL_UPDATE_MOVE
                                        : SPARQL_UPDATE_COPY;
        next(P);
        op->silent = accept_word(P, "SILENT");
        op->source_graph = parse_graph_or_default(P);
        expect_word(P, "TO");
        op->target = parse_graph_or_default(P);
    } else if (accept_word(P, "INSERT")) {
        if (accept_word(P, "DATA")) {
            op->kind = SPARQL_UPDATE_INSERT_DATA;
            parse_update_block(P, &quads, true, "INSERT DATA", NULL);
            op->insert = quads.items;
            op->n_insert = quads.n;
        } else {
            parse_modify(P, op, false, true);
        }
    } else if (accept_word(P, "DELETE")) {
        if (accept_word(P, "DATA")) {
            op->kind = SPARQL_UPDATE_DELETE_DATA;
            parse_update_block(P, &quads, true, "DELETE DATA", "DELETE DATA");
            op->remove = quads.items;
            op->n_remove = quads.n;
        } else if (accept_word(P, "WHERE")) {
            op->kind = SPARQL_UPDATE_MODIFY;
            parse_update_block(P, &quads, false, NULL, "DELETE WHERE");
            op->remove = quads.items;
            op->n_remove = quads.n;
            op->where = quads_to_pattern(P, quads.items, quads.n);
        } else {
            parse_modify(P, op, true, false);
        }
    } else if (accept_word(P, "WITH")) {
        op->with = parse_iri(P);
        parse_modify(P, op, false, false);
    } else {
        fail_expected(P, "an update operation (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, "
                         "MOVE, COPY or WITH)");
    }
}

/* Update ::= Prologue ( Update1 ( ';' Update )? )? */
static void parse_update_request(parser *P)
{
    next(P);
    for (;;) {
        parse_prologue(P);
        if (at(P, TOK_EOF))
            break;
        parse_update_op(P);
        if (at(P, TOK_EOF))
            break;
        expect(P, TOK_SEMI, "';' or the end of the request");
    }
    sparql_query *q = P->q;
    q->base = P->base;
    q->prologue = prologue_text(P);
    q->prefixes = P->prefixes;
    q->n_prefixes = P->n_prefixes;
}

/* ---- entry points -------------------------------------------------------------------- */

/* Runs body on a fresh parser over text. Every error longjmps back here,
 * where the arena (and so everything parsed) is freed at once. */
static ck_status parse_text(const char *text, const char *base_iri, bool update,
                            sparql_query **out_query, sparql_update **out_update, ck_error *err)
{
    sparql_arena *arena = sparql_arena_new();
    if (!arena)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    /* volatile: read after longjmp */
    parser *volatile P = malloc(sizeof *P);
    if (!P) {
        sparql_arena_free(arena);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    memset(P, 0, sizeof *P);
    P->arena = arena;
    P->err = err;
    int rc = setjmp(P->jump);
    if (rc != 0) {
        if (rc == 2)
            ck_error_set(err, CK_ERR_NOMEM, "out of memory while parsing the %s",
                         update ? "update" : "query");
        ck_status code = rc == 2 ? CK_ERR_NOMEM : CK_ERR_SYNTAX;
        sparql_arena_free(P->arena);
        free(P);
        return code;
    }
    sparql_arena_set_jump(arena, &P->jump);
    P->q = sparql_arena_alloc(arena, sizeof *P->q);
    P->q->arena = arena;
    if (base_iri)
        P->base = sparql_arena_strdup(arena, base_iri);
    sparql_lexer_init(&P->lx, text, strlen(text), arena);
    if (update) {
        P->update = sparql_arena_alloc(arena, sizeof *P->update);
        P->update->query = P->q;
        parse_update_request(P);
        *out_update = P->update;
    } else {
        parse_query(P);
        *out_query = P->q;
    }
    sparql_arena_set_jump(arena, NULL);
    free(P);
    return CK_OK;
}

ck_status sparql_query_parse(const char *text, const char *base_iri, sparql_query **out,
                             ck_error *err)
{
    if (!out || !text)
        return ck_error_set(err, CK_ERR_INVALID, "sparql_query_parse: no query text");
    *out = NULL;
    return parse_text(text, base_iri, false, out, NULL, err);
}

ck_status sparql_update_parse(const char *text, const char *base_iri, sparql_update **out,
                              ck_error *err)
{
    if (!out || !text)
        return ck_error_set(err, CK_ERR_INVALID, "sparql_update_parse: no update text");
    *out = NULL;
    return parse_text(text, base_iri, true, NULL, out, err);
}

void sparql_update_free(sparql_update *update)
{
    if (update)
        sparql_query_free(update->query);
}
