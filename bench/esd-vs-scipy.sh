#!/usr/bin/env bash
# ESD of a 4096×4096 float64 Gaussian matrix, the same algorithm on both sides: Orbit's Gram route (OpenBLAS
# dsyrk for WᵀW, then libtorch's linalg_eigvalsh) against numpy's Gram (w.T @ w, which numpy also computes with
# syrk) + scipy.linalg.eigvalsh (drivers evd and evr; the faster one is the peer) on the same matrix, same thread
# count (OPENBLAS_NUM_THREADS, torch threads). Alternating rounds (odd rounds Orbit first), one timing per side per
# round; prints min / median / max per side, the ratio of medians and the load average before every round.
# Context lines (not the ratio): Orbit's svdvals route, scipy's svdvals (3× the work of Gram + eigvalsh), and the
# full per-layer analysis.
# Usage: bench/esd-vs-scipy.sh [threads (default: all cores)] [n (default 4096)] [rounds (default 7)]
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-$(nproc)}"
n="${2:-4096}"
rounds="${3:-7}"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
source bench/common.sh
bench_build
export ORBIT_BENCH_BUILT=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "context run (writes the matrix; load average $(cut -d' ' -f1-3 /proc/loadavg))"
run_bench dev.orbit.bench.EsdBench "$threads" "$n" 1 "$tmp/matrix.f64" "$tmp/orbit.f64" | tee "$tmp/orbit.txt"
python3 bench/esd_scipy.py context "$tmp/matrix.f64" "$n" "$tmp/orbit.f64" "$tmp/orbit.txt"
for ((r = 1; r <= rounds; r++)); do
  echo "round $r load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  sides=(orbit peer)
  [ $((r % 2)) -eq 0 ] && sides=(peer orbit)
  for side in "${sides[@]}"; do
    if [ "$side" = orbit ]; then
      run_bench dev.orbit.bench.EsdBench "$threads" "$n" 1 "$tmp/matrix.f64" "$tmp/unused.f64" gram-only | tee -a "$tmp/rounds.txt"
    else
      python3 bench/esd_scipy.py round "$tmp/matrix.f64" "$n" | tee -a "$tmp/rounds.txt"
    fi
  done
done
python3 - "$tmp/rounds.txt" "$n" "$threads" <<'PY'
import re, statistics, sys
orbit, peer = [], []
for line in open(sys.argv[1]):
    m = re.search(r"gram_eigvalsh_seconds=([\d.]+)", line)
    if m:
        (orbit if line.startswith("orbit") else peer).append(float(m.group(1)))
def spread(v): return f"min {min(v):.3f}  median {statistics.median(v):.3f}  max {max(v):.3f}"
print(f"\nESD of a {sys.argv[2]}x{sys.argv[2]} float64 matrix, {sys.argv[3]} threads, {len(orbit)} alternating rounds (seconds)")
print(f"  orbit  syrk + linalg_eigvalsh        {spread(orbit)}")
print(f"  peer   numpy Gram + scipy eigvalsh   {spread(peer)}")
print(f"  ratio of medians orbit/peer          {statistics.median(orbit) / statistics.median(peer):.2f}   (target <= 1.0)")
PY
