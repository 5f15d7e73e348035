#!/usr/bin/env bash
# orbit teleport on a ~100 MB ONNX model vs import+export unchanged, same process, alternating rounds, spread and load.
# Usage: bench/teleport-large.sh [rounds (default 7)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.TeleportLargeBench "$@"
