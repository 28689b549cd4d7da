/*
 * candidate_set.h — a read-only set of term ids for membership tests by the
 * million: a semi-join's "is this subject among the index's candidates"
 * (plan.c, the value-index reducer).
 *
 * Built once from ids in any order, with duplicates. When every id has the
 * same tag (term.h: all IRIs, say) and their payloads span at most 64 times
 * as many values as there are ids, the set is a bitmap over that span: a
 * test is one bit, and 175k observation ids over a dictionary of 3M terms
 * take 370 KB, which stays in the cache where a sorted array would be
 * binary-searched through main memory. Otherwise the ids are sorted and
 * searched.
 */
#ifndef CITYKG_SPARQL_CANDIDATE_SET_H
#define CITYKG_SPARQL_CANDIDATE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "term.h"

typedef struct candidate_set candidate_set;

/* Takes ids (malloc'd, n of them; the set owns them, or frees them when it
 * makes a bitmap). NULL when out of memory (ids freed too). */
candidate_set *candidate_set_build(ck_id *ids, size_t n);
bool candidate_set_has(const candidate_set *set, ck_id id);
/* Distinct ids held, and the bytes the set takes. */
size_t candidate_set_count(const candidate_set *set);
size_t candidate_set_bytes(const candidate_set *set);
/* "bitmap" or "sorted array", for --explain. */
const char *candidate_set_kind(const candidate_set *set);
void candidate_set_free(candidate_set *set);

#endif
