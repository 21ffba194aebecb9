#!/usr/bin/env bash
# bench-clients.sh -- idle and slow clients against the release gateway (scripts/bench_clients.py says what and how):
# 10,000 idle keep-alive connections, then 4,100 slow bodies from 127.0.0.2, each while another client is timed.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init
ulimit -n 65536 2>/dev/null || true
python3 scripts/bench_clients.py "$BIN"
