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

static void make_key(unsigned char *k, uint32_t crs, int level, int32_t row, int32_t col, ck_id id)
{
    put_be32(k, crs);
    k[4] = (unsigned char)(level + LEVEL_BIAS);
    put_be32(k + 5, (uint32_t)row ^ 0x80000000u); /* biased: byte order = numeric order */
    put_be32(k + 9, (uint32_t)col ^ 0x80000000u);
    bytes_put_be64(k + 13, id);
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

static int put_entry(ck_txn *txn, ck_id id, uint32_t crs, const ck_envelope *e)
{
    int level = level_of(e);
    unsigned char k[KEY_LEN];
    make_key(k, crs, level, cell_of(e->y0, level), cell_of(e->x0, level), id);
    double v[4] = {e->x0, e->y0, e->x1, e->y1};
    MDB_val key = {KEY_LEN, k}, val = {sizeof v, v};
    return mdb_put(txn->mdb, txn->store->spatial, &key, &val, 0);
}

/* ---- keeping it current -------------------------------------------------- */

ck_status spatial_note_term(ck_txn *txn, const ck_term *t, ck_id id, ck_error *err)
{
    uint32_t crs;
    ck_envelope e;
    if (!txn->store->has_spatial || !t->datatype ||
        !ck_geometry_envelope(t->datatype, t->datatype_len, t->value, t->value_len, &crs, &e))
        return CK_OK;
    int rc = put_entry(txn, id, crs, &e);
    return rc ? ck_lmdb_error(err, rc, "writing the spatial index") : CK_OK;
}

/* Indexes every geometry literal already in the dictionary (a store made
 * before the index existed). */
static int rebuild(ck_store *s, MDB_txn *mtxn)
{
    ck_txn txn = {.store = s, .mdb = mtxn, .write = true};
    ck_id dt[2] = {0, 0};
    const char *iris[2] = {CK_GEO_WKT_LITERAL, CK_GEO_GEOJSON_LITERAL};
    ck_error err;
    for (int i = 0; i < 2; i++) {
        ck_term iri = {.kind = CK_TERM_IRI, .value = iris[i], .value_len = strlen(iris[i])};
        if (ck_term_lookup(&txn, &iri, &dt[i], &err) != CK_OK)
            return MDB_PANIC;
    }
    if (!dt[0] && !dt[1])
        return 0;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(mtxn, s->id2term, &cur);
    MDB_val k, v;
    for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        ck_id id = bytes_get_be64(k.mv_data);
        if (ck_id_tag(id) != CK_TAG_TYPED)
            continue;
        const unsigned char *p = v.mv_data, *end = p + v.mv_size;
        uint64_t datatype;
        if (!bytes_get_varint(&p, end, &datatype) || (datatype != dt[0] && datatype != dt[1]))
            continue;
        int which = datatype == dt[0] ? 0 : 1;
        uint32_t crs;
        ck_envelope e;
        if (ck_geometry_envelope(iris[which], strlen(iris[which]), (const char *)p, (size_t)(end - p), &crs, &e) &&
            (rc = put_entry(&txn, id, crs, &e)) != 0)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int spatial_open(ck_store *s, MDB_txn *txn, bool readonly)
{
    MDB_val k = {strlen(META_SPATIAL), (void *)META_SPATIAL}, v;
    int rc = mdb_dbi_open(txn, "spatial", readonly ? 0 : MDB_CREATE, &s->spatial);
    if (rc == MDB_NOTFOUND && readonly)
        return 0; /* an old store read as it is: no index */
    if (rc)
        return rc;
    s->has_spatial = true;
    rc = mdb_get(txn, s->meta, &k, &v);
    if (rc != MDB_NOTFOUND || readonly) {
        s->spatial_ready = rc == 0;
        return rc == MDB_NOTFOUND ? 0 : rc;
    }
    rc = rebuild(s, txn);
    unsigned char one = 1;
    MDB_val flag = {1, &one};
    if (!rc)
        rc = mdb_put(txn, s->meta, &k, &flag, 0);
    s->spatial_ready = rc == 0;
    return rc;
}

bool ck_spatial_ready(ck_txn *txn) { return txn->store->has_spatial && txn->store->spatial_ready; }

/* ---- searching ------------------------------------------------------------ */

static bool intersects(const ck_envelope *a, const ck_envelope *b)
{
    return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

/* Rows of one level beyond which a band scan replaces one seek per row. */
#define ROW_SEEKS_MAX 64

ck_status ck_spatial_search(ck_txn *txn, uint32_t crs, const ck_envelope *w, ck_spatial_fn fn, void *arg,
                            uint64_t *visited, ck_error *err)
{
    if (visited)
        *visited = 0;
    if (!ck_spatial_ready(txn))
        return ck_error_set(err, CK_ERR_INVALID, "the store has no complete spatial index");
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn->mdb, txn->store->spatial, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the spatial index");
    bool go = true;
    unsigned char k[KEY_LEN];
    MDB_val key, val;
    for (int level = -LEVEL_BIAS; level < LEVEL_BIAS && go;) {
        /* the next level present for this CRS */
        make_key(k, crs, level, INT32_MIN, INT32_MIN, 0);
        key = (MDB_val){KEY_LEN, k};
        rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
        if (rc || key.mv_size != KEY_LEN || get_be32(key.mv_data) != crs)
            break;
        level = ((const unsigned char *)key.mv_data)[4] - LEVEL_BIAS;
        int32_t r0 = cell_of(w->y0, level), r1 = cell_of(w->y1, level);
        int32_t c0 = cell_of(w->x0, level), c1 = cell_of(w->x1, level);
        r0 = r0 > INT32_MIN ? r0 - 1 : r0; /* an entry sits in the cell of its lower-left corner */
        c0 = c0 > INT32_MIN ? c0 - 1 : c0;
        bool band = (int64_t)r1 - r0 >= ROW_SEEKS_MAX;
        for (int64_t row = r0; row <= r1 && go; row++) {
            make_key(k, crs, level, (int32_t)row, band ? INT32_MIN : c0, 0);
            key = (MDB_val){KEY_LEN, k};
            for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE); rc == 0 && go;
                 rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
                const unsigned char *kp = key.mv_data;
                int32_t krow = (int32_t)(get_be32(kp + 5) ^ 0x80000000u);
                int32_t kcol = (int32_t)(get_be32(kp + 9) ^ 0x80000000u);
                if (get_be32(kp) != crs || kp[4] != level + LEVEL_BIAS || krow > (band ? r1 : row))
                    break;
                if (kcol < c0 || kcol > c1)
                    continue;
                ck_envelope e;
                memcpy(&e, val.mv_data, sizeof e);
                if (visited)
                    (*visited)++;
                if (intersects(&e, w))
                    go = fn(arg, bytes_get_be64(kp + 13), &e);
            }
            if (rc && rc != MDB_NOTFOUND)
                break;
            if (band)
                break;
        }
        if (rc && rc != MDB_NOTFOUND)
            break;
        rc = 0;
        level++;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return ck_lmdb_error(err, rc, "reading the spatial index");
    return CK_OK;
}

ck_status ck_spatial_crs_codes(ck_txn *txn, uint32_t *codes, size_t max, size_t *n, ck_error *err)
{
    *n = 0;
    if (!ck_spatial_ready(txn))
        return CK_OK;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn->mdb, txn->store->spatial, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the spatial index");
    unsigned char k[4] = {0, 0, 0, 0};
    MDB_val key = {4, k}, val;
    while (*n < max && (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE)) == 0) {
        uint32_t crs = get_be32(key.mv_data);
        codes[(*n)++] = crs;
        if (crs == UINT32_MAX)
            break;
        put_be32(k, crs + 1);
        key = (MDB_val){4, k};
    }
    mdb_cursor_close(cur);
    return rc && rc != MDB_NOTFOUND ? ck_lmdb_error(err, rc, "reading the spatial index") : CK_OK;
}
