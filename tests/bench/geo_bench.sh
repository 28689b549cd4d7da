#!/usr/bin/env bash
# GeoSPARQL benchmark: three spatial queries on >= 200k building footprints
# (tests/bench/geo_gen.py: the real Regensburg LoD2 footprints repeated on a
# grid of tiles, CRS84) and a grid of car parks, in one run:
#   citykg with its spatial index, citykg without it (CITYKG_SPATIAL_INDEX=off:
#   every geometry tested), and Virtuoso with its geo functions (bif:st_*)
#   and its own geometry index.
# Per query and engine: WARMUP untimed runs, then REPEAT timed runs (fewer
# without the index: NOINDEX_REPEAT), median reported with the row count.
#
#   tests/bench/geo_bench.sh [TILES_X TILES_Y]    default 15 14 (201,180 footprints)
#
# Environment: CITYKG=build/citykg, WARMUP=2, REPEAT=7, NOINDEX_REPEAT=3,
# SLOW_MS=10000 (a Virtuoso query slower than that on its first run runs once),
# ENGINES="citykg citykg-noindex virtuoso", VIRT_BUFFERS, QUIET_WAIT=300.
# Output: a markdown table on stdout and in work/geo-bench.md; logs in
# work/logs-geo/. Not a ctest: timings depend on the machine.
set -euo pipefail

# shellcheck disable=SC2034 # used by log() in lib.sh
LOG_TAG=geo_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TX=${1:-15}
TY=${2:-14}
CITYKG=${CITYKG:-$ROOT/build/citykg}
WARMUP=${WARMUP:-2}
REPEAT=${REPEAT:-7}
NOINDEX_REPEAT=${NOINDEX_REPEAT:-3}
ENGINES=${ENGINES:-citykg citykg-noindex virtuoso}
QUERIES=$BENCH/geo_queries
LOGS=$WORK/logs-geo
mkdir -p "$WORK" "$LOGS"
VIRT_PID=
trap 'virt_cleanup' EXIT
trap 'exit 130' INT TERM

DATA=$WORK/geo-bench-${TX}x$TY.nt
if [ ! -s "$DATA" ]; then
  log "generating $DATA"
  python3 "$BENCH/geo_gen.py" "$ROOT/data/demo/buildings.ttl" "$TX" "$TY" >"$DATA.tmp" 2>"$LOGS/gen.log"
  mv "$DATA.tmp" "$DATA"
fi
FOOTPRINTS=$(grep -c 'ontology#Building> \.$' "$DATA")
TRIPLES=$(wc -l <"$DATA")
log "data: $DATA ($TRIPLES triples, $FOOTPRINTS building footprints)"

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ t[NR] = $1 } END {
  if (NR % 2) printf "%.1f", t[(NR + 1) / 2]; else printf "%.1f", (t[NR / 2] + t[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

declare -A MED ROWS NOTE
Q_NAMES=(q1-buildings-near-point q2-parking-near-listed q3-buildings-in-district)

# ---- citykg ------------------------------------------------------------------------
STORE=$WORK/geo-store-citykg-${TX}x$TY
citykg_store() {
  local q
  q=$("$CITYKG" stats --data "$STORE" 2>/dev/null | awk '$1 == "quads:" { print $2 }' || true)
  if [ "${q:-}" != "$TRIPLES" ]; then
    rm -rf "$STORE"
    local t0; t0=$(now)
    "$CITYKG" load -q --data "$STORE" "$DATA"
    log "citykg: loaded in $(elapsed "$t0") s"
  fi
}

# run_citykg LABEL RUNS [env...]: each query once to warm, then --repeat
run_citykg() {
  local label=$1 runs=$2 name times
  shift 2
  for name in "${Q_NAMES[@]}"; do
    env "$@" "$CITYKG" query --data "$STORE" --format csv --timeout 3600000 --repeat $((WARMUP + runs)) \
      -f "$QUERIES/$name.rq" >"$LOGS/$label-$name.csv" 2>"$LOGS/$label-$name.err"
    times=$(sed -n 's/^run [0-9]*\/[0-9]*: \([0-9.]*\) ms$/\1/p' "$LOGS/$label-$name.err" | tail -n +$((WARMUP + 1)) | paste -sd' ')
    MED[$label,$name]=$(median "$times")
    ROWS[$label,$name]=$(($(wc -l <"$LOGS/$label-$name.csv") - 1))
    log "$label: $name: ${MED[$label,$name]} ms, ${ROWS[$label,$name]} rows"
  done
}

# ---- Virtuoso ----------------------------------------------------------------------
# Virtuoso 7.2.5 takes plain CRS84 WKT as geometries (the data has no CRS
# IRI) and indexes them. Its bif:st_intersects(g, point, km) does not
# measure the distance from a polygon (a handful of rows where citykg finds
# dozens), so "within 300 m of a point" is asked as "intersects the 300 m
# buffer of the point" (the 32-gon citykg's geof:buffer makes, written into
# the query), which is the same question up to the polygonal circle. For
# "car parks within 500 m of each listed building" Virtuoso has no polygon
# distance: bif:st_intersects(?pw, ?bw, 0.5) is timed and its row count
# reported as it is.
virt_queries() {
  local buffer
  buffer=$("$CITYKG" query --data "$STORE" --format tsv 'PREFIX geo: <http://www.opengis.net/ont/geosparql#>
    PREFIX geof: <http://www.opengis.net/def/function/geosparql/> PREFIX uom: <http://www.opengis.net/def/uom/OGC/1.0/>
    SELECT (STR(geof:buffer("POINT(12.0351 49.0145)"^^geo:wktLiteral, 300, uom:metre)) AS ?b) {}' | tail -1 | tr -d '"')
  local pre='PREFIX geo: <http://www.opengis.net/ont/geosparql#> PREFIX cityo: <https://w3id.org/citykg/ontology#>'
  mkdir -p "$WORK/geo-virtuoso-queries"
  cat >"$WORK/geo-virtuoso-queries/q1-buildings-near-point.rq" <<Q
$pre SELECT ?b WHERE { ?b a cityo:Building ; geo:hasDefaultGeometry ?g . ?g geo:asWKT ?w .
  FILTER(bif:st_intersects(?w, bif:st_geomfromtext("$buffer"))) }
Q
  cat >"$WORK/geo-virtuoso-queries/q2-parking-near-listed.rq" <<Q
$pre SELECT ?b ?p WHERE { ?b cityo:listed true ; geo:hasDefaultGeometry ?bg . ?bg geo:asWKT ?bw .
  ?p a cityo:ParkingFacility ; geo:hasDefaultGeometry ?pg . ?pg geo:asWKT ?pw .
  FILTER(bif:st_intersects(?pw, ?bw, 0.5)) }
Q
  sed -n 's/.*"\(POLYGON([^"]*\)".*/\1/p' "$QUERIES/q3-buildings-in-district.rq" >"$LOGS/district.wkt"
  cat >"$WORK/geo-virtuoso-queries/q3-buildings-in-district.rq" <<Q
$pre SELECT ?b WHERE { ?b a cityo:Building ; geo:hasDefaultGeometry ?g . ?g geo:asWKT ?w .
  FILTER(bif:st_intersects(?w, bif:st_geomfromtext("$(cat "$LOGS/district.wkt")"))) }
Q
}

virt_query() { # virt_query FILE OUT: milliseconds, or "error CODE"
  local r code secs
  r=$(curl -sS -o "$2" -w '%{http_code} %{time_total}' --max-time 3600 \
    -H 'Accept: text/csv' --data-urlencode "query@$1" \
    "http://127.0.0.1:$VIRT_HTTP_PORT/sparql" 2>>"$LOGS/virtuoso-curl.err") || r="000 0"
  read -r code secs <<<"$r"
  if [ "$code" = 200 ]; then awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }'; else echo "error $code"; fi
}

run_virtuoso() {
  if ! virt_installed; then NOTE[virtuoso]="not installed (tests/bench/setup-peers.sh)"; return; fi
  local dir=$WORK/geo-store-virtuoso-${TX}x$TY
  rm -rf "$dir"
  if ! virt_start "$dir" "$TRIPLES" "$LOGS/virtuoso-server.log"; then NOTE[virtuoso]="server did not start"; return; fi
  local t0; t0=$(now)
  isql exec="ld_add('$DATA', 'urn:citykg:geo-bench'); rdf_loader_run(); checkpoint;" >"$LOGS/virtuoso-load.log" 2>&1 || true
  log "virtuoso: loaded in $(elapsed "$t0") s"
  virt_queries
  wait_quiet
  local name ms times i
  for name in "${Q_NAMES[@]}"; do
    local q=$WORK/geo-virtuoso-queries/$name.rq out=$LOGS/virtuoso-$name.csv
    times=
    for ((i = 0; i < WARMUP + REPEAT; i++)); do
      ms=$(virt_query "$q" "$out")
      case $ms in error*) times="error"; break ;; esac
      [ "$i" -lt "$WARMUP" ] || times="$times $ms"
      # a query slower than SLOW_MS runs once: its first run is the figure
      if [ "$i" = 0 ] && awk -v m="$ms" -v s="${SLOW_MS:-10000}" 'BEGIN { exit !(m > s) }'; then
        times=$ms; NOTE[virtuoso]="${NOTE[virtuoso]:+${NOTE[virtuoso]}; }$name: one run (slower than ${SLOW_MS:-10000} ms)"; break
      fi
    done
    if [ "$times" = error ]; then
      MED[virtuoso,$name]=error; ROWS[virtuoso,$name]="– ($(head -c 150 "$out" | tr '\n' ' '))"
    else
      MED[virtuoso,$name]=$(median "$times")
      ROWS[virtuoso,$name]=$(($(wc -l <"$out") - 1))
    fi
    log "virtuoso: $name: ${MED[virtuoso,$name]} ms, ${ROWS[virtuoso,$name]} rows"
  done
  virt_stop
}

# ---- run ---------------------------------------------------------------------------
citykg_store
for e in $ENGINES; do
  case $e in
  citykg) wait_quiet; run_citykg citykg "$REPEAT" ;;
  citykg-noindex) wait_quiet; run_citykg citykg-noindex "$NOINDEX_REPEAT" CITYKG_SPATIAL_INDEX=off ;;
  virtuoso) run_virtuoso ;;
  esac
done

# the index must not change answers
for name in "${Q_NAMES[@]}"; do
  if [ -f "$LOGS/citykg-$name.csv" ] && [ -f "$LOGS/citykg-noindex-$name.csv" ] &&
    ! cmp -s <(sort "$LOGS/citykg-$name.csv") <(sort "$LOGS/citykg-noindex-$name.csv"); then
    NOTE[citykg]="${NOTE[citykg]:+${NOTE[citykg]}; }$name: answers differ with and without the index"
  fi
done

{
  echo "GeoSPARQL benchmark, $(date -u +%Y-%m-%d), $FOOTPRINTS building footprints, $TRIPLES triples; medians of $REPEAT runs ($NOINDEX_REPEAT without the index) after $WARMUP warm-up runs, ms (rows)"
  echo
  echo "| query | citykg, index | citykg, no index | index speed-up | $(engine_label virtuoso) | Virtuoso / citykg |"
  echo "|---|---:|---:|---:|---:|---:|"
  for name in "${Q_NAMES[@]}"; do
    a=${MED[citykg,$name]:-–} b=${MED[citykg-noindex,$name]:--} v=${MED[virtuoso,$name]:-–}
    up=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.0fx", b / a; else print "–" }')
    vr=$(awk -v a="$a" -v v="$v" 'BEGIN { if (a + 0 > 0 && v + 0 > 0) printf "%.1fx", v / a; else print "–" }')
    echo "| $name | $a (${ROWS[citykg,$name]:-–}) | $b (${ROWS[citykg-noindex,$name]:-–}) | $up | $v (${ROWS[virtuoso,$name]:-–}) | $vr |"
  done
  for e in citykg virtuoso; do [ -z "${NOTE[$e]:-}" ] || echo "- $e: ${NOTE[$e]}"; done
} | tee "$WORK/geo-bench.md"
