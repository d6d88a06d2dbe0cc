//! The StatefulSet controller (upstream `pkg/controller/statefulset`): pods with stable names
//! `<set>-0`, `<set>-1`, … created in order (OrderedReady) or together (Parallel), removed from
//! the highest ordinal down, a PersistentVolumeClaim per pod from `volumeClaimTemplates`, and
//! rolling updates from the highest ordinal down to the partition.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::context::Ctx;
use super::history::{self, REVISION_LABEL};
use super::reconciler::{Action, Reconciler, Result};
use super::replicaset::{adopt_orphans, controller_of, controller_ref, may_adopt, pod_from_template};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::store::{ObjectKey, Store, WatchEvent};

/// The StatefulSet controller (`statefulset`): a StatefulSet and the pods it controls.
pub struct StatefulSets;

/// The one StatefulSet controller.
pub static STATEFUL_SETS: StatefulSets = StatefulSets;

impl Reconciler for StatefulSets {
    fn name(&self) -> &'static str {
        "statefulset"
    }

    fn component(&self) -> &'static str {
        "statefulset-controller"
    }

    fn kind(&self) -> &'static str {
        "StatefulSet"
    }

    fn owns(&self) -> &'static [&'static str] {
        &["Pod"]
    }

    /// An orphan pod queues the sets whose selector may adopt it.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        match ev.object.kind.as_str() {
            "Pod" => may_adopt(store, "StatefulSet", &ev.object),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        sync_stateful_set(ctx, key);
        Ok(Action::AwaitChange)
    }
}

fn ready(p: &Object) -> bool {
    crate::sim::api::conditions::is_ready(p)
}

fn ordinal(set: &Object, pod: &Object) -> Option<i64> {
    pod.name().strip_prefix(&format!("{}-", set.name()))?.parse().ok()
}

/// `sync_stateful_set`: one step towards the wanted pods, in order.
pub fn sync_stateful_set(ctx: &mut Ctx, key: &ObjectKey) {
    let Some(set) = ctx.store().get_key(key).cloned() else { return };
    if set.metadata.deletion_timestamp.is_some() {
        return;
    }
    let replicas = set.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let parallel = set.field("spec.podManagementPolicy").and_then(Value::as_str) == Some("Parallel");
    // Upstream's `isMemberOf`: the name `<set>-<ordinal>` too.
    adopt_orphans(ctx, &set, |p| ordinal(&set, p).is_some());
    let template = set.field("spec.template").cloned().unwrap_or(Value::Null);
    let revision = match history::sync_update_revision(ctx, &set) {
        Some(r) => r.name().to_string(),
        None => format!("{}-{}", set.name(), history::hash_of(&set)),
    };
    // The current revision's template, for pods below the partition (upstream
    // `newVersionedStatefulSetPod`): a deleted pod there comes back as it was.
    let current = set.field("status.currentRevision").and_then(Value::as_str).map(str::to_string);
    let current_template = current
        .as_deref()
        .and_then(|c| history::revisions_of(ctx.store(), &set).into_iter().find(|r| r.name() == c))
        .map(|r| history::template_of(&r));
    let rolling_update = set.field("spec.updateStrategy.rollingUpdate").filter(|v| v.is_object());
    let partition = rolling_update.and_then(|ru| ru["partition"].as_i64()).unwrap_or(0);
    let current_replicas = set.field("status.currentReplicas").and_then(Value::as_i64).unwrap_or(0);
    let rolling_type = set.field("spec.updateStrategy.type").and_then(Value::as_str) != Some("OnDelete");
    let at_current = |i: i64| match rolling_update {
        Some(_) => i < partition,
        None => rolling_type && i < current_replicas,
    };
    let pods: BTreeMap<i64, Object> = ctx
        .store()
        .list("Pod", set.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == set.uid()))
        .filter_map(|p| ordinal(&set, p).map(|o| (o, p.clone())))
        .collect();
    let mut blocked = false;
    // Create missing pods in order; OrderedReady waits for each to be Running and Ready.
    for i in 0..replicas {
        match pods.get(&i) {
            Some(p) if p.metadata.deletion_timestamp.is_some() => blocked = !parallel,
            Some(p) if !ready(p) && !parallel => blocked = true,
            Some(_) => {}
            None => {
                match (&current, &current_template) {
                    (Some(c), Some(t)) if at_current(i) => create_pod(ctx, &set, t, c, i),
                    _ => create_pod(ctx, &set, &template, &revision, i),
                }
                blocked = !parallel;
            }
        }
        if blocked {
            break;
        }
    }
    // Remove surplus pods from the highest ordinal, one at a time unless Parallel.
    if !blocked {
        for (&i, p) in pods.iter().rev().filter(|(i, _)| **i >= replicas) {
            if p.metadata.deletion_timestamp.is_none() {
                delete_pod(ctx, &set, p);
                let _ = i;
            }
            if !parallel {
                blocked = true;
                break;
            }
        }
    }
    // Rolling update: from the highest ordinal down to the partition, one pod at a time.
    if !blocked && rolling_type {
        let all_ready =
            (0..replicas).all(|i| pods.get(&i).is_some_and(|p| ready(p) && p.metadata.deletion_timestamp.is_none()));
        if all_ready {
            if let Some((_, old)) = pods
                .iter()
                .rev()
                .find(|(i, p)| **i >= partition && **i < replicas && p.label(REVISION_LABEL) != Some(revision.as_str()))
            {
                delete_pod(ctx, &set, old);
            }
        }
    }
    write_status(ctx, key, &revision);
}

fn create_pod(ctx: &mut Ctx, set: &Object, template: &Value, revision: &str, i: i64) {
    let name = format!("{}-{i}", set.name());
    // One claim per template per pod, kept when the pod is replaced.
    for claim in set.field("spec.volumeClaimTemplates").and_then(Value::as_array).cloned().unwrap_or_default() {
        let claim_name = format!("{}-{name}", claim["metadata"]["name"].as_str().unwrap_or("data"));
        if ctx.store().get("PersistentVolumeClaim", set.namespace(), &claim_name).is_some() {
            continue;
        }
        let mut pvc = Object::new("v1", "PersistentVolumeClaim", &claim_name);
        pvc.metadata.namespace = set.metadata.namespace.clone();
        // The template's labels and annotations, and the set's matchLabels over them
        // (upstream `getPersistentVolumeClaims`).
        let mut labels: BTreeMap<String, String> =
            serde_json::from_value(claim["metadata"]["labels"].clone()).unwrap_or_default();
        let match_labels: BTreeMap<String, String> = set
            .field("spec.selector.matchLabels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .unwrap_or_default();
        labels.extend(match_labels);
        pvc.metadata.labels = (!labels.is_empty()).then_some(labels);
        pvc.metadata.annotations = serde_json::from_value(claim["metadata"]["annotations"].clone()).ok();
        pvc.body.insert("spec".into(), claim["spec"].clone());
        if ctx.create(pvc).is_ok() {
            let msg = format!("create Claim {claim_name} Pod {name} in StatefulSet {} success", set.name());
            ctx.record(set, EventType::Normal, "SuccessfulCreate", &msg);
        }
    }
    let mut pod = pod_from_template(set, template, "");
    pod.metadata.generate_name = None;
    pod.metadata.name = Some(name.clone());
    pod.metadata.owner_references = Some(vec![controller_ref(set)]);
    let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
    labels.insert(REVISION_LABEL.into(), revision.into());
    labels.insert("statefulset.kubernetes.io/pod-name".into(), name.clone());
    labels.insert("apps.kubernetes.io/pod-index".into(), i.to_string());
    let service = set.field("spec.serviceName").and_then(Value::as_str).unwrap_or("").to_string();
    let claims = set.field("spec.volumeClaimTemplates").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(spec) = pod.body.get_mut("spec") {
        spec["hostname"] = json!(name);
        if !service.is_empty() {
            spec["subdomain"] = json!(service);
        }
        let volumes = spec.as_object_mut().expect("pod spec").entry("volumes").or_insert_with(|| json!([]));
        for claim in claims {
            let vol = claim["metadata"]["name"].as_str().unwrap_or("data").to_string();
            if let Some(list) = volumes.as_array_mut() {
                list.retain(|v| v["name"] != vol.as_str());
                list.push(json!({"name": vol, "persistentVolumeClaim": {"claimName": format!("{vol}-{name}")}}));
            }
        }
    }
    match ctx.create(pod) {
        Ok(_) => {
            let msg = format!("create Pod {name} in StatefulSet {} successful", set.name());
            ctx.record(set, EventType::Normal, "SuccessfulCreate", &msg);
        }
        Err(e) => {
            let msg = format!("create Pod {name} in StatefulSet {} failed error: {e}", set.name());
            ctx.record(set, EventType::Warning, "FailedCreate", &msg);
        }
    }
}

fn delete_pod(ctx: &mut Ctx, set: &Object, pod: &Object) {
    if ctx.delete("Pod", pod.namespace(), pod.name(), Propagation::Background).is_ok() {
        let msg = format!("delete Pod {} in StatefulSet {} successful", pod.name(), set.name());
        ctx.record(set, EventType::Normal, "SuccessfulDelete", &msg);
    }
}

fn write_status(ctx: &mut Ctx, key: &ObjectKey, revision: &str) {
    let Some(mut set) = ctx.store().get_key(key).cloned() else { return };
    let pods: Vec<Object> = ctx
        .store()
        .list("Pod", set.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == set.uid()) && p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    let ready_n = pods.iter().filter(|p| ready(p)).count();
    let updated = pods.iter().filter(|p| p.label(REVISION_LABEL) == Some(revision)).count();
    let old_current = set.field("status.currentRevision").and_then(Value::as_str).map(str::to_string);
    let replicas = set.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1) as usize;
    let current_revision = if updated == replicas && ready_n == replicas {
        revision.to_string()
    } else {
        old_current.unwrap_or(revision.to_string())
    };
    let current = pods.iter().filter(|p| p.label(REVISION_LABEL) == Some(current_revision.as_str())).count();
    let mut status = json!({"replicas": pods.len(), "readyReplicas": ready_n, "currentReplicas": current, "updatedReplicas": updated,
                            "availableReplicas": ready_n, "currentRevision": current_revision, "updateRevision": revision,
                            "collisionCount": 0, "observedGeneration": set.metadata.generation.unwrap_or(1)});
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| {
            !matches!(k.as_str(), "readyReplicas" | "currentReplicas" | "updatedReplicas") || v != &json!(0)
        });
    }
    if set.body.get("status") == Some(&status) {
        return;
    }
    set.body.insert("status".into(), status);
    set.metadata.resource_version = None;
    let _ = ctx.update_status(set);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::manifest;
    use crate::sim::events;
    use crate::sim::{Sim, SimConfig};

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 3\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: db\n        image: nginx:1.27\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n";

    fn pod_names(sim: &Sim) -> Vec<String> {
        sim.store()
            .list("Pod", Some("default"))
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .map(|p| p.name().to_string())
            .collect()
    }

    #[test]
    fn ordered_ready_creates_one_pod_at_a_time_with_stable_names_and_claims() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(STS).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_millis(500));
        assert_eq!(pod_names(&sim), ["db-0"], "db-1 waits for db-0 to be Ready");
        sim.advance(Duration::from_secs(20));
        assert_eq!(pod_names(&sim), ["db-0", "db-1", "db-2"]);
        let claims: Vec<String> =
            sim.store().list("PersistentVolumeClaim", Some("default")).map(|c| c.name().to_string()).collect();
        assert_eq!(claims, ["data-db-0", "data-db-1", "data-db-2"]);
        let p = sim.store().get("Pod", Some("default"), "db-1").unwrap();
        assert_eq!((p.field("spec.hostname"), p.field("spec.subdomain")), (Some(&json!("db-1")), Some(&json!("db"))));
    }

    #[test]
    fn scale_down_removes_the_highest_ordinal_first_and_keeps_claims() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(STS).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(20));
        let body = json!({"spec": {"replicas": 1}});
        crate::sim::apiserver::patch(
            &mut sim,
            "StatefulSet",
            Some("default"),
            "db",
            crate::sim::apiserver::patch::PatchType::Merge,
            &body,
        )
        .unwrap();
        sim.advance(Duration::from_secs(5));
        assert_eq!(pod_names(&sim), ["db-0"]);
        let set = sim.store().get("StatefulSet", Some("default"), "db").unwrap().clone();
        let deletes: Vec<Value> = events::about(&sim, set.uid())
            .into_iter()
            .filter(|e| e.body["reason"] == "SuccessfulDelete")
            .map(|e| e.body["message"].clone())
            .collect();
        assert_eq!(
            deletes,
            [
                json!("delete Pod db-2 in StatefulSet db successful"),
                json!("delete Pod db-1 in StatefulSet db successful")
            ]
        );
        assert_eq!(sim.store().list("PersistentVolumeClaim", Some("default")).count(), 3);
    }

    #[test]
    fn rolling_update_respects_the_partition() {
        let mut sim = Sim::new(SimConfig::default());
        let with_partition = STS.replace(
            "  serviceName: db\n",
            "  serviceName: db\n  updateStrategy:\n    rollingUpdate: {partition: 1}\n",
        );
        sim.create(manifest::parse(&with_partition).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(20));
        let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "db", "image": "nginx:1.28"}]}}}});
        crate::sim::apiserver::patch(
            &mut sim,
            "StatefulSet",
            Some("default"),
            "db",
            crate::sim::apiserver::patch::PatchType::Strategic,
            &body,
        )
        .unwrap();
        sim.advance(Duration::from_secs(60));
        let image = |n: &str| {
            sim.store().get("Pod", Some("default"), n).unwrap().field("spec.containers").unwrap()[0]["image"].clone()
        };
        assert_eq!(
            [image("db-0"), image("db-1"), image("db-2")],
            [json!("nginx:1.27"), json!("nginx:1.28"), json!("nginx:1.28")]
        );
    }
}
