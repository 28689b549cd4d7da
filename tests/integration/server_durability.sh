#!/usr/bin/env bash
# server-durability — SIGKILL the real server while several clients stream
# SPARQL updates to it over HTTP. After a restart every acknowledged update
# is in the store, and no update is half-applied: each request inserts two
# triples about one subject, so a subject with only one of them would be a
# torn transaction. Three kill rounds on the same store.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

S="$T/store"
CLIENTS=${DURABILITY_CLIENTS:-4}
ROUNDS=${DURABILITY_ROUNDS:-3}
G=http://durability.example/g

# A loopback port nobody listens on (bash's /dev/tcp connect fails).
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# start_server LOG: starts `citykg serve` on a free port, sets PORT and
# SERVER_PID, waits until /health answers.
start_server() {
    PORT=$(free_port)
    "$CITYKG" serve --data "$S" --port "$PORT" --bind 127.0.0.1 2>"$1" &
    SERVER_PID=$!
    CLEANUP_PIDS+=("$SERVER_PID")
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "server did not start: $(head -c 600 "$1")"
    return 1
}

# client ROUND N: posts updates until the server is gone; the subject ids of
# acknowledged updates (HTTP 2xx) go to $T/acked.ROUND.N.
client() {
    local round=$1 n=$2 i=0 code
    : >"$T/acked.$round.$n"
    while :; do
        local s="http://durability.example/r$round-c$n-$i"
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
            --data-urlencode "update=INSERT DATA { GRAPH <$G> { <$s> <http://durability.example/a> $i . <$s> <http://durability.example/b> \"client $n\" } }" \
            "http://127.0.0.1:$PORT/sparql") || true
        case "$code" in
        2??) echo "$s" >>"$T/acked.$round.$n" ;;
        000) return 0 ;; # connection refused or cut: the server is dead
        *) echo "client $n: HTTP $code" >>"$T/client-errors" ;;
        esac
        i=$((i + 1))
    done
}

for round in $(seq "$ROUNDS"); do
    start_server "$T/server.$round.log" || break
    pids=()
    for n in $(seq "$CLIENTS"); do
        client "$round" "$n" &
        pids+=($!)
    done
    sleep "$(awk -v r="$round" 'BEGIN { print 1.5 + r * 0.37 }')" # kill at varying moments
    kill -KILL "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    for p in "${pids[@]}"; do wait "$p"; done
    acked=$(cat "$T"/acked."$round".* | wc -l)
    if [ "$acked" -gt 0 ]; then
        pass "round $round: $acked updates acknowledged before SIGKILL"
    else
        fail "round $round: no update was acknowledged (server log: $(head -c 400 "$T/server.$round.log"))"
    fi
done
[ -s "$T/client-errors" ] && fail "clients got error statuses: $(sort "$T/client-errors" | uniq -c | head -5)"

# After the last kill: the store opens clean, through the server as well.
expect_check_ok "after $ROUNDS SIGKILLs" "$S"
start_server "$T/server.final.log"
curl -s -H 'Accept: text/tab-separated-values' --data-urlencode \
    "query=SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH <$G> { ?s ?p ?o } } GROUP BY ?s" \
    "http://127.0.0.1:$PORT/sparql" >"$T/counts.tsv"
tail -n +2 "$T/counts.tsv" | sed 's/^<\(.*\)>\t\(.*\)$/\1 \2/' | sort >"$T/present"

torn=$(awk '$2 != "2" && $2 !~ /^"2"/' "$T/present" | wc -l)
expect_eq "subjects with one of their two triples (torn updates)" 0 "$torn"
cat "$T"/acked.* | sort >"$T/acked"
missing=$(comm -23 "$T/acked" <(cut -d' ' -f1 "$T/present") | wc -l)
expect_eq "acknowledged updates missing after restart (of $(wc -l <"$T/acked"))" 0 "$missing"
present=$(wc -l <"$T/present")
[ "$present" -ge "$(wc -l <"$T/acked")" ] && pass "$present updates present, every acknowledged one among them"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
expect_check_ok "after SIGTERM" "$S"
finish
