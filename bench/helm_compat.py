#!/usr/bin/env python3
"""Renders a folder of Helm charts with both `helm template` and `bosun render`, compares them
object by object, and prints a table and a summary (issue 13's compatibility measure).

    bench/helm_compat.py CHARTS_DIR --helm HELM --bosun BOSUN --same-objects SAME_OBJECTS_PY
                         [--variant NAME=FILE ...] [--builtin-variants] [--only-variants]
                         [chart ...]

CHARTS_DIR holds one chart per folder, dependencies laid out under each chart's `charts/`
(`../shared/helm-charts/README.md` says how, for Bitnami's). Each chart is rendered twice by helm
(a leaf that differs between those two renders is random and not compared) and once by bosun
(`--no-save --no-validate`, release `rel`, namespace `ns`), and the three are handed to
SAME_OBJECTS_PY (`../shared/helm-charts/same_objects.py`). Charts helm itself cannot render are
left out of the table. Nothing here is part of the test suite; it needs helm and the charts.

Besides default values, each `--variant NAME=FILE` renders every chart again with `-f FILE`
given to both tools, and `--builtin-variants` adds the four issue 13 asks for (the values
Bitnami's charts use for them; a chart that has no such key simply renders its defaults):
replication (`architecture: replication`), metrics (`metrics.enabled` with a ServiceMonitor),
ingress (`ingress.enabled` with TLS and a host) and persistence off (`persistence.enabled`,
and under `primary`, `master` and `replica`). Each variant gets its own
table and summary; `--only-variants` skips the default-values run.
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


BUILTIN_VARIANTS = {
    "replication": "architecture: replication\n",
    "metrics": "metrics:\n  enabled: true\n  serviceMonitor:\n    enabled: true\n",
    "ingress": "ingress:\n  enabled: true\n  hostname: app.example.test\n  tls: true\n",
    "persistence-off": "".join(
        f"{key}:\n  persistence:\n    enabled: false\n" for key in ("primary", "master", "replica")
    ) + "persistence:\n  enabled: false\n",
}


def compare(args, names, tmp, variant, values_file):
    """Renders every chart with both tools (with `-f values_file` when given): table rows and
    the time each tool took."""
    extra = ["-f", values_file] if values_file else []
    rows = []
    helm_time = bosun_time = 0.0
    for name in names:
        chart = os.path.join(args.charts_dir, name)
        h1, h2, b = (os.path.join(tmp, f"{name}.{variant}.{k}.yaml") for k in ("h1", "h2", "b"))
        code, err, t1 = run([args.helm, "template", "rel", chart, "-n", "ns", *extra], h1)
        if code != 0:
            continue  # helm cannot render it offline: not part of the measure
        run([args.helm, "template", "rel", chart, "-n", "ns", *extra], h2)
        code, err, tb = run(
            [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
             "--no-save", "--no-validate", *extra], b)
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
    return rows, helm_time, bosun_time


def report(variant, rows, helm_time, bosun_time):
    print(f"## {variant}")
    print()
    print("| chart | result | detail |")
    print("| --- | --- | --- |")
    for name, result, detail in rows:
        print(f"| {name} | {result} | {detail.replace('|', '/')} |")
    counts = {k: sum(1 for r in rows if r[1] == k) for k in ("identical", "different", "error")}
    print()
    print(f"{variant}: {len(rows)} charts helm renders: {counts['identical']} identical, "
          f"{counts['different']} different, {counts['error']} bosun errors")
    if bosun_time:
        print(f"time (one process per chart, one helm run): helm {helm_time:.1f} s, "
              f"bosun {bosun_time:.1f} s, ratio {helm_time / bosun_time:.1f}x")
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("charts_dir")
    parser.add_argument("charts", nargs="*")
    parser.add_argument("--helm", required=True)
    parser.add_argument("--bosun", required=True)
    parser.add_argument("--same-objects", required=True)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=FILE")
    parser.add_argument("--builtin-variants", action="store_true")
    parser.add_argument("--only-variants", action="store_true")
    args = parser.parse_intermixed_args()

    names = args.charts or sorted(
        n for n in os.listdir(args.charts_dir)
        if os.path.isfile(os.path.join(args.charts_dir, n, "Chart.yaml"))
    )
    with tempfile.TemporaryDirectory() as tmp:
        variants = [] if args.only_variants else [("default", None)]
        if args.builtin_variants:
            for variant, text in BUILTIN_VARIANTS.items():
                path = os.path.join(tmp, f"{variant}.values.yaml")
                with open(path, "w") as f:
                    f.write(text)
                variants.append((variant, path))
        for spec in args.variant:
            variant, _, path = spec.partition("=")
            if not path:
                parser.error(f"--variant {spec}: expected NAME=FILE")
            variants.append((variant, os.path.abspath(path)))
        for variant, values_file in variants:
            report(variant, *compare(args, names, tmp, variant, values_file))


if __name__ == "__main__":
    main()
