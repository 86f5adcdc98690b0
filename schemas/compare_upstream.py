#!/usr/bin/env python3
"""Compares bosun's hand-written CRD schemas (schemas/crds/) with the upstream CRDs.

Run by hand, not in tests: the upstream CRDs are reference data kept outside the project.

    python3 schemas/compare_upstream.py ../shared/reference/upstream-crds [--cel] [--summary]

It reads every CustomResourceDefinition in the folder (recursively, *.yaml), and for each
bundled schema <group>/<kind>_<version>.json walks both schemas side by side. Per kind and
version it lists:
  missing   a field upstream has that ours does not list, inside an object we close
            (bosun refuses it: a false rejection)
  extra     a field ours lists that upstream does not have (bosun accepts what upstream refuses)
  type      the types differ (int-or-string counts as integer|string; nullable adds null)
  enum      the allowed values differ (values upstream accepts that we refuse, and the reverse)
  required  a field one side requires and the other does not
  bounds    a length, count or range ours limits more tightly than upstream
  pattern   a pattern ours has that upstream does not have, or has differently
  open      an object ours leaves open (any keys) where upstream lists fields: not compared below
  served    a version we bundle that upstream does not serve, or the reverse
With --cel, also every `x-kubernetes-validations` rule upstream has, by its message (bosun does
not run CEL; schemas/crds/DIFFERENCES.md says which ones our schemas say in JSON Schema).
Objects ours models as `{"type": "object"}` are not descended into: those are documented as
modelled loosely in schemas/crds/README.md. Exit code 0 always: this is a report.
"""
import json
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
CRDS = HERE / "crds"


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML 1.1's `=` (the "value" tag) is a plain string in a CRD's enum."""


Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def load_upstream(folder):
    """{(group, version, kind): (schema, served)} and {(group, kind): [served versions]}."""
    found, served_versions = {}, {}
    for path in sorted(pathlib.Path(folder).rglob("*.yaml")):
        for doc in yaml.load_all(path.read_text(), Loader=Loader):
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            group, kind = spec["group"], spec["names"]["kind"]
            for version in spec.get("versions", []):
                schema = (version.get("schema") or {}).get("openAPIV3Schema") or {}
                served = version.get("served", True)
                found[(group, version["name"], kind)] = (schema, served)
                if served:
                    served_versions.setdefault((group, kind), []).append(version["name"])
    return found, served_versions


class Ours:
    """Our schema, with local $refs resolved and combinators merged."""

    def __init__(self, root):
        self.root = root

    def resolve(self, node, depth=0):
        if not isinstance(node, dict) or depth > 20:
            return node or {}
        if "$ref" in node and node["$ref"].startswith("#/"):
            target = self.root
            for part in node["$ref"][2:].split("/"):
                target = target.get(part, {})
            merged = dict(self.resolve(target, depth + 1))
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            return merged
        return node

    def properties(self, node):
        """Listed properties, counting those of allOf/anyOf/oneOf branches and if/then."""
        node = self.resolve(node)
        props = dict(node.get("properties", {}))
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in node.get(key, []):
                for name, sub in self.properties(branch).items():
                    props.setdefault(name, sub)
        return props

    def required(self, node):
        node = self.resolve(node)
        req = set(node.get("required", []))
        for branch in node.get("allOf", []):
            req |= self.required(branch)
        return req

    def types(self, node):
        node = self.resolve(node)
        if "type" in node:
            t = node["type"]
            return set(t if isinstance(t, list) else [t])
        if "const" in node:
            return {json_type(node["const"])}
        if "enum" in node:
            return {json_type(v) for v in node["enum"]}
        out = set()
        for key in ("anyOf", "oneOf"):
            for branch in node.get(key, []):
                out |= self.types(branch)
        return out

    def enum(self, node):
        node = self.resolve(node)
        if "enum" in node:
            return set(map(json.dumps, node["enum"]))
        if "const" in node:
            return {json.dumps(node["const"])}
        return None

    def closed(self, node):
        node = self.resolve(node)
        if node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False:
            return True
        return any(self.closed(b) for b in node.get("allOf", []))

    def items(self, node):
        return self.resolve(self.resolve(node).get("items", {}))

    def map_values(self, node):
        value = self.resolve(node).get("additionalProperties")
        return self.resolve(value) if isinstance(value, dict) else None


def json_type(value):
    return {bool: "boolean", int: "integer", float: "number", str: "string",
            list: "array", dict: "object", type(None): "null"}[type(value)]


def upstream_types(node):
    if node.get("x-kubernetes-int-or-string"):
        out = {"integer", "string"}
    elif "type" in node:
        out = {node["type"]}
    else:
        out = set()
    if node.get("nullable") and out:
        out.add("null")
    return out


def compare(up, ours, node, path, report):
    """Walks upstream schema `up` next to our schema `node`, appending findings to report."""
    node = ours.resolve(node)
    ut, ot = upstream_types(up), ours.types(node)
    if ut and ot and not ut <= ot | ({"number"} if "integer" in ut else set()):
        # integer is a number: a `number` upstream that we type `integer` is a narrowing
        report.append(("type", path or "/", f"upstream {sorted(ut)}, ours {sorted(ot)}"))
    if ut and ot and ut == {"number"} and ot == {"integer"}:
        report.append(("type", path, "upstream number, ours integer"))
    ue = set(map(json.dumps, up["enum"])) if "enum" in up else None
    oe = ours.enum(node)
    if ue is not None and oe is not None and ue != oe:
        if ue - oe:
            report.append(("enum", path, f"upstream also allows {', '.join(sorted(ue - oe))}"))
        if oe - ue:
            report.append(("enum", path, f"ours also allows {', '.join(sorted(oe - ue))}"))
    elif oe is not None and ue is None and "object" not in ut and "array" not in ut and path:
        report.append(("enum", path, f"ours restricts to {', '.join(sorted(oe))}; upstream any value"))

    for key in ("minLength", "minItems", "minProperties", "minimum"):
        if key in node and node[key] > up.get(key, 0):
            report.append(("bounds", path or "/", f"ours {key} {node[key]}, upstream {up.get(key, 'none')}"))
    for key in ("maxLength", "maxItems", "maxProperties", "maximum"):
        if key in node and node[key] < up.get(key, float("inf")):
            report.append(("bounds", path or "/", f"ours {key} {node[key]}, upstream {up.get(key, 'none')}"))
    if "pattern" in node and node["pattern"] != up.get("pattern"):
        report.append(("pattern", path or "/", "ours " + ("differs" if "pattern" in up else "has one, upstream none")))

    uprops = up.get("properties", {})
    oprops = ours.properties(node)
    if uprops:
        if not oprops and not ours.closed(node):
            if path:
                report.append(("open", path, f"upstream lists {len(uprops)} fields"))
        else:
            for name, sub in uprops.items():
                child = f"{path}/{name}"
                if name in oprops:
                    compare(sub, ours, oprops[name], child, report)
                elif ours.closed(node):
                    report.append(("missing", child, "/".join(sorted(upstream_types(sub))) or "any"))
            for name in oprops:
                if name not in uprops and not up.get("x-kubernetes-preserve-unknown-fields"):
                    report.append(("extra", f"{path}/{name}", ""))
        ureq, oreq = set(up.get("required", [])), ours.required(node)
        if not path:  # bosun requires these of every document itself
            oreq -= {"apiVersion", "kind", "metadata"}
        if oprops or ours.closed(node):
            for name in sorted(ureq - oreq):
                report.append(("required", f"{path}/{name}", "upstream requires it, ours does not"))
            for name in sorted(oreq - ureq):
                report.append(("required", f"{path}/{name}", "ours requires it, upstream does not"))
    if "items" in up and isinstance(up["items"], dict):
        compare(up["items"], ours, ours.items(node), f"{path}/*", report)
    if isinstance(up.get("additionalProperties"), dict) and ours.map_values(node) is not None:
        compare(up["additionalProperties"], ours, ours.map_values(node), f"{path}/*", report)


def cel_rules(up, path, report):
    """Every `x-kubernetes-validations` rule of the upstream schema, wherever ours stops."""
    for rule in up.get("x-kubernetes-validations", []):
        message = rule.get("message") or rule.get("rule", "")
        report.append(("cel", path or "/", " ".join(message.split())))
    for name, sub in up.get("properties", {}).items():
        cel_rules(sub, f"{path}/{name}", report)
    for key in ("items", "additionalProperties"):
        if isinstance(up.get(key), dict):
            cel_rules(up[key], f"{path}/*", report)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[4].strip(), file=sys.stderr)
        return 2
    cel, summary = "--cel" in argv, "--summary" in argv
    upstream, served = load_upstream(args[0])
    bundled_kinds = {}
    for path in sorted(CRDS.glob("*/*.json")):
        root = json.loads(path.read_text())
        group = path.parent.name
        kind = root["properties"]["kind"]["const"]
        version = root["properties"]["apiVersion"]["const"].split("/", 1)[1]
        bundled_kinds.setdefault((group, kind), []).append(version)
        title = f"{group}/{version} {kind} ({path.relative_to(HERE)})"
        if (group, version, kind) not in upstream:
            print(f"== {title}\n  served   upstream has no {group}/{version} {kind}\n")
            continue
        schema, is_served = upstream[(group, version, kind)]
        report = []
        if not is_served:
            report.append(("served", "/", f"upstream no longer serves {version} (served: false)"))
        spec = {k: v for k, v in schema.items()}
        spec.setdefault("properties", {})
        # apiVersion/kind/metadata are checked by bosun itself, not by the CRD schema.
        for key in ("apiVersion", "kind", "metadata"):
            spec["properties"].pop(key, None)
        ours = Ours(root)
        trimmed = dict(ours.resolve(root))
        trimmed["properties"] = {k: v for k, v in ours.properties(root).items()
                                 if k not in ("apiVersion", "kind", "metadata")}
        compare(spec, ours, trimmed, "", report)
        if cel:
            cel_rules(spec, "", report)
        counts = {}
        for what, _, _ in report:
            counts[what] = counts.get(what, 0) + 1
        print(f"== {title}: " + (", ".join(f"{n} {w}" for w, n in sorted(counts.items())) or "no differences"))
        if not summary:
            for what, where, detail in report:
                print(f"  {what:9}{where}" + (f"  ({detail})" if detail else ""))
        print()
    for (group, kind), versions in sorted(bundled_kinds.items()):
        missing = sorted(set(served.get((group, kind), [])) - set(versions))
        if missing:
            print(f"== {group} {kind}: upstream also serves {', '.join(missing)}, which bosun does not bundle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
