//! The node lifecycle controller and taint-based eviction, as in kube-controller-manager.
//!
//! Every 5 s (`--node-monitor-period`) it checks each node's Lease. A node whose kubelet has
//! not renewed it for 50 s (`--node-monitor-grace-period`) goes `Ready=Unknown` and gets the
//! `node.kubernetes.io/unreachable` taints; its pods are marked not ready. Pods on a node with
//! a NoExecute taint they do not tolerate are evicted at once; pods that tolerate it for
//! `tolerationSeconds` (300 s by default admission) are evicted when that runs out.
//! Cordoned nodes get the `node.kubernetes.io/unschedulable` taint.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::api::Object;
use super::apiserver::Propagation;
use super::events::{self, EventType, Source};
use super::store::ObjectKey;
use super::time::SimTime;
use super::{Sim, Task};

/// Upstream `--node-monitor-period`.
pub const NODE_MONITOR_PERIOD: Duration = Duration::from_secs(5);
/// Upstream `--node-monitor-grace-period` (50 s since Kubernetes 1.32).
pub const NODE_MONITOR_GRACE_PERIOD: Duration = Duration::from_secs(50);

pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

const CONTROLLER: Source<'static> = Source { component: "node-controller", host: None };

/// One pass of the node monitor, then the next one scheduled.
pub fn monitor(sim: &mut Sim) {
    let now = sim.now();
    let names: Vec<String> = sim.store().list("Node", None).map(|n| n.name().to_string()).collect();
    for name in &names {
        check_node(sim, name, now);
    }
    collect_orphaned_pods(sim, &names);
    sim.schedule(NODE_MONITOR_PERIOD, Task::NodeMonitor);
}

/// Upstream podgc's `quarantineTime`: how long a node must stay missing before its pods go.
pub const POD_GC_QUARANTINE: Duration = Duration::from_secs(40);

/// The pod garbage collector (`gcOrphaned`): pods bound to a node that does not exist (it was
/// removed, or `nodeName` names no node) are deleted once the node has been missing for the
/// quarantine, marked `Failed` with a `DisruptionTarget` condition first, as upstream does.
// SIM: upstream's podgc looks every 20 s; here with the node monitor, every 5 s.
fn collect_orphaned_pods(sim: &mut Sim, nodes: &[String]) {
    let now = sim.now();
    let gone: Vec<String> = sim.store().nodes_with_pods().into_iter().filter(|n| !nodes.contains(n)).collect();
    sim.pod_gc_quarantine.retain(|n, _| gone.contains(n));
    for node in gone {
        let since = *sim.pod_gc_quarantine.entry(node.clone()).or_insert(now);
        if now.since(since) < POD_GC_QUARANTINE {
            continue;
        }
        for key in sim.store().pods_on_node(&node) {
            if let Some(mut pod) = sim.store().get_key(&key).cloned() {
                let phase = pod.field("status.phase").and_then(Value::as_str).unwrap_or("");
                if !matches!(phase, "Succeeded" | "Failed") {
                    let status = pod.body.entry("status").or_insert_with(|| json!({}));
                    status["phase"] = json!("Failed");
                    let mut conds = status["conditions"].as_array().cloned().unwrap_or_default();
                    conds.retain(|c| c["type"] != "DisruptionTarget");
                    conds.push(json!({"type": "DisruptionTarget", "status": "True", "reason": "DeletionByPodGC",
                                      "message": "PodGC: node no longer exists", "lastTransitionTime": now.to_rfc3339()}));
                    status["conditions"] = json!(conds);
                    pod.metadata.resource_version = None;
                    let _ = sim.store_update(pod);
                }
            }
            let _ = sim.store_delete("Pod", Some(&key.namespace), &key.name);
        }
        sim.pod_gc_quarantine.remove(&node);
    }
}

/// The taint-eviction controller's informers: a node whose NoExecute taints changed, or a
/// pod bound to a node with NoExecute taints, gets its eviction timed (every taint, whoever
/// added it: `kubectl taint` as much as this controller).
pub fn on_event(sim: &mut Sim, ev: &crate::sim::store::WatchEvent) {
    if ev.event_type == crate::sim::store::WatchEventType::Deleted {
        if ev.object.kind == "Pod" {
            sim.taint_evictions.remove(&ObjectKey::of(&ev.object));
        }
        return;
    }
    let has_no_execute = |node: &Object| {
        node.field("spec.taints")
            .and_then(Value::as_array)
            .is_some_and(|ts| ts.iter().any(|t| t["effect"] == "NoExecute"))
    };
    let now = sim.now();
    match ev.object.kind.as_str() {
        "Node" if has_no_execute(&ev.object) => schedule_evictions(sim, ev.object.name(), now),
        "Pod" => {
            let pod = &ev.object;
            let Some(node_name) = pod.field("spec.nodeName").and_then(Value::as_str) else { return };
            let Some(node) = sim.store().get("Node", None, node_name) else { return };
            if !has_no_execute(node) || pod.metadata.deletion_timestamp.is_some() {
                return;
            }
            if let Some(at) = eviction_times(node, pod, now) {
                schedule_eviction(sim, ObjectKey::of(pod), at, now);
            }
        }
        _ => {}
    }
}

/// Times one pod's eviction, unless it is already timed for that instant (the controller's
/// timed queue: one entry per pod).
fn schedule_eviction(sim: &mut Sim, key: ObjectKey, at: SimTime, now: SimTime) {
    // The first timing stands: later node updates must not push a deadline back.
    if sim.taint_evictions.get(&key).is_some_and(|t| *t <= at) {
        return;
    }
    sim.taint_evictions.insert(key.clone(), at);
    sim.schedule(at.since(now), Task::TaintEviction { pod: key });
}

fn renew_time(sim: &Sim, node: &str) -> Option<SimTime> {
    let lease = sim.store().get("Lease", Some("kube-node-lease"), node)?;
    let text = lease.field("spec.renewTime")?.as_str()?;
    parse_time(text)
}

// Moved beside the clock; kept here so code written against the old path still builds.
pub use super::time::parse_time;

fn ready_status(node: &Object) -> String {
    node.field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .and_then(|c| c["status"].as_str())
        .unwrap_or("Unknown")
        .to_string()
}

fn check_node(sim: &mut Sim, name: &str, now: SimTime) {
    let Some(node) = sim.store().get("Node", None, name).cloned() else { return };
    let stale = renew_time(sim, name).is_none_or(|t| now.since(t) > NODE_MONITOR_GRACE_PERIOD);
    let ready = ready_status(&node);
    if stale && ready != "Unknown" {
        mark_unknown(sim, node, now);
    } else {
        sync_taints(sim, name, now);
    }
}

/// The kubelet stopped reporting: every condition goes Unknown.
fn mark_unknown(sim: &mut Sim, mut node: Object, now: SimTime) {
    let stamp = now.to_rfc3339();
    if let Some(conds) = node.body.get_mut("status").and_then(|s| s.get_mut("conditions")).and_then(Value::as_array_mut)
    {
        for c in conds {
            c["status"] = json!("Unknown");
            c["reason"] = json!("NodeStatusUnknown");
            c["message"] = json!("Kubelet stopped posting node status.");
            c["lastTransitionTime"] = json!(stamp);
        }
    }
    node.metadata.resource_version = None;
    let name = node.name().to_string();
    if let Ok(updated) = sim.store_update(node) {
        let msg = format!("Node {name} status is now: NodeNotReady");
        events::record(sim, &updated, None, EventType::Normal, "NodeNotReady", &msg, CONTROLLER);
        mark_pods_not_ready(sim, &name);
    }
    sync_taints(sim, &name, now);
}

/// Sets the pods' Ready condition to False, as upstream's `MarkPodsNotReady` does.
fn mark_pods_not_ready(sim: &mut Sim, node: &str) {
    for mut pod in pods_on(sim, node) {
        let mut changed = false;
        if let Some(conds) =
            pod.body.get_mut("status").and_then(|s| s.get_mut("conditions")).and_then(Value::as_array_mut)
        {
            for c in conds.iter_mut().filter(|c| c["type"] == "Ready" && c["status"] != "False") {
                c["status"] = json!("False");
                changed = true;
            }
        }
        if changed {
            pod.metadata.resource_version = None;
            if let Ok(updated) = sim.store_update(pod) {
                events::record(
                    sim,
                    &updated,
                    None,
                    EventType::Warning,
                    "NodeNotReady",
                    "Node is not ready",
                    CONTROLLER,
                );
            }
        }
    }
}

/// The pods bound to `node`.
pub fn pods_on(sim: &Sim, node: &str) -> Vec<Object> {
    sim.store().pods_on_node(node).iter().filter_map(|k| sim.store().get_key(k).cloned()).collect()
}

/// The taints a node's conditions and `spec.unschedulable` call for, keyed by (key, effect).
fn wanted_taints(node: &Object) -> Vec<(&'static str, &'static str)> {
    let mut wanted = Vec::new();
    match ready_status(node).as_str() {
        "Unknown" => wanted.extend([(TAINT_UNREACHABLE, "NoSchedule"), (TAINT_UNREACHABLE, "NoExecute")]),
        "False" => wanted.extend([(TAINT_NOT_READY, "NoSchedule"), (TAINT_NOT_READY, "NoExecute")]),
        _ => {}
    }
    if node.field("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        wanted.push((TAINT_UNSCHEDULABLE, "NoSchedule"));
    }
    wanted
}

/// Adds and removes the controller-owned taints; schedules evictions for new NoExecute taints.
fn sync_taints(sim: &mut Sim, name: &str, now: SimTime) {
    let Some(mut node) = sim.store().get("Node", None, name).cloned() else { return };
    let wanted = wanted_taints(&node);
    let owned = [TAINT_UNREACHABLE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE];
    let current: Vec<Value> = node.field("spec.taints").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut next: Vec<Value> = current
        .iter()
        .filter(|t| {
            let key = t["key"].as_str().unwrap_or("");
            !owned.contains(&key) || wanted.iter().any(|(k, e)| *k == key && t["effect"] == *e)
        })
        .cloned()
        .collect();
    let mut added_no_execute = false;
    for (key, effect) in &wanted {
        if !next.iter().any(|t| t["key"] == *key && t["effect"] == *effect) {
            let mut taint = json!({"key": key, "effect": effect});
            if *effect == "NoExecute" {
                taint["timeAdded"] = json!(now.to_rfc3339());
                added_no_execute = true;
            }
            next.push(taint);
        }
    }
    if next == current {
        return;
    }
    let spec = node.body.entry("spec").or_insert_with(|| json!({}));
    if next.is_empty() {
        spec.as_object_mut().map(|s| s.remove("taints"));
    } else {
        spec["taints"] = Value::Array(next);
    }
    node.metadata.resource_version = None;
    if sim.store_update(node).is_ok() && added_no_execute {
        schedule_evictions(sim, name, now);
    }
}

/// For each pod on `node`: when it must go, given the node's NoExecute taints and its
/// tolerations (None: it tolerates them forever).
fn eviction_times(node: &Object, pod: &Object, now: SimTime) -> Option<SimTime> {
    let taints: Vec<&Value> = node
        .field("spec.taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| t["effect"] == "NoExecute")
        .collect();
    if taints.is_empty() {
        return None;
    }
    let tolerations: Vec<Value> = pod.field("spec.tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut deadline: Option<SimTime> = None;
    for taint in taints {
        let Some(tol) = tolerations.iter().find(|t| tolerates(t, taint)) else {
            return Some(now); // not tolerated: evict now
        };
        if let Some(secs) = tol["tolerationSeconds"].as_i64() {
            let added = taint["timeAdded"].as_str().and_then(parse_time).unwrap_or(now);
            let at = added + Duration::from_secs(secs.max(0) as u64);
            deadline = Some(deadline.map_or(at, |d| d.min(at)));
        }
    }
    deadline
}

/// Whether a toleration matches a taint (key, operator Exists/Equal, value, effect).
pub fn tolerates(tol: &Value, taint: &Value) -> bool {
    let effect_ok = tol["effect"].as_str().is_none_or(|e| e.is_empty() || taint["effect"] == e);
    let key = tol["key"].as_str().unwrap_or("");
    let op = tol["operator"].as_str().unwrap_or("Equal");
    if key.is_empty() {
        return op == "Exists" && effect_ok;
    }
    let key_ok = taint["key"] == key;
    let value_ok = match op {
        "Exists" => true,
        _ => tol["value"].as_str().unwrap_or("") == taint["value"].as_str().unwrap_or(""),
    };
    key_ok && value_ok && effect_ok
}

fn schedule_evictions(sim: &mut Sim, node_name: &str, now: SimTime) {
    let Some(node) = sim.store().get("Node", None, node_name).cloned() else { return };
    let mut due: BTreeMap<ObjectKey, SimTime> = BTreeMap::new();
    for pod in pods_on(sim, node_name) {
        if let Some(at) = eviction_times(&node, &pod, now) {
            due.insert(ObjectKey::of(&pod), at);
        }
    }
    for (key, at) in due {
        schedule_eviction(sim, key, at, now);
    }
}

/// Evicts a pod if, now, its node's NoExecute taints still call for it.
pub fn evict_if_due(sim: &mut Sim, key: &ObjectKey) {
    let now = sim.now();
    // Timed for now by an earlier look: the deadline counts from when the taint was seen.
    let timed = sim.taint_evictions.get(key).is_some_and(|at| *at <= now);
    if timed {
        sim.taint_evictions.remove(key);
    }
    let Some(pod) = sim.store().get_key(key).cloned() else { return };
    if pod.metadata.deletion_timestamp.is_some() {
        return;
    }
    let Some(node_name) = pod.field("spec.nodeName").and_then(Value::as_str) else { return };
    let Some(node) = sim.store().get("Node", None, node_name).cloned() else { return };
    if eviction_times(&node, &pod, now).is_some_and(|at| timed || at <= now) {
        let msg = format!("Marking for deletion Pod {}/{}", key.namespace, key.name);
        let source = Source { component: "taint-eviction-controller", host: None };
        events::record(sim, &pod, None, EventType::Normal, "TaintManagerEviction", &msg, source);
        let _ = sim.delete("Pod", Some(&key.namespace), &key.name, Propagation::Background);
    }
}

/// After a stopped kubelet comes back: its heartbeat posts Ready again.
pub fn mark_ready(sim: &mut Sim, name: &str) {
    let Some(mut node) = sim.store().get("Node", None, name).cloned() else { return };
    if ready_status(&node) == "True" {
        return;
    }
    let stamp = sim.now().to_rfc3339();
    let healthy = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];
    if let Some(conds) = node.body.get_mut("status").and_then(|s| s.get_mut("conditions")).and_then(Value::as_array_mut)
    {
        for c in conds.iter_mut() {
            if let Some((_, status, reason, message)) = healthy.iter().find(|(t, ..)| c["type"] == *t) {
                *c = json!({"type": c["type"], "status": status, "reason": reason, "message": message,
                            "lastHeartbeatTime": stamp, "lastTransitionTime": stamp});
            }
        }
    }
    node.metadata.resource_version = None;
    if let Ok(updated) = sim.store_update(node) {
        let msg = format!("Node {name} status is now: NodeReady");
        events::record(
            sim,
            &updated,
            None,
            EventType::Normal,
            "NodeReady",
            &msg,
            Source { component: "kubelet", host: Some(name) },
        );
    }
    sync_taints(sim, name, sim.now());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    fn taint_keys(sim: &Sim, node: &str) -> Vec<String> {
        let n = sim.store().get("Node", None, node).unwrap();
        n.field("spec.taints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|t| format!("{}:{}", t["key"].as_str().unwrap(), t["effect"].as_str().unwrap()))
            .collect()
    }

    #[test]
    fn stopped_kubelet_makes_node_unknown_after_grace_period() {
        let mut sim = Sim::new(SimConfig::default());
        sim.advance(Duration::from_secs(20));
        sim.stop_kubelet("node-2");
        // Last renewal at 20 s; unknown once 50 s have passed, at the next 5 s monitor tick.
        sim.advance(Duration::from_secs(50));
        assert_eq!(ready_status(sim.store().get("Node", None, "node-2").unwrap()), "True");
        sim.advance(Duration::from_secs(5));
        let node = sim.store().get("Node", None, "node-2").unwrap();
        assert_eq!(ready_status(node), "Unknown");
        assert_eq!(
            taint_keys(&sim, "node-2"),
            [format!("{TAINT_UNREACHABLE}:NoSchedule"), format!("{TAINT_UNREACHABLE}:NoExecute")]
        );
        let reasons: Vec<_> = events::about(&sim, node.uid()).iter().map(|e| e.body["reason"].clone()).collect();
        assert_eq!(reasons.last(), Some(&json!("NodeNotReady")));
        assert_eq!(reasons.iter().filter(|r| **r == json!("NodeNotReady")).count(), 1);
        // Other nodes are untouched.
        assert!(taint_keys(&sim, "node-1").is_empty());
    }

    #[test]
    fn restarted_kubelet_makes_node_ready_and_removes_taints() {
        let mut sim = Sim::new(SimConfig::default());
        sim.stop_kubelet("node-1");
        sim.advance(Duration::from_secs(120));
        assert!(!taint_keys(&sim, "node-1").is_empty());
        sim.start_kubelet("node-1");
        sim.advance(Duration::from_secs(15));
        assert_eq!(ready_status(sim.store().get("Node", None, "node-1").unwrap()), "True");
        assert!(taint_keys(&sim, "node-1").is_empty());
    }

    #[test]
    fn evicts_pods_from_unreachable_node_after_toleration() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-2\n  containers:\n  - {name: web, image: nginx}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10)); // heartbeat at 10 s, then the kubelet stops
        sim.stop_kubelet("node-2");
        // Stale after 60 s; the 5 s monitor sees it at 65 s and taints the node then.
        sim.advance(Duration::from_secs(55));
        let taint_time =
            sim.store().get("Node", None, "node-2").unwrap().field("spec.taints").unwrap()[1]["timeAdded"].clone();
        assert_eq!(taint_time, json!("2025-01-01T00:01:05Z"));
        let terminating =
            |sim: &Sim| sim.store().get("Pod", Some("default"), "web").unwrap().metadata.deletion_timestamp.is_some();
        sim.advance(Duration::from_secs(299));
        assert!(!terminating(&sim), "tolerated for 300 s");
        sim.advance(Duration::from_secs(1));
        assert!(terminating(&sim), "evicted at exactly 300 s");
        let pod = sim.store().get("Pod", Some("default"), "web").unwrap().clone();
        let msgs: Vec<_> = events::about(&sim, pod.uid()).iter().map(|e| e.body["message"].clone()).collect();
        assert!(msgs.contains(&json!("Marking for deletion Pod default/web")), "{msgs:?}");
    }

    #[test]
    fn pod_without_toleration_is_evicted_at_once() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-2\n  tolerations: []\n  containers:\n  - {name: web, image: nginx}\n";
        let mut obj = crate::manifest::parse(pod).unwrap().remove(0);
        sim.create(obj.clone()).unwrap();
        // Admission added the 300 s tolerations; take them away as a pod spec could.
        obj = sim.store().get("Pod", Some("default"), "web").unwrap().clone();
        obj.body.get_mut("spec").unwrap()["tolerations"] = json!([]);
        sim.store_update(obj).unwrap();
        sim.stop_kubelet("node-2");
        sim.advance(Duration::from_secs(60));
        assert!(sim.store().get("Pod", Some("default"), "web").unwrap().metadata.deletion_timestamp.is_some());
    }

    #[test]
    fn pods_of_a_removed_node_are_garbage_collected() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-3\n  containers:\n  - {name: web, image: nginx}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(10));
        sim.remove_node("node-3").unwrap();
        sim.advance(Duration::from_secs(30));
        assert!(sim.store().get("Pod", Some("default"), "web").is_some(), "still in quarantine");
        sim.advance(Duration::from_secs(20));
        assert!(sim.store().get("Pod", Some("default"), "web").is_none());
    }

    #[test]
    fn a_pod_bound_to_a_node_that_does_not_exist_never_starts_and_is_collected_after_the_quarantine() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lost\nspec:\n  nodeName: node-9\n  containers:\n  - {name: web, image: nginx}\n";
        let created = sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(30));
        assert!(events::about(&sim, created.uid()).is_empty(), "no kubelet reports it");
        sim.advance(Duration::from_secs(30));
        assert!(sim.store().get("Pod", Some("default"), "lost").is_none());
    }

    fn taint(sim: &mut Sim, node: &str, taint: Value) {
        let mut n = sim.store().get("Node", None, node).unwrap().clone();
        n.body.entry("spec").or_insert_with(|| json!({}))["taints"] = json!([taint]);
        n.metadata.resource_version = None;
        sim.update(n).unwrap();
    }

    #[test]
    fn a_no_execute_taint_added_by_hand_evicts_intolerant_pods_at_once_and_tolerating_ones_after_their_seconds() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = |name: &str, tolerations: &str| {
            let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  nodeName: node-1\n  tolerations: {tolerations}\n  containers:\n  - {{name: web, image: nginx}}\n");
            crate::manifest::parse(&text).unwrap().remove(0)
        };
        sim.create(pod("plain", "[]")).unwrap();
        sim.create(pod("forever", "[{key: key1, operator: Equal, value: value1, effect: NoExecute}]")).unwrap();
        sim.create(pod(
            "hour",
            "[{key: key1, operator: Equal, value: value1, effect: NoExecute, tolerationSeconds: 3600}]",
        ))
        .unwrap();
        sim.advance(Duration::from_secs(10));
        taint(&mut sim, "node-1", json!({"key": "key1", "value": "value1", "effect": "NoExecute"}));
        sim.advance(Duration::from_secs(40));
        let live = |sim: &Sim, n: &str| {
            sim.store().get("Pod", Some("default"), n).is_some_and(|p| p.metadata.deletion_timestamp.is_none())
        };
        assert!(!live(&sim, "plain"));
        assert!(live(&sim, "forever") && live(&sim, "hour"));
        sim.advance(Duration::from_secs(3600));
        assert!(live(&sim, "forever"));
        assert!(!live(&sim, "hour"));
    }

    #[test]
    fn toleration_matching_follows_upstream_rules() {
        let taint = json!({"key": "dedicated", "value": "gpu", "effect": "NoSchedule"});
        assert!(tolerates(&json!({"key": "dedicated", "operator": "Equal", "value": "gpu"}), &taint));
        assert!(!tolerates(&json!({"key": "dedicated", "value": "cpu"}), &taint));
        assert!(tolerates(&json!({"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}), &taint));
        assert!(!tolerates(&json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}), &taint));
        assert!(tolerates(&json!({"operator": "Exists"}), &taint));
    }
}
