//! Pod scheduling readiness (`spec.schedulingGates`): a pod with gates never enters the
//! scheduler's queue; it says `PodScheduled=False, SchedulingGated` (what `kubectl get pods`
//! shows as its status) until every gate is removed, and then is scheduled as any other.
//!
//! Upstream this is the scheduler's `SchedulingGates` PreEnqueue plugin; here it sits in front
//! of the scheduler so that the scheduler's own code need not know about it.

use serde_json::{json, Value};

use super::api::Object;
use super::Sim;

/// Whether `pod` is unbound and still has scheduling gates.
pub fn is_gated(pod: &Object) -> bool {
    pod.field("spec.nodeName").and_then(Value::as_str).is_none_or(str::is_empty)
        && pod.field("spec.schedulingGates").and_then(Value::as_array).is_some_and(|g| !g.is_empty())
}

/// Holds a gated pod back from the scheduler, recording why on its status once; returns
/// whether the pod was held.
pub fn hold(sim: &mut Sim, pod: &Object) -> bool {
    if !is_gated(pod) || pod.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let already = pod
        .field("status.conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated"));
    if !already {
        let mut p = pod.clone();
        let status = p.body.entry("status").or_insert_with(|| json!({}));
        if status["phase"].is_null() {
            status["phase"] = json!("Pending");
        }
        let mut conds = status["conditions"].as_array().cloned().unwrap_or_default();
        conds.retain(|c| c["type"] != "PodScheduled");
        conds.push(json!({"type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
                          "message": "Scheduling is blocked due to non-empty scheduling gates",
                          "lastProbeTime": null, "lastTransitionTime": sim.now().to_rfc3339()}));
        status["conditions"] = json!(conds);
        p.metadata.resource_version = None;
        let _ = sim.store_update(p);
    }
    true
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_gated_pod_waits_as_scheduling_gated_and_is_scheduled_once_its_gates_are_removed() {
        let mut sim = Sim::new(SimConfig::default());
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gated\nspec:\n  schedulingGates:\n  - name: example.com/foo\n  containers:\n  - {name: c, image: nginx:1.27}\n";
        sim.create(crate::manifest::parse(text).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(5));
        let pod = sim.store().get("Pod", Some("default"), "gated").unwrap().clone();
        assert!(pod.field("spec.nodeName").is_none());
        let conds = pod.field("status.conditions").unwrap().as_array().unwrap();
        assert!(conds.iter().any(|c| c["reason"] == "SchedulingGated"));
        let mut open = pod.clone();
        open.body["spec"].as_object_mut().unwrap().remove("schedulingGates");
        open.metadata.resource_version = None;
        sim.update(open).unwrap();
        sim.advance(Duration::from_secs(5));
        let pod = sim.store().get("Pod", Some("default"), "gated").unwrap();
        assert!(pod.field("spec.nodeName").and_then(Value::as_str).is_some());
    }
}
