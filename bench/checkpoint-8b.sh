#!/usr/bin/env bash
# orbit teleport on a LLaMA-3-8B-shaped checkpoint (random bf16 weights, ~16 GB in 4 shards) against
# `cp -r --reflink=never` of the same folder on the same disk, in alternating rounds. Not in CI.
#
#   bench/checkpoint-8b.sh [WORK_DIR]          (default: bench/out-8b; needs ~48 GB free there)
#   LAYERS=2 SHARDS=2 ROUNDS=2 bench/checkpoint-8b.sh /tmp/x    (a 3 GB rehearsal)
#   MOVES="--permute --attention" bench/checkpoint-8b.sh        (which teleport options to time; default none)
#   KEEP=1 keeps the generated checkpoint for another run (it is deleted otherwise).
#
# Both sides end with `sync`, so each is timed until its bytes are on disk. Prints per round: seconds, GB/s, and
# for orbit the peak RssAnon (anonymous memory: heap, libtorch buffers) and peak RssFile (mapped shard pages, which
# the kernel may drop at any time), sampled from /proc every 0.1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-bench/out-8b}"
layers="${LAYERS:-32}"
shards="${SHARDS:-4}"
rounds="${ROUNDS:-3}"
moves="${MOVES:-}"
mkdir -p "$work"
need_gb=$(( layers == 32 ? 48 : 3 * (1 + layers / 4) ))
[ -f "$work/llama-8b/config.json" ] && need_gb=$(( need_gb * 2 / 3 ))  # a kept input is already on disk
free_gb=$(( $(df --output=avail -B1G "$work" | tail -1) ))
if (( free_gb < need_gb )); then
  echo "bench: $work has $free_gb GB free; input, output and copy need about $need_gb GB" >&2; exit 2
fi
in="$work/llama-8b"; out="$work/teleported"; copy="$work/copy"
rm -rf "$out" "$copy"
if [ ! -f "$in/config.json" ]; then
  rm -rf "$in"
  echo "generating $in ($layers layers, $shards shards)..." >&2
  python3 scripts/make_random_llama.py "$in" --layers "$layers" --shards "$shards" >&2
fi
bytes=$(du -sb "$in" | cut -f1)
# build once, then run a frozen copy of the jar: a source change during the run must not rebuild inside a round
./orbit --version >/dev/null
source scripts/find-jdk.sh
orbit_find_jdk; orbit_native_env
frozen="$work/orbit-jar"; rm -rf "$frozen"; mkdir -p "$frozen"; cp -r target/orbit.jar target/lib "$frozen/"
orbit() {
  exec "$JAVA_HOME/bin/java" --enable-native-access="$ORBIT_NATIVE_ACCESS" --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC \
    --module-path "$frozen/orbit.jar:$frozen/lib" --add-modules ALL-MODULE-PATH -m dev.orbit/dev.orbit.cli.OrbitCommand "$@"
}

# runs "$@", prints "seconds peakRssAnonKB peakRssFileKB"
timed() {
  local start end pid anon=0 file=0 a f
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/stderr.log" & pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ -r "/proc/$pid/status" ]; then
      a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      f=$(awk '/^RssFile/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      (( ${a:-0} > anon )) && anon=$a
      (( ${f:-0} > file )) && file=$f
    fi
    sleep 0.1
  done
  wait "$pid" || { echo "bench: command failed: $*" >&2; cat "$work/stderr.log" >&2; exit 1; }
  sync
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $anon $file"
}

echo "input: $in, $(echo "scale=2; $bytes / 1000000000" | bc) GB; teleport options: ${moves:-(defaults: SwiGLU channel scaling)} --no-verify"
cp_total=0; orbit_total=0; max_anon=0; max_file=0
for r in $(seq 1 "$rounds"); do
  read -r s _ _ < <(timed cp -r --reflink=never "$in" "$copy")
  rm -rf "$copy"; sync
  printf "round %d  cp     %7.1f s  %5.2f GB/s\n" "$r" "$s" "$(echo "$bytes / $s / 1000000000" | bc -l)"
  cp_total=$(echo "$cp_total + $s" | bc)
  # shellcheck disable=SC2086
  read -r s anon file < <(timed orbit teleport "$in" -o "$out" $moves --no-verify --seed "$r")
  rm -rf "$out"; sync
  printf "round %d  orbit  %7.1f s  %5.2f GB/s  peak RssAnon %6.0f MB  peak RssFile %6.0f MB\n" "$r" "$s" \
    "$(echo "$bytes / $s / 1000000000" | bc -l)" "$(echo "$anon / 1024" | bc -l)" "$(echo "$file / 1024" | bc -l)"
  orbit_total=$(echo "$orbit_total + $s" | bc)
  (( anon > max_anon )) && max_anon=$anon
  (( file > max_file )) && max_file=$file
done
printf "throughput ratio orbit/cp: %.2f (cp %.1f s, orbit %.1f s over %d rounds); peak RssAnon %.0f MB, peak RssFile %.0f MB\n" \
  "$(echo "$cp_total / $orbit_total" | bc -l)" "$cp_total" "$orbit_total" "$rounds" "$(echo "$max_anon / 1024" | bc -l)" "$(echo "$max_file / 1024" | bc -l)"
rm -rf "$frozen"
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$in"; fi
