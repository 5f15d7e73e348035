#!/usr/bin/env bash
# Infinite-width NNGP kernel, Orbit vs numpy: the depth-5 ReLU MLP kernel (NTK parameterisation, σ_w² = 2,
# σ_b² = 0.01, arc-cosine rule with θ = atan2) of the first N bundled training digits, N×N float64 (default N = 4000:
# 128 MB), computed from the pixels (the Gram product X·Xᵀ/d included) on both sides. Prints the median of the
# timed runs per side, the ratio Orbit/numpy (target <= 1.0) and the max abs difference between the two kernels.
#
# The numpy peer is a vectorised implementation of the same formulas over the whole matrix, with in-place ufuncs
# (out=) so it allocates no more than it must; numpy's elementwise ufuncs run on one thread, its matrix product on
# OPENBLAS_NUM_THREADS threads. Orbit runs libtorch with the same thread count for both its elementwise ops and
# its OpenBLAS product, and carries row blocks of ~2 MB through all layers while they are in cache
# (src/main/java/dev/orbit/spectra/MlpKernel.java). Same data, same float64, same thread count (see ../shared/PEERS.md).
#
# Usage: bench/nngp-vs-numpy.sh [threads (default: all cores)] [rounds (default 5)] [n (default 4000)] [depth (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."

threads="${1:-$(nproc)}"
rounds="${2:-5}"
n="${3:-4000}"
depth="${4:-5}"
PY="${PYTHON:-python3}"
"$PY" -c 'import numpy' 2>/dev/null || { echo "bench: numpy missing for $PY" >&2; exit 2; }

export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
kernel_file="$(mktemp --suffix=.f64)"
results="$(mktemp)"
trap 'rm -f "$kernel_file" "$results"' EXIT
echo "threads=$threads rounds=$rounds n=$n depth=$depth OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

source bench/common.sh
run_bench dev.orbit.bench.NngpBench "$threads" "$rounds" "$n" "$depth" "$kernel_file" | tee "$results"

"$PY" - "$threads" "$rounds" "$n" "$depth" "$kernel_file" "$results" <<'PYEOF'
import gzip, re, sys, time
import numpy as np

threads, rounds, n, depth = (int(a) for a in sys.argv[1:5])
kernel_file, results = sys.argv[5], sys.argv[6]
SW2, SB2 = 2.0, 0.01

def digits(n):
    with gzip.open("src/main/resources/data/mnist-10k/train-images-idx3-ubyte.gz") as f:
        raw = f.read()
    count, rows, cols = (int.from_bytes(raw[o:o + 4], "big") for o in (4, 8, 12))
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols)[:n]
    return (x.astype(np.float32) / np.float32(255)).astype(np.float64)  # Orbit reads pixels as float32 /255, then float64

def nngp(x):
    d = x.shape[1]
    k = x @ x.T
    k /= d
    q = np.einsum("ij,ij->i", x, x) / d
    s = np.empty_like(k)
    t = np.empty_like(k)
    for _ in range(depth):
        k *= SW2; k += SB2                       # Dense: Σ' = σ_w²Σ + σ_b²
        q = SW2 * q + SB2
        np.multiply.outer(q, q, out=s)           # ReLU: s = √max(0, q11·q22 − q12²)
        np.multiply(k, k, out=t)
        s -= t
        np.maximum(s, 0, out=s)
        np.sqrt(s, out=s)
        np.arctan2(s, k, out=t)                  # θ
        np.subtract(np.pi, t, out=t)             # π − θ
        k *= t
        k += s
        k /= 2 * np.pi                           # Σ' = (s + (π − θ)·q12)/2π
        q = q / 2
    k *= SW2; k += SB2                           # readout Dense
    return k

x = digits(n)
nngp(x)  # warm-up
secs = []
for _ in range(rounds):
    t0 = time.perf_counter()
    k = nngp(x)
    secs.append(time.perf_counter() - t0)
med = sorted(secs)[len(secs) // 2]
print(f"numpy {np.__version__} nngp n={n} depth={depth} threads={threads} seconds={med:.4f} runs={[round(s, 3) for s in secs]}")

orbit = np.fromfile(kernel_file, dtype="<f8").reshape(n, n)
text = open(results).read()
o_full = float(re.search(r"orbit-full .*seconds=([\d.]+)", text).group(1))
o_sym = float(re.search(r"orbit-symmetric .*seconds=([\d.]+)", text).group(1))
diff = np.abs(orbit - k).max()
print()
print(f"depth-{depth} ReLU NNGP kernel, {n}x{n} float64, {threads} threads, median of {rounds} runs")
print(f"  numpy (full matrix)                          {med:8.3f} s")
print(f"  orbit, full matrix (the same work)           {o_full:8.3f} s   ratio orbit/numpy {o_full / med:5.2f}   "
      f"(target <= 1.0) {'ok' if o_full / med <= 1.0 else 'MISSED'}")
print(f"  orbit, symmetric (upper triangle, mirrored)  {o_sym:8.3f} s   ratio orbit/numpy {o_sym / med:5.2f}   "
      f"(what orbit kernel runs for K(X, X))")
print(f"  max abs difference between the kernels {diff:.2e} (kernel entries up to {np.abs(k).max():.3f}; "
      f"relative {diff / np.abs(k).max():.1e})")
PYEOF
