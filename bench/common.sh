# Shared by the bench scripts: finds a JDK 25, compiles main and test classes, runs one benchmark class.
source scripts/find-jdk.sh
# Compiles main and test classes and writes the test class path. Scripts that run a class once per round call it
# once, then export ORBIT_BENCH_BUILT=1 (run_bench in a pipeline runs in a subshell and cannot set it for them).
bench_build() {
  orbit_find_jdk || exit 2
  local log; log="$(mktemp)"
  if ! ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
      -Dmdep.includeScope=test >"$log" 2>&1; then
    grep -E "ERROR|BUILD" "$log" >&2 || cat "$log" >&2; rm -f "$log"; echo "bench: build failed" >&2; exit 70
  fi
  rm -f "$log"
}
run_bench() {
  orbit_find_jdk || exit 2
  [ -n "${ORBIT_BENCH_BUILT:-}" ] || bench_build
  orbit_native_env  # scripts/find-jdk.sh
  # the class path goes in CLASSPATH, not -cp: ONNX Runtime 1.29 crashes the JVM when its options reach a few KB
  # (docs/NOTES.md); the test class path is that long
  CLASSPATH="target/classes:target/test-classes:$(cat target/bench.classpath)" \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx8g -Xms2g -XX:+UseParallelGC "$@"
}
