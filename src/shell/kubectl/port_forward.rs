//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: the terminal's `localhost:LOCAL` reaches
//! the pod's port.
//!
//! SIM: kubectl keeps running until interrupted; here the forward is set up and the command
//! returns, so the next line can use it (as if it had been started with `&`).

use serde_json::Value;

use crate::shell::Output;
use crate::sim::store::ObjectKey;
use crate::sim::{PortForward, Sim};

/// A Service's port → the target port on its pods (a number, or a named container port).
fn service_target(sim: &Sim, svc: &crate::sim::api::Object, pod: &str, port: u16) -> Option<u16> {
    let p = svc
        .field("spec.ports")
        .and_then(Value::as_array)?
        .iter()
        .find(|p| p["port"].as_u64() == Some(u64::from(port)))?;
    match &p["targetPort"] {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(name) => {
            let pod = sim.store().get("Pod", svc.namespace(), pod)?;
            pod.field("spec.containers")?.as_array()?.iter().find_map(|c| {
                c["ports"].as_array()?.iter().find(|cp| cp["name"] == name.as_str())?["containerPort"]
                    .as_u64()
                    .and_then(|n| u16::try_from(n).ok())
            })
        }
        _ => Some(port),
    }
}

/// Runs `kubectl port-forward …`.
pub fn run(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some((target, ports)) = words.split_first() else {
        return Output::err("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n", 1);
    };
    if ports.is_empty() {
        return Output::err("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n", 1);
    }
    let service = target.strip_prefix("svc/").or_else(|| target.strip_prefix("service/"));
    let pod = match service {
        Some(name) => match sim.store().get("Service", Some(namespace), name) {
            None => return Output::err(format!("Error from server (NotFound): services \"{name}\" not found\n"), 1),
            Some(svc) => {
                let selector = svc.field("spec.selector").cloned().unwrap_or(Value::Null);
                let labels: std::collections::BTreeMap<String, String> =
                    serde_json::from_value(selector).unwrap_or_default();
                let found = sim
                    .store()
                    .list("Pod", Some(namespace))
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .find(|p| {
                        !labels.is_empty()
                            && crate::sim::selector::matches_map(
                                &labels,
                                p.metadata.labels.as_ref().unwrap_or(&Default::default()),
                            )
                    })
                    .map(|p| p.name().to_string());
                match found {
                    Some(p) => p,
                    None => return Output::err(format!("error: no pods found for service/{name}\n"), 1),
                }
            }
        },
        None => match super::pod_for_target(sim, target, namespace) {
            Ok(p) => p,
            Err(out) => return out,
        },
    };
    let key = ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name: pod.clone() };
    let Some(obj) = sim.store().get_key(&key) else {
        return Output::err(format!("Error from server (NotFound): pods \"{pod}\" not found\n"), 1);
    };
    let phase = obj.field("status.phase").and_then(Value::as_str).unwrap_or("Pending").to_string();
    if phase != "Running" {
        return Output::err(
            format!("error: unable to forward port because pod is not running. Current status={phase}\n"),
            1,
        );
    }
    let mut out = Output::default();
    for spec in ports {
        let (local, remote) = match spec.split_once(':') {
            Some((l, r)) => (l.parse::<u16>().ok(), r.parse::<u16>().ok()),
            None => (spec.parse::<u16>().ok(), spec.parse::<u16>().ok()),
        };
        let (Some(local), Some(mut remote)) = (local, remote) else {
            return Output::err(
                format!(
                    "error: Error parsing local port '{spec}': strconv.ParseUint: parsing \"{spec}\": invalid syntax\n"
                ),
                1,
            );
        };
        if let Some(name) = service {
            let svc = sim.store().get("Service", Some(namespace), name).cloned();
            match svc.and_then(|s| service_target(sim, &s, &pod, remote)) {
                Some(t) => remote = t,
                None => {
                    return Output::err(format!("error: Service {name} does not have a service port {remote}\n"), 1)
                }
            }
        }
        if sim.port_forwards.iter().any(|f| f.local == local) {
            return Output::err(format!("Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{{{local} {remote}}}]\n"), 1);
        }
        sim.port_forwards.push(PortForward { local, pod: key.clone(), remote });
        out.stdout.push_str(&format!(
            "Forwarding from 127.0.0.1:{local} -> {remote}\nForwarding from [::1]:{local} -> {remote}\n"
        ));
    }
    out
}
