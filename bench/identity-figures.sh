#!/usr/bin/env bash
# The figures of docs/IDENTITY.md. Usage: bench/identity-figures.sh [recovery [MOVES] | unrelated | trace [IDS] | speed]
#   recovery: orbit same on MOVES (default 100) random moves of every fixture and zoo model (op13/op11 exports), then
#             MOVES rotated moves (teleport --rotate-residual: gains folded, Haar Q) of every model whose stream rotates
#   unrelated: two MNIST MLPs trained with `orbit train` seeds 0 and 1
#   trace: trace accuracy over IDS (default 100) licensees, bundled MLP and a CNN trained with `orbit train`
#   speed: orbit same on the ~100 MB MLP of bench/teleport-large.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
what="${1:-recovery}"
work="${TMPDIR:-/tmp}/orbit-identity-figures"
mkdir -p "$work"
case "$what" in
  recovery)
    moves="${2:-100}"
    models=$(ls src/test/resources/fixtures/*.onnx src/test/resources/zoo/*_op13.onnx src/test/resources/zoo/paddle_attention_op11.onnx src/test/resources/zoo/llama_op17.onnx | grep -v unknown_op)
    run_bench dev.orbit.bench.IdentityFigures recovery "$moves" $models ;;
  unrelated)
    for s in 0 1; do [ -f "$work/mlp_seed$s.onnx" ] || ./orbit train --arch mlp:784-128-64-10:relu --epochs 3 --seed "$s" -o "$work/mlp_seed$s.onnx" --quiet; done
    run_bench dev.orbit.bench.IdentityFigures unrelated "$work/mlp_seed0.onnx" "$work/mlp_seed1.onnx" ;;
  trace)
    [ -f "$work/cnn.onnx" ] || ./orbit train --arch cnn:1x28x28-c16-p-fc64-10 --epochs 1 --seed 0 -o "$work/cnn.onnx" --quiet
    run_bench dev.orbit.bench.IdentityFigures trace "${2:-100}" src/main/resources/models/mnist_mlp.onnx "$work/cnn.onnx" ;;
  speed)
    run_bench dev.orbit.bench.IdentityFigures speed ;;
esac
