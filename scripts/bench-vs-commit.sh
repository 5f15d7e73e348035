#!/usr/bin/env bash
# Orbit against an earlier Orbit: the Orbit side of bench/teleport-large.sh, bench/train-vs-pytorch.sh and
# bench/evaluator-vs-ort.sh, run with the build of BASE and the build of NEW (default HEAD), in alternating
# rounds (odd rounds BASE first, even rounds NEW first), then the median of the rounds per figure.
#
#   scripts/bench-vs-commit.sh BASE [NEW [ROUNDS [THREADS]]]     e.g. scripts/bench-vs-commit.sh 84c15c2 HEAD 5
#
# Each commit is checked out (detached) in a worktree under $ORBIT_BENCH_WORK (default /tmp/orbit-bench) and built
# there once (test-compile), so edits in this checkout do not change what is measured. Both sides run with the same
# JVM flags and the same native environment (this checkout's scripts/find-jdk.sh, plus the training bench's
# TRAIN_BENCH_ENV defaults), so only the code differs. The load average is printed before every round: the
# machine may be shared, and a round next to a concurrent build says more about the build than about Orbit.
# Run it under nice to leave interactive work alone (the figures are ratios of neighbours, so nice hits both).
# BENCH_ONLY=teleport,evaluator,train (comma-separated) runs a subset.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="${ORBIT_BENCH_WORK:-/tmp/orbit-bench}"
die() { echo "bench-vs-commit: $*" >&2; exit 2; }

[ $# -ge 1 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
base="$1"; new="${2:-HEAD}"; rounds="${3:-5}"; threads="${4:-$(nproc)}"
[ "$rounds" -ge 1 ] 2>/dev/null || die "ROUNDS must be a positive number, got '$rounds'"

# shellcheck disable=SC1091
source "$repo/scripts/find-jdk.sh"
orbit_find_jdk || exit 2
orbit_native_env

# Checks out and builds REV; prints "SHA DIR".
build() {
  local sha wt log
  sha="$(git -C "$repo" rev-parse --verify "$1^{commit}")" || die "unknown commit '$1'"
  wt="$work/${sha:0:12}"
  if [ ! -f "$wt/target/bench.classpath" ]; then
    mkdir -p "$work"
    [ -d "$wt" ] && { git -C "$repo" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"; }
    git -C "$repo" worktree add --detach "$wt" "$sha" >/dev/null 2>&1 || die "cannot check out $sha into $wt"
    echo "== building ${sha:0:12} in $wt" >&2
    log="$(mktemp)"
    (cd "$wt" && ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
        -Dmdep.includeScope=test) >"$log" 2>&1 || { grep -E "ERROR|BUILD" "$log" >&2; rm -f "$log"; die "build of $sha failed"; }
    rm -f "$log"
  fi
  echo "${sha:0:12} $wt"
}

read -r base_sha base_dir < <(build "$base")
read -r new_sha new_dir < <(build "$new")
[ "$base_sha" != "$new_sha" ] || echo "note: BASE and NEW are the same commit (a noise check)" >&2

# run_side DIR: one round of the three Orbit benchmarks with DIR's classes, prefixed "name value" lines.
read -r -a train_env <<<"${TRAIN_BENCH_ENV-OPENBLAS_THREAD_TIMEOUT=4 MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736}"
# BENCH_ONLY=teleport,evaluator,train (default: all three) picks the benchmarks.
want() { [[ ",${BENCH_ONLY:-teleport,evaluator,train}," == *",$1,"* ]]; }
# The class path goes in CLASSPATH, not -cp: ONNX Runtime 1.29 crashes the JVM when its options reach a few KB
# (docs/NOTES.md).
run_side() {
  local dir="$1" java=(env "CLASSPATH=$dir/target/classes:$dir/target/test-classes:$(cat "$1/target/bench.classpath")"
      "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx8g -Xms2g -XX:+UseParallelGC)
  want teleport && (cd "$dir" && "${java[@]}" dev.orbit.bench.TeleportLargeBench 5) \
    | awk 'function fig() { for (i = 1; i < NF; i++) if ($i == "median") return $(i + 1); return $(NF-1) }
           /import \+ export unchanged/ {print "teleport-large.unchanged_ms", fig()} /import \+ teleport \+ export/ {print "teleport-large.teleport_ms", fig()}'
  # builds before issue 21 take [threads runs] and print one median per engine; later ones take [threads rounds
  # cases] and print "min A median B max C ms" per engine (their first case is the MLP)
  want evaluator && (cd "$dir" && "${java[@]}" dev.orbit.bench.EvaluatorBench "$threads" 9 mlp) \
    | awk '/orbit evaluator/ {print "evaluator.orbit_ms", $(NF-1)} /^  onnxruntime [0-9]/ {print "evaluator.ort_ms", $(NF-1)}
           /^  orbit +min/ {print "evaluator.orbit_ms", $5} /^  onnxruntime +min/ {print "evaluator.ort_ms", $5}'
  want train && (cd "$dir" && "${java[@]:0:2}" "${train_env[@]}" OPENBLAS_NUM_THREADS="$threads" "${java[@]:2}" dev.orbit.bench.TrainBench "$threads" 3) \
    | sed -n 's/^orbit \([^ ]*\) .*epoch_seconds=\([0-9.]*\).*/train.\1.epoch_s \2/p'
  return 0 # a benchmark left out is not a failure
}

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "BASE $base_sha ($base_dir)  NEW $new_sha ($new_dir)  rounds=$rounds threads=$threads  $(nproc) cores"
for ((r = 1; r <= rounds; r++)); do
  order=(base new); [ $((r % 2)) -eq 0 ] && order=(new base)
  for side in "${order[@]}"; do
    dir="$base_dir"; [ "$side" = new ] && dir="$new_dir"
    echo "round $r $side  load average $(cut -d' ' -f1-3 /proc/loadavg)"
    run_side "$dir" | sed "s/^/$side /" | tee -a "$results"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" "$base_sha" "$new_sha" "$rounds" <<'EOF'
import sys
from statistics import median
rows = {}
for line in open(sys.argv[1]):
    side, name, value = line.split()
    rows.setdefault(name, {}).setdefault(side, []).append(float(value))
print(f"\nmedian of {sys.argv[4]} alternating rounds (lower is better; evaluator.ort_ms is ONNX Runtime, the same in both builds)")
print(f"{'figure':<52} {'BASE ' + sys.argv[2]:>18} {'NEW ' + sys.argv[3]:>18} {'NEW/BASE':>9}  rounds NEW/BASE")
for name, sides in rows.items():
    b, n = sides.get("base", []), sides.get("new", [])
    if not b or not n:
        print(f"{name:<52} missing a side"); continue
    mb, mn = median(b), median(n)
    per = " ".join(f"{y / x:.2f}" for x, y in zip(b, n))
    print(f"{name:<52} {mb:>18.3f} {mn:>18.3f} {mn / mb:>9.3f}  {per}")
EOF
