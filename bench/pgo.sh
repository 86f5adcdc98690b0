#!/usr/bin/env bash
# Regenerates bench/bosun.profdata.xz, the profile bench/release.sh builds the release binary with.
#
#   bench/pgo.sh [CHARTS_DIR ...]
#
# Builds bosun instrumented (`-Cprofile-generate`, into target/pgo-generate), runs it on a
# training workload, merges what it recorded with llvm-profdata and writes the profile,
# compressed, beside this script. The workload: every chart of the repository in every
# environment of values/ (render, lint and diff), the repository's Helm test charts, the fleet
# at 100, 500 and 2,000 services when ../shared/bench/gen-values.py is there (SHARED_BENCH), and
# every chart folder under each CHARTS_DIR (Helm charts such as Bitnami's, laid out as
# bench/README.md says), each rendered by default and with --no-validate --no-save.
# Needs llvm-profdata of LLVM 19 or newer (Debian: apt-get install llvm-19), or LLVM_PROFDATA.
# Regenerate after a change to a hot path: code that changed since the profile was recorded
# builds without its guidance (nothing breaks; it is only slower).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# rustc's raw profiles need LLVM 19's reader or newer: the first llvm-profdata of at least 19.
profdata=
for candidate in ${LLVM_PROFDATA:-} $(ls -d /usr/lib/llvm-*/bin/llvm-profdata 2>/dev/null | sort -V -r) $(command -v llvm-profdata || true); do
  major=$("$candidate" --version 2>/dev/null | sed -n 's/.*LLVM version \([0-9]*\).*/\1/p' | head -n 1)
  if [ -n "$major" ] && [ "$major" -ge 19 ]; then profdata=$candidate; break; fi
done
if [ -z "$profdata" ]; then
  echo "pgo.sh: no llvm-profdata of LLVM 19 or newer: apt-get install llvm-19, or set LLVM_PROFDATA" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fixed path in the flags, so that a second run rebuilds only what changed.
RUSTFLAGS="-Cprofile-generate=$root/target/pgo-generate/profiles" cargo build --release --target-dir target/pgo-generate
bin=$root/target/pgo-generate/release/bosun
# %4m: the runs merge into four files as they end, instead of one file of ~10 MB each.
export LLVM_PROFILE_FILE="$work/raw/bosun-%4m.profraw"
quiet() { "$@" >/dev/null 2>&1 || true; }

for chart in charts/*/; do
  for env in values/*.yaml; do
    env=$(basename "$env" .yaml)
    quiet "$bin" render "$chart" --env "$env" --state-dir "$work/state"
    quiet "$bin" render "$chart" --env "$env" --no-validate --no-save
    quiet "$bin" diff "$chart" --env "$env" --state-dir "$work/state"
    quiet "$bin" lint "$chart" --env "$env"
  done
done
for chart in tests/fixtures/charts/*/; do
  quiet "$bin" render "$chart" --no-save
done
shared=${SHARED_BENCH:-$(dirname "$root")/shared/bench}
if [ -f "$shared/gen-values.py" ]; then
  for n in 100 500 2000; do
    python3 "$shared/gen-values.py" "$n" > "$work/fleet-$n.yaml"
    quiet "$bin" render bench/fleet -f "$work/fleet-$n.yaml" -n okla --release-name rel --state-dir "$work/state"
    quiet "$bin" render bench/fleet -f "$work/fleet-$n.yaml" -n okla --release-name rel --no-validate --no-save
  done
fi
for dir in "$@"; do
  for chart in "$dir"/*/; do
    [ -f "$chart/Chart.yaml" ] || continue
    quiet "$bin" render "$chart" --release-name rel -n ns --state-dir "$work/state"
    quiet "$bin" render "$chart" --release-name rel -n ns --no-validate --no-save
  done
done

"$profdata" merge -o "$work/bosun.profdata" "$work/raw"
xz -9 -c "$work/bosun.profdata" > bench/bosun.profdata.xz.tmp
mv bench/bosun.profdata.xz.tmp bench/bosun.profdata.xz
echo "wrote bench/bosun.profdata.xz ($(wc -c < bench/bosun.profdata.xz) bytes)"
