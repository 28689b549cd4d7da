/*
 * manifest.c — parse a W3C RDF 1.1 test manifest with raptor and turn its
 * mf:entries into rdf_test records (see manifest.h).
 */
#define _XOPEN_SOURCE 700
#include "manifest.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define RDFT "http://www.w3.org/ns/rdftest#"
#define PUBLISHED "https://w3c.github.io/rdf-tests/rdf/rdf11/"

static char *dup_concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

static int term_copy(mterm *m, const raptor_term *t)
{
    const unsigned char *s = NULL;
    switch (t->type) {
    case RAPTOR_TERM_TYPE_URI:
        m->kind = 'I';
        s = raptor_uri_as_string(t->value.uri);
        break;
    case RAPTOR_TERM_TYPE_BLANK:
        m->kind = 'B';
        s = t->value.blank.string;
        break;
    case RAPTOR_TERM_TYPE_LITERAL:
        m->kind = 'L';
        s = t->value.literal.string;
        break;
    default:
        m->kind = '?';
        s = (const unsigned char *)"";
    }
    m->s = strdup((const char *)s);
    return m->s ? 0 : -1;
}

static void on_triple(void *user_data, raptor_statement *st)
{
    mgraph *g = user_data;
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 256;
        mtriple *t = realloc(g->t, ncap * sizeof *t);
        if (!t) {
            g->oom = 1;
            return;
        }
        g->t = t;
        g->cap = ncap;
    }
    mtriple *t = &g->t[g->n];
    memset(t, 0, sizeof *t);
    if (term_copy(&t->s, st->subject) || term_copy(&t->p, st->predicate) ||
        term_copy(&t->o, st->object)) {
        free(t->s.s);
        free(t->p.s);
        free(t->o.s);
        g->oom = 1;
        return;
    }
    g->n++;
}

static void mgraph_free(mgraph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->t[i].s.s);
        free(g->t[i].p.s);
        free(g->t[i].o.s);
    }
    free(g->t);
}

/* First object of (S, P, ?o), or NULL. */
static const mterm *object_of(const mgraph *g, const mterm *s, const char *p)
{
    for (size_t i = 0; i < g->n; i++) {
        const mtriple *t = &g->t[i];
        if (t->s.kind == s->kind && strcmp(t->s.s, s->s) == 0 &&
            strcmp(t->p.s, p) == 0)
            return &t->o;
    }
    return NULL;
}

/* rdft: type of S (local name), or NULL. */
static const char *rdft_type(const mgraph *g, const mterm *s)
{
    for (size_t i = 0; i < g->n; i++) {
        const mtriple *t = &g->t[i];
        if (t->s.kind == s->kind && strcmp(t->s.s, s->s) == 0 &&
            strcmp(t->p.s, RDF "type") == 0 &&
            strncmp(t->o.s, RDFT, strlen(RDFT)) == 0)
            return t->o.s + strlen(RDFT);
    }
    return NULL;
}

static int kind_of(const char *type, test_kind *k)
{
    size_t n = strlen(type);
    static const struct { const char *suffix; test_kind kind; } map[] = {
        {"PositiveSyntax", TEST_POSITIVE_SYNTAX},
        {"NegativeSyntax", TEST_NEGATIVE_SYNTAX},
        {"NegativeEval", TEST_NEGATIVE_EVAL},
        {"Eval", TEST_EVAL},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t m = strlen(map[i].suffix);
        if (n >= m && strcmp(type + n - m, map[i].suffix) == 0) {
            *k = map[i].kind;
            return 0;
        }
    }
    return -1;
}

static const char *format_of(const char *type)
{
    static const char *map[][2] = {
        {"TestNTriples", "ntriples"}, {"TestNQuads", "nquads"},
        {"TestTurtle", "turtle"},     {"TestTrig", "trig"},
        {"TestXML", "rdfxml"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(type, map[i][0], strlen(map[i][0])) == 0)
            return map[i][1];
    return NULL;
}

const char *test_kind_name(test_kind k)
{
    switch (k) {
    case TEST_POSITIVE_SYNTAX: return "positive syntax";
    case TEST_NEGATIVE_SYNTAX: return "negative syntax";
    case TEST_EVAL: return "eval";
    case TEST_NEGATIVE_EVAL: return "negative eval";
    }
    return "?";
}

/* Where the manifest lives and what it assumes. */
typedef struct {
    const char *dir_uri;   /* file:///.../suite/ */
    const char *published; /* published prefix for test IRIs */
    const char *base;      /* mf:assumedTestBase or NULL */
} manifest_place;

/* IRI relative to the manifest directory, or NULL if outside it. */
static const char *relative(const manifest_place *mp, const char *iri)
{
    size_t n = strlen(mp->dir_uri);
    return strncmp(iri, mp->dir_uri, n) == 0 ? iri + n : NULL;
}

static char *local_path(const char *iri)
{
    char *p = raptor_uri_uri_string_to_filename((const unsigned char *)iri);
    char *copy = p ? strdup(p) : NULL;
    raptor_free_memory(p);
    return copy;
}

static void test_free(rdf_test *t)
{
    free(t->iri);
    free(t->name);
    free(t->type);
    free(t->action);
    free(t->result);
    free(t->base);
}

/* Fill T from the description of ENTRY in G. */
static int read_test(const mgraph *g, const manifest_place *mp,
                     const mterm *entry, rdf_test *t, char *err,
                     size_t errlen)
{
    const char *type = rdft_type(g, entry);
    const mterm *name = object_of(g, entry, MF "name");
    const mterm *action = object_of(g, entry, MF "action");
    const mterm *result = object_of(g, entry, MF "result");
    memset(t, 0, sizeof *t);
    if (!type || kind_of(type, &t->kind) || !(t->format = format_of(type))) {
        snprintf(err, errlen, "%s: missing or unknown rdft: type %s",
                 entry->s, type ? type : "(none)");
        return -1;
    }
    if (!action || action->kind != 'I' || !relative(mp, action->s)) {
        snprintf(err, errlen, "%s: mf:action missing or outside the suite",
                 entry->s);
        return -1;
    }
    const char *rel = relative(mp, entry->s);
    t->iri = rel ? dup_concat(mp->published, rel) : strdup(entry->s);
    t->name = strdup(name ? name->s : entry->s);
    t->type = strdup(type);
    t->action = local_path(action->s);
    t->base = mp->base ? dup_concat(mp->base, relative(mp, action->s)) : NULL;
    if (result && result->kind == 'I')
        t->result = local_path(result->s);
    if (t->kind == TEST_EVAL && !t->result) {
        snprintf(err, errlen, "%s: eval test without mf:result", entry->s);
        return -1;
    }
    if (!t->iri || !t->name || !t->type || !t->action ||
        (mp->base && !t->base)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Walk the mf:entries list of the manifest node M. */
static int read_entries(const mgraph *g, const manifest_place *mp,
                        const mterm *m, rdf_manifest *out, char *err,
                        size_t errlen)
{
    const mterm *node = object_of(g, m, MF "entries");
    if (!node) {
        snprintf(err, errlen, "manifest has no mf:entries");
        return -1;
    }
    while (!(node->kind == 'I' && strcmp(node->s, RDF "nil") == 0)) {
        const mterm *first = object_of(g, node, RDF "first");
        const mterm *rest = object_of(g, node, RDF "rest");
        if (!first || !rest) {
            snprintf(err, errlen, "mf:entries is not a well-formed list");
            return -1;
        }
        rdf_test *tests = realloc(out->tests, (out->n + 1) * sizeof *tests);
        if (!tests) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        out->tests = tests;
        if (read_test(g, mp, first, &out->tests[out->n], err, errlen) != 0) {
            test_free(&out->tests[out->n]);
            return -1;
        }
        out->n++;
        node = rest;
    }
    return 0;
}

static int parse_manifest(raptor_world *world, const char *uri_string,
                          mgraph *g, char *err, size_t errlen)
{
    raptor_uri *uri = raptor_new_uri(world, (const unsigned char *)uri_string);
    raptor_parser *p = raptor_new_parser(world, "turtle");
    int rc = -1;
    if (uri && p) {
        raptor_parser_set_statement_handler(p, g, on_triple);
        rc = raptor_parser_parse_file(p, uri, uri);
    }
    raptor_free_parser(p);
    raptor_free_uri(uri);
    if (rc != 0 || g->oom) {
        snprintf(err, errlen, "cannot parse %s", uri_string);
        return -1;
    }
    return 0;
}

int manifest_load(raptor_world *world, const char *suite_dir,
                  const char *suite, rdf_manifest *out, char *err,
                  size_t errlen)
{
    char path[PATH_MAX], real[PATH_MAX];
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/%s/manifest.ttl", suite_dir, suite);
    if (!realpath(path, real)) {
        snprintf(err, errlen, "%s: no such manifest", path);
        return -1;
    }
    unsigned char *us = raptor_uri_filename_to_uri_string(real);
    char *dir_uri = us ? strdup((const char *)us) : NULL;
    char *published = dup_concat(PUBLISHED, suite);
    mgraph g = {0};
    int rc = -1;
    if (dir_uri && published &&
        parse_manifest(world, (const char *)us, &g, err, errlen) == 0) {
        strrchr(dir_uri, '/')[1] = '\0';
        mterm m = {'I', (char *)us};
        const mterm *base = object_of(&g, &m, MF "assumedTestBase");
        const mterm *label = object_of(&g, &m, RDFS "label");
        char *pub = dup_concat(published, "/");
        manifest_place mp = {dir_uri, base ? base->s : pub,
                             base ? base->s : NULL};
        out->suite = strdup(suite);
        out->label = strdup(label ? label->s : suite);
        if (pub && out->suite && out->label)
            rc = read_entries(&g, &mp, &m, out, err, errlen);
        free(pub);
    }
    mgraph_free(&g);
    free(published);
    free(dir_uri);
    raptor_free_memory(us);
    if (rc != 0)
        manifest_free(out);
    return rc;
}

void manifest_free(rdf_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        test_free(&m->tests[i]);
    free(m->tests);
    free(m->suite);
    free(m->label);
    memset(m, 0, sizeof *m);
}

/* ---- the manifest as triples, for runners of other manifest vocabularies ---- */

int manifest_graph_load(raptor_world *world, const char *path, mgraph *g, char *err,
                        size_t errlen)
{
    char real[PATH_MAX];
    memset(g, 0, sizeof *g);
    if (!realpath(path, real)) {
        snprintf(err, errlen, "%s: no such manifest", path);
        return -1;
    }
    unsigned char *us = raptor_uri_filename_to_uri_string(real);
    int rc = us ? parse_manifest(world, (const char *)us, g, err, errlen) : -1;
    raptor_free_memory(us);
    if (rc != 0)
        mgraph_free(g);
    return rc;
}

void manifest_graph_free(mgraph *g)
{
    mgraph_free(g);
    memset(g, 0, sizeof *g);
}

const mterm *manifest_object(const mgraph *g, const mterm *s, const char *p)
{
    return object_of(g, s, p);
}

size_t manifest_objects(const mgraph *g, const mterm *s, const char *p, const mterm **out,
                        size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++) {
        const mtriple *t = &g->t[i];
        if (t->s.kind == s->kind && strcmp(t->s.s, s->s) == 0 && strcmp(t->p.s, p) == 0) {
            if (n < max)
                out[n] = &t->o;
            n++;
        }
    }
    return n;
}

size_t manifest_list(const mgraph *g, const mterm *head, const mterm **out, size_t max)
{
    size_t n = 0;
    const mterm *node = head;
    while (node && !(node->kind == 'I' && strcmp(node->s, RDF "nil") == 0)) {
        const mterm *first = object_of(g, node, RDF "first");
        if (!first)
            break;
        if (n < max)
            out[n] = first;
        n++;
        node = object_of(g, node, RDF "rest");
    }
    return n;
}

char *manifest_local_path(const char *iri) { return local_path(iri); }
