/* Unit tests of sparql/results.c: each format for one small solution
 * sequence, expected text derived by hand from the W3C result format specs;
 * the JSON output is also parsed back with jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

static const ck_term iri = {CK_TERM_IRI, "https://regensburg.example/b/1", 30, NULL, 0, NULL, 0};
static const ck_term label = {CK_TERM_LITERAL, "Dom \"St. Peter\", Regensburg", 27, NULL, 0, "de", 2};
static const ck_term height = {CK_TERM_LITERAL, "105.0", 5, CK_XSD "decimal", 40, NULL, 0};
static const ck_term blank = {CK_TERM_BLANK, "b7", 2, NULL, 0, NULL, 0};
static const ck_term tabbed = {CK_TERM_LITERAL, "a\tb\nc", 5, NULL, 0, NULL, 0};

static char *render(results_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    const char *vars[] = {"s", "label", "h"};
    results_writer *w = results_begin(out, f, vars, 3);
    const ck_term *row1[] = {&iri, &label, &height};
    const ck_term *row2[] = {&blank, NULL, &tabbed};
    assert_true(results_row(w, row1));
    assert_true(results_row(w, row2));
    assert_true(results_end(w));
    fclose(out);
    return buf;
}

static void test_csv(void **state)
{
    (void)state;
    char *s = render(RESULTS_CSV);
    assert_string_equal(s, "s,label,h\r\n"
                           "https://regensburg.example/b/1,\"Dom \"\"St. Peter\"\", Regensburg\",105.0\r\n"
                           "_:b7,,\"a\tb\nc\"\r\n");
    free(s);
}

static void test_tsv(void **state)
{
    (void)state;
    char *s = render(RESULTS_TSV);
    assert_string_equal(s, "?s\t?label\t?h\n"
                           "<https://regensburg.example/b/1>\t\"Dom \\\"St. Peter\\\", Regensburg\"@de\t"
                           "\"105.0\"^^<http://www.w3.org/2001/XMLSchema#decimal>\n"
                           "_:b7\t\t\"a\\tb\\nc\"\n");
    free(s);
}

static void test_xml(void **state)
{
    (void)state;
    char *s = render(RESULTS_XML);
    assert_non_null(strstr(s, "<variable name=\"label\"/>"));
    assert_non_null(strstr(s, "<binding name=\"label\"><literal xml:lang=\"de\">Dom &quot;St. Peter&quot;, "
                              "Regensburg</literal></binding>"));
    assert_non_null(strstr(s, "<binding name=\"h\"><literal datatype=\"http://www.w3.org/2001/"
                              "XMLSchema#decimal\">105.0</literal></binding>"));
    assert_non_null(strstr(s, "<result><binding name=\"s\"><bnode>b7</bnode></binding><binding "
                              "name=\"h\">"));
    free(s);
}

static void test_json_parses_back(void **state)
{
    (void)state;
    char *s = render(RESULTS_JSON);
    json_error_t e;
    json_t *doc = json_loads(s, 0, &e);
    assert_non_null(doc);
    json_t *vars = json_object_get(json_object_get(doc, "head"), "vars");
    assert_int_equal(json_array_size(vars), 3);
    json_t *rows = json_object_get(json_object_get(doc, "results"), "bindings");
    assert_int_equal(json_array_size(rows), 2);
    json_t *lab = json_object_get(json_array_get(rows, 0), "label");
    assert_string_equal(json_string_value(json_object_get(lab, "type")), "literal");
    assert_string_equal(json_string_value(json_object_get(lab, "value")), "Dom \"St. Peter\", Regensburg");
    assert_string_equal(json_string_value(json_object_get(lab, "xml:lang")), "de");
    json_t *row2 = json_array_get(rows, 1);
    assert_null(json_object_get(row2, "label")); /* unbound: absent */
    assert_string_equal(json_string_value(json_object_get(json_object_get(row2, "s"), "type")), "bnode");
    assert_string_equal(json_string_value(json_object_get(json_object_get(row2, "h"), "value")), "a\tb\nc");
    json_decref(doc);
    free(s);
}

static void test_table_and_boolean(void **state)
{
    (void)state;
    char *s = render(RESULTS_TABLE);
    assert_non_null(strstr(s, "| ?s "));
    assert_non_null(strstr(s, "2 rows\n"));
    free(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_true(results_write_boolean(out, RESULTS_JSON, true));
    fclose(out);
    assert_string_equal(buf, "{\"head\":{},\"boolean\":true}\n");
    free(buf);
    results_format f;
    assert_true(results_format_from_name("tsv", &f));
    assert_int_equal(f, RESULTS_TSV);
    assert_false(results_format_from_name("yaml", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),           cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_xml),           cmocka_unit_test(test_json_parses_back),
        cmocka_unit_test(test_table_and_boolean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
