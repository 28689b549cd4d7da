/*
 * import_redland.c — read every statement of a librdf storage, with its
 * context, and add it to the store in large batches.
 */
#include "import_redland.h"

#include <redland.h>
#include <stdlib.h>
#include <string.h>
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

static ck_status copy_statements(import_state *is, librdf_model *model, ck_load_result *result,
                                 ck_error *err)
{
    librdf_stream *stream = librdf_model_as_stream(model);
    if (!stream)
        return ck_error_set(err, CK_ERR_IO, "cannot list the statements of the Redland storage%s%s",
                            is->message ? ": " : "", is->message ? is->message : "");
    ck_quad *batch = malloc(IMPORT_BATCH * sizeof *batch);
    size_t n = 0, added;
    ck_status st = batch ? CK_OK : ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    for (; st == CK_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
        librdf_statement *s = librdf_stream_get_object(stream);
        librdf_node *ctx = librdf_stream_get_context2(stream);
        ck_quad q = {0};
        if ((st = node_to_id(is, librdf_statement_get_subject(s), &q.s, err)) ||
            (st = node_to_id(is, librdf_statement_get_predicate(s), &q.p, err)) ||
            (st = node_to_id(is, librdf_statement_get_object(s), &q.o, err)) ||
            (ctx && (st = node_to_id(is, ctx, &q.g, err))))
            break;
        batch[n++] = q;
        result->quads_read++;
        if (n == IMPORT_BATCH) {
            st = ck_quads_add(is->txn, batch, n, &added, err);
            result->quads_added += added;
            n = 0;
        }
    }
    if (st == CK_OK && n) {
        st = ck_quads_add(is->txn, batch, n, &added, err);
        result->quads_added += added;
    }
    free(batch);
    librdf_free_stream(stream);
    return st;
}

ck_status ck_import_redland(ck_store *store, const char *storage, const char *name,
                            const char *options, ck_load_result *result, ck_error *err)
{
    memset(result, 0, sizeof *result);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    import_state is = {0};
    librdf_world *world = librdf_new_world();
    if (!world)
        return ck_error_set(err, CK_ERR_NOMEM, "cannot start librdf");
    librdf_world_set_logger(world, &is, log_handler);
    librdf_world_open(world);
    librdf_storage *rs = librdf_new_storage(world, storage, name, options ? options : "");
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
            st = copy_statements(&is, model, result, err);
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
    clock_gettime(CLOCK_MONOTONIC, &t1);
    result->seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return st;
}
