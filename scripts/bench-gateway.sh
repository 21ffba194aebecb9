#!/usr/bin/env bash
# bench-gateway.sh -- wrk against the gateway on loopback: POST /api/uploads (validate, sign an upload
# token, presign a PUT) and, on the same server in the same run, GET /healthz as the baseline.
# The last lines are: gateway-presign <req/s> req/s, healthz <req/s> req/s.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init
DURATION="${BENCH_DURATION:-10s}"

PORT=$(free_port)
STORE_PORT=$(free_port)
cat >"$WORK/settings.json" <<JSON
{"gateway": {"port": $PORT, "publicURL": "http://localhost:$PORT"},
 "storage": {"mode": "embedded", "port": $STORE_PORT, "publicEndpoint": "http://localhost:$STORE_PORT", "bucket": "bench",
             "accessKeyId": "bench-key", "secretAccessKey": "bench-secret", "dataDirectory": "$WORK/data"}}
JSON
"$BIN" serve --settings "$WORK/settings.json" >"$WORK/serve.out" 2>/dev/null &
GATEWAY_PID=$!
track "$GATEWAY_PID"
wait_for_line "$WORK/serve.out" running
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
