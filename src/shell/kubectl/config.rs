//! `kubectl config view|current-context|get-contexts|use-context|set-context` over the
//! sandbox's kubeconfig: its own context, `kind-sandbox` (as a kind cluster names its own), and
//! those `set-context NAME` adds; and `kubectl cluster-info`. The current context's namespace
//! is the one every later kubectl command defaults to.

use serde_json::json;

use super::flags::{self, boolean, value, Spec};
use super::yaml;
use crate::shell::Output;
use crate::sim::Sim;

/// The context, cluster and user name.
pub const CONTEXT: &str = "kind-sandbox";
/// Where the API server answers, as kind publishes it.
// SIM: kind picks a random local port; the sandbox always says 6443.
pub const SERVER: &str = "https://127.0.0.1:6443";

/// The namespace kubectl commands use when no `-n` is given: the current context's.
// SIM: every context reaches the sandbox's one cluster, whatever cluster it names.
pub fn default_namespace(sim: &Sim) -> String {
    current_namespace(sim).unwrap_or_else(|| "default".to_string())
}

fn current(sim: &Sim) -> String {
    sim.kubectl_context.clone().unwrap_or_else(|| CONTEXT.to_string())
}

fn current_namespace(sim: &Sim) -> Option<String> {
    match &sim.kubectl_context {
        Some(name) => sim.kubectl_contexts.get(name).map(|c| c.namespace.clone()).filter(|n| !n.is_empty()),
        None => sim.kubectl_namespace.clone(),
    }
}

/// Every context: (name, cluster, user, namespace), sorted by name as kubectl lists them.
fn contexts(sim: &Sim) -> Vec<(String, String, String, String)> {
    let mut all: Vec<_> = sim
        .kubectl_contexts
        .iter()
        .map(|(n, c)| (n.clone(), c.cluster.clone(), c.user.clone(), c.namespace.clone()))
        .collect();
    all.push((CONTEXT.into(), CONTEXT.into(), CONTEXT.into(), sim.kubectl_namespace.clone().unwrap_or_default()));
    all.sort();
    all
}

const SPECS: &[Spec] = &[
    boolean("current"),
    value("namespace"),
    value("cluster"),
    value("user"),
    boolean("minify"),
    boolean("raw"),
    boolean("flatten"),
    value("output").short('o'),
    boolean("no-headers"),
];

fn usage(sub: &str) -> String {
    format!("See 'kubectl config {sub} -h' for help and examples\n")
}

/// Runs `kubectl config SUBCOMMAND …`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let Some((sub, rest)) = args.split_first() else {
        return Output::err(
            "error: Missing or incomplete configuration info.  Please point to an existing, complete config file:\n",
            1,
        );
    };
    // `-n` means nothing to `config` but `--namespace` is set-context's own flag: parse here.
    let flags = match flags::parse(rest, SPECS, &format!("kubectl config {sub}")) {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    match sub.as_str() {
        "current-context" => Output::ok(format!("{}\n", current(sim))),
        "view" => {
            let raw = flags.on("raw");
            let data = |v: &str| if raw { v.to_string() } else { "DATA+OMITTED".to_string() };
            let list: Vec<_> = contexts(sim)
                .into_iter()
                .filter(|c| !flags.on("minify") || c.0 == current(sim))
                .map(|(name, cluster, user, ns)| {
                    let mut context = json!({"cluster": cluster, "user": user});
                    if !ns.is_empty() {
                        context["namespace"] = json!(ns);
                    }
                    json!({"context": context, "name": name})
                })
                .collect();
            // SIM: the sandbox has no certificates; --raw shows placeholders.
            let config = json!({
                "apiVersion": "v1",
                "clusters": [{"cluster": {"certificate-authority-data": data("c2FuZGJveA=="), "server": SERVER}, "name": CONTEXT}],
                "contexts": list,
                "current-context": current(sim),
                "kind": "Config",
                "preferences": {},
                "users": [{"name": CONTEXT, "user": {"client-certificate-data": data("c2FuZGJveA=="), "client-key-data": data("c2FuZGJveA==")}}],
            });
            match flags.get("output") {
                Some("json") => Output::ok(super::output::json_text(&config)),
                None | Some("yaml") => Output::ok(yaml::to_string(&config)),
                Some(o) => Output::err(format!("error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: json,yaml,name,go-template,go-template-file,template,templatefile,jsonpath,jsonpath-as-json,jsonpath-file\n"), 1),
            }
        }
        "get-contexts" => {
            let mut list = contexts(sim);
            if !flags.args.is_empty() {
                for name in &flags.args {
                    if !list.iter().any(|c| &c.0 == name) {
                        return Output::err(format!("error: context {name} not found\n"), 1);
                    }
                }
                list.retain(|c| flags.args.contains(&c.0));
            }
            if flags.get("output") == Some("name") {
                return Output::ok(list.iter().map(|c| format!("{}\n", c.0)).collect::<String>());
            }
            let mut text = String::new();
            if !flags.on("no-headers") {
                text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
            }
            let now = current(sim);
            for (name, cluster, user, ns) in list {
                let mark = if name == now { "*" } else { "" };
                text.push_str(&format!("{mark}\t{name}\t{cluster}\t{user}\t{ns}\n"));
            }
            Output::ok(super::table::tabwrite(&text, 6, 3))
        }
        "use-context" | "use" => match flags.args.as_slice() {
            [name] if name == CONTEXT || sim.kubectl_contexts.contains_key(name) => {
                sim.kubectl_context = (name != CONTEXT).then(|| name.clone());
                Output::ok(format!("Switched to context \"{name}\".\n"))
            }
            [name] => Output::err(format!("error: no context exists with the name: \"{name}\"\n"), 1),
            _ => Output::err(format!("error: Unexpected args: {:?}\n{}", flags.args, usage("use-context")), 1),
        },
        "set-context" => {
            let name = match (flags.on("current"), flags.args.as_slice()) {
                (true, []) => current(sim),
                (false, [n]) => n.clone(),
                (true, [_, ..]) => {
                    return Output::err(
                        format!(
                            "error: you cannot specify both a context name and --current\n{}",
                            usage("set-context")
                        ),
                        1,
                    )
                }
                _ => {
                    return Output::err(
                        format!(
                            "error: you must specify a non-empty context name or --current\n{}",
                            usage("set-context")
                        ),
                        1,
                    )
                }
            };
            if name == CONTEXT {
                if let Some(n) = flags.get("namespace") {
                    sim.kubectl_namespace = (!n.is_empty()).then(|| n.to_string());
                }
                return Output::ok(format!("Context \"{name}\" modified.\n"));
            }
            let existed = sim.kubectl_contexts.contains_key(&name);
            let c = sim.kubectl_contexts.entry(name.clone()).or_default();
            if let Some(v) = flags.get("cluster") {
                c.cluster = v.to_string();
            }
            if let Some(v) = flags.get("user") {
                c.user = v.to_string();
            }
            if let Some(v) = flags.get("namespace") {
                c.namespace = v.to_string();
            }
            Output::ok(format!("Context \"{name}\" {}.\n", if existed { "modified" } else { "created" }))
        }
        "get-clusters" => Output::ok(format!("NAME\n{CONTEXT}\n")),
        "get-users" => Output::ok(format!("NAME\n{CONTEXT}\n")),
        other => Output::err(
            format!("error: unknown command \"{other}\"\n{}", "See 'kubectl config -h' for help and examples\n"),
            1,
        ),
    }
}

/// Runs `kubectl cluster-info`.
pub fn cluster_info(sim: &Sim, args: &[String]) -> Output {
    if let Some(a) = args.first() {
        if a == "dump" {
            return Output::err("error: kubectl cluster-info dump is not supported in the sandbox\n", 1);
        }
        return Output::err(
            format!("error: unknown command \"{a}\"\nSee 'kubectl cluster-info -h' for help and examples\n"),
            1,
        );
    }
    // SIM: kubectl colours the names and addresses; the terminal prints plain text.
    let mut text = format!("Kubernetes control plane is running at {SERVER}\n");
    let dns = sim.store().get("Service", Some("kube-system"), "kube-dns");
    if dns.is_some_and(|s| s.label("kubernetes.io/cluster-service") == Some("true")) {
        text.push_str(&format!(
            "CoreDNS is running at {SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
        ));
    }
    text.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    Output::ok(text)
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn contexts_read_as_kubectl_prints_them() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(Shell.run_line(&mut sim, "kubectl config current-context").stdout, "kind-sandbox\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl config get-contexts").stdout,
            "CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n*         kind-sandbox   kind-sandbox   kind-sandbox   \n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl config use-context kind-sandbox").stdout,
            "Switched to context \"kind-sandbox\".\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl config use-context prod").stderr,
            "error: no context exists with the name: \"prod\"\n"
        );
        let view = Shell.run_line(&mut sim, "kubectl config view").stdout;
        assert!(
            view.contains("    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:6443\n"),
            "{view}"
        );
    }

    #[test]
    fn set_context_namespace_becomes_every_commands_default() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create namespace shop");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl config set-context --current --namespace=shop").stdout,
            "Context \"kind-sandbox\" modified.\n"
        );
        assert!(Shell.run_line(&mut sim, "kubectl config get-contexts").stdout.ends_with("kind-sandbox   shop\n"));
        assert!(Shell.run_line(&mut sim, "kubectl config view --minify").stdout.contains("    namespace: shop\n"));
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx").stdout,
            "deployment.apps/web created\n"
        );
        assert!(sim.store().get("Deployment", Some("shop"), "web").is_some());
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl delete deployment web").stdout,
            "deployment.apps \"web\" deleted\n"
        );
        Shell.run_line(&mut sim, "kubectl config set-context --current --namespace=");
        assert_eq!(sim.kubectl_namespace, None);
    }

    #[test]
    fn cluster_info_names_the_control_plane() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl cluster-info");
        assert!(
            out.stdout.starts_with("Kubernetes control plane is running at https://127.0.0.1:6443\n"),
            "{}",
            out.stdout
        );
        assert!(out
            .stdout
            .ends_with("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"));
    }

    #[test]
    fn a_second_context_is_created_listed_switched_to_and_sets_the_namespace() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let run = |sim: &mut Sim, l: &str| crate::shell::Shell.run_line(sim, l);
        let out =
            run(&mut sim, "kubectl config set-context dev --cluster=kind-sandbox --user=kind-sandbox --namespace=dev");
        assert_eq!(out.stdout, "Context \"dev\" created.\n");
        assert_eq!(
            run(&mut sim, "kubectl config get-contexts").stdout,
            "CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n          dev            kind-sandbox   kind-sandbox   dev\n*         kind-sandbox   kind-sandbox   kind-sandbox   \n"
        );
        assert_eq!(run(&mut sim, "kubectl config use-context dev").stdout, "Switched to context \"dev\".\n");
        assert_eq!(run(&mut sim, "kubectl config current-context").stdout, "dev\n");
        assert_eq!(super::default_namespace(&sim), "dev");
        assert_eq!(
            run(&mut sim, "kubectl config set-context dev --namespace=lab").stdout,
            "Context \"dev\" modified.\n"
        );
        assert_eq!(super::default_namespace(&sim), "lab");
        run(&mut sim, "kubectl config use-context kind-sandbox");
        assert_eq!(super::default_namespace(&sim), "default");
        assert_eq!(
            run(&mut sim, "kubectl config use-context nope").stderr,
            "error: no context exists with the name: \"nope\"\n"
        );
    }
}
