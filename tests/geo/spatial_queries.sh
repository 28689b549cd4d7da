#!/usr/bin/env bash
# spatial_queries.sh — the spatial index in use, end to end: the real
# citykg binary on a store with the Regensburg demo data (buildings in
# EPSG:25832, car parks in CRS84). Every spatial filter is run with the
# index and without it (CITYKG_SPATIAL_INDEX=off: a full scan and the exact
# test on every geometry) and must give the same rows; --explain must show
# the index; the result must be neither empty nor everything. A later load
# adds a footprint, which the index then finds.
. "$(dirname "$0")/../integration/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/store"
"$CITYKG" load -q --data "$D" "$CITYKG_DEMO/buildings.ttl" "$CITYKG_DEMO/parking.ttl"
P='PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX geof: <http://www.opengis.net/def/function/geosparql/>
PREFIX uom: <http://www.opengis.net/def/uom/OGC/1.0/>
PREFIX c: <https://w3id.org/citykg/ontology#>
'
buildings=$(grep -c 'a cityo:Building' "$CITYKG_DEMO/buildings.ttl")
parking=$(grep -c 'a cityo:ParkingFacility' "$CITYKG_DEMO/parking.ttl")

# same_with_and_without_index DESCRIPTION QUERY [ALL]: QUERY selects one
# column; ALL (default: the number of buildings) is what "everything" is
same_with_and_without_index() {
    local what=$1 q="$P$2" all=${3:-$buildings}
    run "$CITYKG" query --data "$D" --format csv --timeout 600000 --explain "$q"
    [ "$RC" = 0 ] || { fail "$what: exit $RC: $(tail -1 "$T/err")"; return; }
    local with; with=$(tail -n +2 "$T/out" | LC_ALL=C sort)
    if ! grep -q 'spatial index' "$T/err"; then fail "$what: --explain shows no spatial index: $(tail -5 "$T/err")"; return; fi
    run env CITYKG_SPATIAL_INDEX=off "$CITYKG" query --data "$D" --format csv --timeout 600000 --explain "$q"
    [ "$RC" = 0 ] || { fail "$what (no index): exit $RC: $(tail -1 "$T/err")"; return; }
    local without; without=$(tail -n +2 "$T/out" | LC_ALL=C sort)
    if grep -q 'spatial index' "$T/err"; then fail "$what: the index was used though switched off"; return; fi
    local n; n=$(printf '%s' "$with" | grep -c . || true)
    if [ "$with" != "$without" ]; then
        fail "$what: with the index $(echo "$with" | wc -l) rows, without $(echo "$without" | wc -l)"
    elif [ "$n" -eq 0 ] || [ "$n" -ge "$all" ]; then
        fail "$what: $n rows (expected some, not all)"
    else
        pass "$what: $n rows, the same with and without the index"
    fi
}

POINT84='"POINT(12.0341 49.0053)"^^geo:wktLiteral'
same_with_and_without_index "buildings within 300 m of a CRS84 point" \
    "SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w . FILTER(geof:distance(?w, $POINT84, uom:metre) < 300) }"
same_with_and_without_index "the same, written 0.3 km >= distance(point, ?w)" \
    "SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w . FILTER(0.3 >= geof:distance($POINT84, ?w, <http://qudt.org/vocab/unit/KiloM>)) }"
same_with_and_without_index "buildings within 150 m (metricDistance) of an EPSG:4326 point (latitude first)" \
    "SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w .
       FILTER(geof:metricDistance(?w, \"<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(49.0053 12.0341)\"^^geo:wktLiteral) <= 150) }"
same_with_and_without_index "buildings intersecting a CRS84 polygon" \
    "SELECT ?b WHERE { ?b a c:Building ; geo:hasDefaultGeometry ?g . ?g geo:asWKT ?w .
       FILTER(geof:sfIntersects(?w, \"POLYGON((12.030 49.003, 12.040 49.003, 12.040 49.008, 12.030 49.008, 12.030 49.003))\"^^geo:wktLiteral)) }"
same_with_and_without_index "buildings within an EPSG:25832 polygon" \
    "SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w .
       FILTER(geof:sfWithin(?w, \"<http://www.opengis.net/def/crs/EPSG/0/25832> POLYGON((721500 5432300, 722100 5432300, 722100 5432700, 721500 5432700, 721500 5432300))\"^^geo:wktLiteral)) }"
same_with_and_without_index "a GeoJSON polygon containing buildings (constant first)" \
    "SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w .
       FILTER(geof:sfContains(\"{\\\"type\\\":\\\"Polygon\\\",\\\"coordinates\\\":[[[12.03,49.003],[12.04,49.003],[12.04,49.008],[12.03,49.003]]]}\"^^geo:geoJSONLiteral, ?w)) }"

# car parks (CRS84 points) within 3 km of a footprint given in EPSG:25832
same_with_and_without_index "car parks within 500 m of an EPSG:25832 point" \
    "SELECT ?p WHERE { ?p a c:ParkingFacility ; geo:hasGeometry/geo:asWKT ?w .
       FILTER(geof:distance(?w, \"<http://www.opengis.net/def/crs/EPSG/0/25832> POINT(726450.5467 5433768.4082)\"^^geo:wktLiteral, uom:metre) < 500) }"

# between two variables: each car park's buildings within 100 m (the
# index probed per car park)
same_with_and_without_index "buildings within 5 km of each car park (two variables)" \
    "SELECT (CONCAT(STR(?p), ' ', STR(?b)) AS ?pair) WHERE { ?p a c:ParkingFacility ; geo:hasGeometry/geo:asWKT ?pw .
       ?b a c:Building ; geo:hasDefaultGeometry/geo:asWKT ?bw . FILTER(geof:distance(?pw, ?bw, uom:metre) < 5000) }" \
    $((buildings * parking))
same_with_and_without_index "buildings within 5.5 km (metricDistance, <=) of each car park, building first" \
    "SELECT (CONCAT(STR(?p), ' ', STR(?b)) AS ?pair) WHERE { ?p a c:ParkingFacility ; geo:hasGeometry/geo:asWKT ?pw .
       ?b a c:Building ; geo:hasDefaultGeometry/geo:asWKT ?bw . FILTER(geof:metricDistance(?bw, ?pw) <= 5500) }" \
    $((buildings * parking))

# geo:sf* triple patterns (the query rewrite) use the index too: every
# pair of touching footprints (terraced houses), and the buildings near one
same_with_and_without_index "footprints touching those with roof type 2100, as a triple pattern (?a geo:sfTouches ?b)" \
    "SELECT (CONCAT(STR(?a), ' ', STR(?b)) AS ?pair) WHERE { ?a c:roofType \"2100\" . ?b a c:Building . ?a geo:sfTouches ?b }" \
    $((buildings * buildings))
# same_as_relate DESCRIPTION FILTER DE9IM-FILTER: a relation evaluated with
# GEOS's prepared geometries (the recurring constant is prepared, whichever
# argument it is) selects exactly the buildings of the same relation written
# as a DE-9IM pattern (geof:relate: the full matrix, nothing prepared).
same_as_relate() {
    local q1="${P}SELECT ?w WHERE { ?b a c:Building ; geo:hasDefaultGeometry/geo:asWKT ?w . FILTER($2) }"
    local q2="${P}SELECT ?w WHERE { ?b a c:Building ; geo:hasDefaultGeometry/geo:asWKT ?w . FILTER($3) }"
    local a b
    a=$(CITYKG_SPATIAL_INDEX=off "$CITYKG" query --data "$D" --format csv "$q1" | tail -n +2 | LC_ALL=C sort)
    b=$(CITYKG_SPATIAL_INDEX=off "$CITYKG" query --data "$D" --format csv "$q2" | tail -n +2 | LC_ALL=C sort)
    local n; n=$(printf '%s' "$a" | grep -c . || true)
    if [ "$a" = "$b" ] && [ "$n" -gt 0 ] && [ "$n" -lt "$buildings" ]; then
        pass "$1: $n buildings, as by the DE-9IM pattern"
    else
        fail "$1: $n buildings, the DE-9IM pattern $(printf '%s' "$b" | grep -c . || true)"
    fi
}
SQ='"<http://www.opengis.net/def/crs/EPSG/0/25832> POLYGON((721500 5432300, 722100 5432300, 722100 5432700, 721500 5432700, 721500 5432300))"^^geo:wktLiteral'
same_as_relate "sfWithin(?w, constant)" "geof:sfWithin(?w, $SQ)" "geof:relate(?w, $SQ, \"T*F**F***\")"
same_as_relate "sfContains(constant, ?w)" "geof:sfContains($SQ, ?w)" "geof:relate($SQ, ?w, \"T*****FF*\")"
same_as_relate "sfIntersects(?w, constant)" "geof:sfIntersects(?w, $SQ)" "!geof:relate(?w, $SQ, \"FF*FF****\")"
same_as_relate "sfOverlaps(?w, constant)" "geof:sfOverlaps(?w, $SQ)" "geof:relate(?w, $SQ, \"T*T***T**\")"

same_with_and_without_index "buildings that touch one building (constant object)" \
    "SELECT ?b WHERE { ?b a c:Building ; geo:ehMeet <https://regensburg.example/building/DEBY_LOD2_6113114> }"

# a later load: the index learns the new footprint
cat >"$T/new.ttl" <<'TTL'
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
<https://regensburg.example/building/NEW> geo:hasDefaultGeometry <https://regensburg.example/building/NEW/footprint> .
<https://regensburg.example/building/NEW/footprint> geo:asWKT "<http://www.opengis.net/def/crs/EPSG/0/25832> POLYGON((710000 5420000, 710005 5420000, 710005 5420005, 710000 5420005, 710000 5420000))"^^geo:wktLiteral .
TTL
"$CITYKG" load -q --data "$D" "$T/new.ttl"
run "$CITYKG" query --data "$D" --format csv --explain "${P}SELECT ?b WHERE { ?b geo:hasDefaultGeometry/geo:asWKT ?w .
   FILTER(geof:sfIntersects(?w, \"<http://www.opengis.net/def/crs/EPSG/0/25832> POINT(710002 5420002)\"^^geo:wktLiteral)) }"
expect_eq "a footprint loaded later is found through the index" "https://regensburg.example/building/NEW" "$(tail -n +2 "$T/out" | tr -d '\r')"
if grep -q 'spatial index: .* 1 candidates' "$T/err"; then pass "one candidate for a point in the new footprint"; else fail "explain: $(grep 'spatial index' "$T/err")"; fi
expect_check_ok "store with the spatial index" "$D"
finish
