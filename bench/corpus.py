#!/usr/bin/env python3
"""Total time of helm and bosun over a folder of Helm charts, one process per chart (issue 13).

    bench/corpus.py CHARTS_DIR [--runs 3] [--helm HELM] [--bosun BOSUN]

Every chart folder of CHARTS_DIR (Bitnami's, laid out as ../shared/helm-charts/README.md says)
is rendered by `helm template`, by bosun's default render (validation on, the record written to
a scratch `--state-dir`) and by `bosun render --no-validate --no-save`, one process each, one
chart after the other so machine noise hits all three alike. Charts helm cannot render are left
out. The sums of wall and CPU time (median of RUNS rounds per chart) are printed with the
ratios helm/bosun. Whether the outputs agree is bench/helm_compat.py's question, not this one's;
a bosun failure is counted (its time too) and said.
"""

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep import ROOT, rotated, timed  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("charts_dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--helm", default=os.environ.get("HELM", "/tmp/helm/helm/helm"))
    parser.add_argument("--bosun", default=os.path.join(ROOT, "target", "release", "bosun"))
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.charts_dir)
                   if os.path.isfile(os.path.join(args.charts_dir, n, "Chart.yaml")))
    totals = {"helm": [0.0, 0.0], "bosun": [0.0, 0.0], "bosun-fast": [0.0, 0.0]}
    failed = {"bosun": 0, "bosun-fast": 0}
    charts = 0
    charts_seen = 0  # every chart tried, rendered or not: where its rounds start in the rotation
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.yaml")
        for name in names:
            chart = os.path.join(args.charts_dir, name)
            cmds = {
                "helm": [args.helm, "template", "rel", chart, "-n", "ns"],
                "bosun": [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                          "--state-dir", os.path.join(tmp, "state")],
                "bosun-fast": [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                               "--no-validate", "--no-save"],
            }
            runs = {tool: [] for tool in cmds}
            for round_ in range(args.runs):
                for tool in rotated(list(cmds), round_ + charts_seen):
                    runs[tool].append(timed(cmds[tool], out, check=False))
            charts_seen += 1
            if any(r[3] != 0 for r in runs["helm"]):
                continue  # helm cannot render it offline: not part of the measure
            charts += 1
            for tool, samples in runs.items():
                totals[tool][0] += statistics.median(r[0] for r in samples)
                totals[tool][1] += statistics.median(r[1] for r in samples)
                if tool in failed and samples[0][3] != 0:
                    failed[tool] += 1
    print(f"{charts} charts helm renders, one process per chart, median of {args.runs} rounds")
    print(f"{'tool':<11} {'wall s':>8} {'cpu s':>8} {'failed':>7}")
    for tool, (wall, cpu) in totals.items():
        print(f"{tool:<11} {wall:>8.2f} {cpu:>8.2f} {failed.get(tool, 0):>7}")
    hw, hc = totals["helm"]
    for tool in ("bosun", "bosun-fast"):
        bw, bc = totals[tool]
        print(f"helm/{tool}: wall {hw / bw:.1f}x, cpu {hc / bc:.1f}x")


if __name__ == "__main__":
    main()
