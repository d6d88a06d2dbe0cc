//! Nodes: registering a node as its kubelet would, and the kubelet's heartbeat (its Lease).
//!
//! Touches only the store and the event queue of the [`Sim`]; never the page.

use std::time::Duration;

use serde_json::json;

use super::api::Object;
use super::apiserver::ApiError;
use super::cluster::NodeShape;
use super::{Sim, Task};

/// How often a kubelet renews its Lease (upstream: 10 s, a quarter of the 40 s lease duration).
pub const LEASE_RENEW_INTERVAL: Duration = Duration::from_secs(10);

/// Upstream's `leaseDurationSeconds` for node leases.
pub const LEASE_DURATION_SECONDS: u64 = 40;

/// The label kubeadm puts on control-plane nodes; its NoSchedule taint has the same key.
pub const CONTROL_PLANE_ROLE: &str = "node-role.kubernetes.io/control-plane";

/// Creates the Node object and its Lease, and starts the kubelet's heartbeat.
pub fn register(sim: &mut Sim, shape: &NodeShape) -> Result<(), ApiError> {
    let node = node_object(sim, shape);
    let node = sim.create(node)?;
    announce(sim, &node);
    let mut lease = Object::new("coordination.k8s.io/v1", "Lease", &shape.name);
    lease.metadata.namespace = Some("kube-node-lease".into());
    lease.body.insert(
        "spec".into(),
        json!({"holderIdentity": shape.name, "leaseDurationSeconds": LEASE_DURATION_SECONDS,
               "renewTime": micro_time(sim)}),
    );
    sim.create(lease)?;
    sim.schedule(LEASE_RENEW_INTERVAL, Task::NodeHeartbeat { node: shape.name.clone() });
    Ok(())
}

/// The events a new node's kubelet and the node controller post, as on a real cluster.
fn announce(sim: &mut Sim, node: &Object) {
    use super::events::{record, EventType::Normal, Source};
    let name = node.name().to_string();
    let kubelet = Source { component: "kubelet", host: Some(&name) };
    let status = |c: &str| format!("Node {name} status is now: {c}");
    record(sim, node, None, Normal, "Starting", "Starting kubelet.", kubelet);
    for c in ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"] {
        record(sim, node, None, Normal, c, &status(c), kubelet);
    }
    record(sim, node, None, Normal, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", kubelet);
    record(sim, node, None, Normal, "NodeReady", &status("NodeReady"), kubelet);
    let proxy = Source { component: "kube-proxy", host: Some(&name) };
    record(sim, node, None, Normal, "Starting", "", proxy);
    let controller = Source { component: "node-controller", host: None };
    let msg = format!("Node {name} event: Registered Node {name} in Controller");
    record(sim, node, None, Normal, "RegisteredNode", &msg, controller);
}

/// The kubelet of `node` renews its Lease and schedules the next renewal; a stopped kubelet
/// does neither (its heartbeat starts again with [`heartbeat_now`]).
pub fn heartbeat(sim: &mut Sim, node: &str) {
    if sim.kubelet_running(node) {
        renew(sim, node);
    }
}

/// A (re)started kubelet renews at once, posts its node Ready and resumes its heartbeat.
pub fn heartbeat_now(sim: &mut Sim, node: &str) {
    renew(sim, node);
    super::node_lifecycle::mark_ready(sim, node);
}

fn renew(sim: &mut Sim, node: &str) {
    let Some(mut lease) = sim.store().get("Lease", Some("kube-node-lease"), node).cloned() else {
        return; // the node was removed: its kubelet is gone
    };
    let renew = micro_time(sim);
    if let Some(spec) = lease.body.get_mut("spec").and_then(|s| s.as_object_mut()) {
        spec.insert("renewTime".into(), json!(renew));
    }
    if sim.store_update(lease).is_ok() {
        sim.schedule(LEASE_RENEW_INTERVAL, Task::NodeHeartbeat { node: node.to_string() });
    }
}

/// `metav1.MicroTime` of now: RFC 3339 with microseconds.
fn micro_time(sim: &Sim) -> String {
    let now = sim.now();
    let secs = now.to_rfc3339();
    format!("{}.{:06}Z", secs.trim_end_matches('Z'), (now.as_millis() % 1000) * 1000)
}

fn node_object(sim: &Sim, shape: &NodeShape) -> Object {
    let mut node = Object::new("v1", "Node", &shape.name);
    let mut labels: std::collections::BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", shape.name.as_str()),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // Each node gets a /24 of the cluster's 10.244.0.0/16 pod network, in registration order.
    let index = sim.store().count("Node");
    let cidr = format!("10.244.{index}.0/24");
    let mut spec = json!({"podCIDR": cidr, "podCIDRs": [cidr]});
    if shape.control_plane {
        labels.insert(CONTROL_PLANE_ROLE.into(), String::new());
        labels.insert("node.kubernetes.io/exclude-from-external-load-balancers".into(), String::new());
        spec["taints"] = json!([{"effect": "NoSchedule", "key": CONTROL_PLANE_ROLE}]);
    }
    labels.extend(shape.labels.clone());
    if let Some(taints) = spec.as_object_mut() {
        let list = taints.entry("taints").or_insert_with(|| json!([]));
        for (key, value, effect) in &shape.taints {
            let mut t = json!({"key": key, "effect": effect});
            if !value.is_empty() {
                t["value"] = json!(value);
            }
            list.as_array_mut().expect("taints is a list").push(t);
        }
        if list.as_array().is_some_and(Vec::is_empty) {
            taints.remove("taints");
        }
    }
    node.metadata.labels = Some(labels);
    node.body.insert("spec".into(), spec);
    let now = sim.now().to_rfc3339();
    let resources = json!({
        "cpu": format_cpu(shape.cpu_millis),
        "ephemeral-storage": "102626232Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": format!("{}Ki", shape.memory_bytes / 1024),
        "pods": shape.max_pods.to_string(),
    });
    let condition = |ty: &str, status: &str, reason: &str, message: &str| {
        json!({"type": ty, "status": status, "reason": reason, "message": message,
               "lastHeartbeatTime": now, "lastTransitionTime": now})
    };
    node.body.insert(
        "status".into(),
        json!({
            "addresses": [
                {"type": "InternalIP", "address": internal_ip(sim)},
                {"type": "Hostname", "address": shape.name},
            ],
            "allocatable": resources,
            "capacity": resources,
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "containerRuntimeVersion": "containerd://2.1.4",
                "kernelVersion": "6.8.0-sandbox",
                "kubeProxyVersion": "",
                "kubeletVersion": crate::sim::KUBERNETES_VERSION,
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
            },
        }),
    );
    node
}

/// The next node address, `172.18.0.2`, `172.18.0.3`, … as kind hands them out.
fn internal_ip(sim: &Sim) -> String {
    let n = sim.store().list("Node", None).count() + 2;
    format!("172.18.{}.{}", n / 256, n % 256)
}

/// CPU as the kubelet reports it: whole cores as `4`, otherwise millicores as `1500m`.
fn format_cpu(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}
