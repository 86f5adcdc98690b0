#!/usr/bin/env python3
"""A generated umbrella chart of many Helm subcharts, rendered by helm and bosun (issue 13).

    bench/umbrella.py [--subcharts 100] [--runs 5] [--helm HELM] [--bosun BOSUN] [--out DIR]

Writes DIR/umbrella (default /tmp/bosun-umbrella): a Helm chart (Go templates) whose
Chart.yaml lists SUBCHARTS dependencies under charts/, each a small application chart with its
own helpers (`<name>.fullname`, `<name>.labels`), a Deployment, a Service and a ConfigMap, its
values overridden from the umbrella's values.yaml, one of them disabled by a `condition`. Helm
users report minutes for umbrellas of this size (helm/helm#12016). The script renders it once
with each tool, checks that both give the same objects (compare.py), then prints the median
wall time, CPU time and peak memory of RUNS interleaved rounds and the ratios.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep import ROOT, rotated, timed  # noqa: E402

HELPERS = """{{- define "NAME.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "NAME.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.extraLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "NAME.fullname" . }}
  labels:
    {{- include "NAME.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
  template:
    metadata:
      labels:
        {{- include "NAME.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
          {{- with .Values.env }}
          env:
            {{- range $k, $v := . }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {{ include "NAME.fullname" . }}
  labels:
    {{- include "NAME.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
  selector:
    app.kubernetes.io/name: {{ .Chart.Name }}
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "NAME.fullname" . }}
data:
  {{- range $k, $v := .Values.config }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
  global-region: {{ .Values.global.region | quote }}
"""

SUB_VALUES = """replicaCount: 1
image:
  repository: registry.example.com/NAME
  tag: ""
service:
  type: ClusterIP
  port: 8080
resources:
  limits:
    cpu: 200m
    memory: 256Mi
env:
  LOG_LEVEL: info
config:
  feature.a: "on"
  feature.b: "off"
extraLabels: {}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def generate(out, count):
    chart = os.path.join(out, "umbrella")
    shutil.rmtree(chart, ignore_errors=True)
    deps, values = [], ["global:\n  region: eu-west-1\n"]
    for i in range(count):
        name = f"svc{i:03d}"
        deps.append(f"  - name: {name}\n    version: 1.0.0\n    repository: file://charts/{name}\n"
                    f"    condition: {name}.enabled\n")
        values.append(f"{name}:\n  enabled: {'false' if i == count - 1 else 'true'}\n"
                      f"  replicaCount: {1 + i % 3}\n  env:\n    SERVICE_INDEX: \"{i}\"\n")
        sub = os.path.join(chart, "charts", name)
        write(os.path.join(sub, "Chart.yaml"),
              f"apiVersion: v2\nname: {name}\nversion: 1.0.0\nappVersion: \"2.{i}.0\"\n")
        write(os.path.join(sub, "values.yaml"), SUB_VALUES.replace("NAME", name))
        for file, text in [("_helpers.tpl", HELPERS), ("deployment.yaml", DEPLOYMENT),
                           ("service.yaml", SERVICE), ("configmap.yaml", CONFIGMAP)]:
            write(os.path.join(sub, "templates", file), text.replace("NAME", name))
    write(os.path.join(chart, "Chart.yaml"),
          "apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n" + "".join(deps))
    write(os.path.join(chart, "values.yaml"), "".join(values))
    return chart


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subcharts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--helm", default=os.environ.get("HELM", "/tmp/helm/helm/helm"))
    parser.add_argument("--bosun", default=os.path.join(ROOT, "target", "release", "bosun"))
    parser.add_argument("--out", default="/tmp/bosun-umbrella")
    args = parser.parse_args()
    chart = generate(args.out, args.subcharts)
    cmds = {
        "helm": [args.helm, "template", "rel", chart, "-n", "ns"],
        "bosun": [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                  "--state-dir", os.path.join(args.out, "state")],
        "bosun-fast": [args.bosun, "render", chart, "--release-name", "rel", "-n", "ns",
                       "--no-validate", "--no-save"],
    }
    outs = {name: os.path.join(args.out, f"{name}.yaml") for name in cmds}
    for name, cmd in cmds.items():
        timed(cmd, outs[name])
    for name in ("bosun", "bosun-fast"):
        check = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "compare.py"),
                                outs["helm"], outs[name]], capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit(f"umbrella: helm and {name} disagree:\n{check.stdout[-2000:]}")
    samples = {name: [] for name in cmds}
    for round_ in range(args.runs):
        for name in rotated(list(cmds), round_):
            cmd = cmds[name]
            samples[name].append(timed(cmd, outs[name]))
    med = {n: [statistics.median(r[i] for r in s) for i in range(3)] for n, s in samples.items()}
    print(f"umbrella of {args.subcharts} subcharts, median of {args.runs} rounds")
    print(f"{'tool':<11} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    for name, (wall, cpu, kib) in med.items():
        print(f"{name:<11} {wall:>8.3f} {cpu:>8.3f} {kib / 1024:>9.1f}")
    hw, hc, hk = med["helm"]
    for name in ("bosun", "bosun-fast"):
        bw, bc, bk = med[name]
        print(f"helm/{name}: wall {hw / bw:.1f}x, cpu {hc / bc:.1f}x; memory {bk / hk:.2f}x")


if __name__ == "__main__":
    main()
