/*
 * exec.c — physical operators over rows of ids (see exec.h).
 *
 * Each operator is a struct whose first member is exec_op; next() produces
 * one row at a time. Joins compare ids only: two rows are compatible when
 * every slot bound in both holds the same id.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void *exec_op_new(size_t size, exec_ctx *ctx, bool (*next)(exec_op *, ck_id *),
                    void (*destroy)(exec_op *))
{
    exec_op *op = calloc(1, size);
    if (!op) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return NULL;
    }
    op->next = next;
    op->destroy = destroy;
    op->ctx = ctx;
    op->sorted_slot = -1;
    return op;
}

/* The coarse clock (a few milliseconds' resolution, ample for query time
 * limits) is read without the TSC: checking it every 16th row cost 5 % of
 * a 281k-row star join with the precise clock. */
static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t exec_time_left_ms(const exec_ctx *ctx)
{
    if (!ctx->deadline_ns)
        return 0;
    uint64_t now = now_ns();
    return now >= ctx->deadline_ns ? 1 : (ctx->deadline_ns - now) / 1000000u + 1;
}

void exec_set_timeout(exec_ctx *ctx, uint64_t timeout_ms)
{
    ctx->timeout_ms = timeout_ms;
    ctx->deadline_ns = timeout_ms ? now_ns() + timeout_ms * 1000000u : 0;
}

bool exec_reserve(exec_ctx *ctx, size_t bytes)
{
    ctx->memory_used += bytes;
    if (ctx->memory_limit && ctx->memory_used > ctx->memory_limit) {
        if (!ctx->error.code)
            ck_error_set(&ctx->error, CK_ERR_FULL,
                         "query needs more than its memory budget of %llu MiB",
                         (unsigned long long)(ctx->memory_limit >> 20));
        return false;
    }
    return true;
}

bool exec_check_now(exec_ctx *ctx)
{
    ctx->checks |= 15; /* the next exec_check reads the clock */
    return exec_check(ctx);
}

bool exec_check(exec_ctx *ctx)
{
    if (ctx->error.code)
        return false;
    if (ctx->cancelled && *ctx->cancelled) {
        ck_error_set(&ctx->error, CK_ERR_CANCELLED, "query cancelled");
        return false;
    }
    if (ctx->memory_limit && ctx->memory_used > ctx->memory_limit)
        return exec_reserve(ctx, 0); /* computed terms took it over (termspace) */
    /* every 16th call: a row can take long (nested REPLACE over a long
     * string), and reading the clock costs some 20 ns */
    if (ctx->deadline_ns && (++ctx->checks & 15) == 0 && now_ns() > ctx->deadline_ns) {
        ck_error_set(&ctx->error, CK_ERR_CANCELLED, "query exceeded its time limit of %llu ms",
                     (unsigned long long)ctx->timeout_ms);
        return false;
    }
    return true;
}

bool exec_next(exec_op *op, ck_id *row)
{
    if (!op || !exec_check(op->ctx))
        return false;
    if (!op->next(op, row))
        return false;
    op->rows_out++;
    return true;
}

size_t exec_next_many(exec_op *op, ck_id *rows, size_t max)
{
    if (!op || op->ended || !exec_check(op->ctx))
        return 0;
    size_t n = 0;
    if (op->next_many) {
        n = op->next_many(op, rows, max);
    } else {
        /* one at a time; not asked again once it said none (an operator
         * need not answer next after its end) */
        size_t w = (size_t)op->ctx->width;
        while (n < max && op->next(op, rows + n * w))
            n++;
        op->ended = n < max;
    }
    op->rows_out += n;
    return n;
}

bool exec_rows_reserve(exec_ctx *ctx, exec_rows *b, size_t extra)
{
    size_t w = (size_t)(ctx->width ? ctx->width : 1);
    if (b->n + extra <= b->cap)
        return true;
    size_t ncap = b->cap ? b->cap * 2 : 16;
    while (ncap < b->n + extra)
        ncap *= 2;
    if (!exec_reserve(ctx, (ncap - b->cap) * w * sizeof(ck_id)))
        return false;
    ck_id *nr = realloc(b->rows, ncap * w * sizeof(ck_id));
    if (!nr) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    b->rows = nr;
    b->cap = ncap;
    return true;
}

bool exec_rows_push(exec_ctx *ctx, exec_rows *b, const ck_id *row)
{
    size_t w = (size_t)(ctx->width ? ctx->width : 1);
    if (!exec_rows_reserve(ctx, b, 1))
        return false;
    memcpy(b->rows + b->n++ * w, row, w * sizeof(ck_id));
    return true;
}

bool exec_rows_read(exec_ctx *ctx, exec_rows *b, exec_op *input, size_t max)
{
    size_t w = (size_t)(ctx->width ? ctx->width : 1);
    while (b->n < max) {
        size_t want = max - b->n < EXEC_BATCH ? max - b->n : EXEC_BATCH;
        if (!exec_rows_reserve(ctx, b, want))
            return false;
        size_t got = exec_next_many(input, b->rows + b->n * w, want);
        if (!got)
            break;
        b->n += got;
    }
    return !ctx->error.code;
}

void exec_free(exec_op *op)
{
    if (op) {
        op->destroy(op);
        free(op);
    }
}

uint64_t exec_rows_out(const exec_op *op) { return op ? op->rows_out : 0; }

static bool compatible(const ck_id *a, const ck_id *b, int width)
{
    for (int i = 0; i < width; i++)
        if (a[i] && b[i] && a[i] != b[i])
            return false;
    return true;
}

/* out = a merged with b (the rows are compatible). */
static void merge_rows(ck_id *out, const ck_id *a, const ck_id *b, int width)
{
    for (int i = 0; i < width; i++)
        out[i] = a[i] ? a[i] : b[i];
}

bool exec_graph_accepts(exec_graph_mode mode, const ck_id *set, size_t n, ck_id g)
{
    switch (mode) {
    case EXEC_GRAPH_NAMED:
        return g != CK_DEFAULT_GRAPH; /* GRAPH ranges over named graphs only */
    case EXEC_GRAPH_SET:
        for (size_t i = 0; i < n; i++)
            if (set[i] == g)
                return true;
        return false;
    default:
        return true;
    }
}

/* ---- pattern cursor: one pattern, with some slots already bound ---------- */

/* ---- lookup memo: the matches of earlier lookups of an index join ------- */

/* An index join whose left rows bind few distinct values (the district of
 * each building, the class of each instance) looks the same pattern up
 * again and again. The memo keeps the matching quads of lookups with at
 * most MEMO_MAX_MATCHES matches, so a repeat costs a hash probe instead of
 * an index seek. It turns itself off when the first MEMO_TRIAL lookups
 * repeated rarely (keys that are all distinct), and stops growing at
 * MEMO_MAX_KEYS lookups or MEMO_MAX_QUADS quads. */
#define MEMO_MAX_KEYS 1024 /* small: a memo made per EXISTS or MINUS probe stays cheap */
#define MEMO_SLOTS (2 * MEMO_MAX_KEYS) /* open addressing, at most half full */
#define MEMO_MAX_MATCHES 32
#define MEMO_MAX_QUADS 16384
#define MEMO_TRIAL 1024
#define MEMO_FIRST 16 /* lookups before the memo is made */

typedef struct {
    ck_pattern key;
    uint32_t first, n; /* the matches: quads[first .. first + n) */
    bool used;
} memo_entry;

typedef struct {
    memo_entry *slots;          /* MEMO_SLOTS, allocated at the first lookup */
    ck_quad *quads;             /* MEMO_MAX_QUADS */
    size_t n_keys, n_quads;
    uint64_t lookups, hits;
    bool off;
    const memo_entry *replay;   /* the lookup being answered from the memo */
    uint32_t replay_pos;
    bool recording;             /* the lookup being scanned is being kept */
    ck_pattern rec_key;
    size_t rec_first;
} lookup_memo;

static uint64_t memo_hash(const ck_pattern *q)
{
    uint64_t h = q->s * 0x9E3779B97F4A7C15ull;
    h = (h ^ q->p) * 0xC2B2AE3D27D4EB4Full;
    h = (h ^ q->o) * 0x165667B19E3779F9ull;
    h = (h ^ q->g ^ (uint64_t)q->g_bound) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static bool memo_key_equal(const ck_pattern *a, const ck_pattern *b)
{
    return a->s == b->s && a->p == b->p && a->o == b->o && a->g == b->g &&
           a->g_bound == b->g_bound;
}

/* The slot holding key, or the empty slot where it would go. */
static memo_entry *memo_slot(lookup_memo *m, const ck_pattern *key)
{
    size_t i = (size_t)memo_hash(key) & (MEMO_SLOTS - 1);
    while (m->slots[i].used && !memo_key_equal(&m->slots[i].key, key))
        i = (i + 1) & (MEMO_SLOTS - 1);
    return &m->slots[i];
}

static void memo_free(lookup_memo *m)
{
    free(m->slots);
    free(m->quads);
    m->slots = NULL;
    m->quads = NULL;
    m->replay = NULL;
    m->recording = false;
}

/* Starts a lookup of key: true when the memo answers it (m->replay set);
 * otherwise the scan's matches are recorded if there is room. */
static bool memo_begin(lookup_memo *m, exec_ctx *ctx, const ck_pattern *key)
{
    if (m->off)
        return false;
    if (m->lookups == MEMO_TRIAL && m->hits * 4 < m->lookups) {
        m->off = true; /* few repeats: the memo would only cost */
        memo_free(m);
        return false;
    }
    if (m->recording)
        m->n_quads = m->rec_first; /* the last lookup was left before its end */
    m->replay = NULL;
    m->recording = false;
    if (m->lookups < MEMO_FIRST) {
        m->lookups++; /* a join with a handful of left rows (one EXISTS probe) gains nothing */
        return false;
    }
    if (!m->slots) {
        /* lookups work without the memo: no memory, no error */
        size_t bytes = MEMO_SLOTS * sizeof(memo_entry) + MEMO_MAX_QUADS * sizeof(ck_quad);
        bool room = !ctx->memory_limit || ctx->memory_used + bytes <= ctx->memory_limit;
        m->slots = room ? calloc(MEMO_SLOTS, sizeof(memo_entry)) : NULL;
        m->quads = m->slots ? malloc(MEMO_MAX_QUADS * sizeof(ck_quad)) : NULL;
        if (!m->quads) {
            memo_free(m);
            m->off = true;
            return false;
        }
        ctx->memory_used += bytes;
    }
    m->lookups++;
    const memo_entry *e = memo_slot(m, key);
    if (e->used) {
        m->hits++;
        m->replay = e;
        m->replay_pos = 0;
        return true;
    }
    m->recording = m->n_keys < MEMO_MAX_KEYS;
    m->rec_key = *key;
    m->rec_first = m->n_quads;
    return false;
}

/* Keeps one match of the lookup being recorded. */
static void memo_record(lookup_memo *m, const ck_quad *q)
{
    if (!m->recording)
        return;
    if (m->n_quads - m->rec_first == MEMO_MAX_MATCHES || m->n_quads == MEMO_MAX_QUADS) {
        m->recording = false; /* too many matches to keep */
        m->n_quads = m->rec_first;
        return;
    }
    m->quads[m->n_quads++] = *q;
}

/* The lookup being recorded has found all its matches. */
static void memo_finish(lookup_memo *m)
{
    if (!m->recording)
        return;
    m->recording = false;
    memo_entry *e = memo_slot(m, &m->rec_key);
    e->key = m->rec_key;
    e->first = (uint32_t)m->rec_first;
    e->n = (uint32_t)(m->n_quads - m->rec_first);
    e->used = true;
    m->n_keys++;
}

/* ---- pattern cursor: one pattern, with some slots already bound ---------- */

typedef struct {
    exec_ctx *ctx;
    exec_pattern pattern;
    ck_scan *scan;
    ck_id *base;        /* the bindings the scan started from */
    bool empty;         /* a constant is unknown to the store: no matches */
    bool dedupe;        /* union default graph: skip repeats of (s, p, o) */
    ck_quad last;
    bool have_last;
    lookup_memo *memo;  /* NULL: every lookup scans */
    /* for a restricted caller, the graphs an "any graph" scan reads
     * (ck_pattern.graphs): the readable ones of the graph mode */
    const ck_graph_set *scan_graphs;
    ck_graph_set own_graphs; /* scan_graphs when made here (ids owned for a FROM set) */
    /* the scan's quads decoded ahead (ck_scan_batch) once it has returned
     * CURSOR_BATCH_AFTER of them since its seek: long walks decode in
     * batches (queries 12, 19, 20: 5-12 % faster), lookups and short scans
     * stay one quad at a time (batching the 500-row scan of query 05 from
     * its 64th row made it 10 % slower) */
    ck_scan_batch *batch;
    size_t taken;
} pattern_cursor;

#define CURSOR_BATCH_AFTER 512

/* The id a position is fixed to by constants or the bindings, or 0. */
static ck_id fixed_id(const exec_slot *slot, const ck_id *bindings, bool *unknown)
{
    if (!slot->is_var) {
        if (slot->id == 0)
            *unknown = true;
        return slot->id;
    }
    return bindings[slot->slot];
}

/* Points the cursor at the pattern's matches under bindings, reusing its
 * scan (and LMDB cursor) when it has one. */
static bool cursor_seek(pattern_cursor *c, const ck_id *bindings)
{
    const exec_pattern *p = &c->pattern;
    memcpy(c->base, bindings, sizeof(ck_id) * (size_t)c->ctx->width);
    c->empty = false;
    c->have_last = false;
    c->taken = 0;
    if (c->batch)
        c->batch->n = c->batch->pos = 0;
    bool unknown = false;
    ck_pattern q = {0};
    q.s = fixed_id(&p->s, bindings, &unknown);
    q.p = fixed_id(&p->p, bindings, &unknown);
    q.o = fixed_id(&p->o, bindings, &unknown);
    if (p->graph_mode == EXEC_GRAPH_DEFAULT) {
        q.g = CK_DEFAULT_GRAPH;
        q.g_bound = true;
    } else if (p->graph_mode == EXEC_GRAPH_NAMED) {
        q.g = fixed_id(&p->g, bindings, &unknown);
        q.g_bound = q.g != 0;
    }
    /* one graph the caller may not read: no matches, and no time spent
     * passing over its quads */
    if (unknown || (q.g_bound && !ck_graph_set_has(c->ctx->readable, q.g))) {
        c->empty = true;
        return true;
    }
    q.graphs = c->scan_graphs;
    q.by_subject = p->by_subject;
    if (c->memo && memo_begin(c->memo, c->ctx, &q))
        return true;
    if (c->scan)
        return ck_scan_reset(c->ctx->txn, c->scan, &q, &c->ctx->error) == CK_OK;
    return ck_scan_open(c->ctx->txn, &q, &c->scan, &c->ctx->error) == CK_OK;
}

/* The graphs a restricted caller's scans of p read when its graph is not
 * bound: only readable ones, so that no scan passes over (or takes time
 * for) the quads of another graph. NULL when unrestricted. */
static bool cursor_scan_graphs(pattern_cursor *c)
{
    const ck_graph_set *readable = c->ctx->readable;
    const exec_pattern *p = &c->pattern;
    if (!readable)
        return true;
    switch (p->graph_mode) {
    case EXEC_GRAPH_NAMED: /* GRAPH ?g: named graphs only */
        c->own_graphs = (ck_graph_set){readable->ids, readable->n, false};
        c->scan_graphs = &c->own_graphs;
        return true;
    case EXEC_GRAPH_SET: { /* FROM <a> FROM <b>: those of them the caller may read */
        ck_id *ids = malloc(sizeof(ck_id) * (p->n_graph_set ? p->n_graph_set : 1));
        if (!ids) {
            ck_error_set(&c->ctx->error, CK_ERR_NOMEM, "out of memory");
            return false;
        }
        size_t n = ck_graph_set_filter(readable, p->graph_set, p->n_graph_set, ids);
        c->own_graphs = (ck_graph_set){ids, n, false};
        c->scan_graphs = &c->own_graphs;
        return true;
    }
    default:
        c->scan_graphs = readable;
        return true;
    }
}

static bool cursor_open(pattern_cursor *c, exec_ctx *ctx, const exec_pattern *p,
                        const ck_id *bindings, lookup_memo *memo)
{
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->memo = memo;
    c->pattern = *p;
    /* union or set of graphs: a triple in several graphs counts once */
    c->dedupe = p->graph_mode == EXEC_GRAPH_UNION || p->graph_mode == EXEC_GRAPH_SET;
    c->base = malloc(sizeof(ck_id) * (size_t)(ctx->width ? ctx->width : 1));
    if (!c->base) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    return cursor_scan_graphs(c) && cursor_seek(c, bindings);
}

/* Binds slot to id in row; false if the slot already holds another id
 * (a variable repeated in the pattern). */
static bool bind(ck_id *row, const exec_slot *slot, ck_id id)
{
    if (!slot->is_var)
        return true;
    if (row[slot->slot] && row[slot->slot] != id)
        return false;
    row[slot->slot] = id;
    return true;
}

/* row = the cursor's bindings extended by quad q; false if q does not fit
 * (a variable repeated in the pattern bound to two different ids). */
static bool bind_quad(const pattern_cursor *c, const ck_quad *q, ck_id *row)
{
    memcpy(row, c->base, sizeof(ck_id) * (size_t)c->ctx->width);
    if (!bind(row, &c->pattern.s, q->s) || !bind(row, &c->pattern.p, q->p) ||
        !bind(row, &c->pattern.o, q->o))
        return false;
    return c->pattern.graph_mode != EXEC_GRAPH_NAMED || bind(row, &c->pattern.g, q->g);
}

/* The next match of a lookup the memo answers. */
static bool memo_next(pattern_cursor *c, ck_id *row)
{
    lookup_memo *m = c->memo;
    while (m->replay_pos < m->replay->n)
        if (bind_quad(c, &m->quads[m->replay->first + m->replay_pos++], row))
            return true;
    return false;
}

/* Up to max matches into rows (each ctx->width ids); fewer only at the
 * end of the matches. */
static size_t cursor_next_many(pattern_cursor *c, ck_id *rows, size_t max)
{
    size_t n = 0, w = (size_t)c->ctx->width;
    if (c->empty)
        return 0;
    if (c->memo && c->memo->replay) {
        while (n < max && memo_next(c, rows + n * w))
            n++;
        return n;
    }
    if (!c->scan)
        return 0;
    while (n < max) {
        ck_quad q;
        if (c->taken < CURSOR_BATCH_AFTER) {
            c->taken++;
            if (!ck_scan_next(c->scan, &q))
                break;
        } else {
            if (!c->batch && !(c->batch = calloc(1, sizeof *c->batch))) {
                ck_error_set(&c->ctx->error, CK_ERR_NOMEM, "out of memory");
                return n;
            }
            const ck_quad *next = ck_scan_batch_next(c->scan, c->batch);
            if (!next)
                break;
            q = *next;
        }
        if (!exec_graph_accepts(c->pattern.graph_mode, c->pattern.graph_set,
                                c->pattern.n_graph_set, q.g) ||
            !ck_graph_set_has(c->ctx->readable, q.g))
            continue;
        if (c->dedupe) {
            /* g is the last column of the permutations used without a graph
             * (and the merge key of a scan over a graph set), so copies of a
             * triple in several graphs are adjacent */
            if (c->have_last && q.s == c->last.s && q.p == c->last.p && q.o == c->last.o)
                continue;
            c->last = q;
            c->have_last = true;
        }
        if (c->memo)
            memo_record(c->memo, &q);
        if (bind_quad(c, &q, rows + n * w))
            n++;
    }
    if (n == max)
        return n;
    /* the scan ended */
    const ck_error *e = ck_scan_error(c->scan);
    if (e->code && !c->ctx->error.code)
        c->ctx->error = *e;
    else if (c->memo && !e->code)
        memo_finish(c->memo);
    return n;
}

static bool cursor_next(pattern_cursor *c, ck_id *row) { return cursor_next_many(c, row, 1) == 1; }

static void cursor_close(pattern_cursor *c)
{
    ck_scan_close(c->scan);
    free(c->base);
    free(c->batch);
    c->batch = NULL;
    if (c->pattern.graph_mode == EXEC_GRAPH_SET && c->scan_graphs == &c->own_graphs)
        free((ck_id *)c->own_graphs.ids);
    c->scan = NULL;
    c->base = NULL;
    c->scan_graphs = NULL;
}

/* ---- scan ---------------------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_pattern pattern;
    pattern_cursor cursor;
    bool opened;
} scan_op;

static size_t scan_next_many(exec_op *op, ck_id *rows, size_t max)
{
    scan_op *s = (scan_op *)op;
    if (!s->opened) {
        ck_id *none = calloc((size_t)op->ctx->width + 1, sizeof(ck_id));
        bool ok = none && cursor_open(&s->cursor, op->ctx, &s->pattern, none, NULL);
        free(none);
        s->opened = true;
        if (!ok)
            return 0;
    }
    return cursor_next_many(&s->cursor, rows, max);
}

static bool scan_next(exec_op *op, ck_id *row) { return scan_next_many(op, row, 1) == 1; }

static void scan_destroy(exec_op *op) { cursor_close(&((scan_op *)op)->cursor); }

exec_op *exec_scan_new(exec_ctx *ctx, const exec_pattern *pattern)
{
    scan_op *s = exec_op_new(sizeof *s, ctx, scan_next, scan_destroy);
    if (!s)
        return NULL;
    s->base.next_many = scan_next_many;
    s->pattern = *pattern;
    return &s->base;
}

/* ---- values ---------------------------------------------------------------- */

typedef struct {
    exec_op base;
    ck_id *rows;
    size_t n, pos;
} values_op;

static bool values_next(exec_op *op, ck_id *row)
{
    values_op *v = (values_op *)op;
    if (v->pos >= v->n)
        return false;
    memcpy(row, v->rows + v->pos * (size_t)op->ctx->width, sizeof(ck_id) * (size_t)op->ctx->width);
    v->pos++;
    return true;
}

double exec_rows_known(const exec_op *op)
{
    return op && op->next == values_next ? (double)((const values_op *)op)->n : -1;
}

static void values_destroy(exec_op *op) { free(((values_op *)op)->rows); }

exec_op *exec_values_new(exec_ctx *ctx, const ck_id *rows, size_t n)
{
    values_op *v = exec_op_new(sizeof *v, ctx, values_next, values_destroy);
    if (!v)
        return NULL;
    size_t bytes = sizeof(ck_id) * (size_t)ctx->width * n;
    if (!exec_reserve(ctx, bytes)) {
        free(v);
        return NULL;
    }
    v->rows = malloc(bytes ? bytes : 1);
    if (!v->rows) {
        free(v);
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (bytes)
        memcpy(v->rows, rows, bytes);
    v->n = n;
    return &v->base;
}

/* ---- index nested loop join ------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_op *left;
    exec_pattern pattern;
    pattern_cursor cursor;
    bool cursor_open;   /* cursor made (kept for every later left row) */
    bool have_left;     /* cursor positioned for left_row */
    ck_id *left_row;
    bool optional;      /* left join: a left row without a match stays */
    bool matched;       /* some match of left_row passed keep */
    exec_row_test keep;
    void *keep_arg;
    lookup_memo memo;
} index_join_op;

/* One scan serves every left row: cursor_seek moves it, which costs no
 * LMDB lookup when the next match is in the block already loaded. */
static bool index_join_next(exec_op *op, ck_id *row)
{
    index_join_op *j = (index_join_op *)op;
    for (;;) {
        if (j->have_left) {
            while (cursor_next(&j->cursor, row)) {
                if (j->keep && !j->keep(j->keep_arg, row))
                    continue;
                j->matched = true;
                return true;
            }
            j->have_left = false;
            if (op->ctx->error.code)
                return false;
            if (j->optional && !j->matched) {
                memcpy(row, j->left_row, sizeof(ck_id) * (size_t)op->ctx->width);
                return true;
            }
        }
        if (!exec_next(j->left, j->left_row))
            return false;
        j->matched = false;
        if (!(j->cursor_open ? cursor_seek(&j->cursor, j->left_row)
                             : cursor_open(&j->cursor, op->ctx, &j->pattern, j->left_row,
                                           &j->memo)))
            return false;
        j->cursor_open = j->have_left = true;
    }
}

static size_t index_join_next_many(exec_op *op, ck_id *rows, size_t max)
{
    index_join_op *j = (index_join_op *)op;
    size_t n = 0, w = (size_t)op->ctx->width;
    while (n < max) {
        if (j->have_left && !j->keep && !j->optional) {
            /* the rest of the current left row's matches, as many as fit */
            n += cursor_next_many(&j->cursor, rows + n * w, max - n);
            if (n == max || op->ctx->error.code)
                break;
            j->have_left = false;
        }
        /* the next left row with a match, and that match */
        if (!index_join_next(op, rows + n * w))
            break;
        n++;
    }
    return n;
}

static void index_join_destroy(exec_op *op)
{
    index_join_op *j = (index_join_op *)op;
    if (j->cursor_open)
        cursor_close(&j->cursor);
    memo_free(&j->memo);
    exec_free(j->left);
    free(j->left_row);
}

exec_op *exec_index_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern)
{
    index_join_op *j = exec_op_new(sizeof *j, ctx, index_join_next, index_join_destroy);
    if (!j) {
        exec_free(left);
        return NULL;
    }
    j->base.next_many = index_join_next_many;
    j->left = left;
    j->pattern = *pattern;
    j->left_row = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    return &j->base;
}

exec_op *exec_index_left_join_new(exec_ctx *ctx, exec_op *left, const exec_pattern *pattern,
                                  exec_row_test keep, void *keep_arg)
{
    index_join_op *j = (index_join_op *)exec_index_join_new(ctx, left, pattern);
    if (j) {
        j->optional = true;
        j->keep = keep;
        j->keep_arg = keep_arg;
    }
    return j ? &j->base : NULL;
}

/* ---- materialised right side: hash join, left join, minus ------------------ */

/* The right input's rows, hashed on the slots bound in all of them. A left
 * row binding all those slots probes one bucket; otherwise it is compared
 * with every right row. */
typedef struct {
    ck_id *rows;
    size_t n, cap;
    int *key_slots;
    int nkeys;
    size_t *heads, *chain; /* bucket heads (SIZE_MAX = empty) and chains */
    size_t nbuckets;
} row_table;

uint64_t exec_key_hash(const ck_id *row, const int *slots, int n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < n; i++) {
        h ^= row[slots ? slots[i] : i];
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    return h;
}

/* Builds the table from input, keyed on the slots bound in every table row
 * and in probe_like (the first probe row: a key slot the probing rows lack
 * would send every probe through all rows). */
static bool table_build(row_table *t, exec_op *input, exec_ctx *ctx, const ck_id *probe_like)
{
    int w = ctx->width;
    ck_id *row = calloc((size_t)w + 1, sizeof(ck_id));
    if (!row)
        return false;
    while (exec_next(input, row)) {
        if (t->n == t->cap) {
            size_t ncap = t->cap ? t->cap * 2 : 256;
            if (!exec_reserve(ctx, (ncap - t->cap) * sizeof(ck_id) * (size_t)(w ? w : 1))) {
                free(row);
                return false;
            }
            ck_id *nr = realloc(t->rows, ncap * sizeof(ck_id) * (size_t)(w ? w : 1));
            if (!nr) {
                ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory joining %zu rows", t->n);
                free(row);
                return false;
            }
            t->rows = nr;
            t->cap = ncap;
        }
        memcpy(t->rows + t->n * (size_t)w, row, sizeof(ck_id) * (size_t)w);
        t->n++;
    }
    free(row);
    if (ctx->error.code)
        return false;
    /* key: slots bound in every table row and in the probe rows */
    t->key_slots = malloc(sizeof(int) * (size_t)(w ? w : 1));
    for (int s = 0; s < w && t->n && t->key_slots; s++) {
        bool all = probe_like[s] != 0;
        for (size_t i = 0; i < t->n && all; i++)
            all = t->rows[i * (size_t)w + (size_t)s] != 0;
        if (all)
            t->key_slots[t->nkeys++] = s;
    }
    t->nbuckets = 1;
    while (t->nbuckets < t->n * 2)
        t->nbuckets *= 2;
    if (!exec_reserve(ctx, (t->nbuckets + t->n) * sizeof(size_t)))
        return false;
    t->heads = malloc(t->nbuckets * sizeof(size_t));
    t->chain = malloc((t->n ? t->n : 1) * sizeof(size_t));
    if (!t->heads || !t->chain || !t->key_slots) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    for (size_t b = 0; b < t->nbuckets; b++)
        t->heads[b] = SIZE_MAX;
    for (size_t i = t->n; i-- > 0;) {
        size_t b = exec_key_hash(t->rows + i * (size_t)w, t->key_slots, t->nkeys) & (t->nbuckets - 1);
        t->chain[i] = t->heads[b];
        t->heads[b] = i;
    }
    return true;
}

static void table_free(row_table *t)
{
    free(t->rows);
    free(t->key_slots);
    free(t->heads);
    free(t->chain);
    memset(t, 0, sizeof *t);
}

/* Iterates the right rows that may be compatible with left. */
typedef struct {
    const row_table *t;
    const ck_id *left;
    int width;
    bool probe;    /* following one bucket chain, else all rows */
    size_t next;
} table_probe;

static void probe_start(table_probe *p, const row_table *t, const ck_id *left, int width)
{
    p->t = t;
    p->left = left;
    p->width = width;
    p->probe = t->nkeys > 0;
    for (int i = 0; i < t->nkeys && p->probe; i++)
        p->probe = left[t->key_slots[i]] != 0;
    if (p->probe)
        p->next = t->n ? t->heads[exec_key_hash(left, t->key_slots, t->nkeys) & (t->nbuckets - 1)]
                       : SIZE_MAX;
    else
        p->next = t->n ? 0 : SIZE_MAX;
}

static const ck_id *probe_next(table_probe *p)
{
    while (p->next != SIZE_MAX) {
        size_t i = p->next;
        p->next = p->probe ? p->t->chain[i] : (i + 1 < p->t->n ? i + 1 : SIZE_MAX);
        const ck_id *r = p->t->rows + i * (size_t)p->width;
        if (compatible(p->left, r, p->width))
            return r;
    }
    return NULL;
}

typedef enum { JOIN_INNER, JOIN_LEFT, JOIN_MINUS } join_kind;

typedef struct {
    exec_op base;
    join_kind kind;
    exec_op *left, *right;
    row_table table;
    bool built;
    ck_id *left_row;
    bool have_left, matched;
    table_probe probe;
    exec_row_test keep;
    void *keep_arg;
} table_join_op;

static bool shares_bound_slot(const ck_id *a, const ck_id *b, int width)
{
    for (int i = 0; i < width; i++)
        if (a[i] && b[i])
            return true;
    return false;
}

static bool table_join_next(exec_op *op, ck_id *row)
{
    table_join_op *j = (table_join_op *)op;
    int w = op->ctx->width;
    if (!j->built) {
        /* the first left row first: the table's key must be bound in it */
        if (!exec_next(j->left, j->left_row))
            return false;
        j->built = true;
        if (!table_build(&j->table, j->right, op->ctx, j->left_row))
            return false;
        j->have_left = true;
        j->matched = false;
        probe_start(&j->probe, &j->table, j->left_row, w);
    }
    for (;;) {
        if (!j->have_left) {
            if (!exec_next(j->left, j->left_row))
                return false;
            j->have_left = true;
            j->matched = false;
            probe_start(&j->probe, &j->table, j->left_row, w);
        }
        if (j->kind == JOIN_MINUS) {
            const ck_id *r;
            bool remove = false;
            while (!remove && (r = probe_next(&j->probe)))
                remove = shares_bound_slot(j->left_row, r, w);
            j->have_left = false;
            if (!remove) {
                memcpy(row, j->left_row, sizeof(ck_id) * (size_t)w);
                return true;
            }
            continue;
        }
        const ck_id *r;
        while ((r = probe_next(&j->probe))) {
            merge_rows(row, j->left_row, r, w);
            if (j->kind == JOIN_LEFT && j->keep && !j->keep(j->keep_arg, row))
                continue;
            j->matched = true;
            return true;
        }
        j->have_left = false;
        if (j->kind == JOIN_LEFT && !j->matched) {
            memcpy(row, j->left_row, sizeof(ck_id) * (size_t)w);
            return true;
        }
    }
}

static void table_join_destroy(exec_op *op)
{
    table_join_op *j = (table_join_op *)op;
    exec_free(j->left);
    exec_free(j->right);
    table_free(&j->table);
    free(j->left_row);
}

static exec_op *table_join_new(exec_ctx *ctx, join_kind kind, exec_op *left, exec_op *right,
                               exec_row_test keep, void *keep_arg)
{
    table_join_op *j = exec_op_new(sizeof *j, ctx, table_join_next, table_join_destroy);
    if (!j) {
        exec_free(left);
        exec_free(right);
        return NULL;
    }
    j->kind = kind;
    j->left = left;
    j->right = right;
    j->keep = keep;
    j->keep_arg = keep_arg;
    j->left_row = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    return &j->base;
}

exec_op *exec_hash_join_new(exec_ctx *ctx, exec_op *left, exec_op *right)
{
    return table_join_new(ctx, JOIN_INNER, left, right, NULL, NULL);
}

exec_op *exec_left_join_new(exec_ctx *ctx, exec_op *left, exec_op *right, exec_row_test keep,
                            void *keep_arg)
{
    return table_join_new(ctx, JOIN_LEFT, left, right, keep, keep_arg);
}

exec_op *exec_minus_new(exec_ctx *ctx, exec_op *left, exec_op *right)
{
    return table_join_new(ctx, JOIN_MINUS, left, right, NULL, NULL);
}

/* ---- star join ------------------------------------------------------------------ */

/* Several triples (?s p_i ?o_i) on one bound subject: one scan of the
 * subject's rows per left row finds all of them, where an index join per
 * triple would seek the subject once for each. */
typedef struct {
    exec_op base;
    exec_op *left;
    exec_star star;
    ck_scan *scan;
    ck_id *left_row;
    ck_id *vals[EXEC_STAR_MAX];   /* objects found per predicate */
    size_t nvals[EXEC_STAR_MAX], cap[EXEC_STAR_MAX], idx[EXEC_STAR_MAX];
    bool emitting;                /* idx is the next combination to emit */
    /* for a restricted caller, after STAR_NARROW_AFTER subjects: the
     * readable graphs holding one of the star's predicates (ids owned) */
    unsigned subjects;
    bool narrowed;
    ck_graph_set graphs;
} star_join_op;

/* Subjects a star looks up over every readable graph before it finds out
 * which of them hold its predicates: each other graph costs a seek per
 * subject, the finding out one per graph and predicate. */
#define STAR_NARROW_AFTER 16

/* Appends o to the values of star triple i. */
static bool star_push(star_join_op *j, int i, ck_id o)
{
    if (j->nvals[i] == j->cap[i]) {
        exec_ctx *ctx = j->base.ctx;
        size_t ncap = j->cap[i] ? j->cap[i] * 2 : 4;
        ck_id *nv = exec_reserve(ctx, (ncap - j->cap[i]) * sizeof(ck_id))
                        ? realloc(j->vals[i], ncap * sizeof(ck_id))
                        : NULL;
        if (!nv) {
            if (!ctx->error.code)
                ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
            return false;
        }
        j->vals[i] = nv;
        j->cap[i] = ncap;
    }
    j->vals[i][j->nvals[i]++] = o;
    return true;
}

/* Narrows j->graphs to the readable graphs with at least one quad of one
 * of the star's predicates: only those can add to a star. */
static bool star_narrow_graphs(star_join_op *j)
{
    exec_ctx *ctx = j->base.ctx;
    const ck_graph_set *readable = ctx->readable;
    ck_id *ids = malloc(sizeof(ck_id) * (readable->n ? readable->n : 1));
    if (!ids) {
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return false;
    }
    j->graphs = (ck_graph_set){ids, 0, false};
    ck_scan *probe = NULL;
    for (size_t i = 0; i <= readable->n && !ctx->error.code; i++) {
        bool is_default = i == readable->n;
        if (is_default && !readable->default_graph)
            break;
        ck_id g = is_default ? CK_DEFAULT_GRAPH : readable->ids[i];
        bool holds = false;
        for (int k = 0; k < j->star.n && !holds; k++) {
            ck_pattern q = {.g = g, .g_bound = true, .p = j->star.p[k]};
            ck_quad quad;
            if ((probe ? ck_scan_reset(ctx->txn, probe, &q, &ctx->error)
                       : ck_scan_open(ctx->txn, &q, &probe, &ctx->error)) != CK_OK)
                break;
            holds = ck_scan_next(probe, &quad);
        }
        if (holds && is_default)
            j->graphs.default_graph = true;
        else if (holds)
            ids[j->graphs.n++] = g; /* readable->ids ascend: so do these */
    }
    ck_scan_close(probe);
    j->narrowed = true;
    return !ctx->error.code;
}

/* Collects the objects of each star triple for subject s; true if every
 * triple has one. */
static bool star_collect(star_join_op *j, ck_id s)
{
    exec_ctx *ctx = j->base.ctx;
    const exec_star *st = &j->star;
    if (ctx->readable && st->graph_mode == EXEC_GRAPH_UNION && !j->narrowed &&
        ++j->subjects > STAR_NARROW_AFTER && !star_narrow_graphs(j))
        return false;
    /* the union: for a restricted caller, of the readable graphs' ranges only */
    ck_pattern q = {.s = s, .graphs = j->narrowed ? &j->graphs : ctx->readable};
    if (st->graph_mode == EXEC_GRAPH_DEFAULT) {
        if (!ck_graph_set_has(ctx->readable, CK_DEFAULT_GRAPH))
            return false; /* a default graph the caller may not read: no matches */
        q.g_bound = true; /* g = 0: the default graph */
    }
    ck_status rc = j->scan ? ck_scan_reset(ctx->txn, j->scan, &q, &ctx->error)
                           : ck_scan_open(ctx->txn, &q, &j->scan, &ctx->error);
    if (rc)
        return false;
    for (int i = 0; i < st->n; i++)
        j->nvals[i] = 0;
    ck_quad quad;
    while (ck_scan_next(j->scan, &quad)) {
        if (!ck_graph_set_has(ctx->readable, quad.g))
            continue;
        for (int i = 0; i < st->n; i++) /* a predicate may repeat: ?s p ?a, ?b */
            /* copies of a triple in several graphs are adjacent (g is last) */
            if (st->p[i] == quad.p && !(j->nvals[i] && j->vals[i][j->nvals[i] - 1] == quad.o) &&
                !star_push(j, i, quad.o))
                return false;
    }
    const ck_error *e = ck_scan_error(j->scan);
    if (e->code && !ctx->error.code)
        ctx->error = *e;
    for (int i = 0; i < st->n; i++)
        if (!j->nvals[i])
            return false;
    return !ctx->error.code;
}

static bool star_join_next(exec_op *op, ck_id *row)
{
    star_join_op *j = (star_join_op *)op;
    const exec_star *st = &j->star;
    int w = op->ctx->width;
    for (;;) {
        if (j->emitting) {
            memcpy(row, j->left_row, sizeof(ck_id) * (size_t)w);
            for (int i = 0; i < st->n; i++)
                row[st->o_slot[i]] = j->vals[i][j->idx[i]];
            /* the next combination: an odometer over the value lists */
            int i = st->n - 1;
            while (i >= 0 && ++j->idx[i] == j->nvals[i])
                j->idx[i--] = 0;
            j->emitting = i >= 0;
            return true;
        }
        if (!exec_next(j->left, j->left_row))
            return false;
        ck_id s = j->left_row[st->s_slot];
        if (s && star_collect(j, s)) {
            memset(j->idx, 0, sizeof j->idx);
            j->emitting = true;
        } else if (op->ctx->error.code) {
            return false;
        }
    }
}

static void star_join_destroy(exec_op *op)
{
    star_join_op *j = (star_join_op *)op;
    exec_free(j->left);
    ck_scan_close(j->scan);
    free(j->left_row);
    free((ck_id *)j->graphs.ids);
    for (int i = 0; i < EXEC_STAR_MAX; i++)
        free(j->vals[i]);
}

exec_op *exec_star_join_new(exec_ctx *ctx, exec_op *left, const exec_star *star)
{
    star_join_op *j = exec_op_new(sizeof *j, ctx, star_join_next, star_join_destroy);
    if (!j) {
        exec_free(left);
        return NULL;
    }
    j->left = left;
    j->star = *star;
    j->left_row = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    return &j->base;
}

/* ---- merge join on one slot --------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_op *left, *right;
    int slot;
    ck_id *left_row;
    bool have_left;
    ck_id *ahead;         /* the right row read after the current run */
    bool have_ahead, right_done;
    ck_id *run;           /* right rows whose slot holds run_key */
    size_t run_n, run_cap, run_pos;
    ck_id run_key;
} merge_join_op;

/* Reads the right rows with key into the run, skipping smaller ones. */
static bool merge_fill_run(merge_join_op *m, ck_id key)
{
    exec_ctx *ctx = m->base.ctx;
    size_t w = (size_t)ctx->width;
    m->run_n = 0;
    m->run_key = key;
    for (;;) {
        if (!m->have_ahead) {
            if (m->right_done || !exec_next(m->right, m->ahead)) {
                m->right_done = true;
                return !ctx->error.code;
            }
            m->have_ahead = true;
        }
        ck_id k = m->ahead[m->slot];
        if (k > key)
            return true;
        m->have_ahead = false;
        if (k < key)
            continue;
        if (m->run_n == m->run_cap) {
            size_t ncap = m->run_cap ? m->run_cap * 2 : 16;
            ck_id *nr = exec_reserve(ctx, (ncap - m->run_cap) * w * sizeof(ck_id))
                            ? realloc(m->run, ncap * w * sizeof(ck_id)) : NULL;
            if (!nr) {
                if (!ctx->error.code)
                    ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
                return false;
            }
            m->run = nr;
            m->run_cap = ncap;
        }
        memcpy(m->run + m->run_n++ * w, m->ahead, w * sizeof(ck_id));
    }
}

static bool merge_join_next(exec_op *op, ck_id *row)
{
    merge_join_op *m = (merge_join_op *)op;
    int w = op->ctx->width;
    for (;;) {
        if (m->have_left) {
            while (m->run_pos < m->run_n) {
                const ck_id *r = m->run + m->run_pos++ * (size_t)w;
                if (compatible(m->left_row, r, w)) {
                    merge_rows(row, m->left_row, r, w);
                    return true;
                }
            }
            m->have_left = false;
        }
        if (!exec_next(m->left, m->left_row))
            return false;
        ck_id key = m->left_row[m->slot];
        /* a left row repeating the last key pairs with the same run */
        if (key != m->run_key && !merge_fill_run(m, key))
            return false;
        m->run_pos = 0;
        m->have_left = key != 0 && m->run_n > 0;
    }
}

static void merge_join_destroy(exec_op *op)
{
    merge_join_op *m = (merge_join_op *)op;
    exec_free(m->left);
    exec_free(m->right);
    free(m->left_row);
    free(m->ahead);
    free(m->run);
}

exec_op *exec_merge_join_new(exec_ctx *ctx, exec_op *left, exec_op *right, int slot)
{
    merge_join_op *m = exec_op_new(sizeof *m, ctx, merge_join_next, merge_join_destroy);
    if (!m) {
        exec_free(left);
        exec_free(right);
        return NULL;
    }
    m->left = left;
    m->right = right;
    m->slot = slot;
    m->left_row = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    m->ahead = calloc((size_t)ctx->width + 1, sizeof(ck_id));
    if (!m->left_row || !m->ahead) {
        exec_free(&m->base);
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return &m->base;
}

/* ---- sort by one slot ------------------------------------------------------------ */

#define SORT_PREFETCH_AHEAD 16

typedef struct {
    exec_op base;
    exec_op *input;
    int slot;
    exec_rows rows;
    size_t pos;
    size_t *order;
    bool sorted;
} sort_op;

/* LSD radix sort of row numbers by 64-bit keys, one byte per pass; passes
 * over a byte that all keys share are skipped (ids are mostly small).
 * Each pass moves (key, row) pairs, reading them in sequence: a pass
 * that looked each key up through the row number missed the cache once
 * per row. Keys already in order cost one look. */
typedef struct {
    ck_id key;
    size_t row;
} sort_pair;

static bool radix_sort(const ck_id *keys, size_t *order, size_t n)
{
    ck_id all_or = 0, all_and = ~(ck_id)0;
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        all_or |= keys[i];
        all_and &= keys[i];
        sorted = sorted && (i == 0 || keys[i - 1] <= keys[i]);
    }
    if (sorted)
        return true;
    sort_pair *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (sort_pair){keys[i], i};
    for (int shift = 0; shift < 64; shift += 8) {
        if (((all_or ^ all_and) >> shift & 0xFF) == 0)
            continue; /* every key has this byte */
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift & 0xFF) + 1]++;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            b[count[a[i].key >> shift & 0xFF]++] = a[i];
        sort_pair *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = a[i].row;
    free(a);
    free(b);
    return true;
}

/* Reads every input row, straight into the buffer, and orders them. */
static bool sort_rows(sort_op *so)
{
    exec_ctx *ctx = so->base.ctx;
    size_t w = (size_t)(ctx->width ? ctx->width : 1), n;
    if (!exec_rows_read(ctx, &so->rows, so->input, SIZE_MAX))
        return false;
    n = so->rows.n;
    ck_id *keys = malloc((n + 1) * sizeof *keys);
    so->order = malloc((n + 1) * sizeof *so->order);
    /* keys and order, then radix_sort's two arrays of pairs */
    bool ok = keys && so->order && exec_reserve(ctx, n * 6 * sizeof(size_t));
    for (size_t i = 0; ok && i < n; i++)
        keys[i] = so->rows.rows[i * w + (size_t)so->slot];
    ok = ok && radix_sort(keys, so->order, n);
    free(keys);
    if (!ok && !ctx->error.code)
        ck_error_set(&ctx->error, CK_ERR_NOMEM, "out of memory");
    return ok;
}

static size_t sort_next_many(exec_op *op, ck_id *rows, size_t max)
{
    sort_op *so = (sort_op *)op;
    size_t w = (size_t)(op->ctx->width ? op->ctx->width : 1);
    if (!so->sorted) {
        so->sorted = true;
        if (!sort_rows(so))
            return 0;
    }
    size_t n = 0;
    const ck_id *all = so->rows.rows;
    for (; n < max && so->pos < so->rows.n; n++) {
        /* rows are read in key order, i.e. scattered over a buffer larger
         * than the caches: ask for a later one now so its miss overlaps the
         * work on this one (without it, this copy was a quarter of a
         * 281k-row join) */
        if (so->pos + SORT_PREFETCH_AHEAD < so->rows.n)
            __builtin_prefetch(all + so->order[so->pos + SORT_PREFETCH_AHEAD] * w);
        memcpy(rows + n * w, all + so->order[so->pos++] * w, w * sizeof(ck_id));
    }
    return n;
}

static bool sort_next(exec_op *op, ck_id *row) { return sort_next_many(op, row, 1) == 1; }

static void sort_destroy(exec_op *op)
{
    sort_op *so = (sort_op *)op;
    exec_free(so->input);
    free(so->rows.rows);
    free(so->order);
}

exec_op *exec_sort_by_slot_new(exec_ctx *ctx, exec_op *input, int slot)
{
    sort_op *so = exec_op_new(sizeof *so, ctx, sort_next, sort_destroy);
    if (!so) {
        exec_free(input);
        return NULL;
    }
    so->base.next_many = sort_next_many;
    so->base.sorted_slot = slot;
    so->input = input;
    so->slot = slot;
    return &so->base;
}

/* ---- union -------------------------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_op *a, *b;
    bool a_done;
} union_op;

static bool union_next(exec_op *op, ck_id *row)
{
    union_op *u = (union_op *)op;
    if (!u->a_done) {
        if (exec_next(u->a, row))
            return true;
        u->a_done = true;
        if (op->ctx->error.code)
            return false;
    }
    return exec_next(u->b, row);
}

static void union_destroy(exec_op *op)
{
    exec_free(((union_op *)op)->a);
    exec_free(((union_op *)op)->b);
}

exec_op *exec_union_new(exec_ctx *ctx, exec_op *a, exec_op *b)
{
    union_op *u = exec_op_new(sizeof *u, ctx, union_next, union_destroy);
    if (!u) {
        exec_free(a);
        exec_free(b);
        return NULL;
    }
    u->a = a;
    u->b = b;
    return &u->base;
}

/* ---- filter, project, slice ---------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_op *input;
    exec_row_test test;
    void *arg;
} filter_op;

static bool filter_next(exec_op *op, ck_id *row)
{
    filter_op *f = (filter_op *)op;
    while (exec_next(f->input, row))
        if (f->test(f->arg, row))
            return true;
    return false;
}

static void filter_destroy(exec_op *op) { exec_free(((filter_op *)op)->input); }

exec_op *exec_filter_new(exec_ctx *ctx, exec_op *input, exec_row_test test, void *arg)
{
    filter_op *f = exec_op_new(sizeof *f, ctx, filter_next, filter_destroy);
    if (!f) {
        exec_free(input);
        return NULL;
    }
    f->base.sorted_slot = input ? input->sorted_slot : -1; /* rows keep their order */
    f->input = input;
    f->test = test;
    f->arg = arg;
    return &f->base;
}

typedef struct {
    exec_op base;
    exec_op *input;
    bool *keep;
} project_op;

static bool project_next(exec_op *op, ck_id *row)
{
    project_op *p = (project_op *)op;
    if (!exec_next(p->input, row))
        return false;
    for (int i = 0; i < op->ctx->width; i++)
        if (!p->keep[i])
            row[i] = 0;
    return true;
}

static void project_destroy(exec_op *op)
{
    exec_free(((project_op *)op)->input);
    free(((project_op *)op)->keep);
}

exec_op *exec_project_new(exec_ctx *ctx, exec_op *input, const int *slots, int nslots)
{
    project_op *p = exec_op_new(sizeof *p, ctx, project_next, project_destroy);
    if (!p) {
        exec_free(input);
        return NULL;
    }
    p->input = input;
    p->keep = calloc((size_t)ctx->width + 1, sizeof(bool));
    for (int i = 0; i < nslots && p->keep; i++)
        if (slots[i] >= 0 && slots[i] < ctx->width)
            p->keep[slots[i]] = true;
    return &p->base;
}

typedef struct {
    exec_op base;
    exec_op *input;
    uint64_t offset, limit, skipped, passed;
} slice_op;

static bool slice_next(exec_op *op, ck_id *row)
{
    slice_op *s = (slice_op *)op;
    if (s->passed >= s->limit)
        return false; /* stop early: the input is not pulled again */
    while (s->skipped < s->offset) {
        if (!exec_next(s->input, row))
            return false;
        s->skipped++;
    }
    if (!exec_next(s->input, row))
        return false;
    s->passed++;
    return true;
}

static void slice_destroy(exec_op *op) { exec_free(((slice_op *)op)->input); }

exec_op *exec_slice_new(exec_ctx *ctx, exec_op *input, uint64_t offset, uint64_t limit)
{
    slice_op *s = exec_op_new(sizeof *s, ctx, slice_next, slice_destroy);
    if (!s) {
        exec_free(input);
        return NULL;
    }
    s->input = input;
    s->offset = offset;
    s->limit = limit;
    return &s->base;
}

/* ---- distinct --------------------------------------------------------------------- */

typedef struct {
    exec_op base;
    exec_op *input;
    ck_id *rows;      /* seen rows */
    size_t *slots;    /* hash table of row indexes + 1 (0 = empty) */
    size_t n, cap, nslots;
} distinct_op;

/* Doubles the row store and the table; the caller rehashes. */
static bool distinct_grow(distinct_op *d, int w)
{
    size_t ncap = d->cap ? d->cap * 2 : 1024;
    if (!exec_reserve(d->base.ctx, (ncap - d->cap) * (sizeof(ck_id) * (size_t)(w ? w : 1) +
                                                      2 * sizeof(size_t))))
        return false;
    ck_id *nr = realloc(d->rows, ncap * sizeof(ck_id) * (size_t)(w ? w : 1));
    size_t nslots = ncap * 2;
    size_t *ns = calloc(nslots, sizeof *ns);
    if (!nr || !ns) {
        free(ns);
        if (nr)
            d->rows = nr;
        return false;
    }
    d->rows = nr;
    free(d->slots);
    d->slots = ns;
    d->nslots = nslots;
    d->cap = ncap;
    return true;
}

static bool distinct_next(exec_op *op, ck_id *row)
{
    distinct_op *d = (distinct_op *)op;
    int w = op->ctx->width;
    while (exec_next(d->input, row)) {
        if (d->n == d->cap) {
            if (!distinct_grow(d, w)) {
                if (!op->ctx->error.code)
                    ck_error_set(&op->ctx->error, CK_ERR_NOMEM, "out of memory for DISTINCT");
                return false;
            }
            /* rehash everything into the new table */
            for (size_t i = 0; i < d->n; i++) {
                size_t j = exec_key_hash(d->rows + i * (size_t)w, NULL, w) & (d->nslots - 1);
                while (d->slots[j])
                    j = (j + 1) & (d->nslots - 1);
                d->slots[j] = i + 1;
            }
        }
        size_t j = exec_key_hash(row, NULL, w) & (d->nslots - 1);
        bool seen = false;
        while (d->slots[j]) {
            if (memcmp(d->rows + (d->slots[j] - 1) * (size_t)w, row, sizeof(ck_id) * (size_t)w) == 0) {
                seen = true;
                break;
            }
            j = (j + 1) & (d->nslots - 1);
        }
        if (seen)
            continue;
        memcpy(d->rows + d->n * (size_t)w, row, sizeof(ck_id) * (size_t)w);
        d->slots[j] = ++d->n;
        return true;
    }
    return false;
}

static void distinct_destroy(exec_op *op)
{
    distinct_op *d = (distinct_op *)op;
    exec_free(d->input);
    free(d->rows);
    free(d->slots);
}

exec_op *exec_distinct_new(exec_ctx *ctx, exec_op *input)
{
    distinct_op *d = exec_op_new(sizeof *d, ctx, distinct_next, distinct_destroy);
    if (!d) {
        exec_free(input);
        return NULL;
    }
    d->input = input;
    return &d->base;
}
