//! kube-scheduler behaviour: where pods go, why not elsewhere, in upstream words.

use std::time::Duration;

use serde_json::{json, Value};

use super::{backoff, feasible_nodes_to_find, latest_record};
use crate::manifest;
use crate::sim::events;
use crate::sim::store::ObjectKey;
use crate::sim::{Sim, SimConfig};

fn pod(name: &str, extra_spec: &str) -> crate::sim::api::Object {
    let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{app: {name}}}\nspec:\n{extra_spec}  containers:\n  - name: c\n    image: nginx:1.27\n");
    manifest::parse(&text).unwrap().remove(0)
}

fn with_requests(name: &str, cpu: &str) -> crate::sim::api::Object {
    let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    resources:\n      requests: {{cpu: '{cpu}'}}\n");
    manifest::parse(&text).unwrap().remove(0)
}

fn node_of(sim: &Sim, name: &str) -> Option<String> {
    sim.store().get("Pod", Some("default"), name)?.field("spec.nodeName").and_then(Value::as_str).map(str::to_string)
}

fn key(name: &str) -> ObjectKey {
    ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: name.into() }
}

fn event_messages(sim: &Sim, name: &str, reason: &str) -> Vec<String> {
    let p = sim.store().get("Pod", Some("default"), name).unwrap();
    events::about(sim, p.uid())
        .into_iter()
        .filter(|e| e.body["reason"] == reason)
        .map(|e| e.body["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn control_plane_taint_keeps_pods_off_and_scheduled_event_names_the_node() {
    let mut sim = Sim::new(SimConfig::default());
    for i in 0..6 {
        sim.create(pod(&format!("p{i}"), "")).unwrap();
    }
    sim.advance(Duration::ZERO);
    for i in 0..6 {
        let n = node_of(&sim, &format!("p{i}")).expect("scheduled");
        assert_ne!(n, "control-plane");
    }
    assert_eq!(
        event_messages(&sim, "p0", "Scheduled"),
        [format!("Successfully assigned default/p0 to {}", node_of(&sim, "p0").unwrap())]
    );
    let r = latest_record(&sim, &key("p0")).unwrap();
    let cp = r.nodes.iter().find(|v| v.node == "control-plane").unwrap();
    assert_eq!(
        cp.filters.last().unwrap(),
        &(
            "TaintToleration",
            vec!["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".to_string()]
        )
    );
    let worker = r.nodes.iter().find(|v| v.node == r.winner.clone().unwrap()).unwrap();
    assert_eq!(worker.filters.len(), 9, "every filter ran and passed");
    assert_eq!(worker.scores.len(), 7);
}

#[test]
fn failed_scheduling_message_lists_each_reason() {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(with_requests("big", "5")).unwrap();
    sim.advance(Duration::ZERO);
    assert_eq!(node_of(&sim, "big"), None);
    let expected = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.";
    assert_eq!(event_messages(&sim, "big", "FailedScheduling"), [expected]);
    let p = sim.store().get("Pod", Some("default"), "big").unwrap();
    let cond = p
        .field("status.conditions")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "PodScheduled")
        .unwrap()
        .clone();
    assert_eq!((cond["status"].clone(), cond["reason"].clone()), (json!("False"), json!("Unschedulable")));
}

#[test]
fn least_allocated_prefers_emptier_node() {
    let mut sim = Sim::new(SimConfig::default());
    let pinned = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: heavy\nspec:\n  nodeName: node-1\n  containers:\n  - name: c\n    image: nginx\n    resources: {requests: {cpu: '3'}}\n";
    sim.create(manifest::parse(pinned).unwrap().remove(0)).unwrap();
    sim.create(manifest::parse(&pinned.replace("heavy", "heavy2").replace("node-1", "node-2")).unwrap().remove(0))
        .unwrap();
    sim.advance(Duration::ZERO);
    sim.create(with_requests("light", "500m")).unwrap();
    sim.advance(Duration::ZERO);
    assert_eq!(node_of(&sim, "light").as_deref(), Some("node-3"));
}

#[test]
fn node_selector_and_affinity_pick_matching_nodes() {
    let mut sim = Sim::new(SimConfig::default());
    let mut n2 = sim.store().get("Node", None, "node-2").unwrap().clone();
    n2.metadata.labels.as_mut().unwrap().insert("disk".into(), "ssd".into());
    sim.update(n2).unwrap();
    sim.create(pod("fast", "  nodeSelector: {disk: ssd}\n")).unwrap();
    sim.create(pod("nowhere", "  nodeSelector: {disk: tape}\n")).unwrap();
    sim.advance(Duration::ZERO);
    assert_eq!(node_of(&sim, "fast").as_deref(), Some("node-2"));
    assert_eq!(node_of(&sim, "nowhere"), None);
    assert!(event_messages(&sim, "nowhere", "FailedScheduling")[0]
        .starts_with("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector."));
}

#[test]
fn required_anti_affinity_spreads_pods_one_per_node() {
    let mut sim = Sim::new(SimConfig::default());
    let anti = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {tier: cache}}\n        topologyKey: kubernetes.io/hostname\n";
    for i in 0..4 {
        let mut p = pod(&format!("c{i}"), anti);
        p.metadata.labels = Some([("tier".to_string(), "cache".to_string())].into());
        sim.create(p).unwrap();
    }
    sim.advance(Duration::ZERO);
    let mut nodes: Vec<String> = (0..3).map(|i| node_of(&sim, &format!("c{i}")).unwrap()).collect();
    nodes.sort();
    assert_eq!(nodes, ["node-1", "node-2", "node-3"]);
    assert_eq!(node_of(&sim, "c3"), None, "a fourth has no node left");
    assert!(
        event_messages(&sim, "c3", "FailedScheduling")[0].contains("3 node(s) didn't match pod anti-affinity rules")
    );
}

#[test]
fn cordoned_node_gets_no_new_pods() {
    let mut sim = Sim::new(SimConfig::default());
    for n in ["node-1", "node-2"] {
        let mut node = sim.store().get("Node", None, n).unwrap().clone();
        node.body.get_mut("spec").unwrap()["unschedulable"] = json!(true);
        sim.update(node).unwrap();
    }
    sim.create(pod("p", "")).unwrap();
    sim.advance(Duration::ZERO);
    assert_eq!(node_of(&sim, "p").as_deref(), Some("node-3"));
}

#[test]
fn pending_pod_is_scheduled_when_room_appears() {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(with_requests("big", "5")).unwrap();
    sim.advance(Duration::from_secs(2));
    assert_eq!(node_of(&sim, "big"), None);
    crate::shell::Shell.run_line(&mut sim, "sandbox node add node-4 --cpu 8");
    sim.advance(Duration::from_secs(2));
    assert_eq!(node_of(&sim, "big").as_deref(), Some("node-4"));
}

#[test]
fn preemption_evicts_lowest_priority_first() {
    let mut sim =
        Sim::new(SimConfig { shape: crate::sim::cluster::ClusterShape::with_workers(1), ..SimConfig::default() });
    let pc = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: mid\nvalue: 500\n";
    for o in manifest::parse(pc).unwrap() {
        sim.create(o).unwrap();
    }
    let mut low = with_requests("low", "2");
    low.body.get_mut("spec").unwrap()["priority"] = json!(0);
    sim.create(low).unwrap();
    let mut mid = with_requests("mid", "2");
    mid.body.get_mut("spec").unwrap()["priorityClassName"] = json!("mid");
    sim.create(mid).unwrap();
    sim.advance(Duration::from_secs(5));
    let mut high = with_requests("high", "2");
    high.body.get_mut("spec").unwrap()["priorityClassName"] = json!("high");
    sim.create(high).unwrap();
    sim.advance(Duration::from_millis(1));
    let high = sim.store().get("Pod", Some("default"), "high").unwrap();
    assert_eq!(high.field("status.nominatedNodeName"), Some(&json!("node-1")));
    let low = sim.store().get("Pod", Some("default"), "low");
    assert!(low.is_none_or(|p| p.metadata.deletion_timestamp.is_some()), "the lowest priority goes");
    assert!(sim.store().get("Pod", Some("default"), "mid").unwrap().metadata.deletion_timestamp.is_none());
    let preempted: Vec<_> = sim
        .store()
        .list("Event", Some("default"))
        .filter(|e| e.body["reason"] == "Preempted")
        .map(|e| (e.body["involvedObject"]["name"].clone(), e.body["message"].clone()))
        .collect();
    assert_eq!(preempted, [(json!("low"), json!(format!("Preempted by pod {} on node node-1", high.uid())))]);
    sim.advance(Duration::from_secs(15));
    assert_eq!(node_of(&sim, "high").as_deref(), Some("node-1"));
}

#[test]
fn backoff_doubles_to_ten_seconds() {
    let secs: Vec<u64> = (1..=6).map(|n| backoff(n).as_secs()).collect();
    assert_eq!(secs, [1, 2, 4, 8, 10, 10]);
}

#[test]
fn feasible_nodes_to_find_follows_the_adaptive_percentage() {
    assert_eq!(feasible_nodes_to_find(50), 50);
    assert_eq!(feasible_nodes_to_find(100), 100);
    assert_eq!(feasible_nodes_to_find(1000), 420);
    assert_eq!(feasible_nodes_to_find(5000), 500);
}

#[test]
fn anti_affinity_pods_fill_distinct_nodes_in_a_bigger_cluster() {
    let mut sim = Sim::new(SimConfig {
        shape: crate::sim::cluster::ClusterShape::with_workers(150),
        limits: crate::sim::Limits::none(),
        seed: 3,
    });
    let anti = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {tier: cache}}\n        topologyKey: kubernetes.io/hostname\n";
    for i in 0..120 {
        let mut p = pod(&format!("c{i}"), anti);
        p.metadata.labels = Some([("tier".to_string(), "cache".to_string())].into());
        sim.create(p).unwrap();
    }
    sim.advance(Duration::ZERO);
    let unbound: Vec<String> =
        (0..120).filter(|i| node_of(&sim, &format!("c{i}")).is_none()).map(|i| format!("c{i}")).collect();
    let first = unbound.first().map(|n| event_messages(&sim, n, "FailedScheduling"));
    assert!(unbound.is_empty(), "{} unbound, e.g. {first:?}", unbound.len());
}
