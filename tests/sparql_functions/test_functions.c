/*
 * test_functions.c — SPARQL 1.1 built-in functions, operators and casts
 * (sparql/functions.h). Expected values come from the SPARQL 1.1 Query
 * specification (§17) and from the W3C test suite, named per test as
 * "w3c: <file>" for ../shared/w3c/sparql/sparql11/functions/<file>.
 */
#include "helpers.h"

#include <stdlib.h>

static sparql_func_ctx ctx_storage;
static sparql_func_ctx *ctx = &ctx_storage;

static int setup(void **state)
{
    return sparql_func_ctx_init(ctx, "http://example.org/") ? 0 : -1;
}

static int teardown(void **state)
{
    sparql_func_ctx_free(ctx);
    return 0;
}

#define INT(s) lit(s, CK_XSD_INTEGER)
#define DEC(s) lit(s, XSD("decimal"))
#define DBL(s) lit(s, XSD("double"))
#define DT(s) lit(s, XSD("dateTime"))

static void test_strlen(void **state)
{
    /* w3c: length01.srx (data.ttl) and length01-non-bmp.srx (data-nonbmp) */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRLEN, str("食べ物")), "3", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRLEN, lang("bar", "en")), "3", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRLEN, str("\U0001F46A")), "1", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRLEN, str("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466")),
               "7", CK_XSD_INTEGER);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLEN, INT("7")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLEN, iri("http://a")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLEN, err()));
    /* malformed UTF-8 is counted byte by byte, never read past the end */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRLEN, str("a\xE2\x82")), "3", CK_XSD_INTEGER);
}

static void test_substr(void **state)
{
    /* w3c: substring01.srx, substring02.srx, substring01-non-bmp.srx */
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_SUBSTR, lang("bar", "en"), INT("1"), INT("1")), "b", NULL, "en");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("食べ物"), INT("1"), INT("1")), "食", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("食べ物"), INT("2")), "べ物", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, lit("abc", CK_XSD_STRING), INT("2")), "bc", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("\U0001F468\u200D\U0001F469"), INT("1"), INT("1")),
               "\U0001F468", NULL);
    /* XPath fn:substring examples with integer positions */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("motor car"), INT("6")), " car", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("metadata"), INT("4"), INT("3")), "ada", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), INT("0"), INT("3")), "12", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), INT("5"), INT("-3")), "", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), INT("-3"), INT("5")), "1", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), INT("9")), "", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), lit("2", CK_XSD "byte")), "2345", NULL);
    /* §17.4.3.3's positions are xsd:integer: other numbers are type errors */
    expect_error(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), DBL("1.5"), DBL("2.6")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), lit("2.0", CK_XSD "decimal")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), INT("1"), DBL("NaN")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_SUBSTR, str("12345"), str("1")));
}

static void test_case(void **state)
{
    /* w3c: ucase01.srx, lcase01.srx, ucase01-non-bmp.srx */
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_UCASE, lang("bar", "en")), "BAR", NULL, "en");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_UCASE, str("食べ物")), "食べ物", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_UCASE, str("100%")), "100%", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_UCASE, str("\U0001F46A")), "\U0001F46A", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_LCASE, lit("DEF", CK_XSD_STRING)), "def", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_LCASE, str("BAZ")), "baz", NULL);
    /* XPath fn:upper-case: ß becomes SS; Latin-1 and Latin Extended-A */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_UCASE, str("Straße über Ölmühle")), "STRASSE ÜBER ÖLMÜHLE", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_LCASE, str("ÄÖÜ ŁÓDŹ")), "äöü łódź", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_UCASE, iri("http://a")));
}

static void test_concat(void **state)
{
    /* w3c: concat01.srx, concat02.srx (data2.ttl), concat-empty.srx */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_CONCAT, lit("abc", CK_XSD_STRING), lit("DEF", CK_XSD_STRING)), "abcDEF",
               NULL);
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_CONCAT, lang("english", "en"), lang("english", "en")),
                    "englishenglish", NULL, "en");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_CONCAT, lang("english", "en"), lang("français", "fr")),
               "englishfrançais", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_CONCAT, str("123"), lang("日本語", "ja")), "123日本語", NULL);
    expect_lit(CALL0(ctx, SPARQL_CALL_FN_CONCAT), "", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_CONCAT, str("a"), INT("7")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_CONCAT, str("a"), err()));
}

static void test_string_tests(void **state)
{
    /* w3c: contains01.srx, starts01.srx, ends01.srx; §17.4.3.1.1 examples */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_CONTAINS, lang("bar", "en"), str("a")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_CONTAINS, str("foo"), str("a")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_STRSTARTS, str("100%"), str("1")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_STRENDS, str("foobar"), str("bar")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_STRSTARTS, lang("abc", "en"), lang("ab", "en")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_STRSTARTS, lang("abc", "en"), str("")), true);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRSTARTS, str("abc"), lang("ab", "en")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_CONTAINS, lang("abc", "en"), lang("b", "fr")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_CONTAINS, INT("12"), str("1")));
}

static void test_strbefore_strafter(void **state)
{
    /* w3c: strbefore02.srx and strafter02.srx (data4.ttl) */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, str("abc"), str("b")), "a", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, str("abc"), str("")), "", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, str("abc"), lang("b", "cy")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, str("abc"), lang("", "en")));
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, lang("abc", "en"), str("bc")), "a", NULL, "en");
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, lang("abc", "en"), str("")), "", NULL, "en");
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, lang("abc", "en"), lang("", "en")), "", NULL, "en");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRBEFORE, lang("abc", "en"), lit("xyz", CK_XSD_STRING)), "", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRAFTER, str("abc"), str("b")), "c", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRAFTER, str("abc"), str("")), "abc", NULL);
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRAFTER, lang("abc", "en"), str("ab")), "c", NULL, "en");
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRAFTER, lang("abc", "en"), lang("", "en")), "abc", NULL, "en");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRAFTER, lang("abc", "en"), lit("xyz", CK_XSD_STRING)), "", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRAFTER, str("abc"), lang("b", "cy")));
}

static void test_encode_for_uri(void **state)
{
    /* w3c: encode01.srx, encode01-non-bmp.srx */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, lang("bar", "en")), "bar", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, str("食べ物")), "%E9%A3%9F%E3%81%B9%E7%89%A9", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, str("100%")), "100%25", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, str("\U0001F46A")), "%F0%9F%91%AA", NULL);
    /* §17.4.3.11 example */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, str("Los Angeles")), "Los%20Angeles", NULL);
}

static void test_langmatches(void **state)
{
    /* §17.4.3.x LANGMATCHES examples, RFC 4647 basic filtering */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str("en-US"), str("en")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str("EN"), str("en")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str("fr"), str("*")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str(""), str("*")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str("english"), str("en")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_LANGMATCHES, str("en"), str("en-US")), false);
}

static void test_regex(void **state)
{
    /* §17.4.3.14 example: regex(?name, "^ali", "i") */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("Alice"), str("^ali"), str("i")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("Bob"), str("^ali"), str("i")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, lang("Alice", "en"), str("^Ali")), true);
    /* flags s, m, x, q */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a\nb"), str("a.b")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a\nb"), str("a.b"), str("s")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a\nb"), str("^b$"), str("m")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a\nb"), str("^b$")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("ab"), str("a b"), str("x")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a.b"), str("."), str("q")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("ab"), str("."), str("q")), false);
    /* XPath $ matches only at the very end, not before a final newline */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("ab\n"), str("b$")), false);
    /* code points, not bytes */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("食べ物"), str("^...$")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("ÄRGER"), str("^ärger$"), str("i")), true);
    /* errors: bad pattern, bad flag, non-string text, invalid UTF-8 */
    expect_error(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a"), str("(")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a"), str("a"), str("g")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_REGEX, INT("1"), str("1")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_REGEX, str("a\xff"), str("a")));
    /* the compiled pattern is reused from the cache */
    for (int i = 0; i < 40; i++) {
        char pat[16];
        snprintf(pat, sizeof pat, "x%d", i % 20);
        expect_bool(CALL(ctx, SPARQL_CALL_FN_REGEX, str("x1"), str(pat)), i % 20 == 1);
    }
}

static void test_replace(void **state)
{
    /* w3c: replace01.srx (data3.ttl), replace02.srx, replace03.srx,
     * replace-case-insensitive.srx */
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_REPLACE, lang("Français", "fr"), str("[^a-z0-9]"), str("-")),
                    "-ran-ais", NULL, "fr");
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_REPLACE, lang("日本語", "ja"), str("[^a-z0-9]"), str("-")), "---",
                    NULL, "ja");
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, lit("abc", CK_XSD_STRING), str("[^a-z0-9]"), str("-")), "abc",
               NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_REPLACE, INT("7"), str("[^a-z0-9]"), str("-")));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("banana"), str("ana"), str("*")), "b*na", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abcd"), str("(ab)|(a)"), str("[1=$1][2=$2]")),
               "[1=ab][2=]cd", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("aAbBaC"), str("a"), str("~/"), str("i")), "~/~/bB~/C", NULL);
    /* XPath fn:replace examples */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abracadabra"), str("bra"), str("*")), "a*cada*", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abracadabra"), str("a(.)"), str("a$1$1")),
               "abbraccaddabbra", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("darted"), str("^(.*?)d(.*)$"), str("$1c$2")), "carted", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("a$b"), str("\\$"), str("\\$\\\\")), "a$\\b", NULL);
    /* $ followed by more digits than groups: the extra digit is literal */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("ab"), str("(a)"), str("$10")), "a0b", NULL);
    /* errors: pattern matching "", malformed replacement */
    expect_error(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abracadabra"), str(".*?"), str("$1")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abc"), str("b"), str("$")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("abc"), str("b"), str("\\x")));
    /* a result longer than the first output guess */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_REPLACE, str("aaaa"), str("a"),
                    str("0123456789012345678901234567890123456789")),
               "0123456789012345678901234567890123456789" "0123456789012345678901234567890123456789"
               "0123456789012345678901234567890123456789" "0123456789012345678901234567890123456789",
               NULL);
}

static void test_numeric_functions(void **state)
{
    /* w3c: abs01.srx, ceil01.srx, floor01.srx, round01.srx (data.ttl). The
     * suite writes decimals in XSD 1.1 form ("3"); citykg writes the XSD 1.0
     * canonical form ("3.0") — the same value. */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ABS, INT("-2")), "2", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ABS, DEC("-2.5")), "2.5", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_CEIL, DEC("1.1")), "2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_CEIL, DEC("-1.6")), "-1.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_FLOOR, DEC("2.5")), "2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_FLOOR, INT("-2")), "-2", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DEC("2.5")), "3.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DEC("-1.6")), "-2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DEC("1.1")), "1.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, INT("-1")), "-1", CK_XSD_INTEGER);
    /* XPath fn:round: halves toward +infinity */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DEC("-2.5")), "-2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DBL("2.5")), "3.0E0", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DBL("-2.5")), "-2.0E0", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ROUND, DBL("NaN")), "NaN", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_ABS, lit("-1.5", XSD("float"))), "1.5E0", XSD("float"));
    expect_error(CALL(ctx, SPARQL_CALL_FN_ABS, str("1")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_ABS, INT("x")));
    /* RAND: a double in [0, 1) */
    for (int i = 0; i < 100; i++) {
        sparql_value r = CALL0(ctx, SPARQL_CALL_FN_RAND);
        assert_string_equal(r.datatype, XSD("double"));
        assert_true(r.v.d >= 0 && r.v.d < 1);
        sparql_value_clear(&r);
    }
}

static void test_arithmetic(void **state)
{
    /* §17.3 operator mapping, numeric type promotion */
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, INT("1"), INT("2")), "3", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, lit("1", XSD("byte")), lit("2", XSD("int"))), "3", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, INT("1"), DEC("2.5")), "3.5", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, DEC("0.1"), DEC("0.2")), "0.3", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_MUL, DEC("1.5"), INT("2")), "3.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, INT("1"), lit("1.5", XSD("float"))), "2.5E0", XSD("float"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_ADD, lit("1", XSD("float")), DBL("1e0")), "2.0E0", XSD("double"));
    /* integer division gives a decimal: 1/2 = 0.5 (op:numeric-divide) */
    expect_lit(CALL(ctx, SPARQL_CALL_OP_DIV, INT("1"), INT("2")), "0.5", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_DIV, INT("4"), INT("2")), "2.0", XSD("decimal"));
    expect_error(CALL(ctx, SPARQL_CALL_OP_DIV, INT("1"), INT("0")));
    expect_error(CALL(ctx, SPARQL_CALL_OP_DIV, DEC("1.0"), DEC("0.0")));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_DIV, DBL("1"), DBL("0")), "INF", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_SUB, INT("1"), INT("3")), "-2", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_OP_MINUS, DEC("1.5")), "-1.5", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_OP_PLUS, INT("01")), "01", CK_XSD_INTEGER);
    /* w3c: plus-1-corrected / plus-2-corrected: + on strings is an error */
    expect_error(CALL(ctx, SPARQL_CALL_OP_ADD, str("1"), str("2")));
    expect_error(CALL(ctx, SPARQL_CALL_OP_ADD, INT("1"), str("2")));
    expect_error(CALL(ctx, SPARQL_CALL_OP_ADD, INT("1"), err()));
    /* overflow is an error, not a wrong number */
    expect_error(CALL(ctx, SPARQL_CALL_OP_MUL, INT("99999999999999999999999999999999999999"), INT("10")));
}

static void test_comparison_and_logic(void **state)
{
    expect_bool(CALL(ctx, SPARQL_CALL_OP_EQ, INT("1"), DEC("1.0")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_NE, INT("1"), DBL("2")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_LT, str("abc"), str("abd")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_GE, DT("2010-06-21T11:28:01Z"), DT("2010-12-21T15:38:02-08:00")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_LE, INT("2"), INT("2")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_EQ, iri("http://a"), str("http://a")), false);
    expect_error(CALL(ctx, SPARQL_CALL_OP_LT, INT("1"), str("2")));
    expect_error(CALL(ctx, SPARQL_CALL_OP_EQ, lit("a", "http://ex/t"), lit("b", "http://ex/t")));
    expect_error(CALL(ctx, SPARQL_CALL_OP_LT, DT("2010-06-21T11:28:01"), DT("2010-06-21T11:28:01Z")));
    /* §17.2 truth tables with errors */
    sparql_value T = lit("true", CK_XSD_BOOLEAN), F = lit("false", CK_XSD_BOOLEAN);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_OR, err(), lit("true", CK_XSD_BOOLEAN)), true);
    expect_error(CALL(ctx, SPARQL_CALL_OP_OR, err(), lit("false", CK_XSD_BOOLEAN)));
    expect_bool(CALL(ctx, SPARQL_CALL_OP_AND, lit("false", CK_XSD_BOOLEAN), err()), false);
    expect_error(CALL(ctx, SPARQL_CALL_OP_AND, lit("true", CK_XSD_BOOLEAN), err()));
    expect_error(CALL(ctx, SPARQL_CALL_OP_NOT, iri("http://a")));
    expect_bool(CALL(ctx, SPARQL_CALL_OP_NOT, str("")), true);
    sparql_value_clear(&T);
    sparql_value_clear(&F);
    /* w3c: in01 (2 IN (1, 2, 3)), in02, notin01 (2 NOT IN ()), notin02;
     * §17.4.1.9 examples with errors */
    expect_bool(CALL(ctx, SPARQL_CALL_OP_IN, INT("2"), INT("1"), INT("2"), INT("3")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_IN, INT("2")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_NOT_IN, INT("2")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_OP_IN, INT("2"), err(), INT("2")), true);
    expect_error(CALL(ctx, SPARQL_CALL_OP_IN, INT("2"), err(), INT("3")));
    expect_bool(CALL(ctx, SPARQL_CALL_OP_NOT_IN, INT("2"), INT("3"), DBL("2.5")), true);
    expect_error(CALL(ctx, SPARQL_CALL_OP_NOT_IN, INT("2"), INT("3"), err()));
}

static void test_functional_forms(void **state)
{
    /* w3c: if01.srx (lang(?o) = "ja"), if02.srx (IF(1/0, ...) is an error),
     * coalesce01.srx */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_IF, lit("true", CK_XSD_BOOLEAN), lit("true", CK_XSD_BOOLEAN),
                     lit("false", CK_XSD_BOOLEAN)),
                true);
    expect_error(CALL(ctx, SPARQL_CALL_FN_IF, err(), lit("false", CK_XSD_BOOLEAN), lit("true", CK_XSD_BOOLEAN)));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_IF, str(""), INT("1"), INT("2")), "2", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_COALESCE, err(), INT("-1")), "-1", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_COALESCE, DEC("0.0"), INT("-2")), "0.0", XSD("decimal"));
    expect_error(CALL(ctx, SPARQL_CALL_FN_COALESCE, err()));
    expect_error(CALL0(ctx, SPARQL_CALL_FN_COALESCE));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IF, str("x"), str("y"))); /* wrong arity */
}

static void test_term_functions(void **state)
{
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STR, iri("http://example.org/a")), "http://example.org/a", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STR, lit("1.50", XSD("decimal"))), "1.50", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STR, blank("b")));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_LANG, lang("chat", "fr")), "fr", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_LANG, str("chat")), "", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_LANG, iri("http://a")));
    expect_iri(CALL(ctx, SPARQL_CALL_FN_DATATYPE, str("a")), CK_XSD_STRING);
    expect_iri(CALL(ctx, SPARQL_CALL_FN_DATATYPE, lang("a", "en")), CK_RDF_LANGSTRING);
    expect_iri(CALL(ctx, SPARQL_CALL_FN_DATATYPE, lit("5", XSD("byte"))), XSD("byte"));
    expect_error(CALL(ctx, SPARQL_CALL_FN_DATATYPE, iri("http://a")));
    /* w3c: iri01.srx: BASE <http://example.org/>, URI("uri"), IRI("iri") */
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, str("uri")), "http://example.org/uri");
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://other/x")), "http://other/x");
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, iri("http://other/x")), "http://other/x");
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, str("../a/./b?q#f")), "http://example.org/a/b?q#f");
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, str("#frag")), "http://example.org/#frag");
    expect_iri(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://x/a%20b#c")), "http://x/a%20b#c");
    /* RFC 3987 syntax: one fragment, percent-encodings of two hex digits */
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://example.org/a#b#c")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://example.org/a%2")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://example.org/a%zz")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, lang("x", "en")));
    /* §17.4.2.8: the result must be an absolute IRI (differential test,
     * function queries over IRI(?a)) */
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://example.org/a b")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("x\ny")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_IRI, str("http://example.org/<a>")));
    sparql_func_ctx no_base;
    assert_true(sparql_func_ctx_init(&no_base, NULL));
    expect_error(CALL(&no_base, SPARQL_CALL_FN_IRI, str("uri")));
    expect_iri(CALL(&no_base, SPARQL_CALL_FN_IRI, str("urn:x:y")), "urn:x:y");
    sparql_func_ctx_free(&no_base);
    /* w3c: strdt01-03, strlang01-03 (rdf11 variants) */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRDT, str("123"), iri(CK_XSD_INTEGER)), "123", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_STRDT, lit("abc", CK_XSD_STRING), iri(CK_XSD_STRING)), "abc", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRDT, lang("bar", "en"), iri(CK_XSD_STRING)));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRDT, str("a"), str(CK_XSD_STRING)));
    expect_lit_lang(CALL(ctx, SPARQL_CALL_FN_STRLANG, str("foo"), str("en-US")), "foo", NULL, "en-US");
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLANG, lang("bar", "en"), str("en-US")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLANG, str("foo"), str("")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_STRLANG, str("foo"), INT("1")));
    /* isIRI, isBLANK, isLITERAL, isNUMERIC (w3c: isnumeric01.srx), sameTerm */
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISIRI, iri("http://a")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISBLANK, blank("b")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISLITERAL, blank("b")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISNUMERIC, INT("1")), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISNUMERIC, lit("1", XSD("unsignedShort"))), true);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISNUMERIC, lit("1200", XSD("byte"))), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_ISNUMERIC, str("1")), false);
    expect_error(CALL(ctx, SPARQL_CALL_FN_ISNUMERIC, err()));
    expect_bool(CALL(ctx, SPARQL_CALL_FN_SAMETERM, INT("1"), DEC("1.0")), false);
    expect_bool(CALL(ctx, SPARQL_CALL_FN_SAMETERM, str("a"), lit("a", CK_XSD_STRING)), true);
}

static void test_bnode_uuid(void **state)
{
    /* BNODE(): fresh each call; BNODE("x"): one node per label and row */
    sparql_func_ctx_set_row(ctx, 1);
    sparql_value a = CALL0(ctx, SPARQL_CALL_FN_BNODE), b = CALL0(ctx, SPARQL_CALL_FN_BNODE);
    assert_int_equal(a.kind, SPARQL_VALUE_BLANK);
    assert_false(sparql_value_same_term(&a, &b));
    sparql_value x1 = CALL(ctx, SPARQL_CALL_FN_BNODE, str("x")), y1 = CALL(ctx, SPARQL_CALL_FN_BNODE, str("y"));
    sparql_value x1b = CALL(ctx, SPARQL_CALL_FN_BNODE, str("x"));
    assert_true(sparql_value_same_term(&x1, &x1b));
    assert_false(sparql_value_same_term(&x1, &y1));
    sparql_func_ctx_set_row(ctx, 2);
    sparql_value x2 = CALL(ctx, SPARQL_CALL_FN_BNODE, str("x"));
    assert_false(sparql_value_same_term(&x1, &x2));
    expect_error(CALL(ctx, SPARQL_CALL_FN_BNODE, INT("1")));
    sparql_value *all[] = {&a, &b, &x1, &y1, &x1b, &x2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sparql_value_clear(all[i]);

    /* w3c: uuid01 (isIRI, STRSTARTS "urn:uuid:"), struuid01 (36 chars) */
    sparql_value u = CALL0(ctx, SPARQL_CALL_FN_UUID), v = CALL0(ctx, SPARQL_CALL_FN_UUID);
    assert_int_equal(u.kind, SPARQL_VALUE_IRI);
    assert_int_equal(u.lex_len, 45);
    assert_memory_equal(u.lex, "urn:uuid:", 9);
    assert_int_equal(u.lex[9 + 14], '4');
    assert_false(sparql_value_same_term(&u, &v));
    sparql_value_clear(&u);
    sparql_value_clear(&v);
    sparql_value s = CALL0(ctx, SPARQL_CALL_FN_STRUUID);
    assert_int_equal(s.type, SPARQL_TYPE_STRING);
    assert_int_equal(s.lex_len, 36);
    sparql_value_clear(&s);
}

static void test_dates(void **state)
{
    /* w3c: year-01, month-01, day-01, hours-01, minutes-01, seconds-01,
     * timezone-01, tz-01 (.srx) over data.ttl's :d1 .. :d4 */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_YEAR, DT("2010-06-21T11:28:01Z")), "2010", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_MONTH, DT("2010-12-21T15:38:02-08:00")), "12", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_DAY, DT("2008-06-20T23:59:00Z")), "20", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_HOURS, DT("2011-02-01T01:02:03")), "1", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_MINUTES, DT("2010-12-21T15:38:02-08:00")), "38", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SECONDS, DT("2010-12-21T15:38:02-08:00")), "2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SECONDS, DT("2010-12-21T15:38:02.125Z")), "2.125", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TIMEZONE, DT("2010-06-21T11:28:01Z")), "PT0S", XSD("dayTimeDuration"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TIMEZONE, DT("2010-12-21T15:38:02-08:00")), "-PT8H",
               XSD("dayTimeDuration"));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TIMEZONE, DT("2010-12-21T15:38:02+05:30")), "PT5H30M",
               XSD("dayTimeDuration"));
    expect_error(CALL(ctx, SPARQL_CALL_FN_TIMEZONE, DT("2011-02-01T01:02:03")));
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TZ, DT("2010-06-21T11:28:01Z")), "Z", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TZ, DT("2010-12-21T15:38:02-08:00")), "-08:00", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_TZ, DT("2011-02-01T01:02:03")), "", NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_YEAR, str("2010-06-21T11:28:01Z")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_YEAR, DT("2010-06-32T11:28:01Z")));
    /* NOW: one value for the whole query (w3c: now01 checks the datatype) */
    sparql_value a = CALL0(ctx, SPARQL_CALL_FN_NOW), b = CALL0(ctx, SPARQL_CALL_FN_NOW);
    assert_int_equal(a.type, SPARQL_TYPE_DATETIME);
    assert_true(a.valid && a.v.dt.has_tz);
    assert_true(sparql_value_same_term(&a, &b));
    sparql_value_clear(&a);
    sparql_value_clear(&b);
}

static void test_hashes(void **state)
{
    /* w3c: md5-01, md5-02 (data.ttl :s1 "foo", :s4 "食べ物"), sha1-01/02,
     * sha256-01/02, sha384-01/02, sha512-01/02 (:s8 "食" of hash-unicode.ttl) */
    expect_lit(CALL(ctx, SPARQL_CALL_FN_MD5, str("foo")), "acbd18db4cc2f85cedef654fccc4a4d8", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_MD5, str("食べ物")), "e7ada485d13b1decf628c9211bc3a97b", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA1, str("foo")), "0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA1, str("食")), "d46696735b6a09ff407bfc1a9407e008840db9c9", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA256, str("foo")),
               "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA256, str("食")),
               "0fbe868d1df356ca9df7ebff346da3a56280e059a7ea81186ef885b140d254ee", NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA384, str("foo")),
               "98c11ffdfdd540676b1a137cb1a22b2a70350c9a44171d6b1180c6be5cbb2ee3f79d532c8a1dd9ef2e8e08e752a3babb",
               NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA384, str("食")),
               "adfda7e9ad8789b391855038d0d74dce3efe3af1eefcea35d50b91d6c244a0c546375445b518c9fb61e03e6a060bc95d",
               NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA512, str("foo")),
               "f7fbba6e0636f890e56fbbf3283e524c6fa3204ae298382d624741d0dc6638326e282c41be5e4254d8820772c551"
               "8a2c5a8c0c7f7eda19594a7eb539453e1ed7",
               NULL);
    expect_lit(CALL(ctx, SPARQL_CALL_FN_SHA512, str("食")),
               "b433ed0e60c818bea72d3aa1a43db89b3ed2b624597407b7912bbb7685f2e45ae5500e092da5f938391d282b26bc43"
               "e4035b12460c93ab5e2e1a05d582331d85",
               NULL);
    expect_error(CALL(ctx, SPARQL_CALL_FN_MD5, lang("foo", "en")));
    expect_error(CALL(ctx, SPARQL_CALL_FN_SHA1, INT("1")));
}

static void test_casts(void **state)
{
    /* §17.5 cast table */
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, iri("http://a")), "http://a", NULL);
    /* XPath F&O 19.1.2.2: a decimal casts to its canonical text; the W3C
     * test sparql11/cast/cast-string expects "0" for "0.0"^^xsd:decimal */
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("1.50", XSD("decimal"))), "1.5", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("-1.0", XSD("decimal"))), "-1", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("1.25E0", XSD("double"))), "1.25", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("1E7", XSD("double"))), "1.0E7", NULL);
    /* F&O 17.1.2: a double zero casts to "0" or "-0" (differential test, probe 13) */
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("-0.0E0", XSD("double"))), "-0", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("0.0E0", XSD("double"))), "0", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("-0", XSD("float"))), "-0", NULL);
    expect_lit(CALL(ctx, SPARQL_CAST_STRING, lit("0", XSD("boolean"))), "false", NULL);
    expect_error(CALL(ctx, SPARQL_CAST_STRING, blank("b")));
    expect_bool(CALL(ctx, SPARQL_CAST_BOOLEAN, str(" 1 ")), true);
    expect_bool(CALL(ctx, SPARQL_CAST_BOOLEAN, DBL("NaN")), false);
    expect_bool(CALL(ctx, SPARQL_CAST_BOOLEAN, DEC("0.5")), true);
    expect_error(CALL(ctx, SPARQL_CAST_BOOLEAN, str("yes")));
    expect_error(CALL(ctx, SPARQL_CAST_BOOLEAN, DT("2010-06-21T11:28:01Z")));
    expect_lit(CALL(ctx, SPARQL_CAST_INTEGER, str("0042")), "42", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CAST_INTEGER, DEC("-2.9")), "-2", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CAST_INTEGER, DBL("1.9e2")), "190", CK_XSD_INTEGER);
    expect_lit(CALL(ctx, SPARQL_CAST_INTEGER, lit("true", CK_XSD_BOOLEAN)), "1", CK_XSD_INTEGER);
    expect_error(CALL(ctx, SPARQL_CAST_INTEGER, str("1.5")));
    expect_error(CALL(ctx, SPARQL_CAST_INTEGER, DBL("INF")));
    expect_error(CALL(ctx, SPARQL_CAST_INTEGER, lit("x", XSD("integer"))));
    expect_lit(CALL(ctx, SPARQL_CAST_DECIMAL, str("1.50")), "1.5", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CAST_DECIMAL, INT("2")), "2.0", XSD("decimal"));
    expect_lit(CALL(ctx, SPARQL_CAST_DECIMAL, DBL("0.1")), "0.1", XSD("decimal"));
    expect_error(CALL(ctx, SPARQL_CAST_DECIMAL, str("1e3")));
    expect_lit(CALL(ctx, SPARQL_CAST_DOUBLE, str("1e3")), "1.0E3", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CAST_DOUBLE, INT("-5")), "-5.0E0", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CAST_DOUBLE, str("-INF")), "-INF", XSD("double"));
    expect_lit(CALL(ctx, SPARQL_CAST_FLOAT, DEC("0.1")), "1.0E-1", XSD("float"));
    expect_lit(CALL(ctx, SPARQL_CAST_FLOAT, lit("false", CK_XSD_BOOLEAN)), "0.0E0", XSD("float"));
    expect_error(CALL(ctx, SPARQL_CAST_DOUBLE, str("0x10")));
    expect_lit(CALL(ctx, SPARQL_CAST_DATETIME, str("2010-06-21T11:28:01+00:00")), "2010-06-21T11:28:01Z",
               XSD("dateTime"));
    expect_lit(CALL(ctx, SPARQL_CAST_DATETIME, lit("2010-06-21", XSD("date"))), "2010-06-21T00:00:00",
               XSD("dateTime"));
    expect_error(CALL(ctx, SPARQL_CAST_DATETIME, str("2010-06-21")));
    expect_lit(CALL(ctx, SPARQL_CAST_DATE, DT("2010-12-21T15:38:02-08:00")), "2010-12-21-08:00", XSD("date"));
    expect_error(CALL(ctx, SPARQL_CAST_INTEGER, lang("1", "en")));
}

static bool ext_twice(sparql_value *args, int nargs, sparql_value *result, sparql_func_ctx *c, void *userdata)
{
    (void)c;
    int *calls = userdata;
    (*calls)++;
    sparql_value two = lit("2", CK_XSD_INTEGER);
    bool ok = sparql_function_call(SPARQL_CALL_OP_MUL, (sparql_value[]){args[0], two}, 2, result, ctx);
    sparql_value_clear(&two);
    return ok;
}

static void test_registry(void **state)
{
    /* casts are registered under their datatype IRIs */
    const sparql_ext_function *f = sparql_function_lookup(XSD("integer"));
    assert_non_null(f);
    sparql_value args[1] = {str("12")}, r;
    assert_true(sparql_function_call_iri(XSD("integer"), args, 1, &r, ctx));
    expect_lit(r, "12", CK_XSD_INTEGER);
    assert_false(sparql_function_call_iri(XSD("integer"), args, 0, &r, ctx));
    expect_error(r);
    sparql_value_clear(&args[0]);
    assert_null(sparql_function_lookup("http://example.org/nope"));
    /* an extension function (as GeoSPARQL will register geof:) */
    static int calls;
    assert_true(sparql_function_register("http://example.org/fn#twice", ext_twice, 1, 1, &calls));
    args[0] = DEC("1.25");
    assert_true(sparql_function_call_iri("http://example.org/fn#twice", args, 1, &r, ctx));
    expect_lit(r, "2.5", XSD("decimal"));
    sparql_value_clear(&args[0]);
    assert_int_equal(calls, 1);
    /* names of built-ins for the parser */
    enum sparql_call id;
    assert_true(sparql_builtin_by_name("uri", 3, &id));
    assert_int_equal(id, SPARQL_CALL_FN_IRI);
    assert_true(sparql_builtin_by_name("StrLen", 6, &id));
    assert_int_equal(id, SPARQL_CALL_FN_STRLEN);
    assert_false(sparql_builtin_by_name("STRLENX", 7, &id));
    assert_int_equal(sparql_builtin_describe(SPARQL_CALL_FN_SUBSTR)->max_args, 3);
}

/* Found by fuzz_sparql_eval: nested REPLACE and CONCAT chains grow strings
 * exponentially, so a result over 16 MiB is an error (not gigabytes). */
static void test_string_result_limit(void **state)
{
    size_t n = (size_t)9 << 20; /* two of these pass the limit */
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    expect_error(CALL(ctx, SPARQL_CALL_FN_CONCAT, str(big), str(big)));
    sparql_value r = CALL(ctx, SPARQL_CALL_FN_CONCAT, str(big), str("b"));
    assert_int_equal(r.lex_len, n + 1);
    sparql_value_clear(&r);
    memset(big, ' ', (size_t)6 << 20); /* 6 Mi spaces encode as 18 MiB */
    big[(size_t)6 << 20] = '\0';
    expect_error(CALL(ctx, SPARQL_CALL_FN_ENCODE_FOR_URI, str(big)));
    big[(size_t)1 << 20] = '\0'; /* 1 Mi matches, 20 bytes each */
    expect_error(CALL(ctx, SPARQL_CALL_FN_REPLACE, str(big), str(" "), str("01234567890123456789")));
    r = CALL(ctx, SPARQL_CALL_FN_REPLACE, str(big), str(" "), str("0123456789"));
    assert_int_equal(r.lex_len, (size_t)10 << 20);
    sparql_value_clear(&r);
    free(big);
}

/* Every built-in with every kind of argument: nothing may crash or leak. */
static void test_no_crash_on_any_input(void **state)
{
    for (int id = 0; id < SPARQL_CALL_COUNT; id++) {
        const sparql_builtin_info *info = sparql_builtin_describe((enum sparql_call)id);
        for (int n = 0; n <= 4; n++) {
            for (int pick = 0; pick < 12; pick++) {
                sparql_value args[4];
                for (int i = 0; i < 4; i++) {
                    switch ((pick + i * 5) % 12) {
                    case 0: args[i] = err(); break;
                    case 1: args[i] = iri("http://example.org/x"); break;
                    case 2: args[i] = blank("b0"); break;
                    case 3: args[i] = str(""); break;
                    case 4: args[i] = lang("ab", "en"); break;
                    case 5: args[i] = INT("-3"); break;
                    case 6: args[i] = DEC("0.0"); break;
                    case 7: args[i] = DBL("NaN"); break;
                    case 8: args[i] = lit("true", CK_XSD_BOOLEAN); break;
                    case 9: args[i] = DT("2010-01-01T00:00:00"); break;
                    case 10: args[i] = lit("x", "http://ex/t"); break;
                    default: args[i] = str("a*"); break;
                    }
                }
                sparql_value r;
                bool ok = sparql_function_call((enum sparql_call)id, args, n, &r, ctx);
                if (n < info->min_args || (info->max_args >= 0 && n > info->max_args))
                    assert_false(ok);
                assert_int_equal(ok, !sparql_value_is_error(&r));
                sparql_value_clear(&r);
                for (int i = 0; i < 4; i++)
                    sparql_value_clear(&args[i]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strlen),          cmocka_unit_test(test_substr),
        cmocka_unit_test(test_case),            cmocka_unit_test(test_concat),
        cmocka_unit_test(test_string_tests),    cmocka_unit_test(test_strbefore_strafter),
        cmocka_unit_test(test_encode_for_uri),  cmocka_unit_test(test_langmatches),
        cmocka_unit_test(test_regex),           cmocka_unit_test(test_replace),
        cmocka_unit_test(test_numeric_functions), cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_comparison_and_logic), cmocka_unit_test(test_functional_forms),
        cmocka_unit_test(test_term_functions),  cmocka_unit_test(test_bnode_uuid),
        cmocka_unit_test(test_dates),           cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_casts),           cmocka_unit_test(test_registry),
        cmocka_unit_test(test_no_crash_on_any_input), cmocka_unit_test(test_string_result_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
