/*
 * geo_crs.c — CRS IRIs, CRS descriptions from PROJ, and transformations of
 * GEOS geometries between CRSs (see geo_crs.h).
 */
#include "geo_crs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void proj_quiet(void *data, int level, const char *msg)
{
    (void)data, (void)level, (void)msg; /* failures come back as NULL results */
}

bool geo_crs_cache_init(geo_crs_cache *c)
{
    memset(c, 0, sizeof *c);
    c->proj = proj_context_create();
    if (!c->proj)
        return false;
    proj_log_func(c->proj, NULL, proj_quiet);
    return true;
}

void geo_crs_cache_free(geo_crs_cache *c)
{
    for (size_t i = 0; i < c->n_pj; i++)
        if (c->pj[i].pj)
            proj_destroy(c->pj[i].pj);
    if (c->geod)
        proj_destroy(c->geod);
    if (c->proj)
        proj_context_destroy(c->proj);
    memset(c, 0, sizeof *c);
}

geo_crs geo_crs_crs84(void) { return (geo_crs){.epsg = 0, .geographic = true}; }

static const char *proj_name(const geo_crs *crs, char *buf, size_t size)
{
    if (crs->epsg == 0)
        return "OGC:CRS84";
    snprintf(buf, size, "EPSG:%d", crs->epsg);
    return buf;
}

const char *geo_crs_iri(const geo_crs *crs, char *buf, size_t size)
{
    if (crs->epsg == 0)
        snprintf(buf, size, "%s", GEO_CRS84_IRI);
    else
        snprintf(buf, size, GEO_EPSG_IRI_PREFIX "%d", crs->epsg);
    return buf;
}

/* Asks PROJ what kind of CRS EPSG:code is and how its axes run. */
static bool describe_epsg(PJ_CONTEXT *ctx, int code, geo_crs *out)
{
    char name[32];
    snprintf(name, sizeof name, "EPSG:%d", code);
    PJ *crs = proj_create(ctx, name);
    if (!crs)
        return false;
    PJ *horizontal = crs;
    if (proj_get_type(crs) == PJ_TYPE_COMPOUND_CRS)
        horizontal = proj_crs_get_sub_crs(ctx, crs, 0);
    PJ_TYPE type = horizontal ? proj_get_type(horizontal) : PJ_TYPE_UNKNOWN;
    bool ok = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
              type == PJ_TYPE_PROJECTED_CRS;
    if (ok) {
        PJ *cs = proj_crs_get_coordinate_system(ctx, horizontal);
        const char *direction = NULL;
        double factor = 0;
        ok = cs && proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, &direction, &factor, NULL, NULL,
                                         NULL) && direction;
        if (ok) {
            *out = (geo_crs){.epsg = code,
                             .geographic = type != PJ_TYPE_PROJECTED_CRS,
                             .swap_axes = strcmp(direction, "north") == 0 ||
                                          strcmp(direction, "south") == 0,
                             .metres_per_unit = type == PJ_TYPE_PROJECTED_CRS ? factor : 0};
        }
        if (cs)
            proj_destroy(cs);
    }
    if (horizontal && horizontal != crs)
        proj_destroy(horizontal);
    proj_destroy(crs);
    return ok;
}

/* Strips "http://" or "https://" so that both spellings are accepted. */
static bool strip_scheme(const char **s, size_t *len)
{
    static const char *const schemes[] = {"http://", "https://"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(schemes[i]);
        if (*len >= n && memcmp(*s, schemes[i], n) == 0) {
            *s += n, *len -= n;
            return true;
        }
    }
    return false;
}

bool geo_crs_from_iri(geo_crs_cache *c, const char *iri, size_t len, geo_crs *out)
{
    if (!strip_scheme(&iri, &len))
        return false;
    static const char crs84[] = "www.opengis.net/def/crs/OGC/1.3/CRS84";
    static const char epsg[] = "www.opengis.net/def/crs/EPSG/0/";
    if (len == sizeof crs84 - 1 && memcmp(iri, crs84, len) == 0) {
        *out = geo_crs_crs84();
        return true;
    }
    size_t n = sizeof epsg - 1;
    if (len <= n || len > n + 9 || memcmp(iri, epsg, n) != 0)
        return false;
    int code = 0;
    for (size_t i = n; i < len; i++) {
        if (iri[i] < '0' || iri[i] > '9')
            return false;
        code = code * 10 + (iri[i] - '0');
    }
    if (code == 0)
        return false;
    for (size_t i = 0; i < c->n_crs; i++)
        if (c->crs[i].epsg == code) {
            *out = c->crs[i];
            return true;
        }
    if (!describe_epsg(c->proj, code, out))
        return false;
    if (c->n_crs < GEO_CRS_CACHE_CRS)
        c->crs[c->n_crs++] = *out;
    return true;
}

/* The transformation from src to dst (PROJ definitions), normalised to GIS
 * axis order, from the cache or made now. NULL when PROJ cannot. */
static PJ *transformation(geo_crs_cache *c, const char *src, const char *dst)
{
    char key[sizeof c->pj[0].key];
    if ((size_t)snprintf(key, sizeof key, "%s>%s", src, dst) >= sizeof key)
        return NULL;
    for (size_t i = 0; i < c->n_pj; i++)
        if (strcmp(c->pj[i].key, key) == 0)
            return c->pj[i].pj;
    PJ *raw = proj_create_crs_to_crs(c->proj, src, dst, NULL);
    PJ *pj = raw ? proj_normalize_for_visualization(c->proj, raw) : NULL;
    if (raw)
        proj_destroy(raw);
    geo_pj_entry *e;
    if (c->n_pj < GEO_CRS_CACHE_PJ) {
        e = &c->pj[c->n_pj++];
    } else {
        e = &c->pj[c->next_pj];
        c->next_pj = (c->next_pj + 1) % GEO_CRS_CACHE_PJ;
        if (e->pj)
            proj_destroy(e->pj);
    }
    memcpy(e->key, key, sizeof key);
    e->pj = pj;
    return pj;
}

static int transform_point(double *x, double *y, void *userdata)
{
    PJ_COORD in = proj_coord(*x, *y, 0, 0);
    PJ_COORD out = proj_trans((PJ *)userdata, PJ_FWD, in);
    if (!isfinite(out.xy.x) || !isfinite(out.xy.y))
        return 0;
    *x = out.xy.x;
    *y = out.xy.y;
    return 1;
}

static GEOSGeometry *apply(geo_crs_cache *c, GEOSContextHandle_t h, const GEOSGeometry *g,
                           const char *src, const char *dst)
{
    PJ *pj = transformation(c, src, dst);
    if (!pj)
        return NULL;
    proj_errno_reset(pj);
    return GEOSGeom_transformXY_r(h, g, transform_point, pj);
}

GEOSGeometry *geo_crs_transform(geo_crs_cache *c, GEOSContextHandle_t h, const GEOSGeometry *g,
                                const geo_crs *from, const geo_crs *to)
{
    if (geo_crs_same(from, to))
        return GEOSGeom_clone_r(h, g);
    char a[32], b[32];
    return apply(c, h, g, proj_name(from, a, sizeof a), proj_name(to, b, sizeof b));
}

GEOSGeometry *geo_crs_transform_to_def(geo_crs_cache *c, GEOSContextHandle_t h, const GEOSGeometry *g,
                                       const geo_crs *crs, const char *target_def, bool forward)
{
    char a[32];
    const char *name = proj_name(crs, a, sizeof a);
    return forward ? apply(c, h, g, name, target_def) : apply(c, h, g, target_def, name);
}

static int swap_point(double *x, double *y, void *userdata)
{
    (void)userdata;
    double t = *x;
    *x = *y;
    *y = t;
    return 1;
}

GEOSGeometry *geo_swap_axes(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    return GEOSGeom_transformXY_r(h, g, swap_point, NULL);
}

PJ *geo_crs_geodesic(geo_crs_cache *c)
{
    if (!c->geod)
        c->geod = proj_create(c->proj, "+proj=longlat +ellps=WGS84");
    return c->geod;
}
