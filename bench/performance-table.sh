#!/usr/bin/env bash
# Every row of the performance table (docs/MEASUREMENTS.md, "Every hot path against its peer") in one run: each
# benchmark script in turn with 7 alternating rounds, its full output kept in DIR, and the lines that carry the
# figures (ratios, min/median/max, load) printed as it goes. Run it on a quiet machine: the figures are ratios of
# neighbours, but a concurrent build still shifts them (the scripts print the load beside every round).
#
#   bench/performance-table.sh [DIR (default /tmp/orbit-performance)] [ROUNDS (default 7)] [THREADS (default 2)]
#   BENCH_BLAS=native bench/performance-table.sh ...: every row with OpenBLAS's own kernel choice (bench/common.sh)
#
# Rows: evaluator (MLP, MobileNetV3 block, ResNet-18) vs ONNX Runtime; training MLP and CNN vs PyTorch; ESD vs numpy
# Gram + scipy eigvalsh; NNGP vs numpy; teleport of the 97 MB model vs import + export; hyperbolic layer vs MLP layer
# (when bench/hyperbolic-vs-mlp.sh exists); start-up of small commands.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-/tmp/orbit-performance}"; rounds="${2:-7}"; threads="${3:-2}"
mkdir -p "$dir"
source bench/common.sh
bench_blas_note
row() {  # row NAME SCRIPT ARGS...: runs one script, keeps its output, prints its figure lines
  local name="$1"; shift
  echo "== $name: $* (load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)"
  local t0; t0=$(date +%s)
  if ! "$@" >"$dir/$name.log" 2>&1; then echo "   FAILED (see $dir/$name.log)"; return 0; fi
  grep -E -i 'ratio|median|load|target|^(mlp|cnn):|version|inspect' "$dir/$name.log" | tail -12 | sed 's/^/   /'
  echo "   ($(( $(date +%s) - t0 )) s)"
}
row evaluator bench/evaluator-vs-ort.sh "$threads" "$rounds"
row train bench/train-vs-pytorch.sh "$threads" 3 "$rounds"
row esd bench/esd-vs-scipy.sh "$threads" 4096 "$rounds"
row nngp bench/nngp-vs-numpy.sh "$threads" "$rounds"
row teleport-large bench/teleport-large.sh "$rounds"
[ -x bench/hyperbolic-vs-mlp.sh ] && row hyperbolic bench/hyperbolic-vs-mlp.sh "$threads" "$rounds"
row startup bench/startup.sh 10
echo "full outputs: $dir"
