/*
 * value_index.c — the numeric objects of each predicate by value (see
 * value_index.h): which objects are numbers and their values, keeping the
 * "values" database current as quads change, building it for an older
 * store, reading one predicate's range, and comparing it with a rebuild
 * for `citykg check`.
 */
#include "value_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define META_VALUES "value_index" /* present: the index is complete */

/* ---- values of literals ---------------------------------------------------- */

typedef enum { KIND_INTEGER, KIND_DECIMAL, KIND_DOUBLE, KIND_FLOAT } number_kind;

static const struct {
    const char *iri;
    number_kind kind;
} numeric_types[] = {
    {CK_XSD "integer", KIND_INTEGER},
    {CK_XSD "decimal", KIND_DECIMAL},
    {CK_XSD "double", KIND_DOUBLE},
    {CK_XSD "float", KIND_FLOAT},
    {CK_XSD "long", KIND_INTEGER},
    {CK_XSD "int", KIND_INTEGER},
    {CK_XSD "short", KIND_INTEGER},
    {CK_XSD "byte", KIND_INTEGER},
    {CK_XSD "nonNegativeInteger", KIND_INTEGER},
    {CK_XSD "positiveInteger", KIND_INTEGER},
    {CK_XSD "nonPositiveInteger", KIND_INTEGER},
    {CK_XSD "negativeInteger", KIND_INTEGER},
    {CK_XSD "unsignedLong", KIND_INTEGER},
    {CK_XSD "unsignedInt", KIND_INTEGER},
    {CK_XSD "unsignedShort", KIND_INTEGER},
    {CK_XSD "unsignedByte", KIND_INTEGER},
};
#define NUMERIC_TYPES (sizeof numeric_types / sizeof *numeric_types)

static bool is_xsd_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Whether lexical form s is a number of kind, after XSD whitespace at
 * either end (*numeric), and its value (*out); false when out of memory. */
static bool literal_value(const char *s, size_t n, number_kind kind, bool *numeric, double *out)
{
    while (n && is_xsd_space(s[0]))
        s++, n--;
    while (n && is_xsd_space(s[n - 1]))
        n--;
    double v;
    *numeric = false;
    bool floating = kind == KIND_DOUBLE || kind == KIND_FLOAT;
    size_t sign = n && (s[0] == '+' || s[0] == '-');
    if (floating && n == 3 && memcmp(s, "NaN", 3) == 0)
        v = NAN;
    else if (floating && n - sign == 3 && memcmp(s + sign, "INF", 3) == 0)
        v = s[0] == '-' ? -INFINITY : INFINITY;
    else if (!ck_number_lexical_ok(s, n, kind != KIND_INTEGER, floating))
        return true; /* not a number of kind */
    else if (!ck_number_value(s, n, &v))
        return false;
    *out = kind == KIND_FLOAT ? (double)(float)v : v;
    *numeric = true;
    return true;
}

/* The value of an inline number, read from its text: term.c alone knows
 * the encoding, and its text is the literal's lexical form (short: no
 * memory needed). */
static bool inline_value(ck_id o, double *out)
{
    ck_term t;
    char buf[32];
    if (!ck_term_from_inline(o, &t, buf) || !t.datatype)
        return false;
    size_t float_len = strlen(CK_XSD "float");
    bool is_float = t.datatype_len == float_len && memcmp(t.datatype, CK_XSD "float", float_len) == 0;
    bool numeric = false;
    literal_value(t.value, t.value_len, is_float ? KIND_FLOAT : KIND_DOUBLE, &numeric, out);
    return numeric;
}

/* Reads the values of objects. The numeric datatypes' dictionary ids are
 * looked up on the first dictionary literal met; the last object's answer
 * is kept, as posg gives each object's quads in a run. */
typedef struct {
    ck_txn *txn;
    bool types_known;
    ck_id type_ids[NUMERIC_TYPES]; /* 0: the store does not know the type */
    ck_id last;
    bool last_numeric;
    double last_value;
} value_reader;

static ck_status lookup_types(value_reader *r, ck_error *err)
{
    for (size_t i = 0; i < NUMERIC_TYPES; i++) {
        ck_term iri = {.kind = CK_TERM_IRI, .value = numeric_types[i].iri,
                       .value_len = strlen(numeric_types[i].iri)};
        ck_status st = ck_term_lookup(r->txn, &iri, &r->type_ids[i], err);
        if (st != CK_OK)
            return st;
    }
    r->types_known = true;
    return CK_OK;
}

/* The value of a dictionary literal (id2term: datatype id, lexical form). */
static ck_status typed_value(value_reader *r, ck_id o, bool *numeric, double *v, ck_error *err)
{
    *numeric = false;
    ck_status st = r->types_known ? CK_OK : lookup_types(r, err);
    if (st != CK_OK)
        return st;
    unsigned char kb[8];
    bytes_put_be64(kb, o);
    MDB_val k = {8, kb}, val;
    int rc = mdb_get(r->txn->mdb, r->txn->store->id2term, &k, &val);
    if (rc)
        return ck_lmdb_error(err, rc, "reading a literal for the value index");
    const unsigned char *p = val.mv_data, *end = p + val.mv_size;
    uint64_t datatype;
    if (!bytes_get_varint(&p, end, &datatype) || !datatype)
        return CK_OK;
    for (size_t i = 0; i < NUMERIC_TYPES; i++)
        if (r->type_ids[i] == datatype &&
            !literal_value((const char *)p, (size_t)(end - p), numeric_types[i].kind, numeric, v))
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory reading a number of %zu bytes",
                                (size_t)(end - p));
    return CK_OK;
}

/* Whether object o is a number, and its value in *v. */
static ck_status object_value(value_reader *r, ck_id o, bool *numeric, double *v, ck_error *err)
{
    enum ck_tag tag = ck_id_tag(o);
    *numeric = false;
    if (tag == CK_TAG_INT || tag == CK_TAG_NUMBER || tag == CK_TAG_SCIENTIFIC) {
        *numeric = inline_value(o, v);
        return CK_OK;
    }
    if (tag != CK_TAG_TYPED)
        return CK_OK;
    if (o != r->last) {
        ck_status st = typed_value(r, o, &r->last_numeric, &r->last_value, err);
        if (st != CK_OK)
            return st;
        r->last = o;
    }
    *numeric = r->last_numeric;
    *v = r->last_value;
    return CK_OK;
}

/* The key of a value: its IEEE bits, sorting as unsigned integers in value
 * order (negatives inverted, the sign bit set on the others). -0 == +0 as
 * a value, so both get +0's key. */
static uint64_t value_key(double v)
{
    if (v == 0)
        v = 0.0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits >> 63 ? ~bits : bits | (1ULL << 63);
}

/* ---- rows -------------------------------------------------------------------- */

typedef struct {
    quad_row *rows;
    size_t n, cap;
} row_list;

static bool row_list_push(row_list *l, quad_row r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        quad_row *rows = realloc(l->rows, cap * sizeof *rows);
        if (!rows)
            return false;
        l->rows = rows;
        l->cap = cap;
    }
    l->rows[l->n++] = r;
    return true;
}

/* Sorts the list's rows without duplicates. */
static ck_status row_list_sort(row_list *l, ck_error *err)
{
    if (l->n < 2)
        return CK_OK;
    quad_row *tmp = malloc(l->n * sizeof *tmp);
    if (!tmp)
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory sorting %zu value index rows", l->n);
    l->n = quad_rows_sort_unique(l->rows, tmp, l->n);
    free(tmp);
    return CK_OK;
}

/* Whether two spog rows are the same triple (in two graphs). */
static bool same_triple(const quad_row *a, const quad_row *b)
{
    return a->c[0] == b->c[0] && a->c[1] == b->c[1] && a->c[2] == b->c[2];
}

/* Whether any graph still has the triple of spog row q; c is a cursor on
 * spog, opened on first use (*open). */
static ck_status triple_present(ck_txn *txn, quad_index_cursor *c, bool *open, const quad_row *q,
                                bool *present, ck_error *err)
{
    ck_status st = *open ? quad_index_cursor_seek(c, q, 3, err)
                         : quad_index_cursor_open(c, txn->mdb, !txn->write, txn->store->index[PERM_SPOG], q, 3, err);
    *open = true;
    if (st != CK_OK)
        return st;
    *present = quad_index_cursor_next(c) != NULL;
    if (c->error.code)
        return err ? (*err = c->error, err->code) : c->error.code;
    return CK_OK;
}

ck_status values_note_quads(ck_txn *txn, const quad_row *spog, size_t n, bool inserting, ck_error *err)
{
    if (!txn->store->values_ready || n == 0)
        return CK_OK;
    value_reader r = {.txn = txn};
    row_list rows = {0};
    quad_index_cursor spo;
    bool spo_open = false;
    ck_status st = CK_OK;
    for (size_t i = 0; i < n && st == CK_OK; i++) {
        const quad_row *q = &spog[i];
        if (i && same_triple(q, &spog[i - 1]))
            continue; /* one index row per triple */
        bool numeric, present = false;
        double v;
        st = object_value(&r, q->c[2], &numeric, &v, err);
        if (st != CK_OK || !numeric)
            continue;
        /* the batch is applied: a triple left in another graph keeps its row */
        if (!inserting && (st = triple_present(txn, &spo, &spo_open, q, &present, err)) != CK_OK)
            break;
        if (!present && !row_list_push(&rows, (quad_row){{q->c[1], value_key(v), q->c[0], q->c[2]}}))
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory for the value index");
    }
    if (spo_open)
        quad_index_cursor_close(&spo);
    if (st == CK_OK)
        st = row_list_sort(&rows, err);
    if (st == CK_OK && rows.n)
        st = inserting ? quad_index_insert(txn->mdb, txn->store->values, rows.rows, rows.n, false, NULL, NULL, err)
                       : quad_index_remove(txn->mdb, txn->store->values, rows.rows, rows.n, false, NULL, NULL, err);
    free(rows.rows);
    return st;
}

/* ---- rebuilding from posg -------------------------------------------------------- */

/* Receives one predicate's rows, sorted, as a rebuild writes them. */
typedef ck_status (*predicate_rows_fn)(void *arg, const quad_row *rows, size_t n, ck_error *err);

/* Calls fn with the rows a rebuild of the index would write, from posg
 * (p, o, s, g), one predicate at a time, ascending: memory holds one
 * predicate's numeric triples. *quads (may be NULL) gets the quads read. */
static ck_status each_rebuilt_predicate(ck_txn *txn, predicate_rows_fn fn, void *arg, uint64_t *quads,
                                        ck_error *err)
{
    quad_index_cursor c;
    quad_row none = {{0, 0, 0, 0}};
    ck_status st = quad_index_cursor_open(&c, txn->mdb, !txn->write, txn->store->index[PERM_POSG], &none, 0, err);
    value_reader r = {.txn = txn};
    row_list rows = {0};
    uint64_t read = 0;
    quad_row prev = {{0, 0, 0, 0}};
    const quad_row *q;
    while (st == CK_OK && (q = quad_index_cursor_next(&c))) {
        read++;
        if (q->c[0] == prev.c[0] && q->c[1] == prev.c[1] && q->c[2] == prev.c[2])
            continue; /* the triple in another graph */
        prev = *q;
        if (rows.n && rows.rows[0].c[0] != q->c[0]) {
            if ((st = row_list_sort(&rows, err)) != CK_OK || (st = fn(arg, rows.rows, rows.n, err)) != CK_OK)
                break;
            rows.n = 0;
        }
        bool numeric;
        double v;
        if ((st = object_value(&r, q->c[1], &numeric, &v, err)) != CK_OK)
            break;
        if (numeric && !row_list_push(&rows, (quad_row){{q->c[0], value_key(v), q->c[2], q->c[1]}}))
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory building the value index");
    }
    if (st == CK_OK && c.error.code)
        st = err ? (*err = c.error, err->code) : c.error.code;
    if (st == CK_OK && rows.n && (st = row_list_sort(&rows, err)) == CK_OK)
        st = fn(arg, rows.rows, rows.n, err);
    quad_index_cursor_close(&c);
    free(rows.rows);
    if (quads)
        *quads = read;
    return st;
}

typedef struct {
    ck_txn *txn;
    uint64_t rows;
} build_state;

static ck_status append_rows(void *arg, const quad_row *rows, size_t n, ck_error *err)
{
    build_state *b = arg;
    b->rows += n;
    return quad_index_insert(b->txn->mdb, b->txn->store->values, rows, n, false, NULL, NULL, err);
}

ck_status values_open(ck_store *s, MDB_txn *mtxn, bool readonly, ck_error *err)
{
    s->values_ready = false;
    int rc = mdb_dbi_open(mtxn, "values", readonly ? 0 : MDB_CREATE, &s->values);
    if (rc == MDB_NOTFOUND && readonly)
        return CK_OK; /* an older store read as it is: no index */
    if (rc)
        return ck_lmdb_error(err, rc, "opening the value index");
    MDB_val k = {strlen(META_VALUES), META_VALUES}, v;
    rc = mdb_get(mtxn, s->meta, &k, &v);
    if (rc != MDB_NOTFOUND || readonly) {
        s->values_ready = rc == 0;
        return rc && rc != MDB_NOTFOUND ? ck_lmdb_error(err, rc, "reading the store's flags") : CK_OK;
    }
    /* a store made before the index: build it, all or nothing, in the
     * opening transaction */
    rc = mdb_drop(mtxn, s->values, 0);
    if (rc)
        return ck_lmdb_error(err, rc, "emptying the value index");
    ck_txn txn = {.store = s, .mdb = mtxn, .write = true};
    MDB_stat st;
    rc = mdb_stat(mtxn, s->index[PERM_POSG], &st);
    if (rc)
        return ck_lmdb_error(err, rc, "reading the posg index");
    /* 10M quads take about half a second: a line before and after for
     * stores of a million quads (some 1500 blocks) and more */
    bool tell = st.ms_entries > 1500;
    if (tell)
        fprintf(stderr, "citykg: %s: building the value index from posg (once)\n", s->path);
    build_state b = {&txn, 0};
    uint64_t quads;
    ck_status cs = each_rebuilt_predicate(&txn, append_rows, &b, &quads, err);
    if (cs != CK_OK)
        return cs;
    if (tell)
        fprintf(stderr, "citykg: %s: the value index holds %llu numeric objects of %llu quads\n", s->path,
                (unsigned long long)b.rows, (unsigned long long)quads);
    unsigned char one = 1;
    v = (MDB_val){1, &one};
    rc = mdb_put(mtxn, s->meta, &k, &v, 0);
    if (rc)
        return ck_lmdb_error(err, rc, "writing the store's flags");
    s->values_ready = true;
    return CK_OK;
}

/* ---- checking ---------------------------------------------------------------------- */

typedef struct {
    quad_index_cursor index; /* the values database, read along */
    uint64_t rows;
} check_state;

/* Compares one predicate's rebuilt rows with the index's next rows. */
static ck_status compare_rows(void *arg, const quad_row *rows, size_t n, ck_error *err)
{
    check_state *cs = arg;
    for (size_t i = 0; i < n; i++, cs->rows++) {
        const quad_row *got = quad_index_cursor_next(&cs->index);
        if (cs->index.error.code)
            return err ? (*err = cs->index.error, err->code) : cs->index.error.code;
        if (!got || quad_row_cmp(got, &rows[i]) != 0)
            return ck_error_set(err, CK_ERR_CORRUPT,
                                "value index: row %llu should be predicate %llu, subject %llu, object "
                                "%llu; it is %s",
                                (unsigned long long)cs->rows, (unsigned long long)rows[i].c[0],
                                (unsigned long long)rows[i].c[2], (unsigned long long)rows[i].c[3],
                                got ? "another" : "missing");
    }
    return CK_OK;
}

ck_status values_check(ck_txn *txn, uint64_t *rows, ck_error *err)
{
    *rows = 0;
    check_state cs = {0};
    quad_row none = {{0, 0, 0, 0}};
    ck_status st = quad_index_cursor_open(&cs.index, txn->mdb, !txn->write, txn->store->values, &none, 0, err);
    if (st == CK_OK)
        st = each_rebuilt_predicate(txn, compare_rows, &cs, NULL, err);
    if (st == CK_OK && quad_index_cursor_next(&cs.index))
        st = ck_error_set(err, CK_ERR_CORRUPT, "value index: holds rows beyond the %llu of the quads",
                          (unsigned long long)cs.rows);
    if (st == CK_OK && cs.index.error.code)
        st = err ? (*err = cs.index.error, err->code) : cs.index.error.code;
    quad_index_cursor_close(&cs.index);
    *rows = cs.rows;
    return st;
}

/* ---- reading --------------------------------------------------------------------- */

bool ck_values_ready(ck_txn *txn) { return txn->store->values_ready; }

ck_status ck_values_subjects_unordered(ck_txn *txn, ck_id p, double lo, double hi, size_t max, ck_id **out,
                                       size_t *n, bool *over, uint64_t *rows_read, ck_error *err)
{
    *out = NULL;
    *n = 0;
    *over = false;
    if (rows_read)
        *rows_read = 0;
    if (!ck_values_ready(txn))
        return ck_error_set(err, CK_ERR_INVALID, "the store has no complete value index");
    if (isnan(lo) || isnan(hi) || lo > hi)
        return CK_OK;
    uint64_t first = value_key(lo), last = value_key(hi);
    quad_index_cursor c;
    quad_row prefix = {{p, 0, 0, 0}}, from = {{p, first, 0, 0}};
    ck_status st = quad_index_cursor_open(&c, txn->mdb, !txn->write, txn->store->values, &prefix, 1, err);
    if (st == CK_OK)
        st = quad_index_cursor_skip_to(&c, &from, err);
    ck_id *subjects = NULL;
    size_t count = 0, cap = 0;
    const quad_row *r;
    while (st == CK_OK && (r = quad_index_cursor_next(&c)) && r->c[1] <= last) {
        if (count == max) {
            *over = true;
            break;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            ck_id *grown = realloc(subjects, cap * sizeof *grown);
            if (!grown) {
                st = ck_error_set(err, CK_ERR_NOMEM, "out of memory for %zu subjects", count);
                break;
            }
            subjects = grown;
        }
        subjects[count++] = r->c[2];
    }
    if (st == CK_OK && c.error.code)
        st = err ? (*err = c.error, err->code) : c.error.code;
    ck_scan_work *w = &txn->work;
    w->seeks++;
    w->blocks += c.blocks;
    w->rows += c.returned;
    quad_index_cursor_close(&c);
    if (rows_read)
        *rows_read = count + *over;
    if (st != CK_OK || *over || count == 0) {
        free(subjects);
        return st;
    }
    *out = subjects;
    *n = count;
    return CK_OK;
}

ck_status ck_values_subjects(ck_txn *txn, ck_id p, double lo, double hi, size_t max, ck_id **out, size_t *n,
                             bool *over, uint64_t *rows_read, ck_error *err)
{
    ck_status st = ck_values_subjects_unordered(txn, p, lo, hi, max, out, n, over, rows_read, err);
    if (st != CK_OK || *n == 0)
        return st;
    *n = ck_ids_sort_unique(*out, *n);
    return CK_OK;
}

ck_status ck_values_estimate(ck_txn *txn, ck_id p, double lo, double hi, uint64_t max, uint64_t *rows,
                             ck_error *err)
{
    *rows = 0;
    if (!ck_values_ready(txn))
        return ck_error_set(err, CK_ERR_INVALID, "the store has no complete value index");
    if (isnan(lo) || isnan(hi) || lo > hi)
        return CK_OK;
    quad_row from = {{p, value_key(lo), 0, 0}}, to = {{p, value_key(hi), UINT64_MAX, UINT64_MAX}};
    ck_status st = quad_index_estimate_between(txn->mdb, txn->store->values, &from, &to, max, rows, err);
    txn->work.seeks++;
    return st;
}
