/*
 * http_negotiate.c — Accept and Accept-Encoding parsing and the tables of
 * media types per format.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_negotiate.h"

typedef struct {
    const char *media_type; /* what the client names */
    const char *name;       /* format= name, NULL for aliases */
    int format;             /* results_format or graph_format */
    const char *content_type; /* what is sent back */
} media;

/* In server preference order; aliases after the canonical types. */
static const media result_media[] = {
    {"application/sparql-results+json", "json", RESULTS_JSON, "application/sparql-results+json"},
    {"application/sparql-results+xml", "xml", RESULTS_XML, "application/sparql-results+xml"},
    {"text/csv", "csv", RESULTS_CSV, "text/csv; charset=utf-8"},
    {"text/tab-separated-values", "tsv", RESULTS_TSV, "text/tab-separated-values; charset=utf-8"},
    {"application/json", NULL, RESULTS_JSON, "application/sparql-results+json"},
    {"application/xml", NULL, RESULTS_XML, "application/sparql-results+xml"},
    {"text/xml", NULL, RESULTS_XML, "application/sparql-results+xml"},
};
static const media graph_media[] = {
    {"text/turtle", "turtle", GRAPH_TURTLE, "text/turtle; charset=utf-8"},
    {"application/n-triples", "ntriples", GRAPH_NTRIPLES, "application/n-triples"},
    {"application/n-quads", "nquads", GRAPH_NQUADS, "application/n-quads"},
    {"application/rdf+xml", "rdfxml", GRAPH_RDFXML, "application/rdf+xml"},
    {"application/ld+json", "jsonld", GRAPH_JSONLD, "application/ld+json"},
    {"application/x-turtle", NULL, GRAPH_TURTLE, "text/turtle; charset=utf-8"},
    {"text/plain", NULL, GRAPH_NTRIPLES, "application/n-triples"},
};

/* Compares a media type with the start of s up to a ';' or the end,
 * ignoring case and surrounding blanks. */
static bool same_type(const char *type, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strlen(type) == n && strncasecmp(type, s, n) == 0;
}

double accept_quality(const char *accept, const char *type)
{
    if (!accept || !*accept)
        return 1.0;
    const char *slash = strchr(type, '/');
    size_t major = slash ? (size_t)(slash - type) : strlen(type);
    int best_rank = 0;
    double best_q = 0.0;
    for (const char *p = accept; *p;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *range_end = semi ? semi : end;
        double q = 1.0;
        for (const char *a = semi; a && a < end; a = memchr(a + 1, ';', (size_t)(end - a - 1))) {
            const char *v = a + 1;
            while (v < end && isspace((unsigned char)*v))
                v++;
            if (end - v > 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
                q = strtod(v + 2, NULL);
        }
        /* rank: exact 3, type/ * 2, * / * 1 */
        int rank = 0;
        const char *r = p;
        while (r < range_end && isspace((unsigned char)*r))
            r++;
        size_t rn = (size_t)(range_end - r);
        while (rn && isspace((unsigned char)r[rn - 1]))
            rn--;
        if (same_type(type, r, rn))
            rank = 3;
        else if (rn == major + 2 && strncasecmp(r, type, major) == 0 && r[major] == '/' &&
                 r[major + 1] == '*')
            rank = 2;
        else if (rn == 3 && strncmp(r, "*/*", 3) == 0)
            rank = 1;
        if (rank > best_rank) {
            best_rank = rank;
            best_q = q;
        }
        p = *end ? end + 1 : end;
    }
    return best_q < 0 ? 0 : best_q > 1 ? 1 : best_q;
}

static negotiate_result choose(const media *table, size_t n, const char *accept,
                               const char *format_param, int *out, const char **content_type)
{
    if (format_param && *format_param) {
        for (size_t i = 0; i < n; i++)
            if ((table[i].name && strcasecmp(format_param, table[i].name) == 0) ||
                same_type(table[i].media_type, format_param, strcspn(format_param, ";"))) {
                *out = table[i].format;
                *content_type = table[i].content_type;
                return NEGOTIATE_OK;
            }
        return NEGOTIATE_UNKNOWN_FORMAT;
    }
    double best = 0;
    for (size_t i = 0; i < n; i++) {
        double q = accept_quality(accept, table[i].media_type);
        if (q > best) {
            best = q;
            *out = table[i].format;
            *content_type = table[i].content_type;
        }
    }
    return best > 0 ? NEGOTIATE_OK : NEGOTIATE_NOT_ACCEPTABLE;
}

negotiate_result negotiate_results(const char *accept, const char *format_param,
                                   results_format *out, const char **media_type)
{
    int f = RESULTS_JSON;
    negotiate_result r = choose(result_media, sizeof result_media / sizeof *result_media,
                                accept, format_param, &f, media_type);
    *out = (results_format)f;
    return r;
}

negotiate_result negotiate_graph(const char *accept, const char *format_param, graph_format *out,
                                 const char **media_type)
{
    int f = GRAPH_TURTLE;
    negotiate_result r = choose(graph_media, sizeof graph_media / sizeof *graph_media, accept,
                                format_param, &f, media_type);
    *out = (graph_format)f;
    return r;
}

const char *negotiate_offered(bool graph)
{
    return graph ? "text/turtle, application/n-triples, application/n-quads, "
                   "application/rdf+xml, application/ld+json"
                 : "application/sparql-results+json, application/sparql-results+xml, "
                   "text/csv, text/tab-separated-values";
}

bool accepts_gzip(const char *accept_encoding)
{
    if (!accept_encoding)
        return false;
    /* codings are tokens, not media types; gzip or x-gzip beat "*" */
    double q = -1;
    for (const char *p = accept_encoding; *p;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        size_t tok = strcspn(p, ";,");
        if (same_type("gzip", p, tok) || same_type("x-gzip", p, tok) ||
            (q < 0 && same_type("*", p, tok))) {
            const char *qs = memchr(p, ';', (size_t)(end - p));
            q = 1.0;
            if (qs && (qs = strstr(qs, "q=")) && qs < end)
                q = strtod(qs + 2, NULL);
        }
        p = *end ? end + 1 : end;
    }
    return q > 0;
}
