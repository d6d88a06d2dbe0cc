//! Stopping and starting the control plane's components the way an admin does: moving a
//! static pod's manifest out of `/etc/kubernetes/manifests` on the control-plane node makes its
//! kubelet stop the component and delete its mirror pod; moving it back starts it again.
//!
//! While a component is away its work waits: without kube-scheduler new pods stay Pending with
//! no events; without kube-controller-manager no ReplicaSet, Deployment, Job, endpoints or node
//! controller acts; without kube-apiserver (or etcd, which it cannot serve without) kubectl is
//! refused and nothing that goes through the API moves. Also here: the API server's own
//! reconciler, which puts the `kubernetes` Service back when it is deleted.

use serde_json::Value;

use crate::sim::Sim;

/// The component a learner's word names (`scheduler`, `kube-scheduler`, `apiserver`, …).
pub fn component_named(word: &str) -> Option<&'static str> {
    let w = word.trim_end_matches(".yaml");
    super::control_plane::COMPONENTS.into_iter().find(|c| *c == w || c.strip_prefix("kube-") == Some(w))
}

/// Whether `component`'s static pod manifest is in place (it runs).
pub fn is_running(sim: &Sim, component: &str) -> bool {
    !sim.removed_manifests.contains(component)
}

/// Whether the API can be reached: kube-apiserver runs, and so does the etcd it stores in.
pub fn api_available(sim: &Sim) -> bool {
    is_running(sim, "kube-apiserver") && is_running(sim, "etcd")
}

/// Whether kube-scheduler can do its work (it runs and reaches the API).
pub fn scheduler_available(sim: &Sim) -> bool {
    is_running(sim, "kube-scheduler") && api_available(sim)
}

/// Whether kube-controller-manager's controllers can do their work.
pub fn controllers_available(sim: &Sim) -> bool {
    is_running(sim, "kube-controller-manager") && api_available(sim)
}

/// Moves `component`'s manifest away: its kubelet stops it and deletes its mirror pods.
/// Returns false when it was already away.
pub fn stop(sim: &mut Sim, component: &'static str) -> bool {
    if !sim.removed_manifests.insert(component.to_string()) {
        return false;
    }
    let mirrors: Vec<(String, String)> = sim
        .store()
        .list("Pod", Some(super::NAMESPACE))
        .filter(|p| p.label("component") == Some(component) && p.label("tier") == Some("control-plane"))
        .map(|p| (p.namespace().unwrap_or("").to_string(), p.name().to_string()))
        .collect();
    for (ns, name) in mirrors {
        let _ = sim.store_delete("Pod", Some(&ns), &name);
    }
    true
}

/// Moves `component`'s manifest back: its kubelet starts it and posts its mirror pods, and the
/// work that waited for it goes on. Returns false when it was not away.
pub fn start(sim: &mut Sim, component: &'static str) -> bool {
    if !sim.removed_manifests.remove(component) {
        return false;
    }
    let nodes: Vec<crate::sim::api::Object> = sim
        .store()
        .list("Node", None)
        .filter(|n| n.label(crate::sim::nodes::CONTROL_PLANE_ROLE).is_some())
        .cloned()
        .collect();
    for node in &nodes {
        let pod = super::control_plane::mirror_pod(sim, node, component);
        // SIM: the mirror pod is posted as the kubelet would, whether or not the API server is
        // up to take it; the sandbox's store is always there.
        let _ = sim.create(pod);
    }
    resume(sim);
    true
}

/// Lets the scheduler and the controllers take up what waited while they could not work.
pub fn resume(sim: &mut Sim) {
    if scheduler_available(sim) {
        crate::sim::scheduling::restart(sim);
    }
    if controllers_available(sim) {
        sim.resume_deferred_syncs();
    }
}

/// The API server's reconciler: the `kubernetes` Service and its Endpoints in `default` are
/// put back when missing (upstream checks every 10 s; here at each node-monitor tick).
pub fn reconcile_kubernetes_service(sim: &mut Sim) {
    if !api_available(sim) {
        return;
    }
    if sim.store().get("Service", Some("default"), "kubernetes").is_none() {
        let _ = sim.create(crate::sim::cluster::kubernetes_service());
    }
    let ep = sim.store().get("Endpoints", Some("default"), "kubernetes");
    if ep.is_none_or(|e| e.body.get("subsets").and_then(Value::as_array).is_none_or(Vec::is_empty)) {
        let _ = sim.store_delete("Endpoints", Some("default"), "kubernetes");
        let _ = sim.create(crate::sim::cluster::kubernetes_endpoints());
    }
}

/// The kubelet's mirror pods: a static pod whose mirror was deleted through the API gets a
/// new one (a new uid, its age starting again), as long as its manifest is in place.
// SIM: upstream's static pod keeps running while its mirror is deleted and posted again; here
// the mirror's deletion stops its containers and the new mirror starts them afresh.
pub fn reconcile_mirror_pods(sim: &mut Sim) {
    let nodes: Vec<crate::sim::api::Object> = sim
        .store()
        .list("Node", None)
        .filter(|n| n.label(crate::sim::nodes::CONTROL_PLANE_ROLE).is_some())
        .cloned()
        .collect();
    for node in &nodes {
        for component in super::control_plane::COMPONENTS {
            let name = format!("{component}-{}", node.name());
            if sim.removed_manifests.contains(component)
                || sim.store().get("Pod", Some(super::NAMESPACE), &name).is_some()
            {
                continue;
            }
            let pod = super::control_plane::mirror_pod(sim, node, component);
            let _ = sim.create(pod);
        }
    }
}

/// Each component and whether it runs, for the page and `sandbox control-plane`.
pub fn states(sim: &Sim) -> Vec<(&'static str, bool)> {
    super::control_plane::COMPONENTS.iter().map(|c| (*c, is_running(sim, c))).collect()
}
