//! The DaemonSet controller (upstream `pkg/controller/daemon`): one pod on every eligible node
//! (node selector, required node affinity, taints tolerated), new nodes get theirs, and a
//! RollingUpdate replaces old pods at most `maxUnavailable` at a time.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::deployment::util::pod_template_hash;
use super::replicaset::{controller_of, is_available, pod_from_template};
use super::{enqueue, Controller};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::{self, EventType, Source};
use crate::sim::node_lifecycle::tolerates;
use crate::sim::scheduling::plugins::match_node_selector_term;
use crate::sim::store::{ObjectKey, WatchEvent};
use crate::sim::Sim;

const SOURCE: Source<'static> = Source { component: "daemonset-controller", host: None };
const REVISION_LABEL: &str = "controller-revision-hash";

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

/// Queues DaemonSets: the changed one, a pod's owner, or all of them when nodes change.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let o = &ev.object;
    let keys: Vec<ObjectKey> = match o.kind.as_str() {
        "DaemonSet" => vec![ObjectKey::of(o)],
        "Pod" => controller_of(o)
            .filter(|r| r.kind == "DaemonSet")
            .map(|r| ObjectKey {
                kind: "DaemonSet".into(),
                namespace: o.namespace().unwrap_or("").into(),
                name: r.name.clone(),
            })
            .into_iter()
            .collect(),
        "Node" => sim.store().list("DaemonSet", None).map(ObjectKey::of).collect(),
        _ => Vec::new(),
    };
    for k in keys {
        enqueue(sim, Controller::DaemonSet, k);
    }
}

/// Whether the DaemonSet's pod belongs on `node`.
fn should_run(ds: &Object, node: &Object) -> bool {
    let spec = ds.field("spec.template.spec").cloned().unwrap_or(Value::Null);
    let labels = node.metadata.labels.clone().unwrap_or_default();
    let selector: BTreeMap<String, String> = serde_json::from_value(spec["nodeSelector"].clone()).unwrap_or_default();
    if !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return false;
    }
    let terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        .as_array()
        .cloned();
    if terms.is_some_and(|ts| !ts.iter().any(|t| match_node_selector_term(t, &labels))) {
        return false;
    }
    let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
    tolerations.extend(daemon_tolerations());
    node.field("spec.taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| matches!(t["effect"].as_str(), Some("NoSchedule" | "NoExecute")))
        .all(|t| tolerations.iter().any(|tol| tolerates(tol, t)))
}

/// `syncDaemonSet`.
pub fn sync_daemon_set(sim: &mut Sim, key: &ObjectKey) {
    let Some(ds) = sim.store().get_key(key).cloned() else { return };
    if ds.metadata.deletion_timestamp.is_some() {
        return;
    }
    let template = ds.field("spec.template").cloned().unwrap_or(Value::Null);
    let hash = pod_template_hash(&template, 0);
    let nodes: Vec<Object> = sim.store().list("Node", None).cloned().collect();
    let pods: Vec<Object> = sim
        .store()
        .list("Pod", ds.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == ds.uid()) && p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    let node_of = |p: &Object| -> String {
        p.field("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
            .and_then(|t| t[0]["matchFields"][0]["values"][0].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let max_unavailable =
        ds.field("spec.updateStrategy.rollingUpdate.maxUnavailable").and_then(Value::as_i64).unwrap_or(1).max(1);
    let rolling = ds.field("spec.updateStrategy.type").and_then(Value::as_str) != Some("OnDelete");
    let mut unavailable = 0;
    let mut old_to_replace = Vec::new();
    let now = sim.now();
    for node in &nodes {
        let here: Vec<&Object> = pods.iter().filter(|p| node_of(p) == node.name()).collect();
        let wanted = should_run(&ds, node);
        if !wanted {
            for p in here {
                delete(sim, &ds, p);
            }
            continue;
        }
        match here.first() {
            None => {
                create(sim, &ds, &template, &hash, node.name());
                unavailable += 1;
            }
            Some(p) => {
                if !is_available(p, 0, now) {
                    unavailable += 1;
                }
                if rolling && p.label(REVISION_LABEL) != Some(hash.as_str()) {
                    old_to_replace.push((*p).clone());
                }
                for extra in here.iter().skip(1) {
                    delete(sim, &ds, extra);
                }
            }
        }
    }
    // RollingUpdate: delete old pods (their replacements follow) while few enough are down.
    for p in old_to_replace {
        if unavailable >= max_unavailable {
            break;
        }
        delete(sim, &ds, &p);
        unavailable += 1;
    }
    write_status(sim, key, &hash);
}

fn create(sim: &mut Sim, ds: &Object, template: &Value, hash: &str, node: &str) {
    let mut pod = pod_from_template(ds, template, &format!("{}-", ds.name()));
    pod.metadata.labels.get_or_insert_with(BTreeMap::new).insert(REVISION_LABEL.into(), hash.into());
    let spec = pod.body.get_mut("spec").expect("template spec");
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] =
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]});
    let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
    tolerations.extend(daemon_tolerations());
    spec["tolerations"] = json!(tolerations);
    match sim.create(pod) {
        Ok(p) => events::record(
            sim,
            ds,
            None,
            EventType::Normal,
            "SuccessfulCreate",
            &format!("Created pod: {}", p.name()),
            SOURCE,
        ),
        Err(e) => {
            events::record(sim, ds, None, EventType::Warning, "FailedCreate", &format!("Error creating: {e}"), SOURCE)
        }
    }
}

fn delete(sim: &mut Sim, ds: &Object, pod: &Object) {
    if sim.delete("Pod", pod.namespace(), pod.name(), Propagation::Background).is_ok() {
        events::record(
            sim,
            ds,
            None,
            EventType::Normal,
            "SuccessfulDelete",
            &format!("Deleted pod: {}", pod.name()),
            SOURCE,
        );
    }
}

fn write_status(sim: &mut Sim, key: &ObjectKey, hash: &str) {
    let Some(mut ds) = sim.store().get_key(key).cloned() else { return };
    let now = sim.now();
    let desired = sim.store().list("Node", None).filter(|n| should_run(&ds, n)).count();
    let pods: Vec<Object> = sim
        .store()
        .list("Pod", ds.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == ds.uid()) && p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    let ready = pods.iter().filter(|p| is_available(p, 0, now)).count();
    let updated = pods.iter().filter(|p| p.label(REVISION_LABEL) == Some(hash)).count();
    let mut status = json!({"currentNumberScheduled": pods.len(), "desiredNumberScheduled": desired, "numberMisscheduled": 0,
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
    let _ = sim.store_update(ds);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::manifest;
    use crate::sim::SimConfig;

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
}
