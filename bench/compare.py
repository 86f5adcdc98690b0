#!/usr/bin/env python3
"""Checks that two multi-document YAML streams hold the same Kubernetes objects.

usage: compare.py LEFT.yaml RIGHT.yaml     (e.g. helm output, bosun output)

Every non-empty document is keyed by (apiVersion, kind, namespace, name); the two
sets of keys must be equal and the objects under each key deeply equal (document
order and YAML style do not matter: only the loaded data is compared).

Two values are excused on purpose, and the script says so when it applies them:
  * the pod-template annotation `checksum/config` is a sha256 of the renderer's own
    YAML serialization of the config map (Go's toYaml for Helm), so its value
    legitimately differs between renderers; it must exist on both sides, its value
    is not compared.
  * the label `app.kubernetes.io/managed-by` holds `.Release.Service`, which is
    "Helm" for helm and "bosun" for bosun; exactly that pair of values is accepted,
    anything else is a mismatch.
  * `helm-fleet` emits ExternalSecrets as `external-secrets.io/v1beta1`, which
    external-secrets no longer serves (bosun's validation refuses it); bosun's port
    emits `v1`, the same fields under the served version. An ExternalSecret is keyed
    as `v1` on both sides, and its `apiVersion` is not compared.

Exit status: 0 when identical, 1 on any mismatch, 2 on a usage or parse error.
"""
import sys

import yaml

try:  # the C loader is ~10x faster on the multi-MB streams of the benchmark
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader

CHECKSUM = "checksum/config"
MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGED_BY_PAIR = ("Helm", "bosun")
EXTERNAL_SECRETS_OLD = "external-secrets.io/v1beta1"
EXTERNAL_SECRETS_NEW = "external-secrets.io/v1"
MAX_SHOWN = 10
MISSING = object()


def load(path):
    """Returns ({key: object}, [duplicate keys], document count)."""
    with open(path, encoding="utf-8") as fh:
        docs = [d for d in yaml.load_all(fh, Loader=Loader) if d is not None]
    objects, dups = {}, []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise ValueError(f"{path}: document {i + 1} is a {type(doc).__name__}, not a mapping")
        meta = doc.get("metadata") or {}
        api_version = doc.get("apiVersion")
        if doc.get("kind") == "ExternalSecret" and api_version == EXTERNAL_SECRETS_OLD:
            api_version = doc["apiVersion"] = EXTERNAL_SECRETS_NEW
        key = (api_version, doc.get("kind"), meta.get("namespace"), meta.get("name"))
        if key in objects:
            dups.append(key)
        objects[key] = doc
    return objects, dups, len(docs)


def fmt_key(key):
    api, kind, ns, name = key
    return f"{kind} {ns}/{name} ({api})"


def short(value, limit=160):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Diff:
    def __init__(self):
        self.lines = []
        self.checksums_excused = 0
        self.managed_by_excused = 0

    def add(self, where, msg):
        self.lines.append(f"{where}: {msg}")

    def compare(self, a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b), key=str):
                sub = f"{path}.{k}"
                va, vb = a.get(k, MISSING), b.get(k, MISSING)
                if va is MISSING:
                    self.add(sub, f"only on the right: {short(vb)}")
                elif vb is MISSING:
                    self.add(sub, f"only on the left: {short(va)}")
                elif k == CHECKSUM and path.endswith(".annotations"):
                    if va != vb:
                        self.checksums_excused += 1
                elif k == MANAGED_BY and path.endswith(".labels") and (va, vb) == MANAGED_BY_PAIR:
                    self.managed_by_excused += 1
                else:
                    self.compare(va, vb, sub)
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                self.add(path, f"list length {len(a)} != {len(b)}: {short(a)} vs {short(b)}")
            for i, (va, vb) in enumerate(zip(a, b)):
                self.compare(va, vb, f"{path}[{i}]")
        elif type(a) is not type(b) or a != b:
            # type check keeps 1 != True and "1" != 1 (int vs float of equal value is fine)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
                    and not isinstance(a, bool) and not isinstance(b, bool) and a == b:
                return
            self.add(path, f"{short(a)} != {short(b)}")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    left_path, right_path = argv[1], argv[2]
    try:
        left, left_dups, left_n = load(left_path)
        right, right_dups, right_n = load(right_path)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        print(f"compare.py: {exc}", file=sys.stderr)
        return 2

    problems = []
    for path, dups in ((left_path, left_dups), (right_path, right_dups)):
        for key in dups:
            problems.append(f"duplicate object in {path}: {fmt_key(key)}")
    for key in sorted(set(left) - set(right), key=str):
        problems.append(f"only in {left_path}: {fmt_key(key)}")
    for key in sorted(set(right) - set(left), key=str):
        problems.append(f"only in {right_path}: {fmt_key(key)}")

    diff = Diff()
    differing = 0
    for key in sorted(set(left) & set(right), key=str):
        before = len(diff.lines)
        diff.compare(left[key], right[key], "")
        if len(diff.lines) > before:
            differing += 1
            problems.extend(f"{fmt_key(key)}: {line.lstrip('.')}" for line in diff.lines[before:])

    notes = []
    if diff.checksums_excused:
        notes.append(f"ignored the value of annotation {CHECKSUM} "
                     f"(renderer-specific YAML hash; differs in {diff.checksums_excused} objects, present on both sides)")
    if diff.managed_by_excused:
        notes.append(f"accepted label {MANAGED_BY}: {MANAGED_BY_PAIR[0]} vs {MANAGED_BY_PAIR[1]} "
                     f"(.Release.Service of each tool) in {diff.managed_by_excused} objects")
    for note in notes:
        print(f"note: {note}")

    if problems:
        for line in problems[:MAX_SHOWN]:
            print(line)
        if len(problems) > MAX_SHOWN:
            print(f"... and {len(problems) - MAX_SHOWN} more differences")
        print(f"DIFFERENT: {left_n} documents in {left_path}, {right_n} in {right_path}, "
              f"{differing} objects differ, {len(set(left) ^ set(right))} present on one side only")
        return 1
    print(f"same objects: {left_n} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
