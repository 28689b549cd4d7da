/* Unit tests of access control (core/acl.h) on a real store: token text and
 * hashing, refused tokens (forged, unknown, malformed, expired, revoked) all
 * with one message, access levels and their default, the rules per role,
 * and stores without the acl database. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl.h"
#include "store.h"
#include "store_fixture.h"

#define G_PUBLIC "https://city.example/graph/public"
#define G_INTERNAL "https://city.example/graph/internal"
#define G_RESTRICTED "https://city.example/graph/restricted"
#define G_UNSET "https://city.example/graph/unset"


static ck_txn *begin_write(fixture *f)
{
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_write(f->store, &t, &err), CK_OK);
    return t;
}

static ck_txn *begin_read(fixture *f)
{
    ck_txn *t;
    ck_error err;
    assert_int_equal(ck_txn_begin_read(f->store, &t, &err), CK_OK);
    return t;
}

static void commit(ck_txn *t)
{
    ck_error err;
    assert_int_equal(ck_txn_commit(t, &err), CK_OK);
}

static ck_id intern_iri(ck_txn *t, const char *s)
{
    ck_term term = {CK_TERM_IRI, s, strlen(s), NULL, 0, NULL, 0};
    ck_id id;
    ck_error err;
    assert_int_equal(ck_term_intern(t, &term, &id, &err), CK_OK);
    return id;
}

/* One quad in graph g (NULL: the default graph). */
static void add_quad(ck_txn *t, const char *g)
{
    ck_quad q = {g ? intern_iri(t, g) : CK_DEFAULT_GRAPH, intern_iri(t, "https://city.example/s"),
                 intern_iri(t, "https://city.example/p"), intern_iri(t, "https://city.example/o")};
    ck_error err;
    assert_int_equal(ck_quads_add(t, &q, 1, NULL, &err), CK_OK);
}

static void create_token(ck_txn *t, ck_role role, const char *const *graphs, size_t n,
                         int64_t expires_at, char id[CK_TOKEN_ID_LEN + 1],
                         char text[CK_TOKEN_TEXT_LEN + 1])
{
    ck_token_spec spec = {role, graphs, n, "test token", expires_at};
    ck_error err;
    assert_int_equal(ck_acl_token_create(t, &spec, id, text, &err), CK_OK);
}

/* ---- tokens ---------------------------------------------------------------- */

/* Whether the bytes occur anywhere in the file. */
static bool file_contains(const char *path, const void *needle, size_t n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size + 1);
    assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    bool found = memmem(data, (size_t)size, needle, n) != NULL;
    free(data);
    return found;
}

static void test_token_text_and_storage(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    char id[CK_TOKEN_ID_LEN + 1], text[CK_TOKEN_TEXT_LEN + 1];
    const char *graphs[] = {G_RESTRICTED, CK_ACL_DEFAULT_GRAPH};
    create_token(t, CK_ROLE_STAFF, graphs, 2, 0, id, text);
    commit(t);

    /* ckt_<16 hex>_<64 hex>, the id in it */
    assert_int_equal(strlen(text), CK_TOKEN_TEXT_LEN);
    assert_int_equal(strncmp(text, "ckt_", 4), 0);
    assert_int_equal(strncmp(text + 4, id, CK_TOKEN_ID_LEN), 0);
    assert_int_equal(text[4 + CK_TOKEN_ID_LEN], '_');
    const char *secret_hex = text + 5 + CK_TOKEN_ID_LEN;
    assert_int_equal(strspn(secret_hex, "0123456789abcdef"), 64);

    /* the secret is nowhere in the store, neither as text nor as bytes */
    char path[128];
    snprintf(path, sizeof path, "%s/data.mdb", f->dir);
    unsigned char secret[32];
    for (int i = 0; i < 32; i++)
        sscanf(secret_hex + 2 * i, "%2hhx", &secret[i]);
    assert_false(file_contains(path, secret_hex, 64));
    assert_false(file_contains(path, secret, sizeof secret));
    assert_true(file_contains(path, id, CK_TOKEN_ID_LEN)); /* the record is there */

    /* and the token works */
    t = begin_read(f);
    ck_principal *p;
    ck_error err;
    assert_int_equal(ck_acl_authenticate(t, text, &p, &err), CK_OK);
    assert_int_equal(ck_principal_role(p), CK_ROLE_STAFF);
    assert_string_equal(ck_principal_token_id(p), id);
    assert_int_equal(ck_principal_graph_count(p), 2);
    assert_string_equal(ck_principal_graph(p, 0), G_RESTRICTED);
    assert_string_equal(ck_principal_graph(p, 1), CK_ACL_DEFAULT_GRAPH);
    ck_principal_free(p);
    ck_txn_abort(t);
}

static void test_two_tokens_differ(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    char id1[CK_TOKEN_ID_LEN + 1], id2[CK_TOKEN_ID_LEN + 1];
    char text1[CK_TOKEN_TEXT_LEN + 1], text2[CK_TOKEN_TEXT_LEN + 1];
    create_token(t, CK_ROLE_ADMIN, NULL, 0, 0, id1, text1);
    create_token(t, CK_ROLE_ADMIN, NULL, 0, 0, id2, text2);
    assert_string_not_equal(id1, id2);
    assert_string_not_equal(text1 + 5 + CK_TOKEN_ID_LEN, text2 + 5 + CK_TOKEN_ID_LEN);
    /* a secret only opens its own record */
    char swapped[CK_TOKEN_TEXT_LEN + 1];
    memcpy(swapped, text1, sizeof swapped);
    memcpy(swapped + 5 + CK_TOKEN_ID_LEN, text2 + 5 + CK_TOKEN_ID_LEN, 64);
    ck_principal *p;
    ck_error err;
    assert_int_equal(ck_acl_authenticate(t, swapped, &p, &err), CK_ERR_UNAUTHORIZED);
    assert_null(p);
    ck_txn_abort(t);
}

typedef struct {
    int n;
    char ids[8][CK_TOKEN_ID_LEN + 1];
    bool revoked[8];
    ck_role role[8];
    char label[64];
    size_t n_graphs[8];
} token_listing;

static void list_token(void *ctx, const ck_token_info *info)
{
    token_listing *l = ctx;
    if (l->n == 8)
        return;
    strcpy(l->ids[l->n], info->id);
    l->revoked[l->n] = info->revoked;
    l->role[l->n] = info->role;
    l->n_graphs[l->n] = info->n_graphs;
    snprintf(l->label, sizeof l->label, "%s", info->label);
    assert_true(info->created_at > 0);
    l->n++;
}

static void test_refused_tokens_one_message(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    char good_id[CK_TOKEN_ID_LEN + 1], good[CK_TOKEN_TEXT_LEN + 1];
    char expired_id[CK_TOKEN_ID_LEN + 1], expired[CK_TOKEN_TEXT_LEN + 1];
    char revoked_id[CK_TOKEN_ID_LEN + 1], revoked[CK_TOKEN_TEXT_LEN + 1];
    create_token(t, CK_ROLE_ADMIN, NULL, 0, (int64_t)time(NULL) + 3600, good_id, good);
    create_token(t, CK_ROLE_ADMIN, NULL, 0, (int64_t)time(NULL) - 1, expired_id, expired);
    create_token(t, CK_ROLE_ADMIN, NULL, 0, 0, revoked_id, revoked);
    ck_error err;
    assert_int_equal(ck_acl_token_revoke(t, revoked_id, &err), CK_OK);
    commit(t);

    char forged[CK_TOKEN_TEXT_LEN + 1], unknown[CK_TOKEN_TEXT_LEN + 1], upper[CK_TOKEN_TEXT_LEN + 1];
    memcpy(forged, good, sizeof forged);
    forged[CK_TOKEN_TEXT_LEN - 1] = forged[CK_TOKEN_TEXT_LEN - 1] == '0' ? '1' : '0';
    memcpy(unknown, good, sizeof unknown);
    unknown[4] = unknown[4] == 'a' ? 'b' : 'a';
    memcpy(upper, good, sizeof upper);
    for (char *c = upper + 4; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    char truncated[CK_TOKEN_TEXT_LEN + 1];
    memcpy(truncated, good, sizeof truncated);
    truncated[CK_TOKEN_TEXT_LEN - 1] = 0;
    const char *refused[] = {forged, unknown, expired, revoked, truncated, "ckt_", "Bearer x",
                             "ckt_0123456789abcdef_0123", good + 1};

    t = begin_read(f);
    ck_principal *p;
    assert_int_equal(ck_acl_authenticate(t, good, &p, &err), CK_OK);
    assert_int_equal(ck_principal_role(p), CK_ROLE_ADMIN);
    ck_principal_free(p);
    char first_message[sizeof err.message] = "";
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        ck_error e = {0};
        p = (ck_principal *)1;
        assert_int_equal(ck_acl_authenticate(t, refused[i], &p, &e), CK_ERR_UNAUTHORIZED);
        assert_null(p);
        assert_int_equal(e.code, CK_ERR_UNAUTHORIZED);
        if (i == 0)
            strcpy(first_message, e.message);
        assert_string_equal(e.message, first_message);
        /* the message says nothing about the token it was given */
        assert_null(strstr(e.message, good_id));
        assert_null(strstr(e.message, "expired token"));
        assert_null(strstr(e.message, "revoked token"));
        assert_null(strstr(e.message, "unknown"));
    }
    assert_true(strlen(first_message) > 0);

    /* revoked tokens stay listed, marked */
    token_listing l = {0};
    assert_int_equal(ck_acl_tokens_each(t, list_token, &l, &err), CK_OK);
    assert_int_equal(l.n, 3);
    for (int i = 0; i < l.n; i++)
        assert_int_equal(l.revoked[i], strcmp(l.ids[i], revoked_id) == 0);
    assert_string_equal(l.label, "test token");
    ck_txn_abort(t);

    /* unknown ids and malformed ones cannot be revoked */
    t = begin_write(f);
    assert_int_equal(ck_acl_token_revoke(t, "0123456789abcdef", &err), CK_ERR_NOT_FOUND);
    assert_int_equal(ck_acl_token_revoke(t, "xyz", &err), CK_ERR_INVALID);
    ck_txn_abort(t);
}

static void test_anonymous_and_bad_specs(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    ck_principal *p;
    ck_error err;
    assert_int_equal(ck_acl_authenticate(t, NULL, &p, &err), CK_OK);
    assert_int_equal(ck_principal_role(p), CK_ROLE_ANONYMOUS);
    assert_null(ck_principal_token_id(p));
    assert_int_equal(ck_principal_graph_count(p), 0);
    ck_principal_free(p);
    assert_int_equal(ck_acl_authenticate(t, "", &p, &err), CK_OK);
    assert_int_equal(ck_principal_role(p), CK_ROLE_ANONYMOUS);
    ck_principal_free(p);

    char id[CK_TOKEN_ID_LEN + 1], text[CK_TOKEN_TEXT_LEN + 1];
    ck_token_spec agent_without_graphs = {CK_ROLE_AGENT, NULL, 0, NULL, 0};
    assert_int_equal(ck_acl_token_create(t, &agent_without_graphs, id, text, &err),
                     CK_ERR_INVALID);
    assert_non_null(strstr(err.message, "--graphs"));
    const char *bad_graphs[] = {"internal"};
    ck_token_spec bad_iri = {CK_ROLE_STAFF, bad_graphs, 1, NULL, 0};
    assert_int_equal(ck_acl_token_create(t, &bad_iri, id, text, &err), CK_ERR_INVALID);
    assert_string_equal(text, "");
    ck_txn_abort(t);

    /* a read transaction cannot make tokens */
    t = begin_read(f);
    ck_token_spec ok = {CK_ROLE_STAFF, NULL, 0, NULL, 0};
    assert_int_equal(ck_acl_token_create(t, &ok, id, text, &err), CK_ERR_INVALID);
    ck_txn_abort(t);
}

/* ---- access levels ---------------------------------------------------------- */

typedef struct {
    int n;
    char iris[8][80];
    ck_access levels[8];
} level_listing;

static void list_level(void *ctx, const char *iri, ck_access level)
{
    level_listing *l = ctx;
    snprintf(l->iris[l->n], sizeof l->iris[l->n], "%s", iri ? iri : "(default)");
    l->levels[l->n++] = level;
}

static void test_levels(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_read(f);
    ck_access level;
    bool is_set = true;
    ck_error err;
    /* nothing set: internal */
    assert_int_equal(ck_acl_get_access(t, G_PUBLIC, &level, &is_set, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_INTERNAL);
    assert_false(is_set);
    assert_int_equal(ck_acl_get_access(t, NULL, &level, &is_set, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_INTERNAL);
    assert_false(is_set);
    assert_int_equal(ck_acl_set_access(t, G_PUBLIC, CK_ACCESS_PUBLIC, &err), CK_ERR_INVALID);
    ck_txn_abort(t);

    t = begin_write(f);
    assert_int_equal(ck_acl_set_access(t, G_PUBLIC, CK_ACCESS_PUBLIC, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, G_RESTRICTED, CK_ACCESS_INTERNAL, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, G_RESTRICTED, CK_ACCESS_RESTRICTED, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, NULL, CK_ACCESS_PUBLIC, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, "public", CK_ACCESS_PUBLIC, &err), CK_ERR_INVALID);
    assert_int_equal(ck_acl_set_access(t, "https://x.example/a b", CK_ACCESS_PUBLIC, &err),
                     CK_ERR_INVALID);
    commit(t);

    /* persistent: another store handle on the directory sees them */
    ck_store_close(f->store);
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    t = begin_read(f);
    assert_int_equal(ck_acl_get_access(t, G_PUBLIC, &level, &is_set, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_PUBLIC);
    assert_true(is_set);
    assert_int_equal(ck_acl_get_access(t, G_RESTRICTED, &level, NULL, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_RESTRICTED);
    assert_int_equal(ck_acl_get_access(t, NULL, &level, NULL, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_PUBLIC);
    level_listing l = {0};
    assert_int_equal(ck_acl_access_each(t, list_level, &l, &err), CK_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.iris[0], "(default)");
    assert_string_equal(l.iris[1], G_PUBLIC);
    assert_int_equal(l.levels[1], CK_ACCESS_PUBLIC);
    assert_string_equal(l.iris[2], G_RESTRICTED);
    assert_int_equal(l.levels[2], CK_ACCESS_RESTRICTED);
    ck_txn_abort(t);

    assert_string_equal(ck_access_name(CK_ACCESS_RESTRICTED), "restricted");
    assert_true(ck_access_from_name("internal", &level));
    assert_int_equal(level, CK_ACCESS_INTERNAL);
    assert_false(ck_access_from_name("secret", &level));
    ck_role role;
    assert_true(ck_role_from_name("steward", &role));
    assert_int_equal(role, CK_ROLE_STEWARD);
    assert_false(ck_role_from_name("root", &role));
    assert_string_equal(ck_role_name(CK_ROLE_AGENT), "agent");
}

/* IRIs longer than an LMDB key (511 bytes) get levels too, and a graph
 * named by one is read by the rules like any other. */
static void test_long_graph_iri(void **state)
{
    fixture *f = *state;
    char long_iri[2001];
    strcpy(long_iri, "https://city.example/graph/");
    size_t used = strlen(long_iri);
    memset(long_iri + used, 'x', sizeof long_iri - 1 - used);
    long_iri[sizeof long_iri - 1] = 0;
    char other[2001];
    memcpy(other, long_iri, sizeof other);
    other[sizeof other - 2] = 'y'; /* same length, another graph */

    ck_txn *t = begin_write(f);
    add_quad(t, long_iri);
    add_quad(t, other);
    ck_id long_id = intern_iri(t, long_iri), other_id = intern_iri(t, other);
    ck_error err;
    assert_int_equal(ck_acl_set_access(t, long_iri, CK_ACCESS_PUBLIC, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, G_PUBLIC, CK_ACCESS_PUBLIC, &err), CK_OK);
    commit(t);

    t = begin_read(f);
    ck_access level;
    bool is_set;
    assert_int_equal(ck_acl_get_access(t, long_iri, &level, &is_set, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_PUBLIC);
    assert_true(is_set);
    assert_int_equal(ck_acl_get_access(t, other, &level, &is_set, &err), CK_OK);
    assert_int_equal(level, CK_ACCESS_INTERNAL);
    assert_false(is_set);
    level_listing l = {0};
    assert_int_equal(ck_acl_access_each(t, list_level, &l, &err), CK_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.iris[0], G_PUBLIC);
    assert_int_equal(strncmp(l.iris[1], long_iri, sizeof l.iris[1] - 1), 0); /* truncated copy */

    ck_principal *anon;
    assert_int_equal(ck_acl_authenticate(t, NULL, &anon, &err), CK_OK);
    ck_graph_set *s;
    assert_int_equal(ck_acl_readable(t, anon, &s, &err), CK_OK);
    assert_true(ck_graph_set_has(s, long_id));
    assert_false(ck_graph_set_has(s, other_id));
    assert_true(ck_acl_may_read(t, anon, long_iri));
    assert_false(ck_acl_may_read(t, anon, other));
    ck_graph_set_free(s);
    ck_principal_free(anon);
    ck_txn_abort(t);
}

/* ---- the rules ------------------------------------------------------------------ */

/* Graph ids of the test store, to compare readable sets with. */
typedef struct {
    ck_id pub, internal, restricted, unset;
} graph_ids;

/* Five graphs with one quad each: public, internal, restricted, one without
 * a level, and the default graph (level as given). */
static graph_ids make_city(fixture *f, bool default_public)
{
    ck_txn *t = begin_write(f);
    ck_error err;
    add_quad(t, G_PUBLIC);
    add_quad(t, G_INTERNAL);
    add_quad(t, G_RESTRICTED);
    add_quad(t, G_UNSET);
    add_quad(t, NULL);
    assert_int_equal(ck_acl_set_access(t, G_PUBLIC, CK_ACCESS_PUBLIC, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, G_INTERNAL, CK_ACCESS_INTERNAL, &err), CK_OK);
    assert_int_equal(ck_acl_set_access(t, G_RESTRICTED, CK_ACCESS_RESTRICTED, &err), CK_OK);
    if (default_public)
        assert_int_equal(ck_acl_set_access(t, NULL, CK_ACCESS_PUBLIC, &err), CK_OK);
    graph_ids g = {intern_iri(t, G_PUBLIC), intern_iri(t, G_INTERNAL), intern_iri(t, G_RESTRICTED),
                   intern_iri(t, G_UNSET)};
    commit(t);
    return g;
}

/* The principal of a fresh token with role and graphs, or the anonymous one. */
static ck_principal *principal(fixture *f, ck_role role, bool anonymous, const char *const *graphs,
                               size_t n)
{
    char id[CK_TOKEN_ID_LEN + 1], text[CK_TOKEN_TEXT_LEN + 1] = "";
    if (!anonymous) {
        ck_txn *w = begin_write(f);
        create_token(w, role, graphs, n, 0, id, text);
        commit(w);
    }
    ck_txn *t = begin_read(f);
    ck_principal *p;
    ck_error err;
    assert_int_equal(ck_acl_authenticate(t, text, &p, &err), CK_OK);
    ck_txn_abort(t);
    return p;
}

/* Asserts the readable set of p: which of public, internal, restricted,
 * unset and the default graph it holds. */
static void expect_readable(fixture *f, const ck_principal *p, const graph_ids *g,
                            const bool read[5])
{
    ck_txn *t = begin_read(f);
    ck_graph_set *s;
    ck_error err;
    assert_int_equal(ck_acl_readable(t, p, &s, &err), CK_OK);
    assert_non_null(s);
    const ck_id ids[4] = {g->pub, g->internal, g->restricted, g->unset};
    const char *iris[5] = {G_PUBLIC, G_INTERNAL, G_RESTRICTED, G_UNSET, NULL};
    size_t n = 0;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ck_graph_set_has(s, i < 4 ? ids[i] : CK_DEFAULT_GRAPH), read[i]);
        assert_int_equal(ck_acl_may_read(t, p, iris[i]), read[i]); /* as the set says */
        n += i < 4 && read[i];
    }
    assert_int_equal(s->n, n);
    for (size_t i = 1; i < s->n; i++)
        assert_true(s->ids[i - 1] < s->ids[i]);
    ck_graph_set_free(s);
    ck_txn_abort(t);
}

static void expect_writable(fixture *f, const ck_principal *p, const bool write[5])
{
    ck_txn *t = begin_read(f);
    const char *iris[5] = {G_PUBLIC, G_INTERNAL, G_RESTRICTED, G_UNSET, NULL};
    for (int i = 0; i < 5; i++)
        assert_int_equal(ck_acl_may_write(t, p, iris[i]), write[i]);
    ck_txn_abort(t);
}

/* One row of the rules: a principal and what it may read and write, in
 * the order public, internal, restricted, unset, default graph. */
typedef struct {
    const char *who;
    ck_role role;
    bool anonymous; /* no token at all */
    const char *const *graphs;
    size_t n_graphs;
    bool read[5], write[5];
    bool manage, set_access;
} rule_row;

static void test_rules_per_role(void **state)
{
    fixture *f = *state;
    graph_ids g = make_city(f, false);
    static const char *const restricted_only[] = {G_RESTRICTED};
    static const char *const agent_graphs[] = {G_INTERNAL, CK_ACL_DEFAULT_GRAPH};
    const rule_row rows[] = {
        {"anonymous", CK_ROLE_ANONYMOUS, true, NULL, 0,
         {1, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, false, false},
        {"staff", CK_ROLE_STAFF, false, NULL, 0,
         {1, 1, 0, 1, 1}, {0, 0, 0, 0, 0}, false, false},
        {"staff listing the restricted graph", CK_ROLE_STAFF, false, restricted_only, 1,
         {1, 1, 1, 1, 1}, {0, 0, 0, 0, 0}, false, false},
        {"steward", CK_ROLE_STEWARD, false, NULL, 0,
         {1, 1, 0, 1, 1}, {1, 1, 0, 1, 1}, false, true},
        {"agent of internal + default", CK_ROLE_AGENT, false, agent_graphs, 2,
         {1, 1, 0, 1, 1}, {0, 1, 0, 0, 1}, false, false},
        {"agent of the restricted graph", CK_ROLE_AGENT, false, restricted_only, 1,
         {1, 1, 1, 1, 1}, {0, 0, 1, 0, 0}, false, false},
        {"anonymous token listing the restricted graph", CK_ROLE_ANONYMOUS, false,
         restricted_only, 1, {1, 0, 1, 0, 0}, {0, 0, 0, 0, 0}, false, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const rule_row *r = &rows[i];
        print_message("rules of %s\n", r->who);
        ck_principal *p = principal(f, r->role, r->anonymous, r->graphs, r->n_graphs);
        expect_readable(f, p, &g, r->read);
        expect_writable(f, p, r->write);
        assert_int_equal(ck_acl_may_manage(p), r->manage);
        assert_int_equal(ck_acl_may_set_access(p), r->set_access);
        ck_principal_free(p);
    }

    ck_principal *admin = principal(f, CK_ROLE_ADMIN, false, NULL, 0);
    ck_txn *t = begin_read(f);
    ck_graph_set *s = (ck_graph_set *)1;
    ck_error err;
    assert_int_equal(ck_acl_readable(t, admin, &s, &err), CK_OK);
    assert_null(s); /* every graph */
    assert_true(ck_acl_may_read(t, admin, G_RESTRICTED));
    ck_txn_abort(t);
    expect_writable(f, admin, (const bool[5]){1, 1, 1, 1, 1});
    assert_true(ck_acl_may_manage(admin));
    assert_true(ck_acl_may_set_access(admin));
    ck_principal_free(admin);

    /* a steward makes the default graph public: anonymous sees it */
    t = begin_write(f);
    assert_int_equal(ck_acl_set_access(t, NULL, CK_ACCESS_PUBLIC, &err), CK_OK);
    commit(t);
    ck_principal *anon = principal(f, CK_ROLE_ANONYMOUS, true, NULL, 0);
    expect_readable(f, anon, &g, (const bool[5]){1, 0, 0, 0, 1});
    ck_principal_free(anon);
}

static void test_fresh_store_anonymous_reads_nothing(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    add_quad(t, G_PUBLIC);
    add_quad(t, NULL);
    commit(t);
    ck_principal *anon = principal(f, CK_ROLE_ANONYMOUS, true, NULL, 0);
    t = begin_read(f);
    ck_graph_set *s;
    ck_error err;
    assert_int_equal(ck_acl_readable(t, anon, &s, &err), CK_OK);
    assert_non_null(s);
    assert_int_equal(s->n, 0);
    assert_false(s->default_graph);
    assert_false(ck_acl_may_write(t, anon, G_PUBLIC));
    ck_graph_set_free(s);
    ck_txn_abort(t);
    ck_principal_free(anon);
}

/* A store made before access control has no acl database: read-only it
 * opens, has no tokens and no levels; read-write it gets the database. */
static void test_store_without_acl_database(void **state)
{
    fixture *f = *state;
    ck_txn *t = begin_write(f);
    add_quad(t, G_PUBLIC);
    char id[CK_TOKEN_ID_LEN + 1], text[CK_TOKEN_TEXT_LEN + 1];
    create_token(t, CK_ROLE_ADMIN, NULL, 0, 0, id, text);
    commit(t);
    ck_store_close(f->store);
    f->store = NULL;

    /* drop the acl database with LMDB itself */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
    assert_int_equal(mdb_env_set_mapsize(env, (size_t)1 << 30), 0);
    assert_int_equal(mdb_env_open(env, f->dir, 0, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "acl", 0, &dbi), 0);
    assert_int_equal(mdb_drop(txn, dbi, 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    ck_error err;
    assert_int_equal(ck_store_open(f->dir, CK_OPEN_READONLY, &f->store, &err), CK_OK);
    t = begin_read(f);
    ck_principal *p;
    assert_int_equal(ck_acl_authenticate(t, text, &p, &err), CK_ERR_UNAUTHORIZED);
    assert_int_equal(ck_acl_authenticate(t, NULL, &p, &err), CK_OK);
    ck_graph_set *s;
    assert_int_equal(ck_acl_readable(t, p, &s, &err), CK_OK);
    assert_int_equal(s->n, 0);
    ck_graph_set_free(s);
    ck_principal_free(p);
    ck_txn_abort(t);
    ck_store_close(f->store);

    assert_int_equal(ck_store_open(f->dir, 0, &f->store, &err), CK_OK);
    t = begin_write(f);
    assert_int_equal(ck_acl_set_access(t, G_PUBLIC, CK_ACCESS_PUBLIC, &err), CK_OK);
    commit(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_token_text_and_storage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_tokens_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_tokens_one_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymous_and_bad_specs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_graph_iri, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_per_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_store_anonymous_reads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_without_acl_database, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
