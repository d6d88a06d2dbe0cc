//! `minikube`, answering for the sandbox's cluster as minikube answers for its own: `ip`,
//! `service NAME [--url]`, `status`, `start` (already running), `profile`, `version`,
//! `kubectl -- …`; a clear sentence for what the sandbox does not have (`dashboard`, `addons`,
//! `mount`, `tunnel`, `ssh`, `stop`, `delete`…).
//!
//! SIM: the sandbox's cluster has a control plane and workers named as the sandbox names them
//! (`control-plane`, `node-1`…), not `minikube`, `minikube-m02`; the profile is `minikube`.

use serde_json::Value;

use super::Output;
use crate::sim::Sim;

const VERSION: &str = "v1.35.0";

fn ok(text: impl Into<String>) -> Output {
    Output::ok(text)
}

fn fail(text: impl Into<String>, code: i32) -> Output {
    Output::err(text, code)
}

/// A node's InternalIP.
fn node_ip(node: &crate::sim::api::Object) -> Option<String> {
    node.field("status.addresses")?
        .as_array()?
        .iter()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
        .map(str::to_string)
}

/// The control plane's address, which `minikube ip` prints.
fn cluster_ip(sim: &Sim) -> Option<String> {
    let nodes: Vec<_> = sim.store().list("Node", None).collect();
    let cp = nodes
        .iter()
        .find(|n| n.metadata.labels.as_ref().is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane")))
        .or(nodes.first())?;
    node_ip(cp)
}

/// Runs `minikube ARGS…` in the terminal.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let (profile_flag, words): (Vec<&str>, Vec<&str>) =
        words.into_iter().partition(|w| w.starts_with("-p=") || w.starts_with("--profile="));
    if let Some(p) = profile_flag.first().and_then(|f| f.split_once('=')).map(|(_, p)| p).filter(|p| *p != "minikube") {
        return fail(
            format!("🤷  Profile \"{p}\" not found. Run \"minikube profile list\" to view all profiles.\n👉  To start a cluster, run: \"minikube start -p {p}\"\n"),
            85,
        );
    }
    match words.as_slice() {
        [] | ["help" | "--help" | "-h", ..] => ok(HELP),
        ["version", ..] => ok(format!("minikube version: {VERSION}\ncommit: sandbox\n")),
        ["ip", ..] => match cluster_ip(sim) {
            Some(ip) => ok(format!("{ip}\n")),
            None => fail("❌  Exiting due to GUEST_STATUS: the cluster has no nodes\n", 80),
        },
        ["status", ..] => ok(status(sim)),
        ["start", ..] => ok(format!(
            "😄  minikube {VERSION} (the sandbox)\n✨  Using the sandbox's cluster: it is already running\n🏄  Done! kubectl is now configured to use \"minikube\" cluster and \"default\" namespace by default\n"
        )),
        ["profile", "list", ..] => ok(profile_list(sim)),
        ["profile"] | ["profile", "minikube"] => ok("minikube\n"),
        ["profile", other, ..] => fail(
            format!("✋  The sandbox has one cluster, \"minikube\": profile \"{other}\" cannot be made\n"),
            1,
        ),
        ["service", "list", ..] => ok(service_list(sim)),
        ["service", rest @ ..] => service(sim, rest),
        ["kubectl", rest @ ..] => {
            let rest: Vec<String> = rest.iter().filter(|w| **w != "--").map(|w| w.to_string()).collect();
            super::kubectl::run(sim, &rest)
        }
        ["node", "list", ..] => {
            let text: String = sim
                .store()
                .list("Node", None)
                .map(|n| format!("{}\t{}\n", n.name(), node_ip(n).unwrap_or_default()))
                .collect();
            ok(text)
        }
        ["addons", "enable", "ingress", ..] => enable_ingress(sim),
        ["node", "add", ..] => fail(
            "✋  In the sandbox, add a node with: sandbox node add [--cpu N --memory M]\n",
            1,
        ),
        [cmd @ ("dashboard" | "addons" | "mount" | "tunnel" | "ssh" | "stop" | "delete" | "pause" | "unpause"
        | "docker-env" | "podman-env" | "image" | "cache" | "cp" | "logs" | "config" | "update-context"
        | "ssh-key" | "ssh-host" | "license" | "options" | "completion" | "update-check"), ..] => {
            fail(format!("✋  minikube {cmd}: {}\n", not_here(cmd)), 1)
        }
        [cmd, ..] => fail(
            format!("Error: unknown command \"{cmd}\" for \"minikube\"\nRun 'minikube --help' for usage.\n"),
            1,
        ),
    }
}

/// `minikube addons enable ingress`: installs ingress-nginx as minikube's addon does and
/// waits, as minikube's "Verifying ingress addon..." does, until its controller is ready (at
/// most three minutes of simulated time).
fn enable_ingress(sim: &mut Sim) -> Output {
    use crate::sim::system::ingress_nginx::{manifest, Provider, CERTGEN_TAG, LATEST};
    let text = manifest(Provider::Minikube, LATEST);
    let io = super::files::Io { stdin: Some(&text), ..Default::default() };
    let applied = super::kubectl::run_io(sim, &io, &["apply".into(), "-f".into(), "-".into()]);
    if applied.status != 0 {
        return fail(format!("❌  Exiting due to MK_ADDON_ENABLE: enable failed: {}", applied.stderr), 10);
    }
    let ready = |sim: &Sim| crate::sim::controllers::ingress::controllers(sim.store()).iter().any(|c| c.ready);
    for _ in 0..180 {
        if ready(sim) {
            break;
        }
        sim.advance(std::time::Duration::from_secs(1));
    }
    let mut out = format!(
        "💡  ingress is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.\nYou can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n    ▪ Using image registry.k8s.io/ingress-nginx/controller:{LATEST}\n    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:{CERTGEN_TAG}\n    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:{CERTGEN_TAG}\n🔎  Verifying ingress addon...\n"
    );
    if !ready(sim) {
        out.push_str("❌  Exiting due to MK_ADDON_ENABLE: enable failed: run callbacks: running callbacks: [waiting for app.kubernetes.io/name=ingress-nginx pods: context deadline exceeded]\n");
        return fail(out, 10);
    }
    out.push_str("🌟  The 'ingress' addon is enabled\n");
    ok(out)
}

/// Why a minikube command does nothing in the sandbox, and what to do instead.
fn not_here(cmd: &str) -> &'static str {
    match cmd {
        "dashboard" => "the sandbox has no Kubernetes Dashboard; the page itself shows the cluster (nodes, pods, events and the inspector)",
        "addons" => "of minikube's addons the sandbox has only `minikube addons enable ingress`; what else it simulates (metrics) is always on",
        "mount" => "the sandbox cannot mount your computer's folders into its nodes; put files in a ConfigMap or a volume instead",
        "tunnel" => "not needed here: the terminal reaches the nodes' IPs and LoadBalancer IPs directly",
        "ssh" => "the sandbox's nodes have no shell to log in to; use kubectl exec into a pod, or kubectl describe node",
        "stop" | "delete" | "pause" | "unpause" => "the sandbox's cluster always runs; to start again from nothing, use: sandbox reset",
        "docker-env" | "podman-env" | "image" | "cache" => "the sandbox has no container runtime of yours to point at; its images are built in",
        _ => "not available in the sandbox",
    }
}

fn status(sim: &Sim) -> String {
    let mut out = String::new();
    for n in sim.store().list("Node", None) {
        let cp = n.metadata.labels.as_ref().is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"));
        let ready = crate::sim::api::conditions::is_ready(n);
        let kubelet = if ready { "Running" } else { "Stopped" };
        if cp {
            out.push_str(&format!(
                "{}\ntype: Control Plane\nhost: Running\nkubelet: {kubelet}\napiserver: Running\nkubeconfig: Configured\n\n",
                n.name()
            ));
        } else {
            out.push_str(&format!("{}\ntype: Worker\nhost: Running\nkubelet: {kubelet}\n\n", n.name()));
        }
    }
    out
}

fn profile_list(sim: &Sim) -> String {
    let ip = cluster_ip(sim).unwrap_or_default();
    let nodes = sim.store().list("Node", None).count();
    let version = crate::sim::KUBERNETES_VERSION;
    let rows = vec![
        vec![
            "Profile".to_string(),
            "VM Driver".into(),
            "Runtime".into(),
            "IP".into(),
            "Port".into(),
            "Version".into(),
            "Status".into(),
            "Nodes".into(),
            "Active Profile".into(),
            "Active Kubecontext".into(),
        ],
        vec![
            "minikube".into(),
            "sandbox".into(),
            "containerd".into(),
            ip,
            "8443".into(),
            version.into(),
            "OK".into(),
            nodes.to_string(),
            "*".into(),
            "*".into(),
        ],
    ];
    boxed(&rows)
}

/// minikube's tables: `|` between columns and a `|---|` rule above, below the header and at
/// the end; text left-aligned, with one space either side.
fn boxed(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|i| rows.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0)).collect();
    let rule: String = format!("|{}|\n", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|"));
    let line = |r: &Vec<String>| {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let c = r.get(i).map_or("", String::as_str);
                format!(" {c}{} ", " ".repeat(w - c.chars().count()))
            })
            .collect();
        format!("|{}|\n", cells.join("|"))
    };
    let mut out = rule.clone();
    for (i, r) in rows.iter().enumerate() {
        out.push_str(&line(r));
        if i == 0 {
            out.push_str(&rule);
        }
    }
    out.push_str(&rule);
    out
}

/// The URLs of a Service's NodePorts on the control plane's IP.
fn urls(sim: &Sim, svc: &crate::sim::api::Object) -> Vec<(String, String)> {
    let ip = cluster_ip(sim).unwrap_or_default();
    svc.field("spec.ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let node_port = p["nodePort"].as_u64()?;
            let target = match &p["targetPort"] {
                Value::Null => p["port"].to_string(),
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let label = match p["name"].as_str() {
                Some(name) => format!("{name}/{target}"),
                None => target,
            };
            Some((label, format!("http://{ip}:{node_port}")))
        })
        .collect()
}

fn service_list(sim: &Sim) -> String {
    let mut rows = vec![vec!["NAMESPACE".to_string(), "NAME".into(), "TARGET PORT".into(), "URL".into()]];
    for svc in sim.store().list("Service", None) {
        let found = urls(sim, svc);
        if found.is_empty() {
            rows.push(vec![
                svc.namespace().unwrap_or("").into(),
                svc.name().into(),
                "No node port".into(),
                String::new(),
            ]);
        }
        for (target, url) in found {
            rows.push(vec![svc.namespace().unwrap_or("").into(), svc.name().into(), target, url]);
        }
    }
    boxed(&rows)
}

/// `minikube service NAME [-n NS] [--url]`.
fn service(sim: &Sim, rest: &[&str]) -> Output {
    let mut namespace = "default".to_string();
    let mut url_only = false;
    let mut name = None;
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        match *w {
            "--url" | "--url=true" => url_only = true,
            "-n" | "--namespace" => namespace = it.next().map_or(namespace, |s| s.to_string()),
            s if s.starts_with("--namespace=") || s.starts_with("-n=") => {
                namespace = s.split_once('=').map_or("", |(_, v)| v).to_string();
            }
            s if s.starts_with('-') => {}
            s => name = Some(s.to_string()),
        }
    }
    let Some(name) = name else {
        return fail("❌  Exiting due to MK_USAGE: You must specify a service name\n", 64);
    };
    let Some(svc) = sim.store().get("Service", Some(&namespace), &name) else {
        return fail(
            format!("\n❌  Exiting due to SVC_NOT_FOUND: Service '{name}' was not found in '{namespace}' namespace.\nYou may select another namespace by using 'minikube service {name} -n <namespace>'. Or list out all the services using 'minikube service list'\n\n"),
            119,
        );
    };
    let found = urls(sim, svc);
    if found.is_empty() {
        let rows = vec![
            vec!["NAMESPACE".to_string(), "NAME".into(), "TARGET PORT".into(), "URL".into()],
            vec![namespace.clone(), name.clone(), String::new(), "No node port".into()],
        ];
        return Output {
            stdout: if url_only { String::new() } else { boxed(&rows) },
            stderr: format!("😿  service {namespace}/{name} has no node port\n"),
            ..Output::default()
        };
    }
    if url_only {
        return ok(found.iter().map(|(_, u)| format!("{u}\n")).collect::<String>());
    }
    let mut rows = vec![vec!["NAMESPACE".to_string(), "NAME".into(), "TARGET PORT".into(), "URL".into()]];
    for (target, url) in &found {
        rows.push(vec![namespace.clone(), name.clone(), target.clone(), url.clone()]);
    }
    let mut out = boxed(&rows);
    // SIM: there is no browser to open from the terminal; the URL works with curl here.
    out.push_str(&format!(
        "🎉  Opening service {namespace}/{name} in default browser...\n👉  The sandbox has no browser to open: try curl {}\n",
        found[0].1
    ));
    ok(out)
}

const HELP: &str = "minikube provisions and manages local Kubernetes clusters optimized for development workflows.\n\nIn the sandbox, minikube answers for the sandbox's own cluster:\n  start          Starts a local Kubernetes cluster (here: already running)\n  status         Gets the status of a local Kubernetes cluster\n  ip             Retrieves the IP address of the control plane\n  service        Returns a URL to connect to a service\n  profile        Get or list the current profiles (clusters)\n  kubectl        Run a kubectl binary matching the cluster version\n  version        Print the version of minikube\n\nUse \"minikube <command> --help\" for more information about a given command.\n";
