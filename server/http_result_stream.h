/*
 * http_result_stream.h — runs a result-producing job (a query, a graph
 * export) in a worker thread and hands its output to the HTTP response.
 *
 * The output is held back up to a bound before anything is sent, so that a
 * job failing within it still becomes a proper error status (400, 503, ...).
 * A job producing more than the bound is streamed: the status (200) goes
 * out, then the bytes as they come, chunked; the worker waits while the
 * client is slower than the job (at most `bound` bytes wait in memory). A
 * streamed job that fails ends the response without the closing chunk, so
 * HTTP/1.1 clients see a truncated transfer (curl: exit 18), never a
 * complete-looking document: the job's latest write is held back until it
 * ends and dropped when it failed (a results writer closes its JSON even
 * on its way out of a failure). With gzip, the output is compressed as it is
 * written (Content-Encoding: gzip).
 */
#ifndef CITYKG_SERVER_HTTP_RESULT_STREAM_H
#define CITYKG_SERVER_HTTP_RESULT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "store.h"

/* The job: writes its output to out, returns its status. Runs in the worker
 * thread; ctx must stay valid until result_stream_free. */
typedef ck_status (*result_job)(void *ctx, FILE *out, ck_error *err);

typedef struct result_stream result_stream;

/* Starts job in a new thread. NULL when out of memory or threads. */
result_stream *result_stream_start(result_job job, void *ctx, bool gzip, size_t bound);

/* Waits until the job has finished or its output has passed the bound.
 * True when it finished (then result_stream_status and _data apply).
 * tick(ctx) (tick may be NULL) runs about every 100 ms while it waits:
 * the server looks there whether the client is still connected. */
bool result_stream_wait_head(result_stream *rs, void (*tick)(void *ctx), void *ctx);
/* The finished job's status, with its error in err. */
ck_status result_stream_status(result_stream *rs, ck_error *err);
/* The finished job's whole output (compressed when gzip). */
const char *result_stream_data(result_stream *rs, size_t *len);

/* For streaming: copies up to max bytes into buf, waiting for the worker.
 * Returns the count, 0 never; -1 at the end of a job that succeeded, -2 at
 * the end of one that failed (its error then in result_stream_status). */
ssize_t result_stream_read(result_stream *rs, char *buf, size_t max);

/* Tells the worker nobody reads any more (its next write fails), waits for
 * it and frees everything. NULL is fine. */
void result_stream_free(result_stream *rs);

#endif
