/*
 * sparql_endpoint.c — a loopback SPARQL endpoint for the SERVICE tests: one
 * HTTP server that answers for several endpoint IRIs, each backed by its
 * own citykg store, and works as the HTTP proxy of the process under test.
 *
 * The process under test runs with http_proxy=http://127.0.0.1:PORT, so
 * libcurl sends it "POST http://example.org/sparql HTTP/1.1"; the endpoint
 * looks up that IRI (or Host + path) and runs the query on the mapped store
 * through sparql_run, the real engine. Unknown endpoints get 502, as a
 * proxy that cannot reach the host would answer. The endpoint sets
 * http_proxy to itself too, so a SERVICE inside a SERVICE (nested
 * federation) comes back here.
 *
 *   sparql-test-endpoint [--xml] [--delay MS] [--allow-service HOSTS]
 *                        [--serve IRI=FILE]... --map IRI=STOREDIR...
 *
 * --serve IRI=FILE answers a GET of IRI with the file (Content-Type from its
 * extension), as a web server publishing an RDF document would, for LOAD.
 *
 * Prints "port N" on stdout once it listens on 127.0.0.1, then serves until
 * stdin closes or it gets SIGTERM. --xml answers in SPARQL XML instead of
 * JSON, so that both of citykg's readers are tested; --delay waits before
 * every answer (time limit tests).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "plan.h"
#include "store.h"

typedef struct {
    char *iri;
    ck_store *store;
} endpoint;

static endpoint endpoints[16];
static int n_endpoints;
static struct {
    const char *iri, *file;
} documents[16];
static int n_documents;
static bool answer_xml;
static unsigned delay_ms;
static const char *allow_service;

typedef struct {
    char *body;
    size_t len;
} request;

static ck_store *find_store(struct MHD_Connection *c, const char *url)
{
    char key[2048];
    if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
        snprintf(key, sizeof key, "%s", url);
    } else {
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
        snprintf(key, sizeof key, "http://%s%s", host ? host : "", url);
    }
    key[strcspn(key, "?")] = 0;
    for (int i = 0; i < n_endpoints; i++)
        if (strcmp(endpoints[i].iri, key) == 0)
            return endpoints[i].store;
    return NULL;
}

/* Decodes a form value in place ('+' is a space, %XX a byte). */
static void form_decode(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '+') {
            *o++ = ' ';
        } else if (*s == '%' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

/* The query of a request: ?query=, a form field, or a direct POST body. */
static char *query_of(struct MHD_Connection *c, request *r)
{
    const char *get = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "query");
    if (get)
        return strdup(get);
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!r->body)
        return NULL;
    if (type && strncmp(type, "application/sparql-query", 24) == 0)
        return strdup(r->body);
    for (char *field = strtok(r->body, "&"); field; field = strtok(NULL, "&"))
        if (strncmp(field, "query=", 6) == 0) {
            char *q = strdup(field + 6);
            form_decode(q);
            return q;
        }
    return NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             char *body, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", type);
    enum MHD_Result rc = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    char *body = strdup(text);
    return reply(c, status, "text/plain", body, strlen(body));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state)
{
    request *r = *state;
    if (!r) { /* first call: headers only */
        *state = calloc(1, sizeof *r);
        return *state ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        char *nb = realloc(r->body, r->len + *upload_size + 1);
        if (!nb)
            return MHD_NO;
        memcpy(nb + r->len, upload, *upload_size);
        r->body = nb;
        r->len += *upload_size;
        r->body[r->len] = 0;
        *upload_size = 0;
        return MHD_YES;
    }
    if (delay_ms)
        usleep(delay_ms * 1000u);
    for (int i = 0; i < n_documents && strcmp(method, "GET") == 0; i++)
        if (strcmp(url, documents[i].iri) == 0) {
            FILE *doc = fopen(documents[i].file, "rb");
            char *body = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&body, &len);
            for (int ch; doc && (ch = fgetc(doc)) != EOF;)
                fputc(ch, out);
            fclose(out);
            if (doc)
                fclose(doc);
            const char *ext = strrchr(documents[i].file, '.');
            return reply(c, doc ? 200 : 404,
                         ext && strcmp(ext, ".nt") == 0 ? "application/n-triples" : "text/turtle",
                         body, len);
        }
    ck_store *store = find_store(c, url);
    if (!store)
        return reply_text(c, 502, "no such endpoint here\n");
    char *query = query_of(c, r);
    if (!query)
        return reply_text(c, 400, "no query\n");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    ck_txn *txn = NULL;
    ck_error err = {0};
    sparql_run_options opts = {.timeout_ms = 20000, .service_allow = allow_service};
    ck_status st = ck_txn_begin_read(store, &txn, &err);
    if (!st)
        st = sparql_run(txn, query, NULL, answer_xml ? RESULTS_XML : RESULTS_JSON, &opts, f, &err);
    ck_txn_abort(txn);
    fclose(f);
    free(query);
    if (st) {
        free(out);
        char msg[1100];
        snprintf(msg, sizeof msg, "%s\n", err.message);
        return reply_text(c, st == CK_ERR_SYNTAX ? 400 : 500, msg);
    }
    return reply(c, 200,
                 answer_xml ? "application/sparql-results+xml" : "application/sparql-results+json",
                 out, len);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode code)
{
    request *r = *state;
    if (r)
        free(r->body);
    free(r);
    *state = NULL;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--xml") == 0) {
            answer_xml = true;
        } else if (strcmp(argv[i], "--delay") == 0 && i + 1 < argc) {
            delay_ms = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--allow-service") == 0 && i + 1 < argc) {
            allow_service = argv[++i];
        } else if (strcmp(argv[i], "--serve") == 0 && i + 1 < argc && n_documents < 16 &&
                   strchr(argv[i + 1], '=')) {
            char *eq = strchr(argv[++i], '=');
            *eq = 0;
            documents[n_documents].iri = argv[i];
            documents[n_documents++].file = eq + 1;
        } else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc && n_endpoints < 16) {
            char *eq = strchr(argv[++i], '=');
            if (!eq) {
                fprintf(stderr, "sparql-test-endpoint: --map needs IRI=STOREDIR\n");
                return 2;
            }
            *eq = 0;
            endpoint *e = &endpoints[n_endpoints++];
            e->iri = argv[i];
            ck_error err = {0};
            if (ck_store_open(eq + 1, CK_OPEN_READONLY, &e->store, &err)) {
                fprintf(stderr, "sparql-test-endpoint: %s: %s\n", eq + 1, err.message);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: sparql-test-endpoint [--xml] [--delay MS] "
                            "[--allow-service HOSTS] [--serve IRI=FILE]... "
                            "--map IRI=STOREDIR...\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    /* a thread per connection: a nested SERVICE request comes back here
     * while the outer one is still being answered */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED, on_done,
        NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "sparql-test-endpoint: cannot listen: %s\n", strerror(errno));
        return 1;
    }
    int port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", port);
    setenv("http_proxy", proxy, 1);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    printf("port %d\n", port);
    fflush(stdout);
    char buf[256];
    while (read(0, buf, sizeof buf) > 0) /* until the runner closes our stdin */
        ;
    MHD_stop_daemon(d);
    for (int i = 0; i < n_endpoints; i++)
        ck_store_close(endpoints[i].store);
    return 0;
}
