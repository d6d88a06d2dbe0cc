//! The scheduler's cache (upstream `internal/cache`): per node, what it offers and what its
//! pods already request, kept up to date from watch events so that one scheduling attempt
//! costs what it looks at, not the size of the cluster.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::sim::api::Object;
use crate::sim::quantity::Quantity;
use crate::sim::store::ObjectKey;

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
    /// The pod's namespace and labels, for inter-pod affinity and spreading.
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
}

fn quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::String(s) => Quantity::parse(s).ok(),
        Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
        _ => None,
    }
}

/// A pod's effective requests: the larger of its containers' sum and each init container
/// (sidecars add to the sum), as upstream computes them.
/// An i128 amount as i64, saturating: a request of 9223372036854775807 cores stays huge
/// instead of wrapping into a small (or negative) number that fits any node.
fn clamp(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

pub fn requests_of(pod: &Object) -> Requests {
    let list = |field: &str| pod.field(&format!("spec.{field}")).and_then(Value::as_array).cloned().unwrap_or_default();
    let req = |c: &Value, r: &str| quantity(&c["resources"]["requests"][r]);
    let (mut cpu, mut mem) = (0i64, 0i64);
    let mut host_ports = Vec::new();
    for c in list("containers") {
        cpu = cpu.saturating_add(req(&c, "cpu").map_or(0, |q| clamp(q.milli())));
        mem = mem.saturating_add(req(&c, "memory").map_or(0, |q| clamp(q.units_ceil())));
        for p in c["ports"].as_array().into_iter().flatten() {
            if let Some(hp) = p["hostPort"].as_u64().filter(|n| *n > 0) {
                host_ports.push((p["protocol"].as_str().unwrap_or("TCP").to_string(), hp));
            }
        }
    }
    for c in list("initContainers") {
        let (c_cpu, c_mem) =
            (req(&c, "cpu").map_or(0, |q| clamp(q.milli())), req(&c, "memory").map_or(0, |q| clamp(q.units_ceil())));
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
        namespace: pod.namespace().unwrap_or("default").to_string(),
        labels: pod.metadata.labels.clone().unwrap_or_default(),
    }
}

/// One node as the scheduler sees it.
#[derive(Debug, Clone, Default)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Value>,
    pub unschedulable: bool,
    pub alloc_cpu: i64,
    pub alloc_memory: i64,
    pub alloc_pods: i64,
    /// Image names (normalized) → size in bytes.
    pub images: BTreeMap<String, i64>,
    /// Pods bound here and what they request.
    pub pods: BTreeMap<ObjectKey, Requests>,
    pub requested_cpu: i64,
    pub requested_memory: i64,
}

impl NodeInfo {
    fn of(node: &Object) -> NodeInfo {
        let alloc = |r: &str| node.field(&format!("status.allocatable.{r}")).and_then(quantity);
        let images = node
            .field("status.images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|i| {
                let size = i["sizeBytes"].as_i64().unwrap_or(0);
                i["names"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(move |n| n.as_str().map(|n| (n.to_string(), size)))
            })
            .collect();
        NodeInfo {
            name: node.name().to_string(),
            labels: node.metadata.labels.clone().unwrap_or_default(),
            taints: node.field("spec.taints").and_then(Value::as_array).cloned().unwrap_or_default(),
            unschedulable: node.field("spec.unschedulable").and_then(Value::as_bool) == Some(true),
            alloc_cpu: alloc("cpu").map_or(0, |q| clamp(q.milli())),
            alloc_memory: alloc("memory").map_or(0, |q| q.units_ceil() as i64),
            alloc_pods: alloc("pods").map_or(110, |q| q.units_ceil() as i64),
            images,
            ..NodeInfo::default()
        }
    }
}

/// Every node, and where every bound pod is.
#[derive(Debug, Default)]
pub struct Cache {
    pub nodes: BTreeMap<String, NodeInfo>,
    /// Bound pod → its node.
    placed: BTreeMap<ObjectKey, String>,
    /// Image → on how many nodes it is present (ImageLocality's spread).
    pub image_nodes: BTreeMap<String, usize>,
    /// Node names in order, kept with the map (a cycle must not rebuild it).
    names: Vec<String>,
}

impl Cache {
    /// A node appeared or changed (its pods stay).
    pub fn upsert_node(&mut self, node: &Object) {
        let mut info = NodeInfo::of(node);
        match self.nodes.remove(&info.name) {
            Some(old) => {
                self.count_images(&old, -1);
                info.pods = old.pods;
                info.requested_cpu = old.requested_cpu;
                info.requested_memory = old.requested_memory;
            }
            None => {
                let at = self.names.binary_search(&info.name).unwrap_or_else(|i| i);
                self.names.insert(at, info.name.clone());
            }
        }
        self.count_images(&info, 1);
        self.nodes.insert(info.name.clone(), info);
    }

    fn count_images(&mut self, node: &NodeInfo, delta: isize) {
        for image in node.images.keys() {
            let n = self.image_nodes.entry(image.clone()).or_default();
            *n = n.saturating_add_signed(delta);
        }
    }

    /// A node is gone.
    pub fn remove_node(&mut self, name: &str) {
        if let Some(old) = self.nodes.remove(name) {
            self.count_images(&old, -1);
        }
        self.names.retain(|n| n != name);
    }

    /// Records a pod's placement as it now is (bound, moved, finished or gone).
    pub fn update_pod(&mut self, pod: &Object, deleted: bool) {
        let key = ObjectKey::of(pod);
        if let Some(old_node) = self.placed.remove(&key) {
            if let Some(n) = self.nodes.get_mut(&old_node) {
                if let Some(r) = n.pods.remove(&key) {
                    n.requested_cpu -= r.cpu;
                    n.requested_memory -= r.memory;
                }
            }
        }
        let finished = matches!(pod.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed"));
        let node = pod.field("spec.nodeName").and_then(Value::as_str).filter(|n| !n.is_empty());
        if deleted || finished {
            return;
        }
        let Some(node) = node else { return };
        let r = requests_of(pod);
        if let Some(n) = self.nodes.get_mut(node) {
            n.requested_cpu += r.cpu;
            n.requested_memory += r.memory;
            n.pods.insert(key.clone(), r);
        }
        self.placed.insert(key, node.to_string());
    }

    /// The node a pod is bound to, if any.
    pub fn node_of(&self, key: &ObjectKey) -> Option<&str> {
        self.placed.get(key).map(String::as_str)
    }

    /// Node names, for iteration in a stable order.
    pub fn node_names(&self) -> &[String] {
        &self.names
    }

    /// Pods in `namespaces` (None: all) on nodes whose `topology_key` label equals that of
    /// `node`, with their labels.
    pub fn pods_in_domain<'a>(
        &'a self,
        node: &'a NodeInfo,
        topology_key: &'a str,
    ) -> impl Iterator<Item = (&'a ObjectKey, &'a BTreeMap<String, String>)> + 'a {
        let value = node.labels.get(topology_key);
        // The hostname domain is the node itself: no need to look at the others.
        let by_host = topology_key == "kubernetes.io/hostname";
        let others = (!by_host)
            .then(|| self.nodes.values())
            .into_iter()
            .flatten()
            .filter(move |n| value.is_some() && n.labels.get(topology_key) == value);
        let own = by_host.then_some(node).into_iter().filter(move |_| value.is_some());
        own.chain(others).flat_map(|n| n.pods.iter()).map(|(k, r)| (k, &r.labels))
    }
}

/// Pods whose requests the scheduler should track: every key seen, for the set of pending ones.
pub type PendingSet = BTreeSet<ObjectKey>;

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
}
