/* Unit tests of sparql/graph_writer.c. Tricky triples (blank nodes with odd
 * labels, language tags, datatypes, non-canonical numbers, escapes, Unicode,
 * IRIs a prefix cannot shorten, a subject and a predicate that come back)
 * are written in every format; Turtle, N-Triples, N-Quads and RDF/XML are
 * parsed back with raptor and JSON-LD with jansson, and the result must be
 * isomorphic (tests/tools/rdf_iso.h) to the triples written. A few small
 * documents are compared as text to pin the layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_writer.h"
#include "rdf_iso.h"

#define EX "http://example.org/"
#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define BASE "http://base.example/doc"

#define IRI(x) {CK_TERM_IRI, x, sizeof x - 1, NULL, 0, NULL, 0}
#define BLANK(x) {CK_TERM_BLANK, x, sizeof x - 1, NULL, 0, NULL, 0}
#define LIT(x) {CK_TERM_LITERAL, x, sizeof x - 1, NULL, 0, NULL, 0}
#define LANG(x, l) {CK_TERM_LITERAL, x, sizeof x - 1, NULL, 0, l, sizeof l - 1}
#define TYPED(x, dt) {CK_TERM_LITERAL, x, sizeof x - 1, dt, sizeof dt - 1, NULL, 0}

typedef struct {
    ck_term s, p, o;
} triple;

/* Triples every format can hold. */
static const triple tricky[] = {
    {IRI(EX "s1"), IRI(RDF "type"), IRI(EX "Building")},
    {IRI(EX "s1"), IRI(RDF "type"), BLANK("b1")},
    {IRI(EX "s1"), IRI(RDFS "label"), LANG("Dom \"St. Peter\"\n<&>]]> \\ \t'x'", "de")},
    {IRI(EX "s1"), IRI(RDFS "label"), LANG("Cathedral", "en-GB")},
    {IRI(EX "s1"), IRI(EX "height"), TYPED("105.0", CK_XSD "decimal")},
    {IRI(EX "s1"), IRI(EX "count"), TYPED("007", CK_XSD "integer")},
    {IRI(EX "s1"), IRI(EX "count"), TYPED("42", CK_XSD "integer")},
    {IRI(EX "s1"), IRI(EX "count"), TYPED("-3", CK_XSD "integer")},
    {IRI(EX "s1"), IRI(EX "count"), TYPED("+4", CK_XSD "integer")},
    {IRI(EX "s1"), IRI(EX "flag"), TYPED("0", CK_XSD "boolean")},
    {IRI(EX "s1"), IRI(EX "flag"), TYPED("true", CK_XSD "boolean")},
    {IRI(EX "s1"), IRI(EX "d"), TYPED("12", CK_XSD "double")},
    {IRI(EX "s1"), IRI(RDFS "label"), LIT("later label")}, /* predicate comes back */
    {IRI(EX "s1"), IRI(RDF "type"), LIT("a literal type")},
    {BLANK("b1"), IRI(EX "name"), LANG("Stra\xc3\x9f" "e \xf0\x9f\x98\x80 \r\x7f end", "de-DE-1996")},
    {BLANK("b1"), IRI(EX "ref"), IRI(EX "s1")},
    {BLANK("c1x00ff"), IRI(EX "p"), LIT("")},
    {BLANK("c1x00ff"), IRI(EX "p"), LANG("", "en")},
    {BLANK("c1x00ff"), IRI(EX "p"), TYPED("", EX "dt")},
    {BLANK("c1x00ff"), IRI(EX "p"), TYPED("<b>x</b", RDF "XMLLiteral")},
    {IRI(EX "s1"), IRI(EX "again"), LIT("subject comes back")},
    {IRI(EX "Stra\xc3\x9f" "e/\xc3\xbc"), IRI(EX "p"), IRI(EX "a%20b#frag~x")},
    {IRI(EX "Stra\xc3\x9f" "e"), IRI(EX "\xc3\xbc" "ber"), IRI(EX "x\xc2\xb7y")}, /* ex:Straße */
    {IRI(EX "path/1a"), IRI(EX "123abc"), IRI(EX)},
    {IRI(EX "a/b"), IRI(EX "p"), IRI(EX "a.")},
    {IRI(EX "-x"), IRI(EX "p"), IRI(EX "a:b")},
    {IRI(EX "a%41"), IRI(EX "p.q"), IRI(EX "1")},
    {IRI(EX "empty#x"), IRI("urn:x-city:prop"), IRI("urn:isbn:0451450523")},
    {BLANK("_x"), IRI(EX "p"), BLANK("1a")},
    {BLANK("a.b"), IRI(EX "p"), BLANK("weird label")},
    {BLANK("a_2Eb"), IRI(EX "p"), BLANK("_5F78")}, /* would clash with "a.b", "_x" unescaped */
    {IRI(EX "doc#frag"), IRI(EX "p"), IRI(EX "doc")},
    {IRI(BASE "#frag"), IRI(EX "p"), IRI(BASE)},
    {IRI(BASE "?q=1"), IRI(EX "p"), IRI(BASE "#")},
    {IRI(BASE "x/y"), IRI(EX "p"), IRI(BASE "/z")}, /* not relative to the base */
    {IRI(EX "other#x"), IRI(EX "p"), TYPED("x", EX "other#dt")},
};

/* Triples RDF/XML cannot hold (graph_triple fails for them). */
static const triple not_xml[] = {
    {IRI(EX "s"), IRI(EX "p"), LIT("bell \x07 and \x01")},
    {IRI(EX "s"), IRI(EX "p/"), LIT("predicate without an XML name")},
    {IRI(EX "s"), IRI(EX "123"), LIT("predicate without an XML name")},
    {IRI(EX "s"), IRI(RDF "li"), LIT("rdf:li would come back as rdf:_1")},
    {IRI(EX "s"), IRI(RDF "Description"), LIT("a syntax name")},
    {IRI(EX "s"), IRI(EX "p"), LIT("U+FFFF \xef\xbf\xbf")},
};

static const graph_prefix prefixes[] = {
    {"ex", "http://elsewhere.example/"}, /* replaced by the next one */
    {"ex", EX},
    {"rdfs", RDFS},
    {"xsd", CK_XSD},
    {"", EX "empty#"},
    {"xmlish", EX "other#"}, /* not an XML namespace prefix */
    {"p.q", "urn:x-city:"},
};
#define N_PREFIXES (sizeof prefixes / sizeof *prefixes)

/* ---- writing and reading back ------------------------------------------------ */

/* Writes the triples; the writer must accept every one. */
static char *write_graph(graph_format f, const char *base, const triple *t, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    graph_writer *w = graph_begin(out, f, base, prefixes, N_PREFIXES);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++)
        if (!graph_triple(w, &t[i].s, &t[i].p, &t[i].o))
            fail_msg("triple %zu: %s", i, graph_error(w));
    assert_string_equal(graph_error(w), "");
    assert_true(graph_end(w));
    fclose(out);
    return buf;
}

static void add_text(char **s, size_t *len, const char *text)
{
    size_t n = strlen(text);
    *s = realloc(*s, *len + n + 1);
    memcpy(*s + *len, text, n + 1);
    *len += n;
}

/* The N-Triples form raptor reads for a term; blank nodes get a hex label
 * (any one-to-one labelling will do for the isomorphism check). */
static void add_expected_term(char **s, size_t *len, const ck_term *t)
{
    if (t->kind != CK_TERM_BLANK) {
        char *nt = ck_term_to_ntriples(t);
        add_text(s, len, nt);
        free(nt);
        return;
    }
    add_text(s, len, "_:h");
    for (size_t i = 0; i < t->value_len; i++) {
        char hex[3];
        snprintf(hex, sizeof hex, "%02x", (unsigned char)t->value[i]);
        add_text(s, len, hex);
    }
}

static char *expected_ntriples(const triple *t, size_t n)
{
    char *s = calloc(1, 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        add_expected_term(&s, &len, &t[i].s);
        add_text(&s, &len, " ");
        add_expected_term(&s, &len, &t[i].p);
        add_text(&s, &len, " ");
        add_expected_term(&s, &len, &t[i].o);
        add_text(&s, &len, " .\n");
    }
    return s;
}

/* Parses doc (raptor syntax) and checks it holds exactly the triples. */
static void assert_same_graph(const char *doc, const char *syntax, const triple *t, size_t n)
{
    rdf_iso *iso = rdf_iso_new();
    char err[512] = "";
    char *nt = expected_ntriples(t, n);
    rdf_dataset *want = rdf_dataset_load_string(iso, nt, "ntriples", err, sizeof err);
    if (!want)
        fail_msg("expected triples: %s\n%s", err, nt);
    /* raptor kept every triple (none of the sets holds one twice) */
    assert_int_equal(want->n, n);
    rdf_dataset *got = rdf_dataset_load_string(iso, doc, syntax, err, sizeof err);
    if (!got)
        fail_msg("%s output does not parse: %s\n%s", syntax, err, doc);
    char why[2048] = "";
    if (rdf_dataset_isomorphic(iso, want, got, why, sizeof why) != 1)
        fail_msg("%s output is not the graph written: %s\n%s", syntax, why, doc);
    rdf_dataset_free(want);
    rdf_dataset_free(got);
    rdf_iso_free(iso);
    free(nt);
}

/* ---- JSON-LD back to triples ------------------------------------------------ */

static void add_json_id(char **s, size_t *len, const char *id)
{
    assert_non_null(id);
    if (strncmp(id, "_:", 2) == 0) {
        add_text(s, len, id); /* the writer's labels are valid N-Triples labels */
        return;
    }
    ck_term t = {CK_TERM_IRI, id, strlen(id), NULL, 0, NULL, 0};
    add_expected_term(s, len, &t);
}

static void add_json_value(char **s, size_t *len, json_t *v)
{
    assert_true(json_is_object(v));
    json_t *id = json_object_get(v, "@id"), *value = json_object_get(v, "@value");
    if (id) {
        assert_int_equal(json_object_size(v), 1);
        add_json_id(s, len, json_string_value(id));
        return;
    }
    assert_true(json_is_string(value));
    json_t *lang = json_object_get(v, "@language"), *type = json_object_get(v, "@type");
    assert_int_equal(json_object_size(v), 1 + (lang != NULL) + (type != NULL));
    assert_false(lang && type);
    ck_term t = {CK_TERM_LITERAL, json_string_value(value), json_string_length(value),
                 NULL, 0, NULL, 0};
    if (lang) {
        t.lang = json_string_value(lang);
        t.lang_len = strlen(t.lang);
    } else if (type) {
        t.datatype = json_string_value(type);
        t.datatype_len = strlen(t.datatype);
    }
    add_expected_term(s, len, &t);
}

/* Reads expanded JSON-LD (an array of node objects) as N-Triples, checking
 * its structure on the way; *nodes counts the node objects. */
static char *jsonld_to_ntriples(const char *doc, size_t *nodes)
{
    json_error_t jerr;
    json_t *root = json_loads(doc, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        fail_msg("JSON-LD output is not JSON: %s (line %d)\n%s", jerr.text, jerr.line, doc);
    assert_true(json_is_array(root));
    char *s = calloc(1, 1);
    size_t len = 0, i;
    json_t *node;
    json_array_foreach(root, i, node) {
        assert_true(json_is_object(node));
        const char *subject = json_string_value(json_object_get(node, "@id"));
        assert_non_null(subject);
        const char *key;
        json_t *values;
        json_object_foreach(node, key, values) {
            if (strcmp(key, "@id") == 0)
                continue;
            assert_true(json_is_array(values));
            assert_true(json_array_size(values) > 0);
            bool type = strcmp(key, "@type") == 0;
            assert_true(type || key[0] != '@');
            size_t k;
            json_t *v;
            json_array_foreach(values, k, v) {
                add_json_id(&s, &len, subject);
                add_text(&s, &len, type ? " <" RDF "type> " : " ");
                if (!type)
                    add_json_id(&s, &len, key);
                if (type) {
                    assert_true(json_is_string(v));
                    add_json_id(&s, &len, json_string_value(v));
                } else {
                    add_text(&s, &len, " ");
                    add_json_value(&s, &len, v);
                }
                add_text(&s, &len, " .\n");
            }
        }
    }
    *nodes = json_array_size(root);
    json_decref(root);
    return s;
}

/* ---- tests ---------------------------------------------------------------------- */

#define N(a) (sizeof a / sizeof *a)

static void test_round_trip_raptor(void **state)
{
    (void)state;
    static const struct {
        graph_format format;
        const char *syntax;
    } cases[] = {
        {GRAPH_NTRIPLES, "ntriples"},
        {GRAPH_NQUADS, "nquads"},
        {GRAPH_TURTLE, "turtle"},
        {GRAPH_RDFXML, "rdfxml"},
    };
    for (size_t c = 0; c < N(cases); c++) {
        for (int with_base = 0; with_base < 2; with_base++) {
            char *doc = write_graph(cases[c].format, with_base ? BASE : NULL, tricky, N(tricky));
            assert_same_graph(doc, cases[c].syntax, tricky, N(tricky));
            /* language tags keep their case (rdf_iso compares them without) */
            assert_non_null(strstr(doc, "en-GB"));
            assert_non_null(strstr(doc, "de-DE-1996"));
            free(doc);
        }
    }
}

static void test_round_trip_not_xml(void **state)
{
    (void)state;
    /* raptor's N-Triples and Turtle parsers accept raw control characters */
    const graph_format formats[] = {GRAPH_NTRIPLES, GRAPH_TURTLE};
    const char *syntax[] = {"ntriples", "turtle"};
    for (size_t c = 0; c < N(formats); c++) {
        char *doc = write_graph(formats[c], NULL, not_xml, N(not_xml));
        assert_same_graph(doc, syntax[c], not_xml, N(not_xml));
        free(doc);
    }
}

static void test_jsonld_round_trip(void **state)
{
    (void)state;
    const triple *sets[] = {tricky, not_xml};
    size_t sizes[] = {N(tricky), N(not_xml)};
    for (size_t i = 0; i < N(sets); i++) {
        char *doc = write_graph(GRAPH_JSONLD, BASE, sets[i], sizes[i]);
        size_t nodes;
        char *nt = jsonld_to_ntriples(doc, &nodes);
        assert_true(sets[i] != tricky || strstr(doc, "\"@language\": \"en-GB\""));
        assert_same_graph(nt, "ntriples", sets[i], sizes[i]);
        if (sets[i] == tricky) {
            /* ex:s1's rdfs:label comes back after other keys, and ex:s1
             * itself after _:b1's triples: three node objects for it */
            json_t *root = json_loads(doc, 0, NULL);
            size_t k, s1 = 0;
            json_t *node;
            json_array_foreach(root, k, node)
                s1 += strcmp(json_string_value(json_object_get(node, "@id")), EX "s1") == 0;
            assert_int_equal(s1, 3);
            json_decref(root);
        }
        free(nt);
        free(doc);
    }
}

static void test_ntriples_lines_are_canonical(void **state)
{
    (void)state;
    /* with labels citykg makes, the lines are ck_term_to_ntriples's */
    const triple t[] = {tricky[0], tricky[1], tricky[2], tricky[5], tricky[14], tricky[16]};
    char *want = calloc(1, 1);
    size_t len = 0;
    for (size_t i = 0; i < N(t); i++) {
        char *a = ck_term_to_ntriples(&t[i].s), *b = ck_term_to_ntriples(&t[i].p),
             *c = ck_term_to_ntriples(&t[i].o);
        add_text(&want, &len, a);
        add_text(&want, &len, " ");
        add_text(&want, &len, b);
        add_text(&want, &len, " ");
        add_text(&want, &len, c);
        add_text(&want, &len, " .\n");
        free(a);
        free(b);
        free(c);
    }
    char *nt = write_graph(GRAPH_NTRIPLES, EX, t, N(t));
    char *nq = write_graph(GRAPH_NQUADS, EX, t, N(t));
    assert_string_equal(nt, want);
    assert_string_equal(nq, want); /* the default graph: no fourth term */
    free(nt);
    free(nq);
    free(want);
}

static void test_blank_labels(void **state)
{
    (void)state;
    const triple t[] = {
        {BLANK("_x"), IRI(EX "p"), BLANK("1a")},
        {BLANK("a.b"), IRI(EX "p"), BLANK("weird label")},
        {BLANK(""), IRI(EX "p"), BLANK("b7")},
    };
    char *nt = write_graph(GRAPH_NTRIPLES, NULL, t, N(t));
    assert_string_equal(nt, "_:_5Fx <" EX "p> _:_31a .\n"
                            "_:a_2Eb <" EX "p> _:weird_20label .\n"
                            "_:_ <" EX "p> _:b7 .\n");
    free(nt);
}

static const triple small[] = {
    {IRI(EX "s"), IRI(RDF "type"), IRI(EX "C")},
    {IRI(EX "s"), IRI(EX "p"), LANG("x", "en")},
    {IRI(EX "s"), IRI(EX "p"), LIT("y")},
    {IRI(EX "s"), IRI(EX "n"), TYPED("42", CK_XSD "integer")},
    {IRI(EX "s"), IRI(EX "n"), TYPED("007", CK_XSD "integer")},
    {IRI(EX "s"), IRI(EX "d"), TYPED("1.0", CK_XSD "decimal")},
    {IRI(EX "s"), IRI(EX "b"), TYPED("true", CK_XSD "boolean")},
    {IRI(EX "s"), IRI(EX "q"), IRI(EX "a/b")},
    {BLANK("b1"), IRI(EX "p"), IRI(BASE "#f")},
    {BLANK("b1"), IRI(EX "p"), IRI(BASE)},
    {BLANK("b1"), IRI(EX "p"), IRI(EX "doc")},
};

static void test_turtle_layout(void **state)
{
    (void)state;
    char *ttl = write_graph(GRAPH_TURTLE, BASE, small, N(small));
    assert_string_equal(ttl, "@base <" BASE "> .\n"
                             "@prefix ex: <http://example.org/> .\n"
                             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                             "@prefix : <http://example.org/empty#> .\n"
                             "@prefix xmlish: <http://example.org/other#> .\n"
                             "@prefix p.q: <urn:x-city:> .\n"
                             "\n"
                             "ex:s a ex:C ;\n"
                             "    ex:p \"x\"@en,\n"
                             "        \"y\" ;\n"
                             "    ex:n 42,\n"
                             "        \"007\"^^xsd:integer ;\n"
                             "    ex:d \"1.0\"^^xsd:decimal ;\n"
                             "    ex:b true ;\n"
                             "    ex:q <http://example.org/a/b> .\n"
                             "\n"
                             "_:b1 ex:p <#f>,\n"
                             "        <>,\n"
                             "        ex:doc .\n");
    free(ttl);
}

static void test_rdfxml_and_jsonld_layout(void **state)
{
    (void)state;
    char *xml = write_graph(GRAPH_RDFXML, NULL, small, 2);
    assert_string_equal(xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                             "<rdf:RDF xmlns:rdf=\"" RDF "\" xmlns:ex=\"" EX "\""
                             " xmlns:rdfs=\"" RDFS "\" xmlns:xsd=\"" CK_XSD "\""
                             " xmlns:p.q=\"urn:x-city:\">\n"
                             "  <rdf:Description rdf:about=\"" EX "s\">\n"
                             "    <rdf:type rdf:resource=\"" EX "C\"/>\n"
                             "    <ex:p xml:lang=\"en\">x</ex:p>\n"
                             "  </rdf:Description>\n"
                             "</rdf:RDF>\n");
    free(xml);
    char *json = write_graph(GRAPH_JSONLD, NULL, small, 2);
    assert_string_equal(json, "[\n"
                              "  {\n"
                              "    \"@id\": \"" EX "s\",\n"
                              "    \"@type\": [\"" EX "C\"],\n"
                              "    \"" EX "p\": [{\"@value\": \"x\", \"@language\": \"en\"}]\n"
                              "  }\n"
                              "]\n");
    free(json);
}

static void test_empty_graph(void **state)
{
    (void)state;
    const graph_format formats[] = {GRAPH_NTRIPLES, GRAPH_NQUADS, GRAPH_TURTLE, GRAPH_RDFXML};
    const char *syntax[] = {"ntriples", "nquads", "turtle", "rdfxml"};
    for (size_t c = 0; c < N(formats); c++) {
        char *doc = write_graph(formats[c], BASE, NULL, 0);
        assert_same_graph(doc, syntax[c], NULL, 0);
        free(doc);
    }
    char *nt = write_graph(GRAPH_NTRIPLES, NULL, NULL, 0);
    assert_string_equal(nt, "");
    free(nt);
    char *json = write_graph(GRAPH_JSONLD, NULL, NULL, 0);
    json_t *root = json_loads(json, 0, NULL);
    assert_true(json_is_array(root));
    assert_int_equal(json_array_size(root), 0);
    json_decref(root);
    free(json);
}

static void test_rdfxml_refuses_what_it_cannot_hold(void **state)
{
    (void)state;
    static const char *const why[] = {"XML 1.0", "does not end in an XML name",
                                      "does not end in an XML name", "rdf:li",
                                      "rdf:Description", "XML 1.0"};
    for (size_t i = 0; i < N(not_xml); i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        graph_writer *w = graph_begin(out, GRAPH_RDFXML, NULL, NULL, 0);
        assert_true(graph_triple(w, &tricky[0].s, &tricky[0].p, &tricky[0].o));
        assert_false(graph_triple(w, &not_xml[i].s, &not_xml[i].p, &not_xml[i].o));
        if (!strstr(graph_error(w), why[i]))
            fail_msg("triple %zu: unexpected message '%s'", i, graph_error(w));
        /* the writer stays failed; what was written stays well-formed */
        assert_false(graph_triple(w, &tricky[0].s, &tricky[0].p, &tricky[0].o));
        assert_false(graph_end(w));
        fclose(out);
        assert_same_graph(buf, "rdfxml", tricky, 1);
        free(buf);
    }
}

static void test_invalid_triples(void **state)
{
    (void)state;
    const ck_term lit = LIT("x"), iri = IRI(EX "s"), blank = BLANK("b1");
    const ck_term bad_lang = LANG("x", "not a tag"), bad_lang2 = LANG("x", "1de");
    const struct {
        const ck_term *s, *p, *o;
    } bad[] = {{&lit, &iri, &iri}, {&iri, &blank, &iri}, {&iri, &lit, &iri},
               {&iri, &iri, &bad_lang}, {&iri, &iri, &bad_lang2}};
    for (graph_format f = GRAPH_NTRIPLES; f <= GRAPH_JSONLD; f++)
        for (size_t i = 0; i < N(bad); i++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            graph_writer *w = graph_begin(out, f, NULL, NULL, 0);
            assert_false(graph_triple(w, bad[i].s, bad[i].p, bad[i].o));
            assert_true(graph_error(w)[0] != 0);
            assert_false(graph_end(w));
            fclose(out);
            free(buf);
        }
    assert_false(graph_end(NULL));
}

static void test_iris_rdf_forbids(void **state)
{
    (void)state;
    /* IRI() can compute such IRIs; they are written escaped, never broken */
    const triple t[] = {{IRI(EX "a b"), IRI(EX "p"), IRI(EX "<x>\"{|}")}};
    char *nt = write_graph(GRAPH_NTRIPLES, NULL, t, 1);
    assert_string_equal(nt, "<" EX "a\\u0020b> <" EX "p> <" EX "\\u003Cx\\u003E\\u0022\\u007B\\u007C\\u007D> .\n");
    free(nt);
    char *ttl = write_graph(GRAPH_TURTLE, NULL, t, 1);
    assert_non_null(strstr(ttl, "<" EX "a\\u0020b> ex:p <" EX "\\u003Cx"));
    free(ttl);
    char *xml = write_graph(GRAPH_RDFXML, NULL, t, 1);
    assert_non_null(strstr(xml, "rdf:resource=\"" EX "&lt;x&gt;&quot;{|}\""));
    free(xml);
    char *json = write_graph(GRAPH_JSONLD, NULL, t, 1);
    json_t *root = json_loads(json, 0, NULL);
    json_t *node = json_array_get(root, 0);
    assert_string_equal(json_string_value(json_object_get(node, "@id")), EX "a b");
    json_t *o = json_array_get(json_object_get(node, EX "p"), 0);
    assert_string_equal(json_string_value(json_object_get(o, "@id")), EX "<x>\"{|}");
    json_decref(root);
    free(json);
}

static void test_format_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        graph_format format;
        const char *media_type;
    } names[] = {
        {"ntriples", GRAPH_NTRIPLES, "application/n-triples"},
        {"nt", GRAPH_NTRIPLES, "application/n-triples"},
        {"nquads", GRAPH_NQUADS, "application/n-quads"},
        {"nq", GRAPH_NQUADS, "application/n-quads"},
        {"turtle", GRAPH_TURTLE, "text/turtle"},
        {"ttl", GRAPH_TURTLE, "text/turtle"},
        {"rdfxml", GRAPH_RDFXML, "application/rdf+xml"},
        {"jsonld", GRAPH_JSONLD, "application/ld+json"},
    };
    for (size_t i = 0; i < N(names); i++) {
        graph_format f;
        assert_true(graph_format_from_name(names[i].name, &f));
        assert_int_equal(f, names[i].format);
        assert_string_equal(graph_media_type(f), names[i].media_type);
    }
    graph_format f;
    assert_false(graph_format_from_name("xml", &f)); /* SELECT's, results.h */
    assert_false(graph_format_from_name("json", &f));
    assert_false(graph_format_from_name("trig", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_raptor),
        cmocka_unit_test(test_round_trip_not_xml),
        cmocka_unit_test(test_jsonld_round_trip),
        cmocka_unit_test(test_ntriples_lines_are_canonical),
        cmocka_unit_test(test_blank_labels),
        cmocka_unit_test(test_turtle_layout),
        cmocka_unit_test(test_rdfxml_and_jsonld_layout),
        cmocka_unit_test(test_empty_graph),
        cmocka_unit_test(test_rdfxml_refuses_what_it_cannot_hold),
        cmocka_unit_test(test_invalid_triples),
        cmocka_unit_test(test_iris_rdf_forbids),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
