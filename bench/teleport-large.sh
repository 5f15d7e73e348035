#!/usr/bin/env bash
# orbit teleport on a ~100 MB ONNX model vs import+export unchanged, same process. Usage: bench/teleport-large.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.TeleportLargeBench "$@"
