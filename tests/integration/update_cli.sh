#!/usr/bin/env bash
# update_cli.sh — `citykg update` end to end on a real store holding the demo
# data: the summary line and -v, DELETE/INSERT WHERE checked with queries,
# atomicity of a request whose last operation fails, syntax errors with
# line:column, graph management, LOAD from a load folder and over HTTP from
# an allowed host (tests/tools/sparql_endpoint.c serving a document through
# its HTTP proxy), LOAD refused elsewhere, --token / --as-anonymous (access
# control of core/acl.h: what WHERE reads, which graphs may change), and
# `citykg check` afterwards.
. "$(dirname "$0")/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"
: "${SPARQL_ENDPOINT:?SPARQL_ENDPOINT must name sparql-test-endpoint}"

D="$T/city"
G=https://regensburg.example/graph
"$CITYKG" load -q --data "$D" --graph "$G/parking" "$CITYKG_DEMO/parking.ttl"
P='PREFIX c: <https://w3id.org/citykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
parking=$(grep -c 'a cityo:ParkingFacility' "$CITYKG_DEMO/parking.ttl" || true)
before=$(quads_of "$D")

# count QUERY : the single number a COUNT query prints
count() { "$CITYKG" query --data "$D" --format csv "$1" | sed -n 2p | tr -d '\r'; }

run "$CITYKG" update --data "$D" "$P INSERT DATA { GRAPH <$G/notes> { <urn:x:note1> rdfs:label \"Baustelle\" . <urn:x:note2> rdfs:label \"Umleitung\" } }"
expect_eq "INSERT DATA exit status" 0 "$RC"
expect_eq "summary line" "added 2 quads, removed 0 quads, 1 graph changed" "$(cat "$T/out")"
expect_quads "INSERT DATA stored" "$D" "$((before + 2))"

# every car park gets a status in its own graph; WHERE sees the union
run "$CITYKG" update --data "$D" -v "$P INSERT { GRAPH <$G/status> { ?p c:status \"open\" } } WHERE { ?p a c:ParkingFacility }"
expect_eq "DELETE/INSERT summary" "added $parking quads, removed 0 quads, 1 graph changed" "$(head -1 "$T/out")"
expect_eq "-v names the graph" "  <$G/status>: +$parking -0" "$(sed -n 2p "$T/out")"
expect_eq "statuses visible to queries" "$parking" "$(count "$P SELECT (COUNT(*) AS ?n) { GRAPH <$G/status> { ?p c:status \"open\" } }")"

# DELETE/INSERT evaluates WHERE first: open -> closed for all, nothing left open
run "$CITYKG" update --data "$D" "$P WITH <$G/status> DELETE { ?p c:status \"open\" } INSERT { ?p c:status \"closed\" } WHERE { ?p c:status \"open\" }"
expect_eq "WITH DELETE/INSERT summary" "added $parking quads, removed $parking quads, 1 graph changed" "$(cat "$T/out")"
expect_eq "none open" 0 "$(count "$P SELECT (COUNT(*) AS ?n) { ?p c:status \"open\" }")"

# a request is one transaction: the failing last operation takes the first with it
n=$(quads_of "$D")
run "$CITYKG" update --data "$D" "INSERT DATA { <urn:x:a> <urn:x:p> 1 } ; DROP GRAPH <urn:x:missing>"
expect_one_error_line "DROP of a missing graph"
if grep -q '^citykg: 1:41: DROP: graph <urn:x:missing> does not exist' "$T/err"; then
    pass "error names line:column and operation"; else fail "error text: $(cat "$T/err")"; fi
expect_quads "nothing of the failed request is stored" "$D" "$n"
printf 'PREFIX c: <https://w3id.org/citykg/ontology#>\nINSERT DATA {\n  <urn:x:a> c:status ?s }\n' >"$T/bad.ru"
run "$CITYKG" update --data "$D" -f "$T/bad.ru"
expect_one_error_line "variable in INSERT DATA"
if grep -q '^citykg: syntax error at 3:22: variables are not allowed in INSERT DATA' "$T/err"; then
    pass "syntax error names line 3"; else fail "syntax error: $(cat "$T/err")"; fi
expect_quads "nothing stored after the syntax error" "$D" "$n"

# graph management
run "$CITYKG" update --data "$D" "COPY <$G/notes> TO <$G/notes-copy> ; MOVE <$G/status> TO <$G/status-old> ; CLEAR SILENT GRAPH <urn:x:missing>"
expect_eq "COPY and MOVE summary" "added $((2 + parking)) quads, removed $parking quads, 3 graphs changed" "$(cat "$T/out")"
run "$CITYKG" update --data "$D" "CREATE GRAPH <$G/notes>"
expect_one_error_line "CREATE of an existing graph"
run "$CITYKG" update --data "$D" "DROP GRAPH <$G/notes-copy> ; DROP GRAPH <$G/status-old> ; DROP GRAPH <$G/notes>"
expect_quads "back to the loaded data" "$D" "$before"

# LOAD: files only from --load-dir, http(s) only from --allow-load hosts
mkdir -p "$T/open" "$T/closed"
printf '<urn:x:s> <urn:x:p> "from a file" .\n' >"$T/open/doc.nt"
printf '<urn:x:s> <urn:x:p> "secret" .\n' >"$T/closed/secret.nt"
ln -s "$T/closed/secret.nt" "$T/open/link.nt"
run "$CITYKG" update --data "$D" --load-dir "$T/open" "LOAD <file://$T/open/doc.nt> INTO GRAPH <urn:x:loaded>"
expect_eq "LOAD from a load folder" "added 1 quad, removed 0 quads, 1 graph changed" "$(cat "$T/out")"
for f in "$T/closed/secret.nt" "$T/open/link.nt" "$T/open/../closed/secret.nt"; do
    run "$CITYKG" update --data "$D" --load-dir "$T/open" "LOAD <file://$f>"
    expect_one_error_line "LOAD of $f"
done
run "$CITYKG" update --data "$D" "LOAD <file://$T/open/doc.nt>"
expect_one_error_line "LOAD without --load-dir"

printf '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<urn:x:web> rdfs:label "from the web", "vom Netz"@de .\n' >"$T/web.ttl"
start_endpoint web --serve "http://data.example/doc.ttl=$T/web.ttl"
export http_proxy="http://127.0.0.1:$PORT"
unset no_proxy NO_PROXY
run "$CITYKG" update --data "$D" --allow-load data.example "LOAD <http://data.example/doc.ttl> INTO GRAPH <urn:x:web>"
expect_eq "LOAD over HTTP from an allowed host" "added 2 quads, removed 0 quads, 1 graph changed" "$(cat "$T/out")"
expect_eq "loaded labels" 2 "$(count "SELECT (COUNT(*) AS ?n) { GRAPH <urn:x:web> { <urn:x:web> ?p ?o } }")"
run "$CITYKG" update --data "$D" --allow-load other.example "LOAD <http://data.example/doc.ttl>"
expect_one_error_line "LOAD from a host off the allow-list"
if grep -q 'not on the allow-list' "$T/err"; then pass "allow-list named"; else fail "allow-list: $(cat "$T/err")"; fi
run "$CITYKG" update --data "$D" --allow-load data.example "LOAD <http://data.example/missing.ttl>"
expect_one_error_line "LOAD of a missing document"
run "$CITYKG" update --data "$D" --allow-load data.example "LOAD SILENT <http://data.example/missing.ttl>"
expect_eq "LOAD SILENT of a missing document" 0 "$RC"
unset http_proxy

# --token: an agent token writes only its own graphs, and its WHERE reads
# only what it may read; --as-anonymous may write nothing
"$CITYKG" graph access --data "$D" "$G/parking" restricted 2>/dev/null
AGENT=$("$CITYKG" token create --data "$D" --role agent --graphs "urn:x:agent-out" 2>/dev/null)
n=$(quads_of "$D")
run "$CITYKG" update --data "$D" --token "$AGENT" "INSERT DATA { GRAPH <urn:x:agent-out> { <urn:x:r> <urn:x:p> 1 } } ; INSERT DATA { GRAPH <$G/parking> { <urn:x:r> <urn:x:p> 2 } }"
expect_one_error_line "agent writing another graph"
if grep -q "not allowed to change graph <$G/parking>" "$T/err"; then pass "refusal names the graph"; else fail "refusal: $(cat "$T/err")"; fi
expect_quads "nothing of the refused request is stored" "$D" "$n"
run "$CITYKG" update --data "$D" --token "$AGENT" "INSERT { GRAPH <urn:x:agent-out> { ?p <urn:x:seen> true } } WHERE { ?p a <https://w3id.org/citykg/ontology#ParkingFacility> }"
expect_eq "agent writes its own graph" 0 "$RC"
expect_eq "agent's WHERE does not see the restricted car parks" 0 "$(count "SELECT (COUNT(*) AS ?n) { ?p <urn:x:seen> true }")"
run "$CITYKG" update --data "$D" --as-anonymous "INSERT DATA { <urn:x:a> <urn:x:p> 1 }"
expect_one_error_line "anonymous may not write"
run "$CITYKG" update --data "$D" --token "ckt_0000000000000000_forged" "CLEAR SILENT GRAPH <urn:x:none>"
expect_one_error_line "forged token"
run "$CITYKG" update --data "$D" --token "$AGENT" "DROP GRAPH <urn:x:agent-out>"
expect_quads "agent drops its own graph" "$D" "$n"

run "$CITYKG" update --help
if [ "$RC" -eq 0 ] && grep -q '^usage: citykg update' "$T/out"; then pass "--help"; else fail "--help: $(head -3 "$T/out")"; fi
run "$CITYKG" update --data "$D" --bogus "CLEAR DEFAULT"
expect_one_error_line "unknown option"
expect_check_ok "store after the updates" "$D"
finish
