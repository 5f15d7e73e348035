#!/usr/bin/env bash
# Same outputs before and after a rewiring: builds two commits' jars, runs the same Orbit commands with each on
# every fixture and the bundled model, and compares what they wrote (scripts/compare_outputs.py says exactly
# what is compared and what is ignored).
#
#   scripts/compare-rewiring.sh BASE NEW         build and run BASE and NEW (commit-ish), then compare
#   scripts/compare-rewiring.sh --collect REV DIR  build REV and write its outputs to DIR
#   scripts/compare-rewiring.sh --compare DIR_A DIR_B
#
# Each REV is checked out in a temporary git worktree under $ORBIT_CMP_WORK (default /tmp/orbit-compare) and built
# with './mvnw -q -B -Dmaven.test.skip=true -Dfuzz.skip=true package' (the fuzz executions find no compiled tests
# otherwise); the worktree is removed afterwards unless ORBIT_CMP_KEEP=1.
# Commands run from the output folder with relative paths, so printed paths are the same for both commits.
# ORBIT_CMP_ONLY=models|experiments restricts the collection to one half; ORBIT_CMP_ONLY=elements to what moves
# models by group elements (teleport, permute, apply --inverse on mlp_relu, transformer_prenorm and decoder_rmsnorm;
# the ode-gauge and hyperbolic experiments), a quick check for changes to the element code. Exit status: 0 when
# everything is equal, 1 when something differs, 2 on a usage or build error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="${ORBIT_CMP_WORK:-/tmp/orbit-compare}"

die() { echo "compare-rewiring: $*" >&2; exit 2; }

# Builds REV in its own worktree; prints the worktree path.
build() {
  local rev="$1" sha wt
  sha="$(git -C "$repo" rev-parse --verify "$rev^{commit}")" || die "unknown commit '$rev'"
  wt="$work/src-${sha:0:12}"
  mkdir -p "$work"
  if [ ! -f "$wt/target/orbit.jar" ]; then
    [ -d "$wt" ] && git -C "$repo" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
    git -C "$repo" worktree add --detach "$wt" "$sha" >/dev/null 2>&1 || die "cannot check out $sha into $wt"
    echo "== building ${sha:0:12} in $wt" >&2
    (cd "$wt" && source scripts/find-jdk.sh && orbit_find_jdk && ./mvnw -q -B -Dmaven.test.skip=true -Dfuzz.skip=true package) >&2 \
      || die "build of $sha failed"
  fi
  echo "$wt"
}

cleanup_worktree() {
  [ "${ORBIT_CMP_KEEP:-0}" = 1 ] && return 0
  git -C "$repo" worktree remove --force "$1" >/dev/null 2>&1 || true
}

# Runs the fixed list of commands with the jar of worktree $1, writing into $2.
collect() {
  local wt="$1" out="$2" jar java
  jar="$wt/target/orbit.jar"
  # shellcheck disable=SC1091
  source "$wt/scripts/find-jdk.sh"
  orbit_find_jdk
  orbit_native_env
  java="$JAVA_HOME/bin/java"
  rm -rf "$out"
  mkdir -p "$out/models"
  cp "$wt"/src/test/resources/fixtures/*.onnx "$wt"/src/test/resources/fixtures/*.weights "$out/models/"
  cp "$wt/src/main/resources/models/mnist_mlp.onnx" "$out/models/bundled_mnist_mlp.onnx"
  (cd "$out/models" && sha256sum -- * > ../inputs.sha256)
  git -C "$wt" rev-parse HEAD > "$out/commit"
  cd "$out"

  # run NAME ARGS...: stdout → NAME.out, stderr → NAME.err, exit status → NAME.rc
  run() {
    local name="$1"; shift
    mkdir -p "$(dirname "$name")"
    local rc=0
    "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC \
      -jar "$jar" "$@" > "$name.out" 2> "$name.err" || rc=$?
    echo "$rc" > "$name.rc"
    printf '  %-48s exit %s\n' "$name" "$rc" >&2
  }

  local only="${ORBIT_CMP_ONLY:-}" list=(models/*.onnx)
  [ "$only" = elements ] && list=(models/mlp_relu.onnx models/transformer_prenorm.onnx models/decoder_rmsnorm.onnx)
  if [ "$only" != experiments ]; then
    echo "== models (${#list[@]})" >&2
    for f in "${list[@]}"; do
      m="$(basename "$f" .onnx)"
      mkdir -p "$m"
      run "$m/symmetries" symmetries "$f" --json
      run "$m/teleport" teleport "$f" -o "$m/teleport.onnx" --seed 7 --permute --save-element "$m/teleport.element.json" --json
      [ -f "$m/teleport.onnx" ] && [ -f "$m/teleport.element.json" ] \
        && run "$m/teleport.inverse" apply "$m/teleport.onnx" "$m/teleport.element.json" --inverse -o "$m/teleport.inverse.onnx" --json
      run "$m/permute" permute "$f" -o "$m/permute.onnx" --seed 7 --save-element "$m/permute.element.json" --json
      case "$m" in
        *transformer*|*attention*|*decoder*)
          run "$m/teleport-attention" teleport "$f" -o "$m/teleport-attention.onnx" --seed 7 --permute --attention \
            --save-element "$m/teleport-attention.element.json" --json
          run "$m/teleport-rotate" teleport "$f" -o "$m/teleport-rotate.onnx" --seed 7 --permute --rotate-residual \
            --save-element "$m/teleport-rotate.element.json" --json
          ;;
      esac
    done
    [ "$only" = elements ] || {
    echo "== training (activations from the spec vocabulary)" >&2
    for act in relu leakyrelu leakyrelu0.1 tanh sigmoid elu gelu hardtanh linear selu softplus; do
      run "train/mlp-$act" train --arch "mlp:784-32-10:$act" --epochs 1 --train-samples 512 --seed 3 \
        -o "train/mlp-$act.onnx" --quiet --json
    done
    run train/cnn train --arch cnn:1x28x28-c4/bn-p-fc16-10:tanh --epochs 1 --train-samples 256 --seed 3 -o train/cnn.onnx --quiet --json
    run train/resnet train --arch resnet:1x28x28-4x1-8x1-10:elu --epochs 1 --train-samples 128 --seed 3 -o train/resnet.onnx --quiet --json
    }
  fi

  if [ "$only" = elements ]; then
    echo "== experiments that move models by elements" >&2
    run exp/ode-gauge experiment ode-gauge --quick -o exp/ode-gauge
    run exp/hyperbolic-train hyperbolic-train --quick --no-peer -o exp/hyperbolic-train
    [ -f exp/hyperbolic-train/model.onnx ] \
      && run exp/hyperbolic-orbit hyperbolic-orbit exp/hyperbolic-train/model.onnx -n 2 --samples 20 -o exp/hyperbolic-orbit
  elif [ "$only" != models ]; then
    echo "== experiments" >&2
    for e in level-curves micro-teleport gradient-scaling flatness teleport-training ode-gauge; do
      run "exp/$e" experiment "$e" --quick -o "exp/$e"
    done
    run exp/spectrum spectrum --orbit 2 --balanced -o exp/spectrum
    run exp/spectrum-cnn spectrum models/cnn_bn.onnx --svd -o exp/spectrum-cnn
    run exp/jacobian-relu jacobian --arch mlp:120-120x3-120:relu --init orthogonal --seeds 2 --ntk -o exp/jacobian-relu
    for act in tanh hard-tanh erf linear; do
      run "exp/jacobian-$act" jacobian --init gaussian --depth 3 --width 40 --activation "$act" -o "exp/jacobian-$act"
    done
    run exp/jacobian-model jacobian --model models/bundled_mnist_mlp.onnx --points 4 -o exp/jacobian-model
    run exp/kernel-relu kernel --arch mlp:784-64x2-10:relu --train 300 --test 200 --depth 1,2 --empirical-width 256 --quiet -o exp/kernel-relu
    run exp/kernel-tanh kernel --arch mlp:784-10-10:tanh --train 60 --test 30 --ntk --quadrature 8 --quiet -o exp/kernel-tanh
    run exp/kernel-erf kernel --arch mlp:784-10x1-10:relu --activation erf --train 100 --test 50 --nngp --quiet -o exp/kernel-erf
    run exp/kernel-hardtanh kernel --arch mlp:784-16-10:relu --activation hard-tanh --train 60 --test 30 --quiet -o exp/kernel-hardtanh
    run exp/hyperbolic-train hyperbolic-train --quick --no-peer -o exp/hyperbolic-train
    [ -f exp/hyperbolic-train/model.onnx ] \
      && run exp/hyperbolic-orbit hyperbolic-orbit exp/hyperbolic-train/model.onnx -n 2 --samples 20 -o exp/hyperbolic-orbit
    run exp/hyperbolic-ensemble hyperbolic-ensemble --quick -o exp/hyperbolic-ensemble
  fi
}

case "${1:-}" in
  --collect)
    [ $# -eq 3 ] || die "usage: $0 --collect REV DIR"
    dir="$(mkdir -p "$3" && cd "$3" && pwd)"
    wt="$(build "$2")"
    (collect "$wt" "$dir")
    cleanup_worktree "$wt"
    ;;
  --compare)
    [ $# -eq 3 ] || die "usage: $0 --compare DIR_A DIR_B"
    exec python3 "$here/compare_outputs.py" "$2" "$3"
    ;;
  ""|-h|--help)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    [ $# -eq 2 ] || die "usage: $0 BASE NEW"
    a="$work/out-$(git -C "$repo" rev-parse --short=12 "$1")"
    b="$work/out-$(git -C "$repo" rev-parse --short=12 "$2")"
    [ "$a" != "$b" ] || b="$b-again" # the same commit twice: a determinism check
    for pair in "$1 $a" "$2 $b"; do
      set -- $pair
      echo "== collecting $1 into $2" >&2
      wt="$(build "$1")"
      (collect "$wt" "$2")
      cleanup_worktree "$wt"
    done
    exec python3 "$here/compare_outputs.py" "$a" "$b"
    ;;
esac
