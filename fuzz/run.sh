#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each), then copies every crashing
# input into tests/fixtures/fuzz/<target>/, where the regression tests replay it.
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Without a nightly toolchain it sets
# RUSTC_BOOTSTRAP=1 so the stable compiler accepts the sanitizer flags. Not run in CI.
set -euo pipefail
SECONDS_EACH=${1:-60}
cd "$(dirname "$0")/.."
if ! rustc --version | grep -q nightly; then
    export RUSTC_BOOTSTRAP=1
fi
seed() {  # seed corpora from the repository's own fixtures
    local target=$1; shift
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do cp "$f" "fuzz/corpus/$target/$(basename "$f")" 2>/dev/null || true; done
}
seed values charts/*/values.yaml values/*.yaml values/*/*.yaml tests/fixtures/hostile/*.yaml
seed documents tests/fixtures/manifests/*.yaml tests/fixtures/crds/*.yaml
seed render charts/demo/templates/*.yaml tests/fixtures/charts/err_*/templates/*.yaml
mkdir -p fuzz/corpus/set && printf 'a.b=c,d[0].e={x,y}' > fuzz/corpus/set/seed
status=0
for target in values set documents render; do
    echo "== $target (${SECONDS_EACH}s)"
    if ! cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=65536; then
        status=1
    fi
    mkdir -p "tests/fixtures/fuzz/$target"
    for crash in fuzz/artifacts/"$target"/*; do
        [[ -e $crash ]] || continue
        cp "$crash" "tests/fixtures/fuzz/$target/"
        echo "   kept $(basename "$crash") as a regression test"
    done
done
exit $status
