/*
 * http_negotiate.h — content negotiation: which result or graph format a
 * request gets, from its Accept header (with q-values) or a format=
 * parameter, and whether it accepts gzip.
 *
 * Among the formats of a query form the one with the highest quality wins;
 * equal qualities go to the server's order (JSON, XML, CSV, TSV for
 * results; Turtle, N-Triples, N-Quads, RDF/XML, JSON-LD for graphs). A
 * media range's quality is that of the most specific range matching it
 * (text/turtle over text/ * over * / *); q=0 refuses a type. No Accept
 * header accepts everything.
 */
#ifndef CITYKG_SERVER_HTTP_NEGOTIATE_H
#define CITYKG_SERVER_HTTP_NEGOTIATE_H

#include <stdbool.h>

#include "graph_writer.h"
#include "results.h"

typedef enum {
    NEGOTIATE_OK,
    NEGOTIATE_NOT_ACCEPTABLE, /* 406: nothing the client accepts */
    NEGOTIATE_UNKNOWN_FORMAT  /* 400: format= names no format of this kind */
} negotiate_result;

/* The format for SELECT and ASK results. format_param (may be NULL) is a
 * name ("json", "xml", "csv", "tsv") or a media type and wins over
 * accept. *media_type is the Content-Type to send. */
negotiate_result negotiate_results(const char *accept, const char *format_param,
                                   results_format *out, const char **media_type);
/* The same for graphs (CONSTRUCT, DESCRIBE, graph store, service
 * description): names "turtle", "ntriples", "nquads", "rdfxml", "jsonld". */
negotiate_result negotiate_graph(const char *accept, const char *format_param,
                                 graph_format *out, const char **media_type);

/* The media types offered for one kind, for the body of a 406. */
const char *negotiate_offered(bool graph);

/* Whether Accept-Encoding (may be NULL) allows gzip. */
bool accepts_gzip(const char *accept_encoding);

/* The q-value accept gives type ("text/turtle"); 1 when accept is NULL or
 * empty, 0 when no range matches. */
double accept_quality(const char *accept, const char *type);

#endif
