//! `kubectl describe` for workloads: deployments, replica sets, daemon sets, stateful sets,
//! jobs, cron jobs, horizontal pod autoscalers and pod disruption budgets.

use serde_json::Value;

use super::containers::pod_template;
use super::{controlled_by, creation, events_section, header, render, time_field};
use crate::shell::kubectl::get::columns::{format_label_selector, format_labels, int, scalar, selector_string, text};
use crate::shell::kubectl::table::human_duration;
use crate::sim::api::Object;
use crate::sim::time::parse_time;
use crate::sim::Sim;

fn replicas(o: &Object) -> i64 {
    o.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1)
}

/// `R Running / W Waiting / S Succeeded / F Failed` of the pods `o` controls.
fn pods_status(sim: &Sim, o: &Object) -> String {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let controlled = sim.store().list("Pod", o.namespace()).filter(|p| {
        p.metadata.owner_references.iter().flatten().any(|r| r.controller == Some(true) && r.uid == o.uid())
    });
    for p in controlled {
        match p.field("status.phase").and_then(Value::as_str).unwrap_or("") {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

/// `Conditions:` with Type, Status and Reason, as deployments and replica sets show them.
fn conditions_table(o: &Object) -> String {
    let conds = o.field("status.conditions").and_then(Value::as_array).cloned().unwrap_or_default();
    if conds.is_empty() {
        return String::new();
    }
    let mut s = String::from("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
    for c in conds {
        s.push_str(&format!(
            "  {} \t{}\t{}\n",
            c["type"].as_str().unwrap_or(""),
            c["status"].as_str().unwrap_or(""),
            c["reason"].as_str().unwrap_or("")
        ));
    }
    s
}

pub fn deployment(sim: &Sim, d: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", d.name(), d.namespace().unwrap_or(""));
    s.push_str(&creation(d));
    s.push_str(&super::labels_lines("Labels", &d.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &d.metadata.annotations));
    s.push_str(&format!("Selector:\t{}\n", selector_string(d.field("spec.selector"))));
    s.push_str(&format!(
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        replicas(d),
        int(d, "status.updatedReplicas"),
        int(d, "status.replicas"),
        int(d, "status.availableReplicas"),
        int(d, "status.unavailableReplicas")
    ));
    let strategy = match text(d, "spec.strategy.type") {
        t if t.is_empty() => "RollingUpdate".to_string(),
        t => t,
    };
    s.push_str(&format!("StrategyType:\t{strategy}\n"));
    s.push_str(&format!("MinReadySeconds:\t{}\n", int(d, "spec.minReadySeconds")));
    if strategy == "RollingUpdate" {
        let ru = d.field("spec.strategy.rollingUpdate").cloned().unwrap_or(Value::Null);
        let or_default = |v: &Value| if v.is_null() { "25%".to_string() } else { scalar(v) };
        s.push_str(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            or_default(&ru["maxUnavailable"]),
            or_default(&ru["maxSurge"])
        ));
    }
    s.push_str(&pod_template(d.field("spec.template")));
    s.push_str(&conditions_table(d));
    let owned = crate::sim::controllers::deployment::owned_replica_sets(sim.store(), d);
    if !owned.is_empty() {
        let revision = d.metadata.annotations.as_ref().and_then(|a| a.get("deployment.kubernetes.io/revision"));
        let is_new = |rs: &Object| {
            rs.metadata.annotations.as_ref().and_then(|a| a.get("deployment.kubernetes.io/revision")) == revision
        };
        let fmt = |list: Vec<&Object>| {
            let parts: Vec<String> = list
                .iter()
                .map(|rs| format!("{} ({}/{} replicas created)", rs.name(), int(rs, "status.replicas"), replicas(rs)))
                .collect();
            if parts.is_empty() {
                "<none>".to_string()
            } else {
                parts.join(", ")
            }
        };
        let mut by_name: Vec<&Object> = owned.iter().collect();
        by_name.sort_by(|a, b| a.name().cmp(b.name()));
        s.push_str(&format!("OldReplicaSets:\t{}\n", fmt(by_name.iter().copied().filter(|rs| !is_new(rs)).collect())));
        s.push_str(&format!("NewReplicaSet:\t{}\n", fmt(by_name.iter().copied().filter(|rs| is_new(rs)).collect())));
    }
    s.push_str(&events_section(sim, d));
    render(&s)
}

pub fn replica_set(sim: &Sim, rs: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", rs.name(), rs.namespace().unwrap_or(""));
    // A ReplicationController's selector is a plain map (labels.FormatLabels).
    let selector = match rs.kind.as_str() {
        "ReplicationController" => format_labels(rs.field("spec.selector")),
        _ => format_label_selector(rs.field("spec.selector")),
    };
    s.push_str(&format!("Selector:\t{selector}\n"));
    s.push_str(&super::labels_lines("Labels", &rs.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &rs.metadata.annotations));
    if let Some(owner) = controlled_by(rs) {
        s.push_str(&format!("Controlled By:\t{owner}\n"));
    }
    s.push_str(&format!("Replicas:\t{} current / {} desired\n", int(rs, "status.replicas"), replicas(rs)));
    s.push_str(&format!("Pods Status:\t{}\n", pods_status(sim, rs)));
    s.push_str(&pod_template(rs.field("spec.template")));
    s.push_str(&conditions_table(rs));
    s.push_str(&events_section(sim, rs));
    render(&s)
}

pub fn daemon_set(sim: &Sim, ds: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", ds.name(), ds.namespace().unwrap_or(""));
    s.push_str(&format!("Selector:\t{}\n", selector_string(ds.field("spec.selector"))));
    s.push_str(&format!("Node-Selector:\t{}\n", format_labels(ds.field("spec.template.spec.nodeSelector"))));
    s.push_str(&super::labels_lines("Labels", &ds.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &ds.metadata.annotations));
    let n = |f: &str| int(ds, &format!("status.{f}"));
    s.push_str(&format!("Desired Number of Nodes Scheduled: {}\n", n("desiredNumberScheduled")));
    s.push_str(&format!("Current Number of Nodes Scheduled: {}\n", n("currentNumberScheduled")));
    s.push_str(&format!("Number of Nodes Scheduled with Up-to-date Pods: {}\n", n("updatedNumberScheduled")));
    s.push_str(&format!("Number of Nodes Scheduled with Available Pods: {}\n", n("numberAvailable")));
    s.push_str(&format!("Number of Nodes Misscheduled: {}\n", n("numberMisscheduled")));
    s.push_str(&format!("Pods Status:\t{}\n", pods_status(sim, ds)));
    s.push_str(&pod_template(ds.field("spec.template")));
    s.push_str(&events_section(sim, ds));
    render(&s)
}

pub fn stateful_set(sim: &Sim, sts: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", sts.name(), sts.namespace().unwrap_or(""));
    s.push_str(&creation(sts));
    s.push_str(&format!("Selector:\t{}\n", selector_string(sts.field("spec.selector"))));
    s.push_str(&super::labels_lines("Labels", &sts.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &sts.metadata.annotations));
    s.push_str(&format!("Replicas:\t{} desired | {} total\n", replicas(sts), int(sts, "status.replicas")));
    let strategy = match text(sts, "spec.updateStrategy.type") {
        t if t.is_empty() => "RollingUpdate".to_string(),
        t => t,
    };
    s.push_str(&format!("Update Strategy:\t{strategy}\n"));
    if strategy == "RollingUpdate" {
        let ru = sts.field("spec.updateStrategy.rollingUpdate").cloned().unwrap_or(Value::Null);
        // The API server defaults the partition to 0.
        s.push_str(&format!("  Partition:\t{}\n", ru["partition"].as_i64().unwrap_or(0)));
        if !ru["maxUnavailable"].is_null() {
            s.push_str(&format!("  MaxUnavailable:\t{}\n", scalar(&ru["maxUnavailable"])));
        }
    }
    s.push_str(&format!("Pods Status:\t{}\n", pods_status(sim, sts)));
    s.push_str(&pod_template(sts.field("spec.template")));
    let templates = sts.field("spec.volumeClaimTemplates").and_then(Value::as_array).cloned().unwrap_or_default();
    if templates.is_empty() {
        s.push_str("Volume Claims:\t<none>\n");
    } else {
        s.push_str("Volume Claims:\n");
        for t in templates {
            let pvc = Object::from_value(serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": t["metadata"], "spec": t["spec"]}))
            .unwrap_or_default();
            s.push_str(&format!("  Name:\t{}\n", pvc.name()));
            s.push_str(&format!("  StorageClass:\t{}\n", crate::shell::kubectl::get::columns::storage_class_of(&pvc)));
            for (title, map) in [("Labels", &pvc.metadata.labels), ("Annotations", &pvc.metadata.annotations)] {
                s.push_str(&super::labels_lines(&format!("  {title}"), map).replace("\n\t", "\n  \t"));
            }
            match pvc.field("spec.resources.requests.storage") {
                Some(c) => s.push_str(&format!("  Capacity:\t{}\n", scalar(c))),
                None => s.push_str("  Capacity:\t<default>\n"),
            }
            let modes: Vec<String> = t["spec"]["accessModes"].as_array().into_iter().flatten().map(scalar).collect();
            s.push_str(&format!("  Access Modes:\t[{}]\n", modes.join(" ")));
        }
    }
    s.push_str(&events_section(sim, sts));
    render(&s)
}

pub fn job(sim: &Sim, j: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", j.name(), j.namespace().unwrap_or(""));
    s.push_str(&format!("Selector:\t{}\n", selector_string(j.field("spec.selector"))));
    s.push_str(&super::labels_lines("Labels", &j.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &j.metadata.annotations));
    if let Some(owner) = controlled_by(j) {
        s.push_str(&format!("Controlled By:\t{owner}\n"));
    }
    let num = |p: &str| j.field(p).and_then(Value::as_i64);
    // The API server defaults parallelism, completions' mode, suspend and backoffLimit.
    s.push_str(&format!("Parallelism:\t{}\n", num("spec.parallelism").unwrap_or(1)));
    match num("spec.completions") {
        Some(c) => s.push_str(&format!("Completions:\t{c}\n")),
        None => s.push_str("Completions:\t<unset>\n"),
    }
    let mode = match text(j, "spec.completionMode") {
        m if m.is_empty() => "NonIndexed".to_string(),
        m => m,
    };
    s.push_str(&format!("Completion Mode:\t{mode}\n"));
    s.push_str(&format!("Suspend:\t{}\n", j.field("spec.suspend").and_then(Value::as_bool).unwrap_or(false)));
    s.push_str(&format!("Backoff Limit:\t{}\n", num("spec.backoffLimit").unwrap_or(6)));
    if let Some(ttl) = num("spec.ttlSecondsAfterFinished") {
        s.push_str(&format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    let start = j.field("status.startTime").cloned().unwrap_or(Value::Null);
    let done = j.field("status.completionTime").cloned().unwrap_or(Value::Null);
    if let Some(t) = time_field(&start) {
        s.push_str(&format!("Start Time:\t{t}\n"));
    }
    if let Some(t) = time_field(&done) {
        s.push_str(&format!("Completed At:\t{t}\n"));
    }
    if let (Some(a), Some(b)) = (start.as_str().and_then(parse_time), done.as_str().and_then(parse_time)) {
        s.push_str(&format!("Duration:\t{}\n", human_duration(b.since(a))));
    }
    if let Some(d) = num("spec.activeDeadlineSeconds") {
        s.push_str(&format!("Active Deadline Seconds:\t{d}s\n"));
    }
    let (active, succeeded, failed) = (int(j, "status.active"), int(j, "status.succeeded"), int(j, "status.failed"));
    match num("status.ready") {
        Some(ready) => s.push_str(&format!(
            "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"
        )),
        None => s.push_str(&format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")),
    }
    if mode == "Indexed" {
        let idx = text(j, "status.completedIndexes");
        s.push_str(&format!("Completed Indexes:\t{}\n", if idx.is_empty() { "<none>".into() } else { idx }));
    }
    s.push_str(&pod_template(j.field("spec.template")));
    s.push_str(&events_section(sim, j));
    render(&s)
}

pub fn cron_job(sim: &Sim, cj: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", cj.name(), cj.namespace().unwrap_or(""));
    s.push_str(&super::labels_lines("Labels", &cj.metadata.labels));
    s.push_str(&super::annotations_lines("Annotations", &cj.metadata.annotations));
    s.push_str(&format!("Schedule:\t{}\n", text(cj, "spec.schedule")));
    let policy = match text(cj, "spec.concurrencyPolicy") {
        p if p.is_empty() => "Allow".to_string(),
        p => p,
    };
    s.push_str(&format!("Concurrency Policy:\t{policy}\n"));
    let suspend = cj.field("spec.suspend").and_then(Value::as_bool).unwrap_or(false);
    s.push_str(&format!("Suspend:\t{}\n", if suspend { "True" } else { "False" }));
    let num = |p: &str| cj.field(p).and_then(Value::as_i64);
    s.push_str(&format!("Successful Job History Limit:\t{}\n", num("spec.successfulJobsHistoryLimit").unwrap_or(3)));
    s.push_str(&format!("Failed Job History Limit:\t{}\n", num("spec.failedJobsHistoryLimit").unwrap_or(1)));
    match num("spec.startingDeadlineSeconds") {
        Some(d) => s.push_str(&format!("Starting Deadline Seconds:\t{d}s\n")),
        None => s.push_str("Starting Deadline Seconds:\t<unset>\n"),
    }
    let jt = cj.field("spec.jobTemplate.spec").cloned().unwrap_or(Value::Null);
    if jt["selector"].is_object() {
        s.push_str(&format!("Selector:\t{}\n", selector_string(Some(&jt["selector"]))));
    } else {
        s.push_str("Selector:\t<unset>\n");
    }
    for (field, title) in [("parallelism", "Parallelism"), ("completions", "Completions")] {
        match jt[field].as_i64() {
            Some(v) => s.push_str(&format!("{title}:\t{v}\n")),
            None => s.push_str(&format!("{title}:\t<unset>\n")),
        }
    }
    if let Some(d) = jt["activeDeadlineSeconds"].as_i64() {
        s.push_str(&format!("Active Deadline Seconds:\t{d}s\n"));
    }
    s.push_str(&pod_template(Some(&jt["template"])));
    match cj.field("status.lastScheduleTime").and_then(time_field) {
        Some(t) => s.push_str(&format!("Last Schedule Time:\t{t}\n")),
        None => s.push_str("Last Schedule Time:\t<unset>\n"),
    }
    let active: Vec<&str> = cj
        .field("status.active")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| r["name"].as_str().unwrap_or(""))
        .collect();
    s.push_str(&format!("Active Jobs:\t{}\n", if active.is_empty() { "<none>".into() } else { active.join(", ") }));
    s.push_str(&events_section(sim, cj));
    render(&s)
}

pub fn horizontal_pod_autoscaler(sim: &Sim, hpa: &Object) -> String {
    let mut s = header(hpa);
    s.push_str(&creation(hpa));
    let kind = text(hpa, "spec.scaleTargetRef.kind");
    s.push_str(&format!("Reference:\t{kind}/{}\n", text(hpa, "spec.scaleTargetRef.name")));
    s.push_str("Metrics:\t( current / target )\n");
    let statuses = hpa.field("status.currentMetrics").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, m) in hpa.field("spec.metrics").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let st = statuses.get(i).cloned().unwrap_or(Value::Null);
        let unknown = "<unknown>".to_string();
        match m["type"].as_str().unwrap_or("") {
            ty @ ("Resource" | "ContainerResource") => {
                let key = if ty == "Resource" { "resource" } else { "containerResource" };
                let r = &m[key];
                let what = if ty == "Resource" {
                    format!("resource {} on pods", r["name"].as_str().unwrap_or(""))
                } else {
                    format!(
                        "resource {} of container \"{}\" on pods",
                        r["name"].as_str().unwrap_or(""),
                        r["container"].as_str().unwrap_or("")
                    )
                };
                let cur = &st[key]["current"];
                if !r["target"]["averageValue"].is_null() {
                    let current = if st[key].is_object() { scalar(&cur["averageValue"]) } else { unknown };
                    s.push_str(&format!("  {what}:\t{current} / {}\n", scalar(&r["target"]["averageValue"])));
                } else {
                    let current = match cur["averageUtilization"].as_i64() {
                        Some(u) => format!("{u}% ({})", scalar(&cur["averageValue"])),
                        None => unknown,
                    };
                    let target =
                        r["target"]["averageUtilization"].as_i64().map_or_else(|| "<auto>".into(), |u| format!("{u}%"));
                    s.push_str(&format!("  {what}  (as a percentage of request):\t{current} / {target}\n"));
                }
            }
            "Pods" => {
                let current =
                    if st["pods"].is_object() { scalar(&st["pods"]["current"]["averageValue"]) } else { unknown };
                s.push_str(&format!(
                    "  \"{}\" on pods:\t{current} / {}\n",
                    m["pods"]["metric"]["name"].as_str().unwrap_or(""),
                    scalar(&m["pods"]["target"]["averageValue"])
                ));
            }
            other => s.push_str(&format!("  <unknown metric type \"{other}\">\n")),
        }
    }
    let min = hpa.field("spec.minReplicas").and_then(Value::as_i64).map_or("<unset>".to_string(), |m| m.to_string());
    s.push_str(&format!("Min replicas:\t{min}\n"));
    s.push_str(&format!("Max replicas:\t{}\n", int(hpa, "spec.maxReplicas")));
    s.push_str(&format!(
        "{kind} pods:\t{} current / {} desired\n",
        int(hpa, "status.currentReplicas"),
        int(hpa, "status.desiredReplicas")
    ));
    let conds = hpa.field("status.conditions").and_then(Value::as_array).cloned().unwrap_or_default();
    if !conds.is_empty() {
        s.push_str("Conditions:\n  Type\tStatus\tReason\tMessage\n  ----\t------\t------\t-------\n");
        for c in conds {
            s.push_str(&format!(
                "  {}\t{}\t{}\t{}\n",
                scalar(&c["type"]),
                scalar(&c["status"]),
                scalar(&c["reason"]),
                scalar(&c["message"])
            ));
        }
    }
    s.push_str(&events_section(sim, hpa));
    render(&s)
}

pub fn pod_disruption_budget(sim: &Sim, pdb: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", pdb.name(), pdb.namespace().unwrap_or(""));
    if let Some(v) = pdb.field("spec.minAvailable").filter(|v| !v.is_null()) {
        s.push_str(&format!("Min available:\t{}\n", scalar(v)));
    } else if let Some(v) = pdb.field("spec.maxUnavailable").filter(|v| !v.is_null()) {
        s.push_str(&format!("Max unavailable:\t{}\n", scalar(v)));
    }
    match pdb.field("spec.selector").filter(|v| !v.is_null()) {
        Some(sel) => s.push_str(&format!("Selector:\t{}\n", format_label_selector(Some(sel)))),
        None => s.push_str("Selector:\t<unset>\n"),
    }
    s.push_str("Status:\n");
    s.push_str(&format!("    Allowed disruptions:\t{}\n", int(pdb, "status.disruptionsAllowed")));
    s.push_str(&format!("    Current:\t{}\n", int(pdb, "status.currentHealthy")));
    s.push_str(&format!("    Desired:\t{}\n", int(pdb, "status.desiredHealthy")));
    s.push_str(&format!("    Total:\t{}\n", int(pdb, "status.expectedPods")));
    s.push_str(&events_section(sim, pdb));
    render(&s)
}
