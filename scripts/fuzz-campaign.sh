#!/usr/bin/env bash
# Long fuzzing campaigns with Jazzer's standalone driver, on the same targets ./run-tests fuzzes for a few seconds
# each (src/test/java/dev/orbit/fuzz). Runs the targets one after another, low priority, and prints per target:
# executions, seconds, executions/s, crashes (untyped exceptions, Errors, JVM crashes), hangs (an input over 10 s)
# and out-of-memory findings. Findings land in target/fuzz/TARGET/findings/; commit each as a regression input
# under src/test/resources/dev/orbit/fuzz/<Class>Inputs/<method>/ with a fix.
#
#   scripts/fuzz-campaign.sh [RUNS_PER_TARGET] [TARGET[:RUNS]...]   targets: idx npy safetensors element onnx (default: all)
#   e.g. scripts/fuzz-campaign.sh 1000000 idx:4000000 npy:4000000 element onnx
#   FUZZ_NICE=19 (default) FUZZ_HEAP=2g (default) FUZZ_KEEP_GOING=50 (distinct findings before a target stops)
#   FUZZ_MAX_SECONDS=172800 (per target; also overrides the short @FuzzTest(maxDuration) CI uses)
#   FUZZ_TIMEOUT=10: seconds after which one input counts as a hang. On a loaded shared machine at nice 19 a
#   process may get a twentieth of a core, and a 20 ms input can take 10 s of wall time: raise it there, and
#   replay the final corpus at normal priority (REPLAY=1, which runs every corpus input once) to measure inputs.
#   The summary's "slowest" column is libFuzzer's slowest input (s).
#
# JavaCPP's check of the process's physical memory on every native allocation is switched off
# (-Dorg.bytedeco.javacpp.maxPhysicalBytes=0): it reads /proc on each libtorch tensor and took a tenth of the time of
# the evaluation steps; -rss_limit_mb bounds memory instead.
# The classes are copied to target/fuzz/classes.PID first, so rebuilding the project (or starting another campaign
# for other targets beside this one) does not disturb a campaign.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/find-jdk.sh"
orbit_find_jdk || exit 2
orbit_native_env
cd "$root"

runs="${1:-1000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(idx npy safetensors element onnx)

declare -A class=([idx]=IdxFuzzTest [npy]=NpyFuzzTest [safetensors]=SafetensorsFuzzTest [element]=ElementFileFuzzTest [onnx]=OnnxPipelineFuzzTest)
declare -A method=([idx]=idx [npy]=npy [safetensors]=safetensors [element]=elementFile [onnx]=onnxPipeline)

work="$root/target/fuzz"
mkdir -p "$work"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
classes="$work/classes.$$"
trap 'rm -rf "$classes"' EXIT
rm -rf "$classes" && mkdir -p "$classes"
cp -r target/classes "$classes/main" && cp -r target/test-classes "$classes/test"
cp="$classes/test:$classes/main:$(cat "$work/classpath.txt")"

printf '%-8s %12s %8s %9s %8s %6s %5s %8s\n' target executions seconds exec/s crashes hangs ooms slowest
total=0
for spec in "${targets[@]}"; do
  t="${spec%%:*}"
  n="$runs"
  [[ "$spec" == *:* ]] && n="${spec#*:}"
  c="${class[$t]:?unknown target $t (idx npy safetensors element onnx)}"
  dir="$work/$t"
  mkdir -p "$dir/corpus" "$dir/findings"
  seeds="$root/src/test/resources/dev/orbit/fuzz/${c}Inputs/${method[$t]}"
  start=$(date +%s)
  touch "$dir/started"
  log="$dir/log"
  if [ "${REPLAY:-0}" = 1 ]; then n=0; log="$dir/replay.log"; fi
  (cd "$dir" && nice -n "${FUZZ_NICE:-19}" "$JAVA_HOME/bin/java" -Xmx"${FUZZ_HEAP:-2g}" -XX:+UseSerialGC -XX:+EnableDynamicAgentLoading \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dorbit.root="$root" \
      -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$cp" \
      com.code_intelligence.jazzer.Jazzer --target_class="dev.orbit.fuzz.$c" \
      --instrumentation_includes='dev.orbit.**:ai.onnx.**:com.google.protobuf.**:com.fasterxml.jackson.**' \
      --keep_going="${FUZZ_KEEP_GOING:-50}" --reproducer_path="$dir/findings" \
      -runs="$n" -max_total_time="${FUZZ_MAX_SECONDS:-172800}" -timeout="${FUZZ_TIMEOUT:-10}" -report_slow_units=10 -rss_limit_mb=8192 -artifact_prefix="$dir/findings/" -print_final_stats=1 \
      "$dir/corpus" "$seeds" >"$log" 2>&1) || true
  secs=$(( $(date +%s) - start ))
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  [ -z "$execs" ] && execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  execs=${execs:-0}
  # this run's findings only (earlier runs' stay in the folder)
  crashes=$(find "$dir/findings" -name 'crash-*' -newer "$dir/started" | wc -l)
  hangs=$(find "$dir/findings" -name 'timeout-*' -newer "$dir/started" | wc -l)
  ooms=$(find "$dir/findings" -name 'oom-*' -newer "$dir/started" | wc -l)
  total=$(( total + execs ))
  slowest=$(grep -aoE 'stat::slowest_unit_time_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  printf '%-8s %12d %8d %9d %8d %6d %5d %8s\n' "$t" "$execs" "$secs" $(( execs / (secs > 0 ? secs : 1) )) "$crashes" "$hangs" "$ooms" "${slowest:-?}"
done
printf '%-8s %12d\n' total "$total"
echo "logs and findings: $work/<target>/{log,findings}"
