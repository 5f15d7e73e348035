#!/usr/bin/env bash
# The cost of one purposeful teleport (orbit optimiser, every objective, and the symmetry-teleport experiment's pinned
# sharpness arm) in SGD steps at batch 64, MLP and CNN, in wall-clock and in process CPU time.
# Usage: bench/teleport-cost.sh [threads (2)] [rounds (3)] [teleport steps (5)] [SPEC...]
#   SPEC as `orbit train --teleport` takes it (e.g. trace:steps=5:sample=16): measure the pinned arm and these only.
#   On a loaded machine use 1 thread and read the CPU columns (OpenMP workers spin when they wait for a core).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.TeleportCostBench "$@"
