/*
 * algebra.h — a parsed SPARQL 1.1 query as the algebra of §18.2: the
 * contract between the parser and the executor.
 *
 * Ownership. Everything a sparql_query points to (patterns, expressions,
 * paths, strings, arrays) lives in the query's arena and is freed, all at
 * once, by sparql_query_free. Nothing in a query is shared with the caller
 * or with another query; the executor must treat it as read-only and copy
 * what it wants to rewrite.
 *
 * Variables. Every variable of the query — named ones, blank nodes of the
 * WHERE clause (which act as variables, §18.2.1), variables introduced by
 * the translation of property paths, and one per aggregate — has a slot
 * index 0 .. n_vars-1, so that an executor can keep a solution as an array
 * of term ids indexed by slot. var_names[slot] is the name without '?':
 * labelled blank nodes are named "_:label", anonymous ones (and collection
 * nodes) "?b<n>", variables introduced for path sequences "?p<n>", aggregate
 * results ".<n>" (after Jena's "??0" and "?.0"); none of these can clash with
 * a SPARQL variable name. Such hidden slots are marked in var_hidden and never
 * appear in SELECT *.
 * A subquery shares the slot table with its enclosing query (a variable
 * name has one slot per query); it is evaluated on its own, bottom-up, and
 * its Project node decides which slots carry bindings outside it.
 *
 * Terms. A constant is a ck_term whose strings are arena-owned and
 * NUL-terminated; IRIs are absolute (resolved against BASE or the base IRI
 * given to the parser) whenever a base is known; literals carry their
 * datatype IRI (NULL for plain/xsd:string and for language-tagged ones).
 * In CONSTRUCT templates blank nodes stay CK_TERM_BLANK terms (new per
 * solution; the label, "?b<n>" for anonymous ones, only tells which template
 * positions are the same node); in patterns they are hidden variables.
 */
#ifndef CITYKG_SPARQL_ALGEBRA_H
#define CITYKG_SPARQL_ALGEBRA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"
#include "term.h"

/* ---- arena ------------------------------------------------------------- */

/* Bump allocator owning all memory of one query. On allocation failure it
 * longjmps to *oom_jump when that is set (the parser sets it), else it
 * returns NULL. */
typedef struct sparql_arena sparql_arena;
sparql_arena *sparql_arena_new(void);
void sparql_arena_free(sparql_arena *arena);
void *sparql_arena_alloc(sparql_arena *arena, size_t n);       /* zeroed */
char *sparql_arena_strdup(sparql_arena *arena, const char *s);
char *sparql_arena_strndup(sparql_arena *arena, const char *s, size_t n);
/* Copies the n_old elements of size elem from old into a new block of
 * n_new elements (the old block stays in the arena until it is freed). */
void *sparql_arena_grow(sparql_arena *arena, void *old, size_t n_old, size_t n_new, size_t elem);
void sparql_arena_set_jump(sparql_arena *arena, void *jmp_buf_ptr);

/* ---- nodes ---------------------------------------------------------------- */

/* A position of a triple pattern: a variable slot (var >= 0) or a constant
 * term (var == -1). In VALUES rows, var == -1 with term.kind == 0 is UNDEF. */
typedef struct {
    int var;
    ck_term term;
} sparql_node;

typedef struct {
    sparql_node s, p, o;
} sparql_triple;

/* ---- property paths (§9, §18.2.2.4) --------------------------------------- */

typedef enum {
    SPARQL_PATH_LINK,         /* iri */
    SPARQL_PATH_INVERSE,      /* ^a */
    SPARQL_PATH_SEQ,          /* a / b */
    SPARQL_PATH_ALT,          /* a | b */
    SPARQL_PATH_ZERO_OR_MORE, /* a* */
    SPARQL_PATH_ONE_OR_MORE,  /* a+ */
    SPARQL_PATH_ZERO_OR_ONE,  /* a? */
    SPARQL_PATH_NEGATED       /* !(iri | ^iri ...) */
} sparql_path_kind;

typedef struct sparql_path sparql_path;
struct sparql_path {
    sparql_path_kind kind;
    const char *iri;          /* LINK */
    sparql_path *a, *b;       /* operands; unary kinds use a */
    const char **neg_iris;    /* NEGATED: the excluded predicates */
    bool *neg_inverse;        /* NEGATED: true for ^iri members */
    size_t n_neg;
};

/* ---- expressions (§17) ------------------------------------------------------ */

typedef enum {
    SPARQL_EXPR_VAR,        /* var */
    SPARQL_EXPR_TERM,       /* term */
    SPARQL_EXPR_OR, SPARQL_EXPR_AND,
    SPARQL_EXPR_EQ, SPARQL_EXPR_NE, SPARQL_EXPR_LT, SPARQL_EXPR_GT,
    SPARQL_EXPR_LE, SPARQL_EXPR_GE,
    SPARQL_EXPR_ADD, SPARQL_EXPR_SUB, SPARQL_EXPR_MUL, SPARQL_EXPR_DIV,
    SPARQL_EXPR_NOT, SPARQL_EXPR_UPLUS, SPARQL_EXPR_UMINUS, /* args[0] */
    SPARQL_EXPR_IN, SPARQL_EXPR_NOT_IN,  /* args[0] IN (args[1..]) */
    SPARQL_EXPR_BUILTIN,    /* builtin(args) */
    SPARQL_EXPR_FUNCTION,   /* iri(args), looked up in the function registry */
    SPARQL_EXPR_EXISTS, SPARQL_EXPR_NOT_EXISTS /* pattern, evaluated with the
                                                  current solution substituted */
} sparql_expr_kind;
/* There is no aggregate kind: an aggregate in SELECT, HAVING or ORDER BY is
 * a SPARQL_EXPR_VAR naming the hidden slot its Group node binds. Signed
 * numbers written as literals ("-1") are TERM nodes, not UMINUS. */

/* Built-in calls of §17.4, by keyword. */
typedef enum {
    SPARQL_FN_STR, SPARQL_FN_LANG, SPARQL_FN_LANGMATCHES, SPARQL_FN_DATATYPE,
    SPARQL_FN_BOUND, SPARQL_FN_IRI, SPARQL_FN_URI, SPARQL_FN_BNODE, SPARQL_FN_RAND,
    SPARQL_FN_ABS, SPARQL_FN_CEIL, SPARQL_FN_FLOOR, SPARQL_FN_ROUND, SPARQL_FN_CONCAT,
    SPARQL_FN_STRLEN, SPARQL_FN_UCASE, SPARQL_FN_LCASE, SPARQL_FN_ENCODE_FOR_URI,
    SPARQL_FN_CONTAINS, SPARQL_FN_STRSTARTS, SPARQL_FN_STRENDS, SPARQL_FN_STRBEFORE,
    SPARQL_FN_STRAFTER, SPARQL_FN_YEAR, SPARQL_FN_MONTH, SPARQL_FN_DAY,
    SPARQL_FN_HOURS, SPARQL_FN_MINUTES, SPARQL_FN_SECONDS, SPARQL_FN_TIMEZONE,
    SPARQL_FN_TZ, SPARQL_FN_NOW, SPARQL_FN_UUID, SPARQL_FN_STRUUID, SPARQL_FN_MD5,
    SPARQL_FN_SHA1, SPARQL_FN_SHA256, SPARQL_FN_SHA384, SPARQL_FN_SHA512,
    SPARQL_FN_COALESCE, SPARQL_FN_IF, SPARQL_FN_STRLANG, SPARQL_FN_STRDT,
    SPARQL_FN_SAMETERM, SPARQL_FN_ISIRI, SPARQL_FN_ISURI, SPARQL_FN_ISBLANK,
    SPARQL_FN_ISLITERAL, SPARQL_FN_ISNUMERIC, SPARQL_FN_REGEX, SPARQL_FN_SUBSTR,
    SPARQL_FN_REPLACE,
    SPARQL_FN__COUNT
} sparql_builtin;

/* SSE name of a built-in, as Jena writes it ("str", "langMatches", "isIRI"). */
const char *sparql_builtin_name(sparql_builtin fn);

typedef struct sparql_pattern sparql_pattern;
typedef struct sparql_expr sparql_expr;
struct sparql_expr {
    sparql_expr_kind kind;
    int var;                 /* VAR */
    ck_term term;            /* TERM */
    sparql_builtin builtin;  /* BUILTIN */
    const char *iri;         /* FUNCTION */
    sparql_expr **args;
    size_t n_args;
    sparql_pattern *pattern; /* EXISTS, NOT_EXISTS */
};

/* ---- aggregates (§18.2.4.1) --------------------------------------------------- */

typedef enum {
    SPARQL_AGG_COUNT, SPARQL_AGG_SUM, SPARQL_AGG_MIN, SPARQL_AGG_MAX,
    SPARQL_AGG_AVG, SPARQL_AGG_SAMPLE, SPARQL_AGG_GROUP_CONCAT,
    SPARQL_AGG_CUSTOM /* an extension aggregate, by IRI (functions.h) */
} sparql_agg_kind;

/* One aggregate of a Group node; its value is bound to slot var, and the
 * expressions of SELECT, HAVING and ORDER BY refer to it by that slot. */
typedef struct {
    sparql_agg_kind kind;
    bool distinct;
    sparql_expr *expr;      /* NULL for COUNT(*) */
    const char *separator;  /* GROUP_CONCAT: NULL means " " */
    const char *iri;        /* CUSTOM: the aggregate's IRI */
    int var;
} sparql_aggregate;

/* A GROUP BY key: expr, bound to var when written (expr AS ?var) or when
 * expr is a plain variable (then var is that variable); else var == -1. */
typedef struct {
    sparql_expr *expr;
    int var;
} sparql_group_key;

typedef struct {
    sparql_expr *expr;
    bool descending;
} sparql_order_key;

/* ---- graph patterns and solution modifiers (§18.2) ---------------------------- */

/* The operators and what each field means for them. Semantics are those of
 * §18.5 with these conventions:
 *   - a BGP with no triples is Z, the table with one empty solution (the
 *     translation removes Join(Z, A) and Join(A, Z), so Z remains only as a
 *     whole group, e.g. "{}" or "{ BIND(1 AS ?x) }");
 *   - exprs of FILTER and LEFTJOIN are a conjunction (all must be true;
 *     an error counts as false); a LEFTJOIN without exprs has "true";
 *   - EXTEND binds a variable that is never bound below it (the parser
 *     rejects queries that would); an expression error leaves it unbound;
 *   - GROUP with no keys is the implicit single group of a query that uses
 *     aggregates without GROUP BY (one solution even for empty input);
 *     SELECT, HAVING and ORDER BY refer to an aggregate's value by its slot;
 *   - PATH is only left for the path kinds that are not plain links,
 *     inverse links or sequences: those became triples (§18.2.2.4);
 *   - SLICE offset 0 and limit -1 mean "none". */
typedef enum {
    SPARQL_OP_BGP,      /* triples[n_triples]; n_triples == 0 is the unit table Z */
    SPARQL_OP_PATH,     /* path_s path path_o */
    SPARQL_OP_JOIN,     /* left, right */
    SPARQL_OP_LEFTJOIN, /* left, right, exprs (conjunction; none means true) */
    SPARQL_OP_FILTER,   /* exprs (conjunction) over left */
    SPARQL_OP_UNION,    /* left, right */
    SPARQL_OP_MINUS,    /* left, right */
    SPARQL_OP_GRAPH,    /* name (IRI or variable), left */
    SPARQL_OP_SERVICE,  /* name (IRI or variable), silent, left; service_text is
                           the group as written, '{' to '}', without the prologue */
    SPARQL_OP_EXTEND,   /* left, var := exprs[0] */
    SPARQL_OP_TABLE,    /* VALUES: vars[n_vars], rows[n_rows * n_vars] row-major */
    SPARQL_OP_GROUP,    /* left, keys[n_keys], aggregates[n_aggregates]: Group,
                           Aggregation and AggregateJoin of §18.2.4.1 in one node */
    SPARQL_OP_ORDER,    /* left, order[n_order] */
    SPARQL_OP_PROJECT,  /* left, vars[n_vars]: the visible variables, in order */
    SPARQL_OP_DISTINCT, /* left */
    SPARQL_OP_REDUCED,  /* left */
    SPARQL_OP_SLICE     /* left, offset, limit */
} sparql_op;

struct sparql_pattern {
    sparql_op op;
    sparql_pattern *left, *right;
    sparql_triple *triples;
    size_t n_triples;
    sparql_node path_s, path_o;
    sparql_path *path;
    sparql_expr **exprs;
    size_t n_exprs;
    int var;
    sparql_node name;
    bool silent;
    const char *service_text;
    int *vars;
    size_t n_vars;
    sparql_node *rows;
    size_t n_rows;
    sparql_group_key *keys;
    size_t n_keys;
    sparql_aggregate *aggregates;
    size_t n_aggregates;
    sparql_order_key *order;
    size_t n_order;
    int64_t offset, limit;
};

/* ---- the query ------------------------------------------------------------ */

/* A PREFIX of the prologue: name without ':', IRI resolved. */
typedef struct {
    const char *name;
    const char *iri;
} sparql_prefix;

typedef enum {
    SPARQL_FORM_SELECT, SPARQL_FORM_CONSTRUCT, SPARQL_FORM_ASK, SPARQL_FORM_DESCRIBE
} sparql_form;

typedef struct {
    sparql_arena *arena;     /* owns everything below */
    sparql_form form;
    const char *base;        /* effective base IRI at the end of the prologue, or NULL */
    const char *prologue;    /* BASE and PREFIX lines with resolved IRIs (for SERVICE) */
    const sparql_prefix *prefixes; /* the PREFIXes in order (CONSTRUCT/DESCRIBE output) */
    size_t n_prefixes;
    const char **var_names;  /* slot -> name without '?' */
    bool *var_hidden;
    size_t n_vars;
    /* The algebra: for SELECT the whole chain down from Slice/Distinct/Project;
     * for CONSTRUCT, ASK and DESCRIBE the pattern with its modifiers
     * (ORDER BY, LIMIT, ...) but without a Project, except DESCRIBE whose
     * Project lists the described variables. */
    sparql_pattern *pattern;
    sparql_triple *construct_template; /* CONSTRUCT; blank nodes are terms */
    size_t n_construct;
    sparql_node *describe;   /* DESCRIBE terms and variables; none for DESCRIBE * */
    size_t n_describe;
    bool describe_all;       /* DESCRIBE * */
    const char **from;       /* FROM IRIs */
    size_t n_from;
    const char **from_named; /* FROM NAMED IRIs */
    size_t n_from_named;
} sparql_query;

/* Parses text (UTF-8) as a SPARQL 1.1 query. base_iri (may be NULL) is the
 * base for relative IRIs until a BASE clause says otherwise. On success
 * returns CK_OK and sets *out (free with sparql_query_free). On error returns
 * CK_ERR_SYNTAX with err->message "line:column: expected X, found Y" (or, for
 * the static rules of §18.2, "line:column: <rule broken>"), or CK_ERR_NOMEM;
 * *out is NULL then. NULL text gives CK_ERR_INVALID. Implemented in
 * parser.c. */
ck_status sparql_query_parse(const char *text, const char *base_iri, sparql_query **out,
                             ck_error *err);

/* Frees the query and everything in it. NULL is fine. */
void sparql_query_free(sparql_query *query);

/* Prints the algebra as an SSE S-expression (the syntax Jena uses), one
 * line, e.g. "(project (?s) (bgp (triple ?s ?p ?o)))", then a newline.
 * Hidden variables print as ?_:b0 / ?.0. Non-SELECT forms are wrapped:
 * (construct (template ...) P), (ask P), (describe (?x <iri>) P). Dataset
 * clauses print as (dataset (from <a>) (from_named <b>) ...) around it. */
void sparql_algebra_print(FILE *out, const sparql_query *query);
void sparql_pattern_print(FILE *out, const sparql_query *query, const sparql_pattern *p);
void sparql_expr_print(FILE *out, const sparql_query *query, const sparql_expr *e);

/* Marks in in_scope[0..n_vars-1] the variables in scope of p (§18.2.1). */
void sparql_pattern_scope(const sparql_pattern *p, bool *in_scope);

/* ---- SPARQL 1.1 Update (Update §3, grammar §19.8 of the Query spec) -------- */

/* One quad of a template or a data block. g is the GRAPH of the quad: a
 * variable, an IRI, or (var == -1, term.kind == 0) none, which means the
 * default graph, or the WITH graph of the operation. In INSERT templates
 * and INSERT DATA blank nodes are CK_TERM_BLANK terms (fresh per solution,
 * the label only tells which positions are the same node); DELETE templates
 * and DATA blocks hold none, and DATA blocks hold no variables (the parser
 * rejects both). */
typedef struct {
    sparql_node s, p, o, g;
} sparql_quad;

typedef enum {
    SPARQL_UPDATE_INSERT_DATA,
    SPARQL_UPDATE_DELETE_DATA,
    SPARQL_UPDATE_MODIFY, /* DELETE/INSERT ... WHERE, and DELETE WHERE */
    SPARQL_UPDATE_LOAD,
    SPARQL_UPDATE_CLEAR,
    SPARQL_UPDATE_DROP,
    SPARQL_UPDATE_CREATE,
    SPARQL_UPDATE_ADD,
    SPARQL_UPDATE_MOVE,
    SPARQL_UPDATE_COPY
} sparql_update_kind;

/* A graph an operation names: GRAPH <iri> (or <iri> alone where the grammar
 * allows it), DEFAULT, NAMED (every named graph) or ALL. */
typedef enum {
    SPARQL_GRAPH_IRI, SPARQL_GRAPH_DEFAULT, SPARQL_GRAPH_NAMED, SPARQL_GRAPH_ALL
} sparql_graph_ref_kind;

typedef struct {
    sparql_graph_ref_kind kind;
    const char *iri; /* SPARQL_GRAPH_IRI */
} sparql_graph_ref;

/* One operation of a request. Fields by kind:
 *   INSERT_DATA, DELETE_DATA: insert[n_insert] or remove[n_remove] (ground
 *     quads, blank nodes as terms in INSERT DATA);
 *   MODIFY: with, remove[n_remove], insert[n_insert], using[n_using],
 *     using_named[n_using_named], where (the algebra of the WHERE group;
 *     for DELETE WHERE the quad pattern itself);
 *   LOAD: source, target (SPARQL_GRAPH_DEFAULT without INTO);
 *   CLEAR, DROP: target (any kind); CREATE: target (an IRI);
 *   ADD, MOVE, COPY: source_graph TO target (DEFAULT or an IRI each). */
typedef struct {
    sparql_update_kind kind;
    bool silent;
    int line, col;            /* where the operation starts, for messages */
    sparql_quad *insert, *remove;
    size_t n_insert, n_remove;
    const char *with;
    const char **using, **using_named;
    size_t n_using, n_using_named;
    sparql_pattern *where;
    const char *source;       /* LOAD: the IRI to read */
    sparql_graph_ref source_graph;
    sparql_graph_ref target;
    const char *prologue;     /* BASE and PREFIX in force (for SERVICE in WHERE) */
} sparql_update_op;

/* A parsed update request. query holds what the operations share: the
 * arena owning everything, the variable slots of all WHERE patterns and
 * templates (one table for the request), the base and prefixes at the end. */
typedef struct {
    sparql_query *query;
    sparql_update_op *ops;
    size_t n_ops;
} sparql_update;

/* Parses text as a SPARQL 1.1 Update request (several operations separated
 * by ';', each with its own prologue). Errors as for sparql_query_parse,
 * including the static rules of Update: no variables in INSERT DATA and
 * DELETE DATA, no blank nodes in DELETE DATA, DELETE WHERE and DELETE
 * templates, a blank node label in the INSERT DATA of one operation only.
 * Free with sparql_update_free. Implemented in parser.c. */
ck_status sparql_update_parse(const char *text, const char *base_iri, sparql_update **out,
                              ck_error *err);
void sparql_update_free(sparql_update *update);

#endif
