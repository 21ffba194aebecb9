#!/usr/bin/env bash
# bench-http.sh -- the HTTP server against nginx on this machine, in the same run.
# 1. GET /ping (about 100 bytes of JSON) with wrk -t1 -c64 -d10s and -c1, against nginx returning the same body.
# 2. A 1 GiB PUT streamed to disk with curl, against nginx's WebDAV PUT; plus the server's peak RSS.
# The last lines are: http-ping, nginx-ping, ratio, then http-put, nginx-put, ratio, http-peak-rss.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10s}"
BIN=.build/release/dropgate
[ -x "$BIN" ] || swift build -c release --product dropgate >&2
WORK=$(mktemp -d /tmp/dropgate-bench.XXXXXX)
SERVER_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BODY='{"status":"ok","service":"dropgate","version":1,"message":"pong","padding":"abcdefghijklmnopqrst"}'

"$BIN" debug-server --port 0 --data "$WORK/ours" >"$WORK/server.out" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.05; done
OURS=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/server.out")

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/root" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /ping { default_type application/json; return 200 '$BODY'; }
    location /upload/ { root $WORK/nginx/root; dav_methods PUT; create_full_put_path on; client_max_body_size 0; }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
sleep 0.5

rate() { wrk -t1 "-c$1" -d"$DURATION" "$2" | awk '/Requests\/sec/ {print $2}'; }
echo "wrk -t1 -c64 -d$DURATION and -c1, GET /ping (${#BODY} bytes)" >&2
OURS_C1=$(rate 1 "http://127.0.0.1:$OURS/ping")
NGINX_C1=$(rate 1 "http://127.0.0.1:$NGINX_PORT/ping")
OURS_C64=$(rate 64 "http://127.0.0.1:$OURS/ping")
NGINX_C64=$(rate 64 "http://127.0.0.1:$NGINX_PORT/ping")
echo "c1: dropgate $OURS_C1 req/s, nginx $NGINX_C1 req/s" >&2

head -c $((1 << 30)) /dev/urandom >"$WORK/gib.bin"
sync
put_speed() {  # MB/s of a curl PUT of the GiB file (the file is in the page cache after the first read)
  curl -sS -o /dev/null -w '%{speed_upload}' -T "$WORK/gib.bin" "$1" | awk '{printf "%.1f", $1 / 1000000}'
}
# Five alternating rounds each, every upload to a new file that is removed afterwards; medians.
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
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
RSS=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status")

echo "http-ping $OURS_C64 req/s"
echo "nginx-ping $NGINX_C64 req/s"
echo "ratio $(python3 -c "print(round($OURS_C64 / $NGINX_C64, 3))")"
echo "http-put $OURS_PUT MB/s"
echo "nginx-put $NGINX_PUT MB/s"
echo "ratio $(python3 -c "print(round($OURS_PUT / $NGINX_PUT, 3))")"
echo "http-peak-rss $RSS MB"
