//! Deployment controller behaviour with upstream numbers, stepping simulated time.

use std::time::Duration;

use serde_json::{json, Value};

use super::util::REVISION;
use crate::manifest;
use crate::sim::api::Object;
use crate::sim::apiserver::patch as api_patch;
use crate::sim::apiserver::patch::PatchType;
use crate::sim::events;
use crate::sim::{Sim, SimConfig};

fn deployment(replicas: u32, strategy: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n{strategy}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      nodeName: node-1\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports: [{{containerPort: 80}}]\n"
    )
}

fn sim_with(yaml: &str) -> Sim {
    let mut sim = Sim::new(SimConfig { limits: crate::sim::Limits::none(), ..SimConfig::default() });
    for o in manifest::parse(yaml).unwrap() {
        sim.create(o).unwrap();
    }
    sim
}

fn d(sim: &Sim) -> Object {
    sim.store().get("Deployment", Some("default"), "web").unwrap().clone()
}

fn replica_sets(sim: &Sim) -> Vec<Object> {
    let dep = d(sim);
    super::owned_replica_sets(sim.store(), &dep)
}

fn set_image(sim: &mut Sim, image: &str) {
    let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": image}]}}}});
    crate::sim::apiserver::patch(sim, "Deployment", Some("default"), "web", PatchType::Strategic, &body).unwrap();
}

fn live_pods(sim: &Sim) -> Vec<Object> {
    sim.store().list("Pod", Some("default")).filter(|p| p.metadata.deletion_timestamp.is_none()).cloned().collect()
}

fn ready_pods(sim: &Sim) -> usize {
    live_pods(sim)
        .iter()
        .filter(|p| {
            p.field("status.conditions")
                .and_then(Value::as_array)
                .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
        })
        .count()
}

fn condition(sim: &Sim, ty: &str) -> Value {
    d(sim)
        .field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == ty).cloned())
        .unwrap_or(Value::Null)
}

#[test]
fn new_deployment_creates_a_hashed_replica_set_and_becomes_available() {
    let mut sim = sim_with(&deployment(3, ""));
    sim.advance(Duration::from_secs(15));
    let rss = replica_sets(&sim);
    assert_eq!(rss.len(), 1);
    let hash = rss[0].label("pod-template-hash").unwrap().to_string();
    assert_eq!(rss[0].name(), format!("web-{hash}"));
    assert_eq!(live_pods(&sim).len(), 3);
    assert!(live_pods(&sim).iter().all(|p| p.name().starts_with(&format!("web-{hash}-"))));
    let status = d(&sim).body["status"].clone();
    assert_eq!(
        (status["replicas"].clone(), status["availableReplicas"].clone(), status["updatedReplicas"].clone()),
        (json!(3), json!(3), json!(3))
    );
    assert_eq!(condition(&sim, "Available")["reason"], "MinimumReplicasAvailable");
    assert_eq!(condition(&sim, "Progressing")["reason"], "NewReplicaSetAvailable");
    assert_eq!(d(&sim).metadata.annotations.unwrap()[REVISION], "1");
    let msgs: Vec<Value> = events::about(&sim, d(&sim).uid()).iter().map(|e| e.body["message"].clone()).collect();
    assert_eq!(msgs, [json!(format!("Scaled up replica set web-{hash} from 0 to 3"))]);
}

#[test]
fn rolling_update_with_surge_3_unavailable_2_keeps_within_13_pods_and_8_available() {
    let strategy = "  strategy:\n    rollingUpdate: {maxSurge: 3, maxUnavailable: 2}\n";
    let mut sim = sim_with(&deployment(10, strategy));
    sim.advance(Duration::from_secs(15));
    set_image(&mut sim, "nginx:1.28");
    let mut max_replicas = 0;
    let mut min_ready = usize::MAX;
    for _ in 0..120 {
        sim.advance(Duration::from_millis(250));
        let total: i64 = replica_sets(&sim).iter().map(super::replicas).sum();
        max_replicas = max_replicas.max(total);
        min_ready = min_ready.min(ready_pods(&sim));
        assert!(total <= 13, "{total} pods wanted at {}", sim.now());
        assert!(ready_pods(&sim) >= 8, "only {} ready at {}", ready_pods(&sim), sim.now());
    }
    assert_eq!(max_replicas, 13, "the surge was used");
    let rss = replica_sets(&sim);
    let new_rs = rss.iter().find(|rs| super::replicas(rs) == 10).expect("new RS at 10");
    assert_eq!(new_rs.metadata.annotations.as_ref().unwrap()[REVISION], "2");
    assert!(rss.iter().filter(|rs| rs.uid() != new_rs.uid()).all(|rs| super::replicas(rs) == 0));
    assert!(live_pods(&sim).iter().all(|p| p.field("spec.containers").unwrap()[0]["image"] == "nginx:1.28"));
    assert_eq!(condition(&sim, "Progressing")["reason"], "NewReplicaSetAvailable");
}

#[test]
fn recreate_stops_every_old_pod_before_starting_new_ones() {
    let mut sim = sim_with(&deployment(3, "  strategy:\n    type: Recreate\n"));
    sim.advance(Duration::from_secs(15));
    set_image(&mut sim, "nginx:1.28");
    for _ in 0..60 {
        sim.advance(Duration::from_millis(250));
        let images: Vec<Value> = sim
            .store()
            .list("Pod", Some("default"))
            .map(|p| p.field("spec.containers").unwrap()[0]["image"].clone())
            .collect();
        assert!(
            !(images.contains(&json!("nginx:1.27")) && images.contains(&json!("nginx:1.28"))),
            "old and new together at {}",
            sim.now()
        );
    }
    assert_eq!(live_pods(&sim).len(), 3);
}

#[test]
fn stalled_rollout_exceeds_its_progress_deadline_while_old_pods_serve() {
    let strategy = "  progressDeadlineSeconds: 60\n";
    let mut sim = sim_with(&deployment(4, strategy));
    sim.advance(Duration::from_secs(15));
    // The new version never becomes ready: its readiness probe hits a port nothing serves.
    let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28",
        "readinessProbe": {"tcpSocket": {"port": 9999}}}]}}}});
    crate::sim::apiserver::patch(&mut sim, "Deployment", Some("default"), "web", PatchType::Strategic, &body).unwrap();
    sim.advance(Duration::from_secs(30));
    assert_eq!(condition(&sim, "Progressing")["reason"], "ReplicaSetUpdated");
    assert!(ready_pods(&sim) >= 3, "maxUnavailable 25% of 4 = 1");
    sim.advance(Duration::from_secs(60));
    let c = condition(&sim, "Progressing");
    assert_eq!((c["status"].clone(), c["reason"].clone()), (json!("False"), json!("ProgressDeadlineExceeded")));
    assert!(c["message"].as_str().unwrap().ends_with("has timed out progressing."));
    assert!(ready_pods(&sim) >= 3);
}

#[test]
fn undo_to_the_previous_template_reuses_its_replica_set_with_a_new_revision() {
    let mut sim = sim_with(&deployment(2, ""));
    sim.advance(Duration::from_secs(15));
    let first = replica_sets(&sim)[0].name().to_string();
    set_image(&mut sim, "nginx:1.28");
    sim.advance(Duration::from_secs(30));
    set_image(&mut sim, "nginx:1.27");
    sim.advance(Duration::from_secs(30));
    let rss = replica_sets(&sim);
    assert_eq!(rss.len(), 2);
    let back = rss.iter().find(|rs| rs.name() == first).unwrap();
    assert_eq!(super::replicas(back), 2);
    assert_eq!(back.metadata.annotations.as_ref().unwrap()[REVISION], "3");
    assert_eq!(d(&sim).metadata.annotations.unwrap()[REVISION], "3");
}

#[test]
fn revision_history_limit_deletes_the_oldest_idle_replica_sets() {
    let mut sim = sim_with(&deployment(1, "  revisionHistoryLimit: 1\n"));
    for image in ["nginx:1.27", "nginx:1.28", "nginx:1.29", "nginx:1.26"] {
        set_image(&mut sim, image);
        sim.advance(Duration::from_secs(30));
    }
    assert_eq!(replica_sets(&sim).len(), 2, "the current one and one old");
}

#[test]
fn scaling_mid_rollout_is_proportional_and_stays_within_the_surge() {
    let mut sim = sim_with(&deployment(10, "  strategy:\n    rollingUpdate: {maxSurge: 3, maxUnavailable: 2}\n"));
    sim.advance(Duration::from_secs(15));
    set_image(&mut sim, "nginx:1.28");
    sim.advance(Duration::from_millis(200));
    let body = json!({"spec": {"replicas": 20}});
    crate::sim::apiserver::patch(&mut sim, "Deployment", Some("default"), "web", api_patch::PatchType::Merge, &body)
        .unwrap();
    sim.advance(Duration::from_millis(1));
    let sizes: Vec<i64> = replica_sets(&sim).iter().map(super::replicas).collect();
    assert_eq!(sizes.iter().sum::<i64>(), 23, "20 + maxSurge 3: {sizes:?}");
    assert!(sizes.iter().all(|s| *s > 0), "both grew: {sizes:?}");
    sim.advance(Duration::from_secs(60));
    assert_eq!(live_pods(&sim).len(), 20);
}

#[test]
fn deployment_annotations_are_copied_onto_its_new_replica_set_but_not_revision_or_last_applied() {
    let yaml = deployment(1, "").replacen(
        "  name: web\n",
        "  name: web\n  annotations:\n    kubernetes.io/change-cause: first\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\n    deployment.kubernetes.io/revision: '7'\n",
        1,
    );
    let mut sim = sim_with(&yaml);
    sim.advance(Duration::from_secs(5));
    let rs = replica_sets(&sim).remove(0);
    let ann = rs.metadata.annotations.clone().unwrap();
    assert_eq!(ann.get("kubernetes.io/change-cause").map(String::as_str), Some("first"));
    assert_eq!(ann.get(REVISION).map(String::as_str), Some("1"));
    assert!(!ann.contains_key("kubectl.kubernetes.io/last-applied-configuration"));
    // A later change of the Deployment's annotations reaches the current ReplicaSet too.
    let body = json!({"metadata": {"annotations": {"kubernetes.io/change-cause": "second"}}});
    crate::sim::apiserver::patch(&mut sim, "Deployment", Some("default"), "web", PatchType::Merge, &body).unwrap();
    sim.advance(Duration::from_secs(1));
    let rs = replica_sets(&sim).remove(0);
    assert_eq!(rs.metadata.annotations.unwrap().get("kubernetes.io/change-cause").map(String::as_str), Some("second"));
}
