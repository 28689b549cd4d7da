/*
 * blank_map.c — blank node labels of one document -> fresh blank node ids.
 */
#include "blank_map.h"

#include <stdlib.h>
#include <string.h>

void blank_map_clear(blank_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].label);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

ck_id blank_map_get(blank_map *m, ck_txn *txn, const char *label, size_t len)
{
    if ((m->used + 1) * 2 > m->cap) {
        blank_map grown = {calloc(m->cap ? m->cap * 2 : 1024, sizeof *m->slots),
                           m->cap ? m->cap * 2 : 1024, m->used};
        if (!grown.slots)
            return 0;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].label)
                continue;
            size_t j = m->slots[i].hash & (grown.cap - 1);
            while (grown.slots[j].label)
                j = (j + 1) & (grown.cap - 1);
            grown.slots[j] = m->slots[i];
        }
        free(m->slots);
        *m = grown;
    }
    uint64_t h = ck_hash_bytes(label, len, 7);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].label) {
        if (m->slots[j].hash == h && m->slots[j].len == len &&
            memcmp(m->slots[j].label, label, len) == 0)
            return m->slots[j].id;
        j = (j + 1) & (m->cap - 1);
    }
    m->slots[j].label = malloc(len + 1);
    if (!m->slots[j].label)
        return 0;
    memcpy(m->slots[j].label, label, len);
    m->slots[j].hash = h;
    m->slots[j].len = len;
    m->slots[j].id = ck_blank_new(txn);
    m->used++;
    return m->slots[j].id;
}

