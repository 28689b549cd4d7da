/*
 * fuzz_load.c — libFuzzer target for the load path (core/loader.c on
 * raptor, then the dictionary and the quad indexes).
 *
 * The first byte picks the format (low 3 bits, modulo 5: ntriples nquads
 * turtle trig rdfxml) and whether default-graph triples go to a named graph
 * (bit 3); the rest is the document. It is loaded with ck_load_files into a
 * store that lives across inputs, so loads meet terms of earlier ones.
 *
 * Checked beyond the sanitizers:
 *   - a failed load leaves the store exactly as it was (quads, terms,
 *     graphs, blank node counter) and says why;
 *   - after a successful load the statistics add up and ck_store_check
 *     finds the indexes, dictionary and statistics consistent;
 *   - what was loaded survives a round trip: the input loaded alone into
 *     an empty store, dumped as N-Quads and loaded again gives as many
 *     quads (in scratch stores whose transactions are never committed).
 * The store starts afresh every RESET_LOADS successful loads, so that
 * checks stay cheap.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "dump.h"
#include "fuzz_common.h"
#include "loader.h"

#define RESET_LOADS 16

static const char *const formats[] = {"ntriples", "nquads", "turtle", "trig", "rdfxml"};

static ck_store *store;          /* receives the inputs */
static ck_store *scratch;        /* stay empty: round-trip loads are aborted */
static ck_store *scratch_reload;
static int loads;

static ck_store_stats stats_of(ck_store *s)
{
    ck_txn *txn;
    ck_error err;
    ck_store_stats st;
    if (ck_txn_begin_read(s, &txn, &err) != CK_OK || ck_store_stats_get(txn, &st, &err) != CK_OK)
        fuzz_fail("reading statistics", &err);
    ck_txn_abort(txn);
    return st;
}

static void check_store(void)
{
    ck_txn *txn;
    ck_error err;
    if (ck_txn_begin_read(store, &txn, &err) != CK_OK)
        fuzz_fail("ck_txn_begin_read", &err);
    if (ck_store_check(txn, NULL, &err) != CK_OK)
        fuzz_fail("ck_store_check", &err);
    ck_txn_abort(txn);
}

/* Loads the file at path into a write transaction of s (a failure is a
 * finding, named by what); the quads added go to *quads. With keep the
 * transaction comes back open for the caller to abort, otherwise it is
 * aborted here: s stays empty either way. */
static ck_txn *load_scratch(ck_store *s, const char *path, const ck_load_options *lo,
                            uint64_t *quads, bool keep, const char *what)
{
    const char *files[] = {path};
    ck_load_result lr;
    ck_txn *txn;
    ck_error err;
    if (ck_txn_begin_write(s, &txn, &err) != CK_OK)
        fuzz_fail("ck_txn_begin_write", &err);
    if (ck_load_into(txn, files, 1, lo, &lr, &err) != CK_OK)
        fuzz_fail(what, &err);
    *quads = lr.quads_added;
    if (keep)
        return txn;
    ck_txn_abort(txn);
    return NULL;
}

/* The input alone, loaded into an empty store, dumped as N-Quads and that
 * loaded again, gives as many quads. Costs in proportion to the input, not
 * to what the shared store has gathered. */
static void check_round_trip(const uint8_t *data, size_t size, const ck_load_options *lo)
{
    char path[64];
    fuzz_file_set(data, size, path, sizeof path);
    uint64_t loaded, reloaded;
    ck_txn *txn = load_scratch(scratch, path, lo, &loaded, true,
                               "loaded into one store, failed in another");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_error err;
    if (!out)
        fuzz_fail("open_memstream", NULL);
    if (ck_dump(txn, out, "nquads", NULL, NULL, &err) != CK_OK)
        fuzz_fail("ck_dump of a loaded store", &err);
    ck_txn_abort(txn);
    fclose(out);
    fuzz_file_set(text, len, path, sizeof path);
    ck_load_options nq = {.format = "nquads", .batch_quads = 1024};
    load_scratch(scratch_reload, path, &nq, &reloaded, false, "reloading the dump");
    if (reloaded != loaded) {
        fprintf(stderr, "%s", text);
        fprintf(stderr, "fuzz: the input gives %llu quads, its dump %llu\n",
                (unsigned long long)loaded, (unsigned long long)reloaded);
        abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!scratch) {
        scratch = fuzz_store_new();
        scratch_reload = fuzz_store_new();
    }
    if (!store || loads >= RESET_LOADS) {
        ck_store_close(store);
        store = fuzz_store_new();
        loads = 0;
    }
    char path[64];
    fuzz_file_set(data + 1, size - 1, path, sizeof path);
    const char *files[] = {path};
    ck_load_options lo = {.format = formats[(data[0] & 7) % 5],
                          .graph = data[0] & 8 ? "http://example.org/graph" : NULL,
                          .base = "http://example.org/base/",
                          .batch_quads = 5}; /* small batches: many index merges */
    ck_store_stats before = stats_of(store);
    ck_load_result lr;
    ck_error err = {0};
    ck_status st = ck_load_files(store, files, 1, &lo, &lr, &err);
    ck_store_stats after = stats_of(store);
    if (st != CK_OK) {
        if (!err.message[0])
            fuzz_fail("a failed load without a message", &err);
        if (after.quads != before.quads || after.terms != before.terms ||
            after.graphs != before.graphs || after.blank_nodes != before.blank_nodes)
            fuzz_fail("a failed load changed the store", &err);
        return 0;
    }
    loads++;
    if (lr.quads_added > lr.quads_read || after.quads != before.quads + lr.quads_added)
        fuzz_fail("load counts do not add up", NULL);
    check_store();
    check_round_trip(data + 1, size - 1, &lo);
    return 0;
}
