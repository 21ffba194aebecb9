#!/usr/bin/env bash
# bench-gateway.sh -- wrk against the gateway on loopback: POST /api/uploads (validate, sign an upload
# token, presign a PUT) and, on the same server in the same run, GET /healthz as the baseline.
# The last lines are: gateway-presign <req/s> req/s, healthz <req/s> req/s.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10s}"
BIN=.build/release/dropgate
[ -x "$BIN" ] || swift build -c release --product dropgate >&2
WORK=$(mktemp -d /tmp/dropgate-bench.XXXXXX)
GATEWAY_PID=""
cleanup() {
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"

PORT=$(free_port)
STORE_PORT=$(free_port)
cat >"$WORK/settings.json" <<JSON
{"gateway": {"port": $PORT, "publicURL": "http://localhost:$PORT"},
 "storage": {"mode": "embedded", "port": $STORE_PORT, "publicEndpoint": "http://localhost:$STORE_PORT", "bucket": "bench",
             "accessKeyId": "bench-key", "secretAccessKey": "bench-secret", "dataDirectory": "$WORK/data"}}
JSON
"$BIN" serve --settings "$WORK/settings.json" >"$WORK/serve.out" 2>/dev/null &
GATEWAY_PID=$!
for _ in $(seq 1 100); do grep -q running "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"filename":"holiday photo.jpg","size":2483921,"contentType":"image/jpeg","sha256":"n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="}'
LUA
rate() { wrk -t1 -c32 -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'; }
PRESIGN=$(rate -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/uploads")
HEALTH=$(rate "http://127.0.0.1:$PORT/healthz")
echo "ratio presign/healthz $(ratio "$PRESIGN" "$HEALTH")" >&2
echo "gateway-presign $PRESIGN req/s"
echo "healthz $HEALTH req/s"
