#!/usr/bin/env bash
# Issue 4, numerical mode: a 1024x1024x1024 BF16-emulated matmul on the emulator's fast path next to
# NumPy's float32 matmul, in one run on the same machine. Target: Java >= 1/3 of NumPy's GFLOP/s.
# Usage: benchmarks/matmul-vs-numpy.sh [SIZE]   (run from anywhere; builds the emulator's test classes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-1024}"
cd "$root"
./mvnw -q -o -pl plugins/io.rdustudio.core install -DskipTests
./mvnw -q -o -pl plugins/io.rdustudio.emulator test-compile
core_jar="$(ls "$HOME"/.m2/repository/io/rdustudio/io.rdustudio.core/*/io.rdustudio.core-*.jar | grep -v -e sources -e tests | head -1)"
emu="plugins/io.rdustudio.emulator/target"

echo "== Java $(java -version 2>&1 | head -1), $(nproc) cores"
java -cp "$emu/classes:$emu/test-classes:$core_jar" io.rdustudio.emulator.numeric.MatMulBenchmark "$size" 5 10 \
  | tee /tmp/matmul-java.txt

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on some machines for old OpenBLAS builds; they slow a
# current NumPy, so they are unset for this command only.
echo "== NumPy float32"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 - "$size" <<'PY' | tee /tmp/matmul-numpy.txt
import sys, time, numpy as np
n = int(sys.argv[1])
print("numpy", np.__version__)
try:
    import threadpoolctl
    for info in threadpoolctl.threadpool_info():
        print("blas:", {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")})
except ImportError:
    import io, contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        np.show_config()
    lines = [l.strip() for l in buf.getvalue().splitlines()]
    keep = [l for l in lines if any(w in l.lower() for w in ("name", "openblas", "version", "blas", "lib"))]
    print("blas (numpy.show_config):", "; ".join(keep[:12]))
rng = np.random.default_rng(1)
a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
for _ in range(5):
    a @ b
best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(10))
print(f"numpy {n}x{n}x{n} float32 matmul: best {best * 1e3:.2f} ms, GFLOP/s: {2 * n**3 / best / 1e9:.1f}")
PY

java_gf="$(grep -o 'GFLOP/s: [0-9.]*' /tmp/matmul-java.txt | awk '{print $2}')"
numpy_gf="$(grep -o 'GFLOP/s: [0-9.]*' /tmp/matmul-numpy.txt | awk '{print $2}')"
python3 -c "
j, n = $java_gf, $numpy_gf
r = j / n
print(f'== ratio java/numpy: {r:.2f} (target >= 0.33): ' + ('PASS' if r >= 1/3 else 'BELOW TARGET'))
"
