/*
 * http_metrics.c — counters behind a mutex (a request takes it once, when
 * it ends), written out on scrape.
 */
#include <pthread.h>
#include <stdlib.h>

#include "http_metrics.h"

/* Latency bucket bounds in seconds (Prometheus "le"). */
static const double buckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                 0.5,   1,     2.5,  5,     10,   30,  60};
#define N_BUCKETS (sizeof buckets / sizeof *buckets)
/* Status codes are counted in a table indexed by code - 100. */
#define N_STATUS 500

typedef struct {
    uint64_t requests[ROUTE_COUNT][N_STATUS];
    uint64_t bucket_counts[ROUTE_COUNT][N_BUCKETS + 1];
    double seconds_sum[ROUTE_COUNT];
    int64_t queries_running, in_flight;
    uint64_t commits, quads_added, quads_removed, streams_failed;
} counts;

struct http_metrics {
    pthread_mutex_t lock;
    counts n; /* under lock */
};

const char *http_route_name(http_route route)
{
    static const char *names[] = {"sparql", "data", "health", "metrics", "ui", "api", "other"};
    return route < ROUTE_COUNT ? names[route] : "other";
}

http_metrics *http_metrics_new(void)
{
    http_metrics *m = calloc(1, sizeof *m);
    if (m)
        pthread_mutex_init(&m->lock, NULL);
    return m;
}

void http_metrics_free(http_metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void http_metrics_request(http_metrics *m, http_route route, unsigned status, double seconds)
{
    if (route >= ROUTE_COUNT)
        route = ROUTE_OTHER;
    size_t b = 0;
    while (b < N_BUCKETS && seconds > buckets[b])
        b++;
    pthread_mutex_lock(&m->lock);
    if (status >= 100 && status < 100 + N_STATUS)
        m->n.requests[route][status - 100]++;
    m->n.bucket_counts[route][b]++;
    m->n.seconds_sum[route] += seconds;
    pthread_mutex_unlock(&m->lock);
}

static void add(http_metrics *m, int64_t *gauge, int delta)
{
    pthread_mutex_lock(&m->lock);
    *gauge += delta;
    pthread_mutex_unlock(&m->lock);
}

void http_metrics_queries_running(http_metrics *m, int delta) { add(m, &m->n.queries_running, delta); }
void http_metrics_in_flight(http_metrics *m, int delta) { add(m, &m->n.in_flight, delta); }

void http_metrics_commit(http_metrics *m, uint64_t added, uint64_t removed)
{
    pthread_mutex_lock(&m->lock);
    m->n.commits++;
    m->n.quads_added += added;
    m->n.quads_removed += removed;
    pthread_mutex_unlock(&m->lock);
}

void http_metrics_stream_failed(http_metrics *m)
{
    pthread_mutex_lock(&m->lock);
    m->n.streams_failed++;
    pthread_mutex_unlock(&m->lock);
}

static void counter(FILE *out, const char *name, const char *help, const char *type,
                    uint64_t value)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type, name,
            (unsigned long long)value);
}

void http_metrics_write(http_metrics *m, ck_txn *txn, FILE *out)
{
    pthread_mutex_lock(&m->lock);
    counts c = m->n; /* a consistent copy, written without the lock */
    pthread_mutex_unlock(&m->lock);

    fprintf(out, "# HELP citykg_http_requests_total HTTP requests by route and status.\n"
                 "# TYPE citykg_http_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++)
        for (int s = 0; s < N_STATUS; s++)
            if (c.requests[r][s])
                fprintf(out, "citykg_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                        http_route_name((http_route)r), s + 100,
                        (unsigned long long)c.requests[r][s]);
    fprintf(out, "# HELP citykg_http_request_duration_seconds Time from the request line to "
                 "the end of the response.\n"
                 "# TYPE citykg_http_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_COUNT; r++) {
        const char *name = http_route_name((http_route)r);
        uint64_t cumulative = 0;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cumulative += c.bucket_counts[r][b];
            fprintf(out, "citykg_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} "
                         "%llu\n", name, buckets[b], (unsigned long long)cumulative);
        }
        cumulative += c.bucket_counts[r][N_BUCKETS];
        fprintf(out,
                "citykg_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                "citykg_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                "citykg_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                name, (unsigned long long)cumulative, name, c.seconds_sum[r], name,
                (unsigned long long)cumulative);
    }
    const struct {
        const char *name, *help, *type;
        uint64_t value;
    } plain[] = {
        {"citykg_queries_running", "Queries being evaluated or streamed now.", "gauge",
         (uint64_t)(c.queries_running > 0 ? c.queries_running : 0)},
        {"citykg_http_requests_in_flight", "Requests not yet answered completely.", "gauge",
         (uint64_t)(c.in_flight > 0 ? c.in_flight : 0)},
        {"citykg_commits_total", "Write transactions committed.", "counter", c.commits},
        {"citykg_quads_added_total", "Quads added by committed writes.", "counter",
         c.quads_added},
        {"citykg_quads_removed_total", "Quads removed by committed writes.", "counter",
         c.quads_removed},
        {"citykg_http_streams_failed_total",
         "Streamed responses cut off because their query failed midway.", "counter",
         c.streams_failed},
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        counter(out, plain[i].name, plain[i].help, plain[i].type, plain[i].value);
    ck_store_stats st;
    ck_error err;
    if (!txn || ck_store_stats_get(txn, &st, &err) != CK_OK)
        return; /* the store's figures are left out, the rest still counts */
    const struct {
        const char *name, *help;
        uint64_t value;
    } store[] = {
        {"citykg_store_quads", "Quads in the store.", st.quads},
        {"citykg_store_graphs", "Named graphs holding quads.", st.graphs},
        {"citykg_store_bytes", "Size of the store's data file.", st.bytes_on_disk},
        {"citykg_store_bytes_used", "Bytes of pages in use.", st.bytes_used},
    };
    for (size_t i = 0; i < sizeof store / sizeof *store; i++)
        counter(out, store[i].name, store[i].help, "gauge", store[i].value);
}
