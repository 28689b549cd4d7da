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

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/../.." && pwd)
WORK=$BENCH/work
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
log() { printf '[load_bench] %s\n' "$*" >&2; }

# ---- data -------------------------------------------------------------------
make -s -C "$BENCH" work/gen_city >&2
DATA=$WORK/city-$SIZE.nq
if [ ! -s "$DATA" ]; then
  log "generating $DATA"
  "$WORK/gen_city" "$SIZE" >"$DATA.tmp"
  mv "$DATA.tmp" "$DATA"
fi
TRIPLES=$(wc -l <"$DATA")
FILE_BYTES=$(stat -c %s "$DATA")
log "data: $DATA ($TRIPLES quads, $((FILE_BYTES / 1048576)) MiB)"

# ---- helpers ----------------------------------------------------------------
declare -A R_SECS R_RSS R_DISK R_COUNT R_NOTE R_FOREIGN

# Put the input in the page cache and flush earlier engines' dirty pages, so
# each engine starts from the same state.
warm() { cat "$DATA" >/dev/null; sync; }

# Busy CPU time of the whole machine so far, in clock ticks (USER_HZ).
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# This is a 2-core machine that others may be using: before each engine wait
# (at most QUIET_WAIT seconds, default 300) until less than a quarter of a core
# is busy, so that engines are timed on an idle machine.
wait_quiet() {
  local waited=0 a b busy
  while :; do
    a=$(cpu_busy); sleep 2; b=$(cpu_busy)
    busy=$(awk -v a="$a" -v b="$b" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz / 2 }')
    if awk -v x="$busy" 'BEGIN { exit !(x < 0.25) }'; then return 0; fi
    if [ "$waited" -ge "${QUIET_WAIT:-300}" ]; then
      log "machine still busy ($busy cores in use); measuring anyway"; return 0
    fi
    [ "$waited" != 0 ] || log "waiting for an idle machine ($busy cores in use by other processes)"
    waited=$((waited + 2))
  done
}

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
JENA_JARS="jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index
  jena-dboe-storage jena-dboe-trans-data jena-dboe-transaction jena-iri
  jena-rdfconnection jena-shacl jena-shex jena-tdb jena-tdb2 commons-cli
  commons-codec commons-compress commons-csv commons-io commons-lang3
  commons-logging dexx.collection gson guava httpclient httpcore
  jackson-annotations jackson-core jackson-databind jakarta.json-api jsonld-java
  protobuf thrift titanium-json-ld slf4j-api slf4j-simple"

# Debian's jena-core relocates its bundled Xerces classes to xerces.* but leaves
# the message bundles under org/apache/jena/ext/xerces/; without them XSD
# datatype initialisation fails ("internal error" in applyFacets1). Both
# impl/msg/*.properties and impl/xpath/regex/message*.properties are needed.
jena_classpath() {
  local shim=$WORK/jena-shim
  if [ ! -f "$shim/xerces/impl/msg/XMLSchemaMessages.properties" ] ||
    [ ! -f "$shim/xerces/impl/xpath/regex/message.properties" ]; then
    rm -rf "$shim"; mkdir -p "$shim/tmp"
    (cd "$shim/tmp" && unzip -q /usr/share/java/jena-core.jar 'org/apache/jena/ext/xerces/*.properties')
    mv "$shim/tmp/org/apache/jena/ext/xerces" "$shim/xerces"
    rm -rf "$shim/tmp"
  fi
  local cp=$shim j
  for j in $JENA_JARS; do
    [ -f "/usr/share/java/$j.jar" ] || { echo "missing /usr/share/java/$j.jar" >&2; return 1; }
    cp=$cp:/usr/share/java/$j.jar
  done
  printf '%s' "$cp"
}

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
VIRT_PID=
VIRT_PORT=
VIRT_WKT_TYPE=https://w3id.org/citykg/bench#wktText
cleanup() {
  if [ -n "$VIRT_PID" ] && kill -0 "$VIRT_PID" 2>/dev/null; then
    kill -TERM "$VIRT_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$VIRT_PID" 2>/dev/null || true
  fi
  VIRT_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
free_port() {
  local p
  for p in $(shuf -i 20000-59999 -n 50); do
    if port_free "$p" && [ "$p" != "${1:-}" ]; then echo "$p"; return 0; fi
  done
  return 1
}

isql() { isql-vt "127.0.0.1:$VIRT_PORT" dba dba "$@"; }

run_virtuoso() {
  if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    fail virtuoso "not installed (run tests/bench/setup-peers.sh)"; return
  fi
  # Virtuoso 7.2.5 parses every geo:wktLiteral into its geometry type and
  # rejects a CRS IRI prefix (and projected polygons): "RDFGE: RDF box with a
  # geometry RDF type and a non-geometry content", which aborts the whole file.
  # It therefore loads a copy in which only that datatype IRI is replaced, so
  # the WKT stays a typed literal (same quads, no geometry parsing).
  local vdata=$WORK/city-$SIZE.virtuoso.nq
  if [ ! -s "$vdata" ] || [ "$vdata" -ot "$DATA" ]; then
    log "virtuoso: writing $vdata (wktLiteral -> $VIRT_WKT_TYPE)"
    sed "s|\^\^<http://www.opengis.net/ont/geosparql#wktLiteral>|^^<$VIRT_WKT_TYPE>|" "$DATA" >"$vdata.tmp"
    mv "$vdata.tmp" "$vdata"
  fi
  local dir=$WORK/store-virtuoso-$SIZE http_port
  rm -rf "$dir"; mkdir -p "$dir"
  VIRT_PORT=$(free_port); http_port=$(free_port "$VIRT_PORT")
  # buffers: 8 KiB pages; 170000 ~ 1.3 GiB for up to a few million quads,
  # 680000 ~ 5.3 GiB above (OpenLink's table scales with RAM and data size)
  local buffers=${VIRT_BUFFERS:-$([ "$SIZE" -le 3000000 ] && echo 170000 || echo 680000)}
  local dirty=${VIRT_DIRTY:-$((buffers * 3 / 4))}
  cat >"$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$VIRT_PORT
DisableUnixSocket        = 1
MaxClientConnections     = 10
CheckpointInterval       = 0
O_DIRECT                 = 0
CaseMode                 = 2
DirsAllowed              = ., $WORK
NumberOfBuffers          = $buffers
MaxDirtyBuffers          = $dirty
MaxQueryMem              = 2G
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $dir
MaxClientConnections = 4
ServerThreads        = 4

[SPARQL]
ResultSetMaxRows      = 100000000
MaxQueryExecutionTime = 0
EOF
  log "virtuoso: starting server on 127.0.0.1:$VIRT_PORT (NumberOfBuffers=$buffers)"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && exec virtuoso-t -f -c "$dir/virtuoso.ini") >"$LOGS/virtuoso-server.log" 2>&1 &
  VIRT_PID=$!
  local up=0
  for _ in $(seq 1 240); do
    kill -0 "$VIRT_PID" 2>/dev/null || break
    if isql exec="status();" >/dev/null 2>&1; then up=1; break; fi
    sleep 0.5
  done
  t1=$(date +%s.%N)
  if [ "$up" != 1 ]; then
    fail virtuoso "server did not start (see $LOGS/virtuoso-server.log)"; cleanup; drop_store "$dir"; return
  fi
  local start_secs
  start_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  cat "$vdata" >/dev/null; sync; wait_quiet
  local vcpu0 vcpu1
  vcpu0=$(awk '{ print $14 + $15 }' "/proc/$VIRT_PID/stat")
  log "virtuoso: loading (server up after ${start_secs}s, not counted)"
  timed "$LOGS/virtuoso.log" isql-vt "127.0.0.1:$VIRT_PORT" dba dba exec="ld_add('$vdata', 'urn:citykg:bench:default'); rdf_loader_run(); checkpoint;"
  local rss_kb errors done count
  vcpu1=$(awk '{ print $14 + $15 }' "/proc/$VIRT_PID/stat")
  rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$VIRT_PID/status")
  foreign virtuoso "$(awk -v a="$vcpu0" -v b="$vcpu1" -v hz="$HZ" -v c="$T_CPU" 'BEGIN { print (b - a) / hz + c }')"
  errors=$(isql exec="SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;" 2>&1 |
    awk '/^[0-9]+[ \t]*$/ { n = $1 } END { print n }')
  done=$(isql exec="SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state = 2 AND ll_error IS NULL;" 2>&1 |
    awk '/^[0-9]+[ \t]*$/ { n = $1 } END { print n }')
  count=$(isql exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://city.example/graph/') || ?g = <urn:citykg:bench:default>) };" 2>&1 |
    awk '/^[0-9]+[ \t]*$/ { n = $1 } END { print n }')
  isql exec="shutdown;" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 0.5; done
  cleanup
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
engine_label() {
  case $1 in
  citykg) echo "citykg $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" ;;
  oxigraph) echo "Oxigraph $(node -p "require('$BENCH/node_modules/oxigraph/package.json').version" 2>/dev/null || echo '?') (npm, WASM)" ;;
  jena) echo "Jena TDB2 $(dpkg-query -W -f='${Version}' libapache-jena-java 2>/dev/null | cut -d- -f1)" ;;
  virtuoso) echo "Virtuoso $(dpkg-query -W -f='${Version}' virtuoso-opensource 2>/dev/null | cut -d+ -f1)" ;;
  esac
}

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
