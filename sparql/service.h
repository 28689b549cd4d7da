/*
 * service.h — SERVICE: sending a graph pattern to a remote SPARQL endpoint
 * over HTTP (libcurl) and reading its answer (SPARQL Query Results JSON or
 * XML) as rows of terms.
 *
 * Only hosts on an allow-list are contacted: a query must never make the
 * server reach an arbitrary host of an attacker's choice. The request is a
 * SPARQL 1.1 Protocol query by POST (form-encoded), with the time left of
 * the query as its timeout and a size cap on the answer. libcurl honours
 * the usual proxy variables (http_proxy, https_proxy, no_proxy).
 */
#ifndef CITYKG_SPARQL_SERVICE_H
#define CITYKG_SPARQL_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct {
    const char *allow;      /* comma-separated hosts ("example.org", "host:8080");
                               NULL or "" allows none */
    uint64_t timeout_ms;    /* 0 = none */
    size_t max_bytes;       /* largest answer accepted */
    volatile bool *cancelled; /* polled during the transfer; may be NULL */
} service_options;

/* One answer: nrows rows of nvars cells; a cell of kind 0 is unbound. All
 * strings are owned by the result. */
typedef struct {
    char **vars;
    size_t nvars;
    ck_term *cells; /* row-major, nrows * nvars */
    size_t nrows;
    struct service_strings *strings; /* owned storage of the cells' text */
} service_result;

/* Whether endpoint is an http(s) IRI whose host (with port, if the entry
 * has one) is on the comma-separated allow-list. */
bool service_allowed(const char *allow, const char *endpoint);

/* Sends query to endpoint and reads the answer into out. Errors
 * (CK_ERR_INVALID for a host off the allow-list or a bad answer, CK_ERR_IO
 * for the network and HTTP errors, CK_ERR_CANCELLED for time and
 * cancellation) name the endpoint. */
ck_status service_query(const char *endpoint, const char *query, const service_options *options,
                        service_result *out, ck_error *err);

/* GETs url (http or https, its host on o->allow) with the given Accept
 * header, with the limits of service_query, for LOAD. On CK_OK *body
 * (malloc'd, NUL-terminated, *len bytes before the NUL) and *content_type
 * (malloc'd or NULL) belong to the caller. Off the allow-list:
 * CK_ERR_FORBIDDEN; other errors as service_query, naming "<url>". */
ck_status service_get(const char *url, const char *accept, const service_options *o,
                        char **body, size_t *len, char **content_type, ck_error *err);

/* Reads a SPARQL Query Results document (JSON or XML, told apart by its
 * first character) of len bytes. Used by service_query; public for tests. */
ck_status service_parse_results(const char *body, size_t len, service_result *out,
                                ck_error *err);

void service_result_free(service_result *r);

#endif
