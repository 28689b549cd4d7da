/*
 * rdf11_runner.c — W3C RDF 1.1 conformance runner for the citykg binary.
 *
 * Reads the manifests of the N-Triples, N-Quads, Turtle, TriG and RDF/XML
 * suites and runs every test against the real `citykg` executable, each in
 * a fresh data directory:
 *   positive syntax         `citykg load` must exit 0;
 *   negative syntax / eval  `citykg load` must exit non-zero (not crash),
 *                           say why on stderr, and `citykg dump` must then
 *                           show an empty store (nothing committed);
 *   eval                    load, `citykg dump --format nquads`, and the
 *                           dump must be isomorphic to mf:result
 *                           (rdf_iso.h: exact term equality, except that
 *                           language tags compare case-insensitively and
 *                           "x" equals "x"^^xsd:string; bijective blank
 *                           node mapping).
 * Any sanitizer report on citykg's stderr fails the test. Inputs are
 * loaded with `--base <assumedTestBase><path>` where the manifest assumes
 * a base (N-Triples/N-Quads assume none: no --base). Prints per-suite
 * counts and every failure; writes a markdown summary with --report.
 * Failures listed in the known-failures file (`test-IRI  reason` lines) do
 * not fail the run; listed tests that pass are reported (XPASS) but do not
 * fail it either. Rejections whose message lacks `file:line:column:` are
 * listed in the report as warnings.
 *
 *   rdf11-runner --citykg PATH --suite-dir DIR [--report FILE]
 *                [--known-failures FILE] [--suite NAME]... [--test TEXT]
 *                [--timeout SEC] [--keep] [--verbose]
 *   rdf11-runner --suite-dir DIR --list | --self-test
 *
 * Exit status: 0 all tests passed or failed as known, 1 unexpected
 * failures, 2 the run could not be set up (missing binary or suites).
 */
#define _GNU_SOURCE
#include "manifest.h"
#include "proc.h"
#include "rdf_iso.h"

#include <ctype.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUITES 8
#define REASON_LEN 1024

static const char *all_suites[] = {"rdf-n-triples", "rdf-n-quads",
                                   "rdf-turtle", "rdf-trig", "rdf-xml"};

typedef struct {
    char *iri;
    char *reason;
    int seen; /* the test exists in a manifest that was read */
} known_failure;

typedef enum { OUT_PASS, OUT_FAIL, OUT_XFAIL, OUT_XPASS } outcome;

typedef struct {
    outcome o;
    char reason[REASON_LEN];
    int no_location; /* negative test whose diagnostic lacks line:column */
    const known_failure *known;
} test_result;

typedef struct {
    rdf_manifest m;
    test_result *res;
    int run, pass, fail, xfail, xpass, noloc;
} suite_run;

typedef struct {
    const char *citykg, *suite_dir, *report, *known_path, *filter;
    const char *suites[MAX_SUITES];
    int nsuites;
    unsigned timeout;
    int keep, verbose, list, self_test;
    char workdir[PATH_MAX];
    unsigned long counter;
    raptor_world *world;
    rdf_iso *iso;
    known_failure *known;
    size_t nknown;
} runner;

/* Paths of one test's scratch space. */
typedef struct {
    char dir[PATH_MAX + 32], data[PATH_MAX + 64], out[PATH_MAX + 64],
        err[PATH_MAX + 64], dump[PATH_MAX + 64];
} scratch;

/* ------------------------------------------------------------ utilities */

static void fail(test_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    res->o = OUT_FAIL;
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    va_end(ap);
}

/* First non-empty line of PATH (at most LEN-1 bytes), "" if none. */
static const char *first_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    while (f && fgets(buf, (int)len, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0])
            break;
    }
    if (f)
        fclose(f);
    return buf;
}

/* First line of PATH that a sanitizer wrote (ASan, LSan, UBSan), or NULL.
 * Needed because ASan exits with status 1, like a rejected input. */
static const char *sanitizer_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    const char *hit = NULL;
    while (f && !hit && fgets(buf, (int)len, f)) {
        if (strstr(buf, "Sanitizer") || strstr(buf, ": runtime error:")) {
            buf[strcspn(buf, "\r\n")] = '\0';
            hit = buf;
        }
    }
    if (f)
        fclose(f);
    return hit;
}

/* Does LINE contain ":<line>:<column>: " as in `file:line:column: what`? */
static int has_location(const char *line)
{
    for (const char *p = strchr(line, ':'); p; p = strchr(p + 1, ':')) {
        const char *q = p + 1;
        if (!isdigit((unsigned char)*q))
            continue;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q++ != ':' || !isdigit((unsigned char)*q))
            continue;
        while (isdigit((unsigned char)*q))
            q++;
        if (q[0] == ':' && q[1] == ' ')
            return 1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------ known failures */

static int load_known(runner *r)
{
    if (!r->known_path)
        return 0;
    FILE *f = fopen(r->known_path, "r");
    if (!f) {
        fprintf(stderr, "rdf11-runner: cannot read %s\n", r->known_path);
        return -1;
    }
    char line[2048];
    int rc = 0, lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *iri = line + strspn(line, " \t");
        if (!*iri || *iri == '#')
            continue;
        char *end = iri + strcspn(iri, " \t");
        char *reason = *end ? end + 1 + strspn(end + 1, " \t") : end;
        *end = '\0';
        known_failure *k = realloc(r->known, (r->nknown + 1) * sizeof *k);
        if (!*reason || !k) {
            fprintf(stderr, "rdf11-runner: %s:%d: %s\n", r->known_path,
                    lineno, k ? "entry without a reason" : "out of memory");
            rc = -1;
            if (k)
                r->known = k;
            break;
        }
        r->known = k;
        k[r->nknown].iri = strdup(iri);
        k[r->nknown].reason = strdup(reason);
        k[r->nknown].seen = 0;
        r->nknown++;
    }
    fclose(f);
    return rc;
}

static const known_failure *find_known(runner *r, const char *iri)
{
    for (size_t i = 0; i < r->nknown; i++)
        if (strcmp(r->known[i].iri, iri) == 0) {
            r->known[i].seen = 1;
            return &r->known[i];
        }
    return NULL;
}

/* Entries naming no test of the suites read: typos or removed tests. */
static int report_unknown(const runner *r, FILE *f)
{
    int n = 0;
    if (r->filter || r->nsuites != sizeof all_suites / sizeof *all_suites)
        return 0;
    for (size_t i = 0; i < r->nknown; i++) {
        if (r->known[i].seen)
            continue;
        if (!n++ && f)
            fprintf(f, "## Known-failure entries that name no test\n\n");
        if (f)
            fprintf(f, "- `%s`\n", r->known[i].iri);
        else
            printf("WARNING known-failures entry names no test: %s\n",
                   r->known[i].iri);
    }
    if (n && f)
        fprintf(f, "\n");
    return n;
}

/* ------------------------------------------------------------ running citykg */

static int scratch_make(runner *r, scratch *s)
{
    snprintf(s->dir, sizeof s->dir, "%s/t%04lu", r->workdir, ++r->counter);
    snprintf(s->data, sizeof s->data, "%s/data", s->dir);
    snprintf(s->out, sizeof s->out, "%s/out", s->dir);
    snprintf(s->err, sizeof s->err, "%s/err", s->dir);
    snprintf(s->dump, sizeof s->dump, "%s/dump.nq", s->dir);
    if (mkdir(s->dir, 0700) != 0 || mkdir(s->data, 0700) != 0)
        return -1;
    return 0;
}

/* Run `citykg ARGS...` (NULL-terminated); record failures to start it. */
static int run_citykg(runner *r, const char *const *args, const char *out,
                      const char *err, proc_status *st, test_result *res)
{
    char *argv[16], line[512];
    int n = 0;
    argv[n++] = (char *)r->citykg;
    for (const char *const *a = args; *a && n < 15; a++)
        argv[n++] = (char *)*a;
    argv[n] = NULL;
    if (proc_run(argv, out, err, r->timeout, st) != 0) {
        fail(res, "cannot fork to run %s", r->citykg);
        return -1;
    }
    if (sanitizer_line(err, line, sizeof line)) {
        fail(res, "citykg %s: %s", args[0], line);
        return -1;
    }
    if (st->exec_failed) {
        fail(res, "citykg could not be started: %s",
             first_line(err, line, sizeof line));
        return -1;
    }
    return 0;
}

static int citykg_load(runner *r, const rdf_test *t, const scratch *s,
                       proc_status *st, test_result *res)
{
    const char *args[12] = {"load", "--data", s->data, "--format", t->format};
    int n = 5;
    if (t->base) {
        args[n++] = "--base";
        args[n++] = t->base;
    }
    args[n++] = t->action;
    args[n] = NULL;
    return run_citykg(r, args, s->out, s->err, st, res);
}

/* Dump the store as N-Quads into s->dump; 0 on success. */
static int citykg_dump(runner *r, const scratch *s, test_result *res)
{
    const char *args[] = {"dump", "--data", s->data, "--format", "nquads",
                          NULL};
    proc_status st;
    char desc[128], line[512];
    if (run_citykg(r, args, s->dump, s->err, &st, res) != 0)
        return -1;
    if (!proc_ok(&st)) {
        fail(res, "dump failed (%s): %s",
             proc_describe(&st, desc, sizeof desc),
             first_line(s->err, line, sizeof line));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ the checks */

static void check_positive(runner *r, const rdf_test *t, const scratch *s,
                           test_result *res)
{
    proc_status st;
    char desc[128], line[512];
    if (citykg_load(r, t, s, &st, res) != 0)
        return;
    if (!proc_ok(&st))
        fail(res, "load rejected valid input (%s): %s",
             proc_describe(&st, desc, sizeof desc),
             first_line(s->err, line, sizeof line));
}

/* After a rejected load the store must hold no quad at all. */
static void check_store_empty(runner *r, const scratch *s, test_result *res)
{
    char err[512], q[1024];
    if (citykg_dump(r, s, res) != 0)
        return;
    rdf_dataset *d = rdf_dataset_load_file(r->iso, s->dump, "nquads", NULL,
                                           err, sizeof err);
    if (!d) {
        fail(res, "dump after the failed load is not N-Quads: %s", err);
        return;
    }
    if (d->n > 0) {
        rdf_quad_format(r->iso, d, d->quads[0], q, sizeof q);
        fail(res, "load failed but committed %zu quad(s), first: %s", d->n,
             q);
    }
    rdf_dataset_free(d);
}

static void check_negative(runner *r, const rdf_test *t, const scratch *s,
                           test_result *res)
{
    proc_status st;
    char desc[128], line[512];
    if (citykg_load(r, t, s, &st, res) != 0)
        return;
    if (proc_ok(&st)) {
        fail(res, "load accepted invalid input (exit 0)");
        return;
    }
    if (st.signal || st.timed_out) {
        fail(res, "load %s instead of reporting an error",
             proc_describe(&st, desc, sizeof desc));
        return;
    }
    if (!first_line(s->err, line, sizeof line)[0]) {
        fail(res, "load failed (%s) without a message on stderr",
             proc_describe(&st, desc, sizeof desc));
        return;
    }
    res->no_location = !has_location(line);
    check_store_empty(r, s, res);
}

static const char *result_syntax(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && strcmp(dot, ".nq") == 0 ? "nquads" : "ntriples";
}

static void compare_result(runner *r, const rdf_test *t, const scratch *s,
                           test_result *res)
{
    char err[1024], why[REASON_LEN - 64];
    rdf_dataset *want = rdf_dataset_load_file(
        r->iso, t->result, result_syntax(t->result), NULL, err, sizeof err);
    if (!want) {
        fail(res, "cannot read expected result %s: %s", t->result, err);
        return;
    }
    rdf_dataset *got = rdf_dataset_load_file(r->iso, s->dump, "nquads", NULL,
                                             err, sizeof err);
    if (!got)
        fail(res, "dump is not valid N-Quads: %s", err);
    else if (rdf_dataset_isomorphic(r->iso, want, got, why, sizeof why) != 1)
        fail(res, "dump differs from the expected result: %s", why);
    rdf_dataset_free(got);
    rdf_dataset_free(want);
}

static void check_eval(runner *r, const rdf_test *t, const scratch *s,
                       test_result *res)
{
    proc_status st;
    char desc[128], line[512];
    if (citykg_load(r, t, s, &st, res) != 0)
        return;
    if (!proc_ok(&st)) {
        fail(res, "load rejected valid input (%s): %s",
             proc_describe(&st, desc, sizeof desc),
             first_line(s->err, line, sizeof line));
        return;
    }
    if (citykg_dump(r, s, res) == 0)
        compare_result(r, t, s, res);
}

static void run_test(runner *r, const rdf_test *t, test_result *res)
{
    scratch s;
    memset(res, 0, sizeof *res);
    if (scratch_make(r, &s) != 0) {
        fail(res, "cannot create a scratch directory under %s", r->workdir);
        return;
    }
    switch (t->kind) {
    case TEST_POSITIVE_SYNTAX: check_positive(r, t, &s, res); break;
    case TEST_NEGATIVE_SYNTAX:
    case TEST_NEGATIVE_EVAL: check_negative(r, t, &s, res); break;
    case TEST_EVAL: check_eval(r, t, &s, res); break;
    }
    if (res->o == OUT_PASS || !r->keep)
        remove_tree(s.dir);
    else
        snprintf(res->reason + strlen(res->reason),
                 sizeof res->reason - strlen(res->reason), " [kept: %s]",
                 s.dir);
}

/* ------------------------------------------------------------ suites */

static int selected(const runner *r, const rdf_test *t)
{
    return !r->filter || strstr(t->iri, r->filter) ||
           strstr(t->name, r->filter);
}

static void record(runner *r, suite_run *sr, const rdf_test *t,
                   test_result *res)
{
    res->known = find_known(r, t->iri);
    if (res->known)
        res->o = res->o == OUT_FAIL ? OUT_XFAIL : OUT_XPASS;
    sr->run++;
    sr->noloc += res->no_location;
    switch (res->o) {
    case OUT_PASS: sr->pass++; break;
    case OUT_FAIL: sr->fail++; break;
    case OUT_XFAIL: sr->xfail++; break;
    case OUT_XPASS: sr->xpass++; break;
    }
    if (res->o == OUT_FAIL)
        printf("FAIL  %s (%s): %s\n", t->iri, t->type, res->reason);
    else if (res->o == OUT_XPASS)
        printf("XPASS %s: listed as known failure but passes; remove it "
               "from the list\n", t->iri);
    else if (r->verbose && res->o == OUT_XFAIL)
        printf("XFAIL %s: %s\n", t->iri, res->reason);
    else if (r->verbose)
        printf("ok    %s\n", t->iri);
    fflush(stdout);
}

static void run_suite(runner *r, suite_run *sr)
{
    sr->res = calloc(sr->m.n + 1, sizeof *sr->res);
    if (!sr->res)
        return;
    for (size_t i = 0; i < sr->m.n; i++) {
        const rdf_test *t = &sr->m.tests[i];
        if (!selected(r, t))
            continue;
        run_test(r, t, &sr->res[i]);
        record(r, sr, t, &sr->res[i]);
    }
    printf("%-14s %4d passed, %4d failed (%d known), %4d run of %zu; "
           "%d rejection(s) without line:column\n",
           sr->m.suite, sr->pass + sr->xpass, sr->fail + sr->xfail,
           sr->xfail, sr->run, sr->m.n, sr->noloc);
    fflush(stdout);
}

/* ------------------------------------------------------------ report */

static void report_table(FILE *f, const suite_run *runs, int n)
{
    int tot[6] = {0};
    fprintf(f, "| suite | tests | passed | failed | known failures | "
               "unexpected failures |\n|---|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < n; i++) {
        const suite_run *s = &runs[i];
        int v[6] = {s->run, s->pass + s->xpass, s->fail + s->xfail, s->xfail,
                    s->fail, 0};
        fprintf(f, "| %s | %d | %d | %d | %d | %d |\n", s->m.suite, v[0],
                v[1], v[2], v[3], v[4]);
        for (int k = 0; k < 5; k++)
            tot[k] += v[k];
    }
    fprintf(f, "| **total** | %d | %d | %d | %d | %d |\n\n", tot[0], tot[1],
            tot[2], tot[3], tot[4]);
}

/* List the tests of outcome O (or, with NOLOC, the diagnostics warnings). */
static void report_list(FILE *f, const suite_run *runs, int n, outcome o,
                        int noloc, const char *title)
{
    int header = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; runs[i].res && k < runs[i].m.n; k++) {
            const test_result *res = &runs[i].res[k];
            const rdf_test *t = &runs[i].m.tests[k];
            if (noloc ? !res->no_location : res->o != o)
                continue;
            if (!header++)
                fprintf(f, "## %s\n\n", title);
            if (noloc || o == OUT_XPASS)
                fprintf(f, "- `%s` (%s)\n", t->iri, t->type);
            else if (o == OUT_XFAIL)
                fprintf(f, "- `%s` (%s): %s  \n  observed: %s\n", t->iri,
                        t->type, res->known->reason, res->reason);
            else
                fprintf(f, "- `%s` (%s): %s\n", t->iri, t->type,
                        res->reason);
        }
    if (header)
        fprintf(f, "\n");
}

static int write_report(const runner *r, const suite_run *runs, int n)
{
    FILE *f = fopen(r->report, "w");
    if (!f) {
        fprintf(stderr, "rdf11-runner: cannot write %s\n", r->report);
        return -1;
    }
    char date[64];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
    fprintf(f, "# W3C RDF 1.1 conformance of citykg\n\n"
               "- binary: `%s`\n- suites: `%s`\n- known failures: `%s`\n"
               "- run: %s\n- eval tests: the N-Quads dump must be isomorphic "
               "to mf:result; terms compare exactly, except that language "
               "tags compare case-insensitively and \"x\" equals "
               "\"x\"^^xsd:string (both allowed by RDF 1.1 Concepts)\n\n",
            r->citykg, r->suite_dir, r->known_path ? r->known_path : "none",
            date);
    report_table(f, runs, n);
    report_list(f, runs, n, OUT_FAIL, 0, "Unexpected failures");
    report_list(f, runs, n, OUT_XFAIL, 0,
                "Known failures (raptor 2.0.15 limitations)");
    report_list(f, runs, n, OUT_XPASS, 0,
                "Listed as known failures but passing (remove from the list)");
    report_list(f, runs, n, OUT_PASS, 1,
                "Negative tests whose error message lacks file:line:column");
    report_unknown(r, f);
    fclose(f);
    return 0;
}

/* ------------------------------------------------------------ list / self-test */

static void list_suite(const rdf_manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        const rdf_test *t = &m->tests[i];
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", t->iri, test_kind_name(t->kind),
               t->format, t->action, t->result ? t->result : "-",
               t->base ? t->base : "-");
    }
}

/* Manifest sanity: every input exists, every expected result parses and
 * is isomorphic to itself. Returns the number of problems. */
static int self_test_suite(runner *r, const rdf_manifest *m)
{
    int problems = 0, kinds[4] = {0};
    char err[1024], why[1024];
    for (size_t i = 0; i < m->n; i++) {
        const rdf_test *t = &m->tests[i];
        kinds[t->kind]++;
        if (access(t->action, R_OK) != 0) {
            printf("FAIL %s: input %s missing\n", t->iri, t->action);
            problems++;
        }
        if (!t->result)
            continue;
        rdf_dataset *d = rdf_dataset_load_file(
            r->iso, t->result, result_syntax(t->result), NULL, err, sizeof err);
        if (!d || rdf_dataset_isomorphic(r->iso, d, d, why, sizeof why) != 1) {
            printf("FAIL %s: expected result %s: %s\n", t->iri, t->result,
                   d ? why : err);
            problems++;
        }
        rdf_dataset_free(d);
    }
    printf("%-14s %zu tests: %d positive syntax, %d negative syntax, "
           "%d eval, %d negative eval\n",
           m->suite, m->n, kinds[TEST_POSITIVE_SYNTAX],
           kinds[TEST_NEGATIVE_SYNTAX], kinds[TEST_EVAL],
           kinds[TEST_NEGATIVE_EVAL]);
    return problems + (m->n == 0);
}

/* ------------------------------------------------------------ main */

static int usage(void)
{
    fprintf(stderr,
            "usage: rdf11-runner --citykg PATH --suite-dir DIR [--report FILE]\n"
            "         [--known-failures FILE] [--suite NAME]... [--test TEXT]\n"
            "         [--timeout SEC] [--keep] [--verbose]\n"
            "       rdf11-runner --suite-dir DIR --list | --self-test\n");
    return 2;
}

static int parse_args(runner *r, int argc, char **argv)
{
    static const struct option opts[] = {
        {"citykg", required_argument, 0, 'c'},
        {"suite-dir", required_argument, 0, 'd'},
        {"report", required_argument, 0, 'r'},
        {"known-failures", required_argument, 0, 'k'},
        {"suite", required_argument, 0, 's'},
        {"test", required_argument, 0, 't'},
        {"timeout", required_argument, 0, 'T'},
        {"keep", no_argument, 0, 'K'},
        {"verbose", no_argument, 0, 'v'},
        {"list", no_argument, 0, 'l'},
        {"self-test", no_argument, 0, 'S'},
        {0, 0, 0, 0}};
    int c;
    r->timeout = 60;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': r->citykg = optarg; break;
        case 'd': r->suite_dir = optarg; break;
        case 'r': r->report = optarg; break;
        case 'k': r->known_path = optarg; break;
        case 't': r->filter = optarg; break;
        case 'T': r->timeout = (unsigned)atoi(optarg); break;
        case 'K': r->keep = 1; break;
        case 'v': r->verbose = 1; break;
        case 'l': r->list = 1; break;
        case 'S': r->self_test = 1; break;
        case 's':
            if (r->nsuites == MAX_SUITES)
                return -1;
            r->suites[r->nsuites++] = optarg;
            break;
        default: return -1;
        }
    }
    if (optind != argc || !r->suite_dir ||
        (!r->citykg && !r->list && !r->self_test) || r->timeout == 0)
        return -1;
    if (!r->nsuites)
        for (size_t i = 0; i < sizeof all_suites / sizeof *all_suites; i++)
            r->suites[r->nsuites++] = all_suites[i];
    return 0;
}

/* Checks that make a run meaningless if they fail: exit status 2. */
static int check_setup(runner *r)
{
    struct stat sb;
    if (stat(r->suite_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr,
                "rdf11-runner: W3C RDF 1.1 test suites not found at '%s'.\n"
                "  Check out w3c/rdf-tests (rdf/rdf11) there, or configure "
                "with -DCITYKG_W3C_DIR=<dir>.\n",
                r->suite_dir);
        return -1;
    }
    if (r->citykg && !r->list && !r->self_test &&
        access(r->citykg, X_OK) != 0) {
        fprintf(stderr,
                "rdf11-runner: citykg binary '%s' not found or not "
                "executable; build it first.\n",
                r->citykg);
        return -1;
    }
    if (load_known(r) != 0)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(r->workdir, sizeof r->workdir, "%s/rdf11-runner-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!r->list && !r->self_test && !mkdtemp(r->workdir)) {
        fprintf(stderr, "rdf11-runner: cannot create %s\n", r->workdir);
        return -1;
    }
    return proc_init();
}

static int run_all(runner *r, suite_run *runs)
{
    int problems = 0, unexpected = 0;
    char err[1024];
    for (int i = 0; i < r->nsuites; i++) {
        if (manifest_load(r->world, r->suite_dir, r->suites[i], &runs[i].m,
                          err, sizeof err) != 0) {
            fprintf(stderr, "rdf11-runner: %s\n", err);
            return 2;
        }
        if (r->list)
            list_suite(&runs[i].m);
        else if (r->self_test)
            problems += self_test_suite(r, &runs[i].m);
        else
            run_suite(r, &runs[i]);
        unexpected += runs[i].fail;
    }
    if (r->list)
        return 0;
    if (r->self_test)
        return problems ? 1 : 0;
    report_unknown(r, NULL);
    if (r->report && write_report(r, runs, r->nsuites) != 0)
        return 2;
    printf("%s: %d unexpected failure(s)\n",
           unexpected ? "FAILED" : "OK", unexpected);
    return unexpected ? 1 : 0;
}

int main(int argc, char **argv)
{
    runner r;
    suite_run runs[MAX_SUITES];
    memset(&r, 0, sizeof r);
    memset(runs, 0, sizeof runs);
    if (parse_args(&r, argc, argv) != 0)
        return usage();
    if (check_setup(&r) != 0)
        return 2;
    r.world = raptor_new_world();
    r.iso = rdf_iso_new();
    int rc = 2;
    if (r.world && r.iso && raptor_world_open(r.world) == 0)
        rc = run_all(&r, runs);
    for (int i = 0; i < r.nsuites; i++) {
        manifest_free(&runs[i].m);
        free(runs[i].res);
    }
    for (size_t i = 0; i < r.nknown; i++) {
        free(r.known[i].iri);
        free(r.known[i].reason);
    }
    free(r.known);
    if (r.workdir[0] && !r.list && !r.self_test && !r.keep)
        rmdir(r.workdir);
    rdf_iso_free(r.iso);
    raptor_free_world(r.world);
    return rc;
}
