//! The cluster's objects as YAML a real cluster accepts (`kubectl apply -f`): what the learner
//! made, cleaned as one cleans `kubectl get -o yaml` output for reuse.
//!
//! Left out: what the cluster makes by itself — Nodes, Leases, Events, Endpoints and
//! EndpointSlices (except Endpoints of a Service without a selector), ControllerRevisions,
//! anything with an owner (a Deployment's ReplicaSets and pods, a CronJob's Jobs), the system
//! namespaces and what is in them, each namespace's `default` ServiceAccount and
//! `kube-root-ca.crt` ConfigMap, the `kubernetes` Service, the system PriorityClasses, the
//! default StorageClass, dynamically provisioned PersistentVolumes and service-account tokens.
//!
//! Cleaned: `status`; `metadata.uid`, `resourceVersion`, `generation`, `creationTimestamp`,
//! `managedFields`, `selfLink`, `generateName`, deletion marks and owner references; the
//! `kubectl.kubernetes.io/last-applied-configuration`, `deployment.kubernetes.io/revision` and
//! volume-binding annotations; a Service's allocated cluster IPs; a pod's service-account token
//! volume, its deprecated `serviceAccount` and the node the scheduler chose; a Job's generated
//! selector and labels; a claim's binding to a provisioned volume.

use serde_json::{Map, Value};

use super::Scenario;
use crate::shell::kubectl::output::yaml_text;
use crate::sim::api::Object;
use crate::sim::cluster::SYSTEM_NAMESPACES;
use crate::sim::Sim;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Kinds the cluster makes and keeps by itself.
const SKIPPED_KINDS: [&str; 8] =
    ["Event", "Lease", "Node", "EndpointSlice", "ControllerRevision", "Binding", "ComponentStatus", "Eviction"];

/// The name of the file a "manifests only" scenario puts the objects in.
pub const EXPORT_FILE: &str = "cluster.yaml";

/// The order objects are written in, so that each exists before what refers to it.
fn rank(kind: &str) -> usize {
    const ORDER: [&str; 27] = [
        "Namespace",
        "PriorityClass",
        "StorageClass",
        "ResourceQuota",
        "LimitRange",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "ClusterRole",
        "ClusterRoleBinding",
        "Role",
        "RoleBinding",
        "Service",
        "Endpoints",
        "DaemonSet",
        "Pod",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "HorizontalPodAutoscaler",
        "StatefulSet",
        "Job",
        "CronJob",
        "Ingress",
        "PodDisruptionBudget",
    ];
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

/// Whether the cluster made `obj` by itself (see the module's documentation).
fn made_by_cluster(sim: &Sim, obj: &Object) -> bool {
    let ns = obj.namespace().unwrap_or("");
    let name = obj.name();
    let annotation = |k: &str| obj.metadata.annotations.as_ref().and_then(|a| a.get(k)).is_some();
    SKIPPED_KINDS.contains(&obj.kind.as_str())
        || obj.metadata.owner_references.as_ref().is_some_and(|o| !o.is_empty())
        || (ns != "default" && SYSTEM_NAMESPACES.contains(&ns))
        || match obj.kind.as_str() {
            "Namespace" => SYSTEM_NAMESPACES.contains(&name),
            "ConfigMap" => name == "kube-root-ca.crt",
            "ServiceAccount" => name == "default",
            "Service" => ns == "default" && name == "kubernetes",
            "Endpoints" => {
                (ns == "default" && name == "kubernetes")
                    || sim.store().get("Service", Some(ns), name).is_none_or(|s| s.field("spec.selector").is_some())
            }
            // The default roles and bindings the API server and kubeadm make (upstream labels
            // the API server's `kubernetes.io/bootstrapping: rbac-defaults`).
            "ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding" => {
                obj.label("kubernetes.io/bootstrapping") == Some("rbac-defaults")
                    || name.starts_with("system:")
                    || name.starts_with("kubeadm:")
            }
            "PriorityClass" => name.starts_with("system-"),
            "StorageClass" => name == crate::sim::cluster::default_storage_class().name(),
            "PersistentVolume" => annotation("pv.kubernetes.io/provisioned-by"),
            "Secret" => obj.body.get("type").and_then(Value::as_str) == Some("kubernetes.io/service-account-token"),
            _ => false,
        }
}

/// The learner's objects, cleaned for reuse, in the order to apply them.
pub fn exported_objects(sim: &Sim) -> Vec<Value> {
    let mut objs: Vec<&Object> = sim.store().all().filter(|o| !made_by_cluster(sim, o)).collect();
    objs.sort_by(|a, b| {
        (rank(&a.kind), &a.kind, a.namespace(), a.name()).cmp(&(rank(&b.kind), &b.kind, b.namespace(), b.name()))
    });
    objs.into_iter().map(|o| clean(sim, o)).collect()
}

/// The learner's objects as one multi-document YAML, ready for `kubectl apply -f`.
pub fn export_yaml(sim: &Sim) -> String {
    exported_objects(sim).iter().map(|v| format!("---\n{}", yaml_text(v))).collect()
}

/// `scenario` as "manifests only": the same cluster shape, seed, settings and editor files, plus
/// the cluster's objects in [`EXPORT_FILE`] (opened), and no steps: it starts fresh.
pub fn manifests_only(scenario: &Scenario, sim: &Sim) -> Scenario {
    let mut files = scenario.files.clone();
    let mut name = EXPORT_FILE.to_string();
    let mut n = 1;
    while files.contains_key(&name) {
        n += 1;
        name = format!("cluster-{n}.yaml");
    }
    files.insert(name.clone(), export_yaml(sim));
    Scenario {
        files,
        open_file: Some(name),
        steps: Vec::new(),
        lesson: None,
        check: None,
        clock: super::Clock { speed: scenario.clock.speed, running: false },
        ..scenario.clone()
    }
}

fn remove_keys(map: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        map.remove(*k);
    }
}

/// Drops empty maps left at `key`.
fn drop_if_empty(map: &mut Map<String, Value>, key: &str) {
    let empty = match map.get(key) {
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Null) => true,
        _ => false,
    };
    if empty {
        map.remove(key);
    }
}

fn clean(sim: &Sim, obj: &Object) -> Value {
    let last_applied: Value = obj
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    let mut value = obj.to_value();
    let Some(root) = value.as_object_mut() else { return value };
    root.remove("status");
    if let Some(Value::Object(meta)) = root.get_mut("metadata") {
        remove_keys(
            meta,
            &[
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "managedFields",
                "selfLink",
                "generateName",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "ownerReferences",
            ],
        );
        if let Some(Value::Object(ann)) = meta.get_mut("annotations") {
            ann.retain(|k, _| {
                k != LAST_APPLIED
                    && k != "deployment.kubernetes.io/revision"
                    && !k.starts_with("pv.kubernetes.io/")
                    && !k.starts_with("volume.kubernetes.io/")
                    && !k.starts_with("volume.beta.kubernetes.io/")
            });
        }
        drop_if_empty(meta, "annotations");
        if obj.kind == "Job" {
            if let Some(Value::Object(labels)) = meta.get_mut("labels") {
                labels.retain(|k, _| !matches!(k.as_str(), "job-name" | "batch.kubernetes.io/job-name"));
            }
            drop_if_empty(meta, "labels");
        }
    }
    let Some(Value::Object(spec)) = root.get_mut("spec") else { return value };
    match obj.kind.as_str() {
        "Service" if spec.get("clusterIP").and_then(Value::as_str) != Some("None") => {
            remove_keys(spec, &["clusterIP", "clusterIPs"]);
        }
        "Pod" => {
            clean_pod_spec(spec);
            if last_applied.pointer("/spec/nodeName").is_none() {
                spec.remove("nodeName");
            }
        }
        "Job" if spec.get("manualSelector") != Some(&Value::Bool(true)) => {
            spec.remove("selector");
            if let Some(Value::Object(labels)) =
                spec.get_mut("template").and_then(|t| t.get_mut("metadata")).and_then(|m| m.get_mut("labels"))
            {
                labels.retain(|k, _| {
                    !matches!(
                        k.as_str(),
                        "controller-uid"
                            | "batch.kubernetes.io/controller-uid"
                            | "job-name"
                            | "batch.kubernetes.io/job-name"
                    )
                });
            }
        }
        "PersistentVolumeClaim" => {
            let volume = spec.get("volumeName").and_then(Value::as_str).unwrap_or("");
            let provisioned = sim.store().get("PersistentVolume", None, volume).is_some_and(|pv| {
                pv.metadata.annotations.as_ref().is_some_and(|a| a.contains_key("pv.kubernetes.io/provisioned-by"))
            });
            if provisioned {
                spec.remove("volumeName");
            }
        }
        _ => {}
    }
    // Pod templates: `creationTimestamp: null` as the API server writes it.
    if let Some(Value::Object(meta)) = spec.get_mut("template").and_then(|t| t.get_mut("metadata")) {
        if meta.get("creationTimestamp") == Some(&Value::Null) {
            meta.remove("creationTimestamp");
        }
    }
    value
}

/// A pod's spec without what admission added for its service account's token.
fn clean_pod_spec(spec: &mut Map<String, Value>) {
    let token = |v: &Value| v["name"].as_str().is_some_and(|n| n.starts_with("kube-api-access-"));
    if let Some(Value::Array(vols)) = spec.get_mut("volumes") {
        vols.retain(|v| !token(v));
    }
    drop_if_empty(spec, "volumes");
    for key in ["containers", "initContainers"] {
        for c in spec.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(c) = c.as_object_mut() {
                if let Some(Value::Array(mounts)) = c.get_mut("volumeMounts") {
                    mounts.retain(|m| !token(m));
                }
                drop_if_empty(c, "volumeMounts");
            }
        }
    }
    spec.remove("serviceAccount");
}
