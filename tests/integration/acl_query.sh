#!/usr/bin/env bash
# acl_query.sh — access control in the query engine, end to end: the real
# binary on real stores. A store holds a public, an internal and a
# restricted graph and the default graph, crossing each other (the same
# subjects, paths from one graph into another, the same triple in two
# graphs). For every query form, the answer a caller gets there must be
# exactly the answer of a store that holds only the graphs that caller may
# read: anonymous = the public graph, staff = public + internal + default,
# a token listing the restricted graph = everything. Revoked and forged
# tokens are refused with one message. The same on the real demo twin.
. "$(dirname "$0")/lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

EX=https://city.example
G=$EX/graph
PFX="PREFIX ex: <$EX/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"

cat >"$T/public.ttl" <<EOF
@prefix ex: <$EX/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:b1 a ex:Building ; ex:height 12 ; ex:partOf ex:d1 ; rdfs:label "Rathaus" .
ex:b2 a ex:Building ; ex:height 20 ; ex:partOf ex:d1 .
ex:d1 a ex:District ; rdfs:label "Altstadt" .
EOF
cat >"$T/internal.ttl" <<EOF
@prefix ex: <$EX/> .
ex:d1 ex:partOf ex:region .
ex:region ex:partOf ex:state .
ex:b1 ex:energyUse 1234 .
ex:b2 ex:energyUse 999 ; a ex:Building .
ex:sensor1 a ex:Sensor ; ex:observes ex:b1 ; ex:reading 42 .
EOF
cat >"$T/restricted.ttl" <<EOF
@prefix ex: <$EX/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:b1 ex:owner ex:person1 ; a ex:Building .
ex:person1 rdfs:label "Jane Doe" ; ex:partOf ex:d1 .
ex:b3 a ex:Building ; ex:height 7 ; ex:energyUse 5 .
EOF
cat >"$T/default.ttl" <<EOF
@prefix ex: <$EX/> .
ex:b1 ex:note "kept in the default graph" ; ex:partOf ex:d1 ; ex:height 12 .
ex:d1 ex:partOf ex:county .
EOF

# load_store DIR PARTS...: a store with the given parts (public, internal,
# restricted, default), each in its graph
load_store() {
    local dir=$1 part
    shift
    for part in "$@"; do
        if [ "$part" = default ]; then
            "$CITYKG" load -q --data "$dir" "$T/default.ttl"
        else
            "$CITYKG" load -q --data "$dir" --graph "$G/$part" "$T/$part.ttl"
        fi
    done
}
A=$T/all
load_store "$A" public internal restricted default
"$CITYKG" graph access --data "$A" "$G/public" public 2>/dev/null
"$CITYKG" graph access --data "$A" "$G/internal" internal 2>/dev/null
"$CITYKG" graph access --data "$A" "$G/restricted" restricted 2>/dev/null
# what each caller may read, as stores of their own (queried without a restriction)
ANON_VIEW=$T/anon-view
load_store "$ANON_VIEW" public
STAFF_VIEW=$T/staff-view
load_store "$STAFF_VIEW" public internal default

run "$CITYKG" graph list --data "$A"
expect_eq "graph list: levels and quads" "graph	level	quads
default	internal (unset)	4
<$G/internal>	internal	8
<$G/public>	public	9
<$G/restricted>	restricted	7" "$(cat "$T/out")"

STAFF=$("$CITYKG" token create --data "$A" --role staff --label "planning office" 2>"$T/create.err")
if grep -q 'shown this once' "$T/create.err" && [[ $STAFF =~ ^ckt_[0-9a-f]{16}_[0-9a-f]{64}$ ]]; then
    pass "token create prints the token once and says so"
else
    fail "token create: stdout '$STAFF', stderr $(cat "$T/create.err")"
fi
LISTED=$("$CITYKG" token create --data "$A" --role staff --graphs "$G/restricted" 2>/dev/null)
AGENT=$("$CITYKG" token create --data "$A" --role agent --graphs "$G/internal" --expires 30 2>/dev/null)

# The queries: format|extra options|query. Each reads some graph that
# not every caller may read.
cat >"$T/queries" <<EOF
tsv||SELECT * { ?s ?p ?o }
tsv||SELECT (COUNT(*) AS ?n) { ?s ?p ?o }
tsv||$PFX SELECT (COUNT(*) AS ?n) { ?b a ex:Building }
tsv||$PFX SELECT DISTINCT ?t { ?s a ?t }
tsv||$PFX ASK { ?b ex:energyUse ?e }
tsv||$PFX ASK { ?b ex:owner ?o }
ntriples||CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }
ntriples||$PFX CONSTRUCT { ?b ex:uses ?e } WHERE { ?b a ex:Building ; ex:energyUse ?e }
ntriples||$PFX DESCRIBE ex:sensor1
ntriples||$PFX DESCRIBE ex:b1
ntriples||$PFX DESCRIBE ?b WHERE { ?b a ex:Building }
tsv||SELECT ?g { GRAPH ?g { } }
tsv||SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }
tsv||SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
tsv||$PFX SELECT ?g { GRAPH ?g { ?s a ex:Building FILTER EXISTS { ?s ex:height ?h } } }
tsv||SELECT * { GRAPH <$G/internal> { ?s ?p ?o } }
tsv||ASK { GRAPH <$G/internal> { } }
tsv||ASK { GRAPH <$G/restricted> { ?s ?p ?o } }
tsv||SELECT ?s { VALUES ?g { <$G/internal> <$G/restricted> } GRAPH ?g { ?s ?p ?o } }
tsv||SELECT * FROM <$G/internal> { ?s ?p ?o }
tsv||SELECT * FROM <$G/internal> FROM <$G/public> { ?s ?p ?o }
tsv||$PFX SELECT ?g ?s FROM NAMED <$G/internal> FROM NAMED <$G/public> { GRAPH ?g { ?s a ?t } }
ntriples||DESCRIBE ?s FROM <$G/restricted> WHERE { ?s ?p ?o }
tsv||$PFX SELECT ?x { ex:b1 ex:partOf+ ?x }
tsv||$PFX SELECT ?a ?b { ?a ex:partOf* ?b }
tsv||$PFX SELECT ?x { ex:b1 ex:partOf/ex:partOf ?x }
tsv||$PFX SELECT ?x { ?x ex:partOf/ex:partOf ?y }
tsv||$PFX SELECT ?x { ex:b1 ^ex:observes ?x }
tsv||$PFX SELECT ?o { ex:b1 !ex:height ?o }
tsv||$PFX SELECT ?x { ex:region ex:partOf? ?x }
tsv||$PFX SELECT ?b { ?b a ex:Building FILTER EXISTS { ?b ex:energyUse ?e } }
tsv||$PFX SELECT ?b { ?b a ex:Building FILTER NOT EXISTS { ?b ex:owner ?o } }
tsv||$PFX SELECT ?b { ?b a ex:Building MINUS { ?b ex:energyUse ?e } }
tsv||$PFX SELECT ?b ?e { ?b a ex:Building OPTIONAL { ?b ex:energyUse ?e } }
tsv||$PFX SELECT ?b ?h ?e { ?b a ex:Building ; ex:height ?h ; ex:energyUse ?e }
tsv||$PFX SELECT ?b ?h ?e ?l { ?b a ex:Building ; ex:height ?h ; ex:energyUse ?e ; rdfs:label ?l }
tsv||$PFX SELECT (SUM(?e) AS ?total) (COUNT(DISTINCT ?b) AS ?n) { ?b ex:energyUse ?e }
tsv||$PFX SELECT ?d (COUNT(?b) AS ?n) { ?b ex:partOf ?d } GROUP BY ?d
tsv||$PFX SELECT * { { SELECT ?b (MAX(?e) AS ?m) { ?b ex:energyUse ?e } GROUP BY ?b } }
tsv||$PFX SELECT ?x { { ex:b1 ex:owner ?x } UNION { ex:b1 ex:energyUse ?x } }
tsv||$PFX SELECT ?l { ?b ex:owner ?x . ?x rdfs:label ?l }
tsv||SELECT ?s { ?s ?p "Jane Doe" }
tsv||$PFX SELECT ?b { ?b ex:height ?h FILTER(?h < 10) }
tsv|--strict-default-graph|SELECT * { ?s ?p ?o }
tsv|--strict-default-graph|$PFX SELECT ?x { ex:d1 ex:partOf* ?x }
tsv|--strict-default-graph|$PFX SELECT ?x ?n ?d ?h { ?x ex:note ?n ; ex:partOf ?d ; ex:height ?h }
EOF
nq=$(wc -l <"$T/queries")

# answer STORE FORMAT EXTRA QUERY [CALLER OPTIONS...]: sorted stdout in
# $T/ans, exit status and stderr appended
answer() {
    local store=$1 format=$2 extra=$3 query=$4
    shift 4
    # shellcheck disable=SC2086 # extra is one option or none
    run "$CITYKG" query --data "$store" --format "$format" $extra "$@" "$query"
    { LC_ALL=C sort "$T/out"; echo "exit $RC"; cat "$T/err"; } >"$T/ans"
}

# expect_view WHO VIEW_STORE CALLER OPTIONS...: every query answered for
# the caller on the full store exactly as on the store of its view
expect_view() {
    local who=$1 view=$2 format extra query same=0
    shift 2
    while IFS='|' read -r format extra query; do
        answer "$A" "$format" "$extra" "$query" "$@"
        mv "$T/ans" "$T/ans.caller"
        answer "$view" "$format" "$extra" "$query"
        if cmp -s "$T/ans.caller" "$T/ans"; then
            same=$((same + 1))
        else
            fail "$who: '$query' differs from a store of only what $who may read: $(diff "$T/ans" "$T/ans.caller" | head -6 | tr '\n' ' ')"
        fi
    done <"$T/queries"
    expect_eq "$who: all $nq queries answered as on a store of only what $who may read" "$nq" "$same"
}

# The queries do see the hidden graphs when nothing is restricted: without
# that, the comparisons above could not fail.
touching=0
while IFS='|' read -r format extra query; do
    answer "$A" "$format" "$extra" "$query"
    mv "$T/ans" "$T/ans.full"
    answer "$ANON_VIEW" "$format" "$extra" "$query"
    cmp -s "$T/ans.full" "$T/ans" || touching=$((touching + 1))
done <"$T/queries"
expect_eq "every query's unrestricted answer depends on the non-public graphs" "$nq" "$touching"

expect_view anonymous "$ANON_VIEW" --as-anonymous
expect_view staff "$STAFF_VIEW" --token "$STAFF"
expect_view "an agent of the internal graph" "$STAFF_VIEW" --token "$AGENT"
expect_view "a token listing the restricted graph" "$A" --token "$LISTED"

# nothing of the hidden graphs in what an anonymous caller gets, not even
# their names, for the queries that do not name them
leaks=0
while IFS='|' read -r format extra query; do
    case "$query" in *"$G/"*) continue ;; esac
    answer "$A" "$format" "$extra" "$query" --as-anonymous
    if grep -qE "graph/(internal|restricted)|energyUse|Jane Doe|sensor1|ex:b3|/b3>" "$T/ans"; then
        leaks=$((leaks + 1))
        fail "anonymous '$query' shows hidden data: $(head -c 300 "$T/ans")"
    fi
done <"$T/queries"
expect_eq "no hidden graph name or term in anonymous answers" 0 "$leaks"

# The plan, with its estimates, depends only on what the caller may read:
# --explain for a caller on the full store prints exactly what the same
# caller gets on the store of its view (join order, estimates, actual
# rows). Unrestricted on the full store, the estimates differ.
# explain STORE EXTRA QUERY [CALLER OPTIONS...]: the plan in $T/plan
explain() {
    local store=$1 extra=$2 query=$3
    shift 3
    # shellcheck disable=SC2086 # extra is one option or none
    run "$CITYKG" query --data "$store" --format tsv $extra --explain "$@" "$query"
    cp "$T/err" "$T/plan"
}
"$CITYKG" graph access --data "$ANON_VIEW" "$G/public" public 2>/dev/null
VIEW_STAFF=$("$CITYKG" token create --data "$STAFF_VIEW" --role staff 2>/dev/null)
for who in anonymous staff; do
    view=$ANON_VIEW caller=(--as-anonymous) view_caller=(--as-anonymous)
    [ "$who" = staff ] && view=$STAFF_VIEW caller=(--token "$STAFF") view_caller=(--token "$VIEW_STAFF")
    same=0 with_estimates=0
    while IFS='|' read -r format extra query; do
        [ "$format" = tsv ] || continue
        explain "$A" "$extra" "$query" "${caller[@]}"
        mv "$T/plan" "$T/plan.caller"
        explain "$view" "$extra" "$query" "${view_caller[@]}"
        grep -qE 'est [0-9]' "$T/plan.caller" && with_estimates=$((with_estimates + 1))
        if cmp -s "$T/plan.caller" "$T/plan"; then
            same=$((same + 1))
        else
            fail "--explain as $who: '$query': $(diff "$T/plan" "$T/plan.caller" | head -6 | tr '\n' ' ')"
        fi
    done <"$T/queries"
    ntsv=$(grep -c '^tsv|' "$T/queries")
    expect_eq "--explain as $who: the plan of a store of only what $who may read" "$ntsv" "$same"
    if [ "$with_estimates" -gt 30 ]; then pass "--explain as $who: with estimates"
    else fail "--explain as $who: estimates in only $with_estimates plans"; fi
done
explain "$A" "" "$PFX SELECT * { ?b a ex:Building ; ex:height ?h }"
mv "$T/plan" "$T/plan.full"
explain "$ANON_VIEW" "" "$PFX SELECT * { ?b a ex:Building ; ex:height ?h }"
if grep -qE 'est [0-9]' "$T/plan.full" && ! cmp -s "$T/plan.full" "$T/plan"; then
    pass "--explain unrestricted: estimates of every graph"
else
    fail "--explain unrestricted: $(head -c 600 "$T/plan.full")"
fi

# ---- tokens refused: revoked, forged, unknown, malformed, one message --------------
run "$CITYKG" query --data "$A" --token "$STAFF" 'ASK {}'
expect_eq "staff token works before revoking" 0 "$RC"
STAFF_ID=$(cut -d_ -f2 <<<"$STAFF")
run "$CITYKG" token revoke --data "$A" "$STAFF_ID"
expect_eq "token revoke" 0 "$RC"
run "$CITYKG" query --data "$A" --token "$STAFF" 'ASK {}'
expect_one_error_line "revoked token refused"
refusal=$(cat "$T/err")
if grep -q 'invalid token' "$T/err" && [ ! -s "$T/out" ]; then pass "revoked token: no answer"
else fail "revoked token: out '$(cat "$T/out")' err '$refusal'"; fi
forged="${LISTED%?}$([ "${LISTED: -1}" = 0 ] && echo 1 || echo 0)"
unknown="ckt_0123456789abcdef_${LISTED:21}"
for t in "$forged" "$unknown" "ckt_short" "${LISTED^^}"; do
    run "$CITYKG" query --data "$A" --token "$t" 'ASK {}'
    expect_eq "token '${t:0:24}...' refused with the revoked token's message (exit $RC)" "$refusal" "$(cat "$T/err")"
done
run "$CITYKG" token list --data "$A"
if [ "$(grep -c "^$STAFF_ID	staff	planning office	-	.*	never	yes$" "$T/out")" = 1 ] &&
    grep -q "	agent	-	$G/internal	" "$T/out" && ! grep -q "${STAFF:21}" "$T/out" &&
    ! grep -q "${LISTED:21}" "$T/out"; then
    pass "token list: revoked marked, graphs shown, no secrets"
else
    fail "token list: $(cat "$T/out")"
fi
run "$CITYKG" query --data "$A" --token "$LISTED" --as-anonymous 'ASK {}'
expect_one_error_line "--token with --as-anonymous"
run "$CITYKG" token create --data "$A" --role agent
expect_one_error_line "agent token without --graphs"
run "$CITYKG" graph access --data "$A" "$G/public" secret
expect_one_error_line "unknown access level"
run "$CITYKG" graph access --data "$A" internal public
expect_one_error_line "graph name that is not an IRI"

# ---- a fresh store: anonymous reads nothing until a graph is made public --------------
F=$T/fresh
load_store "$F" public default
run "$CITYKG" query --data "$F" --as-anonymous --format csv 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'
expect_eq "fresh store: anonymous sees no quad" "n 0" "$(tr -d '\r' <"$T/out" | tr '\n' ' ' | sed 's/ $//')"
"$CITYKG" graph access --data "$F" default public 2>/dev/null
run "$CITYKG" query --data "$F" --as-anonymous --format csv 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'
expect_eq "default graph made public: anonymous sees its 4 quads" "n 4" "$(tr -d '\r' <"$T/out" | tr '\n' ' ' | sed 's/ $//')"

# ---- the demo twin: buildings public, parking internal, catalog restricted ------------
DG=https://regensburg.example/graph
D=$T/demo
DV=$T/demo-public
"$CITYKG" load -q --data "$D" --graph "$DG/buildings" "$CITYKG_DEMO/buildings.ttl"
"$CITYKG" load -q --data "$D" --graph "$DG/parking" "$CITYKG_DEMO/parking.ttl"
"$CITYKG" load -q --data "$D" --graph "$DG/catalog" "$CITYKG_DEMO/catalog.ttl"
"$CITYKG" graph access --data "$D" "$DG/buildings" public 2>/dev/null
"$CITYKG" graph access --data "$D" "$DG/catalog" restricted 2>/dev/null
"$CITYKG" load -q --data "$DV" --graph "$DG/buildings" "$CITYKG_DEMO/buildings.ttl"
same=0 n=0
while IFS= read -r query; do
    n=$((n + 1))
    answer "$D" tsv "" "$query" --as-anonymous
    mv "$T/ans" "$T/ans.caller"
    answer "$DV" tsv "" "$query"
    if cmp -s "$T/ans.caller" "$T/ans"; then same=$((same + 1))
    else fail "demo: '$query' differs: $(diff "$T/ans" "$T/ans.caller" | head -4 | tr '\n' ' ')"; fi
done <<'EOF'
SELECT ?t (COUNT(*) AS ?n) { ?s a ?t } GROUP BY ?t
SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
SELECT (COUNT(*) AS ?n) { ?s ?p ?o }
PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d ?p ?o { ?d a dcat:Dataset ; ?p ?o }
PREFIX c: <https://w3id.org/citykg/ontology#> SELECT ?p (SUM(?cap) AS ?total) { ?p a c:ParkingFacility ; c:capacity ?cap } GROUP BY ?p
PREFIX c: <https://w3id.org/citykg/ontology#> SELECT (AVG(?h) AS ?avg) (COUNT(?b) AS ?n) { ?b a c:Building ; c:measuredHeight ?h }
EOF
expect_eq "demo twin: anonymous answers as on a store of the public buildings only" "$n" "$same"

finish
