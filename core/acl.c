/*
 * acl.c — tokens, access levels and the rules of access control (acl.h).
 *
 * Everything is one LMDB database, "acl", keys starting with a kind byte:
 *   'd'              -> level of the default graph (1 byte)
 *   'g' IRI          -> level of a named graph (1 byte)
 *   'h' SHA-256(IRI) -> level (1 byte) and IRI, for IRIs too long for an
 *                       LMDB key (511 bytes)
 *   't' id (16 hex)  -> a token record:
 *       version (1), role (1), flags (1; bit 0 revoked),
 *       created, expires (8 bytes BE each, Unix time; expires 0 = never),
 *       salt (16), SHA-256(salt || secret) (32),
 *       label (2-byte BE length + bytes), number of graphs (2 bytes BE),
 *       each graph (2-byte BE length + bytes).
 *
 * The secret is 256 random bits, so one salted SHA-256 is enough: slow
 * password hashes exist for secrets people choose, which can be guessed;
 * this one cannot. The salt keeps equal hashes from saying anything.
 */
#include "acl.h"
#include "store_internal.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SALT_LEN 16
#define HASH_LEN 32
#define SECRET_LEN 32
#define RECORD_VERSION 1
#define RECORD_FIXED (3 + 8 + 8 + SALT_LEN + HASH_LEN)
#define LABEL_MAX 1000
#define GRAPHS_MAX 1000
#define IRI_MAX 8000

static const char *const role_names[] = {"anonymous", "staff", "steward", "agent", "admin"};
static const char *const access_names[] = {"public", "internal", "restricted"};

/* The one answer to every refused token: which check failed stays unsaid. */
static ck_status refuse_token(ck_error *err)
{
    return ck_error_set(err, CK_ERR_UNAUTHORIZED,
                        "invalid token: not a current citykg token (check that it was copied "
                        "whole and has not expired or been revoked)");
}

/* Index of name in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *ck_role_name(ck_role role)
{
    return (unsigned)role <= CK_ROLE_ADMIN ? role_names[role] : NULL;
}

bool ck_role_from_name(const char *name, ck_role *out)
{
    int i = name_index(role_names, CK_ROLE_ADMIN + 1, name);
    if (i >= 0)
        *out = (ck_role)i;
    return i >= 0;
}

const char *ck_access_name(ck_access level)
{
    return (unsigned)level <= CK_ACCESS_RESTRICTED ? access_names[level] : NULL;
}

bool ck_access_from_name(const char *name, ck_access *out)
{
    int i = name_index(access_names, CK_ACCESS_RESTRICTED + 1, name);
    if (i >= 0)
        *out = (ck_access)i;
    return i >= 0;
}

/* ---- the rules ------------------------------------------------------------- */

static bool rule_may_read(ck_role role, ck_access level, bool listed)
{
    if (role == CK_ROLE_ADMIN || listed)
        return true;
    if (level == CK_ACCESS_PUBLIC)
        return true;
    if (level == CK_ACCESS_INTERNAL)
        return role != CK_ROLE_ANONYMOUS;
    return false; /* restricted: admin and the tokens listing it */
}

static bool rule_may_write(ck_role role, ck_access level, bool listed)
{
    switch (role) {
    case CK_ROLE_ADMIN:
        return true;
    case CK_ROLE_STEWARD:
        return level != CK_ACCESS_RESTRICTED;
    case CK_ROLE_AGENT:
        return listed;
    default:
        return false;
    }
}

/* ---- principals -------------------------------------------------------------- */

struct ck_principal {
    ck_role role;
    bool has_id;
    char id[CK_TOKEN_ID_LEN + 1];
    char **graphs;
    size_t n_graphs;
};

void ck_principal_free(ck_principal *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_graphs; i++)
        free(p->graphs[i]);
    free(p->graphs);
    free(p);
}

ck_role ck_principal_role(const ck_principal *p) { return p->role; }
const char *ck_principal_token_id(const ck_principal *p) { return p->has_id ? p->id : NULL; }
size_t ck_principal_graph_count(const ck_principal *p) { return p->n_graphs; }
const char *ck_principal_graph(const ck_principal *p, size_t i)
{
    return i < p->n_graphs ? p->graphs[i] : NULL;
}

/* Whether the principal's token lists the graph (iri NULL = default graph). */
static bool principal_lists(const ck_principal *p, const char *iri, size_t len)
{
    if (!iri) {
        iri = CK_ACL_DEFAULT_GRAPH;
        len = strlen(iri);
    }
    for (size_t i = 0; i < p->n_graphs; i++)
        if (strlen(p->graphs[i]) == len && memcmp(p->graphs[i], iri, len) == 0)
            return true;
    return false;
}

/* ---- access levels --------------------------------------------------------------- */

#define LEVEL_KEY_IRI_MAX 480 /* longer IRIs are keyed by their hash */

/* The key of a graph's level: 'd', 'g' and the IRI, or 'h' and the IRI's
 * SHA-256 (then the value carries the IRI after the level byte). */
typedef struct {
    unsigned char bytes[1 + LEVEL_KEY_IRI_MAX];
    size_t len;
    bool hashed;
} level_key;

static bool level_key_make(level_key *k, const char *iri, size_t len)
{
    k->hashed = iri && len > LEVEL_KEY_IRI_MAX;
    k->bytes[0] = !iri ? 'd' : k->hashed ? 'h' : 'g';
    k->len = !iri ? 1 : k->hashed ? 1 + HASH_LEN : 1 + len;
    if (k->hashed)
        return gnutls_hash_fast(GNUTLS_DIG_SHA256, iri, len, k->bytes + 1) == 0;
    if (iri)
        memcpy(k->bytes + 1, iri, len);
    return true;
}

/* The level stored in v under key k (for iri, len), or -1 when damaged. */
static int level_value(const MDB_val *v, const level_key *k, const char *iri, size_t len)
{
    const unsigned char *b = v->mv_data;
    if (v->mv_size < 1 || b[0] > CK_ACCESS_RESTRICTED)
        return -1;
    if (!k->hashed)
        return v->mv_size == 1 ? b[0] : -1;
    return v->mv_size == 1 + len && memcmp(b + 1, iri, len) == 0 ? b[0] : -1;
}

/* The level of a graph given by IRI bytes (NULL = default graph). */
static ck_status level_lookup(ck_txn *t, const char *iri, size_t len, ck_access *out,
                              bool *is_set, ck_error *err)
{
    *out = CK_ACCESS_INTERNAL; /* nothing is public until a steward says so */
    if (is_set)
        *is_set = false;
    if (!t->store->has_acl)
        return CK_OK;
    level_key key;
    if (!level_key_make(&key, iri, len))
        return ck_error_set(err, CK_ERR_IO, "SHA-256 failed");
    MDB_val k = {key.len, key.bytes}, v;
    int rc = mdb_get(t->mdb, t->store->acl, &k, &v);
    if (rc == MDB_NOTFOUND)
        return CK_OK;
    if (rc)
        return ck_lmdb_error(err, rc, "reading an access level");
    int level = level_value(&v, &key, iri, len);
    if (level < 0)
        return ck_error_set(err, CK_ERR_CORRUPT, "the access level of %s is damaged",
                            iri ? "a graph" : "the default graph");
    *out = (ck_access)level;
    if (is_set)
        *is_set = true;
    return CK_OK;
}

/* An absolute IRI as RDF allows it: a scheme, a colon, and no characters
 * that IRIs forbid. Enough to keep typing mistakes ("internal") out. */
static bool iri_valid(const char *iri)
{
    size_t len = strlen(iri);
    if (len == 0 || len > IRI_MAX || !((iri[0] | 0x20) >= 'a' && (iri[0] | 0x20) <= 'z'))
        return false;
    const char *colon = strchr(iri, ':');
    if (!colon)
        return false;
    for (const char *c = iri + 1; c < colon; c++)
        if (!(((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '+' || *c == '-' || *c == '.'))
            return false;
    for (const unsigned char *c = (const unsigned char *)iri; *c; c++)
        if (*c <= 0x20 || strchr("<>\"{}|\\^`", *c))
            return false;
    return true;
}

static ck_status require_write(ck_txn *t, const char *what, ck_error *err)
{
    if (!t->write)
        return ck_error_set(err, CK_ERR_INVALID, "%s needs a write transaction", what);
    if (!t->store->has_acl)
        return ck_error_set(err, CK_ERR_INVALID, "the store has no access-control database");
    return CK_OK;
}

ck_status ck_acl_set_access(ck_txn *t, const char *iri, ck_access level, ck_error *err)
{
    ck_status st = require_write(t, "setting an access level", err);
    if (st)
        return st;
    if (iri && !iri_valid(iri))
        return ck_error_set(err, CK_ERR_INVALID,
                            "'%.200s' is not an absolute IRI (a graph is named by an IRI "
                            "such as https://example.org/graph, or is the default graph)",
                            iri);
    if ((unsigned)level > CK_ACCESS_RESTRICTED)
        return ck_error_set(err, CK_ERR_INVALID, "unknown access level %d", (int)level);
    size_t len = iri ? strlen(iri) : 0;
    level_key key;
    if (!level_key_make(&key, iri, len))
        return ck_error_set(err, CK_ERR_IO, "SHA-256 failed");
    unsigned char *value = malloc(1 + len);
    if (!value)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    value[0] = (unsigned char)level;
    if (key.hashed)
        memcpy(value + 1, iri, len);
    MDB_val k = {key.len, key.bytes}, v = {key.hashed ? 1 + len : 1, value};
    int rc = mdb_put(t->mdb, t->store->acl, &k, &v, 0);
    free(value);
    return rc ? ck_lmdb_error(err, rc, "storing an access level") : CK_OK;
}

ck_status ck_acl_get_access(ck_txn *t, const char *iri, ck_access *out, bool *is_set,
                            ck_error *err)
{
    return level_lookup(t, iri, iri ? strlen(iri) : 0, out, is_set, err);
}

/* Calls fn for the level entries of one kind ('g' or 'h'). */
static ck_status levels_of_kind(ck_txn *t, char kind,
                                void (*fn)(void *ctx, const char *graph_iri, ck_access level),
                                void *ctx, ck_error *err)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(t->mdb, t->store->acl, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading access levels");
    ck_status st = CK_OK;
    MDB_val k = {1, &kind}, v;
    char *iri = NULL;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const unsigned char *kb = k.mv_data, *vb = v.mv_data;
        if (k.mv_size < 2 || kb[0] != (unsigned char)kind)
            break;
        /* the IRI: in the key, or after the level byte of a hashed key */
        const unsigned char *text = kind == 'g' ? kb + 1 : vb + 1;
        size_t len = kind == 'g' ? k.mv_size - 1 : v.mv_size - 1;
        level_key key;
        int level = v.mv_size >= 1 && level_key_make(&key, (const char *)text, len)
                        ? level_value(&v, &key, (const char *)text, len)
                        : -1;
        char *n = level >= 0 ? realloc(iri, len + 1) : NULL;
        if (!n) {
            st = level < 0 ? ck_error_set(err, CK_ERR_CORRUPT,
                                          "an access level in the store is damaged")
                           : ck_error_set(err, CK_ERR_NOMEM, "out of memory");
            break;
        }
        iri = n;
        memcpy(iri, text, len);
        iri[len] = 0;
        fn(ctx, iri, (ck_access)level);
    }
    if (!st && rc && rc != MDB_NOTFOUND)
        st = ck_lmdb_error(err, rc, "reading access levels");
    free(iri);
    mdb_cursor_close(cur);
    return st;
}

ck_status ck_acl_access_each(ck_txn *t,
                             void (*fn)(void *ctx, const char *graph_iri, ck_access level),
                             void *ctx, ck_error *err)
{
    if (!t->store->has_acl)
        return CK_OK;
    ck_access level;
    bool is_set;
    ck_status st = level_lookup(t, NULL, 0, &level, &is_set, err);
    if (!st && is_set)
        fn(ctx, NULL, level);
    if (!st)
        st = levels_of_kind(t, 'g', fn, ctx, err);
    if (!st)
        st = levels_of_kind(t, 'h', fn, ctx, err);
    return st;
}

/* ---- what a principal may do ------------------------------------------------------ */

/* The level of graph id g (CK_DEFAULT_GRAPH or a named graph's IRI id) and
 * whether who's token lists it. */
static ck_status graph_standing(ck_txn *t, const ck_principal *who, ck_id g, ck_access *level,
                                bool *listed, ck_error *err)
{
    if (g == CK_DEFAULT_GRAPH) {
        *listed = principal_lists(who, NULL, 0);
        return level_lookup(t, NULL, 0, level, NULL, err);
    }
    ck_term term;
    ck_term_buf buf;
    ck_status st = ck_term_resolve(t, g, &term, &buf, err);
    if (st)
        return st;
    if (term.kind != CK_TERM_IRI) { /* not a graph name: no reader but admin */
        *level = CK_ACCESS_RESTRICTED;
        *listed = false;
        return CK_OK;
    }
    *listed = principal_lists(who, term.value, term.value_len);
    return level_lookup(t, term.value, term.value_len, level, NULL, err);
}

typedef struct {
    ck_id *ids;
    size_t n, cap;
    bool failed;
} id_list;

static void collect_graph(void *ctx, ck_id g, uint64_t quads)
{
    id_list *l = ctx;
    if (g == CK_DEFAULT_GRAPH || !quads || l->failed)
        return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        ck_id *n = realloc(l->ids, ncap * sizeof *n);
        if (!n) {
            l->failed = true;
            return;
        }
        l->ids = n;
        l->cap = ncap;
    }
    l->ids[l->n++] = g;
}

/* A graph set and its ids in one allocation, so that ck_graph_set_free is
 * one free. */
typedef struct {
    ck_graph_set set;
    ck_id ids[];
} owned_graph_set;

ck_status ck_acl_readable(ck_txn *t, const ck_principal *who, ck_graph_set **out, ck_error *err)
{
    *out = NULL;
    if (who->role == CK_ROLE_ADMIN)
        return CK_OK;
    id_list graphs = {0};
    ck_status st = ck_graphs_each(t, collect_graph, &graphs, err);
    if (!st && graphs.failed)
        st = ck_error_set(err, CK_ERR_NOMEM, "out of memory listing graphs");
    owned_graph_set *s = NULL;
    if (!st) {
        s = malloc(sizeof *s + (graphs.n + 1) * sizeof(ck_id));
        if (!s)
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    ck_access level;
    bool listed;
    size_t n = 0;
    if (!st)
        st = graph_standing(t, who, CK_DEFAULT_GRAPH, &level, &listed, err);
    if (!st)
        s->set.default_graph = rule_may_read(who->role, level, listed);
    /* ck_graphs_each gives ids ascending: the set stays sorted */
    for (size_t i = 0; i < graphs.n && !st; i++) {
        st = graph_standing(t, who, graphs.ids[i], &level, &listed, err);
        if (!st && rule_may_read(who->role, level, listed))
            s->ids[n++] = graphs.ids[i];
    }
    free(graphs.ids);
    if (st) {
        free(s);
        return st;
    }
    s->set.ids = s->ids;
    s->set.n = n;
    *out = &s->set;
    return CK_OK;
}

void ck_graph_set_free(ck_graph_set *s)
{
    free(s); /* the first member of an owned_graph_set */
}

bool ck_acl_may_read(ck_txn *t, const ck_principal *who, const char *iri)
{
    ck_access level;
    if (level_lookup(t, iri, iri ? strlen(iri) : 0, &level, NULL, NULL) != CK_OK)
        return false;
    return rule_may_read(who->role, level, principal_lists(who, iri, iri ? strlen(iri) : 0));
}

bool ck_acl_may_write(ck_txn *t, const ck_principal *who, const char *iri)
{
    ck_access level;
    if (level_lookup(t, iri, iri ? strlen(iri) : 0, &level, NULL, NULL) != CK_OK)
        return false;
    return rule_may_write(who->role, level, principal_lists(who, iri, iri ? strlen(iri) : 0));
}

bool ck_acl_may_manage(const ck_principal *who) { return who->role == CK_ROLE_ADMIN; }

bool ck_acl_may_set_access(const ck_principal *who)
{
    return who->role == CK_ROLE_ADMIN || who->role == CK_ROLE_STEWARD;
}

/* ---- token records ------------------------------------------------------------------ */

typedef struct {
    ck_role role;
    bool revoked;
    int64_t created, expires;
    unsigned char salt[SALT_LEN], hash[HASH_LEN];
    char *label;
    char **graphs;
    size_t n_graphs;
} token_record;

static void record_free(token_record *r)
{
    free(r->label);
    for (size_t i = 0; i < r->n_graphs; i++)
        free(r->graphs[i]);
    free(r->graphs);
    memset(r, 0, sizeof *r);
}

/* A length-prefixed string at *p (not past end) as a new C string. */
static char *take_string(const unsigned char **p, const unsigned char *end)
{
    if (end - *p < 2)
        return NULL;
    size_t len = (size_t)(*p)[0] << 8 | (*p)[1];
    if ((size_t)(end - *p - 2) < len)
        return NULL;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, *p + 2, len);
        s[len] = 0;
    }
    *p += 2 + len;
    return s;
}

/* false when the bytes are not a record this version can read. */
static bool record_parse(const MDB_val *v, token_record *r)
{
    memset(r, 0, sizeof *r);
    const unsigned char *p = v->mv_data, *end = p + v->mv_size;
    if (v->mv_size < RECORD_FIXED + 4 || p[0] != RECORD_VERSION || p[1] > CK_ROLE_ADMIN)
        return false;
    r->role = (ck_role)p[1];
    r->revoked = p[2] & 1;
    r->created = (int64_t)bytes_get_be64(p + 3);
    r->expires = (int64_t)bytes_get_be64(p + 11);
    memcpy(r->salt, p + 19, SALT_LEN);
    memcpy(r->hash, p + 19 + SALT_LEN, HASH_LEN);
    p += RECORD_FIXED;
    r->label = take_string(&p, end);
    if (!r->label || end - p < 2)
        goto bad;
    size_t n = (size_t)p[0] << 8 | p[1];
    p += 2;
    r->graphs = calloc(n + 1, sizeof *r->graphs);
    if (!r->graphs)
        goto bad;
    for (; r->n_graphs < n; r->n_graphs++)
        if (!(r->graphs[r->n_graphs] = take_string(&p, end)))
            goto bad;
    if (p != end)
        goto bad;
    return true;
bad:
    record_free(r);
    return false;
}

static void put_string(unsigned char **p, const char *s)
{
    size_t len = strlen(s);
    (*p)[0] = (unsigned char)(len >> 8);
    (*p)[1] = (unsigned char)len;
    memcpy(*p + 2, s, len);
    *p += 2 + len;
}

/* Serializes a record; *len receives its size. Caller frees. */
static unsigned char *record_encode(const token_record *r, size_t *len)
{
    size_t size = RECORD_FIXED + 2 + strlen(r->label) + 2;
    for (size_t i = 0; i < r->n_graphs; i++)
        size += 2 + strlen(r->graphs[i]);
    unsigned char *b = malloc(size), *p = b;
    if (!b)
        return NULL;
    p[0] = RECORD_VERSION;
    p[1] = (unsigned char)r->role;
    p[2] = r->revoked ? 1 : 0;
    bytes_put_be64(p + 3, (uint64_t)r->created);
    bytes_put_be64(p + 11, (uint64_t)r->expires);
    memcpy(p + 19, r->salt, SALT_LEN);
    memcpy(p + 19 + SALT_LEN, r->hash, HASH_LEN);
    p += RECORD_FIXED;
    put_string(&p, r->label);
    p[0] = (unsigned char)(r->n_graphs >> 8);
    p[1] = (unsigned char)r->n_graphs;
    p += 2;
    for (size_t i = 0; i < r->n_graphs; i++)
        put_string(&p, r->graphs[i]);
    *len = size;
    return b;
}

static void token_key(unsigned char key[1 + CK_TOKEN_ID_LEN], const char *id)
{
    key[0] = 't';
    memcpy(key + 1, id, CK_TOKEN_ID_LEN);
}

/* Reads the record of token id: CK_ERR_NOT_FOUND when there is none. */
static ck_status record_get(ck_txn *t, const char *id, token_record *r, ck_error *err)
{
    if (!t->store->has_acl)
        return CK_ERR_NOT_FOUND;
    unsigned char key[1 + CK_TOKEN_ID_LEN];
    token_key(key, id);
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(t->mdb, t->store->acl, &k, &v);
    if (rc == MDB_NOTFOUND)
        return CK_ERR_NOT_FOUND;
    if (rc)
        return ck_lmdb_error(err, rc, "reading a token");
    if (!record_parse(&v, r))
        return ck_error_set(err, CK_ERR_CORRUPT, "the record of token %.16s is damaged", id);
    return CK_OK;
}

static ck_status record_put(ck_txn *t, const char *id, const token_record *r, unsigned flags,
                            ck_error *err)
{
    unsigned char key[1 + CK_TOKEN_ID_LEN];
    token_key(key, id);
    size_t len;
    unsigned char *bytes = record_encode(r, &len);
    if (!bytes)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    MDB_val k = {sizeof key, key}, v = {len, bytes};
    int rc = mdb_put(t->mdb, t->store->acl, &k, &v, flags);
    free(bytes);
    if (rc == MDB_KEYEXIST)
        return ck_error_set(err, CK_ERR_INVALID, "token id %.16s exists already", id);
    return rc ? ck_lmdb_error(err, rc, "storing a token") : CK_OK;
}

/* ---- secrets ------------------------------------------------------------------------- */

static void hex_encode(char *out, const unsigned char *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Lowercase hex of exactly 2n digits into n bytes. */
static bool hex_decode(unsigned char *out, const char *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(in[2 * i]), lo = hi < 0 ? -1 : hex_digit(in[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

/* Splits `ckt_<id>_<secret>`; false when the text is not of that form. */
static bool token_parse(const char *text, char id[CK_TOKEN_ID_LEN + 1],
                        unsigned char secret[SECRET_LEN])
{
    unsigned char id_bytes[CK_TOKEN_ID_LEN / 2];
    if (strlen(text) != CK_TOKEN_TEXT_LEN || strncmp(text, "ckt_", 4) != 0 ||
        text[4 + CK_TOKEN_ID_LEN] != '_' || !hex_decode(id_bytes, text + 4, sizeof id_bytes) ||
        !hex_decode(secret, text + 5 + CK_TOKEN_ID_LEN, SECRET_LEN))
        return false;
    memcpy(id, text + 4, CK_TOKEN_ID_LEN);
    id[CK_TOKEN_ID_LEN] = 0;
    return true;
}

static bool hash_secret(const unsigned char salt[SALT_LEN], const unsigned char secret[SECRET_LEN],
                        unsigned char out[HASH_LEN])
{
    unsigned char in[SALT_LEN + SECRET_LEN];
    memcpy(in, salt, SALT_LEN);
    memcpy(in + SALT_LEN, secret, SECRET_LEN);
    int rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, in, sizeof in, out);
    gnutls_memset(in, 0, sizeof in);
    return rc == 0;
}

/* ---- tokens ---------------------------------------------------------------------------- */

ck_status ck_acl_authenticate(ck_txn *t, const char *token, ck_principal **out, ck_error *err)
{
    *out = NULL;
    ck_principal *p = calloc(1, sizeof *p);
    if (!p)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    p->role = CK_ROLE_ANONYMOUS;
    if (!token || !*token) {
        *out = p;
        return CK_OK;
    }
    char id[CK_TOKEN_ID_LEN + 1];
    unsigned char secret[SECRET_LEN] = {0}, digest[HASH_LEN];
    token_record r = {0};
    bool well_formed = token_parse(token, id, secret);
    ck_status st = well_formed ? record_get(t, id, &r, err) : CK_ERR_NOT_FOUND;
    if (st && st != CK_ERR_NOT_FOUND) {
        ck_principal_free(p);
        gnutls_memset(secret, 0, sizeof secret);
        return st;
    }
    bool found = st == CK_OK;
    /* hash even without a record, so that an unknown id costs the time of
     * a wrong secret */
    bool hashed = hash_secret(r.salt, secret, digest);
    gnutls_memset(secret, 0, sizeof secret);
    bool valid = found && hashed && gnutls_memcmp(digest, r.hash, HASH_LEN) == 0 && !r.revoked &&
                 (r.expires == 0 || (int64_t)time(NULL) < r.expires);
    if (!valid) {
        record_free(&r);
        ck_principal_free(p);
        return refuse_token(err);
    }
    p->role = r.role;
    p->has_id = true;
    memcpy(p->id, id, sizeof p->id);
    p->graphs = r.graphs; /* the principal takes the list over */
    p->n_graphs = r.n_graphs;
    r.graphs = NULL;
    r.n_graphs = 0;
    record_free(&r);
    *out = p;
    return CK_OK;
}

static ck_status spec_check(const ck_token_spec *spec, ck_error *err)
{
    if ((unsigned)spec->role > CK_ROLE_ADMIN)
        return ck_error_set(err, CK_ERR_INVALID, "unknown role %d", (int)spec->role);
    if (spec->role == CK_ROLE_AGENT && spec->n_graphs == 0)
        return ck_error_set(err, CK_ERR_INVALID,
                            "an agent token must list the graphs it writes (--graphs)");
    if (spec->n_graphs > GRAPHS_MAX)
        return ck_error_set(err, CK_ERR_INVALID, "a token lists at most %d graphs", GRAPHS_MAX);
    if (spec->label && strlen(spec->label) > LABEL_MAX)
        return ck_error_set(err, CK_ERR_INVALID, "a token label has at most %d bytes", LABEL_MAX);
    if (spec->expires_at < 0)
        return ck_error_set(err, CK_ERR_INVALID, "a token cannot expire before 1970");
    for (size_t i = 0; i < spec->n_graphs; i++) {
        const char *g = spec->graphs[i];
        if (!g || (strcmp(g, CK_ACL_DEFAULT_GRAPH) != 0 && !iri_valid(g)))
            return ck_error_set(err, CK_ERR_INVALID,
                                "'%.200s' is not an absolute IRI nor '%s' (the default graph)",
                                g ? g : "(null)", CK_ACL_DEFAULT_GRAPH);
    }
    return CK_OK;
}

ck_status ck_acl_token_create(ck_txn *t, const ck_token_spec *spec, char id[CK_TOKEN_ID_LEN + 1],
                              char token[CK_TOKEN_TEXT_LEN + 1], ck_error *err)
{
    id[0] = token[0] = 0;
    ck_status st = require_write(t, "creating a token", err);
    if (!st)
        st = spec_check(spec, err);
    if (st)
        return st;
    unsigned char id_bytes[CK_TOKEN_ID_LEN / 2], secret[SECRET_LEN];
    token_record r = {.role = spec->role, .created = (int64_t)time(NULL),
                      .expires = spec->expires_at};
    if (gnutls_rnd(GNUTLS_RND_NONCE, id_bytes, sizeof id_bytes) < 0 ||
        gnutls_rnd(GNUTLS_RND_RANDOM, r.salt, sizeof r.salt) < 0 ||
        gnutls_rnd(GNUTLS_RND_KEY, secret, sizeof secret) < 0)
        return ck_error_set(err, CK_ERR_IO, "the system's random number generator failed");
    if (!hash_secret(r.salt, secret, r.hash)) {
        gnutls_memset(secret, 0, sizeof secret);
        return ck_error_set(err, CK_ERR_IO, "SHA-256 failed");
    }
    r.label = (char *)(spec->label ? spec->label : "");
    r.graphs = (char **)spec->graphs; /* only read by record_encode */
    r.n_graphs = spec->n_graphs;
    hex_encode(id, id_bytes, sizeof id_bytes);
    /* MDB_NOOVERWRITE: a colliding id (2^-64 per pair) fails instead of
     * replacing another token */
    st = record_put(t, id, &r, MDB_NOOVERWRITE, err);
    if (st == CK_OK) {
        memcpy(token, "ckt_", 4);
        memcpy(token + 4, id, CK_TOKEN_ID_LEN);
        token[4 + CK_TOKEN_ID_LEN] = '_';
        hex_encode(token + 5 + CK_TOKEN_ID_LEN, secret, SECRET_LEN);
    } else {
        id[0] = 0;
    }
    gnutls_memset(secret, 0, sizeof secret);
    return st;
}

ck_status ck_acl_tokens_each(ck_txn *t, void (*fn)(void *ctx, const ck_token_info *info),
                             void *ctx, ck_error *err)
{
    if (!t->store->has_acl)
        return CK_OK;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(t->mdb, t->store->acl, &cur);
    if (rc)
        return ck_lmdb_error(err, rc, "reading tokens");
    ck_status st = CK_OK;
    MDB_val k = {1, "t"}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const unsigned char *kb = k.mv_data;
        if (k.mv_size != 1 + CK_TOKEN_ID_LEN || kb[0] != 't')
            break;
        char id[CK_TOKEN_ID_LEN + 1];
        memcpy(id, kb + 1, CK_TOKEN_ID_LEN);
        id[CK_TOKEN_ID_LEN] = 0;
        token_record r;
        if (!record_parse(&v, &r)) {
            st = ck_error_set(err, CK_ERR_CORRUPT, "the record of token %s is damaged", id);
            break;
        }
        ck_token_info info = {id, r.role, r.label, (const char *const *)r.graphs, r.n_graphs,
                              r.created, r.expires, r.revoked};
        fn(ctx, &info);
        record_free(&r);
    }
    if (!st && rc && rc != MDB_NOTFOUND)
        st = ck_lmdb_error(err, rc, "reading tokens");
    mdb_cursor_close(cur);
    return st;
}

ck_status ck_acl_token_revoke(ck_txn *t, const char *id, ck_error *err)
{
    ck_status st = require_write(t, "revoking a token", err);
    if (st)
        return st;
    char canonical[CK_TOKEN_ID_LEN + 1];
    unsigned char id_bytes[CK_TOKEN_ID_LEN / 2];
    if (!id || strlen(id) != CK_TOKEN_ID_LEN || !hex_decode(id_bytes, id, sizeof id_bytes))
        return ck_error_set(err, CK_ERR_INVALID,
                            "'%.100s' is not a token id (16 hex digits, as `citykg token list` "
                            "shows them)", id ? id : "");
    memcpy(canonical, id, sizeof canonical);
    token_record r;
    st = record_get(t, canonical, &r, err);
    if (st == CK_ERR_NOT_FOUND)
        return ck_error_set(err, CK_ERR_NOT_FOUND, "no token with id %s", canonical);
    if (st)
        return st;
    r.revoked = true;
    st = record_put(t, canonical, &r, 0, err);
    record_free(&r);
    return st;
}
