/*
 * acl.h — access control: who may read and write which graphs.
 *
 * Owns three things, all kept in the store's LMDB environment (database
 * "acl"), so they change in the same transactions as the data and move with
 * the store directory:
 *   tokens        bearer tokens, given out once as text `ckt_<id>_<secret>`
 *                 (16 hex digits of id, 64 of secret: 256 random bits) and
 *                 kept only as a salted SHA-256 hash with their role, the
 *                 graphs they list, a label, creation time, optional expiry
 *                 and a revoked flag;
 *   access levels public | internal | restricted for each named graph and one
 *                 for the default graph; a graph without a level counts as
 *                 internal (nothing is public until a steward says so);
 *   the rules     which principal (a role and the graphs its token lists)
 *                 may read or write a graph of a given level.
 *
 * The rules (docs/security.md says why):
 *   anonymous  reads public graphs
 *   staff      reads public and internal graphs
 *   steward    reads public and internal, writes every graph that is not
 *              restricted, sets access levels
 *   agent      reads public and internal, writes only the graphs its token
 *              lists
 *   admin      reads and writes everything, manages tokens
 * and for every role: the graphs a token lists are readable by it, which is
 * the only way besides admin to read a restricted graph.
 *
 * Graphs are named by IRI (NULL = the default graph). In a token's list of
 * graphs the default graph is the word CK_ACL_DEFAULT_GRAPH, which no IRI
 * can be (an IRI has a scheme and a colon).
 */
#ifndef CITYKG_CORE_ACL_H
#define CITYKG_CORE_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph_set.h"
#include "store.h"

typedef enum { CK_ROLE_ANONYMOUS, CK_ROLE_STAFF, CK_ROLE_STEWARD, CK_ROLE_AGENT, CK_ROLE_ADMIN } ck_role;
typedef enum { CK_ACCESS_PUBLIC, CK_ACCESS_INTERNAL, CK_ACCESS_RESTRICTED } ck_access;

#define CK_ACL_DEFAULT_GRAPH "default"

/* "anonymous", "staff", ...; NULL for a value outside the enum. */
const char *ck_role_name(ck_role role);
/* false when name is not one of the role names. */
bool ck_role_from_name(const char *name, ck_role *out);
/* "public", "internal", "restricted". */
const char *ck_access_name(ck_access level);
bool ck_access_from_name(const char *name, ck_access *out);

/* ---- principals ------------------------------------------------------------ */

/* Who is asking: a role, the id of the token it came with (none for
 * anonymous) and the graphs that token lists. */
typedef struct ck_principal ck_principal;

/* Turns a bearer token into a principal. token NULL or "" gives the
 * anonymous principal. A forged, malformed, unknown, expired or revoked
 * token gives CK_ERR_UNAUTHORIZED, always with the same message, so that a
 * caller learns nothing about which it was. Read transactions suffice. */
ck_status ck_acl_authenticate(ck_txn *txn, const char *token, ck_principal **out, ck_error *err);
void ck_principal_free(ck_principal *p);

ck_role ck_principal_role(const ck_principal *p);
/* The token's id (16 hex digits); NULL for anonymous. */
const char *ck_principal_token_id(const ck_principal *p);
/* The graphs the token lists (IRIs, or CK_ACL_DEFAULT_GRAPH). */
size_t ck_principal_graph_count(const ck_principal *p);
const char *ck_principal_graph(const ck_principal *p, size_t i);

/* ---- what a principal may do ------------------------------------------------ */

/* The graphs who may read, among those holding quads, for the query
 * engine's sparql_run_options.readable. *out = NULL means every graph
 * (admin); otherwise free it with ck_graph_set_free. The default graph's
 * membership follows its level even while it is empty. */
ck_status ck_acl_readable(ck_txn *txn, const ck_principal *who, ck_graph_set **out,
                          ck_error *err);
/* Frees a set made by ck_acl_readable (NULL is fine). */
void ck_graph_set_free(ck_graph_set *s);

/* Whether who may read / write graph_iri (NULL = the default graph). A
 * failure to read the store answers false. */
bool ck_acl_may_read(ck_txn *txn, const ck_principal *who, const char *graph_iri);
bool ck_acl_may_write(ck_txn *txn, const ck_principal *who, const char *graph_iri);

/* Whether who may create, list and revoke tokens (admin only). A steward
 * may set levels but not manage tokens: one could otherwise make itself an
 * admin token. */
bool ck_acl_may_manage(const ck_principal *who);
/* Whether who may set access levels (steward, admin). */
bool ck_acl_may_set_access(const ck_principal *who);

/* ---- access levels -------------------------------------------------------------- */

/* Sets the level of graph_iri (NULL = the default graph). graph_iri must be
 * an absolute IRI; the graph need not hold quads yet. Write transactions. */
ck_status ck_acl_set_access(ck_txn *write_txn, const char *graph_iri, ck_access level,
                            ck_error *err);
/* The level of graph_iri (NULL = default graph): the one set, or
 * CK_ACCESS_INTERNAL when none is; *is_set (may be NULL) tells which. */
ck_status ck_acl_get_access(ck_txn *txn, const char *graph_iri, ck_access *out, bool *is_set,
                            ck_error *err);
/* Calls fn for every graph with a level set (graph_iri NULL = the default
 * graph): the default graph first, then by IRI (IRIs longer than 480 bytes
 * last). */
ck_status ck_acl_access_each(ck_txn *txn,
                             void (*fn)(void *ctx, const char *graph_iri, ck_access level),
                             void *ctx, ck_error *err);

/* ---- tokens ------------------------------------------------------------------------- */

#define CK_TOKEN_ID_LEN 16                              /* hex digits */
#define CK_TOKEN_TEXT_LEN (4 + CK_TOKEN_ID_LEN + 1 + 64) /* "ckt_" id "_" secret */

typedef struct {
    ck_role role;
    const char *const *graphs; /* IRIs or CK_ACL_DEFAULT_GRAPH; an agent needs one */
    size_t n_graphs;
    const char *label;         /* free text for people; may be NULL */
    int64_t expires_at;        /* Unix time it stops working; 0 = never */
} ck_token_spec;

/* Makes a token and stores its hash. id and token receive its id and its
 * full text: the only time the secret exists outside the caller's hands —
 * show it once and wipe the buffer. Write transactions. */
ck_status ck_acl_token_create(ck_txn *write_txn, const ck_token_spec *spec,
                              char id[CK_TOKEN_ID_LEN + 1], char token[CK_TOKEN_TEXT_LEN + 1],
                              ck_error *err);

/* What is known about a token (never its secret or hash). The pointers are
 * valid during the callback only. */
typedef struct {
    const char *id;
    ck_role role;
    const char *label; /* "" when none */
    const char *const *graphs;
    size_t n_graphs;
    int64_t created_at, expires_at; /* Unix time; expires_at 0 = never */
    bool revoked;
} ck_token_info;

/* Calls fn for every token, by id. */
ck_status ck_acl_tokens_each(ck_txn *txn, void (*fn)(void *ctx, const ck_token_info *info),
                             void *ctx, ck_error *err);
/* Marks a token revoked (it stays listed); CK_ERR_NOT_FOUND for an unknown
 * id. Write transactions. */
ck_status ck_acl_token_revoke(ck_txn *write_txn, const char *id, ck_error *err);

#endif
