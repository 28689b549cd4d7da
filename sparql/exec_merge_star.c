/*
 * exec_merge_star.c — the star join over psog (exec_merge_star_new).
 *
 * A star (?s p_1 ?o_1) ... (?s p_n ?o_n) joined to left rows sorted by ?s:
 * one psog scan per predicate, each over the predicate's whole range and
 * so in subject order, moves forward with the left rows. For each left
 * subject every scan steps (or, far behind, skips) to that subject and
 * collects its objects; a subject missing from one range has no match.
 *
 * Why: exec_star_join_new seeks each subject in spog and decodes every
 * triple of it (a city building has ~12) to find the 2-4 the query needs;
 * here only the needed predicates' rows are decoded, and no seek is made
 * while the left rows cover the ranges densely.
 *
 * The union default graph: a triple in several graphs is one psog row per
 * graph, adjacent (g is the last column), so a repeated (s, o) within a
 * range is skipped, as spog scans do.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

/* Rows a scan steps over one by one before it skips by a seek instead:
 * a seek costs about as much as decoding a few rows. */
#define STEPS_BEFORE_SKIP 8

typedef struct {
    ck_scan *scan;
    /* quads decoded ahead (ck_scan_batch): a batch costs a few nanoseconds
     * a row where one call per row through the scan's layers cost about
     * fifteen; batch.quads[batch.pos] is the next quad not yet taken */
    ck_scan_batch batch;
    bool done;         /* the range is exhausted */
    ck_id *vals;       /* the current subject's objects */
    size_t n, cap;
    size_t idx;        /* odometer position while emitting */
} star_range;

typedef struct {
    exec_op base;
    exec_op *left;
    exec_star star;
    star_range ranges[EXEC_STAR_MAX];
    ck_id *left_rows;  /* a batch of left rows (EXEC_BATCH) */
    size_t left_n, left_pos;
    const ck_id *left_row; /* the one being joined, in left_rows */
    ck_id subject;     /* whose objects the ranges hold (0: none) */
    bool matched;      /* every range had an object for subject */
    bool emitting;
    bool exhausted;    /* a range ended: no later subject matches */
    bool opened;       /* the scans are open */
} merge_star_op;

/* Refills range r's batch; false at the range's end (passing on its
 * scan's error). */
static bool range_refill(merge_star_op *m, star_range *r)
{
    r->batch.pos = 0;
    r->batch.n = r->done ? 0 : ck_scan_next_many(r->scan, r->batch.quads, CK_SCAN_BATCH);
    if (r->batch.n)
        return true;
    r->done = true;
    exec_ctx *ctx = m->base.ctx;
    const ck_error *e = ck_scan_error(r->scan);
    if (e->code && !ctx->error.code)
        ctx->error = *e;
    return false;
}

/* Opens range i's psog scan over its predicate's whole range. */
static bool range_open(merge_star_op *m, int i)
{
    exec_ctx *ctx = m->base.ctx;
    ck_pattern q = {.p = m->star.p[i], .by_subject = true};
    if (ck_scan_open(ctx->txn, &q, &m->ranges[i].scan, &ctx->error) != CK_OK)
        return false;
    return range_refill(m, &m->ranges[i]) || !ctx->error.code;
}

/* Appends o to r's objects. */
static bool range_push(merge_star_op *m, star_range *r, ck_id o)
{
    if (r->n == r->cap) {
        exec_ctx *ctx = m->base.ctx;
        size_t ncap = r->cap ? r->cap * 2 : 4;
        ck_id *nv = exec_reserve(ctx, (ncap - r->cap) * sizeof(ck_id))
                        ? realloc(r->vals, ncap * sizeof(ck_id))
                        : NULL;
        if (!nv) {
            if (!ctx->error.code)
                ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
            return false;
        }
        r->vals = nv;
        r->cap = ncap;
    }
    r->vals[r->n++] = o;
    return true;
}

/* Collects range r's objects of subject s, stepping over (or, far behind,
 * skipping) the subjects before it; false when it has none (or on an
 * error). Copies of a triple in several graphs are adjacent. The batch is
 * walked through locals: this loop runs for every quad of every range. */
static bool range_collect(merge_star_op *m, star_range *r, ck_id s)
{
    ck_scan_batch *b = &r->batch;
    size_t stepped = 0;
    bool skipped = false;
    r->n = 0;
    while (b->n) {
        const ck_quad *q = b->quads;
        size_t pos = b->pos, n = b->n;
        size_t from = pos;
        while (pos < n && q[pos].s < s)
            pos++;
        stepped += pos - from;
        for (; pos < n && q[pos].s == s; pos++)
            if (!(r->n && r->vals[r->n - 1] == q[pos].o) && !range_push(m, r, q[pos].o))
                return false;
        b->pos = pos;
        if (pos < n)
            break; /* a later subject is next */
        /* rows decoded already were stepped over; the scan skips past the
         * rest only once, and not while s's objects may go on */
        if (!r->n && !skipped && stepped >= STEPS_BEFORE_SKIP) {
            if (ck_scan_skip_to_subject(r->scan, s, &m->base.ctx->error) != CK_OK)
                return false;
            skipped = true;
        }
        if (!range_refill(m, r))
            break;
    }
    if (r->done && !r->n)
        m->exhausted = true;
    return r->n > 0 && !m->base.ctx->error.code;
}

/* Finds every range's objects of subject s; true when each has some. */
static bool star_match(merge_star_op *m, ck_id s)
{
    if (s == m->subject) /* left rows repeating a subject */
        return m->matched;
    if (s < m->subject) { /* the scans only move forward */
        ck_error_set(&m->base.ctx->error, CK_ERR_INVALID,
                     "internal error: a psog star join's left rows are not sorted by subject");
        return false;
    }
    m->subject = s;
    m->matched = false;
    for (int i = 0; i < m->star.n; i++)
        if (!range_collect(m, &m->ranges[i], s))
            return false;
    m->matched = true;
    return true;
}

/* The next left row, from a batch of them; NULL at the end. */
static const ck_id *left_next(merge_star_op *m)
{
    size_t w = (size_t)m->base.ctx->width;
    if (m->left_pos == m->left_n) {
        m->left_n = exec_next_many(m->left, m->left_rows, EXEC_BATCH);
        m->left_pos = 0;
        if (!m->left_n)
            return NULL;
    }
    return m->left_rows + m->left_pos++ * w;
}

static size_t merge_star_next_many(exec_op *op, ck_id *rows, size_t max)
{
    merge_star_op *m = (merge_star_op *)op;
    const exec_star *st = &m->star;
    size_t w = (size_t)op->ctx->width, n = 0;
    if (!m->opened) {
        m->opened = true;
        for (int i = 0; i < st->n; i++)
            if (!range_open(m, i))
                return 0;
    }
    while (n < max) {
        if (m->emitting) {
            ck_id *row = rows + n++ * w;
            memcpy(row, m->left_row, sizeof(ck_id) * w);
            for (int i = 0; i < st->n; i++)
                row[st->o_slot[i]] = m->ranges[i].vals[m->ranges[i].idx];
            /* the next combination: an odometer over the object lists */
            int i = st->n - 1;
            while (i >= 0 && ++m->ranges[i].idx == m->ranges[i].n)
                m->ranges[i--].idx = 0;
            m->emitting = i >= 0;
            continue;
        }
        if (m->exhausted || op->ctx->error.code || !(m->left_row = left_next(m)))
            break;
        ck_id s = m->left_row[st->s_slot];
        if (s && star_match(m, s)) {
            for (int i = 0; i < st->n; i++)
                m->ranges[i].idx = 0;
            m->emitting = true;
        }
    }
    return n;
}

static bool merge_star_next(exec_op *op, ck_id *row) { return merge_star_next_many(op, row, 1) == 1; }

static void merge_star_destroy(exec_op *op)
{
    merge_star_op *m = (merge_star_op *)op;
    exec_free(m->left);
    free(m->left_rows);
    for (int i = 0; i < m->star.n; i++) {
        ck_scan_close(m->ranges[i].scan);
        free(m->ranges[i].vals);
    }
}

exec_op *exec_merge_star_new(exec_ctx *ctx, exec_op *left, const exec_star *star)
{
    merge_star_op *m = exec_op_new(sizeof *m, ctx, merge_star_next, merge_star_destroy);
    if (!m) {
        exec_free(left);
        return NULL;
    }
    m->base.next_many = merge_star_next_many;
    m->left = left;
    m->star = *star;
    m->left_rows = calloc((size_t)ctx->width * EXEC_BATCH + 1, sizeof(ck_id));
    if (!m->left_rows)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
    if (ctx->readable || star->graph_mode != EXEC_GRAPH_UNION || !ck_by_subject_ready(ctx->txn))
        ck_error_set(&ctx->error, CK_ERR_INVALID,
                     "a psog star join reads the union of all graphs, unrestricted");
    return &m->base;
}
