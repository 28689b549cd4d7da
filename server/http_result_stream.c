/*
 * http_result_stream.c — a worker thread writing through a FILE (fopencookie)
 * into a bounded spool, optionally through zlib's gzip deflate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "http_result_stream.h"

struct result_stream {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    result_job job;
    void *ctx;
    size_t bound;
    /* spool: bytes [start, len) of data wait for the reader; [tail, len)
     * came with the latest write and are held back until the job ends: a
     * failing job may still close its document (a results writer ends its
     * JSON), and those bytes must not reach a streamed response */
    char *data;
    size_t start, tail, len, cap;
    bool streaming; /* the head went out: the spool is drained by reads */
    bool finished;
    bool abandoned; /* nobody reads: writes fail */
    ck_status status;
    ck_error error;
    bool gzip;
    z_stream z;
};

/* Appends n bytes to the spool; while streaming, waits for room. */
static bool spool_put(result_stream *rs, const char *buf, size_t n)
{
    pthread_mutex_lock(&rs->lock);
    while (rs->streaming && !rs->abandoned && rs->tail - rs->start > rs->bound)
        pthread_cond_wait(&rs->changed, &rs->lock);
    bool ok = !rs->abandoned;
    if (ok && rs->start > 0 && rs->start == rs->len)
        rs->start = rs->tail = rs->len = 0;
    if (ok && rs->len + n > rs->cap) {
        if (rs->start > 0) { /* reuse the drained front */
            memmove(rs->data, rs->data + rs->start, rs->len - rs->start);
            rs->len -= rs->start;
            rs->tail -= rs->start;
            rs->start = 0;
        }
        size_t cap = rs->cap ? rs->cap : 65536;
        while (cap < rs->len + n)
            cap *= 2;
        char *d = cap > rs->cap ? realloc(rs->data, cap) : rs->data;
        if (!d)
            ok = false;
        else
            rs->data = d, rs->cap = cap;
    }
    if (ok) {
        rs->tail = rs->len;
        memcpy(rs->data + rs->len, buf, n);
        rs->len += n;
    }
    pthread_cond_broadcast(&rs->changed);
    pthread_mutex_unlock(&rs->lock);
    return ok;
}

static bool deflate_into_spool(result_stream *rs, const char *buf, size_t n, int flush)
{
    char out[65536];
    rs->z.next_in = (Bytef *)buf;
    rs->z.avail_in = (uInt)n;
    do {
        rs->z.next_out = (Bytef *)out;
        rs->z.avail_out = sizeof out;
        int rc = deflate(&rs->z, flush);
        if (rc == Z_STREAM_ERROR)
            return false;
        size_t have = sizeof out - rs->z.avail_out;
        if (have && !spool_put(rs, out, have))
            return false;
    } while (rs->z.avail_out == 0);
    return true;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    result_stream *rs = cookie;
    bool ok = rs->gzip ? deflate_into_spool(rs, buf, n, Z_NO_FLUSH) : spool_put(rs, buf, n);
    return ok ? (ssize_t)n : -1;
}

static void *worker(void *arg)
{
    result_stream *rs = arg;
    cookie_io_functions_t io = {.write = cookie_write};
    FILE *out = fopencookie(rs, "w", io);
    ck_status st;
    if (!out) {
        st = ck_error_set(&rs->error, CK_ERR_NOMEM, "out of memory");
    } else {
        setvbuf(out, NULL, _IOFBF, 65536);
        st = rs->job(rs->ctx, out, &rs->error);
        if (fclose(out) != 0 && st == CK_OK)
            st = ck_error_set(&rs->error, CK_ERR_IO, "writing the response failed");
        if (rs->gzip && st == CK_OK && !deflate_into_spool(rs, NULL, 0, Z_FINISH))
            st = ck_error_set(&rs->error, CK_ERR_IO, "compressing the response failed");
    }
    pthread_mutex_lock(&rs->lock);
    rs->status = st;
    rs->finished = true;
    pthread_cond_broadcast(&rs->changed);
    pthread_mutex_unlock(&rs->lock);
    return NULL;
}

result_stream *result_stream_start(result_job job, void *ctx, bool gzip, size_t bound)
{
    result_stream *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->job = job;
    rs->ctx = ctx;
    rs->bound = bound;
    rs->gzip = gzip;
    /* windowBits 15 + 16: a gzip header and trailer around deflate */
    if (gzip && deflateInit2(&rs->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                             Z_DEFAULT_STRATEGY) != Z_OK) {
        free(rs);
        return NULL;
    }
    pthread_mutex_init(&rs->lock, NULL);
    pthread_cond_init(&rs->changed, NULL);
    if (pthread_create(&rs->thread, NULL, worker, rs) != 0) {
        if (gzip)
            deflateEnd(&rs->z);
        pthread_mutex_destroy(&rs->lock);
        pthread_cond_destroy(&rs->changed);
        free(rs);
        return NULL;
    }
    return rs;
}

bool result_stream_wait_head(result_stream *rs, void (*tick)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&rs->lock);
    while (!rs->finished && rs->len <= rs->bound) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        if (pthread_cond_timedwait(&rs->changed, &rs->lock, &until) == ETIMEDOUT && tick) {
            pthread_mutex_unlock(&rs->lock); /* tick may take its time */
            tick(ctx);
            pthread_mutex_lock(&rs->lock);
        }
    }
    bool finished = rs->finished;
    if (!finished)
        rs->streaming = true;
    pthread_mutex_unlock(&rs->lock);
    return finished;
}

ck_status result_stream_status(result_stream *rs, ck_error *err)
{
    pthread_mutex_lock(&rs->lock);
    ck_status st = rs->finished ? rs->status : CK_OK;
    if (st && err)
        *err = rs->error;
    pthread_mutex_unlock(&rs->lock);
    return st;
}

const char *result_stream_data(result_stream *rs, size_t *len)
{
    *len = rs->len - rs->start;
    return rs->data ? rs->data + rs->start : "";
}

ssize_t result_stream_read(result_stream *rs, char *buf, size_t max)
{
    pthread_mutex_lock(&rs->lock);
    while (rs->start == rs->tail && !rs->finished)
        pthread_cond_wait(&rs->changed, &rs->lock);
    /* a finished job's last write goes out only when it succeeded */
    size_t end = rs->finished && rs->status == CK_OK ? rs->len : rs->tail;
    ssize_t n;
    if (rs->start < end) {
        size_t k = end - rs->start < max ? end - rs->start : max;
        memcpy(buf, rs->data + rs->start, k);
        rs->start += k;
        n = (ssize_t)k;
    } else {
        n = rs->status == CK_OK ? -1 : -2;
    }
    pthread_cond_broadcast(&rs->changed);
    pthread_mutex_unlock(&rs->lock);
    return n;
}

void result_stream_free(result_stream *rs)
{
    if (!rs)
        return;
    pthread_mutex_lock(&rs->lock);
    rs->abandoned = true;
    pthread_cond_broadcast(&rs->changed);
    pthread_mutex_unlock(&rs->lock);
    pthread_join(rs->thread, NULL);
    if (rs->gzip)
        deflateEnd(&rs->z);
    pthread_mutex_destroy(&rs->lock);
    pthread_cond_destroy(&rs->changed);
    free(rs->data);
    free(rs);
}
