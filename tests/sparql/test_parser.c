/*
 * test_parser.c — cmocka tests of the SPARQL front end: the algebra a query
 * translates to (§18.2, printed as SSE), error messages with line:column,
 * and IRI resolution against BASE (RFC 3986 §5.4 examples).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "algebra.h"
#include "parser.h"

/* The algebra of text as one SSE line (malloc'd), or NULL with err set. */
static char *algebra_of(const char *text, const char *base, ck_error *err)
{
    sparql_query *q = NULL;
    if (sparql_query_parse(text, base, &q, err) != CK_OK)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sparql_algebra_print(f, q);
    fclose(f);
    sparql_query_free(q);
    if (len && buf[len - 1] == '\n')
        buf[len - 1] = '\0';
    return buf;
}

static void assert_algebra(const char *text, const char *expected)
{
    ck_error err = {0};
    char *got = algebra_of(text, NULL, &err);
    if (!got)
        fail_msg("%s: %s", text, err.message);
    if (strcmp(got, expected) != 0) {
        print_error("query:    %s\nexpected: %s\ngot:      %s\n", text, expected, got);
        free(got);
        fail();
    }
    free(got);
}

static void assert_error(const char *text, const char *expected)
{
    ck_error err = {0};
    sparql_query *q = NULL;
    ck_status st = sparql_query_parse(text, NULL, &q, &err);
    assert_null(q);
    assert_int_equal(st, CK_ERR_SYNTAX);
    if (strcmp(err.message, expected) != 0)
        fail_msg("query:    %s\nexpected: %s\ngot:      %s", text, expected, err.message);
}

/* §18.2.3 examples and one query per algebra operator. The translation
 * follows §18.2.2: filters of a group apply to the whole group, a filter of
 * an OPTIONAL group becomes the LeftJoin expression, BIND extends the group
 * so far, aggregates become hidden variables ?.N of the Group node, path
 * sequences introduce hidden variables ??pN. */
static const struct {
    const char *query;
    const char *sse;
} algebra_cases[] = {
    {"SELECT * { ?s ?p ?o }",
     "(project (?s ?p ?o) (bgp (triple ?s ?p ?o)))"},
    {"SELECT ?s { ?s :p1 ?v1 ; :p2 ?v2 }",
     "(project (?s) (bgp (triple ?s <http://example/p1> ?v1) (triple ?s <http://example/p2> ?v2)))"},
    {"SELECT * { { ?s :p1 ?v1 } UNION { ?s :p2 ?v2 } UNION { ?s :p3 ?v3 } }",
     "(project (?s ?v1 ?v2 ?v3) (union (union (bgp (triple ?s <http://example/p1> ?v1)) (bgp (triple ?s <http://example/p2> ?v2))) (bgp (triple ?s <http://example/p3> ?v3))))"},
    {"SELECT * { ?s :p1 ?v1 OPTIONAL { ?s :p2 ?v2 } OPTIONAL { ?s :p3 ?v3 } }",
     "(project (?s ?v1 ?v2 ?v3) (leftjoin (leftjoin (bgp (triple ?s <http://example/p1> ?v1)) (bgp (triple ?s <http://example/p2> ?v2))) (bgp (triple ?s <http://example/p3> ?v3))))"},
    {"SELECT * { ?s :p1 ?v1 OPTIONAL { ?s :p2 ?v2 FILTER(?v1 < 3) } }",
     "(project (?s ?v1 ?v2) (leftjoin (bgp (triple ?s <http://example/p1> ?v1)) (bgp (triple ?s <http://example/p2> ?v2)) (< ?v1 3)))"},
    {"SELECT * { ?s :p1 ?v1 FILTER (?v1 < 3) OPTIONAL { ?s :p2 ?v2 } }",
     "(project (?s ?v1 ?v2) (filter (< ?v1 3) (leftjoin (bgp (triple ?s <http://example/p1> ?v1)) (bgp (triple ?s <http://example/p2> ?v2)))))"},
    {"SELECT * { ?s :p ?o BIND(?o + 1 AS ?z) ?z :q ?w }",
     "(project (?s ?o ?z ?w) (join (extend ((?z (+ ?o 1))) (bgp (triple ?s <http://example/p> ?o))) (bgp (triple ?z <http://example/q> ?w))))"},
    {"SELECT * { ?s :p ?o MINUS { ?s :q ?v } GRAPH ?g { ?s :r ?x } }",
     "(project (?s ?o ?g ?x) (join (minus (bgp (triple ?s <http://example/p> ?o)) (bgp (triple ?s <http://example/q> ?v))) (graph ?g (bgp (triple ?s <http://example/r> ?x)))))"},
    /* equal aggregates share one slot */
    {"SELECT ?x (COUNT(?y) AS ?c) { ?x :p ?y } GROUP BY ?x HAVING (COUNT(?y) > 1)",
     "(project (?x ?c) (extend ((?c ?.0)) (filter (> ?.0 1) (group (?x) ((?.0 (count ?y))) (bgp (triple ?x <http://example/p> ?y))))))"},
    {"SELECT DISTINCT ?s { ?s :p ?o } ORDER BY DESC(?o) ?s LIMIT 10 OFFSET 5",
     "(slice 5 10 (distinct (project (?s) (order ((desc ?o) ?s) (bgp (triple ?s <http://example/p> ?o))))))"},
    {"SELECT * { ?s :p/:q ?o . ?s ^:r ?x . ?s (:a|:b)* ?y . ?s !(:c|^:d) ?z }",
     "(project (?s ?o ?x ?y ?z) (join (join (bgp (triple ?s <http://example/p> ??p0) (triple ??p0 <http://example/q> ?o) (triple ?x <http://example/r> ?s)) (path ?s (path* (alt <http://example/a> <http://example/b>)) ?y)) (path ?s (notoneof <http://example/c> (rev <http://example/d>)) ?z)))"},
    {"SELECT * { VALUES (?x ?y) { (1 UNDEF) (UNDEF \"a\") } ?x :p ?y }",
     "(project (?x ?y) (join (table (vars ?x ?y) (row [?x 1]) (row [?y \"a\"])) (bgp (triple ?x <http://example/p> ?y))))"},
    {"ASK { ?s :p \"x\"@en FILTER NOT EXISTS { ?s :q ?o } }",
     "(ask (filter (notexists (bgp (triple ?s <http://example/q> ?o))) (bgp (triple ?s <http://example/p> \"x\"@en))))"},
    {"CONSTRUCT { ?s :p [ :q ?o ] } WHERE { ?s :p ?o }",
     "(construct (template (triple _:?b0 <http://example/q> ?o) (triple ?s <http://example/p> _:?b0)) (bgp (triple ?s <http://example/p> ?o)))"},
    {"SELECT ?s (SUM(?o) / COUNT(*) AS ?avg) { ?s :p ?o } GROUP BY ?s",
     "(project (?s ?avg) (extend ((?avg (/ ?.0 ?.1))) (group (?s) ((?.0 (sum ?o)) (?.1 (count))) (bgp (triple ?s <http://example/p> ?o)))))"},
    {"DESCRIBE ?s <http://x/> { ?s :p ?o }",
     "(describe (?s <http://x/>) (project (?s) (bgp (triple ?s <http://example/p> ?o))))"},
    {"SELECT * FROM <http://g/a> FROM NAMED <http://g/b> { SERVICE SILENT <http://s/> { ?s ?p ?o } }",
     "(dataset (from <http://g/a>) (from_named <http://g/b>) (project (?s ?p ?o) (service silent <http://s/> (bgp (triple ?s ?p ?o)))))"},
    {"SELECT ?s { ?s :p ?o FILTER(?o IN (1, 2) && regex(str(?o), \"^a\", \"i\")) }",
     "(project (?s) (filter (&& (in ?o 1 2) (regex (str ?o) \"^a\" \"i\")) (bgp (triple ?s <http://example/p> ?o))))"},
    {"SELECT ?s ?n { { SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s } }",
     "(project (?s ?n) (project (?s ?n) (extend ((?n ?.0)) (group (?s) ((?.0 (count))) (bgp (triple ?s ?p ?o))))))"},
    {"SELECT ?y (GROUP_CONCAT(DISTINCT ?o; SEPARATOR=\", \") AS ?all) { ?s :p ?o } GROUP BY (STR(?o) AS ?y)",
     "(project (?y ?all) (extend ((?all ?.0)) (group ((?y (str ?o))) ((?.0 (group_concat distinct (separator \", \") ?o))) (bgp (triple ?s <http://example/p> ?o)))))"},
    {"SELECT * { ?s :p ?o } VALUES ?o { 1 :x }",
     "(project (?s ?o) (join (bgp (triple ?s <http://example/p> ?o)) (table (vars ?o) (row [?o 1]) (row [?o <http://example/x>]))))"},
    {"SELECT * { ?s :p ?o OPTIONAL { ?o :q ?v } FILTER(!BOUND(?v)) }",
     "(project (?s ?o ?v) (filter (! (bound ?v)) (leftjoin (bgp (triple ?s <http://example/p> ?o)) (bgp (triple ?o <http://example/q> ?v)))))"},
    {"SELECT * { ?s :p ?o . ?o :q? ?x ; :r+ ?y }",
     "(project (?s ?o ?x ?y) (join (join (bgp (triple ?s <http://example/p> ?o)) (path ?o (path? <http://example/q>) ?x)) (path ?o (path+ <http://example/r>) ?y)))"},
    /* only the OPTIONAL group's own FILTER becomes the LeftJoin expression
     * (dawg-optional-filter-005-not-simplified) */
    {"SELECT * { ?b :t ?t OPTIONAL { { ?b :p ?p FILTER(?t = 1) } } }",
     "(project (?b ?t ?p) (leftjoin (bgp (triple ?b <http://example/t> ?t)) (filter (= ?t 1) (bgp (triple ?b <http://example/p> ?p)))))"},
};

static void test_algebra(void **state)
{
    (void)state;
    char text[1024];
    for (size_t i = 0; i < sizeof algebra_cases / sizeof algebra_cases[0]; i++) {
        snprintf(text, sizeof text, "PREFIX : <http://example/> %s", algebra_cases[i].query);
        assert_algebra(text, algebra_cases[i].sse);
    }
}

static void test_errors(void **state)
{
    (void)state;
    assert_error("SELECT *\nWHERE { ?s ?p }", "2:15: expected a variable or term, found '}'");
    assert_error("SELECT ?x WHERE {\n  ?x <http://a/p> ?y .\n  FILTER(?y > )\n}",
                 "3:15: expected an expression, found ')'");
    assert_error("PREFIX a: <http://a/>\nSELECT * { ?s b:p ?o }", "2:15: undefined prefix 'b:'");
    assert_error("SELECT * { ?s ?p \"abc }", "1:18: expected the closing quote of the string, found end of input");
    /* columns count characters, not bytes */
    assert_error("SELECT * { \"\xc3\xa9\" ?p ?o . ? }",
                 "1:24: expected a triple pattern, a graph pattern keyword or '}', found '?'");
    assert_error("SELEC * {}", "1:1: expected SELECT, CONSTRUCT, DESCRIBE or ASK, found 'SELEC'");
    assert_error("SELECT * {} LIMIT x", "1:19: expected an integer after LIMIT, found 'x'");
    assert_error("SELECT * { ?s ?p ?o", "1:20: expected '.' or '}', found end of input");
    /* static rules */
    assert_error("SELECT (1 AS ?x) { ?x ?p ?o }", "1:14: variable ?x is already in scope");
    assert_error("SELECT * { ?s ?p ?o FILTER(COUNT(?o) > 1) }",
                 "1:28: aggregate COUNT is not allowed here");
    assert_error("SELECT * { ?s ?p ?o BIND(1 AS ?o) }", "1:31: BIND variable ?o is already in scope");
    assert_error("SELECT ?s { ?s ?p ?o } GROUP BY ?p", "1:8: variable ?s is projected but not grouped");
    assert_error("SELECT * { ?s ?p ?o } GROUP BY ?s",
                 "1:1: SELECT * is not allowed with GROUP BY or aggregates");
    assert_error("SELECT * { _:a ?p ?o OPTIONAL { _:a ?q ?v } }",
                 "1:33: blank node label _:a is used in two basic graph patterns");
    assert_error("SELECT * { VALUES (?a ?b) { (1) } }", "1:29: VALUES row has 1 value for 2 variables");
    assert_error("SELECT (COUNT(SUM(?x)) AS ?c) {}", "1:15: aggregate SUM is not allowed here");
}

/* Hostile nesting ends in an error, not in a stack overflow. */
static void test_nesting_limit(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 64);
    assert_non_null(text);
    strcpy(text, "SELECT * { FILTER(");
    size_t len = strlen(text);
    memset(text + len, '(', n);
    strcpy(text + len + n, "1");
    ck_error err = {0};
    sparql_query *q = NULL;
    assert_int_equal(sparql_query_parse(text, NULL, &q, &err), CK_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "nesting deeper than"));
    free(text);
}

static void test_prefix_and_base(void **state)
{
    (void)state;
    assert_algebra("BASE <http://a/b/c/d;p?q> PREFIX x: <x/> PREFIX : <../> "
                   "SELECT * { <g> x:y :z }",
                   "(project () (bgp (triple <http://a/b/c/g> <http://a/b/c/x/y> <http://a/b/z>)))");
    /* a second BASE resolves against the first */
    assert_algebra("BASE <http://a/b/> BASE <c/> SELECT * { <d> <e> <#f> }",
                   "(project () (bgp (triple <http://a/b/c/d> <http://a/b/c/e> <http://a/b/c/#f>)))");
    /* a later PREFIX of the same name wins */
    assert_algebra("PREFIX p: <http://one/> PREFIX p: <http://two/> ASK { p:a p:b p:c }",
                   "(ask (bgp (triple <http://two/a> <http://two/b> <http://two/c>)))");
    /* PN_LOCAL escapes are removed, %-encodings kept */
    assert_algebra("PREFIX p: <http://e/> SELECT * { p:a\\~b p:c%20d p:e.f }",
                   "(project () (bgp (triple <http://e/a~b> <http://e/c%20d> <http://e/e.f>)))");
    /* the base IRI given by the caller */
    ck_error err = {0};
    char *got = algebra_of("ASK { <s> <p> <o> }", "http://base/dir/file", &err);
    assert_non_null(got);
    assert_string_equal(got,
                        "(ask (bgp (triple <http://base/dir/s> <http://base/dir/p> <http://base/dir/o>)))");
    free(got);
}

static void test_rfc3986(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"}, {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"},
        {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"},
        {"..", "http://a/b/"}, {"../", "http://a/b/"}, {"../g", "http://a/b/g"},
        {"../..", "http://a/"}, {"../../", "http://a/"}, {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"}, {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http:g"},
    };
    sparql_arena *arena = sparql_arena_new();
    assert_non_null(arena);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = sparql_iri_resolve(arena, "http://a/b/c/d;p?q", cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0) {
            print_error("resolve(%s): expected %s, got %s\n", cases[i][0], cases[i][1], got);
            sparql_arena_free(arena);
            fail();
        }
    }
    sparql_arena_free(arena);
}

static void test_literals_and_terms(void **state)
{
    (void)state;
    assert_algebra("SELECT * { ?s ?p 'a', \"b\"@EN-gb, '''c\nd''', \"e\"^^<http://t/>, -1, +2.5, 1e3, "
                   "true, \"\\u00e9\\t\" ; a () }",
                   "(project (?s ?p) (bgp (triple ?s ?p \"a\") (triple ?s ?p \"b\"@en-gb) "
                   "(triple ?s ?p \"c\\nd\") (triple ?s ?p \"e\"^^<http://t/>) (triple ?s ?p -1) "
                   "(triple ?s ?p +2.5) (triple ?s ?p \"1e3\"^^<http://www.w3.org/2001/XMLSchema#double>) "
                   "(triple ?s ?p true) (triple ?s ?p \"\xc3\xa9\t\") "
                   "(triple ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                   "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>)))");
    assert_algebra("SELECT ($x AS ?y) {}", "(project (?y) (extend ((?y ?x)) (table unit)))");
    /* names are checked by code point: é is a name character, × is not */
    assert_algebra("PREFIX \xc3\xa9: <http://e/> ASK { ?\xc3\xa9 \xc3\xa9:a\xc2\xb7" "b _:\xc3\xa9 }",
                   "(ask (bgp (triple ?\xc3\xa9 <http://e/a\xc2\xb7" "b> ?_:\xc3\xa9)))");
    assert_error("ASK { ?a\xc3\x97 ?p ?o }", "1:9: unexpected character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_algebra),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_prefix_and_base),
        cmocka_unit_test(test_rfc3986),
        cmocka_unit_test(test_literals_and_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
