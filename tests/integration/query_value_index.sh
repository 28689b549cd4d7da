#!/usr/bin/env bash
# query_value_index.sh — numeric range filters started from the value
# index (sparql/range_index.h): every query gives the same solutions with
# the index and without it (CITYKG_VALUE_INDEX=off), and --explain shows
# where it was used. The data mixes what a value range must get right:
# xsd:integer, decimal and double (inline) values, long decimals and
# xsd:int values (dictionary literals), strings and IRIs (never in a
# numeric range), NaN and INF, negative numbers, one subject with two
# values, the same triple in two graphs; a MINUS like benchmark query 17
# is computed once from the index instead of probed per sensor. A
# restricted caller never uses the index.
. "$(dirname "$0")/lib.sh"

X=https://x.example
XSD=http://www.w3.org/2001/XMLSchema#
python3 - "$X" "$XSD" >"$T/data.nq" <<'PY'
import sys
X, XSD = sys.argv[1], sys.argv[2]
def lit(i):
    k = i % 10
    if k == 0: return f'"{i % 113}"^^<{XSD}integer>'
    if k == 1: return f'"{(i % 113) - 7}.5"^^<{XSD}decimal>'
    if k == 2: return f'"{i % 113}.25E0"^^<{XSD}double>'
    if k == 3: return f'"{i % 113}.1234567890123456789"^^<{XSD}decimal>'
    if k == 4: return f'"{i % 113}"^^<{XSD}int>'
    if k == 5: return f'"{i % 113}"'
    if k == 6: return f'<{X}/v/{i}>'
    if k == 7: return f'"NaN"^^<{XSD}double>' if i % 20 == 7 else f'"INF"^^<{XSD}double>' if i % 200 == 17 else f'"-INF"^^<{XSD}double>'
    if k == 8: return f'"-{i % 113}"^^<{XSD}integer>'
    return f'"{i % 113}.0"^^<{XSD}float>'
for i in range(20000):
    s = f'<{X}/obs/{i}>'
    g = f'<{X}/g{i % 2}>'
    print(f'{s} <{X}/value> {lit(i)} {g} .')
    print(f'{s} <{X}/sensor> <{X}/sensor/{i % 50}> {g} .')
    if i % 31 == 0:   # a second value
        print(f'{s} <{X}/value> "{(i * 7) % 113}"^^<{XSD}integer> {g} .')
    if i % 17 == 0:   # the same triple in the other graph
        print(f'{s} <{X}/value> {lit(i)} <{X}/g{(i + 1) % 2}> .')
for j in range(50):
    print(f'<{X}/sensor/{j}> <{X}/kind> <{X}/NO2> <{X}/g0> .')
PY
"$CITYKG" load -q --data "$T/store" "$T/data.nq"
"$CITYKG" graph access --data "$T/store" "$X/g0" public >/dev/null

# same QUERY NAME: the solutions with and without the index, sorted
same() {
    local query=$1 name=$2
    run "$CITYKG" query --data "$T/store" --format tsv --explain "$query"
    [ "$RC" = 0 ] || { fail "$name: exit $RC: $(head -c 300 "$T/err")"; return; }
    LC_ALL=C sort "$T/out" >"$T/with"
    cp "$T/err" "$T/plan"
    CITYKG_VALUE_INDEX=off "$CITYKG" query --data "$T/store" --format tsv "$query" 2>/dev/null | LC_ALL=C sort >"$T/without"
    if cmp -s "$T/with" "$T/without"; then pass "$name: $(($(wc -l <"$T/with") - 1)) rows, as without the index"
    else fail "$name: differs from the plan without the index: $(diff "$T/with" "$T/without" | head -5 | tr '\n' ' ')"; fi
}
used() { if grep -q 'value index: ' "$T/plan"; then pass "$1: started from the value index"
         else fail "$1: the value index was not used: $(sed -n '/^plan/,$p' "$T/plan" | head -8)"; fi; }
unused() { if grep -q 'value index: ' "$T/plan"; then fail "$1: the value index was used"
           else pass "$1: not from the value index"; fi; }

P="PREFIX x: <$X/> "
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 110) }" ">= 110"
used ">= 110"
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v > 111.5) }" "> 111.5 (decimal bound)"
used "> 111.5"
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v < -110) }" "< -110"
used "< -110"
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(2 >= ?v && ?v >= 1) }" "between 1 and 2, mirrored"
used "between 1 and 2"
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v = 42) }" "= 42"
used "= 42"
same "$P SELECT ?s ?v ?k { ?s x:value ?v ; x:sensor ?k FILTER(?v >= 112 && ?v < 113) }" "a star with the range"
used "a star with the range"
same "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 0) }" "a range of most values"
unused "a range of most values"
same "$P SELECT ?k (COUNT(*) AS ?n) { ?k x:kind x:NO2 MINUS { ?s x:sensor ?k ; x:value ?v FILTER(?v >= 112.1) } } GROUP BY ?k" \
    "MINUS with a selective range (query 17's shape)"
used "MINUS with a selective range"
if grep -q 'minus (probing' "$T/plan"; then fail "MINUS still probes per sensor"
else pass "MINUS computes its right side once"; fi

run "$CITYKG" query --data "$T/store" --format tsv --explain --as-anonymous "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 110) }"
cp "$T/err" "$T/plan"
unused "anonymous (restricted to the public graph)"
expect_eq "anonymous: only the public graph's rows" \
    "$(CITYKG_VALUE_INDEX=off "$CITYKG" query --data "$T/store" --format tsv --as-anonymous "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 110) }" | LC_ALL=C sort)" \
    "$(LC_ALL=C sort "$T/out")"

finish
