/*
 * ui_assets.h — the web UI's files (server/ui/), compiled into the binary
 * at build time by embed_assets.c: the page, its script and style, and
 * YASGUI from npm. The server answers GET / and /ui/... from this table.
 */
#ifndef CITYKG_SERVER_UI_ASSETS_H
#define CITYKG_SERVER_UI_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path;         /* URL path, e.g. "/ui/app.js" */
    const char *media_type;   /* Content-Type to send */
    const unsigned char *data;
    size_t len;
    const unsigned char *gz_data; /* the same gzip-compressed, or NULL */
    size_t gz_len;
} ui_asset;

/* The generated table, ended by an entry with path NULL. */
extern const ui_asset ui_assets[];

/* The asset served at url_path ("/" is the page itself), or NULL. */
const ui_asset *ui_asset_find(const char *url_path);

#endif
