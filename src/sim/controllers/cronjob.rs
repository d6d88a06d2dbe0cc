//! The CronJob controller (upstream `pkg/controller/cronjob`): standard five-field cron
//! schedules and `@hourly`-style macros, Jobs named after their scheduled minute, concurrency
//! policies, starting deadlines, suspend, and history limits.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{self, Action, Reconciler};
use crate::sim::api::controller_of;
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::cron::time_zone::Zone;
use crate::sim::cron::Schedule;
use crate::sim::events::EventType;
use crate::sim::store::ObjectKey;
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;

/// The CronJob controller (`cronjob`): a CronJob and the Jobs it controls.
pub struct CronJobs;

/// The one CronJob controller.
pub static CRON_JOBS: CronJobs = CronJobs;

impl Reconciler for CronJobs {
    fn name(&self) -> &'static str {
        "cronjob"
    }

    fn component(&self) -> &'static str {
        "cronjob-controller"
    }

    fn kind(&self) -> &'static str {
        "CronJob"
    }

    fn owns(&self) -> &'static [&'static str] {
        &["Job"]
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> reconciler::Result<Action> {
        sync_cron_job(ctx, key)
    }
}

fn finished(job: &Object) -> Option<&'static str> {
    let conds = job.field("status.conditions")?.as_array()?;
    conds.iter().filter(|c| c["status"] == "True").find_map(|c| match c["type"].as_str() {
        Some("Complete") => Some("Complete"),
        Some("Failed") => Some("Failed"),
        _ => None,
    })
}

/// Creates the Job of a CronJob's template for `scheduled` (also `kubectl create job --from`).
pub fn job_from_template(cj: &Object, name: &str, scheduled: Option<SimTime>) -> Object {
    let tpl = cj.field("spec.jobTemplate").cloned().unwrap_or(Value::Null);
    let mut job = Object::new("batch/v1", "Job", name);
    job.metadata.namespace = cj.metadata.namespace.clone();
    job.metadata.labels = serde_json::from_value(tpl["metadata"]["labels"].clone()).ok();
    let mut ann: std::collections::BTreeMap<String, String> =
        serde_json::from_value(tpl["metadata"]["annotations"].clone()).unwrap_or_default();
    if let Some(t) = scheduled {
        ann.insert("batch.kubernetes.io/cronjob-scheduled-timestamp".into(), t.to_rfc3339());
    } else {
        ann.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
    }
    job.metadata.annotations = Some(ann);
    job.metadata.owner_references = Some(vec![OwnerReference {
        api_version: "batch/v1".into(),
        kind: "CronJob".into(),
        name: cj.name().into(),
        uid: cj.uid().into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }]);
    job.body.insert("spec".into(), tpl["spec"].clone());
    job
}

/// `syncCronJob`.
/// Comes back at the next scheduled time.
pub fn sync_cron_job(ctx: &mut Ctx, key: &ObjectKey) -> reconciler::Result<Action> {
    let Some(cj) = ctx.store().get_key(key).cloned() else { return Ok(Action::AwaitChange) };
    if cj.metadata.deletion_timestamp.is_some() {
        return Ok(Action::AwaitChange);
    }
    let now = ctx.now();
    let jobs: Vec<Object> = ctx
        .store()
        .list("Job", cj.namespace())
        .filter(|j| controller_of(j).is_some_and(|r| r.uid == cj.uid()))
        .cloned()
        .collect();
    let mut status = cj.body.get("status").cloned().unwrap_or(json!({}));
    // Jobs that finished since the last look.
    let active: Vec<&Object> = jobs.iter().filter(|j| finished(j).is_none()).collect();
    for j in jobs.iter().filter(|j| finished(j).is_some()) {
        let was_active = status["active"].as_array().is_some_and(|a| a.iter().any(|r| r["uid"] == j.uid()));
        if was_active {
            let msg = format!("Saw completed job: {}, condition: {}", j.name(), finished(j).unwrap_or(""));
            ctx.record(&cj, EventType::Normal, "SawCompletedJob", &msg);
            if finished(j) == Some("Complete") {
                status["lastSuccessfulTime"] =
                    j.field("status.completionTime").cloned().unwrap_or(json!(now.to_rfc3339()));
            }
        }
    }
    let mut active_refs: Vec<Value> =
        active.iter().map(|j| json!({"apiVersion": "batch/v1", "kind": "Job", "name": j.name(), "namespace": j.namespace(), "uid": j.uid()})).collect();
    cleanup_history(ctx, &cj, &jobs);
    let schedule = match Schedule::parse(cj.field("spec.schedule").and_then(Value::as_str).unwrap_or("")) {
        Ok(s) => s,
        Err(e) => {
            ctx.record(&cj, EventType::Warning, "UnparseableSchedule", &format!("unparseable schedule: {e}"));
            return Ok(Action::AwaitChange);
        }
    };
    let zone = match cj.field("spec.timeZone").and_then(Value::as_str).map(Zone::lookup).unwrap_or(Ok(Zone::UTC)) {
        Ok(z) => z,
        Err(e) => {
            let tz = cj.field("spec.timeZone").and_then(Value::as_str).unwrap_or("");
            let msg = format!("invalid timeZone: {tz:?}: {e}");
            ctx.record(&cj, EventType::Warning, "UnknownTimeZone", &msg);
            return Ok(Action::AwaitChange);
        }
    };
    let created = cj.metadata.creation_timestamp.as_ref().map(|t| t.0.as_millisecond()).unwrap_or(0);
    let created = SimTime::from_millis((created - crate::sim::time::EPOCH_UNIX_SECS as i64 * 1000).max(0) as u64);
    let last = status["lastScheduleTime"].as_str().and_then(parse_time).unwrap_or(created);
    // The most recent missed time at or before now.
    let mut due = None;
    let mut t = last;
    while let Some(next) = schedule.next_after_in(t, &zone).filter(|n| *n <= now) {
        due = Some(next);
        t = next;
    }
    let suspended = cj.field("spec.suspend").and_then(Value::as_bool) == Some(true);
    if let (Some(at), false) = (due, suspended) {
        let deadline = cj.field("spec.startingDeadlineSeconds").and_then(Value::as_u64);
        let too_late = deadline.is_some_and(|d| now.since(at) > Duration::from_secs(d));
        let policy = cj.field("spec.concurrencyPolicy").and_then(Value::as_str).unwrap_or("Allow");
        if too_late {
            let msg = format!("Missed scheduled time to start a job: {}", at.to_rfc3339());
            ctx.record(&cj, EventType::Warning, "MissSchedule", &msg);
        } else if policy == "Forbid" && !active.is_empty() {
            let msg = "Not starting job because prior execution is running and concurrency policy is Forbid";
            ctx.record(&cj, EventType::Normal, "JobAlreadyActive", msg);
            status["lastScheduleTime"] = json!(at.to_rfc3339());
        } else {
            if policy == "Replace" {
                for j in &active {
                    if ctx.delete("Job", j.namespace(), j.name(), Propagation::Background).is_ok() {
                        ctx.record(&cj, EventType::Normal, "SuccessfulDelete", &format!("Deleted job {}", j.name()));
                    }
                }
                active_refs.clear();
            }
            let name =
                format!("{}-{}", cj.name(), (crate::sim::time::EPOCH_UNIX_SECS * 1000 + at.as_millis()) / 60_000);
            match ctx.create(job_from_template(&cj, &name, Some(at))) {
                Ok(job) => {
                    ctx.record(&cj, EventType::Normal, "SuccessfulCreate", &format!("Created job {name}"));
                    active_refs.push(json!({"apiVersion": "batch/v1", "kind": "Job", "name": name, "namespace": job.namespace(), "uid": job.uid()}));
                }
                Err(e) => ctx.record(&cj, EventType::Warning, "FailedCreate", &format!("Error creating job: {e}")),
            }
            status["lastScheduleTime"] = json!(at.to_rfc3339());
        }
    }
    if active_refs.is_empty() {
        status.as_object_mut().map(|m| m.remove("active"));
    } else {
        status["active"] = json!(active_refs);
    }
    let next = schedule.next_after_in(now, &zone).map_or(Action::AwaitChange, |n| Action::requeue(n.since(now)));
    let Some(mut current) = ctx.store().get_key(key).cloned() else { return Ok(next) };
    if current.body.get("status") != Some(&status) {
        current.body.insert("status".into(), status);
        current.metadata.resource_version = None;
        ctx.update_status(current)?;
    }
    Ok(next)
}

/// Keeps `successfulJobsHistoryLimit` complete and `failedJobsHistoryLimit` failed Jobs.
fn cleanup_history(ctx: &mut Ctx, cj: &Object, jobs: &[Object]) {
    for (kind, field, default) in
        [("Complete", "spec.successfulJobsHistoryLimit", 3), ("Failed", "spec.failedJobsHistoryLimit", 1)]
    {
        let limit = cj.field(field).and_then(Value::as_u64).unwrap_or(default) as usize;
        let mut done: Vec<&Object> = jobs.iter().filter(|j| finished(j) == Some(kind)).collect();
        if done.len() <= limit {
            continue;
        }
        done.sort_by_key(|j| j.metadata.creation_timestamp.as_ref().map(|t| t.0));
        let excess = done.len() - limit;
        for j in done.into_iter().take(excess) {
            if ctx.delete("Job", j.namespace(), j.name(), Propagation::Background).is_ok() {
                ctx.record(cj, EventType::Normal, "SuccessfulDelete", &format!("Deleted job {}", j.name()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    const CJ: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: '*/1 * * * *'\n  successfulJobsHistoryLimit: 2\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [sh, -c, 'date']\n";

    #[test]
    fn cron_job_in_a_time_zone_runs_at_its_local_minute() {
        let mut sim = Sim::new(SimConfig::default());
        let text = CJ.replace("'*/1 * * * *'", "'5 9 * * *'\n  timeZone: Asia/Tokyo");
        sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(5 * 60 + 1));
        let cj = sim.store().get("CronJob", Some("default"), "tick").unwrap();
        assert_eq!(cj.field("status.lastScheduleTime"), Some(&json!("2025-01-01T00:05:00Z")), "09:05 in Tokyo");
    }

    #[test]
    fn runs_a_job_every_minute_and_keeps_the_history_limit() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(manifest::parse(CJ).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(61));
        let names: Vec<String> = sim.store().list("Job", Some("default")).map(|j| j.name().to_string()).collect();
        assert_eq!(names, ["tick-28928161"], "named after the scheduled minute since 1970");
        sim.advance(Duration::from_secs(300));
        let jobs: Vec<Object> = sim.store().list("Job", Some("default")).cloned().collect();
        assert!(jobs.len() <= 3, "two kept plus the running one: {}", jobs.len());
        let cj = sim.store().get("CronJob", Some("default"), "tick").unwrap();
        assert_eq!(cj.field("status.lastScheduleTime"), Some(&json!("2025-01-01T00:06:00Z")));
        assert!(cj.field("status.lastSuccessfulTime").is_some());
    }

    #[test]
    fn suspended_cron_job_starts_nothing() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(
            manifest::parse(
                &CJ.replace("  successfulJobsHistoryLimit", "  suspend: true\n  successfulJobsHistoryLimit"),
            )
            .unwrap()
            .remove(0),
        )
        .unwrap();
        sim.advance(Duration::from_secs(200));
        assert_eq!(sim.store().list("Job", Some("default")).count(), 0);
    }
}
