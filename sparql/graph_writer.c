/*
 * graph_writer.c — streaming RDF graph writers (see graph_writer.h).
 *   N-Triples  https://www.w3.org/TR/n-triples/
 *   N-Quads    https://www.w3.org/TR/n-quads/
 *   Turtle     https://www.w3.org/TR/turtle/
 *   RDF/XML    https://www.w3.org/TR/rdf-syntax-grammar/
 *   JSON-LD    https://www.w3.org/TR/json-ld11/ (expanded document form)
 *
 * Each triple is rendered into memory first (its subject, predicate and
 * object as text of the format) and written only when every part could be
 * rendered, so a triple the format cannot hold leaves no half line behind.
 * Grouping compares the rendered text of the subject (and predicate) with
 * that of the previous triple: rendering is one-to-one, so equal text means
 * the same term.
 */
#include "graph_writer.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDF_TYPE RDF_NS "type"
#define XML_NS "http://www.w3.org/XML/1998/namespace"
#define XMLNS_NS "http://www.w3.org/2000/xmlns/"

/* JSON-LD: keys remembered per node object to keep them unique; past this
 * many a new node object for the same subject starts (bounds the lookups). */
#define JSONLD_MAX_KEYS 256

typedef struct {
    char *name, *iri;
    size_t iri_len;
    bool xml; /* declared on rdf:RDF (the name is an XML name, the IRI usable) */
} prefix;

struct graph_writer {
    FILE *out;
    graph_format format;
    prefix *prefixes;
    size_t n_prefixes;
    char *base; /* Turtle: base for <#fragment> and <>; NULL when not usable */
    size_t base_len;
    char *subject;   /* rendered current subject; NULL before the first triple */
    char *predicate; /* Turtle: rendered current predicate */
    char **keys;     /* JSON-LD: keys of the open node object, the last is current */
    size_t n_keys;
    uint64_t nodes; /* JSON-LD: node objects written */
    bool failed;
    char error[320];
};

static const struct {
    const char *name, *alias, *media_type;
} formats[] = {
    [GRAPH_NTRIPLES] = {"ntriples", "nt", "application/n-triples"},
    [GRAPH_NQUADS] = {"nquads", "nq", "application/n-quads"},
    [GRAPH_TURTLE] = {"turtle", "ttl", "text/turtle"},
    [GRAPH_RDFXML] = {"rdfxml", NULL, "application/rdf+xml"},
    [GRAPH_JSONLD] = {"jsonld", NULL, "application/ld+json"},
};

bool graph_format_from_name(const char *name, graph_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(name, formats[i].name) == 0 ||
            (formats[i].alias && strcmp(name, formats[i].alias) == 0)) {
            *out = (graph_format)i;
            return true;
        }
    return false;
}

const char *graph_media_type(graph_format format) { return formats[format].media_type; }

static bool fail(graph_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
    w->failed = true;
    return false;
}

/* How much of a term to quote in a message. */
static int shown(size_t len) { return len > 200 ? 200 : (int)len; }

static bool same_bytes(const char *a, size_t an, const char *b)
{
    return an == strlen(b) && memcmp(a, b, an) == 0;
}

/* ---- text in memory ----------------------------------------------------------- */

typedef struct {
    char *s; /* NUL-terminated once anything was added */
    size_t len, cap;
    bool oom;
} text;

static void text_addn(text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->oom = true;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void text_add(text *t, const char *s) { text_addn(t, s, strlen(s)); }

/* Adds a string made by ck_term_to_ntriples and frees it (NULL: no memory). */
static void text_add_owned(text *t, char *s)
{
    if (!s) {
        t->oom = true;
        return;
    }
    text_add(t, s);
    free(s);
}

/* ---- characters ----------------------------------------------------------------- */

/* Decodes the UTF-8 code point at s (n bytes left) into *cp; returns its
 * length, 0 for bytes that are not UTF-8 (overlong forms included). */
static size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len = u[0] >= 0xF8 ? 0 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (!len || len > n)
        return 0;
    uint32_t c = u[0] & (0x3Fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Turtle's PN_CHARS_U, which is also XML's NameStartChar without ':'. */
static bool name_start(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

/* Turtle's PN_CHARS, which is also XML's NameChar without ':' and '.'. */
static bool name_char(uint32_t c)
{
    return name_start(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

/* A local part Turtle reads without escapes: PN_LOCAL without ':', '%' and
 * '\' escapes (first a PN_CHARS_U or digit, then PN_CHARS or '.', not last). */
static bool turtle_local_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_next(s + i, n - i, &c);
        if (!k)
            return false;
        bool ok = i == 0 ? name_start(c) || (c >= '0' && c <= '9')
                         : name_char(c) || (c == '.' && i + k < n);
        if (!ok)
            return false;
        i += k;
    }
    return true;
}

/* An XML NCName. */
static bool xml_name_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_next(s + i, n - i, &c);
        if (!k || !(i == 0 ? name_start(c) : name_char(c) || c == '.'))
            return false;
        i += k;
    }
    return true;
}

/* BCP 47 as RDF's grammars have it: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*. */
static bool lang_ok(const char *s, size_t n)
{
    size_t run = 0;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            if (!run)
                return false;
            run = 0;
            first = false;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (!first && c >= '0' && c <= '9')) {
            run++;
        } else {
            return false;
        }
    }
    return run > 0;
}

/* A blank node label valid in every format (see graph_writer.h): ASCII
 * letters and (after the first) digits as they are, any other byte as _XX. */
static void add_blank_label(text *t, const char *label, size_t n)
{
    if (n == 0)
        text_add(t, "_");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)label[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9')) {
            text_addn(t, &label[i], 1);
        } else {
            char hex[4];
            snprintf(hex, sizeof hex, "_%02X", c);
            text_add(t, hex);
        }
    }
}

static bool is_datatype(const ck_term *t, const char *iri)
{
    return t->datatype && !t->lang && same_bytes(t->datatype, t->datatype_len, iri);
}

/* ---- N-Triples, N-Quads ------------------------------------------------------------ */

static void add_nt_term(text *t, const ck_term *term)
{
    if (term->kind == CK_TERM_BLANK) {
        text_add(t, "_:");
        add_blank_label(t, term->value, term->value_len);
    } else {
        text_add_owned(t, ck_term_to_ntriples(term));
    }
}

static bool nt_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    text line = {0};
    add_nt_term(&line, s);
    text_add(&line, " ");
    add_nt_term(&line, p);
    text_add(&line, " ");
    add_nt_term(&line, o);
    text_add(&line, " .\n");
    if (!line.oom)
        fputs(line.s, w->out);
    free(line.s);
    return line.oom ? fail(w, "out of memory") : true;
}

/* ---- Turtle ------------------------------------------------------------------------- */

static void add_iri_ref(text *t, const char *iri, size_t n)
{
    ck_term term = {CK_TERM_IRI, iri, n, NULL, 0, NULL, 0};
    text_add_owned(t, ck_term_to_ntriples(&term));
}

/* An IRI as a prefixed name (the longest namespace whose local part needs
 * no escapes), relative to the base (<#f>, <>), or whole. */
static void turtle_iri(const graph_writer *w, text *t, const char *iri, size_t n)
{
    const prefix *best = NULL;
    for (size_t i = 0; i < w->n_prefixes; i++) {
        const prefix *pf = &w->prefixes[i];
        if (pf->iri_len <= n && (!best || pf->iri_len > best->iri_len) &&
            memcmp(iri, pf->iri, pf->iri_len) == 0 &&
            turtle_local_ok(iri + pf->iri_len, n - pf->iri_len))
            best = pf;
    }
    if (best) {
        text_add(t, best->name);
        text_add(t, ":");
        text_addn(t, iri + best->iri_len, n - best->iri_len);
    } else if (w->base && n >= w->base_len && memcmp(iri, w->base, w->base_len) == 0 &&
               (n == w->base_len || iri[w->base_len] == '#')) {
        add_iri_ref(t, iri + w->base_len, n - w->base_len);
    } else {
        add_iri_ref(t, iri, n);
    }
}

/* The lexical forms Turtle reads back from a bare INTEGER token unchanged:
 * "0", "12", "-12" (not "+1", "007", "-0"). */
static bool canonical_integer(const char *s, size_t n)
{
    size_t i = n > 0 && s[0] == '-';
    if (i == n || (s[i] == '0' && (n > 1)))
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void turtle_term(const graph_writer *w, text *t, const ck_term *term)
{
    switch (term->kind) {
    case CK_TERM_IRI:
        turtle_iri(w, t, term->value, term->value_len);
        break;
    case CK_TERM_BLANK:
        text_add(t, "_:");
        add_blank_label(t, term->value, term->value_len);
        break;
    case CK_TERM_LITERAL:
        if ((is_datatype(term, CK_XSD_INTEGER) && canonical_integer(term->value, term->value_len)) ||
            (is_datatype(term, CK_XSD_BOOLEAN) && (same_bytes(term->value, term->value_len, "true") ||
                                                    same_bytes(term->value, term->value_len, "false")))) {
            text_addn(t, term->value, term->value_len);
            break;
        }
        ck_term quoted = {CK_TERM_LITERAL, term->value, term->value_len, NULL, 0, NULL, 0};
        text_add_owned(t, ck_term_to_ntriples(&quoted));
        if (term->lang) {
            text_add(t, "@");
            text_addn(t, term->lang, term->lang_len);
        } else if (term->datatype) {
            text_add(t, "^^");
            turtle_iri(w, t, term->datatype, term->datatype_len);
        }
        break;
    }
}

/* Makes t's text the current subject or predicate (taking it over). */
static void keep_text(char **slot, text *t)
{
    free(*slot);
    *slot = t->s;
    t->s = NULL;
}

static bool turtle_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    text st = {0}, pt = {0}, ot = {0};
    turtle_term(w, &st, s);
    if (same_bytes(p->value, p->value_len, RDF_TYPE))
        text_add(&pt, "a");
    else
        turtle_term(w, &pt, p);
    turtle_term(w, &ot, o);
    bool ok = !st.oom && !pt.oom && !ot.oom;
    if (ok) {
        FILE *out = w->out;
        if (w->subject && strcmp(w->subject, st.s) == 0) {
            if (strcmp(w->predicate, pt.s) == 0)
                fprintf(out, ",\n        %s", ot.s);
            else
                fprintf(out, " ;\n    %s %s", pt.s, ot.s);
        } else {
            if (w->subject)
                fputs(" .\n\n", out);
            fprintf(out, "%s %s %s", st.s, pt.s, ot.s);
            keep_text(&w->subject, &st);
        }
        keep_text(&w->predicate, &pt);
    }
    free(st.s);
    free(pt.s);
    free(ot.s);
    return ok ? true : fail(w, "out of memory");
}

/* ---- RDF/XML -------------------------------------------------------------------------- */

/* Appends s as XML text (attr: inside a "-quoted attribute value, where
 * tab and newlines must be references to survive normalisation); false if
 * s holds a character XML 1.0 cannot carry at all. */
static bool xml_escape(text *t, const char *s, size_t n, bool attr)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        switch (c) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '\r': esc = "&#xD;"; break;
        case '"': esc = attr ? "&quot;" : NULL; break;
        case '\t': esc = attr ? "&#x9;" : NULL; break;
        case '\n': esc = attr ? "&#xA;" : NULL; break;
        default:
            if (c < 0x20)
                return false;
            /* U+FFFE and U+FFFF */
            if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
                return false;
        }
        if (esc)
            text_add(t, esc);
        else
            text_addn(t, &s[i], 1);
    }
    return true;
}

/* Where the XML name at the end of an IRI starts (the longest suffix that
 * is an NCName); n when there is none. */
static size_t xml_split(const char *iri, size_t n)
{
    size_t run = 0; /* start of the current run of name characters */
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_next(iri + i, n - i, &c);
        if (!k || !(name_char(c) || c == '.')) {
            i += k ? k : 1;
            run = i;
        } else {
            i += k;
        }
    }
    while (run < n) {
        uint32_t c;
        size_t k = utf8_next(iri + run, n - run, &c);
        if (name_start(c))
            break;
        run += k;
    }
    return run;
}

/* RDF/XML's own names: not allowed as property elements, and rdf:li would
 * be read back as rdf:_1, rdf:_2, ... */
static bool rdf_syntax_name(const char *local, size_t n)
{
    static const char *const names[] = {"RDF",       "Description", "ID",       "about",
                                        "parseType", "resource",    "nodeID",   "datatype",
                                        "li",        "aboutEach",   "aboutEachPrefix", "bagID"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (same_bytes(local, n, names[i]))
            return true;
    return false;
}

/* " rdf:about=..." / " rdf:resource=..." or " rdf:nodeID=...". */
static bool rdfxml_node(graph_writer *w, text *t, const ck_term *term, const char *attr)
{
    if (term->kind == CK_TERM_BLANK) {
        text_add(t, " rdf:nodeID=\"");
        add_blank_label(t, term->value, term->value_len);
    } else {
        text_add(t, " rdf:");
        text_add(t, attr);
        text_add(t, "=\"");
        if (!xml_escape(t, term->value, term->value_len, true))
            return fail(w, "RDF/XML cannot hold the IRI <%.*s>: it has a control character",
                        shown(term->value_len), term->value);
    }
    text_add(t, "\"");
    return true;
}

/* One property element, with its namespace declaration when needed. */
static bool rdfxml_property(graph_writer *w, text *t, const ck_term *p, const ck_term *o)
{
    size_t split = xml_split(p->value, p->value_len);
    const char *local = p->value + split;
    size_t local_len = p->value_len - split;
    if (local_len == 0)
        return fail(w, "RDF/XML cannot write the predicate <%.*s>: its IRI does not end in an XML name",
                    shown(p->value_len), p->value);
    bool rdf = same_bytes(p->value, split, RDF_NS);
    if (rdf && rdf_syntax_name(local, local_len))
        return fail(w, "RDF/XML cannot write the predicate rdf:%.*s, a name of its own syntax",
                    shown(local_len), local);
    const prefix *pf = NULL;
    for (size_t i = 0; i < w->n_prefixes && !rdf && !pf; i++)
        if (w->prefixes[i].xml && same_bytes(p->value, split, w->prefixes[i].iri))
            pf = &w->prefixes[i];
    text qname = {0}, decl = {0};
    text_add(&qname, rdf ? "rdf" : pf ? pf->name : "ns0");
    text_add(&qname, ":");
    text_addn(&qname, local, local_len);
    bool ok = true;
    if (!rdf && !pf) {
        text_add(&decl, " xmlns:ns0=\"");
        ok = split > 0 && !same_bytes(p->value, split, XML_NS) &&
             !same_bytes(p->value, split, XMLNS_NS) && xml_escape(&decl, p->value, split, true);
        text_add(&decl, "\"");
        if (!ok)
            fail(w, "RDF/XML cannot write the predicate <%.*s>: no namespace can hold it",
                 shown(p->value_len), p->value);
    }
    if (ok) {
        text_add(t, "    <");
        text_add(t, qname.s);
        if (decl.s)
            text_add(t, decl.s);
        if (o->kind != CK_TERM_LITERAL) {
            ok = rdfxml_node(w, t, o, "resource");
            text_add(t, "/>\n");
        } else {
            if (o->lang) {
                text_add(t, " xml:lang=\"");
                text_addn(t, o->lang, o->lang_len);
                text_add(t, "\"");
            } else if (o->datatype) {
                text_add(t, " rdf:datatype=\"");
                if (!xml_escape(t, o->datatype, o->datatype_len, true))
                    ok = fail(w, "RDF/XML cannot hold the datatype IRI <%.*s>: it has a control "
                                 "character", shown(o->datatype_len), o->datatype);
                text_add(t, "\"");
            }
            text_add(t, ">");
            if (ok && !xml_escape(t, o->value, o->value_len, false))
                ok = fail(w, "RDF/XML cannot hold a literal with a control character, U+FFFE or "
                             "U+FFFF: XML 1.0 has no form for them");
            text_add(t, "</");
            text_add(t, qname.s);
            text_add(t, ">\n");
        }
    }
    if (qname.oom || decl.oom)
        t->oom = true;
    free(qname.s);
    free(decl.s);
    return ok;
}

static bool rdfxml_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    text st = {0}, prop = {0};
    bool ok = rdfxml_node(w, &st, s, "about") && rdfxml_property(w, &prop, p, o);
    if (ok && (st.oom || prop.oom))
        ok = fail(w, "out of memory");
    if (ok) {
        if (!w->subject || strcmp(w->subject, st.s) != 0) {
            if (w->subject)
                fputs("  </rdf:Description>\n", w->out);
            fprintf(w->out, "  <rdf:Description%s>\n", st.s);
            keep_text(&w->subject, &st);
        }
        fputs(prop.s, w->out);
    }
    free(st.s);
    free(prop.s);
    return ok;
}

/* ---- JSON-LD ------------------------------------------------------------------------------ */

static void json_string(text *t, const char *s, size_t n)
{
    text_add(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"': text_add(t, "\\\""); break;
        case '\\': text_add(t, "\\\\"); break;
        case '\n': text_add(t, "\\n"); break;
        case '\r': text_add(t, "\\r"); break;
        case '\t': text_add(t, "\\t"); break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                text_add(t, esc);
            } else {
                text_addn(t, &s[i], 1);
            }
        }
    }
    text_add(t, "\"");
}

/* An IRI or blank node as a JSON-LD identifier string. */
static void json_id(text *t, const ck_term *term)
{
    if (term->kind != CK_TERM_BLANK) {
        json_string(t, term->value, term->value_len);
        return;
    }
    text label = {0};
    text_add(&label, "_:");
    add_blank_label(&label, term->value, term->value_len);
    if (label.oom)
        t->oom = true;
    else
        json_string(t, label.s, label.len);
    free(label.s);
}

static void json_value(text *t, const ck_term *o)
{
    if (o->kind != CK_TERM_LITERAL) {
        text_add(t, "{\"@id\": ");
        json_id(t, o);
    } else {
        text_add(t, "{\"@value\": ");
        json_string(t, o->value, o->value_len);
        if (o->lang) {
            text_add(t, ", \"@language\": ");
            json_string(t, o->lang, o->lang_len);
        } else if (o->datatype) {
            text_add(t, ", \"@type\": ");
            json_string(t, o->datatype, o->datatype_len);
        }
    }
    text_add(t, "}");
}

static void forget_keys(graph_writer *w)
{
    for (size_t i = 0; i < w->n_keys; i++)
        free(w->keys[i]);
    w->n_keys = 0;
}

static bool key_seen(const graph_writer *w, const char *key)
{
    for (size_t i = 0; i < w->n_keys; i++)
        if (strcmp(w->keys[i], key) == 0)
            return true;
    return false;
}

static bool jsonld_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    text st = {0}, key = {0}, val = {0};
    json_id(&st, s);
    if (same_bytes(p->value, p->value_len, RDF_TYPE) && o->kind != CK_TERM_LITERAL) {
        text_add(&key, "\"@type\"");
        json_id(&val, o);
    } else {
        json_string(&key, p->value, p->value_len);
        json_value(&val, o);
    }
    if (!w->keys)
        w->keys = calloc(JSONLD_MAX_KEYS, sizeof *w->keys);
    bool ok = w->keys && !st.oom && !key.oom && !val.oom;
    if (ok) {
        FILE *out = w->out;
        bool same_subject = w->subject && strcmp(w->subject, st.s) == 0;
        if (same_subject && strcmp(w->keys[w->n_keys - 1], key.s) == 0) {
            fprintf(out, ", %s", val.s);
        } else {
            if (!same_subject || key_seen(w, key.s) || w->n_keys == JSONLD_MAX_KEYS) {
                /* a new node object (for the same subject when a key comes back) */
                if (w->subject)
                    fputs("]\n  }", out);
                fprintf(out, "%s\n  {\n    \"@id\": %s", w->nodes++ ? "," : "", st.s);
                keep_text(&w->subject, &st);
                forget_keys(w);
            } else {
                fputs("]", out);
            }
            fprintf(out, ",\n    %s: [%s", key.s, val.s);
            w->keys[w->n_keys++] = key.s;
            key.s = NULL;
        }
    }
    free(st.s);
    free(key.s);
    free(val.s);
    return ok ? true : fail(w, "out of memory");
}

/* ---- documents ---------------------------------------------------------------------------- */

/* A base under which <#f> and <> resolve back to base#f and base: an
 * absolute IRI (scheme ':') without a fragment. */
static bool base_usable(const char *iri)
{
    size_t i = 0;
    while ((iri[i] >= 'a' && iri[i] <= 'z') || (iri[i] >= 'A' && iri[i] <= 'Z') ||
           (i > 0 && ((iri[i] >= '0' && iri[i] <= '9') || iri[i] == '+' || iri[i] == '-' ||
                      iri[i] == '.')))
        i++;
    return i > 0 && iri[i] == ':' && !strchr(iri, '#');
}

/* A query prefix usable as an XML namespace prefix on rdf:RDF. */
static bool xml_prefix_ok(const prefix *pf)
{
    size_t n = strlen(pf->name);
    return xml_name_ok(pf->name, n) && strcmp(pf->name, "rdf") != 0 &&
           !(n >= 3 && strncasecmp(pf->name, "xml", 3) == 0) && pf->iri_len > 0 &&
           strcmp(pf->iri, RDF_NS) != 0 && strcmp(pf->iri, XML_NS) != 0 &&
           strcmp(pf->iri, XMLNS_NS) != 0;
}

static bool copy_prefixes(graph_writer *w, const graph_prefix *prefixes, size_t n)
{
    w->prefixes = calloc(n + 1, sizeof *w->prefixes);
    if (!w->prefixes)
        return false;
    for (size_t i = 0; i < n; i++) {
        prefix *pf = NULL;
        for (size_t k = 0; k < w->n_prefixes && !pf; k++)
            if (strcmp(w->prefixes[k].name, prefixes[i].name) == 0)
                pf = &w->prefixes[k];
        if (pf) {
            free(pf->iri);
        } else {
            pf = &w->prefixes[w->n_prefixes++];
            pf->name = strdup(prefixes[i].name);
        }
        pf->iri = strdup(prefixes[i].iri);
        if (!pf->name || !pf->iri)
            return false;
        pf->iri_len = strlen(pf->iri);
    }
    return true;
}

static void free_writer(graph_writer *w)
{
    for (size_t i = 0; i < w->n_prefixes; i++) {
        free(w->prefixes[i].name);
        free(w->prefixes[i].iri);
    }
    free(w->prefixes);
    forget_keys(w);
    free(w->keys);
    free(w->base);
    free(w->subject);
    free(w->predicate);
    free(w);
}

/* The document's head: Turtle's @base and @prefix lines, RDF/XML's root. */
static bool write_head(graph_writer *w)
{
    text head = {0};
    switch (w->format) {
    case GRAPH_NTRIPLES:
    case GRAPH_NQUADS:
        return true;
    case GRAPH_TURTLE:
        if (w->base) {
            text_add(&head, "@base ");
            add_iri_ref(&head, w->base, w->base_len);
            text_add(&head, " .\n");
        }
        for (size_t i = 0; i < w->n_prefixes; i++) {
            text_add(&head, "@prefix ");
            text_add(&head, w->prefixes[i].name);
            text_add(&head, ": ");
            add_iri_ref(&head, w->prefixes[i].iri, w->prefixes[i].iri_len);
            text_add(&head, " .\n");
        }
        if (head.len)
            text_add(&head, "\n");
        break;
    case GRAPH_RDFXML:
        text_add(&head, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                        "<rdf:RDF xmlns:rdf=\"" RDF_NS "\"");
        for (size_t i = 0; i < w->n_prefixes; i++) {
            prefix *pf = &w->prefixes[i];
            text decl = {0};
            text_add(&decl, " xmlns:");
            text_add(&decl, pf->name);
            text_add(&decl, "=\"");
            pf->xml = xml_prefix_ok(pf) && xml_escape(&decl, pf->iri, pf->iri_len, true);
            text_add(&decl, "\"");
            if (pf->xml)
                text_add(&head, decl.s);
            head.oom |= decl.oom;
            free(decl.s);
        }
        text_add(&head, ">\n");
        break;
    case GRAPH_JSONLD:
        text_add(&head, "[");
        break;
    }
    bool ok = !head.oom;
    if (ok && head.s)
        fputs(head.s, w->out);
    free(head.s);
    return ok;
}

graph_writer *graph_begin(FILE *out, graph_format format, const char *base_iri,
                          const graph_prefix *prefixes, size_t n_prefixes)
{
    graph_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->format = format;
    bool ok = copy_prefixes(w, prefixes, n_prefixes);
    if (ok && format == GRAPH_TURTLE && base_iri && base_usable(base_iri)) {
        w->base = strdup(base_iri);
        w->base_len = strlen(base_iri);
        ok = w->base != NULL;
    }
    if (!ok || !write_head(w)) {
        free_writer(w);
        return NULL;
    }
    return w;
}

/* What every format needs: an RDF triple with a well-formed language tag. */
static bool check_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    if (s->kind == CK_TERM_LITERAL)
        return fail(w, "a literal cannot be the subject of an RDF triple");
    if (p->kind != CK_TERM_IRI)
        return fail(w, "the predicate of an RDF triple must be an IRI");
    if (o->kind == CK_TERM_LITERAL && o->lang && !lang_ok(o->lang, o->lang_len))
        return fail(w, "'%.*s' is not a language tag", shown(o->lang_len), o->lang);
    return true;
}

bool graph_triple(graph_writer *w, const ck_term *s, const ck_term *p, const ck_term *o)
{
    if (w->failed || !check_triple(w, s, p, o))
        return false;
    bool ok = false;
    switch (w->format) {
    case GRAPH_NTRIPLES:
    case GRAPH_NQUADS:
        ok = nt_triple(w, s, p, o);
        break;
    case GRAPH_TURTLE:
        ok = turtle_triple(w, s, p, o);
        break;
    case GRAPH_RDFXML:
        ok = rdfxml_triple(w, s, p, o);
        break;
    case GRAPH_JSONLD:
        ok = jsonld_triple(w, s, p, o);
        break;
    }
    if (ok && ferror(w->out))
        ok = fail(w, "writing the output failed");
    return ok;
}

const char *graph_error(const graph_writer *w) { return w->error; }

bool graph_end(graph_writer *w)
{
    if (!w)
        return false;
    FILE *out = w->out;
    switch (w->format) {
    case GRAPH_NTRIPLES:
    case GRAPH_NQUADS:
        break;
    case GRAPH_TURTLE:
        if (w->subject)
            fputs(" .\n", out);
        break;
    case GRAPH_RDFXML:
        if (w->subject)
            fputs("  </rdf:Description>\n", out);
        fputs("</rdf:RDF>\n", out);
        break;
    case GRAPH_JSONLD:
        if (w->subject)
            fputs("]\n  }", out);
        fputs("\n]\n", out);
        break;
    }
    bool ok = !w->failed && fflush(out) == 0 && !ferror(out);
    free_writer(w);
    return ok;
}
