#!/usr/bin/env bash
# Builds the release binary the benchmarks measure, target/release/bosun, optimised with the
# profile in bench/bosun.profdata.xz (profile-guided optimisation; bench/pgo.sh records it).
#
#   bench/release.sh [CARGO BUILD OPTIONS ...]
#
# A plain `cargo build --release` builds the same program without the profile: identical
# output, slower: about 1.25x the time on the fleet, 1.01-1.04x on Helm charts
# (bench/README.md). Switching between the two rebuilds everything,
# since the compiler flags differ. RUSTFLAGS set by the caller are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/pgo
profile=$PWD/target/pgo/bosun.profdata
xz -dc bench/bosun.profdata.xz > "$profile.new"
# Rewritten only when it changed: the compiler records the file, so a new copy rebuilds.
if cmp -s "$profile.new" "$profile"; then rm "$profile.new"; else mv "$profile.new" "$profile"; fi
# A function changed since the profile was recorded builds without its guidance; LLVM would
# warn once per such function.
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profile -Cllvm-args=-no-pgo-warn-mismatch" cargo build --release "$@"
