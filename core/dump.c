/*
 * dump.c — serialise quads through raptor, graph by graph (gspo order).
 *
 * Statements are always written by raptor's N-Quads or N-Triples
 * serializer: N-Triples lines are valid Turtle, and inside "<g> { ... }"
 * blocks valid TriG (raptor 2.0.15 has no TriG writer). raptor's Turtle
 * writer is not used because it is lossy: it writes "42702"^^xsd:decimal
 * and "12"^^xsd:double as bare 42702 and 12 (which read back as integers),
 * "0"^^xsd:boolean as false, and nests blank nodes used once as [ ... ],
 * which splits a blank node that a TriG dump shares between graphs.
 */
#include "dump.h"

#include <raptor2.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    raptor_world *world;
    ck_txn *txn;
    ck_error *err;
} dump_ctx;

static raptor_term *make_term(dump_ctx *d, ck_id id)
{
    ck_term t;
    ck_term_buf buf;
    if (ck_term_resolve(d->txn, id, &t, &buf, d->err) != CK_OK)
        return NULL;
    switch (t.kind) {
    case CK_TERM_IRI:
        return raptor_new_term_from_counted_uri_string(d->world, (const unsigned char *)t.value,
                                                       t.value_len);
    case CK_TERM_BLANK:
        return raptor_new_term_from_counted_blank(d->world, (const unsigned char *)t.value,
                                                  t.value_len);
    case CK_TERM_LITERAL: {
        raptor_uri *dt = NULL;
        if (t.datatype)
            dt = raptor_new_uri_from_counted_string(d->world, (const unsigned char *)t.datatype,
                                                    t.datatype_len);
        /* raptor wants NUL-terminated language tags */
        char lang[256] = "";
        if (t.lang)
            snprintf(lang, sizeof lang, "%.*s", (int)t.lang_len, t.lang);
        raptor_term *r = raptor_new_term_from_counted_literal(
            d->world, (const unsigned char *)t.value, t.value_len, dt,
            t.lang ? (const unsigned char *)lang : NULL, (unsigned char)t.lang_len);
        if (dt)
            raptor_free_uri(dt);
        return r;
    }
    }
    return NULL;
}

static ck_status write_quad(dump_ctx *d, raptor_serializer *ser, const ck_quad *q, bool with_graph)
{
    raptor_statement st;
    raptor_statement_init(&st, d->world);
    st.subject = make_term(d, q->s);
    st.predicate = make_term(d, q->p);
    st.object = make_term(d, q->o);
    st.graph = with_graph && q->g != CK_DEFAULT_GRAPH ? make_term(d, q->g) : NULL;
    ck_status rc = CK_OK;
    if (!st.subject || !st.predicate || !st.object || (with_graph && q->g && !st.graph))
        rc = d->err && d->err->code ? d->err->code
                                    : ck_error_set(d->err, CK_ERR_NOMEM, "out of memory");
    else if (raptor_serializer_serialize_statement(ser, &st) != 0)
        rc = ck_error_set(d->err, CK_ERR_IO, "writing output failed");
    raptor_statement_clear(&st);
    return rc;
}

static ck_status resolve_graph(ck_txn *txn, const char *graph, ck_id *g, bool *exists,
                               ck_error *err)
{
    *exists = true;
    if (strcmp(graph, "default") == 0) {
        *g = CK_DEFAULT_GRAPH;
        return CK_OK;
    }
    ck_term t = {CK_TERM_IRI, graph, strlen(graph), NULL, 0, NULL, 0};
    ck_status st = ck_term_lookup(txn, &t, g, err);
    if (st == CK_OK && *g == 0)
        *exists = false;
    return st;
}

typedef struct {
    ck_id *ids;
    size_t len, cap;
} graph_list;

static void collect_graph(void *ctx, ck_id g, uint64_t n)
{
    graph_list *l = ctx;
    if (!n)
        return;
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->ids = realloc(l->ids, l->cap * sizeof *l->ids);
    }
    l->ids[l->len++] = g;
}

/* Writes one graph. For TriG, each named graph is a block of its own. */
static ck_status dump_graph(dump_ctx *d, FILE *out, raptor_serializer *shared, bool trig,
                            bool quads, ck_id g, uint64_t *count)
{
    ck_pattern pat = {.g = g, .g_bound = true};
    ck_scan *scan;
    ck_status st = ck_scan_open(d->txn, &pat, &scan, d->err);
    if (st)
        return st;
    raptor_serializer *ser = shared;
    bool block = false;
    if (trig) {
        if (g != CK_DEFAULT_GRAPH) {
            ck_term gt;
            ck_term_buf buf;
            st = ck_term_resolve(d->txn, g, &gt, &buf, d->err);
            if (st == CK_OK) {
                char *text = ck_term_to_ntriples(&gt);
                fprintf(out, "%s {\n", text);
                free(text);
                block = true;
            }
        }
        ser = raptor_new_serializer(d->world, "ntriples");
        if (st == CK_OK && (!ser || raptor_serializer_start_to_file_handle(ser, NULL, out)))
            st = ck_error_set(d->err, CK_ERR_IO, "cannot start the ntriples serializer");
    }
    ck_quad q;
    while (st == CK_OK && ck_scan_next(scan, &q)) {
        st = write_quad(d, ser, &q, quads);
        ++*count;
    }
    if (st == CK_OK && ck_scan_error(scan)->code) {
        if (d->err)
            *d->err = *ck_scan_error(scan);
        st = ck_scan_error(scan)->code;
    }
    if (trig && ser) {
        raptor_serializer_serialize_end(ser);
        raptor_free_serializer(ser);
    }
    if (block)
        fputs("}\n", out);
    ck_scan_close(scan);
    return st;
}

ck_status ck_dump(ck_txn *txn, FILE *out, const char *format, const char *graph,
                  uint64_t *written, ck_error *err)
{
    if (written)
        *written = 0;
    if (!format)
        format = "nquads";
    bool trig = strcmp(format, "trig") == 0;
    bool quads = strcmp(format, "nquads") == 0;
    if (!trig && !quads && strcmp(format, "turtle") && strcmp(format, "ntriples"))
        return ck_error_set(err, CK_ERR_INVALID,
                            "unknown dump format '%s' (use nquads, trig, turtle or ntriples)",
                            format);
    graph_list graphs = {0};
    ck_status st = CK_OK;
    if (graph) {
        ck_id g;
        bool exists;
        st = resolve_graph(txn, graph, &g, &exists, err);
        if (st)
            return st;
        if (!exists)
            return CK_OK; /* an unknown graph is empty */
        collect_graph(&graphs, g, 1);
    } else {
        st = ck_graphs_each(txn, collect_graph, &graphs, err);
        size_t named = graphs.len - (graphs.len && graphs.ids[0] == CK_DEFAULT_GRAPH);
        if (st == CK_OK && !trig && !quads && named)
            st = ck_error_set(err, CK_ERR_INVALID,
                              "the store has %zu named graphs and %s holds one graph: "
                              "choose one with --graph, or dump as nquads or trig",
                              named, format);
    }
    raptor_world *world = NULL;
    if (st == CK_OK) {
        world = raptor_new_world();
        if (!world || raptor_world_open(world))
            st = ck_error_set(err, CK_ERR_NOMEM, "cannot start raptor");
    }
    dump_ctx d = {world, txn, err};
    raptor_serializer *ser = NULL;
    if (st == CK_OK && !trig) {
        const char *name = quads ? "nquads" : "ntriples";
        ser = raptor_new_serializer(world, name);
        if (!ser || raptor_serializer_start_to_file_handle(ser, NULL, out))
            st = ck_error_set(err, CK_ERR_IO, "cannot start the %s serializer", name);
    }
    uint64_t count = 0;
    for (size_t i = 0; i < graphs.len && st == CK_OK; i++)
        st = dump_graph(&d, out, ser, trig, quads, graphs.ids[i], &count);
    if (ser) {
        raptor_serializer_serialize_end(ser);
        raptor_free_serializer(ser);
    }
    if (world)
        raptor_free_world(world);
    free(graphs.ids);
    if (st == CK_OK && fflush(out) != 0)
        st = ck_error_set(err, CK_ERR_IO, "writing output failed");
    if (written)
        *written = count;
    return st;
}
