/*
 * dump.h — write the store (or one graph) as RDF text through raptor's
 * serializers. Load -> dump -> load gives an isomorphic dataset with the same
 * terms; blank nodes are written as _:b<number>. Turtle and TriG are written
 * in their N-Triples subset (one statement per line), see dump.c for why.
 */
#ifndef CITYKG_DUMP_H
#define CITYKG_DUMP_H

#include <stdio.h>
#include "store.h"

/* format: nquads (default when NULL), trig, turtle, ntriples.
 * graph: NULL = every graph; "default" or an IRI = that graph only.
 * Turtle and N-Triples hold one graph: with named graphs present they need
 * a graph to be chosen (CK_ERR_INVALID otherwise, before anything is
 * written). *written (may be NULL) receives the number of statements. */
ck_status ck_dump(ck_txn *txn, FILE *out, const char *format, const char *graph,
                  uint64_t *written, ck_error *err);

#endif
