#!/usr/bin/env bash
# redland-import — `citykg import --from-redland` on real Redland storages
# (sqlite, and the built-in hashes with Berkeley DB) made with rdfproc:
# every statement arrives, contexts become named graphs, statements without
# a context land in the default graph, literals keep language and datatype,
# blank nodes keep their identity; failures commit nothing.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v rdfproc >/dev/null || { echo "FAIL: rdfproc (redland-utils) is not installed" >&2; exit 1; }
command -v rapper >/dev/null || { echo "FAIL: rapper (raptor2-utils) is not installed" >&2; exit 1; }

DATA_DIR=${CITYKG_TEST_DATA:?CITYKG_TEST_DATA must name the test data directory (tests/fixtures)}
TTL="$DATA_DIR/dcat-ap-de/dcat_ap_de-RefImp_TTL_ADVANCED.ttl"
RDF="$DATA_DIR/dcat-ap-de/dcat_ap_de-RefImp_RDF_ADVANCED.rdf"
for f in "$TTL" "$RDF"; do
    [ -r "$f" ] || { echo "FAIL: missing test input $f" >&2; exit 1; }
done

EX=http://redland.example
XSD=http://www.w3.org/2001/XMLSchema#
RDF_BASE="$EX/base/"
cat >"$T/extra.ttl" <<'EOF'
@prefix ex: <http://redland.example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:bridge ex:label "Steinerne Brücke"@de, "Stone Bridge"@en-GB, "Steinerne Brücke" ;
    ex:length "336"^^xsd:integer ; ex:built "1146"^^xsd:gYear ; ex:width "7.5"^^xsd:decimal ;
    ex:open true ; ex:padded "0042"^^xsd:integer ; ex:empty "" ;
    ex:note "two\nlines and \"quotes\"" ;
    ex:geometry [ ex:wkt "LINESTRING(12.097 49.022, 12.098 49.025)"^^<http://www.opengis.net/ont/geosparql#wktLiteral> ] .
_:a ex:knows _:b .
_:b ex:knows _:a .
EOF

# ------------------------------------------------------------------ expected dataset
# Built from the sources with rapper, independent of librdf and citykg; blank
# node labels made distinct per source document.
{
    rapper -q -i turtle -o ntriples "$TTL" | sed 's/_:/_:ttl/g'
    rapper -q -i rdfxml -o ntriples "$RDF" "$RDF_BASE" | sed "s/_:/_:rdf/g; s| \\.\$| <$EX/ctx/catalog> .|"
    rapper -q -i turtle -o ntriples "$T/extra.ttl" | sed "s/_:/_:extra/g; s| \\.\$| <$EX/ctx/extra> .|"
    echo "<$EX/s1> <$EX/p> \"added with a context\" <$EX/ctx/added> ."
    echo "_:r1 <$EX/p> \"blank subject, with a context\" <$EX/ctx/added> ."
    echo "<$EX/s2> <$EX/p> <$EX/o2> ."
    echo "<$EX/s3> <$EX/p> \"42\"^^<${XSD}int> ."
    echo "_:r1 <$EX/q> \"the same blank node, no context\" ."
} >"$T/expected.nq"
EXPECTED=$(wc -l <"$T/expected.nq")
EXPECTED_DEFAULT=$(awk '{ if ($0 ~ /<http:\/\/redland.example\/ctx\/[a-z]+> \.$/) n++ } END { print NR - n }' "$T/expected.nq")
echo "expected: $EXPECTED statements, $EXPECTED_DEFAULT without a context"

# fill_storage NAME STORAGE OPTIONS_NEW OPTIONS: the same statements, in the
# same order, in any storage: context-free ones before and after ones with
# a context.
fill_storage() {
    local name=$1 storage=$2 opts_new=$3 opts=$4
    local P=(rdfproc -q -s "$storage" -t "$opts")
    rdfproc -q -n -s "$storage" -t "$opts_new" "$name" parse "$TTL" turtle
    "${P[@]}" "$name" parse "$RDF" rdfxml "$RDF_BASE" "$EX/ctx/catalog"
    "${P[@]}" "$name" parse "$T/extra.ttl" turtle "file://$T/extra.ttl" "$EX/ctx/extra"
    "${P[@]}" "$name" add "$EX/s1" "$EX/p" "added with a context" "$EX/ctx/added"
    "${P[@]}" "$name" add _:r1 "$EX/p" "blank subject, with a context" "$EX/ctx/added"
    "${P[@]}" "$name" add "$EX/s2" "$EX/p" "$EX/o2"
    # (rdfproc's add-typed takes the language as context when one is given,
    # so typed literals only: language tags come through parse above)
    "${P[@]}" "$name" add-typed "$EX/s3" "$EX/p" 42 "" "${XSD}int"
    "${P[@]}" "$name" add _:r1 "$EX/q" "the same blank node, no context"
}

# expect_imported WHAT DATA: the store holds exactly the expected dataset.
expect_imported() {
    local what=$1 data=$2
    expect_check_ok "$what" "$data"
    expect_quads "$what" "$data" "$EXPECTED"
    "$CITYKG" dump --data "$data" >"$T/got.nq"
    expect_iso "$what: dump vs the source statements" "$T/expected.nq" "$T/got.nq"
    expect_eq "$what: default graph (statements without context)" "$EXPECTED_DEFAULT" \
        "$("$CITYKG" dump --data "$data" --graph default | wc -l)"
    local g want
    for g in catalog extra added; do
        want=$(grep -c "<$EX/ctx/$g> \\.\$" "$T/expected.nq" || true)
        expect_eq "$what: graph ctx/$g" "$want" \
            "$("$CITYKG" dump --data "$data" --graph "$EX/ctx/$g" | wc -l)"
    done
    # the literals that carry language and datatype
    # (raptor's N-Quads writer escapes non-ASCII characters as \uXXXX)
    # language tags compare case-insensitively (RDF 1.1); citykg stores lower case
    if grep -qiF -- '"Stone Bridge"@en-GB' "$T/got.nq"; then pass "$what: literal \"Stone Bridge\"@en-GB"
    else fail "$what: literal \"Stone Bridge\"@en-GB missing"; fi
    for lex in '"Steinerne Br\u00FCcke"@de' "\"0042\"^^<${XSD}integer>" \
        "\"1146\"^^<${XSD}gYear>" "\"42\"^^<${XSD}int>" "\"7.5\"^^<${XSD}decimal>"; do
        grep -qF -- "$lex" "$T/got.nq" && pass "$what: literal $lex" || fail "$what: literal $lex missing"
    done
    # one blank node in a named graph and in the default graph
    local b
    b=$(grep -F '"blank subject, with a context"' "$T/got.nq" | cut -d' ' -f1)
    if [ -n "$b" ] && grep -qF "$b <$EX/q> \"the same blank node, no context\" ." "$T/got.nq"; then
        pass "$what: a blank node used with and without a context is one node"
    else
        fail "$what: blank node _:r1 is not one node with its context-free statement in the default graph: $(grep -F 'blank node' "$T/got.nq" | tr '\n' ' ')"
    fi
}

# ------------------------------------------------------------------ sqlite
echo "== sqlite storage"
DB="$T/redland.sqlite"
fill_storage "$DB" sqlite "new='yes'" "new='no'"
size=$(rdfproc -q -s sqlite -t "new='no'" "$DB" size 2>&1 | sed -n 's/.*graph has \([0-9]*\) triples.*/\1/p')
expect_eq "rdfproc size of the sqlite storage" "$EXPECTED" "$size"
if command -v sqlite3 >/dev/null; then
    expect_eq "sqlite rows without a context" "$EXPECTED_DEFAULT" \
        "$(sqlite3 "$DB" 'SELECT count(*) FROM triples WHERE contextUri IS NULL')"
fi
sum_before=$(md5sum <"$DB")
run "$CITYKG" import --data "$T/s-sqlite" --from-redland sqlite "new='no'" "$DB"
expect_eq "import from sqlite exits 0" 0 "$RC"
grep -q "imported $EXPECTED statements ($EXPECTED new quads)" "$T/err" &&
    pass "import reports $EXPECTED statements" ||
    fail "import summary is not 'imported $EXPECTED statements ($EXPECTED new quads)': $(cat "$T/err")"
expect_imported "sqlite import" "$T/s-sqlite"
expect_eq "the sqlite storage is unchanged by the import" "$sum_before" "$(md5sum <"$DB")"

# ------------------------------------------------------------------ hashes (Berkeley DB)
echo "== hashes storage (bdb)"
mkdir "$T/hashes"
HOPTS="hash-type='bdb',dir='$T/hashes',contexts='yes'"
fill_storage city hashes "$HOPTS" "$HOPTS"
ls "$T/hashes"/city-*.db >/dev/null && pass "rdfproc wrote the bdb hash files" || fail "no bdb hash files"
size=$(rdfproc -q -s hashes -t "$HOPTS" city serialize nquads 2>/dev/null | grep -c '^[<_]' || true)
expect_eq "statements rdfproc serializes from the hashes storage" "$EXPECTED" "$size"
sum_before=$(cat "$T/hashes"/city-*.db | md5sum)
run "$CITYKG" import --data "$T/s-hashes" --from-redland hashes "$HOPTS" city
expect_eq "import from hashes exits 0" 0 "$RC"
grep -q "imported $EXPECTED statements ($EXPECTED new quads)" "$T/err" &&
    pass "import reports $EXPECTED statements" ||
    fail "import summary is not 'imported $EXPECTED statements ($EXPECTED new quads)': $(cat "$T/err")"
expect_imported "hashes import" "$T/s-hashes"
expect_eq "the hashes storage is unchanged by the import" "$sum_before" "$(cat "$T/hashes"/city-*.db | md5sum)"

run "$CITYKG" import --data "$T/s-hashes-name" --from-redland hashes --name city "$HOPTS"
expect_eq "import with --name exits 0" 0 "$RC"
expect_quads "import with --name" "$T/s-hashes-name" "$EXPECTED"

# ------------------------------------------------------------------ errors commit nothing
echo "== error paths"
# a store that already holds data: a failed import must leave it as it is
run "$CITYKG" load --quiet --data "$T/s-err" "$TTL"
"$CITYKG" dump --data "$T/s-err" | LC_ALL=C sort >"$T/err-before.nq"

expect_unchanged() {
    expect_quads "$1: store unchanged" "$T/s-err" 119
    if "$CITYKG" dump --data "$T/s-err" | LC_ALL=C sort | cmp -s - "$T/err-before.nq"; then
        pass "$1: dump unchanged"
    else
        fail "$1: the failed import changed the store"
    fi
    expect_check_ok "$1" "$T/s-err"
}

run "$CITYKG" import --data "$T/s-err" --from-redland sqlite "new='no'" "$T/no-such.sqlite"
expect_one_error_line "import of a sqlite storage that does not exist"
expect_unchanged "missing sqlite storage"

mkdir "$T/empty-dir"
run "$CITYKG" import --data "$T/s-err" --from-redland hashes "hash-type='bdb',dir='$T/empty-dir',contexts='yes'" nothere
expect_one_error_line "import of a hashes storage that does not exist (existing dir)"
expect_unchanged "missing hashes storage in an existing dir"
expect_eq "import of a missing hashes storage creates no files" "" "$(ls "$T/empty-dir")"

run "$CITYKG" import --data "$T/s-err" --from-redland hashes "hash-type='bdb',dir='$T/no-dir',contexts='yes'" nothere
expect_one_error_line "import of a hashes storage in a missing directory"
expect_unchanged "hashes storage in a missing directory"

run "$CITYKG" import --data "$T/s-err" --from-redland no-such-factory "" x
expect_one_error_line "import from an unknown storage type"
expect_unchanged "unknown storage type"

run "$CITYKG" import --data "$T/s-err" --from-redland sqlite "new='no'"
expect_one_error_line "import without a storage name"
expect_unchanged "import without a storage name"

finish
