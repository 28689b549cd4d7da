/*
 * cli_store.c — opening the store for a subcommand, with the messages a
 * user of the command line needs.
 */
#include "cli.h"

ck_status cli_open_store(const char *dir, unsigned flags, ck_store **store, ck_error *err)
{
    ck_status st = ck_store_open(dir, flags, store, err);
    if (st == CK_ERR_NOT_FOUND && (flags & CK_OPEN_READONLY))
        ck_error_set(err, st, "no store at %s: load data first (citykg load --data %s FILE)",
                     dir, dir);
    return st;
}

ck_status cli_with_snapshot(const char *dir, ck_status (*fn)(ck_txn *, void *, ck_error *),
                               void *ctx, ck_error *err)
{
    ck_store *store;
    ck_status st = cli_open_store(dir, CK_OPEN_READONLY, &store, err);
    if (st)
        return st;
    ck_txn *txn;
    st = ck_txn_begin_read(store, &txn, err);
    if (st == CK_OK)
        st = fn(txn, ctx, err);
    ck_txn_abort(txn);
    ck_store_close(store);
    return st;
}

ck_status cli_with_write(const char *dir, unsigned flags,
                         ck_status (*fn)(ck_txn *, void *, ck_error *), void *ctx,
                         ck_error *err)
{
    ck_store *store;
    ck_status st = cli_open_store(dir, flags, &store, err);
    if (st)
        return st;
    ck_txn *txn;
    st = ck_txn_begin_write(store, &txn, err);
    if (st == CK_OK)
        st = fn(txn, ctx, err);
    if (st == CK_OK)
        st = ck_txn_commit(txn, err);
    else
        ck_txn_abort(txn);
    ck_store_close(store);
    return st;
}
