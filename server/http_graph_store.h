/*
 * http_graph_store.h — the SPARQL 1.1 Graph Store HTTP Protocol at /data.
 *
 * The graph: ?graph=IRI (indirect), ?default (the store's default graph),
 * or the request URL itself for /data/<path> (direct: http://<Host>/data/
 * <path>). GET and HEAD return it in the negotiated RDF format (Turtle by
 * default), 404 when it holds no triples (citykg keeps no empty graphs).
 * PUT replaces it, POST adds to it, DELETE removes it; POST to /data
 * without a graph creates a new graph and answers 201 with its IRI in
 * Location. Each write is one transaction: a body that does not parse
 * gives 400 naming line and column, and the graph stays as it was.
 *
 * Bodies: Turtle, N-Triples and RDF/XML by Content-Type (a graph; N-Quads
 * and TriG carry datasets and are refused with 415), gzip-compressed with
 * Content-Encoding: gzip, or multipart/form-data with one such document per
 * part. Statuses: 201 when the write created the graph, 204 otherwise.
 */
#ifndef CITYKG_SERVER_HTTP_GRAPH_STORE_H
#define CITYKG_SERVER_HTTP_GRAPH_STORE_H

#include "http_server.h"

void graph_store_handle(http_request *req);

#endif
