#!/usr/bin/env bash
# Issue 21 item 5: one float64 training epoch (batch 64, Adam, bundled digits) of a hyperbolic length-product layer
# 784→64 (h2, horocycle) against the MLP layer of the same width, alternating rounds; the ratio per round and its
# median, in wall-clock and process CPU seconds; then the elementwise floor (one asinh / one multiply pass over the
# [64, 64, 784] pairwise terms per batch of an epoch) and the load average.
# Usage: bench/hyperbolic-vs-mlp.sh [threads (2)] [rounds (3)]
#   On a loaded machine use 1 thread and read the CPU figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.HyperbolicLayerBench "$@"
