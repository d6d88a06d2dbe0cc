//! `kubectl describe TYPE NAME`: each kind in kubectl's layout (upstream
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`), the Events section every describe
//! ends with, and the tabwriter alignment (padding 2) that lays it out.

mod containers;
mod core;
mod networking;
mod node;
mod rbac;
mod workloads;

use std::collections::BTreeMap;

use serde_json::Value;

use super::get::resource;
use super::table::{human_duration, tabwrite};
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::events;
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// The `Pod Template:` section as describe builds it, before alignment: tabs between labels
/// and values (`kubectl rollout history --revision` prints it so).
pub fn pod_template_text(template: Option<&Value>) -> String {
    containers::pod_template(template)
}

/// Aligns tab-separated cells the way Go's tabwriter (padding 2) does for kubectl describe.
pub fn render(text: &str) -> String {
    tabwrite(text, 0, 2)
}

/// `Wed, 01 Jan 2025 00:00:05 +0000`, as describe prints times (Go's RFC1123Z).
pub fn rfc1123(t: SimTime) -> String {
    let (y, m, d, h, mi, s, wd) = t.civil();
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} +0000", days[wd as usize], months[m as usize - 1])
}

/// An RFC 3339 field as [`rfc1123`].
pub fn time_field(v: &Value) -> Option<String> {
    v.as_str().and_then(parse_time).map(rfc1123)
}

/// `Labels:  a=b` then one `k=v` per line (upstream `printLabelsMultiline`).
pub fn labels_lines(title: &str, map: &Option<BTreeMap<String, String>>) -> String {
    match map.as_ref().filter(|m| !m.is_empty()) {
        None => format!("{title}:\t<none>\n"),
        Some(m) => m
            .iter()
            .enumerate()
            .map(|(i, (k, v))| if i == 0 { format!("{title}:\t{k}={v}\n") } else { format!("\t{k}={v}\n") })
            .collect(),
    }
}

/// The annotation kubectl apply keeps; describe never shows it.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const MAX_ANNOTATION_LEN: usize = 140;

/// `Annotations:  key: value`, long or multi-line values folded under their key
/// (upstream `printAnnotationsMultiline`).
pub fn annotations_lines(title: &str, map: &Option<BTreeMap<String, String>>) -> String {
    let entries: Vec<(&String, &String)> = map.iter().flatten().filter(|(k, _)| k.as_str() != LAST_APPLIED).collect();
    if entries.is_empty() {
        return format!("{title}:\t<none>\n");
    }
    let mut out = format!("{title}:\t");
    for (i, (k, v)) in entries.iter().enumerate() {
        if i != 0 {
            out.push('\t');
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            out.push_str(&format!("{k}:\n"));
            for line in value.split('\n') {
                let short = if line.len() > MAX_ANNOTATION_LEN - 2 {
                    format!("{}...", &line[..floor_char_boundary(line, MAX_ANNOTATION_LEN - 2)])
                } else {
                    line.to_string()
                };
                out.push_str(&format!("\t  {short}\n"));
            }
        } else {
            out.push_str(&format!("{k}: {value}\n"));
        }
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `Name:`, `Namespace:` (when namespaced), `Labels:` and `Annotations:`.
fn header(o: &Object) -> String {
    let mut s = format!("Name:\t{}\n", o.name());
    if let Some(ns) = o.namespace() {
        s.push_str(&format!("Namespace:\t{ns}\n"));
    }
    s.push_str(&labels_lines("Labels", &o.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &o.metadata.annotations));
    s
}

/// `CreationTimestamp:` in describe's time format.
fn creation(o: &Object) -> String {
    let at = crate::shell::kubectl::get::columns::created(o).map(rfc1123).unwrap_or_default();
    format!("CreationTimestamp:\t{at}\n")
}

/// `Kind/name` of the controlling owner, if any.
fn controlled_by(o: &Object) -> Option<String> {
    o.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| format!("{}/{}", r.kind, r.name))
}

/// The Events section of any describe: oldest last-seen first, repeats as `(xN over …)`.
pub fn events_section(sim: &Sim, obj: &Object) -> String {
    let mut evs = events::about(sim, obj.uid());
    if evs.is_empty() {
        return "Events:\t<none>\n".into();
    }
    let now = sim.now();
    let last_seen = |e: &Object| e.body["lastTimestamp"].as_str().and_then(parse_time).unwrap_or(now);
    evs.sort_by_key(last_seen);
    let mut s = String::from("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = e.body["firstTimestamp"].as_str().and_then(parse_time).unwrap_or(now);
        let count = e.body["count"].as_i64().unwrap_or(1);
        let age = if count > 1 {
            format!("{} (x{count} over {})", human_duration(now.since(last_seen(&e))), human_duration(now.since(first)))
        } else {
            human_duration(now.since(first))
        };
        let source = match e.body["source"]["component"].as_str().filter(|c| !c.is_empty()) {
            Some(c) => c,
            None => e.body["reportingComponent"].as_str().unwrap_or(""),
        };
        s.push_str(&format!(
            "  {}\t{}\t{age}\t{source}\t{}\n",
            e.body["type"].as_str().unwrap_or(""),
            e.body["reason"].as_str().unwrap_or(""),
            e.body["message"].as_str().unwrap_or("").trim()
        ));
    }
    s
}

fn describe_pod(sim: &Sim, pod: &Object) -> String {
    let f = |p: &str| pod.field(p).cloned().unwrap_or(Value::Null);
    let text = |p: &str| pod.field(p).and_then(Value::as_str).unwrap_or("").to_string();
    let list = |p: &str| f(p).as_array().cloned().unwrap_or_default();
    let mut s = String::new();
    s.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", pod.name(), pod.namespace().unwrap_or("default")));
    s.push_str(&format!("Priority:\t{}\n", f("spec.priority").as_i64().unwrap_or(0)));
    if let Some(pc) = pod.field("spec.priorityClassName").and_then(Value::as_str).filter(|p| !p.is_empty()) {
        s.push_str(&format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = pod.field("spec.runtimeClassName").and_then(Value::as_str).filter(|p| !p.is_empty()) {
        s.push_str(&format!("Runtime Class Name:\t{rc}\n"));
    }
    let sa = text("spec.serviceAccountName");
    if !sa.is_empty() {
        s.push_str(&format!("Service Account:\t{sa}\n"));
    }
    let node = text("spec.nodeName");
    s.push_str(&format!(
        "Node:\t{}\n",
        if node.is_empty() { "<none>".to_string() } else { format!("{node}/{}", text("status.hostIP")) }
    ));
    if let Some(t) = time_field(&f("status.startTime")) {
        s.push_str(&format!("Start Time:\t{t}\n"));
    }
    s.push_str(&labels_lines("Labels", &pod.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &pod.metadata.annotations));
    let phase = text("status.phase");
    match &pod.metadata.deletion_timestamp {
        Some(t) if !matches!(phase.as_str(), "Succeeded" | "Failed") => {
            let since = t.0.as_second() - crate::sim::time::EPOCH_UNIX_SECS as i64;
            let at = SimTime::from_secs(u64::try_from(since).unwrap_or(0));
            s.push_str(&format!("Status:\tTerminating (lasts {})\n", human_duration(sim.now().since(at))));
            s.push_str(&format!(
                "Termination Grace Period:\t{}s\n",
                pod.metadata.deletion_grace_period_seconds.unwrap_or(30)
            ));
        }
        _ => s.push_str(&format!("Status:\t{phase}\n")),
    }
    for (field, title) in [("status.reason", "Reason"), ("status.message", "Message")] {
        let v = text(field);
        if !v.is_empty() {
            s.push_str(&format!("{title}:\t{v}\n"));
        }
    }
    s.push_str(&format!("IP:\t{}\n", text("status.podIP")));
    let ips = list("status.podIPs");
    if ips.is_empty() {
        s.push_str("IPs:\t<none>\n");
    } else {
        s.push_str("IPs:\n");
        for ip in ips {
            s.push_str(&format!("  IP:\t{}\n", ip["ip"].as_str().unwrap_or("")));
        }
    }
    if let Some(owner) = controlled_by(pod) {
        s.push_str(&format!("Controlled By:\t{owner}\n"));
    }
    let nominated = text("status.nominatedNodeName");
    if !nominated.is_empty() {
        s.push_str(&format!("NominatedNodeName:\t{nominated}\n"));
    }
    let init = list("spec.initContainers");
    if !init.is_empty() {
        let st = list("status.initContainerStatuses");
        s.push_str(&containers::describe_containers("Init Containers", &init, Some(&st), ""));
    }
    let st = list("status.containerStatuses");
    s.push_str(&containers::describe_containers("Containers", &list("spec.containers"), Some(&st), ""));
    let conditions = list("status.conditions");
    let gates = list("spec.readinessGates");
    if !gates.is_empty() {
        s.push_str("Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = conditions
                .iter()
                .find(|c| c["type"] == g["conditionType"])
                .and_then(|c| c["status"].as_str())
                .unwrap_or("<none>");
            s.push_str(&format!("  {} \t{status} \n", g["conditionType"].as_str().unwrap_or("")));
        }
    }
    if !conditions.is_empty() {
        s.push_str("Conditions:\n  Type\tStatus\n");
        for c in &conditions {
            s.push_str(&format!("  {} \t{} \n", c["type"].as_str().unwrap_or(""), c["status"].as_str().unwrap_or("")));
        }
    }
    s.push_str(&containers::describe_volumes(&list("spec.volumes"), ""));
    s.push_str(&format!("QoS Class:\t{}\n", text("status.qosClass")));
    let selector: Option<BTreeMap<String, String>> = serde_json::from_value(f("spec.nodeSelector")).ok();
    s.push_str(&labels_lines("Node-Selectors", &selector));
    s.push_str(&containers::tolerations_lines("Tolerations", &list("spec.tolerations")));
    s.push_str(&events_section(sim, pod));
    render(&s)
}

/// Name, labels, annotations and events: what describe shows of kinds without a describer here.
fn describe_generic(sim: &Sim, obj: &Object) -> String {
    let mut s = header(obj);
    s.push_str(&events_section(sim, obj));
    render(&s)
}

/// Runs `kubectl describe TYPE [NAME…]`, `TYPE/NAME…`, or `TYPE -l SELECTOR`.
pub fn run(sim: &Sim, args: &[String], namespace: &str) -> Output {
    let mut words: Vec<&str> = Vec::new();
    let mut selector: Option<String> = None;
    let mut all_namespaces = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-l" | "--selector" => selector = it.next().cloned(),
            s if s.starts_with("--selector=") => selector = Some(s["--selector=".len()..].to_string()),
            "-A" | "--all-namespaces" => all_namespaces = true,
            "--show-events=true" | "--show-events" => {}
            f if f.starts_with('-') => {
                return Output::err(format!("Error: unknown flag: {f}\nSee 'kubectl describe --help' for usage.\n"), 1)
            }
            w => words.push(w),
        }
    }
    // (type, names): `TYPE NAME…`, `TYPE/NAME…`, or `TYPE` alone for every object of the type.
    let mut targets: Vec<(String, Option<String>)> = Vec::new();
    match words.split_first() {
        None => {
            return Output::err(
                "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
                1,
            )
        }
        Some((first, _)) if first.contains('/') => {
            for w in &words {
                let (t, n) = w.split_once('/').unwrap_or((w, ""));
                targets.push((t.to_string(), Some(n.to_string())));
            }
        }
        Some((ty, [])) => targets.push((ty.to_string(), None)),
        Some((ty, names)) => targets.extend(names.iter().map(|n| (ty.to_string(), Some(n.to_string())))),
    }
    let labels = match selector.as_deref().map(super::get::selector::LabelSelector::parse).transpose() {
        Ok(l) => l,
        Err(e) => return Output::err(format!("error: {e}\n"), 1),
    };
    let mut docs = Vec::new();
    let mut errors = String::new();
    for (ty, name) in targets {
        let Some(rt) = resource::lookup(sim, &ty) else {
            return Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1);
        };
        let ns = rt.namespaced.then_some(namespace);
        match name {
            Some(name) => match sim.store().get(&rt.kind, ns, &name) {
                Some(obj) => docs.push(describe_object(sim, obj)),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {} \"{name}\" not found\n",
                    rt.qualified_plural()
                )),
            },
            None => {
                let list_ns = if all_namespaces { None } else { ns };
                let objs: Vec<&Object> = sim
                    .store()
                    .list(&rt.kind, list_ns)
                    .filter(|o| labels.as_ref().is_none_or(|l| l.matches(o.metadata.labels.as_ref())))
                    .collect();
                if objs.is_empty() && errors.is_empty() {
                    let msg = match (rt.namespaced && !all_namespaces, ns) {
                        (true, Some(ns)) => format!("No resources found in {ns} namespace.\n"),
                        _ => "No resources found\n".to_string(),
                    };
                    return Output::err(msg, 0);
                }
                docs.extend(objs.into_iter().map(|o| describe_object(sim, o)));
            }
        }
    }
    // kubectl separates several descriptions with a blank line.
    let stdout = docs.join("\n\n");
    let stdout = if stdout.is_empty() || stdout.ends_with('\n') { stdout } else { format!("{stdout}\n") };
    Output { status: i32::from(!errors.is_empty()), stdout, stderr: errors, ..Output::default() }
}

/// The description of one object, by kind.
fn describe_object(sim: &Sim, obj: &Object) -> String {
    match obj.kind.as_str() {
        "Pod" => describe_pod(sim, obj),
        "Deployment" => workloads::deployment(sim, obj),
        "ReplicaSet" | "ReplicationController" => workloads::replica_set(sim, obj),
        "DaemonSet" => workloads::daemon_set(sim, obj),
        "StatefulSet" => workloads::stateful_set(sim, obj),
        "Job" => workloads::job(sim, obj),
        "CronJob" => workloads::cron_job(sim, obj),
        "HorizontalPodAutoscaler" => workloads::horizontal_pod_autoscaler(sim, obj),
        "PodDisruptionBudget" => workloads::pod_disruption_budget(sim, obj),
        "Node" => node::describe(sim, obj),
        "Namespace" => core::namespace(sim, obj),
        "Service" => core::service(sim, obj),
        "ConfigMap" => core::config_map(sim, obj),
        "Secret" => core::secret(obj),
        "PersistentVolumeClaim" => core::persistent_volume_claim(sim, obj),
        "PersistentVolume" => core::persistent_volume(sim, obj),
        "Ingress" => networking::ingress(sim, obj),
        "IngressClass" => networking::ingress_class(sim, obj),
        "Role" | "ClusterRole" => rbac::role(obj),
        "RoleBinding" | "ClusterRoleBinding" => rbac::binding(obj),
        _ => describe_generic(sim, obj),
    }
}

#[cfg(test)]
mod tests;
