/*
 * loader.h — bulk load of RDF files into a store, atomically.
 *
 * raptor parses (N-Triples, N-Quads, Turtle, TriG, RDF/XML; gzip transparently;
 * "-" is stdin), the loader interns terms and hands large sorted batches to
 * the store. Parsing runs in parser threads (large N-Triples/N-Quads files
 * in parallel line ranges), interning and indexing in the caller's thread. All files of one call go into one write
 * transaction: a syntax error anywhere gives "file:line:column: message"
 * ("file:line: message" from raptor's Turtle, TriG and RDF/XML parsers,
 * which report no column) and nothing is committed. Memory is bounded by the batch size and the
 * dictionary cache budget, not by the input size.
 */
#ifndef CITYKG_LOADER_H
#define CITYKG_LOADER_H

#include "store.h"

typedef struct {
    const char *graph;     /* IRI receiving the input's default-graph triples; NULL = default graph */
    const char *format;    /* ntriples nquads turtle trig rdfxml; NULL = from the file name */
    const char *base;      /* base IRI; NULL = the file's file: URI */
    size_t batch_quads;    /* quads per index batch; 0 = default */
    /* Called about every second on long loads; may be NULL. */
    void (*progress)(void *ctx, uint64_t quads_read, double seconds);
    void *progress_ctx;
} ck_load_options;

typedef struct {
    uint64_t quads_read;   /* statements parsed */
    uint64_t quads_added;  /* new quads (duplicates not counted) */
    double seconds;
} ck_load_result;

/* The raptor parser name for a format or file name ("x.ttl.gz" -> "turtle"),
 * or NULL if unknown. */
const char *ck_format_from_name(const char *format_or_filename);

ck_status ck_load_files(ck_store *store, const char *const *files, int nfiles,
                        const ck_load_options *options, ck_load_result *result, ck_error *err);

/* Parses files into an open write transaction without committing; used by
 * ck_load_files and by callers that combine a load with other changes. */
ck_status ck_load_into(ck_txn *txn, const char *const *files, int nfiles,
                       const ck_load_options *options, ck_load_result *result, ck_error *err);

/* Parses files with every check and message of ck_load_into but stores
 * nothing and needs no store: result->quads_read counts the statements.
 * For validating input before it is saved (the web UI's Turtle editor). */
ck_status ck_parse_check(const char *const *files, int nfiles, const ck_load_options *options,
                         ck_load_result *result, ck_error *err);

#endif
