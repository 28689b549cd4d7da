/*
 * cmd_query.c — `citykg query`: run a SPARQL query on a store snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl.h"
#include "cli.h"
#include "plan.h"

typedef struct {
    const char *text;
    results_format format;
    const sparql_run_options *options;
    uint64_t repeat; /* runs on the same snapshot; all but the last write to /dev/null */
    bool as_principal; /* --token or --as-anonymous: only what that caller may read */
    const char *token; /* NULL with as_principal: anonymous */
} query_run;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static ck_status run_query_as(ck_txn *txn, const query_run *r, ck_error *err);

/* With --token or --as-anonymous: the query sees only the graphs that
 * caller may read, decided on the same snapshot the query runs on. */
static ck_status run_query(ck_txn *txn, void *ctx, ck_error *err)
{
    const query_run *r = ctx;
    if (!r->as_principal)
        return run_query_as(txn, r, err);
    ck_principal *who;
    ck_status st = ck_acl_authenticate(txn, r->token, &who, err);
    if (st)
        return st;
    ck_graph_set *readable = NULL;
    st = ck_acl_readable(txn, who, &readable, err);
    ck_principal_free(who);
    if (st)
        return st;
    sparql_run_options options = *r->options;
    options.readable = readable;
    query_run restricted = *r;
    restricted.options = &options;
    st = run_query_as(txn, &restricted, err);
    ck_graph_set_free(readable);
    return st;
}

static ck_status run_query_as(ck_txn *txn, const query_run *r, ck_error *err)
{
    if (r->repeat <= 1)
        return sparql_run(txn, r->text, NULL, r->format, r->options, stdout, err);
    /* --repeat: time every run (parse, plan, execute, write) on one warm
     * snapshot, as the benchmarks compare in-process peers. */
    FILE *devnull = fopen("/dev/null", "w");
    double *ms = malloc(r->repeat * sizeof *ms);
    ck_status st = devnull && ms ? CK_OK : CK_ERR_NOMEM;
    for (uint64_t i = 0; st == CK_OK && i < r->repeat; i++) {
        FILE *out = i + 1 == r->repeat ? stdout : devnull;
        double t0 = now_ms();
        st = sparql_run(txn, r->text, NULL, r->format, r->options, out, err);
        fflush(out);
        ms[i] = now_ms() - t0;
        fprintf(stderr, "run %llu/%llu: %.3f ms\n", (unsigned long long)i + 1,
                (unsigned long long)r->repeat, ms[i]);
    }
    if (st == CK_OK) {
        qsort(ms, r->repeat, sizeof *ms, compare_double);
        double median = r->repeat % 2 ? ms[r->repeat / 2]
                                      : (ms[r->repeat / 2 - 1] + ms[r->repeat / 2]) / 2;
        fprintf(stderr, "median: %.3f ms\n", median);
    }
    if (devnull)
        fclose(devnull);
    free(ms);
    return st;
}

int cmd_query(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg query [--data DIR] [--format FORMAT]\n"
               "                    [--explain] [--strict-default-graph] [--timeout MS]\n"
               "                    [--memory MB] [--allow-service HOST,...] [--repeat N]\n"
               "                    [--token TOKEN | --as-anonymous] (QUERY | -f FILE)\n\n"
               "Runs a SPARQL 1.1 query on a snapshot of the store. SELECT and ASK results\n"
               "are written as json, xml, csv, tsv or table (the default); CONSTRUCT and\n"
               "DESCRIBE graphs as turtle, ntriples, nquads, rdfxml or jsonld (default:\n"
               "turtle with the query's prefixes; ntriples when --format names a SELECT\n"
               "format other than table). The default graph is the union of all graphs unless\n"
               "--strict-default-graph is given. --explain prints the algebra and the plan\n"
               "with estimated and actual rows per operator to stderr. A query stops with\n"
               "an error after --timeout milliseconds (default 60000), or when its tables and\n"
               "buffers pass --memory MiB (default 4096). SERVICE may contact only the hosts\n"
               "listed by --allow-service (host or host:port; none by default); proxies\n"
               "come from http_proxy / https_proxy / no_proxy. --repeat N runs the\n"
               "query N times on one snapshot, prints each run's time and the median to\n"
               "stderr and the last run's results to stdout (for benchmarks).\n"
               "--token TOKEN runs the query as that token's holder, --as-anonymous as a\n"
               "caller without a token: the query sees only the graphs that caller may read\n"
               "(docs/security.md); without either it sees every graph.\n");
        return 0;
    }
    options o;
    if (parse_options(argc, argv,
                      "data format file explain strict-default-graph timeout memory repeat "
                      "allow-service token as-anonymous",
                      &o))
        return 1;
    const char *format_name = o.format ? o.format : "table", *file = o.file;
    const char *text_arg = o.nargs == 1 ? o.args[0] : NULL;
    const char *data = o.data;
    sparql_run_options opts = {.explain = o.explain,
                               .strict_default_graph = o.strict_default_graph,
                               .timeout_ms = o.timeout_ms ? o.timeout_ms : 60000,
                               .memory_limit = (o.memory_mb ? o.memory_mb : 4096) << 20,
                               .service_allow = o.allow_service};
    int nargs = o.nargs;
    free(o.args);
    if (nargs > 1)
        return cli_fail("query takes one QUERY argument (quote it)");
    if (o.token && o.as_anonymous)
        return cli_fail("give --token or --as-anonymous, not both");
    if (o.token && !*o.token)
        return cli_fail("--token needs a token (use --as-anonymous to run without one)");
    /* one --format for every query form: a SELECT/ASK name leaves graphs in
     * Turtle (table, for people) or N-Triples (the machine formats); a
     * graph name makes SELECT and ASK fail */
    results_format format = RESULTS_TABLE;
    graph_format gformat;
    if (results_format_from_name(format_name, &format)) {
        opts.graph_format = format == RESULTS_TABLE ? GRAPH_TURTLE : GRAPH_NTRIPLES;
    } else if (graph_format_from_name(format_name, &gformat)) {
        opts.graph_format = gformat;
        opts.graph_format_only = true;
    } else {
        return cli_fail("unknown format '%s' (SELECT and ASK: json, xml, csv, tsv, table; "
                        "CONSTRUCT and DESCRIBE: turtle, ntriples, nquads, rdfxml, jsonld)",
                        format_name);
    }
    char *text = cli_read_text(text_arg, file, "query");
    if (!text)
        return 1;
    opts.explain_out = stderr;
    query_run run = {text, format, &opts, o.repeat, o.token || o.as_anonymous, o.token};
    ck_error err = {0};
    ck_status st = cli_with_snapshot(data, run_query, &run, &err);
    free(text);
    if (st == CK_ERR_SYNTAX)
        return cli_fail("syntax error at %s", err.message);
    return st ? cli_fail_error(&err) : 0;
}
