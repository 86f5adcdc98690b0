#!/usr/bin/env python3
"""Builds schemas/kubernetes.bundle, the Kubernetes JSON schemas bosun embeds.

Source: the PyPI wheel `kubernetes-validate` (its `vX.Y.0-local-strict` schemas, in which every
object rejects unknown fields). For each Kubernetes version asked for, this keeps the
`_definitions.json` of that version, drops what validation does not read (descriptions, the
`x-kubernetes-*` extensions), writes an index of `group/version/Kind` to definition name, and
compresses each version on its own, so bosun unpacks only the version it validates against.

The bundle is: the line `bosun-schemas 1`, a line of JSON (the index:
{"versions": {"1.35": {"offset": O, "length": L}, ...}}), then each version's gzip'd JSON
({"definitions": {...}, "kinds": {"apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment"}})
at O..O+L counted from the end of the index line.

Usage: schemas/build_bundle.py [--wheel PATH] [VERSION ...]   (default: 1.25 to 1.37)
Without --wheel it runs `pip download kubernetes-validate==1.37.0` (the only network use, and
only here: bosun never reads the network at build or run time).
"""
import argparse
import gzip
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


def version_blob(wheel, version):
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
    body = {"definitions": strip(defs), "kinds": dict(sorted(kinds.items()))}
    raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0 keeps the bundle byte-identical across runs.
    return gzip.compress(raw, compresslevel=9, mtime=0), len(raw), len(kinds)


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
    blobs, index, offset = [], {}, 0
    with zipfile.ZipFile(wheel_path) as wheel:
        for version in args.versions:
            blob, raw_size, kinds = version_blob(wheel, version)
            index[version] = {"offset": offset, "length": len(blob)}
            offset += len(blob)
            blobs.append(blob)
            print(f"{version}: {kinds} kinds, {raw_size} bytes stripped, {len(blob)} compressed")
    header = b"bosun-schemas 1\n" + json.dumps({"source": f"kubernetes-validate {WHEEL_VERSION}",
                                                  "versions": index}, sort_keys=True).encode() + b"\n"
    pathlib.Path(args.out).write_bytes(header + b"".join(blobs))
    print(f"wrote {args.out}: {len(header) + offset} bytes")


if __name__ == "__main__":
    main()
