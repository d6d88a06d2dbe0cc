#!/usr/bin/env bash
# The figures of the hostile-input catalogue (tests/hostile/*.case): each case run alone,
# natively, under /usr/bin/time -v; prints every case's wall time, CPU time (user + system:
# steadier than wall time on a busy machine) and peak memory, then the slowest case, the
# busiest and the largest. A measurement, not a test (tests/hostile.rs is the test).
#
#   scripts/hostile-figures.sh [--release] [CASE…]
#
# Each case runs under a memory cap (ulimit -v, 4 GiB) and a wall-clock guard (120 s), so a
# runaway case shows as failed instead of taking the machine down.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=()
if [[ "${1:-}" == "--release" ]]; then
    profile=(--release)
    shift
fi
bin=$(cargo test "${profile[@]}" --test hostile --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*hostile[^"]*\)".*/\1/p' | tail -1)
[[ -x "$bin" ]] || { echo "hostile-figures: could not build the hostile test" >&2; exit 1; }

if (($# > 0)); then
    cases=("$@")
else
    cases=()
    for f in tests/hostile/*.case; do
        n=${f##*/}
        cases+=("${n%.case}")
    done
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
slowest=("" 0)
busiest=("" 0)
largest=("" 0)
failed=0
printf '%-48s %10s %8s %10s  %s\n' CASE SECONDS CPU_S MAX_RSS_MB RESULT
for c in "${cases[@]}"; do
    result=ok
    if ! (ulimit -v $((4 << 20)); RUST_BACKTRACE=0 HOSTILE_CASE="$c" timeout 120 /usr/bin/time -v "$bin" --exact \
        every_hostile_case_ends_with_its_clear_message_within_its_bounds --test-threads=1 >"$log.out" 2>"$log"); then
        result=FAILED
        failed=$((failed + 1))
    fi
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    # CPU seconds (user + system): what the case costs, whatever else the machine is doing.
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { t += $2 } END { printf "%.2f", t }' "$log")
    # m:ss.cc or h:mm:ss → seconds
    secs=$(awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else if (NF == 2) print $1 * 60 + $2; else print 0 }' <<<"${wall:-0}")
    mb=$(( ${rss:-0} / 1024 ))
    printf '%-48s %10s %8s %10s  %s\n' "$c" "$secs" "$cpu" "$mb" "$result"
    if [[ $result == FAILED ]]; then
        sed -n '/cases failed:/,/^--- printed/p' "$log.out" | head -12 | sed 's/^/    /'
        grep -E 'Command terminated|Killed|memory allocation' "$log" | head -2 | sed 's/^/    /' || true
    fi
    if awk "BEGIN { exit !($secs > ${slowest[1]}) }"; then slowest=("$c" "$secs"); fi
    if awk "BEGIN { exit !($cpu > ${busiest[1]}) }"; then busiest=("$c" "$cpu"); fi
    if ((mb > largest[1])); then largest=("$c" "$mb"); fi
done
rm -f "$log.out"
echo
echo "cases: ${#cases[@]}, failed: $failed"
echo "slowest: ${slowest[0]} (${slowest[1]} s)"
echo "most CPU: ${busiest[0]} (${busiest[1]} s user+system)"
echo "largest memory: ${largest[0]} (${largest[1]} MB)"
