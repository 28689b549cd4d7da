/*
 * http_config.h — the settings of `citykg serve`: defaults, and the JSON
 * config file (--config FILE) that overrides them.
 *
 * Every key of the file is optional; an unknown key, a value of the wrong
 * type or out of range is an error naming the key, so that a typo never
 * leaves a limit silently at its default. docs/operations.md lists the keys.
 */
#ifndef CITYKG_SERVER_HTTP_CONFIG_H
#define CITYKG_SERVER_HTTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct {
    char *bind;                  /* address to listen on: "127.0.0.1" */
    unsigned port;               /* 8080; 0 = any free port (printed at start) */
    char **cors_origins;         /* origins allowed by CORS; "*" = any; none by default */
    size_t n_cors_origins;
    uint64_t max_body_bytes;     /* larger request bodies get 413 */
    uint64_t max_uri_bytes;      /* longer request targets (path + query string) get 414 */
    uint64_t query_timeout_ms;   /* per request; past it 503 with Retry-After */
    uint64_t query_memory_bytes; /* per query: tables and buffers */
    uint64_t result_buffer_bytes; /* results held back before the status is sent */
    uint64_t shutdown_grace_ms;  /* SIGTERM: time in-flight requests get before cancelling */
    unsigned max_connections;
    char *service_allow;         /* SERVICE hosts, comma-separated; NULL = none */
    char *load_allow;            /* LOAD hosts, comma-separated; NULL = none */
    char *load_dirs;             /* LOAD folders, ':'-separated; NULL = none */
    bool strict_default_graph;   /* the specification's separate default graph */
    bool metrics_public;         /* /metrics without a token (else admin only) */
} serve_config;

/* Fills c with the defaults (strings allocated: serve_config_free). */
void serve_config_defaults(serve_config *c);
/* Reads the JSON file at path over c. On failure c keeps valid contents
 * and err says "path:line:column: ..." or which key is wrong. */
ck_status serve_config_load(const char *path, serve_config *c, ck_error *err);
void serve_config_free(serve_config *c);

#endif
