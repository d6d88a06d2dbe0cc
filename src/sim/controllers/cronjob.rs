//! The CronJob controller (upstream `pkg/controller/cronjob`): standard five-field cron
//! schedules and `@hourly`-style macros, Jobs named after their scheduled minute, concurrency
//! policies, starting deadlines, suspend, and history limits.

pub mod time_zone;

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{self, Action, Reconciler};
use crate::sim::api::controller_of;
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::events::EventType;
use crate::sim::store::ObjectKey;
use crate::sim::time::parse_time;
use crate::sim::time::{civil_from_days, SimTime, EPOCH_UNIX_SECS};
use time_zone::Zone;

/// A parsed schedule: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    days: Vec<bool>,
    months: Vec<bool>,
    weekdays: Vec<bool>,
    /// Day-of-month and day-of-week both restricted: either may match (cron's rule).
    day_or: bool,
}

fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<(Vec<bool>, bool), String> {
    let mut allowed = vec![false; (max + 1) as usize];
    let restricted = text != "*" && text != "?";
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().map_err(|_| format!("failed to parse int from {s}"))?),
            None => (part, 1),
        };
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let value = |v: &str| -> Result<u32, String> {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
                return Ok(i as u32 + min);
            }
            v.parse::<u32>().map_err(|_| format!("failed to parse int from {v}"))
        };
        let (lo, hi) = match range {
            "*" | "?" => (min, max),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None if part.contains('/') => (value(r)?, max),
                None => {
                    let v = value(r)?;
                    (v, v)
                }
            },
        };
        // Sunday may be written 7.
        let (lo, hi) = if max == 6 && hi == 7 { (lo.min(6), 6) } else { (lo, hi) };
        if lo < min || hi > max || lo > hi {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        for v in (lo..=hi).step_by(step as usize) {
            allowed[v as usize] = true;
        }
        if max == 6 && part.split('-').any(|p| p.trim_start_matches(|c: char| !c.is_ascii_digit()) == "7") {
            allowed[0] = true;
        }
    }
    Ok((allowed, restricted))
}

impl Schedule {
    /// Parses a cron schedule; errors read as upstream's validation messages.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.trim();
        let text = match text {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            t => t,
        };
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!("expected exactly 5 fields, found {}: {text}", parts.len()));
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
        let (minutes, _) = field(parts[0], 0, 59, &[])?;
        let (hours, _) = field(parts[1], 0, 23, &[])?;
        let (dom, dom_r) = field(parts[2], 1, 31, &[])?;
        let (months, _) = field(parts[3], 1, 12, &months)?;
        let (dow, dow_r) = field(parts[4], 0, 6, &days)?;
        Ok(Schedule { minutes, hours, days: dom, months, weekdays: dow, day_or: dom_r && dow_r })
    }

    fn day_matches(&self, d: u32, wd: u32) -> bool {
        let (a, b) = (self.days[d as usize], self.weekdays[wd as usize]);
        if self.day_or {
            a || b
        } else {
            a && b
        }
    }

    /// The first scheduled minute strictly after `after`, within four years, in UTC.
    pub fn next_after(&self, after: SimTime) -> Option<SimTime> {
        self.next_after_in(after, &Zone::UTC)
    }

    /// The first scheduled minute strictly after `after`, the schedule read on `zone`'s wall
    /// clock. A wall-clock minute skipped by a spring-forward change never comes; one repeated
    /// by a fall-back change runs once, at its first occurrence.
    pub fn next_after_in(&self, after: SimTime, zone: &Zone) -> Option<SimTime> {
        let epoch = EPOCH_UNIX_SECS as i64;
        let after_ms = epoch * 1000 + after.as_millis() as i64;
        let after_unix = after_ms.div_euclid(1000);
        // Wall-clock seconds since 1970, walked minute by minute (skipping whole days and hours).
        let mut local = (after_unix + zone.offset_at(after_unix)).div_euclid(60) * 60 + 60;
        let limit = local + 4 * 366 * 86_400;
        while local <= limit {
            let days = local.div_euclid(86_400);
            let secs = local.rem_euclid(86_400);
            let (_, mo, d) = civil_from_days(days);
            let wd = (days + 4).rem_euclid(7) as u32;
            let (h, mi) = ((secs / 3600) as usize, (secs % 3600 / 60) as usize);
            if !self.months[mo as usize] || !self.day_matches(d, wd) {
                local = (days + 1) * 86_400;
            } else if !self.hours[h] {
                local = (local.div_euclid(3600) + 1) * 3600;
            } else if !self.minutes[mi] {
                local += 60;
            } else {
                let found = zone.instants_of_local(local).into_iter().find(|u| u * 1000 > after_ms);
                if let Some(u) = found {
                    return Some(SimTime::from_millis((u * 1000 - epoch * 1000) as u64));
                }
                local += 60;
            }
        }
        None
    }
}

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

    fn at(s: u64) -> SimTime {
        SimTime::from_secs(s)
    }

    #[test]
    fn schedules_parse_and_find_the_next_minute() {
        let every5 = Schedule::parse("*/5 * * * *").unwrap();
        assert_eq!(every5.next_after(at(0)), Some(at(300)));
        assert_eq!(every5.next_after(at(300)), Some(at(600)));
        let hourly = Schedule::parse("@hourly").unwrap();
        assert_eq!(hourly.next_after(at(10)), Some(at(3600)));
        // 2025-01-01 is a Wednesday; the next Monday 09:30 is 2025-01-06.
        let monday = Schedule::parse("30 9 * * MON").unwrap();
        assert_eq!(monday.next_after(at(0)), Some(at(5 * 86_400 + 9 * 3600 + 1800)));
        let list = Schedule::parse("0,30 8-9 1 jan,feb *").unwrap();
        assert_eq!(list.next_after(at(0)), Some(at(8 * 3600)));
    }

    #[test]
    fn schedules_are_read_on_the_time_zones_wall_clock() {
        let nine = Schedule::parse("0 9 * * *").unwrap();
        let zone = |n: &str| Zone::lookup(n).unwrap();
        // 2025-01-01 09:00 in Seoul is 00:00 UTC (the epoch itself), so the next is a day later.
        assert_eq!(nine.next_after_in(at(0), &zone("Asia/Seoul")), Some(at(86_400)));
        assert_eq!(nine.next_after_in(at(0), &zone("Europe/Berlin")), Some(at(8 * 3600)), "CET is UTC+1");
        // 2025-07-01: Berlin on summer time (UTC+2), New York on EDT (UTC-4).
        let july = at(181 * 86_400);
        assert_eq!(nine.next_after_in(july, &zone("Europe/Berlin")), Some(at(181 * 86_400 + 7 * 3600)));
        assert_eq!(nine.next_after_in(july, &zone("America/New_York")), Some(at(181 * 86_400 + 13 * 3600)));
        assert_eq!(nine.next_after_in(july, &zone("Etc/UTC")), Some(at(181 * 86_400 + 9 * 3600)));
    }

    #[test]
    fn a_time_skipped_by_spring_forward_is_skipped_and_a_repeated_one_runs_once() {
        let day = |d: u64| at(d * 86_400);
        // 2025-03-09 (day 67) New York skips 02:00-03:00; 02:30 comes next on 10 March, 06:30 UTC (EDT).
        let half_two = Schedule::parse("30 2 * * *").unwrap();
        let ny = Zone::lookup("America/New_York").unwrap();
        assert_eq!(half_two.next_after_in(day(67), &ny), Some(at(68 * 86_400 + 6 * 3600 + 1800)));
        // 2025-11-02 (day 305) 01:30 happens twice; the job runs at the first (05:30 UTC), then the next day.
        let half_one = Schedule::parse("30 1 * * *").unwrap();
        let first = half_one.next_after_in(day(305), &ny).unwrap();
        assert_eq!(first, at(305 * 86_400 + 5 * 3600 + 1800));
        assert_eq!(half_one.next_after_in(first, &ny), Some(at(306 * 86_400 + 6 * 3600 + 1800)));
    }

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
    fn malformed_schedules_are_errors() {
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("*/0 * * * *").is_err());
        assert!(Schedule::parse("x * * * *").is_err());
    }

    const CJ: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: '*/1 * * * *'\n  successfulJobsHistoryLimit: 2\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [sh, -c, 'date']\n";

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
