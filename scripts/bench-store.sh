#!/usr/bin/env bash
# bench-store.sh -- the embedded store: a 1 GiB object uploaded and downloaded with curl through presigned
# URLs, against nginx's WebDAV PUT of the same file in the same run (rounds alternate; medians).
# The store must MD5 every byte (S3's ETag) and sync it before it answers, so the script also measures, in the
# same run, MD5 alone and a synced write of the same bytes (dd conv=fsync): the smaller is the machine's limit
# for a durable S3 PUT. nginx serves the GET of the same file. The last lines are: store-put, nginx-put, ratio,
# md5-ceiling, ratio-to-md5, dd-fsync, durable-limit, ratio-to-limit, store-get, nginx-get, get-ratio,
# store-peak-rss.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init

export AWS_ACCESS_KEY_ID=bench-key AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
"$BIN" store --data "$WORK/store" --port 0 --bucket bench >"$WORK/store.out" 2>/dev/null &
STORE_PID=$!
track "$STORE_PID"
wait_for_line "$WORK/store.out" listening
export AWS_ENDPOINT_URL_S3=$(sed -n 's/.*\(http:\/\/127.0.0.1:[0-9]*\).*/\1/p' "$WORK/store.out")
start_nginx '{}'
make_gib

store_runs=""
nginx_runs=""
get_runs=""
nginx_get_runs=""
dd_runs=""
for round in 1 2 3; do
  sync
  url=$("$BIN" presign put "s3://bench/gib$round" --expires 600)
  store_runs="$store_runs $(put_speed "$url")"
  get_runs="$get_runs $(get_speed "$("$BIN" presign get "s3://bench/gib$round")")"
  curl -sS -X DELETE "$("$BIN" presign delete "s3://bench/gib$round")"
  sync
  nginx_runs="$nginx_runs $(put_speed "http://127.0.0.1:$NGINX_PORT/upload/gib$round")"
  nginx_get_runs="$nginx_get_runs $(get_speed "http://127.0.0.1:$NGINX_PORT/upload/gib$round")"
  rm -f "$WORK/nginx/root/upload/gib$round"
  sync
  dd_runs="$dd_runs $(python3 -c "
import os, subprocess, time
start = time.perf_counter()
subprocess.run(['dd', 'if=$WORK/gib.bin', 'of=$WORK/dd.bin', 'bs=1M', 'conv=fsync', 'status=none'], check=True)
print(round(os.path.getsize('$WORK/gib.bin') / (time.perf_counter() - start) / 1e6, 1))")"
  rm -f "$WORK/dd.bin"
done
echo "put MB/s: store$store_runs; nginx$nginx_runs; dd$dd_runs; get MB/s: store$get_runs; nginx$nginx_get_runs" >&2
STORE_PUT=$(echo $store_runs | median)
NGINX_PUT=$(echo $nginx_runs | median)
echo "store-put $STORE_PUT MB/s"
echo "nginx-put $NGINX_PUT MB/s"
echo "ratio $(ratio "$STORE_PUT" "$NGINX_PUT")"
MD5=$(python3 -c "
import hashlib, time
block = open('$WORK/gib.bin', 'rb').read(1 << 26)
start = time.perf_counter(); h = hashlib.md5()
for _ in range(16): h.update(block)
print(round(16 * len(block) / (time.perf_counter() - start) / 1e6, 1))")
echo "md5-ceiling $MD5 MB/s"
echo "ratio-to-md5 $(ratio "$STORE_PUT" "$MD5")"
DD=$(echo $dd_runs | median)
LIMIT=$(python3 -c "print(min($MD5, $DD))")
echo "dd-fsync $DD MB/s"
echo "durable-limit $LIMIT MB/s"
echo "ratio-to-limit $(ratio "$STORE_PUT" "$LIMIT")"
STORE_GET=$(echo $get_runs | median)
NGINX_GET=$(echo $nginx_get_runs | median)
echo "store-get $STORE_GET MB/s"
echo "nginx-get $NGINX_GET MB/s"
echo "get-ratio $(ratio "$STORE_GET" "$NGINX_GET")"
echo "store-peak-rss $(peak_rss_mb "$STORE_PID") MB"
