//! Pure helpers of the Deployment controller (upstream `pkg/controller/deployment/util`):
//! the pod-template hash, maxSurge/maxUnavailable arithmetic, revisions.

use serde_json::Value;

/// The annotation holding a ReplicaSet's (and its Deployment's) revision.
pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
/// The label distinguishing the pods of one template from another's.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// Upstream's `SafeEncodeString` alphabet (no vowels, no look-alikes).
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The `pod-template-hash` of a template: FNV-32a of its canonical JSON and the collision
/// count, each decimal digit mapped through the safe alphabet.
// SIM: upstream hashes Go's `spew` dump of the template, so the value differs from a real
// cluster's for the same template; its shape (up to 10 safe characters) is the same.
pub fn pod_template_hash(template: &Value, collision_count: u32) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let text = format!("{template}{collision_count}");
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string().bytes().map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char).collect()
}

/// An int-or-percent resolved against `total`, rounding up or down (upstream
/// `GetScaledValueFromIntOrPercent`).
pub fn resolve(v: &Value, total: i64, round_up: bool) -> i64 {
    match v {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::String(s) => match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(pct) => {
                let x = pct * total;
                if round_up {
                    (x + 99).div_euclid(100)
                } else {
                    x.div_euclid(100)
                }
            }
            None => s.parse().unwrap_or(0),
        },
        _ => 0,
    }
}

/// (maxSurge, maxUnavailable) for `desired` replicas: surge rounds up, unavailable rounds
/// down, and if both come to 0, unavailable is 1 (a rollout must be able to move).
pub fn resolve_fenceposts(max_surge: &Value, max_unavailable: &Value, desired: i64) -> (i64, i64) {
    let surge = resolve(max_surge, desired, true);
    let unavailable = resolve(max_unavailable, desired, false);
    if surge == 0 && unavailable == 0 {
        return (0, 1);
    }
    (surge, unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn surge_rounds_up_and_unavailable_rounds_down() {
        assert_eq!(resolve_fenceposts(&json!("25%"), &json!("25%"), 10), (3, 2));
        assert_eq!(resolve_fenceposts(&json!("25%"), &json!("25%"), 1), (1, 0));
        assert_eq!(resolve_fenceposts(&json!(3), &json!(2), 10), (3, 2));
    }

    #[test]
    fn both_zero_makes_unavailable_one() {
        assert_eq!(resolve_fenceposts(&json!(0), &json!("0%"), 5), (0, 1));
        assert_eq!(resolve_fenceposts(&json!("10%"), &json!("10%"), 3), (1, 0));
    }

    #[test]
    fn template_hash_is_stable_safe_and_changes_with_the_template() {
        let a = pod_template_hash(&json!({"spec": {"containers": [{"image": "nginx:1.26"}]}}), 0);
        let b = pod_template_hash(&json!({"spec": {"containers": [{"image": "nginx:1.27"}]}}), 0);
        assert_eq!(a, pod_template_hash(&json!({"spec": {"containers": [{"image": "nginx:1.26"}]}}), 0));
        assert_ne!(a, b);
        assert!(a.len() <= 10 && a.bytes().all(|c| ALPHANUMS.contains(&c)), "{a}");
    }
}
