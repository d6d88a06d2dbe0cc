//! The scheduler's cache (upstream `internal/cache` and its snapshot): per node, what it
//! offers and what its pods already request, pre-parsed and interned, kept up to date from
//! watch events so that one scheduling attempt costs what it looks at, not the size of the
//! cluster. Nodes have integer ids that never change (a record of a decision names nodes by id).

use std::collections::BTreeMap;

use serde_json::Value;

use super::intern::{Interner, Labels, Sym};
use crate::sim::api::Object;
use crate::sim::quantity::Quantity;
use crate::sim::store::ObjectKey;

/// A node's id in the cache: its index, stable for the cache's lifetime (a node deleted and
/// created again with the same name gets its old id back).
pub type NodeId = u32;

/// What a pod asks of a node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requests {
    /// Millicores.
    pub cpu: i64,
    /// Bytes.
    pub memory: i64,
    /// Host ports (protocol, port).
    pub host_ports: Vec<(String, u64)>,
    pub priority: i64,
    /// The pod's namespace and labels (interned by the cache), for inter-pod affinity and
    /// spreading.
    pub namespace: Sym,
    pub labels: Labels,
    /// Every other resource it asks for (`example.com/dongle`, `ephemeral-storage`,
    /// `hugepages-2Mi`), in whole units (bytes for storage), by name.
    pub scalar: BTreeMap<String, i64>,
}

/// Resources NodeResourcesFit checks apart from cpu, memory and pods.
fn is_scalar(name: &str) -> bool {
    !matches!(name, "cpu" | "memory" | "pods")
}

/// A container's scalar requests; an extended resource given only in `limits` is requested at
/// its limit, as the API server defaults it.
fn scalar_requests(c: &Value) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for field in ["limits", "requests"] {
        for (name, v) in c["resources"][field].as_object().into_iter().flatten() {
            if is_scalar(name) && (field == "requests" || name.contains('/')) {
                if let Some(q) = quantity(v) {
                    out.insert(name.clone(), clamp(q.units_ceil()));
                }
            }
        }
    }
    out
}

fn quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::String(s) => Quantity::parse(s).ok(),
        Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
        _ => None,
    }
}

/// An i128 amount as i64, saturating: a request of 9223372036854775807 cores stays huge
/// instead of wrapping into a small (or negative) number that fits any node.
fn clamp(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// One container's cpu (millicores) and memory (bytes) requests, if given, saturating.
pub fn container_cpu_memory(c: &Value) -> (Option<i64>, Option<i64>) {
    let req = |r: &str| quantity(&c["resources"]["requests"][r]);
    (req("cpu").map(|q| clamp(q.milli())), req("memory").map(|q| clamp(q.units_ceil())))
}

/// A pod's effective requests: the larger of its containers' sum and each init container
/// (sidecars add to the sum), as upstream computes them. Namespace and labels are left for
/// the cache to intern.
pub fn requests_of(pod: &Object) -> Requests {
    let list = |field: &str| pod.field(&format!("spec.{field}")).and_then(Value::as_array);
    let req = |c: &Value, r: &str| quantity(&c["resources"]["requests"][r]);
    let (mut cpu, mut mem) = (0i64, 0i64);
    let mut host_ports = Vec::new();
    let mut scalar: BTreeMap<String, i64> = BTreeMap::new();
    for c in list("containers").into_iter().flatten() {
        for (name, n) in scalar_requests(c) {
            let e = scalar.entry(name).or_default();
            *e = e.saturating_add(n);
        }
        cpu = cpu.saturating_add(req(c, "cpu").map_or(0, |q| clamp(q.milli())));
        mem = mem.saturating_add(req(c, "memory").map_or(0, |q| clamp(q.units_ceil())));
        for p in c["ports"].as_array().into_iter().flatten() {
            if let Some(hp) = p["hostPort"].as_u64().filter(|n| *n > 0) {
                host_ports.push((p["protocol"].as_str().unwrap_or("TCP").to_string(), hp));
            }
        }
    }
    for c in list("initContainers").into_iter().flatten() {
        let (c_cpu, c_mem) =
            (req(c, "cpu").map_or(0, |q| clamp(q.milli())), req(c, "memory").map_or(0, |q| clamp(q.units_ceil())));
        for (name, n) in scalar_requests(c) {
            let e = scalar.entry(name).or_default();
            *e = if c["restartPolicy"] == "Always" { e.saturating_add(n) } else { (*e).max(n) };
        }
        if c["restartPolicy"] == "Always" {
            cpu = cpu.saturating_add(c_cpu);
            mem = mem.saturating_add(c_mem);
        } else {
            cpu = cpu.max(c_cpu);
            mem = mem.max(c_mem);
        }
    }
    Requests {
        cpu,
        memory: mem,
        host_ports,
        priority: pod.field("spec.priority").and_then(Value::as_i64).unwrap_or(0),
        scalar,
        ..Requests::default()
    }
}

/// One node as the scheduler sees it.
#[derive(Debug, Clone, Default)]
pub struct NodeInfo {
    pub id: NodeId,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The same labels, interned.
    pub label_syms: Labels,
    pub taints: Vec<Value>,
    pub unschedulable: bool,
    pub alloc_cpu: i64,
    pub alloc_memory: i64,
    pub alloc_pods: i64,
    /// Image names (normalized, interned) → size in bytes, sorted by symbol.
    pub images: Vec<(Sym, i64)>,
    /// Pods bound here and what they request.
    pub pods: BTreeMap<ObjectKey, Requests>,
    pub requested_cpu: i64,
    pub requested_memory: i64,
    /// How many host ports the pods here use (NodePorts has nothing to check when none).
    pub host_ports_used: usize,
    /// Allocatable and requested amounts of the other resources (see [`Requests::scalar`]).
    pub alloc_scalar: BTreeMap<String, i64>,
    pub requested_scalar: BTreeMap<String, i64>,
}

impl NodeInfo {
    fn of(node: &Object, syms: &mut Interner) -> NodeInfo {
        let alloc = |r: &str| node.field(&format!("status.allocatable.{r}")).and_then(quantity);
        let mut images: BTreeMap<Sym, i64> = BTreeMap::new();
        for i in node.field("status.images").and_then(Value::as_array).into_iter().flatten() {
            let size = i["sizeBytes"].as_i64().unwrap_or(0);
            for n in i["names"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                images.insert(syms.intern(n), size);
            }
        }
        let labels = node.metadata.labels.clone().unwrap_or_default();
        // SIM: the kubelet copies an extended resource added to the node's capacity (`kubectl
        // patch node … --subresource=status`) into its allocatable at its next status update;
        // the scheduler reads capacity for resources allocatable does not list yet.
        let mut alloc_scalar = BTreeMap::new();
        for field in ["status.capacity", "status.allocatable"] {
            for (name, v) in node.field(field).and_then(Value::as_object).into_iter().flatten() {
                if let Some(q) = quantity(v).filter(|_| is_scalar(name)) {
                    alloc_scalar.insert(name.clone(), clamp(q.units_ceil()));
                }
            }
        }
        NodeInfo {
            alloc_scalar,
            name: node.name().to_string(),
            label_syms: syms.labels(&labels),
            labels,
            taints: node.field("spec.taints").and_then(Value::as_array).cloned().unwrap_or_default(),
            unschedulable: node.field("spec.unschedulable").and_then(Value::as_bool) == Some(true),
            alloc_cpu: alloc("cpu").map_or(0, |q| clamp(q.milli())),
            alloc_memory: alloc("memory").map_or(0, |q| q.units_ceil() as i64),
            alloc_pods: alloc("pods").map_or(110, |q| q.units_ceil() as i64),
            images: images.into_iter().collect(),
            ..NodeInfo::default()
        }
    }

    /// The size of an image here, if the node has it.
    pub fn image_size(&self, image: Sym) -> Option<i64> {
        self.images.binary_search_by_key(&image, |(s, _)| *s).ok().map(|i| self.images[i].1)
    }

    fn add(&mut self, key: ObjectKey, r: Requests) {
        self.requested_cpu = self.requested_cpu.saturating_add(r.cpu);
        self.requested_memory = self.requested_memory.saturating_add(r.memory);
        self.host_ports_used += r.host_ports.len();
        for (name, n) in &r.scalar {
            let e = self.requested_scalar.entry(name.clone()).or_default();
            *e = e.saturating_add(*n);
        }
        self.pods.insert(key, r);
    }

    /// Takes a pod off this node (the cache's bookkeeping, or preemption's what-if).
    pub fn remove(&mut self, key: &ObjectKey) -> Option<Requests> {
        let r = self.pods.remove(key)?;
        self.requested_cpu -= r.cpu;
        self.requested_memory -= r.memory;
        self.host_ports_used -= r.host_ports.len();
        for (name, n) in &r.scalar {
            if let Some(e) = self.requested_scalar.get_mut(name) {
                *e = e.saturating_sub(*n);
            }
        }
        Some(r)
    }
}

/// Where a bound pod is, and the version of it the cache last read.
#[derive(Debug)]
struct Placement {
    node: NodeId,
    resource_version: Option<String>,
}

/// Every node, and where every bound pod is.
#[derive(Debug, Default)]
pub struct Cache {
    /// Nodes by id; None once deleted.
    slots: Vec<Option<NodeInfo>>,
    /// Every node name ever seen → its id (ids are never reused for another name).
    ids: BTreeMap<String, NodeId>,
    /// Names by id, kept after deletion so old decisions can still name their nodes.
    names: Vec<String>,
    /// Live nodes' ids in name order: the order a cycle walks them in.
    order: Vec<NodeId>,
    /// Bound pod → its node.
    placed: BTreeMap<ObjectKey, Placement>,
    /// Image → on how many nodes it is present (ImageLocality's spread).
    image_nodes: BTreeMap<Sym, usize>,
    /// Label keys and values, namespaces, images.
    pub syms: Interner,
}

impl Cache {
    /// A node appeared or changed (its pods stay).
    /// Adds or refreshes `node`; says whether what decides feasibility changed (a new node, its
    /// labels, taints, schedulability or allocatable), as upstream's queueing hints ask before
    /// they move waiting pods. An image pulled or a heartbeat changes none of it.
    pub fn upsert_node(&mut self, node: &Object) -> bool {
        let mut info = NodeInfo::of(node, &mut self.syms);
        let id = match self.ids.get(&info.name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as NodeId;
                self.ids.insert(info.name.clone(), id);
                self.names.push(info.name.clone());
                self.slots.push(None);
                id
            }
        };
        info.id = id;
        let mut changed = true;
        match self.slots[id as usize].take() {
            Some(old) => {
                changed = old.labels != info.labels
                    || old.taints != info.taints
                    || old.unschedulable != info.unschedulable
                    || (old.alloc_cpu, old.alloc_memory, old.alloc_pods)
                        != (info.alloc_cpu, info.alloc_memory, info.alloc_pods)
                    || old.alloc_scalar != info.alloc_scalar;
                self.count_images(&old, -1);
                info.pods = old.pods;
                info.requested_cpu = old.requested_cpu;
                info.requested_memory = old.requested_memory;
                info.host_ports_used = old.host_ports_used;
                info.requested_scalar = old.requested_scalar;
            }
            None => {
                let names = &self.names;
                let at = self.order.partition_point(|&o| names[o as usize] < info.name);
                self.order.insert(at, id);
            }
        }
        self.count_images(&info, 1);
        self.slots[id as usize] = Some(info);
        changed
    }

    fn count_images(&mut self, node: &NodeInfo, delta: isize) {
        for (image, _) in &node.images {
            let n = self.image_nodes.entry(*image).or_default();
            *n = n.saturating_add_signed(delta);
        }
    }

    /// A node is gone.
    pub fn remove_node(&mut self, name: &str) {
        let Some(&id) = self.ids.get(name) else { return };
        if let Some(old) = self.slots[id as usize].take() {
            self.count_images(&old, -1);
            self.order.retain(|&o| o != id);
        }
    }

    /// Records a pod's placement as it now is (bound, moved, finished or gone).
    pub fn update_pod(&mut self, pod: &Object, deleted: bool) {
        let key = ObjectKey::of(pod);
        let finished = matches!(pod.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed"));
        let node = pod.field("spec.nodeName").and_then(Value::as_str).filter(|n| !n.is_empty());
        let node_id = node.and_then(|n| self.ids.get(n).copied()).filter(|&id| self.slots[id as usize].is_some());
        // The watch event of a binding the cache already assumed: nothing to redo.
        if let (Some(p), Some(id), false, false) = (self.placed.get(&key), node_id, deleted, finished) {
            let here = self.slots[id as usize].as_ref().is_some_and(|n| n.pods.contains_key(&key));
            if here
                && p.node == id
                && p.resource_version.is_some()
                && p.resource_version == pod.metadata.resource_version
            {
                return;
            }
        }
        if let Some(old) = self.placed.remove(&key) {
            if let Some(n) = self.slots[old.node as usize].as_mut() {
                n.remove(&key);
            }
        }
        if deleted || finished {
            return;
        }
        let Some(id) = node_id else { return };
        let mut r = requests_of(pod);
        r.namespace = self.syms.intern(pod.namespace().unwrap_or("default"));
        r.labels = self.syms.labels(pod.metadata.labels.iter().flatten());
        if let Some(n) = self.slots[id as usize].as_mut() {
            n.add(key.clone(), r);
        }
        self.placed.insert(key, Placement { node: id, resource_version: pod.metadata.resource_version.clone() });
    }

    /// How many nodes there are.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Live nodes' ids in name order.
    pub fn order(&self) -> &[NodeId] {
        &self.order
    }

    /// A live node.
    pub fn node(&self, id: NodeId) -> Option<&NodeInfo> {
        self.slots.get(id as usize)?.as_ref()
    }

    /// A live node by name.
    pub fn node_named(&self, name: &str) -> Option<&NodeInfo> {
        self.node(*self.ids.get(name)?)
    }

    /// Live nodes in name order.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeInfo> + '_ {
        self.order.iter().filter_map(|&id| self.node(id))
    }

    /// The name of a node, live or deleted.
    pub fn name(&self, id: NodeId) -> &str {
        &self.names[id as usize]
    }

    /// Node names in order.
    pub fn node_names(&self) -> Vec<&str> {
        self.order.iter().map(|&id| self.name(id)).collect()
    }

    /// On how many nodes an image is present.
    pub fn image_spread(&self, image: Sym) -> usize {
        self.image_nodes.get(&image).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn effective_requests_take_the_larger_of_containers_and_init_containers() {
        let pod = Object::from_value(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
            "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}}}],
            "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "128Mi"}}},
                           {"name": "b", "resources": {"requests": {"cpu": "500m"}}, "ports": [{"containerPort": 80, "hostPort": 8080}]}]}}))
        .unwrap();
        let r = requests_of(&pod);
        assert_eq!((r.cpu, r.memory), (2000, 128 << 20));
        assert_eq!(r.host_ports, [("TCP".to_string(), 8080)]);
    }

    #[test]
    fn a_node_deleted_and_created_again_keeps_its_id_and_its_place_in_name_order() {
        let node = |name: &str| {
            Object::from_value(json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}})).unwrap()
        };
        let mut c = Cache::default();
        for n in ["b", "c", "a"] {
            c.upsert_node(&node(n));
        }
        assert_eq!(c.node_names(), ["a", "b", "c"]);
        let id = c.node_named("b").unwrap().id;
        c.remove_node("b");
        assert_eq!(c.node_names(), ["a", "c"]);
        assert_eq!(c.name(id), "b", "an old decision can still name it");
        c.upsert_node(&node("b"));
        assert_eq!((c.node_named("b").unwrap().id, c.node_names()), (id, vec!["a", "b", "c"]));
    }
}
