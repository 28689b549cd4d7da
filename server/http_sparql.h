/*
 * http_sparql.h — the SPARQL 1.1 Protocol at /sparql.
 *
 *   GET  ?query=...                      a query
 *   POST application/x-www-form-urlencoded  query=... (or update=...)
 *   POST application/sparql-query        the query is the body
 *   POST application/sparql-update       the update is the body
 *   GET  without query                   the SPARQL 1.1 Service Description
 *
 * default-graph-uri and named-graph-uri (URL or form) replace the query's
 * FROM / FROM NAMED. strict-default-graph=true|false (citykg's own
 * parameter) chooses, for this request, between the specification's
 * separate default graph and the union of the readable graphs; without it
 * the server's setting holds. The result format comes from format= or Accept
 * (http_negotiate.h); results are held back up to result_buffer_bytes so
 * that errors become proper statuses, and streamed beyond
 * (http_result_stream.h). A query sees only the graphs the caller may
 * read (core/acl.h), restricted before evaluation.
 *
 * An update (sparql/update.h) runs in one write transaction, with
 * using-graph-uri / using-named-graph-uri as its dataset, the caller's
 * readable graphs for WHERE and the access rules for every graph it
 * changes; 204 when committed, an audit line per changed graph.
 *
 * Errors: 400 (syntax errors with line:column, several queries, a query and
 * an update, an update by GET, a dataset given twice), 401/403 (token;
 * writes refused), 405, 406, 415 (media type or a charset other than
 * UTF-8), 503 with Retry-After (time limit, shutdown).
 */
#ifndef CITYKG_SERVER_HTTP_SPARQL_H
#define CITYKG_SERVER_HTTP_SPARQL_H

#include "http_server.h"

void sparql_endpoint_handle(http_request *req);

#endif
