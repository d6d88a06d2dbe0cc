//! The shared rules about conditions, in one place for the controllers, kubectl, the lessons
//! and scenario replay: whether a pod is ready, whether a workload's rollout is complete (as
//! `kubectl rollout status` decides it, so "run until settled" and `rollout status` agree),
//! and how a condition is set.

use serde_json::{json, Value};

use super::Object;
use crate::sim::time::SimTime;

/// The condition of type `ty` in `status.conditions`, if any.
pub fn condition<'a>(o: &'a Object, ty: &str) -> Option<&'a Value> {
    o.field("status.conditions")?.as_array()?.iter().find(|c| c["type"] == ty)
}

/// Whether condition `ty` is `True`.
pub fn is_true(o: &Object, ty: &str) -> bool {
    condition(o, ty).is_some_and(|c| c["status"] == "True")
}

/// A pod (or node) is ready when its `Ready` condition is `True`.
pub fn is_ready(o: &Object) -> bool {
    is_true(o, "Ready")
}

/// Sets condition `ty` on `o`'s status, as upstream's condition helpers do: the transition
/// time moves only when the status changes; returns whether anything changed.
pub fn set_condition(o: &mut Object, ty: &str, status: &str, reason: &str, message: &str, now: SimTime) -> bool {
    let st = o.body.entry("status").or_insert_with(|| json!({}));
    if !st.is_object() {
        *st = json!({});
    }
    let mut conds = st["conditions"].as_array().cloned().unwrap_or_default();
    let old = conds.iter().position(|c| c["type"] == ty);
    let since = match old.map(|i| &conds[i]) {
        Some(c) if c["status"] == status => {
            if c["reason"] == reason && c["message"] == message {
                return false;
            }
            c["lastTransitionTime"].clone()
        }
        _ => json!(now.to_rfc3339()),
    };
    let new = json!({"type": ty, "status": status, "reason": reason, "message": message, "lastTransitionTime": since});
    match old {
        Some(i) => conds[i] = new,
        None => conds.push(new),
    }
    st["conditions"] = Value::Array(conds);
    true
}

/// Sets condition `ty` on a Deployment's status as its controller does (upstream
/// `SetDeploymentCondition`): the condition is rewritten every time, `lastTransitionTime`
/// moves only when the status changes, `lastUpdateTime` whenever reason, message or status do.
pub fn set_deployment_condition(d: &mut Object, ty: &str, status: &str, reason: &str, message: &str, now: &str) {
    let st = d.body.entry("status").or_insert_with(|| json!({}));
    let conds = st.as_object_mut().expect("status is an object").entry("conditions").or_insert_with(|| json!([]));
    let Some(list) = conds.as_array_mut() else { return };
    let old = list.iter().position(|c| c["type"] == ty);
    let transition = old
        .map(|i| &list[i])
        .filter(|c| c["status"] == status)
        .and_then(|c| c["lastTransitionTime"].as_str().map(str::to_string))
        .unwrap_or_else(|| now.to_string());
    let same = old
        .map(|i| &list[i])
        .is_some_and(|c| c["reason"] == reason && c["message"] == message && c["status"] == status);
    let update_time =
        if same { old.map(|i| list[i]["lastUpdateTime"].clone()).unwrap_or(json!(now)) } else { json!(now) };
    let cond = json!({"type": ty, "status": status, "lastUpdateTime": update_time, "lastTransitionTime": transition,
                      "reason": reason, "message": message});
    match old {
        Some(i) => list[i] = cond,
        None => list.push(cond),
    }
}

/// Where a Deployment's, StatefulSet's or DaemonSet's rollout stands, in kubectl's words
/// (its `StatusViewer`s): the line `kubectl rollout status` prints and whether it is done.
/// An error is what kubectl reports instead (a passed progress deadline, OnDelete).
pub fn rollout_progress(o: &Object) -> Result<(String, bool), String> {
    let int = |path: &str| o.field(path).and_then(Value::as_i64).unwrap_or(0);
    let name = o.name();
    let generation = o.metadata.generation.unwrap_or(0);
    let observed = int("status.observedGeneration");
    let replicas = o.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    match o.kind.as_str() {
        "Deployment" => {
            if generation > observed {
                return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
            }
            if condition(o, "Progressing").is_some_and(|c| c["reason"] == "ProgressDeadlineExceeded") {
                return Err(format!("deployment \"{name}\" exceeded its progress deadline"));
            }
            let (updated, total, available) =
                (int("status.updatedReplicas"), int("status.replicas"), int("status.availableReplicas"));
            Ok(if updated < replicas {
                (format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...\n"), false)
            } else if total > updated {
                (format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", total - updated), false)
            } else if available < updated {
                (format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false)
            } else {
                (format!("deployment \"{name}\" successfully rolled out\n"), true)
            })
        }
        "DaemonSet" | "StatefulSet"
            if o.field("spec.updateStrategy.type").and_then(Value::as_str) == Some("OnDelete") =>
        {
            Err("rollout status is only available for RollingUpdate strategy type".into())
        }
        "DaemonSet" => {
            if generation > observed {
                return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
            }
            let desired = int("status.desiredNumberScheduled");
            let (updated, available) = (int("status.updatedNumberScheduled"), int("status.numberAvailable"));
            Ok(if updated < desired {
                (format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"), false)
            } else if available < desired {
                (format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...\n"), false)
            } else {
                (format!("daemon set \"{name}\" successfully rolled out\n"), true)
            })
        }
        "StatefulSet" => {
            if observed == 0 || generation > observed {
                return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
            }
            let ready = int("status.readyReplicas");
            if ready < replicas {
                return Ok((format!("Waiting for {} pods to be ready...\n", replicas - ready), false));
            }
            let updated = int("status.updatedReplicas");
            if let Some(ru) = o.field("spec.updateStrategy.rollingUpdate").filter(|v| v.is_object()) {
                if let Some(partition) = ru["partition"].as_i64() {
                    if updated < replicas - partition {
                        let want = replicas - partition;
                        return Ok((format!("Waiting for partitioned roll out to finish: {updated} out of {want} new pods have been updated...\n"), false));
                    }
                }
                return Ok((format!("partitioned roll out complete: {updated} new pods have been updated...\n"), true));
            }
            let text = |path: &str| o.field(path).and_then(Value::as_str).unwrap_or("").to_string();
            let (current, update) = (text("status.currentRevision"), text("status.updateRevision"));
            Ok(if update != current {
                (
                    format!(
                        "waiting for statefulset rolling update to complete {updated} pods at revision {update}...\n"
                    ),
                    false,
                )
            } else {
                let n = int("status.currentReplicas");
                (format!("statefulset rolling update complete {n} pods at revision {current}...\n"), true)
            })
        }
        other => Err(format!("no rollout support for {other}")),
    }
}

/// Whether `kubectl rollout status` would say the rollout is done (an OnDelete set, or a
/// Deployment past its deadline, waits for nothing and counts as done).
pub fn rollout_complete(o: &Object) -> bool {
    !matches!(rollout_progress(o), Ok((_, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: &str, body: Value) -> Object {
        let mut o = Object::new("apps/v1", kind, "web");
        o.metadata.generation = Some(1);
        o.body = body.as_object().cloned().unwrap_or_default();
        o
    }

    #[test]
    fn a_pod_is_ready_only_when_its_ready_condition_is_true() {
        let pod = |s: &str| obj("Pod", json!({"status": {"conditions": [{"type": "Ready", "status": s}]}}));
        assert!(is_ready(&pod("True")));
        assert!(!is_ready(&pod("False")));
        assert!(!is_ready(&obj("Pod", json!({}))));
    }

    #[test]
    fn rollout_complete_follows_kubectls_status_viewers() {
        let d = |updated: i64, total: i64, available: i64| {
            obj(
                "Deployment",
                json!({"spec": {"replicas": 2}, "status": {"observedGeneration": 1,
                "updatedReplicas": updated, "replicas": total, "availableReplicas": available}}),
            )
        };
        assert!(rollout_complete(&d(2, 2, 2)));
        assert!(!rollout_complete(&d(2, 3, 2)), "an old replica is still terminating");
        assert!(!rollout_complete(&d(2, 2, 1)));
        let sts = obj(
            "StatefulSet",
            json!({"spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}},
            "status": {"observedGeneration": 1, "readyReplicas": 3, "updatedReplicas": 1}}),
        );
        assert_eq!(
            rollout_progress(&sts).unwrap(),
            ("partitioned roll out complete: 1 new pods have been updated...\n".into(), true)
        );
        let ds = obj(
            "DaemonSet",
            json!({"status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2}}),
        );
        assert!(!rollout_complete(&ds));
    }

    #[test]
    fn set_condition_keeps_the_transition_time_while_the_status_stays() {
        let mut o = obj("Deployment", json!({}));
        assert!(set_condition(&mut o, "Available", "True", "MinimumReplicasAvailable", "ok", SimTime::from_secs(5)));
        assert!(!set_condition(&mut o, "Available", "True", "MinimumReplicasAvailable", "ok", SimTime::from_secs(9)));
        assert!(set_condition(&mut o, "Available", "True", "Other", "ok", SimTime::from_secs(9)));
        assert_eq!(
            condition(&o, "Available").unwrap()["lastTransitionTime"],
            json!(SimTime::from_secs(5).to_rfc3339())
        );
        assert!(set_condition(&mut o, "Available", "False", "Down", "no", SimTime::from_secs(12)));
        assert_eq!(
            condition(&o, "Available").unwrap()["lastTransitionTime"],
            json!(SimTime::from_secs(12).to_rfc3339())
        );
    }

    #[test]
    fn a_deployment_condition_keeps_its_update_time_while_nothing_changes() {
        let mut d = obj("Deployment", json!({}));
        set_deployment_condition(&mut d, "Progressing", "True", "ReplicaSetUpdated", "a", "t1");
        set_deployment_condition(&mut d, "Progressing", "True", "ReplicaSetUpdated", "a", "t2");
        let c = condition(&d, "Progressing").unwrap().clone();
        assert_eq!((c["lastUpdateTime"].clone(), c["lastTransitionTime"].clone()), (json!("t1"), json!("t1")));
        set_deployment_condition(&mut d, "Progressing", "True", "NewReplicaSetAvailable", "b", "t3");
        let c = condition(&d, "Progressing").unwrap().clone();
        assert_eq!((c["lastUpdateTime"].clone(), c["lastTransitionTime"].clone()), (json!("t3"), json!("t1")));
        set_deployment_condition(&mut d, "Progressing", "False", "ProgressDeadlineExceeded", "c", "t4");
        assert_eq!(condition(&d, "Progressing").unwrap()["lastTransitionTime"], json!("t4"));
    }
}
