#!/usr/bin/env bash
# Times `./dfk check` on a generated 5,000-line DFK program, JVM start included.
# Target (issue 2, "Speed"): under 3 s wall on the project's 2-core machine. Results go in BENCHMARKS.md.
#
# usage: benchmarks/check-5000-lines.sh [RUNS]     (default 5 runs after one warm-up)
# Uses hyperfine when installed (Debian package `hyperfine`), else /usr/bin/time in a loop.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
work="$root/benchmarks/target"
program="$work/check-5000-lines.dfk"
mkdir -p "$work"

python3 "$root/benchmarks/gen_check_program.py" 5000 > "$program"
echo "program: $program ($(wc -l < "$program") lines, $(grep -c '^kernel' "$program") kernels)"

# build the jar and its class-data archive now, outside the timing
"$root/dfk" --version
if ! "$root/dfk" check "$program" > "$work/check-5000-lines.out"; then
    echo "warning: the program does not check clean (see $work/check-5000-lines.out); timing it anyway" >&2
fi

report() {
    python3 - "$@" <<'PY'
import statistics, sys
times = sorted(float(t) for t in sys.argv[1:])
print(f"dfk check, 5,000 lines: min {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
      f"max {times[-1]:.2f} s over {len(times)} runs (target: under 3 s)")
PY
}

if command -v hyperfine > /dev/null 2>&1; then
    hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$work/check-5000-lines.json" \
        "'$root/dfk' check '$program'"
    mapfile -t times < <(python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["results"][0]["times"]: print(t)' "$work/check-5000-lines.json")
else
    echo "hyperfine not installed (apt-get install hyperfine): timing with /usr/bin/time"
    "$root/dfk" check "$program" > /dev/null 2>&1 || true # warm-up
    times=()
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e" -o "$work/time.txt" "$root/dfk" check "$program" > /dev/null 2>&1 || true
        times+=("$(tail -n 1 "$work/time.txt")")
    done
fi
report "${times[@]}"
