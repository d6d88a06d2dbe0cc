//! The pod status the kubelet reports: phase, conditions, container states with upstream
//! reasons and messages, IPs, QoS class. Written only when it changes.

use serde_json::{json, Map, Value};

use super::{ContainerRun, Phase, PodRun};
use crate::sim::api::Object;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// A stable fake digest for `seed`, 64 hex characters.
pub fn digest(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    for round in 0..4u8 {
        for b in seed.bytes().chain([round]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// `nginx` → `docker.io/library/nginx:latest`, as the runtime reports images.
pub fn normalize_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    if image.contains('@') {
        return full;
    }
    format!("{full}:{tag}")
}

pub(super) fn container_id(pod: &Object, c: &ContainerRun) -> String {
    format!("containerd://{}", digest(&format!("{}/{}/{}", pod.uid(), c.name, c.restart_count)))
}

fn terminated(code: i32, reason: &str, started: SimTime, finished: SimTime, id: &str) -> Value {
    json!({"terminated": {"containerID": id, "exitCode": code, "finishedAt": finished.to_rfc3339(),
                          "reason": reason, "startedAt": started.to_rfc3339()}})
}

/// `has_init`: the pod has init containers, so a container not yet created waits as
/// `PodInitializing` rather than `ContainerCreating` (the kubelet's default waiting state), and
/// kubectl prints `Init:0/2` and then `PodInitializing`.
pub(super) fn container_status(pod: &Object, c: &ContainerRun, has_init: bool) -> Value {
    let id = container_id(pod, c);
    let waiting = |reason: &str, message: Option<&str>| {
        let mut w = json!({"reason": reason});
        if let Some(m) = message {
            w["message"] = json!(m);
        }
        json!({"waiting": w})
    };
    let (state, started, has_id) = match &c.phase {
        Phase::Waiting | Phase::Pulling { .. } if has_init => (waiting("PodInitializing", None), false, false),
        Phase::Waiting | Phase::Pulling { .. } => (waiting("ContainerCreating", None), false, false),
        Phase::PullBackOff { message, shown_backoff: false, .. } => {
            (waiting("ErrImagePull", Some(message)), false, false)
        }
        Phase::PullBackOff { shown_backoff: true, .. } => {
            (waiting("ImagePullBackOff", Some(&format!("Back-off pulling image \"{}\"", c.image))), false, false)
        }
        Phase::ConfigError { message } => (waiting("CreateContainerConfigError", Some(message)), false, false),
        Phase::ImageRefused { reason, message, .. } => (waiting(reason, Some(message)), false, false),
        Phase::Running { started, .. } => (json!({"running": {"startedAt": started.to_rfc3339()}}), c.started, true),
        Phase::Exited { restart_at: Some(at), finished, .. } if at > finished => {
            let secs = at.since(*finished).as_secs();
            let msg = format!(
                "back-off {} restarting failed container={} pod={}_{}({})",
                go_duration(secs),
                c.name,
                pod.name(),
                pod.namespace().unwrap_or("default"),
                pod.uid()
            );
            (waiting("CrashLoopBackOff", Some(&msg)), false, true)
        }
        Phase::Exited { code, reason, started, finished, .. } => {
            (terminated(*code, reason, *started, *finished, &id), false, true)
        }
    };
    let last_state = match (&c.phase, &c.last_terminated) {
        (Phase::Exited { restart_at: None, .. }, _) => json!({}),
        (Phase::Exited { restart_at: Some(at), finished, .. }, Some((code, reason, s, f))) if at > finished => {
            terminated(*code, reason, *s, *f, &id)
        }
        (Phase::Running { .. }, Some((code, reason, s, f))) if c.restart_count > 0 => {
            let prev = format!("containerd://{}", digest(&format!("{}/{}/{}", pod.uid(), c.name, c.restart_count - 1)));
            terminated(*code, reason, *s, *f, &prev)
        }
        _ => json!({}),
    };
    let image = normalize_image(&c.image);
    let mut s = json!({
        "image": image,
        "imageID": if has_id { format!("{}@sha256:{}", image.split(':').next().unwrap_or(""), digest(&c.image)) } else { String::new() },
        "lastState": last_state,
        "name": c.name,
        "ready": c.ready,
        "restartCount": c.restart_count,
        "started": started,
        "state": state,
    });
    if has_id {
        s["containerID"] = json!(id);
    }
    s
}

/// `10s`, `1m20s`, `5m0s`: Go's `time.Duration` text.
fn go_duration(secs: u64) -> String {
    if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{}s", secs / 60, secs % 60)
    }
}

/// The pod's QoS class (`Guaranteed`, `Burstable`, `BestEffort`), from its containers' resources.
pub(crate) fn qos_class(pod: &Object) -> &'static str {
    let containers: Vec<Value> = ["containers", "initContainers"]
        .iter()
        .flat_map(|k| pod.field(&format!("spec.{k}")).and_then(Value::as_array).cloned().unwrap_or_default())
        .collect();
    let any = containers.iter().any(|c| {
        let r = &c["resources"];
        r["requests"].as_object().is_some_and(|m| !m.is_empty())
            || r["limits"].as_object().is_some_and(|m| !m.is_empty())
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = containers.iter().all(|c| {
        let r = &c["resources"];
        ["cpu", "memory"].iter().all(|k| !r["limits"][k].is_null() && r["limits"][k] == r["requests"][k])
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Computes the status of `run` and writes it if it differs from the pod's.
pub fn write(sim: &mut Sim, pod: &Object, run: &PodRun) {
    let status = compute(pod, run, sim.now());
    if pod.body.get("status") == Some(&status) {
        return;
    }
    let mut updated = pod.clone();
    updated.body.insert("status".into(), status);
    updated.metadata.resource_version = None;
    let _ = sim.store_update(updated);
}

fn compute(pod: &Object, run: &PodRun, now: SimTime) -> Value {
    let old = pod.body.get("status").cloned().unwrap_or(Value::Null);
    let init_pending = run.containers.iter().any(|c| c.init && !c.init_satisfied());
    let regular: Vec<&ContainerRun> = run.containers.iter().filter(|c| !c.init).collect();
    let inits: Vec<&ContainerRun> = run.containers.iter().filter(|c| c.init).collect();
    let sandbox_ready = now >= run.sandbox_ready_at;
    // Native sidecars count towards the pod's readiness as regular containers do.
    let unready: Vec<&str> =
        run.containers.iter().filter(|c| (!c.init || c.sidecar) && !c.ready).map(|c| c.name.as_str()).collect();
    let all_ready = unready.is_empty() && !regular.is_empty();
    let terminated_all = regular.iter().all(|c| matches!(c.phase, Phase::Exited { restart_at: None, .. }));
    let any_running =
        regular.iter().any(|c| matches!(c.phase, Phase::Running { .. } | Phase::Exited { restart_at: Some(_), .. }));
    let phase = if terminated_all && !regular.is_empty() {
        let failed = regular.iter().any(|c| matches!(c.phase, Phase::Exited { code, .. } if code != 0));
        if failed {
            "Failed"
        } else {
            "Succeeded"
        }
    } else if !init_pending && any_running {
        "Running"
    } else {
        "Pending"
    };
    let transition = |ty: &str, status: &str| -> String {
        let prev = old["conditions"].as_array().into_iter().flatten().find(|c| c["type"] == ty);
        match prev {
            Some(p) if p["status"] == status => p["lastTransitionTime"].as_str().unwrap_or("").to_string(),
            _ => now.to_rfc3339(),
        }
    };
    let cond = |ty: &str, ok: bool, reason: Option<&str>, message: Option<String>| {
        let status = if ok { "True" } else { "False" };
        let mut c =
            json!({"lastProbeTime": null, "lastTransitionTime": transition(ty, status), "status": status, "type": ty});
        if let (false, Some(r)) = (ok, reason) {
            c["reason"] = json!(r);
        }
        if let (false, Some(m)) = (ok, message) {
            c["message"] = json!(m);
        }
        c
    };
    let unready_msg = format!("containers with unready status: [{}]", unready.join(" "));
    let init_msg = {
        let names: Vec<&str> = inits.iter().filter(|c| !c.init_satisfied()).map(|c| c.name.as_str()).collect();
        format!("containers with incomplete status: [{}]", names.join(" "))
    };
    let finished_ok = phase == "Succeeded";
    let mut conditions = vec![
        cond("PodReadyToStartContainers", sandbox_ready, None, None),
        cond("Initialized", !init_pending, Some("ContainersNotInitialized"), Some(init_msg)),
        cond(
            "Ready",
            all_ready,
            Some(if finished_ok { "PodCompleted" } else { "ContainersNotReady" }),
            Some(unready_msg.clone()),
        ),
        cond(
            "ContainersReady",
            all_ready,
            Some(if finished_ok { "PodCompleted" } else { "ContainersNotReady" }),
            Some(unready_msg),
        ),
    ];
    // PodScheduled (and anything else another component set) is kept as it was.
    for c in old["conditions"].as_array().into_iter().flatten() {
        if !conditions.iter().any(|n| n["type"] == c["type"]) {
            conditions.push(c.clone());
        }
    }
    let mut status = Map::new();
    status.insert("conditions".into(), Value::Array(conditions));
    status.insert(
        "containerStatuses".into(),
        Value::Array(regular.iter().map(|c| container_status(pod, c, !inits.is_empty())).collect()),
    );
    if !inits.is_empty() {
        status.insert(
            "initContainerStatuses".into(),
            Value::Array(inits.iter().map(|c| container_status(pod, c, true)).collect()),
        );
    }
    if !run.host_ip.is_empty() {
        status.insert("hostIP".into(), json!(run.host_ip));
        status.insert("hostIPs".into(), json!([{"ip": run.host_ip}]));
    }
    if sandbox_ready {
        status.insert("podIP".into(), json!(run.ip));
        status.insert("podIPs".into(), json!([{"ip": run.ip}]));
    }
    status.insert("phase".into(), json!(phase));
    status.insert("qosClass".into(), json!(qos_class(pod)));
    status.insert("startTime".into(), json!(run.started.to_rfc3339()));
    Value::Object(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_normalized_as_the_runtime_reports_them() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize_image("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(normalize_image("kiamol/ch03-sleep"), "docker.io/kiamol/ch03-sleep:latest");
        assert_eq!(normalize_image("registry.k8s.io/pause:3.10"), "registry.k8s.io/pause:3.10");
        assert_eq!(normalize_image("localhost:5000/app"), "localhost:5000/app:latest");
    }

    #[test]
    fn go_durations_read_as_kubelet_messages() {
        assert_eq!(go_duration(10), "10s");
        assert_eq!(go_duration(80), "1m20s");
        assert_eq!(go_duration(300), "5m0s");
    }
}
