#!/usr/bin/env bash
# Times `bosun diff --all` over this repository (every chart x environment under charts/ and
# values/) and over a generated repository of RELEASES releases (bench/gen-repo.py), beside a
# one-release `bosun diff` in each, after a `render --all` has recorded every release.
# Prints the median wall time and the median CPU time (user + sys) of RUNS runs: on a shared
# machine the wall time waits for other work, the CPU time does not.
#
#   bench/repo.sh [RELEASES]        # default 100
#
# Knobs: BOSUN (default target/release/bosun), RUNS (default 7), OUT (default /tmp/bosun-repo-bench).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
releases="${1:-100}"
bosun="$(realpath "${BOSUN:-$here/target/release/bosun}")"
runs="${RUNS:-7}"
out="${OUT:-/tmp/bosun-repo-bench}"
[ -x "$bosun" ] || { echo "no bosun at $bosun: bench/release.sh, or set BOSUN" >&2; exit 1; }
mkdir -p "$out"

# median of RUNS runs of "$@" (run in the current folder): "WALL CPU" in seconds.
measure() {
    local walls=() cpus=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$out/time" -f "%e %U %S" "$@" >/dev/null 2>&1
        read -r wall user sys <"$out/time"
        walls+=("$wall")
        cpus+=("$(echo "$user + $sys" | bc)")
    done
    local wall cpu
    wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    echo "$wall $cpu"
}

report() {  # NAME DIR ONE_CHART ONE_ENV
    local name="$1" dir="$2" chart="$3" env="$4"
    export BOSUN_STATE_DIR="$out/state-$name"
    rm -rf "$BOSUN_STATE_DIR"
    (cd "$dir" && "$bosun" render --all >/dev/null 2>&1)
    local count
    count=$(cd "$dir" && "$bosun" diff --all -o summary 2>/dev/null | grep -c '^== release ')
    read -r all_wall all_cpu < <(cd "$dir" && measure "$bosun" diff --all -o summary)
    read -r one_wall one_cpu < <(cd "$dir" && measure "$bosun" diff "$chart" --env "$env" -o summary)
    printf '%-22s %4d releases  diff --all: %6.3f s wall %6.3f s CPU   one release (%s %s): %6.3f s wall %6.3f s CPU\n' \
        "$name" "$count" "$all_wall" "$all_cpu" "$chart" "$env" "$one_wall" "$one_cpu"
}

echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $bosun, median of $runs"
report "this-repository" "$here" charts/okla production
python3 "$here/bench/gen-repo.py" "$releases" "$out/repo-$releases" >/dev/null
report "generated-$releases" "$out/repo-$releases" charts/app000 production
