//! The Job controller (upstream `pkg/controller/job`): runs pods until `completions` succeed,
//! at most `parallelism` at a time, recreating failed ones after an exponential back-off until
//! `backoffLimit` failures, and stopping at `activeDeadlineSeconds`. Reports status and the
//! Complete / Failed conditions with upstream reasons.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::replicaset::{controller_of, pod_from_template};
use super::{enqueue, Controller};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::{self, EventType, Source};
use crate::sim::node_lifecycle::parse_time;
use crate::sim::store::{ObjectKey, WatchEvent};
use crate::sim::{Sim, Task};

const SOURCE: Source<'static> = Source { component: "job-controller", host: None };
/// Failed pods are replaced after 10 s, doubling to 6 min (upstream `DefaultJobPodFailureBackOff`).
const POD_FAILURE_BACKOFF: Duration = Duration::from_secs(10);
const POD_FAILURE_BACKOFF_MAX: Duration = Duration::from_secs(360);

/// Queues the Job a change concerns.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let o = &ev.object;
    let key = match o.kind.as_str() {
        "Job" => Some(ObjectKey::of(o)),
        "Pod" => controller_of(o).filter(|r| r.kind == "Job").map(|r| ObjectKey {
            kind: "Job".into(),
            namespace: o.namespace().unwrap_or("").into(),
            name: r.name.clone(),
        }),
        _ => None,
    };
    if let Some(k) = key {
        enqueue(sim, Controller::Job, k);
    }
}

fn int(o: &Object, path: &str, default: i64) -> i64 {
    o.field(path).and_then(Value::as_i64).unwrap_or(default)
}

fn phase(p: &Object) -> &str {
    p.field("status.phase").and_then(Value::as_str).unwrap_or("Pending")
}

fn has_condition(job: &Object, ty: &str) -> bool {
    job.field("status.conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == ty && c["status"] == "True"))
}

/// The labels the API server gives a Job's pods and selector (at creation upstream).
fn ensure_selector(sim: &mut Sim, job: &Object) -> Option<Object> {
    if job.field("spec.selector").is_some() {
        return Some(job.clone());
    }
    let mut j = job.clone();
    let labels: BTreeMap<String, String> = [
        ("batch.kubernetes.io/controller-uid", job.uid()),
        ("batch.kubernetes.io/job-name", job.name()),
        ("controller-uid", job.uid()),
        ("job-name", job.name()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let spec = j.body.get_mut("spec")?;
    spec["selector"] = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": job.uid()}});
    let tpl_labels = spec["template"]["metadata"]["labels"].as_object().cloned().unwrap_or_default();
    let mut merged: serde_json::Map<String, Value> = labels.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    merged.extend(tpl_labels);
    spec["template"]["metadata"]["labels"] = Value::Object(merged);
    let mut meta_labels = j.metadata.labels.clone().unwrap_or_default();
    meta_labels.extend(labels.into_iter().filter(|(k, _)| k.contains("job-name")));
    j.metadata.labels = Some(meta_labels);
    j.metadata.resource_version = None;
    // SIM: upstream's API server adds these when the Job is created; here the first sync does.
    sim.store_update(j).ok()
}

/// `syncJob`.
pub fn sync_job(sim: &mut Sim, key: &ObjectKey) {
    let Some(job) = sim.store().get_key(key).cloned() else { return };
    if job.metadata.deletion_timestamp.is_some() || has_condition(&job, "Complete") || has_condition(&job, "Failed") {
        return;
    }
    let Some(job) = ensure_selector(sim, &job) else { return };
    let now = sim.now();
    let pods: Vec<Object> = sim
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .cloned()
        .collect();
    let succeeded = pods.iter().filter(|p| phase(p) == "Succeeded").count() as i64;
    let failed = pods.iter().filter(|p| phase(p) == "Failed").count() as i64;
    let active: Vec<&Object> = pods
        .iter()
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
        .collect();
    let completions = int(&job, "spec.completions", 1);
    let parallelism = int(&job, "spec.parallelism", 1);
    let backoff_limit = int(&job, "spec.backoffLimit", 6);
    let start = job.field("status.startTime").and_then(Value::as_str).and_then(parse_time).unwrap_or(now);
    let deadline = job.field("spec.activeDeadlineSeconds").and_then(Value::as_u64);
    let mut finished: Option<(&str, &str, String)> = None;
    if succeeded >= completions {
        finished = Some(("Complete", "CompletionsReached", "Reached expected number of succeeded pods".into()));
    } else if failed > backoff_limit {
        finished = Some(("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit".into()));
    } else if deadline.is_some_and(|d| now.since(start) >= Duration::from_secs(d)) {
        finished = Some(("Failed", "DeadlineExceeded", "Job was active longer than specified deadline".into()));
    }
    if let Some((_, _, _)) = &finished {
        for p in &active {
            let _ = sim.delete("Pod", p.namespace(), p.name(), Propagation::Background);
        }
    } else {
        let want = parallelism.min(completions - succeeded).max(0);
        let missing = want - active.len() as i64;
        // Replacements for failed pods wait out the exponential back-off.
        let last_failure = pods
            .iter()
            .filter(|p| phase(p) == "Failed")
            .filter_map(|p| {
                p.field("status.containerStatuses")
                    .and_then(|c| c[0]["state"]["terminated"]["finishedAt"].as_str())
                    .and_then(parse_time)
            })
            .max();
        let wait = if failed == 0 {
            Duration::ZERO
        } else {
            (POD_FAILURE_BACKOFF * (1 << (failed - 1).min(10)) as u32).min(POD_FAILURE_BACKOFF_MAX)
        };
        let ready_at = last_failure.map_or(now, |t| t + wait);
        if missing > 0 && ready_at > now {
            sim.schedule(ready_at.since(now), Task::Sync(Controller::Job, key.clone()));
        } else if missing > 0 {
            let template = job.field("spec.template").cloned().unwrap_or(Value::Null);
            for _ in 0..missing {
                match sim.create(pod_from_template(&job, &template, &format!("{}-", job.name()))) {
                    Ok(p) => events::record(
                        sim,
                        &job,
                        None,
                        EventType::Normal,
                        "SuccessfulCreate",
                        &format!("Created pod: {}", p.name()),
                        SOURCE,
                    ),
                    Err(e) => {
                        events::record(
                            sim,
                            &job,
                            None,
                            EventType::Warning,
                            "FailedCreate",
                            &format!("Error creating: {e}"),
                            SOURCE,
                        );
                        break;
                    }
                }
            }
        }
        if let Some(d) = deadline {
            let end = start + Duration::from_secs(d);
            if end > now {
                sim.schedule(end.since(now), Task::Sync(Controller::Job, key.clone()));
            }
        }
    }
    write_status(sim, key, succeeded, failed, finished);
}

fn write_status(sim: &mut Sim, key: &ObjectKey, succeeded: i64, failed: i64, finished: Option<(&str, &str, String)>) {
    let Some(mut job) = sim.store().get_key(key).cloned() else { return };
    let now = sim.now().to_rfc3339();
    let active = sim
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
        .count() as i64;
    let ready = sim
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .filter(|p| {
            p.field("status.conditions")
                .and_then(Value::as_array)
                .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
        })
        .count() as i64;
    let old = job.body.get("status").cloned().unwrap_or(json!({}));
    let mut status = json!({"startTime": old.get("startTime").cloned().unwrap_or(json!(now)), "ready": ready, "terminating": 0,
                            "uncountedTerminatedPods": {}});
    for (k, v) in [("active", active), ("succeeded", succeeded), ("failed", failed)] {
        if v > 0 {
            status[k] = json!(v);
        }
    }
    if let Some(c) = old.get("conditions") {
        status["conditions"] = c.clone();
    }
    if let Some((ty, reason, message)) = &finished {
        let interim = if *ty == "Complete" { "SuccessCriteriaMet" } else { "FailureTarget" };
        let cond = |t: &str| json!({"type": t, "status": "True", "reason": reason, "message": message, "lastProbeTime": now, "lastTransitionTime": now});
        status["conditions"] = json!([cond(interim), cond(ty)]);
        if *ty == "Complete" {
            status["completionTime"] = json!(now);
        }
        let (ev_ty, ev_reason, ev_msg) = if *ty == "Complete" {
            (EventType::Normal, "Completed", "Job completed".to_string())
        } else {
            (EventType::Warning, *reason, message.clone())
        };
        events::record(sim, &job, None, ev_ty, ev_reason, &ev_msg, SOURCE);
    }
    if job.body.get("status") == Some(&status) {
        return;
    }
    job.body.insert("status".into(), status);
    job.metadata.resource_version = None;
    let _ = sim.store_update(job);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::sim::SimConfig;

    fn job(extra_spec: &str, command: &str) -> Sim {
        let text = format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: calc\nspec:\n{extra_spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sh, -c, '{command}']\n");
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
        sim
    }

    fn status(sim: &Sim) -> Value {
        sim.store().get("Job", Some("default"), "calc").unwrap().body["status"].clone()
    }

    #[test]
    fn completions_run_with_parallelism_and_the_job_completes() {
        let mut sim = job("  completions: 4\n  parallelism: 2\n", "sleep 5; echo 42");
        sim.advance(Duration::from_secs(3));
        assert_eq!(status(&sim)["active"], 2);
        sim.advance(Duration::from_secs(30));
        let s = status(&sim);
        assert_eq!(s["succeeded"], 4);
        assert_eq!(s["conditions"][1]["type"], "Complete");
        assert!(s["completionTime"].is_string());
        let pod = sim.store().list("Pod", Some("default")).next().unwrap();
        assert_eq!(pod.label("job-name"), Some("calc"));
    }

    #[test]
    fn failures_stop_at_the_backoff_limit() {
        let mut sim = job("  backoffLimit: 2\n", "exit 1");
        sim.advance(Duration::from_secs(200));
        let s = status(&sim);
        assert_eq!(s["failed"], 3);
        assert_eq!(s["conditions"][1]["type"], "Failed");
        assert_eq!(s["conditions"][1]["reason"], "BackoffLimitExceeded");
    }

    #[test]
    fn active_deadline_fails_the_job() {
        let mut sim = job("  activeDeadlineSeconds: 20\n", "sleep 3600");
        sim.advance(Duration::from_secs(25));
        assert_eq!(status(&sim)["conditions"][1]["reason"], "DeadlineExceeded");
    }
}
