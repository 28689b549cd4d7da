/*
 * spatial_index.c — the envelope grid of geometry literals (see
 * spatial_index.h): reading envelopes from WKT and GeoJSON text, keeping
 * the "spatial" database current as the dictionary grows, searching it.
 */
#include "spatial_index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define META_SPATIAL "spatial_index"  /* present: the index is complete */
#define KEY_LEN 21                    /* crs 4, level 1, row 4, column 4, id 8 */
#define GRAPH_KEY_LEN (8 + KEY_LEN)   /* the graph grid: graph id 8, then as above */
#define META_SPATIAL_GRAPHS "spatial_graph_index" /* present: the graph grid is complete */
#define LEVEL_BIAS 64                 /* levels -64 .. 63: cell size 2^level */
#define RELATIVE_FINEST 20            /* cells no finer than 2^-20 of the coordinates */

/* ---- envelopes from text ------------------------------------------------ */

static void envelope_add(ck_envelope *e, bool *any, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (!*any) {
        *e = (ck_envelope){x, y, x, y};
        *any = true;
        return;
    }
    e->x0 = fmin(e->x0, x), e->y0 = fmin(e->y0, y);
    e->x1 = fmax(e->x1, x), e->y1 = fmax(e->y1, y);
}

static bool is_number_start(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.'; }

/* Coordinates in WKT: numbers separated by blanks, coordinates by ',' or
 * parentheses; the first two numbers of each are x and y. In GeoJSON the
 * innermost arrays [x, y, z?] are the positions: the first two numbers
 * after a '[' that opens no further array. */
static bool scan_coordinates(const char *s, const char *end, bool geojson, ck_envelope *env)
{
    bool any = false;
    int index = -1; /* position of the next number in the coordinate; -1: not in one */
    double x = 0;
    char buf[64];
    while (s < end) {
        char c = *s;
        if (geojson ? c == '[' : (c == '(' || c == ',')) {
            index = 0;
            s++;
        } else if (geojson ? (c == ']' || (c == ',' && index < 0)) : c == ')') {
            index = -1;
            s++;
        } else if (geojson && c == ',') {
            s++;
        } else if (is_number_start(c) && index >= 0) {
            size_t n = 0;
            while (s < end && n + 1 < sizeof buf && (is_number_start(*s) || *s == 'e' || *s == 'E'))
                buf[n++] = *s++;
            buf[n] = '\0';
            char *stop;
            double v = strtod(buf, &stop);
            if (stop == buf)
                return false;
            if (index == 0)
                x = v;
            else if (index == 1)
                envelope_add(env, &any, x, v);
            index++;
        } else if (geojson && c == '"') {
            /* a key or string: skip it, and what a "[" inside it would mean */
            for (s++; s < end && *s != '"'; s++)
                if (*s == '\\')
                    s++;
            s++;
            index = -1;
        } else {
            s++;
        }
    }
    return any;
}

/* The CRS code of "<iri>": 0 for CRS84, the EPSG code, or false. */
static bool crs_of_iri(const char *iri, size_t len, uint32_t *crs)
{
    static const char *const prefixes[] = {"http://www.opengis.net/def/crs/", "https://www.opengis.net/def/crs/"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(prefixes[i]);
        if (len < n || memcmp(iri, prefixes[i], n) != 0)
            continue;
        const char *rest = iri + n;
        size_t rlen = len - n;
        if (rlen == 13 && memcmp(rest, "OGC/1.3/CRS84", 13) == 0) {
            *crs = 0;
            return true;
        }
        if (rlen <= 7 || rlen > 16 || memcmp(rest, "EPSG/0/", 7) != 0)
            return false;
        uint64_t code = 0;
        for (size_t k = 7; k < rlen; k++) {
            if (rest[k] < '0' || rest[k] > '9')
                return false;
            code = code * 10 + (uint64_t)(rest[k] - '0');
        }
        if (code == 0 || code > UINT32_MAX)
            return false;
        *crs = (uint32_t)code;
        return true;
    }
    return false;
}

bool ck_geometry_envelope(const char *datatype, size_t datatype_len, const char *lex, size_t lex_len,
                          uint32_t *crs, ck_envelope *env)
{
    const char *end = lex + lex_len;
    if (datatype_len == strlen(CK_GEO_GEOJSON_LITERAL) && memcmp(datatype, CK_GEO_GEOJSON_LITERAL, datatype_len) == 0) {
        *crs = 0;
        return scan_coordinates(lex, end, true, env);
    }
    if (datatype_len != strlen(CK_GEO_WKT_LITERAL) || memcmp(datatype, CK_GEO_WKT_LITERAL, datatype_len) != 0)
        return false;
    while (lex < end && (*lex == ' ' || *lex == '\t' || *lex == '\n' || *lex == '\r'))
        lex++;
    *crs = 0;
    if (lex < end && *lex == '<') {
        const char *close = memchr(lex, '>', (size_t)(end - lex));
        if (!close || !crs_of_iri(lex + 1, (size_t)(close - lex - 1), crs))
            return false;
        lex = close + 1;
    }
    return scan_coordinates(lex, end, false, env);
}

/* ---- keys ---------------------------------------------------------------- */

static int32_t cell_of(double v, int level)
{
    double c = floor(ldexp(v, -level));
    return c < INT32_MIN ? INT32_MIN : c > INT32_MAX ? INT32_MAX : (int32_t)c;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8),
    p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One of the two grids: the whole store's (key: crs, level, row, column,
 * id) or one graph's in the graph grid (the same, after the graph's id). */
typedef struct {
    MDB_dbi dbi;
    bool by_graph;
    ck_id graph;
} grid;

static grid store_grid(ck_txn *txn) { return (grid){txn->store->spatial, false, 0}; }
static grid graph_grid(ck_txn *txn, ck_id g) { return (grid){txn->store->spatial_graphs, true, g}; }

/* Bytes before the crs: the graph's id in the graph grid. */
static size_t grid_prefix(const grid *gr) { return gr->by_graph ? 8 : 0; }

/* Writes the key into k (room for GRAPH_KEY_LEN); returns its length. */
static size_t make_key(const grid *gr, unsigned char *k, uint32_t crs, int level, int32_t row, int32_t col,
                       ck_id id)
{
    size_t at = grid_prefix(gr);
    if (gr->by_graph)
        bytes_put_be64(k, gr->graph);
    put_be32(k + at, crs);
    k[at + 4] = (unsigned char)(level + LEVEL_BIAS);
    put_be32(k + at + 5, (uint32_t)row ^ 0x80000000u); /* biased: byte order = numeric order */
    put_be32(k + at + 9, (uint32_t)col ^ 0x80000000u);
    bytes_put_be64(k + at + 13, id);
    return at + KEY_LEN;
}

/* The level of an envelope: cells at least as large as it, not finer than
 * RELATIVE_FINEST binary digits below its coordinates' magnitude. */
static int level_of(const ck_envelope *e)
{
    double size = fmax(e->x1 - e->x0, e->y1 - e->y0);
    double magnitude = fmax(fmax(fabs(e->x0), fabs(e->x1)), fmax(fmax(fabs(e->y0), fabs(e->y1)), 1));
    int finest = ilogb(magnitude) - RELATIVE_FINEST;
    int level = size > 0 ? ilogb(size) + (ldexp(1, ilogb(size)) < size) : finest;
    if (level < finest)
        level = finest;
    return level < -LEVEL_BIAS ? -LEVEL_BIAS : level > LEVEL_BIAS - 1 ? LEVEL_BIAS - 1 : level;
}

static int put_entry(ck_txn *txn, const grid *gr, ck_id id, uint32_t crs, const ck_envelope *e)
{
    int level = level_of(e);
    unsigned char k[GRAPH_KEY_LEN];
    size_t len = make_key(gr, k, crs, level, cell_of(e->y0, level), cell_of(e->x0, level), id);
    double v[4] = {e->x0, e->y0, e->x1, e->y1};
    MDB_val key = {len, k}, val = {sizeof v, v};
    return mdb_put(txn->mdb, gr->dbi, &key, &val, 0);
}

static int delete_entry(ck_txn *txn, const grid *gr, ck_id id, uint32_t crs, const ck_envelope *e)
{
    int level = level_of(e);
    unsigned char k[GRAPH_KEY_LEN];
    size_t len = make_key(gr, k, crs, level, cell_of(e->y0, level), cell_of(e->x0, level), id);
    MDB_val key = {len, k};
    int rc = mdb_del(txn->mdb, gr->dbi, &key, NULL);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* ---- keeping it current -------------------------------------------------- */

ck_status spatial_note_term(ck_txn *txn, const ck_term *t, ck_id id, ck_error *err)
{
    uint32_t crs;
    ck_envelope e;
    if (!txn->store->has_spatial || !t->datatype ||
        !ck_geometry_envelope(t->datatype, t->datatype_len, t->value, t->value_len, &crs, &e))
        return CK_OK;
    grid gr = store_grid(txn);
    int rc = put_entry(txn, &gr, id, crs, &e);
    return rc ? ck_lmdb_error(err, rc, "writing the spatial index") : CK_OK;
}

static const char *const geometry_datatypes[2] = {CK_GEO_WKT_LITERAL, CK_GEO_GEOJSON_LITERAL};

/* The dictionary ids of the two geometry datatypes (0: not in the store). */
static ck_status geometry_datatype_ids(ck_txn *txn, ck_id dt[2], ck_error *err)
{
    for (int i = 0; i < 2; i++) {
        ck_term iri = {.kind = CK_TERM_IRI, .value = geometry_datatypes[i],
                       .value_len = strlen(geometry_datatypes[i])};
        ck_status st = ck_term_lookup(txn, &iri, &dt[i], err);
        if (st != CK_OK)
            return st;
    }
    return CK_OK;
}

/* The CRS and envelope of a dictionary entry (id2term value: datatype id,
 * then the lexical form) when it is a geometry literal. */
static bool entry_geometry(const MDB_val *v, const ck_id dt[2], uint32_t *crs, ck_envelope *e)
{
    const unsigned char *p = v->mv_data, *end = p + v->mv_size;
    uint64_t datatype;
    if (!bytes_get_varint(&p, end, &datatype) || !datatype || (datatype != dt[0] && datatype != dt[1]))
        return false;
    const char *name = geometry_datatypes[datatype == dt[0] ? 0 : 1];
    return ck_geometry_envelope(name, strlen(name), (const char *)p, (size_t)(end - p), crs, e);
}

/* Whether graph g still has a quad with object o (gosp). */
static ck_status graph_uses_object(ck_txn *txn, ck_id g, ck_id o, bool *used, ck_error *err)
{
    quad_index_cursor c;
    quad_row prefix = {{g, o, 0, 0}};
    ck_status st = quad_index_cursor_open(&c, txn->mdb, !txn->write, txn->store->index[PERM_GOSP], &prefix, 2, err);
    if (st == CK_OK) {
        *used = quad_index_cursor_next(&c) != NULL;
        if (c.error.code)
            st = err ? (*err = c.error, err->code) : c.error.code;
    }
    quad_index_cursor_close(&c);
    return st;
}

ck_status spatial_note_quads(ck_txn *txn, const quad_row *spog, size_t n, bool inserting, ck_error *err)
{
    if (!txn->store->has_spatial || !txn->store->spatial_graphs_ready)
        return CK_OK;
    ck_id dt[2];
    ck_status st = geometry_datatype_ids(txn, dt, err);
    if (st != CK_OK || (!dt[0] && !dt[1]))
        return st;
    for (size_t i = 0; i < n; i++) {
        ck_id o = spog[i].c[2], g = spog[i].c[3];
        if (ck_id_tag(o) != CK_TAG_TYPED)
            continue;
        unsigned char kb[8];
        bytes_put_be64(kb, o);
        MDB_val k = {8, kb}, v;
        int rc = mdb_get(txn->mdb, txn->store->id2term, &k, &v);
        if (rc)
            return ck_lmdb_error(err, rc, "reading a geometry literal for the spatial index");
        uint32_t crs;
        ck_envelope e;
        if (!entry_geometry(&v, dt, &crs, &e))
            continue;
        grid gr = graph_grid(txn, g);
        if (!inserting) {
            bool used;
            if ((st = graph_uses_object(txn, g, o, &used, err)) != CK_OK)
                return st;
            if (used)
                continue; /* another quad of g has the same geometry */
        }
        rc = inserting ? put_entry(txn, &gr, o, crs, &e) : delete_entry(txn, &gr, o, crs, &e);
        if (rc)
            return ck_lmdb_error(err, rc, "writing the spatial index");
    }
    return CK_OK;
}

/* Indexes every geometry literal already in the dictionary (a store made
 * before the index existed). */
static int rebuild(ck_store *s, MDB_txn *mtxn)
{
    ck_txn txn = {.store = s, .mdb = mtxn, .write = true};
    ck_id dt[2] = {0, 0};
    ck_error err;
    if (geometry_datatype_ids(&txn, dt, &err) != CK_OK)
        return MDB_PANIC;
    if (!dt[0] && !dt[1])
        return 0;
    grid gr = store_grid(&txn);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(mtxn, s->id2term, &cur);
    MDB_val k, v;
    for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        ck_id id = bytes_get_be64(k.mv_data);
        uint32_t crs;
        ck_envelope e;
        if (ck_id_tag(id) == CK_TAG_TYPED && entry_geometry(&v, dt, &crs, &e) &&
            (rc = put_entry(&txn, &gr, id, crs, &e)) != 0)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Fills the graph grid of a store made before it existed: every entry of
 * the whole-store grid, once per graph that has it as an object (ospg). */
static int rebuild_graphs(ck_store *s, MDB_txn *mtxn)
{
    ck_txn txn = {.store = s, .mdb = mtxn, .write = true};
    MDB_cursor *cur;
    int rc = mdb_cursor_open(mtxn, s->spatial, &cur);
    if (rc)
        return rc;
    quad_index_cursor quads;
    ck_error err;
    quad_row none = {{0, 0, 0, 0}};
    if (quad_index_cursor_open(&quads, mtxn, false, s->index[PERM_OSPG], &none, 4, &err) != CK_OK) {
        mdb_cursor_close(cur);
        return MDB_PANIC;
    }
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != KEY_LEN || v.mv_size != 4 * sizeof(double))
            continue;
        const unsigned char *kp = k.mv_data;
        uint32_t crs = get_be32(kp);
        ck_id id = bytes_get_be64(kp + 13);
        double d[4];
        memcpy(d, v.mv_data, sizeof d);
        ck_envelope e = {d[0], d[1], d[2], d[3]};
        quad_row prefix = {{id, 0, 0, 0}};
        if (quad_index_cursor_seek(&quads, &prefix, 1, &err) != CK_OK) {
            rc = MDB_PANIC;
            break;
        }
        ck_id last = UINT64_MAX;
        for (const quad_row *r; (r = quad_index_cursor_next(&quads)) != NULL;) {
            ck_id g = r->c[3];
            if (g == last) /* rows of one graph may repeat: the grid keeps one */
                continue;
            grid gr = graph_grid(&txn, g);
            if ((rc = put_entry(&txn, &gr, id, crs, &e)) != 0)
                break;
            last = g;
        }
        if (rc || quads.error.code) {
            rc = rc ? rc : MDB_PANIC;
            break;
        }
    }
    quad_index_cursor_close(&quads);
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Opens one grid's database; builds it (build) when the store predates
 * it and is opened for writing. *ready: the grid is complete. */
static int open_grid(ck_store *s, MDB_txn *txn, bool readonly, const char *name, const char *meta_key,
                     MDB_dbi *dbi, int (*build)(ck_store *, MDB_txn *), bool *ready)
{
    MDB_val k = {strlen(meta_key), (void *)meta_key}, v;
    *ready = false;
    int rc = mdb_dbi_open(txn, name, readonly ? 0 : MDB_CREATE, dbi);
    if (rc == MDB_NOTFOUND && readonly)
        return 0; /* an old store read as it is: no index */
    if (rc)
        return rc;
    rc = mdb_get(txn, s->meta, &k, &v);
    if (rc != MDB_NOTFOUND || readonly) {
        *ready = rc == 0;
        return rc == MDB_NOTFOUND ? 0 : rc;
    }
    rc = build(s, txn);
    unsigned char one = 1;
    MDB_val flag = {1, &one};
    if (!rc)
        rc = mdb_put(txn, s->meta, &k, &flag, 0);
    *ready = rc == 0;
    return rc;
}

int spatial_open(ck_store *s, MDB_txn *txn, bool readonly)
{
    MDB_dbi probe;
    if (readonly && mdb_dbi_open(txn, "spatial", 0, &probe) == MDB_NOTFOUND)
        return 0;
    s->has_spatial = true;
    int rc = open_grid(s, txn, readonly, "spatial", META_SPATIAL, &s->spatial, rebuild, &s->spatial_ready);
    if (!rc && s->spatial_ready)
        rc = open_grid(s, txn, readonly, "spatial_graphs", META_SPATIAL_GRAPHS, &s->spatial_graphs,
                       rebuild_graphs, &s->spatial_graphs_ready);
    return rc;
}

bool ck_spatial_ready(ck_txn *txn, const ck_graph_set *graphs)
{
    const ck_store *s = txn->store;
    return s->has_spatial && s->spatial_ready && (!graphs || s->spatial_graphs_ready);
}

/* ---- searching ------------------------------------------------------------ */

static bool intersects(const ck_envelope *a, const ck_envelope *b)
{
    return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

/* Rows of one level beyond which a band scan replaces one seek per row. */
#define ROW_SEEKS_MAX 64

/* Whether key is an entry of gr with this crs. */
static bool key_in(const grid *gr, const MDB_val *key, uint32_t crs)
{
    size_t at = grid_prefix(gr);
    const unsigned char *kp = key->mv_data;
    return key->mv_size == at + KEY_LEN && (!gr->by_graph || bytes_get_be64(kp) == gr->graph) &&
           get_be32(kp + at) == crs;
}

/* The search of one grid (see ck_spatial_search); an LMDB return code.
 * *go turns false when fn stops the search. */
static int grid_search(MDB_cursor *cur, const grid *gr, uint32_t crs, const ck_envelope *w, ck_spatial_fn fn,
                       void *arg, uint64_t *visited, bool *go_on)
{
    size_t at = grid_prefix(gr);
    bool go = true;
    int rc = 0;
    unsigned char k[GRAPH_KEY_LEN];
    MDB_val key, val;
    for (int level = -LEVEL_BIAS; level < LEVEL_BIAS && go;) {
        /* the next level present for this CRS */
        key = (MDB_val){make_key(gr, k, crs, level, INT32_MIN, INT32_MIN, 0), k};
        rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
        if (rc || !key_in(gr, &key, crs))
            break;
        level = ((const unsigned char *)key.mv_data)[at + 4] - LEVEL_BIAS;
        int32_t r0 = cell_of(w->y0, level), r1 = cell_of(w->y1, level);
        int32_t c0 = cell_of(w->x0, level), c1 = cell_of(w->x1, level);
        r0 = r0 > INT32_MIN ? r0 - 1 : r0; /* an entry sits in the cell of its lower-left corner */
        c0 = c0 > INT32_MIN ? c0 - 1 : c0;
        bool band = (int64_t)r1 - r0 >= ROW_SEEKS_MAX;
        for (int64_t row = r0; row <= r1 && go; row++) {
            key = (MDB_val){make_key(gr, k, crs, level, (int32_t)row, band ? INT32_MIN : c0, 0), k};
            for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE); rc == 0 && go;
                 rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
                const unsigned char *kp = (const unsigned char *)key.mv_data + at;
                if (!key_in(gr, &key, crs) || kp[4] != level + LEVEL_BIAS)
                    break;
                int32_t krow = (int32_t)(get_be32(kp + 5) ^ 0x80000000u);
                int32_t kcol = (int32_t)(get_be32(kp + 9) ^ 0x80000000u);
                if (krow > (band ? r1 : row))
                    break;
                if (kcol < c0 || kcol > c1)
                    continue;
                ck_envelope e;
                memcpy(&e, val.mv_data, sizeof e);
                (*visited)++;
                if (intersects(&e, w))
                    go = fn(arg, bytes_get_be64(kp + 13), &e);
            }
            if (rc && rc != MDB_NOTFOUND)
                return rc;
            if (band)
                break;
        }
        rc = 0;
        level++;
    }
    *go_on = go;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The graphs of a set, in ascending id order (the default graph first):
 * the i-th, false past the last. */
static bool set_graph(const ck_graph_set *set, size_t i, ck_id *g)
{
    if (set->default_graph) {
        if (i == 0) {
            *g = CK_DEFAULT_GRAPH;
            return true;
        }
        i--;
    }
    if (i >= set->n)
        return false;
    *g = set->ids[i];
    return true;
}

ck_status ck_spatial_search(ck_txn *txn, const ck_graph_set *graphs, uint32_t crs, const ck_envelope *w,
                            ck_spatial_fn fn, void *arg, uint64_t *visited, ck_error *err)
{
    uint64_t count = 0;
    if (visited)
        *visited = 0;
    if (!ck_spatial_ready(txn, graphs))
        return ck_error_set(err, CK_ERR_INVALID, "the store has no complete spatial index");
    grid gr = graphs ? graph_grid(txn, 0) : store_grid(txn);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn->mdb, gr.dbi, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the spatial index");
    /* restricted to graphs: each graph's own grid, one after the other,
     * so the entries read are those of these graphs only */
    ck_id g;
    bool go = true;
    if (!graphs)
        rc = grid_search(cur, &gr, crs, w, fn, arg, &count, &go);
    for (size_t i = 0; graphs && !rc && go && set_graph(graphs, i, &g); i++) {
        gr.graph = g;
        rc = grid_search(cur, &gr, crs, w, fn, arg, &count, &go);
    }
    mdb_cursor_close(cur);
    if (visited)
        *visited = count;
    return rc ? ck_lmdb_error(err, rc, "reading the spatial index") : CK_OK;
}

/* Adds the CRS codes of gr to the ascending set codes[0..*n) (at most max). */
static int grid_crs_codes(MDB_cursor *cur, const grid *gr, uint32_t *codes, size_t max, size_t *n)
{
    size_t at = grid_prefix(gr);
    unsigned char k[GRAPH_KEY_LEN];
    uint32_t next = 0;
    for (;;) {
        if (gr->by_graph)
            bytes_put_be64(k, gr->graph);
        put_be32(k + at, next);
        MDB_val key = {at + 4, k}, val;
        int rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
        if (rc)
            return rc == MDB_NOTFOUND ? 0 : rc;
        if (key.mv_size < at + 4 || (gr->by_graph && bytes_get_be64(key.mv_data) != gr->graph))
            return 0;
        uint32_t crs = get_be32((const unsigned char *)key.mv_data + at);
        size_t pos = 0;
        while (pos < *n && codes[pos] < crs)
            pos++;
        if ((pos == *n || codes[pos] != crs) && *n < max) {
            memmove(codes + pos + 1, codes + pos, (*n - pos) * sizeof *codes);
            codes[pos] = crs;
            (*n)++;
        }
        if (crs == UINT32_MAX || *n == max)
            return 0;
        next = crs + 1;
    }
}

ck_status ck_spatial_crs_codes(ck_txn *txn, const ck_graph_set *graphs, uint32_t *codes, size_t max, size_t *n,
                               ck_error *err)
{
    *n = 0;
    if (!ck_spatial_ready(txn, graphs))
        return CK_OK;
    grid gr = graphs ? graph_grid(txn, 0) : store_grid(txn);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn->mdb, gr.dbi, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the spatial index");
    ck_id g;
    if (!graphs)
        rc = grid_crs_codes(cur, &gr, codes, max, n);
    for (size_t i = 0; graphs && !rc && set_graph(graphs, i, &g); i++) {
        gr.graph = g;
        rc = grid_crs_codes(cur, &gr, codes, max, n);
    }
    mdb_cursor_close(cur);
    return rc ? ck_lmdb_error(err, rc, "reading the spatial index") : CK_OK;
}
