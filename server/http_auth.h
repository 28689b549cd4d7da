/*
 * http_auth.h — who a request comes from, and the audit trail of writes.
 *
 * Every request to /sparql, /data and /metrics is authenticated from
 * `Authorization: Bearer <token>` (core/acl.h); without the header it is
 * anonymous. A forged, expired or revoked token, or another scheme, gets
 * 401 with `WWW-Authenticate: Bearer` and the same message whatever the
 * reason. Token values never reach a log line: the log names the role, the
 * audit line the token's id.
 */
#ifndef CITYKG_SERVER_HTTP_AUTH_H
#define CITYKG_SERVER_HTTP_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http_server.h"

/* Sets req->principal; false after answering 401 (or 503 when the store
 * cannot be read). */
bool http_authenticate(http_request *req);
/* "anonymous", "staff", ... for the log line; "-" before authentication. */
const char *http_principal_role(const http_request *req);
/* Whether req comes without a token: a refused write then gets 401
 * (credentials would help), not 403. */
bool http_is_anonymous(const http_request *req);
/* One audit line on stderr for a committed change of graph_iri (NULL = the
 * default graph): who (token id or "anonymous"), role, graph, quads added
 * and removed. */
void http_audit_write(const http_request *req, const char *graph_iri, uint64_t added,
                      uint64_t removed);

#endif
