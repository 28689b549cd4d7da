/*
 * test_candidate_set.c — the value-index reducer's set of subject ids
 * (sparql/candidate_set.h) against a brute-force membership test: random
 * ids with duplicates, in both forms (bitmap and sorted array), probed
 * with members, non-members inside and outside the span, and ids of
 * another tag with a member's payload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "candidate_set.h"
#include "store.h"
#define STORE_FIXTURE_HELPERS_ONLY
#include "store_fixture.h" /* rnd() */

static bool brute_has(const ck_id *ids, size_t n, ck_id id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static size_t brute_count(const ck_id *ids, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !brute_has(ids, i, ids[i]);
    return count;
}

/* n ids with payloads in [base, base + span) (duplicates likely), all of
 * tag, or of mixed tags when mixed; checks the set against brute force. */
static void check_random(size_t n, uint64_t base, uint64_t span, bool mixed, const char *expect_kind)
{
    ck_id *ids = malloc(n * sizeof *ids), *copy = malloc(n * sizeof *copy);
    assert_non_null(ids);
    assert_non_null(copy);
    for (size_t i = 0; i < n; i++) {
        enum ck_tag tag = mixed && i % 3 == 0 ? CK_TAG_BLANK : CK_TAG_IRI;
        ids[i] = copy[i] = ck_id_make(tag, base + rnd() % span);
    }
    candidate_set *set = candidate_set_build(ids, n); /* takes ids */
    assert_non_null(set);
    assert_string_equal(candidate_set_kind(set), expect_kind);
    assert_int_equal(candidate_set_count(set), brute_count(copy, n));
    for (size_t i = 0; i < n; i++) {
        assert_true(candidate_set_has(set, copy[i]));
        /* the same payload with the other tag is another term */
        enum ck_tag other = ck_id_tag(copy[i]) == CK_TAG_IRI ? CK_TAG_BLANK : CK_TAG_IRI;
        ck_id twin = ck_id_make(other, ck_id_payload(copy[i]));
        assert_int_equal(candidate_set_has(set, twin), brute_has(copy, n, twin));
    }
    for (int k = 0; k < 2000; k++) {
        /* inside the span, and beyond it on both sides */
        uint64_t payload = base - 1000 + rnd() % (span + 2000);
        ck_id probe = ck_id_make(CK_TAG_IRI, payload);
        assert_int_equal(candidate_set_has(set, probe), brute_has(copy, n, probe));
    }
    assert_false(candidate_set_has(set, ck_id_make(CK_TAG_IRI, 0)));
    assert_false(candidate_set_has(set, UINT64_MAX));
    candidate_set_free(set);
    free(copy);
}

static void test_bitmap(void **state)
{
    (void)state;
    check_random(3000, 5000, 20000, false, "bitmap");
    check_random(1, 7, 1, false, "bitmap");
    check_random(500, 1, 500, false, "bitmap"); /* payloads from 1: base - 1000 wraps */
}

static void test_sorted_array(void **state)
{
    (void)state;
    check_random(300, 5000, 1000000, false, "sorted array"); /* too sparse for a bitmap */
    check_random(3000, 5000, 20000, true, "sorted array");   /* two tags */
}

static void test_empty(void **state)
{
    (void)state;
    candidate_set *set = candidate_set_build(NULL, 0);
    assert_non_null(set);
    assert_int_equal(candidate_set_count(set), 0);
    assert_false(candidate_set_has(set, ck_id_make(CK_TAG_IRI, 1)));
    candidate_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bitmap),
        cmocka_unit_test(test_sorted_array),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
