#!/usr/bin/env bash
# server_graph_store.sh — the Graph Store HTTP Protocol at /data over real
# HTTP: PUT/GET round trips in Turtle, N-Triples and RDF/XML, GET in every
# output format, POST (plain, multipart/form-data, gzip-compressed, graph
# creation with Location), DELETE, HEAD, ?default, direct identification,
# 201/204/404, and atomicity: a body with a syntax error gives 400 naming
# its line and leaves the graph exactly as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/store"
"$CITYKG" load -q --data "$D" --graph urn:x:seed "$CITYKG_DEMO/parking.ttl"
ADMIN=$("$CITYKG" token create --data "$D" --role admin 2>/dev/null)
AUTH=(-H "Authorization: Bearer $ADMIN")
start_server "$D"
G=https://regensburg.example/graph/parking
GQ="/data?graph=$(urlencode "$G")"
parking_triples=$("$CITYKG" query --data "$D" --format csv 'SELECT (COUNT(*) AS ?n) { GRAPH <urn:x:seed> { ?s ?p ?o } }' | sed -n 2p | tr -d '\r')

# ---- PUT creates (201), GET gives it back, PUT again replaces (204) ---------
http GET "$GQ" "${AUTH[@]}"
expect_status "GET of a graph not there yet" 404
http PUT "$GQ" "${AUTH[@]}" -H 'Content-Type: text/turtle' --data-binary @"$CITYKG_DEMO/parking.ttl"
expect_status "PUT Turtle creates the graph" 201
http PUT "$GQ" "${AUTH[@]}" -H 'Content-Type: text/turtle; charset=utf-8' --data-binary @"$CITYKG_DEMO/parking.ttl"
expect_status "PUT again replaces it" 204
expect_quads "PUT twice: the graph once more, nothing doubled" "$D" $((2 * parking_triples))
"$CITYKG" dump --data "$D" --graph urn:x:seed --format ntriples >"$T/seed.nt"
for f in "text/turtle|turtle|ttl" "application/n-triples|ntriples|nt" "application/rdf+xml|rdfxml|rdf" \
    "application/n-quads|nquads|nq"; do
    IFS='|' read -r type fmt ext <<<"$f"
    http GET "$GQ" "${AUTH[@]}" -H "Accept: $type"
    expect_eq "GET as $type" "200 $type" "$STATUS $(header content-type | cut -d';' -f1)"
    cp "$T/body" "$T/got.$ext"
    rm -rf "$T/back"
    "$CITYKG" load -q --data "$T/back" --format "$fmt" "$T/got.$ext"
    "$CITYKG" dump --data "$T/back" --format ntriples >"$T/back.nt"
    expect_iso "GET as $type is the graph PUT" "$T/seed.nt" "$T/back.nt"
done
http GET "$GQ" "${AUTH[@]}" -H 'Accept: application/ld+json'
expect_eq "GET as JSON-LD" "200 application/ld+json" "$STATUS $(header content-type)"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/body" && pass "JSON-LD parses" || fail "JSON-LD does not parse"
http GET "$GQ" "${AUTH[@]}" -H 'Accept: application/sparql-results+json'
expect_status "GET asked as SPARQL results" 406

# round trips: what was PUT in each format is what GET returns
for f in "application/n-triples|nt" "application/rdf+xml|rdf"; do
    IFS='|' read -r type ext <<<"$f"
    http PUT "/data?graph=urn:x:rt-$ext" "${AUTH[@]}" -H "Content-Type: $type" --data-binary @"$T/got.$ext"
    expect_status "PUT $type" 201
    http GET "/data?graph=urn:x:rt-$ext" "${AUTH[@]}" -H 'Accept: application/n-triples'
    cp "$T/body" "$T/rt.nt"
    expect_iso "PUT $type then GET" "$T/seed.nt" "$T/rt.nt"
done

# ---- atomicity: a bad body changes nothing ------------------------------------
cp "$T/got.nt" "$T/before.nt"
{ head -n 5 "$CITYKG_DEMO/parking.ttl"; echo '<urn:x:s> <urn:x:p> "unterminated .'; } >"$T/bad.ttl"
bad_line=$(wc -l <"$T/bad.ttl")
http PUT "$GQ" "${AUTH[@]}" -H 'Content-Type: text/turtle' --data-binary @"$T/bad.ttl"
expect_status "PUT with a syntax error" 400
if grep -qE "^RDF syntax error at body.ttl:$bad_line(:[0-9]+)?: " "$T/body"; then
    pass "400 names the line: $(cat "$T/body")"; else fail "400 body: $(cat "$T/body")"; fi
http GET "$GQ" "${AUTH[@]}" -H 'Accept: application/n-triples'
cp "$T/body" "$T/after.nt"
expect_iso "the graph is unchanged after the bad PUT" "$T/before.nt" "$T/after.nt"
printf '<urn:x:s> <urn:x:p> "ok" .\n<urn:x:s> <urn:x:p> .\n' >"$T/bad.nt"
http POST "$GQ" "${AUTH[@]}" -H 'Content-Type: application/n-triples' --data-binary @"$T/bad.nt"
expect_status "POST with a bad second line" 400
expect_body_has "N-Triples error names line and column" "body.nt:2:"
http GET "$GQ" "${AUTH[@]}" -H 'Accept: application/n-triples'
cp "$T/body" "$T/after.nt"
expect_iso "the valid first line was not added either" "$T/before.nt" "$T/after.nt"

# ---- POST adds; multipart; gzip; creation -------------------------------------------
printf '<urn:x:car-park> <urn:x:note> "added" .\n' >"$T/add.nt"
http POST "$GQ" "${AUTH[@]}" -H 'Content-Type: application/n-triples' --data-binary @"$T/add.nt"
expect_status "POST to an existing graph" 204
http GET "$GQ" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "POST added one triple" $((parking_triples + 1)) "$(grep -c . "$T/body")"
printf '@prefix x: <urn:x:> .\nx:a x:first "1" .\n' >"$T/p1.ttl"
printf '<urn:x:a> <urn:x:second> "2" .\n' >"$T/p2.nt"
http POST "/data?graph=urn:x:multi" "${AUTH[@]}" -F "one=@$T/p1.ttl;type=text/turtle" \
    -F "two=@$T/p2.nt;type=application/n-triples"
expect_status "multipart/form-data POST creates the graph" 201
http GET "/data?graph=urn:x:multi" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "both parts stored" 2 "$(grep -c 'urn:x:a' "$T/body")"
gzip -c "$T/add.nt" >"$T/add.nt.gz"
http POST "/data?graph=urn:x:gz" "${AUTH[@]}" -H 'Content-Type: application/n-triples' \
    -H 'Content-Encoding: gzip' --data-binary @"$T/add.nt.gz"
expect_status "gzip-compressed body" 201
http GET "/data?graph=urn:x:gz" "${AUTH[@]}" -H 'Accept: application/n-triples' -H 'Accept-Encoding: gzip'
expect_eq "GET with gzip" "gzip" "$(header content-encoding)"
expect_eq "gzip round trip" "$(cat "$T/add.nt")" "$(gzip -dc "$T/body")"
http POST /data "${AUTH[@]}" -H 'Content-Type: application/n-triples' --data-binary @"$T/add.nt"
expect_status "POST to the store creates a graph" 201
loc=$(header location)
case "$loc" in "$URL/data/graphs/"*) pass "Location names the new graph: $loc" ;; *) fail "Location: '$loc'" ;; esac
http GET "/data?graph=$(urlencode "$loc")" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "the new graph by ?graph=Location" "200 $(cat "$T/add.nt")" "$STATUS $(cat "$T/body")"
http GET "${loc#"$URL"}" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "the new graph by direct identification" "200 $(cat "$T/add.nt")" "$STATUS $(cat "$T/body")"

# ---- HEAD, DELETE, default graph, errors ----------------------------------------------------
http HEAD "$GQ" "${AUTH[@]}"
expect_status "HEAD of an existing graph" 200
http HEAD "/data?graph=urn:x:none" "${AUTH[@]}"
expect_status "HEAD of a missing graph" 404
http DELETE "/data?graph=urn:x:multi" "${AUTH[@]}"
expect_status "DELETE" 204
http GET "/data?graph=urn:x:multi" "${AUTH[@]}"
expect_status "GET after DELETE" 404
http DELETE "/data?graph=urn:x:multi" "${AUTH[@]}"
expect_status "DELETE again" 404
http PUT "/data?default" "${AUTH[@]}" -H 'Content-Type: application/n-triples' --data-binary @"$T/add.nt"
expect_status "PUT ?default" 204
http GET "/data?default" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "GET ?default" "200 $(cat "$T/add.nt")" "$STATUS $(cat "$T/body")"
http DELETE "/data?default" "${AUTH[@]}"
expect_status "DELETE ?default empties it" 204
http GET "/data?default" "${AUTH[@]}" -H 'Accept: application/n-triples'
expect_eq "the empty default graph" "200 0" "$STATUS $(wc -c <"$T/body")"
http PUT "/data?graph=urn:x:q" "${AUTH[@]}" -H 'Content-Type: application/n-quads' --data-binary @"$T/add.nt"
expect_status "PUT of N-Quads (a dataset)" 415
http PUT "/data?graph=urn:x:q" "${AUTH[@]}" -H 'Content-Type: image/png' --data-binary @"$T/add.nt"
expect_status "PUT of image/png" 415
http PUT "/data?graph=not%20an%20iri" "${AUTH[@]}" -H 'Content-Type: application/n-triples' --data-binary @"$T/add.nt"
expect_status "a graph that is not an absolute IRI" 400
http GET "/data?graph=urn:x:a&default" "${AUTH[@]}"
expect_status "?graph and ?default together" 400
http GET /data "${AUTH[@]}"
expect_status "GET /data without a graph" 400
http PATCH "$GQ" "${AUTH[@]}"
expect_status "PATCH" 405

stop_server
expect_eq "SIGTERM: exit 0" 0 "$SERVER_RC"
expect_check_ok "after the graph store session" "$D"
grep -c '"audit":"write"' "$SERVER_LOG" | grep -qx 11 && pass "an audit line per committed write (11)" ||
    fail "audit lines: $(grep -c '"audit":"write"' "$SERVER_LOG")"
finish
