#!/usr/bin/env python3
"""Checks the CRD schemas of schemas/crds/ against the fixtures of tests/fixtures/crds/.

For every schema file <group>/<kind>_<version>.json:
  - it is a valid JSON Schema (draft 2020-12), declares that draft in "$schema", carries an
    "x-bosun-upstream" string, has no "description" anywhere, is closed at the top level
    (additionalProperties: false), and its apiVersion/kind consts match its path;
  - tests/fixtures/crds/<kind>_<version>.valid.yaml exists and validates with no error;
  - tests/fixtures/crds/<kind>_<version>.invalid.yaml exists, starts with the line
    "# expect: <JSON pointer>", and fails with exactly one error, at that pointer.
Every fixture must belong to a schema.

Where an error points: a wrong type or value points at the value itself; an unknown field
points at the unknown key (its parent's path + the key); a missing required field points
at where the field should be (its parent's path + the field name).

Fixtures are read with PyYAML (YAML 1.1), so they avoid what YAML 1.1 and 1.2 read
differently (bare yes/no/on/off, leading-zero numbers, 1:30-style numbers).

Usage: python3 schemas/crds/check.py        (needs: pip install jsonschema pyyaml)
Exits 0 when everything matches, 1 otherwise.
"""
import json
import pathlib
import re
import sys

import yaml
from jsonschema import Draft202012Validator

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent.parent / "tests" / "fixtures" / "crds"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
FIXTURE_NAME = re.compile(r"^([a-z0-9]+)_([a-z0-9]+)\.(valid|invalid)\.yaml$")
EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s*$")


def pointer(parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def error_pointers(error):
    """The JSON pointers one validation error names (see the module docstring)."""
    base = list(error.absolute_path)
    inst = error.instance
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = error.schema.get("properties", {})
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        extras = [k for k in inst if k not in known and not any(p.search(k) for p in patterns)]
        return [pointer(base + [k]) for k in extras]
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in inst]
        return [pointer(base + [k]) for k in missing]
    return [pointer(base)]


def describe(errors):
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)


def load_fixture(path):
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    if len(docs) != 1:
        raise ValueError(f"expected one YAML document, found {len(docs)}")
    return docs[0]


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def check_schema_file(path, schema):
    problems = []
    group = path.parent.name
    stem = path.stem
    if "_" not in stem:
        return [f"file name is not <kind>_<version>.json"]
    kind_lc, version = stem.rsplit("_", 1)
    if schema.get("$schema") != DRAFT:
        problems.append(f'"$schema" is not {DRAFT}')
    if not isinstance(schema.get("x-bosun-upstream"), str) or not schema["x-bosun-upstream"]:
        problems.append('missing "x-bosun-upstream"')
    if schema.get("additionalProperties") is not False:
        problems.append("top level is not additionalProperties: false")
    for node in walk(schema):
        if "description" in node and isinstance(node.get("description"), str):
            problems.append("contains a description")
            break
    props = schema.get("properties", {})
    api_version = props.get("apiVersion", {}).get("const")
    kind = props.get("kind", {}).get("const")
    if api_version != f"{group}/{version}":
        problems.append(f"apiVersion const {api_version!r} does not match path {group}/{version}")
    if not isinstance(kind, str) or kind.lower() != kind_lc:
        problems.append(f"kind const {kind!r} does not match file name {kind_lc}")
    if props.get("metadata") != {"type": "object"}:
        problems.append('metadata is not {"type": "object"}')
    for key in ("apiVersion", "kind", "metadata"):
        if key not in schema.get("required", []):
            problems.append(f"{key} is not required")
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as exc:  # SchemaError
        problems.append(f"not a valid draft 2020-12 schema: {exc}")
    return problems


def main():
    failures = []
    checked = 0
    schema_files = sorted(p for p in HERE.glob("*/*.json"))
    by_fixture_stem = {}
    for path in schema_files:
        rel = path.relative_to(HERE)
        try:
            schema = json.loads(path.read_text())
        except ValueError as exc:
            failures.append(f"{rel}: not JSON: {exc}")
            continue
        problems = check_schema_file(path, schema)
        failures += [f"{rel}: {p}" for p in problems]
        if problems:
            continue
        if path.stem in by_fixture_stem:
            failures.append(f"{rel}: fixture name {path.stem} already used by {by_fixture_stem[path.stem][0]}")
            continue
        by_fixture_stem[path.stem] = (rel, schema)

    for fixture in sorted(FIXTURES.glob("*")):
        m = FIXTURE_NAME.match(fixture.name)
        if not m or f"{m.group(1)}_{m.group(2)}" not in by_fixture_stem:
            failures.append(f"fixtures/{fixture.name}: does not belong to any schema")

    for stem, (rel, schema) in sorted(by_fixture_stem.items()):
        # References into Kubernetes' own definitions (a Rollout's pod template) are filled in by
        # bosun from the target version; this standalone check accepts any object there.
        schema = json.loads(json.dumps(schema).replace(
            '"$ref": "#/$defs/io.k8s.api.core.v1.PodTemplateSpec"', '"type": "object"'))
        validator = Draft202012Validator(schema)
        api_version = schema["properties"]["apiVersion"]["const"]
        kind = schema["properties"]["kind"]["const"]
        for mode in ("valid", "invalid"):
            fixture = FIXTURES / f"{stem}.{mode}.yaml"
            name = f"fixtures/{fixture.name}"
            if not fixture.exists():
                failures.append(f"{name}: missing (for {rel})")
                continue
            try:
                doc = load_fixture(fixture)
            except Exception as exc:
                failures.append(f"{name}: cannot read: {exc}")
                continue
            if not isinstance(doc, dict) or doc.get("apiVersion") != api_version or doc.get("kind") != kind:
                failures.append(f"{name}: is not a {api_version} {kind}")
                continue
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
            checked += 1
            if mode == "valid":
                if errors:
                    failures.append(f"{name}: should pass {rel}, fails: {describe(errors)}")
                else:
                    print(f"ok    {name}")
                continue
            first = fixture.read_text().splitlines()[0] if fixture.read_text() else ""
            expect = EXPECT.match(first)
            if not expect:
                failures.append(f"{name}: first line is not '# expect: <JSON pointer>'")
                continue
            expected = expect.group(1)
            found = sorted({p for e in errors for p in error_pointers(e)})
            if not errors:
                failures.append(f"{name}: should fail at {expected}, passes")
            elif found != [expected] or len(errors) != 1:
                failures.append(f"{name}: should fail once at {expected}, fails at {found}: {describe(errors)}")
            else:
                print(f"ok    {name}  ({expected}: {errors[0].message})")

    if not schema_files:
        failures.append("no schemas found")
    print()
    if failures:
        for f in failures:
            print(f"FAIL  {f}")
        print(f"\n{len(failures)} problem(s); {len(schema_files)} schemas, {checked} fixtures checked")
        return 1
    print(f"all good: {len(schema_files)} schemas, {checked} fixtures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
