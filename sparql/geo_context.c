/*
 * geo_context.c — the per-query GeoSPARQL state and geometry cache (see
 * geo_context.h).
 */
#include "geo_context.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds of the cache: beyond these the next call starts it afresh. */
#define CACHE_MAX_ENTRIES ((size_t)1 << 16)
#define CACHE_MAX_BYTES ((size_t)256 << 20)

struct geo_cache_slot {
    uint64_t hash;  /* 0: empty */
    char *key;      /* kind byte + lexical form */
    size_t key_len;
    bool valid;     /* false: the literal was refused (remembered too) */
    geo_cached *c;  /* its own block: pointers to it survive the table's growth */
};

static void geos_error(const char *fmt, ...)
{
    (void)fmt; /* the failing call returns an error value; nothing to print */
}

static void cache_clear(geo_context *gc)
{
    for (size_t i = 0; i < gc->cap; i++) {
        geo_cache_slot *s = &gc->slots[i];
        if (!s->hash)
            continue;
        free(s->key);
        if (s->c->prepared)
            GEOSPreparedGeom_destroy_r(gc->h, s->c->prepared);
        if (s->c->other)
            GEOSGeom_destroy_r(gc->h, s->c->other);
        if (s->c->geom.g)
            GEOSGeom_destroy_r(gc->h, s->c->geom.g);
        free(s->c);
        memset(s, 0, sizeof *s);
    }
    gc->len = gc->bytes = 0;
}

/* PROJ contexts with what they learnt (CRS descriptions from proj.db,
 * transformations: milliseconds each to make) outlive their query: a
 * finished query leaves its geo_crs_cache here for the next one. Each is
 * used by one query (one thread) at a time. */
#define CRS_POOL_SIZE 8
static geo_crs_cache crs_pool[CRS_POOL_SIZE];
static size_t crs_pool_len;
static pthread_mutex_t crs_pool_lock = PTHREAD_MUTEX_INITIALIZER;

static bool crs_cache_take(geo_crs_cache *out)
{
    pthread_mutex_lock(&crs_pool_lock);
    bool found = crs_pool_len > 0;
    if (found)
        *out = crs_pool[--crs_pool_len];
    pthread_mutex_unlock(&crs_pool_lock);
    return found || geo_crs_cache_init(out);
}

static void crs_cache_give_back(geo_crs_cache *c)
{
    if (!c->proj)
        return;
    pthread_mutex_lock(&crs_pool_lock);
    bool kept = crs_pool_len < CRS_POOL_SIZE;
    if (kept)
        crs_pool[crs_pool_len++] = *c;
    pthread_mutex_unlock(&crs_pool_lock);
    if (!kept)
        geo_crs_cache_free(c);
    memset(c, 0, sizeof *c);
}

static void context_free(void *state)
{
    geo_context *gc = state;
    cache_clear(gc);
    free(gc->slots);
    geo_codec_free(&gc->codec);
    crs_cache_give_back(&gc->crs);
    if (gc->h)
        GEOS_finish_r(gc->h);
    free(gc);
}

geo_context *geo_context_of(sparql_func_ctx *ctx)
{
    if (ctx->ext_state && ctx->ext_state_free == context_free)
        return ctx->ext_state;
    if (ctx->ext_state)
        return NULL; /* another extension's: there is one slot */
    geo_context *gc = calloc(1, sizeof *gc);
    if (!gc)
        return NULL;
    gc->h = GEOS_init_r();
    if (gc->h)
        GEOSContext_setErrorHandler_r(gc->h, geos_error);
    if (!gc->h || !crs_cache_take(&gc->crs) || !geo_codec_init(&gc->codec, gc->h)) {
        context_free(gc);
        return NULL;
    }
    ctx->ext_state = gc;
    ctx->ext_state_free = context_free;
    return gc;
}

void geo_context_begin_call(geo_context *gc)
{
    if (gc->len >= CACHE_MAX_ENTRIES || gc->bytes >= CACHE_MAX_BYTES)
        cache_clear(gc);
}

static uint64_t hash_key(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h ? h : 1;
}

static bool grow(geo_context *gc)
{
    size_t cap = gc->cap ? gc->cap * 2 : 64;
    geo_cache_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < gc->cap; i++) {
        geo_cache_slot *s = &gc->slots[i];
        if (!s->hash)
            continue;
        size_t j = s->hash & (cap - 1);
        while (slots[j].hash)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(gc->slots);
    gc->slots = slots;
    gc->cap = cap;
    return true;
}

geo_cached *geo_context_geometry(geo_context *gc, const sparql_value *v)
{
    geo_literal_kind kind = geo_literal_kind_of(v);
    if (kind == GEO_LITERAL_NONE)
        return NULL;
    size_t key_len = v->lex_len + 1;
    char *key = malloc(key_len + 1);
    if (!key)
        return NULL;
    key[0] = (char)kind;
    memcpy(key + 1, v->lex, v->lex_len + 1);
    uint64_t hash = hash_key(key, key_len);
    if ((gc->len + 1) * 2 > gc->cap && !grow(gc)) {
        free(key);
        return NULL;
    }
    size_t i = hash & (gc->cap - 1);
    for (;; i = (i + 1) & (gc->cap - 1)) {
        geo_cache_slot *s = &gc->slots[i];
        if (!s->hash)
            break;
        if (s->hash == hash && s->key_len == key_len && memcmp(s->key, key, key_len) == 0) {
            free(key);
            s->c->uses++;
            return s->valid ? s->c : NULL;
        }
    }
    geo_cached *c = calloc(1, sizeof *c);
    if (!c) {
        free(key);
        return NULL;
    }
    geo_cache_slot *s = &gc->slots[i];
    /* the parser needs a NUL-terminated text: key + 1 is one */
    s->valid = geo_literal_parse(&gc->codec, &gc->crs, kind, key + 1, &c->geom);
    s->hash = hash;
    s->key = key;
    s->key_len = key_len;
    s->c = c;
    c->uses = 1;
    gc->len++;
    gc->bytes += key_len * 3; /* the text and, roughly, its parsed geometry */
    return s->valid ? c : NULL;
}

const GEOSGeometry *geo_context_in_crs(geo_context *gc, geo_cached *c, const geo_crs *crs)
{
    if (geo_crs_same(&c->geom.crs, crs))
        return c->geom.g;
    if (c->other && geo_crs_same(&c->other_crs, crs))
        return c->other;
    if (c->other)
        GEOSGeom_destroy_r(gc->h, c->other);
    c->other = geo_crs_transform(&gc->crs, gc->h, c->geom.g, &c->geom.crs, crs);
    c->other_crs = *crs;
    return c->other;
}

const GEOSPreparedGeometry *geo_context_prepared(geo_context *gc, geo_cached *c)
{
    if (!c->prepared && c->uses >= 2)
        c->prepared = GEOSPrepare_r(gc->h, c->geom.g);
    return c->prepared;
}
