/*
 * cmd_graph.c — `citykg graph list | access`: the graphs of a store with
 * their access level and size, and setting a graph's level (core/acl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "cli.h"

static void usage(void)
{
    printf("usage: citykg graph list [--data DIR]\n"
           "       citykg graph access [--data DIR] (IRI | default) (public | internal | "
           "restricted)\n\n"
           "list prints every graph holding quads or having an access level: its name\n"
           "(default for the default graph), level and quads. A graph without a level\n"
           "counts as internal, shown as 'internal (unset)'.\n"
           "access sets the level of a graph (which need not hold quads yet):\n"
           "  public      anyone may read it, also without a token\n"
           "  internal    staff, stewards, agents and admins may read it\n"
           "  restricted  only admins and the tokens listing it may read it\n"
           "See docs/security.md.\n");
}

/* ---- list ------------------------------------------------------------------- */

typedef struct {
    char *iri; /* NULL: the default graph */
    ck_access level;
    bool level_set;
    uint64_t quads;
} graph_row;

typedef struct {
    graph_row *rows;
    size_t n, cap;
    ck_txn *txn;
    ck_status status;
    ck_error *err;
} graph_rows;

/* The row of iri (NULL: default graph), added when new. */
static graph_row *row_for(graph_rows *r, const char *iri, size_t len)
{
    for (size_t i = 0; i < r->n; i++)
        if (!iri ? !r->rows[i].iri
                 : r->rows[i].iri && strlen(r->rows[i].iri) == len &&
                       memcmp(r->rows[i].iri, iri, len) == 0)
            return &r->rows[i];
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        graph_row *n = realloc(r->rows, ncap * sizeof *n);
        if (!n)
            return NULL;
        r->rows = n;
        r->cap = ncap;
    }
    graph_row *row = &r->rows[r->n];
    *row = (graph_row){.level = CK_ACCESS_INTERNAL};
    if (iri && !(row->iri = strndup(iri, len)))
        return NULL;
    r->n++;
    return row;
}

static void add_graph_with_quads(void *ctx, ck_id g, uint64_t quads)
{
    graph_rows *r = ctx;
    if (r->status)
        return;
    ck_term t = {0};
    ck_term_buf buf;
    if (g != CK_DEFAULT_GRAPH && (r->status = ck_term_resolve(r->txn, g, &t, &buf, r->err)))
        return;
    graph_row *row = row_for(r, g == CK_DEFAULT_GRAPH ? NULL : t.value, t.value_len);
    if (!row)
        r->status = ck_error_set(r->err, CK_ERR_NOMEM, "out of memory");
    else
        row->quads = quads;
}

static void add_graph_with_level(void *ctx, const char *iri, ck_access level)
{
    graph_rows *r = ctx;
    graph_row *row = r->status ? NULL : row_for(r, iri, iri ? strlen(iri) : 0);
    if (!row) {
        if (!r->status)
            r->status = ck_error_set(r->err, CK_ERR_NOMEM, "out of memory");
        return;
    }
    row->level = level;
    row->level_set = true;
}

/* The default graph first, then by IRI. */
static int compare_rows(const void *a, const void *b)
{
    const graph_row *x = a, *y = b;
    if (!x->iri || !y->iri)
        return !y->iri - !x->iri;
    return strcmp(x->iri, y->iri);
}

static ck_status list_in(ck_txn *txn, void *ctx, ck_error *err)
{
    (void)ctx;
    graph_rows r = {.txn = txn, .err = err};
    ck_status st = ck_graphs_each(txn, add_graph_with_quads, &r, err);
    if (!st)
        st = r.status;
    if (!st)
        st = ck_acl_access_each(txn, add_graph_with_level, &r, err);
    if (!st)
        st = r.status;
    if (!st) {
        qsort(r.rows, r.n, sizeof *r.rows, compare_rows);
        printf("graph\tlevel\tquads\n");
        for (size_t i = 0; i < r.n; i++)
            printf("%s%s%s\t%s%s\t%llu\n", r.rows[i].iri ? "<" : "",
                   r.rows[i].iri ? r.rows[i].iri : "default", r.rows[i].iri ? ">" : "",
                   ck_access_name(r.rows[i].level), r.rows[i].level_set ? "" : " (unset)",
                   (unsigned long long)r.rows[i].quads);
    }
    for (size_t i = 0; i < r.n; i++)
        free(r.rows[i].iri);
    free(r.rows);
    return st;
}

/* ---- access --------------------------------------------------------------------- */

typedef struct {
    const char *iri; /* NULL: default graph */
    ck_access level;
} level_change;

static ck_status access_in(ck_txn *txn, void *ctx, ck_error *err)
{
    const level_change *c = ctx;
    return ck_acl_set_access(txn, c->iri, c->level, err);
}

static int graph_access_run(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, "data", &o))
        return 1;
    const char *name = o.nargs == 2 ? o.args[0] : NULL, *level = o.nargs == 2 ? o.args[1] : NULL;
    free(o.args);
    if (!name)
        return cli_fail("graph access takes a graph (IRI or default) and a level "
                        "(public, internal or restricted)");
    level_change c = {strcmp(name, "default") == 0 ? NULL : name, CK_ACCESS_INTERNAL};
    if (!ck_access_from_name(level, &c.level))
        return cli_fail("unknown access level '%s' (public, internal or restricted)", level);
    ck_error err = {0};
    if (cli_with_write(o.data, CK_OPEN_CREATE, access_in, &c, &err))
        return cli_fail_error(&err);
    fprintf(stderr, "citykg: %s%s%s is now %s\n", c.iri ? "<" : "", c.iri ? c.iri : "the default graph",
            c.iri ? ">" : "", ck_access_name(c.level));
    return 0;
}

int cmd_graph(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    if (argc < 2)
        return cli_fail("graph needs a command: list or access (see --help)");
    if (strcmp(argv[1], "list") == 0) {
        options o;
        if (parse_options(argc - 1, argv + 1, "data", &o))
            return 1;
        int nargs = o.nargs;
        free(o.args);
        if (nargs)
            return cli_fail("graph list takes no arguments (see --help)");
        ck_error err = {0};
        return cli_with_snapshot(o.data, list_in, NULL, &err) ? cli_fail_error(&err) : 0;
    }
    if (strcmp(argv[1], "access") == 0)
        return graph_access_run(argc - 1, argv + 1);
    return cli_fail("unknown graph command '%s' (list or access)", argv[1]);
}
