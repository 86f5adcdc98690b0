#!/usr/bin/env python3
"""Size sweep: helm against bosun on the fleet chart at several sizes, in one run (issue 17).

    bench/sweep.py [N ...] [--runs 5] [--helm HELM] [--bosun BOSUN] [--write-readme]

For every N (default 100 500 2000 5000 services) it generates the values with the shared
`gen-values.py N`, renders once with each command and checks with `compare.py` that helm and
bosun produce the same objects (it stops when they do not), then times RUNS rounds. A round runs
every command once, one after the other, so machine noise hits them alike:

  helm            `helm template` of the shared `helm-fleet` chart (validates nothing)
  bosun           bosun's default render of `bench/fleet`: values and every document checked
                  against its schema, the record for `bosun diff` written (to a scratch
                  `--state-dir`)
  bosun-fast      the same with `--no-validate --no-save`
  bosun-gotpl     bosun rendering helm's own `helm-fleet` chart (Go templates) with
                  `--no-validate --no-save` (its ExternalSecrets are v1beta1, which bosun's
                  validation refuses)

Each measure is the median over the rounds: wall time, CPU time (user + sys of the child, from
`wait4`'s rusage) and peak resident memory (`ru_maxrss`). Ratios are helm/bosun for time (above
1: bosun is faster) and bosun/helm for memory (below 1: bosun uses less). Output goes to a file
in the scratch folder, as a user's `> out.yaml` would.

With `--write-readme` the table replaces the text between the `sweep:begin` and `sweep:end`
markers of bench/README.md. The Helm side lives outside the repository (`../shared/bench`, or
SHARED_BENCH); nothing here is part of the test suite.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED_BENCH", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
BEGIN, END = "<!-- sweep:begin -->", "<!-- sweep:end -->"


def timed(cmd, out_path, check=True):
    """Runs `cmd` with stdout to `out_path`: (wall s, cpu s, peak KiB), and with `check=False`
    the exit code last; a failure stops the script unless `check` is off."""
    # stderr goes to a file: a pipe nobody reads while waiting would stall a chatty child.
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode != 0:
        sys.exit(f"sweep: {' '.join(cmd)} exited {proc.returncode}:\n{stderr[:2000]}")
    measured = (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
    return measured if check else (*measured, proc.returncode)


def rotated(names, round_):
    """The tools in the order a round runs them: each round starts one further along, so every
    tool follows every other equally often. A run right after helm's is slower (bosun's default
    render at 2,000 services: median 106 ms after helm, 90 ms after bosun-fast, 8 rounds; still
    114 ms with a second's pause after helm), and a fixed order put that cost on one tool."""
    shift = round_ % len(names)
    return names[shift:] + names[:shift]


def commands(args, n, scratch, values):
    fleet = os.path.join(ROOT, "bench", "fleet")
    helm_fleet = os.path.join(SHARED, "helm-fleet")
    common = ["-f", values, "-n", "okla", "--release-name", "rel"]
    fast = ["--no-validate", "--no-save"]
    cmds = {
        "helm": [args.helm, "template", "rel", helm_fleet, "-n", "okla", "-f", values],
        "bosun": [args.bosun, "render", fleet, *common,
                  "--state-dir", os.path.join(scratch, "state")],
        "bosun-fast": [args.bosun, "render", fleet, *common, *fast],
        "bosun-gotpl": [args.bosun, "render", helm_fleet, *common, *fast],
    }
    return {k: v for k, v in cmds.items() if k in args.tools}


def sweep_one(args, n, scratch):
    values = os.path.join(scratch, f"values-{n}.yaml")
    with open(values, "w") as fh:
        subprocess.run([sys.executable, os.path.join(SHARED, "gen-values.py"), str(n)],
                       stdout=fh, check=True)
    cmds = commands(args, n, scratch, values)
    outs = {name: os.path.join(scratch, f"{name}-{n}.yaml") for name in cmds}
    for name, cmd in cmds.items():  # warm-up, and the outputs to compare
        timed(cmd, outs[name])
    for name in cmds:
        if name != "helm" and "helm" in cmds:
            check = subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "compare.py"), outs["helm"],
                 outs[name]], capture_output=True, text=True)
            if check.returncode != 0:
                sys.exit(f"sweep: helm and {name} disagree at N={n}:\n{check.stdout[-2000:]}")
    samples = {name: [] for name in cmds}
    for round_ in range(args.runs):
        for name in rotated(list(cmds), round_):
            samples[name].append(timed(cmds[name], outs[name]))
    row = {"n": n, "bytes": os.path.getsize(outs[next(iter(cmds))])}
    with open(outs[next(iter(cmds))], encoding="utf-8") as fh:
        row["documents"] = sum(1 for line in fh if line.startswith("kind:"))
    for name, runs in samples.items():
        row[name] = tuple(statistics.median(r[i] for r in runs) for i in range(3))
    return row


def table(rows, tools):
    bosuns = [t for t in tools if t != "helm"]
    head = ["services", "documents", "helm wall / cpu / MiB"]
    head += [f"{t} wall / cpu / MiB" for t in bosuns]
    if "helm" in tools:
        head += [f"helm/{t} wall, cpu; mem" for t in bosuns]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [f"{row['n']:,}", f"{row['documents']:,}"]
        for t in tools:
            wall, cpu, kib = row[t]
            cells.append(f"{wall:.3f} s / {cpu:.3f} s / {kib / 1024:.0f}")
        if "helm" in tools:
            hw, hc, hk = row["helm"]
            for t in bosuns:
                bw, bc, bk = row[t]
                cells.append(f"**{hw / bw:.1f}×**, {hc / bc:.1f}×; {bk / hk:.2f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def linearity(rows, tools):
    """Time per service at each size relative to the smallest size's, per tool."""
    if len(rows) < 2:
        return ""
    first = rows[0]
    parts = []
    for t in tools:
        per = [
            "/".join(f"{(r[t][i] / r['n']) / (first[t][i] / first['n']):.2f}" for i in (0, 1))
            for r in rows[1:]
        ]
        parts.append(f"{t} " + ", ".join(per))
    sizes = ", ".join(f"{r['n']:,}" for r in rows[1:])
    return (f"Time per service relative to N={first['n']:,}, wall/CPU, at N = {sizes} "
            f"(1.00 is linear; below 1, the fixed start-up cost spread thinner): "
            + "; ".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 500, 2000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--helm", default=os.environ.get("HELM", "/tmp/helm/helm/helm"))
    parser.add_argument("--bosun", default=os.path.join(ROOT, "target", "release", "bosun"))
    parser.add_argument("--tools", default="helm,bosun,bosun-fast,bosun-gotpl",
                        help="comma-separated subset of helm,bosun,bosun-fast,bosun-gotpl")
    parser.add_argument("--scratch", default=os.environ.get("BENCH_OUT", "/tmp/bosun-sweep"))
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    args.tools = [t for t in args.tools.split(",") if t]
    for path in (args.helm, args.bosun):
        if "helm" in path and "helm" not in args.tools:
            continue
        if not os.access(path, os.X_OK):
            sys.exit(f"sweep: {path} is not an executable (build it with bench/release.sh)")
    os.makedirs(args.scratch, exist_ok=True)

    rows = []
    for n in args.sizes:
        print(f"== N={n}", file=sys.stderr, flush=True)
        rows.append(sweep_one(args, n, args.scratch))
    helm_version = subprocess.run([args.helm, "version", "--short"], capture_output=True,
                                  text=True).stdout.strip() if "helm" in args.tools else ""
    about = (f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({platform.machine()}), "
             f"helm {helm_version}, median of {args.runs} interleaved rounds, "
             f"`bench/sweep.py {' '.join(map(str, args.sizes))}`")
    text = "\n\n".join([about, table(rows, args.tools), linearity(rows, args.tools)])
    print(text)
    if args.write_readme:
        readme = os.path.join(ROOT, "bench", "README.md")
        with open(readme, encoding="utf-8") as fh:
            old = fh.read()
        if BEGIN not in old or END not in old:
            sys.exit(f"sweep: {readme} has no {BEGIN} ... {END} markers")
        head, rest = old.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(readme, "w", encoding="utf-8") as fh:
            fh.write(f"{head}{BEGIN}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
