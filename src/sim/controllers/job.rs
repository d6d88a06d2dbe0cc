//! The Job controller (upstream `pkg/controller/job`): runs pods until `completions` succeed,
//! at most `parallelism` at a time, recreating failed ones after an exponential back-off until
//! `backoffLimit` failures, and stopping at `activeDeadlineSeconds`. Reports status and the
//! Complete / Failed conditions with upstream reasons. Indexed Jobs give each pod its
//! completion index ([`indexed`]); a pod failure policy judges each failure ([`pod_failure_policy`]).

pub mod indexed;
pub mod pod_failure_policy;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{self, Reconciler};
use super::replicaset::{controller_of, pod_from_template};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::store::ObjectKey;
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;
use indexed::{completion_index, format_intervals, generate_name, is_indexed, template_for_index};
use pod_failure_policy::{match_pod_failure_policy, Action};

/// Failed pods are replaced after 10 s, doubling to 6 min (upstream `DefaultJobPodFailureBackOff`).
const POD_FAILURE_BACKOFF: Duration = Duration::from_secs(10);
const POD_FAILURE_BACKOFF_MAX: Duration = Duration::from_secs(360);

/// The Job controller (`job`): a Job and the pods it controls.
pub struct Jobs;

/// The one Job controller.
pub static JOBS: Jobs = Jobs;

impl Reconciler for Jobs {
    fn name(&self) -> &'static str {
        "job"
    }

    fn component(&self) -> &'static str {
        "job-controller"
    }

    fn kind(&self) -> &'static str {
        "Job"
    }

    fn owns(&self) -> &'static [&'static str] {
        &["Pod"]
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> reconciler::Result<reconciler::Action> {
        Ok(sync_job(ctx, key))
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
fn ensure_selector(ctx: &mut Ctx, job: &Object) -> Option<Object> {
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
    ctx.update_status(j).ok()
}

/// Failed pods replaced after `failures` failures wait 10 s doubling to 6 min.
fn backoff_delay(failures: i64) -> Duration {
    if failures <= 0 {
        return Duration::ZERO;
    }
    (POD_FAILURE_BACKOFF * (1u32 << (failures - 1).min(10))).min(POD_FAILURE_BACKOFF_MAX)
}

fn finished_at(p: &Object) -> Option<SimTime> {
    p.field("status.containerStatuses")
        .and_then(|c| c[0]["state"]["terminated"]["finishedAt"].as_str())
        .and_then(parse_time)
}

/// What the Job's failed pods add up to, once the pod failure policy has judged each.
#[derive(Default)]
struct Failures {
    /// Failures that count (all but the ignored ones): `status.failed`.
    counted: i64,
    /// The message of the first pod matching a FailJob rule.
    fail_job: Option<String>,
    /// Counted failures per completion index, and when the last of them happened.
    per_index: BTreeMap<i64, (i64, SimTime)>,
    /// Indexes failed by a FailIndex rule.
    fail_index: BTreeSet<i64>,
    last: Option<SimTime>,
}

fn judge_failures(job: &Object, pods: &[Object]) -> Failures {
    let policy = job.field("spec.podFailurePolicy");
    let mut f = Failures::default();
    for p in pods.iter().filter(|p| phase(p) == "Failed") {
        let action = policy.and_then(|pol| match_pod_failure_policy(pol, p)).unwrap_or(Action::Count);
        if action == Action::Ignore {
            continue;
        }
        f.counted += 1;
        let at = finished_at(p).unwrap_or(SimTime::ZERO);
        f.last = f.last.max(Some(at));
        let index = completion_index(p);
        match action {
            Action::FailJob(msg) => {
                f.fail_job.get_or_insert(msg);
            }
            Action::FailIndex => f.fail_index.extend(index),
            _ => {
                if let Some(i) = index {
                    let e = f.per_index.entry(i).or_insert((0, at));
                    e.0 += 1;
                    e.1 = e.1.max(at);
                }
            }
        }
    }
    f
}

/// `syncJob`.
/// Comes back when a failed pod's back-off ends or the active deadline passes.
pub fn sync_job(ctx: &mut Ctx, key: &ObjectKey) -> reconciler::Action {
    let mut next = reconciler::Action::AwaitChange;
    let Some(job) = ctx.store().get_key(key).cloned() else { return next };
    if job.metadata.deletion_timestamp.is_some() || has_condition(&job, "Complete") || has_condition(&job, "Failed") {
        return next;
    }
    let Some(job) = ensure_selector(ctx, &job) else { return next };
    let now = ctx.now();
    let pods: Vec<Object> = ctx
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .cloned()
        .collect();
    let indexed = is_indexed(&job);
    let completions = int(&job, "spec.completions", 1);
    let parallelism = int(&job, "spec.parallelism", 1);
    let per_index_limit = job.field("spec.backoffLimitPerIndex").and_then(Value::as_i64).filter(|_| indexed);
    let backoff_limit = int(&job, "spec.backoffLimit", if per_index_limit.is_some() { i32::MAX as i64 } else { 6 });
    let max_failed_indexes = job.field("spec.maxFailedIndexes").and_then(Value::as_i64);
    let failures = judge_failures(&job, &pods);
    let in_range = |p: &Object| completion_index(p).filter(|i| *i < completions);
    let succeeded_indexes: BTreeSet<i64> =
        pods.iter().filter(|p| phase(p) == "Succeeded").filter_map(in_range).collect();
    let succeeded = if indexed {
        succeeded_indexes.len() as i64
    } else {
        pods.iter().filter(|p| phase(p) == "Succeeded").count() as i64
    };
    // With backoffLimitPerIndex, an index fails past its own limit (or by a FailIndex rule).
    let mut failed_indexes: BTreeSet<i64> = BTreeSet::new();
    if let Some(limit) = per_index_limit {
        failed_indexes.extend(failures.fail_index.iter().copied());
        failed_indexes.extend(failures.per_index.iter().filter(|(_, (n, _))| *n > limit).map(|(i, _)| *i));
        failed_indexes.retain(|i| !succeeded_indexes.contains(i) && *i < completions);
    }
    let mut active: Vec<&Object> = pods
        .iter()
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
        .collect();
    let start = job.field("status.startTime").and_then(Value::as_str).and_then(parse_time).unwrap_or(now);
    let deadline = job.field("spec.activeDeadlineSeconds").and_then(Value::as_u64);
    let mut finished: Option<(&str, &str, String)> = None;
    if let Some(msg) = &failures.fail_job {
        finished = Some(("Failed", "PodFailurePolicy", msg.clone()));
    } else if failures.counted > backoff_limit {
        finished = Some(("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit".into()));
    } else if deadline.is_some_and(|d| now.since(start) >= Duration::from_secs(d)) {
        finished = Some(("Failed", "DeadlineExceeded", "Job was active longer than specified deadline".into()));
    } else if max_failed_indexes.is_some_and(|m| failed_indexes.len() as i64 > m) {
        let msg = "Job has exceeded the specified maximal number of failed indexes".into();
        finished = Some(("Failed", "MaxFailedIndexesExceeded", msg));
    } else if succeeded >= completions {
        finished = Some(("Complete", "CompletionsReached", "Reached expected number of succeeded pods".into()));
    } else if !failed_indexes.is_empty() && (failed_indexes.len() + succeeded_indexes.len()) as i64 >= completions {
        finished = Some(("Failed", "FailedIndexes", "Job has failed indexes".into()));
    }
    if finished.is_some() {
        for p in &active {
            let _ = ctx.delete("Pod", p.namespace(), p.name(), Propagation::Background);
        }
    } else {
        if indexed {
            // One pod per index still to do: others (done, failed, duplicate, out of range) go.
            let mut seen = BTreeSet::new();
            let (keep, surplus): (Vec<&Object>, Vec<&Object>) = active.into_iter().partition(|p| {
                in_range(p)
                    .is_some_and(|i| !succeeded_indexes.contains(&i) && !failed_indexes.contains(&i) && seen.insert(i))
            });
            for p in surplus {
                let _ = ctx.delete("Pod", p.namespace(), p.name(), Propagation::Background);
            }
            active = keep;
        }
        let want = parallelism.min(completions - succeeded).max(0);
        let missing = (want - active.len() as i64).max(0);
        // Each new pod is for an index (Indexed) or for none, and may have to wait out the
        // back-off of the failures before it: the Job's, or its index's with backoffLimitPerIndex.
        let slots: Vec<(Option<i64>, SimTime)> = if indexed {
            let busy: BTreeSet<i64> = active.iter().filter_map(|p| completion_index(p)).collect();
            (0..completions)
                .filter(|i| !succeeded_indexes.contains(i) && !failed_indexes.contains(i) && !busy.contains(i))
                .take(missing as usize)
                .map(|i| match (per_index_limit, failures.per_index.get(&i)) {
                    (Some(_), Some(&(n, last))) => (Some(i), last + backoff_delay(n)),
                    (Some(_), None) => (Some(i), now),
                    (None, _) => (Some(i), failures.last.map_or(now, |t| t + backoff_delay(failures.counted))),
                })
                .collect()
        } else {
            let ready = failures.last.map_or(now, |t| t + backoff_delay(failures.counted));
            vec![(None, ready); missing as usize]
        };
        let template = job.field("spec.template").cloned().unwrap_or(Value::Null);
        let mut later: Option<SimTime> = None;
        for (index, ready_at) in slots {
            if ready_at > now {
                later = Some(later.map_or(ready_at, |l| l.min(ready_at)));
                continue;
            }
            let pod = match index {
                Some(i) => {
                    let earlier = per_index_limit.map(|_| failures.per_index.get(&i).map_or(0, |f| f.0));
                    let tpl = template_for_index(&template, job.name(), i, earlier);
                    pod_from_template(&job, &tpl, &generate_name(job.name(), i))
                }
                None => pod_from_template(&job, &template, &format!("{}-", job.name())),
            };
            match ctx.create(pod) {
                Ok(p) => {
                    let msg = format!("Created pod: {}", p.name());
                    ctx.record(&job, EventType::Normal, "SuccessfulCreate", &msg);
                }
                Err(e) => {
                    let msg = format!("Error creating: {e}");
                    ctx.record(&job, EventType::Warning, "FailedCreate", &msg);
                    break;
                }
            }
        }
        if let Some(at) = later {
            next = next.min(reconciler::Action::requeue(at.since(now)));
        }
        if let Some(d) = deadline {
            let end = start + Duration::from_secs(d);
            if end > now {
                next = next.min(reconciler::Action::requeue(end.since(now)));
            }
        }
    }
    let mut extra = serde_json::Map::new();
    if indexed && !succeeded_indexes.is_empty() {
        extra.insert("completedIndexes".into(), json!(format_intervals(&succeeded_indexes)));
    }
    if per_index_limit.is_some() {
        extra.insert("failedIndexes".into(), json!(format_intervals(&failed_indexes)));
    }
    write_status(ctx, key, succeeded, failures.counted, finished, extra);
    next
}

fn write_status(
    ctx: &mut Ctx,
    key: &ObjectKey,
    succeeded: i64,
    failed: i64,
    finished: Option<(&str, &str, String)>,
    extra: serde_json::Map<String, Value>,
) {
    let Some(mut job) = ctx.store().get_key(key).cloned() else { return };
    let now = ctx.now().to_rfc3339();
    let active = ctx
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
        .count() as i64;
    let ready = ctx
        .store()
        .list("Pod", job.namespace())
        .filter(|p| controller_of(p).is_some_and(|r| r.uid == job.uid()))
        .filter(|p| crate::sim::api::conditions::is_ready(p))
        .count() as i64;
    let old = job.body.get("status").cloned().unwrap_or(json!({}));
    let mut status = json!({"startTime": old.get("startTime").cloned().unwrap_or(json!(now)), "ready": ready, "terminating": 0,
                            "uncountedTerminatedPods": {}});
    for (k, v) in [("active", active), ("succeeded", succeeded), ("failed", failed)] {
        if v > 0 {
            status[k] = json!(v);
        }
    }
    if let Some(m) = status.as_object_mut() {
        m.extend(extra);
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
        ctx.record(&job, ev_ty, ev_reason, &ev_msg);
    }
    if job.body.get("status") == Some(&status) {
        return;
    }
    job.body.insert("status".into(), status);
    job.metadata.resource_version = None;
    let _ = ctx.update_status(job);
}

#[cfg(test)]
mod tests;
