#!/usr/bin/env python3
"""Writes a repository of RELEASES releases for `bosun diff --all`: RELEASES/2 charts on the
built-in service library (3 services each, as `bosun init` makes one), each with values of its
own in `dev` and `production`, so every chart is released in both.

    bench/gen-repo.py 100 /tmp/bosun-repo-100

The folder is replaced; it gets a `.git` so bosun finds its root there.
"""

import os
import shutil
import subprocess
import sys

CHART = """apiVersion: v2
name: {name}
engine: jinja
version: 0.1.0
dependencies:
  - name: service
    version: 0.1.0
    repository: bosun://service
"""

TEMPLATE = """{% import "service/_service.tpl" as service %}
{{ service.render() }}
"""

SERVICE = """  {name}:
    image:
      repository: {name}
      tag: "1.0.{n}"
    replicas: 1
    ports:
      - name: http
        containerPort: 8080
        servicePort: 80
    resources:
      requests: {{cpu: 100m, memory: 128Mi}}
      limits: {{cpu: 500m, memory: 256Mi}}
    probes:
      liveness: {{path: /healthz}}
      readiness: {{path: /readyz}}
    podSecurityContext: {{runAsUser: 1000, runAsGroup: 1000}}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    releases = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    root = sys.argv[2] if len(sys.argv) > 2 else f"/tmp/bosun-repo-{releases}"
    shutil.rmtree(root, ignore_errors=True)
    charts = max(1, releases // 2)
    for i in range(charts):
        name = f"app{i:03d}"
        chart = os.path.join(root, "charts", name)
        write(os.path.join(chart, "Chart.yaml"), CHART.format(name=name))
        write(os.path.join(chart, "templates", "manifests.yaml"), TEMPLATE)
        services = "".join(SERVICE.format(name=f"{name}-svc{s}", n=s) for s in range(3))
        write(os.path.join(chart, "values.yaml"), "services:\n" + services)
        for env, replicas in (("dev", 1), ("production", 3)):
            lines = [f"services:"] + [
                f"  {name}-svc{s}:\n    replicas: {replicas}" for s in range(3)
            ]
            write(os.path.join(root, "values", env, f"{name}.yaml"), "\n".join(lines) + "\n")
    for env in ("dev", "production"):
        write(os.path.join(root, "values", f"{env}.yaml"), f"global:\n  environment: {env}\n")
    subprocess.run(["git", "init", "-q", root], check=True)
    print(f"{root}: {charts} charts x 2 environments = {charts * 2} releases")


if __name__ == "__main__":
    main()
