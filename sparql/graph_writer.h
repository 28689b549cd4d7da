/*
 * graph_writer.h — streaming writers of RDF graphs, for the results of
 * CONSTRUCT and DESCRIBE: N-Triples, N-Quads, Turtle, RDF/XML and JSON-LD.
 *
 * A writer is started with the query's base IRI and prefixes, given one
 * triple at a time and finished. It keeps only the current subject (and,
 * for Turtle and JSON-LD, the current predicate), so output of any size
 * streams; triples with the same subject that arrive one after another are
 * grouped, a subject that comes back later starts a new group.
 *
 * Every writer is lossless: parsing the output gives back the same triples
 * (blank nodes up to renaming), with literals in their exact lexical form.
 * That is why Turtle, RDF/XML and JSON-LD are written here and not by
 * raptor (docs/notes.md: raptor's Turtle writer turns "12"^^xsd:double
 * into 12; its RDF/XML writer copies an rdf:XMLLiteral's text unescaped,
 * which breaks the document when the text is not well-formed XML, and
 * skips predicates it cannot split with only a log message; the
 * "rdfxml-abbrev" writer of 2.0.15 writes "ymlns:rdf").
 *
 *   N-Triples  the lines of ck_term_to_ntriples;
 *   N-Quads    the same lines: a CONSTRUCT result is a default graph;
 *   Turtle     @prefix lines from the query, subjects grouped with ';' and
 *              ',', IRIs as prefixed names where the local part is a plain
 *              PN_LOCAL (letters, digits, '_', '-', inner '.'), otherwise
 *              <IRI> (or <#fragment> / <> under a usable base); rdf:type as
 *              'a'; literals in full form, except canonical xsd:integer
 *              ("0", "-12", not "007") and "true"/"false" xsd:boolean;
 *   RDF/XML    one rdf:Description per subject group, one property element
 *              per triple; query prefixes that are XML names are declared
 *              on rdf:RDF, other namespaces on the property element. Some
 *              triples have no RDF/XML form; graph_triple fails for them
 *              (see graph_error): predicates whose IRI does not end in an
 *              XML name, RDF/XML's own names (rdf:li, rdf:about, ...), and
 *              text holding characters XML 1.0 cannot carry (U+0001-U+0008,
 *              U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF);
 *   JSON-LD    JSON-LD 1.1 expanded form: an array of node objects, one per
 *              subject group, with "@id", "@type" (rdf:type to an IRI or
 *              blank node) and full predicate IRIs as keys, values as
 *              {"@id"} or {"@value", "@language" | "@type"} with the
 *              lexical form as a string. A subject may appear in several
 *              node objects (when its triples are not consecutive, or a
 *              predicate comes back after another one); that is valid
 *              expanded JSON-LD and means the union. No @context: the
 *              prefixes and base are not used.
 *
 * Blank node labels are written as they are when they consist of ASCII
 * letters and digits and start with a letter (every label citykg makes:
 * "b12", "c3x...", "f1x2"); in other labels each other byte, and '_', is
 * written as "_XX" (hex), so the renaming is one-to-one and the label is
 * valid in every format (RDF/XML's rdf:nodeID needs an XML name).
 *
 * IRIs with characters RDF forbids (IRI() can compute "a b") are written
 * as ck_term_to_ntriples writes them, with \u escapes in N-Triples and
 * Turtle; parsers may reject those documents, as they reject the IRI.
 *
 * Terms are expected in UTF-8, subjects to be IRIs or blank nodes and
 * predicates IRIs (plan.c drops other template triples); graph_triple
 * fails otherwise, and for a language tag that is not [a-zA-Z]+(-[a-zA-Z0-9]+)*.
 */
#ifndef CITYKG_SPARQL_GRAPH_WRITER_H
#define CITYKG_SPARQL_GRAPH_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "term.h"

typedef enum {
    GRAPH_NTRIPLES, /* application/n-triples */
    GRAPH_NQUADS,   /* application/n-quads */
    GRAPH_TURTLE,   /* text/turtle */
    GRAPH_RDFXML,   /* application/rdf+xml */
    GRAPH_JSONLD    /* application/ld+json */
} graph_format;

/* The format for a name: "ntriples" (or "nt"), "nquads" ("nq"), "turtle"
 * ("ttl"), "rdfxml", "jsonld"; false if unknown. ("xml" and "json" are
 * SELECT/ASK result formats, see results.h, so they are not aliases here.) */
bool graph_format_from_name(const char *name, graph_format *out);
/* The media type of a format. */
const char *graph_media_type(graph_format format);

/* A prefix declared in the query's prologue: name without ':' ("" for the
 * empty prefix), as the SPARQL grammar allows (the same as Turtle's
 * PN_PREFIX), and its absolute namespace IRI. */
typedef struct {
    const char *name;
    const char *iri;
} graph_prefix;

typedef struct graph_writer graph_writer;

/* Starts a graph document on out. base_iri may be NULL; prefixes (n may be
 * 0) are copied, a later one replacing an earlier one of the same name, as
 * in SPARQL. Writes the document's head (Turtle @prefix lines, the RDF/XML
 * root element, JSON-LD's '['). NULL when out of memory. */
graph_writer *graph_begin(FILE *out, graph_format format, const char *base_iri,
                          const graph_prefix *prefixes, size_t n_prefixes);

/* Writes one triple. False if the triple cannot be written in the format
 * or writing failed; graph_error says why, and every later call fails too.
 * A triple is written whole or not at all. */
bool graph_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o);

/* Why the last graph_triple failed, as a message for users; "" if none did. */
const char *graph_error(const graph_writer *w);

/* Ends the document (even after a failed triple, so that what was written
 * stays well-formed where the format allows), flushes out and frees the
 * writer; false if anything failed. NULL is fine (false). */
bool graph_end(graph_writer *w);

#endif
