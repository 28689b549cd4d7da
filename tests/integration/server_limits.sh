#!/usr/bin/env bash
# server_limits.sh — request limits of `citykg serve`: a 100 MB body (with
# Content-Length and chunked) gets 413, a 1 MB query string 414 and one just
# past the configured limit 414 with a message, and the server keeps
# serving; the limits follow the config file; a bad config file is a clear
# error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"

D="$T/store"
printf '<urn:x:s> <urn:x:p> "kept" .\n' >"$T/one.nt"
"$CITYKG" load -q --data "$D" --graph urn:x:g "$T/one.nt"
"$CITYKG" graph access --data "$D" urn:x:g public >/dev/null
ADMIN=$("$CITYKG" token create --data "$D" --role admin 2>/dev/null)
start_server "$D"
ASK=$(urlencode 'ASK { ?s <urn:x:p> "kept" }')
still_serving() {
    http GET "/sparql?query=$ASK"
    expect_eq "$1: a normal query still works" '200 {"head":{},"boolean":true}' \
        "$STATUS $(tr -d ' \n' <"$T/body")"
}

# 100 MB of Turtle-ish bytes, made on the fly
head -c 100000000 /dev/zero | tr '\0' 'a' >"$T/big"
http PUT /data?graph=urn:x:g -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/turtle' \
    --data-binary @"$T/big"
expect_status "100 MB body with Content-Length" 413
expect_body_has "413 names the limit" "more than the limit of 67108864"
still_serving "after 413"
http POST /data?graph=urn:x:g -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/turtle' \
    -H 'Transfer-Encoding: chunked' --data-binary @"$T/big"
expect_status "100 MB chunked body" 413
http POST /sparql -H 'Content-Type: application/sparql-query' --data-binary @"$T/big"
expect_status "100 MB query body" 413
still_serving "after chunked 413s"
http GET /data?graph=urn:x:g -H 'Accept: application/n-triples'
expect_eq "the graph is untouched" "$(cat "$T/one.nt")" "$(cat "$T/body")"
rm -f "$T/big"

# 1 MB query string: more than the request line may hold
python3 - "$URL" >"$T/long.out" <<'PY'
import socket, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.sendall(b"GET /sparql?query=" + b"a" * 1000000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
s.settimeout(10)
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
except (ConnectionResetError, socket.timeout):
    pass
print(data.split(b"\r\n")[0].decode())
PY
expect_eq "1 MB query string" "HTTP/1.1 414 URI Too Long" "$(cat "$T/long.out")"
still_serving "after the 1 MB query string"
q=$(python3 -c 'print("a" * 70000)')
http GET "/sparql?query=$q"
expect_status "a 70 KB query string (limit 64 KiB)" 414
expect_body_has "414 says to use POST" "send long queries by POST"
still_serving "after 414"
stop_server

# limits from the config file
cat >"$T/small.json" <<'JSON'
{ "max_body_bytes": 1000, "max_uri_bytes": 2000 }
JSON
start_server "$D" --config "$T/small.json"
head -c 1001 /dev/zero | tr '\0' ' ' >"$T/1001"
http POST /sparql -H 'Content-Type: application/sparql-query' --data-binary @"$T/1001"
expect_status "body of 1001 bytes with max_body_bytes 1000" 413
head -c 990 /dev/zero | tr '\0' ' ' >"$T/990"
echo "ASK {}" >>"$T/990"
http POST /sparql -H 'Content-Type: application/sparql-query' --data-binary @"$T/990"
expect_status "body of 997 bytes" 200
http GET "/sparql?query=$(python3 -c 'print("%20" * 700)')ASK%7B%7D"
expect_status "query string of 2.1 KB with max_uri_bytes 2000" 414
stop_server

# bad config files: one clear line, exit 1, no server
for bad in '{ "port": "8080" }|"port" must be a whole number' \
    '{ "max_body_bytse": 5 }|unknown key "max_body_bytse"' \
    '{ "port": 80,|bad.json:2:0: string or' \
    '{ "cors_origins": "*" }|"cors_origins" must be an array of strings'; do
    printf '%s\n' "${bad%%|*}" >"$T/bad.json"
    run "$CITYKG" serve --data "$D" --port 0 --config "$T/bad.json"
    expect_one_error_line "config ${bad%%|*}"
    grep -qF "${bad#*|}" "$T/err" && pass "the error says: ${bad#*|}" || fail "config error: $(cat "$T/err")"
done
run "$CITYKG" serve --data "$D" --port 0 --config "$T/missing.json"
expect_one_error_line "a missing config file"
run "$CITYKG" serve --data "$D" --port 0 --bind not-an-address
expect_one_error_line "a bind address that is none"
start_server "$D"
run "$CITYKG" serve --data "$T/other" --port "${URL##*:}"
if [ "$RC" = 1 ] && grep -q "^citykg: cannot listen on 127.0.0.1 port ${URL##*:}" "$T/err"; then
    pass "a port in use: $(tail -1 "$T/err")"; else fail "port in use: rc=$RC $(cat "$T/err")"; fi
stop_server
finish
