//! Columns of the workload kinds: apps, batch, autoscaling and policy.

use serde_json::Value;

use super::{age, container_cells, format_label_selector, int, selector_string, since, text, Ctx, Printer};
use crate::shell::kubectl::table::human_duration;
use crate::sim::api::Object;
use crate::sim::time::parse_time;

const CONTAINERS_IMAGES_SELECTOR: &[&str] = &["CONTAINERS", "IMAGES", "SELECTOR"];

pub(super) fn printer_for(kind: &str) -> Option<Printer> {
    let p = |header, wide, row| Some(Printer { header, wide, row });
    match kind {
        "Deployment" => p(&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], CONTAINERS_IMAGES_SELECTOR, deployment),
        "ReplicaSet" => p(&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], CONTAINERS_IMAGES_SELECTOR, replica_set),
        "DaemonSet" => p(
            &["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            CONTAINERS_IMAGES_SELECTOR,
            daemon_set,
        ),
        "StatefulSet" => p(&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"], stateful_set),
        "Job" => p(&["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], CONTAINERS_IMAGES_SELECTOR, job),
        "CronJob" => p(
            &["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
            CONTAINERS_IMAGES_SELECTOR,
            cron_job,
        ),
        "HorizontalPodAutoscaler" => p(
            &["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"],
            &[],
            horizontal_pod_autoscaler,
        ),
        "PodDisruptionBudget" => {
            p(&["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], &[], pod_disruption_budget)
        }
        "ControllerRevision" => p(&["NAME", "CONTROLLER", "REVISION", "AGE"], &[], controller_revision),
        _ => None,
    }
}

/// `spec.replicas`, which the API server defaults to 1.
fn desired(o: &Object) -> i64 {
    o.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1)
}

fn template_spec(o: &Object) -> Option<&Value> {
    o.field("spec.template.spec")
}

fn deployment(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (names, images) = container_cells(template_spec(o));
    vec![
        o.name().into(),
        format!("{}/{}", int(o, "status.readyReplicas"), desired(o)),
        int(o, "status.updatedReplicas").to_string(),
        int(o, "status.availableReplicas").to_string(),
        age(ctx, o),
        names,
        images,
        selector_string(o.field("spec.selector")),
    ]
}

fn replica_set(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (names, images) = container_cells(template_spec(o));
    vec![
        o.name().into(),
        desired(o).to_string(),
        int(o, "status.replicas").to_string(),
        int(o, "status.readyReplicas").to_string(),
        age(ctx, o),
        names,
        images,
        format_label_selector(o.field("spec.selector")),
    ]
}

pub(super) fn rc(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (names, images) = container_cells(template_spec(o));
    vec![
        o.name().into(),
        desired(o).to_string(),
        int(o, "status.replicas").to_string(),
        int(o, "status.readyReplicas").to_string(),
        age(ctx, o),
        names,
        images,
        super::format_labels(o.field("spec.selector")),
    ]
}

fn daemon_set(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (names, images) = container_cells(template_spec(o));
    let n = |f: &str| int(o, &format!("status.{f}")).to_string();
    vec![
        o.name().into(),
        n("desiredNumberScheduled"),
        n("currentNumberScheduled"),
        n("numberReady"),
        n("updatedNumberScheduled"),
        n("numberAvailable"),
        super::format_labels(o.field("spec.template.spec.nodeSelector")),
        age(ctx, o),
        names,
        images,
        format_label_selector(o.field("spec.selector")),
    ]
}

fn stateful_set(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (names, images) = container_cells(template_spec(o));
    vec![o.name().into(), format!("{}/{}", int(o, "status.readyReplicas"), desired(o)), age(ctx, o), names, images]
}

/// Whether a Job condition of `ty` is True (the first of that type decides, as upstream).
fn has_condition(o: &Object, ty: &str) -> bool {
    o.field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == ty))
        .is_some_and(|c| c["status"] == "True")
}

/// The Job's STATUS column, in upstream's order of precedence.
pub fn job_status(o: &Object) -> &'static str {
    if has_condition(o, "Complete") {
        "Complete"
    } else if has_condition(o, "Failed") {
        "Failed"
    } else if o.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has_condition(o, "Suspended") {
        "Suspended"
    } else if has_condition(o, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

fn job(ctx: &Ctx, o: &Object) -> Vec<String> {
    let succeeded = int(o, "status.succeeded");
    let completions = match o.field("spec.completions").and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => match o.field("spec.parallelism").and_then(Value::as_i64).unwrap_or(0) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let time = |p: &str| o.field(p).and_then(Value::as_str).and_then(parse_time);
    let duration = match (time("status.startTime"), time("status.completionTime")) {
        (None, _) => String::new(),
        (Some(start), None) => human_duration(ctx.now.since(start)),
        (Some(start), Some(done)) => human_duration(done.since(start)),
    };
    let (names, images) = container_cells(template_spec(o));
    vec![
        o.name().into(),
        job_status(o).into(),
        completions,
        duration,
        age(ctx, o),
        names,
        images,
        format_label_selector(o.field("spec.selector")),
    ]
}

fn cron_job(ctx: &Ctx, o: &Object) -> Vec<String> {
    let last = match o.field("status.lastScheduleTime").filter(|v| !v.is_null()) {
        Some(t) => since(ctx, t),
        None => "<none>".into(),
    };
    let tz = o.field("spec.timeZone").and_then(Value::as_str).unwrap_or("<none>").to_string();
    // The API server defaults `suspend` to false; upstream prints the pointer as True/False.
    let suspend = if o.field("spec.suspend").and_then(Value::as_bool) == Some(true) { "True" } else { "False" };
    let active = o.field("status.active").and_then(Value::as_array).map_or(0, Vec::len);
    let (names, images) = container_cells(o.field("spec.jobTemplate.spec.template.spec"));
    vec![
        o.name().into(),
        text(o, "spec.schedule"),
        tz,
        suspend.into(),
        active.to_string(),
        last,
        age(ctx, o),
        names,
        images,
        format_label_selector(o.field("spec.jobTemplate.spec.selector")),
    ]
}

/// The TARGETS column: `cpu: 42%/80%`, at most two metrics then `+ N more...`.
pub fn hpa_targets(o: &Object) -> String {
    let specs = o.field("spec.metrics").and_then(Value::as_array).cloned().unwrap_or_default();
    if specs.is_empty() {
        return "<none>".into();
    }
    let statuses = o.field("status.currentMetrics").and_then(Value::as_array).cloned().unwrap_or_default();
    let q = |v: &Value| super::scalar(v);
    let mut list = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let st = statuses.get(i).cloned().unwrap_or(Value::Null);
        let unknown = || "<unknown>".to_string();
        let item = match spec["type"].as_str().unwrap_or("") {
            ty @ ("Resource" | "ContainerResource") => {
                let key = if ty == "Resource" { "resource" } else { "containerResource" };
                let (s, cur) = (&spec[key], &st[key]);
                let name = s["name"].as_str().unwrap_or("");
                if !s["target"]["averageValue"].is_null() {
                    let current = if cur.is_object() { q(&cur["current"]["averageValue"]) } else { unknown() };
                    format!("{name}: {current}/{}", q(&s["target"]["averageValue"]))
                } else {
                    let current =
                        cur["current"]["averageUtilization"].as_i64().map_or_else(unknown, |u| format!("{u}%"));
                    let target =
                        s["target"]["averageUtilization"].as_i64().map_or_else(|| "<auto>".into(), |u| format!("{u}%"));
                    format!("{name}: {current}/{target}")
                }
            }
            "Pods" => {
                let current =
                    if st["pods"].is_object() { q(&st["pods"]["current"]["averageValue"]) } else { unknown() };
                format!("{current}/{}", q(&spec["pods"]["target"]["averageValue"]))
            }
            ty @ ("Object" | "External") => {
                let key = if ty == "Object" { "object" } else { "external" };
                let target = &spec[key]["target"];
                if !target["averageValue"].is_null() {
                    let current = st[key]["current"]["averageValue"].as_str().map_or_else(unknown, str::to_string);
                    format!("{current}/{} (avg)", q(&target["averageValue"]))
                } else {
                    let current = if st[key].is_object() { q(&st[key]["current"]["value"]) } else { unknown() };
                    format!("{current}/{}", q(&target["value"]))
                }
            }
            _ => "<unknown type>".into(),
        };
        list.push(item);
    }
    let shown = list.iter().take(2).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > 2 {
        format!("{shown} + {} more...", list.len() - 2)
    } else {
        shown
    }
}

fn horizontal_pod_autoscaler(ctx: &Ctx, o: &Object) -> Vec<String> {
    let min = o.field("spec.minReplicas").and_then(Value::as_i64).map_or_else(|| "<unset>".into(), |m| m.to_string());
    vec![
        o.name().into(),
        format!("{}/{}", text(o, "spec.scaleTargetRef.kind"), text(o, "spec.scaleTargetRef.name")),
        hpa_targets(o),
        min,
        int(o, "spec.maxReplicas").to_string(),
        int(o, "status.currentReplicas").to_string(),
        age(ctx, o),
    ]
}

fn pod_disruption_budget(ctx: &Ctx, o: &Object) -> Vec<String> {
    let int_or_string = |p: &str| o.field(p).filter(|v| !v.is_null()).map_or_else(|| "N/A".into(), super::scalar);
    vec![
        o.name().into(),
        int_or_string("spec.minAvailable"),
        int_or_string("spec.maxUnavailable"),
        int(o, "status.disruptionsAllowed").to_string(),
        age(ctx, o),
    ]
}

fn controller_revision(ctx: &Ctx, o: &Object) -> Vec<String> {
    let controller = o.metadata.owner_references.iter().flatten().find(|r| r.controller == Some(true)).map_or_else(
        || "<none>".to_string(),
        |r| {
            let group = r.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let kind = r.kind.to_ascii_lowercase();
            if group.is_empty() {
                format!("{kind}/{}", r.name)
            } else {
                format!("{kind}.{group}/{}", r.name)
            }
        },
    );
    vec![o.name().into(), controller, int(o, "revision").to_string(), age(ctx, o)]
}
