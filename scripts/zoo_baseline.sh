#!/usr/bin/env bash
# Runs today's Orbit CLI over every zoo file and keeps what it says, for the "before" table of docs/ZOO.md:
#   inspect, verify (Orbit's evaluator vs ONNX Runtime), symmetries --json, and teleport with inter r = 0.9
#   and permutations, then with --attention, then with --rotate-residual (the last two only
#   for files with attention / a stream the zoo expects to rotate).
# Usage: scripts/zoo_baseline.sh [OUT_DIR] [FILE_GLOB]   (defaults: /tmp/zoo-baseline, all files)
# Output: OUT_DIR/<file stem>/{inspect.txt, verify.json, symmetries.json, teleport*.json, *.rc, *.err}
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-/tmp/zoo-baseline}"
glob="${2:-*}"
mkdir -p "$out"
cd "$root"

run() {  # run NAME DIR -- orbit args...: stdout to NAME.{json,txt}, stderr to NAME.err, exit code to NAME.rc
  local name="$1" dir="$2" ext="$3"; shift 4
  ./orbit "$@" >"$dir/$name.$ext" 2>"$dir/$name.err"
  echo $? >"$dir/$name.rc"
}

for model in src/test/resources/zoo/$glob.onnx; do
  stem="$(basename "$model" .onnx)"
  dir="$out/$stem"
  mkdir -p "$dir"
  expected="${model%.onnx}.expected.json"
  echo "== $stem"
  run inspect "$dir" txt -- inspect "$model"
  run verify "$dir" json -- verify "$model" --json
  run symmetries "$dir" json -- symmetries "$model" --json
  move=(teleport "$model" -o "$dir/moved.onnx" --cob-range 0.9 --sampling INTER --permute --json)
  run teleport "$dir" json -- "${move[@]}"
  if grep -q '"QUERY_KEY"' "$expected"; then
    run teleport_attention "$dir" json -- "${move[@]}" --attention
  fi
  if grep -q '"rotatable_after_folding": true' "$expected"; then
    run teleport_rotate "$dir" json -- "${move[@]}" --rotate-residual
  fi
  rm -f "$dir/moved.onnx"
done
