#!/usr/bin/env bash
# Peak native and heap growth of importing and evaluating a float16 MLP over a loaded-JVM baseline, against the
# bytes its float16 weights and activations need (target: 1.3×). The heap is fixed and pre-touched (1 GiB), so the
# resident set minus the heap is native memory throughout.
# Usage: bench/float16-memory.sh [layers (12)] [width (2048)] [batch (256)] [runs (5)]
# F16_TRACE=1 also prints glibc's mallinfo2 (arena, in use, free) and the native resident set after each evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-jdk.sh
orbit_find_jdk || exit 2
log="$(mktemp)"
if ! ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >"$log" 2>&1; then
  grep -E "ERROR|BUILD" "$log" >&2 || cat "$log" >&2; rm -f "$log"; echo "bench: build failed" >&2; exit 70
fi
rm -f "$log"
orbit_native_env
layers="${1:-12}"; width="${2:-2048}"; batch="${3:-256}"; runs="${4:-5}"
model="$(mktemp --suffix=.onnx)"
trap 'rm -f "$model"' EXIT
java_run() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.orbit.bench.Float16MemoryBench "$@"
}
java_run write "$model" "$layers" "$width"
java_run measure "$model" "$layers" "$width" "$batch" "$runs"
