/*
 * http_metrics.h — the server's counters and histograms, written in the
 * Prometheus text format (version 0.0.4) at /metrics: requests by route
 * and status, request latency histograms per route, running queries,
 * requests in flight, commits and quads written, streamed responses that
 * failed midway, and the store's quads and bytes (read at scrape time).
 * Thread-safe.
 */
#ifndef CITYKG_SERVER_HTTP_METRICS_H
#define CITYKG_SERVER_HTTP_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "store.h"

typedef enum {
    ROUTE_SPARQL,
    ROUTE_DATA,
    ROUTE_HEALTH,
    ROUTE_METRICS,
    ROUTE_UI,      /* the web UI's files: /, /ui/... */
    ROUTE_API,     /* the web UI's JSON resources: /api/... */
    ROUTE_OTHER,
    ROUTE_COUNT
} http_route;

/* The label of a route ("sparql", ...). */
const char *http_route_name(http_route route);

typedef struct http_metrics http_metrics;

http_metrics *http_metrics_new(void);
void http_metrics_free(http_metrics *m);

/* One finished request. */
void http_metrics_request(http_metrics *m, http_route route, unsigned status, double seconds);
/* Gauges: +1 / -1. */
void http_metrics_queries_running(http_metrics *m, int delta);
void http_metrics_in_flight(http_metrics *m, int delta);
/* One committed write with its quads added and removed. */
void http_metrics_commit(http_metrics *m, uint64_t added, uint64_t removed);
void http_metrics_stream_failed(http_metrics *m);

/* Writes everything, with the store's size from a snapshot of txn. */
void http_metrics_write(http_metrics *m, ck_txn *txn, FILE *out);

#endif
