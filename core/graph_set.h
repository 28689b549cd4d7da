/*
 * graph_set.h — a set of graphs, as the access control hands it to the
 * query and update engines: the graphs a caller may read (or write).
 *
 * ids holds named-graph term ids sorted ascending; default_graph tells
 * whether the default graph (CK_DEFAULT_GRAPH) belongs to the set. A NULL
 * ck_graph_set pointer, where an API takes one, means "every graph".
 */
#ifndef CITYKG_CORE_GRAPH_SET_H
#define CITYKG_CORE_GRAPH_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "term.h"

typedef struct {
    const ck_id *ids;   /* sorted ascending, no duplicates */
    size_t n;
    bool default_graph; /* CK_DEFAULT_GRAPH is in the set */
} ck_graph_set;

/* Whether g is in set; a NULL set holds every graph. */
static inline bool ck_graph_set_has(const ck_graph_set *set, ck_id g)
{
    if (!set)
        return true;
    if (g == CK_DEFAULT_GRAPH)
        return set->default_graph;
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->ids[mid] < g)
            lo = mid + 1;
        else if (set->ids[mid] > g)
            hi = mid;
        else
            return true;
    }
    return false;
}

#endif
