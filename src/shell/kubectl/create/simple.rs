//! The small generators: namespace, serviceaccount, quota, priorityclass,
//! poddisruptionbudget, ingress.

use serde_json::{json, Map, Value};

use super::super::flags::{boolean, value, Flags, Spec};
use super::{metadata, name_arg, Mode};
use crate::sim::Sim;

pub const QUOTA: &[Spec] = &[value("hard"), value("scopes"), boolean("save-config")];
pub const PRIORITY: &[Spec] = &[
    value("value"),
    boolean("global-default"),
    value("description"),
    value("preemption-policy"),
    boolean("save-config"),
];
pub const PDB: &[Spec] = &[value("selector"), value("min-available"), value("max-unavailable"), boolean("save-config")];
pub const INGRESS: &[Spec] =
    &[value("rule"), value("class"), value("default-backend"), value("annotation"), boolean("save-config")];

/// Runs `kubectl create namespace NAME`.
pub fn namespace(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    Ok(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata(&name, mode, false), "spec": {},
              "status": {}}))
}

/// Runs `kubectl create serviceaccount NAME`.
pub fn serviceaccount(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    Ok(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(&name, mode, true)}))
}

/// Runs `kubectl create quota NAME --hard=pods=10,… [--scopes=…]`.
pub fn quota(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let mut hard = Map::new();
    for pair in flags.list("hard") {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!("error: invalid resource quota value {pair}, expected key=value\n"));
        };
        if crate::sim::quantity::Quantity::parse(v).is_err() {
            return Err(
                "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"
                    .to_string(),
            );
        }
        hard.insert(k.to_string(), json!(v));
    }
    let mut spec = json!({});
    if !hard.is_empty() {
        spec["hard"] = Value::Object(hard);
    }
    let scopes = flags.list("scopes");
    if !scopes.is_empty() {
        spec["scopes"] = json!(scopes);
    }
    Ok(json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": metadata(&name, mode, true), "spec": spec,
              "status": {}}))
}

/// Runs `kubectl create priorityclass NAME [--value] [--global-default] [--description] [--preemption-policy]`.
pub fn priorityclass(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let v = flags.get("value").unwrap_or("0");
    let value: i64 = v.parse().map_err(|_| {
        format!(
            "error: invalid argument \"{v}\" for \"--value\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\n"
        )
    })?;
    let mut obj = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                         "metadata": metadata(&name, mode, false), "value": value,
                         "preemptionPolicy": flags.get("preemption-policy").unwrap_or("PreemptLowerPriority")});
    if flags.on("global-default") {
        obj["globalDefault"] = json!(true);
    }
    if let Some(d) = flags.get("description").filter(|d| !d.is_empty()) {
        obj["description"] = json!(d);
    }
    Ok(obj)
}

/// An int-or-string flag value (`2`, `50%`).
fn int_or_string(v: &str) -> Value {
    v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n))
}

/// Runs `kubectl create poddisruptionbudget NAME --selector=… --min-available=N|--max-unavailable=N`.
pub fn pdb(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let Some(selector) = flags.get("selector").filter(|s| !s.is_empty()) else {
        return Err("error: a selector must be specified\n".into());
    };
    let (min, max) = (flags.get("min-available"), flags.get("max-unavailable"));
    let mut spec = match (min, max) {
        (Some(_), Some(_)) => return Err("error: min-available and max-unavailable cannot be both specified\n".into()),
        (None, None) => return Err("error: one of min-available or max-unavailable must be specified\n".into()),
        (Some(m), None) => json!({"minAvailable": int_or_string(m)}),
        (None, Some(m)) => json!({"maxUnavailable": int_or_string(m)}),
    };
    spec["selector"] = label_selector(selector)?;
    Ok(json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": metadata(&name, mode, true),
              "spec": spec,
              "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}}))
}

/// A `--selector` of `k=v` pairs as a LabelSelector with matchLabels.
fn label_selector(text: &str) -> Result<Value, String> {
    let mut labels = Map::new();
    for part in text.split(',') {
        let (k, v) = part.split_once("==").or_else(|| part.split_once('=')).ok_or_else(|| {
            format!("error: couldn't parse the selector string \"{text}\": only equality-based selectors are supported here\n")
        })?;
        labels.insert(k.trim().to_string(), json!(v.trim()));
    }
    Ok(json!({"matchLabels": labels}))
}

/// A backend `svc:port` (a number, or a port name).
fn backend(svc: &str) -> Value {
    let (name, port) = svc.split_once(':').unwrap_or((svc, ""));
    let port = port.parse::<i64>().map_or_else(|_| json!({"name": port}), |n| json!({"number": n}));
    json!({"service": {"name": name, "port": port}})
}

/// Whether a `--rule` reads `host/path=svc:port[,tls[=secret]]`.
fn valid_rule(rule: &str) -> bool {
    let (main, tls) = rule.split_once(',').unwrap_or((rule, ""));
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let Some(slash) = main.find('/') else { return false };
    let host = &main[..slash];
    let Some((_, svc)) = main[slash..].rsplit_once('=') else { return false };
    let Some((svc_name, port)) = svc.split_once(':') else { return false };
    host.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '*' | '-' | '.'))
        && word(svc_name)
        && word(port)
        && (tls.is_empty() || tls == "tls" || tls.strip_prefix("tls=").is_some_and(word))
}

/// Runs `kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class] [--default-backend]`.
pub fn ingress(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let rules = flags.all("rule");
    let default_backend = flags.get("default-backend");
    if rules.is_empty() && default_backend.is_none() {
        return Err("error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n".into());
    }
    if let Some(bad) = rules.iter().find(|r| !valid_rule(r)) {
        return Err(format!(
            "error: rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n"
        ));
    }
    let mut annotations = Map::new();
    for a in flags.all("annotation") {
        let Some((k, v)) = a.split_once('=') else {
            return Err(format!("error: annotation {a} is invalid and should be in format key=[value]\n"));
        };
        annotations.insert(k.to_string(), json!(v));
    }
    let mut spec = json!({});
    if let Some(class) = flags.get("class").filter(|c| !c.is_empty()) {
        spec["ingressClassName"] = json!(class);
    }
    if let Some(b) = default_backend {
        if b.split(':').count() != 2 {
            return Err("error: default-backend should be in format servicename:serviceport\n".into());
        }
        spec["defaultBackend"] = backend(b);
    }
    // TLS: one entry per secret, gathering the hosts that name it.
    let mut tls: Vec<Value> = Vec::new();
    let mut seen_hosts: Vec<&str> = Vec::new();
    for rule in &rules {
        let Some((main, t)) = rule.split_once(',') else { continue };
        let host = main.split_once('/').map_or("", |(h, _)| h);
        let secret = t.split_once('=').map_or("", |(_, s)| s);
        if seen_hosts.contains(&host) {
            continue;
        }
        seen_hosts.push(host);
        if let Some(entry) = tls.iter_mut().find(|e| !secret.is_empty() && e["secretName"] == secret) {
            entry["hosts"].as_array_mut().expect("hosts list").push(json!(host));
            continue;
        }
        let mut entry = json!({});
        if !host.is_empty() {
            entry["hosts"] = json!([host]);
        }
        if !secret.is_empty() {
            entry["secretName"] = json!(secret);
        }
        if entry.as_object().is_some_and(|m| !m.is_empty()) {
            tls.push(entry);
        }
    }
    if !tls.is_empty() {
        spec["tls"] = json!(tls);
    }
    let mut out_rules: Vec<Value> = Vec::new();
    for rule in &rules {
        let main = rule.split(',').next().unwrap_or("");
        let (host, rest) = main.split_once('/').unwrap_or(("", main));
        let (path, svc) = rest.split_once('=').unwrap_or((rest, ""));
        let mut path = format!("/{path}");
        let path_type = if path.ends_with('*') {
            path.pop();
            "Prefix"
        } else {
            "Exact"
        };
        let p = json!({"backend": backend(svc), "path": path, "pathType": path_type});
        if let Some(existing) = out_rules.iter_mut().find(|r| r["host"].as_str().unwrap_or("") == host) {
            existing["http"]["paths"].as_array_mut().expect("paths list").push(p);
            continue;
        }
        let mut r = json!({"http": {"paths": [p]}});
        if !host.is_empty() {
            r["host"] = json!(host);
        }
        out_rules.push(r);
    }
    if !out_rules.is_empty() {
        spec["rules"] = json!(out_rules);
    }
    let mut meta = metadata(&name, mode, true);
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    Ok(json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec,
              "status": {"loadBalancer": {}}}))
}
