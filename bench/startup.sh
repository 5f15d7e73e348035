#!/usr/bin/env bash
# Start-up time of small commands: `orbit --version` and `orbit inspect` on the bundled MNIST MLP, through the
# ./orbit launcher, with and without the JDK 25 AOT cache (target/orbit.aot), in alternating rounds. Prints per
# case min / median / max wall seconds and the CPU seconds (user + sys), with the load average beside them.
# Neither command loads libtorch or ONNX Runtime (no native library, so JavaCPP's cache in ~/.javacpp plays no part:
# the script checks that with -Xlog:class+load). Target (issue 21): < 0.4 s.
#
#   bench/startup.sh [ROUNDS (default 10)]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
model=src/main/resources/models/mnist_mlp.onnx
./orbit --version >/dev/null   # builds the jar and the AOT cache if needed
[ -s target/orbit.aot ] || echo "bench: no AOT cache was made (target/orbit.aot is empty): the 'aot' rows equal 'plain'" >&2

source scripts/find-jdk.sh
orbit_find_jdk
orbit_native_env
jvm=(--enable-native-access="$ORBIT_NATIVE_ACCESS" --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC
  --module-path target/orbit.jar:target/lib --add-modules ALL-MODULE-PATH)
if "$JAVA_HOME/bin/java" -Xlog:class+load "${jvm[@]}" -m dev.orbit/dev.orbit.cli.OrbitCommand inspect "$model" \
    | grep -q "org.bytedeco.javacpp.Loader \|ai.onnxruntime.OrtEnvironment "; then
  echo "bench: inspect loads a native library loader (JavaCPP's Loader or ONNX Runtime)" >&2
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "rounds=$rounds load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for mode in plain aot; do
    aot=()
    [ "$mode" = aot ] && [ -s target/orbit.aot ] && aot=(-XX:AOTCache=target/orbit.aot -Xlog:aot*=off)
    for cmd in version inspect; do
      args=(--version)
      [ "$cmd" = inspect ] && args=(inspect "$model")
      /usr/bin/time -o "$results.t" -f "%e %U %S" "$JAVA_HOME/bin/java" "${aot[@]}" "${jvm[@]}" \
        -m dev.orbit/dev.orbit.cli.OrbitCommand "${args[@]}" >/dev/null
      echo "$mode $cmd $(cat "$results.t")" >>"$results"
    done
  done
  # the launcher itself (bash, the staleness check, finding the JDK) on top of the JVM, with the cache
  /usr/bin/time -o "$results.t" -f "%e %U %S" ./orbit --version >/dev/null
  echo "launcher version $(cat "$results.t")" >>"$results"
done
rm -f "$results.t"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  { k = $1 " " $2; n[k]++; wall[k, n[k]] = $3; cpu[k] += $4 + $5 }
  END {
    printf "%-18s %6s %8s %6s %10s\n", "case", "min", "median", "max", "cpu (avg)"
    split("plain version|aot version|launcher version|plain inspect|aot inspect", order, "|")
    for (i = 1; i <= 5; i++) {
      k = order[i]; m = n[k]; if (!m) continue
      for (a = 1; a <= m; a++) v[a] = wall[k, a]
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
      printf "%-18s %6.2f %8.2f %6.2f %10.2f\n", k, v[1], med, v[m], cpu[k] / m
    }
  }' "$results"
