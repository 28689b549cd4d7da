/*
 * spatial_index.h — the envelope index of every geometry literal in the
 * store: one LMDB database, "spatial", next to the dictionary.
 *
 * What is indexed: each dictionary term that is a geo:wktLiteral or a
 * geo:geoJSONLiteral with coordinates, once, when the dictionary creates
 * it (ck_term_intern, hence also every load and ck_quads_add). Its entry is
 * its envelope as written in its text (x = the first coordinate, whatever
 * the CRS's axis order) under its CRS: 0 for OGC CRS84 (the default, and
 * all GeoJSON), else the EPSG code of its CRS IRI. Terms are never removed
 * from the dictionary, so neither are entries: a search may return terms
 * that no quad uses any more, and the caller joins candidates with the
 * quads it wants. Geometry literals whose CRS IRI is not an EPSG or CRS84
 * IRI, and empty ones, have no entry (they intersect nothing).
 *
 * Layout: a grid with one level per power of two, key = CRS (4 bytes),
 * level (1), cell row and column (4 + 4, biased), term id (8), all big
 * endian; value = the envelope (4 doubles). A geometry goes to the
 * smallest level whose cells are at least its size (and not finer than
 * 2^-20 of its coordinates' magnitude), in the cell of its lower-left
 * corner, so it touches at most 2 x 2 cells there. A search visits, on each
 * level present, the cells a window can touch.
 *
 * The graph grid: restricted to a set of graphs (the graphs a caller may
 * read), a search must not read entries of other graphs, or its time
 * would tell how many geometries hidden graphs hold near the window. So
 * a second database, "spatial_graphs", holds the same entries per graph:
 * key = graph id (8 bytes), then the key above; one entry per geometry
 * literal that is the object of a quad of that graph. It follows the
 * quads (ck_quads_add / ck_quads_remove): an entry goes when the graph's
 * last quad with that object goes, so it holds no stale entries. A
 * restricted search visits each graph of the set in turn: its entries
 * read depend on those graphs only, at the price of one grid search per
 * graph of the set.
 *
 * Completeness: a store made by this version indexes from the start; a
 * store made before gets its index (and its graph grid) built from the
 * dictionary and the quads the first time it is opened for writing.
 * ck_spatial_ready tells whether the index is complete (a read-only open
 * of an old store has none; the planner then does without).
 */
#ifndef CITYKG_SPATIAL_INDEX_H
#define CITYKG_SPATIAL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph_set.h"
#include "store.h"

#define CK_GEO_WKT_LITERAL "http://www.opengis.net/ont/geosparql#wktLiteral"
#define CK_GEO_GEOJSON_LITERAL "http://www.opengis.net/ont/geosparql#geoJSONLiteral"

typedef struct {
    double x0, y0, x1, y1;
} ck_envelope;

/* The CRS code and envelope of a geometry literal of the given datatype
 * (wktLiteral or geoJSONLiteral), read from its text. False when it is
 * not one, has no coordinates, or names a CRS other than CRS84 / EPSG. */
bool ck_geometry_envelope(const char *datatype, size_t datatype_len, const char *lex, size_t lex_len,
                          uint32_t *crs, ck_envelope *env);

/* Whether the store's spatial index is complete (see above): the whole
 * store's grid (graphs NULL) or the graph grid (a set of graphs). */
bool ck_spatial_ready(ck_txn *txn, const ck_graph_set *graphs);

/* Calls fn for every indexed term of CRS crs whose envelope intersects
 * window (both in the literals' own axis order); fn returns false to stop.
 * With graphs (not NULL) only geometries that are objects of quads of
 * those graphs, read from their graph grids: a term in several of them
 * comes once per graph. *visited (may be NULL) counts the index entries
 * read. */
typedef bool (*ck_spatial_fn)(void *arg, ck_id id, const ck_envelope *env);
ck_status ck_spatial_search(ck_txn *txn, const ck_graph_set *graphs, uint32_t crs, const ck_envelope *window,
                            ck_spatial_fn fn, void *arg, uint64_t *visited, ck_error *err);

/* The CRS codes that have entries (in graphs' grids, when not NULL),
 * ascending, up to max of them. */
ck_status ck_spatial_crs_codes(ck_txn *txn, const ck_graph_set *graphs, uint32_t *codes, size_t max, size_t *n,
                               ck_error *err);

#endif
