/*
 * store_fixture.h — a real store for cmocka tests: a fresh store in a new
 * temporary directory, removed afterwards. temp_store_open/_remove serve
 * fixtures with fields of their own; setup/teardown are the plain fixture
 * of the core tests. Include after <cmocka.h> and store.h; define
 * STORE_FIXTURE_HELPERS_ONLY for the helpers alone.
 */
#ifndef CITYKG_TESTS_STORE_FIXTURE_H
#define CITYKG_TESTS_STORE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64: the random stream of the tests, the same on every run. A
 * test sets rng_state to its seed where it wants a stream of its own. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static inline uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#ifdef MDB_VERSION_MAJOR
/* With raw LMDB on the closed store in dir: empties database db and, unless
 * keep_flag, drops it and deletes its completeness flag from meta — a
 * store made before that database existed (keep_flag: one whose database
 * lost its rows). For tests that include <lmdb.h>. */
static inline void raw_drop_database(const char *dir, const char *db, const char *flag, bool keep_flag)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta, dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
    assert_int_equal(mdb_env_set_mapsize(env, (size_t)1 << 30), 0);
    assert_int_equal(mdb_env_open(env, dir, MDB_NOTLS, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_dbi_open(txn, db, 0, &dbi), 0);
    MDB_val key = {strlen(flag), (void *)flag};
    if (!keep_flag)
        assert_int_equal(mdb_del(txn, meta, &key, NULL), 0);
    assert_int_equal(mdb_drop(txn, dbi, keep_flag ? 0 : 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}
#endif

/* Creates a store in a new directory /tmp/citykg-test-store-XXXXXX (its
 * name goes to dir). */
static inline void temp_store_open(char dir[64], ck_store **store)
{
    strcpy(dir, "/tmp/citykg-test-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    ck_error err;
    assert_int_equal(ck_store_open(dir, CK_OPEN_CREATE, store, &err), CK_OK);
}

/* Fails the test with the error's message unless st is CK_OK. */
static inline void must(ck_status st, const ck_error *err)
{
    if (st)
        fail_msg("%s", err->message);
}

/* Interns the IRI fmt (one %u, given n) and returns its id. */
static inline ck_id intern_iri_n(ck_txn *t, const char *fmt, unsigned n)
{
    char text[128];
    snprintf(text, sizeof text, fmt, n);
    ck_term term = {CK_TERM_IRI, text, strlen(text), NULL, 0, NULL, 0};
    ck_id id;
    ck_error err;
    must(ck_term_intern(t, &term, &id, &err), &err);
    return id;
}

/* Closes the store and removes its directory. */
static inline void temp_store_remove(const char *dir, ck_store *store)
{
    ck_store_close(store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

#ifndef STORE_FIXTURE_HELPERS_ONLY
typedef struct {
    char dir[64];
    ck_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    temp_store_open(f->dir, &f->store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    temp_store_remove(f->dir, f->store);
    free(f);
    return 0;
}
#endif

#endif
