//! The RollingUpdate strategy (upstream `rolling.go`): scale the new ReplicaSet up as far as
//! maxSurge allows, scale old ones down as far as maxUnavailable allows, repeat as pods
//! become available.
//!
//! Concrete example: 10 replicas, maxSurge 3, maxUnavailable 2. The new ReplicaSet may grow
//! until all ReplicaSets together hold 13 pods; old ones may shrink while at least 8 pods are
//! available. So a rollout never has more than 13 pods nor fewer than 8 available.

use super::{cleanup_deployment, fenceposts, get_new_replica_set, replicas, scale};
use crate::sim::api::Object;
use crate::sim::controllers::context::Ctx;

fn available(rs: &Object) -> i64 {
    rs.field("status.availableReplicas").and_then(|v| v.as_i64()).unwrap_or(0)
}

/// `rolloutRolling`.
pub fn rollout_rolling(ctx: &mut Ctx, d: &Object, new_rs: Option<Object>, old: &[Object]) {
    let desired = replicas(d);
    let (surge, _) = fenceposts(d);
    let current: i64 = old.iter().map(replicas).sum();
    let initial = (desired + surge - current).clamp(0, desired);
    let Some(new_rs) = get_new_replica_set(ctx, d, new_rs, old, initial) else { return };
    if reconcile_new_replica_set(ctx, d, &new_rs, old) {
        return;
    }
    if reconcile_old_replica_sets(ctx, d, &new_rs, old) {
        return;
    }
    if replicas(&new_rs) == desired && available(&new_rs) == desired && old.iter().all(|rs| replicas(rs) == 0) {
        cleanup_deployment(ctx, d, old);
    }
}

/// Scales the new ReplicaSet up (within maxSurge) or down (if over); true if it scaled.
fn reconcile_new_replica_set(ctx: &mut Ctx, d: &Object, new_rs: &Object, old: &[Object]) -> bool {
    let desired = replicas(d);
    let have = replicas(new_rs);
    if have == desired {
        return false;
    }
    if have > desired {
        return scale(ctx, d, new_rs, desired);
    }
    let (surge, _) = fenceposts(d);
    let total: i64 = have + old.iter().map(replicas).sum::<i64>();
    let max_total = desired + surge;
    if total >= max_total {
        return false;
    }
    let up = (max_total - total).min(desired - have);
    scale(ctx, d, new_rs, have + up)
}

/// Scales old ReplicaSets down while enough pods stay available; true if any scaled.
fn reconcile_old_replica_sets(ctx: &mut Ctx, d: &Object, new_rs: &Object, old: &[Object]) -> bool {
    let old_count: i64 = old.iter().map(replicas).sum();
    if old_count == 0 {
        return false;
    }
    let desired = replicas(d);
    let (_, max_unavailable) = fenceposts(d);
    let all_count = old_count + replicas(new_rs);
    let min_available = desired - max_unavailable;
    let new_unavailable = replicas(new_rs) - available(new_rs);
    let max_scaled_down = all_count - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    // First the old pods that are not available anyway (they count against nothing).
    let mut scaled = false;
    let mut budget = max_scaled_down;
    let mut olds: Vec<Object> = old.to_vec();
    for rs in olds.iter_mut() {
        if budget == 0 {
            break;
        }
        let unhealthy = replicas(rs) - available(rs);
        let down = unhealthy.min(budget).max(0);
        if down > 0 && scale(ctx, d, rs, replicas(rs) - down) {
            budget -= down;
            scaled = true;
            let left = replicas(rs) - down;
            if let Some(spec) = rs.body.get_mut("spec") {
                spec["replicas"] = left.into();
            }
        }
    }
    // Then available old pods, keeping minAvailable, oldest ReplicaSets first.
    let available_total: i64 = olds.iter().map(available).sum::<i64>() + available(new_rs);
    if available_total <= min_available {
        return scaled;
    }
    let mut left = (available_total - min_available).min(budget);
    for rs in olds.iter() {
        if left <= 0 {
            break;
        }
        let down = replicas(rs).min(left);
        if down > 0 && scale(ctx, d, rs, replicas(rs) - down) {
            left -= down;
            scaled = true;
        }
    }
    scaled
}
