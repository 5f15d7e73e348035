#!/usr/bin/env bash
# Infinite-width NNGP kernel, Orbit vs numpy: the depth-5 ReLU MLP kernel (NTK parameterisation, σ_w² = 2,
# σ_b² = 0.01, arc-cosine rule with θ = atan2) of the first N bundled training digits, N×N float64 (default N = 4000:
# 128 MB), computed from the pixels (the Gram product X·Xᵀ/d included) on both sides. Alternating rounds (odd
# rounds Orbit first), one timing per side per round; prints min / median / max per side, the load average before
# every round, the ratio Orbit/numpy (target <= 1.0) and the max abs difference between the two kernels.
#
# The numpy peer is a vectorised implementation of the same formulas over the whole matrix, with in-place ufuncs
# (out=) so it allocates no more than it must; numpy's elementwise ufuncs run on one thread, its matrix product on
# OPENBLAS_NUM_THREADS threads. Orbit runs libtorch with the same thread count for both its elementwise ops and
# its OpenBLAS product, and carries row blocks of ~2 MB through all layers while they are in cache
# (src/main/java/dev/orbit/spectra/MlpKernel.java). Same data, same float64, same thread count (see ../shared/PEERS.md).
#
# Usage: bench/nngp-vs-numpy.sh [threads (default: all cores)] [rounds (default 7)] [n (default 4000)] [depth (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."

threads="${1:-$(nproc)}"
rounds="${2:-7}"
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
bench_build
export ORBIT_BENCH_BUILT=1
for ((r = 1; r <= rounds; r++)); do
  echo "round $r load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  sides=(orbit numpy)
  [ $((r % 2)) -eq 0 ] && sides=(numpy orbit)
  for side in "${sides[@]}"; do
    if [ "$side" = orbit ]; then
      run_bench dev.orbit.bench.NngpBench "$threads" 1 "$n" "$depth" "$kernel_file" | tee -a "$results"
    else
      "$PY" bench/nngp_numpy.py round "$n" "$depth" "$threads" | tee -a "$results"
    fi
  done
done

"$PY" - "$results" "$n" "$depth" "$threads" <<'PYEOF'
import re, statistics, sys
text = open(sys.argv[1]).read()
full = [float(v) for v in re.findall(r"orbit-full .*seconds=([\d.]+)", text)]
sym = [float(v) for v in re.findall(r"orbit-symmetric .*seconds=([\d.]+)", text)]
peer = [float(v) for v in re.findall(r"numpy .*seconds=([\d.]+)", text)]
def spread(v): return f"min {min(v):7.3f}  median {statistics.median(v):7.3f}  max {max(v):7.3f}"
print(f"\ndepth-{sys.argv[3]} ReLU NNGP kernel, {sys.argv[2]}x{sys.argv[2]} float64, {sys.argv[4]} threads, {len(peer)} alternating rounds (s)")
print(f"  numpy (full matrix)                          {spread(peer)}")
print(f"  orbit, full matrix (the same work)           {spread(full)}   ratio of medians {statistics.median(full) / statistics.median(peer):5.2f} (target <= 1.0)")
print(f"  orbit, symmetric (upper triangle, mirrored)  {spread(sym)}   ratio of medians {statistics.median(sym) / statistics.median(peer):5.2f} (what orbit kernel runs)")
PYEOF
"$PY" bench/nngp_numpy.py compare "$n" "$depth" "$kernel_file"
