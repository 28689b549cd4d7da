/*
 * cmd_data.c — the store subcommands: load, dump, stats, check, import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dump.h"
#include "import_redland.h"
#include "loader.h"

static void print_progress(void *ctx, uint64_t quads, double seconds)
{
    (void)ctx;
    fprintf(stderr, "citykg: loaded %llu quads in %.0f s (%.0f quads/s)\n",
            (unsigned long long)quads, seconds, seconds > 0 ? quads / seconds : 0.0);
}

int cmd_load(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg load [--data DIR] [--graph IRI] [--format F] [--base IRI] [--quiet] "
               "FILE...\n\n"
               "Loads RDF files (or - for stdin) in one atomic transaction: a syntax error in\n"
               "any file is reported as file:line:column and nothing is stored.\n\n"
               "  --data DIR     store directory (default %s; created if missing)\n"
               "  --graph IRI    named graph receiving triples of the files' default graph\n"
               "  --format F     ntriples, nquads, turtle, trig or rdfxml (default: from the\n"
               "                 file name: .nt .nq .ttl .trig .rdf .owl .xml, optionally .gz)\n"
               "  --base IRI     base IRI for relative IRIs (default: the file's file: URI)\n"
               "  --batch N      quads per index batch (memory ~ 130 bytes x N; default 4194304)\n"
               "  --quiet        no progress output\n",
               CITYKG_DEFAULT_DATA_DIR);
        return 0;
    }
    options o;
    if (parse_options(argc, argv, "data graph format base batch", &o))
        return 1;
    if (o.nargs == 0)
        return cli_fail("load needs at least one FILE (or - for stdin)");
    for (int i = 0; i < o.nargs; i++)
        if (strcmp(o.args[i], "-") != 0 && access(o.args[i], R_OK) != 0)
            return cli_fail("%s: cannot read file", o.args[i]);
    ck_error err = {0};
    ck_store *store;
    if (cli_open_store(o.data, CK_OPEN_CREATE, &store, &err))
        return cli_fail_error(&err);
    ck_load_options lo = {.graph = o.graph, .format = o.format, .base = o.base,
                          .batch_quads = o.batch,
                          .progress = o.quiet ? NULL : print_progress};
    ck_load_result r;
    ck_status st = ck_load_files(store, (const char *const *)o.args, o.nargs, &lo, &r, &err);
    ck_store_close(store);
    free(o.args);
    if (st)
        return cli_fail_error(&err);
    if (!o.quiet)
        fprintf(stderr, "citykg: loaded %llu quads (%llu new) in %.2f s (%.0f quads/s)\n",
                (unsigned long long)r.quads_read, (unsigned long long)r.quads_added, r.seconds,
                r.seconds > 0 ? r.quads_read / r.seconds : 0.0);
    return 0;
}

static ck_status dump_snapshot(ck_txn *txn, void *ctx, ck_error *err)
{
    const options *o = ctx;
    return ck_dump(txn, stdout, o->format, o->graph, NULL, err);
}

int cmd_dump(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg dump [--data DIR] [--format nquads|trig|turtle|ntriples] "
               "[--graph IRI|default]\n\n"
               "Writes the store to stdout (default N-Quads). Turtle and N-Triples hold one\n"
               "graph: choose it with --graph when the store has named graphs.\n");
        return 0;
    }
    options o;
    if (parse_options(argc, argv, "data format graph", &o))
        return 1;
    if (o.nargs)
        return cli_fail("dump takes no file arguments (it writes to stdout)");
    ck_error err = {0};
    ck_status st = cli_with_snapshot(o.data, dump_snapshot, &o, &err);
    free(o.args);
    return st ? cli_fail_error(&err) : 0;
}

typedef struct {
    ck_txn *txn;
    ck_error *err;
    ck_status status;
} graph_lines;

static void print_graph(void *ctx, ck_id g, uint64_t quads)
{
    graph_lines *l = ctx;
    if (l->status)
        return;
    if (g == CK_DEFAULT_GRAPH) {
        printf("graph default: %llu quads\n", (unsigned long long)quads);
        return;
    }
    ck_term t;
    ck_term_buf buf;
    l->status = ck_term_resolve(l->txn, g, &t, &buf, l->err);
    if (l->status == CK_OK)
        printf("graph <%.*s>: %llu quads\n", (int)t.value_len, t.value, (unsigned long long)quads);
}

static ck_status print_stats(ck_txn *txn, void *ctx, ck_error *err)
{
    (void)ctx;
    ck_store_stats s;
    ck_status st = ck_store_stats_get(txn, &s, err);
    if (st)
        return st;
    printf("quads: %llu\n", (unsigned long long)s.quads);
    printf("graphs: %llu\n", (unsigned long long)s.graphs);
    printf("terms: %llu\n", (unsigned long long)s.terms);
    printf("blank nodes: %llu\n", (unsigned long long)s.blank_nodes);
    printf("bytes on disk: %llu\n", (unsigned long long)s.bytes_on_disk);
    printf("bytes in use: %llu\n", (unsigned long long)s.bytes_used);
    printf("bytes per quad: %.1f\n", s.quads ? (double)s.bytes_used / s.quads : 0.0);
    graph_lines lines = {txn, err, CK_OK};
    st = ck_graphs_each(txn, print_graph, &lines, err);
    return st ? st : lines.status;
}

int cmd_stats(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg stats [--data DIR]\n\nPrints quads, graphs, terms, bytes on disk "
               "and bytes per quad, then quads per graph.\n");
        return 0;
    }
    options o;
    if (parse_options(argc, argv, "data", &o))
        return 1;
    free(o.args);
    ck_error err = {0};
    ck_status st = cli_with_snapshot(o.data, print_stats, NULL, &err);
    return st ? cli_fail_error(&err) : 0;
}

static void print_line(const char *line) { fprintf(stderr, "citykg: check: %s\n", line); }

static ck_status check_snapshot(ck_txn *txn, void *ctx, ck_error *err)
{
    const options *o = ctx;
    return ck_store_check(txn, o->quiet ? NULL : print_line, err);
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg check [--data DIR] [--quiet]\n\n"
               "Verifies that every index holds the same quads, every id resolves and the\n"
               "statistics match. Exit status 0 when the store is sound.\n");
        return 0;
    }
    options o;
    if (parse_options(argc, argv, "data", &o))
        return 1;
    free(o.args);
    ck_error err = {0};
    ck_status st = cli_with_snapshot(o.data, check_snapshot, &o, &err);
    if (st)
        return cli_fail("check failed: %s", err.message);
    printf("ok\n");
    return 0;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: citykg import [--data DIR] --from-redland STORAGE 'OPTIONS' [NAME]\n\n"
               "Copies a Redland (librdf) storage into the store in one transaction; contexts\n"
               "become named graphs. STORAGE is the librdf storage type (sqlite, hashes,\n"
               "postgresql, mysql, virtuoso, ...), OPTIONS its option string and NAME its name\n"
               "(file or database; also accepted as --name). Examples:\n"
               "  citykg import --from-redland sqlite \"new='no'\" /var/lib/rdf/city.db\n"
               "  citykg import --from-redland hashes \"hash-type='bdb',dir='/var/lib/rdf'\" "
               "city\n");
        return 0;
    }
    options o;
    if (parse_options(argc, argv, "data from-redland name", &o))
        return 1;
    if (!o.from_redland)
        return cli_fail("import needs --from-redland STORAGE 'OPTIONS' [NAME]");
    const char *opts = o.nargs > 0 ? o.args[0] : "";
    const char *name = o.name ? o.name : o.nargs > 1 ? o.args[1] : NULL;
    if (o.nargs > 2)
        return cli_fail("import takes OPTIONS and NAME, got %d arguments", o.nargs);
    ck_error err = {0};
    ck_store *store;
    if (cli_open_store(o.data, CK_OPEN_CREATE, &store, &err))
        return cli_fail_error(&err);
    ck_load_result r;
    ck_status st = ck_import_redland(store, o.from_redland, name, opts, &r, &err);
    ck_store_close(store);
    free(o.args);
    if (st)
        return cli_fail_error(&err);
    fprintf(stderr, "citykg: imported %llu statements (%llu new quads) in %.2f s\n",
            (unsigned long long)r.quads_read, (unsigned long long)r.quads_added, r.seconds);
    return 0;
}
