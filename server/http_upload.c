/*
 * http_upload.c — request bodies (plain or multipart/form-data, through
 * libmicrohttpd's post processor) into typed temporary files.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_form.h"
#include "http_upload.h"
#include "loader.h"

/* The file extension for an RDF media type; NULL for quads or unknown. */
static const char *extension_for(const char *media, bool *quads)
{
    static const struct { const char *media, *ext; } types[] = {
        {"text/turtle", ".ttl"},          {"application/x-turtle", ".ttl"},
        {"application/n-triples", ".nt"}, {"text/plain", ".nt"},
        {"application/rdf+xml", ".rdf"},  {"application/xml", ".rdf"},
        {"text/xml", ".rdf"}};
    *quads = strcmp(media, "application/n-quads") == 0 || strcmp(media, "application/trig") == 0;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(media, types[i].media) == 0)
            return types[i].ext;
    return NULL;
}

static ck_status refuse_type(const char *media, bool quads, unsigned *status, ck_error *err)
{
    *status = 415;
    if (quads)
        return ck_error_set(err, CK_ERR_INVALID, "%s holds a dataset; the graph store takes one "
                            "graph: text/turtle, application/n-triples or application/rdf+xml",
                            media);
    return ck_error_set(err, CK_ERR_INVALID, "unsupported Content-Type '%s': use text/turtle, "
                        "application/n-triples or application/rdf+xml", *media ? media : "(none)");
}

static ck_status add_file(upload_files *u, const char *name, const char *data, size_t len,
                          unsigned *status, ck_error *err)
{
    char *path = NULL;
    char **files = realloc(u->files, (u->n + 1) * sizeof *files);
    if (files)
        u->files = files;
    if (!files || asprintf(&path, "%s/%s", u->dir, name) < 0) {
        *status = 503;
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    u->files[u->n++] = path;
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        *status = 500;
        return ck_error_set(err, CK_ERR_IO, "cannot write the upload to %s", u->dir);
    }
    return CK_OK;
}

/* ---- multipart/form-data ------------------------------------------------- */

typedef struct {
    upload_files *u;
    unsigned *status;
    ck_error *err;
    ck_status st;
    FILE *part;      /* the part being written */
    char *part_key;  /* its field name, to tell where the next part starts */
    size_t n_parts;
} multipart_state;

static enum MHD_Result take_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    multipart_state *m = cls;
    if (m->st)
        return MHD_NO;
    if (off == 0 || !m->part || !m->part_key || strcmp(m->part_key, key ? key : "") != 0) {
        if (m->part)
            fclose(m->part);
        m->part = NULL;
        free(m->part_key);
        m->part_key = strdup(key ? key : "");
        char media[128];
        media_type_of(content_type, media, sizeof media);
        bool quads = false;
        const char *ext = *media ? extension_for(media, &quads) : NULL;
        if (!ext && !quads && filename) { /* typed by the file name instead */
            const char *format = ck_format_from_name(filename);
            ext = !format ? NULL
                : strcmp(format, "turtle") == 0 ? ".ttl"
                : strcmp(format, "ntriples") == 0 ? ".nt"
                : strcmp(format, "rdfxml") == 0 ? ".rdf" : NULL;
            quads = format && !ext;
        }
        if (!ext) {
            m->st = refuse_type(*media ? media : filename ? filename : "", quads, m->status,
                                m->err);
            return MHD_NO;
        }
        char name[64];
        snprintf(name, sizeof name, "part%zu%s", ++m->n_parts, ext);
        if ((m->st = add_file(m->u, name, "", 0, m->status, m->err)))
            return MHD_NO;
        m->part = fopen(m->u->files[m->u->n - 1], "ab");
    }
    if (!m->part || (size && fwrite(data, 1, size, m->part) != size)) {
        *m->status = 500;
        m->st = ck_error_set(m->err, CK_ERR_IO, "cannot write the upload to %s", m->u->dir);
        return MHD_NO;
    }
    return MHD_YES;
}

static ck_status spool_multipart(http_request *req, upload_files *u, unsigned *status,
                                 ck_error *err)
{
    multipart_state m = {u, status, err, CK_OK, NULL, NULL, 0};
    struct MHD_PostProcessor *pp = MHD_create_post_processor(req->connection, 65536, take_part, &m);
    if (!pp) {
        *status = 400;
        return ck_error_set(err, CK_ERR_INVALID, "cannot read the multipart/form-data body "
                            "(is its boundary given?)");
    }
    if (MHD_post_process(pp, req->body, req->body_len) != MHD_YES && !m.st) {
        *status = 400;
        m.st = ck_error_set(err, CK_ERR_INVALID, "the multipart/form-data body is malformed");
    }
    MHD_destroy_post_processor(pp);
    if (m.part && fclose(m.part) != 0 && !m.st) {
        *status = 500;
        m.st = ck_error_set(err, CK_ERR_IO, "cannot write the upload to %s", u->dir);
    }
    free(m.part_key);
    if (!m.st && m.n_parts == 0) {
        *status = 400;
        m.st = ck_error_set(err, CK_ERR_INVALID, "the multipart/form-data body has no parts");
    }
    return m.st;
}

ck_status upload_spool(http_request *req, upload_files *u, unsigned *status, ck_error *err)
{
    memset(u, 0, sizeof *u);
    const char *ct = http_header(req, "Content-Type");
    char media[128];
    media_type_of(ct, media, sizeof media);
    const char *tmp = getenv("TMPDIR");
    if (asprintf(&u->dir, "%s/citykg-upload-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0) {
        u->dir = NULL;
        *status = 503;
        return ck_error_set(err, CK_ERR_NOMEM, "out of memory");
    }
    if (!mkdtemp(u->dir)) {
        free(u->dir);
        u->dir = NULL;
        *status = 500;
        return ck_error_set(err, CK_ERR_IO, "cannot make a directory for the upload");
    }
    ck_status st;
    if (strcmp(media, "multipart/form-data") == 0) {
        st = spool_multipart(req, u, status, err);
    } else {
        bool quads;
        const char *ext = extension_for(media, &quads);
        const char *encoding = http_header(req, "Content-Encoding");
        bool gzip = encoding && (strcasecmp(encoding, "gzip") == 0 ||
                                 strcasecmp(encoding, "x-gzip") == 0);
        if (!ext) {
            st = refuse_type(media, quads, status, err);
        } else if (encoding && !gzip && strcasecmp(encoding, "identity") != 0) {
            *status = 415;
            st = ck_error_set(err, CK_ERR_INVALID, "unsupported Content-Encoding '%s' (gzip "
                              "is understood)", encoding);
        } else if (!gzip && !charset_is_utf8(ct)) {
            *status = 415;
            st = ck_error_set(err, CK_ERR_INVALID, "the body must be UTF-8, not '%s'", ct);
        } else {
            char name[32];
            snprintf(name, sizeof name, "body%s%s", ext, gzip ? ".gz" : "");
            st = add_file(u, name, req->body, req->body_len, status, err);
        }
    }
    if (st)
        upload_cleanup(u);
    return st;
}

void upload_cleanup(upload_files *u)
{
    for (size_t i = 0; i < u->n; i++) {
        unlink(u->files[i]);
        free(u->files[i]);
    }
    free(u->files);
    if (u->dir)
        rmdir(u->dir);
    free(u->dir);
    memset(u, 0, sizeof *u);
}

void upload_clean_message(const upload_files *u, char *message)
{
    if (!u->dir)
        return;
    size_t dn = strlen(u->dir);
    char *p;
    while ((p = strstr(message, u->dir)) != NULL) {
        size_t skip = dn + (p[dn] == '/' ? 1 : 0);
        memmove(p, p + skip, strlen(p + skip) + 1);
    }
}
