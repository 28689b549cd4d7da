/*
 * results.h — streaming writers of SPARQL query results: SPARQL 1.1 Query
 * Results JSON, XML, CSV and TSV, and a plain text table for terminals.
 *
 * A writer is started with the variable names, then given one row at a time
 * (an array of terms, NULL = unbound) and finished; nothing is buffered
 * beyond the output FILE's own buffer, except by the table format, which
 * must see every row to size its columns. ASK results use
 * results_write_boolean.
 */
#ifndef CITYKG_SPARQL_RESULTS_H
#define CITYKG_SPARQL_RESULTS_H

#include <stdbool.h>
#include <stdio.h>

#include "term.h"

typedef enum {
    RESULTS_JSON, /* application/sparql-results+json */
    RESULTS_XML,  /* application/sparql-results+xml */
    RESULTS_CSV,  /* text/csv */
    RESULTS_TSV,  /* text/tab-separated-values */
    RESULTS_TABLE /* text for people */
} results_format;

/* The format for a name ("json", "xml", "csv", "tsv", "table"); false if
 * unknown. */
bool results_format_from_name(const char *name, results_format *out);
/* The media type of a format. */
const char *results_media_type(results_format format);

typedef struct results_writer results_writer;

/* Starts a result document. vars are copied. */
results_writer *results_begin(FILE *out, results_format format, const char *const *vars,
                              int nvars);
/* Writes one solution; terms[i] NULL means variable i is unbound. */
bool results_row(results_writer *w, const ck_term *const *terms);
/* Ends the document and frees the writer; false if writing failed. */
bool results_end(results_writer *w);

/* A whole ASK result document. */
bool results_write_boolean(FILE *out, results_format format, bool value);

#endif
