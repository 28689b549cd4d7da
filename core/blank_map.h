/*
 * blank_map.h — blank node labels of one document -> fresh blank node ids.
 * A label names the same node only within its document (file, Redland
 * storage), so loaders keep one map per document and clear it between.
 */
#ifndef CITYKG_BLANK_MAP_H
#define CITYKG_BLANK_MAP_H

#include "store.h"

typedef struct {
    struct { uint64_t hash; ck_id id; char *label; size_t len; } *slots;
    size_t cap, used;
} blank_map;

/* The id for label, handing out a new blank node on first sight.
 * Returns 0 when out of memory. */
ck_id blank_map_get(blank_map *map, ck_txn *txn, const char *label, size_t len);
/* Forgets all labels and frees memory; the map can be used again. */
void blank_map_clear(blank_map *map);

#endif
