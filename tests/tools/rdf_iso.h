/*
 * rdf_iso.h — RDF graph / dataset isomorphism for the test runners.
 *
 * Owns: parsing an RDF file (any raptor syntax) into a set of quads whose
 * terms are interned in a dictionary shared by every dataset of one
 * rdf_iso context, and deciding whether two such datasets are isomorphic
 * (RDF 1.1 Concepts §3.6 / §4: equal up to a bijection of blank nodes).
 *
 * Term equality is exact: IRIs character by character, literals by lexical
 * form, datatype IRI and language tag. Two normalisations, both permitted
 * by RDF 1.1 Concepts: a simple literal "x" is the same term as
 * "x"^^xsd:string, and language tags are compared case-insensitively
 * (§3.3: "lexical representations of language tags MAY be converted to
 * lower case"; the value space of language tags is lower case).
 *
 * The check: ground quads (no blank node) are compared as sorted sets; then
 * blank nodes are coloured by iterated signature refinement (the colour of
 * a blank node is a hash of its own colour and of the quads it occurs in,
 * with the colours of the blank nodes beside it), and the remaining
 * ambiguity is resolved by backtracking: a blank node of the smallest
 * non-trivial colour class is paired with each candidate of the same class
 * in turn, both get a fresh colour, refinement runs again. Every candidate
 * bijection is verified against the quads, so hash collisions can cost time
 * but never give a wrong answer.
 */
#ifndef CITYKG_TESTS_RDF_ISO_H
#define CITYKG_TESTS_RDF_ISO_H

#include <stddef.h>
#include <stdint.h>

/* A term reference inside one dataset:
 *   > 0  ground term id in the context's dictionary (IRI or literal),
 *   < 0  blank node -(i+1), i indexing the dataset's blank node labels,
 *   = 0  the default graph (graph position only). */
typedef int32_t rdf_term_ref;

typedef struct {
    rdf_term_ref t[4]; /* subject, predicate, object, graph */
} rdf_quad;

typedef struct rdf_iso rdf_iso;

typedef struct {
    rdf_quad *quads; /* sorted and without duplicates after loading */
    size_t n, cap;
    char **bnode_labels; /* labels as read, for messages */
    size_t nbnodes, bcap;
    void *bnode_map; /* label -> index, private */
} rdf_dataset;

/* A context: raptor world plus the shared term dictionary. */
rdf_iso *rdf_iso_new(void);
void rdf_iso_free(rdf_iso *iso);

/* Parse FILE with raptor SYNTAX ("ntriples", "nquads", "turtle", "trig",
 * "rdfxml"); BASE may be NULL (the file URI is used). Returns NULL and
 * fills ERR on a parse error or I/O error. */
rdf_dataset *rdf_dataset_load_file(rdf_iso *iso, const char *path,
                                   const char *syntax, const char *base,
                                   char *err, size_t errlen);

/* Same for an in-memory document (base defaults to http://example.org/). */
rdf_dataset *rdf_dataset_load_string(rdf_iso *iso, const char *text,
                                     const char *syntax, char *err,
                                     size_t errlen);

/* An empty dataset, for building test inputs by hand. */
rdf_dataset *rdf_dataset_new(void);
void rdf_dataset_free(rdf_dataset *d);

/* Add a quad (terms already interned) / intern terms. Used by the
 * self-test to build mutated copies; the loaders use them too. */
int rdf_dataset_add(rdf_dataset *d, rdf_quad q);
rdf_term_ref rdf_dataset_bnode(rdf_dataset *d, const char *label);
rdf_term_ref rdf_iso_intern(rdf_iso *iso, const char *ntriples_form);
const char *rdf_iso_term_string(const rdf_iso *iso, rdf_term_ref id);

/* Sort and remove duplicate quads (a dataset is a set). */
void rdf_dataset_normalize(rdf_dataset *d);

/* 1 if A and B are isomorphic, 0 if not (WHY says how they differ, with
 * A taken as the expected dataset), -1 if the search gave up. */
int rdf_dataset_isomorphic(const rdf_iso *iso, const rdf_dataset *a,
                           const rdf_dataset *b, char *why, size_t whylen);

/* Write quad Q of D in N-Quads form into BUF. */
void rdf_quad_format(const rdf_iso *iso, const rdf_dataset *d, rdf_quad q,
                     char *buf, size_t len);

#endif
