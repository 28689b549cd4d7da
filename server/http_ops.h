/*
 * http_ops.h — the routes for operators: /health (the store answers a
 * snapshot: 200 {"status":"ok"}; 503 otherwise; no token needed) and
 * /metrics (Prometheus text format, see http_metrics.h; an admin token, or
 * none with the config's metrics_public). GET and HEAD only.
 */
#ifndef CITYKG_SERVER_HTTP_OPS_H
#define CITYKG_SERVER_HTTP_OPS_H

#include "http_server.h"

void health_handle(http_request *req);
/* True for GET and HEAD; otherwise answers 405 with Allow and returns false. */
bool http_allow_get_or_head(http_request *req);
void metrics_handle(http_request *req);

#endif
