/*
 * cmd_update.c — `citykg update`: run a SPARQL 1.1 Update request on the
 * store as one write transaction, committed only when every operation
 * succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "algebra.h"
#include "cli.h"
#include "update.h"

/* Quads added and removed, in total and per graph (for -v). */
typedef struct {
    uint64_t added, removed;
    size_t graphs;
    bool verbose;
    char *lines; /* "<g>: +a -r" per graph, for -v */
    size_t len;
} update_report;

static void on_graph_change(void *ctx, const char *graph, uint64_t added, uint64_t removed)
{
    update_report *r = ctx;
    r->added += added;
    r->removed += removed;
    r->graphs++;
    if (!r->verbose)
        return;
    size_t need = (graph ? strlen(graph) : 0) + 80;
    char *nl = realloc(r->lines, r->len + need);
    if (!nl)
        return;
    r->lines = nl;
    if (graph)
        r->len += (size_t)snprintf(r->lines + r->len, need, "  <%s>: +%llu -%llu\n", graph,
                                   (unsigned long long)added, (unsigned long long)removed);
    else
        r->len += (size_t)snprintf(r->lines + r->len, need, "  default graph: +%llu -%llu\n",
                                   (unsigned long long)added, (unsigned long long)removed);
}

/* --token / --as-anonymous: the caller whose rights the request runs with. */
typedef struct {
    ck_txn *txn;
    ck_principal *who;
} acl_caller;

static bool acl_may_write(void *ctx, const char *graph)
{
    const acl_caller *c = ctx;
    return ck_acl_may_write(c->txn, c->who, graph);
}

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* The options only `update` has, taken out of argv before parse_options
 * sees the rest: --allow-load HOSTS, --load-dir DIR (repeatable, joined
 * with ':'), -v / --verbose, --parse-only. */
typedef struct {
    const char *allow_load;
    char *load_dirs;
    bool verbose, parse_only;
} update_flags;

static int take_update_flags(int *argc, char **argv, update_flags *f)
{
    int out = 0;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        bool allow = strncmp(a, "--allow-load", 12) == 0 && (a[12] == 0 || a[12] == '=');
        bool dir = strncmp(a, "--load-dir", 10) == 0 && (a[10] == 0 || a[10] == '=');
        if (i > 0 && (allow || dir)) {
            const char *value = strchr(a, '=') ? strchr(a, '=') + 1 : i + 1 < *argc ? argv[++i] : NULL;
            if (!value)
                return cli_fail("option %s needs a value", a);
            if (allow) {
                f->allow_load = value;
            } else {
                size_t old = f->load_dirs ? strlen(f->load_dirs) : 0;
                char *nd = realloc(f->load_dirs, old + strlen(value) + 2);
                if (!nd)
                    return cli_fail("out of memory");
                sprintf(nd + old, "%s%s", old ? ":" : "", value);
                f->load_dirs = nd;
            }
        } else if (i > 0 && (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)) {
            f->verbose = true;
        } else if (i > 0 && strcmp(a, "--parse-only") == 0) {
            f->parse_only = true;
        } else {
            argv[out++] = argv[i];
        }
    }
    *argc = out;
    return 0;
}

static int usage(void)
{
    printf("usage: citykg update [--data DIR] [--base IRI] [--allow-load HOST,...]\n"
           "                     [--load-dir DIR]... [--strict-default-graph]\n"
           "                     [--timeout MS] [--memory MB] [-v] [--parse-only]\n"
           "                     [--token TOKEN | --as-anonymous] (UPDATE | -f FILE)\n\n"
           "Runs a SPARQL 1.1 Update request (INSERT DATA, DELETE DATA, DELETE/INSERT\n"
           "... WHERE, DELETE WHERE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY; several\n"
           "separated by ';') as one transaction: it is stored entirely or, on any\n"
           "error, not at all. Prints one line with the quads added and removed; -v adds\n"
           "one line per changed graph. WHERE sees the union of all graphs as its default\n"
           "graph unless --strict-default-graph is given; templates outside GRAPH write\n"
           "the store's default graph. LOAD reads file: IRIs only inside the folders\n"
           "given with --load-dir and http(s) IRIs only from the hosts listed by\n"
           "--allow-load (host or host:port; none by default). The request stops with an\n"
           "error after --timeout milliseconds (default 60000) or when it holds more than\n"
           "--memory MiB (default 4096). --token TOKEN runs the request with the rights\n"
           "of that token's holder, --as-anonymous with those of a caller without one:\n"
           "WHERE reads only the graphs that caller may read, and a change to a graph it\n"
           "may not write fails the whole request. --parse-only checks the syntax and\n"
           "static rules without opening the store. The store is created if it does not\n"
           "exist.\n");
    return 0;
}

static int run(const options *o, const update_flags *f, const char *text)
{
    ck_error err = {0};
    if (f->parse_only) {
        sparql_update *u;
        ck_status st = sparql_update_parse(text, o->base, &u, &err);
        if (st == CK_ERR_SYNTAX)
            return cli_fail("syntax error at %s", err.message);
        if (st)
            return cli_fail_error(&err);
        printf("%zu operation%s\n", u->n_ops, plural(u->n_ops));
        sparql_update_free(u);
        return 0;
    }
    update_report report = {.verbose = f->verbose};
    sparql_update_options uo = {.strict_default_graph = o->strict_default_graph,
                                .timeout_ms = o->timeout_ms ? o->timeout_ms : 60000,
                                .memory_limit = (o->memory_mb ? o->memory_mb : 4096) << 20,
                                .load_allow = f->allow_load,
                                .load_dirs = f->load_dirs,
                                .on_graph_change = on_graph_change,
                                .report_ctx = &report};
    ck_store *store;
    if (cli_open_store(o->data, CK_OPEN_CREATE, &store, &err))
        return cli_fail_error(&err);
    ck_txn *txn = NULL;
    acl_caller caller = {0};
    ck_graph_set *readable = NULL;
    ck_status st = ck_txn_begin_write(store, &txn, &err);
    if (st == CK_OK && (o->token || o->as_anonymous)) {
        /* rights decided in the transaction the request runs in */
        caller.txn = txn;
        st = ck_acl_authenticate(txn, o->token, &caller.who, &err);
        if (st == CK_OK)
            st = ck_acl_readable(txn, caller.who, &readable, &err);
        uo.readable = readable;
        uo.may_write = acl_may_write;
        uo.acl_ctx = &caller;
    }
    if (st == CK_OK)
        st = sparql_update_run(txn, text, o->base, &uo, &err);
    if (st == CK_OK)
        st = ck_txn_commit(txn, &err);
    else
        ck_txn_abort(txn);
    ck_graph_set_free(readable);
    ck_principal_free(caller.who);
    ck_store_close(store);
    if (st) {
        free(report.lines);
        if (st == CK_ERR_SYNTAX)
            return cli_fail("syntax error at %s", err.message);
        return cli_fail_error(&err);
    }
    printf("added %llu quad%s, removed %llu quad%s, %zu graph%s changed\n",
           (unsigned long long)report.added, plural(report.added),
           (unsigned long long)report.removed, plural(report.removed), report.graphs,
           plural(report.graphs));
    if (report.lines)
        fputs(report.lines, stdout);
    free(report.lines);
    return 0;
}

int cmd_update(int argc, char **argv)
{
    if (cli_wants_help(argc, argv))
        return usage();
    update_flags flags = {0};
    if (take_update_flags(&argc, argv, &flags)) {
        free(flags.load_dirs);
        return 1;
    }
    options o;
    if (parse_options(argc, argv,
                      "data base file strict-default-graph timeout memory token as-anonymous", &o)) {
        free(flags.load_dirs);
        return 1;
    }
    const char *text_arg = o.nargs == 1 ? o.args[0] : NULL;
    int nargs = o.nargs;
    free(o.args);
    char *text = NULL;
    int rc = 1;
    if (nargs > 1)
        cli_fail("update takes one UPDATE argument (quote it)");
    else if (o.token && o.as_anonymous)
        cli_fail("give --token or --as-anonymous, not both");
    else if ((text = cli_read_text(text_arg, o.file, "update")))
        rc = run(&o, &flags, text);
    free(text);
    free(flags.load_dirs);
    return rc;
}
