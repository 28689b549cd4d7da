#!/usr/bin/env bash
# service_query.sh — SERVICE end to end: `citykg query` asks a real HTTP
# endpoint (tests/tools/sparql_endpoint.c on libmicrohttpd, serving a second
# citykg store with the demo car parks) through its HTTP proxy setting.
# Checks the federated answer against the local one, the allow-list,
# SILENT, SERVICE ?var, HTTP errors, the time limit, and both answer
# formats (JSON and XML).
. "$(dirname "$0")/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"
: "${SPARQL_ENDPOINT:?SPARQL_ENDPOINT must name sparql-test-endpoint}"

G=https://regensburg.example/graph
"$CITYKG" load -q --data "$T/city" --graph "$G/buildings" "$CITYKG_DEMO/buildings.ttl"
"$CITYKG" load -q --data "$T/parking" --graph "$G/parking" "$CITYKG_DEMO/parking.ttl"
EP=http://parking.example/sparql
P='PREFIX c: <https://w3id.org/citykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'

start_endpoint json --map "$EP=$T/parking"
JSON_PORT=$PORT
start_endpoint xml --xml --map "$EP=$T/parking"
XML_PORT=$PORT
start_endpoint slow --delay 3000 --map "$EP=$T/parking"
SLOW_PORT=$PORT

# count QUERY-ARGS... : the single number a COUNT query prints
count() { "$CITYKG" query --format csv "$@" | sed -n 2p | tr -d '\r'; }

local_count=$(count --data "$T/parking" "$P SELECT (COUNT(?p) AS ?n) { ?p a c:ParkingFacility }")
expect_eq "the demo has 9 car parks" 9 "$local_count"

Q="$P SELECT ?name ?cap { SERVICE <$EP> { ?p a c:ParkingFacility ; rdfs:label ?name ; c:capacity ?cap } } ORDER BY DESC(?cap) ?name"
for port in "$JSON_PORT" "$XML_PORT"; do
    fmt=$([ "$port" = "$JSON_PORT" ] && echo JSON || echo XML)
    http_proxy=http://127.0.0.1:$port run "$CITYKG" query --data "$T/city" --format tsv \
        --allow-service parking.example "$Q"
    expect_eq "SERVICE answer read from $fmt: exit 0" 0 "$RC"
    "$CITYKG" query --data "$T/parking" --format tsv \
        "$P SELECT ?name ?cap { ?p a c:ParkingFacility ; rdfs:label ?name ; c:capacity ?cap } ORDER BY DESC(?cap) ?name" >"$T/local"
    expect_eq "SERVICE answer ($fmt) equals the endpoint store's own answer" \
        "$(cat "$T/local")" "$(cat "$T/out")"
done

# joined with local data: buildings x car parks with more than 500 places
joined=$(http_proxy=http://127.0.0.1:$JSON_PORT count --data "$T/city" --allow-service parking.example \
    "$P SELECT (COUNT(*) AS ?n) { ?b a c:Building . SERVICE <$EP> { ?p c:capacity ?cap FILTER(?cap > 500) } }")
buildings=$(count --data "$T/city" "$P SELECT (COUNT(?b) AS ?n) { ?b a c:Building }")
big=$(count --data "$T/parking" "$P SELECT (COUNT(?p) AS ?n) { ?p c:capacity ?cap FILTER(?cap > 500) }")
[ "$big" -gt 0 ] || fail "the demo has car parks with more than 500 places"
expect_eq "local pattern joined with the SERVICE answer" "$((buildings * big))" "$joined"

# SERVICE ?var: endpoints come from the data (VALUES here)
http_proxy=http://127.0.0.1:$JSON_PORT run "$CITYKG" query --data "$T/city" --format csv \
    --allow-service parking.example \
    "$P SELECT ?ep (COUNT(?p) AS ?n) { VALUES ?ep { <$EP> } SERVICE ?ep { ?p a c:ParkingFacility } } GROUP BY ?ep"
expect_eq "SERVICE ?ep with the endpoint from VALUES" "$EP,9" "$(sed -n 2p "$T/out" | tr -d '\r')"

# the allow-list: no host by default, and only the listed ones
http_proxy=http://127.0.0.1:$JSON_PORT run "$CITYKG" query --data "$T/city" "$Q"
expect_eq "SERVICE without --allow-service fails" 1 "$RC"
if grep -q "parking.example/sparql>: the host is not on the allow-list" "$T/err"; then
    pass "the error names the endpoint and the allow-list"; else fail "allow-list message: $(cat "$T/err")"; fi
http_proxy=http://127.0.0.1:$JSON_PORT run "$CITYKG" query --data "$T/city" \
    --allow-service other.example,parking.example.evil.org "$Q"
expect_eq "a host not on the list (nor a longer name) is refused" 1 "$RC"
run "$CITYKG" query --data "$T/city" --allow-service parking.example \
    "SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"
if [ "$RC" = 1 ] && grep -q "not on the allow-list" "$T/err"; then
    pass "file: IRIs are never contacted"; else fail "file: SERVICE: rc=$RC $(cat "$T/err")"; fi

# SILENT: a refused or failing service is one empty solution
run "$CITYKG" query --data "$T/city" --format tsv \
    "$P SELECT ?name { SERVICE SILENT <$EP> { ?p rdfs:label ?name } }"
expect_eq "SILENT turns the refusal into one empty solution" "$(printf '?name\n')" "$(cat "$T/out")"

# an allowed host the proxy cannot reach: HTTP 502 in the message
http_proxy=http://127.0.0.1:$JSON_PORT run "$CITYKG" query --data "$T/city" \
    --allow-service nowhere.example "SELECT * { SERVICE <http://nowhere.example/sparql> { ?s ?p ?o } }"
if [ "$RC" = 1 ] && grep -q "nowhere.example/sparql>: HTTP 502" "$T/err"; then
    pass "HTTP errors of the endpoint are reported with the status"; else fail "502: rc=$RC $(cat "$T/err")"; fi

# the query's time limit bounds the request
start=$(date +%s%N)
http_proxy=http://127.0.0.1:$SLOW_PORT run "$CITYKG" query --data "$T/city" --timeout 500 \
    --allow-service parking.example "$Q"
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$RC" = 1 ] && grep -q "time limit" "$T/err" && [ "$ms" -lt 2500 ]; then
    pass "a slow endpoint stops at the query's time limit (${ms} ms)"
else
    fail "slow endpoint: rc=$RC after ${ms} ms: $(cat "$T/err")"
fi

finish
