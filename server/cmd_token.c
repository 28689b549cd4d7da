/*
 * cmd_token.c — `citykg token create | list | revoke`: the access tokens of
 * a store (core/acl.h). Whoever can open the store's files manages its
 * tokens; no token is needed for that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "acl.h"
#include "cli.h"

static void usage(void)
{
    printf("usage: citykg token create [--data DIR] --role ROLE [--graphs IRI,...]\n"
           "                           [--expires DAYS] [--label TEXT]\n"
           "       citykg token list [--data DIR]\n"
           "       citykg token revoke [--data DIR] ID\n\n"
           "create makes a bearer token and prints it once on stdout: the store keeps only\n"
           "a salted hash of it. ROLE is anonymous, staff, steward, agent or admin.\n"
           "--graphs lists the graphs the token may read whatever their level (the only\n"
           "way besides admin to read a restricted graph) and, for an agent, the graphs\n"
           "it may write; 'default' names the default graph. --expires DAYS makes the\n"
           "token stop working after that many days. list prints id, role, label,\n"
           "graphs, created, expires and revoked of every token (never a secret).\n"
           "revoke ID stops a token for good; it stays listed. See docs/security.md.\n");
}

/* ---- create ------------------------------------------------------------------ */

typedef struct {
    ck_token_spec spec;
    char id[CK_TOKEN_ID_LEN + 1];
    char token[CK_TOKEN_TEXT_LEN + 1];
} token_create;

static ck_status create_in(ck_txn *txn, void *ctx, ck_error *err)
{
    token_create *c = ctx;
    return ck_acl_token_create(txn, &c->spec, c->id, c->token, err);
}

/* Splits "a,b,c" into a new array of pointers into a copy of text. */
static char **split_commas(const char *text, size_t *n, char **copy)
{
    *n = 0;
    *copy = strdup(text);
    size_t cap = 1;
    for (const char *c = text; *c; c++)
        cap += *c == ',';
    char **parts = calloc(cap, sizeof *parts);
    if (!*copy || !parts) {
        free(parts);
        free(*copy);
        *copy = NULL;
        return NULL;
    }
    for (char *save = NULL, *p = strtok_r(*copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
        parts[(*n)++] = p;
    return parts;
}

static int token_create_run(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, "data role graphs expires label", &o))
        return 1;
    int nargs = o.nargs;
    free(o.args);
    if (nargs)
        return cli_fail("token create takes no arguments besides its options (see --help)");
    token_create c = {0};
    if (!o.role || !ck_role_from_name(o.role, &c.spec.role))
        return cli_fail("token create needs --role anonymous|staff|steward|agent|admin%s%s%s",
                        o.role ? " (not '" : "", o.role ? o.role : "", o.role ? "')" : "");
    char *copy = NULL;
    char **graphs = NULL;
    if (o.graphs && !(graphs = split_commas(o.graphs, &c.spec.n_graphs, &copy)))
        return cli_fail("out of memory");
    c.spec.graphs = (const char *const *)graphs;
    c.spec.label = o.label;
    c.spec.expires_at = o.expires_days ? (int64_t)time(NULL) + (int64_t)o.expires_days * 86400 : 0;
    ck_error err = {0};
    ck_status st = cli_with_write(o.data, CK_OPEN_CREATE, create_in, &c, &err);
    free(graphs);
    free(copy);
    if (st)
        return cli_fail_error(&err);
    printf("%s\n", c.token);
    fflush(stdout);
    gnutls_memset(c.token, 0, sizeof c.token);
    fprintf(stderr,
            "citykg: created %s token %s. The token above is shown this once: the store keeps\n"
            "only a salted hash of it. Keep it secret; `citykg token revoke %s` stops it.\n",
            ck_role_name(c.spec.role), c.id, c.id);
    return 0;
}

/* ---- list ----------------------------------------------------------------------- */

static void format_time(char *out, size_t size, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, size, "%lld", (long long)t);
}

static void print_token(void *ctx, const ck_token_info *info)
{
    (void)ctx;
    char created[32], expires[32] = "never";
    format_time(created, sizeof created, info->created_at);
    if (info->expires_at)
        format_time(expires, sizeof expires, info->expires_at);
    printf("%s\t%s\t%s\t", info->id, ck_role_name(info->role), info->label[0] ? info->label : "-");
    for (size_t i = 0; i < info->n_graphs; i++)
        printf("%s%s", i ? "," : "", info->graphs[i]);
    printf("%s\t%s\t%s\t%s\n", info->n_graphs ? "" : "-", created, expires,
           info->revoked ? "yes" : "no");
}

static ck_status list_in(ck_txn *txn, void *ctx, ck_error *err)
{
    printf("id\trole\tlabel\tgraphs\tcreated\texpires\trevoked\n");
    return ck_acl_tokens_each(txn, print_token, ctx, err);
}

static int token_list_run(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, "data", &o))
        return 1;
    int nargs = o.nargs;
    free(o.args);
    if (nargs)
        return cli_fail("token list takes no arguments (see --help)");
    ck_error err = {0};
    return cli_with_snapshot(o.data, list_in, NULL, &err) ? cli_fail_error(&err) : 0;
}

/* ---- revoke ------------------------------------------------------------------------- */

static ck_status revoke_in(ck_txn *txn, void *ctx, ck_error *err)
{
    return ck_acl_token_revoke(txn, ctx, err);
}

static int token_revoke_run(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, "data", &o))
        return 1;
    const char *id = o.nargs == 1 ? o.args[0] : NULL;
    free(o.args);
    if (!id)
        return cli_fail("token revoke takes one token ID (see `citykg token list`)");
    ck_error err = {0};
    if (cli_with_write(o.data, 0, revoke_in, (void *)id, &err))
        return cli_fail_error(&err);
    fprintf(stderr, "citykg: token %s revoked\n", id);
    return 0;
}

int cmd_token(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    if (argc < 2)
        return cli_fail("token needs a command: create, list or revoke (see --help)");
    /* the subcommand's own argv: argv[0] names it in messages */
    if (strcmp(argv[1], "create") == 0)
        return token_create_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return token_list_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "revoke") == 0)
        return token_revoke_run(argc - 1, argv + 1);
    return cli_fail("unknown token command '%s' (create, list or revoke)", argv[1]);
}
