#!/usr/bin/env bash
# Issue 6: the CoE targets end to end, with the emulator-backed model resolver (docs in BENCHMARKS.md,
# "CoE end to end"): ./dfk coe simulate of 100,000 requests over examples/samba_coe.coe's 150 experts,
# and ./dfk coe sweep over 1..1,000 experts on sn40l-node, dgx-a100 and dgx-h100, 1,000 requests a point.
# Whole processes (JVM start, parsing, emulating the Llama template, simulating), each run once.
# Usage: benchmarks/coe-e2e.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./dfk --version >/dev/null   # builds the jar when it is missing or stale, outside the timings
echo "== $(uptime)"
/usr/bin/time -f "== simulate, 100,000 requests: %e s wall, %M KiB max resident" \
    ./dfk coe simulate examples/samba_coe.coe --workload chatbot_batch8 --requests 100000 >/dev/null
/usr/bin/time -f "== sweep 1..1,000 experts, 3 platforms, 1,000 requests a point: %e s wall, %M KiB max resident" \
    ./dfk coe sweep examples/samba_coe.coe --workload chatbot_batch8 --experts 1..1000 --requests 1000 >/dev/null
