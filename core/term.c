/*
 * term.c — term normalisation, inline literal encoding, N-Triples text.
 * See term.h for the id layout.
 */
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INT_PAYLOAD_BITS 60
#define INT_MAX_INLINE ((int64_t)1 << (INT_PAYLOAD_BITS - 1)) /* exclusive */

static bool datatype_is(const ck_term *t, const char *iri)
{
    size_t n = strlen(iri);
    return t->datatype && t->datatype_len == n && memcmp(t->datatype, iri, n) == 0;
}

void ck_term_normalize(ck_term *term)
{
    if (term->kind == CK_TERM_LITERAL && datatype_is(term, CK_XSD_STRING)) {
        term->datatype = NULL;
        term->datatype_len = 0;
    }
    if (term->kind == CK_TERM_LITERAL && term->lang && term->lang_len == 0)
        term->lang = NULL;
    if (term->kind == CK_TERM_LITERAL && term->lang) {
        /* rdf:langString is implied by the tag */
        term->datatype = NULL;
        term->datatype_len = 0;
    }
}

/* Parses a canonical xsd:integer: optional '-', no leading zeros, no '+'. */
static bool parse_canonical_integer(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (n == 0 || n > 19)
        return false;
    if (s[0] == '-') {
        negative = true;
        i = 1;
        if (n == 1)
            return false;
    }
    if (s[i] == '0' && n - i > 1)
        return false;
    if (negative && s[i] == '0')
        return false; /* "-0" is not canonical */
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v >= INT_MAX_INLINE)
            return false;
    }
    *out = negative ? -v : v;
    return true;
}

bool ck_term_try_inline(const ck_term *term, ck_id *id)
{
    if (term->kind != CK_TERM_LITERAL || term->lang)
        return false;
    if (!term->datatype) {
        if (term->value_len > 7 || memchr(term->value, 0, term->value_len))
            return false;
        uint64_t payload = 0;
        for (size_t i = 0; i < term->value_len; i++)
            payload |= (uint64_t)(unsigned char)term->value[i] << (8 * (6 - i));
        *id = ck_id_make(CK_TAG_SHORT_STRING, payload);
        return true;
    }
    if (datatype_is(term, CK_XSD_INTEGER)) {
        int64_t v;
        if (!parse_canonical_integer(term->value, term->value_len, &v))
            return false;
        uint64_t payload = (uint64_t)v & (((uint64_t)1 << INT_PAYLOAD_BITS) - 1);
        *id = ck_id_make(CK_TAG_INT, payload);
        return true;
    }
    if (datatype_is(term, CK_XSD_BOOLEAN)) {
        if (term->value_len == 4 && memcmp(term->value, "true", 4) == 0) {
            *id = ck_id_make(CK_TAG_BOOL, 1);
            return true;
        }
        if (term->value_len == 5 && memcmp(term->value, "false", 5) == 0) {
            *id = ck_id_make(CK_TAG_BOOL, 0);
            return true;
        }
    }
    return false;
}

bool ck_term_from_inline(ck_id id, ck_term *term, char buf[32])
{
    memset(term, 0, sizeof *term);
    term->kind = CK_TERM_LITERAL;
    term->value = buf;
    uint64_t payload = ck_id_payload(id);
    switch (ck_id_tag(id)) {
    case CK_TAG_INT: {
        int64_t v = (int64_t)(payload << (64 - INT_PAYLOAD_BITS)) >> (64 - INT_PAYLOAD_BITS);
        term->value_len = (size_t)snprintf(buf, 32, "%lld", (long long)v);
        term->datatype = CK_XSD_INTEGER;
        term->datatype_len = strlen(CK_XSD_INTEGER);
        return true;
    }
    case CK_TAG_BOOL:
        term->value_len = (size_t)snprintf(buf, 32, "%s", payload ? "true" : "false");
        term->datatype = CK_XSD_BOOLEAN;
        term->datatype_len = strlen(CK_XSD_BOOLEAN);
        return true;
    case CK_TAG_SHORT_STRING: {
        size_t n = 0;
        for (int i = 0; i < 7; i++) {
            char c = (char)((payload >> (8 * (6 - i))) & 0xFF);
            if (!c)
                break;
            buf[n++] = c;
        }
        buf[n] = 0;
        term->value_len = n;
        return true;
    }
    default:
        return false;
    }
}

static bool bytes_equal(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

bool ck_term_equal(const ck_term *a, const ck_term *b)
{
    if (a->kind != b->kind || !bytes_equal(a->value, a->value_len, b->value, b->value_len))
        return false;
    if ((a->datatype == NULL) != (b->datatype == NULL) || (a->lang == NULL) != (b->lang == NULL))
        return false;
    if (a->datatype && !bytes_equal(a->datatype, a->datatype_len, b->datatype, b->datatype_len))
        return false;
    if (a->lang && !bytes_equal(a->lang, a->lang_len, b->lang, b->lang_len))
        return false;
    return true;
}

/* Appends s escaped for N-Triples (strings: ECHAR; IRIs: UCHAR for the
 * characters IRIREF forbids). */
static void append_escaped(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                           bool iri)
{
    for (size_t i = 0; i < n; i++) {
        if (*len + 12 >= *cap) {
            *cap = *cap * 2 + 16;
            *out = realloc(*out, *cap);
        }
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        if (!iri) {
            switch (c) {
            case '"': esc = "\\\""; break;
            case '\\': esc = "\\\\"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            default: break;
            }
        }
        if (esc) {
            size_t k = strlen(esc);
            memcpy(*out + *len, esc, k);
            *len += k;
        } else if (iri && (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' ||
                           c == '}' || c == '|' || c == '^' || c == '`' || c == '\\')) {
            *len += (size_t)snprintf(*out + *len, 12, "\\u%04X", c);
        } else {
            (*out)[(*len)++] = (char)c;
        }
    }
}

char *ck_term_to_ntriples(const ck_term *t)
{
    size_t cap = t->value_len + t->datatype_len + t->lang_len + 16, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    switch (t->kind) {
    case CK_TERM_IRI:
        out[len++] = '<';
        append_escaped(&out, &len, &cap, t->value, t->value_len, true);
        out[len++] = '>';
        break;
    case CK_TERM_BLANK:
        out[len++] = '_';
        out[len++] = ':';
        append_escaped(&out, &len, &cap, t->value, t->value_len, true);
        break;
    case CK_TERM_LITERAL:
        out[len++] = '"';
        append_escaped(&out, &len, &cap, t->value, t->value_len, false);
        out[len++] = '"';
        if (t->lang) {
            out[len++] = '@';
            append_escaped(&out, &len, &cap, t->lang, t->lang_len, true);
        } else if (t->datatype) {
            out[len++] = '^';
            out[len++] = '^';
            out[len++] = '<';
            append_escaped(&out, &len, &cap, t->datatype, t->datatype_len, true);
            out[len++] = '>';
        }
        break;
    }
    if (len + 1 > cap)
        out = realloc(out, len + 1);
    out[len] = 0;
    return out;
}

uint64_t ck_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    /* Eight bytes per step (multiply-rotate, as in the MurmurHash family)
     * with a splitmix64 finish so that low bits are usable for open
     * addressing. Term hashes are stored in term2id: changing this function
     * changes the store format. */
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9E3779B97F4A7C15ULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w *= 0x87C37B91114253D5ULL;
        w = (w << 31) | (w >> 33);
        h ^= w * 0x4CF5AD432745937FULL;
        h = ((h << 27) | (h >> 37)) * 5 + 0x52DCE729;
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    h ^= tail * 0x87C37B91114253D5ULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}
