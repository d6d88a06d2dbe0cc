//! HPA controller: the rate limits and windows, and what it reports when it cannot measure.

use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::manifest;
use crate::sim::{Sim, SimConfig};

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

fn sim_with(texts: &[&str]) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    for t in texts {
        sim.create(manifest::parse(t).unwrap().remove(0)).unwrap();
    }
    sim
}

fn hpa_status(sim: &Sim) -> Value {
    sim.store().get("HorizontalPodAutoscaler", Some("default"), "web").unwrap().body["status"].clone()
}

fn events_of(sim: &Sim, reason: &str) -> Vec<String> {
    sim.store()
        .list("Event", Some("default"))
        .filter(|e| e.body["reason"] == reason)
        .map(|e| e.body["message"].as_str().unwrap_or("").to_string())
        .collect()
}

fn at(s: u64) -> SimTime {
    SimTime::from_secs(s)
}

#[test]
fn scale_up_is_limited_to_double_or_four_and_max_replicas() {
    let spec = json!({"minReplicas": 1, "maxReplicas": 20});
    let mut h = Vec::new();
    let (d, _, limited) = normalize_desired_replicas(&mut h, at(0), &spec, 1, 10);
    assert_eq!((d, limited.1), (4, "ScaleUpLimit"), "max(2 × 1, 4)");
    let (d, _, _) = normalize_desired_replicas(&mut h, at(15), &spec, 4, 10);
    assert_eq!(d, 8, "max(2 × 4, 4)");
    let (d, _, limited) = normalize_desired_replicas(&mut h, at(30), &spec, 8, 30);
    assert_eq!((d, limited.1), (16, "ScaleUpLimit"));
    let (d, _, limited) = normalize_desired_replicas(&mut h, at(45), &spec, 16, 30);
    assert_eq!(
        (d, limited.1, limited.2),
        (20, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
    );
}

#[test]
fn scale_down_follows_the_highest_recommendation_of_five_minutes() {
    let spec = json!({"minReplicas": 2, "maxReplicas": 10});
    let mut h = Vec::new();
    let (d, able, _) = normalize_desired_replicas(&mut h, at(0), &spec, 6, 6);
    assert_eq!((d, able.0), (6, "ReadyForNewScale"));
    let (d, able, _) = normalize_desired_replicas(&mut h, at(15), &spec, 6, 3);
    assert_eq!(d, 6, "6 was recommended within the window");
    assert_eq!(able.0, "ScaleDownStabilized");
    assert_eq!(
        able.1,
        "recent recommendations were higher than current one, applying the highest recent recommendation"
    );
    let (d, _, _) = normalize_desired_replicas(&mut h, at(301), &spec, 6, 3);
    assert_eq!(d, 3, "the window has passed");
    let (d, _, limited) = normalize_desired_replicas(&mut h, at(316), &spec, 3, 1);
    assert_eq!((d, limited.1), (3, "DesiredWithinRange"), "3 is still the highest of the window");
    let mut h = Vec::new();
    let (d, _, limited) = normalize_desired_replicas(&mut h, at(0), &spec, 2, 1);
    assert_eq!((d, limited.1), (2, "TooFewReplicas"));
}

#[test]
fn behavior_policies_set_the_scale_up_rate() {
    let spec = json!({"minReplicas": 1, "maxReplicas": 50, "behavior": {"scaleUp": {"selectPolicy": "Min",
        "policies": [{"type": "Pods", "value": 2, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]}}});
    let (d, _, _) = normalize_desired_replicas(&mut Vec::new(), at(0), &spec, 4, 40);
    assert_eq!(d, 6, "the smaller of +2 and +100 %");
}

#[test]
fn autoscaling_v1_reads_as_a_cpu_utilization_metric() {
    let hpa = Object::from_value(json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"}, "spec": {"maxReplicas": 5, "targetCPUUtilizationPercentage": 60,
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}}}))
    .unwrap();
    let spec = v2_spec(&hpa);
    assert_eq!(spec["minReplicas"], 1);
    assert_eq!(
        spec["metrics"],
        json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}])
    );
}

const HPA: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 50\n";

#[test]
fn missing_cpu_requests_are_reported_as_upstream_does() {
    let mut sim = sim_with(&[DEPLOY, HPA]);
    sim.advance(Duration::from_secs(31));
    let pod = sim.store().list("Pod", Some("default")).next().unwrap().name().to_string();
    let err = format!("failed to get cpu utilization: missing request for cpu in container web of Pod {pod}");
    // (The first sync, as the HPA was created with the Deployment, found no pods yet.)
    let s = hpa_status(&sim);
    let active = s["conditions"].as_array().unwrap().iter().find(|c| c["type"] == "ScalingActive").unwrap().clone();
    assert_eq!(active["status"], "False");
    assert_eq!(active["reason"], "FailedGetResourceMetric");
    assert!(active["message"].as_str().unwrap().starts_with("the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container web of Pod web-"), "{active}");
    assert_eq!(s["conditions"][0]["reason"], "SucceededGetScale");
    assert_eq!(s["currentReplicas"], 2);
    assert_eq!(s["desiredReplicas"], 2);
    let failed = events_of(&sim, "FailedGetResourceMetric");
    assert!(failed.contains(&err), "{failed:?}");
    let compute = events_of(&sim, "FailedComputeMetricsReplicas");
    assert!(compute.iter().any(|m| m.starts_with("invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container web of Pod web-")), "{compute:?}");
}

#[test]
fn replicas_outside_min_and_max_are_brought_back_with_upstreams_reason() {
    let mut sim = sim_with(&[&DEPLOY.replace("replicas: 2", "replicas: 8"), HPA]);
    sim.advance(Duration::from_secs(1));
    let d = sim.store().get("Deployment", Some("default"), "web").unwrap();
    assert_eq!(d.field("spec.replicas"), Some(&json!(5)));
    assert_eq!(
        events_of(&sim, "SuccessfulRescale"),
        ["New size: 5; reason: Current number of replicas above Spec.MaxReplicas"]
    );
    let s = hpa_status(&sim);
    assert_eq!(s["conditions"][0]["reason"], "SucceededRescale");
    assert_eq!(s["conditions"][0]["message"], "the HPA controller was able to update the target scale to 5");
    assert!(s["lastScaleTime"].is_string());
}

#[test]
fn a_missing_target_is_reported() {
    let mut sim = sim_with(&[HPA]);
    sim.advance(Duration::from_secs(1));
    let s = hpa_status(&sim);
    assert_eq!(s["conditions"][0]["reason"], "FailedGetScale");
    assert_eq!(
        s["conditions"][0]["message"],
        "the HPA controller was unable to get the target's current scale: deployments.apps \"web\" not found"
    );
}
