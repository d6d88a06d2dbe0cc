//! `kubectl top pod|node`: usage as metrics-server reports it (`sim::metrics`).

use serde_json::Value;

use super::table::tabwrite;
use crate::shell::Output;
use crate::sim::metrics::{self, Usage};
use crate::sim::quantity::Quantity;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// What the node's own daemons (kubelet, containerd, kube-proxy) use beside its pods.
// SIM: real figures vary; these are about what a kind node shows at rest.
const NODE_OVERHEAD: Usage = Usage { cpu_millis: 60, memory_bytes: 420 << 20 };
/// The control plane's components (API server, etcd, scheduler, controllers) on their node.
const CONTROL_PLANE_OVERHEAD: Usage = Usage { cpu_millis: 180, memory_bytes: 600 << 20 };

fn cpu(u: &Usage) -> String {
    format!("{}m", u.cpu_millis)
}

fn memory(u: &Usage) -> String {
    format!("{}Mi", u.memory_bytes / (1024 * 1024))
}

/// kubectl's rows end each cell with a tab, so even the last column is padded. With
/// `--no-headers` the header row is left out, and the columns are as wide as the rows need.
fn layout(rows: &[Vec<String>], no_headers: bool) -> String {
    let rows = if no_headers { rows.get(1..).unwrap_or_default() } else { rows };
    let text: String = rows.iter().map(|r| format!("{}\t\n", r.join("\t"))).collect();
    tabwrite(&text, 6, 3)
}

/// Runs `kubectl top …`.
pub fn run(sim: &Sim, args: &[String], namespace: &str) -> Output {
    let Some((what, rest)) = args.split_first() else {
        return Output::err("error: you must specify a resource: pod or node\n", 1);
    };
    let all_namespaces = rest.iter().any(|a| a == "-A" || a == "--all-namespaces");
    let containers = rest.iter().any(|a| a == "--containers");
    let no_headers = rest.iter().any(|a| a == "--no-headers" || a == "--no-headers=true");
    let name = rest.iter().find(|a| !a.starts_with('-')).cloned();
    match what.as_str() {
        "pod" | "pods" | "po" => pods(sim, namespace, name.as_deref(), all_namespaces, containers, no_headers),
        "node" | "nodes" | "no" => nodes(sim, name.as_deref(), no_headers),
        other => Output::err(format!("error: unknown command \"{other}\" for \"kubectl top\"\n"), 1),
    }
}

fn pods(sim: &Sim, namespace: &str, name: Option<&str>, all: bool, containers: bool, no_headers: bool) -> Output {
    let mut header = vec!["NAME".to_string(), "CPU(cores)".into(), "MEMORY(bytes)".into()];
    if containers {
        header.insert(1, "NAME".into());
    }
    if all {
        header.insert(0, "NAMESPACE".into());
    }
    let mut rows = vec![header];
    let pods: Vec<ObjectKey> = sim
        .store()
        .list("Pod", if all { None } else { Some(namespace) })
        .filter(|p| name.is_none_or(|n| p.name() == n))
        .map(ObjectKey::of)
        .collect();
    for key in &pods {
        let Some(per) = metrics::pod_usage(sim, key) else { continue };
        let mut lead = if all { vec![key.namespace.clone()] } else { Vec::new() };
        lead.push(key.name.clone());
        if containers {
            for (c, u) in &per {
                rows.push([lead.clone(), vec![c.clone(), cpu(u), memory(u)]].concat());
            }
        } else {
            let total = metrics::pod_total(sim, key).unwrap_or_default();
            rows.push([lead, vec![cpu(&total), memory(&total)]].concat());
        }
    }
    match (name, rows.len()) {
        (Some(n), 1) if pods.is_empty() => {
            Output::err(format!("Error from server (NotFound): pods \"{n}\" not found\n"), 1)
        }
        (Some(n), 1) => Output::err(format!("error: Metrics not available for pod {namespace}/{n}, age: 0s\n"), 1),
        (None, 1) if all => Output::err("No resources found\n", 0),
        (None, 1) => Output::err(format!("No resources found in {namespace} namespace.\n"), 0),
        _ => Output::ok(layout(&rows, no_headers)),
    }
}

fn allocatable(node: &crate::sim::api::Object, resource: &str) -> i128 {
    node.field(&format!("status.allocatable.{resource}"))
        .and_then(Value::as_str)
        .and_then(|q| Quantity::parse(q).ok())
        .map_or(0, |q| q.0)
}

fn nodes(sim: &Sim, name: Option<&str>, no_headers: bool) -> Output {
    let mut rows = vec![vec![
        "NAME".to_string(),
        "CPU(cores)".into(),
        "CPU(%)".into(),
        "MEMORY(bytes)".into(),
        "MEMORY(%)".into(),
    ]];
    let nodes: Vec<&crate::sim::api::Object> =
        sim.store().list("Node", None).filter(|n| name.is_none_or(|x| n.name() == x)).collect();
    if let (Some(n), true) = (name, nodes.is_empty()) {
        return Output::err(format!("Error from server (NotFound): nodes \"{n}\" not found\n"), 1);
    }
    for node in nodes {
        if !sim.kubelet_running(node.name()) {
            continue;
        }
        let control_plane =
            node.metadata.labels.as_ref().is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"));
        let base = if control_plane { CONTROL_PLANE_OVERHEAD } else { NODE_OVERHEAD };
        let mut total = base;
        for pod in sim.store().list("Pod", None) {
            if pod.field("spec.nodeName").and_then(Value::as_str) == Some(node.name()) {
                if let Some(u) = metrics::pod_total(sim, &ObjectKey::of(pod)) {
                    total.cpu_millis += u.cpu_millis;
                    total.memory_bytes += u.memory_bytes;
                }
            }
        }
        // Quantities hold thousandths: millicores for CPU, millibytes for memory.
        let cpu_alloc = allocatable(node, "cpu").max(1);
        let mem_alloc = allocatable(node, "memory").max(1);
        let cpu_pct = i128::from(total.cpu_millis) * 100 / cpu_alloc;
        let mem_pct = i128::from(total.memory_bytes) * 1000 * 100 / mem_alloc;
        rows.push(vec![
            node.name().to_string(),
            cpu(&total),
            format!("{cpu_pct}%"),
            memory(&total),
            format!("{mem_pct}%"),
        ]);
    }
    Output::ok(layout(&rows, no_headers))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn top_pods_and_nodes_print_usage_as_kubectl_does() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\nEOF");
        sim.advance(std::time::Duration::from_secs(30));
        let out = Shell.run_line(&mut sim, "kubectl top pods");
        assert_eq!(
            out.stdout, "NAME   CPU(cores)   MEMORY(bytes)   \nweb    1m           7Mi             \n",
            "{}",
            out.stderr
        );
        let out = Shell.run_line(&mut sim, "kubectl top nodes");
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines[0], "NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ");
        assert!(lines[1].starts_with("control-plane   187m         9%       1038Mi          25%"), "{}", out.stdout);
        let out = Shell.run_line(&mut sim, "kubectl top pods --no-headers");
        assert_eq!(out.stdout, "web   1m    7Mi   \n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl top pod nope").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }
}
