#!/usr/bin/env bash
# The timing emulator on the Llama2-7B decode example (32 layers, 8 sockets), side by side in one run.
# Targets (issue 4, "Speed"): one decode step under 200 ms; 1,000 decode steps under 5 s.
#   1. JMH, in-process and warm: TimingBenchmark (one step; 1,000 steps with the fitted per-step
#      model; 1,000 steps each emulated, for comparison).
#   2. The whole command, JVM start, parse and check included, with hyperfine:
#      ./dfk run examples/llama2_7b_decode.dfk --timing-only [--steps 1000 --vary S=3097]
# Results go in BENCHMARKS.md with the load average printed here.
#
# usage: benchmarks/emulator-timing.sh [RUNS]     (default 5 hyperfine runs after one warm-up)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
cd "$root"

echo "load before: $(uptime)"
./mvnw -B -ntp -q -Pbench -pl benchmarks/jmh -am package -DskipTests
java -jar benchmarks/jmh/target/benchmarks.jar TimingBenchmark -f 1

./dfk --version   # builds the jar and its class-data archive outside the timing
one="./dfk run examples/llama2_7b_decode.dfk --timing-only"
many="./dfk run examples/llama2_7b_decode.dfk --timing-only --steps 1000 --vary S=3097"
if command -v hyperfine > /dev/null 2>&1; then
    hyperfine --warmup 1 --runs "$runs" --output=null "$one" "$many"
else
    echo "hyperfine not installed (apt-get install hyperfine): one timed run of each"
    for command in "$one" "$many"; do
        /usr/bin/time -f "%e s: $command" $command > /dev/null
    done
fi
echo "load after: $(uptime)"
