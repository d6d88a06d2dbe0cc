//! `kubectl describe` for networking kinds: Ingresses (address, class, default backend, TLS,
//! rules with each backend's endpoints) and IngressClasses.

use serde_json::Value;

use super::core::format_endpoint_slices;
use super::{annotations_lines, events_section, labels_lines, render};
use crate::shell::kubectl::get::columns::{load_balancer_ips, scalar, text};
use crate::sim::api::Object;
use crate::sim::Sim;

/// `name:port` of a Service backend, then its ready endpoints for that port, as kubectl's
/// `describeBackendV1` prints them (`web:80 (10.244.1.5:8080)`).
fn backend(sim: &Sim, ns: &str, b: &Value) -> String {
    let svc = &b["service"];
    if let Some(name) = svc["name"].as_str() {
        let port = match svc["port"]["number"].as_i64().filter(|n| *n != 0) {
            Some(n) => n.to_string(),
            None => scalar(&svc["port"]["name"]),
        };
        let shown = format!("{name}:{port}");
        let Some(service) = sim.store().get("Service", Some(ns), name) else {
            return format!("{shown} (<error: services \"{name}\" not found>)");
        };
        let port_name = service
            .field("spec.ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .rfind(|p| {
                (svc["port"]["number"].as_i64().is_some_and(|n| n != 0 && p["port"].as_i64() == Some(n)))
                    || (svc["port"]["name"].as_str().is_some_and(|n| !n.is_empty() && p["name"].as_str() == Some(n)))
            })
            .map(|p| p["name"].as_str().unwrap_or("").to_string())
            .unwrap_or_default();
        let slices: Vec<&Object> = sim
            .store()
            .list("EndpointSlice", Some(ns))
            .filter(|sl| sl.label("kubernetes.io/service-name") == Some(name))
            .collect();
        return format!("{shown} ({})", format_endpoint_slices(&slices, &port_name));
    }
    let r = &b["resource"];
    if r.is_object() {
        let group = r["apiGroup"].as_str().unwrap_or("<none>");
        return format!("APIGroup: {group}, Kind: {}, Name: {}", scalar(&r["kind"]), scalar(&r["name"]));
    }
    String::new()
}

/// `kubectl describe ingress`.
pub fn ingress(sim: &Sim, ing: &Object) -> String {
    let ns = ing.namespace().unwrap_or("default");
    let mut s = format!("Name:\t{}\n", ing.name());
    s.push_str(&labels_lines("Labels", &ing.metadata.labels));
    s.push_str(&format!("Namespace:\t{ns}\n"));
    s.push_str(&format!("Address:\t{}\n", load_balancer_ips(ing.field("status.loadBalancer.ingress"), true)));
    let class = ing.field("spec.ingressClassName").and_then(Value::as_str).unwrap_or("<none>");
    s.push_str(&format!("Ingress Class:\t{class}\n"));
    let default = match ing.field("spec.defaultBackend") {
        Some(b) if !b.is_null() => backend(sim, ns, b),
        _ => "<default>".to_string(),
    };
    s.push_str(&format!("Default backend:\t{default}\n"));
    let tls = ing.field("spec.tls").and_then(Value::as_array).cloned().unwrap_or_default();
    if !tls.is_empty() {
        s.push_str("TLS:\n");
        for t in &tls {
            let hosts: Vec<String> = t["hosts"].as_array().into_iter().flatten().map(scalar).collect();
            match t["secretName"].as_str().filter(|n| !n.is_empty()) {
                Some(secret) => s.push_str(&format!("  {secret} terminates {}\n", hosts.join(","))),
                None => s.push_str(&format!("  SNI routes {}\n", hosts.join(","))),
            }
        }
    }
    s.push_str("Rules:\n  Host\tPath\tBackends\n  ----\t----\t--------\n");
    let mut count = 0;
    for rule in ing.field("spec.rules").and_then(Value::as_array).into_iter().flatten() {
        if rule["http"].is_null() {
            continue;
        }
        count += 1;
        let host = rule["host"].as_str().filter(|h| !h.is_empty()).unwrap_or("*");
        s.push_str(&format!("  {host}\t\n"));
        for p in rule["http"]["paths"].as_array().into_iter().flatten() {
            s.push_str(&format!("    \t{} \t{}\n", p["path"].as_str().unwrap_or(""), backend(sim, ns, &p["backend"])));
        }
    }
    if count == 0 {
        s.push_str(&format!("  *\t*\t{default}\n"));
    }
    s.push_str(&annotations_lines("Annotations", &ing.metadata.annotations));
    s.push_str(&events_section(sim, ing));
    render(&s)
}

/// `kubectl describe ingressclass`.
pub fn ingress_class(sim: &Sim, ic: &Object) -> String {
    let mut s = format!("Name:\t{}\n", ic.name());
    s.push_str(&labels_lines("Labels", &ic.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &ic.metadata.annotations));
    s.push_str(&format!("Controller:\t{}\n", text(ic, "spec.controller")));
    if let Some(p) = ic.field("spec.parameters").filter(|p| p.is_object()) {
        s.push_str("Parameters:\n");
        if let Some(g) = p["apiGroup"].as_str() {
            s.push_str(&format!("  APIGroup:\t{g}\n"));
        }
        s.push_str(&format!("  Kind:\t{}\n  Name:\t{}\n", scalar(&p["kind"]), scalar(&p["name"])));
    }
    s.push_str(&events_section(sim, ic));
    render(&s)
}
