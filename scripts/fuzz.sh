#!/usr/bin/env bash
# fuzz.sh [SECONDS] -- builds the HTTP parser with libFuzzer and AddressSanitizer and fuzzes it for
# SECONDS (default 60). Exits non-zero on a crash, leaving the input in .build/fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
OUT=.build/fuzz
mkdir -p "$OUT/corpus"
cp -n Fuzz/seeds/* "$OUT/corpus/" 2>/dev/null || true
SOURCES=(HTTPStatus HTTPError HTTPRequest HTTPLimits HTTPRequestParser ChunkedDecoder)
FILES=(Sources/HTTPWire/*.swift)
for name in "${SOURCES[@]}"; do FILES+=("Sources/HTTPServer/$name.swift"); done
# The gold linker warns once per sanitizer symbol; keep its output only when the build fails.
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name HTTPParserFuzz \
  "${FILES[@]}" Fuzz/HTTPParserFuzz.swift -o "$OUT/http-parser-fuzz" >"$OUT/build.log" 2>&1; then
  cat "$OUT/build.log" >&2
  exit 1
fi
"$OUT/http-parser-fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=2048 -print_final_stats=1 \
  -artifact_prefix="$OUT/" "$OUT/corpus" 2>&1 | tail -n 12
