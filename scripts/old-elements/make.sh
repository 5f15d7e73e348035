#!/usr/bin/env bash
# Regenerates src/test/resources/elements/ (old-format element files) with the code of COMMIT (default 8065d36, the
# last commit that wrote orbit-element/1 and /2 and the untagged hyperbolic files): checks it out in a temporary
# worktree, builds it, compiles OldElementFixtures.java against it and runs it.  Usage: scripts/old-elements/make.sh [COMMIT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rev="${1:-8065d36}"
source "$repo/scripts/find-jdk.sh"; orbit_find_jdk; orbit_native_env
wt="$(mktemp -d)/src"
git -C "$repo" worktree add --detach "$wt" "$rev" >/dev/null
trap 'git -C "$repo" worktree remove --force "$wt"' EXIT
(cd "$wt" && ./mvnw -q -B compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
cp="$wt/target/classes:$(cat "$wt/target/cp.txt")"
"$JAVA_HOME/bin/javac" -d "$wt/target/gen" -cp "$cp" "$here/OldElementFixtures.java"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$wt/target/gen:$cp" dev.orbit.hyperbolic.OldElementFixtures \
  "$repo/src/test/resources/fixtures" "$repo/src/test/resources/elements"
