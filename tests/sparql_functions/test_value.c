/*
 * test_value.c — sparql_value: typed literals, terms, EBV, the operators'
 * comparison and the ORDER BY order (sparql/value.h).
 */
#include "helpers.h"

static void test_typed_literals(void **state)
{
    sparql_value v = lit("42", XSD("int"));
    assert_int_equal(v.type, SPARQL_TYPE_INTEGER);
    assert_true(v.valid);
    assert_string_equal(v.datatype, XSD("int"));
    sparql_value_clear(&v);
    /* range facets of derived integer types */
    const char *invalid[][2] = {{"-1", "positiveInteger"}, {"0", "negativeInteger"}, {"128", "byte"},
                                {"-1", "unsignedInt"},     {"1", "nonPositiveInteger"},
                                {"4294967296", "unsignedInt"}, {"1.0", "integer"}, {"abc", "decimal"},
                                {"1e", "double"},          {"yes", "boolean"}, {"2010-02-30", "date"}};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        char dt[128];
        snprintf(dt, sizeof dt, CK_XSD "%s", invalid[i][1]);
        v = lit(invalid[i][0], dt);
        assert_false(v.valid);
        assert_false(sparql_value_is_numeric(&v));
        sparql_value_clear(&v);
    }
    v = lit("-INF", XSD("double"));
    assert_true(v.valid);
    assert_true(v.v.d < 0 && v.v.d * 0 != 0);
    sparql_value_clear(&v);
    v = lit("1", XSD("boolean"));
    assert_true(v.valid && v.v.b);
    sparql_value_clear(&v);
    v = lit("x", "http://example.org/dt");
    assert_int_equal(v.type, SPARQL_TYPE_OTHER);
    assert_string_equal(v.datatype, "http://example.org/dt");
    sparql_value_clear(&v);
    /* an explicit rdf:langString needs a tag; lang and datatype conflict */
    assert_false(sparql_value_set_literal(&v, "x", 1, CK_RDF_LANGSTRING, NULL, 0));
    assert_false(sparql_value_set_literal(&v, "x", 1, XSD("integer"), "en", 2));
    expect_error(v);
}

static void test_terms(void **state)
{
    ck_term t = {.kind = CK_TERM_LITERAL, .value = "chat", .value_len = 4, .lang = "fr", .lang_len = 2};
    sparql_value v, copy;
    assert_true(sparql_value_from_term(&v, &t));
    assert_int_equal(v.type, SPARQL_TYPE_LANGSTRING);
    assert_true(sparql_value_copy(&copy, &v));
    ck_term back;
    assert_true(sparql_value_as_term(&copy, &back));
    assert_true(ck_term_equal(&t, &back));
    sparql_value_clear(&v);
    sparql_value_clear(&copy);

    /* xsd:string is given back as datatype NULL (ck_term's convention) */
    t = (ck_term){.kind = CK_TERM_LITERAL, .value = "a", .value_len = 1, .datatype = CK_XSD_STRING,
                  .datatype_len = strlen(CK_XSD_STRING)};
    assert_true(sparql_value_from_term(&v, &t));
    assert_true(sparql_value_as_term(&v, &back));
    assert_null(back.datatype);
    sparql_value_clear(&v);

    /* datatype text is not NUL-terminated in a ck_term */
    const char text[] = CK_XSD "decimalXYZ";
    t = (ck_term){.kind = CK_TERM_LITERAL, .value = "1.50", .value_len = 4, .datatype = text,
                  .datatype_len = strlen(CK_XSD "decimal")};
    assert_true(sparql_value_from_term(&v, &t));
    assert_int_equal(v.type, SPARQL_TYPE_DECIMAL);
    assert_true(sparql_value_as_term(&v, &back));
    assert_int_equal(back.datatype_len, strlen(CK_XSD "decimal"));
    sparql_value_clear(&v);

    t = (ck_term){.kind = CK_TERM_IRI, .value = "http://a/b", .value_len = 10};
    assert_true(sparql_value_from_term(&v, &t));
    assert_int_equal(v.kind, SPARQL_VALUE_IRI);
    sparql_value_clear(&v);
    v = err();
    assert_false(sparql_value_as_term(&v, &back));
}

static void test_ebv(void **state)
{
    /* §17.2.2 */
    struct { sparql_value v; int ebv; } cases[] = {
        {lit("true", CK_XSD_BOOLEAN), 1}, {lit("false", CK_XSD_BOOLEAN), 0},
        {lit("maybe", CK_XSD_BOOLEAN), 0}, /* invalid lexical form: false */
        {str(""), 0}, {str("x"), 1}, {lang("", "en"), 0},
        {lit("0", XSD("integer")), 0}, {lit("0.0", XSD("decimal")), 0}, {lit("NaN", XSD("double")), 0},
        {lit("0.1", XSD("decimal")), 1}, {lit("-1E3", XSD("float")), 1}, {lit("x", XSD("integer")), 0},
        {iri("http://a"), -1}, {blank("b"), -1}, {err(), -1},
        {lit("2010-01-01", XSD("date")), -1}, {lit("x", "http://example.org/dt"), -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sparql_value_ebv(&cases[i].v), cases[i].ebv);
        sparql_value_clear(&cases[i].v);
    }
}

static sparql_cmp cmp(sparql_value a, sparql_value b, bool order)
{
    sparql_cmp c = sparql_value_compare(&a, &b, order);
    sparql_value_clear(&a);
    sparql_value_clear(&b);
    return c;
}

static void test_compare(void **state)
{
    /* numeric promotion: integer -> decimal -> float -> double */
    assert_int_equal(cmp(lit("1", XSD("integer")), lit("1.0", XSD("decimal")), false), SPARQL_CMP_EQ);
    assert_int_equal(cmp(lit("1", XSD("byte")), lit("1.0e0", XSD("double")), false), SPARQL_CMP_EQ);
    assert_int_equal(cmp(lit("0.1", XSD("decimal")), lit("0.2", XSD("float")), true), SPARQL_CMP_LT);
    assert_int_equal(cmp(lit("NaN", XSD("double")), lit("NaN", XSD("double")), false), SPARQL_CMP_NE);
    /* strings by code point */
    assert_int_equal(cmp(str("a"), str("b"), true), SPARQL_CMP_LT);
    assert_int_equal(cmp(str("Z"), str("a"), true), SPARQL_CMP_LT);
    assert_int_equal(cmp(str("é"), str("z"), true), SPARQL_CMP_GT);
    assert_int_equal(cmp(str("abc"), lit("abc", CK_XSD_STRING), false), SPARQL_CMP_EQ);
    /* language-tagged: equal tags compare as terms; no order */
    assert_int_equal(cmp(lang("a", "en"), lang("a", "EN"), false), SPARQL_CMP_EQ);
    assert_int_equal(cmp(lang("a", "en"), lang("a", "fr"), false), SPARQL_CMP_NE);
    assert_int_equal(cmp(lang("a", "en"), lang("b", "en"), true), SPARQL_CMP_ERROR);
    assert_int_equal(cmp(lang("a", "en"), str("a"), false), SPARQL_CMP_NE);
    /* booleans: false < true */
    assert_int_equal(cmp(lit("false", CK_XSD_BOOLEAN), lit("1", CK_XSD_BOOLEAN), true), SPARQL_CMP_LT);
    /* dateTimes with timezones */
    assert_int_equal(cmp(lit("2002-04-02T12:00:00-01:00", XSD("dateTime")),
                         lit("2002-04-02T13:00:00Z", XSD("dateTime")), false),
                     SPARQL_CMP_EQ);
    assert_int_equal(cmp(lit("2002-04-02T12:00:00", XSD("dateTime")),
                         lit("2002-04-02T13:00:00Z", XSD("dateTime")), true),
                     SPARQL_CMP_ERROR);
    /* different value spaces: = is false, < is an error */
    assert_int_equal(cmp(lit("1", XSD("integer")), str("1"), false), SPARQL_CMP_NE);
    assert_int_equal(cmp(lit("1", XSD("integer")), str("1"), true), SPARQL_CMP_ERROR);
    /* RDFterm-equal on unknown datatypes (§17.4.1.7) */
    assert_int_equal(cmp(lit("a", "http://ex/t"), lit("a", "http://ex/t"), false), SPARQL_CMP_EQ);
    assert_int_equal(cmp(lit("a", "http://ex/t"), lit("b", "http://ex/t"), false), SPARQL_CMP_ERROR);
    assert_int_equal(cmp(lit("x", XSD("integer")), lit("1", XSD("integer")), false), SPARQL_CMP_ERROR);
    /* an ill-typed literal against a string is an error too (open-eq-08) */
    assert_int_equal(cmp(lit("xyz", XSD("integer")), str("xyz"), false), SPARQL_CMP_ERROR);
    /* but a language-tagged string is no literal of any datatype, known or
     * not, nor an ill-typed one (open-eq-08, -10, -11, -12) */
    assert_int_equal(cmp(lang("xyz", "en"), lit("xyz", "http://ex/t"), false), SPARQL_CMP_NE);
    assert_int_equal(cmp(lit("xyz", XSD("integer")), lang("xyz", "en"), false), SPARQL_CMP_NE);
    assert_int_equal(cmp(lang("xyz", "en"), lit("xyz", "http://ex/t"), true), SPARQL_CMP_ERROR);
    /* IRIs and blank nodes: = only */
    assert_int_equal(cmp(iri("http://a"), iri("http://a"), false), SPARQL_CMP_EQ);
    assert_int_equal(cmp(iri("http://a"), str("http://a"), false), SPARQL_CMP_NE);
    assert_int_equal(cmp(iri("http://a"), iri("http://b"), true), SPARQL_CMP_ERROR);
    assert_int_equal(cmp(err(), str("a"), false), SPARQL_CMP_ERROR);
}

static int compare_values(const void *a, const void *b)
{
    return sparql_value_order(a, b);
}

static void test_order_by(void **state)
{
    /* §15.1: unbound < blank < IRI < literal; numerics by value, ties of
     * equal values broken by datatype and lexical form. */
    sparql_value sorted[] = {
        err(),
        blank("a"),
        blank("b"),
        iri("http://a"),
        iri("http://b"),
        lit("NaN", XSD("double")),
        lit("-2", XSD("integer")),
        lit("1.0", XSD("decimal")), /* tie with 1: "…#decimal" < "…#integer" */
        lit("1", XSD("integer")),
        lit("1.5E0", XSD("double")),
        lit("10", XSD("integer")),
        lit("false", CK_XSD_BOOLEAN),
        lit("true", CK_XSD_BOOLEAN),
        lit("2002-04-02T11:00:00Z", XSD("dateTime")),
        lit("2002-04-02T12:00:00", XSD("dateTime")),
        lit("2002-04-02T12:00:00-01:00", XSD("dateTime")),
        str(""),
        str("B"),
        str("a"),
        str("é"),
        lang("a", "de"),
        lang("a", "en"),
        lit("a", "http://ex/t"), /* incomparable: by datatype IRI, then text */
        lit("x", XSD("integer")),
    };
    enum { N = sizeof sorted / sizeof sorted[0] };
    sparql_value shuffled[N];
    for (size_t i = 0; i < N; i++)
        shuffled[i] = sorted[(i * 7 + 3) % N]; /* 7 is coprime with N */
    qsort(shuffled, N, sizeof shuffled[0], compare_values);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(shuffled[i].kind, sorted[i].kind);
        if (sorted[i].kind != SPARQL_VALUE_ERROR)
            assert_true(sparql_value_same_term(&shuffled[i], &sorted[i]));
        for (size_t j = 0; j < N; j++) {
            int c = sparql_value_order(&sorted[i], &sorted[j]);
            assert_true(i < j ? c < 0 : i > j ? c > 0 : c == 0);
        }
    }
    for (size_t i = 0; i < N; i++)
        sparql_value_clear(&sorted[i]);
}

/* Doubles read through the fast path equal strtod's correctly rounded
 * value: random forms with up to 17 digits, points and exponents. */
static void test_double_parse_matches_strtod(void **state)
{
    uint64_t x = 88172645463325252ULL;
    for (int k = 0; k < 200000; k++) {
        char text[64];
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x & 1)
            text[n++] = '-';
        int digits = 1 + (int)((x >> 8) % 17), point = (int)((x >> 16) % (uint64_t)(digits + 1));
        for (int i = 0; i < digits; i++) {
            if (i == point && i > 0)
                text[n++] = '.';
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[n++] = (char)('0' + x % 10);
        }
        if (x >> 40 & 1)
            n += (size_t)snprintf(text + n, sizeof text - n, "E%d", (int)((x >> 44) % 60) - 30);
        text[n] = 0;
        sparql_value v;
        assert_true(sparql_value_set_literal(&v, text, n, XSD("double"), NULL, 0));
        if (!v.valid)
            fail_msg("%s: not read as an xsd:double", text);
        double want = strtod(text, NULL);
        if (memcmp(&v.v.d, &want, sizeof want) != 0)
            fail_msg("%s: %.17g, strtod %.17g", text, v.v.d, want);
        sparql_value_clear(&v);
    }
}

static void test_double_canonical(void **state)
{
    char buf[40];
    struct { double d; bool f; const char *text; } cases[] = {
        {1.0, false, "1.0E0"},     {-0.0, false, "-0.0E0"},  {100, false, "1.0E2"},
        {0.001, false, "1.0E-3"},  {1.5e300, false, "1.5E300"}, {0.1, true, "1.0E-1"},
        {123.456, false, "1.23456E2"}, {1.0 / 0.0, false, "INF"},
        /* shortest forms that need 16 and 17 digits, and 7 to 9 for floats */
        {0.1 + 0.2, false, "3.0000000000000004E-1"}, {1.0 / 3, false, "3.333333333333333E-1"},
        {5e-324, false, "5.0E-324"}, {1.7976931348623157e308, false, "1.7976931348623157E308"},
        {16777217.0f, true, "1.6777216E7"}, {0.3f, true, "3.0E-1"},
        {1.0f / 3, true, "3.3333334E-1"}, {123456789.0, false, "1.23456789E8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sparql_format_double(cases[i].d, cases[i].f, buf);
        assert_string_equal(buf, cases[i].text);
    }
    sparql_format_double(0.0 / 0.0, false, buf);
    assert_string_equal(buf, "NaN");
}

/* Odd lexical forms for every computed datatype: parsing, comparison and
 * ordering must neither crash nor read out of bounds. */
static void test_odd_lexical_forms(void **state)
{
    const char *types[] = {XSD("integer"), XSD("decimal"), XSD("float"),  XSD("double"),
                           XSD("boolean"), XSD("dateTime"), XSD("date"), XSD("time"),
                           XSD("unsignedByte"), NULL};
    const char *texts[] = {"", "-", "+", ".", "+.", "1e", "e1", "1e+", "INF", "-INF", "NaN", "nan",
                           "\xff\xfe", "2010-01-01T", "T00:00:00", "-0000-01-01", "9999999999-01-01",
                           "24:00:00", "00:00:00.", "1.", ".1", "00000000000000000000000000000000000000001",
                           "123456789012345678901234567890123456789012345678901234567890",
                           "0.000000000000000000000000000000000000000000001", "1e999", "-1e-999",
                           "2010-01-01T00:00:00+14:00", "2010-01-01T00:00:00-14:01", "true ", "Z"};
    enum { NT = sizeof types / sizeof types[0], NX = sizeof texts / sizeof texts[0] };
    static sparql_value all[NT * NX];
    size_t n = 0;
    for (size_t t = 0; t < NT; t++)
        for (size_t x = 0; x < NX; x++)
            all[n++] = lit(texts[x], types[t]);
    for (size_t i = 0; i < n; i++) {
        sparql_value_ebv(&all[i]);
        for (size_t j = 0; j < n; j += 7) {
            sparql_value_compare(&all[i], &all[j], false);
            sparql_value_compare(&all[i], &all[j], true);
            int c = sparql_value_order(&all[i], &all[j]), d = sparql_value_order(&all[j], &all[i]);
            assert_true((c < 0 && d > 0) || (c > 0 && d < 0) || (c == 0 && d == 0));
        }
    }
    for (size_t i = 0; i < n; i++)
        sparql_value_clear(&all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_parse_matches_strtod),
        cmocka_unit_test(test_typed_literals), cmocka_unit_test(test_terms),
        cmocka_unit_test(test_ebv),            cmocka_unit_test(test_compare),
        cmocka_unit_test(test_order_by),       cmocka_unit_test(test_double_canonical),
        cmocka_unit_test(test_odd_lexical_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
