/*
 * results.c — SPARQL result writers (see results.h). Formats:
 *   JSON  https://www.w3.org/TR/sparql11-results-json/
 *   XML   https://www.w3.org/TR/rdf-sparql-XMLres/
 *   CSV, TSV  https://www.w3.org/TR/sparql11-results-csv-tsv/
 */
#include "results.h"

#include <stdlib.h>
#include <string.h>

struct results_writer {
    FILE *out;
    results_format format;
    char **vars;
    int nvars;
    bool first_row;
    bool failed;
    /* table format: every cell, kept until the end */
    char **cells;
    size_t ncells, cap;
};

static const struct {
    const char *name, *media_type;
} formats[] = {
    [RESULTS_JSON] = {"json", "application/sparql-results+json"},
    [RESULTS_XML] = {"xml", "application/sparql-results+xml"},
    [RESULTS_CSV] = {"csv", "text/csv; charset=utf-8"},
    [RESULTS_TSV] = {"tsv", "text/tab-separated-values; charset=utf-8"},
    [RESULTS_TABLE] = {"table", "text/plain; charset=utf-8"},
};

bool results_format_from_name(const char *name, results_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = (results_format)i;
            return true;
        }
    return false;
}

const char *results_media_type(results_format format) { return formats[format].media_type; }

/* ---- escaping ------------------------------------------------------------- */

/* Both escapers write the runs between escaped characters with one fwrite:
 * a character at a time costs a locked stdio call each in the server. */
static void json_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    size_t run = 0; /* first byte not written yet */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(s + run, 1, i - run, out);
        run = i + 1;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: fprintf(out, "\\u%04x", c);
        }
    }
    fwrite(s + run, 1, n - run, out);
    fputc('"', out);
}

static void xml_text(FILE *out, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *entity;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        default: continue;
        }
        fwrite(s + run, 1, i - run, out);
        fputs(entity, out);
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, out);
}

static void csv_field(FILE *out, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        fwrite(s, 1, n, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

/* N-Triples form, with tabs escaped too (TSV cells may not hold a tab). */
static char *tsv_term(const ck_term *t)
{
    char *nt = ck_term_to_ntriples(t);
    if (!nt || !strchr(nt, '\t'))
        return nt;
    size_t n = strlen(nt), tabs = 0;
    for (size_t i = 0; i < n; i++)
        tabs += nt[i] == '\t';
    char *out = malloc(n + tabs + 1);
    if (out) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (nt[i] == '\t') {
                out[k++] = '\\';
                out[k++] = 't';
            } else {
                out[k++] = nt[i];
            }
        }
        out[k] = 0;
    }
    free(nt);
    return out;
}

/* ---- documents --------------------------------------------------------------- */

results_writer *results_begin(FILE *out, results_format format, const char *const *vars,
                              int nvars)
{
    results_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->format = format;
    w->first_row = true;
    w->nvars = nvars;
    w->vars = calloc((size_t)nvars + 1, sizeof *w->vars);
    for (int i = 0; i < nvars && w->vars; i++)
        w->vars[i] = strdup(vars[i]);
    switch (format) {
    case RESULTS_JSON:
        fputs("{\"head\":{\"vars\":[", out);
        for (int i = 0; i < nvars; i++) {
            if (i)
                fputc(',', out);
            json_string(out, vars[i], strlen(vars[i]));
        }
        fputs("]},\"results\":{\"bindings\":[", out);
        break;
    case RESULTS_XML:
        fputs("<?xml version=\"1.0\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
              "<head>\n", out);
        for (int i = 0; i < nvars; i++) {
            fputs("  <variable name=\"", out);
            xml_text(out, vars[i], strlen(vars[i]));
            fputs("\"/>\n", out);
        }
        fputs("</head>\n<results>\n", out);
        break;
    case RESULTS_CSV:
        for (int i = 0; i < nvars; i++) {
            if (i)
                fputc(',', out);
            csv_field(out, vars[i], strlen(vars[i]));
        }
        fputs("\r\n", out);
        break;
    case RESULTS_TSV:
        for (int i = 0; i < nvars; i++)
            fprintf(out, "%s?%s", i ? "\t" : "", vars[i]);
        fputc('\n', out);
        break;
    case RESULTS_TABLE:
        break;
    }
    return w;
}

static void json_term(FILE *out, const ck_term *t)
{
    switch (t->kind) {
    case CK_TERM_IRI:
        fputs("{\"type\":\"uri\",\"value\":", out);
        json_string(out, t->value, t->value_len);
        break;
    case CK_TERM_BLANK:
        fputs("{\"type\":\"bnode\",\"value\":", out);
        json_string(out, t->value, t->value_len);
        break;
    case CK_TERM_LITERAL:
        fputs("{\"type\":\"literal\",\"value\":", out);
        json_string(out, t->value, t->value_len);
        if (t->lang) {
            fputs(",\"xml:lang\":", out);
            json_string(out, t->lang, t->lang_len);
        } else if (t->datatype) {
            fputs(",\"datatype\":", out);
            json_string(out, t->datatype, t->datatype_len);
        }
        break;
    }
    fputc('}', out);
}

static void xml_term(FILE *out, const ck_term *t)
{
    switch (t->kind) {
    case CK_TERM_IRI:
        fputs("<uri>", out);
        xml_text(out, t->value, t->value_len);
        fputs("</uri>", out);
        break;
    case CK_TERM_BLANK:
        fputs("<bnode>", out);
        xml_text(out, t->value, t->value_len);
        fputs("</bnode>", out);
        break;
    case CK_TERM_LITERAL:
        fputs("<literal", out);
        if (t->lang) {
            fputs(" xml:lang=\"", out);
            xml_text(out, t->lang, t->lang_len);
            fputc('"', out);
        } else if (t->datatype) {
            fputs(" datatype=\"", out);
            xml_text(out, t->datatype, t->datatype_len);
            fputc('"', out);
        }
        fputc('>', out);
        xml_text(out, t->value, t->value_len);
        fputs("</literal>", out);
        break;
    }
}

/* Text of a cell for people: N-Triples, but numbers and booleans bare as
 * Turtle writes them. */
static char *table_text(const ck_term *t)
{
    static const char *const bare[] = {CK_XSD "integer", CK_XSD "decimal", CK_XSD "double",
                                       CK_XSD "boolean"};
    if (t->kind == CK_TERM_LITERAL && t->datatype)
        for (size_t i = 0; i < sizeof bare / sizeof *bare; i++)
            if (t->datatype_len == strlen(bare[i]) &&
                memcmp(t->datatype, bare[i], t->datatype_len) == 0) {
                char *s = malloc(t->value_len + 1);
                if (s) {
                    memcpy(s, t->value, t->value_len);
                    s[t->value_len] = 0;
                }
                return s;
            }
    return ck_term_to_ntriples(t);
}

static bool table_keep(results_writer *w, char *cell)
{
    if (w->ncells == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 256;
        char **n = realloc(w->cells, ncap * sizeof *n);
        if (!n) {
            free(cell);
            return false;
        }
        w->cells = n;
        w->cap = ncap;
    }
    w->cells[w->ncells++] = cell;
    return true;
}

bool results_row(results_writer *w, const ck_term *const *terms)
{
    FILE *out = w->out;
    switch (w->format) {
    case RESULTS_JSON: {
        fputs(w->first_row ? "\n{" : ",\n{", out);
        bool first = true;
        for (int i = 0; i < w->nvars; i++) {
            if (!terms[i])
                continue;
            if (!first)
                fputc(',', out);
            first = false;
            json_string(out, w->vars[i], strlen(w->vars[i]));
            fputc(':', out);
            json_term(out, terms[i]);
        }
        fputc('}', out);
        break;
    }
    case RESULTS_XML:
        fputs("  <result>", out);
        for (int i = 0; i < w->nvars; i++) {
            if (!terms[i])
                continue;
            fputs("<binding name=\"", out);
            xml_text(out, w->vars[i], strlen(w->vars[i]));
            fputs("\">", out);
            xml_term(out, terms[i]);
            fputs("</binding>", out);
        }
        fputs("</result>\n", out);
        break;
    case RESULTS_CSV:
        for (int i = 0; i < w->nvars; i++) {
            if (i)
                fputc(',', out);
            const ck_term *t = terms[i];
            if (!t)
                continue;
            if (t->kind == CK_TERM_BLANK) {
                fputs("_:", out);
                fwrite(t->value, 1, t->value_len, out);
            } else {
                csv_field(out, t->value, t->value_len);
            }
        }
        fputs("\r\n", out);
        break;
    case RESULTS_TSV:
        for (int i = 0; i < w->nvars; i++) {
            if (i)
                fputc('\t', out);
            if (!terms[i])
                continue;
            char *s = tsv_term(terms[i]);
            if (!s)
                return !(w->failed = true);
            fputs(s, out);
            free(s);
        }
        fputc('\n', out);
        break;
    case RESULTS_TABLE:
        for (int i = 0; i < w->nvars; i++) {
            char *cell = terms[i] ? table_text(terms[i]) : strdup("");
            if (!cell || !table_keep(w, cell))
                return !(w->failed = true);
        }
        break;
    }
    w->first_row = false;
    return !ferror(out);
}

/* Display width of UTF-8 text: code points (good enough for a terminal). */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void table_line(FILE *out, const size_t *width, int n)
{
    for (int i = 0; i < n; i++) {
        fputc('+', out);
        for (size_t k = 0; k < width[i] + 2; k++)
            fputc('-', out);
    }
    fputs("+\n", out);
}

static void table_cell(FILE *out, const char *text, size_t width)
{
    fprintf(out, "| %s", text);
    for (size_t k = text_width(text); k < width + 1; k++)
        fputc(' ', out);
}

static void table_write(results_writer *w)
{
    FILE *out = w->out;
    int n = w->nvars;
    size_t rows = n ? w->ncells / (size_t)n : 0;
    size_t *width = calloc((size_t)n + 1, sizeof *width);
    if (!width)
        return;
    for (int i = 0; i < n; i++) {
        width[i] = text_width(w->vars[i]) + 1;
        for (size_t r = 0; r < rows; r++) {
            size_t cw = text_width(w->cells[r * (size_t)n + (size_t)i]);
            width[i] = cw > width[i] ? cw : width[i];
        }
    }
    table_line(out, width, n);
    for (int i = 0; i < n; i++) {
        char head[512];
        snprintf(head, sizeof head, "?%s", w->vars[i]);
        table_cell(out, head, width[i]);
    }
    fputs("|\n", out);
    table_line(out, width, n);
    for (size_t r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++)
            table_cell(out, w->cells[r * (size_t)n + (size_t)i], width[i]);
        fputs("|\n", out);
    }
    table_line(out, width, n);
    fprintf(out, "%zu row%s\n", rows, rows == 1 ? "" : "s");
    free(width);
}

bool results_end(results_writer *w)
{
    if (!w)
        return false;
    FILE *out = w->out;
    switch (w->format) {
    case RESULTS_JSON:
        fputs("\n]}}\n", out);
        break;
    case RESULTS_XML:
        fputs("</results>\n</sparql>\n", out);
        break;
    case RESULTS_TABLE:
        table_write(w);
        break;
    default:
        break;
    }
    bool ok = !w->failed && fflush(out) == 0 && !ferror(out);
    for (int i = 0; i < w->nvars && w->vars; i++)
        free(w->vars[i]);
    free(w->vars);
    for (size_t i = 0; i < w->ncells; i++)
        free(w->cells[i]);
    free(w->cells);
    free(w);
    return ok;
}

bool results_write_boolean(FILE *out, results_format format, bool value)
{
    const char *v = value ? "true" : "false";
    switch (format) {
    case RESULTS_JSON:
        fprintf(out, "{\"head\":{},\"boolean\":%s}\n", v);
        break;
    case RESULTS_XML:
        fprintf(out, "<?xml version=\"1.0\"?>\n<sparql xmlns=\"http://www.w3.org/2005/"
                     "sparql-results#\">\n<head/>\n<boolean>%s</boolean>\n</sparql>\n", v);
        break;
    case RESULTS_CSV:
        fprintf(out, "_askResult\r\n%s\r\n", v);
        break;
    case RESULTS_TSV:
        fprintf(out, "?_askResult\n%s\n", v);
        break;
    case RESULTS_TABLE:
        fprintf(out, "%s\n", v);
        break;
    }
    return fflush(out) == 0 && !ferror(out);
}
