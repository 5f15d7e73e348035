#!/usr/bin/env bash
# Linear assignment, Orbit (dev.orbit.numeric.LinearAssignment, Jonker–Volgenant) against scipy's
# linear_sum_assignment (shortest augmenting paths, C++), minimising n×n float64 cost matrices, one thread each.
# Matrices: "uniform" U[0,1) and "weights" −(Wa·Wbᵀ) of two n×n standard normal matrices (the similarity that
# weight matching maximises, negated), "nearperm" (the same with Wb a permuted noisy copy of Wa: structured, the optimum
# near a planted permutation), made once per size by numpy (seed 1000+n) and written as raw float64 that
# both sides solve. Rounds alternate scipy, Orbit, scipy, … with both processes warm; only the solve is timed
# (no JVM or interpreter start-up, no file reading), after untimed solves of the same matrix: one for scipy, one
# and up to 1 s of them for Orbit (JIT warm-up).
# Prints min/median/max per side, the ratio of medians (target <= 1.0 at n = 4096), the 1-min load average before
# and after each matrix's rounds, and checks that both found the same optimal cost (1e-9 relative).
#
# Usage: bench/assignment-vs-scipy.sh [rounds (default 7)] [sizes (default 512,1024,2048,4096)] [kinds (default uniform,weights)]
#   e.g. bench/assignment-vs-scipy.sh 7 8192     (n = 8192: ~1.6 GB of memory, several minutes)
#   structured and degenerate matrices (see bench/assignment_scipy.py): bench/assignment-vs-scipy.sh 3 4096 nearperm,lowrank10
#   bench/assignment-vs-scipy.sh 3 2048 lowrank2,lowrank8,lowrank64,identical,product
# The machine is shared: run it when `uptime` shows the lowest load, and quote the load with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-7}"
sizes="${2:-512,1024,2048,4096}"
kinds="${3:-uniform,weights}"
PY="${PYTHON:-python3}"
"$PY" -c 'import numpy, scipy.optimize' 2>/dev/null || { echo "bench: numpy/scipy missing for $PY" >&2; exit 2; }

# one thread on both sides: the solvers are single-threaded, and numpy's BLAS (used only to make the matrices) too
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "rounds=$rounds sizes=$sizes kinds=$kinds OPENBLAS_NUM_THREADS=1; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
source bench/common.sh
run_bench dev.orbit.bench.AssignmentBench "$rounds" "$sizes" "$kinds" "$PY" "$work"
