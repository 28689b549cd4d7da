/*
 * quad_index.h — one sorted permutation of the quads, stored as compressed
 * blocks in an LMDB database. Internal to core/.
 *
 * LMDB has no prefix compression, and a quad is 32 bytes of ids; stored as
 * plain keys, six permutations would cost ~250 bytes per quad. So each
 * database entry is a block of consecutive rows (quads in permutation order):
 *
 *   key   = the block's first row, four big-endian u64 (byte order = row order)
 *   value = the remaining rows, each encoded against its predecessor:
 *           a header byte (bits 0-1: first column that differs; bits 2-4: which
 *           later columns are equal to the predecessor's and omitted), then a
 *           LEB128 delta for the first differing column and a zigzag LEB128
 *           delta for every later column that is not omitted; every 32nd row
 *           is instead stored whole (header 0xFF, four LEB128 values) as a
 *           restart point; then the restart table: a little-endian u16
 *           offset per restart row and their u16 count. A lookup
 *           binary-searches the restart rows and decodes at most 32 rows.
 *
 * Typical city data costs 4-8 bytes per row. A block's value fills at most
 * one LMDB overflow page (4096 bytes less its 16-byte header), so blocks use
 * their pages completely whatever order they were written in; the B-tree
 * leaves hold only keys and page numbers. (Blocks of ~1300 bytes inline in
 * leaf pages cost 97.6 bytes per quad on 10M city quads, because rewritten
 * blocks split leaf pages half-empty; page-sized blocks cost 78.)
 * Rows in a block are strictly increasing and blocks do not overlap. In the
 * graph-first permutations (gspo, gpos, gosp) a block holds one graph's
 * rows only (one_first below) in stores with the meta flag "graph_blocks";
 * stores written before it get their graph-first indexes re-packed on
 * their first writable open (store.c).
 */
#ifndef CITYKG_QUAD_INDEX_H
#define CITYKG_QUAD_INDEX_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store.h"

#define QUAD_BLOCK_MAX_BYTES 4080
/* Upper bound of rows in one block: every encoded row takes >= 2 bytes. */
#define QUAD_BLOCK_MAX_ROWS (QUAD_BLOCK_MAX_BYTES / 2 + 1)

typedef struct { uint64_t c[4]; } quad_row;

/* psog (format 4) holds each predicate's rows in subject order, for star
 * joins that walk several predicates' ranges in step; a format-3 store
 * opened read-only has no psog (ck_store.has_psog). */
typedef enum {
    PERM_SPOG, PERM_POSG, PERM_OSPG, PERM_GSPO, PERM_GPOS, PERM_GOSP, PERM_PSOG, PERM_COUNT
} quad_perm;

extern const char *const quad_perm_names[PERM_COUNT];

void quad_to_row(quad_perm perm, const ck_quad *q, quad_row *row);
/* Inline: scans convert every row they return. */
static inline void row_to_quad(quad_perm perm, const quad_row *r, ck_quad *q)
{
    const uint64_t *c = r->c;
    switch (perm) {
    case PERM_SPOG: *q = (ck_quad){.s = c[0], .p = c[1], .o = c[2], .g = c[3]}; break;
    case PERM_POSG: *q = (ck_quad){.p = c[0], .o = c[1], .s = c[2], .g = c[3]}; break;
    case PERM_OSPG: *q = (ck_quad){.o = c[0], .s = c[1], .p = c[2], .g = c[3]}; break;
    case PERM_GSPO: *q = (ck_quad){.g = c[0], .s = c[1], .p = c[2], .o = c[3]}; break;
    case PERM_GPOS: *q = (ck_quad){.g = c[0], .p = c[1], .o = c[2], .s = c[3]}; break;
    case PERM_GOSP: *q = (ck_quad){.g = c[0], .o = c[1], .s = c[2], .p = c[3]}; break;
    case PERM_PSOG: *q = (ck_quad){.p = c[0], .s = c[1], .o = c[2], .g = c[3]}; break;
    default: break;
    }
}

int quad_row_cmp(const quad_row *a, const quad_row *b);

/* Sorts rows and removes duplicates; returns the new count. Radix sort:
 * linear in n, skipping byte positions where all rows agree. tmp must hold n
 * rows. */
size_t quad_rows_sort_unique(quad_row *rows, quad_row *tmp, size_t n);
/* Stable sort by column 0 only: turns spog order into gspo order, etc. */
void quad_rows_sort_by_first(quad_row *rows, quad_row *tmp, size_t n);

/* Decodes one block. Returns the number of rows, or 0 if corrupt. */
size_t quad_block_decode(const MDB_val *key, const MDB_val *val, quad_row *rows);

/* Inserts sorted, unique rows. If is_new is non-NULL, is_new[i] is set to
 * whether rows[i] was absent before. *added receives the count of new rows.
 * one_first: no block holds rows of two values of the first column (the
 * graph-first permutations: a graph's rows fill blocks of their own, so
 * how a graph's rows fall into blocks never depends on another graph). */
ck_status quad_index_insert(MDB_txn *txn, MDB_dbi dbi, const quad_row *rows, size_t n, bool one_first,
                            bool *is_new, size_t *added, ck_error *err);
/* Removes sorted, unique rows; was_present and one_first as above. */
ck_status quad_index_remove(MDB_txn *txn, MDB_dbi dbi, const quad_row *rows, size_t n, bool one_first,
                            bool *was_present, size_t *removed, ck_error *err);
/* Rewrites the whole index as full blocks (with one_first as above): for
 * a store written before one_first. Holds all rows in memory (32 bytes
 * each); *rows_out (may be NULL) gets their number. */
ck_status quad_index_repack(MDB_txn *txn, MDB_dbi dbi, bool one_first, uint64_t *rows_out, ck_error *err);

/* Iterates rows with a given prefix (first prefix_len columns) in order. */
typedef struct {
    MDB_cursor *cursor;
    quad_row prefix;
    int prefix_len;
    unsigned char *copy;    /* buffer for block copies (write transactions only;
                               NULL: raw points into LMDB's map) */
    const unsigned char *raw; /* the current block's value: in copy, or LMDB's map */
    size_t raw_len, raw_pos; /* raw_len: the rows, without the restart table */
    const unsigned char *restarts; /* the block's restart table (in raw) */
    size_t nrestarts;
    quad_row cur, out;      /* the row decoded last; the one returned */
    quad_row block_first;   /* first row of the loaded block (its key) */
    quad_row next_first;    /* first row of the block after it, when next_known */
    bool next_known;
    quad_row prev;          /* the row before cur, when prev_valid */
    bool prev_valid, cur_known;
    bool loaded;            /* raw holds a block */
    bool have_cur;          /* cur not yet consumed */
    uint64_t blocks;   /* blocks decoded */
    uint64_t returned; /* rows returned */
    uint64_t first_block_rows; /* rows returned from the first block */
    bool done;
    ck_error error;
} quad_index_cursor;

/* read_only: txn is a read-only transaction, whose pages stay put until it
 * ends, so blocks are read in place instead of copied. */
ck_status quad_index_cursor_open(quad_index_cursor *c, MDB_txn *txn, bool read_only, MDB_dbi dbi,
                                 const quad_row *prefix, int prefix_len, ck_error *err);
/* Starts over at another prefix with the same cursor, e.g. for each row
 * of an index join; cheap when the prefix falls in the block loaded. */
ck_status quad_index_cursor_seek(quad_index_cursor *c, const quad_row *prefix, int prefix_len,
                                 ck_error *err);
/* Moves on to the first row >= row (which must come after the row
 * returned last) within the cursor's prefix: cheap within the loaded block
 * (its restart rows), one B-tree seek beyond it, so a merge can skip a
 * long stretch without decoding it. */
ck_status quad_index_cursor_skip_to(quad_index_cursor *c, const quad_row *row, ck_error *err);
/* Returns the next row, or NULL at the end (or on error: c->error.code set). */
const quad_row *quad_index_cursor_next(quad_index_cursor *c);
/* Up to max (>= 1) next rows into out, the rest of the loaded block's in
 * one tight loop: what quad_index_cursor_next would return one by one,
 * for a walk over a long range. 0 at the end (or on error). */
size_t quad_index_cursor_next_many(quad_index_cursor *c, quad_row *out, size_t max);
/* Ends an iteration with an estimate of the matching rows not yet returned:
 * exact within the current block, then the following blocks whose first row
 * has the prefix, counted by key only (no decoding) and multiplied by the
 * rows per block seen so far. The cursor is exhausted afterwards. */
uint64_t quad_index_cursor_estimate_rest(quad_index_cursor *c);
void quad_index_cursor_close(quad_index_cursor *c);

/* Estimates the rows from `from` to `to` (both inclusive): those of the
 * block holding `from` counted exactly, then every following block whose
 * first row is <= to, by its key and size only, at that first block's
 * rows per byte. Reads one block and the keys of the rest, so
 * a range of a million rows costs about a thousand B-tree steps; stops
 * once the estimate passes max (then *rows > max). */
ck_status quad_index_estimate_between(MDB_txn *txn, MDB_dbi dbi, const quad_row *from, const quad_row *to,
                                      uint64_t max, uint64_t *rows, ck_error *err);

/* Counts the rows with a given prefix (first prefix_len columns) without
 * returning them. A block lying wholly inside the range (its first row and
 * the next block's have the prefix) counts from its restart table: every
 * 32nd row is a restart, so only the rows from its last restart on are
 * decoded. With distinct (prefix_len <= 3), rows equal in their first three
 * columns count once: the union default graph's view of a permutation
 * whose last column is g, where copies of a triple in several graphs are
 * adjacent; every row of the range is then read. Opens a cursor of its
 * own. Returns CK_OK with *out set, or CK_ERR_CORRUPT / CK_ERR_IO. */
ck_status quad_index_count(MDB_txn *txn, MDB_dbi dbi, const quad_row *prefix, int prefix_len,
                           bool distinct, uint64_t *out, ck_error *err);

#endif
