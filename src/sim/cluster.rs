//! The shape of a cluster: which nodes it has and how big they are, and the objects every
//! cluster starts with (system namespaces).
//!
//! The default matches what a learner gets from `kind` or `kubeadm`: one control-plane node,
//! tainted so ordinary pods avoid it, and three workers.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::api::Object;

/// The namespace of the cluster's own parts.
pub const SYSTEM_NAMESPACE: &str = "kube-system";

/// The `kube-dns` Service's ClusterIP: the tenth address of the Service range, as kubeadm
/// picks it, and every pod's nameserver.
pub const DNS_SERVICE_IP: &str = "10.96.0.10";

/// The cluster's DNS domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// Namespaces every cluster has.
pub const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// One node to create: its name, role and capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeShape {
    pub name: String,
    /// A control-plane node carries the `node-role.kubernetes.io/control-plane` label and
    /// NoSchedule taint, as kubeadm sets them.
    pub control_plane: bool,
    /// CPU capacity in millicores.
    pub cpu_millis: u64,
    /// Memory capacity in bytes.
    pub memory_bytes: u64,
    /// Maximum number of pods (kubelet's `maxPods`, 110 by default).
    pub max_pods: u32,
    /// Extra labels beside the standard ones.
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    /// Extra taints: (key, value, effect).
    #[serde(default)]
    pub taints: Vec<(String, String, String)>,
}

impl NodeShape {
    /// A worker with `cpus` cores and `gib` GiB of memory.
    pub fn worker(name: &str, cpus: u64, gib: u64) -> NodeShape {
        NodeShape {
            name: name.to_string(),
            control_plane: false,
            cpu_millis: cpus * 1000,
            memory_bytes: gib << 30,
            max_pods: 110,
            labels: Default::default(),
            taints: Vec::new(),
        }
    }

    /// A control-plane node with `cpus` cores and `gib` GiB of memory.
    pub fn control_plane(name: &str, cpus: u64, gib: u64) -> NodeShape {
        NodeShape { control_plane: true, ..NodeShape::worker(name, cpus, gib) }
    }
}

/// The nodes a cluster starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterShape {
    pub nodes: Vec<NodeShape>,
}

impl ClusterShape {
    /// One control plane (2 CPU, 4 GiB) and `workers` workers (4 CPU, 8 GiB) named `node-1`….
    pub fn with_workers(workers: usize) -> ClusterShape {
        let mut nodes = vec![NodeShape::control_plane("control-plane", 2, 4)];
        nodes.extend((1..=workers).map(|i| NodeShape::worker(&format!("node-{i}"), 4, 8)));
        ClusterShape { nodes }
    }
}

impl Default for ClusterShape {
    /// One control plane and three workers.
    fn default() -> Self {
        ClusterShape::with_workers(3)
    }
}

/// A Namespace as the API server creates it: Active, with the `kubernetes` finalizer and the
/// `kubernetes.io/metadata.name` label.
pub fn namespace(name: &str) -> Object {
    let mut ns = Object::new("v1", "Namespace", name);
    ns.metadata.labels = Some([("kubernetes.io/metadata.name".to_string(), name.to_string())].into());
    ns.body.insert("spec".into(), json!({"finalizers": ["kubernetes"]}));
    ns.body.insert("status".into(), json!({"phase": "Active"}));
    ns
}

/// The `kubernetes` Service in `default`, through which pods reach the API server.
pub fn kubernetes_service() -> Object {
    let mut svc = Object::new("v1", "Service", "kubernetes");
    svc.metadata.namespace = Some("default".into());
    svc.metadata.labels = Some(
        [("component".to_string(), "apiserver".to_string()), ("provider".to_string(), "kubernetes".to_string())].into(),
    );
    svc.body.insert(
        "spec".into(),
        json!({"clusterIP": super::apiserver::services::KUBERNETES_SERVICE_IP,
               "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
               "sessionAffinity": "None", "type": "ClusterIP"}),
    );
    svc
}

/// The API server's own address behind the `kubernetes` Service (the control-plane node).
pub fn kubernetes_endpoints() -> Object {
    let mut ep = Object::new("v1", "Endpoints", "kubernetes");
    ep.metadata.namespace = Some("default".into());
    ep.metadata.labels = Some([("endpointslice.kubernetes.io/skip-mirror".to_string(), "true".to_string())].into());
    ep.body.insert(
        "subsets".into(),
        json!([{"addresses": [{"ip": "172.18.0.2"}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]),
    );
    ep
}

/// kind's provisioner, whose name the events carry.
pub const PROVISIONER: &str = "rancher.io/local-path";

/// The StorageClass every cluster starts with (kind's `standard`).
pub fn default_storage_class() -> Object {
    let mut sc = Object::new("storage.k8s.io/v1", "StorageClass", "standard");
    sc.metadata.annotations =
        Some([("storageclass.kubernetes.io/is-default-class".to_string(), "true".to_string())].into());
    sc.body.insert("provisioner".into(), json!(PROVISIONER));
    sc.body.insert("reclaimPolicy".into(), json!("Delete"));
    sc.body.insert("volumeBindingMode".into(), json!("WaitForFirstConsumer"));
    sc
}
