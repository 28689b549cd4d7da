/*
 * quad_index.c — compressed, block-structured permutation indexes on LMDB.
 * The format is described in quad_index.h.
 */
#include "quad_index.h"
#include "bytes.h"

#include <errno.h>

/* Every RESTART_INTERVAL-th row of a block is stored whole, so that a
 * lookup binary-searches these rows and decodes at most this many. */
#define RESTART_INTERVAL 32
#define RESTART_HEADER 0xFF /* delta headers never exceed 31 */
#include <stdlib.h>
#include <string.h>

const char *const quad_perm_names[PERM_COUNT] = {"spog", "posg", "ospg", "gspo",
                                                "gpos", "gosp", "psog"};

void quad_to_row(quad_perm perm, const ck_quad *q, quad_row *r)
{
    switch (perm) {
    case PERM_SPOG: *r = (quad_row){{q->s, q->p, q->o, q->g}}; break;
    case PERM_POSG: *r = (quad_row){{q->p, q->o, q->s, q->g}}; break;
    case PERM_OSPG: *r = (quad_row){{q->o, q->s, q->p, q->g}}; break;
    case PERM_GSPO: *r = (quad_row){{q->g, q->s, q->p, q->o}}; break;
    case PERM_GPOS: *r = (quad_row){{q->g, q->p, q->o, q->s}}; break;
    case PERM_GOSP: *r = (quad_row){{q->g, q->o, q->s, q->p}}; break;
    case PERM_PSOG: *r = (quad_row){{q->p, q->s, q->o, q->g}}; break;
    default: break;
    }
}

int quad_row_cmp(const quad_row *a, const quad_row *b)
{
    for (int i = 0; i < 4; i++)
        if (a->c[i] != b->c[i])
            return a->c[i] < b->c[i] ? -1 : 1;
    return 0;
}

/* ---- sorting ------------------------------------------------------------ */

/* LSD radix sort over the given byte positions (0 = least significant byte
 * of column 3 ... 31 = most significant byte of column 0). Positions where
 * every row has the same byte are skipped. Result ends up in rows. */
static void radix_sort_bytes(quad_row *rows, quad_row *tmp, size_t n, int first_pos, int last_pos)
{
    if (n < 2)
        return;
    int npos = last_pos - first_pos + 1;
    size_t (*hist)[256] = calloc((size_t)npos, sizeof *hist);
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < npos; p++) {
            int pos = first_pos + p;
            hist[p][(rows[i].c[3 - pos / 8] >> (8 * (pos % 8))) & 0xFF]++;
        }
    quad_row *src = rows, *dst = tmp;
    for (int p = 0; p < npos; p++) {
        int pos = first_pos + p;
        size_t *h = hist[p];
        bool constant = false;
        for (int b = 0; b < 256; b++)
            if (h[b] == n)
                constant = true;
        if (constant)
            continue;
        size_t offset[256], sum = 0;
        for (int b = 0; b < 256; b++) {
            offset[b] = sum;
            sum += h[b];
        }
        int col = 3 - pos / 8, shift = 8 * (pos % 8);
        for (size_t i = 0; i < n; i++)
            dst[offset[(src[i].c[col] >> shift) & 0xFF]++] = src[i];
        quad_row *t = src;
        src = dst;
        dst = t;
    }
    if (src != rows)
        memcpy(rows, src, n * sizeof *rows);
    free(hist);
}

/* Sorts rows packed into 128-bit keys when their columns fit: each column
 * becomes (value - column minimum) in just the bits its range needs, column
 * 0 most significant, so key order is row order and unpacking is exact.
 * Half the bytes of a 32-byte row move per pass, and fewer passes run.
 * Returns false (nothing done) when the columns need more than 128 bits. */
static bool packed_sort(quad_row *rows, quad_row *tmp, size_t n)
{
    typedef unsigned __int128 key;
    uint64_t lo[4], hi[4];
    for (int c = 0; c < 4; c++)
        lo[c] = hi[c] = rows[0].c[c];
    for (size_t i = 1; i < n; i++)
        for (int c = 0; c < 4; c++) {
            uint64_t v = rows[i].c[c];
            lo[c] = v < lo[c] ? v : lo[c];
            hi[c] = v > hi[c] ? v : hi[c];
        }
    int bits[4], total = 0;
    for (int c = 0; c < 4; c++) {
        uint64_t range = hi[c] - lo[c];
        bits[c] = range ? 64 - __builtin_clzll(range) : 0;
        total += bits[c];
    }
    if (total > 128)
        return false;
    key *keys = (key *)tmp, *scratch = keys + n; /* tmp holds 2n keys */
    for (size_t i = 0; i < n; i++) {
        key k = 0;
        for (int c = 0; c < 4; c++)
            if (bits[c])
                k = (k << bits[c]) | (rows[i].c[c] - lo[c]);
        keys[i] = k;
    }
    int nbytes = (total + 7) / 8;
    key *src = keys, *dst = scratch;
    for (int pos = 0; pos < nbytes; pos++) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(unsigned)(src[i] >> (8 * pos)) & 0xFF]++;
        bool constant = false;
        for (int b = 0; b < 256; b++)
            constant = constant || count[b] == n;
        if (constant)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(unsigned)(src[i] >> (8 * pos)) & 0xFF]++] = src[i];
        key *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n; i++) {
        key k = src[i];
        for (int c = 3; c >= 0; c--) {
            uint64_t mask = bits[c] == 64 ? ~0ULL : (1ULL << bits[c]) - 1;
            rows[i].c[c] = lo[c] + (bits[c] ? (uint64_t)k & mask : 0);
            if (bits[c])
                k >>= bits[c];
        }
    }
    return true;
}

size_t quad_rows_sort_unique(quad_row *rows, quad_row *tmp, size_t n)
{
    if (n < 2)
        return n;
    if (!packed_sort(rows, tmp, n))
        radix_sort_bytes(rows, tmp, n, 0, 31);
    size_t out = 0;
    for (size_t i = 0; i < n; i++)
        if (out == 0 || quad_row_cmp(&rows[out - 1], &rows[i]) != 0)
            rows[out++] = rows[i];
    return out;
}

void quad_rows_sort_by_first(quad_row *rows, quad_row *tmp, size_t n)
{
    radix_sort_bytes(rows, tmp, n, 24, 31);
}

/* ---- block codec -------------------------------------------------------- */

static void row_to_key(const quad_row *r, unsigned char key[32])
{
    for (int i = 0; i < 4; i++)
        bytes_put_be64(key + 8 * i, r->c[i]);
}

static void key_to_row(const unsigned char key[32], quad_row *r)
{
    for (int i = 0; i < 4; i++)
        r->c[i] = bytes_get_be64(key + 8 * i);
}

static uint64_t zigzag(uint64_t delta) { return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63); }
static uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (uint64_t)(-(int64_t)(z & 1)); }

/* Copies a row just written column by column (decode_next) through four
 * 8-byte registers: a struct copy would read it with 16-byte loads, which
 * cannot take their data from the pending 8-byte stores and wait for
 * them to reach the cache (store forwarding); on the row walks that
 * stall was half of the decoding time. */
static inline void row_copy(quad_row *dst, const quad_row *src)
{
    uint64_t a = src->c[0], b = src->c[1], c = src->c[2], d = src->c[3];
    __asm__("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d)); /* keep them scalar */
    dst->c[0] = a;
    dst->c[1] = b;
    dst->c[2] = c;
    dst->c[3] = d;
}

/* Encodes row on its own (a restart point): RESTART_HEADER and four
 * LEB128 values. Needs <= 41 bytes. */
static size_t encode_absolute(const quad_row *row, unsigned char *p)
{
    size_t n = 1;
    p[0] = RESTART_HEADER;
    for (int j = 0; j < 4; j++)
        n += bytes_put_varint(p + n, row->c[j]);
    return n;
}

/* Encodes row against prev into p (needs <= 1 + 4*10 bytes). */
static size_t encode_row(const quad_row *prev, const quad_row *row, unsigned char *p)
{
    int d = 0;
    while (d < 3 && row->c[d] == prev->c[d])
        d++;
    size_t n = 1;
    unsigned header = (unsigned)d;
    n += bytes_put_varint(p + n, row->c[d] - prev->c[d]);
    for (int j = d + 1; j < 4; j++) {
        if (row->c[j] == prev->c[j])
            header |= 1u << (2 + (j - d - 1));
        else
            n += bytes_put_varint(p + n, zigzag(row->c[j] - prev->c[j]));
    }
    p[0] = (unsigned char)header;
    return n;
}

/* Reads a LEB128 value like bytes_get_varint. Lookups decode rows by the
 * million, so a value with 10 bytes before end (the longest LEB128) is
 * read without a bounds check per byte, and a one-byte value (most
 * deltas) returns at once. */
static inline bool read_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    const unsigned char *q = *p;
    if (end - q < 10)
        return bytes_get_varint(p, end, v);
    if (q[0] < 0x80) {
        *v = q[0];
        *p = q + 1;
        return true;
    }
    uint64_t b = *q++;
    uint64_t r = b & 0x7F;
    for (int shift = 7; b & 0x80; shift += 7) {
        if (shift > 63)
            return false; /* longer than 10 bytes: corrupt */
        b = *q++;
        r |= (b & 0x7F) << shift;
    }
    *p = q;
    *v = r;
    return true;
}

/* Compares the restart row at p (not past end) with key, decoding only the
 * columns up to the first that differs: a lookup's binary search over the
 * restart rows mostly decides on the first column. Sets *cmp; false if
 * the row is corrupt. */
static bool restart_cmp(const unsigned char *p, const unsigned char *end, const quad_row *key,
                        int *cmp)
{
    if (p >= end || *p++ != RESTART_HEADER)
        return false;
    *cmp = 0;
    for (int j = 0; j < 4 && *cmp == 0; j++) {
        uint64_t v;
        if (!read_varint(&p, end, &v))
            return false;
        *cmp = v < key->c[j] ? -1 : v > key->c[j];
    }
    return true;
}

/* Decodes the row after *r from *p (not past end) into *r. */
static inline __attribute__((always_inline)) bool decode_next(const unsigned char **p, const unsigned char *end,
                                                            quad_row *r)
{
    if (*p >= end)
        return false;
    unsigned header = *(*p)++;
    uint64_t v;
    if (header == RESTART_HEADER) {
        quad_row abs;
        for (int j = 0; j < 4; j++)
            if (!read_varint(p, end, &abs.c[j]))
                return false;
        if (quad_row_cmp(&abs, r) <= 0 && r->c[0] | r->c[1] | r->c[2] | r->c[3])
            return false; /* rows must ascend */
        *r = abs;
        return true;
    }
    /* a local cursor: the row's columns are updated in registers */
    const unsigned char *q = *p;
    int d = header & 3;
    if (!read_varint(&q, end, &v) || v == 0)
        return false;
    r->c[d] += v;
    unsigned omitted = header >> 2; /* bit k: column d + 1 + k equals the predecessor's */
    for (int j = d + 1; j < 4; j++, omitted >>= 1) {
        if (omitted & 1)
            continue;
        if (!read_varint(&q, end, &v))
            return false;
        r->c[j] += unzigzag(v);
    }
    *p = q;
    return true;
}

/* Splits a block value into its rows and its restart table (trailer: u16
 * offsets of the restart rows, then their u16 count). False if malformed. */
static bool block_layout(const unsigned char *v, size_t len, size_t *data_len,
                         const unsigned char **restarts, size_t *nrestarts)
{
    if (len < 2)
        return false;
    size_t r = (size_t)v[len - 2] | (size_t)v[len - 1] << 8;
    if (2 + 2 * r > len)
        return false;
    *data_len = len - 2 - 2 * r;
    *restarts = v + *data_len;
    *nrestarts = r;
    return true;
}

static size_t restart_offset(const unsigned char *restarts, size_t i)
{
    return (size_t)restarts[2 * i] | (size_t)restarts[2 * i + 1] << 8;
}

size_t quad_block_decode(const MDB_val *key, const MDB_val *val, quad_row *rows)
{
    if (key->mv_size != 32)
        return 0;
    key_to_row(key->mv_data, &rows[0]);
    size_t n = 1, data_len, nrestarts;
    const unsigned char *restarts;
    if (!block_layout(val->mv_data, val->mv_size, &data_len, &restarts, &nrestarts))
        return 0;
    const unsigned char *p = val->mv_data, *end = p + data_len;
    while (p < end) {
        if (n >= QUAD_BLOCK_MAX_ROWS)
            return 0;
        rows[n] = rows[n - 1];
        if (!decode_next(&p, end, &rows[n]))
            return 0;
        n++;
    }
    return n;
}

/* Writes rows as a sequence of blocks, each as full as the size limit allows
 * (with one_first, also ending where the first column changes). With
 * append, LMDB is told every key goes at the end (bulk load). */
static ck_status write_blocks(MDB_cursor *cur, const quad_row *rows, size_t n, bool one_first, bool append,
                              ck_error *err)
{
    unsigned char buf[QUAD_BLOCK_MAX_BYTES + 64], key[32];
    uint16_t restarts[QUAD_BLOCK_MAX_ROWS / RESTART_INTERVAL + 2];
    size_t i = 0;
    while (i < n) {
        size_t start = i, len = 0, nr = 0;
        i++;
        while (i < n && !(one_first && rows[i].c[0] != rows[start].c[0])) {
            unsigned char tmp[48];
            bool restart = (i - start) % RESTART_INTERVAL == 0;
            size_t k = restart ? encode_absolute(&rows[i], tmp)
                               : encode_row(&rows[i - 1], &rows[i], tmp);
            if (len + k + 2 * (nr + restart) + 2 > QUAD_BLOCK_MAX_BYTES)
                break;
            if (restart)
                restarts[nr++] = (uint16_t)len;
            memcpy(buf + len, tmp, k);
            len += k;
            i++;
        }
        for (size_t r = 0; r < nr; r++) {
            buf[len++] = (unsigned char)restarts[r];
            buf[len++] = (unsigned char)(restarts[r] >> 8);
        }
        buf[len++] = (unsigned char)nr;
        buf[len++] = (unsigned char)(nr >> 8);
        row_to_key(&rows[start], key);
        MDB_val k = {32, key}, v = {len, buf};
        int rc = mdb_cursor_put(cur, &k, &v, append ? MDB_APPEND : 0);
        if (rc)
            return ck_error_set(err, rc == MDB_MAP_FULL ? CK_ERR_FULL : CK_ERR_IO,
                                "writing index block: %s", mdb_strerror(rc));
    }
    return CK_OK;
}

/* Positions cur on the block that would contain row: the last block whose
 * first row is <= row, or the first block if row precedes all.
 * Returns MDB_NOTFOUND when the database is empty. */
/* Positions cur at the block that holds row or would hold it. If next is
 * not NULL, *next_known tells whether *next was set to the first row of
 * the block after it (the search passes it), or to all ones when there
 * is none. */
static int seek_block(MDB_cursor *cur, const quad_row *row, MDB_val *k, MDB_val *v,
                      quad_row *next, bool *next_known)
{
    unsigned char key[32];
    row_to_key(row, key);
    *k = (MDB_val){32, key};
    if (next_known)
        *next_known = false;
    int rc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) {
        if (next_known) {
            *next = (quad_row){{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
            *next_known = true;
        }
        return mdb_cursor_get(cur, k, v, MDB_LAST);
    }
    if (rc)
        return rc;
    if (memcmp(k->mv_data, key, 32) == 0)
        return 0;
    if (next_known && k->mv_size == 32) {
        key_to_row(k->mv_data, next);
        *next_known = true;
    }
    rc = mdb_cursor_get(cur, k, v, MDB_PREV);
    if (rc == MDB_NOTFOUND)
        return mdb_cursor_get(cur, k, v, MDB_FIRST);
    return rc;
}

/* First row of the block after the cursor's, if any. Leaves cursor moved. */
static bool next_block_first(MDB_cursor *cur, quad_row *first)
{
    MDB_val k, v;
    if (mdb_cursor_get(cur, &k, &v, MDB_NEXT) != 0 || k.mv_size != 32)
        return false;
    key_to_row(k.mv_data, first);
    return true;
}

static ck_status lmdb_fail(ck_error *err, int rc, const char *what)
{
    return ck_error_set(err, rc == MDB_MAP_FULL ? CK_ERR_FULL : CK_ERR_IO, "%s: %s", what,
                        mdb_strerror(rc));
}

/* Shared walk of insert and remove: for each affected block, decode it,
 * combine with the batch rows that fall into it, and rewrite it. */
static ck_status index_update(MDB_txn *txn, MDB_dbi dbi, const quad_row *rows, size_t n, bool one_first,
                              bool inserting, bool *flags, size_t *changed, ck_error *err)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, dbi, &cur);
    if (rc)
        return lmdb_fail(err, rc, "opening index cursor");
    ck_status st = CK_OK;
    size_t count = 0;
    quad_row *block = malloc(QUAD_BLOCK_MAX_ROWS * sizeof *block);
    quad_row *merged = NULL;
    size_t merged_cap = 0;
    size_t i = 0;
    while (i < n && st == CK_OK) {
        MDB_val k, v;
        rc = seek_block(cur, &rows[i], &k, &v, NULL, NULL);
        if (rc == MDB_NOTFOUND) {
            /* empty database: nothing to remove, everything to append */
            if (inserting) {
                st = write_blocks(cur, rows + i, n - i, one_first, true, err);
                for (size_t j = i; j < n; j++)
                    if (flags)
                        flags[j] = true;
                count += n - i;
            }
            break;
        }
        if (rc) {
            st = lmdb_fail(err, rc, "seeking index block");
            break;
        }
        size_t bn = quad_block_decode(&k, &v, block);
        if (bn == 0) {
            st = ck_error_set(err, CK_ERR_CORRUPT, "corrupt index block");
            break;
        }
        quad_row limit;
        bool has_limit = next_block_first(cur, &limit);
        size_t j = i;
        while (j < n && (!has_limit || quad_row_cmp(&rows[j], &limit) < 0))
            j++;
        /* merge block[0..bn) with rows[i..j) */
        size_t need = bn + (inserting ? j - i : 0);
        if (need > merged_cap) {
            merged_cap = need * 2;
            merged = realloc(merged, merged_cap * sizeof *merged);
        }
        size_t a = 0, b = i, m = 0, hits = 0;
        while (a < bn || b < j) {
            int c = a == bn ? 1 : b == j ? -1 : quad_row_cmp(&block[a], &rows[b]);
            if (c < 0) {
                merged[m++] = block[a++];
            } else if (c == 0) {
                if (inserting)
                    merged[m++] = block[a];
                else
                    hits++;
                if (flags)
                    flags[b] = !inserting;
                a++, b++;
            } else {
                if (inserting) {
                    merged[m++] = rows[b];
                    hits++;
                }
                if (flags)
                    flags[b] = inserting;
                b++;
            }
        }
        if (hits) {
            /* the block's key may change: delete it and write anew */
            unsigned char key[32];
            row_to_key(&block[0], key);
            MDB_val dk = {32, key};
            rc = mdb_del(txn, dbi, &dk, NULL);
            if (rc)
                st = lmdb_fail(err, rc, "rewriting index block");
            else if (m)
                st = write_blocks(cur, merged, m, one_first, false, err);
            count += hits;
        }
        i = j;
    }
    mdb_cursor_close(cur);
    free(block);
    free(merged);
    if (changed)
        *changed = count;
    return st;
}

ck_status quad_index_insert(MDB_txn *txn, MDB_dbi dbi, const quad_row *rows, size_t n, bool one_first,
                            bool *is_new, size_t *added, ck_error *err)
{
    return index_update(txn, dbi, rows, n, one_first, true, is_new, added, err);
}

ck_status quad_index_remove(MDB_txn *txn, MDB_dbi dbi, const quad_row *rows, size_t n, bool one_first,
                            bool *was_present, size_t *removed, ck_error *err)
{
    return index_update(txn, dbi, rows, n, one_first, false, was_present, removed, err);
}

ck_status quad_index_repack(MDB_txn *txn, MDB_dbi dbi, bool one_first, uint64_t *rows_out, ck_error *err)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, dbi, &cur);
    if (rc)
        return lmdb_fail(err, rc, "opening index cursor");
    quad_row *rows = NULL;
    size_t n = 0, cap = 0;
    ck_status st = CK_OK;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && st == CK_OK;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (cap - n < QUAD_BLOCK_MAX_ROWS) {
            cap = cap ? cap * 2 : 1u << 16;
            quad_row *grown = realloc(rows, cap * sizeof *rows);
            if (!grown) {
                st = ck_error_set(err, CK_ERR_NOMEM, "out of memory re-packing an index of %zu rows", n);
                break;
            }
            rows = grown;
        }
        size_t bn = quad_block_decode(&k, &v, rows + n);
        if (bn == 0)
            st = ck_error_set(err, CK_ERR_CORRUPT, "corrupt index block");
        n += bn;
    }
    if (st == CK_OK && rc != MDB_NOTFOUND)
        st = lmdb_fail(err, rc, "reading index blocks");
    mdb_cursor_close(cur);
    if (st == CK_OK && (rc = mdb_drop(txn, dbi, 0)) != 0)
        st = lmdb_fail(err, rc, "emptying an index to re-pack it");
    if (st == CK_OK && n) {
        if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
            st = lmdb_fail(err, rc, "opening index cursor");
        else
            st = write_blocks(cur, rows, n, one_first, true, err);
        if (!rc)
            mdb_cursor_close(cur);
    }
    free(rows);
    if (rows_out)
        *rows_out = n;
    return st;
}

/* ---- prefix cursor ---------------------------------------------------------- */

static bool row_has_prefix(const quad_row *r, const quad_row *prefix, int len)
{
    for (int i = 0; i < len; i++)
        if (r->c[i] != prefix->c[i])
            return false;
    return true;
}

static bool row_after_prefix(const quad_row *r, const quad_row *prefix, int len)
{
    for (int i = 0; i < len; i++)
        if (r->c[i] != prefix->c[i])
            return r->c[i] > prefix->c[i];
    return false;
}

/* Makes the block (k, v) the cursor's current one, decoded one row at a
 * time, so a lookup decodes only up to the rows it needs. In a write
 * transaction its bytes are copied first (a write may move LMDB's); a
 * read-only one reads them in place, which spares a lookup landing in a new
 * block a 4 KB copy. */
static bool block_load(quad_index_cursor *c, const MDB_val *k, const MDB_val *v)
{
    if (k->mv_size != 32 || v->mv_size > QUAD_BLOCK_MAX_BYTES) {
        ck_error_set(&c->error, CK_ERR_CORRUPT, "corrupt index block");
        return false;
    }
    key_to_row(k->mv_data, &c->cur);
    c->block_first = c->cur;
    c->cur_known = true;
    c->prev_valid = false;
    c->loaded = false;
    if (!c->copy) { /* a read-only transaction */
        c->raw = v->mv_data;
        /* a lookup's binary search reads the block at scattered places:
         * fetching all its lines at once costs less than a miss per probe */
        for (size_t off = 0; off < v->mv_size; off += 64)
            __builtin_prefetch(c->raw + off);
    } else {
        memcpy(c->copy, v->mv_data, v->mv_size);
        c->raw = c->copy;
    }
    const unsigned char *restarts;
    if (!block_layout(c->raw, v->mv_size, &c->raw_len, &restarts, &c->nrestarts)) {
        ck_error_set(&c->error, CK_ERR_CORRUPT, "corrupt index block");
        return false;
    }
    c->restarts = restarts;
    c->next_known = false;
    c->raw_pos = 0;
    c->have_cur = true;
    c->loaded = true;
    if (++c->blocks == 2)
        c->first_block_rows = c->returned;
    return true;
}

/* Decodes the next row of the current block into c->cur: 1, 0 at the end
 * of the block, -1 when the block is corrupt. */
static int block_advance(quad_index_cursor *c)
{
    if (c->raw_pos >= c->raw_len)
        return 0;
    const unsigned char *p = c->raw + c->raw_pos;
    row_copy(&c->prev, &c->cur);
    c->prev_valid = c->cur_known;
    c->cur_known = true;
    if (!decode_next(&p, c->raw + c->raw_len, &c->cur)) {
        ck_error_set(&c->error, CK_ERR_CORRUPT, "corrupt index block");
        return -1;
    }
    c->raw_pos = (size_t)(p - c->raw);
    return 1;
}

/* Positions at the first row >= c->prefix within the loaded block, from
 * its start or (from_here, when c->cur <= prefix) from the row decoded
 * last: 1 when there is one, 0 when every row of the block is smaller, -1
 * when the block is corrupt. Binary search over the absolute rows of the
 * restart table, then at most 32 rows decoded. */
static int position_in_block(quad_index_cursor *c, bool from_here)
{
    if (!from_here) {
        c->cur = c->block_first;
        c->raw_pos = 0;
        c->cur_known = true;
        c->prev_valid = false;
    }
    c->have_cur = true;
    if (quad_row_cmp(&c->cur, &c->prefix) < 0 && c->nrestarts) {
        size_t lo = 0, hi = c->nrestarts, best = SIZE_MAX;
        /* from the current row: only the restart points after it */
        while (from_here && lo < hi && restart_offset(c->restarts, lo) < c->raw_pos)
            lo++;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int cmp;
            if (!restart_cmp(c->raw + restart_offset(c->restarts, mid), c->raw + c->raw_len,
                             &c->prefix, &cmp)) {
                ck_error_set(&c->error, CK_ERR_CORRUPT, "corrupt index block");
                return -1;
            }
            if (cmp <= 0) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (best != SIZE_MAX) {
            c->raw_pos = restart_offset(c->restarts, best);
            c->cur = (quad_row){{0, 0, 0, 0}};
            c->cur_known = false; /* the row before the restart is not known */
            if (block_advance(c) != 1)
                return -1;
        }
    }
    /* the prefix padded with zeros is the smallest row having it */
    while (c->have_cur && quad_row_cmp(&c->cur, &c->prefix) < 0) {
        int a = block_advance(c);
        if (a < 0)
            return -1;
        c->have_cur = a == 1;
    }
    return c->have_cur ? 1 : 0;
}

ck_status quad_index_cursor_open(quad_index_cursor *c, MDB_txn *txn, bool read_only, MDB_dbi dbi,
                                 const quad_row *prefix, int prefix_len, ck_error *err)
{
    memset(c, 0, sizeof *c);
    if (!read_only)
        c->copy = malloc(QUAD_BLOCK_MAX_BYTES);
    int rc = read_only || c->copy ? mdb_cursor_open(txn, dbi, &c->cursor) : ENOMEM;
    if (rc)
        return lmdb_fail(err, rc, "opening scan cursor");
    return quad_index_cursor_seek(c, prefix, prefix_len, err);
}

ck_status quad_index_cursor_seek(quad_index_cursor *c, const quad_row *prefix, int prefix_len,
                                 ck_error *err)
{
    c->prefix = (quad_row){{0, 0, 0, 0}};
    for (int i = 0; i < prefix_len; i++)
        c->prefix.c[i] = prefix->c[i];
    c->prefix_len = prefix_len;
    c->done = false;
    c->blocks = c->returned = c->first_block_rows = 0;
    /* Lookups in ascending order (an index join over sorted rows) often
     * land in the block already loaded: every row of a later block is
     * greater, so a row >= prefix found here is the first one. */
    if (c->loaded && c->prev_valid && quad_row_cmp(&c->prev, &c->prefix) < 0 &&
        quad_row_cmp(&c->cur, &c->prefix) >= 0) {
        /* the row decoded last is the first one >= prefix: lookups in index
         * order (one subject after the other) cost no search at all */
        c->have_cur = true;
        c->blocks = 1;
        return CK_OK;
    }
    /* in the loaded block unless the prefix lies past it: sorted lookups
     * that moved on to a later block go straight to LMDB instead of
     * decoding the rest of this one */
    if (c->loaded && quad_row_cmp(&c->prefix, &c->block_first) >= 0 &&
        !(c->next_known && quad_row_cmp(&c->prefix, &c->next_first) >= 0)) {
        int r = position_in_block(c, quad_row_cmp(&c->prefix, &c->cur) >= 0);
        if (r > 0) {
            c->blocks = 1;
            return CK_OK;
        }
        if (r < 0)
            goto corrupt;
    }
    MDB_val k, v;
    quad_row next;
    bool next_known;
    int rc = seek_block(c->cursor, &c->prefix, &k, &v, &next, &next_known);
    if (rc == MDB_NOTFOUND) {
        c->done = true;
        c->loaded = false;
        return CK_OK;
    }
    if (rc)
        return lmdb_fail(err, rc, "seeking scan start");
    if (!block_load(c, &k, &v))
        goto corrupt;
    c->next_first = next;
    c->next_known = next_known;
    if (position_in_block(c, false) < 0)
        goto corrupt;
    /* no row >= prefix in this block: the next block starts after it, and
     * quad_index_cursor_next moves there */
    return CK_OK;
corrupt:
    c->done = true;
    if (err)
        *err = c->error;
    return CK_ERR_CORRUPT;
}

ck_status quad_index_cursor_skip_to(quad_index_cursor *c, const quad_row *row, ck_error *err)
{
    if (c->done)
        return CK_OK;
    /* a seek to the whole row finds the first row >= it; then the range is
     * the cursor's own prefix again, and its counts go on */
    quad_row prefix = c->prefix;
    int prefix_len = c->prefix_len;
    uint64_t blocks = c->blocks, returned = c->returned, first = c->first_block_rows;
    quad_row block_was = c->block_first;
    bool loaded_was = c->loaded;
    ck_status st = quad_index_cursor_seek(c, row, 4, err);
    c->prefix = prefix;
    c->prefix_len = prefix_len;
    bool same_block = loaded_was && c->loaded && !quad_row_cmp(&block_was, &c->block_first);
    c->blocks = blocks + (c->loaded && !same_block);
    c->returned = returned;
    c->first_block_rows = first;
    return st;
}

const quad_row *quad_index_cursor_next(quad_index_cursor *c)
{
    while (!c->done) {
        if (c->have_cur) {
            c->have_cur = false;
            if (row_has_prefix(&c->cur, &c->prefix, c->prefix_len)) {
                c->returned++;
                row_copy(&c->out, &c->cur);
                return &c->out;
            }
            if (row_after_prefix(&c->cur, &c->prefix, c->prefix_len)) {
                c->done = true;
                break;
            }
            continue;
        }
        int a = block_advance(c);
        if (a == 1) {
            c->have_cur = true;
            continue;
        }
        if (a < 0) {
            c->done = true;
            break;
        }
        MDB_val k, v;
        int rc = mdb_cursor_get(c->cursor, &k, &v, MDB_NEXT);
        if (rc == MDB_NOTFOUND) {
            c->done = true;
            break;
        }
        if (rc) {
            lmdb_fail(&c->error, rc, "reading index");
            c->done = true;
            break;
        }
        if (!block_load(c, &k, &v))
            c->done = true;
    }
    return NULL;
}

size_t quad_index_cursor_next_many(quad_index_cursor *c, quad_row *out, size_t max)
{
    /* the first row as quad_index_cursor_next finds it: it loads the next
     * block when this one is used up */
    const quad_row *first = quad_index_cursor_next(c);
    if (!first)
        return 0;
    out[0] = *first;
    size_t n = 1;
    const unsigned char *p = c->raw + c->raw_pos, *end = c->raw + c->raw_len;
    quad_row cur = c->cur;
    while (n < max && p < end) {
        if (!decode_next(&p, end, &cur)) {
            ck_error_set(&c->error, CK_ERR_CORRUPT, "corrupt index block");
            c->done = true;
            break;
        }
        if (!row_has_prefix(&cur, &c->prefix, c->prefix_len)) {
            c->have_cur = true; /* quad_index_cursor_next ends the range there */
            break;
        }
        row_copy(&out[n++], &cur);
    }
    /* the cursor's state as after n calls of quad_index_cursor_next: cur
     * the row decoded last, prev the one before it */
    c->raw_pos = (size_t)(p - c->raw);
    if (c->have_cur) {
        c->prev = out[n - 1];
        row_copy(&c->cur, &cur);
    } else if (n > 1) {
        c->prev = out[n - 2];
        c->cur = out[n - 1];
    }
    if (n > 1 || c->have_cur) {
        c->prev_valid = true;
        c->cur_known = true;
    }
    c->returned += n - 1;
    c->out = out[n - 1];
    return n;
}

uint64_t quad_index_cursor_estimate_rest(quad_index_cursor *c)
{
    /* rows left in the current block, exactly */
    uint64_t rest = 0;
    while (!c->done) {
        if (c->have_cur) {
            c->have_cur = false;
            if (row_has_prefix(&c->cur, &c->prefix, c->prefix_len))
                rest++;
            else if (row_after_prefix(&c->cur, &c->prefix, c->prefix_len))
                c->done = true;
            continue;
        }
        int a = block_advance(c);
        if (a != 1) {
            c->done = a < 0;
            break;
        }
        c->have_cur = true;
    }
    if (c->done)
        return rest;
    /* then whole blocks by their keys only: no decoding */
    uint64_t blocks = 0;
    MDB_val k, v;
    while (mdb_cursor_get(c->cursor, &k, &v, MDB_NEXT) == 0 && k.mv_size == 32) {
        quad_row first;
        key_to_row(k.mv_data, &first);
        if (!row_has_prefix(&first, &c->prefix, c->prefix_len))
            break;
        blocks++;
    }
    c->done = true;
    c->loaded = false; /* the LMDB cursor has moved past the loaded block */
    /* density of the whole blocks decoded so far; the first block is only
     * partly in the range, so it counts only when it is the only one */
    uint64_t seen = c->returned + rest;
    double per_block = c->blocks > 1 ? (double)(seen - c->first_block_rows) / (double)(c->blocks - 1)
                                     : (double)seen;
    return rest + (uint64_t)((double)blocks * per_block);
}

void quad_index_cursor_close(quad_index_cursor *c)
{
    if (c->cursor)
        mdb_cursor_close(c->cursor);
    free(c->copy);
    c->cursor = NULL;
    c->copy = NULL;
    c->raw = NULL;
}

ck_status quad_index_estimate_between(MDB_txn *txn, MDB_dbi dbi, const quad_row *from, const quad_row *to,
                                      uint64_t max, uint64_t *rows, ck_error *err)
{
    *rows = 0;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, dbi, &cur);
    if (rc)
        return lmdb_fail(err, rc, "opening estimate cursor");
    quad_row *block = malloc(QUAD_BLOCK_MAX_ROWS * sizeof *block);
    if (!block) {
        mdb_cursor_close(cur);
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    ck_status st = CK_OK;
    MDB_val k, v;
    rc = seek_block(cur, from, &k, &v, NULL, NULL);
    if (rc && rc != MDB_NOTFOUND) { /* not found: an empty index */
        st = lmdb_fail(err, rc, "seeking estimate start");
    } else if (rc == 0) {
        size_t n = quad_block_decode(&k, &v, block);
        if (n == 0)
            st = ck_error_set(err, CK_ERR_CORRUPT, "corrupt index block");
        for (size_t i = 0; i < n; i++)
            *rows += quad_row_cmp(&block[i], from) >= 0 && quad_row_cmp(&block[i], to) <= 0;
        /* blocks are filled unevenly (a split leaves two half-full ones):
         * their rows are taken in proportion to their bytes */
        double rows_per_byte = (double)n / (double)v.mv_size, later = 0;
        while (st == CK_OK && *rows + (uint64_t)later <= max && mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0 &&
               k.mv_size == 32) {
            quad_row first;
            key_to_row(k.mv_data, &first);
            if (quad_row_cmp(&first, to) > 0)
                break;
            later += (double)v.mv_size * rows_per_byte;
        }
        *rows += (uint64_t)later;
    }
    free(block);
    mdb_cursor_close(cur);
    return st;
}

/* ---- counting a range ---------------------------------------------------------- */

/* Walk of one count: the rows seen so far and the last of them. */
typedef struct {
    const quad_row *prefix;
    int prefix_len;
    bool distinct;   /* rows equal in columns 0-2 count once */
    uint64_t n;
    quad_row tail;   /* the last row decoded, when tail_known */
    bool tail_known;
    bool past;       /* a row after the range was seen */
} count_walk;

static bool same_triple(const quad_row *a, const quad_row *b)
{
    return a->c[0] == b->c[0] && a->c[1] == b->c[1] && a->c[2] == b->c[2];
}

/* Offset in the block's rows of the last restart row <= key, or SIZE_MAX
 * when the block's first row is the place to start: the first block of a
 * range then decodes at most 32 rows before it. False if corrupt. */
static bool last_restart_before(const unsigned char *data, size_t data_len,
                                const unsigned char *restarts, size_t nrestarts,
                                const quad_row *key, size_t *offset)
{
    size_t lo = 0, hi = nrestarts;
    *offset = SIZE_MAX;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp;
        if (!restart_cmp(data + restart_offset(restarts, mid), data + data_len, key, &cmp))
            return false;
        if (cmp <= 0) {
            *offset = restart_offset(restarts, mid);
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return true;
}

/* Counts the rows from p to end of a block wholly inside the range, each
 * triple once, *r being the row before p. Only
 * columns 0-2 are followed, which a restart row is compared in; a delta
 * row's header says whether it repeats its predecessor's triple. Leaves
 * columns 0-2 of the last row in *r. False if corrupt. */
static bool count_triples(const unsigned char *p, const unsigned char *end, quad_row *r,
                          uint64_t *n)
{
    uint64_t c[3] = {r->c[0], r->c[1], r->c[2]}, count = 0, v;
    while (p < end) {
        unsigned header = *p++;
        if (header == RESTART_HEADER) {
            uint64_t a[4];
            for (int j = 0; j < 4; j++)
                if (!read_varint(&p, end, &a[j]))
                    return false;
            count += !(a[0] == c[0] && a[1] == c[1] && a[2] == c[2]);
            c[0] = a[0], c[1] = a[1], c[2] = a[2];
            continue;
        }
        int d = header & 3;
        unsigned omitted = header >> 2; /* bit k: column d + 1 + k as before */
        if (!read_varint(&p, end, &v) || v == 0)
            return false;
        if (d < 3)
            c[d] += v;
        for (int j = d + 1; j < 4; j++, omitted >>= 1) {
            if (omitted & 1)
                continue;
            if (!read_varint(&p, end, &v))
                return false;
            if (j < 3)
                c[j] += unzigzag(v);
        }
        count += d != 3;
    }
    *r = (quad_row){{c[0], c[1], c[2], 0}};
    *n += count;
    return true;
}

/* Counts the rows of block (k, v) that are in the range. whole: the block
 * lies inside it (its first row and the next block's have the prefix).
 * False if the block is corrupt. */
static bool count_block(count_walk *w, const MDB_val *k, const MDB_val *v, bool whole)
{
    size_t data_len, nr;
    const unsigned char *restarts;
    if (k->mv_size != 32 || !block_layout(v->mv_data, v->mv_size, &data_len, &restarts, &nr))
        return false;
    const unsigned char *data = v->mv_data, *p = data, *end = data + data_len;
    quad_row r;
    key_to_row(k->mv_data, &r);
    if (whole && !w->distinct) {
        /* every 32nd row is a restart (write_blocks), so the rows before
         * the last restart need no decoding: only the ones from it on */
        uint64_t n = 1;
        if (nr) {
            p = data + restart_offset(restarts, nr - 1);
            n = (uint64_t)RESTART_INTERVAL * nr;
            r = (quad_row){{0, 0, 0, 0}};
        }
        for (; p < end; n++)
            if (!decode_next(&p, end, &r))
                return false;
        w->n += n;
        w->tail_known = false;
        return true;
    }
    /* the first row: a copy of a triple ending the block before? */
    bool known = true; /* r is the row before the next one decoded */
    if (whole || row_has_prefix(&r, w->prefix, w->prefix_len)) {
        if (!(w->distinct && w->tail_known && same_triple(&w->tail, &r)))
            w->n++;
        if (whole) {
            if (!count_triples(p, end, &r, &w->n))
                return false;
            w->tail = r;
            w->tail_known = true;
            return true;
        }
    } else if (row_after_prefix(&r, w->prefix, w->prefix_len)) {
        w->past = true;
        return true;
    } else {
        /* before the range: start at the last restart row not after it */
        size_t at;
        if (!last_restart_before(data, data_len, restarts, nr, w->prefix, &at))
            return false;
        if (at != SIZE_MAX) {
            p = data + at;
            r = (quad_row){{0, 0, 0, 0}};
            known = false;
        }
    }
    while (p < end) {
        unsigned header = *p;
        quad_row before = r;
        if (!decode_next(&p, end, &r))
            return false;
        if (!whole && !row_has_prefix(&r, w->prefix, w->prefix_len)) {
            if (row_after_prefix(&r, w->prefix, w->prefix_len)) {
                w->past = true;
                return true;
            }
            known = true;
            continue;
        }
        /* copies of a triple in several graphs are adjacent (g is column
         * 3): a delta row says so in its header, a restart row is compared
         * with the row before it */
        bool copy = w->distinct && (header == RESTART_HEADER ? known && same_triple(&before, &r)
                                                              : (header & 3) == 3);
        w->n += !copy;
        known = true;
    }
    w->tail = r;
    w->tail_known = known;
    return true;
}

ck_status quad_index_count(MDB_txn *txn, MDB_dbi dbi, const quad_row *prefix, int prefix_len,
                           bool distinct, uint64_t *out, ck_error *err)
{
    *out = 0;
    quad_row start = {{0, 0, 0, 0}};
    for (int i = 0; i < prefix_len; i++)
        start.c[i] = prefix->c[i];
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, dbi, &cur);
    if (rc)
        return lmdb_fail(err, rc, "opening count cursor");
    count_walk w = {.prefix = &start, .prefix_len = prefix_len, .distinct = distinct};
    MDB_val k, v, nk, nv;
    rc = seek_block(cur, &start, &k, &v, NULL, NULL);
    while (rc == 0) {
        /* the next block's first row tells whether this one lies inside */
        int nrc = mdb_cursor_get(cur, &nk, &nv, MDB_NEXT);
        if (nrc && nrc != MDB_NOTFOUND) {
            rc = nrc;
            break;
        }
        quad_row first, next_first;
        if (k.mv_size != 32 || (nrc == 0 && nk.mv_size != 32)) {
            mdb_cursor_close(cur);
            return ck_error_set(err, CK_ERR_CORRUPT, "corrupt index block");
        }
        key_to_row(k.mv_data, &first);
        if (nrc == 0)
            key_to_row(nk.mv_data, &next_first);
        bool whole = nrc == 0 && row_has_prefix(&first, &start, prefix_len) &&
                     row_has_prefix(&next_first, &start, prefix_len);
        if (!count_block(&w, &k, &v, whole)) {
            mdb_cursor_close(cur);
            return ck_error_set(err, CK_ERR_CORRUPT, "corrupt index block");
        }
        if (w.past || nrc == MDB_NOTFOUND || row_after_prefix(&next_first, &start, prefix_len))
            break;
        k = nk;
        v = nv;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return lmdb_fail(err, rc, "counting index rows");
    *out = w.n;
    return CK_OK;
}
