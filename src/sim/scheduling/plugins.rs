//! The default plugins of kube-scheduler, in upstream order, with upstream reason strings and
//! score weights. Each filter says why a node will not do; each score rates a node 0–100.

use std::collections::BTreeMap;

use serde_json::Value;

use super::cache::{Cache, NodeInfo, Requests};
use crate::sim::kubelet::status::normalize_image;
use crate::sim::node_lifecycle::tolerates;
use crate::sim::selector::matches_label_selector;

pub const NODE_UNSCHEDULABLE: &str = "NodeUnschedulable";
pub const NODE_NAME: &str = "NodeName";
pub const TAINT_TOLERATION: &str = "TaintToleration";
pub const NODE_AFFINITY: &str = "NodeAffinity";
pub const NODE_PORTS: &str = "NodePorts";
pub const NODE_RESOURCES_FIT: &str = "NodeResourcesFit";
pub const VOLUME_BINDING: &str = "VolumeBinding";
pub const POD_TOPOLOGY_SPREAD: &str = "PodTopologySpread";
pub const INTER_POD_AFFINITY: &str = "InterPodAffinity";
pub const BALANCED_ALLOCATION: &str = "NodeResourcesBalancedAllocation";
pub const IMAGE_LOCALITY: &str = "ImageLocality";

/// Filter plugins, in the order upstream runs them.
pub const FILTERS: [&str; 9] = [
    NODE_UNSCHEDULABLE,
    NODE_NAME,
    TAINT_TOLERATION,
    NODE_AFFINITY,
    NODE_PORTS,
    NODE_RESOURCES_FIT,
    VOLUME_BINDING,
    POD_TOPOLOGY_SPREAD,
    INTER_POD_AFFINITY,
];

/// Score plugins and their default weights.
pub const SCORES: [(&str, i64); 7] = [
    (TAINT_TOLERATION, 3),
    (NODE_AFFINITY, 2),
    (NODE_RESOURCES_FIT, 1),
    (POD_TOPOLOGY_SPREAD, 2),
    // SIM: InterPodAffinity keeps its default weight but scores every node 0: preferred
    // (anti-)affinity terms do not steer placement here; required terms are filtered.
    (INTER_POD_AFFINITY, 2),
    (BALANCED_ALLOCATION, 1),
    (IMAGE_LOCALITY, 1),
];

/// The parts of a pod the plugins look at, read once per attempt.
#[derive(Debug, Clone)]
pub struct PodInfo {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub requests: Requests,
    pub tolerations: Vec<Value>,
    pub node_selector: BTreeMap<String, String>,
    pub affinity: Value,
    pub spread_constraints: Vec<Value>,
    pub images: Vec<String>,
    /// Tolerates `node.kubernetes.io/unschedulable:NoSchedule` (DaemonSet pods do).
    pub tolerates_unschedulable: bool,
    /// Requests with upstream's non-zero defaults (100m, 200 MB) for scoring.
    pub score_cpu: i64,
    pub score_memory: i64,
    /// VolumeBinding: each bound PersistentVolume's required node selector terms, and why the
    /// pod's claims cannot be used at all (a missing claim, an unbound Immediate one).
    pub volume_terms: Vec<Vec<Value>>,
    pub volume_error: Option<String>,
}

impl PodInfo {
    /// Reads a pod.
    pub fn of(pod: &crate::sim::api::Object) -> PodInfo {
        let spec = pod.body.get("spec").cloned().unwrap_or(Value::Null);
        let requests = super::cache::requests_of(pod);
        let containers = spec["containers"].as_array().cloned().unwrap_or_default();
        let (mut score_cpu, mut score_memory) = (0, 0);
        for c in &containers {
            let has = |r: &str| !c["resources"]["requests"][r].is_null();
            let one = super::cache::requests_of(&single(c));
            score_cpu += if has("cpu") { one.cpu } else { 100 };
            score_memory += if has("memory") { one.memory } else { 200 * 1024 * 1024 };
        }
        let tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
        let unschedulable = serde_json::json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"});
        PodInfo {
            tolerates_unschedulable: tolerations.iter().any(|t| tolerates(t, &unschedulable)),
            namespace: pod.namespace().unwrap_or("default").to_string(),
            labels: pod.metadata.labels.clone().unwrap_or_default(),
            requests,
            tolerations,
            node_selector: serde_json::from_value(spec["nodeSelector"].clone()).unwrap_or_default(),
            affinity: spec["affinity"].clone(),
            spread_constraints: spec["topologySpreadConstraints"].as_array().cloned().unwrap_or_default(),
            images: containers.iter().filter_map(|c| c["image"].as_str()).map(normalize_image).collect(),
            score_cpu,
            score_memory,
            volume_terms: Vec::new(),
            volume_error: None,
        }
    }

    /// Reads what the VolumeBinding plugin needs: the pod's claims and their volumes.
    pub fn with_volumes(mut self, store: &crate::sim::store::Store, pod: &crate::sim::api::Object) -> PodInfo {
        let ns = pod.namespace().unwrap_or("default");
        let claims = pod.field("spec.volumes").and_then(Value::as_array).cloned().unwrap_or_default();
        for claim_name in claims.iter().filter_map(|v| v["persistentVolumeClaim"]["claimName"].as_str()) {
            let Some(claim) = store.get("PersistentVolumeClaim", Some(ns), claim_name) else {
                self.volume_error = Some(format!("persistentvolumeclaim \"{claim_name}\" not found"));
                continue;
            };
            match claim.field("spec.volumeName").and_then(Value::as_str).filter(|v| !v.is_empty()) {
                Some(pv) => {
                    let terms = store
                        .get("PersistentVolume", None, pv)
                        .and_then(|p| p.field("spec.nodeAffinity.required.nodeSelectorTerms"))
                        .and_then(Value::as_array)
                        .cloned();
                    self.volume_terms.extend(terms);
                }
                None => {
                    let class = claim.field("spec.storageClassName").and_then(Value::as_str).unwrap_or("");
                    let waits = store
                        .get("StorageClass", None, class)
                        .and_then(|c| c.body.get("volumeBindingMode"))
                        .and_then(Value::as_str)
                        == Some("WaitForFirstConsumer");
                    if !waits {
                        self.volume_error = Some("pod has unbound immediate PersistentVolumeClaims".into());
                    }
                }
            }
        }
        self
    }
}

/// A pod holding just one container, to reuse `requests_of` per container.
fn single(c: &Value) -> crate::sim::api::Object {
    let mut o = crate::sim::api::Object::new("v1", "Pod", "x");
    o.body.insert("spec".into(), serde_json::json!({"containers": [c]}));
    o
}

pub fn match_node_selector_term(term: &Value, labels: &BTreeMap<String, String>) -> bool {
    let exprs = term["matchExpressions"].as_array().cloned().unwrap_or_default();
    let fields = term["matchFields"].as_array().cloned().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false; // an empty term matches nothing
    }
    // The one field nodes can be selected by is metadata.name (DaemonSet pods use it); a
    // node's name is also its kubernetes.io/hostname label.
    let name = labels.get("kubernetes.io/hostname").cloned().unwrap_or_default();
    let fields_ok = fields.iter().all(|f| {
        let values: Vec<&str> = f["values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        match (f["key"].as_str(), f["operator"].as_str()) {
            (Some("metadata.name"), Some("In")) => values.contains(&name.as_str()),
            (Some("metadata.name"), Some("NotIn")) => !values.contains(&name.as_str()),
            _ => false,
        }
    });
    fields_ok && exprs.iter().all(|e| crate::sim::selector::expression_matches(e, labels, true))
}

/// Terms of a pod (anti-)affinity kind: `requiredDuringScheduling…` items.
fn required_terms(affinity: &Value, kind: &str) -> Vec<Value> {
    affinity[kind]["requiredDuringSchedulingIgnoredDuringExecution"].as_array().cloned().unwrap_or_default()
}

fn term_matches_pod(term: &Value, own_ns: &str, pod_ns: &str, labels: &BTreeMap<String, String>) -> bool {
    let namespaces: Vec<&str> = term["namespaces"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let ns_ok = if namespaces.is_empty() { pod_ns == own_ns } else { namespaces.contains(&pod_ns) };
    ns_ok && matches_label_selector(&term["labelSelector"], labels)
}

/// Runs one filter plugin; `Some(reasons)` when the node will not do.
pub fn filter(plugin: &str, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> Option<Vec<String>> {
    let fail = |r: &str| Some(vec![r.to_string()]);
    match plugin {
        NODE_UNSCHEDULABLE => {
            (node.unschedulable && !pod.tolerates_unschedulable).then(|| vec!["node(s) were unschedulable".to_string()])
        }
        TAINT_TOLERATION => {
            let untolerated = node.taints.iter().find(|t| {
                matches!(t["effect"].as_str(), Some("NoSchedule" | "NoExecute"))
                    && !pod.tolerations.iter().any(|tol| tolerates(tol, t))
            })?;
            let key = untolerated["key"].as_str().unwrap_or("");
            let value = untolerated["value"].as_str().unwrap_or("");
            Some(vec![format!("node(s) had untolerated taint {{{key}: {value}}}")])
        }
        NODE_AFFINITY => {
            let selector_ok = pod.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v));
            let terms = pod.affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                ["nodeSelectorTerms"]
                .as_array()
                .cloned();
            let affinity_ok = terms.is_none_or(|ts| ts.iter().any(|t| match_node_selector_term(t, &node.labels)));
            if selector_ok && affinity_ok {
                None
            } else {
                fail("node(s) didn't match Pod's node affinity/selector")
            }
        }
        NODE_PORTS => {
            let used: Vec<&(String, u64)> = node.pods.values().flat_map(|r| r.host_ports.iter()).collect();
            pod.requests
                .host_ports
                .iter()
                .any(|p| used.contains(&p))
                .then(|| vec!["node(s) didn't have free ports for the requested pod ports".to_string()])
        }
        NODE_RESOURCES_FIT => {
            let mut reasons = Vec::new();
            if node.pods.len() as i64 + 1 > node.alloc_pods {
                reasons.push("Too many pods".to_string());
            }
            if pod.requests.cpu > 0 && node.requested_cpu.saturating_add(pod.requests.cpu) > node.alloc_cpu {
                reasons.push("Insufficient cpu".to_string());
            }
            if pod.requests.memory > 0 && node.requested_memory.saturating_add(pod.requests.memory) > node.alloc_memory
            {
                reasons.push("Insufficient memory".to_string());
            }
            (!reasons.is_empty()).then_some(reasons)
        }
        POD_TOPOLOGY_SPREAD => {
            let constraints = pod_spread_constraints(pod, "DoNotSchedule");
            for c in constraints {
                let key = c["topologyKey"].as_str().unwrap_or("");
                let max_skew = c["maxSkew"].as_i64().unwrap_or(1);
                let Some(domain) = node.labels.get(key) else {
                    return fail("node(s) didn't match pod topology spread constraints (missing required label)");
                };
                let mut counts: BTreeMap<&String, i64> = BTreeMap::new();
                for n in cache.nodes.values() {
                    if let Some(d) = n.labels.get(key) {
                        let matching = n
                            .pods
                            .values()
                            .filter(|r| {
                                r.namespace == pod.namespace && matches_label_selector(&c["labelSelector"], &r.labels)
                            })
                            .count() as i64;
                        *counts.entry(d).or_default() += matching;
                    }
                }
                let min = counts.values().copied().min().unwrap_or(0);
                let here = counts.get(domain).copied().unwrap_or(0) + 1;
                if here - min > max_skew {
                    return fail("node(s) didn't match pod topology spread constraints");
                }
            }
            None
        }
        INTER_POD_AFFINITY => {
            for term in required_terms(&pod.affinity, "podAntiAffinity") {
                let key = term["topologyKey"].as_str().unwrap_or("");
                if cache
                    .pods_in_domain(node, key)
                    .any(|(k, l)| term_matches_pod(&term, &pod.namespace, &k.namespace, l))
                {
                    return fail("node(s) didn't match pod anti-affinity rules");
                }
            }
            for term in required_terms(&pod.affinity, "podAffinity") {
                let key = term["topologyKey"].as_str().unwrap_or("");
                let any_anywhere = cache
                    .nodes
                    .values()
                    .any(|n| n.pods.values().any(|r| term_matches_pod(&term, &pod.namespace, &r.namespace, &r.labels)));
                let here = cache
                    .pods_in_domain(node, key)
                    .any(|(k, l)| term_matches_pod(&term, &pod.namespace, &k.namespace, l));
                // The first pod of a group that wants to be with its own kind may go anywhere.
                let self_match = term_matches_pod(&term, &pod.namespace, &pod.namespace, &pod.labels);
                let first_of_its_kind = self_match && !any_anywhere;
                if !(here || first_of_its_kind) {
                    return fail("node(s) didn't match pod affinity rules");
                }
            }
            None
        }
        VOLUME_BINDING => {
            // SIM: upstream reports a missing or unbound Immediate claim once, from PreFilter;
            // here each node carries the reason.
            if let Some(e) = &pod.volume_error {
                return Some(vec![e.clone()]);
            }
            let conflict =
                pod.volume_terms.iter().any(|terms| !terms.iter().any(|t| match_node_selector_term(t, &node.labels)));
            conflict.then(|| vec!["node(s) had volume node affinity conflict".to_string()])
        }
        _ => None, // NodeName: pods with spec.nodeName bypass the scheduler
    }
}

fn pod_spread_constraints(pod: &PodInfo, when: &str) -> Vec<Value> {
    pod.spread_constraints
        .iter()
        .filter(|c| c["whenUnsatisfiable"].as_str().unwrap_or("DoNotSchedule") == when)
        .cloned()
        .collect()
}

/// Raw score of one plugin for one feasible node.
pub fn score(plugin: &str, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> i64 {
    match plugin {
        TAINT_TOLERATION => node
            .taints
            .iter()
            .filter(|t| t["effect"] == "PreferNoSchedule" && !pod.tolerations.iter().any(|tol| tolerates(tol, t)))
            .count() as i64,
        NODE_AFFINITY => pod.affinity["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| match_node_selector_term(&p["preference"], &node.labels))
            .map(|p| p["weight"].as_i64().unwrap_or(0))
            .sum(),
        NODE_RESOURCES_FIT => {
            // LeastAllocated: the share left free, averaged over cpu and memory.
            let free =
                |alloc: i64, used: i64| if alloc <= 0 || used > alloc { 0 } else { (alloc - used) * 100 / alloc };
            (free(node.alloc_cpu, node.requested_cpu.saturating_add(pod.score_cpu))
                + free(node.alloc_memory, node.requested_memory + pod.score_memory))
                / 2
        }
        BALANCED_ALLOCATION => {
            let frac = |alloc: i64, used: i64| if alloc <= 0 { 1.0 } else { (used as f64 / alloc as f64).min(1.0) };
            let c = frac(node.alloc_cpu, node.requested_cpu.saturating_add(pod.requests.cpu));
            let m = frac(node.alloc_memory, node.requested_memory + pod.requests.memory);
            let std = (c - m).abs() / 2.0;
            ((1.0 - std) * 100.0) as i64
        }
        IMAGE_LOCALITY => {
            const MB: i64 = 1024 * 1024;
            let total_nodes = cache.nodes.len().max(1) as i64;
            let sum: i64 = pod
                .images
                .iter()
                .filter_map(|img| node.images.get(img).map(|size| (img, *size)))
                .map(|(img, size)| {
                    let spread = cache.image_nodes.get(img.as_str()).copied().unwrap_or(0) as i64;
                    size * spread / total_nodes
                })
                .sum();
            let (min, max) = (23 * MB, 1000 * MB * pod.images.len().max(1) as i64);
            ((sum.clamp(min, max) - min) * 100) / (max - min)
        }
        POD_TOPOLOGY_SPREAD => {
            // The default soft constraint: spread pods of the same kind across hostnames.
            if pod.labels.is_empty() {
                return 0;
            }
            node.pods
                .values()
                .filter(|r| r.namespace == pod.namespace && pod.labels.iter().all(|(a, b)| r.labels.get(a) == Some(b)))
                .count() as i64
        }
        _ => 0,
    }
}

/// Normalizes raw scores to 0–100 as each plugin's NormalizeScore does.
pub fn normalize(plugin: &str, raw: &mut [i64]) {
    let max = raw.iter().copied().max().unwrap_or(0);
    let min = raw.iter().copied().min().unwrap_or(0);
    match plugin {
        // Fewer untolerated PreferNoSchedule taints is better (reverse).
        TAINT_TOLERATION => {
            for s in raw.iter_mut() {
                *s = if max == 0 { 100 } else { 100 - *s * 100 / max };
            }
        }
        NODE_AFFINITY | INTER_POD_AFFINITY => {
            for s in raw.iter_mut() {
                *s = if max == 0 { 0 } else { *s * 100 / max };
            }
        }
        // Fewer matching pods already there is better.
        POD_TOPOLOGY_SPREAD => {
            for s in raw.iter_mut() {
                *s = if max == min { 100 } else { (max - *s) * 100 / (max - min) };
            }
        }
        _ => {}
    }
}
