#!/usr/bin/env bash
# query_psog_star.sh — stars of constant predicates around many subjects
# under GROUP BY are planned as star joins over psog (plan.c
# merge_star_worth, exec_merge_star.c) and give the same rows as today's
# plans (CITYKG_PSOG_MERGE=off). The data has what the walk must get
# right: subjects missing a star triple, subjects with two values of one,
# the same triple in two graphs and in the default graph (one solution in
# the union default graph), subjects written out of id order, and a
# constant-object triple (?b a :Building) that not every subject has.
# GRAPH ?g, FROM, the strict default graph and a restricted caller must
# not read psog (and still agree).
. "$(dirname "$0")/lib.sh"

N=30000
X=https://x.example
awk -v n=$N -v x=$X 'BEGIN {
    for (i = 0; i < n; i++) {
        b = (i * 7919) % n   # subjects written out of order
        s = "<" x "/b/" b ">"
        if (b % 7 != 0)      # every seventh is not a Building
            printf "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%s/Building> <%s/g1> .\n", s, x, x
        printf "%s <%s/listed> \"%s\"^^<http://www.w3.org/2001/XMLSchema#boolean> <%s/g1> .\n", s, x, (b % 3 == 0 ? "true" : "false"), x
        if (b % 10 != 0)     # every tenth has no district
            printf "%s <%s/inDistrict> <%s/d/%d> <%s/g1> .\n", s, x, x, b % 12, x
        if (b % 97 == 0)     # some have a second district
            printf "%s <%s/inDistrict> <%s/d/%d> <%s/g1> .\n", s, x, x, (b + 1) % 12, x
        if (b % 5 == 1)      # some repeat their district in a second graph
            printf "%s <%s/inDistrict> <%s/d/%d> <%s/g2> .\n", s, x, x, b % 12, x
        if (b % 11 == 2) {   # and some in the default graph
            printf "%s <%s/inDistrict> <%s/d/%d> .\n", s, x, x, b % 12
            printf "%s <%s/listed> \"%s\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n", s, x, (b % 3 == 0 ? "true" : "false")
        }
        if (b % 13 != 5)     # some have no height
            printf "%s <%s/height> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> <%s/g2> .\n", s, x, b % 40, x
        if (b % 89 == 3)     # a few have two
            printf "%s <%s/height> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> <%s/g2> .\n", s, x, 100 + b % 40, x
    }
    # districts 0-9 in the city (one also in a second graph), 10 and 11 not
    for (d = 0; d < 10; d++)
        printf "<%s/d/%d> <%s/partOf> <%s/city> <%s/g1> .\n", x, d, x, x, x
    printf "<%s/d/3> <%s/partOf> <%s/city> <%s/g2> .\n", x, x, x, x
}' >"$T/data.nq"
"$CITYKG" load -q --data "$T/store" "$T/data.nq"

# compare NAME QUERY EXPECT_PSOG [ARGS...]: the rows with the psog star
# and without; whether --explain names the psog star join
compare() {
    local name=$1 q=$2 want=$3
    shift 3
    run "$CITYKG" query --data "$T/store" --explain --format tsv "$@" "$q"
    [ "$RC" = 0 ] || fail "$name: query failed: $(cat "$T/err")"
    LC_ALL=C sort "$T/out" >"$T/on"
    if grep -q 'merge star join .* over psog' "$T/err"; then got=yes; else got=no; fi
    expect_eq "$name: psog star join planned: $want" "$want" "$got"
    CITYKG_PSOG_MERGE=off run "$CITYKG" query --data "$T/store" --explain --format tsv "$@" "$q"
    LC_ALL=C sort "$T/out" >"$T/off"
    if grep -q 'psog' "$T/err"; then fail "$name: CITYKG_PSOG_MERGE=off still reads psog"; fi
    expect_eq "$name: same rows with and without psog ($(wc -l <"$T/on") lines)" \
        "$(cat "$T/off")" "$(cat "$T/on")"
}

STAR="PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) (SUM(?h) AS ?hs) (SUM(IF(?l, 1, 0)) AS ?listed)
WHERE { ?b a x:Building ; x:inDistrict ?d ; x:height ?h ; x:listed ?l }
GROUP BY ?d ORDER BY ?d"
compare "star with a constant-object triple" "$STAR" yes

PAIR="PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) (SUM(IF(?l, 1, 0)) AS ?listed)
WHERE { ?b x:listed ?l ; x:inDistrict ?d } GROUP BY ?d ORDER BY ?d"
compare "star of two predicates" "$PAIR" yes
# the counts themselves, as awk finds them: union of graphs, (b, d) once
awk '$2 == "<'$X'/inDistrict>" { pair[$1 " " $3] = 1 }
     END { for (p in pair) { split(p, a, " "); n[a[2]]++ } for (d in n) print d, n[d] }' \
    "$T/data.nq" | LC_ALL=C sort >"$T/expected"
grep -v "^?" "$T/on" | cut -f1,2 | sed -E 's/"([0-9]+)"\^\^<[^>]*>/\1/g' | tr '\t' ' ' |
    LC_ALL=C sort >"$T/got"
expect_eq "districts counted as awk counts them" "$(cat "$T/expected")" "$(cat "$T/got")"

ROWS="PREFIX x: <$X/>
SELECT ?b ?d ?h WHERE { ?b x:inDistrict ?d ; x:height ?h } ORDER BY ?b ?d ?h"
compare "solutions of a star, one by one" "$ROWS" yes

# object joins (exec_object_join.c): rows binding ?d joined with
# (?b x:inDistrict ?d) by one walk of its psog range, handed on sorted by
# ?b to the star; a path's nodes, and VALUES with a repeated district (its
# rows twice) and UNDEF (every district)
object_join() {
    local name=$1 q=$2
    compare "$name" "$q" yes
    run "$CITYKG" query --data "$T/store" --explain --format tsv "$q"
    grep -q 'object join .* over psog' "$T/err" || fail "$name: no object join planned: $(cat "$T/err")"
    grep -q 'sort by ?b' "$T/err" && fail "$name: the star still sorts its rows: $(cat "$T/err")"
    pass "$name: object join planned, no sort before the star"
}
NODES="PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) (SUM(?h) AS ?hs)
WHERE { ?b x:inDistrict ?d . ?d x:partOf* x:city . ?b x:height ?h ; x:listed ?l }
GROUP BY ?d ORDER BY ?d"
object_join "a path's nodes joined by their objects" "$NODES"
D="<$X/d"
object_join "VALUES with a repeat and UNDEF joined by their objects" "PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) (SUM(?h) AS ?hs)
WHERE { { VALUES ?d { $D/1> $D/2> $D/3> $D/4> $D/5> $D/6> $D/7> $D/8> $D/9> $D/1> UNDEF }
          ?b x:inDistrict ?d }
        ?b x:height ?h ; x:listed ?l } GROUP BY ?d ORDER BY ?d"
# the path's count as awk finds it: (b, d) once over the graphs, d in 0-9,
# b with a height and a listed triple, once per height
awk '$2 == "<'$X'/inDistrict>" { pair[$1 " " $3] = 1 }
     $2 == "<'$X'/height>" { h[$1 " " $3] = 1 }
     $2 == "<'$X'/listed>" { l[$1] = 1 }
     END { for (k in h) { split(k, a, " "); nh[a[1]]++ }
           for (p in pair) { split(p, a, " ");
               if (a[2] ~ /\/d\/[0-9]>$/ && (a[1] in l)) n[a[2]] += nh[a[1]] }
           for (d in n) print d, n[d] }' "$T/data.nq" | LC_ALL=C sort >"$T/expected"
run "$CITYKG" query --data "$T/store" --format tsv "$NODES"
grep -v "^?" "$T/out" | cut -f1,2 | sed -E 's/"([0-9]+)"\^\^<[^>]*>/\1/g' | tr '\t' ' ' |
    LC_ALL=C sort >"$T/got"
expect_eq "the path's districts counted as awk counts them" "$(cat "$T/expected")" "$(cat "$T/got")"

# rows of a UNION branch that leaves ?b unbound: the star's triples bind
# it, every building once per height (a star join, which needs ?b in every
# row, dropped those rows)
UNBOUND="PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) WHERE { { { ?b x:inDistrict ?d } UNION { BIND(x:none AS ?d) } }
  ?b x:height ?h ; x:listed ?l } GROUP BY ?d ORDER BY ?d"
compare "a star's subject unbound in some rows" "$UNBOUND" no
want=$(awk '$2 == "<'$X'/height>" { h[$1 " " $3] = 1 } $2 == "<'$X'/listed>" { l[$1] = 1 }
            END { for (k in h) { split(k, a, " "); if (a[1] in l) n++ } print n }' "$T/data.nq")
got=$(grep '<https://x.example/none>' "$T/on" | cut -f2 | sed -E 's/"([0-9]+)".*/\1/')
expect_eq "the rows without ?b: every building once per height" "$want" "$got"

NAMED="PREFIX x: <$X/>
SELECT ?g ?d (COUNT(?b) AS ?n)
WHERE { GRAPH ?g { ?b x:inDistrict ?d ; x:listed ?l } } GROUP BY ?g ?d ORDER BY ?g ?d"
compare "GRAPH ?g" "$NAMED" no

compare "the strict default graph" "$PAIR" no --strict-default-graph

FROM="PREFIX x: <$X/>
SELECT ?d (COUNT(?b) AS ?n) FROM <$X/g1> FROM <$X/g2>
WHERE { ?b x:inDistrict ?d ; x:height ?h } GROUP BY ?d ORDER BY ?d"
compare "FROM two graphs" "$FROM" no

"$CITYKG" graph access --data "$T/store" "$X/g1" public >/dev/null
"$CITYKG" graph access --data "$T/store" "$X/g2" public >/dev/null
compare "a restricted caller" "$PAIR" no --as-anonymous

finish
