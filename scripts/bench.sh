#!/usr/bin/env bash
# Runs every benchmark and prints one table: figure, goal, and the ratio to upstream's
# scheduler_perf threshold where the shape has a peer. Native benches are built with the
# `bench-native` profile (opt-level 3); the page (`--page`) with the release (size) profile.
# Timings on a shared machine are noisy: run it a few times and compare medians.
#   scripts/bench.sh            # native benches
#   scripts/bench.sh --page     # and the page: wasm size, load time, frames (needs trunk, chromium)
#   BENCH_SCALE=10 scripts/bench.sh   # everything 10× smaller, for a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo build --quiet --profile bench-native --example bench_scheduling --example bench_tick
bin="${CARGO_TARGET_DIR:-target}/bench-native/examples"
"$bin/bench_scheduling" 2>/dev/null | tee -a "$out"
"$bin/bench_tick" 2>/dev/null | tee -a "$out"
if [ "${1:-}" = "--page" ]; then
  scripts/bench-page.sh 2>&1 | tee -a "$out"
fi
echo
awk '
  BEGIN { printf "| %-44s | %-22s | %-14s | %s\n", "measure", "figure", "goal", "vs upstream threshold"
          printf "|%s|%s|%s|%s\n", "----------------------------------------------", "------------------------", "----------------", "----------------------" }
  /pods\/s \(/ {
    name = $1; sub(":", "", name)
    match($0, /scheduling [0-9]+ pods\/s/); fig = substr($0, RSTART + 11, RLENGTH - 11)
    match($0, /goal [0-9]+/); goal = substr($0, RSTART + 5, RLENGTH - 5)
    match($0, /[0-9.]+× upstream.s threshold [0-9]+/); up = substr($0, RSTART, RLENGTH)
    printf "| %-44s | %-22s | >= %-11s | %s\n", name " (" $6 " nodes)", fig, goal " pods/s", up }
  /node and queue views/ {
    n = $1; v = $NF
    printf "| %-44s | %-22s | %-14s | %s\n", "page views for " n " pods (bench_tick)", v, (n >= 5000 ? "<= 5ms" : ""), "-" }
  /^wasm:/ {
    match($0, /gzip \([0-9]+/); gz = substr($0, RSTART + 6, RLENGTH - 6)
    match($0, /brotli \([0-9]+/); br = substr($0, RSTART + 8, RLENGTH - 8)
    printf "| %-44s | %-22s | %-14s | %s\n", "wasm download (gzip / brotli)", gz " / " br " KiB", "<= 1024 / 700 KiB", "-" }
  /^load to cluster drawn/ {
    printf "| %-44s | %-22s | %-14s | %s\n", "load -> cluster drawn (median of 5)", $6 " ms", "<= 300 ms", "-" }
  /frames in 5 s/ {
    match($0, /p95 [0-9.]+ ms, max [0-9.]+ ms/)
    printf "| %-44s | %-22s | %-14s | %s\n", "frames with " $1 " pods", substr($0, RSTART, RLENGTH), ($1 >= 5000 ? "p95 <= 33, max <= 100" : "p95 <= 17"), "-" }
' "$out"
