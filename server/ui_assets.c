/*
 * ui_assets.c — lookup in the embedded web UI files (see ui_assets.h).
 */
#include "ui_assets.h"

#include <string.h>

const ui_asset *ui_asset_find(const char *url_path)
{
    if (strcmp(url_path, "/") == 0 || strcmp(url_path, "/index.html") == 0)
        url_path = "/ui/index.html";
    for (const ui_asset *a = ui_assets; a->path; a++)
        if (strcmp(a->path, url_path) == 0)
            return a;
    return NULL;
}
