//! The `READY`, `STATUS` and `RESTARTS` columns of `kubectl get pods`, computed from the pod's
//! status the way kubectl's printer does (`Init:0/1`, `CrashLoopBackOff`, `Completed`,
//! `Terminating`, `2 (3m ago)`).

use std::time::Duration;

use serde_json::Value;

use super::table::human_duration;
use crate::sim::api::Object;
use crate::sim::node_lifecycle::parse_time;
use crate::sim::time::SimTime;

/// `READY`, `STATUS`, `RESTARTS` of a pod at `now`.
pub fn columns(pod: &Object, now: SimTime) -> (String, String, String) {
    let status = pod.body.get("status").cloned().unwrap_or(Value::Null);
    let spec = pod.body.get("spec").cloned().unwrap_or(Value::Null);
    let mut reason = status["phase"].as_str().unwrap_or("Pending").to_string();
    if let Some(r) = status["reason"].as_str().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }
    let total = spec["containers"].as_array().map_or(0, Vec::len);
    let mut restarts: u64 = 0;
    let mut last_restart: Option<SimTime> = None;
    let mut note_restart = |cs: &Value| {
        restarts += cs["restartCount"].as_u64().unwrap_or(0);
        if let Some(t) = cs["lastState"]["terminated"]["finishedAt"].as_str().and_then(parse_time) {
            last_restart = Some(last_restart.map_or(t, |l: SimTime| l.max(t)));
        }
    };
    let init_specs = spec["initContainers"].as_array().cloned().unwrap_or_default();
    let init_statuses = status["initContainerStatuses"].as_array().cloned().unwrap_or_default();
    let mut initializing = false;
    for (i, cs) in init_statuses.iter().enumerate() {
        note_restart(cs);
        let sidecar = init_specs.iter().any(|s| s["name"] == cs["name"] && s["restartPolicy"] == "Always");
        let term = &cs["state"]["terminated"];
        let waiting = &cs["state"]["waiting"];
        if term["exitCode"] == 0 && term.is_object() {
            continue;
        }
        if sidecar && cs["started"] == true {
            continue;
        }
        if term.is_object() {
            reason = match term["reason"].as_str().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
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
    let mut ready = 0;
    if !initializing {
        let mut has_running = false;
        let statuses = status["containerStatuses"].as_array().cloned().unwrap_or_default();
        for cs in statuses.iter().rev() {
            note_restart(cs);
            let state = &cs["state"];
            if let Some(w) = state["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = w.to_string();
            } else if let Some(t) = state["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
                reason = t.to_string();
            } else if state["terminated"].is_object() {
                reason = format!("ExitCode:{}", state["terminated"]["exitCode"]);
            } else if state["running"].is_object() && cs["ready"] == true {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Ready" && c["status"] == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        reason = if status["reason"] == "NodeLost" { "Unknown" } else { "Terminating" }.to_string();
    }
    let restarts_text = match last_restart {
        Some(t) if restarts > 0 => format!("{restarts} ({} ago)", human_duration(now.since(t).max(Duration::ZERO))),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts_text)
}
