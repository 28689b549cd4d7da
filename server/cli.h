/*
 * cli.h — shared pieces of the citykg command line: each subcommand is a
 * function taking argc/argv (argv[0] is the subcommand name) and returning
 * the process exit status.
 */
#ifndef CITYKG_CLI_H
#define CITYKG_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

#define CITYKG_DEFAULT_DATA_DIR "./citykg-data"

int cmd_load(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* Options of the subcommands. Positional arguments stay in args[0..nargs)
 * (free args when done). */
typedef struct {
    const char *data;
    const char *graph;
    const char *format;
    const char *base;
    const char *from_redland;
    const char *name;
    const char *file;          /* query -f FILE */
    size_t batch;
    uint64_t timeout_ms;       /* query --timeout MS */
    uint64_t memory_mb;        /* query --memory MB */
    uint64_t repeat;           /* query --repeat N (benchmarks) */
    const char *allow_service; /* query --allow-service HOST[,HOST...] */
    const char *token;         /* query --token TOKEN */
    const char *role;          /* token create --role R */
    const char *graphs;        /* token create --graphs IRI[,IRI...] */
    const char *label;         /* token create --label TEXT */
    uint64_t expires_days;     /* token create --expires DAYS */
    bool as_anonymous;         /* query --as-anonymous */
    bool quiet;
    bool explain;              /* query --explain */
    bool strict_default_graph; /* query --strict-default-graph */
    char **args;
    int nargs;
} options;

/* Parses "--opt VALUE" and "--opt=VALUE" for the options a command accepts
 * (allowed: space-separated names, e.g. "data format"), --quiet/-q always,
 * and the flags --explain / --strict-default-graph / --as-anonymous where
 * allowed. Returns 0, or prints
 * a one-line error and returns 1 with nothing left allocated. data defaults
 * to $CITYKG_DATA or ./citykg-data. */
int parse_options(int argc, char **argv, const char *allowed, options *o);

/* The text of a query or update: text_arg, or the contents of file ("-":
 * stdin); exactly one of them must be given. NULL (after printing why)
 * otherwise. what names it in messages ("query"). Free the result. */
char *cli_read_text(const char *text_arg, const char *file, const char *what);

/* Opens the store in dir; a missing store opened read-only says how to
 * make one. */
ck_status cli_open_store(const char *dir, unsigned flags, ck_store **store, ck_error *err);
/* Opens the store read-only, runs fn on one snapshot, closes everything.
 * Returns fn's status (or the opening's) with err filled. */
ck_status cli_with_snapshot(const char *dir, ck_status (*fn)(ck_txn *, void *, ck_error *),
                            void *ctx, ck_error *err);
/* Opens the store with flags, runs fn in one write transaction and commits
 * it when fn returns CK_OK (aborts otherwise), closes everything. */
ck_status cli_with_write(const char *dir, unsigned flags,
                         ck_status (*fn)(ck_txn *, void *, ck_error *), void *ctx,
                         ck_error *err);

/* Prints "citykg: <message>" on stderr as one line; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, with the message of err. */
int cli_fail_error(const ck_error *err);
/* True when argv[i] is --help or -h. */
int cli_wants_help(int argc, char **argv);

#endif
