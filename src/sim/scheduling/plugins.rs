//! The scheduling framework's plugin contract and the default plugins of kube-scheduler, in
//! upstream order, with upstream reason strings and score weights. Each filter says why a node
//! will not do; each score rates a node 0–100. One file per plugin, named as upstream names it.
//!
//! An attempt reads the pod once ([`PodInfo`], interning what it compares), then PreFilter
//! ([`CycleState::pre_filter`]) computes what needs the whole cluster (spreading counts,
//! affinity domains) once, so that Filter and Score cost only the node they look at.

pub mod image_locality;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_balanced_allocation;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod pod_topology_spread;
pub mod taint_toleration;
pub mod volume_binding;

use std::collections::BTreeMap;

use serde_json::Value;

use super::cache::{Cache, NodeInfo, Requests};
use super::intern::{Interner, Labels, Sym};
use super::record::{ReasonId, Reasons};
use crate::sim::api::Object;
use crate::sim::kubelet::status::normalize_image;
use crate::sim::node_lifecycle::tolerates;
use crate::sim::store::Store;

pub use node_affinity::match_node_selector_term;

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

/// Where a filter puts its reasons when a node will not do.
pub struct Status<'a> {
    table: &'a mut Reasons,
    out: &'a mut Vec<ReasonId>,
}

impl<'a> Status<'a> {
    pub fn new(table: &'a mut Reasons, out: &'a mut Vec<ReasonId>) -> Status<'a> {
        Status { table, out }
    }

    /// The node will not do, for a reason of the fixed table.
    pub fn fail(&mut self, reason: ReasonId) {
        self.out.push(reason);
    }

    /// The node will not do, for a reason made of what this pod or node holds.
    pub fn fail_with(&mut self, text: &str) {
        let id = self.table.intern(text);
        self.out.push(id);
    }
}

/// A Filter plugin: whether a node can run the pod.
pub trait FilterPlugin: Sync {
    fn name(&self) -> &'static str;
    /// Leaves `status` alone if the node will do; otherwise gives the reasons.
    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status);
}

/// A Score plugin: how much the pod would like a feasible node.
pub trait ScorePlugin: Sync {
    fn name(&self) -> &'static str;
    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64;
    /// NormalizeScore: rescales the raw scores of all feasible nodes to 0–100.
    fn normalize(&self, _raw: &mut [i64]) {}
}

/// Filter plugins, in the order upstream runs them.
pub const FILTERS: [&dyn FilterPlugin; 9] = [
    &node_unschedulable::NodeUnschedulable,
    &node_name::NodeName,
    &taint_toleration::TaintToleration,
    &node_affinity::NodeAffinity,
    &node_ports::NodePorts,
    &node_resources_fit::NodeResourcesFit,
    &volume_binding::VolumeBinding,
    &pod_topology_spread::PodTopologySpread,
    &inter_pod_affinity::InterPodAffinity,
];

/// Score plugins and their default weights.
pub const SCORES: [(&dyn ScorePlugin, i64); 7] = [
    (&taint_toleration::TaintToleration, 3),
    (&node_affinity::NodeAffinity, 2),
    (&node_resources_fit::NodeResourcesFit, 1),
    (&pod_topology_spread::PodTopologySpread, 2),
    (&inter_pod_affinity::InterPodAffinity, 2),
    (&node_resources_balanced_allocation::BalancedAllocation, 1),
    (&image_locality::ImageLocality, 1),
];

/// The parts of a pod the plugins look at, read once per attempt.
#[derive(Debug, Clone)]
pub struct PodInfo {
    pub namespace: Sym,
    pub labels: Labels,
    pub requests: Requests,
    pub tolerations: Vec<Value>,
    /// Tolerates `node.kubernetes.io/unschedulable:NoSchedule` (DaemonSet pods do).
    pub tolerates_unschedulable: bool,
    pub node_affinity: node_affinity::PodNodeAffinity,
    /// Required (DoNotSchedule) topology spread constraints.
    pub spread_constraints: Vec<pod_topology_spread::Constraint>,
    pub pod_affinity: inter_pod_affinity::PodAffinity,
    /// The containers' images, normalized.
    pub images: Vec<Sym>,
    /// Requests with upstream's non-zero defaults (100m, 200 MB) for scoring.
    pub score_cpu: i64,
    pub score_memory: i64,
    /// VolumeBinding: each bound PersistentVolume's required node selector terms, and why the
    /// pod's claims cannot be used at all (a missing claim, an unbound Immediate one).
    pub volume_terms: Vec<Vec<Value>>,
    pub volume_error: Option<String>,
}

impl PodInfo {
    /// Reads a pod, interning what the plugins compare.
    pub fn of(pod: &Object, syms: &mut Interner) -> PodInfo {
        let spec = pod.body.get("spec").unwrap_or(&Value::Null);
        let namespace = syms.intern(pod.namespace().unwrap_or("default"));
        let mut requests = super::cache::requests_of(pod);
        requests.namespace = namespace;
        requests.labels = syms.labels(pod.metadata.labels.iter().flatten());
        let containers = spec["containers"].as_array().map(Vec::as_slice).unwrap_or_default();
        let (mut score_cpu, mut score_memory) = (0, 0);
        for c in containers {
            // A request given but unreadable counts as 0, one not given as upstream's default.
            let has = |r: &str| !c["resources"]["requests"][r].is_null();
            let (cpu, memory) = super::cache::container_cpu_memory(c);
            let cpu = if has("cpu") { cpu.unwrap_or(0) } else { 100 };
            let memory = if has("memory") { memory.unwrap_or(0) } else { 200 * 1024 * 1024 };
            score_cpu = i64::saturating_add(score_cpu, cpu);
            score_memory = i64::saturating_add(score_memory, memory);
        }
        let tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
        let unschedulable = serde_json::json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"});
        PodInfo {
            tolerates_unschedulable: tolerations.iter().any(|t| tolerates(t, &unschedulable)),
            namespace,
            labels: requests.labels.clone(),
            requests,
            tolerations,
            node_affinity: node_affinity::PodNodeAffinity::of(spec),
            spread_constraints: pod_topology_spread::Constraint::required_of(spec, syms),
            pod_affinity: inter_pod_affinity::PodAffinity::of(&spec["affinity"], syms),
            images: containers
                .iter()
                .filter_map(|c| c["image"].as_str())
                .map(|i| syms.intern(&normalize_image(i)))
                .collect(),
            score_cpu,
            score_memory,
            volume_terms: Vec::new(),
            volume_error: None,
        }
    }

    /// Reads what the VolumeBinding plugin needs: the pod's claims and their volumes.
    pub fn with_volumes(mut self, store: &Store, pod: &Object) -> PodInfo {
        (self.volume_terms, self.volume_error) = volume_binding::claims_of(store, pod);
        self
    }
}

/// One attempt's state: the pod, what PreFilter computed from the whole cluster, and the
/// cluster (a snapshot: it does not change during the attempt).
pub struct CycleState<'a> {
    pub pod: &'a PodInfo,
    pub cache: &'a Cache,
    pub spread: Vec<pod_topology_spread::DomainCounts>,
    pub affinity: inter_pod_affinity::PreFilterState,
    /// ImageLocality: each of the pod's images with the number of nodes that have it.
    pub image_spread: Vec<(Sym, i64)>,
}

impl<'a> CycleState<'a> {
    /// PreFilter: what every node's Filter and Score would otherwise recompute.
    pub fn pre_filter(pod: &'a PodInfo, cache: &'a Cache) -> CycleState<'a> {
        CycleState {
            pod,
            cache,
            spread: pod.spread_constraints.iter().map(|c| c.count(pod, cache)).collect(),
            affinity: inter_pod_affinity::PreFilterState::of(&pod.pod_affinity, pod, cache),
            image_spread: pod.images.iter().map(|&i| (i, cache.image_spread(i) as i64)).collect(),
        }
    }

    /// Runs every filter on a node, in order, stopping at the first that refuses it: the index
    /// of that filter, or None if the node will do.
    pub fn run_filters(&self, node: &NodeInfo, status: &mut Status) -> Option<usize> {
        let before = status.out.len();
        FILTERS.iter().position(|f| {
            f.filter(self, node, status);
            status.out.len() > before
        })
    }

    /// Whether a node passes every filter (preemption's what-if), its reasons dropped.
    pub fn fits(&self, node: &NodeInfo, reasons: &mut Reasons) -> bool {
        let mut out = Vec::new();
        self.run_filters(node, &mut Status::new(reasons, &mut out)).is_none()
    }
}

/// Labels as a string map, for the plugins that match node selector terms.
pub type StringLabels = BTreeMap<String, String>;

#[cfg(test)]
pub(crate) mod testing {
    //! Small builders for the plugins' table-driven tests.
    use serde_json::{json, Value};

    use super::*;
    use crate::sim::api::Object;

    pub fn node(name: &str, extra: Value) -> Object {
        let mut v = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}});
        merge(&mut v, extra);
        Object::from_value(v).unwrap()
    }

    pub fn pod(name: &str, extra: Value) -> Object {
        let mut v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        merge(&mut v, extra);
        Object::from_value(v).unwrap()
    }

    fn merge(a: &mut Value, b: Value) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }

    /// Runs one filter for `pod` on `node` in a cluster of `nodes` (with `bound` pods placed):
    /// the reasons, as text.
    pub fn filter(
        plugin: &dyn FilterPlugin,
        pod: &Object,
        node: &str,
        nodes: &[Object],
        bound: &[Object],
    ) -> Vec<String> {
        let mut cache = Cache::default();
        for n in nodes {
            cache.upsert_node(n);
        }
        for p in bound {
            cache.update_pod(p, false);
        }
        let info = PodInfo::of(pod, &mut cache.syms);
        let state = CycleState::pre_filter(&info, &cache);
        let mut table = Reasons::default();
        let mut out = Vec::new();
        plugin.filter(&state, cache.node_named(node).unwrap(), &mut Status::new(&mut table, &mut out));
        out.into_iter().map(|r| table.text(r).to_string()).collect()
    }
}
