/*
 * import_redland.c — read every statement of a librdf storage, with its
 * context, and add it to the store in large batches.
 */
#include "import_redland.h"

#include <redland.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "blank_map.h"

#define IMPORT_BATCH ((size_t)1 << 20)

typedef struct {
    ck_txn *txn;
    blank_map blanks;
    char *message; /* first librdf error */
} import_state;

static int log_handler(void *data, librdf_log_message *msg)
{
    import_state *is = data;
    if (librdf_log_message_level(msg) >= LIBRDF_LOG_ERROR && !is->message) {
        const char *m = librdf_log_message_message(msg);
        is->message = strdup(m ? m : "librdf error");
    }
    return 1; /* handled: do not print */
}

static ck_status node_to_id(import_state *is, librdf_node *node, ck_id *out, ck_error *err)
{
    size_t len = 0;
    if (librdf_node_is_resource(node)) {
        const char *iri =
            (const char *)librdf_uri_as_counted_string(librdf_node_get_uri(node), &len);
        ck_term t = {CK_TERM_IRI, iri, len, NULL, 0, NULL, 0};
        return ck_term_intern(is->txn, &t, out, err);
    }
    if (librdf_node_is_blank(node)) {
        const char *label = (const char *)librdf_node_get_counted_blank_identifier(node, &len);
        *out = blank_map_get(&is->blanks, is->txn, label, len);
        return *out ? CK_OK : ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    if (librdf_node_is_literal(node)) {
        const char *value =
            (const char *)librdf_node_get_literal_value_as_counted_string(node, &len);
        const char *lang = librdf_node_get_literal_value_language(node);
        librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(node);
        size_t dt_len = 0;
        const char *dt_iri = dt ? (const char *)librdf_uri_as_counted_string(dt, &dt_len) : NULL;
        ck_term t = {CK_TERM_LITERAL, value ? value : "", len, dt_iri, dt_len, lang,
                     lang ? strlen(lang) : 0};
        return ck_term_intern(is->txn, &t, out, err);
    }
    return ck_error_set(err, CK_ERR_INVALID, "unsupported librdf node type");
}

/* Counts of (s, p, o) seen in contexts, to tell the default-graph rows of
 * an SQL storage's full stream from the context rows (see copy_sql_storage). */
typedef struct {
    struct { ck_id s, p, o; uint64_t count; bool used; } *slots;
    size_t cap, used;
} triple_counts;

static size_t triple_slot(const triple_counts *m, ck_id s, ck_id p, ck_id o)
{
    ck_id key[3] = {s, p, o};
    size_t i = ck_hash_bytes(key, sizeof key, 3) & (m->cap - 1);
    while (m->slots[i].used && !(m->slots[i].s == s && m->slots[i].p == p && m->slots[i].o == o))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static bool triple_counts_add(triple_counts *m, ck_id s, ck_id p, ck_id o)
{
    if ((m->used + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        triple_counts grown = {calloc(ncap, sizeof *m->slots), ncap, m->used};
        if (!grown.slots)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].used)
                grown.slots[triple_slot(&grown, m->slots[i].s, m->slots[i].p, m->slots[i].o)] =
                    m->slots[i];
        free(m->slots);
        *m = grown;
    }
    size_t i = triple_slot(m, s, p, o);
    if (!m->slots[i].used) {
        m->slots[i].s = s;
        m->slots[i].p = p;
        m->slots[i].o = o;
        m->slots[i].used = true;
        m->used++;
    }
    m->slots[i].count++;
    return true;
}

/* Takes one occurrence away; false when none is left. */
static bool triple_counts_take(triple_counts *m, ck_id s, ck_id p, ck_id o)
{
    if (!m->cap)
        return false;
    size_t i = triple_slot(m, s, p, o);
    if (!m->slots[i].used || m->slots[i].count == 0)
        return false;
    m->slots[i].count--;
    return true;
}

typedef struct {
    ck_quad *quads;
    size_t n;
    ck_load_result *result;
} quad_batch;

static ck_status batch_push(import_state *is, quad_batch *b, ck_quad q, ck_error *err)
{
    b->quads[b->n++] = q;
    b->result->quads_read++;
    if (b->n < IMPORT_BATCH)
        return CK_OK;
    size_t added;
    ck_status st = ck_quads_add(is->txn, b->quads, b->n, &added, err);
    b->result->quads_added += added;
    b->n = 0;
    return st;
}

static ck_status batch_finish(import_state *is, quad_batch *b, ck_error *err)
{
    size_t added = 0;
    ck_status st = b->n ? ck_quads_add(is->txn, b->quads, b->n, &added, err) : CK_OK;
    b->result->quads_added += added;
    b->n = 0;
    return st;
}

static ck_status statement_ids(import_state *is, librdf_statement *s, ck_quad *q, ck_error *err)
{
    ck_status st;
    if ((st = node_to_id(is, librdf_statement_get_subject(s), &q->s, err)) ||
        (st = node_to_id(is, librdf_statement_get_predicate(s), &q->p, err)) ||
        (st = node_to_id(is, librdf_statement_get_object(s), &q->o, err)))
        return st;
    return CK_OK;
}

static ck_status stream_failed(import_state *is, ck_error *err)
{
    return ck_error_set(err, CK_ERR_IO, "cannot list the statements of the Redland storage%s%s",
                        is->message ? ": " : "", is->message ? is->message : "");
}

/* Storages that keep a context per statement (hashes, memory, ...): the
 * full stream tells each statement's context. */
static ck_status copy_with_contexts(import_state *is, librdf_model *model, quad_batch *b,
                                    ck_error *err)
{
    librdf_stream *stream = librdf_model_as_stream(model);
    if (!stream)
        return stream_failed(is, err);
    ck_status st = CK_OK;
    for (; st == CK_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
        librdf_node *ctx = librdf_stream_get_context2(stream);
        ck_quad q = {0};
        st = statement_ids(is, librdf_stream_get_object(stream), &q, err);
        if (st == CK_OK && ctx)
            st = node_to_id(is, ctx, &q.g, err);
        if (st == CK_OK)
            st = batch_push(is, b, q, err);
    }
    librdf_free_stream(stream);
    return st;
}

/* SQL storages (sqlite, mysql, postgresql) hold one row per statement and
 * context, but librdf 1.0.17's sqlite stream reports the previous row's
 * context for a row without one. So: copy each context's statements, then
 * walk the full stream and keep, as default-graph statements, the rows that
 * the contexts do not account for. */
static ck_status copy_sql_storage(import_state *is, librdf_model *model, quad_batch *b,
                                  ck_error *err)
{
    triple_counts seen = {0};
    ck_status st = CK_OK;
    librdf_iterator *contexts = librdf_model_get_contexts(model);
    for (; contexts && st == CK_OK && !librdf_iterator_end(contexts);
         librdf_iterator_next(contexts)) {
        librdf_node *ctx = librdf_iterator_get_object(contexts);
        ck_id g;
        st = node_to_id(is, ctx, &g, err);
        librdf_stream *stream = st == CK_OK ? librdf_model_context_as_stream(model, ctx) : NULL;
        if (st == CK_OK && !stream)
            st = stream_failed(is, err);
        for (; stream && st == CK_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
            ck_quad q = {.g = g};
            st = statement_ids(is, librdf_stream_get_object(stream), &q, err);
            if (st == CK_OK && !triple_counts_add(&seen, q.s, q.p, q.o))
                st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
            if (st == CK_OK)
                st = batch_push(is, b, q, err);
        }
        if (stream)
            librdf_free_stream(stream);
    }
    if (contexts)
        librdf_free_iterator(contexts);
    librdf_stream *stream = st == CK_OK ? librdf_model_as_stream(model) : NULL;
    if (st == CK_OK && !stream)
        st = stream_failed(is, err);
    for (; stream && st == CK_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
        ck_quad q = {0};
        st = statement_ids(is, librdf_stream_get_object(stream), &q, err);
        if (st == CK_OK && !triple_counts_take(&seen, q.s, q.p, q.o))
            st = batch_push(is, b, q, err);
    }
    if (stream)
        librdf_free_stream(stream);
    free(seen.slots);
    return st;
}

static bool is_sql_storage(const char *storage)
{
    return strcmp(storage, "sqlite") == 0 || strcmp(storage, "mysql") == 0 ||
           strcmp(storage, "postgresql") == 0;
}

static ck_status copy_statements(import_state *is, librdf_model *model, const char *storage,
                                 ck_load_result *result, ck_error *err)
{
    quad_batch b = {malloc(IMPORT_BATCH * sizeof(ck_quad)), 0, result};
    if (!b.quads)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    ck_status st = is_sql_storage(storage) ? copy_sql_storage(is, model, &b, err)
                                           : copy_with_contexts(is, model, &b, err);
    if (st == CK_OK)
        st = batch_finish(is, &b, err);
    free(b.quads);
    return st;
}

ck_status ck_import_redland(ck_store *store, const char *storage, const char *name,
                            const char *options, ck_load_result *result, ck_error *err)
{
    memset(result, 0, sizeof *result);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    import_state is = {0};
    /* Never create what is to be read: an SQLite storage must exist, and
     * hashes storages are opened with write='no' unless told otherwise. */
    struct stat sb;
    if (strcmp(storage, "sqlite") == 0 && (!name || stat(name, &sb) != 0))
        return ck_error_set(err, CK_ERR_NOT_FOUND, "no Redland sqlite storage at '%s'",
                            name ? name : "");
    char *opts = NULL;
    if (strcmp(storage, "hashes") == 0 && !strstr(options ? options : "", "write="))
    {
        const char *given = options ? options : "";
        size_t len = strlen(given) + 16;
        opts = malloc(len);
        if (!opts)
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        snprintf(opts, len, "%s%swrite='no'", given, *given ? "," : "");
    }
    librdf_world *world = librdf_new_world();
    if (!world)
        return ck_error_set(err, CK_ERR_NOMEM, "cannot start librdf");
    librdf_world_set_logger(world, &is, log_handler);
    librdf_world_open(world);
    librdf_storage *rs =
        librdf_new_storage(world, storage, name, opts ? opts : options ? options : "");
    librdf_model *model = rs ? librdf_new_model(world, rs, NULL) : NULL;
    ck_status st = CK_OK;
    if (!rs || !model) {
        st = ck_error_set(err, CK_ERR_NOT_FOUND,
                          "cannot open Redland storage '%s' named '%s' with options '%s'%s%s",
                          storage, name ? name : "", options ? options : "",
                          is.message ? ": " : "", is.message ? is.message : "");
    } else {
        st = ck_txn_begin_write(store, &is.txn, err);
        if (st == CK_OK)
            st = copy_statements(&is, model, storage, result, err);
        if (st == CK_OK && is.message)
            st = ck_error_set(err, CK_ERR_IO, "reading the Redland storage: %s", is.message);
        if (st == CK_OK)
            st = ck_txn_commit(is.txn, err);
        else
            ck_txn_abort(is.txn);
    }
    blank_map_clear(&is.blanks);
    if (model)
        librdf_free_model(model);
    if (rs)
        librdf_free_storage(rs);
    librdf_free_world(world);
    free(is.message);
    free(opts);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    result->seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return st;
}
