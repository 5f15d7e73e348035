#!/usr/bin/env bash
# The cost of one purposeful teleport (orbit optimiser, every objective) in SGD steps at batch 64, MLP and CNN.
# Usage: bench/teleport-cost.sh [threads (2)] [rounds (3)] [teleport steps (5)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.TeleportCostBench "$@"
