#!/usr/bin/env bash
# Runs every check and all three test layers, installing what they need first:
#   formatting and clippy (native and wasm, warnings are errors),
#   native `cargo test`, wasm-bindgen tests in headless Chromium, and end-to-end Playwright
#   tests against the release build (screenshots under test-output/e2e/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
out=test-output
mkdir -p "$out"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --all-targets --quiet -- -D warnings
step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --bin page --tests --quiet -- -D warnings

step "native tests (cargo test)"
cargo test 2>&1 | tee "$out/native.log"

step "browser component tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee "$out/wasm.log"

step "release build (trunk)"
trunk --skip-version-check build --release

step "end-to-end tests (Playwright + Chromium against dist/)"
node --test --test-reporter=tap e2e/ 2>&1 | tee "$out/e2e.log"

# Counts per layer, from each runner's own summary lines.
sum() { grep -Eo "$2" "$1" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
np=$(sum "$out/native.log" '[0-9]+ passed'); nf=$(sum "$out/native.log" '[0-9]+ failed')
wp=$(sum "$out/wasm.log" '[0-9]+ passed'); wf=$(sum "$out/wasm.log" '[0-9]+ failed')
ep=$(sum "$out/e2e.log" '^# pass [0-9]+'); ef=$(sum "$out/e2e.log" '^# fail [0-9]+')
step "summary"
echo "native: $np passed, $nf failed"
echo "wasm: $wp passed, $wf failed"
echo "e2e: $ep passed, $ef failed"
echo "screenshots: $out/e2e/"
echo "total: $((np + wp + ep)) passed, $((nf + wf + ef)) failed"
[ $((nf + wf + ef)) -eq 0 ] && [ "$wp" -gt 0 ] && [ "$ep" -gt 0 ]
