//! The DaemonSet controller (upstream `pkg/controller/daemon`): one pod on every eligible node
//! (node selector, required node affinity, taints tolerated), new nodes get theirs, and a
//! RollingUpdate replaces old pods at most `maxUnavailable` at a time, or, with `maxSurge`,
//! starts the new pod beside the old one on at most `maxSurge` nodes at a time and deletes
//! the old one once the new one is available.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::context::Ctx;
use super::deployment::util::resolve;
use super::history::{self, REVISION_LABEL};
use super::reconciler::{Action, Reconciler, Result};
use super::replicaset::{adopt_orphans, controller_of, is_available, may_adopt, pod_from_template};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::node_lifecycle::tolerates;
use crate::sim::scheduling::plugins::match_node_selector_term;
use crate::sim::store::{ObjectKey, Store, WatchEvent};
use crate::sim::time::SimTime;

/// The DaemonSet controller (`daemonset`): a DaemonSet and the pods it controls.
pub struct DaemonSets;

/// The one DaemonSet controller.
pub static DAEMON_SETS: DaemonSets = DaemonSets;

impl Reconciler for DaemonSets {
    fn name(&self) -> &'static str {
        "daemonset"
    }

    fn component(&self) -> &'static str {
        "daemonset-controller"
    }

    fn kind(&self) -> &'static str {
        "DaemonSet"
    }

    fn owns(&self) -> &'static [&'static str] {
        &["Pod"]
    }

    /// An orphan pod queues the sets whose selector may adopt it; a Node change queues them all.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        match o.kind.as_str() {
            "Pod" => may_adopt(store, "DaemonSet", o),
            "Node" => store.list("DaemonSet", None).map(ObjectKey::of).collect(),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        sync_daemon_set(ctx, key);
        Ok(Action::AwaitChange)
    }
}

/// The tolerations every DaemonSet pod gets, so that it stays on troubled nodes.
fn daemon_tolerations() -> Vec<Value> {
    let mut t: Vec<Value> = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        .iter()
        .map(|k| json!({"effect": "NoExecute", "key": k, "operator": "Exists"}))
        .collect();
    for k in ["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"] {
        t.push(json!({"effect": "NoSchedule", "key": format!("node.kubernetes.io/{k}"), "operator": "Exists"}));
    }
    t
}

/// Which nodes a DaemonSet's pods belong on: its template's node selector, required node
/// affinity and tolerations (with the ones every DaemonSet pod gets), read once per sync.
struct Placement {
    selector: BTreeMap<String, String>,
    terms: Option<Vec<Value>>,
    tolerations: Vec<Value>,
}

/// A node without labels.
static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

impl Placement {
    fn of(ds: &Object) -> Placement {
        let spec = ds.field("spec.template.spec").unwrap_or(&Value::Null);
        let selector = serde_json::from_value(spec["nodeSelector"].clone()).unwrap_or_default();
        let terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
            ["nodeSelectorTerms"]
            .as_array()
            .cloned();
        let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
        tolerations.extend(daemon_tolerations());
        Placement { selector, terms, tolerations }
    }

    /// `shouldRun`: whether the DaemonSet wants a pod on `node`.
    fn should_run(&self, node: &Object) -> bool {
        let labels = node.metadata.labels.as_ref().unwrap_or(&NO_LABELS);
        if !self.selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
        if self.terms.as_ref().is_some_and(|ts| !ts.iter().any(|t| match_node_selector_term(t, labels))) {
            return false;
        }
        node.field("spec.taints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| matches!(t["effect"].as_str(), Some("NoSchedule" | "NoExecute")))
            .all(|t| self.tolerations.iter().any(|tol| tolerates(tol, t)))
    }
}

/// The node a DaemonSet pod is for (its `metadata.name` node affinity; `""` without one).
fn node_name_of(p: &Object) -> &str {
    p.field("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
        .and_then(|t| t[0]["matchFields"][0]["values"][0].as_str())
        .unwrap_or_default()
}

/// The DaemonSet's own live pods (controlled by it, not being deleted), in name order, from
/// the store's owner index rather than a scan of the namespace.
fn own_pods<'a>(store: &'a Store, ds: &'a Object) -> impl Iterator<Item = &'a Object> + 'a {
    let ns = ds.namespace().unwrap_or("");
    store
        .dependents(ds.uid())
        .filter(move |k| k.kind == "Pod" && k.namespace == ns)
        .filter_map(|k| store.get_key(k))
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == ds.uid()) && p.metadata.deletion_timestamp.is_none())
}

/// A write the sync decided on, made once the store is no longer borrowed.
enum Op {
    Create(String),
    Delete(String),
}

/// `syncDaemonSet`: one pass over the nodes, with the DaemonSet's pods grouped by node first.
pub fn sync_daemon_set(ctx: &mut Ctx, key: &ObjectKey) {
    let Some(ds) = ctx.store().get_key(key).cloned() else { return };
    if ds.metadata.deletion_timestamp.is_some() {
        return;
    }
    adopt_orphans(ctx, &ds, |_| true);
    let template = ds.field("spec.template").cloned().unwrap_or(Value::Null);
    let hash = history::hash_of(&ds);
    history::sync_update_revision(ctx, &ds);
    let now = ctx.now();
    let ops = plan(ctx.store(), &ds, &hash, now);
    for op in ops {
        match op {
            Op::Create(node) => create(ctx, &ds, &template, &hash, &node),
            Op::Delete(pod) => delete(ctx, &ds, &pod),
        }
    }
    write_status(ctx, key, &hash);
}

/// What the sync writes, in the order it writes it: per node (in name order) the creations
/// and deletions it needs, then the surge creations, then the rolling deletions.
fn plan(store: &Store, ds: &Object, hash: &str, now: SimTime) -> Vec<Op> {
    let placement = Placement::of(ds);
    let nodes: Vec<(&Object, bool)> = store.list("Node", None).map(|n| (n, placement.should_run(n))).collect();
    let mut by_node: BTreeMap<&str, Vec<&Object>> = BTreeMap::new();
    for p in own_pods(store, ds) {
        by_node.entry(node_name_of(p)).or_default().push(p);
    }
    let desired = nodes.iter().filter(|(_, wanted)| *wanted).count() as i64;
    let ru = ds.field("spec.updateStrategy.rollingUpdate").unwrap_or(&Value::Null);
    let max_surge = if ru["maxSurge"].is_null() { 0 } else { resolve(&ru["maxSurge"], desired, true) };
    let max_unavailable =
        if ru["maxUnavailable"].is_null() { 1 } else { resolve(&ru["maxUnavailable"], desired, true) };
    let rolling = ds.field("spec.updateStrategy.type").and_then(Value::as_str) != Some("OnDelete");
    let surge = rolling && max_surge > 0;
    let max_unavailable = if surge { max_unavailable } else { max_unavailable.max(1) };
    let mut ops = Vec::new();
    let delete = |ops: &mut Vec<Op>, p: &Object| ops.push(Op::Delete(p.name().to_string()));
    let create = |ops: &mut Vec<Op>, node: &Object| ops.push(Op::Create(node.name().to_string()));
    let mut unavailable = 0;
    let mut old_to_replace: Vec<&Object> = Vec::new();
    // With maxSurge: nodes whose only pod is old and available, waiting for a surge slot,
    // and how many nodes already run an old and a new pod side by side.
    let mut surge_candidates: Vec<&Object> = Vec::new();
    let mut surging = 0;
    for &(node, wanted) in &nodes {
        let here: &[&Object] = by_node.get(node.name()).map_or(&[], Vec::as_slice);
        if !wanted {
            for p in here {
                delete(&mut ops, p);
            }
            continue;
        }
        if surge {
            let (new, old): (Vec<&Object>, Vec<&Object>) =
                here.iter().partition(|p| p.label(REVISION_LABEL) == Some(hash));
            for extra in new.iter().skip(1).chain(old.iter().skip(1)) {
                delete(&mut ops, extra);
            }
            match (new.first(), old.first()) {
                (None, None) => create(&mut ops, node),
                // The new pod is up: the old one can go.
                (Some(n), Some(o)) if is_available(n, 0, now) => delete(&mut ops, o),
                (Some(_), Some(_)) => surging += 1,
                (Some(_), None) => {}
                // An old pod that is not available anyway is replaced without using a surge slot.
                (None, Some(o)) if !is_available(o, 0, now) => create(&mut ops, node),
                (None, Some(_)) => surge_candidates.push(node),
            }
            continue;
        }
        match here.first() {
            None => {
                create(&mut ops, node);
                unavailable += 1;
            }
            Some(p) => {
                if !is_available(p, 0, now) {
                    unavailable += 1;
                }
                if rolling && p.label(REVISION_LABEL) != Some(hash) {
                    old_to_replace.push(p);
                }
                for extra in here.iter().skip(1) {
                    delete(&mut ops, extra);
                }
            }
        }
    }
    // RollingUpdate with maxSurge: start new pods beside old ones, at most maxSurge nodes at once.
    for node in surge_candidates {
        if surging >= max_surge {
            break;
        }
        create(&mut ops, node);
        surging += 1;
    }
    // RollingUpdate without surge: delete old pods (their replacements follow) while few enough are down.
    for p in old_to_replace {
        if unavailable >= max_unavailable {
            break;
        }
        delete(&mut ops, p);
        unavailable += 1;
    }
    ops
}

fn create(ctx: &mut Ctx, ds: &Object, template: &Value, hash: &str, node: &str) {
    let mut pod = pod_from_template(ds, template, &format!("{}-", ds.name()));
    pod.metadata.labels.get_or_insert_with(BTreeMap::new).insert(REVISION_LABEL.into(), hash.into());
    let spec = pod.body.get_mut("spec").expect("template spec");
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] =
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]});
    let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
    tolerations.extend(daemon_tolerations());
    spec["tolerations"] = json!(tolerations);
    match ctx.create(pod) {
        Ok(p) => ctx.record(ds, EventType::Normal, "SuccessfulCreate", &format!("Created pod: {}", p.name())),
        Err(e) => ctx.record(ds, EventType::Warning, "FailedCreate", &format!("Error creating: {e}")),
    }
}

fn delete(ctx: &mut Ctx, ds: &Object, pod: &str) {
    if ctx.delete("Pod", ds.namespace(), pod, Propagation::Background).is_ok() {
        ctx.record(ds, EventType::Normal, "SuccessfulDelete", &format!("Deleted pod: {pod}"));
    }
}

fn write_status(ctx: &mut Ctx, key: &ObjectKey, hash: &str) {
    let Some(mut ds) = ctx.store().get_key(key).cloned() else { return };
    let now = ctx.now();
    let store = ctx.store();
    let placement = Placement::of(&ds);
    let desired = store.list("Node", None).filter(|n| placement.should_run(n)).count();
    // Counted per node: a node running an old and a new pod (during a surge) counts once.
    let mut per_node: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for p in own_pods(store, &ds) {
        let e = per_node.entry(node_name_of(p)).or_default();
        e.0 |= is_available(p, 0, now);
        e.1 |= p.label(REVISION_LABEL) == Some(hash);
    }
    let ready = per_node.values().filter(|(r, _)| *r).count();
    let updated = per_node.values().filter(|(_, u)| *u).count();
    let mut status = json!({"currentNumberScheduled": per_node.len(), "desiredNumberScheduled": desired, "numberMisscheduled": 0,
                            "numberReady": ready, "numberAvailable": ready, "updatedNumberScheduled": updated,
                            "observedGeneration": ds.metadata.generation.unwrap_or(1)});
    if desired > ready {
        status["numberUnavailable"] = json!(desired - ready);
    }
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| !matches!(k.as_str(), "numberAvailable" | "updatedNumberScheduled") || v != &json!(0));
    }
    if ds.body.get("status") == Some(&status) {
        return;
    }
    ds.body.insert("status".into(), status);
    ds.metadata.resource_version = None;
    let _ = ctx.update_status(ds);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: nginx:1.27\n";

    fn nodes_with_pods(sim: &Sim) -> Vec<String> {
        let mut v: Vec<String> = sim
            .store()
            .list("Pod", Some("default"))
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter_map(|p| p.field("spec.nodeName").and_then(Value::as_str).map(str::to_string))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn one_pod_per_worker_and_new_nodes_get_theirs() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(DS).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10));
        assert_eq!(nodes_with_pods(&sim), ["node-1", "node-2", "node-3"], "the control plane's taint is not tolerated");
        crate::shell::Shell.run_line(&mut sim, "sandbox node add node-4");
        sim.advance(Duration::from_secs(10));
        assert_eq!(nodes_with_pods(&sim), ["node-1", "node-2", "node-3", "node-4"]);
        let ds = sim.store().get("DaemonSet", Some("default"), "agent").unwrap();
        assert_eq!(ds.field("status.desiredNumberScheduled"), Some(&json!(4)));
        assert_eq!(ds.field("status.numberReady"), Some(&json!(4)));
    }

    #[test]
    fn tolerating_the_control_plane_taint_covers_every_node() {
        let mut sim = Sim::new(SimConfig::default());
        let tolerant = DS.replace("      containers:", "      tolerations:\n      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n      containers:");
        sim.create(manifest::parse(&tolerant).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10));
        assert_eq!(nodes_with_pods(&sim), ["control-plane", "node-1", "node-2", "node-3"]);
    }

    #[test]
    fn rolling_update_replaces_one_node_at_a_time() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(DS).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10));
        let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "nginx:1.28"}]}}}});
        crate::sim::apiserver::patch(
            &mut sim,
            "DaemonSet",
            Some("default"),
            "agent",
            crate::sim::apiserver::patch::PatchType::Strategic,
            &body,
        )
        .unwrap();
        for _ in 0..40 {
            sim.advance(Duration::from_millis(500));
            let ready = sim
                .store()
                .get("DaemonSet", Some("default"), "agent")
                .unwrap()
                .field("status.numberReady")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            assert!(ready >= 2, "maxUnavailable 1 of 3 at {}", sim.now());
        }
        let images: Vec<Value> = sim
            .store()
            .list("Pod", Some("default"))
            .map(|p| p.field("spec.containers").unwrap()[0]["image"].clone())
            .collect();
        assert_eq!(images, vec![json!("nginx:1.28"); 3]);
    }

    #[test]
    fn surge_update_starts_the_new_pod_before_the_old_one_goes() {
        let mut sim = Sim::new(SimConfig::default());
        let surging = DS.replace(
            "  template:",
            "  updateStrategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n  template:",
        );
        sim.create(manifest::parse(&surging).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10));
        let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "nginx:1.28"}]}}}});
        crate::sim::apiserver::patch(
            &mut sim,
            "DaemonSet",
            Some("default"),
            "agent",
            crate::sim::apiserver::patch::PatchType::Strategic,
            &body,
        )
        .unwrap();
        let mut most = 0;
        for _ in 0..60 {
            sim.advance(Duration::from_millis(500));
            let ds = sim.store().get("DaemonSet", Some("default"), "agent").unwrap();
            assert_eq!(ds.field("status.numberReady"), Some(&json!(3)), "no node without a ready pod at {}", sim.now());
            let live =
                sim.store().list("Pod", Some("default")).filter(|p| p.metadata.deletion_timestamp.is_none()).count();
            assert!(live <= 4, "at most one node surging at {}: {live} pods", sim.now());
            most = most.max(live);
        }
        assert_eq!(most, 4, "the new pod ran beside the old one");
        let images: Vec<Value> = sim
            .store()
            .list("Pod", Some("default"))
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .map(|p| p.field("spec.containers").unwrap()[0]["image"].clone())
            .collect();
        assert_eq!(images, vec![json!("nginx:1.28"); 3]);
        let ds = sim.store().get("DaemonSet", Some("default"), "agent").unwrap();
        assert_eq!(ds.field("status.updatedNumberScheduled"), Some(&json!(3)));
    }
}
