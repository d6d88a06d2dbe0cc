//! The `READY`, `STATUS` and `RESTARTS` columns of `kubectl get pods`, computed from the pod's
//! status the way kubectl's printer does (`Init:0/1`, `CrashLoopBackOff`, `Completed`,
//! `Terminating`, `2 (3m ago)`).

use std::time::Duration;

use serde_json::Value;

use super::table::human_duration;
use crate::sim::api::Object;
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;

/// `READY`, `STATUS`, `RESTARTS` of a pod at `now`.
pub fn columns(pod: &Object, now: SimTime) -> (String, String, String) {
    // Read in place: the page computes this for every drawn pod on every tick.
    static NULL: Value = Value::Null;
    let status = pod.body.get("status").unwrap_or(&NULL);
    let spec = pod.body.get("spec").unwrap_or(&NULL);
    let phase = status["phase"].as_str().unwrap_or("Pending").to_string();
    let mut reason = phase.clone();
    if let Some(r) = status["reason"].as_str().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }
    let conditions = status["conditions"].as_array().map_or(&[][..], Vec::as_slice);
    let condition = |ty: &str| conditions.iter().find(|c| c["type"] == ty).unwrap_or(&NULL);
    if condition("PodScheduled")["reason"] == "SchedulingGated" {
        reason = "SchedulingGated".into();
    }
    let init_specs = spec["initContainers"].as_array().map_or(&[][..], Vec::as_slice);
    // Sidecars (init containers that restart always) count as containers of the pod.
    let is_sidecar = |name: &Value| init_specs.iter().any(|s| s["name"] == *name && s["restartPolicy"] == "Always");
    let mut total = spec["containers"].as_array().map_or(0, Vec::len);
    total += init_specs.iter().filter(|s| s["restartPolicy"] == "Always").count();
    let last_finish = |cs: &Value| cs["lastState"]["terminated"]["finishedAt"].as_str().and_then(parse_time);
    let later = |a: Option<SimTime>, b: Option<SimTime>| a.max(b);
    let (mut restarts, mut last_restart) = (0u64, None);
    let (mut sidecar_restarts, mut sidecar_last) = (0u64, None);
    let mut ready = 0;
    let mut initializing = false;
    let init_statuses = status["initContainerStatuses"].as_array().map_or(&[][..], Vec::as_slice);
    for (i, cs) in init_statuses.iter().enumerate() {
        restarts += cs["restartCount"].as_u64().unwrap_or(0);
        last_restart = later(last_restart, last_finish(cs));
        let sidecar = is_sidecar(&cs["name"]);
        if sidecar {
            sidecar_restarts += cs["restartCount"].as_u64().unwrap_or(0);
            sidecar_last = later(sidecar_last, last_finish(cs));
        }
        let term = &cs["state"]["terminated"];
        let waiting = &cs["state"]["waiting"];
        if term.is_object() && term["exitCode"] == 0 {
            continue;
        }
        if sidecar && cs["started"] == true {
            if cs["ready"] == true {
                ready += 1;
            }
            continue;
        }
        if term.is_object() {
            reason = match term["reason"].as_str().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if term["signal"].as_i64().unwrap_or(0) != 0 => format!("Init:Signal:{}", term["signal"]),
                None => format!("Init:ExitCode:{}", term["exitCode"]),
            };
        } else if let Some(w) = waiting["reason"].as_str().filter(|r| !r.is_empty() && *r != "PodInitializing") {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }
    if !initializing || condition("Initialized")["status"] == "True" {
        restarts = sidecar_restarts;
        last_restart = sidecar_last;
        let mut has_running = false;
        let statuses = status["containerStatuses"].as_array().map_or(&[][..], Vec::as_slice);
        for cs in statuses.iter().rev() {
            restarts += cs["restartCount"].as_u64().unwrap_or(0);
            last_restart = later(last_restart, last_finish(cs));
            let state = &cs["state"];
            let term = &state["terminated"];
            if let Some(w) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = w.to_string();
            } else if let Some(t) = term["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = t.to_string();
            } else if term.is_object() && term["signal"].as_i64().unwrap_or(0) != 0 {
                reason = format!("Signal:{}", term["signal"]);
            } else if term.is_object() {
                reason = format!("ExitCode:{}", term["exitCode"]);
            } else if state["running"].is_object() && cs["ready"] == true {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition("Ready")["status"] == "True" { "Running" } else { "NotReady" }.to_string();
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        if status["reason"] == "NodeLost" {
            reason = "Unknown".into();
        } else if !matches!(phase.as_str(), "Succeeded" | "Failed") {
            reason = "Terminating".into();
        }
    }
    let restarts_text = match last_restart {
        Some(t) if restarts > 0 => format!("{restarts} ({} ago)", human_duration(now.since(t).max(Duration::ZERO))),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts_text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(body: Value) -> Object {
        let mut v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
        v.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
        Object::from_value(v).unwrap()
    }

    #[test]
    fn sidecars_count_towards_ready_and_total() {
        let p = pod(json!({
            "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}], "containers": [{"name": "app"}]},
            "status": {"phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
                "initContainerStatuses": [{"name": "proxy", "started": true, "ready": true, "restartCount": 1,
                                           "state": {"running": {}}}],
                "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {}}}]}}));
        assert_eq!(columns(&p, SimTime::ZERO), ("2/2".into(), "Running".into(), "1".into()));
    }

    #[test]
    fn gated_pods_say_scheduling_gated() {
        let p = pod(json!({"spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}}));
        assert_eq!(columns(&p, SimTime::ZERO).1, "SchedulingGated");
    }

    #[test]
    fn a_pod_waiting_on_init_containers_shows_init_counts_then_pod_initializing() {
        use crate::shell::Shell;
        let mut sim = crate::sim::Sim::new(crate::sim::SimConfig::default());
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp\nspec:\n  initContainers:\n  - {name: a, image: busybox, command: [sh, -c, sleep 10]}\n  - {name: b, image: busybox, command: [sh, -c, sleep 10]}\n  containers:\n  - {name: app, image: nginx}\n";
        sim.create(crate::manifest::parse(yaml).unwrap().remove(0)).unwrap();
        let status = |sim: &mut crate::sim::Sim| {
            let out = Shell.run_line(sim, "kubectl get pod myapp --no-headers");
            out.stdout.split_whitespace().nth(2).unwrap_or_default().to_string()
        };
        let mut seen = Vec::new();
        for _ in 0..120 {
            let s = status(&mut sim);
            if seen.last() != Some(&s) {
                seen.push(s);
            }
            sim.advance(Duration::from_millis(500));
        }
        assert!(!seen.iter().any(|s| s.contains("ContainerCreating")), "{seen:?}");
        for want in ["Init:0/2", "PodInitializing", "Running"] {
            assert!(seen.contains(&want.to_string()), "{want} in {seen:?}");
        }
    }
}
