# Sourced by ./orbit, ./run-tests and bench/: sets JAVA_HOME to a JDK 25 or newer, or explains what to install.
# The major version from the JDK's release file (no JVM start: every ./orbit call pays for this), else from java -version.
java_major() {
  if [ -f "$1/release" ]; then
    awk -F'"' '/^JAVA_VERSION=/ {split($2, v, "."); print v[1]; exit}' "$1/release"
  else
    "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'
  fi
}

orbit_find_jdk() {
  local d
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if [ -n "$d" ] && [ -x "$d/bin/javac" ] && [ "$(java_major "$d")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$d"; return 0
    fi
  done
  cat >&2 <<'MSG'
orbit: no JDK 25 found (looked at $JAVA_HOME and /usr/lib/jvm/*).
Install one, e.g. Eclipse Temurin 25 or OpenJDK 25, and point JAVA_HOME at it:  export JAVA_HOME=/path/to/jdk-25
MSG
  return 2
}

# Native runtime settings for every JVM that runs libtorch (see src/main/java/dev/orbit/tensor/NativeSetup.java):
# passive OpenMP waiting, OpenBLAS workers that stop spinning, oneDNN capped at AVX2 (its AVX-512 convolutions are
# wrong on the EPYC machines, docs/NOTES.md), and glibc malloc settings that keep large
# activation buffers mapped between training steps instead of faulting them in again (458k → ~100k minor
# faults over 7 MLP epochs). Values the user exported win.
orbit_native_env() {
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
  export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-4294967296}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-68719476736}"
}

# The modules that call native code when Orbit runs as the named module dev.orbit (./orbit, examples/): Orbit's own
# java.lang.foreign calls, JNI in JavaCPP, libtorch and OpenBLAS, ONNX Runtime's System.load, and JLine's terminal
# (the progress bars). Keep in step with orbit.native.access in pom.xml.
ORBIT_NATIVE_ACCESS="dev.orbit,org.bytedeco.javacpp,org.bytedeco.pytorch,org.bytedeco.openblas,com.microsoft.onnxruntime,org.jline.nativ"
