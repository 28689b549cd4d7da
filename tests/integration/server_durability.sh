#!/usr/bin/env bash
# server_durability.sh — SIGKILL `citykg serve` while several clients post
# updates and graph store writes: after a restart every acknowledged write
# is there, and none is half-applied (each write adds two triples, in two
# graphs, in one transaction: both or neither). `citykg check` passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"

D="$T/store"
printf '<urn:x:seed> <urn:x:p> "seed" .\n' >"$T/seed.nt"
"$CITYKG" load -q --data "$D" --graph urn:x:a "$T/seed.nt"
ADMIN=$("$CITYKG" token create --data "$D" --role admin 2>/dev/null)
start_server "$D"

# client N: writes until the server is gone; each acknowledged write's id
# goes to $T/acked.N (only after its 204/201 arrived)
client() {
    local n=$1 i=0 code
    : >"$T/acked.$n"
    while :; do
        i=$((i + 1))
        local id="c$n-$i"
        if [ $((i % 2)) = 0 ]; then
            code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
                -H 'Content-Type: application/sparql-update' --data-binary \
                "INSERT DATA { GRAPH <urn:x:a> { <urn:x:$id> <urn:x:p> \"$id\" } GRAPH <urn:x:b> { <urn:x:$id> <urn:x:p> \"$id\" } }" \
                "$URL/sparql") || break
        else
            # the graph store writes one graph: its two triples go into urn:x:g-$id
            printf '<urn:x:%s> <urn:x:p> "%s" .\n<urn:x:%s> <urn:x:q> "%s" .\n' "$id" "$id" "$id" "$id" >"$T/body.$n"
            code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
                -H 'Content-Type: application/n-triples' --data-binary @"$T/body.$n" \
                -X PUT "$URL/data?graph=urn:x:g-$id") || break
        fi
        case "$code" in 201 | 204) echo "$id" >>"$T/acked.$n" ;; *) break ;; esac
    done
}
pids=()
for n in 1 2 3 4; do
    client "$n" &
    pids+=($!)
done
sleep 3
kill -KILL "$SERVER_PID"
for p in "${pids[@]}"; do wait "$p" || true; done
acked=$(cat "$T"/acked.* | wc -l)
[ "$acked" -gt 20 ] && pass "$acked writes acknowledged before SIGKILL" || fail "only $acked writes acknowledged"

expect_check_ok "after SIGKILL" "$D"
start_server "$D"
# every write present in full or absent; every acknowledged one present
"$CITYKG" dump --data "$D" --format nquads >"$T/after.nq"
missing=0
half=0
while read -r id; do
    n=$(grep -c "<urn:x:$id> " "$T/after.nq" || true)
    [ "$n" = 2 ] || missing=$((missing + 1))
done < <(cat "$T"/acked.*)
expect_eq "every acknowledged write is there, whole" 0 "$missing"
for id in $(grep -o '<urn:x:c[0-9]*-[0-9]*>' "$T/after.nq" | sort -u | tr -d '<>' | sed 's/urn:x://'); do
    n=$(grep -c "<urn:x:$id> " "$T/after.nq" || true)
    [ "$n" = 2 ] || half=$((half + 1))
done
expect_eq "no write is half-applied" 0 "$half"
http GET "/sparql?query=$(urlencode 'ASK { GRAPH <urn:x:a> { <urn:x:seed> ?p ?o } }')" -H "Authorization: Bearer $ADMIN"
expect_eq "the restarted server answers" '200 {"head":{},"boolean":true}' "$STATUS $(tr -d ' \n' <"$T/body")"
stop_server
expect_eq "SIGTERM after the restart: exit 0" 0 "$SERVER_RC"
finish
