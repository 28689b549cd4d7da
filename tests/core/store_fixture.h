/*
 * store_fixture.h — the cmocka fixture of the core tests that need a real
 * store: a fresh store in a new temporary directory, removed afterwards.
 * Include after <cmocka.h> and store.h.
 */
#ifndef CITYKG_TESTS_STORE_FIXTURE_H
#define CITYKG_TESTS_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char dir[64];
    ck_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/citykg-test-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_CREATE, &f->store, &err), CK_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ck_store_close(f->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

#endif
