/*
 * eval_runner.c — W3C SPARQL 1.0/1.1 query evaluation tests against the
 * real `citykg` executable (ctest `sparql-eval`).
 *
 * Reads every SUITE_DIR/{sparql10,sparql11}/<folder>/manifest.ttl with
 * raptor and runs each mf:QueryEvaluationTest (and mf:CSVResultFormatTest)
 * in a fresh data directory:
 *   - every qt:data file is loaded into the default graph
 *     (`citykg load --data D --base URL FILE`), every qt:graphData file into
 *     the named graph whose IRI is the file's manifest-resolved IRI
 *     (`--graph IRI --base IRI`); a test without data of its own whose query
 *     names FROM / FROM NAMED files gets those files loaded as named graphs
 *     with their IRIs, so that the engine can pick its dataset from them;
 *   - the query file runs with `citykg query --strict-default-graph
 *     --format json` (csv for CSVResultFormatTest); its base is the query
 *     file's URL (passed with --base when `citykg query` has it, otherwise
 *     as a `BASE <URL>` line put in front of the query text);
 *   - the output is compared with mf:result (.srx through libxml2, .srj
 *     through jansson, .tsv, .csv, and RDF result sets in the rs:
 *     vocabulary or plain graphs, .ttl/.rdf/.nt, through raptor):
 *       SELECT   multiset of solutions, blank nodes mapped bijectively
 *                across the whole result; when the query ends in ORDER BY
 *                the sequence of the ORDER BY variables must match too;
 *                terms equal when IRIs are equal, literals have equal
 *                lexical form, datatype (simple = xsd:string) and
 *                language tag (case-insensitive); numeric literals of the
 *                same datatype are also accepted when equal by value
 *                ("2.0" vs "2", "1.0E0" vs "1E0": XSD 1.0 vs 1.1
 *                canonical forms), and such tests are listed in the report;
 *       ASK      the boolean;
 *       CONSTRUCT / DESCRIBE  graph isomorphism (tests/tools/rdf_iso.h).
 * Each citykg process is killed after --timeout seconds (default 20).
 *
 * SERVICE tests (qt:serviceData): each endpoint's data goes into a store of
 * its own, served by the loopback endpoint (--endpoint, built from
 * tests/tools/sparql_endpoint.c) that `citykg query` reaches as its HTTP
 * proxy (http_proxy), with the endpoints' hosts on --allow-service.
 *
 * Out of scope, counted and listed per category: the entailment folder,
 * SPARQL Update (evaluation and syntax), protocol, graph store protocol and
 * service description tests (need the HTTP server), syntax tests (the
 * sparql-syntax runner has them).
 *
 * Failures listed in the known-failures file (`test-IRI  reason` lines) do
 * not fail the run; listed tests that pass are reported as XPASS and do not
 * fail it either; any other failure does. --write-known FILE writes the
 * failures of this run in that format.
 *
 *   sparql-eval-runner --citykg PATH --suite-dir DIR [--endpoint PATH] [--known-failures F]
 *                      [--report F.md] [--write-known F] [--test TEXT]
 *                      [--timeout SEC] [--keep] [--verbose]
 *
 * Exit status: 0 all tests passed or failed as known, 1 unexpected
 * failures, 2 the run could not be set up.
 */
#define _GNU_SOURCE
#include "proc.h"
#include "runner_common.h"
#include "rdf_iso.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <raptor2.h>

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define QT "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
#define RS "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
#define REASON_LEN 512
#define DETAIL_LEN 1024

/* ======================================================================
 * Terms and small graphs
 * ==================================================================== */

typedef struct {
    char kind;  /* 0 unbound, 'I' IRI, 'B' blank, 'L' literal, 'C' CSV text */
    char *v;    /* IRI, blank label, lexical form, CSV text */
    char *dt;   /* datatype IRI, NULL for simple / xsd:string / lang */
    char *lang; /* language tag or NULL */
} term;

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        fprintf(stderr, "sparql-eval-runner: out of memory\n");
        exit(2);
    }
    return d;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "sparql-eval-runner: out of memory\n");
        exit(2);
    }
    return q;
}

static term term_make(char kind, const char *v, const char *dt, const char *lang)
{
    term t = {kind, xstrdup(v), NULL, NULL};
    if (lang && *lang)
        t.lang = xstrdup(lang);
    else if (dt && *dt && strcmp(dt, XSD "string") != 0)
        t.dt = xstrdup(dt);
    return t;
}

static void term_free(term *t)
{
    free(t->v);
    free(t->dt);
    free(t->lang);
    memset(t, 0, sizeof *t);
}

static term term_copy(const term *t)
{
    if (!t->kind)
        return (term){0};
    return term_make(t->kind, t->v, t->dt, t->lang);
}

/* Short N-Triples-like text of T into BUF. */
static const char *term_str(const term *t, char *buf, size_t len)
{
    switch (t->kind) {
    case 'I': snprintf(buf, len, "<%s>", t->v); break;
    case 'B': snprintf(buf, len, "_:%s", t->v); break;
    case 'C': snprintf(buf, len, "%s", t->v); break;
    case 'L':
        if (t->lang)
            snprintf(buf, len, "\"%s\"@%s", t->v, t->lang);
        else if (t->dt)
            snprintf(buf, len, "\"%s\"^^<%s>", t->v, t->dt);
        else
            snprintf(buf, len, "\"%s\"", t->v);
        break;
    default: snprintf(buf, len, "UNDEF"); break;
    }
    return buf;
}

static term term_from_raptor(const raptor_term *r)
{
    switch (r->type) {
    case RAPTOR_TERM_TYPE_URI:
        return term_make('I', (const char *)raptor_uri_as_string(r->value.uri), NULL, NULL);
    case RAPTOR_TERM_TYPE_BLANK:
        return term_make('B', (const char *)r->value.blank.string, NULL, NULL);
    case RAPTOR_TERM_TYPE_LITERAL:
        return term_make('L', (const char *)r->value.literal.string,
                         r->value.literal.datatype
                             ? (const char *)raptor_uri_as_string(r->value.literal.datatype)
                             : NULL,
                         (const char *)r->value.literal.language);
    default:
        return (term){0};
    }
}

/* Exact identity, used for graph lookups. */
static bool term_same(const term *a, const term *b)
{
    if (a->kind != b->kind || strcmp(a->v, b->v) != 0)
        return false;
    if (!a->dt != !b->dt || (a->dt && strcmp(a->dt, b->dt) != 0))
        return false;
    return !a->lang == !b->lang && (!a->lang || strcasecmp(a->lang, b->lang) == 0);
}

typedef struct {
    term s, p, o;
} triple;

typedef struct {
    triple *t;
    size_t n, cap;
} tgraph;

static void on_triple(void *user, raptor_statement *st)
{
    tgraph *g = user;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 256;
        g->t = xrealloc(g->t, g->cap * sizeof *g->t);
    }
    g->t[g->n].s = term_from_raptor(st->subject);
    g->t[g->n].p = term_from_raptor(st->predicate);
    g->t[g->n].o = term_from_raptor(st->object);
    g->n++;
}

static void tgraph_free(tgraph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        term_free(&g->t[i].s);
        term_free(&g->t[i].p);
        term_free(&g->t[i].o);
    }
    free(g->t);
    memset(g, 0, sizeof *g);
}

static const char *syntax_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "turtle";
    if (!strcmp(dot, ".rdf") || !strcmp(dot, ".xml") || !strcmp(dot, ".owl"))
        return "rdfxml";
    if (!strcmp(dot, ".nt"))
        return "ntriples";
    if (!strcmp(dot, ".nq"))
        return "nquads";
    return "turtle";
}

/* Parse PATH (base: its file URI) into G. */
static int tgraph_load(raptor_world *w, const char *path, tgraph *g)
{
    unsigned char *us = raptor_uri_filename_to_uri_string(path);
    raptor_uri *uri = us ? raptor_new_uri(w, us) : NULL;
    raptor_parser *p = raptor_new_parser(w, syntax_for(path));
    int rc = -1;
    if (uri && p) {
        raptor_parser_set_statement_handler(p, g, on_triple);
        rc = raptor_parser_parse_file(p, uri, uri);
    }
    if (p)
        raptor_free_parser(p);
    if (uri)
        raptor_free_uri(uri);
    raptor_free_memory(us);
    return rc;
}

static const term *obj(const tgraph *g, const term *s, const char *p)
{
    for (size_t i = 0; i < g->n; i++)
        if (term_same(&g->t[i].s, s) && g->t[i].p.kind == 'I' && strcmp(g->t[i].p.v, p) == 0)
            return &g->t[i].o;
    return NULL;
}

/* All objects of (S, P): fills OUT (caller frees the array only). */
static size_t objs(const tgraph *g, const term *s, const char *p, const term ***out)
{
    size_t n = 0;
    *out = NULL;
    for (size_t i = 0; i < g->n; i++)
        if (term_same(&g->t[i].s, s) && g->t[i].p.kind == 'I' && strcmp(g->t[i].p.v, p) == 0) {
            *out = xrealloc(*out, (n + 1) * sizeof **out);
            (*out)[n++] = &g->t[i].o;
        }
    return n;
}

/* ======================================================================
 * Result sets
 * ==================================================================== */

typedef struct {
    int is_bool, boolean;
    char **vars;
    size_t nvars;
    term **rows; /* rows[i][k] is the value of vars[k] (kind 0: unbound) */
    size_t nrows;
    bool declared_vars; /* the head listed the variables */
} resultset;

static void rs_free(resultset *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t k = 0; k < r->nvars; k++)
            term_free(&r->rows[i][k]);
        free(r->rows[i]);
    }
    free(r->rows);
    for (size_t k = 0; k < r->nvars; k++)
        free(r->vars[k]);
    free(r->vars);
    memset(r, 0, sizeof *r);
}

static size_t rs_var(resultset *r, const char *name)
{
    for (size_t k = 0; k < r->nvars; k++)
        if (strcmp(r->vars[k], name) == 0)
            return k;
    r->vars = xrealloc(r->vars, (r->nvars + 1) * sizeof *r->vars);
    r->vars[r->nvars] = xstrdup(name);
    for (size_t i = 0; i < r->nrows; i++) {
        r->rows[i] = xrealloc(r->rows[i], (r->nvars + 1) * sizeof **r->rows);
        r->rows[i][r->nvars] = (term){0};
    }
    return r->nvars++;
}

static term *rs_new_row(resultset *r)
{
    r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof *r->rows);
    term *row = xrealloc(NULL, (r->nvars + 1) * sizeof *row);
    memset(row, 0, (r->nvars + 1) * sizeof *row);
    r->rows[r->nrows++] = row;
    return row;
}

static void rs_set(resultset *r, size_t row, const char *var, term t)
{
    size_t k = rs_var(r, var);
    term_free(&r->rows[row][k]);
    r->rows[row][k] = t;
}

/* Resolve a relative IRI of an expected result against BASE_URI. */
static char *resolve(raptor_world *w, const char *base, const char *iri)
{
    const char *p = iri;
    if (isalpha((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
            p++;
        if (*p == ':')
            return xstrdup(iri);
    }
    raptor_uri *b = raptor_new_uri(w, (const unsigned char *)base);
    raptor_uri *u = b ? raptor_new_uri_relative_to_base(w, b, (const unsigned char *)iri) : NULL;
    char *s = xstrdup(u ? (const char *)raptor_uri_as_string(u) : iri);
    if (u)
        raptor_free_uri(u);
    if (b)
        raptor_free_uri(b);
    return s;
}

/* ---- SPARQL JSON (expected .srj and citykg's output) ---- */

static int parse_json(raptor_world *w, const char *path, const char *base, resultset *r,
                      char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        snprintf(err, errlen, "not JSON (line %d: %s)", je.line, je.text);
        return -1;
    }
    json_t *b = json_object_get(root, "boolean");
    if (json_is_boolean(b)) {
        r->is_bool = 1;
        r->boolean = json_is_true(b);
        json_decref(root);
        return 0;
    }
    json_t *vars = json_object_get(json_object_get(root, "head"), "vars");
    json_t *bindings = json_object_get(json_object_get(root, "results"), "bindings");
    if (!json_is_array(bindings)) {
        snprintf(err, errlen, "SPARQL JSON without results.bindings or boolean");
        json_decref(root);
        return -1;
    }
    size_t i;
    json_t *v;
    if (json_is_array(vars)) {
        r->declared_vars = true;
        json_array_foreach(vars, i, v) if (json_is_string(v)) rs_var(r, json_string_value(v));
    }
    json_t *sol;
    json_array_foreach(bindings, i, sol)
    {
        rs_new_row(r);
        const char *name;
        json_t *val;
        json_object_foreach(sol, name, val)
        {
            const char *type = json_string_value(json_object_get(val, "type"));
            const char *value = json_string_value(json_object_get(val, "value"));
            if (!type || !value) {
                snprintf(err, errlen, "binding of ?%s without type or value", name);
                json_decref(root);
                return -1;
            }
            term t;
            if (!strcmp(type, "uri")) {
                char *iri = base ? resolve(w, base, value) : xstrdup(value);
                t = term_make('I', iri, NULL, NULL);
                free(iri);
            } else if (!strcmp(type, "bnode"))
                t = term_make('B', value, NULL, NULL);
            else if (!strcmp(type, "literal") || !strcmp(type, "typed-literal"))
                t = term_make('L', value, json_string_value(json_object_get(val, "datatype")),
                              json_string_value(json_object_get(val, "xml:lang")));
            else {
                snprintf(err, errlen, "binding of ?%s has unknown type \"%s\"", name, type);
                json_decref(root);
                return -1;
            }
            rs_set(r, r->nrows - 1, name, t);
        }
    }
    json_decref(root);
    return 0;
}

/* ---- SPARQL XML (.srx) ---- */

static bool is_el(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *xml_text(xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = xstrdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

static int parse_srx(raptor_world *w, const char *path, const char *base, resultset *r,
                     char *err, size_t errlen)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!doc) {
        snprintf(err, errlen, "not XML");
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *sec = root ? root->children : NULL; sec; sec = sec->next) {
        if (is_el(sec, "head")) {
            for (xmlNode *v = sec->children; v; v = v->next)
                if (is_el(v, "variable")) {
                    xmlChar *name = xmlGetProp(v, (const xmlChar *)"name");
                    if (name)
                        rs_var(r, (const char *)name);
                    xmlFree(name);
                    r->declared_vars = true;
                }
        } else if (is_el(sec, "boolean")) {
            char *s = xml_text(sec);
            r->is_bool = 1;
            r->boolean = strstr(s, "true") != NULL;
            free(s);
        } else if (is_el(sec, "results")) {
            for (xmlNode *res = sec->children; res; res = res->next) {
                if (!is_el(res, "result"))
                    continue;
                rs_new_row(r);
                for (xmlNode *b = res->children; b; b = b->next) {
                    if (!is_el(b, "binding"))
                        continue;
                    xmlChar *name = xmlGetProp(b, (const xmlChar *)"name");
                    for (xmlNode *v = b->children; v && name; v = v->next) {
                        if (v->type != XML_ELEMENT_NODE)
                            continue;
                        char *text = xml_text(v);
                        term t = {0};
                        if (is_el(v, "uri")) {
                            char *iri = resolve(w, base, text);
                            t = term_make('I', iri, NULL, NULL);
                            free(iri);
                        } else if (is_el(v, "bnode"))
                            t = term_make('B', text, NULL, NULL);
                        else if (is_el(v, "literal")) {
                            xmlChar *dt = xmlGetProp(v, (const xmlChar *)"datatype");
                            xmlChar *lang = xmlNodeGetLang(v);
                            t = term_make('L', text, (const char *)dt, (const char *)lang);
                            xmlFree(dt);
                            xmlFree(lang);
                        }
                        free(text);
                        if (t.kind)
                            rs_set(r, r->nrows - 1, (const char *)name, t);
                        break;
                    }
                    xmlFree(name);
                }
            }
        }
    }
    xmlFreeDoc(doc);
    return 0;
}

/* ---- TSV and CSV ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = xrealloc(NULL, cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

/* Append code point CP as UTF-8. */
static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One TSV field (SPARQL/Turtle term syntax). */
static term tsv_term(raptor_world *w, const char *base, const char *f)
{
    size_t n = strlen(f);
    if (n == 0)
        return (term){0};
    if (f[0] == '<' && f[n - 1] == '>') {
        char *s = xstrdup(f + 1);
        s[n - 2] = 0;
        char *iri = resolve(w, base, s);
        term t = term_make('I', iri, NULL, NULL);
        free(s);
        free(iri);
        return t;
    }
    if (f[0] == '_' && f[1] == ':')
        return term_make('B', f + 2, NULL, NULL);
    if (f[0] == '"' || f[0] == '\'') {
        char q = f[0];
        char *lex = xrealloc(NULL, n + 1), *o = lex;
        const char *p = f + 1;
        while (*p && *p != q) {
            if (*p == '\\' && p[1]) {
                p++;
                switch (*p) {
                case 't': *o++ = '\t'; break;
                case 'n': *o++ = '\n'; break;
                case 'r': *o++ = '\r'; break;
                case 'b': *o++ = '\b'; break;
                case 'f': *o++ = '\f'; break;
                case 'u':
                case 'U': {
                    int len = *p == 'u' ? 4 : 8;
                    char hex[9] = {0};
                    strncpy(hex, p + 1, (size_t)len);
                    o += put_utf8(o, strtoul(hex, NULL, 16));
                    p += len;
                    break;
                }
                default: *o++ = *p;
                }
                p++;
            } else
                *o++ = *p++;
        }
        *o = 0;
        if (*p == q)
            p++;
        term t;
        if (*p == '@')
            t = term_make('L', lex, NULL, p + 1);
        else if (p[0] == '^' && p[1] == '^') {
            char *dt = xstrdup(p + 3);
            size_t dl = strlen(dt);
            if (dl && dt[dl - 1] == '>')
                dt[dl - 1] = 0;
            t = term_make('L', lex, dt, NULL);
            free(dt);
        } else
            t = term_make('L', lex, NULL, NULL);
        free(lex);
        return t;
    }
    if (!strcmp(f, "true") || !strcmp(f, "false"))
        return term_make('L', f, XSD "boolean", NULL);
    const char *dt = XSD "integer";
    if (strpbrk(f, "eE"))
        dt = XSD "double";
    else if (strchr(f, '.'))
        dt = XSD "decimal";
    return term_make('L', f, dt, NULL);
}

/* Split TEXT into lines; TSV fields by tab. */
static int parse_tsv_text(raptor_world *w, const char *base, char *text, resultset *r)
{
    char *save = NULL;
    bool header = true;
    size_t *cols = NULL, ncols = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = 0;
        if (header) {
            header = false;
            r->declared_vars = true;
            char *fs = NULL;
            if (l == 0)
                continue;
            for (char *f = strtok_r(line, "\t", &fs); f; f = strtok_r(NULL, "\t", &fs)) {
                cols = xrealloc(cols, (ncols + 1) * sizeof *cols);
                cols[ncols++] = rs_var(r, f[0] == '?' || f[0] == '$' ? f + 1 : f);
            }
            continue;
        }
        rs_new_row(r);
        char *p = line;
        for (size_t c = 0; c < ncols; c++) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = 0;
            term t = tsv_term(w, base, p);
            if (t.kind)
                r->rows[r->nrows - 1][cols[c]] = t;
            if (!tab)
                break;
            p = tab + 1;
        }
    }
    free(cols);
    return 0;
}

/* RFC 4180. Values become 'C' (plain text) terms, "_:x" blank nodes. */
static int parse_csv_text(char *text, resultset *r)
{
    char *p = text;
    bool header = true;
    size_t *cols = NULL, ncols = 0;
    while (*p) {
        size_t c = 0;
        if (!header)
            rs_new_row(r);
        for (;;) {
            char *field = xrealloc(NULL, strlen(p) + 1), *o = field;
            bool quoted = false;
            if (*p == '"') {
                quoted = true;
                p++;
                while (*p) {
                    if (*p == '"' && p[1] == '"') {
                        *o++ = '"';
                        p += 2;
                    } else if (*p == '"') {
                        p++;
                        break;
                    } else
                        *o++ = *p++;
                }
            }
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                *o++ = *p++;
            *o = 0;
            if (header) {
                cols = xrealloc(cols, (ncols + 1) * sizeof *cols);
                cols[ncols++] = rs_var(r, field);
            } else if (c < ncols && (field[0] || quoted)) {
                term t = !quoted && field[0] == '_' && field[1] == ':'
                             ? term_make('B', field + 2, NULL, NULL)
                             : term_make('C', field, NULL, NULL);
                r->rows[r->nrows - 1][cols[c]] = t;
            }
            free(field);
            c++;
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        header = false;
        r->declared_vars = true;
    }
    free(cols);
    return 0;
}

/* ---- RDF result sets (rs: vocabulary) ---- */

static bool graph_is_resultset(const tgraph *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->t[i].p.kind == 'I' && strcmp(g->t[i].p.v, RDF "type") == 0 &&
            g->t[i].o.kind == 'I' && strcmp(g->t[i].o.v, RS "ResultSet") == 0)
            return true;
    return false;
}

typedef struct {
    long index;
    size_t row;
} idx_row;

static int cmp_idx(const void *a, const void *b)
{
    const idx_row *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int parse_rdf_resultset(const tgraph *g, resultset *r, bool *has_index, char *err,
                               size_t errlen)
{
    const term *set = NULL;
    for (size_t i = 0; i < g->n && !set; i++)
        if (g->t[i].p.kind == 'I' && !strcmp(g->t[i].p.v, RDF "type") && g->t[i].o.kind == 'I' &&
            !strcmp(g->t[i].o.v, RS "ResultSet"))
            set = &g->t[i].s;
    const term *b = obj(g, set, RS "boolean");
    if (b) {
        r->is_bool = 1;
        r->boolean = !strcmp(b->v, "true") || !strcmp(b->v, "1");
        return 0;
    }
    const term **vars, **sols;
    size_t nv = objs(g, set, RS "resultVariable", &vars);
    for (size_t i = 0; i < nv; i++)
        rs_var(r, vars[i]->v);
    r->declared_vars = nv > 0;
    free(vars);
    size_t ns = objs(g, set, RS "solution", &sols);
    idx_row *order = xrealloc(NULL, (ns + 1) * sizeof *order);
    *has_index = false;
    for (size_t i = 0; i < ns; i++) {
        rs_new_row(r);
        const term *ix = obj(g, sols[i], RS "index");
        order[i].index = ix ? strtol(ix->v, NULL, 10) : 0;
        order[i].row = i;
        if (ix)
            *has_index = true;
        const term **bs;
        size_t nb = objs(g, sols[i], RS "binding", &bs);
        for (size_t j = 0; j < nb; j++) {
            const term *var = obj(g, bs[j], RS "variable");
            const term *val = obj(g, bs[j], RS "value");
            if (!var || !val) {
                snprintf(err, errlen, "rs:binding without rs:variable or rs:value");
                free(bs);
                free(sols);
                free(order);
                return -1;
            }
            rs_set(r, r->nrows - 1, var->v, term_copy(val));
        }
        free(bs);
    }
    free(sols);
    if (*has_index) { /* put the rows in rs:index order */
        qsort(order, ns, sizeof *order, cmp_idx);
        term **rows = xrealloc(NULL, (ns + 1) * sizeof *rows);
        for (size_t i = 0; i < ns; i++)
            rows[i] = r->rows[order[i].row];
        memcpy(r->rows, rows, ns * sizeof *rows);
        free(rows);
    }
    free(order);
    return 0;
}

/* ======================================================================
 * Comparing result sets
 * ==================================================================== */

static bool is_numeric_dt(const char *dt)
{
    static const char *const names[] = {
        "integer", "decimal", "float", "double", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"};
    if (!dt || strncmp(dt, XSD, strlen(XSD)) != 0)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(dt + strlen(XSD), names[i]))
            return true;
    return false;
}

static bool numeric_value(const char *s, long double *out)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return false;
    *out = strtold(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return *end == 0 && !isnan(*out);
}

typedef struct {
    int allow_value;      /* accept numeric literals equal by value */
    int numeric_by_value; /* set when a match needed value equality */
    char example[200];    /* the first such pair */
} cmp_ctx;

/* Ground terms (no blank nodes) equal? */
static bool ground_eq(const term *e, const term *a, cmp_ctx *cx)
{
    if (!e->kind || !a->kind)
        return !e->kind && !a->kind;
    if (e->kind == 'C' || a->kind == 'C') { /* CSV: compare the text only */
        if (e->kind == 'B' || a->kind == 'B')
            return false;
        return strcmp(e->v, a->v) == 0;
    }
    if (e->kind != a->kind)
        return false;
    if (e->kind == 'I')
        return strcmp(e->v, a->v) == 0;
    if (!e->lang != !a->lang || (e->lang && strcasecmp(e->lang, a->lang) != 0))
        return false;
    if (!e->dt != !a->dt || (e->dt && strcmp(e->dt, a->dt) != 0))
        return false;
    if (strcmp(e->v, a->v) == 0)
        return true;
    long double x, y;
    if (cx && cx->allow_value && is_numeric_dt(e->dt) && numeric_value(e->v, &x) && numeric_value(a->v, &y) && x == y) {
        if (!cx->numeric_by_value++)
            snprintf(cx->example, sizeof cx->example, "expected \"%.60s\", got \"%.60s\" (%s)",
                     e->v, a->v, e->dt + strlen(XSD));
        return true;
    }
    return false;
}

typedef struct {
    const resultset *e, *a;
    size_t *amap;   /* column of each expected var in a (SIZE_MAX: none) */
    size_t nvars;   /* expected vars */
    size_t *a_extra; /* actual-only columns */
    size_t n_extra;
    /* blank node bijection, labels interned per side */
    char **eb, **ab;
    size_t neb, nab;
    long *e2a, *a2e;
    unsigned long steps;
    cmp_ctx *cx;
} matcher;

static long blabel(char ***list, size_t *n, const char *l)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i], l))
            return (long)i;
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[*n] = (char *)l;
    return (long)(*n)++;
}

static const term *aval(const matcher *m, size_t row, size_t k)
{
    static const term unbound = {0};
    size_t c = m->amap[k];
    return c == SIZE_MAX ? &unbound : &m->a->rows[row][c];
}

static bool row_has_bnode(const matcher *m, size_t er)
{
    for (size_t k = 0; k < m->nvars; k++)
        if (m->e->rows[er][k].kind == 'B')
            return true;
    return false;
}

/* Row equality with blank nodes as wildcards (LOOSE) or under the current
 * bijection, which is extended; TRAIL collects the new pairs. */
static bool rows_match(matcher *m, size_t er, size_t ar, bool loose, long *trail, size_t *nt)
{
    for (size_t x = 0; x < m->n_extra; x++)
        if (m->a->rows[ar][m->a_extra[x]].kind)
            return false;
    size_t start = nt ? *nt : 0;
    for (size_t k = 0; k < m->nvars; k++) {
        const term *e = &m->e->rows[er][k], *a = aval(m, ar, k);
        if (e->kind == 'B' || a->kind == 'B') {
            if (e->kind != a->kind)
                goto fail;
            if (loose)
                continue;
            long ei = blabel(&m->eb, &m->neb, e->v), ai = blabel(&m->ab, &m->nab, a->v);
            if (m->e2a[ei] == -1 && m->a2e[ai] == -1) {
                m->e2a[ei] = ai;
                m->a2e[ai] = ei;
                trail[(*nt)++] = ei;
            } else if (m->e2a[ei] != ai)
                goto fail;
        } else if (!ground_eq(e, a, m->cx))
            goto fail;
    }
    return true;
fail:
    while (nt && *nt > start) {
        long ei = trail[--*nt];
        m->a2e[m->e2a[ei]] = -1;
        m->e2a[ei] = -1;
    }
    return false;
}

static bool backtrack(matcher *m, size_t *erows, size_t ne, size_t i, bool *aused,
                      size_t *assign, long *trail, size_t *nt)
{
    if (i == ne)
        return true;
    if (++m->steps > 2000000)
        return false;
    for (size_t ar = 0; ar < m->a->nrows; ar++) {
        if (aused[ar])
            continue;
        size_t mark = *nt;
        if (!rows_match(m, erows[i], ar, false, trail, nt))
            continue;
        aused[ar] = true;
        assign[erows[i]] = ar;
        if (backtrack(m, erows, ne, i + 1, aused, assign, trail, nt))
            return true;
        aused[ar] = false;
        while (*nt > mark) {
            long ei = trail[--*nt];
            m->a2e[m->e2a[ei]] = -1;
            m->e2a[ei] = -1;
        }
    }
    return false;
}

static void row_str(const resultset *r, size_t row, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t k = 0; k < r->nvars && o + 8 < len; k++) {
        char t[200];
        if (!r->rows[row][k].kind)
            continue;
        o += (size_t)snprintf(buf + o, len - o, "%s?%s=%s", o ? " " : "", r->vars[k],
                              term_str(&r->rows[row][k], t, sizeof t));
    }
    if (o >= len)
        buf[len - 1] = 0;
}

/* ORDER BY variables of the top-level ORDER BY of QUERY (the last ORDER BY
 * not followed by a '}'), or 0 if there is none. */
static size_t order_vars(const char *query, char ***out)
{
    *out = NULL;
    const char *last = NULL;
    for (const char *p = query; *p; p++) {
        if (*p == '#') { /* comment (approximate: not inside strings/IRIs) */
            while (*p && *p != '\n')
                p++;
            if (!*p)
                break;
            continue;
        }
        if (strncasecmp(p, "ORDER", 5) == 0 && (p == query || !isalnum((unsigned char)p[-1]))) {
            const char *q = p + 5;
            while (isspace((unsigned char)*q))
                q++;
            if (strncasecmp(q, "BY", 2) == 0 && !isalnum((unsigned char)q[2]))
                last = q + 2;
        }
    }
    if (!last || strchr(last, '}'))
        return 0;
    size_t n = 0;
    for (const char *p = last; *p; p++) {
        if (strncasecmp(p, "LIMIT", 5) == 0 || strncasecmp(p, "OFFSET", 6) == 0 ||
            strncasecmp(p, "VALUES", 6) == 0)
            break;
        if ((*p == '?' || *p == '$') && (isalnum((unsigned char)p[1]) || p[1] == '_')) {
            const char *s = ++p;
            while (isalnum((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80)
                p++;
            *out = xrealloc(*out, (n + 1) * sizeof **out);
            (*out)[n++] = strndup(s, (size_t)(p - s));
            p--;
        }
    }
    if (n == 0) { /* ORDER BY without variables: order by the whole row */
        *out = xrealloc(*out, sizeof **out);
        (*out)[n++] = xstrdup("*");
    }
    return n;
}

/* Remove repeated rows (ground rows only; blank nodes are left alone). */
static void dedupe(resultset *r)
{
    size_t out = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        bool dup = false;
        for (size_t j = 0; j < out && !dup; j++) {
            bool same = true;
            for (size_t k = 0; k < r->nvars && same; k++)
                same = r->rows[i][k].kind != 'B' && ground_eq(&r->rows[i][k], &r->rows[j][k], NULL);
            dup = same;
        }
        if (dup) {
            for (size_t k = 0; k < r->nvars; k++)
                term_free(&r->rows[i][k]);
            free(r->rows[i]);
        } else
            r->rows[out++] = r->rows[i];
    }
    r->nrows = out;
}

/* Compare E (expected) and A (actual). Returns true on a match; otherwise
 * REASON (short) and DETAIL (an example) say why. */
static bool compare_results(const resultset *e, const resultset *a, char **ovars, size_t novars,
                            cmp_ctx *cx, char *reason, size_t rlen, char *detail, size_t dlen)
{
    detail[0] = 0;
    if (e->is_bool || a->is_bool) {
        if (!e->is_bool || !a->is_bool) {
            snprintf(reason, rlen, "wrong result form: expected %s, got %s",
                     e->is_bool ? "a boolean" : "solutions", a->is_bool ? "a boolean" : "solutions");
            return false;
        }
        if (e->boolean != a->boolean) {
            snprintf(reason, rlen, "wrong boolean: expected %s", e->boolean ? "true" : "false");
            return false;
        }
        return true;
    }
    matcher m = {.e = e, .a = a, .nvars = e->nvars, .cx = cx};
    m.amap = xrealloc(NULL, (e->nvars + 1) * sizeof *m.amap);
    for (size_t k = 0; k < e->nvars; k++) {
        m.amap[k] = SIZE_MAX;
        for (size_t c = 0; c < a->nvars; c++)
            if (!strcmp(e->vars[k], a->vars[c]))
                m.amap[k] = c;
    }
    m.a_extra = xrealloc(NULL, (a->nvars + 1) * sizeof *m.a_extra);
    for (size_t c = 0; c < a->nvars; c++) {
        bool found = false;
        for (size_t k = 0; k < e->nvars; k++)
            found |= !strcmp(e->vars[k], a->vars[c]);
        if (!found)
            m.a_extra[m.n_extra++] = c;
    }
    bool ok = true;
    /* variable lists (when both declare them) */
    if (e->declared_vars && a->declared_vars) {
        bool same = e->nvars == a->nvars && m.n_extra == 0;
        for (size_t k = 0; k < e->nvars; k++)
            same &= m.amap[k] != SIZE_MAX;
        if (!same) {
            size_t o = 0;
            char buf[512];
            o += (size_t)snprintf(buf + o, sizeof buf - o, "expected");
            for (size_t k = 0; k < e->nvars && o < sizeof buf; k++)
                o += (size_t)snprintf(buf + o, sizeof buf - o, " ?%s", e->vars[k]);
            if (o < sizeof buf)
                o += (size_t)snprintf(buf + o, sizeof buf - o, ", got");
            for (size_t c = 0; c < a->nvars && o < sizeof buf; c++)
                o += (size_t)snprintf(buf + o, sizeof buf - o, " ?%s", a->vars[c]);
            snprintf(reason, rlen, "wrong variables");
            snprintf(detail, dlen, "%s", buf);
            ok = false;
        }
    }
    size_t ne = e->nrows, na = a->nrows;
    bool *aused = xrealloc(NULL, na + 1), *eused = xrealloc(NULL, ne + 1);
    memset(aused, 0, na + 1);
    memset(eused, 0, ne + 1);
    size_t *assign = xrealloc(NULL, (ne + 1) * sizeof *assign);
    /* 1. ground rows, greedily (exact: term equality, and value equality,
     * are equivalences): identical terms first, then equal by value */
    for (size_t i = 0; i < ne; i++)
        assign[i] = SIZE_MAX;
    for (int pass = 0; pass < 2 && ok; pass++) {
        cx->allow_value = pass;
        for (size_t i = 0; i < ne; i++) {
            if (eused[i] || row_has_bnode(&m, i))
                continue;
            for (size_t j = 0; j < na; j++)
                if (!aused[j] && rows_match(&m, i, j, true, NULL, NULL)) {
                    aused[j] = eused[i] = true;
                    assign[i] = j;
                    break;
                }
        }
    }
    /* 2. count what cannot match even with blank nodes as wildcards */
    bool *aused2 = xrealloc(NULL, na + 1);
    memcpy(aused2, aused, na + 1);
    size_t missing = 0, unexpected = 0, first_missing = SIZE_MAX, first_unexp = SIZE_MAX;
    size_t *brows = xrealloc(NULL, (ne + 1) * sizeof *brows), nb = 0;
    for (size_t i = 0; i < ne && ok; i++) {
        if (eused[i])
            continue;
        bool found = false;
        if (row_has_bnode(&m, i)) {
            brows[nb++] = i;
            for (size_t j = 0; j < na && !found; j++)
                if (!aused2[j] && rows_match(&m, i, j, true, NULL, NULL))
                    aused2[j] = found = true;
        }
        if (!found) {
            missing++;
            if (first_missing == SIZE_MAX)
                first_missing = i;
        }
    }
    for (size_t j = 0; j < na && ok; j++)
        if (!aused2[j]) {
            unexpected++;
            if (first_unexp == SIZE_MAX)
                first_unexp = j;
        }
    if (ok && (missing || unexpected)) {
        ok = false;
        snprintf(reason, rlen, "wrong results: %zu missing, %zu unexpected (expected %zu rows, got %zu)",
                 missing, unexpected, ne, na);
        char r1[400] = "", r2[400] = "";
        if (first_missing != SIZE_MAX)
            row_str(e, first_missing, r1, sizeof r1);
        if (first_unexp != SIZE_MAX)
            row_str(a, first_unexp, r2, sizeof r2);
        snprintf(detail, dlen, "%s%s%s%s%s", missing ? "missing: " : "", missing ? r1 : "",
                 missing && unexpected ? "; " : "", unexpected ? "unexpected: " : "",
                 unexpected ? r2 : "");
    }
    /* 3. rows with blank nodes: bijection by backtracking */
    if (ok && nb) {
        m.e2a = xrealloc(NULL, (ne * e->nvars + 1) * sizeof *m.e2a);
        m.a2e = xrealloc(NULL, (na * a->nvars + 1) * sizeof *m.a2e);
        for (size_t i = 0; i < ne * e->nvars + 1; i++)
            m.e2a[i] = -1;
        for (size_t i = 0; i < na * a->nvars + 1; i++)
            m.a2e[i] = -1;
        long *trail = xrealloc(NULL, (ne * e->nvars + 1) * sizeof *trail);
        size_t nt = 0;
        /* blank nodes may also appear in ground-matched actual rows: they
         * did not match any expected ground row, so none is there. */
        if (!backtrack(&m, brows, nb, 0, aused, assign, trail, &nt)) {
            ok = false;
            snprintf(reason, rlen, m.steps > 2000000
                                       ? "comparison gave up (blank node matching too large)"
                                       : "wrong results: blank nodes not consistently mapped");
        }
        free(trail);
    }
    /* 4. order */
    if (ok && novars && ne == na) {
        for (size_t i = 0; i < ne && ok; i++) {
            size_t j = assign[i];
            if (j == i)
                continue;
            /* rows i (expected) and i (actual) must agree on the keys */
            for (size_t v = 0; v < novars && ok; v++) {
                for (size_t k = 0; k < e->nvars; k++) {
                    if (strcmp(ovars[v], "*") && strcmp(ovars[v], e->vars[k]))
                        continue;
                    const term *x = &e->rows[i][k], *y = aval(&m, i, k);
                    bool same = (x->kind == 'B' && y->kind == 'B') || ground_eq(x, y, cx);
                    if (!same) {
                        char b1[200], b2[200];
                        ok = false;
                        snprintf(reason, rlen, "wrong order (ORDER BY) at row %zu", i + 1);
                        snprintf(detail, dlen, "?%s expected %s, got %s", e->vars[k],
                                 term_str(x, b1, sizeof b1), term_str(y, b2, sizeof b2));
                        break;
                    }
                }
            }
        }
    }
    free(aused);
    free(aused2);
    free(eused);
    free(assign);
    free(brows);
    free(m.amap);
    free(m.a_extra);
    free(m.eb);
    free(m.ab);
    free(m.e2a);
    free(m.a2e);
    return ok;
}

/* ======================================================================
 * The run
 * ==================================================================== */

typedef enum { OUT_PASS, OUT_FAIL, OUT_XFAIL, OUT_XPASS } outcome;

typedef struct {
    char *folder;
    int pass, fail, xfail, xpass, skipped;
} folder_count;

typedef struct {
    char *iri, *folder, *reason, *detail;
    outcome o;
} failure;

typedef struct {
    char *category, *why;
    int count;
} skip_cat;

typedef struct {
    const char *citykg, *suite_dir, *known_path, *report, *write_known, *filter;
    const char *endpoint; /* sparql-test-endpoint, for the SERVICE tests */
    unsigned timeout;
    int keep, verbose, query_has_base;
    char suite_uri[PATH_MAX + 16];
    char workdir[PATH_MAX];
    unsigned long counter;
    raptor_world *world;
    rdf_iso *iso;
    known_failure *known;
    size_t nknown;
    folder_count *folders;
    size_t nfolders;
    failure *fails;
    size_t nfails;
    skip_cat *skips;
    size_t nskips;
    char **by_value;
    size_t nby_value;
} runner;

static void add_skip(runner *r, const char *cat, const char *why)
{
    for (size_t i = 0; i < r->nskips; i++)
        if (!strcmp(r->skips[i].category, cat)) {
            r->skips[i].count++;
            return;
        }
    r->skips = xrealloc(r->skips, (r->nskips + 1) * sizeof *r->skips);
    r->skips[r->nskips++] = (skip_cat){xstrdup(cat), xstrdup(why), 1};
}

/* Run citykg with ARGS; on failure fill REASON and return -1. */
static int run_citykg(runner *r, const char *const *args, const char *out, const char *err,
                      const char *what, char *reason, size_t rlen)
{
    char *argv[20], line[600], desc[128];
    int n = 0;
    argv[n++] = (char *)r->citykg;
    for (const char *const *a = args; *a && n < 19; a++)
        argv[n++] = (char *)*a;
    argv[n] = NULL;
    proc_status st;
    if (proc_run(argv, out, err, r->timeout, &st) != 0) {
        snprintf(reason, rlen, "cannot fork");
        return -1;
    }
    if (output_sanitizer_line(err, line, sizeof line)) {
        snprintf(reason, rlen, "%s: sanitizer: %.300s", what, line);
        return -1;
    }
    if (st.exec_failed) {
        snprintf(reason, rlen, "citykg could not be started");
        return -1;
    }
    if (st.timed_out) {
        snprintf(reason, rlen, "%s: timeout (%u s)", what, r->timeout);
        return -1;
    }
    if (st.signal) {
        snprintf(reason, rlen, "%s crashed: %s", what, proc_describe(&st, desc, sizeof desc));
        return -1;
    }
    if (!proc_ok(&st)) {
        snprintf(reason, rlen, "%s: %.400s", what, output_first_line(err, line, sizeof line));
        return -1;
    }
    return 0;
}

/* Reported form of a test IRI: relative to the suite directory when it is
 * a file: IRI inside it. */
static char *test_name(runner *r, const term *t)
{
    size_t n = strlen(r->suite_uri);
    if (t->kind == 'I' && !strncmp(t->v, r->suite_uri, n))
        return xstrdup(t->v + n);
    return xstrdup(t->kind ? t->v : "?");
}

static char *iri_path(const char *iri)
{
    char *p = raptor_uri_uri_string_to_filename((const unsigned char *)iri);
    char *c = p ? xstrdup(p) : NULL;
    raptor_free_memory(p);
    return c;
}

/* FROM / FROM NAMED IRIs of QUERY, resolved against BASE. */
static size_t from_iris(runner *r, const char *query, const char *base, char ***out)
{
    size_t n = 0;
    *out = NULL;
    for (const char *p = query; *p; p++) {
        if (strncasecmp(p, "FROM", 4) || (p > query && isalnum((unsigned char)p[-1])) ||
            !isspace((unsigned char)p[4]))
            continue;
        const char *q = p + 4;
        while (isspace((unsigned char)*q))
            q++;
        if (!strncasecmp(q, "NAMED", 5)) {
            q += 5;
            while (isspace((unsigned char)*q))
                q++;
        }
        if (*q != '<')
            continue;
        const char *e = strchr(q, '>');
        if (!e)
            break;
        char *rel = strndup(q + 1, (size_t)(e - q - 1));
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = resolve(r->world, base, rel);
        free(rel);
    }
    return n;
}

typedef struct {
    char *iri, *query, *result;
    char **data, **graphs;
    size_t ndata, ngraphs;
    char **svc_endpoint, **svc_data; /* qt:serviceData: (endpoint, data file) pairs */
    size_t nsvc;
    bool csv_test, lax;
} qtest;

static void record(runner *r, folder_count *fc, const char *iri, const char *folder, bool ok,
                   const char *reason, const char *detail)
{
    known_failure *k = known_failures_find(r->known, r->nknown, iri);
    outcome o = ok ? (k ? OUT_XPASS : OUT_PASS) : (k ? OUT_XFAIL : OUT_FAIL);
    switch (o) {
    case OUT_PASS: fc->pass++; break;
    case OUT_FAIL: fc->fail++; break;
    case OUT_XFAIL: fc->xfail++; break;
    case OUT_XPASS: fc->xpass++; break;
    }
    if (o == OUT_FAIL || o == OUT_XPASS)
        printf("%s %s%s%s\n", o == OUT_FAIL ? "FAIL" : "XPASS", iri, ok ? "" : ": ",
               ok ? "" : reason);
    else if (r->verbose)
        printf("%s %s%s%s\n", o == OUT_PASS ? "PASS" : "XFAIL", iri, ok ? "" : ": ",
               ok ? "" : reason);
    if (o == OUT_PASS)
        return;
    r->fails = xrealloc(r->fails, (r->nfails + 1) * sizeof *r->fails);
    r->fails[r->nfails++] = (failure){xstrdup(iri), xstrdup(folder), xstrdup(ok ? "" : reason),
                                      xstrdup(detail ? detail : ""), o};
}

static const char *ext_of(const char *p)
{
    const char *d = strrchr(p, '.'), *s = strrchr(p, '/');
    return d && (!s || d > s) ? d + 1 : "";
}

/* Read the expected result file into RS (or, for a plain RDF graph, set
 * *IS_GRAPH). */
static int load_expected(runner *r, const qtest *t, resultset *rs, bool *is_graph,
                         bool *has_index, char *err, size_t errlen)
{
    char *path = iri_path(t->result);
    const char *ext = path ? ext_of(path) : "";
    int rc = -1;
    *is_graph = false;
    *has_index = false;
    if (!path) {
        snprintf(err, errlen, "mf:result is not a file");
    } else if (!strcmp(ext, "srx")) {
        rc = parse_srx(r->world, path, t->result, rs, err, errlen);
    } else if (!strcmp(ext, "srj")) {
        rc = parse_json(r->world, path, t->result, rs, err, errlen);
    } else if (!strcmp(ext, "tsv") || !strcmp(ext, "csv")) {
        char *text = slurp(path, NULL);
        if (!text)
            snprintf(err, errlen, "cannot read %s", path);
        else
            rc = !strcmp(ext, "tsv") ? parse_tsv_text(r->world, t->result, text, rs)
                                     : parse_csv_text(text, rs);
        free(text);
    } else {
        tgraph g = {0};
        if (tgraph_load(r->world, path, &g) != 0)
            snprintf(err, errlen, "cannot parse expected result %s", path);
        else if (graph_is_resultset(&g))
            rc = parse_rdf_resultset(&g, rs, has_index, err, errlen);
        else {
            *is_graph = true;
            rc = 0;
        }
        tgraph_free(&g);
    }
    free(path);
    return rc;
}

/* The host of an http(s) IRI, appended to a comma-separated list. */
static void add_host(char *hosts, size_t size, const char *iri)
{
    const char *h = strstr(iri, "://");
    if (!h)
        return;
    h += 3;
    size_t n = strcspn(h, "/?#");
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(n < 255 ? n : 255), h);
    if (strstr(hosts, host))
        return;
    size_t len = strlen(hosts);
    snprintf(hosts + len, size - len, "%s%s", len ? "," : "", host);
}

/* SERVICE tests: loads each endpoint's qt:data into a store of its own and
 * starts the loopback endpoint (tests/tools/sparql_endpoint.c) serving
 * them; the query process then uses it as its HTTP proxy. Every other test
 * answers in XML, so both of citykg's result readers are tested. Fills
 * *pid and *to_child (closing it stops the endpoint), *port and hosts
 * (the allow-list). */
static int start_endpoints(runner *r, const qtest *t, const char *dir, pid_t *pid, int *to_child,
                           int *port, char *hosts, size_t hsize, char *reason, size_t rlen)
{
    char *argv[40], out[PATH_MAX + 64], err[PATH_MAX + 64];
    char maps[16][PATH_MAX + 300];
    int n = 0, nmaps = 0;
    snprintf(out, sizeof out, "%s/ep-out", dir);
    snprintf(err, sizeof err, "%s/ep-err", dir);
    if (!r->endpoint) {
        snprintf(reason, rlen, "runner: SERVICE test, but no --endpoint given");
        return -1;
    }
    argv[n++] = (char *)r->endpoint;
    hosts[0] = 0;
    for (size_t i = 0; i < t->nsvc; i++)
        add_host(hosts, hsize, t->svc_endpoint[i]);
    argv[n++] = "--allow-service";
    argv[n++] = hosts;
    if (r->counter % 2)
        argv[n++] = "--xml";
    for (size_t i = 0; i < t->nsvc; i++) {
        size_t first = 0;
        while (strcmp(t->svc_endpoint[first], t->svc_endpoint[i]) != 0)
            first++;
        char store[PATH_MAX + 64];
        snprintf(store, sizeof store, "%s/ep%zu", dir, first);
        char *path = iri_path(t->svc_data[i]);
        if (!path) {
            snprintf(reason, rlen, "service data %s is not a file", t->svc_data[i]);
            return -1;
        }
        const char *args[] = {"load", "--data", store, "--quiet", "--base", t->svc_data[i],
                              path, NULL};
        int rc = run_citykg(r, args, out, err, "load service data", reason, rlen);
        free(path);
        if (rc != 0)
            return -1;
        if (first == i && nmaps < 16) {
            snprintf(maps[nmaps], sizeof maps[nmaps], "%s=%s", t->svc_endpoint[i], store);
            argv[n++] = "--map";
            argv[n++] = maps[nmaps++];
        }
    }
    argv[n] = NULL;
    int in[2], from[2];
    if (pipe(in) != 0 || pipe(from) != 0) {
        snprintf(reason, rlen, "runner: pipe failed");
        return -1;
    }
    *pid = fork();
    if (*pid == 0) {
        dup2(in[0], 0);
        dup2(from[1], 1);
        close(in[1]);
        close(from[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(from[1]);
    *to_child = in[1];
    char line[64] = "";
    struct pollfd pfd = {from[0], POLLIN, 0};
    ssize_t got = poll(&pfd, 1, 10000) == 1 ? read(from[0], line, sizeof line - 1) : -1;
    close(from[0]);
    if (got <= 0 || sscanf(line, "port %d", port) != 1) {
        snprintf(reason, rlen, "runner: the loopback endpoint did not start");
        return -1;
    }
    return 0;
}

static void stop_endpoint(pid_t pid, int to_child)
{
    int status;
    close(to_child);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

static void run_test(runner *r, folder_count *fc, const char *folder, qtest *t)
{
    char reason[REASON_LEN] = "", detail[DETAIL_LEN] = "";
    char dir[PATH_MAX + 32], data[PATH_MAX + 64], out[PATH_MAX + 64], err[PATH_MAX + 64],
        qfile[PATH_MAX + 64], empty[PATH_MAX + 64];
    bool ok = false;
    snprintf(dir, sizeof dir, "%s/t%04lu", r->workdir, ++r->counter);
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    snprintf(qfile, sizeof qfile, "%s/query.rq", dir);
    snprintf(empty, sizeof empty, "%s/empty.nt", dir);
    char *qpath = iri_path(t->query);
    char *qtext = qpath ? slurp(qpath, NULL) : NULL;
    resultset exp = {0}, act = {0};
    if (mkdir(dir, 0700) != 0) {
        snprintf(reason, sizeof reason, "cannot create %.300s", dir);
        goto done;
    }
    if (!qtext) {
        snprintf(reason, sizeof reason, "cannot read the query %s", qpath ? qpath : t->query);
        goto done;
    }
    /* the dataset */
    int loaded = 0;
    for (size_t i = 0; i < t->ndata + t->ngraphs; i++) {
        bool named = i >= t->ndata;
        const char *iri = named ? t->graphs[i - t->ndata] : t->data[i];
        char *path = iri_path(iri);
        if (!path) {
            snprintf(reason, sizeof reason, "data %s is not a file", iri);
            goto done;
        }
        const char *args[12] = {"load", "--data", data, "--quiet", "--base", iri};
        int n = 6;
        if (named) {
            args[n++] = "--graph";
            args[n++] = iri;
        }
        args[n++] = path;
        args[n] = NULL;
        int rc = run_citykg(r, args, out, err, "load", reason, sizeof reason);
        free(path);
        if (rc != 0)
            goto done;
        loaded++;
    }
    if (t->ndata + t->ngraphs == 0) { /* dataset from FROM / FROM NAMED */
        char **froms;
        size_t nf = from_iris(r, qtext, t->query, &froms);
        for (size_t i = 0; i < nf; i++) {
            bool dup = false;
            for (size_t j = 0; j < i; j++)
                dup |= !strcmp(froms[i], froms[j]);
            char *path = dup ? NULL : iri_path(froms[i]);
            if (path && access(path, R_OK) == 0) {
                const char *args[] = {"load", "--data", data,     "--quiet", "--base",
                                      froms[i], "--graph", froms[i], path,    NULL};
                if (run_citykg(r, args, out, err, "load", reason, sizeof reason) != 0) {
                    free(path);
                    for (size_t j = 0; j < nf; j++)
                        free(froms[j]);
                    free(froms);
                    goto done;
                }
                loaded++;
            }
            free(path);
        }
        for (size_t j = 0; j < nf; j++)
            free(froms[j]);
        free(froms);
    }
    if (!loaded) { /* create the store */
        FILE *f = fopen(empty, "w");
        if (f)
            fclose(f);
        const char *args[] = {"load", "--data", data, "--quiet", empty, NULL};
        if (run_citykg(r, args, out, err, "load", reason, sizeof reason) != 0)
            goto done;
    }
    /* the query */
    const char *qarg = qpath;
    if (!r->query_has_base) {
        FILE *f = fopen(qfile, "w");
        if (!f) {
            snprintf(reason, sizeof reason, "cannot write %.200s", qfile);
            goto done;
        }
        fprintf(f, "BASE <%s>\n%s", t->query, qtext);
        fclose(f);
        qarg = qfile;
    }
    const char *fmt = t->csv_test ? "csv" : "json";
    const char *qargs[14] = {"query", "--data", data, "--strict-default-graph", "--format", fmt,
                             "-f", qarg};
    int nq = 8;
    if (r->query_has_base) {
        qargs[nq++] = "--base";
        qargs[nq++] = t->query;
    }
    pid_t endpoint = 0;
    int to_endpoint = -1, port = 0;
    char hosts[1024], proxy[64];
    if (t->nsvc) {
        if (start_endpoints(r, t, dir, &endpoint, &to_endpoint, &port, hosts, sizeof hosts,
                            reason, sizeof reason) != 0) {
            if (endpoint > 0)
                stop_endpoint(endpoint, to_endpoint);
            goto done;
        }
        qargs[nq++] = "--allow-service";
        qargs[nq++] = hosts;
        snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", port);
        setenv("http_proxy", proxy, 1);
    }
    int qrc = run_citykg(r, qargs, out, err, "error", reason, sizeof reason);
    if (t->nsvc) {
        unsetenv("http_proxy");
        stop_endpoint(endpoint, to_endpoint);
    }
    if (qrc != 0)
        goto done;
    /* the comparison */
    bool is_graph, has_index;
    char why[REASON_LEN];
    if (load_expected(r, t, &exp, &is_graph, &has_index, why, sizeof why) != 0) {
        snprintf(reason, sizeof reason, "runner: expected result unreadable: %.300s", why);
        goto done;
    }
    if (is_graph) {
        char *epath = iri_path(t->result);
        rdf_dataset *de = rdf_dataset_load_file(r->iso, epath, syntax_for(epath), t->result, why,
                                                sizeof why);
        free(epath);
        if (!de) {
            snprintf(reason, sizeof reason, "runner: expected graph unreadable: %.300s", why);
            goto done;
        }
        rdf_dataset *da = rdf_dataset_load_file(r->iso, out, "ntriples", NULL, why, sizeof why);
        if (!da) {
            snprintf(reason, sizeof reason, "output is not N-Triples (expected a graph): %.300s",
                     why);
            rdf_dataset_free(de);
            goto done;
        }
        int iso = rdf_dataset_isomorphic(r->iso, de, da, why, sizeof why);
        if (iso == 1)
            ok = true;
        else {
            snprintf(reason, sizeof reason,
                     iso < 0 ? "graph comparison gave up"
                             : "wrong graph: not isomorphic (expected %zu triples, got %zu)",
                     de->n, da->n);
            snprintf(detail, sizeof detail, "%s", why);
        }
        rdf_dataset_free(de);
        rdf_dataset_free(da);
        goto done;
    }
    if (t->csv_test) {
        char *text = slurp(out, NULL);
        if (text)
            parse_csv_text(text, &act);
        free(text);
    } else if (parse_json(r->world, out, NULL, &act, why, sizeof why) != 0) {
        char line[300];
        output_first_line(out, line, sizeof line);
        snprintf(reason, sizeof reason, "output is not SPARQL JSON: %.300s", why);
        snprintf(detail, sizeof detail, "first line: %s", line);
        goto done;
    }
    if (t->lax) { /* mf:LaxCardinality: duplicates may be dropped */
        dedupe(&exp);
        dedupe(&act);
    }
    char **ov = NULL;
    size_t nov = order_vars(qtext, &ov);
    cmp_ctx cx = {0};
    ok = compare_results(&exp, &act, ov, nov, &cx, reason, sizeof reason, detail, sizeof detail);
    for (size_t i = 0; i < nov; i++)
        free(ov[i]);
    free(ov);
    if (ok && cx.numeric_by_value) {
        char line[600];
        snprintf(line, sizeof line, "`%s`: %s", t->iri, cx.example);
        r->by_value = xrealloc(r->by_value, (r->nby_value + 1) * sizeof *r->by_value);
        r->by_value[r->nby_value++] = xstrdup(line);
    }
done:
    record(r, fc, t->iri, folder, ok, reason, detail);
    rs_free(&exp);
    rs_free(&act);
    free(qpath);
    free(qtext);
    if (!r->keep)
        remove_tree(dir);
}

static const char *local_name(const char *iri)
{
    const char *h = strrchr(iri, '#');
    return h ? h + 1 : iri;
}

static void qtest_free(qtest *t)
{
    free(t->iri);
    free(t->query);
    free(t->result);
    for (size_t i = 0; i < t->ndata; i++)
        free(t->data[i]);
    for (size_t i = 0; i < t->ngraphs; i++)
        free(t->graphs[i]);
    free(t->data);
    free(t->graphs);
    for (size_t i = 0; i < t->nsvc; i++) {
        free(t->svc_endpoint[i]);
        free(t->svc_data[i]);
    }
    free(t->svc_endpoint);
    free(t->svc_data);
}

static void run_folder(runner *r, const char *suite, const char *name)
{
    char path[PATH_MAX], folder[300];
    snprintf(path, sizeof path, "%s/%s/%s/manifest.ttl", r->suite_dir, suite, name);
    snprintf(folder, sizeof folder, "%s/%s", suite, name);
    if (access(path, R_OK) != 0)
        return;
    if (!strcmp(name, "entailment")) {
        add_skip(r, folder, "entailment regimes are not implemented (folder excluded)");
        return;
    }
    tgraph g = {0};
    if (tgraph_load(r->world, path, &g) != 0) {
        fprintf(stderr, "%s: cannot parse the manifest\n", path);
        tgraph_free(&g);
        return;
    }
    r->folders = xrealloc(r->folders, (r->nfolders + 1) * sizeof *r->folders);
    folder_count *fc = &r->folders[r->nfolders++];
    memset(fc, 0, sizeof *fc);
    fc->folder = xstrdup(folder);
    const term *list = NULL;
    for (size_t i = 0; i < g.n && !list; i++)
        if (g.t[i].p.kind == 'I' && !strcmp(g.t[i].p.v, MF "entries"))
            list = &g.t[i].o;
    size_t guard = 0;
    while (list && !(list->kind == 'I' && !strcmp(list->v, RDF "nil")) && guard++ < 100000) {
        const term *entry = obj(&g, list, RDF "first");
        list = obj(&g, list, RDF "rest");
        if (!entry)
            continue;
        const term *type = obj(&g, entry, RDF "type");
        const char *tn = type ? local_name(type->v) : "";
        char *iri = test_name(r, entry);
        if (r->filter && !strstr(iri, r->filter)) {
            free(iri);
            continue;
        }
        const term *action = obj(&g, entry, MF "action");
        bool eval = !strcmp(tn, "QueryEvaluationTest"), csv = !strcmp(tn, "CSVResultFormatTest");
        if (eval || csv) {
            qtest t = {0};
            const term *q = action ? obj(&g, action, QT "query") : NULL;
            const term *res = obj(&g, entry, MF "result");
            t.iri = iri;
            iri = NULL;
            t.csv_test = csv;
            const term *card = obj(&g, entry, MF "resultCardinality");
            t.lax = card && card->kind == 'I' && !strcmp(card->v, MF "LaxCardinality");
            if (!q || !res) {
                record(r, fc, t.iri, folder, false, "runner: test without qt:query or mf:result",
                       NULL);
                qtest_free(&t);
                continue;
            }
            t.query = xstrdup(q->v);
            t.result = xstrdup(res->v);
            const term **d;
            size_t n = objs(&g, action, QT "data", &d);
            t.data = xrealloc(NULL, (n + 1) * sizeof *t.data);
            for (size_t i = 0; i < n; i++)
                t.data[t.ndata++] = xstrdup(d[i]->v);
            free(d);
            n = objs(&g, action, QT "graphData", &d);
            t.graphs = xrealloc(NULL, (n + 1) * sizeof *t.graphs);
            for (size_t i = 0; i < n; i++) {
                /* qt:graphData may be [ qt:graph <g> ; rdfs:label "..." ] */
                const term *gr = d[i]->kind == 'B' ? obj(&g, d[i], QT "graph") : d[i];
                if (gr)
                    t.graphs[t.ngraphs++] = xstrdup(gr->v);
            }
            free(d);
            /* qt:serviceData [ qt:endpoint <e> ; qt:data <f> ... ] */
            n = objs(&g, action, QT "serviceData", &d);
            for (size_t i = 0; i < n; i++) {
                const term *ep = obj(&g, d[i], QT "endpoint"), **files;
                size_t nfiles = ep ? objs(&g, d[i], QT "data", &files) : 0;
                for (size_t k = 0; k < nfiles; k++) {
                    t.svc_endpoint = xrealloc(t.svc_endpoint, (t.nsvc + 1) * sizeof(char *));
                    t.svc_data = xrealloc(t.svc_data, (t.nsvc + 1) * sizeof(char *));
                    t.svc_endpoint[t.nsvc] = xstrdup(ep->v);
                    t.svc_data[t.nsvc++] = xstrdup(files[k]->v);
                }
                if (ep)
                    free(files);
            }
            free(d);
            run_test(r, fc, folder, &t);
            qtest_free(&t);
        } else if (strstr(tn, "Update")) {
            add_skip(r, strstr(tn, "Syntax") ? "SPARQL Update syntax" : "SPARQL Update evaluation",
                     "SPARQL Update is not implemented yet (server issue)");
            fc->skipped++;
        } else if (strstr(tn, "Syntax")) {
            add_skip(r, "syntax tests", "covered by the sparql-syntax runner");
            fc->skipped++;
        } else if (!strcmp(tn, "ProtocolTest") || !strcmp(tn, "GraphStoreProtocolTest") ||
                   !strcmp(tn, "ServiceDescriptionTest")) {
            add_skip(r, tn, "needs the HTTP server (later issue)");
            fc->skipped++;
        } else {
            add_skip(r, tn[0] ? tn : "(untyped)", "test type not handled by this runner");
            fc->skipped++;
        }
        free(iri);
    }
    tgraph_free(&g);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_suite(runner *r, const char *suite)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", r->suite_dir, suite);
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        run_folder(r, suite, names[i]);
        free(names[i]);
    }
    free(names);
}

/* Markdown-safe copy of S (pipes escaped, newlines removed). */
static void md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void write_report(runner *r, FILE *f, int tot[5])
{
    fprintf(f, "# SPARQL query evaluation conformance\n\n"
               "Generated by `tests/sparql/eval_runner.c` (ctest `sparql-eval`): every\n"
               "`mf:QueryEvaluationTest` (and `mf:CSVResultFormatTest`) of the W3C SPARQL 1.0\n"
               "and 1.1 suites, run with `citykg query --strict-default-graph` on a fresh store.\n"
               "Solutions compare as multisets with a bijective blank node mapping (in order\n"
               "for the variables of a top-level ORDER BY); literals by lexical form, datatype\n"
               "and language tag (case-insensitive), numeric literals of the same datatype also\n"
               "by value; graphs by isomorphism.\n\n"
               "| folder | passed | failed (new) | known failures | XPASS | skipped |\n"
               "|---|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < r->nfolders; i++) {
        folder_count *c = &r->folders[i];
        int run = c->pass + c->fail + c->xfail + c->xpass;
        if (!run && !c->skipped)
            continue;
        fprintf(f, "| %s | %d/%d | %d | %d | %d | %d |\n", c->folder, c->pass + c->xpass, run,
                c->fail, c->xfail, c->xpass, c->skipped);
    }
    fprintf(f, "| **total** | %d/%d | %d | %d | %d | %d |\n\n", tot[0] + tot[3],
            tot[0] + tot[1] + tot[2] + tot[3], tot[1], tot[2], tot[3], tot[4]);
    fprintf(f, "## Skipped categories\n\n| category | tests | why |\n|---|---:|---|\n");
    for (size_t i = 0; i < r->nskips; i++)
        if (strstr(r->skips[i].category, "entailment"))
            fprintf(f, "| %s | whole folder | %s |\n", r->skips[i].category, r->skips[i].why);
        else
            fprintf(f, "| %s | %d | %s |\n", r->skips[i].category, r->skips[i].count,
                    r->skips[i].why);
    fprintf(f, "\n## Failures\n\n| test | status | reason | detail |\n|---|---|---|---|\n");
    for (size_t i = 0; i < r->nfails; i++) {
        failure *x = &r->fails[i];
        if (x->o == OUT_XPASS)
            continue;
        fprintf(f, "| `%s` | %s | ", x->iri, x->o == OUT_FAIL ? "**FAIL (new)**" : "known");
        md(f, x->reason);
        fputs(" | ", f);
        md(f, x->detail);
        fputs(" |\n", f);
    }
    int nx = 0;
    for (size_t i = 0; i < r->nfails; i++)
        if (r->fails[i].o == OUT_XPASS) {
            if (!nx++)
                fprintf(f, "\n## XPASS (listed as known failures, now pass: remove them)\n\n");
            fprintf(f, "- `%s`\n", r->fails[i].iri);
        }
    if (r->nby_value) {
        fprintf(f, "\n## Passed only with numeric value equality\n\n"
                   "These tests pass because numeric literals of the same datatype were accepted\n"
                   "when equal by value (e.g. XSD 1.0 vs 1.1 canonical forms, \"2.0\" vs \"2\").\n\n");
        for (size_t i = 0; i < r->nby_value; i++)
            fprintf(f, "- %s\n", r->by_value[i]);
    }
    int stale = 0;
    for (size_t i = 0; i < r->nknown; i++)
        if (!r->known[i].seen) {
            if (!stale++)
                fprintf(f, "\n## Known-failure entries that name no test\n\n");
            fprintf(f, "- `%s`\n", r->known[i].iri);
        }
}

static void usage(void)
{
    fprintf(stderr, "usage: sparql-eval-runner --citykg PATH --suite-dir DIR [--endpoint PATH]\n"
                    "       [--known-failures F]\n"
                    "       [--report F.md] [--write-known F] [--test TEXT] [--timeout SEC]\n"
                    "       [--keep] [--verbose]\n");
}

int main(int argc, char **argv)
{
    runner r = {.timeout = 20};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--citykg") && v)
            r.citykg = argv[++i];
        else if (!strcmp(a, "--endpoint") && v)
            r.endpoint = argv[++i];
        else if (!strcmp(a, "--suite-dir") && v)
            r.suite_dir = argv[++i];
        else if (!strcmp(a, "--known-failures") && v)
            r.known_path = argv[++i];
        else if (!strcmp(a, "--report") && v)
            r.report = argv[++i];
        else if (!strcmp(a, "--write-known") && v)
            r.write_known = argv[++i];
        else if (!strcmp(a, "--test") && v)
            r.filter = argv[++i];
        else if (!strcmp(a, "--timeout") && v)
            r.timeout = (unsigned)atoi(argv[++i]);
        else if (!strcmp(a, "--keep"))
            r.keep = 1;
        else if (!strcmp(a, "--verbose"))
            r.verbose = 1;
        else {
            usage();
            return 2;
        }
    }
    if (!r.citykg || !r.suite_dir) {
        usage();
        return 2;
    }
    static char real[PATH_MAX], creal[PATH_MAX];
    if (!realpath(r.suite_dir, real)) {
        fprintf(stderr, "sparql-eval-runner: %s: no such directory\n", r.suite_dir);
        return 2;
    }
    r.suite_dir = real;
    if (!realpath(r.citykg, creal) || access(creal, X_OK) != 0) {
        fprintf(stderr, "sparql-eval-runner: %s: not an executable\n", r.citykg);
        return 2;
    }
    r.citykg = creal;
    unsigned char *su = raptor_uri_filename_to_uri_string(real);
    snprintf(r.suite_uri, sizeof r.suite_uri, "%s/", su ? (const char *)su : "");
    raptor_free_memory(su);
    if (r.known_path && known_failures_load(r.known_path, &r.known, &r.nknown) != 0)
        return 2;
    if (proc_init() != 0)
        return 2;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(r.workdir, sizeof r.workdir, "%s/sparql-eval-XXXXXX", tmp);
    if (!mkdtemp(r.workdir)) {
        fprintf(stderr, "sparql-eval-runner: cannot create a directory in %s\n", tmp);
        return 2;
    }
    r.world = raptor_new_world();
    r.iso = rdf_iso_new();
    if (!r.world || raptor_world_open(r.world) != 0 || !r.iso) {
        fprintf(stderr, "sparql-eval-runner: cannot start raptor\n");
        return 2;
    }
    /* does `citykg query` take --base? */
    {
        char out[PATH_MAX + 16], err[PATH_MAX + 16], line[256];
        snprintf(out, sizeof out, "%s/help.out", r.workdir);
        snprintf(err, sizeof err, "%s/help.err", r.workdir);
        char *hargv[] = {(char *)r.citykg, "query", "--help", NULL};
        proc_status st;
        if (proc_run(hargv, out, err, 10, &st) == 0) {
            FILE *f = fopen(out, "r");
            while (f && fgets(line, sizeof line, f))
                if (strstr(line, "--base"))
                    r.query_has_base = 1;
            if (f)
                fclose(f);
        }
    }
    run_suite(&r, "sparql10");
    run_suite(&r, "sparql11");

    int tot[5] = {0}; /* pass fail xfail xpass skipped */
    printf("\n%-36s %8s %6s %6s %6s %7s\n", "folder", "passed", "new", "known", "xpass",
           "skipped");
    for (size_t i = 0; i < r.nfolders; i++) {
        folder_count *c = &r.folders[i];
        int run = c->pass + c->fail + c->xfail + c->xpass;
        tot[0] += c->pass;
        tot[1] += c->fail;
        tot[2] += c->xfail;
        tot[3] += c->xpass;
        tot[4] += c->skipped;
        if (!run && !c->skipped)
            continue;
        char pr[32];
        snprintf(pr, sizeof pr, "%d/%d", c->pass + c->xpass, run);
        printf("%-36s %8s %6d %6d %6d %7d\n", c->folder, pr, c->fail, c->xfail, c->xpass,
               c->skipped);
    }
    printf("total: %d/%d passed (%d new failures, %d known failures, %d XPASS), %d skipped\n",
           tot[0] + tot[3], tot[0] + tot[1] + tot[2] + tot[3], tot[1], tot[2], tot[3], tot[4]);
    for (size_t i = 0; i < r.nskips; i++)
        printf("skipped: %-28s %3d  %s\n", r.skips[i].category, r.skips[i].count, r.skips[i].why);
    if (r.nby_value)
        printf("%zu test(s) passed only with numeric value equality (see the report)\n",
               r.nby_value);
    if (!r.filter)
        for (size_t i = 0; i < r.nknown; i++)
            if (!r.known[i].seen)
                printf("WARNING known-failures entry names no test: %s\n", r.known[i].iri);
    if (r.report) {
        FILE *f = fopen(r.report, "w");
        if (f) {
            write_report(&r, f, tot);
            fclose(f);
        } else
            fprintf(stderr, "sparql-eval-runner: cannot write %s\n", r.report);
    }
    if (r.write_known) {
        FILE *f = fopen(r.write_known, "w");
        if (f) {
            fprintf(f, "# W3C SPARQL query evaluation tests citykg is known to fail\n"
                       "# (ctest sparql-eval, tests/sparql/eval_runner.c), one per line:\n"
                       "#   test-IRI  reason observed by the runner\n"
                       "# Regenerate with: sparql-eval-runner ... --write-known FILE\n");
            for (size_t i = 0; i < r.nfails; i++)
                if (r.fails[i].o != OUT_XPASS)
                    fprintf(f, "%s  %s\n", r.fails[i].iri, r.fails[i].reason);
            fclose(f);
        } else
            fprintf(stderr, "sparql-eval-runner: cannot write %s\n", r.write_known);
    }
    if (!r.keep)
        remove_tree(r.workdir);
    else
        printf("scratch directories kept in %s\n", r.workdir);
    raptor_free_world(r.world);
    rdf_iso_free(r.iso);
    return tot[1] ? 1 : 0;
}
