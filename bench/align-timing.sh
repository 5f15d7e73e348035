#!/usr/bin/env bash
# Timing of issue 18: orbit align (weight matching) of two 784-4096x3-10 MLPs, on this machine's cores.
# Usage: bench/align-timing.sh [ROUNDS] [MODES]   (default 2 rounds of "float64 fast": float64 products, then
# --fast-products; e.g. bench/align-timing.sh 1 fast)
# Prints per run: sweeps, seconds per sweep, products and solver seconds (share of the alignment), total, the load
# average before and after, and the CPU seconds (user + sys) of the whole orbit process: the development machine is
# shared, and on a loaded machine wall seconds mostly measure the wait for a core (a quiet 2-core machine needs at
# least CPU / 2 of wall time).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
modes="${2:-float64 fast}"
work="${TMPDIR:-/tmp}/orbit-align-timing"
mkdir -p "$work"
# two independently trained models: 1 epoch on 2,000 training digits each (seeds 0 and 1)
for s in 0 1; do
  [ -f "$work/mlp4096_seed$s.onnx" ] || ./orbit train --arch mlp:784-4096x3-10:relu --epochs 1 --train-samples 2000 \
      --seed "$s" -o "$work/mlp4096_seed$s.onnx" --quiet
done
summary() {
  /usr/bin/env python3 -c '
import json, sys
r = json.load(sys.stdin)
sw = r["sweep_seconds"]
total = r["seconds"]
print("  sweeps %d, seconds per sweep %s, products %.1f s, solver %.1f s (%.0f %% of the alignment), alignment %.1f s, distance %.4f -> %.4f" % (
    r["sweeps"], " ".join("%.1f" % s for s in sw), r["product_seconds"], r["solver_seconds"],
    100 * r["solver_seconds"] / total, total, r["distance_before"], r["distance_after"]))'
}
for round in $(seq 1 "$rounds"); do
  for mode in $modes; do
    extra=""; [ "$mode" = fast ] && extra="--fast-products"
    echo "round $round, $mode products: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
    TIMEFORMAT="  with JVM start, load and save: wall %R s, CPU %U s user + %S s sys"
    time (./orbit align "$work/mlp4096_seed0.onnx" "$work/mlp4096_seed1.onnx" -o "$work/aligned.onnx" --no-verify --json $extra | summary)
    echo "  load average after $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
