#!/usr/bin/env python3
"""Vendors the AWS service models the collection plan uses, without their prose, EC2's pruned to the plan.

Usage (from the repository root):
    python3 src/PolicyEngine.Aws/ServiceModels/prune.py PATH/TO/botocore-models

PATH/TO/botocore-models holds botocore's `<service>/<api-version>/service-2.json` files (botocore's
`botocore/data` folder). For every `collectors/*.yaml` this reads the file's `model: SERVICE/API-VERSION` and its
`- operation: NAME` entries, and writes `src/PolicyEngine.Aws/ServiceModels/SERVICE/API-VERSION/service-2.json`:
  - every `documentation` and `documentationUrl` key removed (prose the collector never reads), in every model;
  - for the services in PRUNED only (EC2: 4 MB, over 700 operations), `operations` keeps only the plan's operations of
    the service (without their `errors`) and `shapes` only the shapes reachable from their input and output shapes.
    Other models keep every operation, so that a plan entry added for another operation needs no new copy.
Nothing else is changed: names, locationName, flattened, timestampFormat, payload and the other traits are kept as
botocore has them. The output is deterministic (botocore's key order, one-space indentation, LF).
Standard library only; run it again whenever a collector file gains an operation or a model is updated.
"""
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "src", "PolicyEngine.Aws", "ServiceModels")
DROPPED = ("documentation", "documentationUrl")
PRUNED = ("ec2",)


def plan_models():
    """{model: set(operations)} from collectors/*.yaml (the two keys are plain one-line YAML scalars)."""
    models = {}
    folder = os.path.join(ROOT, "collectors")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        model = re.search(r"^model:\s*([^\s#]+)", text, re.M)
        if model is None:
            sys.exit(f"collectors/{name}: no 'model:'")
        ops = re.findall(r"^\s*-\s*(?:\{\s*)?operation:\s*([A-Za-z0-9]+)", text, re.M)
        models.setdefault(model.group(1).strip("\"'"), set()).update(ops)
    return models


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROPPED}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def referenced(shape):
    """Names of the shapes a shape refers to (structure members, list member, map key and value)."""
    refs = [m["shape"] for m in shape.get("members", {}).values()]
    for key in ("member", "key", "value"):
        if key in shape:
            refs.append(shape[key]["shape"])
    return refs


def prune(model, operations):
    missing = sorted(o for o in operations if o not in model["operations"])
    if missing:
        raise SystemExit(f"operations not in the model: {', '.join(missing)}")
    ops = {name: op for name, op in model["operations"].items() if name in operations}
    reachable = set()
    pending = [op[io]["shape"] for op in ops.values() for io in ("input", "output") if io in op]
    while pending:
        name = pending.pop()
        if name not in reachable:
            reachable.add(name)
            pending.extend(referenced(model["shapes"][name]))
    pruned_ops = {}
    for name, op in ops.items():
        pruned_ops[name] = {k: v for k, v in op.items() if k not in ("errors",)}
    return strip({
        "version": model.get("version", "2.0"),
        "metadata": model["metadata"],
        "operations": pruned_ops,
        "shapes": {name: shape for name, shape in model["shapes"].items() if name in reachable},
    })


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    models = plan_models()
    for entry in sorted(os.listdir(OUT)):
        if os.path.isdir(os.path.join(OUT, entry)) and entry != "__pycache__":
            shutil.rmtree(os.path.join(OUT, entry))
    for name, operations in sorted(models.items()):
        with open(os.path.join(source, name, "service-2.json"), encoding="utf-8") as f:
            model = json.load(f)
        target = os.path.join(OUT, name)
        os.makedirs(target)
        with open(os.path.join(target, "service-2.json"), "w", encoding="utf-8", newline="\n") as f:
            kept = prune(model, operations) if name.split("/")[0] in PRUNED else strip(model)
            json.dump(kept, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{name}: {len(kept['operations'])} operations")


if __name__ == "__main__":
    main()
