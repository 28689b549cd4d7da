#!/usr/bin/env bash
# web_ui.sh — the web UI in headless Chromium against the real server on the
# demo twin (tests/integration/web_ui.mjs drives the page): an anonymous
# visitor runs an example query and sees only the public graph; a steward
# sees every graph and edits one in the Turtle editor, where a syntax error
# is refused with its line and a valid text is saved — checked here through
# SPARQL afterwards. Also: the page and its scripts come from the binary.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] || { echo "FAIL: chromium is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

D="$T/demo"
G=https://regensburg.example/graph
for f in buildings parking catalog; do
    "$CITYKG" load -q --data "$D" --graph "$G/$f" "$CITYKG_DEMO/$f.ttl"
done
"$CITYKG" graph access --data "$D" "$G/parking" public >/dev/null
STEWARD=$("$CITYKG" token create --data "$D" --role steward 2>/dev/null)
start_server "$D"

# ---- the files: served from the binary, no other host named ------------------------
http GET /
expect_status "GET /" 200
expect_eq "the page is HTML" "text/html; charset=utf-8" "$(header content-type)"
expect_body_has "the page loads YASGUI from this server" 'src="/ui/yasgui.min.js"'
if grep -Eq '(src|href)="(https?:)?//' "$T/body"; then
    fail "the page loads something from another host: $(grep -Eo '(src|href)="[^"]*"' "$T/body")"
else
    pass "the page loads nothing from another host"
fi
http GET /ui/yasgui.min.js
expect_status "YASGUI script" 200
expect_eq "YASGUI without Accept-Encoding: plain" "" "$(header content-encoding)"
cp "$T/body" "$T/yasgui.plain"
http GET /ui/yasgui.min.js -H 'Accept-Encoding: gzip, deflate, br'
expect_eq "YASGUI gzip-compressed when accepted" "gzip" "$(header content-encoding)"
if gzip -dc "$T/body" | cmp -s - "$T/yasgui.plain"; then
    pass "gzip YASGUI decompresses to the plain one ($(wc -c <"$T/body") vs $(wc -c <"$T/yasgui.plain") bytes)"
else fail "gzip YASGUI differs from the plain one"; fi
expect_eq "gzip answer varies by Accept-Encoding" "Accept, Accept-Encoding" "$(header vary)"
http GET /ui/nothing.js
expect_status "unknown UI file" 404
http POST /
expect_status "POST / is not allowed" 405

# ---- /api/graphs and /api/validate over plain HTTP -----------------------------------
QUADS_BEFORE=$(quads_of "$D")
http GET /api/graphs
expect_status "anonymous graph list" 200
expect_body_has "anonymous: the public graph" "\"iri\":\"$G/parking\",\"access\":\"public\""
if grep -q "graph/buildings" "$T/body"; then fail "anonymous graph list names an internal graph"; else pass "anonymous graph list hides internal graphs"; fi
http POST /api/validate -H 'Content-Type: text/turtle' --data-binary '<a> <b> <c> .'
expect_status "anonymous may not validate" 401
printf '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c , ex:d .\n' >"$T/valid.ttl"
printf '@prefix ex: <http://ex.org/> .\n\nex:a ex:b .\n' >"$T/invalid.ttl"
http POST /api/validate -H "Authorization: Bearer $STEWARD" -H 'Content-Type: text/turtle' \
    --data-binary "@$T/valid.ttl"
expect_status "steward validates" 200
expect_body_has "valid Turtle: two triples" '{"valid":true,"triples":2}'
http POST /api/validate -H "Authorization: Bearer $STEWARD" -H 'Content-Type: text/turtle' \
    --data-binary "@$T/invalid.ttl"
expect_body_has "invalid Turtle: the line" '"line":3'
expect_quads "validation stored nothing" "$D" "$QUADS_BEFORE"

# ---- the page in Chromium ----------------------------------------------------------
NOTES=$G/notes
if node "$(dirname "$0")/web_ui.mjs" "$CHROMIUM" "${URL%/}" "$STEWARD" "$NOTES" >"$T/ui.out" 2>&1; then
    pass "web UI in headless Chromium: $(grep -c '^ok:' "$T/ui.out") checks"
else
    fail "web UI in headless Chromium: $(grep -v '^ok:' "$T/ui.out" | head -c 1500)"
fi
cat "$T/ui.out"

# What the steward saved is in the store, in its graph, and nothing else changed.
http POST /sparql -H "Authorization: Bearer $STEWARD" -H 'Accept: text/csv' \
    --data-urlencode "query=SELECT ?text WHERE { GRAPH <$NOTES> { ?n <https://regensburg.example/note/text> ?text } }"
expect_body_has "the saved note is in its graph" "Parkhaus Dachauplatz wird saniert"
stop_server
expect_eq "server exit status after SIGTERM" 0 "$SERVER_RC"
expect_check_ok "after the UI test" "$D"
finish
