//! ReplicaSet controller: given these objects, reconcile, expect these pods and events.

use std::time::Duration;

use serde_json::{json, Value};

use crate::manifest;
use crate::sim::apiserver::Propagation;
use crate::sim::{Sim, SimConfig};

const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      nodeName: node-1\n      containers:\n      - {name: web, image: nginx:1.27}\n";

fn sim_with(yaml: &str) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    for o in manifest::parse(yaml).unwrap() {
        sim.create(o).unwrap();
    }
    sim
}

fn pods(sim: &Sim) -> Vec<String> {
    sim.store()
        .list("Pod", Some("default"))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| p.name().to_string())
        .collect()
}

fn status(sim: &Sim) -> Value {
    sim.store().get("ReplicaSet", Some("default"), "web").unwrap().body["status"].clone()
}

#[test]
fn creates_pods_to_match_replicas_with_generated_names_and_owner() {
    let mut sim = sim_with(RS);
    sim.advance(Duration::ZERO);
    let names = pods(&sim);
    assert_eq!(names.len(), 3);
    assert!(names.iter().all(|n| n.starts_with("web-") && n.len() == 9), "{names:?}");
    let p = sim.store().list("Pod", Some("default")).next().unwrap();
    let owner = &p.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!((owner.kind.as_str(), owner.name.as_str(), owner.controller), ("ReplicaSet", "web", Some(true)));
    sim.advance(Duration::from_secs(10));
    assert_eq!(
        status(&sim),
        json!({"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3, "observedGeneration": 1})
    );
}

#[test]
fn replaces_a_deleted_pod() {
    let mut sim = sim_with(RS);
    sim.advance(Duration::from_secs(10));
    let victim = pods(&sim)[0].clone();
    sim.delete("Pod", Some("default"), &victim, Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(1));
    let now = pods(&sim);
    assert_eq!(now.len(), 3);
    assert!(!now.contains(&victim));
}

#[test]
fn scaling_down_deletes_not_ready_pods_first() {
    let mut sim = sim_with(RS);
    sim.advance(Duration::from_secs(10));
    // A fourth matching pod that is not ready yet (its image is still being pulled).
    let extra = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: straggler\n  labels: {app: web}\nspec:\n  nodeName: node-2\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    sim.create(manifest::parse(extra).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_millis(100));
    // Adopted, then deleted as surplus: it ranks first (pending, not ready).
    assert!(!pods(&sim).contains(&"straggler".to_string()));
    assert_eq!(pods(&sim).len(), 3);
}

#[test]
fn relabelled_pod_is_released_and_replaced() {
    let mut sim = sim_with(RS);
    sim.advance(Duration::from_secs(10));
    let name = pods(&sim)[0].clone();
    let mut p = sim.store().get("Pod", Some("default"), &name).unwrap().clone();
    p.metadata.labels = Some([("app".to_string(), "debug".to_string())].into());
    sim.update(p).unwrap();
    sim.advance(Duration::from_secs(1));
    let released = sim.store().get("Pod", Some("default"), &name).unwrap();
    assert!(released.metadata.owner_references.as_ref().is_none_or(|r| r.is_empty()));
    assert_eq!(pods(&sim).len(), 4, "three owned plus the released one");
}

#[test]
fn deleting_the_replica_set_deletes_its_pods() {
    let mut sim = sim_with(RS);
    sim.advance(Duration::from_secs(10));
    sim.delete("ReplicaSet", Some("default"), "web", Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(1));
    assert!(pods(&sim).is_empty());
}

#[test]
fn failed_creation_sets_replica_failure() {
    let limits = crate::sim::Limits { max_pods: 2, ..Default::default() };
    let mut sim = Sim::new(SimConfig { limits, ..SimConfig::default() });
    sim.create(manifest::parse(RS).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_secs(1));
    let cond = status(&sim)["conditions"][0].clone();
    assert_eq!(cond["type"], "ReplicaFailure");
    assert_eq!(cond["reason"], "FailedCreate");
}

fn failed_create_count(sim: &Sim) -> i64 {
    sim.store()
        .list("Event", Some("default"))
        .filter(|e| e.body["reason"] == "FailedCreate")
        .map(|e| e.body["count"].as_i64().unwrap_or(1))
        .sum()
}

#[test]
fn a_failed_creation_is_retried_with_back_off_until_it_succeeds() {
    let quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: {pods: \"1\"}\n---\n";
    let mut sim = sim_with(&format!("{quota}{RS}"));
    sim.advance(Duration::from_secs(1));
    assert_eq!(pods(&sim).len(), 1);
    // Retries after 5, 10, 20 … 320 ms fit in the first second (each pod change queues one
    // more, which counts as a failure too), then they thin out.
    let in_first_second = failed_create_count(&sim);
    assert!((5..=12).contains(&in_first_second), "{in_first_second} retries");
    sim.advance(Duration::from_secs(600));
    let in_ten_minutes = failed_create_count(&sim) - in_first_second;
    assert!((1..=12).contains(&in_ten_minutes), "{in_ten_minutes} retries");
    // Nothing about the quota queues the ReplicaSet: a retry, at most 1000 s later, finds room.
    sim.delete("ResourceQuota", Some("default"), "q", Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(1000));
    assert_eq!(pods(&sim).len(), 3);
    assert!(status(&sim).get("conditions").is_none(), "{}", status(&sim));
}
