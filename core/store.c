/*
 * store.c — opening a store, transactions, adding/removing quads, scans.
 */
#include "store_internal.h"
#include "bytes.h"
#include "graph_scan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAP_SIZE_GIB 256

ck_status ck_error_set(ck_error *err, ck_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

ck_status ck_lmdb_error(ck_error *err, int rc, const char *what)
{
    ck_status code = CK_ERR_IO;
    if (rc == MDB_MAP_FULL || rc == MDB_READERS_FULL)
        code = CK_ERR_FULL;
    else if (rc == ENOMEM)
        code = CK_ERR_NOMEM;
    else if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID)
        code = CK_ERR_CORRUPT;
    return ck_error_set(err, code, "%s: %s", what, mdb_strerror(rc));
}

/* ---- opening ------------------------------------------------------------- */

static int mkdir_p(const char *path)
{
    char *tmp = strdup(path);
    if (!tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) && errno != EEXIST) {
                free(tmp);
                return -1;
            }
            *p = '/';
        }
    }
    int rc = mkdir(tmp, 0755);
    free(tmp);
    return rc && errno != EEXIST ? -1 : 0;
}

static const char *meta_key_version = "format_version";
static const char *meta_key_next_dict = "next_dict_id";
static const char *meta_key_next_blank = "next_blank_id";

static int meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *out)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == 0 && v.mv_size == 8)
        *out = bytes_get_be64(v.mv_data);
    return rc;
}

static int meta_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t value)
{
    unsigned char b[8];
    bytes_put_be64(b, value);
    MDB_val k = {strlen(key), (void *)key}, v = {8, b};
    return mdb_put(txn, dbi, &k, &v, 0);
}

/* Present: the graph-first indexes hold one graph per block (quad_index.h). */
static const char *meta_key_graph_blocks = "graph_blocks";

/* Re-packs the graph-first indexes of a store written before blocks were
 * kept to one graph each (an empty store needs nothing), then sets the
 * flag. One time, in the opening transaction: all or nothing. */
static ck_status graph_blocks_open(ck_store *s, MDB_txn *txn, ck_error *err)
{
    MDB_val k = {strlen(meta_key_graph_blocks), (void *)meta_key_graph_blocks}, v;
    int rc = mdb_get(txn, s->meta, &k, &v);
    if (rc != MDB_NOTFOUND)
        return rc ? ck_lmdb_error(err, rc, "reading the store's flags") : CK_OK;
    static const quad_perm graph_first[] = {PERM_GSPO, PERM_GPOS, PERM_GOSP};
    MDB_stat st;
    rc = mdb_stat(txn, s->index[PERM_GSPO], &st);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the gspo index");
    bool tell = st.ms_entries > 1000; /* blocks: about 150k quads and more */
    for (size_t i = 0; i < sizeof graph_first / sizeof *graph_first && st.ms_entries; i++) {
        if (tell)
            fprintf(stderr, "citykg: %s: re-packing the %s index, one graph per block (once)\n", s->path,
                    quad_perm_names[graph_first[i]]);
        uint64_t rows;
        ck_status cs = quad_index_repack(txn, s->index[graph_first[i]], true, &rows, err);
        if (cs != CK_OK)
            return cs;
    }
    unsigned char one = 1;
    v = (MDB_val){1, &one};
    rc = mdb_put(txn, s->meta, &k, &v, 0);
    return rc ? ck_lmdb_error(err, rc, "writing the store's flags") : CK_OK;
}

static int open_databases(ck_store *s, MDB_txn *txn, bool create)
{
    unsigned c = create ? MDB_CREATE : 0;
    int rc = mdb_dbi_open(txn, "meta", c, &s->meta);
    if (!rc)
        rc = mdb_dbi_open(txn, "id2term", c, &s->id2term);
    if (!rc)
        rc = mdb_dbi_open(txn, "term2id", c | MDB_DUPSORT | MDB_DUPFIXED, &s->term2id);
    if (!rc)
        rc = mdb_dbi_open(txn, "stats", c, &s->stats);
    for (int i = 0; i < PERM_COUNT && !rc; i++)
        rc = mdb_dbi_open(txn, quad_perm_names[i], c, &s->index[i]);
    s->has_psog = rc == 0;
    if (rc == MDB_NOTFOUND && !create)
        rc = 0; /* a format-3 store read as it is: no psog (it is opened last) */
    if (!rc) {
        /* stores older than access control have no acl database; read-only
         * they simply have no tokens and no levels */
        int arc = mdb_dbi_open(txn, "acl", c, &s->acl);
        s->has_acl = arc == 0;
        if (arc && !(arc == MDB_NOTFOUND && !create))
            rc = arc;
    }
    return rc;
}

static uint64_t map_size_bytes(void)
{
    const char *env = getenv("CITYKG_MAP_SIZE_GIB");
    uint64_t gib = env && atoll(env) > 0 ? (uint64_t)atoll(env) : DEFAULT_MAP_SIZE_GIB;
    return gib << 30;
}

ck_status ck_store_open(const char *dir, unsigned flags, ck_store **out, ck_error *err)
{
    *out = NULL;
    struct stat sb;
    bool readonly = flags & CK_OPEN_READONLY;
    if (stat(dir, &sb) != 0) {
        if (!(flags & CK_OPEN_CREATE) || readonly)
            return ck_error_set(err, CK_ERR_NOT_FOUND, "no store at %s (directory missing)", dir);
        if (mkdir_p(dir) != 0)
            return ck_error_set(err, CK_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return ck_error_set(err, CK_ERR_INVALID, "%s is not a directory", dir);
    }
    char datafile[4096];
    snprintf(datafile, sizeof datafile, "%s/data.mdb", dir);
    if (readonly && stat(datafile, &sb) != 0)
        return ck_error_set(err, CK_ERR_NOT_FOUND, "no store at %s (no data.mdb)", dir);

    ck_store *s = calloc(1, sizeof *s);
    if (!s)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    s->path = strdup(dir);
    s->readonly = readonly;
    int rc = mdb_env_create(&s->env);
    if (!rc)
        rc = mdb_env_set_maxdbs(s->env, 32); /* 17 in use */
    if (!rc)
        rc = mdb_env_set_maxreaders(s->env, 1024);
    if (!rc)
        rc = mdb_env_set_mapsize(s->env, map_size_bytes());
    if (!rc)
        rc = mdb_env_open(s->env, dir, MDB_NOTLS | (readonly ? MDB_RDONLY : 0), 0644);
    if (rc) {
        ck_lmdb_error(err, rc, dir);
        ck_store_close(s);
        return err ? err->code : CK_ERR_IO;
    }
    MDB_txn *txn;
    rc = mdb_txn_begin(s->env, NULL, readonly ? MDB_RDONLY : 0, &txn);
    if (rc) {
        ck_lmdb_error(err, rc, "opening store");
        ck_store_close(s);
        return err ? err->code : CK_ERR_IO;
    }
    rc = open_databases(s, txn, !readonly);
    uint64_t version = 0;
    if (!rc) {
        rc = meta_get_u64(txn, s->meta, meta_key_version, &version);
        if (rc == MDB_NOTFOUND && !readonly) {
            version = CK_FORMAT_VERSION;
            rc = meta_put_u64(txn, s->meta, meta_key_version, version);
            if (!rc)
                rc = meta_put_u64(txn, s->meta, meta_key_next_dict, 1);
            if (!rc)
                rc = meta_put_u64(txn, s->meta, meta_key_next_blank, 1);
        }
    }
    if (rc) {
        mdb_txn_abort(txn);
        if (rc == MDB_NOTFOUND)
            ck_error_set(err, CK_ERR_INVALID, "%s is not a citykg store", dir);
        else
            ck_lmdb_error(err, rc, "opening store databases");
        ck_store_close(s);
        return err ? err->code : CK_ERR_IO;
    }
    if (version < CK_FORMAT_OLDEST || version > CK_FORMAT_VERSION) {
        mdb_txn_abort(txn);
        ck_store_close(s);
        return ck_error_set(err, CK_ERR_INVALID,
                            "%s has store format %llu; this citykg reads formats %d to %d", dir,
                            (unsigned long long)version, CK_FORMAT_OLDEST, CK_FORMAT_VERSION);
    }
    if (version < CK_FORMAT_PSOG && readonly) {
        s->has_psog = false; /* format 3: none */
    } else if (version < CK_FORMAT_PSOG) {
        ck_status st = store_build_psog(s, txn, err);
        rc = st ? 0 : meta_put_u64(txn, s->meta, meta_key_version, CK_FORMAT_VERSION);
        if (st || rc) {
            mdb_txn_abort(txn);
            if (rc)
                ck_lmdb_error(err, rc, "upgrading the store format");
            ck_store_close(s);
            return err ? err->code : CK_ERR_IO;
        }
    }
    rc = spatial_open(s, txn, readonly);
    if (rc) {
        mdb_txn_abort(txn);
        ck_lmdb_error(err, rc, "opening the spatial index");
        ck_store_close(s);
        return err ? err->code : CK_ERR_IO;
    }
    ck_status gs = readonly ? CK_OK : graph_blocks_open(s, txn, err);
    if (gs == CK_OK)
        gs = values_open(s, txn, readonly, err);
    if (gs != CK_OK) {
        mdb_txn_abort(txn);
        ck_store_close(s);
        return gs;
    }
    rc = mdb_txn_commit(txn);
    if (rc) {
        ck_lmdb_error(err, rc, "opening store");
        ck_store_close(s);
        return err ? err->code : CK_ERR_IO;
    }
    *out = s;
    return CK_OK;
}

void ck_store_close(ck_store *s)
{
    if (!s)
        return;
    if (s->env)
        mdb_env_close(s->env);
    free(s->path);
    free(s);
}

const char *ck_store_path(const ck_store *s) { return s->path; }

/* ---- transactions ----------------------------------------------------------- */

ck_status ck_txn_begin_read(ck_store *s, ck_txn **out, ck_error *err)
{
    *out = NULL;
    ck_txn *t = calloc(1, sizeof *t);
    if (!t)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->mdb);
    if (rc) {
        free(t);
        return ck_lmdb_error(err, rc, "beginning read transaction");
    }
    t->store = s;
    *out = t;
    return CK_OK;
}

ck_status ck_txn_begin_write(ck_store *s, ck_txn **out, ck_error *err)
{
    *out = NULL;
    if (s->readonly)
        return ck_error_set(err, CK_ERR_INVALID, "store %s is open read-only", s->path);
    ck_txn *t = calloc(1, sizeof *t);
    if (!t)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    t->store = s;
    t->write = true;
    t->cache = term_cache_new();
    int rc = t->cache ? mdb_txn_begin(s->env, NULL, 0, &t->mdb) : ENOMEM;
    if (!rc)
        rc = meta_get_u64(t->mdb, s->meta, meta_key_next_dict, &t->next_dict_id);
    if (!rc)
        rc = meta_get_u64(t->mdb, s->meta, meta_key_next_blank, &t->next_blank_id);
    MDB_stat dict;
    if (!rc)
        rc = mdb_stat(t->mdb, s->id2term, &dict);
    if (!rc)
        term_cache_set_complete(t->cache, dict.ms_entries == 0);
    if (rc) {
        ck_lmdb_error(err, rc, "beginning write transaction");
        ck_txn_abort(t);
        return err ? err->code : CK_ERR_IO;
    }
    *out = t;
    return CK_OK;
}

bool ck_txn_is_write(const ck_txn *t) { return t->write; }

void ck_txn_abort(ck_txn *t)
{
    if (!t)
        return;
    if (t->mdb)
        mdb_txn_abort(t->mdb);
    term_cache_free(t->cache);
    free(t);
}

ck_status ck_txn_commit(ck_txn *t, ck_error *err)
{
    if (!t->write) {
        ck_txn_abort(t);
        return CK_OK;
    }
    ck_status st = dict_flush(t, err);
    int rc = 0;
    if (st == CK_OK) {
        rc = meta_put_u64(t->mdb, t->store->meta, meta_key_next_dict, t->next_dict_id);
        if (!rc)
            rc = meta_put_u64(t->mdb, t->store->meta, meta_key_next_blank, t->next_blank_id);
        if (!rc)
            rc = mdb_txn_commit(t->mdb);
        t->mdb = NULL; /* committed or, on failure, aborted by LMDB */
        if (rc)
            st = ck_lmdb_error(err, rc, "committing");
    }
    ck_txn_abort(t);
    return st;
}

/* ---- adding and removing quads ------------------------------------------- */

/* Applies the changed quads (sorted spog rows) to psog: a stable sort by
 * predicate turns spog order into psog order. work and tmp hold n rows. */
static ck_status apply_psog(ck_txn *t, const quad_row *spog, quad_row *work, quad_row *tmp,
                            size_t n, bool inserting, ck_error *err)
{
    for (size_t i = 0; i < n; i++)
        work[i] = (quad_row){{spog[i].c[1], spog[i].c[0], spog[i].c[2], spog[i].c[3]}};
    quad_rows_sort_by_first(work, tmp, n);
    MDB_dbi dbi = t->store->index[PERM_PSOG];
    return inserting ? quad_index_insert(t->mdb, dbi, work, n, false, NULL, NULL, err)
                     : quad_index_remove(t->mdb, dbi, work, n, false, NULL, NULL, err);
}

/* Applies a batch to all seven permutations. rows arrive in spog layout and
 * are sorted here; only the quads that actually change (new ones when
 * inserting, present ones when removing) reach the other six indexes. */
static ck_status apply_batch(ck_txn *t, const ck_quad *quads, size_t n, bool inserting,
                             size_t *changed_out, ck_error *err)
{
    if (changed_out)
        *changed_out = 0;
    if (!t->write)
        return ck_error_set(err, CK_ERR_INVALID, "quads can only change in a write transaction");
    if (n == 0)
        return CK_OK;
    quad_row *base = malloc(n * sizeof *base);
    quad_row *work = malloc(n * sizeof *work);
    quad_row *tmp = malloc(n * sizeof *tmp);
    bool *flags = malloc(n * sizeof *flags);
    ck_status st = CK_OK;
    if (!base || !work || !tmp || !flags) {
        st = ck_error_set(err, CK_ERR_NOMEM, "out of memory for a batch of %zu quads", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!quads[i].s || !quads[i].p || !quads[i].o) {
            st = ck_error_set(err, CK_ERR_INVALID, "quad %zu of the batch has an unbound term", i);
            goto done;
        }
        quad_to_row(PERM_SPOG, &quads[i], &base[i]);
    }
    size_t m = quad_rows_sort_unique(base, tmp, n), changed = 0;
    st = inserting ? quad_index_insert(t->mdb, t->store->index[PERM_SPOG], base, m, false, flags,
                                       &changed, err)
                   : quad_index_remove(t->mdb, t->store->index[PERM_SPOG], base, m, false, flags,
                                       &changed, err);
    if (st || changed == 0)
        goto done;
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (flags[i])
            base[k++] = base[i];
    st = stats_apply(t, base, k, inserting ? 1 : -1, err);
    if (st == CK_OK)
        st = apply_psog(t, base, work, tmp, k, inserting, err);

    /* spog sorted -> gspo needs only a stable sort by graph; likewise posg ->
     * gpos and ospg -> gosp. */
    static const quad_perm order[][2] = {
        {PERM_SPOG, PERM_GSPO}, {PERM_POSG, PERM_GPOS}, {PERM_OSPG, PERM_GOSP}};
    for (int step = 0; step < 3 && st == CK_OK; step++) {
        quad_perm first = order[step][0], second = order[step][1];
        for (size_t i = 0; i < k; i++) {
            ck_quad q;
            row_to_quad(PERM_SPOG, &base[i], &q);
            quad_to_row(first, &q, &work[i]);
        }
        if (first != PERM_SPOG) {
            quad_rows_sort_unique(work, tmp, k);
            st = inserting ? quad_index_insert(t->mdb, t->store->index[first], work, k, false,
                                               NULL, NULL, err)
                           : quad_index_remove(t->mdb, t->store->index[first], work, k, false,
                                               NULL, NULL, err);
            if (st)
                break;
        }
        for (size_t i = 0; i < k; i++) {
            quad_row r = work[i];
            work[i] = (quad_row){{r.c[3], r.c[0], r.c[1], r.c[2]}}; /* g to the front */
        }
        quad_rows_sort_by_first(work, tmp, k);
        /* graph-first: each graph's rows in blocks of their own */
        st = inserting
                 ? quad_index_insert(t->mdb, t->store->index[second], work, k, true, NULL, NULL, err)
                 : quad_index_remove(t->mdb, t->store->index[second], work, k, true, NULL, NULL, err);
    }
    if (st == CK_OK)
        st = spatial_note_quads(t, base, k, inserting, err);
    if (st == CK_OK)
        st = values_note_quads(t, base, k, inserting, err);
    if (st == CK_OK && changed_out)
        *changed_out = k;
done:
    free(base);
    free(work);
    free(tmp);
    free(flags);
    return st;
}

ck_status ck_quads_add(ck_txn *t, const ck_quad *quads, size_t n, size_t *added, ck_error *err)
{
    return apply_batch(t, quads, n, true, added, err);
}

ck_status ck_quads_remove(ck_txn *t, const ck_quad *quads, size_t n, size_t *removed,
                          ck_error *err)
{
    return apply_batch(t, quads, n, false, removed, err);
}

/* ---- scans ----------------------------------------------------------------- */

struct ck_scan {
    ck_txn *txn;
    quad_perm perm;              /* the order quads come in */
    const ck_graph_set *graphs;  /* non-NULL: merged from these graphs' ranges */
    quad_index_cursor cursor;    /* graphs == NULL */
    graph_scan *merged;          /* graphs != NULL (allocated: most scans have none) */
    ck_error error;
};

/* Picks the permutation whose leading columns are exactly the bound ones;
 * psog for a pattern asking for subject order that posg (p and o bound)
 * would not give, where the store has it. */
static quad_perm choose_perm(const ck_store *store, const ck_pattern *p)
{
    bool s = p->s, pr = p->p, o = p->o;
    if (p->by_subject && pr && !o && !p->g_bound && !p->graphs && store->has_psog)
        return PERM_PSOG;
    if (p->g_bound) {
        if (pr && !s)
            return PERM_GPOS;
        if (o && !pr)
            return PERM_GOSP;
        return PERM_GSPO;
    }
    if (pr && !s)
        return PERM_POSG;
    if (o && !pr)
        return PERM_OSPG;
    return PERM_SPOG;
}

/* The graph-first permutation holding perm's order within each graph:
 * gspo for spog, gpos for posg, gosp for ospg. */
static quad_perm graph_first(quad_perm perm)
{
    return perm == PERM_POSG ? PERM_GPOS : perm == PERM_OSPG ? PERM_GOSP : PERM_GSPO;
}

/* Whether the pattern is scanned over its graph set's own ranges. */
static bool over_graph_set(const ck_pattern *p) { return p->graphs && !p->g_bound; }

/* The pattern's bound positions as a row prefix of perm; returns its length. */
static int scan_prefix(const ck_pattern *p, quad_perm perm, quad_row *prefix)
{
    ck_quad q = {p->g, p->s, p->p, p->o};
    quad_to_row(perm, &q, prefix);
    return (p->g_bound ? 1 : 0) + (p->s != 0) + (p->p != 0) + (p->o != 0);
}

/* Opens sc's cursor (or merged cursors) for p. */
static ck_status scan_start(ck_txn *t, ck_scan *sc, const ck_pattern *p, ck_error *err)
{
    sc->perm = choose_perm(t->store, p);
    sc->graphs = NULL;
    quad_row prefix;
    if (over_graph_set(p)) {
        if (!sc->merged && !(sc->merged = malloc(sizeof *sc->merged))) {
            sc->cursor = (quad_index_cursor){.done = true}; /* nothing to read or close */
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        }
        sc->graphs = p->graphs;
        /* the bound columns after g, in the graph-first layout */
        quad_perm gperm = graph_first(sc->perm);
        int bound = scan_prefix(p, gperm, &prefix);
        return graph_scan_open(sc->merged, t, gperm, sc->graphs, &prefix, bound, err);
    }
    int bound = scan_prefix(p, sc->perm, &prefix);
    t->work.seeks++;
    return quad_index_cursor_open(&sc->cursor, t->mdb, !t->write, t->store->index[sc->perm], &prefix,
                                  bound, err);
}

/* Adds the scan's work so far to its transaction's, and closes its cursors. */
static void scan_stop(ck_scan *sc)
{
    ck_scan_work *w = &sc->txn->work;
    if (sc->graphs) {
        uint64_t seeks, blocks, rows;
        graph_scan_work(sc->merged, &seeks, &blocks, &rows);
        w->seeks += seeks;
        w->blocks += blocks;
        w->rows += rows;
        graph_scan_close(sc->merged);
    } else {
        w->blocks += sc->cursor.blocks;
        w->rows += sc->cursor.returned;
        quad_index_cursor_close(&sc->cursor);
    }
}

ck_status ck_scan_open(ck_txn *t, const ck_pattern *p, ck_scan **out, ck_error *err)
{
    *out = NULL;
    ck_scan *sc = calloc(1, sizeof *sc);
    if (!sc)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    sc->txn = t;
    ck_status st = scan_start(t, sc, p, err);
    if (st) {
        ck_scan_close(sc);
        return st;
    }
    *out = sc;
    return CK_OK;
}

ck_status ck_scan_reset(ck_txn *t, ck_scan *sc, const ck_pattern *p, ck_error *err)
{
    quad_perm perm = choose_perm(t->store, p);
    const ck_graph_set *graphs = over_graph_set(p) ? p->graphs : NULL;
    sc->error = (ck_error){0};
    if (perm == sc->perm && graphs == sc->graphs) {
        quad_row prefix;
        if (graphs) {
            int bound = scan_prefix(p, graph_first(perm), &prefix);
            return graph_scan_seek(sc->merged, &prefix, bound, err);
        }
        int bound = scan_prefix(p, perm, &prefix);
        t->work.blocks += sc->cursor.blocks; /* the seek clears the cursor's counts */
        t->work.rows += sc->cursor.returned;
        t->work.seeks++;
        return quad_index_cursor_seek(&sc->cursor, &prefix, bound, err);
    }
    /* another index or graph set: cursors of their own */
    scan_stop(sc);
    sc->txn = t;
    ck_status st = scan_start(t, sc, p, err);
    if (st && !sc->graphs)
        sc->cursor.done = true; /* ck_scan_next ends at once; ck_scan_close frees */
    return st;
}

bool ck_scan_next(ck_scan *sc, ck_quad *q)
{
    const quad_row *r;
    if (sc->graphs) {
        r = graph_scan_next(sc->merged);
        if (!r && sc->merged->error.code)
            sc->error = sc->merged->error;
        if (r)
            row_to_quad(sc->merged->perm, r, q);
        return r != NULL;
    }
    r = quad_index_cursor_next(&sc->cursor);
    if (!r) {
        if (sc->cursor.error.code)
            sc->error = sc->cursor.error;
        return false;
    }
    row_to_quad(sc->perm, r, q);
    return true;
}

size_t ck_scan_next_many(ck_scan *sc, ck_quad *quads, size_t max)
{
    if (sc->graphs) { /* merged graph ranges: one at a time */
        size_t n = 0;
        while (n < max && ck_scan_next(sc, &quads[n]))
            n++;
        return n;
    }
    quad_row rows[64];
    size_t n = quad_index_cursor_next_many(&sc->cursor, rows, max < 64 ? max : 64);
    if (!n && sc->cursor.error.code)
        sc->error = sc->cursor.error;
    for (size_t i = 0; i < n; i++)
        row_to_quad(sc->perm, &rows[i], &quads[i]);
    return n;
}

const ck_error *ck_scan_error(const ck_scan *sc) { return &sc->error; }
const char *ck_scan_order(const ck_scan *sc) { return quad_perm_names[sc->perm]; }

ck_status ck_scan_skip_to_subject(ck_scan *sc, ck_id s, ck_error *err)
{
    quad_index_cursor *c = &sc->cursor;
    if (sc->perm != PERM_PSOG || sc->graphs || c->prefix_len != 1)
        return ck_error_set(err, CK_ERR_INVALID, "only a scan of one predicate's psog range "
                                                 "can skip to a subject");
    ck_scan_work *w = &sc->txn->work;
    w->seeks++;
    quad_row to = {{c->prefix.c[0], s, 0, 0}};
    ck_status st = quad_index_cursor_skip_to(c, &to, &sc->error);
    if (st && err)
        *err = sc->error;
    return st;
}

bool ck_by_subject_ready(const ck_txn *t) { return t->store->has_psog; }

void ck_scan_close(ck_scan *sc)
{
    if (!sc)
        return;
    scan_stop(sc);
    free(sc->merged);
    free(sc);
}

void ck_txn_scan_work(const ck_txn *t, ck_scan_work *out) { *out = t->work; }

ck_status ck_estimate(ck_txn *t, const ck_pattern *p, uint64_t exact_up_to, uint64_t *out,
                      bool *exact, ck_error *err)
{
    *out = 0;
    *exact = true;
    ck_scan *sc;
    ck_status st = ck_scan_open(t, p, &sc, err);
    if (st)
        return st;
    if (sc->graphs) {
        *out = graph_scan_estimate(sc->merged, exact_up_to, exact);
    } else {
        ck_quad q;
        while (*out < exact_up_to && ck_scan_next(sc, &q))
            (*out)++;
        if (*out == exact_up_to && !sc->cursor.done && !sc->error.code) {
            *exact = false;
            *out += quad_index_cursor_estimate_rest(&sc->cursor);
        }
    }
    /* estimate_rest reads on: its failure is in the cursor's error */
    const ck_error *e = sc->error.code ? &sc->error
                        : sc->graphs   ? &sc->merged->error
                                       : &sc->cursor.error;
    st = e->code;
    if (st && err)
        *err = *e;
    ck_scan_close(sc);
    return st;
}

ck_status ck_count(ck_txn *t, const ck_pattern *p, uint64_t *out, ck_error *err)
{
    *out = 0;
    ck_scan *sc;
    ck_status st = ck_scan_open(t, p, &sc, err);
    if (st)
        return st;
    ck_quad q;
    while (ck_scan_next(sc, &q))
        (*out)++;
    st = sc->error.code;
    if (st && err)
        *err = sc->error;
    ck_scan_close(sc);
    return st;
}

ck_status ck_count_matches(ck_txn *t, const ck_pattern *p, bool merge_graphs, uint64_t *out,
                           ck_error *err)
{
    quad_perm perm = choose_perm(t->store, p);
    quad_row prefix;
    int bound = scan_prefix(p, perm, &prefix);
    /* without g bound the permutation ends in g: copies are adjacent */
    return quad_index_count(t->mdb, t->store->index[perm], &prefix, bound,
                            merge_graphs && !p->g_bound, out, err);
}
