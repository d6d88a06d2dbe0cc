//! The columns `kubectl get` shows for each kind, as the API server's table printers compute
//! them (upstream `pkg/printers/internalversion/printers.go`), `-o wide` columns included.
//!
//! Core kinds live here; workloads and cluster-level kinds in the submodules.

mod cluster;
mod workloads;

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::table::human_duration;
use super::resource::ResourceType;
use crate::sim::api::Object;
use crate::sim::time::parse_time;
use crate::sim::time::{SimTime, EPOCH_UNIX_SECS};
use crate::sim::Sim;

/// What a printer needs besides the object: the cluster (for lookups) and the clock.
pub struct Ctx<'a> {
    pub sim: &'a Sim,
    pub now: SimTime,
    pub wide: bool,
}

/// A kind's columns: those always shown, those `-o wide` adds, and how to fill a row (all
/// cells, wide ones last; the caller drops the wide ones unless asked).
pub struct Printer {
    pub header: &'static [&'static str],
    pub wide: &'static [&'static str],
    pub row: fn(&Ctx, &Object) -> Vec<String>,
}

/// The table of `objects` of type `rt`: header and rows, `-o wide` columns when `ctx.wide`.
pub fn table(ctx: &Ctx, rt: &ResourceType, objects: &[&Object]) -> (Vec<String>, Vec<Vec<String>>) {
    if let Some(columns) = &rt.printer_columns {
        return cluster::custom_resource_table(ctx, columns, objects);
    }
    let printer = printer_for(&rt.kind);
    let mut header: Vec<String> = printer.header.iter().map(|s| s.to_string()).collect();
    let keep = header.len() + if ctx.wide { printer.wide.len() } else { 0 };
    if ctx.wide {
        header.extend(printer.wide.iter().map(|s| s.to_string()));
    }
    let rows = objects
        .iter()
        .map(|o| {
            let mut row = (printer.row)(ctx, o);
            row.truncate(keep);
            row
        })
        .collect::<Vec<_>>();
    let mut rows = rows;
    if rt.kind == "Event" && ctx.wide {
        event_wide_order(&mut header, &mut rows);
    }
    (header, rows)
}

/// Index of the NAME column (events put it last, among the wide columns), if shown.
pub fn name_column(rt: &ResourceType, wide: bool) -> Option<usize> {
    if rt.printer_columns.is_some() {
        return Some(0);
    }
    let p = printer_for(&rt.kind);
    let all: Vec<&str> = p.header.iter().chain(if wide { p.wide.iter() } else { [].iter() }).copied().collect();
    all.iter().position(|h| *h == "NAME")
}

fn printer_for(kind: &str) -> Printer {
    let p = |header, wide, row| Printer { header, wide, row };
    match kind {
        "Pod" => p(
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            pod,
        ),
        "Node" => p(
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            node,
        ),
        "Namespace" => p(&["NAME", "STATUS", "AGE"], &[], namespace),
        "Service" => p(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], &["SELECTOR"], service),
        "ConfigMap" => p(&["NAME", "DATA", "AGE"], &[], config_map),
        "Secret" => p(&["NAME", "TYPE", "DATA", "AGE"], &[], secret),
        "ServiceAccount" => p(&["NAME", "SECRETS", "AGE"], &[], service_account),
        "Endpoints" => p(&["NAME", "ENDPOINTS", "AGE"], &[], endpoints),
        "PersistentVolumeClaim" => p(
            &["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
            &["VOLUMEMODE"],
            persistent_volume_claim,
        ),
        "PersistentVolume" => p(
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
            persistent_volume,
        ),
        "Event" => p(
            &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            &["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
            event,
        ),
        "ResourceQuota" => p(&["NAME", "REQUEST", "LIMIT", "AGE"], &[], resource_quota),
        "ReplicationController" => {
            p(&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"], workloads::rc)
        }
        other => workloads::printer_for(other).unwrap_or_else(|| cluster::printer_for(other)),
    }
}

// ---- cells shared by every printer ----

/// The creation time of `o` on the sim clock.
pub fn created(o: &Object) -> Option<SimTime> {
    let secs = o.metadata.creation_timestamp.as_ref()?.0.as_second();
    Some(SimTime::from_secs(u64::try_from(secs - EPOCH_UNIX_SECS as i64).unwrap_or(0)))
}

/// `AGE`: how long ago `o` was created, or `<unknown>`.
pub fn age(ctx: &Ctx, o: &Object) -> String {
    created(o).map_or_else(|| "<unknown>".to_string(), |t| human_duration(ctx.now.since(t)))
}

/// How long ago an RFC 3339 time was, or `<unknown>` when absent.
pub fn since(ctx: &Ctx, v: &Value) -> String {
    v.as_str().and_then(parse_time).map_or_else(|| "<unknown>".to_string(), |t| human_duration(ctx.now.since(t)))
}

/// The string at a dotted path, or "".
pub fn text(o: &Object, path: &str) -> String {
    o.field(path).map(scalar).unwrap_or_default()
}

/// The integer at a dotted path, or 0.
pub fn int(o: &Object, path: &str) -> i64 {
    o.field(path).and_then(Value::as_i64).unwrap_or(0)
}

/// A scalar as Go prints it: strings bare, numbers and booleans as written, null empty.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `True`/`False` as Go's `%v` prints a bool inside kubectl's printers (lowercase).
pub fn go_bool(v: bool) -> String {
    v.to_string()
}

/// `k=v,k2=v2` (sorted), or `<none>`: upstream `labels.FormatLabels`.
pub fn format_labels(v: Option<&Value>) -> String {
    let pairs: Vec<String> = v
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    if pairs.is_empty() {
        "<none>".into()
    } else {
        pairs.join(",")
    }
}

/// A `LabelSelector` as a selector string (`app=web,tier in (a,b)`), requirements sorted by
/// key; "" for an empty or missing selector (upstream `LabelSelectorAsSelector(…).String()`).
pub fn selector_string(sel: Option<&Value>) -> String {
    let Some(sel) = sel.filter(|s| !s.is_null()) else { return String::new() };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel["matchLabels"].as_object().into_iter().flatten() {
        reqs.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or(""))));
    }
    for e in sel["matchExpressions"].as_array().into_iter().flatten() {
        let k = e["key"].as_str().unwrap_or("").to_string();
        let mut values: Vec<&str> = e["values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        values.sort_unstable();
        let text = match e["operator"].as_str().unwrap_or("") {
            "In" => format!("{k} in ({})", values.join(",")),
            "NotIn" => format!("{k} notin ({})", values.join(",")),
            "Exists" => k.clone(),
            "DoesNotExist" => format!("!{k}"),
            _ => continue,
        };
        reqs.push((k, text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

/// [`selector_string`], `<none>` when empty (upstream `FormatLabelSelector`).
pub fn format_label_selector(sel: Option<&Value>) -> String {
    match selector_string(sel) {
        s if s.is_empty() => "<none>".into(),
        s => s,
    }
}

/// Container names and images of a pod template, comma-joined (`layoutContainerCells`).
pub fn container_cells(spec: Option<&Value>) -> (String, String) {
    let containers = spec.and_then(|s| s["containers"].as_array()).cloned().unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c["name"].as_str().unwrap_or("")).collect();
    let images: Vec<&str> = containers.iter().map(|c| c["image"].as_str().unwrap_or("")).collect();
    (names.join(","), images.join(","))
}

/// `a,b,c + 2 more...` as upstream shortens long lists, or `fallback` when empty.
pub fn list_with_more(items: &[String], max: usize, fallback: &str) -> String {
    if items.is_empty() {
        return fallback.to_string();
    }
    let shown = items.iter().take(max).cloned().collect::<Vec<_>>().join(",");
    if items.len() > max {
        format!("{shown} + {} more...", items.len() - max)
    } else {
        shown
    }
}

/// Access modes in upstream's fixed order and abbreviations (`RWO,ROX,RWX,RWOP`).
pub fn access_modes(v: Option<&Value>) -> String {
    let modes: Vec<&str> = v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
        .iter()
        .filter(|(m, _)| modes.contains(m))
        .map(|(_, a)| *a)
        .collect::<Vec<_>>()
        .join(",")
}

/// `<none>` for an empty cell.
fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

// ---- core/v1 kinds ----

fn pod(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (ready, status, restarts) = super::super::pod_status::columns(o, ctx.now);
    let ip = o
        .field("status.podIPs")
        .and_then(|ips| ips[0]["ip"].as_str())
        .or_else(|| o.field("status.podIP").and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    let gates = o.field("spec.readinessGates").and_then(Value::as_array).filter(|g| !g.is_empty());
    let gates = match gates {
        None => "<none>".to_string(),
        Some(gates) => {
            let conds = o.field("status.conditions").and_then(Value::as_array).cloned().unwrap_or_default();
            let met = gates
                .iter()
                .filter(|g| {
                    conds.iter().find(|c| c["type"] == g["conditionType"]).is_some_and(|c| c["status"] == "True")
                })
                .count();
            format!("{met}/{}", gates.len())
        }
    };
    vec![
        o.name().into(),
        ready,
        status,
        restarts,
        age(ctx, o),
        or_none(ip),
        or_none(text(o, "spec.nodeName")),
        or_none(text(o, "status.nominatedNodeName")),
        gates,
    ]
}

fn node(ctx: &Ctx, o: &Object) -> Vec<String> {
    let address = |ty: &str| {
        o.field("status.addresses")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|x| x["type"] == ty))
            .and_then(|x| x["address"].as_str())
            .unwrap_or("<none>")
            .to_string()
    };
    let info = |k: &str| match text(o, &format!("status.nodeInfo.{k}")) {
        s if s.is_empty() => "<unknown>".to_string(),
        s => s,
    };
    vec![
        o.name().into(),
        node_status(o),
        node_roles(o),
        age(ctx, o),
        text(o, "status.nodeInfo.kubeletVersion"),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}

/// `Ready`, `NotReady` or `Unknown`, with `,SchedulingDisabled` when cordoned.
pub fn node_status(o: &Object) -> String {
    let ready = o
        .field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .and_then(|c| c["status"].as_str());
    let mut s = match ready {
        Some("True") => "Ready",
        // Upstream prints "Not" + type for False and Unknown alike.
        Some(_) => "NotReady",
        None => "Unknown",
    }
    .to_string();
    if o.field("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        s.push_str(",SchedulingDisabled");
    }
    s
}

/// Roles from `node-role.kubernetes.io/ROLE` and `kubernetes.io/role` labels, sorted, or `<none>`.
pub fn node_roles(o: &Object) -> String {
    let mut roles: Vec<&str> = o
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role),
            _ if k == "kubernetes.io/role" && !v.is_empty() => Some(v.as_str()),
            _ => None,
        })
        .collect();
    roles.sort_unstable();
    roles.dedup();
    or_none(roles.join(","))
}

fn namespace(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![o.name().into(), text(o, "status.phase"), age(ctx, o)]
}

fn service(ctx: &Ctx, o: &Object) -> Vec<String> {
    let ty = text(o, "spec.type");
    let cluster_ip = o.field("spec.clusterIPs").and_then(|ips| ips[0].as_str()).unwrap_or("<none>").to_string();
    let external_ips: Vec<String> = o
        .field("spec.externalIPs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" => or_none(external_ips.join(",")),
        "LoadBalancer" => {
            let lb = load_balancer_ips(o.field("status.loadBalancer.ingress"), ctx.wide);
            let mut all: Vec<String> = if lb.is_empty() { vec![] } else { lb.split(',').map(str::to_string).collect() };
            all.extend(external_ips);
            if all.is_empty() {
                "<pending>".into()
            } else {
                all.join(",")
            }
        }
        "ExternalName" => text(o, "spec.externalName"),
        _ => "<unknown>".into(),
    };
    let ports: Vec<String> = o
        .field("spec.ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let proto = p["protocol"].as_str().unwrap_or("TCP");
            match p["nodePort"].as_u64().filter(|n| *n > 0) {
                Some(np) => format!("{}:{np}/{proto}", p["port"]),
                None => format!("{}/{proto}", p["port"]),
            }
        })
        .collect();
    vec![
        o.name().into(),
        ty,
        cluster_ip,
        external,
        or_none(ports.join(",")),
        age(ctx, o),
        format_labels(o.field("spec.selector")),
    ]
}

/// Load-balancer ingress IPs or hostnames, sorted and de-duplicated; cut to 16 bytes unless wide.
pub fn load_balancer_ips(ingress: Option<&Value>, wide: bool) -> String {
    let mut set: Vec<String> = ingress
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| {
            i["ip"].as_str().filter(|s| !s.is_empty()).or_else(|| i["hostname"].as_str().filter(|s| !s.is_empty()))
        })
        .map(str::to_string)
        .collect();
    set.sort();
    set.dedup();
    let r = set.join(",");
    if !wide && r.len() > 16 {
        format!("{}...", &r[..13])
    } else {
        r
    }
}

fn config_map(ctx: &Ctx, o: &Object) -> Vec<String> {
    let n = |f: &str| o.body.get(f).and_then(Value::as_object).map_or(0, |m| m.len());
    vec![o.name().into(), (n("data") + n("binaryData")).to_string(), age(ctx, o)]
}

fn secret(ctx: &Ctx, o: &Object) -> Vec<String> {
    let n = o.body.get("data").and_then(Value::as_object).map_or(0, |m| m.len());
    vec![o.name().into(), text(o, "type"), n.to_string(), age(ctx, o)]
}

fn service_account(ctx: &Ctx, o: &Object) -> Vec<String> {
    let n = o.body.get("secrets").and_then(Value::as_array).map_or(0, Vec::len);
    vec![o.name().into(), n.to_string(), age(ctx, o)]
}

/// `10.244.1.5:80,10.244.2.3:80 + 1 more...`: ready addresses with each port (upstream `formatEndpoints`).
pub fn format_endpoints(o: &Object) -> String {
    let subsets = o.body.get("subsets").and_then(Value::as_array).cloned().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    for ss in &subsets {
        let addrs: Vec<&str> =
            ss["addresses"].as_array().into_iter().flatten().map(|a| a["ip"].as_str().unwrap_or("")).collect();
        match ss["ports"].as_array().filter(|p| !p.is_empty()) {
            None => list.extend(addrs.iter().map(|a| a.to_string())),
            Some(ports) => {
                for p in ports {
                    list.extend(addrs.iter().map(|a| format!("{a}:{}", p["port"])));
                }
            }
        }
    }
    // Upstream prints "" (not <none>) when subsets exist but hold no ready address.
    if list.is_empty() {
        return String::new();
    }
    list_with_more(&list, 3, "")
}

fn endpoints(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![o.name().into(), format_endpoints(o), age(ctx, o)]
}

/// A claim's or volume's phase; one the API server has not yet given a status is `Pending`,
/// the phase it starts in.
pub fn volume_phase(o: &Object) -> String {
    match text(o, "status.phase") {
        p if p.is_empty() => "Pending".into(),
        p => p,
    }
}

fn persistent_volume_claim(ctx: &Ctx, o: &Object) -> Vec<String> {
    let phase = if o.metadata.deletion_timestamp.is_some() { "Terminating".into() } else { volume_phase(o) };
    let volume = text(o, "spec.volumeName");
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (text(o, "status.capacity.storage"), access_modes(o.field("status.accessModes")))
    };
    vec![
        o.name().into(),
        phase,
        volume,
        capacity,
        modes,
        storage_class_of(o),
        unset(text(o, "spec.volumeAttributesClassName")),
        age(ctx, o),
        unset(text(o, "spec.volumeMode")),
    ]
}

/// The class of a claim or volume: `spec.storageClassName`, else the beta annotation.
pub fn storage_class_of(o: &Object) -> String {
    o.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        .unwrap_or_else(|| text(o, "spec.storageClassName"))
}

fn unset(s: String) -> String {
    if s.is_empty() {
        "<unset>".into()
    } else {
        s
    }
}

fn persistent_volume(ctx: &Ctx, o: &Object) -> Vec<String> {
    let claim = match o.field("spec.claimRef") {
        Some(c) if c.is_object() => {
            format!("{}/{}", c["namespace"].as_str().unwrap_or(""), c["name"].as_str().unwrap_or(""))
        }
        _ => String::new(),
    };
    let phase = if o.metadata.deletion_timestamp.is_some() { "Terminating".into() } else { volume_phase(o) };
    vec![
        o.name().into(),
        text(o, "spec.capacity.storage"),
        access_modes(o.field("spec.accessModes")),
        text(o, "spec.persistentVolumeReclaimPolicy"),
        phase,
        claim,
        storage_class_of(o),
        unset(text(o, "spec.volumeAttributesClassName")),
        text(o, "status.reason"),
        age(ctx, o),
        unset(text(o, "spec.volumeMode")),
    ]
}

fn event(ctx: &Ctx, o: &Object) -> Vec<String> {
    let first = match o.field("firstTimestamp").filter(|v| !v.is_null()) {
        Some(v) => since(ctx, v),
        None => since(ctx, o.field("eventTime").unwrap_or(&Value::Null)),
    };
    let last = match o.field("lastTimestamp").filter(|v| !v.is_null()) {
        Some(v) => since(ctx, v),
        None => first.clone(),
    };
    let count = match o.field("count").and_then(Value::as_i64) {
        Some(c) if c > 0 => c,
        _ => 1,
    };
    let kind = text(o, "involvedObject.kind").to_ascii_lowercase();
    let name = text(o, "involvedObject.name");
    let target = if name.is_empty() { kind } else { format!("{kind}/{name}") };
    let first_non_empty = |a: String, b: String| if a.is_empty() { b } else { a };
    let component = first_non_empty(text(o, "source.component"), text(o, "reportingComponent"));
    let host = first_non_empty(text(o, "source.host"), text(o, "reportingInstance"));
    let source = if host.is_empty() { component } else { format!("{component}, {host}") };
    vec![
        last,
        text(o, "type"),
        text(o, "reason"),
        target,
        text(o, "message").trim().to_string(),
        text(o, "involvedObject.fieldPath"),
        source,
        first,
        count.to_string(),
        o.name().into(),
    ]
}

/// Moves the wide-only columns of an event row into upstream's order: LAST SEEN, TYPE,
/// REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT, NAME.
fn event_wide_order(header: &mut [String], rows: &mut [Vec<String>]) {
    let fix = |r: &mut [String]| {
        if r.len() == 10 {
            r[4..7].rotate_left(1);
        }
    };
    fix(header);
    for r in rows {
        fix(r);
    }
}

fn resource_quota(ctx: &Ctx, o: &Object) -> Vec<String> {
    let hard = o.field("status.hard").and_then(Value::as_object).cloned().unwrap_or_default();
    let used = o.field("status.used").and_then(Value::as_object).cloned().unwrap_or_default();
    let sorted: BTreeMap<&String, &Value> = hard.iter().collect();
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for (name, h) in sorted {
        let u = used.get(name).map(scalar).unwrap_or_else(|| "0".into());
        let cell = format!("{name}: {u}/{}", scalar(h));
        if name.split('.').next() == Some("limits") && name.contains('.') {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    vec![o.name().into(), request.join(", "), limit.join(", "), age(ctx, o)]
}
