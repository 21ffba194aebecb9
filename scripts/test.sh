#!/usr/bin/env bash
# test.sh -- the whole suite, as `make test` runs it:
# 1. starts a real Ceph RGW (scripts/rgw.sh) on free ports and exports its S3PEER_* settings;
# 2. swift test (known answers, the HTTP server, the store, the libcurl client against both peers);
# 3. a bounded libFuzzer run of the HTTP parser;
# 4. the interop tests (pytest: botocore, awscli, curl, http.client, wrk, RGW, Chromium), two at a time (pytest-xdist,
#    each worker on a bucket of its own); then, with the machine to themselves, the tests marked `alone` that measure
#    time, CPU or another client's latency (the floods, on the release build).
# RGW is stopped on exit, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"

free_port_pair() {  # a port whose +10000 neighbour (RGW's monitor) is free too
  python3 - <<'PY'
import socket
for _ in range(100):
    with socket.socket() as a:
        a.bind(("127.0.0.1", 0)); port = a.getsockname()[1]
    if port > 55535: continue
    try:
        with socket.socket() as b: b.bind(("127.0.0.1", port + 10000))
    except OSError: continue
    print(port); break
PY
}

RGW_PORT=$(free_port_pair)
cleanup() { bash scripts/rgw.sh stop "$RGW_PORT" >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "starting Ceph RGW on 127.0.0.1:$RGW_PORT" >&2
bash scripts/rgw.sh start "$RGW_PORT" >/dev/null
set -a
# shellcheck disable=SC1090
source "/tmp/dropgate-rgw-$RGW_PORT/env"
set +a
export DROPGATE_REQUIRE_RGW=1

swift build --build-tests
swift test
bash scripts/fuzz.sh "$FUZZ_SECONDS"
swift build
# The tests that measure a deployment's promises under attack run the release build.
swift build -c release --product dropgate
export DROPGATE_BIN="$(swift build --show-bin-path)/dropgate" DROPGATE_RELEASE_BIN="$(swift build -c release --show-bin-path)/dropgate"
INTEROP_WORKERS="${INTEROP_WORKERS:-2}"
status=0
python3 -m pytest -q -n "$INTEROP_WORKERS" --dist loadfile -m "not alone" Tests/interop || status=$?
python3 -m pytest -q -m alone Tests/interop || status=$?
exit "$status"
