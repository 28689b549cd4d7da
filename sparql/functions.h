/*
 * functions.h — the built-in functions and operators of SPARQL 1.1 (§17.4,
 * §17.3) and the XSD casts (§17.5), evaluated on already computed argument
 * values, plus the registry of extension functions looked up by IRI.
 *
 * Error semantics: an argument in the ERROR state, or of the wrong kind,
 * makes the result ERROR (a type error), except where the specification
 * says otherwise: BOUND-like tests (isIRI, ...) on errors are errors too,
 * COALESCE skips errors, || and && follow the three-valued logic of
 * §17.2, IN/NOT IN ignore errors when a match is found.
 *
 * Laziness: IF, COALESCE, || and && only evaluate what they need; that is
 * the evaluator's job. The entries here take all arguments evaluated and
 * give the same result, so an evaluator may use them after evaluating
 * lazily (IF: pass the condition and the one branch it chose twice) or for
 * constant folding. BOUND and EXISTS need the solution and are not here.
 *
 * Ownership: arguments are borrowed (the caller clears them); *result must
 * not own anything on entry and is owned by the caller afterwards.
 */
#ifndef CITYKG_SPARQL_FUNCTIONS_H
#define CITYKG_SPARQL_FUNCTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "value.h"

enum sparql_call {
    /* operators (§17.3) */
    SPARQL_CALL_OP_OR, SPARQL_CALL_OP_AND, SPARQL_CALL_OP_NOT,
    SPARQL_CALL_OP_EQ, SPARQL_CALL_OP_NE, SPARQL_CALL_OP_LT, SPARQL_CALL_OP_GT, SPARQL_CALL_OP_LE, SPARQL_CALL_OP_GE,
    SPARQL_CALL_OP_ADD, SPARQL_CALL_OP_SUB, SPARQL_CALL_OP_MUL, SPARQL_CALL_OP_DIV,
    SPARQL_CALL_OP_PLUS, SPARQL_CALL_OP_MINUS, /* unary */
    SPARQL_CALL_OP_IN, SPARQL_CALL_OP_NOT_IN,  /* args[0] IN (args[1..]) */
    /* functional forms and term functions (§17.4.1, §17.4.2) */
    SPARQL_CALL_FN_IF, SPARQL_CALL_FN_COALESCE, SPARQL_CALL_FN_SAMETERM,
    SPARQL_CALL_FN_ISIRI, SPARQL_CALL_FN_ISBLANK, SPARQL_CALL_FN_ISLITERAL, SPARQL_CALL_FN_ISNUMERIC,
    SPARQL_CALL_FN_STR, SPARQL_CALL_FN_LANG, SPARQL_CALL_FN_DATATYPE, SPARQL_CALL_FN_IRI, SPARQL_CALL_FN_BNODE,
    SPARQL_CALL_FN_STRDT, SPARQL_CALL_FN_STRLANG, SPARQL_CALL_FN_UUID, SPARQL_CALL_FN_STRUUID,
    /* strings (§17.4.3) */
    SPARQL_CALL_FN_STRLEN, SPARQL_CALL_FN_SUBSTR, SPARQL_CALL_FN_UCASE, SPARQL_CALL_FN_LCASE,
    SPARQL_CALL_FN_STRSTARTS, SPARQL_CALL_FN_STRENDS, SPARQL_CALL_FN_CONTAINS,
    SPARQL_CALL_FN_STRBEFORE, SPARQL_CALL_FN_STRAFTER, SPARQL_CALL_FN_ENCODE_FOR_URI, SPARQL_CALL_FN_CONCAT,
    SPARQL_CALL_FN_LANGMATCHES, SPARQL_CALL_FN_REGEX, SPARQL_CALL_FN_REPLACE,
    /* numerics (§17.4.4) */
    SPARQL_CALL_FN_ABS, SPARQL_CALL_FN_ROUND, SPARQL_CALL_FN_CEIL, SPARQL_CALL_FN_FLOOR, SPARQL_CALL_FN_RAND,
    /* dates and times (§17.4.5) */
    SPARQL_CALL_FN_NOW, SPARQL_CALL_FN_YEAR, SPARQL_CALL_FN_MONTH, SPARQL_CALL_FN_DAY, SPARQL_CALL_FN_HOURS,
    SPARQL_CALL_FN_MINUTES, SPARQL_CALL_FN_SECONDS, SPARQL_CALL_FN_TIMEZONE, SPARQL_CALL_FN_TZ,
    /* hashes (§17.4.6) */
    SPARQL_CALL_FN_MD5, SPARQL_CALL_FN_SHA1, SPARQL_CALL_FN_SHA256, SPARQL_CALL_FN_SHA384, SPARQL_CALL_FN_SHA512,
    /* casts (§17.5) */
    SPARQL_CAST_STRING, SPARQL_CAST_BOOLEAN, SPARQL_CAST_INTEGER, SPARQL_CAST_DECIMAL,
    SPARQL_CAST_FLOAT, SPARQL_CAST_DOUBLE, SPARQL_CAST_DATETIME, SPARQL_CAST_DATE,
    SPARQL_CALL_COUNT
};

/* Name (the SPARQL keyword, upper case; operators by symbol) and arity;
 * max_args -1 means any number. */
typedef struct {
    const char *name;
    int min_args, max_args;
} sparql_builtin_info;

const sparql_builtin_info *sparql_builtin_describe(enum sparql_call id);
/* The built-in called `name` in a query (case-insensitive keyword, e.g.
 * "strlen", "URI" → IRI); false if there is none. Operators and casts are
 * not found by name. */
bool sparql_builtin_by_name(const char *name, size_t len, enum sparql_call *out);

/* ---- context ------------------------------------------------------------- */

typedef struct sparql_regex_cache sparql_regex_cache;

/* Per-query state of the functions. One per query execution and thread. */
typedef struct {
    const char *base_iri;       /* for IRI()/URI() of relative IRIs; may be NULL */
    sparql_value now;           /* NOW(): fixed when the context is made */
    uint64_t row_scope;         /* solution id: BNODE("x") is one node per row */
    uint64_t query_id;          /* keeps BNODE labels of different queries apart */
    uint64_t bnode_counter;
    struct sparql_bnode_label *labels; /* BNODE(label) map of the current row */
    size_t labels_len, labels_cap;
    uint64_t labels_scope;
    uint64_t rand_state;
    sparql_regex_cache *regex;  /* compiled patterns, keyed by pattern+flags */
    /* State an extension keeps for one query (GeoSPARQL: parsed geometries,
     * GEOS and PROJ contexts); made by the extension on first use and freed
     * with the context through ext_state_free. */
    void *ext_state;
    void (*ext_state_free)(void *state);
} sparql_func_ctx;

/* Initialises ctx: NOW() becomes the current time, RAND() is seeded. False
 * on OOM. base_iri is borrowed. */
bool sparql_func_ctx_init(sparql_func_ctx *ctx, const char *base_iri);
void sparql_func_ctx_free(sparql_func_ctx *ctx);
/* Tells the context that evaluation moved to another solution. */
static inline void sparql_func_ctx_set_row(sparql_func_ctx *ctx, uint64_t row) { ctx->row_scope = row; }

/* ---- calling ------------------------------------------------------------- */

/* Evaluates built-in id. Returns true when *result is a value, false when
 * it is ERROR (type error, wrong argument count, out of memory). */
bool sparql_function_call(enum sparql_call id, sparql_value *args, int nargs,
                          sparql_value *result, sparql_func_ctx *ctx);

/* Helpers for an evaluator that evaluates lazily. */
/* The value of a comparison operator (EQ..GE) from sparql_value_compare:
 * 1 true, 0 false, -1 error. */
int sparql_compare_op(enum sparql_call op, const sparql_value *a, const sparql_value *b);

/* ---- extension functions ------------------------------------------------------------- */

typedef bool (*sparql_ext_fn)(sparql_value *args, int nargs, sparql_value *result,
                              sparql_func_ctx *ctx, void *userdata);

typedef struct {
    const char *iri;     /* borrowed from the registrant: must stay valid */
    sparql_ext_fn fn;
    int min_args, max_args; /* max_args -1: any number */
    void *userdata;
} sparql_ext_function;

/* Registers fn under iri (a later registration of the same IRI replaces
 * the earlier one). The XSD casts are registered from the start under
 * their datatype IRIs. Returns false when the registry (256 entries) is
 * full. Thread-safe; meant for start-up. */
bool sparql_function_register(const char *iri, sparql_ext_fn fn, int min_args, int max_args,
                              void *userdata);
/* The function registered under iri, or NULL. */
const sparql_ext_function *sparql_function_lookup(const char *iri);
/* Looks up iri and calls it; ERROR when unknown or with a wrong arity. */
bool sparql_function_call_iri(const char *iri, sparql_value *args, int nargs,
                              sparql_value *result, sparql_func_ctx *ctx);

/* ---- extension aggregates ----------------------------------------------------------- */

/* An aggregate called by IRI in SELECT, HAVING or ORDER BY of a grouped
 * query (GeoSPARQL's geof:aggUnion, ...). It gets all values of one group
 * at once (after DISTINCT when asked; a group with an error value gets
 * ERROR without a call) and returns true with *result set, or false with
 * ERROR. */
typedef bool (*sparql_ext_aggregate_fn)(const sparql_value *values, size_t n, sparql_value *result,
                                        sparql_func_ctx *ctx, void *userdata);

typedef struct {
    const char *iri; /* borrowed from the registrant: must stay valid */
    sparql_ext_aggregate_fn fn;
    void *userdata;
} sparql_ext_aggregate;

/* Registers an aggregate (a later registration of the same IRI replaces
 * the earlier one); false when the registry (64 entries) is full. The
 * GeoSPARQL aggregates are there from the start. Thread-safe. */
bool sparql_aggregate_register(const char *iri, sparql_ext_aggregate_fn fn, void *userdata);
/* The aggregate registered under iri, or NULL. */
const sparql_ext_aggregate *sparql_aggregate_lookup(const char *iri);

#endif
