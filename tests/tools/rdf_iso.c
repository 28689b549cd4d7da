/*
 * rdf_iso.c — parse RDF with raptor into interned quad sets and decide
 * dataset isomorphism (see rdf_iso.h for the method and term equality).
 */
#define _XOPEN_SOURCE 700 /* strdup */
#include "rdf_iso.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raptor2.h>

#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define SEARCH_BUDGET 200000 /* refinement calls before giving up */

/* ---------------------------------------------------------------- strmap */

/* Open-addressing map from owned C strings to int32 values. */
typedef struct {
    char **keys;
    int32_t *vals;
    size_t cap, n;
} strmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int strmap_grow(strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(ncap, sizeof *keys);
    int32_t *vals = calloc(ncap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash_str(m->keys[i]) & (ncap - 1);
        while (keys[j])
            j = (j + 1) & (ncap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = ncap;
    return 0;
}

/* Slot of KEY: either its slot or the empty slot where it would go. */
static size_t strmap_slot(const strmap *m, const char *key)
{
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j] && strcmp(m->keys[j], key) != 0)
        j = (j + 1) & (m->cap - 1);
    return j;
}

static int strmap_get(const strmap *m, const char *key, int32_t *val)
{
    if (!m->cap)
        return 0;
    size_t j = strmap_slot(m, key);
    if (!m->keys[j])
        return 0;
    *val = m->vals[j];
    return 1;
}

/* Insert KEY (copied) -> VAL; returns the stored key or NULL. */
static const char *strmap_put(strmap *m, const char *key, int32_t val)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
        return NULL;
    size_t j = strmap_slot(m, key);
    if (!m->keys[j]) {
        m->keys[j] = strdup(key);
        if (!m->keys[j])
            return NULL;
        m->n++;
    }
    m->vals[j] = val;
    return m->keys[j];
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- buffer */

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static int sbuf_addn(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->n + n + 1)
            ncap *= 2;
        char *p = realloc(b->s, ncap);
        if (!p)
            return -1;
        b->s = p;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static int sbuf_add(sbuf *b, const char *s)
{
    return sbuf_addn(b, s, strlen(s));
}

/* ---------------------------------------------------------------- context */

struct rdf_iso {
    raptor_world *world;
    strmap dict;         /* N-Triples form -> id */
    const char **terms;  /* id -> N-Triples form (keys of dict) */
    size_t nterms, tcap; /* terms[0] unused */
    char *err;           /* where the log handler writes the current error */
    size_t errlen;
    int failed;
};

static void log_handler(void *user_data, raptor_log_message *msg)
{
    rdf_iso *iso = user_data;
    if (msg->level < RAPTOR_LOG_LEVEL_ERROR)
        return;
    if (!iso->failed && iso->err && iso->errlen) {
        int line = msg->locator ? msg->locator->line : -1;
        int col = msg->locator ? msg->locator->column : -1;
        snprintf(iso->err, iso->errlen, "line %d, column %d: %s", line, col,
                 msg->text ? msg->text : "parse error");
    }
    iso->failed = 1;
}

rdf_iso *rdf_iso_new(void)
{
    rdf_iso *iso = calloc(1, sizeof *iso);
    if (!iso)
        return NULL;
    iso->world = raptor_new_world();
    if (!iso->world) {
        free(iso);
        return NULL;
    }
    raptor_world_set_log_handler(iso->world, iso, log_handler);
    if (raptor_world_open(iso->world) != 0) {
        rdf_iso_free(iso);
        return NULL;
    }
    iso->nterms = 1;
    return iso;
}

void rdf_iso_free(rdf_iso *iso)
{
    if (!iso)
        return;
    if (iso->world)
        raptor_free_world(iso->world);
    strmap_free(&iso->dict);
    free(iso->terms);
    free(iso);
}

rdf_term_ref rdf_iso_intern(rdf_iso *iso, const char *form)
{
    int32_t id;
    if (strmap_get(&iso->dict, form, &id))
        return id;
    if (iso->nterms + 1 > iso->tcap) {
        size_t ncap = iso->tcap ? iso->tcap * 2 : 256;
        const char **t = realloc(iso->terms, ncap * sizeof *t);
        if (!t)
            return 0;
        iso->terms = t;
        iso->tcap = ncap;
    }
    id = (int32_t)iso->nterms;
    const char *key = strmap_put(&iso->dict, form, id);
    if (!key)
        return 0;
    iso->terms[iso->nterms++] = key;
    return id;
}

const char *rdf_iso_term_string(const rdf_iso *iso, rdf_term_ref id)
{
    if (id <= 0 || (size_t)id >= iso->nterms)
        return "?";
    return iso->terms[id];
}

/* ---------------------------------------------------------------- dataset */

rdf_dataset *rdf_dataset_new(void)
{
    rdf_dataset *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->bnode_map = calloc(1, sizeof(strmap));
    if (!d->bnode_map) {
        free(d);
        return NULL;
    }
    return d;
}

void rdf_dataset_free(rdf_dataset *d)
{
    if (!d)
        return;
    free(d->quads);
    for (size_t i = 0; i < d->nbnodes; i++)
        free(d->bnode_labels[i]);
    free(d->bnode_labels);
    strmap_free(d->bnode_map);
    free(d->bnode_map);
    free(d);
}

int rdf_dataset_add(rdf_dataset *d, rdf_quad q)
{
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 64;
        rdf_quad *p = realloc(d->quads, ncap * sizeof *p);
        if (!p)
            return -1;
        d->quads = p;
        d->cap = ncap;
    }
    d->quads[d->n++] = q;
    return 0;
}

rdf_term_ref rdf_dataset_bnode(rdf_dataset *d, const char *label)
{
    int32_t idx;
    if (strmap_get(d->bnode_map, label, &idx))
        return -(idx + 1);
    if (d->nbnodes == d->bcap) {
        size_t ncap = d->bcap ? d->bcap * 2 : 16;
        char **p = realloc(d->bnode_labels, ncap * sizeof *p);
        if (!p)
            return 0;
        d->bnode_labels = p;
        d->bcap = ncap;
    }
    char *copy = strdup(label);
    if (!copy || !strmap_put(d->bnode_map, label, (int32_t)d->nbnodes)) {
        free(copy);
        return 0;
    }
    d->bnode_labels[d->nbnodes] = copy;
    idx = (int32_t)d->nbnodes++;
    return -(idx + 1);
}

static int quad_cmp(const void *x, const void *y)
{
    const rdf_quad *a = x, *b = y;
    for (int i = 0; i < 4; i++) {
        if (a->t[i] != b->t[i])
            return a->t[i] < b->t[i] ? -1 : 1;
    }
    return 0;
}

void rdf_dataset_normalize(rdf_dataset *d)
{
    if (d->n == 0)
        return;
    qsort(d->quads, d->n, sizeof *d->quads, quad_cmp);
    size_t w = 1;
    for (size_t r = 1; r < d->n; r++) {
        if (quad_cmp(&d->quads[r], &d->quads[w - 1]) != 0)
            d->quads[w++] = d->quads[r];
    }
    d->n = w;
}

/* ---------------------------------------------------------------- parsing */

/* Append the N-Triples form of literal L (lower-cased language tag,
 * xsd:string for simple literals). */
static int literal_form(sbuf *b, const raptor_term_literal_value *l)
{
    char esc[8];
    int rc = sbuf_add(b, "\"");
    for (unsigned i = 0; i < l->string_len && rc == 0; i++) {
        unsigned char c = l->string[i];
        const char *e = NULL;
        switch (c) {
        case '\\': e = "\\\\"; break;
        case '"': e = "\\\""; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\0': e = "\\u0000"; break;
        default:
            esc[0] = (char)c;
            esc[1] = '\0';
            e = esc;
        }
        rc = sbuf_add(b, e);
    }
    rc |= sbuf_add(b, "\"");
    if (l->language && l->language_len) {
        rc |= sbuf_add(b, "@");
        for (unsigned i = 0; i < l->language_len; i++) {
            char c = (char)tolower(l->language[i]);
            rc |= sbuf_addn(b, &c, 1);
        }
        return rc;
    }
    rc |= sbuf_add(b, "^^<");
    rc |= sbuf_add(b, l->datatype ? (const char *)raptor_uri_as_string(
                                        l->datatype)
                                  : XSD_STRING);
    return rc | sbuf_add(b, ">");
}

typedef struct {
    rdf_iso *iso;
    rdf_dataset *d;
    int oom;
} load_ctx;

static rdf_term_ref term_ref(load_ctx *lc, const raptor_term *t)
{
    if (!t)
        return 0;
    if (t->type == RAPTOR_TERM_TYPE_BLANK)
        return rdf_dataset_bnode(lc->d, (const char *)t->value.blank.string);
    sbuf b = {0};
    int rc;
    if (t->type == RAPTOR_TERM_TYPE_URI) {
        rc = sbuf_add(&b, "<");
        rc |= sbuf_add(&b, (const char *)raptor_uri_as_string(t->value.uri));
        rc |= sbuf_add(&b, ">");
    } else {
        rc = literal_form(&b, &t->value.literal);
    }
    rdf_term_ref id = rc == 0 ? rdf_iso_intern(lc->iso, b.s) : 0;
    free(b.s);
    return id;
}

static void statement_handler(void *user_data, raptor_statement *st)
{
    load_ctx *lc = user_data;
    rdf_quad q;
    q.t[0] = term_ref(lc, st->subject);
    q.t[1] = term_ref(lc, st->predicate);
    q.t[2] = term_ref(lc, st->object);
    q.t[3] = term_ref(lc, st->graph);
    if (!q.t[0] || !q.t[1] || !q.t[2] || rdf_dataset_add(lc->d, q) != 0)
        lc->oom = 1;
}

/* Common part of the loaders: parser set up, PARSE run, result checked. */
static rdf_dataset *load_with(rdf_iso *iso, const char *syntax,
                              int (*parse)(raptor_parser *, const void *,
                                           raptor_uri *),
                              const void *arg, raptor_uri *base, char *err,
                              size_t errlen)
{
    load_ctx lc = {iso, rdf_dataset_new(), 0};
    raptor_parser *p = raptor_new_parser(iso->world, syntax);
    if (!lc.d || !p) {
        snprintf(err, errlen, "cannot create raptor parser '%s'", syntax);
        raptor_free_parser(p);
        rdf_dataset_free(lc.d);
        return NULL;
    }
    raptor_parser_set_statement_handler(p, &lc, statement_handler);
    iso->err = err;
    iso->errlen = errlen;
    iso->failed = 0;
    int rc = parse(p, arg, base);
    raptor_free_parser(p);
    iso->err = NULL;
    if (rc != 0 || iso->failed || lc.oom) {
        if (!iso->failed)
            snprintf(err, errlen, lc.oom ? "out of memory" : "parse failed");
        rdf_dataset_free(lc.d);
        return NULL;
    }
    rdf_dataset_normalize(lc.d);
    return lc.d;
}

static int parse_file(raptor_parser *p, const void *arg, raptor_uri *base)
{
    return raptor_parser_parse_file(p, (raptor_uri *)arg, base);
}

static int parse_string(raptor_parser *p, const void *arg, raptor_uri *base)
{
    const char *text = arg;
    if (raptor_parser_parse_start(p, base) != 0)
        return -1;
    return raptor_parser_parse_chunk(p, (const unsigned char *)text,
                                     strlen(text), 1);
}

rdf_dataset *rdf_dataset_load_file(rdf_iso *iso, const char *path,
                                   const char *syntax, const char *base,
                                   char *err, size_t errlen)
{
    unsigned char *us = raptor_uri_filename_to_uri_string(path);
    raptor_uri *uri = us ? raptor_new_uri(iso->world, us) : NULL;
    raptor_uri *b = base ? raptor_new_uri(iso->world,
                                          (const unsigned char *)base)
                         : NULL;
    rdf_dataset *d = NULL;
    if (!uri)
        snprintf(err, errlen, "cannot make a URI of %s", path);
    else
        d = load_with(iso, syntax, parse_file, uri, b ? b : uri, err, errlen);
    raptor_free_uri(b);
    raptor_free_uri(uri);
    raptor_free_memory(us);
    return d;
}

rdf_dataset *rdf_dataset_load_string(rdf_iso *iso, const char *text,
                                     const char *syntax, char *err,
                                     size_t errlen)
{
    raptor_uri *b = raptor_new_uri(iso->world,
                                   (const unsigned char *)"http://example.org/");
    rdf_dataset *d = load_with(iso, syntax, parse_string, text, b, err,
                               errlen);
    raptor_free_uri(b);
    return d;
}

/* Write FORM followed by a space, without the implicit ^^xsd:string. */
static int term_display(const char *form, char *buf, size_t len)
{
    static const char dt[] = "^^<" XSD_STRING ">";
    size_t n = strlen(form), k = sizeof dt - 1;
    if (form[0] == '"' && n > k && strcmp(form + n - k, dt) == 0)
        n -= k;
    return snprintf(buf, len, "%.*s ", (int)n, form);
}

void rdf_quad_format(const rdf_iso *iso, const rdf_dataset *d, rdf_quad q,
                     char *buf, size_t len)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < 4 && off < len; i++) {
        rdf_term_ref t = q.t[i];
        if (i == 3 && t == 0)
            break;
        int w;
        if (t < 0)
            w = snprintf(buf + off, len - off, "_:%s ",
                         d->bnode_labels[-t - 1]);
        else
            w = term_display(rdf_iso_term_string(iso, t), buf + off,
                             len - off);
        off += w > 0 ? (size_t)w : 0;
    }
    if (off < len)
        snprintf(buf + off, len - off, ".");
}

/* ---------------------------------------------------------------- isomorphism */

/* One side of the comparison: the quads that contain a blank node, and for
 * each blank node the list of its occurrences (quad index * 4 + position). */
typedef struct {
    rdf_quad *q;
    size_t nq;
    size_t nb;
    size_t *inc_off; /* nb + 1 entries */
    uint32_t *inc;
} side;

static int has_bnode(rdf_quad q)
{
    return q.t[0] < 0 || q.t[1] < 0 || q.t[2] < 0 || q.t[3] < 0;
}

static void side_free(side *s)
{
    free(s->q);
    free(s->inc_off);
    free(s->inc);
}

static int side_init(side *s, const rdf_dataset *d)
{
    memset(s, 0, sizeof *s);
    s->nb = d->nbnodes;
    s->q = malloc((d->n + 1) * sizeof *s->q);
    s->inc_off = calloc(s->nb + 2, sizeof *s->inc_off);
    if (!s->q || !s->inc_off)
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        if (has_bnode(d->quads[i]))
            s->q[s->nq++] = d->quads[i];
    }
    for (size_t i = 0; i < s->nq; i++)
        for (int p = 0; p < 4; p++)
            if (s->q[i].t[p] < 0)
                s->inc_off[-s->q[i].t[p] - 1 + 1]++;
    for (size_t i = 0; i < s->nb; i++)
        s->inc_off[i + 1] += s->inc_off[i];
    s->inc = malloc((s->inc_off[s->nb] + 1) * sizeof *s->inc);
    size_t *fill = calloc(s->nb + 1, sizeof *fill);
    if (!s->inc || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < s->nq; i++)
        for (int p = 0; p < 4; p++)
            if (s->q[i].t[p] < 0) {
                size_t b = (size_t)(-s->q[i].t[p] - 1);
                s->inc[s->inc_off[b] + fill[b]++] = (uint32_t)(i * 4 + p);
            }
    free(fill);
    return 0;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL; /* splitmix64 finaliser */
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t combine(uint64_t h, uint64_t v)
{
    return mix(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Signature of occurrence OCC of blank node B under colouring C. */
static uint64_t occurrence_sig(const side *s, const uint64_t *c, size_t b,
                               uint32_t occ)
{
    const rdf_quad *q = &s->q[occ / 4];
    int pos = (int)(occ % 4);
    uint64_t h = mix(0x5157 + (uint64_t)pos);
    for (int j = 0; j < 4; j++) {
        rdf_term_ref t = q->t[j];
        uint64_t v;
        if (j == pos)
            continue;
        if (t >= 0)
            v = mix(0x67726f756e64ULL ^ (uint64_t)t);
        else if ((size_t)(-t - 1) == b)
            v = 0x73656c66ULL; /* the blank node itself */
        else
            v = c[-t - 1];
        h = combine(h, combine((uint64_t)j, v));
    }
    return h;
}

/* One refinement round: OUT[b] = hash(C[b], sorted occurrence signatures). */
static void refine_round(const side *s, const uint64_t *c, uint64_t *out,
                         uint64_t *tmp)
{
    for (size_t b = 0; b < s->nb; b++) {
        size_t n = 0;
        for (size_t k = s->inc_off[b]; k < s->inc_off[b + 1]; k++)
            tmp[n++] = occurrence_sig(s, c, b, s->inc[k]);
        qsort(tmp, n, sizeof *tmp, u64_cmp);
        uint64_t h = c[b];
        for (size_t k = 0; k < n; k++)
            h = combine(h, tmp[k]);
        out[b] = h;
    }
}

static size_t distinct_colours(const uint64_t *a, const uint64_t *b, size_t n,
                               uint64_t *tmp)
{
    memcpy(tmp, a, n * sizeof *tmp);
    memcpy(tmp + n, b, n * sizeof *tmp);
    qsort(tmp, 2 * n, sizeof *tmp, u64_cmp);
    size_t k = 0;
    for (size_t i = 0; i < 2 * n; i++)
        if (i == 0 || tmp[i] != tmp[i - 1])
            k++;
    return k;
}

typedef struct {
    const side *a, *b;
    size_t nb;
    uint64_t *tmp;   /* scratch: 2 * nb + max degree */
    uint64_t *tmp2;  /* scratch: nb */
    rdf_quad *mapped;
    long budget;
} search_ctx;

/* Refine both colourings jointly until the partition is stable. */
static void refine(search_ctx *sc, uint64_t *ca, uint64_t *cb)
{
    size_t nb = sc->nb;
    size_t before = distinct_colours(ca, cb, nb, sc->tmp);
    for (size_t round = 0; round <= nb; round++) {
        refine_round(sc->a, ca, sc->tmp2, sc->tmp);
        memcpy(ca, sc->tmp2, nb * sizeof *ca);
        refine_round(sc->b, cb, sc->tmp2, sc->tmp);
        memcpy(cb, sc->tmp2, nb * sizeof *cb);
        size_t after = distinct_colours(ca, cb, nb, sc->tmp);
        if (after == before)
            break;
        before = after;
    }
}

static int same_multiset(search_ctx *sc, const uint64_t *ca,
                         const uint64_t *cb)
{
    size_t nb = sc->nb;
    memcpy(sc->tmp, ca, nb * sizeof *ca);
    memcpy(sc->tmp + nb, cb, nb * sizeof *cb);
    qsort(sc->tmp, nb, sizeof *sc->tmp, u64_cmp);
    qsort(sc->tmp + nb, nb, sizeof *sc->tmp, u64_cmp);
    return memcmp(sc->tmp, sc->tmp + nb, nb * sizeof *sc->tmp) == 0;
}

/* Colour of the smallest class with more than one member in CA (sorted
 * copy in sc->tmp after same_multiset); returns 0 if all are singletons. */
static int pick_class(search_ctx *sc, uint64_t *colour)
{
    size_t best = 0;
    const uint64_t *s = sc->tmp;
    for (size_t i = 0; i < sc->nb;) {
        size_t j = i;
        while (j < sc->nb && s[j] == s[i])
            j++;
        if (j - i > 1 && (best == 0 || j - i < best)) {
            best = j - i;
            *colour = s[i];
        }
        i = j;
    }
    return best != 0;
}

/* With all colours unique, the bijection is fixed: check it maps the
 * quads of A onto those of B. */
static int verify_leaf(search_ctx *sc, const uint64_t *ca, const uint64_t *cb)
{
    const side *a = sc->a;
    size_t nb = sc->nb;
    for (size_t y = 0; y < nb; y++) { /* (colour, index) pairs of B */
        sc->tmp[2 * y] = cb[y];
        sc->tmp[2 * y + 1] = y;
    }
    qsort(sc->tmp, nb, 2 * sizeof *sc->tmp, u64_cmp);
    for (size_t i = 0; i < a->nq; i++) {
        rdf_quad q = a->q[i];
        for (int p = 0; p < 4; p++) {
            if (q.t[p] >= 0)
                continue;
            uint64_t key = ca[-q.t[p] - 1];
            const uint64_t *hit = bsearch(&key, sc->tmp, nb,
                                          2 * sizeof *sc->tmp, u64_cmp);
            if (!hit)
                return 0;
            q.t[p] = -(rdf_term_ref)hit[1] - 1;
        }
        sc->mapped[i] = q;
    }
    qsort(sc->mapped, a->nq, sizeof *sc->mapped, quad_cmp);
    return memcmp(sc->mapped, sc->b->q, a->nq * sizeof *sc->mapped) == 0;
}

static int search(search_ctx *sc, uint64_t *ca, uint64_t *cb, int depth)
{
    if (--sc->budget < 0)
        return -1;
    refine(sc, ca, cb);
    if (!same_multiset(sc, ca, cb))
        return 0;
    uint64_t colour;
    if (!pick_class(sc, &colour))
        return verify_leaf(sc, ca, cb);
    size_t nb = sc->nb, x = 0;
    while (ca[x] != colour)
        x++;
    uint64_t *ca2 = malloc(nb * sizeof *ca2);
    uint64_t *cb2 = malloc(nb * sizeof *cb2);
    int rc = ca2 && cb2 ? 0 : -1;
    uint64_t fresh = mix(colour ^ mix(0x696e6469ULL + (uint64_t)depth));
    for (size_t y = 0; y < nb && rc == 0; y++) {
        if (cb[y] != colour)
            continue;
        memcpy(ca2, ca, nb * sizeof *ca2);
        memcpy(cb2, cb, nb * sizeof *cb2);
        ca2[x] = fresh;
        cb2[y] = fresh;
        rc = search(sc, ca2, cb2, depth + 1);
    }
    free(ca2);
    free(cb2);
    return rc;
}

/* Blank-node part of the check; both sides have equal sizes. */
static int bnode_isomorphic(const side *a, const side *b)
{
    size_t maxdeg = 0;
    for (size_t i = 0; i < a->nb; i++) {
        size_t deg = a->inc_off[i + 1] - a->inc_off[i];
        maxdeg = deg > maxdeg ? deg : maxdeg;
    }
    for (size_t i = 0; i < b->nb; i++) {
        size_t deg = b->inc_off[i + 1] - b->inc_off[i];
        maxdeg = deg > maxdeg ? deg : maxdeg;
    }
    search_ctx sc = {a, b, a->nb, NULL, NULL, NULL, SEARCH_BUDGET};
    sc.tmp = malloc((2 * a->nb + maxdeg + 1) * sizeof *sc.tmp);
    sc.tmp2 = malloc((a->nb + 1) * sizeof *sc.tmp2);
    sc.mapped = malloc((a->nq + 1) * sizeof *sc.mapped);
    uint64_t *ca = calloc(a->nb + 1, sizeof *ca);
    uint64_t *cb = calloc(a->nb + 1, sizeof *cb);
    int rc = -1;
    if (sc.tmp && sc.tmp2 && sc.mapped && ca && cb)
        rc = search(&sc, ca, cb, 0);
    free(sc.tmp);
    free(sc.tmp2);
    free(sc.mapped);
    free(ca);
    free(cb);
    return rc;
}

/* Compare the ground quads of A and B (both sorted); describe the first
 * differences in WHY. Returns 1 if equal. */
static int ground_equal(const rdf_iso *iso, const rdf_dataset *a,
                        const rdf_dataset *b, char *why, size_t whylen)
{
    size_t i = 0, j = 0, missing = 0, extra = 0;
    rdf_quad first_missing = {{0}}, first_extra = {{0}};
    while (i < a->n || j < b->n) {
        if (i < a->n && has_bnode(a->quads[i])) { i++; continue; }
        if (j < b->n && has_bnode(b->quads[j])) { j++; continue; }
        int c = i == a->n ? 1 : j == b->n ? -1
                                           : quad_cmp(&a->quads[i],
                                                      &b->quads[j]);
        if (c == 0) { i++; j++; continue; }
        if (c < 0) {
            if (!missing++)
                first_missing = a->quads[i];
            i++;
        } else {
            if (!extra++)
                first_extra = b->quads[j];
            j++;
        }
    }
    if (!missing && !extra)
        return 1;
    char qm[1024] = "", qe[1024] = "";
    if (missing)
        rdf_quad_format(iso, a, first_missing, qm, sizeof qm);
    if (extra)
        rdf_quad_format(iso, b, first_extra, qe, sizeof qe);
    if (missing && extra)
        snprintf(why, whylen,
                 "%zu expected quad(s) missing (first: %s); %zu unexpected "
                 "(first: %s)",
                 missing, qm, extra, qe);
    else if (missing)
        snprintf(why, whylen, "%zu expected quad(s) missing (first: %s)",
                 missing, qm);
    else
        snprintf(why, whylen, "%zu unexpected quad(s) (first: %s)", extra,
                 qe);
    return 0;
}

int rdf_dataset_isomorphic(const rdf_iso *iso, const rdf_dataset *a,
                           const rdf_dataset *b, char *why, size_t whylen)
{
    if (!ground_equal(iso, a, b, why, whylen))
        return 0;
    side sa = {0}, sb = {0};
    int rc = -1;
    if (side_init(&sa, a) == 0 && side_init(&sb, b) == 0) {
        if (sa.nb != sb.nb || sa.nq != sb.nq) {
            snprintf(why, whylen,
                     "expected %zu quad(s) with %zu blank node(s), got %zu "
                     "with %zu",
                     sa.nq, sa.nb, sb.nq, sb.nb);
            rc = 0;
        } else {
            rc = sa.nb == 0 ? 1 : bnode_isomorphic(&sa, &sb);
            if (rc == 0)
                snprintf(why, whylen,
                         "no bijection of the %zu blank node(s) maps the %zu "
                         "quad(s) with blank nodes onto each other",
                         sa.nb, sa.nq);
            else if (rc < 0)
                snprintf(why, whylen,
                         "isomorphism search gave up after %d steps",
                         SEARCH_BUDGET);
        }
    } else {
        snprintf(why, whylen, "out of memory");
    }
    side_free(&sa);
    side_free(&sb);
    return rc;
}
