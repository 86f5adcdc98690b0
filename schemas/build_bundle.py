#!/usr/bin/env python3
"""Builds schemas/kubernetes.bundle, the Kubernetes JSON schemas bosun embeds.

Source: the PyPI wheel `kubernetes-validate` (its `vX.Y.0-local-strict` schemas, in which every
object rejects unknown fields). For each Kubernetes version asked for, this keeps the
`_definitions.json` of that version, drops what validation does not read (descriptions, the
`x-kubernetes-*` extensions) and notes the `group/version/Kind`s each definition serves.
A definition that reads the same in several versions (most do) is stored once.

The bundle is plain text, one record a line, so a run reads only the definitions its kinds
reach, without unpacking or parsing the rest. The names come first, in an index that says how
long each schema is, so a run finds its schemas without reading through the others:

    bosun-schemas 3
    source kubernetes-validate 1.37.0
    version 1.25 0 1 2 ...        the entries (numbered from 0) that make up each version
    ...
    index 1403
    NAME<TAB>KINDS<TAB>BYTES      one definition: its name, the kinds it serves in the versions
    ...                           that list it (comma-separated, often none), its schema's length
    entries
    JSON                          each entry's schema, one a line, in the order of the index
    ...

An entry's `$ref`s name other definitions (`#/$defs/NAME`) of the same version.

Usage: schemas/build_bundle.py [--wheel PATH] [VERSION ...]   (default: 1.25 to 1.37)
Without --wheel it runs `pip download kubernetes-validate==1.37.0` (the only network use, and
only here: bosun never reads the network at build or run time).
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

WHEEL_VERSION = "1.37.0"
DEFAULT_VERSIONS = [f"1.{minor}" for minor in range(25, 38)]
DROPPED = {"description", "x-kubernetes-group-version-kind", "x-kubernetes-list-map-keys",
           "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-patch-merge-key",
           "x-kubernetes-patch-strategy", "x-kubernetes-unions", "x-kubernetes-int-or-string",
           "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
           "x-kubernetes-validations"}
REF_PREFIX = "/api/_definitions.json#/$defs/"


def strip(node, names=False):
    """`node` without the DROPPED keywords. `names`: `node` maps property names to schemas, and
    a property may be called `description` (JSONSchemaProps has one): names are kept."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in DROPPED and not names:
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                value = "#/$defs/" + value[len(REF_PREFIX):]
            out[key] = strip(value, names=(key == "properties" and not names))
        return out
    if isinstance(node, list):
        return [strip(item) for item in node]
    return node


def version_entries(wheel, version):
    """(name, kinds, schema text) of each definition of `version`, in name order."""
    name = f"kubernetes_validate/kubernetes-json-schema/v{version}.0-local-strict/_definitions.json"
    with wheel.open(name) as fh:
        defs = json.load(fh)["$defs"]
    kinds = {}
    for def_name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            group, ver, kind = gvk["group"], gvk["version"], gvk["kind"]
            api_version = f"{group}/{ver}" if group else ver
            # Only objects one can write: their schema has apiVersion and kind properties.
            props = schema.get("properties", {})
            if "apiVersion" in props and "kind" in props:
                kinds[f"{api_version}/{kind}"] = def_name
    served = {}
    for key, def_name in kinds.items():
        served.setdefault(def_name, []).append(key)
    return [(name, ",".join(sorted(served.get(name, []))),
             json.dumps(schema, separators=(",", ":"), sort_keys=True))
            for name, schema in sorted(strip(defs).items())]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help="a downloaded kubernetes_validate wheel")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).with_name("kubernetes.bundle")))
    parser.add_argument("versions", nargs="*", default=DEFAULT_VERSIONS)
    args = parser.parse_args()
    wheel_path = args.wheel
    if not wheel_path:
        tmp = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp,
                        f"kubernetes-validate=={WHEEL_VERSION}"], check=True)
        wheel_path = next(pathlib.Path(tmp).glob("*.whl"))
    numbers, lines = {}, [f"bosun-schemas 3", f"source kubernetes-validate {WHEEL_VERSION}"]
    with zipfile.ZipFile(wheel_path) as wheel:
        for version in args.versions:
            entries = version_entries(wheel, version)
            ids = [numbers.setdefault(entry, len(numbers)) for entry in entries]
            lines.append(f"version {version} " + " ".join(map(str, ids)))
            kinds = sum(1 for _, served, _ in entries if served)
            print(f"{version}: {len(entries)} definitions, {kinds} serving kinds")
    ordered = [entry for entry, _ in sorted(numbers.items(), key=lambda item: item[1])]
    lines.append(f"index {len(ordered)}")
    lines.extend(f"{name}\t{served}\t{len(text.encode())}" for name, served, text in ordered)
    lines.append("entries")
    lines.extend(text for _, _, text in ordered)
    data = ("\n".join(lines) + "\n").encode()
    pathlib.Path(args.out).write_bytes(data)
    print(f"wrote {args.out}: {len(numbers)} distinct definitions, {len(data)} bytes")


if __name__ == "__main__":
    main()
