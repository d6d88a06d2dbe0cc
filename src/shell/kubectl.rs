//! `kubectl`: argv → a verb on the API → text exactly as kubectl prints it.

pub mod api_resources;
pub mod apply;
pub mod attach;
pub mod auth;
pub mod autoscale;
pub mod budget;
pub mod config;
pub mod cp;
pub mod create;
pub mod debug;
pub mod delete;
pub mod deprecated;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod duration;
pub mod exec;
pub mod explain;
pub mod explain_text;
pub mod expose;
pub mod flags;
pub mod get;
pub mod go_order;
pub mod help;
pub mod json_patch;
pub mod kustomize;
pub mod label;
pub mod logs;
pub mod node;
pub mod output;
pub mod patch;
pub mod pod_status;
pub mod port_forward;
pub mod proxy;
pub mod replace;
pub mod rollout;
pub mod run;
pub mod set;
pub mod suggest;
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
            // What follows `--` is the container's command (`exec POD -- kubectl -n x …`).
            "--" => {
                rest.push(a.clone());
                rest.extend(it.by_ref().cloned());
            }
            "-n" | "--namespace" => ns = it.next().cloned().unwrap_or(ns),
            s if s.starts_with("--namespace=") => ns = s["--namespace=".len()..].to_string(),
            _ => rest.push(a.clone()),
        }
    }
    (ns, rest)
}

/// `get|describe -f FILE…`: the objects the files name, as `TYPE/NAME` words (with `-n` from
/// the first object that names its namespace, unless one is given), as kubectl reads them.
fn expand_filenames(io: &Io, args: &[String]) -> Result<Vec<String>, Output> {
    let mut files = Vec::new();
    let mut rest = Vec::new();
    let mut recursive = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-f" | "--filename" => match it.next() {
                Some(f) => files.push(f.clone()),
                None => {
                    return Err(Output::err(
                        format!(
                            "error: flag needs an argument: '{}' in {a}
",
                            'f'
                        ),
                        1,
                    ))
                }
            },
            s if s.starts_with("--filename=") => files.push(s["--filename=".len()..].to_string()),
            s if s.starts_with("-f") && s.len() > 2 && !s.starts_with("--") => {
                files.push(s[2..].trim_start_matches('=').to_string())
            }
            "-R" | "--recursive" | "--recursive=true" => recursive = true,
            _ => rest.push(a.clone()),
        }
    }
    if files.is_empty() {
        return Ok(args.to_vec());
    }
    if rest.iter().any(|w| !w.starts_with('-')) && !rest.iter().any(|w| w == "--") {
        // Only flags may come with -f; a type or a name as well is kubectl's usage error.
        let mut words = rest.iter().filter(|w| !w.starts_with('-'));
        let flag_values = ["-o", "--output", "-n", "--namespace", "-l", "--selector", "--template", "--sort-by"];
        let mut prev: Option<&String> = None;
        let mut stray = false;
        for w in &rest {
            if !w.starts_with('-') && !prev.is_some_and(|p| flag_values.contains(&p.as_str())) {
                stray = true;
            }
            prev = Some(w);
        }
        if stray && words.next().is_some() {
            return Err(Output::err(
                "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well
",
                1,
            ));
        }
    }
    let manifests = apply::read_manifests(io, &files, recursive).map_err(|e| Output::err(e, 1))?;
    let has_ns =
        rest.iter().any(|a| a == "-n" || a == "--namespace" || a.starts_with("--namespace=") || a.starts_with("-n"));
    let mut namespace = None;
    for (name, text) in manifests {
        let objects = crate::manifest::parse(&text).map_err(|e| {
            Output::err(
                format!(
                    "error: error parsing {name}: {e}
"
                ),
                1,
            )
        })?;
        for o in objects {
            rest.push(format!("{}/{}", o.kind.to_ascii_lowercase(), o.name()));
            if namespace.is_none() {
                namespace = o.namespace().map(str::to_string);
            }
        }
    }
    if let (Some(ns), false) = (namespace, has_ns) {
        rest.push(format!("--namespace={ns}"));
    }
    Ok(rest)
}

/// Runs `kubectl ARGS…` with no stdin, reading files from disk (natively).
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    run_io(sim, &Io::default(), args)
}

/// What kubectl prints when nothing listens at the kubeconfig's server (the API server is
/// stopped).
// SIM: kubectl first logs a few `memcache.go` lines ("couldn't get current server API group
// list: … connect: connection refused", with wall-clock timestamps); only the last line is kept.
pub fn refused() -> String {
    let hostport = config::SERVER.trim_start_matches("https://");
    format!("The connection to the server {hostport} was refused - did you specify the right host or port?\n")
}

/// Whether a kubectl command talks to the API server (`config` and `version --client` do not).
fn needs_the_server(verb: &str, rest: &[String]) -> bool {
    match verb {
        "config" | "completion" | "alpha" | "plugin" => false,
        "version" => !rest.iter().any(|a| a == "--client" || a == "--client=true"),
        _ => true,
    }
}

/// Runs `kubectl ARGS…` with a stdin and the sandbox's files.
pub fn run_io(sim: &mut Sim, io: &Io, args: &[String]) -> Output {
    run_as(sim, io, args, &auth::Identity::admin(), None)
}

/// Runs `kubectl ARGS…` as `identity` (a pod's ServiceAccount when kubectl runs in a pod), with
/// `namespace` instead of the context's as the default (the pod's own).
pub fn run_as(sim: &mut Sim, io: &Io, args: &[String], identity: &auth::Identity, namespace: Option<&str>) -> Output {
    let (identity, args) = match auth::take_impersonation(args, identity) {
        Ok(taken) => taken,
        Err(out) => return out,
    };
    let args = verb_first(&without_empty_namespace(&args));
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
    if !crate::sim::system::components::api_available(sim) && needs_the_server(verb, rest) {
        return Output::err(refused(), 1);
    }
    let default_ns = namespace.map_or_else(|| config::default_namespace(sim), str::to_string);
    let rewritten = deprecated::rewrite(sim, verb, rest);
    let args = rewritten.args.clone();
    let (ns, _) = take_namespace(&args, &default_ns);
    if let Err(out) = auth::check_impersonation(sim, &identity) {
        return out;
    }
    if !identity.is_admin() {
        if let Some(out) = auth::request::refuse(sim, io, verb, &args, &ns, identity.effective()) {
            return out;
        }
    }
    let kustomized = match kustomize::takes_k(verb).then(|| kustomize::expand(io, &args)) {
        Some(Err(out)) => return out,
        Some(Ok(k)) => k,
        None => None,
    };
    let built = kustomized.as_ref().map(|(b, _)| b.yaml());
    let k_io = Io { stdin: built.as_deref(), ..*io };
    let (io, args) = match &kustomized {
        Some((_, args)) => (&k_io, args.clone()),
        None => (io, args),
    };
    let mut out = dispatch(sim, io, verb, &args, &default_ns, &identity);
    if let Some((b, _)) = &kustomized {
        out.warn_first(&b.warnings);
    }
    deprecated::finish(sim, rewritten, &ns, out)
}

/// Runs one verb on its (rewritten) arguments.
fn dispatch(
    sim: &mut Sim,
    io: &Io,
    verb: &str,
    rest: &[String],
    default_ns: &str,
    identity: &auth::Identity,
) -> Output {
    let rest = &rest.to_vec();
    let default_ns = default_ns.to_string();
    match verb {
        "get" => match expand_filenames(io, rest) {
            Ok(rest) => get::run_streaming(sim, &rest, io),
            Err(out) => out,
        },
        "api-resources" => api_resources::run(sim, rest),
        "auth" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            auth::run(sim, &rest, &ns, identity)
        }
        "delete" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            delete::run(sim, io, &rest, &ns)
        }
        "describe" => match expand_filenames(io, rest) {
            Ok(rest) => {
                let (ns, rest) = take_namespace(&rest, &default_ns);
                describe::run(sim, &rest, &ns)
            }
            Err(out) => out,
        },
        "rollout" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            rollout::run(sim, &rest, &ns)
        }
        "exec" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            exec::run(sim, io, &rest, &ns)
        }
        "attach" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            attach::run(sim, io, &rest, &ns)
        }
        "debug" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            debug::run(sim, io, &rest, &ns)
        }
        "cp" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            cp::run(sim, io, &rest, &ns)
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
        "kustomize" => kustomize::run(sim, io, rest),
        "diff" => diff::run(sim, io, &take_namespace(rest, &default_ns).1, &take_namespace(rest, &default_ns).0),
        "edit" => Output::err(
            "error: kubectl edit opens the page's editor, which this terminal does not have here: change the object with kubectl apply, patch, set or label instead\n",
            1,
        ),
        "port-forward" => {
            let (ns, rest) = take_namespace(rest, &default_ns);
            port_forward::run(sim, &rest, &ns)
        }
        "proxy" => proxy::run(sim, rest),
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
        "version" => version(rest),
        "completion" => completion(rest),
        other => Output::err(suggest::unknown_command(other), 1),
    }
}

/// `kubectl completion SHELL`: a completion script to `source`.
// SIM: kubectl's own script is several hundred lines that call `kubectl __complete`; this one
// defines the function and the `complete` line a `~/.bashrc` refers to (`complete -o default
// -F __start_kubectl k`), and the sandbox's terminal completes with Tab by itself.
fn completion(args: &[String]) -> Output {
    let see = "See 'kubectl completion -h' for help and examples\n";
    match args.first().map(String::as_str) {
        None => Output::err(format!("error: Shell not specified.\n{see}"), 1),
        Some(_) if args.len() > 1 => Output::err(format!("error: Too many arguments. Expected only the shell type.\n{see}"), 1),
        Some("bash") => Output::ok(
            "# bash completion V2 for kubectl                              -*- shell-script -*-\n\n__start_kubectl()\n{\n    :\n}\n\ncomplete -o default -F __start_kubectl kubectl\n",
        ),
        Some("zsh") => Output::ok("#compdef kubectl\ncompdef _kubectl kubectl\n\n_kubectl()\n{\n    :\n}\n"),
        Some("fish") => Output::ok("# fish completion for kubectl                              -*- shell-script -*-\n"),
        Some("powershell") => Output::ok("# powershell completion for kubectl                        -*- shell-script -*-\n"),
        Some(other) => Output::err(format!("error: Unsupported shell type \"{other}\".\n{see}"), 1),
    }
}

/// `kubectl version [--client]`: unknown flags are refused as kubectl refuses them.
fn version(args: &[String]) -> Output {
    let specs = [flags::boolean("client")];
    match flags::parse(args, &specs, "kubectl version") {
        Err(e) => Output::err(e, 1),
        Ok(f) if f.on("client") => {
            Output::ok(format!("Client Version: {}\nKustomize Version: v5.7.1\n", crate::sim::KUBERNETES_VERSION))
        }
        Ok(_) => Output::ok(format!(
            "Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n",
            v = crate::sim::KUBERNETES_VERSION
        )),
    }
}

/// `args` without an empty `-n ''` / `--namespace=` (before any `--`): client-go applies a
/// namespace override only when it is non-empty, so the context's namespace is used.
/// `config set-context --namespace=` is different: there the empty value clears the field.
fn without_empty_namespace(args: &[String]) -> Vec<String> {
    if args.iter().take_while(|a| *a != "--").any(|a| a == "config") {
        return args.to_vec();
    }
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--" => {
                out.extend_from_slice(&args[i..]);
                break;
            }
            "-n" | "--namespace" if args.get(i + 1).is_some_and(|v| v.is_empty()) => i += 2,
            "--namespace=" | "-n=" => i += 1,
            _ => {
                out.push(args[i].clone());
                i += 1;
            }
        }
    }
    out
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
mod filename_tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn get_and_describe_read_the_objects_a_file_names_and_a_list_applies_its_items() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: b\n";
        let out = t.run_line(&mut sim, &format!("cat > list.yaml <<EOF\n{list}EOF\nkubectl apply -f list.yaml"));
        assert_eq!(out.stdout, "configmap/a created\nserviceaccount/b created\n", "{out:?}");
        let out = t.run_line(&mut sim, "kubectl get -f list.yaml -o name");
        assert_eq!(out.stdout, "configmap/a\nserviceaccount/b\n", "{out:?}");
        let out = t.run_line(&mut sim, "kubectl get -f list.yaml");
        assert!(out.stdout.starts_with("NAME          DATA   AGE\nconfigmap/a   0 "), "{out:?}");
        let out = t.run_line(&mut sim, "kubectl describe -f list.yaml");
        assert!(out.stdout.starts_with("Name:         a\n"), "{out:?}");
        let out = t.run_line(&mut sim, "kubectl get pods -f list.yaml");
        assert_eq!(
            out.stderr,
            "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"
        );
        let out = t.run_line(&mut sim, "kubectl get -f nope.yaml");
        assert_eq!(out.stderr, "error: the path \"nope.yaml\" does not exist\n");
        let out = t.run_line(&mut sim, "kubectl get cm,sa -o yaml > all.yaml; kubectl delete -f all.yaml");
        assert!(out.stdout.contains("configmap \"a\" deleted\n"), "{out:?}");
    }
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
