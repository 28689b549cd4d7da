/*
 * protocol_runner.c — the W3C SPARQL 1.1 Protocol and Graph Store HTTP
 * Protocol tests, run over HTTP against the real `citykg serve` on a
 * loopback port and a fresh LMDB store.
 *
 * The manifests (sparql11/protocol/manifest.ttl, graph-store-protocol/
 * manifest-{indirect,direct}.ttl) describe each test as HTTP requests
 * (ht:Request: method, path, headers, body) and what their responses must
 * be (mf:expectedStatus, mf:expectedFormat, mf:expectedBoolean, response
 * headers and an RDF body compared by isomorphism, mf:expectedLocation
 * as a template for later requests). This program reads them with raptor
 * (manifest.h), sends the requests with libcurl in order and checks every
 * response. Paths starting /sparql/ go to /sparql, /gsp to /data.
 *
 * Every request carries an admin token: access control is not what these
 * tests are about (tests/integration/server_acl.sh is). The server runs
 * with strict_default_graph, the specification's dataset. Before each
 * test the store is emptied (DROP ALL) and the test's ut:graphData loaded
 * into its named graphs through the graph store.
 *
 * The service description tests (sparql11/service-description) say what
 * they check in prose only; the runner implements each by name: the
 * endpoint answers a GET without a query with RDF (returns-rdf), that RDF
 * has `?service sd:endpoint <the URL asked>` (has-endpoint-triple), and it
 * follows the vocabulary's schema (conforms-to-schema: see
 * check_schema).
 *
 * usage: protocol-runner --citykg PATH --suite-dir DIR
 *                        --suite protocol|graph-store|service-description
 *                        [--known-failures FILE] [--report FILE]
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <raptor2.h>

#include "manifest.h"
#include "proc.h"
#include "rdf_iso.h"
#include "runner_common.h"

#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define HT "http://www.w3.org/2011/http#"
#define HTS "http://www.w3.org/2011/http-statusCodes#"
#define CNT "http://www.w3.org/2011/content#"
#define UT "http://www.w3.org/2009/sparql/tests/test-update#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"

typedef struct {
    char *data;
    size_t len;
} buffer;

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
    buffer *b = ctx;
    char *d = realloc(b->data, b->len + size * n + 1);
    if (!d)
        return 0;
    memcpy(d + b->len, p, size * n);
    b->data = d;
    b->len += size * n;
    d[b->len] = 0;
    return size * n;
}

/* One response: status, headers (raw), body. */
typedef struct {
    long status;
    buffer headers, body;
    char error[CURL_ERROR_SIZE];
} response;

static void response_free(response *r)
{
    free(r->headers.data);
    free(r->body.data);
    memset(r, 0, sizeof *r);
}

/* The value of header NAME in R, without surrounding blanks, into BUF. */
static const char *response_header(const response *r, const char *name, char *buf, size_t len)
{
    buf[0] = 0;
    size_t n = strlen(name);
    for (const char *p = r->headers.data; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, "\r\n");
            if (k >= len)
                k = len - 1;
            memcpy(buf, v, k);
            buf[k] = 0;
            return buf;
        }
    }
    return buf;
}

typedef struct {
    const char *base_url; /* http://127.0.0.1:PORT */
    const char *token;
} server;

/* Sends one request; headers as "Name: value" lines (NULL-terminated). */
static int send_request(const server *srv, const char *method, const char *path,
                        const char *const *headers, const char *body, size_t body_len,
                        response *r)
{
    memset(r, 0, sizeof *r);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char *url = NULL, auth[256];
    if (asprintf(&url, "%s%s", srv->base_url, path) < 0) {
        curl_easy_cleanup(c);
        return -1;
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", srv->token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    bool has_type = false;
    for (size_t i = 0; headers && headers[i]; i++) {
        h = curl_slist_append(h, headers[i]);
        has_type = has_type || strncasecmp(headers[i], "content-type:", 13) == 0;
    }
    h = curl_slist_append(h, "Expect:");
    if (body && !has_type) /* libcurl would add a form type the test did not send */
        h = curl_slist_append(h, "Content-Type:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(url);
    return rc == CURLE_OK ? 0 : -1;
}

/* ---- expectations ---------------------------------------------------------- */

/* Whether status matches hts:<name>: a class (StatusCode2xx) or a code. */
static bool status_matches(long status, const char *iri)
{
    if (strncmp(iri, HTS, strlen(HTS)) != 0)
        return false;
    const char *name = iri + strlen(HTS);
    if (strncmp(name, "StatusCode", 10) == 0 && strlen(name) == 13)
        return status / 100 == name[10] - '0';
    static const struct { const char *name; long code; } codes[] = {
        {"OK", 200},       {"Created", 201},   {"NoContent", 204}, {"BadRequest", 400},
        {"NotFound", 404}, {"MethodNotAllowed", 405}, {"UnsupportedMediaType", 415}};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(name, codes[i].name) == 0)
            return status == codes[i].code;
    return false;
}

static void media_type(const char *content_type, char *out, size_t len)
{
    size_t k = strcspn(content_type, ";");
    while (k && isspace((unsigned char)content_type[k - 1]))
        k--;
    if (k >= len)
        k = len - 1;
    for (size_t i = 0; i < k; i++)
        out[i] = (char)tolower((unsigned char)content_type[i]);
    out[k] = 0;
}

static const char *raptor_syntax_of(const char *media)
{
    return strcmp(media, "text/turtle") == 0 ? "turtle"
         : strcmp(media, "application/n-triples") == 0 ? "ntriples"
         : strcmp(media, "application/rdf+xml") == 0 ? "rdfxml"
         : strcmp(media, "application/n-quads") == 0 ? "nquads" : NULL;
}

/* The boolean of an ASK result in JSON or XML; -1 if none. */
static int result_boolean(const char *media, const char *body)
{
    char squeezed[256];
    size_t j = 0;
    for (const char *p = body; *p && j + 1 < sizeof squeezed; p++)
        if (!isspace((unsigned char)*p))
            squeezed[j++] = *p;
    squeezed[j] = 0;
    if (strcmp(media, "application/sparql-results+json") == 0)
        return strstr(squeezed, "\"boolean\":true") ? 1 : strstr(squeezed, "\"boolean\":false") ? 0 : -1;
    if (strcmp(media, "application/sparql-results+xml") == 0)
        return strstr(squeezed, "<boolean>true</boolean>") ? 1
             : strstr(squeezed, "<boolean>false</boolean>") ? 0 : -1;
    return -1;
}

typedef struct {
    const mgraph *g;
    rdf_iso *iso;
    const server *srv;
    char location[1024]; /* $LOCATION$ of this test */
    char why[2048];
} test_run;

/* Replaces $LOCATION$ in s (malloc'd result). */
static char *substitute(const test_run *t, const char *s)
{
    const char *var = "$LOCATION$";
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, var)); p += strlen(var))
        n++;
    char *out = malloc(strlen(s) + n * strlen(t->location) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p;) {
        if (strncmp(p, var, strlen(var)) == 0) {
            o = stpcpy(o, t->location);
            p += strlen(var);
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

/* The server path for a manifest path. */
static char *server_path(const char *path)
{
    char *out = NULL;
    if (strncmp(path, "/sparql/", 8) == 0 || strcmp(path, "/sparql") == 0)
        return asprintf(&out, "/sparql%s", path + (path[7] ? 8 : 7)) < 0 ? NULL : out;
    if (strncmp(path, "/gsp", 4) == 0)
        return asprintf(&out, "/data%s", path + 4) < 0 ? NULL : out;
    return strdup(path);
}

/* Checks response r against the ht:Response node resp; false with t->why. */
static bool check_response(test_run *t, const mterm *resp, const response *r)
{
    const mterm *statuses[8];
    size_t ns = manifest_objects(t->g, resp, MF "expectedStatus", statuses, 8);
    bool status_ok = ns == 0;
    for (size_t i = 0; i < ns && !status_ok; i++)
        status_ok = status_matches(r->status, statuses[i]->s);
    if (!status_ok) {
        snprintf(t->why, sizeof t->why, "status %ld, expected %s; body: %.300s", r->status,
                 statuses[0]->s + strlen(HTS), r->body.data ? r->body.data : "");
        return false;
    }
    char ct[256], media[128];
    response_header(r, "content-type", ct, sizeof ct);
    media_type(ct, media, sizeof media);
    const mterm *format = manifest_object(t->g, resp, MF "expectedFormat");
    if (format) {
        static const char *const boolean[] = {"application/sparql-results+json",
                                              "application/sparql-results+xml", NULL};
        static const char *const tabular[] = {"application/sparql-results+json",
                                              "application/sparql-results+xml", "text/csv",
                                              "text/tab-separated-values", NULL};
        static const char *const rdf[] = {"text/turtle", "application/rdf+xml",
                                          "application/n-triples", NULL};
        const char *const *ok = strcmp(format->s, "boolean") == 0   ? boolean
                              : strcmp(format->s, "tabular") == 0 ? tabular : rdf;
        bool found = false;
        for (size_t i = 0; ok[i] && !found; i++)
            found = strcmp(media, ok[i]) == 0;
        if (!found) {
            snprintf(t->why, sizeof t->why, "Content-Type '%s' is not a %s format", ct, format->s);
            return false;
        }
    }
    const mterm *expected_bool = manifest_object(t->g, resp, MF "expectedBoolean");
    if (expected_bool) {
        int want = strcmp(expected_bool->s, "true") == 0;
        int got = result_boolean(media, r->body.data ? r->body.data : "");
        if (got != want) {
            snprintf(t->why, sizeof t->why, "expected boolean %s, got: %.300s", expected_bool->s,
                     r->body.data ? r->body.data : "");
            return false;
        }
    }
    const mterm *headers = manifest_object(t->g, resp, HT "headers");
    const mterm *items[16];
    size_t nh = headers ? manifest_list(t->g, headers, items, 16) : 0;
    for (size_t i = 0; i < nh; i++) {
        const mterm *name = manifest_object(t->g, items[i], HT "fieldName");
        const mterm *value = manifest_object(t->g, items[i], HT "fieldValue");
        char got[512];
        if (name && value && strcasecmp(response_header(r, name->s, got, sizeof got), value->s)) {
            snprintf(t->why, sizeof t->why, "header %s: '%s', expected '%s'", name->s, got, value->s);
            return false;
        }
    }
    const mterm *body = manifest_object(t->g, resp, HT "body");
    const mterm *chars = body ? manifest_object(t->g, body, CNT "chars") : NULL;
    if (chars) {
        const char *syntax = raptor_syntax_of(media);
        char err[512] = "";
        rdf_dataset *want = rdf_dataset_load_string(t->iso, chars->s, "turtle", err, sizeof err);
        rdf_dataset *got = syntax && r->body.data
                               ? rdf_dataset_load_string(t->iso, r->body.data, syntax, err, sizeof err)
                               : NULL;
        int iso = want && got ? rdf_dataset_isomorphic(t->iso, want, got, t->why, sizeof t->why) : 0;
        if (!want || !got)
            snprintf(t->why, sizeof t->why, "cannot compare the body (%s): %s", ct, err);
        rdf_dataset_free(want);
        rdf_dataset_free(got);
        if (iso != 1)
            return false;
    }
    const mterm *location = manifest_object(t->g, resp, MF "expectedLocation");
    if (location) {
        response_header(r, "location", t->location, sizeof t->location);
        if (!t->location[0]) {
            snprintf(t->why, sizeof t->why, "no Location header");
            return false;
        }
    }
    return true;
}

/* Runs one ht:Request; false with t->why. */
static bool run_request(test_run *t, const mterm *req, size_t index)
{
    const mterm *method = manifest_object(t->g, req, HT "methodName");
    const mterm *path = manifest_object(t->g, req, HT "absolutePath");
    const mterm *resp = manifest_object(t->g, req, HT "resp");
    if (!method || !path || !resp) {
        snprintf(t->why, sizeof t->why, "request %zu: no method, path or response", index);
        return false;
    }
    const mterm *body_node = manifest_object(t->g, req, HT "body");
    const mterm *chars = body_node ? manifest_object(t->g, body_node, CNT "chars") : NULL;
    const mterm *headers = manifest_object(t->g, req, HT "headers");
    const mterm *items[16];
    size_t nh = headers ? manifest_list(t->g, headers, items, 16) : 0;
    char *lines[17] = {0};
    for (size_t i = 0; i < nh; i++) {
        const mterm *name = manifest_object(t->g, items[i], HT "fieldName");
        const mterm *value = manifest_object(t->g, items[i], HT "fieldValue");
        if (name && value && asprintf(&lines[i], "%s: %s", name->s, value->s) < 0)
            lines[i] = NULL;
    }
    char *p = substitute(t, path->s), *sp = p ? server_path(p) : NULL;
    char *body = chars ? substitute(t, chars->s) : NULL;
    response r;
    bool ok = sp && send_request(t->srv, method->s, sp, (const char *const *)lines, body,
                                 body ? strlen(body) : 0, &r) == 0;
    if (!ok)
        snprintf(t->why, sizeof t->why, "request %zu (%s %s) failed: %s", index, method->s,
                 sp ? sp : "?", sp ? r.error : "out of memory");
    else if (!check_response(t, resp, &r)) {
        char where[512];
        snprintf(where, sizeof where, "request %zu (%s %s): ", index, method->s, sp);
        size_t pn = strlen(where), wn = strnlen(t->why, sizeof t->why - 1);
        if (pn + wn >= sizeof t->why)
            wn = sizeof t->why - pn - 1;
        memmove(t->why + pn, t->why, wn);
        memcpy(t->why, where, pn);
        t->why[pn + wn] = 0;
        ok = false;
    }
    if (sp)
        response_free(&r);
    for (size_t i = 0; i < nh; i++)
        free(lines[i]);
    free(p);
    free(sp);
    free(body);
    return ok;
}

/* Empties the store and loads the test's ut:graphData; false with why. */
static bool prepare(test_run *t, const mterm *test)
{
    response r;
    const char *form[] = {"Content-Type: application/sparql-update", NULL};
    if (send_request(t->srv, "POST", "/sparql", form, "DROP ALL", 8, &r) != 0 || r.status != 204) {
        snprintf(t->why, sizeof t->why, "DROP ALL before the test: %ld %.200s", r.status,
                 r.body.data ? r.body.data : r.error);
        response_free(&r);
        return false;
    }
    response_free(&r);
    const mterm *data[8];
    size_t n = manifest_objects(t->g, test, UT "graphData", data, 8);
    for (size_t i = 0; i < n; i++) {
        const mterm *file = manifest_object(t->g, data[i], UT "graph");
        const mterm *label = manifest_object(t->g, data[i], RDFS "label");
        char *path = file ? manifest_local_path(file->s) : NULL;
        FILE *f = path ? fopen(path, "rb") : NULL;
        buffer b = {0};
        char chunk[4096];
        size_t k;
        while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
            collect(chunk, 1, k, &b);
        if (f)
            fclose(f);
        char *enc = label ? curl_easy_escape(NULL, label->s, 0) : NULL, *target = NULL;
        const char *nt[] = {"Content-Type: application/n-triples", NULL};
        bool ok = b.data && enc && asprintf(&target, "/data?graph=%s", enc) >= 0 &&
                  send_request(t->srv, "PUT", target, nt, b.data, b.len, &r) == 0 &&
                  r.status / 100 == 2;
        if (!ok)
            snprintf(t->why, sizeof t->why, "loading %s: %s", path ? path : "graph data",
                     r.body.data ? r.body.data : "cannot read it");
        response_free(&r);
        curl_free(enc);
        free(target);
        free(path);
        free(b.data);
        if (!ok)
            return false;
    }
    return true;
}

static const char *local_name(const char *iri)
{
    const char *h = strrchr(iri, '#');
    return h ? h + 1 : iri;
}

/* ---- service description ------------------------------------------------------- */

#define SD "http://www.w3.org/ns/sparql-service-description#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

static bool has_type(const mgraph *g, const mterm *node, const char *type)
{
    const mterm *types[16];
    size_t n = manifest_objects(g, node, RDF_TYPE, types, 16);
    for (size_t i = 0; i < n; i++)
        if (types[i]->kind == 'I' && strcmp(types[i]->s, type) == 0)
            return true;
    return false;
}

/* The schema of the service description vocabulary, as far as it
 * constrains a description: every sd:Service has an sd:endpoint IRI; its
 * sd:supportedLanguage values are the three languages the vocabulary
 * defines; sd:resultFormat, sd:inputFormat, sd:feature and
 * sd:defaultEntailmentRegime values are IRIs; an sd:defaultDataset is an
 * sd:Dataset whose sd:defaultGraph is an sd:Graph. */
static bool check_schema(const mgraph *g, char *why, size_t len)
{
    size_t services = 0;
    for (size_t i = 0; i < g->n; i++) {
        const mtriple *t = &g->t[i];
        const char *p = t->p.s;
        if (strcmp(p, RDF_TYPE) == 0 && strcmp(t->o.s, SD "Service") == 0) {
            services++;
            const mterm *e = manifest_object(g, &t->s, SD "endpoint");
            if (!e || e->kind != 'I') {
                snprintf(why, len, "an sd:Service without an sd:endpoint IRI");
                return false;
            }
        } else if (strcmp(p, SD "supportedLanguage") == 0) {
            if (strcmp(t->o.s, SD "SPARQL10Query") && strcmp(t->o.s, SD "SPARQL11Query") &&
                strcmp(t->o.s, SD "SPARQL11Update")) {
                snprintf(why, len, "sd:supportedLanguage %s is not a language of the vocabulary",
                         t->o.s);
                return false;
            }
        } else if (!strcmp(p, SD "resultFormat") || !strcmp(p, SD "inputFormat") ||
                   !strcmp(p, SD "feature") || !strcmp(p, SD "defaultEntailmentRegime")) {
            if (t->o.kind != 'I') {
                snprintf(why, len, "%s of a literal or blank node", p);
                return false;
            }
        } else if (strcmp(p, SD "defaultDataset") == 0) {
            const mterm *dg = manifest_object(g, &t->o, SD "defaultGraph");
            if (!has_type(g, &t->o, SD "Dataset") || (dg && !has_type(g, dg, SD "Graph"))) {
                snprintf(why, len, "sd:defaultDataset is not an sd:Dataset with an sd:Graph");
                return false;
            }
        }
    }
    if (services != 1)
        snprintf(why, len, "%zu sd:Service nodes, expected 1", services);
    return services == 1;
}

/* One service description test, by name; false with t->why. */
static bool run_description_test(test_run *t, raptor_world *world, const char *dir,
                                 const char *name)
{
    response r;
    const char *accept[] = {"Accept: text/turtle", NULL};
    if (send_request(t->srv, "GET", "/sparql", accept, NULL, 0, &r) != 0) {
        snprintf(t->why, sizeof t->why, "GET /sparql failed: %s", r.error);
        return false;
    }
    char ct[256], media[128], path[4096];
    media_type(response_header(&r, "content-type", ct, sizeof ct), media, sizeof media);
    snprintf(path, sizeof path, "%s/description.ttl", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fwrite(r.body.data ? r.body.data : "", 1, r.body.len, f);
        fclose(f);
    }
    mgraph g = {0};
    char err[512] = "";
    bool ok = r.status == 200 && strcmp(media, "text/turtle") == 0 && f &&
              manifest_graph_load(world, path, &g, err, sizeof err) == 0 && g.n > 0;
    if (!ok)
        snprintf(t->why, sizeof t->why, "status %ld, Content-Type '%s', %zu triples %s", r.status,
                 ct, g.n, err);
    if (ok && strcmp(name, "has-endpoint-triple") == 0) {
        char endpoint[512];
        snprintf(endpoint, sizeof endpoint, "%s/sparql", t->srv->base_url);
        ok = false;
        for (size_t i = 0; i < g.n && !ok; i++)
            ok = strcmp(g.t[i].p.s, SD "endpoint") == 0 && strcmp(g.t[i].o.s, endpoint) == 0;
        if (!ok)
            snprintf(t->why, sizeof t->why, "no sd:endpoint <%s>", endpoint);
    } else if (ok && strcmp(name, "conforms-to-schema") == 0) {
        ok = check_schema(&g, t->why, sizeof t->why);
    } else if (ok && strcmp(name, "returns-rdf") != 0) {
        snprintf(t->why, sizeof t->why, "the runner does not know this test");
        ok = false;
    }
    manifest_graph_free(&g);
    response_free(&r);
    return ok;
}

/* ---- the server ---------------------------------------------------------------- */

static pid_t server_pid;

static int start_server(const char *citykg, const char *dir, char *url, size_t len)
{
    char store[4096], config[4096], log[4096];
    snprintf(store, sizeof store, "%s/store", dir);
    snprintf(config, sizeof config, "%s/serve.json", dir);
    snprintf(log, sizeof log, "%s/server.log", dir);
    FILE *f = fopen(config, "w");
    if (!f)
        return -1;
    fputs("{ \"strict_default_graph\": true, \"query_timeout_ms\": 30000 }\n", f);
    fclose(f);
    server_pid = fork();
    if (server_pid < 0)
        return -1;
    if (server_pid == 0) {
        if (!freopen(log, "w", stderr) || !freopen("/dev/null", "r", stdin))
            _exit(127);
        execl(citykg, citykg, "serve", "--data", store, "--port", "0", "--config", config,
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        usleep(50000);
        f = fopen(log, "r");
        char line[1024];
        while (f && fgets(line, sizeof line, f)) {
            char *u = strstr(line, "\"url\":\"");
            if (u && strstr(line, "\"listening\"")) {
                u += 7;
                size_t k = strcspn(u, "\"");
                snprintf(url, len, "%.*s", (int)k, u);
                fclose(f);
                return 0;
            }
        }
        if (f)
            fclose(f);
    }
    fprintf(stderr, "the server did not start; see %s\n", log);
    return -1;
}

static int stop_server(void)
{
    int status = 0;
    if (server_pid <= 0)
        return -1;
    kill(server_pid, SIGTERM);
    waitpid(server_pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- main ------------------------------------------------------------------------- */

static const char *arg(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

int main(int argc, char **argv)
{
    const char *citykg = arg(argc, argv, "--citykg"), *suite_dir = arg(argc, argv, "--suite-dir");
    const char *suite = arg(argc, argv, "--suite"), *known_path = arg(argc, argv, "--known-failures");
    const char *report_path = arg(argc, argv, "--report");
    bool description = suite && strcmp(suite, "service-description") == 0;
    if (!citykg || !suite_dir || !suite ||
        (strcmp(suite, "protocol") != 0 && strcmp(suite, "graph-store") != 0 && !description)) {
        fprintf(stderr, "usage: protocol-runner --citykg PATH --suite-dir DIR --suite "
                        "protocol|graph-store|service-description [--known-failures FILE] "
                        "[--report FILE]\n");
        return 2;
    }
    known_failure *known = NULL;
    size_t n_known = 0;
    if (known_path && known_failures_load(known_path, &known, &n_known) != 0)
        return 2;
    char manifests[2][4096];
    int n_manifests = 0;
    if (strcmp(suite, "protocol") == 0 || description) {
        snprintf(manifests[n_manifests++], sizeof manifests[0], "%s/sparql11/%s/manifest.ttl",
                 suite_dir, suite);
    } else {
        snprintf(manifests[n_manifests++], sizeof manifests[0],
                 "%s/sparql11/graph-store-protocol/manifest-indirect.ttl", suite_dir);
        snprintf(manifests[n_manifests++], sizeof manifests[0],
                 "%s/sparql11/graph-store-protocol/manifest-direct.ttl", suite_dir);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    proc_init();
    raptor_world *world = raptor_new_world();
    rdf_iso *iso = rdf_iso_new();
    char dir[] = "/tmp/citykg-protocol-XXXXXX";
    if (!world || !iso || !mkdtemp(dir)) {
        fprintf(stderr, "cannot set up the runner\n");
        return 2;
    }
    /* an admin token, made before the server opens the store */
    char store[4096], token_out[4096], token_err[4096], token[256] = "";
    snprintf(store, sizeof store, "%s/store", dir);
    snprintf(token_out, sizeof token_out, "%s/token.out", dir);
    snprintf(token_err, sizeof token_err, "%s/token.err", dir);
    char *targv[] = {(char *)citykg, "token", "create", "--data", store, "--role", "admin",
                     "--label", "w3c protocol runner", NULL};
    proc_status ps;
    if (proc_run(targv, token_out, token_err, 60, &ps) != 0 || !proc_ok(&ps) ||
        !output_first_line(token_out, token, sizeof token)[0]) {
        fprintf(stderr, "citykg token create failed (see %s)\n", token_err);
        return 2;
    }
    char url[256];
    if (start_server(citykg, dir, url, sizeof url) != 0)
        return 2;
    server srv = {url, token};
    FILE *report = report_path ? fopen(report_path, "w") : NULL;
    if (report)
        fprintf(report, "# W3C SPARQL 1.1 %s tests against citykg serve\n\n| test | result |\n|---|---|\n",
                description ? "Service Description"
                : strcmp(suite, "protocol") == 0 ? "Protocol" : "Graph Store Protocol");
    size_t passed = 0, failed = 0, known_failed = 0, fixed = 0;
    for (int m = 0; m < n_manifests; m++) {
        mgraph g = {0};
        char err[1024];
        if (manifest_graph_load(world, manifests[m], &g, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", manifests[m], err);
            failed++;
            continue;
        }
        const mterm *manifest = NULL;
        for (size_t i = 0; i < g.n && !manifest; i++)
            if (strcmp(g.t[i].p.s, MF "entries") == 0)
                manifest = &g.t[i].s;
        const mterm *entries_head = manifest ? manifest_object(&g, manifest, MF "entries") : NULL;
        const mterm *entries[64];
        size_t n = entries_head ? manifest_list(&g, entries_head, entries, 64) : 0;
        for (size_t e = 0; e < n; e++) {
            test_run t = {.g = &g, .iso = iso, .srv = &srv};
            const mterm *action = manifest_object(&g, entries[e], MF "action");
            const mterm *reqs = action ? manifest_object(&g, action, HT "requests") : NULL;
            const mterm *list[16];
            size_t nr = reqs ? manifest_list(&g, reqs, list, 16) : 0;
            bool ok;
            if (description) {
                ok = run_description_test(&t, world, dir, local_name(entries[e]->s));
            } else {
                ok = nr > 0 && prepare(&t, entries[e]);
                if (nr == 0)
                    snprintf(t.why, sizeof t.why, "no requests in the manifest");
                for (size_t i = 0; ok && i < nr; i++)
                    ok = run_request(&t, list[i], i + 1);
            }
            known_failure *k = known_failures_find(known, n_known, entries[e]->s);
            const char *name = local_name(entries[e]->s);
            if (ok && !k) {
                passed++;
                printf("PASS %s\n", name);
            } else if (ok) {
                fixed++;
                printf("FIXED %s (listed as a known failure: %s)\n", name, k->reason);
            } else if (k) {
                known_failed++;
                printf("KNOWN %s: %s\n", name, k->reason);
            } else {
                failed++;
                printf("FAIL %s: %s\n", name, t.why);
            }
            if (report)
                fprintf(report, "| %s | %s |\n", name,
                        ok ? (k ? "passes (listed as known failure)" : "pass")
                           : k ? k->reason : "FAIL");
        }
        manifest_graph_free(&g);
    }
    int server_rc = stop_server();
    if (server_rc != 0) {
        printf("FAIL the server exited with %d after SIGTERM\n", server_rc);
        failed++;
    }
    printf("%zu passed, %zu failed, %zu known failures, %zu known failures now pass\n", passed,
           failed, known_failed, fixed);
    if (report) {
        fprintf(report, "\n%zu passed, %zu failed, %zu known failures\n", passed, failed,
                known_failed);
        fclose(report);
    }
    if (!failed && !fixed)
        remove_tree(dir);
    else
        printf("work directory kept: %s\n", dir);
    known_failures_free(known, n_known);
    rdf_iso_free(iso);
    raptor_free_world(world);
    curl_global_cleanup();
    return failed || fixed ? 1 : 0;
}
