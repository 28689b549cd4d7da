/*
 * termspace.h — the ids a query works with: store ids plus query-local ids
 * for terms the query computes (BIND, SELECT expressions, aggregates,
 * VALUES terms the store does not hold).
 *
 * Rows compare ids, so one term must have one id: termspace_intern gives
 * the store's id when the store knows the term (or can inline it), and
 * otherwise a local id, the same one each time for the same term. Local ids
 * carry tag SPARQL_TAG_LOCAL (never used by the store) and live as long as
 * the termspace.
 */
#ifndef CITYKG_SPARQL_TERMSPACE_H
#define CITYKG_SPARQL_TERMSPACE_H

#include "store.h"

#define SPARQL_TAG_LOCAL 15

typedef struct termspace termspace;

termspace *termspace_new(ck_txn *txn);
/* Adds the bytes of every computed term kept from now on to *bytes (the
 * query's memory use, checked against its budget). */
void termspace_charge_to(termspace *ts, uint64_t *bytes);
/* Labels the store's blank nodes b0, b1, ... in the order they are first
 * resolved, instead of by their store-wide numbers (for callers restricted
 * to some graphs: the numbers would count blank nodes of other graphs). */
void termspace_label_blanks_per_query(termspace *ts);
void termspace_free(termspace *ts);

/* The id of term (0 with err filled on failure). Blank nodes are local
 * terms by label. */
ck_id termspace_intern(termspace *ts, const ck_term *term, ck_error *err);

/* The term of an id. The term borrows from the store snapshot, from the
 * termspace, or from buf (inline values): valid while all three live. */
ck_status termspace_resolve(termspace *ts, ck_id id, ck_term *term, ck_term_buf *buf,
                            ck_error *err);

#endif
