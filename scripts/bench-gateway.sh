#!/usr/bin/env bash
# bench-gateway.sh -- wrk against the gateway on loopback: POST /api/uploads (validate, sign an upload
# token, presign a PUT) and, on the same server in the same run, GET /healthz as the baseline; then the same
# POST on a second gateway with every per-client limit on (set so high that nothing is refused), for what the
# limits cost. The last lines are: gateway-presign <req/s> req/s, gateway-presign-limited <req/s> req/s,
# healthz <req/s> req/s.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init
DURATION="${BENCH_DURATION:-10s}"

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"filename":"holiday photo.jpg","size":2483921,"contentType":"image/jpeg","sha256":"n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="}'
LUA
rate() { wrk -t1 -c32 -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'; }
start_gateway open '{}'
OPEN_PORT=$PORT
start_gateway limited '{"uploadsPerMinute": 1000000, "bytesPerHour": 1125899906842624, "pendingBytesPerClient": 1125899906842624}'
LIMITED_PORT=$PORT
PRESIGN=$(rate -s "$WORK/post.lua" "http://127.0.0.1:$OPEN_PORT/api/uploads")
LIMITED=$(rate -s "$WORK/post.lua" "http://127.0.0.1:$LIMITED_PORT/api/uploads")
HEALTH=$(rate "http://127.0.0.1:$OPEN_PORT/healthz")
echo "ratio presign/healthz $(ratio "$PRESIGN" "$HEALTH"); limited/open presign $(ratio "$LIMITED" "$PRESIGN")" >&2
echo "gateway-presign $PRESIGN req/s"
echo "gateway-presign-limited $LIMITED req/s"
echo "healthz $HEALTH req/s"
