/*
 * value.h — an RDF term as the SPARQL expression evaluator sees it.
 *
 * A sparql_value is an IRI, a blank node or a literal, or the ERROR state
 * that stands for "unbound" and for every evaluation error (SPARQL type
 * errors propagate as values, §17.3). Literals of the datatypes SPARQL
 * computes with also carry their parsed value: xsd:integer and the types
 * derived from it, xsd:decimal, xsd:float, xsd:double, xsd:boolean,
 * xsd:dateTime, xsd:date and xsd:time. A literal whose lexical form is not
 * valid for its datatype ("abc"^^xsd:integer) stays a literal, but is not
 * numeric: arithmetic on it is a type error.
 *
 * Ownership: a value owns one heap block (`owned`) that holds every string
 * it points to, except the datatype IRIs of the built-in types and the
 * text of booleans, which point to static constants. sparql_value_clear frees it and leaves ERROR;
 * values are copied with sparql_value_copy, never by assignment (a plain
 * struct copy is a move: clear only one of the two). A zeroed value is a
 * valid ERROR value. Allocation failure turns a result into ERROR.
 *
 * Strings are UTF-8 and carry their length; they are also NUL-terminated.
 */
#ifndef CITYKG_SPARQL_VALUE_H
#define CITYKG_SPARQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datetime.h"
#include "decimal.h"
#include "term.h"

typedef enum {
    SPARQL_VALUE_ERROR = 0, /* unbound, or an evaluation error */
    SPARQL_VALUE_IRI,
    SPARQL_VALUE_BLANK,
    SPARQL_VALUE_LITERAL
} sparql_value_kind;

/* The datatype of a literal as far as evaluation cares. */
typedef enum {
    SPARQL_TYPE_NONE = 0,   /* not a literal */
    SPARQL_TYPE_STRING,     /* simple literal or xsd:string */
    SPARQL_TYPE_LANGSTRING, /* rdf:langString */
    SPARQL_TYPE_INTEGER,    /* xsd:integer or a type derived from it */
    SPARQL_TYPE_DECIMAL,
    SPARQL_TYPE_FLOAT,
    SPARQL_TYPE_DOUBLE,
    SPARQL_TYPE_BOOLEAN,
    SPARQL_TYPE_DATETIME,
    SPARQL_TYPE_DATE,
    SPARQL_TYPE_TIME,
    SPARQL_TYPE_OTHER       /* any other datatype: compared by term only */
} sparql_type;

typedef struct {
    sparql_value_kind kind;
    sparql_type type;      /* literals only */
    bool valid;            /* literal's lexical form parsed as its type */
    const char *lex;       /* IRI, blank node label, or lexical form */
    size_t lex_len;
    const char *datatype;  /* literals: always set (xsd:string for simple) */
    const char *lang;      /* language tag as written, or NULL */
    size_t lang_len;
    union {
        sparql_decimal dec;   /* INTEGER (scale 0) and DECIMAL */
        double d;             /* FLOAT (rounded to float) and DOUBLE */
        bool b;               /* BOOLEAN */
        sparql_datetime dt;   /* DATETIME, DATE, TIME */
    } v;
    char *owned;           /* the heap block behind the strings, or NULL */
} sparql_value;

#define SPARQL_XSD_DECIMAL CK_XSD "decimal"
#define SPARQL_XSD_FLOAT CK_XSD "float"
#define SPARQL_XSD_DOUBLE CK_XSD "double"
#define SPARQL_XSD_DATETIME CK_XSD "dateTime"
#define SPARQL_XSD_DATE CK_XSD "date"
#define SPARQL_XSD_TIME CK_XSD "time"
#define SPARQL_XSD_DAYTIMEDURATION CK_XSD "dayTimeDuration"

/* ---- life cycle --------------------------------------------------------- */

void sparql_value_clear(sparql_value *v);

/* Makes v an ERROR value that owns nothing. Like zeroing it, except the
 * parsed value (most of the struct), which is never read unless valid is
 * set: this runs for every value of every row. */
static inline void sparql_value_init(sparql_value *v)
{
    v->kind = SPARQL_VALUE_ERROR;
    v->type = SPARQL_TYPE_NONE;
    v->valid = false;
    v->lex = NULL;
    v->lex_len = 0;
    v->datatype = NULL;
    v->lang = NULL;
    v->lang_len = 0;
    v->owned = NULL;
}
/* Deep copy; *dst must not own anything yet. False (dst ERROR) on OOM. */
bool sparql_value_copy(sparql_value *dst, const sparql_value *src);

/* Builders. Each overwrites *out (which must not own anything) and copies
 * its text; they return false and leave ERROR when memory runs out or, for
 * literals, when lang and datatype are given together. */
bool sparql_value_set_iri(sparql_value *out, const char *iri, size_t len);
bool sparql_value_set_blank(sparql_value *out, const char *label, size_t len);
/* datatype NULL means xsd:string (or rdf:langString with lang). The value
 * is parsed when the datatype is one of the computed types. */
bool sparql_value_set_literal(sparql_value *out, const char *lex, size_t len,
                              const char *datatype, const char *lang, size_t lang_len);
bool sparql_value_set_string(sparql_value *out, const char *s, size_t len);
bool sparql_value_set_bool(sparql_value *out, bool b);
bool sparql_value_set_int(sparql_value *out, int64_t i);
/* Integer results of arithmetic: canonical xsd:integer text. */
bool sparql_value_set_integer(sparql_value *out, sparql_decimal i);
bool sparql_value_set_decimal(sparql_value *out, sparql_decimal d);
bool sparql_value_set_double(sparql_value *out, double d);
bool sparql_value_set_float(sparql_value *out, double f);
/* kind picks xsd:dateTime, xsd:date or xsd:time; canonical text. */
bool sparql_value_set_datetime(sparql_value *out, const sparql_datetime *dt);

/* ---- terms -------------------------------------------------------------- */

/* From a ck_term (borrowed; the value copies). False on OOM. */
bool sparql_value_from_term(sparql_value *out, const ck_term *term);
/* Fills term to borrow from v (valid while v is). Follows ck_term's
 * convention: datatype NULL for xsd:string and language-tagged strings.
 * False for ERROR. */
bool sparql_value_as_term(const sparql_value *v, ck_term *term);

/* The value of an inline number, boolean or dateTime id (core/term.h)
 * read from its payload, WITHOUT its text: lex is NULL. Such a value is
 * only for readers of the parsed value: sparql_value_compare,
 * sparql_value_ebv, sparql_value_order_values, sparql_value_to_double and
 * sum-like code; sparql_value_copy copies it, sparql_value_as_term refuses
 * it. False (out ERROR) for other ids, and for the rare inline forms whose
 * value the text must give: fields XSD forbids (30 February), 24:00:00,
 * doubles beyond the exact range of one IEEE operation. */
bool sparql_value_from_inline(ck_id id, sparql_value *out);
/* The value of an inline xsd:double id, as sparql_value_from_inline gives
 * it, without the rest of a value: false for any other id (and for the
 * doubles that function leaves to the text). For sums over many rows. */
bool sparql_inline_double(ck_id id, double *out);
/* sparql_value_from_term for t, the term of inline id (ck_term_from_inline),
 * with the parsed value read from the id instead of the text. */
bool sparql_value_from_inline_term(sparql_value *out, ck_id id, const ck_term *t);
/* False only for a literal without text (sparql_value_from_inline). */
bool sparql_value_has_text(const sparql_value *v);

/* ---- tests and comparison ----------------------------------------------- */

static inline bool sparql_value_is_error(const sparql_value *v) { return v->kind == SPARQL_VALUE_ERROR; }
/* A valid literal of a numeric type (isNUMERIC). */
bool sparql_value_is_numeric(const sparql_value *v);
/* Simple literal or xsd:string, or a language-tagged string. */
bool sparql_value_is_string_literal(const sparql_value *v);

/* Effective boolean value (§17.2.2): 1 true, 0 false, -1 type error. */
int sparql_value_ebv(const sparql_value *v);

/* Same RDF term (sameTerm): kind, lexical form, datatype, language. */
bool sparql_value_same_term(const sparql_value *a, const sparql_value *b);

/* Outcome of comparing two values for an operator. */
typedef enum {
    SPARQL_CMP_LT = -1,
    SPARQL_CMP_EQ = 0,
    SPARQL_CMP_GT = 1,
    SPARQL_CMP_NE = 2,     /* known to differ, without an order (=, != only) */
    SPARQL_CMP_ERROR = 3   /* type error: incomparable */
} sparql_cmp;

/* Value comparison as the operators =, != (want_order false) and <, >,
 * <=, >= (want_order true) need it: numerics with type promotion, strings
 * by code point (with equal language tags), booleans, dateTimes with
 * timezones; for =, RDFterm-equal otherwise (§17.4.1.7), which is an error
 * for two different literals of unknown datatypes. */
sparql_cmp sparql_value_compare(const sparql_value *a, const sparql_value *b, bool want_order);

/* The total order of ORDER BY (§15.1): unbound/error < blank nodes < IRIs
 * < literals; literals ordered by value where SPARQL defines it, and by a
 * deterministic tie-break (type, datatype IRI, lexical form, language)
 * otherwise. Returns <0, 0 (same term) or >0. */
int sparql_value_order(const sparql_value *a, const sparql_value *b);

/* sparql_value_order up to its tie-break between different terms of equal
 * value (1 and 1.0): 0 for those. Reads no text of numbers, booleans and
 * dateTimes, so it takes values without text. */
int sparql_value_order_values(const sparql_value *a, const sparql_value *b);

/* The comparison of two inline ids by value (-1, 0, 1 as
 * sparql_value_compare) where their payloads tell it without decoding: two
 * integers, two booleans, two valid dateTimes in one timezone (or both
 * without) with fractions of as many digits. False otherwise. */
bool sparql_inline_compare(ck_id x, ck_id y, int *c);

/* The ORDER BY order (sparql_value_order) of two ids where their inline
 * payloads tell it: the same id, two inline numbers, booleans or dateTimes
 * of different values. False when the terms must be read. */
bool sparql_inline_order(ck_id x, ck_id y, int *c);

/* Numeric value as double (for SUBSTR's arguments, ...). v must be numeric. */
double sparql_value_to_double(const sparql_value *v);
/* The value of a numeric literal term as a double (an index's bound from a
 * query constant); false when the term is not a numeric literal. */
bool sparql_term_to_double(const ck_term *term, double *out);

/* Canonical lexical forms (also used by casts). buf: 40 bytes for doubles. */
size_t sparql_format_double(double d, bool is_float, char *buf);

#endif
