#!/usr/bin/env bash
# Function preservation and weight change of teleported fixtures (the symmetry-engine table).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.TeleportTable "$@"
