//! The Deployment controller (upstream `pkg/controller/deployment`): one ReplicaSet per pod
//! template, rolled from old to new by the RollingUpdate or Recreate strategy, with revisions,
//! pause, proportional scaling, history cleanup and the Available / Progressing conditions.
//!
//! Split as upstream: this file holds wiring, `sync_deployment` and status; `rolling.rs` and
//! `recreate.rs` the strategies; `util.rs` the pure arithmetic.

pub mod recreate;
pub mod rolling;
pub mod util;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Reconciler, Result};
use super::replicaset::{controller_of, controller_ref};
use crate::sim::api::conditions::set_deployment_condition;
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::store::{ObjectKey, Store, WatchEvent, WatchEventType};
use crate::sim::time::parse_time;
use util::{DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION};

/// The Deployment controller (`deployment`): a Deployment and the ReplicaSets it controls.
pub struct Deployments;

/// The one Deployment controller.
pub static DEPLOYMENTS: Deployments = Deployments;

impl Reconciler for Deployments {
    fn name(&self) -> &'static str {
        "deployment"
    }

    fn component(&self) -> &'static str {
        "deployment-controller"
    }

    fn kind(&self) -> &'static str {
        "Deployment"
    }

    fn owns(&self) -> &'static [&'static str] {
        &["ReplicaSet"]
    }

    /// A deleted pod queues the owner of its ReplicaSet (Recreate waits for old pods to go).
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        if o.kind != "Pod" || ev.event_type != WatchEventType::Deleted {
            return Vec::new();
        }
        let ns = o.namespace().unwrap_or("");
        controller_of(o)
            .filter(|r| r.kind == "ReplicaSet")
            .and_then(|r| store.get("ReplicaSet", Some(ns), &r.name))
            .and_then(controller_of)
            .filter(|r| r.kind == "Deployment")
            .map(|r| ObjectKey { kind: "Deployment".into(), namespace: ns.into(), name: r.name.clone() })
            .into_iter()
            .collect()
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        Ok(sync_deployment(ctx, key))
    }
}

fn int(o: &Object, path: &str, default: i64) -> i64 {
    o.field(path).and_then(Value::as_i64).unwrap_or(default)
}

/// `spec.replicas` of a ReplicaSet or Deployment.
pub fn replicas(o: &Object) -> i64 {
    int(o, "spec.replicas", 1)
}

fn annotation(o: &Object, key: &str) -> Option<String> {
    o.metadata.annotations.as_ref()?.get(key).cloned()
}

/// A ReplicaSet's revision number.
pub fn revision(rs: &Object) -> i64 {
    annotation(rs, REVISION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// The template without the pod-template-hash label (and without null fields, which mean
/// what absent ones do), for comparing RS and Deployment templates.
fn template_sans_hash(o: &Object) -> Value {
    let mut t = o.field("spec.template").map(crate::sim::api::without_nulls).unwrap_or(Value::Null);
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove(POD_TEMPLATE_HASH);
    }
    t
}

/// The ReplicaSets `d` controls, oldest first.
pub fn owned_replica_sets(store: &Store, d: &Object) -> Vec<Object> {
    let mut list: Vec<Object> = store
        .list("ReplicaSet", d.namespace())
        .filter(|rs| controller_of(rs).is_some_and(|r| r.uid == d.uid()))
        .cloned()
        .collect();
    list.sort_by_key(|rs| (rs.metadata.creation_timestamp.as_ref().map(|t| t.0), rs.name().to_string()));
    list
}

/// `syncDeployment`.
pub fn sync_deployment(ctx: &mut Ctx, key: &ObjectKey) -> Action {
    let Some(d) = ctx.store().get_key(key).cloned() else { return Action::AwaitChange };
    if d.metadata.deletion_timestamp.is_some() {
        return Action::AwaitChange;
    }
    let all = owned_replica_sets(ctx.store(), &d);
    let template = template_sans_hash(&d);
    let new_rs = all.iter().find(|rs| template_sans_hash(rs) == template).cloned();
    let old: Vec<Object> =
        all.iter().filter(|rs| Some(rs.uid()) != new_rs.as_ref().map(|n| n.uid())).cloned().collect();
    let paused = d.field("spec.paused").and_then(Value::as_bool) == Some(true);
    if paused || is_scaling_event(&d, new_rs.as_ref(), &old) {
        scale_proportionally(ctx, &d, new_rs.as_ref(), &old);
        return sync_status(ctx, key, paused);
    }
    match d.field("spec.strategy.type").and_then(Value::as_str) {
        Some("Recreate") => recreate::rollout_recreate(ctx, &d, new_rs, &old),
        _ => rolling::rollout_rolling(ctx, &d, new_rs, &old),
    }
    sync_status(ctx, key, false)
}

/// The new ReplicaSet for `d`'s template, created if missing (with `replicas`), its
/// revision brought up to date.
pub fn get_new_replica_set(
    ctx: &mut Ctx,
    d: &Object,
    existing: Option<Object>,
    old: &[Object],
    initial: i64,
) -> Option<Object> {
    let next_revision = old.iter().map(revision).max().unwrap_or(0) + 1;
    if let Some(rs) = existing {
        let rev = revision(&rs);
        let mut updated = rs.clone();
        let ann = updated.metadata.annotations.get_or_insert_with(BTreeMap::new);
        let mut changed = copy_annotations(d, ann);
        let rolled_back = rev < next_revision && !old.is_empty() && old.iter().any(|o| revision(o) > rev);
        if rolled_back {
            // An old template came back (rollout undo): it takes the next revision, and keeps
            // the ones it had in `deployment.kubernetes.io/revision-history`.
            ann.insert(REVISION.into(), next_revision.to_string());
            if rev > 0 {
                remember_revision(ann, rev);
            }
            changed = true;
        }
        if !changed {
            set_deployment_revision(ctx, d, rev.max(1));
            return Some(rs);
        }
        updated.metadata.resource_version = None;
        set_deployment_revision(ctx, d, if rolled_back { next_revision } else { rev.max(1) });
        return ctx.update(updated).ok();
    }
    let template = d.field("spec.template").cloned().unwrap_or(Value::Null);
    let collisions = int(d, "status.collisionCount", 0) as u32;
    let hash = util::pod_template_hash(&template, collisions);
    let mut rs = Object::new("apps/v1", "ReplicaSet", &format!("{}-{hash}", d.name()));
    rs.metadata.namespace = d.metadata.namespace.clone();
    let mut labels: BTreeMap<String, String> =
        serde_json::from_value(template["metadata"]["labels"].clone()).unwrap_or_default();
    labels.insert(POD_TEMPLATE_HASH.into(), hash.clone());
    rs.metadata.labels = Some(labels.clone());
    let desired = replicas(d);
    let (surge, _) = fenceposts(d);
    let mut ann = BTreeMap::new();
    copy_annotations(d, &mut ann);
    ann.insert(DESIRED_REPLICAS.to_string(), desired.to_string());
    ann.insert(MAX_REPLICAS.to_string(), (desired + surge).to_string());
    ann.insert(REVISION.to_string(), next_revision.to_string());
    rs.metadata.annotations = Some(ann);
    rs.metadata.owner_references = Some(vec![controller_ref(d)]);
    let mut tpl = template.clone();
    tpl["metadata"]["labels"] = json!(labels);
    let mut selector = d.field("spec.selector").cloned().unwrap_or(json!({}));
    selector["matchLabels"][POD_TEMPLATE_HASH] = json!(hash);
    let mut spec = json!({"replicas": initial, "selector": selector, "template": tpl});
    if let Some(m) = d.field("spec.minReadySeconds") {
        spec["minReadySeconds"] = m.clone();
    }
    rs.body.insert("spec".into(), spec);
    let created = ctx.create(rs).ok()?;
    if initial > 0 {
        let msg = format!("Scaled up replica set {} from 0 to {initial}", created.name());
        ctx.record(d, EventType::Normal, "ScalingReplicaSet", &msg);
    }
    set_deployment_revision(ctx, d, next_revision);
    set_progressing(ctx, d, "True", "NewReplicaSetCreated", &format!("Created new replica set \"{}\"", created.name()));
    Some(created)
}

/// Annotations of a Deployment its ReplicaSets never take (upstream `annotationsToSkip`).
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";

/// The longest `revision-history` value kept (upstream's default, in characters).
const MAX_REVISION_HISTORY_CHARS: usize = 2000;

/// Copies `d`'s annotations (such as `kubernetes.io/change-cause`) onto its new ReplicaSet's,
/// as upstream's `copyDeploymentAnnotationsToReplicaSet`; returns whether any changed.
fn copy_annotations(d: &Object, rs_annotations: &mut BTreeMap<String, String>) -> bool {
    let mut changed = false;
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if NOT_COPIED.contains(&k.as_str()) || rs_annotations.get(k) == Some(v) {
            continue;
        }
        rs_annotations.insert(k.clone(), v.clone());
        changed = true;
    }
    changed
}

/// Appends `old` to the ReplicaSet's `revision-history`, dropping the oldest entries when the
/// list would grow past [`MAX_REVISION_HISTORY_CHARS`].
fn remember_revision(ann: &mut BTreeMap<String, String>, old: i64) {
    let old = old.to_string();
    let history = ann.get(REVISION_HISTORY).cloned().unwrap_or_default();
    if history.is_empty() {
        ann.insert(REVISION_HISTORY.into(), old);
        return;
    }
    let mut revs: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    while total > MAX_REVISION_HISTORY_CHARS && !revs.is_empty() {
        total -= revs.remove(0).len() + 1;
    }
    if total <= MAX_REVISION_HISTORY_CHARS {
        revs.push(&old);
        let joined = revs.join(",");
        ann.insert(REVISION_HISTORY.into(), joined);
    }
}

fn set_deployment_revision(ctx: &mut Ctx, d: &Object, rev: i64) {
    let Some(mut current) = ctx.store().get_key(&ObjectKey::of(d)).cloned() else { return };
    if annotation(&current, REVISION) == Some(rev.to_string()) {
        return;
    }
    current.metadata.annotations.get_or_insert_with(BTreeMap::new).insert(REVISION.into(), rev.to_string());
    current.metadata.resource_version = None;
    let _ = ctx.update_status(current);
}

/// (maxSurge, maxUnavailable) of a RollingUpdate Deployment (0, 0 for Recreate).
pub fn fenceposts(d: &Object) -> (i64, i64) {
    if d.field("spec.strategy.type").and_then(Value::as_str) == Some("Recreate") {
        return (0, 0);
    }
    let ru = d.field("spec.strategy.rollingUpdate").cloned().unwrap_or(Value::Null);
    util::resolve_fenceposts(&ru["maxSurge"], &ru["maxUnavailable"], replicas(d))
}

/// Scales one ReplicaSet, with the upstream event; returns whether it changed.
pub fn scale(ctx: &mut Ctx, d: &Object, rs: &Object, to: i64) -> bool {
    let from = replicas(rs);
    let desired = replicas(d).to_string();
    let Some(mut current) = ctx.store().get_key(&ObjectKey::of(rs)).cloned() else { return false };
    let annotations_ok = annotation(&current, DESIRED_REPLICAS) == Some(desired.clone());
    if from == to && annotations_ok {
        return false;
    }
    if let Some(spec) = current.body.get_mut("spec") {
        spec["replicas"] = json!(to);
    }
    let (surge, _) = fenceposts(d);
    let ann = current.metadata.annotations.get_or_insert_with(BTreeMap::new);
    ann.insert(DESIRED_REPLICAS.into(), desired);
    ann.insert(MAX_REPLICAS.into(), (replicas(d) + surge).to_string());
    current.metadata.resource_version = None;
    if ctx.update(current).is_err() || from == to {
        return false;
    }
    let dir = if to > from { "up" } else { "down" };
    let msg = format!("Scaled {dir} replica set {} from {from} to {to}", rs.name());
    ctx.record(d, EventType::Normal, "ScalingReplicaSet", &msg);
    true
}

/// A scaling event: the Deployment's replicas changed since its active ReplicaSets were sized.
fn is_scaling_event(d: &Object, new_rs: Option<&Object>, old: &[Object]) -> bool {
    let desired = replicas(d).to_string();
    new_rs
        .into_iter()
        .chain(old.iter())
        .filter(|rs| replicas(rs) > 0)
        .any(|rs| annotation(rs, DESIRED_REPLICAS).is_some_and(|a| a != desired))
}

/// Proportional scaling: when replicas change mid-rollout, the difference is shared among the
/// active ReplicaSets in proportion to their size (the rest to the newest), so that the
/// rollout keeps its shape.
fn scale_proportionally(ctx: &mut Ctx, d: &Object, new_rs: Option<&Object>, old: &[Object]) {
    let active: Vec<Object> =
        new_rs.into_iter().cloned().chain(old.iter().cloned()).filter(|rs| replicas(rs) > 0).collect();
    let desired = replicas(d);
    if active.len() <= 1 {
        let target = active.first().cloned().or_else(|| new_rs.cloned());
        if let Some(rs) = target {
            scale(ctx, d, &rs, desired);
        }
        return;
    }
    let (surge, _) = fenceposts(d);
    let allowed = desired + surge;
    let current: i64 = active.iter().map(replicas).sum();
    let to_add = allowed - current;
    let mut targets: Vec<(Object, i64)> = active.iter().map(|rs| (rs.clone(), replicas(rs))).collect();
    let mut left = to_add;
    for (rs, n) in targets.iter_mut() {
        let share = if current == 0 { 0 } else { to_add * replicas(rs) / current };
        let share = if to_add < 0 { share.max(-*n) } else { share };
        *n += share;
        left -= share;
    }
    // The leftover goes to the newest (first) when growing, the oldest when shrinking.
    let idx = if left > 0 { 0 } else { targets.len() - 1 };
    targets[idx].1 = (targets[idx].1 + left).max(0);
    for (rs, n) in targets {
        scale(ctx, d, &rs, n);
    }
}

/// Deletes old ReplicaSets with no pods beyond `revisionHistoryLimit`, oldest first.
pub fn cleanup_deployment(ctx: &mut Ctx, d: &Object, old: &[Object]) {
    let limit = int(d, "spec.revisionHistoryLimit", 10).max(0) as usize;
    let idle: Vec<&Object> = old.iter().filter(|rs| replicas(rs) == 0 && int(rs, "status.replicas", 0) == 0).collect();
    if idle.len() <= limit {
        return;
    }
    let mut by_revision = idle;
    by_revision.sort_by_key(|rs| revision(rs));
    let excess = by_revision.len() - limit;
    for rs in by_revision.into_iter().take(excess) {
        let _ = ctx.delete("ReplicaSet", rs.namespace(), rs.name(), Propagation::Background);
    }
}

fn now_text(ctx: &Ctx) -> String {
    ctx.now().to_rfc3339()
}

/// Sets the Progressing condition (keeping its transition time when the status is unchanged).
fn set_progressing(ctx: &mut Ctx, d: &Object, status: &str, reason: &str, message: &str) {
    let Some(mut current) = ctx.store().get_key(&ObjectKey::of(d)).cloned() else { return };
    let now = now_text(ctx);
    set_deployment_condition(&mut current, "Progressing", status, reason, message, &now);
    current.metadata.resource_version = None;
    let _ = ctx.update_status(current);
}

/// `syncRolloutStatus`: counts from the ReplicaSets, Available and Progressing conditions,
/// and a wake-up at the progress deadline.
/// Writes the Deployment's status; asks to look again just after its progress deadline while a
/// rollout is under way.
fn sync_status(ctx: &mut Ctx, key: &ObjectKey, paused: bool) -> Action {
    let Some(mut d) = ctx.store().get_key(key).cloned() else { return Action::AwaitChange };
    let mut action = Action::AwaitChange;
    let all = owned_replica_sets(ctx.store(), &d);
    let template = template_sans_hash(&d);
    let new_rs = all.iter().find(|rs| template_sans_hash(rs) == template);
    let sum = |path: &str| all.iter().map(|rs| int(rs, path, 0)).sum::<i64>();
    let desired = replicas(&d);
    let (total, ready, available) =
        (sum("status.replicas"), sum("status.readyReplicas"), sum("status.availableReplicas"));
    let updated = new_rs.map_or(0, |rs| int(rs, "status.replicas", 0));
    let old_status = d.body.get("status").cloned().unwrap_or(json!({}));
    let mut status = json!({"observedGeneration": d.metadata.generation.unwrap_or(1), "replicas": total,
                            "updatedReplicas": updated, "readyReplicas": ready, "availableReplicas": available});
    if desired - available > 0 {
        status["unavailableReplicas"] = json!(desired - available);
    }
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| k == "observedGeneration" || v != &json!(0));
    }
    if let Some(c) = old_status.get("conditions") {
        status["conditions"] = c.clone();
    }
    if let Some(c) = old_status.get("collisionCount") {
        status["collisionCount"] = c.clone();
    }
    d.body.insert("status".into(), status);
    let now = now_text(ctx);
    let (_, max_unavailable) = fenceposts(&d);
    if available >= desired - max_unavailable {
        set_deployment_condition(
            &mut d,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            &now,
        );
    } else {
        set_deployment_condition(
            &mut d,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            &now,
        );
    }
    let rs_name = new_rs.map(|rs| rs.name().to_string()).unwrap_or_default();
    let complete = updated == desired && available == desired && total == desired && new_rs.is_some();
    let deadline = int(&d, "spec.progressDeadlineSeconds", 600).max(0) as u64;
    let progressing = d
        .field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Progressing").cloned());
    if paused {
        set_deployment_condition(&mut d, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", &now);
    } else if complete {
        set_deployment_condition(
            &mut d,
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            &format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
            &now,
        );
    } else if progressing.as_ref().is_some_and(|c| c["reason"] == "ProgressDeadlineExceeded") {
        // Stays timed out until the Deployment changes.
    } else {
        let made_progress = ["updatedReplicas", "readyReplicas", "availableReplicas"]
            .iter()
            .any(|k| d.body["status"][k].as_i64().unwrap_or(0) > old_status[k].as_i64().unwrap_or(0))
            || total < old_status["replicas"].as_i64().unwrap_or(0);
        let last_update = progressing.as_ref().and_then(|c| c["lastUpdateTime"].as_str()).and_then(parse_time);
        let timed_out =
            !made_progress && last_update.is_some_and(|t| ctx.now().since(t) > Duration::from_secs(deadline));
        if timed_out {
            set_deployment_condition(
                &mut d,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                &format!("ReplicaSet \"{rs_name}\" has timed out progressing."),
                &now,
            );
        } else if made_progress || progressing.is_none() {
            set_deployment_condition(
                &mut d,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                &format!("ReplicaSet \"{rs_name}\" is progressing."),
                &now,
            );
        }
        // Look again just after the deadline, in case nothing else happens before it.
        let since = last_update.map_or(Duration::ZERO, |t| ctx.now().since(t));
        let wait = Duration::from_secs(deadline + 1).saturating_sub(since);
        action = Action::RequeueAfter(wait);
    }
    let before = ctx.store().get_key(key).and_then(|o| o.body.get("status").cloned());
    if before.as_ref() == d.body.get("status") {
        return action;
    }
    d.metadata.resource_version = None;
    let _ = ctx.update_status(d);
    action
}

#[cfg(test)]
mod tests;
