/*
 * geo_literal.c — geo:wktLiteral and geo:geoJSONLiteral to and from GEOS
 * geometries (see geo_literal.h).
 */
#include "geo_literal.h"
#include "geo_wkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

geo_literal_kind geo_literal_kind_of(const sparql_value *v)
{
    if (v->kind != SPARQL_VALUE_LITERAL || !v->datatype)
        return GEO_LITERAL_NONE;
    if (strcmp(v->datatype, GEO_WKT_LITERAL) == 0)
        return GEO_LITERAL_WKT;
    if (strcmp(v->datatype, GEO_GEOJSON_LITERAL) == 0)
        return GEO_LITERAL_GEOJSON;
    return GEO_LITERAL_NONE;
}

bool geo_codec_init(geo_codec *codec, GEOSContextHandle_t h)
{
    memset(codec, 0, sizeof *codec);
    codec->h = h;
    codec->wkt_reader = GEOSWKTReader_create_r(h);
    codec->wkt_writer = GEOSWKTWriter_create_r(h);
    codec->json_reader = GEOSGeoJSONReader_create_r(h);
    codec->json_writer = GEOSGeoJSONWriter_create_r(h);
    if (!codec->wkt_reader || !codec->wkt_writer || !codec->json_reader || !codec->json_writer) {
        geo_codec_free(codec);
        return false;
    }
    GEOSWKTWriter_setTrim_r(h, codec->wkt_writer, 1);
    GEOSWKTWriter_setOutputDimension_r(h, codec->wkt_writer, 3);
    return true;
}

void geo_codec_free(geo_codec *codec)
{
    if (codec->wkt_reader)
        GEOSWKTReader_destroy_r(codec->h, codec->wkt_reader);
    if (codec->wkt_writer)
        GEOSWKTWriter_destroy_r(codec->h, codec->wkt_writer);
    if (codec->json_reader)
        GEOSGeoJSONReader_destroy_r(codec->h, codec->json_reader);
    if (codec->json_writer)
        GEOSGeoJSONWriter_destroy_r(codec->h, codec->json_writer);
    memset(codec, 0, sizeof *codec);
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Splits "<iri> WKT" into the CRS and the WKT text. */
static bool read_wkt_crs(geo_crs_cache *crs, const char **lex, geo_crs *out)
{
    const char *s = *lex;
    while (is_space(*s))
        s++;
    *out = geo_crs_crs84();
    if (*s == '<') {
        const char *end = strchr(s, '>');
        if (!end || !geo_crs_from_iri(crs, s + 1, (size_t)(end - s - 1), out))
            return false;
        s = end + 1;
        while (is_space(*s))
            s++;
    }
    *lex = s;
    return true;
}

bool geo_literal_parse(geo_codec *codec, geo_crs_cache *crs, geo_literal_kind kind, const char *lex,
                       geo_geom *out)
{
    GEOSContextHandle_t h = codec->h;
    memset(out, 0, sizeof *out);
    GEOSGeometry *g = NULL;
    if (kind == GEO_LITERAL_WKT) {
        if (!read_wkt_crs(crs, &lex, &out->crs))
            return false;
        /* GeoSPARQL: an empty wktLiteral is the empty geometry */
        if (!*lex)
            g = GEOSGeom_createEmptyCollection_r(h, GEOS_GEOMETRYCOLLECTION);
        else if (!(g = geo_wkt_read_fast(h, lex)))
            g = GEOSWKTReader_read_r(h, codec->wkt_reader, lex);
    } else if (kind == GEO_LITERAL_GEOJSON) {
        out->crs = geo_crs_crs84();
        /* GeoSPARQL 1.1: an empty geoJSONLiteral is the empty geometry too */
        g = *lex ? GEOSGeoJSONReader_readGeometry_r(h, codec->json_reader, lex)
                 : GEOSGeom_createEmptyCollection_r(h, GEOS_GEOMETRYCOLLECTION);
    }
    if (!g)
        return false;
    if (GEOSisValid_r(h, g) != 1) {
        GEOSGeom_destroy_r(h, g);
        return false;
    }
    if (out->crs.swap_axes) {
        GEOSGeometry *swapped = geo_swap_axes(h, g);
        GEOSGeom_destroy_r(h, g);
        if (!swapped)
            return false;
        g = swapped;
    }
    out->g = g;
    return true;
}

/* Writes text (GEOS-allocated, freed here) after an optional prefix. */
static bool set_literal(GEOSContextHandle_t h, char *text, const char *prefix, const char *datatype,
                        sparql_value *out)
{
    if (!text)
        return false;
    size_t plen = prefix ? strlen(prefix) : 0, tlen = strlen(text);
    char *buf = malloc(plen + tlen + 1);
    bool ok = false;
    if (buf) {
        if (plen)
            memcpy(buf, prefix, plen);
        memcpy(buf + plen, text, tlen + 1);
        ok = sparql_value_set_literal(out, buf, plen + tlen, datatype, NULL, 0);
        free(buf);
    }
    GEOSFree_r(h, text);
    return ok;
}

bool geo_literal_write_wkt(geo_codec *codec, const GEOSGeometry *g, const geo_crs *crs, sparql_value *out)
{
    GEOSContextHandle_t h = codec->h;
    memset(out, 0, sizeof *out);
    /* micrometres (1e-6 m, 1e-10 degrees): results of transformations and
     * constructions carry no meaningful precision beyond that, and
     * trimming keeps the input's short coordinates short */
    GEOSWKTWriter_setRoundingPrecision_r(h, codec->wkt_writer, crs->geographic ? 10 : 6);
    GEOSGeometry *swapped = crs->swap_axes ? geo_swap_axes(h, g) : NULL;
    if (crs->swap_axes && !swapped)
        return false;
    char *text = GEOSWKTWriter_write_r(h, codec->wkt_writer, swapped ? swapped : g);
    if (swapped)
        GEOSGeom_destroy_r(h, swapped);
    char prefix[96] = "";
    if (crs->epsg != 0) {
        char iri[80];
        snprintf(prefix, sizeof prefix, "<%s> ", geo_crs_iri(crs, iri, sizeof iri));
    }
    return set_literal(h, text, prefix, GEO_WKT_LITERAL, out);
}

bool geo_literal_write_geojson(geo_codec *codec, geo_crs_cache *crs, const GEOSGeometry *g,
                               const geo_crs *from, sparql_value *out)
{
    GEOSContextHandle_t h = codec->h;
    memset(out, 0, sizeof *out);
    geo_crs crs84 = geo_crs_crs84();
    GEOSGeometry *t = geo_crs_transform(crs, h, g, from, &crs84);
    if (!t)
        return false;
    char *text = GEOSGeoJSONWriter_writeGeometry_r(h, codec->json_writer, t, -1);
    GEOSGeom_destroy_r(h, t);
    return set_literal(h, text, NULL, GEO_GEOJSON_LITERAL, out);
}
