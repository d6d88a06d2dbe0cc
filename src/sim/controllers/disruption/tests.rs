//! Disruption controller and the Eviction API: given a Deployment and a budget, expect the
//! budget's status and which evictions go through.

use std::time::Duration;

use serde_json::{json, Value};

use crate::manifest;
use crate::sim::apiserver::{evict, Reason};
use crate::sim::{Sim, SimConfig};

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - {name: web, image: nginx:1.27}\n";

fn with_budget(budget: &str) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    let pdb = format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  {budget}\n  selector:\n    matchLabels: {{app: web}}\n");
    for text in [DEPLOY, pdb.as_str()] {
        sim.create(manifest::parse(text).unwrap().remove(0)).unwrap();
    }
    sim.advance(Duration::from_secs(20));
    sim
}

fn status(sim: &Sim) -> Value {
    sim.store().get("PodDisruptionBudget", Some("default"), "web-pdb").unwrap().body["status"].clone()
}

fn live_pods(sim: &Sim) -> Vec<String> {
    sim.store()
        .list("Pod", Some("default"))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| p.name().to_string())
        .collect()
}

#[test]
fn budget_status_counts_healthy_pods_against_min_available() {
    let sim = with_budget("minAvailable: 2");
    let s = status(&sim);
    assert_eq!(s["currentHealthy"], 3);
    assert_eq!(s["desiredHealthy"], 2);
    assert_eq!(s["expectedPods"], 3);
    assert_eq!(s["disruptionsAllowed"], 1);
    assert_eq!(s["observedGeneration"], 1);
    assert_eq!(s["conditions"][0]["type"], "DisruptionAllowed");
    assert_eq!(s["conditions"][0]["status"], "True");
    assert_eq!(s["conditions"][0]["reason"], "SufficientPods");
}

#[test]
fn percentages_round_up_as_upstream() {
    // 50% of 3 is 1.5: at least 2 must stay.
    let s = status(&with_budget("minAvailable: 50%"));
    assert_eq!((s["desiredHealthy"].clone(), s["disruptionsAllowed"].clone()), (json!(2), json!(1)));
    // 30% of 3 is 0.9: one may be unavailable, so 2 must stay.
    let s = status(&with_budget("maxUnavailable: 30%"));
    assert_eq!((s["desiredHealthy"].clone(), s["expectedPods"].clone()), (json!(2), json!(3)));
    // maxUnavailable 0: nothing may be evicted.
    let s = status(&with_budget("maxUnavailable: 0"));
    assert_eq!(s["disruptionsAllowed"], 0);
    assert_eq!(s["conditions"][0]["status"], "False");
    assert_eq!(s["conditions"][0]["reason"], "InsufficientPods");
}

#[test]
fn eviction_spends_the_budget_and_is_refused_when_none_is_left() {
    let mut sim = with_budget("minAvailable: 2");
    let pods = live_pods(&sim);
    evict(&mut sim, "default", &pods[0]).unwrap();
    let s = status(&sim);
    assert_eq!(s["disruptionsAllowed"], 0, "spent at once, before the controller recounts");
    assert!(s["disruptedPods"][&pods[0]].is_string());
    let gone = sim.store().get("Pod", Some("default"), &pods[0]).unwrap();
    assert!(gone.metadata.deletion_timestamp.is_some(), "deleted gracefully");
    let conds = gone.field("status.conditions").unwrap().as_array().unwrap();
    assert!(conds.iter().any(|c| c["type"] == "DisruptionTarget" && c["reason"] == "EvictionByEvictionAPI"));

    // The controller recounts: the evicted pod, being deleted, is no longer healthy.
    sim.advance(Duration::ZERO);
    assert_eq!(status(&sim)["currentHealthy"], 2);
    let err = evict(&mut sim, "default", &pods[1]).unwrap_err();
    assert_eq!(err.reason, Reason::TooManyRequests);
    assert_eq!(err.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert_eq!(err.hints, ["The disruption budget web-pdb needs 2 healthy pods and has 2 currently"]);
    assert!(sim.store().get("Pod", Some("default"), &pods[1]).unwrap().metadata.deletion_timestamp.is_none());

    // The ReplicaSet's replacement becomes ready: one disruption is allowed again.
    sim.advance(Duration::from_secs(40));
    assert_eq!(status(&sim)["disruptionsAllowed"], 1);
    assert!(status(&sim).get("disruptedPods").is_none());
    evict(&mut sim, "default", &pods[1]).unwrap();
}

#[test]
fn eviction_without_a_budget_just_deletes_and_unknown_pods_are_not_found() {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(manifest::parse(DEPLOY).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_secs(20));
    let pods = live_pods(&sim);
    for p in &pods {
        evict(&mut sim, "default", p).unwrap();
    }
    let err = evict(&mut sim, "default", "nope").unwrap_err();
    assert_eq!(err.message, "pods \"nope\" not found");
}

#[test]
fn budget_over_pods_without_a_scalable_controller_fails_safe() {
    let mut sim = Sim::new(SimConfig::default());
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  labels: {app: web}\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: web}\n";
    for text in [pod, pdb] {
        sim.create(manifest::parse(text).unwrap().remove(0)).unwrap();
    }
    sim.advance(Duration::from_secs(10));
    let s = status(&sim);
    assert_eq!(s["disruptionsAllowed"], 0);
    assert_eq!(s["conditions"][0]["reason"], "SyncFailed");
    assert_eq!(s["conditions"][0]["message"], "found no controllers for pod \"lone\"");
}
