/*
 * http_ops.c — /health and /metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "http_auth.h"
#include "http_ops.h"

bool http_allow_get_or_head(http_request *req)
{
    if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
        return true;
    const char *allow[] = {"Allow", "GET, HEAD", NULL};
    char msg[] = "method not allowed here: use GET or HEAD\n";
    snprintf(req->log_note, sizeof req->log_note, "method %s not allowed", req->method);
    http_respond(req, 405, "text/plain; charset=utf-8", msg, strlen(msg), false, allow);
    return false;
}

void health_handle(http_request *req)
{
    if (!http_allow_get_or_head(req))
        return;
    ck_txn *txn;
    ck_error err = {0};
    if (ck_txn_begin_read(req->ctx->store, &txn, &err) != CK_OK) {
        http_respond_error(req, 503, "the store does not answer: %s", err.message);
        return;
    }
    ck_txn_abort(txn);
    const char body[] = "{\"status\":\"ok\"}\n";
    http_respond(req, 200, "application/json", body, sizeof body - 1, false, NULL);
}

void metrics_handle(http_request *req)
{
    if (!http_allow_get_or_head(req))
        return;
    /* the store's totals count graphs the caller may not read */
    if (!req->ctx->config->metrics_public &&
        (!req->principal || ck_principal_role(req->principal) != CK_ROLE_ADMIN)) {
        http_respond_error(req, http_is_anonymous(req) ? 401 : 403,
                           "/metrics needs an admin token (or \"metrics_public\": true in the "
                           "config)");
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        http_respond_error(req, 500, "out of memory");
        return;
    }
    ck_txn *txn = NULL;
    ck_error err = {0};
    if (ck_txn_begin_read(req->ctx->store, &txn, &err) != CK_OK)
        txn = NULL; /* the store metrics are left out, the rest still counts */
    http_metrics_write(req->ctx->metrics, txn, out);
    ck_txn_abort(txn);
    fclose(out);
    http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, false, NULL);
    free(text);
}
