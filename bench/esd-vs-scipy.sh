#!/usr/bin/env bash
# ESD of a 4096×4096 float64 Gaussian matrix: Orbit (libtorch, Gram + eigvalsh) against scipy.linalg.svdvals on the
# same matrix, same thread count for both (OPENBLAS_NUM_THREADS, torch threads). Prints the ratio orbit/scipy.
# Usage: bench/esd-vs-scipy.sh [threads (default: all cores)] [n (default 4096)] [reps (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-$(nproc)}"
n="${2:-4096}"
reps="${3:-3}"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
source bench/common.sh
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run_bench dev.orbit.bench.EsdBench "$threads" "$n" "$reps" "$tmp/matrix.f64" "$tmp/orbit.f64" | tee "$tmp/orbit.txt"
python3 bench/esd_scipy.py "$tmp/matrix.f64" "$tmp/orbit.f64" "$n" "$reps" "$tmp/orbit.txt"
