/*
 * dict.c — the term dictionary: term <-> id.
 *
 * id2term maps an id to the term's bytes; term2id maps a 64-bit hash of the
 * bytes to the ids having it (collisions are resolved by comparing bytes).
 * Term bytes, by tag (the tag itself lives in the id):
 *   IRI     the IRI
 *   STRING  the lexical form
 *   LANG    one byte tag length, the language tag (lower case), the lexical form
 *   TYPED   LEB128 id of the datatype IRI, the lexical form
 *
 * A write transaction keeps a cache of the terms it has seen (hash table over
 * an arena). New ids go to id2term at once (they ascend, so LMDB appends);
 * their term2id entries wait in the cache and are written sorted by hash at
 * commit, or earlier when the cache outgrows its memory budget — so a load of
 * any size runs in bounded memory.
 */
#include "store_internal.h"
#include "bytes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATATYPE_MEMO 8
#define CACHE_ARENA_BUDGET ((size_t)384 << 20) /* < 4 GiB: offsets are u32 */

/* 16 bytes a slot: the arena entry holds the term's length and bytes, so a
 * slot needs only the id, the arena offset and a hash fragment that rules out
 * most mismatches without touching the arena. */
typedef struct {
    uint64_t id;      /* 0 = empty slot */
    uint32_t offset;  /* into arena: u32 length, then the bytes */
    uint32_t hash_hi; /* upper half of the term hash */
} cache_slot;

typedef struct {
    uint64_t hash, id;
} pending_entry;

struct term_cache {
    cache_slot *slots;
    size_t capacity, used; /* capacity is a power of two */
    char *arena;
    size_t arena_len, arena_cap;
    pending_entry *pending;
    size_t pending_len, pending_cap;
    unsigned char *scratch; /* term bytes being built */
    size_t scratch_cap;
    /* true while the cache holds every term of the store: the dictionary was
     * empty when the transaction began and nothing was evicted since. Then a
     * cache miss means "new term" without asking LMDB. */
    bool complete;
    /* recently used datatype IRIs -> ids */
    struct {
        char iri[120];
        size_t len;
        ck_id id;
    } dt_memo[DATATYPE_MEMO];
    int dt_memo_next;
};

term_cache *term_cache_new(void)
{
    term_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->capacity = 1 << 16;
    c->slots = calloc(c->capacity, sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    return c;
}

void term_cache_free(term_cache *c)
{
    if (!c)
        return;
    free(c->slots);
    free(c->arena);
    free(c->pending);
    free(c->scratch);
    free(c);
}

static void cache_clear(term_cache *c)
{
    memset(c->slots, 0, c->capacity * sizeof *c->slots);
    c->used = 0;
    c->arena_len = 0;
}

static const unsigned char *slot_bytes(const term_cache *c, const cache_slot *s, uint32_t *len)
{
    memcpy(len, c->arena + s->offset, 4);
    return (const unsigned char *)c->arena + s->offset + 4;
}

static cache_slot *cache_find(term_cache *c, uint64_t hash, const void *bytes, size_t len)
{
    size_t mask = c->capacity - 1;
    uint32_t hi = (uint32_t)(hash >> 32);
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        cache_slot *s = &c->slots[i];
        if (s->id == 0)
            return s;
        uint32_t slen;
        if (s->hash_hi == hi) {
            const unsigned char *sb = slot_bytes(c, s, &slen);
            if (slen == len && memcmp(sb, bytes, len) == 0)
                return s;
        }
    }
}

/* The hash is not stored whole: recompute it from the arena when growing. */
static uint64_t slot_hash(const term_cache *c, const cache_slot *s);

static bool cache_grow(term_cache *c)
{
    size_t ncap = c->capacity * 2;
    cache_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < c->capacity; i++) {
        cache_slot *s = &c->slots[i];
        if (!s->id)
            continue;
        size_t j = slot_hash(c, s) & (ncap - 1);
        while (ns[j].id)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(c->slots);
    c->slots = ns;
    c->capacity = ncap;
    return true;
}

static bool cache_insert(term_cache *c, cache_slot *slot, uint64_t hash, const void *bytes,
                         size_t len, uint64_t id)
{
    size_t need = 4 + len;
    if (c->arena_len + need > c->arena_cap) {
        size_t ncap = c->arena_cap ? c->arena_cap * 2 : (1 << 20);
        while (ncap < c->arena_len + need)
            ncap *= 2;
        char *na = realloc(c->arena, ncap);
        if (!na)
            return false;
        c->arena = na;
        c->arena_cap = ncap;
    }
    uint32_t len32 = (uint32_t)len;
    memcpy(c->arena + c->arena_len, &len32, 4);
    memcpy(c->arena + c->arena_len + 4, bytes, len);
    *slot = (cache_slot){id, (uint32_t)c->arena_len, (uint32_t)(hash >> 32)};
    c->arena_len += need;
    c->used++;
    /* load factor up to 0.7 keeps probes short at 16 bytes a slot */
    if (c->used * 10 > c->capacity * 7)
        return cache_grow(c);
    return true;
}

static bool pending_push(term_cache *c, uint64_t hash, uint64_t id)
{
    if (c->pending_len == c->pending_cap) {
        size_t ncap = c->pending_cap ? c->pending_cap * 2 : 4096;
        pending_entry *np = realloc(c->pending, ncap * sizeof *np);
        if (!np)
            return false;
        c->pending = np;
        c->pending_cap = ncap;
    }
    c->pending[c->pending_len++] = (pending_entry){hash, id};
    return true;
}

static int pending_cmp(const void *a, const void *b)
{
    const pending_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void term_cache_set_complete(term_cache *c, bool complete) { c->complete = complete; }

ck_status dict_flush(ck_txn *txn, ck_error *err)
{
    term_cache *c = txn->cache;
    if (!c || c->pending_len == 0)
        return CK_OK;
    qsort(c->pending, c->pending_len, sizeof *c->pending, pending_cmp);
    MDB_stat st;
    int rc = mdb_stat(txn->mdb, txn->store->term2id, &st);
    if (rc)
        return ck_lmdb_error(err, rc, "reading dictionary size");
    bool append = st.ms_entries == 0;
    MDB_cursor *cur;
    rc = mdb_cursor_open(txn->mdb, txn->store->term2id, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "opening dictionary cursor");
    for (size_t i = 0; i < c->pending_len && !rc; i++) {
        unsigned char kb[8], vb[8];
        bytes_put_be64(kb, c->pending[i].hash);
        bytes_put_be64(vb, c->pending[i].id);
        MDB_val k = {8, kb}, v = {8, vb};
        unsigned flags = 0;
        if (append)
            flags = (i > 0 && c->pending[i - 1].hash == c->pending[i].hash) ? MDB_APPENDDUP
                                                                            : MDB_APPEND;
        rc = mdb_cursor_put(cur, &k, &v, flags);
    }
    mdb_cursor_close(cur);
    if (rc)
        return ck_lmdb_error(err, rc, "writing dictionary");
    c->pending_len = 0;
    return CK_OK;
}

/* ---- term bytes ----------------------------------------------------------- */

typedef struct {
    unsigned char *data;
    size_t len;
    unsigned char *heap; /* owned when the scratch buffer was not usable */
    enum ck_tag tag;
} term_bytes;

static unsigned char *bytes_reserve(ck_txn *txn, term_bytes *tb, size_t need)
{
    term_cache *c = txn->cache;
    if (c) {
        if (c->scratch_cap < need) {
            unsigned char *n = realloc(c->scratch, need);
            if (!n)
                return NULL;
            c->scratch = n;
            c->scratch_cap = need;
        }
        return c->scratch;
    }
    tb->heap = malloc(need);
    return tb->heap;
}

static ck_status datatype_id(ck_txn *txn, const ck_term *t, bool create, ck_id *out,
                             ck_error *err);

/* Builds the dictionary bytes of a non-inline term. *missing is set when the
 * term cannot exist because its datatype is unknown (lookups only). */
static ck_status term_to_bytes(ck_txn *txn, const ck_term *t, bool create, term_bytes *tb,
                               bool *missing, ck_error *err)
{
    memset(tb, 0, sizeof *tb);
    *missing = false;
    if (t->kind == CK_TERM_IRI) {
        tb->tag = CK_TAG_IRI;
        tb->data = (unsigned char *)t->value;
        tb->len = t->value_len;
        return CK_OK;
    }
    if (t->kind != CK_TERM_LITERAL)
        return ck_error_set(err, CK_ERR_INVALID, "blank nodes have no dictionary entry");
    if (t->lang) {
        if (t->lang_len > 255)
            return ck_error_set(err, CK_ERR_INVALID, "language tag longer than 255 bytes");
        tb->tag = CK_TAG_LANG;
        unsigned char *p = bytes_reserve(txn, tb, 1 + t->lang_len + t->value_len);
        if (!p)
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        p[0] = (unsigned char)t->lang_len;
        /* language tags are case-insensitive; RDF 1.1 allows lower case as
         * the stored form, and raptor's N-Triples parser lowercases while
         * its Turtle parser does not: one form keeps "x"@de-DE one term */
        for (size_t i = 0; i < t->lang_len; i++) {
            unsigned char ch = (unsigned char)t->lang[i];
            p[1 + i] = ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
        }
        memcpy(p + 1 + t->lang_len, t->value, t->value_len);
        tb->data = p;
        tb->len = 1 + t->lang_len + t->value_len;
        return CK_OK;
    }
    if (!t->datatype) {
        tb->tag = CK_TAG_STRING;
        tb->data = (unsigned char *)t->value;
        tb->len = t->value_len;
        return CK_OK;
    }
    ck_id dt;
    ck_status st = datatype_id(txn, t, create, &dt, err);
    if (st)
        return st;
    if (dt == 0) {
        *missing = true;
        return CK_OK;
    }
    tb->tag = CK_TAG_TYPED;
    unsigned char *p = bytes_reserve(txn, tb, 10 + t->value_len);
    if (!p)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    size_t n = bytes_put_varint(p, dt);
    memcpy(p + n, t->value, t->value_len);
    tb->data = p;
    tb->len = n + t->value_len;
    return CK_OK;
}

static uint64_t term_hash(const term_bytes *tb)
{
    return ck_hash_bytes(tb->data, tb->len, (uint64_t)tb->tag * 0x9E3779B97F4A7C15ULL);
}

static uint64_t slot_hash(const term_cache *c, const cache_slot *s)
{
    uint32_t len;
    const unsigned char *b = slot_bytes(c, s, &len);
    return ck_hash_bytes(b, len, (uint64_t)ck_id_tag(s->id) * 0x9E3779B97F4A7C15ULL);
}

/* Looks the bytes up in LMDB. *out = 0 when absent. */
static ck_status lmdb_lookup(ck_txn *txn, const term_bytes *tb, uint64_t hash, ck_id *out,
                             ck_error *err)
{
    *out = 0;
    unsigned char kb[8];
    bytes_put_be64(kb, hash);
    MDB_val k = {8, kb}, v;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn->mdb, txn->store->term2id, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "opening dictionary");
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP)) {
        ck_id id = bytes_get_be64(v.mv_data);
        if (ck_id_tag(id) != tb->tag)
            continue;
        unsigned char ib[8];
        bytes_put_be64(ib, id);
        MDB_val ik = {8, ib}, iv;
        int rc2 = mdb_get(txn->mdb, txn->store->id2term, &ik, &iv);
        if (rc2 == 0 && iv.mv_size == tb->len && memcmp(iv.mv_data, tb->data, tb->len) == 0) {
            *out = id;
            break;
        }
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return ck_lmdb_error(err, rc, "reading dictionary");
    return CK_OK;
}

static ck_status find_or_create(ck_txn *txn, const term_bytes *tb, bool create, ck_id *out,
                                ck_error *err)
{
    uint64_t hash = term_hash(tb);
    term_cache *c = txn->cache;
    cache_slot *slot = NULL;
    *out = 0;
    if (c) {
        slot = cache_find(c, hash, tb->data, tb->len);
        if (slot->id) {
            *out = slot->id;
            return CK_OK;
        }
    }
    ck_status st = c && c->complete ? CK_OK : lmdb_lookup(txn, tb, hash, out, err);
    if (st)
        return st;
    if (*out == 0 && create) {
        *out = ck_id_make(tb->tag, txn->next_dict_id++);
        unsigned char ib[8];
        bytes_put_be64(ib, *out);
        MDB_val k = {8, ib}, v = {tb->len, tb->data};
        int rc = mdb_put(txn->mdb, txn->store->id2term, &k, &v, MDB_APPEND);
        if (rc)
            return ck_lmdb_error(err, rc, "writing dictionary");
        if (!pending_push(c, hash, *out))
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    if (*out && c) {
        if (c->arena_len + 4 + tb->len > CACHE_ARENA_BUDGET) {
            /* bounded memory: make pending entries findable in LMDB, then
             * start the cache afresh */
            st = dict_flush(txn, err);
            if (st)
                return st;
            cache_clear(c);
            c->complete = false;
        }
        slot = cache_find(c, hash, tb->data, tb->len);
        if (!cache_insert(c, slot, hash, tb->data, tb->len, *out))
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    return CK_OK;
}

static ck_status datatype_id(ck_txn *txn, const ck_term *t, bool create, ck_id *out,
                             ck_error *err)
{
    /* Typed literals of a load use a handful of datatypes: remember the last
     * few instead of hashing the datatype IRI for every literal. */
    term_cache *c = txn->cache;
    if (c) {
        for (int i = 0; i < DATATYPE_MEMO; i++)
            if (c->dt_memo[i].id && c->dt_memo[i].len == t->datatype_len &&
                memcmp(c->dt_memo[i].iri, t->datatype, t->datatype_len) == 0) {
                *out = c->dt_memo[i].id;
                return CK_OK;
            }
    }
    term_bytes dt = {(unsigned char *)t->datatype, t->datatype_len, NULL, CK_TAG_IRI};
    ck_status st = find_or_create(txn, &dt, create, out, err);
    if (st == CK_OK && *out && c && t->datatype_len < sizeof c->dt_memo[0].iri) {
        int slot = c->dt_memo_next++ % DATATYPE_MEMO;
        memcpy(c->dt_memo[slot].iri, t->datatype, t->datatype_len);
        c->dt_memo[slot].len = t->datatype_len;
        c->dt_memo[slot].id = *out;
    }
    return st;
}

static ck_status lookup_or_intern(ck_txn *txn, const ck_term *term_in, bool create, ck_id *out,
                                  ck_error *err)
{
    *out = 0;
    ck_term term = *term_in;
    ck_term_normalize(&term);
    if (term.kind == CK_TERM_BLANK)
        return create ? ck_error_set(err, CK_ERR_INVALID, "blank nodes are not interned by label")
                      : CK_OK;
    if (ck_term_try_inline(&term, out))
        return CK_OK;
    if (create && !txn->write)
        return ck_error_set(err, CK_ERR_INVALID, "cannot create terms in a read transaction");
    term_bytes tb;
    bool missing;
    ck_status st = term_to_bytes(txn, &term, create, &tb, &missing, err);
    uint64_t next_before = txn->next_dict_id;
    if (st == CK_OK && !missing)
        st = find_or_create(txn, &tb, create, out, err);
    /* a new literal term may be a geometry: the spatial index learns it now */
    if (st == CK_OK && txn->next_dict_id != next_before && term.kind == CK_TERM_LITERAL && term.datatype)
        st = spatial_note_term(txn, &term, *out, err);
    free(tb.heap);
    return st;
}

ck_status ck_term_lookup(ck_txn *txn, const ck_term *term, ck_id *out, ck_error *err)
{
    return lookup_or_intern(txn, term, false, out, err);
}

ck_status ck_term_intern(ck_txn *txn, const ck_term *term, ck_id *out, ck_error *err)
{
    return lookup_or_intern(txn, term, true, out, err);
}

ck_id ck_blank_new(ck_txn *txn)
{
    return ck_id_make(CK_TAG_BLANK, txn->next_blank_id++);
}

static ck_status get_bytes(ck_txn *txn, ck_id id, MDB_val *v, ck_error *err)
{
    unsigned char ib[8];
    bytes_put_be64(ib, id);
    MDB_val k = {8, ib};
    int rc = mdb_get(txn->mdb, txn->store->id2term, &k, v);
    if (rc == MDB_NOTFOUND)
        return ck_error_set(err, CK_ERR_NOT_FOUND, "unknown term id %llu",
                            (unsigned long long)id);
    if (rc)
        return ck_lmdb_error(err, rc, "reading dictionary");
    return CK_OK;
}

ck_status ck_term_resolve(ck_txn *txn, ck_id id, ck_term *t, ck_term_buf *buf, ck_error *err)
{
    memset(t, 0, sizeof *t);
    enum ck_tag tag = ck_id_tag(id);
    if (tag == CK_TAG_BLANK) {
        t->kind = CK_TERM_BLANK;
        t->value = buf->blank_label;
        t->value_len = (size_t)snprintf(buf->blank_label, sizeof buf->blank_label, "b%llu",
                                        (unsigned long long)ck_id_payload(id));
        return CK_OK;
    }
    if (ck_term_from_inline(id, t, buf->inline_text))
        return CK_OK;
    if (!ck_id_in_dictionary(id))
        return ck_error_set(err, CK_ERR_NOT_FOUND, "invalid term id %llu",
                            (unsigned long long)id);
    MDB_val v;
    ck_status st = get_bytes(txn, id, &v, err);
    if (st)
        return st;
    const unsigned char *p = v.mv_data, *end = p + v.mv_size;
    switch (tag) {
    case CK_TAG_IRI:
        t->kind = CK_TERM_IRI;
        t->value = (const char *)p;
        t->value_len = v.mv_size;
        return CK_OK;
    case CK_TAG_STRING:
        t->kind = CK_TERM_LITERAL;
        t->value = (const char *)p;
        t->value_len = v.mv_size;
        return CK_OK;
    case CK_TAG_LANG:
        if (v.mv_size < 1 || (size_t)p[0] + 1 > v.mv_size)
            break;
        t->kind = CK_TERM_LITERAL;
        t->lang = (const char *)p + 1;
        t->lang_len = p[0];
        t->value = (const char *)p + 1 + p[0];
        t->value_len = v.mv_size - 1 - p[0];
        return CK_OK;
    case CK_TAG_TYPED: {
        uint64_t dt;
        if (!bytes_get_varint(&p, end, &dt) || ck_id_tag(dt) != CK_TAG_IRI)
            break;
        MDB_val dv;
        st = get_bytes(txn, dt, &dv, err);
        if (st)
            return st;
        t->kind = CK_TERM_LITERAL;
        t->datatype = dv.mv_data;
        t->datatype_len = dv.mv_size;
        t->value = (const char *)p;
        t->value_len = (size_t)(end - p);
        return CK_OK;
    }
    default:
        break;
    }
    return ck_error_set(err, CK_ERR_CORRUPT, "malformed dictionary entry for id %llu",
                        (unsigned long long)id);
}
