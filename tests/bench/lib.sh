# Shared shell functions of the benchmarks (load_bench.sh, query_bench.sh).
# Source it after `set -euo pipefail`; it sets BENCH, ROOT and WORK and
# defines helpers. Callers set LOG_TAG (the prefix of log lines) and SIZE.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables set here are read by the callers

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/../.." && pwd)
WORK=$BENCH/work
HZ=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "${LOG_TAG:-bench}" "$*" >&2; }

# ensure_data SIZE: generates work/city-SIZE.nq once (gen_city) and sets DATA,
# TRIPLES (quads in the file) and FILE_BYTES.
ensure_data() {
  make -s -C "$BENCH" work/gen_city >&2
  DATA=$WORK/city-$1.nq
  if [ ! -s "$DATA" ]; then
    log "generating $DATA"
    "$WORK/gen_city" "$1" >"$DATA.tmp"
    mv "$DATA.tmp" "$DATA"
  fi
  TRIPLES=$(wc -l <"$DATA")
  FILE_BYTES=$(stat -c %s "$DATA")
  log "data: $DATA ($TRIPLES quads, $((FILE_BYTES / 1048576)) MiB)"
}

# ---- idle machine ------------------------------------------------------------
# Busy CPU time of the whole machine so far, in clock ticks (USER_HZ).
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# This is a 2-core machine that others may be using: wait (at most QUIET_WAIT
# seconds, default 300) until less than a quarter of a core is busy, so that
# engines are timed on an idle machine.
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

# CPU seconds (user + system) a process has used so far: proc_cpu PID
proc_cpu() { awk -v hz="$HZ" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# ---- engine labels -------------------------------------------------------------
engine_label() {
  case $1 in
  citykg) echo "${CITYKG_LABEL:-citykg $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')}" ;;
  oxigraph) echo "Oxigraph $(node -p "require('$BENCH/node_modules/oxigraph/package.json').version" 2>/dev/null || echo '?') (npm, WASM)" ;;
  jena) echo "Jena TDB2 $(dpkg-query -W -f='${Version}' libapache-jena-java 2>/dev/null | cut -d- -f1)" ;;
  virtuoso) echo "Virtuoso $(dpkg-query -W -f='${Version}' virtuoso-opensource 2>/dev/null | cut -d+ -f1)" ;;
  esac
}

# ---- Jena ----------------------------------------------------------------------
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
# Prints the classpath: the shim directory, then the Debian jars by name.
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

# ---- Virtuoso ------------------------------------------------------------------
# Every server is private: its own virtuoso.ini in the store directory, ports
# on 127.0.0.1 chosen free (never 1111/8890), stopped by its PID.
VIRT_PID=
VIRT_PORT=
VIRT_HTTP_PORT=
VIRT_WKT_TYPE=https://w3id.org/citykg/bench#wktText

# Kills the server if it still runs (callers trap EXIT to this).
virt_cleanup() {
  if [ -n "$VIRT_PID" ] && kill -0 "$VIRT_PID" 2>/dev/null; then
    kill -TERM "$VIRT_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$VIRT_PID" 2>/dev/null || true
  fi
  VIRT_PID=
}

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
free_port() {
  local p
  for p in $(shuf -i 20000-59999 -n 50); do
    if port_free "$p" && [ "$p" != "${1:-}" ]; then echo "$p"; return 0; fi
  done
  return 1
}

isql() { isql-vt "127.0.0.1:$VIRT_PORT" dba dba "$@"; }

# The last bare number isql printed (result of a one-value SELECT).
isql_number() { isql "$@" 2>&1 | awk '/^[0-9]+[ \t]*$/ { n = $1 } END { print n }'; }

virt_installed() { command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; }

# Virtuoso 7.2.5 parses every geo:wktLiteral into its geometry type and
# rejects a CRS IRI prefix (and projected polygons): "RDFGE: RDF box with a
# geometry RDF type and a non-geometry content", which aborts the whole file.
# It therefore loads a copy in which only that datatype IRI is replaced, so
# the WKT stays a typed literal (same quads, no geometry parsing).
# virt_data FILE.nq: writes FILE.virtuoso.nq if missing or older, prints its name.
virt_data() {
  local src=$1 vdata=${1%.nq}.virtuoso.nq
  if [ ! -s "$vdata" ] || [ "$vdata" -ot "$src" ]; then
    log "virtuoso: writing $vdata (wktLiteral -> $VIRT_WKT_TYPE)"
    sed "s|\^\^<http://www.opengis.net/ont/geosparql#wktLiteral>|^^<$VIRT_WKT_TYPE>|" "$src" >"$vdata.tmp"
    mv "$vdata.tmp" "$vdata"
  fi
  printf '%s' "$vdata"
}

# virt_start DIR SIZE SERVER_LOG: writes DIR/virtuoso.ini with fresh free ports
# (an existing database in DIR is kept) and starts virtuoso-t in the
# background. Sets VIRT_PID, VIRT_PORT, VIRT_HTTP_PORT, VIRT_BUFFERS_USED and
# VIRT_START_SECS; returns 1 if the server did not come up.
virt_start() {
  local dir=$1 size=$2 server_log=$3
  mkdir -p "$dir"
  VIRT_PORT=$(free_port); VIRT_HTTP_PORT=$(free_port "$VIRT_PORT")
  # buffers: 8 KiB pages; 170000 ~ 1.3 GiB for up to a few million quads,
  # 680000 ~ 5.3 GiB above (OpenLink's table scales with RAM and data size)
  VIRT_BUFFERS_USED=${VIRT_BUFFERS:-$([ "$size" -le 3000000 ] && echo 170000 || echo 680000)}
  local buffers=$VIRT_BUFFERS_USED
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
DirsAllowed              = ., $WORK, $BENCH
NumberOfBuffers          = $buffers
MaxDirtyBuffers          = $dirty
MaxQueryMem              = 2G
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10

[HTTPServer]
ServerPort           = 127.0.0.1:$VIRT_HTTP_PORT
ServerRoot           = $dir
MaxClientConnections = ${VIRT_HTTP_CONNECTIONS:-4}
ServerThreads        = ${VIRT_HTTP_THREADS:-4}

[SPARQL]
ResultSetMaxRows      = 100000000
MaxQueryExecutionTime = 0
EOF
  log "virtuoso: starting server on 127.0.0.1:$VIRT_PORT, HTTP $VIRT_HTTP_PORT (NumberOfBuffers=$buffers)"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && exec virtuoso-t -f -c "$dir/virtuoso.ini") >"$server_log" 2>&1 &
  VIRT_PID=$!
  local up=0
  for _ in $(seq 1 240); do
    kill -0 "$VIRT_PID" 2>/dev/null || break
    if isql exec="status();" >/dev/null 2>&1; then up=1; break; fi
    sleep 0.5
  done
  t1=$(date +%s.%N)
  VIRT_START_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  if [ "$up" != 1 ]; then
    virt_cleanup; return 1
  fi
}

# virt_stop: clean shutdown (checkpoint), then make sure the process is gone.
virt_stop() {
  [ -n "$VIRT_PID" ] || return 0
  isql exec="shutdown;" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 0.5; done
  virt_cleanup
}

# Quads in the benchmark's graphs (Virtuoso's COUNT(*) over all graphs also
# counts its own system graphs, ~2,500 quads).
virt_count_quads() {
  isql_number exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://city.example/graph/') || ?g = <urn:citykg:bench:default>) };"
}
