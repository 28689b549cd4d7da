/*
 * fuzz_common.h — what the libFuzzer targets in tests/fuzz share: a scratch
 * store that leaves nothing on disk, input bytes as a file the loader can
 * open, and a sink for output.
 *
 * A crashing input ends the process with _Exit, so atexit cleanup never
 * runs: the store's files are unlinked right after LMDB has opened them
 * (LMDB keeps working on the open descriptors and never reopens them), and
 * input files are memfds.
 */
#ifndef CITYKG_FUZZ_COMMON_H
#define CITYKG_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store.h"

/* Prints the failure and aborts, so that libFuzzer saves the input. */
__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const ck_error *err)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, err ? err->message : "");
    abort();
}

/* Opens a new empty store whose files are already gone from the disk. */
static inline ck_store *fuzz_store_new(void)
{
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/citykg-fuzz-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        fuzz_fail("mkdtemp", NULL);
    ck_store *store;
    ck_error err;
    if (ck_store_open(dir, CK_OPEN_CREATE, &store, &err) != CK_OK)
        fuzz_fail("ck_store_open", &err);
    char path[600];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", dir);
    unlink(path);
    rmdir(dir);
    return store;
}

/* A file in memory holding the bytes given; its name ("/proc/self/fd/N")
 * goes to path. The same fd is rewritten on every call. */
static inline void fuzz_file_set(const void *data, size_t size, char *path, size_t path_size)
{
    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("citykg-fuzz-input", 0)) < 0)
        fuzz_fail("memfd_create", NULL);
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        fuzz_fail("writing the input file", NULL);
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
}

/* Where targets write what they print: /dev/null, or stderr with
 * CITYKG_FUZZ_VERBOSE set (to see what a reproducer does). */
static inline FILE *fuzz_devnull(void)
{
    static FILE *f;
    if (!f && getenv("CITYKG_FUZZ_VERBOSE"))
        f = stderr;
    if (!f && !(f = fopen("/dev/null", "w")))
        fuzz_fail("fopen /dev/null", NULL);
    return f;
}

#endif
