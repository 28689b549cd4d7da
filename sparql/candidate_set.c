/*
 * candidate_set.c — a read-only set of term ids (see candidate_set.h).
 */
#include "candidate_set.h"

#include <stdint.h>
#include <stdlib.h>

/* A bitmap may span this many payload values per id held: beyond it the
 * sorted array (8 bytes per id) is smaller. */
#define BITMAP_SPAN_PER_ID 64

struct candidate_set {
    size_t count;
    /* bitmap: one bit per payload in [base, base + span) of ids tagged tag */
    uint64_t *bits;
    uint64_t base, span;
    enum ck_tag tag;
    /* otherwise: the ids sorted, without duplicates */
    ck_id *sorted;
};

/* Fills set's bitmap from ids when they allow one; false when they do not
 * (or memory is short: the sorted array is then tried). */
static bool build_bitmap(candidate_set *set, const ck_id *ids, size_t n)
{
    enum ck_tag tag = ck_id_tag(ids[0]);
    uint64_t lo = ck_id_payload(ids[0]), hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (ck_id_tag(ids[i]) != tag)
            return false;
        uint64_t p = ck_id_payload(ids[i]);
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
    }
    uint64_t span = hi - lo + 1;
    if (span / BITMAP_SPAN_PER_ID > n)
        return false;
    set->bits = calloc(span / 64 + 1, sizeof *set->bits);
    if (!set->bits)
        return false;
    set->tag = tag;
    set->base = lo;
    set->span = span;
    for (size_t i = 0; i < n; i++) {
        uint64_t off = ck_id_payload(ids[i]) - lo;
        uint64_t bit = 1ull << (off % 64);
        set->count += !(set->bits[off / 64] & bit);
        set->bits[off / 64] |= bit;
    }
    return true;
}

candidate_set *candidate_set_build(ck_id *ids, size_t n)
{
    candidate_set *set = calloc(1, sizeof *set);
    if (!set) {
        free(ids);
        return NULL;
    }
    if (n == 0 || build_bitmap(set, ids, n)) {
        free(ids);
        return set;
    }
    size_t k = ck_ids_sort_unique(ids, n);
    ck_id *fitted = realloc(ids, k * sizeof *ids); /* duplicates gone: what the set takes is what it counts */
    set->sorted = fitted ? fitted : ids;
    set->count = k;
    return set;
}

bool candidate_set_has(const candidate_set *set, ck_id id)
{
    if (set->bits) {
        uint64_t off = ck_id_payload(id) - set->base; /* wraps below base: too large */
        return ck_id_tag(id) == set->tag && off < set->span && (set->bits[off / 64] >> (off % 64) & 1);
    }
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->sorted[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->count && set->sorted[lo] == id;
}

size_t candidate_set_count(const candidate_set *set)
{
    return set->count;
}

size_t candidate_set_bytes(const candidate_set *set)
{
    return set->bits ? (size_t)(set->span / 64 + 1) * sizeof *set->bits : set->count * sizeof(ck_id);
}

const char *candidate_set_kind(const candidate_set *set)
{
    return set->bits ? "bitmap" : "sorted array";
}

void candidate_set_free(candidate_set *set)
{
    if (!set)
        return;
    free(set->bits);
    free(set->sorted);
    free(set);
}
