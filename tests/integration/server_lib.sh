# shellcheck shell=bash
# server_lib.sh — helpers of the server_*.sh tests (sourced after lib.sh):
# start the real `citykg serve` on a free loopback port (--port 0, the
# address read from its "listening" log line) and talk HTTP to it with curl.

# start_server DATA [SERVE-ARGS...]: sets SERVER_PID, URL, SERVER_LOG.
start_server() {
    local data=$1
    shift
    SERVER_LOG="$T/server.$RANDOM.log"
    "$CITYKG" serve --data "$data" --port 0 "$@" 2>"$SERVER_LOG" &
    SERVER_PID=$!
    CLEANUP_PIDS+=("$SERVER_PID")
    for _ in $(seq 200); do
        grep -q '"listening"' "$SERVER_LOG" && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    URL=$(sed -n 's/.*"listening","url":"\([^"]*\)".*/\1/p' "$SERVER_LOG" | head -1)
    if [ -z "$URL" ]; then
        echo "FAIL: citykg serve did not start: $(cat "$SERVER_LOG")" >&2
        exit 1
    fi
}

# stop_server: SIGTERM and wait; the exit status in SERVER_RC.
stop_server() {
    kill -TERM "$SERVER_PID"
    set +e
    wait "$SERVER_PID"
    SERVER_RC=$?
    set -e
}

# http METHOD PATH [CURL-ARGS...]: STATUS, body in $T/body, headers in
# $T/headers (lower-cased names), curl's exit status in CURL_RC.
HTTP_CALLS=0
http() {
    local method=$1 path=$2
    shift 2
    HTTP_CALLS=$((HTTP_CALLS + 1))
    local how=(-X "$method")
    [ "$method" = HEAD ] && how=(-I)
    set +e
    STATUS=$(curl -s -o "$T/body" -D "$T/headers.raw" -w '%{http_code}' "${how[@]}" "$@" \
        "$URL$path")
    CURL_RC=$?
    set -e
    tr -d '\r' <"$T/headers.raw" | sed -E 's/^([^:]*):/\L\1:/' >"$T/headers"
}

# header NAME: the value of a response header of the last http call.
header() { sed -n "s/^$1: //p" "$T/headers" | head -1; }

# expect_status DESCRIPTION CODE: checks the last http call.
expect_status() {
    if [ "$STATUS" = "$2" ]; then
        pass "$1: $2"
    else
        fail "$1: expected status $2, got $STATUS: $(head -c 400 "$T/body")"
    fi
}

# expect_body_has DESCRIPTION TEXT: the last body contains TEXT.
expect_body_has() {
    if grep -qF -- "$2" "$T/body"; then pass "$1"; else fail "$1: no '$2' in: $(head -c 400 "$T/body")"; fi
}

# q QUERY: the query, URL-encoded for a GET.
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# head_body_bytes PATH: sends HEAD PATH on a raw socket; HEAD_RESULT is the
# status code and how many bytes came after the headers (must be 0).
head_body_bytes() {
    HTTP_CALLS=$((HTTP_CALLS + 1))
    HEAD_RESULT=$(python3 - "$URL" "$1" <<'PY'
import socket, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.sendall(b"HEAD " + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: " + u.netloc.encode() +
          b"\r\nConnection: close\r\n\r\n")
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
head, _, rest = data.partition(b"\r\n\r\n")
print(head.split(b" ")[1].decode(), len(rest))
PY
)
}
