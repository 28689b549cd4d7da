#!/usr/bin/env bash
# query_value_index.sh — numeric range filters started from the value
# index (sparql/range_index.h): every query gives the same solutions with
# the index and without it (CITYKG_VALUE_INDEX=off), and --explain shows
# where it was used. The data mixes what a value range must get right:
# xsd:integer, decimal and double (inline) values, long decimals and
# xsd:int values (dictionary literals), strings and IRIs (never in a
# numeric range), NaN and INF, negative numbers, one subject with two
# values, the same triple in two graphs; a MINUS like benchmark query 17
# is computed once from the index instead of probed per sensor. A range
# too wide for that still spares lookups as a set of subjects (a reducer).
# A restricted caller never uses the index.
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
# readings of 20 stations: stations 0-4 never reach 850, the others do
# in about 15 % of their readings; integers, halves and exact 850s
for i in range(40000):
    k = i % 20
    v = (i * 37) % (850 if k < 5 else 1000)
    lex = f'"{v}.5"^^<{XSD}decimal>' if i % 3 == 0 else f'"{v}"^^<{XSD}integer>'
    print(f'<{X}/reading/{i}> <{X}/station> <{X}/station/{k}> <{X}/g1> .')
    print(f'<{X}/reading/{i}> <{X}/level> {lex} <{X}/g1> .')
for k in range(20):
    print(f'<{X}/station/{k}> <{X}/kind> <{X}/PM10> <{X}/g1> .')
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

# A range too wide to start from, over triples that bind its subject
# first: a reducer (the set of subjects in range) spares the lookups of
# the range's triple; the FILTER still decides each row exactly.
reduced() { if grep -q 'value-index reducer: ' "$T/plan"; then pass "$1: lookups reduced by the value index"
            else fail "$1: no reducer: $(sed -n '/^plan/,$p' "$T/plan" | head -8)"; fi; }
for f in "?v >= 850" "?v > 850" "?v > 849.5 && ?v <= 900" "?v = 850"; do
    same "$P SELECT ?r ?k ?v { ?k x:kind x:PM10 . ?r x:station ?k ; x:level ?v FILTER($f) }" "FILTER($f) over the stations"
    reduced "FILTER($f)"
done
# the set lets through only the readings with a value of 850
expect_eq "FILTER(?v = 850): rows through the reducer" 27 \
    "$(sed -n 's/.*value-index reducer: .*-> \([0-9]*\)$/\1/p' "$T/plan")"
# query 17's shape with a range too wide to compute once: probed per
# station, each probe through the set
same "$P SELECT ?k { ?k x:kind x:PM10 MINUS { ?r x:station ?k ; x:level ?v FILTER(?v >= 850) } }" \
    "MINUS probing with a wide range"
expect_eq "MINUS probing with a wide range: the 5 stations below 850" 5 "$(($(wc -l <"$T/with") - 1))"
if grep -q 'minus (probing.*value-index reducer: ' "$T/plan"; then pass "MINUS probes use the reducer"
else fail "MINUS probes without the reducer: $(grep minus "$T/plan")"; fi
# few lookups do not pay for reading the range
same "$P SELECT ?v { <$X/reading/7> x:station ?k . ?r x:station ?k ; x:level ?v FILTER(?v >= 850) } LIMIT 3" \
    "a LIMIT over one station"
same "$P SELECT ?v { x:nothing x:station ?k . ?r x:station ?k ; x:level ?v FILTER(?v >= 850) }" \
    "no station"
if grep -q 'value-index reducer' "$T/plan"; then fail "no station: a reducer was built"
else pass "no station: no reducer built"; fi

run "$CITYKG" query --data "$T/store" --format tsv --explain --as-anonymous \
    "$P SELECT ?k { ?k x:kind x:NO2 MINUS { ?s x:sensor ?k ; x:value ?v FILTER(?v >= 100) } }"
if grep -q 'reducer' "$T/err"; then fail "anonymous: a reducer was used"
else pass "anonymous: no reducer"; fi

run "$CITYKG" query --data "$T/store" --format tsv --explain --as-anonymous "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 110) }"
cp "$T/err" "$T/plan"
unused "anonymous (restricted to the public graph)"
expect_eq "anonymous: only the public graph's rows" \
    "$(CITYKG_VALUE_INDEX=off "$CITYKG" query --data "$T/store" --format tsv --as-anonymous "$P SELECT ?s ?v { ?s x:value ?v FILTER(?v >= 110) }" | LC_ALL=C sort)" \
    "$(LC_ALL=C sort "$T/out")"

finish
