/*
 * termspace.c — store ids plus query-local ids (see termspace.h).
 *
 * Local terms are kept as copies (all strings NUL-terminated) in an array
 * indexed by the id's payload, with an open-addressing hash over their
 * N-Triples text to find them again. Computed terms the store does know
 * are kept there too, with their store id, so that each distinct term
 * costs one dictionary lookup per query, not one per row.
 *
 * For a caller restricted to some graphs the store's blank nodes are
 * labelled per query, b0, b1, ... in the order the query first writes
 * them, not by the store-wide counter behind their ids: its numbers would
 * tell how many blank nodes were made before, in graphs the caller may
 * not read too. (SPARQL scopes labels to one result document; other
 * callers keep labels that are stable from query to query.)
 */
#include "termspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    ck_term term;
    char *text;     /* N-Triples form: the hash key, and the owner of the copies */
    ck_id store_id; /* the store's id of the term, 0 if the store lacks it */
} local_term;

struct termspace {
    ck_txn *txn;
    uint64_t *charge; /* bytes of the copies are added here (a memory budget) */
    local_term *terms;
    size_t n, cap;
    size_t *slots; /* index + 1, 0 = empty */
    size_t nslots;
    bool per_query_blanks; /* label the store's blank nodes per query (see above) */
    ck_id *blanks;  /* store blank node ids labelled so far: open addressing, 0 = empty */
    size_t *blank_label; /* the label number of blanks[i] */
    size_t n_blanks, blank_slots;
};

termspace *termspace_new(ck_txn *txn)
{
    termspace *ts = calloc(1, sizeof *ts);
    if (ts)
        ts->txn = txn;
    return ts;
}

void termspace_charge_to(termspace *ts, uint64_t *bytes) { ts->charge = bytes; }

void termspace_label_blanks_per_query(termspace *ts) { ts->per_query_blanks = true; }

void termspace_free(termspace *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n; i++) {
        free(ts->terms[i].text);
        free((char *)ts->terms[i].term.value);
        free((char *)ts->terms[i].term.datatype);
        free((char *)ts->terms[i].term.lang);
    }
    free(ts->terms);
    free(ts->slots);
    free(ts->blanks);
    free(ts->blank_label);
    free(ts);
}

static size_t blank_slot(const ck_id *ids, size_t nslots, ck_id id)
{
    size_t j = ck_hash_bytes(&id, sizeof id, 5) & (nslots - 1);
    while (ids[j] && ids[j] != id)
        j = (j + 1) & (nslots - 1);
    return j;
}

/* The per-query label number of store blank node id (see above); false
 * when out of memory. */
static bool blank_number(termspace *ts, ck_id id, size_t *number)
{
    if ((ts->n_blanks + 1) * 2 > ts->blank_slots) {
        size_t nslots = ts->blank_slots ? ts->blank_slots * 2 : 64;
        ck_id *ids = calloc(nslots, sizeof *ids);
        size_t *labels = calloc(nslots, sizeof *labels);
        if (!ids || !labels) {
            free(ids);
            free(labels);
            return false;
        }
        for (size_t i = 0; i < ts->blank_slots; i++)
            if (ts->blanks[i]) {
                size_t j = blank_slot(ids, nslots, ts->blanks[i]);
                ids[j] = ts->blanks[i];
                labels[j] = ts->blank_label[i];
            }
        free(ts->blanks);
        free(ts->blank_label);
        ts->blanks = ids;
        ts->blank_label = labels;
        ts->blank_slots = nslots;
        if (ts->charge)
            *ts->charge += nslots * (sizeof *ids + sizeof *labels) / 2;
    }
    size_t j = blank_slot(ts->blanks, ts->blank_slots, id);
    if (!ts->blanks[j]) {
        ts->blanks[j] = id;
        ts->blank_label[j] = ts->n_blanks++;
    }
    *number = ts->blank_label[j];
    return true;
}

static char *dup_n(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static bool grow(termspace *ts)
{
    size_t ncap = ts->cap ? ts->cap * 2 : 64;
    local_term *nt = realloc(ts->terms, ncap * sizeof *nt);
    if (!nt)
        return false;
    ts->terms = nt;
    ts->cap = ncap;
    size_t nslots = ncap * 2;
    size_t *ns = calloc(nslots, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < ts->n; i++) {
        const char *t = ts->terms[i].text;
        size_t j = ck_hash_bytes(t, strlen(t), 11) & (nslots - 1);
        while (ns[j])
            j = (j + 1) & (nslots - 1);
        ns[j] = i + 1;
    }
    free(ts->slots);
    ts->slots = ns;
    ts->nslots = nslots;
    return true;
}

ck_id termspace_intern(termspace *ts, const ck_term *term_in, ck_error *err)
{
    ck_term term = *term_in;
    ck_term_normalize(&term);
    ck_id id = 0;
    if (term.kind != CK_TERM_BLANK && ck_term_try_inline(&term, &id))
        return id;
    char *text = ck_term_to_ntriples(&term);
    if (!text || (ts->n == ts->cap && !grow(ts))) {
        free(text);
        ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        return 0;
    }
    size_t j = ck_hash_bytes(text, strlen(text), 11) & (ts->nslots - 1);
    while (ts->slots[j]) {
        const local_term *seen = &ts->terms[ts->slots[j] - 1];
        if (strcmp(seen->text, text) == 0) {
            free(text);
            return seen->store_id ? seen->store_id
                                  : ck_id_make((enum ck_tag)SPARQL_TAG_LOCAL, ts->slots[j] - 1);
        }
        j = (j + 1) & (ts->nslots - 1);
    }
    if (term.kind != CK_TERM_BLANK && ck_term_lookup(ts->txn, &term, &id, err) != CK_OK) {
        free(text);
        return 0;
    }
    local_term *lt = &ts->terms[ts->n];
    lt->text = text;
    lt->store_id = id;
    lt->term = term;
    lt->term.value = dup_n(term.value, term.value_len);
    lt->term.datatype = dup_n(term.datatype, term.datatype_len);
    lt->term.lang = dup_n(term.lang, term.lang_len);
    if (!lt->term.value) {
        free(text);
        ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        return 0;
    }
    ts->slots[j] = ++ts->n;
    if (ts->charge)
        *ts->charge += 2 * strlen(text) + sizeof *lt + 2 * sizeof *ts->slots;
    return id ? id : ck_id_make((enum ck_tag)SPARQL_TAG_LOCAL, ts->n - 1);
}

ck_status termspace_resolve(termspace *ts, ck_id id, ck_term *term, ck_term_buf *buf,
                            ck_error *err)
{
    if (ck_id_tag(id) == SPARQL_TAG_LOCAL) {
        uint64_t i = ck_id_payload(id);
        if (i >= ts->n)
            return ck_error_set(err, CK_ERR_NOT_FOUND, "unknown query-local term %llu",
                                (unsigned long long)i);
        *term = ts->terms[i].term;
        return CK_OK;
    }
    if (ck_id_tag(id) == CK_TAG_BLANK && ts->per_query_blanks) {
        size_t number;
        if (!blank_number(ts, id, &number))
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        memset(term, 0, sizeof *term);
        term->kind = CK_TERM_BLANK;
        term->value = buf->blank_label;
        term->value_len = (size_t)snprintf(buf->blank_label, sizeof buf->blank_label, "b%zu", number);
        return CK_OK;
    }
    return ck_term_resolve(ts->txn, id, term, buf, err);
}
