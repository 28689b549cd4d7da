/*
 * test_decimal_cmp.c — comparing decimals whose scales cannot be aligned
 * within 128 bits (a 21-digit number against 10^-26): the comparison falls
 * back to the integer parts, which a failed alignment must leave intact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "decimal.h"

static sparql_decimal parse(const char *s)
{
    sparql_decimal d;
    assert_true(sparql_decimal_parse(s, strlen(s), false, &d));
    return d;
}

static void test_unaligned(void **state)
{
    (void)state;
    const char *ordered[] = {"-12345678901234567890.5", "-3", "0.00000000000000000000000001",
                             "1.25", "12345678901234567890.5", "99999999999999999999.25"};
    size_t n = sizeof ordered / sizeof *ordered;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int want = i < j ? -1 : i > j;
            int got = sparql_decimal_cmp(parse(ordered[i]), parse(ordered[j]));
            if (got != want)
                fail_msg("cmp(%s, %s) = %d, expected %d", ordered[i], ordered[j], got, want);
        }
    /* the sum does not fit: an error, not a wrong number */
    sparql_decimal sum;
    assert_false(sparql_decimal_add(parse("12345678901234567890.5"),
                                    parse("0.00000000000000000000000001"), &sum));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_unaligned)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
