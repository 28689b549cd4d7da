/*
 * fuzz_sparql_parse.c — libFuzzer target for the SPARQL front end: the
 * input is query text, lexed, parsed and translated to the algebra
 * (sparql_query_parse), then printed as SSE and its scope computed, the two
 * walks over the whole algebra that need no store.
 *
 * Besides the sanitizers it checks the parser's contract (algebra.h): a
 * failure is CK_ERR_SYNTAX or CK_ERR_NOMEM with a message and no query.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "algebra.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1); /* the parser reads NUL-terminated text */
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sparql_query *q = NULL;
    ck_error err = {0};
    ck_status st = sparql_query_parse(text, "http://example.org/base/", &q, &err);
    if (st == CK_OK) {
        if (!q || !q->pattern)
            fuzz_fail("parse succeeded without a query", NULL);
        sparql_algebra_print(fuzz_devnull(), q);
        bool *scope = calloc(q->n_vars + 1, sizeof *scope);
        if (scope)
            sparql_pattern_scope(q->pattern, scope);
        free(scope);
        sparql_query_free(q);
    } else {
        if (q || (st != CK_ERR_SYNTAX && st != CK_ERR_NOMEM) || !err.message[0])
            fuzz_fail("parse failure breaks the contract", &err);
    }
    free(text);
    return 0;
}
