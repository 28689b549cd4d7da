/*
 * http_upload.h — RDF request bodies as files for the bulk loader
 * (core/loader.h reads files and tells their format from the name).
 *
 * The body is written to a private temporary directory (mkdtemp under
 * $TMPDIR) as body.ttl / body.nt / body.rdf after its Content-Type, with
 * ".gz" added for Content-Encoding: gzip; a multipart/form-data body gives
 * one file per part (part1.ttl, ...), typed by the part's Content-Type or
 * file name. Quad formats (N-Quads, TriG) are refused: the graph store
 * takes graphs.
 */
#ifndef CITYKG_SERVER_HTTP_UPLOAD_H
#define CITYKG_SERVER_HTTP_UPLOAD_H

#include <stddef.h>

#include "http_server.h"

typedef struct {
    char *dir;
    char **files;
    size_t n;
} upload_files;

/* Writes req's body into files. On failure *status is the HTTP status to
 * answer (400, 415, 500) and err says why; nothing is left on disk. */
ck_status upload_spool(http_request *req, upload_files *out, unsigned *status, ck_error *err);
/* Removes the files and the directory, frees u. */
void upload_cleanup(upload_files *u);
/* Replaces the temporary directory in a loader message by nothing, so that
 * it says "body.ttl:3:7: ..." as the client knows it. */
void upload_clean_message(const upload_files *u, char *message);

#endif
