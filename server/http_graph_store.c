/*
 * http_graph_store.c — GET/HEAD stream one graph from a snapshot; PUT,
 * POST and DELETE change it in one write transaction through the bulk
 * loader.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl.h"
#include "graph_writer.h"
#include "http_auth.h"
#include "http_form.h"
#include "http_graph_store.h"
#include "http_negotiate.h"
#include "http_result_stream.h"
#include "http_upload.h"
#include "loader.h"
#include "termspace.h"

/* Which graph a request names. */
typedef struct {
    bool given;         /* ?graph, ?default or a direct path */
    bool default_graph;
    char *iri;          /* the named graph's IRI */
    int n_graph_args, n_default_args;
} gsp_target;

static void take_target_arg(void *ctx, const char *name, const char *value)
{
    gsp_target *t = ctx;
    if (strcmp(name, "graph") == 0 && t->n_graph_args++ == 0)
        t->iri = strdup(value);
    else if (strcmp(name, "default") == 0)
        t->n_default_args++;
}

/* An absolute IRI the store can hold: a scheme, then no blanks, quotes or
 * angle brackets. */
static bool absolute_iri(const char *s)
{
    size_t scheme = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    if (scheme == 0 || s[scheme] != ':' || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || strchr("<>\"{}|\\^`", *p))
            return false;
    return utf8_valid(s, strlen(s));
}

/* Reads the target; false after answering 400. */
static bool read_target(http_request *req, gsp_target *t)
{
    http_url_args_each(req, take_target_arg, t);
    if (t->n_graph_args > 1 || (t->n_graph_args && t->n_default_args)) {
        http_respond_error(req, 400, "name one graph: ?graph=IRI or ?default");
        return false;
    }
    if (t->n_default_args) {
        t->given = t->default_graph = true;
        return true;
    }
    if (!t->n_graph_args && strlen(req->path) > strlen("/data/")) {
        t->iri = http_request_iri(req, req->path); /* direct identification */
        if (!t->iri) {
            http_respond_error(req, 503, "out of memory");
            return false;
        }
    }
    if (t->n_graph_args && !t->iri) {
        http_respond_error(req, 503, "out of memory");
        return false;
    }
    if (t->iri && !absolute_iri(t->iri)) {
        http_respond_error(req, 400, "graph '%s' is not an absolute IRI", t->iri);
        return false;
    }
    t->given = t->iri != NULL;
    return true;
}

/* The id of the target graph in txn; 0 for a named graph the store does
 * not know. */
static ck_status target_id(ck_txn *txn, const gsp_target *t, ck_id *id, ck_error *err)
{
    if (t->default_graph) {
        *id = CK_DEFAULT_GRAPH;
        return CK_OK;
    }
    ck_term g = {CK_TERM_IRI, t->iri, strlen(t->iri), NULL, 0, NULL, 0};
    return ck_term_lookup(txn, &g, id, err);
}

/* Whether the graph exists: the default graph always does, a named one
 * while it holds quads. */
static bool graph_exists(ck_txn *txn, const gsp_target *t, ck_id id)
{
    return t->default_graph || (id && ck_stats_graph_count(txn, id) > 0);
}

static ck_status not_found(const gsp_target *t, ck_error *err)
{
    if (t->default_graph)
        return ck_error_set(err, CK_ERR_NOT_FOUND, "no default graph to show");
    return ck_error_set(err, CK_ERR_NOT_FOUND, "no graph <%s> in the store", t->iri);
}

/* ---- GET and HEAD ------------------------------------------------------------ */

typedef struct {
    http_request *req;
    gsp_target target;
    graph_format format;
} read_job;

static void read_job_free(void *arg)
{
    read_job *job = arg;
    if (job)
        free(job->target.iri);
    free(job);
}

/* Writes graph g. blanks_per_document: a caller restricted to some graphs
 * gets blank nodes labelled b0, b1, ... in this document rather than by
 * the store-wide counter, which counts other graphs' blank nodes too (as
 * its query results do, termspace.h). */
static ck_status write_graph(ck_txn *txn, ck_id g, graph_format format, FILE *out, bool blanks_per_document,
                             volatile bool *cancelled, ck_error *err)
{
    termspace *terms = termspace_new(txn);
    graph_writer *w = terms ? graph_begin(out, format, NULL, NULL, 0) : NULL;
    if (!w) {
        termspace_free(terms);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    if (blanks_per_document)
        termspace_label_blanks_per_query(terms);
    ck_pattern pattern = {.g = g, .g_bound = true};
    ck_scan *scan;
    ck_status st = ck_scan_open(txn, &pattern, &scan, err);
    ck_quad q;
    uint64_t n = 0;
    while (st == CK_OK && ck_scan_next(scan, &q)) {
        ck_term s, p, o;
        ck_term_buf sb, pb, ob;
        if ((st = termspace_resolve(terms, q.s, &s, &sb, err)) ||
            (st = termspace_resolve(terms, q.p, &p, &pb, err)) ||
            (st = termspace_resolve(terms, q.o, &o, &ob, err)))
            break;
        if (!graph_triple(w, &s, &p, &o)) {
            st = ck_error_set(err, CK_ERR_IO, "%s", *graph_error(w) ? graph_error(w)
                                                   : "writing the graph failed");
            break;
        }
        if ((++n & 1023) == 0 && *cancelled)
            st = ck_error_set(err, CK_ERR_CANCELLED, "cancelled: the server is shutting down");
    }
    if (st == CK_OK && ck_scan_error(scan)->code)
        st = ck_error_set(err, ck_scan_error(scan)->code, "%s", ck_scan_error(scan)->message);
    ck_scan_close(scan);
    if (!graph_end(w) && st == CK_OK)
        st = ck_error_set(err, CK_ERR_IO, "writing the graph failed");
    termspace_free(terms);
    return st;
}

static ck_status run_read(void *arg, FILE *out, ck_error *err)
{
    read_job *job = arg;
    ck_txn *txn;
    ck_status st = ck_txn_begin_read(job->req->ctx->store, &txn, err);
    if (st)
        return st;
    ck_id g = 0;
    st = target_id(txn, &job->target, &g, err);
    /* a graph the caller may not read is answered like one that does not
     * exist: same status, same message */
    if (st == CK_OK && (!graph_exists(txn, &job->target, g) ||
                        !ck_acl_may_read(txn, job->req->principal, job->target.iri)))
        st = not_found(&job->target, err);
    ck_graph_set *readable = NULL; /* NULL: the caller reads every graph */
    if (st == CK_OK)
        st = ck_acl_readable(txn, job->req->principal, &readable, err);
    if (st == CK_OK)
        st = write_graph(txn, g, job->format, out, readable != NULL, &job->req->cancelled, err);
    ck_graph_set_free(readable);
    ck_txn_abort(txn);
    return st;
}

static void answer_read(http_request *req, gsp_target *t)
{
    read_job *job = calloc(1, sizeof *job);
    if (!job) {
        free(t->iri);
        http_respond_error(req, 503, "out of memory");
        return;
    }
    job->req = req;
    job->target = *t;
    const char *content_type;
    negotiate_result nr = negotiate_graph(http_header(req, "Accept"), http_url_arg(req, "format"),
                                          &job->format, &content_type);
    if (nr != NEGOTIATE_OK) {
        read_job_free(job);
        if (nr == NEGOTIATE_UNKNOWN_FORMAT)
            http_respond_error(req, 400, "format '%s' is not an RDF format (turtle, ntriples, "
                               "nquads, rdfxml, jsonld)", http_url_arg(req, "format"));
        else
            http_respond_error(req, 406, "a graph is RDF; offered: %s", negotiate_offered(true));
        return;
    }
    http_respond_job(req, run_read, job, read_job_free, content_type, "graph");
}

/* ---- PUT, POST, DELETE ---------------------------------------------------- */

/* Removes every quad of graph g, in slices so that memory stays bounded. */
static ck_status clear_graph(ck_txn *txn, ck_id g, uint64_t *removed, ck_error *err)
{
    enum { SLICE = 1 << 20 };
    ck_quad *quads = malloc(SLICE * sizeof *quads);
    if (!quads)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    ck_status st = CK_OK;
    for (;;) {
        ck_pattern pattern = {.g = g, .g_bound = true};
        ck_scan *scan;
        if ((st = ck_scan_open(txn, &pattern, &scan, err)))
            break;
        size_t n = 0;
        while (n < SLICE && ck_scan_next(scan, &quads[n]))
            n++;
        if (ck_scan_error(scan)->code)
            st = ck_error_set(err, ck_scan_error(scan)->code, "%s", ck_scan_error(scan)->message);
        ck_scan_close(scan);
        size_t done = 0;
        if (st || n == 0 || (st = ck_quads_remove(txn, quads, n, &done, err)))
            break;
        *removed += done;
    }
    free(quads);
    return st;
}

/* A fresh graph IRI for POST /data: under the server's own /data/ space, so
 * that direct identification reaches it too. */
static char *new_graph_iri(const http_request *req)
{
    static unsigned long counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char path[96];
    snprintf(path, sizeof path, "/data/graphs/%llx-%lx",
             (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec,
             __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    return http_request_iri(req, path);
}

static void answer_write(http_request *req, gsp_target *t)
{
    bool put = strcmp(req->method, "PUT") == 0, del = strcmp(req->method, "DELETE") == 0;
    bool created_iri = false;
    if (!t->given) {
        if (put || del) {
            http_respond_error(req, 400, "name the graph: ?graph=IRI or ?default");
            return;
        }
        if (!(t->iri = new_graph_iri(req))) { /* POST to the store: a new graph */
            http_respond_error(req, 503, "out of memory");
            return;
        }
        created_iri = true;
    }
    upload_files files = {0};
    unsigned status = 0;
    ck_error err = {0};
    if (!del && upload_spool(req, &files, &status, &err) != CK_OK) {
        http_respond_error(req, status, "%s", err.message);
        return;
    }
    char *base = t->iri ? NULL : http_request_iri(req, req->path);
    ck_txn *txn = NULL;
    ck_id g = 0;
    uint64_t removed = 0;
    ck_load_result loaded = {0};
    bool existed = false;
    ck_status st = ck_txn_begin_write(req->ctx->store, &txn, &err);
    /* permission first: the answer to a refused write must not depend on
     * whether the graph exists */
    if (st == CK_OK && !ck_acl_may_write(txn, req->principal, t->iri))
        st = ck_error_set(&err, CK_ERR_FORBIDDEN, "%s may not write %s%s%s",
                          http_principal_role(req), t->iri ? "<" : "the default graph",
                          t->iri ? t->iri : "", t->iri ? ">" : "");
    if (st == CK_OK)
        st = target_id(txn, t, &g, &err);
    if (st == CK_OK) {
        existed = graph_exists(txn, t, g);
        if (del && !existed)
            st = not_found(t, &err);
    }
    if (st == CK_OK && (put || del) && existed)
        st = clear_graph(txn, g, &removed, &err);
    if (st == CK_OK && !del) {
        ck_load_options o = {.graph = t->default_graph ? NULL : t->iri,
                             .base = t->iri ? t->iri : base};
        st = ck_load_into(txn, (const char *const *)files.files, (int)files.n, &o, &loaded, &err);
    }
    if (st == CK_OK) {
        st = ck_txn_commit(txn, &err);
        txn = NULL;
    }
    ck_txn_abort(txn);
    if (st == CK_OK) {
        http_metrics_commit(req->ctx->metrics, loaded.quads_added, removed);
        http_audit_write(req, t->iri, loaded.quads_added, removed);
        const char *location[] = {"Location", t->iri, NULL};
        if (created_iri)
            http_respond_empty(req, 201, location);
        else
            http_respond_empty(req, existed ? 204 : 201, NULL);
    } else {
        upload_clean_message(&files, err.message);
        http_respond_failure(req, "RDF", &err);
    }
    upload_cleanup(&files);
    free(base);
}

void graph_store_handle(http_request *req)
{
    const char *m = req->method;
    bool read = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
    if (!read && strcmp(m, "PUT") != 0 && strcmp(m, "POST") != 0 && strcmp(m, "DELETE") != 0) {
        const char *allow[] = {"Allow", "GET, HEAD, PUT, POST, DELETE, OPTIONS", NULL};
        char msg[] = "the graph store takes GET, HEAD, PUT, POST and DELETE\n";
        snprintf(req->log_note, sizeof req->log_note, "method %s not allowed", m);
        http_respond(req, 405, "text/plain; charset=utf-8", msg, strlen(msg), false, allow);
        return;
    }
    gsp_target t = {0};
    if (!read_target(req, &t)) {
        free(t.iri);
        return;
    }
    if (read) {
        if (!t.given) {
            http_respond_error(req, 400, "name the graph: ?graph=IRI or ?default");
            return;
        }
        answer_read(req, &t); /* takes t.iri */
        return;
    }
    answer_write(req, &t);
    free(t.iri);
}
