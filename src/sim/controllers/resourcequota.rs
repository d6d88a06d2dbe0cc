//! The ResourceQuota controller: keeps each quota's `status.hard` and `status.used` current as
//! objects in its namespace come and go.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Reconciler, Result};
use crate::sim::apiserver::quota::namespace_usage;
use crate::sim::store::{ObjectKey, Store, WatchEvent};

/// The ResourceQuota controller (`resourcequota`).
pub struct ResourceQuotas;

/// The one ResourceQuota controller.
pub static RESOURCE_QUOTAS: ResourceQuotas = ResourceQuotas;

impl Reconciler for ResourceQuotas {
    fn name(&self) -> &'static str {
        "resourcequota"
    }

    fn component(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn kind(&self) -> &'static str {
        "ResourceQuota"
    }

    /// Any change in a namespace queues that namespace's quotas.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let Some(ns) = ev.object.namespace() else { return Vec::new() };
        store.list("ResourceQuota", Some(ns)).map(ObjectKey::of).collect()
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        sync_quota(ctx, key)?;
        Ok(Action::AwaitChange)
    }
}

/// Recomputes one quota's usage.
pub fn sync_quota(ctx: &mut Ctx, key: &ObjectKey) -> Result<()> {
    let Some(mut quota) = ctx.store().get_key(key).cloned() else { return Ok(()) };
    let hard: BTreeMap<String, Value> =
        serde_json::from_value(quota.field("spec.hard").cloned().unwrap_or(json!({}))).unwrap_or_default();
    let usage = namespace_usage(ctx.store(), &key.namespace);
    let used: BTreeMap<String, String> =
        hard.keys().map(|k| (k.clone(), usage.get(k).map_or("0".to_string(), |q| q.to_string()))).collect();
    let status = json!({"hard": hard, "used": used});
    if quota.body.get("status") != Some(&status) {
        quota.body.insert("status".into(), status);
        quota.metadata.resource_version = None;
        ctx.update_status(quota)?;
    }
    Ok(())
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
