#!/usr/bin/env bash
# query_order_limit.sh — ORDER BY … LIMIT whose first key comes from the
# BGP's first scan is planned as a lazy ORDER under the joins ("one row at a
# time", plan.c order_pushdown). Each query here must be planned that way
# (checked in --explain) and must return exactly the first rows of the same
# query without LIMIT, which is ordered by a full sort of all joined rows.
# When only the first keys come from the scan, the ORDER reads on past
# LIMIT rows while they tie on those keys and sorts them by all keys.
# Real demo buildings plus hand-made rows for the edge cases: equal values
# written differently (0.1 and 0.10), mixed numeric types, rows the joins
# drop (no label) or multiply (two labels), OFFSET, DESC, a FILTER and a
# BIND between, and keys tied all the way (compared as sets).
. "$(dirname "$0")/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/store"
"$CITYKG" load -q --data "$D" --graph https://regensburg.example/graph/buildings \
    "$CITYKG_DEMO/buildings.ttl"
cat >"$T/edge.ttl" <<'EOF'
@prefix cityo: <https://w3id.org/citykg/ontology#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
<https://regensburg.example/e/1> cityo:measuredHeight "0.10"^^xsd:decimal ; rdfs:label "e1" .
<https://regensburg.example/e/2> cityo:measuredHeight "0.1"^^xsd:decimal ; rdfs:label "e2" .
<https://regensburg.example/e/3> cityo:measuredHeight "0"^^xsd:integer ; rdfs:label "e3" .
<https://regensburg.example/e/4> cityo:measuredHeight "0.2E0"^^xsd:double ; rdfs:label "e4" .
<https://regensburg.example/e/5> cityo:measuredHeight 500.5 .
<https://regensburg.example/e/6> cityo:measuredHeight 400.25 ; rdfs:label "e6a", "e6b" .
<https://regensburg.example/e/7> cityo:measuredHeight "high" ; rdfs:label "e7" .
EOF
"$CITYKG" load -q --data "$D" --graph https://regensburg.example/graph/edge "$T/edge.ttl"

P='PREFIX cityo: <https://w3id.org/citykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'

# check NAME WHERE ORDER LIMIT [OFFSET]: the LIMIT query is pushed down and
# its rows are rows OFFSET+1..OFFSET+LIMIT of the full ORDER BY.
check() {
    local name=$1 where=$2 order=$3 limit=$4 offset=${5:-0}
    local q="$P SELECT * WHERE { $where } ORDER BY $order"
    run "$CITYKG" query --data "$D" --explain --format tsv "$q LIMIT $limit OFFSET $offset"
    if grep -q 'one row at a time' "$T/err"; then pass "$name: planned as a lazy ORDER"
    else fail "$name: not pushed down: $(grep -A12 '^plan' "$T/err")"; fi
    run "$CITYKG" query --data "$D" --format tsv "$q LIMIT $limit OFFSET $offset"
    cp "$T/out" "$T/limited"
    run "$CITYKG" query --data "$D" --format tsv "$q"
    head -1 "$T/out" >"$T/expected"
    sed -n "$((offset + 2)),$((offset + limit + 1))p" "$T/out" >>"$T/expected"
    expect_eq "$name: rows $((offset + 1))-$((offset + limit)) of the full sort" \
        "$(cat "$T/expected")" "$(cat "$T/limited")"
    expect_eq "$name: $limit rows" "$((limit + 1))" "$(wc -l <"$T/limited")"
}

check "tallest buildings" "?b cityo:measuredHeight ?h ; rdfs:label ?l" "DESC(?h) ?b" 10
check "lowest, with equal values written apart" "?b cityo:measuredHeight ?h ; rdfs:label ?l" \
    "?h ?b" 6
check "a second key from the join" "?b cityo:measuredHeight ?h ; rdfs:label ?l" "?h ?l" 3
check "an OFFSET into the middle" "?b cityo:measuredHeight ?h ; rdfs:label ?l" "?h ?l" 7 40
check "a join that multiplies rows" "?b cityo:measuredHeight ?h ; rdfs:label ?l" "DESC(?h) ?l" 4
check "a FILTER and a BIND above" \
    "?b cityo:measuredHeight ?h ; rdfs:label ?l FILTER(?h < 20) BIND(STR(?l) AS ?s)" \
    "DESC(?h) ?b" 5
check "two joined triples after a larger scan" \
    "?b cityo:measuredHeight ?h ; cityo:roofType ?r ; cityo:address ?a" "DESC(?h) ?a" 8

# keys tied everywhere: which of the tied rows come first is free, so the
# rows are compared as sets of the keys' values
run "$CITYKG" query --data "$D" --explain --format tsv \
    "$P SELECT ?h WHERE { ?b cityo:measuredHeight ?h ; rdfs:label ?l } ORDER BY ?h LIMIT 3"
if grep -q 'one row at a time' "$T/err"; then pass "single key: lazy ORDER"
else fail "single key: not pushed down"; fi
run "$CITYKG" query --data "$D" --format tsv \
    "$P SELECT ?h WHERE { ?b cityo:measuredHeight ?h ; rdfs:label ?l } ORDER BY ?h LIMIT 3"
expect_eq "0 first, then 0.1 and 0.10 tied" \
    "$(printf '%s\n' '?h' '"0"^^<http://www.w3.org/2001/XMLSchema#integer>' \
        '"0.1"^^<http://www.w3.org/2001/XMLSchema#decimal>' \
        '"0.10"^^<http://www.w3.org/2001/XMLSchema#decimal>' | sort)" \
    "$(sort "$T/out")"

finish
