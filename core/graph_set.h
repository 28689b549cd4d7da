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

/* Writes to out (room for n) the ids of list that are in set, sorted
 * ascending without duplicates, and returns how many: a list of graphs
 * (FROM <a> FROM <b>) narrowed to those a caller may read, as a set's ids. */
static inline size_t ck_graph_set_filter(const ck_graph_set *set, const ck_id *list, size_t n,
                                         ck_id *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        ck_id g = list[i];
        if (g == CK_DEFAULT_GRAPH || !ck_graph_set_has(set, g))
            continue;
        size_t at = k; /* insertion sort: FROM lists are short */
        while (at > 0 && out[at - 1] > g)
            at--;
        if (at > 0 && out[at - 1] == g)
            continue;
        for (size_t j = k; j > at; j--)
            out[j] = out[j - 1];
        out[at] = g;
        k++;
    }
    return k;
}

#endif
