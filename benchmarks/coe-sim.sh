#!/usr/bin/env bash
# Issue 6: CoE serving simulation speed (docs in BENCHMARKS.md, "CoE").
# Usage: benchmarks/coe-sim.sh [simulate|sweep|all] [--slow-timing-ms N]
# Builds plugins/io.rdustudio.coe and what it needs into their target/ folders (no install) and runs
# benchmarks/coe/CoeBenchmark.java on those classes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q -o -pl plugins/io.rdustudio.coe -am package -DskipTests
gson="$(ls "$HOME"/.m2/repository/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar)"
cp="plugins/io.rdustudio.core/target/classes:plugins/io.rdustudio.coe/target/classes:$gson"
echo "== $(uptime)"
/usr/bin/time -f "== whole process: %e s wall, %M KiB max resident" java -cp "$cp" benchmarks/coe/CoeBenchmark.java "$@"
