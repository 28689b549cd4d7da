/*
 * exec_count.c — GROUP BY over an index join that only counts (exec.h).
 *
 * "Instances per class" joins a few classes with their rdf:type triples
 * and counts: an index join would make one row per instance (281k at 10M
 * triples) for the group to count. Here each left row's matches are
 * counted instead, and the count goes to the left row's group: the first
 * few through a scan (a short range), the rest of a long range in the
 * index (ck_count_matches reads whole blocks by their restart tables).
 */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    exec_op base;
    exec_op *left;
    exec_pattern pattern;
    int n_keys, n_counts;
    int *key_from, *key_to, *count_to;
    ck_id *left_row;
    ck_scan *scan;      /* lookups, kept between left rows */
    /* the groups in order of first appearance: n_keys ids and a count each */
    ck_id *keys;
    uint64_t *counts;
    size_t n, cap;
    size_t *slots;      /* hash table: group number + 1, 0 = free */
    size_t nslots;
    bool grouped;       /* all left rows read */
    size_t pos;         /* next group to emit */
} count_group_op;

/* The id a position is fixed to by a constant or the left row (0: free);
 * *unknown when a constant is a term the store does not hold. */
static ck_id fixed_id(const exec_slot *slot, const ck_id *row, bool *unknown)
{
    if (slot->is_var)
        return row[slot->slot];
    if (!slot->id)
        *unknown = true;
    return slot->id;
}

/* Matches a lookup reads one by one before it counts the rest of its
 * range in the index instead: short ranges (one label per building) cost
 * less through the scan, which seeks in the block it has loaded when the
 * left rows come in index order; long ones (all instances of a class)
 * cost a few blocks' restart tables. */
#define SCAN_FIRST 64

/* Matches of the pattern under the left row's bindings, as the index
 * join's cursor would produce them. False on a store error. */
static bool count_matches(count_group_op *c, const ck_id *row, uint64_t *n)
{
    exec_ctx *ctx = c->base.ctx;
    const exec_pattern *p = &c->pattern;
    bool unknown = false;
    ck_pattern q = {0};
    q.s = fixed_id(&p->s, row, &unknown);
    q.p = fixed_id(&p->p, row, &unknown);
    q.o = fixed_id(&p->o, row, &unknown);
    if (p->graph_mode == EXEC_GRAPH_DEFAULT) {
        q.g = CK_DEFAULT_GRAPH;
        q.g_bound = true;
    } else if (p->graph_mode == EXEC_GRAPH_NAMED && !p->g.is_var) {
        q.g = fixed_id(&p->g, row, &unknown);
        q.g_bound = true;
    } else if (p->graph_mode != EXEC_GRAPH_UNION) {
        ck_error_set(&ctx->error, CK_ERR_INVALID, "counting join: graph mode %d not supported",
                     (int)p->graph_mode);
        return false;
    }
    *n = 0;
    if (unknown)
        return true;
    ck_status st = c->scan ? ck_scan_reset(ctx->txn, c->scan, &q, &ctx->error)
                           : ck_scan_open(ctx->txn, &q, &c->scan, &ctx->error);
    if (st)
        return false;
    /* the union of all graphs: a triple in several graphs is one match */
    bool merge = p->graph_mode == EXEC_GRAPH_UNION;
    ck_quad m, last = {0};
    uint64_t read = 0;
    while (read < SCAN_FIRST && ck_scan_next(c->scan, &m)) {
        read++;
        /* g is last in the permutations used without it: copies adjacent */
        if (merge && *n && m.s == last.s && m.p == last.p && m.o == last.o)
            continue;
        last = m;
        (*n)++;
    }
    if (ck_scan_error(c->scan)->code) {
        ctx->error = *ck_scan_error(c->scan);
        return false;
    }
    return read < SCAN_FIRST || ck_count_matches(ctx->txn, &q, merge, n, &ctx->error) == CK_OK;
}

/* Doubles the groups and rehashes them. */
static bool groups_grow(count_group_op *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 64, nslots = ncap * 2, nk = (size_t)c->n_keys;
    if (!exec_reserve(c->base.ctx, (ncap - c->cap) * (nk * sizeof(ck_id) + sizeof(uint64_t) +
                                                      2 * sizeof(size_t))))
        return false;
    ck_id *keys = realloc(c->keys, ncap * (nk ? nk : 1) * sizeof(ck_id));
    if (keys)
        c->keys = keys;
    uint64_t *counts = realloc(c->counts, ncap * sizeof(uint64_t));
    if (counts)
        c->counts = counts;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!keys || !counts || !slots) {
        free(slots);
        ck_error_set(&c->base.ctx->error, CK_ERR_NOMEM, "out of memory for GROUP BY");
        return false;
    }
    for (size_t i = 0; i < c->n; i++) {
        size_t j = ck_hash_bytes(c->keys + i * nk, nk * sizeof(ck_id), 7) & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = i + 1;
    }
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
    c->cap = ncap;
    return true;
}

/* Adds n rows to the group of key (n_keys ids), made if new. */
static bool group_add(count_group_op *c, const ck_id *key, uint64_t n)
{
    size_t nk = (size_t)c->n_keys;
    if (c->n == c->cap && !groups_grow(c))
        return false;
    size_t j = ck_hash_bytes(key, nk * sizeof(ck_id), 7) & (c->nslots - 1);
    while (c->slots[j] && memcmp(c->keys + (c->slots[j] - 1) * nk, key, nk * sizeof(ck_id)))
        j = (j + 1) & (c->nslots - 1);
    if (!c->slots[j]) {
        memcpy(c->keys + c->n * nk, key, nk * sizeof(ck_id));
        c->counts[c->n] = 0;
        c->slots[j] = ++c->n;
    }
    c->counts[c->slots[j] - 1] += n;
    return true;
}

static bool read_groups(count_group_op *c)
{
    exec_ctx *ctx = c->base.ctx;
    ck_id key[EXEC_COUNT_MAX_KEYS + 1] = {0};
    if (c->n_keys == 0 && !group_add(c, key, 0))
        return false; /* without GROUP BY: one group, even for no rows */
    while (exec_next(c->left, c->left_row)) {
        uint64_t n;
        if (!count_matches(c, c->left_row, &n))
            return false;
        if (n == 0)
            continue; /* no joined row: no group */
        for (int k = 0; k < c->n_keys; k++)
            key[k] = c->left_row[c->key_from[k]];
        if (!group_add(c, key, n))
            return false;
    }
    return !ctx->error.code;
}

/* The xsd:integer id of n (inline, as the plain group would intern it). */
static ck_id count_id(exec_ctx *ctx, uint64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    ck_term t = {CK_TERM_LITERAL, digits, (size_t)len, CK_XSD_INTEGER,
                 sizeof CK_XSD_INTEGER - 1, NULL, 0};
    ck_id id = 0;
    if (!ck_term_try_inline(&t, &id))
        ck_error_set(&ctx->error, CK_ERR_INVALID, "count %s too large", digits);
    return id;
}

static bool count_group_next(exec_op *op, ck_id *row)
{
    count_group_op *c = (count_group_op *)op;
    if (!c->grouped) {
        c->grouped = true;
        if (!read_groups(c))
            return false;
    }
    if (c->pos >= c->n)
        return false;
    size_t i = c->pos++;
    memset(row, 0, (size_t)op->ctx->width * sizeof(ck_id));
    for (int k = 0; k < c->n_keys; k++)
        if (c->key_to[k] >= 0)
            row[c->key_to[k]] = c->keys[i * (size_t)c->n_keys + (size_t)k];
    ck_id id = count_id(op->ctx, c->counts[i]);
    for (int a = 0; a < c->n_counts; a++)
        row[c->count_to[a]] = id;
    return !op->ctx->error.code;
}

static void count_group_destroy(exec_op *op)
{
    count_group_op *c = (count_group_op *)op;
    exec_free(c->left);
    ck_scan_close(c->scan);
    free(c->key_from);
    free(c->key_to);
    free(c->count_to);
    free(c->left_row);
    free(c->keys);
    free(c->counts);
    free(c->slots);
}

static int *copy_slots(const int *slots, int n)
{
    int *out = malloc(((size_t)n + 1) * sizeof *out);
    if (out && n)
        memcpy(out, slots, (size_t)n * sizeof *out);
    return out;
}

exec_op *exec_count_group_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern,
                              const exec_count_group *spec)
{
    count_group_op *c = exec_op_new(sizeof *c, ctx, count_group_next, count_group_destroy);
    if (!c) {
        exec_free(left);
        return NULL;
    }
    c->left = left;
    c->pattern = *pattern;
    c->n_keys = spec->n_keys;
    c->n_counts = spec->n_counts;
    c->key_from = copy_slots(spec->key_from, spec->n_keys);
    c->key_to = copy_slots(spec->key_to, spec->n_keys);
    c->count_to = copy_slots(spec->count_to, spec->n_counts);
    c->left_row = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    if (spec->n_keys > EXEC_COUNT_MAX_KEYS && !ctx->error.code)
        ck_error_set(&ctx->error, CK_ERR_INVALID, "counting join: more than %d keys",
                     EXEC_COUNT_MAX_KEYS);
    if (!left || !c->key_from || !c->key_to || !c->count_to || !c->left_row || ctx->error.code) {
        if (!ctx->error.code)
            ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        exec_free(&c->base);
        return NULL;
    }
    return &c->base;
}
