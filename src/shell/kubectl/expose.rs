//! `kubectl expose TYPE NAME`: a Service for a Deployment, ReplicaSet, ReplicationController,
//! Pod or Service, its selector and ports read from the object unless given.

use serde_json::{json, Map, Value};

use super::create::{finish_with_verb, metadata, Mode};
use super::flags::{self, boolean, value, Spec};
use crate::shell::Output;
use crate::sim::api::{discovery, Object};
use crate::sim::Sim;

const SPECS: &[Spec] = &[
    value("port"),
    value("target-port"),
    value("type"),
    value("name"),
    value("protocol"),
    value("selector"),
    value("labels").short('l'),
    value("cluster-ip"),
    value("external-ip"),
    value("port-name"),
    value("session-affinity"),
    boolean("save-config"),
    value("filename").short('f'),
    boolean("recursive").short('R'),
];

/// kubectl's `MakeLabels`/`parseLabels` round trip: `k=v,k2=v2` as a map.
fn labels_of(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object).cloned().unwrap_or_default()
}

fn object_labels(obj: &Object) -> Map<String, Value> {
    obj.metadata.labels.iter().flatten().map(|(k, v)| (k.clone(), json!(v))).collect()
}

/// The pod selector a Service for `obj` uses (kubectl's `MapBasedSelectorForObject`).
fn selector_for(obj: &Object) -> Result<Map<String, Value>, String> {
    match obj.kind.as_str() {
        "ReplicationController" => Ok(labels_of(obj.field("spec.selector"))),
        "Pod" => {
            let l = object_labels(obj);
            if l.is_empty() {
                return Err("the pod has no labels and cannot be exposed".into());
            }
            Ok(l)
        }
        "Service" => {
            let s = labels_of(obj.field("spec.selector"));
            if s.is_empty() {
                return Err("the service has no pod selector set".into());
            }
            Ok(s)
        }
        kind => {
            let lower = if kind == "Deployment" { "deployment" } else { "replicaset" };
            let Some(sel) = obj.field("spec.selector") else {
                return Err(format!("invalid {lower}: no selectors, therefore cannot be exposed"));
            };
            if sel.get("matchExpressions").and_then(Value::as_array).is_some_and(|e| !e.is_empty()) {
                return Err(format!(
                    "couldn't convert expressions - \"{}\" to map-based selector format",
                    sel["matchExpressions"]
                ));
            }
            Ok(labels_of(sel.get("matchLabels")))
        }
    }
}

/// `(port, protocol)` of every port the object declares (kubectl's `PortsForObject`).
fn ports_for(obj: &Object) -> Vec<(i64, String)> {
    let containers = match obj.kind.as_str() {
        "Pod" => obj.field("spec.containers"),
        "Service" => {
            return obj
                .field("spec.ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| {
                            Some((p["port"].as_i64()?, p["protocol"].as_str().unwrap_or("TCP").to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => obj.field("spec.template.spec.containers"),
    };
    containers
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| Some((p["containerPort"].as_i64()?, p["protocol"].as_str().unwrap_or("TCP").to_string())))
        .collect()
}

/// Runs `kubectl expose TYPE NAME|TYPE/NAME|-f FILE [--port] [--target-port] [--type] [--name] [--protocol]`.
pub fn run(sim: &mut Sim, io: &crate::shell::files::Io, args: &[String], default_ns: &str) -> Output {
    let flags = match flags::parse(args, SPECS, "kubectl expose") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let mode = match Mode::from_flags(&flags, default_ns) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let mut targets = Vec::new();
    let files: Vec<String> = flags.all("filename").iter().map(|s| s.to_string()).collect();
    if !files.is_empty() {
        // `-f FILE`: the objects the file describes, each exposed as if named on the line.
        let manifests = match super::apply::read_manifests(io, &files, flags.on("recursive")) {
            Ok(m) => m,
            Err(e) => return Output::err(e, 1),
        };
        for (_, text) in manifests {
            match crate::manifest::parse(&text) {
                Ok(objs) => targets.extend(objs.iter().map(|o| {
                    let mut m = mode.clone();
                    if let Some(ns) = o.namespace() {
                        m.namespace = ns.to_string();
                    }
                    (o.kind.clone(), o.name().to_string(), m)
                })),
                Err(e) => return Output::err(format!("error: {e}\n"), 1),
            }
        }
    }
    match flags.args.as_slice() {
        [] if !targets.is_empty() => {}
        [t] if t.contains('/') => {
            let (ty, name) = t.split_once('/').unwrap_or_default();
            targets.push((ty.to_string(), name.to_string(), mode.clone()));
        }
        [t, n] => targets.push((t.clone(), n.clone(), mode.clone())),
        _ => {
            return Output::err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1)
        }
    }
    let mut out = Output::default();
    for (ty, name, mode) in targets {
        let one = match build(sim, &flags, mode, &ty, &name) {
            Ok((svc, mode)) => finish_with_verb(sim, svc, &mode, "{}", "exposed"),
            Err(e) => Output::err(e, 1),
        };
        out.stdout.push_str(&one.stdout);
        out.stderr.push_str(&one.stderr);
        out.status = out.status.max(one.status);
    }
    out
}

fn build(sim: &Sim, flags: &flags::Flags, mode: Mode, ty: &str, name: &str) -> Result<(Value, Mode), String> {
    let name = name.to_string();
    let Some(r) = discovery::lookup_name(ty) else {
        return Err(format!("error: the server doesn't have a resource type \"{ty}\"\n"));
    };
    let ns = r.namespaced.then_some(mode.namespace.as_str());
    let Some(obj) = sim.store().get(r.kind, ns, &name) else {
        let plural = if r.group().is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group()) };
        return Err(format!("Error from server (NotFound): {plural} \"{name}\" not found\n"));
    };
    if !matches!(r.kind, "ReplicationController" | "Service" | "Pod" | "Deployment" | "ReplicaSet") {
        let gk = if r.group().is_empty() { r.kind.to_string() } else { format!("{}.{}", r.kind, r.group()) };
        return Err(format!("error: cannot expose a {gk}\n"));
    }
    let selector = match flags.get("selector") {
        Some(s) => s.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect(),
        None => selector_for(obj)
            .map_err(|e| format!("error: couldn't retrieve selectors via --selector flag or introspection: {e}\n"))?,
    };
    let headless = flags.get("cluster-ip") == Some("None");
    let declared = ports_for(obj);
    let ports: Vec<i64> = match flags.get("port") {
        Some(p) => p
            .split(',')
            .map(|x| x.parse().map_err(|_| format!("error: strconv.Atoi: parsing \"{x}\": invalid syntax\n")))
            .collect::<Result<_, _>>()?,
        None if declared.is_empty() && !headless => {
            return Err("error: couldn't find port via --port flag or introspection\n".into())
        }
        None => declared.iter().map(|(p, _)| *p).collect(),
    };
    let target = flags.get("target-port");
    let mut service_ports = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let protocol = flags.get("protocol").map(str::to_string).unwrap_or_else(|| {
            declared.iter().find(|(p, _)| p == port).map_or("TCP".to_string(), |(_, proto)| proto.clone())
        });
        let mut sp = json!({"port": port, "protocol": protocol});
        let port_name =
            if ports.len() > 1 { Some(format!("port-{}", i + 1)) } else { flags.get("port-name").map(str::to_string) };
        if let Some(n) = port_name.filter(|n| !n.is_empty()) {
            sp["name"] = json!(n);
        }
        sp["targetPort"] = match target {
            Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
            None => json!(port),
        };
        service_ports.push(sp);
    }
    let svc_name = flags.get("name").map_or_else(|| name.chars().take(63).collect(), str::to_string);
    let mut meta = metadata(&svc_name, &mode, true);
    let labels = match flags.get("labels") {
        Some(l) => l.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect(),
        None => object_labels(obj),
    };
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    let mut spec = json!({"selector": selector});
    if !service_ports.is_empty() {
        spec["ports"] = json!(service_ports);
    }
    if let Some(ip) = flags.get("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    if let Some(ip) = flags.get("external-ip") {
        spec["externalIPs"] = json!([ip]);
    }
    if let Some(t) = flags.get("type") {
        spec["type"] = json!(t);
    }
    if let Some(a) = flags.get("session-affinity") {
        if !matches!(a, "None" | "ClientIP") {
            return Err(format!("error: unknown session affinity: {a}\n"));
        }
        spec["sessionAffinity"] = json!(a);
    }
    let mut svc =
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}});
    if flags.on("save-config") {
        super::create::save_config(&mut svc);
    }
    Ok((svc, mode))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn expose_reads_selector_and_port_from_the_deployment() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx --port=80");
        let out = Shell.run_line(&mut sim, "kubectl expose deploy web --type=NodePort");
        assert_eq!(out.stdout, "service/web exposed\n", "{}", out.stderr);
        let svc = sim.store().get("Service", Some("default"), "web").unwrap();
        assert_eq!(svc.field("spec.selector"), Some(&serde_json::json!({"app": "web"})));
        assert_eq!(svc.to_value().pointer("/spec/ports/0/port"), Some(&serde_json::json!(80)));
        assert_eq!(svc.field("spec.type"), Some(&serde_json::json!("NodePort")));
    }

    #[test]
    fn expose_refuses_without_port_or_selector_as_kubectl() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl expose deployment web").stderr,
            "error: couldn't find port via --port flag or introspection\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl expose pod nope --port=80").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl expose node node-1 --port=80").stderr,
            "error: cannot expose a Node\n"
        );
    }

    #[test]
    fn expose_reads_the_objects_to_expose_from_a_file() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = crate::shell::terminal::Terminal::default();
        t.run_line(
            &mut sim,
            "kubectl create deployment web --image=nginx --port=80 --dry-run=client -o yaml > web.yaml",
        );
        t.run_line(&mut sim, "kubectl apply -f web.yaml");
        let out = t.run_line(&mut sim, "kubectl expose -f web.yaml --port=8080 --target-port=80");
        assert_eq!(out.stdout, "service/web exposed\n", "{}", out.stderr);
        let svc = sim.store().get("Service", Some("default"), "web").unwrap();
        assert_eq!(svc.to_value().pointer("/spec/ports/0/targetPort"), Some(&serde_json::json!(80)));
    }
}
