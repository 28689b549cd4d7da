/*
 * termspace.c — store ids plus query-local ids (see termspace.h).
 *
 * Local terms are kept as copies (all strings NUL-terminated) in an array
 * indexed by the id's payload, with an open-addressing hash over their
 * N-Triples text to find them again. Computed terms the store does know
 * are kept there too, with their store id, so that each distinct term
 * costs one dictionary lookup per query, not one per row.
 */
#include "termspace.h"

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
};

termspace *termspace_new(ck_txn *txn)
{
    termspace *ts = calloc(1, sizeof *ts);
    if (ts)
        ts->txn = txn;
    return ts;
}

void termspace_charge_to(termspace *ts, uint64_t *bytes) { ts->charge = bytes; }

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
    free(ts);
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
    return ck_term_resolve(ts->txn, id, term, buf, err);
}
