/*
 * exec_object_join.c — left rows joined with a pattern (?s <p> ?o) on its
 * object by one walk of the predicate's psog range (exec_object_join_new).
 *
 * Rows binding ?o (the 10 usage concepts below "non-residential" that a
 * path found) joined with (?building c:usage ?o): one lookup per row
 * finds the matches object by object, so a star on ?building after them
 * must sort them first (197k rows in benchmark query 12). When those
 * lookups would read a large share of the predicate anyway, the walk of
 * its whole psog range reads little more, and its quads come in subject
 * order: each is kept for the left rows binding its object (a hash of the
 * left rows on ?o), and the rows come out sorted by ?s for the star to
 * merge without a sort.
 *
 * The union default graph: a triple in several graphs is one psog row per
 * graph, adjacent (g is the last column), so a repeated (s, o) is skipped.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

#define NO_ROW SIZE_MAX

typedef struct {
    exec_op base;
    exec_op *left;
    exec_pattern pattern;
    bool started;
    ck_scan *scan;
    ck_scan_batch batch;
    ck_quad last;         /* the quad taken last, for the union's repeats */
    bool have_last;
    uint64_t walked;      /* quads read, for the time limit's checks */
    /* the left rows, and a hash of them on their ?o: open addressing of
     * the distinct objects (keys, 0 = free) to the first row binding each,
     * the rows of one object chained through next in left order; rows
     * leaving ?o unbound match every quad */
    exec_rows left_rows;
    ck_id *keys;
    size_t *first, *next, mask;
    size_t *wild, n_wild;
    /* the quad being joined: the next left row to pair it with */
    const ck_quad *quad;
    size_t match;         /* in the chain of quad->o, or NO_ROW */
    size_t wild_pos;
} object_join_op;

/* The slot of object o in keys: where it is, or the free one it would take. */
static size_t object_slot(const object_join_op *j, ck_id o)
{
    size_t h = (size_t)((o * 0x9E3779B97F4A7C15ull) >> 32) & j->mask;
    while (j->keys[h] && j->keys[h] != o)
        h = (h + 1) & j->mask;
    return h;
}

/* Reads the left rows and hashes them on ?o. */
static bool read_left(object_join_op *j)
{
    exec_ctx *ctx = j->base.ctx;
    size_t w = (size_t)ctx->width;
    if (!exec_rows_read(ctx, &j->left_rows, j->left, SIZE_MAX))
        return false;
    const ck_id *rows = j->left_rows.rows;
    size_t n_rows = j->left_rows.n;
    size_t nslots = 16;
    while (nslots < 4 * n_rows) /* sparse: a probe mostly ends at its first slot */
        nslots *= 2;
    if (!exec_reserve(ctx, nslots * (sizeof(ck_id) + sizeof(size_t)) + 2 * n_rows * sizeof(size_t)))
        return false;
    j->mask = nslots - 1;
    j->keys = calloc(nslots, sizeof(ck_id));
    j->first = malloc(nslots * sizeof(size_t));
    j->next = malloc((n_rows + 1) * sizeof(size_t));
    j->wild = malloc((n_rows + 1) * sizeof(size_t));
    if (!j->keys || !j->first || !j->next || !j->wild) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    /* chained in reverse, so each chain lists its rows in left order */
    int o_slot = j->pattern.o.slot;
    for (size_t r = n_rows; r-- > 0;) {
        ck_id o = rows[r * w + (size_t)o_slot];
        if (!o)
            continue;
        size_t h = object_slot(j, o);
        j->next[r] = j->keys[h] ? j->first[h] : NO_ROW;
        j->keys[h] = o;
        j->first[h] = r;
    }
    for (size_t r = 0; r < n_rows; r++)
        if (!rows[r * w + (size_t)o_slot])
            j->wild[j->n_wild++] = r;
    return true;
}

static bool open_scan(object_join_op *j)
{
    exec_ctx *ctx = j->base.ctx;
    ck_pattern q = {.p = j->pattern.p.id, .by_subject = true};
    return ck_scan_open(ctx->txn, &q, &j->scan, &ctx->error) == CK_OK;
}

/* row = left row r with the quad's subject and object; false when r binds
 * ?s to another subject. */
static bool pair(const object_join_op *j, size_t r, const ck_quad *q, ck_id *row)
{
    size_t w = (size_t)j->base.ctx->width;
    const ck_id *left = j->left_rows.rows + r * w;
    int s = j->pattern.s.slot;
    if (left[s] && left[s] != q->s)
        return false;
    memcpy(row, left, w * sizeof(ck_id));
    row[s] = q->s;
    row[j->pattern.o.slot] = q->o;
    return true;
}

static size_t object_join_next_many(exec_op *op, ck_id *rows, size_t max)
{
    object_join_op *j = (object_join_op *)op;
    exec_ctx *ctx = op->ctx;
    size_t w = (size_t)ctx->width, n = 0;
    if (!j->started) {
        j->started = true;
        if (!read_left(j) || (j->left_rows.n && j->pattern.p.id && !open_scan(j)))
            return 0;
    }
    if (!j->scan)
        return 0; /* no left rows, or a predicate the store does not know */
    while (n < max) {
        if (j->quad) {
            /* the current quad's left rows: its object's chain, then
             * those leaving ?o unbound */
            if (j->match != NO_ROW) {
                size_t r = j->match;
                j->match = j->next[r];
                n += pair(j, r, j->quad, rows + n * w);
                continue;
            }
            if (j->wild_pos < j->n_wild) {
                n += pair(j, j->wild[j->wild_pos++], j->quad, rows + n * w);
                continue;
            }
            j->quad = NULL;
        }
        /* a walk may pass millions of quads between rows it keeps: the
         * query's time limit and cancellation are checked on the way */
        if ((++j->walked & 255) == 0 && !exec_check_now(ctx))
            break;
        const ck_quad *q = ck_scan_batch_next(j->scan, &j->batch);
        if (!q) {
            const ck_error *e = ck_scan_error(j->scan);
            if (e->code && !ctx->error.code)
                ctx->error = *e;
            break;
        }
        if (j->have_last && q->s == j->last.s && q->o == j->last.o)
            continue; /* the same triple in another graph */
        j->last = *q;
        j->have_last = true;
        size_t h = object_slot(j, q->o);
        size_t r = j->keys[h] ? j->first[h] : NO_ROW;
        if (r == NO_ROW && !j->n_wild)
            continue;
        j->quad = q;
        j->match = r;
        j->wild_pos = 0;
    }
    return n;
}

static bool object_join_next(exec_op *op, ck_id *row) { return object_join_next_many(op, row, 1) == 1; }

static void object_join_destroy(exec_op *op)
{
    object_join_op *j = (object_join_op *)op;
    exec_free(j->left);
    ck_scan_close(j->scan);
    free(j->left_rows.rows);
    free(j->keys);
    free(j->first);
    free(j->next);
    free(j->wild);
}

exec_op *exec_object_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern)
{
    object_join_op *j = exec_op_new(sizeof *j, ctx, object_join_next, object_join_destroy);
    if (!j) {
        exec_free(left);
        return NULL;
    }
    j->base.next_many = object_join_next_many;
    j->base.sorted_slot = pattern->s.slot;
    j->left = left;
    j->pattern = *pattern;
    const exec_pattern *p = pattern;
    if (ctx->readable || p->graph_mode != EXEC_GRAPH_UNION || !ck_by_subject_ready(ctx->txn) ||
        !p->s.is_var || p->p.is_var || !p->o.is_var || p->s.slot == p->o.slot)
        ck_error_set(&ctx->error, CK_ERR_INVALID,
                     "an object join walks one predicate's psog range in the union of all "
                     "graphs, unrestricted");
    return &j->base;
}
