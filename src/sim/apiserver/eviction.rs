//! The Eviction API (`POST …/pods/NAME/eviction`, upstream
//! `pkg/registry/core/pod/storage/eviction.go`): deletes a pod gracefully unless that would
//! take its PodDisruptionBudget below what it must keep; `kubectl drain` evicts through it.

use serde_json::{json, Value};

use super::{not_found, ApiError, Propagation, Reason};
use crate::sim::api::pod_disruption_budget::{is_healthy, selects};
use crate::sim::api::Object;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The API server's message when a budget refuses an eviction (status 429).
pub const VIOLATES_BUDGET: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

fn too_many_requests(cause: String) -> ApiError {
    // SIM: upstream puts the cause in the status details (kubectl drain does not print it); here
    // it rides along as a hint.
    ApiError { reason: Reason::TooManyRequests, message: VIOLATES_BUDGET.into(), hints: vec![cause] }
}

/// Evicts pod `name` of `namespace`: refused with 429 TooManyRequests while its budget
/// allows no disruption; otherwise the budget's `disruptionsAllowed` is spent (the pod is
/// recorded in `disruptedPods`), the pod gets the DisruptionTarget condition and is deleted
/// gracefully.
pub fn evict(sim: &mut Sim, namespace: &str, name: &str) -> Result<(), ApiError> {
    let Some(pod) = sim.store().get("Pod", Some(namespace), name).cloned() else {
        return Err(not_found("Pod", name));
    };
    let phase = pod.field("status.phase").and_then(Value::as_str).unwrap_or("Pending");
    // `canIgnorePDB`: a pod already going, finished or not yet running disrupts nothing.
    let ignore_budget =
        pod.metadata.deletion_timestamp.is_some() || matches!(phase, "Succeeded" | "Failed" | "Pending");
    if !ignore_budget {
        let labels = pod.metadata.labels.clone().unwrap_or_default();
        let budgets: Vec<Object> =
            sim.store().list("PodDisruptionBudget", Some(namespace)).filter(|b| selects(b, &labels)).cloned().collect();
        if budgets.len() > 1 {
            return Err(ApiError {
                reason: Reason::InternalError,
                message:
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
                        .into(),
                hints: Vec::new(),
            });
        }
        if let Some(pdb) = budgets.first() {
            let status = pdb.body.get("status").cloned().unwrap_or(json!({}));
            let (healthy, desired) =
                (status["currentHealthy"].as_i64().unwrap_or(0), status["desiredHealthy"].as_i64().unwrap_or(0));
            let always = pdb.field("spec.unhealthyPodEvictionPolicy").and_then(Value::as_str) == Some("AlwaysAllow");
            // An unhealthy pod may go without spending the budget if the budget is met anyway.
            let unhealthy_may_go = !is_healthy(&pod) && (always || (healthy >= desired && desired > 0));
            if !unhealthy_may_go {
                check_and_decrement(sim, pdb, name)?;
            }
        }
    }
    add_disruption_target(sim, &pod);
    super::delete(sim, "Pod", Some(namespace), name, Propagation::Background)?;
    Ok(())
}

/// `checkAndDecrement`: spends one allowed disruption of `pdb` on `pod`, or refuses.
fn check_and_decrement(sim: &mut Sim, pdb: &Object, pod: &str) -> Result<(), ApiError> {
    let status = pdb.body.get("status").cloned().unwrap_or(json!({}));
    let observed = status["observedGeneration"].as_i64().unwrap_or(0);
    if observed < pdb.metadata.generation.unwrap_or(1) {
        return Err(too_many_requests(format!(
            "The disruption budget {} is still being processed by the server.",
            pdb.name()
        )));
    }
    let allowed = status["disruptionsAllowed"].as_i64().unwrap_or(0);
    if allowed < 0 {
        return Err(ApiError {
            reason: Reason::Forbidden,
            message: "pdb disruptions allowed is negative".into(),
            hints: Vec::new(),
        });
    }
    if allowed == 0 {
        return Err(too_many_requests(format!(
            "The disruption budget {} needs {} healthy pods and has {} currently",
            pdb.name(),
            status["desiredHealthy"].as_i64().unwrap_or(0),
            status["currentHealthy"].as_i64().unwrap_or(0)
        )));
    }
    let mut updated = pdb.clone();
    let mut status = status;
    status["disruptionsAllowed"] = json!(allowed - 1);
    if !status["disruptedPods"].is_object() {
        status["disruptedPods"] = json!({});
    }
    status["disruptedPods"][pod] = json!(sim.now().to_rfc3339());
    updated.body.insert("status".into(), status);
    updated.metadata.resource_version = None;
    sim.store_update(updated)?;
    Ok(())
}

/// The condition saying why the pod is going (`EvictionByEvictionAPI`).
fn add_disruption_target(sim: &mut Sim, pod: &Object) {
    let Some(mut p) = sim.store().get_key(&ObjectKey::of(pod)).cloned() else { return };
    let cond = json!({"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
                      "message": "Eviction API: evicting", "lastProbeTime": null,
                      "lastTransitionTime": sim.now().to_rfc3339()});
    let status = p.body.entry("status").or_insert_with(|| json!({}));
    if !status["conditions"].is_array() {
        status["conditions"] = json!([]);
    }
    if let Some(cs) = status["conditions"].as_array_mut() {
        cs.retain(|c| c["type"] != "DisruptionTarget");
        cs.push(cond);
    }
    p.metadata.resource_version = None;
    let _ = sim.store_update(p);
}
