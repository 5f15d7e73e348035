#!/usr/bin/env bash
# The teleport-training grid as a sweep on Spark local-cluster[2,1,1024] (two executor JVMs of one core each), then
# the per-task time distribution and the projected wall time on k executors (docs/SWEEPS.md).
# Usage: bench/sweep-study.sh [extra orbit sweep options]
#   bench/sweep-study.sh --grid paper     the full study: the paper grid (MLP, CNN, VGG-style net, ResNet; SGD, momentum,
#                                         Adam; 5 seeds; 360 tasks, docs/SWEEPS.md "The paper grid")
#   bench/sweep-study.sh                  the default MLP grid (240 tasks); --seeds 2, --quick etc. shrink either
# Needs spark/target/orbit-spark.jar and spark/target/spark-home (./mvnw install -DskipTests; ./mvnw -f spark/pom.xml test package).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-jdk.sh; orbit_find_jdk
out="${TMPDIR:-/tmp}/orbit-sweep-study"
rm -rf "$out"
flags="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
start=$(date +%s.%N)
SPARK_HOME="$PWD/spark/target/spark-home" SPARK_SCALA_VERSION=2.13 "$JAVA_HOME/bin/java" $flags \
  -cp "spark/target/orbit-spark.jar:spark/target/spark-home/jars/*" -Dspark.executor.extraJavaOptions="$flags" -Dspark.executor.extraClassPath="$PWD/spark/target/orbit-spark.jar" \
  dev.orbit.cli.OrbitCommand sweep teleport-training -o "$out" --engine spark --master 'local-cluster[2,1,1024]' "$@" 2>&1 \
  | grep -v '^tasks done' | tail -25
end=$(date +%s.%N)
python3 - "$out/sweep.json" "$start" "$end" <<'PY'
import heapq, json, statistics, sys
s = json.load(open(sys.argv[1])); t = s['task_seconds']; wall = float(sys.argv[3]) - float(sys.argv[2])
q = statistics.quantiles(t, n=20)
cpu = s.get('task_cpu_seconds') or []
print(f"{s['tasks']} tasks, {s['failed']} failed, workers {s['workers']}")
print(f"wall: {s['wall_seconds']:.1f} s sweep (Spark start to merge), {wall:.1f} s with JVM start")
print(f"per task: sum {sum(t):.1f} s, mean {statistics.mean(t):.2f} s, min {min(t):.2f}, p5 {q[0]:.2f}, median {statistics.median(t):.2f}, "
      f"p95 {q[-1]:.2f}, max {max(t):.2f}")
if cpu:
    print(f"per task CPU (the task's thread): sum {sum(cpu):.1f} s, mean {statistics.mean(cpu):.2f} s, median {statistics.median(cpu):.2f}, max {max(cpu):.2f}")
    res = json.load(open(sys.argv[1].replace('sweep.json', 'result.json')))
    settings = res['config']['settings']; seeds = res['config']['seeds']
    by_arch = {}
    for i, c in enumerate(cpu):  # task order: setting, arm, seed
        by_arch.setdefault(settings[i // (3 * seeds)]['arch'], []).append(c)
    for a, cs in by_arch.items():
        print(f"  {a}: {len(cs)} tasks, CPU per task mean {statistics.mean(cs):.2f} s, min {min(cs):.2f}, max {max(cs):.2f}")
overhead = s['wall_seconds'] - sum(t) / 2  # what two executors added beyond their share of task time
def makespan(k):  # Spark hands tasks in partition order to the first free executor
    free = [0.0] * k
    for x in t: heapq.heappush(free, heapq.heappop(free) + x)
    return max(free)
print(f"measured 2-executor makespan of the task times {makespan(2):.1f} s; fixed overhead (start, scheduling) ≈ {overhead:.1f} s")
print("k executors | projected wall (list schedule of the measured task times + overhead) | lower bound max(max task, sum/k)")
for k in (2, 16, 128):
    print(f"{k:>11} | {makespan(k) + overhead:10.1f} s | {max(max(t), sum(t) / k):8.1f} s")
PY
