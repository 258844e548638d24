#!/usr/bin/env python3
"""docs/openapi.yaml must parse as YAML and every $ref must point at a component that exists.
The control plane serves the file as is (GET /v1/openapi.yaml), so a broken document reaches users."""
import sys
import yaml

path = sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.yaml"
with open(path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
problems = []
if not str(doc.get("openapi", "")).startswith("3."):
    problems.append("no 'openapi: 3.x' version")


def resolve(ref):
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def walk(node, where):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and not (isinstance(value, str) and value.startswith("#/") and resolve(value)):
                problems.append(f"{where}: $ref {value!r} points at nothing")
            walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            walk(value, f"{where}[{i}]")


walk(doc, "")
for problem in problems:
    print(f"{path}: {problem}", file=sys.stderr)
print(f"{path}: {'ok' if not problems else f'{len(problems)} problem(s)'} ({len(doc.get('paths', {}))} paths)")
sys.exit(1 if problems else 0)
