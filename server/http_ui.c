/*
 * http_ui.c — the web UI's files and its JSON resources (see http_ui.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "acl.h"
#include "http_auth.h"
#include "http_negotiate.h"
#include "http_ops.h"
#include "http_ui.h"
#include "http_upload.h"
#include "loader.h"
#include "ui_assets.h"

/* ---- files -------------------------------------------------------------------- */

void ui_handle(http_request *req)
{
    if (!http_allow_get_or_head(req))
        return;
    const ui_asset *a = ui_asset_find(req->path);
    if (!a) {
        http_respond_error(req, 404, "no such resource: %s", req->path);
        return;
    }
    /* The files change only with the binary: a client may keep them for a
     * while, but must ask again after an upgrade (no immutable). */
    const char *headers[] = {"Cache-Control", "max-age=300", NULL};
    if (a->gz_data && accepts_gzip(http_header(req, "Accept-Encoding")))
        http_respond(req, 200, a->media_type, (const char *)a->gz_data, a->gz_len, true, headers);
    else
        http_respond(req, 200, a->media_type, (const char *)a->data, a->len, false, headers);
}

/* Whether who may write some graph, so the page offers the Turtle editor
 * and /api/validate answers (the graph store still checks each graph). */
static bool may_edit(const ck_principal *who)
{
    ck_role role = ck_principal_role(who);
    return role == CK_ROLE_STEWARD || role == CK_ROLE_AGENT || role == CK_ROLE_ADMIN;
}

/* ---- /api/graphs -------------------------------------------------------------- */

typedef struct {
    ck_txn *txn;
    const ck_principal *who;
    const ck_graph_set *readable;
    json_t *list;
    ck_error err;
} graph_listing;

static void list_graph(void *ctx, ck_id g, uint64_t quads)
{
    graph_listing *l = ctx;
    if (l->err.code || !ck_graph_set_has(l->readable, g))
        return;
    char *iri = NULL;
    if (g != CK_DEFAULT_GRAPH) {
        ck_term t;
        ck_term_buf buf;
        if (ck_term_resolve(l->txn, g, &t, &buf, &l->err) != CK_OK)
            return;
        if (!(iri = strndup(t.value, t.value_len))) {
            ck_error_set(&l->err, CK_ERR_NOMEM, "out of memory");
            return;
        }
    }
    ck_access level;
    if (ck_acl_get_access(l->txn, iri, &level, NULL, &l->err) == CK_OK)
        json_array_append_new(
            l->list, json_pack("{s:o, s:s, s:I, s:b}", "iri", iri ? json_string(iri) : json_null(),
                               "access", ck_access_name(level), "quads", (json_int_t)quads,
                               "writable", ck_acl_may_write(l->txn, l->who, iri)));
    free(iri);
}

static void graphs_handle(http_request *req)
{
    if (!http_allow_get_or_head(req))
        return;
    ck_txn *txn = NULL;
    ck_graph_set *readable = NULL;
    graph_listing l = {.who = req->principal, .list = json_array()};
    ck_status st = ck_txn_begin_read(req->ctx->store, &txn, &l.err);
    if (st == CK_OK)
        st = ck_acl_readable(txn, req->principal, &readable, &l.err);
    if (st == CK_OK) {
        l.txn = txn;
        l.readable = readable;
        st = ck_graphs_each(txn, list_graph, &l, &l.err);
        if (st == CK_OK)
            st = l.err.code;
    }
    json_t *answer = json_pack("{s:s, s:b, s:b, s:o}", "role",
                               ck_role_name(ck_principal_role(req->principal)), "may_edit",
                               may_edit(req->principal), "may_set_access",
                               ck_acl_may_set_access(req->principal), "graphs", l.list);
    ck_graph_set_free(readable);
    ck_txn_abort(txn);
    char *text = st == CK_OK && answer ? json_dumps(answer, JSON_COMPACT) : NULL;
    json_decref(answer);
    if (st != CK_OK)
        http_respond_failure(req, "graph list", &l.err);
    else if (!text)
        http_respond_error(req, 500, "out of memory");
    else
        http_respond(req, 200, "application/json", text, strlen(text), false, NULL);
    free(text);
}

/* ---- /api/validate ------------------------------------------------------------ */

/* The line number of a loader message "file:LINE:..." (0 if none). */
static long message_line(const char *message)
{
    const char *colon = strchr(message, ':');
    if (!colon)
        return 0;
    char *end;
    long line = strtol(colon + 1, &end, 10);
    return end > colon + 1 && *end == ':' ? line : 0;
}

static void validate_handle(http_request *req)
{
    if (strcmp(req->method, "POST") != 0) {
        const char *allow[] = {"Allow", "POST", NULL};
        http_respond(req, 405, "text/plain; charset=utf-8", "use POST\n", 9, false, allow);
        return;
    }
    if (!may_edit(req->principal)) {
        http_respond_error(req, http_is_anonymous(req) ? 401 : 403,
                           "validation is for callers that may write graphs");
        return;
    }
    upload_files files = {0};
    unsigned status = 0;
    ck_error err = {0};
    if (upload_spool(req, &files, &status, &err) != CK_OK) {
        http_respond_error(req, status, "%s", err.message);
        return;
    }
    const char *graph = http_url_arg(req, "graph");
    char *base = graph ? NULL : http_request_iri(req, "/data");
    ck_load_options o = {.base = graph ? graph : base};
    ck_load_result parsed = {0};
    ck_status st = ck_parse_check((const char *const *)files.files, (int)files.n, &o, &parsed,
                                  &err);
    json_t *answer;
    if (st == CK_OK) {
        answer = json_pack("{s:b, s:I}", "valid", 1, "triples", (json_int_t)parsed.quads_read);
    } else {
        upload_clean_message(&files, err.message);
        answer = json_pack("{s:b, s:{s:s, s:i}}", "valid", 0, "error", "message", err.message,
                           "line", (int)message_line(err.message));
    }
    upload_cleanup(&files);
    free(base);
    char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
    json_decref(answer);
    if (st == CK_OK || st == CK_ERR_SYNTAX || st == CK_ERR_INVALID) {
        if (text)
            http_respond(req, 200, "application/json", text, strlen(text), false, NULL);
        else
            http_respond_error(req, 500, "out of memory");
    } else {
        http_respond_failure(req, "RDF", &err);
    }
    free(text);
}

void api_handle(http_request *req)
{
    if (strcmp(req->path, "/api/graphs") == 0)
        graphs_handle(req);
    else if (strcmp(req->path, "/api/validate") == 0)
        validate_handle(req);
    else
        http_respond_error(req, 404, "no such resource: %s (/api/graphs, /api/validate)",
                           req->path);
}
