/*
 * test_inline_values.c — values read from inline ids without their text
 * (sparql_value_from_inline, sparql_inline_order) against the slow path
 * they replace: render the id's text (ck_term_from_inline) and parse it
 * (sparql_value_from_term). Edge cases must fall back, never differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "value.h"

#define XSD(local) CK_XSD local

static uint64_t rng = 88172645463325252ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static ck_term literal(const char *lex, const char *datatype)
{
    return (ck_term){.kind = CK_TERM_LITERAL, .value = lex, .value_len = strlen(lex),
                     .datatype = datatype, .datatype_len = strlen(datatype)};
}

/* The value through text, as eval_slot_value made it before. */
static void slow_value(ck_id id, sparql_value *out)
{
    ck_term t;
    char buf[32];
    assert_true(ck_term_from_inline(id, &t, buf));
    assert_true(sparql_value_from_term(out, &t));
}

static bool same_parsed_value(const sparql_value *a, const sparql_value *b)
{
    if (a->kind != b->kind || a->type != b->type || a->valid != b->valid ||
        strcmp(a->datatype, b->datatype) != 0)
        return false;
    switch (a->type) {
    case SPARQL_TYPE_INTEGER:
    case SPARQL_TYPE_DECIMAL:
        return a->v.dec.m == b->v.dec.m && a->v.dec.scale == b->v.dec.scale;
    case SPARQL_TYPE_FLOAT:
    case SPARQL_TYPE_DOUBLE:
        return memcmp(&a->v.d, &b->v.d, sizeof(double)) == 0; /* -0.0 too */
    case SPARQL_TYPE_BOOLEAN:
        return a->v.b == b->v.b;
    case SPARQL_TYPE_DATETIME: {
        const sparql_datetime *x = &a->v.dt, *y = &b->v.dt;
        return x->kind == y->kind && x->year == y->year && x->month == y->month &&
               x->day == y->day && x->hour == y->hour && x->minute == y->minute &&
               x->second.m == y->second.m && x->second.scale == y->second.scale &&
               x->has_tz == y->has_tz && x->tz_minutes == y->tz_minutes;
    }
    default:
        return false;
    }
}

/* Checks one literal; returns 1 when it was inlined and decoded fast. */
static int check_literal(const char *lex, const char *datatype, ck_id *id_out)
{
    ck_term t = literal(lex, datatype);
    ck_id id;
    if (id_out)
        *id_out = 0;
    if (!ck_term_try_inline(&t, &id))
        return 0;
    if (id_out)
        *id_out = id;
    sparql_value slow, fast, with_text;
    slow_value(id, &slow);
    /* the same value, text and all, when the text comes with the id */
    ck_term text;
    char buf[32];
    assert_true(ck_term_from_inline(id, &text, buf));
    assert_true(sparql_value_from_inline_term(&with_text, id, &text));
    if (!same_parsed_value(&slow, &with_text) && slow.valid)
        fail_msg("\"%s\"^^<%s>: the value with text differs", lex, datatype);
    assert_int_equal(with_text.valid, slow.valid);
    assert_true(sparql_value_same_term(&slow, &with_text));
    sparql_value_clear(&with_text);
    bool decoded = sparql_value_from_inline(id, &fast);
    if (decoded) {
        if (!slow.valid || !same_parsed_value(&slow, &fast))
            fail_msg("\"%s\"^^<%s>: decoded value differs from the parsed one", lex, datatype);
        assert_null(fast.lex);
        assert_false(sparql_value_has_text(&fast));
    } else {
        assert_int_equal(fast.kind, SPARQL_VALUE_ERROR);
    }
    /* the double alone (sums): exactly the decoded doubles, bit for bit */
    double d;
    bool is_double = decoded && fast.type == SPARQL_TYPE_DOUBLE;
    assert_int_equal(sparql_inline_double(id, &d), is_double);
    if (is_double && memcmp(&d, &fast.v.d, sizeof d) != 0)
        fail_msg("\"%s\"^^<%s>: sparql_inline_double gives %.17g, the value %.17g", lex, datatype, d, fast.v.d);
    sparql_value_clear(&slow);
    sparql_value_clear(&fast);
    return decoded;
}

/* Literals that must be decoded (1) or left to the text (0). */
static void test_edge_cases(void **state)
{
    (void)state;
    static const struct {
        const char *lex, *type;
        int fast;
    } cases[] = {
        {"0", XSD("integer"), 1},
        {"-1", XSD("integer"), 1},
        {"576460752303423487", XSD("integer"), 1},  /* 2^59 - 1, the largest inline */
        {"-576460752303423487", XSD("integer"), 1},
        {"true", XSD("boolean"), 1},
        {"false", XSD("boolean"), 1},
        {"1.50", XSD("decimal"), 1},                /* trailing zero: scale 1 after parsing */
        {"-0.0", XSD("decimal"), 1},
        {"12.000", XSD("decimal"), 1},
        {"0.00000000000001", XSD("decimal"), 1},
        {"999999999999999", XSD("decimal"), 1},     /* 15 digits */
        {"10.6", XSD("double"), 1},
        {"-0.0", XSD("double"), 1},
        {"487425.0E0", XSD("double"), 1},
        {"4.87425E5", XSD("double"), 1},
        {"1.5E-7", XSD("double"), 1},
        {"0.1", XSD("float"), 1},                   /* rounded to float */
        {"16777217.0", XSD("float"), 1},
        {"1.0E-300", XSD("double"), 0},             /* beyond one exact IEEE operation */
        {"3.4028235E38", XSD("float"), 0},
        {"1.5E25", XSD("double"), 0},     /* 15 * 10^24: not one exact operation */
        {"1.5E23", XSD("double"), 1},
        {"2024-01-01T00:00:00Z", XSD("dateTime"), 1},
        {"2024-02-29T23:59:59.999+14:00", XSD("dateTime"), 1},
        {"2024-06-30T12:30:00.5-05:30", XSD("dateTime"), 1},
        {"2024-06-30T12:30:00.50-05:45", XSD("dateTime"), 1},
        {"2024-06-30T12:30:00.0", XSD("dateTime"), 1},
        {"2024-06-30T12:30:00+00:00", XSD("dateTime"), 1},
        {"0000-01-01T00:00:00", XSD("dateTime"), 1},
        {"2023-02-29T00:00:00Z", XSD("dateTime"), 0}, /* inlined, but not a date */
        {"2024-13-01T00:00:00Z", XSD("dateTime"), 0},
        {"2024-04-31T00:00:00Z", XSD("dateTime"), 0},
        {"2024-01-01T24:00:00Z", XSD("dateTime"), 0}, /* next day's midnight: the text says */
        {"2024-01-01T23:60:00Z", XSD("dateTime"), 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_id id;
        int got = check_literal(cases[i].lex, cases[i].type, &id);
        if (!id)
            fail_msg("\"%s\" was expected to be inline", cases[i].lex);
        if (got != cases[i].fast)
            fail_msg("\"%s\"^^<%s>: decoded %d, expected %d", cases[i].lex, cases[i].type, got,
                     cases[i].fast);
    }
    /* the slow path of the invalid ones says invalid: the fallback matters */
    sparql_value v;
    ck_term t = literal("2023-02-29T00:00:00Z", XSD("dateTime"));
    ck_id id;
    assert_true(ck_term_try_inline(&t, &id));
    slow_value(id, &v);
    assert_false(v.valid);
    sparql_value_clear(&v);
    /* ids that are not inline values */
    double d;
    assert_false(sparql_inline_double(0, &d));
    assert_false(sparql_inline_double(ck_id_make(CK_TAG_INT, 5), &d));
    assert_false(sparql_value_from_inline(0, &v));
    assert_false(sparql_value_from_inline(ck_id_make(CK_TAG_IRI, 7), &v));
    assert_false(sparql_value_from_inline(ck_id_make(CK_TAG_SHORT_STRING, 0x61), &v));
    assert_false(sparql_value_from_inline(ck_id_make(15, 3), &v)); /* query-local */
    assert_int_equal(v.kind, SPARQL_VALUE_ERROR);
}

static void random_number(char *buf, size_t size, bool exponent)
{
    int digits = 1 + (int)(next_random() % 15), point = (int)(next_random() % (digits + 1));
    char d[32];
    for (int i = 0; i < digits; i++)
        d[i] = (char)('0' + next_random() % 10);
    if (point < digits && point > 0 && d[0] == '0')
        d[0] = '1';
    size_t n = 0;
    if (next_random() % 3 == 0)
        buf[n++] = '-';
    if (point == digits || point == 0) { /* "ddd.d" needs a digit each side */
        memcpy(buf + n, d, (size_t)digits);
        n += (size_t)digits;
        buf[n++] = '.';
        buf[n++] = '0';
    } else {
        memcpy(buf + n, d, (size_t)point);
        n += (size_t)point;
        buf[n++] = '.';
        memcpy(buf + n, d + point, (size_t)(digits - point));
        n += (size_t)(digits - point);
    }
    buf[n] = 0;
    if (exponent && digits <= 12)
        snprintf(buf + n, size - n, "E%d", (int)(next_random() % 61) - 30);
}

static void random_datetime(char *buf, size_t size)
{
    int year = (int)(next_random() % 10000), month = 1 + (int)(next_random() % 13),
        day = 1 + (int)(next_random() % 31), hour = (int)(next_random() % 25),
        min = (int)(next_random() % 60), sec = (int)(next_random() % 60);
    if (next_random() % 2) /* mostly plausible dates */
        month = 1 + month % 12, day = 1 + day % 28, hour %= 24;
    int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, min, sec);
    int frac = (int)(next_random() % 4);
    if (frac)
        n += snprintf(buf + n, size - (size_t)n, ".%0*d", frac,
                      (int)(next_random() % (frac == 1 ? 10 : frac == 2 ? 100 : 1000)));
    switch (next_random() % 3) {
    case 1:
        snprintf(buf + n, size - (size_t)n, "Z");
        break;
    case 2: {
        int q = (int)(next_random() % 113) - 56, a = q < 0 ? -q : q;
        snprintf(buf + n, size - (size_t)n, "%c%02d:%02d", q < 0 ? '-' : '+', a / 4, a % 4 * 15);
        break;
    }
    }
}

/* Many random literals of every inline kind: whatever is decoded equals
 * the parsed text. */
static void test_random_literals(void **state)
{
    (void)state;
    const char *number_types[] = {XSD("decimal"), XSD("double"), XSD("float")};
    char buf[64];
    int decoded = 0;
    for (int i = 0; i < 200000; i++) {
        switch (i % 5) {
        case 0:
            snprintf(buf, sizeof buf, "%lld",
                     (long long)((int64_t)(next_random() >> 5) - ((int64_t)1 << 58)));
            decoded += check_literal(buf, XSD("integer"), NULL);
            break;
        case 1:
        case 2: {
            const char *type = number_types[next_random() % 3];
            random_number(buf, sizeof buf, type != number_types[0] && next_random() % 2);
            decoded += check_literal(buf, type, NULL);
            break;
        }
        default:
            random_datetime(buf, sizeof buf);
            decoded += check_literal(buf, XSD("dateTime"), NULL);
        }
    }
    assert_true(decoded > 150000); /* the fast path is the common one */
}

static int sign(int c) { return c < 0 ? -1 : c > 0; }

/* sparql_inline_compare agrees with the operators' comparison and
 * sparql_inline_order with the ORDER BY order of the full values,
 * including mixed types, equal values of different terms (which it must
 * leave to the text) and dateTimes with and without timezones. */
static void test_inline_order(void **state)
{
    (void)state;
    enum { N = 400 };
    ck_id ids[N];
    size_t n = 0;
    const char *fixed[][2] = {
        {"1.5", XSD("decimal")}, {"1.50", XSD("decimal")}, {"1.5", XSD("double")},
        {"15.0E-1", XSD("double")}, {"2", XSD("integer")}, {"2.0", XSD("float")},
        {"true", XSD("boolean")}, {"false", XSD("boolean")},
        {"2024-01-01T00:00:00Z", XSD("dateTime")}, {"2024-01-01T00:00:00+00:00", XSD("dateTime")},
        {"2024-01-01T00:00:00", XSD("dateTime")}, {"2024-01-01T00:00:00.0Z", XSD("dateTime")},
        {"2024-01-01T01:00:00+01:00", XSD("dateTime")}, {"2024-01-01T00:00:00.5Z", XSD("dateTime")},
        {"2024-01-01T00:00:00.50Z", XSD("dateTime")}, {"2024-01-01T00:00:00.45Z", XSD("dateTime")},
        {"2024-01-01T13:00:00", XSD("dateTime")}, {"2023-02-29T00:00:00Z", XSD("dateTime")},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        ck_term t = literal(fixed[i][0], fixed[i][1]);
        assert_true(ck_term_try_inline(&t, &ids[n++]));
    }
    char buf[64];
    while (n < N) {
        ck_term t;
        if (n % 3 == 0) {
            random_datetime(buf, sizeof buf);
            buf[0] = '2', buf[1] = '0', buf[2] = '2'; /* close together: many ties */
            t = literal(buf, XSD("dateTime"));
        } else if (n % 3 == 1) {
            random_number(buf, sizeof buf, false);
            buf[3] = 0; /* short: many equal values */
            t = literal(buf, n % 2 ? XSD("decimal") : XSD("double"));
        } else {
            snprintf(buf, sizeof buf, "%d", (int)(next_random() % 50) - 25);
            t = literal(buf, XSD("integer"));
        }
        if (ck_term_try_inline(&t, &ids[n]))
            n++;
    }
    int decided = 0, compared = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            int c;
            if (sparql_inline_compare(ids[i], ids[j], &c)) {
                /* the operators' comparison, never an error or unordered */
                compared++;
                sparql_value a, b;
                slow_value(ids[i], &a);
                slow_value(ids[j], &b);
                sparql_cmp want = sparql_value_compare(&a, &b, true);
                if (want == SPARQL_CMP_ERROR || want == SPARQL_CMP_NE || c != (int)want) {
                    char ta[32], tb[32];
                    ck_term x, y;
                    ck_term_from_inline(ids[i], &x, ta);
                    ck_term_from_inline(ids[j], &y, tb);
                    fail_msg("comparison of %s and %s: %d, expected %d", ta, tb, c, (int)want);
                }
                sparql_value_clear(&a);
                sparql_value_clear(&b);
            }
            if (!sparql_inline_order(ids[i], ids[j], &c))
                continue;
            decided++;
            sparql_value a, b;
            slow_value(ids[i], &a);
            slow_value(ids[j], &b);
            int want = sign(sparql_value_order(&a, &b));
            if (sign(c) != want) {
                char ta[32], tb[32];
                ck_term x, y;
                ck_term_from_inline(ids[i], &x, ta);
                ck_term_from_inline(ids[j], &y, tb);
                fail_msg("order of %s and %s: %d, expected %d", ta, tb, sign(c), want);
            }
            sparql_value_clear(&a);
            sparql_value_clear(&b);
        }
    assert_true(decided > N * N / 2);
    assert_true(compared > N * N / 10);
}

/* A value without text compares by value, and is never taken for the
 * same term as a literal that is not valid (its text is not empty). */
static void test_textless_compare(void **state)
{
    (void)state;
    ck_term t = literal("5", XSD("integer"));
    ck_id id;
    assert_true(ck_term_try_inline(&t, &id));
    sparql_value five, empty, other, slow;
    assert_true(sparql_value_from_inline(id, &five));
    assert_true(sparql_value_set_literal(&empty, "", 0, XSD("integer"), NULL, 0));
    assert_false(empty.valid);
    assert_int_equal(sparql_value_compare(&five, &empty, false), SPARQL_CMP_ERROR);
    assert_int_equal(sparql_value_compare(&empty, &five, false), SPARQL_CMP_ERROR);
    assert_true(sparql_value_set_literal(&other, "5.0", 3, XSD("decimal"), NULL, 0));
    assert_int_equal(sparql_value_compare(&five, &other, true), SPARQL_CMP_EQ);
    assert_true(sparql_value_set_literal(&slow, "x", 1, NULL, NULL, 0));
    assert_int_equal(sparql_value_compare(&five, &slow, false), SPARQL_CMP_NE);
    assert_int_equal(sparql_value_compare(&five, &slow, true), SPARQL_CMP_ERROR);
    /* no term: a value without text cannot be interned */
    ck_term back;
    assert_false(sparql_value_as_term(&five, &back));
    /* a copy keeps the parsed value */
    sparql_value copy;
    assert_true(sparql_value_copy(&copy, &other));
    assert_true(copy.valid && copy.v.dec.m == 5 && copy.v.dec.scale == 0);
    assert_string_equal(copy.lex, "5.0");
    assert_ptr_not_equal(copy.lex, other.lex);
    sparql_value_clear(&copy);
    sparql_value_clear(&five);
    sparql_value_clear(&empty);
    sparql_value_clear(&other);
    sparql_value_clear(&slow);
    /* booleans carry constant text */
    sparql_value b;
    assert_true(sparql_value_set_bool(&b, true));
    assert_true(b.valid && b.v.b && b.type == SPARQL_TYPE_BOOLEAN);
    assert_string_equal(b.lex, "true");
    assert_string_equal(b.datatype, XSD("boolean"));
    assert_true(sparql_value_copy(&copy, &b));
    assert_true(sparql_value_same_term(&copy, &b));
    sparql_value_clear(&copy);
    sparql_value_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_random_literals),
        cmocka_unit_test(test_inline_order),
        cmocka_unit_test(test_textless_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
