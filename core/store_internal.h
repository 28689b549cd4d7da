/*
 * store_internal.h — the structures behind store.h, shared by the files of
 * core/ only.
 *
 * LMDB databases of a store:
 *   meta      format version, next dictionary id, next blank node id
 *   id2term   id (8 bytes BE) -> term bytes (dict.c)
 *   term2id   hash (8 bytes BE) -> id, DUPSORT|DUPFIXED for hash collisions
 *   stats     'p'|id or 'g'|id (9 bytes) -> quad count (8 bytes BE)
 *   spog ...  the permutation indexes (quad_index.h): six graph-complete
 *             ones, and psog (format 4), absent from a format-3 store
 *             opened read-only
 *   acl       tokens and graph access levels (acl.c); absent from stores
 *             made before it existed and only opened read-only since
 *   spatial   envelopes of geometry literals (spatial_index.h)
 *   spatial_graphs  the same per graph, following the quads (spatial_index.h)
 *   values    numeric objects by predicate and value (value_index.h)
 */
#ifndef CITYKG_STORE_INTERNAL_H
#define CITYKG_STORE_INTERNAL_H

#include <lmdb.h>
#include "bytes.h"
#include "quad_index.h"
#include "store.h"

#define CK_FORMAT_VERSION 4 /* 2: restart points in index blocks; 3: inline numbers, dateTimes;
                               4: the psog permutation */
/* The oldest format still read: a format-3 store opened for writing gets
 * its psog built (store_upgrade.c); read-only it is read without psog. */
#define CK_FORMAT_OLDEST 3
#define CK_FORMAT_PSOG 4 /* the first format with psog */

struct ck_store {
    MDB_env *env;
    MDB_dbi meta, id2term, term2id, stats;
    MDB_dbi index[PERM_COUNT];
    bool has_psog; /* false: a format-3 store opened read-only */
    MDB_dbi acl;
    bool has_acl; /* false: an old store opened read-only, no tokens, no levels */
    MDB_dbi spatial, spatial_graphs; /* spatial_index.c */
    bool has_spatial, spatial_ready, spatial_graphs_ready;
    MDB_dbi values; /* value_index.c */
    bool values_ready;
    char *path;
    bool readonly;
};

typedef struct term_cache term_cache;

struct ck_txn {
    ck_store *store;
    MDB_txn *mdb;
    bool write;
    ck_scan_work work; /* of the scans closed or reset so far */
    /* write transactions only */
    uint64_t next_dict_id;
    uint64_t next_blank_id;
    term_cache *cache;
};

ck_status ck_lmdb_error(ck_error *err, int rc, const char *what);

/* dict.c */
term_cache *term_cache_new(void);
void term_cache_free(term_cache *cache);
/* Declares that the store's dictionary is empty, so the cache is complete. */
void term_cache_set_complete(term_cache *cache, bool complete);
/* Writes pending term2id entries to LMDB; called before commit. */
ck_status dict_flush(ck_txn *txn, ck_error *err);

/* spatial_index.c */
/* Opens (or creates) the spatial database; builds the index of an older
 * store opened for writing. An LMDB return code. */
int spatial_open(ck_store *s, MDB_txn *txn, bool readonly);
/* Indexes t (a new dictionary term with id) if it is a geometry literal. */
ck_status spatial_note_term(ck_txn *txn, const ck_term *t, ck_id id, ck_error *err);
/* Keeps the graph grid current after the quads (spog rows) were added or
 * removed: called once all the permutation indexes hold the change. */
ck_status spatial_note_quads(ck_txn *txn, const quad_row *spog, size_t n, bool inserting, ck_error *err);

/* value_index.c */
/* Opens (or creates) the values database; builds the index of an older
 * store opened for writing, in txn (the opening's). */
ck_status values_open(ck_store *s, MDB_txn *txn, bool readonly, ck_error *err);
/* Keeps the value index current after the quads (spog rows) were added or
 * removed: called once the permutations hold the change. */
ck_status values_note_quads(ck_txn *txn, const quad_row *spog, size_t n, bool inserting, ck_error *err);
/* For `citykg check`: whether the index holds exactly the rows a rebuild
 * from posg would write (*rows: their number); CK_ERR_CORRUPT if not. */
ck_status values_check(ck_txn *txn, uint64_t *rows, ck_error *err);

/* store_upgrade.c */
/* Builds the psog permutation of a format-3 store from its posg, in txn
 * (the store opening's write transaction), with progress on stderr for
 * large stores. */
ck_status store_build_psog(ck_store *s, MDB_txn *txn, ck_error *err);

/* stats.c */
/* Adds sign (+1 or -1) per quad to the per-predicate and per-graph counts
 * of the given rows (spog layout). */
ck_status stats_apply(ck_txn *txn, const quad_row *spog_rows, size_t n, int sign,
                      ck_error *err);

#endif
