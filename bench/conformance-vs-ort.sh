#!/usr/bin/env bash
# The ONNX backend conformance suite (Debian libonnx-testdata) through Orbit and through ONNX Runtime 1.29
# (Java), same files, same rule: writes target/conformance/{table.md,orbit.tsv,ort.tsv} for docs/CONFORMANCE.md.
# Usage: bench/conformance-vs-ort.sh [ORT threads (default: all cores)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
run_bench dev.orbit.conformance.ConformanceTable "$@"
