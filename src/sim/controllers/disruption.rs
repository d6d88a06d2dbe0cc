//! The disruption controller (upstream `pkg/controller/disruption`): keeps each
//! PodDisruptionBudget's status — how many of its pods are healthy, how many must be, and so
//! how many voluntary disruptions (evictions) are allowed now. The Eviction API
//! ([`crate::sim::apiserver::eviction`]) reads that status and spends from it.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::deployment::util::resolve;
use super::{enqueue, Controller};
use crate::sim::api::controller_of;
pub use crate::sim::api::pod_disruption_budget::{is_healthy, selects};
use crate::sim::api::Object;
use crate::sim::events::{self, EventType, Source};
use crate::sim::store::{ObjectKey, WatchEvent};
use crate::sim::time::parse_time;
use crate::sim::Sim;

const SOURCE: Source<'static> = Source { component: "controllermanager", host: None };
/// An evicted pod the API server has not yet marked for deletion stops counting as disrupted
/// after this long (upstream `DeletionTimeout`).
pub const DELETION_TIMEOUT: Duration = Duration::from_secs(120);

/// Queues the budgets a change concerns: the budget itself, or those selecting a changed pod.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let o = &ev.object;
    let keys: Vec<ObjectKey> = match o.kind.as_str() {
        "PodDisruptionBudget" => vec![ObjectKey::of(o)],
        "Pod" => {
            let labels = o.metadata.labels.clone().unwrap_or_default();
            sim.store()
                .list("PodDisruptionBudget", o.namespace())
                .filter(|pdb| selects(pdb, &labels))
                .map(ObjectKey::of)
                .collect()
        }
        _ => Vec::new(),
    };
    for k in keys {
        enqueue(sim, Controller::DISRUPTION, k);
    }
}

/// The `spec.replicas` of the workload that scales `pod` (`getExpectedScale`'s finders:
/// a Deployment through its ReplicaSet, a ReplicaSet, a StatefulSet, a ReplicationController).
fn controller_scale(sim: &Sim, pod: &Object) -> Option<(String, i64)> {
    let r = controller_of(pod)?;
    let ns = pod.namespace();
    let owner = sim.store().get(&r.kind, ns, &r.name).filter(|o| o.uid() == r.uid)?;
    let owner = match (owner.kind.as_str(), controller_of(owner)) {
        ("ReplicaSet", Some(d)) if d.kind == "Deployment" => sim.store().get("Deployment", ns, &d.name)?,
        ("ReplicaSet" | "StatefulSet" | "ReplicationController", _) => owner,
        _ => return None,
    };
    Some((owner.uid().to_string(), owner.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1)))
}

/// The pods a budget expects (the scale of their controllers) or why it cannot tell.
fn expected_scale(sim: &Sim, pods: &[Object]) -> Result<i64, String> {
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for p in pods {
        let Some((uid, replicas)) = controller_scale(sim, p) else {
            return Err(format!("found no controllers for pod \"{}\"", p.name()));
        };
        if seen.insert(uid) {
            total += replicas;
        }
    }
    Ok(total)
}

/// (expectedPods, desiredHealthy) for a budget over `pods` (`getExpectedPodCount`): an integer
/// minAvailable counts the pods there are; a percentage or maxUnavailable counts what their
/// controllers want, rounding the percentage up.
pub fn expected_pod_count(sim: &Sim, pdb: &Object, pods: &[Object]) -> Result<(i64, i64), String> {
    let spec = pdb.field("spec").cloned().unwrap_or(Value::Null);
    if !spec["maxUnavailable"].is_null() {
        let expected = expected_scale(sim, pods)?;
        let max_unavailable = resolve(&spec["maxUnavailable"], expected, true);
        return Ok((expected, (expected - max_unavailable).max(0)));
    }
    match &spec["minAvailable"] {
        Value::String(s) if s.ends_with('%') => {
            let expected = expected_scale(sim, pods)?;
            Ok((expected, resolve(&spec["minAvailable"], expected, true)))
        }
        Value::Null => Ok((pods.len() as i64, 0)),
        v => Ok((pods.len() as i64, resolve(v, 0, true))),
    }
}

/// `trySync`: recount and write the budget's status.
pub fn sync_disruption_budget(sim: &mut Sim, key: &ObjectKey) {
    let Some(pdb) = sim.store().get_key(key).cloned() else { return };
    if pdb.metadata.deletion_timestamp.is_some() {
        return;
    }
    let now = sim.now();
    let pods: Vec<Object> = sim
        .store()
        .list("Pod", pdb.namespace())
        .filter(|p| selects(&pdb, &p.metadata.labels.clone().unwrap_or_default()))
        .cloned()
        .collect();
    let old = pdb.body.get("status").cloned().unwrap_or(json!({}));
    // Evicted pods stay counted as disrupted until they are marked for deletion or time out.
    let mut disrupted = serde_json::Map::new();
    let mut next_expiry: Option<Duration> = None;
    for (name, at) in old["disruptedPods"].as_object().into_iter().flatten() {
        let pod = pods.iter().find(|p| p.name() == name);
        let Some(since) = at.as_str().and_then(parse_time) else { continue };
        let expires = since + DELETION_TIMEOUT;
        if pod.is_some_and(|p| p.metadata.deletion_timestamp.is_none()) && expires > now {
            disrupted.insert(name.clone(), at.clone());
            let wait = expires.since(now);
            next_expiry = Some(next_expiry.map_or(wait, |w| w.min(wait)));
        }
    }
    let generation = pdb.metadata.generation.unwrap_or(1);
    let transition = |status: &str| -> Value {
        let prev = old["conditions"].as_array().and_then(|cs| cs.iter().find(|c| c["type"] == "DisruptionAllowed"));
        match prev {
            Some(c) if c["status"] == status => c["lastTransitionTime"].clone(),
            _ => json!(now.to_rfc3339()),
        }
    };
    let mut status = match expected_pod_count(sim, &pdb, &pods) {
        Ok((expected, desired)) => {
            let healthy = pods.iter().filter(|p| is_healthy(p) && !disrupted.contains_key(p.name())).count() as i64;
            let allowed = (healthy - desired).max(0);
            let (cond_status, reason) =
                if allowed > 0 { ("True", "SufficientPods") } else { ("False", "InsufficientPods") };
            json!({"currentHealthy": healthy, "desiredHealthy": desired, "expectedPods": expected,
                   "disruptionsAllowed": allowed, "observedGeneration": generation,
                   "conditions": [{"type": "DisruptionAllowed", "status": cond_status, "reason": reason, "message": "",
                                   "observedGeneration": generation, "lastTransitionTime": transition(cond_status)}]})
        }
        Err(e) => {
            let msg = format!("Failed to calculate the number of expected pods: {e}");
            events::record(sim, &pdb, None, EventType::Warning, "CalculateExpectedPodCountFailed", &msg, SOURCE);
            // `failSafe`: no disruptions until the budget can be computed again.
            let mut s = old.clone();
            s["disruptionsAllowed"] = json!(0);
            s["observedGeneration"] = json!(generation);
            s["conditions"] = json!([{"type": "DisruptionAllowed", "status": "False", "reason": "SyncFailed", "message": e,
                                      "observedGeneration": generation, "lastTransitionTime": transition("False")}]);
            s
        }
    };
    if !disrupted.is_empty() {
        status["disruptedPods"] = Value::Object(disrupted);
    } else if let Some(m) = status.as_object_mut() {
        m.remove("disruptedPods");
    }
    if let Some(wait) = next_expiry {
        super::enqueue_after(sim, Controller::DISRUPTION, key.clone(), wait);
    }
    let Some(mut current) = sim.store().get_key(key).cloned() else { return };
    if current.body.get("status") == Some(&status) {
        return;
    }
    current.body.insert("status".into(), status);
    current.metadata.resource_version = None;
    let _ = sim.store_update(current);
}

#[cfg(test)]
mod tests;
