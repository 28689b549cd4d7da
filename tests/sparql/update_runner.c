/*
 * update_runner.c — the W3C SPARQL 1.1 Update tests against the citykg
 * binary (the real code path: a real store in a temporary directory).
 *
 * The tests are those of sparql11/manifest-sparql11-update.ttl and the
 * folder manifests it includes. Two modes:
 *   --mode eval    mf:UpdateEvaluationTest: the initial state (ut:data into
 *                  the default graph, each ut:graphData into the graph its
 *                  rdfs:label names) is loaded with `citykg load`, the
 *                  ut:request runs with `citykg update --strict-default-graph`,
 *                  the store is dumped as N-Quads and every graph is compared
 *                  with the expected one (mf:result) by isomorphism
 *                  (tests/tools/rdf_iso); a graph the result does not list
 *                  must be empty.
 *   --mode syntax  mf:PositiveUpdateSyntaxTest11 must parse, and
 *                  mf:NegativeUpdateSyntaxTest11 (and the
 *                  mf:NegativeSyntaxTest11 of delete-insert) must be refused
 *                  with a syntax error (`citykg update --parse-only`).
 * A failure listed in the known-failures file (test IRI, reason) does not
 * fail the run; a listed test that passes is reported as fixed. The report
 * (Markdown) gives the counts per folder and every failure with its reason.
 */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <raptor2.h>

#include "manifest.h"
#include "proc.h"
#include "runner_common.h"
#include "rdf_iso.h"

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define UT "http://www.w3.org/2009/sparql/tests/test-update#"
#define MAX_ITEMS 256

typedef struct {
    char *folder;
    int pass, fail, known;
} folder_count;

typedef struct {
    const char *citykg, *suite_dir, *mode, *known_path, *report_path;
    unsigned timeout;
    char work[PATH_MAX];
    raptor_world *world;
    rdf_iso *iso;
    known_failure *known;
    size_t n_known;
    folder_count *folders;
    size_t n_folders;
    char **failures; /* "IRI  reason" lines */
    size_t n_failures;
    int pass, fail, known_failed;
} runner;

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        fputs("sparql-update-runner: out of memory\n", stderr);
        exit(2);
    }
    return d;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("sparql-update-runner: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

static void record(runner *r, folder_count *fc, const char *iri, bool ok, const char *reason)
{
    known_failure *k = known_failures_find(r->known, r->n_known, iri);
    if (ok) {
        r->pass++;
        fc->pass++;
        if (k)
            fprintf(stderr, "FIXED (listed as known failure): %s\n", iri);
        return;
    }
    size_t len = strlen(iri) + strlen(reason) + 4;
    char *line = xrealloc(NULL, len);
    snprintf(line, len, "%s  %s", iri, reason);
    r->failures = xrealloc(r->failures, (r->n_failures + 1) * sizeof *r->failures);
    r->failures[r->n_failures++] = line;
    if (k) {
        r->known_failed++;
        fc->known++;
    } else {
        r->fail++;
        fc->fail++;
        fprintf(stderr, "FAIL %s: %s\n", iri, reason);
    }
}

/* ---- running citykg ------------------------------------------------------------ */

/* Runs citykg with args (NULL-terminated). Returns 0 when it exited with
 * status 0, 1 when it exited with another status (reason: its message), -1
 * when it crashed, timed out or a sanitizer spoke (reason says which). */
static int run_citykg(runner *r, const char *const *args, const char *out, char *reason,
                      size_t rlen)
{
    char *argv[24], err[PATH_MAX + 16], line[600], desc[128];
    int n = 0;
    argv[n++] = (char *)r->citykg;
    for (const char *const *a = args; *a && n < 23; a++)
        argv[n++] = (char *)*a;
    argv[n] = NULL;
    snprintf(err, sizeof err, "%s/stderr", r->work);
    proc_status st;
    if (proc_run(argv, out, err, r->timeout, &st) != 0) {
        snprintf(reason, rlen, "cannot fork");
        return -1;
    }
    if (output_sanitizer_line(err, line, sizeof line)) {
        snprintf(reason, rlen, "citykg %s: sanitizer: %.300s", args[0], line);
        return -1;
    }
    if (st.exec_failed || st.timed_out || st.signal) {
        snprintf(reason, rlen, "citykg %s: %s", args[0], proc_describe(&st, desc, sizeof desc));
        return -1;
    }
    if (!proc_ok(&st)) {
        snprintf(reason, rlen, "citykg %s: %.400s", args[0], output_first_line(err, line, sizeof line));
        return 1;
    }
    return 0;
}

/* ---- datasets ---------------------------------------------------------------------- */

/* One graph of a state: its name (0 = default) and its triples. */
typedef struct {
    rdf_term_ref name;
    rdf_dataset *triples;
} state_graph;

typedef struct {
    state_graph g[MAX_ITEMS];
    size_t n;
} state;

static void state_free(state *s)
{
    for (size_t i = 0; i < s->n; i++)
        rdf_dataset_free(s->g[i].triples);
    s->n = 0;
}

static state_graph *state_graph_find(state *s, rdf_term_ref name)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->g[i].name == name)
            return &s->g[i];
    return NULL;
}

/* The graph of s named name, made (empty) if s has none yet. */
static state_graph *state_graph_for(state *s, rdf_term_ref name)
{
    state_graph *g = state_graph_find(s, name);
    if (g)
        return g;
    if (s->n == MAX_ITEMS)
        return NULL;
    s->g[s->n] = (state_graph){name, rdf_dataset_new()};
    return &s->g[s->n++];
}

/* Copies the quads of src whose graph is from (all when all_graphs) into
 * the graph of s they name; blank nodes keep their labels, prefixed so
 * that separate files do not share them. */
static int state_add(runner *r, state *s, const rdf_dataset *src, rdf_term_ref into,
                     bool by_quad_graph, int file_no)
{
    for (size_t i = 0; i < src->n; i++) {
        rdf_quad q = src->quads[i];
        state_graph *g = state_graph_for(s, by_quad_graph ? q.t[3] : into);
        if (!g || !g->triples)
            return -1;
        for (int k = 0; k < 3; k++)
            if (q.t[k] < 0) {
                char label[600];
                snprintf(label, sizeof label, "f%d_%s", file_no, src->bnode_labels[-q.t[k] - 1]);
                q.t[k] = rdf_dataset_bnode(g->triples, label);
            }
        q.t[3] = 0;
        if (rdf_dataset_add(g->triples, q) != 0)
            return -1;
    }
    (void)r;
    return 0;
}

/* The ut:data and ut:graphData of a state description (action or result)
 * read into s; with store set, also loaded into the store at r->work/store.
 * Returns 0, or -1 with reason. */
static int read_state(runner *r, const mgraph *m, const mterm *node, bool store, state *s,
                      char *reason, size_t rlen)
{
    const mterm *items[MAX_ITEMS];
    char store_dir[PATH_MAX + 8], out[PATH_MAX + 8];
    snprintf(store_dir, sizeof store_dir, "%s/store", r->work);
    snprintf(out, sizeof out, "%s/stdout", r->work);
    int file_no = 0;
    state_graph_for(s, 0); /* the default graph is always there */
    size_t nd = manifest_objects(m, node, UT "data", items, MAX_ITEMS);
    size_t ng = nd < MAX_ITEMS ? manifest_objects(m, node, UT "graphData", items + nd,
                                                  MAX_ITEMS - nd)
                               : 0;
    if (nd + ng > MAX_ITEMS) {
        snprintf(reason, rlen, "more than %d ut:data and ut:graphData", MAX_ITEMS);
        return -1;
    }
    for (size_t i = 0; i < nd + ng; i++) {
        const mterm *file = items[i], *label = NULL;
        if (i >= nd) {
            label = manifest_object(m, items[i], RDFS "label");
            file = manifest_object(m, items[i], UT "graph");
            if (!label || !file) {
                snprintf(reason, rlen, "ut:graphData without ut:graph or rdfs:label");
                return -1;
            }
        }
        char *path = manifest_local_path(file->s);
        if (!path) {
            snprintf(reason, rlen, "%s: not a local file", file->s);
            return -1;
        }
        char err[512];
        rdf_dataset *d = rdf_dataset_load_file(r->iso, path, "turtle", file->s, err, sizeof err);
        int rc = 0;
        if (!d) {
            snprintf(reason, rlen, "%s: %s", path, err);
            rc = -1;
        } else {
            char name[2048];
            snprintf(name, sizeof name, "<%s>", label ? label->s : "");
            rc = state_add(r, s, d, label ? rdf_iso_intern(r->iso, name) : 0, false, ++file_no);
            if (rc)
                snprintf(reason, rlen, "more than %d graphs, or out of memory", MAX_ITEMS);
            rdf_dataset_free(d);
        }
        if (rc == 0 && store) {
            const char *args[] = {"load", "--data", store_dir, "--format", "turtle", "--base",
                                  file->s, label ? "--graph" : path, label ? label->s : NULL,
                                  label ? path : NULL, NULL};
            rc = run_citykg(r, args, out, reason, rlen) == 0 ? 0 : -1;
        }
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}

/* The store at r->work/store, graph by graph. */
static int read_store(runner *r, state *s, char *reason, size_t rlen)
{
    char store_dir[PATH_MAX + 8], out[PATH_MAX + 8], err[512];
    snprintf(store_dir, sizeof store_dir, "%s/store", r->work);
    snprintf(out, sizeof out, "%s/dump.nq", r->work);
    const char *args[] = {"dump", "--data", store_dir, "--format", "nquads", NULL};
    if (run_citykg(r, args, out, reason, rlen) != 0)
        return -1;
    rdf_dataset *d = rdf_dataset_load_file(r->iso, out, "nquads", NULL, err, sizeof err);
    if (!d) {
        snprintf(reason, rlen, "the dump does not parse: %s", err);
        return -1;
    }
    state_graph_for(s, 0);
    int rc = state_add(r, s, d, 0, true, 0);
    rdf_dataset_free(d);
    if (rc)
        snprintf(reason, rlen, "more than %d graphs, or out of memory", MAX_ITEMS);
    return rc;
}

/* Every graph of expected equals the same graph of actual, and every other
 * graph of actual is empty. */
static bool same_state(runner *r, state *expected, state *actual, char *reason, size_t rlen)
{
    for (size_t i = 0; i < actual->n; i++)
        if (actual->g[i].triples->n && !state_graph_find(expected, actual->g[i].name)) {
            snprintf(reason, rlen, "unexpected graph %s (%zu triples)",
                     rdf_iso_term_string(r->iso, actual->g[i].name), actual->g[i].triples->n);
            return false;
        }
    for (size_t i = 0; i < expected->n; i++) {
        state_graph *e = &expected->g[i], *a = state_graph_for(actual, e->name);
        if (!a || !a->triples)
            return snprintf(reason, rlen, "more than %d graphs, or out of memory", MAX_ITEMS), false;
        rdf_dataset_normalize(e->triples);
        rdf_dataset_normalize(a->triples);
        char why[400];
        int iso = rdf_dataset_isomorphic(r->iso, e->triples, a->triples, why, sizeof why);
        if (iso != 1) {
            snprintf(reason, rlen, "graph %s: %s",
                     e->name ? rdf_iso_term_string(r->iso, e->name) : "default",
                     iso < 0 ? "isomorphism search gave up" : why);
            return false;
        }
    }
    return true;
}

/* ---- tests ------------------------------------------------------------------------- */

static void run_eval(runner *r, folder_count *fc, const mgraph *m, const mterm *entry)
{
    char reason[1200] = "", store_dir[PATH_MAX + 8], out[PATH_MAX + 8];
    snprintf(store_dir, sizeof store_dir, "%s/store", r->work);
    snprintf(out, sizeof out, "%s/stdout", r->work);
    remove_tree(store_dir);
    const mterm *action = manifest_object(m, entry, MF "action");
    const mterm *result = manifest_object(m, entry, MF "result");
    const mterm *request = action ? manifest_object(m, action, UT "request") : NULL;
    state initial = {0}, expected = {0}, actual = {0};
    char *request_path = request ? manifest_local_path(request->s) : NULL;
    bool ok = false;
    if (!request_path || !result) {
        snprintf(reason, sizeof reason, "no ut:request or mf:result");
    } else if (read_state(r, m, action, true, &initial, reason, sizeof reason) == 0 &&
               read_state(r, m, result, false, &expected, reason, sizeof reason) == 0) {
        /* citykg update creates the store when the initial state is empty */
        const char *args[] = {"update", "--data", store_dir, "--strict-default-graph", "--base",
                              request->s, "-f", request_path, NULL};
        if (run_citykg(r, args, out, reason, sizeof reason) == 0 &&
            read_store(r, &actual, reason, sizeof reason) == 0)
            ok = same_state(r, &expected, &actual, reason, sizeof reason);
    }
    record(r, fc, entry->s, ok, reason);
    free(request_path);
    state_free(&initial);
    state_free(&expected);
    state_free(&actual);
}

static void run_syntax(runner *r, folder_count *fc, const mterm *entry, const mterm *action,
                       bool positive)
{
    char reason[1200] = "", out[PATH_MAX + 8];
    snprintf(out, sizeof out, "%s/stdout", r->work);
    char *path = action ? manifest_local_path(action->s) : NULL;
    bool ok = false;
    if (!path) {
        snprintf(reason, sizeof reason, "no mf:action file");
    } else {
        const char *args[] = {"update", "--parse-only", "--base", action->s, "-f", path, NULL};
        int rc = run_citykg(r, args, out, reason, sizeof reason);
        if (positive) {
            ok = rc == 0;
        } else if (rc == 0) {
            snprintf(reason, sizeof reason, "accepted, but must be refused");
        } else if (rc == 1 && !strstr(reason, "syntax error")) {
            char refused[1200];
            snprintf(refused, sizeof refused, "refused, but not as a syntax error: %.1100s", reason);
            snprintf(reason, sizeof reason, "%s", refused);
        } else {
            ok = rc == 1;
        }
    }
    record(r, fc, entry->s, ok, reason);
    free(path);
}

static const char *type_of(const mgraph *m, const mterm *entry)
{
    const mterm *types[8];
    size_t n = manifest_objects(m, entry, RDF "type", types, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (strncmp(types[i]->s, MF, strlen(MF)) == 0)
            return types[i]->s + strlen(MF);
    return "";
}

static int run_folder(runner *r, const char *manifest_path, const char *folder)
{
    mgraph m;
    char err[600];
    if (manifest_graph_load(r->world, manifest_path, &m, err, sizeof err) != 0) {
        fprintf(stderr, "sparql-update-runner: %s\n", err);
        return -1;
    }
    r->folders = xrealloc(r->folders, (r->n_folders + 1) * sizeof *r->folders);
    folder_count *fc = &r->folders[r->n_folders++];
    *fc = (folder_count){xstrdup(folder), 0, 0, 0};
    const mterm *entries[MAX_ITEMS];
    size_t n = 0;
    for (size_t i = 0; i < m.n && !n; i++)
        if (strcmp(m.t[i].p.s, MF "entries") == 0)
            n = manifest_list(&m, &m.t[i].o, entries, MAX_ITEMS);
    if (n > MAX_ITEMS) {
        fprintf(stderr, "sparql-update-runner: %s lists %zu tests, more than %d\n",
                manifest_path, n, MAX_ITEMS);
        manifest_graph_free(&m);
        return -1;
    }
    bool eval = strcmp(r->mode, "eval") == 0;
    for (size_t i = 0; i < n; i++) {
        const char *type = type_of(&m, entries[i]);
        if (eval && strcmp(type, "UpdateEvaluationTest") == 0)
            run_eval(r, fc, &m, entries[i]);
        else if (!eval && strstr(type, "SyntaxTest"))
            run_syntax(r, fc, entries[i], manifest_object(&m, entries[i], MF "action"),
                       strncmp(type, "Positive", 8) == 0);
    }
    manifest_graph_free(&m);
    return 0;
}

/* ---- report ------------------------------------------------------------------------ */

static void write_report(runner *r, FILE *f)
{
    bool eval = strcmp(r->mode, "eval") == 0;
    fprintf(f, "# W3C SPARQL 1.1 Update %s tests\n\n",
            eval ? "evaluation" : "syntax");
    fprintf(f, "Run by tests/sparql/update_runner.c against the citykg binary (%s).\n\n",
            eval ? "initial state loaded with `citykg load`, request run with `citykg update "
                   "--strict-default-graph`, store dumped and compared graph by graph by "
                   "isomorphism"
                 : "`citykg update --parse-only`: positive tests must parse, negative ones "
                   "must be refused with a syntax error");
    fprintf(f, "| folder | passed | failed | known failures |\n|---|---:|---:|---:|\n");
    for (size_t i = 0; i < r->n_folders; i++) {
        folder_count *c = &r->folders[i];
        if (c->pass + c->fail + c->known)
            fprintf(f, "| %s | %d | %d | %d |\n", c->folder, c->pass, c->fail, c->known);
    }
    fprintf(f, "| **total** | **%d** | **%d** | **%d** |\n\n", r->pass, r->fail, r->known_failed);
    if (r->n_failures) {
        fprintf(f, "## Failures\n\n");
        for (size_t i = 0; i < r->n_failures; i++)
            fprintf(f, "- %s\n", r->failures[i]);
    }
}

int main(int argc, char **argv)
{
    runner r = {.mode = "eval", .timeout = 60};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--citykg") == 0)
            r.citykg = argv[i + 1];
        else if (strcmp(argv[i], "--suite-dir") == 0)
            r.suite_dir = argv[i + 1];
        else if (strcmp(argv[i], "--mode") == 0)
            r.mode = argv[i + 1];
        else if (strcmp(argv[i], "--known-failures") == 0)
            r.known_path = argv[i + 1];
        else if (strcmp(argv[i], "--report") == 0)
            r.report_path = argv[i + 1];
    }
    if (!r.citykg || !r.suite_dir || (strcmp(r.mode, "eval") && strcmp(r.mode, "syntax"))) {
        fputs("usage: sparql-update-runner --citykg BIN --suite-dir DIR(tests/w3c/sparql) "
              "[--mode eval|syntax] [--known-failures FILE] [--report FILE]\n",
              stderr);
        return 2;
    }
    if (r.known_path && known_failures_load(r.known_path, &r.known, &r.n_known))
        return 2;
    snprintf(r.work, sizeof r.work, "%s/citykg-update-tests-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(r.work) || proc_init() != 0) {
        fputs("sparql-update-runner: cannot make a work directory\n", stderr);
        return 2;
    }
    r.world = raptor_new_world();
    r.iso = rdf_iso_new();
    char top[PATH_MAX];
    snprintf(top, sizeof top, "%s/sparql11/manifest-sparql11-update.ttl", r.suite_dir);
    mgraph m;
    char err[600];
    int status = 0;
    if (!r.world || !r.iso || manifest_graph_load(r.world, top, &m, err, sizeof err) != 0) {
        fprintf(stderr, "sparql-update-runner: %s\n", r.world && r.iso ? err : "out of memory");
        return 2;
    }
    const mterm *includes[MAX_ITEMS];
    size_t n = 0;
    for (size_t i = 0; i < m.n && !n; i++)
        if (strcmp(m.t[i].p.s, MF "include") == 0)
            n = manifest_list(&m, &m.t[i].o, includes, MAX_ITEMS);
    if (n > MAX_ITEMS) {
        fprintf(stderr, "sparql-update-runner: %s includes more than %d manifests\n", top,
                MAX_ITEMS);
        status = -1;
    }
    for (size_t i = 0; i < n && i < MAX_ITEMS && status == 0; i++) {
        char *path = manifest_local_path(includes[i]->s);
        char folder[PATH_MAX];
        snprintf(folder, sizeof folder, "%s", path ? path : "");
        char *slash = strrchr(folder, '/');
        if (slash)
            *slash = 0;
        slash = strrchr(folder, '/');
        status = path ? run_folder(&r, path, slash ? slash + 1 : folder) : -1;
        free(path);
    }
    manifest_graph_free(&m);
    if (n == 0 || r.pass + r.fail + r.known_failed == 0) {
        fputs("sparql-update-runner: no tests found\n", stderr);
        status = -1;
    }
    for (size_t i = 0; i < r.n_known; i++)
        if (!r.known[i].seen)
            fprintf(stderr, "known failure not in the suite: %s\n", r.known[i].iri);
    if (r.report_path) {
        FILE *f = fopen(r.report_path, "w");
        if (f) {
            write_report(&r, f);
            fclose(f);
        }
    }
    printf("SPARQL 1.1 Update %s: %d passed, %d failed, %d known failures\n", r.mode, r.pass,
           r.fail, r.known_failed);
    remove_tree(r.work);
    rdf_iso_free(r.iso);
    raptor_free_world(r.world);
    known_failures_free(r.known, r.n_known);
    for (size_t i = 0; i < r.n_failures; i++)
        free(r.failures[i]);
    free(r.failures);
    for (size_t i = 0; i < r.n_folders; i++)
        free(r.folders[i].folder);
    free(r.folders);
    return status != 0 || r.fail ? 1 : 0;
}
