/* Access control in SPARQL Update on a real store: a graph the caller may
 * not read does not exist for its updates. ADD, COPY and MOVE cannot carry
 * it into a graph the caller may write, and CLEAR, DROP, CREATE, ADD, COPY,
 * MOVE and WHERE answer exactly (status, message, effect) as for a graph
 * without quads, so no request learns that it exists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "store.h"
#include "store_fixture.h"
#include "update.h"

#define MINE "https://city.example/graph/agent-output"
#define SECRET "https://city.example/graph/secret"
#define NOTHING "https://city.example/graph/nothing"
#define PUBLIC "https://city.example/graph/public"

/* A fresh store (store_fixture.h) with the agent's graph, a public one, a
 * restricted one with data, a restricted level on an empty graph
 * (NOTHING), and the default graph. */
static int city_setup(void **state)
{
    setup(state);
    fixture *f = *state;
    ck_error err;
    ck_txn *t;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    must(sparql_update_run(t,
                           "PREFIX ex: <https://city.example/> "
                           "INSERT DATA { GRAPH <" MINE "> { ex:s1 ex:level 3 } "
                           "GRAPH <" PUBLIC "> { ex:b1 ex:height 12 } "
                           "GRAPH <" SECRET "> { ex:b1 ex:owner \"Jane Doe\" . ex:b2 ex:owner "
                           "\"John Doe\" } ex:d ex:note \"default\" }",
                           NULL, NULL, &err),
         &err);
    must(ck_acl_set_access(t, PUBLIC, CK_ACCESS_PUBLIC, &err), &err);
    must(ck_acl_set_access(t, SECRET, CK_ACCESS_RESTRICTED, &err), &err);
    must(ck_acl_set_access(t, NOTHING, CK_ACCESS_RESTRICTED, &err), &err);
    must(ck_txn_commit(t, &err), &err);
    return 0;
}

/* A principal of a fresh token (role, graphs listed). */
static ck_principal *principal(fixture *f, ck_role role, const char *listed)
{
    ck_txn *t;
    ck_error err;
    char id[CK_TOKEN_ID_LEN + 1], token[CK_TOKEN_TEXT_LEN + 1];
    const char *graphs[] = {listed};
    ck_token_spec spec = {role, graphs, listed ? 1 : 0, "acl_update test", 0};
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    must(ck_acl_token_create(t, &spec, id, token, &err), &err);
    ck_principal *p;
    must(ck_acl_authenticate(t, token, &p, &err), &err);
    must(ck_txn_commit(t, &err), &err);
    return p;
}

typedef struct {
    ck_txn *txn;
    const ck_principal *who;
} acl_ctx;

static bool may_write(void *ctx, const char *graph_iri)
{
    const acl_ctx *a = ctx;
    return ck_acl_may_write(a->txn, a->who, graph_iri);
}

/* What a request did: its status, its message with the graph it named
 * written as <G>, and the quads of each graph afterwards. */
typedef struct {
    ck_status status;
    char message[1100];
    uint64_t mine, secret, public_, default_, total;
} outcome;

static uint64_t graph_quads(ck_txn *t, const char *iri)
{
    if (!iri)
        return ck_stats_graph_count(t, CK_DEFAULT_GRAPH);
    ck_term term = {CK_TERM_IRI, iri, strlen(iri), NULL, 0, NULL, 0};
    ck_id id;
    ck_error err;
    must(ck_term_lookup(t, &term, &id, &err), &err);
    return id ? ck_stats_graph_count(t, id) : 0;
}

/* Runs text (its %s replaced by graph) as who in a transaction that is then
 * discarded, so that every request starts from the same store. */
static outcome run_as(fixture *f, const ck_principal *who, const char *text, const char *graph)
{
    char request[1024], named[256];
    snprintf(request, sizeof request, text, graph);
    snprintf(named, sizeof named, "<%s>", graph);
    ck_txn *t;
    ck_error err = {0};
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    ck_graph_set *readable;
    must(ck_acl_readable(t, who, &readable, &err), &err);
    acl_ctx a = {t, who};
    sparql_update_options o = {.readable = readable, .may_write = may_write, .acl_ctx = &a};
    outcome out = {0};
    out.status = sparql_update_run(t, request, NULL, &o, &err);
    if (out.status) {
        /* the message names the graph the request named: compare without it */
        const char *at = strstr(err.message, named);
        if (at)
            snprintf(out.message, sizeof out.message, "%.*s<G>%s", (int)(at - err.message),
                     err.message, at + strlen(named));
        else
            snprintf(out.message, sizeof out.message, "%s", err.message);
    }
    out.mine = graph_quads(t, MINE);
    out.secret = graph_quads(t, SECRET);
    out.public_ = graph_quads(t, PUBLIC);
    out.default_ = graph_quads(t, NULL);
    ck_store_stats stats;
    must(ck_store_stats_get(t, &stats, &err), &err);
    out.total = stats.quads;
    ck_graph_set_free(readable);
    ck_txn_abort(t);
    return out;
}

static void expect_same(const outcome *a, const outcome *b, const char *text)
{
    print_message("%s: %d '%s' / %d '%s'\n", text, a->status, a->message, b->status, b->message);
    assert_int_equal(a->status, b->status);
    assert_string_equal(a->message, b->message);
    assert_int_equal(a->mine, b->mine);
    assert_int_equal(a->public_, b->public_);
    assert_int_equal(a->default_, b->default_);
}

/* The operations that name a graph, for an agent that may write only its
 * own graph: on the restricted graph exactly as on a graph without quads. */
static void test_agent_cannot_see_restricted_graph(void **state)
{
    fixture *f = *state;
    ck_principal *agent = principal(f, CK_ROLE_AGENT, MINE);
    static const char *const requests[] = {
        "COPY <%s> TO <" MINE ">",
        "ADD <%s> TO <" MINE ">",
        "MOVE <%s> TO <" MINE ">",
        "COPY SILENT <%s> TO <" MINE ">",
        "ADD SILENT <%s> TO <" MINE ">",
        "CLEAR GRAPH <%s>",
        "CLEAR SILENT GRAPH <%s>",
        "DROP GRAPH <%s>",
        "DROP SILENT GRAPH <%s>",
        "CREATE GRAPH <%s>",
        "CREATE SILENT GRAPH <%s>",
        "INSERT { GRAPH <" MINE "> { ?s ?p ?o } } WHERE { GRAPH <%s> { ?s ?p ?o } }",
        "INSERT { GRAPH <" MINE "> { ?s ?p ?o } } USING <%s> WHERE { ?s ?p ?o }",
        "INSERT { GRAPH <" MINE "> { ?s ?p ?o } } USING NAMED <%s> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "DELETE WHERE { GRAPH <%s> { ?s ?p ?o } }",
        "WITH <%s> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    };
    for (size_t i = 0; i < sizeof requests / sizeof *requests; i++) {
        outcome secret = run_as(f, agent, requests[i], SECRET);
        outcome nothing = run_as(f, agent, requests[i], NOTHING);
        expect_same(&secret, &nothing, requests[i]);
        assert_int_equal(secret.secret, 2); /* untouched */
        assert_int_equal(secret.mine, 1);   /* nothing carried over */
    }
    /* the agent does write its own graph */
    outcome own = run_as(f, agent, "INSERT DATA { GRAPH <%s> { <https://city.example/s2> "
                                   "<https://city.example/level> 4 } }",
                         MINE);
    assert_int_equal(own.status, CK_OK);
    assert_int_equal(own.mine, 2);
    /* and the restricted graph's data is there for an admin to copy: the
     * refusals above are the restriction, not a broken COPY */
    ck_principal *admin = principal(f, CK_ROLE_ADMIN, NULL);
    outcome copied = run_as(f, admin, "COPY <%s> TO <" MINE ">", SECRET);
    assert_int_equal(copied.status, CK_OK);
    assert_int_equal(copied.mine, 2);
    ck_principal_free(admin);
    ck_principal_free(agent);
}

/* CLEAR ALL / DROP NAMED by a steward reach only the graphs it may read;
 * the restricted graph stays and is not named in any message. */
static void test_steward_clear_all_skips_restricted_graph(void **state)
{
    fixture *f = *state;
    ck_principal *steward = principal(f, CK_ROLE_STEWARD, NULL);
    static const char *const requests[] = {"CLEAR ALL", "DROP NAMED", "CLEAR NAMED", "DROP ALL"};
    for (size_t i = 0; i < sizeof requests / sizeof *requests; i++) {
        outcome o = run_as(f, steward, requests[i], "");
        print_message("%s: %d %s\n", requests[i], o.status, o.message);
        assert_int_equal(o.status, CK_OK);
        assert_int_equal(o.secret, 2);
        assert_int_equal(o.mine, 0);
        assert_int_equal(o.public_, 0);
        assert_int_equal(o.total, 2 + (strstr(requests[i], "NAMED") ? 1 : 0));
    }
    ck_principal_free(steward);
}

/* COPY DEFAULT when the default graph is restricted: as from an empty
 * default graph (which always exists), so the target ends empty. */
static void test_copy_of_unreadable_default_graph(void **state)
{
    fixture *f = *state;
    ck_txn *t;
    ck_error err;
    must(ck_txn_begin_write(f->store, &t, &err), &err);
    must(ck_acl_set_access(t, NULL, CK_ACCESS_RESTRICTED, &err), &err);
    must(ck_txn_commit(t, &err), &err);
    ck_principal *agent = principal(f, CK_ROLE_AGENT, MINE);
    outcome o = run_as(f, agent, "COPY DEFAULT TO <%s>", MINE);
    assert_int_equal(o.status, CK_OK);
    assert_int_equal(o.mine, 0);
    o = run_as(f, agent, "ADD DEFAULT TO <%s>", MINE);
    assert_int_equal(o.status, CK_OK);
    assert_int_equal(o.mine, 1);
    assert_int_equal(o.default_, 1);
    ck_principal_free(agent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_agent_cannot_see_restricted_graph, city_setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_steward_clear_all_skips_restricted_graph, city_setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_copy_of_unreadable_default_graph, city_setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
