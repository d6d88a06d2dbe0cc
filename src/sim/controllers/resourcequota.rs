//! The ResourceQuota controller: keeps each quota's `status.hard` and `status.used` current as
//! objects in its namespace come and go.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{enqueue, Controller};
use crate::sim::apiserver::quota::namespace_usage;
use crate::sim::store::{ObjectKey, WatchEvent};
use crate::sim::Sim;

/// Queues the quotas of the namespace a change happened in.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let Some(ns) = ev.object.namespace() else { return };
    let keys: Vec<ObjectKey> = sim.store().list("ResourceQuota", Some(ns)).map(ObjectKey::of).collect();
    for k in keys {
        enqueue(sim, Controller::RESOURCE_QUOTA, k);
    }
}

/// Recomputes one quota's usage.
pub fn sync_quota(sim: &mut Sim, key: &ObjectKey) {
    let Some(mut quota) = sim.store().get_key(key).cloned() else { return };
    let hard: BTreeMap<String, Value> =
        serde_json::from_value(quota.field("spec.hard").cloned().unwrap_or(json!({}))).unwrap_or_default();
    let usage = namespace_usage(sim, &key.namespace);
    let used: BTreeMap<String, String> =
        hard.keys().map(|k| (k.clone(), usage.get(k).map_or("0".to_string(), |q| q.to_string()))).collect();
    let status = json!({"hard": hard, "used": used});
    if quota.body.get("status") == Some(&status) {
        return;
    }
    quota.body.insert("status".into(), status);
    quota.metadata.resource_version = None;
    let _ = sim.store_update(quota);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn status_shows_hard_and_used() {
        let mut sim = Sim::new(SimConfig::default());
        let text = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: counts\nspec:\n  hard: {configmaps: '10', pods: '4'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
        for o in manifest::parse(text).unwrap() {
            sim.create(o).unwrap();
        }
        sim.advance(Duration::ZERO);
        let q = sim.store().get("ResourceQuota", Some("default"), "counts").unwrap();
        // kube-root-ca.crt and a.
        assert_eq!(q.field("status.used"), Some(&serde_json::json!({"configmaps": "2", "pods": "0"})));
    }
}
