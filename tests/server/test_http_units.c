/*
 * test_http_units.c — unit tests of the server's pure pieces: content
 * negotiation (Accept with q-values, format=, Accept-Encoding), form
 * bodies and Content-Type parameters, UTF-8 checks, the config file, and
 * the result stream (buffered, streamed, cut, gzip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "http_config.h"
#include "http_form.h"
#include "http_negotiate.h"
#include "http_result_stream.h"

static void test_accept_quality(void **state)
{
    (void)state;
    assert_true(accept_quality(NULL, "text/turtle") == 1.0);
    assert_true(accept_quality("text/turtle", "text/turtle") == 1.0);
    assert_true(accept_quality("text/turtle;q=0.3", "text/turtle") == 0.3);
    assert_true(accept_quality("text/*;q=0.5, text/turtle;q=0.2", "text/turtle") == 0.2);
    assert_true(accept_quality("text/*;q=0.5, text/turtle;q=0.2", "text/csv") == 0.5);
    assert_true(accept_quality("*/*;q=0.1", "application/n-triples") == 0.1);
    assert_true(accept_quality("application/json", "text/turtle") == 0.0);
    assert_true(accept_quality(" TEXT/Turtle ; q=0.7 ", "text/turtle") == 0.7);
}

static void test_negotiate(void **state)
{
    (void)state;
    results_format rf;
    graph_format gf;
    const char *type;
    assert_int_equal(negotiate_results(NULL, NULL, &rf, &type), NEGOTIATE_OK);
    assert_int_equal(rf, RESULTS_JSON);
    assert_int_equal(negotiate_results("application/sparql-results+xml;q=0.5, text/csv", NULL,
                                       &rf, &type), NEGOTIATE_OK);
    assert_int_equal(rf, RESULTS_CSV);
    assert_string_equal(type, "text/csv; charset=utf-8");
    assert_int_equal(negotiate_results("text/csv;q=0, */*;q=0.2", NULL, &rf, &type),
                     NEGOTIATE_OK);
    assert_int_equal(rf, RESULTS_JSON);
    assert_int_equal(negotiate_results("image/png", NULL, &rf, &type), NEGOTIATE_NOT_ACCEPTABLE);
    assert_int_equal(negotiate_results("text/turtle", NULL, &rf, &type),
                     NEGOTIATE_NOT_ACCEPTABLE);
    assert_int_equal(negotiate_results("image/png", "tsv", &rf, &type), NEGOTIATE_OK);
    assert_int_equal(rf, RESULTS_TSV);
    assert_int_equal(negotiate_results(NULL, "text/csv", &rf, &type), NEGOTIATE_OK);
    assert_int_equal(rf, RESULTS_CSV);
    assert_int_equal(negotiate_results(NULL, "turtle", &rf, &type), NEGOTIATE_UNKNOWN_FORMAT);
    assert_int_equal(negotiate_graph("application/rdf+xml, text/turtle;q=0.9", NULL, &gf, &type),
                     NEGOTIATE_OK);
    assert_int_equal(gf, GRAPH_RDFXML);
    assert_int_equal(negotiate_graph("text/plain", NULL, &gf, &type), NEGOTIATE_OK);
    assert_int_equal(gf, GRAPH_NTRIPLES);
    assert_int_equal(negotiate_graph(NULL, "jsonld", &gf, &type), NEGOTIATE_OK);
    assert_string_equal(type, "application/ld+json");
    assert_int_equal(negotiate_graph("application/sparql-results+json", NULL, &gf, &type),
                     NEGOTIATE_NOT_ACCEPTABLE);
}

static void test_accepts_gzip(void **state)
{
    (void)state;
    assert_false(accepts_gzip(NULL));
    assert_true(accepts_gzip("gzip"));
    assert_true(accepts_gzip("deflate, gzip;q=0.5"));
    assert_false(accepts_gzip("gzip;q=0, identity"));
    assert_true(accepts_gzip("*"));
    assert_false(accepts_gzip("*, gzip;q=0"));
    assert_false(accepts_gzip("br, deflate"));
}

typedef struct {
    char text[512];
} pairs;

static void join_pair(void *ctx, const char *name, const char *value)
{
    pairs *p = ctx;
    size_t n = strlen(p->text);
    snprintf(p->text + n, sizeof p->text - n, "[%s=%s]", name, value);
}

static void test_forms(void **state)
{
    (void)state;
    pairs p = {""};
    const char *body = "query=ASK%20%7B%7D&a+b=c+d&&flag&named-graph-uri=x&named-graph-uri=y&bad=%zz%4";
    assert_true(form_each(body, strlen(body), join_pair, &p));
    assert_string_equal(p.text, "[query=ASK {}][a b=c d][flag=][named-graph-uri=x]"
                                "[named-graph-uri=y][bad=%zz%4]");
    char media[64];
    media_type_of(" Application/SPARQL-Query ; charset=utf-8", media, sizeof media);
    assert_string_equal(media, "application/sparql-query");
    media_type_of(NULL, media, sizeof media);
    assert_string_equal(media, "");
    assert_true(charset_is_utf8("text/turtle"));
    assert_true(charset_is_utf8("text/turtle; charset=UTF-8"));
    assert_true(charset_is_utf8("text/turtle;charset=\"utf-8\""));
    assert_false(charset_is_utf8("application/sparql-query; charset=UTF-16"));
    assert_false(charset_is_utf8("text/plain; charset=latin1"));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("Gebäude €𝄞", strlen("Gebäude €𝄞")));
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xc3", 1));           /* cut off */
    assert_false(utf8_valid("\xc0\xaf", 2));       /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));   /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
}

static const char *write_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/citykg-config-test-%d.json", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_config(void **state)
{
    (void)state;
    serve_config c;
    serve_config_defaults(&c);
    assert_string_equal(c.bind, "127.0.0.1");
    assert_int_equal(c.port, 8080);
    assert_true(c.max_body_bytes < 100000000 && c.max_uri_bytes < 1000000);
    ck_error err = {0};
    const char *path = write_file(
        "{\"port\": 9000, \"bind\": \"::1\", \"cors_origins\": [\"https://a.example\", \"*\"],"
        " \"max_body_bytes\": 1000, \"query_memory_mb\": 2, \"load_dirs\": [\"/srv/a,b\", \"/srv/c\"],"
        " \"service_allow\": [\"x.example\", \"y.example:8080\"], \"strict_default_graph\": true}");
    assert_int_equal(serve_config_load(path, &c, &err), CK_OK);
    assert_int_equal(c.port, 9000);
    assert_string_equal(c.bind, "::1");
    assert_int_equal(c.n_cors_origins, 2);
    assert_string_equal(c.cors_origins[1], "*");
    assert_int_equal(c.max_body_bytes, 1000);
    assert_int_equal(c.query_memory_bytes, 2u << 20);
    assert_string_equal(c.load_dirs, "/srv/a,b:/srv/c");
    assert_string_equal(c.service_allow, "x.example,y.example:8080");
    assert_true(c.strict_default_graph);
    struct { const char *json, *message; } bad[] = {
        {"{\"port\": 70000}", "\"port\" must be a whole number from 0 to 65535"},
        {"{\"prot\": 1}", "unknown key \"prot\""},
        {"{\"bind\": 1}", "\"bind\" must be an address string"},
        {"{\"load_dirs\": [\"/a:/b\"]}", "without ':'"},
        {"[1]", "must be a JSON object"},
        {"{\"port\": 1,}", ":1:"},
        {"{\"port\": 1, \"port\": 2}", "duplicate"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        path = write_file(bad[i].json);
        assert_int_not_equal(serve_config_load(path, &c, &err), CK_OK);
        if (!strstr(err.message, bad[i].message))
            fail_msg("config %s: message '%s' lacks '%s'", bad[i].json, err.message, bad[i].message);
    }
    unlink(path);
    serve_config_free(&c);
}

/* ---- result streams ------------------------------------------------------------ */

typedef struct {
    size_t bytes;   /* how much to write */
    bool fail;      /* then fail, after writing a closing "END" */
    bool noisy;     /* letters from a generator instead of a-z again and again */
} job_spec;

static ck_status job(void *ctx, FILE *out, ck_error *err)
{
    job_spec *j = ctx;
    uint32_t x = 12345;
    for (size_t i = 0; i < j->bytes; i++) {
        x = x * 1103515245u + 12345u;
        fputc('a' + (int)(j->noisy ? (x >> 16) % 26 : i % 26), out);
    }
    if (j->fail) {
        fputs("END", out);
        fflush(out);
        return ck_error_set(err, CK_ERR_CANCELLED, "time limit");
    }
    return CK_OK;
}

static size_t read_all(result_stream *rs, char **out, ssize_t *last)
{
    size_t len = 0, cap = 1 << 16;
    *out = malloc(cap);
    char buf[4096];
    ssize_t n;
    while ((n = result_stream_read(rs, buf, sizeof buf)) > 0) {
        if (len + (size_t)n > cap)
            *out = realloc(*out, cap *= 2);
        memcpy(*out + len, buf, (size_t)n);
        len += (size_t)n;
    }
    *last = n;
    return len;
}

static void test_result_stream(void **state)
{
    (void)state;
    /* small: finished within the bound, whole */
    job_spec small = {1000, false, false};
    result_stream *rs = result_stream_start(job, &small, false, 4096);
    assert_true(result_stream_wait_head(rs, NULL, NULL));
    assert_int_equal(result_stream_status(rs, NULL), CK_OK);
    size_t len;
    assert_non_null(result_stream_data(rs, &len));
    assert_int_equal(len, 1000);
    result_stream_free(rs);
    /* small failure: the error, before anything is sent */
    job_spec small_fail = {100, true, false};
    rs = result_stream_start(job, &small_fail, false, 4096);
    assert_true(result_stream_wait_head(rs, NULL, NULL));
    ck_error err = {0};
    assert_int_equal(result_stream_status(rs, &err), CK_ERR_CANCELLED);
    assert_string_equal(err.message, "time limit");
    result_stream_free(rs);
    /* large: streamed completely, in order */
    job_spec large = {1 << 20, false, false};
    rs = result_stream_start(job, &large, false, 4096);
    assert_false(result_stream_wait_head(rs, NULL, NULL));
    char *data;
    ssize_t last;
    len = read_all(rs, &data, &last);
    assert_int_equal(last, -1);
    assert_int_equal(len, 1 << 20);
    assert_int_equal(data[(1 << 20) - 1], 'a' + (((1 << 20) - 1) % 26));
    free(data);
    result_stream_free(rs);
    /* large failure: cut, and the job's last write ("END") never sent */
    job_spec large_fail = {1 << 20, true, false};
    rs = result_stream_start(job, &large_fail, false, 4096);
    assert_false(result_stream_wait_head(rs, NULL, NULL));
    len = read_all(rs, &data, &last);
    assert_int_equal(last, -2);
    assert_true(len <= 1 << 20);
    assert_false(len >= 3 && memcmp(data + len - 3, "END", 3) == 0);
    free(data);
    result_stream_free(rs);
    /* gzip, whole (bound above the compressed size) and streamed (below):
     * both inflate to what was written */
    job_spec noisy = {1 << 20, false, true};
    for (size_t bound = 1 << 20; bound; bound = bound > 64 ? 64 : 0) {
        rs = result_stream_start(job, &noisy, true, bound);
        bool finished = result_stream_wait_head(rs, NULL, NULL);
        assert_true(finished == (bound > 64));
        const char *z = NULL;
        data = NULL;
        if (finished) {
            z = result_stream_data(rs, &len);
        } else {
            len = read_all(rs, &data, &last);
            assert_int_equal(last, -1);
            z = data;
        }
        char *plain = malloc(1 << 20);
        z_stream s = {0};
        assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
        s.next_in = (Bytef *)z;
        s.avail_in = (uInt)len;
        s.next_out = (Bytef *)plain;
        s.avail_out = 1 << 20;
        assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
        assert_int_equal(s.total_out, 1 << 20);
        inflateEnd(&s);
        free(plain);
        free(data);
        result_stream_free(rs);
    }
    /* abandoned by the reader: the worker ends, free returns */
    rs = result_stream_start(job, &large, false, 4096);
    assert_false(result_stream_wait_head(rs, NULL, NULL));
    result_stream_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_quality), cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_accepts_gzip),   cmocka_unit_test(test_forms),
        cmocka_unit_test(test_utf8),           cmocka_unit_test(test_config),
        cmocka_unit_test(test_result_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
