/*
 * cli.h — shared pieces of the citykg command line: each subcommand is a
 * function taking argc/argv (argv[0] is the subcommand name) and returning
 * the process exit status.
 */
#ifndef CITYKG_CLI_H
#define CITYKG_CLI_H

#include "store.h"

#define CITYKG_DEFAULT_DATA_DIR "./citykg-data"

int cmd_load(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_query(int argc, char **argv);

/* Prints "citykg: <message>" on stderr as one line; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, with the message of err. */
int cli_fail_error(const ck_error *err);
/* True when argv[i] is --help or -h. */
int cli_wants_help(int argc, char **argv);

#endif
