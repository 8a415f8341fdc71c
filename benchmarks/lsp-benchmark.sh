#!/usr/bin/env bash
# Speed and memory of the language server with a real lsp4j client over stdio (issue 5; the
# targets are in the header of benchmarks/lsp/LspBenchmark.java). Results go in BENCHMARKS.md.
#
# usage: benchmarks/lsp-benchmark.sh [EDITS]     (default 1000 edits of the 2,000-line program)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
edits="${1:-1000}"
work="$root/benchmarks/target/lsp"
mkdir -p "$work"
python3 "$root/benchmarks/gen_check_program.py" 2000 > "$work/program-2000-lines.dfk"
echo "program: $work/program-2000-lines.dfk ($(wc -l < "$work/program-2000-lines.dfk") lines)"

# build the jar and its class-data archive now, outside the timing
"$root/dfk" --version
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java" -cp "$root/language-server/target/dfk.jar" "$root/benchmarks/lsp/LspBenchmark.java" \
    "$root/examples" "$work/program-2000-lines.dfk" "$edits"
