#!/usr/bin/env python3
"""geo_gen.py — bench data for tests/bench/geo_bench.sh.

Building footprints: the 958 real LoD2 footprints of tile 720_5432
(data/demo/buildings.ttl, EPSG:25832, a 2 km x 2 km tile) repeated on a
grid of tiles around Regensburg (each copy shifted by whole tiles), then
transformed to CRS84 with PROJ's cs2cs, so that every engine reads the
same plain WKT (Virtuoso 7.2 accepts no CRS IRI). Every 1000th building is
listed (cityo:listed true). Car parks: points on a regular 250 m grid over
the same area, every third grid point kept. Deterministic: the same
arguments give the same file.

usage: geo_gen.py DEMO_BUILDINGS_TTL TILES_X TILES_Y > bench.nt
"""
import re
import subprocess
import sys

GEO = "http://www.opengis.net/ont/geosparql#"
CITYO = "https://w3id.org/citykg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WKT = GEO + "wktLiteral"
TILE = 2000.0  # metres: the LoD2 tile's size
X0, Y0 = 720000.0, 5432000.0  # the real tile's lower-left corner


def footprints(path):
    text = open(path, encoding="utf-8").read()
    rings = re.findall(r'POLYGON\(\(([0-9. ,]+)\)\)', text)
    out = []
    for ring in rings:
        out.append([tuple(float(v) for v in p.split()) for p in ring.split(", ")])
    return out


def main():
    src, nx, ny = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rings = footprints(src)
    # tiles centred on the real one
    ox, oy = -(nx // 2), -(ny // 2)
    shapes = []  # (kind, [points in EPSG:25832])
    for ty in range(ny):
        for tx in range(nx):
            dx, dy = (ox + tx) * TILE, (oy + ty) * TILE
            for ring in rings:
                shapes.append(("b", [(x + dx, y + dy) for x, y in ring]))
    step = 250.0
    x_lo, y_lo = X0 + ox * TILE, Y0 + oy * TILE
    k = 0
    for j in range(int(ny * TILE / step)):
        for i in range(int(nx * TILE / step)):
            if k % 3 == 0:
                shapes.append(("p", [(x_lo + (i + 0.5) * step, y_lo + (j + 0.5) * step)]))
            k += 1
    # one cs2cs run for all coordinates
    coords = "".join("%.3f %.3f\n" % p for _, pts in shapes for p in pts)
    res = subprocess.run(["cs2cs", "-f", "%.8f", "EPSG:25832", "OGC:CRS84"], input=coords.encode(),
                         stdout=subprocess.PIPE, check=True).stdout.decode().split("\n")
    w = sys.stdout.write
    at = 0
    nb = npk = 0
    for kind, pts in shapes:
        ll = [res[at + i].split()[:2] for i in range(len(pts))]
        at += len(pts)
        if kind == "b":
            s = "<https://regensburg.example/bench/building/%d>" % nb
            g = "<https://regensburg.example/bench/building/%d/footprint>" % nb
            w("%s <%s> <%sBuilding> .\n" % (s, RDF_TYPE, CITYO))
            if nb % 1000 == 0:
                w('%s <%slisted> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n' % (s, CITYO))
            wkt = "POLYGON((" + ", ".join("%s %s" % tuple(p) for p in ll) + "))"
            nb += 1
        else:
            s = "<https://regensburg.example/bench/parking/%d>" % npk
            g = "<https://regensburg.example/bench/parking/%d/geometry>" % npk
            w("%s <%s> <%sParkingFacility> .\n" % (s, RDF_TYPE, CITYO))
            wkt = "POINT(%s %s)" % tuple(ll[0])
            npk += 1
        w("%s <%shasDefaultGeometry> %s .\n" % (s, GEO, g))
        w('%s <%sasWKT> "%s"^^<%s> .\n' % (g, GEO, wkt, WKT))
    sys.stderr.write("geo_gen: %d buildings, %d car parks\n" % (nb, npk))


if __name__ == "__main__":
    main()
