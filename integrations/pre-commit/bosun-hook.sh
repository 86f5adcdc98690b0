#!/bin/sh
# The pre-commit hooks of bosun (.pre-commit-hooks.yaml at the root of this repository). Run by
# pre-commit from the root of the repository being committed to, with bosun on PATH:
#
#   bosun-hook.sh lint [FLAG]..      bosun lint CHART FLAG.., for each chart
#   bosun-hook.sh validate [FLAG]..  bosun render CHART --env ENV --no-save FLAG.. > /dev/null,
#                                    for each chart and each of its environments
#
# The charts are the folders charts/*/ holding a Chart.yaml, library charts left out (they
# render nothing). Every chart is checked whichever files changed: a change under values/ or
# to a shared library can break any of them, and a render takes milliseconds.
set -u

if ! command -v bosun >/dev/null 2>&1; then
    echo "bosun-hook: bosun is not on PATH; install it (cargo install --locked --path . in a bosun checkout)" >&2
    exit 1
fi
mode=${1:-}
case $mode in
    lint | validate) shift ;;
    *)
        echo "usage: bosun-hook.sh lint|validate [bosun flags]..." >&2
        exit 2
        ;;
esac

# The chart's name as its Chart.yaml spells it: values/ENV/NAME.yaml is named after it.
chart_name() {
    sed -n 's/^name:[[:space:]]*//p' "$1/Chart.yaml" | head -n 1 |
        sed -e 's/[[:space:]]#.*//' -e 's/[[:space:]]*$//' | tr -d "\"'\r"
}

# The values folder bosun uses for a chart: the first `values/` found walking up from it, up to
# the repository root.
values_dir() {
    d=$1
    while :; do
        if [ -d "$d/values" ]; then
            echo "$d/values"
            return
        fi
        case $d in */*) d=${d%/*} ;; *) break ;; esac
    done
    if [ -d values ]; then echo values; fi
}

# The environments `bosun lint --all-envs` renders a chart in: those holding values of the
# chart's own (VALUES/ENV/NAME.yaml or the chart's values-ENV.yaml); when there are none, every
# environment of the values folder (VALUES/ENV.yaml).
environments() { # chart folder, chart name, values folder or ''
    own=''
    all=''
    if [ -n "$3" ]; then
        for f in "$3"/*.yaml; do
            [ -f "$f" ] || continue
            e=${f##*/}
            all="$all ${e%.yaml}"
        done
        for f in "$3"/*/"$2".yaml; do
            [ -f "$f" ] || continue
            e=${f%/*}
            own="$own ${e##*/}"
        done
    fi
    for f in "$1"/values-*.yaml; do
        [ -f "$f" ] || continue
        e=${f##*/values-}
        own="$own ${e%.yaml}"
    done
    # Split on purpose: environment names are letters, digits, '-', '_' and '.' only.
    # shellcheck disable=SC2086
    if [ -n "$own" ]; then set -- $own; else set -- $all; fi
    if [ $# -gt 0 ]; then printf '%s\n' "$@" | sort -u; fi
}

status=0
charts=0
for dir in charts/*/; do
    chart=${dir%/}
    [ -f "$chart/Chart.yaml" ] || continue
    if grep -qE "^type:[[:space:]]*[\"']?library" "$chart/Chart.yaml"; then continue; fi
    charts=$((charts + 1))
    if [ "$mode" = lint ]; then
        echo "== bosun lint $chart $*"
        bosun lint "$chart" "$@" || status=1
        continue
    fi
    envs=$(environments "$chart" "$(chart_name "$chart")" "$(values_dir "$chart")")
    if [ -z "$envs" ]; then
        if bosun render "$chart" --no-save "$@" >/dev/null; then
            echo "ok      $chart"
        else
            echo "FAILED  $chart" >&2
            status=1
        fi
        continue
    fi
    for env in $envs; do
        if bosun render "$chart" --env "$env" --no-save "$@" >/dev/null; then
            echo "ok      $chart --env $env"
        else
            echo "FAILED  $chart --env $env" >&2
            status=1
        fi
    done
done
if [ "$charts" -eq 0 ]; then
    echo "bosun-hook: no chart under charts/ (a folder with a Chart.yaml)" >&2
fi
exit $status
