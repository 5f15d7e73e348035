#!/usr/bin/env bash
# orbit scan over the zoo plus 50 keyed orbit copies (orbit license) of its models; checks the groups against the truth
# (a zoo model's opset exports and its licensed copies form one group) and prints throughput (docs/SWEEPS.md).
# Usage: bench/scan-zoo.sh [local|spark [MASTER]]   (spark: needs spark/target/orbit-spark.jar and spark/target/spark-home)
set -euo pipefail
cd "$(dirname "$0")/.."
engine="${1:-local}"
master="${2:-local-cluster[2,1,1024]}"
work="${TMPDIR:-/tmp}/orbit-scan-zoo"
mkdir -p "$work/models"
cp src/test/resources/zoo/*.onnx "$work/models/"
printf '0123456789abcdef0123456789abcdef' > "$work/key"
# 50 licensees, round-robin over one export per zoo model
bases=$(ls src/test/resources/zoo/*.onnx | sed -E 's#.*/##; s/_op[0-9]+\.onnx$//' | sort -u)
i=0
while [ "$i" -lt 50 ]; do
  for b in $bases; do
    [ "$i" -ge 50 ] && break
    src=$(ls src/test/resources/zoo/${b}_op*.onnx | head -1)
    out="$work/models/${b}__licensee$i.onnx"
    [ -f "$out" ] || ./orbit license "$src" --key "$work/key" --id "licensee-$i" -o "$out" --no-verify >/dev/null 2>&1 \
      || echo "license failed for $src (licensee-$i)" >&2
    i=$((i + 1))
  done
done
printf 'not an onnx model' > "$work/models/broken.onnx"
rm -rf "$work/out"
start=$(date +%s.%N)
if [ "$engine" = spark ]; then
  source scripts/find-jdk.sh; orbit_find_jdk
  SPARK_HOME="$PWD/spark/target/spark-home" SPARK_SCALA_VERSION=2.13 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -cp "spark/target/orbit-spark.jar:spark/target/spark-home/jars/*" \
    -Dspark.executor.extraJavaOptions="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow" \
    -Dspark.executor.extraClassPath="$PWD/spark/target/orbit-spark.jar" \
    dev.orbit.cli.OrbitCommand scan "$work/models" -o "$work/out" --engine spark --master "$master" 2>&1 | grep -v '^tasks done' | tail -5
else
  ./orbit scan "$work/models" -o "$work/out" --engine local 2>&1 | grep -v '^tasks done' | tail -5
fi
end=$(date +%s.%N)
python3 - "$work/out/result.json" "$work/out/sweep.json" "$start" "$end" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
def base(f):
    n = f.rsplit('/', 1)[-1]
    return re.sub(r'(__licensee\d+|_op\d+)\.onnx$', '', n)
files = [m['file'] for m in r['models']]
truth = {}
for f in files: truth.setdefault(base(f), set()).add(f)
found = [set(g) for g in r['groups']]
false_merges = [g for g in found if len({base(f) for f in g}) > 1]
near = {(p['a'], p['b']) for p in r['near']}
def linked(a, b):  # same group, or a near pair between their groups
    ga = next((g for g in found if a in g), {a}); gb = next((g for g in found if b in g), {b})
    return ga == gb
missed = []
for b, fs in sorted(truth.items()):
    if len(fs) < 2: continue
    g = next((g for g in found if fs <= g), None)
    if g is None:
        parts = [sorted(x for x in g2 if base(x) == b) for g2 in found if any(base(x) == b for x in g2)]
        loose = sorted(f for f in fs if not any(f in g2 for g2 in found))
        missed.append((b, len(fs), [len(p) for p in parts], len(loose)))
print(f"models {len(files)}, unreadable {len(r['unreadable'])}, truth groups {sum(1 for v in truth.values() if len(v) > 1)}, "
      f"found groups {len(found)}, complete {sum(1 for v in truth.values() if len(v) > 1) - len(missed)}, false merges {len(false_merges)}, near pairs {len(r['near'])}")
for m in missed: print(f"  incomplete: {m[0]} ({m[1]} files): split into groups of {m[2]} and {m[3]} ungrouped")
for g in false_merges: print("  FALSE MERGE:", sorted(g))
cross = [p for p in r['near'] if base(p['a']) != base(p['b'])]
print(f"near pairs across different models: {len(cross)}")
wall = float(sys.argv[4]) - float(sys.argv[3])
n = len(r['config']['files'])
print(f"engine {s['engine']}: {n} files in {s['wall_seconds']:.1f} s sweep wall ({n / s['wall_seconds']:.2f} models/s), "
      f"{wall:.1f} s with JVM start ({n / wall:.2f} models/s); sum of per-model fingerprint time {r['seconds']:.1f} s")
PY
