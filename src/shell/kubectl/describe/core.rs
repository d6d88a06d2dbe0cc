//! `kubectl describe` for core kinds: namespaces, services, config maps, secrets, claims and
//! volumes.

use serde_json::Value;

use super::{annotations_lines, events_section, header, labels_lines, render};
use crate::shell::kubectl::get::columns::{access_modes, format_labels, scalar, storage_class_of, text, volume_phase};
use crate::shell::kubectl::table::human_duration;
use crate::sim::api::Object;
use crate::sim::Sim;

fn terminating_or(sim: &Sim, o: &Object, phase: String) -> String {
    match &o.metadata.deletion_timestamp {
        Some(t) => {
            let since = t.0.as_second() - crate::sim::time::EPOCH_UNIX_SECS as i64;
            let at = crate::sim::time::SimTime::from_secs(u64::try_from(since).unwrap_or(0));
            format!("Terminating (lasts {})", human_duration(sim.now().since(at)))
        }
        None => phase,
    }
}

pub fn namespace(sim: &Sim, ns: &Object) -> String {
    let mut s = format!("Name:\t{}\n", ns.name());
    s.push_str(&labels_lines("Labels", &ns.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &ns.metadata.annotations));
    s.push_str(&format!("Status:\t{}\n", text(ns, "status.phase")));
    s.push('\n');
    let quotas: Vec<&Object> = sim.store().list("ResourceQuota", Some(ns.name())).collect();
    if quotas.is_empty() {
        s.push_str("No resource quota.\n");
    } else {
        s.push_str("Resource Quotas\n");
        for q in quotas {
            s.push_str(&format!("  Name:\t{}\n  Resource\tUsed\tHard\n  --------\t---\t---\n", q.name()));
            let hard = q.field("status.hard").and_then(Value::as_object).cloned().unwrap_or_default();
            for (res, h) in &hard {
                let used = q.field(&format!("status.used.{res}")).map_or_else(|| "0".to_string(), scalar);
                s.push_str(&format!("  {res}\t{used}\t{}\n", scalar(h)));
            }
        }
    }
    s.push('\n');
    let ranges: Vec<&Object> = sim.store().list("LimitRange", Some(ns.name())).collect();
    if ranges.is_empty() {
        s.push_str("No LimitRange resource.\n");
    } else {
        s.push_str(
            "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
        );
        s.push_str(" ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
        for lr in ranges {
            s.push_str(&limit_range_rows(lr, " "));
        }
    }
    render(&s)
}

/// One row per limit item and resource: type, resource, min, max, default request, default
/// limit, ratio (`-` where unset).
// SIM: upstream iterates a Go map, so resources come in no set order; here they are sorted.
fn limit_range_rows(lr: &Object, prefix: &str) -> String {
    let mut s = String::new();
    for item in lr.field("spec.limits").and_then(Value::as_array).into_iter().flatten() {
        let fields = ["min", "max", "defaultRequest", "default", "maxLimitRequestRatio"];
        let mut names: Vec<&String> =
            fields.iter().flat_map(|f| item[*f].as_object().into_iter().flat_map(|m| m.keys())).collect();
        names.sort();
        names.dedup();
        for name in names {
            let cell = |f: &str| item[f].get(name.as_str()).map_or_else(|| "-".to_string(), scalar);
            s.push_str(&format!(
                "{prefix}{}\t{name}\t{}\t{}\t{}\t{}\t{}\n",
                item["type"].as_str().unwrap_or(""),
                cell("min"),
                cell("max"),
                cell("defaultRequest"),
                cell("default"),
                cell("maxLimitRequestRatio")
            ));
        }
    }
    s
}

pub fn service(sim: &Sim, svc: &Object) -> String {
    let mut s = header(svc);
    s.push_str(&format!("Selector:\t{}\n", format_labels(svc.field("spec.selector"))));
    let ty = text(svc, "spec.type");
    s.push_str(&format!("Type:\t{ty}\n"));
    let policy = text(svc, "spec.ipFamilyPolicy");
    if !policy.is_empty() {
        s.push_str(&format!("IP Family Policy:\t{policy}\n"));
    }
    let list =
        |p: &str| -> Vec<String> { svc.field(p).and_then(Value::as_array).into_iter().flatten().map(scalar).collect() };
    let or_none = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(",") };
    s.push_str(&format!("IP Families:\t{}\n", or_none(list("spec.ipFamilies"))));
    s.push_str(&format!("IP:\t{}\n", text(svc, "spec.clusterIP")));
    s.push_str(&format!("IPs:\t{}\n", or_none(list("spec.clusterIPs"))));
    let external = list("spec.externalIPs");
    if !external.is_empty() {
        s.push_str(&format!("External IPs:\t{}\n", external.join(",")));
    }
    for (field, title) in [("spec.loadBalancerIP", "Desired LoadBalancer IP"), ("spec.externalName", "External Name")] {
        let v = text(svc, field);
        if !v.is_empty() {
            s.push_str(&format!("{title}:\t{v}\n"));
        }
    }
    let ingress: Vec<String> = svc
        .field("status.loadBalancer.ingress")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|i| match i["ip"].as_str().filter(|ip| !ip.is_empty()) {
            Some(ip) => match i["ipMode"].as_str() {
                Some(mode) => format!("{ip} ({mode})"),
                None => ip.to_string(),
            },
            None => scalar(&i["hostname"]),
        })
        .collect();
    if !ingress.is_empty() {
        s.push_str(&format!("LoadBalancer Ingress:\t{}\n", ingress.join(", ")));
    }
    let slices: Vec<&Object> = sim
        .store()
        .list("EndpointSlice", svc.namespace())
        .filter(|sl| sl.label("kubernetes.io/service-name") == Some(svc.name()))
        .collect();
    for p in svc.field("spec.ports").and_then(Value::as_array).into_iter().flatten() {
        let port_name = p["name"].as_str().unwrap_or("");
        let name = if port_name.is_empty() { "<unset>" } else { port_name };
        let proto = p["protocol"].as_str().unwrap_or("TCP");
        s.push_str(&format!("Port:\t{name}\t{}/{proto}\n", p["port"]));
        let target = if p["targetPort"].is_null() { p["port"].clone() } else { p["targetPort"].clone() };
        s.push_str(&format!("TargetPort:\t{}/{proto}\n", scalar(&target)));
        if let Some(np) = p["nodePort"].as_i64().filter(|n| *n != 0) {
            s.push_str(&format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        s.push_str(&format!("Endpoints:\t{}\n", format_endpoint_slices(&slices, port_name)));
    }
    s.push_str(&format!("Session Affinity:\t{}\n", text(svc, "spec.sessionAffinity")));
    for (field, title) in [
        ("spec.externalTrafficPolicy", "External Traffic Policy"),
        ("spec.internalTrafficPolicy", "Internal Traffic Policy"),
    ] {
        let v = text(svc, field);
        if !v.is_empty() {
            s.push_str(&format!("{title}:\t{v}\n"));
        }
    }
    if let Some(hc) = svc.field("spec.healthCheckNodePort").and_then(Value::as_i64).filter(|n| *n != 0) {
        s.push_str(&format!("HealthCheck NodePort:\t{hc}\n"));
    }
    s.push_str(&events_section(sim, svc));
    render(&s)
}

/// Ready endpoints of the slices for the service port named `port`, as `ip:port`, three at most
/// (upstream `formatEndpointSlices`).
pub(super) fn format_endpoint_slices(slices: &[&Object], port: &str) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    let mut count = 0;
    for sl in slices {
        let endpoints = sl.field("endpoints").and_then(Value::as_array).cloned().unwrap_or_default();
        let ready = |e: &Value| e["conditions"]["ready"] != false;
        let ports = sl.field("ports").and_then(Value::as_array).cloned().unwrap_or_default();
        if ports.is_empty() {
            for e in endpoints.iter().filter(|e| ready(e)) {
                if list.len() < 3 {
                    list.push(scalar(&e["addresses"][0]));
                }
                count += 1;
            }
            continue;
        }
        for p in ports.iter().filter(|p| p["name"].as_str().unwrap_or("") == port) {
            for e in endpoints.iter().filter(|e| ready(e)) {
                if list.len() < 3 {
                    list.push(format!("{}:{}", scalar(&e["addresses"][0]), p["port"]));
                }
                count += 1;
            }
        }
    }
    let text = list.join(",");
    if count > 3 {
        format!("{text} + {} more...", count - 3)
    } else {
        text
    }
}

pub fn config_map(sim: &Sim, cm: &Object) -> String {
    let mut s = header(cm);
    s.push_str("\nData\n====\n");
    for (k, v) in cm.field("data").and_then(Value::as_object).into_iter().flatten() {
        s.push_str(&format!("{k}:\n----\n{}\n\n", v.as_str().unwrap_or("")));
    }
    s.push_str("\nBinaryData\n====\n");
    for (k, v) in cm.field("binaryData").and_then(Value::as_object).into_iter().flatten() {
        let len = decoded_len(v.as_str().unwrap_or(""));
        s.push_str(&format!("{k}: {len} bytes\n"));
    }
    s.push('\n');
    s.push_str(&events_section(sim, cm));
    render(&s)
}

/// The length of base64 data once decoded.
fn decoded_len(b64: &str) -> usize {
    let trimmed = b64.trim_end_matches('=');
    trimmed.len() * 3 / 4
}

pub fn secret(sec: &Object) -> String {
    let mut s = header(sec);
    s.push_str(&format!("\nType:\t{}\n", text(sec, "type")));
    s.push_str("\nData\n====\n");
    for (k, v) in sec.field("data").and_then(Value::as_object).into_iter().flatten() {
        s.push_str(&format!("{k}:\t{} bytes\n", decoded_len(v.as_str().unwrap_or(""))));
    }
    render(&s)
}

pub fn persistent_volume_claim(sim: &Sim, pvc: &Object) -> String {
    let mut s = format!("Name:\t{}\nNamespace:\t{}\n", pvc.name(), pvc.namespace().unwrap_or(""));
    s.push_str(&format!("StorageClass:\t{}\n", storage_class_of(pvc)));
    s.push_str(&format!("Status:\t{}\n", terminating_or(sim, pvc, volume_phase(pvc))));
    let volume = text(pvc, "spec.volumeName");
    s.push_str(&format!("Volume:\t{volume}\n"));
    s.push_str(&labels_lines("Labels", &pvc.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &pvc.metadata.annotations));
    s.push_str(&format!("Finalizers:\t[{}]\n", pvc.metadata.finalizers.clone().unwrap_or_default().join(" ")));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (text(pvc, "status.capacity.storage"), access_modes(pvc.field("status.accessModes")))
    };
    s.push_str(&format!("Capacity:\t{capacity}\nAccess Modes:\t{modes}\n"));
    let mode = text(pvc, "spec.volumeMode");
    if !mode.is_empty() {
        s.push_str(&format!("VolumeMode:\t{mode}\n"));
    }
    let mut users: Vec<&str> = sim
        .store()
        .list("Pod", pvc.namespace())
        .filter(|p| {
            p.field("spec.volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|v| v["persistentVolumeClaim"]["claimName"] == pvc.name())
        })
        .map(|p| p.name())
        .collect();
    users.sort_unstable();
    match users.split_first() {
        None => s.push_str("Used By:\t<none>\n"),
        Some((first, rest)) => {
            s.push_str(&format!("Used By:\t{first}\n"));
            for u in rest {
                s.push_str(&format!("\t{u}\n"));
            }
        }
    }
    s.push_str(&events_section(sim, pvc));
    render(&s)
}

pub fn persistent_volume(sim: &Sim, pv: &Object) -> String {
    let mut s = format!("Name:\t{}\n", pv.name());
    s.push_str(&labels_lines("Labels", &pv.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &pv.metadata.annotations));
    s.push_str(&format!("Finalizers:\t[{}]\n", pv.metadata.finalizers.clone().unwrap_or_default().join(" ")));
    s.push_str(&format!("StorageClass:\t{}\n", storage_class_of(pv)));
    s.push_str(&format!("Status:\t{}\n", terminating_or(sim, pv, volume_phase(pv))));
    let claim = match pv.field("spec.claimRef").filter(|c| c.is_object()) {
        Some(c) => format!("{}/{}", scalar(&c["namespace"]), scalar(&c["name"])),
        None => String::new(),
    };
    s.push_str(&format!("Claim:\t{claim}\n"));
    s.push_str(&format!("Reclaim Policy:\t{}\n", text(pv, "spec.persistentVolumeReclaimPolicy")));
    s.push_str(&format!("Access Modes:\t{}\n", access_modes(pv.field("spec.accessModes"))));
    let mode = text(pv, "spec.volumeMode");
    if !mode.is_empty() {
        s.push_str(&format!("VolumeMode:\t{mode}\n"));
    }
    s.push_str(&format!("Capacity:\t{}\n", text(pv, "spec.capacity.storage")));
    let terms = pv.field("spec.nodeAffinity.required.nodeSelectorTerms").and_then(Value::as_array).cloned();
    match terms {
        None => s.push_str("Node Affinity:\t<none>\n"),
        Some(terms) => {
            s.push_str("Node Affinity:\t\n");
            if terms.is_empty() {
                s.push_str("  Required Terms:\t<none>\n");
            } else {
                s.push_str("  Required Terms:\t\n");
                for (i, term) in terms.iter().enumerate() {
                    let exprs = term["matchExpressions"].as_array().cloned().unwrap_or_default();
                    if exprs.is_empty() {
                        s.push_str(&format!("    Term {i}:\t<none>\n"));
                    }
                    for (j, e) in exprs.iter().enumerate() {
                        let mut x = format!("{} {}", scalar(&e["key"]), scalar(&e["operator"]).to_ascii_lowercase());
                        let values: Vec<String> = e["values"].as_array().into_iter().flatten().map(scalar).collect();
                        if !values.is_empty() {
                            x = format!("{x} [{}]", values.join(", "));
                        }
                        if j == 0 {
                            s.push_str(&format!("    Term {i}:\t{x}\n"));
                        } else {
                            s.push_str(&format!("    \t{x}\n"));
                        }
                    }
                }
            }
        }
    }
    s.push_str(&format!("Message:\t{}\n", text(pv, "status.message")));
    s.push_str("Source:\n");
    if let Some(h) = pv.field("spec.hostPath") {
        s.push_str(&format!(
            "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
            scalar(&h["path"]),
            h["type"].as_str().unwrap_or("<none>")
        ));
    } else if let Some(l) = pv.field("spec.local") {
        s.push_str(&format!(
            "    Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
            scalar(&l["path"])
        ));
    } else if let Some(n) = pv.field("spec.nfs") {
        s.push_str(&format!(
            "    Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
            scalar(&n["server"]),
            scalar(&n["path"]),
            n["readOnly"] == true
        ));
    } else if let Some(c) = pv.field("spec.csi") {
        s.push_str(&format!(
            "    Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
            scalar(&c["driver"]),
            scalar(&c["fsType"]),
            scalar(&c["volumeHandle"]),
            c["readOnly"] == true
        ));
        let attrs: Option<std::collections::BTreeMap<String, String>> =
            serde_json::from_value(c["volumeAttributes"].clone()).ok();
        s.push_str(&labels_lines("    VolumeAttributes", &attrs).replace("\n\t", "\n    \t"));
    } else {
        s.push_str("  <unknown>\n");
    }
    s.push_str(&events_section(sim, pv));
    render(&s)
}
