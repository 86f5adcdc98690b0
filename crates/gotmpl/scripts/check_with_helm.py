#!/usr/bin/env python3
"""Checks the `helm`-marked cases of tests/cases/*.txt against a real helm.

Each case runs as `tpl` of the case's template with the case's data as `.Values`, the way Helm
runs text: `missingkey=zero`, `<no value>` removed, numbers as float64, template name `gotpl`.
Errors are compared from `template: gotpl:` on, Helm's own wrapping removed.

    scripts/check_with_helm.py HELM tests/cases/*.txt          # report cases that differ
    scripts/check_with_helm.py --fill HELM tests/cases/new.txt # write helm's output where a case says `?`

Needs only a helm binary (v4 was used) and no network: the chart is written to a temp folder.
"""
import base64, json, os, re, shutil, subprocess, sys, tempfile

def split_cases(text):
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    current = None
    for line in lines + ["=== "]:
        if line.startswith("=== "):
            if current:
                yield current
            current = [line[4:], []]
        elif current is not None:
            current[1].append(line)

def parse(text):
    for header, lines in split_cases(text):
        data, template, expected = "\n".join(lines).split("\n---\n", 2)
        yield header, data, template, expected

def run_helm(helm, data, template):
    root = tempfile.mkdtemp()
    try:
        chart = os.path.join(root, "c")
        os.makedirs(os.path.join(chart, "templates"))
        with open(os.path.join(chart, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        with open(os.path.join(chart, "case.tpl"), "w") as f:
            f.write(template)
        with open(os.path.join(chart, "templates", "t.yaml"), "w") as f:
            f.write('out: {{ tpl (.Files.Get "case.tpl") .Values | b64enc | quote }}\n')
        with open(os.path.join(chart, "values.yaml"), "w") as f:
            f.write(json.dumps(json.loads(data)) if data.strip() else "{}")
        p = subprocess.run([helm, "template", "r", chart], capture_output=True, text=True)
    finally:
        shutil.rmtree(root)
    m = re.search(r'^out: "(.*)"$', p.stdout, re.M)
    if m:
        return base64.b64decode(m.group(1)).decode()
    for pattern in (r'error during tpl function execution for ".*?": (template: gotpl.*)$',
                    r'cannot parse template ".*?": (template: gotpl.*)$'):
        m = re.search(pattern, p.stderr, re.M | re.S)
        if m:
            return "error: " + m.group(1).split("\n\nUse --debug")[0].strip()
    return "HELM-FAILED: " + p.stderr.strip()

def main(argv):
    fill = argv[:1] == ["--fill"]
    if fill:
        argv = argv[1:]
    helm, files = argv[0], argv[1:]
    agree = differ = 0
    for path in files:
        out = []
        for header, data, template, expected in parse(open(path).read()):
            if "helm" in header.split()[1:]:
                got = run_helm(helm, data, template)
                if fill and expected == "?":
                    expected = got
                elif got == expected:
                    agree += 1
                else:
                    differ += 1
                    print(f"{os.path.basename(path)}: {header.split()[0]}\n  expected: {expected!r}\n  helm:     {got!r}")
            out.append(f"=== {header}\n{data}\n---\n{template}\n---\n{expected}\n")
        if fill:
            with open(path, "w") as f:
                f.write("".join(out))
    print(f"{agree} agree with helm, {differ} differ")
    return 1 if differ else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
