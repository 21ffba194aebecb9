#!/usr/bin/env bash
# bench-store.sh -- the embedded store: a 1 GiB object uploaded and downloaded with curl through presigned
# URLs, against nginx's WebDAV PUT of the same file in the same run (rounds alternate; medians).
# The store must MD5 every byte (S3's ETag), so the script also measures MD5 alone on this machine: the
# ceiling for any S3-compatible PUT here. The last lines are: store-put, nginx-put, ratio, md5-ceiling,
# ratio-to-md5, store-get, store-peak-rss.
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
for round in 1 2 3; do
  sync
  url=$("$BIN" presign put "s3://bench/gib$round" --expires 600)
  store_runs="$store_runs $(put_speed "$url")"
  get_runs="$get_runs $(get_speed "$("$BIN" presign get "s3://bench/gib$round")")"
  curl -sS -X DELETE "$("$BIN" presign delete "s3://bench/gib$round")"
  sync
  nginx_runs="$nginx_runs $(put_speed "http://127.0.0.1:$NGINX_PORT/upload/gib$round")"
  rm -f "$WORK/nginx/root/upload/gib$round"
done
echo "put MB/s: store$store_runs; nginx$nginx_runs; get MB/s: store$get_runs" >&2
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
echo "store-get $(echo $get_runs | median) MB/s"
echo "store-peak-rss $(peak_rss_mb "$STORE_PID") MB"
