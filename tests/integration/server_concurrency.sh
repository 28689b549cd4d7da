#!/usr/bin/env bash
# server_concurrency.sh — `citykg serve` under concurrent work, on the demo
# buildings: a long query does not block a write (MVCC snapshots, one
# writer); parallel readers; results past the buffer are streamed, and a
# query failing while streamed ends the response so that the client sees
# it (curl exit 18); a client that hangs up before the answer begins
# cancels its query; SIGTERM lets a running query finish within the grace
# period, cancels one that does not, refuses new connections, exits 0 and
# leaves a store that `citykg check` accepts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/store"
G=https://regensburg.example/graph/buildings
"$CITYKG" load -q --data "$D" --graph "$G" "$CITYKG_DEMO/buildings.ttl"
"$CITYKG" graph access --data "$D" "$G" public >/dev/null
"$CITYKG" graph access --data "$D" urn:x:w public >/dev/null
ADMIN=$("$CITYKG" token create --data "$D" --role admin 2>/dev/null)
P='PREFIX c: <https://w3id.org/citykg/ontology#> '
# every triple of typed resources, never true: runs until its time limit
# (every pair was once enough, but its filter now takes under 6 s)
ENDLESS="$P SELECT ?a ?b { ?a a ?t . ?b a ?t . ?c a ?t FILTER(STRLEN(STR(?a)) + STRLEN(STR(?b)) + STRLEN(STR(?c)) < 0) }"
# roof surfaces x buildings: a few seconds of work, then one row
FINITE="$P SELECT (COUNT(*) AS ?n) { ?a a c:RoofSurface . ?b a c:Building FILTER(STRLEN(STR(?a)) + STRLEN(STR(?b)) > 0) }"
roofs=$(grep -c 'a cityo:RoofSurface' "$CITYKG_DEMO/buildings.ttl" || true)
buildings=$(grep -c 'a cityo:Building' "$CITYKG_DEMO/buildings.ttl" || true)
ms_now() { date +%s%3N; }

cat >"$T/serve.json" <<'JSON'
{ "query_timeout_ms": 6000, "result_buffer_bytes": 4096, "metrics_public": true,
  "shutdown_grace_ms": 30000 }
JSON
start_server "$D" --config "$T/serve.json"

# ---- a long query never blocks a write -----------------------------------------
curl -s -o "$T/long.body" -w '%{http_code}' -G "$URL/sparql" --data-urlencode "query=$ENDLESS" \
    >"$T/long.status" &
long=$!
for _ in $(seq 100); do
    curl -s "$URL/metrics" | grep -q '^citykg_queries_running 1' && break
    sleep 0.05
done
http GET /metrics
expect_body_has "the long query is running" "citykg_queries_running 1"
t0=$(ms_now)
printf '<urn:x:s> <urn:x:p> "written while a query runs" .\n' >"$T/w.nt"
http PUT /data?graph=urn:x:w -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/n-triples' \
    --data-binary @"$T/w.nt"
write_ms=$(($(ms_now) - t0))
expect_status "PUT while the long query runs" 201
[ "$write_ms" -lt 2000 ] && pass "the write committed in $write_ms ms, not after the query" ||
    fail "the write took $write_ms ms"
http GET "/sparql?query=$(urlencode 'SELECT ?o { GRAPH <urn:x:w> { ?s ?p ?o } }')&format=csv"
expect_eq "a new query sees the write at once" "$(printf 'o\r\nwritten while a query runs\r')" "$(cat "$T/body")"
http GET /metrics
expect_body_has "the long query is still running after the write" "citykg_queries_running 1"
wait "$long"
expect_eq "the long query ends at its time limit with 503" 503 "$(cat "$T/long.status")"
grep -q "time limit of 6000 ms" "$T/long.body" && pass "503 says which limit" || fail "503 body: $(cat "$T/long.body")"

# ---- a client that gives up cancels its query ----------------------------------------
t0=$(ms_now)
curl -s -o /dev/null --max-time 1 -G "$URL/sparql" --data-urlencode "query=$ENDLESS" || true
running=1
for _ in $(seq 100); do
    curl -s "$URL/metrics" | grep -q '^citykg_queries_running 0' && { running=0; break; }
    sleep 0.05
done
gone_ms=$(($(ms_now) - t0))
expect_eq "the query of a client that hung up after 1 s stops" 0 "$running"
[ "$gone_ms" -lt 4000 ] && pass "it stopped $gone_ms ms after the request, before its 6 s limit" ||
    fail "it ran $gone_ms ms"
grep -q '"error":"the query was cancelled: the client closed the connection before the answer began"' "$SERVER_LOG" &&
    pass "the log line says the client hung up" || fail "no log line for the client that hung up"

# ---- parallel readers ------------------------------------------------------------------
COUNT="$P SELECT (COUNT(?b) AS ?n) { ?b a c:Building }"
pids=()
for i in $(seq 8); do
    curl -s -o "$T/par.$i" -G "$URL/sparql" --data-urlencode "query=$COUNT" -H 'Accept: text/csv' &
    pids+=($!)
done
wait "${pids[@]}"
ok=0
for i in $(seq 8); do [ "$(sed -n 2p "$T/par.$i" | tr -d '\r')" = "$buildings" ] && ok=$((ok + 1)); done
expect_eq "8 parallel readers all answered" 8 "$ok"

# ---- streaming past the buffer ---------------------------------------------------------------
set +e
curl -s -D "$T/stream.h" -o "$T/stream.nt" -G "$URL/sparql" -H 'Accept: application/n-triples' \
    --data-urlencode "query=CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <$G> { ?s ?p ?o } }"
rc=$?
set -e
expect_eq "a large result streams to the end" 0 "$rc"
grep -qi '^transfer-encoding: chunked' "$T/stream.h" && pass "streamed chunked (past the 4 KiB buffer)" ||
    fail "not chunked: $(cat "$T/stream.h")"
rm -rf "$T/back"
"$CITYKG" load -q --data "$T/back" --format ntriples "$T/stream.nt"
expect_quads "the streamed graph is complete" "$T/back" "$(quads_of "$D" | xargs -I{} expr {} - 1)"
set +e
curl -s -o "$T/cut.json" -w '%{http_code}' -G "$URL/sparql" \
    --data-urlencode "query=$P SELECT ?a ?b ?c { ?a a ?t . ?b a ?t . ?c a ?t }" >"$T/cut.status"
rc=$?
set -e
expect_eq "a query failing while streamed: status 200 went out first" 200 "$(cat "$T/cut.status")"
expect_eq "the client sees the cut (curl exit 18, partial transfer)" 18 "$rc"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/cut.json" 2>/dev/null &&
    fail "the cut JSON document parses" || pass "the cut document is not a complete JSON document ($(wc -c <"$T/cut.json") bytes)"
http GET /metrics
expect_body_has "/metrics counts the cut stream" "citykg_http_streams_failed_total 1"
grep -q '"error":"failed while streaming: query exceeded its time limit' "$SERVER_LOG" &&
    pass "the log line says why the stream was cut" || fail "no log line for the cut stream"

stop_server
expect_eq "SIGTERM with nothing running: exit 0" 0 "$SERVER_RC"

# ---- SIGTERM: a query within the grace period finishes --------------------------------------
cat >"$T/drain.json" <<'JSON'
{ "query_timeout_ms": 120000, "shutdown_grace_ms": 60000 }
JSON
start_server "$D" --config "$T/drain.json"
curl -s -o "$T/finite.csv" -w '%{http_code}' -G "$URL/sparql" -H 'Accept: text/csv' \
    --data-urlencode "query=$FINITE" >"$T/finite.status" &
q=$!
sleep 0.5
stop_server_async() { kill -TERM "$SERVER_PID"; }
stop_server_async
sleep 0.3
set +e
curl -s -o /dev/null --max-time 3 "$URL/health"
refused=$?
set -e
[ "$refused" -ne 0 ] && pass "no new connections while draining (curl exit $refused)" ||
    fail "a new connection was accepted while draining"
wait "$q"
expect_eq "the running query finished after SIGTERM" "200 $((roofs * buildings))" \
    "$(cat "$T/finite.status") $(sed -n 2p "$T/finite.csv" | tr -d '\r')"
set +e
wait "$SERVER_PID"
rc=$?
set -e
expect_eq "drained: exit 0" 0 "$rc"
expect_check_ok "after the drain" "$D"

# ---- SIGTERM: a query past the grace period is cancelled ----------------------------------------
cat >"$T/grace.json" <<'JSON'
{ "query_timeout_ms": 60000, "shutdown_grace_ms": 1000 }
JSON
start_server "$D" --config "$T/grace.json"
curl -s -o "$T/cancel.body" -w '%{http_code}' -G "$URL/sparql" --data-urlencode "query=$ENDLESS" \
    >"$T/cancel.status" &
q=$!
sleep 0.5
t0=$(ms_now)
stop_server
stop_ms=$(($(ms_now) - t0))
wait "$q" || true
expect_eq "cancelled at the end of the grace period: exit 0" 0 "$SERVER_RC"
expect_eq "the cancelled query gets 503" 503 "$(cat "$T/cancel.status")"
grep -q "shutting down" "$T/cancel.body" && pass "503 says the server is shutting down" ||
    fail "cancel body: $(cat "$T/cancel.body")"
[ "$stop_ms" -lt 5000 ] && pass "stopped ${stop_ms} ms after SIGTERM (grace 1000 ms)" ||
    fail "stopping took $stop_ms ms"
grep -q '"server":"grace period over: cancelling 1 requests"' "$SERVER_LOG" &&
    pass "the log tells that one request was cancelled" || fail "no cancel line: $(cat "$SERVER_LOG")"
expect_check_ok "after cancelling" "$D"
finish
