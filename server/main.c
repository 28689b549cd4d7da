/*
 * main.c — the citykg binary: dispatches to subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"load", cmd_load, "load RDF files into the store (one atomic transaction)"},
    {"dump", cmd_dump, "write the store as N-Quads, TriG, Turtle or N-Triples"},
    {"stats", cmd_stats, "print quads, graphs, terms, bytes on disk"},
    {"check", cmd_check, "verify the store's integrity"},
    {"import", cmd_import, "copy a Redland (librdf) storage into the store"},
    {"query", cmd_query, "run a SPARQL 1.1 query (results as table, JSON, XML, CSV, TSV)"},
    {"update", cmd_update, "run a SPARQL 1.1 Update request (one atomic transaction)"},
    {"token", cmd_token, "create, list and revoke access tokens"},
    {"graph", cmd_graph, "list graphs with their access level; set a graph's level"},
};

int cli_fail(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "citykg: %s\n", line);
    return 1;
}

int cli_fail_error(const ck_error *err) { return cli_fail("%s", err->message); }

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: citykg COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'citykg COMMAND --help' describes a command. The store directory is "
                 "--data DIR (default %s).\n", CITYKG_DEFAULT_DATA_DIR);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("citykg %s\n", CITYKG_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return cli_fail("unknown command '%s' (try 'citykg --help')", argv[1]);
}
