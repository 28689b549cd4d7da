#!/usr/bin/env bash
# query_merge_join.sh — a GROUP BY over a join of two whole predicates is
# planned as a merge join (plan.c merge_worth: at least 20000 rows) and
# gives the counts that awk computes from the generated data itself.
# The data has what a merge must get right: subjects without the second
# triple, subjects with two values of it, the same triple in two graphs
# (one solution in the union default graph), and subjects whose ids are
# not in load order. The star join over psog would take the place of the
# merge join here (query_psog_star.sh tests it): it is switched off.
. "$(dirname "$0")/lib.sh"
export CITYKG_PSOG_MERGE=off

N=30000
awk -v n=$N 'BEGIN {
    for (i = 0; i < n; i++) {
        b = (i * 7919) % n   # subjects written out of order
        printf "<https://x.example/b/%d> <https://x.example/listed> \"%s\"^^<http://www.w3.org/2001/XMLSchema#boolean> <https://x.example/g1> .\n", b, (b % 3 == 0 ? "true" : "false")
        if (b % 10 != 0)     # every tenth has no district
            printf "<https://x.example/b/%d> <https://x.example/inDistrict> <https://x.example/d/%d> <https://x.example/g1> .\n", b, b % 12
        if (b % 97 == 0)     # some have a second district
            printf "<https://x.example/b/%d> <https://x.example/inDistrict> <https://x.example/d/%d> <https://x.example/g1> .\n", b, (b + 1) % 12
        if (b % 5 == 1)      # some repeat their district in a second graph
            printf "<https://x.example/b/%d> <https://x.example/inDistrict> <https://x.example/d/%d> <https://x.example/g2> .\n", b, b % 12
    }
}' >"$T/data.nq"
"$CITYKG" load -q --data "$T/store" "$T/data.nq"

# expected: per district, solutions (building, district) and listed ones
awk '$2 == "<https://x.example/inDistrict>" { pair[$1 " " $3] = 1 }
     $2 == "<https://x.example/listed>" { listed[$1] = ($3 ~ /true/) }
     END { for (p in pair) { split(p, a, " "); n[a[2]]++; l[a[2]] += listed[a[1]] }
           for (d in n) print d, n[d], l[d] }' "$T/data.nq" | LC_ALL=C sort >"$T/expected"

Q='SELECT ?d (COUNT(?b) AS ?n) (SUM(IF(?l, 1, 0)) AS ?listed)
WHERE { ?b <https://x.example/listed> ?l ; <https://x.example/inDistrict> ?d }
GROUP BY ?d ORDER BY ?d'
run "$CITYKG" query --data "$T/store" --explain --format tsv "$Q"
if grep -q 'merge join' "$T/err"; then pass "planned as a merge join"
else fail "no merge join: $(sed -n '/^plan/,$p' "$T/err")"; fi
tail -n +2 "$T/out" | sed -E 's/"([0-9]+)"\^\^<[^>]*>/\1/g' | tr '\t' ' ' | LC_ALL=C sort >"$T/got"
expect_eq "12 districts" 12 "$(wc -l <"$T/got")"
expect_eq "counts per district as awk counts them" "$(cat "$T/expected")" "$(cat "$T/got")"

finish
