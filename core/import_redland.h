/*
 * import_redland.h — copy an existing Redland (librdf) storage into citykg,
 * so users of a Redland store can move over. Contexts become named graphs;
 * statements without a context go to the default graph. One transaction:
 * the import lands completely or not at all.
 */
#ifndef CITYKG_IMPORT_REDLAND_H
#define CITYKG_IMPORT_REDLAND_H

#include "loader.h"
#include "store.h"

/* storage: a librdf storage factory ("sqlite", "hashes", "postgresql",
 * "mysql", "virtuoso", ...); name: the storage's name (file or database);
 * options: librdf option string, e.g. "hash-type='bdb',dir='/var/lib/rdf'".
 * The storage is opened read-only where the factory allows. */
ck_status ck_import_redland(ck_store *store, const char *storage, const char *name,
                            const char *options, ck_load_result *result, ck_error *err);

#endif
