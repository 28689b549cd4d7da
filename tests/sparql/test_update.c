/*
 * test_update.c — cmocka tests of SPARQL 1.1 Update: the parser's update
 * grammar and static rules (errors with line:column), and the executor
 * (sparql/update.c) on a real LMDB store: atomicity of a request,
 * DELETE/INSERT snapshot semantics, COPY/MOVE onto themselves, SILENT,
 * LOAD refused off the allow-list and outside the load folders, access
 * checks and change reports, limits.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "algebra.h"
#include "plan.h"
#include "update.h"
#include "store_fixture.h"

#define EX "http://ex.org/"

/* ---- parser ------------------------------------------------------------------ */

static ck_status parse(const char *text, ck_error *err)
{
    sparql_update *u = NULL;
    ck_status st = sparql_update_parse(text, NULL, &u, err);
    sparql_update_free(u);
    return st;
}

/* text must fail to parse with a message starting with prefix (line:column). */
static void assert_syntax_error(const char *text, const char *prefix, const char *part)
{
    ck_error err = {0};
    assert_int_equal(parse(text, &err), CK_ERR_SYNTAX);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0 || !strstr(err.message, part))
        fail_msg("'%s': got '%s', wanted '%s...%s'", text, err.message, prefix, part);
}

static void test_parse_operations(void **state)
{
    (void)state;
    sparql_update *u;
    ck_error err = {0};
    const char *text = "PREFIX : <" EX ">\n"
                       "WITH :g DELETE { ?s :p ?o } INSERT { GRAPH :h { ?s :q [ :r ?o ] } }\n"
                       "USING :a USING NAMED :b WHERE { ?s :p ?o } ;\n"
                       "BASE <http://base.org/> LOAD SILENT <data.ttl> INTO GRAPH <g> ;\n"
                       "CLEAR NAMED ; DROP SILENT ALL ; CREATE GRAPH :c ;\n"
                       "COPY DEFAULT TO :d ; MOVE GRAPH :d TO DEFAULT ; ADD :e TO GRAPH :f ;\n"
                       "DELETE WHERE { ?x :p ?y . GRAPH ?g { ?x :q ?y } } ;";
    assert_int_equal(sparql_update_parse(text, NULL, &u, &err), CK_OK);
    assert_int_equal(u->n_ops, 9);
    const sparql_update_op *m = &u->ops[0];
    assert_int_equal(m->kind, SPARQL_UPDATE_MODIFY);
    assert_string_equal(m->with, EX "g");
    assert_int_equal(m->n_remove, 1);
    assert_int_equal(m->n_insert, 2);
    assert_true(m->insert[0].g.var < 0 && strcmp(m->insert[0].g.term.value, EX "h") == 0);
    /* [ ] is a template term, its own triple comes first */
    assert_int_equal(m->insert[0].s.term.kind, CK_TERM_BLANK);
    assert_int_equal(m->insert[1].o.term.kind, CK_TERM_BLANK);
    assert_int_equal(m->n_using, 1);
    assert_string_equal(m->using_named[0], EX "b");
    assert_non_null(m->where);
    const sparql_update_op *load = &u->ops[1];
    assert_int_equal(load->kind, SPARQL_UPDATE_LOAD);
    assert_true(load->silent);
    assert_string_equal(load->source, "http://base.org/data.ttl");
    assert_string_equal(load->target.iri, "http://base.org/g");
    assert_int_equal(u->ops[2].target.kind, SPARQL_GRAPH_NAMED);
    assert_int_equal(u->ops[3].target.kind, SPARQL_GRAPH_ALL);
    assert_int_equal(u->ops[5].source_graph.kind, SPARQL_GRAPH_DEFAULT);
    assert_int_equal(u->ops[6].source_graph.kind, SPARQL_GRAPH_IRI);
    assert_int_equal(u->ops[6].target.kind, SPARQL_GRAPH_DEFAULT);
    const sparql_update_op *dw = &u->ops[8];
    assert_int_equal(dw->n_remove, 2);
    assert_true(dw->remove[1].g.var >= 0);
    assert_int_equal(dw->where->op, SPARQL_OP_JOIN); /* BGP joined with GRAPH ?g { } */
    assert_int_equal(dw->line, 7);
    sparql_update_free(u);
    /* an empty request and a prologue alone are requests of no operation */
    assert_int_equal(parse("", &err), CK_OK);
    assert_int_equal(parse("PREFIX : <" EX ">", &err), CK_OK);
}

static void test_parse_errors(void **state)
{
    (void)state;
    assert_syntax_error("INSERT DATA { ?s <" EX "p> 1 }", "1:15:", "variables are not allowed in INSERT DATA");
    assert_syntax_error("INSERT DATA { GRAPH ?g { <" EX "s> <" EX "p> 1 } }", "1:21:", "variables");
    assert_syntax_error("DELETE DATA { _:a <" EX "p> 1 }", "1:15:", "blank nodes are not allowed in DELETE DATA");
    assert_syntax_error("DELETE WHERE { [] <" EX "p> 1 }", "1:16:", "DELETE WHERE");
    assert_syntax_error("DELETE { ?s <" EX "p> [] } WHERE { ?s ?p ?o }", "1:31:", "DELETE template");
    assert_syntax_error("INSERT DATA { _:b <" EX "p> 1 } ;\nINSERT DATA { _:b <" EX "p> 2 }", "2:15:",
                        "already used by operation 1");
    assert_syntax_error("CREATE GRAPH <" EX "g>\nDROP ALL", "2:1:", "expected ';'");
    assert_syntax_error("CREATE GRAPH <" EX "g> ;;", "1:33:", "expected an update operation");
    assert_syntax_error("INSERT WHERE { ?s ?p ?o }", "1:8:", "expected '{'");
    assert_syntax_error("CLEAR GRAPHS <" EX "g>", "1:7:", "GRAPH <iri>, DEFAULT, NAMED or ALL");
    assert_syntax_error("INSERT DATA { GRAPH <" EX "g> { <" EX "s> <" EX "p> 1 . GRAPH <" EX "h> { } } }",
                        "1:", "expected");
    assert_syntax_error("LOAD ;", "1:6:", "the IRI to load");
    assert_syntax_error("SELECT * { ?s ?p ?o }", "1:1:", "expected an update operation");
    /* template labels of INSERT ... WHERE may repeat: new nodes per solution */
    ck_error err;
    assert_int_equal(parse("INSERT { _:b <" EX "p> 1 } WHERE {} ; INSERT { _:b <" EX "p> 2 } WHERE {}", &err),
                     CK_OK);
}

/* ---- executor on a real store -------------------------------------------------- */

/* A store from tests/core/store_fixture.h, and the options and callback
 * records of one test's requests. */
typedef struct {
    const char *dir;
    ck_store *store;
    sparql_update_options opt;
    /* what the callbacks saw */
    char asked[16][128];
    int n_asked;
    char changed[16][160];
    int n_changed;
    const char *forbidden; /* may_write refuses this graph */
} session;

static bool may_write(void *ctx, const char *graph)
{
    session *f = ctx;
    if (f->n_asked < 16)
        snprintf(f->asked[f->n_asked++], 128, "%s", graph ? graph : "default");
    return !f->forbidden || !graph || strcmp(graph, f->forbidden) != 0;
}

static void on_change(void *ctx, const char *graph, uint64_t added, uint64_t removed)
{
    session *f = ctx;
    if (f->n_changed < 16)
        snprintf(f->changed[f->n_changed++], 160, "%s +%llu -%llu", graph ? graph : "default",
                 (unsigned long long)added, (unsigned long long)removed);
}

/* A session on the test's store: every change allowed and reported,
 * strict default graph (the specification's). */
static session *session_start(session *f, void **state)
{
    const fixture *store = *state;
    memset(f, 0, sizeof *f);
    f->dir = store->dir;
    f->store = store->store;
    f->opt.may_write = may_write;
    f->opt.acl_ctx = f;
    f->opt.on_graph_change = on_change;
    f->opt.report_ctx = f;
    f->opt.strict_default_graph = true;
    return f;
}

/* Runs an update as one transaction: committed on CK_OK, aborted otherwise. */
static ck_status update(session *f, const char *text, ck_error *err)
{
    ck_txn *txn;
    f->n_asked = f->n_changed = 0;
    assert_int_equal(ck_txn_begin_write(f->store, &txn, err), CK_OK);
    ck_status st = sparql_update_run(txn, text, NULL, &f->opt, err);
    if (st == CK_OK)
        assert_int_equal(ck_txn_commit(txn, err), CK_OK);
    else
        ck_txn_abort(txn);
    return st;
}

static void update_ok(session *f, const char *text)
{
    ck_error err = {0};
    if (update(f, text, &err) != CK_OK)
        fail_msg("update failed: %s", err.message);
}

/* The answer of an ASK query on a fresh snapshot (strict default graph). */
static bool ask(session *f, const char *query)
{
    ck_txn *txn;
    ck_error err = {0};
    assert_int_equal(ck_txn_begin_read(f->store, &txn, &err), CK_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sparql_run_options ro = {.strict_default_graph = true};
    ck_status st = sparql_run(txn, query, NULL, RESULTS_JSON, &ro, out, &err);
    fclose(out);
    ck_txn_abort(txn);
    if (st)
        fail_msg("ask failed: %s", err.message);
    bool yes = strstr(buf, "true") != NULL;
    free(buf);
    return yes;
}

static uint64_t store_quads(session *f)
{
    ck_txn *txn;
    ck_error err;
    ck_store_stats s;
    assert_int_equal(ck_txn_begin_read(f->store, &txn, &err), CK_OK);
    assert_int_equal(ck_store_stats_get(txn, &s, &err), CK_OK);
    ck_txn_abort(txn);
    return s.quads;
}

static void test_atomic_request(void **state)
{
    session session_, *f = session_start(&session_, state);
    ck_error err = {0};
    /* the second operation fails: nothing of the first is stored */
    assert_int_equal(update(f, "INSERT DATA { <" EX "a> <" EX "p> 1 } ;\n"
                               "CLEAR GRAPH <" EX "missing>", &err),
                     CK_ERR_INVALID);
    assert_string_equal(err.message, "2:1: CLEAR: graph <" EX "missing> does not exist (holds no quads)");
    assert_int_equal(store_quads(f), 0);
    /* a refused graph in the second operation: nothing stored either */
    f->forbidden = EX "secret";
    assert_int_equal(update(f, "INSERT DATA { <" EX "a> <" EX "p> 1 } ;\n"
                               "INSERT DATA { GRAPH <" EX "secret> { <" EX "a> <" EX "p> 2 } }", &err),
                     CK_ERR_FORBIDDEN);
    assert_non_null(strstr(err.message, "not allowed to change graph <" EX "secret>"));
    assert_int_equal(store_quads(f), 0);
    f->forbidden = NULL;
    /* later operations see the effects of earlier ones */
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { :a :p 1 } ; INSERT { :a :q ?o } WHERE { :a :p ?o }");
    assert_true(ask(f, "ASK { <" EX "a> <" EX "q> 1 }"));
}

static void test_snapshot_semantics(void **state)
{
    session session_, *f = session_start(&session_, state);
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { :a :next :b . :b :next :c . :n :v 1 }");
    /* WHERE is evaluated completely before the deletes and inserts: the
     * edges are reversed, not chased */
    update_ok(f, "PREFIX : <" EX "> DELETE { ?x :next ?y } INSERT { ?y :next ?x } WHERE { ?x :next ?y }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :b :next :a . :c :next :b }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { :a :next :b }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { :b :next :c }"));
    /* inserting what WHERE matches does not feed back into WHERE */
    update_ok(f, "PREFIX : <" EX "> INSERT { :n :v ?w } WHERE { :n :v ?v BIND(?v + 1 AS ?w) }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :n :v 1, 2 }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { :n :v 3 }"));
    /* delete before insert: a quad both deleted and inserted stays */
    update_ok(f, "PREFIX : <" EX "> DELETE { :n :v ?v } INSERT { :n :v ?v } WHERE { :n :v ?v }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :n :v 1, 2 }"));
}

static void test_template_skips(void **state)
{
    session session_, *f = session_start(&session_, state);
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { :a :name \"A\" . :b :name \"B\" . :b :age 3 }");
    /* a literal subject and an unbound variable skip only that quad */
    update_ok(f, "PREFIX : <" EX "> INSERT { ?n :of ?s . ?s :years ?age . ?s :seen true } "
                 "WHERE { ?s :name ?n OPTIONAL { ?s :age ?age } }");
    assert_false(ask(f, "ASK { ?s <" EX "of> ?o }"));
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :b :years 3 . :a :seen true . :b :seen true }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { :a :years ?y }"));
    /* deleting terms the store has never seen is no error */
    update_ok(f, "DELETE DATA { <" EX "nobody> <" EX "p> \"never stored\" }");
    /* computed values and blank nodes made per solution */
    update_ok(f, "PREFIX : <" EX "> INSERT { [] :label ?l } WHERE { ?s :name ?n BIND(CONCAT(\"x\", ?n) AS ?l) }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { ?x :label \"xA\" . ?y :label \"xB\" FILTER(isBlank(?x) && ?x != ?y) }"));
}

static void test_graph_management(void **state)
{
    session session_, *f = session_start(&session_, state);
    ck_error err = {0};
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { :a :p 1 . GRAPH :g { :a :p 2 } }");
    /* onto itself: nothing changes */
    update_ok(f, "PREFIX : <" EX "> MOVE :g TO :g ; COPY GRAPH :g TO :g ; ADD DEFAULT TO DEFAULT ;"
                 " COPY DEFAULT TO DEFAULT");
    assert_int_equal(f->n_changed, 0);
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :a :p 1 GRAPH :g { :a :p 2 } }"));
    /* COPY replaces, ADD merges, MOVE empties the source */
    update_ok(f, "PREFIX : <" EX "> COPY DEFAULT TO :h ; ADD :g TO :h ; MOVE :h TO :k");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { GRAPH :k { :a :p 1, 2 } }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { GRAPH :h { ?s ?p ?o } }"));
    /* CREATE of an existing graph, CLEAR/DROP/ADD of missing ones: fail
     * unless SILENT */
    assert_int_equal(update(f, "CREATE GRAPH <" EX "g>", &err), CK_ERR_INVALID);
    assert_non_null(strstr(err.message, "already exists"));
    assert_int_equal(update(f, "DROP GRAPH <" EX "none>", &err), CK_ERR_INVALID);
    assert_int_equal(update(f, "ADD <" EX "none> TO DEFAULT", &err), CK_ERR_INVALID);
    update_ok(f, "CREATE SILENT GRAPH <" EX "g> ; DROP SILENT GRAPH <" EX "none> ;"
                 " CLEAR SILENT GRAPH <" EX "none> ; ADD SILENT <" EX "none> TO DEFAULT ;"
                 " CREATE GRAPH <" EX "new>");
    assert_int_equal(f->n_changed, 0);
    /* DROP NAMED keeps the default graph, DROP ALL does not */
    update_ok(f, "DROP NAMED");
    assert_true(ask(f, "ASK { <" EX "a> <" EX "p> 1 }"));
    assert_false(ask(f, "ASK { GRAPH ?g { ?s ?p ?o } }"));
    update_ok(f, "DROP ALL");
    assert_int_equal(store_quads(f), 0);
}

static void test_dataset_and_reports(void **state)
{
    session session_, *f = session_start(&session_, state);
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { :a :p 1 . GRAPH :g { :a :p 2 . :b :p 3 } }");
    assert_int_equal(f->n_changed, 2);
    assert_string_equal(f->changed[0], "default +1 -0");
    assert_string_equal(f->changed[1], EX "g +2 -0");
    /* WITH: WHERE reads and templates write the graph */
    update_ok(f, "PREFIX : <" EX "> WITH :g DELETE { ?s :p ?o } INSERT { ?s :q ?o } WHERE { ?s :p 2 . ?s :p ?o }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :a :p 1 GRAPH :g { :a :q 2 . :b :p 3 } }"));
    assert_int_equal(f->n_asked, 1);
    assert_string_equal(f->asked[0], EX "g");
    assert_string_equal(f->changed[0], EX "g +1 -1");
    /* USING: WHERE reads :g, the template writes the default graph */
    update_ok(f, "PREFIX : <" EX "> INSERT { ?s :from-g ?o } USING :g WHERE { ?s :p ?o }");
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :b :from-g 3 }"));
    /* the protocol's using-graph-uri replaces USING */
    const char *using[] = {EX "none"};
    f->opt.using_graphs = using;
    f->opt.n_using_graphs = 1;
    update_ok(f, "PREFIX : <" EX "> INSERT { ?s :protocol ?o } USING :g WHERE { ?s :p ?o }");
    f->opt.n_using_graphs = 0;
    assert_false(ask(f, "ASK { ?s <" EX "protocol> ?o }"));
}

/* WHERE reads only the graphs the caller may read (options.readable, passed
 * on to the query engine): an unreadable graph is as if it did not exist. */
static void test_readable_graphs(void **state)
{
    session session_, *f = session_start(&session_, state);
    update_ok(f, "PREFIX : <" EX "> INSERT DATA { GRAPH :open { :a :p 1 } GRAPH :secret { :b :p 2 } }");
    ck_txn *txn;
    ck_error err;
    ck_id open_id = 0;
    ck_term open = {.kind = CK_TERM_IRI, .value = EX "open", .value_len = strlen(EX "open")};
    assert_int_equal(ck_txn_begin_read(f->store, &txn, &err), CK_OK);
    assert_int_equal(ck_term_lookup(txn, &open, &open_id, &err), CK_OK);
    ck_txn_abort(txn);
    assert_true(open_id != 0);
    ck_graph_set readable = {.ids = &open_id, .n = 1, .default_graph = true};
    f->opt.readable = &readable;
    f->opt.strict_default_graph = false;
    update_ok(f, "PREFIX : <" EX "> INSERT { ?s :seen ?o } WHERE { ?s :p ?o }");
    update_ok(f, "PREFIX : <" EX "> INSERT { ?s :seen-in ?g } WHERE { GRAPH ?g { ?s :p ?o } }");
    update_ok(f, "PREFIX : <" EX "> INSERT { ?s :seen-with ?o } USING :secret WHERE { ?s :p ?o }");
    update_ok(f, "PREFIX : <" EX "> DELETE WHERE { GRAPH :secret { ?s :p ?o } }");
    f->opt.readable = NULL;
    f->opt.strict_default_graph = true;
    assert_true(ask(f, "PREFIX : <" EX "> ASK { :a :seen 1 . :a :seen-in :open }"));
    assert_false(ask(f, "PREFIX : <" EX "> ASK { :b ?p ?o }"));
    assert_true(ask(f, "PREFIX : <" EX "> ASK { GRAPH :secret { :b :p 2 } }"));
}

static void test_limits(void **state)
{
    session session_, *f = session_start(&session_, state);
    ck_error err = {0};
    volatile bool cancelled = true;
    f->opt.cancelled = &cancelled;
    assert_int_equal(update(f, "INSERT DATA { <" EX "a> <" EX "p> 1 }", &err), CK_ERR_CANCELLED);
    f->opt.cancelled = NULL;
    f->opt.memory_limit = 64;
    assert_int_equal(update(f, "INSERT DATA { <" EX "a> <" EX "p> 1, 2, 3, 4 }", &err), CK_ERR_FULL);
    assert_non_null(strstr(err.message, "memory budget"));
    f->opt.memory_limit = 0;
    assert_int_equal(store_quads(f), 0);
}

/* LOAD: files only inside load_dirs (no escape by .. or symbolic links),
 * http(s) only from hosts on the allow-list. */
static void test_load_restrictions(void **state)
{
    session session_, *f = session_start(&session_, state);
    ck_error err = {0};
    char open_dir[128], closed_dir[128], text[512];
    snprintf(open_dir, sizeof open_dir, "%s/open", f->dir);
    snprintf(closed_dir, sizeof closed_dir, "%s/closed", f->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s %s && printf '<" EX "s> <" EX "p> \"inside\" .\\n' > %s/in.nt && "
             "printf '<" EX "s> <" EX "p> \"outside\" .\\n' > %s/out.nt && ln -s %s/out.nt %s/link.nt",
             open_dir, closed_dir, open_dir, closed_dir, closed_dir, open_dir);
    assert_int_equal(system(cmd), 0);
    f->opt.load_dirs = open_dir;
    snprintf(text, sizeof text, "LOAD <file://%s/in.nt> INTO GRAPH <" EX "g>", open_dir);
    update_ok(f, text);
    assert_true(ask(f, "ASK { GRAPH <" EX "g> { <" EX "s> <" EX "p> \"inside\" } }"));
    assert_string_equal(f->changed[0], EX "g +1 -0");
    const char *escapes[] = {"%s/link.nt", "%s/../closed/out.nt"};
    for (int i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, escapes[i], open_dir);
        snprintf(text, sizeof text, "LOAD <file://%s>", path);
        assert_int_equal(update(f, text, &err), CK_ERR_FORBIDDEN);
        assert_non_null(strstr(err.message, "outside the folders open to LOAD"));
        snprintf(text, sizeof text, "LOAD SILENT <file://%s>", path);
        update_ok(f, text);
    }
    f->opt.load_dirs = NULL;
    snprintf(text, sizeof text, "LOAD <file://%s/in.nt>", open_dir);
    assert_int_equal(update(f, text, &err), CK_ERR_FORBIDDEN);
    f->opt.load_allow = "data.example.org";
    assert_int_equal(update(f, "LOAD <http://other.example.org/x.ttl>", &err), CK_ERR_FORBIDDEN);
    assert_non_null(strstr(err.message, "not on the allow-list"));
    assert_int_equal(update(f, "LOAD <ftp://data.example.org/x.ttl>", &err), CK_ERR_INVALID);
    f->opt.load_allow = NULL;
    assert_false(ask(f, "ASK { ?s ?p \"outside\" }"));
    /* a file that does not parse fails the request; SILENT ignores it */
    f->opt.load_dirs = open_dir;
    snprintf(cmd, sizeof cmd, "printf '<" EX "s> <" EX "p> .\\n' > %s/bad.nt", open_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(text, sizeof text, "INSERT DATA { <" EX "x> <" EX "p> 1 } ; LOAD <file://%s/bad.nt>", open_dir);
    assert_int_equal(update(f, text, &err), CK_ERR_INVALID);
    assert_non_null(strstr(err.message, "bad.nt:1:"));
    assert_false(ask(f, "ASK { <" EX "x> ?p ?o }"));
    snprintf(text, sizeof text, "INSERT DATA { <" EX "x> <" EX "p> 1 } ; LOAD SILENT <file://%s/bad.nt>", open_dir);
    update_ok(f, text);
    assert_true(ask(f, "ASK { <" EX "x> ?p ?o }"));
    f->opt.load_dirs = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_operations),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test_setup_teardown(test_atomic_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_template_skips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph_management, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dataset_and_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readable_graphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_restrictions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
