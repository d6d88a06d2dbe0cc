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
# The build writes .br beside each file (scripts/precompress.mjs); measure it again if absent.
if [ -f "$wasm.br" ]; then br=$(stat -c %s "$wasm.br"); else
  br=$(node -e 'const z=require("zlib"),f=require("fs");const d=f.readFileSync(process.argv[1]);process.stdout.write(String(z.brotliCompressSync(d,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_LGWIN]:24}}).length))' "$wasm"); fi
js=$(cat dist/*.js | wc -c)
awk -v r="$raw" -v g="$gz" -v b="$br" -v j="$js" 'BEGIN {
  printf "wasm: %d bytes raw (%.0f KiB), %d bytes gzip (%.0f KiB), %d bytes brotli (%.0f KiB); js glue %d bytes\n", r, r/1024, g, g/1024, b, b/1024, j }'
node e2e/bench-load.mjs
node e2e/bench-frames.mjs
