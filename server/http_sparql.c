/*
 * http_sparql.c — the protocol handler: reads the operation and its dataset
 * from the request, negotiates the format and runs the query in a result
 * stream on its own snapshot.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "algebra.h"
#include "http_auth.h"
#include "http_form.h"
#include "http_negotiate.h"
#include "http_result_stream.h"
#include "http_sparql.h"
#include "plan.h"
#include "update.h"

/* What the request asks for, gathered from the URL and the body. */
typedef struct {
    char *query, *update, *format;
    int n_query, n_update;
    int strict;  /* strict-default-graph=true|false: 1, 0; -1 = the server's setting;
                    -2 = neither word */
    char **default_graphs, **named_graphs, **using_graphs, **using_named_graphs;
    size_t n_default_graphs, n_named_graphs, n_using_graphs, n_using_named_graphs;
    bool out_of_memory;
} protocol_params;

static void push(protocol_params *p, char ***list, size_t *n, const char *value)
{
    char **l = realloc(*list, (*n + 1) * sizeof *l);
    char *v = strdup(value);
    if (!l || !v) {
        free(v);
        if (l)
            *list = l;
        p->out_of_memory = true;
        return;
    }
    *list = l;
    l[(*n)++] = v;
}

static void set_once(protocol_params *p, char **slot, int *count, const char *value)
{
    if ((*count)++ == 0 && !(*slot = strdup(value)))
        p->out_of_memory = true;
}

static void take_param(void *ctx, const char *name, const char *value)
{
    protocol_params *p = ctx;
    if (strcmp(name, "query") == 0)
        set_once(p, &p->query, &p->n_query, value);
    else if (strcmp(name, "update") == 0)
        set_once(p, &p->update, &p->n_update, value);
    else if (strcmp(name, "format") == 0 && !p->format)
        p->format = strdup(value);
    else if (strcmp(name, "strict-default-graph") == 0)
        p->strict = strcmp(value, "true") == 0 ? 1 : strcmp(value, "false") == 0 ? 0 : -2;
    else if (strcmp(name, "default-graph-uri") == 0)
        push(p, &p->default_graphs, &p->n_default_graphs, value);
    else if (strcmp(name, "named-graph-uri") == 0)
        push(p, &p->named_graphs, &p->n_named_graphs, value);
    else if (strcmp(name, "using-graph-uri") == 0)
        push(p, &p->using_graphs, &p->n_using_graphs, value);
    else if (strcmp(name, "using-named-graph-uri") == 0)
        push(p, &p->using_named_graphs, &p->n_using_named_graphs, value);
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static void params_free(protocol_params *p)
{
    free(p->query);
    free(p->update);
    free(p->format);
    free_list(p->default_graphs, p->n_default_graphs);
    free_list(p->named_graphs, p->n_named_graphs);
    free_list(p->using_graphs, p->n_using_graphs);
    free_list(p->using_named_graphs, p->n_using_named_graphs);
}

/* ---- running a query ------------------------------------------------------- */

typedef struct {
    http_request *req;
    protocol_params params;
    char *base;
    results_format format;
    sparql_run_options options;
} query_job;

static void query_job_free(void *arg)
{
    query_job *job = arg;
    if (!job)
        return;
    params_free(&job->params);
    free(job->base);
    free(job);
}

static ck_status run_query(void *arg, FILE *out, ck_error *err)
{
    query_job *job = arg;
    http_metrics *m = job->req->ctx->metrics;
    ck_txn *txn;
    ck_status st = ck_txn_begin_read(job->req->ctx->store, &txn, err);
    if (st)
        return st;
    /* the dataset is cut down to what the caller may read before evaluation */
    ck_graph_set *readable = NULL;
    st = ck_acl_readable(txn, job->req->principal, &readable, err);
    if (st == CK_OK) {
        job->options.readable = readable;
        http_metrics_queries_running(m, 1);
        st = sparql_run(txn, job->params.query, job->base, job->format, &job->options, out, err);
        http_metrics_queries_running(m, -1);
    }
    ck_graph_set_free(readable);
    ck_txn_abort(txn);
    if (st == CK_ERR_CANCELLED && job->req->cancelled && !strstr(err->message, "time limit"))
        ck_error_set(err, CK_ERR_CANCELLED, "the query was cancelled: %s",
                     job->req->client_gone ? "the client closed the connection before the answer began"
                                           : "the server is shutting down");
    /* a writer failing while its output is fine refused a term the format
     * cannot carry (RDF/XML): another format would do, so 406, not 500 */
    if (st == CK_ERR_IO && !ferror(out))
        job->req->failure_status = 406;
    return st;
}

static void answer_query(http_request *req, query_job *job)
{
    const serve_config *c = req->ctx->config;
    protocol_params *p = &job->params;
    if (!utf8_valid(p->query, strlen(p->query))) {
        http_respond_error(req, 400, "the query is not UTF-8");
        query_job_free(job);
        return;
    }
    /* parsed once here for its form (and its syntax errors, before any
     * thread starts); sparql_run parses again, which costs microseconds */
    sparql_query *q;
    ck_error err = {0};
    if (sparql_query_parse(p->query, job->base, &q, &err) != CK_OK) {
        http_respond_failure(req, "query", &err);
        query_job_free(job);
        return;
    }
    bool graph = q->form == SPARQL_FORM_CONSTRUCT || q->form == SPARQL_FORM_DESCRIBE;
    sparql_query_free(q);
    const char *accept = http_header(req, "Accept"), *content_type = NULL;
    negotiate_result nr;
    if (graph) {
        nr = negotiate_graph(accept, p->format, &job->options.graph_format, &content_type);
    } else {
        nr = negotiate_results(accept, p->format, &job->format, &content_type);
    }
    if (nr == NEGOTIATE_UNKNOWN_FORMAT) {
        http_respond_error(req, 400, "format '%s' is not a format for %s results (%s)",
                           p->format, graph ? "CONSTRUCT and DESCRIBE" : "SELECT and ASK",
                           graph ? "turtle, ntriples, nquads, rdfxml, jsonld"
                                 : "json, xml, csv, tsv");
        query_job_free(job);
        return;
    }
    if (nr == NEGOTIATE_NOT_ACCEPTABLE) {
        http_respond_error(req, 406, "none of the accepted media types can carry %s results; "
                           "offered: %s", graph ? "graph" : "SELECT/ASK", negotiate_offered(graph));
        query_job_free(job);
        return;
    }
    sparql_run_options *o = &job->options;
    o->strict_default_graph = p->strict >= 0 ? p->strict : c->strict_default_graph;
    o->timeout_ms = c->query_timeout_ms;
    o->memory_limit = c->query_memory_bytes;
    o->service_allow = c->service_allow;
    o->cancelled = &req->cancelled;
    o->default_graphs = (const char *const *)p->default_graphs;
    o->n_default_graphs = p->n_default_graphs;
    o->named_graphs = (const char *const *)p->named_graphs;
    o->n_named_graphs = p->n_named_graphs;
    http_respond_job(req, run_query, job, query_job_free, content_type, "query");
}

/* ---- the service description ------------------------------------------- */

#define SD "http://www.w3.org/ns/sparql-service-description#"
#define FORMATS "http://www.w3.org/ns/formats/"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

typedef struct {
    char *endpoint;
    graph_format format;
    bool strict, federated;
} description_job;

static void description_job_free(void *arg)
{
    description_job *job = arg;
    if (job)
        free(job->endpoint);
    free(job);
}

static ck_term iri(const char *s) { return (ck_term){CK_TERM_IRI, s, strlen(s), NULL, 0, NULL, 0}; }
static ck_term blank(const char *s) { return (ck_term){CK_TERM_BLANK, s, strlen(s), NULL, 0, NULL, 0}; }

static ck_status write_description(void *arg, FILE *out, ck_error *err)
{
    description_job *job = arg;
    graph_prefix prefixes[] = {{"sd", SD}, {"formats", FORMATS}};
    graph_writer *w = graph_begin(out, job->format, NULL, prefixes, 2);
    if (!w)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    ck_term self = iri(job->endpoint), ds = blank("dataset"), dg = blank("defaultGraph");
    static const char *const result_formats[] = {
        FORMATS "SPARQL_Results_JSON", FORMATS "SPARQL_Results_XML",
        FORMATS "SPARQL_Results_CSV", FORMATS "SPARQL_Results_TSV", FORMATS "Turtle",
        FORMATS "N-Triples", FORMATS "N-Quads", FORMATS "RDF_XML", FORMATS "JSON-LD"};
    ck_term pt, t;
#define TRIPLE(S, P, O) (pt = iri(P), t = (O), graph_triple(w, (S), &pt, &t))
    bool ok = true;
    ok = ok && TRIPLE(&self, RDF_TYPE, iri(SD "Service"));
    ok = ok && TRIPLE(&self, SD "endpoint", iri(job->endpoint));
    ok = ok && TRIPLE(&self, SD "supportedLanguage", iri(SD "SPARQL11Query"));
    ok = ok && TRIPLE(&self, SD "supportedLanguage", iri(SD "SPARQL11Update"));
    for (size_t i = 0; ok && i < sizeof result_formats / sizeof *result_formats; i++)
        ok = TRIPLE(&self, SD "resultFormat", iri(result_formats[i]));
    if (ok && !job->strict)
        ok = TRIPLE(&self, SD "feature", iri(SD "UnionDefaultGraph"));
    if (ok && job->federated)
        ok = TRIPLE(&self, SD "feature", iri(SD "BasicFederatedQuery"));
    ok = ok && TRIPLE(&self, SD "defaultEntailmentRegime",
                      iri("http://www.w3.org/ns/entailment/Simple"));
    ok = ok && TRIPLE(&self, SD "defaultDataset", ds);
    ok = ok && TRIPLE(&ds, RDF_TYPE, iri(SD "Dataset"));
    ok = ok && TRIPLE(&ds, SD "defaultGraph", dg);
    ok = ok && TRIPLE(&dg, RDF_TYPE, iri(SD "Graph"));
#undef TRIPLE
    char message[512];
    snprintf(message, sizeof message, "%s", graph_error(w));
    if (!graph_end(w) || !ok)
        return ck_error_set(err, CK_ERR_IO, "writing the service description failed: %s",
                            message);
    return CK_OK;
}

static void answer_description(http_request *req, protocol_params *p)
{
    description_job *job = calloc(1, sizeof *job);
    const char *content_type = NULL;
    if (!job || !(job->endpoint = http_request_iri(req, "/sparql"))) {
        description_job_free(job);
        http_respond_error(req, 503, "out of memory");
        return;
    }
    negotiate_result nr =
        negotiate_graph(http_header(req, "Accept"), p->format, &job->format, &content_type);
    if (nr != NEGOTIATE_OK) {
        description_job_free(job);
        if (nr == NEGOTIATE_UNKNOWN_FORMAT)
            http_respond_error(req, 400, "format '%s' is not an RDF format (turtle, ntriples, "
                               "nquads, rdfxml, jsonld)", p->format);
        else
            http_respond_error(req, 406, "the service description is RDF; offered: %s",
                               negotiate_offered(true));
        return;
    }
    job->strict = req->ctx->config->strict_default_graph;
    job->federated = req->ctx->config->service_allow != NULL;
    http_respond_job(req, write_description, job, description_job_free, content_type,
                    "service description");
}

/* ---- updates ----------------------------------------------------------------- */

/* What an update's callbacks need: the write transaction for the access
 * rules, and the changes to audit once the commit succeeded. */
typedef struct {
    http_request *req;
    ck_txn *txn;
    struct graph_change {
        char *graph; /* NULL = the default graph */
        uint64_t added, removed;
    } *changes;
    size_t n_changes;
} update_run;

static bool update_may_write(void *ctx, const char *graph_iri)
{
    update_run *u = ctx;
    return ck_acl_may_write(u->txn, u->req->principal, graph_iri);
}

static void update_graph_changed(void *ctx, const char *graph_iri, uint64_t added,
                                 uint64_t removed)
{
    update_run *u = ctx;
    struct graph_change *c = realloc(u->changes, (u->n_changes + 1) * sizeof *c);
    if (!c)
        return; /* the audit line is lost, not the update */
    u->changes = c;
    c[u->n_changes++] = (struct graph_change){graph_iri ? strdup(graph_iri) : NULL, added,
                                              removed};
}

/* Refuses what the protocol forbids before the writer lock is taken:
 * syntax errors, and a dataset given both by the protocol and in the
 * update (using-graph-uri with USING, USING NAMED or WITH). */
static bool update_acceptable(http_request *req, const protocol_params *p, const char *base)
{
    if (!utf8_valid(p->update, strlen(p->update))) {
        http_respond_error(req, 400, "the update is not UTF-8");
        return false;
    }
    sparql_update *parsed;
    ck_error err = {0};
    if (sparql_update_parse(p->update, base, &parsed, &err) != CK_OK) {
        http_respond_failure(req, "update", &err);
        return false;
    }
    bool conflict = false;
    for (size_t i = 0; i < parsed->n_ops && (p->n_using_graphs || p->n_using_named_graphs); i++)
        conflict = conflict || parsed->ops[i].n_using || parsed->ops[i].n_using_named ||
                   parsed->ops[i].with;
    sparql_update_free(parsed);
    if (conflict)
        http_respond_error(req, 400, "using-graph-uri / using-named-graph-uri and USING, USING "
                           "NAMED or WITH in the update name the dataset twice");
    return !conflict;
}

static void answer_update(http_request *req, protocol_params *p)
{
    const serve_config *c = req->ctx->config;
    char *base = http_request_iri(req, "/sparql");
    if (!base || !update_acceptable(req, p, base)) {
        if (!base)
            http_respond_error(req, 503, "out of memory");
        free(base);
        return;
    }
    update_run u = {.req = req};
    ck_graph_set *readable = NULL;
    ck_error err = {0};
    ck_status st = ck_txn_begin_write(req->ctx->store, &u.txn, &err);
    if (st == CK_OK)
        st = ck_acl_readable(u.txn, req->principal, &readable, &err);
    if (st == CK_OK) {
        sparql_update_options o = {
            .strict_default_graph = p->strict >= 0 ? p->strict : c->strict_default_graph,
            .timeout_ms = c->query_timeout_ms,
            .memory_limit = c->query_memory_bytes,
            .cancelled = &req->cancelled,
            .load_allow = c->load_allow,
            .load_dirs = c->load_dirs,
            .using_graphs = (const char *const *)p->using_graphs,
            .n_using_graphs = p->n_using_graphs,
            .using_named_graphs = (const char *const *)p->using_named_graphs,
            .n_using_named_graphs = p->n_using_named_graphs,
            .readable = readable,
            .may_write = update_may_write,
            .acl_ctx = &u,
            .on_graph_change = update_graph_changed,
            .report_ctx = &u,
        };
        st = sparql_update_run(u.txn, p->update, base, &o, &err);
    }
    ck_graph_set_free(readable);
    if (st == CK_OK) {
        st = ck_txn_commit(u.txn, &err);
        u.txn = NULL;
    }
    ck_txn_abort(u.txn);
    uint64_t added = 0, removed = 0;
    for (size_t i = 0; i < u.n_changes; i++) {
        if (st == CK_OK)
            http_audit_write(req, u.changes[i].graph, u.changes[i].added, u.changes[i].removed);
        added += u.changes[i].added;
        removed += u.changes[i].removed;
        free(u.changes[i].graph);
    }
    free(u.changes);
    free(base);
    if (st != CK_OK) {
        http_respond_failure(req, "update", &err);
        return;
    }
    http_metrics_commit(req->ctx->metrics, added, removed);
    http_respond_empty(req, 204, NULL);
}

/* ---- the route ------------------------------------------------------------ */

void sparql_endpoint_handle(http_request *req)
{
    bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    if (!get && strcmp(req->method, "POST") != 0) {
        const char *allow[] = {"Allow", "GET, HEAD, POST, OPTIONS", NULL};
        char msg[] = "/sparql takes GET (query) and POST (query or update)\n";
        snprintf(req->log_note, sizeof req->log_note, "method %s not allowed", req->method);
        http_respond(req, 405, "text/plain; charset=utf-8", msg, strlen(msg), false, allow);
        return;
    }
    protocol_params p = {.strict = -1};
    http_url_args_each(req, take_param, &p);
    if (!get) {
        const char *ct = http_header(req, "Content-Type");
        char media[128];
        media_type_of(ct, media, sizeof media);
        if (!ct || !*media) {
            params_free(&p);
            http_respond_error(req, 400, "a POST to /sparql needs a Content-Type: "
                               "application/x-www-form-urlencoded, application/sparql-query "
                               "or application/sparql-update");
            return;
        }
        if (!charset_is_utf8(ct)) {
            params_free(&p);
            http_respond_error(req, 415, "the body must be UTF-8, not '%s'", ct);
            return;
        }
        if (strcmp(media, "application/x-www-form-urlencoded") == 0) {
            if (!form_each(req->body, req->body_len, take_param, &p))
                p.out_of_memory = true;
        } else if (strcmp(media, "application/sparql-query") == 0) {
            take_param(&p, "query", req->body);
        } else if (strcmp(media, "application/sparql-update") == 0) {
            take_param(&p, "update", req->body);
        } else {
            params_free(&p);
            http_respond_error(req, 415, "unsupported Content-Type '%s': use "
                               "application/x-www-form-urlencoded, application/sparql-query "
                               "or application/sparql-update", media);
            return;
        }
    }
    if (p.out_of_memory) {
        params_free(&p);
        http_respond_error(req, 503, "out of memory");
        return;
    }
    if (p.strict == -2) {
        params_free(&p);
        http_respond_error(req, 400, "strict-default-graph is true or false");
        return;
    }
    if (p.n_query > 1 || p.n_update > 1 || (p.n_query && p.n_update)) {
        params_free(&p);
        http_respond_error(req, 400, "a request carries exactly one query or one update");
        return;
    }
    if (p.n_update) {
        if (get) {
            params_free(&p);
            http_respond_error(req, 400, "updates must be sent by POST, not GET");
            return;
        }
        answer_update(req, &p);
        params_free(&p);
        return;
    }
    if (!p.n_query) {
        if (get) {
            answer_description(req, &p);
            params_free(&p);
        } else {
            params_free(&p);
            http_respond_error(req, 400, "the POST carries no query= or update=");
        }
        return;
    }
    query_job *job = calloc(1, sizeof *job);
    if (!job || !(job->base = http_request_iri(req, "/sparql"))) {
        free(job);
        params_free(&p);
        http_respond_error(req, 503, "out of memory");
        return;
    }
    job->req = req;
    job->params = p;
    answer_query(req, job);
}
