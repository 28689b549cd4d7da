# shellcheck shell=bash
# lib.sh — helpers shared by the integration test scripts (sourced, not run).
#
# Environment (set by CMake through ctest):
#   CITYKG            path of the citykg binary (required)
#   RDF_ISO           path of tests/tools' rdf-iso (optional; without it the
#                     isomorphism checks fall back to counts + sorted lines)
#   CITYKG_TEST_DATA  the test data directory (tests/fixtures)
#
# A failed expectation is reported and counted; the script goes on so that one
# run shows every failure, and `finish` exits 1 if anything failed.

set -euo pipefail

: "${CITYKG:?CITYKG must name the citykg binary}"
[ -x "$CITYKG" ] || { echo "FAIL: $CITYKG is not executable" >&2; exit 1; }
unset CITYKG_DATA CITYKG_PARSERS CITYKG_MAP_SIZE_GIB

T=$(mktemp -d "${TMPDIR:-/tmp}/citykg-it.XXXXXX")
CLEANUP_PIDS=()
cleanup() {
    local p
    for p in "${CLEANUP_PIDS[@]:-}"; do
        [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
    done
    rm -rf "$T"
}
trap cleanup EXIT

FAILS=0
CHECKS=0

fail() {
    FAILS=$((FAILS + 1))
    echo "FAIL: $*" >&2
}
pass() {
    CHECKS=$((CHECKS + 1))
    echo "ok: $*"
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# run CMD... : runs it with stdout in $T/out, stderr in $T/err, status in $RC
run() {
    set +e
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}

# Quad count reported by `citykg stats`.
quads_of() {
    "$CITYKG" stats --data "$1" | sed -n 's/^quads: //p'
}

# expect_quads DESCRIPTION DATA N
expect_quads() {
    local n
    n=$(quads_of "$2" 2>"$T/stats.err" || echo "stats-failed: $(cat "$T/stats.err")")
    expect_eq "$1 (citykg stats quads)" "$3" "$n"
}

# expect_check_ok DESCRIPTION DATA: `citykg check` exits 0 and prints ok.
expect_check_ok() {
    local out rc
    set +e
    out=$("$CITYKG" check --quiet --data "$2" 2>"$T/check.err")
    rc=$?
    set -e
    if [ $rc -eq 0 ] && [ "$out" == "ok" ]; then
        pass "$1: citykg check ok"
    else
        fail "$1: citykg check exit $rc, stdout '$out', stderr: $(cat "$T/check.err")"
    fi
}

# expect_one_error_line DESCRIPTION: $RC non-zero and $T/err exactly one line
# starting with "citykg:".
expect_one_error_line() {
    local lines
    lines=$(wc -l <"$T/err")
    if [ "$RC" -ne 0 ] && [ "$lines" -eq 1 ] && head -n1 "$T/err" | grep -q '^citykg: '; then
        pass "$1: exit $RC, one line: $(cat "$T/err")"
    else
        fail "$1: want non-zero exit and one 'citykg:' line on stderr; got exit $RC and $lines lines: $(head -c 600 "$T/err")"
    fi
}

# Sorted lines without blank nodes, and the number of lines with them.
# Language tags are compared in lower case: RDF 1.1 lets a parser lowercase
# them (raptor's N-Triples/N-Quads parser does), and their value space is
# lower case.
ground_lines() { grep -v '_:' "$1" | sed -E 's/"@([A-Za-z0-9-]+)/"@\L\1/g' | LC_ALL=C sort || true; }
blank_line_count() { grep -c '_:' "$1" || true; }

# expect_iso DESCRIPTION EXPECTED_FILE ACTUAL_FILE [rdf-iso options]
# Dataset isomorphism through rdf-iso when built; otherwise equal line counts,
# equal sorted ground lines and equal numbers of lines with blank nodes.
expect_iso() {
    local desc=$1 a=$2 b=$3
    shift 3
    if [ -n "${RDF_ISO:-}" ]; then
        if "$RDF_ISO" "$@" "$a" "$b" >"$T/iso.out" 2>&1; then
            pass "$desc: isomorphic"
        else
            fail "$desc: not isomorphic: $(head -c 800 "$T/iso.out")"
        fi
        return 0
    fi
    case "$a $b" in
    *.ttl* | *.rdf* | *.trig*)
        fail "$desc: comparing $a with $b needs rdf-iso (build target rdf-iso)"
        return 0
        ;;
    esac
    if [ "$(wc -l <"$a")" == "$(wc -l <"$b")" ] &&
        cmp -s <(ground_lines "$a") <(ground_lines "$b") &&
        [ "$(blank_line_count "$a")" == "$(blank_line_count "$b")" ]; then
        pass "$desc: same lines (rdf-iso not built: blank nodes compared by count)"
    else
        fail "$desc: $a and $b differ: $(diff <(ground_lines "$a") <(ground_lines "$b") | head -5)"
    fi
}

# start_endpoint NAME ARGS... : starts $SPARQL_ENDPOINT (tests/tools/sparql_endpoint.c)
# with ARGS; its port in $PORT.
# It stops when its stdin (a FIFO held open by a sleeping writer) closes.
start_endpoint() {
    local name=$1
    shift
    mkfifo "$T/$name.in"
    "$SPARQL_ENDPOINT" "$@" <"$T/$name.in" >"$T/$name.port" 2>"$T/$name.err" &
    CLEANUP_PIDS+=($!)
    sleep 600 >"$T/$name.in" &
    CLEANUP_PIDS+=($!)
    for _ in $(seq 50); do
        [ -s "$T/$name.port" ] && break
        sleep 0.1
    done
    PORT=$(sed -n 's/^port //p' "$T/$name.port")
    [ -n "$PORT" ] || { echo "FAIL: endpoint $name did not start: $(cat "$T/$name.err")" >&2; exit 1; }
}

finish() {
    echo "$CHECKS checks passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
