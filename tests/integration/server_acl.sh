#!/usr/bin/env bash
# server_acl.sh — access control through `citykg serve` on every route: an
# anonymous client neither reads an internal graph nor learns that it
# exists (queries, GRAPH ?g, the protocol dataset, the graph store: the same
# 404 as for a graph that does not exist); staff reads internal but not
# restricted graphs; an agent writes only its own graphs (403 elsewhere, by
# the graph store and by update); anonymous writes get 401; forged, revoked
# and non-bearer credentials get 401; SERVICE and LOAD off the allow-list
# are refused; audit lines name token ids, never token values.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
: "${CITYKG_DEMO:?CITYKG_DEMO must name data/demo}"

D="$T/store"
G=https://regensburg.example/graph
"$CITYKG" load -q --data "$D" --graph "$G/buildings" "$CITYKG_DEMO/buildings.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/parking" "$CITYKG_DEMO/parking.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/catalog" "$CITYKG_DEMO/catalog.ttl"
"$CITYKG" graph access --data "$D" "$G/parking" public >/dev/null
# blank nodes: 50 in the internal graph, then two in the public one
python3 -c 'print("\n".join(f"<urn:x:i{i}> <urn:x:p> [ <urn:x:q> {i} ] ." for i in range(50)))' >"$T/hidden-bnodes.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/buildings" "$T/hidden-bnodes.ttl"
printf '<urn:x:s> <urn:x:p> [ <urn:x:q> "one" ] , [ <urn:x:q> "two" ] .\n' >"$T/bnodes.ttl"
"$CITYKG" load -q --data "$D" --graph "$G/parking" "$T/bnodes.ttl"
"$CITYKG" graph access --data "$D" "$G/catalog" restricted >/dev/null
# buildings: no level set, so internal
token() { "$CITYKG" token create --data "$D" "$@" 2>/dev/null; }
STAFF=$(token --role staff)
AGENT=$(token --role agent --graphs urn:x:agent)
REVOKED=$(token --role admin)
ADMIN=$(token --role admin)
start_server "$D"
count() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"]["bindings"][0]["n"]["value"])' "$T/body"; }
in_graph() { "$CITYKG" query --data "$D" --format csv "SELECT (COUNT(*) AS ?n) { GRAPH <$1> { ?s ?p ?o } }" | sed -n 2p | tr -d '\r'; }
parking=$(in_graph "$G/parking")
buildings=$(in_graph "$G/buildings")

ALL=$(urlencode 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }')
GRAPHS=$(urlencode 'SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }')
http GET "/sparql?query=$ALL"
expect_eq "anonymous: the default graph holds only public graphs" "$parking" "$(count)"
http GET "/sparql?query=$GRAPHS"
expect_eq "anonymous: GRAPH ?g lists only the public graph" 1 "$(count)"
http GET "/sparql?query=$ALL&default-graph-uri=$(urlencode "$G/buildings")"
expect_eq "anonymous: default-graph-uri of an internal graph is empty" "200 0" "$STATUS $(count)"
http GET "/sparql?query=$(urlencode "SELECT (COUNT(*) AS ?n) { GRAPH <$G/buildings> { ?s ?p ?o } }")"
expect_eq "anonymous: GRAPH <internal> is empty" 0 "$(count)"
http GET "/sparql?query=$(urlencode "DESCRIBE <$G/buildings>")" -H 'Accept: application/n-triples'
expect_eq "anonymous: DESCRIBE of the internal graph's IRI says nothing" "200 0" "$STATUS $(wc -c <"$T/body")"
http GET "/sparql?query=$(urlencode "ASK { GRAPH <$G/buildings> { ?s ?p ?o } }")"
expect_eq "anonymous: ASK about the internal graph" '200 {"head":{},"boolean":false}' "$STATUS $(tr -d ' \n' <"$T/body")"
http GET "/sparql?query=$(urlencode "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g = <$G/buildings>) }")" \
    -H 'Accept: application/n-triples'
expect_eq "anonymous: CONSTRUCT from the internal graph is empty" "200 0" "$STATUS $(wc -c <"$T/body")"
http GET "/sparql?query=$GRAPHS&named-graph-uri=$(urlencode "$G/buildings")&named-graph-uri=$(urlencode "$G/parking")"
expect_eq "anonymous: named-graph-uri naming the internal graph gives only the public one" 1 "$(count)"

# blank node labels: per document for a restricted caller, not numbered by
# the store's counter (which counts the internal graph's 50 first)
http GET "/data?graph=$(urlencode "$G/parking")" -H 'Accept: application/n-triples'
expect_eq "anonymous GET of a graph: its blank nodes are _:b0 and _:b1" "_:b0 _:b1" \
    "$(grep -o '_:b[0-9]*' "$T/body" | sort -u | paste -sd' ')"
http GET "/sparql?query=$(urlencode 'SELECT ?o { <urn:x:s> <urn:x:p> ?o }')" -H 'Accept: text/csv'
expect_eq "anonymous query: the same labels" "_:b0 _:b1" "$(grep -o '_:b[0-9]*' "$T/body" | sort -u | paste -sd' ')"
http GET "/data?graph=$(urlencode "$G/parking")" -H 'Accept: application/n-triples' -H "Authorization: Bearer $ADMIN"
if grep -q '_:b0 ' "$T/body" || grep -q '_:b1 ' "$T/body"; then
    fail "admin: the store's labels expected (after 50 blank nodes): $(head -c 200 "$T/body")"
else pass "admin (unrestricted): the store's stable labels ($(grep -o '_:b[0-9]*' "$T/body" | sort -u | paste -sd' '))"; fi

# the graph store: an unreadable graph answers exactly like a missing one
for who in anonymous staff; do
    auth=()
    [ "$who" = staff ] && auth=(-H "Authorization: Bearer $STAFF")
    hidden=$G/buildings
    [ "$who" = staff ] && hidden=$G/catalog
    http GET "/data?graph=$(urlencode "$hidden")" "${auth[@]}"
    a="$STATUS $(sed "s|$hidden|IRI|" "$T/body")"
    http GET "/data?graph=$(urlencode "$G/never-was")" "${auth[@]}"
    b="$STATUS $(sed "s|$G/never-was|IRI|" "$T/body")"
    expect_eq "$who: GET of an unreadable graph = GET of a missing one" "$b" "$a"
    http HEAD "/data?graph=$(urlencode "$hidden")" "${auth[@]}"
    expect_status "$who: HEAD of an unreadable graph" 404
done
http GET "/sparql?query=$ALL" -H "Authorization: Bearer $STAFF"
expect_eq "staff: public and internal graphs" $((parking + buildings)) "$(count)"
http GET "/data?graph=$(urlencode "$G/buildings")" -H "Authorization: Bearer $STAFF" -H 'Accept: application/n-triples'
expect_eq "staff: GET of the internal graph" "200 $buildings" "$STATUS $(grep -c . "$T/body")"
http GET "/sparql?query=$ALL" -H "Authorization: Bearer $ADMIN"
expect_eq "admin: everything" "$("$CITYKG" stats --data "$D" | sed -n 's/^quads: //p')" "$(count)"

# writes
printf '<urn:x:s> <urn:x:p> "agent data" .\n' >"$T/a.nt"
http PUT /data?graph=urn:x:agent -H 'Content-Type: application/n-triples' --data-binary @"$T/a.nt"
expect_status "anonymous PUT" 401
expect_eq "401 asks for a bearer token" 'Bearer realm="citykg"' "$(header www-authenticate)"
http PUT /data?graph=urn:x:agent -H "Authorization: Bearer $AGENT" -H 'Content-Type: application/n-triples' --data-binary @"$T/a.nt"
expect_status "agent PUT to its own graph" 201
http PUT "/data?graph=$(urlencode "$G/parking")" -H "Authorization: Bearer $AGENT" -H 'Content-Type: application/n-triples' --data-binary @"$T/a.nt"
expect_status "agent PUT to another graph" 403
http DELETE "/data?graph=$(urlencode "$G/parking")" -H "Authorization: Bearer $AGENT"
expect_status "agent DELETE of another graph" 403
http DELETE "/data?graph=urn:x:never" -H "Authorization: Bearer $AGENT"
expect_status "agent DELETE of a graph that does not exist, not its own: 403 as well" 403
expect_eq "the other graph is unchanged" "$parking" "$(in_graph "$G/parking")"
http POST /sparql -H "Authorization: Bearer $AGENT" --data-urlencode \
    "update=INSERT DATA { GRAPH <urn:x:agent> { <urn:x:s> <urn:x:p> \"more\" } } ; INSERT DATA { GRAPH <$G/parking> { <urn:x:s> <urn:x:p> \"sneaked\" } }"
expect_status "agent update touching another graph" 403
expect_eq "nothing of that update was applied" 1 "$(in_graph urn:x:agent)"
http POST /sparql -H "Authorization: Bearer $AGENT" --data-urlencode \
    "update=INSERT DATA { GRAPH <urn:x:agent> { <urn:x:s> <urn:x:p> \"more\" } }"
expect_status "agent update of its own graph" 204
expect_eq "applied" 2 "$(in_graph urn:x:agent)"

# credentials
http GET "/sparql?query=$ALL" -H "Authorization: Bearer ckt_0123456789abcdef_$(printf '%064d' 0)"
expect_status "forged token" 401
forged_body=$(cat "$T/body")
http GET "/sparql?query=$ALL" -H "Authorization: Bearer $REVOKED"
expect_status "admin token before revocation" 200
"$CITYKG" token revoke --data "$D" "$(echo "$REVOKED" | cut -d_ -f2)" >/dev/null 2>&1
http GET "/sparql?query=$ALL" -H "Authorization: Bearer $REVOKED"
expect_status "the same token after revocation (server running)" 401
expect_eq "revoked and forged tokens get the same message" "$forged_body" "$(cat "$T/body")"
http GET "/data?graph=urn:x:agent" -H "Authorization: Basic YWRtaW46YWRtaW4="
expect_status "Basic credentials" 401

# SERVICE and LOAD off the allow-list
http GET "/sparql?query=$(urlencode 'SELECT * { SERVICE <http://169.254.169.254/latest> { ?s ?p ?o } }')" \
    -H "Authorization: Bearer $ADMIN"
expect_status "SERVICE to a host off the allow-list" 400
expect_body_has "SERVICE refusal names the allow-list" "not on the allow-list"
http POST /sparql -H "Authorization: Bearer $ADMIN" --data-urlencode 'update=LOAD <http://169.254.169.254/latest>'
expect_status "LOAD from a host off the allow-list" 403
http POST /sparql -H "Authorization: Bearer $ADMIN" --data-urlencode 'update=LOAD <file:///etc/passwd>'
expect_status "LOAD of a file outside the load folders" 403

stop_server
grep -q "\"audit\":\"write\",\"who\":\"$(echo "$AGENT" | cut -d_ -f2)\",\"role\":\"agent\"" "$SERVER_LOG" &&
    pass "audit lines name the agent's token id" || fail "audit: $(grep audit "$SERVER_LOG")"
for t in "$STAFF" "$AGENT" "$REVOKED" "$ADMIN"; do
    if grep -qF "$(echo "$t" | cut -d_ -f3)" "$SERVER_LOG"; then fail "a token secret reached the log"; fi
done
pass "no token secret in the log"
finish
