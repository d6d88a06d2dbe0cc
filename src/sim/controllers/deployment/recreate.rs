//! The Recreate strategy (upstream `recreate.go`): scale every old ReplicaSet to zero, wait
//! until none of their pods is left, then scale the new one up.

use serde_json::Value;

use super::{cleanup_deployment, get_new_replica_set, replicas, scale};
use crate::sim::api::controller_of;
use crate::sim::api::Object;
use crate::sim::controllers::context::Ctx;

/// `rolloutRecreate`.
pub fn rollout_recreate(ctx: &mut Ctx, d: &Object, new_rs: Option<Object>, old: &[Object]) {
    let mut scaled_down = false;
    for rs in old.iter().filter(|rs| replicas(rs) > 0) {
        scaled_down |= scale(ctx, d, rs, 0);
    }
    if scaled_down {
        return;
    }
    let old_uids: Vec<&str> = old.iter().map(|rs| rs.uid()).collect();
    let old_pods_left = ctx.store().list("Pod", d.namespace()).any(|p| {
        controller_of(p).is_some_and(|r| old_uids.contains(&r.uid.as_str()))
            && !matches!(p.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed"))
    });
    if old_pods_left {
        return;
    }
    let Some(new_rs) = get_new_replica_set(ctx, d, new_rs, old, replicas(d)) else { return };
    if replicas(&new_rs) != replicas(d) {
        scale(ctx, d, &new_rs, replicas(d));
    }
    cleanup_deployment(ctx, d, old);
}
