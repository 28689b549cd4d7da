/*
 * parser.h — recursive-descent parser for the SPARQL 1.1 Query grammar
 * (§19.8), translating to the algebra of §18.2 as it goes.
 *
 * The entry points, sparql_query_parse and sparql_query_free, are declared
 * in algebra.h with the data model they produce; this header adds the IRI
 * resolution the parser uses, for tests and for the executor (which must
 * resolve IRI() calls against the query's base the same way).
 *
 * Besides the grammar the parser enforces the static rules of the spec that
 * the W3C negative syntax tests check:
 *   - a variable assigned by (expr AS ?v) in SELECT must not be in scope in
 *     the WHERE pattern nor assigned earlier in the same SELECT (§18.2.4.4);
 *   - with GROUP BY or aggregates, SELECT * is not allowed and every
 *     projected variable (also inside SELECT expressions, outside
 *     aggregates) must be a grouping variable (§18.2.4.1);
 *   - the variable of BIND must not be in scope of the group so far
 *     (§18.2.2.6, errata);
 *   - aggregates appear only in SELECT, HAVING and ORDER BY, not nested;
 *   - a blank node label is used in one basic graph pattern only (§4.1.4);
 *   - every VALUES row has as many values as there are variables;
 *   - prefixes are declared before use.
 *
 * Limits: trees at most 1000 levels deep (nested groups, brackets and
 * paths, and each element of a left-deep chain such as UNION branches,
 * OPTIONAL/MINUS/BIND elements of one group or operands of || && + *),
 * at most 1000 property-path patterns per triples block. Deeper input is a
 * syntax error, so nothing walking the algebra recursively can overflow the
 * stack.
 */
#ifndef CITYKG_SPARQL_PARSER_H
#define CITYKG_SPARQL_PARSER_H

#include "algebra.h"

/* Resolves ref against base (RFC 3986 §5.2, with dot-segment removal) and
 * returns the result in the arena. base may be NULL: ref comes back as is. */
char *sparql_iri_resolve(sparql_arena *arena, const char *base, const char *ref);

#endif
