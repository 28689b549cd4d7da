/*
 * geo_wkt.c — the fast WKT reader (see geo_wkt.h).
 */
#include "geo_wkt.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *p;
    double *xy;        /* coordinates of the sequence being read */
    size_t n, cap;     /* in points */
} wkt_reader;

static void skip_space(wkt_reader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

static bool take(wkt_reader *r, char c)
{
    skip_space(r);
    if (*r->p != c)
        return false;
    r->p++;
    return true;
}

static bool starts_number(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.'; }

static bool read_number(wkt_reader *r, double *out)
{
    skip_space(r);
    if (!starts_number(*r->p))
        return false;
    char *end;
    *out = strtod(r->p, &end);
    if (end == r->p)
        return false;
    r->p = end;
    return true;
}

/* "(x y, x y, ...)" into a coordinate sequence; NULL on anything else
 * (a third ordinate included). */
static GEOSCoordSequence *read_points(GEOSContextHandle_t h, wkt_reader *r)
{
    if (!take(r, '('))
        return NULL;
    r->n = 0;
    do {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 64;
            double *xy = realloc(r->xy, cap * 2 * sizeof *xy);
            if (!xy)
                return NULL;
            r->xy = xy;
            r->cap = cap;
        }
        if (!read_number(r, &r->xy[2 * r->n]) || !read_number(r, &r->xy[2 * r->n + 1]))
            return NULL;
        skip_space(r);
        if (starts_number(*r->p)) /* Z or M: GEOS's reader knows the rules */
            return NULL;
        r->n++;
    } while (take(r, ','));
    if (!take(r, ')'))
        return NULL;
    return GEOSCoordSeq_copyFromBuffer_r(h, r->xy, (unsigned)r->n, 0, 0);
}

static GEOSGeometry *read_linestring(GEOSContextHandle_t h, wkt_reader *r)
{
    GEOSCoordSequence *s = read_points(h, r);
    return s ? GEOSGeom_createLineString_r(h, s) : NULL; /* takes s, also on failure */
}

static void destroy_all(GEOSContextHandle_t h, GEOSGeometry **g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(h, g[i]);
}

/* "((ring), (hole), ...)" */
static GEOSGeometry *read_polygon(GEOSContextHandle_t h, wkt_reader *r)
{
    if (!take(r, '('))
        return NULL;
    GEOSGeometry *rings[64];
    size_t n = 0;
    do {
        GEOSCoordSequence *s = n < 64 ? read_points(h, r) : NULL;
        GEOSGeometry *ring = s ? GEOSGeom_createLinearRing_r(h, s) : NULL;
        if (!ring) {
            destroy_all(h, rings, n);
            return NULL;
        }
        rings[n++] = ring;
    } while (take(r, ','));
    if (!take(r, ')')) {
        destroy_all(h, rings, n);
        return NULL;
    }
    /* GEOS owns the rings from here, also when it fails */
    return GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)(n - 1));
}

static GEOSGeometry *read_point(GEOSContextHandle_t h, wkt_reader *r)
{
    GEOSCoordSequence *s = read_points(h, r);
    if (s && r->n != 1) {
        GEOSCoordSeq_destroy_r(h, s);
        return NULL;
    }
    return s ? GEOSGeom_createPoint_r(h, s) : NULL;
}

/* "(part, part, ...)" of a MULTI… geometry. */
static GEOSGeometry *read_multi(GEOSContextHandle_t h, wkt_reader *r, int type,
                                GEOSGeometry *(*part)(GEOSContextHandle_t, wkt_reader *))
{
    if (type == GEOS_MULTIPOINT) { /* also written "(x y, x y)": GEOS's reader takes that */
        const char *at = r->p;
        bool bare = take(r, '(') && (skip_space(r), starts_number(*r->p));
        r->p = at;
        if (bare)
            return NULL;
    }
    if (!take(r, '('))
        return NULL;
    size_t cap = 16, n = 0;
    GEOSGeometry **parts = malloc(cap * sizeof *parts);
    if (!parts)
        return NULL;
    bool ok = true;
    do {
        if (n == cap) {
            GEOSGeometry **more = realloc(parts, (cap *= 2) * sizeof *parts);
            if (!(ok = more != NULL))
                break;
            parts = more;
        }
        GEOSGeometry *g = part(h, r);
        if (!(ok = g != NULL))
            break;
        parts[n++] = g;
    } while (take(r, ','));
    GEOSGeometry *multi = NULL;
    if (ok && take(r, ')'))
        multi = GEOSGeom_createCollection_r(h, type, parts, (unsigned)n); /* owns the parts */
    else
        destroy_all(h, parts, n);
    free(parts);
    return multi;
}

GEOSGeometry *geo_wkt_read_fast(GEOSContextHandle_t h, const char *wkt)
{
    static const struct {
        const char *word;
        int type;
        GEOSGeometry *(*read)(GEOSContextHandle_t, wkt_reader *);
    } forms[] = {
        {"POINT", GEOS_POINT, read_point},
        {"LINESTRING", GEOS_LINESTRING, read_linestring},
        {"POLYGON", GEOS_POLYGON, read_polygon},
        {"MULTIPOINT", GEOS_MULTIPOINT, read_point},
        {"MULTILINESTRING", GEOS_MULTILINESTRING, read_linestring},
        {"MULTIPOLYGON", GEOS_MULTIPOLYGON, read_polygon},
    };
    wkt_reader r = {.p = wkt};
    skip_space(&r);
    const char *word = r.p;
    while ((*r.p >= 'A' && *r.p <= 'Z') || (*r.p >= 'a' && *r.p <= 'z'))
        r.p++;
    size_t len = (size_t)(r.p - word);
    GEOSGeometry *g = NULL;
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        if (strlen(forms[i].word) != len || strncasecmp(word, forms[i].word, len) != 0)
            continue;
        bool multi = forms[i].type >= GEOS_MULTIPOINT;
        g = multi ? read_multi(h, &r, forms[i].type, forms[i].read) : forms[i].read(h, &r);
        break;
    }
    skip_space(&r);
    if (g && *r.p) { /* text after the geometry */
        GEOSGeom_destroy_r(h, g);
        g = NULL;
    }
    free(r.xy);
    return g;
}
