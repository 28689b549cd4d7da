/*
 * http_ui.h — the web UI: its files (ui_assets.h) at / and /ui/..., and
 * the two JSON resources its page uses:
 *
 *   GET  /api/graphs    the graphs the caller may read, each with its access
 *                       level, size and whether the caller may write it;
 *                       the caller's role. Anonymous callers too.
 *   POST /api/validate  parses an RDF body (Content-Type as for /data) with
 *                       the loader's checks and stores nothing:
 *                       {"valid": true, "triples": N} or {"valid": false,
 *                       "error": {"message": "body.ttl:3: ...", "line": 3}}.
 *                       Only for callers that may write some graph (401 for
 *                       anonymous, 403 for staff).
 */
#ifndef CITYKG_SERVER_HTTP_UI_H
#define CITYKG_SERVER_HTTP_UI_H

#include "http_server.h"

void ui_handle(http_request *req);
void api_handle(http_request *req);

#endif
