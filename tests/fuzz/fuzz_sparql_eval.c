/*
 * fuzz_sparql_eval.c — libFuzzer target for the expression evaluator
 * (eval.c, functions.c, value.c, decimal.c, datetime.c, termspace.c).
 *
 * The input is one expression E. The first byte picks a query around it
 * (low 3 bits: E as a SELECT expression with ORDER BY, in FILTER, in
 * aggregates, in BIND, in an OPTIONAL's filter, in a CONSTRUCT template,
 * filtering VALUES in ASK, as a GROUP BY key), the output format (bits 3-5,
 * modulo 5: JSON XML CSV TSV table, for CONSTRUCT N-Triples N-Quads Turtle
 * RDF/XML JSON-LD), the separate default graph (bit 6) and --explain
 * (bit 7); the rest is E. The query runs through sparql_run on a small
 * store, made once per process, holding literals of every kind the
 * functions treat differently (integers, decimals, doubles, NaN, dates,
 * language strings, ill-typed literals, IRIs, blank nodes). E may of course
 * close the brackets and write any query: that is fine, it still fuzzes.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "fuzz_common.h"
#include "loader.h"
#include "plan.h"

static const char store_data[] =
    "@prefix ex: <http://example.org/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "ex:s1 ex:int 1, -7, 42, 9223372036854775807 ;\n"
    "  ex:dec 1.5, -0.0, 0.000000000000000000000000000001 ;\n"
    "  ex:dbl 1.0e3, \"NaN\"^^xsd:double, \"-INF\"^^xsd:double, \"1.5e-310\"^^xsd:double ;\n"
    "  ex:flt \"3.5\"^^xsd:float ;\n"
    "  ex:str \"abc\", \"ABC\"@en, \"\\u65E5\\u672C\"@ja-JP, \"\", \"a\\tb\\nc\", \"\\uD7FF\\U0001F600\" ;\n"
    "  ex:date \"2011-01-10T14:45:13.815-05:00\"^^xsd:dateTime, \"2010-06-21Z\"^^xsd:date,\n"
    "    \"2011-01-10T14:45:13\"^^xsd:dateTime, \"-0044-03-15T12:00:00+14:00\"^^xsd:dateTime ;\n"
    "  ex:num \"1E400\"^^xsd:double, \"123456789012345678901234567890.5\"^^xsd:decimal,\n"
    "    \"+5\"^^xsd:integer, \"007\"^^xsd:integer, \"0.1\"^^xsd:float ;\n"
    "  ex:time \"0000-01-01T00:00:00\"^^xsd:dateTime, \"2016-12-31T23:59:60Z\"^^xsd:dateTime,\n"
    "    \"2011-01-10T14:45:13.123456789123+01:30\"^^xsd:dateTime, \"P1DT2H\"^^xsd:dayTimeDuration ;\n"
    "  ex:bool true, \"0\"^^xsd:boolean ;\n"
    "  ex:bad \"x\"^^xsd:integer, \"1.\"^^xsd:decimal, \"z\"^^xsd:dateTime, \"v\"^^ex:type ;\n"
    "  ex:iri ex:s2, <http://example.org/a%20b?q=1#f> ;\n"
    "  ex:bnode _:b1 .\n"
    "_:b1 ex:int 2 ; ex:str \"blank\" .\n"
    "ex:g { ex:s2 ex:p ex:s1 ; ex:str \"named\"@de . }\n";

static const char prologue[] =
    "PREFIX ex: <http://example.org/>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX fn: <http://www.w3.org/2005/xpath-functions#>\n";

/* The queries around E, "%s" standing for it (every one in order). */
static const char *const templates[] = {
    "SELECT ?s ?o (%s AS ?x) WHERE { ?s ?p ?o } ORDER BY ?x ?o",
    "SELECT * WHERE { ?s ?p ?o FILTER(%s) }",
    ("SELECT ?p (SUM(%s) AS ?sum) (MIN(%s) AS ?min) (MAX(%s) AS ?max) (AVG(%s) AS ?avg)"
     " (COUNT(DISTINCT %s) AS ?n) (GROUP_CONCAT(STR(%s); SEPARATOR='|') AS ?all)"
     " WHERE { ?s ?p ?o } GROUP BY ?p"),
    "SELECT DISTINCT ?x WHERE { ?s ?p ?o BIND(%s AS ?x) } ORDER BY DESC(?x)",
    "SELECT ?s ?q WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r FILTER(%s) } }",
    "CONSTRUCT { ?s ex:x ?x } WHERE { GRAPH ?g { ?s ?p ?o } BIND(%s AS ?x) }",
    "ASK { VALUES (?s ?o) { (ex:s1 1) (ex:s2 \"x\"@en) (UNDEF 2.5) (ex:s3 \"\") } FILTER(%s) }",
    ("SELECT ?x (COUNT(*) AS ?c) WHERE { ?s ex:int|ex:str ?o BIND(%s AS ?x) }"
     " GROUP BY ?x HAVING(COUNT(*) > 0) ORDER BY ?x LIMIT 5 OFFSET 1"),
};
#define N_TEMPLATES (sizeof templates / sizeof *templates)

static ck_store *store;
static ck_txn *snapshot;

static void make_store(void)
{
    store = fuzz_store_new();
    char path[64];
    fuzz_file_set(store_data, sizeof store_data - 1, path, sizeof path);
    const char *files[] = {path};
    ck_load_options lo = {.format = "trig", .base = "http://example.org/"};
    ck_load_result lr;
    ck_error err;
    if (ck_load_files(store, files, 1, &lo, &lr, &err) != CK_OK)
        fuzz_fail("loading the fixed store", &err);
    if (ck_txn_begin_read(store, &snapshot, &err) != CK_OK)
        fuzz_fail("ck_txn_begin_read", &err);
}

/* Writes the template with every "%s" replaced by e (not printf: the
 * template's other characters must stay as they are). */
static char *build_query(const char *tmpl, const char *e, size_t elen)
{
    size_t uses = 0;
    for (const char *p = strstr(tmpl, "%s"); p; p = strstr(p + 2, "%s"))
        uses++;
    size_t n = sizeof prologue + strlen(tmpl) + uses * elen + 1;
    char *q = malloc(n), *w = q;
    if (!q)
        return NULL;
    w = stpcpy(w, prologue);
    for (const char *p = tmpl; *p;) {
        if (p[0] == '%' && p[1] == 's') {
            memcpy(w, e, elen);
            w += elen;
            p += 2;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return q;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!store)
        make_store();
    unsigned sel = data[0];
    /* the expression stops at a NUL: the parser would stop there anyway */
    size_t elen = strnlen((const char *)data + 1, size - 1);
    char *query = build_query(templates[(sel & 7) % N_TEMPLATES], (const char *)data + 1, elen);
    if (!query)
        return 0;
    unsigned f = ((sel >> 3) & 7) % 5; /* results or graph format */
    sparql_run_options opts = {.timeout_ms = 2000, .memory_limit = (uint64_t)256 << 20,
                               .explain = (sel & 0x80) != 0,
                               .explain_out = fuzz_devnull(),
                               .strict_default_graph = (sel & 0x40) != 0,
                               .graph_format = (graph_format)f};
    results_format format = (results_format)f;
    ck_error err = {0};
    ck_status st = sparql_run(snapshot, query, "http://example.org/base/", format, &opts,
                              fuzz_devnull(), &err);
    if (st != CK_OK && !err.message[0])
        fuzz_fail("a failed query without a message", &err);
    if (st != CK_OK && fuzz_devnull() == stderr)
        fprintf(stderr, "query failed: %s\n", err.message);
    free(query);
    return 0;
}
