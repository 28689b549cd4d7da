#!/usr/bin/env bash
# count_query.sh — GROUP BY over a join that only counts (the "count join"
# of sparql/exec_count.c) gives the answers of the plain plan: each query
# runs as written (counted in the index) and with FILTER(true) added, which
# the counting plan does not take, in every dataset mode (union default
# graph, strict default graph, FROM, FROM NAMED, GRAPH, a restricted
# caller). The data has copies of triples in several graphs and ranges of
# many index blocks.
. "$(dirname "$0")/lib.sh"

D="$T/store"
N=20000
# instances of B (some also of D, E) in graphs a and b and the default
# graph; a class hierarchy B, D < C < Top, E < Top in graph onto
awk -v n=$N 'BEGIN {
    t = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    sc = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
    print "<urn:c:C> " sc " <urn:c:Top> <urn:g:onto> ."
    print "<urn:c:B> " sc " <urn:c:C> <urn:g:onto> ."
    print "<urn:c:D> " sc " <urn:c:C> <urn:g:onto> ."
    print "<urn:c:E> " sc " <urn:c:Top> <urn:g:onto> ."
    print "<urn:c:E> " sc " <urn:c:Top> ."
    for (i = 1; i <= n; i++) {
        x = "<urn:x:" i ">"
        print x " " t " <urn:c:B> <urn:g:a> ."
        if (i % 3 == 0) print x " " t " <urn:c:B> <urn:g:b> ."
        if (i % 7 == 0) print x " " t " <urn:c:B> ."
        if (i % 11 == 0) print x " " t " <urn:c:D> <urn:g:b> ."
        if (i % 13 == 0) print x " " t " <urn:c:E> ."
        if (i % 5 == 0) print x " <urn:p:label> \"x" i "\" <urn:g:a> ."
    }
    # around the 64 matches a lookup reads before counting the rest:
    # x1 63 triples in 64 quads, x2 64 triples in 65 quads, x3 65 triples
    for (k = 1; k <= 65; k++) {
        if (k <= 63) print "<urn:x:1> <urn:p:many> \"" k "\" <urn:g:a> ."
        if (k <= 64) print "<urn:x:2> <urn:p:many> \"" k "\" <urn:g:a> ."
        print "<urn:x:3> <urn:p:many> \"" k "\" <urn:g:b> ."
    }
    print "<urn:x:1> <urn:p:many> \"7\" <urn:g:b> ."
    print "<urn:x:2> <urn:p:many> \"64\" ."
}' >"$T/data.nq"
"$CITYKG" load -q --data "$D" "$T/data.nq"

P='PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
# name|query; %F% marks where FILTER(true) goes in the plain variant
QUERIES=(
"class-counts|SELECT ?class (COUNT(?x) AS ?n) WHERE { ?class rdfs:subClassOf* <urn:c:Top> . ?x a ?class %F% } GROUP BY ?class"
"type-path-count|SELECT (COUNT(?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* <urn:c:C> %F% }"
"one-triple|SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:B> %F% }"
"all-triples|SELECT (COUNT(*) AS ?n) (COUNT(?o) AS ?m) WHERE { ?s ?p ?o %F% }"
"no-match|SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:Nothing> %F% }"
"values-keys|SELECT ?class (COUNT(*) AS ?n) WHERE { VALUES ?class { <urn:c:B> <urn:c:D> <urn:c:Top> <urn:c:Unknown> } ?x a ?class %F% } GROUP BY ?class"
"group-no-aggregate|SELECT ?class WHERE { VALUES ?class { <urn:c:B> <urn:c:Top> } ?x a ?class %F% } GROUP BY ?class"
"subquery-in-graph|SELECT ?g ?n WHERE { VALUES ?g { <urn:g:a> <urn:g:b> } GRAPH ?g { SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:B> %F% } } }"
"per-instance|SELECT ?x (COUNT(?c) AS ?n) WHERE { ?x a <urn:c:D> OPTIONAL { ?x <urn:p:label> ?l } ?x a ?c %F% } GROUP BY ?x"
"scan-boundary|SELECT ?x (COUNT(*) AS ?n) WHERE { VALUES ?x { <urn:x:1> <urn:x:2> <urn:x:3> <urn:x:4> } ?x <urn:p:many> ?o %F% } GROUP BY ?x"
"graph-const|SELECT ?n WHERE { GRAPH <urn:g:b> { SELECT (COUNT(?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* <urn:c:B> %F% } } }"
)
MODES=("union|" "strict|--strict-default-graph" "from-one|FROM <urn:g:b>" "from-two|FROM <urn:g:a> FROM <urn:g:onto>"
       "from-named|FROM NAMED <urn:g:a>")

# answer OUT QUERY [OPTION...]: sorted CSV rows (group order is not fixed)
answer() {
    local out=$1 q=$2
    shift 2
    run "$CITYKG" query --data "$D" --format csv "$@" "$q"
    if [ "$RC" != 0 ]; then fail "query failed ($*): $(cat "$T/err") — $q"; fi
    tr -d '\r' <"$T/out" | sort >"$out"
}

for m in "${MODES[@]}"; do
    mode=${m%%|*} opt=${m#*|}
    flag=() dataset=""
    case "$opt" in
    --*) flag=("$opt") ;;
    FROM*) dataset=$opt ;;
    esac
    for entry in "${QUERIES[@]}"; do
        name=${entry%%|*} q=${entry#*|}
        q="$P ${q/ WHERE/ $dataset WHERE}"
        counted=${q/\%F\%/} plain=${q/\%F\%/FILTER(true)}
        answer "$T/counted" "$counted" "${flag[@]}"
        answer "$T/plain" "$plain" "${flag[@]}"
        expect_eq "$name ($mode): counted = plain" "$(cat "$T/plain")" "$(cat "$T/counted")"
        run "$CITYKG" query --data "$D" --explain --format csv "${flag[@]}" "$plain"
        if grep -q 'count join' "$T/err"; then fail "$name ($mode): FILTER(true) still counted"; fi
    done
done

# the counting plan is taken (--explain names it) where it can count
# exactly, and not where it cannot: several FROM graphs, a restricted caller
explain() {
    run "$CITYKG" query --data "$D" --explain --format csv "$@"
    grep -c 'count join' "$T/err" || true
}
for q in "SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:B> }" \
         "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?class rdfs:subClassOf* <urn:c:Top> . ?x a ?class } GROUP BY ?class" \
         "SELECT (COUNT(?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* <urn:c:C> }"; do
    expect_eq "counted: $q" 1 "$(explain "$P $q")"
    expect_eq "counted, strict default graph: $q" 1 "$(explain --strict-default-graph "$P $q")"
    expect_eq "counted, FROM one graph: $q" 1 "$(explain "$P ${q/ WHERE/ FROM <urn:g:a> WHERE}")"
    expect_eq "not counted, FROM two graphs: $q" 0 "$(explain "$P ${q/ WHERE/ FROM <urn:g:a> FROM <urn:g:b> WHERE}")"
done
for q in "SELECT ?c (COUNT(*) AS ?n) WHERE { ?x a ?c } GROUP BY ?c" \
         "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a <urn:c:B> }" \
         "SELECT (COUNT(?z) AS ?n) WHERE { ?x a <urn:c:B> }" \
         "SELECT (SUM(1) AS ?n) WHERE { ?x a <urn:c:B> }" \
         "SELECT (COUNT(*) AS ?n) WHERE { ?x a ?x }"; do
    expect_eq "not counted: $q" 0 "$(explain "$P $q")"
done

# independent expectations, from the generator's arithmetic
b_union=$N                                                 # every x is a B in graph a
b_strict=$((N / 7))                                        # B in the default graph
d=$((N / 11)) e=$((N / 13))
answer "$T/out1" "SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:B> }"
expect_eq "B instances, union default graph (copies once)" "$(printf '%s\nn' $b_union | sort)" "$(cat "$T/out1")"
answer "$T/out1" "SELECT (COUNT(*) AS ?n) WHERE { ?x a <urn:c:B> }" --strict-default-graph
expect_eq "B instances, strict default graph" "$(printf '%s\nn' $b_strict | sort)" "$(cat "$T/out1")"
answer "$T/out1" "SELECT ?x (COUNT(*) AS ?n) WHERE { VALUES ?x { <urn:x:1> <urn:x:2> <urn:x:3> } ?x <urn:p:many> ?o } GROUP BY ?x"
expect_eq "matches around the scan's 64" "$(printf 'urn:x:1,63\nurn:x:2,64\nurn:x:3,65\nx,n\n' | sort)" "$(cat "$T/out1")"
answer "$T/out1" "$P SELECT (COUNT(?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* <urn:c:Top> }"
expect_eq "instances under Top, one per (instance, class)" "$(printf '%s\nn' $((N + d + e)) | sort)" "$(cat "$T/out1")"

# a restricted caller (anonymous: public graphs only) is never counted,
# and sees the counts of its graphs
"$CITYKG" graph access --data "$D" urn:g:b public 2>/dev/null
"$CITYKG" graph access --data "$D" urn:g:onto public 2>/dev/null
q="$P SELECT ?class (COUNT(?x) AS ?n) WHERE { ?class rdfs:subClassOf* <urn:c:Top> . ?x a ?class } GROUP BY ?class"
expect_eq "not counted for a restricted caller" 0 "$(explain --as-anonymous "$q")"
answer "$T/out1" "$q" --as-anonymous
expect_eq "restricted caller's counts: graph b only" \
    "$(printf 'class,n\nurn:c:B,%s\nurn:c:D,%s\n' $((N / 3)) $d | sort)" \
    "$(cat "$T/out1")"

finish
