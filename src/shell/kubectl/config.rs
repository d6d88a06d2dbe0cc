//! `kubectl config view|current-context|get-contexts|use-context|set-context` over the
//! sandbox's one kubeconfig context, `kind-sandbox` (as a kind cluster names its own), and
//! `kubectl cluster-info`. `set-context --current --namespace=X` changes the namespace every
//! later kubectl command defaults to.

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

/// The namespace kubectl commands use when no `-n` is given.
pub fn default_namespace(sim: &Sim) -> String {
    sim.kubectl_namespace.clone().unwrap_or_else(|| "default".to_string())
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
    let ns = sim.kubectl_namespace.clone();
    match sub.as_str() {
        "current-context" => Output::ok(format!("{CONTEXT}\n")),
        "view" => {
            let raw = flags.on("raw");
            let data = |v: &str| if raw { v.to_string() } else { "DATA+OMITTED".to_string() };
            let mut context = json!({"cluster": CONTEXT, "user": CONTEXT});
            if let Some(n) = &ns {
                context["namespace"] = json!(n);
            }
            // SIM: the sandbox has no certificates; --raw shows placeholders.
            let config = json!({
                "apiVersion": "v1",
                "clusters": [{"cluster": {"certificate-authority-data": data("c2FuZGJveA=="), "server": SERVER}, "name": CONTEXT}],
                "contexts": [{"context": context, "name": CONTEXT}],
                "current-context": CONTEXT,
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
            if let Some(name) = flags.args.first().filter(|n| *n != CONTEXT) {
                return Output::err(format!("error: context {name} not found\n"), 1);
            }
            if flags.get("output") == Some("name") {
                return Output::ok(format!("{CONTEXT}\n"));
            }
            let mut text = String::new();
            if !flags.on("no-headers") {
                text.push_str("CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n");
            }
            text.push_str(&format!("*         {CONTEXT}   {CONTEXT}   {CONTEXT}   {}\n", ns.unwrap_or_default()));
            Output::ok(text)
        }
        "use-context" | "use" => match flags.args.as_slice() {
            [name] if name == CONTEXT => Output::ok(format!("Switched to context \"{CONTEXT}\".\n")),
            [name] => Output::err(format!("error: no context exists with the name: \"{name}\"\n"), 1),
            _ => Output::err(format!("error: Unexpected args: {:?}\n{}", flags.args, usage("use-context")), 1),
        },
        "set-context" => {
            let name = match (flags.on("current"), flags.args.as_slice()) {
                (true, []) => CONTEXT.to_string(),
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
            if name != CONTEXT {
                // SIM: kubectl would add a context to the kubeconfig; the sandbox has only one.
                return Output::err(
                    format!("error: the sandbox has one context, \"{CONTEXT}\": use --current or \"{CONTEXT}\"\n"),
                    1,
                );
            }
            if let Some(n) = flags.get("namespace") {
                sim.kubectl_namespace = (!n.is_empty()).then(|| n.to_string());
            }
            Output::ok(format!("Context \"{name}\" modified.\n"))
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
}
