/*
 * http_server.c — the libmicrohttpd daemon: request lifecycle (target and
 * body limits, routing, CORS preflight), the response helpers every handler
 * uses, the per-request log line, and the drain at shutdown.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <math.h>

#include <jansson.h>
#include <microhttpd.h>

#include "acl.h"
#include "http_auth.h"
#include "http_graph_store.h"
#include "http_negotiate.h"
#include "http_ops.h"
#include "http_result_stream.h"
#include "http_server.h"
#include "http_sparql.h"
#include "http_ui.h"

struct http_server {
    struct MHD_Daemon *daemon;
    http_context ctx;
    pthread_mutex_t lock; /* guards the in-flight list and draining */
    pthread_cond_t idle;
    http_request *in_flight;
    size_t n_in_flight;
    bool draining;
    unsigned port;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- responses ---------------------------------------------------------- */

/* CORS: an allowed Origin is echoed (or "*" when every origin is). */
static void add_cors(http_request *req, struct MHD_Response *r)
{
    const serve_config *c = req->ctx->config;
    const char *origin = http_header(req, "Origin");
    if (!origin || !c->n_cors_origins)
        return;
    for (size_t i = 0; i < c->n_cors_origins; i++) {
        bool any = strcmp(c->cors_origins[i], "*") == 0;
        if (any || strcmp(c->cors_origins[i], origin) == 0) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", any ? "*" : origin);
            MHD_add_response_header(r, "Access-Control-Expose-Headers",
                                    "Content-Type, Content-Encoding, Location, Retry-After");
            if (!any)
                MHD_add_response_header(r, "Vary", "Origin");
            return;
        }
    }
}

static void queue(http_request *req, unsigned status, struct MHD_Response *r,
                  const char *const *headers)
{
    if (!r) {
        req->status = 500;
        return;
    }
    for (size_t i = 0; headers && headers[i]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    add_cors(req, r);
    if (req->ctx && req->cancelled && status == 503)
        MHD_add_response_header(r, "Connection", "close");
    req->status = status;
    MHD_queue_response(req->connection, status, r);
    MHD_destroy_response(r);
}

void http_respond(http_request *req, unsigned status, const char *content_type,
                  const char *body, size_t len, bool gzip, const char *const *headers)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (r && content_type)
        MHD_add_response_header(r, "Content-Type", content_type);
    if (r && gzip)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    if (r)
        MHD_add_response_header(r, "Vary", "Accept, Accept-Encoding");
    req->bytes = strcasecmp(req->method, "HEAD") == 0 ? 0 : len;
    queue(req, status, r, headers);
}

void http_respond_error(http_request *req, unsigned status, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof msg - 2)
        n = (int)sizeof msg - 2;
    snprintf(req->log_note, sizeof req->log_note, "%s", msg);
    msg[n++] = '\n';
    const char *retry[] = {"Retry-After", "5", NULL};
    const char *authenticate[] = {"WWW-Authenticate", "Bearer realm=\"citykg\"", NULL};
    http_respond(req, status, "text/plain; charset=utf-8", msg, (size_t)n, false,
                 status == 503 ? retry : status == 401 ? authenticate : NULL);
}

void http_respond_empty(http_request *req, unsigned status, const char *const *headers)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    queue(req, status, r, headers);
}

unsigned http_status_of(ck_status st)
{
    switch (st) {
    case CK_OK: return 200;
    case CK_ERR_SYNTAX:
    case CK_ERR_INVALID: return 400;
    case CK_ERR_UNAUTHORIZED: return 401;
    case CK_ERR_FORBIDDEN: return 403;
    case CK_ERR_NOT_FOUND: return 404;
    case CK_ERR_CANCELLED:
    case CK_ERR_FULL:
    case CK_ERR_NOMEM: return 503;
    default: return 500;
    }
}

void http_respond_failure(http_request *req, const char *what, const ck_error *err)
{
    unsigned status = req->failure_status ? req->failure_status : http_status_of(err->code);
    if (err->code == CK_ERR_FORBIDDEN && http_is_anonymous(req))
        status = 401;
    if (err->code == CK_ERR_SYNTAX)
        http_respond_error(req, 400, "%s syntax error at %s", what, err->message);
    else
        http_respond_error(req, status, "%s", err->message);
}

static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    http_request *req = cls;
    ssize_t n = result_stream_read(req->stream, buf, max);
    if (n > 0) {
        req->bytes += (uint64_t)n;
        return n;
    }
    if (n == -1)
        return MHD_CONTENT_READER_END_OF_STREAM;
    /* the job failed after the status went out: end without the closing
     * chunk, so that the client sees a truncated response */
    ck_error err = {0};
    result_stream_status(req->stream, &err);
    snprintf(req->log_note, sizeof req->log_note, "failed while streaming: %s", err.message);
    http_metrics_stream_failed(req->ctx->metrics);
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

void http_respond_stream(http_request *req, const char *content_type, bool gzip)
{
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536, read_stream, req, NULL);
    if (r) {
        MHD_add_response_header(r, "Content-Type", content_type);
        if (gzip)
            MHD_add_response_header(r, "Content-Encoding", "gzip");
        MHD_add_response_header(r, "Vary", "Accept, Accept-Encoding");
    }
    queue(req, 200, r, NULL);
}

/* Whether the client closed its end of req's connection: a read that
 * does not wait sees the end of the stream. (A client that only shuts
 * down its sending side looks the same; HTTP clients do not.) */
static bool client_gone(const http_request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return false;
    char c;
    ssize_t n = recv(ci->connect_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* While a job computes the head of its answer: a client that went away
 * cancels it, so a long query does not run on for nobody. */
static void watch_client(void *ctx)
{
    http_request *req = ctx;
    if (req->cancelled || !client_gone(req))
        return;
    req->client_gone = true;
    req->cancelled = true;
}

void http_respond_job(http_request *req, http_job fn, void *job, void (*job_free)(void *),
                      const char *content_type, const char *what)
{
    bool gzip = accepts_gzip(http_header(req, "Accept-Encoding"));
    req->handler_state = job;
    req->handler_free = job_free;
    req->stream = result_stream_start(fn, job, gzip, req->ctx->config->result_buffer_bytes);
    if (!req->stream) {
        http_respond_error(req, 503, "cannot start a worker for the request");
        return;
    }
    if (!result_stream_wait_head(req->stream, watch_client, req)) {
        http_respond_stream(req, content_type, gzip);
        return;
    }
    ck_error err = {0};
    if (result_stream_status(req->stream, &err) != CK_OK) {
        http_respond_failure(req, what, &err);
        return;
    }
    size_t len;
    const char *data = result_stream_data(req->stream, &len);
    http_respond(req, 200, content_type, data, len, gzip, NULL);
}

const char *http_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

const char *http_url_arg(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_GET_ARGUMENT_KIND, name);
}

char *http_request_iri(const http_request *req, const char *path)
{
    const char *host = http_header(req, "Host");
    char *iri = NULL;
    if (asprintf(&iri, "http://%s%s", host && *host ? host : "localhost", path) < 0)
        return NULL;
    return iri;
}

struct args_each {
    void (*fn)(void *, const char *, const char *);
    void *ctx;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct args_each *a = cls;
    a->fn(a->ctx, key, value ? value : "");
    return MHD_YES;
}

void http_url_args_each(const http_request *req,
                        void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
    struct args_each a = {fn, ctx};
    MHD_get_connection_values(req->connection, MHD_GET_ARGUMENT_KIND, each_arg, &a);
}

/* ---- request lifecycle ---------------------------------------------------- */

static http_route route_of(const char *path)
{
    if (strcmp(path, "/sparql") == 0 || strcmp(path, "/sparql/") == 0)
        return ROUTE_SPARQL;
    if (strcmp(path, "/data") == 0 || strncmp(path, "/data/", 6) == 0)
        return ROUTE_DATA;
    if (strcmp(path, "/health") == 0)
        return ROUTE_HEALTH;
    if (strcmp(path, "/metrics") == 0)
        return ROUTE_METRICS;
    if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0 || strncmp(path, "/ui/", 4) == 0)
        return ROUTE_UI;
    if (strncmp(path, "/api/", 5) == 0)
        return ROUTE_API;
    return ROUTE_OTHER;
}

/* Called with the request line, before the headers: the request starts
 * here, so that even a request refused early is logged and counted. */
static void *request_begin(void *cls, const char *uri, struct MHD_Connection *connection)
{
    http_server *s = cls;
    http_request *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->connection = connection;
    req->ctx = &s->ctx;
    req->start_ms = now_ms();
    req->target_len = uri ? strlen(uri) : 0;
    pthread_mutex_lock(&s->lock);
    req->next = s->in_flight;
    if (s->in_flight)
        s->in_flight->prev = req;
    s->in_flight = req;
    s->n_in_flight++;
    pthread_mutex_unlock(&s->lock);
    http_metrics_in_flight(s->ctx.metrics, 1);
    return req;
}

void http_log_json(json_t *line)
{
    /* one fprintf per line: stderr is unbuffered, lines of threads do not mix */
    char *text =
        line ? json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12)) : NULL;
    if (text)
        fprintf(stderr, "%s\n", text);
    free(text);
    json_decref(line);
}

static void log_request(const http_request *req, double ms)
{
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    json_t *line = json_pack("{s:s, s:s, s:s, s:i, s:I, s:f, s:s}", "ts", ts, "method",
                             req->method ? req->method : "-", "path",
                             req->path ? req->path : "-", "status", (int)req->status, "bytes",
                             (json_int_t)req->bytes, "ms", (double)llround(ms * 1000) / 1000,
                             "role", http_principal_role(req));
    if (line && req->log_note[0])
        json_object_set_new(line, "error", json_string(req->log_note));
    http_log_json(line);
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)connection;
    http_server *s = cls;
    http_request *req = *con_cls;
    if (!req)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !req->log_note[0])
        snprintf(req->log_note, sizeof req->log_note, "connection ended before the response "
                 "was complete (code %d)", (int)toe);
    req->cancelled = true; /* a producer still running has nobody to write to */
    result_stream_free(req->stream);
    if (req->handler_free)
        req->handler_free(req->handler_state);
    double ms = now_ms() - req->start_ms;
    if (req->method) { /* requests MHD refused before any handler ran are not ours to log */
        log_request(req, ms);
        http_metrics_request(s->ctx.metrics, req->route, req->status, ms / 1e3);
    }
    ck_principal_free(req->principal);
    http_metrics_in_flight(s->ctx.metrics, -1);
    pthread_mutex_lock(&s->lock);
    if (req->prev)
        req->prev->next = req->next;
    else
        s->in_flight = req->next;
    if (req->next)
        req->next->prev = req->prev;
    s->n_in_flight--;
    pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->lock);
    free(req->body);
    free(req);
    *con_cls = NULL;
}

/* The CORS preflight: which methods and headers a page may use. */
static void preflight(http_request *req)
{
    const char *asked = http_header(req, "Access-Control-Request-Headers");
    const char *headers[] = {
        "Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS",
        "Access-Control-Allow-Headers",
        asked ? asked : "Accept, Accept-Encoding, Authorization, Content-Type",
        "Access-Control-Max-Age", "600",
        "Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS",
        NULL};
    http_respond_empty(req, 204, headers);
}

static void dispatch(http_request *req)
{
    if (strcmp(req->method, "OPTIONS") == 0) {
        preflight(req);
        return;
    }
    if ((req->route == ROUTE_SPARQL || req->route == ROUTE_DATA || req->route == ROUTE_METRICS ||
         req->route == ROUTE_API) &&
        !http_authenticate(req))
        return;
    switch (req->route) {
    case ROUTE_SPARQL: sparql_endpoint_handle(req); break;
    case ROUTE_DATA: graph_store_handle(req); break;
    case ROUTE_HEALTH: health_handle(req); break;
    case ROUTE_METRICS: metrics_handle(req); break;
    case ROUTE_UI: ui_handle(req); break;
    case ROUTE_API: api_handle(req); break;
    default:
        http_respond_error(req, 404, "no such resource: %s (routes: / (web UI), /sparql, /data, "
                           "/health, /metrics)", req->path);
    }
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_request *req = *con_cls;
    if (!req)
        return MHD_NO;
    const serve_config *c = s->ctx.config;
    if (!req->started) {
        req->started = true;
        req->method = method;
        req->path = url;
        req->route = route_of(url);
        pthread_mutex_lock(&s->lock);
        bool draining = s->draining;
        pthread_mutex_unlock(&s->lock);
        if (draining) {
            req->cancelled = true;
            http_respond_error(req, 503, "the server is shutting down");
            return MHD_YES;
        }
        if (req->target_len > c->max_uri_bytes) {
            http_respond_error(req, 414, "the request target is %zu bytes, more than the limit "
                               "of %llu: send long queries by POST", req->target_len,
                               (unsigned long long)c->max_uri_bytes);
            return MHD_YES;
        }
        const char *length = http_header(req, "Content-Length");
        if (length && strtoull(length, NULL, 10) > c->max_body_bytes) {
            http_respond_error(req, 413, "the request body is %s bytes, more than the limit of "
                               "%llu", length, (unsigned long long)c->max_body_bytes);
            return MHD_YES;
        }
        return MHD_YES; /* the body (if any) comes next */
    }
    if (*upload_data_size) {
        /* a chunked body past the limit is read and dropped, then refused */
        if (!req->body_too_large && req->body_len + *upload_data_size > c->max_body_bytes) {
            req->body_too_large = true;
            free(req->body);
            req->body = NULL;
            req->body_len = req->body_cap = 0;
        }
        size_t need = req->body_len + *upload_data_size + 1;
        if (!req->body_too_large && need > req->body_cap) {
            size_t cap = req->body_cap ? req->body_cap : 65536;
            while (cap < need)
                cap *= 2;
            char *b = realloc(req->body, cap);
            if (!b)
                return MHD_NO;
            req->body = b;
            req->body_cap = cap;
        }
        if (!req->body_too_large) {
            memcpy(req->body + req->body_len, upload_data, *upload_data_size);
            req->body_len += *upload_data_size;
            req->body[req->body_len] = 0;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->status) /* already answered */
        return MHD_YES;
    if (req->body_too_large) {
        http_respond_error(req, 413, "the request body is more than the limit of %llu bytes",
                           (unsigned long long)c->max_body_bytes);
        return MHD_YES;
    }
    if (!req->body)
        req->body = calloc(1, 1);
    if (!req->body)
        return MHD_NO;
    dispatch(req);
    return MHD_YES;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = 0;
    http_log_json(json_pack("{s:s}", "server", line));
}

/* A server event (not a request) as one JSON log line. */
static void log_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_event(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_mhd(NULL, fmt, ap);
    va_end(ap);
}

ck_status http_server_start(ck_store *store, const serve_config *config, http_server **out,
                            ck_error *err)
{
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
    if (inet_pton(AF_INET, config->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)config->port);
    } else if (inet_pton(AF_INET6, config->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)config->port);
        flags |= MHD_USE_IPv6;
    } else {
        return ck_error_set(err, CK_ERR_INVALID,
                            "bind address '%s' is not an IPv4 or IPv6 address", config->bind);
    }
    http_server *s = calloc(1, sizeof *s);
    if (!s || !(s->ctx.metrics = http_metrics_new())) {
        free(s);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    s->ctx.store = store;
    s->ctx.config = config;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    /* MHD keeps the request line and headers in the connection's memory
     * pool: room for the largest allowed target plus headers. A longer
     * target is refused by MHD itself with 414. */
    size_t pool = (size_t)config->max_uri_bytes + 64 * 1024;
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)config->port, NULL, NULL, handle, s, MHD_OPTION_EXTERNAL_LOGGER, log_mhd,
        NULL, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_URI_LOG_CALLBACK, request_begin, s, MHD_OPTION_NOTIFY_COMPLETED,
        request_completed, s, MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
        MHD_OPTION_CONNECTION_LIMIT, config->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)120, MHD_OPTION_END);
    if (!s->daemon) {
        http_metrics_free(s->ctx.metrics);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->idle);
        free(s);
        return ck_error_set(err, CK_ERR_IO, "cannot listen on %s port %u (in use, or not "
                            "an address of this machine?)", config->bind, config->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : config->port;
    *out = s;
    return CK_OK;
}

unsigned http_server_port(const http_server *server) { return server->port; }

/* Waits until nothing is in flight or the deadline (CLOCK_REALTIME) passes. */
static bool wait_idle(http_server *s, const struct timespec *deadline)
{
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    while (s->n_in_flight && rc == 0)
        rc = deadline ? pthread_cond_timedwait(&s->idle, &s->lock, deadline)
                      : pthread_cond_wait(&s->idle, &s->lock);
    bool idle = s->n_in_flight == 0;
    pthread_mutex_unlock(&s->lock);
    return idle;
}

void http_server_drain(http_server *s, uint64_t grace_ms)
{
    pthread_mutex_lock(&s->lock);
    s->draining = true;
    pthread_mutex_unlock(&s->lock);
    MHD_socket listen = MHD_quiesce_daemon(s->daemon);
    if (listen != MHD_INVALID_SOCKET)
        close(listen);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)(grace_ms / 1000);
    deadline.tv_nsec += (long)(grace_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    if (wait_idle(s, &deadline))
        return;
    pthread_mutex_lock(&s->lock);
    size_t n = 0;
    for (http_request *r = s->in_flight; r; r = r->next, n++)
        r->cancelled = true;
    pthread_mutex_unlock(&s->lock);
    log_event("grace period over: cancelling %zu requests", n);
    /* queries stop at their next check; a client that does not read its
     * response is cut off by MHD_stop_daemon after this second wait */
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    if (!wait_idle(s, &deadline))
        log_event("%s", "requests still running after cancelling: closing their connections");
}

void http_server_free(http_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon); /* closes idle connections, joins their threads */
    http_metrics_free(s->ctx.metrics);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->idle);
    free(s);
}
