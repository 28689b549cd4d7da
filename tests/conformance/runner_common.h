/*
 * runner_common.h — what the conformance runners share: the list of known
 * failures (test IRI and reason per line), reading what a citykg run
 * printed (its first line, sanitizer reports), removing a work directory.
 */
#ifndef CITYKG_TESTS_RUNNER_COMMON_H
#define CITYKG_TESTS_RUNNER_COMMON_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *iri, *reason;
    int seen; /* set by known_failures_find */
} known_failure;

/* Reads PATH: one "test-IRI  reason" per line, '#' comments and blank
 * lines ignored. Returns 0, or -1 (with a message on stderr) when the file
 * cannot be read. *out (free with known_failures_free) grows by the entries. */
int known_failures_load(const char *path, known_failure **out, size_t *n);
/* The entry for IRI (marked seen), or NULL. */
known_failure *known_failures_find(known_failure *v, size_t n, const char *iri);
void known_failures_free(known_failure *v, size_t n);

/* The first non-empty line of the file at PATH into BUF, without a leading
 * "citykg: ". Returns BUF ("" when there is none). */
const char *output_first_line(const char *path, char *buf, size_t len);
/* Whether the file at PATH holds an ASan/UBSan report; its line into BUF. */
bool output_sanitizer_line(const char *path, char *buf, size_t len);

/* Removes DIR and everything below it (symbolic links are not followed). */
void remove_tree(const char *dir);

#endif
