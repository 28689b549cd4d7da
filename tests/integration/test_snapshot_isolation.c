/*
 * test_snapshot_isolation.c — MVCC guarantees of the store (store.h), on a
 * real LMDB store in a temp directory:
 *
 *   - a read transaction is a snapshot: while another thread commits write
 *     transactions that add and remove quads (and intern new terms), the
 *     reader keeps seeing exactly the old count, the old quads and the old
 *     terms until it ends; a read transaction begun after the commit sees
 *     the new state;
 *   - readers in several threads only ever see committed states, never an
 *     intermediate one;
 *   - a writer's uncommitted changes are invisible to every reader, and
 *     ck_txn_abort discards them (also after closing and reopening the
 *     store; ck_store_check stays clean).
 *
 * cmocka's assertions are only used in the main thread: worker threads
 * record the first problem in a string that the main thread asserts on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

#define N_QUADS 20000   /* committed before the readers start */
#define N_REMOVE 5000   /* removed by the first writer commit */
#define N_ADD 7000      /* added (with new terms) by the first writer commit */
#define STRESS_COMMITS 12
#define STRESS_BATCH 1500

/* ---- helpers --------------------------------------------------------------- */

static ck_term iri(const char *s) { return (ck_term){CK_TERM_IRI, s, strlen(s), NULL, 0, NULL, 0}; }
static ck_term lit(const char *s, const char *dt, const char *lang)
{
    return (ck_term){CK_TERM_LITERAL, s, strlen(s), dt, dt ? strlen(dt) : 0, lang,
                     lang ? strlen(lang) : 0};
}

static int cmp_quad(const void *a, const void *b)
{
    const ck_quad *x = a, *y = b;
    const ck_id xa[4] = {x->s, x->p, x->o, x->g}, ya[4] = {y->s, y->p, y->o, y->g};
    for (int i = 0; i < 4; i++)
        if (xa[i] != ya[i])
            return xa[i] < ya[i] ? -1 : 1;
    return 0;
}

typedef struct {
    ck_quad *q;
    size_t n, cap;
} quad_set;

static void set_push(quad_set *s, ck_quad q)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->q = realloc(s->q, s->cap * sizeof *s->q);
    }
    s->q[s->n++] = q;
}

static void set_sort(quad_set *s) { qsort(s->q, s->n, sizeof *s->q, cmp_quad); }

static bool set_equal(const quad_set *a, const quad_set *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->q, b->q, a->n * sizeof *a->q) == 0);
}

/* Every quad of the snapshot (any graph), sorted. */
static ck_status snapshot_quads(ck_txn *txn, quad_set *out, ck_error *err)
{
    out->n = 0;
    ck_pattern all = {0};
    ck_scan *scan;
    ck_status st = ck_scan_open(txn, &all, &scan, err);
    if (st)
        return st;
    ck_quad q;
    while (ck_scan_next(scan, &q))
        set_push(out, q);
    st = ck_scan_error(scan)->code;
    if (st && err)
        *err = *ck_scan_error(scan);
    ck_scan_close(scan);
    set_sort(out);
    return st;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Order-independent digest of the snapshot's quads as text: every term is
 * resolved through the snapshot's dictionary. */
static ck_status snapshot_text_digest(ck_txn *txn, uint64_t *digest, ck_error *err)
{
    *digest = 0;
    ck_pattern all = {0};
    ck_scan *scan;
    ck_status st = ck_scan_open(txn, &all, &scan, err);
    if (st)
        return st;
    ck_quad q;
    while (st == CK_OK && ck_scan_next(scan, &q)) {
        uint64_t h = 0;
        ck_id ids[4] = {q.s, q.p, q.o, q.g};
        for (int i = 0; i < 4 && st == CK_OK; i++) {
            if (i == 3 && ids[i] == CK_DEFAULT_GRAPH) {
                h = mix64(h ^ 0xdefa);
                continue;
            }
            ck_term t;
            ck_term_buf buf;
            st = ck_term_resolve(txn, ids[i], &t, &buf, err);
            if (st == CK_OK) {
                char *text = ck_term_to_ntriples(&t);
                h = mix64(h ^ ck_hash_bytes(text, strlen(text), (uint64_t)i));
                free(text);
            }
        }
        *digest += h;
    }
    if (st == CK_OK && ck_scan_error(scan)->code) {
        st = ck_scan_error(scan)->code;
        if (err)
            *err = *ck_scan_error(scan);
    }
    ck_scan_close(scan);
    return st;
}

static ck_status count_all(ck_txn *txn, uint64_t *n, ck_error *err)
{
    ck_pattern all = {0};
    return ck_count(txn, &all, n, err);
}

/* Interns the terms of quad number i of a family ("base", "new", "s3", ...):
 * subjects, predicates, objects of several kinds, four graphs. */
static ck_status make_quad(ck_txn *w, const char *family, int i, ck_quad *q, ck_error *err)
{
    char s[128], p[128], o[128], g[128];
    snprintf(s, sizeof s, "http://city.example/%s/subject/%d", family, i / 10);
    snprintf(p, sizeof p, "http://city.example/vocab/p%d", i % 10);
    ck_term ot;
    switch (i % 5) {
    case 0: snprintf(o, sizeof o, "http://city.example/%s/object/%d", family, i); ot = iri(o); break;
    case 1: snprintf(o, sizeof o, "Gebäude %s %d", family, i); ot = lit(o, NULL, "de"); break;
    case 2: snprintf(o, sizeof o, "%d.%d", i, i % 7); ot = lit(o, CK_XSD "decimal", NULL); break;
    case 3: snprintf(o, sizeof o, "%d", i); ot = lit(o, CK_XSD_INTEGER, NULL); break; /* inline */
    default: snprintf(o, sizeof o, "a longer plain string for %s number %d", family, i); ot = lit(o, NULL, NULL); break;
    }
    ck_status st;
    ck_term st_s = iri(s), st_p = iri(p);
    if ((st = ck_term_intern(w, &st_s, &q->s, err)) || (st = ck_term_intern(w, &st_p, &q->p, err)) ||
        (st = ck_term_intern(w, &ot, &q->o, err)))
        return st;
    if (i % 4 == 0) {
        q->g = CK_DEFAULT_GRAPH;
        return CK_OK;
    }
    snprintf(g, sizeof g, "http://city.example/graph/%d", i % 4);
    ck_term gt = iri(g);
    return ck_term_intern(w, &gt, &q->g, err);
}

/* ---- fixture: a store with N_QUADS committed quads --------------------------- */

typedef struct {
    char dir[128];
    ck_store *store;
    ck_quad base[N_QUADS]; /* in insertion order */
    quad_set base_sorted;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(f->dir, sizeof f->dir, "%s/citykg-snapshot-XXXXXX", tmp);
    if (!mkdtemp(f->dir))
        return -1;
    ck_error err = {0};
    if (ck_store_open(f->dir, CK_OPEN_CREATE, &f->store, &err) != CK_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return -1;
    }
    ck_txn *w;
    if (ck_txn_begin_write(f->store, &w, &err) != CK_OK)
        return -1;
    for (int i = 0; i < N_QUADS; i++)
        if (make_quad(w, "base", i, &f->base[i], &err) != CK_OK) {
            fprintf(stderr, "intern: %s\n", err.message);
            return -1;
        }
    size_t added = 0;
    if (ck_quads_add(w, f->base, N_QUADS, &added, &err) != CK_OK || added != N_QUADS) {
        fprintf(stderr, "add: %zu added, %s\n", added, err.message);
        return -1;
    }
    if (ck_txn_commit(w, &err) != CK_OK)
        return -1;
    for (int i = 0; i < N_QUADS; i++)
        set_push(&f->base_sorted, f->base[i]);
    set_sort(&f->base_sorted);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ck_store_close(f->store);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f->base_sorted.q);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* ---- test 1: one reader, one writer thread, handshakes at each phase -------- */

enum { PH_START, PH_UNCOMMITTED, PH_COMMITTED, PH_STRESS, PH_DONE };

typedef struct {
    fixture *f;
    atomic_int phase;
    atomic_int acked;    /* last phase the reader has acknowledged */
    char error[1200];    /* first problem seen by the writer */
    quad_set after_first; /* expected content after the first commit */
    uint64_t final_count;
} writer_job;

static void wait_ack(writer_job *j, int phase)
{
    while (atomic_load(&j->acked) < phase)
        usleep(200);
}

static void writer_error(writer_job *j, const char *what, const ck_error *err)
{
    if (!j->error[0])
        snprintf(j->error, sizeof j->error, "%s: %s", what, err ? err->message : "");
}

static void *writer_main(void *arg)
{
    writer_job *j = arg;
    fixture *f = j->f;
    ck_error err = {0};
    ck_txn *w = NULL;
    ck_quad *added = malloc(N_ADD * sizeof *added);
    if (ck_txn_begin_write(f->store, &w, &err) != CK_OK) {
        writer_error(j, "begin write", &err);
        goto out;
    }
    /* remove the first N_REMOVE quads (in insertion order), add N_ADD new */
    size_t removed = 0, n_added = 0;
    if (ck_quads_remove(w, f->base, N_REMOVE, &removed, &err) != CK_OK || removed != N_REMOVE) {
        writer_error(j, "remove", &err);
        goto out;
    }
    for (int i = 0; i < N_ADD; i++)
        if (make_quad(w, "new", i, &added[i], &err) != CK_OK) {
            writer_error(j, "intern new terms", &err);
            goto out;
        }
    if (ck_quads_add(w, added, N_ADD, &n_added, &err) != CK_OK || n_added != N_ADD) {
        writer_error(j, "add", &err);
        goto out;
    }
    uint64_t own = 0;
    if (count_all(w, &own, &err) != CK_OK || own != N_QUADS - N_REMOVE + N_ADD) {
        snprintf(j->error, sizeof j->error, "writer sees %llu quads of its own, want %d",
                 (unsigned long long)own, N_QUADS - N_REMOVE + N_ADD);
        goto out;
    }
    for (int i = N_REMOVE; i < N_QUADS; i++)
        set_push(&j->after_first, f->base[i]);
    for (int i = 0; i < N_ADD; i++)
        set_push(&j->after_first, added[i]);
    set_sort(&j->after_first);

    atomic_store(&j->phase, PH_UNCOMMITTED);
    wait_ack(j, PH_UNCOMMITTED);
    if (ck_txn_commit(w, &err) != CK_OK) {
        w = NULL;
        writer_error(j, "commit", &err);
        goto out;
    }
    w = NULL;
    atomic_store(&j->phase, PH_COMMITTED);
    wait_ack(j, PH_COMMITTED);

    /* many more commits while the reader keeps reading its old snapshot */
    atomic_store(&j->phase, PH_STRESS);
    uint64_t count = N_QUADS - N_REMOVE + N_ADD;
    for (int c = 0; c < STRESS_COMMITS; c++) {
        char family[16];
        snprintf(family, sizeof family, "stress%d", c);
        if (ck_txn_begin_write(f->store, &w, &err) != CK_OK) {
            writer_error(j, "begin stress write", &err);
            goto out;
        }
        ck_quad batch[STRESS_BATCH];
        for (int i = 0; i < STRESS_BATCH; i++)
            if (make_quad(w, family, i, &batch[i], &err) != CK_OK) {
                writer_error(j, "intern stress terms", &err);
                goto out;
            }
        size_t a = 0, r = 0;
        if (ck_quads_add(w, batch, STRESS_BATCH, &a, &err) != CK_OK) {
            writer_error(j, "stress add", &err);
            goto out;
        }
        /* remove a slice of the remaining base quads too */
        const ck_quad *victims = f->base + N_REMOVE + c * 500;
        if (ck_quads_remove(w, victims, 500, &r, &err) != CK_OK) {
            writer_error(j, "stress remove", &err);
            goto out;
        }
        count += a;
        count -= r;
        if (ck_txn_commit(w, &err) != CK_OK) {
            w = NULL;
            writer_error(j, "stress commit", &err);
            goto out;
        }
        w = NULL;
        usleep(2000);
    }
    j->final_count = count;
out:
    ck_txn_abort(w);
    free(added);
    atomic_store(&j->phase, PH_DONE);
    return NULL;
}

static void assert_snapshot_is(ck_txn *txn, const quad_set *expected, quad_set *scratch,
                               const char *when)
{
    ck_error err = {0};
    uint64_t n = 0;
    assert_int_equal(count_all(txn, &n, &err), CK_OK);
    if (n != expected->n)
        fail_msg("%s: ck_count gives %llu, want %zu", when, (unsigned long long)n, expected->n);
    assert_int_equal(snapshot_quads(txn, scratch, &err), CK_OK);
    if (!set_equal(scratch, expected))
        fail_msg("%s: scan gives %zu quads that differ from the %zu expected", when, scratch->n,
                 expected->n);
}

static void test_reader_keeps_snapshot_across_commits(void **state)
{
    fixture *f = *state;
    ck_error err = {0};
    quad_set scratch = {0};
    ck_txn *old;
    assert_int_equal(ck_txn_begin_read(f->store, &old, &err), CK_OK);
    assert_snapshot_is(old, &f->base_sorted, &scratch, "old snapshot before the writer");
    uint64_t text0;
    assert_int_equal(snapshot_text_digest(old, &text0, &err), CK_OK);
    ck_store_stats st0;
    assert_int_equal(ck_store_stats_get(old, &st0, &err), CK_OK);
    assert_int_equal(st0.quads, N_QUADS);

    writer_job job = {.f = f};
    pthread_t writer;
    assert_int_equal(pthread_create(&writer, NULL, writer_main, &job), 0);

    int seen[PH_DONE + 1] = {0};
    int iterations = 0;
    for (;;) {
        int phase = atomic_load(&job.phase);
        /* the old snapshot never changes, whatever the writer does */
        assert_snapshot_is(old, &f->base_sorted, &scratch, "old snapshot while the writer works");
        seen[phase]++;
        iterations++;
        if (phase == PH_UNCOMMITTED && atomic_load(&job.acked) < PH_UNCOMMITTED) {
            /* uncommitted: a new reader sees the old state too */
            ck_txn *fresh;
            assert_int_equal(ck_txn_begin_read(f->store, &fresh, &err), CK_OK);
            assert_snapshot_is(fresh, &f->base_sorted, &scratch,
                               "new reader while the write is uncommitted");
            ck_term t = iri("http://city.example/new/subject/0");
            ck_id id = 1;
            assert_int_equal(ck_term_lookup(fresh, &t, &id, &err), CK_OK);
            assert_int_equal(id, 0); /* a term interned by the open writer */
            ck_txn_abort(fresh);
            atomic_store(&job.acked, PH_UNCOMMITTED);
        } else if (phase == PH_COMMITTED && atomic_load(&job.acked) < PH_COMMITTED) {
            ck_txn *fresh;
            assert_int_equal(ck_txn_begin_read(f->store, &fresh, &err), CK_OK);
            assert_snapshot_is(fresh, &job.after_first, &scratch, "new reader after the commit");
            ck_term t = iri("http://city.example/new/subject/0");
            ck_id id = 0;
            assert_int_equal(ck_term_lookup(fresh, &t, &id, &err), CK_OK);
            assert_true(id != 0);
            /* ... while the old reader still does not know the new term */
            ck_id old_id = 1;
            assert_int_equal(ck_term_lookup(old, &t, &old_id, &err), CK_OK);
            assert_int_equal(old_id, 0);
            ck_txn_abort(fresh);
            atomic_store(&job.acked, PH_COMMITTED);
        } else if (phase == PH_DONE) {
            break;
        }
    }
    assert_int_equal(pthread_join(writer, NULL), 0);
    if (job.error[0])
        fail_msg("writer: %s", job.error);
    assert_true(seen[PH_STRESS] + seen[PH_DONE] > 0);
    assert_true(iterations >= 3);
    print_message("reader: %d iterations (%d during the stress commits)\n", iterations,
                  seen[PH_STRESS]);

    /* after all commits, the old snapshot still has the old terms and stats */
    assert_snapshot_is(old, &f->base_sorted, &scratch, "old snapshot after all commits");
    uint64_t text1;
    assert_int_equal(snapshot_text_digest(old, &text1, &err), CK_OK);
    assert_true(text0 == text1);
    ck_store_stats st1;
    assert_int_equal(ck_store_stats_get(old, &st1, &err), CK_OK);
    assert_int_equal(st1.quads, N_QUADS);
    assert_int_equal(st1.terms, st0.terms);
    ck_txn_abort(old);

    /* a new reader sees the final state, and the store checks clean */
    ck_txn *fresh;
    assert_int_equal(ck_txn_begin_read(f->store, &fresh, &err), CK_OK);
    uint64_t n = 0;
    assert_int_equal(count_all(fresh, &n, &err), CK_OK);
    assert_int_equal(n, job.final_count);
    ck_store_stats st2;
    assert_int_equal(ck_store_stats_get(fresh, &st2, &err), CK_OK);
    assert_int_equal(st2.quads, job.final_count);
    if (ck_store_check(fresh, NULL, &err) != CK_OK)
        fail_msg("ck_store_check: %s", err.message);
    ck_txn_abort(fresh);
    free(scratch.q);
    free(job.after_first.q);
}

/* ---- test 2: readers in several threads see only committed states ---------- */

#define READERS 3
#define COMMITS 20

typedef struct {
    fixture *f;
    atomic_int done;
    uint64_t committed[COMMITS + 1]; /* count after commit k (0 = initial) */
    atomic_int published;            /* committed[0..published] are valid */
    char error[READERS][1200];
    int snapshots[READERS];
} multi_job;

typedef struct {
    multi_job *m;
    int index;
} reader_arg;

static void *reader_main(void *arg)
{
    reader_arg *ra = arg;
    multi_job *m = ra->m;
    char *error = m->error[ra->index];
    ck_error err = {0};
    quad_set first = {0}, again = {0};
    while (!atomic_load(&m->done) && !error[0]) {
        /* the counts a new snapshot may have: any already published one,
         * or the one of the commit in flight */
        int lo = atomic_load(&m->published);
        ck_txn *r;
        if (ck_txn_begin_read(m->f->store, &r, &err) != CK_OK) {
            snprintf(error, 1200, "begin read: %s", err.message);
            break;
        }
        uint64_t n = 0;
        if (count_all(r, &n, &err) != CK_OK || snapshot_quads(r, &first, &err) != CK_OK) {
            snprintf(error, 1200, "read: %s", err.message);
            ck_txn_abort(r);
            break;
        }
        int hi = atomic_load(&m->published) + 1;
        bool known = false;
        for (int k = lo; k <= hi && k <= COMMITS; k++)
            known |= n == m->committed[k];
        if (!known || first.n != n) {
            snprintf(error, 1200,
                     "snapshot holds %llu quads (scan %zu): not a committed state between "
                     "commits %d and %d",
                     (unsigned long long)n, first.n, lo, hi);
            ck_txn_abort(r);
            break;
        }
        for (int rep = 0; rep < 3; rep++) {
            usleep(1000);
            if (snapshot_quads(r, &again, &err) != CK_OK || !set_equal(&first, &again)) {
                snprintf(error, 1200, "snapshot changed while it was open (%zu -> %zu quads)",
                         first.n, again.n);
                break;
            }
        }
        ck_txn_abort(r);
        m->snapshots[ra->index]++;
    }
    free(first.q);
    free(again.q);
    return NULL;
}

static void test_concurrent_readers_see_only_committed_states(void **state)
{
    fixture *f = *state;
    ck_error err = {0};
    multi_job m = {.f = f};
    /* the count after each commit is known before the readers start */
    m.committed[0] = N_QUADS;
    for (int c = 1; c <= COMMITS; c++)
        m.committed[c] = m.committed[c - 1] + (uint64_t)(400 + 37 * c) - (c % 2 ? 300 : 0);
    uint64_t count = N_QUADS;
    pthread_t readers[READERS];
    reader_arg args[READERS];
    for (int i = 0; i < READERS; i++) {
        args[i] = (reader_arg){&m, i};
        assert_int_equal(pthread_create(&readers[i], NULL, reader_main, &args[i]), 0);
    }
    for (int c = 1; c <= COMMITS; c++) {
        ck_txn *w;
        assert_int_equal(ck_txn_begin_write(f->store, &w, &err), CK_OK);
        char family[16];
        snprintf(family, sizeof family, "multi%d", c);
        int add = 400 + 37 * c, del = c % 2 ? 300 : 0;
        ck_quad *batch = malloc((size_t)add * sizeof *batch);
        for (int i = 0; i < add; i++)
            assert_int_equal(make_quad(w, family, i, &batch[i], &err), CK_OK);
        size_t a = 0, r = 0;
        assert_int_equal(ck_quads_add(w, batch, (size_t)add, &a, &err), CK_OK);
        assert_int_equal(a, add);
        if (del) {
            assert_int_equal(ck_quads_remove(w, f->base + (c / 2) * 300, (size_t)del, &r, &err),
                             CK_OK);
            assert_int_equal(r, del);
        }
        usleep(3000); /* readers run while the write is open */
        assert_int_equal(ck_txn_commit(w, &err), CK_OK);
        count = m.committed[c];
        atomic_store(&m.published, c);
        free(batch);
        usleep(3000);
    }
    atomic_store(&m.done, 1);
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_join(readers[i], NULL), 0);
    for (int i = 0; i < READERS; i++) {
        if (m.error[i][0])
            fail_msg("reader %d: %s", i, m.error[i]);
        assert_true(m.snapshots[i] > 0);
    }
    ck_txn *r;
    assert_int_equal(ck_txn_begin_read(f->store, &r, &err), CK_OK);
    uint64_t n = 0;
    assert_int_equal(count_all(r, &n, &err), CK_OK);
    assert_int_equal(n, count);
    if (ck_store_check(r, NULL, &err) != CK_OK)
        fail_msg("ck_store_check: %s", err.message);
    ck_txn_abort(r);
}

/* ---- test 3: uncommitted changes are invisible; abort discards them --------- */

typedef struct {
    ck_store *store;
    uint64_t count;
    ck_id lookup;
    char error[1200];
} probe_job;

static void *probe_main(void *arg)
{
    probe_job *p = arg;
    ck_error err = {0};
    ck_txn *r;
    if (ck_txn_begin_read(p->store, &r, &err) != CK_OK) {
        snprintf(p->error, sizeof p->error, "begin read: %s", err.message);
        return NULL;
    }
    ck_term t = iri("http://city.example/aborted/subject/0");
    if (count_all(r, &p->count, &err) != CK_OK || ck_term_lookup(r, &t, &p->lookup, &err) != CK_OK)
        snprintf(p->error, sizeof p->error, "read: %s", err.message);
    ck_txn_abort(r);
    return NULL;
}

static void test_uncommitted_invisible_and_abort_discards(void **state)
{
    fixture *f = *state;
    ck_error err = {0};
    quad_set scratch = {0};
    ck_txn *before;
    assert_int_equal(ck_txn_begin_read(f->store, &before, &err), CK_OK);
    ck_store_stats st_before;
    assert_int_equal(ck_store_stats_get(before, &st_before, &err), CK_OK);

    ck_txn *w;
    assert_int_equal(ck_txn_begin_write(f->store, &w, &err), CK_OK);
    ck_quad batch[3000];
    for (int i = 0; i < 3000; i++)
        assert_int_equal(make_quad(w, "aborted", i, &batch[i], &err), CK_OK);
    size_t a = 0, r = 0;
    assert_int_equal(ck_quads_add(w, batch, 3000, &a, &err), CK_OK);
    assert_int_equal(a, 3000);
    assert_int_equal(ck_quads_remove(w, f->base, 1000, &r, &err), CK_OK);
    assert_int_equal(r, 1000);
    ck_id blank = ck_blank_new(w);
    ck_quad bq = {CK_DEFAULT_GRAPH, blank, batch[0].p, batch[0].o};
    assert_int_equal(ck_quads_add(w, &bq, 1, &a, &err), CK_OK);
    uint64_t own = 0;
    assert_int_equal(count_all(w, &own, &err), CK_OK);
    assert_int_equal(own, N_QUADS + 3000 - 1000 + 1);

    /* readers begun before and during the write see nothing of it: in this
     * thread and in another */
    assert_snapshot_is(before, &f->base_sorted, &scratch, "reader begun before the write");
    ck_txn *during;
    assert_int_equal(ck_txn_begin_read(f->store, &during, &err), CK_OK);
    assert_snapshot_is(during, &f->base_sorted, &scratch, "reader begun during the write");
    ck_txn_abort(during);
    probe_job probe = {.store = f->store, .lookup = 1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, probe_main, &probe), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    if (probe.error[0])
        fail_msg("probe thread: %s", probe.error);
    assert_int_equal(probe.count, N_QUADS);
    assert_int_equal(probe.lookup, 0);

    ck_txn_abort(w);

    /* after the abort: unchanged, for old and new readers */
    assert_snapshot_is(before, &f->base_sorted, &scratch, "reader begun before the aborted write");
    ck_txn_abort(before);
    ck_txn *after;
    assert_int_equal(ck_txn_begin_read(f->store, &after, &err), CK_OK);
    assert_snapshot_is(after, &f->base_sorted, &scratch, "reader begun after the abort");
    ck_term gone = iri("http://city.example/aborted/subject/0");
    ck_id id = 1;
    assert_int_equal(ck_term_lookup(after, &gone, &id, &err), CK_OK);
    assert_int_equal(id, 0);
    ck_store_stats st_after;
    assert_int_equal(ck_store_stats_get(after, &st_after, &err), CK_OK);
    assert_int_equal(st_after.quads, st_before.quads);
    assert_int_equal(st_after.terms, st_before.terms);
    assert_int_equal(st_after.blank_nodes, st_before.blank_nodes);
    ck_txn_abort(after);

    /* ... and after closing and reopening the store */
    ck_store_close(f->store);
    f->store = NULL;
    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    assert_int_equal(ck_txn_begin_read(f->store, &after, &err), CK_OK);
    assert_snapshot_is(after, &f->base_sorted, &scratch, "reopened store after the abort");
    id = 1;
    assert_int_equal(ck_term_lookup(after, &gone, &id, &err), CK_OK);
    assert_int_equal(id, 0);
    if (ck_store_check(after, NULL, &err) != CK_OK)
        fail_msg("ck_store_check after abort and reopen: %s", err.message);
    ck_txn_abort(after);

    /* the next write works normally and the ids it hands out resolve */
    assert_int_equal(ck_txn_begin_write(f->store, &w, &err), CK_OK);
    ck_quad q;
    assert_int_equal(make_quad(w, "aborted", 0, &q, &err), CK_OK);
    assert_int_equal(ck_quads_add(w, &q, 1, &a, &err), CK_OK);
    assert_int_equal(a, 1);
    assert_int_equal(ck_txn_commit(w, &err), CK_OK);
    assert_int_equal(ck_txn_begin_read(f->store, &after, &err), CK_OK);
    uint64_t n = 0;
    assert_int_equal(count_all(after, &n, &err), CK_OK);
    assert_int_equal(n, N_QUADS + 1);
    ck_term t_s;
    ck_term_buf buf;
    assert_int_equal(ck_term_resolve(after, q.s, &t_s, &buf, &err), CK_OK);
    assert_int_equal(t_s.value_len, strlen("http://city.example/aborted/subject/0"));
    assert_memory_equal(t_s.value, "http://city.example/aborted/subject/0", t_s.value_len);
    if (ck_store_check(after, NULL, &err) != CK_OK)
        fail_msg("ck_store_check after the next write: %s", err.message);
    ck_txn_abort(after);
    free(scratch.q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reader_keeps_snapshot_across_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_readers_see_only_committed_states, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_uncommitted_invisible_and_abort_discards, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("snapshot-isolation", tests, NULL, NULL);
}
