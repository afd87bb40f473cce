#!/usr/bin/env python3
"""Re-vendors the JSON Schemas the deploy validation test checks the rendered manifests against.

Run by hand when an operator or Kubernetes version changes (not part of the build):
    python3 deploy/schemas/vendor.py <dir with the sources named in SOURCES>
Each source is a file at a released tag of its project (see deploy/schemas/README.md). The output is plain JSON
Schema 2020-12, one file per kind, with the OpenAPI dialect turned into what a JSON Schema validator checks:
  - descriptions dropped (size), `nullable: true` -> the type also admits null;
  - int-or-string (`x-kubernetes-int-or-string`, IntOrString) -> integer or string; Quantity -> number or string;
  - strict: every object that lists its properties and does not preserve unknown fields gets
    `additionalProperties: false`, as `kubectl apply --validate=strict` rejects unknown fields.
"""
import json
import os
import sys

import yaml  # PyYAML

CRDS = {
    # file under the source dir: (group, kind, served version)
    "strimzi/040-Crd-kafka.yaml": ("kafka.strimzi.io", "Kafka", "v1"),
    "strimzi/043-Crd-kafkatopic.yaml": ("kafka.strimzi.io", "KafkaTopic", "v1"),
    "strimzi/044-Crd-kafkauser.yaml": ("kafka.strimzi.io", "KafkaUser", "v1"),
    "strimzi/045-Crd-kafkanodepool.yaml": ("kafka.strimzi.io", "KafkaNodePool", "v1"),
    "cnpg/postgresql.cnpg.io_clusters.yaml": ("postgresql.cnpg.io", "Cluster", "v1"),
    "cnpg/postgresql.cnpg.io_databases.yaml": ("postgresql.cnpg.io", "Database", "v1"),
    "cnpg/postgresql.cnpg.io_scheduledbackups.yaml": ("postgresql.cnpg.io", "ScheduledBackup", "v1"),
    "keda/keda.sh_scaledobjects.yaml": ("keda.sh", "ScaledObject", "v1alpha1"),
    "keda/keda.sh_triggerauthentications.yaml": ("keda.sh", "TriggerAuthentication", "v1alpha1"),
    "prometheus-operator/monitoring.coreos.com_servicemonitors.yaml": ("monitoring.coreos.com", "ServiceMonitor", "v1"),
    "prometheus-operator/monitoring.coreos.com_podmonitors.yaml": ("monitoring.coreos.com", "PodMonitor", "v1"),
    "prometheus-operator/monitoring.coreos.com_prometheusrules.yaml": ("monitoring.coreos.com", "PrometheusRule", "v1"),
}

# Kubernetes 1.32 OpenAPI v3 documents (api/v1.json, apis/<group>/<version>.json) and the kinds taken from each.
BUILTINS = {
    "kubernetes/api/v1.json": {"Namespace": "io.k8s.api.core.v1.Namespace",
                               "ConfigMap": "io.k8s.api.core.v1.ConfigMap",
                               "Secret": "io.k8s.api.core.v1.Secret",
                               "Service": "io.k8s.api.core.v1.Service",
                               "ServiceAccount": "io.k8s.api.core.v1.ServiceAccount"},
    "kubernetes/apis/apps/v1.json": {"Deployment": "io.k8s.api.apps.v1.Deployment"},
    "kubernetes/apis/networking.k8s.io/v1.json": {"NetworkPolicy": "io.k8s.api.networking.v1.NetworkPolicy",
                                                  "Ingress": "io.k8s.api.networking.v1.Ingress"},
    "kubernetes/apis/policy/v1.json": {"PodDisruptionBudget": "io.k8s.api.policy.v1.PodDisruptionBudget"},
    "kubernetes/apis/autoscaling/v2.json": {"HorizontalPodAutoscaler":
                                            "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"},
}
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"


def to_json_schema(node):
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("description", "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
                   "x-kubernetes-map-type", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
                   "x-kubernetes-group-version-kind", "x-kubernetes-unions", "default", "example"):
            continue
        if key == "$ref":
            value = value.replace("#/components/schemas/", "#/$defs/")
        out[key] = to_json_schema(value)
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out.pop("format", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.pop("nullable", False) and "type" in out:
        out["type"] = [out["type"], "null"]
    preserve = out.pop("x-kubernetes-preserve-unknown-fields", False)
    if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    # metadata of a CRD object is checked by the API server, not by the CRD schema: let ObjectMeta through
    return out


def crd_schema(path, group, kind, version):
    with open(path) as f:
        crd = next(d for d in yaml.safe_load_all(f) if d and d.get("kind") == "CustomResourceDefinition")
    assert crd["spec"]["group"] == group and crd["spec"]["names"]["kind"] == kind, path
    entry = next(v for v in crd["spec"]["versions"] if v["name"] == version)
    assert entry.get("served"), f"{kind} {version} is not served"
    schema = to_json_schema(entry["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = {"type": "object"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{group}/{version} {kind}"
    return schema


def reachable(defs, root):
    seen, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        stack = [defs[name]]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                    todo.append(ref[len("#/components/schemas/"):])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return seen


def builtin_schema(defs, kind, root):
    names = reachable(defs, root)
    out_defs = {}
    for name in sorted(names):
        if name == INT_OR_STRING:
            out_defs[name] = {"anyOf": [{"type": "integer"}, {"type": "string"}]}
        elif name == QUANTITY:
            out_defs[name] = {"anyOf": [{"type": "number"}, {"type": "string"}]}
        else:
            out_defs[name] = to_json_schema(defs[name])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"Kubernetes 1.32 {kind}",
            "$ref": f"#/$defs/{root}", "$defs": out_defs}


def write(target, schema):
    with open(target, "w") as f:
        json.dump(schema, f, indent=1, sort_keys=True)
        f.write("\n")


def main(source_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    for file, (group, kind, version) in CRDS.items():
        write(os.path.join(here, f"{group}_{version}_{kind}.json"),
              crd_schema(os.path.join(source_dir, file), group, kind, version))
    for file, kinds in BUILTINS.items():
        with open(os.path.join(source_dir, file)) as f:
            defs = json.load(f)["components"]["schemas"]
        for kind, root in kinds.items():
            group_version = root.split(".")[-3:-1]
            group = "core" if group_version[0] == "core" else group_version[0]
            write(os.path.join(here, f"k8s_{group}_{group_version[1]}_{kind}.json"), builtin_schema(defs, kind, root))


if __name__ == "__main__":
    main(sys.argv[1])
