/*
 * helpers.h — small builders and checks shared by the sparql_functions
 * tests. Values made here own their text; the checks clear what they are
 * given, so a test leaks nothing when it passes.
 */
#ifndef CITYKG_TEST_SPARQL_FUNCTIONS_HELPERS_H
#define CITYKG_TEST_SPARQL_FUNCTIONS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "functions.h"
#include "value.h"

#define XSD(local) CK_XSD local

/* A typed literal (datatype NULL: simple literal). */
static inline sparql_value lit(const char *lex, const char *datatype)
{
    sparql_value v;
    assert_true(sparql_value_set_literal(&v, lex, strlen(lex), datatype, NULL, 0));
    return v;
}

static inline sparql_value str(const char *s) { return lit(s, NULL); }

static inline sparql_value lang(const char *s, const char *tag)
{
    sparql_value v;
    assert_true(sparql_value_set_literal(&v, s, strlen(s), NULL, tag, strlen(tag)));
    return v;
}

static inline sparql_value iri(const char *s)
{
    sparql_value v;
    assert_true(sparql_value_set_iri(&v, s, strlen(s)));
    return v;
}

static inline sparql_value blank(const char *s)
{
    sparql_value v;
    assert_true(sparql_value_set_blank(&v, s, strlen(s)));
    return v;
}

static inline sparql_value err(void)
{
    sparql_value v;
    memset(&v, 0, sizeof v);
    return v;
}

static inline sparql_value call_values(sparql_func_ctx *ctx, enum sparql_call id, sparql_value *args,
                                       int n)
{
    sparql_value r;
    bool ok = sparql_function_call(id, args, n, &r, ctx);
    assert_int_equal(ok, !sparql_value_is_error(&r));
    for (int i = 0; i < n; i++)
        sparql_value_clear(&args[i]);
    return r;
}

#define CALL(ctx, id, ...)                                                                    \
    call_values((ctx), (id), (sparql_value[]){__VA_ARGS__},                                    \
                (int)(sizeof((sparql_value[]){__VA_ARGS__}) / sizeof(sparql_value)))
#define CALL0(ctx, id) call_values((ctx), (id), NULL, 0)

/* Checks a literal result (datatype NULL: simple literal; tag NULL: no
 * language) and clears it. */
static inline void expect_lit_lang(sparql_value r, const char *lex, const char *datatype, const char *tag)
{
    assert_int_equal(r.kind, SPARQL_VALUE_LITERAL);
    assert_string_equal(r.lex, lex);
    assert_int_equal(r.lex_len, strlen(lex));
    if (tag) {
        assert_non_null(r.lang);
        assert_string_equal(r.lang, tag);
    } else {
        assert_null(r.lang);
        assert_string_equal(r.datatype, datatype ? datatype : CK_XSD_STRING);
    }
    sparql_value_clear(&r);
}

static inline void expect_lit(sparql_value r, const char *lex, const char *datatype)
{
    expect_lit_lang(r, lex, datatype, NULL);
}

static inline void expect_bool(sparql_value r, bool b)
{
    expect_lit(r, b ? "true" : "false", CK_XSD_BOOLEAN);
}

static inline void expect_iri(sparql_value r, const char *s)
{
    assert_int_equal(r.kind, SPARQL_VALUE_IRI);
    assert_string_equal(r.lex, s);
    sparql_value_clear(&r);
}

static inline void expect_error(sparql_value r)
{
    assert_int_equal(r.kind, SPARQL_VALUE_ERROR);
    assert_null(r.owned);
}

#endif
