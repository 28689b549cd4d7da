/*
 * http_server.h — the HTTP server of `citykg serve` on libmicrohttpd: one
 * thread per connection, requests routed to the protocol handler
 * (/sparql), the graph store (/data), /health and /metrics.
 *
 * A request's body is collected (up to the configured limit: 413 beyond,
 * 414 for a longer request target) before its handler runs. Handlers read
 * from their own LMDB snapshot; writes take the store's single write
 * transaction, so they are serialized and never wait for readers. Every
 * request ends with one log line on stderr (JSON: method, path, status,
 * bytes, ms) and in the metrics.
 *
 * Shutdown (http_server_drain): stop accepting, answer requests on open
 * connections with 503, give in-flight requests the grace period, then set
 * their cancel flags (queries stop at their next check) and wait for them.
 */
#ifndef CITYKG_SERVER_HTTP_SERVER_H
#define CITYKG_SERVER_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "http_config.h"
#include "http_metrics.h"
#include "store.h"

struct MHD_Connection;
typedef struct ck_principal ck_principal;
struct MHD_Response;
typedef struct http_server http_server;
typedef struct result_stream result_stream;

/* What a handler sees of the server. */
typedef struct {
    ck_store *store;
    const serve_config *config;
    http_metrics *metrics;
} http_context;

/* One request, from its first line to the end of its response. */
typedef struct http_request {
    struct MHD_Connection *connection;
    const http_context *ctx;
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* without the query string */
    size_t target_len;        /* path + query string, as received */
    http_route route;
    char *body;               /* NUL-terminated; body_len bytes */
    size_t body_len, body_cap;
    bool body_too_large;
    bool started;             /* the handler has seen the headers */
    volatile bool cancelled;  /* set at shutdown or when the client went away */
    volatile bool client_gone; /* the client closed the connection first (cancelled too) */
    double start_ms;
    unsigned status;          /* of the queued response */
    uint64_t bytes;           /* body bytes sent */
    ck_principal *principal;  /* who asks (http_auth.h); NULL before authentication */
    result_stream *stream;    /* a streamed response's producer, if any */
    void *handler_state;      /* freed with handler_free when the request ends */
    void (*handler_free)(void *);
    char log_note[1280];     /* an error message for the log line */
    unsigned failure_status;  /* set by a job whose error deserves another status than
                                 http_status_of gives (406 for an unwritable result) */
    struct http_request *prev, *next; /* in the server's in-flight list */
} http_request;

/* Starts listening (config->bind, config->port; port 0 = any free one). */
ck_status http_server_start(ck_store *store, const serve_config *config, http_server **out,
                            ck_error *err);
/* The port actually listened on. */
unsigned http_server_port(const http_server *server);
/* Stops accepting and waits for in-flight requests up to grace_ms, then
 * cancels the rest and waits for them to end. */
void http_server_drain(http_server *server, uint64_t grace_ms);
/* Stops the daemon (after drain) and frees the server. */
void http_server_free(http_server *server);

/* ---- responses: each queues exactly one response for req ---------------- */

/* A whole body (copied). gzip: body is already gzip-compressed. Extra
 * headers as name/value pairs, NULL-terminated (may be NULL). */
void http_respond(http_request *req, unsigned status, const char *content_type,
                  const char *body, size_t len, bool gzip, const char *const *headers);
/* A plain-text message (one line, newline added) with the status. */
void http_respond_error(http_request *req, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A status with no body (204, 201 with Location, HEAD answers). */
void http_respond_empty(http_request *req, unsigned status, const char *const *headers);
/* Streams req->stream's output (after result_stream_wait_head returned
 * false) with status 200. */
void http_respond_stream(http_request *req, const char *content_type, bool gzip);

/* The status that tells the truth about a failed operation: 400 for bad
 * input (syntax errors, invalid requests), 401/403 for access control, 503
 * for a time limit, cancellation or memory budget (retry later or ask for
 * less), 500 for the store's own failures. 401 answers carry
 * WWW-Authenticate, 503 answers Retry-After. */
unsigned http_status_of(ck_status st);
/* Answers with the error err (http_status_of its code; a write refused to
 * an anonymous caller is 401); syntax errors are prefixed with what (e.g.
 * "query") and "syntax error at". */
void http_respond_failure(http_request *req, const char *what, const ck_error *err);

/* Answers with the output of fn(job) run in a worker (http_result_stream.h):
 * whole when it finishes within the result buffer, its error status when
 * it fails there, streamed otherwise. req owns job from here (job_free).
 * what names the job in syntax errors. */
typedef ck_status (*http_job)(void *job, FILE *out, ck_error *err);
void http_respond_job(http_request *req, http_job fn, void *job, void (*job_free)(void *),
                      const char *content_type, const char *what);

/* Writes one JSON object as a line on stderr (the server's log) and
 * releases it. */
struct json_t;
void http_log_json(struct json_t *line);

/* Request data: a header (case-insensitive) or URL argument; NULL if absent. */
const char *http_header(const http_request *req, const char *name);
const char *http_url_arg(const http_request *req, const char *name);
/* http://<Host><path>, as the client addressed this server (the base of
 * request bodies, the IRI of directly identified graphs); NULL when out of
 * memory. Free it. */
char *http_request_iri(const http_request *req, const char *path);
/* Calls fn for every URL argument (repeated names included). */
void http_url_args_each(const http_request *req,
                        void (*fn)(void *ctx, const char *name, const char *value), void *ctx);

#endif
