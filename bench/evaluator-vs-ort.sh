#!/usr/bin/env bash
# Orbit's evaluator vs ONNX Runtime, batch-256 forward pass of a 784-1024-1024-10 MLP, same process and
# threads, alternating rounds; MLP, MobileNetV3 block, ResNet-18 body (EvaluatorBench).
# Usage: bench/evaluator-vs-ort.sh [threads (default: all cores)] [rounds (default 7)] [case ... (mlp mobilenet resnet18)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.bench.EvaluatorBench "$@"
