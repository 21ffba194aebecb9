#!/usr/bin/env bash
# bench-pages.sh -- wrk on loopback against a collection's page (which reads the share's record, revocation and
# counts from the store, as every view must) and the upload page (written from its markers alone), each in English
# and in German (each marker looked up in the catalog, dates and sizes in German); in the same run, the gateway
# serving /static/style.css (a file with no markers) and nginx serving the German upload page's bytes from a file.
# The last lines are: page-en, page-de, home-en, home-de, style-css, nginx-home, each <req/s> req/s.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"
bench_init
DURATION="${BENCH_DURATION:-10s}"

start_gateway pages '{}'

# A collection of three files, one in a folder: a page with sizes, a date, a file list and its link card.
SHARE=$(python3 - "http://127.0.0.1:$PORT" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(method, url, body=None, data=None, headers=None):
    request = urllib.request.Request(url, method=method, data=data if data is not None else (json.dumps(body).encode() if body is not None else None),
                                     headers=headers or {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"{}") if answer.headers.get_content_type() == "application/json" else None
receipts = []
for name, data in [("notes.txt", b"hello\n" * 100), ("plan.md", b"# Plan\n" * 50), ("photo.txt", b"x" * 4000)]:
    plan = call("POST", base + "/api/uploads", {"filename": name, "size": len(data), "contentType": "text/plain"})
    headers = {key: value for key, value in plan["headers"].items() if key != "Content-Length"}
    urllib.request.urlopen(urllib.request.Request(plan["url"], method="PUT", data=data, headers=headers)).read()
    receipts.append(call("POST", f"{base}/api/uploads/{plan['id']}/complete", {"collection": True})["receipt"])
print(call("POST", base + "/api/shares", {"files": receipts, "folders": ["", "", "trip"], "maxDownloads": 5})["share"]["id"])
PY
)
PAGE="http://127.0.0.1:$PORT/s/$SHARE"
curl -sS --fail -H 'Accept-Language: de' -o /dev/null "$PAGE"

# nginx answering the German upload page's exact bytes from a file.
start_nginx '{}'
mkdir -p "$WORK/nginx/root/upload"
curl -sS --fail -H 'Accept-Language: de' -o "$WORK/nginx/root/upload/home.html" "http://127.0.0.1:$PORT/"
chmod 0644 "$WORK/nginx/root/upload/home.html"
curl -sS --fail -o /dev/null "http://127.0.0.1:$NGINX_PORT/upload/home.html"

rate() { wrk -t1 -c32 -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'; }
EN=$(rate -H 'Accept-Language: en' "$PAGE")
DE=$(rate -H 'Accept-Language: de' "$PAGE")
HOME_EN=$(rate -H 'Accept-Language: en' "http://127.0.0.1:$PORT/")
HOME_DE=$(rate -H 'Accept-Language: de' "http://127.0.0.1:$PORT/")
STATIC=$(rate "http://127.0.0.1:$PORT/static/style.css")
NGINX=$(rate "http://127.0.0.1:$NGINX_PORT/upload/home.html")
echo "share page $(curl -sS -H 'Accept-Language: de' "$PAGE" | wc -c) bytes, upload page $(wc -c <"$WORK/nginx/root/upload/home.html") bytes;" \
  "share de/en $(ratio "$DE" "$EN"); upload de/en $(ratio "$HOME_DE" "$HOME_EN"); upload-de/style.css $(ratio "$HOME_DE" "$STATIC");" \
  "upload-de/nginx $(ratio "$HOME_DE" "$NGINX")" >&2
echo "page-en $EN req/s"
echo "page-de $DE req/s"
echo "home-en $HOME_EN req/s"
echo "home-de $HOME_DE req/s"
echo "style-css $STATIC req/s"
echo "nginx-home $NGINX req/s"
