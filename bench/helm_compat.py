#!/usr/bin/env python3
"""Renders a folder of Helm charts with both `helm template` and `bosun render`, compares them
object by object, and prints a table and a summary (issue 13's compatibility measure).

    bench/helm_compat.py CHARTS_DIR --helm HELM --bosun BOSUN --same-objects SAME_OBJECTS_PY
                         [--values-prefix PREFIX] [chart ...]

CHARTS_DIR holds one chart per folder, dependencies laid out under each chart's `charts/`
(`../shared/helm-charts/README.md` says how, for Bitnami's). Each chart is rendered twice by helm
(a leaf that differs between those two renders is random and not compared) and once by bosun
(`--no-save --no-validate`, release `rel`, namespace `ns`), and the three are handed to
SAME_OBJECTS_PY (`../shared/helm-charts/same_objects.py`). Charts helm itself cannot render are
left out of the table. Nothing here is part of the test suite; it needs helm and the charts.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time


def run(cmd, out_path):
    start = time.perf_counter()
    with open(out_path, "w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    return proc.returncode, proc.stderr, time.perf_counter() - start


def first_line(text):
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:150]
    return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("charts_dir")
    parser.add_argument("charts", nargs="*")
    parser.add_argument("--helm", required=True)
    parser.add_argument("--bosun", required=True)
    parser.add_argument("--same-objects", required=True)
    args = parser.parse_args()

    names = args.charts or sorted(
        n for n in os.listdir(args.charts_dir)
        if os.path.isfile(os.path.join(args.charts_dir, n, "Chart.yaml"))
    )
    rows = []
    helm_time = bosun_time = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            chart = os.path.join(args.charts_dir, name)
            h1, h2, b = (os.path.join(tmp, f"{name}.{k}.yaml") for k in ("h1", "h2", "b"))
            code, err, t1 = run([args.helm, "template", "rel", chart, "-n", "ns"], h1)
            if code != 0:
                continue  # helm cannot render it offline: not part of the measure
            run([args.helm, "template", "rel", chart, "-n", "ns"], h2)
            code, err, tb = run(
                [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                 "--no-save", "--no-validate"], b)
            helm_time += t1
            bosun_time += tb
            if code != 0:
                rows.append((name, "error", first_line(err)))
                continue
            cmp = subprocess.run([sys.executable, args.same_objects, h1, h2, b],
                                 capture_output=True, text=True)
            last = cmp.stdout.strip().splitlines()[-1] if cmp.stdout.strip() else ""
            if cmp.returncode == 0:
                rows.append((name, "identical", last))
            else:
                detail = [l.strip() for l in cmp.stdout.splitlines() if l.strip()]
                rows.append((name, "different", (detail[0] if detail else "")[:150]))
    print("| chart | result | detail |")
    print("| --- | --- | --- |")
    for name, result, detail in rows:
        print(f"| {name} | {result} | {detail.replace('|', '/')} |")
    counts = {k: sum(1 for r in rows if r[1] == k) for k in ("identical", "different", "error")}
    print()
    print(f"{len(rows)} charts helm renders: {counts['identical']} identical, "
          f"{counts['different']} different, {counts['error']} bosun errors")
    if bosun_time:
        print(f"time (one process per chart, one helm run): helm {helm_time:.1f} s, "
              f"bosun {bosun_time:.1f} s, ratio {helm_time / bosun_time:.1f}x")


if __name__ == "__main__":
    main()
