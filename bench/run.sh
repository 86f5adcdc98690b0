#!/usr/bin/env bash
# Speed/memory benchmark: bosun vs the real Helm on the same "fleet" chart.
#
#   bench/run.sh [N]          N services (default 500, ~9 objects each)
#
# Environment knobs:
#   SHARED_BENCH  the shared Helm side (default: <repo>/../shared/bench)
#   HELM_DIR      where get-helm.sh unpacks helm (default: /tmp/anchor-bin)
#   BOSUN         bosun binary (default: <repo>/target/release/bosun, built if missing)
#   BENCH_OUT     scratch directory for values and outputs (default: /tmp/bosun-bench)
#   RUNS          timed runs per tool (default: 5)
#   HYPERFINE     hyperfine binary (default: hyperfine; set to "none" for the plain bash timing loop)
set -euo pipefail

N=${1:-500}
RUNS=${RUNS:-5}
HYPERFINE=${HYPERFINE:-hyperfine}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$(cd "$ROOT/.." && pwd)/shared/bench}
HELM_DIR=${HELM_DIR:-/tmp/anchor-bin}
BOSUN=${BOSUN:-$ROOT/target/release/bosun}
OUT=${BENCH_OUT:-/tmp/bosun-bench}

for f in get-helm.sh gen-values.py helm-fleet/Chart.yaml; do
    [[ -e $SHARED_BENCH/$f ]] || { echo "run.sh: missing $SHARED_BENCH/$f (set SHARED_BENCH)" >&2; exit 2; }
done

# --- tools -------------------------------------------------------------------
if [[ ! -x $BOSUN ]]; then
    echo "== building bosun (bench/release.sh: cargo build --release with the PGO profile)"
    "$ROOT/bench/release.sh"
fi
echo "== fetching helm"
HELM=$(bash "$SHARED_BENCH/get-helm.sh" "$HELM_DIR" | tail -n 1)
[[ -x $HELM ]] || { echo "run.sh: get-helm.sh did not produce an executable helm ($HELM)" >&2; exit 2; }
echo "   $("$HELM" version --short 2>/dev/null || echo "$HELM")"

# --- inputs ------------------------------------------------------------------
mkdir -p "$OUT"
VALUES=$OUT/values-$N.yaml
HELM_OUT=$OUT/helm-$N.yaml
BOSUN_OUT=$OUT/bosun-$N.yaml
python3 "$SHARED_BENCH/gen-values.py" "$N" > "$VALUES"

HELM_CMD=("$HELM" template rel "$SHARED_BENCH/helm-fleet" -n okla -f "$VALUES")
BOSUN_CMD=("$BOSUN" render "$ROOT/bench/fleet" -f "$VALUES" -n okla --release-name rel)
# Flags that keep bosun from writing state / running schema validation, when it has them.
bosun_help=$("$BOSUN" render --help 2>&1 || true)
for flag in --no-save --no-validate; do
    if grep -q -- "$flag" <<<"$bosun_help"; then
        BOSUN_CMD+=("$flag")
    else
        echo "   note: bosun render has no $flag, running without it"
    fi
done

# --- render + compare ----------------------------------------------------------
echo "== rendering N=$N services"
echo "   helm : ${HELM_CMD[*]}"
"${HELM_CMD[@]}" > "$HELM_OUT"
echo "   bosun: ${BOSUN_CMD[*]}"
"${BOSUN_CMD[@]}" > "$BOSUN_OUT"

echo "== comparing objects (helm vs bosun)"
if ! python3 "$ROOT/bench/compare.py" "$HELM_OUT" "$BOSUN_OUT"; then
    echo "run.sh: the two renderers disagree; not timing different outputs" >&2
    exit 1
fi

count_docs() {
    python3 - "$1" <<'PY'
import sys, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
with open(sys.argv[1], encoding="utf-8") as fh:
    print(sum(1 for d in yaml.load_all(fh, Loader=Loader) if d is not None))
PY
}
HELM_DOCS=$(count_docs "$HELM_OUT")
BOSUN_DOCS=$(count_docs "$BOSUN_OUT")

# --- wall time: median of $RUNS runs ---------------------------------------------
quote_cmd() { local out="" a; for a in "$@"; do out+="$(printf '%q' "$a") "; done; echo "${out% }"; }
echo "== timing ($RUNS runs each)"
if command -v "$HYPERFINE" >/dev/null; then
    "$HYPERFINE" --style basic -N --warmup 1 --runs "$RUNS" --output=pipe \
        --export-json "$OUT/hyperfine-$N.json" \
        -n helm "$(quote_cmd "${HELM_CMD[@]}")" \
        -n bosun "$(quote_cmd "${BOSUN_CMD[@]}")"
    read -r HELM_S BOSUN_S < <(python3 - "$OUT/hyperfine-$N.json" <<'PY'
import json, sys
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
print(res["helm"], res["bosun"])
PY
)
else
    echo "   (no hyperfine: bash loop with date +%s.%N)"
    median_of() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
    "${HELM_CMD[@]}" >/dev/null; "${BOSUN_CMD[@]}" >/dev/null   # warm-up
    helm_times=() bosun_times=()
    for ((i = 0; i < RUNS; i++)); do   # interleaved, so machine noise hits both alike
        t0=$(date +%s.%N); "${HELM_CMD[@]}" | cat >/dev/null; t1=$(date +%s.%N)
        helm_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
        t0=$(date +%s.%N); "${BOSUN_CMD[@]}" | cat >/dev/null; t1=$(date +%s.%N)
        bosun_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
    done
    HELM_S=$(printf '%s\n' "${helm_times[@]}" | median_of)
    BOSUN_S=$(printf '%s\n' "${bosun_times[@]}" | median_of)
fi

# --- peak memory: max RSS (KiB) from GNU time, median of 3 runs ------------------------
peak_kib() {
    local f=$OUT/rss.txt vals=() i
    for i in 1 2 3; do
        /usr/bin/time -f %M -o "$f" "$@" >/dev/null
        vals+=("$(tail -n 1 "$f")")
    done
    printf '%s\n' "${vals[@]}" | sort -n | sed -n 2p
}
HELM_KIB=$(peak_kib "${HELM_CMD[@]}")
BOSUN_KIB=$(peak_kib "${BOSUN_CMD[@]}")

# --- table ------------------------------------------------------------------------------
python3 - "$N" "$HELM_S" "$BOSUN_S" "$HELM_KIB" "$BOSUN_KIB" "$HELM_DOCS" "$BOSUN_DOCS" \
    "$(wc -c <"$HELM_OUT")" "$(wc -c <"$BOSUN_OUT")" <<'PY'
import sys
n, hs, bs, hk, bk, hd, bd, hb, bb = sys.argv[1:]
hs, bs, hm, bm = float(hs), float(bs), int(hk) / 1024, int(bk) / 1024
print(f"\nfleet benchmark, N={n} services (median wall time, peak RSS)")
print(f"{'tool':<6} {'median s':>9} {'peak MiB':>9} {'documents':>10} {'bytes':>10}")
print(f"{'helm':<6} {hs:>9.3f} {hm:>9.1f} {hd:>10} {hb:>10}")
print(f"{'bosun':<6} {bs:>9.3f} {bm:>9.1f} {bd:>10} {bb:>10}")
print(f"time   helm/bosun = {hs / bs:.2f}x   (>1: bosun is faster)")
print(f"memory bosun/helm = {bm / hm:.2f}x   (<1: bosun uses less)")
PY
