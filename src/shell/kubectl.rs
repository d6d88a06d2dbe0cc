//! `kubectl`: argv → a verb on the API → text exactly as kubectl prints it.

pub mod api_resources;
pub mod apply;
pub mod autoscale;
pub mod config;
pub mod create;
pub mod delete;
pub mod deprecated;
pub mod describe;
pub mod drain;
pub mod exec;
pub mod explain;
pub mod expose;
pub mod flags;
pub mod get;
pub mod go_order;
pub mod help;
pub mod json_patch;
pub mod label;
pub mod logs;
pub mod node;
pub mod output;
pub mod patch;
pub mod pod_status;
pub mod port_forward;
pub mod replace;
pub mod rollout;
pub mod run;
pub mod set;
pub mod table;
pub mod targets;
pub mod top;
pub mod wait;
pub mod yaml;

use super::files::Io;
use super::Output;
use crate::sim::Sim;

/// The pod a `POD` or `TYPE/NAME` argument means (`deploy/web` → its first pod), or kubectl's error.
fn pod_for_target(sim: &Sim, target: &str, namespace: &str) -> Result<String, Output> {
    match target.split_once('/') {
        None | Some(("pod" | "pods" | "po", _)) => Ok(target.rsplit('/').next().unwrap_or("").to_string()),
        Some((ty, name)) => {
            let Some(info) = crate::sim::api::discovery::lookup_name(ty) else {
                return Err(Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1));
            };
            if sim.store().get(info.kind, Some(namespace), name).is_none() {
                let group = info.api_version.rsplit_once('/').map(|(g, _)| format!(".{g}")).unwrap_or_default();
                return Err(Output::err(
                    format!("Error from server (NotFound): {}{group} \"{name}\" not found\n", info.plural),
                    1,
                ));
            }
            crate::sim::replicaset_pods_of(sim, ty, namespace, name)
                .ok_or_else(|| Output::err(format!("error: no pods found for {ty}/{name}\n"), 1))
        }
    }
}

/// Splits `-n NS` / `--namespace NS` out of `args`; without them, `default_ns` (the context's).
fn take_namespace(args: &[String], default_ns: &str) -> (String, Vec<String>) {
    let mut ns = default_ns.to_string();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-n" | "--namespace" => ns = it.next().cloned().unwrap_or(ns),
            s if s.starts_with("--namespace=") => ns = s["--namespace=".len()..].to_string(),
            _ => rest.push(a.clone()),
        }
    }
    (ns, rest)
}

/// Runs `kubectl ARGS…` with no stdin, reading files from disk (natively).
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    run_io(sim, &Io::default(), args)
}

/// Runs `kubectl ARGS…` with a stdin and the sandbox's files.
pub fn run_io(sim: &mut Sim, io: &Io, args: &[String]) -> Output {
    let args = verb_first(args);
    let Some((verb, rest)) = args.split_first() else {
        return Output::ok(help::help(None).unwrap_or_default());
    };
    if matches!(verb.as_str(), "help" | "--help" | "-h") {
        return match help::help(rest.first().map(String::as_str)) {
            Some(text) => Output::ok(text),
            None => Output::err(format!("Error: unknown help topic [{}]\n", rest.join(" ")), 1),
        };
    }
    if help::asks_for_help(rest) {
        if let Some(text) = help::help(Some(verb)) {
            return Output::ok(text);
        }
    }
    let default_ns = config::default_namespace(sim);
    let rewritten = deprecated::rewrite(sim, verb, rest);
    let args = rewritten.args.clone();
    let (ns, _) = take_namespace(&args, &default_ns);
    let out = dispatch(sim, io, verb, &args, &default_ns);
    deprecated::finish(sim, rewritten, &ns, out)
}

/// Runs one verb on its (rewritten) arguments.
fn dispatch(sim: &mut Sim, io: &Io, verb: &str, rest: &[String], default_ns: &str) -> Output {
    let rest = &rest.to_vec();
    let default_ns = default_ns.to_string();
    match verb {
        "get" => get::run_streaming(sim, rest, io.stream),
        "api-resources" => api_resources::run(sim, rest),
        "delete" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            delete::run(sim, io, &rest, &ns)
        }
        "describe" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            describe::run(sim, &rest, &ns)
        }
        "rollout" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            rollout::run(sim, &rest, &ns)
        }
        "exec" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            exec::run(sim, io, &rest, &ns)
        }
        "logs" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            logs::run_streaming(sim, &rest, &ns, io.stream)
        }
        "scale" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            delete::scale(sim, &rest, &ns)
        }
        "create" if create::is_generator(rest) => create::run(sim, io, rest, &default_ns),
        "apply" | "create" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            apply::run(sim, io, &rest, &ns, verb == "create")
        }
        "replace" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            replace::run(sim, io, &rest, &ns)
        }
        "explain" => explain::run(rest),
        "edit" => Output::err(
            "error: kubectl edit opens the page's editor, which this terminal does not have here: change the object with kubectl apply, patch, set or label instead\n",
            1,
        ),
        "port-forward" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            port_forward::run(sim, &rest, &ns)
        }
        "top" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            top::run(sim, &rest, &ns)
        }
        "run" => run::run(sim, io, rest, &default_ns),
        "expose" => expose::run(sim, io, rest, &default_ns),
        "set" => set::run(sim, rest, &default_ns),
        "autoscale" => autoscale::run(sim, rest, &default_ns),
        "cordon" => node::cordon(sim, rest, true),
        "uncordon" => node::cordon(sim, rest, false),
        "taint" => node::taint(sim, rest),
        "drain" => drain::run(sim, rest),
        "wait" => wait::run(sim, rest, &default_ns),
        "config" => config::run(sim, rest),
        "cluster-info" => config::cluster_info(sim, rest),
        "patch" => patch::run(sim, io, rest, &default_ns),
        "label" => label::run(sim, rest, &default_ns, label::Field::Labels),
        "annotate" => label::run(sim, rest, &default_ns, label::Field::Annotations),
        "version" => Output::ok(format!(
            "Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n",
            v = crate::sim::KUBERNETES_VERSION
        )),
        other => {
            Output::err(format!("error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"), 1)
        }
    }
}

/// kubectl's namespace flags may come before the verb (`kubectl -n kube-system get pods`); they
/// are moved to the end of the verb's own arguments (before any `--`), where each verb reads them.
fn verb_first(args: &[String]) -> Vec<String> {
    let mut leading = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-n" | "--namespace" if i + 1 < args.len() => {
                leading.extend_from_slice(&args[i..i + 2]);
                i += 2;
            }
            a if a.starts_with("--namespace=") || a == "-A" || a == "--all-namespaces" => {
                leading.push(args[i].clone());
                i += 1;
            }
            a if a.starts_with("-n") && a.len() > 2 && !a.starts_with("--") => {
                leading.push(args[i].clone());
                i += 1;
            }
            _ => break,
        }
    }
    if leading.is_empty() || i >= args.len() {
        return args.to_vec();
    }
    let rest = &args[i + 1..];
    let cut = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    let mut out = vec![args[i].clone()];
    out.extend_from_slice(&rest[..cut]);
    out.extend(leading);
    out.extend_from_slice(&rest[cut..]);
    out
}

#[cfg(test)]
mod verb_first_tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn namespace_flags_may_come_before_the_verb() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl -n lab create namespace lab");
        assert_eq!(out.stdout, "namespace/lab created\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl --namespace lab create configmap c");
        assert_eq!(out.stdout, "configmap/c created\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl -n lab get cm c -o name");
        assert_eq!(out.stdout, "configmap/c\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl -A get cm -o name");
        assert!(out.stdout.contains("configmap/c\n"), "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl -n");
        assert_ne!(out.status, 0);
        let out = Shell.run_line(&mut sim, "kubectl -n lab exec nothing -- echo -n hi");
        assert!(out.stderr.contains("pods \"nothing\" not found"), "{}", out.stderr);
    }
}
