#!/usr/bin/env bash
# bench-http.sh -- the HTTP server against nginx on this machine, in the same run.
# 1. GET /ping (about 100 bytes of JSON) with wrk -t1 -c64 -d10s and -c1, against nginx returning the same body.
# 2. A 1 GiB PUT streamed to disk with curl, against nginx's WebDAV PUT; plus the server's peak RSS.
# The last lines are: http-ping, nginx-ping, ratio, then http-put, nginx-put, ratio, http-peak-rss.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init
DURATION="${BENCH_DURATION:-10s}"
BODY='{"status":"ok","service":"dropgate","version":1,"message":"pong","padding":"abcdefghijklmnopqrst"}'

"$BIN" debug-server --port 0 --data "$WORK/ours" >"$WORK/server.out" &
SERVER_PID=$!
track "$SERVER_PID"
wait_for_line "$WORK/server.out" listening
OURS=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/server.out")
start_nginx "$BODY"

rate() { wrk -t1 "-c$1" -d"$DURATION" "$2" | awk '/Requests\/sec/ {print $2}'; }
echo "wrk -t1 -c64 -d$DURATION and -c1, GET /ping (${#BODY} bytes)" >&2
OURS_C1=$(rate 1 "http://127.0.0.1:$OURS/ping")
NGINX_C1=$(rate 1 "http://127.0.0.1:$NGINX_PORT/ping")
OURS_C64=$(rate 64 "http://127.0.0.1:$OURS/ping")
NGINX_C64=$(rate 64 "http://127.0.0.1:$NGINX_PORT/ping")
echo "c1: dropgate $OURS_C1 req/s, nginx $NGINX_C1 req/s" >&2

make_gib
# Five alternating rounds each, every upload to a new file that is removed afterwards; medians.
ours_runs=""
nginx_runs=""
# `sync` before each upload, so that neither pays for the other's dirty pages.
for round in 1 2 3 4 5; do
  sync
  ours_runs="$ours_runs $(put_speed "http://127.0.0.1:$OURS/upload/gib$round")"
  rm -f "$WORK/ours/gib$round"
  sync
  nginx_runs="$nginx_runs $(put_speed "http://127.0.0.1:$NGINX_PORT/upload/gib$round")"
  rm -f "$WORK/nginx/root/upload/gib$round"
done
echo "put MB/s: dropgate$ours_runs; nginx$nginx_runs" >&2
OURS_PUT=$(echo $ours_runs | median)
NGINX_PUT=$(echo $nginx_runs | median)
RSS=$(peak_rss_mb "$SERVER_PID")

echo "http-ping $OURS_C64 req/s"
echo "nginx-ping $NGINX_C64 req/s"
echo "ratio $(ratio "$OURS_C64" "$NGINX_C64")"
echo "http-put $OURS_PUT MB/s"
echo "nginx-put $NGINX_PUT MB/s"
echo "ratio $(ratio "$OURS_PUT" "$NGINX_PUT")"
echo "http-peak-rss $RSS MB"
