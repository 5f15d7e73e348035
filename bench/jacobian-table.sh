#!/usr/bin/env bash
# Jacobian spectra of random MLPs against free probability (the random-matrix issue's figures): var/m₁² at
# L = 4, 16, 64 (width 1000) for ReLU Gaussian, ReLU orthogonal and hard-tanh (q* = 1/4) orthogonal, the L1
# distance between histogram and predicted density at L = 8, and the one-sample NTK under isometry.
# Usage: bench/jacobian-table.sh [WIDTH [SEEDS_DEEP [SEEDS_DENSITY]]]   (defaults 1000 3 4; ~10 min on 2 busy cores)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.JacobianTable "$@"
