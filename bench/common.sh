# Shared by the bench scripts: finds a JDK 25, compiles main and test classes, runs one benchmark class.
source scripts/find-jdk.sh
# BENCH_BLAS=native: some machines here pin OpenBLAS to its Haswell (AVX2) kernels through OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE, because older OpenBLAS builds go wrong on their CPU. Set BENCH_BLAS=native to unset both for the
# whole script, so that both sides (Orbit's OpenBLAS 0.3.31, numpy's and PyTorch's) run the processor's own kernels;
# the default keeps the machine's setting for both. docs/MEASUREMENTS.md gives both and says which OpenBLAS checked out.
if [ "${BENCH_BLAS:-}" = native ]; then unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; fi
bench_blas_note() {
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then echo "OpenBLAS pinned by the environment: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"
  else echo "OpenBLAS kernels: the processor's own (OPENBLAS_CORETYPE unset)"; fi
}
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
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx8g -Xms2g -XX:+UseParallelGC \
    -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 "$@"
}
