#!/usr/bin/env bash
# cli-contract — the command-line contract of citykg load / dump / stats /
# check / import, run against the real binary, real LMDB stores in a temp dir
# and the real DCAT-AP.de reference files.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DATA_DIR=${CITYKG_TEST_DATA:?CITYKG_TEST_DATA must name the test data directory (tests/fixtures)}
TTL="$DATA_DIR/dcat-ap-de/dcat_ap_de-RefImp_TTL_ADVANCED.ttl"
RDF="$DATA_DIR/dcat-ap-de/dcat_ap_de-RefImp_RDF_ADVANCED.rdf"
for f in "$TTL" "$RDF"; do
    [ -r "$f" ] || { echo "FAIL: missing test input $f" >&2; exit 1; }
done

# ---------------------------------------------------------------- help
echo "== --help"
run "$CITYKG" --help
expect_eq "citykg --help exits 0" 0 "$RC"
for cmd in load dump stats check import; do
    run "$CITYKG" "$cmd" --help
    expect_eq "citykg $cmd --help exits 0" 0 "$RC"
    if grep -q "^usage: citykg $cmd" "$T/out"; then
        pass "citykg $cmd --help prints its usage on stdout"
    else
        fail "citykg $cmd --help: no 'usage: citykg $cmd' line on stdout: $(head -c 300 "$T/out")"
    fi
done

# ---------------------------------------------------------------- unknown command / option
echo "== unknown commands and options"
run "$CITYKG" frobnicate
expect_one_error_line "unknown command"
run "$CITYKG" load --frobnicate x.ttl
expect_one_error_line "unknown long option for load"
run "$CITYKG" dump --data "$T/nowhere" -z
expect_one_error_line "unknown short option for dump"
run "$CITYKG" stats --graph http://ex.org/g
expect_one_error_line "option not accepted by stats"
run "$CITYKG" check --format turtle
expect_one_error_line "option not accepted by check"
run "$CITYKG" import --bogus=1
expect_one_error_line "unknown option for import"
run "$CITYKG" load --data
expect_one_error_line "option without its value"
run "$CITYKG" dump --data "$T/nowhere"
expect_one_error_line "dump of a store that does not exist"
run "$CITYKG" dump --data "$T/nowhere" --format bogus
expect_one_error_line "dump with an unknown format"

# ---------------------------------------------------------------- missing file
echo "== load of a missing file"
run "$CITYKG" load --data "$T/s-missing" "$T/does-not-exist.ttl"
expect_one_error_line "load of a missing file"
if grep -q 'does-not-exist.ttl' "$T/err"; then pass "message names the missing file"; else
    fail "message does not name the missing file: $(cat "$T/err")"; fi

# ---------------------------------------------------------------- syntax errors
echo "== syntax errors: file:line:column, nothing stored"
cat >"$T/bad.ttl" <<'EOF'
@prefix ex: <http://ex.org/> .
ex:a ex:p ex:b .
ex:c ex:p "fine" ;
     ex:q "also fine"@en .
ex:d ex:p ex:e ex:f .
ex:g ex:p ex:h .
EOF
run "$CITYKG" load --data "$T/s-bad" "$T/bad.ttl"
expect_one_error_line "Turtle syntax error"
if grep -q "bad.ttl:5:" "$T/err"; then pass "Turtle error names line 5"; else
    fail "Turtle error does not name line 5 as 'bad.ttl:5:': $(cat "$T/err")"; fi
# raptor's Turtle parser reports no column (docs/conformance.md, "Error
# positions"): file:line: is the contract there; N-Triples below has columns.
if grep -Eq "bad.ttl:5:([0-9]+:)? " "$T/err"; then pass "Turtle error has file:line:"; else
    fail "Turtle error is not 'bad.ttl:5: ...': $(cat "$T/err")"; fi
expect_quads "store after a failed Turtle load" "$T/s-bad" 0
expect_check_ok "store after a failed Turtle load" "$T/s-bad"

cat >"$T/bad.nt" <<'EOF'
<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .
<http://ex.org/a> <http://ex.org/p> "two" .
<http://ex.org/a> <http://ex.org/p> <http://ex.org/c> <http://ex.org/d> <http://ex.org/e> .
<http://ex.org/a> <http://ex.org/p> "four" .
EOF
run "$CITYKG" load --data "$T/s-bad" "$T/bad.nt"
expect_one_error_line "N-Triples syntax error"
if grep -Eq "bad.nt:3:[0-9]+: " "$T/err"; then pass "N-Triples error is bad.nt:3:COL:"; else
    fail "N-Triples error is not 'bad.nt:3:COL: ...': $(cat "$T/err")"; fi
expect_quads "store after a failed N-Triples load" "$T/s-bad" 0

cat >"$T/bad.trig" <<'EOF'
@prefix ex: <http://ex.org/> .
ex:a ex:p ex:b .
ex:g {
  ex:a ex:p ex:c .
  ex:x ex:y
}
EOF
run "$CITYKG" load --data "$T/s-bad" "$T/bad.trig"
expect_one_error_line "TriG syntax error"
if grep -Eq "bad.trig:(5|6):" "$T/err"; then pass "TriG error names line 5 or 6"; else
    fail "TriG error does not name line 5/6: $(cat "$T/err")"; fi
expect_quads "store after a failed TriG load" "$T/s-bad" 0

cat >"$T/bad.rdf" <<'EOF'
<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
  <rdf:Description rdf:about="http://ex.org/a"><ex:p>one</ex:p></rdf:Description>
  <rdf:Description rdf:about="http://ex.org/b"><ex:p>two</ex:q></rdf:Description>
</rdf:RDF>
EOF
run "$CITYKG" load --data "$T/s-bad" "$T/bad.rdf"
expect_one_error_line "RDF/XML syntax error"
if grep -q "bad.rdf:4:" "$T/err"; then pass "RDF/XML error names line 4"; else
    fail "RDF/XML error does not name line 4: $(cat "$T/err")"; fi
expect_quads "store after a failed RDF/XML load" "$T/s-bad" 0

# a file large enough to be parsed in parallel line ranges: the line number
# must still be the file's own
awk 'BEGIN { for (i = 1; i <= 400000; i++) {
    if (i == 300001) print "<http://ex.org/s" i "> <http://ex.org/p> <http://ex.org/o> <http://ex.org/g> <http://ex.org/extra> .";
    else printf "<http://ex.org/s%d> <http://ex.org/p%d> \"value %d\"@de .\n", i, i % 7, i } }' >"$T/bigbad.nt"
# --quiet: on a busy machine this load passes the 1 s after which progress
# lines (not errors) go to stderr too
run "$CITYKG" load --quiet --data "$T/s-bad" "$T/bigbad.nt"
expect_one_error_line "syntax error deep in a large N-Triples file"
if grep -Eq "bigbad.nt:300001:[0-9]+: " "$T/err"; then pass "large file error is bigbad.nt:300001:COL:"; else
    fail "large file error is not at bigbad.nt:300001:COL: $(cat "$T/err")"; fi
expect_quads "store after the failed large load" "$T/s-bad" 0
expect_check_ok "store after the failed large load" "$T/s-bad"
rm -f "$T/bigbad.nt"

# ---------------------------------------------------------------- atomicity across files
echo "== atomicity across the files of one load"
run "$CITYKG" load --data "$T/s-atomic" "$TTL" "$T/bad.ttl"
expect_one_error_line "good Turtle file then bad one"
grep -q "bad.ttl:5:" "$T/err" && pass "error names the second file's line" ||
    fail "error does not name bad.ttl:5: $(cat "$T/err")"
expect_quads "store after good+bad load" "$T/s-atomic" 0
expect_check_ok "store after good+bad load" "$T/s-atomic"

run "$CITYKG" load --data "$T/s-atomic" --graph http://ex.org/g "$RDF" "$T/bad.nt"
expect_one_error_line "good RDF/XML file then bad N-Triples file"
expect_quads "store after RDF/XML+bad load" "$T/s-atomic" 0

# with data already committed: a failed load leaves it exactly as it was
run "$CITYKG" load --quiet --data "$T/s-atomic" "$RDF"
expect_eq "load of the RDF/XML reference file" 0 "$RC"
expect_quads "store with the RDF/XML file" "$T/s-atomic" 119
"$CITYKG" dump --data "$T/s-atomic" | LC_ALL=C sort >"$T/atomic-before.nq"
run "$CITYKG" load --data "$T/s-atomic" "$TTL" "$T/bad.ttl"
expect_one_error_line "good+bad load into a non-empty store"
"$CITYKG" dump --data "$T/s-atomic" | LC_ALL=C sort >"$T/atomic-after.nq"
if cmp -s "$T/atomic-before.nq" "$T/atomic-after.nq"; then
    pass "failed load left the committed dump unchanged"
else
    fail "failed load changed the store: $(diff "$T/atomic-before.nq" "$T/atomic-after.nq" | head -5)"
fi
expect_check_ok "non-empty store after a failed load" "$T/s-atomic"

# ---------------------------------------------------------------- real files, one format each
echo "== real inputs: Turtle and RDF/XML"
run "$CITYKG" load --data "$T/s-ttl" "$TTL"
expect_eq "load of the Turtle reference file exits 0" 0 "$RC"
grep -q "loaded 119 quads (119 new)" "$T/err" && pass "load reports 119 quads" ||
    fail "load summary is not 'loaded 119 quads (119 new)': $(cat "$T/err")"
expect_quads "Turtle reference file" "$T/s-ttl" 119
expect_check_ok "Turtle reference file" "$T/s-ttl"
"$CITYKG" dump --data "$T/s-ttl" --format ntriples >"$T/ttl-dump.nt"
expect_iso "Turtle reference file vs its dump" "$TTL" "$T/ttl-dump.nt"

run "$CITYKG" load --data "$T/s-rdf" --graph http://ex.org/catalog "$RDF"
expect_eq "load of the RDF/XML reference file into a graph exits 0" 0 "$RC"
expect_quads "RDF/XML reference file" "$T/s-rdf" 119
expect_check_ok "RDF/XML reference file" "$T/s-rdf"
"$CITYKG" dump --data "$T/s-rdf" --graph http://ex.org/catalog --format ntriples >"$T/rdf-dump.nt"
expect_iso "RDF/XML reference file vs its graph's dump" "$RDF" "$T/rdf-dump.nt"

# ---------------------------------------------------------------- --graph
echo "== --graph"
cat >"$T/only.nt" <<'EOF'
<http://ex.org/only-in-g> <http://ex.org/p> "only in g" .
<http://ex.org/only-in-g> <http://ex.org/q> <http://ex.org/x> .
EOF
cat >"$T/mixed.trig" <<'EOF'
@prefix ex: <http://ex.org/> .
ex:from-default ex:p "default triple of a TriG file" .
ex:named { ex:from-named ex:p "stays in ex:named" . }
EOF
run "$CITYKG" load --quiet --data "$T/s-graph" "$TTL"
run "$CITYKG" load --quiet --data "$T/s-graph" --graph http://ex.org/g "$T/only.nt" "$T/mixed.trig"
expect_eq "load --graph exits 0" 0 "$RC"
expect_quads "store with --graph loads" "$T/s-graph" 123
expect_check_ok "store with --graph loads" "$T/s-graph"
"$CITYKG" dump --data "$T/s-graph" --graph http://ex.org/g --format ntriples >"$T/g.nt"
"$CITYKG" dump --data "$T/s-graph" --graph default --format ntriples >"$T/default.nt"
"$CITYKG" dump --data "$T/s-graph" --graph http://ex.org/named --format ntriples >"$T/named.nt"
"$CITYKG" dump --data "$T/s-graph" >"$T/graph-all.nq"
expect_eq "dump --graph IRI has the triples loaded with --graph" 3 "$(wc -l <"$T/g.nt")"
grep -qF '<http://ex.org/only-in-g> <http://ex.org/p> "only in g" .' "$T/g.nt" &&
    pass "dump --graph IRI shows the triple" || fail "dump --graph IRI lacks the triple: $(cat "$T/g.nt")"
grep -qF '<http://ex.org/from-default>' "$T/g.nt" &&
    pass "the TriG file's default-graph triple went to --graph" ||
    fail "the TriG file's default-graph triple is not in --graph: $(cat "$T/g.nt")"
expect_eq "dump --graph default has only the Turtle file" 119 "$(wc -l <"$T/default.nt")"
grep -q 'only-in-g\|from-default\|from-named' "$T/default.nt" &&
    fail "dump --graph default shows triples of named graphs" ||
    pass "dump --graph default does not show the --graph triples"
expect_eq "the TriG file's named graph kept its name" 1 "$(grep -c 'from-named' "$T/named.nt" || true)"
expect_eq "N-Quads dump carries the graph" 3 "$(grep -c '<http://ex.org/g> \.$' "$T/graph-all.nq" || true)"
run "$CITYKG" dump --data "$T/s-graph" --graph http://ex.org/no-such-graph
expect_eq "dump of an unknown graph exits 0" 0 "$RC"
expect_eq "dump of an unknown graph is empty" 0 "$(wc -c <"$T/out")"
run "$CITYKG" load --data "$T/s-graph" --graph not-an-iri "$T/only.nt"
expect_one_error_line "load --graph with a relative IRI"
expect_quads "store after the refused --graph" "$T/s-graph" 123

# ---------------------------------------------------------------- N-Quads round trip
echo "== load -> dump -> load -> dump"
cat >"$T/crafted.trig" <<'EOF'
@prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:city ex:name "Regensburg"@de, "Ratisbon"@en, "Regensburg"@de-DE, "Regensburg" ;
    ex:population 153094 ; ex:negative -5 ; ex:explicitPlus "+5"^^xsd:integer ;
    ex:padded "007"^^xsd:integer ; ex:huge 123456789012345678901234567890 ;
    ex:limit60 576460752303423487 ; ex:over60 576460752303423488 ;
    ex:area "80.76"^^xsd:decimal ; ex:ratio 1.5e3 ; ex:flag true ; ex:numflag "1"^^xsd:boolean ;
    ex:founded "0179"^^xsd:gYear ; ex:short "abcdefg" ; ex:eight "abcdefgh" ; ex:empty "" ;
    ex:typedString "typed"^^xsd:string ; ex:umlaut "Brücke" ; ex:astral "\U0001F309" ;
    ex:escapes "line\nbreak \"quoted\" back\\slash\ttab" ;
    ex:custom "x"^^<http://ex.org/datatype> .
ex:g1 {
    ex:bridge ex:label "Steinerne Brücke"@de ;
        ex:spans [ ex:river ex:Donau ; ex:length "336"^^xsd:integer ] .
    _:loop ex:next _:loop .
    ex:city ex:population 153094 .
}
ex:g2 {
    ex:city ex:part _:d1 .
    _:d1 ex:name "Altstadt" ; ex:code "007"^^xsd:integer ; ex:partOf _:d2 .
    _:d2 ex:partOf _:d1 .
}
EOF
run "$CITYKG" load --data "$T/s1" "$TTL"
run "$CITYKG" load --data "$T/s1" --graph http://ex.org/catalog "$RDF"
expect_check_ok "s1 after two loads" "$T/s1"
run "$CITYKG" load --data "$T/s1" "$T/crafted.trig"
expect_eq "load of the crafted TriG file exits 0" 0 "$RC"
expect_check_ok "s1 after three loads" "$T/s1"
n1=$(quads_of "$T/s1")
expect_eq "s1 holds 119 + 119 + 35 quads" 273 "$n1"
"$CITYKG" dump --data "$T/s1" >"$T/d1.nq"
expect_eq "dump has one line per quad" "$n1" "$(wc -l <"$T/d1.nq")"
run "$CITYKG" load --data "$T/s2" "$T/d1.nq"
expect_eq "reload of the N-Quads dump exits 0" 0 "$RC"
expect_check_ok "s2 (reloaded dump)" "$T/s2"
expect_quads "s2 (reloaded dump)" "$T/s2" "$n1"
"$CITYKG" dump --data "$T/s2" >"$T/d2.nq"
expect_eq "both dumps have the same number of lines" "$(wc -l <"$T/d1.nq")" "$(wc -l <"$T/d2.nq")"
if cmp -s <(ground_lines "$T/d1.nq") <(ground_lines "$T/d2.nq"); then
    pass "both dumps have the same sorted lines without blank nodes"
else
    fail "dumps differ in ground lines: $(diff <(ground_lines "$T/d1.nq") <(ground_lines "$T/d2.nq") | head -6)"
fi
expect_eq "both dumps have as many lines with blank nodes" \
    "$(blank_line_count "$T/d1.nq")" "$(blank_line_count "$T/d2.nq")"
expect_iso "dump of s1 vs dump of s2" "$T/d1.nq" "$T/d2.nq"
run "$CITYKG" load --data "$T/s-crafted" "$T/crafted.trig"
"$CITYKG" dump --data "$T/s-crafted" >"$T/crafted.nq"
expect_iso "crafted TriG file vs its dump" "$T/crafted.trig" "$T/crafted.nq"
# every literal of the crafted file comes back with its exact lexical form
for lex in '"007"^^<http://www.w3.org/2001/XMLSchema#integer>' '"+5"^^<http://www.w3.org/2001/XMLSchema#integer>' \
    '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>' '"0179"^^<http://www.w3.org/2001/XMLSchema#gYear>' \
    '"576460752303423488"^^<http://www.w3.org/2001/XMLSchema#integer>' '"-5"^^<http://www.w3.org/2001/XMLSchema#integer>' \
    '"123456789012345678901234567890"^^<http://www.w3.org/2001/XMLSchema#integer>'; do
    grep -qF -- "$lex" "$T/d2.nq" && pass "lexical form $lex survives" || fail "lexical form $lex lost in dump/reload"
done

# ---------------------------------------------------------------- Turtle / N-Triples need one graph
echo "== dump --format turtle / ntriples"
for fmt in turtle ntriples; do
    run "$CITYKG" dump --data "$T/s1" --format "$fmt"
    expect_one_error_line "dump --format $fmt with named graphs"
    expect_eq "dump --format $fmt with named graphs writes nothing" 0 "$(wc -c <"$T/out")"
done
run "$CITYKG" dump --data "$T/s1" --format turtle --graph http://ex.org/g2
expect_eq "dump --format turtle --graph IRI exits 0" 0 "$RC"
cp "$T/out" "$T/g2.ttl"
"$CITYKG" dump --data "$T/s1" --format ntriples --graph http://ex.org/g2 >"$T/g2.nt"
run "$CITYKG" load --data "$T/s-g2" "$T/g2.ttl"
expect_eq "the Turtle dump of one graph loads back" 0 "$RC"
expect_quads "the Turtle dump of one graph" "$T/s-g2" "$(wc -l <"$T/g2.nt")"
expect_iso "Turtle dump vs N-Triples dump of the same graph" "$T/g2.nt" "$T/g2.ttl"
run "$CITYKG" dump --data "$T/s-ttl" --format turtle
expect_eq "dump --format turtle of a store without named graphs exits 0" 0 "$RC"
cp "$T/out" "$T/ttl-dump.ttl"
run "$CITYKG" load --data "$T/s-ttl2" "$T/ttl-dump.ttl"
expect_eq "the Turtle dump of the reference file loads back" 0 "$RC"
expect_quads "the Turtle dump of the reference file" "$T/s-ttl2" 119
"$CITYKG" dump --data "$T/s-ttl2" --format ntriples >"$T/ttl-dump2.nt"
expect_iso "reference file: Turtle dump reloaded vs N-Triples dump" "$T/ttl-dump.nt" "$T/ttl-dump2.nt"

# one RDF term, whichever syntax it was read from, is one term
printf '@prefix ex: <http://ex.org/> .\nex:s ex:label "Stadt"@de-DE .\n' >"$T/lang.ttl"
printf '<http://ex.org/s> <http://ex.org/label> "Stadt"@de-DE .\n' >"$T/lang.nt"
run "$CITYKG" load --quiet --data "$T/s-lang" "$T/lang.ttl" "$T/lang.nt"
expect_quads "the same triple read from Turtle and from N-Triples" "$T/s-lang" 1

# ---------------------------------------------------------------- TriG round trip
echo "== dump --format trig"
"$CITYKG" dump --data "$T/s1" --format trig >"$T/d1.trig"
run "$CITYKG" load --data "$T/s3" "$T/d1.trig"
expect_eq "the TriG dump loads back" 0 "$RC"
[ "$RC" -eq 0 ] || echo "   $(cat "$T/err")"
expect_quads "the TriG dump" "$T/s3" "$n1"
expect_check_ok "s3 (reloaded TriG dump)" "$T/s3"
"$CITYKG" dump --data "$T/s3" >"$T/d3.nq"
expect_iso "dump of s1 vs dump of the TriG reload" "$T/d1.nq" "$T/d3.nq"

# a blank node used in the default graph and in a named graph is one node
cat >"$T/shared-blank.trig" <<'EOF'
@prefix ex: <http://ex.org/> .
ex:s ex:p _:x .
_:x ex:q "v" .
ex:g { _:x ex:r "z" . }
EOF
run "$CITYKG" load --data "$T/s-shared" "$T/shared-blank.trig"
"$CITYKG" dump --data "$T/s-shared" >"$T/shared1.nq"
"$CITYKG" dump --data "$T/s-shared" --format trig >"$T/shared.trig"
run "$CITYKG" load --data "$T/s-shared2" "$T/shared.trig"
expect_eq "TriG dump with a blank node shared across graphs loads back" 0 "$RC"
"$CITYKG" dump --data "$T/s-shared2" >"$T/shared2.nq"
expect_iso "TriG round trip keeps a blank node shared by two graphs" "$T/shared1.nq" "$T/shared2.nq"

# ---------------------------------------------------------------- gzip, stdin
echo "== gzip input and stdin"
gzip -c "$T/ttl-dump.nt" >"$T/cat.nt.gz"
run "$CITYKG" load --data "$T/s-gz" "$T/cat.nt.gz"
expect_eq "load of .nt.gz exits 0" 0 "$RC"
expect_quads ".nt.gz" "$T/s-gz" 119
expect_check_ok ".nt.gz" "$T/s-gz"
"$CITYKG" dump --data "$T/s-gz" --format ntriples >"$T/gz-dump.nt"
expect_iso ".nt.gz load vs plain N-Triples" "$T/ttl-dump.nt" "$T/gz-dump.nt"
gzip -c "$TTL" >"$T/catalog.ttl.gz"
run "$CITYKG" load --data "$T/s-gz2" "$T/catalog.ttl.gz"
expect_eq "load of .ttl.gz exits 0" 0 "$RC"
expect_quads ".ttl.gz" "$T/s-gz2" 119
gzip -c "$T/bad.nt" >"$T/bad.nt.gz"
run "$CITYKG" load --data "$T/s-gz3" "$T/bad.nt.gz"
expect_one_error_line "syntax error in a .nt.gz file"
grep -Eq "bad.nt.gz:3:[0-9]+: " "$T/err" && pass "gzip error is bad.nt.gz:3:COL:" ||
    fail "gzip error is not at bad.nt.gz:3:COL: $(cat "$T/err")"

set +e
"$CITYKG" load --data "$T/s-stdin" --format ntriples - <"$T/ttl-dump.nt" >"$T/out" 2>"$T/err"
RC=$?
set -e
expect_eq "load --format ntriples - exits 0" 0 "$RC"
expect_quads "stdin" "$T/s-stdin" 119
expect_check_ok "stdin" "$T/s-stdin"
"$CITYKG" dump --data "$T/s-stdin" --format ntriples >"$T/stdin-dump.nt"
expect_iso "stdin load vs file load" "$T/ttl-dump.nt" "$T/stdin-dump.nt"
set +e
cat "$T/bad.nt" | "$CITYKG" load --data "$T/s-stdin" --format ntriples - >"$T/out" 2>"$T/err"
RC=$?
set -e
expect_one_error_line "syntax error on stdin"
grep -Eq "<stdin>:3:[0-9]+: " "$T/err" && pass "stdin error is <stdin>:3:COL:" ||
    fail "stdin error is not at <stdin>:3:COL: $(cat "$T/err")"
expect_quads "stdin store after a failed stdin load" "$T/s-stdin" 119

# ---------------------------------------------------------------- default --data
echo "== --data defaults to ./citykg-data"
mkdir "$T/cwd"
pushd "$T/cwd" >/dev/null
run "$CITYKG" load --quiet "$TTL"
expect_eq "load without --data exits 0" 0 "$RC"
[ -f citykg-data/data.mdb ] && pass "store created in ./citykg-data" ||
    fail "no ./citykg-data/data.mdb after load without --data: $(ls -la)"
expect_eq "stats without --data" "quads: 119" "$("$CITYKG" stats | head -n1)"
expect_eq "check without --data" "ok" "$("$CITYKG" check --quiet)"
expect_eq "dump without --data" 119 "$("$CITYKG" dump | wc -l)"
popd >/dev/null
expect_quads "./citykg-data seen from outside" "$T/cwd/citykg-data" 119

finish
