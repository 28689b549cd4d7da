#!/usr/bin/env bash
# crash-safety — a load killed with SIGKILL at any moment (parsing, indexing,
# LMDB commit) leaves the store exactly at its last committed state: `citykg
# check` is clean and the dump is byte-for-byte the one before the load.
# A later load runs to completion on the same store.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

LINES=${CRASH_LINES:-2000000}
S="$T/store"

now_ms() { date +%s%3N; }

# ------------------------------------------------------------------ inputs
# A deterministic N-Triples file: 8 statements per entity, IRIs, language
# tagged, typed and plain literals, blank nodes. Every line is distinct.
awk -v n="$LINES" 'BEGIN {
    ents = int(n / 8)
    for (i = 0; i < n; i++) {
        s = int(i / 8); k = i % 8
        if (k == 0) printf "<http://city.example/e%d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://city.example/Class%d> .\n", s, s % 50
        else if (k == 1) printf "<http://city.example/e%d> <http://city.example/name> \"Objekt %d\"@de .\n", s, s
        else if (k == 2) printf "<http://city.example/e%d> <http://city.example/height> \"%d.%d\"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n", s, s % 100, s % 7
        else if (k == 3) printf "<http://city.example/e%d> <http://city.example/count> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", s, s
        else if (k == 4) printf "<http://city.example/e%d> <http://city.example/geometry> _:g%d .\n", s, s
        else if (k == 5) printf "_:g%d <http://city.example/wkt> \"POINT(%d %d)\" .\n", s, s % 1000, s % 977
        else if (k == 6) printf "<http://city.example/e%d> <http://city.example/near> <http://city.example/e%d> .\n", s, (s * 7919) % ents
        else printf "<http://city.example/e%d> <http://city.example/comment> \"a longer description of entity number %d\" .\n", s, s
    } }' >"$T/big.nt"
expect_eq "generated input lines" "$LINES" "$(wc -l <"$T/big.nt")"

cat >"$T/small.trig" <<'EOF'
@prefix ex: <http://small.example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p ex:b ; ex:label "A"@en, "Ä"@de ; ex:n 42 ; ex:d "1.5"^^xsd:decimal ; ex:blank [ ex:q "inner" ] .
ex:b ex:p ex:c .
ex:g1 { ex:a ex:in-g1 "yes" . _:x ex:loop _:x . }
ex:g2 { ex:c ex:in-g2 true . }
EOF

# ------------------------------------------------------------------ state A
run "$CITYKG" load --data "$S" "$T/small.trig"
expect_eq "load of the small file exits 0" 0 "$RC"
expect_check_ok "state A" "$S"
A_QUADS=$(quads_of "$S")
expect_eq "state A quads" 11 "$A_QUADS"
"$CITYKG" dump --data "$S" | LC_ALL=C sort >"$T/A.sorted"
A_SUM=$(md5sum <"$T/A.sorted" | cut -d' ' -f1)
cp -a "$S" "$T/pristine"

# expect_state_A WHAT: check is clean and the dump equals state A exactly.
expect_state_A() {
    expect_check_ok "$1" "$S"
    expect_quads "$1" "$S" "$A_QUADS"
    local sum
    sum=$("$CITYKG" dump --data "$S" | LC_ALL=C sort | md5sum | cut -d' ' -f1)
    if [ "$sum" == "$A_SUM" ]; then
        pass "$1: dump | sort | md5sum equals state A"
    else
        fail "$1: dump differs from state A: $("$CITYKG" dump --data "$S" | LC_ALL=C sort | diff "$T/A.sorted" - | head -5)"
    fi
}

restore_A() {
    rm -rf "$S"
    cp -a "$T/pristine" "$S"
}

HITS=0
MISSES=0
COMMIT_START_MS=""

# kill_load MODE ARG [load options...]
#   MODE time      ARG = milliseconds after start
#   MODE progress  first progress line on stderr (ARG unused)
#   MODE commit    data.mdb starts to grow: LMDB is writing the commit (ARG unused)
#   MODE settled   data.mdb grew and then stopped growing: fsync / meta page
kill_load() {
    local mode=$1 arg=$2
    shift 2
    local what="SIGKILL at $mode${arg:+ $arg}${1:+ ($*)}"
    echo "== $what"
    : >"$T/load.err"
    local t0 pid t_kill rc size last=-1 stable=0 fired=0 base_size
    # the commit is seen as data.mdb growing past its committed size: start
    # from the pristine copy so that no earlier attempt has grown the file
    if [ "$mode" == commit ] || [ "$mode" == settled ]; then
        restore_A
    fi
    base_size=$(stat -c %s "$S/data.mdb")
    t0=$(now_ms)
    "$CITYKG" load --data "$S" "$@" "$T/big.nt" >/dev/null 2>"$T/load.err" &
    pid=$!
    CLEANUP_PIDS+=("$pid")
    local deadline=$((t0 + 120000))
    while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt $deadline ]; do
        case $mode in
        time) [ $(($(now_ms) - t0)) -ge "$arg" ] && fired=1 ;;
        progress) grep -q 'quads in' "$T/load.err" && fired=1 ;;
        commit | settled)
            size=$(stat -c %s "$S/data.mdb" 2>/dev/null || echo 0)
            if [ "$size" -gt "$base_size" ]; then
                [ -z "$COMMIT_START_MS" ] && COMMIT_START_MS=$(($(now_ms) - t0))
                if [ "$mode" == commit ]; then
                    fired=1
                elif [ "$size" -eq "$last" ]; then
                    stable=$((stable + 1))
                    [ $stable -ge 2 ] && fired=1
                fi
            fi
            last=$size
            ;;
        esac
        [ $fired -eq 1 ] && break
        sleep 0.003
    done
    kill -KILL "$pid" 2>/dev/null || true
    t_kill=$(($(now_ms) - t0))
    set +e
    { wait "$pid"; } 2>/dev/null
    rc=$?
    set -e
    local q
    q=$(quads_of "$S" 2>&1 || true)
    if [ $rc -eq 137 ] && [ "$q" == $((A_QUADS + LINES)) ]; then
        # killed after the commit had returned (between commit and exit):
        # the new state is the right one, but this attempt proves nothing
        MISSES=$((MISSES + 1))
        echo "note: $what: killed after the commit had completed (${t_kill} ms)"
        expect_check_ok "completed load ($what)" "$S"
        restore_A
    elif [ $rc -eq 137 ]; then
        HITS=$((HITS + 1))
        pass "$what: load killed after ${t_kill} ms ($(grep -c 'quads in' "$T/load.err" || true) progress lines)"
        expect_state_A "after $what"
    elif [ $rc -eq 0 ]; then
        # the load finished first: it must then be complete, and the next
        # attempt starts again from state A
        MISSES=$((MISSES + 1))
        echo "note: $what: the load completed (${t_kill} ms) before the kill"
        expect_check_ok "completed load ($what)" "$S"
        expect_quads "completed load ($what)" "$S" $((A_QUADS + LINES))
        restore_A
    else
        fail "$what: load exited $rc (not killed, not ok): $(tail -n 3 "$T/load.err")"
        restore_A
    fi
}

# The commit phase first: it also tells how long parsing + indexing takes.
kill_load commit ""
[ -n "$COMMIT_START_MS" ] || COMMIT_START_MS=4000
echo "note: the commit started ${COMMIT_START_MS} ms into the load"
kill_load settled ""
kill_load progress ""
kill_load time 300
for pct in 60 85; do
    kill_load time $((COMMIT_START_MS * pct / 100))
done
# many smaller index batches: the write transaction grows while parsing
kill_load time $((COMMIT_START_MS * 50 / 100)) --batch 100000
kill_load commit "" --batch 100000

expect_eq "killed loads that hit a running process (of 8)" 1 "$([ $HITS -ge 6 ] && echo 1 || echo "0 ($HITS hits)")"

# ------------------------------------------------------------------ a complete load afterwards
echo "== a complete load after the killed ones"
run "$CITYKG" load --data "$S" "$T/big.nt"
expect_eq "complete load after killed ones exits 0" 0 "$RC"
grep -q "loaded $LINES quads ($LINES new)" "$T/err" && pass "load summary counts every quad" ||
    fail "load summary is not 'loaded $LINES quads ($LINES new)': $(tail -n1 "$T/err")"
expect_check_ok "after the complete load" "$S"
expect_quads "after the complete load" "$S" $((A_QUADS + LINES))
"$CITYKG" dump --data "$S" --graph http://small.example/g1 | LC_ALL=C sort >"$T/g1.after"
grep '<http://small.example/g1> \.$' "$T/A.sorted" >"$T/g1.before" || true
if cmp -s "$T/g1.before" "$T/g1.after"; then pass "state A's graph g1 unchanged after the big load"; else
    fail "graph g1 changed: $(diff "$T/g1.before" "$T/g1.after" | head -4)"; fi

finish
