#!/usr/bin/env bash
# The issue's kernel figure: NNGP and NTK regression (infinite width, ReLU, σ_w² = 2, σ_b² = 0.01, NTK
# parameterisation) on the first 2,000 bundled training digits, tested on the 2,000 held-out bundled test digits,
# for depth 1, 3 and 5 (hidden layers), next to finite ReLU MLPs of the same depth trained on the same 2,000 digits
# with Orbit's trainer (`orbit train`: width W, E epochs, SGD momentum 0.9, lr 0.1 cosine, batch 64, weight decay
# 5e-4, Kaiming init, no augmentation since the kernels see none; SEEDS seeds, mean and range reported).
#
# Usage: bench/kernel-accuracy.sh [width (default 512)] [epochs (default 30)] [seeds (default 3)] [out dir (default: a temp dir)]
set -euo pipefail
cd "$(dirname "$0")/.."
width="${1:-512}"
epochs="${2:-30}"
seeds="${3:-3}"
out="${4:-$(mktemp -d)}"
mkdir -p "$out"
echo "kernel accuracy figure: width=$width epochs=$epochs seeds=$seeds out=$out; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

./orbit kernel --arch "mlp:784-${width}-10:relu" --depth 1,3,5 --train 2000 --test 2000 --quiet -o "$out/kernel" | tee "$out/kernel.txt"

for depth in 1 3 5; do
  for ((seed = 0; seed < seeds; seed++)); do
    ./orbit train --arch "mlp:784-${width}x${depth}-10:relu" --train-samples 2000 --epochs "$epochs" --augment none \
      --seed "$seed" --json -o "$out/mlp-d${depth}-s${seed}.onnx" > "$out/mlp-d${depth}-s${seed}.json"
    echo "trained depth $depth seed $seed: test accuracy $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['test_accuracy'])" "$out/mlp-d${depth}-s${seed}.json")"
  done
done

python3 - "$out" "$width" "$epochs" "$seeds" <<'PYEOF'
import json, sys
out, width, epochs, seeds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
k = json.load(open(f"{out}/kernel/result.json"))
print()
print(f"2,000 bundled training digits, 2,000 held-out test digits; ReLU; test accuracy")
print(f"{'depth':>5}  {'NNGP':>7}  {'NTK t=inf':>9}  {'NTK flow best':>13}  finite MLP (width {width}, {epochs} epochs, mean of {seeds} seeds)")
for d in k["depths"]:
    accs = [json.load(open(f"{out}/mlp-d{d['depth']}-s{s}.json"))["test_accuracy"] for s in range(seeds)]
    mean = sum(accs) / len(accs)
    best_flow = max(p["test_accuracy"] for p in d["flow"])
    print(f"{d['depth']:>5}  {d['nngp']['test_accuracy']:7.4f}  {d['ntk']['test_accuracy']:9.4f}  {best_flow:13.4f}  "
          f"{mean:.4f} (range {min(accs):.4f}-{max(accs):.4f})")
print(f"\nkernel report: {out}/kernel/report.html")
PYEOF
