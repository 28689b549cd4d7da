/*
 * syntax_runner.c — W3C SPARQL syntax conformance for the citykg parser.
 *
 * Reads every manifest.ttl under SUITE_DIR/sparql10 and SUITE_DIR/sparql11
 * with raptor (walking the mf:entries list, like tests/conformance does for
 * RDF 1.1) and, through sparql_query_parse:
 *   - Positive(Syntax)Test(11): the query must parse;
 *   - Negative(Syntax)Test(11): the query must be rejected;
 *   - QueryEvaluationTest, CSVResultFormatTest: the query (qt:query) must
 *     parse;
 *   - update syntax tests (.ru, *UpdateSyntaxTest11) are out of scope here
 *     (SPARQL Update belongs to the server issue): counted and listed.
 * The base IRI of each query is its file: URI, as the tests assume.
 *
 * Usage: sparql-syntax-runner --suite-dir DIR [--known-failures FILE]
 *                             [--report FILE.md]
 * The known-failures file lists "path/relative/to/suite-dir.rq  reason" per
 * line ('#' comments); a listed test may fail, any other failure (and a
 * listed test that passes) makes the run fail.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raptor2.h>

#include "algebra.h"

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define QT "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"

/* ---- the manifest as plain triples ------------------------------------------------- */

typedef struct {
    char *s, *p, *o; /* blank nodes as "_:label", literals as their text */
} mtriple;

typedef struct {
    mtriple *t;
    size_t n, cap;
    int oom;
} mgraph;

static char *term_text(const raptor_term *t)
{
    const char *s = "";
    char *b = NULL;
    switch (t->type) {
    case RAPTOR_TERM_TYPE_URI:
        s = (const char *)raptor_uri_as_string(t->value.uri);
        break;
    case RAPTOR_TERM_TYPE_BLANK:
        b = malloc(strlen((const char *)t->value.blank.string) + 3);
        if (b)
            sprintf(b, "_:%s", t->value.blank.string);
        return b;
    case RAPTOR_TERM_TYPE_LITERAL:
        s = (const char *)t->value.literal.string;
        break;
    default:
        break;
    }
    return strdup(s);
}

static void on_triple(void *user, raptor_statement *st)
{
    mgraph *g = user;
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 256;
        mtriple *t = realloc(g->t, ncap * sizeof *t);
        if (!t) {
            g->oom = 1;
            return;
        }
        g->t = t;
        g->cap = ncap;
    }
    mtriple *t = &g->t[g->n];
    t->s = term_text(st->subject);
    t->p = term_text(st->predicate);
    t->o = term_text(st->object);
    if (!t->s || !t->p || !t->o) {
        free(t->s);
        free(t->p);
        free(t->o);
        g->oom = 1;
        return;
    }
    g->n++;
}

static void mgraph_free(mgraph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->t[i].s);
        free(g->t[i].p);
        free(g->t[i].o);
    }
    free(g->t);
}

static const char *object_of(const mgraph *g, const char *s, const char *p)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->t[i].s, s) == 0 && strcmp(g->t[i].p, p) == 0)
            return g->t[i].o;
    return NULL;
}

static const char *subject_with(const mgraph *g, const char *p)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->t[i].p, p) == 0)
            return g->t[i].s;
    return NULL;
}

/* ---- results ------------------------------------------------------------------------ */

typedef enum { K_POSITIVE, K_NEGATIVE, K_EVAL, K_UPDATE } test_kind;

typedef struct {
    char *category;
    int pass[3], fail[3], known[3], out_of_scope;
} category;

typedef struct {
    char *path;
    char *reason;
    int used;
} known_failure;

typedef struct {
    const char *suite_dir;
    category *cats;
    size_t n_cats;
    known_failure *known;
    size_t n_known;
    char **failures;       /* unexpected, for the report */
    size_t n_failures;
    char **out_of_scope;
    size_t n_out_of_scope;
    int oom;
} run;

static void list_add(run *r, char ***list, size_t *n, const char *fmt, const char *a,
                     const char *b)
{
    char line[2048];
    snprintf(line, sizeof line, fmt, a, b);
    char **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl || !(nl[*n] = strdup(line))) {
        r->oom = 1;
        if (nl)
            *list = nl;
        return;
    }
    *list = nl;
    (*n)++;
}

static category *category_get(run *r, const char *name)
{
    for (size_t i = 0; i < r->n_cats; i++)
        if (strcmp(r->cats[i].category, name) == 0)
            return &r->cats[i];
    category *nc = realloc(r->cats, (r->n_cats + 1) * sizeof *nc);
    if (!nc)
        return NULL;
    r->cats = nc;
    category *c = &r->cats[r->n_cats];
    memset(c, 0, sizeof *c);
    c->category = strdup(name);
    if (!c->category)
        return NULL;
    r->n_cats++;
    return c;
}

static known_failure *known_find(run *r, const char *rel)
{
    for (size_t i = 0; i < r->n_known; i++)
        if (strcmp(r->known[i].path, rel) == 0)
            return &r->known[i];
    return NULL;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Runs one test: the query at file URI iri. */
static void run_test(run *r, category *cat, test_kind kind, const char *iri)
{
    char *path = (char *)raptor_uri_uri_string_to_filename((const unsigned char *)iri);
    const char *rel = path;
    size_t sd = strlen(r->suite_dir);
    if (path && strncmp(path, r->suite_dir, sd) == 0 && path[sd] == '/')
        rel = path + sd + 1;
    if (kind == K_UPDATE) {
        cat->out_of_scope++;
        list_add(r, &r->out_of_scope, &r->n_out_of_scope, "%s%s", rel ? rel : iri, "");
        raptor_free_memory(path);
        return;
    }
    char *text = path ? read_file(path) : NULL;
    bool ok;
    ck_error err = {0};
    if (!text) {
        ok = false;
        snprintf(err.message, sizeof err.message, "cannot read %s", path ? path : iri);
    } else {
        sparql_query *q = NULL;
        ck_status st = sparql_query_parse(text, iri, &q, &err);
        sparql_query_free(q);
        ok = kind == K_NEGATIVE ? st == CK_ERR_SYNTAX : st == CK_OK;
        if (kind == K_NEGATIVE && st == CK_OK)
            snprintf(err.message, sizeof err.message, "parsed, but must be rejected");
    }
    free(text);
    known_failure *kf = rel ? known_find(r, rel) : NULL;
    if (kf)
        kf->used = 1;
    if (ok && !kf) {
        cat->pass[kind]++;
    } else if (!ok && kf) {
        cat->known[kind]++;
    } else if (ok && kf) {
        cat->fail[kind]++;
        list_add(r, &r->failures, &r->n_failures, "%s: passes but is listed as a known failure%s",
                 rel, "");
    } else {
        cat->fail[kind]++;
        list_add(r, &r->failures, &r->n_failures, "%s: %s", rel ? rel : iri, err.message);
    }
    raptor_free_memory(path);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Reads DIR/manifest.ttl and runs its entries. Returns -1 if unreadable. */
static int run_manifest(run *r, raptor_world *world, const char *suite, const char *dir)
{
    char path[PATH_MAX], catname[256];
    snprintf(path, sizeof path, "%s/%s/%s/manifest.ttl", r->suite_dir, suite, dir);
    snprintf(catname, sizeof catname, "%s/%s", suite, dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* not a test directory */
    mgraph g = {0};
    unsigned char *uri_str = raptor_uri_filename_to_uri_string(path);
    raptor_uri *base = raptor_new_uri(world, uri_str);
    raptor_parser *rp = raptor_new_parser(world, "turtle");
    int rc = -1;
    if (base && rp) {
        raptor_parser_set_statement_handler(rp, &g, on_triple);
        rc = raptor_parser_parse_file_stream(rp, f, NULL, base);
    }
    fclose(f);
    if (rp)
        raptor_free_parser(rp);
    if (base)
        raptor_free_uri(base);
    raptor_free_memory(uri_str);
    if (rc != 0 || g.oom) {
        fprintf(stderr, "%s: cannot read the manifest\n", path);
        mgraph_free(&g);
        return -1;
    }
    category *cat = category_get(r, catname);
    const char *man = subject_with(&g, MF "entries");
    const char *list = man ? object_of(&g, man, MF "entries") : NULL;
    size_t guard = 0;
    while (cat && list && strcmp(list, RDF "nil") != 0 && guard++ < 100000) {
        const char *test = object_of(&g, list, RDF "first");
        list = object_of(&g, list, RDF "rest");
        if (!test)
            continue;
        const char *type = object_of(&g, test, RDF "type");
        const char *action = object_of(&g, test, MF "action");
        if (!type || !action)
            continue;
        const char *t = strrchr(type, '#') ? strrchr(type, '#') + 1 : type;
        if (strcmp(t, "QueryEvaluationTest") == 0 || strcmp(t, "CSVResultFormatTest") == 0) {
            const char *query = object_of(&g, action, QT "query");
            if (query)
                run_test(r, cat, K_EVAL, query);
        } else if (strstr(t, "UpdateSyntaxTest") || ((strstr(t, "SyntaxTest")) && ends_with(action, ".ru"))) {
            run_test(r, cat, K_UPDATE, action);
        } else if (strcmp(t, "PositiveSyntaxTest") == 0 || strcmp(t, "PositiveSyntaxTest11") == 0) {
            run_test(r, cat, K_POSITIVE, action);
        } else if (strcmp(t, "NegativeSyntaxTest") == 0 || strcmp(t, "NegativeSyntaxTest11") == 0) {
            run_test(r, cat, K_NEGATIVE, action);
        }
    }
    mgraph_free(&g);
    return cat ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_suite(run *r, raptor_world *world, const char *suite)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", r->suite_dir, suite);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s: %s\n", path, "cannot open the suite directory");
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn)
            break;
        names = nn;
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (run_manifest(r, world, suite, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int load_known(run *r, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open the known-failures file\n", file);
        return -1;
    }
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        char *end = p;
        while (*end && *end != ' ' && *end != '\t' && *end != '\n')
            end++;
        char *reason = end;
        while (*reason == ' ' || *reason == '\t')
            reason++;
        reason[strcspn(reason, "\n")] = '\0';
        *end = '\0';
        if (!*reason) {
            fprintf(stderr, "%s: %s has no reason\n", file, p);
            fclose(f);
            return -1;
        }
        known_failure *nk = realloc(r->known, (r->n_known + 1) * sizeof *nk);
        if (!nk)
            break;
        r->known = nk;
        nk[r->n_known].path = strdup(p);
        nk[r->n_known].reason = strdup(reason);
        nk[r->n_known].used = 0;
        r->n_known++;
    }
    fclose(f);
    return 0;
}

static void report(run *r, FILE *out, bool markdown)
{
    int tot[4][3] = {{0}};
    int oos = 0;
    if (markdown) {
        fputs("# SPARQL syntax conformance (parser)\n\n"
              "Generated by `tests/sparql/syntax_runner.c` (ctest `sparql-syntax`).\n"
              "Positive/negative: W3C syntax tests; eval: the queries of the evaluation tests,\n"
              "which must parse. Update syntax tests are out of scope (server issue).\n\n"
              "| category | positive | negative | eval queries | known failures | failed | out of scope |\n"
              "|---|---:|---:|---:|---:|---:|---:|\n",
              out);
    }
    for (size_t i = 0; i < r->n_cats; i++) {
        category *c = &r->cats[i];
        int known = c->known[0] + c->known[1] + c->known[2];
        int fail = c->fail[0] + c->fail[1] + c->fail[2];
        int all = c->pass[0] + c->pass[1] + c->pass[2] + known + fail + c->out_of_scope;
        if (all == 0)
            continue;
        for (int k = 0; k < 3; k++) {
            tot[0][k] += c->pass[k];
            tot[1][k] += c->fail[k];
            tot[2][k] += c->known[k];
        }
        oos += c->out_of_scope;
        char col[3][32];
        for (int k = 0; k < 3; k++)
            snprintf(col[k], sizeof col[k], "%d/%d", c->pass[k], c->pass[k] + c->fail[k] + c->known[k]);
        if (markdown)
            fprintf(out, "| %s | %s | %s | %s | %d | %d | %d |\n", c->category, col[0], col[1],
                    col[2], known, fail, c->out_of_scope);
        else
            fprintf(out, "%-40s positive %-8s negative %-8s eval %-8s known %d failed %d out-of-scope %d\n",
                    c->category, col[0], col[1], col[2], known, fail, c->out_of_scope);
    }
    int pass = tot[0][0] + tot[0][1] + tot[0][2];
    int fail = tot[1][0] + tot[1][1] + tot[1][2];
    int known = tot[2][0] + tot[2][1] + tot[2][2];
    if (markdown) {
        fprintf(out, "| **total** | %d/%d | %d/%d | %d/%d | %d | %d | %d |\n", tot[0][0],
                tot[0][0] + tot[1][0] + tot[2][0], tot[0][1], tot[0][1] + tot[1][1] + tot[2][1],
                tot[0][2], tot[0][2] + tot[1][2] + tot[2][2], known, fail, oos);
        if (r->n_known) {
            fputs("\n## Known failures\n\n", out);
            for (size_t i = 0; i < r->n_known; i++)
                fprintf(out, "- `%s`: %s\n", r->known[i].path, r->known[i].reason);
        }
        if (r->n_failures) {
            fputs("\n## Unexpected failures\n\n", out);
            for (size_t i = 0; i < r->n_failures; i++)
                fprintf(out, "- %s\n", r->failures[i]);
        }
        if (r->n_out_of_scope) {
            fputs("\n## Out of scope (SPARQL Update syntax, server issue)\n\n", out);
            for (size_t i = 0; i < r->n_out_of_scope; i++)
                fprintf(out, "- `%s`\n", r->out_of_scope[i]);
        }
    } else {
        for (size_t i = 0; i < r->n_failures; i++)
            fprintf(out, "FAIL %s\n", r->failures[i]);
        fprintf(out, "total: %d passed, %d failed, %d known failures, %d out of scope\n", pass,
                fail, known, oos);
    }
}

int main(int argc, char **argv)
{
    const char *known = NULL, *report_path = NULL;
    run r = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--suite-dir") == 0 && i + 1 < argc)
            r.suite_dir = argv[++i];
        else if (strcmp(argv[i], "--known-failures") == 0 && i + 1 < argc)
            known = argv[++i];
        else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s --suite-dir DIR [--known-failures FILE] [--report FILE]\n",
                    argv[0]);
            return 2;
        }
    }
    if (!r.suite_dir) {
        fprintf(stderr, "%s: --suite-dir is required\n", argv[0]);
        return 2;
    }
    char real[PATH_MAX];
    if (!realpath(r.suite_dir, real)) {
        fprintf(stderr, "%s: cannot resolve the suite directory\n", r.suite_dir);
        return 2;
    }
    r.suite_dir = real;
    int rc = 0;
    if (known && load_known(&r, known) != 0)
        rc = 1;
    raptor_world *world = raptor_new_world();
    if (!world || raptor_world_open(world) != 0) {
        fprintf(stderr, "cannot start raptor\n");
        return 1;
    }
    if (run_suite(&r, world, "sparql10") != 0 || run_suite(&r, world, "sparql11") != 0)
        rc = 1;
    raptor_free_world(world);
    for (size_t i = 0; i < r.n_known; i++)
        if (!r.known[i].used) {
            fprintf(stderr, "known failure %s is not a test\n", r.known[i].path);
            rc = 1;
        }
    report(&r, stdout, false);
    if (report_path) {
        FILE *f = fopen(report_path, "w");
        if (f) {
            report(&r, f, true);
            fclose(f);
        } else {
            fprintf(stderr, "%s: cannot write the report\n", report_path);
            rc = 1;
        }
    }
    if (r.n_failures || r.oom)
        rc = 1;
    for (size_t i = 0; i < r.n_cats; i++)
        free(r.cats[i].category);
    free(r.cats);
    for (size_t i = 0; i < r.n_known; i++) {
        free(r.known[i].path);
        free(r.known[i].reason);
    }
    free(r.known);
    for (size_t i = 0; i < r.n_failures; i++)
        free(r.failures[i]);
    free(r.failures);
    for (size_t i = 0; i < r.n_out_of_scope; i++)
        free(r.out_of_scope[i]);
    free(r.out_of_scope);
    return rc;
}
