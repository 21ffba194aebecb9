# Shared pieces of the benchmark scripts: sourced, not run.

# bench_init: release build, a temporary folder in WORK, and a cleanup trap that stops every process
# registered with `track PID` and removes WORK.
bench_init() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  BIN=${BENCH_BIN:-.build/release/dropgate}  # BENCH_BIN: another build to measure (DROPGATE_* are settings)
  [ -x "$BIN" ] || swift build -c release --product dropgate >&2
  WORK=$(mktemp -d /tmp/dropgate-bench.XXXXXX)
  TRACKED=()
  trap bench_cleanup EXIT
}

track() { TRACKED+=("$1"); }

bench_cleanup() {
  for pid in "${TRACKED[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Each is waited for, so none is still writing into WORK as it is removed.
  for pid in "${TRACKED[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# wait_for_line FILE TEXT: waits (5 s at most) until FILE contains TEXT.
wait_for_line() { for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; return 1; }

# start_gateway NAME LIMITS-JSON: a gateway with its embedded store; sets PORT.
start_gateway() {
  PORT=$(free_port)
  local store_port
  store_port=$(free_port)
  cat >"$WORK/$1.json" <<JSON
{"gateway": {"port": $PORT, "publicURL": "http://localhost:$PORT"}, "metrics": {"port": 0}, "limits": $2,
 "storage": {"mode": "embedded", "port": $store_port, "publicEndpoint": "http://localhost:$store_port", "bucket": "bench",
             "accessKeyId": "bench-key", "secretAccessKey": "bench-secret", "dataDirectory": "$WORK/$1-data"}}
JSON
  "$BIN" serve --settings "$WORK/$1.json" >"$WORK/$1.out" 2>/dev/null &
  track $!
  wait_for_line "$WORK/$1.out" running
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nginx BODY: nginx on a free port answering /ping with BODY and taking WebDAV PUTs under /upload/.
start_nginx() {
  NGINX_PORT=$(free_port)
  mkdir -p "$WORK/nginx/root" "$WORK/nginx/tmp"
  # nginx's workers drop root for nobody: they must be able to reach the work folder and write its WebDAV folders,
  # or every PUT is a 500 (and a GET a 403) that would pass for a very fast nginx.
  chmod 0755 "$WORK" "$WORK/nginx"
  chmod 0777 "$WORK/nginx/root" "$WORK/nginx/tmp"
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
    location = /ping { default_type application/json; return 200 '$1'; }
    location /upload/ { root $WORK/nginx/root; dav_methods PUT; create_full_put_path on; client_max_body_size 0; }
  }
}
CONF
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
  track $!
  sleep 0.5
}

# make_gib: a GiB of random bytes at $WORK/gib.bin, synced so later writes do not pay for it.
make_gib() {
  head -c $((1 << 30)) /dev/urandom >"$WORK/gib.bin"
  sync
}

# put_speed URL [curl args…]: MB/s of a curl PUT of the GiB file; an error status fails the benchmark.
put_speed() {
  local url=$1
  shift
  curl -sS --fail -o /dev/null -w '%{speed_upload}' "$@" -T "$WORK/gib.bin" "$url" | awk '{printf "%.1f", $1 / 1000000}'
}

# get_speed URL: MB/s of a curl GET to /dev/null; an error status fails the benchmark rather than timing the error.
get_speed() { curl -sS --fail -o /dev/null -w '%{speed_download}' "$1" | awk '{printf "%.1f", $1 / 1000000}'; }

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

ratio() { python3 -c "print(round($1 / $2, 3))"; }
