//! `kubectl get TYPE [NAME]`: the API server's table for each kind.

use super::table::{human_duration, render};
use crate::shell::Output;
use crate::sim::api::{discovery, Object};
use crate::sim::Sim;

/// Runs `kubectl get ARGS…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let mut namespace = "default".to_string();
    let mut words = Vec::new();
    let mut output = String::new();
    let mut all_namespaces = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-n" | "--namespace" => match it.next() {
                Some(ns) => namespace = ns.clone(),
                None => return Output::err(format!("error: flag needs an argument: '{}' in -n\n", 'n'), 1),
            },
            "-A" | "--all-namespaces" => all_namespaces = true,
            "-o" | "--output" => output = it.next().cloned().unwrap_or_default(),
            o if o.starts_with("-o") && o.len() > 2 => output = o[2..].trim_start_matches('=').to_string(),
            o if o.starts_with("--output=") => output = o["--output=".len()..].to_string(),
            flag if flag.starts_with('-') => {
                return Output::err(format!("error: unknown flag: {flag}\nSee 'kubectl get --help' for usage.\n"), 1)
            }
            word => words.push(word.to_string()),
        }
    }
    let Some((ty, names)) = words.split_first() else {
        return Output::err(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n",
            1,
        );
    };
    let Some(resource) = discovery::lookup_name(ty) else {
        return Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1);
    };
    if !matches!(output.as_str(), "" | "yaml" | "json" | "name" | "wide") {
        return Output::err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml\n"), 1);
    }
    let ns = (resource.namespaced && !all_namespaces).then_some(namespace.as_str());
    let mut objects: Vec<&Object> = Vec::new();
    let mut errors = String::new();
    if names.is_empty() {
        objects.extend(sim.store().list(resource.kind, ns));
    } else {
        for name in names {
            match sim.store().get(resource.kind, ns, name) {
                Some(o) => objects.push(o),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {} \"{name}\" not found\n",
                    qualified_plural(resource)
                )),
            }
        }
    }
    if objects.is_empty() && errors.is_empty() {
        let msg = match ns {
            Some(ns) => format!("No resources found in {ns} namespace.\n"),
            None => "No resources found\n".to_string(),
        };
        return Output::err(msg, 0);
    }
    let single = names.len() == 1;
    let stdout = if objects.is_empty() {
        String::new()
    } else {
        match output.as_str() {
            "yaml" | "json" => super::output::structured(&objects, single, output == "yaml"),
            "name" => objects.iter().map(|o| format!("{}\n", super::apply::reference(o))).collect(),
            _ if all_namespaces && resource.namespaced => {
                let mut rows = table(sim, resource.kind, &objects);
                for (i, row) in rows.iter_mut().enumerate() {
                    let ns = if i == 0 {
                        "NAMESPACE".to_string()
                    } else {
                        objects[i - 1].namespace().unwrap_or("").to_string()
                    };
                    row.insert(0, ns);
                }
                render(&rows)
            }
            _ => render(&table(sim, resource.kind, &objects)),
        }
    };
    Output { stdout, status: i32::from(!errors.is_empty()), stderr: errors }
}

fn qualified_plural(r: &discovery::Resource) -> String {
    if r.group().is_empty() {
        r.plural.to_string()
    } else {
        format!("{}.{}", r.plural, r.group())
    }
}

fn table(sim: &Sim, kind: &str, objects: &[&Object]) -> Vec<Vec<String>> {
    let now = sim.now().since(crate::sim::time::SimTime::ZERO);
    let age = |o: &Object| match o.metadata.creation_timestamp {
        Some(_) => human_duration(now.saturating_sub(created_offset(o))),
        None => "<unknown>".to_string(),
    };
    let header = |cols: &[&str]| cols.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut rows = Vec::new();
    match kind {
        "Node" => {
            rows.push(header(&["NAME", "STATUS", "ROLES", "AGE", "VERSION"]));
            for o in objects {
                rows.push(vec![o.name().into(), node_status(o), node_roles(o), age(o), node_version(o)]);
            }
        }
        "Pod" => {
            rows.push(header(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]));
            for o in objects {
                let (ready, status, restarts) = super::pod_status::columns(o, sim.now());
                rows.push(vec![o.name().into(), ready, status, restarts, age(o)]);
            }
        }
        "Deployment" => {
            rows.push(header(&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]));
            for o in objects {
                let n = |p: &str| o.field(p).and_then(|v| v.as_i64()).unwrap_or(0);
                let ready = format!(
                    "{}/{}",
                    n("status.readyReplicas"),
                    o.field("spec.replicas").and_then(|v| v.as_i64()).unwrap_or(1)
                );
                rows.push(vec![
                    o.name().into(),
                    ready,
                    n("status.updatedReplicas").to_string(),
                    n("status.availableReplicas").to_string(),
                    age(o),
                ]);
            }
        }
        "ReplicaSet" => {
            rows.push(header(&["NAME", "DESIRED", "CURRENT", "READY", "AGE"]));
            for o in objects {
                let n = |p: &str| o.field(p).and_then(|v| v.as_i64()).unwrap_or(0);
                let desired = o.field("spec.replicas").and_then(|v| v.as_i64()).unwrap_or(1);
                rows.push(vec![
                    o.name().into(),
                    desired.to_string(),
                    n("status.replicas").to_string(),
                    n("status.readyReplicas").to_string(),
                    age(o),
                ]);
            }
        }
        "Service" => {
            rows.push(header(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]));
            for o in objects {
                let text = |p: &str| o.field(p).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let ty = text("spec.type");
                let external = match ty.as_str() {
                    "LoadBalancer" => o
                        .field("status.loadBalancer.ingress")
                        .and_then(|i| i[0]["ip"].as_str().map(str::to_string))
                        .unwrap_or_else(|| "<pending>".into()),
                    "ExternalName" => text("spec.externalName"),
                    _ => "<none>".into(),
                };
                let ports: Vec<String> = o
                    .field("spec.ports")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let proto = p["protocol"].as_str().unwrap_or("TCP");
                        match p["nodePort"].as_u64() {
                            Some(np) => format!("{}:{np}/{proto}", p["port"]),
                            None => format!("{}/{proto}", p["port"]),
                        }
                    })
                    .collect();
                let ports = if ports.is_empty() { "<none>".to_string() } else { ports.join(",") };
                let cluster_ip = if ty == "ExternalName" { "<none>".to_string() } else { text("spec.clusterIP") };
                rows.push(vec![o.name().into(), ty, cluster_ip, external, ports, age(o)]);
            }
        }
        "Namespace" => {
            rows.push(header(&["NAME", "STATUS", "AGE"]));
            for o in objects {
                let phase = o.field("status.phase").and_then(|v| v.as_str()).unwrap_or("Active");
                rows.push(vec![o.name().into(), phase.into(), age(o)]);
            }
        }
        _ => {
            rows.push(header(&["NAME", "AGE"]));
            for o in objects {
                rows.push(vec![o.name().into(), age(o)]);
            }
        }
    }
    rows
}

/// How long after the epoch `o` was created (its creationTimestamp, to the second).
fn created_offset(o: &Object) -> std::time::Duration {
    let created = o.metadata.creation_timestamp.as_ref().map(|t| t.0.as_second()).unwrap_or(0);
    std::time::Duration::from_secs((created - crate::sim::time::EPOCH_UNIX_SECS as i64).max(0) as u64)
}

/// `Ready`, `NotReady` or `Unknown`, with `,SchedulingDisabled` when cordoned.
fn node_status(o: &Object) -> String {
    let ready = o
        .field("status.conditions")
        .and_then(|c| c.as_array())
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .and_then(|c| c["status"].as_str());
    let mut s = match ready {
        Some("True") => "Ready",
        // Upstream prints "Not" + type for False and Unknown alike.
        Some(_) => "NotReady",
        None => "Unknown",
    }
    .to_string();
    if o.field("spec.unschedulable").and_then(|v| v.as_bool()) == Some(true) {
        s.push_str(",SchedulingDisabled");
    }
    s
}

/// Roles from `node-role.kubernetes.io/ROLE` labels, or `<none>`.
fn node_roles(o: &Object) -> String {
    let roles: Vec<&str> =
        o.metadata.labels.iter().flatten().filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/")).collect();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

fn node_version(o: &Object) -> String {
    o.field("status.nodeInfo.kubeletVersion").and_then(|v| v.as_str()).unwrap_or("").into()
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn get_nodes_prints_kubectl_table() {
        let mut sim = Sim::new(SimConfig::default());
        sim.advance(std::time::Duration::from_secs(300));
        let out = Shell.run_line(&mut sim, "kubectl get nodes");
        assert_eq!(
            out.stdout,
            "NAME            STATUS   ROLES           AGE   VERSION\n\
             control-plane   Ready    control-plane   5m    v1.37.0\n\
             node-1          Ready    <none>          5m    v1.37.0\n\
             node-2          Ready    <none>          5m    v1.37.0\n\
             node-3          Ready    <none>          5m    v1.37.0\n"
        );
    }

    #[test]
    fn get_pods_shows_ready_status_restarts_as_kubectl() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - {name: web, image: nginx}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        sim.advance(std::time::Duration::from_millis(500));
        let out = Shell.run_line(&mut sim, "kubectl get pods");
        assert_eq!(
            out.stdout,
            "NAME   READY   STATUS              RESTARTS   AGE\nweb    0/1     ContainerCreating   0          0s\n"
        );
        sim.advance(std::time::Duration::from_secs(10));
        Shell.run_line(&mut sim, "sandbox kill web");
        Shell.run_line(&mut sim, "sleep 1");
        Shell.run_line(&mut sim, "sandbox kill web");
        Shell.run_line(&mut sim, "sleep 125");
        let out = Shell.run_line(&mut sim, "kubectl get po web");
        assert_eq!(
            out.stdout,
            "NAME   READY   STATUS    RESTARTS       AGE\nweb    1/1     Running   2 (2m5s ago)   2m16s\n"
        );
    }

    #[test]
    fn unknown_type_and_missing_name_are_kubectl_errors() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl get foo");
        assert_eq!(out.stderr, "error: the server doesn't have a resource type \"foo\"\n");
        assert_eq!(out.status, 1);
        let out = Shell.run_line(&mut sim, "kubectl get no nope");
        assert_eq!(out.stderr, "Error from server (NotFound): nodes \"nope\" not found\n");
    }

    #[test]
    fn empty_namespace_says_no_resources_found() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl get pods");
        assert_eq!(out.stderr, "No resources found in default namespace.\n");
        assert_eq!(out.status, 0);
    }
}
