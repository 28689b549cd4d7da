#!/usr/bin/env bash
# query_cli.sh — `citykg query` end to end on the real demo data (data/demo):
# every result format, aggregates, OPTIONAL, ASK, CONSTRUCT that loads back,
# --explain, and errors (syntax error with line:column, bad options).
. "$(dirname "$0")/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/demo"
G=https://regensburg.example/graph
"$CITYKG" load -q --data "$D" --graph "$G/buildings" "$CITYKG_DEMO/buildings.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/parking" "$CITYKG_DEMO/parking.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/catalog" "$CITYKG_DEMO/catalog.ttl"
P='PREFIX c: <https://w3id.org/citykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>'
# independent expectations, counted in the source files
buildings=$(grep -c 'a cityo:Building' "$CITYKG_DEMO/buildings.ttl" || true)
parking=$(grep -c 'a cityo:ParkingFacility' "$CITYKG_DEMO/parking.ttl" || true)

run "$CITYKG" query --data "$D" --format csv "$P SELECT (COUNT(?b) AS ?n) WHERE { ?b a c:Building }"
expect_eq "COUNT of buildings (csv)" "$(printf 'n\r\n%s\r' "$buildings")" "$(cat "$T/out")"

run "$CITYKG" query --data "$D" --format tsv "$P SELECT ?name ?cap WHERE { ?p a c:ParkingFacility ; rdfs:label ?name ; c:capacity ?cap } ORDER BY DESC(?cap)"
expect_eq "parking rows (tsv)" "$parking" "$(($(wc -l <"$T/out") - 1))"
first=$(sed -n 2p "$T/out" | cut -f2)
max=$(grep -o 'cityo:capacity "\?[0-9]*' "$CITYKG_DEMO/parking.ttl" | grep -o '[0-9]*$' | sort -n | tail -1)
expect_eq "ORDER BY DESC puts the largest capacity first" "\"$max\"^^<http://www.w3.org/2001/XMLSchema#integer>" "$first"

run "$CITYKG" query --data "$D" --format json "$P SELECT ?d ?title WHERE { ?d a dcat:Dataset OPTIONAL { ?d dct:title ?title } }"
if grep -q '"head":{"vars":\["d","title"\]}' "$T/out" && grep -q '"type":"uri"' "$T/out"; then
    pass "JSON results with head and bindings"; else fail "JSON results: $(head -c 300 "$T/out")"; fi

run "$CITYKG" query --data "$D" --format xml "$P ASK { ?p a c:ParkingFacility }"
if grep -q '<boolean>true</boolean>' "$T/out"; then pass "ASK true (xml)"; else fail "ASK: $(cat "$T/out")"; fi
run "$CITYKG" query --data "$D" --format json "$P ASK { ?p a c:NoSuchClass }"
expect_eq "ASK false (json)" '{"head":{},"boolean":false}' "$(cat "$T/out")"

# GRAPH ?g sees named graphs; the union default graph sees everything once
run "$CITYKG" query --data "$D" --format csv "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
expect_eq "one row per named graph" 4 "$(wc -l <"$T/out")"
run "$CITYKG" query --data "$D" --format csv "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
expect_eq "union default graph holds every quad once" "$(quads_of "$D")" "$(sed -n 2p "$T/out" | tr -d '\r')"
run "$CITYKG" query --data "$D" --strict-default-graph --format csv "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
expect_eq "strict default graph is empty here" 0 "$(sed -n 2p "$T/out" | tr -d '\r')"

# CONSTRUCT output in every graph format loads back (Turtle by default)
CQ="$P CONSTRUCT { ?p rdfs:label ?n ; c:capacity ?cap } WHERE { ?p a c:ParkingFacility ; rdfs:label ?n ; c:capacity ?cap }"
for f in default:ttl turtle:ttl ntriples:nt nquads:nq rdfxml:rdf; do
    name=${f%%:*} ext=${f##*:}
    if [ "$name" = default ]; then run "$CITYKG" query --data "$D" "$CQ"
    else run "$CITYKG" query --data "$D" --format "$name" "$CQ"; fi
    cp "$T/out" "$T/construct-$name.$ext"
    run "$CITYKG" load -q --data "$T/c-$name" "$T/construct-$name.$ext"
    expect_eq "CONSTRUCT as $name loads back" "0" "$RC"
    expect_quads "CONSTRUCT triples ($name)" "$T/c-$name" "$((parking * 2))"
done
if grep -q '^@prefix c: <https://w3id.org/citykg/ontology#>' "$T/construct-default.ttl"; then
    pass "Turtle output uses the query's prefixes"; else fail "Turtle prefixes: $(head -3 "$T/construct-default.ttl")"; fi
run "$CITYKG" query --data "$D" --format jsonld "$CQ"
expect_eq "JSON-LD output: one node object per car park" "$parking" "$(grep -o '"@id"' "$T/out" | wc -l)"
run "$CITYKG" query --data "$D" --format turtle "$P SELECT ?p WHERE { ?p a c:ParkingFacility }"
expect_one_error_line "SELECT with a graph format"

run "$CITYKG" query --data "$D" --explain --format csv "$P SELECT ?b WHERE { ?b a c:Building ; c:measuredHeight ?h FILTER(?h > 20) }"
if grep -q '^algebra:' "$T/err" && grep -q 'index join' "$T/err" && grep -q 'est ' "$T/err"; then
    pass "--explain prints algebra and plan with estimates"; else fail "--explain: $(cat "$T/err")"; fi

printf 'SELECT ?x\nWHERE { ?x ?y }\n' >"$T/bad.rq"
run "$CITYKG" query --data "$D" -f "$T/bad.rq"
expect_one_error_line "syntax error"
if grep -q 'citykg: syntax error at 2:' "$T/err"; then pass "syntax error names line 2"; else fail "syntax error position: $(cat "$T/err")"; fi
run "$CITYKG" query --data "$D" --format yaml "SELECT * WHERE { ?s ?p ?o }"
expect_one_error_line "unknown format"
run "$CITYKG" query --data "$T/none" "SELECT * WHERE { ?s ?p ?o }"
expect_one_error_line "missing store"
# a cross product of all triples with themselves runs far past 100 ms
run "$CITYKG" query --data "$D" --timeout 100 --format csv "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"
expect_one_error_line "timeout"
if grep -q 'time limit of 100 ms' "$T/err"; then pass "timeout names its limit"; else fail "timeout: $(cat "$T/err")"; fi

# the time limit also holds when single rows are slow (nested REPLACE
# growing each value): checked every few rows, not every 1024
slow='STR(?o)'
for _ in 1 2 3 4 5 6 7 8 9 10; do slow="REPLACE($slow, \".\", \"xxxx\")"; done
start=$(date +%s%N)
run "$CITYKG" query --data "$D" --timeout 1000 --format csv "SELECT (STRLEN($slow) AS ?x) WHERE { ?s ?p ?o } ORDER BY ?x"
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$RC" = 1 ] && grep -q 'time limit of 1000 ms' "$T/err" && [ "$ms" -lt 2500 ]; then
    pass "slow rows stop at the time limit (${ms} ms)"; else fail "slow rows: rc=$RC after ${ms} ms: $(cat "$T/err")"; fi

# the memory budget: DISTINCT over every triple (27k rows of 3 ids plus its
# hash table) needs more than 1 MiB, and stops cleanly instead
run "$CITYKG" query --data "$D" --memory 1 --format csv "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
expect_one_error_line "memory budget"
if grep -q 'memory budget of 1 MiB' "$T/err"; then pass "the error names the budget"; else fail "memory: $(cat "$T/err")"; fi
run "$CITYKG" query --data "$D" --memory 64 --format csv "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
expect_eq "the same query runs within 64 MiB" "0 $(("$("$CITYKG" stats --data "$D" | sed -n 's/^quads: //p')" + 1))" "$RC $(wc -l <"$T/out")"
for what in "ORDER BY" "GROUP BY"; do
    clause=$([ "$what" = "ORDER BY" ] && echo "ORDER BY ?o" || echo "GROUP BY ?s ?p ?o")
    run "$CITYKG" query --data "$D" --memory 1 --format csv "SELECT ?s ?p ?o WHERE { ?s ?p ?o } $clause"
    if [ "$RC" = 1 ] && grep -q 'memory budget' "$T/err"; then pass "$what stops at the budget"; else fail "$what memory: rc=$RC $(cat "$T/err")"; fi
done
finish
