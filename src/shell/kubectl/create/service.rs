//! `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`.

use serde_json::{json, Value};

use super::super::flags::{boolean, value, Flags, Spec};
use super::{metadata, name_arg, required, Mode};
use crate::sim::Sim;

pub const SPECS: &[Spec] =
    &[value("tcp"), value("clusterip"), value("node-port"), value("external-name"), boolean("save-config")];

/// A `--tcp` value's port or target port: a 16-bit number as kubectl's `strconv.ParseUint`
/// reads it (0 passes here; the API server refuses it), or (target only) a port name.
fn port_value(text: &str, target: bool) -> Result<Value, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u16>() {
        Ok(n) if digits && (n > 0 || !target) => Ok(json!(n)),
        _ if target && text.parse::<i64>().is_err() => Ok(json!(text)),
        _ if target => Err("error: must be between 1 and 65535, inclusive\n".into()),
        _ => Err(format!("error: {}\n", super::super::flags::go_int_error("strconv.ParseUint", text))),
    }
}

/// Builds the Service; the type comes from the subcommand, read back from the command name.
pub fn build(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let ty = match command.rsplit(' ').next() {
        Some("nodeport") => "NodePort",
        Some("loadbalancer") => "LoadBalancer",
        Some("externalname") => "ExternalName",
        _ => "ClusterIP",
    };
    let tcp = flags.list("tcp");
    let mut spec = json!({"selector": {"app": name}, "type": ty});
    match ty {
        "ExternalName" => {
            required(flags, &["external-name"])?;
            spec["externalName"] = json!(flags.get("external-name"));
        }
        "ClusterIP" if flags.get("clusterip") == Some("None") => {}
        _ if tcp.is_empty() => return Err("error: at least one tcp port specifier must be provided\n".into()),
        _ => {}
    }
    if let Some(ip) = flags.get("clusterip") {
        spec["clusterIP"] = json!(ip);
    }
    let node_port = flags.int("node-port", 0)?;
    let mut ports = Vec::new();
    for t in &tcp {
        let (port, target) = t.split_once(':').unwrap_or((t, t));
        let port_name = if t.contains(':') { format!("{port}-{target}") } else { port.to_string() };
        let port_number = port_value(port, false)?;
        // Without `:TARGET` the target is the port itself, unchecked (the API server judges both).
        let target = if t.contains(':') { port_value(target, true)? } else { port_number.clone() };
        let mut p = json!({"name": port_name, "port": port_number, "protocol": "TCP", "targetPort": target});
        if ty == "NodePort" && node_port > 0 {
            p["nodePort"] = json!(node_port);
        }
        ports.push(p);
    }
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    let mut meta = metadata(&name, mode, true);
    meta.insert("labels".into(), json!({"app": name}));
    Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
              "status": {"loadBalancer": {}}}))
}
