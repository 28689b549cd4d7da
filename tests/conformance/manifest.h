/*
 * manifest.h — read a W3C RDF test manifest (Turtle, mf:entries list) into
 * a list of tests the conformance runner can execute.
 *
 * Test IRIs are reported in their published form (assumedTestBase, or
 * https://w3c.github.io/rdf-tests/rdf/rdf11/<suite>/ for suites without
 * one, followed by "manifest.ttl#name"), so they do not depend on where the
 * suites are checked out. The base IRI a test assumes for its input is
 * assumedTestBase followed by the input's path relative to the manifest.
 */
#ifndef CITYKG_TESTS_MANIFEST_H
#define CITYKG_TESTS_MANIFEST_H

#include <stddef.h>

#include <raptor2.h>

typedef enum {
    TEST_POSITIVE_SYNTAX, /* load must succeed */
    TEST_NEGATIVE_SYNTAX, /* load must fail, nothing committed */
    TEST_EVAL,            /* load, dump, compare with the expected result */
    TEST_NEGATIVE_EVAL    /* like negative syntax */
} test_kind;

typedef struct {
    char *iri;          /* published test IRI */
    char *name;         /* mf:name */
    char *type;         /* local name of the rdft: type, e.g. TestTurtleEval */
    test_kind kind;
    const char *format; /* `citykg load --format` value */
    char *action;       /* input file (local path) */
    char *result;       /* expected N-Triples / N-Quads file, eval only */
    char *base;         /* base IRI for the input, NULL if none assumed */
} rdf_test;

typedef struct {
    char *suite;  /* directory name, e.g. rdf-turtle */
    char *label;  /* rdfs:label of the manifest */
    rdf_test *tests;
    size_t n;
} rdf_manifest;

/* Read SUITE_DIR/SUITE/manifest.ttl. Returns 0, or -1 with ERR filled. */
int manifest_load(raptor_world *world, const char *suite_dir,
                  const char *suite, rdf_manifest *out, char *err,
                  size_t errlen);
void manifest_free(rdf_manifest *m);

const char *test_kind_name(test_kind k);

/* The triples of a manifest, for runners of suites whose tests
 * manifest_load does not describe (SPARQL Update). Terms are 'I'ri,
 * 'B'lank or 'L'iteral. */
typedef struct {
    char kind;
    char *s;
} mterm;

typedef struct {
    mterm s, p, o;
} mtriple;

typedef struct {
    mtriple *t;
    size_t n, cap;
    int oom;
} mgraph;

/* Parses the Turtle manifest at PATH (its file: URI is the base). Returns
 * 0, or -1 with ERR filled. */
int manifest_graph_load(raptor_world *world, const char *path, mgraph *g, char *err,
                        size_t errlen);
void manifest_graph_free(mgraph *g);
/* The first object of (S, P, ?o), or NULL. */
const mterm *manifest_object(const mgraph *g, const mterm *s, const char *p);
/* All objects of (S, P, ?o): the first MAX into OUT; returns how many. */
size_t manifest_objects(const mgraph *g, const mterm *s, const char *p, const mterm **out,
                        size_t max);
/* The members of the RDF list starting at HEAD: the first MAX into OUT. */
size_t manifest_list(const mgraph *g, const mterm *head, const mterm **out, size_t max);
/* The local file name of a file: IRI (malloc'd), or NULL. */
char *manifest_local_path(const char *iri);

#endif
