//! The ReplicaSet controller (upstream `pkg/controller/replicaset`): keeps `spec.replicas`
//! pods matching the selector, adopting orphans and releasing pods that no longer match,
//! deleting surplus pods in upstream's order, and reporting status.
//!
//! It also runs ReplicationControllers, as upstream's `pkg/controller/replication` wraps this
//! same controller: the only differences are the map selector and the event source.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Error, Reconciler, Result};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::selector::matches_label_selector;
use crate::sim::store::{ObjectKey, Store, WatchEvent};
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;

/// Upstream's `burstReplicas`: at most this many creations or deletions per sync.
pub const BURST_REPLICAS: usize = 500;

/// The ReplicaSet controller, or the ReplicationController manager: one reconciler per kind.
pub struct ReplicaSets {
    name: &'static str,
    component: &'static str,
    kind: &'static str,
}

/// The ReplicaSet controller (`replicaset`).
pub static REPLICA_SETS: ReplicaSets =
    ReplicaSets { name: "replicaset", component: "replicaset-controller", kind: "ReplicaSet" };

/// The ReplicationController manager (`replicationcontroller`).
pub static REPLICATION_CONTROLLERS: ReplicaSets =
    ReplicaSets { name: "replicationcontroller", component: "replication-controller", kind: "ReplicationController" };

impl Reconciler for ReplicaSets {
    fn name(&self) -> &'static str {
        self.name
    }

    fn component(&self) -> &'static str {
        self.component
    }

    fn kind(&self) -> &'static str {
        self.kind
    }

    fn owns(&self) -> &'static [&'static str] {
        &["Pod"]
    }

    /// An orphan pod queues every set of this kind in its namespace whose selector matches it
    /// (one may adopt it).
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        if o.kind != "Pod" || controller_of(o).is_some() {
            return Vec::new();
        }
        may_adopt(store, self.kind, o)
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        sync_replica_set(ctx, key)
    }
}

/// The label selector of a ReplicaSet; a ReplicationController's map selector as one.
pub fn selector_of(o: &Object) -> Value {
    let selector = o.field("spec.selector").cloned().unwrap_or(Value::Null);
    if o.kind == "ReplicationController" {
        json!({ "matchLabels": selector })
    } else {
        selector
    }
}

/// An object's labels, borrowed (none: an empty map).
fn labels(o: &Object) -> &BTreeMap<String, String> {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    o.metadata.labels.as_ref().unwrap_or(&NONE)
}

pub use crate::sim::api::{controller_of, controller_ref};

/// A pod that counts toward replicas: not finished, not being deleted.
pub fn is_active(p: &Object) -> bool {
    let phase = p.field("status.phase").and_then(Value::as_str).unwrap_or("");
    phase != "Succeeded" && phase != "Failed" && p.metadata.deletion_timestamp.is_none()
}

use crate::sim::api::conditions::is_true as condition_true;

/// Ready since when (the Ready condition's transition time), if ready.
pub fn ready_since(p: &Object) -> Option<SimTime> {
    let cs = p.field("status.conditions")?.as_array()?;
    let c = cs.iter().find(|c| c["type"] == "Ready" && c["status"] == "True")?;
    c["lastTransitionTime"].as_str().and_then(parse_time).or(Some(SimTime::ZERO))
}

/// Ready for at least `min_ready_seconds`.
pub fn is_available(p: &Object, min_ready_seconds: u64, now: SimTime) -> bool {
    ready_since(p).is_some_and(|t| now.since(t).as_secs() >= min_ready_seconds)
}

/// Upstream's ranking of pods to delete first (`ActivePodsWithRanks`): unassigned before
/// assigned, pending before running, not ready before ready, ready for less time first,
/// more restarts first, newer first.
fn deletion_order(a: &Object, b: &Object) -> Ordering {
    let assigned = |p: &Object| p.field("spec.nodeName").and_then(Value::as_str).is_some_and(|n| !n.is_empty());
    let phase_rank = |p: &Object| match p.field("status.phase").and_then(Value::as_str) {
        Some("Pending") | None => 0,
        Some("Running") => 2,
        _ => 1,
    };
    let ready = |p: &Object| condition_true(p, "Ready");
    let restarts = |p: &Object| -> u64 {
        p.field("status.containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c["restartCount"].as_u64())
            .max()
            .unwrap_or(0)
    };
    let created = |p: &Object| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    assigned(a)
        .cmp(&assigned(b))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(ready(a).cmp(&ready(b)))
        .then_with(|| match (ready_since(a), ready_since(b)) {
            (Some(x), Some(y)) => y.cmp(&x), // ready for less time goes first
            _ => Ordering::Equal,
        })
        .then(restarts(b).cmp(&restarts(a)))
        .then(created(b).cmp(&created(a)))
        .then(a.name().cmp(b.name()))
}

/// Adopts the live orphan pods in `owner`'s namespace that its label selector matches and
/// `member` accepts (upstream's `ClaimPods` for the workload controllers): a re-created
/// StatefulSet or DaemonSet owns the pods its predecessor left behind.
pub fn adopt_orphans(ctx: &mut Ctx, owner: &Object, member: impl Fn(&Object) -> bool) {
    let selector = selector_of(owner);
    let orphans: Vec<ObjectKey> = ctx
        .store()
        .list("Pod", owner.namespace())
        .filter(|p| controller_of(p).is_none() && p.metadata.deletion_timestamp.is_none())
        .filter(|p| matches_label_selector(&selector, labels(p)) && member(p))
        .map(ObjectKey::of)
        .collect();
    for key in orphans {
        let Some(mut pod) = ctx.store().get_key(&key).cloned() else { continue };
        pod.metadata.owner_references.get_or_insert_with(Vec::new).push(controller_ref(owner));
        pod.metadata.resource_version = None;
        let _ = ctx.update_status(pod);
    }
}

/// The workloads of `kind` in `pod`'s namespace whose selector matches it: who may adopt an orphan.
pub fn may_adopt(store: &Store, kind: &str, pod: &Object) -> Vec<ObjectKey> {
    let pod_labels = labels(pod);
    store
        .list(kind, pod.namespace())
        .filter(|o| matches_label_selector(&selector_of(o), pod_labels))
        .map(ObjectKey::of)
        .collect()
}

/// Builds a pod from `owner`'s template, owned by it.
pub fn pod_from_template(owner: &Object, template: &Value, generate_name: &str) -> Object {
    let mut pod = Object::new("v1", "Pod", "");
    pod.metadata.name = None;
    pod.metadata.generate_name = Some(generate_name.to_string());
    pod.metadata.namespace = owner.metadata.namespace.clone();
    let meta = &template["metadata"];
    pod.metadata.labels = serde_json::from_value(meta["labels"].clone()).ok();
    pod.metadata.annotations = serde_json::from_value(meta["annotations"].clone()).ok();
    pod.metadata.owner_references = Some(vec![controller_ref(owner)]);
    pod.body.insert("spec".into(), template["spec"].clone());
    pod
}

/// `syncReplicaSet`: claim pods, create or delete to match replicas, write status. A failed
/// creation is reported in status (ReplicaFailure) and then returned, so the work queue
/// retries with back-off, as upstream's does.
pub fn sync_replica_set(ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
    let Some(rs) = ctx.store().get_key(key).cloned() else { return Ok(Action::AwaitChange) };
    if rs.metadata.deletion_timestamp.is_some() {
        return Ok(Action::AwaitChange);
    }
    let selector = selector_of(&rs);
    // Keys, not objects: a set may own thousands of pods and syncs on each of their events.
    let active = claim_pods(ctx, &rs, &selector);
    let wanted = rs.field("spec.replicas").and_then(Value::as_u64).unwrap_or(1) as usize;
    let failure = manage_replicas(ctx, &rs, &active, wanted);
    let action = update_status(ctx, key, failure.as_ref().map(|e| format!("Error creating: {e}")))?;
    match failure {
        Some(e) => Err(e),
        None => Ok(action),
    }
}

/// Adopts orphans that match, releases owned pods that no longer match; returns the active
/// pods this ReplicaSet now owns.
fn claim_pods(ctx: &mut Ctx, rs: &Object, selector: &Value) -> Vec<ObjectKey> {
    // One pass over the namespace's pods, by reference: a namespace may hold thousands of
    // pods and this runs on each of their events. Only orphans that match and owned pods
    // that stopped matching need a write, and only those are cloned.
    let mut active = Vec::new();
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    for pod in ctx.store().list("Pod", rs.namespace()) {
        match controller_of(pod) {
            Some(r) if r.uid == rs.uid() => {
                if !matches_label_selector(selector, labels(pod)) {
                    release.push(ObjectKey::of(pod))
                } else if is_active(pod) {
                    active.push(ObjectKey::of(pod))
                }
            }
            None if pod.metadata.deletion_timestamp.is_none() && matches_label_selector(selector, labels(pod)) => {
                adopt.push(ObjectKey::of(pod))
            }
            _ => {}
        }
    }
    // A pod that changed or went since it was listed is skipped: its watch event queues this
    // set again (upstream's claim also gives up on a conflict).
    for key in release {
        let Some(mut pod) = ctx.store().get_key(&key).cloned() else { continue };
        // Release: the pod no longer matches (relabelled by hand).
        if let Some(refs) = pod.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != rs.uid());
        }
        pod.metadata.resource_version = None;
        let _ = ctx.update_status(pod);
    }
    for key in adopt {
        let Some(mut pod) = ctx.store().get_key(&key).cloned() else { continue };
        pod.metadata.owner_references.get_or_insert_with(Vec::new).push(controller_ref(rs));
        pod.metadata.resource_version = None;
        if ctx.update_status(pod).is_ok() && ctx.store().get_key(&key).is_some_and(is_active) {
            active.push(key);
        }
    }
    active
}

/// The pods `rs` controls, from the owner index.
fn owned_pods<'a>(store: &'a Store, rs: &Object) -> Vec<&'a Object> {
    store
        .dependents(rs.uid())
        .filter(|k| k.kind == "Pod")
        .filter_map(|k| store.get_key(k))
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == rs.uid()))
        .collect()
}

/// Creates or deletes pods; returns the error of a failed creation, for ReplicaFailure.
fn manage_replicas(ctx: &mut Ctx, rs: &Object, active: &[ObjectKey], wanted: usize) -> Option<Error> {
    let have = active.len();
    if have < wanted {
        let template = rs.field("spec.template").cloned().unwrap_or(Value::Null);
        let prefix = format!("{}-", rs.name());
        for _ in 0..(wanted - have).min(BURST_REPLICAS) {
            match ctx.create(pod_from_template(rs, &template, &prefix)) {
                Ok(pod) => {
                    let msg = format!("Created pod: {}", pod.name());
                    ctx.record(rs, EventType::Normal, "SuccessfulCreate", &msg);
                }
                Err(e) => {
                    let msg = format!("Error creating: {e}");
                    ctx.record(rs, EventType::Warning, "FailedCreate", &msg);
                    return Some(Error::Api(e));
                }
            }
        }
    } else if have > wanted {
        let store = ctx.store();
        let mut victims: Vec<Object> = active.iter().filter_map(|k| store.get_key(k)).cloned().collect();
        victims.sort_by(deletion_order);
        for pod in victims.into_iter().take((have - wanted).min(BURST_REPLICAS)) {
            // A pod already gone needs no deletion; its event queues this set again.
            if ctx.delete("Pod", pod.namespace(), pod.name(), Propagation::Background).is_ok() {
                let msg = format!("Deleted pod: {}", pod.name());
                ctx.record(rs, EventType::Normal, "SuccessfulDelete", &msg);
            }
        }
    }
    None
}

/// Writes the counts and the ReplicaFailure condition; asks to come back when a ready pod
/// will have been ready for `minReadySeconds` (it becomes available then, with no event).
fn update_status(ctx: &mut Ctx, key: &ObjectKey, failure: Option<String>) -> Result<Action> {
    let Some(mut rs) = ctx.store().get_key(key).cloned() else { return Ok(Action::AwaitChange) };
    let now = ctx.now();
    let min_ready = rs.field("spec.minReadySeconds").and_then(Value::as_u64).unwrap_or(0);
    let template_labels: BTreeMap<String, String> =
        serde_json::from_value(rs.field("spec.template.metadata.labels").cloned().unwrap_or(Value::Null))
            .unwrap_or_default();
    // One pass over the owned pods, each pod's Ready condition looked up once.
    let (mut replicas, mut fully_labeled, mut ready, mut available) = (0usize, 0usize, 0usize, 0usize);
    let mut due: Option<SimTime> = None;
    for pod in owned_pods(ctx.store(), &rs).into_iter().filter(|p| is_active(p)) {
        replicas += 1;
        let pod_labels = labels(pod);
        if template_labels.iter().all(|(k, v)| pod_labels.get(k) == Some(v)) {
            fully_labeled += 1;
        }
        let Some(since) = ready_since(pod) else { continue };
        ready += 1;
        let at = since + Duration::from_secs(min_ready);
        if now.since(since).as_secs() >= min_ready {
            available += 1;
        }
        if at > now {
            due = Some(due.map_or(at, |d| d.min(at)));
        }
    }
    let mut status = json!({
        "replicas": replicas,
        "fullyLabeledReplicas": fully_labeled,
        "readyReplicas": ready,
        "availableReplicas": available,
        "observedGeneration": rs.metadata.generation.unwrap_or(1),
    });
    // Upstream omits zero counts.
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| k == "replicas" || v != &json!(0));
    }
    if let Some(msg) = failure {
        status["conditions"] = json!([{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                                       "message": msg, "lastTransitionTime": now.to_rfc3339()}]);
    }
    if rs.body.get("status") != Some(&status) {
        rs.body.insert("status".into(), status);
        rs.metadata.resource_version = None;
        ctx.update_status(rs)?;
    }
    Ok(due.map_or(Action::AwaitChange, |at| Action::requeue(at.since(now))))
}

#[cfg(test)]
mod tests;
