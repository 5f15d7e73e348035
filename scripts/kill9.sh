#!/usr/bin/env bash
# Kills real `orbit teleport` and `orbit train` processes with SIGKILL at random moments (half of them while the
# output is being written) and checks after each kill that the output path holds nothing or a complete model,
# byte for byte the output of an uninterrupted run with the same seed (KillNineTest). CI runs 10 kills.
#
#   scripts/kill9.sh [KILLS] [SEED]        default 50 kills, seed 16
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
kills="${1:-50}"
seed="${2:-16}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$(date +%s)
if ./run-tests -Dtest=KillNineTest -Dorbit.kills="$kills" -Dorbit.kills.seed="$seed" >"$log" 2>&1; then status=passed; else status=FAILED; fi
grep -E '^KILL9' "$log" || true
grep -E 'Tests run:|FAIL|AssertionFailed' "$log" | head -5
echo "kill9: $kills kills, seed $seed, $status in $(( $(date +%s) - start )) s"
[ "$status" = passed ]
