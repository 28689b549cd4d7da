/*
 * runner_common.c — known failures, run output and work directories for
 * the conformance runners (runner_common.h).
 */
#define _XOPEN_SOURCE 700
#include "runner_common.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int known_failures_load(const char *path, known_failure **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot read the known failures %s\n", path);
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *iri = line + strspn(line, " \t");
        if (!*iri || *iri == '#')
            continue;
        char *end = iri + strcspn(iri, " \t");
        char *reason = *end ? end + 1 + strspn(end + 1, " \t") : end;
        *end = 0;
        known_failure *v = realloc(*out, (*n + 1) * sizeof *v);
        char *i = strdup(iri), *r = strdup(reason);
        if (!v || !i || !r) {
            free(i);
            free(r);
            if (v)
                *out = v;
            fprintf(stderr, "out of memory reading %s\n", path);
            rc = -1;
            break;
        }
        *out = v;
        v[(*n)++] = (known_failure){i, r, 0};
    }
    fclose(f);
    return rc;
}

known_failure *known_failures_find(known_failure *v, size_t n, const char *iri)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].iri, iri) == 0) {
            v[i].seen = 1;
            return &v[i];
        }
    return NULL;
}

void known_failures_free(known_failure *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].iri);
        free(v[i].reason);
    }
    free(v);
}

const char *output_first_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    buf[0] = 0;
    while (f && fgets(buf, (int)len, f)) {
        buf[strcspn(buf, "\r\n")] = 0;
        if (buf[0])
            break;
    }
    if (f)
        fclose(f);
    if (strncmp(buf, "citykg: ", 8) == 0)
        memmove(buf, buf + 8, strlen(buf + 8) + 1);
    return buf;
}

bool output_sanitizer_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    bool hit = false;
    while (f && !hit && fgets(buf, (int)len, f))
        if (strstr(buf, "Sanitizer") || strstr(buf, ": runtime error:")) {
            buf[strcspn(buf, "\r\n")] = 0;
            hit = true;
        }
    if (f)
        fclose(f);
    return hit;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
