/*
 * term.h — RDF terms and their 64-bit ids.
 *
 * Every term in the store is named by a 64-bit id. The low 4 bits are a type
 * tag, the upper 60 bits a payload:
 *
 *   - dictionary terms (IRIs, literals that cannot be inlined): the payload is
 *     a counter shared by all dictionary kinds, so ids stay small and compress
 *     well as deltas in the quad indexes;
 *   - blank nodes: the payload is a store-wide counter; a blank node needs no
 *     dictionary entry because its label carries no meaning across documents;
 *   - inline values: canonical xsd:integer, xsd:boolean and short xsd:string
 *     literals, numbers (xsd:decimal, xsd:double, xsd:float written as "12.5"
 *     or "1.25E1") and xsd:dateTime values carry their value in the
 *     payload, so filters, aggregates, ORDER BY and output need no
 *     dictionary lookup, and the dictionary holds none of the measured
 *     values that make up most of a city's literals.
 *
 * Inlining is lossless: a literal is inlined only when its payload renders
 * back to exactly its lexical form ("7" but not "07", "1.50" but not
 * "01.5"), so a dump reproduces the loaded text.
 * Id 0 is never a term: it means "unbound" in patterns and "the default graph"
 * in the graph position of a quad.
 */
#ifndef CITYKG_TERM_H
#define CITYKG_TERM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef uint64_t ck_id;

#define CK_DEFAULT_GRAPH ((ck_id)0)

enum ck_tag {
    CK_TAG_NONE = 0,        /* id 0: unbound / default graph */
    CK_TAG_IRI = 1,         /* dictionary */
    CK_TAG_BLANK = 2,       /* counter, no dictionary entry */
    CK_TAG_STRING = 3,      /* dictionary: xsd:string literal */
    CK_TAG_LANG = 4,        /* dictionary: rdf:langString literal */
    CK_TAG_TYPED = 5,       /* dictionary: literal of any other datatype */
    CK_TAG_INT = 8,         /* inline canonical xsd:integer, 60-bit signed */
    CK_TAG_BOOL = 9,        /* inline canonical xsd:boolean */
    CK_TAG_SHORT_STRING = 10, /* inline xsd:string of at most 7 bytes, no NUL */
    CK_TAG_NUMBER = 11,     /* inline xsd:decimal, xsd:double or xsd:float written as a
                               plain decimal ("12.5", "-0.75"), at most 15 digits */
    CK_TAG_DATETIME = 12,   /* inline xsd:dateTime "YYYY-MM-DDThh:mm:ss[.fff][tz]" */
    CK_TAG_SCIENTIFIC = 13  /* inline xsd:double or xsd:float with an exponent
                               ("4.87425E5"), at most 12 digits */
};

static inline enum ck_tag ck_id_tag(ck_id id) { return (enum ck_tag)(id & 0xF); }
static inline uint64_t ck_id_payload(ck_id id) { return id >> 4; }
static inline ck_id ck_id_make(enum ck_tag tag, uint64_t payload)
{
    return (payload << 4) | (uint64_t)tag;
}
static inline bool ck_id_in_dictionary(ck_id id)
{
    enum ck_tag t = ck_id_tag(id);
    return t == CK_TAG_IRI || t == CK_TAG_STRING || t == CK_TAG_LANG || t == CK_TAG_TYPED;
}

typedef enum { CK_TERM_IRI = 1, CK_TERM_BLANK, CK_TERM_LITERAL } ck_term_kind;

/* A term as text. Pointers are borrowed; lengths exclude any terminator.
 * For literals, datatype is NULL for xsd:string and for language-tagged
 * strings (lang non-NULL). */
typedef struct {
    ck_term_kind kind;
    const char *value;     /* IRI, blank node label, or lexical form */
    size_t value_len;
    const char *datatype;  /* datatype IRI, or NULL */
    size_t datatype_len;
    const char *lang;      /* language tag, or NULL */
    size_t lang_len;
} ck_term;

#define CK_XSD "http://www.w3.org/2001/XMLSchema#"
#define CK_XSD_STRING CK_XSD "string"
#define CK_XSD_INTEGER CK_XSD "integer"
#define CK_XSD_BOOLEAN CK_XSD "boolean"
#define CK_RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

/* Normalises a literal's datatype: an explicit xsd:string becomes NULL so that
 * "a" and "a"^^xsd:string are the same term (RDF 1.1). */
void ck_term_normalize(ck_term *term);

/* Tries to inline a literal. Returns true and sets *id when the literal is an
 * inline kind in canonical form. */
bool ck_term_try_inline(const ck_term *term, ck_id *id);

/* Writes an inline id's lexical form into buf (at least 32 bytes) and fills
 * term to borrow it. Returns false if id is not an inline literal. */
bool ck_term_from_inline(ck_id id, ck_term *term, char buf[32]);

/* Whether s (n bytes) is the lexical form of a finite number: an optional
 * sign and digits, then (with fraction) an optional '.' and digits, at
 * least one digit in all, then (with exponent) an optional [eE], sign and
 * digits. xsd:integer: neither; decimal: fraction; double and float: both.
 * No whitespace, no INF or NaN. */
bool ck_number_lexical_ok(const char *s, size_t n, bool fraction, bool exponent);
/* The value of a form ck_number_lexical_ok accepted, correctly rounded to
 * double (as strtod), in *out; false only when out of memory. */
bool ck_number_value(const char *s, size_t n, double *out);

/* Sorts n ids ascending and drops repeats; returns how many are left. */
size_t ck_ids_sort_unique(ck_id *ids, size_t n);

/* Total order used by tests and dumps that need determinism. */
bool ck_term_equal(const ck_term *a, const ck_term *b);

/* Writes the term in N-Triples syntax into a malloc'd string. */
char *ck_term_to_ntriples(const ck_term *term);

/* 64-bit hash of bytes, for dictionary lookups (stored: part of the format). */
uint64_t ck_hash_bytes(const void *data, size_t len, uint64_t seed);

#endif
