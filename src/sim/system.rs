//! kube-system as kubeadm leaves a fresh cluster: the control plane's static pods on each
//! control-plane node (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, seen
//! through their mirror pods), the CoreDNS Deployment behind the `kube-dns` Service, the
//! kube-proxy DaemonSet, and the ConfigMaps and ServiceAccounts kubeadm writes beside them.
//!
//! Built once when the cluster is, with an RNG of its own, so the learner's objects get the
//! same names and uids as in a cluster without them. Touches only the store, through the
//! API server and the controllers; never the page.

pub mod addons;
pub mod components;
pub mod control_plane;
pub mod ingress_nginx;

use serde_json::Value;

use super::api::Object;
use super::rng::SimRng;
use super::store::ObjectKey;
use super::Sim;

pub use super::cluster::{DNS_SERVICE_IP, SYSTEM_NAMESPACE as NAMESPACE};

/// Mixed into the cluster's seed for the RNG that builds kube-system.
const SYSTEM_SEED: u64 = 0x6b75_6265_6164_6d31;

/// Whether `obj` is one of the cluster's own parts (kube-system): not the learner's, so it does
/// not count against the sandbox's limits.
pub fn is_system(obj: &Object) -> bool {
    obj.namespace() == Some(NAMESPACE)
}

/// Creates kube-system's objects, as `kubeadm init` and `kubeadm join` leave them: static pods
/// on control-plane nodes, CoreDNS and kube-proxy, their pods bound, Running and Ready.
// SIM: on a real cluster these were made minutes before anyone types; here they are made, and
// started, at time zero, and CoreDNS's two replicas sit on the control-plane node, where
// kubeadm's CoreDNS lands when it starts before the workers join (as on kind).
///
/// `sync` reconciles one key now for the controller it names (kube-controller-manager's name:
/// `deployment`, `replicaset`, …): the caller gives it, so that kube-system's parts need not
/// know the controllers.
pub fn bootstrap(sim: &mut Sim, sync: fn(&mut Sim, &'static str, ObjectKey)) {
    let seed = sim.seed();
    let main = std::mem::replace(sim.rng_mut(), SimRng::seed_from(seed ^ SYSTEM_SEED));
    let nodes: Vec<Object> = sim.store().list("Node", None).cloned().collect();
    for node in nodes.iter().filter(|n| n.label(super::nodes::CONTROL_PLANE_ROLE).is_some()) {
        control_plane::create_static_pods(sim, node);
    }
    for obj in addons::objects() {
        if let Err(e) = sim.create(obj) {
            debug_assert!(false, "kube-system object refused: {}", e.message);
        }
    }
    // The controllers make the ReplicaSet and pods now, with this RNG.
    let deploy = key("Deployment", addons::COREDNS);
    sync(sim, "deployment", deploy);
    let rs: Vec<ObjectKey> = sim.store().list("ReplicaSet", Some(NAMESPACE)).map(ObjectKey::of).collect();
    for k in rs {
        sync(sim, "replicaset", k);
    }
    sync(sim, "daemonset", key("DaemonSet", addons::KUBE_PROXY));
    sync(sim, "endpoints", key("Service", addons::KUBE_DNS));
    let home = nodes
        .iter()
        .find(|n| n.label(super::nodes::CONTROL_PLANE_ROLE).is_some())
        .or(nodes.first())
        .map(|n| n.name().to_string());
    let unbound: Vec<Object> =
        sim.store().list("Pod", Some(NAMESPACE)).filter(|p| p.field("spec.nodeName").is_none()).cloned().collect();
    for pod in unbound {
        let node = daemon_node(&pod).or(home.clone());
        if let Some(node) = node {
            super::scheduling::bind(sim, pod, &node);
        }
    }
    let images: Vec<(String, String)> = sim
        .store()
        .list("Pod", Some(NAMESPACE))
        .flat_map(|p| {
            let node = p.field("spec.nodeName").and_then(Value::as_str).unwrap_or("").to_string();
            p.field("spec.containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(move |c| c["image"].as_str().map(|i| (node.clone(), i.to_string())))
                .collect::<Vec<_>>()
        })
        .collect();
    for (node, image) in images {
        super::kubelet::preload_image(sim, &node, &image);
    }
    // Their kubelets start them now, with this RNG, in the order they would have seen them bound.
    let events = sim.store().count("Event");
    super::kubelet::start_settled(sim, &bound_order(sim));
    let started = sim.store().count("Event") - events;
    *sim.rng_mut() = main;
    // SIM: kube-system's pods used to start a second in, their start-up events drawing uids from
    // the cluster's RNG then. That RNG still draws as many at that second, so the learner's
    // objects get the names, uids and choices they had (recorded scenarios and links replay).
    if started > 0 {
        // Two numbers make a uid.
        sim.schedule(super::kubelet::SANDBOX_SETUP, super::Task::Draws(2 * started as u64));
    }
}

/// kube-system's pods in the order the watch log first shows each bound to a node (as a
/// kubelet's informer sees them).
fn bound_order(sim: &Sim) -> Vec<ObjectKey> {
    let mut seen = std::collections::BTreeSet::new();
    let mut keys = Vec::new();
    for ev in sim.store().events_since(0).0 {
        let pod = &ev.object;
        if pod.kind == "Pod" && pod.namespace() == Some(NAMESPACE) && pod.field("spec.nodeName").is_some() {
            let key = ObjectKey::of(pod);
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
    }
    keys
}

/// The node a DaemonSet pod's required node affinity names (`metadata.name In [node]`).
fn daemon_node(pod: &Object) -> Option<String> {
    pod.field("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")?
        .as_array()?
        .iter()
        .flat_map(|t| t["matchFields"].as_array().into_iter().flatten())
        .find(|f| f["key"] == "metadata.name")
        .and_then(|f| f["values"][0].as_str())
        .map(str::to_string)
}

fn key(kind: &str, name: &str) -> ObjectKey {
    ObjectKey { kind: kind.into(), namespace: NAMESPACE.into(), name: name.into() }
}

#[cfg(test)]
mod dns_tests;
#[cfg(test)]
mod tests;
