//! The disruption controller (upstream `pkg/controller/disruption`): keeps each
//! PodDisruptionBudget's status — how many of its pods are healthy, how many must be, and so
//! how many voluntary disruptions (evictions) are allowed now. The Eviction API
//! ([`crate::sim::apiserver::eviction`]) reads that status and spends from it.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::context::Ctx;
use super::deployment::util::resolve;
use super::reconciler::{self, Action, Reconciler};
use crate::sim::api::controller_of;
pub use crate::sim::api::pod_disruption_budget::{is_healthy, selects};
use crate::sim::api::Object;
use crate::sim::events::EventType;
use crate::sim::store::{ObjectKey, Store, WatchEvent};
use crate::sim::time::parse_time;

/// The disruption controller (`disruption`): a PodDisruptionBudget and the pods it selects.
pub struct Disruption;

/// The one disruption controller.
pub static DISRUPTION: Disruption = Disruption;

impl Reconciler for Disruption {
    fn name(&self) -> &'static str {
        "disruption"
    }

    /// Upstream's disruption controller records as the controller manager itself.
    fn component(&self) -> &'static str {
        "controllermanager"
    }

    fn kind(&self) -> &'static str {
        "PodDisruptionBudget"
    }

    /// A pod queues the budgets of its namespace that select it.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        if o.kind != "Pod" {
            return Vec::new();
        }
        let labels = o.metadata.labels.clone().unwrap_or_default();
        store
            .list("PodDisruptionBudget", o.namespace())
            .filter(|pdb| selects(pdb, &labels))
            .map(ObjectKey::of)
            .collect()
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> reconciler::Result<Action> {
        Ok(sync_disruption_budget(ctx, key))
    }
}
/// An evicted pod the API server has not yet marked for deletion stops counting as disrupted
/// after this long (upstream `DeletionTimeout`).
pub const DELETION_TIMEOUT: Duration = Duration::from_secs(120);

/// The `spec.replicas` of the workload that scales `pod` (`getExpectedScale`'s finders:
/// a Deployment through its ReplicaSet, a ReplicaSet, a StatefulSet, a ReplicationController).
fn controller_scale(store: &Store, pod: &Object) -> Option<(String, i64)> {
    let r = controller_of(pod)?;
    let ns = pod.namespace();
    let owner = store.get(&r.kind, ns, &r.name).filter(|o| o.uid() == r.uid)?;
    let owner = match (owner.kind.as_str(), controller_of(owner)) {
        ("ReplicaSet", Some(d)) if d.kind == "Deployment" => store.get("Deployment", ns, &d.name)?,
        ("ReplicaSet" | "StatefulSet" | "ReplicationController", _) => owner,
        _ => return None,
    };
    Some((owner.uid().to_string(), owner.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1)))
}

/// The pods a budget expects (the scale of their controllers) or why it cannot tell.
fn expected_scale(store: &Store, pods: &[Object]) -> Result<i64, String> {
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for p in pods {
        let Some((uid, replicas)) = controller_scale(store, p) else {
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
pub fn expected_pod_count(store: &Store, pdb: &Object, pods: &[Object]) -> Result<(i64, i64), String> {
    let spec = pdb.field("spec").cloned().unwrap_or(Value::Null);
    if !spec["maxUnavailable"].is_null() {
        let expected = expected_scale(store, pods)?;
        let max_unavailable = resolve(&spec["maxUnavailable"], expected, true);
        return Ok((expected, (expected - max_unavailable).max(0)));
    }
    match &spec["minAvailable"] {
        Value::String(s) if s.ends_with('%') => {
            let expected = expected_scale(store, pods)?;
            Ok((expected, resolve(&spec["minAvailable"], expected, true)))
        }
        Value::Null => Ok((pods.len() as i64, 0)),
        v => Ok((pods.len() as i64, resolve(v, 0, true))),
    }
}

/// `trySync`: recount and write the budget's status.
pub fn sync_disruption_budget(ctx: &mut Ctx, key: &ObjectKey) -> Action {
    let Some(pdb) = ctx.store().get_key(key).cloned() else { return Action::AwaitChange };
    if pdb.metadata.deletion_timestamp.is_some() {
        return Action::AwaitChange;
    }
    let now = ctx.now();
    let pods: Vec<Object> = ctx
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
    let mut status = match expected_pod_count(ctx.store(), &pdb, &pods) {
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
            ctx.record(&pdb, EventType::Warning, "CalculateExpectedPodCountFailed", &msg);
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
    // Look again when the first disrupted pod's entry expires.
    let action = next_expiry.map_or(Action::AwaitChange, Action::RequeueAfter);
    let Some(mut current) = ctx.store().get_key(key).cloned() else { return action };
    if current.body.get("status") == Some(&status) {
        return action;
    }
    current.body.insert("status".into(), status);
    current.metadata.resource_version = None;
    let _ = ctx.update_status(current);
    action
}

#[cfg(test)]
mod tests;
