/*
 * test_decimal.c — exact xsd:decimal arithmetic and canonical forms
 * (sparql/decimal.h) and xsd:dateTime order (sparql/datetime.h).
 */
#include "helpers.h"

#include "datetime.h"
#include "decimal.h"

static sparql_decimal D(const char *s)
{
    sparql_decimal d;
    assert_true(sparql_decimal_parse(s, strlen(s), false, &d));
    return d;
}

static void expect_text(sparql_decimal d, const char *text)
{
    char buf[SPARQL_DECIMAL_TEXT_MAX];
    sparql_decimal_format(d, buf);
    assert_string_equal(buf, text);
}

static void test_parse_and_canonical(void **state)
{
    /* XSD 1.0 canonical decimal: at least one digit on both sides of the
     * point, no superfluous zeros. */
    expect_text(D("1.5"), "1.5");
    expect_text(D("2"), "2.0");
    expect_text(D("+002.500"), "2.5");
    expect_text(D("-0.0"), "0.0");
    expect_text(D(".5"), "0.5");
    expect_text(D("-.25"), "-0.25");
    expect_text(D("5."), "5.0");
    expect_text(D("1.000000000000000000000000000000000000000000000"), "1.0");
    expect_text(D("12345678901234567890.123456789"), "12345678901234567890.123456789");
    sparql_decimal d;
    assert_false(sparql_decimal_parse("", 0, false, &d));
    assert_false(sparql_decimal_parse(".", 1, false, &d));
    assert_false(sparql_decimal_parse("1e3", 3, false, &d));
    assert_false(sparql_decimal_parse(" 1", 2, false, &d));
    assert_false(sparql_decimal_parse("1.5", 3, true, &d));
    assert_false(sparql_decimal_parse("1-", 2, false, &d));
    /* more than 38 digits do not fit: reported, not rounded */
    const char *huge = "1234567890123456789012345678901234567890";
    assert_false(sparql_decimal_parse(huge, strlen(huge), false, &d));
}

static void test_arithmetic(void **state)
{
    sparql_decimal r;
    assert_true(sparql_decimal_add(D("0.1"), D("0.2"), &r));
    expect_text(r, "0.3"); /* exact, unlike doubles */
    assert_true(sparql_decimal_sub(D("1"), D("1.5"), &r));
    expect_text(r, "-0.5");
    assert_true(sparql_decimal_mul(D("1.5"), D("-2"), &r));
    expect_text(r, "-3.0");
    assert_true(sparql_decimal_div(D("1"), D("2"), &r));
    expect_text(r, "0.5");
    assert_true(sparql_decimal_div(D("1"), D("3"), &r));
    expect_text(r, "0.33333333333333333333");
    assert_true(sparql_decimal_div(D("-7"), D("0.25"), &r));
    expect_text(r, "-28.0");
    assert_false(sparql_decimal_div(D("1"), D("0.0"), &r));
    assert_true(sparql_decimal_idiv(D("7"), D("2"), &r));
    expect_text(r, "3.0");
    /* overflow is reported */
    sparql_decimal big = D("99999999999999999999999999999999999999");
    assert_false(sparql_decimal_mul(big, D("10"), &r));
    assert_false(sparql_decimal_add(big, big, &r));
}

static void test_rounding(void **state)
{
    /* fn:round rounds halves toward positive infinity; values of round01.srx
     * (sparql11/functions): 2.5 -> 3, -1.6 -> -2, 1.1 -> 1. */
    expect_text(sparql_decimal_round(D("2.5")), "3.0");
    expect_text(sparql_decimal_round(D("-2.5")), "-2.0");
    expect_text(sparql_decimal_round(D("-1.6")), "-2.0");
    expect_text(sparql_decimal_round(D("1.1")), "1.0");
    /* ceil01.srx / floor01.srx */
    expect_text(sparql_decimal_ceil(D("-1.6")), "-1.0");
    expect_text(sparql_decimal_ceil(D("1.1")), "2.0");
    expect_text(sparql_decimal_floor(D("-1.6")), "-2.0");
    expect_text(sparql_decimal_floor(D("2.5")), "2.0");
    expect_text(sparql_decimal_trunc(D("-2.9")), "-2.0");
}

static void test_compare_and_double(void **state)
{
    assert_int_equal(sparql_decimal_cmp(D("1.0"), D("1")), 0);
    assert_int_equal(sparql_decimal_cmp(D("-1"), D("0.5")), -1);
    assert_int_equal(sparql_decimal_cmp(D("10.01"), D("10.001")), 1);
    sparql_decimal d;
    assert_true(sparql_decimal_from_double(0.1, &d));
    expect_text(d, "0.1");
    assert_true(sparql_decimal_from_double(-1.5e10, &d));
    expect_text(d, "-15000000000.0");
    assert_false(sparql_decimal_from_double(1.0 / 0.0, &d));
    assert_true(sparql_decimal_to_double(D("2.5")) == 2.5);
}

static sparql_datetime DT(const char *s)
{
    sparql_datetime v;
    assert_true(sparql_datetime_parse(s, strlen(s), SPARQL_DT_DATETIME, &v));
    return v;
}

static void test_datetime_parse(void **state)
{
    sparql_datetime v = DT("2010-12-21T15:38:02.5-08:00");
    assert_int_equal(v.year, 2010);
    assert_int_equal(v.month, 12);
    assert_int_equal(v.day, 21);
    assert_int_equal(v.hour, 15);
    assert_true(v.has_tz);
    assert_int_equal(v.tz_minutes, -480);
    char buf[SPARQL_DATETIME_TEXT_MAX];
    sparql_datetime_format(&v, buf);
    assert_string_equal(buf, "2010-12-21T15:38:02.5-08:00");
    v = DT("2000-01-01T24:00:00+00:00");
    sparql_datetime_format(&v, buf);
    assert_string_equal(buf, "2000-01-02T00:00:00Z");
    const char *bad[] = {"2010-13-01T00:00:00", "2010-02-29T00:00:00", "2010-01-01T25:00:00",
                         "2010-01-01T00:00:00+15:00", "10-01-01T00:00:00", "2010-01-01",
                         "2010-01-01T00:00:00Zjunk", "2010-01-01T00:00:60", "2010-01-01T00:00:00."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(sparql_datetime_parse(bad[i], strlen(bad[i]), SPARQL_DT_DATETIME, &v));
    assert_true(sparql_datetime_parse("2012-02-29", 10, SPARQL_DT_DATE, &v));
    assert_true(sparql_datetime_parse("-0044-03-15", 11, SPARQL_DT_DATE, &v));
    assert_int_equal(v.year, -44);
}

static void test_datetime_order(void **state)
{
    /* Same moment in two zones. */
    sparql_datetime a = DT("2002-04-02T12:00:00-01:00"), b = DT("2002-04-02T13:00:00Z");
    assert_int_equal(sparql_datetime_compare(&a, &b), 0);
    b = DT("2002-04-02T17:00:00+05:00");
    assert_int_equal(sparql_datetime_compare(&a, &b), 1);
    /* XSD 1.1: without timezone vs with one — ordered only beyond 14h. */
    a = DT("2002-04-02T12:00:00");
    b = DT("2002-04-02T23:00:00Z");
    assert_int_equal(sparql_datetime_compare(&a, &b), SPARQL_DT_INDETERMINATE);
    b = DT("2002-04-03T03:00:01Z");
    assert_int_equal(sparql_datetime_compare(&a, &b), -1);
    assert_int_equal(sparql_datetime_compare(&b, &a), 1);
    b = DT("2002-04-01T21:59:59Z");
    assert_int_equal(sparql_datetime_compare(&a, &b), 1);
    /* both without timezone: plain order */
    b = DT("2002-04-02T12:00:00.001");
    assert_int_equal(sparql_datetime_compare(&a, &b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_canonical), cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_rounding), cmocka_unit_test(test_compare_and_double),
        cmocka_unit_test(test_datetime_parse), cmocka_unit_test(test_datetime_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
