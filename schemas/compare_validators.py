#!/usr/bin/env python3
"""Compares bosun's offline validator with an independent one, `kubernetes-validate`.

bosun's Kubernetes schemas are generated from the `kubernetes-validate` wheel's `-local-strict`
schemas (schemas/build_bundle.py), but bosun validates them with its own code: its own YAML
reader (YAML 1.1 like kubectl), its own schema compiler (Rust `jsonschema`), its own table of
removed apiVersions. This script checks that the verdicts agree with `kubernetes-validate`
itself (Python `jsonschema`), document by document, on one corpus built into a temp folder:

  1. every document of `bosun render charts/<c> --env <e> --no-validate` for the seed charts
     (okla, ecommerce, a4co, myapp, fastapi in their environments, and charts/demo), one file per
     document, the rendered text as it is;
  2. every document of tests/fixtures/crds/ (custom resources: kubernetes-validate has no schema
     for them, so they are counted as "no independent schema", never in the agreement rate);
  3. mutants of the core-kind documents of (1): an unknown field at a random object path, an
     integer made "abc", a string made an integer, a field the schema requires deleted (and,
     sometimes, metadata or metadata.name deleted, which the schemas do not require), an
     int-or-string field made a boolean or a float, a leaf made null, and the apiVersion changed
     to one Kubernetes removed. Each document's mutants come from random.Random seeded with
     `--seed` and the document's name, so a run is reproducible. Targets (required fields,
     int-or-string fields, closed objects vs maps) are found by walking kubernetes-validate's own
     1.35 definitions alongside the document; that only picks what to mutate, never a verdict.
     Mutants are written with PyYAML, quoting the strings kubectl's YAML 1.1 reader would take
     for booleans although PyYAML does not (`y`, `n`, ...), and must read back to the same
     object, so both tools see the same data.

Verdicts. bosun: `bosun validate --kube-version 1.35 -o json FILES...` (many files per call,
mapped back by each result's `source`); "valid", "invalid", "error" (counted as invalid) or
"skipped" (not checked). kubernetes-validate: the same file read with `yaml.safe_load` (YAML 1.1,
like kubectl) and passed to `kubernetes_validate.validate(data, "1.35.0", strict=True)`: it
returns (valid), raises ValidationError (invalid; it reports only its best-matching error), raises
SchemaNotFoundError (no schema), or raises anything else (error, counted as invalid: a document
it cannot even look up, such as one without `apiVersion`).

Removed apiVersions (a choice this script makes, printed with the results): kubernetes-validate
answers SchemaNotFoundError for `extensions/v1beta1` Ingress on 1.35 exactly as it does for an
unknown custom resource, while bosun answers invalid ("not served by Kubernetes 1.35; use ...").
A SchemaNotFoundError for an apiVersion/kind that Kubernetes is known to have removed by 1.35 is
counted as kubernetes-validate saying INVALID. "Known removed" means either listed in REMOVED
below (from Kubernetes' deprecated-API migration guide; needed for the removals up to 1.25,
which no schema folder of the wheel, 1.25 the oldest, still has) or having a schema in an older
version of kubernetes-validate's own wheel and none in 1.35. Any other SchemaNotFoundError stays
"no schema". A document bosun skips while kubernetes-validate checks it (so also a removed
apiVersion bosun does not know) is listed apart, as "checked by kubernetes-validate only".

Reading the results: both tools use the same schemas, so most agreement is expected; what the
comparison tests is everything around them (YAML reading, the schema compiler's semantics of
oneOf/null/integer, the removed-apiVersion table, bosun's own checks before the schema). Two
mutations are probes with no single right answer: an int-or-string set to 2.0 (an integer to
JSON Schema, so valid to both; kubectl's YAML-to-JSON step also writes it as 2), and a document
with no metadata.name (the schemas do not require it; bosun reports it as an error, as the API
server and `kubectl apply` refuse such an object unless it has generateName).

Output: the corpus size, what each tool checked, the agreement rate over the documents both
checked (valid vs invalid), a breakdown by origin and mutation, the documents only one tool
checked, and every disagreement (up to --show, round-robin over classes, with the full count).
Exit status 0 whatever the verdicts (it is a report); 2 if a tool cannot run.

Usage: schemas/compare_validators.py [--bosun PATH] [--seed N] [--show N] [--keep DIR]
                                     [--json FILE]
Needs: PyYAML and kubernetes-validate (`pip install kubernetes-validate`), no network.
"""
import argparse
import copy
import functools
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

try:
    import yaml
    import kubernetes_validate
    from kubernetes_validate import utils as kv_utils
except ImportError as e:  # pragma: no cover
    print(f"compare_validators: needs PyYAML and kubernetes-validate ({e}); "
          "pip install kubernetes-validate", file=sys.stderr)
    sys.exit(2)

REPO = pathlib.Path(__file__).resolve().parent.parent
KUBE = "1.35"
RENDERS = [("okla", "staging"), ("okla", "production"),
           ("ecommerce", "dev"), ("ecommerce", "staging"), ("ecommerce", "production"),
           ("a4co", "dev"), ("a4co", "staging"), ("a4co", "production"),
           ("myapp", "staging"), ("myapp", "production"),
           ("fastapi", "production"), ("demo", None)]
CORE_KINDS = {"Deployment", "Service", "ConfigMap", "Ingress", "HorizontalPodAutoscaler",
              "PodDisruptionBudget", "NetworkPolicy", "ServiceAccount", "StatefulSet",
              "Namespace", "Secret"}
# apiVersion/kind pairs Kubernetes removed, with the release that stopped serving them (the
# deprecated-API migration guide). Those removed by 1.25 are in no schema folder of the wheel
# (1.25 is its oldest), so only this table knows them.
REMOVED = {
    ("extensions/v1beta1", "Ingress"): "1.22",
    ("networking.k8s.io/v1beta1", "Ingress"): "1.22",
    ("extensions/v1beta1", "Deployment"): "1.16",
    ("apps/v1beta1", "Deployment"): "1.16",
    ("apps/v1beta2", "Deployment"): "1.16",
    ("apps/v1beta1", "StatefulSet"): "1.16",
    ("apps/v1beta2", "StatefulSet"): "1.16",
    ("extensions/v1beta1", "NetworkPolicy"): "1.16",
    ("policy/v1beta1", "PodDisruptionBudget"): "1.25",
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): "1.25",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "1.26",
}
# The removed apiVersions the apiVersion mutation picks from, per kind.
REMOVED_FOR_MUTATION = {
    "Ingress": ["extensions/v1beta1", "networking.k8s.io/v1beta1"],
    "Deployment": ["extensions/v1beta1", "apps/v1beta2"],
    "StatefulSet": ["apps/v1beta2"],
    "NetworkPolicy": ["extensions/v1beta1"],
    "PodDisruptionBudget": ["policy/v1beta1"],
    "HorizontalPodAutoscaler": ["autoscaling/v2beta2", "autoscaling/v2beta1"],
}
# Strings kubectl's YAML 1.1 reader (go-yaml v2) takes for booleans but PyYAML does not.
GO_YAML_ONLY_BOOLS = {"y", "Y", "n", "N"}
PROBE_KEY = "bosunProbeField"


# ---------------------------------------------------------------- kubernetes-validate's schemas

def kv_schema_dir(version):
    root = kv_utils.importlib_resources.files("kubernetes_validate").joinpath(
        "kubernetes-json-schema")
    return root.joinpath(f"v{version}.0-local-strict")


def load_definitions():
    with kv_utils.importlib_resources.as_file(kv_schema_dir(KUBE)) as folder:
        defs = json.loads((pathlib.Path(folder) / "_definitions.json").read_text())["$defs"]
    kinds = {}
    for name, schema in defs.items():
        props = schema.get("properties", {})
        if "apiVersion" not in props or "kind" not in props:
            continue
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds[(api, gvk["kind"])] = name
    return defs, kinds


def kv_has_schema(version, api_version, kind):
    """Whether kubernetes-validate's `version` folder has a schema file for this pair (the
    file name the library itself would open)."""
    short = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    with kv_utils.importlib_resources.as_file(kv_schema_dir(version)) as folder:
        return (pathlib.Path(folder) / f"{kind.lower()}-{short}.json").is_file()


@functools.lru_cache(maxsize=None)
def known_removed(api_version, kind):
    """Why (api_version, kind) counts as removed by KUBE, or None."""
    if (api_version, kind) in REMOVED:
        return f"removed in Kubernetes {REMOVED[(api_version, kind)]}"
    older = [v for v in kv_utils.all_versions()
             if tuple(map(int, v.split(".")[:2])) < tuple(map(int, KUBE.split(".")))]
    served = [v for v in older if kv_has_schema(v, api_version, kind)]
    if served:
        return f"kubernetes-validate has it up to {kv_utils.major_minor(served[-1])}"
    return None


class SchemaWalker:
    """Walks a document alongside kubernetes-validate's 1.35 definitions, to pick targets."""

    def __init__(self):
        self.defs, self.kinds = load_definitions()

    def resolve(self, schema):
        name = None
        while isinstance(schema, dict) and "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.defs.get(name, {})
        return name, schema

    def nodes(self, doc):
        """(path, value, definition name or None, resolved schema) for every node the schema
        reaches."""
        root = self.kinds.get((doc.get("apiVersion"), doc.get("kind")))
        if root is None:
            return []
        out = []

        def walk(value, schema, path):
            name, schema = self.resolve(schema)
            out.append((path, value, name, schema))
            if isinstance(value, dict):
                props = schema.get("properties", {})
                extra = schema.get("additionalProperties")
                for key, child in value.items():
                    if key in props:
                        walk(child, props[key], path + (key,))
                    elif isinstance(extra, dict):
                        walk(child, extra, path + (key,))
            elif isinstance(value, list) and isinstance(schema.get("items"), dict):
                for i, child in enumerate(value):
                    walk(child, schema["items"], path + (i,))

        walk(doc, {"$ref": f"#/$defs/{root}"}, ())
        return out


# ---------------------------------------------------------------- helpers

def pointer(path):
    if not path:
        return "/"
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def get_at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def set_at(doc, path, value):
    get_at(doc, path[:-1])[path[-1]] = value


def del_at(doc, path):
    del get_at(doc, path[:-1])[path[-1]]


def leaves(doc, path=()):
    """Every (path, value) of the document, containers included."""
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, path + (i,))


def canonical(data):
    return json.dumps(data, sort_keys=True, default=str)


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = '"' if value in GO_YAML_ONLY_BOOLS or value.startswith("=") else None
    if "\n" in value and style is None:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _str)


def dump(doc):
    text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=1 << 16)
    if canonical(yaml.safe_load(text)) != canonical(doc):
        # A block scalar PyYAML could not keep (trailing spaces...): let it pick the style.
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1 << 16)
    if canonical(yaml.safe_load(text)) != canonical(doc):
        return None
    return text


# ---------------------------------------------------------------- mutations

def mutate(doc, walker, rng):
    """(mutation, detail, mutant) triples for one core-kind document."""
    out = []
    nodes = walker.nodes(doc)
    by_path = {n[0]: n for n in nodes}

    def with_change(change):
        mutant = copy.deepcopy(doc)
        change(mutant)
        return mutant

    # 1. Unknown fields at two random object paths.
    objects = [n for n in nodes if isinstance(n[1], dict)]
    for path, _, name, schema in rng.sample(objects, min(2, len(objects))):
        extra = schema.get("additionalProperties")
        if extra is False:
            what = f"closed object {name or ''}".strip()
        elif isinstance(extra, dict):
            what = "a map"
        else:
            what = "an open object"
        out.append(("unknown-field", f"add {pointer(path + (PROBE_KEY,))} ({what})",
                    with_change(lambda m, p=path: set_at(m, p + (PROBE_KEY,), "x")
                                if p else m.__setitem__(PROBE_KEY, "x"))))

    # 2. An integer made a string.
    ints = [(p, v) for p, v in leaves(doc) if type(v) is int]
    if ints:
        path, value = rng.choice(ints)
        out.append(("int-to-string", f"{pointer(path)}: {value} -> \"abc\"",
                    with_change(lambda m, p=path: set_at(m, p, "abc"))))

    # 3. A string made an integer (not apiVersion or kind, which decide the schema).
    strings = [(p, v) for p, v in leaves(doc)
               if isinstance(v, str) and p not in (("apiVersion",), ("kind",))]
    if strings:
        path, value = rng.choice(strings)
        shown = value if len(value) < 30 else value[:27] + "..."
        out.append(("string-to-int", f"{pointer(path)}: {shown!r} -> 42",
                    with_change(lambda m, p=path: set_at(m, p, 42))))

    # 4. A field the schema requires deleted; sometimes metadata (not required) instead.
    required = []
    for path, value, name, schema in nodes:
        if isinstance(value, dict):
            required += [(path + (k,), name) for k in schema.get("required", []) if k in value]
    if required:
        path, name = rng.choice(required)
        out.append(("delete-required", f"delete {pointer(path)} (required by {name})",
                    with_change(lambda m, p=path: del_at(m, p))))
    roll = rng.random()
    if roll < 0.2 and "metadata" in doc:
        out.append(("delete-unrequired", "delete /metadata (not required by the schema)",
                    with_change(lambda m: m.pop("metadata"))))
    elif roll < 0.4 and "name" in (doc.get("metadata") or {}):
        out.append(("delete-unrequired", "delete /metadata/name (not required by the schema)",
                    with_change(lambda m: m["metadata"].pop("name"))))

    # 5. An int-or-string field made a boolean or a float.
    bad = rng.choice([True, False, 1.5, 2.0])
    int_or_string = [p for p, _, name, _ in nodes
                     if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    if int_or_string:
        path = rng.choice(int_or_string)
        out.append(("int-or-string-bad", f"{pointer(path)}: {get_at(doc, path)!r} -> "
                    f"{json.dumps(bad)}", with_change(lambda m, p=path: set_at(m, p, bad))))
    elif doc.get("kind") == "Deployment" and isinstance(doc.get("spec"), dict) \
            and "strategy" not in doc["spec"]:
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": bad}}
        out.append(("int-or-string-bad", f"add /spec/strategy/rollingUpdate/maxSurge: "
                    f"{json.dumps(bad)}",
                    with_change(lambda m: m["spec"].__setitem__("strategy", strategy))))

    # 6. A scalar leaf made null (every type in these schemas admits null but int-or-string's).
    scalars = [(p, v) for p, v in leaves(doc)
               if p and not isinstance(v, (dict, list)) and p not in (("apiVersion",), ("kind",))]
    if scalars:
        path, value = rng.choice(scalars)
        kind = by_path.get(path, (None, None, None))[2]
        out.append(("null-leaf", f"{pointer(path)} -> null"
                    + (f" ({kind})" if kind else ""),
                    with_change(lambda m, p=path: set_at(m, p, None))))

    # 7. The apiVersion changed to one Kubernetes removed.
    choices = REMOVED_FOR_MUTATION.get(doc.get("kind"))
    if choices:
        api = rng.choice(choices)
        out.append(("removed-apiVersion", f"apiVersion: {doc['apiVersion']} -> {api}",
                    with_change(lambda m: m.__setitem__("apiVersion", api))))
    return out


# ---------------------------------------------------------------- corpus

def split_documents(text):
    """The documents of a YAML stream, as text, split on `---` lines (a `---` at column 0 ends
    even a block scalar, so this splits where YAML does)."""
    docs, current = [], []
    for line in text.splitlines(keepends=True):
        if re.match(r"^---(\s|$)", line):
            docs.append("".join(current))
            current = []
        else:
            current.append(line)
    docs.append("".join(current))
    return [d for d in docs if yaml.safe_load(d) is not None]


def describe(data):
    if not isinstance(data, dict):
        return f"<{type(data).__name__}>"
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = meta.get("name", "?")
    ns = meta.get("namespace")
    return f"{data.get('kind', '?')} {ns + '/' if ns else ''}{name}"


def build_corpus(bosun, work, seed):
    walker = SchemaWalker()
    items = []

    def add(origin, rel, text, label, mutation=None, detail=None):
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        data = yaml.safe_load(text)
        head = {k: data.get(k) for k in ("apiVersion", "kind")} if isinstance(data, dict) else {}
        items.append({"origin": origin, "file": rel, "label": label, "mutation": mutation,
                      "detail": detail, "data": head})

    core = []
    for chart, env in RENDERS:
        cmd = [bosun, "render", str(REPO / "charts" / chart), "--no-validate"]
        if env:
            cmd += ["--env", env]
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        if run.returncode != 0:
            raise ToolError(f"`{' '.join(cmd)}` failed: {run.stderr.strip()}")
        tag = f"{chart}/{env}" if env else chart
        for i, text in enumerate(split_documents(run.stdout), 1):
            source = re.search(r"^# Source: (.*)$", text, re.M)
            data = yaml.safe_load(text)
            label = f"{tag} #{i} {describe(data)}" + (f" ({source.group(1)})" if source else "")
            rel = f"render/{chart}-{env or 'default'}-{i:03}.yaml"
            add("render", rel, text, label)
            if isinstance(data, dict) and data.get("kind") in CORE_KINDS:
                core.append((label, data))

    for fixture in sorted((REPO / "tests/fixtures/crds").rglob("*")):
        if not fixture.is_file() or fixture.suffix not in (".yaml", ".yml", ".json"):
            continue
        docs = split_documents(fixture.read_text())
        for i, text in enumerate(docs, 1):
            suffix = f" #{i}" if len(docs) > 1 else ""
            rel = f"crds/{fixture.stem}{'-' + str(i) if len(docs) > 1 else ''}.yaml"
            add("crd-fixture", rel, text,
                f"{fixture.relative_to(REPO)}{suffix} {describe(yaml.safe_load(text))}")

    n, dropped = 0, []
    for label, data in core:
        rng = random.Random(f"{seed}:{label}")
        for mutation, detail, mutant in mutate(data, walker, rng):
            text = dump(mutant)
            if text is None:  # PyYAML could not write it so that it reads back the same
                dropped.append(f"{label} {mutation}")
                continue
            n += 1
            add("mutant", f"mutants/{n:05}-{mutation}.yaml", text, label, mutation, detail)
    return items, dropped


# ---------------------------------------------------------------- verdicts

class ToolError(Exception):
    pass


def bosun_verdicts(bosun, work, items, batch=250):
    results = {}
    files = [it["file"] for it in items]
    for start in range(0, len(files), batch):
        chunk = files[start:start + batch]
        cmd = [bosun, "validate", "--kube-version", KUBE, "-o", "json", *chunk]
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError:
            raise ToolError(f"bosun validate printed no JSON (exit {run.returncode}): "
                            f"{run.stderr.strip()[:500]}")
        for resource in report.get("resources", []):
            results.setdefault(os.path.normpath(resource["source"]), []).append(resource)
    for it in items:
        found = results.get(os.path.normpath(it["file"]), [])
        if len(found) != 1:
            it["bosun"], it["bosun_msg"] = "error", f"bosun reported {len(found)} documents"
            continue
        r = found[0]
        status = r["status"]
        if status == "valid":
            it["bosun"], it["bosun_msg"] = "valid", ""
        elif status == "invalid":
            it["bosun"] = "invalid"
            it["bosun_paths"] = [e["path"] or "/" for e in r.get("errors", [])]
            it["bosun_msg"] = "; ".join(f"{e['path'] or '/'}: {e['message']}"
                                        for e in r.get("errors", []))
        elif status == "skipped":
            it["bosun"], it["bosun_msg"] = "skipped", r.get("reason", "skipped")
        else:
            it["bosun"], it["bosun_msg"] = "error", r.get("message", status)


def kv_verdict(data):
    """(verdict, message) from kubernetes-validate for one parsed document."""
    version = f"{KUBE}.0"
    try:
        kubernetes_validate.validate(data, version, strict=True)
        return "valid", ""
    except kubernetes_validate.ValidationError as e:
        return "invalid", f"{pointer(tuple(e.path))}: {e.message}"
    except kubernetes_validate.SchemaNotFoundError as e:
        why = known_removed(e.api_version, e.kind)
        if why:
            return "invalid-removed", f"{e.message} [{why}: counted as invalid]"
        return "no schema", e.message
    except kv_utils.VersionNotSupportedError as e:
        raise ToolError(e.message)
    except Exception as e:  # anything else: a document it cannot look up
        return "error", f"{type(e).__name__}: {e}"


def kv_verdicts(work, items):
    for it in items:
        text = (work / it["file"]).read_text()
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            it["kv"], it["kv_msg"] = "error", f"YAML: {e}"
            continue
        if not isinstance(data, dict):
            it["kv"], it["kv_msg"] = "error", f"not a mapping: {type(data).__name__}"
            continue
        it["kv"], it["kv_msg"] = kv_verdict(data)


# ---------------------------------------------------------------- report

def bosun_class(v):
    return {"valid": "valid", "invalid": "invalid", "error": "invalid"}.get(v)


def kv_class(v):
    return {"valid": "valid", "invalid": "invalid", "invalid-removed": "invalid",
            "error": "invalid"}.get(v)


def pct(a, b):
    return f"{100.0 * a / b:.2f}%" if b else "n/a"


def clip(text, n=300):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 3] + "..."


def report(items, show, seed):
    total = len(items)
    origins = Counter(it["origin"] for it in items)
    print(f"bosun validate vs kubernetes-validate {kubernetes_validate.__version__} "
          f"(strict, Kubernetes {KUBE}), seed {seed}")
    print(f"Corpus: {total} documents: {origins['render']} rendered, "
          f"{origins['crd-fixture']} CRD fixtures, {origins['mutant']} mutants")
    b = Counter(it["bosun"] for it in items)
    k = Counter(it["kv"] for it in items)
    b_checked = sum(1 for it in items if bosun_class(it["bosun"]))
    k_checked = sum(1 for it in items if kv_class(it["kv"]))
    print(f"bosun checked {b_checked}: valid {b['valid']}, invalid {b['invalid']}, "
          f"error {b['error']} (as invalid); skipped {b['skipped']}")
    print(f"kubernetes-validate checked {k_checked}: valid {k['valid']}, invalid {k['invalid']}, "
          f"removed apiVersion {k['invalid-removed']} (as invalid), error {k['error']} "
          f"(as invalid); no schema {k['no schema']}")
    print("  (choice: SchemaNotFoundError for an apiVersion/kind known to be removed by "
          f"{KUBE} counts as invalid; see the docstring)")

    both = [it for it in items if bosun_class(it["bosun"]) and kv_class(it["kv"])]
    agree = [it for it in both if bosun_class(it["bosun"]) == kv_class(it["kv"])]
    disagree = [it for it in both if bosun_class(it["bosun"]) != kv_class(it["kv"])]
    print()
    print(f"AGREEMENT: {pct(len(agree), len(both))} ({len(agree)} of {len(both)} documents "
          f"both checked; {len(disagree)} disagree)")
    matrix = Counter((bosun_class(it["bosun"]), kv_class(it["kv"])) for it in both)
    print(f"  bosun valid   / k-v valid   {matrix[('valid', 'valid')]:6}    "
          f"bosun valid   / k-v invalid {matrix[('valid', 'invalid')]:6}")
    print(f"  bosun invalid / k-v valid   {matrix[('invalid', 'valid')]:6}    "
          f"bosun invalid / k-v invalid {matrix[('invalid', 'invalid')]:6}")
    located = [it for it in both if it["bosun"] == "invalid" and it["kv"] == "invalid"]
    same_place = [it for it in located if places_agree(it)]
    print(f"  where both say invalid, bosun names kubernetes-validate's error path in "
          f"{len(same_place)} of {len(located)} ({pct(len(same_place), len(located))})")
    for it in [it for it in located if not places_agree(it)][:5]:
        print(f"    {it['file']}: k-v {clip(it['kv_msg'], 120)} / "
              f"bosun {clip(it['bosun_msg'], 120)}")

    print()
    print(f"{'by origin / mutation':28} {'docs':>6} {'both':>6} {'agree':>6} {'disagree':>8}"
          f"  {'rate':>8}")
    groups = defaultdict(list)
    for it in items:
        groups[it["origin"] if it["origin"] != "mutant" else f"mutant {it['mutation']}"].append(it)
    for name in sorted(groups, key=lambda g: (g.startswith("mutant"), g)):
        g = groups[name]
        gb = [it for it in g if bosun_class(it["bosun"]) and kv_class(it["kv"])]
        ga = sum(1 for it in gb if bosun_class(it["bosun"]) == kv_class(it["kv"]))
        print(f"{name:28} {len(g):6} {len(gb):6} {ga:6} {len(gb) - ga:8}  {pct(ga, len(gb)):>8}")

    crds = [it for it in items if it["origin"] == "crd-fixture"]
    no_schema = [it for it in items if it["kv"] == "no schema"]
    print()
    print(f"No independent schema (kubernetes-validate has none): {len(no_schema)} documents, "
          f"{len(crds)} of them CRD fixtures; bosun on them: "
          + ", ".join(f"{v} {n}" for v, n in sorted(Counter(it['bosun'] for it in no_schema)
                                                    .items())))
    expected = [it for it in crds if re.search(r"\.(valid|invalid)(-\d+)?\.yaml$", it["file"])]
    mismatched = [it for it in expected
                  if (".invalid" in it["file"]) != (bosun_class(it["bosun"]) == "invalid")]
    print(f"  CRD fixtures whose bosun verdict contradicts their file name (.valid/.invalid): "
          f"{len(mismatched)} of {len(expected)}")
    for it in mismatched:
        print(f"    {it['label']}: bosun {it['bosun']}: {clip(it['bosun_msg'], 200)}")

    only_bosun = [it for it in items if bosun_class(it["bosun"]) and not kv_class(it["kv"])
                  and it["origin"] != "crd-fixture"]
    only_kv = [it for it in items if kv_class(it["kv"]) and not bosun_class(it["bosun"])]
    print(f"Checked by bosun only (outside the CRD fixtures; k-v has no schema): "
          f"{len(only_bosun)}: "
          + ", ".join(f"{k} {n}" for k, n in Counter(
              f"{it['bosun']} {api_kind(it)}" for it in only_bosun).most_common()))
    print(f"Checked by kubernetes-validate only (bosun skipped, so `bosun validate` passes them): "
          f"{len(only_kv)}")
    for key, n in Counter((api_kind(it), it["kv"], normalize(it["bosun_msg"]))
                          for it in only_kv).most_common():
        print(f"    {n:4}  {key[0]}: k-v {key[1]}, bosun {key[2]}")

    print()
    print(f"DISAGREEMENTS: {len(disagree)}" + (f" (showing {min(show, len(disagree))}, "
                                               "round-robin over classes)" if disagree else ""))
    classes = defaultdict(list)
    for it in disagree:
        key = (it["bosun"], normalize(first_message(it["bosun_msg"])),
               it["kv"], normalize(it["kv_msg"]))
        classes[key].append(it)
    ordered = sorted(classes.items(), key=lambda kv: -len(kv[1]))
    for (bv, bm, kv, km), members in ordered:
        how = ", ".join(f"{k} {n}" for k, n in Counter(
            it["mutation"] or it["origin"] for it in members).most_common())
        print(f"  {len(members):5}  bosun {bv} ({clip(bm, 100) or '-'}) / k-v {kv} "
              f"({clip(km, 100) or '-'})  [{how}]")
    shown, queues = [], [list(v) for _, v in ordered]
    while len(shown) < min(show, len(disagree)):
        for q in queues:
            if q and len(shown) < show:
                shown.append(q.pop(0))
    for n, it in enumerate(shown, 1):
        what = f"{it['origin']}" + (f" {it['mutation']} [{it['detail']}]" if it["mutation"] else "")
        print(f"\n  {n}. {it['label']}\n     {what}  (file {it['file']})")
        print(f"     bosun: {it['bosun']}: {clip(it['bosun_msg']) or '-'}")
        print(f"     k-v:   {it['kv']}: {clip(it['kv_msg']) or '-'}")
    if len(disagree) > len(shown):
        print(f"\n  ... and {len(disagree) - len(shown)} more (--show N to see more)")


def places_agree(it):
    """Whether one of bosun's error paths is kubernetes-validate's (best-match) error path or
    below it (bosun points at an unknown field itself, jsonschema at the object holding it)."""
    kv_path = it["kv_msg"].split(": ", 1)[0]
    paths = it.get("bosun_paths", [])
    return any(p == kv_path or p.startswith(kv_path.rstrip("/") + "/") for p in paths)


def api_kind(it):
    data = it.get("data") or {}
    return f"{data.get('apiVersion', '?')} {data.get('kind', '?')}"


def first_message(text):
    return text.split("; ")[0]


def normalize(text):
    """A message with its file name, paths' indexes and quoted values blurred, to group by."""
    text = re.sub(r"`[^`]*\.(yaml|yml|json)`", "FILE", text)
    text = re.sub(r"/\d+(?=/|:|$)", "/N", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "V", text)
    return re.sub(r"^/[^:]*: ", "PATH: ", text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bosun", default=str(REPO / "target/release/bosun"),
                        help="the bosun binary (default: target/release/bosun)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mutations (default 1)")
    parser.add_argument("--show", type=int, default=30, help="disagreements to list (default 30)")
    parser.add_argument("--keep", help="build the corpus in this folder and keep it")
    parser.add_argument("--json", help="also write every document's verdicts to this file")
    args = parser.parse_args()
    bosun = shutil.which(args.bosun) or args.bosun
    if not os.access(bosun, os.X_OK):
        print(f"compare_validators: no bosun binary at {bosun}", file=sys.stderr)
        return 2
    bosun = os.path.abspath(bosun)
    try:
        if args.keep:
            work = pathlib.Path(args.keep).resolve()
            work.mkdir(parents=True, exist_ok=True)
            return run(bosun, work, args)
        with tempfile.TemporaryDirectory(prefix="bosun-compare-") as tmp:
            return run(bosun, pathlib.Path(tmp), args)
    except ToolError as e:
        print(f"compare_validators: {e}", file=sys.stderr)
        return 2


def run(bosun, work, args):
    items, dropped = build_corpus(bosun, work, args.seed)
    if dropped:
        print(f"({len(dropped)} mutants dropped: PyYAML could not write them to read back the "
              f"same, e.g. {dropped[0]})")
    bosun_verdicts(bosun, work, items)
    kv_verdicts(work, items)
    report(items, args.show, args.seed)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(items, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
