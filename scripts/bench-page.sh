#!/usr/bin/env bash
# Benchmark (not a test): the release page's wasm size, raw and gzip, and the time from
# navigation to "cluster drawn" in headless Chromium (median of 5 cold loads).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser >/dev/null
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk --skip-version-check build --release >/dev/null 2>&1
wasm=$(ls dist/*.wasm)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
js=$(cat dist/*.js | wc -c)
awk -v r="$raw" -v g="$gz" -v j="$js" 'BEGIN {
  printf "wasm: %d bytes raw (%.0f KiB), %d bytes gzip (%.0f KiB); js glue %d bytes\n", r, r/1024, g, g/1024, j }'
node e2e/bench-load.mjs
node e2e/bench-frames.mjs
