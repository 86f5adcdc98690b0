#!/usr/bin/env python3
"""Lists every document bosun refuses when it validates real renders, with the rule that
refused it: the measure of issue 15's "zero false rejections" (a valid manifest refused offline
is worse than a miss).

    bench/false_rejections.py --bosun BOSUN [--repo .] [--corpus DIR --helm HELM] [--jobs N]
                              [--json OUT] [chart ...]

Two sets of renders:

- the repository: every chart under `charts/` in each environment it has values for (and in
  none), rendered by `bosun render` with validation on;
- a corpus of Helm charts (one chart per folder, dependencies under each chart's `charts/`, as
  `../shared/helm-charts/README.md` lays Bitnami's out), each with its defaults and with the
  VARIANTS below: `helm template --include-crds` renders it, the CRDs of that render are given
  to `bosun validate --crd`, and the rest is validated; `bosun render` renders it natively too.
  A chart helm cannot render offline is left out.

Every refused document is printed as `where: kind name at path: message`. The last lines are
the totals. The exit code is 1 when anything was refused. Nothing here is part of the test
suite: it needs helm and the charts (the repository half is also a test,
`every_chart_and_environment_still_renders_clean`).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

# `--set` lists layered on a corpus chart's defaults: the features that emit the most kinds.
# Keys a chart does not have are ignored by its templates.
VARIANTS = {
    "defaults": [],
    "features": [
        "ingress.enabled=true", "autoscaling.enabled=true", "autoscaling.hpa.enabled=true",
        "pdb.create=true", "networkPolicy.enabled=true", "rbac.create=true",
        "persistence.enabled=true", "backup.enabled=true", "metrics.enabled=true",
    ],
    "monitoring": [
        "metrics.enabled=true", "metrics.serviceMonitor.enabled=true",
        "metrics.prometheusRule.enabled=true", "serviceMonitor.enabled=true",
        "prometheusRule.enabled=true", "metrics.podMonitor.enabled=true",
    ],
}


def run(cmd, stdin=None):
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def refusals(report_json, where):
    """The refused documents of a `bosun validate -o json` / render report."""
    out = []
    try:
        outcomes = json.loads(report_json)
    except json.JSONDecodeError:
        return [f"{where}: bosun's report is not JSON"]
    if isinstance(outcomes, dict):
        outcomes = outcomes.get("resources") or outcomes.get("outcomes") or []
    for outcome in outcomes:
        if outcome.get("status") not in ("invalid", "error"):
            continue
        name = f"{outcome.get('kind', '?')} {outcome.get('name', '?')}"
        for error in outcome.get("errors") or [{"path": "", "message": outcome.get("message", "")}]:
            out.append(f"{where} ({outcome.get('source', '')}): {name} at "
                       f"`{error.get('path', '')}`: {error.get('message', '')}")
    return out


def split_crds(stream):
    """(CRD documents as YAML text, everything else as YAML text) of a rendered stream. A
    document's top-level `kind:` line decides: PyYAML cannot read every CRD (`- =` is a YAML 1.1
    value tag to it)."""
    crds, rest = [], []
    for text in stream.split("\n---"):
        if re.search(r"^kind:\s*CustomResourceDefinition\s*$", text, re.MULTILINE):
            crds.append(text)
        else:
            rest.append(text)
    return "\n---".join(crds), "\n---".join(rest)


def corpus_chart(args, name, variant, sets, tmp):
    chart = os.path.join(args.corpus, name)
    where = f"{name} [{variant}]"
    flags = [f for s in sets for f in ("--set", s)]
    code, stream, _ = run([args.helm, "template", "rel", chart, "-n", "ns", "--include-crds",
                           *flags])
    if code != 0:
        return None  # helm cannot render it offline: not part of the measure
    crds, rest = split_crds(stream)
    base = os.path.join(tmp, f"{name}.{variant}")
    crd_flags = []
    if crds.strip():
        with open(base + ".crds.yaml", "w") as f:
            f.write(crds)
        crd_flags = ["--crd", base + ".crds.yaml"]
    with open(base + ".yaml", "w") as f:
        f.write(rest)
    _, report, err = run([args.bosun, "validate", "-o", "json", *crd_flags, base + ".yaml"])
    found = refusals(report, f"{where} helm→validate")
    docs = len([d for d in rest.split("\n---") if d.strip() and "kind:" in d])
    code, _, err = run([args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                        "--no-save", *flags])
    if code != 0:
        # A render bosun cannot do at all is issue 13's business; a refusal is ours:
        # `error: Kind ns/name (template) at `/path`: message`.
        lines = [l for l in err.splitlines() if l.startswith("error: ") and ") at `" in l]
        found += [f"{where} bosun render: {l[7:].strip()}" for l in lines]
    return docs, found


def repo_charts(args):
    found, renders = [], 0
    charts_dir = os.path.join(args.repo, "charts")
    envs = sorted({os.path.splitext(f)[0] for f in os.listdir(os.path.join(args.repo, "values"))})
    for name in sorted(os.listdir(charts_dir)):
        chart = os.path.join(charts_dir, name)
        if not os.path.isfile(os.path.join(chart, "Chart.yaml")):
            continue
        for env in [None, *envs]:
            flags = ["--env", env, "--values-dir", os.path.join(args.repo, "values")] if env else []
            code, _, err = run([args.bosun, "render", chart, "--no-save", *flags])
            renders += 1
            if code != 0:
                found += [f"{name} [{env or 'no env'}]: {l.strip()}" for l in err.splitlines()
                          if l.strip()][:5]
    return renders, found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("charts", nargs="*")
    parser.add_argument("--bosun", required=True)
    parser.add_argument("--repo", default=".")
    parser.add_argument("--corpus")
    parser.add_argument("--helm")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write the findings here as JSON too")
    args = parser.parse_args()

    renders, found = repo_charts(args)
    print(f"repository: {renders} chart × environment renders, {len(found)} refused")
    corpus_renders = corpus_docs = 0
    corpus_found = []
    per_variant = {v: [0, 0, 0] for v in VARIANTS}  # renders, documents, refused
    if args.corpus:
        names = args.charts or sorted(
            n for n in os.listdir(args.corpus)
            if os.path.isfile(os.path.join(args.corpus, n, "Chart.yaml")))
        with tempfile.TemporaryDirectory() as tmp, \
                concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            jobs = [(v, pool.submit(corpus_chart, args, n, v, s, tmp))
                    for n in names for v, s in VARIANTS.items()]
            for variant, job in jobs:
                result = job.result()
                if result is None:
                    continue
                docs, refused = result
                corpus_renders += 1
                corpus_docs += docs
                corpus_found += refused
                counts = per_variant[variant]
                counts[0] += 1
                counts[1] += docs
                counts[2] += len(refused)
        print(f"corpus: {corpus_renders} chart × variant renders by helm, {corpus_docs} "
              f"documents validated, each also rendered natively; {len(corpus_found)} refused")
        for variant, (renders, docs, refused) in per_variant.items():
            print(f"  {variant}: {renders} renders, {docs} documents, {refused} refusals")
    for line in found + corpus_found:
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"repository": found, "corpus": corpus_found}, f, indent=1)
    return 1 if found or corpus_found else 0


if __name__ == "__main__":
    sys.exit(main())
