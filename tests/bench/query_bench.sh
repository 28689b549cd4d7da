#!/usr/bin/env bash
# Query benchmark: the SPARQL queries in tests/bench/queries/*.rq on the
# synthetic city data (plus tests/bench/ontology.nq, the class and usage
# hierarchies the property-path queries walk) in citykg, Oxigraph (npm, in
# memory), Apache Jena TDB2 and Virtuoso, one engine after another. Per query
# and engine: WARMUP warm-up runs, then REPEAT timed runs, median reported.
#
#   tests/bench/query_bench.sh [SIZE]       SIZE = target quads, default 1000000
#
# Environment:
#   ENGINES="citykg oxigraph jena virtuoso"  engines to run, in this order
#   CITYKG=build/citykg                      citykg binary
#   WARMUP=2                                 untimed runs per query and engine (>= 1)
#   REPEAT=7                                 timed runs per query and engine
#   BUDGET=120                               seconds of timed runs per query and engine:
#                                            when the first run times WARMUP+REPEAT-1
#                                            exceeds it, fewer runs are made (>= 1 timed)
#   QUERIES=                                 only these queries (name prefixes, e.g. "04 10")
#   RELOAD=1                                 reload every store even if one matches
#   JENA_JAVA_OPTS=                          JVM options of the Jena load and query runs
#   VIRT_BUFFERS / VIRT_DIRTY                Virtuoso NumberOfBuffers / MaxDirtyBuffers
#   QUIET_WAIT=300                           seconds to wait for an idle machine
#
# Stores are kept for the next run in tests/bench/work/query-store-<engine>-SIZE
# and reused while they match the data file, ontology.nq and the engine
# (bench-stamp file); Oxigraph loads into memory every time. Output: a
# markdown table on stdout and in work/query-SIZE.md, raw results in
# work/query-SIZE.tsv, each engine's last results in
# work/query-results-SIZE/<engine>/<query>.json, logs in work/logs-query-SIZE/.
set -euo pipefail

# shellcheck disable=SC2034 # used by log() in lib.sh
LOG_TAG=query_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZE=${1:-1000000}
ENGINES=${ENGINES:-citykg oxigraph jena virtuoso}
CITYKG=${CITYKG:-$ROOT/build/citykg}
WARMUP=${WARMUP:-2}
REPEAT=${REPEAT:-7}
BUDGET=${BUDGET:-120}
RELOAD=${RELOAD:-0}

for v in WARMUP REPEAT BUDGET; do
  case ${!v} in '' | *[!0-9]* | 0) echo "query_bench: $v must be a positive integer" >&2; exit 2 ;; esac
done
case $SIZE in '' | *[!0-9]*)
  echo "usage: $0 [SIZE]   (SIZE: number of quads, e.g. 1000000 or 10000000)" >&2
  exit 2 ;;
esac
for e in $ENGINES; do
  case $e in citykg | oxigraph | jena | virtuoso) ;;
  *) echo "query_bench: unknown engine '$e' (known: citykg oxigraph jena virtuoso)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "query_bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
command -v node >/dev/null || { echo "query_bench: node missing (results are checked with Node.js)" >&2; exit 1; }

mkdir -p "$WORK"
LOGS=$WORK/logs-query-$SIZE
RESULTS=$WORK/query-results-$SIZE
mkdir -p "$LOGS"
TBOX=$BENCH/ontology.nq
QDIR=$BENCH/queries

# ---- data and queries -----------------------------------------------------------
ensure_data "$SIZE"
EXPECTED=$((TRIPLES + $(wc -l <"$TBOX")))

QFILES=()
for f in "$QDIR"/*.rq; do
  name=$(basename "$f" .rq)
  if [ -n "${QUERIES:-}" ]; then
    keep=0
    for p in $QUERIES; do case $name in "$p"*) keep=1 ;; esac; done
    [ "$keep" = 1 ] || continue
  fi
  QFILES+=("$f")
done
[ "${#QFILES[@]}" -gt 0 ] || { echo "query_bench: no query matches QUERIES='${QUERIES:-}'" >&2; exit 2; }
log "${#QFILES[@]} queries, $WARMUP warm-up + $REPEAT timed runs each, budget ${BUDGET}s per query and engine"

# ---- helpers ---------------------------------------------------------------------
declare -A T_MED T_RUNS T_TIMES T_ERR E_NOTE E_FOREIGN

# The store matches when it was loaded from the same data file (name, size,
# mtime), the same ontology.nq and by the same engine version.
stamp() {
  printf 'data=%s %s tbox=%s engine=%s\n' "$(basename "$DATA")" "$(stat -c '%s %Y' "$DATA")" \
    "$(md5sum <"$TBOX" | cut -c1-32)" "$1"
}
store_ok() { # store_ok DIR ENGINE_VERSION
  [ "$RELOAD" != 1 ] && [ -f "$1/bench-stamp" ] && [ "$(cat "$1/bench-stamp")" = "$(stamp "$2")" ]
}

# median of comma-separated milliseconds
median() {
  tr ',' '\n' <<<"$1" | sort -g | awk '{ t[NR] = $1 } END {
    if (NR == 0) exit
    if (NR % 2) printf "%.3f", t[(NR + 1) / 2]; else printf "%.3f", (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# record ENGINE TIMES_FILE: reads "<query>\tok\t<ms>,..." / "<query>\terror\t<msg>" lines
record() {
  local e=$1 name status rest
  while IFS=$'\t' read -r name status rest; do
    case $status in
    ok) T_TIMES[$e,$name]=$rest; T_MED[$e,$name]=$(median "$rest")
      T_RUNS[$e,$name]=$(tr ',' '\n' <<<"$rest" | grep -c .) ;;
    error) T_ERR[$e,$name]=$rest; log "$e: $name: $rest" ;;
    esac
  done < <(grep -P '^[^\t]+\t(ok|error)\t' "$2" || true)
}

# runs_after_probe MS: how many warm-up and timed runs follow a first run of MS
# milliseconds within the budget; prints "WARM TIMED"
runs_after_probe() {
  awk -v t="$1" -v w="$WARMUP" -v r="$REPEAT" -v b="$BUDGET" 'BEGIN {
    if (t * (w - 1 + r) <= b * 1000) { print w - 1, r; exit }
    n = int(b * 1000 / t); if (n < 1) n = 1; if (n > r) n = r; print 0, n }'
}

# foreign ENGINE BUSY0 BUSY1 OWN_CPU_SECONDS WALL_SECONDS: cores other
# processes used on average while the engine ran its queries
foreign() {
  E_FOREIGN[$1]=$(awk -v a="$2" -v b="$3" -v hz="$HZ" -v own="$4" -v s="$5" \
    'BEGIN { f = ((b - a) / hz - own) / s; if (f < 0) f = 0; printf "%.2f", f }')
}

fail() { E_NOTE[$1]="${E_NOTE[$1]:+${E_NOTE[$1]}; }$2"; log "$1: $2"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- citykg ------------------------------------------------------------------------
# One `citykg query --repeat N` process per query: a first process (not timed)
# puts the store in the page cache and measures the query for the budget, the
# second runs it WARMUP + REPEAT times on one snapshot and prints every run's
# time (parse, plan, execute, JSON written to /dev/null); the first WARMUP are
# dropped.
run_citykg() {
  if [ ! -x "$CITYKG" ]; then fail citykg "not built ($CITYKG missing)"; return; fi
  # reused while `citykg stats` still reads it (a new store format reloads)
  local dir=$WORK/query-store-citykg-$SIZE quads
  quads=$("$CITYKG" stats --data "$dir" 2>/dev/null | awk '$1 == "quads:" { print $2 }' || true)
  if ! store_ok "$dir" "citykg" || [ "${quads:-}" != "$EXPECTED" ]; then
    rm -rf "$dir"
    log "citykg: loading $DATA + ontology.nq into $dir"
    local t0; t0=$(now)
    if ! "$CITYKG" load --data "$dir" "$DATA" "$TBOX" >"$LOGS/citykg-load.log" 2>&1; then
      fail citykg "load failed (see $LOGS/citykg-load.log)"; rm -rf "$dir"; return
    fi
    log "citykg: loaded in $(elapsed "$t0") s"
    stamp citykg >"$dir/bench-stamp"
  else
    log "citykg: reusing $dir"
    # a store of an older format that this citykg still reads gets its
    # upgrade (format 4: psog) from one open for writing, as a user's would
    if ! "$CITYKG" update --data "$dir" 'INSERT DATA { }' >/dev/null; then
      log "citykg: could not open $dir for writing: queries read it as it is"
    fi
  fi
  mkdir -p "$RESULTS/citykg"
  : >"$LOGS/citykg.times"
  wait_quiet
  local b0 b1 own=0 t0 q name tp warm timed
  b0=$(cpu_busy); t0=$(now)
  for q in "${QFILES[@]}"; do
    name=$(basename "$q" .rq)
    tp=$(now)
    /usr/bin/time -f '%U %S' -o "$LOGS/citykg.cpu" \
      "$CITYKG" query --data "$dir" --format json --timeout $((BUDGET * 10000)) -f "$q" \
      >/dev/null 2>"$LOGS/citykg-$name.err" || true
    own=$(awk -v o="$own" '{ print o + $1 + $2 }' "$LOGS/citykg.cpu")
    read -r warm timed <<<"$(runs_after_probe "$(awk -v a="$tp" -v b="$(now)" 'BEGIN { print (b - a) * 1000 }')")"
    warm=$((warm + 1)) # the first run of the process warms its snapshot
    if /usr/bin/time -f '%U %S' -o "$LOGS/citykg.cpu" \
      "$CITYKG" query --data "$dir" --format json --timeout $((BUDGET * 10000)) \
      --repeat $((warm + timed)) -f "$q" >"$RESULTS/citykg/$name.json" 2>"$LOGS/citykg-$name.err"; then
      printf '%s\tok\t%s\n' "$name" "$(sed -n 's/^run [0-9]*\/[0-9]*: \([0-9.]*\) ms$/\1/p' "$LOGS/citykg-$name.err" |
        tail -n +$((warm + 1)) | paste -sd,)" >>"$LOGS/citykg.times"
    else
      printf '%s\terror\t%s\n' "$name" "$(tail -n 1 "$LOGS/citykg-$name.err")" >>"$LOGS/citykg.times"
      rm -f "$RESULTS/citykg/$name.json"
    fi
    own=$(awk -v o="$own" '{ print o + $1 + $2 }' "$LOGS/citykg.cpu")
  done
  b1=$(cpu_busy)
  foreign citykg "$b0" "$b1" "$own" "$(elapsed "$t0")"
  record citykg "$LOGS/citykg.times"
}

# ---- Oxigraph (npm, WASM, in memory) ----------------------------------------------
run_oxigraph() {
  if [ ! -f "$BENCH/node_modules/oxigraph/package.json" ]; then
    fail oxigraph "npm package missing (run tests/bench/setup-peers.sh)"; return
  fi
  mkdir -p "$RESULTS/oxigraph"
  cat "$DATA" >/dev/null
  wait_quiet
  log "oxigraph: loading into memory, then running the queries"
  local b0 b1 t0 rc=0
  b0=$(cpu_busy); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$LOGS/oxigraph.cpu" node "$BENCH/query_oxigraph.mjs" \
    --out "$RESULTS/oxigraph" --warmup "$WARMUP" --repeat "$REPEAT" --budget "$BUDGET" \
    "$DATA" "$TBOX" -- "${QFILES[@]}" >"$LOGS/oxigraph.times" 2>"$LOGS/oxigraph.err" || rc=$?
  b1=$(cpu_busy)
  if [ "$rc" != 0 ]; then
    fail oxigraph "runner failed (exit $rc, see $LOGS/oxigraph.err)"; tail -n 5 "$LOGS/oxigraph.err" >&2
  fi
  local quads
  quads=$(awk -F'\t' '$1 == "load" { print $2 }' "$LOGS/oxigraph.times")
  [ "${quads:-}" = "$EXPECTED" ] || fail oxigraph "loaded ${quads:-?} quads, expected $EXPECTED"
  # disturbance over the whole process (load and queries)
  foreign oxigraph "$b0" "$b1" "$(awk '{ print $1 + $2 }' "$LOGS/oxigraph.cpu")" "$(elapsed "$t0")"
  record oxigraph "$LOGS/oxigraph.times"
}

# ---- Jena TDB2 -------------------------------------------------------------------------
run_jena() {
  local cp
  if [ ! -f /usr/share/java/jena-tdb2.jar ] || ! cp=$(jena_classpath); then
    fail jena "not installed (run tests/bench/setup-peers.sh)"; return
  fi
  local classes=$WORK/jena-query
  if [ ! -f "$classes/QueryJena.class" ] || [ "$classes/QueryJena.class" -ot "$BENCH/QueryJena.java" ]; then
    mkdir -p "$classes"
    javac -nowarn -cp "$cp" -d "$classes" "$BENCH/QueryJena.java" >&2 || { fail jena "javac QueryJena.java failed"; return; }
  fi
  local dir=$WORK/query-store-jena-$SIZE version
  version=$(engine_label jena)
  if ! store_ok "$dir" "$version"; then
    rm -rf "$dir"
    log "jena: loading $DATA + ontology.nq into $dir (tdb2.tdbloader --loader=phased)"
    local t0; t0=$(now)
    # shellcheck disable=SC2086
    if ! java ${JENA_JAVA_OPTS:-} -cp "$cp" tdb2.tdbloader --loader=phased --loc "$dir" "$DATA" "$TBOX" \
      >"$LOGS/jena-load.log" 2>&1; then
      fail jena "load failed (see $LOGS/jena-load.log)"; tail -n 5 "$LOGS/jena-load.log" >&2; rm -rf "$dir"; return
    fi
    log "jena: loaded in $(elapsed "$t0") s"
    stamp "$version" >"$dir/bench-stamp"
  else
    log "jena: reusing $dir"
  fi
  mkdir -p "$RESULTS/jena"
  wait_quiet
  log "jena: running the queries in one JVM"
  local b0 b1 t0 rc=0
  b0=$(cpu_busy); t0=$(now)
  # shellcheck disable=SC2086
  /usr/bin/time -f '%U %S' -o "$LOGS/jena.cpu" java ${JENA_JAVA_OPTS:-} -cp "$cp:$classes" QueryJena \
    --loc "$dir" --out "$RESULTS/jena" --warmup "$WARMUP" --repeat "$REPEAT" --budget "$BUDGET" \
    -- "${QFILES[@]}" >"$LOGS/jena.times" 2>"$LOGS/jena.err" || rc=$?
  b1=$(cpu_busy)
  if [ "$rc" != 0 ]; then
    fail jena "runner failed (exit $rc, see $LOGS/jena.err)"; tail -n 5 "$LOGS/jena.err" >&2
  fi
  foreign jena "$b0" "$b1" "$(awk '{ print $1 + $2 }' "$LOGS/jena.cpu")" "$(elapsed "$t0")"
  record jena "$LOGS/jena.times"
}

# ---- Virtuoso ------------------------------------------------------------------------
trap virt_cleanup EXIT
trap 'exit 130' INT TERM

# virt_query QUERY.rq OUT.json: one SPARQL protocol request (POST, form
# encoded) to the server's /sparql over loopback; prints curl's time_total in
# milliseconds, or "error <http code>"
virt_query() {
  local r code secs
  r=$(curl -sS -o "$2" -w '%{http_code} %{time_total}' --max-time $((BUDGET * 10)) \
    -H 'Accept: application/sparql-results+json' --data-urlencode "query@$1" \
    "http://127.0.0.1:$VIRT_HTTP_PORT/sparql" 2>>"$LOGS/virtuoso-curl.err") || r="000 0"
  read -r code secs <<<"$r"
  if [ "$code" = 200 ]; then awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }'; else echo "error $code"; fi
}

run_virtuoso() {
  if ! virt_installed; then fail virtuoso "not installed (run tests/bench/setup-peers.sh)"; return; fi
  command -v curl >/dev/null || { fail virtuoso "curl missing"; return; }
  local vdata dir=$WORK/query-store-virtuoso-$SIZE version
  vdata=$(virt_data "$DATA") # WKT retyped: see virt_data in lib.sh
  version=$(engine_label virtuoso)
  local fresh=0
  if ! store_ok "$dir" "$version"; then rm -rf "$dir"; fresh=1; fi
  if ! virt_start "$dir" "$SIZE" "$LOGS/virtuoso-server.log"; then
    fail virtuoso "server did not start (see $LOGS/virtuoso-server.log)"; return
  fi
  log "virtuoso: server up after ${VIRT_START_SECS}s"
  if [ "$fresh" = 1 ]; then
    log "virtuoso: loading $vdata + ontology.nq into $dir"
    local t0; t0=$(now)
    isql exec="ld_add('$vdata', 'urn:citykg:bench:default'); ld_add('$TBOX', 'urn:citykg:bench:default'); rdf_loader_run(); checkpoint;" \
      >"$LOGS/virtuoso-load.log" 2>&1 || true
    local errors
    errors=$(isql_number exec="SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
    if [ "${errors:-1}" != 0 ]; then
      fail virtuoso "load failed (${errors:-?} files; see $LOGS/virtuoso-load.log)"; virt_stop; rm -rf "$dir"; return
    fi
    log "virtuoso: loaded in $(elapsed "$t0") s"
  else
    log "virtuoso: reusing $dir"
  fi
  local quads
  quads=$(virt_count_quads)
  if [ "${quads:-}" != "$EXPECTED" ]; then
    fail virtuoso "store has ${quads:-?} quads, expected $EXPECTED"; virt_stop; rm -rf "$dir"; return
  fi
  [ "$fresh" = 0 ] || stamp "$version" >"$dir/bench-stamp"
  mkdir -p "$RESULTS/virtuoso"
  : >"$LOGS/virtuoso.times"
  wait_quiet
  log "virtuoso: running the queries over HTTP (curl to 127.0.0.1:$VIRT_HTTP_PORT/sparql)"
  local b0 b1 c0 c1 t0 q name first warm timed i ms times err
  b0=$(cpu_busy); c0=$(proc_cpu "$VIRT_PID"); t0=$(now)
  for q in "${QFILES[@]}"; do
    name=$(basename "$q" .rq)
    first=$(virt_query "$q" "$RESULTS/virtuoso/$name.json")
    case $first in error*)
      printf '%s\terror\tHTTP %s: %s\n' "$name" "${first#error }" \
        "$(head -c 200 "$RESULTS/virtuoso/$name.json" | tr '\n\t' '  ')" >>"$LOGS/virtuoso.times"
      rm -f "$RESULTS/virtuoso/$name.json"; continue ;;
    esac
    read -r warm timed <<<"$(runs_after_probe "$first")"
    for ((i = 0; i < warm; i++)); do virt_query "$q" /dev/null >/dev/null; done
    times=; err=
    for ((i = 0; i < timed; i++)); do
      ms=$(virt_query "$q" "$RESULTS/virtuoso/$name.json")
      case $ms in error*) err=$ms; break ;; esac
      times=${times:+$times,}$ms
    done
    if [ -n "$err" ]; then
      printf '%s\terror\tHTTP %s\n' "$name" "${err#error }" >>"$LOGS/virtuoso.times"
      rm -f "$RESULTS/virtuoso/$name.json"
    else
      printf '%s\tok\t%s\n' "$name" "$times" >>"$LOGS/virtuoso.times"
    fi
  done
  b1=$(cpu_busy); c1=$(proc_cpu "$VIRT_PID")
  foreign virtuoso "$b0" "$b1" "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" "$(elapsed "$t0")"
  E_NOTE[virtuoso]="${E_NOTE[virtuoso]:+${E_NOTE[virtuoso]}; }NumberOfBuffers=$VIRT_BUFFERS_USED"
  virt_stop
  record virtuoso "$LOGS/virtuoso.times"
}

# ---- run ---------------------------------------------------------------------------------
for e in $ENGINES; do
  rm -rf "${RESULTS:?}/$e"
  E_FOREIGN[$e]=
  "run_$e"
  [ -z "${E_FOREIGN[$e]}" ] || log "$e: done; other processes used ${E_FOREIGN[$e]} cores on average"
done

# ---- check and report ---------------------------------------------------------------------
declare -A ROWS CHECK
CHECKDIR=$(mktemp -d)
for q in "${QFILES[@]}"; do ln -s "$q" "$CHECKDIR/"; done
# shellcheck disable=SC2086
while IFS=$'\t' read -r name e rows check; do
  ROWS[$e,$name]=$rows; CHECK[$name]=$check
done < <(node "$BENCH/query_check.mjs" "$RESULTS" "$CHECKDIR" $ENGINES)
rm -rf "$CHECKDIR"

PEERS=()
for e in $ENGINES; do [ "$e" = citykg ] || PEERS+=("$e"); done

fmt_ms() { # adaptive precision
  awk -v x="$1" 'BEGIN { if (x < 1) printf "%.3f", x; else if (x < 10) printf "%.2f", x; else if (x < 100) printf "%.1f", x; else printf "%.0f", x }'
}

TSV=$WORK/query-$SIZE.tsv
REPORT=$WORK/query-$SIZE.md
printf 'query\tengine\tmedian_ms\ttimed_runs\trows\tcheck\ttimes_ms\terror\n' >"$TSV"
RATIOS=()
{
  echo "## Query benchmark: $TRIPLES quads ($(basename "$DATA")) + ontology.nq"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; median of $REPEAT timed runs after $WARMUP warm-up runs per query and engine; milliseconds."
  echo
  header="| query | rows |"; rule="|---|---:|"
  for e in $ENGINES; do header="$header $(engine_label "$e") |"; rule="$rule---:|"; done
  if [ -n "${T_MED[*]:-}" ] && [[ " $ENGINES " == *" citykg "* ]] && [ "${#PEERS[@]}" -gt 0 ]; then
    header="$header fastest peer | citykg / fastest |"; rule="$rule---|---:|"
  fi
  echo "$header"; echo "$rule"
  for q in "${QFILES[@]}"; do
    name=$(basename "$q" .rq)
    check=${CHECK[$name]:-}
    rows=
    for e in $ENGINES; do
      r=${ROWS[$e,$name]:-}
      [ -z "$r" ] || rows=${rows:-$r}
    done
    case $check in
    MISMATCH)
      rows="MISMATCH"
      for e in $ENGINES; do [ -z "${ROWS[$e,$name]:-}" ] || rows="$rows $e=${ROWS[$e,$name]}"; done
      log "MISMATCH: $name: $rows" ;;
    DIFF:*) rows="$rows ($check)"; log "MISMATCH: $name: same row counts, different solutions: ${check#DIFF:}" ;;
    esac
    line="| $name | $rows |"
    best=; best_e=
    for e in $ENGINES; do
      m=${T_MED[$e,$name]:-}
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$e" "$m" "${T_RUNS[$e,$name]:-}" "${ROWS[$e,$name]:-}" \
        "$check" "${T_TIMES[$e,$name]:-}" "${T_ERR[$e,$name]:-}" >>"$TSV"
      if [ -n "$m" ]; then
        cell=$(fmt_ms "$m")
        [ "${T_RUNS[$e,$name]}" -ge "$REPEAT" ] || cell="$cell (${T_RUNS[$e,$name]} run$([ "${T_RUNS[$e,$name]}" = 1 ] || echo s))"
      elif [ -n "${T_ERR[$e,$name]:-}" ]; then
        cell="error"
      else
        cell="–"
      fi
      line="$line $cell |"
      if [ "$e" != citykg ] && [ -n "$m" ] && { [ -z "$best" ] || awk -v a="$m" -v b="$best" 'BEGIN { exit !(a < b) }'; }; then
        best=$m; best_e=$e
      fi
    done
    if [[ "$header" == *"fastest peer"* ]]; then
      c=${T_MED[citykg,$name]:-}
      if [ -n "$c" ] && [ -n "$best" ]; then
        ratio=$(awk -v c="$c" -v b="$best" 'BEGIN { printf "%.2f", c / b }')
        RATIOS+=("$(awk -v c="$c" -v b="$best" 'BEGIN { printf "%.6g", c / b }')")
        if awk -v r="$ratio" 'BEGIN { exit !(r > 1) }'; then ratio="**$ratio**"; fi
        line="$line $best_e | $ratio |"
      else
        line="$line ${best_e:-–} | – |"
      fi
    fi
    echo "$line"
  done
  echo
  if [ "${#RATIOS[@]}" -gt 0 ]; then
    gm=$(printf '%s\n' "${RATIOS[@]}" | awk '{ s += log($1); n++ } END { printf "%.3f", exp(s / n) }')
    slower=$(printf '%s\n' "${RATIOS[@]}" | awk '$1 > 1 { n++ } END { print n + 0 }')
    echo "Geometric mean of citykg / fastest peer over ${#RATIOS[@]} queries: **$gm** (below 1: citykg is faster; target ≤ 0.5 and no query above 1). citykg is slower than the fastest peer on $slower of them (bold)."
    echo
  fi
  echo "rows: solutions returned, checked across engines (MISMATCH: row counts differ; DIFF: same counts, different solutions)."
  echo "Timing per engine: citykg: \`citykg query --format json --repeat N\` in one process per query, each run parses, plans, executes and writes JSON to /dev/null;"
  echo "Oxigraph: \`store.query()\` in one Node.js process with JSON results serialised; Jena: one JVM, parse + execute + JSON to a null stream in a read transaction;"
  echo "Virtuoso: \`curl\` time_total of a POST to /sparql on 127.0.0.1, JSON results. Default graph: the union of all graphs in every engine."
  echo "A cell \"(n runs)\": the query's budget (${BUDGET}s) allowed only n timed runs."
  for e in $ENGINES; do
    [ -z "${E_NOTE[$e]:-}" ] || echo "$e: ${E_NOTE[$e]}."
    if [ -n "${E_FOREIGN[$e]:-}" ] && awk -v x="${E_FOREIGN[$e]}" 'BEGIN { exit !(x >= 0.25) }'; then
      echo "**$e: other processes used ${E_FOREIGN[$e]} cores on average while it ran: its times are disturbed; run again on an idle machine.**"
    fi
  done
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT, raw results in $TSV"
