#!/usr/bin/env bash
# Load benchmark: the same synthetic city N-Quads file into citykg, Oxigraph
# (npm, in memory), Apache Jena TDB2 and Virtuoso, one after another.
#
#   tests/bench/load_bench.sh [SIZE]        SIZE = target quads, default 1000000
#
# Environment:
#   ENGINES="citykg oxigraph jena virtuoso"  engines to run, in this order
#   CITYKG=build/citykg                      citykg binary
#   CITYKG_LOAD_ARGS=                        extra arguments to `citykg load`
#   JENA_LOADER=phased                       tdb2.tdbloader --loader=
#   JENA_JAVA_OPTS=                          JVM options (default heap: 1/4 RAM)
#   OXIGRAPH_ARGS=                           e.g. --no-transaction
#   VIRT_BUFFERS / VIRT_DIRTY                Virtuoso NumberOfBuffers / MaxDirtyBuffers
#   KEEP_STORES=1                            keep store directories under work/
#   REPEAT=1                                 loads per engine; the median is reported
#   QUIET_WAIT=300                           seconds to wait for an idle machine
#
# Output: a markdown table on stdout and in tests/bench/work/load-SIZE.md;
# engine logs in tests/bench/work/logs-SIZE/. Needs the peers installed by
# tests/bench/setup-peers.sh. Wall time covers the whole load command
# (process start, parse, index build, durable commit); peak RSS is GNU time's
# %M (Virtuoso: VmHWM of the server process); disk is allocated bytes (du).
set -euo pipefail

# shellcheck disable=SC2034 # used by log() in lib.sh
LOG_TAG=load_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZE=${1:-1000000}
ENGINES=${ENGINES:-citykg oxigraph jena virtuoso}
CITYKG=${CITYKG:-$ROOT/build/citykg}
KEEP_STORES=${KEEP_STORES:-0}
REPEAT=${REPEAT:-1}

case $REPEAT in '' | *[!0-9]* | 0) echo "load_bench: REPEAT must be a positive integer" >&2; exit 2 ;; esac
case $SIZE in '' | *[!0-9]*)
  echo "usage: $0 [SIZE]   (SIZE: number of quads, e.g. 1000000 or 10000000)" >&2
  exit 2 ;;
esac
for e in $ENGINES; do
  case $e in citykg | oxigraph | jena | virtuoso) ;;
  *) echo "load_bench: unknown engine '$e' (known: citykg oxigraph jena virtuoso)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "load_bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

mkdir -p "$WORK"
LOGS=$WORK/logs-$SIZE
mkdir -p "$LOGS"

# ---- data -------------------------------------------------------------------
ensure_data "$SIZE"

# ---- helpers ----------------------------------------------------------------
declare -A R_SECS R_RSS R_DISK R_COUNT R_NOTE R_FOREIGN

# Put the input in the page cache and flush earlier engines' dirty pages, so
# each engine starts from the same state.
warm() { cat "$DATA" >/dev/null; sync; }

# timed LOG CMD...: runs CMD, sets T_RC, T_SECS (wall), T_RSS (peak KiB),
# T_CPU (CPU seconds of CMD and its children) and T_BUSY (CPU seconds of the
# whole machine during the run; T_BUSY - engine CPU = disturbance by others)
timed() {
  local out=$1; shift
  local t0 t1 c0 c1
  c0=$(cpu_busy)
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -f '%M %U %S' -o "$out.time" "$@" >"$out" 2>&1
  T_RC=$?
  set -e
  t1=$(date +%s.%N)
  c1=$(cpu_busy)
  T_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  T_BUSY=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')
  read -r T_RSS T_CPU <<<"$(tail -n 1 "$out.time" | awk '{ printf "%s %.2f", $1, $2 + $3 }')"
}

# foreign ENGINE ENGINE_CPU_SECONDS: records how many cores other processes
# used on average during the timed load
foreign() {
  R_FOREIGN[$1]=$(awk -v busy="$T_BUSY" -v own="$2" -v s="$T_SECS" \
    'BEGIN { f = (busy - own) / s; if (f < 0) f = 0; printf "%.2f", f }')
}

disk_bytes() { du -s -B1 "$1" | cut -f1; }

drop_store() { [ "$KEEP_STORES" = 1 ] || rm -rf "$1"; }

fail() { # fail ENGINE NOTE
  R_SECS[$1]=; R_NOTE[$1]=$2; log "$1: $2"
}

# ---- citykg -----------------------------------------------------------------
run_citykg() {
  if [ ! -x "$CITYKG" ]; then
    fail citykg "not built ($CITYKG missing)"; return
  fi
  local dir=$WORK/store-citykg-$SIZE
  rm -rf "$dir"
  warm; wait_quiet
  log "citykg: loading"
  # shellcheck disable=SC2086
  timed "$LOGS/citykg.log" "$CITYKG" load --data "$dir" ${CITYKG_LOAD_ARGS:-} "$DATA"
  if [ "$T_RC" != 0 ]; then
    fail citykg "load failed (exit $T_RC, see $LOGS/citykg.log)"; tail -n 5 "$LOGS/citykg.log" >&2
    drop_store "$dir"; return
  fi
  foreign citykg "$T_CPU"
  R_SECS[citykg]=$T_SECS; R_RSS[citykg]=$T_RSS; R_DISK[citykg]=$(disk_bytes "$dir")
  # the last "<n> quads" / "<n> triples" the loader printed, if any
  # (not a rate such as "524928 quads/s")
  R_COUNT[citykg]=$(grep -oE '[0-9][0-9,]* (quads|triples)([ )]|$)' "$LOGS/citykg.log" | tail -n 1 | grep -oE '^[0-9,]+' | tr -d , || true)
  drop_store "$dir"
}

# ---- Oxigraph (npm, WASM, in memory) -----------------------------------------
run_oxigraph() {
  if [ ! -f "$BENCH/node_modules/oxigraph/package.json" ]; then
    fail oxigraph "npm package missing (run tests/bench/setup-peers.sh)"; return
  fi
  warm; wait_quiet
  log "oxigraph: loading"
  # shellcheck disable=SC2086
  timed "$LOGS/oxigraph.log" node "$BENCH/load_oxigraph.mjs" "$DATA" ${OXIGRAPH_ARGS:-}
  if [ "$T_RC" != 0 ]; then
    fail oxigraph "load failed (exit $T_RC, see $LOGS/oxigraph.log)"; tail -n 5 "$LOGS/oxigraph.log" >&2; return
  fi
  foreign oxigraph "$T_CPU"
  R_SECS[oxigraph]=$T_SECS; R_RSS[oxigraph]=$T_RSS; R_DISK[oxigraph]="in memory"
  R_COUNT[oxigraph]=$(sed -n 's/^quads=\([0-9]*\).*/\1/p' "$LOGS/oxigraph.log")
}

# ---- Jena TDB2 ----------------------------------------------------------------
run_jena() {
  local cp
  if [ ! -f /usr/share/java/jena-tdb2.jar ] || ! cp=$(jena_classpath); then
    fail jena "not installed (run tests/bench/setup-peers.sh)"; return
  fi
  local dir=$WORK/store-jena-$SIZE
  rm -rf "$dir"
  warm; wait_quiet
  log "jena: loading (tdb2.tdbloader --loader=${JENA_LOADER:-phased})"
  # shellcheck disable=SC2086
  timed "$LOGS/jena.log" java ${JENA_JAVA_OPTS:-} -cp "$cp" tdb2.tdbloader \
    --loader="${JENA_LOADER:-phased}" --loc "$dir" "$DATA"
  if [ "$T_RC" != 0 ]; then
    fail jena "load failed (exit $T_RC, see $LOGS/jena.log)"; tail -n 5 "$LOGS/jena.log" >&2
    drop_store "$dir"; return
  fi
  foreign jena "$T_CPU"
  R_SECS[jena]=$T_SECS; R_RSS[jena]=$T_RSS; R_DISK[jena]=$(disk_bytes "$dir")
  # last line of the loader: "Time = 3.122 seconds : Quads = 100,000 : Rate = 32,031 /s"
  R_COUNT[jena]=$(grep -oE '(Quads|Triples) = [0-9][0-9,]*' "$LOGS/jena.log" | tail -n 1 | grep -oE '[0-9,]+$' | tr -d , || true)
  drop_store "$dir"
}

# ---- Virtuoso ------------------------------------------------------------------
trap virt_cleanup EXIT
trap 'exit 130' INT TERM

run_virtuoso() {
  if ! virt_installed; then
    fail virtuoso "not installed (run tests/bench/setup-peers.sh)"; return
  fi
  local vdata dir=$WORK/store-virtuoso-$SIZE
  vdata=$(virt_data "$DATA") # WKT retyped: see virt_data in lib.sh
  rm -rf "$dir"; mkdir -p "$dir"
  if ! virt_start "$dir" "$SIZE" "$LOGS/virtuoso-server.log"; then
    fail virtuoso "server did not start (see $LOGS/virtuoso-server.log)"; drop_store "$dir"; return
  fi
  local start_secs=$VIRT_START_SECS buffers=$VIRT_BUFFERS_USED
  cat "$vdata" >/dev/null; sync; wait_quiet
  local vcpu0 vcpu1
  vcpu0=$(awk '{ print $14 + $15 }' "/proc/$VIRT_PID/stat")
  log "virtuoso: loading (server up after ${start_secs}s, not counted)"
  timed "$LOGS/virtuoso.log" isql-vt "127.0.0.1:$VIRT_PORT" dba dba exec="ld_add('$vdata', 'urn:citykg:bench:default'); rdf_loader_run(); checkpoint;"
  local rss_kb errors done count
  vcpu1=$(awk '{ print $14 + $15 }' "/proc/$VIRT_PID/stat")
  rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$VIRT_PID/status")
  foreign virtuoso "$(awk -v a="$vcpu0" -v b="$vcpu1" -v hz="$HZ" -v c="$T_CPU" 'BEGIN { print (b - a) / hz + c }')"
  errors=$(isql_number exec="SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
  done=$(isql_number exec="SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state = 2 AND ll_error IS NULL;")
  count=$(virt_count_quads)
  virt_stop
  if [ "$T_RC" != 0 ] || [ "${errors:-1}" != 0 ] || [ "${done:-0}" = 0 ]; then
    fail virtuoso "load failed (exit $T_RC, load_list: ${done:-?} loaded, ${errors:-?} failed; see $LOGS/virtuoso.log)"
    tail -n 5 "$LOGS/virtuoso.log" >&2; drop_store "$dir"; return
  fi
  R_SECS[virtuoso]=$T_SECS; R_RSS[virtuoso]=$rss_kb; R_COUNT[virtuoso]=$count
  R_DISK[virtuoso]=$(disk_bytes "$dir")
  R_NOTE[virtuoso]="loads a copy with geo:wktLiteral retyped as <$VIRT_WKT_TYPE> (7.2.5 rejects WKT with a CRS IRI); server start ${start_secs}s not counted; NumberOfBuffers=$buffers"
  drop_store "$dir"
}

# ---- run ---------------------------------------------------------------------------
# REPEAT=N loads N times per engine and reports the median time, with the
# disturbance measured in the median run(s); peak RSS and disk of the last run.
for e in $ENGINES; do
  runs=()
  for ((r = 1; r <= REPEAT; r++)); do
    R_SECS[$e]=; R_NOTE[$e]=
    "run_$e"
    [ -n "${R_SECS[$e]}" ] || break
    log "$e: ${R_SECS[$e]} s, peak RSS ${R_RSS[$e]} KiB, other processes ${R_FOREIGN[$e]} cores"
    runs+=("${R_SECS[$e]} ${R_FOREIGN[$e]}")
  done
  if [ -n "${R_SECS[$e]}" ] && [ "$REPEAT" -gt 1 ]; then
    read -r R_SECS[$e] R_FOREIGN[$e] <<<"$(printf '%s\n' "${runs[@]}" | sort -g | awk '
      { t[NR] = $1; f[NR] = $2 }
      END {
        if (NR % 2) { m = (NR + 1) / 2; print t[m], f[m] }
        else { m = NR / 2; printf "%.2f %s\n", (t[m] + t[m + 1]) / 2, (f[m] > f[m + 1] ? f[m] : f[m + 1]) }
      }')"
    R_NOTE[$e]="${R_NOTE[$e]:+${R_NOTE[$e]}; }median of $(printf '%s\n' "${runs[@]}" | cut -d' ' -f1 | tr '\n' ' ')s"
  fi
done

# ---- report ------------------------------------------------------------------------
REPORT=$WORK/load-$SIZE.md
{
  echo "## Load benchmark: $TRIPLES quads ($(basename "$DATA"), $((FILE_BYTES / 1048576)) MiB)"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, input in page cache, engines run one after another."
  echo
  echo "| engine | triples | seconds | triples/s | ratio vs citykg | peak RSS MiB | bytes/triple on disk |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  base=${R_SECS[citykg]:-}
  for e in $ENGINES; do
    label=$(engine_label "$e")
    secs=${R_SECS[$e]:-}
    if [ -z "$secs" ]; then
      echo "| $label | – | – | – | – | – | ${R_NOTE[$e]} |"
      continue
    fi
    count=${R_COUNT[$e]:-}
    [ -n "$count" ] || count="$TRIPLES*"
    rate=$(awk -v n="$TRIPLES" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    if [ -n "$base" ]; then
      ratio=$(awk -v s="$secs" -v b="$base" 'BEGIN { printf "%.2f", s / b }')
    else
      ratio="–"
    fi
    rss=$(awk -v k="${R_RSS[$e]}" 'BEGIN { printf "%.0f", k / 1024 }')
    disk=${R_DISK[$e]}
    case $disk in '' | *[!0-9]*) ;; *) disk=$(awk -v b="$disk" -v n="$TRIPLES" 'BEGIN { printf "%.1f", b / n }') ;; esac
    echo "| $label | $count | $secs | $rate | $ratio | $rss | $disk |"
  done
  echo
  echo "ratio vs citykg = engine seconds / citykg seconds (above 1: citykg is faster)."
  echo "triples/s counts the file's $TRIPLES quads; \"triples\" is what the engine reports having loaded"
  echo "(\\* = the engine printed no count; the file's count is shown)."
  echo "Seconds are wall time of the load command (process start, parse, index, durable commit);"
  echo "Virtuoso: ld_add + rdf_loader_run + checkpoint through isql on a running server."
  echo "Peak RSS: GNU time %M; Virtuoso: VmHWM of the server (includes its buffer pool)."
  echo "Disk: allocated bytes (du) of the store directory after the load."
  echo "Before each load the script waits for an idle machine (< 0.25 core busy) and checks afterwards that no other process competed for the CPU."
  for e in $ENGINES; do
    if [ -n "${R_SECS[$e]:-}" ] && [ -n "${R_NOTE[$e]:-}" ]; then echo "$e: ${R_NOTE[$e]}."; fi
    if [ -n "${R_SECS[$e]:-}" ] && awk -v x="${R_FOREIGN[$e]:-0}" 'BEGIN { exit !(x >= 0.25) }'; then
      echo "**$e: other processes used ${R_FOREIGN[$e]} cores on average during this load: its time is disturbed; run again on an idle machine.**"
    fi
  done
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
