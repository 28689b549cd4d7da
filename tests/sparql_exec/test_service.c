/*
 * test_service.c — the pieces of SERVICE that need no network: the
 * allow-list check and the readers of SPARQL JSON and XML answers. (The
 * request itself is tested end to end in tests/integration/service_query.sh
 * and by the W3C service tests.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "service.h"

static void test_allow_list(void **state)
{
    const char *allow = "example.org, data.city.example:8080 ,Other.Example";
    assert_true(service_allowed(allow, "http://example.org/sparql"));
    assert_true(service_allowed(allow, "https://example.org"));
    assert_true(service_allowed(allow, "http://example.org:3030/ds/query"));  /* no port listed */
    assert_true(service_allowed(allow, "http://other.example/sparql"));       /* case-insensitive */
    assert_true(service_allowed(allow, "http://data.city.example:8080/sparql"));
    assert_false(service_allowed(allow, "http://data.city.example/sparql"));  /* port listed */
    assert_false(service_allowed(allow, "http://data.city.example:8081/sparql"));
    assert_false(service_allowed(allow, "http://example.org.evil.net/sparql"));
    assert_false(service_allowed(allow, "http://sub.example.org/sparql"));
    assert_false(service_allowed(allow, "http://evil.net/?x=example.org"));
    assert_true(service_allowed(allow, "http://user@example.org/sparql"));
    assert_false(service_allowed(allow, "http://example.org@evil.net/sparql")); /* userinfo trick */
    assert_false(service_allowed(allow, "ftp://example.org/sparql"));
    assert_false(service_allowed(allow, "file:///etc/passwd"));
    assert_false(service_allowed(NULL, "http://example.org/sparql"));
    assert_false(service_allowed("", "http://example.org/sparql"));
}

static void expect_term(const ck_term *t, ck_term_kind kind, const char *value,
                        const char *datatype, const char *lang)
{
    assert_int_equal(t->kind, kind);
    assert_int_equal(t->value_len, strlen(value));
    assert_memory_equal(t->value, value, t->value_len);
    if (datatype) {
        assert_non_null(t->datatype);
        assert_memory_equal(t->datatype, datatype, strlen(datatype));
    } else {
        assert_null(t->datatype);
    }
    if (lang)
        assert_memory_equal(t->lang, lang, strlen(lang));
    else
        assert_null(t->lang);
}

/* The same two solutions in both formats: every term kind, an unbound cell. */
static void check_two_rows(const service_result *r)
{
    assert_int_equal(r->nvars, 3);
    assert_string_equal(r->vars[0], "s");
    assert_string_equal(r->vars[2], "n");
    assert_int_equal(r->nrows, 2);
    expect_term(&r->cells[0], CK_TERM_IRI, "http://example.org/a", NULL, NULL);
    expect_term(&r->cells[1], CK_TERM_LITERAL, "Dom \"St. Peter\"", NULL, "de");
    expect_term(&r->cells[2], CK_TERM_LITERAL, "42", CK_XSD_INTEGER, NULL);
    expect_term(&r->cells[3], CK_TERM_BLANK, "b0", NULL, NULL);
    expect_term(&r->cells[4], CK_TERM_LITERAL, "plain", NULL, NULL); /* xsd:string dropped */
    assert_int_equal(r->cells[5].kind, 0);                             /* unbound */
}

static void test_json(void **state)
{
    const char *doc =
        " {\"head\":{\"vars\":[\"s\",\"label\",\"n\"]},\"results\":{\"bindings\":["
        "{\"s\":{\"type\":\"uri\",\"value\":\"http://example.org/a\"},"
        "\"label\":{\"type\":\"literal\",\"value\":\"Dom \\\"St. Peter\\\"\",\"xml:lang\":\"de\"},"
        "\"n\":{\"type\":\"literal\",\"value\":\"42\",\"datatype\":\"" CK_XSD_INTEGER "\"}},"
        "{\"s\":{\"type\":\"bnode\",\"value\":\"b0\"},"
        "\"label\":{\"type\":\"typed-literal\",\"value\":\"plain\",\"datatype\":\"" CK_XSD_STRING
        "\"}}]}}";
    service_result r;
    ck_error err = {0};
    assert_int_equal(service_parse_results(doc, strlen(doc), &r, &err), CK_OK);
    check_two_rows(&r);
    service_result_free(&r);
}

static void test_xml(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">"
        "<head><variable name=\"s\"/><variable name=\"label\"/><variable name=\"n\"/></head>"
        "<results><result><binding name=\"s\"><uri>http://example.org/a</uri></binding>"
        "<binding name=\"label\"><literal xml:lang=\"de\">Dom &quot;St. Peter&quot;</literal>"
        "</binding><binding name=\"n\"><literal datatype=\"" CK_XSD_INTEGER "\">42</literal>"
        "</binding></result>\n<result><binding name=\"s\"><bnode>b0</bnode></binding>"
        "<binding name=\"label\"><literal datatype=\"" CK_XSD_STRING "\">plain</literal>"
        "</binding></result></results></sparql>";
    service_result r;
    ck_error err = {0};
    assert_int_equal(service_parse_results(doc, strlen(doc), &r, &err), CK_OK);
    check_two_rows(&r);
    service_result_free(&r);
}

static void test_bad_answers(void **state)
{
    const char *bad[] = {
        "",
        "Internal Server Error",
        "{\"head\":{\"vars\":[\"s\"]}}",                                        /* no results */
        "{\"head\":{\"vars\":[\"s\"]},\"results\":{\"bindings\":[{\"x\":"
        "{\"type\":\"uri\",\"value\":\"http://a\"}}]}}",                          /* unlisted var */
        "{\"head\":{\"vars\":[\"s\"]},\"results\":{\"bindings\":[{\"s\":"
        "{\"type\":\"triple\",\"value\":\"x\"}}]}}",                              /* unknown kind */
        "{\"head\":",                                                             /* truncated */
        "<html><body>502</body></html>",
        "<sparql><head/><results><result><binding name=\"s\"><uri>x</uri></binding></result>"
        "</results></sparql>",                                                    /* unlisted var */
        "<sparql><head><variable name=\"s\"/></head>",                            /* truncated */
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"http://evil.example/\">]><sparql>&e;</sparql>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        service_result r;
        ck_error err = {0};
        assert_int_equal(service_parse_results(bad[i], strlen(bad[i]), &r, &err), CK_ERR_INVALID);
        assert_true(err.message[0] != 0);
        assert_int_equal(r.nrows, 0); /* nothing half-read is left */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allow_list),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_xml),
        cmocka_unit_test(test_bad_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
