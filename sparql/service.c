/*
 * service.c — SERVICE requests over libcurl and the parsers of their
 * answers (SPARQL Query Results JSON through jansson, XML through libxml2).
 */
#include "service.h"

#include <ctype.h>
#include <pthread.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* ---- owned strings of a result -------------------------------------------- */

struct service_strings {
    struct service_strings *next;
    char text[];
};

static const char *keep_string(service_result *r, const char *s, size_t len)
{
    struct service_strings *n = malloc(sizeof *n + len + 1);
    if (!n)
        return NULL;
    memcpy(n->text, s, len);
    n->text[len] = 0;
    n->next = r->strings;
    r->strings = n;
    return n->text;
}

void service_result_free(service_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nvars; i++)
        free(r->vars[i]);
    free(r->vars);
    free(r->cells);
    while (r->strings) {
        struct service_strings *n = r->strings->next;
        free(r->strings);
        r->strings = n;
    }
    memset(r, 0, sizeof *r);
}

static bool add_var(service_result *r, const char *name)
{
    char **nv = realloc(r->vars, (r->nvars + 1) * sizeof *nv);
    if (!nv)
        return false;
    r->vars = nv;
    return (r->vars[r->nvars++] = strdup(name)) != NULL;
}

static long var_index(const service_result *r, const char *name)
{
    for (size_t i = 0; i < r->nvars; i++)
        if (strcmp(r->vars[i], name) == 0)
            return (long)i;
    return -1;
}

/* Appends an all-unbound row and returns it. */
static ck_term *add_row(service_result *r, size_t *cap)
{
    if (r->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        ck_term *nc = realloc(r->cells, ncap * (r->nvars ? r->nvars : 1) * sizeof *nc);
        if (!nc)
            return NULL;
        r->cells = nc;
        *cap = ncap;
    }
    ck_term *row = r->cells + r->nrows++ * r->nvars;
    memset(row, 0, r->nvars * sizeof *row);
    return row;
}

/* Fills cell from the parts of a result term; false when out of memory or
 * the kind is unknown. */
static bool make_cell(service_result *r, ck_term *cell, const char *kind, const char *value,
                      const char *datatype, const char *lang)
{
    memset(cell, 0, sizeof *cell);
    if (!kind || !value)
        return false;
    if (strcmp(kind, "uri") == 0)
        cell->kind = CK_TERM_IRI;
    else if (strcmp(kind, "bnode") == 0)
        cell->kind = CK_TERM_BLANK;
    else if (strcmp(kind, "literal") == 0 || strcmp(kind, "typed-literal") == 0)
        cell->kind = CK_TERM_LITERAL;
    else
        return false;
    cell->value_len = strlen(value);
    if (!(cell->value = keep_string(r, value, cell->value_len)))
        return false;
    if (cell->kind == CK_TERM_LITERAL && lang && *lang) {
        cell->lang_len = strlen(lang);
        if (!(cell->lang = keep_string(r, lang, cell->lang_len)))
            return false;
    } else if (cell->kind == CK_TERM_LITERAL && datatype) {
        cell->datatype_len = strlen(datatype);
        if (!(cell->datatype = keep_string(r, datatype, cell->datatype_len)))
            return false;
        ck_term_normalize(cell);
    }
    return true;
}

/* ---- SPARQL Query Results JSON -------------------------------------------- */

static ck_status parse_json(const char *body, size_t len, service_result *r, ck_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    if (!root)
        return ck_error_set(err, CK_ERR_INVALID, "bad JSON results at line %d: %s", je.line,
                            je.text);
    ck_status st = CK_OK;
    json_t *vars = json_object_get(json_object_get(root, "head"), "vars");
    json_t *bindings = json_object_get(json_object_get(root, "results"), "bindings");
    size_t i, cap = 0;
    json_t *v;
    if (!json_is_array(bindings)) {
        st = ck_error_set(err, CK_ERR_INVALID, "JSON results without results.bindings");
        goto done;
    }
    json_array_foreach(vars, i, v)
    {
        if (json_is_string(v) && var_index(r, json_string_value(v)) < 0 &&
            !add_var(r, json_string_value(v))) {
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    json_t *solution;
    json_array_foreach(bindings, i, solution)
    {
        ck_term *row = add_row(r, &cap);
        if (!row) {
            st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
            goto done;
        }
        const char *name;
        json_t *val;
        json_object_foreach(solution, name, val)
        {
            long k = var_index(r, name);
            if (k < 0) {
                st = ck_error_set(err, CK_ERR_INVALID,
                                  "JSON results bind ?%s, which head.vars does not list", name);
                goto done;
            }
            if (!make_cell(r, &row[k], json_string_value(json_object_get(val, "type")),
                           json_string_value(json_object_get(val, "value")),
                           json_string_value(json_object_get(val, "datatype")),
                           json_string_value(json_object_get(val, "xml:lang")))) {
                st = ck_error_set(err, CK_ERR_INVALID, "JSON results: bad term for ?%s in row %zu",
                                  name, i + 1);
                goto done;
            }
        }
    }
done:
    json_decref(root);
    return st;
}

/* ---- SPARQL Query Results XML --------------------------------------------- */

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

static ck_status parse_xml_doc(xmlDoc *doc, service_result *r, ck_error *err)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !named(root, "sparql"))
        return ck_error_set(err, CK_ERR_INVALID, "XML results without a <sparql> element");
    const xmlNode *head = child(root, "head");
    for (const xmlNode *v = head ? head->children : NULL; v; v = v->next) {
        if (!named(v, "variable"))
            continue;
        xmlChar *name = xmlGetProp(v, (const xmlChar *)"name");
        bool ok = name && (var_index(r, (const char *)name) >= 0 || add_var(r, (const char *)name));
        xmlFree(name);
        if (!ok)
            return ck_error_set(err, CK_ERR_INVALID, "XML results: bad <variable>");
    }
    const xmlNode *results = child(root, "results");
    if (!results)
        return ck_error_set(err, CK_ERR_INVALID, "XML results without <results>");
    size_t cap = 0;
    for (const xmlNode *res = results->children; res; res = res->next) {
        if (!named(res, "result"))
            continue;
        ck_term *row = add_row(r, &cap);
        if (!row)
            return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        for (const xmlNode *b = res->children; b; b = b->next) {
            if (!named(b, "binding"))
                continue;
            xmlChar *name = xmlGetProp(b, (const xmlChar *)"name");
            long k = name ? var_index(r, (const char *)name) : -1;
            xmlFree(name);
            const xmlNode *t = b->children;
            while (t && t->type != XML_ELEMENT_NODE)
                t = t->next;
            if (k < 0 || !t)
                return ck_error_set(err, CK_ERR_INVALID,
                                    "XML results: a <binding> in row %zu names no listed variable "
                                    "or holds no term", r->nrows);
            xmlChar *value = xmlNodeGetContent(t);
            xmlChar *datatype = xmlGetProp(t, (const xmlChar *)"datatype");
            xmlChar *lang = xmlNodeGetLang(t);
            bool ok = make_cell(r, &row[k], (const char *)t->name, (const char *)value,
                                (const char *)datatype, (const char *)lang);
            xmlFree(value);
            xmlFree(datatype);
            xmlFree(lang);
            if (!ok)
                return ck_error_set(err, CK_ERR_INVALID, "XML results: bad term in row %zu",
                                    r->nrows);
        }
    }
    return CK_OK;
}

static ck_status parse_xml(const char *body, size_t len, service_result *r, ck_error *err)
{
    if (len > INT32_MAX)
        return ck_error_set(err, CK_ERR_INVALID, "XML results too large");
    /* XML_PARSE_NONET: an answer must not make us fetch its DTD or entities. */
    xmlDoc *doc = xmlReadMemory(body, (int)len, "results.srx", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        return ck_error_set(err, CK_ERR_INVALID, "bad XML results at line %d: %s",
                            e ? e->line : 0, e && e->message ? e->message : "not well-formed");
    }
    ck_status st = parse_xml_doc(doc, r, err);
    xmlFreeDoc(doc);
    return st;
}

ck_status service_parse_results(const char *body, size_t len, service_result *out,
                                ck_error *err)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len && isspace((unsigned char)body[i]))
        i++;
    ck_status st = i < len && body[i] == '{' ? parse_json(body, len, out, err)
                   : i < len && body[i] == '<' ? parse_xml(body, len, out, err)
                   : ck_error_set(err, CK_ERR_INVALID,
                                  "the answer is neither SPARQL JSON nor XML results");
    if (st)
        service_result_free(out);
    return st;
}

/* ---- the allow-list --------------------------------------------------------- */

bool service_allowed(const char *allow, const char *endpoint)
{
    const char *rest;
    if (strncmp(endpoint, "http://", 7) == 0)
        rest = endpoint + 7;
    else if (strncmp(endpoint, "https://", 8) == 0)
        rest = endpoint + 8;
    else
        return false;
    /* authority = [userinfo@]host[:port], up to the path, query or fragment */
    size_t alen = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', alen);
    if (at) {
        alen -= (size_t)(at + 1 - rest);
        rest = at + 1;
    }
    const char *colon = memchr(rest, ':', alen);
    size_t hlen = colon ? (size_t)(colon - rest) : alen;
    for (const char *p = allow ? allow : ""; *p;) {
        size_t n = strcspn(p, ",");
        const char *e = p, *end = p + n;
        while (e < end && isspace((unsigned char)*e))
            e++;
        while (end > e && isspace((unsigned char)end[-1]))
            end--;
        size_t elen = (size_t)(end - e);
        bool has_port = memchr(e, ':', elen) != NULL;
        if (elen && (has_port ? elen == alen && strncasecmp(e, rest, alen) == 0
                              : elen == hlen && strncasecmp(e, rest, hlen) == 0))
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* ---- the request -------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap, max;
    bool too_large;
} body_buffer;

static size_t on_body(char *ptr, size_t size, size_t n, void *arg)
{
    body_buffer *b = arg;
    size_t add = size * n;
    if (b->len + add > b->max) {
        b->too_large = true;
        return 0; /* stops the transfer */
    }
    if (b->len + add + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 65536;
        while (ncap < b->len + add + 1)
            ncap *= 2;
        char *nd = realloc(b->data, ncap);
        if (!nd)
            return 0;
        b->data = nd;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, ptr, add);
    b->len += add;
    b->data[b->len] = 0;
    return add;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    volatile bool *cancelled = arg;
    return cancelled && *cancelled; /* non-zero aborts */
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* A one-line excerpt of an error body, for the message. */
static void excerpt(const body_buffer *b, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len && n + 1 < size && b->data[i] != '\n'; i++)
        if (b->data[i] != '\r')
            out[n++] = b->data[i];
    out[n] = 0;
}

/* Performs a request prepared on curl (method, body, headers) with the
 * settings every request shares: http(s) only, no redirects (a redirect
 * could leave the allow-list), the time limit, cancellation and the size
 * cap. Errors start with what ("SERVICE <iri>", "LOAD <iri>"). *content_type
 * (may be NULL) receives a copy of the answer's Content-Type. */
static ck_status http_perform(CURL *curl, const char *what, const char *url,
                              const service_options *o, body_buffer *body, char **content_type,
                              ck_error *err)
{
    char curl_message[CURL_ERROR_SIZE] = "";
    body->max = o->max_bytes ? o->max_bytes : (size_t)256 << 20;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could leave the list */
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "citykg");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)o->cancelled);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_message);
    if (o->timeout_ms)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_ABORTED_BY_CALLBACK)
        return ck_error_set(err, CK_ERR_CANCELLED, "%s: %s", what,
                            rc == CURLE_OPERATION_TIMEDOUT ? "no answer within the time limit"
                                                           : "cancelled");
    if (body->too_large)
        return ck_error_set(err, CK_ERR_INVALID, "%s: the answer is larger than %zu MiB", what,
                            body->max >> 20);
    if (rc != CURLE_OK)
        return ck_error_set(err, CK_ERR_IO, "%s: %s", what,
                            curl_message[0] ? curl_message : curl_easy_strerror(rc));
    if (status < 200 || status > 299) {
        char first[200];
        excerpt(body, first, sizeof first);
        return ck_error_set(err, CK_ERR_IO, "%s: HTTP %ld%s%s", what, status, first[0] ? ": " : "",
                            first);
    }
    if (content_type) {
        char *type = NULL;
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
        *content_type = type ? strdup(type) : NULL;
    }
    return CK_OK;
}

ck_status service_query(const char *endpoint, const char *query, const service_options *o,
                        service_result *out, ck_error *err)
{
    memset(out, 0, sizeof *out);
    if (!service_allowed(o->allow, endpoint))
        return ck_error_set(err, CK_ERR_INVALID,
                            "SERVICE <%s>: the host is not on the allow-list (--allow-service)",
                            endpoint);
    pthread_once(&curl_once, curl_init_once);
    CURL *curl = curl_easy_init();
    if (!curl)
        return ck_error_set(err, CK_ERR_NOMEM, "SERVICE <%s>: cannot start libcurl", endpoint);
    char *escaped = curl_easy_escape(curl, query, 0);
    size_t flen = escaped ? strlen(escaped) + 7 : 0;
    char *form = escaped ? malloc(flen) : NULL;
    if (form)
        snprintf(form, flen, "query=%s", escaped);
    curl_free(escaped);
    struct curl_slist *headers = curl_slist_append(
        NULL, "Accept: application/sparql-results+json, application/sparql-results+xml;q=0.9");
    body_buffer body = {0};
    size_t wlen = strlen(endpoint) + 12;
    char *what = malloc(wlen);
    ck_status st = CK_OK;
    if (!form || !headers || !what) {
        st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
        goto done;
    }
    snprintf(what, wlen, "SERVICE <%s>", endpoint);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    st = http_perform(curl, what, endpoint, o, &body, NULL, err);
    if (st == CK_OK) {
        st = service_parse_results(body.data ? body.data : "", body.len, out, err);
        if (st) {
            ck_error e2 = *err;
            ck_error_set(err, st, "%s: %s", what, e2.message);
        }
    }
done:
    curl_slist_free_all(headers);
    free(form);
    free(what);
    free(body.data);
    curl_easy_cleanup(curl);
    return st;
}

ck_status service_get(const char *url, const char *accept, const service_options *o,
                        char **body_out, size_t *len, char **content_type, ck_error *err)
{
    *body_out = NULL;
    *len = 0;
    *content_type = NULL;
    if (!service_allowed(o->allow, url))
        return ck_error_set(err, CK_ERR_FORBIDDEN, "<%s>: the host is not on the allow-list", url);
    pthread_once(&curl_once, curl_init_once);
    CURL *curl = curl_easy_init();
    size_t alen = strlen(accept) + 9, wlen = strlen(url) + 3;
    char *accept_header = malloc(alen), *what = malloc(wlen);
    struct curl_slist *headers = NULL;
    body_buffer body = {0};
    ck_status st;
    if (curl && accept_header && what) {
        snprintf(accept_header, alen, "Accept: %s", accept);
        snprintf(what, wlen, "<%s>", url);
        headers = curl_slist_append(NULL, accept_header);
    }
    if (!headers) {
        st = ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    } else {
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        st = http_perform(curl, what, url, o, &body, content_type, err);
    }
    if (st == CK_OK) {
        *body_out = body.data ? body.data : strdup("");
        *len = body.len;
        body.data = NULL;
    }
    curl_slist_free_all(headers);
    free(accept_header);
    free(what);
    free(body.data);
    if (curl)
        curl_easy_cleanup(curl);
    return st;
}
