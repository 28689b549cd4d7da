/*
 * http_auth.c — bearer tokens to principals (core/acl.h), audit lines.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "acl.h"
#include "http_auth.h"

bool http_authenticate(http_request *req)
{
    const char *auth = http_header(req, "Authorization");
    const char *token = NULL;
    if (auth) {
        while (isspace((unsigned char)*auth))
            auth++;
        if (strncasecmp(auth, "Bearer", 6) != 0 || !isspace((unsigned char)auth[6])) {
            http_respond_error(req, 401, "only bearer tokens are accepted "
                               "(Authorization: Bearer <token>)");
            return false;
        }
        token = auth + 6;
        while (isspace((unsigned char)*token))
            token++;
    }
    ck_txn *txn;
    ck_error err = {0};
    ck_status st = ck_txn_begin_read(req->ctx->store, &txn, &err);
    if (st == CK_OK) {
        st = ck_acl_authenticate(txn, token && *token ? token : NULL, &req->principal, &err);
        ck_txn_abort(txn);
    }
    if (st != CK_OK) {
        http_respond_failure(req, "token", &err);
        return false;
    }
    return true;
}

const char *http_principal_role(const http_request *req)
{
    return req->principal ? ck_role_name(ck_principal_role(req->principal)) : "-";
}

bool http_is_anonymous(const http_request *req)
{
    return !req->principal || ck_principal_role(req->principal) == CK_ROLE_ANONYMOUS;
}

void http_audit_write(const http_request *req, const char *graph_iri, uint64_t added,
                      uint64_t removed)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    const char *id = req->principal ? ck_principal_token_id(req->principal) : NULL;
    http_log_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "ts", ts, "audit",
                            "write", "who", id ? id : "anonymous", "role",
                            http_principal_role(req), "route", req->path, "graph",
                            graph_iri ? graph_iri : "default", "added", (json_int_t)added,
                            "removed", (json_int_t)removed));
}
