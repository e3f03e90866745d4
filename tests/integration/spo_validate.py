#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validate a SeccompProfile YAML document against the openAPIV3Schema of the
given version in the Security Profiles Operator's CRD, as the API server
would with strict field validation: the schema itself (Debian's
python3-jsonschema), plus what it states outside JSON Schema proper:
int32/int64 formats, list-type `set` (unique items), no field it does not
name (the API server would prune it without a word), apiVersion, kind and a
DNS-1123 metadata.name.

usage: spo_validate.py CRD.yaml VERSION DOC.yaml   (exit 0 valid, 1 invalid)"""
import re
import sys

import jsonschema
import yaml


def strict(node):
    """x-kubernetes-list-type: set means no duplicates; a field the schema
    does not name would be pruned by the API server (lost without a word),
    or refused by strict field validation: an error here."""
    if isinstance(node, dict):
        if node.get("x-kubernetes-list-type") == "set":
            node["uniqueItems"] = True
        if "properties" in node and "additionalProperties" not in node \
                and not node.get("x-kubernetes-preserve-unknown-fields"):
            node["additionalProperties"] = False
        for v in node.values():
            strict(v)
    elif isinstance(node, list):
        for v in node:
            strict(v)


def main():
    crd_path, version, doc_path = sys.argv[1:4]
    with open(crd_path) as f:
        crd = yaml.safe_load(f)
    versions = {v["name"]: v for v in crd["spec"]["versions"]}
    schema = versions[version]["schema"]["openAPIV3Schema"]
    strict(schema)
    with open(doc_path) as f:
        docs = list(yaml.safe_load_all(f))
    if len(docs) != 1:
        raise SystemExit(f"invalid: {len(docs)} documents")
    obj = docs[0]
    group = crd["spec"]["group"]
    checker = jsonschema.FormatChecker()

    @checker.checks("int32")
    def int32(v):
        return not isinstance(v, int) or -(2**31) <= v < 2**31

    @checker.checks("int64")
    def int64(v):
        return not isinstance(v, int) or -(2**63) <= v < 2**63

    try:
        jsonschema.Draft4Validator(schema, format_checker=checker).validate(obj)
    except jsonschema.ValidationError as e:
        raise SystemExit(f"invalid: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    if obj.get("apiVersion") != f"{group}/{version}":
        raise SystemExit(f"invalid: apiVersion {obj.get('apiVersion')}")
    if obj.get("kind") != crd["spec"]["names"]["kind"]:
        raise SystemExit(f"invalid: kind {obj.get('kind')}")
    name = obj.get("metadata", {}).get("name", "")
    sub = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    if len(name) > 253 or not re.fullmatch(sub, name):
        raise SystemExit(f"invalid: metadata.name {name!r}")
    print("valid")


if __name__ == "__main__":
    main()
