#!/usr/bin/env python3
"""Kubernetes' OpenAPI definitions -> one JSON schema per kind, laid out as kubeconform reads them.

kubeconform normally downloads these from GitHub, which is out of reach here; the same OpenAPI
document ships in the k8s.io/kubernetes Go module (api/openapi-spec/swagger.json) and CRDs carry
their own schema. The output follows the "standalone-strict" flavour kubeconform's published
schemas use: $refs inlined, unknown fields rejected, optional fields may be null, int-or-string
and quantities accept both forms.

    k8s-schemas.py --swagger swagger.json [--crd crd.json ...] --out DIR
writes DIR/<kind>-<group prefix>-<version>.json (core group: <kind>-<version>.json).
"""
import argparse
import json
import os
import sys

INT_OR_STRING = {"oneOf": [{"type": "string"}, {"type": "integer"}]}
QUANTITY_REF = "io.k8s.apimachinery.pkg.api.resource.Quantity"
QUANTITY = {"oneOf": [{"type": "string"}, {"type": "number"}]}


def convert(schema, definitions, stack=()):
    """A copy of `schema` with every $ref inlined, descriptions dropped and the strict rules applied."""
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if ref:
        name = ref.split("/")[-1]
        if name == QUANTITY_REF:
            return dict(QUANTITY)
        if name in stack:
            # Recursive types (a CRD's JSONSchemaProps): accept anything below the first repeat.
            return {}
        return convert(definitions[name], definitions, stack + (name,))
    if schema.get("format") == "int-or-string" or schema.get("x-kubernetes-int-or-string"):
        return dict(INT_OR_STRING)

    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: convert(s, definitions, stack) for name, s in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = convert(value, definitions, stack)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [convert(s, definitions, stack) for s in value]
        elif key == "description" or key.startswith("x-") or key == "nullable":
            continue
        else:
            out[key] = value

    if schema.get("nullable"):
        allow_null(out)
    if "properties" in out:
        required = set(out.get("required", []))
        for name, prop in out["properties"].items():
            if name not in required:
                allow_null(prop)
        # What kubectl's client-side validation does: a field the type does not have is an error.
        if "additionalProperties" not in out and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    return out


def allow_null(schema):
    """The API server takes null for an optional field as unset (Helm renders some that way)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif "oneOf" in schema and {"type": "null"} not in schema["oneOf"]:
        schema["oneOf"] = schema["oneOf"] + [{"type": "null"}]


def file_name(group, version, kind):
    suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
    return f"{kind.lower()}{suffix}.json"


def write(out_dir, group, version, kind, schema):
    api_version = f"{group}/{version}" if group else version
    properties = schema.setdefault("properties", {})
    properties["apiVersion"] = {"type": "string", "enum": [api_version]}
    properties["kind"] = {"type": "string", "enum": [kind]}
    with open(os.path.join(out_dir, file_name(group, version, kind)), "w") as f:
        json.dump(schema, f, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--swagger", required=True, help="Kubernetes' api/openapi-spec/swagger.json")
    parser.add_argument("--crd", action="append", default=[], help="a CustomResourceDefinition as JSON")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    with open(args.swagger) as f:
        definitions = json.load(f)["definitions"]
    count = 0
    for name, definition in definitions.items():
        gvks = definition.get("x-kubernetes-group-version-kind", [])
        # More than one: shared option types (DeleteOptions, WatchEvent), not resources.
        if len(gvks) != 1:
            continue
        gvk = gvks[0]
        write(args.out, gvk["group"], gvk["version"], gvk["kind"], convert(definition, definitions, (name,)))
        count += 1

    for path in args.crd:
        with open(path) as f:
            crd = json.load(f)
        spec = crd["spec"]
        for version in spec["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            write(args.out, spec["group"], version["name"], spec["names"]["kind"], convert(schema, {}))
            count += 1

    print(f"{count} schemas written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
