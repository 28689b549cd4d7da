#!/usr/bin/env bash
# HTTP benchmark: wrk drives a SPARQL query mix with CONNECTIONS connections
# for DURATION seconds against `citykg serve` and against Virtuoso's /sparql
# on the same data, one engine after the other, while a writer posts one
# batch of BATCH triples (SPARQL INSERT DATA) every second. Reports requests
# per second, p50 / p99 latency, errors, and whether every acknowledged write
# is in the store afterwards.
#
#   tests/bench/http_bench.sh [SIZE]     SIZE = quads of the bench data, default 10000000
#
# Environment:
#   ENGINES="citykg virtuoso"   engines, in this order
#   CITYKG=build/citykg         the citykg binary
#   DURATION=60 CONNECTIONS=64 THREADS=2 BATCH=100
#   QUERIES="01 02 03 05 06 07 13 15 18"   the mix (prefixes of tests/bench/queries/*.rq)
#   VIRT_HTTP_THREADS=16        Virtuoso [HTTPServer] ServerThreads (its default ini has 4)
#
# The stores are the ones tests/bench/query_bench.sh SIZE builds and keeps in
# work/ (run it first, at least `ENGINES="citykg virtuoso" QUERIES=01`); the
# graph the writer fills is dropped again at the end. Output: a markdown
# table on stdout and in work/http-SIZE.md, wrk and server logs in
# work/logs-http-SIZE/.
set -euo pipefail

# shellcheck disable=SC2034 # used by log() in lib.sh
LOG_TAG=http_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZE=${1:-10000000}
ENGINES=${ENGINES:-citykg virtuoso}
CITYKG=${CITYKG:-$ROOT/build/citykg}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BATCH=${BATCH:-100}
QUERIES=${QUERIES:-01 02 03 05 06 07 13 15 18}
WRITE_GRAPH=https://city.example/graph/http-bench-writes

command -v wrk >/dev/null || { echo "http_bench: wrk missing (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "http_bench: curl missing" >&2; exit 1; }
LOGS=$WORK/logs-http-$SIZE
mkdir -p "$LOGS"
OUT=$WORK/http-$SIZE.md

# ---- the query mix as a wrk script ---------------------------------------------
# Every request is a form-encoded POST of the next query of the mix (round
# robin per connection), asking for SPARQL JSON. Non-2xx answers are counted
# by wrk ("Non-2xx or 3xx responses").
mix_lua() {
  local files=() q
  for q in $QUERIES; do
    files+=("$(ls "$BENCH"/queries/"$q"*.rq)")
  done
  {
    echo 'local bodies = {'
    for f in "${files[@]}"; do
      printf '  "query=%s",\n' "$(node -e 'process.stdout.write(encodeURIComponent(require("fs").readFileSync(0, "utf8")))' <"$f")"
    done
    cat <<'EOF'
}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/sparql-results+json"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
EOF
  } >"$LOGS/mix.lua"
}

# ---- the writer ------------------------------------------------------------------
# writer URL PARAM OUT: one INSERT DATA of BATCH triples per second until
# $LOGS/stop-writer exists; "batch http_code" per line to OUT.
writer() {
  local url=$1 param=$2 out=$3 i=0 code body t
  : >"$out"
  while [ ! -e "$LOGS/stop-writer" ]; do
    body="INSERT DATA { GRAPH <$WRITE_GRAPH> {"
    for t in $(seq "$BATCH"); do
      body+=" <https://city.example/http-bench/b$i-t$t> <https://city.example/http-bench/batch> $i ."
    done
    body+=" } }"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "${AUTH[@]}" \
      --data-urlencode "$param=$body" "$url") || code=000
    echo "$i $code" >>"$out"
    i=$((i + 1))
    sleep 1
  done
}

# count_written URL: triples in the writer's graph, via the engine's /sparql.
count_written() {
  curl -s --max-time 60 -H 'Accept: text/csv' "${AUTH[@]}" \
    --data-urlencode "query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$WRITE_GRAPH> { ?s ?p ?o } }" "$1" |
    tail -n 1 | tr -d '\r"'
}

# rows_per_query URL OUT: each query of the mix once (anonymous, CSV), its
# number of result rows to OUT, so that the engines' answers can be compared.
rows_per_query() {
  local q f rows
  : >"$2"
  for q in $QUERIES; do
    f=$(ls "$BENCH"/queries/"$q"*.rq)
    rows=$(curl -s --max-time 120 -H 'Accept: text/csv' --data-urlencode "query@$f" "$1" | wc -l)
    echo "$q $((rows - 1))" >>"$2"
  done
}

# run_load ENGINE QUERY_URL UPDATE_URL UPDATE_PARAM: wrk plus the writer;
# appends a table row. AUTH: curl arguments that authorize the writer.
run_load() {
  local engine=$1 qurl=$2 uurl=$3 param=$4
  rm -f "$LOGS/stop-writer"
  rows_per_query "$qurl" "$LOGS/$engine.rows"
  wait_quiet
  writer "$uurl" "$param" "$LOGS/$engine.writes" &
  local wpid=$!
  log "$engine: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, writer every second"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency \
    -s "$LOGS/mix.lua" "$qurl" >"$LOGS/$engine.wrk" 2>&1 || true
  touch "$LOGS/stop-writer"
  wait "$wpid" || true
  local rps p50 p99 non2xx sockerr acked failed present
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$LOGS/$engine.wrk")
  p50=$(awk '$1 == "50%" { print $2 }' "$LOGS/$engine.wrk")
  p99=$(awk '$1 == "99%" { print $2 }' "$LOGS/$engine.wrk")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$LOGS/$engine.wrk")
  sockerr=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$LOGS/$engine.wrk")
  acked=$(awk '$2 ~ /^2/' "$LOGS/$engine.writes" | wc -l)
  failed=$(awk '$2 !~ /^2/' "$LOGS/$engine.writes" | wc -l)
  present=$(count_written "$qurl")
  log "$engine: $rps req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, writes $acked acked / $failed failed, $present triples present"
  printf '| %s | %s | %s | %s | %s | %s | %s / %s | %s of %s |\n' "$(engine_label "$engine")" \
    "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "${sockerr:-none}" "$acked" "$failed" \
    "${present:-?}" "$((acked * BATCH))" >>"$LOGS/rows"
}

AUTH=()
mix_lua
: >"$LOGS/rows"

# ---- citykg ---------------------------------------------------------------------
CITYKG_PID=
stop_citykg() {
  [ -n "$CITYKG_PID" ] || return 0
  kill -TERM "$CITYKG_PID" 2>/dev/null || true
  wait "$CITYKG_PID" 2>/dev/null || true
  CITYKG_PID=
}
trap 'stop_citykg; virt_cleanup' EXIT
trap 'exit 130' INT TERM

run_citykg() {
  local dir=$WORK/query-store-citykg-$SIZE port
  [ -x "$CITYKG" ] || { log "citykg: $CITYKG not built"; return; }
  [ -e "$dir/data.mdb" ] || { log "citykg: no store $dir (run query_bench.sh $SIZE first)"; return; }
  port=$(free_port)
  # The public twin: anonymous apps read every bench graph; the writer is a
  # steward with a token of its own (revoked at the end).
  local g token
  for g in $("$CITYKG" graph list --data "$dir" | awk -F'\t' 'NR > 1 && $1 != "default" { gsub(/[<>]/, "", $1); print $1 }'); do
    "$CITYKG" graph access --data "$dir" "$g" public >/dev/null
  done
  token=$("$CITYKG" token create --data "$dir" --role steward --label http_bench 2>/dev/null)
  AUTH=(-H "Authorization: Bearer $token")
  cat >"$LOGS/citykg.json" <<EOF
{ "query_timeout_ms": 60000 }
EOF
  "$CITYKG" serve --data "$dir" --port "$port" --bind 127.0.0.1 --config "$LOGS/citykg.json" \
    2>"$LOGS/citykg-server.log" &
  CITYKG_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  # warm the page cache and the server the same way for both engines
  curl -s -o /dev/null "${AUTH[@]}" --data-urlencode "update=DROP SILENT GRAPH <$WRITE_GRAPH>" "http://127.0.0.1:$port/sparql"
  run_load citykg "http://127.0.0.1:$port/sparql" "http://127.0.0.1:$port/sparql" update
  curl -s -o /dev/null "${AUTH[@]}" --data-urlencode "update=DROP SILENT GRAPH <$WRITE_GRAPH>" "http://127.0.0.1:$port/sparql"
  stop_citykg
  token=${token#ckt_}
  "$CITYKG" token revoke --data "$dir" "${token%%_*}" >/dev/null
  AUTH=()
}

# ---- Virtuoso -------------------------------------------------------------------
run_virtuoso() {
  local dir=$WORK/query-store-virtuoso-$SIZE
  virt_installed || { log "virtuoso: not installed (tests/bench/setup-peers.sh)"; return; }
  [ -e "$dir/virtuoso.db" ] || { log "virtuoso: no store $dir (run query_bench.sh $SIZE first)"; return; }
  VIRT_HTTP_THREADS=${VIRT_HTTP_THREADS:-16} VIRT_HTTP_CONNECTIONS=$CONNECTIONS virt_start "$dir" "$SIZE" "$LOGS/virtuoso-server.log" ||
    { log "virtuoso: server did not start"; return; }
  # Anonymous SPARQL updates over HTTP need this grant (Virtuoso's own default is read-only).
  isql exec="GRANT SPARQL_UPDATE TO \"SPARQL\";" >/dev/null 2>&1 || true
  isql exec="SPARQL CLEAR GRAPH <$WRITE_GRAPH>;" >/dev/null 2>&1 || true
  local url="http://127.0.0.1:$VIRT_HTTP_PORT/sparql"
  AUTH=()
  run_load virtuoso "$url" "$url" query
  isql exec="SPARQL CLEAR GRAPH <$WRITE_GRAPH>;" >/dev/null 2>&1 || true
  virt_stop
}

for e in $ENGINES; do
  case $e in
  citykg) run_citykg ;;
  virtuoso) run_virtuoso ;;
  *) log "unknown engine $e (known: citykg virtuoso)" ;;
  esac
done

{
  echo "HTTP: \`tests/bench/http_bench.sh $SIZE\` ($(date -u '+%Y-%m-%d %H:%M UTC')), wrk $THREADS threads, $CONNECTIONS connections, ${DURATION} s, queries $QUERIES; a writer posts $BATCH triples every second"
  echo
  echo "| engine | requests/s | p50 | p99 | non-2xx | socket errors | writes acked / failed | written triples present |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|"
  cat "$LOGS/rows"
  if [ -s "$LOGS/citykg.rows" ] && [ -s "$LOGS/virtuoso.rows" ]; then
    echo
    if cmp -s "$LOGS/citykg.rows" "$LOGS/virtuoso.rows"; then
      echo "Rows per query, same in both engines: $(tr '\n' ' ' <"$LOGS/citykg.rows")"
    else
      echo "**Rows per query differ**: citykg $(tr '\n' ' ' <"$LOGS/citykg.rows"); Virtuoso $(tr '\n' ' ' <"$LOGS/virtuoso.rows")"
    fi
  fi
} | tee "$OUT"
