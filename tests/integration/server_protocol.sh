#!/usr/bin/env bash
# server_protocol.sh — the SPARQL 1.1 Protocol of `citykg serve` over real
# HTTP on a real store with the demo data: query by GET and POST (form and
# direct), every result format by Accept (q-values) and format=, 406, 400
# with line:column, 405, 415, gzip, CORS, HEAD, the service description,
# the protocol dataset, updates, /health, /metrics, unknown routes and the
# JSON log line per request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/demo"
G=https://regensburg.example/graph
for f in buildings parking catalog; do
    "$CITYKG" load -q --data "$D" --graph "$G/$f" "$CITYKG_DEMO/$f.ttl"
    "$CITYKG" graph access --data "$D" "$G/$f" public >/dev/null
done
ADMIN=$("$CITYKG" token create --data "$D" --role admin 2>/dev/null)
P='PREFIX c: <https://w3id.org/citykg/ontology#> '
buildings=$(grep -c 'a cityo:Building' "$CITYKG_DEMO/buildings.ttl" || true)
start_server "$D"

COUNT="$P SELECT (COUNT(?b) AS ?n) WHERE { ?b a c:Building }"
json_n() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"]["bindings"][0]["n"]["value"])' "$T/body"; }

# ---- query by GET, form POST, direct POST --------------------------------
http GET "/sparql?query=$(urlencode "$COUNT")"
expect_status "GET query" 200
expect_eq "GET: JSON by default" "application/sparql-results+json" "$(header content-type)"
expect_eq "GET: the number of buildings in the demo" "$buildings" "$(json_n)"
http POST /sparql --data-urlencode "query=$COUNT"
expect_status "form POST query" 200
expect_eq "form POST: same count" "$buildings" "$(json_n)"
http POST /sparql -H 'Content-Type: application/sparql-query' --data-binary "$COUNT"
expect_status "direct POST query" 200
expect_eq "direct POST: same count" "$buildings" "$(json_n)"

# ---- content negotiation for SELECT and ASK ------------------------------
for pair in "application/sparql-results+xml|application/sparql-results+xml" \
    "text/csv|text/csv; charset=utf-8" \
    "text/tab-separated-values|text/tab-separated-values; charset=utf-8" \
    "application/json|application/sparql-results+json"; do
    http GET "/sparql?query=$(urlencode "$COUNT")" -H "Accept: ${pair%%|*}"
    expect_eq "Accept ${pair%%|*}" "200 ${pair#*|}" "$STATUS $(header content-type)"
done
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: application/sparql-results+xml'
if python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.find(".//{http://www.w3.org/2005/sparql-results#}literal").text == sys.argv[2] else 1)' "$T/body" "$buildings"; then
    pass "XML results parse and carry the count"; else fail "XML results: $(head -c 300 "$T/body")"; fi
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: text/csv'
expect_eq "CSV body" "$(printf 'n\r\n%s\r' "$buildings")" "$(cat "$T/body")"
http GET "/sparql?query=$(urlencode "$COUNT")" \
    -H 'Accept: application/sparql-results+xml;q=0.5, text/csv, */*;q=0.1'
expect_eq "q-values: text/csv (q=1) over XML (q=0.5)" "text/csv; charset=utf-8" "$(header content-type)"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: text/csv;q=0, */*;q=0.1'
expect_eq "q=0 refuses a type; */* gives the default" "application/sparql-results+json" "$(header content-type)"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: text/*'
expect_eq "text/* picks CSV" "text/csv; charset=utf-8" "$(header content-type)"
http GET "/sparql?query=$(urlencode "$COUNT")&format=tsv" -H 'Accept: application/sparql-results+json'
expect_eq "format=tsv wins over Accept" "text/tab-separated-values; charset=utf-8" "$(header content-type)"
expect_eq "TSV body" "$(printf '?n\n"%s"^^<http://www.w3.org/2001/XMLSchema#integer>' "$buildings")" "$(cat "$T/body")"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: image/png'
expect_status "SELECT with only image/png acceptable" 406
expect_body_has "406 names what is offered" "application/sparql-results+json"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Accept: text/turtle'
expect_status "SELECT asked as Turtle" 406
http GET "/sparql?query=$(urlencode "$COUNT")&format=turtle"
expect_status "format=turtle for SELECT" 400
http GET "/sparql?query=$(urlencode "$P ASK { ?b a c:Building }")"
expect_eq "ASK true in JSON" '{"head":{},"boolean":true}' "$(tr -d ' \n' <"$T/body")"
http GET "/sparql?query=$(urlencode "ASK { <urn:x:nothing> ?p ?o }")" -H 'Accept: application/sparql-results+xml'
expect_body_has "ASK false in XML" "<boolean>false</boolean>"

# ---- CONSTRUCT in every graph format, parsed back --------------------------
CONSTRUCT="$P CONSTRUCT { ?b a c:Building ; c:measuredHeight ?h } WHERE { ?b a c:Building ; c:measuredHeight ?h }"
heights=$("$CITYKG" query --data "$D" --format csv "$P SELECT (COUNT(*) AS ?n) { ?b a c:Building ; c:measuredHeight ?h }" | sed -n 2p | tr -d '\r')
expected=$((buildings + heights))
for f in "text/turtle|turtle|ttl" "application/n-triples|ntriples|nt" "application/n-quads|nquads|nq" \
    "application/rdf+xml|rdfxml|rdf"; do
    IFS='|' read -r type fmt ext <<<"$f"
    http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H "Accept: $type"
    expect_eq "CONSTRUCT as $type" "200 $type" "$STATUS $(header content-type | cut -d';' -f1)"
    cp "$T/body" "$T/construct.$ext"
    rm -rf "$T/back"
    "$CITYKG" load -q --data "$T/back" --format "$fmt" "$T/construct.$ext"
    expect_quads "CONSTRUCT $type parses back" "$T/back" "$expected"
done
http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H 'Accept: application/ld+json'
n=$(python3 -c '
import json, sys
n = 0
for node in json.load(open(sys.argv[1])):
    for k, v in node.items():
        if k != "@id":
            n += len(v)
print(n)' "$T/body")
expect_eq "CONSTRUCT as JSON-LD: every triple" "$expected" "$n"
http GET "/sparql?query=$(urlencode "DESCRIBE <$G/nothing>")"
expect_eq "DESCRIBE: Turtle by default" "200 text/turtle; charset=utf-8" "$STATUS $(header content-type)"
http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H 'Accept: application/sparql-results+json'
expect_status "CONSTRUCT asked as SPARQL JSON" 406
http GET "/sparql?query=$(urlencode 'CONSTRUCT { <urn:x:s> <http://ex/p/1> "x" } WHERE {}')" \
    -H 'Accept: application/rdf+xml'
expect_status "a result RDF/XML cannot carry (predicate not ending in an XML name)" 406
expect_body_has "406 says why" "RDF/XML cannot write the predicate <http://ex/p/1>"

# ---- errors ------------------------------------------------------------------
http GET "/sparql?query=$(urlencode "$(printf 'SELECT *\nWHERE { ?s ?p }')")"
expect_status "syntax error" 400
if grep -qE '^query syntax error at 2:[0-9]+: ' "$T/body"; then
    pass "syntax error names line:column: $(cat "$T/body")"; else fail "syntax error body: $(cat "$T/body")"; fi
http PUT /sparql -H 'Content-Type: application/sparql-query' --data-binary 'ASK {}'
expect_status "PUT on /sparql" 405
expect_eq "405 says what is allowed" "GET, HEAD, POST, OPTIONS" "$(header allow)"
http POST /sparql -H 'Content-Type: text/plain' --data-binary 'ASK {}'
expect_status "POST text/plain" 415
http POST /sparql -H 'Content-Type: application/sparql-query; charset=UTF-16' --data-binary 'ASK {}'
expect_status "POST with a charset other than UTF-8" 415
http POST /sparql -H 'Content-Type:' --data-binary 'ASK {}'
expect_status "POST without Content-Type" 400
http GET "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"
expect_status "two queries" 400
http GET "/sparql?query=$(printf 'ASK { <urn:\xff> ?p ?o }' | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.buffer.read()))')"
expect_status "a query that is not UTF-8" 400

# ---- gzip ------------------------------------------------------------------------
http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H 'Accept: application/n-triples'
cp "$T/body" "$T/plain.nt"
http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H 'Accept: application/n-triples' \
    -H 'Accept-Encoding: gzip, deflate'
expect_eq "gzip when accepted" "gzip" "$(header content-encoding)"
if gzip -dc "$T/body" | cmp -s - "$T/plain.nt"; then
    pass "gzip body decompresses to the plain one ($(wc -c <"$T/body") vs $(wc -c <"$T/plain.nt") bytes)"
else fail "gzip body differs from the plain one"; fi
http GET "/sparql?query=$(urlencode "$CONSTRUCT")" -H 'Accept-Encoding: gzip;q=0, identity'
expect_eq "no gzip when refused" "" "$(header content-encoding)"

# ---- HEAD, service description ---------------------------------------------------
http HEAD "/sparql?query=$(urlencode "$COUNT")"
expect_eq "HEAD: status and type" "200 application/sparql-results+json" "$STATUS $(header content-type)"
head_body_bytes "/sparql?query=$(urlencode "$COUNT")"
expect_eq "HEAD: no body on the wire" "200 0" "$HEAD_RESULT"
http GET /sparql
expect_eq "service description: Turtle" "200 text/turtle; charset=utf-8" "$STATUS $(header content-type)"
cp "$T/body" "$T/sd.ttl"
rm -rf "$T/sd"
"$CITYKG" load -q --data "$T/sd" --base "$URL/" "$T/sd.ttl"
run "$CITYKG" query --data "$T/sd" --format csv \
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT ?e { ?s a sd:Service ; sd:endpoint ?e ; sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ; sd:defaultDataset/sd:defaultGraph ?g }"
expect_eq "service description: a sd:Service with its endpoint" "$URL/sparql" "$(sed -n 2p "$T/out" | tr -d '\r')"
http GET /sparql -H 'Accept: application/rdf+xml'
expect_eq "service description as RDF/XML" "200 application/rdf+xml" "$STATUS $(header content-type)"

# ---- the protocol dataset ----------------------------------------------------------
ALL='SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'
parking=$("$CITYKG" query --data "$D" --format csv "SELECT (COUNT(*) AS ?n) { GRAPH <$G/parking> { ?s ?p ?o } }" | sed -n 2p | tr -d '\r')
http GET "/sparql?query=$(urlencode "$ALL")&default-graph-uri=$(urlencode "$G/parking")"
expect_eq "default-graph-uri: the default graph is that graph" "$parking" "$(json_n)"
http POST "/sparql?default-graph-uri=$(urlencode "$G/parking")" \
    -H 'Content-Type: application/sparql-query' --data-binary "SELECT (COUNT(*) AS ?n) FROM <$G/buildings> { ?s ?p ?o }"
expect_eq "default-graph-uri replaces FROM" "$parking" "$(json_n)"
http POST /sparql --data-urlencode "query=SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }" \
    --data-urlencode "named-graph-uri=$G/parking" --data-urlencode "named-graph-uri=$G/catalog"
expect_eq "named-graph-uri (form, twice): GRAPH ?g sees those two" 2 "$(json_n)"

# per request: the store's own default graph (empty here) or the union
http GET "/sparql?query=$(urlencode "$ALL")&strict-default-graph=true"
expect_eq "strict-default-graph=true: the store's (empty) default graph" "200 0" "$STATUS $(json_n)"
http POST /sparql --data-urlencode "query=$ALL" --data-urlencode "strict-default-graph=false"
expect_eq "strict-default-graph=false: the union" "$("$CITYKG" stats --data "$D" | sed -n 's/^quads: //p')" "$(json_n)"
http GET "/sparql?query=$(urlencode "$ALL")&strict-default-graph=maybe"
expect_status "strict-default-graph=maybe" 400

# ---- updates ------------------------------------------------------------------------
UPDATE="INSERT DATA { GRAPH <$G/notes> { <urn:x:a> <urn:x:says> \"hello\" } }"
http POST /sparql --data-urlencode "update=$UPDATE"
expect_status "anonymous update" 401
expect_eq "401 asks for a bearer token" 'Bearer realm="citykg"' "$(header www-authenticate)"
http POST /sparql -H "Authorization: Bearer $ADMIN" --data-urlencode "update=$UPDATE"
expect_status "update by form POST (admin)" 204
http POST /sparql -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/sparql-update' \
    --data-binary "DELETE DATA { GRAPH <$G/notes> { <urn:x:a> <urn:x:says> \"hello\" } } ; INSERT DATA { GRAPH <$G/notes> { <urn:x:a> <urn:x:says> \"bye\" } }"
expect_status "update by direct POST, two operations" 204
http GET "/sparql?query=$(urlencode "SELECT ?o { GRAPH <$G/notes> { ?s ?p ?o } }")&format=csv" \
    -H "Authorization: Bearer $ADMIN"
expect_eq "both operations applied" "$(printf 'o\r\nbye\r')" "$(cat "$T/body")"
http GET "/sparql?update=$(urlencode "$UPDATE")"
expect_status "update by GET" 400
http POST /sparql -H "Authorization: Bearer $ADMIN" --data-urlencode "update=INSERT DATA { <urn:x:a> <urn:x:b> }"
expect_status "update syntax error" 400
expect_body_has "update syntax error with line:column" "update syntax error at 1:"
http POST "/sparql?using-graph-uri=$(urlencode "$G/parking")" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/sparql-update' \
    --data-binary "INSERT { GRAPH <urn:x:g> { ?s ?p ?o } } USING <$G/catalog> WHERE { ?s ?p ?o }"
expect_status "using-graph-uri and USING together" 400

# ---- /health, /metrics, other routes ---------------------------------------------------
http GET /health
expect_eq "/health" '200 {"status":"ok"}' "$STATUS $(cat "$T/body")"
http GET /metrics
expect_status "/metrics without a token" 401
http GET /metrics -H "Authorization: Bearer $ADMIN"
expect_status "/metrics with an admin token" 200
expect_eq "/metrics in the Prometheus text format" "text/plain; version=0.0.4; charset=utf-8" "$(header content-type)"
for m in 'citykg_http_requests_total{route="sparql",status="200"}' \
    'citykg_http_requests_total{route="sparql",status="406"}' \
    'citykg_http_request_duration_seconds_bucket{route="sparql",le="+Inf"}' \
    'citykg_queries_running 0' 'citykg_commits_total 2' 'citykg_store_bytes '; do
    expect_body_has "/metrics has $m" "$m"
done
total=$("$CITYKG" stats --data "$D" | sed -n 's/^quads: //p')
expect_body_has "/metrics: store quads" "citykg_store_quads $total"
http GET /nowhere
expect_status "unknown route" 404
http OPTIONS /sparql -H 'Origin: https://app.example' -H 'Access-Control-Request-Method: POST'
expect_eq "no CORS unless configured" "" "$(header access-control-allow-origin)"

stop_server
expect_eq "SIGTERM: exit 0" 0 "$SERVER_RC"
# one JSON object per line; every request logged; no token value anywhere
if python3 -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$SERVER_LOG"; then pass "every log line is JSON"; else fail "log: $(head -5 "$SERVER_LOG")"; fi
expect_eq "one log line per request" "$HTTP_CALLS" "$(grep -c '"method":' "$SERVER_LOG" || true)"
if grep -qF "${ADMIN#ckt_}" "$SERVER_LOG" || grep -qF "${ADMIN:20}" "$SERVER_LOG"; then
    fail "a token value reached the log"; else pass "no token value in the log"; fi
grep -q '"audit":"write".*"graph":"https://regensburg.example/graph/notes","added":1' "$SERVER_LOG" &&
    pass "audit line for the update" || fail "no audit line: $(grep audit "$SERVER_LOG")"

# ---- CORS configured ----------------------------------------------------------------------
cat >"$T/cors.json" <<'JSON'
{ "cors_origins": ["https://app.example"] }
JSON
start_server "$D" --config "$T/cors.json"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Origin: https://app.example'
expect_eq "CORS: an allowed origin is echoed" "https://app.example" "$(header access-control-allow-origin)"
http GET "/sparql?query=$(urlencode "$COUNT")" -H 'Origin: https://evil.example'
expect_eq "CORS: another origin gets no header" "" "$(header access-control-allow-origin)"
http OPTIONS /sparql -H 'Origin: https://app.example' -H 'Access-Control-Request-Method: POST' \
    -H 'Access-Control-Request-Headers: content-type, authorization'
expect_eq "CORS preflight" "204 https://app.example" "$STATUS $(header access-control-allow-origin)"
expect_eq "preflight allows the asked headers" "content-type, authorization" "$(header access-control-allow-headers)"
stop_server
finish
