/*
 * rdf_iso_tool.c — `rdf-iso`: compare two RDF files for graph/dataset
 * isomorphism, or check the isomorphism code itself.
 *
 *   rdf-iso [-a SYNTAX] [-b SYNTAX] EXPECTED ACTUAL
 *       exit 0 if isomorphic, 1 if not (the difference on stderr), 2 on error.
 *       SYNTAX is a raptor parser name; by default it follows the file
 *       extension (.nt ntriples, .nq nquads, .ttl turtle, .trig trig,
 *       .rdf rdfxml).
 *   rdf-iso --self-test [DIR]
 *       built-in cases (relabelled blank nodes, changed literals, cycles
 *       that colour refinement alone cannot tell apart, set semantics, the
 *       documented literal normalisations), then for every .nt/.nq file
 *       under DIR that raptor parses: the file against itself, against a
 *       copy with blank nodes permuted and quads shuffled, with one blank
 *       node relabelled (isomorphic), and against copies with a literal
 *       changed, two blank nodes merged, one quad dropped (not isomorphic).
 */
#define _XOPEN_SOURCE 700
#include "rdf_iso.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *syntax_for(const char *path)
{
    static const char *map[][2] = {
        {".nt", "ntriples"}, {".nq", "nquads"}, {".ttl", "turtle"},
        {".trig", "trig"},   {".rdf", "rdfxml"}, {".owl", "rdfxml"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(dot, map[i][0]) == 0)
            return map[i][1];
    return "nquads";
}

/* ------------------------------------------------------------ compare mode */

static int compare_files(const char *sa, const char *a, const char *sb,
                         const char *b)
{
    char err[1024], why[4096];
    rdf_iso *iso = rdf_iso_new();
    if (!iso) {
        fprintf(stderr, "rdf-iso: cannot initialise raptor\n");
        return 2;
    }
    int rc = 2;
    rdf_dataset *da = rdf_dataset_load_file(iso, a, sa ? sa : syntax_for(a),
                                            NULL, err, sizeof err);
    if (!da)
        fprintf(stderr, "rdf-iso: %s: %s\n", a, err);
    rdf_dataset *db = da ? rdf_dataset_load_file(iso, b,
                                                 sb ? sb : syntax_for(b),
                                                 NULL, err, sizeof err)
                         : NULL;
    if (da && !db)
        fprintf(stderr, "rdf-iso: %s: %s\n", b, err);
    if (da && db) {
        int r = rdf_dataset_isomorphic(iso, da, db, why, sizeof why);
        if (r == 1)
            rc = 0;
        else
            fprintf(stderr, "rdf-iso: not isomorphic: %s\n", why);
        rc = r == 1 ? 0 : r == 0 ? 1 : 2;
    }
    rdf_dataset_free(da);
    rdf_dataset_free(db);
    rdf_iso_free(iso);
    return rc;
}

/* ------------------------------------------------------------ built-in cases */

typedef struct {
    const char *name, *syntax, *a, *b;
    int expect;
} iso_case;

/* A cycle of N blank nodes linked by ex:p, labels PREFIX0..; or two
 * cycles of N/2 when SPLIT. Caller frees. */
static char *cycle_doc(int n, int split, const char *prefix)
{
    size_t cap = (size_t)n * 80 + 1;
    char *s = malloc(cap);
    size_t off = 0;
    if (!s)
        return NULL;
    s[0] = '\0';
    int half = n / 2;
    for (int i = 0; i < n; i++) {
        int next = (i + 1) % n;
        if (split)
            next = i < half ? (i + 1) % half : half + (i + 1 - half) % half;
        off += (size_t)snprintf(s + off, cap - off,
                                "_:%s%d <http://ex/p> _:%s%d .\n", prefix, i,
                                prefix, next);
    }
    return s;
}

static const iso_case fixed_cases[] = {
    {"identical", "nquads", "<http://ex/s> <http://ex/p> \"o\" .\n",
     "<http://ex/s> <http://ex/p> \"o\" .\n", 1},
    {"bnode relabelled", "nquads",
     "_:a <http://ex/p> _:b .\n_:b <http://ex/q> \"x\" .\n",
     "_:z <http://ex/q> \"x\" .\n_:y <http://ex/p> _:z .\n", 1},
    {"literal changed", "nquads", "<http://ex/s> <http://ex/p> \"o\" .\n",
     "<http://ex/s> <http://ex/p> \"O\" .\n", 0},
    {"datatype changed", "nquads",
     "<http://ex/s> <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
     "<http://ex/s> <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#int> .\n",
     0},
    {"lexical form is exact", "nquads",
     "<http://ex/s> <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
     "<http://ex/s> <http://ex/p> \"01\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
     0},
    {"simple literal is xsd:string", "nquads",
     "<http://ex/s> <http://ex/p> \"o\" .\n",
     "<http://ex/s> <http://ex/p> \"o\"^^<http://www.w3.org/2001/XMLSchema#string> .\n",
     1},
    {"language tag case-insensitive", "nquads",
     "<http://ex/s> <http://ex/p> \"o\"@en-US .\n",
     "<http://ex/s> <http://ex/p> \"o\"@en-us .\n", 1},
    {"language tag differs", "nquads",
     "<http://ex/s> <http://ex/p> \"o\"@en .\n",
     "<http://ex/s> <http://ex/p> \"o\"@de .\n", 0},
    {"language tag vs plain", "nquads",
     "<http://ex/s> <http://ex/p> \"o\"@en .\n",
     "<http://ex/s> <http://ex/p> \"o\" .\n", 0},
    {"IRI vs literal", "nquads", "<http://ex/s> <http://ex/p> <http://ex/o> .\n",
     "<http://ex/s> <http://ex/p> \"http://ex/o\" .\n", 0},
    {"bnode vs IRI", "nquads", "_:a <http://ex/p> <http://ex/o> .\n",
     "<http://ex/a> <http://ex/p> <http://ex/o> .\n", 0},
    {"duplicates collapse", "nquads",
     "<http://ex/s> <http://ex/p> \"o\" .\n<http://ex/s> <http://ex/p> \"o\" .\n",
     "<http://ex/s> <http://ex/p> \"o\" .\n", 1},
    {"default vs named graph", "nquads",
     "<http://ex/s> <http://ex/p> \"o\" .\n",
     "<http://ex/s> <http://ex/p> \"o\" <http://ex/g> .\n", 0},
    {"bnode graph name relabelled", "nquads",
     "_:x <http://ex/p> \"o\" _:g1 .\n_:g1 <http://ex/q> _:x .\n",
     "_:y <http://ex/p> \"o\" _:h .\n_:h <http://ex/q> _:y .\n", 1},
    {"bnode graph vs IRI graph", "nquads",
     "<http://ex/s> <http://ex/p> \"o\" _:g .\n",
     "<http://ex/s> <http://ex/p> \"o\" <http://ex/g> .\n", 0},
    {"two bnodes vs one", "nquads",
     "_:a <http://ex/p> \"o\" .\n_:b <http://ex/p> \"o\" .\n",
     "_:a <http://ex/p> \"o\" .\n", 0},
    {"swapped roles", "nquads",
     "_:a <http://ex/p> _:b .\n_:a <http://ex/q> \"1\" .\n_:b <http://ex/q> \"2\" .\n",
     "_:a <http://ex/p> _:b .\n_:a <http://ex/q> \"2\" .\n_:b <http://ex/q> \"1\" .\n",
     0},
    {"self loop vs edge", "nquads",
     "_:a <http://ex/p> _:a .\n_:b <http://ex/p> _:b .\n",
     "_:a <http://ex/p> _:b .\n_:b <http://ex/p> _:a .\n", 0},
};

/* Cycles: refinement gives every node one colour, backtracking decides. */
static int run_cycle_cases(rdf_iso *iso)
{
    static const struct { int n, split_a, split_b, expect; } cc[] = {
        {6, 0, 1, 0}, {6, 0, 0, 1}, {6, 1, 1, 1}, {60, 0, 1, 0}, {60, 1, 1, 1},
        {200, 0, 0, 1}, {200, 0, 1, 0},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof cc / sizeof cc[0]; i++) {
        char *a = cycle_doc(cc[i].n, cc[i].split_a, "a");
        char *b = cycle_doc(cc[i].n, cc[i].split_b, "b");
        char err[512], why[2048];
        rdf_dataset *da = a ? rdf_dataset_load_string(iso, a, "nquads", err,
                                                      sizeof err)
                            : NULL;
        rdf_dataset *db = b ? rdf_dataset_load_string(iso, b, "nquads", err,
                                                      sizeof err)
                            : NULL;
        int got = da && db ? rdf_dataset_isomorphic(iso, da, db, why,
                                                    sizeof why)
                           : -2;
        if (got != cc[i].expect) {
            fprintf(stderr, "FAIL cycle n=%d split %d/%d: got %d want %d\n",
                    cc[i].n, cc[i].split_a, cc[i].split_b, got,
                    cc[i].expect);
            failures++;
        }
        rdf_dataset_free(da);
        rdf_dataset_free(db);
        free(a);
        free(b);
    }
    return failures;
}

static int run_fixed_cases(rdf_iso *iso)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof fixed_cases / sizeof fixed_cases[0]; i++) {
        const iso_case *c = &fixed_cases[i];
        char err[512], why[2048] = "";
        rdf_dataset *a = rdf_dataset_load_string(iso, c->a, c->syntax, err,
                                                 sizeof err);
        rdf_dataset *b = a ? rdf_dataset_load_string(iso, c->b, c->syntax,
                                                     err, sizeof err)
                           : NULL;
        int got = a && b ? rdf_dataset_isomorphic(iso, a, b, why, sizeof why)
                         : -2;
        if (got != c->expect) {
            fprintf(stderr, "FAIL %s: got %d want %d %s\n", c->name, got,
                    c->expect, a && b ? why : err);
            failures++;
        }
        rdf_dataset_free(a);
        rdf_dataset_free(b);
    }
    return failures;
}

/* ------------------------------------------------------------ mutations */

static unsigned long rng_state = 12345;

static size_t rng(size_t n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return n ? (size_t)(rng_state >> 33) % n : 0;
}

/* Copy of D where blank node i becomes label LABELS[i]; quads shuffled. */
static rdf_dataset *relabelled(const rdf_dataset *d, char **labels)
{
    rdf_dataset *c = rdf_dataset_new();
    rdf_term_ref *map = malloc((d->nbnodes + 1) * sizeof *map);
    int ok = c && map;
    for (size_t i = 0; ok && i < d->nbnodes; i++)
        ok = (map[i] = rdf_dataset_bnode(c, labels[i])) != 0;
    for (size_t i = 0; ok && i < d->n; i++) {
        rdf_quad q = d->quads[i];
        for (int p = 0; p < 4; p++)
            if (q.t[p] < 0)
                q.t[p] = map[-q.t[p] - 1];
        ok = rdf_dataset_add(c, q) == 0;
    }
    for (size_t i = c && c->n ? c->n - 1 : 0; ok && i > 0; i--) {
        size_t j = rng(i + 1);
        rdf_quad t = c->quads[i];
        c->quads[i] = c->quads[j];
        c->quads[j] = t;
    }
    free(map);
    if (!ok) {
        rdf_dataset_free(c);
        return NULL;
    }
    rdf_dataset_normalize(c);
    return c;
}

/* Labels: permuted fresh labels (ALL) or the originals with one renamed. */
static char **make_labels(const rdf_dataset *d, int all)
{
    size_t n = d->nbnodes;
    char **labels = calloc(n + 1, sizeof *labels);
    size_t *perm = malloc((n + 1) * sizeof *perm);
    for (size_t i = 0; labels && perm && i < n; i++)
        perm[i] = i;
    for (size_t i = n; labels && perm && i > 1; i--) {
        size_t j = rng(i), t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    size_t pick = rng(n);
    for (size_t i = 0; labels && perm && i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "zz%zu", perm[i]);
        labels[i] = strdup(all || i == pick ? buf : d->bnode_labels[i]);
    }
    free(perm);
    return labels;
}

static void free_labels(char **labels, size_t n)
{
    for (size_t i = 0; labels && i < n; i++)
        free(labels[i]);
    free(labels);
}

/* Index of the quad a mutation of KIND changes, or D->n if none fits. */
static size_t mutation_target(const rdf_iso *iso, const rdf_dataset *d,
                              int kind)
{
    if (kind == 0)
        return d->n ? rng(d->n) : d->n;
    if (kind == 2)
        return d->nbnodes >= 2 ? 0 : d->n;
    for (size_t i = 0; i < d->n; i++)
        if (d->quads[i].t[2] > 0 &&
            rdf_iso_term_string(iso, d->quads[i].t[2])[0] == '"')
            return i;
    return d->n;
}

/* The literal T with its lexical form prefixed by '~'. */
static rdf_term_ref changed_literal(rdf_iso *iso, rdf_term_ref t)
{
    const char *o = rdf_iso_term_string(iso, t);
    size_t len = strlen(o) + 2;
    char *s = malloc(len);
    if (!s)
        return t;
    snprintf(s, len, "\"~%s", o + 1);
    rdf_term_ref id = rdf_iso_intern(iso, s);
    free(s);
    return id ? id : t;
}

/* Copy of D changed by KIND: 0 drop a quad, 1 change a literal, 2 merge
 * blank node 1 into blank node 0. NULL if D offers nothing to change. */
static rdf_dataset *mutated(rdf_iso *iso, const rdf_dataset *d, int kind)
{
    size_t target = mutation_target(iso, d, kind);
    if (target == d->n)
        return NULL;
    rdf_dataset *c = rdf_dataset_new();
    for (size_t i = 0; c && i < d->n; i++) {
        rdf_quad q = d->quads[i];
        if (kind == 0 && i == target)
            continue;
        if (kind == 1 && i == target)
            q.t[2] = changed_literal(iso, q.t[2]);
        for (int p = 0; p < 4; p++) {
            if (q.t[p] >= 0)
                continue;
            size_t b = (size_t)(-q.t[p] - 1);
            if (kind == 2 && b == 1)
                b = 0;
            q.t[p] = rdf_dataset_bnode(c, d->bnode_labels[b]);
        }
        rdf_dataset_add(c, q);
    }
    if (c)
        rdf_dataset_normalize(c);
    return c;
}

/* ------------------------------------------------------------ file checks */

typedef struct {
    rdf_iso *iso;
    int files, skipped, failures;
} file_run;

static file_run *current_run;

static int expect_iso(file_run *r, const char *path, const char *what,
                      const rdf_dataset *a, const rdf_dataset *b, int want)
{
    char why[2048] = "";
    if (!a || !b)
        return 0;
    int got = rdf_dataset_isomorphic(r->iso, a, b, why, sizeof why);
    if (got == want)
        return 0;
    fprintf(stderr, "FAIL %s: %s: got %d want %d (%s)\n", path, what, got,
            want, why);
    r->failures++;
    return 1;
}

static void check_file(file_run *r, const char *path)
{
    char err[1024];
    rdf_dataset *d = rdf_dataset_load_file(r->iso, path, syntax_for(path),
                                           NULL, err, sizeof err);
    if (!d) { /* inputs of negative syntax tests are meant not to parse */
        r->skipped++;
        return;
    }
    r->files++;
    expect_iso(r, path, "self", d, d, 1);
    char **labels = make_labels(d, 1);
    rdf_dataset *c = labels ? relabelled(d, labels) : NULL;
    expect_iso(r, path, "permuted blank nodes", d, c, 1);
    rdf_dataset_free(c);
    free_labels(labels, d->nbnodes);
    labels = make_labels(d, 0);
    c = labels ? relabelled(d, labels) : NULL;
    expect_iso(r, path, "one blank node relabelled", d, c, 1);
    rdf_dataset_free(c);
    free_labels(labels, d->nbnodes);
    static const char *kinds[] = {"quad dropped", "literal changed",
                                  "two blank nodes merged"};
    for (int k = 0; k < 3; k++) {
        c = mutated(r->iso, d, k);
        expect_iso(r, path, kinds[k], d, c, 0);
        rdf_dataset_free(c);
    }
    rdf_dataset_free(d);
}

static int visit(const char *path, const struct stat *sb, int type,
                 struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    const char *dot = strrchr(path, '.');
    if (type == FTW_F && dot && (!strcmp(dot, ".nt") || !strcmp(dot, ".nq")))
        check_file(current_run, path);
    return 0;
}

static int self_test(const char *dir)
{
    rdf_iso *iso = rdf_iso_new();
    if (!iso) {
        fprintf(stderr, "rdf-iso: cannot initialise raptor\n");
        return 2;
    }
    int failures = run_fixed_cases(iso) + run_cycle_cases(iso);
    printf("rdf-iso self-test: %zu built-in cases, %d failed\n",
           sizeof fixed_cases / sizeof fixed_cases[0] + 7, failures);
    file_run r = {iso, 0, 0, 0};
    if (dir) {
        current_run = &r;
        if (nftw(dir, visit, 16, FTW_PHYS) != 0) {
            fprintf(stderr,
                    "rdf-iso: cannot read W3C test directory '%s' "
                    "(set CITYKG_W3C_DIR)\n",
                    dir);
            r.failures++;
        }
        printf("rdf-iso self-test: %d files x 6 checks, %d unparsable "
               "skipped, %d failed\n",
               r.files, r.skipped, r.failures);
        if (r.files == 0) {
            fprintf(stderr, "rdf-iso: no .nt/.nq files under '%s'\n", dir);
            r.failures++;
        }
    }
    rdf_iso_free(iso);
    return failures + r.failures ? 1 : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: rdf-iso [-a SYNTAX] [-b SYNTAX] EXPECTED ACTUAL\n"
                    "       rdf-iso --self-test [DIR]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *sa = NULL, *sb = NULL;
    int i = 1;
    if (argc >= 2 && strcmp(argv[1], "--self-test") == 0)
        return argc <= 3 ? self_test(argc == 3 ? argv[2] : NULL) : usage();
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-a") == 0)
            sa = argv[i + 1];
        else if (strcmp(argv[i], "-b") == 0)
            sb = argv[i + 1];
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    return compare_files(sa, argv[i], sb, argv[i + 1]);
}
